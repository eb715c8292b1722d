//! The corpus of real published forms (`tests/data/wild/forms`, where each came from in
//! `tests/data/wild/SOURCES.md`): `jixiao check --keep-going` over the folder must give the
//! golden corpus report `tests/data/wild/report.json` — which files read, and for each refused
//! one the reason and the position. A change in any outcome shows here as a diff to review.
//!
//! Rewrite with `UPDATE_EXPECT=1 cargo test -p jixiao-cli --test wild`, then review the diff
//! against SOURCES.md (the expected outcome of each file is written there).

use std::path::Path;
use std::process::Command;

#[test]
fn wild_corpus_report_is_golden() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "check",
            "--keep-going",
            "tests/data/wild/forms",
            "--format",
            "json",
        ])
        .current_dir(&root)
        .env_remove("JIXIAO_POLICY")
        .env_remove("JIXIAO_DB")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let files = json["files"].as_array().unwrap();
    let sources = std::fs::read_to_string(root.join("tests/data/wild/SOURCES.md")).unwrap();
    for f in files {
        let name = f["file"].as_str().unwrap().rsplit('/').next().unwrap();
        assert!(sources.contains(name), "{name} is not in SOURCES.md");
        // No refusal of a real form may be the generic "no 项目名称" when its text holds one.
        let msg = f["error"]["message_zh"].as_str().unwrap_or("");
        let text = std::fs::read_to_string(root.join("tests/data/wild/forms").join(name)).unwrap();
        if text.contains("项目名称") {
            assert!(!msg.contains("缺少「项目名称」等表头"), "{name}: {msg}");
        }
    }
    // Exit status 2: some file could not be read (all of them, today).
    assert_eq!(out.status.code(), Some(2));
    let pretty = serde_json::to_string_pretty(&json).unwrap() + "\n";
    jixiao_testkit::check(&root.join("tests/data/wild/report.json"), &pretty);
}
