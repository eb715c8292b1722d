//! A web page's table written as text — the shapes a text store or a copy from a browser gives
//! (`tests/data/wild/`): read back into the one [`Grid`].
//!
//! - **Rows joined by ` | `** ([`Shape::Rows`]): a table row a line, each cell written `text |`
//!   or `|` when blank, the cells separated by a space (`项目名称 | 某项目 | ||||`). The blank
//!   cells at a row's end pad it to the widest row and are dropped; a line that ends in a cell
//!   (`项目 名称 |`, no blank after it) or holds no separator before a line opening with `| `
//!   goes on on the next line (joined, with a note). A last line without a row end is the text
//!   cut inside a row: refused there.
//! - **One cell a line ending in ` |`** ([`Shape::PipedCells`]): the same tokens one a line. When
//!   lines of pipes alone (`|||`) mark the rows' ends, every row is a `|` line and the same number
//!   of cell slots (blank slots written `|`), and the rows are read from that count, checked on
//!   every row; a chunk that does not open with its `|` line is refused at its line.
//!   Without such lines the rows are recovered from the form's structure (below).
//! - **One cell a line, an empty line between cells, blank cells as a line of spaces**
//!   ([`Shape::SpacedCells`]): consecutive non-empty lines are one wrapped cell; the rows are
//!   recovered from the form's structure.
//!
//! **Rows from the structure** (no row marks survive): a field label and the cell after it are
//! a row (a label broken over two cells, `主管部门` / `及编码`, joined when the two make a known
//! label, with a note); a run of goal headings is a header row and the as many non-blank cells
//! after it its values; a run of known column labels is a table's header row, and each row
//! under it opens with its row label — a 一级 label (the header's width of cells), a 二级 label
//! (one fewer: the 一级 cell is merged), a funds row label (年度资金总额, 其中：财政资金 …: up to
//! the next one), 合计 / 总分 (its numbers). A cell where a row should open and does not is
//! refused at its line: the rows cannot be told without guessing.
//!
//! **Columns under a header** (every shape): a row with fewer cells than its table's header (the
//! merged cells of a row are left out of the text) is placed by its row label — a 一级 label
//! under 一级指标, a 二级 label under 二级指标, a funds row label under the column before the
//! first amount — or else right-aligned (the merged cells are on the left), each with a note.

use jixiao_model::{normalize_label, Level1, Level2};

use super::{is_heading, is_title, norm, role};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use crate::self_eval;
use crate::template::{vocabulary, Role};

/// The shape of a web page's table written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One row a line, cells joined by ` | `.
    Rows,
    /// One cell a line, each ending in ` |`.
    PipedCells,
    /// One cell a line, an empty line between cells, a blank cell a line of spaces.
    SpacedCells,
}

/// What showed the shape, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The shape.
    pub shape: Shape,
    /// The first line that shows it.
    pub line: u32,
    /// How many lines show it.
    pub count: usize,
}

const MAX_LINES: usize = 20_000;

fn is_pipes(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c == '|')
}

/// Tells the shape by content; `None` for text of none of them (a tab means a text export).
pub fn detect(text: &str) -> Option<Seen> {
    if text.contains('\t') {
        return None;
    }
    let lines: Vec<&str> = text.lines().take(MAX_LINES).collect();
    let first = |f: &dyn Fn(&str) -> bool| -> (u32, usize) {
        let hits: Vec<usize> = (0..lines.len()).filter(|i| f(lines[*i])).collect();
        (hits.first().map_or(1, |i| *i as u32 + 1), hits.len())
    };
    let (line, rows) = first(&|l: &str| l.contains(" | "));
    if rows >= 3 {
        return Some(Seen {
            shape: Shape::Rows,
            line,
            count: rows,
        });
    }
    let (line, piped) = first(&|l: &str| {
        let t = l.trim_end();
        t.ends_with(" |") || is_pipes(t)
    });
    if piped >= 3 {
        return Some(Seen {
            shape: Shape::PipedCells,
            line,
            count: piped,
        });
    }
    let (line, spaces) = first(&|l: &str| !l.is_empty() && l.trim().is_empty());
    let empty = lines.iter().filter(|l| l.is_empty()).count();
    let labels_alone = lines
        .iter()
        .filter(|l| vocabulary().field(&norm(l)).is_some())
        .count();
    if spaces >= 3 && labels_alone >= 3 && empty * 3 >= lines.len() {
        return Some(Seen {
            shape: Shape::SpacedCells,
            line,
            count: spaces,
        });
    }
    None
}

