//! Helpers shared by scoring and monitoring: picking the current observations (one per
//! (indicator, 填报期间) key, the last given winning), checking that a value fits its target's
//! kind ([`Misfit`]), matching compound parts, the periods of a recurring deadline.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use jixiao_model::{
    Achievement, Observation, ObservedValue, Period, Quantity, Recurrence, ReportPeriod, Target,
};
use rust_decimal::Decimal;

use crate::rows::norm_unit;

/// The observations of one indicator up to `as_of` (by the day they were reported; all when
/// `None`), in the order given.
pub(crate) fn observations_of<'a>(
    code: &str,
    observations: &'a [Observation],
    as_of: Option<NaiveDate>,
) -> Vec<&'a Observation> {
    observations
        .iter()
        .filter(|o| o.indicator == code && as_of.is_none_or(|d| o.date <= d))
        .collect()
}

fn period_key(p: &ReportPeriod) -> (Option<NaiveDate>, Option<NaiveDate>, ReportPeriod) {
    (p.first_day(), p.last_day(), *p)
}

/// The observations sorted by 填报期间 (earliest first); observations of the same period keep
/// the order given, so the later one wins.
pub(crate) fn by_period<'a>(obs: &[&'a Observation]) -> Vec<&'a Observation> {
    let mut v = obs.to_vec();
    v.sort_by_key(|o| period_key(&o.period));
    v
}

/// One observation per 填报期间 — the last given — sorted by period.
pub(crate) fn last_per_period<'a>(obs: &[&'a Observation]) -> Vec<&'a Observation> {
    let mut out: Vec<&Observation> = Vec::new();
    for o in by_period(obs) {
        match out.last_mut() {
            Some(last) if last.period == o.period => *last = o,
            _ => out.push(o),
        }
    }
    out
}

/// The current observations of an indicator with this target: one per period (the last given)
/// for single values; all of them for a compound target, whose parts share a period
/// ([`clause_values`] lets a later value of a part replace an earlier one). Sorted by period.
pub(crate) fn current<'a>(target: &Target, obs: &[&'a Observation]) -> Vec<&'a Observation> {
    match target {
        Target::Compound(_) => by_period(obs),
        _ => last_per_period(obs),
    }
}

/// Whether a value fits its target's kind: a number (in the target's unit, or one of its parts')
/// for quantities, a completion date or 未达成 for deadlines, a level for qualitative targets.
pub(crate) fn fits(target: &Target, value: &ObservedValue) -> bool {
    match (target, value) {
        (Target::Quantitative(_) | Target::Compound(_), ObservedValue::Number { unit, .. }) => {
            let parts = target.quantities();
            !parts.is_empty()
                && parts.iter().any(|q| match (unit, &q.unit) {
                    (Some(u), Some(pu)) => norm_unit(u) == norm_unit(pu),
                    _ => true,
                })
        }
        (Target::Deadline(_), ObservedValue::Date { .. }) => true,
        (
            Target::Deadline(_),
            ObservedValue::Level {
                level: Achievement::NotMet,
            },
        ) => true,
        (Target::Qualitative(_), ObservedValue::Level { .. }) => true,
        _ => false,
    }
}

/// Splits the current observations (sorted by period) into those that fit the target and the
/// latest ones that do not: values that fit no more and have not been confirmed again since
/// (an older misfit followed by a fitting value is superseded by it).
pub(crate) fn split_misfits<'a>(
    target: &Target,
    cur: &[&'a Observation],
) -> (Vec<&'a Observation>, Vec<&'a Observation>) {
    let trailing = cur
        .iter()
        .rev()
        .take_while(|o| !fits(target, &o.value))
        .count();
    let (before, after) = cur.split_at(cur.len() - trailing);
    let fitting = before
        .iter()
        .copied()
        .filter(|o| fits(target, &o.value))
        .collect();
    (fitting, after.to_vec())
}

