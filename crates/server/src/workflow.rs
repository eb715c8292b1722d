//! 流程 — the workflow of a declaration: 提交, 退回 (with a comment), 批准, 调整, its state
//! and the review comments, as JSON (`/api/projects/{id}/submit|return|approve|adjust|workflow|
//! comments`) and as the forms of the declaration page (`/projects/{id}/submit|return|approve|
//! comment`). The app decides whether the actor may: a refused form is the declaration page
//! again with the message, nothing changed; done, it redirects (303) to
//! `/projects/{id}?done=…`.

use axum::extract::{Path, Request, State as S};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::workflow::{project_from_json, TransitionResult};
use jixiao_app::AppError;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::declarations::overview::show;
use crate::declarations::save_json;
use crate::error::{Error, Result};
use crate::extract::{project_id, Authed, Body, CsrfField, PageUser, Posted, ProjectId};
use crate::state::{AppState, State};
use crate::view::PageResult;

/// The routes of the workflow.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/projects/{id}/workflow", get(state))
        .route("/api/projects/{id}/submit", post(submit))
        .route("/api/projects/{id}/return", post(return_))
        .route("/api/projects/{id}/approve", post(approve))
        .route("/api/projects/{id}/adjust", post(adjust))
        .route("/api/projects/{id}/comments", get(comments).post(comment))
        .route("/projects/{id}/submit", post(submit_form))
        .route("/projects/{id}/return", post(give_back))
        .route("/projects/{id}/approve", post(approve_form))
        .route("/projects/{id}/comment", post(comment_form))
}

fn transition_json(r: &TransitionResult) -> Value {
    let t = &r.transition;
    json!({
        "from": t.from.id(),
        "to": t.to.id(),
        "status": t.to.id(),
        "status_zh": t.to.zh(),
        "version": t.version,
        "at": t.at,
        "review": r.review.to_json(),
        "review_errors": r.review.count(jixiao_model::Severity::Error),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    base_version: i64,
    /// A declaration as canonical JSON (docs/form-json.md); amounts are decimal strings as
    /// written.
    #[schema(value_type = Object)]
    project: Value,
    reason: String,
}

/// `POST /api/projects/{id}/adjust` — 调整 of an approved declaration.
#[utoipa::path(post, path = "/api/projects/{id}/adjust", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "调整已批准的申报（须说明原因）/ adjust an approved declaration: a new version back to submitted", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = Adjustment, responses((status = 200, description = "{id, version, status: submitted, changed, change, warnings}"), crate::openapi::Changing))]
pub async fn adjust(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    Body(body): Body<Adjustment>,
) -> Result<Json<Value>> {
    let project = project_from_json(body.project)?;
    let r = state
        .app
        .adjust(
            &a.session.actor,
            id,
            body.base_version,
            project,
            &body.reason,
        )
        .await?;
    Ok(Json(save_json(&r)))
}

/// `GET /api/projects/{id}/workflow` — status, current and approved versions.
#[utoipa::path(get, path = "/api/projects/{id}/workflow", tag = "workflow", summary = "流程状态 / status, current_version, approved_version, editable", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "OK"), crate::openapi::Reading))]
pub async fn state(S(state): AppState, a: Authed, ProjectId(id): ProjectId) -> Result<Json<Value>> {
    let w = state.app.workflow(&a.session.actor, id).await?;
    Ok(Json(json!({
        "status": w.status.id(),
        "status_zh": w.status.zh(),
        "current_version": w.current_version,
        "approved_version": w.approved_version,
        "editable": w.status.is_editable(),
    })))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    #[serde(default)]
    comment: Option<String>,
}

/// An optional JSON body (a transition may come with none).
async fn optional_body(req: Request) -> Result<TransitionBody> {
    let bytes = axum::body::to_bytes(req.into_body(), 1024 * 1024)
        .await
        .map_err(|_| Error::body_too_large())?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(TransitionBody::default());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::bad_request(
            format!("请求体应为 JSON：{{\"comment\": …}}（{e}）"),
            format!("the body is JSON {{\"comment\": …}} ({e})"),
        )
    })
}

/// A workflow transition asked for over the API.
enum Transition {
    Submit,
    Return,
    Approve,
}

/// The three transitions share their request (an optional `{"comment"}` body) and answer;
/// only the use case called differs (its rules — a return needs a comment — are `app`'s).
async fn transition(
    state: State,
    a: Authed,
    id: i64,
    req: Request,
    kind: Transition,
) -> Result<Json<Value>> {
    let body = optional_body(req).await?;
    let actor = &a.session.actor;
    let comment = body.comment.as_deref();
    let r = match kind {
        Transition::Submit => state.app.submit(actor, id).await?,
        Transition::Return => {
            state
                .app
                .return_declaration(actor, id, comment.unwrap_or(""))
                .await?
        }
        Transition::Approve => state.app.approve(actor, id, comment).await?,
    };
    Ok(Json(transition_json(&r)))
}

