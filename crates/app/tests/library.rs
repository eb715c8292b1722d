//! The indicator library and the history across years (issue 20 items 1 and 3), at the level of
//! the use cases, on SQLite and on PostgreSQL: the seed of 2024 approved with its actuals, the
//! 2025 declaration of 交通工具购置及更新 (`tests/data/demo/transport_2025.txt`) as a draft.

use jixiao_app::{Actor, App, AppError, ErrorKind, HistoryMatch, SuggestionSource, Upload};
use jixiao_model::{LibraryScope, Role};
use jixiao_testkit::sqlite_path;

/// A fixture under `tests/data/` (from this crate's own path).
fn data(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

const UNIT: &str = "上海市减污降碳管理运行技术中心";
const DEPT: &str = "上海市生态环境局";
const CARS: &str = "交通工具购置及更新";

fn upload(rel: &str) -> Upload {
    Upload::read(&data(rel)).unwrap()
}

fn finance() -> Actor {
    Actor::new("财政王", Role::Finance, None, None)
}

fn editor() -> Actor {
    Actor::new("张三", Role::Editor, Some(UNIT), Some(DEPT))
}

async fn sqlite() -> App {
    App::open(&sqlite_path("jixiao-app-library")).await.unwrap()
}

async fn postgres() -> App {
    App::open(&jixiao_testkit::postgres_url("lib").await)
        .await
        .unwrap()
}

/// 2024 imported, approved, with actuals; 2025 imported as a draft.
async fn fill(app: &App) -> (i64, i64) {
    let admin = Actor::local_admin();
    let app = app
        .clone()
        .with_review_policy(jixiao_review::Policy::shanghai());
    app.import(&admin, &[upload("seed_2024_shanghai.txt")])
        .await
        .unwrap();
    app.record_actuals(&admin, &upload("actuals/transport_2024.csv"))
        .await
        .unwrap();
    for p in app.list(&admin).await.unwrap() {
        app.submit(&admin, p.id).await.unwrap();
        app.approve(&admin, p.id, None).await.unwrap();
    }
    app.import(&admin, &[upload("demo/transport_2025.txt")])
        .await
        .unwrap();
    let list = app.list(&admin).await.unwrap();
    let id = |year| {
        list.iter()
            .find(|p| p.key.name == CARS && p.key.year == year)
            .map(|p| p.id)
            .unwrap()
    };
    (id(2024), id(2025))
}

async fn library_is_built_searched_edited_and_audited(app: App) {
    fill(&app).await;
    // Only finance (and the administrator) keeps the library.
    let e = app.library_build(&editor()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    let b = app.library_build(&finance()).await.unwrap();
    assert_eq!(b.declarations, 2);
    // The seed repeats some names (预算执行率 twice …): one entry each.
    assert!(b.added > 0 && b.added < b.indicators, "{b:?}");
    assert_eq!(b.linked, b.indicators);
    // Building again changes nothing.
    let again = app.library_build(&finance()).await.unwrap();
    assert_eq!(
        (again.added, again.changed, again.unchanged, again.linked),
        (0, 0, b.added, 0)
    );
    let library = app.library(&editor()).await.unwrap();
    assert_eq!(library.len(), b.added);
    let km = library.iter().find(|e| e.name == "行驶公里数").unwrap();
    assert_eq!(km.scope, LibraryScope::Specific);
    assert_eq!(km.department.as_deref(), Some(DEPT));
    assert_eq!(km.unit.as_deref(), Some("公里"));
    assert_eq!(km.typical_target.as_deref(), Some("≥15000.00(公里)"));
    assert_eq!(km.uses, 1);
    assert_eq!(km.version, 1);
    // The approved 2024 indicator points to its entry.
    let p2024 = app.project(&editor(), CARS, Some(2024)).await.unwrap();
    let links = app.library_links(&editor(), &p2024).await.unwrap();
    let km_2024 = p2024
        .indicators
        .iter()
        .find(|i| i.name == "行驶公里数")
        .unwrap();
    assert!(
        links.contains(&(km_2024.id.unwrap(), km.id.unwrap())),
        "{links:?}"
    );

    // Search: the library first, with the reason.
    let s = app.library_search(&editor(), "公里", 10).await.unwrap();
    assert_eq!(s[0].source, SuggestionSource::Library);
    assert_eq!(s[0].name, "行驶公里数");
    assert!(
        s[0].reason_zh.contains("名称包含所输内容"),
        "{}",
        s[0].reason_zh
    );

    // Finance edits: a new version, audited with before and after; a stale edit is refused.
    let mut edited = km.clone();
    edited.definition = "年度内公务车辆行驶的总里程".into();
    edited.core = true;
    let e = app
        .library_edit(&editor(), km.id.unwrap(), 1, &edited)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let v2 = app
        .library_edit(&finance(), km.id.unwrap(), 1, &edited)
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    let stale = app
        .library_edit(&finance(), km.id.unwrap(), 1, &edited)
        .await
        .unwrap_err();
    assert_eq!(stale.kind(), ErrorKind::Conflict, "{stale}");
    let (now, versions) = app.library_entry(&editor(), km.id.unwrap()).await.unwrap();
    assert!(now.core);
    assert_eq!(versions.len(), 2);
    let audit = app.library_audit(&finance(), km.id.unwrap()).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, vec!["library_build", "library_edit"]);
    assert_eq!(audit[1].actor, "财政王");
    assert!(audit[1]
        .before
        .as_deref()
        .unwrap()
        .contains("\"version\":1"));
    assert!(audit[1]
        .after
        .as_deref()
        .unwrap()
        .contains("年度内公务车辆行驶的总里程"));
    // A rebuild keeps what finance wrote.
    app.library_build(&finance()).await.unwrap();
    let (kept, _) = app.library_entry(&editor(), km.id.unwrap()).await.unwrap();
    assert_eq!(kept.definition, "年度内公务车辆行驶的总里程");

    // Export and import round trip: nothing changes; an edited workbook makes new versions.
    let bytes = app.library_export(&editor()).await.unwrap();
    let w = app
        .library_import(&finance(), &Upload::new("库.xlsx", bytes.clone()))
        .await
        .unwrap();
    assert_eq!((w.added, w.changed), (0, 0));
    let e = app
        .library_import(&editor(), &Upload::new("库.xlsx", bytes))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let bad = app
        .library_import(
            &finance(),
            &Upload::new("坏.xlsx", b"not a workbook".to_vec()),
        )
        .await
        .unwrap_err();
    assert!(matches!(bad, AppError::Invalid(_)), "{bad}");
}

async fn history_matches_years_and_reviews_them(app: App) {
    let (y2024, y2025) = fill(&app).await;
    let app = app.with_review_policy(jixiao_review::Policy::shanghai());
    let h = app.project_history(&editor(), y2025).await.unwrap();
    let years: Vec<(i32, HistoryMatch)> = h.years.iter().map(|y| (y.year, y.matched)).collect();
    assert_eq!(
        years,
        vec![
            (2024, HistoryMatch::UnitAndName),
            (2025, HistoryMatch::Itself)
        ]
    );
    assert!(h.years[0]
        .note_zh
        .as_deref()
        .unwrap()
        .contains("按实施单位"));
    let km = h
        .indicators
        .iter()
        .find(|i| i.name == "行驶公里数")
        .unwrap();
    let got: Vec<(i32, &str, Option<&str>)> = km
        .years
        .iter()
        .map(|y| (y.year, y.target.as_str(), y.actual.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2024, "≥15000.00(公里)", Some("13500公里")),
            (2025, "≥12000.00(公里)", None)
        ]
    );
    let rules: Vec<(&str, &str)> = h
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.indicator.as_deref().unwrap_or("")))
        .collect();
    assert!(
        rules.contains(&("history.target-below-last-actual", "行驶公里数")),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("history.target-below-last-actual", "接送准点率")),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("history.money-up-indicator-down", "行驶公里数")),
        "{rules:?}"
    );
    // Linked by id: the note goes.
    app.link_previous_year(&editor(), y2025, y2024)
        .await
        .unwrap();
    let h = app.project_history(&editor(), y2024).await.unwrap();
    assert_eq!(
        h.years
            .iter()
            .map(|y| (y.year, y.matched))
            .collect::<Vec<_>>(),
        vec![(2024, HistoryMatch::Itself), (2025, HistoryMatch::Linked)]
    );
    assert!(h.findings.is_empty());
    // A year after is not a year before.
    let e = app
        .link_previous_year(&editor(), y2024, y2025)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    // Another unit's editor does not see it.
    let other = Actor::new("李四", Role::Editor, Some("乙单位"), None);
    let e = app.project_history(&other, y2025).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

