//! The report use cases on a real SQLite database: unit A's seed and a copy of it as unit B
//! (under another department); who sees which rows of the 汇总表, and which reports exist.

use std::path::{Path, PathBuf};

use jixiao_app::{Actor, App, ErrorKind, ReportFormat, ReportKind, ReportSelection, Upload};
use jixiao_model::{Lang, NaiveDate, Role, Status};

const A: &str = "上海市减污降碳管理运行技术中心";
const DEPT_A: &str = "上海市生态环境局";
const B: &str = "乙单位";
const DEPT_B: &str = "上海市交通委员会";

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

/// A fresh database with A's seed and B's copy, imported by the administrator.
async fn setup(name: &str) -> App {
    let dir = std::env::temp_dir().join(format!("jixiao-app-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let app = App::open(&dir.join("jixiao.db").display().to_string())
        .await
        .unwrap();
    let mut b = jixiao_app::parse_file(&data("seed_2024_shanghai.txt"))
        .unwrap()
        .form;
    for p in &mut b.projects {
        p.unit = B.into();
        p.department = Some(DEPT_B.into());
    }
    app.import(
        &Actor::local_admin(),
        &[
            Upload::read(&data("seed_2024_shanghai.txt")).unwrap(),
            Upload::new("b.json", jixiao_form::json::to_string(&b)),
        ],
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn the_summary_has_the_rows_the_actor_may_read() {
    let app = setup("rows").await;
    let mut sel = ReportSelection::year(2024);
    sel.as_of = NaiveDate::from_ymd_opt(2024, 7, 31);

    let all = app.unit_summary(&Actor::local_admin(), &sel).await.unwrap();
    assert_eq!(all.rows.len(), 4);
    assert_eq!(all.scope, "全部");
    assert!(all
        .rows
        .iter()
        .all(|r| r.status == Status::Draft && r.light.is_some()));

    // A viewer of unit A sees A's two rows; B's do not exist for it.
    let viewer = Actor::new("李四", Role::Viewer, Some(A), None);
    let mine = app.unit_summary(&viewer, &sel).await.unwrap();
    assert_eq!(mine.rows.len(), 2);
    assert!(mine.rows.iter().all(|r| r.unit == A));
    assert_eq!(mine.scope, A);
    let mut other = sel.clone();
    other.unit = Some(B.into());
    let e = app.unit_summary(&viewer, &other).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // A department narrows to its units.
    let mut dept = sel.clone();
    dept.department = Some(DEPT_B.into());
    let b = app
        .unit_summary(&Actor::local_admin(), &dept)
        .await
        .unwrap();
    assert_eq!(b.rows.len(), 2);
    assert!(b.rows.iter().all(|r| r.unit == B));
    assert_eq!(b.scope, DEPT_B);
    let reviewer = Actor::new("王五", Role::Reviewer, None, Some(DEPT_A));
    let e = app.unit_summary(&reviewer, &dept).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // Without a date: no lights.
    let no_date = app
        .unit_summary(&Actor::local_admin(), &ReportSelection::year(2024))
        .await
        .unwrap();
    assert!(no_date.rows.iter().all(|r| r.light.is_none()));
}

#[tokio::test]
async fn reports_are_files_or_clear_refusals() {
    let app = setup("files").await;
    let admin = Actor::local_admin();
    let mut sel = ReportSelection::year(2024);
    sel.unit = Some(A.into());
    for kind in [
        ReportKind::Declaration,
        ReportKind::SelfEvaluation,
        ReportKind::Summary,
    ] {
        let bytes = app
            .report(&admin, kind, &sel, ReportFormat::Xlsx, Lang::Zh)
            .await
            .unwrap();
        assert!(bytes.starts_with(b"PK"), "{kind:?}");
    }
    let e = app
        .report(
            &admin,
            ReportKind::Monitoring,
            &sel,
            ReportFormat::Xlsx,
            Lang::Zh,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("--as-of"), "{e}");
    let e = app
        .report(
            &admin,
            ReportKind::Summary,
            &sel,
            ReportFormat::Pdf,
            Lang::Zh,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("PDF"), "{e}");
    let html = app
        .report(
            &admin,
            ReportKind::Summary,
            &sel,
            ReportFormat::Html,
            Lang::Zh,
        )
        .await
        .unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains(A) && !html.contains(B));
    // The declarations of unit A read back as the seed's two projects.
    let bytes = app
        .report(
            &admin,
            ReportKind::Declaration,
            &sel,
            ReportFormat::Xlsx,
            Lang::Zh,
        )
        .await
        .unwrap();
    let back = jixiao_form::read_form("a.xlsx", &bytes).unwrap().form;
    assert_eq!(back.projects.len(), 2);
    assert!(back.projects.iter().all(|p| p.unit == A));
}
