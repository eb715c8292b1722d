//! Text that lost its table: a web page or a document copied as plain text, where the cells
//! of a row run together (`项目名称委托业务项目主管部门…`, or joined by spaces) or stand one
//! per line ending in ` |` (a page's table as a text store writes it). Rows and columns cannot
//! be told apart any more, so such text is refused with that reason and the place of the
//! first form label found inside it — never read by guess, and never told it lacks a label
//! it holds. Told only after the text failed to read as a form, so it changes no reading.

use crate::diag::Diagnostic;
use crate::template::vocabulary;

/// Lines scanned at most, and the longest line looked into (in characters): a budget.
const MAX_LINES: usize = 2_000;
const MAX_LINE_CHARS: usize = 20_000;
/// A label inside a line this much longer than itself is inside a run of cells.
const RUN_EXTRA_CHARS: usize = 12;

/// The reason a text without tabs that did not read as a form cannot be read, if it is text
/// that lost its table.
pub fn detect(text: &str) -> Option<Diagnostic> {
    if text.contains('\t') {
        return None;
    }
    let lines: Vec<&str> = text.lines().take(MAX_LINES).collect();
    let piped = lines
        .iter()
        .filter(|l| {
            let t = l.trim_end();
            t.ends_with(" |") || t.contains(" | ")
        })
        .count();
    let anchors = vocabulary().anchor_labels();
    let found = lines.iter().enumerate().find_map(|(i, line)| {
        if line.chars().count() > MAX_LINE_CHARS {
            return None;
        }
        // A label inside a run of text: in a line, or in one of its comma-separated fields
        // when the text was taken for CSV (a label alone in its field is a cell).
        // The label that comes first (the longest where two start together).
        line.split(',')
            .flat_map(|field| {
                let norm = jixiao_model::normalize_label(field);
                let n = norm.chars().count();
                anchors
                    .iter()
                    .filter(move |a| n >= a.chars().count() + RUN_EXTRA_CHARS)
                    .filter_map(move |a| norm.find(*a).map(|_| *a))
            })
            .filter_map(|a| line.find(a).map(|at| (at, a)).or(Some((usize::MAX, a))))
            .min_by_key(|(at, a)| (*at, usize::MAX - a.len()))
            .map(|(_, a)| {
                let column = line
                    .find(a)
                    .map_or(1, |b| line[..b].chars().count() as u32 + 1);
                (i as u32 + 1, column, a, line.chars().count())
            })
    });
    // Rows kept, one a line, cells joined by ` | `: a shape not read yet (said as such).
    let rows_kept = lines.iter().filter(|l| l.contains(" | ")).count();
    if rows_kept >= 3 {
        let (line, column) = found.map_or((1, 1), |(l, c, _, _)| (l, c));
        return Some(Diagnostic::error(
            line,
            column,
            format!(
                "文本每行一行表格、以「 | 」分隔单元格（网页表格转成的文本，{rows_kept} 行）：jixiao 尚不读取这种形式，未读取。请提供原表（XLSX、CSV、PDF）或带制表符的文本导出"
            ),
            format!(
                "the text holds a table row on each line with cells joined by \" | \" (a web page's table written as text, {rows_kept} lines): jixiao does not read this shape yet; not read. Please provide the original table (XLSX, CSV, PDF) or a tab-separated text export"
            ),
        ));
    }
    if piped >= 3 {
        let (line, column) = found.map_or((1, 1), |(l, c, _, _)| (l, c));
        return Some(Diagnostic::error(
            line,
            column,
            format!(
                "文本每个单元格独占一行、以「 |」结尾（网页表格转成的文本，{piped} 行）：表格的行已丢失，无法分辨行与列，未读取。请提供原表（XLSX、CSV、PDF）或带制表符的文本导出"
            ),
            format!(
                "the text holds one cell a line, each ending in \" |\" (a web page's table written as text, {piped} lines): the table's rows are lost and rows and columns cannot be told apart; not read. Please provide the original table (XLSX, CSV, PDF) or a tab-separated text export"
            ),
        ));
    }
    let (line, column, label, chars) = found?;
    Some(Diagnostic::error(
        line,
        column,
        format!(
            "「{label}」与其他文字连成一行（第 {line} 行 {chars} 个字，没有制表符或单元格分隔）：这是从网页或文档复制、去掉了表格的文本，无法分辨行与列，未读取。请提供原表（XLSX、CSV、PDF）或带制表符的文本导出"
        ),
        format!(
            "{label} runs together with other text ({chars} characters on line {line}, no tabs or cell separators): text copied from a web page or document without its table; rows and columns cannot be told apart, not read. Please provide the original table (XLSX, CSV, PDF) or a tab-separated text export"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_cells_is_told_with_the_label_found() {
        let d = detect(
            "附件: 项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 主管部门 某镇人民政府\n",
        )
        .unwrap();
        assert_eq!((d.line, d.column), (1, 24));
        assert!(d.zh.contains("「项目名称」与其他文字连成一行"), "{}", d.zh);
    }

    #[test]
    fn piped_cells_are_told() {
        let d = detect("项目名称 |\n某项目 |\n主管部门 |\n某局 |\n").unwrap();
        assert!(d.zh.contains("表格的行已丢失"), "{}", d.zh);
        let d = detect("项目名称 | 某项目 |\n主管部门 | 某局 |\n实施单位 | 某局 |\n").unwrap();
        assert!(d.zh.contains("尚不读取这种形式"), "{}", d.zh);
        assert_eq!(d.line, 1);
    }

    #[test]
    fn tabs_labels_alone_and_plain_prose_are_not_told() {
        assert!(detect("项目名称\t委托业务项目主管部门某镇人民政府实施单位\n").is_none());
        assert!(detect("项目名称\n委托业务项目\n").is_none());
        assert!(detect("本文讨论预算绩效管理的一般方法与实践经验。\n").is_none());
        // CSV: a label alone in its field is a cell.
        assert!(detect("项目名称,委托业务项目\n主管部门,某镇人民政府\n").is_none());
        assert!(detect("说明,附件 项目名称委托业务项目主管部门某镇人民政府\n").is_some());
    }
}
