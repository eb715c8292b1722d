//! 成本预算绩效 — cost per output (沪府办发〔2023〕16号): the money of a sub-task divided by
//! each of its quantitative outputs (元/公里, 元/人次 …), compared across units doing the same
//! work.
//!
//! Rules:
//! - **Funds of a sub-task (子任务).** As the form allocates them: a 成本指标 (一级 成本, or the
//!   older 二级 成本指标 under 产出) whose target is one amount in 元 or 万元 with `≤`, `<` or `=`
//!   and that names exactly one sub-task (`1. 车辆购置成本 ≤300000(元)`) is that sub-task's
//!   allocation (several for one sub-task add up). The sub-tasks without one share what is left
//!   of the 年度资金申请总额 (never below 0) equally, in whole 分 (the first take the odd 分,
//!   so the shares add up to the rest exactly), and every figure so found says so
//!   ([`FundsBasis::Shared`]). A cost indicator naming several sub-tasks is not an allocation.
//! - **Outputs.** 数量指标 with one quantitative clause, a unit that is neither a percentage
//!   nor money, and a value above 0. An output naming sub-tasks is paid by their funds (added
//!   up); one naming none — and every output of a declaration without sub-tasks — by the whole
//!   年度资金申请总额 ([`FundsBasis::Whole`]). A declaration without such an output has no
//!   figure ([`CostReport::without_output`]).
//! - **Cost per output** = funds ÷ quantity in 元 per the output's unit, rounded half away from
//!   zero (四舍五入) to 分 ([`ROUNDING_ZH`]); the funds themselves are exact.
//! - **Compared** ([`CostComparison`]): outputs with the same normalised name
//!   ([`jixiao_model::normalize_name`]) **and** the same unit, from at least two 实施单位; the
//!   widest spread first. The same name in different units is not compared; [`UnitMismatch`]
//!   says so.

use std::collections::BTreeMap;

use jixiao_model::{normalize_name, Decimal, Level1, Level2, Op, Project, Target};
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

/// How the rounding of a cost per output is stated wherever it is shown.
pub const ROUNDING_ZH: &str = "单位产出成本 = 资金 ÷ 产出数量，四舍五入到分（0.01 元）";
/// [`ROUNDING_ZH`] in English.
pub const ROUNDING_EN: &str =
    "cost per output = funds ÷ quantity, rounded half away from zero to the fen (0.01 yuan)";

/// Where the funds behind a cost per output come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FundsBasis {
    /// The form allocates them: the 成本指标 of the sub-tasks named.
    Allocated,
    /// The form does not allocate (all of) them: what is left of the declaration's funds,
    /// shared equally over the `over` sub-tasks without an allocation.
    Shared {
        /// The money shared, in 元.
        rest: Decimal,
        /// Over how many sub-tasks.
        over: u32,
    },
    /// The whole 年度资金申请总额: the declaration has no sub-tasks, or the output names none.
    Whole,
}

impl FundsBasis {
    /// The note shown beside the figure.
    pub fn note(&self, lang: jixiao_model::Lang) -> String {
        use jixiao_model::present;
        match (self, lang) {
            (FundsBasis::Allocated, jixiao_model::Lang::Zh) => "按申报表成本指标分配的子任务资金".into(),
            (FundsBasis::Allocated, _) => "the sub-task funds the form's cost indicators allocate".into(),
            (FundsBasis::Shared { rest, over }, jixiao_model::Lang::Zh) => format!(
                "申报表未按子任务分配资金：{} 元按 {over} 个子任务平均分摊（按分取整）",
                present::amount(*rest)
            ),
            (FundsBasis::Shared { rest, over }, _) => format!(
                "the form does not allocate funds to sub-tasks: {} yuan shared equally over {over} sub-task(s), in whole fen",
                present::amount(*rest)
            ),
            (FundsBasis::Whole, jixiao_model::Lang::Zh) => "按项目年度资金总额计（未分子任务）".into(),
            (FundsBasis::Whole, _) => "the declaration's whole annual funds (no sub-task named)".into(),
        }
    }
}

/// One sub-task's funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFunds {
    /// 子任务编号.
    pub no: u32,
    /// Its funds, in 元.
    pub funds: Decimal,
    /// Allocated by the form, or shared.
    pub basis: FundsBasis,
}

