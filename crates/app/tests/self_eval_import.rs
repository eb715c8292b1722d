//! Importing a 自评表 is one transaction (declaration, actual values, spending): a failure in
//! its last step leaves the database exactly as it was, on SQLite and on PostgreSQL; and
//! importing the same table again changes nothing.
//!
//! The late failure is forced by a trigger that refuses every insert into `spending_records`,
//! the import's last write: by then the declaration and its actual values have been written
//! inside the transaction.

use std::path::Path;

use jixiao_app::{Actor, App, Upload};
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

/// The app, and a URL for a second connection to the same database.
async fn sqlite() -> (App, String, bool) {
    let dir = std::env::temp_dir().join(unique("jixiao-self-eval-tx"));
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

async fn refuse_spending(conn: &mut AnyConnection, postgres: bool) {
    let statements: &[&str] = if postgres {
        &[
            "CREATE FUNCTION jx_refuse() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$",
            "CREATE TRIGGER jx_refuse BEFORE INSERT ON spending_records \
             FOR EACH ROW EXECUTE FUNCTION jx_refuse()",
        ]
    } else {
        &[
            "CREATE TRIGGER jx_refuse BEFORE INSERT ON spending_records \
           BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
        ]
    };
    for s in statements {
        sqlx::query(s).execute(&mut *conn).await.unwrap();
    }
}

async fn allow_spending(conn: &mut AnyConnection, postgres: bool) {
    let s = if postgres {
        "DROP TRIGGER jx_refuse ON spending_records"
    } else {
        "DROP TRIGGER jx_refuse"
    };
    sqlx::query(s).execute(&mut *conn).await.unwrap();
}

async fn a_late_failure_leaves_nothing_and_a_reimport_changes_nothing(
    (app, url, postgres): (App, String, bool),
) {
    let admin = Actor::local_admin();
    // Something in the database already, so that "unchanged" is not "empty".
    app.import(&admin, &[upload("seed_2024_shanghai.txt")])
        .await
        .unwrap();
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&url).await.unwrap();
    let before = snapshot(&mut conn, postgres).await;

    refuse_spending(&mut conn, postgres).await;
    for file in ["self_eval/national_2023.csv", "self_eval/shanghai_2023.txt"] {
        let table = upload(file);
        let err = app
            .import_self_evaluations(&admin, &table)
            .await
            .expect_err("the spending step is refused");
        assert!(
            err.detail().is_some_and(|d| d.contains("forced failure")),
            "{file}: {err} {:?}",
            err.detail()
        );
        assert_eq!(
            snapshot(&mut conn, postgres).await,
            before,
            "{file}: a failed import left rows behind"
        );
    }
    allow_spending(&mut conn, postgres).await;

    // Now it goes through, whole.
    let table = upload("self_eval/national_2023.csv");
    let [r] = &app.import_self_evaluations(&admin, &table).await.unwrap()[..] else {
        panic!("one table")
    };
    assert!(!r.existing);
    assert_eq!(r.declaration.added.len(), 1);
    assert_eq!((r.actuals.added, r.spending.added), (5, 1));
    let after_first = snapshot(&mut conn, postgres).await;
    assert_ne!(after_first, before);

    // The same file again: nothing changes, not even the audit trail.
    let [again] = &app.import_self_evaluations(&admin, &table).await.unwrap()[..] else {
        panic!("one table")
    };
    assert!(again.existing);
    assert_eq!(again.declaration, Default::default());
    assert_eq!((again.actuals.added, again.actuals.replaced), (0, 0));
    assert_eq!((again.spending.added, again.spending.replaced), (0, 0));
    assert_eq!(again.comparison, r.comparison);
    assert_eq!(snapshot(&mut conn, postgres).await, after_first);
    conn.close().await.unwrap();
}

#[tokio::test]
async fn sqlite_a_late_failure_leaves_nothing_and_a_reimport_changes_nothing() {
    a_late_failure_leaves_nothing_and_a_reimport_changes_nothing(sqlite().await).await;
}

#[tokio::test]
async fn postgres_a_late_failure_leaves_nothing_and_a_reimport_changes_nothing() {
    a_late_failure_leaves_nothing_and_a_reimport_changes_nothing(postgres().await).await;
}
