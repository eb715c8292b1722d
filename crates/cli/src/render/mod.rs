//! Renderings for people of what the commands did and read: the indicator tree of
//! `jixiao show`, the table of `jixiao list`, the summary of an import, the records of a year,
//! the review of `check`, the workflow's answers. Chinese first; English with [`Lang::En`].
//!
//! This module owns the layout of those texts (the CLI's only; the server renders pages);
//! amounts and dates are written by [`jixiao_model::present`] (`360,000.00 元`,
//! `2024年1月1日`), like every other output. What both front ends show alike — what a version
//! changed, an observed value — is [`jixiao_app::views`]'.

mod check;
mod import;
mod project;
mod records;
mod summary;
mod workflow;

pub use check::{batch, batch_json, check_json, ReaderNote};
pub use import::{import_summary, monitoring_import, self_eval_import};
pub use jixiao_app::views::{change, observed};
/// The one output language of the workspace (defined in `jixiao-model`).
pub use jixiao_model::Lang;
pub use project::{list, project, versions};
pub use records::{actuals, audit, history, recorded, spending};
pub use summary::{cost, summary};
pub use workflow::{saved, transition};

use jixiao_model::present;
use jixiao_model::NaiveDate;

/// `2024年1月1日` in Chinese, `2024-01-01` in English ([`jixiao_model::present::date`]).
pub fn date(d: NaiveDate, lang: Lang) -> String {
    present::date(d, lang)
}

/// A stored UTC time in the chosen zone, the zone named (text output may be read anywhere):
/// `2024年7月1日 05:35:45 Asia/Shanghai`.
fn stamp(at: &str, zone: present::Zone, lang: Lang) -> String {
    format!("{} {}", present::timestamp(at, zone, lang), zone.name())
}
