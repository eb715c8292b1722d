//! 录入结果 — what one hand-entered write did, said to the person who made it: 新增,
//! 更正（原值 88%）, 未变化 or 已撤回 — never only "已录入".

use jixiao_model::{Lang, Observation, SpendingRecord};

use crate::RecordSummary;

/// What a write of an actual value or a spending record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// 新增 — nothing was there for that key.
    Added,
    /// 更正 — a different value was there; it is kept in the history.
    Corrected {
        /// The value before, in Chinese (`88%`, `12,000.00 元`).
        was_zh: String,
        /// The value before, in English.
        was_en: String,
    },
    /// 未变化 — the same value was there: nothing was written.
    Unchanged,
    /// 已撤回 — the current value was retracted with a reason.
    Retracted,
}

impl WriteOutcome {
    /// The id used by the API and the page address (`added`, `corrected`, `unchanged`,
    /// `retracted`).
    pub fn id(&self) -> &'static str {
        match self {
            WriteOutcome::Added => "added",
            WriteOutcome::Corrected { .. } => "corrected",
            WriteOutcome::Unchanged => "unchanged",
            WriteOutcome::Retracted => "retracted",
        }
    }

    /// What happened, in the user's language (`已更正，原值 88%`).
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (WriteOutcome::Added, Lang::Zh) => "已新增".into(),
            (WriteOutcome::Added, Lang::En) => "Added".into(),
            (WriteOutcome::Corrected { was_zh, .. }, Lang::Zh) => format!("已更正，原值 {was_zh}"),
            (WriteOutcome::Corrected { was_en, .. }, Lang::En) => {
                format!("Corrected; it was {was_en}")
            }
            (WriteOutcome::Unchanged, Lang::Zh) => "未变化：与现有值相同，未写入".into(),
            (WriteOutcome::Unchanged, Lang::En) => {
                "Unchanged: the same value is already there; nothing was written".into()
            }
            (WriteOutcome::Retracted, Lang::Zh) => "已撤回，原值保留在历史中".into(),
            (WriteOutcome::Retracted, Lang::En) => {
                "Retracted; the value stays in the history".into()
            }
        }
    }
}

/// A write and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The rows added, replaced and unchanged (a compound target writes one per part).
    pub summary: RecordSummary,
    /// What the write did, as a whole.
    pub outcome: WriteOutcome,
}

/// The outcome of a write from the store's counts and the values there before: any
/// replacement is a correction (naming what it replaced), else any addition is new, else
/// nothing changed.
fn outcome(summary: RecordSummary, before: Vec<(String, String)>) -> WriteOutcome {
    if summary.replaced > 0 {
        let (zh, en): (Vec<String>, Vec<String>) = before.into_iter().unzip();
        WriteOutcome::Corrected {
            was_zh: zh.join("；"),
            was_en: en.join("; "),
        }
    } else if summary.added > 0 {
        WriteOutcome::Added
    } else {
        WriteOutcome::Unchanged
    }
}

/// [`Recorded`] for actual values: `current` is what was there before, `written` what was
/// recorded (one per part of a compound target).
pub(crate) fn of_actuals(
    summary: RecordSummary,
    current: &[Observation],
    written: &[Observation],
) -> Recorded {
    let before = written
        .iter()
        .filter_map(|w| {
            current
                .iter()
                .find(|c| c.indicator == w.indicator && c.period == w.period && *c != w)
        })
        .map(|c| {
            (
                crate::render::observed(&c.value, Lang::Zh),
                crate::render::observed(&c.value, Lang::En),
            )
        })
        .collect();
    Recorded {
        summary,
        outcome: outcome(summary, before),
    }
}

/// [`Recorded`] for one spending record: the current record of the same date and voucher (or,
/// without one, note) is the one it replaces.
pub(crate) fn of_spending(
    summary: RecordSummary,
    current: &[SpendingRecord],
    written: &[SpendingRecord],
) -> Recorded {
    let before = written
        .iter()
        .filter_map(|w| {
            current.iter().find(|c| {
                c.date == w.date
                    && match &w.voucher {
                        Some(v) => c.voucher.as_ref() == Some(v),
                        None => c.voucher.is_none() && c.note == w.note,
                    }
                    && *c != w
            })
        })
        .map(|c| {
            (
                jixiao_model::present::money(c.amount, Lang::Zh),
                jixiao_model::present::money(c.amount, Lang::En),
            )
        })
        .collect();
    Recorded {
        summary,
        outcome: outcome(summary, before),
    }
}
