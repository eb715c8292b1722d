//! 项目 — a declaration's pages: the overview (header, funds, goals, sub-tasks, the indicator
//! tree grouped 一级/二级 with targets, current actuals and review findings), monitoring as of
//! a date, the self-evaluation, and the history (versions and the audit trail).

use askama::Template;
use axum::extract::{Path, State as S};
use jixiao_app::access::{authorize, Action};
use jixiao_app::views::version_changes;
use std::collections::BTreeMap;

use axum::response::IntoResponse;
use jixiao_app::{
    AuditEntry, Comment, EvaluationNotes, IndicatorNote, NoteRecord, ProjectView, VersionChange,
    VersionInfo,
};
use jixiao_evaluate::{value_text, IndicatorValue, Monitoring, SelfEvaluation};
use jixiao_model::{
    present, Finding, Indicator, Lang, Level1, Level2, NaiveDate, Observation, Project, Status,
};

use super::editor::Pairs;
use super::{id_of, opt, read_date, today, Failure, Frame, PageResult, PageUser, Params, Posted};
use crate::State;

/// One row of the indicator table: the 一级/二级 cells are written on the first row of their
/// group with a row span (as on the printed form), `0` elsewhere.
pub(crate) struct Row<'a> {
    pub ind: &'a Indicator,
    pub l1_span: usize,
    pub l2_span: usize,
    /// The latest current actual value, as text, with its date.
    pub actual: Option<(String, NaiveDate)>,
    pub findings: Vec<&'a Finding>,
}

/// Rows with their spans, in form order.
pub(crate) fn rows<'a>(
    p: &'a Project,
    actuals: &[Observation],
    findings: &'a [Finding],
    lang: Lang,
) -> Vec<Row<'a>> {
    let inds = &p.indicators;
    let mut out: Vec<Row> = Vec::with_capacity(inds.len());
    for (k, ind) in inds.iter().enumerate() {
        let run =
            |same: &dyn Fn(&Indicator) -> bool| inds[k..].iter().take_while(|j| same(j)).count();
        let l1_span = if k > 0 && inds[k - 1].level1 == ind.level1 {
            0
        } else {
            run(&|j: &Indicator| j.level1 == ind.level1)
        };
        let l2_span =
            if k > 0 && inds[k - 1].level1 == ind.level1 && inds[k - 1].level2 == ind.level2 {
                0
            } else {
                run(&|j: &Indicator| j.level1 == ind.level1 && j.level2 == ind.level2)
            };
        let actual = actuals
            .iter()
            .filter(|o| o.indicator == ind.code)
            .max_by_key(|o| o.date)
            .map(|o| (jixiao_app::views::observed(&o.value, lang), o.date));
        let findings = findings
            .iter()
            .filter(|f| f.code.as_deref() == Some(ind.code.as_str()))
            .collect();
        out.push(Row {
            ind,
            l1_span,
            l2_span,
            actual,
            findings,
        });
    }
    out
}

/// What every project page shows above its tabs.
pub(crate) struct Head {
    pub id: i64,
    pub name: String,
    pub year: i32,
    pub unit: String,
    pub tab: &'static str,
}

impl Head {
    pub fn of(p: &Project, id: i64, tab: &'static str) -> Head {
        Head {
            id,
            name: p.name.clone(),
            year: p.year,
            unit: p.unit.clone(),
            tab,
        }
    }
}

#[derive(Template)]
#[template(path = "project.html")]
struct Overview<'a> {
    f: Frame,
    h: Head,
    v: &'a ProjectView,
    rows: Vec<Row<'a>>,
    general: Vec<&'a Finding>,
    /// The comments, oldest first.
    comments: Vec<Comment>,
    /// What the actor may do now (decided by `app::access` and the status).
    acts: Acts,
    /// A refusal of the last action, shown above the actions.
    failure: Option<Failure>,
    /// What the last action did.
    done: Option<String>,
}

/// The workflow actions a page offers: the role and the unit or department through
/// `app::access`, the status through the workflow's table. The app decides again on post.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Acts {
    pub submit: bool,
    pub review: bool,
    pub edit: bool,
    pub adjust: bool,
    pub comment: bool,
}

impl Acts {
    pub fn of(actor: &jixiao_app::Actor, p: &Project, status: Status) -> Acts {
        let may = |a: Action| authorize(actor, a, p).is_ok();
        let open = matches!(status, Status::Draft | Status::Returned);
        Acts {
            submit: may(Action::Write) && open,
            edit: may(Action::Write) && open,
            adjust: may(Action::Write) && status == Status::Approved,
            review: may(Action::Review) && status == Status::Submitted,
            comment: may(Action::Comment),
        }
    }
}