/// The cost per output of one quantitative output of one declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostPerOutput {
    /// The declaration's stable id, when stored.
    pub declaration_id: Option<i64>,
    /// 项目名称.
    pub project: String,
    /// 实施单位.
    pub unit: String,
    /// 主管部门.
    pub department: Option<String>,
    /// Indicator code.
    pub code: String,
    /// 三级指标 as written.
    pub indicator: String,
    /// The normalised name it is compared by.
    pub key: String,
    /// The sub-tasks whose funds pay for it (empty: the whole declaration).
    pub tasks: Vec<u32>,
    /// Those funds, in 元 (exact).
    pub funds: Decimal,
    /// Where the funds come from.
    pub basis: FundsBasis,
    /// The output's target quantity.
    pub quantity: Decimal,
    /// Its unit (`公里`).
    pub measure: String,
    /// 元 per `measure`, rounded half away from zero to 分.
    pub cost: Decimal,
}

impl CostPerOutput {
    /// The unit of the figure: `元/公里`.
    pub fn per(&self) -> String {
        format!("元/{}", self.measure)
    }
}

/// The same output (name and unit) of several 实施单位 side by side, cheapest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostComparison {
    /// The normalised name.
    pub key: String,
    /// The unit of the output (`公里`).
    pub measure: String,
    /// The figures, cheapest first (then by unit and project).
    pub entries: Vec<ComparedCost>,
}

impl CostComparison {
    /// The unit of the figures: `元/公里`.
    pub fn per(&self) -> String {
        format!("元/{}", self.measure)
    }
}

/// One figure of a [`CostComparison`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedCost {
    /// 实施单位.
    pub unit: String,
    /// 项目名称.
    pub project: String,
    /// 三级指标 as written.
    pub indicator: String,
    /// 元 per unit of output (rounded to 分).
    pub cost: Decimal,
    /// `cost` ÷ the cheapest in percent, rounded half away from zero to 2 decimals (100.00 for
    /// the cheapest); `None` when the cheapest is 0.
    pub of_lowest: Option<Decimal>,
    /// Where the funds come from.
    pub basis: FundsBasis,
}

/// One name written with different units by different declarations: not compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitMismatch {
    /// The normalised name.
    pub key: String,
    /// The units, sorted.
    pub measures: Vec<String>,
}

/// Cost per output of a selection of declarations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostReport {
    /// Every figure, in declaration then form order.
    pub items: Vec<CostPerOutput>,
    /// Outputs of at least two 实施单位 compared.
    pub comparisons: Vec<CostComparison>,
    /// Names whose units differ: not compared.
    pub mismatches: Vec<UnitMismatch>,
    /// 项目名称 of the declarations without a quantitative output (no figure).
    pub without_output: Vec<String>,
}

