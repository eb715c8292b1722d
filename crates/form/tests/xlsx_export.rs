//! The XLSX export of the seed: its readable dump against the golden file
//! `tests/data/xlsx/seed_2024_shanghai.dump.txt` (the workbook is binary, so the golden is the
//! dump: every cell with its value and format, merged ranges as `A1:F1`), and the round trip
//! seed → XLSX → `read_form` → the same canonical JSON, for the whole 汇总表 and for each
//! declaration alone.
//!
//! Rewrite the golden with `UPDATE_EXPECT=1 cargo test -p jixiao-form --test xlsx_export`,
//! then review the diff.

use std::path::{Path, PathBuf};

use jixiao_form::{form_to_xlsx, json, read_form, xlsx_write::form_to_xlsx_dump};
use jixiao_model::Form;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

fn seed() -> Form {
    let bytes = std::fs::read(data_dir().join("seed_2024_shanghai.txt")).unwrap();
    read_form("seed_2024_shanghai.txt", &bytes)
        .unwrap_or_else(|e| panic!("{e}"))
        .form
}

/// Canonical JSON without source lines (a text line and an Excel row differ).
fn canonical(form: &Form) -> String {
    let mut f = form.clone();
    for p in &mut f.projects {
        for i in &mut p.indicators {
            i.line = None;
        }
    }
    json::to_string(&f)
}

#[test]
fn the_seed_dump_matches_its_golden() {
    let actual = form_to_xlsx_dump(&seed()).unwrap();
    let path = data_dir().join("xlsx/seed_2024_shanghai.dump.txt");
    jixiao_testkit::check(&path, &actual);
}

#[test]
fn the_seed_summary_round_trips_through_xlsx() {
    let f = seed();
    assert_eq!(f.projects.len(), 2);
    let parsed =
        read_form("seed.xlsx", &form_to_xlsx(&f).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.format, jixiao_form::Format::Xlsx);
    assert_eq!(canonical(&parsed.form), canonical(&f));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    // Lines are Excel rows: the first indicator of the first declaration is on row 15.
    assert_eq!(parsed.form.projects[0].indicators[0].line, Some(15));
}

#[test]
fn each_seed_declaration_round_trips_alone() {
    let f = seed();
    for p in &f.projects {
        let one = Form::new(vec![p.clone()]);
        let bytes = form_to_xlsx(&one).unwrap();
        let parsed = read_form("one.xlsx", &bytes).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert_eq!(canonical(&parsed.form), canonical(&one), "{}", p.name);
    }
}

#[test]
fn the_summary_title_and_amounts_show_as_on_the_form() {
    let dump = form_to_xlsx_dump(&seed()).unwrap();
    assert!(dump.contains(
        "汇总表!A1:F1 = \"上海市减污降碳管理运行技术中心2024年度项目绩效目标汇总表\" [title]"
    ));
    assert!(dump.contains("= 9028372 [#,##0.00]"), "{dump}");
    assert!(
        dump.contains(r#"= 2024-01-01 [yyyy"年"m"月"d"日"]"#),
        "{dump}"
    );
}

/// The department-wide declaration of `tests/data/report/department_2024.json`.
fn department() -> Form {
    let text = std::fs::read_to_string(data_dir().join("report/department_2024.json")).unwrap();
    json::from_str(&text).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn the_department_dump_matches_its_golden() {
    let f = department();
    assert!(f.projects[0].is_department_wide());
    let dump = form_to_xlsx_dump(&f).unwrap();
    jixiao_testkit::check(&data_dir().join("xlsx/department_2024.dump.txt"), &dump);
    // The official 部门整体支出绩效目标申报表 layout, seven columns wide.
    for line in [
        "申报表!A1:G1 = \"部门整体支出绩效目标申报表\" [form-title]",
        "申报表!A3 = \"部门（单位）名称\" [label]",
        "申报表!B3:G3 = \"上海市减污降碳管理运行技术中心\" [text]",
        "申报表!B5:B7 = \"收入构成\" [label]",
        "申报表!E5:E7 = \"支出构成\" [label]",
        "申报表!D7 = 9800000 [#,##0.00]",
        "申报表!G7 = 9800000 [#,##0.00]",
        "申报表!A8 = \"部门职能概述\" [label]",
        "申报表!E9:G9 = \"预算金额(元)\" [label]",
        "申报表!B14:D14 = \"金额合计\" [label]",
        "申报表!E14 = 9800000 [#,##0.00]",
        "申报表!A15 = \"年度绩效目标\" [label]",
        "申报表!G16 = \"是否核心指标\" [label]",
        "申报表!G17 = \"是\" [category]",
    ] {
        assert!(dump.contains(line), "{line} not in:\n{dump}");
    }
    // A project's sheet stays six columns wide (its golden above is unchanged).
    assert!(!form_to_xlsx_dump(&seed()).unwrap().contains(" G="));
}

/// Read back by jixiao's own reader: the same declaration once the reader knows the
/// 部门整体 template (the department reader, in `recognize*`); until then refused with
/// positioned errors (the project reader finds no 计划完成日期, 年度资金申请总额 …), never read
/// as something else.
#[test]
fn the_department_declaration_reads_back_as_written() {
    let f = department();
    let bytes = form_to_xlsx(&f).unwrap();
    let parsed = read_form("department.xlsx", &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(canonical(&parsed.form), canonical(&f));
}
