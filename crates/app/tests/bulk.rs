//! Bulk entry (issue 19 item 8): one upload told by its content; a preview makes every write of
//! the commit and rolls it back, so it stores nothing and answers, row by row, what the commit
//! then does — and refuses what the commit refuses — on SQLite and on PostgreSQL.

use std::path::Path;

use jixiao_app::{Actor, App, AppError, BulkImport, Upload, UploadKind, WriteOutcome};
use jixiao_testkit::unique;
use sqlx::{AnyConnection, Connection, Row};

fn upload(rel: &str) -> Upload {
    Upload::read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data")
            .join(rel),
    )
    .unwrap()
}

async fn sqlite() -> (App, String, bool) {
    let dir = std::env::temp_dir().join(unique("jixiao-bulk"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jixiao.db").display().to_string();
    let app = App::open(&path).await.unwrap();
    (app, format!("sqlite://{path}"), false)
}

async fn postgres() -> (App, String, bool) {
    let url = jixiao_testkit::postgres_url("s").await;
    (App::open(&url).await.unwrap(), url, true)
}

/// Every table's row count, by table name.
async fn snapshot(conn: &mut AnyConnection, postgres: bool) -> Vec<(String, i64)> {
    let list = if postgres {
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let tables: Vec<String> = sqlx::query(list)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(tables.iter().any(|t| t == "audit"), "{tables:?}");
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        out.push((t, n));
    }
    out
}

/// The preview, then the commit: the preview stored nothing and said what the commit did.
async fn preview_then_commit(
    app: &App,
    conn: &mut AnyConnection,
    postgres: bool,
    file: &Upload,
) -> BulkImport {
    let admin = Actor::local_admin();
    let before = snapshot(conn, postgres).await;
    let preview = app
        .bulk_import(&admin, file, false)
        .await
        .unwrap()
        .expect("not a declaration");
    assert!(!preview.committed);
    assert_eq!(
        snapshot(conn, postgres).await,
        before,
        "{}: the preview stored rows",
        file.name
    );
    let done = app
        .bulk_import(&admin, file, true)
        .await
        .unwrap()
        .expect("not a declaration");
    assert!(done.committed);
    assert_eq!(
        done.rows, preview.rows,
        "{}: the commit did not what the preview said",
        file.name
    );
    assert_ne!(
        snapshot(conn, postgres).await,
        before,
        "{}: the commit stored nothing",
        file.name
    );
    done
}

async fn refused(app: &App, conn: &mut AnyConnection, postgres: bool, file: &Upload) -> AppError {
    refused_for(&Actor::local_admin(), app, conn, postgres, file).await
}

/// `refused` for `admin`, any actor: the preview and the commit refuse alike and store nothing.
async fn refused_for(
    admin: &Actor,
    app: &App,
    conn: &mut AnyConnection,
    postgres: bool,
    file: &Upload,
) -> AppError {
    let before = snapshot(conn, postgres).await;
    let a = app.bulk_import(admin, file, false).await.unwrap_err();
    let b = app.bulk_import(admin, file, true).await.unwrap_err();
    assert_eq!(
        a.to_string(),
        b.to_string(),
        "the preview refuses what the commit refuses"
    );
    assert_eq!(
        snapshot(conn, postgres).await,
        before,
        "a refusal stored rows"
    );
    a
}

async fn bulk((app, url, postgres): (App, String, bool)) {
    let admin = Actor::local_admin();
    app.import(&admin, &[upload("seed_2024_shanghai.txt")])
        .await
        .unwrap();
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&url).await.unwrap();

    // A declaration form is not bulk entry: its own preview.
    let seed = upload("seed_2024_shanghai.txt");
    assert_eq!(jixiao_app::upload_kind(&seed), UploadKind::Declarations);
    assert!(app
        .bulk_import(&admin, &seed, false)
        .await
        .unwrap()
        .is_none());

    // Another unit's editor: rows naming this unit's declaration are refused, by the preview
    // as by the commit, and nothing is stored (an upload's project names are claims too).
    let csv = upload("actuals/transport_2024.csv");
    let stranger = Actor::new(
        "stranger",
        jixiao_model::Role::Editor,
        Some("上海市另一单位"),
        None,
    );
    let e = refused_for(&stranger, &app, &mut conn, postgres, &csv).await;
    assert!(e.to_string().contains("交通工具购置及更新"), "{e}");

    // Actual values, CSV then the same rows as XLSX: new, then unchanged.
    assert_eq!(jixiao_app::upload_kind(&csv), UploadKind::Actuals);
    let done = preview_then_commit(&app, &mut conn, postgres, &csv).await;
    assert!(done.added > 0 && done.corrected == 0, "{done:?}");
    assert!(done.rows.iter().all(|r| r.line.is_some_and(|l| l >= 2)));
    let again = app.bulk_import(&admin, &csv, false).await.unwrap().unwrap();
    assert_eq!(again.totals(), (0, 0, done.rows.len()), "{again:?}");

    // Two payments of one day without 凭证号: two new records, never merged.
    let same_day = upload("actuals/transport_2024_spending_same_day.csv");
    assert_eq!(jixiao_app::upload_kind(&same_day), UploadKind::Spending);
    let done = preview_then_commit(&app, &mut conn, postgres, &same_day).await;
    assert_eq!(done.totals(), (4, 0, 0), "{done:?}");
    assert!(done.rows.iter().all(|r| r.outcome == WriteOutcome::Added));
    assert_eq!(done.rows[3].line, Some(5));

    // A mistyped value: refused at its cell, by the preview as by the commit.
    let bad = Upload::new(
        "bad.csv",
        "project,indicator,date,value\n交通工具购置及更新,行驶公里数,2024-12-31,1,35O公里\n"
            .as_bytes()
            .to_vec(),
    );
    let bad = Upload::new(
        "bad.csv",
        String::from_utf8(bad.bytes)
            .unwrap()
            .replace("1,35O公里", "\"1,35O公里\"")
            .into_bytes(),
    );
    let e = refused(&app, &mut conn, postgres, &bad).await;
    let text = e.to_string();
    assert!(
        text.contains("bad.csv") && text.contains("第 2 行") && text.contains("value"),
        "{text}"
    );

    // A 自评表 goes through the same preview and commit.
    let table = upload("self_eval/national_2023.csv");
    assert_eq!(jixiao_app::upload_kind(&table), UploadKind::SelfEvaluation);
    let done = preview_then_commit(&app, &mut conn, postgres, &table).await;
    assert!(done.added > 0, "{done:?}");
}

#[tokio::test]
async fn bulk_sqlite() {
    bulk(sqlite().await).await
}

#[tokio::test]
async fn bulk_postgres() {
    bulk(postgres().await).await
}
