//! 可衡量 — quantitative targets are complete, qualitative ones are not vague, timeliness has a
//! deadline, satisfaction is a percentage.

use jixiao_model::{present, Indicator, Level2, Op, Quantity, Target};

use super::{core_text, is_satisfaction, is_vague, Ctx, Msg};
use crate::policy::Policy;

pub(crate) fn check(ctx: &mut Ctx) {
    let policy = ctx.policy;
    let pct = policy.measurability.satisfaction_percent;
    for ind in &ctx.project.indicators {
        if is_satisfaction(ind, policy) {
            let qs = ind.target.quantities();
            if qs.is_empty() || !qs.iter().all(|q| q.is_percent()) {
                ctx.indicator(
                    "measurability.satisfaction-not-percent",
                    ind,
                    Msg {
                        zh: format!("满意度指标值「{}」不是百分比，无法按调查结果计分。", ind.raw.trim()),
                        en: format!(
                            "The satisfaction target {} is not a percentage and cannot be scored from a survey.",
                            present::quoted(ind.raw.trim())
                        ),
                        fix_zh: format!(
                            "改为百分比，如「≥{pct}%」，并说明调查对象与方式（问卷、样本量）。"
                        ),
                        fix_en: format!(
                            "Use a percentage such as `≥{pct}%`, and say who is surveyed and how."
                        ),
                    },
                );
            }
            continue;
        }
        let vague = matches!(&ind.target, Target::Qualitative(t) if is_vague(t, policy));
        if vague {
            ctx.indicator(
                "measurability.vague-target",
                ind,
                Msg {
                    zh: format!("指标值「{}」表述模糊，无法判断是否达成。", ind.raw.trim()),
                    en: format!(
                        "The target {} is vague: nobody can tell whether it was met.",
                        present::quoted(ind.raw.trim())
                    ),
                    fix_zh: format!(
                        "量化「{}」：给出方向、数值和单位（如「≥X(%)」「≥X(项)」，可与基期或上年比较），或写明达到何种状态视为达成。",
                        ind.name
                    ),
                    fix_en: format!(
                        "Quantify {}: an operator, a number and a unit (e.g. `≥X(%)`, `≥X(items)`, against a baseline), or state what counts as achieved.",
                        present::quoted(&ind.name)
                    ),
                },
            );
            continue;
        }
        if let Target::Qualitative(t) = &ind.target {
            if let Some(word) = bare_direction(t, policy) {
                ctx.indicator(
                    "measurability.bare-direction",
                    ind,
                    Msg {
                        zh: format!(
                            "指标值「{}」只有方向（{word}），没有数值和比较基准：{word}多少、与什么相比，年末无法判断是否达成。",
                            ind.raw.trim()
                        ),
                        en: format!(
                            "The target {} gives only a direction ({word}): no amount and no baseline, so nobody can tell at year end whether it was met.",
                            present::quoted(ind.raw.trim())
                        ),
                        fix_zh: format!(
                            "写明幅度和基准，如「{word}≥10(%)（与上年相比）」或「≤X(单位)」，并说明基期数据来源。"
                        ),
                        fix_en: format!(
                            "Give the amount and the baseline, e.g. `{word}≥10(%)` against last year, or `≤X(unit)`, and name the baseline's source."
                        ),
                    },
                );
                continue;
            }
            if policy
                .measurability
                .quantified_cost_level2
                .contains(&ind.level2)
            {
                ctx.indicator(
                    "measurability.cost-qualitative",
                    ind,
                    Msg {
                        zh: format!(
                            "成本指标「{}」的指标值「{}」只是定性表述，无法与实际支出比较，也无法计算单位成本。",
                            ind.name,
                            ind.raw.trim()
                        ),
                        en: format!(
                            "The cost indicator {} has only a qualitative target {}: it cannot be compared with the spending, nor give a unit cost.",
                            present::quoted(&ind.name),
                            present::quoted(ind.raw.trim())
                        ),
                        fix_zh: "写明成本上限及单位，如「≤1250(万元)」（总成本，不超过批复概算）或「≤X(万元/公里)」（单位成本），并注明依据（概算、定额或支出标准）。".into(),
                        fix_en: "Give a ceiling with its unit, e.g. `≤1250(万元)` (total cost, within the approved estimate) or `≤X(万元/公里)` (unit cost), and its basis (estimate, quota or spending standard).".into(),
                    },
                );
                continue;
            }
        }
        if let Some(q) = without_operator(ind) {
            ctx.indicator(
                "measurability.no-operator",
                ind,
                Msg {
                    zh: format!(
                        "指标值「{}」没有方向（≥、≤ 或 =）：是至少、至多还是恰好 {}{}，无法判断是否达成。",
                        ind.raw.trim(),
                        q.value,
                        q.unit.as_deref().unwrap_or("")
                    ),
                    en: format!(
                        "The target {} has no direction (≥, ≤ or =): at least, at most or exactly {}{}? Nobody can tell whether it was met.",
                        present::quoted(ind.raw.trim()),
                        q.value,
                        q.unit.as_deref().unwrap_or("")
                    ),
                    fix_zh: format!(
                        "写明方向，如「≥{v}({u})」（至少）、「≤{v}({u})」（至多）或「={v}({u})」（恰好）。",
                        v = q.value,
                        u = q.unit.as_deref().unwrap_or("单位")
                    ),
                    fix_en: format!(
                        "Write the direction: `≥{v}({u})` (at least), `≤{v}({u})` (at most) or `={v}({u})` (exactly).",
                        v = q.value,
                        u = q.unit.as_deref().unwrap_or("unit")
                    ),
                },
            );
        }
        match (&ind.level2, &ind.target) {
            (Level2::Quantity, Target::Qualitative(_) | Target::Deadline(_)) => ctx.indicator(
                "measurability.quantity-not-numeric",
                ind,
                Msg {
                    zh: format!("数量指标的指标值「{}」不是数值。", ind.raw.trim()),
                    en: format!(
                        "The quantity target {} is not a number.",
                        present::quoted(ind.raw.trim())
                    ),
                    fix_zh: "写明方向、数值和计量单位，如「≥10(份)」。".into(),
                    fix_en: "Give an operator, a number and a unit, e.g. `≥10(份)`.".into(),
                },
            ),
            (Level2::Timeliness, Target::Qualitative(_)) => ctx.indicator(
                "measurability.timeliness-undated",
                ind,
                Msg {
                    zh: format!("时效指标值「{}」没有时限。", ind.raw.trim()),
                    en: format!(
                        "The timeliness target {} names no deadline.",
                        present::quoted(ind.raw.trim())
                    ),
                    fix_zh: format!(
                        "写明完成时限（如「{}年11月30日前完成」）或及时率（如「≥95%」）。",
                        ctx.project.year
                    ),
                    fix_en: format!(
                        "Give a deadline (e.g. `{}年11月30日前完成`) or an on-time rate (e.g. `≥95%`).",
                        ctx.project.year
                    ),
                },
            ),
            _ => {}
        }
        for q in ind.target.quantities() {
            if q.unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
                ctx.indicator(
                    "measurability.no-unit",
                    ind,
                    Msg {
                        zh: format!("定量指标值「{}」缺少计量单位。", ind.raw.trim()),
                        en: format!(
                            "The quantitative target {} has no unit.",
                            present::quoted(ind.raw.trim())
                        ),
                        fix_zh: format!(
                            "补充计量单位，如「{}{}(份)」或「{}{}(%)」。",
                            q.op.symbol(),
                            q.value,
                            q.op.symbol(),
                            q.value
                        ),
                        fix_en: format!(
                            "Add the unit, e.g. `{}{}(份)` or `{}{}(%)`.",
                            q.op.symbol(),
                            q.value,
                            q.op.symbol(),
                            q.value
                        ),
                    },
                );
                break;
            }
        }
    }
}

