//! 项目支出绩效自评 — scoring a project's year-end actuals into a [`SelfEvaluation`].
//!
//! Rules (all thresholds from [`Policy`]):
//! - **Weights (分值).** 产出 50, 效益 30, 满意度 10, 预算执行率 10; 成本 indicators share 产出's
//!   weight unless the policy gives `cost` its own. Within a category the user's weights
//!   ([`EvaluateOptions::weights`]) are taken as given and the rest of the category is split
//!   equally among the other indicators in whole cents, the first indicators taking the odd cents
//!   (50 ÷ 3 → 16.67, 16.67, 16.66), so the weights always add up to the category.
//!   A category without indicators earns nothing (a flag says so).
//! - **≥ / >**: met → full; otherwise actual ÷ target × weight (never below 0). A ≥ target of 0
//!   or less that is missed scores 0.
//! - **≤ / <**: met → full; otherwise (1 − (actual − target) ÷ target) × weight, never below 0
//!   (so 0 from twice the target). A ≤ target of 0 or less that is missed scores 0.
//! - **=**: met when equal → full; below → like ≥ (actual ÷ target); above → like ≤. A `= 0`
//!   target scores full when actual ≤ 0, else 0.
//! - **Compound**: the mean of the parts' shares; a part without a value scores 0.
//! - **Deadline (date)**: done on or before the date → full; done at most `deadline.late_days`
//!   late → `deadline.late_share` % of the weight; later, 未达成 or no report → 0.
//! - **Recurring deadline**: each period is scored by its 填报期间 ([`Observation::period`]), one
//!   report per period (the last given), like a dated deadline against that period's own due
//!   date — the day the report was made does not move it to another period. The indicator earns
//!   the mean. With [`EvaluateOptions::as_of`], periods not yet due and not yet done are left out.
//! - **Qualitative**: 达成 / 部分达成 / 未达成 earn the scorer's share
//!   ([`EvaluateOptions::shares`], which must lie in the level's band) or the policy default
//!   (100 / 70 / 0 %).
//! - **Missing actuals** score 0.
//! - **Which value counts**: one per (indicator, 填报期间) — the last given, for value and note
//!   alike (a corrected row replaces the first); the latest period's value is the indicator's.
//! - **Kind changed**: a value that no longer fits its target (达成 for `≥95.00(%)`, a number in
//!   another unit) is kept, shown, not scored (outcome 待确认, 0 points) and flagged
//!   [`FlagKind::KindChanged`].
//! - **Budget**: min(全年执行数 ÷ 全年预算数, 1) × weight, never below 0; a budget of 0 or less is
//!   [`Error::ZeroBudget`]. The execution rate shown is the real one (197.00%, not capped);
//!   spending above the budget is flagged [`FlagKind::OverBudget`], saying the score is capped.
//! - Every score is rounded half away from zero (四舍五入) to 2 decimals; the total is the sum of
//!   the rounded parts; the grade follows `grades`.
//! - **偏差原因分析及改进措施** is required where an indicator loses points or is not met, and where
//!   a ≥ / > target is exceeded by `deviation.over_achievement` % or more. The reason is taken
//!   from [`EvaluateOptions::deviation_reasons`], else from the note of the indicator's latest
//!   observation; a required reason that is absent is flagged.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jixiao_model::{
    Achievement, Deadline, Grade, Indicator, Level1, Level2, Observation, ObservedValue, Op,
    Project, Quantity, ReportPeriod, SpendingRecord, Target,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::adjust::{initial_targets, Adjustment, InitialTarget};
use crate::common::{
    clause_values, current, due_periods, latest_completion, latest_level, observations_of,
    split_misfits, within_period, Completion, Misfit,
};
use crate::department::DepartmentPart;
use crate::error::Error;
use crate::num::{add, div, fix2, mul, pct, round2, sub};
use crate::policy::Policy;
use crate::value::{IndicatorValue, Measured};
use jixiao_model::present::{self, Lang};

/// The `format` tag of the evaluation JSON.
pub const EVALUATION_FORMAT: &str = "jixiao-evaluation/2";

