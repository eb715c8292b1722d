//! The reports of the seed's first project (交通工具购置及更新, with the actuals and spending of
//! `tests/data/actuals/`) and the seed's 汇总表: golden dumps under `tests/data/report/`
//! (`UPDATE_EXPECT=1 cargo test -p jixiao-report` rewrites them), and every workbook opened by
//! an independent reader (Python's openpyxl, `tests/xlsx/openpyxl_report.py`).

use std::path::PathBuf;

use jixiao_evaluate::{
    evaluate, monitor, parse_actual_rows, parse_spending_rows, EvaluateOptions, Light,
    MonitorOptions, Monitoring, Policy, Row, SelfEvaluation,
};
use jixiao_model::{Decimal, Form, Lang, NaiveDate, Status};

use super::*;
use crate::sheet::Put;
use jixiao_form::xlsx_cells::cell_name;
use jixiao_form::xlsx_cells::CellStyle as _;

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

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The 自评表 and the 监控表 (as of 2024-07-31) of the first declaration of `form`, with the
/// actual values and spending of `tests/data/actuals/{actuals}` and `{spending}`.
fn evaluated(form: &Form, actuals: &str, spending: &str) -> (SelfEvaluation, Monitoring) {
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
    let m = monitor(
        p,
        &obs,
        &spend,
        date(2024, 7, 31),
        &policy,
        &MonitorOptions::default(),
    )
    .unwrap();
    (e, m)
}

/// The seed, and the 自评表 and the 监控表 (as of 2024-07-31) of its first project.
fn transport() -> (Form, SelfEvaluation, Monitoring) {
    let form = seed();
    let (e, m) = evaluated(&form, "transport_2024.csv", "transport_2024_spending.csv");
    (form, e, m)
}

fn seed_summary() -> UnitSummary {
    let (form, e, m) = transport();
    let policy = jixiao_review::Policy::builtin("central").unwrap();
    let review = jixiao_review::review(&form, &policy);
    let rows = form
        .projects
        .iter()
        .zip(&review.projects)
        .enumerate()
        .map(|(k, (p, r))| {
            let (m, e) = if k == 0 {
                (Some(&m), Some(&e))
            } else {
                (None, None)
            };
            let status = if k == 0 {
                Status::Submitted
            } else {
                Status::Draft
            };
            let mut row = SummaryRow::new(p, status, r, m, e);
            // 整改 on the day: two not completed (one of them overdue) and one completed on
            // the first declaration, none on the second.
            row.rectifications = Some(if k == 0 {
                RectificationCounts {
                    open: 2,
                    overdue: 1,
                    done: 1,
                }
            } else {
                RectificationCounts::default()
            });
            row
        })
        .collect();
    UnitSummary {
        year: 2024,
        scope: form.projects[0].unit.clone(),
        as_of: Some(date(2024, 7, 31)),
        rows,
        rectifications_on: Some(date(2024, 8, 15)),
        costs: jixiao_evaluate::cost_report(&form.projects),
    }
}

/// Compares `actual` with a golden file under `tests/data/report/`; `UPDATE_EXPECT=1` rewrites it.
fn check(name: &str, actual: &str) {
    jixiao_testkit::check(&repo().join("tests/data/report").join(name), actual);
}

#[test]
fn golden_dumps_and_html() {
    let (_, e, m) = transport();
    check(
        "self_eval_transport_2024.txt",
        &self_evaluation_dump(std::slice::from_ref(&e)),
    );
    check(
        "monitoring_transport_2024-07-31.txt",
        &monitoring_dump(std::slice::from_ref(&m)),
    );
    let s = seed_summary();
    check("summary_seed_2024.txt", &summary_dump(&s));
    check("summary_seed_2024.html", &summary_html(&s, Lang::Zh));
    check(
        "summary_rollup_2024.txt",
        &summary_dump(&department_summary()),
    );
}

const SECOND_UNIT: &str = "上海市第二环境监测站";

/// A department's summary: the seed's two declarations in its unit and in a second one,
/// interleaved (A, B, A, B), as a store may list them.
fn department_summary() -> UnitSummary {
    let mut s = seed_summary();
    let rows = std::mem::take(&mut s.rows);
    for r in rows {
        let mut other = r.clone();
        other.unit = SECOND_UNIT.into();
        other.name = format!("{}（二）", r.name);
        s.rows.push(r);
        s.rows.push(other);
    }
    s.scope = "上海市生态环境局".into();
    // The second unit does the same work for a quarter more money: every output is compared
    // across the two units, the second at 125.00% of the first.
    let mut projects = Vec::new();
    for p in seed().projects {
        let mut other = p.clone();
        other.unit = SECOND_UNIT.into();
        other.name = format!("{}（二）", p.name);
        other.funds.total = p.funds.total * Decimal::new(125, 2);
        projects.push(p);
        projects.push(other);
    }
    s.costs = jixiao_evaluate::cost_report(&projects);
    s
}

