//! The corpus of real published forms (`tests/data/wild/forms`, where each came from in
//! `tests/data/wild/SOURCES.md`): `jixiao check --keep-going` over the folder must give the
//! golden corpus report `tests/data/wild/report.json` — which files read, and for each refused
//! one the reason and the position. A change in any outcome shows here as a diff to review.
//!
//! Rewrite with `UPDATE_EXPECT=1 cargo test -p jixiao-cli --test wild`, then review the diff
//! against SOURCES.md (the expected outcome of each file is written there).

use std::path::Path;
use std::process::Command;

#[test]
fn wild_corpus_report_is_golden() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "check",
            "--keep-going",
            "tests/data/wild/forms",
            "--format",
            "json",
        ])
        .current_dir(&root)
        .env_remove("JIXIAO_POLICY")
        .env_remove("JIXIAO_DB")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let files = json["files"].as_array().unwrap();
    let sources = std::fs::read_to_string(root.join("tests/data/wild/SOURCES.md")).unwrap();
    for f in files {
        let name = f["file"].as_str().unwrap().rsplit('/').next().unwrap();
        assert!(sources.contains(name), "{name} is not in SOURCES.md");
        // No refusal of a real form may be the generic "no 项目名称" when its text holds one.
        let msg = f["error"]["message_zh"].as_str().unwrap_or("");
        let text = std::fs::read_to_string(root.join("tests/data/wild/forms").join(name)).unwrap();
        if text.contains("项目名称") {
            assert!(!msg.contains("缺少「项目名称」等表头"), "{name}: {msg}");
        }
    }
    // Exit status 2: some file could not be read (all of them, today).
    assert_eq!(out.status.code(), Some(2));
    let pretty = serde_json::to_string_pretty(&json).unwrap() + "\n";
    jixiao_testkit::check(&root.join("tests/data/wild/report.json"), &pretty);
}

/// The complete forms that read, each to its golden JSON beside the corpus report
/// (`tests/data/wild/<name>.json`: the form as canonical JSON, what the reader said, and for a
/// 自评表 what it states). Every number in them was checked by hand against the text
/// (SOURCES.md says so per file). 井研县's table of many projects is cut in its second project:
/// its golden holds the one whole project and the warning that names the cut one.
const COMPLETE: [&str; 4] = [
    "hubei_wuhan_qingshan_2020_project_targets.txt",
    "sichuan_meishan_qingshen_2023_self_eval.txt",
    "hunan_xiangtan_2023_project_application.txt",
    "sichuan_leshan_jingyan_2023_project_applications_cut.txt",
];

fn stated<T: serde::Serialize>(s: &Option<jixiao_form::self_eval::Stated<T>>) -> serde_json::Value {
    s.as_ref().map_or(
        serde_json::Value::Null,
        |s| serde_json::json!({"value": s.value, "line": s.line, "column": s.column}),
    )
}

fn sheet_json(s: &jixiao_form::self_eval::SelfEvalSheet) -> serde_json::Value {
    let b = &s.budget;
    serde_json::json!({
        "line": s.line,
        "scheme": s.scheme,
        "points": {"budget": s.points.budget, "indicators": s.points.indicators},
        "budget": {
            "initial": stated(&b.initial),
            "annual": stated(&b.annual),
            "spent": stated(&b.spent),
            "weight": stated(&b.weight),
            "rate": stated(&b.rate),
            "score": stated(&b.score),
        },
        "achieved": s.achieved,
        "indicators": s.indicators.iter().map(|i| serde_json::json!({
            "code": i.code,
            "name": i.name,
            "line": i.line,
            "actual": stated(&i.actual),
            "weight": stated(&i.weight),
            "score": stated(&i.score),
            "deviation_reason": i.deviation_reason,
        })).collect::<Vec<_>>(),
        "total": stated(&s.total),
    })
}

#[test]
fn complete_forms_read_to_their_golden_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for name in COMPLETE {
        let rel = format!("tests/data/wild/forms/{name}");
        let bytes = std::fs::read(root.join(&rel)).unwrap();
        let parsed = jixiao_form::read_form(&rel, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let form: serde_json::Value =
            serde_json::from_str(&jixiao_form::json::to_string(&parsed.form)).unwrap();
        let said: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| d.render_lang(&rel, false))
            .collect();
        let out = serde_json::json!({
            "file": rel,
            "form": form,
            "self_evaluations": parsed.self_evaluations.iter().map(sheet_json).collect::<Vec<_>>(),
            "diagnostics": said,
        });
        let pretty = serde_json::to_string_pretty(&out).unwrap() + "\n";
        let golden = root
            .join("tests/data/wild")
            .join(Path::new(name).with_extension("json"));
        jixiao_testkit::check(&golden, &pretty);
    }
}

