//! 绩效运行监控 — progress lights as of a date (`jixiao monitor --as-of 2024-07-31`).
//!
//! The elapsed fraction `f` counts whole days of the project period up to and including the
//! as-of date (`2024-07-31` in a 2024 project: 213 ÷ 366). Rules (thresholds from
//! [`Policy::monitor`](crate::Policy)):
//! - **Quantities** (≥ / > / = / ≤ / <): one function, [`judge`], decides the light and the
//!   完成目标可能性 together, so they cannot contradict each other (确定能 only with green or
//!   blue, 完全不可能 only with red, 有可能 never at the period's end). Expected to date =
//!   target × f for running totals; percentage targets are rates and expect the target itself
//!   (unless `prorate_percent`). Forecast = actual ÷ f for running totals, the latest value for
//!   rates. For ≥ / > / = the ratio actual ÷ expected equals forecast ÷ target: met → green
//!   (blue from `blue_from`, target possibly set too low), 确定能; at the period's end anything
//!   less is red, 完全不可能; during the period below `red_below` red, 完全不可能; below
//!   `yellow_below` yellow, 有可能; else green, 有可能. An `=` target already exceeded is red.
//!   ≤ / <: green while the value to date is within the target (确定能 when the forecast is
//!   too), red beyond (完全不可能 for a running total or at the end).
//! - **Compound**: each part as above; the indicator shows the worst light and likelihood (no
//!   likelihood while a part is unreported).
//! - **Deadline (date)**: done on time → green, 确定能; done late → red; not done → green before
//!   the date (有可能), red after it (完全不可能).
//! - **Recurring deadline**: every period already due must have been done by its due date; one
//!   miss → red (完全不可能), else green (确定能 once every period is done). Reports are matched
//!   to periods by their 填报期间 ([`Observation::period`]), one per period (the last given),
//!   never by the day they were made.
//! - **Which value counts**: one per (indicator, 填报期间), the last given; a value that no
//!   longer fits its target's kind is shown with a grey light and flagged
//!   ([`FlagKind::KindChanged`](crate::FlagKind::KindChanged)).
//! - **Qualitative**: 达成 green, 部分达成 yellow, 未达成 red, nothing reported grey; at the
//!   period's end anything short of 达成 is 完全不可能.
//! - Nothing reported, or nothing expected yet (before the start), is grey.
//! - **Budget**: pace = (spent ÷ budget) ÷ f: below `budget_red_below` red, below
//!   `budget_yellow_below` yellow, else green; expected full-year spending = spent ÷ f. Spending
//!   above the budget is flagged ([`FlagKind::OverBudget`](crate::FlagKind::OverBudget)); the
//!   execution rate shown is the real one.

use chrono::NaiveDate;
use jixiao_model::{
    Achievement, Deadline, Level1, Level2, Observation, Op, Project, Quantity, ReportPeriod,
    SpendingRecord, Target,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::adjust::{initial_targets, Adjustment, InitialTarget};
use crate::common::{
    clause_values, current, due_periods, fits, latest_completion, latest_level, observations_of,
    split_misfits, within_period, Completion, Misfit,
};
use crate::department::DepartmentPart;
use crate::error::Error;
use crate::num::{div, elapsed_fraction, fix2, mul};
use crate::policy::Policy;
use crate::score::{spent_to, Flag};
use crate::value::{IndicatorValue, Measured};

/// The `format` tag of the monitoring JSON.
pub const MONITORING_FORMAT: &str = "jixiao-monitoring/2";

/// A traffic light (预警信号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// 绿 — on track.
    Green,
    /// 蓝 — far ahead: the target may have been set too low.
    Blue,
    /// 灰 — nothing reported or nothing expected yet.
    Grey,
    /// 黄 — behind.
    Yellow,
    /// 红 — far behind, or a date passed unmet.
    Red,
}

