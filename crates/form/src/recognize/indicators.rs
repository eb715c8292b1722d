//! The indicator table: rows assigned to their 一级/二级 blocks (labels found by content, merged
//! label cells carried down, page-break debris dropped), each row's 三级 name and target read in
//! the header's column order. The rules are in the [`super`] module's documentation.

use jixiao_model::{split_task_refs, Level1, Level2};

use super::{join_wrapped, label_text, role_of, Draft, Located, Recognizer, DEBRIS};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Row};
use crate::template::Role;

/// An indicator row before its target is parsed.
#[derive(Debug, Clone)]
pub(super) struct IndRow {
    pub(super) line: u32,
    pub(super) name: Located,
    pub(super) target: Located,
    name_col: usize,
    target_col: usize,
    pub(super) level1: Level1,
    pub(super) level2: Level2,
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

pub(super) fn is_indicator_header(row: &Row) -> bool {
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

/// The cells of one indicator row, sorted: the 一级/二级 labels printed on it and the content
/// cells (三级 name, target) after them.
struct RowCells<'a> {
    /// The 一级 labels printed on the row.
    l1s: Vec<Level1>,
    /// The column of the last 一级 label.
    l1_col: u32,
    /// The 二级 label printed on the row.
    l2: Option<Level2>,
    /// The cells after the labels.
    content: Vec<(usize, &'a Cell)>,
}

/// Where the table reader stands: the block rows go to, and the rows whose block is not known
/// yet.
#[derive(Default)]
struct TableState {
    /// The current 二级 block.
    current: Option<Label>,
    /// The name column of the current block's rows.
    block_layout: Option<usize>,
    /// A detached run: unlabeled rows whose name column differs from the block's.
    pending: Vec<RowData>,
    /// The detached run ends a page.
    pending_break: bool,
    /// Rows before the first label.
    leading: Vec<RowData>,
    /// The rows before the first label end a page (the first label opens the next one).
    leading_break: bool,
    /// The last 一级 label printed.
    last_l1: Option<Level1>,
    /// A 一级 label alone on its row, until the next 二级 label.
    lone_level1: Option<Hint>,
    /// The rows assigned so far.
    out: Vec<IndRow>,
}

/// Assigns rows to a block.
fn assign(out: &mut Vec<IndRow>, rows: Vec<RowData>, (l1, l2): &Label) {
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
}

impl TableState {
    /// A blank row: a page break for the runs whose block is not known yet.
    fn page_break(&mut self) {
        if !self.pending.is_empty() {
            self.pending_break = true;
        }
        if !self.leading.is_empty() {
            self.leading_break = true;
        }
    }

    /// A label opens a block: a detached run before it goes to it when the run ends a page,
    /// otherwise to the block above.
    fn flush_pending(&mut self, lbl: &Label) {
        if !self.pending.is_empty() {
            let to = if self.pending_break {
                lbl.clone()
            } else {
                self.current.clone().unwrap_or(lbl.clone())
            };
            assign(&mut self.out, std::mem::take(&mut self.pending), &to);
        }
    }

    /// The label and the 一级 hint of a row, from its cells and the table so far.
    fn label_and_hint(&self, cells: &RowCells, line: u32) -> (Option<Label>, Option<Hint>) {
        let label: Option<Label> = cells.l2.clone().map(|l2| {
            let l1 = l2
                .level1()
                .or(cells.l1s.last().copied())
                .or(self.last_l1)
                .unwrap_or(Level1::Output);
            (l1, l2)
        });
        // A 一级 without a 二级 (the 二级 cell blank): the row must fall in a block of that
        // 一级, checked once its block is known.
        let level1_hint = match (&label, cells.l1s.last()) {
            (None, Some(l)) => Some(Hint {
                level1: *l,
                line,
                column: cells.l1_col,
            }),
            (None, None) => self.lone_level1,
            (Some(_), _) => None,
        };
        (label, level1_hint)
    }

    /// A row of labels only: a 二级 label opens its block; a 一级 alone binds the unlabeled
    /// rows after it.
    fn label_row(
        &mut self,
        r: &mut Recognizer,
        label: Option<Label>,
        level1_hint: Option<Hint>,
        line: u32,
    ) {
        if label.is_none() {
            // A 一级 alone on its row: the unlabeled rows after it fall under it.
            if let Some(h) = level1_hint {
                self.lone_level1 = Some(h);
            }
        }
        if let Some(lbl) = label {
            self.lone_level1 = None;
            // A label alone on its row.
            self.flush_pending(&lbl);
            r.take_leading(
                &mut self.out,
                &mut self.leading,
                self.leading_break,
                &lbl,
                line,
            );
            self.current = Some(lbl);
            self.block_layout = None;
            self.pending_break = false;
        }
    }

    /// The previous row's name and target columns: a one-cell row in one of them continues it.
    fn previous_columns(&self) -> Option<(usize, usize)> {
        self.pending
            .last()
            .map(|r| (r.name_col, r.target_col))
            .or_else(|| self.out.last().map(|r| (r.name_col, r.target_col)))
    }

    /// Joins a wrapped cell's text onto the previous row's name (`to_name`) or target.
    fn continue_previous(&mut self, to_name: bool, text: &str) {
        let (name, target) = match self.pending.last_mut() {
            Some(r) => (&mut r.name.text, &mut r.target.text),
            None => {
                let r = self.out.last_mut().expect("prev came from out");
                (&mut r.name.text, &mut r.target.text)
            }
        };
        join_wrapped(if to_name { name } else { target }, text);
    }

    /// Places a row with a name and a target: in its own block when labelled, else in the
    /// block above, a detached run, or the rows before the first label.
    fn place(&mut self, r: &mut Recognizer, data: RowData, label: Option<Label>) {
        match (label, self.current.clone()) {
            (Some(lbl), _) => {
                self.lone_level1 = None;
                self.flush_pending(&lbl);
                r.take_leading(
                    &mut self.out,
                    &mut self.leading,
                    self.leading_break,
                    &lbl,
                    data.line,
                );
                self.block_layout = Some(data.name_col);
                assign(&mut self.out, vec![data], &lbl);
                self.current = Some(lbl);
                self.pending_break = false;
            }
            (None, None) => {
                // A page that opens without a label: the run before it does not end a page
                // whose next page opens with the first label.
                self.leading_break = false;
                self.leading.push(data)
            }
            (None, Some(cur)) => {
                if !self.pending.is_empty() {
                    if self.pending_break {
                        // The page after the detached run opens without a label: it all
                        // continues the block above.
                        assign(&mut self.out, std::mem::take(&mut self.pending), &cur);
                        self.block_layout = Some(data.name_col);
                        assign(&mut self.out, vec![data], &cur);
                        self.pending_break = false;
                    } else {
                        self.pending.push(data);
                    }
                } else if self.block_layout.is_some_and(|l| l != data.name_col) {
                    self.pending.push(data);
                    self.pending_break = false;
                } else {
                    self.block_layout = Some(data.name_col);
                    assign(&mut self.out, vec![data], &cur);
                }
            }
        }
    }
}

/// Splits a row's cells into the 一级/二级 labels printed first and the content after them;
/// cells of the extra columns are left out and their positions noted in `dropped`.
fn row_cells<'a>(
    line: u32,
    filled: &[(usize, &'a Cell)],
    extra: &[(usize, String)],
    dropped: &mut Vec<(u32, u32, usize)>,
) -> RowCells<'a> {
    let mut cells = RowCells {
        l1s: Vec::new(),
        l1_col: 0,
        l2: None,
        content: Vec::new(),
    };
    for (idx, c) in filled {
        if extra.iter().any(|(x, _)| x == idx) {
            dropped.push((line, c.column, *idx));
            continue;
        }
        let norm = label_text(&c.text);
        let norm = match crate::template::vocabulary().level_alias(&norm) {
            Some(a) => a.to_string(),
            None => norm,
        };
        if DEBRIS.contains(&norm.as_str()) && cells.content.is_empty() {
            continue;
        }
        // After a 二级 label every cell is content: an indicator may be named as a category is
        // (`服务对象满意度` under 服务对象满意度指标), never read as a second 二级.
        if cells.content.is_empty() && cells.l2.is_none() {
            // 满意度指标 names a 一级 and a 二级: after a 一级 label it is the 二级.
            let also_level2 = !cells.l1s.is_empty() && Level2::from_label(&norm).is_some();
            if let Some(l) = Level1::from_label(&norm).filter(|_| !also_level2) {
                cells.l1s.push(l);
                cells.l1_col = c.column;
                continue;
            }
            if let Some(l) = Level2::from_label(&norm) {
                cells.l2 = Some(l);
                continue;
            }
        }
        cells.content.push((*idx, *c));
    }
    cells
}

/// 成本指标 without a 二级 beside it: a 二级 under 产出 (old layout) or a 一级 of its own.
fn resolve_cost_label(cells: &mut RowCells, current: Option<&Label>) {
    if cells.l2.is_none() && cells.l1s.contains(&Level1::Cost) {
        let under_output = cells.l1s.contains(&Level1::Output)
            || (cells.l1s.len() == 1 && current.is_some_and(|(l, _)| *l == Level1::Output));
        if under_output {
            cells.l1s.retain(|l| *l != Level1::Cost);
            cells.l2 = Some(Level2::OutputCost);
        } else {
            cells.l2 = Some(Level2::Other("成本指标".into()));
        }
    }
}

/// What an indicator table's header says about its columns.
pub(super) struct TableHeader<'a> {
    /// The columns the model does not hold (their cells noted, not read).
    pub(super) extra: &'a [(usize, String)],
    /// The order of the 三级指标 and 指标值 columns.
    pub(super) order: Option<HeaderOrder>,
    /// A target split over columns.
    pub(super) split: Option<&'a SplitTarget>,
    /// The 中期 group beside the 年度 one.
    pub(super) midterm: Option<&'a MidTerm>,
}

impl Recognizer {
    /// Reads the indicator table from row `start`; returns the index of the first row after it.
    pub(super) fn read_indicators(
        &mut self,
        rows: &[Row],
        start: usize,
        d: &mut Draft,
        header: TableHeader<'_>,
    ) -> usize {
        let TableHeader {
            extra,
            order,
            split,
            midterm,
        } = header;
        // Cells of the extra columns (绩效标准, 中期指标值): not held by the model; said once.
        let mut dropped: Vec<(u32, u32, usize)> = Vec::new();
        let mut t = TableState::default();
        // Targets joined from split columns: (line, column, cells as printed, target read).
        let mut joined: Vec<(u32, u32, String, String)> = Vec::new();
        let mut i = start;
        while i < rows.len() {
            let row = &rows[i];
            if row.is_blank() {
                t.page_break();
                i += 1;
                continue;
            }
            let filled: Vec<(usize, &Cell)> = row.filled().collect();
            if is_table_end(&filled) {
                break;
            }
            if is_indicator_header(row) {
                i += 1; // a header repeated on a new page
                continue;
            }
            match split {
                Some(sp) => {
                    self.read_split_row(row, &filled, sp, &mut t, &mut dropped, &mut joined)
                }
                None => self.read_indicator_row(row, &filled, extra, order, &mut t, &mut dropped),
            }
            i += 1;
        }
        if let Some(cur) = &t.current {
            assign(&mut t.out, std::mem::take(&mut t.pending), cur);
        }
        self.report_unclassified(&t.leading);
        self.check_level1_hints(&t.out);
        d.indicators.extend(t.out);
        // The 中期 group's cells: said in a note of their own.
        let (mid, dropped): (Vec<_>, Vec<_>) = dropped.into_iter().partition(|(_, _, idx)| {
            midterm.is_some_and(|m| m.columns.iter().any(|(c, _)| c == idx))
        });
        if let Some(m) = midterm {
            self.note_midterm(m, &mid);
        }
        let extra_only: Vec<(usize, String)> = extra
            .iter()
            .filter(|(x, _)| midterm.is_none_or(|m| !m.columns.iter().any(|(c, _)| c == x)))
            .cloned()
            .collect();
        match split {
            Some(sp) => {
                self.note_joined_targets(sp, &joined);
                self.note_dropped_columns(&dropped, &sp.extra);
            }
            None => self.note_dropped_columns(&dropped, &extra_only),
        }
        i
    }

