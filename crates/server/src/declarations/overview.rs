//! 项目 — a declaration's pages: the overview (header, funds, goals, sub-tasks, the indicator
//! tree grouped 一级/二级 with targets, current actuals and review findings), monitoring as of
//! a date, the self-evaluation, and the history (versions and the audit trail).

use askama::Template;
use jixiao_app::views::version_changes;

use jixiao_app::{AuditEntry, Comment, ProjectView, VersionChange, VersionInfo};
use jixiao_model::{present, Finding, Indicator, Lang, Level1, Level2, Status};

use crate::error::Error;
use crate::extract::{opt, PageOn, Params};
use crate::view::{render, render_refused, rows, Frame, Head, PageResult, Row};

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
    acts: jixiao_app::Allowed,
    /// A refusal of the last action, shown above the actions.
    failure: Option<Error>,
    /// What the last action did.
    done: Option<String>,
    /// Whether the actor may open a rectification on a finding (`app::access`).
    may_open: bool,
    /// The deadline a new rectification is offered: 30 days from today.
    deadline: jixiao_model::NaiveDate,
    /// The declaration's rectifications (status as of today).
    rectifications: Vec<jixiao_app::RectificationItem>,
}

impl Overview<'_> {
    /// The rectification not completed that acts on a review finding, if any.
    fn rectification_of(&self, x: &Finding) -> Option<&jixiao_app::RectificationItem> {
        let indicator = x
            .code
            .as_deref()
            .and_then(|c| self.v.project.indicator(c))
            .and_then(|i| i.id);
        self.rectifications.iter().find(|r| {
            let f = &r.rectification.finding;
            r.status.is_pending()
                && f.source == jixiao_model::FindingSource::Review
                && f.rule == x.rule
                && f.indicator_id == indicator
        })
    }

    fn rect_status(&self, r: &jixiao_app::RectificationItem) -> &'static str {
        self.f.t(r.status.zh(), r.status.en())
    }

    fn level1(&self, l: &Level1) -> &'static str {
        self.f.level1(*l)
    }

    fn level2<'b>(&self, l: &'b Level2) -> &'b str {
        self.f.level2(l)
    }

    /// The tasks carry budgets (a department-wide declaration, or a project whose sub-tasks
    /// have them).
    fn task_budgets(&self) -> bool {
        let p = &self.v.project;
        p.department_targets.is_some() || p.tasks.iter().any(|t| t.funds.is_some())
    }

    /// 金额合计: the tasks' budgets added up (those given).
    fn tasks_total(&self) -> jixiao_model::Decimal {
        self.v
            .project
            .tasks
            .iter()
            .filter_map(|t| t.funds)
            .map(|f| f.total)
            .sum()
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
pub async fn overview(r: PageOn, Params(q): Params) -> PageResult {
    show(&r, None, opt(&q, "done")).await
}

/// The declaration page, with a refusal of the last action (422/409…, the page kept) or
/// what the last action did.
pub async fn show(on: &PageOn, failure: Option<Error>, done: Option<String>) -> PageResult {
    let (state, user, id) = (&on.state, &on.who, on.id);
    let v = on.view().await?;
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
    let comments = state.app.comments(user.actor(), id).await?;
    let acts = jixiao_app::allowed(user.actor(), &v.project, v.status);
    let may_open = user
        .actor()
        .may_on(jixiao_app::Action::OpenRectification, &v.project);
    let today = crate::view::today(user.zone);
    let deadline = crate::view::days_after(today, 30);
    let rectifications = state
        .app
        .rectifications(
            user.actor(),
            &jixiao_app::RectificationFilter {
                declaration: Some(id),
                ..Default::default()
            },
            today,
        )
        .await?;
    let page = Overview {
        f: user.frame("home"),
        h: Head::of(&v.project, id, "overview"),
        v: &v,
        rows,
        general,
        comments,
        acts,
        failure,
        done,
        may_open,
        deadline,
        rectifications,
    };
    render_refused(page.failure.as_ref(), &page)
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
        label(Label::Action, id, self.f.lang)
    }

    /// An audit entry's before and after, field by field, each value formatted by its type.
    fn diff(&self, a: &AuditEntry) -> Vec<FieldDiff> {
        audit_diff(a.before.as_deref(), a.after.as_deref(), self.f.lang)
    }
}

/// One field of an audit entry: its label, the value before and after (formatted for people;
/// `—` when absent), and whether it changed.
pub struct FieldDiff {
    pub label: String,
    pub before: String,
    pub after: String,
    pub changed: bool,
}

