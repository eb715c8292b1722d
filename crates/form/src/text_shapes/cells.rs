//! Cell-per-line text rebuilt into a [`Grid`].
//!
//! The shape: every table cell's text on lines of its own, cells in row order (left to right,
//! top to bottom), merged cells printed once (at the first row of the merge) and blank cells
//! left out; a cell that wraps in the PDF keeps its line breaks, so a long cell is broken
//! mid-word (`兰溪路-真南路下立交工` / `程`). This is what a table extractor writes cell by cell
//! (`tests/data/pdf/text/cells.py`, pdfplumber) and what copying a table out of many viewers
//! gives. No positions survive, so the form's structure tells which lines form a cell:
//!
//! - **Header**: a known label (项目名称, 年度资金申请总额 …) and the lines up to the next label
//!   are its value (a value broken over lines is joined). The amounts of the whole period
//!   (项目资金总额, 其中：财政资金, the first 其他资金 after them) and of the year are kept apart
//!   as in the printed form.
//! - **Goals**: after the two headings (项目总目标, 年度总体目标) come the overall goal's lines,
//!   then the annual goal's. The overall goal's column is the narrower: its lines are as wide
//!   as its first line at most; the first line wider than that starts the annual goal. A line
//!   as wide as its column's widest continues on the next; a shorter one ends its paragraph.
//!   Lines that start a sub-task (`1 领域——标题——内容`) are the sub-task list, one item each.
//! - **Indicators**: 二级 labels (known categories) head the rows after them; 一级 labels are
//!   dropped (the recognizer infers 一级 from 二级). When names carry sub-task references
//!   (`8.`, `1与2.`), each reference starts a row: the row's first line is the name, continued
//!   while the line is as wide as the widest first line and the next line does not read as a
//!   target (`=`, `≥` …), and the row's remaining lines are the target. Without references a
//!   row is a name line and a target line; a run between labels with an odd number of lines
//!   cannot be paired and is refused at its first line.
//!
//! Every joined cell and every split of the goals is a note at its line.

use jixiao_model::{Level1, Level2};

use super::{first_ref, is_heading, is_title, join, norm, role, starts_task, starts_with_ref};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use crate::template::{vocabulary, Field, Role};

/// A line of text: its number (from 1) and its text, trimmed.
#[derive(Debug, Clone)]
struct Line {
    no: u32,
    /// The page (from 0): a form feed starts the next, as extractors write it.
    page: usize,
    text: String,
}

fn field(text: &str) -> Option<Field> {
    vocabulary().field(&norm(text)).map(|(f, _, _)| f)
}

fn is_funds_block(text: &str) -> bool {
    vocabulary().funds_block(&norm(text)).is_some()
}

fn is_year(text: &str) -> bool {
    let t = norm(text);
    let t = t.trim_start_matches('(').trim_end_matches(')');
    t.strip_suffix("年度")
        .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
}

fn is_table_header(text: &str) -> bool {
    matches!(
        role(text),
        Some(Role::Level1Header | Role::Level3Header | Role::TargetHeader | Role::ExtraColumn)
    ) || norm(text) == "二级指标"
}

/// Any label that ends a value in the header.
fn is_label(text: &str) -> bool {
    field(text).is_some()
        || is_funds_block(text)
        || role(text).is_some()
        || is_title(text)
        || is_heading(text)
}

/// Reads as a target of its own (a comparison), never as the rest of a name.
fn looks_like_target(text: &str) -> bool {
    text.starts_with(['=', '≥', '≤', '>', '<', '＞', '＜', '≧', '≦', '＝'])
}

/// Display width: two for a CJK (or any non-ASCII) character, one for ASCII.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        column: 1,
    }
}

fn blank() -> Cell {
    cell("")
}

/// True when the text looks like cell-per-line text in row order: the first 项目名称 (or other
/// header label) alone on its line is followed by a value, not by another label (the column
/// order of pdfminer's blocks puts the labels of a column one under another).
pub fn is_row_order(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(400)
        .collect();
    let Some(i) = lines
        .iter()
        .position(|l| matches!(field(l), Some(Field::Name)))
    else {
        return false;
    };
    lines.get(i + 1).is_some_and(|next| !is_label(next))
}

