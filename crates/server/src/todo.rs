//! 待办 — what waits on the session's user, as `app` decides it (`App::todo`): `GET /api/todo`
//! (`{returned, to_review, rectifications, actuals_due}`); the start page shows the same at its
//! top (`declarations::dashboard`).

use axum::extract::State as S;
use axum::routing::get;
use axum::{Json, Router};
use jixiao_app::{Todo, TodoDeclaration};
use serde::Serialize;

use crate::error::Result;
use crate::extract::Authed;
use crate::rectifications::RectificationBody;
use crate::state::{AppState, State};
use crate::view::today;

/// The route of the to-do list.
pub fn router() -> Router<State> {
    Router::new().route("/api/todo", get(todo))
}

/// A declaration waiting.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TodoDeclarationBody {
    id: i64,
    year: i32,
    /// 项目名称.
    name: String,
    /// 实施单位.
    unit: String,
    /// 主管部门.
    department: Option<String>,
}

impl TodoDeclarationBody {
    fn of(d: &TodoDeclaration) -> TodoDeclarationBody {
        TodoDeclarationBody {
            id: d.id,
            year: d.key.year,
            name: d.key.name.clone(),
            unit: d.key.unit.clone(),
            department: d.department.clone(),
        }
    }
}

/// A returned declaration with the reviewer's comment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReturnedBody {
    declaration: TodoDeclarationBody,
    /// 退回意见.
    comment: Option<String>,
    /// Who returned it.
    comment_by: Option<String>,
    /// When (UTC, ISO 8601).
    comment_at: Option<String>,
}

/// A declaration 执行中 without an actual value for the current period.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActualsDueBody {
    declaration: TodoDeclarationBody,
    /// The period (`2026-12`).
    period: String,
    /// …in Chinese (`2026年12月`).
    period_zh: String,
}

/// 待办.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TodoBody {
    /// 退回待修改.
    returned: Vec<ReturnedBody>,
    /// 待审核.
    to_review: Vec<TodoDeclarationBody>,
    /// 待整改 / 待验收.
    rectifications: Vec<RectificationBody>,
    /// 待填实际值.
    actuals_due: Vec<ActualsDueBody>,
}

impl TodoBody {
    /// The body of a to-do list.
    pub fn of(t: &Todo) -> TodoBody {
        TodoBody {
            returned: t
                .returned
                .iter()
                .map(|r| ReturnedBody {
                    declaration: TodoDeclarationBody::of(&r.declaration),
                    comment: r.comment.as_ref().map(|c| c.body.clone()),
                    comment_by: r.comment.as_ref().map(|c| c.author.clone()),
                    comment_at: r.comment.as_ref().map(|c| c.at.clone()),
                })
                .collect(),
            to_review: t.to_review.iter().map(TodoDeclarationBody::of).collect(),
            rectifications: t.rectifications.iter().map(RectificationBody::of).collect(),
            actuals_due: t
                .actuals_due
                .iter()
                .map(|a| ActualsDueBody {
                    declaration: TodoDeclarationBody::of(&a.declaration),
                    period: a.period.to_string(),
                    period_zh: a.period.zh(),
                })
                .collect(),
        }
    }
}

/// `GET /api/todo` — what waits on the session's user today.
#[utoipa::path(get, path = "/api/todo", tag = "todo", summary = "待办：退回的申报（含意见）、待审核、待整改、待填实际值 / what waits on you: returned declarations with the comment, reviews, rectifications, actuals due", responses((status = 200, body = TodoBody), crate::openapi::Reading))]
pub async fn todo(S(state): AppState, a: Authed) -> Result<Json<TodoBody>> {
    let t = state
        .app
        .todo(&a.session.actor, today(state.options.time_zone))
        .await?;
    Ok(Json(TodoBody::of(&t)))
}
