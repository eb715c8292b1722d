//! What the benchmarks of this crate share: the seed's projects under many units, and a
//! SQLite database holding them.

#![allow(dead_code)] // each bench uses part of it

use jixiao_app::{App, Store};
use jixiao_model::{DeclarationId, Form, Project, Status};

/// The seed's two projects under `units` units of 50 departments (ids unset).
pub fn seed_under_units(units: usize) -> Vec<Project> {
    let text = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/seed_2024_shanghai.txt"),
    )
    .unwrap();
    let seed = jixiao_form::read_form("seed.txt", &text)
        .unwrap()
        .form
        .projects;
    let mut out = Vec::with_capacity(units * seed.len());
    for u in 0..units {
        for p in &seed {
            let mut p = p.clone();
            p.unit = format!("第{u}单位");
            p.department = Some(format!("第{}部门", u % 50));
            out.push(p);
        }
    }
    out
}

/// A runtime for the use cases.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// A fresh SQLite database holding `projects` (one import), the first `moved` of them moved
/// through `moves` (from draft: `[Submitted]` waits for review, `[Submitted, Approved]` is
/// approved); the app over it, the declarations' ids in the order of `projects`, and the
/// file's path.
pub async fn database(
    projects: Vec<Project>,
    moves: &[Status],
    moved: usize,
) -> (App, Vec<DeclarationId>, String) {
    let dir = std::env::temp_dir().join(format!(
        "jixiao-bench-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bench.db");
    let path = path.to_str().unwrap();
    let store = Store::open(path).await.unwrap();
    store
        .import("bench.json", &Form::new(projects), "bench")
        .await
        .unwrap();
    let ids: Vec<DeclarationId> = store.list().await.unwrap().iter().map(|s| s.id).collect();
    for id in ids.iter().take(moved) {
        let mut from = Status::Draft;
        for to in moves {
            store
                .transition(*id, &[from], *to, None, "bench")
                .await
                .unwrap()
                .unwrap();
            from = *to;
        }
    }
    store.close().await;
    (App::open(path).await.unwrap(), ids, path.to_string())
}
