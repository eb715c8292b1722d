//! Renderings for people: the indicator tree of `jixiao show`, the table of `jixiao list`,
//! the summary of an import. Chinese first; English with [`Lang::En`].
//!
//! This module owns the layout of those texts; amounts and dates are written by
//! [`jixiao_model::present`] (`360,000.00 元`, `2024年1月1日`), like every other output.

use std::fmt::Write;

use jixiao_model::present::{self, amount, money};
use jixiao_model::{
    diff_indicators, match_indicators, Decimal, IndicatorLabel, ObservedValue, ReportPeriod,
    SpendingRecord,
};
use jixiao_model::{Level1, NaiveDate, Project};
use jixiao_store::{
    ActualSet, AuditEntry, HistoryEntry, ImportSummary, ProjectChange, ProjectSummary,
    RecordSummary, VersionInfo,
};

/// The one output language of the workspace (defined in `jixiao-model`).
pub use jixiao_model::Lang;

/// `2024年1月1日` in Chinese, `2024-01-01` in English ([`jixiao_model::present::date`]).
pub fn date(d: NaiveDate, lang: Lang) -> String {
    jixiao_model::present::date(d, lang)
}

fn tasks_ref(tasks: &[u32], lang: Lang) -> String {
    if tasks.is_empty() {
        return String::new();
    }
    let list: Vec<String> = tasks.iter().map(u32::to_string).collect();
    match lang {
        Lang::Zh => format!("  〔子任务 {}〕", list.join("、")),
        Lang::En => format!("  [tasks {}]", list.join(", ")),
    }
}

/// The readable rendering of a project and its indicator tree (`jixiao show`).
pub fn project(p: &Project, lang: Lang) -> String {
    let mut s = String::new();
    let zh = lang == Lang::Zh;
    let or_dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    // One layout, two vocabularies.
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let f = &p.funds;
    let _ = match lang {
        Lang::Zh => writeln!(s, "{}（{}年度）", p.name, p.year),
        Lang::En => writeln!(s, "{} ({})", p.name, p.year),
    };
    let _ = writeln!(
        s,
        "  {}{}    {}{}",
        t("实施单位：", "unit: "),
        p.unit,
        t("主管部门：", "department: "),
        or_dash(&p.department)
    );
    let _ = writeln!(
        s,
        "  {}{}    {}{}",
        t("项目性质：", "nature: "),
        or_dash(&p.nature),
        t("项目类别：", "category: "),
        or_dash(&p.category)
    );
    let _ = writeln!(
        s,
        "  {}{}{}{}",
        t("计划期间：", "period: "),
        date(p.start, lang),
        t(" 至 ", " to "),
        date(p.end, lang)
    );
    let [a, b, c, d] = [f.total, f.fiscal, f.carryover, f.other].map(|x| money(x, lang));
    let _ = match lang {
        Lang::Zh => writeln!(
            s,
            "  年度资金申请总额：{a}（当年财政拨款 {b}，上年结转资金 {c}，其他资金 {d}）"
        ),
        Lang::En => writeln!(
            s,
            "  annual funds: {a} (fiscal {b}, carried over {c}, other {d})"
        ),
    };
    if let Some(pf) = &p.project_funds {
        let [a, b, c] = [pf.total, pf.fiscal, pf.other].map(|x| money(x, lang));
        let _ = match lang {
            Lang::Zh => writeln!(s, "  项目资金总额：{a}（财政资金 {b}，其他资金 {c}）"),
            Lang::En => writeln!(s, "  whole-period funds: {a} (fiscal {b}, other {c})"),
        };
    }
    let _ = writeln!(
        s,
        "\n{}\n{}",
        t("项目总目标：", "overall goal:"),
        indent(&p.overall_goal)
    );
    let annual = if p.annual_goal == p.overall_goal && !p.annual_goal.is_empty() {
        t("  （同项目总目标）", "  (same as the overall goal)").to_string()
    } else {
        indent(&p.annual_goal)
    };
    let _ = writeln!(s, "{}\n{annual}", t("年度总体目标：", "annual goal:"));
    if !p.tasks.is_empty() {
        let _ = writeln!(s, "{}", if zh { "子任务：" } else { "sub-tasks:" });
        for t in &p.tasks {
            let area = t
                .area
                .as_ref()
                .map_or(String::new(), |a| format!("【{a}】"));
            let _ = writeln!(s, "  {:>2}. {area}{}", t.no, t.title);
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{}",
        if zh {
            "绩效指标（编号 三级指标：年度指标值）："
        } else {
            "indicators (code name: target):"
        }
    );
    for l1 in Level1::ALL {
        let mut inds: Vec<_> = p.indicators.iter().filter(|i| i.level1 == l1).collect();
        if inds.is_empty() {
            continue;
        }
        inds.sort_by_key(|i| i.level2.ordinal());
        let _ = writeln!(s, "{}", if zh { l1.zh() } else { l1.en() });
        let mut last_l2 = None;
        for i in inds {
            if last_l2 != Some(&i.level2) {
                let _ = writeln!(s, "  {}", if zh { i.level2.zh() } else { i.level2.en() });
                last_l2 = Some(&i.level2);
            }
            let line = i.line.map_or(String::new(), |l| {
                if zh {
                    format!("  （第{l}行）")
                } else {
                    format!("  (line {l})")
                }
            });
            let _ = writeln!(
                s,
                "    {:<7} {}{}{}{}{}",
                i.code,
                i.name,
                if zh { "：" } else { ": " },
                i.raw,
                tasks_ref(&i.tasks, lang),
                line
            );
        }
    }
    s
}

fn indent(text: &str) -> String {
    if text.is_empty() {
        return "  —".into();
    }
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table of `jixiao list`.
pub fn list(projects: &[ProjectSummary], lang: Lang) -> String {
    let mut s = String::new();
    if projects.is_empty() {
        return match lang {
            Lang::Zh => "数据库中还没有项目；用 `jixiao import 文件` 导入申报表。\n".into(),
            Lang::En => "No projects yet; import a form with `jixiao import FILE`.\n".into(),
        };
    }
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::Zh => "年度  项目名称  实施单位  年度资金申请总额(元)  指标数  版本",
            Lang::En => "year  project  unit  annual funds (yuan)  indicators  version",
        }
    );
    for p in projects {
        let _ = writeln!(
            s,
            "{}  {}  {}  {}  {}  v{}",
            p.key.year,
            p.key.name,
            p.key.unit,
            amount(p.funds_total),
            p.indicators,
            p.version
        );
    }
    let _ = write!(
        s,
        "{}",
        match lang {
            Lang::Zh => format!("共 {} 个项目\n", projects.len()),
            Lang::En => format!("{} projects\n", projects.len()),
        }
    );
    s
}

