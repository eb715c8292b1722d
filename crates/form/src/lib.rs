//! # jixiao-form — reading and writing performance-target forms
//!
//! This crate owns the formats a 财政项目支出绩效目标申报表 travels in:
//! - the tab-separated **text export** of the official PDF/Excel form (as in `tests/data/`),
//! - **CSV** as Excel and WPS save a sheet (also GBK-encoded),
//! - **XLSX** workbooks, read ([`xlsx`]; for XLSX a diagnostic's line is the Excel row number,
//!   its column the Excel column number, A = 1, and its message starts with the sheet and cell,
//!   `申报表!D17：`) and written in the official layout ([`xlsx_write`], `docs/xlsx-layout.md`),
//! - text copied out of a PDF in the other shapes extractors write (`pdftotext -layout`, one cell
//!   per line in row order): told by content and rebuilt into the grid ([`text_shapes`]), with
//!   notes saying what was joined; pdfminer's column-by-column blocks are refused,
//! - **HTML** pages (government web pages, Word's .htm): their `<table>`s, `rowspan`/`colspan`
//!   as merged cells ([`html`]),
//! - **PDF**: the tables of the pages that hold declarations, rebuilt from ruling lines and
//!   character positions ([`pdf`]); a diagnostic names the page, row and column (`p3:r12c4`),
//! - the **canonical JSON** interchange form (`docs/form-json.md`), written and read losslessly.
//!
//! Every table source becomes a [`grid::Grid`]; one recognizer ([`recognize::recognize`]) reads
//! grids. Entry point: [`read_form`], which picks the format by content, not by extension.
//!
//! **Invariants**
//! - No panics on any input; every problem is a [`Diagnostic`] with line and column, in Chinese
//!   and English.
//! - A read either yields a complete [`jixiao_model::Form`] or fails with at least one error;
//!   there is no half-read form.
//! - `json::to_string(json::from_str(json::to_string(f)))` is byte-identical to `json::to_string(f)`.
#![deny(missing_docs)]

pub mod decode;
pub mod diag;
pub mod docx;
pub mod flat;
pub mod grid;
pub mod html;
pub mod json;
pub mod library_xlsx;
pub mod limits;
pub mod pdf;
pub mod recognize;
pub mod self_eval;
pub mod template;
pub mod text_shapes;
pub mod xlsx;
pub mod xlsx_cells;
pub mod xlsx_write;

pub use decode::Encoding;
pub use diag::{Diagnostic, FormError, Level};
use jixiao_model::Form;
pub use limits::Limits;
pub use xlsx_write::{form_to_xlsx, XlsxWriteError};

/// The formats [`read_form`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tab-separated text export.
    Text,
    /// Comma-separated values.
    Csv,
    /// Canonical JSON.
    Json,
    /// An XLSX workbook (a ZIP archive); told by its bytes, before any text decoding.
    Xlsx,
    /// A PDF (`%PDF-` in its first bytes): the tables of its declaration pages ([`pdf`]).
    Pdf,
    /// A Word document (a ZIP archive with `word/document.xml`): its tables ([`docx`]).
    Docx,
    /// A legacy Excel 97–2003 workbook (.xls, an OLE compound file): its form sheet
    /// ([`xlsx::read_xls_sheet`]).
    Xls,
    /// An HTML page (named `.html`/`.htm`, or `<html`/`<table` in its first bytes): its tables
    /// ([`html`]).
    Html,
}

/// A successful read: the form and the non-fatal diagnostics (warnings, notes).
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The projects read.
    pub form: Form,
    /// Warnings and notes.
    pub diagnostics: Vec<Diagnostic>,
    /// The format that was detected.
    pub format: Format,
    /// The text encoding that was detected.
    pub encoding: Encoding,
    /// When the input is a 项目支出绩效自评表: what each table states (actuals, 分值, 得分,
    /// budget and execution, 总分), one per table, in the order of `form.projects`.
    pub self_evaluations: Vec<self_eval::SelfEvalSheet>,
    /// When the input is a 项目支出绩效运行监控表 written by `jixiao report monitoring`: its
    /// values to date, one per table; `form` then holds no project.
    pub monitoring: Vec<self_eval::MonitoringSheet>,
}

