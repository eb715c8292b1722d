//! # jixiao-report — the reports of the year as XLSX and HTML
//!
//! This crate owns the **written layouts** of the year's reports (`docs/report-layouts.md`):
//! - the 项目支出绩效自评表 ([`self_evaluation_xlsx`]), one worksheet per project;
//! - the 项目支出绩效运行监控表 ([`monitoring_xlsx`]), one worksheet per project, lights as text
//!   on their colour;
//! - a department-wide declaration's tables in their own layout (部门整体支出绩效自评表 /
//!   部门整体支出绩效运行监控表: 部门（单位）名称, the 年度主要任务 block, 是否核心指标) in the
//!   same workbooks;
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
    DEPARTMENT_WIDE_NOTE_EN, DEPARTMENT_WIDE_NOTE_ZH,
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
/// 调整后指标值 for an adjusted declaration — then 是否核心指标 on a department-wide table
/// (`core`), then `rest`.
fn indicator_headers(adjusted: bool, core: bool, rest: &[&'static str]) -> Vec<&'static str> {
    let mut v = vec!["一级指标", "二级指标", "三级指标"];
    if adjusted {
        v.extend(["年初指标值", "调整后指标值"]);
    } else {
        v.push("年度指标值");
    }
    if core {
        v.push("是否核心指标");
    }
    v.extend_from_slice(rest);
    v
}

/// The header row of the 自评表's indicator table (see [`indicator_headers`]).
pub fn self_evaluation_headers(adjusted: bool, core: bool) -> Vec<&'static str> {
    indicator_headers(
        adjusted,
        core,
        &["实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    )
}

/// The header row of the 监控表's indicator table (see [`indicator_headers`]).
pub fn monitoring_headers(adjusted: bool, core: bool) -> Vec<&'static str> {
    indicator_headers(
        adjusted,
        core,
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

/// The 年度主要任务 block of a department-wide table from row `r`, columns A..=`last`: A the
/// label over the block; a header row (任务名称 | 主要内容 over `1 + d` columns | 预算数 | 财政拨款
/// | 其他资金 | `spent_label`); a row per task (its 执行数 is not split by task: the text
/// [`jixiao_evaluate::NOT_SPLIT_ZH`]); and 金额合计 with the year's 执行数 `spent`. Returns the
/// row after the block.
fn main_tasks(
    s: &mut Sheet,
    r: u32,
    part: &jixiao_evaluate::DepartmentPart,
    spent: jixiao_model::Decimal,
    spent_label: &str,
    d: u16,
    last: u16,
) -> u32 {
    let n = part.tasks.len() as u32;
    let label = Some(Value::Text("年度主要任务（元）".into()));
    s.span(r, 0, r + n + 1, 0, label, Style::Label);
    s.label(r, 1, 1, "任务名称");
    s.label(r, 2, 2 + d, "主要内容");
    s.label(r, 3 + d, 3 + d, "预算数");
    s.label(r, 4 + d, 4 + d, "财政拨款");
    s.label(r, 5 + d, 5 + d, "其他资金");
    s.label(r, 6 + d, last, spent_label);
    let amounts = |s: &mut Sheet, row: u32, f: Option<jixiao_model::TaskFunds>| {
        let cells = match f {
            Some(f) => [f.total, f.fiscal, f.other].map(Cell::Amount),
            None => [Cell::Blank, Cell::Blank, Cell::Blank],
        };
        for (k, c) in cells.into_iter().enumerate() {
            let col = 3 + d + k as u16;
            s.cell(row, col, col, c);
        }
    };
    for (k, t) in part.tasks.iter().enumerate() {
        let row = r + 1 + k as u32;
        s.text(row, 1, 1, &t.title, Style::Text);
        s.text(row, 2, 2 + d, &t.description, Style::Text);
        amounts(s, row, t.budget);
        s.text(row, 6 + d, last, jixiao_evaluate::NOT_SPLIT_ZH, Style::Text);
    }
    let row = r + 1 + n;
    s.label(row, 1, 2 + d, "金额合计");
    amounts(s, row, part.budget_total());
    s.cell(row, 6 + d, last, Cell::Amount(spent));
    row + 1
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