/// What `jixiao import` says it did.
pub fn import_summary(s: &ImportSummary, lang: Lang) -> String {
    let mut out = String::new();
    for (keys, zh, en) in [
        (&s.added, "新增", "added"),
        (
            &s.replaced,
            "更新（保留旧版本）",
            "replaced (previous version kept)",
        ),
        (&s.unchanged, "未变化", "unchanged"),
    ] {
        for k in keys {
            let _ = match lang {
                Lang::Zh => writeln!(out, "{zh}：{}年度 {}（{}）", k.year, k.name, k.unit),
                Lang::En => writeln!(out, "{en}: {} {} ({})", k.year, k.name, k.unit),
            };
            if let Some(c) = s.changes.iter().find(|c| &c.key == k) {
                out.push_str(&change(c, lang));
            }
        }
    }
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "导入完成：新增 {} 个，更新 {} 个，未变化 {} 个",
            s.added.len(),
            s.replaced.len(),
            s.unchanged.len()
        ),
        Lang::En => writeln!(
            out,
            "import done: {} added, {} replaced, {} unchanged",
            s.added.len(),
            s.replaced.len(),
            s.unchanged.len()
        ),
    };
    out
}

fn label(l: &IndicatorLabel) -> String {
    format!("{} {}", l.code, l.name)
}