/// The warning that the text was read as a web page's table: what was done and to check it.
pub fn reading_note(seen: &Seen) -> Diagnostic {
    let (zh, en) = match seen.shape {
        Shape::Rows => (
            "网页表格转成的文本（每行一行表格，单元格以「 | 」分隔）：已按「 | 」切分单元格，行尾的空单元格（补齐列数）已去掉，少于表头列数的行按其标签或右对齐放到表头各列下（见以下提示），请与原表核对",
            "text a web page's table became (a table row a line, cells joined by \" | \"): cells were split at \" | \", the blank cells padding a row's end dropped, and rows with fewer cells than their header placed under its columns by their labels or right-aligned (noted below); check them against the original",
        ),
        Shape::PipedCells => (
            "网页表格转成的文本（每个单元格一行，以「 |」结尾）：已按行标记或表格的结构（已知的标签、表头、一级/二级指标）把单元格组成行（见以下提示），请与原表核对",
            "text a web page's table became (one cell a line, ending in \" |\"): cells were grouped into rows by the row marks or by the form's structure (known labels, headers, 一级/二级 labels; noted below); check them against the original",
        ),
        Shape::SpacedCells => (
            "网页表格转成的文本（每个单元格一行、之间空一行，空单元格为一行空格）：已按表格的结构（已知的标签、表头、一级/二级指标）把单元格组成行，空单元格保留（见以下提示），请与原表核对",
            "text a web page's table became (one cell a line with an empty line between, a blank cell a line of spaces): cells were grouped into rows by the form's structure (known labels, headers, 一级/二级 labels), blank cells kept (noted below); check them against the original",
        ),
    };
    Diagnostic::warning(seen.line, 1, zh, en)
}

/// Reads the text into a grid, with notes on what was joined and placed; an error where the
/// rows cannot be told, or where the text ends inside a row (cut).
pub fn read(text: &str, seen: &Seen) -> Result<(Grid, Vec<Diagnostic>), Diagnostic> {
    let read = read_keeping_cut(text, seen)?;
    match read.cut {
        Some(cut) => Err(cut),
        None => Ok((read.grid, read.notes)),
    }
}

/// What [`read_keeping_cut`] gives: the grid, the notes, and — for text cut inside its last
/// row — the error that says so (the cut row is not in the grid).
#[derive(Debug, Clone)]
pub struct Read {
    /// The rows read, the cut one left out.
    pub grid: Grid,
    /// What was joined and placed.
    pub notes: Vec<Diagnostic>,
    /// The text ends inside a table row (rows joined by ` | `): the error at that row. A
    /// caller may read the rows before it when they hold whole forms (one table of many
    /// projects, `recognize::listing`), and must refuse the file otherwise.
    pub cut: Option<Diagnostic>,
}

/// [`read`], keeping the rows before a cut last row (see [`Read::cut`]).
pub fn read_keeping_cut(text: &str, seen: &Seen) -> Result<Read, Diagnostic> {
    let mut notes = Vec::new();
    let (mut grid, cut) = match seen.shape {
        Shape::Rows => read_rows(text, &mut notes)?,
        Shape::PipedCells => (read_piped_cells(text, &mut notes)?, None),
        Shape::SpacedCells => {
            let cells = spaced_cells(text);
            (by_structure(&cells, &mut notes)?, None)
        }
    };
    align(&mut grid, &mut notes);
    Ok(Read { grid, notes, cut })
}

// ---- Rows joined by ` | ` ----

/// The cells of one row's text: `a | b | ||` → `a`, `b` (the blank cells at the end dropped);
/// the text after the last `|`, if any, is a cell too. Columns number the cells (1, 2, …).
fn split_row(text: &str) -> Vec<Cell> {
    let parts: Vec<&str> = text.split('|').collect();
    let n = parts.len();
    let mut cells: Vec<Cell> = parts
        .iter()
        .enumerate()
        .filter(|(k, p)| k + 1 < n || !p.trim().is_empty())
        .map(|(_, p)| Cell {
            text: p.trim().to_string(),
            column: 1,
        })
        .collect();
    while cells.last().is_some_and(|c| c.text.is_empty()) {
        cells.pop();
    }
    number_columns(&mut cells);
    cells
}

