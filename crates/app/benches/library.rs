//! The indicator library at national scale.
//!
//! Pure: building the entries from 10,000 approved declarations (465,000 indicators: the
//! seed's two projects under 5,000 units) and ranking them for a typed text, as
//! `App::library_build` and `App::library_search` do after their reads
//! (`jixiao_app::library::{build_entries, rank}`).
//!
//! With the database (SQLite, 1,000 approved declarations of 2024 — the seed under 500 units,
//! 46,500 indicators — their library built, and the same 1,000 declared again for 2023):
//! `App::library_search` as it reads now (the entries and approved indicators matching the
//! text, in SQL) against the reads it made before (every entry, every approved declaration),
//! and `App::project_history` (the project's family across years, in SQL) against reading
//! every current declaration.
//!
//! `cargo bench -p jixiao-app --bench library`

mod common;

use divan::Bencher;
use jixiao_app::library::{approved_of, build_entries, rank};
use jixiao_app::{Actor, App, Store};
use jixiao_model::{DeclarationId, LibraryEntry, Project, Role, Status};

fn main() {
    divan::main();
}

/// The seed's projects under `units` units, with ids for every declaration and indicator.
fn approved(units: usize) -> Vec<Project> {
    let mut out = common::seed_under_units(units);
    let mut next_id = 1;
    for (k, p) in out.iter_mut().enumerate() {
        p.id = Some(k as i64 + 1);
        for i in &mut p.indicators {
            i.id = Some(next_id);
            next_id += 1;
        }
    }
    out
}

#[divan::bench(args = [100, 5_000], sample_count = 5)]
fn build_library(b: Bencher, units: usize) {
    let projects = approved(units);
    b.bench(|| build_entries(divan::black_box(&projects), &[]));
}

#[divan::bench(args = ["公里", "满意度", "车"], sample_count = 10)]
fn search_national(b: Bencher, q: &str) {
    let projects = approved(5_000);
    let (library, _): (Vec<LibraryEntry>, _) = build_entries(&projects, &[]);
    let indicators = approved_of(&projects);
    let actor = Actor::new("editor", Role::Editor, Some("第7单位"), Some("第7部门"));
    b.bench(|| rank(divan::black_box(q), &actor, &library, &indicators, 20));
}

/// 1,000 approved declarations of 2024 with their library, and the same 1,000 of 2023 (drafts).
struct Db {
    rt: tokio::runtime::Runtime,
    app: App,
    store: Store,
    ids: Vec<DeclarationId>,
}

fn db() -> Db {
    let rt = common::runtime();
    let current = common::seed_under_units(500);
    let n = current.len();
    let mut projects = current.clone();
    projects.extend(current.into_iter().map(|mut p| {
        p.year = 2023;
        p
    }));
    let (app, ids, path) = rt.block_on(common::database(
        projects,
        &[Status::Submitted, Status::Approved],
        n,
    ));
    let admin = Actor::local_admin();
    rt.block_on(app.library_build(&admin)).unwrap();
    let store = rt.block_on(Store::open(&path)).unwrap();
    Db {
        rt,
        app,
        store,
        ids,
    }
}

fn editor() -> Actor {
    Actor::new("editor", Role::Editor, Some("第7单位"), Some("第7部门"))
}

#[divan::bench(args = ["公里", "满意度", "车"], sample_count = 10)]
fn library_search_1000(b: Bencher, q: &str) {
    let d = db();
    let actor = editor();
    b.bench(|| {
        d.rt.block_on(d.app.library_search(&actor, divan::black_box(q), 20))
            .unwrap()
    });
}

/// The search as it read before: every entry and every approved declaration, then ranked.
#[divan::bench(args = ["公里", "满意度", "车"], sample_count = 10)]
fn library_search_1000_reading_all(b: Bencher, q: &str) {
    let d = db();
    let actor = editor();
    b.bench(|| {
        d.rt.block_on(async {
            let library = d.store.library_entries().await.unwrap();
            let approved = d.store.approved_projects().await.unwrap();
            rank(q, &actor, &library, &approved_of(&approved), 20)
        })
    });
}

#[divan::bench(sample_count = 10)]
fn project_history_of_2000(b: Bencher) {
    let d = db();
    let actor = Actor::local_admin();
    let id = d.ids[14];
    b.bench(|| {
        let h = d.rt.block_on(d.app.project_history(&actor, id)).unwrap();
        assert_eq!(h.years.len(), 2);
        h
    });
}

/// What the history read before its walk: every current declaration and every link.
#[divan::bench(sample_count = 10)]
fn project_history_reads_before(b: Bencher) {
    let d = db();
    b.bench(|| {
        d.rt.block_on(async {
            (
                d.store.current_projects().await.unwrap(),
                d.store.predecessors().await.unwrap(),
            )
        })
    });
}
