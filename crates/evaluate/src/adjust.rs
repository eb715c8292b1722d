//! 年初 / 调整 — what an adjustment (调整) of an approved declaration changed, as the official
//! 自评表 and 监控表 of several provinces print it: 年初指标值 beside 调整后指标值 for each
//! indicator, and 年初预算数 beside 全年（调整）预算数.
//!
//! 年初 is the first approved version of a declaration, 调整 the approved version scored now
//! (the caller passes the first as [`crate::EvaluateOptions::initial`] /
//! [`crate::MonitorOptions::initial`]). An indicator is matched to its 年初 self by its stable
//! id, else (a form without ids) by 二级指标 and normalised name; a target is unchanged when it
//! reads the same (`≥15000(公里)` is `≥15000.00(公里)`) or is written the same. Nothing changed
//! — same 年度资金申请总额, same targets, same indicators — is no adjustment: the tables keep
//! their one-column layout.

use jixiao_model::{normalize_name, Decimal, Indicator, Project};
use serde::{Deserialize, Serialize};

/// What an approved declaration's adjustment changed (the 年初 columns of the tables).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// 年初预算数 — the 年度资金申请总额 of the first approved version, in 元.
    pub initial_budget: Decimal,
    /// 调整后预算数 — the 年度资金申请总额 of the adjusted (approved) version, in 元.
    pub adjusted_budget: Decimal,
    /// Indicators of the first approved version that the adjustment removed, in form order.
    pub removed: Vec<RemovedIndicator>,
}

/// An indicator that the adjustment removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedIndicator {
    /// 三级指标.
    pub name: String,
    /// 年初指标值 as written.
    pub target: String,
}

/// 年初指标值 of one indicator of an adjusted declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InitialTarget {
    /// The adjustment left the target as it was (年初 = 调整后).
    Unchanged,
    /// The first approved version set this target (as written); the row's target is the
    /// adjusted one.
    Changed {
        /// 年初指标值 as written.
        target: String,
    },
    /// The adjustment added the indicator: it had no 年初指标值.
    Added,
}

impl InitialTarget {
    /// 年初指标值 as written, given the row's 调整后指标值; `None` for an added indicator.
    pub fn text<'a>(&'a self, adjusted: &'a str) -> Option<&'a str> {
        match self {
            InitialTarget::Unchanged => Some(adjusted),
            InitialTarget::Changed { target } => Some(target),
            InitialTarget::Added => None,
        }
    }

    /// What a table writes in the 年初指标值 cell: the target, or `（调整新增）`.
    pub fn cell<'a>(&'a self, adjusted: &'a str) -> &'a str {
        self.text(adjusted).unwrap_or(ADDED_ZH)
    }

    /// True when the adjustment changed or added the indicator.
    pub fn is_changed(&self) -> bool {
        !matches!(self, InitialTarget::Unchanged)
    }
}

/// The 年初指标值 cell of a row whose 调整后指标值 is `target`: its [`InitialTarget::cell`], or the
/// target itself where the row carries none.
pub fn initial_cell<'a>(initial: &'a Option<InitialTarget>, target: &'a str) -> &'a str {
    initial.as_ref().map_or(target, |x| x.cell(target))
}

/// The 年初指标值 cell of an indicator the adjustment added.
pub const ADDED_ZH: &str = "（调整新增）";

/// The 年初 indicator of `i` in `initial`: same stable id, else same 二级 and normalised name.
fn counterpart<'a>(initial: &'a Project, i: &Indicator) -> Option<&'a Indicator> {
    if let Some(id) = i.id {
        if let Some(hit) = initial.indicators.iter().find(|x| x.id == Some(id)) {
            return Some(hit);
        }
    }
    let name = normalize_name(&i.name);
    initial
        .indicators
        .iter()
        .find(|x| x.level2 == i.level2 && normalize_name(&x.name) == name)
}

/// 年初指标值 of `i` (an indicator of the adjusted version) against the first approved version.
pub fn initial_target(initial: &Project, i: &Indicator) -> InitialTarget {
    match counterpart(initial, i) {
        None => InitialTarget::Added,
        Some(x) if x.target == i.target || x.raw.trim() == i.raw.trim() => InitialTarget::Unchanged,
        Some(x) => InitialTarget::Changed {
            target: x.raw.clone(),
        },
    }
}

/// What the adjustment from `initial` (the first approved version) to `adjusted` changed;
/// `None` when nothing did (the tables keep their one-column layout).
pub fn adjustment(initial: &Project, adjusted: &Project) -> Option<Adjustment> {
    let removed: Vec<RemovedIndicator> = initial
        .indicators
        .iter()
        .filter(|x| {
            !adjusted
                .indicators
                .iter()
                .any(|i| counterpart(initial, i).is_some_and(|c| std::ptr::eq(c, *x)))
        })
        .map(|x| RemovedIndicator {
            name: x.name.clone(),
            target: x.raw.clone(),
        })
        .collect();
    let changed = adjusted
        .indicators
        .iter()
        .any(|i| initial_target(initial, i).is_changed());
    if !changed && removed.is_empty() && initial.funds.total == adjusted.funds.total {
        return None;
    }
    Some(Adjustment {
        initial_budget: initial.funds.total,
        adjusted_budget: adjusted.funds.total,
        removed,
    })
}