/// A recorded value that cannot be scored against its target (指标值类型已变更): it does not fit
/// the target's kind, or its 填报期间 does not fit a recurring deadline. Kept typed; only the
/// flag's messages write it as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Misfit {
    /// The 填报期间, shown for a recurring deadline (whose periods are told apart); `None`
    /// otherwise.
    pub period: Option<ReportPeriod>,
    /// The value as recorded.
    pub value: ObservedValue,
}

impl Misfit {
    /// The value alone (for a target reported once).
    pub fn value(o: &Observation) -> Misfit {
        Misfit {
            period: None,
            value: o.value.clone(),
        }
    }

    /// The value with the period it is counted for.
    pub fn in_period(period: ReportPeriod, o: &Observation) -> Misfit {
        Misfit {
            period: Some(period),
            value: o.value.clone(),
        }
    }
}

/// The period of kind `kind` that `p` lies in (`2024-02` → `2024Q1` for a quarterly deadline),
/// `None` when `p` spans several (a year under a quarterly deadline).
pub(crate) fn within_period(p: &ReportPeriod, kind: Period) -> Option<ReportPeriod> {
    if p.kind() == Some(kind) {
        return Some(*p);
    }
    let (first, last) = (p.first_day()?, p.last_day()?);
    let c = ReportPeriod::containing(first, kind);
    c.contains(last).then_some(c)
}

/// The latest value of each clause, matched by unit within each period's group of observations:
/// a row of all parts (`130项；320家`) fills them in order, a single row fills the part of its
/// unit; a later value of a part (a correction) replaces an earlier one of the same period, and
/// a later period's value an earlier period's. Observations that are not numbers are ignored.
pub(crate) fn clause_values(parts: &[Quantity], obs: &[&Observation]) -> Vec<Option<Decimal>> {
    let obs = by_period(obs);
    let mut latest: Vec<Option<Decimal>> = vec![None; parts.len()];
    let mut i = 0;
    while i < obs.len() {
        let period = obs[i].period;
        let mut taken = vec![false; parts.len()];
        while i < obs.len() && obs[i].period == period {
            if let ObservedValue::Number { value, unit } = &obs[i].value {
                let candidates: Vec<usize> = (0..parts.len())
                    .filter(|&k| match (unit, &parts[k].unit) {
                        (Some(u), Some(pu)) => norm_unit(u) == norm_unit(pu),
                        _ => true,
                    })
                    .collect();
                let slot = match candidates.iter().find(|&&k| !taken[k]) {
                    Some(&k) => Some(k),
                    None => {
                        // Every part this value can fill was given already in this period: a
                        // corrected row starts over.
                        for &k in &candidates {
                            taken[k] = false;
                        }
                        candidates.first().copied()
                    }
                };
                if let Some(k) = slot {
                    taken[k] = true;
                    latest[k] = Some(*value);
                }
            }
            i += 1;
        }
    }
    latest
}

/// The latest achievement level among the observations.
pub(crate) fn latest_level(obs: &[&Observation]) -> Option<Achievement> {
    obs.iter().rev().find_map(|o| match o.value {
        ObservedValue::Level { level } => Some(level),
        _ => None,
    })
}

/// What the latest date-or-level observation of a deadline says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Completion {
    /// Done on this date.
    Done(NaiveDate),
    /// Reported 未达成.
    NotDone,
}

pub(crate) fn latest_completion(obs: &[&Observation]) -> Option<Completion> {
    obs.iter().rev().find_map(|o| match o.value {
        ObservedValue::Date { date } => Some(Completion::Done(date)),
        ObservedValue::Level {
            level: Achievement::NotMet,
        } => Some(Completion::NotDone),
        _ => None,
    })
}

/// One period of a recurring deadline, clipped to the project period, with its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DuePeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
}

fn add_months(d: NaiveDate, months: u32) -> Option<NaiveDate> {
    d.checked_add_months(chrono::Months::new(months))
}

