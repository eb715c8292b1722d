//! A database written by schema v1 (`tests/data/legacy/v1.data.sql`: the seed imported, the
//! transport project's actual values and spending recorded by the jixiao of that time) opens
//! with today's store: its rows are converted, the self-evaluation gives the same 93.69, the
//! legacy tables are gone, and the conversion is in the audit table. On SQLite and PostgreSQL.

use std::borrow::Cow;

use jixiao_store::Store;
use jixiao_testkit::unique;
use sqlx::any::AnyPoolOptions;
use sqlx::Row;

const V1_DATA: &str = include_str!("../../../tests/data/legacy/v1.data.sql");

/// Writes a v1 database at `url` (schema 0001 only, then the v1 rows).
async fn write_v1(url: &str, postgres: bool) {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let mut m = if postgres {
        sqlx::migrate!("./migrations/postgres")
    } else {
        sqlx::migrate!("./migrations/sqlite")
    };
    m.migrations = Cow::Owned(m.migrations.iter().take(1).cloned().collect());
    m.run(&pool).await.unwrap();
    sqlx::raw_sql(V1_DATA).execute(&pool).await.unwrap();
    pool.close().await;
}

async fn converts(url: &str, postgres: bool) {
    write_v1(url, postgres).await;
    let store = Store::open(url).await.unwrap();
    let list = store.list().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].funds_total.to_string(), "9028372.00");
    let p = store
        .find("交通工具购置及更新", Some(2024))
        .await
        .unwrap()
        .remove(0);
    let id = p.id.unwrap();
    let actuals = store.observations(id).await.unwrap();
    assert_eq!(actuals.current.len(), 12);
    assert!(actuals.orphans.is_empty());
    let spending = store.spending(id).await.unwrap();
    assert_eq!(spending.len(), 2);
    let e = jixiao_evaluate::evaluate(
        &p,
        &actuals.current,
        &spending,
        &jixiao_evaluate::Policy::builtin(),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(e.total.to_string(), "93.69");
    let audit = store.audit(None).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "legacy_migration"));
    let n = audit.len();
    assert_eq!(store.verify_documents().await.unwrap(), 2);
    store.close().await;
    // Opening again converts nothing more.
    let store = Store::open(url).await.unwrap();
    assert_eq!(store.audit(None).await.unwrap().len(), n);
    assert_eq!(store.observations(id).await.unwrap().current.len(), 12);
}

