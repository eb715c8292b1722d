//! Golden tests of the form readers: every `tests/data/forms/ok/*` input must read to the JSON
//! beside it, every `tests/data/forms/err/*` input must fail with the diagnostics beside it, every
//! `tests/data/forms/warn/*` input must read to the JSON beside it with the warnings beside it
//! (`.expected`), and the seed must read to `tests/data/seed_2024_shanghai.json`.
//!
//! Rewrite the expectations with `UPDATE_EXPECT=1 cargo test -p jixiao-form --test golden`,
//! then review the diff.

use jixiao_testkit::check;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

fn read(path: &Path) -> Result<jixiao_form::Parsed, jixiao_form::FormError> {
    let bytes = std::fs::read(path).unwrap();
    let name = format!(
        "tests/data/{}",
        path.strip_prefix(data_dir()).unwrap().display()
    );
    jixiao_form::read_form(&name, &bytes)
}

#[test]
fn seed_reads_to_its_golden_json() {
    let dir = data_dir();
    let parsed = read(&dir.join("seed_2024_shanghai.txt")).unwrap_or_else(|e| panic!("{e}"));
    let json = jixiao_form::json::to_string(&parsed.form);
    check(&dir.join("seed_2024_shanghai.json"), &json);
}

#[test]
fn seed_and_ok_inputs_need_no_number_guesses() {
    let dir = data_dir();
    let mut inputs = vec![dir.join("seed_2024_shanghai.txt")];
    for entry in std::fs::read_dir(dir.join("forms/ok")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e != "json") {
            inputs.push(p);
        }
    }
    for path in inputs {
        let parsed = read(&path).unwrap_or_else(|e| panic!("{e}"));
        let guesses: Vec<String> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.zh.contains("读作数字") || d.zh.contains("读作小数点"))
            .map(|d| d.render("x"))
            .collect();
        assert!(guesses.is_empty(), "{}: {guesses:#?}", path.display());
    }
}

#[test]
fn ok_inputs_read_to_their_json() {
    let dir = data_dir().join("forms/ok");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        n += 1;
        let parsed = read(&path).unwrap_or_else(|e| panic!("{e}"));
        let json = jixiao_form::json::to_string(&parsed.form);
        check(&path.with_extension("json"), &json);
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn err_inputs_fail_with_their_diagnostics() {
    let dir = data_dir().join("forms/err");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") {
            continue;
        }
        n += 1;
        let err = match read(&path) {
            Ok(p) => panic!(
                "{} was read, but must fail: {:?}",
                path.display(),
                p.form.projects.len()
            ),
            Err(e) => e,
        };
        let mut name = path.file_name().unwrap().to_os_string();
        name.push(".expected");
        check(&path.with_file_name(name), &format!("{err}\n"));
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn warn_inputs_read_with_their_warnings() {
    let dir = data_dir().join("forms/warn");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|e| e == "json" || e == "expected")
        {
            continue;
        }
        n += 1;
        let parsed = read(&path).unwrap_or_else(|e| panic!("{e}"));
        let name = format!(
            "tests/data/{}",
            path.strip_prefix(data_dir()).unwrap().display()
        );
        let warnings: Vec<String> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.level == jixiao_form::Level::Warning)
            .map(|d| d.render(&name))
            .collect();
        assert!(
            !warnings.is_empty(),
            "{} reads without a warning",
            path.display()
        );
        let mut expected = path.file_name().unwrap().to_os_string();
        expected.push(".expected");
        check(
            &path.with_file_name(expected),
            &(warnings.join("\n") + "\n"),
        );
        check(
            &path.with_extension("json"),
            &jixiao_form::json::to_string(&parsed.form),
        );
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn json_round_trip_is_byte_identical() {
    let dir = data_dir();
    let mut inputs = vec![dir.join("seed_2024_shanghai.txt")];
    for entry in std::fs::read_dir(dir.join("forms/ok")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e != "json") {
            inputs.push(p);
        }
    }
    for path in inputs {
        let first = jixiao_form::json::to_string(&read(&path).unwrap().form);
        let back = jixiao_form::json::from_str(&first).unwrap();
        let second = jixiao_form::json::to_string(&back);
        assert_eq!(first, second, "{}", path.display());
        // The JSON is itself a readable input, detected by content.
        let again = jixiao_form::read_form("x.txt", first.as_bytes()).unwrap();
        assert_eq!(again.format, jixiao_form::Format::Json);
        assert_eq!(again.form, back);
    }
}

