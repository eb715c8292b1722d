//! The form recognizer: a [`Grid`] in, projects out.
//!
//! One recognizer serves every source that yields a grid. It reads the official layout of the
//! 财政项目支出绩效目标申报表 and the damage real exports do to it:
//!
//! - **Labels are found by content, not by column.** Merged cells come out as blank cells or as
//!   shifted columns, so a cell is a 一级/二级 label when its text is one, wherever it stands.
//! - **一级 is inferred from 二级** (数量/质量/时效 → 产出, 经济成本/… → 成本, 经济效益/…/可持续影响
//!   → 效益, 服务对象满意度 → 满意度), because a merged 一级 label is printed where the exporter
//!   put it, often rows below where its block starts.
//! - **Which rows belong to which 二级 label.** An exporter prints a merged 二级 label on the
//!   first row of the page that holds the middle of its block. So rows after a label belong to
//!   it, except a *detached run*: unlabeled rows whose name column differs from the label's rows.
//!   A detached run that ends a page (blank line) and is followed by a page opening with a new
//!   label belongs to that next label (its label was printed on the next page); otherwise it
//!   belongs to the label above. Rows before the first label belong to the first label.
//! - **Page-break debris** is dropped: the `绩效 指标` label column, the stacked `项目\n绩效\n目标`
//!   label, repeated table headers.
//! - **Goals**: side by side (`项目总目标 | 年度总体目标` over one row of text each), or stacked
//!   headings followed by paragraphs, with the numbered sub-tasks (`- 领域——标题——内容`,
//!   `9 领域—标题—内容`) after them. A paragraph that does not end a sentence continues after a
//!   page break, joined without a space (Chinese wraps carry no space).
//! - **Sub-task references** in front of indicator names (`1与2.`, `3-7.`, `1-11`) are removed
//!   from the name and kept as numbers.

use jixiao_model::{
    parse_amount_with_notes, parse_date, split_task_refs, Datelike, Decimal, Form, Funds,
    Indicator, Level1, Level2, NaiveDate, Project, ProjectFunds, ReadNote, Target, Task,
    FORM_FORMAT,
};

use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};

/// Reads every project in the grid. Diagnostics carry grid positions; any error means the
/// result must not be used.
pub fn recognize(grid: &Grid) -> (Form, Vec<Diagnostic>) {
    let mut r = Recognizer::default();
    r.run(&grid.rows);
    let form = Form {
        format: FORM_FORMAT.to_string(),
        title: r.title,
        projects: r.projects,
    };
    (form, r.diags)
}

#[derive(Default)]
struct Recognizer {
    diags: Vec<Diagnostic>,
    title: Option<String>,
    title_year: Option<i32>,
    projects: Vec<Project>,
    /// A field of the current draft had a value that could not be read (already reported).
    bad_value: bool,
}

/// Where in a declaration the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    GoalColumns { overall: usize, annual: usize },
    GoalBody(BodyTarget),
    Indicators,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyTarget {
    Overall,
    Annual,
    Both,
}

/// A text value with the position it came from.
#[derive(Debug, Clone)]
struct Located {
    text: String,
    line: u32,
    column: u32,
}

impl Located {
    fn of(row: &Row, cell: &Cell) -> Located {
        Located {
            text: unwrap_cell(cell.text.trim()),
            line: row.line,
            column: cell.column,
        }
    }
}

#[derive(Default)]
struct Draft {
    line: u32,
    year: Option<(i32, u32)>,
    name: Option<Located>,
    nature: Option<Located>,
    category: Option<Located>,
    department: Option<Located>,
    unit: Option<Located>,
    start: Option<(NaiveDate, u32)>,
    end: Option<(NaiveDate, u32)>,
    multiplier: Option<Decimal>,
    annual_col: Option<usize>,
    project_col: Option<usize>,
    total: Option<Decimal>,
    fiscal: Option<Decimal>,
    carryover: Option<Decimal>,
    other: Option<Decimal>,
    p_total: Option<Decimal>,
    p_fiscal: Option<Decimal>,
    p_other: Option<Decimal>,
    overall: Vec<String>,
    annual: Vec<String>,
    tasks: Vec<Task>,
    /// The last paragraph of goal text, while it may still continue.
    body_open: bool,
    indicators: Vec<IndRow>,
    saw_indicator_header: bool,
}

/// An indicator row before its target is parsed.
#[derive(Debug, Clone)]
struct IndRow {
    line: u32,
    name: Located,
    target: Located,
    name_col: usize,
    target_col: usize,
    level1: Level1,
    level2: Level2,
}

