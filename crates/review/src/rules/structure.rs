//! 指标框架 — the required categories exist, each 二级 sits under its own 一级, and a cost
//! indicator is set (either layout: 成本 as its own 一级, or 成本 under 产出).

use jixiao_model::{Level1, Level2};

use super::{Ctx, Msg};

fn is_cost(l1: Level1, l2: &Level2) -> bool {
    l1 == Level1::Cost
        || matches!(
            l2,
            Level2::OutputCost | Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost
        )
}

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.project;
    let has = |l1: Level1| p.indicators.iter().any(|i| i.level1 == l1);
    if ctx.on("structure.missing-level1").is_some() {
        for l1 in ctx.policy.structure.required_level1.clone() {
            if !has(l1) {
                ctx.project(
                    "structure.missing-level1",
                    Msg {
                        zh: format!("未设置{}。", l1.zh()),
                        en: format!("There is no {} indicator.", l1.en()),
                        fix_zh: format!("补充{}及其二级、三级指标。", l1.zh()),
                        fix_en: format!(
                            "Add {} indicators with their second and third levels.",
                            l1.en()
                        ),
                    },
                );
            }
        }
    }
    if ctx.on("structure.missing-output-level2").is_some() && has(Level1::Output) {
        for l2 in ctx.policy.structure.required_output_level2.clone() {
            let present = p
                .indicators
                .iter()
                .any(|i| i.level1 == Level1::Output && i.level2 == l2);
            if !present {
                ctx.project(
                    "structure.missing-output-level2",
                    Msg {
                        zh: format!("产出指标下未设置{}。", l2.zh()),
                        en: format!("Output has no {} indicator.", l2.en()),
                        fix_zh: format!("在产出指标下补充{}。", l2.zh()),
                        fix_en: format!("Add a {} indicator under output.", l2.en()),
                    },
                );
            }
        }
    }
    if ctx.on("structure.missing-cost").is_some()
        && !p.indicators.iter().any(|i| is_cost(i.level1, &i.level2))
    {
        ctx.project(
            "structure.missing-cost",
            Msg {
                zh: "未设置成本指标。".into(),
                en: "There is no cost indicator.".into(),
                fix_zh: "原则上每个项目设置成本指标：经济成本（总成本、单位成本、分项成本），必要时设置社会成本、生态环境成本；取值可参考支出标准、成本定额或公共服务标准，如「单位成本 ≤X(元/台)」。".into(),
                fix_en: "Set a cost indicator: economic cost (total, unit or item cost), and social or ecological cost where relevant, valued from spending standards or cost quotas, e.g. `unit cost ≤X (yuan per item)`.".into(),
            },
        );
    }
    for ind in &p.indicators {
        match ind.level2.level1() {
            Some(expected) if expected != ind.level1 => ctx.indicator(
                "structure.level-mismatch",
                ind,
                Msg {
                    zh: format!(
                        "二级指标「{}」属于{}，却列在{}下。",
                        ind.level2.zh(),
                        expected.zh(),
                        ind.level1.zh()
                    ),
                    en: format!(
                        "The category {} belongs to {}, but is listed under {}.",
                        ind.level2.en(),
                        expected.en(),
                        ind.level1.en()
                    ),
                    fix_zh: format!("将该指标移至{}下，或改用{}的二级指标。", expected.zh(), ind.level1.zh()),
                    fix_en: format!(
                        "Move it under {}, or use a category of {}.",
                        expected.en(),
                        ind.level1.en()
                    ),
                },
            ),
            None => ctx.indicator(
                "structure.unknown-level2",
                ind,
                Msg {
                    zh: format!("二级指标「{}」不在标准框架内。", ind.level2.zh()),
                    en: format!(
                        "The category {:?} is not a standard one.",
                        ind.level2.zh()
                    ),
                    fix_zh: "改用标准二级指标（数量、质量、时效、经济成本、社会成本、生态环境成本、经济效益、社会效益、生态效益、可持续影响、服务对象满意度）。".into(),
                    fix_en: "Use a standard category (quantity, quality, timeliness, economic/social/ecological cost, economic/social/ecological benefit, sustained impact, satisfaction).".into(),
                },
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2, Severity};

    use crate::rules::testing::*;
    use crate::Policy;

    #[test]
    fn missing_categories() {
        let mut p = clean();
        p.indicators
            .retain(|i| i.level1 != Level1::Satisfaction && i.level2 != Level2::Timeliness);
        // The satisfaction indicator also covered both sub-tasks; nothing else changes.
        assert_eq!(
            rules_of(&p),
            vec![
                "structure.missing-level1",
                "structure.missing-output-level2"
            ]
        );
        let f = findings(&p, "structure.missing-level1");
        assert_eq!(f[0].message_zh, "未设置满意度指标。");
    }

    #[test]
    fn cost_in_either_layout() {
        let mut p = clean();
        p.indicators.retain(|i| i.level1 != Level1::Cost);
        assert_eq!(rules_of(&p), vec!["structure.missing-cost"]);
        let central = crate::review_project(&p, &Policy::central());
        assert_eq!(central[0].severity, Severity::Info);
        // The old layout: 成本 under 产出.
        p.indicators.push(ind(
            Level1::Output,
            Level2::OutputCost,
            "1. 单台设备采购成本",
            "≤8000(元/台)",
        ));
        assert!(rules_of(&p).is_empty());
    }

    #[test]
    fn level2_under_the_wrong_level1() {
        let p = with(
            None,
            ind(
                Level1::Benefit,
                Level2::Quantity,
                "1. 采购设备台数",
                "≥10(台)",
            ),
        );
        let f = findings(&p, "structure.level-mismatch");
        assert_eq!(f.len(), 1);
        assert!(f[0].message_zh.contains("属于产出指标，却列在效益指标下"));
        assert_eq!(f[0].path.as_deref(), Some("效益指标/数量指标/采购设备台数"));
        // 成本 under 产出 is the old layout, but under 效益 it is misplaced.
        let p = with(
            None,
            ind(
                Level1::Benefit,
                Level2::OutputCost,
                "1. 成本",
                "≤8000(元/台)",
            ),
        );
        assert_eq!(rules_of(&p), vec!["structure.level-mismatch"]);
    }

    #[test]
    fn unknown_level2() {
        let p = with(
            None,
            ind(
                Level1::Benefit,
                Level2::Other("政治效益指标".into()),
                "1. 影响力",
                "≥3(篇)",
            ),
        );
        assert_eq!(rules_of(&p), vec!["structure.unknown-level2"]);
    }
}