    /// The note for the 中期 group's cells: which columns, the year's target column read
    /// instead, where and how many.
    fn note_midterm(&mut self, m: &MidTerm, cells: &[(u32, u32, usize)]) {
        let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
            return;
        };
        let names: Vec<&str> = m.columns.iter().map(|(_, l)| l.as_str()).collect();
        self.diags.push(Diagnostic::note(
            first.0,
            first.1,
            format!(
                "指标表中期与年度指标并列（表头第 {} 行）：年度指标值取自「{}」列；中期指标（「{}」列，第 {}–{} 行，{} 个单元格）申报表不保存，未读入",
                m.line,
                m.annual,
                names.join("」「"),
                first.0,
                last.0,
                cells.len()
            ),
            format!(
                "the indicator table gives 中期 and 年度 indicators side by side (header on line {}): the year's targets are read from the {} column; the 中期 indicators (columns {}, lines {}–{}, {} cells) are not held by a declaration and were not read",
                m.line,
                m.annual,
                names.join(", "),
                first.0,
                last.0,
                cells.len()
            ),
        ));
    }

    /// One non-blank row of the indicator table.
    fn read_indicator_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        extra: &[(usize, String)],
        order: Option<HeaderOrder>,
        t: &mut TableState,
        dropped: &mut Vec<(u32, u32, usize)>,
    ) {
        let mut cells = row_cells(row.line, filled, extra, dropped);
        resolve_cost_label(&mut cells, t.current.as_ref());
        if let Some(l) = cells.l1s.last() {
            t.last_l1 = Some(*l);
        }
        self.unknown_level2(row, &mut cells);
        self.check_level1_beside_level2(row, &cells);
        let (label, level1_hint) = t.label_and_hint(&cells, row.line);
        match cells.content.len() {
            0 => t.label_row(self, label, level1_hint, row.line),
            1 => self.one_cell_row(row, &cells, label.is_none(), t),
            2 => {
                if let Some(data) = self.name_and_target(row, &cells, order, level1_hint) {
                    t.place(self, data, label);
                }
            }
            _ => {
                let extra = cells.content[2].1;
                self.diags.push(Diagnostic::error(
                    row.line,
                    extra.column,
                    format!("指标行多出单元格「{}」：每行应为 三级指标 与 年度指标值", extra.text.trim()),
                    format!("extra cell {:?} in an indicator row: a row holds a 三级 name and its target", extra.text.trim()),
                ));
            }
        }
    }

    /// An unknown 二级 label: three cells, the first ending in 指标.
    fn unknown_level2(&mut self, row: &Row, cells: &mut RowCells) {
        if cells.l2.is_none()
            && cells.content.len() == 3
            && label_text(&cells.content[0].1.text).ends_with("指标")
        {
            let norm = label_text(&cells.content[0].1.text);
            self.diags.push(Diagnostic::warning(
                row.line,
                cells.content[0].1.column,
                format!("未知的二级指标「{norm}」，按原文保留"),
                format!("unknown 二级 category {norm:?}, kept as written"),
            ));
            cells.l2 = Some(Level2::Other(norm));
            cells.content.remove(0);
        }
    }

    /// A 一级 printed beside a 二级 of another 一级: which one is meant cannot be told.
    fn check_level1_beside_level2(&mut self, row: &Row, cells: &RowCells) {
        if let (Some(printed), Some(implied)) =
            (cells.l1s.last(), cells.l2.as_ref().and_then(|l| l.level1()))
        {
            if *printed != implied {
                let l2 = cells.l2.as_ref().map_or("", |l| l.zh());
                self.diags.push(Diagnostic::error(
                    row.line,
                    cells.l1_col,
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
    }

    /// A row with one content cell: the wrapped continuation of the row above, or an indicator
    /// without its target.
    fn one_cell_row(&mut self, row: &Row, cells: &RowCells, unlabeled: bool, t: &mut TableState) {
        let (idx, c) = cells.content[0];
        let prev = t.previous_columns();
        let continues = unlabeled
            && cells.l1s.is_empty()
            && prev.is_some_and(|(n, t)| idx == n || idx == t)
            && split_task_refs(&c.text).is_ok_and(|r| r.tasks.is_empty());
        if continues {
            let (n, _) = prev.unwrap_or_default();
            t.continue_previous(idx == n, c.text.trim());
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
    }

    /// The two cells of a row in the header's order (三级指标 then 指标值 unless the header swaps
    /// them); `None`, with an error, when the header contradicts the content.
    fn name_and_target(
        &mut self,
        row: &Row,
        cells: &RowCells,
        order: Option<HeaderOrder>,
        level1_hint: Option<Hint>,
    ) -> Option<RowData> {
        let content = &cells.content;
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
            return None;
        }
        Some(RowData {
            line: row.line,
            name: Located::of(row, name_cell.1),
            target: Located::of(row, target_cell.1),
            name_col: name_cell.0,
            target_col: target_cell.0,
            level1_hint,
        })
    }

    /// Rows before the first label that no label took: their 二级 cannot be told.
    fn report_unclassified(&mut self, leading: &[RowData]) {
        if let Some(first) = leading.first() {
            self.diags.push(Diagnostic::error(
                first.line,
                first.name.column,
                "指标表中没有二级指标（数量指标、质量指标 …），无法归类",
                "the indicator table names no 二级 category (数量指标, 质量指标 …): cannot classify",
            ));
        }
    }

    /// A row under a 一级 printed without a 二级 must have landed in a block of that 一级.
    fn check_level1_hints(&mut self, out: &[IndRow]) {
        for r in out {
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
    }

    /// One note for the cells of the extra columns that were not read.
    fn note_dropped_columns(&mut self, dropped: &[(u32, u32, usize)], extra: &[(usize, String)]) {
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
}

/// A target split over columns (四川: `指标性质 | 指标值 | 度量单位`, `≥ | 95 | %`): where the
/// header puts them, by cell index. A row's cells are placed by their distance from its 三级
/// name cell (a text export shifts a row whose label cells are merged, but keeps the cells to
/// the right of the name in place).
#[derive(Debug, Clone)]
pub(super) struct SplitTarget {
    line: u32,
    level3: usize,
    target: (usize, u32, String),
    nature: Option<(usize, u32, String)>,
    unit: Option<(usize, u32, String)>,
    /// Columns the model does not hold (权重, 指标方向性, 完成值 …): read, said, not kept.
    pub(super) extra: Vec<(usize, String)>,
}

/// The split target of an indicator table's header: `Some` when the header has a 指标性质 or a
/// 度量单位/计量单位 column, and the 三级指标 column comes before every target column.
pub(super) fn split_target(header: &Row) -> Option<SplitTarget> {
    let (mut level3, mut target, mut nature, mut unit) = (None, None, None, None);
    let mut extra = Vec::new();
    for (idx, c) in header.filled() {
        let at = (idx, c.column, c.text.trim().to_string());
        match role_of(&label_text(&c.text)) {
            Some(Role::Level3Header) if level3.is_none() => level3 = Some(idx),
            Some(Role::TargetHeader) if target.is_none() => target = Some(at),
            Some(Role::NatureHeader) if nature.is_none() => nature = Some(at),
            Some(Role::UnitHeader) if unit.is_none() => unit = Some(at),
            Some(Role::Level1Header | Role::Level3Header | Role::TargetHeader) => {}
            Some(Role::ExtraColumn) => extra.push((idx, at.2)),
            // Any other column right of the 三级 name (完成值, 得分 …) is not held either.
            _ if level3.is_some_and(|l| idx > l)
                && Level2::from_label(&label_text(&c.text)).is_none() =>
            {
                extra.push((idx, at.2))
            }
            _ => {}
        }
    }
    let level3 = level3?;
    let target = target?;
    if nature.is_none() && unit.is_none() {
        return None;
    }
    let after = |c: &Option<(usize, u32, String)>| c.as_ref().is_none_or(|(i, _, _)| *i > level3);
    if target.0 <= level3 || !after(&nature) || !after(&unit) {
        return None;
    }
    Some(SplitTarget {
        line: header.line,
        level3,
        target,
        nature,
        unit,
        extra,
    })
}

/// The comparison a 指标性质 cell holds: `Some("")` for 定性 (a qualitative target: the 指标值 as
/// written), `None` when the cell is not a 指标性质 at all.
pub(crate) fn nature_op(text: &str) -> Option<&'static str> {
    let t: String = text
        .chars()
        .map(jixiao_model::fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(match t.as_str() {
        "" | "定性" | "定量" => "",
        ">=" | "≥" | "≧" | "大于等于" => "≥",
        "<=" | "≤" | "≦" | "小于等于" => "≤",
        "=" | "==" | "等于" => "=",
        ">" | "大于" => ">",
        "<" | "小于" => "<",
        _ => return None,
    })
}

impl Recognizer {
    /// One row of a table whose target is split over columns: labels, then the 三级 name, the
    /// cells at the header's columns joined into the target as printed (`≥` `95` `%` → `≥95%`).
    /// A cell that contradicts its column's header is an error at the cell.
    fn read_split_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        sp: &SplitTarget,
        t: &mut TableState,
        dropped: &mut Vec<(u32, u32, usize)>,
        joined: &mut Vec<(u32, u32, String, String)>,
    ) {
        let mut cells = row_cells(row.line, filled, &[], dropped);
        resolve_cost_label(&mut cells, t.current.as_ref());
        if let Some(l) = cells.l1s.last() {
            t.last_l1 = Some(*l);
        }
        self.check_level1_beside_level2(row, &cells);
        let (label, level1_hint) = t.label_and_hint(&cells, row.line);
        let Some(&(anchor, name_cell)) = cells.content.first() else {
            t.label_row(self, label, level1_hint, row.line);
            return;
        };
        // The header's column `col` in this row.
        let place = |col: usize| (col + anchor).checked_sub(sp.level3);
        let cell_at = |col: usize| place(col).and_then(|i| row.cells.get(i));
        let text_at =
            |col: usize| cell_at(col).map_or(String::new(), |c| c.text.trim().to_string());
        // Every content cell must stand in a column the header names.
        let known = |i: usize| {
            [
                Some(sp.level3),
                Some(sp.target.0),
                sp.nature.as_ref().map(|n| n.0),
                sp.unit.as_ref().map(|u| u.0),
            ]
            .into_iter()
            .flatten()
            .chain(sp.extra.iter().map(|(x, _)| *x))
            .any(|col| place(col) == Some(i))
        };
        if let Some((_, c)) = cells.content.iter().find(|(i, _)| !known(*i)) {
            self.diags.push(Diagnostic::error(
                row.line,
                c.column,
                format!(
                    "指标行多出单元格「{}」：表头（第 {} 行）没有这一列",
                    c.text.trim(),
                    sp.line
                ),
                format!(
                    "extra cell {:?} in an indicator row: the header (line {}) has no such column",
                    c.text.trim(),
                    sp.line
                ),
            ));
            return;
        }
        for (x, _) in &sp.extra {
            if let Some(c) = cell_at(*x).filter(|c| !jixiao_model::is_blank(&c.text)) {
                dropped.push((row.line, c.column, *x));
            }
        }
        if looks_like_value(&name_cell.text) {
            self.diags.push(Diagnostic::error(
                row.line,
                name_cell.column,
                format!(
                    "「三级指标」列在此为「{}」，是指标值而不是指标名称：表头（第 {} 行）与内容不符，未按猜测读取，请核对列的顺序",
                    name_cell.text.trim(),
                    sp.line
                ),
                format!(
                    "the 三级指标 column holds {:?} here, a target value and not an indicator name: the header (line {}) contradicts the content; nothing is guessed, check the column order",
                    name_cell.text.trim(),
                    sp.line
                ),
            ));
            return;
        }
        let value = text_at(sp.target.0);
        let nature = sp.nature.as_ref().map(|n| (text_at(n.0), n));
        let unit = sp.unit.as_ref().map(|u| (text_at(u.0), u));
        let Some(value_cell) = cell_at(sp.target.0).filter(|_| !value.is_empty()) else {
            self.diags.push(Diagnostic::error(
                row.line,
                name_cell.column,
                format!(
                    "指标「{}」缺少指标值（表格可能在此被截断）",
                    name_cell.text.trim()
                ),
                format!(
                    "indicator {:?} has no target (the table may be cut off here)",
                    name_cell.text.trim()
                ),
            ));
            return;
        };
        let mut op = "";
        if let Some((text, (col, _, header))) = &nature {
            match nature_op(text) {
                Some(o) => op = o,
                None => {
                    let column = cell_at(*col).map_or(name_cell.column, |c| c.column);
                    self.diags.push(Diagnostic::error(
                        row.line,
                        column,
                        format!(
                            "「{header}」列（表头第 {} 行）在此为「{text}」，不是 ≥、≤、= 或 定性：表头与内容不符，未按猜测读取",
                            sp.line
                        ),
                        format!(
                            "the {header} column (header on line {}) holds {text:?} here, not ≥, ≤, = or 定性: the header contradicts the content; nothing is guessed",
                            sp.line
                        ),
                    ));
                    return;
                }
            }
        }
        let numeric = looks_like_value(&value);
        if !op.is_empty() && !numeric {
            let (header, column) = (&sp.target.2, value_cell.column);
            self.diags.push(Diagnostic::error(
                row.line,
                column,
                format!(
                    "「{header}」列在此为「{value}」，而指标性质为「{op}」，应为数值：表头（第 {} 行）与内容不符，未按猜测读取",
                    sp.line
                ),
                format!(
                    "the {header} column holds {value:?} here, where the 指标性质 {op} asks for a number: the header (line {}) contradicts the content; nothing is guessed",
                    sp.line
                ),
            ));
            return;
        }
        if let Some((text, (col, _, header))) = &unit {
            if looks_like_value(text) {
                let column = cell_at(*col).map_or(name_cell.column, |c| c.column);
                self.diags.push(Diagnostic::error(
                    row.line,
                    column,
                    format!(
                        "「{header}」列（表头第 {} 行）在此为「{text}」，是数值而不是单位：表头与内容不符，未按猜测读取",
                        sp.line
                    ),
                    format!(
                        "the {header} column (header on line {}) holds {text:?} here, a number and not a unit: the header contradicts the content; nothing is guessed",
                        sp.line
                    ),
                ));
                return;
            }
        }
        let unit_text = unit.as_ref().map_or("", |(u, _)| u.as_str());
        let read = format!("{op}{value}{unit_text}");
        if read != value {
            let printed: Vec<String> = [
                nature.as_ref().map(|(n, _)| n.clone()),
                Some(value.clone()),
                unit.as_ref().map(|(u, _)| u.clone()),
            ]
            .into_iter()
            .flatten()
            .map(|x| format!("「{x}」"))
            .collect();
            joined.push((row.line, value_cell.column, printed.join(""), read.clone()));
        }
        let data = RowData {
            line: row.line,
            name: Located::of(row, name_cell),
            target: Located {
                text: read,
                line: row.line,
                column: value_cell.column,
            },
            name_col: anchor,
            target_col: place(sp.target.0).unwrap_or(anchor),
            level1_hint,
        };
        t.place(self, data, label);
    }

    /// One note for the targets joined from split columns: how many, and the first as printed
    /// and as read.
    fn note_joined_targets(&mut self, sp: &SplitTarget, joined: &[(u32, u32, String, String)]) {
        let Some((line, column, printed, read)) = joined.first() else {
            return;
        };
        let headers: Vec<&str> = [sp.nature.as_ref(), Some(&sp.target), sp.unit.as_ref()]
            .into_iter()
            .flatten()
            .map(|(_, _, h)| h.as_str())
            .collect();
        self.diags.push(Diagnostic::note(
            *line,
            *column,
            format!(
                "指标值分列填写（「{}」）：各行按原样合读为一个指标值，共 {} 行，如第 {line} 行{printed}读作「{read}」",
                headers.join("」「"),
                joined.len()
            ),
            format!(
                "targets are split over the columns {}: each row's cells are joined as printed ({} rows), e.g. line {line}: {printed} is read as {read:?}",
                headers.join(", "),
                joined.len()
            ),
        ));
    }
}

/// A unit's 汇总表 title or the next declaration's title ends the table.
fn is_table_end(filled: &[(usize, &Cell)]) -> bool {
    super::is_summary_title(filled)
        || filled
            .iter()
            .any(|(_, c)| super::is_declaration_title(&label_text(&c.text)))
}

/// Where an indicator table's header puts the 三级指标 and the 指标值 columns: the order in
/// which a row's two content cells are read (cells are matched by order, not by index, since a
/// text export shifts a row's cells when its label cells are merged).
#[derive(Debug, Clone, Copy)]
pub(super) struct HeaderOrder {
    /// The 指标值 column comes before the 三级指标 column.
    pub(super) value_first: bool,
    line: u32,
    name_column: u32,
    pub(super) target_column: u32,
}

pub(super) fn header_order(header: &Row) -> Option<HeaderOrder> {
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

/// The 中期 group of a table that gives 中期 and 年度 indicators side by side, each with its
/// own 二级/三级/指标值 columns (东莞's 批复表): the columns of the group whose target column is
/// a [`Role::MidTermTarget`] — it and the 二级/三级 columns right before it — and the year's
/// target column read instead.
#[derive(Debug, Clone)]
pub(super) struct MidTerm {
    line: u32,
    /// The group's columns: cell index and label as printed.
    pub(super) columns: Vec<(usize, String)>,
    /// The year's target column's label.
    annual: String,
}

pub(super) fn midterm_group(header: &Row) -> Option<MidTerm> {
    let cells: Vec<(usize, &Cell)> = header.filled().collect();
    let at = cells
        .iter()
        .position(|(_, c)| role_of(&label_text(&c.text)) == Some(Role::MidTermTarget))?;
    let mut start = at;
    while start > 0 {
        let norm = label_text(&cells[start - 1].1.text);
        if role_of(&norm) == Some(Role::Level3Header) || norm.starts_with("二级指标") {
            start -= 1;
        } else {
            break;
        }
    }
    // The year's own group: a 三级 column and a target column outside this one.
    let outside = |r: Role| {
        cells
            .iter()
            .enumerate()
            .filter(|(k, _)| *k < start || *k > at)
            .find(|(_, (_, c))| role_of(&label_text(&c.text)) == Some(r))
            .map(|(_, (_, c))| c.text.trim().to_string())
    };
    let annual = outside(Role::TargetHeader)?;
    outside(Role::Level3Header)?;
    Some(MidTerm {
        line: header.line,
        columns: cells[start..=at]
            .iter()
            .map(|(i, c)| (*i, c.text.trim().to_string()))
            .collect(),
        annual,
    })
}

/// The columns of an indicator table's header that the declaration model does not hold
/// (绩效标准, 中期指标值): their cell indices and labels as printed.
pub(super) fn extra_columns(header: &Row, d: &mut Draft) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (idx, c) in header.filled() {
        let norm = label_text(&c.text);
        match role_of(&norm) {
            Some(Role::ExtraColumn) => {
                d.note_family(&norm);
                out.push((idx, c.text.trim().to_string()));
            }
            Some(
                Role::TargetHeader
                | Role::Level1Header
                | Role::Level3Header
                | Role::NatureHeader
                | Role::UnitHeader
                | Role::MidTermTarget,
            ) => d.note_family(&norm),
            _ => {}
        }
    }
    out
}
