//! 审核政策 — which rules run, at what severity, with which word lists and thresholds.
//!
//! A policy is TOML. Two are built in ([`Policy::central`], [`Policy::shanghai`], also by name via
//! [`Policy::builtin`]); a user's own file is read by [`Policy::from_toml`] and may start from a
//! built-in one with `extends = "central"`, writing only what differs (tables merge key by key,
//! arrays and values replace).

use std::collections::BTreeMap;
use std::str::FromStr;

use jixiao_model::{Decimal, Grade, Level1, Level2, Severity};
use serde::{Deserialize, Deserializer};

use crate::catalogue::rule_info;
use crate::consequence::Consequence;

const CENTRAL: &str = include_str!("../policies/central.toml");
const SHANGHAI: &str = include_str!("../policies/shanghai.toml");

/// The names of the built-in policies.
pub const BUILTIN_POLICIES: [&str; 2] = ["central", "shanghai"];

/// Why a policy could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// Not valid TOML, or a field of the wrong type.
    #[error("政策文件无法读取 / cannot read the policy: {0}")]
    Toml(String),
    /// `extends` names no built-in policy.
    #[error("未知的基础政策「{0}」，可用：central、shanghai / unknown base policy {0:?}; built in: central, shanghai")]
    UnknownBase(String),
    /// A rule id that the catalogue does not know (a typo, usually).
    #[error("未知的规则「{0}」，见 docs/rules.md / unknown rule {0:?}, see docs/rules.md")]
    UnknownRule(String),
    /// A value out of range.
    #[error("政策取值无效 / invalid policy value: {0}")]
    Invalid(String),
}

/// The severity a policy gives a rule, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSetting {
    /// 错误.
    Error,
    /// 警告.
    Warning,
    /// 提示.
    Info,
    /// The rule does not run.
    Off,
}

impl RuleSetting {
    /// The severity, `None` when off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Error => Some(Severity::Error),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Off => None,
        }
    }
}

/// 审核等级 — how findings become a grade (see the crate docs).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradePolicy {
    /// Points before deductions.
    pub start: i64,
    /// 优 from this score.
    pub excellent: i64,
    /// 良 from this score.
    pub good: i64,
    /// 中 from this score; below is 差.
    pub fair: i64,
    /// Points per error-level finding.
    pub error_points: i64,
    /// Points per warning-level finding.
    pub warning_points: i64,
    /// Points per info-level finding.
    pub info_points: i64,
    /// At most this many points are deducted for one rule in one project.
    pub rule_cap: i64,
    /// With any error-level finding the grade is at most this (e.g. `fair`); absent: no cap.
    #[serde(default)]
    pub error_grade_cap: Option<Grade>,
    /// With no error-level finding the grade is at least this (e.g. `fair`): warnings ask for
    /// revision, only errors stop a target; absent: no floor.
    #[serde(default)]
    pub without_errors_at_least: Option<Grade>,
}

impl GradePolicy {
    /// Points deducted per finding of this severity.
    pub fn points(&self, s: Severity) -> i64 {
        match s {
            Severity::Error => self.error_points,
            Severity::Warning => self.warning_points,
            Severity::Info => self.info_points,
        }
    }

    /// The grade of a score, before the error cap.
    pub fn grade_of(&self, score: i64) -> Grade {
        if score >= self.excellent {
            Grade::Excellent
        } else if score >= self.good {
            Grade::Good
        } else if score >= self.fair {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }
}

/// Settings of the funds rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsPolicy {
    /// Allowed difference in 元 between a total and the sum of its parts.
    #[serde(deserialize_with = "decimal_str")]
    pub tolerance: Decimal,
}

/// Settings of the date rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesPolicy {
    /// Days a dated deadline may fall after 计划完成日期 before it is flagged.
    pub grace_days: u32,
}

/// Settings of the structure rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructurePolicy {
    /// 一级 categories every project must have.
    pub required_level1: Vec<Level1>,
    /// 二级 categories 产出 must have (ids: `quantity`, `quality`, `timeliness`, …).
    pub required_output_level2: Vec<Level2>,
}