/// Reads cell-per-line text into a grid the recognizer reads, with notes on what was joined;
/// any error-level diagnostic means the text cannot be read.
pub fn read(text: &str) -> (Grid, Vec<Diagnostic>) {
    let mut page = 0usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, l) in text.split('\n').enumerate() {
        if l.starts_with('\u{c}') && i > 0 {
            page += 1;
        }
        let t = l.trim();
        if !t.is_empty() {
            lines.push(Line {
                no: u32::try_from(i + 1).unwrap_or(u32::MAX),
                page,
                text: t.to_string(),
            });
        }
        page += l.chars().skip(1).filter(|c| *c == '\u{c}').count();
    }
    let mut r = Reader::default();
    let lines = r.join_broken_labels(lines);
    r.run(&lines);
    (Grid { rows: r.rows }, r.diags)
}

#[derive(Default)]
struct Reader {
    rows: Vec<Row>,
    diags: Vec<Diagnostic>,
    /// The declaration has amounts of the whole period (项目资金总额 …).
    project_side: bool,
    /// 其他资金 labels seen in the declaration.
    others: usize,
}

impl Reader {
    fn push(&mut self, line: u32, cells: Vec<Cell>) {
        self.rows.push(Row { line, cells });
    }

    /// A note that the lines `parts` were joined into `text`.
    fn joined(&mut self, parts: &[&Line], text: &str, zh: &str, en: &str) {
        if parts.len() < 2 {
            return;
        }
        let p_zh: Vec<String> = parts
            .iter()
            .map(|l| format!("第{}行「{}」", l.no, l.text))
            .collect();
        let p_en: Vec<String> = parts
            .iter()
            .map(|l| format!("line {} {:?}", l.no, l.text))
            .collect();
        self.diags.push(Diagnostic::note(
            parts[0].no,
            1,
            format!("逐格文本：{zh}折行，{}→「{text}」", p_zh.join("+")),
            format!(
                "cell-per-line text: a wrapped {en}, {} → {text:?}",
                p_en.join(" + ")
            ),
        ));
    }

    /// Labels broken over lines in a narrow cell (`计划开始日` / `期`, `服务对象满意度` /
    /// `指标`) joined back, with a note: two or three short lines that together are a label
    /// of the form, none but the first being one alone (`服务对象满意度` reads as a 二级 too).
    fn join_broken_labels(&mut self, lines: Vec<Line>) -> Vec<Line> {
        let any_label = |t: &str| is_label(t) || Level2::from_label(&norm(t)).is_some();
        let mut out: Vec<Line> = Vec::with_capacity(lines.len());
        let mut i = 0;
        while i < lines.len() {
            let short = |k: usize| lines[k].text.chars().count() <= 8;
            let mut taken = 1;
            if short(i) {
                let mut joined = lines[i].text.clone();
                for k in i + 1..(i + 3).min(lines.len()) {
                    if !short(k) || lines[k].page != lines[i].page || any_label(&lines[k].text) {
                        break;
                    }
                    joined.push_str(&lines[k].text);
                    if any_label(&joined) {
                        taken = k + 1 - i;
                        break;
                    }
                }
            }
            if taken > 1 {
                let parts: Vec<&Line> = lines[i..i + taken].iter().collect();
                let text: String = parts.iter().map(|l| l.text.as_str()).collect();
                self.joined(&parts, &text, "标签", "label");
                out.push(Line {
                    no: lines[i].no,
                    page: lines[i].page,
                    text,
                });
            } else {
                out.push(lines[i].clone());
            }
            i += taken;
        }
        out
    }

    fn run(&mut self, lines: &[Line]) {
        let mut i = 0;
        while i < lines.len() {
            let t = lines[i].text.as_str();
            if is_title(t) || is_year(t) {
                if vocabulary().is_declaration_title(&norm(t)).is_some() {
                    self.project_side = false;
                    self.others = 0;
                }
                self.push(lines[i].no, vec![cell(t)]);
                i += 1;
                continue;
            }
            if role(t) == Some(Role::Level1Header) {
                i = self.indicators(lines, i);
                continue;
            }
            if matches!(role(t), Some(Role::OverallGoal | Role::AnnualGoal)) {
                i = self.goals(lines, i);
                continue;
            }
            if is_heading(t) {
                i += 1;
                continue;
            }
            if let Some(f) = field(t) {
                if f == Field::Name && self.project_side {
                    // A new declaration without a title line.
                    self.project_side = false;
                    self.others = 0;
                }
                i = self.header_field(lines, i, f);
                continue;
            }
            self.push(lines[i].no, vec![cell(t)]);
            i += 1;
        }
    }

