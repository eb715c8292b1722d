//! 录入结果 — what one hand-entered write did, said to the person who made it: 新增,
//! 更正（原值 88%）, 未变化 or 已撤回 — never only "已录入".

use jixiao_model::{Lang, NaiveDate, ReportPeriod};
use jixiao_store::{Outcome, RecordSummary, Was};

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
    /// The rows added, replaced and unchanged (a compound target writes one per part), each
    /// with its own outcome as the store decided it inside the write's transaction.
    pub summary: RecordSummary,
    /// What the write did, as a whole.
    pub outcome: WriteOutcome,
    /// A month, quarter … written for a value read as of its day (a cumulative count reported
    /// quarterly): the period written and the day the value is recorded for.
    pub as_of: Option<(ReportPeriod, NaiveDate)>,
}

/// What a period written for a value read as of its day was read as:
/// `期间「2024年第2季度」读作截至 2024年6月30日 的值`.
pub fn as_of_text(period: ReportPeriod, date: NaiveDate, lang: Lang) -> String {
    let day = jixiao_model::present::date(date, lang);
    match lang {
        Lang::Zh => format!("期间「{}」读作截至 {day} 的值", period.zh()),
        Lang::En => format!("the period {period} was read as the value as of {day}"),
    }
}

impl From<RecordSummary> for Recorded {
    /// Any correction makes the write a correction (naming every value it replaced), else any
    /// addition makes it new, else nothing changed. The values replaced are the store's, read
    /// in the same transaction as the write: never a guess from a read before it.
    fn from(summary: RecordSummary) -> Recorded {
        let mut was: Vec<(String, String)> = Vec::new();
        let mut added = false;
        for r in &summary.outcomes {
            match &r.outcome {
                Outcome::Corrected(Was::Actual(o)) => was.push((
                    crate::views::observed(&o.value, Lang::Zh),
                    crate::views::observed(&o.value, Lang::En),
                )),
                Outcome::Corrected(Was::Spending(s)) => was.push((
                    jixiao_model::present::money(s.amount, Lang::Zh),
                    jixiao_model::present::money(s.amount, Lang::En),
                )),
                Outcome::Added => added = true,
                Outcome::Unchanged => {}
            }
        }
        let outcome = if !was.is_empty() {
            let (zh, en): (Vec<String>, Vec<String>) = was.into_iter().unzip();
            WriteOutcome::Corrected {
                was_zh: zh.join("；"),
                was_en: en.join("; "),
            }
        } else if added {
            WriteOutcome::Added
        } else {
            WriteOutcome::Unchanged
        };
        Recorded {
            summary,
            outcome,
            as_of: None,
        }
    }
}
