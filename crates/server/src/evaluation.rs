//! 监控与自评 — what is computed from a declaration and its actuals: monitoring as of a date
//! (`GET /api/projects/{id}/monitoring`, the monitoring page), the self-evaluation (自评表:
//! `GET /api/projects/{id}/evaluation`, the evaluation page) and its notes (自评说明: `GET/PUT
//! /api/projects/{id}/notes`, `GET /api/projects/{id}/notes/history`, the page's form).

use std::collections::BTreeMap;

use askama::Template;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use jixiao_app::Action;
use jixiao_app::{EvaluationNotes, IndicatorNote, NoteRecord};
use jixiao_app::{Monitoring, SelfEvaluation};
use jixiao_model::NaiveDate;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::{opt, Api, Body, PageOn, PageUser, Pairs, Params, PostedOn};
use crate::state::State;
use crate::view::json::{Evaluation, NoteHistory, NoteVersion, Notes};
use crate::view::{read_date, render, render_refused, today, Frame, Head, PageResult};

/// The routes of monitoring and self-evaluation.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/projects/{id}/evaluation", get(project_evaluation))
        .route("/api/projects/{id}/monitoring", get(project_monitoring))
        .route("/api/projects/{id}/notes", get(notes).put(set_notes))
        .route("/api/projects/{id}/notes/history", get(notes_history))
        .route("/projects/{id}/monitoring", get(monitoring))
        .route(
            "/projects/{id}/evaluation",
            get(evaluation).post(save_notes),
        )
}

#[utoipa::path(get, path = "/api/projects/{id}/evaluation", tag = "evaluation", summary = "绩效自评表 / self-evaluation (docs/evaluation-json.md)", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "OK", body = Evaluation), crate::openapi::Reading))]
pub async fn project_evaluation(r: Api) -> Result<Json<Evaluation>> {
    let p = r.project().await?;
    let e = r.state.app.evaluate(r.actor(), &p).await?;
    Ok(Json(Evaluation::from(e)))
}

