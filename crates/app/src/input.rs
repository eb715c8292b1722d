//! 上传 — input as bytes with a name, and what is read from it without a database: forms,
//! rows of actuals and spending (CSV or XLSX), review and evaluation policies.
//!
//! A web upload has no path, so every use case takes an [`Upload`]; the CLI reads its files into
//! one ([`Upload::read`]). The name is what messages quote (`name:line:column`).

use std::path::Path;

use jixiao_evaluate as evaluate;
use jixiao_form::{Diagnostic, FormError, Parsed};

use crate::error::{AppError, Invalid};
use crate::message::Message;

/// 上传文件 — an input: its bytes and the name messages call it by (a path, or the file name
/// a browser sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The name, as messages quote it.
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl Upload {
    /// An upload from its name and bytes.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Upload {
        Upload {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// Reads a local file; the path becomes the name. A missing file is
    /// [`AppError::NotFound`], an unreadable one [`AppError::Invalid`].
    pub fn read(path: &Path) -> Result<Upload, AppError> {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => Ok(Upload { name, bytes }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(AppError::NotFound(Message::NoSuchFile { file: name }))
            }
            Err(e) => Err(AppError::invalid(Message::UnreadableFile {
                file: name,
                cause: e.to_string(),
            })),
        }
    }

    /// The content as text (UTF-8, UTF-16 or GBK, as the form reader decodes it).
    fn text(&self) -> Result<String, AppError> {
        jixiao_form::decode::decode(&self.bytes)
            .map(|(text, _)| text)
            .map_err(|d| self.diagnostic(d))
    }

    fn diagnostic(&self, d: Diagnostic) -> AppError {
        FormError {
            path: self.name.clone(),
            diagnostics: vec![d],
        }
        .into()
    }
}

/// Reads a form (申报表) of any supported format, without a database.
pub fn parse_form(upload: &Upload) -> Result<Parsed, AppError> {
    Ok(jixiao_form::read_form(&upload.name, &upload.bytes)?)
}

/// Reads a form file (a convenience over [`parse_form`] for local files).
pub fn parse_file(path: &Path) -> Result<Parsed, AppError> {
    parse_form(&Upload::read(path)?)
}

/// Splits a CSV (as Excel and WPS save it), tab-separated text or XLSX workbook into rows for
/// the row parsers of `jixiao-evaluate`: header first, blank rows dropped, each row with its
/// line (text) or Excel row number. An old `.xls` is refused with a hint.
pub fn read_rows(upload: &Upload) -> Result<Vec<evaluate::Row>, AppError> {
    let bytes = &upload.bytes;
    let fail = |d| upload.diagnostic(d);
    let grid = if jixiao_form::xlsx::is_zip(bytes) {
        jixiao_form::xlsx::grid_from_xlsx(bytes).map_err(fail)?
    } else if bytes.starts_with(jixiao_form::xlsx::OLE_MAGIC) {
        return Err(fail(jixiao_form::xlsx::ole_error()));
    } else {
        let text = upload.text()?;
        if jixiao_form::detect_format(&text) == jixiao_form::Format::Text {
            jixiao_form::grid::Grid::from_tsv(&text)
        } else {
            jixiao_form::grid::Grid::from_csv(&text).map_err(fail)?
        }
    };
    Ok(grid
        .rows
        .into_iter()
        .filter(|r| !r.is_blank())
        .map(|r| evaluate::Row {
            line: r.line,
            cells: r.cells.into_iter().map(|c| c.text).collect(),
        })
        .collect())
}

/// Row errors of `jixiao-evaluate` as [`AppError::Invalid`]; other errors of that crate are
/// said as they are.
pub(crate) fn rows_error(source: &str, e: evaluate::Error) -> AppError {
    match e {
        evaluate::Error::Rows(errors) => AppError::Invalid(Invalid::Rows {
            source: source.to_string(),
            errors,
        }),
        other => AppError::invalid(Message::RowsNotRecorded {
            source: source.to_string(),
            cause: other.to_string(),
        }),
    }
}

/// 审核规则 — a built-in review policy by name (`central`, `shanghai`).
pub fn builtin_review_policy(name: &str) -> Result<jixiao_review::Policy, AppError> {
    jixiao_review::Policy::builtin(name).ok_or_else(|| {
        AppError::invalid(Message::UnknownPolicy {
            name: name.to_string(),
        })
    })
}

/// 审核规则 — a review policy from an uploaded TOML file.
pub fn review_policy(upload: &Upload) -> Result<jixiao_review::Policy, AppError> {
    let text = upload.text()?;
    jixiao_review::Policy::from_toml(&text).map_err(|e| {
        AppError::invalid(Message::BadReviewPolicy {
            file: upload.name.clone(),
            cause: e.to_string(),
        })
    })
}

/// 审核规则 — a built-in name, or else the path of a TOML file (what `jixiao check --policy`
/// takes).
pub fn load_review_policy(spec: &str) -> Result<jixiao_review::Policy, AppError> {
    if let Some(p) = jixiao_review::Policy::builtin(spec) {
        return Ok(p);
    }
    match Upload::read(Path::new(spec)) {
        Ok(upload) => review_policy(&upload),
        Err(AppError::NotFound(_)) => builtin_review_policy(spec),
        Err(e) => Err(e),
    }
}

/// 评价参数 — the built-in monitoring and scoring policy, or one from an uploaded TOML file.
pub fn eval_policy(upload: Option<&Upload>) -> Result<evaluate::Policy, AppError> {
    let Some(upload) = upload else {
        return Ok(evaluate::Policy::builtin());
    };
    let text = upload.text()?;
    evaluate::Policy::from_toml(&text).map_err(|e| {
        AppError::invalid(Message::BadEvalPolicy {
            file: upload.name.clone(),
            cause: e.to_string(),
        })
    })
}

/// 评价参数 from a local TOML file, or the built-in one.
pub fn load_eval_policy(path: Option<&Path>) -> Result<evaluate::Policy, AppError> {
    match path {
        None => eval_policy(None),
        Some(p) => eval_policy(Some(&Upload::read(p)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn csv_rows_keep_their_lines_and_drop_blank_rows() {
        let u = Upload::new(
            "a.csv",
            "project,date,amount\n\nP,2024-01-02,\"1,000.00\"\n",
        );
        let rows = read_rows(&u).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].cells, ["P", "2024-01-02", "1,000.00"]);
    }

    #[test]
    fn an_old_xls_is_refused_with_its_name() {
        let mut bytes = jixiao_form::xlsx::OLE_MAGIC.to_vec();
        bytes.extend_from_slice(&[0; 64]);
        let e = read_rows(&Upload::new("old.xls", bytes)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.to_string().contains("old.xls:"), "{e}");
    }

    #[test]
    fn policies_by_name_or_upload() {
        assert!(load_review_policy("shanghai").is_ok());
        let e = load_review_policy("no-such-policy").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.to_string().contains("未知的审核规则"), "{e}");
        let e = review_policy(&Upload::new("p.toml", "this is = = not toml")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.to_string().contains("p.toml"), "{e}");
        assert!(eval_policy(None).is_ok());
        let e = eval_policy(Some(&Upload::new("e.toml", "[[["))).unwrap_err();
        assert!(e.to_string().contains("e.toml"), "{e}");
    }
}