impl Overview<'_> {
    fn level1(&self, l: &Level1) -> &'static str {
        self.f.level1(*l)
    }

    fn level2<'b>(&self, l: &'b Level2) -> &'b str {
        self.f.level2(l)
    }

    fn tasks_of(&self, ind: &Indicator) -> String {
        ind.tasks
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("、")
    }

    fn finding_text<'b>(&self, x: &'b Finding) -> &'b str {
        self.f.t(&x.message_zh, &x.message_en)
    }

    fn suggestion<'b>(&self, x: &'b Finding) -> &'b str {
        self.f.t(&x.suggestion, &x.suggestion_en)
    }

    /// The comments on one indicator (by stable id).
    fn comments_on(&self, ind: &Indicator) -> Vec<&Comment> {
        self.comments
            .iter()
            .filter(|c| c.indicator_id.is_some() && c.indicator_id == ind.id)
            .collect()
    }

    /// The code and name of the indicator a comment is about, in the current version.
    fn about(&self, c: &Comment) -> String {
        match c.indicator_id {
            None => self.f.t("整个申报", "the declaration").to_string(),
            Some(iid) => self
                .v
                .project
                .indicators
                .iter()
                .find(|i| i.id == Some(iid))
                .map_or_else(|| format!("#{iid}"), |i| format!("{} {}", i.code, i.name)),
        }
    }

    fn transition_of(&self, c: &Comment) -> &'static str {
        match c.transition {
            Some(Status::Returned) => self.f.t("退回意见", "return"),
            Some(Status::Submitted) => self.f.t("调整原因", "adjustment reason"),
            Some(Status::Approved) => self.f.t("批准意见", "approval"),
            _ => "",
        }
    }

    fn done_text(&self) -> &'static str {
        match self.done.as_deref() {
            Some("submitted") => self.f.t("已提交，等待审核", "Submitted for review"),
            Some("returned") => self.f.t("已退回，意见已记录", "Returned with the comment"),
            Some("approved") => self.f.t("已批准", "Approved"),
            Some("commented") => self.f.t("意见已记录", "The comment was recorded"),
            Some("saved") => self.f.t("已保存", "Saved"),
            Some("created") => self.f.t("已新建草稿", "The draft was created"),
            Some("adjusted") => self.f.t(
                "已调整，新版本已提交审批",
                "Adjusted; the new version was submitted for approval",
            ),
            _ => "",
        }
    }
}

/// `GET /projects/{id}` (`?done=submitted|returned|…` after an action).
pub(crate) async fn overview(
    S(state): S<State>,
    user: PageUser,
    Path(raw): Path<String>,
    Params(q): Params,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    show(&state, &user, id, None, opt(&q, "done")).await
}

/// The declaration page, with a refusal of the last action (422/409…, the page kept) or
/// what the last action did.
pub(crate) async fn show(
    state: &State,
    user: &PageUser,
    id: i64,
    failure: Option<Failure>,
    done: Option<String>,
) -> PageResult {
    let v = state
        .app
        .project_view(user.actor(), id, &state.options.review_policy)
        .await
        .map_err(|e| user.fail(e))?;
    let rows = rows(
        &v.project,
        &v.actuals.current,
        &v.review.findings,
        user.lang,
    );
    let general = v
        .review
        .findings
        .iter()
        .filter(|f| f.code.is_none())
        .collect();
    let comments = state
        .app
        .comments(user.actor(), id)
        .await
        .map_err(|e| user.fail(e))?;
    let acts = Acts::of(user.actor(), &v.project, v.status);
    let status = failure
        .as_ref()
        .map_or(axum::http::StatusCode::OK, |x| x.status);
    super::render_with(
        user.lang,
        status,
        &Overview {
            f: user.frame("home"),
            h: Head::of(&v.project, id, "overview"),
            v: &v,
            rows,
            general,
            comments,
            acts,
            failure,
            done,
        },
    )
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct MonitoringPage {
    f: Frame,
    h: Head,
    m: Monitoring,
    as_of: NaiveDate,
}

impl MonitoringPage {
    fn value(&self, v: &Option<IndicatorValue>) -> String {
        v.as_ref()
            .map(|v| value_text(v, self.f.lang))
            .unwrap_or_default()
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

    fn flag<'a>(&self, x: &'a jixiao_evaluate::Flag) -> &'a str {
        self.f.t(&x.message_zh, &x.message_en)
    }
}