/// What the scorer adds to the recorded actuals. Keys are indicator codes (`1.1.1`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// 全年预算数 when it differs from 年初预算数 (the form's 年度资金申请总额).
    pub budget: Option<Decimal>,
    /// 分值 given to single indicators; the rest of each category is shared equally.
    pub weights: BTreeMap<String, Decimal>,
    /// The scorer's share (percent of the weight) of a qualitative indicator, inside its band.
    pub shares: BTreeMap<String, Decimal>,
    /// 偏差原因分析及改进措施 per indicator (wins over observation notes).
    pub deviation_reasons: BTreeMap<String, String>,
    /// 实际完成情况 — what was achieved against the 年度总体目标; a summary is written when absent.
    pub achieved: Option<String>,
    /// Evaluate as of this date: later observations and spending are ignored and recurring
    /// periods not yet due are left out. `None`: everything recorded, every period.
    pub as_of: Option<NaiveDate>,
    /// 年初 — the first approved version of the declaration, when the project scored is a later
    /// approved one (调整): the 自评表 then shows 年初 beside 调整 ([`Adjustment`]).
    pub initial: Option<Project>,
}

/// 项目支出绩效自评表 — a scored project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfEvaluation {
    /// Always [`EVALUATION_FORMAT`].
    pub format: String,
    /// 项目名称.
    pub project: String,
    /// 年度.
    pub year: i32,
    /// 主管部门.
    pub department: Option<String>,
    /// 实施单位.
    pub unit: String,
    /// 预算执行情况.
    pub budget: BudgetScore,
    /// 年初预期目标 | 实际完成情况.
    pub goals: Goals,
    /// 绩效指标, in form order.
    pub indicators: Vec<IndicatorScore>,
    /// 总分 — the sum of the rounded scores.
    pub total: Decimal,
    /// 评价等级.
    pub grade: Grade,
    /// Things the scorer should look at (missing actuals, missing reasons …).
    pub flags: Vec<Flag>,
    /// 年初 against 调整, when an approved declaration was adjusted and the adjustment changed
    /// something ([`EvaluateOptions::initial`]); `None` keeps the one-column layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<Adjustment>,
    /// 部门整体 — the 年度主要任务 with their 预算数 of a department-wide declaration
    /// (部门整体支出绩效自评表); `None` for a project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_wide: Option<DepartmentPart>,
}

/// Whether something was scored: a 自评表 with no actual value and nothing spent has a 总分 of
/// 0 that means nothing yet, shown as 无实际值 rather than "0.00 差".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreState {
    /// At least one actual value or payment was scored.
    Scored,
    /// 无实际值 — no actual value and nothing spent yet.
    NoActuals,
}

impl ScoreState {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            ScoreState::Scored => "已评分",
            ScoreState::NoActuals => "无实际值",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            ScoreState::Scored => "scored",
            ScoreState::NoActuals => "no actual values",
        }
    }
}

impl SelfEvaluation {
    /// [`ScoreState::Scored`] when an indicator has an actual value or something was spent.
    pub fn state(&self) -> ScoreState {
        if self.indicators.iter().any(|i| i.actual.is_some()) || self.budget.spent != Decimal::ZERO
        {
            ScoreState::Scored
        } else {
            ScoreState::NoActuals
        }
    }

    /// 总分 and 评价等级 when something was scored.
    pub fn scored(&self) -> Option<(Decimal, Grade)> {
        (self.state() == ScoreState::Scored).then_some((self.total, self.grade))
    }
}

/// 预算执行情况 — the funds rows of the 自评表, in 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetScore {
    /// 年初预算数.
    pub initial: Decimal,
    /// 全年预算数 (A).
    pub annual: Decimal,
    /// 全年执行数 (B).
    pub spent: Decimal,
    /// 分值.
    pub weight: Decimal,
    /// 执行率 B ÷ A, in percent, rounded to 2 decimals.
    pub execution_rate: Decimal,
    /// 得分.
    pub score: Decimal,
}

/// 年初预期目标 and 实际完成情况.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goals {
    /// 年度总体目标 as declared.
    pub expected: String,
    /// 实际完成情况 as the scorer wrote it, when given.
    pub achieved: Option<String>,
    /// Counts of indicator outcomes, for a written summary.
    pub summary: OutcomeCounts,
}

/// How many indicators ended how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCounts {
    /// 三级指标 in all.
    pub indicators: u32,
    /// Met (over-achieved included).
    pub met: u32,
    /// 部分达成 or done late.
    pub partly: u32,
    /// Not met.
    pub not_met: u32,
    /// Without actuals.
    pub missing: u32,
    /// 待确认 — the recorded value no longer fits the target's kind.
    #[serde(default)]
    pub unconfirmed: u32,
}

/// How an indicator ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 达成 — met.
    Met,
    /// 超额完成 — met by `deviation.over_achievement` % or more.
    OverAchieved,
    /// 部分达成.
    Partly,
    /// 逾期完成 — done after the deadline.
    Late,
    /// 未达成.
    NotMet,
    /// 未填报 — no actual recorded.
    Missing,
    /// 待确认 — the value recorded does not fit the target's kind (the target changed since):
    /// kept, shown, flagged [`FlagKind::KindChanged`] and not scored until confirmed again.
    Unconfirmed,
}

