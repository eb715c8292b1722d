//! Text copied out of a PDF, in the shapes PDF extractors write it, told by content.
//!
//! Besides the tab-separated export (one row a line, cells split at tabs), a form copied out of a
//! PDF reaches people as:
//!
//! - **layout text** (`pdftotext -layout`): the cells of one visual row on one line, joined by
//!   runs of spaces (and by a single space where a cell's text fills its column), a wrapped
//!   cell's fragments on the lines above and below;
//! - **cell per line** (a table extractor's cells, the text layers of many viewers, pdfminer's
//!   `pdf2txt.py`): each cell or text block on its own lines, long cells broken mid-word
//!   (`兰溪路-真南路下立交工` / `程`), in row order (cells left to right, rows top to bottom) or,
//!   for pdfminer's blocks of a ruled table, column by column.
//!
//! Both are **read** into the same [`crate::grid::Grid`] every other source feeds, by
//! [`layout`] and [`cells`], from the columns of the characters (layout) and the form's
//! structure (known labels, 二级 categories, sub-task numbers, targets): a wrapped cell's
//! fragments are joined and merged labels given their rows, each with a note at its line, and
//! the reading is a warning that says so. What cannot be paired without guessing is refused
//! at its line. Cell-per-line text in column order (pdfminer's `pdf2txt.py` blocks: the label
//! column before the value column) cannot be paired back at all and is refused ([`refusal`])
//! with what was seen and what to give instead: the PDF itself, which [`crate::pdf`] reads
//! with the positions, or a tab-separated, CSV or XLSX export.

use jixiao_model::{normalize_label, split_task_refs};

use crate::diag::Diagnostic;
use crate::template::{vocabulary, Role};

pub mod cells;
pub mod layout;
pub mod web;

/// Labels of the 申报表 that stand alone in their cells.
const LABELS: [&str; 9] = [
    "项目名称",
    "主管部门",
    "实施单位",
    "项目性质",
    "项目类别",
    "计划开始日期",
    "一级指标",
    "二级指标",
    "三级指标",
];

/// The shape of text extracted from a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `pdftotext -layout`: a visual row on a line, cells joined by runs of spaces.
    Layout,
    /// pdfminer-style: one text block per line, blocks in column order.
    CellPerLine,
}

/// What showed the shape: the shape, and the line (1-based), column and text where it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The shape.
    pub shape: Shape,
    /// The line, from 1.
    pub line: u32,
    /// The column (characters, from 1) where the label stands.
    pub column: u32,
    /// The line as written (cut to 40 characters).
    pub text: String,
}