#[test]
fn seed_facts_the_issue_names() {
    let form = read(&data_dir().join("seed_2024_shanghai.txt"))
        .unwrap()
        .form;
    let [p1, p2] = &form.projects[..] else {
        panic!("expected 2 projects")
    };
    assert_eq!((p1.indicators.len(), p2.indicators.len()), (6, 87));
    assert_eq!(p2.tasks.len(), 11);
    assert_eq!(p1.funds.total.to_string(), "360000.00");
    assert_eq!(p2.funds.total.to_string(), "9028372.00");
    // Rows printed above their 时效指标 label (page rule) belong to 时效.
    let l119 = p2.indicators.iter().find(|i| i.line == Some(119)).unwrap();
    assert_eq!(l119.level2, jixiao_model::Level2::Timeliness);
    // The detached run after 可持续影响 stays with it.
    let l156 = p2.indicators.iter().find(|i| i.line == Some(156)).unwrap();
    assert_eq!(l156.level2, jixiao_model::Level2::Sustainability);
    // The page after 数量指标 continues it.
    let l100 = p2.indicators.iter().find(|i| i.line == Some(100)).unwrap();
    assert_eq!(l100.level2, jixiao_model::Level2::Quantity);
    // Sub-task 8's text continues across the page break without the debris.
    let t8 = p2.task(8).unwrap();
    assert!(t8
        .description
        .contains("监督管理办法》《上海市固定污染源信息库建设及动态管理规定》"));
    assert!(!t8.description.contains("项目绩效目标"));
    assert_eq!(p2.task(4).unwrap().title, "移动源管理技术支持");
}

#[test]
fn csv_and_text_exports_of_one_form_agree() {
    let dir = data_dir().join("forms/ok");
    let csv = read(&dir.join("0002_excel_sheet.csv")).unwrap();
    let gbk = read(&dir.join("0003_wps_gbk.csv")).unwrap();
    assert_eq!(csv.format, jixiao_form::Format::Csv);
    assert_eq!(gbk.encoding, jixiao_form::Encoding::Gb18030);
    assert!(gbk.diagnostics.iter().any(|d| d.en.contains("GBK")));
    assert_eq!(
        csv.form.projects[0].indicators,
        gbk.form.projects[0].indicators
    );
}

