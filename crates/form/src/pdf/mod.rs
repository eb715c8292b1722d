//! PDF input: the tables of a printed 申报表 rebuilt from the page into the same [`Grid`] every
//! other source feeds, so one recognizer reads all.
//!
//! - [`backend`] is the one module that knows the PDF library ([`backend::PdfBackend`], pinned
//!   `pdfplumber`): it yields each page's characters with their boxes and the tables found from
//!   the ruling lines, as rows of cell boxes (a merged cell once, in the first row it covers).
//! - Here the cell text is put together from the characters whose centre lies in the cell: lines
//!   by position, a space where the gap is wide, and a wrapped line (one whose next word would
//!   not have fitted in the cell) joined to the next, while a line that ends short keeps its line
//!   break (a paragraph, as in an XLSX cell).
//! - **Columns** are the document's: every cell's left edge, over all pages, clustered (2 pt), so
//!   a table that continues on the next page keeps its columns and a merged cell is a cell with
//!   blank cells after it, as in an XLSX sheet. Text outside the tables (the form's titles) is a
//!   row of one cell in column 1.
//! - **Pages.** A page is read when it holds a declaration (a table cell `项目名称`, `一级指标`,
//!   `三级指标` or `二级指标`, or the line `财政项目支出绩效目标申报表`) or when its first table
//!   continues the last table of the page before, which was read (the same columns). Other pages
//!   (prose, other tables of a budget disclosure) are skipped; a note names the pages read. A
//!   page break is a blank row, as in the text export. On a page that is read, text below its
//!   last table (a page number, the prose that follows) is left out.
//! - **Positions.** A grid row is numbered through the document; [`PdfGrid::locate`] turns it
//!   into the page and the row on that page, so a diagnostic reads `file.pdf:p3:r12c4` (page 3,
//!   row 12 of that page counting text lines and table rows from the top, column 4).
//! - Encrypted, damaged and scanned (no text) PDFs are refused with an error saying so.

pub mod backend;
mod guard;

use backend::{BackendError, Glyph, PageLayout, PdfBackend, Rect};

use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};

/// Labels that mark a page as holding a declaration when a table cell reads exactly one of them.
const TABLE_MARKERS: [&str; 4] = ["项目名称", "一级指标", "二级指标", "三级指标"];
/// A text line that marks a page as holding a declaration.
const TITLE_MARKER: &str = "绩效目标申报表";
/// Cells whose left edges are this close (points) are in one column.
const COLUMN_SNAP: f64 = 2.0;

/// Where a grid row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The page, from 1.
    pub page: u32,
    /// The row on that page, from 1 (text lines and table rows, top to bottom).
    pub row: u32,
}

/// The grid of a PDF's declaration pages and where each row came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfGrid {
    /// The rows of the pages read; `line` numbers them through the document from 1.
    pub grid: Grid,
    /// For each grid row (by `line - 1`) its page and row; `None` for the blank rows between pages.
    pub origins: Vec<Option<Origin>>,
    /// The pages read (they hold declarations), in order.
    pub pages_read: Vec<u32>,
    /// How many pages the document has.
    pub page_count: u32,
    /// Characters read as the ideographs their radical code points stand for.
    pub folded: Folded,
}

