//! Golden tests of PDF input (`tests/data/pdf/`, made by `scripts/make-pdf-fixtures.sh`):
//!
//! - every `tests/data/pdf/*.pdf` reads to the JSON beside it (`X.json`) with the notes beside it
//!   (`X.pdf.expected`), and that JSON is the seed's canonical JSON once source lines are set
//!   aside;
//! - every `tests/data/pdf/err/*.pdf` fails with the diagnostics beside it;
//! - a PDF cut off or corrupted at many offsets never makes the reader panic.
//!
//! Rewrite the expectations with `UPDATE_EXPECT=1 cargo test -p jixiao-form --test pdf`.

use jixiao_testkit::check;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

fn name(path: &Path) -> String {
    format!(
        "tests/data/{}",
        path.strip_prefix(data_dir()).unwrap().display()
    )
}

fn read(path: &Path) -> Result<jixiao_form::Parsed, jixiao_form::FormError> {
    jixiao_form::read_form(&name(path), &std::fs::read(path).unwrap())
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no PDFs in {}", dir.display());
    out
}

fn without_lines(mut form: jixiao_model::Form) -> jixiao_model::Form {
    for p in &mut form.projects {
        for i in &mut p.indicators {
            i.line = None;
        }
    }
    form
}

#[test]
fn pdfs_read_to_the_seed() {
    let dir = data_dir();
    let seed = jixiao_form::read_form(
        "seed",
        &std::fs::read(dir.join("seed_2024_shanghai.txt")).unwrap(),
    )
    .unwrap()
    .form;
    let mut wrong = Vec::new();
    for path in pdfs(&dir.join("pdf")) {
        let parsed = read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.format, jixiao_form::Format::Pdf);
        check(
            &path.with_extension("json"),
            &jixiao_form::json::to_string(&parsed.form),
        );
        let notes: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| d.render(&name(&path)))
            .collect();
        let mut expected = path.file_name().unwrap().to_os_string();
        expected.push(".expected");
        check(&path.with_file_name(expected), &(notes.join("\n") + "\n"));
        if without_lines(parsed.form.clone()) != without_lines(seed.clone()) {
            wrong.push(format!(
                "{} does not read to the seed:\n{}",
                path.display(),
                first_difference(&parsed.form, &seed)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The first line where the two forms' JSON differ, lines aside.
fn first_difference(a: &jixiao_model::Form, b: &jixiao_model::Form) -> String {
    let a = jixiao_form::json::to_string(&without_lines(a.clone()));
    let b = jixiao_form::json::to_string(&without_lines(b.clone()));
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n  pdf:  {x}\n  seed: {y}", i + 1))
        .unwrap_or_else(|| "(one is a prefix of the other)".to_string())
}

#[test]
fn the_disclosure_says_which_pages_it_read() {
    let parsed = read(&data_dir().join("pdf/disclosure.pdf")).unwrap();
    let note = parsed
        .diagnostics
        .iter()
        .find(|d| d.zh.contains("已跳过"))
        .expect("a note naming the pages read");
    assert!(note.en.contains("were read from page(s) "), "{note:?}");
}

#[test]
fn err_pdfs_fail_with_their_diagnostics() {
    for path in pdfs(&data_dir().join("pdf/err")) {
        let err = match read(&path) {
            Ok(p) => panic!(
                "{} was read, but must fail: {} projects",
                path.display(),
                p.form.projects.len()
            ),
            Err(e) => e,
        };
        let mut expected = path.file_name().unwrap().to_os_string();
        expected.push(".expected");
        check(&path.with_file_name(expected), &format!("{err}\n"));
    }
}

#[test]
fn a_wrong_cell_is_named_by_page_row_and_column() {
    // The seed's first target, damaged in the PDF's own text: the diagnostic names the page,
    // the row on it and the column, not a line of the document.
    let parsed = read(&data_dir().join("pdf/seed_libreoffice.pdf")).unwrap();
    assert!(parsed
        .diagnostics
        .iter()
        .all(|d| d.page.is_none() || d.line > 0));
    let mut d = jixiao_form::Diagnostic::error(3, 5, "x", "x");
    d.page = Some(2);
    assert_eq!(d.render_lang("a.pdf", true), "a.pdf:p2:r3c5: error: x");
}

/// xorshift64*: small, deterministic, good enough to pick offsets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn read_is_total(label: &str, bytes: &[u8]) {
    match jixiao_form::read_form("x.pdf", bytes) {
        Ok(p) => assert!(
            !p.form.projects.is_empty(),
            "{label}: a form without projects"
        ),
        Err(e) => assert!(
            e.errors().all(|d| !d.zh.is_empty() && !d.en.is_empty()),
            "{label}: {e:?}"
        ),
    }
}

#[test]
fn cut_or_corrupted_pdfs_never_panic() {
    let bytes = std::fs::read(data_dir().join("pdf/seed_libreoffice.pdf")).unwrap();
    let n = bytes.len();
    // Cut off at 48 places spread over the file, and at its very start.
    for k in 0..48 {
        let at = 5 + k * (n - 5) / 48;
        read_is_total(&format!("cut at {at}"), &bytes[..at]);
    }
    // 48 files with 16 bytes overwritten each, at random places.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for k in 0..48 {
        let mut b = bytes.clone();
        for _ in 0..16 {
            let at = (rng.next() % n as u64) as usize;
            b[at] = (rng.next() & 0xFF) as u8;
        }
        read_is_total(&format!("corruption {k}"), &b);
    }
}

/// The text files under `tests/data/pdf/text/` (made from the PDF fixtures by the usual
/// extractors, see `scripts/make-pdf-fixtures.sh`).
fn texts() -> Vec<PathBuf> {
    let dir = data_dir().join("pdf/text");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no texts in {}", dir.display());
    out
}

#[test]
fn extracted_texts_read_to_the_seed() {
    let dir = data_dir();
    let seed = jixiao_form::read_form(
        "seed",
        &std::fs::read(dir.join("seed_2024_shanghai.txt")).unwrap(),
    )
    .unwrap()
    .form;
    let mut wrong = Vec::new();
    for path in texts() {
        let parsed = match read(&path) {
            Ok(p) => p,
            Err(e) => {
                wrong.push(format!("{} was not read:\n{e}", path.display()));
                continue;
            }
        };
        check(
            &path.with_extension("json"),
            &jixiao_form::json::to_string(&parsed.form),
        );
        let notes: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| d.render(&name(&path)))
            .collect();
        let mut expected = path.file_name().unwrap().to_os_string();
        expected.push(".expected");
        check(&path.with_file_name(expected), &(notes.join("\n") + "\n"));
        if without_lines(parsed.form.clone()) != without_lines(seed.clone()) {
            wrong.push(format!(
                "{} does not read to the seed:\n{}",
                path.display(),
                first_difference(&parsed.form, &seed)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Lines of the extracted texts shuffled, dropped, duplicated and cut: every read either
/// succeeds or fails with positioned errors, never panics.
#[test]
fn shuffled_and_cut_texts_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for path in texts() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let n = lines.len();
        for k in 0..120 {
            let mut l = lines.clone();
            match k % 4 {
                0 => {
                    // swap a few pairs of lines
                    for _ in 0..(1 + k % 7) {
                        let a = (rng.next() % n as u64) as usize;
                        let b = (rng.next() % n as u64) as usize;
                        l.swap(a, b);
                    }
                }
                1 => {
                    let at = (rng.next() % n as u64) as usize;
                    l.truncate(at);
                }
                2 => {
                    for _ in 0..(1 + k % 5) {
                        let a = (rng.next() % l.len() as u64) as usize;
                        l.remove(a);
                    }
                }
                _ => {
                    let a = (rng.next() % n as u64) as usize;
                    let b = (rng.next() % n as u64) as usize;
                    l.insert(b, lines[a]);
                }
            }
            let mut t = l.join("\n");
            if k % 9 == 0 {
                // cut inside a line, at a character boundary
                let at = (rng.next() % t.len().max(1) as u64) as usize;
                let at = (0..=at).rev().find(|i| t.is_char_boundary(*i)).unwrap_or(0);
                t.truncate(at);
            }
            match jixiao_form::read_form("x.txt", t.as_bytes()) {
                Ok(p) => {
                    let json = jixiao_form::json::to_string(&p.form);
                    assert_eq!(jixiao_form::json::from_str(&json).unwrap(), p.form);
                }
                Err(e) => assert!(
                    e.errors()
                        .all(|d| d.line >= 1 && !d.zh.is_empty() && !d.en.is_empty()),
                    "{}: {e:?}",
                    path.display()
                ),
            }
        }
    }
}

/// A damaged target in extracted text is named by the line and column of the text file.
#[test]
fn a_wrong_target_in_extracted_text_names_its_line_and_column() {
    for (file, line) in [
        ("seed_libreoffice.layout.txt", 19u32),
        ("seed_libreoffice.cells.txt", 47),
    ] {
        let path = data_dir().join("pdf/text").join(file);
        let text =
            std::fs::read_to_string(&path)
                .unwrap()
                .replacen("≥15000.00(公里)", "≥abc(公里)", 1);
        let err = jixiao_form::read_form(file, text.as_bytes()).unwrap_err();
        let d = err
            .errors()
            .find(|d| d.zh.contains("≥abc(公里)"))
            .unwrap_or_else(|| panic!("{file}: {err}"));
        assert_eq!(d.line, line, "{file}: {err}");
        let at = text.lines().nth(line as usize - 1).unwrap();
        let column = at
            .trim_start_matches('\u{c}')
            .chars()
            .take_while(|c| *c == ' ')
            .count();
        let expected = if file.contains("layout") {
            at.find("≥abc")
                .map(|b| at[..b].chars().count() as u32 + 1)
                .unwrap()
        } else {
            column as u32 + 1
        };
        assert_eq!(d.column, expected, "{file}: {err}");
    }
}

/// Text copied out of a PDF whose fonts map ideographs to radicals (`项⽬`, as Chromium's
/// PDFs do) reads as the text they stand for, with a note.
#[test]
fn radicals_in_extracted_text_read_as_their_ideographs() {
    let seed = jixiao_form::read_form(
        "seed",
        &std::fs::read(data_dir().join("seed_2024_shanghai.txt")).unwrap(),
    )
    .unwrap()
    .form;
    for file in ["seed_libreoffice.layout.txt", "seed_libreoffice.cells.txt"] {
        let text = std::fs::read_to_string(data_dir().join("pdf/text").join(file))
            .unwrap()
            .replace('目', "\u{2F6C}")
            .replace('车', "⻋");
        let parsed =
            jixiao_form::read_form(file, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            parsed.diagnostics.iter().any(|d| d.zh.contains("部首")),
            "{file}: no note on radicals"
        );
        assert_eq!(
            without_lines(parsed.form),
            without_lines(seed.clone()),
            "{file}"
        );
    }
}
