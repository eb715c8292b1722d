//! The PDFs of the seed, read back with an independent reader: poppler's `pdftotext` and
//! `pdfinfo` (Debian `poppler-utils`, installed by `scripts/test.sh`, as is `fonts-noto-cjk`).
//! They find project names, indicator names and amounts as printed on the form
//! (`9,028,372.00`), page numbers, and the table header on every page a table runs over.

use std::path::{Path, PathBuf};
use std::process::Command;

use jixiao_evaluate::{
    evaluate, monitor, parse_actual_rows, parse_spending_rows, EvaluateOptions, MonitorOptions,
    Policy, Row, SelfEvaluation,
};
use jixiao_model::{Decimal, Form, Grade, NaiveDate, Status};
use jixiao_pdf::{Fonts, PdfError};
use jixiao_report::{
    FindingCounts, IndicatorCounts, MonitoredProject, RectificationCounts, SummaryRow, UnitSummary,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed() -> Form {
    let bytes = std::fs::read(repo().join("tests/data/seed_2024_shanghai.txt")).unwrap();
    jixiao_form::read_form("seed", &bytes).unwrap().form
}

fn rows(name: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(repo().join("tests/data/actuals").join(name)).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, l)| Row {
            line: i as u32 + 1,
            cells: l.split(',').map(str::to_string).collect(),
        })
        .collect()
}

fn fonts() -> Fonts {
    Fonts::system().unwrap_or_else(|e| panic!("{e} (scripts/test.sh installs fonts-noto-cjk)"))
}

/// The 自评表 and the monitored 监控表 (as of 2024-07-31) of the first declaration of `form`,
/// with the actual values and spending of `tests/data/actuals/{actuals}` and `{spending}`.
fn evaluated(form: &Form, actuals: &str, spending: &str) -> (SelfEvaluation, MonitoredProject) {
    let policy = Policy::builtin();
    let obs: Vec<_> = parse_actual_rows(&rows(actuals), &form.projects, &policy)
        .unwrap()
        .into_iter()
        .map(|a| a.observation)
        .collect();
    let spend: Vec<_> = parse_spending_rows(&rows(spending), &form.projects)
        .unwrap()
        .into_iter()
        .map(|s| s.record)
        .collect();
    let p = &form.projects[0];
    let e = evaluate(p, &obs, &spend, &policy, &EvaluateOptions::default()).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
    let m = monitor(p, &obs, &spend, as_of, &policy, &MonitorOptions::default()).unwrap();
    (
        e,
        MonitoredProject {
            project: p.clone(),
            monitoring: m,
            spending: spend,
        },
    )
}

/// The 自评表 and the monitored 监控表 (as of 2024-07-31) of the seed's first project.
fn transport(form: &Form) -> (SelfEvaluation, MonitoredProject) {
    evaluated(form, "transport_2024.csv", "transport_2024_spending.csv")
}

/// Writes `pdf` to a scratch file and returns (its text page by page, its page count).
fn read_back(name: &str, pdf: &[u8]) -> (Vec<String>, usize) {
    assert!(pdf.starts_with(b"%PDF-"), "{name}: not a PDF");
    let dir = std::env::temp_dir().join(format!("jixiao-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; scripts/test.sh installs it)");
    assert!(out.status.success(), "pdftotext failed on {name}");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let count = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"));
    assert_eq!(pages.len(), count, "{name}: pages of text vs pdfinfo");
    (pages, count)
}

/// pdftotext (`-raw`: content-stream order, cell by cell) breaks a wrapped cell into lines and
/// puts spaces between CJK and Latin text; compare without
/// any white space.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_has(all: &str, what: &str, doc: &str) {
    assert!(
        squash(all).contains(&squash(what)),
        "{doc}: {what:?} not found in the PDF text"
    );
}

#[test]
fn the_seed_declarations_as_the_unit_huizongbiao() {
    let form = seed();
    let pdf = jixiao_pdf::declarations_pdf(&form, &fonts()).unwrap();
    let (pages, count) = read_back("declarations.pdf", &pdf);
    let all = pages.join("\n");
    assert!(count > 2, "two declarations, 93 indicators: {count} pages");
    for p in &form.projects {
        assert_has(&all, &p.name, "申报表");
        assert_has(&all, &p.unit, "申报表");
        for i in &p.indicators {
            assert_has(&all, &i.name, "申报表");
        }
    }
    assert_has(&all, "9,028,372.00", "申报表");
    assert_has(&all, "2024年1月1日", "申报表");
    // Page numbers on every page.
    for (k, page) in pages.iter().enumerate() {
        assert_has(page, &format!("第 {} 页 / 共 {count} 页", k + 1), "申报表");
    }
    // The second declaration (87 indicators) runs over several pages, and every page its
    // indicator table reaches repeats the table's header.
    let second = &form.projects[1];
    let first_page = pages
        .iter()
        .position(|p| squash(p).contains(&squash(&second.name)))
        .unwrap();
    let last_page = pages
        .iter()
        .rposition(|p| {
            second
                .indicators
                .iter()
                .any(|i| squash(p).contains(&squash(&i.name)))
        })
        .unwrap();
    assert!(last_page > first_page + 1, "{first_page}..{last_page}");
    for page in &pages[first_page + 1..=last_page] {
        assert_has(
            page,
            "一级指标二级指标三级指标年度指标值",
            "repeated header",
        );
    }
}

