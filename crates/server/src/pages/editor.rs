//! 申报表编辑 — the declaration editor: `/projects/new` (a draft from scratch) and
//! `/projects/{id}/edit` (a 草稿 or 退回 declaration; an approved one is 调整 with a required
//! reason). One form, posted to itself with a button `op`:
//!
//! | `op` | what it does |
//! |---|---|
//! | `check` | reads every field and target, reviews the draft (`App::check_draft`): nothing saved |
//! | `save` | the same, then `App::create_declaration` / `save_declaration` / `adjust` |
//! | `add`, `add_task` | a new empty indicator / sub-task row |
//! | `up_K`, `down_K`, `remove_K` | moves or removes indicator row K |
//! | `remove_task_K` | removes sub-task row K |
//!
//! Every answer but a successful save is the form again with what was typed: each target
//! beside its field with what it was read as (`App::check_target`, the parser of imports) or
//! why not, the review's findings beside their indicators. A save based on an older version
//! shows the conflict (who saved, when, what changed) above the form, which keeps the user's
//! input. Fields are named `name`, `year`, `unit`, `department`, `nature`, `category`,
//! `start`, `end`, `funds_total`, `funds_fiscal`, `funds_carryover`, `funds_other` (年度资金),
//! `pfunds_total`, `pfunds_fiscal`, `pfunds_other` (项目资金 of a multi-year project: all three,
//! or none), `overall_goal`, `annual_goal`, `task_area_K`, `task_title_K`, `task_desc_K`, `ind_id_K`,
//! `ind_level2_K`, `ind_name_K`, `ind_target_K`, `ind_tasks_K` (checkboxes, the sub-task
//! numbers), `base_version`, `reason`.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State as S};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jixiao_app::{AppError, FieldError, Invalid, TargetReading};
use jixiao_model::{
    parse_amount, parse_amount_with_notes, parse_date, AmountError, Decimal, Finding, Funds,
    Indicator, Level2, Project, ProjectFunds, Status, Target, Task,
};
use serde::Deserialize;

use super::project::{Acts, Head};
use super::{id_of, CsrfField, Failure, Frame, PageResult, PageUser, Posted};
use crate::State;

/// A posted form as its pairs, in order (repeated names allowed: the sub-task checkboxes).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub(crate) struct Pairs(Vec<(String, String)>);

impl Pairs {
    pub(crate) fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// How many rows of a kind (`ind_name_`, `task_title_`): one past the highest index.
    fn rows(&self, prefix: &str) -> usize {
        self.0
            .iter()
            .filter_map(|(n, _)| n.strip_prefix(prefix)?.parse::<usize>().ok())
            .map(|k| k + 1)
            .max()
            .unwrap_or(0)
            .min(500)
    }
}

impl CsrfField for Pairs {
    fn csrf(&self) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

/// One sub-task row as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct TaskRow {
    pub area: String,
    pub title: String,
    pub desc: String,
}

/// One indicator row as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct IndRow {
    /// The stable id of an indicator that was saved before (empty for a new one).
    pub id: String,
    pub level2: String,
    pub name: String,
    pub target: String,
    pub tasks: Vec<u32>,
}

/// The editor's fields as typed (all text: nothing is lost when something does not read).
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
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
}

