//! Who may do what, at the level of the use cases: a real SQLite database per test, the seed
//! form as unit A (上海市减污降碳管理运行技术中心, under 上海市生态环境局) and a copy of it as unit B
//! (under another department).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use jixiao_app::{Actor, ActualInput, App, AppError, ErrorKind, Upload};
use jixiao_model::{NaiveDate, Role};

static COUNTER: AtomicU32 = AtomicU32::new(0);

const A: &str = "上海市减污降碳管理运行技术中心";
const DEPT_A: &str = "上海市生态环境局";
const B: &str = "乙单位";
const DEPT_B: &str = "上海市交通委员会";
/// The same name in A and in B.
const SHARED: &str = "交通工具购置及更新";
/// A project of B only.
const B_ONLY: &str = "乙单位专项经费";

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

fn upload(rel: &str) -> Upload {
    Upload::read(&data(rel)).unwrap()
}

/// The seed as unit B: both projects moved to B, the second one renamed.
fn form_of_b() -> Upload {
    let mut form = jixiao_app::parse_file(&data("seed_2024_shanghai.txt"))
        .unwrap()
        .form;
    for p in &mut form.projects {
        p.unit = B.into();
        p.department = Some(DEPT_B.into());
        if p.name != SHARED {
            p.name = B_ONLY.into();
        }
    }
    Upload::new("b.json", jixiao_form::json::to_string(&form))
}

/// A fresh database with A's and B's projects, imported by the administrator.
async fn setup() -> App {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("jixiao-app-roles-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let app = App::open(&dir.join("jixiao.db").display().to_string())
        .await
        .unwrap();
    app.import(
        &Actor::local_admin(),
        &[upload("seed_2024_shanghai.txt"), form_of_b()],
    )
    .await
    .unwrap();
    app
}

fn editor_of_a() -> Actor {
    Actor::new("张三", Role::Editor, Some(A), Some(DEPT_A))
}

fn date(s: &str) -> NaiveDate {
    jixiao_model::parse_date(s).unwrap()
}

fn one_value(project: &str) -> ActualInput {
    ActualInput {
        project: project.into(),
        year: Some(2024),
        indicator: "1.3.1".into(),
        date: "2024-06-30".into(),
        period: None,
        value: "97%".into(),
        note: None,
        evidence: None,
    }
}

/// How many observations each unit's copy of a project has, as the administrator sees them.
async fn observations_of(app: &App, project: &str, unit: &str) -> usize {
    let admin = Actor::local_admin();
    let p = app
        .projects(&admin, None, Some(2024))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == project && p.unit == unit)
        .unwrap();
    app.observations(&admin, &p).await.unwrap().current.len()
}

fn kind<T: std::fmt::Debug>(r: Result<T, AppError>) -> ErrorKind {
    r.unwrap_err().kind()
}

#[tokio::test]
async fn a_viewer_cannot_record_actuals() {
    let app = setup().await;
    let viewer = Actor::new("李四", Role::Viewer, Some(A), None);
    // It reads its own unit …
    let p = app.project(&viewer, SHARED, None).await.unwrap();
    assert_eq!(p.unit, A);
    // … and records nothing, by hand or by file.
    let e = app
        .record_actual(&viewer, &one_value(SHARED))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert!(
        e.to_string().contains("只读") && e.to_string().contains("viewer"),
        "{e}"
    );
    let csv = upload("actuals/transport_2024.csv");
    assert_eq!(
        kind(app.record_actuals(&viewer, &csv).await),
        ErrorKind::Forbidden
    );
    let spending = upload("actuals/transport_2024_spending.csv");
    assert_eq!(
        kind(app.record_spending(&viewer, &spending).await),
        ErrorKind::Forbidden
    );
    assert_eq!(
        kind(
            app.import(&viewer, &[upload("seed_2024_shanghai.txt")])
                .await
        ),
        ErrorKind::Forbidden
    );
    assert_eq!(observations_of(&app, SHARED, A).await, 0);
}