#[test]
fn openpyxl_reads_the_department_rollup() {
    let s = department_summary();
    let units = s.by_unit();
    assert_eq!(units.len(), 2);
    assert_eq!(units[1].unit, SECOND_UNIT);
    let sheets = summary::sheets(&s);
    assert_eq!(
        sheets.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(),
        ["按实施单位汇总", "汇总表", "单位成本"]
    );
    let Some(seen) = openpyxl(&summary_xlsx(&s).unwrap(), "rollup.xlsx") else {
        return;
    };
    same_as_planned(&sheets, &seen);
    let merged = |sh: &serde_json::Value| -> Vec<String> {
        sh["merged"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    // One row per unit with its totals, then 合计.
    let (r, c) = (&seen["sheets"][0], &seen["sheets"][0]["cells"]);
    for m in ["A1:K1", "A2:K2", "A6:B6"] {
        assert!(merged(r).iter().any(|x| x == m), "{m}: {:?}", merged(r));
    }
    assert_eq!(c["B3"]["v"], "实施单位");
    assert_eq!(c["B4"]["v"], s.rows[0].unit.as_str());
    assert_eq!(c["C4"]["v"].as_f64(), Some(2.0));
    assert_eq!(c["C4"]["fmt"], "0");
    assert_eq!(c["D4"]["v"].as_f64(), Some(9_388_372.0));
    assert_eq!(c["D4"]["fmt"], "#,##0.00");
    assert_eq!(c["E4"]["v"].as_f64(), Some(93.0));
    assert_eq!(c["B5"]["v"], SECOND_UNIT);
    assert_eq!(c["A6"]["v"], "合计");
    assert_eq!(c["C6"]["v"].as_f64(), Some(4.0));
    assert_eq!(c["D6"]["v"].as_f64(), Some(18_776_744.0));
    assert_eq!(r["print_title_rows"], "$3:$3");
    // 整改 per unit (each unit: 2 not completed, 1 of them overdue, 1 completed), then summed.
    assert_eq!(c["I3"]["v"], "未完成整改");
    assert_eq!(c["K3"]["v"], "已完成整改");
    for (cell, n) in [
        ("I4", 2.0),
        ("J4", 1.0),
        ("K4", 1.0),
        ("I5", 2.0),
        ("I6", 4.0),
    ] {
        assert_eq!(c[cell]["v"].as_f64(), Some(n), "{cell}");
    }
    assert_eq!(c["J6"]["v"].as_f64(), Some(2.0));
    assert!(c["A2"]["v"]
        .as_str()
        .unwrap()
        .ends_with("整改截至2024年8月15日"));
    // The declarations grouped by unit, each group with its 小计, then 合计.
    let (g, c) = (&seen["sheets"][1], &seen["sheets"][1]["cells"]);
    for m in [
        "A3:A4", "F3:I3", "R3:T3", "A5:T5", "A8:D8", "A9:T9", "A12:D12", "A13:D13",
    ] {
        assert!(merged(g).iter().any(|x| x == m), "{m}: {:?}", merged(g));
    }
    let unit = &s.rows[0].unit;
    assert_eq!(c["A5"]["v"], format!("实施单位：{unit}（2 项）"));
    assert_eq!(c["B6"]["v"], "交通工具购置及更新");
    assert_eq!(c["B7"]["v"], s.rows[2].name.as_str());
    assert_eq!(c["A7"]["v"].as_f64(), Some(2.0));
    assert_eq!(c["A8"]["v"], "小计");
    assert_eq!(c["E8"]["v"].as_f64(), Some(9_388_372.0));
    assert_eq!(c["E8"]["fmt"], "#,##0.00");
    assert_eq!(c["A9"]["v"], format!("实施单位：{SECOND_UNIT}（2 项）"));
    assert_eq!(c["B10"]["v"], "交通工具购置及更新（二）");
    assert_eq!(c["A10"]["v"].as_f64(), Some(3.0));
    assert_eq!(c["P10"]["v"].as_f64(), Some(93.69));
    assert_eq!(c["A13"]["v"], "合计");
    assert_eq!(c["E13"]["v"].as_f64(), Some(18_776_744.0));
    assert_eq!(g["print_title_rows"], "$3:$4");
    // 整改 per declaration, 小计 per unit, 合计.
    assert_eq!(c["R3"]["v"], "整改（截至2024年8月15日）");
    assert_eq!(c["R6"]["v"].as_f64(), Some(2.0));
    assert_eq!(c["S6"]["v"].as_f64(), Some(1.0));
    assert_eq!(c["R7"]["v"].as_f64(), Some(0.0));
    assert_eq!(c["R8"]["v"].as_f64(), Some(2.0));
    assert_eq!(c["T13"]["v"].as_f64(), Some(2.0));
    // 单位成本: the figures, then the same outputs of the two units compared.
    let (k, c) = (&seen["sheets"][2], &seen["sheets"][2]["cells"]);
    assert_eq!(c["H3"]["v"], "单位产出成本（元）");
    let first = &s.costs.items[0];
    assert_eq!(c["B4"]["v"], first.project.as_str());
    assert_eq!(c["H4"]["v"].as_f64(), Some(24.0));
    assert_eq!(c["H4"]["fmt"], "#,##0.00");
    assert_eq!(c["G4"]["fmt"], "0.00\"公里\"");
    assert_eq!(c["I4"]["v"], "元/公里");
    assert!(!s.costs.comparisons.is_empty());
    let compared = 4 + s.costs.items.len() + 1;
    assert!(
        c[format!("A{compared}")]["v"]
            .as_str()
            .unwrap()
            .starts_with("跨单位比较"),
        "{}",
        c[format!("A{compared}")]
    );
    let entry = compared + 2;
    assert_eq!(c[format!("G{entry}")]["v"].as_f64(), Some(1.0));
    assert_eq!(c[format!("G{entry}")]["fmt"], "0.00%");
    assert_eq!(c[format!("G{}", entry + 1)]["v"].as_f64(), Some(1.25));
    assert_eq!(c[format!("C{}", entry + 1)]["v"], SECOND_UNIT);
    assert!(merged(k).iter().any(|x| x == &format!("E{entry}:F{entry}")));
    // One unit keeps the one-sheet layout, then 单位成本.
    assert_eq!(summary::sheets(&seed_summary()).len(), 2);
}

#[test]
fn the_self_evaluation_holds_the_scored_numbers() {
    let (_, e, _) = transport();
    let sheets = self_eval_sheets(std::slice::from_ref(&e));
    let at = |a: &str| find(&sheets[0].puts, a);
    assert_eq!(at("C6").value, Some(Value::Number(360000.0)));
    assert_eq!(at("E6").value, Some(Value::Number(355000.0)));
    assert_eq!(at("G6").value, Some(Value::Number(0.9861)));
    assert_eq!(at("G6").style.name(), "0.00%");
    // The first indicator 行驶公里数: 13500公里 as a number with its unit in the format.
    assert_eq!(at("C10").value, Some(Value::Text("行驶公里数".into())));
    assert_eq!(at("E10").value, Some(Value::Number(13500.0)));
    assert_eq!(at("E10").style.name(), "0.00\"公里\"");
    assert_eq!(at("G10").value, Some(Value::Number(15.0)));
    // 总分 93.69, 评价等级 优 (two rows below the six indicators).
    assert_eq!(at("A16").value, Some(Value::Text("总分".into())));
    assert_eq!(at("G16").value, Some(Value::Number(93.69)));
    assert_eq!(at("F17").value, Some(Value::Text("优".into())));
}

#[test]
fn the_summary_counts_and_totals() {
    let s = seed_summary();
    assert_eq!(s.rows.len(), 2);
    let r = &s.rows[0];
    assert_eq!(r.name, "交通工具购置及更新");
    assert_eq!(r.indicators.all(), [3, 0, 2, 1]);
    assert_eq!(r.score, Some("93.69".parse::<Decimal>().unwrap()));
    assert_eq!(r.light, Some(worst_light(&transport().2)));
    assert_eq!(s.rows[1].light, None);
    let t = s.totals();
    assert_eq!(
        t.funds,
        Some(s.rows[0].funds + s.rows[1].funds),
        "the total is the sum of the rows"
    );
    let html = summary_html(&s, Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<link"));
    assert!(
        html.contains("9,028,372.00"),
        "the seed's second project's funds"
    );
}

/// A department-wide declaration is a row of the summary, but its money — the department's
/// whole budget, which holds its projects' — is not added to the projects' total, nor to its
/// unit's.
#[test]
fn a_department_wide_row_is_not_added_to_the_funds() {
    let mut s = seed_summary();
    let projects = s.totals().funds;
    let mut dept = s.rows[1].clone();
    dept.name = jixiao_model::DEPARTMENT_TARGETS_NAME.into();
    dept.department_wide = true;
    dept.funds = "20000000.00".parse().unwrap();
    s.rows.push(dept);
    assert_eq!(s.totals().funds, projects);
    assert_eq!(s.by_unit()[0].totals.funds, projects);
    assert_eq!(s.by_unit()[0].declarations, 3);
}

/// The English 汇总表 is English throughout: title, subtitle, headings, grades, statuses,
/// lights and the total; names stay as written.
#[test]
fn summary_html_in_english() {
    let mut s = seed_summary();
    s.as_of = Some(NaiveDate::from_ymd_opt(2024, 7, 31).unwrap());
    let html = summary_html(&s, Lang::En);
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{html}"
    );
    for text in [
        "<h1>Summary of performance targets</h1>",
        "as of 2024-07-31",
        ">Project</th>",
        ">Funds (yuan)</th>",
        ">output</th>",
        ">Total</td>",
        "交通工具购置及更新",
    ] {
        assert!(html.contains(text), "{text:?} in {html}");
    }
    for zh in [
        "汇总表",
        "年度",
        "截至",
        "项目名称",
        "三级指标数",
        "合计",
        "草稿",
        "已审核",
        "优",
        "良",
        "差",
        "绿",
        "红",
        "黄",
    ] {
        assert!(!html.contains(zh), "{zh:?} in {html}");
    }
    assert!(s.subtitle(Lang::Zh).contains("截至2024年7月31日"));
}

#[test]
fn html_escapes_names() {
    let mut s = seed_summary();
    s.rows[0].name = "<script>alert('x')</script> & 项目".into();
    let html = summary_html(&s, Lang::Zh);
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 项目"));
    assert!(!html.contains("<script>"));
}

#[test]
fn empty_selections_write_without_panic() {
    let s = UnitSummary {
        year: 2024,
        scope: "全部".into(),
        as_of: None,
        rows: Vec::new(),
        rectifications_on: None,
        costs: Default::default(),
    };
    assert!(!summary_xlsx(&s).unwrap().is_empty());
    assert!(summary_html(&s, Lang::Zh).contains("合计"));
    assert!(summary_html(&s, Lang::En).contains("Total"));
    assert!(!self_evaluation_xlsx(&[]).unwrap().is_empty());
    assert!(!monitoring_xlsx(&[]).unwrap().is_empty());
}

#[test]
fn same_project_names_get_distinct_sheets() {
    let (_, e, _) = transport();
    let sheets = self_eval_sheets(&[e.clone(), e]);
    assert_eq!(sheets[0].name, "交通工具购置及更新");
    assert_eq!(sheets[1].name, "交通工具购置及更新(2)");
}

fn find<'a>(puts: &'a [Put], at: &str) -> &'a Put {
    puts.iter()
        .find(|p| cell_name(p.row, p.col) == at)
        .unwrap_or_else(|| panic!("nothing written at {at}"))
}

