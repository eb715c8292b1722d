//! 流程与编辑 — the workflow of a declaration, editing it, 调整, review comments, checking as
//! typed and the self-evaluation notes.
//!
//! **Workflow.** 草稿 → 已提交 → 退回 (with a comment) → 已提交 … → 已批准:
//!
//! | use case | who ([`crate::access`]) | from | to |
//! |---|---|---|---|
//! | [`App::submit`] | `Write` (填报人 of the unit, 管理员) | 草稿, 退回 | 已提交 |
//! | [`App::return_declaration`] (comment required) | `Review` (审核人 of the department, 管理员) | 已提交 | 退回 |
//! | [`App::approve`] | `Review` | 已提交 | 已批准 |
//! | [`App::adjust`] (reason required, new version) | `Write` | 已批准 | 已提交 |
//!
//! Any other transition is [`AppError::Conflict`] naming the current status. Each transition
//! writes its audit row (who, when, status before and after, the comment) in its transaction.
//!
//! **Submitting with review errors.** A declaration whose review (under the [`App`]'s review
//! policy) has **error**-severity findings — funds that do not add up, a target that
//! cannot be measured at all — is not submitted: [`App::submit`] answers
//! [`AppError::Invalid`] listing them, and nothing changes. Warnings and hints never block:
//! the seed form (`tests/data/seed_2024_shanghai.txt`) has 0 errors, 29 warnings and 5 hints
//! under `central` (`jixiao check` exits 0; likewise under `shanghai`), so the demo submits and
//! approves it; the review comes back with every transition for the front end to show.
//!
//! **Editing.** [`App::create_declaration`] and [`App::save_declaration`] write a version
//! through the same path as an import (indicator identities by content, audit). Every target
//! is read again from its text (`Indicator::raw`) by the parser of imports
//! ([`jixiao_model::Target::parse_with_notes`]): an unreadable target refuses the save with the
//! indicator and the column ([`Invalid::Fields`]); a number not written plainly (`15O00`) is
//! read with a warning; a typed `target` sent beside the text that differs from what the text
//! reads as is replaced by the reading, with a warning saying so. Only 草稿 and 退回
//! declarations are editable; an approved one is locked (changes go through [`App::adjust`]).
//! A save based on a version that is no longer current is refused ([`AppError::Stale`]: who
//! saved the newer version, when, what changed); nothing is written and the caller keeps its
//! text.
//!
//! **Checking as typed** ([`App::check_target`], [`App::check_draft`]) is pure: no database.

use std::collections::BTreeMap;

use jixiao_model::present::{self, Lang};
use jixiao_model::{Deadline, DeclarationId, Form, IndicatorId, Project, ReadNote, Status, Target};
use serde::Serialize;

use crate::access::{authorize, authorize_new, require_role, Action, Actor};
use crate::error::{FieldError, Invalid};
use crate::{declaration_id, App, AppError, Message};
pub use jixiao_store::{
    Comment, EvaluationNotes, IndicatorNote, NoteRecord, ProjectChange, Saved, StaleEdit,
    Transition, WorkflowState,
};

/// One clause of a quantitative target as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseReading {
    /// The comparison (`≥`, `>`, `=`, `≤`, `<`).
    pub op: String,
    /// The value, as read (`15000.00`).
    pub value: String,
    /// 计量单位, when given.
    pub unit: Option<String>,
    /// What is counted, when written after the unit.
    pub label: Option<String>,
}

/// 读数说明 — a warning about how a text was read: where (column, from 1, in characters) and
/// what was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadWarning {
    /// The field it is about (`indicators[2].raw`), empty for a lone target.
    pub field: String,
    /// Column in characters from 1, when it is about a place in the text.
    pub column: Option<usize>,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl ReadWarning {
    fn of_note(field: &str, n: &ReadNote) -> ReadWarning {
        ReadWarning {
            field: field.to_string(),
            column: Some(n.offset + 1),
            zh: n.zh.clone(),
            en: n.en.clone(),
        }
    }
}

/// What a target cell is read as, by the parser of imports: its kind, the reading written for
/// people (through `model::present`), its clauses, and the warnings of numbers not written
/// plainly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetReading {
    /// The text as given.
    pub text: String,
    /// `quantitative`, `compound`, `deadline` or `qualitative`.
    pub kind: &'static str,
    /// 定量 / 复合定量 / 时限 / 定性.
    pub kind_zh: &'static str,
    /// What it is read as, in Chinese (`≥ 15000公里`, `2024年6月30日前`).
    pub reading_zh: String,
    /// What it is read as, in English.
    pub reading_en: String,
    /// The quantitative clauses (one, or several for a compound target).
    pub clauses: Vec<ClauseReading>,
    /// How numbers not written plainly were read.
    pub warnings: Vec<ReadWarning>,
    /// The typed target (canonical JSON shape).
    pub target: Target,
}

