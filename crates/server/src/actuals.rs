//! 实际值 — the actual values (实际完成值) of a declaration's indicators: one value per
//! indicator and period (`POST /api/projects/{id}/actuals`, the form of the actuals page) and
//! its retraction with a reason (`POST …/actuals/retract`). The actuals page also holds the
//! spending forms (`crate::spending`), so its renderer ([`show`]) is shared from here. Values
//! are read by the same parsers as the CSV/XLSX rows (an error is shown beside its field and
//! nothing is stored).

use askama::Template;
use axum::extract::{Path, State as S};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::{ActualInput, AppError, ProjectView, WriteOutcome};
use jixiao_model::{present, Decimal, NaiveDate, Observation, ReportPeriod};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::extract::{project_id, Authed, Body, CsrfField, PageUser, Params, Posted, ProjectId};
use crate::state::{AppState, State};
use crate::view::{encode, read_date, render_with, Frame, Head, PageResult};

/// The routes of actual values.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/projects/{id}/actuals", post(actual))
        .route("/api/projects/{id}/actuals/retract", post(retract_actual))
        .route("/projects/{id}/actuals", get(page).post(record))
        .route("/projects/{id}/actuals/retract", post(retract))
}

/// A date of a request body, or an error whose example is in `year` (the declaration's own:
/// a 2025 project says `2025-06-30`).
pub fn date_field(field: &str, text: &str, year: i32) -> Result<NaiveDate> {
    jixiao_model::parse_date(text).map_err(|_| {
        Error::invalid(
            format!("{field}「{text}」不是日期，应写作 {year}-06-30"),
            format!("{field} {text:?} is not a date; write {year}-06-30"),
        )
    })
}

