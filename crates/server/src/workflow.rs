//! The JSON routes of the workflow and of editing: create, save (409 on a stale edit, with
//! what changed), submit, return, approve, adjust, comments, self-evaluation notes, actual
//! values and spending entered by hand (and their retraction), and checking as typed. Every
//! decision is `jixiao_app`'s; this module reads bodies and writes answers.

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jixiao_app::workflow::{project_from_json, SaveResult, TransitionResult};
use jixiao_app::{ActualInput, AppError, EvaluationNotes, IndicatorNote, SpendingInput};
use jixiao_model::{Decimal, NaiveDate, ReportPeriod};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Authed;
use crate::error::change_json;
use crate::{project_of, ApiError, ApiResult, State};

type AppState = axum::extract::State<State>;

/// A JSON body, or the one error body: 400 when it is not JSON, 415 without the JSON content
/// type, 422 when it is JSON of another shape.
pub(crate) struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Body<T>, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> ApiError {
    let text = e.body_text();
    match e.status() {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求体应为 JSON（Content-Type: application/json）",
            "the body must be JSON (Content-Type: application/json)",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "请求体过大",
            "the body is too large",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::invalid(
            format!("请求体的字段不符合要求：{text}"),
            format!("the body's fields are not as expected: {text}"),
        ),
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("请求体不是有效的 JSON：{text}"),
            format!("the body is not valid JSON: {text}"),
        ),
    }
}

fn id_of(id: &str) -> ApiResult<i64> {
    id.trim().parse::<i64>().map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到编号为「{id}」的项目（编号是整数）"),
            format!("no project with id {id:?} (ids are whole numbers)"),
        )
    })
}

fn warnings_json(ws: &[jixiao_app::ReadWarning]) -> Value {
    serde_json::to_value(ws).unwrap_or(Value::Null)
}

