//! 跨年度审核 — rules that compare a declaration with last year's declaration of the same
//! project: a target set below last year's actual (a target made easy), an indicator whose unit
//! changed, and money that rose while an indicator's target fell. Pure: the caller (the `app`
//! crate's history use case) finds last year's declaration and its actuals.

use jixiao_model::{normalize_name, present, Decimal, Finding, Indicator, Op, Project, Target};

use crate::policy::Policy;
use crate::rules::{Ctx, Msg};

/// Last year's declaration of the same project and what it achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorYear {
    /// Last year's declaration (the version approved, or else the current one).
    pub project: Project,
    /// 实际完成值 of its indicators at year end: (index into `project.indicators`, value, unit).
    pub actuals: Vec<(usize, Decimal, Option<String>)>,
}

/// The indicator of `prior` that `ind` continues: same 二级 and normalised name.
pub fn matching_indicator<'a>(
    ind: &Indicator,
    prior: &'a Project,
) -> Option<(usize, &'a Indicator)> {
    let name = normalize_name(&ind.name);
    prior
        .indicators
        .iter()
        .enumerate()
        .find(|(_, p)| p.level2 == ind.level2 && normalize_name(&p.name) == name)
}

/// The single clause of a quantitative target.
fn single(t: &Target) -> Option<&jixiao_model::Quantity> {
    match t {
        Target::Quantitative(q) => Some(q),
        _ => None,
    }
}

fn same_unit(a: Option<&str>, b: Option<&str>) -> bool {
    a.map(str::trim).unwrap_or("") == b.map(str::trim).unwrap_or("")
}

