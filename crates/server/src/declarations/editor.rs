//! 申报表编辑 — the declaration editor: `/projects/new` (a draft from scratch) and
//! `/projects/{id}/edit` (a 草稿 or 退回 declaration; an approved one is 调整 with a required
//! reason). One form, posted to itself with a button `op`:
//!
//! | `op` | what it does |
//! |---|---|
//! | `check` | reads every field and target, reviews the draft (`App::check_draft`): nothing saved |
//! | `save` | the same, then `App::create_declaration` / `save_declaration` / `adjust` |
//! | `add`, `add_task` | a new empty indicator / sub-task row |
//! | `add_library` | 从指标库添加: the library entry `lib_entry` as a new row, linked to it |
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
//! `ind_level2_K`, `ind_name_K`, `ind_target_K`, `ind_core_K` (是否核心指标, a checkbox of value
//! `1`), `ind_tasks_K` (checkboxes, the sub-task
//! numbers), `ind_lib_K` (the 指标库 entry the row is linked to, saved as the indicator's
//! link; editor.js suggests indicators from `GET /api/library` while a name is typed, and
//! choosing one fills the row and links it), `lib_entry`, `base_version`, `reason`, `previous` (上年项目: the declaration a new one was
//! started from with `GET /projects/new?from=ID`; its target and actual show beside each row,
//! and the creation links the two).
//!
//! A department-wide declaration (部门整体支出绩效目标, `GET /projects/new?kind=department`,
//! hidden field `kind` = `department` on a new one; a stored one keeps its kind whatever is
//! posted) has `functions` (部门职能概述), `spending_basic`, `spending_project` (支出构成,
//! both or neither) and each main task's `task_ftotal_K`, `task_ffiscal_K`, `task_fother_K`
//! (预算金额, all three or none; a project's sub-task may have them too).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State as S;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jixiao_app::{
    AppError, Draft, FieldError, HistoryYear, IndRow, Invalid, TargetReading, TaskRow,
    YearIndicator,
};
use jixiao_model::{normalize_name, Finding, Level2, LibraryEntry, Project, Status};

use crate::error::{Error, Result};
use crate::extract::{opt, project_id, PageOn, PageUser, Pairs, Params, Posted, PostedOn};
use crate::state::{AppState, State};
use crate::view::{render, render_with, today, Frame, Head, PageResult};

