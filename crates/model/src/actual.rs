//! 实际完成值 and 执行数 — what is recorded against a project during the year.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::period::ReportPeriod;

/// 达成 / 部分达成 / 未达成 — the achievement level of a qualitative indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Achievement {
    /// 达成.
    Met,
    /// 部分达成.
    Partly,
    /// 未达成.
    NotMet,
}

impl Achievement {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Achievement::Met => "达成",
            Achievement::Partly => "部分达成",
            Achievement::NotMet => "未达成",
        }
    }

    /// Reads `达成`, `部分达成`, `未达成` (or the English ids).
    pub fn from_text(s: &str) -> Option<Achievement> {
        Some(match s.trim() {
            "达成" | "已达成" | "met" => Achievement::Met,
            "部分达成" | "partly" => Achievement::Partly,
            "未达成" | "not_met" => Achievement::NotMet,
            _ => return None,
        })
    }
}

/// An observed value: a number with its unit, a date of completion, or a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObservedValue {
    /// A measured number (`13500公里`, `96%`).
    Number {
        /// The value.
        value: Decimal,
        /// Its unit, when given.
        unit: Option<String>,
    },
    /// The date something was completed.
    Date {
        /// Completion date.
        date: NaiveDate,
    },
    /// A qualitative achievement level.
    Level {
        /// The level.
        level: Achievement,
    },
}

/// 实际完成值 — one observation of an indicator for one period.
///
/// Its identity is (indicator, [`ReportPeriod`]): a second value for the same indicator and
/// period replaces the first (the store keeps the old one in history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The indicator's code within the project version it is read against (the store resolves
    /// its stable indicator id to the current code).
    pub indicator: String,
    /// 填报期间 — the day for one-off targets, the week/month/quarter/half-year/year of a
    /// recurring one.
    pub period: ReportPeriod,
    /// The day the value was reached or reported.
    pub date: NaiveDate,
    /// What was observed.
    pub value: ObservedValue,
    /// A note (说明).
    pub note: Option<String>,
    /// Where the evidence is (佐证材料).
    pub evidence: Option<String>,
}

/// 执行数 — money spent on a date, in 元.
///
/// Its identity within a declaration is (date, voucher), or (date, note) when there is no
/// voucher: a second record with the same key replaces the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingRecord {
    /// Date of the payment.
    pub date: NaiveDate,
    /// Amount in 元.
    pub amount: Decimal,
    /// 凭证号 — the voucher or document number, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voucher: Option<String>,
    /// A note.
    pub note: Option<String>,
}