/// The rows of the text and, when the text ends inside its last row, the error that says so
/// (that row is left out).
fn read_rows(
    text: &str,
    notes: &mut Vec<Diagnostic>,
) -> Result<(Grid, Option<Diagnostic>), Diagnostic> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let pipes = |t: &str| t.matches('|').count();
    // Every cell ends in a `|` and a row is padded to the table's width with blank ones, so a
    // row holds as many `|` as the table has slots: the most common count. A line with fewer
    // goes on on the next line (a line break inside a cell).
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for l in &lines {
        if pipes(l) > 0 {
            *counts.entry(pipes(l)).or_default() += 1;
        }
    }
    let width = counts
        .iter()
        .max_by_key(|(w, n)| (**n, **w))
        .map_or(0, |(w, _)| *w);
    // Rows opening with `| ` (a blank first column): a line without any `|` before one is a row
    // of its own, not a cell the `|` ends.
    let piped = lines.iter().filter(|l| pipes(l) > 0).count();
    let pipe_opens_rows = lines.iter().filter(|l| l.starts_with('|')).count() * 2 >= piped;
    let mut rows: Vec<Row> = Vec::new();
    let mut open: Option<(u32, String)> = None;
    for (i, t) in lines.iter().enumerate() {
        let no = i as u32 + 1;
        let (start, acc) = match open.take() {
            Some((start, mut acc)) => {
                notes.push(Diagnostic::note(
                    no,
                    1,
                    format!("第 {start} 行的表格行在第 {no} 行继续（单元格文字中的换行），已接上"),
                    format!("the table row of line {start} goes on on line {no} (a line break inside a cell); joined"),
                ));
                acc.push(' ');
                acc.push_str(t.trim_start());
                (start, acc)
            }
            None => (no, t.to_string()),
        };
        let is_last = i + 1 == lines.len();
        let next_opens = lines
            .get(i + 1)
            .is_some_and(|n| n.trim_start().starts_with('|'));
        let n = pipes(&acc);
        let goes_on = if n > 0 {
            n < width
        } else {
            !acc.trim().is_empty() && next_opens && !pipe_opens_rows
        };
        if goes_on && !is_last {
            open = Some((start, acc));
            continue;
        }
        if acc.trim().is_empty() {
            rows.push(Row {
                line: start,
                cells: vec![],
            });
            continue;
        }
        if n == 0 {
            rows.push(Row {
                line: start,
                cells: vec![Cell {
                    text: acc.trim().to_string(),
                    column: 1,
                }],
            });
            continue;
        }
        // The last row short of the table's width, or text after its last `|`: the text was
        // cut inside the row.
        if is_last && (n < width || !acc.ends_with('|')) {
            return Ok((Grid { rows }, Some(cut_error(start, &acc))));
        }
        rows.push(Row {
            line: start,
            cells: split_row(&acc),
        });
    }
    Ok((Grid { rows }, None))
}

fn cut_error(line: u32, text: &str) -> Diagnostic {
    let shown: String = text
        .trim()
        .chars()
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Diagnostic::error(
        line,
        1,
        format!("文本在第 {line} 行的一行表格中间结束（「…{shown}」之后没有行尾）：文件被截断，表格不完整，未读取。请提供完整的原表"),
        format!("the text ends inside the table row of line {line} (no row end after \"…{shown}\"): the file is cut and its table incomplete; not read. Please provide the whole original table"),
    )
}

// ---- One cell a line ending in ` |` ----

/// A cell of cell-per-line text: its line and text (blank: empty).
#[derive(Debug, Clone)]
struct Slot {
    line: u32,
    text: String,
}