/// Chooses the format by content: JSON starts with `{`; text exports carry tabs; CSV carries
/// commas and no tabs.
pub fn detect_format(text: &str) -> Format {
    let t = text.trim_start();
    if t.starts_with('{') {
        return Format::Json;
    }
    let sample: &str = match text.char_indices().nth(64 * 1024) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    if sample.contains('\t') {
        Format::Text
    } else if sample.lines().any(|l| l.contains(',')) {
        Format::Csv
    } else {
        Format::Text
    }
}

/// Reads a form from bytes. `path` only names the input in diagnostics.
///
/// The bytes are looked at first: a ZIP archive is read as an XLSX workbook, an OLE compound
/// file is read as a legacy .xls (a .doc is refused with a hint to save as .xlsx); anything
/// else is decoded as text and the format chosen by [`detect_format`]. The read keeps within
/// [`Limits::default`].
pub fn read_form(path: &str, bytes: &[u8]) -> Result<Parsed, FormError> {
    read_form_with(path, bytes, &Limits::default())
}

/// [`read_form`] within `limits`: a file that reaches one of them is refused with an error
/// naming the limit (see [`limits`]).
pub fn read_form_with(path: &str, bytes: &[u8], limits: &Limits) -> Result<Parsed, FormError> {
    let fail = |d: Diagnostic| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    };
    let budget = limits::Budget::new(limits);
    if bytes.len() > limits.input_bytes {
        return Err(fail(limits::exceeded(
            "文件大小",
            "the file size",
            limits::megabytes(limits.input_bytes),
            limits::megabytes(limits.input_bytes),
        )));
    }
    if xlsx::is_zip(bytes) {
        // Entries, declared and inflated sizes within the budget, whatever the archive holds.
        xlsx::check_zip(bytes, &budget).map_err(fail)?;
    }
    if xlsx::is_zip(bytes) && docx::is_docx(bytes) {
        let grid = docx::read(bytes).map_err(fail)?;
        let (form, diags) = recognize::recognize_cells(&grid);
        return finish(path, form, Vec::new(), diags, Format::Docx, Encoding::Utf8);
    }
    if xlsx::is_zip(bytes) {
        let sheet = xlsx::read_sheet_with(bytes, limits).map_err(fail)?;
        if self_eval::is_self_evaluation(&sheet.grid) {
            return read_self_eval_workbook(path, bytes, limits);
        }
        if self_eval::is_monitoring(&sheet.grid) {
            let mut all = Vec::new();
            let mut diags = Vec::new();
            for sheet in xlsx::read_all_sheets_with(bytes, limits).map_err(fail)? {
                if !self_eval::is_monitoring(&sheet.grid) {
                    continue;
                }
                let (mut sheets, mut d) = self_eval::read_monitoring(&sheet.grid, true);
                name_cells(&sheet.name, &mut d);
                for s in &mut sheets {
                    s.sheet = Some(sheet.name.clone());
                }
                all.append(&mut sheets);
                diags.append(&mut d);
            }
            return finish_monitoring(path, all, diags, Format::Xlsx, Encoding::Utf8);
        }
        let mut notes = Vec::new();
        if sheet.sheets_in_workbook > 1 {
            notes.push(Diagnostic::note(
                1,
                1,
                format!(
                    "工作簿有 {} 个工作表，已读取「{}」",
                    sheet.sheets_in_workbook, sheet.name
                ),
                format!(
                    "the workbook has {} worksheets; {:?} was read",
                    sheet.sheets_in_workbook, sheet.name
                ),
            ));
        }
        let (mut form, mut diags) = recognize::recognize_cells(&sheet.grid);
        name_cells(&sheet.name, &mut diags);
        money_to_fen(&mut form);
        return finish(path, form, notes, diags, Format::Xlsx, Encoding::Utf8);
    }
    if pdf::is_pdf(bytes) {
        let read = pdf::read_pdf_limited(bytes, limits).map_err(fail)?;
        let (form, mut diags) = recognize::recognize_cells(&read.grid);
        read.place(&mut diags);
        let notes = std::iter::once(read.pages_note())
            .chain(read.folded_note())
            .collect();
        return finish(path, form, notes, diags, Format::Pdf, Encoding::Utf8);
    }
    if bytes.starts_with(xlsx::OLE_MAGIC) {
        return read_xls(path, bytes, limits);
    }
    if html::is_html(path, bytes) {
        return read_html(path, bytes);
    }
    let (text, encoding) = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        // Not text, and named or marked as a workbook: a damaged XLSX, not a text file with NULs.
        Err(_) if xlsx::looks_like_workbook(path, bytes) => {
            return Err(fail(xlsx::damaged_workbook(path)))
        }
        Err(d) => return Err(fail(d)),
    };
    let mut notes = Vec::new();
    if encoding == Encoding::Gb18030 {
        notes.push(Diagnostic::note(
            1,
            1,
            "文件为 GBK/GB18030 编码，已自动转换",
            "the file is GBK/GB18030-encoded and was decoded",
        ));
    }
    let format = detect_format(&text);
    if format != Format::Json {
        check_text(&text, format, limits).map_err(fail)?;
    }
    if format == Format::Json {
        return match json::from_str(&text) {
            Ok(f) => finish(path, f, notes, Vec::new(), format, encoding),
            Err(d) => Err(fail(d)),
        };
    }
    // A web page's table written as text (cells joined by ` | `, one cell a line ending in
    // ` |`, or one cell a line with blank cells as spaces): rebuilt into the grid by its marks
    // and the form's structure, or refused where its rows cannot be told.
    if let Some(seen) = text_shapes::web::detect(&text) {
        return read_web_text(path, &text, &seen, notes, encoding);
    }
    // Text copied out of a PDF may carry the radical code points its fonts map ideographs to
    // (`项⽬` for 项目): the shapes are told and read on the text they stand for.
    let mut folded = pdf::Folded::default();
    let unfolded = pdf::fold_radicals(&text, &mut folded);
    let shaped = unfolded.as_deref().unwrap_or(&text);
    if let Some(seen) = text_shapes::detect(shaped) {
        let (grid, mut rebuilt) = match seen.shape {
            text_shapes::Shape::Layout => text_shapes::layout::read(shaped),
            text_shapes::Shape::CellPerLine if text_shapes::cells::is_row_order(shaped) => {
                text_shapes::cells::read(shaped)
            }
            text_shapes::Shape::CellPerLine => return Err(fail(text_shapes::refusal(&seen))),
        };
        notes.push(text_shapes::reading_note(&seen));
        if let Some((from, to)) = &folded.example {
            let n = folded.count;
            notes.push(Diagnostic::note(
                1,
                1,
                format!("文本把 {n} 个字符写作部首或连字（如「{from}」，PDF 字体的编码），已按其所代表的文字读取（「{to}」）"),
                format!("the text writes {n} character(s) as radicals or ligatures (such as {from:?}, as the PDF's fonts encode them); they were read as the text they stand for ({to:?})"),
            ));
        }
        notes.append(&mut rebuilt);
        if notes.iter().any(|d| d.level == Level::Error) {
            return finish(
                path,
                Form::new(Vec::new()),
                notes,
                Vec::new(),
                format,
                encoding,
            );
        }
        let (form, diags) = recognize::recognize_cells(&grid);
        return finish(path, form, notes, diags, Format::Text, encoding);
    }
    // One grid, read once: a 监控表 or 自评表 is told by its title, anything else is a form.
    let grid = match format {
        Format::Csv => grid::Grid::from_csv(&text).map_err(fail)?,
        // `detect_format` reads text and never says XLSX or PDF: those were read above.
        _ => grid::Grid::from_tsv(&text),
    };
    // Told only if the text does not read: a table that was lost is the reason then.
    // A family jixiao does not read (a 部门整体 form) is said first, also when the text lost
    // its table.
    let vocab = template::vocabulary();
    let not_read = vocab.not_read_refusal(&grid.rows);
    // A department-wide 申报表 says itself what it lacks (also when its cells ran together).
    let department = vocab.department_title(&grid.rows).is_some();
    let lost_table = |r: Result<Parsed, FormError>| match r {
        Err(e) if department || e.diagnostics.iter().any(|d| vocab.is_not_read_refusal(d)) => {
            Err(e)
        }
        Err(e) => match (&not_read, flat::detect(&text)) {
            (Some(d), _) => Err(fail(d.clone())),
            (None, Some(d)) => Err(fail(d)),
            (None, None) => Err(e),
        },
        r => r,
    };
    if self_eval::is_monitoring(&grid) {
        let (sheets, mut diags) = self_eval::read_monitoring(&grid, false);
        notes.append(&mut diags);
        return finish_monitoring(path, sheets, notes, format, encoding);
    }
    if self_eval::is_self_evaluation(&grid) {
        let (sheets, diags) = self_eval::read(&grid, false);
        let form = self_eval::to_form(&sheets);
        let mut parsed = lost_table(finish(path, form, notes, diags, format, encoding))?;
        parsed.self_evaluations = sheets;
        return Ok(parsed);
    }
    let (form, diags) = recognize::recognize(&grid);
    drop(grid);
    lost_table(finish(path, form, notes, diags, format, encoding))
}