impl Outcome {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Met => "达成",
            Outcome::OverAchieved => "超额完成",
            Outcome::Partly => "部分达成",
            Outcome::Late => "逾期完成",
            Outcome::NotMet => "未达成",
            Outcome::Missing => "未填报",
            Outcome::Unconfirmed => "待确认",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::OverAchieved => "over-achieved",
            Outcome::Partly => "partly met",
            Outcome::Late => "late",
            Outcome::NotMet => "not met",
            Outcome::Missing => "not reported",
            Outcome::Unconfirmed => "to be confirmed",
        }
    }
}

/// One indicator row of the 自评表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Indicator code.
    pub code: String,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标.
    pub name: String,
    /// 年度指标值, as written on the form.
    pub target: String,
    /// 实际完成值 — a number per clause, a completion date, a level or periods on time; `None`
    /// when not reported. Written as text only by the renderers.
    pub actual: Option<IndicatorValue>,
    /// 分值.
    pub weight: Decimal,
    /// 得分.
    pub score: Decimal,
    /// How it ended.
    pub outcome: Outcome,
    /// 偏差原因分析及改进措施.
    pub deviation_reason: Option<String>,
    /// Whether a deviation reason is required.
    pub deviation_required: bool,
    /// 年初指标值, when the declaration was adjusted ([`SelfEvaluation::adjustment`]); the row's
    /// `target` is then the 调整后指标值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<InitialTarget>,
    /// 是否核心指标, as declared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub core: bool,
}

/// Something in a [`SelfEvaluation`] that needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// What kind.
    pub kind: FlagKind,
    /// The indicator code, when about one indicator.
    pub code: Option<String>,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
}

/// The kinds of [`Flag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FlagKind {
    /// An indicator without actuals.
    MissingActual,
    /// A required 偏差原因 is absent.
    MissingDeviationReason,
    /// A category without indicators: its points cannot be earned.
    EmptyCategory,
    /// A compound target with some parts unreported.
    MissingPart,
    /// 执行数 above the year's budget (imported twice?); the execution rate shown is the real one.
    OverBudget,
    /// A recorded value does not fit its indicator's target kind (满意 → ≥95.00(%)), or its
    /// 填报期间 does not fit a recurring deadline: kept, not scored, to be confirmed again.
    KindChanged,
    /// Actual values of an indicator no longer on the form (the store finds them; see
    /// [`Flag::orphaned`]).
    Orphaned,
}

impl Flag {
    /// A flag about actual values recorded for an indicator that is no longer on the form
    /// (removed or renamed beyond recognition): they are kept but not scored. `indicator` names
    /// it as the user knew it (its old code and name), `values` is how many values it has.
    pub fn orphaned(indicator: &str, values: usize) -> Flag {
        Flag {
            kind: FlagKind::Orphaned,
            code: None,
            message_zh: format!(
                "指标「{indicator}」已不在申报表中，其 {values} 条实际完成值已保留但不计分，请核对"
            ),
            message_en: format!(
                "indicator {indicator:?} is no longer on the form: its {values} actual value(s) are kept but not scored; please check"
            ),
        }
    }

    /// 指标值类型已变更 — the values of indicator `code` that do not fit its target any more,
    /// written as the renderers write values (`「达成」`, `「2024：2024年4月20日」` /
    /// `"met"`, `"2024: 2024-04-20"`).
    pub(crate) fn kind_changed(code: &str, name: &str, target: &str, values: &[Misfit]) -> Flag {
        let text = |m: &Misfit, lang: Lang| {
            let v = jixiao_model::present::observed(&m.value, lang);
            match m.period {
                Some(p) => format!("{p}{}{v}", lang.pick("：", ": ")),
                None => v,
            }
        };
        let list_zh = values
            .iter()
            .map(|m| format!("「{}」", text(m, Lang::Zh)))
            .collect::<Vec<_>>()
            .join("、");
        let list_en = values
            .iter()
            .map(|m| format!("{:?}", text(m, Lang::En)))
            .collect::<Vec<_>>()
            .join(", ");
        Flag {
            kind: FlagKind::KindChanged,
            code: Some(code.to_string()),
            message_zh: format!(
                "指标 {code}「{name}」的实际完成值{list_zh}与指标值「{target}」不符：指标值类型已变更，请重新确认实际完成值"
            ),
            message_en: format!(
                "indicator {code} {name:?}: the value {list_en} does not fit the target {target:?}: the target's kind changed: confirm the actual value again"
            ),
        }
    }