#[test]
fn xlsx_form_reads_like_the_seed_first_project() {
    let dir = data_dir();
    let xlsx =
        read(&dir.join("forms/ok/0004_official_form.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(xlsx.format, jixiao_form::Format::Xlsx);
    // The 填报说明 cover sheet is passed over, and the reader says which sheet it read.
    assert!(
        xlsx.diagnostics.iter().any(|d| d.zh.contains("「申报表」")),
        "{:?}",
        xlsx.diagnostics
    );
    let seed = read(&dir.join("seed_2024_shanghai.txt")).unwrap().form;
    let without_lines = |p: &jixiao_model::Project| {
        let mut p = p.clone();
        for i in &mut p.indicators {
            i.line = None;
        }
        p
    };
    let [project] = &xlsx.form.projects[..] else {
        panic!("expected one project")
    };
    assert_eq!(without_lines(project), without_lines(&seed.projects[0]));
    // Lines are Excel row numbers: 行驶公里数 is on row 13.
    assert_eq!(project.indicators[0].line, Some(13));
}

#[test]
fn zip_and_ole_files_that_are_not_xlsx_are_named() {
    let docx = b"PK\x03\x04\x14\x00\x00\x00\x08\x00word/document.xml garbage";
    let e = jixiao_form::read_form("a.docx", docx).unwrap_err();
    assert!(e.to_string().contains("Word 文档（.docx）"), "{e}");
    let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00";
    let e = jixiao_form::read_form("a.xls", xls).unwrap_err();
    assert!(e.to_string().contains("另存为 .xlsx"), "{e}");
    assert!(e.to_string().contains("save it as .xlsx"), "{e}");
}

/// A damaged workbook (its ZIP header overwritten, a ZIP that is not a local file header, or
/// cut short) is named as a damaged XLSX/ZIP file, never as "not a text file (NUL bytes)".
#[test]
fn damaged_xlsx_is_named_as_a_damaged_workbook() {
    let dir = data_dir();
    let book = std::fs::read(dir.join("forms/ok/0004_official_form.xlsx")).unwrap();
    let mut zeroed = book.clone();
    zeroed[..4].copy_from_slice(&[0, 0, 0, 0]);
    let mut spanned = book.clone();
    spanned[2..4].copy_from_slice(b"\x07\x08");
    let cut = book[..book.len() / 2].to_vec();
    for (name, bytes) in [
        ("申报表.xlsx", zeroed.clone()),
        ("upload.bin", spanned),
        ("申报表.XLSX", cut),
    ] {
        let e = jixiao_form::read_form(name, &bytes).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(name), "{text}");
        assert!(text.contains("损坏"), "{text}");
        assert!(text.contains("XLSX"), "{text}");
        assert!(text.contains("damaged"), "{text}");
        assert!(!text.contains("NUL"), "{text}");
        assert!(!text.contains("导出为文本、CSV 或 JSON"), "{text}");
    }
}

/// The other provinces' templates (templates in data, `docs/templates.md`): each fixture is read
/// with notes that say which template's labels were used, what was converted from 万元, how a
/// period of months was read and which columns the model does not hold; the notes are golden
/// under `tests/data/forms/notes/`.
#[test]
fn template_fixtures_say_what_they_read() {
    let dir = data_dir().join("forms/ok");
    for (file, family) in [
        ("0009_hunan.csv", "湖南省"),
        ("0010_guangdong.txt", "广东省"),
        ("0011_anhui.xlsx", "安徽省"),
    ] {
        let path = dir.join(file);
        let parsed = read(&path).unwrap_or_else(|e| panic!("{e}"));
        let name = format!("tests/data/forms/ok/{file}");
        let notes: Vec<String> = parsed.diagnostics.iter().map(|d| d.render(&name)).collect();
        let text = notes.join("\n") + "\n";
        assert!(text.contains(family), "{file}: {text}");
        assert!(text.contains("万元"), "{file}: {text}");
        check(
            &data_dir().join(format!("forms/notes/{file}.expected")),
            &text,
        );
    }
}

/// Issue 19 item 3: a target split over 指标性质 | 指标值 | 度量单位 (Sichuan's layout, rows of the
/// real 井研县马踏镇 2023 申报表 in `tests/data/wild`) is read by the header's columns and joined as
/// printed (`≥` `95` `%` → `≥95%`), said in a note; 权重 and 指标方向性 are named as not kept.
/// Before, each row's six content cells were "extra cells" and the form was refused.
#[test]
fn a_target_split_over_columns_is_joined_as_printed() {
    let file = "0040_sichuan_split_target.txt";
    let parsed = read(&data_dir().join("forms/ok").join(file)).unwrap_or_else(|e| panic!("{e}"));
    let p = &parsed.form.projects[0];
    let mut read: Vec<(&str, &str)> = p
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.raw.as_str()))
        .collect();
    read.sort();
    assert_eq!(
        read,
        [
            ("人民群众满意度", "≥95%"),
            ("促进村集体经济发展", "≥95%"),
            ("按时发放", "≥1人/年"),
            ("村组干部230人", "≥230个"),
            ("维护社会稳定", "≥95%"),
            ("维持时效", "≥1年"),
            ("保护生态环境卫生", "≥95%"),
            ("项目维持时效", "≥95%"),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let name = format!("tests/data/forms/ok/{file}");
    let notes: Vec<String> = parsed.diagnostics.iter().map(|d| d.render(&name)).collect();
    let text = notes.join("\n") + "\n";
    assert!(text.contains("「≥」「95」「%」读作「≥95%」"), "{text}");
    assert!(text.contains("权重"), "{text}");
    assert!(text.contains("四川省"), "{text}");
    check(
        &data_dir().join(format!("forms/notes/{file}.expected")),
        &text,
    );
}

/// Issue 19: the seed with its 三级指标 and 指标值 columns swapped, headers too, was read with
/// `≥15000.00(公里)` as an indicator's name and graded 优. The columns are now taken from the
/// header: the swapped seed reads to the seed's own indicators, with a note that says so; the
/// same content under the unswapped header (`forms/err/0016_values_under_name_header.txt`) is
/// refused at each cell whose 三级指标 is a value.
#[test]
fn indicator_columns_are_read_by_their_header() {
    let dir = data_dir();
    let seed = read(&dir.join("seed_2024_shanghai.txt")).unwrap();
    let swapped =
        read(&dir.join("forms/ok/0012_seed_columns_swapped.txt")).unwrap_or_else(|e| panic!("{e}"));
    let rows = |p: &jixiao_form::Parsed| -> Vec<(String, String, Vec<u32>, String)> {
        p.form
            .projects
            .iter()
            .flat_map(|pr| pr.indicators.iter())
            .map(|i| {
                (
                    format!("{:?}/{:?}", i.level1, i.level2),
                    i.name.clone(),
                    i.tasks.clone(),
                    i.raw.clone(),
                )
            })
            .collect()
    };
    let (a, b) = (rows(&seed), rows(&swapped));
    assert!(a.len() > 80, "{}", a.len());
    assert_eq!(a, b);
    assert!(b
        .iter()
        .any(|(_, n, _, t)| n == "行驶公里数" && t == "≥15000.00(公里)"));
    let notes: Vec<&str> = swapped.diagnostics.iter().map(|d| d.zh.as_str()).collect();
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.contains("「指标值」列在「三级指标」列之前"))
            .count(),
        2,
        "{notes:#?}"
    );
    let err = read(&dir.join("forms/err/0016_values_under_name_header.txt")).unwrap_err();
    assert!(err.to_string().contains("19:17"), "{err}");
    assert!(err.to_string().contains("是指标值而不是指标名称"), "{err}");
}

