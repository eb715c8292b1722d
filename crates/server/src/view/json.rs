//! 接口的视图 — what the JSON API answers, as typed values: each is built from the value the
//! `jixiao_app` use case answered (the one the pages render too) and names, for a client, the
//! ids and labels a page shows in words (`status` and `status_zh`, amounts as decimal strings
//! in 元). Each derives `Serialize` for the answer and `ToSchema` for the OpenAPI document
//! (`crate::doc`), so the document names the schema the handler answers. No handler builds a
//! JSON body by hand. The error body and a conflict's details are `crate::error`'s.
//!
//! The review (审核) of a version and a declaration's form are the review crate's and the
//! model's own JSON (docs/review-json.md, docs/form-json.md), carried as they are.

use jixiao_app::{
    AuditEntry, BulkImport, BulkRow, Comment, DraftCheck, EvaluationNotes, FieldError,
    ImportPreview, NoteRecord, ProjectSummary, ReadWarning, Recorded, SaveResult, ScoreState,
    SelfEvaluation, Session, Suggestion, TransitionResult, WorkflowState, WriteOutcome,
};
use jixiao_model::{Lang, ProjectKey, Severity, SpendingRecord};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::{Change, DiagBody};

/// 会话 — who is signed in and the CSRF token of its state changes.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Session)]
pub struct SessionView {
    pub user: String,
    /// `admin`, `finance`, `reviewer`, `editor` or `viewer`.
    pub role: &'static str,
    pub role_zh: &'static str,
    pub unit: Option<String>,
    pub department: Option<String>,
    pub csrf_token: String,
    /// UTC, ISO 8601.
    pub expires_at: String,
}

impl From<&Session> for SessionView {
    fn from(s: &Session) -> SessionView {
        SessionView {
            user: s.actor.name.clone(),
            role: s.actor.role.id(),
            role_zh: s.actor.role.zh(),
            unit: s.actor.unit.clone(),
            department: s.actor.department.clone(),
            csrf_token: s.csrf_token.clone(),
            expires_at: s.expires_at.clone(),
        }
    }
}

/// One declaration of the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectItem {
    pub id: i64,
    pub year: i32,
    pub unit: String,
    pub name: String,
    pub department: Option<String>,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: &'static str,
    pub status_zh: &'static str,
    pub version: i64,
    /// 年度资金申请总额, 元.
    pub funds_total: String,
    pub indicators: i64,
}

impl From<&ProjectSummary> for ProjectItem {
    fn from(s: &ProjectSummary) -> ProjectItem {
        ProjectItem {
            id: s.id,
            year: s.key.year,
            unit: s.key.unit.clone(),
            name: s.key.name.clone(),
            department: s.department.clone(),
            status: s.status.id(),
            status_zh: s.status.zh(),
            version: s.version,
            funds_total: s.funds_total.to_string(),
            indicators: s.indicators,
        }
    }
}

/// A page of the declarations the actor may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectItem>,
    pub page: usize,
    pub per_page: usize,
    /// All the declarations the actor may see.
    pub total: usize,
}

/// One change of the audit trail: who, when, what, and the value before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub id: i64,
    /// The declaration concerned, when one is.
    pub declaration_id: Option<i64>,
    /// UTC, ISO 8601.
    pub at: String,
    pub actor: String,
    /// `import`, `edit`, `submit`, `record_actual`, … (the store's `AuditEntry`).
    pub action: String,
    /// What kind of thing (`declaration`, `comment`, `actual_value` …) and its id.
    pub entity: String,
    pub entity_id: Option<i64>,
    /// One line for people, in Chinese.
    pub summary: String,
    /// The value before, as it was stored (null for a creation).
    #[schema(value_type = Object)]
    pub before: Value,
    /// The value after (null for a retraction).
    #[schema(value_type = Object)]
    pub after: Value,
}

/// A stored JSON text as a value (kept as a string if it does not parse).
fn stored(s: &Option<String>) -> Value {
    match s {
        None => Value::Null,
        Some(t) => serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.clone())),
    }
}

