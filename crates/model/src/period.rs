//! 填报期间 — the period an actual value is reported for.
//!
//! An actual value (实际完成值) is identified by its indicator and its period: the day for a
//! one-off target, the week, month, quarter, half-year or year for a recurring one
//! (`每季度结束之后的30日内完成`). Its text form is what a spreadsheet's `period` / `期间` column holds:
//!
//! | period | canonical | also read |
//! |---|---|---|
//! | a day | `2024-06-30` | `2024/6/30`, `2024年6月30日` |
//! | an ISO week | `2024W05` | `2024-W05` |
//! | a month | `2024-03` | `2024/3`, `2024年3月` |
//! | a quarter | `2024Q1` | `2024年第1季度`, `2024年一季度`, `2024年第一季度` |
//! | a half-year | `2024H1` | `2024年上半年`, `2024年下半年` |
//! | a year | `2024` | `2024年`, `2024年度` |

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, IsoWeek, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::amount::parse_date;
use crate::target::{Deadline, Period, Target};
use crate::text::fold_char;

/// 填报期间 — the day, week, month, quarter, half-year or year an actual value is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportPeriod {
    /// One day (one-off targets: the day the value was reached or reported).
    Day(NaiveDate),
    /// An ISO week (`2024W05`).
    Week {
        /// ISO week-numbering year.
        year: i32,
        /// 1..=53.
        week: u32,
    },
    /// A month (`2024-03`).
    Month {
        /// Year.
        year: i32,
        /// 1..=12.
        month: u32,
    },
    /// A quarter (`2024Q1`).
    Quarter {
        /// Year.
        year: i32,
        /// 1..=4.
        quarter: u32,
    },
    /// A half-year (`2024H1`).
    HalfYear {
        /// Year.
        year: i32,
        /// 1 or 2.
        half: u32,
    },
    /// A whole year (`2024`).
    Year(i32),
}

/// A period text that is not one of the accepted shapes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("无法识别期间「{0}」：应为 2024-06-30、2024-03、2024Q1、2024H1 或 2024 / cannot read the period {0:?}: expected 2024-06-30, 2024-03, 2024Q1, 2024H1 or 2024")]
pub struct PeriodError(pub String);

impl PeriodError {
    /// What is wrong, in Chinese and in English, each alone, the examples in `year` (the
    /// declaration's own: a 2025 project is told `2025Q1`, not a fixed 2024).
    pub fn messages_in(&self, year: i32) -> (String, String) {
        let t = &self.0;
        (
            format!("无法识别期间「{t}」：应为 {year}-06-30、{year}-03、{year}Q1、{year}H1 或 {year}"),
            format!(
                "cannot read the period {t:?}: expected {year}-06-30, {year}-03, {year}Q1, {year}H1 or {year}"
            ),
        )
    }
}

impl ReportPeriod {
    /// The period of kind `period` that contains `date`.
    pub fn containing(date: NaiveDate, period: Period) -> ReportPeriod {
        let (year, month) = (date.year(), date.month());
        match period {
            Period::Week => {
                let w: IsoWeek = date.iso_week();
                ReportPeriod::Week {
                    year: w.year(),
                    week: w.week(),
                }
            }
            Period::Month => ReportPeriod::Month { year, month },
            Period::Quarter => ReportPeriod::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            Period::HalfYear => ReportPeriod::HalfYear {
                year,
                half: if month <= 6 { 1 } else { 2 },
            },
            Period::Year => ReportPeriod::Year(year),
        }
    }

    /// The period a value reported on `date` is for, by the target's kind: the containing
    /// period of a recurring deadline, the day itself otherwise.
    pub fn for_target(target: &Target, date: NaiveDate) -> ReportPeriod {
        match target {
            Target::Deadline(Deadline::Recurring(r)) => ReportPeriod::containing(date, r.period),
            _ => ReportPeriod::Day(date),
        }
    }

    /// The kind of recurring period, `None` for a day.
    pub fn kind(&self) -> Option<Period> {
        Some(match self {
            ReportPeriod::Day(_) => return None,
            ReportPeriod::Week { .. } => Period::Week,
            ReportPeriod::Month { .. } => Period::Month,
            ReportPeriod::Quarter { .. } => Period::Quarter,
            ReportPeriod::HalfYear { .. } => Period::HalfYear,
            ReportPeriod::Year(_) => Period::Year,
        })
    }

