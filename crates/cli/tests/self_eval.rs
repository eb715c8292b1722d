//! `jixiao parse|import` of a 项目支出绩效自评表, run as a user runs it: the national 财政部
//! format (CSV, 万元) and Shanghai's (text, 元) read by content, imported as declarations with
//! their actuals and execution total, and their stated scores compared with jixiao's; and the
//! 自评表 XLSX that `jixiao report self-eval` writes, edited with an independent writer
//! (openpyxl: merged cells split, a blank row, numbers typed as text, percentage formats, one
//! value changed) and imported again: the change, and only it, arrives.
//!
//! Golden transcripts under `tests/data/self_eval/`; `UPDATE_EXPECT=1 cargo test -p jixiao-cli
//! --test self_eval` rewrites them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

/// Compares `actual` with the golden file `tests/data/self_eval/<name>`, or rewrites it when
/// `UPDATE_EXPECT=1` is set.
fn check(name: &str, actual: &str) {
    jixiao_testkit::check(&data("self_eval").join(name), actual);
}

/// A fresh directory and database; files are given relative to `tests/data` and copied in, so
/// messages name them as the user would (`national_2023.csv:13:6`).
struct Db {
    dir: PathBuf,
}

impl Db {
    fn new(name: &str) -> Db {
        let dir =
            std::env::temp_dir().join(format!("jixiao-self-eval-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Db { dir }
    }

    fn copy(&self, rel: &str) -> String {
        let name = Path::new(rel)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        std::fs::copy(data(rel), self.dir.join(&name)).unwrap();
        name
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

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

#[test]
fn national_and_shanghai_tables_are_parsed_by_content() {
    let db = Db::new("parse");
    for (file, golden) in [
        ("self_eval/national_2023.csv", "national_2023.parse.txt"),
        ("self_eval/shanghai_2023.txt", "shanghai_2023.parse.txt"),
    ] {
        let name = db.copy(file);
        let (json, notes) = db.ok(&["parse", &name]);
        check(golden, &format!("{notes}{json}"));
    }
}

#[test]
fn a_table_is_imported_with_its_actuals_and_its_scores_compared() {
    for (file, golden, project) in [
        (
            "self_eval/national_2023.csv",
            "national_2023.import.txt",
            "城市绿道养护管理",
        ),
        (
            "self_eval/shanghai_2023.txt",
            "shanghai_2023.import.txt",
            "社区垃圾分类宣传指导",
        ),
    ] {
        let db = Db::new(golden);
        let name = db.copy(file);
        let (first, _) = db.ok(&["import", &name]);
        // Imported again: nothing changes, the comparison is the same.
        let (again, _) = db.ok(&["import", &name]);
        let (list, _) = db.ok(&["actuals", "list", project, "--year", "2023"]);
        check(
            golden,
            &format!("{first}\n-- again --\n{again}\n-- actuals list --\n{list}"),
        );
        assert!(again.contains("新增 0，更正 0，未变化"), "{again}");
    }
}

#[test]
fn the_national_table_states_a_score_jixiao_does_not_give() {
    let db = Db::new("differs");
    let name = db.copy("self_eval/national_2023.csv");
    let (out, _) = db.ok(&["--lang", "en", "import", &name]);
    // 4800 人次 of ≥5000: 28.80 of 30, where the table says 30.
    assert!(
        out.contains("≠ 3.2.1 绿道日均使用人次") && out.contains("score: 30.00 | 28.80"),
        "{out}"
    );
    assert!(out.contains("≠ total: 99.17 | 97.97"), "{out}");
    assert!(out.contains("1 score(s) differ"), "{out}");
}

#[test]
fn a_table_whose_value_does_not_fit_its_target_is_refused_whole() {
    let db = Db::new("refused");
    let name = db.copy("self_eval/bad_level_for_number.txt");
    let out = db.run(&["import", &name]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("第 11 行") && err.contains("达成"), "{err}");
    // Nothing was imported: not even the declaration.
    let list = db.run(&["list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(!text.contains("社区垃圾分类宣传指导"), "{text}");
}

/// Runs `tests/xlsx/openpyxl_self_eval.py`; false (and a note) when openpyxl is missing, as in
/// the other openpyxl tests (scripts/test.sh installs it).
fn openpyxl(args: &[&str]) -> bool {
    let script = data("../xlsx/openpyxl_self_eval.py");
    let out = Command::new("python3").arg(&script).args(args).output();
    match out {
        Ok(o) if o.status.success() => true,
        Ok(o) if o.status.code() == Some(3) => {
            eprintln!("openpyxl is missing: the XLSX edit is not tested here");
            false
        }
        Ok(o) => panic!("{}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            eprintln!("python3 is missing ({e}): the XLSX edit is not tested here");
            false
        }
    }
}

#[test]
fn the_self_eval_xlsx_edited_in_excel_round_trips() {
    let db = Db::new("xlsx");
    db.ok(&[
        "import",
        &data("seed_2024_shanghai.txt").display().to_string(),
    ]);
    db.ok(&[
        "actuals",
        "import",
        &data("actuals/transport_2024.csv").display().to_string(),
    ]);
    db.ok(&[
        "spending",
        "import",
        &data("actuals/transport_2024_spending.csv")
            .display()
            .to_string(),
    ]);
    db.ok(&[
        "report",
        "self-eval",
        "--year",
        "2024",
        "--project",
        "交通工具购置及更新",
        "--format",
        "xlsx",
        "-o",
        "se.xlsx",
    ]);
    // As exported: it reads back to the declaration, and importing it changes nothing.
    let (json, _) = db.ok(&["parse", "se.xlsx"]);
    assert!(json.contains("\"name\": \"行驶公里数\""), "{json}");
    let (out, _) = db.ok(&["import", "se.xlsx"]);
    assert!(out.contains("已录入 0 条实际完成值"), "{out}");
    assert!(out.contains("自评表所填得分与 jixiao 的计算一致"), "{out}");
    let (before, _) = db.ok(&["actuals", "list", "交通工具购置及更新", "--year", "2024"]);

    // Edited in "Excel": 行驶公里数 (E10) 13500 → 14000, and the usual damage.
    if !openpyxl(&[
        "edit",
        &db.path("se.xlsx"),
        &db.path("edited.xlsx"),
        "E10",
        "14000",
    ]) {
        return;
    }
    let (out, _) = db.ok(&["import", "edited.xlsx"]);
    check("transport_2024_edited.import.txt", &out);
    assert!(
        out.contains("已录入 1 条实际完成值（新增 0，更正 1，未变化 0）"),
        "{out}"
    );
    let (after, _) = db.ok(&["actuals", "list", "交通工具购置及更新", "--year", "2024"]);
    let gone: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    let came: Vec<&str> = after.lines().filter(|l| !before.contains(l)).collect();
    assert_eq!(gone.len(), 1, "{gone:#?}\n{after}");
    assert_eq!(came.len(), 1, "{came:#?}\n{after}");
    assert!(
        gone[0].contains("13500公里") && came[0].contains("14000公里"),
        "{came:?}"
    );

    // A cell that cannot be read is named by sheet and cell.
    if !openpyxl(&[
        "set",
        &db.path("se.xlsx"),
        &db.path("bad.xlsx"),
        "F11",
        "十六点六七",
    ]) {
        return;
    }
    let out = db.run(&["import", "bad.xlsx"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("交通工具购置及更新!F11"), "{err}");
}

#[test]
fn the_monitoring_xlsx_edited_in_excel_records_the_changed_value_only() {
    let db = Db::new("monitoring");
    db.ok(&[
        "import",
        &data("seed_2024_shanghai.txt").display().to_string(),
    ]);
    db.ok(&[
        "actuals",
        "import",
        &data("actuals/transport_2024.csv").display().to_string(),
    ]);
    db.ok(&[
        "spending",
        "import",
        &data("actuals/transport_2024_spending.csv")
            .display()
            .to_string(),
    ]);
    db.ok(&[
        "report",
        "monitoring",
        "--year",
        "2024",
        "--as-of",
        "2024-07-31",
        "--format",
        "xlsx",
        "-o",
        "mon.xlsx",
    ]);
    // As exported: nothing to record (the recurring deadline's `0/6 期按时` is derived).
    let (out, notes) = db.ok(&["import", "mon.xlsx"]);
    assert!(notes.contains("监控表"), "{notes}");
    assert_eq!(out.matches("已录入 0 条实际完成值").count(), 2, "{out}");
    let (before, _) = db.ok(&["actuals", "list", "交通工具购置及更新", "--year", "2024"]);
    // 行驶公里数 to date (E8) 7600 → 8000公里, typed as text; 截至目前执行数 (C6) changed too.
    if !openpyxl(&[
        "set",
        &db.path("mon.xlsx"),
        &db.path("m1.xlsx"),
        "E8",
        "8000公里",
    ]) {
        return;
    }
    if !openpyxl(&[
        "set",
        &db.path("m1.xlsx"),
        &db.path("m2.xlsx"),
        "C6",
        "200,000.00",
    ]) {
        return;
    }
    let (out, _) = db.ok(&["import", "m2.xlsx"]);
    check("transport_2024_monitoring_edited.import.txt", &out);
    let (after, _) = db.ok(&["actuals", "list", "交通工具购置及更新", "--year", "2024"]);
    let came: Vec<&str> = after.lines().filter(|l| !before.contains(l)).collect();
    assert_eq!(came.len(), 1, "{came:#?}\n{after}");
    assert!(
        came[0].contains("2024年7月31日") && came[0].contains("8000公里"),
        "{came:?}"
    );
    // Spending is never taken from the table; the difference is said.
    assert!(out.contains("相差 20,000.00 元"), "{out}");
}

/// The README's own round trip (issue 19): the 自评表 that `jixiao report self-eval` writes for
/// the seed's fund, whose recurring deadline 1.3.2 reads `1/12 期按时`, imports again unchanged;
/// a changed count is refused at its cell (it cannot say which period changed).
#[test]
fn the_self_eval_xlsx_of_a_recurring_deadline_imports_unchanged() {
    let db = Db::new("recurring");
    db.ok(&[
        "import",
        &data("seed_2024_shanghai.txt").display().to_string(),
    ]);
    let csv = db.path("periods.csv");
    std::fs::write(
        &csv,
        "project,code,date,period,value\n\
         减污降碳工作专项经费,1.3.2,2024-02-20,2024-01,2024-02-18\n",
    )
    .unwrap();
    db.ok(&["actuals", "import", &csv]);
    db.ok(&[
        "report",
        "self-eval",
        "--year",
        "2024",
        "--project",
        "减污降碳工作专项经费",
        "--format",
        "xlsx",
        "-o",
        "fund.xlsx",
    ]);
    let (out, _) = db.ok(&["import", "fund.xlsx"]);
    assert!(out.contains("已录入 0 条实际完成值"), "{out}");
    assert!(out.contains("自评表所填得分与 jixiao 的计算一致"), "{out}");
    if !openpyxl(&[
        "set",
        &db.path("fund.xlsx"),
        &db.path("more.xlsx"),
        "E58",
        "12/12 期按时",
    ]) {
        return;
    }
    let out = db.run(&["import", "more.xlsx"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("第 58 行第 5 列") && err.contains("1/12 期按时"),
        "{err}"
    );
}
