//! The CLI is a front end: it calls `jixiao-app` and nothing below it (ARCHITECTURE.md,
//! "Dependency rules"; issue 18 item 6). Its `[dependencies]` name, of the workspace's crates,
//! only `app`, `model`, the renderers (`report`, `pdf`) and `server` (which `jixiao serve`
//! runs), and no source file under `src/` names `form`, `review`, `evaluate` or `store`; what
//! it needs of them `jixiao-app` re-exports. Tests may use more (dev-dependencies).

use std::path::{Path, PathBuf};

/// The workspace crates the CLI may depend on.
const ALLOWED: &[&str] = &[
    "jixiao-app",
    "jixiao-model",
    "jixiao-report",
    "jixiao-pdf",
    "jixiao-server",
];

/// The crates below `app`, reached through it only.
const BELOW_APP: &[&str] = &["form", "review", "evaluate", "store"];

fn cli_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The names in the `[dependencies]` table of a manifest (not dev- or build-dependencies).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_deps = l == "[dependencies]";
            continue;
        }
        if in_deps && !l.starts_with('#') {
            if let Some((name, _)) = l.split_once('=') {
                let name = name.trim();
                if !name.is_empty() {
                    out.push(name.split('.').next().unwrap_or(name).to_string());
                }
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The places in `text` that name a crate below `app` (`jixiao_form`, `jixiao_store::X` …),
/// comments aside, as `line: text`.
fn below_app_uses(text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .filter(|(_, l)| {
            BELOW_APP.iter().any(|c| {
                let name = format!("jixiao_{c}");
                l.match_indices(&name).any(|(at, _)| {
                    // A whole identifier: not `my_jixiao_formx`.
                    let before = l[..at].chars().next_back();
                    let after = l[at + name.len()..].chars().next();
                    !before.is_some_and(|ch| ch.is_alphanumeric() || ch == '_')
                        && !after.is_some_and(|ch| ch.is_alphanumeric() || ch == '_')
                })
            })
        })
        .map(|(n, l)| format!("{}: {}", n + 1, l.trim()))
        .collect()
}

#[test]
fn the_cli_manifest_depends_on_app_model_and_the_renderers_only() {
    let manifest = std::fs::read_to_string(cli_dir().join("Cargo.toml")).unwrap();
    let deps = dependencies(&manifest);
    assert!(
        deps.iter().any(|d| d == "jixiao-app"),
        "no jixiao-app read in {deps:?}"
    );
    let workspace: Vec<&String> = deps.iter().filter(|d| d.starts_with("jixiao-")).collect();
    let wrong: Vec<&&String> = workspace
        .iter()
        .filter(|d| !ALLOWED.contains(&d.as_str()))
        .collect();
    assert!(
        wrong.is_empty(),
        "crates/cli depends on {wrong:?}: a front end depends on {ALLOWED:?} only; re-export what it needs from jixiao-app"
    );
}

#[test]
fn no_cli_source_names_a_crate_below_app() {
    let mut files = Vec::new();
    rust_files(&cli_dir().join("src"), &mut files);
    files.sort();
    assert!(
        files.len() > 5,
        "{} source files found under crates/cli/src",
        files.len()
    );
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for hit in below_app_uses(&text) {
            found.push(format!("{}:{hit}", f.display()));
        }
    }
    assert!(
        found.is_empty(),
        "the CLI names crates below jixiao-app (call jixiao-app, or re-export from it):\n{}",
        found.join("\n")
    );
}

/// The check itself: it sees a `use` and a path, not a comment or a longer name.
#[test]
fn the_source_check_finds_what_it_must() {
    assert_eq!(
        below_app_uses("use jixiao_form::json;\nlet x = jixiao_store::Store::open();\n").len(),
        2
    );
    assert!(below_app_uses("// jixiao_form is below app\nuse jixiao_formats;\n").is_empty());
    assert!(below_app_uses("use jixiao_app::Diagnostic;\n").is_empty());
}
