//! The store at a unit's scale: importing, exporting and listing 1,000 projects (46,500
//! indicators), on SQLite (a fresh file per sample) and on PostgreSQL (a fresh schema per
//! sample in the database named by `JIXIAO_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/test`, which must be running).
//!
//! ```sh
//! cargo bench -p jixiao-store --bench store             # both backends
//! cargo bench -p jixiao-store --bench store -- sqlite   # SQLite only
//! ```
//!
//! The projects are the seed form's two declarations repeated, with distinct 实施单位 and names
//! (as `crates/form/examples/gen_forms.rs` writes them). Each sample is one `import_all` call,
//! one transaction, as in `jixiao import`. Schemas and files are removed at the end.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::LazyLock;

use divan::Bencher;
use jixiao_model::Form;
use jixiao_store::Store;
use tokio::runtime::Runtime;

const PROJECTS: usize = 1000;

/// Current-thread, like the `jixiao` CLI.
static RT: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
});

static FORM: LazyLock<Form> = LazyLock::new(|| {
    let bytes = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
    let seed = jixiao_form::read_form("seed.txt", bytes).unwrap().form;
    let mut form = seed.clone();
    form.projects = (0..PROJECTS)
        .map(|k| {
            let mut p = seed.projects[k % 2].clone();
            p.unit = format!("第{}单位", k / 2);
            p.name = format!("{}（{}）", p.name, k / 2);
            p
        })
        .collect();
    form
});

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn prefix() -> String {
    format!("jixiao_bench_{}", std::process::id())
}

fn unique() -> String {
    format!("{}_{}", prefix(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

fn dir() -> PathBuf {
    std::env::temp_dir().join(prefix())
}

fn postgres_base() -> String {
    std::env::var("JIXIAO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn postgres_admin(sql: String) {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&postgres_base())
        .await
        .expect("PostgreSQL must run for the store benchmarks (or filter: -- sqlite)");
    sqlx::query(&sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

/// A fresh, empty store.
fn fresh(backend: &str) -> Store {
    RT.block_on(async {
        sqlx::any::install_default_drivers();
        if backend == "sqlite" {
            let path = dir().join(format!("{}.db", unique()));
            Store::open(path.to_str().unwrap()).await.unwrap()
        } else {
            let schema = unique();
            postgres_admin(format!("CREATE SCHEMA {schema}")).await;
            let base = postgres_base();
            let sep = if base.contains('?') { '&' } else { '?' };
            Store::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}"))
                .await
                .unwrap()
        }
    })
}

/// A store holding the 1,000 projects.
fn filled(backend: &str) -> Store {
    let store = fresh(backend);
    RT.block_on(store.import("bench.txt", &FORM, "bench"))
        .unwrap();
    store
}

const BACKENDS: [&str; 2] = ["sqlite", "postgres"];

fn main() {
    let _rt = RT.enter();
    std::fs::create_dir_all(dir()).unwrap();
    LazyLock::force(&FORM);
    divan::main();
    let _ = std::fs::remove_dir_all(dir());
    // Drop this run's schemas (when PostgreSQL is not there, there are none).
    RT.block_on(async {
        use sqlx::Connection;
        let Ok(mut conn) = sqlx::AnyConnection::connect(&postgres_base()).await else {
            return;
        };
        let schemas: Vec<String> = sqlx::query_scalar::<_, String>(
            "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE $1",
        )
        .bind(format!("{}_%", prefix()))
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
        for s in schemas {
            let _ = sqlx::query(&format!("DROP SCHEMA {s} CASCADE"))
                .execute(&mut conn)
                .await;
        }
        let _ = conn.close().await;
    });
}

/// `import_all` of 1,000 projects into an empty database, one transaction.
#[divan::bench(args = BACKENDS, sample_count = 5, sample_size = 1)]
fn import_1k(b: Bencher, backend: &str) {
    b.with_inputs(|| fresh(backend))
        .bench_local_values(|store| {
            let s = RT
                .block_on(store.import("bench.txt", &FORM, "bench"))
                .unwrap();
            assert_eq!(s.added.len(), PROJECTS);
            store
        });
}

/// Importing the same 1,000 projects again: every one found unchanged, nothing written.
#[divan::bench(args = BACKENDS, sample_count = 5, sample_size = 1)]
fn reimport_unchanged_1k(b: Bencher, backend: &str) {
    let store = filled(backend);
    b.bench_local(|| {
        let s = RT
            .block_on(store.import("bench.txt", &FORM, "bench"))
            .unwrap();
        assert_eq!(s.unchanged.len(), PROJECTS);
    });
}

/// `export` of 1,000 current projects (documents read and parsed back into a `Form`).
#[divan::bench(args = BACKENDS, sample_count = 10, sample_size = 1)]
fn export_1k(b: Bencher, backend: &str) {
    let store = filled(backend);
    b.bench_local(|| {
        let f = RT.block_on(store.export()).unwrap();
        assert_eq!(f.projects.len(), PROJECTS);
        f
    });
}

/// `list` of 1,000 current projects (with their indicator counts).
#[divan::bench(args = BACKENDS, sample_count = 10, sample_size = 1)]
fn list_1k(b: Bencher, backend: &str) {
    let store = filled(backend);
    b.bench_local(|| {
        let l = RT.block_on(store.list()).unwrap();
        assert_eq!(l.len(), PROJECTS);
        l
    });
}