fn read_piped_cells(text: &str, notes: &mut Vec<Diagnostic>) -> Result<Grid, Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let marked = lines.iter().any(|l| {
        let t = l.trim();
        t.len() >= 2 && is_pipes(t)
    });
    if !marked {
        let mut cells = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim();
            let Some(body) = t.strip_suffix('|') else {
                if !t.is_empty() {
                    cells.push(Slot {
                        line: i as u32 + 1,
                        text: t.to_string(),
                    });
                }
                continue;
            };
            cells.push(Slot {
                line: i as u32 + 1,
                text: body.trim().to_string(),
            });
        }
        return by_structure(&cells, notes);
    }
    // Row marks: every row a `|` line and `width` slots, the blank ones `|`.
    let mut before: Vec<Row> = Vec::new();
    let mut after: Vec<Row> = Vec::new();
    let mut tokens: Vec<Slot> = Vec::new();
    // Segments end at a line of two or more pipes.
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut seg_start = 0usize;
    for (i, l) in lines.iter().enumerate() {
        let no = i as u32 + 1;
        let t = l.trim();
        if !t.contains('|') {
            if t.is_empty() {
                continue;
            }
            let row = Row {
                line: no,
                cells: vec![Cell {
                    text: t.to_string(),
                    column: 1,
                }],
            };
            if tokens.is_empty() {
                before.push(row);
            } else {
                after.push(row);
            }
            continue;
        }
        if !after.is_empty() {
            return Err(unrecoverable(
                no,
                t,
                "表格之后又出现表格单元格",
                "table cells after the table's end",
            ));
        }
        if is_pipes(t) {
            for _ in 0..t.len() {
                tokens.push(Slot {
                    line: no,
                    text: String::new(),
                });
            }
            if t.len() >= 2 {
                segments.push((seg_start, tokens.len()));
                seg_start = tokens.len();
            }
        } else {
            let body = t.strip_suffix('|').unwrap_or(t).trim();
            tokens.push(Slot {
                line: no,
                text: body.to_string(),
            });
        }
    }
    if seg_start < tokens.len() {
        // Tokens after the last row end: a trailing single `|` or a cut table.
        let rest = &tokens[seg_start..];
        if rest.iter().any(|s| !s.text.is_empty()) {
            let s = &rest[rest.len() - 1];
            return Err(cut_error(s.line, &s.text));
        }
        tokens.truncate(seg_start);
    }
    let width = segments.iter().map(|(a, b)| b - a).min().unwrap_or(0);
    if width < 2 {
        return Err(unrecoverable(1, "", "行标记不足", "too few row marks"));
    }
    let mut rows = before;
    for (a, b) in segments {
        let len = b - a;
        if len % width != 0 {
            let s = &tokens[a];
            return Err(unrecoverable(
                s.line,
                &s.text,
                &format!("此处的行有 {len} 个位置，不是每行 {width} 个位置的整数倍"),
                &format!(
                    "the rows here take {len} slots, not a multiple of the {width} slots of a row"
                ),
            ));
        }
        for chunk in tokens[a..b].chunks(width) {
            if !chunk[0].text.is_empty() {
                return Err(unrecoverable(
                    chunk[0].line,
                    &chunk[0].text,
                    "此处应是一行开头的「|」行",
                    "a row's opening \"|\" line should stand here",
                ));
            }
            let mut cells: Vec<Cell> = chunk[1..]
                .iter()
                .map(|s| Cell {
                    text: s.text.clone(),
                    column: 1,
                })
                .collect();
            while cells.last().is_some_and(|c| c.text.is_empty()) {
                cells.pop();
            }
            let line = chunk
                .iter()
                .find(|s| !s.text.is_empty())
                .map_or(chunk[0].line, |s| s.line);
            number_columns(&mut cells);
            rows.push(Row { line, cells });
        }
    }
    rows.extend(after);
    Ok(Grid { rows })
}

fn number_columns(cells: &mut [Cell]) {
    for (k, c) in cells.iter_mut().enumerate() {
        c.column = k as u32 + 1;
    }
}

fn unrecoverable(line: u32, text: &str, why_zh: &str, why_en: &str) -> Diagnostic {
    Diagnostic::error(
        line,
        1,
        format!("逐格文本：第 {line} 行「{text}」处无法还原表格的行（{why_zh}）：单元格的分隔无法确定属于哪一行，为免读错，未读取。请提供原表（XLSX、CSV、PDF）或带制表符的文本导出"),
        format!("cell-per-line text: the table's rows cannot be recovered at line {line} ({text:?}: {why_en}); which row a cell belongs to cannot be told, so it is not read, to avoid misreading. Please provide the original table (XLSX, CSV, PDF) or a tab-separated text export"),
    )
}

// ---- One cell a line, an empty line between, blanks as spaces ----

fn spaced_cells(text: &str) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::new();
    let mut prev_text = false;
    for (i, l) in text.lines().enumerate() {
        let no = i as u32 + 1;
        if l.is_empty() {
            prev_text = false;
            continue;
        }
        let t = l.trim();
        if t.is_empty() {
            out.push(Slot {
                line: no,
                text: String::new(),
            });
            prev_text = false;
            continue;
        }
        match out.last_mut() {
            Some(last) if prev_text => {
                last.text.push('\n');
                last.text.push_str(t);
            }
            _ => out.push(Slot {
                line: no,
                text: t.to_string(),
            }),
        }
        prev_text = true;
    }
    out
}

// ---- Rows from the structure ----

fn is_field(t: &str) -> bool {
    vocabulary().field(&norm(t)).is_some()
}

fn is_goal_heading(t: &str) -> bool {
    matches!(role(t), Some(Role::OverallGoal | Role::AnnualGoal))
        || self_eval::is_goal_label(&norm(t))
}

/// A column label of a table header (indicators, or the 自评表's funds block).
fn is_column_label(t: &str) -> bool {
    let n = norm(t);
    matches!(
        role(t),
        Some(
            Role::Level1Header
                | Role::Level3Header
                | Role::TargetHeader
                | Role::ExtraColumn
                | Role::MidTermTarget
                | Role::NatureHeader
                | Role::UnitHeader
        )
    ) || n.starts_with("二级指标")
        || self_eval::is_column_label(&n)
}

