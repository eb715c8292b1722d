//! 整改 — the use cases of rectifications: open one on a finding of a declaration (a review
//! finding by its rule and indicator, a 红/黄 light of monitoring as of the day, a flag of the
//! self-evaluation: a flag, or a deduction of an indicator or of the budget's 执行率
//! ([`self_evaluation_findings`]) — each checked to exist now, and kept as it was), list them (what the actor
//! may read, by status on the day, unit, department, declaration), change one (the unit's 填报人
//! writes the measure and the evidence and moves it to 整改中; whoever opened it changes the
//! owner or deadline, completes — verifies — or reopens it: `access::authorize_rectification`),
//! and count the open and overdue ones per unit and department. Every change is audited by the
//! store in its transaction. "Today" is the caller's (the front ends read it in the deployment's
//! zone, Asia/Shanghai by default), so a rectification is 逾期 from the day after its deadline.

use std::collections::BTreeMap;

use jixiao_evaluate as evaluate;
use jixiao_model::{
    DeclarationId, FindingSource, Form, NaiveDate, Progress, Project, Rectification,
    RectificationOwner, RectificationStatus, SourceFinding,
};
use jixiao_store::{NewRectification, RectificationFields, RectificationQuery};

use crate::access::{
    authorize, authorize_rectification, permits, require_role, visibility, Action, Actor, Owner,
};
use crate::{App, AppError, Message};

/// What opening a rectification names: the declaration, its finding, and the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRectification {
    /// The declaration.
    pub declaration: DeclarationId,
    /// Where the finding comes from.
    pub source: FindingSource,
    /// The review rule id; `red`/`yellow` for a monitoring light; for the self-evaluation the
    /// flag kind (`missing_deviation_reason`) or a deduction ([`INDICATOR_DEDUCTION`],
    /// [`BUDGET_DEDUCTION`]; see [`self_evaluation_findings`]).
    pub rule: String,
    /// The indicator's code (`1.1.2`), when the finding is about one (none: the declaration, or
    /// for monitoring the budget's light).
    pub code: Option<String>,
    /// 责任人 / 责任单位; the declaration's unit when none is given.
    pub owner: Option<RectificationOwner>,
    /// 整改期限 (today or later).
    pub deadline: NaiveDate,
    /// 整改措施 asked for, when the opener writes one.
    pub measure: Option<String>,
}

/// A change of a rectification: each field given is set, the others kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RectificationUpdate {
    /// The version the change was made on; another change since is refused (409).
    pub version: Option<i64>,
    /// 整改措施 (the unit).
    pub measure: Option<String>,
    /// 整改佐证 (the unit).
    pub evidence: Option<String>,
    /// 整改中 or 待整改 (the unit), 已完成 or back to 整改中 (whoever opened it).
    pub progress: Option<Progress>,
    /// 整改期限 (whoever opened it).
    pub deadline: Option<NaiveDate>,
    /// 责任人 / 责任单位 (whoever opened it).
    pub owner: Option<RectificationOwner>,
}

/// Which rectifications to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RectificationFilter {
    /// Status on the day.
    pub status: Option<RectificationStatus>,
    /// 实施单位.
    pub unit: Option<String>,
    /// 主管部门.
    pub department: Option<String>,
    /// One declaration's.
    pub declaration: Option<DeclarationId>,
}

/// A rectification as an actor sees it on a day: its status then, and what the actor may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationItem {
    /// The rectification.
    pub rectification: Rectification,
    /// 待整改 / 整改中 / 已完成 / 逾期 on the day.
    pub status: RectificationStatus,
    /// Whether the actor may write its measure and evidence and move it to 整改中.
    pub may_rectify: bool,
    /// Whether the actor may complete, reopen, or change its deadline or owner.
    pub may_verify: bool,
}