/// Tells text extracted from a PDF by its content: a line where a form label is followed, after
/// a run of two or more spaces, by more text is layout text; three or more lines that are a
/// label alone are cell-per-line text. Text with a tab (the export) or a label followed by a
/// comma (CSV) is neither. `None` when the text shows neither shape.
pub fn detect(text: &str) -> Option<Seen> {
    if text.contains('\t') {
        return None;
    }
    let mut alone: Vec<(u32, u32, &str)> = Vec::new();
    for (i, raw) in text.lines().enumerate().take(100_000) {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim();
        for label in LABELS {
            let Some(at) = raw.find(label) else {
                continue;
            };
            let after = &raw[at + label.len()..];
            if after.trim_start().starts_with(',') {
                return None;
            }
            let column = raw[..at].chars().count() as u32 + 1;
            let spaces = after
                .chars()
                .take_while(|c| *c == ' ' || *c == '\u{3000}')
                .count();
            if spaces >= 2 && !after.trim().is_empty() {
                return Some(Seen {
                    shape: Shape::Layout,
                    line: line_no,
                    column,
                    text: cut(raw.trim()),
                });
            }
            if trimmed == label {
                alone.push((line_no, column, raw));
            }
        }
    }
    if alone.len() >= 3 {
        let (line, column, raw) = alone[0];
        return Some(Seen {
            shape: Shape::CellPerLine,
            line,
            column,
            text: cut(raw.trim_end()),
        });
    }
    None
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The warning that text of an extracted shape was read by rebuilding its cells and rows.
pub fn reading_note(seen: &Seen) -> Diagnostic {
    let (zh, en) = match seen.shape {
        Shape::Layout => (
            format!(
                "这是从 PDF 按版面复制出的文本（如 pdftotext -layout，「{}」）：已按各列的字符位置和表格的结构重建单元格与行（折行的单元格、合并的二级指标见以下提示），请与原表核对",
                seen.text
            ),
            format!(
                "this is text copied out of a PDF by its layout (as pdftotext -layout writes it, {:?}): its cells and rows were rebuilt from the columns of the characters and the form's structure (wrapped cells and merged 二级 labels are noted below); check them against the original",
                seen.text
            ),
        ),
        Shape::CellPerLine => (
            format!(
                "这是从 PDF 逐格提取的文本（每个单元格单独成行，按行排列，如「{}」）：已按表格的结构（已知的标签、二级指标、子任务编号、指标值）把折行的单元格接回、把单元格组成行（见以下提示），请与原表核对",
                seen.text
            ),
            format!(
                "this is text extracted from a PDF cell by cell (each cell on lines of its own, in row order, such as {:?}): wrapped cells were joined and cells grouped into rows by the form's structure (known labels, 二级 categories, sub-task numbers, targets; noted below); check them against the original",
                seen.text
            ),
        ),
    };
    Diagnostic::warning(seen.line, seen.column, zh, en)
}

/// The error for text of an extracted shape, naming what was seen.
pub fn refusal(seen: &Seen) -> Diagnostic {
    let (zh, en) = match seen.shape {
        Shape::Layout => (
            format!(
                "这是从 PDF 按版面复制出的文本（如 pdftotext -layout）：单元格之间只有空格（「{}」），折行单元格的碎片在上下行中，无法确定哪些文字属于同一单元格、同一行；为免读错，不予读取。请直接读取 PDF 文件，或导出为制表符分隔的文本、CSV 或 XLSX",
                seen.text
            ),
            format!(
                "this is text copied out of a PDF by its layout (as pdftotext -layout writes it): cells are separated only by spaces ({:?}) and wrapped cells are split over the lines above and below, so which text forms one cell and one row cannot be told; it is not read, to avoid misreading. Read the PDF itself, or export the form as tab-separated text, CSV or XLSX",
                seen.text
            ),
        ),
        Shape::CellPerLine => (
            format!(
                "这是从 PDF 逐块提取的文本（每个单元格单独成行，如 pdfminer）：「{}」等标签单独成行，值在别处（按列排列），无法把标签与值、单元格与行对应起来；为免读错，不予读取。请直接读取 PDF 文件，或导出为制表符分隔的文本、CSV 或 XLSX",
                seen.text
            ),
            format!(
                "this is text extracted from a PDF block by block (each cell on lines of its own, as pdfminer writes it): labels such as {:?} stand alone and their values elsewhere (column by column), so labels cannot be paired with values nor cells with rows; it is not read, to avoid misreading. Read the PDF itself, or export the form as tab-separated text, CSV or XLSX",
                seen.text
            ),
        ),
    };
    Diagnostic::error(seen.line, seen.column, zh, en)
}

// ---- Shared by both readers (`layout` and `cells`): labels, sub-task markers, joining. ----

fn norm(text: &str) -> String {
    if text.len() > 64 {
        return String::new();
    }
    normalize_label(text)
}

fn role(text: &str) -> Option<Role> {
    vocabulary().role(&norm(text)).map(|(r, _)| r)
}

fn is_title(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    vocabulary().is_declaration_title(&norm(&t)).is_some()
        || (t.chars().count() <= 80 && t.ends_with("汇总表") && t.contains("绩效目标"))
}

/// A label that only heads a block, printed in a merged cell at the left (项目绩效目标, 绩效指标).
fn is_heading(text: &str) -> bool {
    matches!(role(text), Some(Role::Heading))
        || ["项目绩效目标", "绩效指标", "绩效目标"].contains(&norm(text).as_str())
}

/// Starts with a sub-task reference (`8.`, `1与2.`, `3-7.`).
fn starts_with_ref(text: &str) -> bool {
    split_task_refs(text).is_ok_and(|r| !r.tasks.is_empty())
}

/// The first sub-task number a name refers to (`8.` → 8), if any.
fn first_ref(name: &str) -> Option<u32> {
    split_task_refs(name).ok()?.tasks.first().copied()
}

/// Starts a sub-task item: a marker, then `领域——标题`.
fn starts_task(text: &str) -> bool {
    let t = text.trim_start();
    let n = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    let rest = if n > 0 && n <= 3 {
        &t[n..]
    } else if let Some(r) = t.strip_prefix(['-', '•', '·']) {
        r
    } else {
        return false;
    };
    rest.starts_with([' ', '.', '、', '．', ')', '）'])
        && (rest.contains("——") || rest.contains("--") || rest.contains('—'))
}

fn join(a: &mut String, b: &str) {
    let space = a.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if space {
        a.push(' ');
    }
    a.push_str(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_text_is_told_by_a_label_and_a_run_of_spaces() {
        let t = "      财政项目支出绩效目标申报表\n 项目名称     交通工具购置及更新     项目性质\n";
        let seen = detect(t).unwrap();
        assert_eq!(seen.shape, Shape::Layout);
        assert_eq!((seen.line, seen.column), (2, 2));
    }

    #[test]
    fn labels_alone_on_their_lines_are_cell_per_line() {
        let t = "项目名称\n主管部门\n计划开始日期\n\n交通工具购置及更新\n";
        let seen = detect(t).unwrap();
        assert_eq!(seen.shape, Shape::CellPerLine);
        assert_eq!((seen.line, seen.column), (1, 1));
    }

    #[test]
    fn tab_and_csv_text_are_neither() {
        assert_eq!(detect("项目名称\t交通工具购置及更新\n"), None);
        assert_eq!(
            detect("项目名称,交通工具  购置\n项目名称\n主管部门\n实施单位\n"),
            None
        );
        assert_eq!(detect("只是一段文字。\n"), None);
    }
}