/// `GET /projects/{id}/monitoring?as_of=2024-06-30` (default: today, or the project's end
/// when it has ended).
pub(crate) async fn monitoring(
    S(state): S<State>,
    user: PageUser,
    Path(raw): Path<String>,
    Params(q): Params,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    let as_of = match opt(&q, "as_of") {
        Some(d) => read_date("as_of", &d, p.year).map_err(|e| user.fail(e))?,
        None => today(user.zone).min(p.end.max(p.start)),
    };
    let m = state
        .app
        .monitor(actor, &p, as_of, &state.options.eval_policy)
        .await
        .map_err(|e| user.fail(e))?;
    super::render(
        user.lang,
        &MonitoringPage {
            f: user.frame("home"),
            h: Head::of(&p, id, "monitoring"),
            m,
            as_of,
        },
    )
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
    failure: Option<Failure>,
    done: bool,
}

impl EvaluationPage {
    fn value(&self, v: &Option<IndicatorValue>) -> String {
        v.as_ref()
            .map(|v| value_text(v, self.f.lang))
            .unwrap_or_default()
    }

    fn outcome(&self, o: &jixiao_evaluate::Outcome) -> &'static str {
        self.f.t(o.zh(), o.en())
    }

    fn flag<'a>(&self, x: &'a jixiao_evaluate::Flag) -> &'a str {
        self.f.t(&x.message_zh, &x.message_en)
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
    fn reason_of_actual<'a>(&self, i: &'a jixiao_evaluate::IndicatorScore) -> Option<&'a str> {
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
    fn reason_value(&self, i: &jixiao_evaluate::IndicatorScore) -> String {
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

    fn code_of(&self, r: &NoteRecord) -> String {
        match r.indicator_id {
            None => self.f.t("全年预算数", "annual budget").to_string(),
            Some(iid) => self
                .ids
                .iter()
                .find(|(_, v)| **v == iid)
                .map_or_else(|| format!("#{iid}"), |(c, _)| c.clone()),
        }
    }

    fn opt<'a>(&self, s: &'a Option<String>) -> &'a str {
        s.as_deref().unwrap_or("")
    }
}

/// `GET /projects/{id}/evaluation`: the 自评表 with the actuals recorded so far, and the
/// 自评说明 (偏差原因, 改进措施, the adjusted 全年预算数) with their history.
pub(crate) async fn evaluation(
    S(state): S<State>,
    user: PageUser,
    Path(raw): Path<String>,
    Params(q): Params,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let done = opt(&q, "done").is_some();
    evaluation_page(&state, &user, id, None, done).await
}

