//! Word documents (.docx): the tables of `word/document.xml` into the one [`Grid`], so the one
//! recognizer reads them. Read with `zip` and `quick-xml`, the crates the XLSX reader already
//! uses (no new dependency; a full DOCX crate would parse styles, images and numbering that a
//! form does not need).
//!
//! **Layout**: each table row is a grid row and each `w:tc` stands at its grid column; a cell
//! spanning columns (`w:gridSpan`) is its text followed by blank cells, a cell that continues a
//! vertical merge (`w:vMerge` without `restart`) is blank, `w:gridBefore` leaves blank cells
//! first — the grid's invariant that merged cells are blank cells, as in XLSX. A cell's
//! paragraphs are joined by line breaks. A paragraph outside any table (a title, a note) is a
//! row of one cell; a blank row ends each table. A table inside a cell adds its text to the cell.
//! **Positions**: `line` is the row counted through the document (paragraphs and table rows),
//! `column` the grid column (1-based).
//!
//! **Budget** (constants below): the size of `document.xml` once inflated, the rows, the
//! cells, and how deep tables nest; past any of them the document is refused with the limit
//! named, never read in part.

use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// `word/document.xml` once inflated, at most (bytes).
pub const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;
/// Rows (table rows and paragraphs) at most.
pub const MAX_ROWS: usize = 20_000;
/// Cells (grid columns counted) at most.
pub const MAX_CELLS: usize = 400_000;
/// Columns of one row at most.
pub const MAX_COLUMNS: usize = 256;
/// How deep tables may nest inside cells.
pub const MAX_TABLE_DEPTH: usize = 8;

/// True when a ZIP archive holds a Word document (`word/document.xml`).
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|mut z| z.by_name("word/document.xml").is_ok())
}

fn refuse(zh: String, en: String) -> Diagnostic {
    Diagnostic::error(1, 1, zh, en)
}

fn damaged() -> Diagnostic {
    refuse(
        "Word 文档（.docx）结构异常，无法读取（文件可能已损坏）；请在 Word/WPS 中打开后重新另存为 .docx".into(),
        "the Word document (.docx) is malformed and cannot be read (it may be damaged); open it in Word/WPS and save it again as .docx".into(),
    )
}

/// Reads the tables (and the paragraphs between them) of a .docx as a grid.
pub fn read(bytes: &[u8]) -> Result<Grid, Diagnostic> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    let file = zip.by_name("word/document.xml").map_err(|_| damaged())?;
    let mut xml = Vec::new();
    file.take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|_| damaged())?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(refuse(
            format!(
                "Word 文档正文超过 {} MB，不像一份申报表，未读取",
                MAX_XML_BYTES / 1024 / 1024
            ),
            format!(
                "the Word document's body is over {} MB, too large to be a form; not read",
                MAX_XML_BYTES / 1024 / 1024
            ),
        ));
    }
    parse(&xml)
}

/// One table being read: its rows, the row being read and the cell being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Option<Vec<String>>,
    /// The cell's text, its span and whether it continues a vertical merge.
    cell: Option<(String, usize, bool)>,
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| std::str::from_utf8(&a.value).ok().map(str::to_string))
}

