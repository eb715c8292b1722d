//! 错误响应 — the one error of the server, and how [`AppError`] kinds become HTTP statuses.
//!
//! Every handler, JSON or page, fails with [`Error`]. Its answer is the one JSON body
//! `{"code", "message_zh", "message_en", "diagnostics"}` (`diagnostics` lists positioned
//! problems of a bad file or field: `line`, `column`, `level`, `zh`, `en`; empty otherwise);
//! the error rides along in the answer's extensions, and the outermost layer (`crate::layers`)
//! turns it into the error page (or the login redirect) for any path outside `/api/`. A page
//! that shows a refusal beside its form (422 with the input kept) carries the same `Error`
//! into its template.
//!
//! This module imports nothing of the crate: every other module may use it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_app::{AppError, ErrorKind, Invalid};
use jixiao_model::Lang;
use serde::Serialize;
use utoipa::ToSchema;

/// A positioned problem: what the JSON body lists, and what a page shows beside a field.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    /// Where, for people (`a.csv:3:2`, `（date）`).
    pub where_: String,
    /// `error` or `warning`.
    pub level: String,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
    /// The named column or field at fault (`date`, `value`, `amount` …), for errors beside a
    /// field.
    pub column: Option<String>,
    /// The entry of the JSON body's `diagnostics`.
    body: DiagBody,
}

/// An entry of the error body's `diagnostics`: where (a file and its line, column and page;
/// a field of a typed input; a form's column) and what, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Diagnostic)]
pub struct DiagBody {
    /// The file (and worksheet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The field of a typed input (`annual_budget`, `indicators[2].raw`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The line, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The column: a number (in characters, from 1) or a named column (`date`, `amount`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<Column>,
    /// The PDF page, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// `error` or `warning`.
    pub level: String,
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

/// Where in a line: a number of characters, or a named column.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Column {
    /// In characters, from 1.
    At(u32),
    /// A named column (`date`, `value`, `amount` …).
    Named(String),
}

