//! # jixiao-app — the use cases
//!
//! This crate owns what a user can do, independent of how they ask: read a form, import
//! forms, list and show projects, export, review (`check`, and a batch of files with
//! [`batch`]), record actuals and spending,
//! monitor and evaluate, the workflow of a declaration, editing it, 调整, review comments,
//! checking as typed and the self-evaluation notes ([`workflow`]) — and who may do it
//! ([`access`]), and who signs in ([`accounts`]).
//! Both front ends (the `jixiao` CLI and `jixiao-server`) call this API and nothing below it.
//!
//! Every use case takes the [`Actor`] who asks (the CLI acts as [`Actor::local_admin`]);
//! inputs are [`Upload`]s, bytes with a name, since a web upload has no path.
//!
//! **Invariants**
//! - Input is fully read and validated before the database is touched: a bad file changes
//!   nothing, and several files import all together or not at all.
//! - Permissions are decided in [`access`] only; a front end never checks a role itself.
//! - What an actor may not read does not exist for it: another unit's declaration is
//!   [`AppError::NotFound`], and lists leave it out.
//! - Errors are kinds ([`AppError`]) with a [`Message`] (a key and its arguments, worded in
//!   Chinese and English by [`message`] where a front end shows it) and the position
//!   (name:line:column) they are about; no database error text reaches a user.
//! - The policies (审核规则, 监控与评分规则) are the [`App`]'s ([`Policies`]), given once where
//!   it is built; no use case takes one.
//! - Rendering for people is the front ends' (the CLI's text in `jixiao-cli`, pages in
//!   `jixiao-server`); the formats of files are in `jixiao-form`. What a front end shows of the
//!   crates below `app` is re-exported here, so that it depends on `app` and `model` only.
//!
//! **Mapping errors to statuses**
//!
//! | [`AppError`] | CLI exit status | HTTP status (server) |
//! |---|---|---|
//! | `Invalid` | 2 | 422 Unprocessable Content, with the positioned diagnostics |
//! | `NotFound` | 2 | 404 Not Found (another unit's data too) |
//! | `Ambiguous` | 2 | 400 Bad Request, with the candidates to choose from |
//! | `Unauthenticated` | 4 | 401 Unauthorized (no session, or a wrong user name or password) |
//! | `Forbidden` | 4 | 403 Forbidden |
//! | `Conflict` | 5 | 409 Conflict, with what changed |
//! | `Unavailable` | 3 | 503 Service Unavailable (the database cannot be opened or reached) |
//! | `Internal` | 3 | 500 Internal Server Error, detail logged with a request id, never shown |
//!
//! (CLI: 0 is success and 1 means `check` found error-level findings.)
#![deny(missing_docs)]

pub mod access;
pub mod accounts;
pub mod batch;
pub mod bulk;
pub mod draft;
mod error;
pub mod history;
mod identify;
mod input;
pub mod library;
pub mod message;
mod outcome;
pub mod preview;
pub mod rectification;
mod report;
pub mod results;
pub mod self_eval;
pub mod todo;
pub mod views;
pub mod workflow;

use std::collections::BTreeSet;
use std::path::Path;

use jixiao_evaluate as evaluate;
use jixiao_model::{
    DeclarationId, Form, IndicatorId, NaiveDate, Observation, Project, ProjectKey, ReportPeriod,
    SpendingRecord,
};
/// One record of a write as the store decided it (its row id and 新增/更正/未变化).
pub use jixiao_store::Recorded as RecordedRow;
pub use jixiao_store::{
    ActualSet, AuditEntry, HistoryEntry, ImportSummary, OpenMode, OrgDepartment, Orphan, Outcome,
    ProjectChange, ProjectSummary, RecordSummary, SpendingRows, Store, VersionInfo, Was,
};

