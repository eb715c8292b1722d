//! 整改 — rectifications as JSON (`GET /api/rectifications?status=&unit=&department=&declaration=`
//! → `{items}`, `GET /api/rectifications/counts` → open and overdue per unit and department,
//! `POST /api/rectifications` opens one on a finding, `POST /api/rectifications/{id}` changes
//! one) and as pages (`/rectifications`: the list with the counts, the unit's form to write the
//! measure and evidence, the opener's to complete or reopen; `POST /rectifications` is the
//! button beside each finding of a declaration's page, each 红/黄 light of its monitoring page
//! and each deduction and flag of its self-evaluation page). "Today" is the deployment's zone's
//! (Asia/Shanghai unless configured); who may do what is `app`'s.

use askama::Template;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::{
    OpenRectification, RectificationCounts, RectificationFilter, RectificationItem,
    RectificationTally, RectificationUpdate,
};
use jixiao_model::{FindingSource, NaiveDate, Progress, RectificationOwner, RectificationStatus};
use serde::{Deserialize, Serialize};

use crate::declarations::overview::show;
use crate::error::{Error, Result};
use crate::extract::{opt, Authed, Body, CsrfField, PageUser, Pairs, Params, Posted};
use crate::state::{AppState, State};
use crate::view::{encode, render_with, today, Frame, PageResult};

/// The routes of rectifications.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/rectifications", get(list).post(open))
        .route("/api/rectifications/counts", get(counts))
        .route("/api/rectifications/{id}", post(update))
        .route("/rectifications", get(page).post(open_form))
        .route("/rectifications/{id}", post(update_form))
}

/// 责任人 / 责任单位: `{kind: "unit" | "user", name}`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerBody {
    /// `unit` (责任单位) or `user` (责任人).
    kind: String,
    /// The unit's or the user's name.
    name: String,
}

impl OwnerBody {
    fn of(o: &RectificationOwner) -> OwnerBody {
        OwnerBody {
            kind: o.kind().to_string(),
            name: o.name().to_string(),
        }
    }

    fn read(&self) -> Result<RectificationOwner> {
        RectificationOwner::from_parts(&self.kind, &self.name).ok_or_else(|| {
            Error::invalid(
                format!("owner.kind=「{}」无效：应为 unit 或 user", self.kind),
                format!("invalid owner.kind {:?}: give unit or user", self.kind),
            )
        })
    }
}

/// 整改事项 — one rectification as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RectificationBody {
    id: i64,
    declaration_id: i64,
    year: i32,
    /// 项目名称.
    project: String,
    /// 实施单位.
    unit: String,
    /// 主管部门.
    department: Option<String>,
    /// `review`, `monitoring` or `self_evaluation`.
    source: String,
    source_zh: String,
    /// The review rule id, the light (`red`, `yellow`) or the flag kind.
    rule: String,
    indicator_id: Option<i64>,
    /// The indicator's code and name when opened.
    indicator: Option<String>,
    finding_zh: String,
    finding_en: String,
    owner: OwnerBody,
    /// 整改期限, `YYYY-MM-DD`.
    deadline: String,
    /// 整改措施.
    measure: String,
    /// 整改佐证.
    evidence: String,
    /// On today: `open` (待整改), `in_progress` (整改中), `done` (已完成), `overdue` (逾期).
    status: String,
    status_zh: String,
    /// As stored: `open`, `in_progress`, `done`.
    progress: String,
    opened_by: String,
    opened_at: String,
    updated_by: String,
    updated_at: String,
    closed_by: Option<String>,
    closed_at: Option<String>,
    /// Changes so far (send it back with a change).
    version: i64,
    /// Whether the session may write the measure and evidence.
    may_rectify: bool,
    /// Whether the session may complete, reopen, or change the deadline or owner.
    may_verify: bool,
}

