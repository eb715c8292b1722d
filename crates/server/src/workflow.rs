//! 流程 — the workflow of a declaration: 提交, 退回 (with a comment), 批准, 调整, its state
//! and the review comments, as JSON (`/api/projects/{id}/submit|return|approve|adjust|workflow|
//! comments`) and as the forms of the declaration page (`/projects/{id}/submit|return|approve|
//! comment`). The app decides whether the actor may: a refused form is the declaration page
//! again with the message, nothing changed; done, it redirects (303) to
//! `/projects/{id}?done=…`.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use jixiao_app::workflow::{project_from_json, TransitionResult};
use jixiao_app::{Actor, AppError};
use serde::Deserialize;
use serde_json::Value;

use crate::declarations::overview::show;
use crate::error::{Error, Result};
use crate::extract::{csrf_field, Api, Body, PageOn, PostedOn};
use crate::state::State;
use crate::view::json::{CommentList, CommentView, Saved, Transitioned, Workflow};
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
        .route("/projects/{id}/submit", on_page(Transition::Submit))
        .route("/projects/{id}/return", on_page(Transition::Return))
        .route("/projects/{id}/approve", on_page(Transition::Approve))
        .route("/projects/{id}/comment", post(comment_form))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// 调整原因 (required).
    reason: String,
    base_version: i64,
    /// A declaration as canonical JSON (docs/form-json.md); amounts are decimal strings as
    /// written.
    #[schema(value_type = Object)]
    project: Value,
}

/// `POST /api/projects/{id}/adjust` — 调整 of an approved declaration.
#[utoipa::path(post, path = "/api/projects/{id}/adjust", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "调整已批准的申报（须说明原因）/ adjust an approved declaration: a new version back to submitted", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = Adjustment, responses((status = 200, description = "{id, version, status: submitted, changed, change, warnings}", body = Saved), crate::openapi::Changing))]
pub async fn adjust(r: Api, Body(body): Body<Adjustment>) -> Result<Json<Saved>> {
    let Adjustment {
        reason,
        base_version,
        project,
    } = body;
    let (app, project) = (&r.state.app, project_from_json(project)?);
    let saved = app.adjust(r.actor(), r.id, base_version, project, &reason);
    Ok(Json(Saved::from(&saved.await?)))
}

/// `GET /api/projects/{id}/workflow` — status, current and approved versions.
#[utoipa::path(get, path = "/api/projects/{id}/workflow", tag = "workflow", summary = "流程状态 / status, current_version, approved_version, editable", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "OK", body = Workflow), crate::openapi::Reading))]
pub async fn state(r: Api) -> Result<Json<Workflow>> {
    let w = r.state.app.workflow(r.actor(), r.id).await?;
    Ok(Json(Workflow::from(&w)))
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

/// A workflow transition, asked for over the API or by a form of the declaration page.
#[derive(Debug, Clone, Copy)]
enum Transition {
    Submit,
    Return,
    Approve,
}

impl Transition {
    /// The use case, with the comment sent (its rules — a return needs a comment — are
    /// `app`'s; a submit takes none).
    async fn run(
        self,
        state: &State,
        actor: &Actor,
        id: i64,
        comment: Option<&str>,
    ) -> Result<TransitionResult, AppError> {
        match self {
            Transition::Submit => state.app.submit(actor, id).await,
            Transition::Return => {
                let comment = comment.unwrap_or("");
                state.app.return_declaration(actor, id, comment).await
            }
            Transition::Approve => state.app.approve(actor, id, comment).await,
        }
    }

    /// What the declaration page says after it (`?done=…`).
    fn done(self) -> &'static str {
        match self {
            Transition::Submit => "submitted",
            Transition::Return => "returned",
            Transition::Approve => "approved",
        }
    }
}

/// The three transitions share their request (an optional `{"comment"}` body) and answer;
/// only the use case called differs.
async fn transition(r: Api, req: Request, kind: Transition) -> Result<Json<Transitioned>> {
    let body = optional_body(req).await?;
    let comment = body.comment.as_deref();
    let done = kind.run(&r.state, r.actor(), r.id, comment).await?;
    Ok(Json(Transitioned::from(&done)))
}