impl PdfGrid {
    /// The page and row of a grid line (1-based), if it has one.
    pub fn locate(&self, line: u32) -> Option<Origin> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        self.origins.get(i).copied().flatten()
    }

    /// A note naming the pages the declarations were read from (and how many were skipped).
    pub fn pages_note(&self) -> Diagnostic {
        let list = page_ranges(&self.pages_read);
        let skipped = self.page_count as usize - self.pages_read.len();
        if skipped == 0 {
            Diagnostic::note(
                0,
                0,
                format!("PDF 共 {} 页，申报表读自第 {list} 页", self.page_count),
                format!(
                    "the PDF has {} page(s); the declarations were read from page(s) {list}",
                    self.page_count
                ),
            )
        } else {
            Diagnostic::note(
                0,
                0,
                format!(
                    "PDF 共 {} 页，申报表读自第 {list} 页；其余 {skipped} 页没有申报表，已跳过",
                    self.page_count
                ),
                format!(
                    "the PDF has {} pages; the declarations were read from page(s) {list}; the other {skipped} page(s) hold no declaration and were skipped",
                    self.page_count
                ),
            )
        }
    }

    /// A note saying that radical code points were read as the characters they stand for.
    pub fn folded_note(&self) -> Option<Diagnostic> {
        let (from, to) = self.folded.example.as_ref()?;
        let n = self.folded.count;
        Some(Diagnostic::note(
            0,
            0,
            format!("PDF 的字体把 {n} 个字符编码为部首或连字（如「{from}」），已按其所代表的文字读取（「{to}」）"),
            format!("the PDF's fonts encode {n} character(s) as radicals or ligatures (such as {from:?}); they were read as the text they stand for ({to:?})"),
        ))
    }

    /// Rewrites the grid positions of diagnostics into pages and rows (`p3:r12c4`). A blank
    /// row between pages (where a recognizer may report a declaration cut off) is the end of
    /// the page before.
    pub fn place(&self, diags: &mut [Diagnostic]) {
        for d in diags {
            if d.page.is_some() || d.line == 0 {
                continue;
            }
            let Some(i) = usize::try_from(d.line).ok().and_then(|l| l.checked_sub(1)) else {
                continue;
            };
            let found = self
                .origins
                .get(..=i.min(self.origins.len().saturating_sub(1)));
            let origin = found.and_then(|o| {
                o.iter().rev().enumerate().find_map(|(back, o)| {
                    o.map(|o| Origin {
                        page: o.page,
                        row: o.row + u32::from(back > 0),
                    })
                })
            });
            if let Some(o) = origin {
                d.page = Some(o.page);
                d.line = o.row;
            }
        }
    }
}

/// `1-3, 7` for pages 1, 2, 3 and 7.
fn page_ranges(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// A PDF by its header (`%PDF-` within the first 1,024 bytes, as readers allow).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Reads the declaration pages of a PDF into a grid with the default backend and limits.
pub fn read_pdf(bytes: &[u8]) -> Result<PdfGrid, Diagnostic> {
    read_pdf_limited(bytes, &crate::Limits::default())
}

/// [`read_pdf`] within `limits`: the file is walked first (pages, content streams, Form
/// XObjects drawn, nesting; `guard`) and handed to the library only when it is within them.
pub fn read_pdf_limited(bytes: &[u8], limits: &crate::Limits) -> Result<PdfGrid, Diagnostic> {
    let budget = crate::limits::Budget::new(limits);
    guard::check(bytes, &budget).map_err(|r| match r {
        guard::Refusal::Limit(d) => d,
        guard::Refusal::Damaged(detail) => backend_error(BackendError::Damaged(detail)),
    })?;
    let plumber = backend::Plumber {
        limits: limits.clone(),
    };
    read_pdf_with(&plumber, bytes)
}

/// [`read_pdf`] with another backend (no walk first: the backend keeps its own budget).
pub fn read_pdf_with(backend: &dyn PdfBackend, bytes: &[u8]) -> Result<PdfGrid, Diagnostic> {
    let mut pages = backend.pages(bytes).map_err(backend_error)?;
    let mut folded = Folded::default();
    for g in pages.iter_mut().flat_map(|p| p.glyphs.iter_mut()) {
        if let Some(text) = fold_radicals(&g.text, &mut folded) {
            g.text = text;
        }
    }
    let page_count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    if pages.is_empty() {
        return Err(Diagnostic::error(
            0,
            0,
            "PDF 文件没有页面",
            "the PDF has no pages",
        ));
    }
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        let images: usize = pages.iter().map(|p| p.images).sum();
        return Err(if images > 0 {
            Diagnostic::error(
                0,
                0,
                format!("PDF 的 {page_count} 页中没有文字，只有图片（扫描件？）：无法读取；请使用导出的电子版 PDF，或原表格文件"),
                format!("the PDF's {page_count} page(s) hold no text, only images (a scan?): it cannot be read; use the PDF as exported, or the form's own file"),
            )
        } else {
            Diagnostic::error(
                0,
                0,
                format!("PDF 的 {page_count} 页中没有文字：无法读取"),
                format!("the PDF's {page_count} page(s) hold no text: it cannot be read"),
            )
        });
    }
    let laid: Vec<LaidPage> = pages.iter().map(lay_out).collect();
    // Which pages hold declarations, or continue a table of one.
    let mut keep = vec![false; laid.len()];
    for i in 0..laid.len() {
        keep[i] = laid[i].has_marker
            || (i > 0
                && keep[i - 1]
                && match (
                    &laid[i - 1].last_table_columns,
                    &laid[i].first_table_columns,
                ) {
                    (Some(prev), Some(next)) => continues(prev, next),
                    _ => false,
                });
    }
    if !keep.iter().any(|k| *k) {
        return Err(Diagnostic::error(
            0,
            0,
            format!(
                "PDF 共 {page_count} 页，未找到申报表：没有一页含有「项目名称」「一级指标」「三级指标」等标签的表格"
            ),
            format!(
                "no declaration in the PDF's {page_count} page(s): no page holds a table with the labels 项目名称, 一级指标, 三级指标"
            ),
        ));
    }
    // The document's columns: left edges of every table cell on the pages read.
    let mut edges: Vec<f64> = laid
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .flat_map(|(p, _)| p.rows.iter())
        .filter(|r| r.in_table)
        .flat_map(|r| r.cells.iter().map(|(x, _)| *x))
        .collect();
    edges.sort_by(f64::total_cmp);
    let mut columns: Vec<f64> = Vec::new();
    for x in edges {
        match columns.last() {
            Some(last) if x - last <= COLUMN_SNAP => {}
            _ => columns.push(x),
        }
    }
    let width = columns.len().max(1);
    let column_of = |x: f64| -> usize {
        columns
            .iter()
            .rposition(|c| *c <= x + COLUMN_SNAP)
            .unwrap_or(0)
    };
    let mut rows = Vec::new();
    let mut origins = Vec::new();
    let mut pages_read = Vec::new();
    for (page, _) in laid.iter().zip(&keep).filter(|(_, k)| **k) {
        if !rows.is_empty() {
            rows.push(Row {
                line: rows.len() as u32 + 1,
                cells: Vec::new(),
            });
            origins.push(None);
        }
        pages_read.push(page.number);
        for (n, r) in page.rows.iter().enumerate() {
            let mut cells: Vec<Cell> = (1..=width)
                .map(|c| Cell {
                    text: String::new(),
                    column: c as u32,
                })
                .collect();
            for (x, text) in &r.cells {
                let c = if r.in_table { column_of(*x) } else { 0 };
                let cell = &mut cells[c];
                if !cell.text.is_empty() {
                    cell.text.push(' ');
                }
                cell.text.push_str(text);
            }
            rows.push(Row {
                line: rows.len() as u32 + 1,
                cells,
            });
            origins.push(Some(Origin {
                page: page.number,
                row: n as u32 + 1,
            }));
        }
    }
    Ok(PdfGrid {
        grid: Grid { rows },
        origins,
        pages_read,
        page_count,
        folded,
    })
}