    /// 执行数 above 全年预算数.
    pub(crate) fn over_budget(
        spent: Decimal,
        budget: Decimal,
        rate: Decimal,
        capped: Option<Decimal>,
    ) -> Flag {
        let (cap_zh, cap_en) = match capped {
            Some(w) => {
                let w = present::decimal(w);
                (
                    format!("；预算执行率按上限得 {w} 分"),
                    format!("; the budget row scores at most its {w} points"),
                )
            }
            None => (String::new(), String::new()),
        };
        let rate = present::percent(rate);
        Flag {
            kind: FlagKind::OverBudget,
            code: None,
            message_zh: format!(
                "执行数 {}超过全年预算数 {}（执行率 {rate}），请核对是否重复导入{cap_zh}",
                present::money(spent, Lang::Zh),
                present::money(budget, Lang::Zh)
            ),
            message_en: format!(
                "spending of {} exceeds the annual budget of {} (execution {rate}): check for records imported twice{cap_en}",
                present::money(spent, Lang::En),
                present::money(budget, Lang::En)
            ),
        }
    }
}

/// A scoring category: an 一级 or 预算执行率.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Output,
    Cost,
    Benefit,
    Satisfaction,
}

impl Category {
    fn of(l: Level1, policy: &Policy) -> Category {
        match l {
            Level1::Output => Category::Output,
            Level1::Cost if policy.weights.cost.is_some() => Category::Cost,
            Level1::Cost => Category::Output,
            Level1::Benefit => Category::Benefit,
            Level1::Satisfaction => Category::Satisfaction,
        }
    }

    fn weight(self, policy: &Policy) -> Decimal {
        let w = &policy.weights;
        match self {
            Category::Output => w.output,
            Category::Cost => w.cost.unwrap_or(Decimal::ZERO),
            Category::Benefit => w.benefit,
            Category::Satisfaction => w.satisfaction,
        }
    }

    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Category::Output => ("产出指标", "output"),
            Category::Cost => ("成本指标", "cost"),
            Category::Benefit => ("效益指标", "benefit"),
            Category::Satisfaction => ("满意度指标", "satisfaction"),
        }
    }
}

/// The 分值 of each indicator, in form order (see the module doc).
pub fn indicator_weights(
    project: &Project,
    policy: &Policy,
    user: &BTreeMap<String, Decimal>,
) -> Result<Vec<Decimal>, Error> {
    for code in user.keys() {
        if project.indicator(code).is_none() {
            return Err(Error::UnknownCode { code: code.clone() });
        }
    }
    if let Some(total) = policy.weights.printed {
        return printed_weights(project, total, user);
    }
    let mut weights = vec![Decimal::ZERO; project.indicators.len()];
    for cat in [
        Category::Output,
        Category::Cost,
        Category::Benefit,
        Category::Satisfaction,
    ] {
        let members: Vec<usize> = project
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| Category::of(i.level1, policy) == cat)
            .map(|(k, _)| k)
            .collect();
        let mut rest = cat.weight(policy);
        let mut free = Vec::new();
        for &k in &members {
            match user.get(&project.indicators[k].code) {
                Some(w) if *w < Decimal::ZERO => {
                    return Err(Error::Weight(format!(
                        "指标 {} 的权重为负 / indicator {} has a negative weight",
                        project.indicators[k].code, project.indicators[k].code
                    )))
                }
                Some(w) => {
                    weights[k] = *w;
                    rest = sub(rest, *w)?;
                }
                None => free.push(k),
            }
        }
        if rest < Decimal::ZERO {
            let (zh, en) = cat.labels();
            return Err(Error::Weight(format!(
                "{zh}的指标权重之和超过该类分值 {} / the weights of the {en} indicators exceed its {} points",
                cat.weight(policy),
                cat.weight(policy)
            )));
        }
        if free.is_empty() {
            continue;
        }
        for (&k, w) in free.iter().zip(split_equally(rest, free.len())?) {
            weights[k] = w;
        }
    }
    Ok(weights)
}

/// `total` split into `n` parts in whole cents, the first parts taking the odd cents.
fn split_equally(total: Decimal, n: usize) -> Result<Vec<Decimal>, Error> {
    let cents = mul(round2(total), Decimal::ONE_HUNDRED)?
        .trunc()
        .to_i64()
        .ok_or(Error::Overflow)?;
    let n = i64::try_from(n).map_err(|_| Error::Overflow)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    let (base, odd) = (cents / n, cents % n);
    (0..n)
        .map(|j| Ok(Decimal::new(base + i64::from(j < odd), 2)))
        .collect()
}