fn save_json(r: &SaveResult) -> Value {
    json!({
        "id": r.id,
        "version": r.version,
        "status": r.status.id(),
        "status_zh": r.status.zh(),
        "changed": r.change.is_some(),
        "change": r.change.as_ref().map(change_json),
        "warnings": warnings_json(&r.warnings),
    })
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewDeclaration {
    project: Value,
}

/// `POST /api/projects` — a new declaration (草稿) in the actor's unit: 201.
pub(crate) async fn create(
    axum::extract::State(state): AppState,
    a: Authed,
    Body(body): Body<NewDeclaration>,
) -> ApiResult<Response> {
    let project = project_from_json(body.project)?;
    let r = state
        .app
        .create_declaration(&a.session.actor, project)
        .await?;
    Ok((StatusCode::CREATED, Json(save_json(&r))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Edit {
    base_version: i64,
    project: Value,
}

/// `PUT /api/projects/{id}` — a new version of a 草稿/退回 declaration; 409 on a stale edit.
pub(crate) async fn save(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<Edit>,
) -> ApiResult<Json<Value>> {
    let id = id_of(&id)?;
    let project = project_from_json(body.project)?;
    let r = state
        .app
        .save_declaration(&a.session.actor, id, body.base_version, project)
        .await?;
    Ok(Json(save_json(&r)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Adjustment {
    base_version: i64,
    project: Value,
    reason: String,
}

/// `POST /api/projects/{id}/adjust` — 调整 of an approved declaration.
pub(crate) async fn adjust(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<Adjustment>,
) -> ApiResult<Json<Value>> {
    let id = id_of(&id)?;
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
pub(crate) async fn state(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = state.app.workflow(&a.session.actor, id_of(&id)?).await?;
    Ok(Json(json!({
        "status": w.status.id(),
        "status_zh": w.status.zh(),
        "current_version": w.current_version,
        "approved_version": w.approved_version,
        "editable": w.status.is_editable(),
    })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransitionBody {
    #[serde(default)]
    comment: Option<String>,
}

/// An optional JSON body (a transition may come with none).
async fn optional_body(req: Request) -> ApiResult<TransitionBody> {
    let bytes = axum::body::to_bytes(req.into_body(), 1024 * 1024)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "请求体过大",
                "the body is too large",
            )
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(TransitionBody::default());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
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
    id: &str,
    req: Request,
    kind: Transition,
) -> ApiResult<Json<Value>> {
    let id = id_of(id)?;
    let body = optional_body(req).await?;
    let (actor, policy) = (&a.session.actor, &state.options.review_policy);
    let comment = body.comment.as_deref();
    let r = match kind {
        Transition::Submit => state.app.submit(actor, id, policy).await?,
        Transition::Return => {
            state
                .app
                .return_declaration(actor, id, comment.unwrap_or(""), policy)
                .await?
        }
        Transition::Approve => state.app.approve(actor, id, comment, policy).await?,
    };
    Ok(Json(transition_json(&r)))
}

/// `POST /api/projects/{id}/submit`.
pub(crate) async fn submit(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<Value>> {
    transition(state, a, &id, req, Transition::Submit).await
}

/// `POST /api/projects/{id}/return` — `{"comment"}` required.
pub(crate) async fn return_(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<Value>> {
    transition(state, a, &id, req, Transition::Return).await
}

/// `POST /api/projects/{id}/approve` — `{"comment"}` optional.
pub(crate) async fn approve(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<Value>> {
    transition(state, a, &id, req, Transition::Approve).await
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
pub(crate) async fn comments(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let items = state.app.comments(&a.session.actor, id_of(&id)?).await?;
    Ok(Json(json!({
        "items": items.iter().map(comment_json).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewComment {
    text: String,
    #[serde(default)]
    indicator_id: Option<i64>,
}

/// `POST /api/projects/{id}/comments` — `{"text", "indicator_id"?}`: 201.
pub(crate) async fn comment(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<NewComment>,
) -> ApiResult<Response> {
    let c = state
        .app
        .comment(&a.session.actor, id_of(&id)?, body.indicator_id, &body.text)
        .await?;
    Ok((StatusCode::CREATED, Json(comment_json(&c))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteBody {
    indicator_id: i64,
    #[serde(default)]
    deviation_reason: Option<String>,
    #[serde(default)]
    remedy: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NotesBody {
    #[serde(default)]
    annual_budget: Option<String>,
    #[serde(default)]
    indicators: Vec<NoteBody>,
}

fn notes_json(n: &EvaluationNotes) -> Value {
    json!({
        "annual_budget": n.annual_budget.map(|b| b.to_string()),
        "indicators": n.indicators.iter().map(|(id, n)| json!({
            "indicator_id": id, "deviation_reason": n.deviation_reason, "remedy": n.remedy,
        })).collect::<Vec<_>>(),
    })
}

/// `GET /api/projects/{id}/notes`.
pub(crate) async fn notes(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let n = state.app.notes(&a.session.actor, id_of(&id)?).await?;
    Ok(Json(notes_json(&n)))
}

/// `GET /api/projects/{id}/notes/history` — every version of the notes, oldest first.
pub(crate) async fn notes_history(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let rows = state
        .app
        .notes_history(&a.session.actor, id_of(&id)?)
        .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "indicator_id": r.indicator_id,
                "deviation_reason": r.deviation_reason,
                "remedy": r.remedy,
                "annual_budget": r.annual_budget.map(|b| b.to_string()),
                "current": r.current,
                "recorded_at": r.recorded_at,
                "recorded_by": r.recorded_by,
                "ended_at": r.ended.as_ref().map(|e| &e.0),
                "ended_by": r.ended.as_ref().map(|e| &e.1),
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `PUT /api/projects/{id}/notes` — replaces the notes: `{"annual_budget", "indicators":
/// [{"indicator_id", "deviation_reason", "remedy"}]}`.
pub(crate) async fn set_notes(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<NotesBody>,
) -> ApiResult<Json<Value>> {
    let id = id_of(&id)?;
    let annual_budget = match body.annual_budget.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(budget_amount(text)?),
    };
    let mut indicators = BTreeMap::new();
    for n in body.indicators {
        if indicators
            .insert(
                n.indicator_id,
                IndicatorNote {
                    deviation_reason: n.deviation_reason,
                    remedy: n.remedy,
                },
            )
            .is_some()
        {
            return Err(ApiError::invalid(
                format!("指标 {} 出现了两次", n.indicator_id),
                format!("indicator {} is given twice", n.indicator_id),
            ));
        }
    }
    let notes = EvaluationNotes {
        annual_budget,
        indicators,
    };
    let changed = state.app.set_notes(&a.session.actor, id, &notes).await?;
    let now = state.app.notes(&a.session.actor, id).await?;
    let mut v = notes_json(&now);
    v["changed"] = json!(changed);
    Ok(Json(v))
}

/// 全年预算数 as written; a number not written plainly (`1,85O,000`) is refused with what it
/// would be read as, so that nothing is taken as another number without the writer seeing it.
fn budget_amount(text: &str) -> ApiResult<Decimal> {
    let refuse = |zh: String, en: String| {
        let mut err = ApiError::invalid(
            format!("全年预算数「{text}」无法读取：{zh}"),
            format!("the annual budget {text:?} cannot be read: {en}"),
        );
        err.diagnostics = vec![json!({
            "field": "annual_budget", "level": "error",
            "zh": err.message_zh, "en": err.message_en,
        })];
        err
    };
    match jixiao_model::parse_amount_with_notes(text) {
        Ok((v, notes)) if notes.is_empty() => Ok(v),
        Ok((v, notes)) => {
            let zh: Vec<&str> = notes.iter().map(|n| n.zh.as_str()).collect();
            let en: Vec<&str> = notes.iter().map(|n| n.en.as_str()).collect();
            Err(refuse(
                format!("{}；如确为 {v}，请照此书写", zh.join("；")),
                format!("{}; if {v} is meant, write it so", en.join("; ")),
            ))
        }
        Err(e) => {
            let msg = e.to_string();
            let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
            Err(refuse(zh.to_string(), en.to_string()))
        }
    }
}

/// A date of a request body, or an error whose example is in `year` (the declaration's own:
/// a 2025 project says `2025-06-30`).
fn date_field(field: &str, text: &str, year: i32) -> ApiResult<NaiveDate> {
    jixiao_model::parse_date(text).map_err(|_| {
        ApiError::invalid(
            format!("{field}「{text}」不是日期，应写作 {year}-06-30"),
            format!("{field} {text:?} is not a date; write {year}-06-30"),
        )
    })
}

/// The counts of a write and what it did: `outcome` is `added`, `corrected` (with `was`, the
/// value before) or `unchanged`.
fn recorded_json(r: &jixiao_app::Recorded) -> Value {
    let s = &r.summary;
    let mut v = json!({
        "added": s.added, "replaced": s.replaced, "unchanged": s.unchanged,
        "outcome": r.outcome.id(),
        "message_zh": r.outcome.text(jixiao_model::Lang::Zh),
        "message_en": r.outcome.text(jixiao_model::Lang::En),
    });
    if let jixiao_app::WriteOutcome::Corrected { was_zh, was_en } = &r.outcome {
        v["was_zh"] = json!(was_zh);
        v["was_en"] = json!(was_en);
    }
    v
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActualBody {
    indicator: String,
    date: String,
    #[serde(default)]
    period: Option<String>,
    value: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
}

/// `POST /api/projects/{id}/actuals` — one 实际完成值 (indicator by code or name).
pub(crate) async fn actual(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<ActualBody>,
) -> ApiResult<Json<Value>> {
    let actor = &a.session.actor;
    let p = project_of(&state, actor, &id).await?;
    let date = date_field("date", &body.date, p.year)?;
    let period = match body.period.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(t.parse::<ReportPeriod>().map_err(|e| {
            let (zh, en) = e.messages_in(p.year);
            ApiError::invalid(zh, en)
        })?),
    };
    let input = ActualInput {
        project: p.name.clone(),
        year: Some(p.year),
        indicator: body.indicator,
        date,
        period,
        value: body.value,
        note: body.note,
        evidence: body.evidence,
    };
    let s = state
        .app
        .record_actual_in(actor, &p, &input, &state.options.eval_policy)
        .await?;
    Ok(Json(recorded_json(&s)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetractActual {
    indicator: String,
    period: String,
    reason: String,
}

/// `POST /api/projects/{id}/actuals/retract` — `{"indicator", "period", "reason"}`.
pub(crate) async fn retract_actual(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<RetractActual>,
) -> ApiResult<Json<Value>> {
    let actor = &a.session.actor;
    let p = project_of(&state, actor, &id).await?;
    let period = body.period.trim().parse::<ReportPeriod>().map_err(|e| {
        let (zh, en) = e.messages_in(p.year);
        ApiError::invalid(zh, en)
    })?;
    state
        .app
        .retract_actual(actor, &p, &body.indicator, period, &body.reason)
        .await?;
    Ok(Json(json!({ "retracted": true, "outcome": "retracted" })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpendingBody {
    date: String,
    amount: String,
    #[serde(default)]
    voucher: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /api/projects/{id}/spending` — one 执行数 record.
pub(crate) async fn spending(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<SpendingBody>,
) -> ApiResult<Json<Value>> {
    let actor = &a.session.actor;
    let p = project_of(&state, actor, &id).await?;
    let input = SpendingInput {
        date: date_field("date", &body.date, p.year)?.to_string(),
        amount: body.amount,
        voucher: body.voucher,
        note: body.note,
    };
    let s = state.app.record_spending_on(actor, &p, &input).await?;
    Ok(Json(recorded_json(&s)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetractSpending {
    date: String,
    #[serde(default)]
    voucher: Option<String>,
    #[serde(default)]
    note: Option<String>,
    reason: String,
}

/// `POST /api/projects/{id}/spending/retract` — `{"date", "voucher" | "note", "reason"}`.
pub(crate) async fn retract_spending(
    axum::extract::State(state): AppState,
    a: Authed,
    Path(id): Path<String>,
    Body(body): Body<RetractSpending>,
) -> ApiResult<Json<Value>> {
    let actor = &a.session.actor;
    let p = project_of(&state, actor, &id).await?;
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetBody {
    text: String,
    /// The declaration's year: a deadline without one (`12月底前`) is read in it.
    #[serde(default)]
    year: Option<i32>,
}

/// `POST /api/targets/check` — what a target is read as; 422 with the column when it does not
/// read. Needs a session (like every route) but reads no data.
pub(crate) async fn check_target(
    axum::extract::State(_state): AppState,
    _a: Authed,
    Body(body): Body<TargetBody>,
) -> ApiResult<Json<Value>> {
    let r = jixiao_app::check_target_in(&body.text, body.year)?;
    Ok(Json(serde_json::to_value(&r).map_err(AppError::internal)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftBody {
    project: Value,
}

/// `POST /api/drafts/check` — the review of an unsaved draft: `{errors, warnings, review}`.
pub(crate) async fn check_draft(
    axum::extract::State(state): AppState,
    _a: Authed,
    Body(body): Body<DraftBody>,
) -> ApiResult<Json<Value>> {
    let project = project_from_json(body.project)?;
    let c = state
        .app
        .check_draft(&project, &state.options.review_policy);
    Ok(Json(json!({
        "errors": serde_json::to_value(&c.targets.errors).map_err(AppError::internal)?,
        "warnings": warnings_json(&c.targets.warnings),
        "review": c.review.to_json(),
    })))
}