/// The counts of a write and what it did: `outcome` is `added`, `corrected` (with `was`, the
/// value before) or `unchanged`.
pub fn recorded_json(r: &jixiao_app::Recorded) -> Value {
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActualBody {
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
#[utoipa::path(post, path = "/api/projects/{id}/actuals", tag = "actuals", security(("session" = [], "csrf" = [])), summary = "录入实际完成值 / record one actual value (indicator by code or name)", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = ActualBody, responses((status = 200, description = "{added, replaced, unchanged, outcome, message_zh, message_en}"), crate::openapi::Changing))]
pub async fn actual(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    Body(body): Body<ActualBody>,
) -> Result<Json<Value>> {
    let actor = &a.session.actor;
    let p = state.app.project_by_id(actor, id).await?;
    let date = date_field("date", &body.date, p.year)?;
    let period = match body.period.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(t.parse::<ReportPeriod>().map_err(|e| {
            let (zh, en) = e.messages_in(p.year);
            Error::invalid(zh, en)
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
    let s = state.app.record_actual_in(actor, &p, &input).await?;
    Ok(Json(recorded_json(&s)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetractActual {
    indicator: String,
    period: String,
    reason: String,
}

/// `POST /api/projects/{id}/actuals/retract` — `{"indicator", "period", "reason"}`.
#[utoipa::path(post, path = "/api/projects/{id}/actuals/retract", tag = "actuals", security(("session" = [], "csrf" = [])), summary = "撤回实际完成值（须说明原因）/ retract an actual value, with a reason", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = RetractActual, responses((status = 200, description = "{retracted: true}"), crate::openapi::Changing))]
pub async fn retract_actual(
    S(state): AppState,
    a: Authed,
    ProjectId(id): ProjectId,
    Body(body): Body<RetractActual>,
) -> Result<Json<Value>> {
    let actor = &a.session.actor;
    let p = state.app.project_by_id(actor, id).await?;
    let period = body.period.trim().parse::<ReportPeriod>().map_err(|e| {
        let (zh, en) = e.messages_in(p.year);
        Error::invalid(zh, en)
    })?;
    state
        .app
        .retract_actual(actor, &p, &body.indicator, period, &body.reason)
        .await?;
    Ok(Json(json!({ "retracted": true, "outcome": "retracted" })))
}

/// Which form an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Actual,
    Spending,
    Retract,
}

#[derive(Template)]
#[template(path = "actuals.html")]
struct Page<'a> {
    f: Frame,
    h: Head,
    v: &'a ProjectView,
    actual: ActualForm,
    spend: SpendForm,
    failure: Option<(Which, Error)>,
    saved: Option<Saved>,
}

/// What the last write was (`actual`, `spending` or `retracted`) and what it did.
pub struct Saved {
    what: &'static str,
    outcome: WriteOutcome,
    /// A month or quarter written for a value read as of its day, and that day.
    as_of: Option<(ReportPeriod, NaiveDate)>,
}

impl Page<'_> {
    /// The declaration's year, for the examples of the date fields (`2025-06-30`).
    fn year(&self) -> i32 {
        self.v.project.year
    }

    fn name_of(&self, o: &Observation) -> String {
        self.v
            .project
            .indicator(&o.indicator)
            .map(|i| i.name.clone())
            .unwrap_or_default()
    }

    fn value(&self, o: &Observation) -> String {
        present::observed(&o.value, self.f.lang)
    }

    fn period(&self, o: &Observation) -> String {
        match self.f.lang {
            jixiao_model::Lang::Zh => o.period.zh(),
            jixiao_model::Lang::En => o.period.to_string(),
        }
    }

    fn failure_of(&self, which: Which) -> Option<&Error> {
        self.failure
            .as_ref()
            .filter(|(w, _)| *w == which)
            .map(|(_, f)| f)
    }

    fn actual_failure(&self) -> Option<&Error> {
        self.failure_of(Which::Actual)
    }

    fn spend_failure(&self) -> Option<&Error> {
        self.failure_of(Which::Spending)
    }

    fn retract_failure(&self) -> Option<&Error> {
        self.failure_of(Which::Retract)
    }

    /// The messages about one field of a form, joined.
    fn field_error(&self, which: Which, column: &str) -> String {
        self.failure_of(which)
            .map(|f| {
                f.diagnostics
                    .iter()
                    .filter(|d| d.column.as_deref() == Some(column))
                    .map(|d| d.text(self.f.lang).to_string())
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default()
    }

    fn actual_error(&self, column: &str) -> String {
        self.field_error(Which::Actual, column)
    }

    fn spend_error(&self, column: &str) -> String {
        self.field_error(Which::Spending, column)
    }

    /// Problems not about one of the form's fields.
    fn other_errors(&self, f: &Error, fields: &[&str]) -> Vec<String> {
        f.diagnostics
            .iter()
            .filter(|d| d.column.as_deref().is_none_or(|c| !fields.contains(&c)))
            .map(|d| format!("{} {}", d.where_, d.text(self.f.lang)))
            .collect()
    }

    fn actual_other(&self, f: &Error) -> Vec<String> {
        self.other_errors(f, &ACTUAL_FIELDS)
    }

    fn spend_other(&self, f: &Error) -> Vec<String> {
        self.other_errors(f, &SPEND_FIELDS)
    }

    /// What the last write did: 实际完成值已新增 / 已更正，原值 88% / 未变化 / 已撤回.
    fn saved_text(&self) -> String {
        let Some(s) = &self.saved else {
            return String::new();
        };
        let what = match s.what {
            "actual" => self.f.t("实际完成值", "Actual value: "),
            "spending" => self.f.t("支出", "Spending record: "),
            _ => "",
        };
        let mut text = format!("{what}{}", s.outcome.text(self.f.lang));
        if let Some((period, date)) = s.as_of {
            text.push_str(self.f.t("；", "; "));
            text.push_str(&jixiao_app::as_of_text(period, date, self.f.lang));
        }
        text
    }

    /// Per spending record (in the order shown): the running total and the running 执行率
    /// against the 年度资金申请总额 (`None` when the budget is 0 or the sum overflows).
    fn running(&self) -> Vec<(String, String)> {
        let budget = self.v.project.funds.total;
        let mut sum = Some(Decimal::ZERO);
        self.v
            .spending
            .iter()
            .map(|s| {
                sum = sum.and_then(|t| t.checked_add(s.amount));
                let rate = sum
                    .filter(|_| !budget.is_zero())
                    .and_then(|t| t.checked_mul(Decimal::ONE_HUNDRED))
                    .and_then(|t| t.checked_div(budget))
                    .map(|r| present::percent(jixiao_app::round2(r)));
                (
                    sum.map(present::amount).unwrap_or_else(|| "—".into()),
                    rate.unwrap_or_else(|| "—".into()),
                )
            })
            .collect()
    }

    /// The 合计 row: the total spent and its 执行率.
    fn total(&self) -> (String, String) {
        self.running()
            .pop()
            .unwrap_or_else(|| (present::amount(Decimal::ZERO), "—".into()))
    }

    fn selected(&self, code: &str) -> bool {
        self.actual.indicator == code
    }
}

const ACTUAL_FIELDS: [&str; 6] = ["indicator", "date", "period", "value", "note", "evidence"];
const SPEND_FIELDS: [&str; 4] = ["date", "amount", "voucher", "note"];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActualForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: String,
}

impl CsrfField for ActualForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SpendForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub voucher: String,
    #[serde(default)]
    pub note: String,
}

impl CsrfField for SpendForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RetractForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub reason: String,
}

impl CsrfField for RetractForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RetractSpendForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub voucher: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub reason: String,
}

impl CsrfField for RetractSpendForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A failure of a form typed on this page: the rows parser names the row of a file, which a
/// page does not have; say how many errors, and let each stand beside its field.
pub fn on_page(mut f: Error) -> Error {
    if !f.diagnostics.is_empty() {
        let n = f.diagnostics.len();
        f.zh = format!("输入有 {n} 处错误，未录入任何数据");
        f.en = format!("the input has {n} error(s); nothing was recorded");
        for d in &mut f.diagnostics {
            d.where_ = d.column.clone().unwrap_or_default();
        }
    }
    f
}

pub async fn show(
    state: &State,
    user: &PageUser,
    id: i64,
    actual: ActualForm,
    spend: SpendForm,
    failure: Option<(Which, Error)>,
    saved: Option<Saved>,
) -> PageResult {
    let v = state.app.project_view(user.actor(), id).await?;
    let status = failure.as_ref().map_or(StatusCode::OK, |(_, f)| f.status);
    render_with(
        status,
        &Page {
            f: user.frame("home"),
            h: Head::of(&v.project, id, "actuals"),
            v: &v,
            actual,
            spend,
            failure,
            saved,
        },
    )
}

/// `GET /projects/{id}/actuals[?saved=actual|spending|retracted&outcome=added|corrected|unchanged&was=…]`:
/// the page, saying what the last write did.
pub async fn page(
    S(state): AppState,
    user: PageUser,
    ProjectId(id): ProjectId,
    Params(q): Params,
) -> PageResult {
    let was = q.get("was").cloned().unwrap_or_default();
    let outcome = match q.get("outcome").map(String::as_str) {
        Some("added") => Some(WriteOutcome::Added),
        Some("corrected") => Some(WriteOutcome::Corrected {
            was_zh: was.clone(),
            was_en: was,
        }),
        Some("unchanged") => Some(WriteOutcome::Unchanged),
        _ => None,
    };
    // Only a period and a day that read are shown: the query is the visitor's text.
    let as_of = match (q.get("period"), q.get("asof")) {
        (Some(p), Some(d)) => p
            .parse::<ReportPeriod>()
            .ok()
            .zip(NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        _ => None,
    };
    let saved = match (q.get("saved").map(String::as_str), outcome) {
        (Some("actual"), Some(outcome)) => Some(Saved {
            what: "actual",
            outcome,
            as_of,
        }),
        (Some("spending"), Some(outcome)) => Some(Saved {
            what: "spending",
            outcome,
            as_of: None,
        }),
        (Some("retracted"), _) => Some(Saved {
            what: "retracted",
            outcome: WriteOutcome::Retracted,
            as_of: None,
        }),
        _ => None,
    };
    show(
        &state,
        &user,
        id,
        ActualForm::default(),
        SpendForm::default(),
        None,
        saved,
    )
    .await
}

/// Back to the page after a write, saying what it did.
pub fn saved(
    id: i64,
    what: &str,
    outcome: &WriteOutcome,
    as_of: Option<(ReportPeriod, NaiveDate)>,
    lang: jixiao_model::Lang,
) -> PageResult {
    let mut to = format!(
        "/projects/{id}/actuals?saved={what}&outcome={}",
        outcome.id()
    );
    if let Some((period, date)) = as_of {
        to.push_str(&format!("&period={period}&asof={date}"));
    }
    if let WriteOutcome::Corrected { was_zh, was_en } = outcome {
        let was = match lang {
            jixiao_model::Lang::Zh => was_zh,
            jixiao_model::Lang::En => was_en,
        };
        to.push_str("&was=");
        to.push_str(&encode(was));
    }
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
}

/// `POST /projects/{id}/actuals`: one value for an indicator (by code) and a date/period.
pub async fn record(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActualForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let actor = user.actor();
    let p = state.app.project_by_id(actor, id).await?;
    let attempt = async {
        if form.indicator.trim().is_empty() {
            return Err(Error::field(
                "indicator",
                "请选择指标".into(),
                "choose an indicator".into(),
            ));
        }
        let date = read_date("date", &form.date, p.year)
            .map_err(|f| Error::field("date", f.zh.clone(), f.en.clone()))?;
        let period = match some(&form.period) {
            None => None,
            Some(t) => Some(t.parse::<ReportPeriod>().map_err(|e| {
                let (zh, en) = e.messages_in(p.year);
                Error::field("period", zh, en)
            })?),
        };
        let input = ActualInput {
            project: p.name.clone(),
            year: Some(p.year),
            indicator: form.indicator.trim().to_string(),
            date,
            period,
            value: form.value.clone(),
            note: some(&form.note),
            evidence: some(&form.evidence),
        };
        state
            .app
            .record_actual_in(actor, &p, &input)
            .await
            .map_err(|e| on_page(Error::from(e)))
    };
    match attempt.await {
        Ok(r) => saved(id, "actual", &r.outcome, r.as_of, user.lang),
        Err(f) if f.status == StatusCode::UNPROCESSABLE_ENTITY => {
            show(
                &state,
                &user,
                id,
                form,
                SpendForm::default(),
                Some((Which::Actual, f)),
                None,
            )
            .await
        }
        Err(f) => Err(f),
    }
}

pub async fn retract_failed(state: &State, user: &PageUser, id: i64, e: AppError) -> PageResult {
    if e.kind() == jixiao_app::ErrorKind::Invalid || e.kind() == jixiao_app::ErrorKind::NotFound {
        // A missing reason, or a value that is no longer there: say so on the page.
        let mut f = Error::from(e);
        f.status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(
            state,
            user,
            id,
            ActualForm::default(),
            SpendForm::default(),
            Some((Which::Retract, f)),
            None,
        )
        .await;
    }
    Err(Error::from(e))
}

/// `POST /projects/{id}/actuals/retract`: retracts the current value of an indicator for a
/// period, with a reason (kept in the history and the audit trail).
pub async fn retract(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<RetractForm>,
) -> PageResult {
    let id = project_id(&raw)?;
    let actor = user.actor();
    let p = state.app.project_by_id(actor, id).await?;
    let period = match form.period.trim().parse::<ReportPeriod>() {
        Ok(x) => x,
        Err(e) => {
            return retract_failed(&state, &user, id, {
                let (zh, en) = e.messages_in(p.year);
                AppError::invalid(jixiao_app::Message::said(zh, en))
            })
            .await
        }
    };
    match state
        .app
        .retract_actual(actor, &p, form.indicator.trim(), period, &form.reason)
        .await
    {
        Ok(()) => saved(id, "retracted", &WriteOutcome::Retracted, None, user.lang),
        Err(e) => retract_failed(&state, &user, id, e).await,
    }
}
