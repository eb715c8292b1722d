//! 年初 / 调整 on the tables (issue 20 item 4) and cost per output (item 9), at the level of the
//! use cases, on SQLite and on PostgreSQL: the seed approved, 交通工具购置及更新 adjusted (a new
//! 行驶公里数 target and new funds) and approved again; its 自评表 and 监控表 show 年初 beside
//! 调整, while the other declaration (approved once) keeps the one-column layout.

use jixiao_app::{
    Actor, App, FundsBasis, InitialTarget, ReportKind, ReportSelection, ReportView, Upload,
};
use jixiao_model::{Decimal, NaiveDate, Target};
use jixiao_testkit::sqlite_path;

fn data(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

const CARS: &str = "交通工具购置及更新";

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

async fn sqlite() -> App {
    App::open(&sqlite_path("jixiao-app-adjust")).await.unwrap()
}

async fn postgres() -> App {
    App::open(&jixiao_testkit::postgres_url("adjust").await)
        .await
        .unwrap()
}

async fn adjusted_declaration_shows_both(app: App) {
    let admin = Actor::local_admin();
    let app = app.with_review_policy(jixiao_review::Policy::shanghai());
    app.import(
        &admin,
        &[Upload::read(&data("seed_2024_shanghai.txt")).unwrap()],
    )
    .await
    .unwrap();
    app.record_actuals(
        &admin,
        &Upload::read(&data("actuals/transport_2024.csv")).unwrap(),
    )
    .await
    .unwrap();
    let list = app.list(&admin).await.unwrap();
    for p in &list {
        app.submit(&admin, p.id).await.unwrap();
        app.approve(&admin, p.id, None).await.unwrap();
    }
    let cars = list.iter().find(|p| p.key.name == CARS).unwrap().id;
    let other = list.iter().find(|p| p.key.name != CARS).unwrap().id;

    // Approved once: no adjustment, the one-column layout.
    let p = app.project_by_id(&admin, cars).await.unwrap();
    let e = app.evaluate(&admin, &p).await.unwrap();
    assert_eq!(e.adjustment, None);
    assert!(e.indicators.iter().all(|i| i.initial.is_none()));

    // 调整: a new target for 行驶公里数 and new funds.
    let mut changed = p.clone();
    changed.funds.total = d("400000.00");
    changed.funds.fiscal = d("400000.00");
    let km = changed
        .indicators
        .iter_mut()
        .find(|i| i.name == "行驶公里数")
        .unwrap();
    km.raw = "≥18000.00(公里)".into();
    km.target = Target::parse("≥18000.00(公里)").unwrap();
    let base = app.workflow(&admin, cars).await.unwrap().current_version;
    app.adjust(
        &admin,
        cars,
        base,
        changed,
        "新增一辆车，里程与经费同步上调",
    )
    .await
    .unwrap();
    // Waiting for approval: the tables show the version as it is, without 年初 columns.
    let pending = app.project_by_id(&admin, cars).await.unwrap();
    let e = app.evaluate(&admin, &pending).await.unwrap();
    assert_eq!(e.adjustment, None);

    app.approve(&admin, cars, Some("同意调整")).await.unwrap();
    let now = app.project_by_id(&admin, cars).await.unwrap();
    let e = app.evaluate(&admin, &now).await.unwrap();
    let a = e
        .adjustment
        .as_ref()
        .expect("the 自评表 shows the adjustment");
    assert_eq!(
        (a.initial_budget, a.adjusted_budget),
        (d("360000"), d("400000"))
    );
    assert!(a.removed.is_empty());
    // 年初预算数 / 全年（调整）预算数 / 全年执行数.
    assert_eq!(e.budget.initial, d("360000"));
    assert_eq!(e.budget.annual, d("400000"));
    let row = e
        .indicators
        .iter()
        .find(|i| i.name == "行驶公里数")
        .unwrap();
    assert_eq!(row.target, "≥18000.00(公里)");
    assert_eq!(
        row.initial,
        Some(InitialTarget::Changed {
            target: "≥15000.00(公里)".into()
        })
    );
    // The actual value stayed on its indicator.
    assert!(row.actual.is_some());
    for i in e.indicators.iter().filter(|i| i.name != "行驶公里数") {
        assert_eq!(i.initial, Some(InitialTarget::Unchanged), "{}", i.name);
    }
    // The 监控表 likewise.
    let m = app
        .monitor(&admin, &now, NaiveDate::from_ymd_opt(2024, 7, 31).unwrap())
        .await
        .unwrap();
    let ma = m
        .adjustment
        .as_ref()
        .expect("the 监控表 shows the adjustment");
    assert_eq!(ma.initial_budget, d("360000"));
    assert_eq!(m.budget.budget, d("400000"));
    assert!(m
        .indicators
        .iter()
        .any(|i| i.initial.as_ref().is_some_and(InitialTarget::is_changed)));
    // The report view (what the XLSX and the PDF write) carries it.
    let sel = ReportSelection {
        project: Some(CARS.into()),
        ..ReportSelection::year(2024)
    };
    let ReportView::SelfEvaluation(tables) = app
        .report_view(&admin, ReportKind::SelfEvaluation, &sel)
        .await
        .unwrap()
    else {
        panic!("not a 自评表")
    };
    assert_eq!(tables[0].adjustment, e.adjustment);

    // The other declaration, approved once, is unchanged.
    let o = app.project_by_id(&admin, other).await.unwrap();
    assert_eq!(app.evaluate(&admin, &o).await.unwrap().adjustment, None);
}

async fn cost_per_output_of_the_seed(app: App) {
    let admin = Actor::local_admin();
    app.import(
        &admin,
        &[Upload::read(&data("seed_2024_shanghai.txt")).unwrap()],
    )
    .await
    .unwrap();
    let c = app
        .cost_per_output(&admin, &ReportSelection::year(2024))
        .await
        .unwrap();
    // 交通工具购置及更新 has no sub-tasks: 360,000.00 元 ÷ 15,000 公里.
    let km = c
        .items
        .iter()
        .find(|i| i.indicator == "行驶公里数")
        .unwrap();
    assert_eq!((km.cost, km.per()), (d("24.00"), "元/公里".to_string()));
    assert_eq!(km.basis, FundsBasis::Whole);
    // 减污降碳工作专项经费 allocates nothing to its 11 sub-tasks: 9,028,372.00 shared in whole
    // 分, the first taking the odd 分.
    let report = c.items.iter().find(|i| i.tasks == [1]).unwrap();
    assert_eq!(report.funds, d("820761.10"));
    assert_eq!(
        report.basis,
        FundsBasis::Shared {
            rest: d("9028372.00"),
            over: 11
        }
    );
    assert_eq!(report.cost, d("820761.10"));
    // One unit: nothing to compare.
    assert!(c.comparisons.is_empty());
    // Another unit's editor sees none of it.
    let stranger = Actor::new("李四", jixiao_model::Role::Editor, Some("乙单位"), None);
    let e = app
        .cost_per_output(&stranger, &ReportSelection::year(2024))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), jixiao_app::ErrorKind::NotFound);
}

#[tokio::test]
async fn sqlite_adjusted_tables() {
    adjusted_declaration_shows_both(sqlite().await).await;
}

#[tokio::test]
async fn postgres_adjusted_tables() {
    adjusted_declaration_shows_both(postgres().await).await;
}

#[tokio::test]
async fn sqlite_cost_per_output() {
    cost_per_output_of_the_seed(sqlite().await).await;
}

#[tokio::test]
async fn postgres_cost_per_output() {
    cost_per_output_of_the_seed(postgres().await).await;
}