/// Characters a PDF's fonts map to radical or ligature code points, read as the text they stand
/// for: how many, and the first one seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    /// How many characters were read so.
    pub count: usize,
    /// The first: as the PDF has it, and as read.
    pub example: Option<(char, String)>,
}

/// CJK Radicals Supplement code points that fonts share with an ideograph (simplified forms
/// mostly) and that NFKC leaves alone.
const RADICALS: [(char, char); 27] = [
    ('⺠', '民'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻉', '贝'),
    ('⻊', '足'),
    ('⻋', '车'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
];

/// The text a glyph stands for when its font maps it to a Kangxi radical (`⽬` for 目), a
/// radical of the supplement that is drawn as an ideograph (`⻋` for 车), or the two- and
/// three-em dash ligatures (`⸺` for `——`); `None` when the text is as it should be.
pub(crate) fn fold_radicals(text: &str, folded: &mut Folded) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let needs = |c: char| matches!(c, '\u{2E80}'..='\u{2FDF}' | '\u{2E3A}' | '\u{2E3B}');
    if !text.chars().any(needs) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 3);
    for c in text.chars() {
        let read: String = match c {
            '\u{2E3A}' => "——".to_string(),
            '\u{2E3B}' => "———".to_string(),
            '\u{2F00}'..='\u{2FDF}' | '\u{2E80}'..='\u{2EFF}' => {
                match RADICALS.iter().find(|(r, _)| *r == c) {
                    Some((_, ideograph)) => ideograph.to_string(),
                    None => std::iter::once(c).nfkc().collect(),
                }
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        if read != c.to_string() {
            folded.count += 1;
            if folded.example.is_none() {
                folded.example = Some((c, read.clone()));
            }
        }
        out.push_str(&read);
    }
    Some(out)
}

fn backend_error(e: BackendError) -> Diagnostic {
    match e {
        BackendError::Encrypted => Diagnostic::error(
            0,
            0,
            "PDF 文件已加密，需要密码才能打开：请提供未加密的文件",
            "the PDF is encrypted and needs a password: provide an unencrypted file",
        ),
        BackendError::Damaged(detail) => Diagnostic::error(
            0,
            0,
            format!("PDF 文件已损坏或不完整，无法读取（{detail}）"),
            format!("the PDF is damaged or incomplete and cannot be read ({detail})"),
        ),
        BackendError::Time { page, seconds } => {
            let mut d = crate::limits::exceeded(
                &format!("读取时间（读到第 {page} 页时）"),
                &format!("reading time (at page {page})"),
                format!("{seconds} 秒"),
                format!("{seconds} s"),
            );
            d.page = Some(page);
            d
        }
        BackendError::Glyphs { page, limit } => {
            let mut d = crate::limits::exceeded(
                &format!("PDF 绘制的字符数（读到第 {page} 页时）"),
                &format!("the characters the PDF draws (at page {page})"),
                limit,
                limit,
            );
            d.page = Some(page);
            d
        }
        BackendError::Page { page, detail } => {
            let mut d = Diagnostic::error(
                0,
                0,
                format!("PDF 第 {page} 页无法读取（{detail}）"),
                format!("page {page} of the PDF cannot be read ({detail})"),
            );
            d.page = Some(page);
            d
        }
    }
}

/// Whether a table whose cells start at `next` continues one whose cells start at `prev`: at
/// least two columns, each of them a column of the table before.
fn continues(prev: &[f64], next: &[f64]) -> bool {
    next.len() >= 2
        && next
            .iter()
            .all(|x| prev.iter().any(|p| (p - x).abs() <= COLUMN_SNAP))
}

/// A page's rows, top to bottom.
struct LaidPage {
    number: u32,
    rows: Vec<LaidRow>,
    has_marker: bool,
    first_table_columns: Option<Vec<f64>>,
    last_table_columns: Option<Vec<f64>>,
}

struct LaidRow {
    top: f64,
    in_table: bool,
    /// Each cell's left edge and text.
    cells: Vec<(f64, String)>,
}

fn lay_out(page: &PageLayout) -> LaidPage {
    // Which cell each glyph falls in, by its centre.
    let mut in_cell: Vec<Vec<Vec<Vec<&Glyph>>>> = page
        .tables
        .iter()
        .map(|t| t.rows.iter().map(|r| vec![Vec::new(); r.len()]).collect())
        .collect();
    let mut free: Vec<&Glyph> = Vec::new();
    'glyphs: for g in &page.glyphs {
        let (cx, cy) = centre(&g.bbox);
        for (ti, t) in page.tables.iter().enumerate() {
            if !t.bbox.contains(cx, cy) {
                continue;
            }
            for (ri, row) in t.rows.iter().enumerate() {
                for (ci, cell) in row.iter().enumerate() {
                    if cell.contains(cx, cy) {
                        in_cell[ti][ri][ci].push(g);
                        continue 'glyphs;
                    }
                }
            }
        }
        free.push(g);
    }
    let mut rows: Vec<LaidRow> = Vec::new();
    let mut has_marker = false;
    let mut table_columns = Vec::new();
    for (ti, t) in page.tables.iter().enumerate() {
        let mut xs: Vec<f64> = Vec::new();
        for (ri, row) in t.rows.iter().enumerate() {
            let mut cells = Vec::with_capacity(row.len());
            for (ci, rect) in row.iter().enumerate() {
                let text = cell_text(&in_cell[ti][ri][ci], Some(rect));
                if TABLE_MARKERS.contains(&text.as_str()) {
                    has_marker = true;
                }
                if !xs.iter().any(|x| (x - rect.x0).abs() <= COLUMN_SNAP) {
                    xs.push(rect.x0);
                }
                cells.push((rect.x0, text));
            }
            let top = row.iter().map(|r| r.top).fold(f64::INFINITY, f64::min);
            rows.push(LaidRow {
                top,
                in_table: true,
                cells,
            });
        }
        table_columns.push(xs);
    }
    let last_table_top = page
        .tables
        .iter()
        .map(|t| t.bbox.top)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut free_rows = Vec::new();
    for line in lines(&free) {
        let text = line_text(&line);
        if text.is_empty() {
            continue;
        }
        if text.contains(TITLE_MARKER) {
            has_marker = true;
        }
        let top = line
            .iter()
            .map(|g| g.bbox.top)
            .fold(f64::INFINITY, f64::min);
        let x0 = line.iter().map(|g| g.bbox.x0).fold(f64::INFINITY, f64::min);
        free_rows.push(LaidRow {
            top,
            in_table: false,
            cells: vec![(x0, text)],
        });
    }
    // Below the last table: page numbers, or prose after the form; left out.
    if !page.tables.is_empty() {
        free_rows.retain(|r| r.top < last_table_top);
    }
    rows.extend(free_rows);
    rows.sort_by(|a, b| a.top.total_cmp(&b.top));
    LaidPage {
        number: page.number,
        rows,
        has_marker,
        first_table_columns: table_columns.first().cloned(),
        last_table_columns: table_columns.last().cloned(),
    }
}

fn centre(r: &Rect) -> (f64, f64) {
    ((r.x0 + r.x1) / 2.0, (r.top + r.bottom) / 2.0)
}

/// Glyphs grouped into lines (by their vertical centres), top to bottom, each left to right.
fn lines<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| centre(&a.bbox).1.total_cmp(&centre(&b.bbox).1));
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    let mut line_y = f64::NEG_INFINITY;
    for g in sorted {
        let (_, cy) = centre(&g.bbox);
        let tolerance = (g.bbox.bottom - g.bbox.top).abs().max(g.size) * 0.5;
        match out.last_mut() {
            Some(line) if cy - line_y <= tolerance.max(1.0) => line.push(g),
            _ => {
                out.push(vec![g]);
                line_y = cy;
            }
        }
    }
    for line in &mut out {
        line.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
    }
    out
}