pub use access::{Action, Actor};
pub use accounts::{NewAccount, NewSession, Session};
pub use batch::{BatchReport, BatchSummary, FileCheck, FileOutcome, Unreadable};
pub use bulk::{upload_kind, BulkImport, BulkRow, UploadKind};
pub use draft::{Draft, IndRow, TaskRow};
pub use error::{AppError, Candidate, ErrorKind, FieldError, Invalid, StoreError};
pub use history::{
    HistoryMatch, HistoryYear, IndicatorHistory, IndicatorYear, ProjectHistory, YearIndicator,
};
pub use identify::ImportPreview;
pub use input::{
    builtin_review_policy, eval_policy, load_eval_policy, load_review_policy, parse_file,
    parse_form, read_rows, review_policy, Upload,
};
/// The 监控表 and the 自评表 as the front ends show them: text tables.
pub use jixiao_evaluate::{render_evaluation, render_monitoring};
/// A form as canonical JSON (`jixiao parse`, `jixiao export`).
pub use jixiao_form::json::to_string as form_json;
/// What a reader said of a file (a warning or a note, with its position), and its level.
pub use jixiao_form::{Diagnostic, Level as DiagnosticLevel};
/// The typed view of the 项目绩效目标汇总表 (see [`App::unit_summary`]).
pub use jixiao_report::{MonitoredProject, SummaryRow, UnitSummary};
/// The review (审核) of a form: findings by project, grade and score, as text and JSON.
pub use jixiao_review::Report as ReviewReport;
pub use jixiao_store::LibraryWrite;
pub use library::{
    filter_library, library_owner, EntryDraft, LibraryBuild, LibraryQuery, NameMatch, Suggestion,
    SuggestionSource,
};
pub use message::{Expected, Message, MessageKey};
pub use outcome::{as_of_text, Recorded, WriteOutcome};
pub use rectification::{
    flag_id, self_evaluation_findings, OpenRectification, RectificationCounts, RectificationFilter,
    RectificationItem, RectificationTally, RectificationUpdate, SelfEvaluationFinding,
    BUDGET_DEDUCTION, INDICATOR_DEDUCTION,
};
pub use report::{report_format_available, ReportFormat, ReportKind, ReportSelection, ReportView};
pub use results::{budget_recommendation, review_consequence, ReviewConsequence};
pub use self_eval::{MonitoringImport, ScoreComparison, ScoreLine, SelfEvalImport};
pub use todo::{ActualsDue, ReturnedDeclaration, Todo, TodoDeclaration};
pub use views::{Dashboard, DashboardFilter, DashboardRow, ProjectView, UserView, VersionChange};
pub use workflow::{
    allowed, check_draft, check_target, check_target_in, may_declare, may_edit, read_annual_budget,
    Allowed, Comment, DraftCheck, EvaluationNotes, IndicatorNote, NoteRecord, ReadWarning,
    SaveResult, StaleEdit, TargetReading, TransitionResult, WorkflowState,
};

/// 部门整体 (a department-wide declaration's 自评表 and 监控表): its 年度主要任务 and 是否核心指标.
pub use jixiao_evaluate::{core_text, DepartmentPart, MainTask, NOT_SPLIT_EN, NOT_SPLIT_ZH};
/// The types of the crates below `app` that the front ends name (they depend on `app`, `model`
/// and the renderers only).
pub use jixiao_evaluate::{
    evaluation_json, monitoring_json, round2, value_text, Flag, IndicatorScore, IndicatorValue,
    Light, Monitoring, Outcome as EvalOutcome, Policy as EvalPolicy, ScoreState, SelfEvaluation,
};
/// 年初 / 调整 (an adjusted declaration's tables) and 成本预算绩效 (cost per output).
pub use jixiao_evaluate::{
    Adjustment, ComparedCost, CostComparison, CostPerOutput, CostReport, FundsBasis, InitialTarget,
    RemovedIndicator, UnitMismatch, ROUNDING_EN as COST_ROUNDING_EN,
    ROUNDING_ZH as COST_ROUNDING_ZH,
};
pub use jixiao_form::Parsed;
pub use jixiao_review::{rule_info, Policy as ReviewPolicy, ProjectReview};

use access::{authorize, can_read, require_role};
use error::not_found;
use input::rows_error;

/// 审核 of a form given as an upload, without a database: the form read and its review.
pub fn check_form(
    upload: &Upload,
    policy: &jixiao_review::Policy,
) -> Result<(Parsed, jixiao_review::Report), AppError> {
    let parsed = parse_form(upload)?;
    let report = jixiao_review::review(&parsed.form, policy);
    Ok((parsed, report))
}

/// 实际完成值 entered by hand (`jixiao actuals set`, a web form): one indicator, one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActualInput {
    /// 项目名称.
    pub project: String,
    /// 年度, when the name alone is ambiguous.
    pub year: Option<i32>,
    /// The 三级指标, by code (`1.3.1`, as `jixiao show` prints it) or by name.
    pub indicator: String,
    /// The day the value was reached or reported, as typed (`2024-06-30`, `2024/6/30`,
    /// `2024年6月30日`).
    pub date: String,
    /// 填报期间 as typed, when given (`2024Q2`, `2024-06` …): it must be the period `date`
    /// reports on for this indicator (the month, quarter … of a recurring deadline), or, for
    /// any other target (read as of its day: a cumulative count, a rate), the day or a month,
    /// quarter … that holds `date` — the value is the one as of `date`. A mismatch is refused,
    /// never re-read.
    pub period: Option<String>,
    /// The value as written: a number with its unit, a date, or 达成/部分达成/未达成.
    pub value: String,
    /// 说明.
    pub note: Option<String>,
    /// 佐证材料.
    pub evidence: Option<String>,
}