impl Light {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Light::Green => "绿",
            Light::Blue => "蓝",
            Light::Grey => "灰",
            Light::Yellow => "黄",
            Light::Red => "红",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Blue => "blue",
            Light::Grey => "grey",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
}

/// 完成目标可能性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// 确定能.
    Certain,
    /// 有可能.
    Possible,
    /// 完全不可能.
    Impossible,
}

impl Likelihood {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Likelihood::Certain => "确定能",
            Likelihood::Possible => "有可能",
            Likelihood::Impossible => "完全不可能",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Likelihood::Certain => "certain",
            Likelihood::Possible => "possible",
            Likelihood::Impossible => "impossible",
        }
    }
}

/// What monitoring needs besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonitorOptions {
    /// 全年预算数 when it differs from the form's 年度资金申请总额.
    pub budget: Option<Decimal>,
    /// 年初 — the first approved version, when the project monitored is a later approved one
    /// (调整): the 监控表 then shows 年初 beside 调整 ([`Adjustment`]).
    pub initial: Option<Project>,
}

/// 绩效运行监控表 — one project as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monitoring {
    /// Always [`MONITORING_FORMAT`].
    pub format: String,
    /// 项目名称.
    pub project: String,
    /// 年度.
    pub year: i32,
    /// 实施单位.
    pub unit: String,
    /// As of this date (inclusive).
    pub as_of: NaiveDate,
    /// Elapsed fraction of the project period, in percent, rounded to 2 decimals.
    pub elapsed: Decimal,
    /// 预算执行.
    pub budget: BudgetMonitor,
    /// 绩效目标完成情况, in form order.
    pub indicators: Vec<IndicatorMonitor>,
    /// Warnings: spending above the budget, values that no longer fit their target …; the
    /// caller may append its own (e.g. [`Flag::orphaned`]).
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// 年初 against 调整, when an approved declaration was adjusted and the adjustment changed
    /// something ([`MonitorOptions::initial`]); `None` keeps the one-column layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<Adjustment>,
    /// 部门整体 — the 年度主要任务 with their 预算数 of a department-wide declaration
    /// (部门整体支出绩效运行监控表); `None` for a project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_wide: Option<DepartmentPart>,
}

/// 预算执行 to date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetMonitor {
    /// 全年预算数.
    pub budget: Decimal,
    /// 执行数 to date.
    pub spent: Decimal,
    /// spent ÷ budget, percent, 2 decimals.
    pub execution_rate: Decimal,
    /// (spent ÷ budget) ÷ elapsed fraction, percent, 2 decimals; `None` before the start.
    pub pace: Option<Decimal>,
    /// The light.
    pub light: Light,
    /// 预计全年执行数 = spent ÷ elapsed fraction, 2 decimals.
    pub forecast: Option<Decimal>,
}

/// One indicator's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorMonitor {
    /// Indicator code.
    pub code: String,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标.
    pub name: String,
    /// 年度指标值 as written.
    pub target: String,
    /// 截至目前完成值 — typed like the 自评表's 实际完成值; `None` when nothing is reported.
    pub value: Option<IndicatorValue>,
    /// 序时进度值 — expected to date, per quantitative clause (2 decimals).
    pub expected: Vec<Decimal>,
    /// Actual ÷ expected in percent per clause (2 decimals), where it applies.
    pub ratio: Vec<Decimal>,
    /// The light.
    pub light: Light,
    /// 全年预计完成值 — a number per clause (2 decimals), where one can be forecast.
    pub forecast: Option<IndicatorValue>,
    /// 完成目标可能性; `None` when nothing can be said.
    pub likelihood: Option<Likelihood>,
    /// 年初指标值, when the declaration was adjusted ([`Monitoring::adjustment`]); `target` is
    /// then the 调整后指标值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<InitialTarget>,
    /// 是否核心指标, as declared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub core: bool,
}

