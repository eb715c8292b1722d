//! 可衡量 — quantitative targets are complete, qualitative ones are not vague, timeliness has a
//! deadline, satisfaction is a percentage.

use jixiao_model::{present, Level2, Target};

use super::{is_satisfaction, is_vague, Ctx, Msg};

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
}