/// What a new version changed, indented under its project: indicators matched by content
/// (unchanged, renumbered, changed), added and removed, funds, and the actual values concerned.
pub fn change(c: &ProjectChange, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let d = &c.indicators;
    let _ = if zh {
        writeln!(
            out,
            "  第 {} 版：指标按内容对应——未变 {} 个，仅编号变化 {} 个，修改 {} 个，新增 {} 个，删除 {} 个",
            c.version,
            d.unchanged,
            d.moved.len(),
            d.changed.len(),
            d.added.len(),
            d.removed.len()
        )
    } else {
        writeln!(
            out,
            "  version {}: indicators matched by content: {} unchanged, {} renumbered, {} changed, {} added, {} removed",
            c.version,
            d.unchanged,
            d.moved.len(),
            d.changed.len(),
            d.added.len(),
            d.removed.len()
        )
    };
    if let Some(old) = &c.renamed_from {
        let _ = if zh {
            writeln!(out, "    项目名称：{old} → {}", c.key.name)
        } else {
            writeln!(out, "    name: {old} → {}", c.key.name)
        };
    }
    for (a, b) in &d.moved {
        let _ = writeln!(
            out,
            "    {} {} → {}",
            if zh { "编号" } else { "renumbered" },
            label(a),
            b.code
        );
    }
    for ch in &d.changed {
        let what = match &ch.target {
            Some((a, b)) => format!("{a} → {b}"),
            None if zh => "名称或子任务".to_string(),
            None => "name or sub-tasks".to_string(),
        };
        let _ = writeln!(
            out,
            "    {} {}：{what}{}",
            if zh { "修改" } else { "changed" },
            label(&ch.after),
            if !ch.kind_changed {
                ""
            } else if zh {
                "（指标值类型已变更，请重新确认实际完成值）"
            } else {
                " (the target's kind changed: confirm its actual values again)"
            }
        );
    }
    for a in &d.added {
        let _ = writeln!(
            out,
            "    {} {}",
            if zh { "新增" } else { "added" },
            label(a)
        );
    }
    for r in &d.removed {
        let _ = writeln!(
            out,
            "    {} {}",
            if zh { "删除" } else { "removed" },
            label(r)
        );
    }
    if let Some((a, b)) = c.funds {
        let _ = writeln!(
            out,
            "    {}{} → {}",
            if zh {
                "年度资金申请总额："
            } else {
                "funds total: "
            },
            present::money(a, lang),
            present::money(b, lang)
        );
    }
    if c.orphaned_actuals > 0 {
        let _ = if zh {
            writeln!(
                out,
                "    已删除指标的 {} 条实际完成值已保留（不计分），请核对",
                c.orphaned_actuals
            )
        } else {
            writeln!(
                out,
                "    {} actual value(s) of removed indicators are kept (not scored); please check",
                c.orphaned_actuals
            )
        };
    }
    if c.kind_changed_actuals > 0 {
        let _ = if zh {
            writeln!(
                out,
                "    {} 条实际完成值所属指标的指标值类型已变更，请重新确认",
                c.kind_changed_actuals
            )
        } else {
            writeln!(out, "    {} actual value(s) belong to indicators whose target kind changed: confirm them again", c.kind_changed_actuals)
        };
    }
    out
}

