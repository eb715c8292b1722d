//! Golden tests of the form readers: every `tests/data/forms/ok/*` input must read to the JSON
//! beside it, every `tests/data/forms/err/*` input must fail with the diagnostics beside it, and
//! the seed must read to `tests/data/seed_2024_shanghai.json`.
//!
//! Rewrite the expectations with `UPDATE_EXPECT=1 cargo test -p jixiao-form --test golden`,
//! then review the diff.

use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// Compares `actual` with the file at `path`, or rewrites it when `UPDATE_EXPECT` is set.
fn check(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_EXPECT=1", path.display()));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{} differs from the actual output ({} vs {} lines):\n{}\nrun UPDATE_EXPECT=1 to accept",
            path.display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
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