impl DiagBody {
    fn error(zh: &str, en: &str) -> DiagBody {
        DiagBody {
            source: None,
            field: None,
            line: None,
            column: None,
            page: None,
            level: "error".into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl Diag {
    /// A problem of a field of a typed input (`annual_budget`, `indicators[2].raw`).
    pub fn field(field: &str, column: Option<usize>, zh: &str, en: &str) -> Diag {
        let at = column.map(|c| Column::At(u32::try_from(c).unwrap_or(u32::MAX)));
        Diag {
            where_: String::new(),
            level: "error".into(),
            zh: zh.into(),
            en: en.into(),
            // A page shows it beside its field.
            column: Some(field.to_string()),
            body: DiagBody {
                field: Some(field.into()),
                column: at,
                ..DiagBody::error(zh, en)
            },
        }
    }

    /// A problem of a form field named by its column (`date`, `value`), shown beside it.
    pub fn column(column: &str, zh: String, en: String) -> Diag {
        Diag {
            where_: column.to_string(),
            level: "error".into(),
            body: DiagBody {
                column: Some(Column::Named(column.into())),
                ..DiagBody::error(&zh, &en)
            },
            zh,
            en,
            column: Some(column.to_string()),
        }
    }

    /// A diagnostic of a file read (`source:line:column`, with its page for a PDF).
    pub fn read(source: Option<&str>, d: &jixiao_app::Diagnostic) -> Diag {
        let level = format!("{:?}", d.level).to_lowercase();
        let mut where_ = source.unwrap_or_default().to_string();
        where_.push_str(&format!(":{}:{}", d.line, d.column));
        Diag {
            where_,
            body: DiagBody {
                source: source.map(str::to_string),
                line: Some(d.line),
                column: Some(Column::At(d.column)),
                page: d.page,
                level: level.clone(),
                ..DiagBody::error(&d.zh, &d.en)
            },
            level,
            zh: d.zh.clone(),
            en: d.en.clone(),
            column: None,
        }
    }

    /// An error of a row of actual values or spending (`source:line（column）`).
    fn row(source: &str, line: u32, column: Option<&str>, zh: String, en: String) -> Diag {
        let mut where_ = format!("{source}:{line}");
        if let Some(c) = column {
            where_.push_str(&format!("（{c}）"));
        }
        Diag {
            where_,
            level: "error".into(),
            body: DiagBody {
                source: Some(source.into()),
                line: Some(line),
                column: column.map(|c| Column::Named(c.into())),
                ..DiagBody::error(&zh, &en)
            },
            zh,
            en,
            column: column.map(str::to_string),
        }
    }

    /// The message in a language.
    pub fn text(&self, lang: impl Copied<Lang>) -> &str {
        lang.get().pick(&self.zh, &self.en)
    }

    /// The entry of the JSON body.
    pub fn body(&self) -> &DiagBody {
        &self.body
    }
}

/// The one error body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// `invalid`, `not_found`, `ambiguous`, `unauthenticated`, `forbidden`, `csrf`,
    /// `cross_origin`, `conflict`, `unavailable`, `internal`, `bad_request`,
    /// `method_not_allowed`, `payload_too_large`, `unsupported_media_type`,
    /// `too_many_requests`, `gone`.
    pub code: String,
    /// 中文.
    pub message_zh: String,
    /// English.
    pub message_en: String,
    /// Positioned problems (empty when the error is not about a file or a field).
    pub diagnostics: Vec<DiagBody>,
    /// A stale edit: who saved which version since, and what it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Stale>,
}

/// 编辑冲突 — the `details` of a stale edit's 409: the version the edit was based on, the
/// current one, who saved it when, and what the newer versions changed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Stale {
    pub base_version: i64,
    pub current_version: i64,
    pub saved_by: String,
    /// UTC, ISO 8601.
    pub saved_at: String,
    pub changes: Change,
}

impl From<&jixiao_app::StaleEdit> for Stale {
    fn from(s: &jixiao_app::StaleEdit) -> Stale {
        Stale {
            base_version: s.base_version,
            current_version: s.current_version,
            saved_by: s.saved_by.clone(),
            saved_at: s.saved_at.clone(),
            changes: Change::from(&s.change),
        }
    }
}

/// What a new version of a declaration changed (a save's, a stale edit's): the version, the
/// name and the funds before and after, and the indicators added, removed, changed and
/// renumbered.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Change {
    pub version: i64,
    /// The previous 项目名称, when it was renamed.
    pub renamed_from: Option<String>,
    /// 年度资金申请总额 before and after (decimal strings, 元), when it changed.
    pub funds_total: Option<BeforeAfter>,
    /// `{matched, changed, added, removed, …}` by indicator.
    #[schema(value_type = Object)]
    pub indicators: jixiao_model::IndicatorDiff,
}

/// An amount before and after, as decimal strings in 元.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BeforeAfter {
    pub before: String,
    pub after: String,
}

impl From<&jixiao_app::ProjectChange> for Change {
    fn from(c: &jixiao_app::ProjectChange) -> Change {
        Change {
            version: c.version,
            renamed_from: c.renamed_from.clone(),
            funds_total: c.funds.map(|(a, b)| BeforeAfter {
                before: a.to_string(),
                after: b.to_string(),
            }),
            indicators: c.indicators.clone(),
        }
    }
}

/// An error answer: a status, a stable code, both messages and the positioned problems.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code (`not_found`, `invalid`, `csrf`, …).
    pub code: &'static str,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
    /// Positioned problems of a bad file or field.
    pub diagnostics: Vec<Diag>,
    /// Seconds to wait before retrying (429, 503).
    pub retry_after: Option<u32>,
    /// What a conflict is about (a stale edit), written as the body's `details`.
    pub details: Option<Box<Stale>>,
    /// What failed, for the log only (an internal error): the outer layer logs it with the
    /// request id and shows the id instead.
    pub cause: Option<Box<str>>,
}