/// `show --versions`: each version, when it came, who wrote it, from which file, and what it
/// changed against the one before.
pub fn versions(versions: &[VersionInfo], zone: present::Zone, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let mut prev: Option<&Project> = None;
    for v in versions {
        let p = &v.project;
        let mark = match (v.current, zh) {
            (true, true) => "（当前）",
            (true, false) => " (current)",
            _ => "",
        };
        let when = stamp(&v.created_at, zone, lang);
        let _ = if zh {
            writeln!(
                out,
                "v{}{mark}  {when}  {}  {}  {} 个指标，年度资金 {}",
                v.version,
                v.created_by,
                v.source.as_deref().unwrap_or("—"),
                p.indicators.len(),
                present::money(p.funds.total, lang)
            )
        } else {
            writeln!(
                out,
                "v{}{mark}  {when}  {}  {}  {} indicators, funds {}",
                v.version,
                v.created_by,
                v.source.as_deref().unwrap_or("—"),
                p.indicators.len(),
                present::money(p.funds.total, lang)
            )
        };
        if let Some(old) = prev {
            let pairs = match_indicators(&old.indicators, &p.indicators);
            let c = ProjectChange {
                id: p.id.unwrap_or_default(),
                key: p.key(),
                version: v.version,
                renamed_from: (old.name != p.name).then(|| old.name.clone()),
                indicators: diff_indicators(&old.indicators, &p.indicators, &pairs),
                funds: (old.funds.total != p.funds.total)
                    .then_some((old.funds.total, p.funds.total)),
                orphaned_actuals: 0,
                kind_changed_actuals: 0,
            };
            // The header line of `change` repeats the version; keep its details only.
            let text = change(&c, lang);
            for line in text.lines().skip(1) {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(
                out,
                "  {}",
                if zh {
                    format!(
                        "指标：未变 {}，编号变化 {}，修改 {}，新增 {}，删除 {}",
                        c.indicators.unchanged,
                        c.indicators.moved.len(),
                        c.indicators.changed.len(),
                        c.indicators.added.len(),
                        c.indicators.removed.len()
                    )
                } else {
                    format!(
                        "indicators: {} unchanged, {} renumbered, {} changed, {} added, {} removed",
                        c.indicators.unchanged,
                        c.indicators.moved.len(),
                        c.indicators.changed.len(),
                        c.indicators.added.len(),
                        c.indicators.removed.len()
                    )
                }
            );
        }
        prev = Some(p);
    }
    out
}

/// The audit trail: one line per change (time, who, action, what), the values before and after
/// below it.
pub fn audit(entries: &[AuditEntry], zone: present::Zone, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    for e in entries {
        let when = stamp(&e.at, zone, lang);
        let _ = writeln!(out, "{when}  {}  {}  {}", e.actor, e.action, e.summary);
        if let Some(b) = &e.before {
            let _ = writeln!(out, "    {}{b}", if zh { "之前：" } else { "before: " });
        }
        if let Some(a) = &e.after {
            let _ = writeln!(out, "    {}{a}", if zh { "之后：" } else { "after:  " });
        }
    }
    out
}

/// How a recording went: `已导入 12 条实际完成值（新增 10，更正 2，未变化 0）`.
pub fn recorded(
    what_zh: &str,
    what_en: &str,
    verb_zh: &str,
    verb_en: &str,
    s: &RecordSummary,
    lang: Lang,
) -> String {
    let n = s.added + s.replaced + s.unchanged;
    match lang {
        Lang::Zh => format!(
            "已{verb_zh} {n} 条{what_zh}（新增 {}，更正 {}，未变化 {}）",
            s.added, s.replaced, s.unchanged
        ),
        Lang::En => format!(
            "{n} {what_en} {verb_en} ({} new, {} corrected, {} unchanged)",
            s.added, s.replaced, s.unchanged
        ),
    }
}

/// An observed value for people: `13500公里`, `2024年11月20日`, `达成`.
pub fn observed(v: &ObservedValue, lang: Lang) -> String {
    match v {
        ObservedValue::Number { value, unit } => present::quantity(*value, unit.as_deref()),
        ObservedValue::Date { date } => present::date(*date, lang),
        ObservedValue::Level { level } => present::achievement(*level, lang).to_string(),
    }
}

/// `actuals list`: current values by date, then the values of removed indicators.
pub fn actuals(p: &Project, set: &ActualSet, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    for o in &set.current {
        let name = p.indicator(&o.indicator).map_or("?", |i| i.name.as_str());
        let period = if o.period == ReportPeriod::Day(o.date) {
            String::new()
        } else if zh {
            format!("〔{}〕", o.period.zh())
        } else {
            format!(" [{}]", o.period)
        };
        let _ = writeln!(
            out,
            "{}{period}  {} {}  {}  {}",
            present::date(o.date, lang),
            o.indicator,
            name,
            observed(&o.value, lang),
            o.note.as_deref().unwrap_or_default()
        );
    }
    if !set.orphans.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                "已不在申报表中的指标的实际完成值（保留，不计分）："
            } else {
                "actual values of indicators no longer on the form (kept, not scored):"
            }
        );
        for o in &set.orphans {
            let _ = writeln!(
                out,
                "  {}  {} {}  {}",
                present::date(o.observation.date, lang),
                o.observation.indicator,
                o.name,
                observed(&o.observation.value, lang)
            );
        }
    }
    out
}

