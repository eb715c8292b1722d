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
//!   belongs to the label above. Rows before the first label belong to it by the same rule
//!   only: they end a page and the first label opens the next one; otherwise they are an error
//!   (their 二级 cannot be told).
//! - **No row changes block silently.** A row whose 一级 and 二级 cells are both blank carries
//!   the 一级/二级 from above (merged cells). A row printing a 一级 with a blank 二级 carries the
//!   二级 from above only when that block is under the same 一级; a 一级 that contradicts the
//!   block it falls in (a 效益指标 row under 产出/时效, a 满意度 row under 效益) is an error at
//!   that cell, as is a 一级 printed beside a 二级 of another 一级. Such a row is never taken as
//!   the wrapped continuation of the row above. A 一级 alone on its row binds the unlabeled rows
//!   after it the same way, until the next 二级 label. `满意度指标` after a 一级 label is the 二级.
//! - **Page-break debris** is dropped: the `绩效 指标` label column, the stacked `项目\n绩效\n目标`
//!   label, repeated table headers.
//! - **Goals**: side by side (`项目总目标 | 年度总体目标` over one row of text each), or stacked
//!   headings followed by paragraphs, with the numbered sub-tasks (`- 领域——标题——内容`,
//!   `9 领域—标题—内容`) after them. A paragraph that does not end a sentence continues after a
//!   page break, joined without a space (Chinese wraps carry no space). A sub-task list right
//!   under the side-by-side goal row (lines `- 领域——标题——内容` alone on their rows) is read as
//!   sub-tasks, not as more goal text.
//! - **Several units in one file**: each unit's 汇总表 title line
//!   (`上海市XX中心2024年度项目绩效目标汇总表`) ends the forms before it and starts the next unit;
//!   the form's title is the common title or none (see [`recognize`]).
//! - **Sub-task references** in front of indicator names (`1与2.`, `3-7.`, `1-11`) are removed
//!   from the name and kept as numbers.

use jixiao_model::{
    parse_amount_with_notes, parse_date, split_task_refs, Datelike, Decimal, Form, Funds,
    Indicator, Level1, Level2, NaiveDate, Project, ProjectFunds, ReadNote, Target, Task,
    FORM_FORMAT,
};

use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use crate::template::{self, vocabulary, Role, Unit};

/// Reads every project in the grid. Diagnostics carry grid positions; any error means the
/// result must not be used.
///
/// The form's `title` is the document title (the 汇总表 title line, or a single line of text
/// before the first declaration). A file holding several 汇总表 one after another (one unit
/// after another) reads as all their projects; its title is the common title when every 汇总表
/// has the same one, and `None` when they differ (no one title names them all; a note says so).
/// A title's year (`…2024年度…汇总表`) stands for the projects under it that print no year.
pub fn recognize(grid: &Grid) -> (Form, Vec<Diagnostic>) {
    recognize_with(grid, false)
}

/// [`recognize`] for a grid whose columns number whole cells (an XLSX sheet, column A = 1):
/// a diagnostic about a place inside a cell (the guessed character of `≥15O00.00`) names the
/// cell's column, not the cell's column plus the character offset, which would be another cell.
pub fn recognize_cells(grid: &Grid) -> (Form, Vec<Diagnostic>) {
    recognize_with(grid, true)
}

fn recognize_with(grid: &Grid, whole_cells: bool) -> (Form, Vec<Diagnostic>) {
    let mut r = Recognizer {
        whole_cells,
        ..Recognizer::default()
    };
    r.run(&grid.rows);
    if r.missing_fields {
        // The missing fields are named by the seed's labels; when the grid's labels are another
        // family's (the central 申报表 has 主管部门及代码 and no dates), say which.
        let vocab = vocabulary();
        if let Some(near) = vocab.nearest(&grid.rows).filter(|n| n.family != 0) {
            let fam = &vocab.families[near.family];
            let has: Vec<String> = near
                .found
                .iter()
                .map(|(t, l, c)| format!("「{t}」({l}:{c})"))
                .collect();
            let missing: Vec<String> = near.missing.iter().map(|m| format!("「{m}」")).collect();
            let (l, c) = near.found.first().map_or((1, 1), |f| (f.1, f.2));
            // An error, so the refusal itself names the family (it only comes with errors).
            r.diags.push(Diagnostic::error(
                l,
                c,
                format!(
                    "表格的标签最接近「{}」：找到 {}；该模板的 {} 未找到",
                    fam.zh,
                    has.join("、"),
                    if missing.is_empty() {
                        "标签均已找到，但 jixiao 所需的字段".to_string()
                    } else {
                        missing.join("、")
                    }
                ),
                format!(
                    "the form's labels are nearest to {}: found {}; not found: {}",
                    fam.en,
                    has.join(", "),
                    if missing.is_empty() {
                        "none of its labels, but fields jixiao needs".to_string()
                    } else {
                        missing.join(", ")
                    }
                ),
            ));
        }
    }
    let title = match r.titles.split_first() {
        None => None,
        Some(((first, _), rest)) if rest.iter().all(|(t, _)| t == first) => first.clone(),
        Some(_) => {
            let line = r.titles[1].1;
            r.diags.push(Diagnostic::note(
                line,
                1,
                format!(
                    "文件依次含 {} 个单位的汇总表，标题不一致（或有的没有标题）：表单标题留空，各项目按各自的申报表读取",
                    r.titles.len()
                ),
                format!(
                    "the file holds the summary tables (汇总表) of {} units, one after another, whose titles differ (or are missing): the form has no title; each project is read from its own declaration",
                    r.titles.len()
                ),
            ));
            None
        }
    };
    let form = Form {
        format: FORM_FORMAT.to_string(),
        title,
        projects: r.projects,
    };
    (form, r.diags)
}