/// A row of the indicator table before it is assigned to a 二级 label.
#[derive(Debug, Clone)]
struct RowData {
    line: u32,
    name: Located,
    target: Located,
    name_col: usize,
    target_col: usize,
}

type Label = (Level1, Level2);

const DEBRIS: &[&str] = &["项目绩效目标", "绩效指标", "绩效目标", "项目"];

fn is_declaration_title(norm: &str) -> bool {
    norm.contains("绩效目标申报表") && !norm.contains("汇总")
}

fn is_indicator_header(row: &Row) -> bool {
    let mut has1 = false;
    let mut has3 = false;
    for (_, c) in row.filled() {
        match label_text(&c.text).as_str() {
            "一级指标" => has1 = true,
            "三级指标" => has3 = true,
            _ => {}
        }
    }
    has1 && has3
}

fn year_of(norm: &str) -> Option<i32> {
    let t = norm.trim_start_matches('(').trim_end_matches(')');
    let t = t.strip_suffix("年度")?;
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

fn title_year(title: &str) -> Option<i32> {
    let idx = title.find("年度")?;
    let digits: String = title[..idx]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() == 4 {
        digits.chars().rev().collect::<String>().parse().ok()
    } else {
        None
    }
}

/// The normalised text of a cell that may be a label; long cells (names, goals) are never
/// labels and are not normalised at all, which keeps the recognizer fast.
fn label_text(text: &str) -> String {
    if text.len() > 64 {
        return String::new();
    }
    jixiao_model::normalize_label(text)
}

/// Ends a sentence: a paragraph that ends with one of these does not continue on the next page.
fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['。', '！', '？', '；', '.', '!', '?', ';', '”', '）', ')'])
        && !s.trim_end().ends_with('》')
}

/// Joins text wrapped over lines: no space between Chinese characters, one between ASCII words.
fn join_wrapped(a: &mut String, b: &str) {
    let needs_space = a.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if needs_space {
        a.push(' ');
    }
    a.push_str(b);
}

/// Removes soft line breaks inside a cell (text wrapped to the cell's width), keeping the
/// breaks that follow the end of a sentence (real paragraphs).
fn unwrap_cell(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for part in text.split('\n') {
        let part = part.trim();
        if out.is_empty() {
            out.push_str(part);
        } else if ends_sentence(&out) {
            out.push('\n');
            out.push_str(part);
        } else {
            join_wrapped(&mut out, part);
        }
    }
    out
}

/// A run of dashes separating 领域, 标题 and 内容 in a sub-task line.
fn next_dash_run(s: &str) -> Option<(usize, usize)> {
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (pos, c) = bytes[i];
        let em = matches!(c, '—' | '―' | '─');
        let double = matches!(c, '-' | '－')
            && bytes
                .get(i + 1)
                .is_some_and(|(_, d)| matches!(d, '-' | '－'));
        if em || double {
            let mut j = i;
            while j < bytes.len() && matches!(bytes[j].1, '—' | '―' | '─' | '-' | '－') {
                j += 1;
            }
            let end = bytes.get(j).map_or(s.len(), |(p, _)| *p);
            return Some((pos, end));
        }
        i += 1;
    }
    None
}

/// Splits `领域——标题——内容`.
fn split_task_text(text: &str) -> (Option<String>, String, String) {
    let Some((a, b)) = next_dash_run(text) else {
        return (None, text.trim().to_string(), String::new());
    };
    let first = text[..a].trim().to_string();
    let rest = &text[b..];
    match next_dash_run(rest) {
        Some((c, d)) => (
            Some(first),
            rest[..c].trim().to_string(),
            rest[d..].trim().to_string(),
        ),
        None => (None, first, rest.trim().to_string()),
    }
}

/// A sub-task item marker at the start of a line: `- `, `• `, or `9 `, `9.`, `9、`.
fn task_marker(text: &str) -> Option<(Option<u32>, &str)> {
    let t = text.trim_start();
    for bullet in ["- ", "-\t", "• ", "· ", "* ", "●", "•", "·"] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some((None, rest.trim_start()));
        }
    }
    let n = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 3 {
        return None;
    }
    let rest = &t[n..];
    let sep = rest.chars().next()?;
    if !matches!(
        sep,
        ' ' | '\t' | '.' | '、' | '．' | ')' | '）' | '\u{3000}'
    ) {
        return None;
    }
    let after = rest[sep.len_utf8()..].trim_start();
    // "1.5倍" is a number, not an item.
    if after.is_empty() || (sep == '.' && after.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    Some((t[..n].parse().ok(), after))
}