/// The 分值 of a scheme that scores each indicator by the weight its table prints: every
/// indicator must have one, none negative, and together they make the scheme's `total`; a table
/// that prints none shares `total` equally.
fn printed_weights(
    project: &Project,
    total: Decimal,
    user: &BTreeMap<String, Decimal>,
) -> Result<Vec<Decimal>, Error> {
    // A table that prints no 分值 (Hubei's prints 得分 only): the points shared equally.
    if user.is_empty() {
        return split_equally(total, project.indicators.len());
    }
    let mut weights = Vec::with_capacity(project.indicators.len());
    let mut sum = Decimal::ZERO;
    for ind in &project.indicators {
        let w = match user.get(&ind.code) {
            Some(w) if *w >= Decimal::ZERO => *w,
            Some(_) => {
                return Err(Error::Weight(format!(
                    "指标 {} 的权重为负 / indicator {} has a negative weight",
                    ind.code, ind.code
                )))
            }
            None => {
                return Err(Error::Weight(format!(
                    "指标 {} 没有所列权重：此评分办法按各指标所列的权重计分 / indicator {} has no weight printed: this scheme scores each indicator by its printed weight",
                    ind.code, ind.code
                )))
            }
        };
        sum = add(sum, w)?;
        weights.push(w);
    }
    if sum != total {
        return Err(Error::Weight(format!(
            "各指标所列权重之和为 {sum}，不是此评分办法的 {total} 分 / the printed weights add up to {sum}, not the scheme's {total} points"
        )));
    }
    Ok(weights)
}

/// Share (0–1) of the weight earned by one clause, and whether it is met.
pub fn clause_share(q: &Quantity, actual: Decimal) -> (Decimal, bool) {
    let t = q.value;
    let zero = Decimal::ZERO;
    let one = Decimal::ONE;
    let met = q.is_met_by(actual);
    let upward = |a: Decimal| -> Decimal {
        // actual ÷ target, within 0–1.
        div(a, t).map_or(zero, |r| r.clamp(zero, one))
    };
    let downward = |a: Decimal| -> Decimal {
        // 1 − (actual − target) ÷ target, within 0–1.
        match a.checked_sub(t).and_then(|over| div(over, t)) {
            Some(r) => one.checked_sub(r).map_or(zero, |s| s.clamp(zero, one)),
            None => zero,
        }
    };
    let share = match q.op {
        _ if met => one,
        Op::Eq if t <= zero => {
            if t.is_zero() && actual <= zero {
                one
            } else {
                zero
            }
        }
        _ if t <= zero => zero,
        Op::Ge | Op::Gt => upward(actual),
        Op::Le | Op::Lt => downward(actual),
        Op::Eq if actual < t => upward(actual),
        Op::Eq => downward(actual),
    };
    (share, met || share == one && q.op == Op::Eq)
}

/// True when a ≥ / > clause is exceeded by `percent` % of its target or more.
fn over_achieved(q: &Quantity, actual: Decimal, percent: Decimal) -> bool {
    q.op.is_upward()
        && q.value > Decimal::ZERO
        && q.value
            .checked_mul(pct(percent))
            .is_some_and(|limit| actual >= limit)
}

/// What scoring one indicator gives before weights.
struct Scored {
    share: Decimal,
    outcome: Outcome,
    actual: Option<IndicatorValue>,
    missing_parts: Vec<usize>,
    /// Current values that do not fit the target (with their period when recurring).
    misfits: Vec<Misfit>,
    /// The note of the current observations, latest first found.
    note: Option<String>,
}

fn deadline_share(done: Option<Completion>, due: NaiveDate, policy: &Policy) -> (Decimal, Outcome) {
    match done {
        Some(Completion::Done(c)) if c <= due => (Decimal::ONE, Outcome::Met),
        Some(Completion::Done(c))
            if (c - due).num_days() <= i64::from(policy.deadline.late_days) =>
        {
            (pct(policy.deadline.late_share), Outcome::Late)
        }
        Some(Completion::Done(_)) => (Decimal::ZERO, Outcome::Late),
        Some(Completion::NotDone) => (Decimal::ZERO, Outcome::NotMet),
        None => (Decimal::ZERO, Outcome::Missing),
    }
}