impl From<&AuditEntry> for AuditItem {
    fn from(e: &AuditEntry) -> AuditItem {
        AuditItem {
            id: e.id,
            at: e.at.clone(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            entity: e.entity.clone(),
            entity_id: e.entity_id,
            declaration_id: e.declaration_id,
            summary: e.summary.clone(),
            before: stored(&e.before),
            after: stored(&e.after),
        }
    }
}

/// The audit trail, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditItem>,
}

/// What a save, a creation or an adjustment did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub id: i64,
    pub version: i64,
    pub status: &'static str,
    pub status_zh: &'static str,
    /// A new version was written.
    pub changed: bool,
    /// What it changed (null when nothing, or for a new declaration).
    pub change: Option<Change>,
    /// How targets were read when not written plainly: `{field, column, zh, en}`.
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<ReadWarning>,
}

impl From<&SaveResult> for Saved {
    fn from(r: &SaveResult) -> Saved {
        Saved {
            id: r.id,
            version: r.version,
            status: r.status.id(),
            status_zh: r.status.zh(),
            changed: r.change.is_some(),
            change: r.change.as_ref().map(Change::from),
            warnings: r.warnings.clone(),
        }
    }
}

/// The review of an unsaved draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct DraftChecked {
    /// Targets that do not read: `{field, column, zh, en}`.
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldError>,
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<ReadWarning>,
    /// The review (docs/review-json.md).
    #[schema(value_type = Object)]
    pub review: Value,
}

impl From<&DraftCheck> for DraftChecked {
    fn from(c: &DraftCheck) -> DraftChecked {
        DraftChecked {
            errors: c.targets.errors.clone(),
            warnings: c.targets.warnings.clone(),
            review: c.review.to_json(),
        }
    }
}

/// A transition made (提交, 退回, 批准), with the review of the version it concerns.
#[derive(Debug, Serialize, ToSchema)]
pub struct Transitioned {
    pub from: &'static str,
    pub to: &'static str,
    /// The status now (= `to`).
    pub status: &'static str,
    pub status_zh: &'static str,
    pub version: i64,
    /// UTC, ISO 8601.
    pub at: String,
    /// The review (docs/review-json.md).
    #[schema(value_type = Object)]
    pub review: Value,
    /// How many of its findings are errors.
    pub review_errors: usize,
}

impl From<&TransitionResult> for Transitioned {
    fn from(
        TransitionResult {
            transition: t,
            review,
        }: &TransitionResult,
    ) -> Transitioned {
        Transitioned {
            from: t.from.id(),
            to: t.to.id(),
            status: t.to.id(),
            status_zh: t.to.zh(),
            version: t.version,
            at: t.at.clone(),
            review: review.to_json(),
            review_errors: review.count(Severity::Error),
        }
    }
}

/// Where a declaration stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct Workflow {
    pub status: &'static str,
    pub status_zh: &'static str,
    pub current_version: i64,
    pub approved_version: Option<i64>,
    /// A new version may be saved (草稿, 退回).
    pub editable: bool,
}

impl From<&WorkflowState> for Workflow {
    fn from(w: &WorkflowState) -> Workflow {
        Workflow {
            status: w.status.id(),
            status_zh: w.status.zh(),
            current_version: w.current_version,
            approved_version: w.approved_version,
            editable: w.status.is_editable(),
        }
    }
}

/// 审核意见 — a comment on the declaration or one of its indicators.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Comment)]
pub struct CommentView {
    pub id: i64,
    pub version: i64,
    /// The indicator's stable id; null for the whole declaration.
    pub indicator_id: Option<i64>,
    pub author: String,
    /// UTC, ISO 8601.
    pub at: String,
    pub text: String,
    /// The status it came with (`returned`, `approved`, `submitted` for an adjustment).
    pub transition: Option<&'static str>,
}

impl From<&Comment> for CommentView {
    fn from(c: &Comment) -> CommentView {
        CommentView {
            id: c.id,
            version: c.version,
            indicator_id: c.indicator_id,
            author: c.author.clone(),
            at: c.at.clone(),
            text: c.body.clone(),
            transition: c.transition.map(|t| t.id()),
        }
    }
}

