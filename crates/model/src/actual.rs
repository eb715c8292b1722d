//! 实际完成值 and 执行数 — what is recorded against a project during the year.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

/// 实际完成值 — one dated observation of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The indicator's code within its project.
    pub indicator: String,
    /// As of when.
    pub date: NaiveDate,
    /// What was observed.
    pub value: ObservedValue,
    /// A note (说明).
    pub note: Option<String>,
    /// Where the evidence is (佐证材料).
    pub evidence: Option<String>,
}

/// 执行数 — money spent on a date, in 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingRecord {
    /// Date of the payment.
    pub date: NaiveDate,
    /// Amount in 元.
    pub amount: Decimal,
    /// A note.
    pub note: Option<String>,
}
