//! One table holding many projects: a unit's 申报表 as the budget system lists them (四川's
//! 部门预算项目绩效目标申报表 of 井研县马踏镇, `tests/data/wild/`): one header row naming the
//! project columns (单位名称 / 项目名称 / 预算数 / 年度目标) and then the indicator columns
//! (一级指标 … 指标方向性); each project a block of rows, its first row carrying the project's
//! cells before its first indicator, the rows after it one indicator each. A row of a
//! department and its total (`820-马踏镇部门 | 8,827,620.53`) heads the projects under it.
//!
//! The table is rewritten into the rows of one declaration per project — 项目名称, 单位名称,
//! 主管部门, 年度资金总额, 年度目标, the indicator header and rows — every cell keeping its
//! line and column, and each declaration opened by the form's title, so the one recognizer reads
//! them as it reads any declaration. What the rewrite does is said: the table's shape, the
//! department row (its total is not read), a unit cell merged over the rows below (carried to
//! the next projects), and the amounts' unit (`金额单位:元`).
//!
//! **Merged cells are told by their place, never guessed**: a project row holds all the project
//! columns or all but the first ones (merged from the project above: the unit); any other count
//! is an error at the row. A text cut inside its last row (a web page's text store) is read up
//! to the last whole project: the project the text ends in is not read, said in a warning at
//! the cut; with no whole project the cut is the error.

use jixiao_model::{Level1, Level2};

use super::header::{field_kind, Field};
use super::{label_text, role_of};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use crate::template::Role;

/// What a column of the list's header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Unit,
    Name,
    Amount,
    Goal,
}

/// The header of a list: the project columns before the indicator columns.
#[derive(Debug, Clone)]
struct Header {
    /// Index of the header row in the grid.
    row: usize,
    /// The project columns, left to right: what each holds and its label as printed.
    project: Vec<(Col, String)>,
    /// The indicator columns' cells (from the 一级指标 column on).
    indicators: Vec<Cell>,
}

fn header_of(row: &Row, index: usize) -> Option<Header> {
    let mut project: Vec<(Col, String)> = Vec::new();
    let mut first_indicator = None;
    let mut has_level3 = false;
    for (idx, c) in row.filled() {
        let norm = label_text(&c.text);
        let role = role_of(&norm);
        if first_indicator.is_none() {
            if role == Some(Role::Level1Header) {
                first_indicator = Some(idx);
                continue;
            }
            let col = match (field_kind(&norm), role) {
                (Some(Field::Unit), _) => Col::Unit,
                (Some(Field::Name), _) => Col::Name,
                (Some(Field::Total), _) => Col::Amount,
                (_, Some(Role::AnnualGoal)) => Col::Goal,
                _ => return None,
            };
            project.push((col, c.text.trim().to_string()));
        } else if role == Some(Role::Level3Header) {
            has_level3 = true;
        }
    }
    let first_indicator = first_indicator?;
    let has = |k: Col| project.iter().any(|(c, _)| *c == k);
    if !(has_level3 && has(Col::Name) && has(Col::Amount)) {
        return None;
    }
    Some(Header {
        row: index,
        project,
        indicators: indicator_cells(row, first_indicator),
    })
}

fn find_header(grid: &Grid) -> Option<Header> {
    grid.rows
        .iter()
        .enumerate()
        .find_map(|(i, r)| header_of(r, i))
}

/// True when the grid is one table of many projects (see the module docs).
pub fn is_listing(grid: &Grid) -> bool {
    find_header(grid).is_some()
}

/// A project's block of rows.
struct Block {
    line: u32,
    /// The project cells as printed, by what they hold.
    cells: Vec<(Col, Cell, u32)>,
    /// The unit, carried from a project above when its cell is merged: (text, line, column).
    unit: Option<(String, u32, u32)>,
    department: Option<(String, u32, u32)>,
    /// The indicator rows: (line, cells from the first indicator on).
    rows: Vec<(u32, Vec<Cell>)>,
    last_line: u32,
}

impl Block {
    fn get(&self, k: Col) -> Option<&(Col, Cell, u32)> {
        self.cells.iter().find(|(c, _, _)| *c == k)
    }

    fn name(&self) -> String {
        self.get(Col::Name)
            .map_or(String::new(), |(_, c, _)| c.text.trim().to_string())
    }
}

fn is_indicator_label(text: &str) -> bool {
    let n = label_text(text);
    Level1::from_label(&n).is_some() || Level2::from_label(&n).is_some()
}