/// The comments, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentView>,
}

/// What a write of an actual value or a spending record did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Recorded)]
pub struct RecordedView {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    /// `added`, `corrected` or `unchanged`.
    pub outcome: &'static str,
    pub message_zh: String,
    pub message_en: String,
    /// A correction: the value before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was_en: Option<String>,
}

impl From<&Recorded> for RecordedView {
    fn from(r: &Recorded) -> RecordedView {
        let s = &r.summary;
        let (was_zh, was_en) = match &r.outcome {
            WriteOutcome::Corrected { was_zh, was_en } => (Some(was_zh), Some(was_en)),
            _ => (None, None),
        };
        RecordedView {
            added: s.added,
            replaced: s.replaced,
            unchanged: s.unchanged,
            outcome: r.outcome.id(),
            message_zh: r.outcome.text(Lang::Zh),
            message_en: r.outcome.text(Lang::En),
            was_zh: was_zh.cloned(),
            was_en: was_en.cloned(),
        }
    }
}

/// An actual value retracted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Retracted {
    /// Always true.
    pub retracted: bool,
    /// `retracted`.
    pub outcome: &'static str,
}

impl Retracted {
    /// The answer of a retraction.
    pub const DONE: Retracted = Retracted {
        retracted: true,
        outcome: "retracted",
    };
}

/// A spending record retracted: the record as it was.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpendingRetracted {
    /// `{date, amount, voucher, note}` (the amount a decimal string, 元).
    #[schema(value_type = Object)]
    pub retracted: SpendingRecord,
}

/// 绩效自评表 (docs/evaluation-json.md), with `state`: with no actual value and nothing spent
/// (`no_actuals`) `total` and `grade` are null rather than "0.00 差".
#[derive(Debug, Serialize, ToSchema)]
pub struct Evaluation {
    pub format: String,
    pub project: String,
    pub year: i32,
    pub department: Option<String>,
    pub unit: String,
    /// 预算执行情况 (as docs/evaluation-json.md).
    #[schema(value_type = Object)]
    pub budget: Value,
    /// 年初预期目标 | 实际完成情况.
    #[schema(value_type = Object)]
    pub goals: Value,
    /// 绩效指标, in form order.
    #[schema(value_type = Vec<Object>)]
    pub indicators: Vec<jixiao_app::IndicatorScore>,
    /// 总分 (null: nothing scored yet).
    #[schema(value_type = Option<String>)]
    pub total: Option<jixiao_model::Decimal>,
    /// 评价等级 (null: nothing scored yet).
    #[schema(value_type = Option<String>)]
    pub grade: Option<jixiao_model::Grade>,
    #[schema(value_type = Vec<Object>)]
    pub flags: Vec<jixiao_app::Flag>,
    /// `scored` or `no_actuals`.
    #[schema(value_type = String)]
    pub state: ScoreState,
}

impl From<SelfEvaluation> for Evaluation {
    fn from(e: SelfEvaluation) -> Evaluation {
        let state = e.state();
        let scored = state == ScoreState::Scored;
        Evaluation {
            total: scored.then_some(e.total),
            grade: scored.then_some(e.grade),
            format: e.format,
            project: e.project,
            year: e.year,
            department: e.department,
            unit: e.unit,
            budget: serde_json::to_value(&e.budget).unwrap_or(Value::Null),
            goals: serde_json::to_value(&e.goals).unwrap_or(Value::Null),
            indicators: e.indicators,
            flags: e.flags,
            state,
        }
    }
}

/// 自评说明: the adjusted 全年预算数 and each indicator's 偏差原因 and 改进措施.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notes {
    /// 元, a decimal string; null: the 年初预算数 stands.
    pub annual_budget: Option<String>,
    pub indicators: Vec<Note>,
    /// After a replacement: whether anything changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<bool>,
}

/// The notes of one indicator.
#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    pub indicator_id: i64,
    #[serde(flatten)]
    pub text: NoteText,
}