#[tokio::test]
async fn an_editor_of_a_can_neither_see_nor_change_b() {
    let app = setup().await;
    let editor = editor_of_a();
    let admin = Actor::local_admin();
    let before = app.export(&admin).await.unwrap();

    // B does not exist for it: not in the list, not found by name (the same answer as for a
    // name nobody has), and a shared name is not ambiguous.
    let list = app.list(&editor).await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|s| s.key.unit == A));
    assert_eq!(app.list(&admin).await.unwrap().len(), 4);
    let hidden = app.project(&editor, B_ONLY, None).await.unwrap_err();
    assert_eq!(hidden.kind(), ErrorKind::NotFound);
    let absent = app.project(&editor, "无此项目", None).await.unwrap_err();
    assert_eq!(
        hidden.to_string().replace(B_ONLY, "X"),
        absent.to_string().replace("无此项目", "X")
    );
    assert_eq!(app.project(&editor, SHARED, None).await.unwrap().unit, A);
    assert!(matches!(
        app.project(&admin, SHARED, None).await,
        Err(AppError::Ambiguous { ref candidates, .. }) if candidates.len() == 2
    ));
    assert!(app
        .export(&editor)
        .await
        .unwrap()
        .projects
        .iter()
        .all(|p| p.unit == A));

    // It cannot change B: by hand (not found), by file (an unknown project at its line), by
    // importing a form of B (forbidden).
    assert_eq!(
        kind(app.record_actual(&editor, &one_value(B_ONLY)).await),
        ErrorKind::NotFound
    );
    let rows = Upload::new(
        "b.csv",
        format!("project,date,amount\n{B_ONLY},2024-05-01,100.00\n"),
    );
    let e = app.record_spending(&editor, &rows).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("b.csv: 第 2 行"), "{e}");
    let e = app.import(&editor, &[form_of_b()]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert!(e.to_string().contains(B), "{e}");
    assert_eq!(app.export(&admin).await.unwrap(), before);
    assert_eq!(observations_of(&app, B_ONLY, B).await, 0);

    // Its own value of the shared name goes to A, not B.
    app.record_actual(&editor, &one_value(SHARED))
        .await
        .unwrap();
    assert_eq!(observations_of(&app, SHARED, A).await, 1);
    assert_eq!(observations_of(&app, SHARED, B).await, 0);
}

#[tokio::test]
async fn an_editor_of_a_records_actuals_and_spending_of_a() {
    let app = setup().await;
    let editor = editor_of_a();
    let n = app
        .record_actuals(&editor, &upload("actuals/transport_2024.csv"))
        .await
        .unwrap();
    assert!(n.added > 5 && n.replaced == 0, "{n:?}");
    app.record_spending(&editor, &upload("actuals/transport_2024_spending.csv"))
        .await
        .unwrap();
    assert_eq!(observations_of(&app, SHARED, A).await, n.added);
    // The self-evaluation of A is the CLI's golden one.
    let evals = app.evaluate_all(&editor, Some(SHARED), 2024).await.unwrap();
    assert_eq!(evals.len(), 1);
    let json: serde_json::Value =
        serde_json::from_str(&jixiao_evaluate::evaluation_json(&evals[0]).unwrap()).unwrap();
    assert_eq!(json["total"], "93.69");
    // It may re-import its own unit's form.
    app.import(&editor, &[upload("seed_2024_shanghai.txt")])
        .await
        .unwrap();
}