/// What a handler answers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error without diagnostics.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Error {
        Error {
            status,
            code,
            zh: zh.into(),
            en: en.into(),
            diagnostics: Vec::new(),
            retry_after: None,
            details: None,
            cause: None,
        }
    }

    /// 401: no session.
    pub fn unauthenticated() -> Error {
        Error::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "未登录或会话已过期；请先登录（POST /api/session）",
            "not signed in, or the session expired; sign in first (POST /api/session)",
        )
    }

    /// 422 with a message.
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", zh, en)
    }

    /// 422 about one form field (the `column` a row error would name), shown beside it.
    pub fn field(column: &str, zh: String, en: String) -> Error {
        let mut e = Error::invalid(
            format!("输入有误，未录入任何数据：{zh}"),
            format!("the input has an error; nothing was recorded: {en}"),
        );
        e.diagnostics = vec![Diag::column(column, zh, en)];
        e
    }

    /// 400: a request that does not read (`what` says which part, in both languages).
    pub fn bad_request(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::new(StatusCode::BAD_REQUEST, "bad_request", zh, en)
    }

    /// 404.
    pub fn not_found(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::new(StatusCode::NOT_FOUND, "not_found", zh, en)
    }

    /// 404 for a declaration id that is not a whole number.
    pub fn no_project(raw: &str) -> Error {
        Error::not_found(
            format!("未找到编号为「{raw}」的项目（编号是整数）"),
            format!("no project with id {raw:?} (ids are whole numbers)"),
        )
    }

    /// 403 with a code (`csrf`, `cross_origin`).
    pub fn forbidden(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::new(StatusCode::FORBIDDEN, code, zh, en)
    }

    /// 415: not the content type the route reads.
    pub fn unsupported_media_type(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            zh,
            en,
        )
    }

    /// 413: a body over `limit` bytes (an upload: nothing was imported).
    pub fn payload_too_large(limit: usize) -> Error {
        let mb = if limit.is_multiple_of(1024 * 1024) {
            format!("{} MB", limit / (1024 * 1024))
        } else {
            format!("{limit} 字节 / bytes")
        };
        Error::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("上传内容过大：超过 {mb} 的上限，未导入任何数据"),
            format!("the upload is too large: over the limit of {mb}; nothing was imported"),
        )
    }

    /// 413 for a JSON body.
    pub fn body_too_large() -> Error {
        Error::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "请求体过大",
            "the body is too large",
        )
    }

    /// 405.
    pub fn method_not_allowed() -> Error {
        Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "此地址不支持该请求方法；GET /api/openapi.json 列出全部接口",
            "this route does not take that method; GET /api/openapi.json lists them all",
        )
    }

    /// 429 with `Retry-After`.
    pub fn too_many_logins(retry_after: u64) -> Error {
        let retry_after = u32::try_from(retry_after).unwrap_or(u32::MAX);
        let mut e = Error::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            format!("登录失败次数过多；请 {retry_after} 秒后再试"),
            format!("too many failed logins; try again in {retry_after} s"),
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// The one error body for an answer some layer wrote as plain text.
    pub fn from_plain(status: StatusCode, text: &str) -> Error {
        if status.is_server_error() {
            return Error::from(AppError::internal(format!("{status}: {text}")));
        }
        let (detail, detail_en) = if text.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("：{text}"), format!(": {text}"))
        };
        let code = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "bad_request",
        };
        Error::new(
            status,
            code,
            format!("请求无法处理（{}）{detail}", status.as_u16()),
            format!(
                "the request cannot be handled ({}){detail_en}",
                status.as_u16()
            ),
        )
    }

    /// The message in a language.
    pub fn text(&self, lang: impl Copied<Lang>) -> &str {
        lang.get().pick(&self.zh, &self.en)
    }

    /// The message in the other language (pages show both, the page's first).
    pub fn other(&self, lang: impl Copied<Lang>) -> &str {
        lang.get().pick(&self.en, &self.zh)
    }

    /// The body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.into(),
            message_zh: self.zh.clone(),
            message_en: self.en.clone(),
            diagnostics: self.diagnostics.iter().map(|d| d.body().clone()).collect(),
            details: self.details.as_deref().cloned(),
        }
    }

    /// The JSON answer, without the marker that makes it a page outside `/api/` (the answer
    /// to an unknown route is JSON wherever it was asked).
    pub fn json_response(&self) -> Response {
        let mut r = (self.status, axum::Json(self.body())).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        r
    }
}

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