#[utoipa::path(get, path = "/api/projects/{id}/monitoring", tag = "evaluation", summary = "绩效运行监控 / monitoring as of a date", params(("id" = i64, Path, description = "项目编号 / declaration id"), ("as_of" = String, Query, format = Date)), responses((status = 200, description = "The 监控表 (docs/evaluation-json.md)", body = serde_json::Value), crate::openapi::Reading))]
pub async fn project_monitoring(r: Api, Params(q): Params) -> Result<Json<Monitoring>> {
    // The declaration first: the examples of a missing or unreadable date are in its year.
    let p = r.project().await?;
    let year = p.year;
    let Some(raw) = q.get("as_of") else {
        return Err(Error::invalid(
            format!("缺少参数 as_of（截至日期，如 {year}-06-30）"),
            format!("the query parameter as_of (a date such as {year}-06-30) is missing"),
        ));
    };
    let as_of = jixiao_model::parse_date(raw).map_err(|_| {
        Error::invalid(
            format!("as_of=「{raw}」不是日期，应写作 {year}-06-30"),
            format!("as_of={raw:?} is not a date; write {year}-06-30"),
        )
    })?;
    Ok(Json(r.state.app.monitor(r.actor(), &p, as_of).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    indicator_id: i64,
    #[serde(default)]
    deviation_reason: Option<String>,
    #[serde(default)]
    remedy: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotesBody {
    #[serde(default)]
    annual_budget: Option<String>,
    #[serde(default)]
    indicators: Vec<NoteBody>,
}

/// `GET /api/projects/{id}/notes`.
#[utoipa::path(get, path = "/api/projects/{id}/notes", tag = "evaluation", summary = "自评说明 / self-evaluation notes: {annual_budget, indicators}", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "OK", body = Notes), crate::openapi::Reading))]
pub async fn notes(r: Api) -> Result<Json<Notes>> {
    let n = r.state.app.notes(r.actor(), r.id).await?;
    Ok(Json(Notes::from(&n)))
}

/// `GET /api/projects/{id}/notes/history` — every version of the notes, oldest first.
#[utoipa::path(get, path = "/api/projects/{id}/notes/history", tag = "evaluation", summary = "自评说明的历史 / every version of the notes", params(("id" = i64, Path, description = "项目编号 / declaration id")), responses((status = 200, description = "{items}", body = NoteHistory), crate::openapi::Reading))]
pub async fn notes_history(r: Api) -> Result<Json<NoteHistory>> {
    let rows = r.state.app.notes_history(r.actor(), r.id).await?;
    Ok(Json(NoteHistory {
        items: rows.iter().map(NoteVersion::from).collect(),
    }))
}

/// `PUT /api/projects/{id}/notes` — replaces the notes: `{"annual_budget", "indicators":
/// [{"indicator_id", "deviation_reason", "remedy"}]}`.
#[utoipa::path(put, path = "/api/projects/{id}/notes", tag = "evaluation", security(("session" = [], "csrf" = [])), summary = "替换自评说明 / replace the self-evaluation notes; history kept", params(("id" = i64, Path, description = "项目编号 / declaration id")), request_body = NotesBody, responses((status = 200, description = "the notes now, and changed", body = Notes), crate::openapi::Changing))]
pub async fn set_notes(r: Api, Body(body): Body<NotesBody>) -> Result<Json<Notes>> {
    let annual_budget =
        jixiao_app::read_annual_budget(body.annual_budget.as_deref().unwrap_or(""))?;
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
            return Err(Error::invalid(
                format!("指标 {} 出现了两次", n.indicator_id),
                format!("indicator {} is given twice", n.indicator_id),
            ));
        }
    }
    let notes = EvaluationNotes {
        annual_budget,
        indicators,
    };
    let changed = r.state.app.set_notes(r.actor(), r.id, &notes).await?;
    let now = r.state.app.notes(r.actor(), r.id).await?;
    Ok(Json(Notes {
        changed: Some(changed),
        ..Notes::from(&now)
    }))
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct MonitoringPage {
    f: Frame,
    h: Head,
    m: Monitoring,
    as_of: NaiveDate,
    /// Whether the actor may open a rectification on a 红/黄 light: `app::access`, and the
    /// page shows today's monitoring (what `App::open_rectification` checks).
    may_open: bool,
    /// The deadline a new rectification is offered: 30 days from today.
    deadline: NaiveDate,
}

impl MonitoringPage {
    /// 红 or 黄: a light that may become a rectification.
    fn warns(&self, l: &jixiao_app::Light) -> bool {
        matches!(l, jixiao_app::Light::Red | jixiao_app::Light::Yellow)
    }

    fn pcts(&self, xs: &[jixiao_model::Decimal]) -> String {
        xs.iter()
            .map(|x| self.f.pct(*x))
            .collect::<Vec<_>>()
            .join("；")
    }

    fn nums(&self, xs: &[jixiao_model::Decimal]) -> String {
        xs.iter()
            .map(|x| self.f.num(*x))
            .collect::<Vec<_>>()
            .join("；")
    }

    fn initial<'a>(&self, x: &'a jixiao_app::InitialTarget, target: &'a str) -> &'a str {
        initial_text(&self.f, x, target)
    }
}

/// The 年初指标值 cell of an adjusted declaration's row: the target, or 调整新增.
fn initial_text<'a>(f: &Frame, x: &'a jixiao_app::InitialTarget, target: &'a str) -> &'a str {
    x.text(target)
        .unwrap_or_else(|| f.t("（调整新增）", "(added by the adjustment)"))
}

/// `GET /projects/{id}/monitoring?as_of=2024-06-30` (default: today, or the project's end
/// when it has ended).
pub async fn monitoring(r: PageOn, Params(q): Params) -> PageResult {
    let (state, user) = (&r.state, &r.who);
    let actor = user.actor();
    let p = state.app.project_by_id(actor, r.id).await?;
    let day = today(user.zone);
    let monitored_today = day.clamp(p.start.min(p.end), p.end.max(p.start));
    let as_of = match opt(&q, "as_of") {
        Some(d) => read_date("as_of", &d, p.year)?,
        None => monitored_today,
    };
    let m = state.app.monitor(user.actor(), &p, as_of).await?;
    render(&MonitoringPage {
        f: user.frame("home"),
        h: Head::of(&p, r.id, "monitoring"),
        m,
        as_of,
        may_open: as_of == monitored_today
            && actor.may_on(jixiao_app::Action::OpenRectification, &p),
        deadline: crate::view::days_after(day, 30),
    })
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    f: Frame,
    h: Head,
    e: SelfEvaluation,
    /// The indicator ids of the current version, by code.
    ids: BTreeMap<String, i64>,
    /// The notes as stored, or as typed when a save was refused.
    notes: EvaluationNotes,
    budget_text: String,
    history: Vec<NoteRecord>,
    /// The actor may write the notes (`app::access`).
    may_write: bool,
    /// Whether the actor may open a rectification on a flag or deduction (`app::access`).
    may_open: bool,
    /// The deadline a new rectification is offered: 30 days from today.
    deadline: NaiveDate,
    /// What a rectification may act on: the deductions and the flags
    /// (`jixiao_app::self_evaluation_findings`).
    findings: Vec<jixiao_app::SelfEvaluationFinding>,
    /// The declaration's rectifications (status as of today), when the actor may open one.
    rectifications: Vec<jixiao_app::RectificationItem>,
    failure: Option<Error>,
    done: bool,
}

impl EvaluationPage {
    /// The deduction of the budget's 执行率, if points were lost.
    fn budget_deduction(&self) -> Option<&jixiao_app::SelfEvaluationFinding> {
        self.findings
            .iter()
            .find(|x| x.rule == jixiao_app::BUDGET_DEDUCTION)
    }

    /// The deduction of an indicator, if it lost points.
    fn deduction(&self, code: &str) -> Option<&jixiao_app::SelfEvaluationFinding> {
        self.findings
            .iter()
            .find(|x| x.rule == jixiao_app::INDICATOR_DEDUCTION && x.code.as_deref() == Some(code))
    }

    /// The test id's suffix of the `k`-th flag's button (`flag-1`).
    fn flag_n(&self, k: &usize) -> String {
        format!("flag-{k}")
    }

    /// The rule a rectification on a flag names (the flag kind's id).
    fn flag_rule(&self, x: &jixiao_app::Flag) -> String {
        jixiao_app::flag_id(&x.kind)
    }

    /// The rectification not completed that acts on a self-evaluation finding, if any.
    fn rectification_of(
        &self,
        rule: &str,
        code: &Option<String>,
    ) -> Option<&jixiao_app::RectificationItem> {
        let indicator = code.as_deref().and_then(|c| self.ids.get(c).copied());
        self.rectifications.iter().find(|r| {
            let f = &r.rectification.finding;
            r.status.is_pending()
                && f.source == jixiao_model::FindingSource::SelfEvaluation
                && f.rule == rule
                && f.indicator_id == indicator
        })
    }

    fn rect_status(&self, r: &jixiao_app::RectificationItem) -> &'static str {
        self.f.t(r.status.zh(), r.status.en())
    }

    fn outcome(&self, o: &jixiao_app::EvalOutcome) -> &'static str {
        self.f.t(o.zh(), o.en())
    }

    fn initial<'a>(&self, x: &'a jixiao_app::InitialTarget, target: &'a str) -> &'a str {
        initial_text(&self.f, x, target)
    }

    fn id_of(&self, code: &str) -> i64 {
        self.ids.get(code).copied().unwrap_or_default()
    }

    fn reason(&self, code: &str) -> String {
        self.note(code, |n| n.deviation_reason.clone())
    }

    /// The 偏差原因 the 自评表 took from the note of the latest actual value, when no
    /// 自评说明 is stored for the indicator: the form shows it (pre-filled, saying where it
    /// came from) instead of an empty field marked 须说明. One reason, one place.
    fn reason_of_actual<'a>(&self, i: &'a jixiao_app::IndicatorScore) -> Option<&'a str> {
        let stored = self
            .ids
            .get(&i.code)
            .is_some_and(|id| self.notes.indicators.contains_key(id));
        if stored {
            None
        } else {
            i.deviation_reason.as_deref()
        }
    }

    /// The 偏差原因 field's value: what is stored (or typed), else the actual value's note.
    fn reason_value(&self, i: &jixiao_app::IndicatorScore) -> String {
        let typed = self.reason(&i.code);
        match self.reason_of_actual(i) {
            Some(r) if typed.is_empty() => r.to_string(),
            _ => typed,
        }
    }

    fn remedy(&self, code: &str) -> String {
        self.note(code, |n| n.remedy.clone())
    }

    fn note(&self, code: &str, pick: impl Fn(&IndicatorNote) -> Option<String>) -> String {
        self.ids
            .get(code)
            .and_then(|id| self.notes.indicators.get(id))
            .and_then(pick)
            .unwrap_or_default()
    }

    /// The indicator a note is about, by its code (`#id` when the current version has it no
    /// more); the 全年预算数 when none.
    fn code_of(&self, r: &NoteRecord) -> String {
        let Some(iid) = r.indicator_id else {
            return self.f.t("全年预算数", "annual budget").to_string();
        };
        let code = self
            .ids
            .iter()
            .find_map(|(c, v)| (*v == iid).then(|| c.clone()));
        code.unwrap_or_else(|| format!("#{iid}"))
    }

    fn opt<'a>(&self, s: &'a Option<String>) -> &'a str {
        s.as_deref().unwrap_or("")
    }
}

