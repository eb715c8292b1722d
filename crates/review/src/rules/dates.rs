//! 日期 — the period is ordered, covers the budget year, and holds every dated target.

use jixiao_model::present::date;
use jixiao_model::{Deadline, Lang, NaiveDate, Target};

use super::{Ctx, Msg};

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.project;
    if p.start > p.end {
        ctx.project(
            "dates.order",
            Msg {
                zh: format!(
                    "计划开始日期 {} 晚于计划完成日期 {}。",
                    date(p.start, Lang::Zh),
                    date(p.end, Lang::Zh)
                ),
                en: format!(
                    "The planned start {} is after the planned end {}.",
                    p.start, p.end
                ),
                fix_zh: "核对并改正计划开始日期与计划完成日期。".into(),
                fix_en: "Correct the planned start and end dates.".into(),
            },
        );
        // With the period reversed, "inside the period" means nothing.
        return;
    }
    let year_start = NaiveDate::from_ymd_opt(p.year, 1, 1);
    let year_end = NaiveDate::from_ymd_opt(p.year, 12, 31);
    if let (Some(ys), Some(ye)) = (year_start, year_end) {
        if p.end < ys || p.start > ye {
            ctx.project(
                "dates.year",
                Msg {
                    zh: format!(
                        "实施期 {} 至 {} 不含申报年度 {} 年。",
                        date(p.start, Lang::Zh),
                        date(p.end, Lang::Zh),
                        p.year
                    ),
                    en: format!(
                        "The period {} to {} does not overlap the budget year {}.",
                        p.start, p.end, p.year
                    ),
                    fix_zh: "核对申报年度与计划开始、完成日期。".into(),
                    fix_en: "Check the budget year and the planned dates.".into(),
                },
            );
        }
    }
    if ctx.on("dates.deadline-outside-period").is_none() {
        return;
    }
    let grace = i64::from(ctx.policy.dates.grace_days);
    for ind in &p.indicators {
        let Target::Deadline(Deadline::Date(d)) = &ind.target else {
            continue;
        };
        let d = *d;
        let late_by = d.signed_duration_since(p.end).num_days();
        if d < p.start || late_by > grace {
            let side_zh = if d < p.start {
                "早于计划开始日期"
            } else {
                "晚于计划完成日期"
            };
            let side_en = if d < p.start {
                "before the start"
            } else {
                "after the end"
            };
            ctx.indicator(
                "dates.deadline-outside-period",
                ind,
                Msg {
                    zh: format!(
                        "时限 {} {}（实施期 {} 至 {}）。",
                        date(d, Lang::Zh),
                        side_zh,
                        date(p.start, Lang::Zh),
                        date(p.end, Lang::Zh)
                    ),
                    en: format!(
                        "The deadline {} falls {} (period {} to {}).",
                        d, side_en, p.start, p.end
                    ),
                    fix_zh: format!(
                        "将时限改在实施期内（不晚于 {}），或核对实施期。",
                        date(p.end, Lang::Zh)
                    ),
                    fix_en: format!(
                        "Set a deadline inside the period (no later than {}), or correct the period.",
                        p.end
                    ),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2};

    use crate::rules::testing::*;

    #[test]
    fn start_after_end() {
        let mut p = clean();
        p.start = date(2025, 1, 1);
        assert_eq!(rules_of(&p), vec!["dates.order"]);
    }

    #[test]
    fn period_must_touch_the_budget_year() {
        let mut p = clean();
        p.year = 2023;
        assert_eq!(rules_of(&p), vec!["dates.year"]);
    }

    #[test]
    fn deadlines_inside_the_period() {
        let late = ind(
            Level1::Output,
            Level2::Timeliness,
            "1. 设备采购完成时间",
            "2025年3月31日前完成",
        );
        let p = with(Some(3), late.clone());
        let f = findings(&p, "dates.deadline-outside-period");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].indicator.as_deref(), Some("设备采购完成时间"));
        assert!(f[0].message_zh.contains("晚于计划完成日期"));
        // Chinese dates in Chinese, ISO dates in English.
        assert!(
            f[0].message_zh
                .starts_with("时限 2025年3月31日 晚于计划完成日期"),
            "{}",
            f[0].message_zh
        );
        assert!(
            f[0].message_en.contains("2025-03-31"),
            "{}",
            f[0].message_en
        );
        let early = ind(
            Level1::Output,
            Level2::Timeliness,
            "1. 设备采购完成时间",
            "2023年12月31日前完成",
        );
        assert_eq!(
            rules_of(&with(Some(3), early)),
            vec!["dates.deadline-outside-period"]
        );
        // The last day itself is inside; grace days extend it.
        let last = ind(
            Level1::Output,
            Level2::Timeliness,
            "1. 完成",
            "2024年12月31日前",
        );
        assert!(rules_of(&with(Some(3), last)).is_empty());
        let mut pol = crate::Policy::shanghai();
        pol.dates.grace_days = 90;
        assert!(crate::review_project(&p, &pol).is_empty());
    }
}