#[tokio::test]
async fn reviewers_see_their_department_and_finance_sees_all_but_neither_writes() {
    let app = setup().await;
    let reviewer = Actor::new("王五", Role::Reviewer, None, Some(DEPT_A));
    let units: Vec<String> = app
        .list(&reviewer)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.key.unit)
        .collect();
    assert_eq!(units, [A, A]);
    assert_eq!(
        kind(app.project(&reviewer, B_ONLY, None).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(app.record_actual(&reviewer, &one_value(SHARED)).await),
        ErrorKind::Forbidden
    );
    let finance = Actor::new("赵六", Role::Finance, None, None);
    assert_eq!(app.list(&finance).await.unwrap().len(), 4);
    // Finance monitors every unit's declarations: the four projects, each as of the date asked.
    let tables = app
        .monitor_all(&finance, None, Some(2024), date("2024-07-31"))
        .await
        .unwrap();
    let mut seen: Vec<(&str, &str)> = tables
        .iter()
        .map(|m| (m.unit.as_str(), m.project.as_str()))
        .collect();
    seen.sort();
    let mut want = [
        (A, SHARED),
        (A, "减污降碳工作专项经费"),
        (B, SHARED),
        (B, B_ONLY),
    ];
    want.sort();
    assert_eq!(seen, want);
    assert!(
        tables.iter().all(|m| m.as_of == date("2024-07-31")),
        "{:?}",
        tables.iter().map(|m| m.as_of).collect::<Vec<_>>()
    );
    assert_eq!(
        kind(
            app.record_spending(&finance, &upload("actuals/transport_2024_spending.csv"))
                .await
        ),
        ErrorKind::Forbidden
    );
    assert_eq!(observations_of(&app, SHARED, A).await, 0);
}

#[tokio::test]
async fn a_period_must_be_the_one_the_date_reports_on() {
    let app = setup().await;
    let admin = Actor::local_admin();
    // A rate (1.3.1 接送准点率) is read as of its day: a quarter that does not hold the day
    // cannot mean that day, and is refused saying so.
    let mut input = one_value(SHARED);
    input.period = Some("2024Q1".parse().unwrap());
    let e = app.record_actual(&editor_of_a(), &input).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(
        e.to_string().contains("2024Q1")
            && e.to_string().contains("2024-06-30")
            && e.to_string().contains("不在期间"),
        "{e}"
    );
    input.period = Some("2024-06-30".parse().unwrap());
    assert_eq!(
        app.record_actual(&editor_of_a(), &input)
            .await
            .unwrap()
            .added,
        1
    );
    // A monthly deadline (1.3.2 月度信息化存证审核按期完成) reports on the month of the date.
    let monthly = |period: &str| ActualInput {
        project: "减污降碳工作专项经费".into(),
        year: Some(2024),
        indicator: "1.3.2".into(),
        date: "2024年6月30日".into(),
        period: Some(period.into()),
        value: "2024-07-20".into(),
        note: None,
        evidence: None,
    };
    assert_eq!(
        kind(app.record_actual(&admin, &monthly("2024Q2")).await),
        ErrorKind::Invalid
    );
    assert_eq!(
        kind(app.record_actual(&admin, &monthly("2024-05")).await),
        ErrorKind::Invalid
    );
    assert_eq!(
        app.record_actual(&admin, &monthly("2024年6月"))
            .await
            .unwrap()
            .added,
        1
    );
}

/// A cumulative ≥ indicator (1.1.1 行驶公里数 ≥15000公里) reported quarterly or monthly, as a
/// clerk writes it: `2024Q2` or `2024-06` with the day 2024-06-30 records the value as of that
/// day, and the monitoring reads it.
#[tokio::test]
async fn a_cumulative_indicator_takes_the_quarter_or_month_a_clerk_writes() {
    let app = setup().await;
    let km = |period: &str, value: &str| ActualInput {
        project: SHARED.into(),
        year: Some(2024),
        indicator: "1.1.1".into(),
        date: "2024-06-30".into(),
        period: Some(period.into()),
        value: value.into(),
        note: None,
        evidence: None,
    };
    let s = app
        .record_actual(&editor_of_a(), &km("2024Q2", "8000公里"))
        .await
        .unwrap();
    assert_eq!(s.added, 1);
    // The month of the same day names the same value: a correction of it.
    let s = app
        .record_actual(&editor_of_a(), &km("2024-06", "8100公里"))
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced), (0, 1));
    let m = app
        .monitor_all(&editor_of_a(), Some(SHARED), Some(2024), date("2024-06-30"))
        .await
        .unwrap();
    let row = m
        .iter()
        .find(|m| m.unit == A)
        .and_then(|m| m.indicators.iter().find(|i| i.code == "1.1.1"))
        .unwrap();
    let read = serde_json::to_value(&row.value).unwrap().to_string();
    assert!(read.contains("8100"), "{read}");
    // A day outside the period written cannot be the value as of its end.
    let e = app
        .record_actual(&editor_of_a(), &km("2024Q3", "9000公里"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("不在期间"), "{e}");
}

