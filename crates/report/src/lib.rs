//! # jixiao-report — the reports of the year as XLSX and HTML
//!
//! This crate owns the **written layouts** of the year's reports (`docs/report-layouts.md`):
//! - the 项目支出绩效自评表 ([`self_evaluation_xlsx`]), one worksheet per project;
//! - the 项目支出绩效运行监控表 ([`monitoring_xlsx`]), one worksheet per project, lights as text
//!   on their colour;
//! - the 项目绩效目标汇总表 view of a year ([`UnitSummary`]: one row per declaration), as XLSX
//!   ([`summary_xlsx`]) and as a self-contained HTML page ([`summary_html`]; the table alone,
//!   [`summary_table_html`], for the web app).
//!
//! The declaration itself (申报表, a unit's 汇总表 of declarations) is written by
//! [`jixiao_form::form_to_xlsx`], which its reader takes back; these reports are outputs only.
//!
//! Charts ([`charts`]: progress by sub-task, score by 一级指标, budget execution against the time
//! line) are SVG documents drawn from the same views, for the web app and the PDFs.
//!
//! Every writer has a readable dump (`*_dump`) of what it puts where — value, merged range,
//! number format — which the golden files under `tests/data/report/` hold.
//!
//! **Invariants**
//! - Pure: typed views in, bytes or text out; no files, no database, no clock.
//! - No number changes on the way: an amount, score, rate or measured value is a number cell
//!   when a double holds it exactly (at most 15 significant digits) with a format that shows
//!   all its decimals; otherwise it is text showing every digit. Rates are percentages (the
//!   cell holds the fraction, `98.61%` is `0.9861`), dates are Excel dates.
//! - Never panics on any input: an empty selection writes an empty table.
#![deny(missing_docs)]

pub mod charts;
mod monitoring;
mod self_eval;
mod sheet;
mod summary;

use jixiao_evaluate::{IndicatorValue, Monitoring, SelfEvaluation};
use jixiao_model::{Lang, Level1, Level2, Project, SpendingRecord};

/// 实际完成情况 written when the scorer gave none: the outcome counts and the execution rate.
pub use self_eval::achieved_summary as self_evaluation_achieved_summary;
/// The notes under a 自评表 (the scorer's flags, the indicators an adjustment removed), and
/// the latter alone (under a 监控表).
pub use self_eval::{notes as self_evaluation_notes, removed_notes as adjustment_removed_notes};
pub use summary::{
    light_of, score_text, summary_html, summary_table_html, worst_light, FindingCounts,
    IndicatorCounts, RectificationCounts, SummaryRow, SummaryTotals, UnitSummary, UnitTotal,
};

use sheet::{Cell, Sheet, Style, Value};

/// A 监控表 with what its charts need besides it: the declaration (sub-tasks, which indicator
/// names which, the project period) and the spending records it was computed from
/// ([`charts::progress_by_task`], [`charts::budget_execution`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoredProject {
    /// The declaration.
    pub project: Project,
    /// Its 监控表.
    pub monitoring: Monitoring,
    /// Its current spending records.
    pub spending: Vec<SpendingRecord>,
}

/// Why a report could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The XLSX writer refused the workbook (a text longer than Excel's 32,767 characters, …).
    #[error("无法生成 XLSX 文件：{0} / cannot write the XLSX file: {0}")]
    Xlsx(String),
}

impl From<rust_xlsxwriter::XlsxError> for ReportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        ReportError::Xlsx(e.to_string())
    }
}

/// One worksheet per item, named after its project (unique, as Excel allows).
fn sheets<T>(
    items: &[T],
    name: impl Fn(&T) -> &str,
    build: impl Fn(&T, String) -> Sheet,
) -> Vec<Sheet> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        let n = sheet::sheet_name(name(i), &taken);
        taken.push(n.clone());
        out.push(build(i, n));
    }
    out
}

fn self_eval_sheets(items: &[SelfEvaluation]) -> Vec<Sheet> {
    sheets(items, |e| &e.project, self_eval::sheet)
}

fn monitoring_sheets(items: &[Monitoring]) -> Vec<Sheet> {
    sheets(items, |m| &m.project, monitoring::sheet)
}

/// 项目支出绩效自评表 as XLSX: one worksheet per project (named after it).
pub fn self_evaluation_xlsx(items: &[SelfEvaluation]) -> Result<Vec<u8>, ReportError> {
    sheet::render(&self_eval_sheets(items))
}