#[test]
fn the_self_evaluation_and_the_monitoring_of_the_transport_project() {
    let form = seed();
    let (e, m) = transport(&form);
    let fonts = fonts();
    let pdf = jixiao_pdf::self_evaluation_pdf(std::slice::from_ref(&e), &fonts).unwrap();
    let (pages, _) = read_back("self-eval.pdf", &pdf);
    let all = pages.join("\n");
    assert_has(&all, "项目支出绩效自评表", "自评表");
    assert_has(&all, &e.project, "自评表");
    for i in &e.indicators {
        assert_has(&all, &i.name, "自评表");
    }
    assert_has(
        &all,
        &jixiao_model::present::amount(e.budget.annual),
        "自评表",
    );
    assert_has(&all, &jixiao_model::present::decimal(e.total), "自评表");
    assert_has(&all, e.grade.zh(), "自评表");

    let pdf = jixiao_pdf::monitoring_pdf(std::slice::from_ref(&m), &fonts).unwrap();
    let (pages, _) = read_back("monitoring.pdf", &pdf);
    let all = pages.join("\n");
    assert_has(&all, "项目支出绩效运行监控表", "监控表");
    assert_has(&all, "2024年7月31日", "监控表");
    assert_has(
        &all,
        &jixiao_model::present::amount(m.monitoring.budget.spent),
        "监控表",
    );
    for i in &m.monitoring.indicators {
        assert_has(&all, &i.name, "监控表");
    }
}

/// The signature/stamp block the forms end with, read back from each form's last page.
const SIGNATURE: [&str; 5] = [
    "单位负责人",
    "填报人",
    "联系电话",
    "填报日期",
    "单位（盖章）",
];

fn assert_signed(pages: &[String], forms: usize, doc: &str) {
    let last = pages.last().expect("a page");
    for label in SIGNATURE {
        assert_has(last, label, doc);
    }
    let all = squash(&pages.join("\n"));
    assert_eq!(
        all.matches("单位（盖章）").count(),
        forms,
        "{doc}: one block per form"
    );
    assert_eq!(
        all.matches("单位负责人").count(),
        forms,
        "{doc}: one block per form"
    );
}

#[test]
fn every_form_ends_with_the_signature_and_stamp_block() {
    let form = seed();
    let fonts = fonts();
    let pdf = jixiao_pdf::declarations_pdf(&form, &fonts).unwrap();
    let (pages, _) = read_back("declarations.pdf", &pdf);
    assert_signed(&pages, form.projects.len(), "申报表");
    let (e, m) = transport(&form);
    let pdf = jixiao_pdf::self_evaluation_pdf(std::slice::from_ref(&e), &fonts).unwrap();
    let (pages, _) = read_back("self-eval.pdf", &pdf);
    assert_signed(&pages, 1, "自评表");
    let pdf = jixiao_pdf::monitoring_pdf(std::slice::from_ref(&m), &fonts).unwrap();
    let (pages, _) = read_back("monitoring.pdf", &pdf);
    assert_signed(&pages, 1, "监控表");
}

fn row(k: usize, name: &str) -> SummaryRow {
    SummaryRow {
        name: name.to_string(),
        unit: format!("第{}单位", k % 3),
        department: Some("上海市生态环境局".into()),
        funds: Decimal::new(902_837_200 + k as i64, 2),
        indicators: IndicatorCounts {
            output: 3,
            cost: 1,
            benefit: 2,
            satisfaction: 1,
        },
        review_grade: Grade::Good,
        findings: FindingCounts {
            errors: 0,
            warnings: 2,
            infos: 1,
        },
        status: Status::Submitted,
        light: None,
        score: Some(Decimal::new(9150, 2)),
        grade: Some(Grade::Excellent),
        score_state: Some(jixiao_evaluate::ScoreState::Scored),
        department_wide: false,
        rectifications: Some(RectificationCounts {
            open: 1,
            overdue: (k % 2) as u32,
            done: 2,
        }),
    }
}

