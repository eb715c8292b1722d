//! Architecture rules that the manifests must keep: the pure crates know nothing of async
//! runtimes, databases, HTTP or command lines (see ARCHITECTURE.md, "Dependency rules").

use std::path::Path;

const PURE: &[&str] = &["model", "form", "review", "evaluate", "report", "pdf"];
const FORBIDDEN: &[&str] = &[
    "tokio",
    "sqlx",
    "axum",
    "hyper",
    "reqwest",
    "clap",
    "jixiao-store",
    "jixiao-app",
];

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
        if in_deps {
            if let Some((name, _)) = l.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && !name.starts_with('#') {
                    out.push(name.split('.').next().unwrap_or(name).to_string());
                }
            }
        }
    }
    out
}

#[test]
fn pure_crates_have_no_io_dependencies() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for name in PURE {
        let manifest = std::fs::read_to_string(crates.join(name).join("Cargo.toml")).unwrap();
        let deps = dependencies(&manifest);
        assert!(!deps.is_empty(), "{name}: no dependencies read");
        for bad in FORBIDDEN {
            assert!(
                !deps.iter().any(|d| d == bad),
                "crates/{name} must not depend on {bad}"
            );
        }
    }
}

/// typst is heavy: only the front ends — the CLI and the web server, leaves both — link
/// `jixiao-pdf` (and so typst); `app` and the crates below it do not compile it. Every crate
/// under `crates/` is checked, so a new one is held to this too.
#[test]
fn only_the_front_ends_link_typst() {
    const MAY: &[&str] = &["pdf", "cli", "server"];
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names: Vec<String> = std::fs::read_dir(&crates)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for must in ["model", "app", "store", "report", "server", "cli"] {
        assert!(names.iter().any(|n| n == must), "crates/{must} not found");
    }
    for name in names.iter().filter(|n| !MAY.contains(&n.as_str())) {
        let manifest = std::fs::read_to_string(crates.join(name).join("Cargo.toml")).unwrap();
        let deps = dependencies(&manifest);
        for bad in [
            "jixiao-pdf",
            "typst",
            "typst-as-lib",
            "typst-pdf",
            "typst-layout",
        ] {
            assert!(
                !deps.iter().any(|d| d == bad),
                "crates/{name} must not depend on {bad} (only the CLI and the server link typst)"
            );
        }
    }
}

/// `jixiao-testkit` (golden files, fresh databases) is for tests: no crate links it into a
/// library or a binary.
#[test]
fn testkit_is_only_a_dev_dependency() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for entry in std::fs::read_dir(&crates).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        assert!(
            !dependencies(&text).iter().any(|d| d == "jixiao-testkit"),
            "{}: jixiao-testkit belongs under [dev-dependencies]",
            manifest.display()
        );
    }
}

#[test]
fn the_manifest_reader_sees_dependencies() {
    let deps = dependencies("[package]\nname = \"x\"\n[dependencies]\ntokio.workspace = true\nserde = \"1\"\n[dev-dependencies]\nsqlx = \"1\"\n");
    assert_eq!(deps, ["tokio", "serde"]);
}
