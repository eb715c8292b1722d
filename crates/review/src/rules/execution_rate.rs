//! 预算执行率 — scored on its own in self-evaluation, so not an indicator.

use super::{contains_any, Ctx, Msg};

pub(crate) fn check(ctx: &mut Ctx) {
    if ctx.on("execution-rate.as-indicator").is_none() {
        return;
    }
    for ind in &ctx.project.indicators {
        if contains_any(&ind.name, &ctx.policy.execution_rate.names) {
            ctx.indicator(
                "execution-rate.as-indicator",
                ind,
                Msg {
                    zh: format!(
                        "「{}」列为{}下的绩效指标；预算执行率在自评中单独计分（10 分），不应再作为绩效指标。",
                        ind.name,
                        ind.level1.zh()
                    ),
                    en: format!(
                        "{:?} is listed as a {} indicator; budget execution is scored on its own (10 points) in self-evaluation.",
                        ind.name,
                        ind.level1.en()
                    ),
                    fix_zh: "删除该指标；如需衡量成本，改用经济成本指标，如「单位成本 ≤X(元/份)」「成本节约率 ≥X%」。".into(),
                    fix_en: "Remove it; to measure cost use an economic cost indicator such as `unit cost ≤X (yuan per report)`.".into(),
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
    fn budget_execution_rate_is_not_an_indicator() {
        let p = with(
            None,
            ind(
                Level1::Cost,
                Level2::EconomicCost,
                "1与2. 预算执行率",
                "=100(%)",
            ),
        );
        let f = findings(&p, "execution-rate.as-indicator");
        assert_eq!(rules_of(&p), vec!["execution-rate.as-indicator"]);
        assert!(f[0].message_zh.contains("列为成本指标下"));
    }
}
