//! 审核结果应用 — what a review grade does to a declaration, as policy data (`[[consequences]]`
//! in the policy TOML): 优 may go into the budget, 良 is settled by consultation, 中 is returned
//! for revision, 差 is stopped (《中央部门预算绩效目标管理办法》财预〔2015〕88号 第二十五条至第二十八条).
//! This module owns the types and the lookup; the rows are in `policies/central.toml`.

use jixiao_model::Grade;
use serde::{Deserialize, Serialize};

/// 审核结果处理方式 — what happens to a declaration of a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// 可进入预算安排 — may be approved into the budget as it is.
    Approve,
    /// 协商完善后进入预算安排 — goes on once fixed in consultation with the unit.
    Consult,
    /// 退回修改 — returned for revision and resubmission.
    Return,
    /// 不得进入预算安排 — stopped.
    Stop,
}

impl ReviewAction {
    /// The id used in policies and JSON (`approve`, `consult`, `return`, `stop`).
    pub fn id(self) -> &'static str {
        match self {
            ReviewAction::Approve => "approve",
            ReviewAction::Consult => "consult",
            ReviewAction::Return => "return",
            ReviewAction::Stop => "stop",
        }
    }

    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            ReviewAction::Approve => "可进入预算安排",
            ReviewAction::Consult => "协商完善后进入预算安排",
            ReviewAction::Return => "退回修改",
            ReviewAction::Stop => "不得进入预算安排",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            ReviewAction::Approve => "may be approved into the budget",
            ReviewAction::Consult => "proceeds once fixed in consultation",
            ReviewAction::Return => "returned for revision",
            ReviewAction::Stop => "stopped",
        }
    }

    /// Whether the declaration goes back to its unit (中: returned; 差: stopped).
    pub fn returns_to_unit(self) -> bool {
        matches!(self, ReviewAction::Return | ReviewAction::Stop)
    }
}

/// One row of the consequence table: a grade, what it does and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consequence {
    /// The review grade (`excellent`, `good`, `fair`, `poor`).
    pub grade: Grade,
    /// What it does.
    pub action: ReviewAction,
    /// The consequence as the letter writes it, in Chinese.
    pub zh: String,
    /// …and in English.
    pub en: String,
    /// The rule behind it (document and article).
    pub basis: String,
}

#[cfg(test)]
mod tests {
    use jixiao_model::Grade;

    use super::ReviewAction;
    use crate::Policy;

    /// Each row of the built-in table, one by one (财预〔2015〕88号 第25–28条).
    #[test]
    fn each_grade_has_its_consequence() {
        let rows = [
            (Grade::Excellent, ReviewAction::Approve, "第二十五条"),
            (Grade::Good, ReviewAction::Consult, "第二十六条"),
            (Grade::Fair, ReviewAction::Return, "第二十七条"),
            (Grade::Poor, ReviewAction::Stop, "第二十八条"),
        ];
        for policy in [Policy::central(), Policy::shanghai()] {
            assert_eq!(policy.consequences.len(), 4, "{}", policy.name);
            for (grade, action, article) in rows {
                let c = policy
                    .consequence(grade)
                    .unwrap_or_else(|| panic!("{} has no row for {grade:?}", policy.name));
                assert_eq!(c.action, action, "{grade:?}");
                assert!(c.basis.contains("88号"), "{}", c.basis);
                assert!(c.basis.contains(article), "{}", c.basis);
                assert!(!c.zh.is_empty() && !c.en.is_empty());
            }
        }
        assert!(!ReviewAction::Approve.returns_to_unit());
        assert!(!ReviewAction::Consult.returns_to_unit());
        assert!(ReviewAction::Return.returns_to_unit());
        assert!(ReviewAction::Stop.returns_to_unit());
    }

    /// The letter's wording of a grade and the policy's row say the same thing.
    #[test]
    fn the_letter_and_the_table_agree() {
        let p = Policy::central();
        for g in [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor] {
            let c = p.consequence(g).map(|c| c.zh.as_str());
            assert_eq!(c, Some(crate::grade_meaning(g, crate::Lang::Zh)), "{g:?}");
        }
    }

    /// A user's table replaces the built-in one; a grade given twice is refused.
    #[test]
    fn a_users_table_and_a_doubled_grade() {
        let p = Policy::from_toml(
            r#"
name = "mine"
title = "测试"
extends = "central"
[[consequences]]
grade = "good"
action = "return"
zh = "退回"
en = "returned"
basis = "本地规则"
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.consequences.len(), 1);
        assert_eq!(
            p.consequence(Grade::Good).map(|c| c.action),
            Some(ReviewAction::Return)
        );
        assert_eq!(p.consequence(Grade::Excellent), None);
        let twice = Policy::from_toml(
            r#"
extends = "central"
[[consequences]]
grade = "good"
action = "return"
zh = "退回"
en = "returned"
basis = "x"
[[consequences]]
grade = "good"
action = "approve"
zh = "通过"
en = "approved"
basis = "x"
"#,
        );
        assert!(matches!(twice, Err(crate::PolicyError::Invalid(_))));
    }
}