    /// A header label and its value (the lines up to the next label).
    fn header_field(&mut self, lines: &[Line], i: usize, f: Field) -> usize {
        let label = &lines[i];
        let mut j = i + 1;
        let mut parts: Vec<&Line> = Vec::new();
        while j < lines.len() && !is_label(&lines[j].text) {
            parts.push(&lines[j]);
            j += 1;
        }
        if matches!(f, Field::ProjectTotal | Field::ProjectFiscal) {
            self.project_side = true;
        }
        let annual_side = match f {
            Field::ProjectTotal | Field::ProjectFiscal => false,
            Field::Other => {
                self.others += 1;
                !(self.project_side && self.others == 1)
            }
            Field::Total | Field::Fiscal | Field::Carryover => true,
            _ => false,
        };
        let mut cells = if annual_side {
            vec![blank(), blank()]
        } else {
            Vec::new()
        };
        cells.push(cell(label.text.clone()));
        if let Some(first) = parts.first() {
            let mut text = first.text.clone();
            for p in &parts[1..] {
                join(&mut text, &p.text);
            }
            self.joined(&parts, &text, "值", "value");
            cells.push(cell(text));
        }
        self.push(label.no, cells);
        j
    }

    /// The goal headings and the goals' text, then the sub-task list.
    fn goals(&mut self, lines: &[Line], i: usize) -> usize {
        let first = &lines[i];
        let second = lines.get(i + 1);
        let side_by_side = second.is_some_and(|s| {
            matches!(
                (role(&first.text), role(&s.text)),
                (Some(Role::OverallGoal), Some(Role::AnnualGoal))
            )
        });
        let end = (i + 1..lines.len())
            .find(|&k| {
                let t = &lines[k].text;
                role(t) == Some(Role::Level1Header)
                    || is_title(t)
                    || field(t).is_some()
                    || (is_heading(t) && k > i + 2)
            })
            .unwrap_or(lines.len());
        let body_from = if side_by_side { i + 2 } else { i + 1 };
        let tasks_from = (body_from..end)
            .find(|&k| starts_task(&lines[k].text))
            .unwrap_or(end);
        let body: Vec<&Line> = lines[body_from..tasks_from]
            .iter()
            .filter(|l| !is_heading(&l.text))
            .collect();
        if side_by_side {
            let second = &lines[i + 1];
            self.push(
                first.no,
                vec![cell(first.text.clone()), cell(second.text.clone())],
            );
            // The overall goal's lines are at most as wide as its first line.
            let w = body.first().map_or(0, |l| width(&l.text));
            let split = body
                .iter()
                .position(|l| width(&l.text) > w + 2)
                .unwrap_or(body.len());
            let (o, a) = body.split_at(split);
            if !o.is_empty() && !a.is_empty() {
                self.diags.push(Diagnostic::note(
                    o[0].no,
                    1,
                    format!(
                        "逐格文本：第 {}–{} 行读作「{}」，第 {}–{} 行（更宽的一栏）读作「{}」",
                        o[0].no,
                        o[o.len() - 1].no,
                        first.text,
                        a[0].no,
                        a[a.len() - 1].no,
                        second.text
                    ),
                    format!(
                        "cell-per-line text: lines {}–{} are read as {}, lines {}–{} (a wider column) as {}",
                        o[0].no,
                        o[o.len() - 1].no,
                        first.text,
                        a[0].no,
                        a[a.len() - 1].no,
                        second.text
                    ),
                ));
            }
            if a.is_empty() && !o.is_empty() {
                self.diags.push(Diagnostic::warning(
                    o[0].no,
                    1,
                    format!(
                        "逐格文本：没有比「{}」一栏更宽的行，第 {}–{} 行全部读作「{}」，「{}」为空：请核对",
                        first.text,
                        o[0].no,
                        o[o.len() - 1].no,
                        first.text,
                        second.text
                    ),
                    format!(
                        "cell-per-line text: no line is wider than the {} column, so lines {}–{} are all read as {} and {} is empty: please check",
                        first.text,
                        o[0].no,
                        o[o.len() - 1].no,
                        first.text,
                        second.text
                    ),
                ));
            }
            let line = body.first().map_or(first.no, |l| l.no);
            let o = paragraphs(o, |_| false)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join("\n");
            let a = paragraphs(a, |_| false)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join("\n");
            if !o.is_empty() || !a.is_empty() {
                self.push(line, vec![cell(o), cell(a)]);
            }
        } else {
            self.push(first.no, vec![cell(first.text.clone())]);
            for (t, l) in paragraphs(&body, |_| false) {
                self.push(l, vec![cell(t)]);
            }
        }
        let tasks: Vec<&Line> = lines[tasks_from..end]
            .iter()
            .filter(|l| !is_heading(&l.text))
            .collect();
        for (t, l) in paragraphs(&tasks, starts_task) {
            self.push(l, vec![cell(t)]);
        }
        end
    }

