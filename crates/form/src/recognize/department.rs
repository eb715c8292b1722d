//! The department-wide 申报表 (部门整体支出绩效目标申报表): a department's or unit's whole budget
//! for a year, read into one declaration named [`DEPARTMENT_TARGETS_NAME`] whose
//! [`Project::department_targets`] is set.
//!
//! The layout (财预〔2015〕88号 附件, 湖北's 鄂财绩发 version; `templates/department.toml` holds
//! the words), read from any grid:
//!
//! - **header**: 部门（单位）名称, 主管部门 (else the unit is its own), the year (a `(2024年度)`
//!   line, a 年度 field or the title's `2024年`); the declaration runs 1 January – 31 December;
//! - **部门总体资金情况**: 收入构成 (财政拨款, 其他资金, 上年结转, 合计) and 支出构成 (基本支出,
//!   项目支出, 合计), each amount by its row label, in the column headed 当年金额 when there is
//!   one (else the first cell after the label: 占比 and 近两年 columns follow it); 合计 is the
//!   year's total. A 合计 that is not the sum of its parts is a warning at its cell;
//! - **部门职能概述**: the text beside or below the label (rows before a label merged over them
//!   belong to it);
//! - **年度主要任务**: columns by their header (任务名称 | 主要内容 | 预算金额 over 总额 / 财政拨款 /
//!   其他资金); each row a task numbered from 1 with its 预算金额; the 金额合计 row is checked
//!   against the tasks, cell by cell — a difference is a warning at that cell, nothing is changed;
//! - **年度绩效目标** (or 年度总体目标) and **中长期目标**: the text as printed, a row a line;
//! - **年度绩效指标**: the project reader's indicator table (columns by header, labels by
//!   content), with a 是否核心指标 column read as [`jixiao_model::Indicator::core`] (`是`).
//!
//! Amounts are in 元 unless a label (`预算金额（万元）`, `部门总体资金情况（万元）`) or a cell
//! (`单位：万元`) says 万元: converted exactly, with a note. A form that lacks what a declaration
//! needs (the unit, the year's total, the 年度绩效目标, the indicators) is refused, naming what
//! is missing and where the text ends — the place a cut form stops.

use jixiao_model::{
    normalize_label, parse_amount_with_notes, Decimal, DepartmentTargets, Funds, NaiveDate,
    Project, SpendingSplit, Task, TaskFunds, DEPARTMENT_TARGETS_NAME,
};

use super::indicators::is_indicator_header;
use super::{label_text, unwrap_cell, year_line, Draft, Located, Recognizer};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Row};
use crate::template::{vocabulary, DepartmentLabels, Unit};

/// The parts of the form, in the order the template prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Unit,
    Funds,
    Functions,
    Tasks,
    Annual,
    Indicators,
}

impl Part {
    const ALL: [Part; 6] = [
        Part::Unit,
        Part::Funds,
        Part::Functions,
        Part::Tasks,
        Part::Annual,
        Part::Indicators,
    ];

    fn labels(self, l: &DepartmentLabels) -> &[String] {
        match self {
            Part::Unit => &l.unit,
            Part::Funds => &l.funds,
            Part::Functions => &l.functions,
            Part::Tasks => &l.tasks,
            Part::Annual => &l.annual,
            Part::Indicators => &l.indicators,
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Part::Unit => "部门（单位）名称",
            Part::Funds => "部门总体资金情况",
            Part::Functions => "部门职能概述",
            Part::Tasks => "年度主要任务",
            Part::Annual => "年度绩效目标",
            Part::Indicators => "年度绩效指标",
        }
    }
}

/// Where the reader stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Funds,
    Functions,
    Tasks,
    /// After the 金额合计 row, before the next label.
    AfterTasks,
    Annual,
    Overall,
    /// After the indicator table.
    End,
}

/// Which side of 部门总体资金情况 a row is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Income,
    Spending,
}

/// An amount read, with its cell.
#[derive(Debug, Clone)]
struct Amount {
    value: Decimal,
    at: Located,
}

/// The columns of the 年度主要任务 table, by header.
#[derive(Debug, Clone, Default)]
struct TaskColumns {
    name: Option<usize>,
    content: Option<usize>,
    total: Option<usize>,
    fiscal: Option<usize>,
    other: Option<usize>,
    /// The 预算金额 header's column, until its sub-header names 总额.
    budget: Option<usize>,
    /// The unit the header states (`预算金额（万元）`), with the label.
    unit: Option<(Unit, String)>,
}

#[derive(Default)]
struct Dept {
    year: Option<i32>,
    unit: Option<Located>,
    department: Option<Located>,
    /// A `单位：万元` cell outside a block: the unit of the amounts after it.
    doc_unit: Option<(Unit, String)>,
    funds_unit: Option<(Unit, String)>,
    amount_col: Option<usize>,
    side: Option<Side>,
    fiscal: Option<Amount>,
    other: Option<Amount>,
    carryover: Option<Amount>,
    income_sum: Option<Amount>,
    basic: Option<Amount>,
    project: Option<Amount>,
    spending_sum: Option<Amount>,
    functions: Vec<String>,
    cols: TaskColumns,
    tasks: Vec<Task>,
    task_sum: Option<(Option<Amount>, Option<Amount>, Option<Amount>)>,
    annual: Vec<String>,
    overall: Vec<String>,
    /// Rows with no label of their own, waiting for a label merged over them (职能概述, 目标).
    pending: Vec<(String, u32, u32)>,
    indicators: Draft,
    core_col: Option<usize>,
    saw_indicator_header: bool,
    /// The cells of 是否核心指标, by the line of their indicator row.
    core: Vec<(u32, Located)>,
    /// The parts whose label was read as a cell.
    parts: Vec<Part>,
}

fn is_in(list: &[String], norm: &str) -> bool {
    !norm.is_empty() && list.iter().any(|l| l == norm)
}

/// A label and the amount unit its suffix states: `预算金额（万元）` → (`预算金额`, 万元).
fn split_unit(norm: &str) -> (&str, Option<Unit>) {
    for (suffix, unit) in [
        ("(万元)", Unit::TenThousand),
        ("(单位:万元)", Unit::TenThousand),
        ("(元)", Unit::Yuan),
        ("(单位:元)", Unit::Yuan),
    ] {
        if let Some(base) = norm.strip_suffix(suffix) {
            return (base, Some(unit));
        }
    }
    (norm, None)
}