/// A cell's label as a category label: a layout's own label (`预期产出指标`) as the one it
/// stands for (templates' `[levels]`).
fn level_norm(t: &str) -> String {
    let n = norm(t);
    match vocabulary().level_alias(&n) {
        Some(a) => a.to_string(),
        None => n,
    }
}

fn level1(t: &str) -> bool {
    Level1::from_label(&level_norm(t)).is_some()
}

fn level2(t: &str) -> bool {
    Level2::from_label(&level_norm(t)).is_some()
}

fn is_total_label(t: &str) -> bool {
    let n = norm(t);
    n == "合计" || n == "总计" || self_eval::is_total_label(&n)
}

fn is_number_like(t: &str) -> bool {
    let t = t.trim();
    t.is_empty()
        || is_nil(t)
        || t.trim_end_matches(['%', '分'])
            .replace([',', '.'], "")
            .chars()
            .all(|c| c.is_ascii_digit())
}

fn is_nil(t: &str) -> bool {
    matches!(t.trim(), "/" | "-" | "—" | "--" | "无")
}

fn row_of(cells: &[&Slot]) -> Row {
    let line = cells
        .iter()
        .find(|s| !s.text.is_empty())
        .or(cells.first())
        .map_or(1, |s| s.line);
    let mut out: Vec<Cell> = cells
        .iter()
        .map(|s| Cell {
            text: s.text.clone(),
            column: 1,
        })
        .collect();
    number_columns(&mut out);
    Row { line, cells: out }
}

/// Which kind of table a header run heads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Indicators,
    Funds,
}

fn by_structure(cells: &[Slot], notes: &mut Vec<Diagnostic>) -> Result<Grid, Diagnostic> {
    let mut rows: Vec<Row> = Vec::new();
    let n = cells.len();
    let mut i = 0;
    while i < n {
        let c = &cells[i];
        if c.text.is_empty() {
            i += 1;
            continue;
        }
        // A field label and its value; a label broken over two cells joined first.
        if is_field(&c.text)
            || cells
                .get(i + 1)
                .is_some_and(|d| is_field(&format!("{}{}", c.text, d.text)))
        {
            let mut label = c.text.clone();
            let mut j = i + 1;
            if let Some(d) = cells.get(j) {
                let both = format!("{}{}", c.text, d.text);
                if !d.text.is_empty() && is_field(&both) && !is_field(&d.text) {
                    notes.push(Diagnostic::note(
                        d.line,
                        1,
                        format!("第 {} 行「{}」与第 {} 行「{}」是一个标签的两段，已接为「{both}」", c.line, c.text, d.line, d.text),
                        format!("{:?} (line {}) and {:?} (line {}) are one label broken in two; joined as {both:?}", c.text, c.line, d.text, d.line),
                    ));
                    label = both;
                    j += 1;
                }
            }
            let value = cells.get(j).filter(|v| {
                !is_field(&v.text) && !is_column_label(&v.text) && !is_goal_heading(&v.text)
            });
            let mut row = vec![Cell {
                text: label,
                column: 1,
            }];
            if let Some(v) = value {
                row.push(Cell {
                    text: v.text.clone(),
                    column: 2,
                });
                j += 1;
            }
            rows.push(Row {
                line: c.line,
                cells: row,
            });
            i = j;
            continue;
        }
        // A run of goal headings, and their values.
        if is_goal_heading(&c.text)
            || (is_heading(&c.text) && cells.get(i + 1).is_some_and(|d| is_goal_heading(&d.text)))
        {
            let mut j = i;
            while j < n
                && (is_goal_heading(&cells[j].text) || (j == i && is_heading(&cells[j].text)))
            {
                j += 1;
            }
            let heads: Vec<&Slot> = cells[i..j].iter().collect();
            // The first of three headings (总体目标 | 中期目标 | 年度目标) heads the other two.
            let lead = usize::from(!is_goal_heading(&cells[i].text) || heads.len() >= 3);
            let want = heads.len() - lead;
            if want >= 2 {
                rows.push(row_of(&heads));
                let mut values: Vec<&Slot> = Vec::new();
                let mut k = j;
                while k < n && values.len() < want {
                    if !cells[k].text.is_empty() {
                        values.push(&cells[k]);
                    }
                    k += 1;
                }
                let mut row = row_of(&values);
                for _ in 0..lead {
                    row.cells.insert(
                        0,
                        Cell {
                            text: String::new(),
                            column: 1,
                        },
                    );
                }
                number_columns(&mut row.cells);
                notes.push(Diagnostic::note(
                    row.line,
                    1,
                    format!("目标标题「{}」下的 {want} 段文字按顺序放在各标题下", heads[lead..].iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("」「")),
                    format!("the {want} texts after the goal headings {:?} are placed under them in order", heads[lead..].iter().map(|s| s.text.as_str()).collect::<Vec<_>>()),
                ));
                rows.push(row);
                i = k;
                continue;
            }
        }
        // A table's header run, and the rows under it.
        if is_column_label(&c.text) || self_eval::is_funds_heading(&norm(&c.text)) {
            let mut j = i;
            while j < n
                && !cells[j].text.is_empty()
                && (is_column_label(&cells[j].text)
                    || self_eval::is_funds_heading(&norm(&cells[j].text)))
            {
                j += 1;
            }
            if j - i >= 3 {
                let header: Vec<&Slot> = cells[i..j].iter().collect();
                let kind = if header.iter().any(|s| {
                    role(&s.text) == Some(Role::Level1Header) || norm(&s.text) == "一级指标"
                }) {
                    Table::Indicators
                } else {
                    Table::Funds
                };
                let width = header.len();
                rows.push(row_of(&header));
                i = table_rows(cells, j, width, kind, &mut rows)?;
                continue;
            }
        }
        // A heading right above a table's header (绩效项目指标表): it heads the table and is no
        // text of the goals above it.
        if is_heading(&c.text)
            && cells[i + 1..]
                .iter()
                .find(|s| !s.text.is_empty())
                .is_some_and(|s| is_column_label(&s.text))
        {
            i += 1;
            continue;
        }
        // An indicator row outside any table: its header was not found.
        if level1(&c.text) && !is_goal_heading(&c.text) {
            return Err(unrecoverable(
                c.line,
                &c.text,
                "此处的指标行之上没有可识别的表头（表头的单元格可能被拆成了几行，与单元格的分隔无法区分）",
                "no known header above this indicator row (a header cell may be broken over lines that cannot be told from cells)",
            ));
        }
        rows.push(row_of(&[c]));
        i += 1;
    }
    Ok(Grid { rows })
}

