//! # jixiao-server — the web front end
//!
//! This crate owns everything HTTP: the routes of the JSON API under `/api/`, the session
//! cookie, CSRF and origin checks, the login rate limit, the body limit, the one error body
//! ([`ApiError`]) and the OpenAPI document (`/api/openapi.json`). It calls `jixiao_app` only;
//! who may read or change what is decided there, never here (another unit's declaration is a
//! 404 because `app` says `NotFound`).
//!
//! The HTML pages (askama templates, embedded assets, CSRF-checked forms) are in the `pages`
//! module; they call the same `jixiao_app` use cases as the API.
//!
//! **Statuses**: `AppError` kinds map as documented in `jixiao_app` (422 invalid, 404 not
//! found, 400 ambiguous, 401 unauthenticated, 403 forbidden, 409 conflict, 503 unavailable,
//! 500 internal); this crate adds 401 without a session, 403 for a missing CSRF token or a
//! foreign `Origin`, 413 for a body over the limit, 415 for a request that is not the
//! expected content type, 429 for too many failed logins, and 503 with `Retry-After` when
//! the parse pool is busy.
//!
//! **Hardening** (every answer, see [`harden`]): a Content-Security-Policy that allows only
//! this site's scripts and styles and no framing, `X-Frame-Options: DENY`,
//! `Referrer-Policy: same-origin`, `X-Content-Type-Options: nosniff`, `Cache-Control:
//! no-store`; an error answer that is not the one error body (an extractor's plain-text
//! rejection) is rewritten into it. Uploads are parsed on a bounded pool off the request
//! threads ([`ParsePool`]); the login limit, sessions and previews live in the database, so
//! several servers may share one.
#![deny(missing_docs)]

pub mod auth;
pub mod demo;
mod error;
mod openapi;
mod pages;
mod pool;
mod reports;
mod workflow;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, Query, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::{Actor, App, Upload};
use jixiao_model::Project;
use serde::Deserialize;
use serde_json::{json, Value};

use auth::{check_origin, Authed};
pub use error::ApiError;
pub use jixiao_app::accounts::{LoginLimits, PreviewBounds};
pub use pool::{Held, ParsePool};

/// The largest request body accepted by default (an upload): 20 MB.
pub const DEFAULT_BODY_LIMIT: usize = 20 * 1024 * 1024;

/// The most items a page of a list holds.
pub const MAX_PER_PAGE: usize = 200;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The review policy of import previews (审核规则).
    pub review_policy: jixiao_review::Policy,
    /// The monitoring and self-evaluation policy.
    pub eval_policy: jixiao_evaluate::Policy,
    /// The largest request body, in bytes.
    pub body_limit: usize,
    /// Mark the session cookie `Secure` (behind TLS); the `Origin` of a state change must
    /// then be `https://`.
    pub secure_cookies: bool,
    /// The login rate limit (per user name and per client address).
    pub login_limits: LoginLimits,
    /// How many previewed uploads wait for their commit, and how long.
    pub previews: PreviewBounds,
    /// Where uploads are parsed: at most this many at once, off the request threads.
    pub parse_pool: ParsePool,
    /// The zone every time on a page is shown in (default Asia/Shanghai, 北京时间).
    pub time_zone: jixiao_model::present::Zone,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            review_policy: jixiao_review::Policy::builtin("central")
                .expect("the built-in central policy exists"),
            eval_policy: jixiao_evaluate::Policy::builtin(),
            body_limit: DEFAULT_BODY_LIMIT,
            secure_cookies: false,
            login_limits: LoginLimits::default(),
            previews: jixiao_app::accounts::default_preview_bounds(),
            parse_pool: ParsePool::default(),
            time_zone: jixiao_model::present::DEFAULT_ZONE,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct State {
    app: App,
    options: Arc<Options>,
}