/// Issue 19 item 2: a Word table (`scripts/make-docx-fixture.py` writes the seed's first project
/// as one, with vertical merges and column spans) reads like the seed's first project.
#[test]
fn docx_table_reads_like_the_seed_first_project() {
    let dir = data_dir();
    let docx =
        read(&dir.join("forms/ok/0013_seed_word_table.docx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(docx.format, jixiao_form::Format::Docx);
    let seed = read(&dir.join("seed_2024_shanghai.txt")).unwrap().form;
    let without_lines = |p: &jixiao_model::Project| {
        let mut p = p.clone();
        for i in &mut p.indicators {
            i.line = None;
        }
        p
    };
    let [project] = &docx.form.projects[..] else {
        panic!("expected one project")
    };
    assert_eq!(without_lines(project), without_lines(&seed.projects[0]));
    // Lines count the document's rows (an empty paragraph is none): the table's first row is
    // line 1 (the seed's line 2), so 行驶公里数 (the seed's line 19) is on line 18.
    assert_eq!(project.indicators[0].line, Some(18));
}

/// Every input that reads — the seed and each `forms/ok` file — has its reader's diagnostics
/// (warnings and notes: what was read how, what was dropped) golden under
/// `tests/data/forms/notes/<file>.expected`, so that a change in what the reader says is seen.
#[test]
fn every_ok_input_and_the_seed_have_golden_diagnostics() {
    let dir = data_dir();
    let mut inputs = vec![dir.join("seed_2024_shanghai.txt")];
    for entry in std::fs::read_dir(dir.join("forms/ok")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e != "json") {
            inputs.push(p);
        }
    }
    inputs.sort();
    for path in inputs {
        let parsed = read(&path).unwrap_or_else(|e| panic!("{e}"));
        let name = format!("tests/data/{}", path.strip_prefix(&dir).unwrap().display());
        let notes: Vec<String> = parsed.diagnostics.iter().map(|d| d.render(&name)).collect();
        let mut file = path.file_name().unwrap().to_os_string();
        file.push(".expected");
        check(
            &dir.join("forms/notes").join(file),
            &(notes.join("\n") + "\n"),
        );
    }
}

/// A goal heading with its period in brackets (`项目总体目标(2024 年-2026 年)`, as forms print it
/// under the heading) is the heading: its text is read, nothing is dropped (issue 19 item 9).
#[test]
fn a_goal_heading_with_a_year_range_is_read() {
    let path = data_dir().join("seed_2024_shanghai.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let plain = jixiao_form::read_form("seed.txt", text.as_bytes()).unwrap();
    for heading in [
        "项目总体目标(2024 年-2026 年)",
        "项目总目标（2024年-2024年）",
    ] {
        let changed = text.replacen("\n项目总目标\n", &format!("\n{heading}\n"), 1);
        assert_ne!(changed, text);
        let parsed = jixiao_form::read_form("seed.txt", changed.as_bytes()).unwrap();
        let dropped: Vec<String> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.zh.contains("未识别"))
            .map(|d| d.render("seed.txt"))
            .collect();
        assert!(dropped.is_empty(), "{heading}: {dropped:#?}");
        assert_eq!(parsed.form, plain.form, "{heading}");
    }
}

/// Issue 19 item 2: the seed as a GBK web page (`scripts/make-html-fixture.py`: its tables with
/// rowspans for 一级/二级 as on the official form, colspans, entities, `<meta charset=gb2312>`)
/// reads to the seed's projects.
#[test]
fn html_page_reads_like_the_seed() {
    let dir = data_dir();
    let page =
        read(&dir.join("forms/ok/0014_seed_html_table.html")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.format, jixiao_form::Format::Html);
    assert_eq!(page.encoding, jixiao_form::Encoding::Gb18030);
    let seed = read(&dir.join("seed_2024_shanghai.txt")).unwrap().form;
    let without_lines = |f: &jixiao_model::Form| {
        let mut f = f.clone();
        for p in &mut f.projects {
            for i in &mut p.indicators {
                i.line = None;
            }
        }
        f
    };
    assert_eq!(without_lines(&page.form), without_lines(&seed));
    // Hostile pages are refused with the limit named, never a panic.
    for (name, bytes) in [
        ("deep.html", "<div>".repeat(100_000).into_bytes()),
        (
            "wide.html",
            b"<table><tr><td colspan=1000000>x</td></tr></table>".to_vec(),
        ),
        ("big.html", vec![b' '; 50 * 1024 * 1024]),
    ] {
        // The page's own limits name the page; the input size is the readers' one limit.
        let e = jixiao_form::read_form(name, &bytes)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("网页") || e.contains("文件超出读取限制"),
            "{name}: {e}"
        );
    }
}