/// The year-over-year findings of `current` against `prior`, under the policy's severities
/// (`history.*`; a rule the policy does not list does not run).
pub fn year_over_year(current: &Project, prior: &PriorYear, policy: &Policy) -> Vec<Finding> {
    let mut ctx = Ctx {
        project: current,
        policy,
        out: Vec::new(),
    };
    let last = prior.project.year;
    let money_up = current.funds.total > prior.project.funds.total;
    for ind in &current.indicators {
        let Some((k, old)) = matching_indicator(ind, &prior.project) else {
            continue;
        };
        let (Some(q), old_q) = (single(&ind.target), single(&old.target)) else {
            continue;
        };
        if let Some(oq) = old_q {
            if !same_unit(q.unit.as_deref(), oq.unit.as_deref()) {
                ctx.indicator(
                    "history.unit-changed",
                    ind,
                    Msg {
                        zh: format!(
                            "「{}」的计量单位与{last}年不同（{last}年「{}」，今年「{}」），两年的指标值无法直接比较。",
                            ind.name,
                            old.raw.trim(),
                            ind.raw.trim()
                        ),
                        en: format!(
                            "{} changed its unit since {last} ({} then, {} now): the two years cannot be compared directly.",
                            present::quoted(&ind.name),
                            present::quoted(old.raw.trim()),
                            present::quoted(ind.raw.trim())
                        ),
                        fix_zh: "沿用上年计量单位，或在指标解释中说明口径变化及换算关系。".into(),
                        fix_en: "Keep last year's unit, or explain the change and how the two convert.".into(),
                    },
                );
                continue;
            }
            if money_up && q.op.is_upward() && oq.op.is_upward() && q.value < oq.value {
                ctx.indicator(
                    "history.money-up-indicator-down",
                    ind,
                    Msg {
                        zh: format!(
                            "年度资金由{}增至{}，但「{}」的指标值由「{}」降为「{}」。",
                            present::money(prior.project.funds.total, present::Lang::Zh),
                            present::money(current.funds.total, present::Lang::Zh),
                            ind.name,
                            old.raw.trim(),
                            ind.raw.trim()
                        ),
                        en: format!(
                            "The annual funds rose from {} to {}, but the target of {} fell from {} to {}.",
                            present::money(prior.project.funds.total, present::Lang::En),
                            present::money(current.funds.total, present::Lang::En),
                            present::quoted(&ind.name),
                            present::quoted(old.raw.trim()),
                            present::quoted(ind.raw.trim())
                        ),
                        fix_zh: "说明资金增加而产出或效益下降的原因，或提高指标值使之与资金相称。".into(),
                        fix_en: "Explain why more money buys less, or raise the target to match the money.".into(),
                    },
                );
            }
        }
        if matches!(q.op, Op::Ge | Op::Gt) {
            let last_actual = prior
                .actuals
                .iter()
                .find(|(i, _, u)| *i == k && same_unit(u.as_deref(), q.unit.as_deref()))
                .map(|(_, v, _)| *v);
            if let Some(actual) = last_actual.filter(|a| q.value < *a) {
                let unit = q.unit.as_deref().unwrap_or("");
                ctx.indicator(
                    "history.target-below-last-actual",
                    ind,
                    Msg {
                        zh: format!(
                            "「{}」的目标值「{}」低于{last}年实际完成值 {}{unit}：目标可能定得偏低。",
                            ind.name,
                            ind.raw.trim(),
                            present::decimal(actual)
                        ),
                        en: format!(
                            "The target {} of {} is below the {last} actual of {}{unit}: it may have been set too low.",
                            present::quoted(ind.raw.trim()),
                            present::quoted(&ind.name),
                            present::decimal(actual)
                        ),
                        fix_zh: format!(
                            "以上年实际完成值为基准设定目标（不低于 {}{unit}），或说明下降的原因。",
                            present::decimal(actual)
                        ),
                        fix_en: format!(
                            "Set the target from last year's actual (at least {}{unit}), or explain why it falls.",
                            present::decimal(actual)
                        ),
                    },
                );
            }
        }
    }
    let mut out = ctx.out;
    out.sort_by_key(|f| f.line);
    out
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2};

    use super::*;
    use crate::rules::testing::*;

    fn prior(actual: &str) -> PriorYear {
        let mut p = clean();
        p.year = 2023;
        PriorYear {
            // clean(): indicator 0 is 采购设备数量 ≥10(台).
            actuals: vec![(0, money(actual), Some("台".into()))],
            project: p,
        }
    }

    fn rules(current: &Project, prior: &PriorYear) -> Vec<String> {
        year_over_year(current, prior, &Policy::shanghai())
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn a_target_below_last_years_actual() {
        // Last year 12 were bought; this year's target is again ≥10.
        let f = year_over_year(&clean(), &prior("12"), &Policy::shanghai());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "history.target-below-last-actual");
        assert!(
            f[0].message_zh.contains("低于2023年实际完成值 12.00台"),
            "{}",
            f[0].message_zh
        );
        // At or below the target: nothing.
        assert!(rules(&clean(), &prior("10")).is_empty());
        assert!(rules(&clean(), &prior("8")).is_empty());
        // Another unit is another quantity: not compared.
        let mut p = prior("12");
        p.actuals[0].2 = Some("套".into());
        assert!(rules(&clean(), &p).is_empty());
    }

    #[test]
    fn a_unit_changed() {
        let cur = with(
            Some(0),
            ind(
                Level1::Output,
                Level2::Quantity,
                "1. 采购设备数量",
                "≥10(套)",
            ),
        );
        assert_eq!(rules(&cur, &prior("0")), vec!["history.unit-changed"]);
    }

    #[test]
    fn money_up_while_the_indicator_went_down() {
        let mut cur = with(
            Some(0),
            ind(
                Level1::Output,
                Level2::Quantity,
                "1. 采购设备数量",
                "≥8(台)",
            ),
        );
        cur.funds.total = money("200000.00");
        let f = year_over_year(&cur, &prior("0"), &Policy::shanghai());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "history.money-up-indicator-down");
        assert!(
            f[0].message_zh.contains("由「≥10(台)」降为「≥8(台)」"),
            "{}",
            f[0].message_zh
        );
        // Same money: a lower target alone is not this rule.
        cur.funds.total = money("100000.00");
        assert!(rules(&cur, &prior("0")).is_empty());
    }

    #[test]
    fn the_policy_can_turn_them_off() {
        let mut pol = Policy::shanghai();
        pol.set("history.target-below-last-actual", None);
        assert!(year_over_year(&clean(), &prior("12"), &pol).is_empty());
    }
}