/// The direction word a qualitative target consists of (`减少`, `降低。`, `逐年减少`): the whole
/// text, or a short text without digits that ends with one (policy `measurability.direction_words`).
fn bare_direction<'a>(text: &str, policy: &'a Policy) -> Option<&'a str> {
    policy.severity("measurability.bare-direction")?;
    let core = core_text(text);
    if core.is_empty() || core.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let m = &policy.measurability;
    m.direction_words
        .iter()
        .filter(|w| !w.is_empty())
        .find(|w| {
            core == w.as_str()
                || (core.chars().count() <= m.vague_max_chars && core.ends_with(w.as_str()))
        })
        .map(|w| w.as_str())
}

/// The clause of a quantitative target written as a bare number (`985米`, `985(米)`): read as
/// `=` though the form wrote no direction, before or after the number.
fn without_operator(ind: &Indicator) -> Option<&Quantity> {
    let qs = ind.target.quantities();
    let pieces: Vec<&str> = ind
        .raw
        .split([';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if pieces.len() != qs.len() {
        return None;
    }
    qs.iter().zip(pieces).find_map(|(q, piece)| {
        let starts_with_digit = piece
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        (q.op == Op::Eq && starts_with_digit).then_some(q)
    })
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2};

    use crate::rules::testing::*;
    use crate::Policy;

    #[test]
    fn vague_words_and_short_phrases() {
        for t in [
            "提升",
            "进一步提升",
            "有效",
            "良好",
            "低油耗",
            "完善",
            "加强。",
            "明显提高",
        ] {
            let p = with(
                Some(5),
                ind(Level1::Benefit, Level2::EcologicalBenefit, "1. 节能减排", t),
            );
            assert_eq!(rules_of(&p), vec!["measurability.vague-target"], "{t}");
        }
        // Long explanations that merely contain a word are judged by a person, not flagged.
        for t in [
            "满足本市固定污染源动态更新工作要求，进一步完善信息库动态更新机制",
            "无违章无事故",
            "通过验收",
        ] {
            let p = with(
                Some(5),
                ind(Level1::Benefit, Level2::EcologicalBenefit, "1. 节能减排", t),
            );
            assert!(rules_of(&p).is_empty(), "{t}");
        }
    }

    #[test]
    fn vague_words_come_from_the_policy() {
        let p = with(
            Some(5),
            ind(
                Level1::Benefit,
                Level2::EcologicalBenefit,
                "1. 节能减排",
                "低油耗",
            ),
        );
        let mut pol = Policy::shanghai();
        pol.measurability.vague_words = vec!["较好".into()];
        assert!(crate::review_project(&p, &pol).is_empty());
        pol.set("measurability.vague-target", None);
        pol.measurability.vague_words = vec!["低油耗".into()];
        assert!(crate::review_project(&p, &pol).is_empty());
    }

    #[test]
    fn satisfaction_wants_a_percentage() {
        for t in ["满意", "≥90", "≥4.5(分)", "较满意"] {
            let p = with(
                Some(7),
                ind(
                    Level1::Satisfaction,
                    Level2::ServiceSatisfaction,
                    "1与2. 乘用人员满意度",
                    t,
                ),
            );
            let f = findings(&p, "measurability.satisfaction-not-percent");
            assert_eq!(rules_of(&p).len(), 1, "{t}");
            assert_eq!(f.len(), 1, "{t}");
            assert!(f[0].suggestion.contains("≥90%"));
        }
        // By name, even under another category.
        let p = with(
            None,
            ind(
                Level1::Benefit,
                Level2::SocialBenefit,
                "1. 群众满意度",
                "满意",
            ),
        );
        assert_eq!(rules_of(&p), vec!["measurability.satisfaction-not-percent"]);
    }

    #[test]
    fn quantity_and_timeliness_need_numbers_and_dates() {
        let p = with(
            Some(1),
            ind(
                Level1::Output,
                Level2::Quantity,
                "2. 运维巡检次数",
                "按需开展",
            ),
        );
        assert_eq!(rules_of(&p), vec!["measurability.quantity-not-numeric"]);
        for t in ["及时", "按时完成", "按计划进度完成各项工作"] {
            let p = with(
                Some(3),
                ind(Level1::Output, Level2::Timeliness, "1. 设备采购完成时间", t),
            );
            assert_eq!(
                rules_of(&p),
                vec!["measurability.timeliness-undated"],
                "{t}"
            );
        }
        // A rate or a recurring deadline is a time limit.
        for t in ["≥95(%)", "每月结束之后的30日内完成"] {
            let p = with(
                Some(3),
                ind(Level1::Output, Level2::Timeliness, "1. 设备采购完成时间", t),
            );
            assert!(rules_of(&p).is_empty(), "{t}");
        }
    }

    #[test]
    fn quantities_need_a_unit() {
        let p = with(
            Some(0),
            ind(Level1::Output, Level2::Quantity, "1. 采购设备数量", "=10"),
        );
        let f = findings(&p, "measurability.no-unit");
        assert_eq!(rules_of(&p), vec!["measurability.no-unit"]);
        assert!(f[0].suggestion.contains("=10(份)"));
    }

    /// Issue 20 item 5: a number without an operator is not a target a reviewer accepts —
    /// at least, at most or exactly 985 米?
    #[test]
    fn a_number_without_an_operator_is_a_finding() {
        for t in ["985米", "985(米)", "１２(个)"] {
            let p = with(
                Some(0),
                ind(Level1::Output, Level2::Quantity, "1. 采购设备数量", t),
            );
            let f = findings(&p, "measurability.no-operator");
            assert_eq!(rules_of(&p), vec!["measurability.no-operator"], "{t}");
            assert!(f[0].message_zh.contains("方向"), "{}", f[0].message_zh);
            assert!(f[0].suggestion.contains('≥'), "{}", f[0].suggestion);
        }
        // Written directions, before or after the number, are directions.
        for t in [
            "≥985(米)",
            "=985(米)",
            "不少于985米",
            "985米以上",
            "5天以内",
        ] {
            let p = with(
                Some(0),
                ind(Level1::Output, Level2::Quantity, "1. 采购设备数量", t),
            );
            assert!(
                !rules_of(&p).contains(&"measurability.no-operator".to_string()),
                "{t}"
            );
        }
    }

    /// A bare direction (`减少`) says which way but not how far nor against what.
    #[test]
    fn a_bare_direction_is_a_finding() {
        for t in ["减少", "降低。", "下降", "逐年减少"] {
            let p = with(
                Some(5),
                ind(Level1::Benefit, Level2::SocialBenefit, "1. 区域交通拥堵", t),
            );
            let f = findings(&p, "measurability.bare-direction");
            assert_eq!(rules_of(&p), vec!["measurability.bare-direction"], "{t}");
            assert!(f[0].message_zh.contains("只有方向"), "{}", f[0].message_zh);
        }
        // A direction with a number is a target.
        let p = with(
            Some(5),
            ind(
                Level1::Benefit,
                Level2::SocialBenefit,
                "1. 区域交通拥堵",
                "减少10(%)",
            ),
        );
        assert!(!rules_of(&p).contains(&"measurability.bare-direction".to_string()));
    }

    /// An economic cost that is only qualitative (`可控`) cannot be compared with any spending.
    #[test]
    fn a_qualitative_cost_is_a_finding() {
        for t in ["可控", "控制在预算范围内", "合理"] {
            let p = with(
                Some(4),
                ind(Level1::Cost, Level2::EconomicCost, "1. 工程建设成本", t),
            );
            let f = findings(&p, "measurability.cost-qualitative");
            assert_eq!(rules_of(&p), vec!["measurability.cost-qualitative"], "{t}");
            assert!(f[0].message_zh.contains("成本指标"), "{}", f[0].message_zh);
            assert!(f[0].suggestion.contains("≤"), "{}", f[0].suggestion);
        }
        // Social and ecological costs may be described (policy `quantified_cost_level2`).
        let p = with(
            Some(4),
            ind(Level1::Cost, Level2::SocialCost, "1. 施工扰民", "可控"),
        );
        assert!(!rules_of(&p).contains(&"measurability.cost-qualitative".to_string()));
        let mut pol = Policy::shanghai();
        pol.measurability
            .quantified_cost_level2
            .push(Level2::SocialCost);
        assert!(crate::review_project(&p, &pol)
            .iter()
            .any(|f| f.rule == "measurability.cost-qualitative"));
    }
}