/// 执行数 entered by hand (a web form): one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingInput {
    /// 支付日期, as written (read by the same parser as a CSV cell).
    pub date: String,
    /// 金额 in 元, as written (`360,000.00`).
    pub amount: String,
    /// 凭证号.
    pub voucher: Option<String>,
    /// 说明.
    pub note: Option<String>,
}

/// The policies the use cases decide by: the review policy (审核规则: rules, grades and what
/// each grade does, `[[consequences]]`) and the monitoring and scoring policy (监控与评分规则:
/// weights, lights and the use of results, `[[use_of_results]]`). An [`App`] holds one set,
/// given once where it is built ([`App::with_policies`]); no use case takes a policy.
#[derive(Debug, Clone)]
pub struct Policies {
    /// 审核规则.
    pub review: jixiao_review::Policy,
    /// 监控与评分规则.
    pub eval: evaluate::Policy,
}

impl Default for Policies {
    /// The built-in ones: the `central` review policy and the built-in evaluation policy.
    fn default() -> Policies {
        Policies {
            review: jixiao_review::Policy::central(),
            eval: evaluate::Policy::builtin(),
        }
    }
}

/// The application: a store, the policies, and the use cases over them.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    policies: std::sync::Arc<Policies>,
}

impl App {
    /// Opens the database (a SQLite path or a `postgres://` URL), creating it when needed.
    pub async fn open(db: &str) -> Result<App, AppError> {
        App::open_with(db, OpenMode::Create).await
    }

    /// Opens an existing database for commands that only read: a SQLite file that does not
    /// exist is [`AppError::NotFound`] instead of a new, empty database.
    pub async fn open_existing(db: &str) -> Result<App, AppError> {
        App::open_with(db, OpenMode::Existing).await
    }