/// The rows under a header of `width` columns from cell `i`; the index after them.
fn table_rows(
    cells: &[Slot],
    mut i: usize,
    width: usize,
    kind: Table,
    rows: &mut Vec<Row>,
) -> Result<usize, Diagnostic> {
    let n = cells.len();
    let funds_row = |t: &str| self_eval::is_funds_row_label(&norm(t));
    loop {
        // Blank cells between rows belong to no row (a cell left blank ends the row before).
        let Some(c) = cells.get(i) else { return Ok(i) };
        let take = if kind == Table::Indicators && level1(&c.text) {
            width
        } else if kind == Table::Indicators && level2(&c.text) {
            width - 1
        } else if kind == Table::Funds && funds_row(&c.text) {
            let mut k = i + 1;
            while k < n
                && k - i < width
                && !funds_row(&cells[k].text)
                && !is_boundary(&cells[k].text)
            {
                k += 1;
            }
            k - i
        } else if is_total_label(&c.text) {
            let mut k = i + 1;
            while k < n && k - i < width && is_number_like(&cells[k].text) {
                k += 1;
            }
            let row: Vec<&Slot> = cells[i..k].iter().collect();
            rows.push(row_of(&row));
            return Ok(k);
        } else if c.text.is_empty() && kind == Table::Funds {
            i += 1;
            continue;
        } else {
            return Ok(i);
        };
        if i + take > n {
            return Err(unrecoverable(
                c.line,
                &c.text,
                "表格在此行中间结束",
                "the table ends inside this row",
            ));
        }
        let row: Vec<&Slot> = cells[i..i + take].iter().collect();
        rows.push(row_of(&row));
        i += take;
        // The next cell must open a row or end the table: a value there is a cell left over,
        // so the rows were not told right.
        if kind == Table::Indicators {
            if let Some(next) = cells[i..].iter().find(|s| !s.text.is_empty()) {
                let opens = level1(&next.text) || level2(&next.text) || is_total_label(&next.text);
                if !opens && looks_like_value(&next.text) {
                    return Err(unrecoverable(
                        next.line,
                        &next.text,
                        &format!("表头 {width} 列，此处应以一级或二级指标开始下一行"),
                        &format!("the header has {width} columns; the next row should open with a 一级 or 二级 label here"),
                    ));
                }
            }
        }
    }
}

/// A label that ends a block of rows.
fn is_boundary(t: &str) -> bool {
    is_field(t)
        || is_column_label(t)
        || is_heading(t)
        || is_title(t)
        || self_eval::is_funds_heading(&norm(t))
        || norm(t).starts_with("绩效指标")
}

/// A number, a percentage or a comparison: a value, never a label or page text.
fn looks_like_value(t: &str) -> bool {
    let t = t.trim();
    is_number_like(t) || t.starts_with(['=', '≥', '≤', '>', '<', '＞', '＜', '≧', '≦', '＝', '±'])
}

