//! HTML pages (a form published as a government web page, or saved from Word/WPS as .htm): the
//! `<table>`s of the page into the one [`Grid`], so the one recognizer reads them. Parsed with
//! `scraper` (html5ever, the WHATWG HTML5 parser: unclosed `<td>`/`<tr>` and stray tags are read
//! as a browser shows them); the tree is walked with its iterative traversal, never recursively.
//!
//! **Layout**: each table row is a grid row, each `<td>`/`<th>` stands at the first grid column
//! not covered by a cell above; a cell spanning columns (`colspan`) is its text followed by
//! blank cells, the cells a `rowspan` covers in the rows below are blank — the grid's invariant
//! that merged cells are blank cells, as in XLSX and DOCX. Inside a cell `<br>` and block
//! elements (`<p>`, `<div>`) break lines; white space runs collapse to one space as a browser
//! shows them, `&nbsp;` is a space, entities are decoded by the parser. Text outside tables is
//! one row of one cell per block (`<p>`, `<div>`, `<h1>`, a `<br>`); `<head>`, `<script>` and
//! `<style>` are not text. A blank row ends each table; a table inside a cell adds its text to
//! the cell. **Positions**: `line` is the row counted through the page (blocks and table rows),
//! `column` the grid column (1-based).
//!
//! **Encoding**: a `<meta charset>` (or `http-equiv` content type) naming GBK, GB2312 or GB18030
//! is decoded as GB18030 (a superset); otherwise as [`crate::decode`] decides (UTF-8 with or
//! without BOM, UTF-16 with BOM, GBK told by content).
//!
//! **Budget** (constants below): the page's size, the rows, the cells, the columns of a row and
//! how deep tables nest; past any of them the page is refused with the limit named, never read
//! in part. `colspan` is clamped to 1000 and `rowspan` to 65534 as browsers do (and a row past
//! [`MAX_COLUMNS`] is refused); a rowspan past the table's last row covers nothing more.

use crate::decode::{self, Encoding};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// The page at most (bytes).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Rows (table rows and blocks of text) at most.
pub const MAX_ROWS: usize = 20_000;
/// Cells (grid columns counted) at most.
pub const MAX_CELLS: usize = 400_000;
/// Columns of one row at most.
pub const MAX_COLUMNS: usize = 256;
/// How deep tables may nest inside cells.
pub const MAX_TABLE_DEPTH: usize = 8;
/// How deep elements may nest at all (a page is a few dozen deep).
pub const MAX_DEPTH: usize = 512;

/// True when the input is an HTML page: named `.html`/`.htm`, or starting (after white space
/// and a BOM) with `<!DOCTYPE html`, `<html` or `<table`, or holding `<html`/`<table` among
/// its first 4 KB.
pub fn is_html(path: &str, bytes: &[u8]) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = text.trim_start();
    if t.starts_with('{') {
        // Canonical JSON whose text mentions a tag is JSON.
        return false;
    }
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || t.starts_with("<table")
        || text.contains("<html")
        || text.contains("<table")
}

fn refuse(zh: String, en: String) -> Diagnostic {
    Diagnostic::error(1, 1, zh, en)
}

fn too_big(what_zh: &str, what_en: &str, n: usize) -> Diagnostic {
    refuse(
        format!("网页（HTML）的{what_zh}超过 {n}，不像一份申报表，未读取"),
        format!("the HTML page has more than {n} {what_en}, too many for a form; not read"),
    )
}

/// The charset a `<meta>` among the first 4 KB names, lower-cased (`gb2312`, `utf-8`).
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset=") {
            let v = tag[j + 8..].trim_start_matches(['"', '\'', ' ']);
            let end = v
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(v.len());
            if end > 0 {
                return Some(v[..end].to_string());
            }
        }
    }
    None
}

/// The page's text: GB18030 when its `<meta>` says GBK/GB2312/GB18030, else as
/// [`decode::decode`] tells.
pub fn decode_page(bytes: &[u8]) -> Result<(String, Encoding), Diagnostic> {
    let gb = meta_charset(bytes).is_some_and(|c| {
        encoding_rs::Encoding::for_label(c.as_bytes())
            .is_some_and(|e| e == encoding_rs::GBK || e == encoding_rs::GB18030)
    });
    if gb && std::str::from_utf8(bytes).is_err() {
        return match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
        {
            Some(t) => Ok((t.into_owned(), Encoding::Gb18030)),
            None => Err(refuse(
                "网页声明为 GBK/GB2312 编码，但其中有不是 GBK 的字节；请在浏览器中打开后另存为 UTF-8".into(),
                "the page declares GBK/GB2312 but holds bytes that are not GBK; open it in a browser and save it as UTF-8".into(),
            )),
        };
    }
    decode::decode(bytes)
}