    async fn open_with(db: &str, mode: OpenMode) -> Result<App, AppError> {
        if mode == OpenMode::Create && !db.contains("://") && !db.starts_with("sqlite:") {
            if let Some(dir) = Path::new(db).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    AppError::invalid(Message::CannotCreateDatabaseDir {
                        dir: dir.display().to_string(),
                        cause: e.to_string(),
                    })
                })?;
            }
        }
        Ok(App {
            store: Store::open_with(db, mode).await?,
            policies: Default::default(),
        })
    }

    /// The same application deciding by `policies` (the database is shared, not reopened).
    pub fn with_policies(self, policies: Policies) -> App {
        App {
            policies: std::sync::Arc::new(policies),
            ..self
        }
    }

    /// The same application with another review policy (`jixiao check --policy shanghai`).
    pub fn with_review_policy(self, review: jixiao_review::Policy) -> App {
        let eval = self.policies.eval.clone();
        self.with_policies(Policies { review, eval })
    }

    /// The same application with another monitoring and scoring policy.
    pub fn with_eval_policy(self, eval: evaluate::Policy) -> App {
        let review = self.policies.review.clone();
        self.with_policies(Policies { review, eval })
    }

    /// The policies it decides by.
    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// The current projects the actor may see (filtered in the database: see
    /// [`access::visibility`]).
    pub async fn list(&self, actor: &Actor) -> Result<Vec<ProjectSummary>, AppError> {
        Ok(self
            .list_page(actor, &views::DashboardFilter::default(), 1, None)
            .await?
            .0)
    }

    /// A page (from 1) of the current projects the actor may see, narrowed by `filter`, in
    /// import order, with the number that match on all pages; `per_page` `None` for all.
    /// Visibility, filters, order and paging are done by the database.
    pub async fn list_page(
        &self,
        actor: &Actor,
        filter: &views::DashboardFilter,
        page: usize,
        per_page: Option<usize>,
    ) -> Result<(Vec<ProjectSummary>, usize), AppError> {
        let trimmed = |s: &Option<String>| s.as_deref().map(|s| s.trim().to_string());
        let page = page.max(1) as u64;
        let q = jixiao_store::ListQuery {
            visible: access::visibility(actor),
            year: filter.year,
            department: trimmed(&filter.department),
            unit: trimmed(&filter.unit),
            status: filter.status,
            offset: per_page.map_or(0, |n| (page - 1).saturating_mul(n.max(1) as u64)),
            limit: per_page.map(|n| n.max(1) as u64),
        };
        let found = self.store.list_page(&q).await?;
        let total = usize::try_from(found.total).unwrap_or(usize::MAX);
        Ok((found.rows, total))
    }

    /// The one current project named `name` (of `year`, when given) that the actor may see;
    /// [`AppError::NotFound`] when there is none, [`AppError::Ambiguous`] when there are
    /// several.
    pub async fn project(
        &self,
        actor: &Actor,
        name: &str,
        year: Option<i32>,
    ) -> Result<Project, AppError> {
        let mut found = self.store.find(name, year).await?;
        found.retain(|p| can_read(actor, p));
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(not_found(name, year)),
            _ => Err(AppError::Ambiguous {
                name: name.to_string(),
                candidates: found
                    .iter()
                    .map(|p| Candidate {
                        id: p.id,
                        year: p.year,
                        unit: p.unit.clone(),
                        name: p.name.clone(),
                    })
                    .collect(),
            }),
        }
    }

    /// Every current project the actor may see, as one canonical form.
    pub async fn export(&self, actor: &Actor) -> Result<Form, AppError> {
        let mut form = self.store.export().await?;
        form.projects.retain(|p| can_read(actor, p));
        Ok(form)
    }

    /// All versions of a project, oldest first, with who wrote each and when.
    pub async fn versions(&self, actor: &Actor, p: &Project) -> Result<Vec<VersionInfo>, AppError> {
        authorize(actor, Action::Read, p)?;
        Ok(self.store.versions(declaration_id(p)?).await?)
    }

    /// The audit trail of a project: every change, who, when, before and after.
    ///
    /// An entry about an actual value names its indicator as it is now (issue 17): the stable
    /// id its before/after JSON holds resolves to the current code and name
    /// (`指标 1.1.2 行驶公里数`), or, for an indicator removed since, to its last name
    /// with 已删除 — never the code it had when the row was written, which may now be
    /// another indicator's.
    pub async fn audit(&self, actor: &Actor, p: &Project) -> Result<Vec<AuditEntry>, AppError> {
        authorize(actor, Action::Read, p)?;
        let declaration = declaration_id(p)?;
        let mut entries = self.store.audit(Some(declaration)).await?;
        if entries.iter().any(|e| e.entity == "actual_value") {
            let last = self.store.indicator_last_names(declaration).await?;
            for e in &mut entries {
                name_indicator(e, p, &last);
            }
        }
        Ok(entries)
    }

    /// Renames a project (项目名称): its id, indicators and actuals stay; a new version records
    /// the change.
    pub async fn rename(
        &self,
        actor: &Actor,
        p: &Project,
        new_name: &str,
    ) -> Result<ProjectChange, AppError> {
        authorize(actor, Action::Write, p)?;
        Ok(self
            .store
            .rename(declaration_id(p)?, new_name, &actor.name)
            .await?)
    }

    /// 审核 of every current project the actor may see.
    pub async fn check_all(&self, actor: &Actor) -> Result<jixiao_review::Report, AppError> {
        let policy = &self.policies.review;
        Ok(jixiao_review::review(&self.export(actor).await?, policy))
    }
}

/// 绩效运行监控与自评 — the use cases over actuals.
impl App {
    /// One named project, or every current project (of a year) the actor may see.
    pub async fn projects(
        &self,
        actor: &Actor,
        name: Option<&str>,
        year: Option<i32>,
    ) -> Result<Vec<Project>, AppError> {
        if let Some(name) = name {
            return Ok(vec![self.project(actor, name, year).await?]);
        }
        let selected: Vec<Project> = self
            .export(actor)
            .await?
            .projects
            .into_iter()
            .filter(|p| year.is_none_or(|y| p.year == y))
            .collect();
        if selected.is_empty() {
            return Err(AppError::NotFound(Message::NoProjects { year }));
        }
        Ok(selected)
    }

    /// Records one value entered by hand (a compound target given in full records one value
    /// per part). A value for an (indicator, period) that has one replaces it, kept as history.
    pub async fn record_actual(
        &self,
        actor: &Actor,
        input: &ActualInput,
    ) -> Result<RecordSummary, AppError> {
        require_role(actor, Action::Write)?;
        let p = self.project(actor, &input.project, input.year).await?;
        Ok(self.record_actual_in(actor, &p, input).await?.summary)
    }