/// The unit a cell states (`单位：万元`, `金额单位：元`), if it states one.
fn stated_unit(l: &DepartmentLabels, norm: &str) -> Option<Unit> {
    if l.unit_wan.iter().any(|u| norm.contains(u.as_str())) {
        Some(Unit::TenThousand)
    } else if l.unit_yuan.iter().any(|u| norm.contains(u.as_str())) {
        Some(Unit::Yuan)
    } else {
        None
    }
}

/// The year a title states (`2024年部门整体支出…`, `…（2024年度）`).
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().map(jixiao_model::fold_char).collect();
    for (i, w) in chars.windows(5).enumerate() {
        if w[..4].iter().all(|c| c.is_ascii_digit())
            && w[4] == '年'
            && (i == 0 || !chars[i - 1].is_ascii_digit())
        {
            let y: String = w[..4].iter().collect();
            return y.parse().ok().filter(|y| (1990..=2100).contains(y));
        }
    }
    None
}

/// `Σ` of the amounts given, `None` when none is.
fn sum(parts: &[&Option<Amount>]) -> Option<Decimal> {
    let given: Vec<Decimal> = parts
        .iter()
        .filter_map(|a| a.as_ref())
        .map(|a| a.value)
        .collect();
    (!given.is_empty()).then(|| given.iter().copied().sum())
}

fn yuan(d: Decimal) -> String {
    jixiao_model::present::amount(d)
}

impl Recognizer {
    /// Reads the department-wide 申报表 whose title stands at `title` (line, column).
    pub(super) fn read_department(&mut self, rows: &[Row], title: (u32, u32)) {
        let Some((labels, _)) = vocabulary().department() else {
            return;
        };
        let mut d = Dept::default();
        let mut section = Section::Header;
        let mut i = 0;
        while i < rows.len() {
            let row = &rows[i];
            if row.is_blank() {
                i += 1;
                continue;
            }
            let filled: Vec<(usize, &Cell)> = row.filled().collect();
            if row.line < title.0 {
                i += 1; // 附件2： and the like, before the title
                continue;
            }
            if row.line == title.0 {
                for (_, c) in &filled {
                    if let Some(y) = year_in(&c.text) {
                        d.year.get_or_insert(y);
                    }
                }
                i += 1;
                continue;
            }
            if let Some(y) = year_line(&filled) {
                d.year = Some(y);
                i += 1;
                continue;
            }
            if is_indicator_header(row) {
                self.flush_pending(&mut d, None);
                i = self.department_indicators(rows, i, labels, &mut d);
                section = Section::End;
                continue;
            }
            if section != Section::End {
                if let Some(s) = self.department_label_row(row, &filled, labels, &mut d, section) {
                    section = s;
                    i += 1;
                    continue;
                }
            }
            section = match section {
                Section::Header => {
                    self.department_header_row(row, &filled, labels, &mut d);
                    section
                }
                Section::Funds => {
                    if !self.funds_row(row, &filled, labels, &mut d) {
                        d.pending.push(row_text(row, &filled));
                    }
                    section
                }
                Section::Functions => {
                    d.functions.push(row_text(row, &filled).0);
                    section
                }
                Section::Tasks => self.task_row(row, &filled, labels, &mut d),
                Section::AfterTasks => {
                    d.pending.push(row_text(row, &filled));
                    section
                }
                Section::Annual => {
                    d.annual.push(row_text(row, &filled).0);
                    section
                }
                Section::Overall => {
                    d.overall.push(row_text(row, &filled).0);
                    section
                }
                Section::End => {
                    self.unread_row(row, &filled);
                    section
                }
            };
            i += 1;
        }
        self.flush_pending(&mut d, None);
        self.finish_department(rows, title, labels, d);
    }

