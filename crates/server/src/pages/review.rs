//! 审核工作台 — `/review`: the declarations awaiting the 审核人 (已提交, in the units under its
//! department, as `app::access` decides), each with its grade and findings; opening one is
//! the declaration page, which shows the findings beside the indicators, a comment box per
//! indicator, 退回 with a comment and 批准. Roles that do not review get the 403 page.

use askama::Template;
use axum::extract::State as S;
use jixiao_app::access::{authorize, require_role, Action};
use jixiao_app::ProjectView;
use jixiao_model::{Finding, Severity, Status};

use super::{Frame, PageResult, PageUser};
use crate::State;

/// One declaration awaiting review.
pub(crate) struct Waiting {
    pub id: i64,
    pub v: ProjectView,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    f: Frame,
    waiting: Vec<Waiting>,
}

impl ReviewPage {
    fn finding_text<'a>(&self, x: &'a Finding) -> &'a str {
        self.f.t(&x.message_zh, &x.message_en)
    }

    /// The first findings, errors and warnings first.
    fn top<'a>(&self, w: &'a Waiting) -> Vec<&'a Finding> {
        let mut v: Vec<&Finding> = w.v.review.findings.iter().collect();
        v.sort_by_key(|f| match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            _ => 2,
        });
        v.truncate(3);
        v
    }
}

/// `GET /review`.
pub(crate) async fn page(S(state): S<State>, user: PageUser) -> PageResult {
    let actor = user.actor();
    require_role(actor, Action::Review).map_err(|e| user.fail(e))?;
    let list = state.app.list(actor).await.map_err(|e| user.fail(e))?;
    let mut waiting = Vec::new();
    for s in list.iter().filter(|s| s.status == Status::Submitted) {
        let v = state
            .app
            .project_view(actor, s.id, &state.options.review_policy)
            .await
            .map_err(|e| user.fail(e))?;
        if authorize(actor, Action::Review, &v.project).is_err() {
            continue;
        }
        let count = |sev: Severity| {
            v.review
                .findings
                .iter()
                .filter(|f| f.severity == sev)
                .count()
        };
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        waiting.push(Waiting {
            id: s.id,
            v,
            errors,
            warnings,
        });
    }
    super::render(
        user.lang,
        &ReviewPage {
            f: user.frame("review"),
            waiting,
        },
    )
}
