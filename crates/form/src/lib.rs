//! # jixiao-form — reading and writing performance-target forms
//!
//! This crate owns the formats a 财政项目支出绩效目标申报表 travels in:
//! - the tab-separated **text export** of the official PDF/Excel form (as in `tests/data/`),
//! - **CSV** as Excel and WPS save a sheet (also GBK-encoded),
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
pub mod recognize;

pub use decode::Encoding;
pub use diag::{Diagnostic, FormError, Level};
use jixiao_model::Form;

/// The formats [`read_form`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tab-separated text export.
    Text,
    /// Comma-separated values.
    Csv,
    /// Canonical JSON.
    Json,
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
pub fn read_form(path: &str, bytes: &[u8]) -> Result<Parsed, FormError> {
    let fail = |d: Diagnostic| FormError {
        path: path.to_string(),
        diagnostics: vec![d],
    };
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
    let (form, mut diags) = match format {
        Format::Json => match json::from_str(&text) {
            Ok(f) => (f, Vec::new()),
            Err(d) => return Err(fail(d)),
        },
        Format::Text => recognize::recognize(&grid::Grid::from_tsv(&text)),
        Format::Csv => match grid::Grid::from_csv(&text) {
            Ok(g) => recognize::recognize(&g),
            Err(d) => return Err(fail(d)),
        },
    };
    notes.append(&mut diags);
    notes.sort_by_key(|d| (d.level, d.line, d.column));
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