/// An indicator saved with a library entry chosen in the editor (`Indicator::library`) is
/// linked to it in the save's transaction, with its audit row; the link is read back with the
/// declaration; saving the same content again keeps it; an entry that does not exist refuses
/// the save and nothing is written.
async fn editor_links_saved_indicators(app: App) {
    let (_, y2025) = fill(&app).await;
    app.library_build(&finance()).await.unwrap();
    let entry = app
        .library(&editor())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == "行驶公里数")
        .unwrap();
    let entry_id = entry.id.unwrap();
    let v = app.project_view(&editor(), y2025).await.unwrap();
    assert!(v.project.indicators.iter().all(|i| i.library.is_none()));
    let mut p = v.project.clone();
    let k = p
        .indicators
        .iter()
        .position(|i| i.name == "行驶公里数")
        .unwrap();
    // An unknown entry refuses the save.
    p.indicators[k].library = Some(entry_id + 999);
    let e = app
        .save_declaration(&editor(), y2025, v.version, p.clone())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    assert!(e.to_string().contains("指标库中没有编号为"), "{e}");
    // Content unchanged, link chosen: no new version, the link and its audit row written.
    p.indicators[k].library = Some(entry_id);
    let s = app
        .save_declaration(&editor(), y2025, v.version, p.clone())
        .await
        .unwrap();
    assert_eq!(s.version, v.version, "a link is not a new version");
    let back = app.project_by_id(&editor(), y2025).await.unwrap();
    assert_eq!(back.indicators[k].library, Some(entry_id));
    assert!(back
        .indicators
        .iter()
        .enumerate()
        .all(|(j, i)| j == k || i.library.is_none()));
    let audit = app.audit(&editor(), &back).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "library_link" && a.actor == "张三"),
        "{audit:#?}"
    );
    // A changed target (a new version) keeps the link on the same indicator.
    let mut p = back.clone();
    p.indicators[k].raw = "≥13000(公里)".into();
    p.indicators[k].target = jixiao_model::Target::parse("≥13000(公里)").unwrap();
    let s = app
        .save_declaration(&editor(), y2025, s.version, p)
        .await
        .unwrap();
    assert_eq!(s.version, v.version + 1);
    let back = app.project_by_id(&editor(), y2025).await.unwrap();
    assert_eq!(back.indicators[k].library, Some(entry_id));
}

#[tokio::test]
async fn sqlite_editor_links() {
    editor_links_saved_indicators(sqlite().await).await;
}

#[tokio::test]
async fn postgres_editor_links() {
    editor_links_saved_indicators(postgres().await).await;
}

#[tokio::test]
async fn sqlite_library() {
    library_is_built_searched_edited_and_audited(sqlite().await).await;
}

#[tokio::test]
async fn postgres_library() {
    library_is_built_searched_edited_and_audited(postgres().await).await;
}

#[tokio::test]
async fn sqlite_history() {
    history_matches_years_and_reviews_them(sqlite().await).await;
}

#[tokio::test]
async fn postgres_history() {
    history_matches_years_and_reviews_them(postgres().await).await;
}