/// `GET /projects/{id}/evaluation`: the 自评表 with the actuals recorded so far, and the
/// 自评说明 (偏差原因, 改进措施, the adjusted 全年预算数) with their history.
pub async fn evaluation(r: PageOn, Params(q): Params) -> PageResult {
    let done = opt(&q, "done").is_some();
    evaluation_page(&r.state, &r.who, r.id, None, None, done).await
}

/// The self-evaluation page; `failure` a refusal (of a save, or of a rectification opened from
/// it), `typed` a refused save's input (kept in the form).
pub(crate) async fn evaluation_page(
    state: &State,
    user: &PageUser,
    id: i64,
    failure: Option<Error>,
    typed: Option<(EvaluationNotes, String)>,
    done: bool,
) -> PageResult {
    let actor = user.actor();
    let p = state.app.project_by_id(actor, id).await?;
    let e = state.app.evaluate(actor, &p).await?;
    let may_open = actor.may_on(Action::OpenRectification, &p);
    let day = today(user.zone);
    let rectifications = if may_open {
        let only = jixiao_app::RectificationFilter {
            declaration: Some(id),
            ..Default::default()
        };
        state.app.rectifications(actor, &only, day).await?
    } else {
        Vec::new()
    };
    let findings = jixiao_app::self_evaluation_findings(&e);
    let mut history = state.app.notes_history(actor, id).await?;
    history.reverse();
    let ids = p
        .indicators
        .iter()
        .filter_map(|i| Some((i.code.clone(), i.id?)))
        .collect();
    let (notes, budget_text) = match typed {
        Some((n, b)) => (n, b),
        None => {
            let n = state.app.notes(actor, id).await?;
            let b = n.annual_budget.map(|b| b.to_string()).unwrap_or_default();
            (n, b)
        }
    };
    let page = EvaluationPage {
        f: user.frame("home"),
        h: Head::of(&p, id, "evaluation"),
        e,
        ids,
        notes,
        budget_text,
        history,
        may_write: actor.may_on(Action::Write, &p),
        may_open,
        deadline: crate::view::days_after(day, 30),
        findings,
        rectifications,
        failure,
        done,
    };
    render_refused(page.failure.as_ref(), &page)
}