impl Recognizer {
    fn run(&mut self, rows: &[Row]) {
        let mut draft: Option<Draft> = None;
        let mut section = Section::Header;
        let mut i = 0;
        // The indicator table is read by its own loop; it returns where it stopped.
        while i < rows.len() {
            let row = &rows[i];
            if row.is_blank() {
                i += 1;
                continue;
            }
            let filled: Vec<(usize, &Cell)> = row.filled().collect();
            let first_norm = label_text(&filled[0].1.text);

            if filled
                .iter()
                .any(|(_, c)| is_declaration_title(&label_text(&c.text)))
            {
                self.finish(draft.take());
                draft = Some(Draft {
                    line: row.line,
                    ..Draft::default()
                });
                section = Section::Header;
                i += 1;
                continue;
            }
            let Some(d) = draft.as_mut() else {
                // Text before the first declaration: the document title, or a header row of a
                // form without the 申报表 title line.
                if filled
                    .iter()
                    .any(|(_, c)| label_text(&c.text) == "项目名称")
                {
                    draft = Some(Draft {
                        line: row.line,
                        ..Draft::default()
                    });
                    section = Section::Header;
                    continue;
                }
                if self.title.is_none() && filled.len() == 1 {
                    let t = filled[0].1.text.trim().to_string();
                    self.title_year = title_year(&t);
                    self.title = Some(t);
                } else {
                    self.diags.push(Diagnostic::warning(
                        row.line,
                        filled[0].1.column,
                        "表头之前的文字未识别，已忽略",
                        "text before the first form was not recognised and is ignored",
                    ));
                }
                i += 1;
                continue;
            };
            if filled.len() == 1 {
                if let Some(y) = year_of(&first_norm) {
                    d.year = Some((y, row.line));
                    i += 1;
                    continue;
                }
            }
            if is_indicator_header(row) {
                d.saw_indicator_header = true;
                section = Section::Indicators;
                i = self.read_indicators(rows, i + 1, d);
                continue;
            }
            // A second 项目名称 without a title line starts the next project.
            if d.name.is_some()
                && section != Section::Indicators
                && filled
                    .iter()
                    .any(|(_, c)| label_text(&c.text) == "项目名称")
                && (d.saw_indicator_header || !d.overall.is_empty())
            {
                self.finish(draft.take());
                draft = Some(Draft {
                    line: row.line,
                    ..Draft::default()
                });
                section = Section::Header;
                continue;
            }

            // Goal headings.
            let overall_h = filled.iter().find(|(_, c)| {
                matches!(label_text(&c.text).as_str(), "项目总目标" | "项目总体目标")
            });
            let annual_h = filled.iter().find(|(_, c)| {
                matches!(
                    label_text(&c.text).as_str(),
                    "年度总体目标" | "年度目标" | "年度绩效目标"
                )
            });
            match (overall_h, annual_h) {
                (Some((o, _)), Some((a, _))) => {
                    section = Section::GoalColumns {
                        overall: *o,
                        annual: *a,
                    };
                    i += 1;
                    continue;
                }
                (Some(_), None) if filled.len() == 1 => {
                    section = Section::GoalBody(BodyTarget::Overall);
                    d.body_open = false;
                    i += 1;
                    continue;
                }
                (None, Some(_)) if filled.len() == 1 => {
                    let shared =
                        section == Section::GoalBody(BodyTarget::Overall) && d.overall.is_empty();
                    if shared {
                        self.diags.push(Diagnostic::note(
                            row.line,
                            filled[0].1.column,
                            "「项目总目标」与「年度总体目标」共用下方同一段文字，两者均取该文字",
                            "项目总目标 and 年度总体目标 share the text below; both take it",
                        ));
                    }
                    section = Section::GoalBody(if shared {
                        BodyTarget::Both
                    } else {
                        BodyTarget::Annual
                    });
                    d.body_open = false;
                    i += 1;
                    continue;
                }
                _ => {}
            }

            match section {
                Section::GoalColumns { overall, annual } => {
                    for (idx, c) in &filled {
                        if label_text(&c.text) == "项目绩效目标" {
                            continue;
                        }
                        let to_overall = idx.abs_diff(overall) <= idx.abs_diff(annual);
                        let target = if to_overall {
                            &mut d.overall
                        } else {
                            &mut d.annual
                        };
                        let text = unwrap_cell(c.text.trim());
                        match target.last_mut() {
                            Some(last) => join_wrapped(last, &text),
                            None => target.push(text),
                        }
                    }
                    i += 1;
                }
                Section::GoalBody(which) => {
                    i = self.read_body_line(rows, i, d, which);
                }
                Section::Header | Section::Indicators => {
                    self.read_header_row(row, &filled, d);
                    i += 1;
                }
            }
        }
        self.finish(draft.take());
        if self.projects.is_empty()
            && !self
                .diags
                .iter()
                .any(|d| d.level == crate::diag::Level::Error)
        {
            let line = rows.iter().find(|r| !r.is_blank()).map_or(1, |r| r.line);
            self.diags.push(Diagnostic::error(
                line,
                1,
                "未找到绩效目标申报表：缺少「项目名称」等表头",
                "no performance-target form found: no 项目名称 header",
            ));
        }
    }