/// Reads text a web page's table became ([`text_shapes::web`]): a 自评表 by its title, else a
/// declaration form; a family jixiao does not read (部门整体) is said before anything else.
fn read_web_text(
    path: &str,
    text: &str,
    seen: &text_shapes::web::Seen,
    mut notes: Vec<Diagnostic>,
    encoding: Encoding,
) -> Result<Parsed, FormError> {
    let fail = |d: Diagnostic| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    };
    let vocab = template::vocabulary();
    let refuse = |d: Diagnostic| {
        let rows = grid::Grid::from_tsv(text).rows;
        fail(vocab.not_read_refusal(&rows).unwrap_or(d))
    };
    let text_shapes::web::Read {
        grid,
        notes: mut rebuilt,
        cut,
    } = text_shapes::web::read_keeping_cut(text, seen).map_err(&refuse)?;
    // Text cut inside its last row: only one table of many projects reads (its whole
    // projects); anything else is refused at the cut.
    if let Some(d) = cut
        .as_ref()
        .filter(|_| !recognize::listing::is_listing(&grid))
    {
        return Err(refuse(d.clone()));
    }
    if let Some(d) = vocab.not_read_refusal(&grid.rows) {
        return Err(fail(d));
    }
    notes.push(text_shapes::web::reading_note(seen));
    notes.append(&mut rebuilt);
    if self_eval::is_self_evaluation(&grid) {
        let (sheets, diags) = self_eval::read(&grid, true);
        let form = self_eval::to_form(&sheets);
        let mut parsed = finish(path, form, notes, diags, Format::Text, encoding)?;
        parsed.self_evaluations = sheets;
        return Ok(parsed);
    }
    let (form, diags) = match &cut {
        Some(cut) => recognize::recognize_cells_cut(&grid, cut),
        None => recognize::recognize_cells(&grid),
    };
    finish(path, form, notes, diags, Format::Text, encoding)
}

