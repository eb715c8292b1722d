//! 财政项目支出绩效目标申报表 — a declared project and its parts.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::level::{Level1, Level2};
use crate::target::Target;

/// The `format` tag of canonical JSON written by this version.
pub const FORM_FORMAT: &str = "jixiao-form/1";

/// A form file: one or more declared projects, as a unit exports them
/// (项目绩效目标汇总表 when there are several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Always [`FORM_FORMAT`].
    pub format: String,
    /// The document's own title, e.g. `上海市减污降碳管理运行技术中心2024年度项目绩效目标汇总表`.
    pub title: Option<String>,
    /// The projects, in the order of the source.
    pub projects: Vec<Project>,
}

impl Form {
    /// A form with no title.
    pub fn new(projects: Vec<Project>) -> Form {
        Form {
            format: FORM_FORMAT.to_string(),
            title: None,
            projects,
        }
    }
}

/// What identifies a project across imports: 年度, 实施单位 and 项目名称.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProjectKey {
    /// 年度.
    pub year: i32,
    /// 实施单位.
    pub unit: String,
    /// 项目名称.
    pub name: String,
}

/// The stable id of a declaration (申报项目): it survives versions, re-imports and renames.
/// Assigned by the store; absent in a form read from a file unless the file carries it.
pub type DeclarationId = i64;

/// The stable id of an indicator (三级指标) across a declaration's versions. Assigned by the
/// store when an import matches indicators by content; position codes (`1.1.3`) are labels.
pub type IndicatorId = i64;

/// One project as declared on its 财政项目支出绩效目标申报表 (a `Declaration` in the glossary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Stable id, when the project came from (or was exported by) a store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<DeclarationId>,
    /// 年度 — the budget year of the declaration (`(2024年度)`).
    pub year: i32,
    /// 项目名称.
    pub name: String,
    /// 项目性质 (经常性项目, 其他一次性项目, 阶段性项目 …).
    pub nature: Option<String>,
    /// 项目类别 (特定目标类, 专项业务类 …).
    pub category: Option<String>,
    /// 主管部门 — the supervising department.
    pub department: Option<String>,
    /// 实施单位 — the implementing unit.
    pub unit: String,
    /// 计划开始日期.
    pub start: NaiveDate,
    /// 计划完成日期.
    pub end: NaiveDate,
    /// This year's funds (年度资金).
    pub funds: Funds,
    /// Whole-period funds of a multi-year project (项目资金总额), when the form gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_funds: Option<ProjectFunds>,
    /// 项目总目标.
    pub overall_goal: String,
    /// 年度总体目标.
    pub annual_goal: String,
    /// 子任务 — the numbered work items.
    pub tasks: Vec<Task>,
    /// 绩效指标 — the indicator tree, flattened in form order.
    pub indicators: Vec<Indicator>,
    /// What a department-wide declaration (部门整体支出绩效目标申报表) holds beyond a project's;
    /// `None` for a project. Its 年度主要任务 are [`Project::tasks`] (with their budgets), its
    /// 年度绩效目标 [`Project::annual_goal`], its 中长期目标 [`Project::overall_goal`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_targets: Option<DepartmentTargets>,
}

/// The name a department-wide declaration is kept under (with its year and 部门（单位）):
/// one per unit and year.
pub const DEPARTMENT_TARGETS_NAME: &str = "部门整体支出";

/// 部门整体支出绩效目标 — a department's (or unit's) whole-budget target form, beside the
/// project forms: the part a project does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentTargets {
    /// 部门职能概述.
    pub functions: String,
    /// 支出构成 — the year's money as 基本支出 and 项目支出, when the form splits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spending: Option<SpendingSplit>,
}

/// 支出构成 — a department's money by kind of spending, in 元.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendingSplit {
    /// 基本支出 (人员经费 and 公用经费).
    pub basic: Decimal,
    /// 项目支出.
    pub project: Decimal,
}

impl Project {
    /// The identity used by the store.
    pub fn key(&self) -> ProjectKey {
        ProjectKey {
            year: self.year,
            unit: self.unit.clone(),
            name: self.name.clone(),
        }
    }