fn score_indicator(
    project: &Project,
    ind: &Indicator,
    obs: &[&Observation],
    policy: &Policy,
    opts: &EvaluateOptions,
) -> Result<Scored, Error> {
    if let Target::Deadline(Deadline::Recurring(rule)) = &ind.target {
        return score_recurring(project, rule, obs, policy, opts);
    }
    let cur = current(&ind.target, obs);
    let note = cur.iter().rev().find_map(|o| o.note.clone());
    let (fitting, unfit) = split_misfits(&ind.target, &cur);
    let mut scored = Scored {
        share: Decimal::ZERO,
        outcome: Outcome::Missing,
        actual: None,
        missing_parts: Vec::new(),
        misfits: unfit.iter().map(|o| Misfit::value(o)).collect(),
        note,
    };
    // The latest value does not fit the target any more: shown, not scored.
    if let Some(last) = unfit.last() {
        scored.outcome = Outcome::Unconfirmed;
        scored.actual = Some(IndicatorValue::Recorded {
            value: last.value.clone(),
        });
        return Ok(scored);
    }
    let obs = fitting.as_slice();
    match &ind.target {
        Target::Quantitative(_) | Target::Compound(_) => {
            let parts = ind.target.quantities();
            let values = clause_values(parts, obs);
            if values.iter().all(Option::is_none) || parts.is_empty() {
                return Ok(scored);
            }
            let mut sum = Decimal::ZERO;
            let mut all_met = true;
            let mut over = false;
            let mut shown = Vec::new();
            for (k, (q, v)) in parts.iter().zip(&values).enumerate() {
                match v {
                    Some(a) => {
                        let (s, met) = clause_share(q, *a);
                        sum = add(sum, s)?;
                        all_met &= met;
                        over |= over_achieved(q, *a, policy.deviation.over_achievement);
                        shown.push(Some(Measured::new(*a, q.unit.as_deref())));
                    }
                    None => {
                        all_met = false;
                        scored.missing_parts.push(k);
                        shown.push(None);
                    }
                }
            }
            let n = Decimal::from(parts.len());
            scored.share = div(sum, n).unwrap_or(Decimal::ZERO);
            scored.outcome = match (all_met, over) {
                (true, true) => Outcome::OverAchieved,
                (true, false) => Outcome::Met,
                (false, _) => Outcome::NotMet,
            };
            scored.actual = Some(IndicatorValue::Numbers { parts: shown });
        }
        Target::Deadline(Deadline::Date(due)) => {
            let done = latest_completion(obs);
            let (share, outcome) = deadline_share(done, *due, policy);
            scored.share = share;
            scored.outcome = outcome;
            scored.actual = done.map(|c| match c {
                Completion::Done(date) => IndicatorValue::Date { date },
                Completion::NotDone => IndicatorValue::Level {
                    level: Achievement::NotMet,
                },
            });
        }
        Target::Deadline(Deadline::Recurring(_)) => {}
        Target::Qualitative(_) => {
            let Some(level) = latest_level(obs) else {
                return Ok(scored);
            };
            let q = &policy.qualitative;
            let (default, band, outcome) = match level {
                Achievement::Met => (q.met, q.met_band, Outcome::Met),
                Achievement::Partly => (q.partly, q.partly_band, Outcome::Partly),
                Achievement::NotMet => (q.not_met, q.not_met_band, Outcome::NotMet),
            };
            let share = match opts.shares.get(&ind.code) {
                Some(s) if *s < band[0] || *s > band[1] => {
                    return Err(Error::ShareOutsideBand {
                        code: ind.code.clone(),
                        level: level.zh().to_string(),
                        share: s.to_string(),
                        low: band[0].to_string(),
                        high: band[1].to_string(),
                    })
                }
                Some(s) => *s,
                None => default,
            };
            scored.share = pct(share);
            scored.outcome = outcome;
            scored.actual = Some(IndicatorValue::Level { level });
        }
    }
    Ok(scored)
}