fn kind_zh(t: &Target) -> &'static str {
    match t {
        Target::Quantitative(_) => "定量",
        Target::Compound(_) => "复合定量",
        Target::Deadline(_) => "时限",
        Target::Qualitative(_) => "定性",
    }
}

fn clause_text(q: &jixiao_model::Quantity) -> String {
    let mut s = format!(
        "{} {}",
        q.op.symbol(),
        present::quantity(q.value, q.unit.as_deref())
    );
    if let Some(l) = &q.label {
        s.push_str(l);
    }
    s
}

/// What a target is read as, for people.
pub fn describe_target(t: &Target, lang: Lang) -> String {
    match t {
        Target::Quantitative(q) => clause_text(q),
        Target::Compound(parts) => {
            let sep = lang.pick("，且 ", ", and ");
            parts.iter().map(clause_text).collect::<Vec<_>>().join(sep)
        }
        Target::Deadline(Deadline::Date(d)) => match lang {
            Lang::Zh => format!("{}前完成", present::date(*d, lang)),
            Lang::En => format!("done by {}", present::date(*d, lang)),
        },
        Target::Deadline(Deadline::Recurring(r)) => {
            let days = if r.working_days {
                lang.pick("个工作日", " working days")
            } else {
                lang.pick("日", " days")
            };
            match lang {
                Lang::Zh => format!("每{}结束后 {}{days}内完成", r.period.zh(), r.within_days),
                Lang::En => format!(
                    "each {:?} period, done within {}{days} after it ends",
                    r.period, r.within_days
                )
                .to_lowercase(),
            }
        }
        Target::Qualitative(text) => match lang {
            Lang::Zh => format!("定性：{text}"),
            Lang::En => format!("qualitative: {text}"),
        },
    }
}

/// Reads a target cell as an import would; `field` names it in errors and warnings.
fn read_target(
    field: &str,
    label: &str,
    text: &str,
    year: Option<i32>,
) -> Result<TargetReading, FieldError> {
    if text.trim().is_empty() {
        return Err(FieldError {
            field: field.to_string(),
            column: None,
            zh: format!("{label}指标值为空；请填写年度指标值（如 ≥95%、≤12月31日、达成）"),
            en: format!(
                "{label}the target is empty; write the annual target (e.g. ≥95%, ≤12月31日, 达成)"
            ),
        });
    }
    let read = match year {
        Some(y) => Target::parse_in_year(text, y),
        None => Target::parse_with_notes(text),
    };
    match read {
        Ok((target, notes)) => Ok(TargetReading {
            text: text.to_string(),
            kind: target.kind(),
            kind_zh: kind_zh(&target),
            reading_zh: describe_target(&target, Lang::Zh),
            reading_en: describe_target(&target, Lang::En),
            clauses: target
                .quantities()
                .iter()
                .map(|q| ClauseReading {
                    op: q.op.symbol().to_string(),
                    value: q.value.to_string(),
                    unit: q.unit.clone(),
                    label: q.label.clone(),
                })
                .collect(),
            warnings: notes
                .iter()
                .map(|n| ReadWarning::of_note(field, n))
                .collect(),
            target,
        }),
        Err(e) => {
            let msg = e.kind.to_string();
            let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
            Err(FieldError {
                field: field.to_string(),
                column: Some(e.offset + 1),
                zh: format!(
                    "{label}指标值「{text}」无法识别（第 {} 个字符）：{zh}",
                    e.offset + 1
                ),
                en: format!(
                    "{label}cannot read the target {text:?} (at character {}): {en}",
                    e.offset + 1
                ),
            })
        }
    }
}

/// 边填边查 — what a target cell is read as (or why not), exactly as an import reads it. Pure.
pub fn check_target(text: &str) -> Result<TargetReading, AppError> {
    check_target_in(text, None)
}

/// [`check_target`] for a project of `year`: a deadline without its year (`12月底前`) is read
/// in that year, with a warning saying so — as saving the draft reads it.
pub fn check_target_in(text: &str, year: Option<i32>) -> Result<TargetReading, AppError> {
    read_target("target", "", text, year).map_err(|e| AppError::Invalid(Invalid::Fields(vec![e])))
}

/// What reading the targets of a draft found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TargetsRead {
    /// Targets that do not read (the draft cannot be saved while there is one).
    pub errors: Vec<FieldError>,
    /// How targets were read when not written plainly, or a typed target replaced by what its
    /// text reads as.
    pub warnings: Vec<ReadWarning>,
}