    /// [`App::record_actual`] for a project already found (a web page knows its id):
    /// `input.project` and `input.year` are not used. Says what it did: 新增, 更正 (with the
    /// value before) or 未变化.
    pub async fn record_actual_in(
        &self,
        actor: &Actor,
        p: &Project,
        input: &ActualInput,
    ) -> Result<Recorded, AppError> {
        let policy = &self.policies.eval;
        authorize(actor, Action::Write, p)?;
        // Read once, by the reading of a row of a file, each problem at its field.
        let entry = evaluate::ActualEntry {
            indicator: &input.indicator,
            date: &input.date,
            period: input.period.as_deref().unwrap_or_default(),
            value: &input.value,
            note: input.note.as_deref().unwrap_or_default(),
            evidence: input.evidence.as_deref().unwrap_or_default(),
        };
        let parsed = evaluate::parse_actual_entry(&entry, p, policy).map_err(entry_error)?;
        let as_of = parsed.as_of;
        let keyed = by_indicator(
            std::slice::from_ref(p),
            parsed.observations.into_iter().map(|o| (p.key(), o)),
        )?;
        let summary = self
            .store
            .record_observations(&keyed, "actuals set", &actor.name)
            .await?;
        let mut r = Recorded::from(summary);
        r.as_of = as_of;
        Ok(r)
    }

    /// Records the rows of actual values in an uploaded CSV/XLSX (header first) against the
    /// projects the actor may see: all of them, or none. Importing the same file again changes
    /// nothing; a row for an existing (indicator, period) replaces the value, kept as history.
    pub async fn record_actuals(
        &self,
        actor: &Actor,
        upload: &Upload,
    ) -> Result<RecordSummary, AppError> {
        Ok(self.actual_rows(actor, upload, true).await?.1)
    }

    /// Records the rows of spending (执行数) in an uploaded CSV/XLSX: all of them, or none.
    pub async fn record_spending(
        &self,
        actor: &Actor,
        upload: &Upload,
    ) -> Result<RecordSummary, AppError> {
        Ok(self.spending_rows_of(actor, upload, true).await?.1)
    }

    /// Records one spending record (执行数) entered by hand on the declaration `p`, by the same
    /// rules as a file of rows (the amount as written, read or refused, never guessed). It is a
    /// new record — two payments of one day are two — unless its 凭证号 is that of a current
    /// record of that date, which it corrects (kept as history). Says what it did: 新增, 更正
    /// (with the amount before) or 未变化.
    pub async fn record_spending_on(
        &self,
        actor: &Actor,
        p: &Project,
        input: &SpendingInput,
    ) -> Result<Recorded, AppError> {
        authorize(actor, Action::Write, p)?;
        let record = self.spending_entry(p, input)?;
        let keyed = [(declaration_id(p)?, record)];
        let summary = self
            .store
            .record_spending(&keyed, SpendingRows::Entries, "spending add", &actor.name)
            .await?;
        Ok(Recorded::from(summary))
    }

    /// One spending record entered by hand, read by the row parser of a file.
    fn spending_entry(
        &self,
        p: &Project,
        input: &SpendingInput,
    ) -> Result<SpendingRecord, AppError> {
        let voucher = input.voucher.clone().unwrap_or_default();
        let note = input.note.clone().unwrap_or_default();
        let header = ["project", "date", "amount", "voucher", "note"];
        let cells = [
            p.name.as_str(),
            input.date.as_str(),
            input.amount.as_str(),
            voucher.as_str(),
            note.as_str(),
        ];
        let rows = [
            evaluate::Row::new(1, &header),
            evaluate::Row::new(2, &cells),
        ];
        let projects = std::slice::from_ref(p);
        let parsed = evaluate::parse_spending_rows(&rows, projects)
            .map_err(|e| rows_error("spending", e))?;
        parsed
            .into_iter()
            .next()
            .map(|s| s.record)
            .ok_or_else(|| AppError::invalid(Message::NoSpendingRecord))
    }

    /// Corrects the current spending record `id` of `p` (an edit in the browser), read by the
    /// same rules as an entry; the old one is kept as history. Says 更正 (with the old record)
    /// or 未变化.
    pub async fn correct_spending(
        &self,
        actor: &Actor,
        p: &Project,
        id: i64,
        input: &SpendingInput,
    ) -> Result<RecordedRow, AppError> {
        authorize(actor, Action::Write, p)?;
        let record = self.spending_entry(p, input)?;
        Ok(self
            .store
            .correct_spending_row(
                declaration_id(p)?,
                id,
                &record,
                "spending edit",
                &actor.name,
            )
            .await?)
    }