// ---- Columns under a header ----

/// Places the rows under each table header by their row labels (see the module docs).
fn align(grid: &mut Grid, notes: &mut Vec<Diagnostic>) {
    let mut header: Option<Header> = None;
    // Rows after an indicator table that are not the form's (a page's footer, 附件, 审核意见):
    // from the first such row to the next title or field label; dropped, said once.
    let mut after: Option<(u32, Vec<String>)> = None;
    let mut keep = vec![true; grid.rows.len()];
    for (r, row) in grid.rows.iter_mut().enumerate() {
        let filled: Vec<(usize, String)> = row
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.text.trim().is_empty())
            .map(|(k, c)| (k, norm(&c.text)))
            .collect();
        if filled.is_empty() {
            continue;
        }
        let starts_form = filled.iter().any(|(k, t)| {
            is_title(&row.cells[*k].text) || (is_field(t) && !self_eval::is_funds_row_label(t))
        });
        if let Some((_, texts)) = after.as_mut() {
            if !starts_form {
                keep[r] = false;
                texts.push(row.cells[filled[0].0].text.trim().to_string());
                continue;
            }
            flush_after(&mut after, notes);
        }
        let columns = filled
            .iter()
            .filter(|(_, t)| is_column_label(t) || self_eval::is_funds_heading(t))
            .count();
        if columns >= 3 && filled.len() - columns <= 1 {
            header = Some(Header::of(row));
            continue;
        }
        let Some(h) = &header else { continue };
        let first = &filled[0];
        let label = level1(&first.1) || level2(&first.1);
        if h.level1.is_some()
            && filled.len() == 1
            && !label
            && !looks_like_value(&first.1)
            && !is_total_label(&first.1)
            && !starts_form
        {
            keep[r] = false;
            after = Some((row.line, vec![row.cells[first.0].text.trim().to_string()]));
            header = None;
            continue;
        }
        let len = row.cells.len();
        if starts_form || is_goal_heading(&first.1) {
            header = None;
            continue;
        }
        if len >= h.width || filled.len() < 2 {
            continue;
        }
        // Right-aligned (the merged cells on the left) when the row's first cell then stands
        // in a column its text fits; else by its label's column.
        let right = h.width - len;
        let lands = right + first.0;
        let fits_right = if level1(&first.1) || level2(&first.1) {
            (Some(lands) == h.level1 && level1(&first.1))
                || (Some(lands) == h.level2
                    && (level2(&first.1) || Level1::from_label(&first.1) == Some(Level1::Cost)))
        } else if self_eval::is_funds_row_label(&first.1) {
            false
        } else {
            // Right of the 二级 column; or a label of this layout's own (`预算（或投资规模）控制
            // 指标`, ending in 指标) landing in the 一级 or 二级 column.
            h.level2.is_some_and(|c| lands > c)
                || (first.1.ends_with("指标")
                    && (Some(lands) == h.level1 || Some(lands) == h.level2))
        };
        let (shift, how_zh, how_en) = if fits_right {
            (right, "右对齐", "right-aligned")
        } else if let Some(col) = h.level1.filter(|_| level1(&first.1)) {
            (
                col.saturating_sub(first.0),
                "一级指标列",
                "the 一级指标 column",
            )
        } else if let Some(col) = h.level2.filter(|_| level2(&first.1)) {
            (
                col.saturating_sub(first.0),
                "二级指标列",
                "the 二级指标 column",
            )
        } else if let Some(col) = h
            .row_label
            .filter(|_| self_eval::is_funds_row_label(&first.1))
        {
            (
                col.saturating_sub(first.0),
                "行标签列",
                "the row-label column",
            )
        } else {
            continue;
        };
        if shift == 0 || len + shift > h.width {
            continue;
        }
        for _ in 0..shift {
            row.cells.insert(
                0,
                Cell {
                    text: String::new(),
                    column: 1,
                },
            );
        }
        number_columns(&mut row.cells);
        notes.push(Diagnostic::note(
            row.line,
            1,
            format!("第 {} 行只有 {len} 个单元格（表头 {} 列，其余为上方合并的单元格）：按{how_zh}放在表头各列下", row.line, h.width),
            format!("line {} has {len} cells (its header {}; the others are merged cells from above): placed under the header's columns by {how_en}", row.line, h.width),
        ));
    }
    flush_after(&mut after, notes);
    let mut k = 0;
    grid.rows.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// The note for the rows dropped after a table.