/// Checks a project's progress as of `as_of`.
pub fn monitor(
    project: &Project,
    observations: &[Observation],
    spending: &[SpendingRecord],
    as_of: NaiveDate,
    policy: &Policy,
    opts: &MonitorOptions,
) -> Result<Monitoring, Error> {
    let f = elapsed_fraction(project.start, project.end, as_of);
    let mut indicators = Vec::with_capacity(project.indicators.len());
    let mut flags = Vec::new();
    let (adjustment, mut initials) = initial_targets(opts.initial.as_ref(), project);
    for (ind, initial) in project.indicators.iter().zip(initials.drain(..)) {
        let given = observations_of(&ind.code, observations, Some(as_of));
        let cur = current(&ind.target, &given);
        let (obs, unfit) = match &ind.target {
            // Recurring deadlines keep every report; each period picks its own below.
            Target::Deadline(Deadline::Recurring(_)) => (given.clone(), Vec::new()),
            _ => split_misfits(&ind.target, &cur),
        };
        let mut misfits: Vec<Misfit> = unfit.iter().map(|o| Misfit::value(o)).collect();
        let unconfirmed = unfit.last();
        let mut m = IndicatorMonitor {
            code: ind.code.clone(),
            level1: ind.level1,
            level2: ind.level2.clone(),
            name: ind.name.clone(),
            target: ind.raw.clone(),
            value: None,
            expected: Vec::new(),
            ratio: Vec::new(),
            light: Light::Grey,
            forecast: None,
            likelihood: None,
            initial,
            core: ind.core,
        };
        match &ind.target {
            // The latest value does not fit the target any more: shown, grey, flagged.
            _ if unconfirmed.is_some() => {
                m.value = unconfirmed.map(|o| IndicatorValue::Recorded {
                    value: o.value.clone(),
                });
            }
            Target::Quantitative(_) | Target::Compound(_) => {
                quantities(&mut m, ind.target.quantities(), &obs, f, policy)?
            }
            Target::Deadline(Deadline::Date(due)) => {
                let done = latest_completion(&obs);
                let (light, likely) = match done {
                    Some(Completion::Done(c)) if c <= *due => (Light::Green, Likelihood::Certain),
                    Some(Completion::Done(_)) => (Light::Red, Likelihood::Impossible),
                    _ if as_of <= *due => (Light::Green, Likelihood::Possible),
                    _ => (Light::Red, Likelihood::Impossible),
                };
                m.light = light;
                m.likelihood = Some(likely);
                m.value = done.map(|c| match c {
                    Completion::Done(date) => IndicatorValue::Date { date },
                    Completion::NotDone => IndicatorValue::Level {
                        level: Achievement::NotMet,
                    },
                });
            }
            Target::Deadline(Deadline::Recurring(rule)) => {
                let periods = due_periods(rule, project.start, project.end);
                let mut keyed: Vec<(ReportPeriod, &Observation)> = Vec::new();
                for o in &obs {
                    match within_period(&o.period, rule.period) {
                        Some(p) => keyed.push((p, o)),
                        None => misfits.push(Misfit::in_period(o.period, o)),
                    }
                }
                let (mut due, mut on_time, mut done_all) = (0u32, 0u32, true);
                for p in &periods {
                    // One report per 填报期间: the last given for it.
                    let key = ReportPeriod::containing(p.start, rule.period);
                    let report = keyed.iter().rev().find(|(k, _)| *k == key).map(|(_, o)| *o);
                    if let Some(o) = report.filter(|o| !fits(&ind.target, &o.value)) {
                        misfits.push(Misfit::in_period(key, o));
                    }
                    let done = match report.and_then(|o| latest_completion(&[o])) {
                        Some(Completion::Done(c)) if c <= as_of => Some(c),
                        _ => None,
                    };
                    done_all &= done.is_some_and(|c| c <= p.due);
                    if p.due <= as_of {
                        due += 1;
                        if done.is_some_and(|c| c <= p.due) {
                            on_time += 1;
                        }
                    }
                }
                let (light, likely) = if on_time < due {
                    (Light::Red, Likelihood::Impossible)
                } else if done_all {
                    (Light::Green, Likelihood::Certain)
                } else {
                    (Light::Green, Likelihood::Possible)
                };
                m.light = light;
                m.likelihood = Some(likely);
                m.value = Some(IndicatorValue::Periods { on_time, of: due });
            }
            Target::Qualitative(_) => {
                let level = latest_level(&obs);
                let end = f == Decimal::ONE;
                (m.light, m.likelihood) = match level {
                    Some(Achievement::Met) => (Light::Green, Some(Likelihood::Certain)),
                    Some(Achievement::Partly) if end => {
                        (Light::Yellow, Some(Likelihood::Impossible))
                    }
                    Some(Achievement::Partly) => (Light::Yellow, Some(Likelihood::Possible)),
                    Some(Achievement::NotMet) if end => (Light::Red, Some(Likelihood::Impossible)),
                    Some(Achievement::NotMet) => (Light::Red, Some(Likelihood::Possible)),
                    None => (Light::Grey, None),
                };
                m.value = level.map(|level| IndicatorValue::Level { level });
            }
        }
        if !misfits.is_empty() {
            flags.push(Flag::kind_changed(&ind.code, &ind.name, &ind.raw, &misfits));
        }
        indicators.push(m);
    }

    let budget = opts.budget.unwrap_or(project.funds.total);
    if budget <= Decimal::ZERO {
        return Err(Error::ZeroBudget {
            project: project.name.clone(),
            budget: budget.to_string(),
        });
    }
    let spent = spent_to(spending, Some(as_of))?;
    let rate = div(spent, budget).ok_or(Error::Overflow)?;
    let pace = div(rate, f);
    let mp = &policy.monitor;
    let pace_pct = match pace {
        Some(p) => Some(mul(p, Decimal::ONE_HUNDRED)?),
        None => None,
    };
    let light = match pace_pct {
        None => Light::Grey,
        Some(p) if p < mp.budget_red_below => Light::Red,
        Some(p) if p < mp.budget_yellow_below => Light::Yellow,
        Some(_) => Light::Green,
    };
    let execution_rate = fix2(mul(rate, Decimal::ONE_HUNDRED)?);
    if spent > budget {
        flags.push(Flag::over_budget(spent, budget, execution_rate, None));
    }
    Ok(Monitoring {
        format: MONITORING_FORMAT.to_string(),
        project: project.name.clone(),
        year: project.year,
        unit: project.unit.clone(),
        as_of,
        elapsed: fix2(f * Decimal::ONE_HUNDRED),
        budget: BudgetMonitor {
            budget,
            spent,
            execution_rate,
            pace: pace_pct.map(fix2),
            light,
            forecast: div(spent, f).map(fix2),
        },
        indicators,
        flags,
        adjustment,
        department_wide: DepartmentPart::of(project),
    })
}

