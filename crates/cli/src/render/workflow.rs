//! The workflow's answers: a status change (`submit`, `return`, `approve`) and a save
//! (`adjust`).

use std::fmt::Write;

use jixiao_app::views::change;
use jixiao_app::{SaveResult, TransitionResult};
use jixiao_model::Lang;

/// A status change: `交通工具购置及更新：草稿 → 已提交（第 1 版）`, and the count of review
/// findings by severity.
pub fn transition(name: &str, r: &TransitionResult, lang: Lang) -> String {
    use jixiao_model::Severity;
    let t = &r.transition;
    let (e, w, h) = (
        r.review.count(Severity::Error),
        r.review.count(Severity::Warning),
        r.review.count(Severity::Info),
    );
    match lang {
        Lang::Zh => format!(
            "{name}：{} → {}（第 {} 版）；审核：错误 {e} 项，警告 {w} 项，提示 {h} 项\n",
            t.from.zh(),
            t.to.zh(),
            t.version
        ),
        Lang::En => format!(
            "{name}: {} → {} (version {}); review: {e} error(s), {w} warning(s), {h} hint(s)\n",
            t.from.id(),
            t.to.id(),
            t.version
        ),
    }
}

/// A save: the version and status after it, what changed, and the reading warnings.
pub fn saved(r: &SaveResult, lang: Lang) -> String {
    let mut out = match (lang, &r.change) {
        (Lang::Zh, Some(_)) => format!("已保存第 {} 版，状态：{}\n", r.version, r.status.zh()),
        (Lang::Zh, None) => format!(
            "内容未变，仍为第 {} 版，状态：{}\n",
            r.version,
            r.status.zh()
        ),
        (Lang::En, Some(_)) => format!("saved version {}; status: {}\n", r.version, r.status.id()),
        (Lang::En, None) => format!(
            "nothing changed: still version {}; status: {}\n",
            r.version,
            r.status.id()
        ),
    };
    if let Some(c) = &r.change {
        out.push_str(&change(c, lang));
    }
    for w in &r.warnings {
        let _ = writeln!(out, "  {}", lang.pick(&w.zh, &w.en));
    }
    out
}