#[test]
fn a_long_summary_repeats_its_header_and_rolls_up_by_unit() {
    let s = UnitSummary {
        year: 2024,
        scope: "上海市生态环境局".into(),
        as_of: None,
        rows: (0..120).map(|k| row(k, &format!("项目{k:03}"))).collect(),
        rectifications_on: NaiveDate::from_ymd_opt(2024, 8, 15),
        costs: jixiao_evaluate::cost_report(&seed().projects),
    };
    assert!(
        !s.costs.items.is_empty(),
        "the seed has outputs with a cost"
    );
    let pdf = jixiao_pdf::summary_pdf(&s, &fonts()).unwrap();
    let (pages, count) = read_back("summary.pdf", &pdf);
    assert!(count > 1, "{count}");
    // Every page of the table repeats its header (the cost section comes after it).
    let table: Vec<&String> = pages
        .iter()
        .take_while(|p| !p.contains("单位产出成本（成本预算绩效）"))
        .collect();
    assert!(table.len() > 1, "{}", table.len());
    for page in table {
        assert_has(page, "三级指标数", "汇总表 header");
        assert_has(page, "项目名称", "汇总表 header");
    }
    let all = pages.join("\n");
    assert_has(&all, "9,028,372.00", "汇总表");
    assert_has(&all, "项目119", "汇总表");
    assert_has(&all, "按实施单位汇总", "roll-up");
    // 合计: 120 rows of 9,028,372.00 plus 0 + 1 + … + 119 fen.
    assert_has(&all, "1,083,404,711.40", "合计");
    // 整改 on the day, per declaration and summed: 120 open, 60 of them overdue, 240 done.
    assert_has(&all, "整改（截至2024", "整改 heading");
    assert_has(&all, "其中逾期", "roll-up's 整改");
    let totals: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("1,083,404,711.40"))
        .collect();
    assert_eq!(totals.len(), 2, "{totals:?}");
    for t in totals {
        assert!(t.trim_end().ends_with(" 120 60 240"), "{t}");
    }
    // Then cost per output: each figure with its unit, how it was rounded.
    assert_has(&all, "单位产出成本（成本预算绩效）", "cost per output");
    let first = &s.costs.items[0];
    assert_has(&all, &first.per(), "cost per output's unit");
    assert_has(&all, "四舍五入到分", "rounding");
}

