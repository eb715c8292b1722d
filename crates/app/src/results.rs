//! 审核结果应用与绩效结果应用 — what a grade does, from policy data: a review grade's consequence
//! (财预〔2015〕88号 第25–28条: 优 may be approved into the budget, 良 needs consultation, 中 is
//! returned, 差 is stopped; `[[consequences]]` of the review policy) and a self-evaluation
//! grade's recommendation for next year's budget (`[[use_of_results]]` of the evaluation
//! policy). The review workspace and the department summary show these; nothing here decides
//! a transition by itself. [`crate::App::review_consequence`] and
//! [`crate::App::budget_recommendation`] answer under the application's [`crate::Policies`].

use jixiao_evaluate::BudgetRecommendation;
use jixiao_model::{Decimal, Grade};
use jixiao_review::ReviewAction;
use serde::Serialize;

/// 审核结果处理 — what a review grade does, as the workspace shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewConsequence {
    /// The grade.
    pub grade: Grade,
    /// What it does.
    pub action: ReviewAction,
    /// The action's label (`退回修改`).
    pub action_zh: String,
    /// …in English.
    pub action_en: String,
    /// The consequence as the policy words it.
    pub zh: String,
    /// …in English.
    pub en: String,
    /// The rule behind it.
    pub basis: String,
    /// Whether the declaration goes back to its unit (中, 差).
    pub returns_to_unit: bool,
}

/// The consequence of a review grade under a review policy; `None` when the policy states
/// none for the grade.
pub fn review_consequence(
    policy: &jixiao_review::Policy,
    grade: Grade,
) -> Option<ReviewConsequence> {
    policy.consequence(grade).map(|c| ReviewConsequence {
        grade,
        action: c.action,
        action_zh: c.action.zh().to_string(),
        action_en: c.action.en().to_string(),
        zh: c.zh.clone(),
        en: c.en.clone(),
        basis: c.basis.clone(),
        returns_to_unit: c.action.returns_to_unit(),
    })
}

/// Next year's budget recommendation for a self-evaluation of `grade` (its total `score`
/// quoted in the reason) under an evaluation policy; `None` when the policy has no row for it.
pub fn budget_recommendation(
    policy: &jixiao_evaluate::Policy,
    grade: Grade,
    score: Option<Decimal>,
) -> Option<BudgetRecommendation> {
    policy.budget_recommendation(grade, score)
}

impl crate::App {
    /// [`review_consequence`] under the application's review policy.
    pub fn review_consequence(&self, grade: Grade) -> Option<ReviewConsequence> {
        review_consequence(&self.policies().review, grade)
    }

    /// [`budget_recommendation`] under the application's evaluation policy.
    pub fn budget_recommendation(
        &self,
        grade: Grade,
        score: Option<Decimal>,
    ) -> Option<BudgetRecommendation> {
        budget_recommendation(&self.policies().eval, grade, score)
    }
}

#[cfg(test)]
mod tests {
    use jixiao_evaluate::BudgetAdvice;

    use super::*;

    /// Each row, through the app's functions, with the built-in policies.
    #[test]
    fn each_grade_through_the_app() {
        let review = jixiao_review::Policy::shanghai();
        let eval = jixiao_evaluate::Policy::builtin();
        for (grade, action, back, advice) in [
            (
                Grade::Excellent,
                ReviewAction::Approve,
                false,
                BudgetAdvice::Priority,
            ),
            (
                Grade::Good,
                ReviewAction::Consult,
                false,
                BudgetAdvice::Maintain,
            ),
            (
                Grade::Fair,
                ReviewAction::Return,
                true,
                BudgetAdvice::Reduce,
            ),
            (Grade::Poor, ReviewAction::Stop, true, BudgetAdvice::Cancel),
        ] {
            let c = review_consequence(&review, grade).unwrap_or_else(|| panic!("{grade:?}"));
            assert_eq!((c.action, c.returns_to_unit), (action, back), "{grade:?}");
            assert_eq!(c.action_zh, action.zh());
            let r = budget_recommendation(&eval, grade, Some(Decimal::new(9150, 2)))
                .unwrap_or_else(|| panic!("{grade:?}"));
            assert_eq!(r.advice, advice, "{grade:?}");
            assert!(r.reason_zh.contains("91.50"), "{}", r.reason_zh);
        }
    }
}