/// The routes, ready to serve (with client addresses: see [`serve`]).
pub fn router(app: App, options: Options) -> Router {
    let limit = options.body_limit;
    let state = State {
        app,
        options: Arc::new(options),
    };
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route(
            "/api/session",
            get(session_get).post(session_post).delete(session_delete),
        )
        .route("/api/projects", get(projects_list).post(workflow::create))
        .route("/api/projects/{id}", get(project_get).put(workflow::save))
        .route("/api/projects/{id}/workflow", get(workflow::state))
        .route("/api/projects/{id}/submit", post(workflow::submit))
        .route("/api/projects/{id}/return", post(workflow::return_))
        .route("/api/projects/{id}/approve", post(workflow::approve))
        .route("/api/projects/{id}/adjust", post(workflow::adjust))
        .route(
            "/api/projects/{id}/comments",
            get(workflow::comments).post(workflow::comment),
        )
        .route(
            "/api/projects/{id}/notes",
            get(workflow::notes).put(workflow::set_notes),
        )
        .route(
            "/api/projects/{id}/notes/history",
            get(workflow::notes_history),
        )
        .route("/api/projects/{id}/actuals", post(workflow::actual))
        .route(
            "/api/projects/{id}/actuals/retract",
            post(workflow::retract_actual),
        )
        .route("/api/projects/{id}/spending", post(workflow::spending))
        .route(
            "/api/projects/{id}/spending/retract",
            post(workflow::retract_spending),
        )
        .route("/api/targets/check", post(workflow::check_target))
        .route("/api/drafts/check", post(workflow::check_draft))
        .route("/api/projects/{id}/evaluation", get(project_evaluation))
        .route("/api/projects/{id}/monitoring", get(project_monitoring))
        .route("/api/projects/{id}/audit", get(project_audit))
        .route("/api/imports", post(imports_post))
        .route("/api/reports/{kind}", get(report_get))
        .merge(pages::routes())
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(harden))
        .with_state(state)
}

/// Serves the API on a bound listener until the process is stopped (Ctrl-C ends it
/// gracefully).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    options: Options,
) -> std::io::Result<()> {
    let router = router(app, options);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

type ApiResult<T> = Result<T, ApiError>;

async fn openapi_json() -> Json<Value> {
    Json(openapi::document())
}

/// Unknown routes: 401 without a session (nothing is told about what exists), else 404.
async fn fallback_inner(state: &State, headers: &HeaderMap) -> ApiError {
    let signed_in = match auth::session_token(headers) {
        Some(t) => matches!(state.app.session(&t).await, Ok(Some(_))),
        None => false,
    };
    if signed_in {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "没有这个地址；GET /api/openapi.json 列出全部接口",
            "no such route; GET /api/openapi.json lists them all",
        )
    } else {
        ApiError::unauthenticated()
    }
}

/// A known route with another method: 401 without a session, else 405.
async fn method_not_allowed(
    axum::extract::State(state): axum::extract::State<State>,
    headers: HeaderMap,
) -> ApiError {
    let e = fallback_inner(&state, &headers).await;
    if e.status == StatusCode::NOT_FOUND {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "此地址不支持该请求方法；GET /api/openapi.json 列出全部接口",
            "this route does not take that method; GET /api/openapi.json lists them all",
        );
    }
    e
}

/// The Content-Security-Policy of every answer: scripts and styles of this site only (the
/// pages have no inline script; `style` attributes are allowed, nothing else inline), forms
/// posted here only, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Every answer: the security headers, `no-store` unless the answer says otherwise (the
/// content-hashed assets), and an error that is not the one body (JSON for `/api/`, the
/// error page otherwise) rewritten into it — an extractor's plain-text rejection never
/// reaches a user.
async fn harden(req: Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = pages::lang_of(req.headers());
    let mut r = next.run(req).await;
    let status = r.status();
    let ours = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
    if (status.is_client_error() || status.is_server_error()) && !ours {
        let retry = r.headers().get(header::RETRY_AFTER).cloned();
        let text = axum::body::to_bytes(std::mem::take(r.body_mut()), 4096)
            .await
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .unwrap_or_default();
        let e = one_error(status, &text);
        r = if api {
            e.into_response()
        } else {
            pages::error_page(lang, e)
        };
        if let Some(v) = retry {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    let h = r.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    ] {
        h.insert(name, header::HeaderValue::from_static(value));
    }
    r
}

/// The one error body for an answer some layer wrote as plain text.
fn one_error(status: StatusCode, text: &str) -> ApiError {
    if status.is_server_error() {
        return ApiError::from(jixiao_app::AppError::internal(format!("{status}: {text}")));
    }
    let detail = if text.is_empty() {
        String::new()
    } else {
        format!("：{text}")
    };
    let detail_en = if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    };
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => "bad_request",
    };
    ApiError::new(
        status,
        code,
        format!("请求无法处理（{}）{detail}", status.as_u16()),
        format!(
            "the request cannot be handled ({}){detail_en}",
            status.as_u16()
        ),
    )
}

