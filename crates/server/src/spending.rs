//! 支出 — the spending (执行数) of a declaration: one record (`POST
//! /api/projects/{id}/spending`, the spending form of the actuals page) and its retraction with
//! a reason (`POST …/spending/retract`).

use axum::extract::{Path, State as S};
use axum::routing::post;
use axum::{Json, Router};
use jixiao_app::{AppError, SpendingInput, WriteOutcome};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::actuals::{
    date_field, on_page, recorded_json, retract_failed, saved, show, some, ActualForm,
    RetractSpendForm, SpendForm, Which,
};
use crate::error::{Error, Result};
use crate::extract::{project_id, Authed, Body, Posted, ProjectId};
use crate::state::{AppState, State};
use crate::view::{read_date, PageResult};

/// The routes of spending.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/projects/{id}/spending", post(spending))
        .route(
            "/api/projects/{id}/spending/retract",
            post(retract_spending_json),
        )
        .route("/projects/{id}/spending", post(spend))
        .route("/projects/{id}/spending/retract", post(retract_spending))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendingBody {
    date: String,
    amount: String,
    #[serde(default)]
    voucher: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /api/projects/{id}/spending` — one 执行数 record.
#[utoipa::path(post, path = "/api/projects/{id}/spending", tag = "spending", security(("session" = [], "csrf" = [])), summary = "录入支出（执行数）/ record one spending record", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = SpendingBody, responses((status = 200, description = "{added, replaced, unchanged, outcome}"), crate::openapi::Changing))]
pub async fn spending(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    Body(body): Body<SpendingBody>,
) -> Result<Json<Value>> {
    let actor = &a.session.actor;
    let p = state.app.project_by_id(actor, id).await?;
    let input = SpendingInput {
        date: date_field("date", &body.date, p.year)?.to_string(),
        amount: body.amount,
        voucher: body.voucher,
        note: body.note,
    };
    let s = state.app.record_spending_on(actor, &p, &input).await?;
    Ok(Json(recorded_json(&s)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetractSpending {
    date: String,
    #[serde(default)]
    voucher: Option<String>,
    #[serde(default)]
    note: Option<String>,
    reason: String,
}

/// `POST /api/projects/{id}/spending/retract` — `{"date", "voucher" | "note", "reason"}`.
#[utoipa::path(post, path = "/api/projects/{id}/spending/retract", tag = "spending", security(("session" = [], "csrf" = [])), summary = "撤回支出（须说明原因）/ retract a spending record, with a reason", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = RetractSpending, responses((status = 200, description = "{retracted: {date, amount, voucher, note}}"), crate::openapi::Changing))]
pub async fn retract_spending_json(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    Body(body): Body<RetractSpending>,
) -> Result<Json<Value>> {
    let actor = &a.session.actor;
    let p = state.app.project_by_id(actor, id).await?;
    let date = date_field("date", &body.date, p.year)?;
    let old = state
        .app
        .retract_spending(
            actor,
            &p,
            date,
            body.voucher.as_deref(),
            body.note.as_deref(),
            &body.reason,
        )
        .await?;
    Ok(Json(json!({
        "retracted": { "date": old.date, "amount": old.amount.to_string(), "voucher": old.voucher, "note": old.note },
    })))
}

/// `POST /projects/{id}/spending`: one spending record (date, amount in 元, voucher, note).
pub async fn spend(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<SpendForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let actor = user.actor();
    let p = state.app.project_by_id(actor, id).await?;
    let input = SpendingInput {
        date: form.date.trim().to_string(),
        amount: form.amount.trim().to_string(),
        voucher: some(&form.voucher),
        note: some(&form.note),
    };
    match state.app.record_spending_on(actor, &p, &input).await {
        Ok(r) => saved(id, "spending", &r.outcome, None, user.lang),
        Err(e) if e.kind() == jixiao_app::ErrorKind::Invalid => {
            show(
                &state,
                &user,
                id,
                ActualForm::default(),
                form,
                Some((Which::Spending, on_page(Error::from(e)))),
                None,
            )
            .await
        }
        Err(e) => Err(Error::from(e)),
    }
}

/// `POST /projects/{id}/spending/retract`: retracts a spending record (by date and voucher or
/// note), with a reason.
pub async fn retract_spending(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<RetractSpendForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let actor = user.actor();
    let p = state.app.project_by_id(actor, id).await?;
    let date = match read_date("date", &form.date, p.year) {
        Ok(d) => d,
        Err(f) => {
            return retract_failed(
                &state,
                &user,
                id,
                AppError::invalid(jixiao_app::Message::said(f.zh, f.en)),
            )
            .await
        }
    };
    let (voucher, note) = (some(&form.voucher), some(&form.note));
    match state
        .app
        .retract_spending(
            actor,
            &p,
            date,
            voucher.as_deref(),
            note.as_deref(),
            &form.reason,
        )
        .await
    {
        Ok(_) => saved(id, "retracted", &WriteOutcome::Retracted, None, user.lang),
        Err(e) => retract_failed(&state, &user, id, e).await,
    }
}
