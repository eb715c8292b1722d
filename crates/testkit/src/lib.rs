//! Test support shared by the workspace's tests, so that every crate's tests compare golden
//! files, name fixtures and make fresh databases the same way. A dev-dependency only: nothing
//! here is linked into a binary.
//!
//! - [`check`]: compare an output with its golden file under `tests/data/`, or rewrite the file
//!   when `UPDATE_EXPECT=1` is set (review the diff before committing it);
//! - [`data`] and [`repo`]: paths of fixtures and of the workspace root;
//! - [`unique`] and [`temp_dir`]: names and directories no other test (or test process) uses;
//! - [`sqlite_path`] and, with the `db` feature, [`postgres_url`]: a fresh SQLite file, a fresh
//!   PostgreSQL schema in the database named by `JIXIAO_TEST_POSTGRES`
//!   (default `postgres://postgres@127.0.0.1:5432/test`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The workspace root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A path under the workspace's `tests/data/`.
pub fn data(rel: &str) -> PathBuf {
    repo().join("tests/data").join(rel)
}

/// A name no other call in any test process returns: `{prefix}_{pid}_{n}_{nanos}`. Usable as a
/// PostgreSQL schema name when `prefix` is.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// A new, empty directory under the system's temporary directory.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(prefix));
    std::fs::create_dir_all(&dir).expect("create a temporary directory");
    dir
}

/// The path of a database file in a new directory (the file does not exist yet).
pub fn sqlite_path(prefix: &str) -> String {
    temp_dir(prefix).join("jixiao.db").display().to_string()
}

/// The URL of a fresh, empty schema in the test PostgreSQL database (`JIXIAO_TEST_POSTGRES`,
/// default `postgres://postgres@127.0.0.1:5432/test`): the schema is created here and set as
/// the connection's `search_path`. Panics when PostgreSQL does not answer: the tests need it.
#[cfg(feature = "db")]
pub async fn postgres_url(prefix: &str) -> String {
    use sqlx::Connection;
    let base = std::env::var("JIXIAO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = unique(prefix);
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL must run for these tests ({base}): {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .expect("create the test schema");
    conn.close().await.expect("close the setup connection");
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// Whether the golden files are to be rewritten: `UPDATE_EXPECT` is set to anything but empty
/// or `0` (`UPDATE_EXPECT=1`). `UPDATE_EXPECT=0`, as one turns a switch off, compares.
pub fn updating() -> bool {
    update_requested(std::env::var_os("UPDATE_EXPECT").as_deref())
}

fn update_requested(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares `actual` with the golden file at `path`; when [`updating`] (`UPDATE_EXPECT=1`)
/// writes it instead (creating its directory). On a difference, panics naming the file, the
/// line counts and the first ten differing lines.
pub fn check(path: &Path, actual: &str) {
    if updating() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create the golden file's directory");
        }
        std::fs::write(path, actual).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run the test with UPDATE_EXPECT=1 to write it",
            path.display()
        )
    });
    if let Some(report) = difference(&expected, actual) {
        panic!(
            "{} differs from the output:\n{report}\nreview the change, then run with UPDATE_EXPECT=1 to accept it",
            path.display()
        );
    }
}

/// What differs between two texts, line by line (`None` when they are equal).
fn difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = format!("({} lines expected, {} lines now)", e.len(), a.len());
    let mut shown = 0;
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i), a.get(i));
        if x != y {
            out.push_str(&format!(
                "\nline {}:\n  expected: {}\n  actual:   {}",
                i + 1,
                x.unwrap_or(&"<end>"),
                y.unwrap_or(&"<end>")
            ));
            shown += 1;
            if shown == 10 {
                out.push_str("\n…");
                break;
            }
        }
    }
    if shown == 0 {
        out.push_str("\nthe lines are equal; the line endings or the final newline differ");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_value_other_than_0_rewrites_the_golden_files() {
        use std::ffi::OsStr;
        assert!(!update_requested(None));
        assert!(!update_requested(Some(OsStr::new(""))));
        assert!(!update_requested(Some(OsStr::new("0"))));
        assert!(update_requested(Some(OsStr::new("1"))));
        assert!(update_requested(Some(OsStr::new("yes"))));
    }

    #[test]
    fn equal_texts_have_no_difference() {
        assert_eq!(difference("a\nb\n", "a\nb\n"), None);
    }

    #[test]
    fn a_difference_names_the_line_and_both_sides() {
        let d = difference("a\nb\nc\n", "a\nB\nc\nd\n").unwrap();
        assert!(d.contains("(3 lines expected, 4 lines now)"), "{d}");
        assert!(d.contains("line 2:\n  expected: b\n  actual:   B"), "{d}");
        assert!(
            d.contains("line 4:\n  expected: <end>\n  actual:   d"),
            "{d}"
        );
    }

    #[test]
    fn a_missing_final_newline_is_told() {
        let d = difference("a\n", "a").unwrap();
        assert!(d.contains("final newline"), "{d}");
    }

    #[test]
    fn unique_names_differ() {
        assert_ne!(unique("t"), unique("t"));
    }

    #[test]
    fn data_is_under_tests_data() {
        assert!(data("seed_2024_shanghai.txt").is_file());
    }
}
