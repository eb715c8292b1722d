//! Reviews 10,000 projects: the seed's two real projects and a clean hand-made one, repeated.
//!
//! `CARGO_TARGET_DIR=/work/target-review cargo bench -p jixiao-review --bench review`

#[path = "../tests/common/mod.rs"]
mod common;

use jixiao_model::{Form, Project};
use jixiao_review::{review, Lang, Policy};

const SEED: &str = include_str!("../../../tests/data/seed_2024_shanghai.json");

fn projects(n: usize) -> Form {
    let seed: Form = serde_json::from_str(SEED).unwrap_or_else(|_| Form::new(Vec::new()));
    let mut pool: Vec<Project> = seed.projects;
    pool.push(common::clean_project("监测网络建设"));
    let projects = (0..n)
        .map(|i| {
            let mut p = pool[i % pool.len()].clone();
            p.name = format!("{}-{i}", p.name);
            p
        })
        .collect();
    Form::new(projects)
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn review_10k_projects(bencher: divan::Bencher) {
    let form = projects(10_000);
    let indicators: usize = form.projects.iter().map(|p| p.indicators.len()).sum();
    assert!(indicators > 300_000);
    let policy = Policy::shanghai();
    bencher.bench_local(|| review(divan::black_box(&form), &policy));
}

#[divan::bench(sample_count = 10)]
fn review_and_render_10k_projects(bencher: divan::Bencher) {
    let form = projects(10_000);
    let policy = Policy::shanghai();
    bencher.bench_local(|| {
        let r = review(divan::black_box(&form), &policy);
        (r.to_text(Lang::Zh).len(), r.to_json_string().len())
    });
}
