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
    split_task_refs, Datelike, Decimal, Form, Funds, Indicator, NaiveDate, Project, ProjectFunds,
    ReadNote, Target, Task, FORM_FORMAT,
};

use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use crate::template::{self, vocabulary, Role};

mod department;
mod goals;
mod header;
mod indicators;
pub mod listing;

use goals::{is_task_line, task_marker};
use header::parse_period;
use header::{field_kind, Field};
pub(crate) use indicators::nature_op;
use indicators::{
    extra_columns, header_order, is_indicator_header, midterm_group, split_target, IndRow,
    TableHeader,
};
#[cfg(test)]
use jixiao_model::{Level1, Level2};

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

/// [`recognize_cells`] for the rows a text cut inside its last row left (`cut`: the error at
/// that row; the row is not in the grid). Only one table of many projects ([`listing`]) reads
/// so: its whole projects are read and the one the text ends in is said in a warning. Any other
/// grid gives the cut as its error: a form cut anywhere is incomplete.
pub fn recognize_cells_cut(grid: &Grid, cut: &Diagnostic) -> (Form, Vec<Diagnostic>) {
    if !listing::is_listing(grid) {
        return (Form::new(Vec::new()), vec![cut.clone()]);
    }
    recognize_with_cut(grid, true, Some(cut))
}

fn recognize_with(grid: &Grid, whole_cells: bool) -> (Form, Vec<Diagnostic>) {
    recognize_with_cut(grid, whole_cells, None)
}

fn recognize_with_cut(
    grid: &Grid,
    whole_cells: bool,
    cut: Option<&Diagnostic>,
) -> (Form, Vec<Diagnostic>) {
    // One table of many projects: rewritten into one declaration per project first.
    let (unrolled, listed) = match listing::unroll(grid, cut) {
        None => (None, Vec::new()),
        Some(Ok((g, notes))) => (Some(g), notes),
        Some(Err(d)) => return (Form::new(Vec::new()), vec![d]),
    };
    let grid = unrolled.as_ref().unwrap_or(grid);
    let mut r = Recognizer {
        whole_cells,
        diags: listed,
        ..Recognizer::default()
    };
    // Project forms and department-wide ones in one file (jixiao's own print of a unit's
    // declarations): each part by its own reader, split at each department-wide title and, after
    // one, at the next project form's title.
    for (part, title) in parts(&grid.rows) {
        match title {
            Some(title) => r.read_department(part, title),
            None => r.run(part),
        }
    }
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
    /// A 财政拨款 whose label names the year (`其中：当年财政拨款`).
    fiscal_this_year: Option<Decimal>,
    /// A 财政拨款 whose label names no period (`其中：财政拨款`), with the cell of its label:
    /// the annual one, unless the form also gives the year's own under a 资金总额 of the whole
    /// period (湖北: 资金总额 / 其中：财政拨款 beside 当年资金总额 / 其中：当年财政拨款).
    fiscal_plain: Option<(Decimal, Located)>,
    overall: Vec<String>,
    annual: Vec<String>,
    tasks: Vec<Task>,
    /// The last paragraph of goal text, while it may still continue.
    body_open: bool,
    indicators: Vec<IndRow>,
    saw_indicator_header: bool,
}

impl Draft {
    /// Nothing of a form read yet (only its title, perhaps its year).
    fn is_untouched(&self) -> bool {
        self.name.is_none()
            && self.unit.is_none()
            && self.department.is_none()
            && self.total.is_none()
            && self.p_total.is_none()
            && self.overall.is_empty()
            && self.annual.is_empty()
            && self.indicators.is_empty()
            && !self.saw_indicator_header
    }

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

/// Rows read by one reader, and the title cell (line, column) of a department-wide 申报表.
type Part<'a> = (&'a [Row], Option<(u32, u32)>);

/// The parts of a grid by the reader each needs: `Some(title)` a department-wide 申报表 (its
/// title cell), `None` project forms. A grid without a department-wide title is one project part;
/// rows before the first department-wide title that hold no project form's title (`附件2：`)
/// belong to it.
fn parts(rows: &[Row]) -> Vec<Part<'_>> {
    let vocab = vocabulary();
    let project_title = |row: &Row| {
        row.filled()
            .any(|(_, c)| is_declaration_title(&label_text(&c.text)))
    };
    let mut bounds: Vec<(usize, Option<(u32, u32)>)> = Vec::new();
    let mut in_department = false;
    for (k, row) in rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        if let Some(title) = vocab.department_title(std::slice::from_ref(row)) {
            bounds.push((k, Some(title)));
            in_department = true;
        } else if in_department && project_title(row) {
            bounds.push((k, None));
            in_department = false;
        }
    }
    match bounds.first() {
        None => return vec![(rows, None)],
        Some(&(k, _)) if !rows[..k].iter().any(project_title) => bounds[0].0 = 0,
        Some(_) => bounds.insert(0, (0, None)),
    }
    let ends = bounds.iter().skip(1).map(|b| b.0).chain([rows.len()]);
    bounds
        .iter()
        .zip(ends)
        .map(|(&(from, title), to)| (&rows[from..to], title))
        .collect()
}

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

