//! The cost of one file of a `check --keep-going` batch, per format: read by content, the
//! form recognised and reviewed (`jixiao_app::batch::check_upload`, what the batch does for
//! each file). The inputs are the fixtures a district's folder is made of: the seed as text,
//! canonical JSON, XLSX in the official layout and PDF (LibreOffice, Chromium), Hunan's CSV,
//! Anhui's XLSX, and damaged files (a PDF cut in half, random bytes).
//!
//! `cargo bench -p jixiao-app --bench batch`

use divan::Bencher;
use jixiao_app::batch::{check_upload, FileOutcome};
use jixiao_app::Upload;

fn main() {
    divan::main();
}

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data")
            .join(rel),
    )
    .unwrap()
}

fn upload(which: &str) -> (Upload, bool) {
    let good = |name: &str, rel: &str| (Upload::new(name, data(rel)), true);
    match which {
        "seed.txt" => good(which, "seed_2024_shanghai.txt"),
        "seed.json" => good(which, "seed_2024_shanghai.json"),
        "seed.xlsx" => {
            let text = data("seed_2024_shanghai.txt");
            let form = jixiao_form::read_form("seed.txt", &text).unwrap().form;
            (
                Upload::new(which, jixiao_form::form_to_xlsx(&form).unwrap()),
                true,
            )
        }
        "seed_libreoffice.pdf" => good(which, "pdf/seed_libreoffice.pdf"),
        "seed_chromium.pdf" => good(which, "pdf/seed_chromium.pdf"),
        "hunan.csv" => good(which, "forms/ok/0009_hunan.csv"),
        "anhui.xlsx" => good(which, "forms/ok/0011_anhui.xlsx"),
        "cut.pdf" => {
            let pdf = data("pdf/seed_chromium.pdf");
            (Upload::new(which, pdf[..pdf.len() / 2].to_vec()), false)
        }
        "junk.bin" => (
            Upload::new(
                which,
                (0u32..4096)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                    .collect::<Vec<u8>>(),
            ),
            false,
        ),
        other => panic!("{other}"),
    }
}

/// One file: read, recognised, reviewed under the `shanghai` policy.
#[divan::bench(
    args = [
        "seed.txt", "seed.json", "seed.xlsx", "hunan.csv", "anhui.xlsx",
        "seed_libreoffice.pdf", "seed_chromium.pdf", "cut.pdf", "junk.bin",
    ],
    sample_count = 20
)]
fn check_one_file(b: Bencher, which: &str) {
    let policy = jixiao_app::builtin_review_policy("shanghai").unwrap();
    let (u, good) = upload(which);
    b.bench(|| {
        let r = check_upload(divan::black_box(&u), &policy);
        assert_eq!(
            matches!(r.outcome, FileOutcome::Reviewed(_)),
            good,
            "{which}"
        );
        r
    });
}