/// A stored amount as the editor shows it: grouped by thousands, its decimals exactly as stored
/// (`9028372.00` → `9,028,372.00`), so that saving it unchanged reads back the same value.
fn written(x: Decimal) -> String {
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

impl Draft {
    fn blank(actor: &jixiao_app::Actor, zone: jixiao_model::present::Zone) -> Draft {
        let year = super::today(zone).format("%Y").to_string();
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

    fn of(p: &Project, version: i64) -> Draft {
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
                })
                .collect(),
            base_version: version.to_string(),
            reason: String::new(),
        }
    }

    fn from_pairs(f: &Pairs) -> Draft {
        let tasks = (0..f.rows("task_title_"))
            .map(|k| TaskRow {
                area: f.get(&format!("task_area_{k}")),
                title: f.get(&format!("task_title_{k}")),
                desc: f.get(&format!("task_desc_{k}")),
            })
            .collect();
        let inds = (0..f.rows("ind_name_"))
            .map(|k| IndRow {
                id: f.get(&format!("ind_id_{k}")),
                level2: f.get(&format!("ind_level2_{k}")),
                name: f.get(&format!("ind_name_{k}")),
                target: f.get(&format!("ind_target_{k}")),
                tasks: f
                    .all(&format!("ind_tasks_{k}"))
                    .iter()
                    .filter_map(|t| t.trim().parse().ok())
                    .collect(),
            })
            .collect();
        Draft {
            name: f.get("name"),
            year: f.get("year"),
            unit: f.get("unit"),
            department: f.get("department"),
            nature: f.get("nature"),
            category: f.get("category"),
            start: f.get("start"),
            end: f.get("end"),
            funds_total: f.get("funds_total"),
            funds_fiscal: f.get("funds_fiscal"),
            funds_carryover: f.get("funds_carryover"),
            funds_other: f.get("funds_other"),
            pfunds_total: f.get("pfunds_total"),
            pfunds_fiscal: f.get("pfunds_fiscal"),
            pfunds_other: f.get("pfunds_other"),
            overall_goal: f.get("overall_goal"),
            annual_goal: f.get("annual_goal"),
            tasks,
            inds,
            base_version: f.get("base_version"),
            reason: f.get("reason"),
        }
    }

    /// The project the fields read as, and the fields that do not read (named by field).
    fn read(&self) -> (Project, Vec<FieldError>) {
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
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                err(
                    "year",
                    format!("年度「{}」应为四位年份，如 2024", self.year),
                    format!("the year {:?} must be a year such as 2024", self.year),
                );
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
        let whole = [
            (
                "pfunds_total",
                &self.pfunds_total,
                "项目资金总额",
                "the whole-period total",
            ),
            (
                "pfunds_fiscal",
                &self.pfunds_fiscal,
                "项目资金中的财政资金",
                "the whole-period fiscal funds",
            ),
            (
                "pfunds_other",
                &self.pfunds_other,
                "项目资金中的其他资金",
                "the whole-period other funds",
            ),
        ];
        let project_funds = if whole.iter().all(|(_, raw, _, _)| raw.trim().is_empty()) {
            None
        } else {
            let mut vals = [Decimal::ZERO; 3];
            let mut missing = Vec::new();
            for (i, (field, raw, zh, en)) in whole.iter().enumerate() {
                if raw.trim().is_empty() {
                    missing.push(FieldError {
                        field: (*field).to_string(),
                        column: None,
                        zh: format!("{zh}未填写：项目资金的三项要么都填（可填 0.00），要么都留空"),
                        en: format!(
                            "{en} is empty: fill in all three whole-period amounts (0.00 is allowed) or none"
                        ),
                    });
                } else {
                    vals[i] = amount(field, raw, zh, en);
                }
            }
            errors.extend(missing);
            let [total, fiscal, other] = vals;
            Some(ProjectFunds {
                total,
                fiscal,
                other,
            })
        };
        let tasks: Vec<Task> = self
            .tasks
            .iter()
            .enumerate()
            .map(|(k, t)| Task {
                no: u32::try_from(k + 1).unwrap_or(u32::MAX),
                area: opt_text(&t.area),
                title: t.title.trim().to_string(),
                description: t.desc.trim().to_string(),
            })
            .collect();
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
            let target = jixiao_app::check_target_in(&r.target, (year > 0).then_some(year))
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
        };
        (p, errors)
    }
}

/// One indicator row as the page shows it.
pub(crate) struct RowView {
    pub k: usize,
    pub row: IndRow,
    /// The code it gets (`1.1.2`), after the rows above it.
    pub code: String,
    /// A new 一级/二级 group starts here: its label.
    pub group: Option<String>,
    /// What the target reads as, or why not.
    pub reading: Option<Result<TargetReading, String>>,
    pub findings: Vec<Finding>,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "editor.html")]
struct EditorPage {
    f: Frame,
    /// The declaration being edited (`None`: a new one).
    h: Option<Head>,
    action: String,
    d: Draft,
    rows: Vec<RowView>,
    /// Errors of header fields, by field name.
    field_errors: BTreeMap<String, Vec<String>>,
    /// Findings about the declaration as a whole.
    general: Vec<Finding>,
    /// Findings about its money (`funds.*`: sums, negative amounts, 年度 above 项目资金), shown
    /// beside the funds fields.
    funds_findings: Vec<Finding>,
    checked: bool,
    /// The refusal of a save (a conflict shows who saved, when, what changed).
    failure: Option<Failure>,
    stale: bool,
    status: Option<Status>,
    /// The form may be saved (草稿/退回 edit, or 调整 of an approved one).
    editable: bool,
    adjusting: bool,
}