fn quantities(
    m: &mut IndicatorMonitor,
    parts: &[Quantity],
    obs: &[&Observation],
    f: Decimal,
    policy: &Policy,
) -> Result<(), Error> {
    let values = clause_values(parts, obs);
    if values.iter().all(Option::is_none) {
        return Ok(());
    }
    let mut light = Light::Green;
    // An unreported part leaves the indicator's likelihood unknown.
    let mut likely = Some(Likelihood::Certain);
    let (mut shown, mut forecasts) = (Vec::new(), Vec::new());
    for (q, v) in parts.iter().zip(values) {
        let Some(a) = v else {
            light = light.max(Light::Grey);
            likely = None;
            shown.push(None);
            forecasts.push(None);
            continue;
        };
        shown.push(Some(Measured::new(a, q.unit.as_deref())));
        let j = judge(q, a, f, policy)?;
        m.expected.push(fix2(j.expected));
        if let Some(r) = j.ratio {
            m.ratio.push(fix2(r));
        }
        forecasts.push(
            j.forecast
                .map(|x| Measured::new(fix2(x), q.unit.as_deref())),
        );
        light = light.max(j.light);
        likely = match (likely, j.likelihood) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    m.light = light;
    m.likelihood = likely;
    m.value = Some(IndicatorValue::Numbers { parts: shown });
    m.forecast = Some(IndicatorValue::Numbers { parts: forecasts });
    Ok(())
}

/// One quantitative clause judged as of elapsed fraction `f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    /// 序时进度值 — expected to date.
    pub expected: Decimal,
    /// Actual ÷ expected in percent (≥ / > / = clauses with something expected).
    pub ratio: Option<Decimal>,
    /// 全年预计完成值.
    pub forecast: Option<Decimal>,
    /// The light.
    pub light: Light,
    /// 完成目标可能性; `None` exactly when the light is grey.
    pub likelihood: Option<Likelihood>,
}

