//! Parsing throughput of the form readers, in bytes of input per second (form text, PDF).
//!
//! `cargo bench -p jixiao-form --bench parse`

use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../../../tests/data/seed_2024_shanghai.txt");

/// The seed form (2 projects, 93 indicators, 16 KB).
#[divan::bench]
fn seed_text(b: Bencher) {
    b.counter(BytesCount::of_str(SEED))
        .bench(|| jixiao_form::read_form("seed.txt", divan::black_box(SEED.as_bytes())).unwrap());
}

/// A unit's year: the seed's two forms repeated 500 times (1,000 projects, 8 MB).
#[divan::bench(sample_count = 10)]
fn thousand_projects(b: Bencher) {
    let body = SEED
        .split_once("财政项目支出绩效目标申报表")
        .map_or(SEED, |(_, rest)| rest);
    let mut text = String::from(SEED);
    for i in 0..499 {
        text.push_str("\n财政项目支出绩效目标申报表");
        text.push_str(
            &body
                .replace("交通工具购置及更新", &format!("交通工具购置及更新{i}"))
                .replace("减污降碳工作专项经费", &format!("减污降碳工作专项经费{i}")),
        );
    }
    b.counter(BytesCount::of_str(&text)).bench(|| {
        let p = jixiao_form::read_form("big.txt", divan::black_box(text.as_bytes())).unwrap();
        assert_eq!(p.form.projects.len(), 1000);
    });
}

/// Canonical JSON of the seed, written and read back.
#[divan::bench]
fn seed_json_round_trip(b: Bencher) {
    let form = jixiao_form::read_form("seed.txt", SEED.as_bytes())
        .unwrap()
        .form;
    let json = jixiao_form::json::to_string(&form);
    b.counter(BytesCount::of_str(&json))
        .bench(|| jixiao_form::json::from_str(divan::black_box(&json)).unwrap());
}

const PDF_LIBREOFFICE: &[u8] = include_bytes!("../../../tests/data/pdf/seed_libreoffice.pdf");
const PDF_CHROMIUM: &[u8] = include_bytes!("../../../tests/data/pdf/seed_chromium.pdf");
const PDF_DISCLOSURE: &[u8] = include_bytes!("../../../tests/data/pdf/disclosure.pdf");

/// The seed printed to PDF: LibreOffice (3 pages), Chromium (7 pages), and the 13-page budget
/// disclosure that holds it among prose and another table.
#[divan::bench(args = ["seed_libreoffice", "seed_chromium", "disclosure"], sample_count = 20)]
fn seed_pdf(b: Bencher, which: &str) {
    let bytes = match which {
        "seed_libreoffice" => PDF_LIBREOFFICE,
        "seed_chromium" => PDF_CHROMIUM,
        _ => PDF_DISCLOSURE,
    };
    b.counter(BytesCount::new(bytes.len())).bench(|| {
        let p = jixiao_form::read_form("seed.pdf", divan::black_box(bytes)).unwrap();
        assert_eq!(p.form.projects.len(), 2);
    });
}

const LAYOUT: &str = include_str!("../../../tests/data/pdf/text/seed_libreoffice.layout.txt");
const CELLS: &str = include_str!("../../../tests/data/pdf/text/seed_libreoffice.cells.txt");

/// The seed as text extracted from its PDF: `pdftotext -layout` (20 KB) and cell per line
/// (19 KB), each rebuilt into the grid.
#[divan::bench(args = ["layout", "cells"])]
fn seed_extracted_text(b: Bencher, which: &str) {
    let text = if which == "layout" { LAYOUT } else { CELLS };
    b.counter(BytesCount::of_str(text)).bench(|| {
        let p = jixiao_form::read_form("seed.txt", divan::black_box(text.as_bytes())).unwrap();
        assert_eq!(p.form.projects.len(), 2);
    });
}