/// The words of the history page: the audit's actions (`AuditEntry::action`) and the fields of
/// its JSON (the stored keys), each with its Chinese and English.
#[rustfmt::skip]
const LABELS: [(Label, &str, &str, &str); 48] = [
    (Label::Action, "import", "导入", "import"),
    (Label::Action, "rename", "更名", "rename"),
    (Label::Action, "create", "新建", "create"),
    (Label::Action, "edit", "修改", "edit"),
    (Label::Action, "adjust", "调整", "adjust"),
    (Label::Action, "submit", "提交", "submit"),
    (Label::Action, "approve", "批准", "approve"),
    (Label::Action, "return", "退回", "return"),
    (Label::Action, "status", "状态变更", "status change"),
    (Label::Action, "comment", "审核意见", "review comment"),
    (Label::Action, "notes", "自评说明", "self-evaluation notes"),
    (Label::Action, "record_actual", "录入实际完成值", "actual value recorded"),
    (Label::Action, "correct_actual", "更正实际完成值", "actual value corrected"),
    (Label::Action, "retract_actual", "撤回实际完成值", "actual value retracted"),
    (Label::Action, "record_spending", "录入支出", "spending recorded"),
    (Label::Action, "correct_spending", "更正支出", "spending corrected"),
    (Label::Action, "retract_spending", "撤回支出", "spending retracted"),
    (Label::Action, "add_user", "新增用户", "user added"),
    (Label::Action, "legacy_migration", "旧数据迁移", "legacy migration"),
    (Label::Action, "open_rectification", "建立整改事项", "rectification opened"),
    (Label::Action, "update_rectification", "更新整改事项", "rectification updated"),
    (Label::Action, "close_rectification", "整改验收完成", "rectification completed"),
    (Label::Action, "reopen_rectification", "整改重新打开", "rectification reopened"),
    (Label::Field, "status", "状态", "status"),
    (Label::Field, "version", "版本", "version"),
    (Label::Field, "approved_version", "已批准的版本", "approved version"),
    (Label::Field, "comment", "意见", "comment"),
    (Label::Field, "comment_id", "意见编号", "comment id"),
    (Label::Field, "reason", "原因", "reason"),
    (Label::Field, "name", "项目名称", "project name"),
    (Label::Field, "funds_total", "年度资金申请总额", "annual funds requested"),
    (Label::Field, "indicators", "指标数", "indicators"),
    (Label::Field, "indicator_id", "指标编号", "indicator id"),
    (Label::Field, "code", "指标编码", "indicator code"),
    (Label::Field, "period", "填报期间", "period"),
    (Label::Field, "date", "日期", "date"),
    (Label::Field, "value", "实际完成值", "actual value"),
    (Label::Field, "note", "说明", "note"),
    (Label::Field, "evidence", "佐证材料", "evidence"),
    (Label::Field, "amount", "金额", "amount"),
    (Label::Field, "voucher", "凭证号", "voucher"),
    (Label::Field, "body", "内容", "text"),
    (Label::Field, "annual_budget", "全年预算数", "annual budget"),
    (Label::Field, "deviation_reason", "偏差原因", "reason for the deviation"),
    (Label::Field, "remedy", "改进措施", "remedy"),
    (Label::Field, "retract_reason", "撤回原因", "reason for the retraction"),
    (Label::Field, "retracted_reason", "撤回原因", "reason for the retraction"),
    (Label::Field, "retract_reason", "撤回原因", "reason for the retraction"),
];

/// What a label names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Action,
    Field,
}

/// The label of an action or a field in [`LABELS`]; an unknown key is shown as it is.
fn label(what: Label, key: &str, lang: Lang) -> &str {
    LABELS
        .iter()
        .find(|(w, k, _, _)| *w == what && *k == key)
        .map_or(key, |(_, _, zh, en)| lang.pick(zh, en))
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
            .map_or_else(|_| v.to_string(), |o| present::observed(&o, lang)),
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
pub fn audit_diff(before: Option<&str>, after: Option<&str>, lang: Lang) -> Vec<FieldDiff> {
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
                label(Label::Field, k, lang).to_string()
            },
            before: shown(k, b.get(k)),
            after: shown(k, a.get(k)),
            changed: b.get(k) != a.get(k),
        })
        .collect()
}

/// `GET /projects/{id}/history`: versions (who, when, file, what changed), newest first, and
/// the audit trail.
pub async fn history(r: PageOn) -> PageResult {
    let (state, actor) = (&r.state, r.actor());
    let p = r.project().await?;
    let versions = state.app.versions(actor, &p).await?;
    let changes = version_changes(&versions);
    let mut versions: Vec<_> = versions.into_iter().zip(changes).collect();
    versions.reverse();
    let mut audit = state.app.audit(actor, &p).await?;
    audit.reverse();
    render(&HistoryPage {
        f: r.who.frame("home"),
        h: Head::of(&p, r.id, "history"),
        versions,
        audit,
    })
}