#[test]
fn names_with_typst_syntax_are_printed_as_written() {
    let name = r#"测试#项目 $x^2$ *粗* _斜_ [链接] \反斜杠 "引号" <标签> @引用 // 注释 /* 块 */ #let x = 1"#;
    let markup = jixiao_pdf::summary_markup(&UnitSummary {
        year: 2024,
        scope: "#单位[1]".into(),
        as_of: None,
        rows: vec![row(0, name)],
        rectifications_on: None,
        costs: Default::default(),
    });
    // Only as a string literal.
    assert!(markup.contains(r#""测试#项目 $x^2$ *粗* _斜_ [链接] \\反斜杠 \"引号\" <标签> @引用 // 注释 /* 块 */ #let x = 1""#));
    let mut form = seed();
    form.projects.truncate(1);
    form.projects[0].name = name.to_string();
    form.projects[0].indicators[0].name = "指标 #1 $ * [a] \\".into();
    form.projects[0].annual_goal = "目标\n第二行 = #strong[不是粗体]".into();
    let pdf = jixiao_pdf::declarations_pdf(&form, &fonts()).unwrap();
    let (pages, _) = read_back("escaped.pdf", &pdf);
    let all = pages.join("\n");
    assert_has(&all, name, "escaped name");
    assert_has(&all, "指标 #1 $ * [a] \\", "escaped indicator");
    assert_has(&all, "#strong[不是粗体]", "escaped goal");
}

#[test]
fn a_missing_font_names_the_package() {
    let empty = std::env::temp_dir().join(format!("jixiao-nofonts-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let e = Fonts::find_in(std::slice::from_ref(&empty)).unwrap_err();
    assert!(matches!(e, PdfError::FontMissing { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("fonts-noto-cjk") && text.contains("找不到中文字体"),
        "{text}"
    );
    assert!(text.contains(&empty.display().to_string()), "{text}");
    let e = Fonts::from_bytes(vec![b"not a font".to_vec()]).unwrap_err();
    assert!(matches!(e, PdfError::Font { .. }), "{e:?}");
    assert!(Path::new("/").exists());
}

fn without_lines(mut form: Form) -> Form {
    for p in &mut form.projects {
        for i in &mut p.indicators {
            i.line = None;
        }
    }
    form
}

/// The first line where the two forms' canonical JSON differ.
fn first_difference(a: &Form, b: &Form) -> String {
    let a = jixiao_form::json::to_string(a);
    let b = jixiao_form::json::to_string(b);
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n  pdf:  {x}\n  seed: {y}", i + 1))
        .unwrap_or_else(|| "(one is a prefix of the other)".to_string())
}

/// The exported PDF reads back (jixiao's own PDF reader, `jixiao_form::read_form`) to the
/// form it was written from, source lines aside: the unit's 汇总表 of both seed declarations,
/// and each declaration alone.
#[test]
fn the_exported_declarations_read_back_to_the_seed() {
    let seed = seed();
    let fonts = fonts();
    let mut forms = vec![seed.clone()];
    for p in &seed.projects {
        forms.push(Form::new(vec![p.clone()]));
    }
    for (k, form) in forms.iter().enumerate() {
        let pdf = jixiao_pdf::declarations_pdf(form, &fonts).unwrap();
        let name = format!("readback-{k}.pdf");
        let parsed = jixiao_form::read_form(&name, &pdf).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.format, jixiao_form::Format::Pdf);
        // Only notes (the pages read); a warning would be a value read other than written.
        for d in &parsed.diagnostics {
            assert_eq!(
                d.level,
                jixiao_form::diag::Level::Note,
                "{}",
                d.render(&name)
            );
        }
        let (back, want) = (without_lines(parsed.form), without_lines(form.clone()));
        assert!(
            back == want,
            "{name} does not read back:\n{}",
            first_difference(&back, &want)
        );
    }
}

/// The department-wide declaration `tests/data/report/department_2024.json`, its 自评表 and its
/// 监控表 as of 2024-07-31 (with `tests/data/actuals/department_2024*.csv`).
fn department() -> (Form, SelfEvaluation, MonitoredProject) {
    let text =
        std::fs::read_to_string(repo().join("tests/data/report/department_2024.json")).unwrap();
    let form = jixiao_form::json::from_str(&text).unwrap();
    let (e, m) = evaluated(&form, "department_2024.csv", "department_2024_spending.csv");
    (form, e, m)
}

#[test]
fn department_wide_forms_have_their_own_layout() {
    let (form, e, m) = department();
    let fonts = fonts();
    let declaration = jixiao_pdf::declarations_pdf(&form, &fonts).unwrap();
    let self_eval = jixiao_pdf::self_evaluation_pdf(std::slice::from_ref(&e), &fonts).unwrap();
    let monitoring = jixiao_pdf::monitoring_pdf(std::slice::from_ref(&m), &fonts).unwrap();
    let mut names: Vec<&str> = form.projects[0]
        .indicators
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    names.extend([
        "部门整体支出绩效目标申报表",
        "部门（单位）名称",
        "上海市减污降碳管理运行技术中心",
        "部门总体资金情况(元)",
        "收入构成",
        "支出构成",
        "7,300,000.00",
        "2,500,000.00",
        "9,800,000.00",
        "部门职能概述",
        "年度主要任务",
        "减污降碳技术支撑",
        "1,500,000.00",
        "金额合计",
        "年度绩效目标",
        "年度绩效指标",
        "是否核心指标",
    ]);
    let docs: [(&str, &[u8], Vec<&str>, &str); 3] = [
        (
            "部门整体申报表",
            &declaration,
            names,
            "财政项目支出绩效目标申报表",
        ),
        (
            "部门整体自评表",
            &self_eval,
            vec![
                "部门整体支出绩效自评表",
                "部门（单位）名称",
                "年度主要任务（元）",
                "未按任务拆分",
                "9,600,000.00",
                "是否核心指标",
                "年度绩效目标",
            ],
            "项目名称",
        ),
        (
            "部门整体监控表",
            &monitoring,
            vec![
                "部门整体支出绩效运行监控表",
                "部门（单位）名称",
                "截至目前执行数",
                "未按任务拆分",
                "5,900,000.00",
                "是否核心指标",
            ],
            "项目名称",
        ),
    ];
    for (doc, pdf, has, not) in docs {
        let (pages, _) = read_back(&format!("{doc}.pdf"), pdf);
        let all = pages.join("\n");
        for what in has {
            assert_has(&all, what, doc);
        }
        assert!(!squash(&all).contains(not), "{doc}: {not} is a project's");
        assert_signed(&pages, 1, doc);
    }
}