    /// A row that opens a part by its label (部门总体资金情况, 部门职能概述, 年度主要任务 or its
    /// header, 年度绩效目标, 中长期目标): read, and the section it opens returned.
    fn department_label_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        l: &DepartmentLabels,
        d: &mut Dept,
        section: Section,
    ) -> Option<Section> {
        let norms: Vec<String> = filled.iter().map(|(_, c)| label_text(&c.text)).collect();
        let find = |list: &[String]| norms.iter().position(|n| is_in(list, split_unit(n).0));
        // The 年度主要任务 header: 任务名称 and 主要内容 on one row (the part's label may be on it,
        // or merged over the rows below).
        if let (Some(n), Some(c)) = (find(&l.task_name), find(&l.task_content)) {
            self.flush_pending(d, None);
            d.parts.push(Part::Tasks);
            d.cols = TaskColumns {
                name: Some(filled[n].0),
                content: Some(filled[c].0),
                ..TaskColumns::default()
            };
            self.task_header_cells(filled, l, d);
            return Some(Section::Tasks);
        }
        if find(&l.tasks).is_some() {
            self.flush_pending(d, None);
            d.parts.push(Part::Tasks);
            return Some(Section::Tasks);
        }
        if let Some(k) = norms
            .iter()
            .position(|n| l.funds.iter().any(|f| n.starts_with(f.as_str())))
        {
            d.parts.push(Part::Funds);
            let norm = &norms[k];
            let unit = split_unit(norm).1.or_else(|| stated_unit(l, norm));
            if let Some(u) = unit {
                d.funds_unit = Some((u, filled[k].1.text.trim().to_string()));
            }
            // The rest of the row (收入构成 | 财政拨款 | 968.19 …) is a funds row.
            let rest: Vec<(usize, &Cell)> = filled.iter().skip(k + 1).copied().collect();
            if !rest.is_empty() {
                self.funds_row(row, &rest, l, d);
            }
            return Some(Section::Funds);
        }
        for (list, part, to) in [
            (&l.functions, Part::Functions, Section::Functions),
            (&l.annual, Part::Annual, Section::Annual),
            (&l.overall, Part::Annual, Section::Overall),
        ] {
            let Some(k) = find(list) else { continue };
            d.parts.push(part);
            self.flush_pending(d, Some(to));
            let text: Vec<String> = filled
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, (_, c))| unwrap_cell(c.text.trim()))
                .collect();
            if !text.is_empty() {
                let line = join_row(&text);
                match to {
                    Section::Functions => d.functions.push(line),
                    Section::Annual => d.annual.push(line),
                    _ => d.overall.push(line),
                }
            }
            return Some(to);
        }
        if find(&l.indicators).is_some() && filled.len() == 1 {
            // 年度绩效指标 alone on its row: the table's header follows.
            d.parts.push(Part::Indicators);
            self.flush_pending(d, None);
            return Some(section);
        }
        None
    }

    /// Rows kept for a label merged over them: they go to the part that label opens (`to`), or
    /// are said as not read.
    fn flush_pending(&mut self, d: &mut Dept, to: Option<Section>) {
        let pending = std::mem::take(&mut d.pending);
        match to {
            Some(Section::Functions) => {
                let mut all: Vec<String> = pending.into_iter().map(|p| p.0).collect();
                all.append(&mut d.functions);
                d.functions = all;
            }
            Some(Section::Annual) => {
                let mut all: Vec<String> = pending.into_iter().map(|p| p.0).collect();
                all.append(&mut d.annual);
                d.annual = all;
            }
            Some(Section::Overall) => {
                let mut all: Vec<String> = pending.into_iter().map(|p| p.0).collect();
                all.append(&mut d.overall);
                d.overall = all;
            }
            _ => {
                for (text, line, column) in pending {
                    self.diags.push(super::unrecognised(line, column, &text));
                }
            }
        }
    }

    fn unread_row(&mut self, row: &Row, filled: &[(usize, &Cell)]) {
        let (text, line, column) = row_text(row, filled);
        self.diags.push(Diagnostic::warning(
            line,
            column,
            format!("部门整体支出绩效目标申报表之后的内容「{text}」未读取"),
            format!("text after the department-wide form is not read: {text:?}"),
        ));
    }

    /// 部门（单位）名称 / 主管部门 / 年度 / 填报人 … and `单位：万元`.
    fn department_header_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        l: &DepartmentLabels,
        d: &mut Dept,
    ) {
        let mut k = 0;
        while k < filled.len() {
            let cell = filled[k].1;
            let norm = label_text(&cell.text);
            // `label：value` in one cell.
            let (label, inline) = match norm.split_once(':') {
                Some((a, b))
                    if !b.is_empty()
                        && (is_in(&l.unit, a)
                            || is_in(&l.department, a)
                            || is_in(&l.year, a)
                            || is_in(&l.ignore, a)) =>
                {
                    let v = cell
                        .text
                        .split_once([':', '：'])
                        .map_or("", |x| x.1)
                        .trim()
                        .to_string();
                    (a.to_string(), Some(v))
                }
                _ => (norm.clone(), None),
            };
            let known = is_in(&l.unit, &label)
                || is_in(&l.department, &label)
                || is_in(&l.year, &label)
                || is_in(&l.ignore, &label);
            if !known {
                if let Some(u) = stated_unit(l, &norm) {
                    d.doc_unit = Some((u, cell.text.trim().to_string()));
                } else {
                    self.diags
                        .push(super::unrecognised(row.line, cell.column, &cell.text));
                }
                k += 1;
                continue;
            }
            let value = match inline {
                Some(v) => Some(Located {
                    text: v,
                    line: row.line,
                    column: cell.column,
                }),
                None => match filled.get(k + 1) {
                    Some((_, next)) => {
                        let n = label_text(&next.text);
                        let is_label = [&l.unit, &l.department, &l.year, &l.ignore]
                            .iter()
                            .any(|list| is_in(list, &n));
                        if is_label {
                            None
                        } else {
                            k += 1;
                            Some(Located::of(row, next))
                        }
                    }
                    None => None,
                },
            };
            if is_in(&l.unit, &label) {
                d.parts.push(Part::Unit);
                d.unit = value.or(d.unit.take());
            } else if is_in(&l.department, &label) {
                d.department = value.or(d.department.take());
            } else if is_in(&l.year, &label) {
                if let Some(v) = value {
                    let y = v.text.trim().trim_end_matches('度').trim_end_matches('年');
                    match y.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y)) {
                        Some(y) => d.year = Some(y),
                        None => {
                            self.bad_value = true;
                            self.diags.push(Diagnostic::error(
                                v.line,
                                v.column,
                                format!(
                                    "「{}」的年度「{}」无法识别：应写作 2024 或 2024年",
                                    cell.text.trim(),
                                    v.text
                                ),
                                format!(
                                    "cannot read the year {:?} of {}: write it as 2024",
                                    v.text,
                                    cell.text.trim()
                                ),
                            ));
                        }
                    }
                }
            }
            k += 1;
        }
    }

    /// Reads an amount of the form in the unit that applies (`unit`), converting 万元 exactly.
    fn department_amount(
        &mut self,
        v: &Located,
        label: &Cell,
        unit: Option<&(Unit, String)>,
    ) -> Option<Amount> {
        let (a, notes) = match parse_amount_with_notes(&v.text) {
            Ok(read) => read,
            Err(e) => return self.report_bad_value(v, label, ("金额", "amount"), &e),
        };
        self.warn_read_notes(v, &notes);
        let value = match unit {
            Some((Unit::TenThousand, by)) => {
                self.wan_to_yuan(v, label, a, Decimal::from(10000), by)?
            }
            _ => a,
        };
        Some(Amount {
            value,
            at: v.clone(),
        })
    }

    /// One row of 部门总体资金情况: 收入构成 / 支出构成, an item label and its amount; a header
    /// naming the amount column (当年金额). False when the row holds none of its labels.
    fn funds_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        l: &DepartmentLabels,
        d: &mut Dept,
    ) -> bool {
        let mut read = false;
        let mut k = 0;
        while k < filled.len() {
            let (idx, cell) = filled[k];
            let norm = label_text(&cell.text);
            if is_in(&l.amount, split_unit(&norm).0) {
                d.amount_col.get_or_insert(idx);
                if let Some(u) = split_unit(&norm).1 {
                    d.funds_unit = Some((u, cell.text.trim().to_string()));
                }
                read = true;
                k += 1;
                continue;
            }
            if let Some(u) = stated_unit(l, &norm) {
                d.funds_unit = Some((u, cell.text.trim().to_string()));
                read = true;
                k += 1;
                continue;
            }
            if is_in(&l.income, &norm) {
                d.side = Some(Side::Income);
                read = true;
                k += 1;
                continue;
            }
            if is_in(&l.spending, &norm) {
                d.side = Some(Side::Spending);
                read = true;
                k += 1;
                continue;
            }
            let item = if is_in(&l.fiscal, &norm) {
                d.side = Some(Side::Income);
                Some(0)
            } else if is_in(&l.other, &norm) {
                d.side = Some(Side::Income);
                Some(1)
            } else if is_in(&l.carryover, &norm) {
                d.side = Some(Side::Income);
                Some(2)
            } else if is_in(&l.basic, &norm) {
                d.side = Some(Side::Spending);
                Some(3)
            } else if is_in(&l.project, &norm) {
                d.side = Some(Side::Spending);
                Some(4)
            } else if is_in(&l.sum, &norm) {
                Some(5)
            } else {
                None
            };
            let Some(item) = item else {
                // The 近两年收支金额 columns' years (`2022年`) head columns jixiao does not keep.
                if year_in(&norm).is_some() && norm.chars().count() <= 6 {
                    read = true;
                    k += 1;
                    continue;
                }
                if read {
                    k += 1; // 占比, 近两年 columns after the amount
                    continue;
                }
                return false;
            };
            read = true;
            // The amount: in the 当年金额 column, else the first cell after the label.
            let at = d
                .amount_col
                .filter(|c| *c > idx)
                .and_then(|c| filled.iter().position(|(j, _)| *j == c))
                .or_else(|| (k + 1 < filled.len()).then_some(k + 1));
            let value = at.map(|p| Located::of(row, filled[p].1));
            if let Some(p) = at {
                k = p;
            }
            let unit = d.funds_unit.clone().or_else(|| d.doc_unit.clone());
            let amount = match &value {
                Some(v) => self.department_amount(v, cell, unit.as_ref()),
                None => None,
            };
            let slot = match item {
                0 => &mut d.fiscal,
                1 => &mut d.other,
                2 => &mut d.carryover,
                3 => &mut d.basic,
                4 => &mut d.project,
                _ if d.side == Some(Side::Spending) => &mut d.spending_sum,
                _ => &mut d.income_sum,
            };
            if amount.is_some() {
                *slot = amount;
            }
            k += 1;
        }
        read
    }

    /// The amount columns named on the 年度主要任务 header (or its second row).
    fn task_header_cells(
        &mut self,
        filled: &[(usize, &Cell)],
        l: &DepartmentLabels,
        d: &mut Dept,
    ) -> bool {
        let mut any = false;
        for (idx, c) in filled {
            let norm = label_text(&c.text);
            let (base, unit) = split_unit(&norm);
            if let Some(u) = unit.or_else(|| stated_unit(l, &norm)) {
                if is_in(&l.task_budget, base)
                    || is_in(&l.task_total, base)
                    || base.starts_with("预算金额")
                {
                    d.cols.unit = Some((u, c.text.trim().to_string()));
                }
            }
            if is_in(&l.task_total, base) {
                d.cols.total = Some(*idx);
                any = true;
            } else if is_in(&l.task_fiscal, base) {
                d.cols.fiscal = Some(*idx);
                any = true;
            } else if is_in(&l.task_other, base) {
                d.cols.other = Some(*idx);
                any = true;
            } else if is_in(&l.task_budget, base) || base.starts_with("预算金额") {
                d.cols.budget = Some(*idx);
                any = true;
            }
        }
        any
    }

    /// A row of the 年度主要任务 table: its sub-header, a task, or the 金额合计 row (which ends it).
    fn task_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        l: &DepartmentLabels,
        d: &mut Dept,
    ) -> Section {
        // The sub-header (总额 | 财政拨款 | 其他资金): every cell a column label.
        let all_labels = filled.iter().all(|(_, c)| {
            let n = label_text(&c.text);
            let b = split_unit(&n).0;
            is_in(&l.task_total, b)
                || is_in(&l.task_fiscal, b)
                || is_in(&l.task_other, b)
                || is_in(&l.task_budget, b)
        });
        if all_labels {
            self.task_header_cells(filled, l, d);
            return Section::Tasks;
        }
        let cols = d.cols.clone();
        if cols.name.is_none() {
            // 年度主要任务 without a header: its rows cannot be placed.
            let (text, line, column) = row_text(row, filled);
            self.diags.push(Diagnostic::error(
                line,
                column,
                format!("「年度主要任务」没有「任务名称 | 主要内容 | 预算金额」表头，「{text}」无法按列读取"),
                format!("年度主要任务 has no header (任务名称 | 主要内容 | 预算金额): {text:?} cannot be read by its columns"),
            ));
            return Section::Tasks;
        }
        let total_col = cols.total.or(cols.budget);
        let cell = |idx: Option<usize>| {
            idx.and_then(|i| row.cells.get(i))
                .filter(|c| !jixiao_model::is_blank(&c.text))
        };
        // 金额合计: in the name column or left of it (a label merged over the table's width).
        let first_content = cols.content.unwrap_or(usize::MAX);
        let is_sum = filled
            .iter()
            .any(|(i, c)| *i < first_content && is_in(&l.task_sum, &label_text(&c.text)));
        let unit = cols.unit.clone().or_else(|| d.doc_unit.clone());
        let read = |s: &mut Self, idx: Option<usize>, what: &str| -> Option<Amount> {
            let c = cell(idx)?;
            let v = Located::of(row, c);
            let label = Cell {
                text: what.to_string(),
                column: c.column,
            };
            s.department_amount(&v, &label, unit.as_ref())
        };
        let total = read(self, total_col, "预算金额 总额");
        let fiscal = read(self, cols.fiscal, "预算金额 财政拨款");
        let other = read(self, cols.other, "预算金额 其他资金");
        if is_sum {
            d.task_sum = Some((total, fiscal, other));
            return Section::AfterTasks;
        }
        let title = cell(cols.name).map(|c| unwrap_cell(c.text.trim()));
        let description = cell(cols.content).map(|c| unwrap_cell(c.text.trim()));
        let Some(title) = title else {
            let (text, line, column) = row_text(row, filled);
            if description.is_some() || total.is_some() {
                self.diags.push(Diagnostic::error(
                    line,
                    column,
                    format!("年度主要任务的一行没有「任务名称」：「{text}」"),
                    format!("a row of 年度主要任务 has no 任务名称: {text:?}"),
                ));
            } else {
                d.pending.push((text, line, column));
            }
            return Section::Tasks;
        };
        if cols.total.is_none()
            && cols.budget.is_some()
            && cols.fiscal.is_none()
            && cols.other.is_none()
        {
            if let Some(t) = &total {
                if d.tasks.is_empty() {
                    self.diags.push(Diagnostic::warning(
                        t.at.line,
                        t.at.column,
                        "「预算金额」未分列财政拨款与其他资金：各任务的预算金额读作总额，财政拨款与其他资金记为 0，请核对",
                        "预算金额 is not split into 财政拨款 and 其他资金: each task's amount is read as its 总额, with 财政拨款 and 其他资金 0; please check",
                    ));
                }
            }
        }
        let zero = Decimal::ZERO;
        let funds = if total.is_none() && fiscal.is_none() && other.is_none() {
            None
        } else {
            let t = total.as_ref().map(|a| a.value);
            let f = fiscal.as_ref().map_or(zero, |a| a.value);
            let o = other.as_ref().map_or(zero, |a| a.value);
            let t = match t {
                Some(t) => {
                    if (fiscal.is_some() || other.is_some()) && f + o != t {
                        let at = &total
                            .as_ref()
                            .map(|a| a.at.clone())
                            .unwrap_or_else(|| Located::of(row, filled[0].1));
                        self.diags.push(Diagnostic::warning(
                            at.line,
                            at.column,
                            format!("任务「{title}」的预算金额总额 {} 元不等于财政拨款 {} 元与其他资金 {} 元之和 {} 元：按所填读取，请核对", yuan(t), yuan(f), yuan(o), yuan(f + o)),
                            format!("the task {title:?}'s 总额 {} 元 is not 财政拨款 {} 元 + 其他资金 {} 元 = {} 元: read as written; please check", yuan(t), yuan(f), yuan(o), yuan(f + o)),
                        ));
                    }
                    t
                }
                None => {
                    let at = fiscal.as_ref().or(other.as_ref()).map(|a| a.at.clone());
                    if let Some(at) = at {
                        self.diags.push(Diagnostic::warning(
                            at.line,
                            at.column,
                            format!("任务「{title}」没有填预算金额总额：读作财政拨款与其他资金之和 {} 元", yuan(f + o)),
                            format!("the task {title:?} has no 总额: read as 财政拨款 + 其他资金 = {} 元", yuan(f + o)),
                        ));
                    }
                    f + o
                }
            };
            Some(TaskFunds {
                total: t,
                fiscal: f,
                other: o,
            })
        };
        d.tasks.push(Task {
            no: d.tasks.len() as u32 + 1,
            area: None,
            title,
            description: description.unwrap_or_default(),
            funds,
        });
        Section::Tasks
    }

    /// The 年度绩效指标 table from its header at `i`, read by the project reader's table code
    /// (a 是否核心指标 column taken out first and read here); returns the next row's index.
    fn department_indicators(
        &mut self,
        rows: &[Row],
        i: usize,
        l: &DepartmentLabels,
        d: &mut Dept,
    ) -> usize {
        d.saw_indicator_header = true;
        d.parts.push(Part::Indicators);
        let header = &rows[i];
        let core_col = header
            .filled()
            .find(|(_, c)| is_in(&l.core, &label_text(&c.text)))
            .map(|(idx, _)| idx);
        d.core_col = core_col;
        // The table without the core column and without the part's label merged beside it.
        let table: Vec<Row> = rows[i..]
            .iter()
            .map(|r| {
                let mut r = r.clone();
                for (idx, c) in r.cells.iter_mut().enumerate() {
                    if Some(idx) == core_col || is_in(&l.indicators, &label_text(&c.text)) {
                        c.text.clear();
                    }
                }
                r
            })
            .collect();
        let next = self.enter_indicator_table(&table, 0, &mut d.indicators);
        if let Some(col) = core_col {
            for r in &d.indicators.indicators {
                if let Some(c) = rows[i..]
                    .iter()
                    .find(|x| x.line == r.line)
                    .and_then(|x| x.cells.get(col))
                {
                    let cell = Located {
                        text: c.text.trim().to_string(),
                        line: r.line,
                        column: c.column,
                    };
                    d.core.push((r.line, cell));
                }
            }
        }
        i + next
    }

    /// The declaration from what was read, or the refusal naming what is missing.
    fn finish_department(
        &mut self,
        rows: &[Row],
        title: (u32, u32),
        l: &DepartmentLabels,
        mut d: Dept,
    ) {
        // The year's total: 收入构成 合计, else the 金额合计 of the tasks (said).
        let sum_row = d.task_sum.clone();
        let sum_total = sum_row.as_ref().and_then(|s| s.0.clone());
        let total = d.income_sum.clone().or_else(|| {
            let t = sum_total.clone()?;
            self.diags.push(Diagnostic::note(
                t.at.line,
                t.at.column,
                format!("表中没有部门总体资金情况的合计：年度资金总额取年度主要任务的金额合计 {} 元", yuan(t.value)),
                format!("the form gives no 合计 of 部门总体资金情况: the year's total is the tasks' 金额合计, {} 元", yuan(t.value)),
            ));
            Some(t)
        });
        let mut missing: Vec<(&str, &str)> = Vec::new();
        if d.unit.is_none() {
            missing.push(("部门（单位）名称", "部门（单位）名称 (the unit)"));
        }
        if total.is_none() && !self.bad_value {
            missing.push((
                "年度资金总额（部门总体资金情况的合计或年度主要任务的金额合计）",
                "the year's total (the 合计 of 部门总体资金情况 or the tasks' 金额合计)",
            ));
        }
        if d.annual.iter().all(|a| a.trim().is_empty()) {
            missing.push(("年度绩效目标", "年度绩效目标 (the year's goals)"));
        }
        if d.indicators.indicators.is_empty() {
            missing.push(if d.saw_indicator_header {
                (
                    "年度绩效指标（表头之下没有指标）",
                    "年度绩效指标 (no indicator under the table's header)",
                )
            } else {
                (
                    "年度绩效指标（一级指标/二级指标/三级指标/指标值 表）",
                    "年度绩效指标 (the table of 一级指标/二级指标/三级指标/指标值)",
                )
            });
        }
        if d.year.is_none() {
            missing.push((
                "年度（标题中的年份或「(2024年度)」一行）",
                "the year (in the title, or a line such as (2024年度))",
            ));
        }
        if !missing.is_empty() {
            self.refuse_department(rows, title, l, &d, &missing);
            return;
        }
        let (Some(unit), Some(total), Some(year)) = (d.unit.clone(), total, d.year) else {
            return;
        };
        self.check_funds(&d, &total);
        self.check_task_sum(&d);
        let errors_before = self.error_count();
        let mut indicators = self.build_indicators(&d.indicators.indicators, Some(year));
        for (line, cell) in &d.core {
            let norm = normalize_label(&cell.text);
            let core = if is_in(&l.core_yes, &norm) {
                true
            } else if norm.is_empty() || l.core_no.contains(&norm) {
                false
            } else {
                self.diags.push(Diagnostic::error(
                    cell.line,
                    cell.column,
                    format!(
                        "「是否核心指标」应填「是」或「否」，此格为「{}」",
                        cell.text.trim()
                    ),
                    format!(
                        "是否核心指标 must be 是 or 否; this cell reads {:?}",
                        cell.text.trim()
                    ),
                ));
                continue;
            };
            if let Some(ind) = indicators.iter_mut().find(|x| x.line == Some(*line)) {
                ind.core = core;
            }
        }
        if self.error_count() > errors_before || self.bad_value {
            return;
        }
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return;
        };
        let zero = |a: &Option<Amount>| a.as_ref().map_or(Decimal::ZERO, |a| a.value);
        let department = match d.department.clone() {
            Some(dep) => dep.text,
            None => {
                self.diags.push(Diagnostic::note(
                    unit.line,
                    unit.column,
                    format!(
                        "表中没有「主管部门」：以部门（单位）「{}」本身为主管部门",
                        unit.text
                    ),
                    format!(
                        "the form names no 主管部门: the unit {:?} is its own",
                        unit.text
                    ),
                ));
                unit.text.clone()
            }
        };
        let spending = (d.basic.is_some() || d.project.is_some()).then(|| SpendingSplit {
            basic: zero(&d.basic),
            project: zero(&d.project),
        });
        // Without 收入构成, the split comes from the 金额合计 row.
        let (fiscal, other) = if d.income_sum.is_some() || d.fiscal.is_some() || d.other.is_some() {
            (zero(&d.fiscal), zero(&d.other))
        } else {
            match &sum_row {
                Some((_, f, o)) => (zero(f), zero(o)),
                None => (Decimal::ZERO, Decimal::ZERO),
            }
        };
        self.diags.push(Diagnostic::note(
            title.0,
            title.1,
            format!(
                "按部门整体支出绩效目标申报表读取：名称「{DEPARTMENT_TARGETS_NAME}」，{year} 年度（{start} 至 {end}）"
            ),
            format!(
                "read as a department-wide target form (部门整体支出绩效目标申报表): named {DEPARTMENT_TARGETS_NAME:?}, the year {year} ({start} to {end})"
            ),
        ));
        let mut p = Project {
            id: None,
            year,
            name: DEPARTMENT_TARGETS_NAME.to_string(),
            nature: None,
            category: None,
            department: Some(department),
            unit: unit.text,
            start,
            end,
            funds: Funds {
                total: total.value,
                fiscal,
                carryover: zero(&d.carryover),
                other,
            },
            project_funds: None,
            overall_goal: d.overall.join("\n"),
            annual_goal: d.annual.join("\n"),
            tasks: std::mem::take(&mut d.tasks),
            indicators,
            department_targets: Some(DepartmentTargets {
                functions: d.functions.join("\n"),
                spending,
            }),
        };
        p.assign_codes();
        self.projects.push(p);
    }

    fn error_count(&self) -> usize {
        self.diags
            .iter()
            .filter(|x| x.level == crate::diag::Level::Error)
            .count()
    }

    /// 收入构成 合计 = 财政拨款 + 其他资金 (+ 上年结转), 支出构成 合计 = 基本支出 + 项目支出, and
    /// the two 合计 alike: a difference is a warning at the 合计 cell, read as written.
    fn check_funds(&mut self, d: &Dept, total: &Amount) {
        let mut checks: Vec<(&Amount, Decimal, String, String)> = Vec::new();
        if let (Some(s), Some(parts)) = (&d.income_sum, sum(&[&d.fiscal, &d.other, &d.carryover])) {
            checks.push((
                s,
                parts,
                "收入构成的财政拨款、其他资金（及上年结转）之和".into(),
                "the sum of 收入构成 (财政拨款, 其他资金, 上年结转)".into(),
            ));
        }
        if let Some(parts) = sum(&[&d.basic, &d.project]) {
            match &d.spending_sum {
                Some(s) => {
                    checks.push((
                        s,
                        parts,
                        "支出构成的基本支出与项目支出之和".into(),
                        "基本支出 + 项目支出".into(),
                    ));
                    if d.income_sum.is_some() {
                        checks.push((
                            s,
                            total.value,
                            "收入构成的合计".into(),
                            "the 合计 of 收入构成".into(),
                        ));
                    }
                }
                None => {
                    let at = d.basic.as_ref().or(d.project.as_ref());
                    if let Some(at) = at {
                        if parts != total.value {
                            checks.push((
                                at,
                                total.value,
                                "年度资金总额（基本支出与项目支出之和应等于它）".into(),
                                "the year's total (基本支出 + 项目支出 should be it)".into(),
                            ));
                        }
                    }
                }
            }
        }
        for (cell, expected, zh, en) in checks {
            if cell.value != expected {
                self.diags.push(Diagnostic::warning(
                    cell.at.line,
                    cell.at.column,
                    format!("「{}」读作 {} 元，不等于{zh} {} 元：按所填读取，请核对", cell.at.text.trim(), yuan(cell.value), yuan(expected)),
                    format!("{:?} is read as {} 元, which is not {en}, {} 元: read as written; please check", cell.at.text.trim(), yuan(cell.value), yuan(expected)),
                ));
            }
        }
    }

    /// The 金额合计 row against the tasks, column by column: a difference is a warning at its
    /// cell, nothing changed.
    fn check_task_sum(&mut self, d: &Dept) {
        let Some((total, fiscal, other)) = &d.task_sum else {
            return;
        };
        let funded: Vec<&TaskFunds> = d.tasks.iter().filter_map(|t| t.funds.as_ref()).collect();
        let cols: [(&Option<Amount>, Decimal, &str, &str); 3] = [
            (total, funded.iter().map(|f| f.total).sum(), "总额", "总额"),
            (
                fiscal,
                funded.iter().map(|f| f.fiscal).sum(),
                "财政拨款",
                "财政拨款",
            ),
            (
                other,
                funded.iter().map(|f| f.other).sum(),
                "其他资金",
                "其他资金",
            ),
        ];
        for (cell, tasks, zh, en) in cols {
            let Some(cell) = cell else { continue };
            if cell.value != tasks {
                self.diags.push(Diagnostic::warning(
                    cell.at.line,
                    cell.at.column,
                    format!(
                        "金额合计的{zh} {} 元不等于 {} 项年度主要任务的{zh}之和 {} 元（相差 {} 元）：按所填读取，请核对",
                        yuan(cell.value),
                        d.tasks.len(),
                        yuan(tasks),
                        yuan(cell.value - tasks)
                    ),
                    format!(
                        "the 金额合计 {en} {} 元 is not the sum of the {} main tasks' {en}, {} 元 (a difference of {} 元): read as written; please check",
                        yuan(cell.value),
                        d.tasks.len(),
                        yuan(tasks),
                        yuan(cell.value - tasks)
                    ),
                ));
            }
        }
    }

    /// The refusal of a department-wide form that lacks what a declaration needs: what is
    /// missing, and where the text ends (the place a cut form stops); when its labels were found
    /// only inside text that ran together, that too.
    fn refuse_department(
        &mut self,
        rows: &[Row],
        title: (u32, u32),
        l: &DepartmentLabels,
        d: &Dept,
        missing: &[(&str, &str)],
    ) {
        // The parts present anywhere in the text (inside long cells too), in the form's order.
        let mut present: Vec<(Part, u32)> = Vec::new();
        for part in Part::ALL {
            let labels = part.labels(l);
            let at = rows.iter().filter(|r| r.line >= title.0).find(|r| {
                r.filled().any(|(_, c)| {
                    c.text.len() <= 64 * 1024 && {
                        let n = normalize_label(&c.text);
                        labels.iter().any(|x| n.contains(x.as_str()))
                    }
                })
            });
            if let Some(r) = at {
                present.push((part, r.line));
            }
        }
        let last_row = rows.iter().rev().find(|r| !r.is_blank());
        let (end_line, end_col) = last_row
            .and_then(|r| {
                r.filled()
                    .last()
                    .map(|(_, c)| (r.line, c.column + c.text.trim_end().chars().count() as u32))
            })
            .unwrap_or(title);
        let last_part = present.iter().map(|(p, _)| *p).max();
        let after: Vec<&str> = Part::ALL
            .iter()
            .filter(|p| last_part.is_some_and(|lp| **p > lp))
            .map(|p| p.zh())
            .collect();
        let cut = !after.is_empty();
        // Labels found only inside long runs of text: the cells ran together, and what is
        // "missing" is only what the text does not hold at all.
        let ran_together = d.parts.is_empty() && d.unit.is_none() && present.len() > 1;
        let zh_missing: Vec<String> = missing.iter().map(|m| format!("「{}」", m.0)).collect();
        let en_missing: Vec<&str> = missing.iter().map(|m| m.1).collect();
        let mut zh = format!(
            "部门整体支出绩效目标申报表（第 {} 行起）不完整，未读取",
            title.0
        );
        let mut en = format!(
            "the department-wide form (部门整体支出绩效目标申报表, from line {}) is incomplete and not read",
            title.0
        );
        if !(ran_together && cut) {
            zh.push_str(&format!("：缺少{}", zh_missing.join("")));
            en.push_str(&format!(": missing {}", en_missing.join(", ")));
        }
        if cut {
            let lp = last_part.map_or("", |p| p.zh());
            zh.push_str(&format!(
                "{}文本在第 {end_line} 行第 {end_col} 列结束，最后的部分是「{lp}」，其后的「{}」不在文件中：表格被截断",
                if ran_together { "：" } else { "。" },
                after.join("」「")
            ));
            en.push_str(&format!(
                "{} text ends at line {end_line}, column {end_col}, after {lp}; nothing of {} is in the file: the form is cut",
                if ran_together { ": the" } else { ". The" },
                after.join(", ")
            ));
        }
        if ran_together {
            let line = present[0].1;
            let chars = rows
                .iter()
                .find(|r| r.line == line)
                .and_then(|r| {
                    r.filled()
                        .last()
                        .map(|(_, c)| c.column - 1 + c.text.chars().count() as u32)
                })
                .unwrap_or(0);
            zh.push_str(&format!(
                "；且其单元格连成一片（第 {line} 行 {chars} 个字，没有制表符或单元格分隔），无法分辨行与列。请提供原表（XLSX、CSV、PDF）或带制表符的文本导出"
            ));
            en.push_str(&format!(
                "; and its cells run together ({chars} characters on line {line}, no tabs or cell separators), so rows and columns cannot be told apart. Please provide the original table (XLSX, CSV, PDF) or a tab-separated text export"
            ));
        }
        let (line, column) = if cut { (end_line, end_col) } else { title };
        self.diags.push(Diagnostic::error(line, column, zh, en));
    }
}

