//! 资金 — the amounts add up and none is negative.

use jixiao_model::present::money;
use jixiao_model::{Decimal, Lang};

use super::{Ctx, Msg};

pub(crate) fn check(ctx: &mut Ctx) {
    let f = &ctx.project.funds;
    let tol = ctx.policy.funds.tolerance;
    if ctx.on("funds.sum").is_some() {
        let sum = f
            .fiscal
            .checked_add(f.carryover)
            .and_then(|s| s.checked_add(f.other));
        let diff = sum.and_then(|s| f.total.checked_sub(s));
        // An overflowing sum cannot equal any total.
        if diff.is_none_or(|d| d.abs() > tol) {
            let m = |x: Option<Decimal>, lang: Lang| {
                x.map_or_else(|| "∞".to_string(), |x| money(x, lang))
            };
            let [zh, en] = [Lang::Zh, Lang::En].map(|l| {
                [
                    Some(f.total),
                    Some(f.fiscal),
                    Some(f.carryover),
                    Some(f.other),
                    sum,
                    diff,
                ]
                .map(|x| m(x, l))
            });
            ctx.project(
                "funds.sum",
                Msg {
                    zh: format!(
                        "年度资金申请总额 {}不等于 当年财政拨款 {} + 上年结转资金 {} + 其他资金 {} = {}（相差 {}）。",
                        zh[0], zh[1], zh[2], zh[3], zh[4], zh[5]
                    ),
                    en: format!(
                        "The requested total {} does not equal fiscal {} + carry-over {} + other {} = {} (difference {}).",
                        en[0], en[1], en[2], en[3], en[4], en[5]
                    ),
                    fix_zh: "核对各资金来源，使年度资金申请总额等于三项之和。".into(),
                    fix_en: "Check the sources so that the total equals their sum.".into(),
                },
            );
        }
    }
    if ctx.on("funds.negative").is_some() {
        let mut negatives: Vec<(&str, &str, Decimal)> = vec![
            ("年度资金申请总额", "requested total", f.total),
            ("当年财政拨款", "fiscal appropriation", f.fiscal),
            ("上年结转资金", "carry-over", f.carryover),
            ("其他资金", "other funds", f.other),
        ];
        if let Some(p) = &ctx.project.project_funds {
            negatives.extend([
                ("项目资金总额", "whole-period total", p.total),
                ("项目资金：财政资金", "whole-period fiscal funds", p.fiscal),
                ("项目资金：其他资金", "whole-period other funds", p.other),
            ]);
        }
        for (zh, en, v) in negatives {
            if v < Decimal::ZERO {
                ctx.project(
                    "funds.negative",
                    Msg {
                        zh: format!("{zh}为负数（{}）。", money(v, Lang::Zh)),
                        en: format!("The {en} is negative ({}).", money(v, Lang::En)),
                        fix_zh: format!("将{zh}改为实际金额（不小于 0）。"),
                        fix_en: format!("Enter the actual {en} (zero or more)."),
                    },
                );
            }
        }
    }
    if let Some(p) = &ctx.project.project_funds {
        let sum = p.fiscal.checked_add(p.other);
        let off = sum
            .and_then(|s| p.total.checked_sub(s))
            .is_none_or(|d| d.abs() > tol);
        if ctx.on("funds.project-sum").is_some() && off {
            let [zh, en] = [Lang::Zh, Lang::En].map(|l| {
                [Some(p.total), Some(p.fiscal), Some(p.other), sum]
                    .map(|x| x.map_or_else(|| "∞".to_string(), |x| money(x, l)))
            });
            ctx.project(
                "funds.project-sum",
                Msg {
                    zh: format!(
                        "项目资金总额 {} 不等于 财政资金 {} + 其他资金 {} = {}。",
                        zh[0], zh[1], zh[2], zh[3]
                    ),
                    en: format!(
                        "The whole-period total {} does not equal fiscal {} + other {} = {}.",
                        en[0], en[1], en[2], en[3]
                    ),
                    fix_zh: "核对项目资金总额及其来源。".into(),
                    fix_en: "Check the whole-period total and its sources.".into(),
                },
            );
        }
        if ctx.on("funds.annual-exceeds-project").is_some()
            && p.total > Decimal::ZERO
            && f.total > p.total.saturating_add(tol)
        {
            ctx.project(
                "funds.annual-exceeds-project",
                Msg {
                    zh: format!(
                        "年度资金申请总额 {} 大于项目资金总额 {}。",
                        money(f.total, Lang::Zh),
                        money(p.total, Lang::Zh)
                    ),
                    en: format!(
                        "This year's total {} exceeds the whole-period total {}.",
                        money(f.total, Lang::En),
                        money(p.total, Lang::En)
                    ),
                    fix_zh: "年度资金是项目资金的一部分：核对两者，或补正项目资金总额。".into(),
                    fix_en: "This year's money is part of the project's: correct either amount."
                        .into(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::ProjectFunds;

    use crate::rules::testing::*;

    #[test]
    fn total_must_be_the_sum() {
        let mut p = clean();
        p.funds.other = money("1.00");
        let f = findings(&p, "funds.sum");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message_zh.contains("相差 -1.00 元"),
            "{}",
            f[0].message_zh
        );
        // Amounts are written as amounts: grouped, with their unit.
        assert!(
            f[0].message_zh
                .starts_with("年度资金申请总额 100,000.00 元不等于 当年财政拨款 90,000.00 元"),
            "{}",
            f[0].message_zh
        );
        assert!(
            f[0].message_en
                .contains("= 100,001.00 yuan (difference -1.00 yuan)"),
            "{}",
            f[0].message_en
        );
        assert_eq!(f[0].severity, jixiao_model::Severity::Error);
    }

    #[test]
    fn tolerance_comes_from_the_policy() {
        let mut p = clean();
        p.funds.other = money("0.01");
        let mut pol = crate::Policy::shanghai();
        assert_eq!(crate::review_project(&p, &pol).len(), 1);
        pol.funds.tolerance = money("0.01");
        assert!(crate::review_project(&p, &pol).is_empty());
    }

    #[test]
    fn negative_amounts() {
        let mut p = clean();
        p.funds.carryover = money("-10000.00");
        p.funds.fiscal = money("110000.00");
        p.project_funds = Some(ProjectFunds {
            total: money("300000"),
            fiscal: money("300001"),
            other: money("-1"),
        });
        assert_eq!(rules_of(&p), vec!["funds.negative", "funds.negative"]);
    }

    #[test]
    fn project_funds_add_up_and_cover_the_year() {
        let mut p = clean();
        p.project_funds = Some(ProjectFunds {
            total: money("50000"),
            fiscal: money("40000"),
            other: money("0"),
        });
        assert_eq!(
            rules_of(&p),
            vec!["funds.project-sum", "funds.annual-exceeds-project"]
        );
        p.project_funds = Some(ProjectFunds {
            total: money("300000"),
            fiscal: money("300000"),
            other: money("0"),
        });
        assert!(rules_of(&p).is_empty());
        // An empty whole-period block (all zero) is not a contradiction.
        p.project_funds = Some(ProjectFunds {
            total: money("0"),
            fiscal: money("0"),
            other: money("0"),
        });
        assert!(rules_of(&p).is_empty());
    }
}