/// `spending list`: the current records and their total.
pub fn spending(records: &[SpendingRecord], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let mut total = Decimal::ZERO;
    for r in records {
        total += r.amount;
        let _ = writeln!(
            out,
            "{}  {:>16}  {}  {}",
            present::date(r.date, lang),
            present::amount(r.amount),
            r.voucher.as_deref().unwrap_or("—"),
            r.note.as_deref().unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "{}{}",
        if zh { "合计：" } else { "total: " },
        present::money(total, lang)
    );
    out
}

/// A stored UTC time in the chosen zone, the zone named (text output may be read anywhere):
/// `2024年7月1日 05:35:45 Asia/Shanghai`.
fn stamp(at: &str, zone: present::Zone, lang: Lang) -> String {
    format!("{} {}", present::timestamp(at, zone, lang), zone.name())
}

/// History rows (actual values or spending): current, replaced or retracted. With the
/// project, an actual value's key names its indicator by code and name (as the current version
/// has it) instead of its id.
pub fn history(
    rows: &[HistoryEntry],
    p: Option<&Project>,
    zone: present::Zone,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    for h in rows {
        let state = match (&h.ended, zh) {
            (None, true) => "当前".to_string(),
            (None, false) => "current".to_string(),
            (Some(r), true) if r == "replaced" => "已更正".to_string(),
            (Some(r), true) => format!("已撤回（{}）", r.trim_start_matches("retracted: ")),
            (Some(r), false) => r.clone(),
        };
        let when = stamp(&h.recorded_at, zone, lang);
        // An actual value is stored as its JSON, a spending amount as its decimal text.
        let value = match serde_json::from_str::<ObservedValue>(&h.value) {
            Ok(v) => observed(&v, lang),
            Err(_) => h
                .value
                .parse::<Decimal>()
                .map_or_else(|_| h.value.clone(), |d| present::money(d, lang)),
        };
        let key = match (p, h.key.split_once('/')) {
            (Some(p), Some((id, period))) => id
                .parse::<i64>()
                .ok()
                .and_then(|id| p.indicators.iter().find(|i| i.id == Some(id)))
                .map_or_else(
                    || h.key.clone(),
                    |i| format!("{} {}  {period}", i.code, i.name),
                ),
            _ => h.key.clone(),
        };
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  {when}  {}",
            key,
            value,
            h.note.as_deref().unwrap_or_default(),
            state,
            h.recorded_by
        );
    }
    out
}

/// The result of `check --keep-going`: a block per file (projects with their grade and
/// findings by severity, or why the file could not be read, with its first positioned
/// diagnostics in Chinese and English), then the summary.
pub fn batch(report: &crate::BatchReport, lang: Lang) -> String {
    use crate::FileOutcome;
    use jixiao_model::Severity::{Error, Info, Warning};
    let mut s = String::new();
    let n = report.files.len();
    let _ = match lang {
        Lang::Zh => writeln!(s, "批量审核（审核规则 {}）\n", report.policy),
        Lang::En => writeln!(s, "Batch review (policy {})\n", report.policy),
    };
    for (i, f) in report.files.iter().enumerate() {
        let k = i + 1;
        match &f.outcome {
            FileOutcome::Reviewed(r) => {
                let (e, w, inf) = (r.count(Error), r.count(Warning), r.count(Info));
                let _ = match lang {
                    Lang::Zh => writeln!(
                        s,
                        "[{k}/{n}] {}：项目 {} 个；错误 {e} 项，警告 {w} 项，提示 {inf} 项",
                        f.name,
                        r.projects.len()
                    ),
                    Lang::En => writeln!(
                        s,
                        "[{k}/{n}] {}: {} project(s); {e} error(s), {w} warning(s), {inf} info",
                        f.name,
                        r.projects.len()
                    ),
                };
                for d in &f.reader {
                    let _ = writeln!(s, "    {}", d.render_lang(&f.name, lang == Lang::En));
                }
                for p in &r.projects {
                    let (e, w, inf) = (p.count(Error), p.count(Warning), p.count(Info));
                    let _ = match lang {
                        Lang::Zh => writeln!(
                            s,
                            "    {}：等级 {}（{} 分）；错误 {e}，警告 {w}，提示 {inf}",
                            p.name,
                            p.grade.zh(),
                            p.score
                        ),
                        Lang::En => writeln!(
                            s,
                            "    {}: grade {} ({} points); {e} error(s), {w} warning(s), {inf} info",
                            p.name,
                            jixiao_review::grade_en(p.grade),
                            p.score
                        ),
                    };
                }
            }
            FileOutcome::Unreadable(u) => {
                let _ = match lang {
                    Lang::Zh => writeln!(s, "[{k}/{n}] {}：无法读取", f.name),
                    Lang::En => writeln!(s, "[{k}/{n}] {}: unreadable", f.name),
                };
                if u.diagnostics.is_empty() {
                    let _ = writeln!(s, "    {}\n    {}", u.zh, u.en);
                }
                for d in &u.diagnostics {
                    let at = d.place(&f.name);
                    let _ = writeln!(s, "    {at}: 错误: {}\n    {at}: error: {}", d.zh, d.en);
                }
                let more = u.total_diagnostics.saturating_sub(u.diagnostics.len());
                if more > 0 {
                    let _ = match lang {
                        Lang::Zh => writeln!(s, "    ……另有 {more} 处错误"),
                        Lang::En => writeln!(s, "    … and {more} more error(s)"),
                    };
                }
            }
        }
    }
    let m = report.summary();
    let _ = match lang {
        Lang::Zh => writeln!(
            s,
            "\n汇总：文件 {} 个，已读取 {} 个，无法读取 {} 个；项目 {} 个；错误 {} 项，警告 {} 项，提示 {} 项",
            m.files, m.read, m.unreadable, m.projects, m.errors, m.warnings, m.infos
        ),
        Lang::En => writeln!(
            s,
            "\nSummary: {} file(s), {} read, {} unreadable; {} project(s); {} error(s), {} warning(s), {} info",
            m.files, m.read, m.unreadable, m.projects, m.errors, m.warnings, m.infos
        ),
    };
    s
}