fn parse(xml: &[u8]) -> Result<Grid, Diagnostic> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    // A paragraph outside tables, and whether text is being read (inside w:t).
    let mut para: Option<String> = None;
    let mut in_text = false;
    let mut cells = 0usize;
    let too_big = |what_zh: &str, what_en: &str, n: usize| {
        refuse(
            format!("Word 文档的{what_zh}超过 {n}，不像一份申报表，未读取"),
            format!("the Word document has more than {n} {what_en}, too many for a form; not read"),
        )
    };
    // Text goes to the innermost open cell, else to the open paragraph.
    fn push_text(tables: &mut [Table], para: &mut Option<String>, s: &str) {
        if let Some((text, _, _)) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
            text.push_str(s);
        } else if let Some(p) = para.as_mut() {
            p.push_str(s);
        }
    }
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|_| damaged())?;
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"tbl" if !empty => {
                        if tables.len() >= MAX_TABLE_DEPTH {
                            return Err(too_big(
                                "表格嵌套层数",
                                "levels of nested tables",
                                MAX_TABLE_DEPTH,
                            ));
                        }
                        tables.push(Table::default());
                    }
                    b"tr" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.row = Some(Vec::new());
                        }
                    }
                    b"gridBefore" => {
                        let n: usize = attr(e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                            row.extend(std::iter::repeat_n(String::new(), n.min(MAX_COLUMNS)));
                        }
                    }
                    b"tc" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.cell = Some((String::new(), 1, false));
                        }
                    }
                    b"gridSpan" => {
                        let n: usize = attr(e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        if let Some((_, span, _)) = tables.last_mut().and_then(|t| t.cell.as_mut())
                        {
                            *span = n.clamp(1, MAX_COLUMNS);
                        }
                    }
                    b"vMerge" => {
                        let restart = attr(e, b"w:val").is_some_and(|v| v == "restart");
                        if let Some((_, _, cont)) = tables.last_mut().and_then(|t| t.cell.as_mut())
                        {
                            *cont = !restart;
                        }
                    }
                    b"p" if !empty => {
                        // A new paragraph inside a cell starts a new line of its text.
                        if let Some((text, _, _)) = tables.last_mut().and_then(|t| t.cell.as_mut())
                        {
                            if !text.is_empty() {
                                text.push('\n');
                            }
                        } else if tables.is_empty() {
                            para = Some(String::new());
                        }
                    }
                    b"t" if !empty => in_text = true,
                    b"tab" => push_text(&mut tables, &mut para, " "),
                    b"br" | b"cr" => push_text(&mut tables, &mut para, "\n"),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|_| damaged())?;
                let s = quick_xml::escape::unescape(&s).map_err(|_| damaged())?;
                push_text(&mut tables, &mut para, &s);
            }
            Event::GeneralRef(r) if in_text => {
                // An entity or character reference inside w:t (`&amp;`, `&#x2265;`).
                let name = r.decode().map_err(|_| damaged())?;
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&name)
                        .map(str::to_string)
                        .ok_or_else(damaged)?,
                };
                push_text(&mut tables, &mut para, &s);
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"tc" => {
                    if let Some(t) = tables.last_mut() {
                        if let (Some((text, span, cont)), Some(row)) =
                            (t.cell.take(), t.row.as_mut())
                        {
                            row.push(if cont { String::new() } else { text });
                            row.extend(std::iter::repeat_n(String::new(), span - 1));
                            if row.len() > MAX_COLUMNS {
                                return Err(too_big("一行的列数", "columns in a row", MAX_COLUMNS));
                            }
                        }
                    }
                }
                b"tr" => {
                    if let Some(t) = tables.last_mut() {
                        if let Some(row) = t.row.take() {
                            cells += row.len().max(1);
                            if cells > MAX_CELLS {
                                return Err(too_big("单元格数", "cells", MAX_CELLS));
                            }
                            t.rows.push(row);
                        }
                    }
                }
                b"tbl" => {
                    let Some(done) = tables.pop() else { continue };
                    if let Some((text, _, _)) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        // A table inside a cell: its text joins the cell's, row by row.
                        for r in done.rows {
                            let line: Vec<String> =
                                r.into_iter().filter(|c| !c.trim().is_empty()).collect();
                            if !line.is_empty() {
                                if !text.is_empty() {
                                    text.push('\n');
                                }
                                text.push_str(&line.join(" "));
                            }
                        }
                    } else {
                        out.extend(done.rows);
                        out.push(Vec::new());
                    }
                }
                b"p" if tables.is_empty() => {
                    if let Some(p) = para.take() {
                        if !p.trim().is_empty() {
                            out.push(vec![p]);
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
        if out.len() > MAX_ROWS {
            return Err(too_big("行数", "rows", MAX_ROWS));
        }
        buf.clear();
    }
    Ok(Grid {
        rows: out
            .into_iter()
            .enumerate()
            .map(|(i, cells)| Row {
                line: i as u32 + 1,
                cells: cells
                    .into_iter()
                    .enumerate()
                    .map(|(j, text)| Cell {
                        text,
                        column: j as u32 + 1,
                    })
                    .collect(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .into_bytes()
    }

    fn cell(text: &str, props: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn spans_and_vertical_merges_are_blank_cells() {
        let xml = doc(&format!(
            "<w:p><w:r><w:t>项目支出绩效目标申报表</w:t></w:r></w:p><w:tbl>\
             <w:tr>{}{}{}</w:tr>\
             <w:tr>{}{}{}</w:tr>\
             <w:tr>{}{}</w:tr></w:tbl>",
            cell("产出指标", r#"<w:vMerge w:val="restart"/>"#),
            cell("数量指标", ""),
            cell("&#x2265;15000.00(公里)", ""),
            cell("", "<w:vMerge/>"),
            cell("质量指标", ""),
            cell("无违章无事故", ""),
            cell("合计", r#"<w:gridSpan w:val="2"/>"#),
            cell("100", ""),
        ));
        let g = parse(&xml).unwrap();
        let texts: Vec<Vec<&str>> = g
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            vec![
                vec!["项目支出绩效目标申报表"],
                vec!["产出指标", "数量指标", "≥15000.00(公里)"],
                vec!["", "质量指标", "无违章无事故"],
                vec!["合计", "", "100"],
                vec![],
            ]
        );
        assert_eq!((g.rows[3].line, g.rows[3].cells[2].column), (4, 3));
    }

    #[test]
    fn nesting_past_the_budget_is_refused() {
        let open = "<w:tbl><w:tr><w:tc><w:p/>".repeat(MAX_TABLE_DEPTH + 1);
        let e = parse(&doc(&open)).unwrap_err();
        assert!(e.zh.contains("嵌套"), "{}", e.zh);
        assert!(parse(b"<w:document><w:body><w:tbl>").is_ok());
        assert!(read(b"PK\x03\x04 not a zip").is_err());
    }
}