#[derive(Default)]
struct Recognizer {
    diags: Vec<Diagnostic>,
    /// A declaration lacked a header field (the read names the nearest template then).
    missing_fields: bool,
    /// The document titles read, with their lines: one per 汇总表 (see [`recognize`]); `None`
    /// for forms read before the first 汇总表 title.
    titles: Vec<(Option<String>, u32)>,
    /// The year in the latest title, for the projects under it.
    title_year: Option<i32>,
    projects: Vec<Project>,
    /// A field of the current draft had a value that could not be read (already reported).
    bad_value: bool,
    /// Columns number whole cells (XLSX): positions inside a cell are not added to them.
    whole_cells: bool,
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
    /// The label that put the funds block in 万元 (`项目资金（万元）`).
    multiplier_label: Option<String>,
    /// A label that states its own 万元 (`年度本级预算金额（万元）`).
    wan_label: Option<String>,
    /// Amounts whose unit nothing states (no label suffix, no funds block): position and label.
    unstated: Vec<(u32, u32, String)>,
    /// The template families whose labels this declaration used (by vocabulary index).
    families: std::collections::BTreeSet<usize>,
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

impl Draft {
    /// Remembers which template family a label the draft used comes from.
    fn note_family(&mut self, norm: &str) {
        let v = vocabulary();
        let fam = v
            .role(norm)
            .map(|(_, f)| f)
            .or_else(|| v.field(norm).map(|(_, _, f)| f))
            .or_else(|| v.funds_block(norm));
        if let Some(f) = fam {
            self.families.insert(f);
        }
    }
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
    /// The 一级 label printed without a 二级 that the row falls under.
    level1_hint: Option<Hint>,
}

/// A 一级 label printed without a 二级 beside it (a merged 二级 cell carried from above), on
/// the row itself or alone on a row above: the block the row is assigned to must be under it.
#[derive(Debug, Clone, Copy)]
struct Hint {
    level1: Level1,
    line: u32,
    column: u32,
}

/// A row of the indicator table before it is assigned to a 二级 label.
#[derive(Debug, Clone)]
struct RowData {
    line: u32,
    name: Located,
    target: Located,
    name_col: usize,
    target_col: usize,
    /// The 一级 label printed without a 二级 that the row falls under.
    level1_hint: Option<Hint>,
}

type Label = (Level1, Level2);

const DEBRIS: &[&str] = &["项目绩效目标", "绩效指标", "绩效目标", "项目"];

fn is_declaration_title(norm: &str) -> bool {
    vocabulary().is_declaration_title(norm).is_some()
}

/// The role a cell's label has in the template vocabulary (`docs/templates.md`).
fn role_of(norm: &str) -> Option<Role> {
    vocabulary().role(norm).map(|(r, _)| r)
}

/// The title line of a unit's 汇总表 (`上海市XX中心2024年度项目绩效目标汇总表`), alone on its row.
/// It starts a new unit: the declarations after it are that unit's.
fn is_summary_title(filled: &[(usize, &Cell)]) -> bool {
    let [(_, cell)] = filled else { return false };
    let t: String = cell.text.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() <= 80
        && t.ends_with("汇总表")
        && t.contains("绩效目标")
        && task_marker(&t).is_none()
}

fn is_indicator_header(row: &Row) -> bool {
    let mut has1 = false;
    let mut has3 = false;
    for (_, c) in row.filled() {
        match role_of(&label_text(&c.text)) {
            Some(Role::Level1Header) => has1 = true,
            Some(Role::Level3Header) => has3 = true,
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

/// The cells of a grid that look like labels (short Chinese text without digits), with line
/// and column: what an unknown template's error lists. At most 24, from the first 60 rows.
fn labels_found(rows: &[Row]) -> Vec<(String, u32, u32)> {
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| !r.is_blank()).take(60) {
        for (_, c) in row.filled() {
            let t = c.text.trim();
            let n = t.chars().count();
            if (2..=16).contains(&n)
                && t.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
                && !t.chars().any(|ch| ch.is_ascii_digit())
            {
                out.push((t.to_string(), row.line, c.column));
                if out.len() == 24 {
                    return out;
                }
            }
        }
    }
    out
}

/// The normalised text of a cell that may be a label; long cells (names, goals) are never
/// labels and are not normalised at all, which keeps the recognizer fast.
fn label_text(text: &str) -> String {
    if text.len() > 64 {
        return String::new();
    }
    let label = jixiao_model::normalize_label(text);
    // A heading's period in brackets (`项目总体目标\n(2024 年-2026 年)`) is not part of the label.
    match label.strip_suffix(')').and_then(|l| l.rsplit_once('(')) {
        Some((head, years))
            if !head.is_empty()
                && years.contains('年')
                && years
                    .chars()
                    .all(|c| c.is_ascii_digit() || "年-~至到".contains(c)) =>
        {
            head.to_string()
        }
        _ => label,
    }
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

/// A line of the sub-task list, alone on its row: an item marker, then `领域——标题——内容` or
/// `标题——内容` (goal text that merely starts with a number has no dashes).
fn is_task_line(filled: &[(usize, &Cell)]) -> bool {
    let [(_, cell)] = filled else { return false };
    task_marker(&cell.text).is_some_and(|(_, rest)| next_dash_run(rest).is_some())
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

            if is_summary_title(&filled) {
                // A (next) unit's 汇总表 begins: the form before it is complete.
                if self.titles.is_empty() && (draft.is_some() || !self.projects.is_empty()) {
                    self.titles.push((None, 1)); // forms without a title came first
                }
                self.finish(draft.take());
                let t = filled[0].1.text.trim().to_string();
                self.title_year = title_year(&t);
                self.titles.push((Some(t), row.line));
                section = Section::Header;
                i += 1;
                continue;
            }
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
                    .any(|(_, c)| field_kind(&label_text(&c.text)) == Some(Field::Name))
                {
                    draft = Some(Draft {
                        line: row.line,
                        ..Draft::default()
                    });
                    section = Section::Header;
                    continue;
                }
                if self.titles.is_empty() && self.projects.is_empty() && filled.len() == 1 {
                    let t = filled[0].1.text.trim().to_string();
                    self.title_year = title_year(&t);
                    self.titles.push((Some(t), row.line));
                } else if self.titles.len() > 1 || !self.projects.is_empty() {
                    self.diags.push(Diagnostic::warning(
                        row.line,
                        filled[0].1.column,
                        format!(
                            "汇总表标题与其第一张申报表之间的文字「{}」未识别，已忽略",
                            filled[0].1.text.trim()
                        ),
                        format!(
                            "text {:?} between a summary table's title and its first form was not recognised and is ignored",
                            filled[0].1.text.trim()
                        ),
                    ));
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
                let extra = extra_columns(row, d);
                let order = header_order(row);
                if let Some(o) = order.filter(|o| o.value_first) {
                    self.diags.push(Diagnostic::note(
                        row.line,
                        o.target_column,
                        "表头中「指标值」列在「三级指标」列之前：各行按表头的列序读取（先指标值，后三级指标）",
                        "the header puts the 指标值 column before the 三级指标 column: rows are read in the header's column order (target first, then the 三级 name)",
                    ));
                }
                i = self.read_indicators(rows, i + 1, d, &extra, order);
                continue;
            }
            // A second 项目名称 without a title line starts the next project.
            if d.name.is_some()
                && section != Section::Indicators
                && filled
                    .iter()
                    .any(|(_, c)| field_kind(&label_text(&c.text)) == Some(Field::Name))
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
            let overall_h = filled
                .iter()
                .find(|(_, c)| role_of(&label_text(&c.text)) == Some(Role::OverallGoal));
            let annual_h = filled
                .iter()
                .find(|(_, c)| role_of(&label_text(&c.text)) == Some(Role::AnnualGoal));
            for (_, c) in overall_h.iter().chain(annual_h.iter()) {
                d.note_family(&label_text(&c.text));
            }
            match (overall_h, annual_h) {
                (Some((o, _)), Some((a, _))) => {
                    section = Section::GoalColumns {
                        overall: *o,
                        annual: *a,
                    };
                    i += 1;
                    continue;
                }
                // A goal label beside its text (`实施期绩效目标 | 通过…`), like a header field.
                (Some((o, _)), None) | (None, Some((o, _))) if filled.len() == 2 => {
                    let text = filled.iter().find(|(idx, _)| idx != o).map(|(_, c)| *c);
                    if let Some(c) = text {
                        let goal = unwrap_cell(c.text.trim());
                        if overall_h.is_some() {
                            d.overall.push(goal);
                        } else {
                            d.annual.push(goal);
                        }
                    }
                    section = Section::Header;
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
                Section::GoalColumns { .. } if is_task_line(&filled) => {
                    // The sub-task list right under the goal row: sub-tasks, not goal text.
                    section = Section::GoalBody(BodyTarget::Annual);
                    i = self.read_body_line(rows, i, d, BodyTarget::Annual);
                }
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
            let found = labels_found(rows);
            let vocab = vocabulary();
            if let Some(refusal) = vocab.not_read_refusal(rows) {
                self.diags.push(refusal);
            } else if let Some(near) = vocab.nearest(rows) {
                let fam = &vocab.families[near.family];
                let has: Vec<String> = near
                    .found
                    .iter()
                    .map(|(t, l, c)| format!("「{t}」({l}:{c})"))
                    .collect();
                let missing: Vec<String> =
                    near.missing.iter().map(|m| format!("「{m}」")).collect();
                let others: Vec<String> = found
                    .iter()
                    .filter(|(t, _, _)| !near.found.iter().any(|(f, _, _)| f == t))
                    .map(|(t, l, c)| format!("「{t}」({l}:{c})"))
                    .collect();
                let (others_zh, others_en) = if others.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!("。其他像标签的单元格：{}", others.join("、")),
                        format!(". Other cells that look like labels: {}", others.join(", ")),
                    )
                };
                self.diags.push(Diagnostic::error(
                    line,
                    1,
                    format!(
                        "未找到绩效目标申报表：最接近的模板是「{}」，找到其标签 {}，缺少 {}{others_zh}",
                        fam.zh,
                        has.join("、"),
                        missing.join("、"),
                    ),
                    format!(
                        "no performance-target form found: the nearest template is {}; its labels found: {}; missing: {}{others_en}",
                        fam.en,
                        has.join(", "),
                        missing.join(", "),
                    ),
                ));
            } else if found.is_empty() {
                self.diags.push(Diagnostic::error(
                    line,
                    1,
                    "未找到绩效目标申报表：缺少「项目名称」等表头",
                    "no performance-target form found: no 项目名称 header",
                ));
            } else {
                let list: Vec<String> = found
                    .iter()
                    .map(|(t, l, c)| format!("「{t}」({l}:{c})"))
                    .collect();
                let families: Vec<&str> = vocabulary()
                    .families
                    .iter()
                    .filter(|f| f.not_read.is_none())
                    .map(|f| f.zh.as_str())
                    .collect();
                self.diags.push(Diagnostic::error(
                    line,
                    1,
                    format!(
                        "未找到绩效目标申报表：表格的模板未知（已知模板：{}）。找到的标签：{}",
                        families.join("、"),
                        list.join("、")
                    ),
                    format!(
                        "no performance-target form found: the form's template is unknown (known: {}). Labels found: {}",
                        families.join(", "),
                        list.join(", ")
                    ),
                ));
            }
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
            let Some((kind, unit)) = field_unit(&label) else {
                let funds = vocabulary().funds_block(&norm);
                if funds.is_some() && norm.contains("万元") {
                    d.multiplier = Some(Decimal::from(10000));
                    d.multiplier_label = Some(cell.text.trim().to_string());
                    d.note_family(&norm);
                    recognised = true;
                } else if funds.is_some() || role_of(&norm) == Some(Role::Heading) {
                    d.note_family(&norm);
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
            d.note_family(&label);
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
            self.set_field(d, kind, unit, value, row, cell);
            k += 1;
        }
    }

    /// An amount in 万元 converted exactly to 元 (× 10,000), with a note saying so; an amount
    /// that would hold a fraction of a fen (more than six decimals in 万元) is refused, never
    /// rounded.
    fn wan_to_yuan(
        &mut self,
        v: &Located,
        label: &Cell,
        a: Decimal,
        mul: Decimal,
        unit_label: &str,
    ) -> Option<Decimal> {
        let Some(mut yuan) = a.checked_mul(mul) else {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!(
                    "「{}」的金额「{}」超出可表示的范围",
                    label.text.trim(),
                    v.text
                ),
                format!(
                    "the amount {:?} of {} is out of range",
                    v.text,
                    label.text.trim()
                ),
            ));
            return None;
        };
        if yuan.normalize().scale() > 2 {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!(
                    "「{}」的金额「{}」万元折合 {} 元，不足一分的部分无法保留：请核对金额",
                    label.text.trim(),
                    v.text,
                    yuan.normalize()
                ),
                format!(
                    "the amount {:?} of {} in 万元 is {} 元, which has a fraction of a fen: please check it",
                    v.text,
                    label.text.trim(),
                    yuan.normalize()
                ),
            ));
            return None;
        }
        if yuan.scale() < 2 {
            yuan.rescale(2);
        } else {
            yuan = yuan.normalize();
            if yuan.scale() < 2 {
                yuan.rescale(2);
            }
        }
        self.diags.push(Diagnostic::note(
            v.line,
            v.column,
            format!(
                "「{}」以万元填写：{} 万元 读作 {} 元",
                unit_label,
                v.text.trim(),
                jixiao_model::present::amount(yuan)
            ),
            format!(
                "{unit_label} is in 万元: {} 万元 is read as {} 元",
                v.text.trim(),
                jixiao_model::present::amount(yuan)
            ),
        ));
        Some(yuan)
    }

