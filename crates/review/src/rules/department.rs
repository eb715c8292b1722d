//! 部门整体 — the rules of a department-wide declaration (部门整体支出绩效目标申报表): its
//! 年度主要任务 carry the money, the budget splits into 基本支出 and 项目支出, it states the
//! department's functions and marks its 核心指标. Projects are not checked here, except that a
//! project whose sub-tasks carry money is held to the same sum.

use jixiao_model::present::money;
use jixiao_model::{Decimal, Lang};

use super::{Ctx, Msg};

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.project;
    let tol = ctx.policy.funds.tolerance;
    let off = |a: Option<Decimal>, b: Decimal| {
        a.and_then(|a| a.checked_sub(b))
            .is_none_or(|d| d.abs() > tol)
    };
    let budgets: Vec<_> = p
        .tasks
        .iter()
        .filter_map(|t| t.funds.map(|f| (t.no, f)))
        .collect();
    if ctx.on("department.task-sum").is_some() {
        for &(no, f) in &budgets {
            if off(f.fiscal.checked_add(f.other), f.total) {
                let [zh, en] =
                    [Lang::Zh, Lang::En].map(|l| [f.total, f.fiscal, f.other].map(|x| money(x, l)));
                ctx.task(
                    "department.task-sum",
                    no,
                    Msg {
                        zh: format!(
                            "任务{no}的预算金额总额 {}不等于 财政拨款 {} + 其他资金 {}。",
                            zh[0], zh[1], zh[2]
                        ),
                        en: format!(
                            "Task {no}'s budget {} does not equal fiscal {} + other {}.",
                            en[0], en[1], en[2]
                        ),
                        fix_zh: "核对该任务的预算金额及其来源。".into(),
                        fix_en: "Check the task's budget and its sources.".into(),
                    },
                );
            }
        }
    }
    if ctx.on("department.tasks-total").is_some() && !budgets.is_empty() {
        let sum = budgets
            .iter()
            .try_fold(Decimal::ZERO, |s, (_, f)| s.checked_add(f.total));
        if off(sum, p.funds.total) {
            let s = |l| sum.map_or_else(|| "∞".to_string(), |x| money(x, l));
            ctx.project(
                "department.tasks-total",
                Msg {
                    zh: format!(
                        "各项任务预算金额之和 {}不等于年度资金总额 {}。",
                        s(Lang::Zh),
                        money(p.funds.total, Lang::Zh)
                    ),
                    en: format!(
                        "The tasks' budgets add up to {}, not the year's total {}.",
                        s(Lang::En),
                        money(p.funds.total, Lang::En)
                    ),
                    fix_zh: "使金额合计与年度资金总额一致，或补齐未列出预算的任务。".into(),
                    fix_en:
                        "Make the tasks' total match the year's total, or add the missing budgets."
                            .into(),
                },
            );
        }
    }
    let Some(d) = &p.department_targets else {
        return;
    };
    if let Some(split) = d.spending {
        if ctx.on("department.spending-sum").is_some()
            && off(split.basic.checked_add(split.project), p.funds.total)
        {
            let [zh, en] = [Lang::Zh, Lang::En]
                .map(|l| [split.basic, split.project, p.funds.total].map(|x| money(x, l)));
            ctx.project(
                "department.spending-sum",
                Msg {
                    zh: format!(
                        "支出构成 基本支出 {} + 项目支出 {} 不等于年度资金总额 {}。",
                        zh[0], zh[1], zh[2]
                    ),
                    en: format!(
                        "Spending: basic {} + project {} does not equal the year's total {}.",
                        en[0], en[1], en[2]
                    ),
                    fix_zh: "核对部门总体资金情况的收入与支出构成。".into(),
                    fix_en: "Check the department's income and spending totals.".into(),
                },
            );
        }
    }
    if ctx.on("department.no-functions").is_some() && d.functions.trim().is_empty() {
        ctx.project(
            "department.no-functions",
            Msg {
                zh: "未填写部门职能概述。".into(),
                en: "The department's functions (部门职能概述) are not stated.".into(),
                fix_zh: "按三定方案概述部门职能，绩效目标应与职能对应。".into(),
                fix_en: "State the department's functions; its targets should follow from them."
                    .into(),
            },
        );
    }
    if ctx.on("department.task-without-budget").is_some() {
        for t in p.tasks.iter().filter(|t| t.funds.is_none()) {
            ctx.task(
                "department.task-without-budget",
                t.no,
                Msg {
                    zh: format!("年度主要任务{}「{}」未填写预算金额。", t.no, t.title),
                    en: format!("Main task {} ({}) has no budget.", t.no, t.title),
                    fix_zh: "为每项年度主要任务填写预算金额（总额、财政拨款、其他资金）。".into(),
                    fix_en: "Give each main task its budget (total, fiscal, other).".into(),
                },
            );
        }
    }
    if ctx.on("department.no-core").is_some()
        && !p.indicators.is_empty()
        && !p.indicators.iter().any(|i| i.core)
    {
        ctx.project(
            "department.no-core",
            Msg {
                zh: "没有标为核心指标的绩效指标。".into(),
                en: "No indicator is marked as a core indicator (核心指标).".into(),
                fix_zh: "在能反映部门履职主要成效的指标上标注“是否核心指标：是”。".into(),
                fix_en: "Mark the indicators that show the department's main results as core."
                    .into(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::{DepartmentTargets, Project, SpendingSplit, TaskFunds};

    use crate::rules::testing::{clean, findings, money, rules_of};

    fn funds(total: &str, fiscal: &str, other: &str) -> Option<TaskFunds> {
        Some(TaskFunds {
            total: money(total),
            fiscal: money(fiscal),
            other: money(other),
        })
    }

    /// `clean()` as a department-wide declaration whose two tasks carry the year's 100,000.00.
    fn department() -> Project {
        let mut p = clean();
        p.tasks[0].funds = funds("60000.00", "55000.00", "5000.00");
        p.tasks[1].funds = funds("40000.00", "40000.00", "0.00");
        p.indicators[0].core = true;
        p.department_targets = Some(DepartmentTargets {
            functions: "负责全市环境监测。".into(),
            spending: Some(SpendingSplit {
                basic: money("70000.00"),
                project: money("30000.00"),
            }),
        });
        p
    }

    #[test]
    fn a_clean_department_form_has_no_findings() {
        assert!(
            rules_of(&department()).is_empty(),
            "{:?}",
            rules_of(&department())
        );
        // A project without department parts is not asked for them.
        assert!(rules_of(&clean()).is_empty());
    }

    #[test]
    fn a_task_whose_budget_does_not_add_up() {
        let mut p = department();
        p.tasks[1].funds = funds("40000.00", "30000.00", "0.00");
        let f = findings(&p, "department.task-sum");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].task, Some(2));
        assert_eq!(
            f[0].message_zh,
            "任务2的预算金额总额 40,000.00 元不等于 财政拨款 30,000.00 元 + 其他资金 0.00 元。"
        );
    }

    #[test]
    fn tasks_that_do_not_cover_the_year() {
        let mut p = department();
        p.tasks[1].funds = funds("30000.00", "30000.00", "0.00");
        assert_eq!(rules_of(&p), vec!["department.tasks-total"]);
        assert_eq!(
            findings(&p, "department.tasks-total")[0].message_zh,
            "各项任务预算金额之和 90,000.00 元不等于年度资金总额 100,000.00 元。"
        );
        // The same sum holds for a project whose sub-tasks carry money.
        let mut q = clean();
        q.tasks[0].funds = funds("10.00", "10.00", "0.00");
        assert_eq!(rules_of(&q), vec!["department.tasks-total"]);
    }

    #[test]
    fn spending_that_does_not_add_up() {
        let mut p = department();
        if let Some(d) = &mut p.department_targets {
            d.spending = Some(SpendingSplit {
                basic: money("70000.00"),
                project: money("20000.00"),
            });
        }
        assert_eq!(rules_of(&p), vec!["department.spending-sum"]);
    }

    #[test]
    fn functions_budgets_and_core_indicators_are_asked_for() {
        let mut p = department();
        p.tasks[1].funds = None;
        p.tasks[0].funds = funds("100000.00", "95000.00", "5000.00");
        p.indicators[0].core = false;
        if let Some(d) = &mut p.department_targets {
            d.functions = " ".into();
        }
        assert_eq!(
            rules_of(&p),
            vec![
                "department.no-functions",
                "department.task-without-budget",
                "department.no-core"
            ]
        );
        assert_eq!(
            findings(&p, "department.task-without-budget")[0].task,
            Some(2)
        );
    }
}