/// The query parameters, or the one error body when the query string does not read.
struct Params(HashMap<String, String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Params, ApiError> {
        match Query::<HashMap<String, String>>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(Params(q)),
            Err(e) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("查询参数无法读取：{}", e.body_text()),
                format!("the query string cannot be read: {}", e.body_text()),
            )),
        }
    }
}

async fn fallback(
    axum::extract::State(state): axum::extract::State<State>,
    headers: HeaderMap,
) -> ApiError {
    fallback_inner(&state, &headers).await
}

fn session_json(s: &jixiao_app::Session) -> Value {
    json!({
        "user": s.actor.name,
        "role": s.actor.role.id(),
        "role_zh": s.actor.role.zh(),
        "unit": s.actor.unit,
        "department": s.actor.department,
        "csrf_token": s.csrf_token,
        "expires_at": s.expires_at,
    })
}

async fn session_get(a: Authed) -> Json<Value> {
    Json(session_json(&a.session))
}

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

async fn session_post(
    axum::extract::State(state): axum::extract::State<State>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<Login>, JsonRejection>,
) -> ApiResult<Response> {
    check_origin(&headers, state.options.secure_cookies)?;
    let Json(login) = body.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!(
                "登录请求应为 JSON：{{\"username\": …, \"password\": …}}（{}）",
                e.body_text()
            ),
            format!(
                "a login is JSON {{\"username\": …, \"password\": …}} ({})",
                e.body_text()
            ),
        )
    })?;
    let (new, cookie) = auth::sign_in(&state, &login.username, &login.password, addr.ip()).await?;
    Ok((
        StatusCode::OK,
        [(header::SET_COOKIE, cookie)],
        Json(session_json(&new.session)),
    )
        .into_response())
}

async fn session_delete(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
) -> ApiResult<Response> {
    state.app.end_session(&a.token).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            auth::clear_cookie(state.options.secure_cookies),
        )],
    )
        .into_response())
}

/// `page` and `per_page` of a query, checked.
fn paging(q: &HashMap<String, String>) -> ApiResult<(usize, usize)> {
    let read = |name: &str, default: usize, max: usize| -> ApiResult<usize> {
        match q.get(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::invalid(
                    format!("参数 {name}=「{v}」无效：应为 1 到 {max} 的整数"),
                    format!("invalid {name}={v:?}: give a whole number from 1 to {max}"),
                )),
            },
        }
    };
    Ok((
        read("page", 1, usize::MAX)?,
        read("per_page", 50, MAX_PER_PAGE)?,
    ))
}

async fn projects_list(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Params(q): Params,
) -> ApiResult<Json<Value>> {
    let (page, per_page) = paging(&q)?;
    let (rows, total) = state
        .app
        .list_page(
            &a.session.actor,
            &jixiao_app::DashboardFilter::default(),
            page,
            Some(per_page),
        )
        .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "year": s.key.year,
                "unit": s.key.unit,
                "name": s.key.name,
                "department": s.department,
                "status": s.status.id(),
                "status_zh": s.status.zh(),
                "version": s.version,
                "funds_total": s.funds_total.to_string(),
                "indicators": s.indicators,
            })
        })
        .collect();
    Ok(Json(json!({
        "items": items, "page": page, "per_page": per_page, "total": total,
    })))
}

/// The project of a path id the actor may read; anything else is 404.
async fn project_of(state: &State, actor: &Actor, id: &str) -> ApiResult<Project> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到编号为「{id}」的项目（编号是整数）"),
            format!("no project with id {id:?} (ids are whole numbers)"),
        ));
    };
    Ok(state.app.project_by_id(actor, id).await?)
}

fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