/// Open and overdue rectifications of a unit, or of a department (its units together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationTally {
    /// 主管部门.
    pub department: Option<String>,
    /// 实施单位; `None` for a department's total.
    pub unit: Option<String>,
    /// Not completed (逾期 included).
    pub open: i64,
    /// 逾期.
    pub overdue: i64,
    /// 已完成.
    pub done: i64,
}

/// Per unit and per department, what the actor may read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RectificationCounts {
    /// One per unit with rectifications, by department then unit.
    pub units: Vec<RectificationTally>,
    /// One per department (its units summed), by department.
    pub departments: Vec<RectificationTally>,
}

/// What an actor may not see, or what does not exist.
pub(crate) fn no_rectification(id: i64) -> AppError {
    AppError::NotFound(Message::NoRectificationWithId { id })
}

fn item(actor: &Actor, r: Rectification, today: NaiveDate) -> RectificationItem {
    RectificationItem {
        status: r.status(today),
        may_rectify: authorize_rectification(actor, Action::Rectify, &r).is_ok(),
        may_verify: authorize_rectification(actor, Action::VerifyRectification, &r).is_ok(),
        rectification: r,
    }
}

fn indicator_label(p: &Project, code: &str) -> Option<(Option<i64>, String)> {
    p.indicator(code)
        .map(|i| (i.id, format!("{} {}", i.code, i.name)))
}

/// The rule of a self-evaluation deduction on an indicator (scored below its 分值).
pub const INDICATOR_DEDUCTION: &str = "indicator_deduction";
/// The rule of a self-evaluation deduction on the budget's execution (执行率 scored below its
/// 分值).
pub const BUDGET_DEDUCTION: &str = "budget_deduction";

/// A finding of the self-evaluation that a rectification may act on: a flag (its kind's id), an
/// indicator scored below its 分值 ([`INDICATOR_DEDUCTION`]) or the budget's 执行率 scored below
/// its 分值 ([`BUDGET_DEDUCTION`]). What the self-evaluation page offers a button for and what
/// [`App::open_rectification`] accepts as [`FindingSource::SelfEvaluation`] are this list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfEvaluationFinding {
    /// The flag kind's id (`missing_deviation_reason`), or one of the two deductions.
    pub rule: String,
    /// The indicator's code, when the finding is about one.
    pub code: Option<String>,
    /// What it says, in Chinese.
    pub text_zh: String,
    /// What it says, in English.
    pub text_en: String,
}

/// The findings of a 自评表: the budget's deduction, the indicators' deductions in form order,
/// then the flags. Deductions only when something was scored (无实际值 has none: its flags say
/// what is missing), and none for an indicator 未填报 or 待确认 (its flag is the finding).
pub fn self_evaluation_findings(e: &evaluate::SelfEvaluation) -> Vec<SelfEvaluationFinding> {
    use jixiao_model::present::{decimal, percent};
    let mut out = Vec::new();
    if e.state() == evaluate::ScoreState::Scored {
        let b = &e.budget;
        if b.score < b.weight {
            out.push(SelfEvaluationFinding {
                rule: BUDGET_DEDUCTION.into(),
                code: None,
                text_zh: format!(
                    "自评扣分：预算执行率 {}，得分 {}（分值 {}）",
                    percent(b.execution_rate),
                    decimal(b.score),
                    decimal(b.weight)
                ),
                text_en: format!(
                    "self-evaluation deduction: execution rate {}, scored {} of {}",
                    percent(b.execution_rate),
                    decimal(b.score),
                    decimal(b.weight)
                ),
            });
        }
        for i in &e.indicators {
            let scored = !matches!(
                i.outcome,
                evaluate::Outcome::Missing | evaluate::Outcome::Unconfirmed
            );
            if scored && i.score < i.weight {
                out.push(SelfEvaluationFinding {
                    rule: INDICATOR_DEDUCTION.into(),
                    code: Some(i.code.clone()),
                    text_zh: format!(
                        "自评扣分：指标 {} {}（{}）得分 {}（分值 {}）",
                        i.code,
                        i.name,
                        i.outcome.zh(),
                        decimal(i.score),
                        decimal(i.weight)
                    ),
                    text_en: format!(
                        "self-evaluation deduction: indicator {} {} ({}) scored {} of {}",
                        i.code,
                        i.name,
                        i.outcome.en(),
                        decimal(i.score),
                        decimal(i.weight)
                    ),
                });
            }
        }
    }
    out.extend(e.flags.iter().map(|f| SelfEvaluationFinding {
        rule: flag_id(&f.kind),
        code: f.code.clone(),
        text_zh: f.message_zh.clone(),
        text_en: f.message_en.clone(),
    }));
    out
}