/// Lines and cells of a text or CSV file against the limits, counted before any grid is built
/// (a cell per separator: an upper bound, since a quoted CSV cell may hold commas).
fn check_text(text: &str, format: Format, limits: &Limits) -> Result<(), Diagnostic> {
    let separator = if format == Format::Csv { b',' } else { b'\t' };
    let (mut lines, mut cells) = (1usize, 1usize);
    for b in text.bytes() {
        if b == b'\n' {
            lines += 1;
            cells += 1;
        } else if b == separator {
            cells += 1;
        }
    }
    if lines > limits.lines {
        return Err(limits::exceeded(
            "行数",
            "the number of lines",
            limits.lines,
            limits.lines,
        ));
    }
    if cells > limits.cells {
        return Err(limits::exceeded(
            "单元格数",
            "the number of cells",
            limits.cells,
            limits.cells,
        ));
    }
    Ok(())
}

/// Reads the form sheet of a legacy .xls. Its number formats are unknown (calamine does not
/// give them for BIFF), so every number cell between -1 and 1 that is not 0 is a warning: it is
/// read as the number it holds, and Excel may show it as a percentage (0.97 as 97%).
fn read_xls(path: &str, bytes: &[u8], limits: &Limits) -> Result<Parsed, FormError> {
    let sheet = xlsx::read_xls_sheet(bytes, limits).map_err(|d| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    })?;
    let mut notes = Vec::new();
    for row in &sheet.grid.rows {
        for c in &row.cells {
            let t = c.text.trim();
            let fraction = t.parse::<f64>().is_ok_and(|v| v != 0.0 && v.abs() < 1.0)
                && t.chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-');
            if fraction {
                notes.push(Diagnostic::warning(
                    row.line,
                    c.column,
                    format!("读作 {t}：.xls 文件的数字格式无法读取；若 Excel 中此格显示为百分数（0.97 显示为 97%），此处读到的是小数，请核对，或另存为 .xlsx 后再读"),
                    format!("read as {t}: the number formats of an .xls cannot be read; if Excel shows this cell as a percentage, save the workbook as .xlsx and read that"),
                ));
            }
        }
    }
    if sheet.sheets_in_workbook > 1 {
        notes.push(Diagnostic::note(
            1,
            1,
            format!(
                "工作簿有 {} 个工作表，已读取「{}」",
                sheet.sheets_in_workbook, sheet.name
            ),
            format!(
                "the workbook has {} worksheets; {:?} was read",
                sheet.sheets_in_workbook, sheet.name
            ),
        ));
    }
    name_cells(&sheet.name, &mut notes);
    if self_eval::is_self_evaluation(&sheet.grid) {
        let (mut sheets, mut diags) = self_eval::read(&sheet.grid, true);
        name_cells(&sheet.name, &mut diags);
        for s in &mut sheets {
            s.sheet = Some(sheet.name.clone());
        }
        let form = self_eval::to_form(&sheets);
        let mut parsed = finish(path, form, notes, diags, Format::Xls, Encoding::Utf8)?;
        parsed.self_evaluations = sheets;
        return Ok(parsed);
    }
    let (mut form, mut diags) = recognize::recognize_cells(&sheet.grid);
    name_cells(&sheet.name, &mut diags);
    money_to_fen(&mut form);
    finish(path, form, notes, diags, Format::Xls, Encoding::Utf8)
}