    /// First day of the period (`None` only for dates out of chrono's range).
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            ReportPeriod::Day(d) => Some(d),
            ReportPeriod::Week { year, week } => {
                NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            }
            ReportPeriod::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
            ReportPeriod::Quarter { year, quarter } => {
                NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)
            }
            ReportPeriod::HalfYear { year, half } => {
                NaiveDate::from_ymd_opt(year, if half == 1 { 1 } else { 7 }, 1)
            }
            ReportPeriod::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1),
        }
    }

    /// Last day of the period.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match *self {
            ReportPeriod::Day(d) => Some(d),
            ReportPeriod::Week { year, week } => {
                NaiveDate::from_isoywd_opt(year, week, Weekday::Sun)
            }
            _ => {
                let months = match self {
                    ReportPeriod::Month { .. } => 1,
                    ReportPeriod::Quarter { .. } => 3,
                    ReportPeriod::HalfYear { .. } => 6,
                    _ => 12,
                };
                self.first_day()?
                    .checked_add_months(chrono::Months::new(months))?
                    .checked_sub_days(Days::new(1))
            }
        }
    }

    /// Whether `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        matches!((self.first_day(), self.last_day()), (Some(a), Some(b)) if a <= date && date <= b)
    }

    /// The Chinese reading: `2024年6月30日`, `2024年第5周`, `2024年3月`, `2024年第1季度`,
    /// `2024年上半年`, `2024年`.
    pub fn zh(&self) -> String {
        match *self {
            ReportPeriod::Day(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            ReportPeriod::Week { year, week } => format!("{year}年第{week}周"),
            ReportPeriod::Month { year, month } => format!("{year}年{month}月"),
            ReportPeriod::Quarter { year, quarter } => format!("{year}年第{quarter}季度"),
            ReportPeriod::HalfYear { year, half } => {
                format!("{year}年{}", if half == 1 { "上半年" } else { "下半年" })
            }
            ReportPeriod::Year(year) => format!("{year}年"),
        }
    }
}

impl fmt::Display for ReportPeriod {
    /// The canonical text (`2024-06-30`, `2024W05`, `2024-03`, `2024Q1`, `2024H1`, `2024`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ReportPeriod::Day(d) => write!(f, "{d}"),
            ReportPeriod::Week { year, week } => write!(f, "{year}W{week:02}"),
            ReportPeriod::Month { year, month } => write!(f, "{year}-{month:02}"),
            ReportPeriod::Quarter { year, quarter } => write!(f, "{year}Q{quarter}"),
            ReportPeriod::HalfYear { year, half } => write!(f, "{year}H{half}"),
            ReportPeriod::Year(year) => write!(f, "{year}"),
        }
    }
}

fn cn_digit(s: &str) -> Option<u32> {
    Some(match s {
        "一" | "1" => 1,
        "二" | "2" => 2,
        "三" | "3" => 3,
        "四" | "4" => 4,
        _ => return None,
    })
}