/// First day of the calendar period containing `d`.
fn period_start(period: Period, d: NaiveDate) -> Option<NaiveDate> {
    let m0 = d.month0();
    match period {
        Period::Week => {
            d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
        }
        Period::Month => NaiveDate::from_ymd_opt(d.year(), m0 + 1, 1),
        Period::Quarter => NaiveDate::from_ymd_opt(d.year(), m0 / 3 * 3 + 1, 1),
        Period::HalfYear => NaiveDate::from_ymd_opt(d.year(), m0 / 6 * 6 + 1, 1),
        Period::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1),
    }
}

fn next_period(period: Period, s: NaiveDate) -> Option<NaiveDate> {
    match period {
        Period::Week => s.checked_add_days(Days::new(7)),
        Period::Month => add_months(s, 1),
        Period::Quarter => add_months(s, 3),
        Period::HalfYear => add_months(s, 6),
        Period::Year => add_months(s, 12),
    }
}

/// Adds `n` days, or `n` working days (Monday to Friday; public holidays are not known here).
pub(crate) fn add_days(d: NaiveDate, n: u32, working: bool) -> NaiveDate {
    if !working {
        return d
            .checked_add_days(Days::new(u64::from(n)))
            .unwrap_or(NaiveDate::MAX);
    }
    let mut d = d;
    let mut left = n;
    while left > 0 {
        let Some(next) = d.succ_opt() else {
            return NaiveDate::MAX;
        };
        d = next;
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// The calendar periods (weeks from Monday, months, quarters, half-years, years) that overlap
/// `start..=end`, clipped to it; each is due `within_days` after its (clipped) end.
pub(crate) fn due_periods(rule: &Recurrence, start: NaiveDate, end: NaiveDate) -> Vec<DuePeriod> {
    let end = end.max(start);
    let mut out = Vec::new();
    let Some(mut s) = period_start(rule.period, start) else {
        return out;
    };
    // 10 000 periods is far more than any project has (weekly over two centuries).
    while s <= end && out.len() < 10_000 {
        let Some(next) = next_period(rule.period, s) else {
            break;
        };
        let p_end = next.pred_opt().unwrap_or(next).min(end);
        let p_start = s.max(start);
        out.push(DuePeriod {
            start: p_start,
            end: p_end,
            due: add_days(p_end, rule.within_days, rule.working_days),
        });
        s = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn monthly_periods_of_2024() {
        let rule = Recurrence {
            period: Period::Month,
            within_days: 30,
            working_days: false,
        };
        let p = due_periods(&rule, date(2024, 1, 1), date(2024, 12, 31));
        assert_eq!(p.len(), 12);
        // January ends on the 31st; 30 days later is 1 March (2024 is a leap year).
        assert_eq!(p[0].end, date(2024, 1, 31));
        assert_eq!(p[0].due, date(2024, 3, 1));
        assert_eq!(p[1].end, date(2024, 2, 29));
        assert_eq!(p[1].due, date(2024, 3, 30));
        assert_eq!(p[11].due, date(2025, 1, 30));
    }

    #[test]
    fn clipped_quarters_and_working_days() {
        let rule = Recurrence {
            period: Period::Quarter,
            within_days: 10,
            working_days: true,
        };
        let p = due_periods(&rule, date(2024, 2, 15), date(2024, 8, 10));
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].start, date(2024, 2, 15));
        assert_eq!(p[2].end, date(2024, 8, 10));
        // Sat 10 Aug 2024 + 10 working days: Mon 12 … Fri 23 Aug.
        assert_eq!(p[2].due, date(2024, 8, 23));
        let weeks = due_periods(
            &Recurrence {
                period: Period::Week,
                within_days: 2,
                working_days: false,
            },
            date(2024, 1, 3),
            date(2024, 1, 14),
        );
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[0].start, date(2024, 1, 3));
        assert_eq!(weeks[0].end, date(2024, 1, 7));
    }
}