/// Issue 19 item 2: a legacy .xls (the official-layout fixture saved by LibreOffice as
/// "Excel 97–2003": `soffice --headless --convert-to xls 0004_official_form.xlsx`) reads like the
/// .xlsx it was made from, merged cells included.
#[test]
fn xls_reads_like_the_xlsx_it_was_saved_from() {
    let dir = data_dir();
    let xls = read(&dir.join("forms/ok/0015_official_form_excel97.xls"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(xls.format, jixiao_form::Format::Xls);
    let xlsx = read(&dir.join("forms/ok/0004_official_form.xlsx")).unwrap();
    assert_eq!(xls.form, xlsx.form);
    // A fraction in an .xls may be a percentage Excel shows (its format is not known): said at
    // its cell (`tests/data/xlsx/fraction_excel97.xls`, a CSV saved by LibreOffice as .xls).
    let e = read(&dir.join("xlsx/fraction_excel97.xls")).unwrap_err();
    let warned: Vec<String> = e
        .diagnostics
        .iter()
        .filter(|d| d.level == jixiao_form::Level::Warning && d.zh.contains("读作"))
        .map(|d| d.zh.clone())
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned[0].contains("B2：读作 0.97"), "{warned:?}");
    // A 5 KB .xls with cells at A1 and IV65536 (a CSV saved by LibreOffice): calamine would
    // build a range of 16.7 million cells on open (1 GB measured); refused before it opens.
    let e = read(&dir.join("xlsx/far_cells_excel97.xls")).unwrap_err();
    assert!(e.to_string().contains("单元格范围超过"), "{e}");
    let big = [jixiao_form::xlsx::OLE_MAGIC, &vec![0u8; 17 * 1024 * 1024]].concat();
    let e = jixiao_form::read_form("big.xls", &big).unwrap_err();
    assert!(e.to_string().contains("MB"), "{e}");
}

/// The department-wide 申报表 is one layout over the one grid: the TSV fixture written as CSV
/// and as an HTML table reads to the same declaration.
#[test]
fn the_department_form_reads_alike_from_csv_and_html() {
    let path = data_dir().join("forms/ok/0050_department_targets.txt");
    let tsv = std::fs::read_to_string(&path).unwrap();
    let expected = jixiao_form::json::to_string(&read(&path).unwrap().form);
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    let csv: String = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            cells.join(",") + "\n"
        })
        .collect();
    let html: String =
        std::iter::once("<html><head><meta charset=\"utf-8\"></head><body><table>\n".to_string())
            .chain(rows.iter().map(|r| {
                let cells: String = r.iter().map(|c| format!("<td>{c}</td>")).collect();
                format!("<tr>{cells}</tr>\n")
            }))
            .chain(std::iter::once("</table></body></html>\n".to_string()))
            .collect();
    for (name, bytes) in [("d.csv", csv), ("d.html", html)] {
        let parsed =
            jixiao_form::read_form(name, bytes.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let p = &parsed.form.projects[0];
        assert!(p.is_department_wide(), "{name}");
        assert_eq!(p.indicators.iter().filter(|i| i.core).count(), 3, "{name}");
        assert_eq!(
            jixiao_form::json::to_string(&parsed.form),
            expected,
            "{name}"
        );
    }
}
