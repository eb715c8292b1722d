//! 结果应用 — from the grade of a year's self-evaluation to next year's budget recommendation,
//! as policy data (`[[use_of_results]]` in the policy TOML): 优 priority, 良 kept, 中 reduced,
//! 差 cancelled — a local rule, not national law ([V] in RULES-REFERENCE.md), so a province
//! writes its own rows. This module owns the types, the lookup and the reason text.

use jixiao_model::{present, Grade};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 下年度预算安排建议 — what the grade suggests for next year's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetAdvice {
    /// 优先保障 — given priority.
    Priority,
    /// 维持 — kept at its level.
    Maintain,
    /// 压减 — reduced.
    Reduce,
    /// 取消 — cancelled.
    Cancel,
}

impl BudgetAdvice {
    /// The id used in policies and JSON.
    pub fn id(self) -> &'static str {
        match self {
            BudgetAdvice::Priority => "priority",
            BudgetAdvice::Maintain => "maintain",
            BudgetAdvice::Reduce => "reduce",
            BudgetAdvice::Cancel => "cancel",
        }
    }

    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            BudgetAdvice::Priority => "优先保障",
            BudgetAdvice::Maintain => "维持",
            BudgetAdvice::Reduce => "压减",
            BudgetAdvice::Cancel => "取消",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            BudgetAdvice::Priority => "priority",
            BudgetAdvice::Maintain => "keep",
            BudgetAdvice::Reduce => "reduce",
            BudgetAdvice::Cancel => "cancel",
        }
    }
}

/// One row of the use-of-results table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseOfResults {
    /// The self-evaluation grade.
    pub grade: Grade,
    /// What it suggests for next year's budget.
    pub advice: BudgetAdvice,
    /// The recommendation as written for people, in Chinese…
    pub zh: String,
    /// …and in English.
    pub en: String,
    /// The rule behind it.
    pub basis: String,
}

/// A recommendation for one project: the row that applies and the reason, with the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetRecommendation {
    /// The grade it follows from.
    pub grade: Grade,
    /// The self-evaluation total, when scored.
    pub score: Option<Decimal>,
    /// What it suggests.
    pub advice: BudgetAdvice,
    /// Why, in Chinese (`自评得分 86.50 分，等级“良”：下年度预算原则上维持。依据：…`).
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
    /// The rule behind it.
    pub basis: String,
}

/// The recommendation for a self-evaluation of `grade` (and `score`, quoted in the reason)
/// under `rows`; `None` when no row names the grade.
pub fn recommend(
    rows: &[UseOfResults],
    grade: Grade,
    score: Option<Decimal>,
) -> Option<BudgetRecommendation> {
    let row = rows.iter().find(|r| r.grade == grade)?;
    let (score_zh, score_en) = match score {
        Some(s) => (
            format!("自评得分 {} 分，", present::decimal(s)),
            format!("self-evaluation score {}, ", present::decimal(s)),
        ),
        None => (String::new(), String::new()),
    };
    Some(BudgetRecommendation {
        grade,
        score,
        advice: row.advice,
        reason_zh: format!(
            "{score_zh}等级“{}”：{}。依据：{}",
            grade.zh(),
            row.zh,
            row.basis
        ),
        reason_en: format!(
            "{score_en}grade {}: {}. Basis: {}",
            grade.en(),
            row.en,
            row.basis
        ),
        basis: row.basis.clone(),
    })
}

/// The built-in rows (those of `default_policy.toml`), for a user file that has none.
pub(crate) fn builtin_rows() -> Vec<UseOfResults> {
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        use_of_results: Vec<UseOfResults>,
    }
    toml::from_str::<Only>(crate::policy::DEFAULT_POLICY_TOML)
        .map(|o| o.use_of_results)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use jixiao_model::Grade;
    use rust_decimal::Decimal;

    use super::*;
    use crate::Policy;

    /// Each row of the built-in table, one by one.
    #[test]
    fn each_grade_has_its_recommendation() {
        let p = Policy::builtin();
        assert_eq!(p.use_of_results.len(), 4);
        for (grade, advice) in [
            (Grade::Excellent, BudgetAdvice::Priority),
            (Grade::Good, BudgetAdvice::Maintain),
            (Grade::Fair, BudgetAdvice::Reduce),
            (Grade::Poor, BudgetAdvice::Cancel),
        ] {
            let r = p
                .budget_recommendation(grade, None)
                .unwrap_or_else(|| panic!("no row for {grade:?}"));
            assert_eq!(r.advice, advice, "{grade:?}");
            assert!(r.reason_zh.contains(advice.zh()), "{}", r.reason_zh);
            assert!(r.reason_zh.contains("依据"), "{}", r.reason_zh);
            assert!(!r.basis.is_empty());
        }
    }

    #[test]
    fn the_reason_quotes_the_score() {
        let r = Policy::builtin()
            .budget_recommendation(Grade::Good, Some(Decimal::new(8650, 2)))
            .unwrap_or_else(|| panic!("no row"));
        assert!(
            r.reason_zh.starts_with("自评得分 86.50 分，等级“良”："),
            "{}",
            r.reason_zh
        );
        assert!(
            r.reason_en
                .starts_with("self-evaluation score 86.50, grade good: "),
            "{}",
            r.reason_en
        );
    }

    /// A user's file without the table gets the built-in rows; with one, its own; a grade given
    /// twice is refused.
    #[test]
    fn users_tables() {
        let without: String = crate::DEFAULT_POLICY_TOML
            .split("[[use_of_results]]")
            .next()
            .unwrap_or_default()
            .to_string();
        let p = Policy::from_toml(&without).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.use_of_results, Policy::builtin().use_of_results);
        let own = format!(
            "{without}\n[[use_of_results]]\ngrade = \"fair\"\nadvice = \"cancel\"\nzh = \"取消\"\nen = \"cancelled\"\nbasis = \"本地规则\"\n"
        );
        let p = Policy::from_toml(&own).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.budget_recommendation(Grade::Fair, None).map(|r| r.advice),
            Some(BudgetAdvice::Cancel)
        );
        assert_eq!(p.budget_recommendation(Grade::Excellent, None), None);
        let twice = format!("{own}\n[[use_of_results]]\ngrade = \"fair\"\nadvice = \"reduce\"\nzh = \"压减\"\nen = \"reduced\"\nbasis = \"x\"\n");
        assert!(Policy::from_toml(&twice).is_err());
    }
}
