//! 部门整体 — what the 部门整体支出绩效自评表 and 部门整体支出绩效运行监控表 show beyond a
//! project's tables: the 年度主要任务 with their 预算数 (and each indicator's 是否核心指标, on
//! its row).
//!
//! Rules:
//! - A department-wide declaration ([`Project::is_department_wide`]) gets a [`DepartmentPart`]
//!   on its [`SelfEvaluation`](crate::SelfEvaluation) and [`Monitoring`](crate::Monitoring); a
//!   project gets none, and its tables stay as they were.
//! - **预算数** of a task is its 预算金额 (总额 / 财政拨款 / 其他资金) as declared; a task without
//!   one has none (shown blank, never 0).
//! - **执行数 per task** is not known: a spending record carries no task, so the year's 执行数
//!   stands on the 合计 row only and each task's cell says 未按任务拆分 ([`NOT_SPLIT_ZH`]).
//! - **合计** adds the declared task budgets exactly (checked; an overflow gives no sum rather
//!   than a wrong one).

use jixiao_model::{Decimal, Lang, Project, TaskFunds};
use serde::{Deserialize, Serialize};

/// What a task's 执行数 cell says: the spending records are not split by task.
pub const NOT_SPLIT_ZH: &str = "未按任务拆分";
/// [`NOT_SPLIT_ZH`] in English.
pub const NOT_SPLIT_EN: &str = "not split by task";

/// 是否核心指标 as every table writes it: 是 / 否 (yes / no).
pub fn core_text(core: bool, lang: Lang) -> &'static str {
    match (core, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// The department-wide part of a 自评表 or 监控表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentPart {
    /// 年度主要任务, in form order.
    pub tasks: Vec<MainTask>,
}

/// One 年度主要任务 with its 预算数.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MainTask {
    /// 任务编号 (from 1).
    pub no: u32,
    /// 任务名称.
    pub title: String,
    /// 主要内容.
    pub description: String,
    /// 预算数 (总额 / 财政拨款 / 其他资金), when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<TaskFunds>,
}

impl DepartmentPart {
    /// The part of a department-wide declaration; `None` for a project.
    pub fn of(p: &Project) -> Option<DepartmentPart> {
        p.department_targets.as_ref()?;
        Some(DepartmentPart {
            tasks: p
                .tasks
                .iter()
                .map(|t| MainTask {
                    no: t.no,
                    title: t.title.clone(),
                    description: t.description.clone(),
                    budget: t.funds,
                })
                .collect(),
        })
    }

    /// 金额合计 of the tasks' 预算数: `None` when no task has one, or when the sum does not fit
    /// (never a wrong sum).
    pub fn budget_total(&self) -> Option<TaskFunds> {
        let mut any = false;
        let mut sum = TaskFunds {
            total: Decimal::ZERO,
            fiscal: Decimal::ZERO,
            other: Decimal::ZERO,
        };
        for f in self.tasks.iter().filter_map(|t| t.budget) {
            any = true;
            sum = TaskFunds {
                total: sum.total.checked_add(f.total)?,
                fiscal: sum.fiscal.checked_add(f.fiscal)?,
                other: sum.other.checked_add(f.other)?,
            };
        }
        any.then_some(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::Task;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn task(no: u32, funds: Option<(&str, &str, &str)>) -> Task {
        Task {
            no,
            area: None,
            title: format!("任务{no}"),
            description: String::new(),
            funds: funds.map(|(t, f, o)| TaskFunds {
                total: d(t),
                fiscal: d(f),
                other: d(o),
            }),
        }
    }

    fn project(tasks: Vec<Task>) -> Project {
        let text = include_str!("../../../tests/data/report/department_2024.json");
        let mut p = serde_json::from_str::<jixiao_model::Form>(text)
            .unwrap()
            .projects
            .remove(0);
        p.tasks = tasks;
        p
    }

    #[test]
    fn a_project_has_no_department_part() {
        let mut p = project(vec![task(1, None)]);
        p.department_targets = None;
        assert_eq!(DepartmentPart::of(&p), None);
    }

    #[test]
    fn the_total_adds_declared_budgets_and_skips_tasks_without_one() {
        let p = project(vec![
            task(1, Some(("100.50", "100.00", "0.50"))),
            task(2, None),
            task(3, Some(("20", "0", "20"))),
        ]);
        let part = DepartmentPart::of(&p).unwrap();
        assert_eq!(part.tasks[1].budget, None);
        let t = part.budget_total().unwrap();
        assert_eq!(
            (t.total, t.fiscal, t.other),
            (d("120.50"), d("100.00"), d("20.50"))
        );
    }

    #[test]
    fn no_budget_or_an_overflow_gives_no_total() {
        let p = project(vec![task(1, None)]);
        assert_eq!(DepartmentPart::of(&p).unwrap().budget_total(), None);
        let max = Decimal::MAX.to_string();
        let p = project(vec![
            task(1, Some((&max, "0", "0"))),
            task(2, Some(("1", "0", "0"))),
        ]);
        assert_eq!(DepartmentPart::of(&p).unwrap().budget_total(), None);
    }
}