/// The readable dump of [`self_evaluation_xlsx`].
pub fn self_evaluation_dump(items: &[SelfEvaluation]) -> String {
    sheet::dump(&self_eval_sheets(items))
}

/// 项目支出绩效运行监控表 as XLSX: one worksheet per project (named after it).
pub fn monitoring_xlsx(items: &[Monitoring]) -> Result<Vec<u8>, ReportError> {
    sheet::render(&monitoring_sheets(items))
}

/// The readable dump of [`monitoring_xlsx`].
pub fn monitoring_dump(items: &[Monitoring]) -> String {
    sheet::dump(&monitoring_sheets(items))
}

/// 项目绩效目标汇总表 as XLSX: one worksheet `汇总表` for one unit's declarations; for several
/// units (a department's roll-up) a worksheet `按实施单位汇总` (one row per unit with its
/// totals, then 合计) before `汇总表` (the declarations grouped by unit, each group with its
/// 小计, then 合计); the 整改 counts in both; then `单位成本` (cost per output, compared
/// across units).
pub fn summary_xlsx(s: &UnitSummary) -> Result<Vec<u8>, ReportError> {
    sheet::render(&summary::sheets(s))
}

/// The readable dump of [`summary_xlsx`].
pub fn summary_dump(s: &UnitSummary) -> String {
    sheet::dump(&summary::sheets(s))
}

/// The cell of an indicator value: one number with its unit as a number (`0.00"公里"`), a date
/// as a date; anything else (several clauses, a level, periods on time, a value to be
/// confirmed) as the text the renderers write ([`jixiao_evaluate::value_text`]).
fn indicator_value(v: &IndicatorValue) -> Cell {
    match v {
        IndicatorValue::Numbers { parts } => match parts.as_slice() {
            [Some(m)] => Cell::Quantity(m.value, m.unit.clone()),
            _ => Cell::Text(jixiao_evaluate::value_text(v, Lang::Zh)),
        },
        IndicatorValue::Date { date } => Cell::Date(*date),
        _ => Cell::Text(jixiao_evaluate::value_text(v, Lang::Zh)),
    }
}

/// The header row of an indicator table: 一级, 二级, 三级, then 年度指标值 — or 年初指标值 and
/// 调整后指标值 for an adjusted declaration — then `rest`.
fn indicator_headers(adjusted: bool, rest: &[&'static str]) -> Vec<&'static str> {
    let mut v = vec!["一级指标", "二级指标", "三级指标"];
    if adjusted {
        v.extend(["年初指标值", "调整后指标值"]);
    } else {
        v.push("年度指标值");
    }
    v.extend_from_slice(rest);
    v
}

/// The header row of the 自评表's indicator table (see [`indicator_headers`]).
pub fn self_evaluation_headers(adjusted: bool) -> Vec<&'static str> {
    indicator_headers(
        adjusted,
        &["实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    )
}

/// The header row of the 监控表's indicator table (see [`indicator_headers`]).
pub fn monitoring_headers(adjusted: bool) -> Vec<&'static str> {
    indicator_headers(
        adjusted,
        &[
            "截至目前完成值",
            "序时进度值",
            "完成进度",
            "预警",
            "全年预计完成值",
            "完成目标可能性",
            "说明",
        ],
    )
}

/// Writes the 一级 (column A) and 二级 (column B) cells of an indicator table starting at row
/// `first`, merged over runs of equal values.
fn merge_blocks(s: &mut Sheet, first: u32, keys: &[(Level1, &Level2)]) {
    let mut k = 0usize;
    while k < keys.len() {
        let mut e = k;
        while e + 1 < keys.len() && keys[e + 1].0 == keys[k].0 {
            e += 1;
        }
        let v = Some(Value::Text(keys[k].0.zh().to_string()));
        s.span(first + k as u32, 0, first + e as u32, 0, v, Style::Category);
        k = e + 1;
    }
    let mut k = 0usize;
    while k < keys.len() {
        let mut e = k;
        while e + 1 < keys.len() && keys[e + 1] == keys[k] {
            e += 1;
        }
        let v = Some(Value::Text(keys[k].1.zh().to_string()));
        s.span(first + k as u32, 1, first + e as u32, 1, v, Style::Category);
        k = e + 1;
    }
}

#[cfg(test)]
mod tests;
