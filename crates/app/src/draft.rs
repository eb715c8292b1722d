//! 申报表草稿 — the declaration editor's fields as typed (all text: nothing is lost when
//! something does not read), and how they read as a [`Project`]: every field parsed once, here,
//! each failure a [`FieldError`] named by its field (`year`, `funds_total`,
//! `indicators[2].level2`). Front ends fill a [`Draft`] from their form and show its errors
//! beside the fields.
#![allow(missing_docs)]

use jixiao_model::{
    parse_amount, parse_amount_with_notes, parse_date, AmountError, Decimal, DepartmentTargets,
    Funds, Indicator, Level2, Project, ProjectFunds, SpendingSplit, Target, Task, TaskFunds,
};

use crate::access::Actor;
use crate::error::FieldError;

/// One sub-task row as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskRow {
    /// 实施领域.
    pub area: String,
    /// 子任务名称.
    pub title: String,
    /// 子任务内容.
    pub desc: String,
    /// 预算金额 (a department-wide form's 年度主要任务): 总额, 财政拨款, 其他资金; all empty: none.
    pub funds_total: String,
    pub funds_fiscal: String,
    pub funds_other: String,
}

/// One indicator row as typed.
#[derive(Debug, Clone, Default)]
pub struct IndRow {
    /// The stable id of an indicator that was saved before (empty for a new one).
    pub id: String,
    /// 二级指标 (its id, `quantity`).
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 指标值 as typed.
    pub target: String,
    /// The sub-task numbers it serves.
    pub tasks: Vec<u32>,
    /// The 指标库 entry it is linked to (its id; empty: none), kept by a save.
    pub library: String,
    /// 是否核心指标.
    pub core: bool,
}

impl IndRow {
    /// A new row from a library entry (从指标库添加): its 二级, name and typical target, linked
    /// to it.
    pub fn of_entry(e: &jixiao_model::LibraryEntry) -> IndRow {
        IndRow {
            id: String::new(),
            level2: e.level2.id().to_string(),
            name: e.name.clone(),
            target: e.typical_target.clone().unwrap_or_default(),
            tasks: Vec::new(),
            library: e.id.map(|x| x.to_string()).unwrap_or_default(),
            core: e.core,
        }
    }
}

/// The editor's fields as typed (all text: nothing is lost when something does not read).
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub name: String,
    pub year: String,
    pub unit: String,
    pub department: String,
    pub nature: String,
    pub category: String,
    pub start: String,
    pub end: String,
    pub funds_total: String,
    pub funds_fiscal: String,
    pub funds_carryover: String,
    pub funds_other: String,
    /// 项目资金 (whole period): 项目资金总额, 其中财政资金, 其他资金; all empty: none.
    pub pfunds_total: String,
    pub pfunds_fiscal: String,
    pub pfunds_other: String,
    pub overall_goal: String,
    pub annual_goal: String,
    pub tasks: Vec<TaskRow>,
    pub inds: Vec<IndRow>,
    pub base_version: String,
    pub reason: String,
    /// 上年项目: the declaration (its id) this draft was started from (empty: none); the
    /// creation links the two in the same transaction.
    pub previous: String,
    /// A department-wide declaration (部门整体支出绩效目标申报表), not a project's.
    pub department_wide: bool,
    /// 部门职能概述 (department-wide only).
    pub functions: String,
    /// 支出构成: 基本支出 and 项目支出 (department-wide only; both empty: not split).
    pub spending_basic: String,
    pub spending_project: String,
}