    /// One line of stacked goal text or of the sub-task list. Returns the next row index.
    fn read_body_line(
        &mut self,
        rows: &[Row],
        i: usize,
        d: &mut Draft,
        which: BodyTarget,
    ) -> usize {
        let row = &rows[i];
        let text: String = row
            .filled()
            .map(|(_, c)| unwrap_cell(c.text.trim()))
            .collect::<Vec<_>>()
            .join("");
        // Page-break debris: a label wrapped over several one-cell lines (项目 / 绩效 / 目标).
        let mut j = i;
        let mut joined = String::new();
        while j < rows.len() && !rows[j].is_blank() && rows[j].filled().count() == 1 {
            let t = label_text(
                &rows[j]
                    .filled()
                    .next()
                    .map(|(_, c)| c.text.clone())
                    .unwrap_or_default(),
            );
            if t.chars().count() > 6 {
                break;
            }
            joined.push_str(&t);
            j += 1;
            if DEBRIS.contains(&joined.as_str())
                && (j >= rows.len()
                    || rows[j].is_blank()
                    || rows[j].filled().count() != 1
                    || rows[j]
                        .filled()
                        .next()
                        .is_some_and(|(_, c)| c.text.chars().count() > 6))
            {
                return j;
            }
        }
        if let Some((no, rest)) = task_marker(&text) {
            let no = no.unwrap_or_else(|| d.tasks.last().map_or(1, |t| t.no + 1));
            if let Some(prev) = d.tasks.last() {
                if no != prev.no + 1 {
                    self.diags.push(Diagnostic::warning(
                        row.line,
                        1,
                        format!("子任务编号不连续：{} 之后是 {}", prev.no, no),
                        format!("sub-task numbers skip: {} is followed by {}", prev.no, no),
                    ));
                }
            }
            let (area, title, description) = split_task_text(rest);
            d.tasks.push(Task {
                no,
                area,
                title,
                description,
            });
            d.body_open = true;
            return i + 1;
        }
        // Continuation of the last item, or a new paragraph.
        if let Some(task) = d.tasks.last_mut() {
            let last = if task.description.is_empty() {
                &mut task.title
            } else {
                &mut task.description
            };
            if ends_sentence(last) {
                last.push('\n');
                last.push_str(&text);
            } else {
                join_wrapped(last, &text);
            }
            return i + 1;
        }
        let push = |v: &mut Vec<String>| match v.last_mut() {
            Some(last) if !ends_sentence(last) => join_wrapped(last, &text),
            _ => v.push(text.clone()),
        };
        match which {
            BodyTarget::Overall => push(&mut d.overall),
            BodyTarget::Annual => push(&mut d.annual),
            BodyTarget::Both => {
                push(&mut d.overall);
                push(&mut d.annual);
            }
        }
        i + 1
    }