/// One line's text: glyphs left to right, one space where the PDF draws one or leaves a gap
/// wider than a quarter of the font size.
fn line_text(line: &[&Glyph]) -> String {
    let mut s = String::new();
    let mut prev_x1: Option<f64> = None;
    for g in line {
        let blank = g.text.trim().is_empty();
        if let Some(x1) = prev_x1 {
            let gap = g.bbox.x0 - x1;
            if (blank || gap > g.size.max(1.0) * 0.25) && !s.is_empty() && !s.ends_with(' ') {
                s.push(' ');
            }
        }
        if !blank {
            s.push_str(&g.text);
        }
        prev_x1 = Some(g.bbox.x1);
    }
    s.trim().to_string()
}

/// A cell's text: its lines, a wrapped line joined to the next, a line that ends short (the next
/// line's first word would have fitted after it) ending with a line break. The room a line has
/// ends at the cell's right border less the padding seen on its left (or at the longest line,
/// when that is further right: centred or overflowing text).
fn cell_text(glyphs: &[&Glyph], cell: Option<&Rect>) -> String {
    let lines = lines(glyphs);
    let texts: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
    let ends: Vec<f64> = lines
        .iter()
        .map(|l| {
            l.iter()
                .map(|g| g.bbox.x1)
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let longest = ends.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let right = match cell {
        Some(cell) => {
            let left = glyphs
                .iter()
                .map(|g| g.bbox.x0)
                .fold(f64::INFINITY, f64::min);
            longest.max(cell.x1 - (left - cell.x0).max(0.0))
        }
        None => longest,
    };
    let mut out = String::new();
    for (i, text) in texts.iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(text);
            continue;
        }
        let first = first_word_width(&lines[i]);
        let wrapped = ends[i - 1] + first > right + 0.5;
        if wrapped {
            let space = out
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric())
                && text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            if space {
                out.push(' ');
            }
        } else {
            out.push('\n');
        }
        out.push_str(text);
    }
    out
}