/// The flag kind's id as the JSON writes it (`missing_deviation_reason`): the rule of a
/// rectification opened on the flag.
pub fn flag_id(kind: &evaluate::FlagKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl App {
    /// Finds the finding `input` names on the declaration as it is now (review, monitoring as
    /// of `today` within the project's period, self-evaluation, under the App's policies);
    /// [`AppError::Invalid`] when there is none.
    async fn source_finding(
        &self,
        actor: &Actor,
        p: &Project,
        input: &OpenRectification,
        today: NaiveDate,
    ) -> Result<SourceFinding, AppError> {
        let code = trimmed(&input.code);
        let rule = input.rule.trim().to_string();
        let label = match &code {
            Some(c) => Some(indicator_label(p, c).ok_or_else(|| {
                AppError::invalid(Message::RectificationNoIndicator {
                    project: p.name.clone(),
                    code: c.clone(),
                })
            })?),
            None => None,
        };
        let missing = || {
            AppError::invalid(Message::NoSuchFinding {
                project: p.name.clone(),
                source: input.source,
                rule: rule.clone(),
                code: code.clone(),
            })
        };
        let (indicator_id, indicator) = match &label {
            Some((id, text)) => (*id, Some(text.clone())),
            None => (None, None),
        };
        let (text_zh, text_en) = match input.source {
            FindingSource::Review => {
                let report =
                    jixiao_review::review(&Form::new(vec![p.clone()]), &self.policies.review);
                let f = report
                    .findings()
                    .find(|f| f.rule == rule && f.code == code)
                    .ok_or_else(missing)?;
                (f.message_zh.clone(), f.message_en.clone())
            }
            FindingSource::Monitoring => {
                let as_of = today.clamp(p.start.min(p.end), p.end.max(p.start));
                let m = self.monitor(actor, p, as_of).await?;
                let light = match &code {
                    Some(c) => m.indicators.iter().find(|i| &i.code == c).map(|i| i.light),
                    None => Some(m.budget.light),
                };
                let light = light
                    .filter(|l| {
                        matches!(l, evaluate::Light::Red | evaluate::Light::Yellow)
                            && l.en() == rule
                    })
                    .ok_or_else(missing)?;
                let what_zh = indicator.clone().unwrap_or_else(|| "预算执行".to_string());
                let what_en = indicator
                    .clone()
                    .unwrap_or_else(|| "budget execution".to_string());
                (
                    format!("绩效运行监控（截至 {as_of}）：{what_zh}为{}灯", light.zh()),
                    format!("monitoring as of {as_of}: {what_en} is {}", light.en()),
                )
            }
            FindingSource::SelfEvaluation => {
                let e = self.evaluate(actor, p).await?;
                let f = self_evaluation_findings(&e)
                    .into_iter()
                    .find(|f| f.rule == rule && f.code == code)
                    .ok_or_else(missing)?;
                (f.text_zh, f.text_en)
            }
        };
        Ok(SourceFinding {
            source: input.source,
            rule,
            indicator_id,
            indicator,
            text_zh,
            text_en,
        })
    }

    /// Checks an owner: the declaration's unit, or a user who may read the declaration.
    async fn check_owner(
        &self,
        p: &Project,
        owner: &RectificationOwner,
    ) -> Result<RectificationOwner, AppError> {
        match owner {
            RectificationOwner::Unit(u) if u.trim() == p.unit.trim() => {
                Ok(RectificationOwner::Unit(p.unit.clone()))
            }
            RectificationOwner::Unit(u) => Err(AppError::invalid(Message::OwnerNotTheUnit {
                owner: u.trim().to_string(),
                project: p.name.clone(),
                unit: p.unit.clone(),
            })),
            RectificationOwner::User(name) => {
                let user = self.store.user(name.trim()).await?;
                let reads = user.as_ref().is_some_and(|u| {
                    let a = Actor::new(
                        u.username.clone(),
                        u.role,
                        u.unit.as_deref(),
                        u.department.as_deref(),
                    );
                    permits(&a, Action::Read, &Owner::of(p))
                });
                if reads {
                    Ok(RectificationOwner::User(name.trim().to_string()))
                } else {
                    Err(AppError::invalid(Message::OwnerCannotRead {
                        owner: name.trim().to_string(),
                        project: p.name.clone(),
                    }))
                }
            }
        }
    }

    /// 建立整改事项 — opens a rectification on a finding (under the App's policies) of a
    /// declaration the actor may open one on (审核人 of its department, 财政, 管理员): the finding must exist now (see
    /// [`OpenRectification`]), the deadline must not lie before `today`, the owner is the
    /// declaration's unit or a user who may read it; one not completed on the same finding is
    /// [`AppError::Conflict`]. Audited in the same transaction.
    pub async fn open_rectification(
        &self,
        actor: &Actor,
        input: &OpenRectification,
        today: NaiveDate,
    ) -> Result<RectificationItem, AppError> {
        require_role(actor, Action::OpenRectification)?;
        let p = self.project_by_id(actor, input.declaration).await?;
        authorize(actor, Action::OpenRectification, &p)?;
        if input.deadline < today {
            return Err(AppError::invalid(Message::DeadlineBeforeToday {
                deadline: input.deadline,
                today,
            }));
        }
        let owner = match &input.owner {
            Some(o) => self.check_owner(&p, o).await?,
            None => RectificationOwner::Unit(p.unit.clone()),
        };
        let finding = self.source_finding(actor, &p, input, today).await?;
        let r = self
            .store
            .open_rectification(
                &NewRectification {
                    declaration_id: input.declaration,
                    finding,
                    owner,
                    deadline: input.deadline,
                    measure: trimmed(&input.measure).unwrap_or_default(),
                },
                &actor.name,
            )
            .await?;
        Ok(item(actor, r, today))
    }

    /// The rectifications the actor may read (those of the declarations it may read), narrowed
    /// by `filter`, with their status on `today`, by deadline.
    pub async fn rectifications(
        &self,
        actor: &Actor,
        filter: &RectificationFilter,
        today: NaiveDate,
    ) -> Result<Vec<RectificationItem>, AppError> {
        require_role(actor, Action::Read)?;
        let found = self
            .store
            .rectifications(&RectificationQuery {
                visible: visibility(actor),
                declaration: filter.declaration,
                unit: trimmed(&filter.unit),
                department: trimmed(&filter.department),
                status: filter.status,
                pending: false,
                today,
            })
            .await?;
        Ok(found
            .into_iter()
            .filter(|r| authorize_rectification(actor, Action::Read, r).is_ok())
            .map(|r| item(actor, r, today))
            .collect())
    }

    /// One rectification the actor may read ([`AppError::NotFound`] otherwise).
    pub async fn rectification(
        &self,
        actor: &Actor,
        id: i64,
        today: NaiveDate,
    ) -> Result<RectificationItem, AppError> {
        let r = self
            .store
            .rectification(id)
            .await?
            .ok_or_else(|| no_rectification(id))?;
        authorize_rectification(actor, Action::Read, &r)?;
        Ok(item(actor, r, today))
    }

    /// Changes a rectification: the unit's 填报人 writes the measure and the evidence and
    /// moves it between 待整改 and 整改中; whoever opened it (or an administrator) changes its
    /// deadline or owner, completes it (已完成: needs a measure and evidence) or reopens it.
    /// A field the actor may not change is [`AppError::Forbidden`]; a completed one changes
    /// only by reopening; a change made on an older version is [`AppError::Conflict`].
    pub async fn update_rectification(
        &self,
        actor: &Actor,
        id: i64,
        change: &RectificationUpdate,
        today: NaiveDate,
    ) -> Result<RectificationItem, AppError> {
        let old = self.rectification(actor, id, today).await?.rectification;
        let mut new = RectificationFields::of(&old);
        let unit_part = change.measure.is_some()
            || change.evidence.is_some()
            || matches!(change.progress, Some(Progress::Open | Progress::InProgress) if old.progress != Progress::Done);
        let opener_part = change.deadline.is_some()
            || change.owner.is_some()
            || change.progress == Some(Progress::Done)
            || (old.progress == Progress::Done
                && change.progress.is_some_and(|s| s != Progress::Done));
        if unit_part {
            authorize_rectification(actor, Action::Rectify, &old)?;
        }
        if opener_part {
            authorize_rectification(actor, Action::VerifyRectification, &old)?;
        }
        if !unit_part && !opener_part {
            // Nothing asked: still only those who may change it learn that nothing changed.
            if authorize_rectification(actor, Action::Rectify, &old).is_err() {
                authorize_rectification(actor, Action::VerifyRectification, &old)?;
            }
        }
        if old.progress == Progress::Done
            && (unit_part || change.deadline.is_some() || change.owner.is_some())
            && change.progress.is_none_or(|s| s == Progress::Done)
        {
            return Err(AppError::Conflict(Message::RectificationCompleted { id }));
        }
        if let Some(m) = &change.measure {
            new.measure = m.trim().to_string();
        }
        if let Some(e) = &change.evidence {
            new.evidence = e.trim().to_string();
        }
        if let Some(d) = change.deadline {
            if d < today && d != old.deadline {
                return Err(AppError::invalid(Message::DeadlineBeforeToday {
                    deadline: d,
                    today,
                }));
            }
            new.deadline = d;
        }
        if let Some(o) = &change.owner {
            let p = self.project_by_id(actor, old.declaration_id).await?;
            new.owner = self.check_owner(&p, o).await?;
        }
        if let Some(s) = change.progress {
            new.progress = s;
        }
        if new.progress == Progress::Done && (new.measure.is_empty() || new.evidence.is_empty()) {
            return Err(AppError::invalid(Message::RectificationIncomplete { id }));
        }
        // Writing a measure or evidence starts the work.
        if new.progress == Progress::Open
            && change.progress.is_none()
            && (new.measure != old.measure || new.evidence != old.evidence)
        {
            new.progress = Progress::InProgress;
        }
        let r = self
            .store
            .update_rectification(id, change.version.unwrap_or(old.version), &new, &actor.name)
            .await?;
        Ok(item(actor, r, today))
    }

    /// Open and overdue rectifications per unit and per department, of what the actor may
    /// read, on `today`.
    pub async fn rectification_counts(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<RectificationCounts, AppError> {
        require_role(actor, Action::Read)?;
        let rows = self
            .store
            .rectification_counts(&visibility(actor), today)
            .await?;
        let units: Vec<RectificationTally> = rows
            .into_iter()
            .map(|c| RectificationTally {
                department: c.department,
                unit: Some(c.unit),
                open: c.open,
                overdue: c.overdue,
                done: c.done,
            })
            .collect();
        let mut departments: BTreeMap<Option<String>, RectificationTally> = BTreeMap::new();
        for u in &units {
            let d = departments
                .entry(u.department.clone())
                .or_insert_with(|| RectificationTally {
                    department: u.department.clone(),
                    unit: None,
                    open: 0,
                    overdue: 0,
                    done: 0,
                });
            d.open += u.open;
            d.overdue += u.overdue;
            d.done += u.done;
        }
        Ok(RectificationCounts {
            units,
            departments: departments.into_values().collect(),
        })
    }
}