    /// 项目名称 / 主管部门 / dates / funds rows.
    fn read_header_row(&mut self, row: &Row, filled: &[(usize, &Cell)], d: &mut Draft) {
        let mut recognised = false;
        let mut k = 0;
        let mut others_seen = 0;
        while k < filled.len() {
            let (idx, cell) = filled[k];
            let norm = label_text(&cell.text);
            // "label：value" in one cell.
            let (label, inline) = match norm.split_once(':') {
                Some((l, v)) if field_kind(l).is_some() && !v.is_empty() => {
                    let raw_v = cell
                        .text
                        .split_once([':', '：'])
                        .map_or("", |(_, v)| v)
                        .trim()
                        .to_string();
                    (l.to_string(), Some(raw_v))
                }
                _ => (norm.clone(), None),
            };
            let Some(kind) = field_kind(&label) else {
                if norm.starts_with("项目资金") && norm.contains("万元") {
                    d.multiplier = Some(Decimal::from(10000));
                    recognised = true;
                } else if norm.starts_with("项目资金")
                    || norm == "项目绩效目标"
                    || norm == "绩效指标"
                {
                    recognised = true;
                } else if !recognised || k == 0 {
                    self.diags.push(Diagnostic::warning(
                        row.line,
                        cell.column,
                        format!("未识别的内容「{}」，已忽略", cell.text.trim()),
                        format!("unrecognised text {:?} is ignored", cell.text.trim()),
                    ));
                }
                k += 1;
                continue;
            };
            recognised = true;
            // The value: inline, or the next filled cell unless that is a label itself.
            let value: Option<Located> = match inline {
                Some(v) => Some(Located {
                    text: v,
                    line: row.line,
                    column: cell.column,
                }),
                None => match filled.get(k + 1) {
                    Some((_, next)) if field_kind(&label_text(&next.text)).is_none() => {
                        k += 1;
                        Some(Located::of(row, next))
                    }
                    _ => None,
                },
            };
            let kind = if kind == Field::Other {
                others_seen += 1;
                let annual = match (d.annual_col, d.project_col) {
                    (Some(a), _) if a == idx => true,
                    (_, Some(p)) if p == idx => false,
                    _ => {
                        filled
                            .iter()
                            .filter(|(_, c)| label_text(&c.text) == "其他资金")
                            .count()
                            < 2
                            || others_seen == 2
                    }
                };
                if annual {
                    Field::OtherAnnual
                } else {
                    Field::OtherProject
                }
            } else {
                kind
            };
            match kind {
                Field::Total => d.annual_col = Some(idx),
                Field::ProjectTotal => d.project_col = Some(idx),
                _ => {}
            }
            self.set_field(d, kind, value, row, cell);
            k += 1;
        }
    }

    /// Reports a field value that cannot be read (`what`: 金额/amount, 日期/date).
    fn report_bad_value<T>(
        &mut self,
        v: &Located,
        label: &Cell,
        (what_zh, what_en): (&str, &str),
        e: &jixiao_model::AmountError,
    ) -> Option<T> {
        self.bad_value = true;
        let msg = e.to_string();
        let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
        let label = label.text.trim();
        self.diags.push(Diagnostic::error(
            v.line,
            v.column,
            format!("「{label}」的{what_zh}「{}」无法识别：{zh}", v.text),
            format!("cannot read the {what_en} {:?} of {label}: {en}", v.text),
        ));
        None
    }

    /// Turns the notes of a cell read with a guess (`≥15O00.00(公里)`, `1,850,OOO.00`) into
    /// warnings at the cell's line and the column of what was guessed.
    fn warn_read_notes(&mut self, v: &Located, notes: &[ReadNote]) {
        for n in notes {
            self.diags.push(Diagnostic::warning(
                v.line,
                v.column + n.offset as u32,
                n.zh.clone(),
                n.en.clone(),
            ));
        }
    }

    fn set_field(
        &mut self,
        d: &mut Draft,
        kind: Field,
        value: Option<Located>,
        row: &Row,
        label: &Cell,
    ) {
        let Some(v) = value else {
            return; // an empty cell: the field is not given
        };
        let mul = d.multiplier.unwrap_or(Decimal::ONE);
        let amount = |s: &mut Self, v: &Located| -> Option<Decimal> {
            let (a, notes) = match parse_amount_with_notes(&v.text) {
                Ok(read) => read,
                Err(e) => return s.report_bad_value(v, label, ("金额", "amount"), &e),
            };
            s.warn_read_notes(v, &notes);
            if mul == Decimal::ONE {
                return Some(a);
            }
            // Converted from 万元: shown in 元 with 2 decimals.
            let mut yuan = a * mul;
            yuan.rescale(2);
            Some(yuan)
        };
        let date = |s: &mut Self, v: &Located| -> Option<(NaiveDate, u32)> {
            match parse_date(&v.text) {
                Ok(dt) => Some((dt, v.line)),
                Err(e) => s.report_bad_value(v, label, ("日期", "date"), &e),
            }
        };
        let _ = row;
        match kind {
            Field::Name => d.name = Some(v),
            Field::Nature => d.nature = Some(v),
            Field::Category => d.category = Some(v),
            Field::Department => d.department = Some(v),
            Field::Unit => d.unit = Some(v),
            Field::Start => d.start = date(self, &v),
            Field::End => d.end = date(self, &v),
            Field::Total => d.total = amount(self, &v),
            Field::Fiscal => d.fiscal = amount(self, &v),
            Field::Carryover => d.carryover = amount(self, &v),
            Field::OtherAnnual => d.other = amount(self, &v),
            Field::ProjectTotal => d.p_total = amount(self, &v),
            Field::ProjectFiscal => d.p_fiscal = amount(self, &v),
            Field::OtherProject => d.p_other = amount(self, &v),
            // Resolved to OtherAnnual / OtherProject by the caller.
            Field::Other => {}
        }
    }