impl From<AppError> for Error {
    fn from(e: AppError) -> Error {
        let (status, code) = status_of(e.kind());
        let mut diagnostics = Vec::new();
        let mut details = None;
        let mut cause = None;
        let (zh, en) = match &e {
            AppError::Stale(stale) => {
                details = Some(Box::new(Stale::from(&**stale)));
                e.messages()
            }
            AppError::Invalid(Invalid::Fields(fields)) => {
                diagnostics = fields
                    .iter()
                    .map(|f| Diag::field(&f.field, f.column, &f.zh, &f.en))
                    .collect();
                e.messages()
            }
            AppError::Invalid(Invalid::Form(f)) => {
                diagnostics = f
                    .diagnostics
                    .iter()
                    .map(|d| Diag::read(Some(&f.path), d))
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
                        Diag::row(source, r.line, r.column, zh, en)
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
                cause = Some(detail.as_str().into());
                e.messages()
            }
            other => other.messages(),
        };
        Error {
            status,
            code,
            zh,
            en,
            diagnostics,
            retry_after: None,
            details,
            cause,
        }
    }
}

/// The mark an error leaves on its answer: outside `/api/` the outer layer shows the page.
#[derive(Debug, Clone)]
pub struct Shown(pub Error);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut r = self.json_response();
        r.extensions_mut().insert(Shown(self));
        r
    }
}

impl From<std::convert::Infallible> for Error {
    fn from(e: std::convert::Infallible) -> Error {
        match e {}
    }
}

/// A value templates pass as it is or by reference (askama borrows field arguments).
pub trait Copied<T> {
    /// The value.
    fn get(self) -> T;
}

impl<T: Copy> Copied<T> for T {
    fn get(self) -> T {
        self
    }
}

impl<T: Copy> Copied<T> for &T {
    fn get(self) -> T {
        *self
    }
}

impl<T: Copy> Copied<T> for &&T {
    fn get(self) -> T {
        **self
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

    /// An app error's one message is rendered where it is shown: both languages in the JSON
    /// body, the page's language on a page.
    #[test]
    fn an_app_error_is_rendered_in_the_language_shown() {
        let e = Error::from(AppError::NotFound(jixiao_app::Message::NoProjectWithId {
            id: 7,
        }));
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert_eq!(e.text(Lang::Zh), "未找到编号为 7 的项目");
        assert_eq!(e.text(Lang::En), "no project with id 7");
        assert_eq!(e.other(Lang::En), "未找到编号为 7 的项目");
        let body = e.body();
        assert_eq!(body.message_zh, "未找到编号为 7 的项目");
        assert_eq!(body.message_en, "no project with id 7");
    }

    #[test]
    fn internal_detail_stays_in_the_log() {
        let e = Error::from(AppError::internal("table secret_xyz is locked"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&e.body()).unwrap();
        assert!(!body.contains("secret_xyz"), "{body}");
        assert!(e.zh.contains("内部错误"), "{}", e.zh);
        assert!(e.en.contains("internal error"), "{}", e.en);
        assert_eq!(e.cause.as_deref(), Some("table secret_xyz is locked"));
    }
}
