//! 申报 — the declarations themselves: the list (`GET /api/projects`, the dashboard page `/`),
//! one declaration (`GET /api/projects/{id}`, its overview page), creating and saving
//! (`POST /api/projects`, `PUT /api/projects/{id}`, the editor pages), checking as typed
//! (`POST /api/targets/check`, `POST /api/drafts/check`) and the history (`GET
//! /api/projects/{id}/audit`, the history page) and the years page (`years.rs`, 历年对比). Every decision is `jixiao_app`'s; this
//! module reads requests and writes answers.

mod dashboard;
mod editor;
pub mod overview;
mod years;

use std::collections::HashMap;

use axum::extract::State as S;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::workflow::project_from_json;
use jixiao_app::TargetReading;
use jixiao_model::Project;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::extract::{Api, Authed, Body, Params};
use crate::state::{AppState, State, MAX_PER_PAGE};
use crate::view::json::{AuditItem, AuditList, DraftChecked, ProjectItem, ProjectPage, Saved};

/// The routes of declarations.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/projects", get(projects_list).post(create))
        .route("/api/projects/{id}", get(project_get).put(save))
        .route("/api/projects/{id}/audit", get(project_audit))
        .route("/api/targets/check", post(check_target))
        .route("/api/drafts/check", post(check_draft))
        .route("/", get(dashboard::page))
        .route("/projects/{id}", get(overview::overview))
        .route("/projects/new", get(editor::new_form).post(editor::create))
        .route(
            "/projects/{id}/edit",
            get(editor::edit_form).post(editor::save),
        )
        .route("/projects/{id}/history", get(overview::history))
        .route("/projects/{id}/years", get(years::page))
}

/// `page` and `per_page` of a query, checked.
fn paging(q: &HashMap<String, String>) -> Result<(usize, usize)> {
    let read = |name: &str, default: usize, max: usize| -> Result<usize> {
        match q.get(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(Error::invalid(
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

#[utoipa::path(get, path = "/api/projects", tag = "declarations", summary = "当前用户可见的项目（分页）/ the declarations the user may see, paginated", params(("page" = Option<usize>, Query, minimum = 1), ("per_page" = Option<usize>, Query, minimum = 1, maximum = 200)), responses((status = 200, description = "{items, page, per_page, total}", body = ProjectPage), crate::openapi::Reading))]
pub async fn projects_list(
    S(state): AppState,
    a: Authed,
    Params(q): Params,
) -> Result<Json<ProjectPage>> {
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
    Ok(Json(ProjectPage {
        items: rows.iter().map(ProjectItem::from).collect(),
        page,
        per_page,
        total,
    }))
}

#[utoipa::path(get, path = "/api/projects/{id}", tag = "declarations", summary = "项目（规范 JSON）/ the declaration, canonical JSON", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "The declaration (docs/form-json.md)", body = serde_json::Value), crate::openapi::Reading))]
pub async fn project_get(r: Api) -> Result<Json<Project>> {
    Ok(Json(r.project().await?))
}

#[utoipa::path(get, path = "/api/projects/{id}/audit", tag = "declarations", summary = "审计记录 / the audit trail: who, when, what, before and after", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "{items}", body = AuditList), crate::openapi::Reading))]
pub async fn project_audit(r: Api) -> Result<Json<AuditList>> {
    let p = r.project().await?;
    let entries = r.state.app.audit(r.actor(), &p).await?;
    Ok(Json(AuditList {
        items: entries.iter().map(AuditItem::from).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeclaration {
    /// A declaration as canonical JSON (docs/form-json.md); amounts are decimal strings as
    /// written.
    #[schema(value_type = Object)]
    project: Value,
}

/// `POST /api/projects` — a new declaration (草稿) in the actor's unit: 201.
#[utoipa::path(post, path = "/api/projects", tag = "declarations", security(("session" = [], "csrf" = [])), summary = "新建申报（草稿，本单位）/ create a declaration from scratch, a draft in the user's unit", request_body = NewDeclaration, responses((status = 201, description = "{id, version: 1, status: draft, warnings}", body = Saved), crate::openapi::Changing))]
pub async fn create(
    S(state): AppState,
    a: Authed,
    Body(body): Body<NewDeclaration>,
) -> Result<Response> {
    let project = project_from_json(body.project)?;
    let r = state
        .app
        .create_declaration(&a.session.actor, project)
        .await?;
    Ok((StatusCode::CREATED, Json(Saved::from(&r))).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    base_version: i64,
    /// A declaration as canonical JSON (docs/form-json.md); amounts are decimal strings as
    /// written.
    #[schema(value_type = Object)]
    project: Value,
}

/// `PUT /api/projects/{id}` — a new version of a 草稿/退回 declaration; 409 on a stale edit.
#[utoipa::path(put, path = "/api/projects/{id}", tag = "declarations", security(("session" = [], "csrf" = [])), summary = "保存（草稿、退回可改）/ save a new version of a draft or returned declaration; 409 on a stale edit", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = Edit, responses((status = 200, description = "{id, version, status, changed, change, warnings}", body = Saved), crate::openapi::Changing))]
pub async fn save(r: Api, Body(body): Body<Edit>) -> Result<Json<Saved>> {
    let project = project_from_json(body.project)?;
    let app = &r.state.app;
    let saved = app
        .save_declaration(r.actor(), r.id, body.base_version, project)
        .await?;
    Ok(Json(Saved::from(&saved)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetBody {
    text: String,
    /// The declaration's year: a deadline without one (`12月底前`) is read in it.
    #[serde(default)]
    year: Option<i32>,
}

/// `POST /api/targets/check` — what a target is read as; 422 with the column when it does not
/// read. Needs a session (like every route) but reads no data.
#[utoipa::path(post, path = "/api/targets/check", tag = "declarations", security(("session" = [], "csrf" = [])), summary = "边填边查：指标值读作什么（与导入同一解析器）/ what a target text is read as, by the import parser", request_body = TargetBody, responses((status = 200, description = "{text, kind, kind_zh, reading_zh, reading_en, clauses, warnings, target}", body = serde_json::Value), crate::openapi::Changing))]
pub async fn check_target(
    axum::extract::State(_state): AppState,
    _a: Authed,
    Body(body): Body<TargetBody>,
) -> Result<Json<TargetReading>> {
    Ok(Json(jixiao_app::check_target_in(&body.text, body.year)?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    /// A declaration as canonical JSON (docs/form-json.md); amounts are decimal strings as
    /// written.
    #[schema(value_type = Object)]
    project: Value,
}

/// `POST /api/drafts/check` — the review of an unsaved draft: `{errors, warnings, review}`.
#[utoipa::path(post, path = "/api/drafts/check", tag = "declarations", security(("session" = [], "csrf" = [])), summary = "未保存草稿的审核 / the review of an unsaved draft", request_body = DraftBody, responses((status = 200, description = "{errors, warnings, review} (review as docs/review-json.md)", body = DraftChecked), crate::openapi::Changing))]
pub async fn check_draft(
    S(state): AppState,
    _a: Authed,
    Body(body): Body<DraftBody>,
) -> Result<Json<DraftChecked>> {
    let project = project_from_json(body.project)?;
    let c = state.app.check_draft(&project);
    Ok(Json(DraftChecked::from(&c)))
}