/// Decides a clause's light and its 完成目标可能性 together, so that they cannot contradict each
/// other: 确定能 only with green or blue, 完全不可能 only with red, 有可能 never at the period's
/// end, grey with nothing to say.
///
/// ≥ / > / =: the ratio (actual ÷ expected) equals forecast ÷ target, so one number decides:
/// the forecast meets the target → 确定能, green (blue from `blue_from`); at the period's end
/// anything less → 完全不可能, red; during the period below `red_below` → 完全不可能, red;
/// below `yellow_below` → 有可能, yellow; else 有可能, green. An `=` target already exceeded
/// → 完全不可能, red.
///
/// ≤ / <: within the target and the forecast too → 确定能, green; within now but the forecast
/// beyond → 有可能, green; beyond (a running total, or at the end) → 完全不可能, red; a rate
/// beyond during the period → 有可能, red.
pub fn judge(q: &Quantity, a: Decimal, f: Decimal, policy: &Policy) -> Result<Judgement, Error> {
    let mp = &policy.monitor;
    let end = f == Decimal::ONE;
    let running = !q.is_percent() || mp.prorate_percent;
    let expected = if running { mul(q.value, f)? } else { q.value };
    let forecast = if running { div(a, f) } else { Some(a) };
    let (ratio, light, likely) = match q.op {
        Op::Le | Op::Lt => {
            let (l, k) = match forecast {
                _ if !q.is_met_by(a) && (running || end) => (Light::Red, Likelihood::Impossible),
                _ if !q.is_met_by(a) => (Light::Red, Likelihood::Possible),
                Some(x) if q.is_met_by(x) => (Light::Green, Likelihood::Certain),
                _ if end => (Light::Green, Likelihood::Certain),
                _ => (Light::Green, Likelihood::Possible),
            };
            (None, l, Some(k))
        }
        Op::Ge | Op::Gt | Op::Eq => {
            let ratio = div(a, expected).and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED));
            let reaches = |x: Decimal| {
                if q.op == Op::Eq {
                    x >= q.value
                } else {
                    q.is_met_by(x)
                }
            };
            let (l, k) = match ratio {
                _ if q.op == Op::Eq && a > q.value => (Light::Red, Some(Likelihood::Impossible)),
                Some(r) if forecast.is_some_and(reaches) && r >= mp.blue_from => {
                    (Light::Blue, Some(Likelihood::Certain))
                }
                _ if forecast.is_some_and(reaches) => (Light::Green, Some(Likelihood::Certain)),
                _ if end => (Light::Red, Some(Likelihood::Impossible)),
                None => (Light::Grey, None),
                Some(r) if r < mp.red_below => (Light::Red, Some(Likelihood::Impossible)),
                Some(r) if r < mp.yellow_below => (Light::Yellow, Some(Likelihood::Possible)),
                Some(_) => (Light::Green, Some(Likelihood::Possible)),
            };
            (ratio, l, k)
        }
    };
    Ok(Judgement {
        expected,
        ratio,
        forecast,
        light,
        likelihood: likely,
    })
}