/// 偏差原因 and 改进措施.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteText {
    pub deviation_reason: Option<String>,
    pub remedy: Option<String>,
}

impl From<&jixiao_app::IndicatorNote> for NoteText {
    fn from(n: &jixiao_app::IndicatorNote) -> NoteText {
        NoteText {
            deviation_reason: n.deviation_reason.clone(),
            remedy: n.remedy.clone(),
        }
    }
}

impl From<&EvaluationNotes> for Notes {
    fn from(n: &EvaluationNotes) -> Notes {
        Notes {
            annual_budget: n.annual_budget.map(|b| b.to_string()),
            indicators: n
                .indicators
                .iter()
                .map(|(id, n)| Note {
                    indicator_id: *id,
                    text: NoteText::from(n),
                })
                .collect(),
            changed: None,
        }
    }
}

/// One version of a note (or of the 全年预算数, `indicator_id` null).
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteVersion {
    pub indicator_id: Option<i64>,
    #[serde(flatten)]
    pub text: NoteText,
    pub annual_budget: Option<String>,
    /// The one that counts.
    pub current: bool,
    pub recorded_at: String,
    pub recorded_by: String,
    /// When it was replaced or cleared, and by whom.
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
}

impl From<&NoteRecord> for NoteVersion {
    fn from(r: &NoteRecord) -> NoteVersion {
        NoteVersion {
            indicator_id: r.indicator_id,
            text: NoteText {
                deviation_reason: r.deviation_reason.clone(),
                remedy: r.remedy.clone(),
            },
            annual_budget: r.annual_budget.map(|b| b.to_string()),
            current: r.current,
            recorded_at: r.recorded_at.clone(),
            recorded_by: r.recorded_by.clone(),
            ended_at: r.ended.as_ref().map(|e| e.0.clone()),
            ended_by: r.ended.as_ref().map(|e| e.1.clone()),
        }
    }
}

/// Every version of the notes, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteHistory {
    pub items: Vec<NoteVersion>,
}

/// A declaration's identity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Key {
    pub year: i32,
    pub unit: String,
    pub name: String,
}

impl From<&ProjectKey> for Key {
    fn from(k: &ProjectKey) -> Key {
        Key {
            year: k.year,
            unit: k.unit.clone(),
            name: k.name.clone(),
        }
    }
}

fn keys(ks: &[ProjectKey]) -> Vec<Key> {
    ks.iter().map(Key::from).collect()
}

/// What `POST /api/imports` answers: declarations previewed or imported, or a bulk import
/// (实际完成值, 执行数, 自评表, 监控表) previewed or committed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ImportAnswer {
    Bulk(Bulk),
    Preview(ImportPreviewView),
    Imported(Imported),
}

/// The preview of a declaration upload (`dry_run: true`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportPreviewView {
    pub dry_run: bool,
    pub files: Vec<PreviewFile>,
}

/// One file of a preview.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewFile {
    pub name: String,
    /// `xlsx`, `csv`, `pdf`, …
    pub format: String,
    pub encoding: String,
    pub projects: Vec<Key>,
    /// For each project, the declaration it updates (null: a new one).
    pub updates: Vec<Option<i64>>,
    /// What the commit would do to each declaration it updates, as the commit decides it.
    pub effects: Vec<Effect>,
    /// The form read (docs/form-json.md).
    #[schema(value_type = Object)]
    pub form: jixiao_model::Form,
    pub diagnostics: Vec<DiagBody>,
    /// The review (docs/review-json.md).
    #[schema(value_type = Object)]
    pub review: Value,
}

impl From<&ImportPreview> for PreviewFile {
    fn from(p: &ImportPreview) -> PreviewFile {
        let parsed = &p.parsed;
        PreviewFile {
            name: p.name.clone(),
            format: format!("{:?}", parsed.format).to_lowercase(),
            encoding: format!("{:?}", parsed.encoding).to_lowercase(),
            projects: parsed
                .form
                .projects
                .iter()
                .map(|p| Key::from(&p.key()))
                .collect(),
            updates: p.updates.clone(),
            effects: p.effects.iter().map(Effect::from).collect(),
            form: parsed.form.clone(),
            diagnostics: diagnostics(&parsed.diagnostics),
            review: p.review.to_json(),
        }
    }
}