async fn project_get(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<Project>> {
    Ok(Json(project_of(&state, &a.session.actor, &id).await?))
}

/// `GET /api/reports/{kind}?year=&unit=&department=&project=&as_of=&format=xlsx|pdf`: a
/// report of the declarations the session's actor may read, as a file.
async fn report_get(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Path(kind): Path<String>,
    Params(q): Params,
) -> ApiResult<Response> {
    let kind = reports::kind_of(&kind)?;
    let format = reports::FileFormat::of(&q)?;
    let this_year = jixiao_model::Datelike::year(&pages::today(state.options.time_zone));
    let sel = reports::selection(&q, this_year)?;
    Ok(reports::download(&state, &a.session.actor, kind, &sel, format).await?)
}

async fn project_evaluation(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let actor = &a.session.actor;
    let p = project_of(&state, actor, &id).await?;
    let e = state
        .app
        .evaluate(actor, &p, &state.options.eval_policy)
        .await?;
    let text = jixiao_evaluate::evaluation_json(&e).map_err(jixiao_app::AppError::internal)?;
    // A score exists only when something was scored: `state` says which, and with no actual
    // value and nothing spent `total` and `grade` are null rather than "0.00 差".
    let mut v: Value = serde_json::from_str(&text).map_err(jixiao_app::AppError::internal)?;
    let state = e.state();
    v["state"] = json!(state);
    if state == jixiao_evaluate::ScoreState::NoActuals {
        v["total"] = Value::Null;
        v["grade"] = Value::Null;
    }
    Ok(Json(v).into_response())
}

async fn project_monitoring(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Path(id): Path<String>,
    Params(q): Params,
) -> ApiResult<Response> {
    let actor = &a.session.actor;
    // The declaration first: the examples of a missing or unreadable date are in its year.
    let p = project_of(&state, actor, &id).await?;
    let year = p.year;
    let Some(raw) = q.get("as_of") else {
        return Err(ApiError::invalid(
            format!("缺少参数 as_of（截至日期，如 {year}-06-30）"),
            format!("the query parameter as_of (a date such as {year}-06-30) is missing"),
        ));
    };
    let as_of = jixiao_model::parse_date(raw).map_err(|_| {
        ApiError::invalid(
            format!("as_of=「{raw}」不是日期，应写作 {year}-06-30"),
            format!("as_of={raw:?} is not a date; write {year}-06-30"),
        )
    })?;
    let m = state
        .app
        .monitor(actor, &p, as_of, &state.options.eval_policy)
        .await?;
    let text = jixiao_evaluate::monitoring_json(&m).map_err(jixiao_app::AppError::internal)?;
    Ok(json_text(text))
}

/// A stored JSON text as a value (kept as a string if it does not parse).
fn stored_json(s: &Option<String>) -> Value {
    match s {
        None => Value::Null,
        Some(t) => serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.clone())),
    }
}

async fn project_audit(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = &a.session.actor;
    let p = project_of(&state, actor, &id).await?;
    let entries = state.app.audit(actor, &p).await?;
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                "entity": e.entity, "entity_id": e.entity_id,
                "declaration_id": e.declaration_id, "summary": e.summary,
                "before": stored_json(&e.before), "after": stored_json(&e.after),
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

fn multipart_error(e: impl std::fmt::Display, status: StatusCode, limit: usize) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return payload_too_large(limit);
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        format!("上传请求无法读取：{e}；应为 multipart/form-data，文件放在字段 file 中"),
        format!("the upload cannot be read: {e}; send multipart/form-data with the file in the field `file`"),
    )
}

fn payload_too_large(limit: usize) -> ApiError {
    let mb = if limit.is_multiple_of(1024 * 1024) {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{limit} 字节 / bytes")
    };
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("上传内容过大：超过 {mb} 的上限，未导入任何数据"),
        format!("the upload is too large: over the limit of {mb}; nothing was imported"),
    )
}

/// The `file` field of a multipart upload.
async fn upload_of(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    limit: usize,
) -> ApiResult<Upload> {
    let mut multipart = multipart.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            payload_too_large(limit)
        } else {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "导入须以 multipart/form-data 上传，文件放在字段 file 中",
                "an import is uploaded as multipart/form-data with the file in the field `file`",
            )
        }
    })?;
    let mut found = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let status = e.status();
                return Err(multipart_error(e.body_text(), status, limit));
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .file_name()
            .map(str::to_string)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "upload".to_string());
        let bytes = field.bytes().await.map_err(|e| {
            let status = e.status();
            multipart_error(e.body_text(), status, limit)
        })?;
        if found.is_some() {
            return Err(ApiError::invalid(
                "只能上传一个文件（字段 file 出现了多次）",
                "upload one file (the field `file` came more than once)",
            ));
        }
        found = Some(Upload::new(name, bytes.to_vec()));
    }
    found.ok_or_else(|| ApiError::invalid("上传中没有字段 file", "the upload has no field `file`"))
}