impl RectificationBody {
    /// The body of a rectification as the session sees it.
    pub(crate) fn of(i: &RectificationItem) -> RectificationBody {
        let r = &i.rectification;
        RectificationBody {
            id: r.id,
            declaration_id: r.declaration_id,
            year: r.year,
            project: r.project.clone(),
            unit: r.unit.clone(),
            department: r.department.clone(),
            source: r.finding.source.id().to_string(),
            source_zh: r.finding.source.zh().to_string(),
            rule: r.finding.rule.clone(),
            indicator_id: r.finding.indicator_id,
            indicator: r.finding.indicator.clone(),
            finding_zh: r.finding.text_zh.clone(),
            finding_en: r.finding.text_en.clone(),
            owner: OwnerBody::of(&r.owner),
            deadline: r.deadline.to_string(),
            measure: r.measure.clone(),
            evidence: r.evidence.clone(),
            status: i.status.id().to_string(),
            status_zh: i.status.zh().to_string(),
            progress: r.progress.id().to_string(),
            opened_by: r.opened_by.clone(),
            opened_at: r.opened_at.clone(),
            updated_by: r.updated_by.clone(),
            updated_at: r.updated_at.clone(),
            closed_by: r.closed_by.clone(),
            closed_at: r.closed_at.clone(),
            version: r.version,
            may_rectify: i.may_rectify,
            may_verify: i.may_verify,
        }
    }
}

/// `{items: [...]}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RectificationList {
    items: Vec<RectificationBody>,
}

/// Open, overdue and completed rectifications of a unit, or of a department (`unit` null).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TallyBody {
    department: Option<String>,
    unit: Option<String>,
    /// Not completed (逾期 included).
    open: i64,
    /// 逾期.
    overdue: i64,
    /// 已完成.
    done: i64,
}

impl TallyBody {
    fn of(t: &RectificationTally) -> TallyBody {
        TallyBody {
            department: t.department.clone(),
            unit: t.unit.clone(),
            open: t.open,
            overdue: t.overdue,
            done: t.done,
        }
    }
}

/// `{units: [...], departments: [...]}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountsBody {
    units: Vec<TallyBody>,
    departments: Vec<TallyBody>,
}

/// Opens a rectification on a finding of a declaration.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRectificationBody {
    declaration_id: i64,
    /// `review`, `monitoring` or `self_evaluation`.
    source: String,
    /// The review rule id; `red` or `yellow` for a light; for the self-evaluation the flag's
    /// kind, `indicator_deduction` (an indicator scored below its 分值) or `budget_deduction`
    /// (the 执行率 scored below its 分值).
    rule: String,
    /// The indicator's code (`1.1.2`) when the finding is about one.
    #[serde(default)]
    code: Option<String>,
    /// 整改期限, `YYYY-MM-DD`, today or later.
    deadline: String,
    /// 责任人 / 责任单位; the declaration's unit when absent.
    #[serde(default)]
    owner: Option<OwnerBody>,
    /// 整改措施 asked for.
    #[serde(default)]
    measure: Option<String>,
}

/// A change: each field given is set.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RectificationChangeBody {
    /// The version the change was made on (409 when it changed since).
    #[serde(default)]
    version: Option<i64>,
    /// 整改措施 (the unit's 填报人).
    #[serde(default)]
    measure: Option<String>,
    /// 整改佐证 (the unit's 填报人).
    #[serde(default)]
    evidence: Option<String>,
    /// `open`, `in_progress` (the unit), `done` or back to `in_progress` (whoever opened it).
    #[serde(default)]
    status: Option<String>,
    /// 整改期限 (whoever opened it).
    #[serde(default)]
    deadline: Option<String>,
    /// 责任人 / 责任单位 (whoever opened it).
    #[serde(default)]
    owner: Option<OwnerBody>,
}

fn read_day(field: &str, raw: &str) -> Result<NaiveDate> {
    jixiao_model::parse_date(raw.trim()).map_err(|_| {
        Error::invalid(
            format!("{field}=「{raw}」不是日期，应写作 2026-06-30"),
            format!("{field}={raw:?} is not a date; write 2026-06-30"),
        )
    })
}

