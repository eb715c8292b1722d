//! 一致性 — names, operators, values and units agree with each other.

use jixiao_model::{Decimal, Indicator, Op, Target};

use super::{contains_any, ends_with_any, is_satisfaction, is_vague, Ctx, Msg};
use crate::policy::Policy;

/// The name as the unit rule compares it: quotation marks and white space dropped, then one
/// of the expectation's suffixes.
fn stem<'a>(name: &'a str, strip: &[String]) -> &'a str {
    let n = name
        .trim()
        .trim_matches(|c: char| matches!(c, '《' | '》' | '“' | '”' | '"' | '「' | '」'))
        .trim();
    strip
        .iter()
        .filter(|s| !s.is_empty())
        .find_map(|s| n.strip_suffix(s.as_str()))
        .unwrap_or(n)
}

fn is_rate(ind: &Indicator, policy: &Policy) -> bool {
    let c = &policy.consistency;
    let name = ind.name.trim();
    ends_with_any(name, &c.rate_suffixes) && !ends_with_any(name, &c.rate_exceptions)
}

pub(crate) fn check(ctx: &mut Ctx) {
    let policy = ctx.policy;
    for ind in &ctx.project.indicators {
        if is_rate(ind, policy) && !is_satisfaction(ind, policy) {
            let not_percent = match &ind.target {
                // A vague text is reported once, as vague.
                Target::Qualitative(t) => !is_vague(t, policy),
                Target::Quantitative(_) | Target::Compound(_) => {
                    !ind.target.quantities().iter().all(|q| q.is_percent())
                }
                Target::Deadline(_) => true,
            };
            if not_percent {
                ctx.indicator(
                    "consistency.rate-not-percent",
                    ind,
                    Msg {
                        zh: format!(
                            "「{}」是比率，指标值「{}」却不是百分比。",
                            ind.name,
                            ind.raw.trim()
                        ),
                        en: format!(
                            "{:?} is a rate, but its target {:?} is not a percentage.",
                            ind.name,
                            ind.raw.trim()
                        ),
                        fix_zh: "改为百分比（如「≥95%」「=100%」，并写明分子、分母的口径），或修改指标名称使其与指标值一致。".into(),
                        fix_en: "Use a percentage (e.g. `≥95%`, `=100%`, defining numerator and denominator), or rename the indicator to match its target.".into(),
                    },
                );
            }
        }
        let c = &policy.consistency;
        for q in ind.target.quantities() {
            if q.is_percent()
                && q.value > c.percent_max
                && !contains_any(&ind.name, &c.percent_over_max_names)
            {
                ctx.indicator(
                    "consistency.percent-over-max",
                    ind,
                    Msg {
                        zh: format!("百分比指标值 {}% 超过 {}%。", q.value, c.percent_max),
                        en: format!(
                            "The percentage target {}% exceeds {}%.",
                            q.value, c.percent_max
                        ),
                        fix_zh: "核对数值与单位：比率一般不超过 100%；若为增长幅度，请在名称中写明（如 增长率）。".into(),
                        fix_en: "Check the value and the unit: a ratio rarely exceeds 100%; name a growth explicitly (增长率).".into(),
                    },
                );
            }
            if matches!(q.op, Op::Ge | Op::Gt) && q.value == Decimal::ZERO {
                ctx.indicator(
                    "consistency.zero-upward",
                    ind,
                    Msg {
                        zh: format!(
                            "指标值「{}」方向为{}而目标值为 0，自评时无法按 实际值÷目标值 计分。",
                            ind.raw.trim(),
                            q.op.symbol()
                        ),
                        en: format!(
                            "The target {:?} is {} 0: the score actual ÷ target cannot be computed.",
                            ind.raw.trim(),
                            q.op.symbol()
                        ),
                        fix_zh: "给出实际要达到的正数目标；若目标是“不发生”（如 事故数），改为「=0」或「≤0」。".into(),
                        fix_en: "Give the positive value to reach; for “none at all” (e.g. accidents) write `=0` or `≤0`.".into(),
                    },
                );
            }
        }
        if let Target::Quantitative(q) = &ind.target {
            if let Some(unit) = q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                let clash = c.units.iter().find(|e| {
                    let s = stem(&ind.name, &e.strip_suffixes);
                    ends_with_any(s, &e.name_ends_with) && !e.units.iter().any(|u| u == unit)
                });
                if let Some(e) = clash {
                    ctx.indicator(
                        "consistency.unit-mismatch",
                        ind,
                        Msg {
                            zh: format!(
                                "名称「{}」计量的是{}，计量单位却是「{}」。",
                                ind.name,
                                e.name_ends_with.join("/"),
                                unit
                            ),
                            en: format!(
                                "{:?} counts {}, but the unit is {:?}.",
                                ind.name,
                                e.name_ends_with.join("/"),
                                unit
                            ),
                            fix_zh: format!(
                                "改用与名称相符的单位（{}），或修改名称写明计量对象（如「…涉及企业数」）。",
                                e.units.join("、")
                            ),
                            fix_en: format!(
                                "Use a unit that fits the name ({}), or rename the indicator to say what is counted.",
                                e.units.join(", ")
                            ),
                        },
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2};

    use crate::rules::testing::*;
    use crate::Policy;

    fn quality(name: &str, target: &str) -> jixiao_model::Project {
        with(Some(2), ind(Level1::Output, Level2::Quality, name, target))
    }

    #[test]
    fn a_rate_wants_a_percentage() {
        for t in ["小于预算拨付金额", "全覆盖", "=3(次)"] {
            let p = quality("1与2. 成本控制率", t);
            assert_eq!(rules_of(&p), vec!["consistency.rate-not-percent"], "{t}");
        }
        assert!(rules_of(&quality("1与2. 成本控制率", "≤100(%)")).is_empty());
        // Exceptions: 效率, 频率.
        assert!(rules_of(&quality("1与2. 监测频率", "≥4(次)")).is_empty());
        // A vague rate is reported once, as vague.
        assert_eq!(
            rules_of(&quality("1与2. 办事效率提高率", "提高")),
            vec!["measurability.vague-target"]
        );
    }

    #[test]
    fn percentages_above_the_maximum() {
        let p = quality("1与2. 设备验收合格率", "=120(%)");
        assert_eq!(rules_of(&p), vec!["consistency.percent-over-max"]);
        assert!(rules_of(&quality("1与2. 用户增长率", "≥120(%)")).is_empty());
        let mut pol = Policy::shanghai();
        pol.consistency.percent_max = "150".parse().unwrap_or_default();
        assert!(crate::review_project(&p, &pol).is_empty());
    }

    #[test]
    fn zero_upward_targets_cannot_be_scored() {
        let p = quality("1与2. 安全事故数", "≥0(次)");
        assert_eq!(rules_of(&p), vec!["consistency.zero-upward"]);
        assert!(rules_of(&quality("1与2. 安全事故数", "=0(次)")).is_empty());
        assert!(rules_of(&quality("1与2. 安全事故数", "≤0(次)")).is_empty());
    }

    #[test]
    fn units_that_contradict_the_name() {
        let p = with(
            Some(0),
            ind(
                Level1::Output,
                Level2::Quantity,
                "1. 《年度评估报告》",
                "=8(家)",
            ),
        );
        let f = findings(&p, "consistency.unit-mismatch");
        assert_eq!(rules_of(&p), vec!["consistency.unit-mismatch"]);
        assert!(f[0].message_zh.contains("计量单位却是「家」"));
        let p = with(
            Some(0),
            ind(
                Level1::Output,
                Level2::Quantity,
                "1. 研究报告编制数量",
                "=2(家)",
            ),
        );
        assert_eq!(rules_of(&p), vec!["consistency.unit-mismatch"]);
        // Conservative: the report is not what is counted here, or the unit fits.
        for (name, t) in [
            ("1. 完成市管持证企业执行报告审核", "=86(家)"),
            ("1. 高污染车型测试报告", "=10(份)"),
            ("1. 抽查评估的企业数量", "≥1800(家)"),
            ("1. 抽查评估的企业数量", "≥1800"),
        ] {
            let p = with(Some(0), ind(Level1::Output, Level2::Quantity, name, t));
            assert!(
                !rules_of(&p).contains(&"consistency.unit-mismatch".to_string()),
                "{name}"
            );
        }
        let p = with(
            Some(0),
            ind(
                Level1::Output,
                Level2::Quantity,
                "1. 抽查评估的企业数量",
                "≥1800(份)",
            ),
        );
        assert_eq!(rules_of(&p), vec!["consistency.unit-mismatch"]);
        let mut pol = Policy::shanghai();
        pol.consistency.units.clear();
        assert!(crate::review_project(&p, &pol).is_empty());
    }
}
