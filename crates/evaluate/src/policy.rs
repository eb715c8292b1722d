//! 评价与监控参数 — every threshold of scoring and monitoring, read from TOML.
//!
//! The built-in default is `default_policy.toml` beside this file ([`Policy::builtin`]); a user file
//! is read with [`Policy::from_toml`] and checked by [`Policy::validate`]. Nothing tagged [V] or [U]
//! in RULES-REFERENCE.md is hard-coded elsewhere in this crate.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::results::{BudgetRecommendation, UseOfResults};

/// The text of the built-in policy.
pub const DEFAULT_POLICY_TOML: &str = include_str!("default_policy.toml");

/// 评价与监控参数 — the whole policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// 分值 of the categories.
    pub weights: Weights,
    /// 优 / 良 / 中 / 差 bounds.
    pub grades: Grades,
    /// 定性指标 shares and bands.
    pub qualitative: QualitativePolicy,
    /// 时限指标 lateness rule.
    pub deadline: DeadlinePolicy,
    /// When a 偏差原因 is required.
    pub deviation: DeviationPolicy,
    /// Checks on actual rows.
    pub actuals: ActualsPolicy,
    /// 绩效运行监控 lights.
    pub monitor: MonitorPolicy,
    /// 结果应用 — self-evaluation grade → next year's budget recommendation, one row per grade
    /// (a file without the table gets the built-in rows).
    #[serde(default = "crate::results::builtin_rows")]
    pub use_of_results: Vec<UseOfResults>,
}

/// 分值 — points of each 一级 category and of 预算执行率.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// 产出指标 (and 成本指标 when `cost` is absent).
    #[serde(deserialize_with = "dec")]
    pub output: Decimal,
    /// 效益指标.
    #[serde(deserialize_with = "dec")]
    pub benefit: Decimal,
    /// 满意度指标.
    #[serde(deserialize_with = "dec")]
    pub satisfaction: Decimal,
    /// 预算执行率.
    #[serde(deserialize_with = "dec")]
    pub budget: Decimal,
    /// 成本指标 on its own; `None` counts cost indicators with 产出.
    #[serde(default, deserialize_with = "opt_dec")]
    pub cost: Option<Decimal>,
    /// The indicators share this many points, each the 分值/权重 its 自评表 prints (Sichuan's
    /// 90, Hubei's 80, [`crate::Scheme`]); the category weights are then not used. `None`: the
    /// category weights.
    #[serde(
        default,
        deserialize_with = "opt_dec",
        skip_serializing_if = "Option::is_none"
    )]
    pub printed: Option<Decimal>,
}

/// Lower bounds of 优 / 良 / 中 (below `fair` is 差).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grades {
    /// 优 from.
    #[serde(deserialize_with = "dec")]
    pub excellent: Decimal,
    /// 良 from.
    #[serde(deserialize_with = "dec")]
    pub good: Decimal,
    /// 中 from.
    #[serde(deserialize_with = "dec")]
    pub fair: Decimal,
}

/// 定性指标 — default shares (percent of the weight) and the bands a scorer must stay inside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualitativePolicy {
    /// 达成 default share.
    #[serde(deserialize_with = "dec")]
    pub met: Decimal,
    /// 部分达成 default share.
    #[serde(deserialize_with = "dec")]
    pub partly: Decimal,
    /// 未达成 default share.
    #[serde(deserialize_with = "dec")]
    pub not_met: Decimal,
    /// 达成 band `[low, high]`.
    #[serde(deserialize_with = "band")]
    pub met_band: [Decimal; 2],
    /// 部分达成 band.
    #[serde(deserialize_with = "band")]
    pub partly_band: [Decimal; 2],
    /// 未达成 band.
    #[serde(deserialize_with = "band")]
    pub not_met_band: [Decimal; 2],
}

