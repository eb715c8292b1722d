//! The dashboard and the list page in the database (visibility, filters, order, counts in
//! SQL): what they show must be exactly what the permission table and the declaration's own
//! pages say. On SQLite and on PostgreSQL (the local server).

use jixiao_app::{access, Actor, App, DashboardFilter, Upload};
use jixiao_model::{NaiveDate, Role, Status};
use jixiao_testkit::{data, sqlite_path};

const A: &str = "上海市减污降碳管理运行技术中心";
const DEPT_A: &str = "上海市生态环境局";
const B: &str = "乙单位";
const DEPT_B: &str = "上海市交通委员会";
const SHARED: &str = "交通工具购置及更新";

fn upload(rel: &str) -> Upload {
    Upload::read(&data(rel)).unwrap()
}

/// The seed moved to unit B (another department), in year `year`.
fn form_of_b(year: i32) -> Upload {
    let mut form = jixiao_app::parse_file(&data("seed_2024_shanghai.txt"))
        .unwrap()
        .form;
    for p in &mut form.projects {
        p.unit = B.into();
        p.department = Some(DEPT_B.into());
        p.year = year;
    }
    Upload::new(format!("b{year}.json"), jixiao_form::json::to_string(&form))
}

async fn sqlite() -> App {
    App::open(&sqlite_path("jixiao-app-dashboard"))
        .await
        .unwrap()
}

async fn postgres() -> App {
    App::open(&jixiao_testkit::postgres_url("d").await)
        .await
        .unwrap()
}

fn date(s: &str) -> NaiveDate {
    jixiao_model::parse_date(s).unwrap()
}

/// A's seed, B's copy in 2024 and 2025, A's actuals and spending, one declaration submitted.
async fn fill(app: &App) {
    let admin = Actor::local_admin();
    app.import(
        &admin,
        &[
            upload("seed_2024_shanghai.txt"),
            form_of_b(2024),
            form_of_b(2025),
        ],
    )
    .await
    .unwrap();
    let editor = Actor::new("张三", Role::Editor, Some(A), Some(DEPT_A));
    app.record_actuals(&editor, &upload("actuals/transport_2024.csv"))
        .await
        .unwrap();
    app.record_spending(&editor, &upload("actuals/transport_2024_spending.csv"))
        .await
        .unwrap();
    let b = app
        .list(&admin)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key.unit == B)
        .unwrap();
    app.submit(&admin, b.id).await.unwrap();
}

fn actors() -> Vec<Actor> {
    vec![
        Actor::local_admin(),
        Actor::new("财政", Role::Finance, None, None),
        Actor::new("审核A", Role::Reviewer, None, Some(DEPT_A)),
        Actor::new("审核B单位", Role::Reviewer, Some(B), Some(DEPT_A)),
        Actor::new("审核无部门", Role::Reviewer, None, None),
        Actor::new("填报A", Role::Editor, Some(&format!(" {A} ")), Some(DEPT_B)),
        Actor::new("只读B", Role::Viewer, Some(B), None),
        Actor::new("填报无单位", Role::Editor, None, Some(DEPT_A)),
    ]
}