fn diagnostics_json(ds: &[jixiao_form::Diagnostic]) -> Vec<Value> {
    ds.iter()
        .map(|d| {
            let mut v = json!({
                "line": d.line, "column": d.column,
                "level": format!("{:?}", d.level).to_lowercase(),
                "zh": d.zh, "en": d.en,
            });
            if let Some(p) = d.page {
                v["page"] = p.into();
            }
            v
        })
        .collect()
}

fn key_json(k: &jixiao_model::ProjectKey) -> Value {
    json!({ "year": k.year, "unit": k.unit, "name": k.name })
}

async fn imports_post(
    axum::extract::State(state): axum::extract::State<State>,
    a: Authed,
    Params(q): Params,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<Value>> {
    let dry_run = match q.get("dry_run").map(|s| s.trim()) {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") | Some("") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                format!("参数 dry_run=「{other}」无效：应为 true 或 false"),
                format!("invalid dry_run={other:?}: give true or false"),
            ))
        }
    };
    let upload = upload_of(multipart, state.options.body_limit).await?;
    let actor = &a.session.actor;
    if dry_run {
        let preview = preview_off_thread(&state, actor, upload).await??;
        let files: Vec<Value> = preview
            .iter()
            .map(|jixiao_app::ImportPreview { name, parsed, review: report, updates, effects }| {
                let findings: Value = serde_json::from_str(&report.to_json_string())
                    .unwrap_or(Value::Null);
                json!({
                    "name": name,
                    "format": format!("{:?}", parsed.format).to_lowercase(),
                    "encoding": format!("{:?}", parsed.encoding).to_lowercase(),
                    "projects": parsed.form.projects.iter().map(|p| key_json(&p.key())).collect::<Vec<_>>(),
                    "updates": updates,
                    // What the commit would do to each declaration it updates (refused for its
                    // status, indicators added, changed, removed), as the commit decides it.
                    "effects": effects.iter().map(|e| json!({
                        "changes": e.changes,
                        "refusal": e.refusal.as_ref().map(|(zh, en)| json!({"message_zh": zh, "message_en": en})),
                        "added": e.added,
                        "changed": e.changed,
                        "removed": e.removed,
                    })).collect::<Vec<_>>(),
                    "form": parsed.form,
                    "diagnostics": diagnostics_json(&parsed.diagnostics),
                    "review": findings,
                })
            })
            .collect();
        return Ok(Json(json!({ "dry_run": true, "files": files })));
    }
    let (summary, parsed) = import_off_thread(&state, actor, upload).await??;
    let keys = |ks: &[jixiao_model::ProjectKey]| ks.iter().map(key_json).collect::<Vec<_>>();
    Ok(Json(json!({
        "dry_run": false,
        "added": keys(&summary.added),
        "replaced": keys(&summary.replaced),
        "unchanged": keys(&summary.unchanged),
        "diagnostics": parsed.iter().flat_map(|(_, p)| diagnostics_json(&p.diagnostics)).collect::<Vec<_>>(),
    })))
}

/// The preview of an upload, parsed on the parse pool (503 when it is busy): the use case
/// runs on a blocking thread that waits for its database calls (which declaration each
/// project would update is decided in `app`, as the commit decides it).
pub(crate) async fn preview_off_thread(
    state: &State,
    actor: &Actor,
    upload: Upload,
) -> ApiResult<Result<Vec<jixiao_app::ImportPreview>, jixiao_app::AppError>> {
    let (app, options, actor) = (state.app.clone(), state.options.clone(), actor.clone());
    let runtime = tokio::runtime::Handle::current();
    state
        .options
        .parse_pool
        .run(move || {
            runtime.block_on(app.preview_import(
                &actor,
                std::slice::from_ref(&upload),
                &options.review_policy,
            ))
        })
        .await
}

/// An import, parsed and stored on the parse pool (503 when it is busy): the use case runs
/// on a blocking thread that waits for its database calls.
pub(crate) async fn import_off_thread(
    state: &State,
    actor: &Actor,
    upload: Upload,
) -> ApiResult<
    Result<
        (
            jixiao_app::ImportSummary,
            Vec<(String, jixiao_form::Parsed)>,
        ),
        jixiao_app::AppError,
    >,
> {
    let (app, actor) = (state.app.clone(), actor.clone());
    let runtime = tokio::runtime::Handle::current();
    state
        .options
        .parse_pool
        .run(move || runtime.block_on(app.import(&actor, std::slice::from_ref(&upload))))
        .await
}
