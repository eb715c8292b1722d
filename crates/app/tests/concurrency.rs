//! Writes that never fail for a race (issue 16, item 4), on a SQLite file and on PostgreSQL:
//! N simultaneous writes to the same record through `app` all answer Ok (or a typed
//! `Conflict` where the semantics demand it, never `Internal`), and the data is consistent.

use jixiao_app::{Actor, ActualInput, App, AppError, ErrorKind, SpendingInput, Upload};
use jixiao_model::Project;
use jixiao_testkit::data;

/// Writers at once.
const N: usize = 40;

async fn sqlite() -> App {
    App::open(&jixiao_testkit::sqlite_path("race"))
        .await
        .unwrap()
}

async fn postgres() -> App {
    App::open(&jixiao_testkit::postgres_url("race").await)
        .await
        .unwrap()
}

macro_rules! on_both_backends {
    ($($name:ident => $body:ident;)*) => {
        mod sqlite_backend {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
              async fn $name() { super::$body(super::setup(super::sqlite().await).await).await })*
        }
        mod postgres_backend {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
              async fn $name() { super::$body(super::setup(super::postgres().await).await).await })*
        }
    };
}

on_both_backends! {
    simultaneous_actual_values_on_one_indicator_all_succeed => actuals;
    simultaneous_spending_records_with_one_key_all_succeed => spending;
    simultaneous_imports_of_one_new_form_all_succeed => imports;
    simultaneous_creations_of_one_name_are_one_and_conflicts => creations;
    simultaneous_notes_and_comments_all_succeed => notes_and_comments;
}

async fn setup(app: App) -> App {
    app.import(
        &Actor::local_admin(),
        &[Upload::read(&data("seed_2024_shanghai.txt")).unwrap()],
    )
    .await
    .unwrap();
    app
}

async fn first(app: &App) -> Project {
    app.export(&Actor::local_admin())
        .await
        .unwrap()
        .projects
        .remove(0)
}

/// Every answer: Ok, or one of the kinds allowed; never Internal.
fn check<T: std::fmt::Debug>(answers: &[Result<T, AppError>], allowed: &[ErrorKind]) {
    for a in answers {
        if let Err(e) = a {
            assert!(
                allowed.contains(&e.kind()),
                "{:?}: {e} ({:?})",
                e.kind(),
                e.detail()
            );
        }
    }
}

async fn actuals(app: App) {
    let p = first(&app).await;
    let admin = Actor::local_admin();
    let tasks: Vec<_> = (0..N)
        .map(|k| {
            let app = app.clone();
            let input = ActualInput {
                project: p.name.clone(),
                year: Some(p.year),
                indicator: "1.3.1".into(),
                date: "2024-06-30".into(),
                period: None,
                value: format!("{}%", 50 + k),
                note: None,
                evidence: None,
            };
            let admin = admin.clone();
            tokio::spawn(async move { app.record_actual(&admin, &input).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    check(&answers, &[]);
    // One current value (the last written), the other N-1 kept as replaced history.
    let set = app.observations(&admin, &p).await.unwrap();
    let on = |c: &str| set.current.iter().filter(|o| o.indicator == c).count();
    assert_eq!(on("1.3.1"), 1, "{:?}", set.current);
    let history = app.observation_history(&admin, &p).await.unwrap();
    assert_eq!(history.len(), N, "{history:?}");
}

async fn spending(app: App) {
    let p = first(&app).await;
    let admin = Actor::local_admin();
    let tasks: Vec<_> = (0..N)
        .map(|k| {
            let (app, admin, p) = (app.clone(), admin.clone(), p.clone());
            let input = SpendingInput {
                date: "2024-05-31".into(),
                amount: format!("{}.00", 1000 + k),
                voucher: Some("记-0001".into()),
                note: None,
            };
            tokio::spawn(async move { app.record_spending_on(&admin, &p, &input).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    check(&answers, &[]);
    assert_eq!(app.spending(&admin, &p).await.unwrap().len(), 1);
    assert_eq!(app.spending_history(&admin, &p).await.unwrap().len(), N);
}

async fn imports(app: App) {
    let admin = Actor::local_admin();
    let third = std::fs::read_to_string(data("seed_2024_shanghai.txt"))
        .unwrap()
        .replace("上海市减污降碳管理运行技术中心", "上海市第三单位");
    let tasks: Vec<_> = (0..N / 4)
        .map(|_| {
            let (app, admin, third) = (app.clone(), admin.clone(), third.clone());
            tokio::spawn(async move {
                app.import(&admin, &[Upload::new("third.txt", third)])
                    .await
                    .map(|(s, _)| s)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    check(&answers, &[]);
    let added: usize = answers
        .iter()
        .map(|a| a.as_ref().unwrap().added.len())
        .sum();
    assert_eq!(added, 2, "each declaration added once");
    let all = app.list(&admin).await.unwrap();
    assert_eq!(
        all.iter()
            .filter(|s| s.key.unit == "上海市第三单位")
            .count(),
        2
    );
}

async fn creations(app: App) {
    let admin = Actor::local_admin();
    let mut p = first(&app).await;
    p.id = None;
    p.name = "同时新建".into();
    let tasks: Vec<_> = (0..N / 4)
        .map(|_| {
            let (app, admin, p) = (app.clone(), admin.clone(), p.clone());
            tokio::spawn(async move { app.create_declaration(&admin, p).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    // One is created; the others are told it exists (a Conflict), never an internal error.
    check(&answers, &[ErrorKind::Conflict]);
    assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 1);
    let all = app.list(&admin).await.unwrap();
    assert_eq!(all.iter().filter(|s| s.key.name == "同时新建").count(), 1);
}

async fn notes_and_comments(app: App) {
    let admin = Actor::local_admin();
    let p = first(&app).await;
    let id = p.id.unwrap();
    let tasks: Vec<_> = (0..N / 2)
        .map(|k| {
            let (app, admin) = (app.clone(), admin.clone());
            tokio::spawn(async move {
                let notes = jixiao_app::EvaluationNotes {
                    annual_budget: Some(jixiao_model::Decimal::from(100_000 + k as i64)),
                    ..Default::default()
                };
                let set = app.set_notes(&admin, id, &notes).await.map(|_| ());
                let said = app
                    .comment(&admin, id, None, &format!("意见 {k}"))
                    .await
                    .map(|_| ());
                set.and(said)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    check(&answers, &[]);
    // One current budget note; every write kept as history; every comment there.
    let history = app.notes_history(&admin, id).await.unwrap();
    assert_eq!(
        history.iter().filter(|n| n.current).count(),
        1,
        "{history:?}"
    );
    assert_eq!(history.len(), N / 2);
    assert_eq!(app.comments(&admin, id).await.unwrap().len(), N / 2);
}