/// The self-evaluation page; `typed` is a refused save's input (kept in the form).
async fn evaluation_page(
    state: &State,
    user: &PageUser,
    id: i64,
    typed: Option<(Failure, EvaluationNotes, String)>,
    done: bool,
) -> PageResult {
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    let e = state
        .app
        .evaluate(actor, &p, &state.options.eval_policy)
        .await
        .map_err(|e| user.fail(e))?;
    let mut history = state
        .app
        .notes_history(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    history.reverse();
    let ids = p
        .indicators
        .iter()
        .filter_map(|i| Some((i.code.clone(), i.id?)))
        .collect();
    let (failure, notes, budget_text) = match typed {
        Some((f, n, b)) => (Some(f), n, b),
        None => {
            let n = state.app.notes(actor, id).await.map_err(|e| user.fail(e))?;
            let b = n.annual_budget.map(|b| b.to_string()).unwrap_or_default();
            (None, n, b)
        }
    };
    let status = failure
        .as_ref()
        .map_or(axum::http::StatusCode::OK, |f| f.status);
    super::render_with(
        user.lang,
        status,
        &EvaluationPage {
            f: user.frame("home"),
            h: Head::of(&p, id, "evaluation"),
            e,
            ids,
            notes,
            budget_text,
            history,
            may_write: authorize(actor, Action::Write, &p).is_ok(),
            failure,
            done,
        },
    )
}

/// `POST /projects/{id}/evaluation`: replaces the 自评说明 — `annual_budget` (元, empty: the
/// 年初预算数 stands), `reason_{indicator id}` and `remedy_{indicator id}`; a refusal keeps
/// what was typed.
pub(crate) async fn save_notes(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<Pairs>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let p = state
        .app
        .project_by_id(user.actor(), id)
        .await
        .map_err(|e| user.fail(e))?;
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
    let refuse = |f: Failure, notes: EvaluationNotes, b: String| {
        let state = state.clone();
        let user = user.clone();
        async move { evaluation_page(&state, &user, id, Some((f, notes, b)), false).await }
    };
    if !budget_text.trim().is_empty() {
        match jixiao_model::parse_amount(&budget_text) {
            Ok(b) => notes.annual_budget = Some(b),
            Err(e) => {
                let f = Failure {
                    status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    zh: format!("全年预算数「{budget_text}」无法读取：{e}；未保存任何内容"),
                    en: format!(
                        "the annual budget {budget_text:?} cannot be read: {e}; nothing was saved"
                    ),
                    diagnostics: Vec::new(),
                };
                return refuse(f, notes, budget_text).await;
            }
        }
    }
    match state.app.set_notes(user.actor(), id, &notes).await {
        Ok(_) => Ok(
            axum::response::Redirect::to(&format!("/projects/{id}/evaluation?done=notes"))
                .into_response(),
        ),
        Err(e) => refuse(e.into(), notes, budget_text).await,
    }
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    f: Frame,
    h: Head,
    versions: Vec<(VersionInfo, Vec<VersionChange>)>,
    audit: Vec<AuditEntry>,
}

impl HistoryPage {
    fn change<'a>(&self, c: &'a VersionChange) -> &'a str {
        self.f.t(&c.zh, &c.en)
    }

    /// An audit action in the page's language (the id stays in the hover).
    fn action<'a>(&self, id: &'a str) -> &'a str {
        let (zh, en) = match id {
            "import" => ("导入", "import"),
            "rename" => ("更名", "rename"),
            "create" => ("新建", "create"),
            "edit" => ("修改", "edit"),
            "adjust" => ("调整", "adjust"),
            "submit" => ("提交", "submit"),
            "approve" => ("批准", "approve"),
            "return" => ("退回", "return"),
            "status" => ("状态变更", "status change"),
            "comment" => ("审核意见", "review comment"),
            "notes" => ("自评说明", "self-evaluation notes"),
            "record_actual" => ("录入实际完成值", "actual value recorded"),
            "correct_actual" => ("更正实际完成值", "actual value corrected"),
            "retract_actual" => ("撤回实际完成值", "actual value retracted"),
            "record_spending" => ("录入支出", "spending recorded"),
            "correct_spending" => ("更正支出", "spending corrected"),
            "retract_spending" => ("撤回支出", "spending retracted"),
            "add_user" => ("新增用户", "user added"),
            "legacy_migration" => ("旧数据迁移", "legacy migration"),
            _ => return id,
        };
        self.f.t(zh, en)
    }

    /// An audit entry's before and after, field by field, each value formatted by its type.
    fn diff(&self, a: &AuditEntry) -> Vec<FieldDiff> {
        audit_diff(a.before.as_deref(), a.after.as_deref(), self.f.lang)
    }
}

/// One field of an audit entry: its label, the value before and after (formatted for people;
/// `—` when absent), and whether it changed.
pub(crate) struct FieldDiff {
    pub label: String,
    pub before: String,
    pub after: String,
    pub changed: bool,
}

/// The label of a field of the audit's JSON (the stored keys; an unknown key is shown as it
/// is).
fn field_label(key: &str, lang: Lang) -> String {
    let (zh, en) = match key {
        "status" => ("状态", "status"),
        "version" => ("版本", "version"),
        "approved_version" => ("已批准的版本", "approved version"),
        "comment" => ("意见", "comment"),
        "comment_id" => ("意见编号", "comment id"),
        "reason" => ("原因", "reason"),
        "name" => ("项目名称", "project name"),
        "funds_total" => ("年度资金申请总额", "annual funds requested"),
        "indicators" => ("指标数", "indicators"),
        "indicator_id" => ("指标编号", "indicator id"),
        "code" => ("指标编码", "indicator code"),
        "period" => ("填报期间", "period"),
        "date" => ("日期", "date"),
        "value" => ("实际完成值", "actual value"),
        "note" => ("说明", "note"),
        "evidence" => ("佐证材料", "evidence"),
        "amount" => ("金额", "amount"),
        "voucher" => ("凭证号", "voucher"),
        "body" => ("内容", "text"),
        "annual_budget" => ("全年预算数", "annual budget"),
        "deviation_reason" => ("偏差原因", "reason for the deviation"),
        "remedy" => ("改进措施", "remedy"),
        "retracted_reason" | "retract_reason" => ("撤回原因", "reason for the retraction"),
        other => (other, other),
    };
    lang.pick(zh, en).to_string()
}