/// Reads an HTML page's tables: a 自评表 by its title, else a declaration form.
fn read_html(path: &str, bytes: &[u8]) -> Result<Parsed, FormError> {
    let (grid, encoding) = html::read(bytes).map_err(|d| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    })?;
    let mut notes = Vec::new();
    if encoding == Encoding::Gb18030 {
        notes.push(Diagnostic::note(
            1,
            1,
            "网页为 GBK/GB18030 编码，已自动转换",
            "the page is GBK/GB18030-encoded and was decoded",
        ));
    }
    if self_eval::is_self_evaluation(&grid) {
        let (sheets, diags) = self_eval::read(&grid, true);
        let form = self_eval::to_form(&sheets);
        let mut parsed = finish(path, form, notes, diags, Format::Html, encoding)?;
        parsed.self_evaluations = sheets;
        return Ok(parsed);
    }
    let (form, diags) = recognize::recognize_cells(&grid);
    finish(path, form, notes, diags, Format::Html, encoding)
}

/// Reads every 自评表 of a workbook, one per worksheet (sheets that hold none are skipped,
/// with a note); diagnostics name the sheet and cell.
fn read_self_eval_workbook(path: &str, bytes: &[u8], limits: &Limits) -> Result<Parsed, FormError> {
    let fail = |d: Diagnostic| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    };
    let mut all = Vec::new();
    let mut diags = Vec::new();
    for sheet in xlsx::read_all_sheets_with(bytes, limits).map_err(fail)? {
        if !self_eval::is_self_evaluation(&sheet.grid) {
            diags.push(Diagnostic::note(
                1,
                1,
                format!("工作表「{}」不是自评表，已跳过", sheet.name),
                format!(
                    "worksheet {:?} is not a self-evaluation table and was skipped",
                    sheet.name
                ),
            ));
            continue;
        }
        let (mut sheets, mut d) = self_eval::read(&sheet.grid, true);
        name_cells(&sheet.name, &mut d);
        for s in &mut sheets {
            s.sheet = Some(sheet.name.clone());
        }
        all.append(&mut sheets);
        diags.append(&mut d);
    }
    let form = self_eval::to_form(&all);
    let mut parsed = finish(path, form, Vec::new(), diags, Format::Xlsx, Encoding::Utf8)?;
    parsed.self_evaluations = all;
    Ok(parsed)
}