    /// Retracts the current spending record `id` of `p`, with a reason; it stays in the
    /// history and the audit trail.
    pub async fn retract_spending_id(
        &self,
        actor: &Actor,
        p: &Project,
        id: i64,
        reason: &str,
    ) -> Result<SpendingRecord, AppError> {
        authorize(actor, Action::Write, p)?;
        let reason = required_reason(reason)?;
        Ok(self
            .store
            .retract_spending_row(declaration_id(p)?, id, reason, &actor.name)
            .await?)
    }

    /// The current spending records of a project with their ids (to correct or retract one).
    pub async fn spending_rows(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<Vec<(i64, SpendingRecord)>, AppError> {
        authorize(actor, Action::Read, p)?;
        Ok(self.store.spending_rows(declaration_id(p)?).await?)
    }

    /// The current actual values of a project, by date, and those of removed indicators.
    pub async fn observations(&self, actor: &Actor, p: &Project) -> Result<ActualSet, AppError> {
        authorize(actor, Action::Read, p)?;
        Ok(self.store.observations(declaration_id(p)?).await?)
    }

    /// Every actual value ever recorded for a project: current, replaced and retracted.
    pub async fn observation_history(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        authorize(actor, Action::Read, p)?;
        Ok(self.store.observation_history(declaration_id(p)?).await?)
    }

    /// Retracts the current actual value of an indicator (by code or name) for a period,
    /// with a reason; it stays in the history and the audit trail.
    pub async fn retract_actual(
        &self,
        actor: &Actor,
        p: &Project,
        indicator: &str,
        period: ReportPeriod,
        reason: &str,
    ) -> Result<(), AppError> {
        authorize(actor, Action::Write, p)?;
        let reason = required_reason(reason)?;
        let id = indicator_id(p, indicator)?;
        Ok(self
            .store
            .retract_observation(id, period, reason, &actor.name)
            .await?)
    }

    /// The current spending records of a project.
    pub async fn spending(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<Vec<SpendingRecord>, AppError> {
        authorize(actor, Action::Read, p)?;
        Ok(self.store.spending(declaration_id(p)?).await?)
    }

    /// Every spending record ever entered for a project: current, replaced and retracted.
    pub async fn spending_history(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        authorize(actor, Action::Read, p)?;
        Ok(self.store.spending_history(declaration_id(p)?).await?)
    }

    /// Retracts a spending record, named by its date and voucher (or note), with a reason.
    pub async fn retract_spending(
        &self,
        actor: &Actor,
        p: &Project,
        date: NaiveDate,
        voucher: Option<&str>,
        note: Option<&str>,
        reason: &str,
    ) -> Result<SpendingRecord, AppError> {
        authorize(actor, Action::Write, p)?;
        let reason = required_reason(reason)?;
        Ok(self
            .store
            .retract_spending(declaration_id(p)?, date, voucher, note, reason, &actor.name)
            .await?)
    }

    /// Current actuals and spending of a project, with a flag for each orphaned value.
    async fn records(
        &self,
        p: &Project,
    ) -> Result<(Vec<Observation>, Vec<SpendingRecord>, Vec<evaluate::Flag>), AppError> {
        let id = declaration_id(p)?;
        let set = self.store.observations(id).await?;
        let spend = self.store.spending(id).await?;
        let (current, flags) = orphan_flags(set);
        Ok((current, spend, flags))
    }

    /// 绩效运行监控 of a project as of a date.
    pub async fn monitor(
        &self,
        actor: &Actor,
        p: &Project,
        as_of: NaiveDate,
    ) -> Result<evaluate::Monitoring, AppError> {
        let policy = &self.policies.eval;
        authorize(actor, Action::Read, p)?;
        let (obs, spend, orphaned) = self.records(p).await?;
        // The adjusted 全年预算数 of the self-evaluation notes, when one is set (schema 0004).
        let scorer = self.evaluate_options(p).await?;
        let opts = evaluate::MonitorOptions {
            budget: scorer.budget,
            initial: scorer.initial,
        };
        let mut m = evaluate::monitor(p, &obs, &spend, as_of, policy, &opts)
            .map_err(|e| computation_error(p, e, "monitor"))?;
        m.flags.extend(orphaned);
        Ok(m)
    }

    /// [`App::monitor`] and [`App::evaluate`] of one project from its records and notes read
    /// beforehand (the dashboard's rows, read for the whole page at once): the same
    /// computations on the same data.
    pub(crate) fn monitor_and_evaluate(
        &self,
        actor: &Actor,
        p: &Project,
        as_of: NaiveDate,
        records: Records,
    ) -> Result<(evaluate::Monitoring, evaluate::SelfEvaluation), AppError> {
        let policy = &self.policies.eval;
        authorize(actor, Action::Read, p)?;
        let (obs, orphaned) = orphan_flags(records.actuals);
        let spend = records.spending;
        let opts = workflow::scorer_options(p, &records.notes);
        let mopts = evaluate::MonitorOptions {
            budget: opts.budget,
            ..Default::default()
        };
        let mut m = evaluate::monitor(p, &obs, &spend, as_of, policy, &mopts)
            .map_err(|e| computation_error(p, e, "monitor"))?;
        m.flags.extend(orphaned.iter().cloned());
        let mut e = evaluate::evaluate(p, &obs, &spend, policy, &opts)
            .map_err(|e| computation_error(p, e, "evaluate"))?;
        e.flags.extend(orphaned);
        Ok((m, e))
    }

    /// 绩效运行监控 of one named project, or of every project (of a year) the actor may see.
    pub async fn monitor_all(
        &self,
        actor: &Actor,
        name: Option<&str>,
        year: Option<i32>,
        as_of: NaiveDate,
    ) -> Result<Vec<evaluate::Monitoring>, AppError> {
        let mut out = Vec::new();
        for p in self.projects(actor, name, year).await? {
            out.push(self.monitor(actor, &p, as_of).await?);
        }
        Ok(out)
    }

    /// 绩效自评 of a project: the 自评表.
    pub async fn evaluate(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<evaluate::SelfEvaluation, AppError> {
        let policy = &self.policies.eval;
        authorize(actor, Action::Read, p)?;
        let (obs, spend, orphaned) = self.records(p).await?;
        // 偏差原因, 改进措施 and the adjusted 全年预算数 written for the 自评表 (schema 0004).
        let opts = self.evaluate_options(p).await?;
        let mut e = evaluate::evaluate(p, &obs, &spend, policy, &opts)
            .map_err(|e| computation_error(p, e, "evaluate"))?;
        e.flags.extend(orphaned);
        Ok(e)
    }

    /// 绩效自评 of one named project, or of every project of a year the actor may see.
    pub async fn evaluate_all(
        &self,
        actor: &Actor,
        name: Option<&str>,
        year: i32,
    ) -> Result<Vec<evaluate::SelfEvaluation>, AppError> {
        let mut out = Vec::new();
        for p in self.projects(actor, name, Some(year)).await? {
            out.push(self.evaluate(actor, &p).await?);
        }
        Ok(out)
    }
}

/// The stable id of a project read from the store.
fn declaration_id(p: &Project) -> Result<DeclarationId, AppError> {
    p.id.ok_or_else(|| AppError::internal(format!("project {:?} has no id", p.name)))
}

/// The current actual values of a set, and a flag per indicator that has orphaned values.
fn orphan_flags(set: jixiao_store::ActualSet) -> (Vec<Observation>, Vec<evaluate::Flag>) {
    let mut orphans: Vec<(String, String, usize)> = Vec::new();
    for o in &set.orphans {
        match orphans
            .iter_mut()
            .find(|(code, name, _)| *code == o.observation.indicator && *name == o.name)
        {
            Some(entry) => entry.2 += 1,
            None => orphans.push((o.observation.indicator.clone(), o.name.clone(), 1)),
        }
    }
    let flags = orphans
        .into_iter()
        .map(|(code, name, n)| evaluate::Flag::orphaned(&format!("{code} {name}"), n))
        .collect();
    (set.current, flags)
}

/// What the dashboard reads of one declaration to monitor and score it.
#[derive(Debug, Default)]
pub(crate) struct Records {
    /// Current actual values, orphans included.
    pub actuals: jixiao_store::ActualSet,
    /// Current spending.
    pub spending: Vec<SpendingRecord>,
    /// Current self-evaluation notes.
    pub notes: jixiao_store::EvaluationNotes,
}

/// The stable id of the project with this identity among `projects`.
fn declaration_of(projects: &[Project], key: &ProjectKey) -> Result<DeclarationId, AppError> {
    let p = projects
        .iter()
        .find(|p| &p.key() == key)
        .ok_or_else(|| AppError::internal(format!("rows name a project not read: {key:?}")))?;
    declaration_id(p)
}

/// Observations keyed by their project and indicator code, re-keyed by the indicator's id.
/// A value typed for one indicator that does not read: each problem at its field, named in
/// its text (`实际完成值：…` / `value: …`); nothing was recorded.
fn entry_error(e: evaluate::Error) -> AppError {
    match e {
        evaluate::Error::Entry(errors) => AppError::Invalid(Invalid::Fields(
            errors
                .iter()
                .map(|e| {
                    let (zh, en) = e.messages();
                    FieldError {
                        field: e.field.to_string(),
                        column: None,
                        zh: format!("{zh}；未录入任何数据"),
                        en: format!("{en}; nothing was recorded"),
                    }
                })
                .collect(),
        )),
        other => rows_error("actuals set", other),
    }
}

fn by_indicator(
    projects: &[Project],
    rows: impl Iterator<Item = (ProjectKey, Observation)>,
) -> Result<Vec<(IndicatorId, Observation)>, AppError> {
    rows.map(|(key, o)| {
        let p = projects
            .iter()
            .find(|p| p.key() == key)
            .ok_or_else(|| AppError::internal(format!("rows name a project not read: {key:?}")))?;
        let id = p
            .indicator(&o.indicator)
            .and_then(|i| i.id)
            .ok_or_else(|| AppError::internal(format!("indicator {} has no id", o.indicator)))?;
        Ok((id, o))
    })
    .collect()
}

/// The id of an indicator of `p` named by its code (`1.3.1`) or its name.
fn indicator_id(p: &Project, indicator: &str) -> Result<IndicatorId, AppError> {
    let by_code = p.indicator(indicator);
    let found: Vec<_> = match by_code {
        Some(i) => vec![i],
        None => p
            .indicators
            .iter()
            .filter(|i| i.name == indicator.trim())
            .collect(),
    };
    match found.as_slice() {
        [one] => one
            .id
            .ok_or_else(|| AppError::internal(format!("indicator {} has no id", one.code))),
        [] => Err(AppError::NotFound(Message::NoIndicator {
            project: p.name.clone(),
            indicator: indicator.to_string(),
        })),
        many => Err(AppError::invalid(Message::SeveralIndicators {
            indicator: indicator.to_string(),
            codes: many.iter().map(|i| i.code.clone()).collect(),
        })),
    }
}

/// A retraction's reason, required.
fn required_reason(reason: &str) -> Result<&str, AppError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(AppError::invalid(Message::RetractionNeedsReason));
    }
    Ok(r)
}

/// Refuses unless the actor may write every project the rows touch.
fn authorize_all<'a>(
    actor: &Actor,
    projects: &[Project],
    touched: impl Iterator<Item = &'a jixiao_model::ProjectKey>,
) -> Result<(), AppError> {
    let touched: BTreeSet<_> = touched.collect();
    for p in projects {
        if touched.contains(&p.key()) {
            authorize(actor, Action::Write, p)?;
        }
    }
    Ok(())
}

