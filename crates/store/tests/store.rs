//! Store tests, each run against SQLite (a fresh file) and PostgreSQL (a fresh schema in the
//! database named by `JIXIAO_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`).

use std::sync::atomic::{AtomicU32, Ordering};

use jixiao_model::{Achievement, Form, Observation, ObservedValue, ReportPeriod, SpendingRecord};
use jixiao_store::{Backend, Store};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

async fn sqlite() -> Store {
    let dir = std::env::temp_dir().join(unique("jixiao store test"));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(dir.join("jixiao.db").to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    store
}

async fn postgres() -> Store {
    use sqlx::Connection;
    let base = std::env::var("JIXIAO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = unique("t");
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&base)
        .await
        .expect("PostgreSQL must run for the store tests");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let store = Store::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}"))
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    store
}

fn seed() -> Form {
    let bytes = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
    jixiao_form::read_form("seed.txt", bytes).unwrap().form
}

async fn import_then_export_gives_the_same_json(store: Store) {
    let form = seed();
    let s = store.import("seed.txt", &form).await.unwrap();
    assert_eq!(s.added.len(), 2);
    let back = store.export().await.unwrap();
    assert_eq!(
        jixiao_form::json::to_string(&back),
        jixiao_form::json::to_string(&form)
    );
    let list = store.list().await.unwrap();
    assert_eq!(
        list.iter().map(|p| p.indicators).collect::<Vec<_>>(),
        [6, 87]
    );
    assert_eq!(list[1].funds_total.to_string(), "9028372.00");
}

async fn importing_twice_leaves_one_copy(store: Store) {
    let form = seed();
    store.import("seed.txt", &form).await.unwrap();
    let before = store.counts().await.unwrap();
    let s = store.import("seed.txt", &form).await.unwrap();
    assert_eq!(
        (s.added.len(), s.replaced.len(), s.unchanged.len()),
        (0, 0, 2)
    );
    let after = store.counts().await.unwrap();
    assert_eq!((before.0, before.1), (after.0, after.1));
    assert_eq!(store.list().await.unwrap().len(), 2);
}

async fn changed_reimport_keeps_the_previous_version(store: Store) {
    let mut form = seed();
    store.import("v1.txt", &form).await.unwrap();
    form.projects[0].indicators[0].raw = "≥16000.00(公里)".into();
    form.projects[0].indicators[0].target = jixiao_model::Target::parse("≥16000.00(公里)").unwrap();
    let s = store.import("v2.txt", &form).await.unwrap();
    assert_eq!(
        (s.added.len(), s.replaced.len(), s.unchanged.len()),
        (0, 1, 1)
    );
    let key = form.projects[0].key();
    let versions = store.versions(&key).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(!versions[0].1 && versions[1].1);
    assert_eq!(versions[0].2.indicators[0].raw, "≥15000.00(公里)");
    assert_eq!(
        store.find("交通工具购置及更新", Some(2024)).await.unwrap()[0].indicators[0].raw,
        "≥16000.00(公里)"
    );
    assert!(store
        .find("交通工具购置及更新", Some(2023))
        .await
        .unwrap()
        .is_empty());
}

async fn actuals_and_spending_round_trip(store: Store) {
    let form = seed();
    store.import("seed.txt", &form).await.unwrap();
    let key = form.projects[0].key();
    let d = |s: &str| s.parse().unwrap();
    let obs = vec![
        Observation {
            indicator: "1.1.1".into(),
            period: ReportPeriod::Day(d("2024-07-31")),
            date: d("2024-07-31"),
            value: ObservedValue::Number {
                value: "8000.5".parse().unwrap(),
                unit: Some("公里".into()),
            },
            note: Some("上半年".into()),
            evidence: Some("台账.xlsx".into()),
        },
        Observation {
            indicator: "1.2.1".into(),
            period: ReportPeriod::Day(d("2024-12-31")),
            date: d("2024-12-31"),
            value: ObservedValue::Level {
                level: Achievement::Met,
            },
            note: None,
            evidence: None,
        },
    ];
    let keyed: Vec<_> = obs.iter().map(|o| (key.clone(), o.clone())).collect();
    store.add_observations(&keyed).await.unwrap();
    assert_eq!(store.observations(&key).await.unwrap(), obs);
    let spend = SpendingRecord {
        date: d("2024-03-01"),
        amount: "180000.00".parse().unwrap(),
        voucher: None,
        note: None,
    };
    store
        .add_spending(&[(key.clone(), spend.clone())])
        .await
        .unwrap();
    assert_eq!(store.spending(&key).await.unwrap(), vec![spend]);
    // Actuals survive a changed re-import.
    let mut changed = form.clone();
    changed.projects[0].annual_goal.push('。');
    store.import("v2.txt", &changed).await.unwrap();
    assert_eq!(store.observations(&key).await.unwrap().len(), 2);
}

async fn a_project_larger_than_one_insert_round_trips(store: Store) {
    // 87 × 14 = 1,218 indicators: three multi-row INSERT statements.
    let mut form = seed();
    let p = &mut form.projects[1];
    let base = p.indicators.clone();
    for _ in 1..14 {
        p.indicators.extend(base.iter().cloned());
    }
    p.assign_codes();
    store.import("big.txt", &form).await.unwrap();
    assert_eq!(store.counts().await.unwrap().1, 6 + 1218);
    assert_eq!(store.export().await.unwrap(), form);
    assert_eq!(store.list().await.unwrap()[1].indicators, 1218);
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name(super::sqlite().await).await } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() { super::$name(super::postgres().await).await } )*
        }
    };
}

on_both_backends!(
    import_then_export_gives_the_same_json,
    importing_twice_leaves_one_copy,
    changed_reimport_keeps_the_previous_version,
    actuals_and_spending_round_trip,
    a_project_larger_than_one_insert_round_trips,
);