impl EditorPage {
    fn err(&self, field: &str) -> String {
        self.field_errors
            .get(field)
            .map(|v| v.join("；"))
            .unwrap_or_default()
    }

    /// How many targets do not read.
    fn bad_targets(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.reading, Some(Err(_))) || !r.errors.is_empty())
            .count()
    }

    fn bad(&self, field: &str) -> bool {
        self.field_errors.contains_key(field)
    }

    /// Whether a 二级指标 id is one of the known categories (another one is shown as it is, so
    /// that it is never changed silently; saving it is refused with a message).
    fn known(&self, id: &str) -> bool {
        Level2::KNOWN.iter().any(|l| l.id() == id)
    }

    /// The known 二级指标: id, label (`产出指标 / 数量指标`, also the heading of its group) and
    /// the first two places of its rows' codes (`1.1`), which editor.js numbers by as a row's
    /// category is chosen.
    fn level2_options(&self) -> Vec<(String, String, String)> {
        Level2::KNOWN
            .iter()
            .map(|l| {
                let l1 = l.level1().unwrap_or(jixiao_model::Level1::Output);
                let label = format!("{} / {}", self.f.level1(l1), self.f.level2(l));
                let code = format!("{}.{}", l1.ordinal(), l.ordinal());
                (l.id().to_string(), label, code)
            })
            .collect()
    }

    fn finding_text<'a>(&self, x: &'a Finding) -> &'a str {
        self.f.t(&x.message_zh, &x.message_en)
    }

    fn reading_text<'a>(&self, r: &'a TargetReading) -> &'a str {
        self.f.t(&r.reading_zh, &r.reading_en)
    }

    fn task_no(&self, k: &usize) -> u32 {
        u32::try_from(*k + 1).unwrap_or(u32::MAX)
    }

    fn serves(&self, r: &IndRow, k: &usize) -> bool {
        r.tasks.contains(&self.task_no(k))
    }
}

/// Where a declaration stands, for the editor.
struct Existing {
    id: i64,
    head: Head,
    status: Status,
    version: i64,
    acts: Acts,
}

async fn existing(
    state: &State,
    user: &PageUser,
    id: i64,
) -> Result<(Existing, Project), super::PageError> {
    let v = state
        .app
        .project_view(user.actor(), id, &state.options.review_policy)
        .await
        .map_err(|e| user.fail(e))?;
    let acts = Acts::of(user.actor(), &v.project, v.status);
    Ok((
        Existing {
            id,
            head: Head::of(&v.project, id, "overview"),
            status: v.status,
            version: v.version,
            acts,
        },
        v.project,
    ))
}

