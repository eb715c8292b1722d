//! End-to-end tests of the web app in a real headless Chromium: runs the node test files of
//! `e2e/` (playwright-core driving Debian's `/usr/bin/chromium`) against this build's `jixiao`
//! binary. `bash scripts/test.sh` installs chromium and `e2e/node_modules`; without them this
//! test fails and says what to install (it never passes without having run the browser).

use std::path::Path;
use std::process::Command;

#[test]
fn the_web_app_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let e2e = root.join("e2e");
    assert!(
        e2e.join("node_modules/playwright-core").is_dir(),
        "e2e/node_modules is missing: run `bash scripts/test.sh` or `(cd e2e && npm ci)`"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: run `bash scripts/test.sh` or `apt-get install chromium`"
    );
    let out = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-timeout=300000"])
        .arg(".")
        .current_dir(&e2e)
        .env("JIXIAO_BIN", env!("CARGO_BIN_EXE_jixiao"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node (Node.js 20) must be installed to run the end-to-end tests");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "end-to-end tests failed (see the output above)"
    );
    assert!(
        stdout.contains("# fail 0") && !stdout.contains("# pass 0"),
        "the node test run reported no passing test"
    );
}
