//! Typesets a typst file with the project's fonts (as `jixiao_pdf::render` does) and prints, per
//! phase (compile = evaluation + layout, PDF export), the time and the peak RSS so far.
//! For measuring the generated markup (`BENCHMARKS.md`).
//!
//! `cargo run --release -p jixiao-pdf --example typ_to_pdf -- IN.typ OUT.pdf`, or with
//! `--summary N` instead of `IN.typ` the markup of a synthetic 项目绩效目标汇总表 of N declarations
//! over N/2 units (as `gen_forms N` imported: two projects per unit), which `--markup OUT.typ`
//! writes instead of typesetting it.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (source, output) = match args.as_slice() {
        [flag, n, output] if flag == "--summary" => (summary(n), output),
        [flag, n, markup, output] if flag == "--summary" && markup == "--markup" => {
            std::fs::write(output, summary(n)).unwrap_or_else(|e| fail(&format!("{output}: {e}")));
            return;
        }
        [input, output] => (
            std::fs::read_to_string(input).unwrap_or_else(|e| fail(&format!("{input}: {e}"))),
            output,
        ),
        _ => {
            eprintln!("usage: typ_to_pdf IN.typ|--summary N [--markup] OUT");
            std::process::exit(2);
        }
    };
    let fonts = jixiao_pdf::Fonts::system().unwrap_or_else(|e| fail(&e));
    let faces: Vec<typst::text::Font> = fonts
        .files()
        .iter()
        .flat_map(|f| {
            let bytes = std::fs::read(f).unwrap_or_else(|e| fail(&format!("{}: {e}", f.display())));
            typst::text::Font::iter(typst::foundations::Bytes::new(bytes)).collect::<Vec<_>>()
        })
        .collect();
    report(&format!("fonts ({} faces)", faces.len()), Instant::now());
    let t = Instant::now();
    let engine = typst_as_lib::TypstEngine::builder()
        .main_file(source)
        .fonts(faces)
        .build();
    let doc: typst_layout::PagedDocument = engine
        .compile()
        .output
        .unwrap_or_else(|e| fail(&format!("{e:?}")));
    report(&format!("compile ({} pages)", doc.pages().len()), t);
    let t = Instant::now();
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .unwrap_or_else(|e| fail(&format!("{e:?}")));
    report(&format!("pdf ({} bytes)", pdf.len()), t);
    drop(doc);
    std::fs::write(output, pdf).unwrap_or_else(|e| fail(&format!("{output}: {e}")));
}

/// The markup of a synthetic summary of `n` declarations.
fn summary(n: &str) -> String {
    use jixiao_model::{Decimal, Grade, Status};
    use jixiao_report::{FindingCounts, IndicatorCounts, SummaryRow, UnitSummary};
    let n: usize = n.parse().unwrap_or_else(|e| fail(&format!("{n}: {e}")));
    let rows = (0..n)
        .map(|k| {
            let big = k % 2 == 1;
            SummaryRow {
                name: format!(
                    "{}（{}）",
                    if big {
                        "减污降碳工作专项经费"
                    } else {
                        "交通工具购置及更新"
                    },
                    k / 2
                ),
                unit: format!("第{}单位", k / 2),
                department: Some("上海市生态环境局".into()),
                funds: Decimal::new(if big { 902_837_200 } else { 36_000_000 }, 2),
                indicators: IndicatorCounts {
                    output: if big { 54 } else { 3 },
                    cost: if big { 6 } else { 0 },
                    benefit: if big { 26 } else { 2 },
                    satisfaction: 1,
                },
                review_grade: if big { Grade::Fair } else { Grade::Excellent },
                findings: FindingCounts {
                    errors: 0,
                    warnings: if big { 26 } else { 3 },
                    infos: if big { 4 } else { 1 },
                },
                status: Status::Draft,
                light: None,
                score: Some(Decimal::ZERO),
                grade: Some(Grade::Poor),
                score_state: Some(jixiao_evaluate::ScoreState::Scored),
                department_wide: false,
                rectifications: None,
            }
        })
        .collect();
    jixiao_pdf::summary_markup(&UnitSummary {
        year: 2024,
        scope: "上海市生态环境局".into(),
        as_of: None,
        rows,
        rectifications_on: None,
        costs: Default::default(),
    })
}

fn report(phase: &str, since: Instant) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    eprintln!(
        "{phase}: {:.2} s, RSS {}, peak {}",
        since.elapsed().as_secs_f64(),
        field("VmRSS:"),
        field("VmHWM:")
    );
}

fn fail(e: &dyn std::fmt::Display) -> ! {
    eprintln!("{e}");
    std::process::exit(2);
}