/// A row's cells as one text (cells of a row joined; see [`join_row`]) with its position.
fn row_text(row: &Row, filled: &[(usize, &Cell)]) -> (String, u32, u32) {
    let texts: Vec<String> = filled
        .iter()
        .map(|(_, c)| unwrap_cell(c.text.trim()))
        .collect();
    let column = filled.first().map_or(1, |(_, c)| c.column);
    (join_row(&texts), row.line, column)
}

/// The cells of one row as one line of text: a number or `目标1` before its text is joined with
/// `：` — `目标1 | 完成…` reads `目标1：完成…` — other cells with a space.
fn join_row(cells: &[String]) -> String {
    let mut out = String::new();
    for (k, c) in cells.iter().enumerate() {
        if k > 0 {
            let prev = &cells[k - 1];
            let marker = prev.chars().count() <= 6
                && prev
                    .chars()
                    .any(|ch| ch.is_ascii_digit() || "一二三四五六七八九十".contains(ch));
            out.push_str(if marker { "：" } else { " " });
        }
        out.push_str(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::recognize;
    use crate::diag::{Diagnostic, Level};
    use crate::grid::Grid;
    use jixiao_model::{Decimal, Form};

    fn read(text: &str) -> (Form, Vec<Diagnostic>) {
        recognize(&Grid::from_tsv(text))
    }

    fn errors(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
        diags.iter().filter(|d| d.level == Level::Error).collect()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    const TABLE: &str = "年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t是否核心指标\n\
                         \t产出指标\t数量指标\t监测次数\t≥12次\t是\n\
                         \t满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t否\n";

    fn form(funds: &str, tasks: &str, table: &str) -> String {
        format!(
            "2024年部门整体支出绩效目标申报表\n\
             部门（单位）名称\t某中心\n\
             {funds}\
             职能概述行一。\n\
             部门职能概述\t负责某项工作。\n\
             {tasks}\
             年度绩效目标\t完成年度任务。\n\
             {table}"
        )
    }

    const FUNDS: &str = "部门总体资金情况（元）\t\t\t当年金额\n\
                         \t收入构成\t财政拨款\t900\n\
                         \t\t其他资金\t100\n\
                         \t\t合计\t1000\n\
                         \t支出构成\t基本支出\t600\n\
                         \t\t项目支出\t400\n\
                         \t\t合计\t1000\n";

    const TASKS: &str = "年度主要任务\t任务名称\t主要内容\t预算金额（元）\n\
                         \t\t\t总额\t财政拨款\t其他资金\n\
                         \t甲任务\t做甲\t600\t500\t100\n\
                         \t乙任务\t做乙\t400\t400\t\n\
                         \t金额合计\t\t1000\t900\t100\n";

    #[test]
    fn a_department_form_reads_into_one_declaration() {
        let (f, diags) = read(&form(FUNDS, TASKS, TABLE));
        assert!(errors(&diags).is_empty(), "{diags:#?}");
        assert!(
            !diags.iter().any(|d| d.level == Level::Warning),
            "{diags:#?}"
        );
        let p = &f.projects[0];
        assert_eq!(p.name, jixiao_model::DEPARTMENT_TARGETS_NAME);
        assert_eq!((p.year, p.unit.as_str()), (2024, "某中心"));
        assert_eq!(p.department.as_deref(), Some("某中心"));
        assert_eq!(p.start.to_string(), "2024-01-01");
        assert_eq!(p.end.to_string(), "2024-12-31");
        assert_eq!(
            (p.funds.total, p.funds.fiscal, p.funds.other),
            (dec("1000"), dec("900"), dec("100"))
        );
        let dt = p.department_targets.as_ref().unwrap();
        // The row above the merged label belongs to it.
        assert_eq!(dt.functions, "职能概述行一。\n负责某项工作。");
        let s = dt.spending.unwrap();
        assert_eq!((s.basic, s.project), (dec("600"), dec("400")));
        assert_eq!(p.tasks.len(), 2);
        assert_eq!((p.tasks[1].no, p.tasks[1].title.as_str()), (2, "乙任务"));
        let t = p.tasks[1].funds.unwrap();
        assert_eq!(
            (t.total, t.fiscal, t.other),
            (dec("400"), dec("400"), dec("0"))
        );
        assert_eq!(p.annual_goal, "完成年度任务。");
        let core: Vec<bool> = p.indicators.iter().map(|i| i.core).collect();
        assert_eq!(core, [true, false]);
    }

    #[test]
    fn a_total_row_that_differs_from_the_tasks_is_a_warning_at_its_cell() {
        let tasks = TASKS.replace(
            "\t金额合计\t\t1000\t900\t100",
            "\t金额合计\t\t1100\t900\t100",
        );
        let (f, diags) = read(&form(FUNDS, &tasks, TABLE));
        assert!(errors(&diags).is_empty(), "{diags:#?}");
        let w: Vec<&Diagnostic> = diags.iter().filter(|d| d.level == Level::Warning).collect();
        assert_eq!(w.len(), 1, "{w:#?}");
        // Line 16 is the 金额合计 row; column 8 its 总额 cell.
        assert_eq!((w[0].line, w[0].column), (16, 8), "{w:#?}");
        assert!(w[0].zh.contains("相差 100.00 元"), "{}", w[0].zh);
        // Nothing changed: the tasks and the total as written.
        assert_eq!(f.projects[0].funds.total, dec("1000"));
    }

    #[test]
    fn sums_of_the_funds_block_are_checked_as_written() {
        let funds = FUNDS.replace("\t\t合计\t1000\n\t支出构成", "\t\t合计\t1001\n\t支出构成");
        let (f, diags) = read(&form(&funds, TASKS, TABLE));
        assert!(errors(&diags).is_empty(), "{diags:#?}");
        assert_eq!(f.projects[0].funds.total, dec("1001"));
        let w: Vec<(u32, u32)> = diags
            .iter()
            .filter(|d| d.level == Level::Warning)
            .map(|d| (d.line, d.column))
            .collect();
        // 收入 合计 ≠ its parts (line 6), and 支出 合计 ≠ 收入 合计 (line 9).
        assert_eq!(w, [(6, 6), (9, 6)], "{diags:#?}");
    }

    #[test]
    fn without_a_funds_block_the_total_row_gives_the_total() {
        let (f, diags) = read(&form("", TASKS, TABLE));
        assert!(errors(&diags).is_empty(), "{diags:#?}");
        let p = &f.projects[0];
        assert_eq!((p.funds.total, p.funds.fiscal), (dec("1000"), dec("900")));
        assert!(p.department_targets.as_ref().unwrap().spending.is_none());
        assert!(diags
            .iter()
            .any(|d| d.level == Level::Note && d.zh.contains("金额合计")));
    }

    #[test]
    fn amounts_in_wan_yuan_convert_exactly() {
        let funds = FUNDS
            .replace("（元）", "（单位：万元）")
            .replace("\t900\n", "\t900.1234\n");
        let tasks = TASKS.replace("（元）", "（万元）");
        let (f, diags) = read(&form(&funds, &tasks, TABLE));
        let p = &f.projects[0];
        assert_eq!(p.funds.fiscal, dec("9001234.00"), "{diags:#?}");
        assert_eq!(p.tasks[0].funds.unwrap().total, dec("6000000.00"));
        assert!(diags
            .iter()
            .any(|d| d.zh.contains("900.1234 万元 读作 9,001,234.00 元")));
    }

    #[test]
    fn a_core_cell_other_than_yes_or_no_is_an_error_at_it() {
        let table = TABLE.replace("≥12次\t是", "≥12次\t也许");
        let (f, diags) = read(&form(FUNDS, TASKS, &table));
        let e = errors(&diags);
        assert_eq!(e.len(), 1, "{diags:#?}");
        assert_eq!((e[0].line, e[0].column), (19, 22));
        assert!(e[0].zh.contains("是否核心指标"), "{}", e[0].zh);
        assert!(f.projects.is_empty());
    }

    #[test]
    fn a_form_cut_before_its_indicators_is_refused_where_it_ends() {
        let (f, diags) = read(&form(FUNDS, TASKS, ""));
        assert!(f.projects.is_empty());
        let e = errors(&diags);
        assert_eq!(e.len(), 1, "{diags:#?}");
        // The last line (17: 年度绩效目标 | 完成年度任务。) ends at column 15.
        assert_eq!((e[0].line, e[0].column), (17, 15), "{}", e[0].zh);
        assert!(e[0].zh.contains("缺少「年度绩效指标"), "{}", e[0].zh);
        assert!(e[0].zh.contains("表格被截断"), "{}", e[0].zh);
    }

    #[test]
    fn a_form_that_ran_together_says_so() {
        let text = "附件 2: 部门整体支出绩效目标申报表 部门(单位) 名称 某局 部门总体 资金情况 单位:万元 财政拨款 100 部门职能概述 负责某项工作。\n";
        let (_, diags) = read(text);
        let e = errors(&diags);
        assert_eq!(e.len(), 1, "{diags:#?}");
        assert!(e[0].zh.contains("连成一片"), "{}", e[0].zh);
        assert!(e[0].zh.contains("「部门职能概述」"), "{}", e[0].zh);
        assert_eq!(e[0].line, 1);
    }
}