/// A reader's diagnostic in JSON: `level` (`error`, `warning`, `info`), position, messages.
#[derive(serde::Serialize)]
pub struct ReaderNote<'a> {
    level: &'static str,
    /// The PDF page; `line` and `column` are then the row and column on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    line: u32,
    column: u32,
    message_zh: &'a str,
    message_en: &'a str,
}

impl<'a> From<&'a jixiao_form::Diagnostic> for ReaderNote<'a> {
    fn from(d: &'a jixiao_form::Diagnostic) -> ReaderNote<'a> {
        ReaderNote {
            level: match d.level {
                jixiao_form::Level::Error => "error",
                jixiao_form::Level::Warning => "warning",
                _ => "info",
            },
            page: d.page,
            line: d.line,
            column: d.column,
            message_zh: &d.zh,
            message_en: &d.en,
        }
    }
}

/// `check --format json` of one form: the review's JSON with the reader's diagnostics under
/// `reader` (how numbers not written plainly were read, what was dropped), as `import` says.
pub fn check_json(report: &jixiao_review::Report, reader: &[jixiao_form::Diagnostic]) -> String {
    let json = report.to_json_string();
    let notes: Vec<ReaderNote> = reader.iter().map(ReaderNote::from).collect();
    let Ok(notes) = serde_json::to_string_pretty(&notes) else {
        return json;
    };
    // The report's keys stay in their order; `reader` comes last.
    let Some(body) = json.trim_end().strip_suffix('}') else {
        return json;
    };
    let notes = notes.replace('\n', "\n  ");
    format!("{},\n  \"reader\": {notes}\n}}\n", body.trim_end())
}

/// The JSON of `check --keep-going --format json` (format `jixiao-batch/1`, documented in
/// `docs/review-json.md`), pretty, ending with a newline.
pub fn batch_json(report: &crate::BatchReport) -> String {
    let mut s = serde_json::to_string_pretty(&batch_json::Batch::from(report))
        .unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

mod batch_json {
    use jixiao_model::{Finding, Grade, Severity};
    use serde::Serialize;

    use crate::{BatchReport, FileOutcome};

    #[derive(Serialize)]
    pub(super) struct Batch<'a> {
        format: &'static str,
        policy: &'a str,
        files: Vec<File<'a>>,
        summary: Summary,
    }

    #[derive(Serialize)]
    struct File<'a> {
        file: &'a str,
        status: &'static str,
        findings: Counts,
        projects: Vec<Project<'a>>,
        error: Option<Error<'a>>,
        /// What the reader said of the file (warnings, notes).
        reader: Vec<super::ReaderNote<'a>>,
    }

    #[derive(Serialize)]
    struct Project<'a> {
        name: &'a str,
        grade: Grade,
        score: i64,
        counts: Counts,
        findings: &'a [Finding],
    }

    #[derive(Serialize)]
    struct Error<'a> {
        message_zh: &'a str,
        message_en: &'a str,
        diagnostics: Vec<Diag<'a>>,
        total_diagnostics: usize,
    }

    #[derive(Serialize)]
    struct Diag<'a> {
        /// The PDF page; `line` and `column` are then the row and column on it.
        #[serde(skip_serializing_if = "Option::is_none")]
        page: Option<u32>,
        line: u32,
        column: u32,
        message_zh: &'a str,
        message_en: &'a str,
    }

    #[derive(Serialize, Default)]
    struct Counts {
        error: usize,
        warning: usize,
        info: usize,
    }

    #[derive(Serialize)]
    struct Summary {
        files: usize,
        read: usize,
        unreadable: usize,
        projects: usize,
        findings: Counts,
        exit_status: u8,
    }

    impl<'a> From<&'a BatchReport> for Batch<'a> {
        fn from(r: &'a BatchReport) -> Batch<'a> {
            let files = r
                .files
                .iter()
                .map(|f| match &f.outcome {
                    FileOutcome::Reviewed(rep) => File {
                        file: &f.name,
                        status: "reviewed",
                        findings: Counts {
                            error: rep.count(Severity::Error),
                            warning: rep.count(Severity::Warning),
                            info: rep.count(Severity::Info),
                        },
                        projects: rep
                            .projects
                            .iter()
                            .map(|p| Project {
                                name: &p.name,
                                grade: p.grade,
                                score: p.score,
                                counts: Counts {
                                    error: p.count(Severity::Error),
                                    warning: p.count(Severity::Warning),
                                    info: p.count(Severity::Info),
                                },
                                findings: &p.findings,
                            })
                            .collect(),
                        error: None,
                        reader: f.reader.iter().map(super::ReaderNote::from).collect(),
                    },
                    FileOutcome::Unreadable(u) => File {
                        reader: Vec::new(),
                        file: &f.name,
                        status: "unreadable",
                        findings: Counts::default(),
                        projects: Vec::new(),
                        error: Some(Error {
                            message_zh: &u.zh,
                            message_en: &u.en,
                            diagnostics: u
                                .diagnostics
                                .iter()
                                .map(|d| Diag {
                                    page: d.page,
                                    line: d.line,
                                    column: d.column,
                                    message_zh: &d.zh,
                                    message_en: &d.en,
                                })
                                .collect(),
                            total_diagnostics: u.total_diagnostics,
                        }),
                    },
                })
                .collect();
            let m = r.summary();
            Batch {
                format: "jixiao-batch/1",
                policy: &r.policy,
                files,
                summary: Summary {
                    files: m.files,
                    read: m.read,
                    unreadable: m.unreadable,
                    projects: m.projects,
                    findings: Counts {
                        error: m.errors,
                        warning: m.warnings,
                        info: m.infos,
                    },
                    exit_status: r.exit_status(),
                },
            }
        }
    }
}

