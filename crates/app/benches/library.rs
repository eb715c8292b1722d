//! The indicator library at national scale: building the entries from 10,000 approved
//! declarations (465,000 indicators: the seed's two projects under 5,000 units) and ranking
//! them for a typed text, as `App::library_build` and `App::library_search` do after their
//! reads (`jixiao_app::library::{build_entries, rank}`, pure).
//!
//! `cargo bench -p jixiao-app --bench library`

use divan::Bencher;
use jixiao_app::library::{build_entries, rank};
use jixiao_app::Actor;
use jixiao_model::{LibraryEntry, Project, Role};

fn main() {
    divan::main();
}

/// The seed's projects under `units` units of 50 departments, with ids for every indicator.
fn approved(units: usize) -> Vec<Project> {
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
    let mut next_id = 1;
    for u in 0..units {
        for p in &seed {
            let mut p = p.clone();
            p.unit = format!("第{u}单位");
            p.department = Some(format!("第{}部门", u % 50));
            p.id = Some(out.len() as i64 + 1);
            for i in &mut p.indicators {
                i.id = Some(next_id);
                next_id += 1;
            }
            out.push(p);
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
    let actor = Actor::new("editor", Role::Editor, Some("第7单位"), Some("第7部门"));
    b.bench(|| rank(divan::black_box(q), &actor, &library, &projects, 20));
}