/// A recurring deadline, scored by 填报期间: each period's report (the last given for it) is
/// checked against that period's due date, whatever day it was reported on.
fn score_recurring(
    project: &Project,
    rule: &jixiao_model::Recurrence,
    obs: &[&Observation],
    policy: &Policy,
    opts: &EvaluateOptions,
) -> Result<Scored, Error> {
    let mut misfits = Vec::new();
    // (period, observation), in the order given; values whose period spans several of the
    // rule's periods, or that are not completion dates, cannot be scored.
    let mut keyed: Vec<(ReportPeriod, &Observation)> = Vec::new();
    for o in obs {
        match within_period(&o.period, rule.period) {
            Some(p) => keyed.push((p, o)),
            None => misfits.push(Misfit::in_period(o.period, o)),
        }
    }
    let mut sum = Decimal::ZERO;
    let mut counted = 0u32;
    let mut on_time = 0u32;
    let mut reported = 0u32;
    let mut worst = Outcome::Met;
    let mut note = None;
    for p in due_periods(rule, project.start, project.end) {
        let key = ReportPeriod::containing(p.start, rule.period);
        let report = keyed.iter().rev().find(|(k, _)| *k == key).map(|(_, o)| *o);
        if let Some(o) = report {
            if o.note.is_some() {
                note.clone_from(&o.note);
            }
        }
        let unfit = report.filter(|o| !fits_deadline(&o.value));
        if let Some(o) = unfit {
            misfits.push(Misfit::in_period(key, o));
        }
        let done = report.and_then(|o| latest_completion(&[o]));
        let not_due = opts.as_of.is_some_and(|d| p.due > d);
        if not_due && !matches!(done, Some(Completion::Done(_))) {
            continue;
        }
        counted += 1;
        if unfit.is_some() {
            reported += 1;
            worst = Outcome::Unconfirmed;
            continue;
        }
        let (s, o) = deadline_share(done, p.due, policy);
        sum = add(sum, s)?;
        if done.is_some() {
            reported += 1;
        }
        if o == Outcome::Met {
            on_time += 1;
        } else if worst != Outcome::Unconfirmed {
            if o != Outcome::Late {
                worst = Outcome::NotMet;
            } else if worst == Outcome::Met {
                worst = Outcome::Late;
            }
        }
    }
    let mut scored = Scored {
        share: Decimal::ZERO,
        outcome: Outcome::Missing,
        actual: None,
        missing_parts: Vec::new(),
        misfits,
        note,
    };
    if reported == 0 {
        if !scored.misfits.is_empty() {
            scored.outcome = Outcome::Unconfirmed;
        }
        return Ok(scored);
    }
    scored.share = div(sum, Decimal::from(counted)).unwrap_or(Decimal::ZERO);
    scored.outcome = worst;
    scored.actual = Some(IndicatorValue::Periods {
        on_time,
        of: counted,
    });
    Ok(scored)
}

fn fits_deadline(v: &ObservedValue) -> bool {
    matches!(
        v,
        ObservedValue::Date { .. }
            | ObservedValue::Level {
                level: Achievement::NotMet
            }
    )
}

