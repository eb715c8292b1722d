//! 覆盖 — every numbered sub-task is measured by an output indicator, and every reference names
//! a sub-task that exists.

use jixiao_model::{Level1, Level2};

use super::{Ctx, Msg};

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.project;
    let uses_refs = p.indicators.iter().any(|i| !i.tasks.is_empty());
    if uses_refs && ctx.on("coverage.task-without-output").is_some() {
        for task in &p.tasks {
            let covered = p.indicators.iter().any(|i| {
                i.level1 == Level1::Output
                    && i.level2 != Level2::OutputCost
                    && i.tasks.contains(&task.no)
            });
            if !covered {
                let others: Vec<String> = p
                    .indicators
                    .iter()
                    .filter(|i| i.tasks.contains(&task.no))
                    .map(|i| i.level1.zh().to_string())
                    .fold(Vec::new(), |mut v, l| {
                        if !v.contains(&l) {
                            v.push(l);
                        }
                        v
                    });
                let (also_zh, also_en) = if others.is_empty() {
                    (
                        "，也没有任何指标引用它".to_string(),
                        ", nor any other indicator".to_string(),
                    )
                } else {
                    (
                        format!("（仅见于{}）", others.join("、")),
                        format!(" (only {})", others.join(", ")),
                    )
                };
                ctx.task(
                    "coverage.task-without-output",
                    task.no,
                    Msg {
                        zh: format!(
                            "子任务 {}「{}」没有产出指标{also_zh}。",
                            task.no, task.title
                        ),
                        en: format!(
                            "Sub-task {} {:?} has no output indicator{also_en}.",
                            task.no, task.title
                        ),
                        fix_zh: format!(
                            "为子任务 {} 补充产出指标（数量、质量、时效），如「{}. 技术支持报告 ≥X(份)」，名称前写明子任务编号。",
                            task.no, task.no
                        ),
                        fix_en: format!(
                            "Add output indicators (quantity, quality, timeliness) for sub-task {}, prefixed with its number, e.g. `{}. reports ≥X(份)`.",
                            task.no, task.no
                        ),
                    },
                );
            }
        }
    }
    if ctx.on("coverage.unknown-task").is_some() {
        for ind in &p.indicators {
            let missing: Vec<String> = ind
                .tasks
                .iter()
                .filter(|n| p.task(**n).is_none())
                .map(u32::to_string)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let have = if p.tasks.is_empty() {
                "项目未列出子任务".to_string()
            } else {
                format!(
                    "项目子任务为 1–{}",
                    p.tasks.iter().map(|t| t.no).max().unwrap_or(0)
                )
            };
            ctx.indicator(
                "coverage.unknown-task",
                ind,
                Msg {
                    zh: format!(
                        "指标引用的子任务 {} 不存在（{have}）。",
                        missing.join("、")
                    ),
                    en: format!(
                        "The indicator references sub-task {} which does not exist.",
                        missing.join(", ")
                    ),
                    fix_zh: "核对指标名称前的子任务编号，或在项目绩效目标中补列该子任务。".into(),
                    fix_en: "Check the sub-task numbers before the name, or list the sub-task in the goals.".into(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Level1, Level2, Task};

    use crate::rules::testing::*;

    #[test]
    fn a_task_without_output() {
        let mut p = clean();
        p.tasks.push(Task {
            no: 3,
            area: Some("移动源".into()),
            title: "移动源管理技术支持".into(),
            description: String::new(),
            funds: None,
        });
        p.indicators.push(ind(
            Level1::Benefit,
            Level2::SocialBenefit,
            "3. 数据利用率",
            "=100(%)",
        ));
        p.indicators.push(ind(
            Level1::Cost,
            Level2::EconomicCost,
            "3. 成本控制率",
            "≤100(%)",
        ));
        let f = findings(&p, "coverage.task-without-output");
        assert_eq!(rules_of(&p), vec!["coverage.task-without-output"]);
        assert_eq!(f[0].task, Some(3));
        assert_eq!(f[0].indicator, None);
        assert_eq!(
            f[0].message_zh,
            "子任务 3「移动源管理技术支持」没有产出指标（仅见于效益指标、成本指标）。"
        );
    }

    #[test]
    fn forms_without_references_are_not_judged_by_task() {
        let mut p = clean();
        for i in &mut p.indicators {
            i.tasks.clear();
        }
        assert!(rules_of(&p).is_empty());
    }

    #[test]
    fn references_to_missing_tasks() {
        let p = with(
            None,
            ind(
                Level1::Output,
                Level2::Quality,
                "2-4. 报告合格率",
                "=100(%)",
            ),
        );
        let f = findings(&p, "coverage.unknown-task");
        assert_eq!(rules_of(&p), vec!["coverage.unknown-task"]);
        assert_eq!(
            f[0].message_zh,
            "指标引用的子任务 3、4 不存在（项目子任务为 1–2）。"
        );
    }
}
