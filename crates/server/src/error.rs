//! 错误响应 — the one error body of the API, and how [`AppError`] kinds become HTTP statuses.
//!
//! Every error, whatever produced it (a use case, a missing session, a bad upload), answers
//! `{"code", "message_zh", "message_en", "diagnostics"}`; `diagnostics` lists positioned
//! problems of a bad file (`line`, `column`, `level`, `zh`, `en`), empty otherwise.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_app::{AppError, ErrorKind, Invalid};
use serde_json::{json, Value};

/// An error answer: a status and the one body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code (`not_found`, `invalid`, `csrf`, …).
    pub code: &'static str,
    /// Chinese.
    pub message_zh: String,
    /// English.
    pub message_en: String,
    /// Positioned problems of a bad file.
    pub diagnostics: Vec<Value>,
    /// Seconds to wait before retrying (429).
    pub retry_after: Option<u64>,
    /// What a conflict is about (a stale edit: `base_version`, `current_version`,
    /// `saved_by`, `saved_at`, `changes`), written as the body's `details`.
    pub details: Option<Box<Value>>,
}

impl ApiError {
    /// An error without diagnostics.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message_zh: zh.into(),
            message_en: en.into(),
            diagnostics: Vec::new(),
            retry_after: None,
            details: None,
        }
    }

    /// 401: no session.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "未登录或会话已过期；请先登录（POST /api/session）",
            "not signed in, or the session expired; sign in first (POST /api/session)",
        )
    }

    /// 422 with a message.
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", zh, en)
    }

    /// The body, as JSON.
    pub fn body(&self) -> Value {
        let mut b = json!({
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "diagnostics": self.diagnostics,
        });
        if let Some(d) = &self.details {
            b["details"] = (**d).clone();
        }
        b
    }
}

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

/// The status of each kind (the table in `jixiao_app`'s crate documentation).
pub fn status_of(kind: ErrorKind) -> (StatusCode, &'static str) {
    match kind {
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ErrorKind::Ambiguous => (StatusCode::BAD_REQUEST, "ambiguous"),
        ErrorKind::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        ErrorKind::Conflict => (StatusCode::CONFLICT, "conflict"),
        ErrorKind::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        ErrorKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// The first line (Chinese) and the rest (English) of a two-language text.
fn split_lines(text: &str) -> (String, String) {
    match text.split_once('\n') {
        Some((zh, en)) => (zh.to_string(), en.to_string()),
        None => (text.to_string(), text.to_string()),
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let (status, code) = status_of(e.kind());
        let mut diagnostics = Vec::new();
        let mut details = None;
        let (zh, en) = match &e {
            AppError::Stale(stale) => {
                details = Some(Box::new(stale_json(stale)));
                split_lines(&e.to_string())
            }
            AppError::Invalid(Invalid::Fields(fields)) => {
                diagnostics = fields
                    .iter()
                    .map(|f| {
                        json!({
                            "field": f.field, "column": f.column, "level": "error",
                            "zh": f.zh, "en": f.en,
                        })
                    })
                    .collect();
                split_lines(&e.to_string())
            }
            AppError::NotFound { zh, en }
            | AppError::Unauthenticated { zh, en }
            | AppError::Forbidden { zh, en }
            | AppError::Conflict { zh, en }
            | AppError::Unavailable { zh, en } => (zh.clone(), en.clone()),
            AppError::Invalid(Invalid::Message { zh, en }) => (zh.clone(), en.clone()),
            AppError::Invalid(Invalid::Form(f)) => {
                diagnostics = f
                    .diagnostics
                    .iter()
                    .map(|d| {
                        let mut v = json!({
                            "source": f.path, "line": d.line, "column": d.column,
                            "level": format!("{:?}", d.level).to_lowercase(),
                            "zh": d.zh, "en": d.en,
                        });
                        if let Some(p) = d.page {
                            v["page"] = p.into();
                        }
                        v
                    })
                    .collect();
                let n = f.errors().count();
                (
                    format!("文件「{}」无法读取：{n} 处错误，未导入任何数据", f.path),
                    format!(
                        "the file {:?} cannot be read: {n} error(s); nothing was imported",
                        f.path
                    ),
                )
            }
            AppError::Invalid(Invalid::Rows { source, errors }) => {
                diagnostics = errors
                    .iter()
                    .map(|r| {
                        let (zh, en) = r.kind.messages();
                        json!({
                            "source": source, "line": r.line, "column": r.column,
                            "level": "error", "zh": zh, "en": en,
                        })
                    })
                    .collect();
                (
                    format!("「{source}」有 {} 处错误，未录入任何数据", errors.len()),
                    format!(
                        "{source:?} has {} error(s); nothing was recorded",
                        errors.len()
                    ),
                )
            }
            AppError::Internal { detail } => {
                let id = REQUEST_IDS.fetch_add(1, Ordering::Relaxed);
                eprintln!("jixiao-server: internal error #{id}: {detail}");
                let (zh, en) = split_lines(&e.to_string());
                (format!("{zh}（编号 {id}）"), format!("{en} (error #{id})"))
            }
            other => split_lines(&other.to_string()),
        };
        ApiError {
            status,
            code,
            message_zh: zh,
            message_en: en,
            diagnostics,
            retry_after: None,
            details,
        }
    }
}

/// A declaration's change (a stale edit's, a save's) as JSON: the versions, the name and funds
/// before and after, and the indicators added, removed, changed and renumbered.
pub(crate) fn change_json(c: &jixiao_app::workflow::ProjectChange) -> Value {
    json!({
        "version": c.version,
        "renamed_from": c.renamed_from,
        "funds_total": c.funds.map(|(a, b)| json!({ "before": a.to_string(), "after": b.to_string() })),
        "indicators": serde_json::to_value(&c.indicators).unwrap_or(Value::Null),
    })
}

fn stale_json(s: &jixiao_app::StaleEdit) -> Value {
    json!({
        "base_version": s.base_version,
        "current_version": s.current_version,
        "saved_by": s.saved_by,
        "saved_at": s.saved_at,
        "changes": change_json(&s.change),
    })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body())).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_documented_status() {
        let cases = [
            (ErrorKind::Invalid, 422),
            (ErrorKind::NotFound, 404),
            (ErrorKind::Ambiguous, 400),
            (ErrorKind::Unauthenticated, 401),
            (ErrorKind::Forbidden, 403),
            (ErrorKind::Conflict, 409),
            (ErrorKind::Unavailable, 503),
            (ErrorKind::Internal, 500),
        ];
        for (kind, status) in cases {
            assert_eq!(status_of(kind).0.as_u16(), status, "{kind:?}");
        }
    }

    #[test]
    fn internal_detail_stays_in_the_log() {
        let e = ApiError::from(AppError::internal("table secret_xyz is locked"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        let body = e.body().to_string();
        assert!(!body.contains("secret_xyz"), "{body}");
        assert!(e.message_zh.contains("内部错误"), "{}", e.message_zh);
        assert!(e.message_en.contains("internal error"), "{}", e.message_en);
    }
}