/// `POST /api/projects/{id}/submit`.
#[utoipa::path(post, path = "/api/projects/{id}/submit", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "提交（草稿、退回 → 已提交）/ submit; the review comes back", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body(content = TransitionBody, description = "optional"), responses((status = 200, description = "{from, to, status, version, at, review, review_errors}", body = Transitioned), crate::openapi::Changing))]
pub async fn submit(r: Api, req: Request) -> Result<Json<Transitioned>> {
    transition(r, req, Transition::Submit).await
}

/// `POST /api/projects/{id}/return` — `{"comment"}` required.
#[utoipa::path(post, path = "/api/projects/{id}/return", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "退回（须填意见）/ return with a comment (required)", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = TransitionBody, responses((status = 200, description = "{from, to, status, version, at, review, review_errors}", body = Transitioned), crate::openapi::Changing))]
pub async fn return_(r: Api, req: Request) -> Result<Json<Transitioned>> {
    transition(r, req, Transition::Return).await
}

/// `POST /api/projects/{id}/approve` — `{"comment"}` optional.
#[utoipa::path(post, path = "/api/projects/{id}/approve", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "批准 / approve", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body(content = TransitionBody, description = "optional"), responses((status = 200, description = "{from, to, status, version, at, review, review_errors}", body = Transitioned), crate::openapi::Changing))]
pub async fn approve(r: Api, req: Request) -> Result<Json<Transitioned>> {
    transition(r, req, Transition::Approve).await
}

/// `GET /api/projects/{id}/comments`.
#[utoipa::path(get, path = "/api/projects/{id}/comments", tag = "workflow", summary = "审核意见 / the comments: {items}", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "{items: [{id, version, indicator_id, author, at, text, transition}]}", body = CommentList), crate::openapi::Reading))]
pub async fn comments(r: Api) -> Result<Json<CommentList>> {
    let items = r.state.app.comments(r.actor(), r.id).await?;
    Ok(Json(CommentList {
        items: items.iter().map(CommentView::from).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    text: String,
    #[serde(default)]
    indicator_id: Option<i64>,
}

/// `POST /api/projects/{id}/comments` — `{"text", "indicator_id"?}`: 201.
#[utoipa::path(post, path = "/api/projects/{id}/comments", tag = "workflow", security(("session" = [], "csrf" = [])), summary = "添加审核意见（申报或指标）/ comment on the declaration or an indicator", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = NewComment, responses((status = 201, description = "the comment", body = CommentView), crate::openapi::Changing))]
pub async fn comment(r: Api, Body(body): Body<NewComment>) -> Result<Response> {
    let app = &r.state.app;
    let c = app
        .comment(r.actor(), r.id, body.indicator_id, &body.text)
        .await?;
    Ok((StatusCode::CREATED, Json(CommentView::from(&c))).into_response())
}

/// The form of every workflow action (`comment` and `indicator` where they apply).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    /// The comment (退回: required; 批准: optional; 意见: required).
    comment: String,
    /// The indicator's stable id a comment is about; empty for the whole declaration.
    indicator: String,
}

csrf_field!(ActionForm);

/// Back to the declaration page: saying what was done (303), or with the refusal.
async fn finish(on: &PageOn, done: &str, r: Result<(), AppError>) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{}?done={done}", on.id)).into_response()),
        Err(e) => show(on, Some(e.into()), None).await,
    }
}

/// `POST /projects/{id}/submit`, `…/return` (`comment` required), `…/approve` (`comment`
/// optional): the form of a transition, back to the declaration page.
fn on_page(t: Transition) -> MethodRouter<State> {
    post(move |p: PostedOn<ActionForm>| async move {
        let comment = Some(p.form.comment.as_str());
        let r = t.run(&p.on.state, p.on.actor(), p.on.id, comment).await;
        finish(&p.on, t.done(), r.map(drop)).await
    })
}

/// `POST /projects/{id}/comment` (`comment` required, `indicator` an indicator id or empty).
pub async fn comment_form(p: PostedOn<ActionForm>) -> PageResult {
    let (on, form) = (&p.on, &p.form);
    let indicator = match form.indicator.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = AppError::invalid(jixiao_app::Message::NotAnIndicatorId {
                    text: t.to_string(),
                });
                return show(on, Some(e.into()), None).await;
            }
        },
    };
    let app = &on.state.app;
    let r = app
        .comment(on.actor(), on.id, indicator, &form.comment)
        .await;
    finish(on, "commented", r.map(drop)).await
}