/// Each actor's list, pages and filter values are what `access::permits` allows of all.
async fn visibility_is_the_permission_table(app: App) {
    fill(&app).await;
    let all = app.list(&Actor::local_admin()).await.unwrap();
    assert_eq!(all.len(), 6);
    let projects = app.export(&Actor::local_admin()).await.unwrap().projects;
    let as_of = date("2024-06-30");
    for actor in actors() {
        let expected: Vec<_> = all
            .iter()
            .filter(|s| {
                let p = projects.iter().find(|p| p.id == Some(s.id)).unwrap();
                access::can_read(&actor, p)
            })
            .cloned()
            .collect();
        assert_eq!(app.list(&actor).await.unwrap(), expected, "{actor:?}");
        // Filters and pages, against the same filter done here.
        let statuses = [None, Some(Status::Draft), Some(Status::Submitted)];
        for year in [None, Some(2024), Some(2025)] {
            for unit in [None, Some(A.to_string()), Some(format!("{B} "))] {
                for department in [None, Some(DEPT_A.to_string())] {
                    for status in statuses {
                        let f = DashboardFilter {
                            year,
                            department: department.clone(),
                            unit: unit.clone(),
                            status,
                        };
                        let want: Vec<_> = expected
                            .iter()
                            .filter(|s| {
                                year.is_none_or(|y| s.key.year == y)
                                    && unit.as_deref().is_none_or(|u| s.key.unit == u.trim())
                                    && department
                                        .as_deref()
                                        .is_none_or(|d| s.department.as_deref() == Some(d))
                                    && status.is_none_or(|st| s.status == st)
                            })
                            .collect();
                        for per_page in [1, 4] {
                            for page in 1..=3 {
                                let d = app
                                    .dashboard(&actor, &f, page, per_page, as_of)
                                    .await
                                    .unwrap();
                                assert_eq!(d.total, want.len(), "{actor:?} {f:?}");
                                let ids: Vec<_> = d.rows.iter().map(|r| r.id).collect();
                                let want_ids: Vec<_> = want
                                    .iter()
                                    .skip((page - 1) * per_page)
                                    .take(per_page)
                                    .map(|s| s.id)
                                    .collect();
                                assert_eq!(ids, want_ids, "{actor:?} {f:?} page {page}");
                            }
                        }
                    }
                }
            }
        }
        let d = app
            .dashboard(&actor, &Default::default(), 1, 50, as_of)
            .await
            .unwrap();
        let mut years: Vec<i32> = expected.iter().map(|s| s.key.year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let mut units: Vec<String> = expected.iter().map(|s| s.key.unit.clone()).collect();
        units.sort();
        units.dedup();
        let mut departments: Vec<String> = expected
            .iter()
            .filter_map(|s| s.department.clone())
            .collect();
        departments.sort();
        departments.dedup();
        assert_eq!(
            (d.years, d.units, d.departments),
            (years, units, departments),
            "{actor:?}"
        );
    }
}

/// Every number of a dashboard row is the one the declaration's own pages compute.
async fn rows_agree_with_the_declaration_pages(app: App) {
    fill(&app).await;
    let admin = Actor::local_admin();
    for as_of in [date("2024-03-31"), date("2024-06-30"), date("2030-01-01")] {
        let d = app
            .dashboard(&admin, &Default::default(), 1, 50, as_of)
            .await
            .unwrap();
        assert_eq!(d.rows.len(), 6);
        let mut scored = false;
        for row in &d.rows {
            let v = app.project_view(&admin, row.id).await.unwrap();
            let p = &v.project;
            assert_eq!((row.status, row.version), (v.status, v.version));
            assert_eq!(row.funds, p.funds.total);
            assert_eq!(row.indicators, p.indicators.len() as i64);
            assert_eq!(row.review_grade, v.review.grade);
            assert_eq!(
                (row.errors, row.warnings),
                (
                    v.review.count(jixiao_model::Severity::Error),
                    v.review.count(jixiao_model::Severity::Warning)
                )
            );
            let when = as_of.min(p.end.max(p.start));
            assert_eq!(row.as_of, when);
            let m = app.monitor(&admin, p, when).await.unwrap();
            let e = app.evaluate(&admin, p).await.unwrap();
            assert_eq!(
                row.light,
                jixiao_report::light_of(&m, Some(&e)),
                "{}",
                p.name
            );
            assert_eq!((row.score, row.grade), e.scored().unzip(), "{}", p.name);
            scored |= !v.actuals.current.is_empty();
        }
        assert!(scored, "some row has actuals");
    }
}

/// The review queue, read in one store call, is what it was as the list and each
/// declaration's page: for every actor, the same declarations (已提交, under the reviewer's
/// department) in the same order, each with the page's version, review, actuals and spending.
async fn the_review_queue_is_the_declaration_pages(app: App) {
    fill(&app).await;
    let admin = Actor::local_admin();
    // A's transport project, with its actuals and spending, waits too.
    let a = app
        .list(&admin)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key.unit == A && s.key.name == SHARED)
        .unwrap();
    app.submit(&admin, a.id).await.unwrap();
    let mut waiting = 0;
    for actor in actors() {
        let queue = match app.review_queue(&actor).await {
            Ok(q) => q,
            Err(e) => {
                assert_eq!(e.kind(), jixiao_app::ErrorKind::Forbidden, "{actor:?}");
                assert!(!access::role_may(actor.role, access::Action::Review));
                continue;
            }
        };
        let mut pages = Vec::new();
        for s in app.list(&actor).await.unwrap() {
            if s.status != Status::Submitted {
                continue;
            }
            let v = app.project_view(&actor, s.id).await.unwrap();
            if access::permits(
                &actor,
                access::Action::Review,
                &access::Owner::of(&v.project),
            ) {
                pages.push((s.id, v));
            }
        }
        let ids =
            |q: &[(i64, jixiao_app::ProjectView)]| q.iter().map(|(id, _)| *id).collect::<Vec<_>>();
        assert_eq!(ids(&queue), ids(&pages), "{actor:?}");
        for ((_, q), (_, v)) in queue.iter().zip(&pages) {
            assert_eq!(q.project, v.project);
            assert_eq!(
                (q.status, q.version, q.may_write),
                (v.status, v.version, v.may_write)
            );
            assert_eq!(q.review.findings, v.review.findings);
            assert_eq!(q.review.grade, v.review.grade);
            assert_eq!(q.actuals, v.actuals);
            assert_eq!(q.spending, v.spending);
        }
        waiting += queue.len();
        if actor.role == Role::Admin {
            assert_eq!(queue.len(), 2);
            assert!(queue
                .iter()
                .any(|(_, v)| !v.actuals.current.is_empty() && !v.spending.is_empty()));
        }
    }
    assert!(
        waiting > 2,
        "reviewers other than the administrator see some"
    );
}

#[tokio::test]
async fn sqlite_the_review_queue_is_the_declaration_pages() {
    the_review_queue_is_the_declaration_pages(sqlite().await).await;
}

#[tokio::test]
async fn postgres_the_review_queue_is_the_declaration_pages() {
    the_review_queue_is_the_declaration_pages(postgres().await).await;
}

#[tokio::test]
async fn sqlite_visibility_is_the_permission_table() {
    visibility_is_the_permission_table(sqlite().await).await;
}

#[tokio::test]
async fn postgres_visibility_is_the_permission_table() {
    visibility_is_the_permission_table(postgres().await).await;
}

#[tokio::test]
async fn sqlite_rows_agree_with_the_declaration_pages() {
    rows_agree_with_the_declaration_pages(sqlite().await).await;
}

#[tokio::test]
async fn postgres_rows_agree_with_the_declaration_pages() {
    rows_agree_with_the_declaration_pages(postgres().await).await;
}

#[test]
fn shared_name_is_in_both_units() {
    // The fixture relies on it: the same 项目名称 in A and in B.
    let form = jixiao_app::parse_file(&data("seed_2024_shanghai.txt"))
        .unwrap()
        .form;
    assert!(form.projects.iter().any(|p| p.name == SHARED));
}