/// The 年初指标值 of every indicator of `adjusted`, in form order, when the adjustment changed
/// anything (else `None` each).
pub(crate) fn initial_targets(
    initial: Option<&Project>,
    adjusted: &Project,
) -> (Option<Adjustment>, Vec<Option<InitialTarget>>) {
    match initial.and_then(|i| adjustment(i, adjusted).map(|a| (i, a))) {
        Some((i, a)) => (
            Some(a),
            adjusted
                .indicators
                .iter()
                .map(|x| Some(initial_target(i, x)))
                .collect(),
        ),
        None => (None, vec![None; adjusted.indicators.len()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Funds, Level1, Level2, NaiveDate, Target};

    fn ind(id: Option<i64>, name: &str, raw: &str) -> Indicator {
        Indicator {
            id,
            code: String::new(),
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: name.into(),
            tasks: Vec::new(),
            raw: raw.into(),
            line: None,
            target: Target::parse(raw).unwrap_or(Target::Qualitative(raw.into())),
            library: None,
            core: false,
        }
    }

    fn project(total: i64, indicators: Vec<Indicator>) -> Project {
        let d = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap();
        let mut p = Project {
            id: Some(1),
            year: 2024,
            name: "交通工具购置及更新".into(),
            nature: None,
            category: None,
            department: None,
            unit: "单位".into(),
            start: d(1),
            end: d(12),
            funds: Funds {
                total: Decimal::from(total),
                fiscal: Decimal::from(total),
                carryover: Decimal::ZERO,
                other: Decimal::ZERO,
            },
            project_funds: None,
            overall_goal: String::new(),
            annual_goal: String::new(),
            tasks: Vec::new(),
            indicators,
            department_targets: None,
        };
        p.assign_codes();
        p
    }

    #[test]
    fn nothing_changed_is_no_adjustment() {
        let a = project(360_000, vec![ind(Some(7), "行驶公里数", "≥15000.00(公里)")]);
        // Written differently, read the same.
        let b = project(360_000, vec![ind(Some(7), "行驶公里数", "≥15000(公里)")]);
        assert_eq!(adjustment(&a, &b), None);
        assert_eq!(initial_targets(Some(&a), &b).1, vec![None]);
        assert_eq!(initial_targets(None, &b).0, None);
    }

    #[test]
    fn a_new_target_and_new_funds_are_an_adjustment() {
        let a = project(
            360_000,
            vec![
                ind(Some(7), "行驶公里数", "≥15000.00(公里)"),
                ind(Some(8), "接送准点率", "≥95.00(%)"),
                ind(Some(9), "车辆台数", "=2(辆)"),
            ],
        );
        let b = project(
            400_000,
            vec![
                // Renamed but the same stable id: matched by id.
                ind(Some(7), "行驶里程", "≥18000.00(公里)"),
                ind(Some(8), "接送准点率", "≥95.00(%)"),
                ind(None, "新能源车辆占比", "≥50(%)"),
            ],
        );
        let adj = adjustment(&a, &b).expect("adjusted");
        assert_eq!(adj.initial_budget, Decimal::from(360_000));
        assert_eq!(adj.adjusted_budget, Decimal::from(400_000));
        assert_eq!(
            adj.removed,
            vec![RemovedIndicator {
                name: "车辆台数".into(),
                target: "=2(辆)".into()
            }]
        );
        let (_, rows) = initial_targets(Some(&a), &b);
        assert_eq!(
            rows,
            vec![
                Some(InitialTarget::Changed {
                    target: "≥15000.00(公里)".into()
                }),
                Some(InitialTarget::Unchanged),
                Some(InitialTarget::Added),
            ]
        );
        assert_eq!(
            rows[0].as_ref().unwrap().cell("≥18000.00(公里)"),
            "≥15000.00(公里)"
        );
        assert_eq!(rows[1].as_ref().unwrap().cell("≥95.00(%)"), "≥95.00(%)");
        assert_eq!(rows[2].as_ref().unwrap().cell("≥50(%)"), ADDED_ZH);
    }

    #[test]
    fn funds_alone_are_an_adjustment_and_names_match_without_ids() {
        let a = project(360_000, vec![ind(None, "行驶公里数", "≥15000.00(公里)")]);
        let b = project(300_000, vec![ind(None, " 行驶公里数。", "≥15000.00(公里)")]);
        let adj = adjustment(&a, &b).expect("adjusted");
        assert!(adj.removed.is_empty());
        assert_eq!(
            initial_targets(Some(&a), &b).1,
            vec![Some(InitialTarget::Unchanged)]
        );
    }
}