    /// Gives every indicator its position code `一级.二级.序号` (e.g. `1.1.3`: the third
    /// 数量指标 of 产出). Codes depend only on categories and order, so the same form always
    /// yields the same codes — and an indicator inserted above shifts them: a code is a label,
    /// the identity is [`Indicator::id`].
    pub fn assign_codes(&mut self) {
        let mut seen: Vec<(u32, u32, u32)> = Vec::new();
        for ind in &mut self.indicators {
            let (a, b) = (ind.level1.ordinal(), ind.level2.ordinal());
            let n = match seen.iter_mut().find(|(x, y, _)| (*x, *y) == (a, b)) {
                Some(entry) => {
                    entry.2 += 1;
                    entry.2
                }
                None => {
                    seen.push((a, b, 1));
                    1
                }
            };
            ind.code = format!("{a}.{b}.{n}");
        }
    }

    /// The indicator with this code.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// Whether this is a department-wide declaration (部门整体支出绩效目标), not a project's.
    pub fn is_department_wide(&self) -> bool {
        self.department_targets.is_some()
    }

    /// 部门总体资金情况 as the department-wide 申报表 prints it: 收入构成 (财政拨款, 上年结转资金
    /// when not zero, 其他资金, 合计) and 支出构成 (基本支出, 项目支出, 合计; `None` where the
    /// budget is not split, 合计 `None` when it overflows).
    #[allow(clippy::type_complexity)] // two printed columns of (label, amount)
    pub fn department_money(
        &self,
    ) -> (
        Vec<(&'static str, Decimal)>,
        [(&'static str, Option<Decimal>); 3],
    ) {
        let f = &self.funds;
        let mut income = vec![("财政拨款", f.fiscal)];
        if !f.carryover.is_zero() {
            income.push(("上年结转资金", f.carryover));
        }
        income.push(("其他资金", f.other));
        income.push(("合计", f.total));
        let split = self.department_targets.as_ref().and_then(|d| d.spending);
        let spending = [
            ("基本支出", split.map(|s| s.basic)),
            ("项目支出", split.map(|s| s.project)),
            ("合计", split.and_then(|s| s.basic.checked_add(s.project))),
        ];
        (income, spending)
    }

    /// The sub-task with this number.
    pub fn task(&self, no: u32) -> Option<&Task> {
        self.tasks.iter().find(|t| t.no == no)
    }
}

/// 年度资金 — this year's money, in 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// 年度资金申请总额.
    pub total: Decimal,
    /// 当年财政拨款.
    pub fiscal: Decimal,
    /// 上年结转资金.
    pub carryover: Decimal,
    /// 其他资金.
    pub other: Decimal,
}

/// 项目资金 — whole-period money of a multi-year project, in 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFunds {
    /// 项目资金总额.
    pub total: Decimal,
    /// 其中：财政资金.
    pub fiscal: Decimal,
    /// 其他资金.
    pub other: Decimal,
}

/// 子任务 — a numbered work item of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// 编号, from 1.
    pub no: u32,
    /// 领域 (移动源, 固定源, 碳排放, 管理运行 …), when the form names one.
    pub area: Option<String>,
    /// 标题.
    pub title: String,
    /// 内容.
    pub description: String,
    /// 预算金额 — the task's money, when the form allocates it (a department-wide form's
    /// 年度主要任务 do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds: Option<TaskFunds>,
}

/// 预算金额 of one task, in 元: 总额, 财政拨款, 其他资金.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFunds {
    /// 总额.
    pub total: Decimal,
    /// 财政拨款.
    pub fiscal: Decimal,
    /// 其他资金.
    pub other: Decimal,
}

/// 三级指标 — one indicator with its place in the tree and its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, when the indicator came from (or was exported by) a store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<IndicatorId>,
    /// Position code `一级.二级.序号`, see [`Project::assign_codes`].
    pub code: String,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标 name, without its sub-task prefix.
    pub name: String,
    /// The sub-tasks this indicator measures (`1与2.` → `[1, 2]`); empty when none are named.
    pub tasks: Vec<u32>,
    /// The target cell's text as written.
    pub raw: String,
    /// Line of the source where the indicator's row starts, when read from a text source.
    pub line: Option<u32>,
    /// The typed target.
    pub target: Target,
    /// 是否核心指标 — marked as core (财预〔2021〕101号 核心绩效指标).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub core: bool,
    /// 指标库条目 — the library entry this indicator is linked to, when known (an entry the
    /// editor's user chose, or one a store loaded from its links). Not part of the declaration's
    /// content: never in its files or documents, and a change of it makes no new version.
    #[serde(skip)]
    pub library: Option<i64>,
}