#[tokio::test]
async fn a_v1_sqlite_database_migrates() {
    let dir = std::env::temp_dir().join(unique("jixiao migrate"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("v1.db");
    converts(&format!("sqlite://{}?mode=rwc", path.display()), false).await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_v1_postgres_database_migrates() {
    sqlx::any::install_default_drivers();
    let url = jixiao_testkit::postgres_url("m").await;
    converts(&url, true).await;
}

/// Migration 0007 rewrites the keys of spending records without a 凭证号 (`n:<说明>`, or ''),
/// so that the file they came from, imported again after the upgrade, matches them line for
/// line instead of adding them a second time.
async fn old_spending_keys_are_rewritten(url: &str) {
    let store = Store::open(url).await.unwrap();
    let bytes = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
    let form = jixiao_form::read_form("seed.txt", bytes).unwrap().form;
    store.import("seed.txt", &form, "t").await.unwrap();
    let id = store.find("交通工具购置及更新", None).await.unwrap()[0]
        .id
        .unwrap();
    let pay = |amount: &str, voucher: Option<&str>, note: Option<&str>| {
        (
            id,
            jixiao_model::SpendingRecord {
                date: "2024-05-06".parse().unwrap(),
                amount: amount.parse().unwrap(),
                voucher: voucher.map(str::to_string),
                note: note.map(str::to_string),
            },
        )
    };
    let file = [
        pay("8000.00", None, None),
        pay("3000.00", None, Some("保险")),
        pay("900.00", Some("记-7"), None),
    ];
    let rows = jixiao_store::SpendingRows::File;
    store
        .record_spending(&file, rows, "s.csv", "t")
        .await
        .unwrap();
    store.close().await;
    // Back to the keys written before 0007, and 0007 not yet applied.
    let pool = raw(url).await;
    sqlx::query(
        "UPDATE spending_records SET record_key = CASE WHEN note IS NULL THEN '' ELSE 'n:' || note END \
         WHERE voucher IS NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 7")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::open(url).await.unwrap();
    let s = store
        .record_spending(&file, rows, "s.csv", "t")
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (0, 0, 3));
    assert_eq!(store.spending(id).await.unwrap().len(), 3);
}

/// A new SQLite file's URL, in a folder of its own named after `tag`.
fn sqlite_url(tag: &str) -> String {
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(unique(tag));
    std::fs::create_dir_all(&dir).unwrap();
    format!("sqlite://{}?mode=rwc", dir.join("j.db").display())
}

/// A connection to the database at `url` below the store, to write rows as an older jixiao
/// left them.
async fn raw(url: &str) -> sqlx::AnyPool {
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap()
}

#[tokio::test]
async fn old_sqlite_spending_keys_are_rewritten() {
    old_spending_keys_are_rewritten(&sqlite_url("jixiao migrate 0007")).await;
}

#[tokio::test]
async fn old_postgres_spending_keys_are_rewritten() {
    sqlx::any::install_default_drivers();
    let url = jixiao_testkit::postgres_url("m7").await;
    old_spending_keys_are_rewritten(&url).await;
}

/// Migration 0009 adds the search keys (normalised names) beside the names; the rows written
/// before it get theirs on the next open, once, and a history then finds a project's other
/// year by them.
async fn search_keys_of_rows_from_before_are_filled(url: &str) {
    let store = Store::open(url).await.unwrap();
    let bytes = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
    let form = jixiao_form::read_form("seed.txt", bytes).unwrap().form;
    store.import("seed.txt", &form, "t").await.unwrap();
    let text = std::str::from_utf8(bytes).unwrap().replace("2024", "2023");
    let older = jixiao_form::read_form("old.txt", text.as_bytes())
        .unwrap()
        .form;
    store.import("old.txt", &older, "t").await.unwrap();
    let id = store.find("交通工具购置及更新", Some(2024)).await.unwrap()[0]
        .id
        .unwrap();
    assert_eq!(store.project_family(id).await.unwrap().0.len(), 2);
    store.close().await;
    // The rows as 0009 found them: no keys yet.
    let pool = raw(url).await;
    for sql in [
        "UPDATE declarations SET unit_key = NULL, name_key = NULL",
        "UPDATE version_indicators SET name_key = NULL",
        "INSERT INTO search_keys_pending (pending) VALUES (1)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    let store = Store::open(url).await.unwrap();
    assert_eq!(store.project_family(id).await.unwrap().0.len(), 2);
    let everything = jixiao_store::Visibility::everything();
    let found = store
        .approved_indicators(&everything, "行驶公里数")
        .await
        .unwrap();
    assert!(found.is_empty(), "nothing is approved yet");
    store.close().await;
    let pool = raw(url).await;
    let missing: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM declarations WHERE name_key IS NULL OR unit_key IS NULL) \
         + (SELECT COUNT(*) FROM version_indicators WHERE name_key IS NULL) \
         + (SELECT COUNT(*) FROM search_keys_pending)",
    )
    .fetch_one(&pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    assert_eq!(missing, 0);
    pool.close().await;
}

#[tokio::test]
async fn sqlite_search_keys_of_rows_from_before_are_filled() {
    search_keys_of_rows_from_before_are_filled(&sqlite_url("jixiao migrate 0009")).await;
}

#[tokio::test]
async fn postgres_search_keys_of_rows_from_before_are_filled() {
    sqlx::any::install_default_drivers();
    let url = jixiao_testkit::postgres_url("m9").await;
    search_keys_of_rows_from_before_are_filled(&url).await;
}
