//! 指标库与历年 — the indicator library and a declaration across years, as JSON:
//! `GET /api/library?q=TEXT&limit=N` (suggestions ranked as `app` ranks them: the library first,
//! then the actor's unit's, department's and other readable approved indicators, each with its
//! typical target, unit, how often used and the reason of its rank) and
//! `GET /api/projects/{id}/history` (the declaration's years, its indicators across them and the
//! year-over-year findings); the library's pages are [`pages`]. This module is the example of
//! ARCHITECTURE.md's "Adding a resource".

pub mod pages;

use axum::extract::State as S;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::error::{Error, Result};
use crate::extract::{Api, Authed, Params};
use crate::state::{AppState, State};
use crate::view::json::Suggestions;

/// How many suggestions at the most, unless `limit` asks for fewer (or up to [`MAX_LIMIT`]).
const DEFAULT_LIMIT: usize = 20;
/// The most suggestions one request may ask for.
const MAX_LIMIT: usize = 200;

/// The routes of the indicator library and of a declaration's history.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/library", get(library_search))
        .route("/api/projects/{id}/history", get(project_history))
        .route("/library", get(pages::page))
        .route("/library/build", post(pages::build))
        .route("/library/import", post(pages::import))
        .route("/library/export.xlsx", get(pages::export))
        .route(
            "/library/{id}",
            get(pages::entry_page).post(pages::entry_save),
        )
}

/// `GET /api/library?q=&limit=` — `{items: [...]}`.
#[utoipa::path(get, path = "/api/library", tag = "library", summary = "指标库检索（含排序理由）/ search the indicator library, with the reason of each rank", params(("q" = Option<String>, Query, description = "三级指标名称的一部分 / part of an indicator name"), ("limit" = Option<usize>, Query, description = "1..=200, default 20")), responses((status = 200, description = "{items: [{rank, source, entry_id, scope, level1, level2, name, unit, direction, typical_target, uses, reason_zh, reason_en, ...}]}", body = Suggestions), crate::openapi::Reading))]
pub async fn library_search(
    S(state): AppState,
    a: Authed,
    Params(q): Params,
) -> Result<Json<Suggestions>> {
    let text = q.get("q").map(|s| s.trim()).unwrap_or("");
    let limit = match q.get("limit").map(|s| s.trim()) {
        None | Some("") => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(Error::invalid(
                    format!("参数 limit=「{raw}」无效：应为 1 到 {MAX_LIMIT} 之间的整数"),
                    format!("invalid limit={raw:?}: give a whole number from 1 to {MAX_LIMIT}"),
                ))
            }
        },
    };
    let items = state
        .app
        .library_search(&a.session.actor, text, limit)
        .await?;
    Ok(Json(Suggestions { items }))
}

/// `GET /api/projects/{id}/history` — `{declaration_id, years: [{year, indicators, ...}],
/// indicators, findings}`.
#[utoipa::path(get, path = "/api/projects/{id}/history", tag = "library", summary = "历年目标与实际 / a declaration's targets and actuals across years, with the year-over-year findings", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "{declaration_id, years: [{year, declaration_id, matched, indicators, ...}], indicators, findings}", body = serde_json::Value), crate::openapi::Reading))]
pub async fn project_history(r: Api) -> Result<Json<jixiao_app::ProjectHistory>> {
    let h = r.state.app.project_history(r.actor(), r.id).await?;
    Ok(Json(h))
}
