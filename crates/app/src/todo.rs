//! 待办 — what waits on a user, the top of its start page (`App::todo`): the declarations
//! returned to it with the reviewer's comment (who may edit them), the declarations to review
//! (who may review them), the rectifications it is to carry out (owned by its unit or by it)
//! or to verify (opened by it and not completed), and the actual values due this period: the
//! approved declarations it may write, in their period on the day (执行中), without an actual
//! value dated in the current month (the monitoring period of [`ACTUALS_PERIOD`]).

use jixiao_model::{
    DeclarationId, NaiveDate, Period, ProjectKey, RectificationOwner, ReportPeriod, Status,
};

use crate::access::{permits, Action, Actor, Owner};
use crate::rectification::{RectificationFilter, RectificationItem};
use crate::views::DashboardFilter;
use crate::{App, AppError, Comment};

/// The monitoring period an actual value is due for: every month of a declaration's period.
pub const ACTUALS_PERIOD: Period = Period::Month;

/// A declaration waiting on the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodoDeclaration {
    /// Its id.
    pub id: DeclarationId,
    /// 年度, 实施单位, 项目名称.
    pub key: ProjectKey,
    /// 主管部门.
    pub department: Option<String>,
}

/// A declaration returned to its unit, with the return's comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedDeclaration {
    /// The declaration.
    pub declaration: TodoDeclaration,
    /// The reviewer's comment of the last return (`None` only for data older than comments).
    pub comment: Option<Comment>,
}

/// An approved declaration in its period without an actual value for the current period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActualsDue {
    /// The declaration.
    pub declaration: TodoDeclaration,
    /// The period a value is due for (the month of the day).
    pub period: ReportPeriod,
}

/// 待办 — what waits on an actor on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Todo {
    /// 退回待修改 — returned declarations the actor may edit, with the comment.
    pub returned: Vec<ReturnedDeclaration>,
    /// 待审核 — submitted declarations the actor may review.
    pub to_review: Vec<TodoDeclaration>,
    /// 待整改 / 待验收 — rectifications the actor is to carry out or to verify, not completed.
    pub rectifications: Vec<RectificationItem>,
    /// 待填实际值 — declarations 执行中 without an actual value for the current period.
    pub actuals_due: Vec<ActualsDue>,
}

impl Todo {
    /// How many things wait.
    pub fn len(&self) -> usize {
        self.returned.len()
            + self.to_review.len()
            + self.rectifications.len()
            + self.actuals_due.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether a rectification waits on the actor: its unit's or its own to carry out, or its own
/// to verify.
fn waits_on(actor: &Actor, r: &RectificationItem) -> bool {
    if !r.status.is_pending() {
        return false;
    }
    let x = &r.rectification;
    let owns = match &x.owner {
        RectificationOwner::Unit(u) => actor.unit.as_deref().is_some_and(|a| a.trim() == u.trim()),
        RectificationOwner::User(n) => n.trim() == actor.name.trim(),
    };
    (r.may_rectify && owns) || (r.may_verify && x.opened_by.trim() == actor.name.trim())
}

impl App {
    /// 待办 — what waits on `actor` on `today` (see the module documentation), each list by
    /// declaration id (rectifications by deadline).
    pub async fn todo(&self, actor: &Actor, today: NaiveDate) -> Result<Todo, AppError> {
        let mut todo = Todo::default();
        let by_status = |status| DashboardFilter {
            status: Some(status),
            ..DashboardFilter::default()
        };
        let declaration = |s: &jixiao_store::ProjectSummary| TodoDeclaration {
            id: s.id,
            key: s.key.clone(),
            department: s.department.clone(),
        };
        let may = |action, s: &jixiao_store::ProjectSummary| {
            let departments: Vec<String> = s.department.clone().into_iter().collect();
            permits(
                actor,
                action,
                &Owner {
                    unit: &s.key.unit,
                    departments: &departments,
                },
            )
        };
        if actor.may(Action::Write) {
            let (returned, _) = self
                .list_page(actor, &by_status(Status::Returned), 1, None)
                .await?;
            for s in returned.iter().filter(|s| may(Action::Write, s)) {
                let comment = self
                    .store
                    .comments(s.id)
                    .await?
                    .into_iter()
                    .rev()
                    .find(|c| c.transition == Some(Status::Returned));
                todo.returned.push(ReturnedDeclaration {
                    declaration: declaration(s),
                    comment,
                });
            }
            let (approved, _) = self
                .list_page(actor, &by_status(Status::Approved), 1, None)
                .await?;
            let ids: Vec<DeclarationId> = approved
                .iter()
                .filter(|s| may(Action::Write, s))
                .map(|s| s.id)
                .collect();
            let period = ReportPeriod::containing(today, ACTUALS_PERIOD);
            let projects = self.store.current_of(&ids).await?;
            let actuals = self.store.observations_of(&ids).await?;
            for s in approved.iter().filter(|s| ids.contains(&s.id)) {
                let Some(p) = projects.iter().find(|p| p.id == Some(s.id)) else {
                    continue;
                };
                if today < p.start || today > p.end {
                    continue;
                }
                let reported = actuals
                    .get(&s.id)
                    .is_some_and(|a| a.current.iter().any(|o| period.contains(o.date)));
                if !reported {
                    todo.actuals_due.push(ActualsDue {
                        declaration: declaration(s),
                        period,
                    });
                }
            }
        }
        if actor.may(Action::Review) {
            let (submitted, _) = self
                .list_page(actor, &by_status(Status::Submitted), 1, None)
                .await?;
            todo.to_review = submitted
                .iter()
                .filter(|s| may(Action::Review, s))
                .map(declaration)
                .collect();
        }
        todo.rectifications = self
            .rectifications(actor, &RectificationFilter::default(), today)
            .await?
            .into_iter()
            .filter(|r| waits_on(actor, r))
            .collect();
        Ok(todo)
    }
}