/// 黄石市's 2022 自评表 (Hubei: 预算执行情况 20分 = 20 × 执行率, 年度绩效目标 80分) is cut after
/// its table, so the file is refused; its table (lines 1–19, whole) reads, names the Hubei
/// scheme, and jixiao's score of the budget row under that scheme is the printed one
/// (20 × 195.5 / 200 = 19.55); its 80 points go 10 to each of the 8 indicators, as printed.
#[test]
fn the_hubei_table_is_scored_under_the_hubei_scheme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(
        root.join("tests/data/wild/forms/hubei_huangshi_2022_self_eval_cut.txt"),
    )
    .unwrap();
    let head: String = text.lines().take(19).map(|l| format!("{l}\n")).collect();
    let parsed = jixiao_form::read_form("huangshi_table.txt", head.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let sheet = &parsed.self_evaluations[0];
    assert_eq!(sheet.scheme.as_deref(), Some("hubei"));
    let dec = |s: &str| s.parse::<jixiao_model::Decimal>().unwrap();
    assert_eq!(sheet.points.budget, Some(dec("20")));
    assert_eq!(sheet.points.indicators, Some(dec("80")));
    assert_eq!(
        sheet.budget.annual.as_ref().unwrap().value,
        dec("2000000.00")
    );
    assert_eq!(
        sheet.budget.spent.as_ref().unwrap().value,
        dec("1955000.00")
    );
    assert_eq!(sheet.total.as_ref().unwrap().value, dec("99.55"));
    let scheme = jixiao_evaluate::Scheme::by_id("hubei").unwrap();
    let policy = scheme.apply(&jixiao_evaluate::Policy::builtin());
    let opts = jixiao_evaluate::EvaluateOptions {
        budget: sheet.budget.annual.as_ref().map(|a| a.value),
        ..Default::default()
    };
    // The table prints 得分 only (no 分值): the scheme shares its 80 points equally.
    assert!(sheet.indicators.iter().all(|s| s.weight.is_none()));
    let spent = jixiao_model::SpendingRecord {
        date: jixiao_model::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap(),
        amount: sheet.budget.spent.as_ref().unwrap().value,
        voucher: None,
        note: None,
    };
    let e = jixiao_evaluate::evaluate(
        &sheet.project,
        &[],
        std::slice::from_ref(&spent),
        &policy,
        &opts,
    )
    .unwrap();
    assert_eq!(e.budget.weight, dec("20.00"));
    assert_eq!(e.budget.execution_rate, dec("97.75"));
    assert_eq!(
        Some(e.budget.score),
        sheet.budget.score.as_ref().map(|s| s.value)
    );
    assert_eq!(e.indicators.len(), 8);
    assert!(e.indicators.iter().all(|i| i.weight == dec("10.00")));
    // Under the national scheme the budget row is worth 10: 9.78, not the printed 19.55.
    let central = jixiao_evaluate::evaluate(
        &sheet.project,
        &[],
        std::slice::from_ref(&spent),
        &jixiao_evaluate::Policy::builtin(),
        &opts,
    )
    .unwrap();
    assert_eq!(central.budget.score, dec("9.78"));
}

/// 东莞's 2019 批复表 is cut in its indicator table (line 27), so the file is refused there; its
/// lines 1–26 read: the 年度 indicator values (the 计划指标值（或计划水平） column) are the
/// targets, and the 中期 group beside them (二级 / 三级 / 指标值（或计划水平）) is named in a note,
/// never dropped silently. Every value checked by hand against the text.
#[test]
fn the_dongguan_table_reads_its_annual_values_and_names_the_midterm_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(
        root.join("tests/data/wild/forms/guangdong_dongguan_2019_approval_cut.txt"),
    )
    .unwrap();
    let head: String = text.lines().take(26).map(|l| format!("{l}\n")).collect();
    let parsed = jixiao_form::read_form("dongguan_table.txt", head.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let p = &parsed.form.projects[0];
    assert_eq!(p.name, "镇际联网路升级改造工程一期");
    assert_eq!(p.unit, "东莞市交通运输局");
    assert_eq!(p.funds.total.to_string(), "9190000.00");
    assert_eq!(
        p.project_funds.as_ref().map(|f| f.total.to_string()),
        Some("2845000000.00".to_string())
    );
    assert!(
        p.annual_goal.starts_with("督促勘察设计单位"),
        "{}",
        p.annual_goal
    );
    assert!(
        p.overall_goal.starts_with("新建或改造道路"),
        "{}",
        p.overall_goal
    );
    let read: Vec<(&str, &str, Option<u32>)> = p
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.raw.as_str(), i.line))
        .collect();
    assert_eq!(
        read,
        [
            ("镇街补助款完成结算项目数", "3", Some(22)),
            ("补助款结算误差率", "±3%以内", Some(23)),
            ("结算款支付及时性", "及时", Some(24)),
            ("年度预算执行率", "≥90%", Some(25)),
            ("补助款结算争议率", "0%", Some(26)),
        ]
    );
    let midterm: Vec<&jixiao_form::Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.zh.contains("中期指标"))
        .collect();
    assert_eq!(midterm.len(), 1, "{:?}", parsed.diagnostics);
    assert_eq!(midterm[0].line, 22);
    assert!(midterm[0].zh.contains("15 个单元格"), "{}", midterm[0].zh);
    assert!(
        midterm[0].zh.contains("计划指标值(或计划水平)"),
        "{}",
        midterm[0].zh
    );
    // The whole file is refused at its cut.
    let bytes = text.as_bytes();
    let e = jixiao_form::read_form("dongguan.txt", bytes).unwrap_err();
    assert_eq!(e.diagnostics[0].line, 27);
}