/// 时限指标 — what a late completion earns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinePolicy {
    /// Days late that still earn `late_share`.
    pub late_days: u32,
    /// Percent of the weight for a completion at most `late_days` late.
    #[serde(deserialize_with = "dec")]
    pub late_share: Decimal,
}

/// When 偏差原因分析及改进措施 is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviationPolicy {
    /// Percent of a ≥ / > target from which over-achievement needs a reason.
    #[serde(deserialize_with = "dec")]
    pub over_achievement: Decimal,
}

/// Checks on actual rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActualsPolicy {
    /// Days after 计划完成日期 a completion date may lie.
    pub completion_after_end_days: u32,
}

/// 绩效运行监控 thresholds (percent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorPolicy {
    /// Ratio below this is red.
    #[serde(deserialize_with = "dec")]
    pub red_below: Decimal,
    /// Ratio below this (and not red) is yellow.
    #[serde(deserialize_with = "dec")]
    pub yellow_below: Decimal,
    /// Ratio from this is blue (target possibly set too low).
    #[serde(deserialize_with = "dec")]
    pub blue_from: Decimal,
    /// Prorate percentage targets by the elapsed fraction.
    pub prorate_percent: bool,
    /// Budget pace below this is red.
    #[serde(deserialize_with = "dec")]
    pub budget_red_below: Decimal,
    /// Budget pace below this (and not red) is yellow.
    #[serde(deserialize_with = "dec")]
    pub budget_yellow_below: Decimal,
}

impl Policy {
    /// The built-in policy (`default_policy.toml`).
    pub fn builtin() -> Policy {
        // The embedded file is a constant of this crate; `builtin_policy_is_valid` tests it.
        Policy::from_toml(DEFAULT_POLICY_TOML).expect("the built-in policy is valid")
    }

    /// Next year's budget recommendation for a self-evaluation of `grade` (its `score` quoted in
    /// the reason), from the `[[use_of_results]]` rows; `None` when no row names the grade.
    pub fn budget_recommendation(
        &self,
        grade: jixiao_model::Grade,
        score: Option<Decimal>,
    ) -> Option<BudgetRecommendation> {
        crate::results::recommend(&self.use_of_results, grade, score)
    }

    /// Reads and validates a policy file.
    pub fn from_toml(text: &str) -> Result<Policy, Error> {
        let p: Policy = toml::from_str(text).map_err(|e| Error::Policy(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    /// Checks that the numbers make sense together: no negative weight, ordered grade bounds and
    /// thresholds, default shares inside their bands, bands inside 0–100.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::Policy(m.to_string()));
        let mut graded = std::collections::BTreeSet::new();
        if self.use_of_results.iter().any(|r| !graded.insert(r.grade)) {
            return bad("结果应用表中同一等级出现两次 / a grade appears twice in use_of_results");
        }
        let w = &self.weights;
        let zero = Decimal::ZERO;
        let hundred = Decimal::ONE_HUNDRED;
        if [w.output, w.benefit, w.satisfaction, w.budget]
            .iter()
            .chain(w.cost.iter())
            .chain(w.printed.iter())
            .any(|x| *x < zero || *x > Decimal::from(1000))
        {
            return bad("权重应在 0 到 1000 之间 / weights must lie between 0 and 1000");
        }
        let g = &self.grades;
        if !(g.excellent >= g.good && g.good >= g.fair && g.fair >= zero) {
            return bad(
                "等级下限应为 优 ≥ 良 ≥ 中 ≥ 0 / grade bounds must be excellent ≥ good ≥ fair ≥ 0",
            );
        }
        let q = &self.qualitative;
        for (name, share, band) in [
            ("met", q.met, q.met_band),
            ("partly", q.partly, q.partly_band),
            ("not_met", q.not_met, q.not_met_band),
        ] {
            if band[0] > band[1] || band[0] < zero || band[1] > hundred {
                return bad(&format!(
                    "定性区间 {name}_band 应在 0–100 且下限不大于上限 / band {name}_band must lie in 0–100, low ≤ high"
                ));
            }
            if share < band[0] || share > band[1] {
                return bad(&format!(
                    "定性默认比例 {name} 不在其区间内 / default share {name} lies outside its band"
                ));
            }
        }
        if self.deadline.late_share < zero || self.deadline.late_share > hundred {
            return bad("deadline.late_share 应在 0–100 / deadline.late_share must lie in 0–100");
        }
        if self.deviation.over_achievement < hundred {
            return bad("deviation.over_achievement 应不小于 100 / deviation.over_achievement must be at least 100");
        }
        let m = &self.monitor;
        if !(zero <= m.red_below && m.red_below <= m.yellow_below && m.yellow_below <= m.blue_from)
        {
            return bad("监控阈值应为 0 ≤ red_below ≤ yellow_below ≤ blue_from / monitor thresholds must be ordered");
        }
        if !(zero <= m.budget_red_below && m.budget_red_below <= m.budget_yellow_below) {
            return bad("预算监控阈值应为 0 ≤ budget_red_below ≤ budget_yellow_below / budget thresholds must be ordered");
        }
        Ok(())
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::builtin()
    }
}

// ---------------------------------------------------------------------------------------------
// Decimals in TOML: integers, decimals (read through their shortest text, never computed as
// floats) or strings.

struct DecVisitor;

impl Visitor<'_> for DecVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        v.to_string()
            .parse()
            .map_err(|_| E::custom(format!("not a decimal number: {v}")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("not a decimal number: {v:?}")))
    }
}