/// Builds the page: reads every field and target, and (when `review`) reviews the draft.
fn page(
    state: &State,
    user: &PageUser,
    ex: Option<&Existing>,
    d: Draft,
    extra: Vec<FieldError>,
    review: bool,
    failure: Option<Failure>,
) -> EditorPage {
    let lang = user.lang;
    let (p, mut errors) = d.read();
    errors.extend(extra);
    let mut field_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &errors {
        field_errors
            .entry(e.field.clone())
            .or_default()
            .push(lang.pick(&e.zh, &e.en).to_string());
    }
    let mut coded = p.clone();
    coded.assign_codes();
    let (findings, general): (Vec<Finding>, Vec<Finding>) = if review {
        let check = state.app.check_draft(&p, &state.options.review_policy);
        check
            .review
            .findings()
            .cloned()
            .partition(|f| f.code.is_some())
    } else {
        (Vec::new(), Vec::new())
    };
    let mut rows = Vec::new();
    let mut last: Option<String> = None;
    // Row K's code is that of the K-th indicator read, by position: `Draft::read` keeps every
    // row of a known 二级指标, in order, and skips the others (which get no code). Matching by
    // name and target gave two equal rows (two new empty ones) the first one's code.
    let mut coded_rows = coded.indicators.iter();
    for (k, r) in d.inds.iter().enumerate() {
        let l2 = Level2::from_id(r.level2.trim());
        let code = if l2.level1().is_some() {
            coded_rows
                .next()
                .map(|c| c.code.clone())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let group = l2.level1().map(|l1| {
            format!(
                "{} / {}",
                user.frame("home").level1(l1),
                lang.pick(l2.zh(), l2.en())
            )
        });
        let group = if group == last {
            None
        } else {
            last.clone_from(&group);
            group
        };
        let reading = (!r.target.trim().is_empty() || review).then(|| {
            jixiao_app::check_target_in(&r.target, d.year.trim().parse().ok()).map_err(|e| {
                let s = e.to_string();
                let (zh, en) = s.split_once('\n').unwrap_or((&s, &s));
                lang.pick(zh, en).to_string()
            })
        });
        let mine = if code.is_empty() {
            Vec::new()
        } else {
            findings
                .iter()
                .filter(|f| f.code.as_deref() == Some(code.as_str()))
                .cloned()
                .collect()
        };
        let errs = field_errors
            .get(&format!("indicators[{k}].raw"))
            .cloned()
            .unwrap_or_default();
        rows.push(RowView {
            k,
            row: r.clone(),
            code,
            group,
            reading,
            findings: mine,
            errors: errs,
        });
    }
    let status = ex.map(|e| e.status);
    let (editable, adjusting) = match ex {
        None => (true, false),
        Some(e) => (e.acts.edit || e.acts.adjust, e.acts.adjust),
    };
    let (mut funds_findings, general): (Vec<Finding>, Vec<Finding>) = general
        .into_iter()
        .partition(|f| f.rule.starts_with("funds."));
    // Sums over amounts that do not read would speak of numbers nobody wrote.
    if field_errors
        .keys()
        .any(|k| k.starts_with("funds_") || k.starts_with("pfunds_"))
    {
        funds_findings.clear();
    }
    let stale = matches!(&failure, Some(f) if f.status == StatusCode::CONFLICT && f.zh.starts_with("保存冲突"));
    EditorPage {
        f: user.frame(if ex.is_some() { "home" } else { "new" }),
        h: ex.map(|e| Head {
            id: e.head.id,
            name: e.head.name.clone(),
            year: e.head.year,
            unit: e.head.unit.clone(),
            tab: "overview",
        }),
        action: ex.map_or_else(
            || "/projects/new".to_string(),
            |e| format!("/projects/{}/edit", e.id),
        ),
        d,
        rows,
        field_errors,
        general,
        funds_findings,
        checked: review,
        failure,
        stale,
        status,
        editable,
        adjusting,
    }
}

/// `GET /projects/new`.
pub(crate) async fn new_form(S(state): S<State>, user: PageUser) -> PageResult {
    jixiao_app::access::require_role(user.actor(), jixiao_app::Action::Write)
        .map_err(|e| user.fail(e))?;
    let d = Draft::blank(user.actor(), user.zone);
    super::render(
        user.lang,
        &page(&state, &user, None, d, Vec::new(), false, None),
    )
}

/// `GET /projects/{id}/edit`.
pub(crate) async fn edit_form(
    S(state): S<State>,
    user: PageUser,
    Path(raw): Path<String>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let (ex, p) = existing(&state, &user, id).await?;
    // A role that may not write this declaration is told so (403, the role as the reason),
    // without an editor to fill in.
    jixiao_app::access::authorize(user.actor(), jixiao_app::Action::Write, &p)
        .map_err(|e| user.fail(e))?;
    let d = Draft::of(&p, ex.version);
    let failure = (!ex.acts.edit && !ex.acts.adjust).then(|| Failure {
        status: StatusCode::CONFLICT,
        zh: format!(
            "申报当前状态为「{}」，你不能修改（只有草稿或退回的申报可以修改，已批准的可以调整）",
            ex.status.zh()
        ),
        en: format!(
            "the declaration is {}: you cannot edit it (only drafts and returned declarations are editable; approved ones are adjusted)",
            ex.status.id()
        ),
        diagnostics: Vec::new(),
    });
    let status = failure.as_ref().map_or(StatusCode::OK, |f| f.status);
    // Reviewed as stored (findings beside the fields), but not "checked" by the user yet.
    let mut shown = page(&state, &user, Some(&ex), d, Vec::new(), true, failure);
    shown.checked = false;
    super::render_with(user.lang, status, &shown)
}

/// Applies a row operation (`add`, `up_3` …); `true` when it was one.
fn row_op(d: &mut Draft, op: &str) -> bool {
    let at = |p: &str| op.strip_prefix(p).and_then(|k| k.parse::<usize>().ok());
    let n = d.inds.len();
    if op == "add" {
        let level2 = d
            .inds
            .last()
            .map_or_else(|| "quantity".to_string(), |r| r.level2.clone());
        d.inds.push(IndRow {
            level2,
            ..IndRow::default()
        });
    } else if op == "add_task" {
        d.tasks.push(TaskRow::default());
    } else if let Some(k) = at("remove_task_") {
        if k < d.tasks.len() {
            d.tasks.remove(k);
            let no = u32::try_from(k + 1).unwrap_or(u32::MAX);
            for r in &mut d.inds {
                r.tasks.retain(|t| *t != no);
                for t in &mut r.tasks {
                    if *t > no {
                        *t -= 1;
                    }
                }
            }
        }
    } else if let Some(k) = at("up_") {
        if k > 0 && k < n {
            d.inds.swap(k - 1, k);
        }
    } else if let Some(k) = at("down_") {
        if k + 1 < n {
            d.inds.swap(k, k + 1);
        }
    } else if let Some(k) = at("remove_") {
        if k < n {
            d.inds.remove(k);
        }
    } else {
        return false;
    }
    true
}

/// The field errors of a refused save, and the rest as the page's refusal.
fn split(e: AppError) -> (Vec<FieldError>, Option<Failure>) {
    match e {
        AppError::Invalid(Invalid::Fields(fields)) => {
            let failure = Failure {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                zh: format!("有 {} 处需要修改，未保存任何内容", fields.len()),
                en: format!("{} field(s) to fix; nothing was saved", fields.len()),
                diagnostics: Vec::new(),
            };
            (fields, Some(failure))
        }
        other => (Vec::new(), Some(other.into())),
    }
}

fn unsaved(errors: &[FieldError]) -> Failure {
    Failure {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        zh: format!("有 {} 处需要修改，未保存任何内容", errors.len()),
        en: format!("{} field(s) to fix; nothing was saved", errors.len()),
        diagnostics: Vec::new(),
    }
}

async fn post(state: State, user: PageUser, ex: Option<Existing>, form: Pairs) -> PageResult {
    let op = form.get("op");
    let mut d = Draft::from_pairs(&form);
    if row_op(&mut d, &op) {
        let p = page(&state, &user, ex.as_ref(), d, Vec::new(), false, None);
        return super::render(user.lang, &p);
    }
    if op != "save" {
        let p = page(&state, &user, ex.as_ref(), d, Vec::new(), true, None);
        return super::render(user.lang, &p);
    }
    let (project, read_errors) = d.read();
    // Targets that do not read are refused here too (the app refuses them again); the page
    // reads the fields again itself, so only these are passed on.
    let mut errors = Vec::new();
    for (k, r) in d.inds.iter().enumerate() {
        if let Err(e) = jixiao_app::check_target_in(&r.target, d.year.trim().parse().ok()) {
            let s = e.to_string();
            let (zh, en) = s.split_once('\n').unwrap_or((&s, &s));
            errors.push(FieldError {
                field: format!("indicators[{k}].raw"),
                column: None,
                zh: zh.to_string(),
                en: en.to_string(),
            });
        }
    }
    if !read_errors.is_empty() || !errors.is_empty() {
        let failure = unsaved(&[read_errors, errors.clone()].concat());
        let p = page(&state, &user, ex.as_ref(), d, errors, true, Some(failure));
        return super::render_with(user.lang, StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let actor = user.actor();
    let result = match &ex {
        None => state
            .app
            .create_declaration(actor, project)
            .await
            .map(|s| (s.id, "created")),
        Some(e) => {
            let base: i64 = d.base_version.trim().parse().unwrap_or(0);
            if e.status == Status::Approved {
                state
                    .app
                    .adjust(actor, e.id, base, project, &d.reason)
                    .await
                    .map(|s| (s.id, "adjusted"))
            } else {
                state
                    .app
                    .save_declaration(actor, e.id, base, project)
                    .await
                    .map(|s| (s.id, "saved"))
            }
        }
    };
    match result {
        Ok((id, done)) => Ok(Redirect::to(&format!("/projects/{id}?done={done}")).into_response()),
        Err(e) => {
            let (fields, failure) = split(e);
            let status = failure
                .as_ref()
                .map_or(StatusCode::UNPROCESSABLE_ENTITY, |f| f.status);
            let p = page(&state, &user, ex.as_ref(), d, fields, true, failure);
            super::render_with(user.lang, status, &p)
        }
    }
}

/// `POST /projects/new`.
pub(crate) async fn create(S(state): S<State>, Posted { user, form }: Posted<Pairs>) -> PageResult {
    jixiao_app::access::require_role(user.actor(), jixiao_app::Action::Write)
        .map_err(|e| user.fail(e))?;
    post(state, user, None, form).await
}

/// `POST /projects/{id}/edit`.
pub(crate) async fn save(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<Pairs>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let (ex, _) = existing(&state, &user, id).await?;
    post(state, user, Some(ex), form).await
}
