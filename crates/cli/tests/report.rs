//! `jixiao report`, run as a user runs it: the seed imported with the transport actuals and
//! spending into a fresh SQLite database, every report written to a file.
//!
//! `UPDATE_EXPECT=1 cargo test -p jixiao-cli --test report` rewrites the golden HTML summary
//! (`tests/data/report/cli_summary_2024.html`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
        .display()
        .to_string()
}

/// A fresh directory with the seed, its actuals and spending imported.
struct Year {
    dir: PathBuf,
}

impl Year {
    fn new(name: &str) -> Year {
        let dir = std::env::temp_dir().join(format!("jixiao-report-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let y = Year { dir };
        y.ok(&["import", &data("seed_2024_shanghai.txt")]);
        y.ok(&["actuals", "import", &data("actuals/transport_2024.csv")]);
        y.ok(&[
            "spending",
            "import",
            &data("actuals/transport_2024_spending.csv"),
        ]);
        y
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .env("JIXIAO_DB", self.dir.join("jixiao.db"))
            .env_remove("JIXIAO_POLICY")
            .current_dir(&self.dir)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `args`, expecting exit status 2 and `want` in the message.
    fn refused(&self, args: &[&str], want: &str) {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }

    fn file(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

fn canonical_without_lines(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    for p in v["projects"].as_array_mut().unwrap() {
        for i in p["indicators"].as_array_mut().unwrap() {
            i.as_object_mut().unwrap().remove("line");
        }
    }
    v
}

#[test]
fn every_report_is_written_and_the_declarations_read_back() {
    let y = Year::new("all");
    for kind in ["declaration", "summary", "monitoring", "self-eval"] {
        let out = y.file(&format!("{kind}.xlsx"));
        y.ok(&[
            "report",
            kind,
            "--year",
            "2024",
            "--as-of",
            "2024-07-31",
            "--format",
            "xlsx",
            "-o",
            &out,
        ]);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"PK"), "{kind}: not an XLSX (zip) file");
    }
    // The declarations (the unit's 汇总表 of declarations) read back to the seed.
    let back = y.ok(&["parse", &y.file("declaration.xlsx")]);
    let seed = y.ok(&["parse", &data("seed_2024_shanghai.txt")]);
    let (mut back, seed) = (
        canonical_without_lines(&back),
        canonical_without_lines(&seed),
    );
    // The export's title is the report's own; the seed's title line is not a declaration.
    back["title"] = seed["title"].clone();
    let strip_ids = |v: &mut serde_json::Value| {
        for p in v["projects"].as_array_mut().unwrap() {
            p.as_object_mut().unwrap().remove("id");
            for i in p["indicators"].as_array_mut().unwrap() {
                i.as_object_mut().unwrap().remove("id");
            }
        }
    };
    let mut seed = seed;
    strip_ids(&mut back);
    strip_ids(&mut seed);
    assert_eq!(back, seed);
}

/// The exported PDF reads back: seed → import → `report declaration --format pdf` (the unit's
/// 汇总表 of both declarations, and each declaration alone with `--project`) → `jixiao parse`
/// of the PDF → the seed's canonical JSON, source lines and ids aside (jixiao's own PDF reader,
/// `jixiao_form::pdf`).
#[test]
fn the_exported_pdf_reads_back_to_the_seed() {
    let y = Year::new("pdf-back");
    let seed = canonical_without_lines(&y.ok(&["parse", &data("seed_2024_shanghai.txt")]));
    let strip_ids = |v: &mut serde_json::Value| {
        for p in v["projects"].as_array_mut().unwrap() {
            p.as_object_mut().unwrap().remove("id");
            for i in p["indicators"].as_array_mut().unwrap() {
                i.as_object_mut().unwrap().remove("id");
            }
        }
    };
    let mut want_all = seed;
    strip_ids(&mut want_all);
    // The export's title is the report's own (项目绩效目标汇总表（2024年度）, none for one
    // declaration); the seed's title line is not a declaration.
    let title = want_all
        .as_object_mut()
        .unwrap()
        .remove("title")
        .unwrap_or_default();
    assert!(title.is_string(), "the seed has a title line");
    let mut cases: Vec<(String, serde_json::Value)> = vec![("all".into(), want_all.clone())];
    for (k, p) in want_all["projects"].as_array().unwrap().iter().enumerate() {
        let mut one = want_all.clone();
        one["projects"] = serde_json::Value::Array(vec![p.clone()]);
        cases.push((format!("p{k}"), one));
    }
    let names: Vec<String> = want_all["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    for (k, (tag, want)) in cases.iter().enumerate() {
        let out = y.file(&format!("declaration-{tag}.pdf"));
        let mut args = vec![
            "report",
            "declaration",
            "--year",
            "2024",
            "--format",
            "pdf",
            "-o",
            &out,
        ];
        if k > 0 {
            args.extend(["--project", names[k - 1].as_str()]);
        }
        y.ok(&args);
        let back = y.ok(&["parse", &out]);
        let mut back = canonical_without_lines(&back);
        strip_ids(&mut back);
        let title = back.as_object_mut().unwrap().remove("title");
        if k == 0 {
            assert_eq!(title.unwrap(), "项目绩效目标汇总表（2024年度）");
        } else {
            assert!(
                title.as_ref().is_none_or(|t| t.is_null()),
                "{tag}: {title:?}"
            );
        }
        assert_eq!(&back, want, "{tag}: the PDF does not read back to the seed");
    }
}

/// Every report as PDF, read back with poppler's pdftotext (scripts/test.sh installs
/// poppler-utils and fonts-noto-cjk): names, amounts as printed, page numbers.
#[test]
fn every_report_as_pdf() {
    let y = Year::new("pdf");
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for (kind, want) in [
        (
            "declaration",
            &[
                "财政项目支出绩效目标申报表",
                "9,028,372.00",
                "减污降碳工作专项经费",
                "行驶公里数",
            ][..],
        ),
        (
            "summary",
            &["项目绩效目标汇总表", "9,028,372.00", "交通工具购置及更新"][..],
        ),
        (
            "monitoring",
            &["项目支出绩效运行监控表", "2024年7月31日", "行驶公里数"][..],
        ),
        (
            "self-eval",
            &["项目支出绩效自评表", "交通工具购置及更新", "行驶公里数"][..],
        ),
    ] {
        let out = y.file(&format!("{kind}.pdf"));
        y.ok(&[
            "report",
            kind,
            "--year",
            "2024",
            "--as-of",
            "2024-07-31",
            "--format",
            "pdf",
            "-o",
            &out,
        ]);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{kind}: not a PDF");
        let text = Command::new("pdftotext")
            .args(["-raw", "-enc", "UTF-8", &out, "-"])
            .output()
            .expect("pdftotext (poppler-utils)");
        let text = squash(&String::from_utf8(text.stdout).unwrap());
        for w in want {
            assert!(
                text.contains(&squash(w)),
                "{kind}: {w:?} not in the PDF text"
            );
        }
        assert!(text.contains("第1页/共"), "{kind}: no page numbers");
    }
}

#[test]
fn the_html_summary_of_the_year() {
    let y = Year::new("html");
    let out = y.file("summary.html");
    y.ok(&[
        "report",
        "summary",
        "--year",
        "2024",
        "--as-of",
        "2024-07-31",
        "--format",
        "html",
        "-o",
        &out,
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("交通工具购置及更新") && html.contains("9,028,372.00"));
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/report/cli_summary_2024.html");
    jixiao_testkit::check(&golden, &html);
    // A unit that has none, one project, a department.
    y.refused(
        &[
            "report",
            "summary",
            "--year",
            "2024",
            "--unit",
            "无此单位",
            "--format",
            "html",
            "-o",
            &out,
        ],
        "无此单位",
    );
    let one = y.file("one.html");
    y.ok(&[
        "report",
        "summary",
        "--year",
        "2024",
        "--project",
        "交通工具购置及更新",
        "--department",
        "上海市生态环境局",
        "--format",
        "html",
        "-o",
        &one,
    ]);
    let one = std::fs::read_to_string(&one).unwrap();
    assert!(one.contains("交通工具购置及更新") && !one.contains("减污降碳工作专项经费"));
}

#[test]
fn what_cannot_be_written_is_refused_with_a_reason() {
    let y = Year::new("refused");
    let out = y.file("x.pdf");
    // Without the Chinese fonts: said before the database is even looked for (exit 3, the
    // machine's), naming the package; nothing written.
    let out2 = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "report",
            "summary",
            "--year",
            "2024",
            "--format",
            "pdf",
            "-o",
            &out,
            "--db",
            &y.file("none/missing.db"),
        ])
        .env("JIXIAO_FONT_DIR", y.file("no-fonts"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out2.stderr);
    assert_eq!(out2.status.code(), Some(3), "{err}");
    assert!(
        err.contains("找不到中文字体") && err.contains("fonts-noto-cjk"),
        "{err}"
    );
    assert!(!Path::new(&out).exists(), "nothing written");
    y.refused(
        &[
            "report",
            "monitoring",
            "--year",
            "2024",
            "--format",
            "xlsx",
            "-o",
            &out,
        ],
        "--as-of",
    );
    y.refused(
        &[
            "report",
            "self-eval",
            "--year",
            "2024",
            "--format",
            "html",
            "-o",
            &out,
        ],
        "HTML",
    );
    y.refused(
        &[
            "report",
            "self-eval",
            "--year",
            "2023",
            "--format",
            "xlsx",
            "-o",
            &out,
        ],
        "2023",
    );
}

/// `jixiao report summary --format text` prints the summary and its cost per output (成本预算绩效):
/// 交通工具购置及更新 has no sub-tasks, so 360,000.00 元 ÷ 15000 公里; the shared funds and the
/// rounding are said. Another report in text, and a file format without `-o`, are refused.
#[test]
fn the_summary_in_text_shows_the_cost_per_output() {
    let y = Year::new("text");
    let out = y.ok(&["report", "summary", "--year", "2024", "--format", "text"]);
    assert!(out.contains("项目绩效目标汇总表（2024年度"), "{out}");
    assert!(out.contains("成本预算绩效：单位产出成本"), "{out}");
    assert!(
        out.contains("行驶公里数：360,000.00 元 ÷ 15000.00 公里 = 24.00 元/公里"),
        "{out}"
    );
    assert!(out.contains("按 11 个子任务平均分摊"), "{out}");
    assert!(out.contains("四舍五入到分"), "{out}");
    let en = y.ok(&[
        "--lang", "en", "report", "summary", "--year", "2024", "--format", "text",
    ]);
    assert!(en.contains("Cost per output"), "{en}");
    y.refused(
        &["report", "self-eval", "--year", "2024", "--format", "text"],
        "summary",
    );
    y.refused(
        &["report", "summary", "--year", "2024", "--format", "xlsx"],
        "--output",
    );
}