    /// The indicator table from its header to the next declaration. Returns where it ended.
    fn indicators(&mut self, lines: &[Line], i: usize) -> usize {
        let mut j = i;
        let mut header = Vec::new();
        while j < lines.len() && is_table_header(&lines[j].text) {
            header.push(cell(lines[j].text.clone()));
            j += 1;
        }
        self.push(lines[i].no, header);
        let end = (j..lines.len())
            .find(|&k| {
                let t = &lines[k].text;
                is_title(t) || field(t).is_some() || is_year(t)
            })
            .unwrap_or(lines.len());
        // Runs of content lines, each after its 二级 label (or none).
        let mut runs: Vec<(Option<&Line>, Vec<&Line>)> = vec![(None, Vec::new())];
        let mut level1: Option<u32> = None;
        for l in &lines[j..end] {
            let n = norm(&l.text);
            if Level2::from_label(&n).is_some() {
                runs.push((Some(l), Vec::new()));
            } else if Level1::from_label(&n).is_some() {
                level1.get_or_insert(l.no);
            } else if !is_heading(&l.text) && !is_table_header(&l.text) {
                if let Some(last) = runs.last_mut() {
                    last.1.push(l);
                }
            }
        }
        let all: Vec<&Line> = runs.iter().flat_map(|(_, c)| c.iter().copied()).collect();
        let with_refs = all.first().is_some_and(|l| starts_with_ref(&l.text));
        // The widest first line of a row: how wide a name is when it wraps.
        let name_width = if with_refs {
            all.iter()
                .filter(|l| starts_with_ref(&l.text))
                .map(|l| width(&l.text))
                .max()
                .unwrap_or(0)
        } else {
            0
        };
        // Each run's rows: with sub-task numbers a number starts a row; without, a name line
        // and a target line.
        let mut blocks: Vec<(Option<&Line>, Vec<Vec<&Line>>)> = Vec::new();
        for (label, content) in runs {
            let mut rows: Vec<Vec<&Line>> = Vec::new();
            for l in content {
                match rows.last_mut() {
                    Some(row) if with_refs && !starts_with_ref(&l.text) => row.push(l),
                    _ => rows.push(vec![l]),
                }
            }
            if !with_refs {
                let flat: Vec<&Line> = rows.into_iter().flatten().collect();
                if !flat.len().is_multiple_of(2) {
                    let at = label.map_or(flat[0].no, |l| l.no);
                    self.diags.push(Diagnostic::error(
                        at,
                        1,
                        "逐格文本：此二级指标下的行数为奇数，无法把指标名称与指标值配对（有单元格折行）",
                        "cell-per-line text: the lines under this 二级 label are odd in number, so names and targets cannot be paired (a cell is wrapped)",
                    ));
                    return end;
                }
                rows = flat.chunks(2).map(<[&Line]>::to_vec).collect();
            }
            blocks.push((label, rows));
        }
        // A 二级 label whose merged cell began on the page before is printed where the next
        // page starts (the writer draws it once over the whole cell): when its first row
        // continues the numbers of the page before and the last block of that page holds a
        // restart of the numbers, the rows from that restart are this label's.
        for k in 1..blocks.len() {
            let Some(label) = blocks[k].0 else { continue };
            let (Some(next), Some(prev_last)) = (
                blocks[k].1.first().map(|r| r[0]),
                blocks[k - 1].1.last().map(|r| r[0]),
            ) else {
                continue;
            };
            let continues = match (first_ref(&prev_last.text), first_ref(&next.text)) {
                (Some(a), Some(b)) => b >= a,
                _ => false,
            };
            if !(label.page > prev_last.page && next.page == label.page && continues) {
                continue;
            }
            let prev = &blocks[k - 1].1;
            let drop = (1..prev.len()).rev().find(|&d| {
                prev[d][0].page == prev_last.page
                    && match (first_ref(&prev[d - 1][0].text), first_ref(&prev[d][0].text)) {
                        (Some(a), Some(b)) => b < a,
                        _ => false,
                    }
            });
            let Some(d) = drop else { continue };
            let moved: Vec<Vec<&Line>> = blocks[k - 1].1.split_off(d);
            self.diags.push(Diagnostic::warning(
                label.no,
                1,
                format!(
                    "逐格文本：二级指标「{}」印在新一页之首，而其下各行接续上一页的子任务编号：它是跨页的合并单元格，读作第 {} 行起各行（上一页子任务编号重新开始处）的二级指标",
                    label.text, moved[0][0].no
                ),
                format!(
                    "cell-per-line text: the 二级 label {:?} opens a page whose rows continue the sub-task numbers of the page before: it is a merged cell over the page break, read as the 二级 of the rows from line {} on (where the numbers start again on the page before)",
                    label.text, moved[0][0].no
                ),
            ));
            let rest = std::mem::take(&mut blocks[k].1);
            blocks[k].1 = moved.into_iter().chain(rest).collect();
        }
        for (label, rows) in blocks {
            let mut first_row = true;
            for row in rows {
                if row.len() < 2 {
                    self.diags.push(Diagnostic::error(
                        row[0].no,
                        1,
                        format!("逐格文本：三级指标「{}」之后没有指标值", row[0].text),
                        format!(
                            "cell-per-line text: the indicator {:?} has no target after it",
                            row[0].text
                        ),
                    ));
                    return end;
                }
                let mut k = 1;
                while k + 1 < row.len()
                    && width(&row[k - 1].text) + 4 >= name_width
                    && !looks_like_target(&row[k].text)
                {
                    k += 1;
                }
                let (n, v) = row.split_at(k);
                let mut name = n[0].text.clone();
                for p in &n[1..] {
                    join(&mut name, &p.text);
                }
                let mut value = v[0].text.clone();
                for p in &v[1..] {
                    join(&mut value, &p.text);
                }
                self.joined(n, &name, "三级指标", "indicator name");
                self.joined(v, &value, "指标值", "target");
                let l2 = match (first_row, label) {
                    (true, Some(l)) => cell(l.text.clone()),
                    _ => blank(),
                };
                first_row = false;
                self.push(v[0].no, vec![blank(), l2, cell(name), cell(value)]);
            }
        }
        if let Some(line) = level1 {
            self.diags.push(Diagnostic::note(
                line,
                1,
                "逐格文本中合并的「一级指标」单元格不据以分组：一级指标由二级指标推定",
                "merged 一级 cells do not group the rows of cell-per-line text: each 一级 is inferred from its 二级",
            ));
        }
        end
    }
}