fn looks_like_amount(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// A label cell the rewrite puts before a value (the header's label of the value's column).
fn label(text: &str) -> Cell {
    Cell {
        text: text.to_string(),
        column: 1,
    }
}

/// Rewrites a list into one declaration per project (see the module docs). `None` when the
/// grid is no list; `Err` with the error at the row whose cells cannot be placed. `cut` is the
/// error of a text that ends inside its last row (that row not in the grid).
pub fn unroll(
    grid: &Grid,
    cut: Option<&Diagnostic>,
) -> Option<Result<(Grid, Vec<Diagnostic>), Diagnostic>> {
    let header = find_header(grid)?;
    Some(unroll_with(grid, &header, cut))
}

fn unroll_with(
    grid: &Grid,
    h: &Header,
    cut: Option<&Diagnostic>,
) -> Result<(Grid, Vec<Diagnostic>), Diagnostic> {
    let mut notes = Vec::new();
    let header_row = &grid.rows[h.row];
    // The rows before the header: the title (kept, it opens the first declaration) and the
    // amounts' unit (read here).
    let mut before: Vec<Row> = Vec::new();
    let mut title: Option<Row> = None;
    // The amounts' unit from a `金额单位` row: Some(true) for 万元, Some(false) for 元.
    let mut unit_row: Option<bool> = None;
    for row in &grid.rows[..h.row] {
        let filled: Vec<(usize, &Cell)> = row.filled().collect();
        let Some((_, first)) = filled.first() else {
            continue;
        };
        let norm = label_text(&first.text);
        if filled.len() == 1 && norm.starts_with("金额单位") {
            let unit = norm.trim_start_matches("金额单位").trim_start_matches(':');
            let wan = unit.starts_with("万元");
            unit_row = Some(wan);
            if unit != "元" && !wan {
                return Err(Diagnostic::error(
                    row.line,
                    first.column,
                    format!("「{}」：金额单位应为元或万元", first.text.trim()),
                    format!(
                        "{:?}: the amounts' unit should be 元 or 万元",
                        first.text.trim()
                    ),
                ));
            }
            notes.push(Diagnostic::note(
                row.line,
                first.column,
                format!(
                    "「{}」：各项目的预算数按{}读取",
                    first.text.trim(),
                    if wan { "万元" } else { "元" }
                ),
                format!(
                    "{:?}: each project's amount is read in {}",
                    first.text.trim(),
                    if wan { "万元" } else { "元" }
                ),
            ));
            continue;
        }
        if title.is_none() && filled.len() == 1 && super::is_declaration_title(&norm) {
            title = Some(row.clone());
        }
        before.push(row.clone());
    }
    let n_project = h.project.len();
    let mut blocks: Vec<Block> = Vec::new();
    let mut department: Option<(String, u32, u32)> = None;
    for row in &grid.rows[h.row + 1..] {
        let filled: Vec<(usize, &Cell)> = row.filled().collect();
        if filled.is_empty() {
            continue;
        }
        let first_ind = filled.iter().position(|(_, c)| is_indicator_label(&c.text));
        match first_ind {
            None => {
                // A department and its total, heading the projects under it.
                if let [(_, dep), (_, total)] = filled.as_slice() {
                    if looks_like_amount(&total.text) && !looks_like_amount(&dep.text) {
                        department = Some((dep.text.trim().to_string(), row.line, dep.column));
                        notes.push(Diagnostic::note(
                            row.line,
                            dep.column,
                            format!(
                                "第 {} 行「{}」「{}」是部门及其预算合计：作为其下各项目的主管部门，合计不读入",
                                row.line,
                                dep.text.trim(),
                                total.text.trim()
                            ),
                            format!(
                                "line {}: {:?} {:?} is a department and its total: the department of the projects under it; the total is not read",
                                row.line,
                                dep.text.trim(),
                                total.text.trim()
                            ),
                        ));
                        continue;
                    }
                }
                return Err(stray(row, filled[0].1, h, header_row));
            }
            Some(0) => {
                let Some(b) = blocks.last_mut() else {
                    return Err(stray(row, filled[0].1, h, header_row));
                };
                b.rows.push((row.line, indicator_cells(row, filled[0].0)));
                b.last_line = row.line;
            }
            Some(k) => {
                // The project cells: all of them, or all but the first ones (merged above).
                let merged = n_project.checked_sub(k).unwrap_or(usize::MAX);
                let carries_unit = merged == 1 && h.project[0].0 == Col::Unit;
                if merged != 0 && !carries_unit {
                    return Err(stray(row, filled[0].1, h, header_row));
                }
                let cols = &h.project[merged..];
                let cells: Vec<(Col, Cell, u32)> = cols
                    .iter()
                    .zip(&filled[..k])
                    .map(|((col, _), (_, c))| (*col, (*c).clone(), row.line))
                    .collect();
                let unit = match cells.iter().find(|(c, _, _)| *c == Col::Unit) {
                    Some((_, c, l)) => Some((c.text.trim().to_string(), *l, c.column)),
                    None => {
                        let above = blocks.last().and_then(|b| b.unit.clone());
                        let Some(above) = above else {
                            return Err(stray(row, filled[0].1, h, header_row));
                        };
                        notes.push(Diagnostic::note(
                            row.line,
                            filled[0].1.column,
                            format!(
                                "第 {} 行的项目没有「{}」单元格（与上方合并）：取第 {} 行的「{}」",
                                row.line, h.project[0].1, above.1, above.0
                            ),
                            format!(
                                "the project of line {} has no {} cell (merged with the one above): {:?} of line {} is taken",
                                row.line, h.project[0].1, above.0, above.1
                            ),
                        ));
                        Some(above)
                    }
                };
                blocks.push(Block {
                    line: row.line,
                    cells,
                    unit,
                    department: department.clone(),
                    rows: vec![(row.line, indicator_cells(row, filled[k].0))],
                    last_line: row.line,
                });
            }
        }
    }
    // A text cut inside its last row: the project it ends in is not read.
    if let Some(cut) = cut {
        let dropped = blocks.pop();
        let Some(b) = dropped else {
            return Err(cut.clone());
        };
        if blocks.is_empty() {
            return Err(cut.clone());
        }
        notes.push(Diagnostic::warning(
            cut.line,
            cut.column,
            format!(
                "文本在第 {} 行的一行表格中间结束（文件被截断）：第 {}–{} 行的项目「{}」不完整，未读取；此前的 {} 个项目完整，已读取",
                cut.line,
                b.line,
                cut.line,
                b.name(),
                blocks.len()
            ),
            format!(
                "the text ends inside the table row of line {} (the file is cut): the project {:?} of lines {}–{} is incomplete and not read; the {} project(s) before it are whole and read",
                cut.line,
                b.name(),
                b.line,
                cut.line,
                blocks.len()
            ),
        ));
    }
    let (Some(first), Some(last)) = (blocks.first(), blocks.last()) else {
        return Err(Diagnostic::error(
            header_row.line,
            1,
            "一张表中多个项目的表头之下没有项目",
            "the header of a table of many projects has no project under it",
        ));
    };
    let labels: Vec<&str> = h.project.iter().map(|(_, l)| l.as_str()).collect();
    notes.push(Diagnostic::warning(
        header_row.line,
        1,
        format!(
            "一张表中列有多个项目（「{}」列之后是指标列）：第 {}–{} 行的 {} 个项目各按其行读作一份申报表，请与原表核对",
            labels.join("」「"),
            first.line,
            last.last_line,
            blocks.len()
        ),
        format!(
            "one table lists many projects (the columns {} and then the indicator columns): the {} project(s) of lines {}–{} are each read as a declaration from their rows; check them against the original",
            labels.join(", "),
            blocks.len(),
            first.line,
            last.last_line
        ),
    ));
    let mut rows = before;
    let label_of = |k: Col| {
        h.project
            .iter()
            .find(|(c, _)| *c == k)
            .map_or(String::new(), |(_, l)| l.clone())
    };
    // The amounts' unit, when a 金额单位 row states it and the column's label does not.
    let amount_label = {
        let l = label_of(Col::Amount);
        match unit_row {
            Some(true) if !l.contains('元') => format!("{l}（万元）"),
            Some(false) if !l.contains('元') => format!("{l}（元）"),
            _ => l,
        }
    };
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 {
            // The form's title opens each project's declaration.
            if let Some(t) = &title {
                rows.push(Row {
                    line: b.line,
                    cells: t.cells.clone(),
                });
            }
        }
        let field = |rows: &mut Vec<Row>, text: &str, (value, line, column): (&str, u32, u32)| {
            rows.push(Row {
                line,
                cells: vec![
                    label(text),
                    Cell {
                        text: value.to_string(),
                        column,
                    },
                ],
            });
        };
        if let Some((_, c, l)) = b.get(Col::Name) {
            field(&mut rows, &label_of(Col::Name), (&c.text, *l, c.column));
        }
        if let Some((unit, l, c)) = &b.unit {
            let text = match label_of(Col::Unit) {
                t if t.is_empty() => "实施单位".to_string(),
                t => t,
            };
            field(&mut rows, &text, (unit, *l, *c));
        }
        if let Some((dep, l, c)) = &b.department {
            field(&mut rows, "主管部门", (dep, *l, *c));
        }
        if let Some((_, c, l)) = b.get(Col::Amount) {
            field(&mut rows, &amount_label, (&c.text, *l, c.column));
        }
        if let Some((_, c, l)) = b.get(Col::Goal) {
            field(&mut rows, &label_of(Col::Goal), (&c.text, *l, c.column));
        }
        rows.push(Row {
            line: header_row.line,
            cells: h.indicators.clone(),
        });
        for (line, cells) in &b.rows {
            rows.push(Row {
                line: *line,
                cells: cells.clone(),
            });
        }
    }
    Ok((Grid { rows }, notes))
}