/// A value of the audit's JSON for people, by its field: a status by its name, an amount as
/// `1,850,000.00 元`, a date as `2024年6月30日`, an actual value as `13500公里`; text as it is.
fn field_value(key: &str, v: &serde_json::Value, lang: Lang) -> String {
    use serde_json::Value as J;
    match (key, v) {
        (_, J::Null) => "—".to_string(),
        ("status", J::String(s)) => Status::from_id(s)
            .map_or_else(|| s.clone(), |st| lang.pick(st.zh(), st.id()).to_string()),
        ("funds_total" | "amount" | "annual_budget", J::String(s)) => s
            .parse::<jixiao_model::Decimal>()
            .map_or_else(|_| s.clone(), |d| present::money(d, lang)),
        ("date", J::String(s)) => jixiao_model::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_or_else(|_| s.clone(), |d| present::date(d, lang)),
        ("period", J::String(s)) if lang == Lang::Zh => s
            .parse::<jixiao_model::ReportPeriod>()
            .map_or_else(|_| s.clone(), |p| p.zh()),
        ("value", J::Object(_)) => serde_json::from_value::<jixiao_model::ObservedValue>(v.clone())
            .map_or_else(|_| v.to_string(), |o| jixiao_app::views::observed(&o, lang)),
        (_, J::String(s)) => s.clone(),
        (_, J::Bool(b)) => lang
            .pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" })
            .to_string(),
        (_, other) => other.to_string(),
    }
}

/// The fields of an audit entry's before and after (stored JSON objects), in the order they
/// were stored; a field absent from both, or null in both, is left out. A value that is not
/// a JSON object is one row of its own.
pub(crate) fn audit_diff(before: Option<&str>, after: Option<&str>, lang: Lang) -> Vec<FieldDiff> {
    use serde_json::{Map, Value as J};
    let parse = |s: Option<&str>| -> Map<String, J> {
        match s.map(serde_json::from_str::<J>) {
            None => Map::new(),
            Some(Ok(J::Object(m))) => m,
            Some(Ok(other)) => Map::from_iter([(String::new(), other)]),
            Some(Err(_)) => {
                Map::from_iter([(String::new(), J::String(s.unwrap_or_default().to_string()))])
            }
        }
    };
    let (b, a) = (parse(before), parse(after));
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
    // The stored objects come back with their keys sorted; people read the main fields first.
    const FIRST: [&str; 12] = [
        "status",
        "name",
        "code",
        "period",
        "date",
        "value",
        "amount",
        "funds_total",
        "indicators",
        "annual_budget",
        "deviation_reason",
        "remedy",
    ];
    keys.sort_by_key(|k| FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()));
    let shown = |k: &str, v: Option<&J>| match v {
        None => "—".to_string(),
        Some(v) => field_value(k, v, lang),
    };
    keys.into_iter()
        .filter(|k| {
            !matches!(b.get(*k), None | Some(J::Null)) || !matches!(a.get(*k), None | Some(J::Null))
        })
        .map(|k| FieldDiff {
            label: if k.is_empty() {
                lang.pick("内容", "value").to_string()
            } else {
                field_label(k, lang)
            },
            before: shown(k, b.get(k)),
            after: shown(k, a.get(k)),
            changed: b.get(k) != a.get(k),
        })
        .collect()
}

/// `GET /projects/{id}/history`: versions (who, when, file, what changed), newest first, and
/// the audit trail.
pub(crate) async fn history(
    S(state): S<State>,
    user: PageUser,
    Path(raw): Path<String>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let actor = user.actor();
    let p = state
        .app
        .project_by_id(actor, id)
        .await
        .map_err(|e| user.fail(e))?;
    let versions = state
        .app
        .versions(actor, &p)
        .await
        .map_err(|e| user.fail(e))?;
    let changes = version_changes(&versions);
    let mut versions: Vec<_> = versions.into_iter().zip(changes).collect();
    versions.reverse();
    let mut audit = state.app.audit(actor, &p).await.map_err(|e| user.fail(e))?;
    audit.reverse();
    super::render(
        user.lang,
        &HistoryPage {
            f: user.frame("home"),
            h: Head::of(&p, id, "history"),
            versions,
            audit,
        },
    )
}