// --- The independent reader. ---

/// Runs `tests/xlsx/openpyxl_report.py dump` (see
/// [`jixiao_form::xlsx_cells::testing::run_openpyxl`]): `None` when openpyxl is missing
/// outside CI.
fn openpyxl(bytes: &[u8], name: &str) -> Option<serde_json::Value> {
    let path = std::env::temp_dir().join(format!("jixiao-report-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let script = repo().join("tests/xlsx/openpyxl_report.py");
    let out = jixiao_form::xlsx_cells::testing::run_openpyxl(
        &script,
        &["dump".as_ref(), path.as_os_str()],
    );
    let _ = std::fs::remove_file(&path);
    Some(serde_json::from_slice(&out?).unwrap())
}

/// Every planned cell is where openpyxl finds it, with its value, type and number format;
/// merged ranges are exactly the planned ones; lights have their fill.
fn same_as_planned(sheets: &[Sheet], seen: &serde_json::Value) {
    let seen = seen["sheets"].as_array().unwrap();
    assert_eq!(seen.len(), sheets.len());
    for (plan, got) in sheets.iter().zip(seen) {
        assert_eq!(got["name"], plan.name.as_str());
        let cells = jixiao_form::xlsx_cells::testing::assert_same_as_planned(
            &plan.name,
            &plan.puts,
            &got["merged"],
            &got["cells"],
        );
        for x in &plan.puts {
            if let Style::Light(l) = x.style {
                let at = cell_name(x.row, x.col);
                assert_eq!(
                    cells[&at]["fill"],
                    format!("{:06X}", sheet::light_rgb(l)),
                    "{at} light"
                );
            }
        }
    }
}

/// The merged ranges openpyxl read on a sheet (`A1:H1` …).
fn merged_ranges(sheet: &serde_json::Value) -> Vec<&str> {
    sheet["merged"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect()
}

#[test]
fn openpyxl_reads_the_self_evaluation() {
    let (_, e, _) = transport();
    let items = std::slice::from_ref(&e);
    let Some(seen) = openpyxl(&self_evaluation_xlsx(items).unwrap(), "self.xlsx") else {
        return;
    };
    same_as_planned(&self_eval_sheets(items), &seen);
    let s = &seen["sheets"][0];
    let merged = merged_ranges(s);
    // Title, funds label, goals, 产出 (three rows), 效益 (two), 总分.
    for r in [
        "A1:H1", "A5:A6", "A7:A8", "B8:D8", "A10:A12", "A13:A14", "A16:E16",
    ] {
        assert!(merged.contains(&r), "{r} not merged: {merged:?}");
    }
    let c = &s["cells"];
    assert_eq!(c["C6"]["v"].as_f64(), Some(360000.0));
    assert_eq!(c["C6"]["fmt"], "#,##0.00");
    assert_eq!(c["G6"]["v"].as_f64(), Some(0.9861));
    assert_eq!(c["G6"]["fmt"], "0.00%");
    assert_eq!(c["G16"]["v"].as_f64(), Some(93.69));
    assert_eq!(c["G16"]["fmt"], "0.00");
    assert_eq!(s["orientation"], "landscape");
    assert_eq!(s["print_title_rows"], "$9:$9");
    // Chinese columns sized for Chinese text: 三级 and 偏差原因 are the widest.
    let w = |col: &str| s["widths"][col].as_f64().unwrap();
    assert!(w("C") > w("F") && w("H") >= 30.0, "{}", s["widths"]);
}

#[test]
fn openpyxl_reads_the_monitoring() {
    let (_, _, m) = transport();
    let items = std::slice::from_ref(&m);
    let Some(seen) = openpyxl(&monitoring_xlsx(items).unwrap(), "monitor.xlsx") else {
        return;
    };
    same_as_planned(&monitoring_sheets(items), &seen);
    let c = &seen["sheets"][0]["cells"];
    assert_eq!(c["H3"]["v"], "2024-07-31");
    assert_eq!(c["H3"]["t"], "d");
    assert_eq!(c["B6"]["v"].as_f64(), Some(360000.0));
    assert_eq!(c["D6"]["fmt"], "0.00%");
    // The budget light: text and fill.
    let l = m.budget.light;
    assert_eq!(c["F6"]["v"], l.zh());
    assert_eq!(c["F6"]["fill"], format!("{:06X}", sheet::light_rgb(l)));
    assert!(m.indicators.iter().any(|i| i.light != Light::Grey));
}

#[test]
fn openpyxl_reads_the_summary() {
    let s = seed_summary();
    let Some(seen) = openpyxl(&summary_xlsx(&s).unwrap(), "summary.xlsx") else {
        return;
    };
    same_as_planned(&summary::sheets(&s), &seen);
    let sh = &seen["sheets"][0];
    let merged: Vec<&str> = sh["merged"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for r in ["A3:A4", "F3:I3", "J3:M3", "A7:D7"] {
        assert!(merged.contains(&r), "{r} not merged: {merged:?}");
    }
    let c = &sh["cells"];
    assert_eq!(c["B5"]["v"], "交通工具购置及更新");
    assert_eq!(c["E6"]["v"].as_f64(), Some(9028372.0));
    assert_eq!(c["E6"]["fmt"], "#,##0.00");
    assert_eq!(c["P5"]["v"].as_f64(), Some(93.69));
    assert_eq!(c["E7"]["v"].as_f64(), Some(9028372.0 + 360000.0));
    assert_eq!(sh["print_title_rows"], "$3:$4");
}

#[test]
fn every_kind_of_value_gets_its_cell() {
    use jixiao_evaluate::{IndicatorValue, Measured};
    use jixiao_model::{Achievement, ObservedValue};
    let (_, mut e, mut m) = transport();
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let values = [
        // Two clauses: text as the renderers write it.
        IndicatorValue::Numbers {
            parts: vec![Some(Measured::new(d("130"), Some("项"))), None],
        },
        IndicatorValue::Date {
            date: date(2024, 11, 20),
        },
        IndicatorValue::Periods {
            on_time: 10,
            of: 12,
        },
        IndicatorValue::Level {
            level: Achievement::Partly,
        },
        IndicatorValue::Recorded {
            value: ObservedValue::Level {
                level: Achievement::Met,
            },
        },
        // More digits than a double keeps: text with every digit.
        IndicatorValue::Numbers {
            parts: vec![Some(Measured::new(d("1234567890123456.78"), Some("元")))],
        },
    ];
    for (i, v) in e.indicators.iter_mut().zip(values.iter()) {
        i.actual = Some(v.clone());
    }
    e.budget.spent = d("12345678901234567.89");
    let sheets = self_eval_sheets(std::slice::from_ref(&e));
    let at = |a: &str| find(&sheets[0].puts, a).value.clone();
    let t = |s: &str| Some(Value::Text(s.into()));
    assert_eq!(at("E10"), t("130项；—"));
    assert_eq!(at("E11"), Some(Value::Date(date(2024, 11, 20))));
    assert_eq!(
        find(&sheets[0].puts, "E11").style.name(),
        r#"yyyy"年"m"月"d"日""#
    );
    assert_eq!(at("E12"), t("10/12 期按时"));
    assert_eq!(at("E13"), t("部分达成"));
    assert_eq!(at("E14"), t("达成"));
    assert_eq!(at("E15"), t("1234567890123456.78元"));
    assert_eq!(at("E6"), t("12,345,678,901,234,567.89"));
    assert!(!self_evaluation_xlsx(std::slice::from_ref(&e))
        .unwrap()
        .is_empty());

    // A compound target's expected values and ratios, one per clause.
    m.indicators[0].expected = vec![d("8729.51"), d("95")];
    m.indicators[0].ratio = vec![d("87.06"), d("102.11")];
    let sheets = monitoring_sheets(std::slice::from_ref(&m));
    let at = |a: &str| find(&sheets[0].puts, a).value.clone();
    assert_eq!(at("F8"), t("8729.51；95.00"));
    assert_eq!(at("G8"), t("87.06%；102.11%"));
}

/// The charts of the transport project: golden SVG files (`tests/data/report/charts/`), the
/// figures they print, well-formed XML with the names escaped.
#[test]
fn charts_of_the_transport_project() {
    let (form, e, m) = transport();
    let p = &form.projects[0];
    let spend: Vec<_> = parse_spending_rows(&rows("transport_2024_spending.csv"), &form.projects)
        .unwrap()
        .into_iter()
        .map(|s| s.record)
        .collect();
    let progress = charts::progress_by_task(p, &m);
    let scores = charts::score_by_level1(&e);
    let budget = charts::budget_execution(p, &m, &spend);
    check("charts/progress_transport_2024-07-31.svg", &progress);
    check("charts/score_transport_2024.svg", &scores);
    check("charts/budget_transport_2024-07-31.svg", &budget);
    for svg in [&progress, &scores, &budget] {
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("Noto Sans CJK SC"));
    }
    // The figures are the views' own.
    assert!(budget.contains(&format!(
        "执行率 {}",
        jixiao_model::present::percent(m.budget.execution_rate)
    )));
    assert!(scores.contains(&format!("总分 {}", jixiao_model::present::decimal(e.total))));
    let levels = charts::level_scores(&e);
    let sum = levels.iter().map(|l| l.score).sum::<Decimal>();
    assert_eq!(sum, e.total, "the bars add up to the 总分");
    // Only spending up to the 截至日期 is drawn (the September payment is not).
    let curve = charts::spending_curve(p, &m, &spend);
    assert_eq!(curve.len(), 1);
    assert_eq!(curve[0].spent, m.budget.spent);
    assert_eq!(curve[0].rate, Some(m.budget.execution_rate));
}

#[test]
fn charts_escape_names_and_survive_empty_views() {
    let (mut form, mut e, mut m) = transport();
    let p = &mut form.projects[0];
    if p.tasks.is_empty() {
        p.tasks.push(jixiao_model::Task {
            no: 1,
            area: None,
            title: String::new(),
            description: String::new(),
            funds: None,
        });
    }
    p.tasks[0].title = "<b>&\"任务\"</b>".into();
    let svg = charts::progress_by_task(p, &m);
    assert!(svg.contains("&lt;b&gt;&amp;&quot;任务&quot;"), "{svg}");
    assert!(!svg.contains("<b>"));
    p.tasks.clear();
    assert!(charts::progress_by_task(p, &m).contains("本项目未列子任务"));
    m.budget.budget = Decimal::ZERO;
    assert!(charts::budget_execution(p, &m, &[]).contains("全年预算数为零"));
    e.indicators.clear();
    assert_eq!(charts::level_scores(&e).len(), 1);
    let _ = charts::score_by_level1(&e);
}

/// The seed's second project (减污降碳工作专项经费: 11 sub-tasks, 87 indicators naming them) with
/// the actuals and spending of `tests/data/actuals/jianwu_2024*.csv`, monitored as of
/// 2024-07-31.
fn jianwu() -> (Form, Monitoring) {
    let form = seed();
    let policy = Policy::builtin();
    let obs: Vec<_> = parse_actual_rows(&rows("jianwu_2024.csv"), &form.projects, &policy)
        .unwrap()
        .into_iter()
        .map(|a| a.observation)
        .collect();
    let spend: Vec<_> = parse_spending_rows(&rows("jianwu_2024_spending.csv"), &form.projects)
        .unwrap()
        .into_iter()
        .map(|s| s.record)
        .collect();
    let p = &form.projects[1];
    let m = monitor(
        p,
        &obs,
        &spend,
        date(2024, 7, 31),
        &policy,
        &MonitorOptions::default(),
    )
    .unwrap();
    (form, m)
}

/// Progress by sub-task with bars: every sub-task with values has its bar, coloured by the
/// worst light of its indicators, and the figure printed beside it is the mean of their
/// 完成进度 as `task_progress` computes it; the one without values says so. Golden SVG
/// `charts/progress_jianwu_2024-07-31.svg`.
#[test]
fn the_sub_task_chart_draws_bars() {
    let (form, m) = jianwu();
    let p = &form.projects[1];
    let tasks = charts::task_progress(p, &m);
    assert_eq!(tasks.len(), 11);
    let svg = charts::progress_by_task(p, &m);
    check("charts/progress_jianwu_2024-07-31.svg", &svg);
    let with_bars: Vec<_> = tasks.iter().filter(|t| t.progress.is_some()).collect();
    assert!(with_bars.len() >= 10, "{tasks:#?}");
    for t in &with_bars {
        let v = t.progress.unwrap();
        assert!(
            svg.contains(&format!(">{}</text>", jixiao_model::present::percent(v))),
            "task {}: {v}% not printed",
            t.no
        );
        assert!(
            svg.contains(&format!("fill=\"#{:06X}\"", sheet::light_rgb(t.light))),
            "task {}: no bar of its light",
            t.no
        );
    }
    // Several colours: the fixture has tasks ahead of and behind the time line.
    let mut lights: Vec<Light> = with_bars.iter().map(|t| t.light).collect();
    lights.sort();
    lights.dedup();
    assert!(lights.len() >= 2, "{lights:?}");
    // A bar is a rect beside the grey track of each row: 11 tracks + the bars + background.
    let rects = svg.matches("<rect ").count();
    assert_eq!(rects, 1 + 11 + with_bars.len(), "{svg}");
}

/// The transport project adjusted after its approval: 行驶公里数 from ≥15000.00(公里) to
/// ≥12000.00(公里), 接送准点率 removed, 新能源车辆占比 added, funds from 360,000 to 400,000.
fn transport_adjusted() -> (SelfEvaluation, Monitoring) {
    let form = seed();
    let policy = Policy::builtin();
    let initial = form.projects[0].clone();
    let mut p = initial.clone();
    p.funds.total = Decimal::from(400_000);
    p.funds.fiscal = Decimal::from(400_000);
    p.indicators[0].raw = "≥12000.00(公里)".into();
    p.indicators[0].target = jixiao_model::Target::parse("≥12000.00(公里)").unwrap();
    let mut added = p.indicators[2].clone();
    added.name = "新能源车辆占比".into();
    added.raw = "≥50.00(%)".into();
    added.target = jixiao_model::Target::parse("≥50.00(%)").unwrap();
    p.indicators[2] = added;
    p.assign_codes();
    let obs: Vec<_> = parse_actual_rows(&rows("transport_2024.csv"), &form.projects, &policy)
        .unwrap()
        .into_iter()
        .map(|a| a.observation)
        .filter(|o| o.indicator != "1.3.1")
        .collect();
    let spend: Vec<_> = parse_spending_rows(&rows("transport_2024_spending.csv"), &form.projects)
        .unwrap()
        .into_iter()
        .map(|s| s.record)
        .collect();
    let opts = EvaluateOptions {
        initial: Some(initial.clone()),
        ..Default::default()
    };
    let e = evaluate(&p, &obs, &spend, &policy, &opts).unwrap();
    let mopts = MonitorOptions {
        initial: Some(initial),
        ..Default::default()
    };
    let m = monitor(&p, &obs, &spend, date(2024, 7, 31), &policy, &mopts).unwrap();
    (e, m)
}

#[test]
fn adjusted_tables_show_initial_and_adjusted_side_by_side() {
    let (e, m) = transport_adjusted();
    let a = e.adjustment.as_ref().expect("adjusted");
    assert_eq!(
        (a.initial_budget, a.adjusted_budget),
        (Decimal::from(360_000), Decimal::from(400_000))
    );
    assert_eq!(
        (e.budget.initial, e.budget.annual),
        (a.initial_budget, a.adjusted_budget)
    );
    check(
        "self_eval_transport_2024_adjusted.txt",
        &self_evaluation_dump(std::slice::from_ref(&e)),
    );
    check(
        "monitoring_transport_2024-07-31_adjusted.txt",
        &monitoring_dump(std::slice::from_ref(&m)),
    );
    // Not adjusted: the one-column layout, exactly as before (the goldens above).
    let (_, plain, _) = transport();
    assert!(plain.adjustment.is_none());
    assert!(plain.indicators.iter().all(|i| i.initial.is_none()));
}

#[test]
fn openpyxl_reads_the_adjusted_self_evaluation() {
    let (e, m) = transport_adjusted();
    let items = std::slice::from_ref(&e);
    let Some(seen) = openpyxl(&self_evaluation_xlsx(items).unwrap(), "adjusted.xlsx") else {
        return;
    };
    same_as_planned(&self_eval_sheets(items), &seen);
    let s = &seen["sheets"][0];
    let merged = merged_ranges(s);
    for r in ["A1:I1", "B3:I3", "H5:I5", "H6:I6", "E8:I8", "A16:F16"] {
        assert!(merged.contains(&r), "{r} not merged: {merged:?}");
    }
    let c = &s["cells"];
    assert_eq!(c["C5"]["v"], "年初预算数");
    assert_eq!(c["D5"]["v"], "全年（调整）预算数");
    assert_eq!(c["E5"]["v"], "全年执行数");
    assert_eq!(c["C6"]["v"].as_f64(), Some(360000.0));
    assert_eq!(c["D6"]["v"].as_f64(), Some(400000.0));
    assert_eq!(c["E6"]["v"].as_f64(), Some(355000.0));
    assert_eq!(c["D9"]["v"], "年初指标值");
    assert_eq!(c["E9"]["v"], "调整后指标值");
    assert_eq!(c["F9"]["v"], "实际完成值");
    // 行驶公里数: changed; 接送准点率's place: the added indicator; the rest unchanged.
    assert_eq!(c["C10"]["v"], "行驶公里数");
    assert_eq!(c["D10"]["v"], "≥15000.00(公里)");
    assert_eq!(c["E10"]["v"], "≥12000.00(公里)");
    assert_eq!(c["D12"]["v"], "（调整新增）");
    assert_eq!(c["E12"]["v"], "≥50.00(%)");
    assert_eq!(c["D11"]["v"], c["E11"]["v"]);
    let notes = c["B18"]["v"].as_str().unwrap_or_default();
    assert!(
        notes.contains("调整时删除的指标：接送准点率（年初指标值 ≥95.00(%)）"),
        "{notes}"
    );
    // The 监控表 too: 年初预算数 beside 全年（调整）预算数.
    let items = std::slice::from_ref(&m);
    let Some(seen) = openpyxl(&monitoring_xlsx(items).unwrap(), "adjusted-m.xlsx") else {
        return;
    };
    same_as_planned(&monitoring_sheets(items), &seen);
    let c = &seen["sheets"][0]["cells"];
    assert_eq!(c["B5"]["v"], "年初预算数");
    assert_eq!(c["C5"]["v"], "全年（调整）预算数");
    assert_eq!(c["B6"]["v"].as_f64(), Some(360000.0));
    assert_eq!(c["C6"]["v"].as_f64(), Some(400000.0));
    assert_eq!(c["D8"]["v"], "≥15000.00(公里)");
    assert_eq!(c["E8"]["v"], "≥12000.00(公里)");
}

/// The cost comparison chart: a golden SVG with the figures of the view.
#[test]
fn cost_comparison_chart() {
    let form = seed();
    let a = form.projects[0].clone();
    let mut b = a.clone();
    b.unit = "上海市环境监测中心".into();
    b.funds.total = Decimal::from(450_000);
    let r = jixiao_evaluate::cost_report(&[a, b]);
    assert_eq!(r.comparisons.len(), 1);
    let svg = charts::cost_comparison(&r.comparisons[0]);
    check("charts/cost_transport_2024.svg", &svg);
    assert!(svg.contains("24.00 元/公里（100.00%）"), "{svg}");
    assert!(svg.contains("30.00 元/公里（125.00%）"), "{svg}");
    assert!(svg.contains("四舍五入到分"));
}

/// The department-wide declaration of `tests/data/report/department_2024.json` (部门整体支出:
/// three 年度主要任务 with their budgets, three core indicators), with the actuals and spending
/// of `tests/data/actuals/department_2024*.csv`: its 自评表 and its 监控表 as of 2024-07-31.
fn department() -> (Form, SelfEvaluation, Monitoring) {
    let text =
        std::fs::read_to_string(repo().join("tests/data/report/department_2024.json")).unwrap();
    let form = jixiao_form::json::from_str(&text).unwrap();
    assert!(form.projects[0].is_department_wide());
    let (e, m) = evaluated(&form, "department_2024.csv", "department_2024_spending.csv");
    (form, e, m)
}

#[test]
fn department_wide_tables_have_their_own_layout() {
    let (_, e, m) = department();
    let part = e.department_wide.as_ref().expect("department-wide");
    assert_eq!(part.tasks.len(), 3);
    assert_eq!(m.department_wide.as_ref(), Some(part));
    check(
        "self_eval_department_2024.txt",
        &self_evaluation_dump(std::slice::from_ref(&e)),
    );
    check(
        "monitoring_department_2024-07-31.txt",
        &monitoring_dump(std::slice::from_ref(&m)),
    );
    check(
        "self_eval_department_2024_text.txt",
        &jixiao_evaluate::render_evaluation(&e, Lang::Zh),
    );
    check(
        "monitoring_department_2024-07-31_text.txt",
        &jixiao_evaluate::render_monitoring(&m, Lang::Zh),
    );
    // The layout, by cell: title, 部门（单位）名称, the task block with each task's 预算数 and
    // its 执行数 not split by task, 金额合计 with the year's 执行数, 是否核心指标.
    let sheets = self_eval_sheets(std::slice::from_ref(&e));
    let puts = &sheets[0].puts;
    let text_at = |at: &str| match &find(puts, at).value {
        Some(sheet::Value::Text(t)) => t.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(text_at("A1"), "部门整体支出绩效自评表");
    assert_eq!(text_at("A3"), "部门（单位）名称");
    assert_eq!(text_at("B3"), "上海市减污降碳管理运行技术中心");
    assert_eq!(text_at("A7"), "年度主要任务（元）");
    assert_eq!(text_at("B8"), "减污降碳技术支撑");
    assert_eq!(
        find(puts, "D8").value,
        Some(sheet::Value::Number(1_500_000.0))
    );
    assert_eq!(text_at("G8"), "未按任务拆分");
    assert_eq!(text_at("B11"), "金额合计");
    assert_eq!(
        find(puts, "D11").value,
        Some(sheet::Value::Number(9_800_000.0))
    );
    assert_eq!(
        find(puts, "G11").value,
        Some(sheet::Value::Number(9_600_000.0))
    );
    assert_eq!(text_at("A12"), "年度绩效目标");
    assert_eq!(text_at("E14"), "是否核心指标");
    assert_eq!(text_at("E15"), "是");
    assert_eq!(text_at("E17"), "否");
    // The same for the 监控表: 截至目前执行数 as of 2024-07-31.
    let sheets = monitoring_sheets(std::slice::from_ref(&m));
    let puts = &sheets[0].puts;
    let text_at = |at: &str| match &find(puts, at).value {
        Some(sheet::Value::Text(t)) => t.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(text_at("A1"), "部门整体支出绩效运行监控表");
    assert_eq!(text_at("A3"), "部门（单位）名称");
    assert_eq!(text_at("G7"), "截至目前执行数");
    assert_eq!(
        find(puts, "G11").value,
        Some(sheet::Value::Number(5_900_000.0))
    );
    assert_eq!(text_at("E12"), "是否核心指标");
    // A project's tables have none of it (their goldens are unchanged).
    let (_, pe, pm) = transport();
    assert!(pe.department_wide.is_none() && pm.department_wide.is_none());
}

#[test]
fn openpyxl_reads_the_department_wide_tables() {
    let (_, e, m) = department();
    let items = std::slice::from_ref(&e);
    let Some(seen) = openpyxl(&self_evaluation_xlsx(items).unwrap(), "dept-self.xlsx") else {
        return;
    };
    same_as_planned(&self_eval_sheets(items), &seen);
    let merged = merged_ranges(&seen["sheets"][0]);
    // Title over A–I, the task block's label, 主要内容 and 执行数 of the 金额合计 row.
    for r in ["A1:I1", "A7:A11", "B11:C11", "G11:I11"] {
        assert!(merged.contains(&r), "{r} not merged: {merged:?}");
    }
    let c = &seen["sheets"][0]["cells"];
    assert_eq!(c["D11"]["v"].as_f64(), Some(9_800_000.0));
    assert_eq!(c["D11"]["fmt"], "#,##0.00");
    let items = std::slice::from_ref(&m);
    let Some(seen) = openpyxl(&monitoring_xlsx(items).unwrap(), "dept-monitor.xlsx") else {
        return;
    };
    same_as_planned(&monitoring_sheets(items), &seen);
    let merged = merged_ranges(&seen["sheets"][0]);
    for r in ["A1:L1", "A3:A4", "B3:F4"] {
        assert!(merged.contains(&r), "{r} not merged: {merged:?}");
    }
}

#[test]
fn a_department_wide_row_is_listed_but_not_added_into_the_totals() {
    let mut s = seed_summary();
    let before = s.totals();
    assert_eq!(s.department_note(Lang::Zh), None);
    let (form, e, _) = department();
    let policy = jixiao_review::Policy::builtin("central").unwrap();
    let review = jixiao_review::review(&form, &policy);
    let row = SummaryRow::new(
        &form.projects[0],
        Status::Draft,
        &review.projects[0],
        None,
        Some(&e),
    );
    assert!(row.department_wide);
    s.rows.push(row);
    let after = s.totals();
    // Its 9,800,000.00 is listed, not summed; its indicators and findings count.
    assert_eq!(after.funds, before.funds);
    assert_eq!(
        after.indicators.iter().sum::<u64>(),
        before.indicators.iter().sum::<u64>() + 6
    );
    let note = s.department_note(Lang::Zh).unwrap();
    let dump = summary_dump(&s);
    assert!(dump.contains("= 9800000 [#,##0.00]"), "{dump}");
    assert!(dump.contains(note), "{dump}");
    // In HTML, escaped (the note's apostrophe).
    let escaped = DEPARTMENT_WIDE_NOTE_EN.replace('\'', "&#39;");
    assert!(summary_html(&s, Lang::En).contains(&escaped));
}
