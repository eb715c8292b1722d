//! 接口文档 — what the OpenAPI document (`GET /api/openapi.json`) is derived from with
//! `utoipa`, besides the handlers' own types (their `Deserialize` request bodies, the answers
//! of `crate::view::json` and the error body of `crate::error`, each with `ToSchema`): the
//! answers every route of a kind may give, and the upload. The document itself is gathered
//! from the handlers' `#[utoipa::path]` in `crate::doc`; a test (`tests/openapi_statuses.rs`)
//! sends every operation the requests a client gets wrong and right, and checks that each
//! status the server answers is listed.
#![allow(dead_code)]

use utoipa::{IntoResponses, ToSchema};

use crate::error::ErrorBody;

/// What a read of a declaration may answer besides its 200.
#[derive(IntoResponses)]
pub enum Reading {
    /// 查询参数无法读取 / the query string does not read.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// 未登录 / no session.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// 不存在或无权查看 / no such declaration, or another unit's.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// 参数有误 / a parameter does not read (a date, a page number).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// What a state change may answer besides its 200 or 201.
#[derive(IntoResponses)]
pub enum Changing {
    /// 请求体不是 JSON / the body is not JSON.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// 未登录 / no session.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// 角色不允许；CSRF；其他来源 / the role may not; CSRF token missing or wrong; foreign
    /// Origin.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// 不存在或无权查看 / no such declaration, or another unit's.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// 状态不允许（错误信息写明当前状态），或编辑冲突（details）/ the status does not allow
    /// it (the message names it), or a stale edit (details: who saved, when, what changed).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// 请求体过大 / the body is over the limit.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// 请求体应为 JSON（Content-Type: application/json）/ not `application/json`.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// 输入有误，diagnostics 写明字段与列 / invalid input: diagnostics name the field and
    /// column.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// An upload: the file in the multipart field `file`.
#[derive(ToSchema)]
pub struct UploadDoc {
    /// The form file (text, CSV, XLSX, JSON, PDF, DOCX, HTML, XLS).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}
