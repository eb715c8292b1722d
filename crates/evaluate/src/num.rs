//! Exact arithmetic helpers: checked operations (no panics on huge inputs), 四舍五入 to two
//! decimals, percentages and calendar fractions.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::Error;

/// 四舍五入 — rounds half away from zero to two decimals (`2.675` → `2.68`, `-2.675` → `-2.68`).
pub fn round2(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// [`round2`] written with exactly two decimals (`10` → `10.00`), for stable JSON.
pub(crate) fn fix2(x: Decimal) -> Decimal {
    let mut r = round2(x);
    r.rescale(2);
    r
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_mul(b).ok_or(Error::Overflow)
}

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_add(b).ok_or(Error::Overflow)
}

pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_sub(b).ok_or(Error::Overflow)
}

/// `a ÷ b`; `None` when `b` is zero or the quotient overflows.
pub(crate) fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.is_zero() {
        None
    } else {
        a.checked_div(b)
    }
}

/// `p` percent as a fraction (`70` → `0.7`).
pub(crate) fn pct(p: Decimal) -> Decimal {
    p / Decimal::ONE_HUNDRED
}

/// Elapsed fraction of the period `start..=end` as of `as_of`, counting whole days inclusive:
/// 0 before `start`, 1 from `end` on. A period whose end precedes its start counts as one day
/// ending on `start`.
pub fn elapsed_fraction(start: NaiveDate, end: NaiveDate, as_of: NaiveDate) -> Decimal {
    let end = end.max(start);
    if as_of < start {
        return Decimal::ZERO;
    }
    if as_of >= end {
        return Decimal::ONE;
    }
    let total = (end - start).num_days() + 1;
    let done = (as_of - start).num_days() + 1;
    Decimal::from(done) / Decimal::from(total)
}

/// Writes `x` with exactly two decimals (`15` → `15.00`).
pub(crate) fn fixed2(x: Decimal) -> String {
    fix2(x).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        // Banker's rounding would give 2.67 and 0.12; 四舍五入 gives 2.68 and 0.13.
        assert_eq!(round2(d("2.675")), d("2.68"));
        assert_eq!(round2(d("0.125")), d("0.13"));
        assert_eq!(round2(d("-2.675")), d("-2.68"));
        assert_eq!(round2(d("2.674999")), d("2.67"));
        assert_eq!(fixed2(d("15")), "15.00");
    }

    #[test]
    fn fractions_count_whole_days() {
        let s = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let e = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        // 2024 is a leap year: 366 days; Jan 1 – Jul 31 is 213 days.
        let jul = NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
        assert_eq!(
            elapsed_fraction(s, e, jul),
            Decimal::from(213) / Decimal::from(366)
        );
        assert_eq!(elapsed_fraction(s, e, s), Decimal::ONE / Decimal::from(366));
        assert_eq!(
            elapsed_fraction(s, e, NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
            Decimal::ZERO
        );
        assert_eq!(elapsed_fraction(s, e, e), Decimal::ONE);
        assert_eq!(elapsed_fraction(e, s, e), Decimal::ONE);
        assert_eq!(div(Decimal::ONE, Decimal::ZERO), None);
    }
}