fn round_fen(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// An amount of money in 元 from a clause's value and unit (`万元` × 10,000); `None` when the
/// unit is not money.
fn money(value: Decimal, unit: Option<&str>) -> Option<Decimal> {
    match unit.map(str::trim) {
        Some("元") => Some(value),
        Some("万元") => value.checked_mul(Decimal::from(10_000)),
        _ => None,
    }
}

fn is_cost(level1: Level1, level2: &Level2) -> bool {
    level1 == Level1::Cost || *level2 == Level2::OutputCost
}

/// `rest` shared over `n` parts in whole 分, the first parts taking the odd 分.
fn shares(rest: Decimal, n: u32) -> Vec<Decimal> {
    if n == 0 {
        return Vec::new();
    }
    let fen = (rest * Decimal::ONE_HUNDRED).trunc();
    let n_dec = Decimal::from(n);
    let base = (fen / n_dec).trunc();
    let odd = fen - base * n_dec;
    (0..n)
        .map(|k| {
            let extra = if Decimal::from(k) < odd {
                Decimal::ONE
            } else {
                Decimal::ZERO
            };
            (base + extra) / Decimal::ONE_HUNDRED
        })
        .collect()
}

/// The funds of each sub-task of `p`, as the form allocates them or shared (see the module
/// documentation). Empty for a declaration without sub-tasks.
pub fn task_funds(p: &Project) -> Vec<TaskFunds> {
    let mut allocated: BTreeMap<u32, Decimal> = BTreeMap::new();
    for i in &p.indicators {
        let (true, [no], Target::Quantitative(q)) =
            (is_cost(i.level1, &i.level2), i.tasks.as_slice(), &i.target)
        else {
            continue;
        };
        if !matches!(q.op, Op::Le | Op::Lt | Op::Eq) || p.task(*no).is_none() {
            continue;
        }
        if let Some(m) = money(q.value, q.unit.as_deref()) {
            let e = allocated.entry(*no).or_insert(Decimal::ZERO);
            *e = e.checked_add(m).unwrap_or(*e);
        }
    }
    let used = allocated
        .values()
        .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
        .unwrap_or(Decimal::MAX);
    let rest = (p.funds.total - used.min(p.funds.total)).max(Decimal::ZERO);
    let unallocated: Vec<u32> = p
        .tasks
        .iter()
        .map(|t| t.no)
        .filter(|no| !allocated.contains_key(no))
        .collect();
    let over = u32::try_from(unallocated.len()).unwrap_or(u32::MAX);
    let mut shared = shares(rest, over).into_iter();
    p.tasks
        .iter()
        .map(|t| match allocated.get(&t.no) {
            Some(m) => TaskFunds {
                no: t.no,
                funds: *m,
                basis: FundsBasis::Allocated,
            },
            None => TaskFunds {
                no: t.no,
                funds: shared.next().unwrap_or(Decimal::ZERO),
                basis: FundsBasis::Shared { rest, over },
            },
        })
        .collect()
}

/// The cost per output of every quantitative output of `p` (see the module documentation).
pub fn cost_per_output(p: &Project) -> Vec<CostPerOutput> {
    let funds = task_funds(p);
    let mut out = Vec::new();
    for i in &p.indicators {
        let Target::Quantitative(q) = &i.target else {
            continue;
        };
        let Some(measure) = q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) else {
            continue;
        };
        if i.level2 != Level2::Quantity
            || q.is_percent()
            || money(q.value, Some(measure)).is_some()
            || q.value <= Decimal::ZERO
        {
            continue;
        }
        let named: Vec<&TaskFunds> = funds.iter().filter(|t| i.tasks.contains(&t.no)).collect();
        let (tasks, total, basis) = if named.is_empty() {
            (Vec::new(), p.funds.total, FundsBasis::Whole)
        } else {
            let sum = named
                .iter()
                .try_fold(Decimal::ZERO, |a, t| a.checked_add(t.funds));
            let Some(sum) = sum else { continue };
            let basis = named
                .iter()
                .find(|t| t.basis != FundsBasis::Allocated)
                .map_or(FundsBasis::Allocated, |t| t.basis.clone());
            (named.iter().map(|t| t.no).collect(), sum, basis)
        };
        let Some(cost) = total.checked_div(q.value) else {
            continue;
        };
        out.push(CostPerOutput {
            declaration_id: p.id,
            project: p.name.clone(),
            unit: p.unit.clone(),
            department: p.department.clone(),
            code: i.code.clone(),
            indicator: i.name.clone(),
            key: normalize_name(&i.name),
            tasks,
            funds: total,
            basis,
            quantity: q.value,
            measure: measure.to_string(),
            cost: round_fen(cost),
        });
    }
    out
}