/// A monitoring or evaluation that cannot be computed from the data given (a budget of 0, a
/// bad weight): the user's data is at fault, except a failed JSON writer.
fn computation_error(p: &Project, e: evaluate::Error, what: &'static str) -> AppError {
    match e {
        evaluate::Error::Json(_) => AppError::internal(e),
        e => AppError::invalid(Message::CannotCompute {
            project: p.name.clone(),
            what,
            cause: e.to_string(),
        }),
    }
}

/// Rewrites the indicator an actual value's audit entry names (`指标 1.1.1 2024年6月30日`,
/// written with the code of its day) as the indicator its stable id is now: current code and
/// name, or last name with 已删除. Entries without an indicator id are left as stored.
fn name_indicator(e: &mut AuditEntry, p: &Project, last: &std::collections::HashMap<i64, String>) {
    if e.entity != "actual_value" {
        return;
    }
    let id = [&e.after, &e.before].into_iter().flatten().find_map(|j| {
        serde_json::from_str::<serde_json::Value>(j)
            .ok()?
            .get("indicator_id")?
            .as_i64()
    });
    let Some(id) = id else { return };
    let now = match p.indicators.iter().find(|i| i.id == Some(id)) {
        Some(i) => format!("{} {}", i.code, i.name),
        None => match last.get(&id) {
            Some(name) => format!("{name}（已删除）"),
            None => return,
        },
    };
    // `录入实际完成值：指标 <code at the time> <period>`: the token after 指标 is the old code.
    let head = ["录入实际完成值：指标 ", "更正实际完成值：指标 "]
        .into_iter()
        .find(|h| e.summary.starts_with(h));
    if let Some(head) = head {
        let start = head.len();
        let end = e.summary[start..]
            .find(' ')
            .map_or(e.summary.len(), |n| start + n);
        e.summary.replace_range(start..end, &now);
    } else if e.summary.starts_with("撤回实际完成值（") {
        // `撤回实际完成值（<period>）：<reason>` was written without the indicator.
        e.summary
            .insert_str("撤回实际完成值（".len(), &format!("指标 {now}，"));
    }
}