/// The warning for a cell the reader does not recognise and leaves out.
fn unrecognised(line: u32, column: u32, text: &str) -> Diagnostic {
    Diagnostic::warning(
        line,
        column,
        format!("未识别的内容「{}」，已忽略", text.trim()),
        format!("unrecognised text {:?} is ignored", text.trim()),
    )
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

/// Where the reader stands between rows: the declaration being read and the part of it.
struct Cursor {
    draft: Option<Draft>,
    section: Section,
}

impl Cursor {
    /// A new declaration begins at `line`.
    fn start(&mut self, line: u32) {
        self.draft = Some(Draft {
            line,
            ..Draft::default()
        });
        self.section = Section::Header;
    }
}

/// A year alone on its row (`(2024年度)`).
fn year_line(filled: &[(usize, &Cell)]) -> Option<i32> {
    match filled {
        [(_, c)] => year_of(&label_text(&c.text)),
        _ => None,
    }
}

/// A second 项目名称 without a title line starts the next project.
fn starts_next_project(d: &Draft, section: Section, filled: &[(usize, &Cell)]) -> bool {
    d.name.is_some()
        && section != Section::Indicators
        && filled
            .iter()
            .any(|(_, c)| field_kind(&label_text(&c.text)) == Some(Field::Name))
        && (d.saw_indicator_header || !d.overall.is_empty())
}

impl Recognizer {
    fn run(&mut self, rows: &[Row]) {
        let mut cur = Cursor {
            draft: None,
            section: Section::Header,
        };
        let mut i = 0;
        while i < rows.len() {
            i = self.step(rows, i, &mut cur);
        }
        self.finish(cur.draft.take());
        self.refuse_if_nothing_read(rows);
    }

    /// Reads row `i` (the indicator table and stacked goal text read their own runs of rows);
    /// returns the index of the next row to read (`i` itself when the row is to be read again
    /// as the start of a new declaration).
    fn step(&mut self, rows: &[Row], i: usize, cur: &mut Cursor) -> usize {
        let row = &rows[i];
        if row.is_blank() {
            return i + 1;
        }
        let filled: Vec<(usize, &Cell)> = row.filled().collect();
        if is_summary_title(&filled) {
            self.start_unit(row, &filled, cur);
            return i + 1;
        }
        if filled
            .iter()
            .any(|(_, c)| is_declaration_title(&label_text(&c.text)))
        {
            // A title again before anything of the form (a web page's heading, then the form's
            // own title): one declaration, its title the later one; said in a note.
            let year = match &cur.draft {
                Some(d) if d.is_untouched() => {
                    self.diags.push(Diagnostic::note(
                        row.line,
                        filled[0].1.column,
                        format!("第 {} 行的标题之后没有表格内容，又见此标题：读作同一申报表的标题", d.line),
                        format!("the title of line {} is followed by no form content before this one: read as the title of one form", d.line),
                    ));
                    d.year
                }
                _ => {
                    self.finish(cur.draft.take());
                    None
                }
            };
            cur.start(row.line);
            if let Some(d) = cur.draft.as_mut() {
                // A year in the title itself (`部门预算项目绩效目标申报表(2023年度)`).
                d.year = year.or_else(|| {
                    filled
                        .iter()
                        .find_map(|(_, c)| title_year(&c.text))
                        .map(|y| (y, row.line))
                });
            }
            return i + 1;
        }
        let Some(d) = cur.draft.as_mut() else {
            return self.before_first_declaration(row, &filled, cur, i);
        };
        if let Some(y) = year_line(&filled) {
            d.year = Some((y, row.line));
            return i + 1;
        }
        if is_indicator_header(row) {
            cur.section = Section::Indicators;
            return self.enter_indicator_table(rows, i, d);
        }
        if starts_next_project(d, cur.section, &filled) {
            self.finish(cur.draft.take());
            cur.start(row.line);
            return i;
        }
        if self.goal_heading(row, &filled, d, &mut cur.section) {
            return i + 1;
        }
        self.section_row(rows, i, &filled, d, &mut cur.section)
    }

    /// A (next) unit's 汇总表 begins: the form before it is complete.
    fn start_unit(&mut self, row: &Row, filled: &[(usize, &Cell)], cur: &mut Cursor) {
        if self.titles.is_empty() && (cur.draft.is_some() || !self.projects.is_empty()) {
            self.titles.push((None, 1)); // forms without a title came first
        }
        self.finish(cur.draft.take());
        let t = filled[0].1.text.trim().to_string();
        self.title_year = title_year(&t);
        self.titles.push((Some(t), row.line));
        cur.section = Section::Header;
    }

    /// Text before the first declaration: the document title, or a header row of a form
    /// without the 申报表 title line (read again as the declaration's first row).
    fn before_first_declaration(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        cur: &mut Cursor,
        i: usize,
    ) -> usize {
        if filled
            .iter()
            .any(|(_, c)| field_kind(&label_text(&c.text)) == Some(Field::Name))
        {
            cur.start(row.line);
            return i;
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
        i + 1
    }

    /// The indicator table's header row at `i`: the table is read from the next row.
    fn enter_indicator_table(&mut self, rows: &[Row], i: usize, d: &mut Draft) -> usize {
        let row = &rows[i];
        d.saw_indicator_header = true;
        let mut extra = extra_columns(row, d);
        let midterm = midterm_group(row);
        if let Some(g) = &midterm {
            for (i, l) in &g.columns {
                if !extra.iter().any(|(x, _)| x == i) {
                    extra.push((*i, l.clone()));
                }
            }
        }
        let order = header_order(row);
        let split = split_target(row);
        if let Some(o) = order.filter(|o| o.value_first) {
            self.diags.push(Diagnostic::note(
                row.line,
                o.target_column,
                "表头中「指标值」列在「三级指标」列之前：各行按表头的列序读取（先指标值，后三级指标）",
                "the header puts the 指标值 column before the 三级指标 column: rows are read in the header's column order (target first, then the 三级 name)",
            ));
        }
        let header = TableHeader {
            extra: &extra,
            order,
            split: split.as_ref(),
            midterm: midterm.as_ref(),
        };
        self.read_indicators(rows, i + 1, d, header)
    }

    /// Goal headings: side by side, beside their text, or stacked over it. True when the row
    /// was one.
    fn goal_heading(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        d: &mut Draft,
        section: &mut Section,
    ) -> bool {
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
                *section = Section::GoalColumns {
                    overall: *o,
                    annual: *a,
                };
                true
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
                *section = Section::Header;
                true
            }
            (Some(_), None) if filled.len() == 1 => {
                *section = Section::GoalBody(BodyTarget::Overall);
                d.body_open = false;
                true
            }
            (None, Some(_)) if filled.len() == 1 => {
                let shared =
                    *section == Section::GoalBody(BodyTarget::Overall) && d.overall.is_empty();
                if shared {
                    self.diags.push(Diagnostic::note(
                        row.line,
                        filled[0].1.column,
                        "「项目总目标」与「年度总体目标」共用下方同一段文字，两者均取该文字",
                        "项目总目标 and 年度总体目标 share the text below; both take it",
                    ));
                }
                *section = Section::GoalBody(if shared {
                    BodyTarget::Both
                } else {
                    BodyTarget::Annual
                });
                d.body_open = false;
                true
            }
            _ => false,
        }
    }

    /// A row read by the part of the declaration the reader is in: goal text (side by side or
    /// stacked), sub-tasks, or header fields. Returns the index of the next row.
    fn section_row(
        &mut self,
        rows: &[Row],
        i: usize,
        filled: &[(usize, &Cell)],
        d: &mut Draft,
        section: &mut Section,
    ) -> usize {
        match *section {
            Section::GoalColumns { .. } if is_task_line(filled) => {
                // The sub-task list right under the goal row: sub-tasks, not goal text.
                *section = Section::GoalBody(BodyTarget::Annual);
                self.read_body_line(rows, i, d, BodyTarget::Annual)
            }
            Section::GoalColumns { overall, annual } => {
                // Two texts under the two headings: in the headings' order (a label merged over
                // both rows on the left shifts the texts, so their places do not say it).
                let texts: Vec<&(usize, &Cell)> = filled
                    .iter()
                    .filter(|(_, c)| label_text(&c.text) != "项目绩效目标")
                    .collect();
                let by_order = texts.len() == 2;
                for (k, (idx, c)) in texts.into_iter().enumerate() {
                    let to_overall = if by_order {
                        (k == 0) == (overall < annual)
                    } else {
                        idx.abs_diff(overall) <= idx.abs_diff(annual)
                    };
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
                i + 1
            }
            Section::GoalBody(which) => self.read_body_line(rows, i, d, which),
            Section::Header | Section::Indicators => {
                self.read_header_row(&rows[i], filled, d);
                i + 1
            }
        }
    }

    /// Nothing was read and nothing said why: the refusal names the nearest template family,
    /// the labels found and what is missing, or the template as unknown.
    fn refuse_if_nothing_read(&mut self, rows: &[Row]) {
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

    /// The indicator rows read into indicators: 任务 references split off the names, targets
    /// parsed (in the form's year, for a deadline written without one); errors at their cells.
    fn build_indicators(&mut self, rows: &[IndRow], form_year: Option<i32>) -> Vec<Indicator> {
        let mut indicators = Vec::with_capacity(rows.len());
        for r in rows {
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
            // A period (`2023.07-2024.01`, a 服务周期) is no kind of target the model holds: kept
            // as written (qualitative, judged by the scorer) and said, never read as a date.
            let period = parse_period(&r.target.text);
            if let Some((from, to, _)) = period {
                self.diags.push(Diagnostic::warning(
                    r.target.line,
                    self.column_in(&r.target, 0),
                    format!(
                        "指标「{}」的指标值「{}」是一段期间（{from} 至 {to}），不是数量或完成日期：按定性指标保留原文，请核对",
                        refs.1, r.target.text
                    ),
                    format!(
                        "the target {:?} of indicator {:?} is a period ({from} to {to}), neither a quantity nor a deadline: kept as written, as a qualitative target; please check",
                        r.target.text, refs.1
                    ),
                ));
            }
            let read = match form_year {
                _ if period.is_some() => Ok((
                    Target::Qualitative(r.target.text.trim().to_string()),
                    Vec::new(),
                )),
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
                library: None,
                core: false,
            });
        }
        indicators
    }

    /// A family whose 申报表 prints no dates (四川's, `year_as_period`): a 年度 form's project
    /// runs that year, said in a warning at the year.
    fn dates_from_year(&mut self, d: &mut Draft, bad_value: bool) {
        if d.start.is_some() || d.end.is_some() || bad_value {
            return;
        }
        let vocab = vocabulary();
        let Some(fam) = d
            .families
            .iter()
            .filter_map(|f| vocab.families.get(*f))
            .find(|f| f.year_as_period)
        else {
            return;
        };
        let Some((year, line)) = d.year.or(self.title_year.map(|y| (y, d.line))) else {
            return;
        };
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return;
        };
        self.diags.push(Diagnostic::warning(
            line,
            1,
            format!(
                "表中没有计划开始日期、计划完成日期：按{}的版式，{year}年度的项目读作 {start} 至 {end}",
                fam.zh
            ),
            format!(
                "the form gives no planned start or end date: as {} forms do, a project of the year {year} is read as running {start} to {end}",
                fam.en
            ),
        ));
        d.start = Some((start, line));
        d.end = Some((end, line));
    }

    /// `其中：财政拨款` beside `其中：当年财政拨款` under a 资金总额 of the whole period: the one
    /// without 当年 is the period's 财政资金 (the number printed under 资金总额), said in a note.
    fn fiscal_of_the_period(&mut self, d: &mut Draft) {
        let (Some((plain, at)), Some(year)) = (d.fiscal_plain.take(), d.fiscal_this_year) else {
            return;
        };
        if d.p_total.is_none() || d.p_fiscal.is_some() {
            return;
        }
        d.p_fiscal = Some(plain);
        d.fiscal = Some(year);
        let amount = jixiao_model::present::amount(plain);
        self.diags.push(Diagnostic::note(
            at.line,
            at.column,
            format!(
                "「{}」与「其中：当年财政拨款」同在一表：前者属于项目资金总额，读作项目期的财政资金 {amount} 元",
                at.text
            ),
            format!(
                "{:?} stands beside 其中：当年财政拨款: it belongs to the whole period's total and is read as the period's fiscal funds, {amount} yuan",
                at.text
            ),
        ));
    }

    /// Turns a draft into a project, or explains what is missing.
    fn finish(&mut self, draft: Option<Draft>) {
        let Some(mut d) = draft else { return };
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
        self.dates_from_year(&mut d, bad_value);
        self.fiscal_of_the_period(&mut d);
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
            // A family whose form names no 实施单位 (Hunan's 申报表: 预算部门 only): the
            // 预算部门 is the unit, said.
            let vocab = vocabulary();
            let by_family = d
                .families
                .iter()
                .filter_map(|f| vocab.families.get(*f))
                .find(|f| f.unit_from_department);
            if let (Some(fam), Some(dep)) = (by_family, &d.department) {
                self.diags.push(Diagnostic::warning(
                    dep.line,
                    dep.column,
                    format!("表中没有「实施单位」：按{}的版式，以预算部门「{}」作为实施单位", fam.zh, dep.text),
                    format!("the form names no 实施单位: as {} forms do, the 预算部门 {:?} is read as the implementing unit", fam.en, dep.text),
                ));
                d.unit = Some(dep.clone());
            }
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
        let indicators = self.build_indicators(&d.indicators, form_year);
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
            department_targets: None,
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