/// A stored amount as the editor shows it: grouped by thousands, its decimals exactly as stored
/// (`9028372.00` → `9,028,372.00`), so that saving it unchanged reads back the same value.
pub fn written(x: Decimal) -> String {
    let s = x.to_string();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The Chinese and the English of a model error, whose text is `中文 / English`.
fn halves(e: &impl std::fmt::Display) -> (String, String) {
    let s = e.to_string();
    match s.split_once(" / ") {
        Some((zh, en)) => (zh.to_string(), en.to_string()),
        None => (s.clone(), s),
    }
}

fn opt_text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Amounts that go together (项目资金, a task's 预算金额, 支出构成): none when every field is
/// empty; otherwise each is read by `amount`, and each empty one is an error in `missing`
/// ("fill in all or none") — never a zero the user did not write.
fn all_or_none<const N: usize>(
    fields: [(String, &String, String, String); N],
    amount: &mut impl FnMut(&str, &str, &str, &str) -> Decimal,
    missing: &mut Vec<FieldError>,
) -> Option<[Decimal; N]> {
    if fields.iter().all(|(_, raw, _, _)| raw.trim().is_empty()) {
        return None;
    }
    let mut vals = [Decimal::ZERO; N];
    for (i, (field, raw, zh, en)) in fields.iter().enumerate() {
        if raw.trim().is_empty() {
            missing.push(FieldError {
                field: field.clone(),
                column: None,
                zh: format!("{zh}未填写：这几项金额要么都填（可填 0.00），要么都留空"),
                en: format!(
                    "{en} is empty: fill in all of these amounts (0.00 is allowed) or none"
                ),
            });
        } else {
            vals[i] = amount(field, raw, zh, en);
        }
    }
    Some(vals)
}

impl Draft {
    /// A new declaration of `year` in the actor's unit and department: one indicator row.
    pub fn blank(actor: &Actor, year: i32) -> Draft {
        let year = year.to_string();
        Draft {
            unit: actor.unit.clone().unwrap_or_default(),
            department: actor.department.clone().unwrap_or_default(),
            start: format!("{year}-01-01"),
            end: format!("{year}-12-31"),
            year,
            funds_total: "0.00".into(),
            funds_fiscal: "0.00".into(),
            funds_carryover: "0.00".into(),
            funds_other: "0.00".into(),
            inds: vec![IndRow {
                level2: Level2::Quantity.id().to_string(),
                ..IndRow::default()
            }],
            ..Draft::default()
        }
    }

    /// A new department-wide declaration (部门整体支出绩效目标) of `year` for the actor's
    /// unit: kept under [`jixiao_model::DEPARTMENT_TARGETS_NAME`], one main task and one
    /// indicator row.
    pub fn blank_department(actor: &Actor, year: i32) -> Draft {
        let mut d = Draft::blank(actor, year);
        d.name = jixiao_model::DEPARTMENT_TARGETS_NAME.to_string();
        d.department_wide = true;
        d.tasks.push(TaskRow::default());
        d
    }

    /// The fields of a stored declaration at its version.
    pub fn of(p: &Project, version: i64) -> Draft {
        let dept = p.department_targets.as_ref();
        let split = dept.and_then(|d| d.spending);
        Draft {
            name: p.name.clone(),
            year: p.year.to_string(),
            unit: p.unit.clone(),
            department: p.department.clone().unwrap_or_default(),
            nature: p.nature.clone().unwrap_or_default(),
            category: p.category.clone().unwrap_or_default(),
            start: p.start.format("%Y-%m-%d").to_string(),
            end: p.end.format("%Y-%m-%d").to_string(),
            funds_total: written(p.funds.total),
            funds_fiscal: written(p.funds.fiscal),
            funds_carryover: written(p.funds.carryover),
            funds_other: written(p.funds.other),
            pfunds_total: p
                .project_funds
                .as_ref()
                .map(|f| written(f.total))
                .unwrap_or_default(),
            pfunds_fiscal: p
                .project_funds
                .as_ref()
                .map(|f| written(f.fiscal))
                .unwrap_or_default(),
            pfunds_other: p
                .project_funds
                .as_ref()
                .map(|f| written(f.other))
                .unwrap_or_default(),
            overall_goal: p.overall_goal.clone(),
            annual_goal: p.annual_goal.clone(),
            tasks: p
                .tasks
                .iter()
                .map(|t| TaskRow {
                    area: t.area.clone().unwrap_or_default(),
                    title: t.title.clone(),
                    desc: t.description.clone(),
                    funds_total: t.funds.map(|f| written(f.total)).unwrap_or_default(),
                    funds_fiscal: t.funds.map(|f| written(f.fiscal)).unwrap_or_default(),
                    funds_other: t.funds.map(|f| written(f.other)).unwrap_or_default(),
                })
                .collect(),
            inds: p
                .indicators
                .iter()
                .map(|i| IndRow {
                    id: i.id.map(|x| x.to_string()).unwrap_or_default(),
                    level2: i.level2.id().to_string(),
                    name: i.name.clone(),
                    target: i.raw.clone(),
                    tasks: i.tasks.clone(),
                    library: i.library.map(|x| x.to_string()).unwrap_or_default(),
                    core: i.core,
                })
                .collect(),
            base_version: version.to_string(),
            reason: String::new(),
            previous: String::new(),
            department_wide: p.is_department_wide(),
            functions: dept.map(|d| d.functions.clone()).unwrap_or_default(),
            spending_basic: split.map(|s| written(s.basic)).unwrap_or_default(),
            spending_project: split.map(|s| written(s.project)).unwrap_or_default(),
        }
    }

    /// 以上年申报为基础 — a new declaration of the year after `p` (declaration `previous`):
    /// every field copied, the year and both dates a year later (29 February → 28 February), no
    /// stored ids and no version, linked to `previous`.
    pub fn next_year(p: &Project, previous: jixiao_model::DeclarationId) -> Draft {
        let later = |d: jixiao_model::NaiveDate| {
            use jixiao_model::Datelike;
            d.with_year(d.year() + 1)
                .or_else(|| d.with_day(28).and_then(|d| d.with_year(d.year() + 1)))
                .unwrap_or(d)
        };
        let mut d = Draft::of(p, 0);
        d.year = (p.year + 1).to_string();
        d.start = later(p.start).format("%Y-%m-%d").to_string();
        d.end = later(p.end).format("%Y-%m-%d").to_string();
        d.base_version.clear();
        for r in &mut d.inds {
            r.id.clear();
        }
        d.previous = previous.to_string();
        d
    }

    /// The declaration this draft was started from, when it names one.
    pub fn previous_id(&self) -> Option<jixiao_model::DeclarationId> {
        self.previous.trim().parse().ok()
    }

    /// The project the fields read as, and the fields that do not read (named by field).
    pub fn read(&self) -> (Project, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut err = |field: &str, zh: String, en: String| {
            errors.push(FieldError {
                field: field.to_string(),
                column: None,
                zh,
                en,
            });
        };
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if crate::workflow::YEARS.contains(&y) => y,
            _ => {
                let r = crate::workflow::year_refused(&self.year);
                err("year", r.zh, r.en);
                0
            }
        };
        let mut date = |field: &str, raw: &str, zh: &str, en: &str| match parse_date(raw.trim()) {
            Ok(d) => d,
            Err(e) => {
                let (why_zh, why_en) = halves(&e);
                err(
                    field,
                    format!("{zh}「{raw}」无法读取：{why_zh}"),
                    format!("{en} {raw:?} cannot be read: {why_en}"),
                );
                jixiao_model::NaiveDate::default()
            }
        };
        let start = date("start", &self.start, "计划开始日期", "the start date");
        let end = date("end", &self.end, "计划完成日期", "the end date");
        // A group's "fill in all or none" errors, after the amounts' own.
        let mut errors_of_groups = Vec::new();
        let mut amount = |field: &str, raw: &str, zh: &str, en: &str| match parse_amount(raw) {
            Ok(d) => d,
            Err(e) => {
                let wan = raw.trim().trim_end_matches('元').trim_end().ends_with('万');
                let (zh, en) = match (&e, parse_amount_with_notes(raw)) {
                    // 万元 (`12万`): exact, but this field is in 元 and a save has no place for
                    // a warning: say what it reads as and what to write, never store a guess.
                    (AmountError::Guessed(_), Ok((yuan, notes))) if wan && notes.len() == 1 => (
                        format!(
                            "{zh}「{raw}」以万元书写，即 {} 元；本栏按元填写，请写作 {}",
                            written(yuan),
                            written(yuan)
                        ),
                        format!(
                            "{en} {raw:?} is in 万元, that is {} yuan; this field is in yuan, write {}",
                            written(yuan),
                            written(yuan)
                        ),
                    ),
                    // A letter for a digit: never read by guessing; say what it may mean.
                    (AmountError::Guessed(_), Ok((guess, _))) => (
                        format!(
                            "{zh}「{raw}」中有字母，不按猜测读取；如果是 {}，请照此改写",
                            written(guess)
                        ),
                        format!(
                            "{en} {raw:?} holds a letter and is not read by guessing; if it is {}, write that",
                            written(guess)
                        ),
                    ),
                    _ => {
                        let (why_zh, why_en) = halves(&e);
                        (
                            format!("{zh}「{raw}」无法读取：{why_zh}"),
                            format!("{en} {raw:?} cannot be read: {why_en}"),
                        )
                    }
                };
                errors.push(FieldError {
                    field: field.to_string(),
                    column: None,
                    zh,
                    en,
                });
                jixiao_model::Decimal::ZERO
            }
        };
        let funds = Funds {
            total: amount(
                "funds_total",
                &self.funds_total,
                "年度资金申请总额",
                "the total",
            ),
            fiscal: amount(
                "funds_fiscal",
                &self.funds_fiscal,
                "当年财政拨款",
                "the appropriation",
            ),
            carryover: amount(
                "funds_carryover",
                &self.funds_carryover,
                "上年结转资金",
                "the carry-over",
            ),
            other: amount("funds_other", &self.funds_other, "其他资金", "other funds"),
        };
        // 项目资金: none when all three are empty; otherwise each must be written.
        let project_funds = all_or_none(
            [
                (
                    "pfunds_total".to_string(),
                    &self.pfunds_total,
                    "项目资金总额".to_string(),
                    "the whole-period total".to_string(),
                ),
                (
                    "pfunds_fiscal".to_string(),
                    &self.pfunds_fiscal,
                    "项目资金中的财政资金".to_string(),
                    "the whole-period fiscal funds".to_string(),
                ),
                (
                    "pfunds_other".to_string(),
                    &self.pfunds_other,
                    "项目资金中的其他资金".to_string(),
                    "the whole-period other funds".to_string(),
                ),
            ],
            &mut amount,
            &mut errors_of_groups,
        )
        .map(|[total, fiscal, other]| ProjectFunds {
            total,
            fiscal,
            other,
        });
        let mut tasks: Vec<Task> = Vec::with_capacity(self.tasks.len());
        for (k, t) in self.tasks.iter().enumerate() {
            let no = u32::try_from(k + 1).unwrap_or(u32::MAX);
            let funds = all_or_none(
                [
                    (
                        format!("tasks[{k}].funds_total"),
                        &t.funds_total,
                        format!("任务{no}的预算金额总额"),
                        format!("task {no}'s budget"),
                    ),
                    (
                        format!("tasks[{k}].funds_fiscal"),
                        &t.funds_fiscal,
                        format!("任务{no}的财政拨款"),
                        format!("task {no}'s fiscal funds"),
                    ),
                    (
                        format!("tasks[{k}].funds_other"),
                        &t.funds_other,
                        format!("任务{no}的其他资金"),
                        format!("task {no}'s other funds"),
                    ),
                ],
                &mut amount,
                &mut errors_of_groups,
            )
            .map(|[total, fiscal, other]| TaskFunds {
                total,
                fiscal,
                other,
            });
            tasks.push(Task {
                no,
                area: opt_text(&t.area),
                title: t.title.trim().to_string(),
                description: t.desc.trim().to_string(),
                funds,
            });
        }
        let department_targets = self.department_wide.then(|| DepartmentTargets {
            functions: self.functions.trim().to_string(),
            spending: all_or_none(
                [
                    (
                        "spending_basic".to_string(),
                        &self.spending_basic,
                        "基本支出".to_string(),
                        "basic spending".to_string(),
                    ),
                    (
                        "spending_project".to_string(),
                        &self.spending_project,
                        "项目支出".to_string(),
                        "project spending".to_string(),
                    ),
                ],
                &mut amount,
                &mut errors_of_groups,
            )
            .map(|[basic, project]| SpendingSplit { basic, project }),
        });
        errors.append(&mut errors_of_groups);
        let mut indicators = Vec::new();
        for (k, r) in self.inds.iter().enumerate() {
            let level2 = Level2::from_id(r.level2.trim());
            let Some(level1) = level2.level1() else {
                errors.push(FieldError {
                    field: format!("indicators[{k}].level2"),
                    column: None,
                    zh: format!("第 {} 行指标的二级指标「{}」不是已知类别", k + 1, r.level2),
                    en: format!(
                        "row {}: {:?} is not a known level-2 category",
                        k + 1,
                        r.level2
                    ),
                });
                continue;
            };
            let target = crate::workflow::check_target_in(&r.target, (year > 0).then_some(year))
                .map_or_else(|_| Target::Qualitative(r.target.clone()), |x| x.target);
            indicators.push(Indicator {
                id: r.id.trim().parse().ok(),
                code: String::new(),
                level1,
                level2,
                name: r.name.trim().to_string(),
                tasks: r
                    .tasks
                    .iter()
                    .copied()
                    .filter(|n| (1..=tasks.len()).contains(&(*n as usize)))
                    .collect(),
                raw: r.target.trim().to_string(),
                line: None,
                target,
                library: r.library.trim().parse().ok(),
                core: r.core,
            });
        }
        let p = Project {
            id: None,
            year,
            name: self.name.trim().to_string(),
            nature: opt_text(&self.nature),
            category: opt_text(&self.category),
            department: opt_text(&self.department),
            unit: self.unit.trim().to_string(),
            start,
            end,
            funds,
            project_funds,
            overall_goal: self.overall_goal.trim().to_string(),
            annual_goal: self.annual_goal.trim().to_string(),
            tasks,
            indicators,
            department_targets,
        };
        (p, errors)
    }
}