/// A read 监控表: no declaration, its values to date, and a note saying what to do with them.
fn finish_monitoring(
    path: &str,
    sheets: Vec<self_eval::MonitoringSheet>,
    mut diags: Vec<Diagnostic>,
    format: Format,
    encoding: Encoding,
) -> Result<Parsed, FormError> {
    diags.push(Diagnostic::note(
        1,
        1,
        format!(
            "这是项目支出绩效运行监控表（{} 个项目），不是申报表：用 jixiao import 录入其截至目前完成值",
            sheets.len()
        ),
        format!(
            "this is a monitoring table (项目支出绩效运行监控表, {} project(s)), not a declaration: jixiao import records its values to date",
            sheets.len()
        ),
    ));
    let form = Form {
        format: jixiao_model::FORM_FORMAT.to_string(),
        title: None,
        projects: Vec::new(),
    };
    let mut parsed = finish(path, form, Vec::new(), diags, format, encoding)?;
    parsed.monitoring = sheets;
    Ok(parsed)
}

/// Sorts the diagnostics and fails on any error.
fn finish(
    path: &str,
    form: Form,
    mut notes: Vec<Diagnostic>,
    mut diags: Vec<Diagnostic>,
    format: Format,
    encoding: Encoding,
) -> Result<Parsed, FormError> {
    notes.append(&mut diags);
    notes.sort_by_key(|d| (d.level, d.page, d.line, d.column));
    if notes.iter().any(|d| d.level == Level::Error) {
        return Err(FormError {
            path: path.to_string(),
            diagnostics: notes,
        });
    }
    Ok(Parsed {
        form,
        diagnostics: notes,
        format,
        encoding,
        self_evaluations: Vec::new(),
        monitoring: Vec::new(),
    })
}

/// Names the sheet and cell in each message of a workbook read (`申报表!D17：…`), since a line
/// and column pair means little to someone looking at Excel.
fn name_cells(sheet: &str, diags: &mut [Diagnostic]) {
    let quoted = if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    for d in diags {
        if d.line == 0 || d.column == 0 {
            continue;
        }
        let at = format!("{quoted}!{}", cell_ref(d.line, d.column));
        d.zh = format!("{at}：{}", d.zh);
        d.en = format!("{at}: {}", d.en);
    }
}

/// `D17` for line 17, column 4 (both from 1).
fn cell_ref(line: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{line}", letters.into_iter().collect::<String>())
}

/// Amounts in 元 to at least two decimals (分), as the form prints them. An XLSX money cell holds
/// a binary number (360000) whose `#,##0.00` display `calamine` does not report, so without
/// this a workbook would read `360000` where its CSV or text export reads `360000.00`.
fn money_to_fen(form: &mut Form) {
    let fen = |d: &mut jixiao_model::Decimal| {
        if d.scale() < 2 {
            d.rescale(2);
        }
    };
    for p in &mut form.projects {
        let f = &mut p.funds;
        for d in [&mut f.total, &mut f.fiscal, &mut f.carryover, &mut f.other] {
            fen(d);
        }
        if let Some(pf) = p.project_funds.as_mut() {
            for d in [&mut pf.total, &mut pf.fiscal, &mut pf.other] {
                fen(d);
            }
        }
        for t in p.tasks.iter_mut().filter_map(|t| t.funds.as_mut()) {
            for d in [&mut t.total, &mut t.fiscal, &mut t.other] {
                fen(d);
            }
        }
        if let Some(s) = p
            .department_targets
            .as_mut()
            .and_then(|d| d.spending.as_mut())
        {
            for d in [&mut s.basic, &mut s.project] {
                fen(d);
            }
        }
    }
}
