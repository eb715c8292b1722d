//! # jixiao-evaluate — 绩效运行监控 and 绩效自评, as pure functions
//!
//! This crate owns what happens to a declared project once the year runs:
//! - **实际完成值 rows** ([`parse_actual_rows`], [`parse_spending_rows`]): cells already split by a
//!   CSV/XLSX reader become typed [`Observation`](jixiao_model::Observation)s and
//!   [`SpendingRecord`](jixiao_model::SpendingRecord)s, checked against each indicator's target
//!   kind and unit; errors name line and column in Chinese and English.
//! - **绩效运行监控** ([`monitor`]): lights, forecasts and 完成目标可能性 as of a date, with
//!   warnings ([`Monitoring::flags`]).
//! - **成本预算绩效** ([`cost_report`]): funds per sub-task ÷ its quantitative outputs (元/公里),
//!   compared across units doing the same work.
//! - **年初 / 调整** ([`adjustment`]): what an adjustment of an approved declaration changed, for
//!   the 年初 columns of the 自评表 and 监控表.
//! - **部门整体** ([`DepartmentPart`]): a department-wide declaration's 自评表 and 监控表 carry its
//!   部门职能概述, 支出构成 and 年度主要任务 with their 预算数, and each indicator its 是否核心指标.
//! - **绩效自评** ([`evaluate`]): weights, scores, total and grade of the 自评表
//!   ([`SelfEvaluation`]) under a self-evaluation scheme ([`Scheme`], data: the national
//!   50/30/10/10, Sichuan's 10 + 90 by printed 权重, Hubei's 20 × 执行率 + 80), rendered as text ([`render_evaluation`]) or JSON
//!   ([`evaluation_json`], described in `docs/evaluation-json.md`).
//! - **Typed values in the tables**: 实际完成值, 截至目前完成值 and 全年预计完成值 are
//!   [`IndicatorValue`]s (numbers with units, a date, a level, periods on time, or a value as
//!   recorded that is to be confirmed, [`IndicatorValue::Recorded`]); only the
//!   renderers write them as text ([`value_text`]), with the workspace's formatting
//!   ([`jixiao_model::present`]: `2024年7月31日`, `360,000.00`, `98.61%`).
//!
//! Every threshold, weight and band comes from a [`Policy`] (TOML; the built-in default is
//! `src/default_policy.toml`), never from code.
//!
//! **Invariants**
//! - Pure: no files, no database, no clock; "today" is always a parameter.
//! - Exact: all arithmetic in [`rust_decimal::Decimal`] with checked operations; no floats.
//! - Every score is rounded half away from zero (四舍五入) to two decimals, and the total is the
//!   sum of the rounded parts.
//! - All-or-nothing rows: any bad cell → [`Error::Rows`] and no records.
//! - No panics on any input: overflow is [`Error::Overflow`], a zero budget [`Error::ZeroBudget`].
//! - One value per (indicator, 填报期间): for the same key the last observation given wins, for
//!   value and note alike; recurring deadlines are matched to periods by
//!   [`Observation::period`](jixiao_model::Observation::period), never by report date.
//! - Nothing silently dropped: a value that no longer fits its target, spending above the budget
//!   are kept and flagged ([`FlagKind`]); the caller adds [`Flag::orphaned`] for values of
//!   indicators no longer on the form.
#![deny(missing_docs)]

mod adjust;
mod common;
mod cost;
mod department;
mod error;
mod monitor;
mod num;
mod policy;
mod render;
mod results;
mod rows;
mod schemes;
mod score;
mod value;

pub use adjust::{
    adjustment, initial_cell, initial_target, Adjustment, InitialTarget, RemovedIndicator, ADDED_ZH,
};
pub use cost::{
    cost_per_output, cost_report, task_funds, ComparedCost, CostComparison, CostPerOutput,
    CostReport, FundsBasis, TaskFunds, UnitMismatch, ROUNDING_EN, ROUNDING_ZH,
};
pub use department::{core_text, DepartmentPart, MainTask, NOT_SPLIT_EN, NOT_SPLIT_ZH};
pub use error::{EntryError, Error, RowError, RowErrorKind};
/// The one output language of the workspace, defined in `jixiao-model`.
pub use jixiao_model::Lang;
pub use monitor::{
    judge, monitor, BudgetMonitor, IndicatorMonitor, Judgement, Light, Likelihood, MonitorOptions,
    Monitoring, MONITORING_FORMAT,
};
pub use num::{elapsed_fraction, round2};
pub use policy::{
    ActualsPolicy, DeadlinePolicy, DeviationPolicy, Grades, MonitorPolicy, Policy,
    QualitativePolicy, Weights, DEFAULT_POLICY_TOML,
};
pub use render::{
    evaluation_json, monitoring_json, render_evaluation, render_monitoring, value_text,
};
pub use results::{recommend, BudgetAdvice, BudgetRecommendation, UseOfResults};
pub use rows::{
    parse_actual_entry, parse_actual_rows, parse_spending_rows, rows_kind, ActualEntry,
    ParsedActual, ParsedEntry, ParsedSpending, Row, RowsKind,
};
pub use schemes::{schemes, Scheme, SCHEMES_TOML};
pub use score::{
    clause_share, evaluate, indicator_weights, BudgetScore, EvaluateOptions, Flag, FlagKind, Goals,
    IndicatorScore, Outcome, OutcomeCounts, ScoreState, SelfEvaluation, EVALUATION_FORMAT,
};
pub use value::{IndicatorValue, Measured};
