//! Golden renderings of `jixiao show` for the seed, in Chinese and English, so that a reviewer
//! can read what users see. Rewrite with `UPDATE_EXPECT=1 cargo test -p jixiao-cli --test render`.

use std::path::Path;

use jixiao_cli::render::{self, Lang};
use jixiao_testkit::check;

#[test]
fn show_renders_the_seed() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let json = std::fs::read_to_string(data.join("seed_2024_shanghai.json")).unwrap();
    let form = jixiao_form::json::from_str(&json).unwrap();
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let text: String = form
            .projects
            .iter()
            .map(|p| render::project(p, lang) + "\n")
            .collect();
        check(
            &data.join(format!("show/seed_2024_shanghai.{suffix}.txt")),
            &text,
        );
    }
}