    /// Reads the indicator table from row `start`; returns the index of the first row after it.
    fn read_indicators(&mut self, rows: &[Row], start: usize, d: &mut Draft) -> usize {
        let mut current: Option<Label> = None;
        let mut block_layout: Option<usize> = None;
        let mut pending: Vec<RowData> = Vec::new();
        let mut pending_break = false;
        let mut leading: Vec<RowData> = Vec::new();
        let mut last_l1: Option<Level1> = None;
        let mut out: Vec<IndRow> = Vec::new();
        let assign = |out: &mut Vec<IndRow>, rows: Vec<RowData>, (l1, l2): &Label| {
            out.extend(rows.into_iter().map(|r| IndRow {
                line: r.line,
                name: r.name,
                target: r.target,
                name_col: r.name_col,
                target_col: r.target_col,
                level1: *l1,
                level2: l2.clone(),
            }));
        };
        let mut i = start;
        while i < rows.len() {
            let row = &rows[i];
            if row.is_blank() {
                if !pending.is_empty() {
                    pending_break = true;
                }
                i += 1;
                continue;
            }
            let filled: Vec<(usize, &Cell)> = row.filled().collect();
            if filled
                .iter()
                .any(|(_, c)| is_declaration_title(&label_text(&c.text)))
            {
                break;
            }
            if is_indicator_header(row) {
                i += 1; // a header repeated on a new page
                continue;
            }
            let mut l1s: Vec<Level1> = Vec::new();
            let mut l2: Option<Level2> = None;
            let mut content: Vec<(usize, &Cell)> = Vec::new();
            for (idx, c) in &filled {
                let norm = label_text(&c.text);
                if DEBRIS.contains(&norm.as_str()) && content.is_empty() {
                    continue;
                }
                if content.is_empty() {
                    if let Some(l) = Level1::from_label(&norm) {
                        l1s.push(l);
                        continue;
                    }
                    if let Some(l) = Level2::from_label(&norm) {
                        l2 = Some(l);
                        continue;
                    }
                }
                content.push((*idx, *c));
            }
            // 成本指标 without a 二级 beside it: a 二级 under 产出 (old layout) or a 一级 of its own.
            if l2.is_none() && l1s.contains(&Level1::Cost) {
                let under_output = l1s.contains(&Level1::Output)
                    || (l1s.len() == 1
                        && current.as_ref().is_some_and(|(l, _)| *l == Level1::Output));
                if under_output {
                    l1s.retain(|l| *l != Level1::Cost);
                    l2 = Some(Level2::OutputCost);
                } else {
                    l2 = Some(Level2::Other("成本指标".into()));
                }
            }
            if let Some(l) = l1s.last() {
                last_l1 = Some(*l);
            }
            // An unknown 二级 label: three cells, the first ending in 指标.
            if l2.is_none()
                && content.len() == 3
                && label_text(&content[0].1.text).ends_with("指标")
            {
                let norm = label_text(&content[0].1.text);
                self.diags.push(Diagnostic::warning(
                    row.line,
                    content[0].1.column,
                    format!("未知的二级指标「{norm}」，按原文保留"),
                    format!("unknown 二级 category {norm:?}, kept as written"),
                ));
                l2 = Some(Level2::Other(norm));
                content.remove(0);
            }
            let label: Option<Label> = l2.map(|l2| {
                let l1 = l2
                    .level1()
                    .or(l1s.last().copied())
                    .or(last_l1)
                    .unwrap_or(Level1::Output);
                (l1, l2)
            });
            if content.is_empty() {
                if let Some(lbl) = label {
                    // A label alone on its row.
                    if !pending.is_empty() {
                        let to = if pending_break {
                            lbl.clone()
                        } else {
                            current.clone().unwrap_or(lbl.clone())
                        };
                        assign(&mut out, std::mem::take(&mut pending), &to);
                    }
                    assign(&mut out, std::mem::take(&mut leading), &lbl);
                    current = Some(lbl);
                    block_layout = None;
                    pending_break = false;
                }
                i += 1;
                continue;
            }
            if content.len() == 1 {
                let (idx, c) = content[0];
                let prev = pending
                    .last()
                    .map(|r| (r.name_col, r.target_col))
                    .or_else(|| out.last().map(|r| (r.name_col, r.target_col)));
                let continues = label.is_none()
                    && prev.is_some_and(|(n, t)| idx == n || idx == t)
                    && split_task_refs(&c.text).is_ok_and(|r| r.tasks.is_empty());
                if continues {
                    let (n, _) = prev.unwrap_or_default();
                    let (name, target) = match pending.last_mut() {
                        Some(r) => (&mut r.name.text, &mut r.target.text),
                        None => {
                            let r = out.last_mut().expect("prev came from out");
                            (&mut r.name.text, &mut r.target.text)
                        }
                    };
                    join_wrapped(if idx == n { name } else { target }, c.text.trim());
                } else {
                    self.diags.push(Diagnostic::error(
                        row.line,
                        c.column,
                        format!(
                            "指标「{}」缺少年度指标值（表格可能在此被截断）",
                            c.text.trim()
                        ),
                        format!(
                            "indicator {:?} has no target (the table may be cut off here)",
                            c.text.trim()
                        ),
                    ));
                }
                i += 1;
                continue;
            }
            if content.len() > 2 {
                let extra = content[2].1;
                self.diags.push(Diagnostic::error(
                    row.line,
                    extra.column,
                    format!("指标行多出单元格「{}」：每行应为 三级指标 与 年度指标值", extra.text.trim()),
                    format!("extra cell {:?} in an indicator row: a row holds a 三级 name and its target", extra.text.trim()),
                ));
                i += 1;
                continue;
            }
            let data = RowData {
                line: row.line,
                name: Located::of(row, content[0].1),
                target: Located::of(row, content[1].1),
                name_col: content[0].0,
                target_col: content[1].0,
            };
            match (label, current.clone()) {
                (Some(lbl), _) => {
                    if !pending.is_empty() {
                        let to = if pending_break {
                            lbl.clone()
                        } else {
                            current.clone().unwrap_or(lbl.clone())
                        };
                        assign(&mut out, std::mem::take(&mut pending), &to);
                    }
                    assign(&mut out, std::mem::take(&mut leading), &lbl);
                    assign(&mut out, vec![data.clone()], &lbl);
                    block_layout = Some(data.name_col);
                    current = Some(lbl);
                    pending_break = false;
                }
                (None, None) => leading.push(data),
                (None, Some(cur)) => {
                    if !pending.is_empty() {
                        if pending_break {
                            // The page after the detached run opens without a label: it all
                            // continues the block above.
                            assign(&mut out, std::mem::take(&mut pending), &cur);
                            block_layout = Some(data.name_col);
                            assign(&mut out, vec![data], &cur);
                            pending_break = false;
                        } else {
                            pending.push(data);
                        }
                    } else if block_layout.is_some_and(|l| l != data.name_col) {
                        pending.push(data);
                        pending_break = false;
                    } else {
                        block_layout = Some(data.name_col);
                        assign(&mut out, vec![data], &cur);
                    }
                }
            }
            i += 1;
        }
        if let Some(cur) = &current {
            assign(&mut out, std::mem::take(&mut pending), cur);
        }
        if let Some(first) = leading.first() {
            self.diags.push(Diagnostic::error(
                first.line,
                first.name.column,
                "指标表中没有二级指标（数量指标、质量指标 …），无法归类",
                "the indicator table names no 二级 category (数量指标, 质量指标 …): cannot classify",
            ));
        }
        d.indicators.extend(out);
        i
    }

