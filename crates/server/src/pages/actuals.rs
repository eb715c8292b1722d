//! 实际值与支出 — entry of an actual value per indicator and period, and of a spending record,
//! read by the same parsers as the CSV/XLSX rows (an error is shown beside its field and
//! nothing is stored); retraction of either with a reason.

use askama::Template;
use axum::extract::{Path, State as S};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use jixiao_app::{ActualInput, AppError, ProjectView, SpendingInput, WriteOutcome};
use jixiao_model::{present, Decimal, NaiveDate, Observation, ReportPeriod};
use serde::Deserialize;

use super::project::Head;
use super::{id_of, read_date, CsrfField, Failure, Frame, PageResult, PageUser, Params, Posted};
use crate::State;

/// Which form an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
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
    failure: Option<(Which, Failure)>,
    saved: Option<Saved>,
}

/// What the last write was (`actual`, `spending` or `retracted`) and what it did.
struct Saved {
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
        jixiao_app::views::observed(&o.value, self.f.lang)
    }

    fn period(&self, o: &Observation) -> String {
        match self.f.lang {
            jixiao_model::Lang::Zh => o.period.zh(),
            jixiao_model::Lang::En => o.period.to_string(),
        }
    }

    fn failure_of(&self, which: Which) -> Option<&Failure> {
        self.failure
            .as_ref()
            .filter(|(w, _)| *w == which)
            .map(|(_, f)| f)
    }

    fn actual_failure(&self) -> Option<&Failure> {
        self.failure_of(Which::Actual)
    }

    fn spend_failure(&self) -> Option<&Failure> {
        self.failure_of(Which::Spending)
    }

    fn retract_failure(&self) -> Option<&Failure> {
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
    fn other_errors(&self, f: &Failure, fields: &[&str]) -> Vec<String> {
        f.diagnostics
            .iter()
            .filter(|d| d.column.as_deref().is_none_or(|c| !fields.contains(&c)))
            .map(|d| format!("{} {}", d.where_, d.text(self.f.lang)))
            .collect()
    }

    fn actual_other(&self, f: &Failure) -> Vec<String> {
        self.other_errors(f, &ACTUAL_FIELDS)
    }

    fn spend_other(&self, f: &Failure) -> Vec<String> {
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
                    .map(|r| present::percent(jixiao_evaluate::round2(r)));
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
pub(crate) struct ActualForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: String,
}

impl CsrfField for ActualForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SpendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    voucher: String,
    #[serde(default)]
    note: String,
}

impl CsrfField for SpendForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RetractForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    reason: String,
}

impl CsrfField for RetractForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RetractSpendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    voucher: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

impl CsrfField for RetractSpendForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A failure about one field (the `column` a row error would name).
fn field_failure(column: &str, zh: String, en: String) -> Failure {
    Failure {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        zh: format!("输入有误，未录入任何数据：{zh}"),
        en: format!("the input has an error; nothing was recorded: {en}"),
        diagnostics: vec![super::Diag {
            where_: column.to_string(),
            level: "error".into(),
            zh,
            en,
            column: Some(column.to_string()),
        }],
    }
}

/// A failure of a form typed on this page: the rows parser names the row of a file, which a
/// page does not have; say how many errors, and let each stand beside its field.
fn on_page(mut f: Failure) -> Failure {
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

async fn show(
    state: &State,
    user: &PageUser,
    id: i64,
    actual: ActualForm,
    spend: SpendForm,
    failure: Option<(Which, Failure)>,
    saved: Option<Saved>,
) -> PageResult {
    let v = state
        .app
        .project_view(user.actor(), id, &state.options.review_policy)
        .await
        .map_err(|e| user.fail(e))?;
    let status = failure.as_ref().map_or(StatusCode::OK, |(_, f)| f.status);
    super::render_with(
        user.lang,
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
pub(crate) async fn page(
    S(state): S<State>,
    user: PageUser,
    Path(raw): Path<String>,
    Params(q): Params,
) -> PageResult {
    let id = id_of(&user, &raw)?;
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
fn saved(
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
        to.push_str(&super::encode(was));
    }
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response())
}

/// `POST /projects/{id}/actuals`: one value for an indicator (by code) and a date/period.
pub(crate) async fn record(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActualForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    let attempt = async {
        if form.indicator.trim().is_empty() {
            return Err(field_failure(
                "indicator",
                "请选择指标".into(),
                "choose an indicator".into(),
            ));
        }
        let date = read_date("date", &form.date, p.year)
            .map_err(|f| field_failure("date", f.zh.clone(), f.en.clone()))?;
        let period = match some(&form.period) {
            None => None,
            Some(t) => Some(t.parse::<ReportPeriod>().map_err(|e| {
                let (zh, en) = e.messages_in(p.year);
                field_failure("period", zh, en)
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
            .record_actual_in(actor, &p, &input, &state.options.eval_policy)
            .await
            .map_err(|e| on_page(Failure::from(e)))
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
        Err(f) => Err(user.fail(f)),
    }
}

/// `POST /projects/{id}/spending`: one spending record (date, amount in 元, voucher, note).
pub(crate) async fn spend(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<SpendForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
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
                Some((Which::Spending, on_page(Failure::from(e)))),
                None,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

async fn retract_failed(state: &State, user: &PageUser, id: i64, e: AppError) -> PageResult {
    if e.kind() == jixiao_app::ErrorKind::Invalid || e.kind() == jixiao_app::ErrorKind::NotFound {
        // A missing reason, or a value that is no longer there: say so on the page.
        let mut f = Failure::from(e);
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
    Err(user.fail(e))
}

/// `POST /projects/{id}/actuals/retract`: retracts the current value of an indicator for a
/// period, with a reason (kept in the history and the audit trail).
pub(crate) async fn retract(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<RetractForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    let period = match form.period.trim().parse::<ReportPeriod>() {
        Ok(x) => x,
        Err(e) => {
            return retract_failed(&state, &user, id, {
                let (zh, en) = e.messages_in(p.year);
                AppError::invalid(zh, en)
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

/// `POST /projects/{id}/spending/retract`: retracts a spending record (by date and voucher or
/// note), with a reason.
pub(crate) async fn retract_spending(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<RetractSpendForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    let date = match read_date("date", &form.date, p.year) {
        Ok(d) => d,
        Err(f) => return retract_failed(&state, &user, id, AppError::invalid(f.zh, f.en)).await,
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