    /// A 项目期限 cell (`2023.07-2024.01`): start and end; a month alone is read as its first
    /// or last day, with a note saying so.
    fn period(&mut self, v: &Located, label: &Cell) -> Option<(NaiveDate, NaiveDate)> {
        let Some((start, end, approx)) = parse_period(&v.text) else {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!(
                    "「{}」的期限「{}」无法识别：应写作 2023.07-2024.01 或 2024-01-01至2024-12-31",
                    label.text.trim(),
                    v.text
                ),
                format!(
                    "cannot read the period {:?} of {}: write it as 2023.07-2024.01 or 2024-01-01至2024-12-31",
                    v.text,
                    label.text.trim()
                ),
            ));
            return None;
        };
        if end < start {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!("「{}」的期限「{}」结束早于开始", label.text.trim(), v.text),
                format!(
                    "the period {:?} of {} ends before it starts",
                    v.text,
                    label.text.trim()
                ),
            ));
            return None;
        }
        if approx {
            self.diags.push(Diagnostic::note(
                v.line,
                v.column,
                format!(
                    "「{}」「{}」只写到月份：计划开始日期读作 {start}，计划完成日期读作 {end}",
                    label.text.trim(),
                    v.text.trim()
                ),
                format!(
                    "{} {:?} gives months only: the start is read as {start}, the end as {end}",
                    label.text.trim(),
                    v.text.trim()
                ),
            ));
        }
        Some((start, end))
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

    /// The column of the character at `offset` (in characters) of a cell's text; the cell's own column when
    /// columns number whole cells.
    fn column_in(&self, v: &Located, offset: usize) -> u32 {
        if self.whole_cells {
            v.column
        } else {
            v.column + offset as u32
        }
    }

    /// Turns the notes of a cell read with a guess (`≥15O00.00(公里)`, `1,850,OOO.00`) into
    /// warnings at the cell's line and the column of what was guessed.
    fn warn_read_notes(&mut self, v: &Located, notes: &[ReadNote]) {
        for n in notes {
            self.diags.push(Diagnostic::warning(
                v.line,
                self.column_in(v, n.offset),
                n.zh.clone(),
                n.en.clone(),
            ));
        }
    }

    fn set_field(
        &mut self,
        d: &mut Draft,
        kind: Field,
        unit: Option<Unit>,
        value: Option<Located>,
        row: &Row,
        label: &Cell,
    ) {
        let Some(v) = value else {
            return; // an empty cell: the field is not given
        };
        // The label's own unit (`年度本级预算金额（万元）`) wins over the funds block's.
        let (mul, unit_label) = match unit {
            Some(Unit::TenThousand) => (Decimal::from(10000), Some(label.text.trim().to_string())),
            Some(Unit::Yuan) => (Decimal::ONE, None),
            None => (
                d.multiplier.unwrap_or(Decimal::ONE),
                d.multiplier_label.clone(),
            ),
        };
        if kind.is_amount() {
            match (unit, d.multiplier) {
                (Some(Unit::TenThousand), _) => d.wan_label = Some(label.text.trim().to_string()),
                (None, None) => d
                    .unstated
                    .push((v.line, v.column, label.text.trim().to_string())),
                _ => {}
            }
        }
        let amount = |s: &mut Self, v: &Located| -> Option<Decimal> {
            let (a, notes) = match parse_amount_with_notes(&v.text) {
                Ok(read) => read,
                Err(e) => return s.report_bad_value(v, label, ("金额", "amount"), &e),
            };
            s.warn_read_notes(v, &notes);
            if mul == Decimal::ONE {
                return Some(a);
            }
            s.wan_to_yuan(v, label, a, mul, unit_label.as_deref().unwrap_or("万元"))
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
            Field::Period => {
                if let Some((start, end)) = self.period(&v, label) {
                    d.start = Some((start, v.line));
                    d.end = Some((end, v.line));
                }
            }
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
    fn read_indicators(
        &mut self,
        rows: &[Row],
        start: usize,
        d: &mut Draft,
        extra: &[(usize, String)],
        order: Option<HeaderOrder>,
    ) -> usize {
        // Cells of the extra columns (绩效标准, 中期指标值): not held by the model; said once.
        let mut dropped: Vec<(u32, u32)> = Vec::new();
        let mut current: Option<Label> = None;
        let mut block_layout: Option<usize> = None;
        let mut pending: Vec<RowData> = Vec::new();
        let mut pending_break = false;
        let mut leading: Vec<RowData> = Vec::new();
        // The rows before the first label end a page (the first label opens the next one).
        let mut leading_break = false;
        let mut last_l1: Option<Level1> = None;
        // A 一级 label alone on its row, until the next 二级 label.
        let mut lone_level1: Option<Hint> = None;
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
                level1_hint: r.level1_hint,
            }));
        };
        let mut i = start;
        while i < rows.len() {
            let row = &rows[i];
            if row.is_blank() {
                if !pending.is_empty() {
                    pending_break = true;
                }
                if !leading.is_empty() {
                    leading_break = true;
                }
                i += 1;
                continue;
            }
            let filled: Vec<(usize, &Cell)> = row.filled().collect();
            if is_summary_title(&filled)
                || filled
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
            let mut l1_col = 0u32;
            let mut l2: Option<Level2> = None;
            let mut content: Vec<(usize, &Cell)> = Vec::new();
            for (idx, c) in &filled {
                if extra.iter().any(|(x, _)| x == idx) {
                    dropped.push((row.line, c.column));
                    continue;
                }
                let norm = label_text(&c.text);
                if DEBRIS.contains(&norm.as_str()) && content.is_empty() {
                    continue;
                }
                if content.is_empty() {
                    // 满意度指标 names a 一级 and a 二级: after a 一级 label it is the 二级.
                    let also_level2 = !l1s.is_empty() && Level2::from_label(&norm).is_some();
                    if let Some(l) = Level1::from_label(&norm).filter(|_| !also_level2) {
                        l1s.push(l);
                        l1_col = c.column;
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
            // A 一级 printed beside a 二级 of another 一级: which one is meant cannot be told.
            if let (Some(printed), Some(implied)) =
                (l1s.last(), l2.as_ref().and_then(|l| l.level1()))
            {
                if *printed != implied {
                    let l2 = l2.as_ref().map_or("", |l| l.zh());
                    self.diags.push(Diagnostic::error(
                        row.line,
                        l1_col,
                        format!(
                            "一级指标「{}」与同行的二级指标「{l2}」不符（「{l2}」属于「{}」）",
                            printed.zh(),
                            implied.zh()
                        ),
                        format!(
                            "一级 {} does not match the 二级 {l2} beside it ({l2} belongs to {})",
                            printed.zh(),
                            implied.zh()
                        ),
                    ));
                }
            }
            let label: Option<Label> = l2.map(|l2| {
                let l1 = l2
                    .level1()
                    .or(l1s.last().copied())
                    .or(last_l1)
                    .unwrap_or(Level1::Output);
                (l1, l2)
            });
            // A 一级 without a 二级 (the 二级 cell blank): the row must fall in a block of that
            // 一级, checked once its block is known.
            let level1_hint = match (&label, l1s.last()) {
                (None, Some(l)) => Some(Hint {
                    level1: *l,
                    line: row.line,
                    column: l1_col,
                }),
                (None, None) => lone_level1,
                (Some(_), _) => None,
            };
            if content.is_empty() {
                if label.is_none() {
                    // A 一级 alone on its row: the unlabeled rows after it fall under it.
                    if let Some(h) = level1_hint {
                        lone_level1 = Some(h);
                    }
                }
                if let Some(lbl) = label {
                    lone_level1 = None;
                    // A label alone on its row.
                    if !pending.is_empty() {
                        let to = if pending_break {
                            lbl.clone()
                        } else {
                            current.clone().unwrap_or(lbl.clone())
                        };
                        assign(&mut out, std::mem::take(&mut pending), &to);
                    }
                    self.take_leading(&mut out, &mut leading, leading_break, &lbl, row.line);
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
                    && l1s.is_empty()
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
            // The two cells in the header's order: 三级指标 then 指标值 unless the header swaps them.
            let (name_cell, target_cell) = if order.is_some_and(|o| o.value_first) {
                (content[1], content[0])
            } else {
                (content[0], content[1])
            };
            // A header that contradicts the content: the 三级指标 column holds a target value.
            if looks_like_value(&name_cell.1.text) {
                let v = name_cell.1.text.trim();
                let at = order.map_or(String::new(), |o| {
                    format!("（表头第 {} 行第 {} 列）", o.line, o.name_column)
                });
                let at_en = order.map_or(String::new(), |o| {
                    format!(" (header on line {}, column {})", o.line, o.name_column)
                });
                self.diags.push(Diagnostic::error(
                    row.line,
                    name_cell.1.column,
                    format!(
                        "「三级指标」列{at}在此为「{v}」，是指标值而不是指标名称：表头与内容不符，未按猜测读取，请核对列的顺序"
                    ),
                    format!(
                        "the 三级指标 column{at_en} holds {v:?} here, a target value and not an indicator name: the header contradicts the content; nothing is guessed, check the column order"
                    ),
                ));
                i += 1;
                continue;
            }
            let data = RowData {
                line: row.line,
                name: Located::of(row, name_cell.1),
                target: Located::of(row, target_cell.1),
                name_col: name_cell.0,
                target_col: target_cell.0,
                level1_hint,
            };
            match (label, current.clone()) {
                (Some(lbl), _) => {
                    lone_level1 = None;
                    if !pending.is_empty() {
                        let to = if pending_break {
                            lbl.clone()
                        } else {
                            current.clone().unwrap_or(lbl.clone())
                        };
                        assign(&mut out, std::mem::take(&mut pending), &to);
                    }
                    self.take_leading(&mut out, &mut leading, leading_break, &lbl, row.line);
                    assign(&mut out, vec![data.clone()], &lbl);
                    block_layout = Some(data.name_col);
                    current = Some(lbl);
                    pending_break = false;
                }
                (None, None) => {
                    // A page that opens without a label: the run before it does not end a page
                    // whose next page opens with the first label.
                    leading_break = false;
                    leading.push(data)
                }
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
        for r in &out {
            let Some(h) = r.level1_hint else { continue };
            if h.level1 == r.level1 {
                continue;
            }
            let (l1, carried) = (
                h.level1.zh(),
                format!("{}/{}", r.level1.zh(), r.level2.zh()),
            );
            if h.line == r.line {
                self.diags.push(Diagnostic::error(
                    r.line,
                    h.column,
                    format!(
                        "此行标有一级指标「{l1}」但二级指标为空，上方延续的是「{carried}」，二者矛盾：无法确定二级指标，请填写二级指标"
                    ),
                    format!(
                        "this row is labelled 一级 {l1} with a blank 二级, but the block carried from above is {carried}: the 二级 cannot be determined; fill in the 二级 cell"
                    ),
                ));
            } else {
                self.diags.push(Diagnostic::error(
                    r.line,
                    r.name.column,
                    format!(
                        "此行在第 {} 行单独列出的一级指标「{l1}」之下，但二级指标为空，上方延续的是「{carried}」，二者矛盾：无法确定二级指标，请填写二级指标",
                        h.line
                    ),
                    format!(
                        "this row falls under the 一级 {l1} printed alone on line {}, with a blank 二级, but the block carried from above is {carried}: the 二级 cannot be determined; fill in the 二级 cell",
                        h.line
                    ),
                ));
            }
        }
        d.indicators.extend(out);
        if let (Some(first), Some(last)) = (dropped.first(), dropped.last()) {
            let names: Vec<&str> = extra.iter().map(|(_, l)| l.as_str()).collect();
            self.diags.push(Diagnostic::note(
                first.0,
                first.1,
                format!(
                    "「{}」列不属于申报表的数据，未读入（第 {}–{} 行，{} 个单元格）",
                    names.join("」「"),
                    first.0,
                    last.0,
                    dropped.len()
                ),
                format!(
                    "the column(s) {} are not part of the declaration's data and were not read (lines {}–{}, {} cells)",
                    names.join(", "),
                    first.0,
                    last.0,
                    dropped.len()
                ),
            ));
        }
        i
    }

    /// Rows before the table's first 二级 label belong to it only by the page rule: they end a
    /// page and the label opens the next one. Otherwise their 二级 cannot be determined.
    fn take_leading(
        &mut self,
        out: &mut Vec<IndRow>,
        leading: &mut Vec<RowData>,
        ends_page: bool,
        label: &Label,
        label_line: u32,
    ) {
        let rows = std::mem::take(leading);
        let Some(first) = rows.first() else { return };
        if !ends_page {
            let column = first
                .level1_hint
                .filter(|h| h.line == first.line)
                .map_or(first.name.column, |h| h.column);
            self.diags.push(Diagnostic::error(
                first.line,
                column,
                format!(
                    "指标表开头的 {} 行没有二级指标，无法归类（第 {label_line} 行的「{}」不在新一页的开头，不能认为它们属于该二级指标）",
                    rows.len(),
                    label.1.zh()
                ),
                format!(
                    "the indicator table starts with {} row(s) without a 二级 category: cannot classify them (the {} label on line {label_line} does not open a new page, so they cannot be taken as its rows)",
                    rows.len(),
                    label.1.zh()
                ),
            ));
            return;
        }
        out.extend(rows.into_iter().map(|r| IndRow {
            line: r.line,
            name: r.name,
            target: r.target,
            name_col: r.name_col,
            target_col: r.target_col,
            level1: label.0,
            level2: label.1.clone(),
            level1_hint: r.level1_hint,
        }));
    }

    /// Turns a draft into a project, or explains what is missing.
    fn finish(&mut self, draft: Option<Draft>) {
        let Some(d) = draft else { return };
        let bad_value = std::mem::take(&mut self.bad_value);
        // One label says 万元, another amount states no unit: read as 元, never guessed, but said.
        if let Some(wan) = &d.wan_label {
            for (line, column, label) in &d.unstated {
                self.diags.push(Diagnostic::warning(
                    *line,
                    *column,
                    format!("「{label}」未注明单位，按元读取；而同一申报表的「{wan}」以万元填写：请核对单位"),
                    format!("{label} states no unit and is read in 元, while {wan} in the same form is in 万元: please check the unit"),
                ));
            }
        }
        let errors_before = self
            .diags
            .iter()
            .filter(|x| x.level == crate::diag::Level::Error)
            .count();
        let missing = |s: &mut Self, zh: &str, en: &str| {
            s.missing_fields = true;
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
        // The form's year, for a deadline written without one (`12月底前`): 年度, else the
        // title's, else the start date's (as the project's year below).
        let form_year = d
            .year
            .map(|(y, _)| y)
            .or(self.title_year)
            .or(d.start.map(|(s, _)| s.year()));
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
            let read = match form_year {
                Some(y) => Target::parse_in_year(&r.target.text, y),
                None if Target::is_yearless_deadline(&r.target.text) => {
                    self.diags.push(Diagnostic::error(
                        r.target.line,
                        self.column_in(&r.target, 0),
                        format!(
                            "指标「{}」的指标值「{}」未写年份，申报表中也没有年度或计划开始日期，无法确定是哪一年：请在指标值中写明年份，或填写年度",
                            refs.1, r.target.text
                        ),
                        format!(
                            "the target {:?} of indicator {:?} gives no year, and the form has no year or start date to read it in: write the year in the target, or fill in the year",
                            r.target.text, refs.1
                        ),
                    ));
                    continue;
                }
                None => Target::parse_with_notes(&r.target.text),
            };
            let target = match read {
                Ok((t, notes)) => {
                    self.warn_read_notes(&r.target, &notes);
                    t
                }
                Err(e) => {
                    let msg = e.kind.to_string();
                    let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
                    self.diags.push(Diagnostic::error(
                        r.target.line,
                        self.column_in(&r.target, e.offset),
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
                id: None,
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
            id: None,
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
        let others: Vec<&template::Family> = d
            .families
            .iter()
            .filter(|f| **f != 0)
            .filter_map(|f| vocabulary().families.get(*f))
            .collect();
        if !others.is_empty() {
            let zh: Vec<&str> = others.iter().map(|f| f.zh.as_str()).collect();
            let en: Vec<&str> = others.iter().map(|f| f.en.as_str()).collect();
            self.diags.push(Diagnostic::note(
                d.line,
                1,
                format!("项目「{}」按「{}」的标签读取", p.name, zh.join("」「")),
                format!(
                    "project {:?} was read with the labels of {}",
                    p.name,
                    en.join(", ")
                ),
            ));
        }
        self.projects.push(p);
    }
}

impl Field {
    fn is_amount(self) -> bool {
        matches!(
            self,
            Field::Total
                | Field::Fiscal
                | Field::Carryover
                | Field::Other
                | Field::OtherAnnual
                | Field::OtherProject
                | Field::ProjectTotal
                | Field::ProjectFiscal
        )
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
    Period,
    Total,
    Fiscal,
    Carryover,
    Other,
    OtherAnnual,
    ProjectTotal,
    ProjectFiscal,
    OtherProject,
}

/// The header field a normalised label names, from the template vocabulary.
fn field_kind(norm: &str) -> Option<Field> {
    field_unit(norm).map(|(f, _)| f)
}

/// The header field a normalised label names and the amount unit the label states
/// (`年度本级预算金额（万元）`).
fn field_unit(norm: &str) -> Option<(Field, Option<Unit>)> {
    let (f, unit, _) = vocabulary().field(norm)?;
    let f = match f {
        template::Field::Name => Field::Name,
        template::Field::Nature => Field::Nature,
        template::Field::Category => Field::Category,
        template::Field::Department => Field::Department,
        template::Field::Unit => Field::Unit,
        template::Field::Start => Field::Start,
        template::Field::End => Field::End,
        template::Field::Period => Field::Period,
        template::Field::Total => Field::Total,
        template::Field::Fiscal => Field::Fiscal,
        template::Field::Carryover => Field::Carryover,
        template::Field::Other => Field::Other,
        template::Field::ProjectTotal => Field::ProjectTotal,
        template::Field::ProjectFiscal => Field::ProjectFiscal,
    };
    Some((f, unit))
}

/// Where an indicator table's header puts the 三级指标 and the 指标值 columns: the order in
/// which a row's two content cells are read (cells are matched by order, not by index, since a
/// text export shifts a row's cells when its label cells are merged).
#[derive(Debug, Clone, Copy)]
struct HeaderOrder {
    /// The 指标值 column comes before the 三级指标 column.
    value_first: bool,
    line: u32,
    name_column: u32,
    target_column: u32,
}

fn header_order(header: &Row) -> Option<HeaderOrder> {
    let (mut name, mut target) = (None, None);
    for (idx, c) in header.filled() {
        match role_of(&label_text(&c.text)) {
            Some(Role::Level3Header) if name.is_none() => name = Some((idx, c.column)),
            Some(Role::TargetHeader) if target.is_none() => target = Some((idx, c.column)),
            _ => {}
        }
    }
    let ((ni, nc), (ti, tc)) = (name?, target?);
    Some(HeaderOrder {
        value_first: ti < ni,
        line: header.line,
        name_column: nc,
        target_column: tc,
    })
}

/// True for a cell that can only be a target value, never an indicator's name: a comparison
/// followed by a number (`≥15000.00(公里)`, `=100%`), or a bare number or percentage (`95%`).
fn looks_like_value(text: &str) -> bool {
    let t: String = text
        .chars()
        .map(jixiao_model::fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let rest = t.trim_start_matches(['≥', '≤', '>', '<', '=', '≧', '≦', '≈']);
    if rest.len() != t.len() {
        return rest.starts_with(|c: char| c.is_ascii_digit());
    }
    let body = t.trim_end_matches(['%', '‰']);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// The columns of an indicator table's header that the declaration model does not hold
/// (绩效标准, 中期指标值): their cell indices and labels as printed.
fn extra_columns(header: &Row, d: &mut Draft) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (idx, c) in header.filled() {
        let norm = label_text(&c.text);
        match role_of(&norm) {
            Some(Role::ExtraColumn) => {
                d.note_family(&norm);
                out.push((idx, c.text.trim().to_string()));
            }
            Some(Role::TargetHeader | Role::Level1Header | Role::Level3Header) => {
                d.note_family(&norm)
            }
            _ => {}
        }
    }
    out
}

/// Reads a period written in one cell: `2023.07-2024.01`, `2024.01.01-2024.12.31`,
/// `2024年1月-2024年12月`, `2024-01-01至2024-12-31`. A month alone stands for its first day
/// at the start and its last day at the end; `approx` says so.
pub(crate) fn parse_period(text: &str) -> Option<(NaiveDate, NaiveDate, bool)> {
    let t: String = text
        .chars()
        .map(jixiao_model::fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut parts = None;
    for sep in ["至", "~", "—", "–", "－"] {
        if let Some((a, b)) = t.split_once(sep) {
            parts = Some((a.to_string(), b.trim_start_matches(sep).to_string()));
            break;
        }
    }
    if parts.is_none() && t.matches('-').count() == 1 {
        parts = t
            .split_once('-')
            .map(|(a, b)| (a.to_string(), b.to_string()));
    }
    let (a, b) = parts?;
    let (start, approx_a) = period_end(&a, false)?;
    let (end, approx_b) = period_end(&b, true)?;
    Some((start, end, approx_a || approx_b))
}

/// One end of a period: a full date, or a month (`2023.07`, `2023年7月`) read as its first
/// (`last == false`) or last day.
fn period_end(s: &str, last: bool) -> Option<(NaiveDate, bool)> {
    if let Ok(d) = parse_date(s) {
        return Some((d, false));
    }
    let s = s.strip_suffix('月').unwrap_or(s);
    let (y, m) = s.split_once(['.', '/', '年', '-'])?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    if !last {
        return Some((first, true));
    }
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((next.pred_opt()?, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Level;

    /// A one-project form (the seed's first project) with the given indicator rows.
    fn form(title: &str, unit: &str, goal_rows: &str, table: &str) -> String {
        format!(
            "{title}\n\n财政项目支出绩效目标申报表\n\n(2024年度)\n\n\
             项目名称\t交通工具购置及更新\t项目性质\t其他一次性项目\n\
             主管部门\t上海市生态环境局\t实施单位\t{unit}\n\
             计划开始日期\t2024-01-01\t计划完成日期\t2024-12-31\n\
             项目资金 (元)\t项目资金总额\t\t年度资金申请总额\t360,000.00\n\
             项目 绩效 目标\t项目总目标\t\t年度总体目标\t\n\
             \t购置1辆业务用车。\t\t购置1辆业务用车。\n{goal_rows}\
             \t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\n{table}\n"
        )
    }

    fn read(text: &str) -> (Form, Vec<Diagnostic>) {
        recognize(&Grid::from_tsv(text))
    }

    fn errors(diags: &[Diagnostic]) -> Vec<(u32, u32)> {
        diags
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| (d.line, d.column))
            .collect()
    }

    const TABLE: &str = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                         \t\t质量指标\t行驶安全性\t无违章无事故\n\
                         \t效益指标\t社会效益指标\t出行保障\t有效";

    #[test]
    fn a_level1_that_agrees_with_the_block_above_carries_its_level2() {
        let table = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                     \t产出指标\t\t出车次数\t≥300(次)\n\
                     \t\t\t加油次数\t≤50(次)";
        let (f, diags) = read(&form("T", "U", "", table));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let ind = &f.projects[0].indicators;
        assert_eq!(ind.len(), 3);
        assert!(ind.iter().all(|i| i.level2 == Level2::Quantity));
    }

    #[test]
    fn a_level1_with_a_blank_level2_under_another_level1_is_an_error() {
        let table = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                     \t效益指标\t\t节能减排\t低油耗";
        let (_, diags) = read(&form("T", "U", "", table));
        // Line 15, column 2: the 效益指标 cell.
        assert_eq!(errors(&diags), [(15, 2)], "{diags:?}");
    }

    #[test]
    fn rows_under_a_lone_level1_must_fall_in_its_block() {
        let table = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                     \t效益指标\t\t\t\n\
                     \t\t\t节能减排\t低油耗";
        let (_, diags) = read(&form("T", "U", "", table));
        assert_eq!(errors(&diags), [(16, 4)], "{diags:?}");
        // A 二级 label after the lone 一级 places the rows.
        let table = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                     \t效益指标\t\t\t\n\
                     \t\t生态效益指标\t节能减排\t低油耗\n\
                     \t\t\t尾气减排\t达标";
        let (f, diags) = read(&form("T", "U", "", table));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let ind = &f.projects[0].indicators;
        assert_eq!(ind[2].level2, Level2::EcologicalBenefit);
    }

    #[test]
    fn satisfaction_after_a_level1_label_is_the_level2() {
        let table = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                     \t满意度指标\t满意度指标\t乘用人员满意度\t满意";
        let (f, diags) = read(&form("T", "U", "", table));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let ind = &f.projects[0].indicators;
        assert_eq!(
            (ind[1].level1, &ind[1].level2),
            (Level1::Satisfaction, &Level2::ServiceSatisfaction)
        );
    }

    #[test]
    fn a_level1_beside_a_level2_of_another_level1_is_an_error() {
        let table = "\t效益指标\t数量指标\t行驶公里数\t≥15000.00(公里)";
        let (_, diags) = read(&form("T", "U", "", table));
        assert_eq!(errors(&diags), [(14, 2)], "{diags:?}");
    }

    #[test]
    fn rows_before_the_first_label_belong_to_it_only_across_a_page_break() {
        // Page rule: the run ends a page, the next page opens with the label.
        let table = "\t\t\t行驶公里数\t≥15000.00(公里)\n\n\
                     \t产出指标\t数量指标\t出车次数\t≥300(次)";
        let (f, diags) = read(&form("T", "U", "", table));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let ind = &f.projects[0].indicators;
        assert_eq!(ind[0].name, "行驶公里数");
        assert_eq!(ind[0].level2, Level2::Quantity);
        // The same rows on one page with the label: no page rule, an error at the first row.
        let table = "\t\t\t行驶公里数\t≥15000.00(公里)\n\
                     \t产出指标\t数量指标\t出车次数\t≥300(次)";
        let (_, diags) = read(&form("T", "U", "", table));
        assert_eq!(errors(&diags), [(14, 4)], "{diags:?}");
        // Across a break, but the next page opens without a label.
        let table = "\t\t\t行驶公里数\t≥15000.00(公里)\n\n\
                     \t\t\t出车次数\t≥300(次)\n\
                     \t产出指标\t数量指标\t加油次数\t≤50(次)";
        let (_, diags) = read(&form("T", "U", "", table));
        assert_eq!(errors(&diags), [(14, 4)], "{diags:?}");
    }

    #[test]
    fn a_level1_row_is_not_glued_onto_the_name_above() {
        // One content cell in the name column, but labelled 效益指标: not a wrapped name.
        let table = "\t产出指标\t数量指标\t行驶公里数\t≥15000.00(公里)\n\
                     \t效益指标\t\t\t节能减排";
        let (_, diags) = read(&form("T", "U", "", table));
        // The cell 节能减排 on line 15 is an indicator without a target.
        assert_eq!(errors(&diags), [(15, 9)], "{diags:?}");
    }

    #[test]
    fn units_with_one_title_keep_it() {
        let a = form("某中心2024年度项目绩效目标汇总表", "甲单位", "", TABLE);
        let b = form("某中心2024年度项目绩效目标汇总表", "乙单位", "", TABLE);
        let (f, diags) = read(&format!("{a}\n{b}"));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        assert_eq!(f.title.as_deref(), Some("某中心2024年度项目绩效目标汇总表"));
        let units: Vec<&str> = f.projects.iter().map(|p| p.unit.as_str()).collect();
        assert_eq!(units, ["甲单位", "乙单位"]);
    }

    #[test]
    fn units_with_different_titles_leave_the_form_untitled_and_keep_their_years() {
        let a = form("甲中心2024年度项目绩效目标汇总表", "甲单位", "", TABLE)
            .replace("(2024年度)\n", "");
        let b = form("乙中心2025年度项目绩效目标汇总表", "乙单位", "", TABLE)
            .replace("(2024年度)\n", "");
        let (f, diags) = read(&format!("{a}\n{b}"));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        assert_eq!(f.title, None);
        assert!(diags
            .iter()
            .any(|d| d.level == Level::Note && d.zh.contains("汇总表")));
        let years: Vec<i32> = f.projects.iter().map(|p| p.year).collect();
        assert_eq!(years, [2024, 2025]);
    }

    #[test]
    fn periods_read_months_as_their_first_and_last_days() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            parse_period("2023.07-2024.01"),
            Some((d(2023, 7, 1), d(2024, 1, 31), true))
        );
        assert_eq!(
            parse_period("2024.02 - 2024.02"),
            Some((d(2024, 2, 1), d(2024, 2, 29), true))
        );
        assert_eq!(
            parse_period("2024-01-01至2024-12-31"),
            Some((d(2024, 1, 1), d(2024, 12, 31), false))
        );
        assert_eq!(
            parse_period("2024年1月——2026年12月"),
            Some((d(2024, 1, 1), d(2026, 12, 31), true))
        );
        assert_eq!(parse_period("2024.13-2025.01"), None);
        assert_eq!(parse_period("三年"), None);
    }

    #[test]
    fn amounts_in_wan_yuan_convert_exactly_and_say_so() {
        let text = form("T", "U", "", TABLE).replace(
            "项目资金 (元)\t项目资金总额\t\t年度资金申请总额\t360,000.00",
            "年度资金申请总额（万元）\t36.123456",
        );
        let (f, diags) = read(&text);
        assert!(errors(&diags).is_empty(), "{diags:?}");
        assert_eq!(f.projects[0].funds.total.to_string(), "361234.56");
        assert!(diags
            .iter()
            .any(|d| d.level == Level::Note && d.zh.contains("读作 361,234.56 元")));
        // A fraction of a fen is refused, never rounded.
        let text = text.replace("36.123456", "36.1234567");
        let (_, diags) = read(&text);
        assert_eq!(errors(&diags).len(), 1, "{diags:?}");
    }

    #[test]
    fn a_sub_task_list_under_the_goal_row_is_read_as_sub_tasks() {
        let tasks = "\t- 车辆——业务用车——购置1辆业务用车。\n\
                     \t2 车辆—特种车—购置1辆特种专业技术用车。\n";
        let (f, diags) = read(&form("T", "U", tasks, TABLE));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let p = &f.projects[0];
        assert_eq!(p.overall_goal, "购置1辆业务用车。");
        assert_eq!(p.annual_goal, "购置1辆业务用车。");
        assert_eq!(p.tasks.len(), 2);
        assert_eq!(p.tasks[1].title, "特种车");
        // Goal text that merely starts with a number stays goal text.
        let more = "\t1. 降低行政成本，提高工作效率。\n";
        let (f, _) = read(&form("T", "U", more, TABLE));
        let p = &f.projects[0];
        assert!(p.tasks.is_empty());
        assert!(p.overall_goal.ends_with("1. 降低行政成本，提高工作效率。"));
    }
}