/// Accounts: only an administrator adds users; a login checks the argon2id hash and answers a
/// wrong password and an unknown user alike; a session lives until it is ended.
#[tokio::test]
async fn accounts_log_in_and_sessions_end() {
    use jixiao_app::{ErrorKind, NewAccount};
    let app = setup().await;
    let account = NewAccount {
        username: "zhangsan".into(),
        role: Role::Editor,
        unit: Some(A.into()),
        department: Some(DEPT_A.into()),
    };
    let refused = app
        .add_user(&editor_of_a(), &account, "password-1")
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    let short = app
        .add_user(&Actor::local_admin(), &account, "short")
        .await
        .unwrap_err();
    assert_eq!(short.kind(), ErrorKind::Invalid);
    assert!(!app.has_users().await.unwrap());
    let added = app
        .add_user(&Actor::local_admin(), &account, "password-1")
        .await
        .unwrap();
    assert_eq!(
        added,
        Actor::new("zhangsan", Role::Editor, Some(A), Some(DEPT_A))
    );
    let again = app
        .add_user(&Actor::local_admin(), &account, "password-2")
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict);

    let actor = app.login("zhangsan", "password-1").await.unwrap();
    assert_eq!(actor, added);
    let wrong = app.login("zhangsan", "password-2").await.unwrap_err();
    let unknown = app.login("lisi", "password-1").await.unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Unauthenticated);
    assert_eq!(wrong.to_string(), unknown.to_string());

    let new = app.start_session(&actor).await.unwrap();
    let s = app.session(&new.token).await.unwrap().unwrap();
    assert_eq!(s.actor, added);
    assert_eq!(s.csrf_token, new.session.csrf_token);
    assert_ne!(s.csrf_token, new.token);
    assert!(app.session("not-a-token").await.unwrap().is_none());
    app.end_session(&new.token).await.unwrap();
    assert!(app.session(&new.token).await.unwrap().is_none());
}

/// A declaration by id: another unit's is NotFound, exactly like one that does not exist.
#[tokio::test]
async fn a_project_by_id_of_another_unit_is_not_found() {
    let app = setup().await;
    let all = app.list(&Actor::local_admin()).await.unwrap();
    let b = all.iter().find(|s| s.key.unit != A).unwrap();
    let a = all.iter().find(|s| s.key.unit == A).unwrap();
    let editor = editor_of_a();
    assert_eq!(app.project_by_id(&editor, a.id).await.unwrap().unit, A);
    let other = app.project_by_id(&editor, b.id).await.unwrap_err();
    let missing = app.project_by_id(&editor, 999_999).await.unwrap_err();
    assert_eq!(other.kind(), jixiao_app::ErrorKind::NotFound);
    assert_eq!(missing.kind(), jixiao_app::ErrorKind::NotFound);
    assert!(!other.to_string().contains(&b.key.name), "{other}");
}