/// A row's cells from its first indicator cell on, blanks kept (their places are the header's
/// columns), the blanks at its end dropped.
fn indicator_cells(row: &Row, from: usize) -> Vec<Cell> {
    let mut cells = row.cells[from..].to_vec();
    while cells
        .last()
        .is_some_and(|c| jixiao_model::is_blank(&c.text))
    {
        cells.pop();
    }
    cells
}

/// The error at a row of a list whose cells cannot be placed under the header.
fn stray(row: &Row, first: &Cell, h: &Header, header_row: &Row) -> Diagnostic {
    let labels: Vec<&str> = h.project.iter().map(|(_, l)| l.as_str()).collect();
    Diagnostic::error(
        row.line,
        first.column,
        format!(
            "一张表中列有多个项目（表头在第 {} 行：「{}」列之后是指标列），第 {} 行「{}」的单元格无法对应到这些列（项目行应含全部项目列，或除被上方合并的「{}」外的全部项目列，其后为指标；指标行以一级或二级指标开头）：为免读错，未读取",
            header_row.line,
            labels.join("」「"),
            row.line,
            first.text.trim(),
            labels[0]
        ),
        format!(
            "one table lists many projects (header on line {}: the columns {} and then the indicator columns); the cells of line {} ({:?}) cannot be placed under them (a project row holds every project column, or all but a merged {}, then its first indicator; an indicator row opens with a 一级 or 二级 label): not read, to avoid misreading",
            header_row.line,
            labels.join(", "),
            row.line,
            first.text.trim(),
            labels[0]
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::diag::{Diagnostic, Level};
    use crate::grid::Grid;

    const LIST: &str = "部门预算项目绩效目标申报表(2023年度)\n\
        金额单位:元\n\
        单位名称\t项目名称\t预算数\t年度目标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重\n\
        820-某镇部门\t100.00\n\
        820001-某镇人民政府\t甲项目\t60.00\t按时完成甲\t产出指标\t数量指标\t甲数量\t≥\t2\t个\t50\n\
        满意度指标\t服务对象满意度指标\t甲满意度\t≥\t90\t%\t50\n\
        乙项目\t40.00\t按时完成乙\t产出指标\t时效指标\t乙时效\t=\t1\t年\t100\n";

    fn errors(d: &[Diagnostic]) -> Vec<(u32, String)> {
        d.iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| (d.line, d.zh.clone()))
            .collect()
    }

    #[test]
    fn each_project_of_a_list_reads_as_its_own_declaration() {
        let (f, diags) = crate::recognize::recognize(&Grid::from_tsv(LIST));
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let names: Vec<&str> = f.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["甲项目", "乙项目"]);
        let b = &f.projects[1];
        // The unit cell merged over 乙's rows: carried from 甲's, said.
        assert_eq!(b.unit, "820001-某镇人民政府");
        assert_eq!(b.department.as_deref(), Some("820-某镇部门"));
        assert_eq!(b.funds.total.to_string(), "40.00");
        assert_eq!(b.year, 2023);
        assert_eq!(b.indicators[0].raw, "=1年");
        assert_eq!(f.projects[0].indicators.len(), 2);
        assert!(diags
            .iter()
            .any(|d| d.line == 7 && d.zh.contains("与上方合并")));
        assert!(diags
            .iter()
            .any(|d| d.line == 4 && d.zh.contains("合计不读入")));
    }

    #[test]
    fn a_project_row_whose_cells_cannot_be_placed_is_refused_at_its_line() {
        let bad = LIST.replace("乙项目\t40.00\t按时完成乙", "40.00\t按时完成乙");
        let (f, diags) = crate::recognize::recognize(&Grid::from_tsv(&bad));
        assert!(f.projects.is_empty());
        assert_eq!(errors(&diags).first().map(|e| e.0), Some(7), "{diags:?}");
    }

    #[test]
    fn a_cut_list_reads_its_whole_projects_and_names_the_cut_one() {
        let grid = Grid::from_tsv(LIST);
        let cut = Diagnostic::error(8, 1, "截断", "cut");
        let (f, diags) = crate::recognize::recognize_cells_cut(&grid, &cut);
        let names: Vec<&str> = f.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["甲项目"]);
        assert!(
            diags
                .iter()
                .any(|d| d.level == Level::Warning && d.line == 8 && d.zh.contains("「乙项目」")),
            "{diags:?}"
        );
        // With no whole project before the cut, the cut is the error.
        let one: String = LIST.lines().take(6).map(|l| format!("{l}\n")).collect();
        let (f, diags) = crate::recognize::recognize_cells_cut(&Grid::from_tsv(&one), &cut);
        assert!(f.projects.is_empty());
        assert_eq!(errors(&diags), [(8, "截断".to_string())]);
    }
}
