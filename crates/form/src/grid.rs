//! The grid: rows of cells with positions. Every source that yields a table (the tab-separated
//! text export, CSV as Excel/WPS save it, later XLSX sheets and PDF tables) becomes a [`Grid`],
//! and one recognizer reads grids.
//!
//! **Invariant**: merged cells are blank cells; wrapped text inside a cell is kept as written.

use crate::diag::Diagnostic;

/// One cell: its text and where it starts in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text, as written (not trimmed).
    pub text: String,
    /// 1-based column of the cell: in characters for text and CSV (where the cell's first
    /// character stands), the sheet's column number for XLSX (A = 1).
    pub column: u32,
}

/// One row: the source line it starts on and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: u32,
    /// The cells, left to right; blank cells included.
    pub cells: Vec<Cell>,
}

impl Row {
    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| jixiao_model::is_blank(&c.text))
    }

    /// The non-blank cells with their indices.
    pub fn filled(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !jixiao_model::is_blank(&c.text))
    }
}

/// A table of rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// The rows, top to bottom; blank rows kept (they mark page breaks in text exports).
    pub rows: Vec<Row>,
}

impl Grid {
    /// Splits a tab-separated text export: one row per line, cells split at tabs.
    pub fn from_tsv(text: &str) -> Grid {
        let mut rows = Vec::with_capacity(text.len() / 40 + 1);
        for (i, raw) in text.split('\n').enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let mut cells = Vec::with_capacity(4);
            let mut column = 1u32;
            for part in line.split('\t') {
                cells.push(Cell {
                    text: part.to_string(),
                    column,
                });
                column += part.chars().count() as u32 + 1;
            }
            rows.push(Row {
                line: i as u32 + 1,
                cells,
            });
        }
        Grid { rows }
    }

    /// Parses CSV as Excel and WPS save it: `,` separated, `"` quoted, `""` for a quote,
    /// CRLF or LF, line breaks inside quoted cells (wrapped text, Alt+Enter) kept.
    pub fn from_csv(text: &str) -> Result<Grid, Diagnostic> {
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        let mut cur = String::new();
        let (mut line, mut col) = (1u32, 1u32);
        let (mut row_line, mut cell_col) = (1u32, 1u32);
        let mut in_quotes = false;
        let mut quote_start = (0u32, 0u32);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if in_quotes {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        col += 1;
                        cur.push('"');
                    }
                    '"' => in_quotes = false,
                    '\r' if chars.peek() == Some(&'\n') => {}
                    '\n' => {
                        cur.push('\n');
                        line += 1;
                        col = 0;
                    }
                    _ => cur.push(c),
                }
            } else {
                match c {
                    '"' if cur.is_empty() => {
                        in_quotes = true;
                        quote_start = (line, col);
                    }
                    ',' => {
                        cells.push(Cell {
                            text: std::mem::take(&mut cur),
                            column: cell_col,
                        });
                        cell_col = col + 1;
                    }
                    '\r' if chars.peek() == Some(&'\n') => {}
                    '\n' | '\r' => {
                        cells.push(Cell {
                            text: std::mem::take(&mut cur),
                            column: cell_col,
                        });
                        rows.push(Row {
                            line: row_line,
                            cells: std::mem::take(&mut cells),
                        });
                        line += 1;
                        col = 0;
                        row_line = line;
                        cell_col = 1;
                    }
                    _ => cur.push(c),
                }
            }
            col += 1;
        }
        if in_quotes {
            return Err(Diagnostic::error(
                quote_start.0,
                quote_start.1,
                "CSV 引号未闭合：此处开始的单元格没有结束的引号",
                "unclosed quote in CSV: the cell starting here never ends",
            ));
        }
        if !cur.is_empty() || !cells.is_empty() {
            cells.push(Cell {
                text: cur,
                column: cell_col,
            });
            rows.push(Row {
                line: row_line,
                cells,
            });
        }
        Ok(Grid { rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn tsv_keeps_blank_cells_and_columns() {
        let g = Grid::from_tsv("\t\t质量指标\t行驶安全性\r\n\nx");
        assert_eq!(texts(&g.rows[0]), ["", "", "质量指标", "行驶安全性"]);
        assert_eq!(g.rows[0].cells[3].column, 8);
        assert!(g.rows[1].is_blank());
        assert_eq!(g.rows[2].line, 3);
    }

    #[test]
    fn csv_quotes_and_wrapped_cells() {
        let g =
            Grid::from_csv("项目名称,\"交通工具,购置\"\r\n\"项目\n绩效\n目标\",\"说\"\"明\"\n,x")
                .unwrap();
        assert_eq!(texts(&g.rows[0]), ["项目名称", "交通工具,购置"]);
        assert_eq!(texts(&g.rows[1]), ["项目\n绩效\n目标", "说\"明"]);
        assert_eq!(g.rows[1].line, 2);
        assert_eq!(g.rows[2].line, 5);
        assert_eq!(texts(&g.rows[2]), ["", "x"]);
        assert_eq!(g.rows[2].cells[1].column, 2);
    }

    #[test]
    fn csv_unclosed_quote_is_an_error_at_its_start() {
        let e = Grid::from_csv("a,b\nc,\"d,e\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
    }
}