/// The width of a line's first word: a run of ASCII letters and digits, or one character.
fn first_word_width(line: &[&Glyph]) -> f64 {
    let Some(first) = line.iter().find(|g| !g.text.trim().is_empty()) else {
        return 0.0;
    };
    let ascii = |g: &Glyph| g.text.chars().all(|c| c.is_ascii_alphanumeric());
    if !ascii(first) {
        return first.bbox.x1 - first.bbox.x0;
    }
    let mut x1 = first.bbox.x1;
    for g in line.iter().skip_while(|g| g.text.trim().is_empty()).skip(1) {
        if !ascii(g) {
            break;
        }
        x1 = g.bbox.x1;
    }
    x1 - first.bbox.x0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x0: f64, top: f64) -> Glyph {
        Glyph {
            text: text.to_string(),
            bbox: Rect {
                x0,
                top,
                x1: x0 + 10.0,
                bottom: top + 10.0,
            },
            size: 10.0,
        }
    }

    fn text_of(s: &[(&str, f64)]) -> Vec<Glyph> {
        // Characters of each (line, indent) pair, 10 pt apart, lines 12 pt apart.
        let mut out = Vec::new();
        for (i, (line, indent)) in s.iter().enumerate() {
            for (j, c) in line.chars().enumerate() {
                out.push(glyph(
                    &c.to_string(),
                    indent + j as f64 * 10.0,
                    i as f64 * 12.0,
                ));
            }
        }
        out
    }

    #[test]
    fn wrapped_lines_join_and_short_lines_keep_their_break() {
        // The first line is the widest: 下 did not fit after it, a wrap. The second ends one
        // character short: 第 would have fitted, so the line break is the writer's.
        let g = text_of(&[
            ("兰溪路-真南路", 0.0),
            ("下立交工程。", 0.0),
            ("第二段", 0.0),
        ]);
        let refs: Vec<&Glyph> = g.iter().collect();
        assert_eq!(cell_text(&refs, None), "兰溪路-真南路下立交工程。\n第二段");
        let g = text_of(&[("短行。", 0.0), ("这一行比较长一些", 0.0)]);
        let refs: Vec<&Glyph> = g.iter().collect();
        assert_eq!(cell_text(&refs, None), "短行。\n这一行比较长一些");
    }

    #[test]
    fn ascii_words_wrapped_get_their_space_back() {
        let g = text_of(&[("PEMS", 0.0), ("test", 0.0)]);
        let refs: Vec<&Glyph> = g.iter().collect();
        assert_eq!(cell_text(&refs, None), "PEMS test");
    }

    #[test]
    fn gaps_become_one_space() {
        let g = [
            glyph("a", 0.0, 0.0),
            glyph("b", 30.0, 0.0),
            glyph("c", 40.0, 0.0),
        ];
        let refs: Vec<&Glyph> = g.iter().collect();
        assert_eq!(line_text(&refs), "a bc");
    }

    #[test]
    fn grid_lines_become_pages_and_rows() {
        let at = |page, row| Some(Origin { page, row });
        let read = PdfGrid {
            grid: Grid::default(),
            origins: vec![at(1, 1), at(1, 2), None, at(2, 1)],
            pages_read: vec![1, 2],
            page_count: 3,
            folded: Folded::default(),
        };
        let mut diags: Vec<Diagnostic> = [2, 3, 4, 0]
            .iter()
            .map(|l| Diagnostic::error(*l, 4, "x", "x"))
            .collect();
        read.place(&mut diags);
        let places: Vec<String> = diags.iter().map(|d| d.place("f.pdf")).collect();
        // Line 3 is the blank row of the page break: the end of page 1.
        assert_eq!(
            places,
            ["f.pdf:p1:r2c4", "f.pdf:p1:r3c4", "f.pdf:p2:r1c4", "f.pdf"]
        );
        assert!(read.pages_note().zh.contains("读自第 1-2 页；其余 1 页"));
    }

    #[test]
    fn radicals_are_read_as_the_ideographs_they_stand_for() {
        let mut f = Folded::default();
        assert_eq!(fold_radicals("项⽬", &mut f).as_deref(), Some("项目"));
        assert_eq!(fold_radicals("⻋辆⸺", &mut f).as_deref(), Some("车辆——"));
        assert_eq!(fold_radicals("目", &mut f), None);
        assert_eq!(f.count, 3);
        assert_eq!(f.example, Some(('⽬', "目".to_string())));
    }

    #[test]
    fn page_lists() {
        assert_eq!(page_ranges(&[1, 2, 3, 7, 9, 10]), "1-3, 7, 9-10");
    }
}