#[tokio::test]
async fn a_self_evaluation_is_imported_only_whole_and_only_by_its_unit() {
    let app = setup().await;
    let table = upload("self_eval/national_2023.csv");
    // Not through the declaration import: that would bring the declaration without its actuals.
    assert_eq!(
        kind(
            app.import(&Actor::local_admin(), std::slice::from_ref(&table))
                .await
        ),
        ErrorKind::Invalid
    );
    // An editor of another unit may not write it; nothing is imported.
    assert_eq!(
        kind(app.import_self_evaluations(&editor_of_a(), &table).await),
        ErrorKind::Forbidden
    );
    let admin = Actor::local_admin();
    assert_eq!(
        kind(app.project(&admin, "城市绿道养护管理", Some(2023)).await),
        ErrorKind::NotFound
    );
    // The administrator imports it: the declaration, 5 values, the execution total.
    let [r] = &app.import_self_evaluations(&admin, &table).await.unwrap()[..] else {
        panic!("one table")
    };
    assert_eq!((r.actuals.added, r.spending.added), (5, 1));
    assert_eq!(
        (r.comparison.total.0, r.comparison.total.1.to_string()),
        (Some("99.17".parse().unwrap()), "97.97".to_string())
    );
    let p = app
        .project(&admin, "城市绿道养护管理", Some(2023))
        .await
        .unwrap();
    assert_eq!(app.observations(&admin, &p).await.unwrap().current.len(), 5);
}

/// Audit rows name an indicator as it is now (issue 17, item 6): a value recorded for 1.1.1
/// 行驶公里数, then an indicator inserted before it (购置车辆数 is now 1.1.1) and another
/// removed: the rows read 1.1.2 行驶公里数 and 接送准点率（已删除）, never the old code.
#[tokio::test]
async fn audit_rows_name_indicators_by_current_code_and_name() {
    let app = setup().await;
    let admin = Actor::local_admin();
    let mut km = one_value(SHARED);
    km.indicator = "1.1.1".into();
    km.value = "13500公里".into();
    app.record_actual(&editor_of_a(), &km).await.unwrap();
    app.record_actual(&editor_of_a(), &one_value(SHARED))
        .await
        .unwrap();
    let mut later = one_value(SHARED);
    later.date = "2024-07-31".into();
    app.record_actual(&editor_of_a(), &later).await.unwrap();
    let before = app
        .projects(&editor_of_a(), Some(SHARED), Some(2024))
        .await
        .unwrap();
    app.retract_actual(
        &editor_of_a(),
        &before[0],
        "1.3.1",
        "2024-07-31".parse().unwrap(),
        "录入错误",
    )
    .await
    .unwrap();
    let mut form = jixiao_app::parse_file(&data("seed_2024_shanghai.txt"))
        .unwrap()
        .form;
    form.projects.retain(|p| p.name == SHARED);
    let p = &mut form.projects[0];
    let at = p.indicators.iter().position(|i| i.code == "1.1.1").unwrap();
    let mut cars = p.indicators[at].clone();
    cars.name = "购置车辆数".into();
    p.indicators.insert(at, cars);
    p.indicators.retain(|i| i.name != "接送准点率");
    app.import(
        &admin,
        &[Upload::new(
            "inserted.json",
            jixiao_form::json::to_string(&form),
        )],
    )
    .await
    .unwrap();
    let p = app
        .projects(&editor_of_a(), Some(SHARED), Some(2024))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.unit == A)
        .unwrap();
    assert_eq!(
        p.indicator("1.1.1").map(|i| i.name.as_str()),
        Some("购置车辆数")
    );
    let summaries: Vec<String> = app
        .audit(&admin, &p)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "actual_value")
        .map(|e| e.summary)
        .collect();
    assert_eq!(
        summaries,
        [
            "录入实际完成值：指标 1.1.2 行驶公里数 2024年6月30日",
            "录入实际完成值：指标 接送准点率（已删除） 2024年6月30日",
            "录入实际完成值：指标 接送准点率（已删除） 2024年7月31日",
            "撤回实际完成值（指标 接送准点率（已删除），2024年7月31日）：录入错误",
        ],
    );
}
