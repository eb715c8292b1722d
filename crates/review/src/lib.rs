//! # jixiao-review — 绩效目标审核 (target review)
//!
//! This crate owns the review of performance targets: pure functions from the model
//! ([`jixiao_model::Form`], [`jixiao_model::Project`]) to findings ([`jixiao_model::Finding`]),
//! a review grade per project (优 / 良 / 中 / 差), and the two outputs of `jixiao check`: a
//! reviewer's letter (审核意见) and JSON.
//!
//! Entry points: [`review`] (a whole form → [`Report`]), [`review_project`] (one project →
//! findings), [`Policy`] (which rules run and how; built-in `central` and `shanghai`, or a
//! user's TOML via [`Policy::from_toml`]), [`Report::to_text`], [`Report::to_json_string`],
//! [`Report::has_errors`], and [`rules_markdown`] (the rule catalogue, `docs/rules.md`).
//!
//! **Invariants**
//! - Pure: no I/O, no clock, no randomness, no global state; the same form and policy always
//!   give the same report, byte for byte.
//! - No panics on any input: every rule only reads the model; arithmetic saturates.
//! - Every rule id in a finding is in the catalogue [`RULES`], and every policy names only
//!   catalogue ids (an unknown id is a [`PolicyError`]).
//! - Nothing a province would configure is in code: severities, word lists, thresholds and
//!   grading points live in the policy TOML (`crates/review/policies/`).
//! - The grade is reproducible from the output: score = start − Σ per rule
//!   min(cap, count × points), thresholds and the error cap from the policy, all written in
//!   [`ProjectReview::explanation`] and the JSON `deductions`.
//!
//! The crate does **not** know files, the CLI, the database or HTTP; nor does it parse forms
//! (that is `jixiao-form`).
//!
//! ## Tests
//! Unit tests per rule on small hand-made projects; golden tests on the seed form under
//! `crates/review/tests/data/`. Rewrite the goldens (and `docs/rules.md`) with
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test -p jixiao-review
//! ```
//!
//! and review the diff.
#![deny(missing_docs)]

mod catalogue;
mod consequence;
mod history;
mod policy;
mod report;
mod rules;

use jixiao_model::{Finding, Form, Project};

pub use catalogue::{rule_info, rules_markdown, RuleInfo, RULES};
pub use consequence::{Consequence, ReviewAction};
pub use history::{matching_indicator, year_over_year, PriorYear};
/// The one output language of the workspace, defined in `jixiao-model`.
pub use jixiao_model::Lang;
pub use policy::{
    ConsistencyPolicy, DatesPolicy, ExecutionRatePolicy, FundsPolicy, GradePolicy,
    MeasurabilityPolicy, Policy, PolicyError, RuleSetting, StructurePolicy, UnitExpectation,
    BUILTIN_POLICIES,
};
pub use report::{
    grade_en, grade_meaning, rule_title, Deduction, ProjectReview, Report, REPORT_FORMAT,
};

/// Reviews every project of a form under a policy.
pub fn review(form: &Form, policy: &Policy) -> Report {
    let mut report = Report::empty(policy);
    report.projects = form
        .projects
        .iter()
        .map(|p| ProjectReview::grade(&p.name, rules::run(p, policy), &policy.grade))
        .collect();
    report
}

/// The findings of one project, sorted (project-level, then sub-tasks, then by line).
pub fn review_project(project: &Project, policy: &Policy) -> Vec<Finding> {
    ProjectReview::grade(&project.name, rules::run(project, policy), &policy.grade).findings
}

/// The built-in policies, in [`BUILTIN_POLICIES`] order (for `docs/rules.md`).
pub fn builtin_policies() -> Vec<Policy> {
    BUILTIN_POLICIES
        .iter()
        .filter_map(|n| Policy::builtin(n))
        .collect()
}