    /// Turns a draft into a project, or explains what is missing.
    fn finish(&mut self, draft: Option<Draft>) {
        let Some(d) = draft else { return };
        let bad_value = std::mem::take(&mut self.bad_value);
        let errors_before = self
            .diags
            .iter()
            .filter(|x| x.level == crate::diag::Level::Error)
            .count();
        let missing = |s: &mut Self, zh: &str, en: &str| {
            s.diags.push(Diagnostic::error(
                d.line,
                1,
                format!("第 {} 行开始的申报表缺少「{zh}」（表格可能不完整）", d.line),
                format!(
                    "the form starting at line {} has no {zh} ({en}); the form may be cut off",
                    d.line
                ),
            ));
        };
        if d.name.is_none() {
            missing(self, "项目名称", "project name");
        }
        if d.unit.is_none() {
            missing(self, "实施单位", "implementing unit");
        }
        if d.start.is_none() && !bad_value {
            missing(self, "计划开始日期", "planned start date");
        }
        if d.end.is_none() && !bad_value {
            missing(self, "计划完成日期", "planned end date");
        }
        if d.total.is_none() && !bad_value {
            missing(self, "年度资金申请总额", "annual total of funds");
        }
        let project_name = d.name.as_ref().map_or(String::new(), |n| n.text.clone());
        if d.indicators.is_empty() {
            self.diags.push(Diagnostic::error(
                d.line,
                1,
                format!(
                    "项目「{project_name}」没有绩效指标{}",
                    if d.saw_indicator_header {
                        ""
                    } else {
                        "（缺少“一级指标/二级指标/三级指标”表头，表格可能被截断）"
                    }
                ),
                format!(
                    "project {project_name:?} has no performance indicators{}",
                    if d.saw_indicator_header {
                        ""
                    } else {
                        " (no 一级指标/三级指标 header: the form may be cut off)"
                    }
                ),
            ));
        }
        let mut indicators = Vec::with_capacity(d.indicators.len());
        for r in &d.indicators {
            let refs = match split_task_refs(&r.name.text) {
                Ok(refs) => (refs.tasks, refs.name.to_string()),
                Err(e) => {
                    let msg = e.to_string();
                    let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
                    self.diags.push(Diagnostic::error(
                        r.line,
                        r.name.column,
                        zh.to_string(),
                        en.to_string(),
                    ));
                    continue;
                }
            };
            let target = match Target::parse_with_notes(&r.target.text) {
                Ok((t, notes)) => {
                    self.warn_read_notes(&r.target, &notes);
                    t
                }
                Err(e) => {
                    let msg = e.kind.to_string();
                    let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
                    self.diags.push(Diagnostic::error(
                        r.target.line,
                        r.target.column + e.offset as u32,
                        format!(
                            "指标「{}」的指标值「{}」无法识别：{zh}",
                            refs.1, r.target.text
                        ),
                        format!(
                            "cannot read the target {:?} of indicator {:?}: {en}",
                            r.target.text, refs.1
                        ),
                    ));
                    continue;
                }
            };
            indicators.push(Indicator {
                code: String::new(),
                level1: r.level1,
                level2: r.level2.clone(),
                name: refs.1,
                tasks: refs.0,
                raw: r.target.text.clone(),
                line: Some(r.line),
                target,
            });
        }
        let errors_after = self
            .diags
            .iter()
            .filter(|x| x.level == crate::diag::Level::Error)
            .count();
        if errors_after > errors_before {
            return;
        }
        let (Some(name), Some(unit), Some(start), Some(end), Some(total)) =
            (d.name, d.unit, d.start, d.end, d.total)
        else {
            return;
        };
        let year = d
            .year
            .map(|(y, _)| y)
            .or(self.title_year)
            .unwrap_or_else(|| start.0.year());
        let zero = |v: Option<Decimal>| v.unwrap_or(Decimal::ZERO);
        let project_funds = d.p_total.map(|t| ProjectFunds {
            total: t,
            fiscal: zero(d.p_fiscal),
            other: zero(d.p_other),
        });
        let mut p = Project {
            year,
            name: name.text,
            nature: d.nature.map(|v| v.text),
            category: d.category.map(|v| v.text),
            department: d.department.map(|v| v.text),
            unit: unit.text,
            start: start.0,
            end: end.0,
            funds: Funds {
                total,
                fiscal: zero(d.fiscal),
                carryover: zero(d.carryover),
                other: zero(d.other),
            },
            project_funds,
            overall_goal: d.overall.join("\n"),
            annual_goal: d.annual.join("\n"),
            tasks: d.tasks,
            indicators,
        };
        p.assign_codes();
        self.projects.push(p);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Nature,
    Category,
    Department,
    Unit,
    Start,
    End,
    Total,
    Fiscal,
    Carryover,
    Other,
    OtherAnnual,
    ProjectTotal,
    ProjectFiscal,
    OtherProject,
}

fn field_kind(norm: &str) -> Option<Field> {
    Some(match norm {
        "项目名称" => Field::Name,
        "项目性质" => Field::Nature,
        "项目类别" | "项目类型" => Field::Category,
        "主管部门" | "主管部门及代码" | "预算部门" => Field::Department,
        "实施单位" | "项目实施单位" => Field::Unit,
        "计划开始日期" | "开始日期" | "项目开始日期" | "计划开始时间" => {
            Field::Start
        }
        "计划完成日期" | "完成日期" | "计划结束日期" | "项目完成日期" | "计划完成时间" => {
            Field::End
        }
        "年度资金申请总额" | "年度资金总额" | "年度资金" => Field::Total,
        "其中:当年财政拨款" | "当年财政拨款" | "其中:财政拨款" => Field::Fiscal,
        "上年结转资金" | "其中:上年结转资金" | "上年结转" => Field::Carryover,
        "其他资金" | "其中:其他资金" => Field::Other,
        "项目资金总额" => Field::ProjectTotal,
        "其中:财政资金" | "财政资金" => Field::ProjectFiscal,
        _ => return None,
    })
}
