//! # jixiao-model — the domain of 预算绩效目标管理
//!
//! This crate owns the typed model of a performance-target form (财政项目支出绩效目标申报表)
//! and of what is recorded against it during the year. It does no I/O: no files, no database,
//! no HTTP. Parsers of whole forms live in `jixiao-form`; this crate only turns the text of a
//! single cell into a type (a [`Target`], a list of [`TaskRef`]s, an [`Amount`]), saying how
//! in a [`ReadNote`] when a number in it was not written plainly.
//! It also owns the one presentation vocabulary ([`present`]): the output [`Lang`] and how
//! amounts, dates and percentages are written for people, so that every text output of the
//! workspace writes them alike.
//!
//! **Invariants**
//! - Money is exact: [`rust_decimal::Decimal`] in 元, never floats.
//! - A [`Target`] always keeps the raw cell text beside its parsed form ([`Indicator::raw`]).
//! - Every name follows `GLOSSARY.md`; the Chinese term is in each doc comment.
//!
//! Serde derives define the canonical JSON shape (see `docs/form-json.md`); field order is the
//! key order of the canonical JSON, so do not reorder fields casually.
#![deny(missing_docs)]

mod actual;
mod amount;
mod finding;
mod identity;
mod level;
mod library;
mod number;
mod period;
pub mod present;
mod project;
mod rectification;
mod target;
mod task_ref;
mod text;
mod workflow;

pub use actual::{Achievement, Observation, ObservedValue, SpendingRecord};
pub use amount::{parse_amount, parse_amount_with_notes, parse_date, AmountError};
pub use finding::{Finding, Grade, Severity};
pub use identity::{
    diff_indicators, match_indicators, IndicatorChange, IndicatorDiff, IndicatorLabel,
};
pub use level::{Level1, Level2};
pub use library::{normalize_name, Direction, LibraryEntry, LibraryScope};
pub use number::{scan_number, NumberError, NumberErrorKind, NumberFix, NumberRead, ReadNote};
pub use period::{PeriodError, ReportPeriod};
pub use present::Lang;
pub use project::{
    DeclarationId, DepartmentTargets, Form, Funds, Indicator, IndicatorId, Project, ProjectFunds,
    ProjectKey, SpendingSplit, Task, TaskFunds, DEPARTMENT_TARGETS_NAME, FORM_FORMAT,
};
pub use rectification::{
    FindingSource, Progress, Rectification, RectificationOwner, RectificationStatus, SourceFinding,
};
pub use target::{
    Deadline, Op, Period, Quantity, Recurrence, Target, TargetError, TargetErrorKind,
};
pub use task_ref::{split_task_refs, TaskRefError, TaskRefs};
pub use text::{fold_char, is_blank, normalize_label};
pub use workflow::{Role, Status, UnknownRole};

/// Re-exported civil date type (计划开始日期 etc. carry no time of day).
pub use chrono::{Datelike, NaiveDate};
/// Re-exported so that downstream crates name one decimal type.
pub use rust_decimal::Decimal;