fn read_source(raw: &str) -> Result<FindingSource> {
    FindingSource::from_id(raw).ok_or_else(|| {
        Error::invalid(
            format!("source=「{raw}」无效：应为 review、monitoring 或 self_evaluation"),
            format!("invalid source {raw:?}: give review, monitoring or self_evaluation"),
        )
    })
}

fn read_progress(raw: &str) -> Result<Progress> {
    Progress::from_id(raw).ok_or_else(|| {
        Error::invalid(
            format!("status=「{raw}」无效：应为 open、in_progress 或 done（逾期由期限决定）"),
            format!(
                "invalid status {raw:?}: give open, in_progress or done (overdue follows from the deadline)"
            ),
        )
    })
}

fn rectification_id(raw: &str) -> Result<i64> {
    raw.trim().parse::<i64>().map_err(|_| {
        Error::not_found(
            format!("未找到编号为「{raw}」的整改事项（编号是整数）"),
            format!("no rectification with id {raw:?} (ids are whole numbers)"),
        )
    })
}

/// The filters of a list, from the query.
fn filter_of(q: &std::collections::HashMap<String, String>) -> Result<RectificationFilter> {
    let status = match opt(q, "status") {
        None => None,
        Some(s) => Some(RectificationStatus::parse(&s).ok_or_else(|| {
            Error::invalid(
                format!("status=「{s}」无效：应为 open、in_progress、done 或 overdue"),
                format!("invalid status {s:?}: give open, in_progress, done or overdue"),
            )
        })?),
    };
    let declaration = match opt(q, "declaration") {
        None => None,
        Some(d) => Some(d.parse::<i64>().map_err(|_| {
            Error::invalid(
                format!("declaration=「{d}」无效：应为项目编号"),
                format!("invalid declaration {d:?}: give a declaration id"),
            )
        })?),
    };
    Ok(RectificationFilter {
        status,
        unit: opt(q, "unit"),
        department: opt(q, "department"),
        declaration,
    })
}

/// `GET /api/rectifications?status=&unit=&department=&declaration=` — `{items: [...]}`.
#[utoipa::path(get, path = "/api/rectifications", tag = "rectifications", summary = "整改事项（可按状态、单位、部门、项目筛选）/ rectifications, by status, unit, department, declaration", params(("status" = Option<String>, Query, description = "open | in_progress | done | overdue"), ("unit" = Option<String>, Query, description = "实施单位"), ("department" = Option<String>, Query, description = "主管部门"), ("declaration" = Option<i64>, Query, description = "项目编号 / declaration id")), responses((status = 200, body = RectificationList), crate::openapi::Reading))]
pub async fn list(
    S(state): AppState,
    a: Authed,
    Params(q): Params,
) -> Result<Json<RectificationList>> {
    let filter = filter_of(&q)?;
    let items = state
        .app
        .rectifications(&a.session.actor, &filter, today(state.options.time_zone))
        .await?;
    Ok(Json(RectificationList {
        items: items.iter().map(RectificationBody::of).collect(),
    }))
}

/// `GET /api/rectifications/counts` — open and overdue per unit and department.
#[utoipa::path(get, path = "/api/rectifications/counts", tag = "rectifications", summary = "各单位、各部门未完成与逾期整改数 / open and overdue rectifications per unit and department", responses((status = 200, body = CountsBody), crate::openapi::Reading))]
pub async fn counts(S(state): AppState, a: Authed) -> Result<Json<CountsBody>> {
    let c = state
        .app
        .rectification_counts(&a.session.actor, today(state.options.time_zone))
        .await?;
    Ok(Json(CountsBody {
        units: c.units.iter().map(TallyBody::of).collect(),
        departments: c.departments.iter().map(TallyBody::of).collect(),
    }))
}

fn open_input(b: &NewRectificationBody) -> Result<OpenRectification> {
    Ok(OpenRectification {
        declaration: b.declaration_id,
        source: read_source(&b.source)?,
        rule: b.rule.clone(),
        code: b.code.clone(),
        owner: b.owner.as_ref().map(OwnerBody::read).transpose()?,
        deadline: read_day("deadline", &b.deadline)?,
        measure: b.measure.clone(),
    })
}