/// Settings of the measurability rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurabilityPolicy {
    /// Words that make a qualitative target vague (提升, 有效, 良好, 低油耗 …).
    pub vague_words: Vec<String>,
    /// A qualitative target at most this many characters long that contains a vague word is vague.
    pub vague_max_chars: usize,
    /// The satisfaction percentage quoted in suggestions (`≥90%`).
    pub satisfaction_percent: u32,
    /// A 三级 name ending in one of these is a satisfaction indicator wherever it sits.
    pub satisfaction_suffixes: Vec<String>,
    /// Words that give only a direction (减少, 降低, 下降 …): a qualitative target that is one of
    /// them, or a short phrase ending in one, has no amount (`measurability.bare-direction`).
    #[serde(default)]
    pub direction_words: Vec<String>,
    /// 二级 cost categories whose target must be a number (`measurability.cost-qualitative`;
    /// ids `economic_cost`, `output_cost`, `social_cost`, `ecological_cost`).
    #[serde(default)]
    pub quantified_cost_level2: Vec<Level2>,
}

/// One expectation of the unit-mismatch rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitExpectation {
    /// The name (after stripping) ends with one of these…
    pub name_ends_with: Vec<String>,
    /// …so the unit must be one of these.
    pub units: Vec<String>,
    /// Suffixes dropped from the name first (`数量`, `完成数`).
    #[serde(default)]
    pub strip_suffixes: Vec<String>,
}

/// Settings of the consistency rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyPolicy {
    /// A name ending in one of these wants a percentage target.
    pub rate_suffixes: Vec<String>,
    /// …unless it ends in one of these.
    pub rate_exceptions: Vec<String>,
    /// Percentage targets above this are flagged.
    #[serde(deserialize_with = "decimal_str")]
    pub percent_max: Decimal,
    /// …unless the name contains one of these.
    pub percent_over_max_names: Vec<String>,
    /// Units that contradict names.
    #[serde(default)]
    pub units: Vec<UnitExpectation>,
}

/// Settings of the budget-execution-rate rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionRatePolicy {
    /// Names (contained in the 三级 name) that denote budget execution.
    pub names: Vec<String>,
}

/// 审核政策 — a complete, validated policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Short name (`central`, `shanghai`, or the user's).
    pub name: String,
    /// What the policy is, in Chinese.
    pub title: String,
    /// The built-in policy this one started from.
    #[serde(default)]
    pub extends: Option<String>,
    /// Rule id → severity or `off`. Rules not listed do not run.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Grading.
    pub grade: GradePolicy,
    /// Funds rules.
    pub funds: FundsPolicy,
    /// Date rules.
    pub dates: DatesPolicy,
    /// Structure rules.
    pub structure: StructurePolicy,
    /// Measurability rules.
    pub measurability: MeasurabilityPolicy,
    /// Consistency rules.
    pub consistency: ConsistencyPolicy,
    /// Budget execution rate rule.
    pub execution_rate: ExecutionRatePolicy,
    /// 审核结果应用 — what each grade does (one row per grade; absent: none stated).
    #[serde(default)]
    pub consequences: Vec<Consequence>,
}

fn decimal_str<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Num {
        Text(String),
        Int(i64),
    }
    match Num::deserialize(d)? {
        Num::Text(s) => Decimal::from_str(s.trim())
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not a decimal"))),
        Num::Int(i) => Ok(Decimal::from(i)),
    }
}

fn parse_table(text: &str) -> Result<toml::Table, PolicyError> {
    text.parse::<toml::Table>()
        .map_err(|e| PolicyError::Toml(e.to_string()))
}

/// Merges `over` into `base`: tables key by key, everything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn builtin_text(name: &str) -> Option<&'static str> {
    match name {
        "central" => Some(CENTRAL),
        "shanghai" => Some(SHANGHAI),
        _ => None,
    }
}

/// Resolves `extends` chains among the built-ins (at most a few levels; a cycle is an error).
fn resolve(text: &str, depth: usize) -> Result<toml::Table, PolicyError> {
    let mut table = parse_table(text)?;
    let base = match table.get("extends") {
        None => return Ok(table),
        Some(toml::Value::String(s)) => s.clone(),
        Some(_) => return Err(PolicyError::Invalid("`extends` must be a string".into())),
    };
    if depth > 4 {
        return Err(PolicyError::Invalid(format!(
            "`extends` chain too long at {base:?}"
        )));
    }
    let base_text = builtin_text(&base).ok_or_else(|| PolicyError::UnknownBase(base.clone()))?;
    let mut merged = resolve(base_text, depth + 1)?;
    table.remove("extends");
    merge(&mut merged, table);
    merged.insert("extends".into(), toml::Value::String(base));
    Ok(merged)
}

