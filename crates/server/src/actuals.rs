//! 实际值 — the actual values (实际完成值) of a declaration's indicators: one value per
//! indicator and period (`POST /api/projects/{id}/actuals`, the form of the actuals page) and
//! its retraction with a reason (`POST …/actuals/retract`). The actuals page also holds the
//! spending forms (`crate::spending`), so its renderer ([`show`]) is shared from here. Values
//! are read by the same parsers as the CSV/XLSX rows (an error is shown beside its field and
//! nothing is stored).

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::{ActualInput, AppError, ProjectView, WriteOutcome};
use jixiao_model::{present, Decimal, NaiveDate, Observation, ReportPeriod};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::{csrf_field, Api, Body, PageOn, Params, PostedOn};
use crate::state::State;
use crate::view::json::{RecordedView, Retracted};
use crate::view::{encode, render_with, Frame, Head, PageResult};

/// The routes of actual values.
pub fn router() -> Router<State> {
    Router::new()
        .route("/projects/{id}/actuals", get(page).post(record))
        .route("/projects/{id}/actuals/retract", post(retract))
        .route("/api/projects/{id}/actuals", post(actual))
        .route("/api/projects/{id}/actuals/retract", post(retract_actual))
}

/// A 填报期间 (`2024`, `2024-06`, `2024Q2`, `2024H1`) as typed, or its messages (Chinese,
/// English) with examples in the declaration's year.
pub fn period_of(text: &str, year: i32) -> Result<ReportPeriod, (String, String)> {
    text.trim()
        .parse::<ReportPeriod>()
        .map_err(|e| e.messages_in(year))
}