/// Scores a project: the [`SelfEvaluation`] behind the 自评表.
///
/// `observations` may hold other indicators' or other projects' rows only if their codes do not
/// collide; pass the project's own. `spending` is the project's 执行数.
pub fn evaluate(
    project: &Project,
    observations: &[Observation],
    spending: &[SpendingRecord],
    policy: &Policy,
    opts: &EvaluateOptions,
) -> Result<SelfEvaluation, Error> {
    for code in opts.shares.keys().chain(opts.deviation_reasons.keys()) {
        if project.indicator(code).is_none() {
            return Err(Error::UnknownCode { code: code.clone() });
        }
    }
    let weights = indicator_weights(project, policy, &opts.weights)?;
    let (adjustment, mut initials) = initial_targets(opts.initial.as_ref(), project);
    let mut flags = Vec::new();
    let mut rows = Vec::with_capacity(project.indicators.len());
    let mut counts = OutcomeCounts::default();
    let mut total = Decimal::ZERO;

    for ((ind, weight), initial) in project
        .indicators
        .iter()
        .zip(weights)
        .zip(initials.drain(..))
    {
        let obs = observations_of(&ind.code, observations, opts.as_of);
        let s = score_indicator(project, ind, &obs, policy, opts)?;
        let weight = fix2(weight);
        let score = fix2(mul(s.share, weight)?);
        total = add(total, score)?;
        counts.indicators += 1;
        match s.outcome {
            Outcome::Met | Outcome::OverAchieved => counts.met += 1,
            Outcome::Partly | Outcome::Late => counts.partly += 1,
            Outcome::NotMet => counts.not_met += 1,
            Outcome::Missing => counts.missing += 1,
            Outcome::Unconfirmed => counts.unconfirmed += 1,
        }
        let required =
            score < weight || !matches!(s.outcome, Outcome::Met) || !s.missing_parts.is_empty();
        let reason = opts.deviation_reasons.get(&ind.code).cloned().or_else(|| {
            if required {
                s.note.clone()
            } else {
                None
            }
        });
        if !s.misfits.is_empty() {
            flags.push(Flag::kind_changed(
                &ind.code, &ind.name, &ind.raw, &s.misfits,
            ));
        }
        if s.outcome == Outcome::Missing {
            flags.push(flag(
                FlagKind::MissingActual,
                ind,
                format!("指标 {}「{}」没有实际完成值，得 0 分", ind.code, ind.name),
                format!(
                    "indicator {} {} has no actual value and scores 0",
                    ind.code,
                    present::quoted(&ind.name)
                ),
            ));
        }
        if !s.missing_parts.is_empty() {
            let parts: Vec<String> = s
                .missing_parts
                .iter()
                .map(|k| (k + 1).to_string())
                .collect();
            flags.push(flag(
                FlagKind::MissingPart,
                ind,
                format!(
                    "指标 {} 的第 {} 项没有实际完成值",
                    ind.code,
                    parts.join("、")
                ),
                format!(
                    "indicator {}: part {} has no actual value",
                    ind.code,
                    parts.join(", ")
                ),
            ));
        }
        if required && reason.is_none() {
            flags.push(flag(
                FlagKind::MissingDeviationReason,
                ind,
                format!(
                    "指标 {}「{}」需要填写偏差原因分析及改进措施",
                    ind.code, ind.name
                ),
                format!(
                    "indicator {} {} needs a deviation reason and remedy",
                    ind.code,
                    present::quoted(&ind.name)
                ),
            ));
        }
        rows.push(IndicatorScore {
            code: ind.code.clone(),
            level1: ind.level1,
            level2: ind.level2.clone(),
            name: ind.name.clone(),
            target: ind.raw.clone(),
            actual: s.actual,
            weight,
            score,
            outcome: s.outcome,
            deviation_reason: reason,
            deviation_required: required,
            initial,
            core: ind.core,
        });
    }

    for cat in [
        Category::Output,
        Category::Cost,
        Category::Benefit,
        Category::Satisfaction,
    ] {
        let w = cat.weight(policy);
        let has = project
            .indicators
            .iter()
            .any(|i| Category::of(i.level1, policy) == cat);
        if w > Decimal::ZERO && !has {
            let (zh, en) = cat.labels();
            flags.push(Flag {
                kind: FlagKind::EmptyCategory,
                code: None,
                message_zh: format!("项目没有{zh}，该类 {w} 分无法取得"),
                message_en: format!(
                    "the project has no {en} indicators; their {w} points cannot be earned"
                ),
            });
        }
    }

    let budget = budget_score(project, spending, policy, opts)?;
    if budget.spent > budget.annual {
        flags.push(Flag::over_budget(
            budget.spent,
            budget.annual,
            budget.execution_rate,
            Some(budget.weight),
        ));
    }
    total = add(total, budget.score)?;
    let g = &policy.grades;
    let grade = if total >= g.excellent {
        Grade::Excellent
    } else if total >= g.good {
        Grade::Good
    } else if total >= g.fair {
        Grade::Fair
    } else {
        Grade::Poor
    };
    Ok(SelfEvaluation {
        format: EVALUATION_FORMAT.to_string(),
        project: project.name.clone(),
        year: project.year,
        department: project.department.clone(),
        unit: project.unit.clone(),
        budget,
        goals: Goals {
            expected: project.annual_goal.clone(),
            achieved: opts.achieved.clone(),
            summary: counts,
        },
        indicators: rows,
        total: fix2(total),
        grade,
        flags,
        adjustment,
        department_wide: DepartmentPart::of(project),
    })
}

fn flag(kind: FlagKind, ind: &Indicator, zh: String, en: String) -> Flag {
    Flag {
        kind,
        code: Some(ind.code.clone()),
        message_zh: zh,
        message_en: en,
    }
}

/// Sum of the spending up to `as_of`.
pub(crate) fn spent_to(
    spending: &[SpendingRecord],
    as_of: Option<NaiveDate>,
) -> Result<Decimal, Error> {
    spending
        .iter()
        .filter(|r| as_of.is_none_or(|d| r.date <= d))
        .try_fold(Decimal::ZERO, |acc, r| add(acc, r.amount))
}

fn budget_score(
    project: &Project,
    spending: &[SpendingRecord],
    policy: &Policy,
    opts: &EvaluateOptions,
) -> Result<BudgetScore, Error> {
    // 年初预算数: the first approved version's when the declaration was adjusted.
    let initial = opts
        .initial
        .as_ref()
        .map_or(project.funds.total, |i| i.funds.total);
    let annual = opts.budget.unwrap_or(project.funds.total);
    if annual <= Decimal::ZERO {
        return Err(Error::ZeroBudget {
            project: project.name.clone(),
            budget: annual.to_string(),
        });
    }
    let spent = spent_to(spending, opts.as_of)?;
    let rate = div(spent, annual).ok_or(Error::Overflow)?;
    let weight = policy.weights.budget;
    let weight = fix2(weight);
    let score = fix2(mul(rate.clamp(Decimal::ZERO, Decimal::ONE), weight)?);
    Ok(BudgetScore {
        initial,
        annual,
        spent,
        weight,
        execution_rate: fix2(mul(rate, Decimal::ONE_HUNDRED)?),
        score,
    })
}