/// A status change: `交通工具购置及更新：草稿 → 已提交（第 1 版）`, and the count of review
/// findings by severity.
pub fn transition(name: &str, r: &crate::TransitionResult, lang: Lang) -> String {
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
pub fn saved(r: &crate::SaveResult, lang: Lang) -> String {
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

/// What importing a 项目支出绩效自评表 did, and its score comparison: one line per indicator
/// (stated 分值/得分 beside jixiao's, `≠` where they differ), the budget row, 总分 and grade.
pub fn self_eval_import(r: &crate::SelfEvalImport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let p = &r.project;
    let _ = if zh {
        writeln!(
            out,
            "自评表 {}：{}年度 {}（{}）",
            r.source, p.year, p.name, p.unit
        )
    } else {
        writeln!(
            out,
            "self-evaluation {}: {} {} ({})",
            r.source, p.year, p.name, p.unit
        )
    };
    if r.existing {
        out.push_str(if zh {
            "申报表已在库中，保持不变；自评表的指标已按二级指标与名称对应\n"
        } else {
            "the declaration was in the database and is kept as it is; the table's indicators were matched by 二级 and name\n"
        });
    } else {
        out.push_str(&import_summary(&r.declaration, lang));
    }
    let _ = writeln!(
        out,
        "{}",
        recorded(
            "实际完成值",
            "actual values",
            "录入",
            "recorded",
            &r.actuals,
            lang
        )
    );
    let _ = writeln!(
        out,
        "{}",
        recorded(
            "执行数",
            "spending records",
            "录入",
            "recorded",
            &r.spending,
            lang
        )
    );
    let c = &r.comparison;
    if !c.stated_weights_used {
        out.push_str(if zh {
            "自评表的分值与评价规则的类别权重不符：jixiao 按规则的权重计分\n"
        } else {
            "the table's 分值 do not fit the policy's category weights: jixiao scored with the policy's\n"
        });
    }
    let num = |d: Option<Decimal>| d.map_or("—".to_string(), present::decimal);
    let _ = writeln!(
        out,
        "{}",
        if zh {
            "评分对照（自评表 | jixiao）："
        } else {
            "scores (stated | jixiao):"
        }
    );
    let line = |out: &mut String, l: &crate::ScoreLine, label: String| {
        let mark = if l.differs() { "≠" } else { "=" };
        let colon = if zh { "：" } else { ": " };
        let _ = writeln!(
            out,
            "  {mark} {label}  {}{colon}{} | {}  {}{colon}{} | {}",
            if zh { "分值" } else { "weight" },
            num(l.stated_weight),
            present::decimal(l.weight),
            if zh { "得分" } else { "score" },
            num(l.stated_score),
            present::decimal(l.score),
        );
    };
    let (rate_stated, rate) = c.execution_rate;
    line(
        &mut out,
        &c.budget,
        format!(
            "{} {}",
            if zh {
                "预算执行率"
            } else {
                "budget execution"
            },
            format_args!(
                "{} | {}",
                rate_stated.map_or("—".to_string(), present::percent),
                present::percent(rate)
            )
        ),
    );
    for l in &c.indicators {
        let at = if zh {
            format!("（第 {} 行）", l.line)
        } else {
            format!(" (line {})", l.line)
        };
        line(&mut out, l, format!("{} {}{at}", l.code, l.name));
    }
    let (total_stated, total) = c.total;
    let colon = if zh { "：" } else { ": " };
    let mark = if total_stated == Some(total) {
        "="
    } else {
        "≠"
    };
    let _ = writeln!(
        out,
        "  {mark} {}{colon}{} | {}  {}{colon}{}",
        if zh { "总分" } else { "total" },
        num(total_stated),
        present::decimal(total),
        if zh { "等级" } else { "grade" },
        if zh { c.grade.zh() } else { grade_en(c.grade) },
    );
    if let (Some(sum), Some(t)) = (c.stated_sum, total_stated) {
        if sum != t {
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    format!(
                        "  自评表的总分 {} 不等于其各项得分之和 {}",
                        present::decimal(t),
                        present::decimal(sum)
                    )
                } else {
                    format!(
                        "  the table's total {} is not the sum of its scores, {}",
                        present::decimal(t),
                        present::decimal(sum)
                    )
                }
            );
        }
    }
    let n = c.indicators.iter().filter(|l| l.differs()).count() + usize::from(c.budget.differs());
    let _ = if zh {
        writeln!(
            out,
            "{}",
            if c.differs() {
                format!("共 {n} 项得分与 jixiao 的计算不同；自评表所填得分未被采用，也未被改写")
            } else {
                "自评表所填得分与 jixiao 的计算一致".to_string()
            }
        )
    } else {
        writeln!(
            out,
            "{}",
            if c.differs() {
                format!("{n} score(s) differ from jixiao's; the stated scores were neither taken over nor rewritten")
            } else {
                "the stated scores agree with jixiao's".to_string()
            }
        )
    };
    for f in &c.flags {
        let _ = writeln!(out, "  {}", if zh { &f.message_zh } else { &f.message_en });
    }
    out
}