/// Reads every indicator's target again from its text (`raw`), as an import does, and puts the
/// reading in `target`; the codes are assigned again. Errors name the indicator (its index in
/// `indicators`, its code and name) and the column.
pub fn read_targets(p: &mut Project) -> TargetsRead {
    p.assign_codes();
    let mut out = TargetsRead::default();
    let year = p.year;
    for (k, ind) in p.indicators.iter_mut().enumerate() {
        let field = format!("indicators[{k}].raw");
        let label_zh = format!("指标 {}「{}」的", ind.code, ind.name);
        match read_target(&field, &label_zh, &ind.raw, Some(year)) {
            Ok(r) => {
                out.warnings.extend(r.warnings);
                if r.target != ind.target {
                    out.warnings.push(ReadWarning {
                        field: format!("indicators[{k}].target"),
                        column: None,
                        zh: format!(
                            "指标 {}「{}」所附的 target 与其指标值「{}」不一致：按指标值读作 {}",
                            ind.code, ind.name, ind.raw, r.reading_zh
                        ),
                        en: format!(
                            "indicator {} {:?}: the target sent differs from its text {:?}; read from the text as {}",
                            ind.code, ind.name, ind.raw, r.reading_en
                        ),
                    });
                    ind.target = r.target;
                }
            }
            Err(mut e) => {
                e.en = format!("indicator {} {:?}: {}", ind.code, ind.name, e.en);
                out.errors.push(e);
            }
        }
    }
    out
}

/// A draft as JSON (the canonical JSON of one project, as `GET /api/projects/{id}` returns
/// it), where an indicator may leave out `target` and `code`: they are read from its text.
/// Refuses JSON that is not a project, saying where.
pub fn project_from_json(mut value: serde_json::Value) -> Result<Project, AppError> {
    if let Some(inds) = value
        .get_mut("indicators")
        .and_then(serde_json::Value::as_array_mut)
    {
        for ind in inds {
            let Some(obj) = ind.as_object_mut() else {
                continue;
            };
            if !obj.contains_key("code") {
                obj.insert("code".into(), serde_json::Value::String(String::new()));
            }
            if !obj.contains_key("line") {
                obj.insert("line".into(), serde_json::Value::Null);
            }
            if !obj.contains_key("target") {
                let raw = obj
                    .get("raw")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                // Filled from the text; read again (and refused when unreadable) on save.
                let t = Target::parse(raw).unwrap_or_else(|_| Target::Qualitative(raw.to_string()));
                obj.insert(
                    "target".into(),
                    serde_json::to_value(&t).map_err(AppError::internal)?,
                );
            }
        }
    }
    serde_path_to_error::deserialize::<_, Project>(value).map_err(|e| {
        // The field that does not read, named by its path (`project_funds.fiscal`).
        let path = e.path().to_string();
        let e = e.into_inner();
        AppError::invalid(Message::DeclarationUnreadable {
            path: if path == "." { String::new() } else { path },
            cause: e.to_string(),
        })
    })
}

/// The review of a draft: what reading its targets found, and the findings of the review
/// rules (on the draft as read; an unreadable target is reviewed as the text it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftCheck {
    /// Targets that do not read, and reading warnings.
    pub targets: TargetsRead,
    /// The review (审核) of the draft.
    pub review: jixiao_review::Report,
}

/// 审核 of an unsaved draft. Pure.
pub fn check_draft(project: &Project, policy: &jixiao_review::Policy) -> DraftCheck {
    let mut p = project.clone();
    let targets = read_targets(&mut p);
    let review = jixiao_review::review(&Form::new(vec![p]), policy);
    DraftCheck { targets, review }
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveResult {
    /// The declaration.
    pub id: DeclarationId,
    /// Its current version after the save.
    pub version: i64,
    /// Its status after the save.
    pub status: Status,
    /// What the new version changed; `None` when nothing changed (no version written) or for
    /// a new declaration.
    pub change: Option<ProjectChange>,
    /// How targets were read when not written plainly.
    pub warnings: Vec<ReadWarning>,
}

/// A transition made, with the review of the version it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionResult {
    /// The status change.
    pub transition: Transition,
    /// The review of the declaration's current version (only errors block a submit).
    pub review: jixiao_review::Report,
}

/// Validates a draft before the database is touched: non-empty name and unit, every target
/// readable.
/// 年度: the years a declaration may be of (the editor's field and the API alike).
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The refusal of a year outside [`YEARS`] (or not a year), as typed.
pub(crate) fn year_refused(typed: &str) -> FieldError {
    FieldError {
        field: "year".into(),
        column: None,
        zh: format!("年度「{typed}」应为四位年份，如 2024"),
        en: format!("the year {typed:?} must be a year such as 2024"),
    }
}