/// `POST /api/rectifications` — opens one on a finding: 201.
#[utoipa::path(post, path = "/api/rectifications", tag = "rectifications", security(("session" = [], "csrf" = [])), summary = "据审核意见、监控预警或自评问题建立整改事项 / open a rectification on a finding", request_body = NewRectificationBody, responses((status = 201, body = RectificationBody), crate::openapi::Changing))]
pub async fn open(
    S(state): AppState,
    a: Authed,
    Body(body): Body<NewRectificationBody>,
) -> Result<Response> {
    let input = open_input(&body)?;
    let r = state
        .app
        .open_rectification(&a.session.actor, &input, today(state.options.time_zone))
        .await?;
    Ok((StatusCode::CREATED, Json(RectificationBody::of(&r))).into_response())
}

fn change_of(b: &RectificationChangeBody) -> Result<RectificationUpdate> {
    Ok(RectificationUpdate {
        version: b.version,
        measure: b.measure.clone(),
        evidence: b.evidence.clone(),
        progress: b.status.as_deref().map(read_progress).transpose()?,
        deadline: b
            .deadline
            .as_deref()
            .map(|d| read_day("deadline", d))
            .transpose()?,
        owner: b.owner.as_ref().map(OwnerBody::read).transpose()?,
    })
}

/// `POST /api/rectifications/{id}` — changes one.
#[utoipa::path(post, path = "/api/rectifications/{id}", tag = "rectifications", security(("session" = [], "csrf" = [])), summary = "更新整改事项（单位填写措施与佐证；建立人验收）/ change a rectification: the unit writes measure and evidence, whoever opened it completes it", params(("id" = i64, Path, description = "整改事项编号 / rectification id")), request_body = RectificationChangeBody, responses((status = 200, body = RectificationBody), crate::openapi::Changing))]
pub async fn update(
    S(state): AppState,
    a: Authed,
    Path(raw): Path<String>,
    Body(body): Body<RectificationChangeBody>,
) -> Result<Json<RectificationBody>> {
    let id = rectification_id(&raw)?;
    let change = change_of(&body)?;
    let r = state
        .app
        .update_rectification(
            &a.session.actor,
            id,
            &change,
            today(state.options.time_zone),
        )
        .await?;
    Ok(Json(RectificationBody::of(&r)))
}

#[derive(Template)]
#[template(path = "rectifications.html")]
struct ListPage {
    f: Frame,
    items: Vec<RectificationItem>,
    counts: RectificationCounts,
    filter: RectificationFilter,
    today: NaiveDate,
    statuses: [RectificationStatus; 4],
    failure: Option<Error>,
    done: Option<String>,
}

impl ListPage {
    fn status_label(&self, s: &RectificationStatus) -> &'static str {
        self.f.t(s.zh(), s.en())
    }

    fn selected(&self, s: &RectificationStatus) -> bool {
        self.filter.status == Some(*s)
    }

    fn source_label(&self, s: &FindingSource) -> &'static str {
        self.f.t(s.zh(), s.en())
    }

    fn finding<'a>(&self, i: &'a RectificationItem) -> &'a str {
        let f = &i.rectification.finding;
        self.f.t(&f.text_zh, &f.text_en)
    }

    fn owner(&self, o: &RectificationOwner) -> String {
        match o {
            RectificationOwner::Unit(u) => u.clone(),
            RectificationOwner::User(n) => format!("{}（{n}）", self.f.t("责任人", "person")),
        }
    }

    fn unit_href(&self, u: &str) -> String {
        format!("/rectifications?unit={}", encode(u))
    }

    fn done_text(&self) -> &'static str {
        match self.done.as_deref() {
            Some("opened") => self.f.t("已建立整改事项", "The rectification was opened"),
            Some("updated") => self.f.t("已保存", "Saved"),
            Some("completed") => self.f.t("已验收完成", "Completed"),
            Some("reopened") => self.f.t("已重新打开", "Reopened"),
            _ => "",
        }
    }
}

