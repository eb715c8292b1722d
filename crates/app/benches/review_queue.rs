//! The review queue (`App::review_queue`, 审核工作台) of a department with 1,000 declarations
//! waiting (the seed's two projects under 500 units, all 已提交, all under one department):
//! one store call of three queries, then each reviewed — against the way it was read before,
//! the list and then `App::project_view` per declaration (four store reads each).
//!
//! `cargo bench -p jixiao-app --bench review_queue`

mod common;

use divan::Bencher;
use jixiao_app::{Actor, App};
use jixiao_model::{Role, Status};

fn main() {
    divan::main();
}

const DEPARTMENT: &str = "第0部门";

/// 1,000 submitted declarations, all under one department.
fn queue() -> (tokio::runtime::Runtime, App, Actor) {
    let rt = common::runtime();
    let mut projects = common::seed_under_units(500);
    for p in &mut projects {
        p.department = Some(DEPARTMENT.into());
    }
    let (app, _, _) = rt.block_on(common::database(projects, &[Status::Submitted], 1000));
    let reviewer = Actor::new("reviewer", Role::Reviewer, None, Some(DEPARTMENT));
    (rt, app, reviewer)
}

#[divan::bench(sample_count = 5)]
fn review_queue_1000(b: Bencher) {
    let (rt, app, reviewer) = queue();
    b.bench(|| {
        let q = rt.block_on(app.review_queue(&reviewer)).unwrap();
        assert_eq!(q.len(), 1000);
        q
    });
}

/// The queue as it was read before: the list, then each declaration's page view.
#[divan::bench(sample_count = 5)]
fn review_queue_1000_per_declaration(b: Bencher) {
    let (rt, app, reviewer) = queue();
    b.bench(|| {
        rt.block_on(async {
            let mut out = Vec::new();
            for s in app.list(&reviewer).await.unwrap() {
                if s.status == Status::Submitted {
                    out.push(app.project_view(&reviewer, s.id).await.unwrap());
                }
            }
            assert_eq!(out.len(), 1000);
            out
        })
    });
}