/// A file's diagnostics as the error body lists them.
pub fn diagnostics(ds: &[jixiao_app::Diagnostic]) -> Vec<DiagBody> {
    ds.iter()
        .map(|d| crate::error::Diag::read(None, d).body().clone())
        .collect()
}

/// A refusal, in both languages.
#[derive(Debug, Serialize, ToSchema)]
pub struct Refusal {
    pub message_zh: String,
    pub message_en: String,
}

/// What importing a project would do to the declaration it updates.
#[derive(Debug, Serialize, ToSchema)]
pub struct Effect {
    /// Why the commit would be refused (a submitted or approved declaration).
    pub refusal: Option<Refusal>,
    /// A new version would be written.
    pub changes: bool,
    /// The indicators added (`1.1.3 购置车辆数`), changed (`1.1.1 行驶公里数：≥15000 →
    /// ≥16000`) and removed.
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl From<&jixiao_app::preview::ImportEffect> for Effect {
    fn from(e: &jixiao_app::preview::ImportEffect) -> Effect {
        Effect {
            refusal: e.refusal.as_ref().map(|(zh, en)| Refusal {
                message_zh: zh.clone(),
                message_en: en.clone(),
            }),
            changes: e.changes,
            added: e.added.clone(),
            changed: e.changed.clone(),
            removed: e.removed.clone(),
        }
    }
}

/// What an import of declarations did (`dry_run: false`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub dry_run: bool,
    pub added: Vec<Key>,
    pub replaced: Vec<Key>,
    pub unchanged: Vec<Key>,
    pub diagnostics: Vec<DiagBody>,
}

impl Imported {
    /// The answer of an import: what it did and what the reader said of each file.
    pub fn of(s: &jixiao_app::ImportSummary, parsed: &[(String, jixiao_app::Parsed)]) -> Imported {
        Imported {
            dry_run: false,
            added: keys(&s.added),
            replaced: keys(&s.replaced),
            unchanged: keys(&s.unchanged),
            diagnostics: parsed
                .iter()
                .flat_map(|(_, p)| diagnostics(&p.diagnostics))
                .collect(),
        }
    }
}

/// What a bulk import does (`dry_run: true`) or did, row by row.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bulk {
    pub dry_run: bool,
    /// `actuals`, `spending`, `self_evaluation` or `monitoring`.
    pub kind: &'static str,
    pub added: usize,
    pub corrected: usize,
    pub unchanged: usize,
    pub rows: Vec<BulkRowView>,
}

/// One row of a bulk import.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BulkRow)]
pub struct BulkRowView {
    pub source: String,
    pub line: Option<u32>,
    pub project: String,
    pub row_zh: String,
    pub row_en: String,
    /// `added`, `corrected` or `unchanged`.
    pub outcome: &'static str,
    pub outcome_zh: String,
    pub outcome_en: String,
}

impl From<&BulkRow> for BulkRowView {
    fn from(r: &BulkRow) -> BulkRowView {
        BulkRowView {
            source: r.source.clone(),
            line: r.line,
            project: r.project.clone(),
            row_zh: r.what_zh.clone(),
            row_en: r.what_en.clone(),
            outcome: r.outcome.id(),
            outcome_zh: r.outcome.text(Lang::Zh),
            outcome_en: r.outcome.text(Lang::En),
        }
    }
}

impl From<&BulkImport> for Bulk {
    fn from(b: &BulkImport) -> Bulk {
        Bulk {
            dry_run: !b.committed,
            kind: b.kind.id(),
            added: b.added,
            corrected: b.corrected,
            unchanged: b.unchanged,
            rows: b.rows.iter().map(BulkRowView::from).collect(),
        }
    }
}

/// The indicator library's suggestions, ranked, each with the reason of its rank.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    /// `{rank, source, entry_id, scope, level1, level2, name, unit, direction,
    /// typical_target, uses, reason_zh, reason_en, …}`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Suggestion>,
}