impl Policy {
    /// Reads a policy from TOML, resolving `extends`, and checks it.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let table = resolve(text, 0)?;
        let policy: Policy = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| PolicyError::Toml(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<(), PolicyError> {
        if let Some(id) = self.rules.keys().find(|id| rule_info(id).is_none()) {
            return Err(PolicyError::UnknownRule(id.clone()));
        }
        let g = &self.grade;
        if !(g.excellent >= g.good && g.good >= g.fair) {
            return Err(PolicyError::Invalid(
                "grade thresholds must satisfy excellent ≥ good ≥ fair".into(),
            ));
        }
        if g.error_points < 0 || g.warning_points < 0 || g.info_points < 0 || g.rule_cap < 0 {
            return Err(PolicyError::Invalid(
                "grade points and rule_cap must not be negative".into(),
            ));
        }
        if self.funds.tolerance < Decimal::ZERO {
            return Err(PolicyError::Invalid(
                "funds.tolerance must not be negative".into(),
            ));
        }
        let mut graded = std::collections::BTreeSet::new();
        if let Some(c) = self.consequences.iter().find(|c| !graded.insert(c.grade)) {
            return Err(PolicyError::Invalid(format!(
                "consequences: grade {} given twice",
                c.grade.zh()
            )));
        }
        if self.measurability.vague_words.iter().any(|w| w.is_empty())
            || self
                .measurability
                .direction_words
                .iter()
                .any(|w| w.is_empty())
            || self.consistency.rate_suffixes.iter().any(|w| w.is_empty())
            || self.execution_rate.names.iter().any(|w| w.is_empty())
        {
            return Err(PolicyError::Invalid(
                "word lists must not hold empty words".into(),
            ));
        }
        Ok(())
    }

    /// A built-in policy by name (`central`, `shanghai`).
    pub fn builtin(name: &str) -> Option<Policy> {
        builtin_text(name).and_then(|t| Policy::from_toml(t).ok())
    }

    /// 中央部门 — the base profile.
    pub fn central() -> Policy {
        Policy::builtin("central").unwrap_or_else(Policy::empty)
    }

    /// 上海市 — central plus Shanghai's 2025 guidance (成本指标 expected).
    pub fn shanghai() -> Policy {
        Policy::builtin("shanghai").unwrap_or_else(Policy::empty)
    }

    /// The TOML text of a built-in policy (to show or copy as a starting point).
    pub fn builtin_toml(name: &str) -> Option<&'static str> {
        builtin_text(name)
    }

    /// A policy that runs nothing. Only reached if a built-in file were broken, which a test rules
    /// out; it keeps the constructors free of panics.
    fn empty() -> Policy {
        Policy {
            name: "empty".into(),
            title: String::new(),
            extends: None,
            rules: BTreeMap::new(),
            grade: GradePolicy {
                start: 100,
                excellent: 90,
                good: 80,
                fair: 60,
                error_points: 0,
                warning_points: 0,
                info_points: 0,
                rule_cap: 0,
                error_grade_cap: None,
                without_errors_at_least: None,
            },
            funds: FundsPolicy {
                tolerance: Decimal::ZERO,
            },
            dates: DatesPolicy { grace_days: 0 },
            structure: StructurePolicy {
                required_level1: Vec::new(),
                required_output_level2: Vec::new(),
            },
            measurability: MeasurabilityPolicy {
                vague_words: Vec::new(),
                vague_max_chars: 0,
                satisfaction_percent: 90,
                satisfaction_suffixes: Vec::new(),
                direction_words: Vec::new(),
                quantified_cost_level2: Vec::new(),
            },
            consistency: ConsistencyPolicy {
                rate_suffixes: Vec::new(),
                rate_exceptions: Vec::new(),
                percent_max: Decimal::ONE_HUNDRED,
                percent_over_max_names: Vec::new(),
                units: Vec::new(),
            },
            execution_rate: ExecutionRatePolicy { names: Vec::new() },
            consequences: Vec::new(),
        }
    }