async fn list_page(
    state: &State,
    user: &PageUser,
    filter: RectificationFilter,
    failure: Option<Error>,
    done: Option<String>,
) -> PageResult {
    let day = today(user.zone);
    let items = state.app.rectifications(user.actor(), &filter, day).await?;
    let counts = state.app.rectification_counts(user.actor(), day).await?;
    let status = failure.as_ref().map_or(StatusCode::OK, |x| x.status);
    render_with(
        status,
        &ListPage {
            f: user.frame("rectifications"),
            items,
            counts,
            filter,
            today: day,
            statuses: RectificationStatus::ALL,
            failure,
            done,
        },
    )
}

/// `GET /rectifications?status=&unit=&department=&declaration=&done=`.
pub async fn page(S(state): AppState, user: PageUser, Params(q): Params) -> PageResult {
    let filter = filter_of(&q)?;
    list_page(&state, &user, filter, None, opt(&q, "done")).await
}

/// The form beside a finding of a declaration's page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    declaration: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    measure: String,
}

impl CsrfField for OpenForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /rectifications` — opened, to the list of the declaration's rectifications; refused,
/// the declaration's page again with the message (the self-evaluation page for a
/// self-evaluation finding).
pub async fn open_form(S(state): AppState, Posted { user, form }: Posted<OpenForm>) -> PageResult {
    let id = crate::extract::project_id(&form.declaration)?;
    let input = (|| {
        Ok::<_, Error>(OpenRectification {
            declaration: id,
            source: read_source(&form.source)?,
            rule: form.rule.clone(),
            code: Some(form.code.clone()).filter(|c| !c.trim().is_empty()),
            owner: None,
            deadline: read_day("deadline", &form.deadline)?,
            measure: Some(form.measure.clone()),
        })
    })();
    let r = match input {
        Ok(input) => state
            .app
            .open_rectification(user.actor(), &input, today(user.zone))
            .await
            .map_err(Error::from),
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => Ok(
            Redirect::to(&format!("/rectifications?declaration={id}&done=opened")).into_response(),
        ),
        // Refused: the page the button was on, with the message.
        Err(e) if form.source.trim() == FindingSource::SelfEvaluation.id() => {
            crate::evaluation::evaluation_page(&state, &user, id, Some(e), None, false).await
        }
        Err(e) => {
            let on = crate::extract::On {
                state,
                who: user,
                id,
            };
            show(&on, Some(e), None).await
        }
    }
}

/// `POST /rectifications/{id}` — saved, back to the list; refused, the list with the message.
///
/// The list's forms: the unit's (measure, evidence, status) and the opener's (status, deadline);
/// a field not sent is kept.
pub async fn update_form(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<Pairs>,
) -> PageResult {
    let id = rectification_id(&raw)?;
    let sent = |k: &str| form.all(k).into_iter().next();
    let given = |k: &str| sent(k).filter(|v| !v.trim().is_empty());
    let change = match given("version").map(|v| v.trim().parse::<i64>()) {
        Some(Err(_)) => Err(Error::invalid(
            "version 应为整数",
            "version is a whole number",
        )),
        version => change_of(&RectificationChangeBody {
            version: version.and_then(Result::ok),
            measure: sent("measure"),
            evidence: sent("evidence"),
            status: given("status"),
            deadline: given("deadline"),
            owner: None,
        }),
    };
    let r = match change {
        Ok(c) => state
            .app
            .update_rectification(user.actor(), id, &c, today(user.zone))
            .await
            .map_err(Error::from),
        Err(e) => Err(e),
    };
    match r {
        Ok(item) => {
            let done = match (given("status").as_deref(), item.status) {
                (Some("done"), RectificationStatus::Done) => "completed",
                (Some("in_progress"), _) if sent("measure").is_none() => "reopened",
                _ => "updated",
            };
            Ok(Redirect::to(&format!("/rectifications?done={done}#r{id}")).into_response())
        }
        Err(e) => list_page(&state, &user, RectificationFilter::default(), Some(e), None).await,
    }
}