/// `POST /projects/{id}/evaluation`: replaces the 自评说明 — `annual_budget` (元, empty: the
/// 年初预算数 stands), `reason_{indicator id}` and `remedy_{indicator id}`; a refusal keeps
/// what was typed.
pub async fn save_notes(posted: PostedOn<Pairs>) -> PageResult {
    let p = posted.on.project().await?;
    let PostedOn { on, form } = posted;
    let (state, user, id) = (on.state, on.who, on.id);
    let mut notes = EvaluationNotes::default();
    for ind in &p.indicators {
        let Some(iid) = ind.id else { continue };
        let text = |k: &str| {
            let t = form.get(&format!("{k}_{iid}"));
            let t = t.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        let n = IndicatorNote {
            deviation_reason: text("reason"),
            remedy: text("remedy"),
        };
        if n.deviation_reason.is_some() || n.remedy.is_some() {
            notes.indicators.insert(iid, n);
        }
    }
    let budget_text = form.get("annual_budget");
    let refuse = |f: Error, notes: EvaluationNotes, b: String| {
        let state = state.clone();
        let user = user.clone();
        async move { evaluation_page(&state, &user, id, Some(f), Some((notes, b)), false).await }
    };
    match jixiao_app::read_annual_budget(&budget_text) {
        Ok(b) => notes.annual_budget = b,
        Err(e) => return refuse(e.into(), notes, budget_text).await,
    }
    match state.app.set_notes(user.actor(), id, &notes).await {
        Ok(_) => Ok(
            axum::response::Redirect::to(&format!("/projects/{id}/evaluation?done=notes"))
                .into_response(),
        ),
        Err(e) => refuse(e.into(), notes, budget_text).await,
    }
}