    /// What a review grade does under this policy (财预〔2015〕88号 第25–28条 in the built-ins);
    /// `None` when the policy states nothing for it.
    pub fn consequence(&self, grade: Grade) -> Option<&Consequence> {
        self.consequences.iter().find(|c| c.grade == grade)
    }

    /// The severity of a rule under this policy; `None` when it does not run.
    pub fn severity(&self, rule: &str) -> Option<Severity> {
        self.rules.get(rule).and_then(|s| s.severity())
    }

    /// Sets a rule's severity (`None` turns it off). Handy for callers and tests.
    pub fn set(&mut self, rule: &str, severity: Option<Severity>) {
        let s = match severity {
            Some(Severity::Error) => RuleSetting::Error,
            Some(Severity::Warning) => RuleSetting::Warning,
            Some(Severity::Info) => RuleSetting::Info,
            None => RuleSetting::Off,
        };
        self.rules.insert(rule.to_string(), s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::RULES;

    #[test]
    fn builtins_parse_and_cover_every_rule() {
        for name in BUILTIN_POLICIES {
            let text = builtin_text(name).unwrap_or_default();
            let p = Policy::from_toml(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.name, name);
            for r in RULES {
                assert!(p.rules.contains_key(r.id), "{name} lacks {}", r.id);
            }
        }
    }

    #[test]
    fn shanghai_extends_central() {
        let c = Policy::central();
        let s = Policy::shanghai();
        assert_eq!(s.extends.as_deref(), Some("central"));
        assert_eq!(c.severity("structure.missing-cost"), Some(Severity::Info));
        assert_eq!(
            s.severity("structure.missing-cost"),
            Some(Severity::Warning)
        );
        assert_eq!(s.measurability, c.measurability);
        assert_eq!(s.grade, c.grade);
    }

    #[test]
    fn user_policy_overrides_and_turns_off() {
        let p = Policy::from_toml(
            r#"
name = "mine"
title = "测试"
extends = "shanghai"
[rules]
"structure.missing-cost" = "off"
[measurability]
vague_words = ["较好"]
[grade]
error_grade_cap = "poor"
"#,
        )
        .unwrap();
        assert_eq!(p.name, "mine");
        assert_eq!(p.severity("structure.missing-cost"), None);
        assert_eq!(p.severity("funds.sum"), Some(Severity::Error));
        assert_eq!(p.measurability.vague_words, vec!["较好".to_string()]);
        assert_eq!(p.measurability.vague_max_chars, 6);
        assert_eq!(p.grade.error_grade_cap, Some(Grade::Poor));
        assert_eq!(p.funds.tolerance, Decimal::ZERO);
    }

    #[test]
    fn bad_policies_are_errors_not_panics() {
        assert!(matches!(
            Policy::from_toml("name = "),
            Err(PolicyError::Toml(_))
        ));
        assert_eq!(
            Policy::from_toml("extends = \"beijing\"\nname=\"x\"\ntitle=\"\""),
            Err(PolicyError::UnknownBase("beijing".into()))
        );
        assert_eq!(
            Policy::from_toml(
                "extends = \"central\"\nname=\"x\"\n[rules]\n\"funds.summ\" = \"error\""
            ),
            Err(PolicyError::UnknownRule("funds.summ".into()))
        );
        assert!(matches!(
            Policy::from_toml("extends = \"central\"\n[rules]\n\"funds.sum\" = \"fatal\""),
            Err(PolicyError::Toml(_))
        ));
        assert!(matches!(
            Policy::from_toml("extends = \"central\"\n[grade]\nexcellent = 50"),
            Err(PolicyError::Invalid(_))
        ));
        assert!(matches!(
            Policy::from_toml("extends = \"central\"\n[funds]\ntolerance = \"abc\""),
            Err(PolicyError::Toml(_))
        ));
        // A complete policy without `extends` must give every section.
        assert!(matches!(
            Policy::from_toml("name = \"x\"\ntitle = \"\"\n[rules]"),
            Err(PolicyError::Toml(_))
        ));
    }
}