/// Cost per output of several declarations, with the comparisons across units.
pub fn cost_report(projects: &[Project]) -> CostReport {
    let mut report = CostReport::default();
    for p in projects {
        let items = cost_per_output(p);
        if items.is_empty() {
            report.without_output.push(p.name.clone());
        }
        report.items.extend(items);
    }
    // Group by name, then by unit of output.
    let mut by_key: BTreeMap<&str, BTreeMap<&str, Vec<&CostPerOutput>>> = BTreeMap::new();
    for c in &report.items {
        by_key
            .entry(c.key.as_str())
            .or_default()
            .entry(c.measure.as_str())
            .or_default()
            .push(c);
    }
    let mut comparisons = Vec::new();
    let mut mismatches = Vec::new();
    for (key, measures) in &by_key {
        if measures.len() > 1 {
            mismatches.push(UnitMismatch {
                key: (*key).to_string(),
                measures: measures.keys().map(|m| (*m).to_string()).collect(),
            });
        }
        for (measure, items) in measures {
            let mut units: Vec<&str> = items.iter().map(|c| c.unit.as_str()).collect();
            units.sort_unstable();
            units.dedup();
            if units.len() < 2 {
                continue;
            }
            let mut sorted = items.clone();
            sorted
                .sort_by(|a, b| (a.cost, &a.unit, &a.project).cmp(&(b.cost, &b.unit, &b.project)));
            let lowest = sorted.first().map_or(Decimal::ZERO, |c| c.cost);
            let entries = sorted
                .iter()
                .map(|c| ComparedCost {
                    unit: c.unit.clone(),
                    project: c.project.clone(),
                    indicator: c.indicator.clone(),
                    cost: c.cost,
                    of_lowest: (c.cost * Decimal::ONE_HUNDRED)
                        .checked_div(lowest)
                        .filter(|_| !lowest.is_zero())
                        .map(round_fen),
                    basis: c.basis.clone(),
                })
                .collect();
            comparisons.push(CostComparison {
                key: (*key).to_string(),
                measure: (*measure).to_string(),
                entries,
            });
        }
    }
    // The widest spread first (the comparisons worth a look), else by name.
    comparisons
        .sort_by_key(|c| std::cmp::Reverse(c.entries.iter().filter_map(|e| e.of_lowest).max()));
    report.comparisons = comparisons;
    report.mismatches = mismatches;
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Funds, Indicator, NaiveDate, Task};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn ind(level1: Level1, level2: Level2, tasks: &[u32], name: &str, raw: &str) -> Indicator {
        Indicator {
            id: None,
            code: String::new(),
            level1,
            level2,
            name: name.into(),
            tasks: tasks.to_vec(),
            raw: raw.into(),
            line: None,
            target: Target::parse(raw).unwrap_or(Target::Qualitative(raw.into())),
            library: None,
            core: false,
        }
    }

    fn output(tasks: &[u32], name: &str, raw: &str) -> Indicator {
        ind(Level1::Output, Level2::Quantity, tasks, name, raw)
    }

    fn cost(tasks: &[u32], name: &str, raw: &str) -> Indicator {
        ind(Level1::Cost, Level2::EconomicCost, tasks, name, raw)
    }

    fn project(unit: &str, total: &str, tasks: u32, indicators: Vec<Indicator>) -> Project {
        let day = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap();
        let mut p = Project {
            id: None,
            year: 2024,
            name: format!("{unit}的项目"),
            nature: None,
            category: None,
            department: Some("上海市生态环境局".into()),
            unit: unit.into(),
            start: day(1),
            end: day(12),
            funds: Funds {
                total: d(total),
                fiscal: d(total),
                carryover: Decimal::ZERO,
                other: Decimal::ZERO,
            },
            project_funds: None,
            overall_goal: String::new(),
            annual_goal: String::new(),
            tasks: (1..=tasks)
                .map(|no| Task {
                    no,
                    area: None,
                    title: format!("子任务{no}"),
                    description: String::new(),
                    funds: None,
                })
                .collect(),
            indicators,
            department_targets: None,
        };
        p.assign_codes();
        p
    }

    #[test]
    fn allocated_funds_divide_by_their_outputs() {
        let p = project(
            "甲单位",
            "500000",
            2,
            vec![
                output(&[1], "行驶公里数", "≥15000.00(公里)"),
                output(&[2], "培训人次", "≥400(人次)"),
                cost(&[1], "车辆运行成本", "≤30(万元)"),
                cost(&[2], "培训成本", "≤200000(元)"),
            ],
        );
        let f = task_funds(&p);
        assert_eq!(f[0].funds, d("300000"));
        assert_eq!(f[1].funds, d("200000"));
        assert!(f.iter().all(|t| t.basis == FundsBasis::Allocated));
        let c = cost_per_output(&p);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].cost, c[0].per()), (d("20.00"), "元/公里".to_string()));
        assert_eq!(c[0].tasks, vec![1]);
        assert_eq!(c[1].cost, d("500.00"));
        assert_eq!(c[1].basis, FundsBasis::Allocated);
    }

    #[test]
    fn unallocated_funds_are_shared_in_whole_fen_with_a_note() {
        // 100,000.00 over 3 sub-tasks: 33,333.34 + 33,333.33 + 33,333.33.
        let p = project(
            "乙单位",
            "100000",
            3,
            vec![
                output(&[1], "行驶公里数", "≥3000(公里)"),
                output(&[2], "检查企业数", "=7(家)"),
                output(&[], "服务人次", "≥100(人次)"),
            ],
        );
        let f = task_funds(&p);
        let funds: Vec<Decimal> = f.iter().map(|t| t.funds).collect();
        assert_eq!(funds, vec![d("33333.34"), d("33333.33"), d("33333.33")]);
        assert_eq!(funds.iter().sum::<Decimal>(), d("100000"));
        let c = cost_per_output(&p);
        assert_eq!(
            c[0].basis,
            FundsBasis::Shared {
                rest: d("100000"),
                over: 3
            }
        );
        // 33,333.34 ÷ 3000 = 11.11111… → 11.11 (四舍五入到分).
        assert_eq!(c[0].cost, d("11.11"));
        // 33,333.33 ÷ 7 = 4761.904… → 4761.90.
        assert_eq!(c[1].cost, d("4761.90"));
        // No sub-task named: the whole declaration's funds.
        assert_eq!(
            (c[2].basis.clone(), c[2].funds),
            (FundsBasis::Whole, d("100000"))
        );
        assert!(c[0]
            .basis
            .note(jixiao_model::Lang::Zh)
            .contains("未按子任务分配资金：100,000.00 元按 3 个子任务平均分摊"));
    }

    #[test]
    fn a_partial_allocation_shares_the_rest() {
        let p = project(
            "丙单位",
            "100000",
            3,
            vec![
                cost(&[1], "设备成本", "≤40000(元)"),
                // Several sub-tasks: not an allocation.
                cost(&[2, 3], "运维成本", "≤10000(元)"),
                output(&[2, 3], "巡检次数", "=12(次)"),
            ],
        );
        let f = task_funds(&p);
        assert_eq!(f[0].funds, d("40000"));
        assert_eq!((f[1].funds, f[2].funds), (d("30000.00"), d("30000.00")));
        let c = cost_per_output(&p);
        // Both shared sub-tasks pay for it: 60,000 ÷ 12.
        assert_eq!((c[0].funds, c[0].cost), (d("60000.00"), d("5000.00")));
    }

    #[test]
    fn no_quantitative_output_has_no_figure() {
        let p = project(
            "丁单位",
            "360000",
            0,
            vec![
                output(&[], "行驶安全性", "无违章无事故"),
                output(&[], "覆盖率", "≥95(%)"),
                ind(Level1::Output, Level2::Quality, &[], "合格数", "≥10(台)"),
                output(&[], "无数量", "≥0(台)"),
            ],
        );
        assert!(cost_per_output(&p).is_empty());
        let r = cost_report(&[p]);
        assert!(r.items.is_empty());
        assert_eq!(r.without_output, vec!["丁单位的项目".to_string()]);
    }

    #[test]
    fn same_work_is_compared_across_units_and_a_unit_mismatch_is_not() {
        let a = project(
            "甲单位",
            "360000",
            0,
            vec![output(&[], "行驶公里数", "≥15000.00(公里)")],
        );
        let b = project(
            "乙单位",
            "300000",
            0,
            vec![output(&[], "1. 行驶公里数。", "≥10000(公里)")],
        );
        let c = project(
            "丙单位",
            "200000",
            0,
            vec![output(&[], "行驶公里数", "≥8000(千米)")],
        );
        let r = cost_report(&[a, b, c]);
        assert_eq!(r.items.len(), 3);
        assert_eq!(r.comparisons.len(), 1);
        let cmp = &r.comparisons[0];
        assert_eq!(
            (cmp.key.as_str(), cmp.per()),
            ("行驶公里数", "元/公里".to_string())
        );
        let got: Vec<(&str, Decimal, Option<Decimal>)> = cmp
            .entries
            .iter()
            .map(|e| (e.unit.as_str(), e.cost, e.of_lowest))
            .collect();
        assert_eq!(
            got,
            vec![
                ("甲单位", d("24.00"), Some(d("100.00"))),
                ("乙单位", d("30.00"), Some(d("125.00"))),
            ]
        );
        assert_eq!(
            r.mismatches,
            vec![UnitMismatch {
                key: "行驶公里数".into(),
                measures: vec!["公里".into(), "千米".into()]
            }]
        );
    }

    #[test]
    fn one_unit_alone_is_not_a_comparison() {
        let a = project(
            "甲单位",
            "360000",
            0,
            vec![output(&[], "行驶公里数", "≥15000(公里)")],
        );
        let mut b = a.clone();
        b.name = "另一个项目".into();
        assert!(cost_report(&[a, b]).comparisons.is_empty());
    }
}