/// Reads the tables (and the blocks of text between them) of an HTML page as a grid.
pub fn read(bytes: &[u8]) -> Result<(Grid, Encoding), Diagnostic> {
    if bytes.len() > MAX_BYTES {
        return Err(refuse(
            format!(
                "网页（HTML）超过 {} MB，不像一份申报表，未读取",
                MAX_BYTES / 1024 / 1024
            ),
            format!(
                "the HTML page is over {} MB, too large to be a form; not read",
                MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    let (text, encoding) = decode_page(bytes)?;
    Ok((parse(&text)?, encoding))
}

/// One table being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    /// The row being read, if a `<tr>` is open.
    row: Option<Vec<String>>,
    /// The cell being read: its text, colspan and rowspan.
    cell: Option<(String, usize, usize)>,
    /// For each grid column, the first row index no longer covered by a rowspan from above.
    covered_until: Vec<usize>,
}

impl Table {
    /// Blank cells for the columns that rowspans from above cover, from the row's end on.
    fn skip_covered(&mut self) {
        let i = self.rows.len();
        if let Some(row) = self.row.as_mut() {
            while self.covered_until.get(row.len()).is_some_and(|u| *u > i) {
                row.push(String::new());
            }
        }
    }
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "center",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "form",
    "hr",
    "caption",
    "address",
    "body",
];
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "title", "select", "textarea",
];

/// Appends text with white space collapsed as a browser shows it.
fn push_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Starts a new line of a text (a `<br>`, a block inside a cell), dropping trailing spaces.
fn break_line(out: &mut String) {
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// A cell's or block's text: each line trimmed, blank lines at both ends dropped.
fn finish_text(s: &str) -> String {
    let lines: Vec<&str> = s.split('\n').map(str::trim).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

fn span(v: Option<&str>, max: usize) -> usize {
    v.and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, max)
}

/// Elements that hold no content, or that the parser closes by itself when the next one
/// starts (an unclosed `<td>` or `<p>` is common on real pages): not counted as nesting.
const NOT_NESTING: &[&str] = &[
    "br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "embed",
    "param", "track", "td", "th", "tr", "p", "li", "dt", "dd", "option", "tbody", "thead", "tfoot",
    "colgroup",
];

/// How deep the page's tags nest, counted on the text before parsing (opening tags less closing
/// ones; an unclosed tag counts as open, so this errs high). html5ever does work in proportion
/// to the depth for each tag, so a page nested 100,000 deep must be refused before parsing.
fn nesting_before_parse(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|c| *c == b'<') {
        i += off + 1;
        let close = b.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |n| start + n);
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = text[start..end].to_ascii_lowercase();
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        let self_closing = b[end..]
            .iter()
            .position(|c| *c == b'>')
            .is_some_and(|n| n > 0 && b[end + n - 1] == b'/');
        if close {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn parse(text: &str) -> Result<Grid, Diagnostic> {
    if nesting_before_parse(text) > 4 * MAX_DEPTH {
        return Err(too_big(
            "元素嵌套层数",
            "levels of nested elements",
            MAX_DEPTH,
        ));
    }
    let doc = Html::parse_document(text);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut para = String::new();
    let mut cells = 0usize;
    let mut depth = 0usize;
    // Inside <head>, <script> …: how many such elements are open.
    let mut skipping = 0usize;
    let flush = |out: &mut Vec<Vec<String>>, para: &mut String| {
        let t = finish_text(para);
        para.clear();
        if !t.is_empty() {
            out.push(vec![t]);
        }
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                let Node::Element(e) = node.value() else {
                    if let (Node::Text(t), 0) = (node.value(), skipping) {
                        match tables.last_mut() {
                            Some(tb) => {
                                if let Some((s, _, _)) = tb.cell.as_mut() {
                                    push_collapsed(s, t);
                                }
                            }
                            None => push_collapsed(&mut para, t),
                        }
                    }
                    continue;
                };
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_big(
                        "元素嵌套层数",
                        "levels of nested elements",
                        MAX_DEPTH,
                    ));
                }
                let name = e.name();
                if SKIPPED.contains(&name) {
                    skipping += 1;
                }
                if skipping > 0 {
                    continue;
                }
                match name {
                    "table" => {
                        if tables.len() >= MAX_TABLE_DEPTH {
                            return Err(too_big(
                                "表格嵌套层数",
                                "levels of nested tables",
                                MAX_TABLE_DEPTH,
                            ));
                        }
                        if tables.is_empty() {
                            flush(&mut out, &mut para);
                        }
                        tables.push(Table::default());
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row = Some(Vec::new());
                        }
                    }
                    "td" | "th" => {
                        if let Some(t) = tables.last_mut() {
                            if t.row.is_none() {
                                t.row = Some(Vec::new());
                            }
                            t.skip_covered();
                            t.cell = Some((
                                String::new(),
                                span(e.attr("colspan"), 1000),
                                span(e.attr("rowspan"), 65534),
                            ));
                        }
                    }
                    "br" => match tables.last_mut() {
                        Some(t) => {
                            if let Some((s, _, _)) = t.cell.as_mut() {
                                s.push('\n');
                            }
                        }
                        None => flush(&mut out, &mut para),
                    },
                    _ if BLOCKS.contains(&name) => match tables.last_mut() {
                        Some(t) => {
                            if let Some((s, _, _)) = t.cell.as_mut() {
                                break_line(s);
                            }
                        }
                        None => flush(&mut out, &mut para),
                    },
                    _ => {}
                }
            }
            Edge::Close(node) => {
                let Node::Element(e) = node.value() else {
                    continue;
                };
                depth = depth.saturating_sub(1);
                let name = e.name();
                if SKIPPED.contains(&name) {
                    skipping = skipping.saturating_sub(1);
                    continue;
                }
                if skipping > 0 {
                    continue;
                }
                match name {
                    "td" | "th" => {
                        if let Some(t) = tables.last_mut() {
                            let i = t.rows.len();
                            if let (Some((text, colspan, rowspan)), Some(row)) =
                                (t.cell.take(), t.row.as_mut())
                            {
                                let col = row.len();
                                if col + colspan > MAX_COLUMNS {
                                    return Err(too_big(
                                        "一行的列数",
                                        "columns in a row",
                                        MAX_COLUMNS,
                                    ));
                                }
                                row.push(finish_text(&text));
                                row.extend(std::iter::repeat_n(String::new(), colspan - 1));
                                if t.covered_until.len() < col + colspan {
                                    t.covered_until.resize(col + colspan, 0);
                                }
                                for u in &mut t.covered_until[col..col + colspan] {
                                    *u = i + rowspan;
                                }
                            }
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            // Blank cells up to the last column a rowspan from above covers.
                            let i = t.rows.len();
                            let end = t
                                .covered_until
                                .iter()
                                .rposition(|u| *u > i)
                                .map_or(0, |c| c + 1);
                            if let Some(row) = t.row.as_mut() {
                                if row.len() < end {
                                    row.resize(end, String::new());
                                }
                            }
                            if let Some(row) = t.row.take() {
                                cells += row.len().max(1);
                                if cells > MAX_CELLS {
                                    return Err(too_big("单元格数", "cells", MAX_CELLS));
                                }
                                t.rows.push(row);
                            }
                        }
                    }
                    "table" => {
                        let Some(done) = tables.pop() else { continue };
                        if let Some((text, _, _)) = tables.last_mut().and_then(|t| t.cell.as_mut())
                        {
                            // A table inside a cell: its text joins the cell's, row by row.
                            for r in done.rows {
                                let line: Vec<String> =
                                    r.into_iter().filter(|c| !c.trim().is_empty()).collect();
                                if !line.is_empty() {
                                    break_line(text);
                                    text.push_str(&line.join(" "));
                                }
                            }
                        } else if tables.is_empty() {
                            out.extend(done.rows);
                            out.push(Vec::new());
                        }
                    }
                    _ if BLOCKS.contains(&name) => match tables.last_mut() {
                        Some(t) => {
                            if let Some((s, _, _)) = t.cell.as_mut() {
                                break_line(s);
                            }
                        }
                        None => flush(&mut out, &mut para),
                    },
                    _ => {}
                }
            }
        }
        if out.len() > MAX_ROWS {
            return Err(too_big("行数", "rows", MAX_ROWS));
        }
    }
    flush(&mut out, &mut para);
    if out.len() > MAX_ROWS {
        return Err(too_big("行数", "rows", MAX_ROWS));
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

    fn texts(g: &Grid) -> Vec<Vec<&str>> {
        g.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn rowspans_and_colspans_are_blank_cells() {
        let g = parse(
            "<html><head><title>x</title><style>td{}</style></head><body>\
             <h3>项目支出绩效目标申报表</h3><p>单位：&nbsp;元</p>\
             <table><tr><td rowspan=2>产出指标</td><td>数量指标</td><td>&ge;15000.00(公里)</td>\
             <tr><td>质量  指标</td><td>无违章<br>无事故</td>\
             <tr><td colspan=2>合计</td><td>100</td></table>后记",
        )
        .unwrap();
        assert_eq!(
            texts(&g),
            vec![
                vec!["项目支出绩效目标申报表"],
                vec!["单位： 元"],
                vec!["产出指标", "数量指标", "≥15000.00(公里)"],
                vec!["", "质量 指标", "无违章\n无事故"],
                vec!["合计", "", "100"],
                vec![],
                vec!["后记"],
            ]
        );
        assert_eq!((g.rows[4].line, g.rows[4].cells[2].column), (5, 3));
    }

    #[test]
    fn a_rowspan_covering_the_end_of_a_row_leaves_blanks() {
        let g = parse(
            "<table><tr><td>a</td><td rowspan=3>b</td></tr><tr><td>c</td></tr>\
             <tr></tr><tr><td>d</td><td>e</td></tr></table>",
        )
        .unwrap();
        assert_eq!(
            texts(&g),
            vec![
                vec!["a", "b"],
                vec!["c", ""],
                vec!["", ""],
                vec!["d", "e"],
                vec![]
            ]
        );
    }

    #[test]
    fn hostile_pages_are_refused_or_read_within_the_budget() {
        // Deep nesting: refused at the element budget, not a stack overflow.
        for deep in ["<div>", "<b>", "<table><tr><td>", "<span><p>"] {
            let e = parse(&deep.repeat(100_000)).unwrap_err();
            assert!(e.zh.contains("嵌套"), "{}", e.zh);
        }
        // Past the walk's budget though not the estimate's: refused by the walk.
        let e = parse(&"<div>".repeat(MAX_DEPTH + 10)).unwrap_err();
        assert!(e.zh.contains("元素嵌套"), "{}", e.zh);
        // Unclosed cells and paragraphs are not nesting.
        let cells = format!("<table>{}</table>", "<tr><td>x<td><p>y".repeat(5_000));
        assert_eq!(parse(&cells).unwrap().rows.len(), 5_001);
        let tables = "<table><tr><td>".repeat(MAX_TABLE_DEPTH + 1);
        assert!(parse(&tables).unwrap_err().zh.contains("表格嵌套"));
        // A colspan past the columns budget is refused; a huge rowspan covers the rows there are.
        let e = parse("<table><tr><td colspan=1000000>x</td></tr></table>").unwrap_err();
        assert!(e.zh.contains("列数"), "{}", e.zh);
        let g = parse(
            "<table><tr><td rowspan=4294967295999>x</td><td>y</td></tr><tr><td>z</td></tr></table>",
        )
        .unwrap();
        assert_eq!(texts(&g), vec![vec!["x", "y"], vec!["", "z"], vec![]]);
        // Too many rows.
        let rows = "<tr><td>x</td></tr>".repeat(MAX_ROWS + 1);
        assert!(parse(&format!("<table>{rows}</table>"))
            .unwrap_err()
            .zh
            .contains("行数"));
        // Over the size budget.
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(read(&big).unwrap_err().zh.contains("MB"));
    }

    #[test]
    fn gbk_pages_are_decoded_by_their_meta_charset() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
                    <body><table><tr><td>项目名称</td><td>交通工具购置</td></tr></table></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let (g, enc) = read(&bytes).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(texts(&g)[0], vec!["项目名称", "交通工具购置"]);
        assert!(is_html("a.txt", &bytes));
        assert!(is_html("表.HTM", b"x"));
        assert!(!is_html("a.txt", "项目名称\t交通".as_bytes()));
        assert!(!is_html("a.json", b"{\"title\": \"<table>\"}"));
    }
}