fn validated(mut p: Project) -> Result<(Project, Vec<ReadWarning>), AppError> {
    let mut errors = Vec::new();
    if !YEARS.contains(&p.year) {
        errors.push(year_refused(&p.year.to_string()));
    }
    for (field, value, zh, en) in [
        ("name", &p.name, "项目名称", "the project name"),
        ("unit", &p.unit, "实施单位", "the unit"),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError {
                field: field.into(),
                column: None,
                zh: format!("{zh}不能为空"),
                en: format!("{en} cannot be empty"),
            });
        }
    }
    p.name = p.name.trim().to_string();
    p.unit = p.unit.trim().to_string();
    let read = read_targets(&mut p);
    errors.extend(read.errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(Invalid::Fields(errors)));
    }
    Ok((p, read.warnings))
}

fn required_text(text: &str, missing: Message) -> Result<&str, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::invalid(missing));
    }
    Ok(t)
}

/// A workflow move: who may make it, from which statuses, to which.
struct Move {
    action: Action,
    from: &'static [Status],
    to: Status,
    verb_zh: &'static str,
    verb_en: &'static str,
}

const SUBMIT: Move = Move {
    action: Action::Write,
    from: &[Status::Draft, Status::Returned],
    to: Status::Submitted,
    verb_zh: "提交",
    verb_en: "submitted",
};

const RETURN: Move = Move {
    action: Action::Review,
    from: &[Status::Submitted],
    to: Status::Returned,
    verb_zh: "退回",
    verb_en: "returned",
};

const APPROVE: Move = Move {
    action: Action::Review,
    from: &[Status::Submitted],
    to: Status::Approved,
    verb_zh: "批准",
    verb_en: "approved",
};

/// 保存 — a new version of a declaration being written.
const EDIT: Move = Move {
    action: Action::Write,
    from: &[Status::Draft, Status::Returned],
    to: Status::Draft,
    verb_zh: "修改",
    verb_en: "edited",
};

/// 调整 — a new version of an approved declaration, back for approval.
const ADJUST: Move = Move {
    action: Action::Write,
    from: &[Status::Approved],
    to: Status::Submitted,
    verb_zh: "调整",
    verb_en: "adjusted",
};

/// What an actor may do to a declaration now — its role, unit and department through
/// `access`, its status through the one transition table ([`SUBMIT`], [`RETURN`],
/// [`APPROVE`], [`EDIT`], [`ADJUST`]). The use cases decide again when asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// 提交.
    pub submit: bool,
    /// 退回 and 批准.
    pub review: bool,
    /// 修改 (the editor).
    pub edit: bool,
    /// 调整.
    pub adjust: bool,
    /// 审核意见.
    pub comment: bool,
    /// 填报: actual values, spending, self-evaluation notes.
    pub write: bool,
    /// 以此为基础新建下一年度申报 ([`App::start_from_previous`]): an editor of its unit.
    pub next_year: bool,
}

/// What `actor` may do to `p`, whose status is `status`, now.
pub fn allowed(actor: &Actor, p: &Project, status: Status) -> Allowed {
    let may = |a: Action| authorize(actor, a, p).is_ok();
    let can = |m: &Move| may(m.action) && m.from.contains(&status);
    Allowed {
        submit: can(&SUBMIT),
        review: can(&RETURN) && can(&APPROVE),
        edit: can(&EDIT),
        adjust: can(&ADJUST),
        comment: may(Action::Comment),
        write: may(Action::Write),
        next_year: may(Action::Write),
    }
}

