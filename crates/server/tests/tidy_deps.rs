//! The web server is a front end: it depends on `app` (every use case), `model` (the types)
//! and the renderers (`report`, `pdf`) only — never on `form`, `review`, `evaluate` or `store`,
//! whose types it names through `jixiao_app` (see ARCHITECTURE.md, "Dependency rules"). Both
//! the manifest and the source are checked, so neither a new dependency nor a path through
//! another crate's re-export can slip past.

use std::path::{Path, PathBuf};

/// The crates of the workspace a front end may depend on.
const ALLOWED: &[&str] = &["jixiao-app", "jixiao-model", "jixiao-report", "jixiao-pdf"];

/// The workspace crates beneath `app` that a front end must not name.
const BELOW_APP: &[&str] = &["form", "review", "evaluate", "store"];

/// The workspace crates among the `[dependencies]` of a manifest (dev-dependencies are the
/// tests' own business).
fn workspace_dependencies(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_deps = l == "[dependencies]";
            continue;
        }
        if !in_deps {
            continue;
        }
        if let Some((name, _)) = l.split_once('=') {
            let name = name.trim().split('.').next().unwrap_or_default();
            if name.starts_with("jixiao-") {
                out.push(name.to_string());
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

#[test]
fn the_manifest_names_app_model_and_the_renderers_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let deps = workspace_dependencies(&manifest);
    assert!(
        deps.iter().any(|d| d == "jixiao-app"),
        "no dependencies read: {deps:?}"
    );
    for d in &deps {
        assert!(
            ALLOWED.contains(&d.as_str()),
            "crates/server depends on {d}: a front end depends on {ALLOWED:?} only \
             (re-export from jixiao_app what it needs)"
        );
    }
}

#[test]
fn the_source_names_no_crate_below_app() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(files.len() > 10, "the sources were not found: {files:?}");
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for c in BELOW_APP {
                if line.contains(&format!("jixiao_{c}")) {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the server names crates below app:\n{}",
        found.join("\n")
    );
}

/// The check itself: a manifest that names `jixiao-store` is refused.
#[test]
fn a_dependency_below_app_would_be_seen() {
    let deps = workspace_dependencies(
        "[package]\nname = \"x\"\n[dependencies]\njixiao-app.workspace = true\njixiao-store = { path = \"../store\" }\n[dev-dependencies]\njixiao-form.workspace = true\n",
    );
    assert_eq!(deps, ["jixiao-app", "jixiao-store"]);
    assert!(!ALLOWED.contains(&"jixiao-store"));
}