fn flush_after(after: &mut Option<(u32, Vec<String>)>, notes: &mut Vec<Diagnostic>) {
    let Some((line, texts)) = after.take() else {
        return;
    };
    let shown: Vec<String> = texts
        .iter()
        .take(4)
        .map(|t| t.chars().take(20).collect())
        .collect();
    notes.push(Diagnostic::warning(
        line,
        1,
        format!(
            "第 {line} 行起的 {} 行在指标表之后，不是申报表的内容（「{}」…），未读取",
            texts.len(),
            shown.join("」「")
        ),
        format!(
            "the {} row(s) from line {line} follow the indicator table and are not part of the form ({:?} …); not read",
            texts.len(),
            shown
        ),
    ));
}

struct Header {
    width: usize,
    level1: Option<usize>,
    level2: Option<usize>,
    /// The column of the funds rows' labels: the one before the first amount column.
    row_label: Option<usize>,
}

impl Header {
    fn of(row: &Row) -> Header {
        let mut h = Header {
            width: row.cells.len(),
            level1: None,
            level2: None,
            row_label: None,
        };
        for (k, c) in row.cells.iter().enumerate() {
            let t = normalize_label(&c.text);
            if t == "一级指标" || role(&c.text) == Some(Role::Level1Header) {
                h.level1.get_or_insert(k);
            } else if t.starts_with("二级指标") {
                h.level2.get_or_insert(k);
            } else if self_eval::is_funds_column(&t) && h.row_label.is_none() {
                h.row_label = Some(k.saturating_sub(1));
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn rows_joined_by_pipes_drop_their_padding_and_align_under_the_header() {
        let t = "项目名称 | 某项目 | |||||\n一级指标 | 二级指标 | 三级指标 | 指标值 | 绩效标准 | ||\n产出指标 | 数量指标 | 车辆数 | 10辆 | 计划标准 | ||\n风炮射程 | ≥80M | 计划标准 | ||||\n质量指标 | 空气质量 | 优良 | 计划标准 | |||\n";
        let seen = detect(t).unwrap();
        assert_eq!(seen.shape, Shape::Rows);
        let (g, notes) = read(t, &seen).unwrap();
        assert_eq!(texts(&g.rows[0]), ["项目名称", "某项目"]);
        assert_eq!(texts(&g.rows[3]), ["", "", "风炮射程", "≥80M", "计划标准"]);
        assert_eq!(
            texts(&g.rows[4]),
            ["", "质量指标", "空气质量", "优良", "计划标准"]
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn a_row_cut_at_the_end_of_the_text_is_refused_there() {
        let t = "项目名称 | 某项目 | ||||\n主管部门 | 某局 | ||||\n一级指标 | 二级指标 | 三级指标 | 指标值 | ||\n产出指标 | 数量指标 | 车辆数 | 1";
        let e = read(t, &detect(t).unwrap()).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.zh.contains("截断"), "{}", e.zh);
    }

    #[test]
    fn marked_cells_are_read_by_the_width_of_a_row() {
        let t = "标题\n|\n项目支出名称 |\n某项目 |\n|||\n|\n一级指标 |\n二级指标 |\n三级指标 |\n指标值及单位 |\n|\n|\n产出指标 |\n数量指标 |\n车辆数 |\n||\n";
        let seen = detect(t).unwrap();
        assert_eq!(seen.shape, Shape::PipedCells);
        let (g, _) = read(t, &seen).unwrap();
        assert_eq!(texts(&g.rows[1]), ["项目支出名称", "某项目"]);
        assert_eq!(
            texts(&g.rows[2]),
            ["一级指标", "二级指标", "三级指标", "指标值及单位"]
        );
        assert_eq!(texts(&g.rows[3]), ["产出指标", "数量指标", "车辆数"]);
    }

    #[test]
    fn unmarked_cells_are_grouped_by_labels_and_a_stray_cell_is_refused() {
        let t = "项目名称 |\n某项目 |\n实施单位 |\n某局 |\n一级指标 |\n二级指标 |\n三级指标 |\n指标值 |\n产出指标 |\n数量指标 |\n车辆数 |\n10辆 |\n";
        let (g, _) = read(t, &detect(t).unwrap()).unwrap();
        assert_eq!(texts(&g.rows[0]), ["项目名称", "某项目"]);
        assert_eq!(
            texts(&g.rows[3]),
            ["产出指标", "数量指标", "车辆数", "10辆"]
        );
        let bad = "项目名称 |\n某项目 |\n实施单位 |\n某局 |\n一级指标 |\n二级指标 |\n三级指标 |\n指标值 |\n产出指标 |\n数量指标 |\n车辆数 |\n10辆 |\n12 |\n";
        let e = read(bad, &detect(bad).unwrap()).unwrap_err();
        assert_eq!(e.line, 13);
    }
}