/// `POST /api/projects/{id}/submit`.
#[utoipa::path(post, path = "/api/projects/{id}/submit", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "提交（草稿、退回 → 已提交）/ submit; the review comes back", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body(content = TransitionBody, description = "optional"), responses((status = 200, description = "{from, to, status, version, at, review, review_errors}"), crate::openapi::Changing))]
pub async fn submit(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    req: Request,
) -> Result<Json<Value>> {
    transition(state, a, id, req, Transition::Submit).await
}

/// `POST /api/projects/{id}/return` — `{"comment"}` required.
#[utoipa::path(post, path = "/api/projects/{id}/return", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "退回（须填意见）/ return with a comment (required)", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = TransitionBody, responses((status = 200, description = "{from, to, status, version, at, review}"), crate::openapi::Changing))]
pub async fn return_(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    req: Request,
) -> Result<Json<Value>> {
    transition(state, a, id, req, Transition::Return).await
}

/// `POST /api/projects/{id}/approve` — `{"comment"}` optional.
#[utoipa::path(post, path = "/api/projects/{id}/approve", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "批准 / approve", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body(content = TransitionBody, description = "optional"), responses((status = 200, description = "{from, to, status, version, at, review}"), crate::openapi::Changing))]
pub async fn approve(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    req: Request,
) -> Result<Json<Value>> {
    transition(state, a, id, req, Transition::Approve).await
}

fn comment_json(c: &jixiao_app::Comment) -> Value {
    json!({
        "id": c.id,
        "version": c.version,
        "indicator_id": c.indicator_id,
        "author": c.author,
        "at": c.at,
        "text": c.body,
        "transition": c.transition.map(|t| t.id()),
    })
}

/// `GET /api/projects/{id}/comments`.
#[utoipa::path(get, path = "/api/projects/{id}/comments", tag = "workflow", summary = "审核意见 / the comments: {items}", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "{items: [{id, version, indicator_id, author, at, text, transition}]}"), crate::openapi::Reading))]
pub async fn comments(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
) -> Result<Json<Value>> {
    let items = state.app.comments(&a.session.actor, id).await?;
    Ok(Json(json!({
        "items": items.iter().map(comment_json).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    text: String,
    #[serde(default)]
    indicator_id: Option<i64>,
}

/// `POST /api/projects/{id}/comments` — `{"text", "indicator_id"?}`: 201.
#[utoipa::path(post, path = "/api/projects/{id}/comments", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "添加审核意见（申报或指标）/ comment on the declaration or an indicator", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = NewComment, responses((status = 201, description = "the comment"), crate::openapi::Changing))]
pub async fn comment(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    Body(body): Body<NewComment>,
) -> Result<Response> {
    let c = state
        .app
        .comment(&a.session.actor, id, body.indicator_id, &body.text)
        .await?;
    Ok((StatusCode::CREATED, Json(comment_json(&c))).into_response())
}

/// The form of every workflow action (`comment` and `indicator` where they apply).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// The comment (退回: required; 批准: optional; 意见: required).
    #[serde(default)]
    comment: String,
    /// The indicator's stable id a comment is about; empty for the whole declaration.
    #[serde(default)]
    indicator: String,
}

impl CsrfField for ActionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn finish(
    state: &State,
    user: &PageUser,
    id: i64,
    done: &str,
    r: Result<(), AppError>,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}?done={done}")).into_response()),
        Err(e) => show(state, user, id, Some(e.into()), None).await,
    }
}

/// `POST /projects/{id}/submit`.
pub async fn submit_form(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, .. }: Posted<ActionForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let r = state.app.submit(user.actor(), id).await.map(drop);
    finish(&state, &user, id, "submitted", r).await
}

/// `POST /projects/{id}/return` (`comment` required).
pub async fn give_back(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActionForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let r = state
        .app
        .return_declaration(user.actor(), id, &form.comment)
        .await
        .map(drop);
    finish(&state, &user, id, "returned", r).await
}

/// `POST /projects/{id}/approve` (`comment` optional).
pub async fn approve_form(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActionForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let r = state
        .app
        .approve(user.actor(), id, Some(form.comment.as_str()))
        .await
        .map(drop);
    finish(&state, &user, id, "approved", r).await
}

/// `POST /projects/{id}/comment` (`comment` required, `indicator` an indicator id or empty).
pub async fn comment_form(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActionForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let indicator = match form.indicator.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = AppError::invalid(jixiao_app::Message::NotAnIndicatorId {
                    text: t.to_string(),
                });
                return show(&state, &user, id, Some(e.into()), None).await;
            }
        },
    };
    let r = state
        .app
        .comment(user.actor(), id, indicator, &form.comment)
        .await
        .map(drop);
    finish(&state, &user, id, "commented", r).await
}