/// Lines joined into paragraphs: a line as wide as the widest (within two characters)
/// continues on the next, unless the next starts a new item; a shorter line ends its
/// paragraph. Each paragraph with its first line's number.
fn paragraphs(ls: &[&Line], new_item: impl Fn(&str) -> bool) -> Vec<(String, u32)> {
    let max = ls.iter().map(|l| width(&l.text)).max().unwrap_or(0);
    let mut out: Vec<(String, u32)> = Vec::new();
    let mut open = false;
    for l in ls {
        match out.last_mut() {
            Some((text, _)) if open && !new_item(&l.text) => join(text, &l.text),
            _ => out.push((l.text.clone(), l.no)),
        }
        open = width(&l.text) + 4 >= max;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_broken_in_narrow_cells_are_joined() {
        let (g, d) = read("项目名称\n交通工具购置及更\n新\n计划开始日\n期\n2024年1月1日\n");
        let texts: Vec<Vec<&str>> = g
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            [
                vec!["项目名称", "交通工具购置及更新"],
                vec!["计划开始日期", "2024年1月1日"]
            ]
        );
        assert!(d
            .iter()
            .any(|d| d.zh.contains("第4行「计划开始日」+第5行「期」")));
        assert_eq!((g.rows[1].line, d.len()), (4, 2));
    }

    #[test]
    fn row_order_is_told_from_column_order() {
        assert!(is_row_order("项目名称\n交通工具购置及更新\n项目性质\n"));
        assert!(!is_row_order(
            "项目名称\n主管部门\n计划开始日期\n交通工具购置及更新\n"
        ));
    }
}