/// The editor's fields as posted.
fn draft_of(f: &Pairs) -> Draft {
    let tasks = (0..f.rows("task_title_"))
        .map(|k| TaskRow {
            area: f.get(&format!("task_area_{k}")),
            title: f.get(&format!("task_title_{k}")),
            desc: f.get(&format!("task_desc_{k}")),
            funds_total: f.get(&format!("task_ftotal_{k}")),
            funds_fiscal: f.get(&format!("task_ffiscal_{k}")),
            funds_other: f.get(&format!("task_fother_{k}")),
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
            library: f.get(&format!("ind_lib_{k}")),
            core: f.get(&format!("ind_core_{k}")) == "1",
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
        previous: f.get("previous"),
        department_wide: f.get("kind") == "department",
        functions: f.get("functions"),
        spending_basic: f.get("spending_basic"),
        spending_project: f.get("spending_project"),
    }
}

/// One indicator row as the page shows it.
pub struct RowView {
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
    /// 上年: the same indicator (二级 and name) in the declaration this draft was started
    /// from — its target and latest actual.
    pub last: Option<YearIndicator>,
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
    failure: Option<Error>,
    stale: bool,
    status: Option<Status>,
    /// The form may be saved (草稿/退回 edit, or 调整 of an approved one).
    editable: bool,
    adjusting: bool,
    /// The declaration this draft was started from (上年项目), shown above the form.
    prior: Option<HistoryYear>,
    /// The library's entries (从指标库添加; the linked rows' hints).
    library: Vec<LibraryEntry>,
}

impl EditorPage {
    /// Beside each row, the same indicator of `prior` (matched by 二级指标 and normalised
    /// name), and `prior` above the form.
    /// With the library's entries.
    fn with_library(mut self, library: Vec<LibraryEntry>) -> EditorPage {
        self.library = library;
        self
    }

    /// The library entry a row is linked to.
    fn linked(&self, r: &IndRow) -> Option<&LibraryEntry> {
        let id: i64 = r.library.trim().parse().ok()?;
        self.library.iter().find(|e| e.id == Some(id))
    }

    /// An entry as an option of 从指标库添加: `共性 · 数量指标 · 名称（≥90%）`.
    fn entry_label(&self, e: &LibraryEntry) -> String {
        let kind = match e.scope {
            jixiao_model::LibraryScope::Common => self.f.t("共性", "common").to_string(),
            jixiao_model::LibraryScope::Specific => format!(
                "{} {}",
                self.f.t("个性", "specific"),
                jixiao_app::library_owner(e)
            ),
        };
        let typical = e
            .typical_target
            .as_deref()
            .map(|t| format!("（{t}）"))
            .unwrap_or_default();
        format!(
            "{kind} · {} · {}{typical}",
            self.f.level2(&e.level2),
            e.name
        )
    }

    fn with_prior(mut self, prior: Option<HistoryYear>) -> EditorPage {
        if let Some(y) = &prior {
            for r in &mut self.rows {
                let key = normalize_name(&r.row.name);
                r.last = y
                    .indicators
                    .iter()
                    .find(|i| {
                        i.level2.id() == r.row.level2.trim() && normalize_name(&i.name) == key
                    })
                    .cloned();
            }
        }
        self.prior = prior;
        self
    }

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

    /// The tasks carry budget columns: a department-wide declaration's main tasks, or a
    /// project's sub-tasks when one of them has a budget (never dropped by a save).
    fn task_budgets(&self) -> bool {
        self.d.department_wide
            || self.d.tasks.iter().any(|t| {
                [&t.funds_total, &t.funds_fiscal, &t.funds_other]
                    .iter()
                    .any(|x| !x.trim().is_empty())
            })
    }

    /// The errors of task K's budget field `what` (`funds_total` …).
    fn task_err(&self, k: &usize, what: &str) -> String {
        self.err(&format!("tasks[{k}].{what}"))
    }

    fn task_bad(&self, k: &usize, what: &str) -> bool {
        self.bad(&format!("tasks[{k}].{what}"))
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
    acts: jixiao_app::Allowed,
    /// A department-wide declaration (部门整体).
    department_wide: bool,
}

async fn existing(state: &State, user: &PageUser, id: i64) -> Result<(Existing, Project), Error> {
    let v = state.app.project_view(user.actor(), id).await?;
    let acts = jixiao_app::allowed(user.actor(), &v.project, v.status);
    Ok((
        Existing {
            id,
            head: Head::of(&v.project, id, "overview"),
            status: v.status,
            version: v.version,
            acts,
            department_wide: v.project.is_department_wide(),
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
    failure: Option<Error>,
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
        let check = state.app.check_draft(&p);
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
            jixiao_app::check_target_in(&r.target, d.year.trim().parse().ok())
                .map_err(|e| e.text(lang))
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
            last: None,
        });
    }
    let status = ex.map(|e| e.status);
    let (editable, adjusting) = match ex {
        None => (true, false),
        Some(e) => (e.acts.edit || e.acts.adjust, e.acts.adjust),
    };
    let (mut funds_findings, general): (Vec<Finding>, Vec<Finding>) = general
        .into_iter()
        .partition(|f| f.rule.starts_with("funds.") || f.rule.starts_with("department."));
    // Sums over amounts that do not read would speak of numbers nobody wrote.
    if field_errors.keys().any(|k| {
        k.starts_with("funds_")
            || k.starts_with("pfunds_")
            || k.starts_with("spending_")
            || k.starts_with("tasks[")
    }) {
        funds_findings.clear();
    }
    let stale = matches!(&failure, Some(f) if f.status == StatusCode::CONFLICT && f.zh.starts_with("保存冲突"));
    EditorPage {
        f: user.frame(match ex {
            Some(_) => "home",
            None if d.department_wide => "new_department",
            None => "new",
        }),
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
        prior: None,
        library: Vec::new(),
    }
}

/// Last year's declaration of a draft started from it, for the page (`None`: the draft names
/// none).
async fn prior_of(state: &State, user: &PageUser, d: &Draft) -> Result<Option<HistoryYear>> {
    match d.previous_id() {
        Some(id) => Ok(Some(state.app.previous_year(user.actor(), id).await?)),
        None => Ok(None),
    }
}

/// `GET /projects/new`; `?from=ID` starts from declaration ID of last year (a copy a year
/// later, last year's target and actual beside each indicator; saved, it is linked to it).
pub async fn new_form(S(state): AppState, user: PageUser, Params(q): Params) -> PageResult {
    jixiao_app::may_declare(user.actor())?;
    let d = match opt(&q, "from") {
        Some(from) => {
            let from = project_id(&from)?;
            state.app.start_from_previous(user.actor(), from).await?
        }
        None => {
            let year = jixiao_model::Datelike::year(&today(user.zone));
            if opt(&q, "kind").as_deref() == Some("department") {
                Draft::blank_department(user.actor(), year)
            } else {
                Draft::blank(user.actor(), year)
            }
        }
    };
    let prior = prior_of(&state, &user, &d).await?;
    let library = state.app.library(user.actor()).await?;
    render(
        &page(&state, &user, None, d, Vec::new(), false, None)
            .with_prior(prior)
            .with_library(library),
    )
}

/// `GET /projects/{id}/edit`.
pub async fn edit_form(r: PageOn) -> PageResult {
    let (state, user, id) = (&r.state, &r.who, r.id);
    let (ex, p) = existing(state, user, id).await?;
    // A role that may not write this declaration is told so (403, the role as the reason),
    // without an editor to fill in.
    jixiao_app::may_edit(user.actor(), &p)?;
    let d = Draft::of(&p, ex.version);
    let failure = (!ex.acts.edit && !ex.acts.adjust).then(|| {
        Error::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
            "申报当前状态为「{}」，你不能修改（只有草稿或退回的申报可以修改，已批准的可以调整）",
            ex.status.zh()
        ),
            format!(
            "the declaration is {}: you cannot edit it (only drafts and returned declarations are editable; approved ones are adjusted)",
            ex.status.id()
        ),
        )
    });
    let status = failure.as_ref().map_or(StatusCode::OK, |f| f.status);
    // Reviewed as stored (findings beside the fields), but not "checked" by the user yet.
    let library = state.app.library(user.actor()).await?;
    let mut shown =
        page(state, user, Some(&ex), d, Vec::new(), true, failure).with_library(library);
    shown.checked = false;
    render_with(status, &shown)
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
fn split(e: AppError) -> (Vec<FieldError>, Option<Error>) {
    match e {
        AppError::Invalid(Invalid::Fields(fields)) => {
            let failure = unsaved(&fields);
            (fields, Some(failure))
        }
        other => (Vec::new(), Some(other.into())),
    }
}

fn unsaved(errors: &[FieldError]) -> Error {
    Error::invalid(
        format!("有 {} 处需要修改，未保存任何内容", errors.len()),
        format!("{} field(s) to fix; nothing was saved", errors.len()),
    )
}

async fn post(state: State, user: PageUser, ex: Option<Existing>, form: Pairs) -> PageResult {
    let op = form.get("op");
    let mut d = draft_of(&form);
    // Only a new declaration is started from last year's; a stored one keeps its kind
    // (project or 部门整体), whatever the form claims.
    if let Some(e) = &ex {
        d.previous.clear();
        d.department_wide = e.department_wide;
    }
    let prior = prior_of(&state, &user, &d).await?;
    let library = state.app.library(user.actor()).await?;
    if op == "add_library" {
        // 从指标库添加: the chosen entry as a new row, linked to it.
        let failure = match form.get("lib_entry").trim().parse::<i64>() {
            Ok(id) => match state.app.library_entry(user.actor(), id).await {
                Ok((e, _)) => {
                    d.inds.push(IndRow::of_entry(&e));
                    None
                }
                Err(e) => Some(Error::from(e)),
            },
            Err(_) => Some(Error::invalid(
                "请先选择指标库中的指标",
                "choose an indicator of the library first",
            )),
        };
        let status = failure.as_ref().map_or(StatusCode::OK, |f| f.status);
        let p = page(&state, &user, ex.as_ref(), d, Vec::new(), false, failure);
        return render_with(status, &p.with_prior(prior).with_library(library));
    }
    if row_op(&mut d, &op) {
        let p = page(&state, &user, ex.as_ref(), d, Vec::new(), false, None);
        return render(&p.with_prior(prior).with_library(library));
    }
    if op != "save" {
        let p = page(&state, &user, ex.as_ref(), d, Vec::new(), true, None);
        return render(&p.with_prior(prior).with_library(library));
    }
    let (project, read_errors) = d.read();
    // Targets that do not read are refused here too (the app refuses them again); the page
    // reads the fields again itself, so only these are passed on.
    let mut errors = Vec::new();
    for (k, r) in d.inds.iter().enumerate() {
        if let Err(e) = jixiao_app::check_target_in(&r.target, d.year.trim().parse().ok()) {
            let (zh, en) = e.messages();
            errors.push(FieldError {
                field: format!("indicators[{k}].raw"),
                column: None,
                zh,
                en,
            });
        }
    }
    if !read_errors.is_empty() || !errors.is_empty() {
        let failure = unsaved(&[read_errors, errors.clone()].concat());
        let p = page(&state, &user, ex.as_ref(), d, errors, true, Some(failure));
        return render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &p.with_prior(prior).with_library(library),
        );
    }
    let actor = user.actor();
    let result = match &ex {
        None => state
            .app
            .create_declaration_following(actor, project, d.previous_id())
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
            render_with(status, &p.with_prior(prior).with_library(library))
        }
    }
}

/// `POST /projects/new`.
pub async fn create(S(state): AppState, Posted { user, form }: Posted<Pairs>) -> PageResult {
    jixiao_app::may_declare(user.actor())?;
    post(state, user, None, form).await
}

/// `POST /projects/{id}/edit`.
pub async fn save(p: PostedOn<Pairs>) -> PageResult {
    let (ex, _) = existing(&p.on.state, p.user(), p.on.id).await?;
    post(p.on.state, p.on.who, Some(ex), p.form).await
}