fn year_of(s: &str) -> Option<i32> {
    (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for ReportPeriod {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodError(text.trim().to_string());
        let s: String = text
            .chars()
            .map(fold_char)
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if s.is_empty() {
            return Err(bad());
        }
        if let Ok(d) = parse_date(&s) {
            return Ok(ReportPeriod::Day(d));
        }
        let s = s.as_str();
        if let Some(y) = year_of(s.trim_end_matches("年度").trim_end_matches('年')) {
            return Ok(ReportPeriod::Year(y));
        }
        let checked = |p: ReportPeriod| p.first_day().map(|_| p).ok_or_else(bad);
        // 2024Q1, 2024H1, 2024W05, 2024-W05
        if s.len() > 5 && s.is_char_boundary(4) {
            let (y, rest) = s.split_at(4);
            if let Some(year) = year_of(y) {
                let rest = rest.trim_start_matches('-');
                let num = |r: &str| r.parse::<u32>().ok();
                if let Some(q) = rest.strip_prefix('Q').and_then(num) {
                    if (1..=4).contains(&q) {
                        return checked(ReportPeriod::Quarter { year, quarter: q });
                    }
                }
                if let Some(h) = rest.strip_prefix('H').and_then(num) {
                    if (1..=2).contains(&h) {
                        return checked(ReportPeriod::HalfYear { year, half: h });
                    }
                }
                if let Some(w) = rest.strip_prefix('W').and_then(num) {
                    return checked(ReportPeriod::Week { year, week: w });
                }
                // 2024-03, 2024/3
                if let Ok(m) = rest.strip_prefix('/').unwrap_or(rest).parse::<u32>() {
                    if (1..=12).contains(&m) && !rest.contains(['-', '.']) {
                        return checked(ReportPeriod::Month { year, month: m });
                    }
                }
            }
        }
        // 2024年3月, 2024年第1季度, 2024年一季度, 2024年上半年
        if let Some((y, rest)) = s.split_once('年') {
            if let Some(year) = year_of(y) {
                if let Some(m) = rest.strip_suffix('月').and_then(|m| m.parse::<u32>().ok()) {
                    if (1..=12).contains(&m) {
                        return checked(ReportPeriod::Month { year, month: m });
                    }
                }
                if let Some(q) = rest
                    .strip_suffix("季度")
                    .map(|q| q.trim_start_matches('第'))
                    .and_then(cn_digit)
                {
                    return checked(ReportPeriod::Quarter { year, quarter: q });
                }
                match rest {
                    "上半年" => return checked(ReportPeriod::HalfYear { year, half: 1 }),
                    "下半年" => return checked(ReportPeriod::HalfYear { year, half: 2 }),
                    _ => {}
                }
                if let Some(w) = rest
                    .strip_prefix('第')
                    .and_then(|r| r.strip_suffix('周'))
                    .and_then(|w| w.parse::<u32>().ok())
                {
                    return checked(ReportPeriod::Week { year, week: w });
                }
            }
        }
        Err(bad())
    }
}

impl Serialize for ReportPeriod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReportPeriod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ReportPeriod {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn canonical_texts_round_trip() {
        for s in [
            "2024-06-30",
            "2024W05",
            "2024-03",
            "2024Q1",
            "2024H2",
            "2024",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
    }

    #[test]
    fn chinese_and_loose_spellings() {
        assert_eq!(p("2024年6月30日"), ReportPeriod::Day(day(2024, 6, 30)));
        assert_eq!(p("2024/6/30"), ReportPeriod::Day(day(2024, 6, 30)));
        assert_eq!(p("2024年3月"), p("2024-03"));
        assert_eq!(p("2024/3"), p("2024-03"));
        assert_eq!(p("2024年第1季度"), p("2024Q1"));
        assert_eq!(p("2024年一季度"), p("2024Q1"));
        assert_eq!(p("2024年第四季度"), p("2024Q4"));
        assert_eq!(p("2024q3"), p("2024Q3"));
        assert_eq!(p("2024年上半年"), p("2024H1"));
        assert_eq!(p("2024年度"), p("2024"));
        assert_eq!(p("2024-W05"), p("2024W05"));
    }

    #[test]
    fn refused() {
        for s in [
            "",
            "2024Q5",
            "2024-13",
            "2024H3",
            "24Q1",
            "第一季度",
            "2024W60",
            "abc",
        ] {
            assert!(
                s.parse::<ReportPeriod>().is_err(),
                "{s:?} should be refused"
            );
        }
    }

    #[test]
    fn bounds_and_containment() {
        let q2 = p("2024Q2");
        assert_eq!(q2.first_day(), Some(day(2024, 4, 1)));
        assert_eq!(q2.last_day(), Some(day(2024, 6, 30)));
        assert!(q2.contains(day(2024, 6, 30)));
        assert!(!q2.contains(day(2024, 7, 1)));
        assert_eq!(p("2024-02").last_day(), Some(day(2024, 2, 29)));
        assert_eq!(
            ReportPeriod::containing(day(2024, 8, 15), Period::Quarter),
            q2.next_quarter_for_test()
        );
        assert_eq!(
            ReportPeriod::containing(day(2024, 12, 31), Period::HalfYear),
            p("2024H2")
        );
    }

    impl ReportPeriod {
        fn next_quarter_for_test(&self) -> ReportPeriod {
            match *self {
                ReportPeriod::Quarter { year, quarter } => ReportPeriod::Quarter {
                    year,
                    quarter: quarter + 1,
                },
                other => other,
            }
        }
    }

    #[test]
    fn period_follows_the_target() {
        let quarterly = Target::parse("每季度结束之后的30日内完成").unwrap();
        assert_eq!(
            ReportPeriod::for_target(&quarterly, day(2024, 4, 20)),
            p("2024Q2")
        );
        let once = Target::parse("≥15000.00(公里)").unwrap();
        assert_eq!(
            ReportPeriod::for_target(&once, day(2024, 4, 20)),
            p("2024-04-20")
        );
    }
}