pub(crate) fn dec<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecVisitor)
}

pub(crate) fn opt_dec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    dec(d).map(Some)
}

fn band<'de, D: Deserializer<'de>>(d: D) -> Result<[Decimal; 2], D::Error> {
    #[derive(Deserialize)]
    struct One(#[serde(deserialize_with = "dec")] Decimal);
    let v: Vec<One> = Vec::deserialize(d)?;
    match v.as_slice() {
        [a, b] => Ok([a.0, b.0]),
        _ => Err(de::Error::custom("a band is [low, high]")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_policy_is_valid() {
        let p = Policy::from_toml(DEFAULT_POLICY_TOML).unwrap();
        assert_eq!(p.weights.output, Decimal::from(50));
        assert_eq!(p.weights.cost, None);
        assert_eq!(p.qualitative.partly, Decimal::from(70));
        assert_eq!(
            p.qualitative.met_band,
            [Decimal::from(80), Decimal::ONE_HUNDRED]
        );
    }

    #[test]
    fn user_policy_with_cost_weight_and_decimals() {
        let text = DEFAULT_POLICY_TOML
            .replace("output = 50", "output = 40\ncost = \"10\"")
            .replace("late_share = 50", "late_share = 62.5");
        let p = Policy::from_toml(&text).unwrap();
        assert_eq!(p.weights.cost, Some(Decimal::from(10)));
        assert_eq!(p.deadline.late_share.to_string(), "62.5");
    }

    #[test]
    fn inconsistent_policies_are_rejected() {
        for (from, to) in [
            ("partly = 70", "partly = 90"),
            ("excellent = 90", "excellent = 70"),
            ("blue_from = 120", "blue_from = 70"),
            ("output = 50", "output = -5"),
            ("late_share = 50", "late_share = 150"),
            ("over_achievement = 130", "over_achievement = 90"),
        ] {
            let text = DEFAULT_POLICY_TOML.replace(from, to);
            assert!(
                matches!(Policy::from_toml(&text), Err(Error::Policy(_))),
                "{to}"
            );
        }
        assert!(matches!(
            Policy::from_toml("[weights]\noutput = 50"),
            Err(Error::Policy(_))
        ));
        assert!(matches!(
            Policy::from_toml(&format!("{DEFAULT_POLICY_TOML}\n[extra]\nx = 1")),
            Err(Error::Policy(_))
        ));
    }
}
