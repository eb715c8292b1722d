//! # jixiao-form — reading and writing performance-target forms
//!
//! This crate owns the formats a 财政项目支出绩效目标申报表 travels in:
//! - the tab-separated **text export** of the official PDF/Excel form (as in `tests/data/`),
//! - **CSV** as Excel and WPS save a sheet (also GBK-encoded),
//! - **XLSX** workbooks, read ([`xlsx`]; for XLSX a diagnostic's line is the Excel row number,
//!   its column the Excel column number, A = 1, and its message starts with the sheet and cell,
//!   `申报表!D17：`) and written in the official layout ([`xlsx_write`], `docs/xlsx-layout.md`),
//! - text copied out of a PDF in the other shapes extractors write (`pdftotext -layout`, one cell
//!   per line): told by content and refused with what was seen ([`text_shapes`]),
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
pub mod grid;
pub mod json;
pub mod pdf;
pub mod recognize;
pub mod text_shapes;
pub mod xlsx;
pub mod xlsx_cells;
pub mod xlsx_write;

pub use decode::Encoding;
pub use diag::{Diagnostic, FormError, Level};
use jixiao_model::Form;
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
/// file (old .xls/.doc) is refused with a hint to save as .xlsx; anything else is decoded as
/// text and the format chosen by [`detect_format`].
pub fn read_form(path: &str, bytes: &[u8]) -> Result<Parsed, FormError> {
    let fail = |d: Diagnostic| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    };
    if xlsx::is_zip(bytes) {
        let sheet = xlsx::read_sheet(bytes).map_err(fail)?;
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
        let read = pdf::read_pdf(bytes).map_err(fail)?;
        let (form, mut diags) = recognize::recognize_cells(&read.grid);
        read.place(&mut diags);
        let notes = std::iter::once(read.pages_note())
            .chain(read.folded_note())
            .collect();
        return finish(path, form, notes, diags, Format::Pdf, Encoding::Utf8);
    }
    if bytes.starts_with(xlsx::OLE_MAGIC) {
        return Err(fail(xlsx::ole_error()));
    }
    let (text, encoding) = decode::decode(bytes).map_err(fail)?;
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
        if let Some(seen) = text_shapes::detect(&text) {
            return Err(fail(text_shapes::refusal(&seen)));
        }
    }
    let (form, diags) = match format {
        Format::Json => match json::from_str(&text) {
            Ok(f) => (f, Vec::new()),
            Err(d) => return Err(fail(d)),
        },
        // `detect_format` reads text and never says XLSX or PDF: those were read above.
        Format::Text | Format::Xlsx | Format::Pdf => {
            recognize::recognize(&grid::Grid::from_tsv(&text))
        }
        Format::Csv => match grid::Grid::from_csv(&text) {
            Ok(g) => recognize::recognize(&g),
            Err(d) => return Err(fail(d)),
        },
    };
    finish(path, form, notes, diags, format, encoding)
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
    }
}
