//! 完成值 — the typed values in the 实际完成值 column of the 自评表 and the 截至目前完成值 /
//! 全年预计完成值 columns of the 监控表.
//!
//! Scoring and monitoring build these values; only the renderers
//! ([`render_evaluation`](crate::render_evaluation), [`render_monitoring`](crate::render_monitoring),
//! [`value_text`](crate::value_text)) turn them into text, so that JSON, XLSX or PDF writers get
//! numbers, dates and levels rather than preformatted strings.

use chrono::NaiveDate;
use jixiao_model::{Achievement, ObservedValue};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The value shown for an indicator (实际完成值, 截至目前完成值 or 全年预计完成值).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorValue {
    /// A quantitative target: one value per clause, in the order of the target's clauses
    /// (`≥130项；≥300家` has two); `None` where a clause has no value.
    Numbers {
        /// The clauses' values.
        parts: Vec<Option<Measured>>,
    },
    /// 完成日期 — the date a deadline was met.
    Date {
        /// Completion date.
        date: NaiveDate,
    },
    /// 达成 / 部分达成 / 未达成 (also a deadline reported 未达成).
    Level {
        /// The level.
        level: Achievement,
    },
    /// A recurring deadline (`每月结束之后的30日内完成`): periods done on time out of those
    /// counted.
    Periods {
        /// Periods done by their due date.
        on_time: u32,
        /// Periods counted (due, or done, as of the date).
        of: u32,
    },
    /// 待确认 — a value as recorded that no longer fits the target's kind (达成 recorded
    /// before the target became `≥95.00(%)`, a number in another unit): shown as it was
    /// recorded, not scored (outcome [`Outcome::Unconfirmed`](crate::Outcome::Unconfirmed),
    /// grey light) and flagged [`FlagKind::KindChanged`](crate::FlagKind::KindChanged).
    Recorded {
        /// The value, exactly as recorded (its own unit, if any).
        value: ObservedValue,
    },
}

/// A number with the unit of its target clause (`13500` `公里`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measured {
    /// The value, exactly as recorded (or computed and rounded to 2 decimals for a forecast).
    pub value: Decimal,
    /// The clause's unit, when it has one.
    pub unit: Option<String>,
}

impl Measured {
    /// A value in a clause's unit.
    pub fn new(value: Decimal, unit: Option<&str>) -> Measured {
        Measured {
            value,
            unit: unit.map(str::to_string),
        }
    }
}