fn grade_en(g: jixiao_model::Grade) -> &'static str {
    match g {
        jixiao_model::Grade::Excellent => "excellent",
        jixiao_model::Grade::Good => "good",
        jixiao_model::Grade::Fair => "fair",
        jixiao_model::Grade::Poor => "poor",
    }
}

/// What importing a 监控表 did: the values to date recorded, and the 截至目前执行数 it states
/// beside the spending recorded to that date.
pub fn monitoring_import(r: &crate::MonitoringImport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let p = &r.project;
    let mut out = String::new();
    let _ = if zh {
        writeln!(
            out,
            "监控表 {}：{}年度 {}（{}），截至{}",
            r.source,
            p.year,
            p.name,
            p.unit,
            date(r.as_of, lang)
        )
    } else {
        writeln!(
            out,
            "monitoring table {}: {} {} ({}), as of {}",
            r.source,
            p.year,
            p.name,
            p.unit,
            date(r.as_of, lang)
        )
    };
    let _ = writeln!(
        out,
        "{}",
        recorded(
            "实际完成值",
            "actual values",
            "录入",
            "recorded",
            &r.actuals,
            lang
        )
    );
    let (stated, held) = r.spent;
    match stated {
        Some(s) if s != held => {
            let _ = if zh {
                writeln!(
                    out,
                    "监控表所填截至目前执行数 {} 元，库中截至该日的执行数 {} 元，相差 {} 元：执行数不从监控表录入，请用 jixiao spending import 录入支付记录",
                    amount(s),
                    amount(held),
                    amount(s - held)
                )
            } else {
                writeln!(
                    out,
                    "the table states {} 元 spent to date, the database holds {} 元 to that date, a difference of {} 元: spending is not taken from a monitoring table; record the payments with jixiao spending import",
                    amount(s),
                    amount(held),
                    amount(s - held)
                )
            };
        }
        _ => {}
    }
    out
}