/// 全年预算数 of the self-evaluation notes as written (empty: none, the 年初预算数 stands). A
/// number not written plainly (`1,85O,000`) is refused with what it would be read as, so that
/// nothing is taken as another number without the writer seeing it; the refusal names the
/// field `annual_budget`. The one reading of the budget, for every front end.
pub fn read_annual_budget(text: &str) -> Result<Option<jixiao_model::Decimal>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let refuse = |zh: String, en: String| {
        AppError::Invalid(Invalid::Fields(vec![FieldError {
            field: "annual_budget".into(),
            column: None,
            zh: format!("全年预算数「{text}」无法读取：{zh}；未保存任何内容"),
            en: format!("the annual budget {text:?} cannot be read: {en}; nothing was saved"),
        }]))
    };
    match jixiao_model::parse_amount_with_notes(text) {
        Ok((v, notes)) if notes.is_empty() => Ok(Some(v)),
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

/// Refuses a new declaration (the editor's blank form) to a role that never writes: 403
/// naming the role.
pub fn may_declare(actor: &Actor) -> Result<(), AppError> {
    require_role(actor, Action::Write)
}

/// Refuses the editor of `p` to an actor who may not write it: 404 when it may not even read
/// it, else 403 naming the role.
pub fn may_edit(actor: &Actor, p: &Project) -> Result<(), AppError> {
    authorize(actor, Action::Write, p)
}

/// The refusal of a transition from `status`.
fn illegal(status: Status, verb_zh: &'static str, verb_en: &'static str) -> AppError {
    AppError::Conflict(Message::IllegalTransition {
        status,
        verb: (verb_zh, verb_en),
    })
}

/// 流程 — the workflow, editing and notes.
impl App {
    /// Where a declaration stands: status, current and approved versions.
    pub async fn workflow(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<WorkflowState, AppError> {
        self.project_by_id(actor, id).await?;
        Ok(self.store.workflow(id).await?)
    }

    async fn transition(
        &self,
        actor: &Actor,
        id: DeclarationId,
        m: &Move,
        comment: Option<&str>,
    ) -> Result<TransitionResult, AppError> {
        let policy = &self.policies.review;
        let (action, from, to, verb) = (m.action, m.from, m.to, (m.verb_zh, m.verb_en));
        require_role(actor, action)?;
        let p = self.project_by_id(actor, id).await?;
        authorize(actor, action, &p)?;
        // The status first (checked again in the transaction), so that its refusal is the one
        // a user sees when the status is wrong.
        let now = self.store.workflow(id).await?.status;
        if !from.contains(&now) {
            return Err(illegal(now, verb.0, verb.1));
        }
        let review = jixiao_review::review(&Form::new(vec![p]), policy);
        if to == Status::Submitted && review.has_errors() {
            let errors: Vec<&jixiao_model::Finding> = review
                .findings()
                .filter(|f| f.severity == jixiao_model::Severity::Error)
                .collect();
            return Err(AppError::invalid(Message::SubmitBlocked {
                count: errors.len(),
                findings: errors
                    .iter()
                    .take(5)
                    .map(|f| {
                        (
                            f.message_zh.trim_end_matches('。').to_string(),
                            f.message_en.trim_end_matches('.').to_string(),
                        )
                    })
                    .collect(),
            }));
        }
        let t = self
            .store
            .transition(id, from, to, comment, &actor.name)
            .await?
            .map_err(|status| illegal(status, verb.0, verb.1))?;
        Ok(TransitionResult {
            transition: t,
            review,
        })
    }

    /// 提交 — a 草稿 or 退回 declaration goes to 已提交 for review; refused
    /// ([`AppError::Invalid`]) while its review has error-severity findings (see the module
    /// documentation). The review comes back with the transition.
    pub async fn submit(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<TransitionResult, AppError> {
        self.transition(actor, id, &SUBMIT, None).await
    }

    /// 退回 — a submitted declaration goes back to its unit, with a comment (required).
    pub async fn return_declaration(
        &self,
        actor: &Actor,
        id: DeclarationId,
        comment: &str,
    ) -> Result<TransitionResult, AppError> {
        require_role(actor, Action::Review)?;
        let comment = required_text(comment, Message::ReturnNeedsComment)?;
        self.transition(actor, id, &RETURN, Some(comment)).await
    }

    /// 批准 — a submitted declaration is approved (and locked); its current version is
    /// recorded as the approved one. An optional comment goes with it.
    pub async fn approve(
        &self,
        actor: &Actor,
        id: DeclarationId,
        comment: Option<&str>,
    ) -> Result<TransitionResult, AppError> {
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        self.transition(actor, id, &APPROVE, comment).await
    }

    /// 新建申报 — a declaration from scratch, as a 草稿 (version 1). An empty 实施单位 is the
    /// actor's; another unit than the actor may write is `Forbidden`. The 主管部门 is the
    /// unit's in the org tree (an empty one gets it; another one is refused naming both).
    pub async fn create_declaration(
        &self,
        actor: &Actor,
        project: Project,
    ) -> Result<SaveResult, AppError> {
        self.create_declaration_following(actor, project, None)
            .await
    }

    /// [`App::create_declaration`] of a declaration started from last year's (上年项目
    /// `previous`, which the actor must be able to read and which must be of an earlier year):
    /// created and linked in one transaction, so history matches the two by id.
    pub async fn create_declaration_following(
        &self,
        actor: &Actor,
        mut project: Project,
        previous: Option<DeclarationId>,
    ) -> Result<SaveResult, AppError> {
        require_role(actor, Action::Write)?;
        if project.unit.trim().is_empty() {
            if let Some(u) = &actor.unit {
                project.unit = u.clone();
            }
        }
        let (mut p, warnings) = validated(project)?;
        authorize_new(actor, Action::Write, &p)?;
        p.department = self.department_of_draft(actor, &p).await?;
        if let Some(previous) = previous {
            let prev = self.project_by_id(actor, previous).await?;
            crate::history::earlier(previous, prev.year, p.year)?;
        }
        let id = self
            .store
            .create_following(&p, previous, &actor.name)
            .await?;
        Ok(SaveResult {
            id,
            version: 1,
            status: Status::Draft,
            change: None,
            warnings,
        })
    }

    /// The 主管部门 of an edited declaration: its unit's in the org tree (an empty field gets
    /// it); another one is refused on the field `department`, naming both.
    async fn department_of_draft(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<Option<String>, AppError> {
        let org = self.store.units_departments(&[p.unit.as_str()]).await?;
        crate::identify::department_for(actor, &p.unit, p.department.as_deref(), org.get(&p.unit))
            .map_err(|m| {
                AppError::Invalid(Invalid::Fields(vec![FieldError {
                    field: "department".into(),
                    column: None,
                    zh: m.text(jixiao_model::Lang::Zh),
                    en: m.text(jixiao_model::Lang::En),
                }]))
            })
    }

    async fn save_as(
        &self,
        actor: &Actor,
        id: DeclarationId,
        base_version: i64,
        project: Project,
        kind: jixiao_store::SaveKind<'_>,
    ) -> Result<SaveResult, AppError> {
        require_role(actor, Action::Write)?;
        let current = self.project_by_id(actor, id).await?;
        authorize(actor, Action::Write, &current)?;
        let (mut p, warnings) = validated(project)?;
        if p.unit != current.unit.trim() {
            // A declaration never changes unit by an edit.
            return Err(AppError::Invalid(Invalid::Fields(vec![FieldError {
                field: "unit".into(),
                column: None,
                zh: format!(
                    "本申报属于「{}」，不能改为「{}」：编辑不改变实施单位",
                    current.unit, p.unit
                ),
                en: format!(
                    "this declaration belongs to {:?} and cannot become {:?}'s: an edit never changes the unit",
                    current.unit, p.unit
                ),
            }])));
        }
        authorize_new(actor, Action::Write, &p)?;
        p.department = self.department_of_draft(actor, &p).await?;
        let saved = self
            .store
            .save(id, base_version, &p, kind, &actor.name)
            .await?;
        match saved {
            Ok(s) => Ok(SaveResult {
                id,
                version: s.version,
                status: s.status,
                change: s.change,
                warnings,
            }),
            Err(jixiao_store::SaveRefusal::Stale(stale)) => Err(AppError::Stale(stale)),
            Err(jixiao_store::SaveRefusal::Status(status)) => Err(match kind {
                jixiao_store::SaveKind::Edit => illegal(status, "修改", "edited"),
                jixiao_store::SaveKind::Adjust { .. } => {
                    AppError::Conflict(Message::NotApproved { status })
                }
            }),
        }
    }

    /// 保存 — a new version of a 草稿 or 退回 declaration, edited from `base_version`.
    pub async fn save_declaration(
        &self,
        actor: &Actor,
        id: DeclarationId,
        base_version: i64,
        project: Project,
    ) -> Result<SaveResult, AppError> {
        self.save_as(
            actor,
            id,
            base_version,
            project,
            jixiao_store::SaveKind::Edit,
        )
        .await
    }

    /// 调整 — a new version of an approved declaration, with a reason (required); it goes back
    /// to 已提交 for approval, and the approved version stays recorded
    /// ([`WorkflowState::approved_version`]). Actual values stay on their indicators, so
    /// monitoring and the self-evaluation keep working.
    pub async fn adjust(
        &self,
        actor: &Actor,
        id: DeclarationId,
        base_version: i64,
        project: Project,
        reason: &str,
    ) -> Result<SaveResult, AppError> {
        let reason = required_text(reason, Message::AdjustmentNeedsReason)?;
        self.save_as(
            actor,
            id,
            base_version,
            project,
            jixiao_store::SaveKind::Adjust { reason },
        )
        .await
    }

    /// 审核意见 — a comment on a declaration, or on one of its indicators (by stable id), on
    /// its current version.
    pub async fn comment(
        &self,
        actor: &Actor,
        id: DeclarationId,
        indicator: Option<IndicatorId>,
        text: &str,
    ) -> Result<Comment, AppError> {
        require_role(actor, Action::Comment)?;
        let p = self.project_by_id(actor, id).await?;
        authorize(actor, Action::Comment, &p)?;
        let text = required_text(text, Message::EmptyComment)?;
        if let Some(ind) = indicator {
            if !p.indicators.iter().any(|i| i.id == Some(ind)) {
                return Err(AppError::invalid(Message::NoIndicatorId { id: ind }));
            }
        }
        let version = self.store.workflow(id).await?.current_version;
        Ok(self
            .store
            .add_comment(id, version, indicator, text, &actor.name)
            .await?)
    }

    /// The comments of a declaration, oldest first (those of returns and adjustments too).
    pub async fn comments(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<Vec<Comment>, AppError> {
        self.project_by_id(actor, id).await?;
        Ok(self.store.comments(id).await?)
    }

    /// 自评说明 of a declaration: 偏差原因 and 改进措施 per indicator, the adjusted 全年预算数.
    pub async fn notes(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<EvaluationNotes, AppError> {
        self.project_by_id(actor, id).await?;
        Ok(self.store.notes(id).await?)
    }

    /// Every version of the notes, oldest first.
    pub async fn notes_history(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<Vec<NoteRecord>, AppError> {
        self.project_by_id(actor, id).await?;
        Ok(self.store.notes_history(id).await?)
    }

    /// Replaces the notes of a declaration (an indicator not in `notes` has none afterwards);
    /// the replaced ones stay as history. Indicators are the current version's, by id; the
    /// 全年预算数 must be above 0. Returns whether anything changed.
    pub async fn set_notes(
        &self,
        actor: &Actor,
        id: DeclarationId,
        notes: &EvaluationNotes,
    ) -> Result<bool, AppError> {
        require_role(actor, Action::Write)?;
        let p = self.project_by_id(actor, id).await?;
        authorize(actor, Action::Write, &p)?;
        let mut errors = Vec::new();
        if let Some(b) = notes.annual_budget {
            if b <= jixiao_model::Decimal::ZERO {
                errors.push(FieldError {
                    field: "annual_budget".into(),
                    column: None,
                    zh: format!("全年预算数应大于 0，收到 {b}"),
                    en: format!("the annual budget must be above 0, got {b}"),
                });
            }
        }
        for ind in notes.indicators.keys() {
            if !p.indicators.iter().any(|i| i.id == Some(*ind)) {
                errors.push(FieldError {
                    field: format!("indicators[{ind}]"),
                    column: None,
                    zh: format!("当前版本没有编号为 {ind} 的指标"),
                    en: format!("the current version has no indicator with id {ind}"),
                });
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(Invalid::Fields(errors)));
        }
        Ok(self.store.set_notes(id, notes, &actor.name).await?)
    }

    /// 边填边查 — see [`check_target`]. Pure.
    pub fn check_target(&self, text: &str) -> Result<TargetReading, AppError> {
        check_target(text)
    }

    /// 审核 of an unsaved draft — see [`check_draft`]. Pure.
    pub fn check_draft(&self, project: &Project) -> DraftCheck {
        check_draft(project, &self.policies.review)
    }

    /// The notes as the scorer takes them: the 全年预算数 and, per indicator code of `p`, one
    /// text `偏差原因：…；改进措施：…`.
    pub(crate) async fn evaluate_options(
        &self,
        p: &Project,
    ) -> Result<jixiao_evaluate::EvaluateOptions, AppError> {
        let notes = self.store.notes(declaration_id(p)?).await?;
        Ok(scorer_options(p, &notes))
    }
}

/// [`App::evaluate_options`] from notes already read.
pub(crate) fn scorer_options(
    p: &Project,
    notes: &jixiao_store::EvaluationNotes,
) -> jixiao_evaluate::EvaluateOptions {
    let mut reasons = BTreeMap::new();
    for ind in &p.indicators {
        let Some(n) = ind.id.and_then(|id| notes.indicators.get(&id)) else {
            continue;
        };
        if let Some(text) = note_text(n) {
            reasons.insert(ind.code.clone(), text);
        }
    }
    jixiao_evaluate::EvaluateOptions {
        budget: notes.annual_budget,
        deviation_reasons: reasons,
        ..Default::default()
    }
}

/// The project of a form that continues `current`: the form's only project, or the one with
/// its id, or else its (year, unit, name); none or several is [`AppError::Invalid`].
pub fn pick_project(form: &Form, current: &Project) -> Result<Project, AppError> {
    if let [only] = form.projects.as_slice() {
        return Ok(only.clone());
    }
    let found: Vec<&Project> = form
        .projects
        .iter()
        .filter(|p| (p.id.is_some() && p.id == current.id) || p.key() == current.key())
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(AppError::invalid(Message::NotUniqueInFile {
            count: form.projects.len(),
            key: current.key(),
        })),
    }
}

/// 偏差原因分析及改进措施 as one text for the 自评表.
pub fn note_text(n: &IndicatorNote) -> Option<String> {
    match (&n.deviation_reason, &n.remedy) {
        (Some(r), Some(m)) => Some(format!("偏差原因：{r}；改进措施：{m}")),
        (Some(r), None) => Some(format!("偏差原因：{r}")),
        (None, Some(m)) => Some(format!("改进措施：{m}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A declaration's year is checked in one place: the API's JSON and the editor's field
    /// are refused alike, naming the field `year`.
    #[test]
    fn a_year_out_of_range_is_refused_for_every_front_end() {
        let seed = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
        let mut p = jixiao_form::read_form("seed.txt", seed)
            .unwrap()
            .form
            .projects
            .remove(0);
        p.year = 1999;
        let e = validated(p).unwrap_err();
        let AppError::Invalid(Invalid::Fields(fields)) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(fields[0].field, "year");
        assert!(fields[0].zh.contains("1999"), "{}", fields[0].zh);
        let d = crate::Draft {
            year: "1999".into(),
            ..crate::Draft::default()
        };
        let (_, errors) = d.read();
        assert!(errors
            .iter()
            .any(|f| f.field == "year" && f.zh == fields[0].zh));
    }

    /// The actions a page offers come from the transition table and `access`: each status and
    /// role as the use cases decide it.
    #[test]
    fn what_an_actor_may_do_follows_the_one_transition_table() {
        let seed = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
        let p = jixiao_form::read_form("seed.txt", seed)
            .unwrap()
            .form
            .projects
            .remove(0);
        let unit = p.unit.clone();
        let role = jixiao_model::Role::Editor;
        let editor = Actor::new("e", role, Some(&unit), None);
        let viewer = Actor::new("v", jixiao_model::Role::Viewer, Some(&unit), None);
        let other = Actor::new("o", role, Some("另一个单位"), None);
        let admin = Actor::local_admin();
        let a = allowed(&editor, &p, Status::Draft);
        assert!(a.submit && a.edit && a.comment && a.write, "{a:?}");
        assert!(!a.adjust && !a.review, "{a:?}");
        assert!(allowed(&editor, &p, Status::Returned).submit);
        let a = allowed(&editor, &p, Status::Submitted);
        assert!(!a.submit && !a.edit && !a.adjust && !a.review, "{a:?}");
        let a = allowed(&editor, &p, Status::Approved);
        assert!(a.adjust && !a.edit && !a.submit, "{a:?}");
        assert!(allowed(&admin, &p, Status::Submitted).review);
        assert!(!allowed(&admin, &p, Status::Draft).review);
        assert_eq!(allowed(&viewer, &p, Status::Draft), Allowed::default());
        assert_eq!(allowed(&other, &p, Status::Draft), Allowed::default());
    }

    #[test]
    fn a_target_is_read_as_an_import_reads_it() {
        let r = check_target("≥15000.00(公里)").unwrap();
        assert_eq!(r.kind, "quantitative");
        assert_eq!(r.reading_zh, "≥ 15000公里");
        assert!(r.warnings.is_empty());
        let r = check_target("≥15O00(公里)").unwrap();
        assert_eq!(r.clauses[0].value, "15000");
        assert_eq!(r.warnings.len(), 1, "{r:?}");
        assert_eq!(r.warnings[0].column, Some(4));
        let e = check_target("≥1,00,0(公里)").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Invalid);
        assert!(e.to_string().contains("第"), "{e}");
        assert!(check_target("  ").is_err());
        let r = check_target("2024年6月30日前").unwrap();
        assert_eq!(r.kind, "deadline");
    }

    /// An impossible date is refused with the field named, as an import refuses it — never
    /// read as a qualitative target (issue 19 item 7).
    #[test]
    fn an_impossible_date_is_refused() {
        for text in ["2025年13月31日前", "2025年2月30日前", "2025年12月32日前"] {
            let e = check_target(text).unwrap_err();
            let AppError::Invalid(Invalid::Fields(fields)) = &e else {
                panic!("{text}: {e:?}");
            };
            assert_eq!(fields[0].field, "target");
            assert_eq!(fields[0].column, Some(1));
            assert!(fields[0].zh.contains("不存在"), "{}", fields[0].zh);
        }
        // Saving a draft with one reads it as an error at the indicator, too.
        let seed = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
        let mut p = jixiao_form::read_form("seed.txt", seed)
            .unwrap()
            .form
            .projects
            .remove(0);
        p.indicators[0].raw = "2025年2月30日前".into();
        let read = read_targets(&mut p);
        assert_eq!(read.errors.len(), 1, "{read:?}");
        assert!(
            read.errors[0].zh.contains("2025年2月30日"),
            "{}",
            read.errors[0].zh
        );
    }
}
