//! 审核工作台 — `/review`: the declarations awaiting the 审核人 (已提交, in the units under its
//! department, as `app::access` decides), each with its grade and findings; opening one is
//! the declaration page, which shows the findings beside the indicators, a comment box per
//! indicator, 退回 with a comment and 批准. Roles that do not review get the 403 page.

use askama::Template;
use axum::extract::State as S;
use jixiao_app::ProjectView;
use jixiao_model::{Finding, Severity};

use axum::routing::get;
use axum::Router;

use crate::extract::PageUser;
use crate::state::{AppState, State};
use crate::view::{render, Frame, PageResult};

/// The routes of the review queue.
pub fn router() -> Router<State> {
    Router::new().route("/review", get(page))
}

/// One declaration awaiting review.
pub struct Waiting {
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
pub async fn page(S(state): AppState, user: PageUser) -> PageResult {
    let queue = state.app.review_queue(user.actor()).await?;
    let waiting = queue
        .into_iter()
        .map(|(id, v)| {
            let count = |sev: Severity| {
                v.review
                    .findings
                    .iter()
                    .filter(|f| f.severity == sev)
                    .count()
            };
            let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
            Waiting {
                id,
                v,
                errors,
                warnings,
            }
        })
        .collect();
    render(&ReviewPage {
        f: user.frame("review"),
        waiting,
    })
}