/// [`period_of`], refused as the JSON API refuses it (422).
fn read_period(text: &str, year: i32) -> Result<ReportPeriod> {
    period_of(text, year).map_err(|(zh, en)| Error::invalid(zh, en))
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
#[utoipa::path(post, path = "/api/projects/{id}/actuals", tag = "actuals", security(("session" = [], "csrf" = [])), summary = "录入实际完成值 / record one actual value (indicator by code or name)", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = ActualBody, responses((status = 200, description = "{added, replaced, unchanged, outcome, message_zh, message_en}", body = RecordedView), crate::openapi::Changing))]
pub async fn actual(r: Api, Body(body): Body<ActualBody>) -> Result<Json<RecordedView>> {
    let p = r.project().await?;
    // Read once, in `app`, each problem at its field.
    let input = ActualInput {
        project: p.name.clone(),
        year: Some(p.year),
        indicator: body.indicator,
        date: body.date,
        period: body.period,
        value: body.value,
        note: body.note,
        evidence: body.evidence,
    };
    let done = r.state.app.record_actual_in(r.actor(), &p, &input);
    Ok(Json(RecordedView::from(&done.await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetractActual {
    indicator: String,
    period: String,
    reason: String,
}

/// `POST /api/projects/{id}/actuals/retract` — `{"indicator", "period", "reason"}`.
#[utoipa::path(post, path = "/api/projects/{id}/actuals/retract", tag = "actuals", security(("session" = [], "csrf" = [])), summary = "撤回实际完成值（须说明原因）/ retract an actual value, with a reason", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = RetractActual, responses((status = 200, description = "{retracted: true, outcome: retracted}", body = Retracted), crate::openapi::Changing))]
pub async fn retract_actual(r: Api, Body(body): Body<RetractActual>) -> Result<Json<Retracted>> {
    let p = r.project().await?;
    let period = read_period(&body.period, p.year)?;
    let app = &r.state.app;
    app.retract_actual(r.actor(), &p, &body.indicator, period, &body.reason)
        .await?;
    Ok(Json(Retracted::DONE))
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
#[serde(default)]
pub struct ActualForm {
    pub csrf: String,
    pub indicator: String,
    pub date: String,
    pub period: String,
    pub value: String,
    pub note: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SpendForm {
    pub csrf: String,
    pub date: String,
    pub amount: String,
    pub voucher: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RetractForm {
    pub csrf: String,
    pub indicator: String,
    pub period: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RetractSpendForm {
    pub csrf: String,
    pub date: String,
    pub voucher: String,
    pub note: String,
    pub reason: String,
}

csrf_field!(ActualForm, SpendForm, RetractForm, RetractSpendForm);

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

/// What a refused form held, kept in it when the page is shown again.
pub enum Typed {
    Actual(ActualForm),
    Spending(SpendForm),
    Retract,
}

/// The actuals page, with a refused form (its input kept, the refusal beside it) or what
/// the last write did.
async fn show(on: &PageOn, refused: Option<(Typed, Error)>, saved: Option<Saved>) -> PageResult {
    let v = on.view().await?;
    let status = refused.as_ref().map_or(StatusCode::OK, |(_, f)| f.status);
    let (actual, spend, failure) = match refused {
        None => (ActualForm::default(), SpendForm::default(), None),
        Some((Typed::Actual(a), f)) => (a, SpendForm::default(), Some((Which::Actual, f))),
        Some((Typed::Spending(s), f)) => (ActualForm::default(), s, Some((Which::Spending, f))),
        Some((Typed::Retract, f)) => (
            ActualForm::default(),
            SpendForm::default(),
            Some((Which::Retract, f)),
        ),
    };
    render_with(
        status,
        &Page {
            f: on.who.frame("home"),
            h: Head::of(&v.project, on.id, "actuals"),
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
pub async fn page(r: PageOn, Params(q): Params) -> PageResult {
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
        (Some("retracted"), _) => Some(Saved::retracted()),
        _ => None,
    };
    show(&r, None, saved).await
}

impl Saved {
    /// What a write of an actual value or a spending record did.
    pub fn of(what: &'static str, r: jixiao_app::Recorded) -> Saved {
        Saved {
            what,
            outcome: r.outcome,
            as_of: r.as_of,
        }
    }

    /// A retraction.
    pub fn retracted() -> Saved {
        Saved {
            what: "retracted",
            outcome: WriteOutcome::Retracted,
            as_of: None,
        }
    }

    /// Back to the page after the write, saying what it did.
    fn redirect(&self, id: i64, lang: jixiao_model::Lang) -> PageResult {
        let (what, outcome) = (self.what, &self.outcome);
        let mut to = format!(
            "/projects/{id}/actuals?saved={what}&outcome={}",
            outcome.id()
        );
        if let Some((period, date)) = self.as_of {
            to.push_str(&format!("&period={period}&asof={date}"));
        }
        if let WriteOutcome::Corrected { was_zh, was_en } = outcome {
            to.push_str("&was=");
            to.push_str(&encode(lang.pick(was_zh, was_en)));
        }
        Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
    }
}

/// The answer of a form of the actuals page: done, back to the page saying what the write did
/// (303); refused for its input (422), the page again with the refusal beside the form and
/// what was typed kept; any other error, the error page.
pub async fn answer<T>(
    p: PostedOn<T>,
    typed: impl FnOnce(T) -> Typed,
    r: Result<Saved, Error>,
) -> PageResult {
    match r {
        Ok(saved) => saved.redirect(p.on.id, p.user().lang),
        Err(f) if f.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let refused = Some((typed(p.form), f));
            show(&p.on, refused, None).await
        }
        Err(f) => Err(f),
    }
}

/// A retraction refused for its input, or because the value or record is no longer there:
/// said on the page (422); anything else is the error page.
pub fn retract_refused(e: AppError) -> Error {
    let shown = matches!(
        e.kind(),
        jixiao_app::ErrorKind::Invalid | jixiao_app::ErrorKind::NotFound
    );
    let mut f = Error::from(e);
    if shown {
        f.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    f
}

/// `POST /projects/{id}/actuals`: one value for an indicator (by code) and a date/period.
pub async fn record(p: PostedOn<ActualForm>) -> PageResult {
    let r = record_typed(&p).await;
    answer(p, Typed::Actual, r).await
}

/// The value of the actuals form, each problem named by its field.
async fn record_typed(p: &PostedOn<ActualForm>) -> Result<Saved, Error> {
    let (form, project) = (&p.form, p.on.project().await?);
    // Read once, in `app`: each problem comes back at its field.
    let input = ActualInput {
        project: project.name.clone(),
        year: Some(project.year),
        indicator: form.indicator.trim().to_string(),
        date: form.date.clone(),
        period: some(&form.period),
        value: form.value.clone(),
        note: some(&form.note),
        evidence: some(&form.evidence),
    };
    let app = &p.on.state.app;
    match app
        .record_actual_in(p.user().actor(), &project, &input)
        .await
    {
        Ok(r) => Ok(Saved::of("actual", r)),
        Err(e) => Err(on_page(Error::from(e))),
    }
}

/// `POST /projects/{id}/actuals/retract`: retracts the current value of an indicator for a
/// period, with a reason (kept in the history and the audit trail).
pub async fn retract(p: PostedOn<RetractForm>) -> PageResult {
    let project = p.on.project().await?;
    let r = match period_of(&p.form.period, project.year) {
        Ok(period) => {
            let (indicator, reason) = (p.form.indicator.trim(), &p.form.reason);
            let app = &p.on.state.app;
            app.retract_actual(p.user().actor(), &project, indicator, period, reason)
                .await
                .map(|()| Saved::retracted())
                .map_err(retract_refused)
        }
        Err((zh, en)) => Err(Error::invalid(zh, en)),
    };
    answer(p, |_| Typed::Retract, r).await
}
