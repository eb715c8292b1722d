//! 支出 — the spending (执行数) of a declaration: one record (`POST
//! /api/projects/{id}/spending`, the spending form of the actuals page) and its retraction with
//! a reason (`POST …/spending/retract`).

use axum::routing::post;
use axum::{Json, Router};
use jixiao_app::SpendingInput;
use serde::Deserialize;

use crate::actuals::{
    answer, on_page, retract_refused, some, RetractSpendForm, Saved, SpendForm, Typed,
};
use crate::error::{Error, Result};
use crate::extract::{Api, Body, PostedOn};
use crate::state::State;
use crate::view::json::{RecordedView, SpendingRetracted};
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
#[utoipa::path(post, path = "/api/projects/{id}/spending", tag = "spending", security(("session" = [], "csrf" = [])), summary = "录入支出（执行数）/ record one spending record", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = SpendingBody, responses((status = 200, description = "{added, replaced, unchanged, outcome, message_zh, message_en}", body = RecordedView), crate::openapi::Changing))]
pub async fn spending(r: Api, Body(body): Body<SpendingBody>) -> Result<Json<RecordedView>> {
    let p = r.project().await?;
    let input = SpendingInput {
        date: read_date("date", &body.date, p.year)?.to_string(),
        amount: body.amount,
        voucher: body.voucher,
        note: body.note,
    };
    let done = r.state.app.record_spending_on(r.actor(), &p, &input);
    Ok(Json(RecordedView::from(&done.await?)))
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
#[utoipa::path(post, path = "/api/projects/{id}/spending/retract", tag = "spending", security(("session" = [], "csrf" = [])), summary = "撤回支出（须说明原因）/ retract a spending record, with a reason", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = RetractSpending, responses((status = 200, description = "{retracted: {date, amount, voucher, note}}", body = SpendingRetracted), crate::openapi::Changing))]
pub async fn retract_spending_json(
    r: Api,
    Body(body): Body<RetractSpending>,
) -> Result<Json<SpendingRetracted>> {
    let p = r.project().await?;
    let date = read_date("date", &body.date, p.year)?;
    let (voucher, note) = (body.voucher.as_deref(), body.note.as_deref());
    let app = &r.state.app;
    let old = app
        .retract_spending(r.actor(), &p, date, voucher, note, &body.reason)
        .await?;
    Ok(Json(SpendingRetracted { retracted: old }))
}

/// `POST /projects/{id}/spending`: one spending record (date, amount in 元, voucher, note).
pub async fn spend(p: PostedOn<SpendForm>) -> PageResult {
    let project = p.on.project().await?;
    let form = &p.form;
    let input = SpendingInput {
        date: form.date.trim().to_string(),
        amount: form.amount.trim().to_string(),
        voucher: some(&form.voucher),
        note: some(&form.note),
    };
    let app = &p.on.state.app;
    let r = match app
        .record_spending_on(p.user().actor(), &project, &input)
        .await
    {
        Ok(r) => Ok(Saved::of("spending", r)),
        Err(e) => Err(on_page(Error::from(e))),
    };
    answer(p, Typed::Spending, r).await
}

/// `POST /projects/{id}/spending/retract`: retracts a spending record (by date and voucher or
/// note), with a reason.
pub async fn retract_spending(p: PostedOn<RetractSpendForm>) -> PageResult {
    let project = p.on.project().await?;
    let form = &p.form;
    let r = match read_date("date", &form.date, project.year) {
        Ok(date) => {
            let (voucher, note) = (some(&form.voucher), some(&form.note));
            let (voucher, note) = (voucher.as_deref(), note.as_deref());
            let app = &p.on.state.app;
            app.retract_spending(
                p.user().actor(),
                &project,
                date,
                voucher,
                note,
                &form.reason,
            )
            .await
            .map(|_| Saved::retracted())
            .map_err(retract_refused)
        }
        Err(f) => Err(f),
    };
    answer(p, |_| Typed::Retract, r).await
}
