//! The records of a year: `actuals list` and `spending list`, their history (`--history`) and
//! the audit trail (`jixiao audit`), and how a recording went.

use std::fmt::Write;

use jixiao_app::views::observed;
use jixiao_app::{ActualSet, AuditEntry, HistoryEntry, RecordSummary};
use jixiao_model::present;
use jixiao_model::{Decimal, Lang, ObservedValue, Project, ReportPeriod, SpendingRecord};

use super::stamp;

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
