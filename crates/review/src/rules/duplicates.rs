//! 重复 — the same 三级 name twice in a project.

use std::collections::HashMap;

use jixiao_model::normalize_label;

use super::{Ctx, Msg};

pub(crate) fn check(ctx: &mut Ctx) {
    if ctx.on("duplicates.indicator-name").is_none() {
        return;
    }
    let inds = &ctx.project.indicators;
    let mut first: HashMap<String, usize> = HashMap::with_capacity(inds.len());
    for (i, ind) in inds.iter().enumerate() {
        let key = normalize_label(&ind.name);
        if key.is_empty() {
            continue;
        }
        let Some(&j) = first.get(&key) else {
            first.insert(key, i);
            continue;
        };
        let prev = &inds[j];
        let at_zh = prev
            .line
            .map(|l| format!("第 {l} 行、"))
            .unwrap_or_default();
        let at_en = prev.line.map(|l| format!("line {l}, ")).unwrap_or_default();
        let same_place = prev.level1 == ind.level1 && prev.level2 == ind.level2;
        let (where_zh, where_en) = if same_place {
            (
                format!("同在{}/{}下", ind.level1.zh(), ind.level2.zh()),
                format!("both under {}/{}", ind.level1.en(), ind.level2.en()),
            )
        } else {
            (
                format!(
                    "先见于{}/{}，此处在{}/{}下",
                    prev.level1.zh(),
                    prev.level2.zh(),
                    ind.level1.zh(),
                    ind.level2.zh()
                ),
                format!(
                    "first under {}/{}, here under {}/{}",
                    prev.level1.en(),
                    prev.level2.en(),
                    ind.level1.en(),
                    ind.level2.en()
                ),
            )
        };
        ctx.indicator(
            "duplicates.indicator-name",
            ind,
            Msg {
                zh: format!(
                    "三级指标「{}」重复（{at_zh}{where_zh}）。",
                    ind.name
                ),
                en: format!(
                    "The indicator {:?} appears twice ({at_en}{where_en}).",
                    ind.name
                ),
                fix_zh: "合并重复的指标；若衡量的内容不同，改用能区分二者的名称（写明对象或子任务）。".into(),
                fix_en: "Merge the two; if they measure different things, give them names that tell them apart.".into(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2};

    use crate::rules::testing::*;

    #[test]
    fn same_name_twice() {
        let mut p = with(
            None,
            ind(
                Level1::Benefit,
                Level2::SocialBenefit,
                "2. 监测服务覆盖人数",
                "≥3000(人)",
            ),
        );
        p.indicators[5].line = Some(40);
        p.indicators[8].line = Some(41);
        let f = findings(&p, "duplicates.indicator-name");
        assert_eq!(rules_of(&p), vec!["duplicates.indicator-name"]);
        assert_eq!(f[0].line, Some(41));
        assert!(
            f[0].message_zh
                .contains("第 40 行、同在效益指标/社会效益指标下"),
            "{}",
            f[0].message_zh
        );
    }

    #[test]
    fn same_name_under_two_categories_ignoring_spacing() {
        let p = with(
            None,
            ind(
                Level1::Benefit,
                Level2::Sustainability,
                "2. 监测服务覆盖 人数",
                "≥3000(人)",
            ),
        );
        let f = findings(&p, "duplicates.indicator-name");
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message_zh
            .contains("先见于效益指标/社会效益指标，此处在效益指标/可持续影响指标下"));
    }
}
