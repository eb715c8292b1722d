//! 流程 — the workflow of a declaration (schema 0004): status transitions, editing with a
//! stale-edit check, 调整 (adjustment) of an approved declaration, review comments and the
//! self-evaluation notes (偏差原因, 改进措施, the adjusted 全年预算数).
//!
//! **Invariants**
//! - Every check that depends on the stored state (the status, the version an edit was based
//!   on) is made inside the transaction that writes, so two people acting at once cannot both
//!   pass it: the second one gets the state the first one left.
//! - Every change writes its audit row in the same transaction; an unchanged save or an
//!   unchanged set of notes writes nothing.
//! - Which transition is legal is the caller's rule (`jixiao-app`); the store only refuses a
//!   transition from a status the caller did not allow, and says what the status is.

use std::collections::BTreeMap;

use jixiao_model::{
    diff_indicators, match_indicators, Decimal, DeclarationId, IndicatorId, Project, Status,
};
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::audit::{write_audit, Change};
use crate::declarations::{
    id_list, import_project, not_found, ImportSummary, ProjectChange, UnitsSeen,
};
use crate::rows::{fen, yuan};
use crate::{corrupt, now, Store, StoreError};

/// Where a declaration stands: its status and versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowState {
    /// 申报状态.
    pub status: Status,
    /// The current version (the one an edit must be based on).
    pub current_version: i64,
    /// The version last approved, when one was.
    pub approved_version: Option<i64>,
}

/// A status change that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The status before.
    pub from: Status,
    /// The status after.
    pub to: Status,
    /// The current version it concerns.
    pub version: i64,
    /// When (UTC, ISO 8601).
    pub at: String,
}

/// Why a save was not made (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveRefusal {
    /// The edit was based on an older version than the current one.
    Stale(Box<StaleEdit>),
    /// The status does not allow this kind of save (an edit of an approved declaration, an
    /// adjustment of a draft).
    Status(Status),
}

/// 编辑冲突 — someone saved a newer version since the caller read its base version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEdit {
    /// The version the caller's edit was based on.
    pub base_version: i64,
    /// The current version.
    pub current_version: i64,
    /// Who wrote the current version.
    pub saved_by: String,
    /// When (UTC, ISO 8601).
    pub saved_at: String,
    /// What the newer versions changed, from the base version to the current one (the
    /// `version` of this change is the current one).
    pub change: ProjectChange,
}

/// What a save does besides writing a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind<'a> {
    /// An edit of a 草稿 or 退回 declaration.
    Edit,
    /// 调整 of an approved declaration: the new version goes back to 已提交 for approval; the
    /// reason is kept as a comment and in the audit.
    Adjust {
        /// Why (required by the caller).
        reason: &'a str,
    },
}

/// A save that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// What the new version changed; `None` when the content was unchanged (no version, no
    /// audit row).
    pub change: Option<ProjectChange>,
    /// The current version after the save.
    pub version: i64,
    /// The status after the save.
    pub status: Status,
}

/// 审核意见 — a comment on a declaration or on one of its indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Row id (increasing).
    pub id: i64,
    /// The declaration.
    pub declaration_id: DeclarationId,
    /// The version it was written on.
    pub version: i64,
    /// The indicator (stable id) it is about; `None` for the declaration as a whole.
    pub indicator_id: Option<IndicatorId>,
    /// Who wrote it.
    pub author: String,
    /// When (UTC, ISO 8601).
    pub at: String,
    /// The text.
    pub body: String,
    /// The status change it came with (`returned` for a return's comment, `submitted` for an
    /// adjustment's reason), `None` for a plain comment.
    pub transition: Option<Status>,
}

/// 偏差原因分析及改进措施 of one indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorNote {
    /// 偏差原因.
    pub deviation_reason: Option<String>,
    /// 改进措施.
    pub remedy: Option<String>,
}

impl IndicatorNote {
    fn is_empty(&self) -> bool {
        self.deviation_reason.is_none() && self.remedy.is_none()
    }
}

/// 自评说明 of a declaration: per indicator (by stable id) its 偏差原因 and 改进措施, and the
/// adjusted 全年预算数 of its year (`None`: the 年初预算数 of the form stands).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluationNotes {
    /// 全年预算数 (调整后), in 元.
    pub annual_budget: Option<Decimal>,
    /// Notes per indicator id; an indicator without notes is absent.
    pub indicators: BTreeMap<IndicatorId, IndicatorNote>,
}

/// One row of the history of the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    /// The indicator, or `None` for the declaration's 全年预算数.
    pub indicator_id: Option<IndicatorId>,
    /// 偏差原因.
    pub deviation_reason: Option<String>,
    /// 改进措施.
    pub remedy: Option<String>,
    /// 全年预算数, in 元.
    pub annual_budget: Option<Decimal>,
    /// Whether it is the one that counts.
    pub current: bool,
    /// When it was written, and by whom.
    pub recorded_at: String,
    /// Who wrote it.
    pub recorded_by: String,
    /// When it was replaced or cleared, and by whom.
    pub ended: Option<(String, String)>,
}

async fn state_in(
    tx: &mut Transaction<'_, Any>,
    id: DeclarationId,
) -> Result<WorkflowState, StoreError> {
    let r = sqlx::query(
        "SELECT status, current_version, approved_version FROM declarations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| not_found(id))?;
    let s: String = r.try_get(0)?;
    Ok(WorkflowState {
        status: Status::from_id(&s).ok_or_else(|| corrupt(format!("status {s:?}")))?,
        current_version: r.try_get(1)?,
        approved_version: r.try_get(2)?,
    })
}

/// A comment row to write.
struct NewComment<'a> {
    id: DeclarationId,
    version: i64,
    indicator: Option<IndicatorId>,
    body: &'a str,
    transition: Option<Status>,
    by: &'a str,
    at: &'a str,
}

async fn insert_comment(
    tx: &mut Transaction<'_, Any>,
    c: NewComment<'_>,
) -> Result<i64, StoreError> {
    let NewComment {
        id,
        version,
        indicator,
        body,
        transition,
        by,
        at,
    } = c;
    Ok(sqlx::query(
        "INSERT INTO review_comments (declaration_id, version, indicator_id, author, written_at, body, transition) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(version)
    .bind(indicator)
    .bind(by)
    .bind(at)
    .bind(body)
    .bind(transition.map(Status::id))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// The audit `action` of a transition to `to`.
fn transition_action(from: Status, to: Status) -> &'static str {
    match (from, to) {
        (_, Status::Submitted) => "submit",
        (_, Status::Returned) => "return",
        (_, Status::Approved) => "approve",
        (_, Status::Draft) => "status",
    }
}

impl Store {
    /// Where a declaration stands.
    pub async fn workflow(&self, id: DeclarationId) -> Result<WorkflowState, StoreError> {
        let mut tx = self.pool().begin().await?;
        let s = state_in(&mut tx, id).await?;
        tx.rollback().await?;
        Ok(s)
    }

    /// Moves a declaration to `to` when its status is one of `from`, in one transaction with
    /// its audit row and, when given, the comment that comes with it. Answers `Ok(Err(status))`
    /// (nothing written) when the status is not one of `from`. An approval records the current
    /// version as the approved one.
    pub async fn transition(
        &self,
        id: DeclarationId,
        from: &[Status],
        to: Status,
        comment: Option<&str>,
        by: &str,
    ) -> Result<Result<Transition, Status>, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        // Take the write lock first (SQLite), so that the status read is the one changed.
        sqlx::query("UPDATE declarations SET updated_at = updated_at WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let state = state_in(&mut tx, id).await?;
        if !from.contains(&state.status) {
            tx.rollback().await?;
            return Ok(Err(state.status));
        }
        let approved = if to == Status::Approved {
            Some(state.current_version)
        } else {
            state.approved_version
        };
        sqlx::query(
            "UPDATE declarations SET status = $1, approved_version = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(to.id())
        .bind(approved)
        .bind(&at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let comment_id = match comment {
            Some(c) => Some(
                insert_comment(
                    &mut tx,
                    NewComment {
                        id,
                        version: state.current_version,
                        indicator: None,
                        body: c,
                        transition: Some(to),
                        by,
                        at: &at,
                    },
                )
                .await?,
            ),
            None => None,
        };
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: transition_action(state.status, to),
                entity: "declaration",
                entity_id: Some(id),
                declaration_id: Some(id),
                summary: match comment {
                    Some(c) => format!(
                        "第 {} 版：{} → {}（意见：{c}）",
                        state.current_version,
                        state.status.zh(),
                        to.zh()
                    ),
                    None => format!(
                        "第 {} 版：{} → {}",
                        state.current_version,
                        state.status.zh(),
                        to.zh()
                    ),
                },
                before: Some(
                    json!({ "status": state.status.id(), "version": state.current_version }),
                ),
                after: Some(json!({
                    "status": to.id(), "version": state.current_version,
                    "approved_version": approved, "comment": comment, "comment_id": comment_id,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(Transition {
            from: state.status,
            to,
            version: state.current_version,
            at,
        }))
    }

    /// Creates a declaration from scratch (草稿, version 1), in one transaction with its audit
    /// row. A declaration of the same (year, unit, name) is a [`StoreError::Conflict`].
    pub async fn create(&self, project: &Project, by: &str) -> Result<DeclarationId, StoreError> {
        self.create_following(project, None, by).await
    }

    /// [`Store::create`], linked in the same transaction to last year's declaration
    /// `previous` (上年项目) when given — a declaration started from last year's.
    pub async fn create_following(
        &self,
        project: &Project,
        previous: Option<DeclarationId>,
        by: &str,
    ) -> Result<DeclarationId, StoreError> {
        let mut p = project.clone();
        p.id = None;
        for i in &mut p.indicators {
            i.id = None;
        }
        // Two creations of one name at once: the one that lost the race runs again and is
        // told the name is taken.
        let p = &p;
        self.retrying(|| async move { self.create_once(p, previous, by).await })
            .await
    }

    async fn create_once(
        &self,
        p: &Project,
        previous: Option<DeclarationId>,
        by: &str,
    ) -> Result<DeclarationId, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let taken =
            sqlx::query("SELECT id FROM declarations WHERE year = $1 AND unit = $2 AND name = $3")
                .bind(i64::from(p.year))
                .bind(&p.unit)
                .bind(&p.name)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(r) = taken {
            let id: i64 = r.try_get(0)?;
            return Err(StoreError::Conflict {
                zh: format!(
                    "{}年度 {} 已有项目「{}」（编号 {id}）；请编辑该项目",
                    p.year, p.unit, p.name
                ),
                en: format!(
                    "{} of {} already has a project {:?} (id {id}); edit that one",
                    p.unit, p.year, p.name
                ),
            });
        }
        let mut summary = ImportSummary::default();
        import_project(
            &mut tx,
            None,
            None,
            p,
            "create",
            by,
            &at,
            &mut summary,
            &mut UnitsSeen::new(),
        )
        .await?;
        if summary.added.is_empty() {
            // Another creation of the same name committed between the check above and the
            // import's own lookup (PostgreSQL reads committed rows per statement), and the
            // import matched it: this one is the loser, told so, and rolled back.
            return Err(StoreError::Conflict {
                zh: format!(
                    "{}年度 {} 已有项目「{}」（刚由他人新建）；请编辑该项目",
                    p.year, p.unit, p.name
                ),
                en: format!(
                    "{} of {} already has a project {:?} (just created by someone else); edit that one",
                    p.unit, p.year, p.name
                ),
            });
        }
        let id: i64 =
            sqlx::query("SELECT id FROM declarations WHERE year = $1 AND unit = $2 AND name = $3")
                .bind(i64::from(p.year))
                .bind(&p.unit)
                .bind(&p.name)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        if let Some(previous) = previous {
            crate::library::link_predecessor_in(&mut tx, id, previous, by, &at).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a new version of declaration `id` edited from `base_version`, through the same
    /// path as an import (indicator identities by content, audit). In one transaction: the
    /// base version must be the current one ([`SaveRefusal::Stale`], with who saved the newer
    /// version, when, and what it changed) and the status must allow the kind of save
    /// ([`SaveRefusal::Status`]); an adjustment then puts the declaration back to 已提交 and
    /// keeps its reason as a comment.
    pub async fn save(
        &self,
        id: DeclarationId,
        base_version: i64,
        project: &Project,
        kind: SaveKind<'_>,
        by: &str,
    ) -> Result<Result<Saved, SaveRefusal>, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        sqlx::query("UPDATE declarations SET updated_at = updated_at WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let state = state_in(&mut tx, id).await?;
        if state.current_version != base_version {
            let stale = stale_edit(&mut tx, id, base_version, state.current_version).await?;
            tx.rollback().await?;
            return Ok(Err(SaveRefusal::Stale(Box::new(stale))));
        }
        let allowed = match kind {
            SaveKind::Edit => state.status.is_editable(),
            SaveKind::Adjust { .. } => state.status == Status::Approved,
        };
        if !allowed {
            tx.rollback().await?;
            return Ok(Err(SaveRefusal::Status(state.status)));
        }
        let mut p = project.clone();
        p.id = Some(id);
        let mut summary = ImportSummary::default();
        let action = match kind {
            SaveKind::Edit => "edit",
            SaveKind::Adjust { .. } => "adjust",
        };
        import_project(
            &mut tx,
            None,
            None,
            &p,
            action,
            by,
            &at,
            &mut summary,
            &mut UnitsSeen::new(),
        )
        .await?;
        let change = summary.changes.pop();
        let version = change.as_ref().map_or(state.current_version, |c| c.version);
        let mut status = state.status;
        if let SaveKind::Adjust { reason } = kind {
            if change.is_none() {
                tx.rollback().await?;
                return Err(StoreError::Invalid {
                    zh: "调整未改变申报内容；未做任何修改".into(),
                    en: "the adjustment changes nothing in the declaration; nothing was done"
                        .into(),
                });
            }
            status = Status::Submitted;
            sqlx::query("UPDATE declarations SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status.id())
                .bind(&at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let comment_id = insert_comment(
                &mut tx,
                NewComment {
                    id,
                    version,
                    indicator: None,
                    body: reason,
                    transition: Some(status),
                    by,
                    at: &at,
                },
            )
            .await?;
            write_audit(
                &mut tx,
                &Change {
                    at: &at,
                    actor: by,
                    action: "submit",
                    entity: "declaration",
                    entity_id: Some(id),
                    declaration_id: Some(id),
                    summary: format!(
                        "调整：第 {version} 版 {} → {}（已批准的第 {} 版保留；原因：{reason}）",
                        state.status.zh(),
                        status.zh(),
                        state.approved_version.unwrap_or(state.current_version)
                    ),
                    before: Some(json!({
                        "status": state.status.id(), "version": state.current_version,
                        "approved_version": state.approved_version,
                    })),
                    after: Some(json!({
                        "status": status.id(), "version": version,
                        "approved_version": state.approved_version,
                        "reason": reason, "comment_id": comment_id,
                    })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Ok(Saved {
            change,
            version,
            status,
        }))
    }

    /// Adds a comment on a declaration, or on one of its indicators (by stable id), written
    /// on `version`; with its audit row.
    pub async fn add_comment(
        &self,
        id: DeclarationId,
        version: i64,
        indicator: Option<IndicatorId>,
        body: &str,
        by: &str,
    ) -> Result<Comment, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        if let Some(ind) = indicator {
            let owner: Option<i64> =
                sqlx::query("SELECT declaration_id FROM indicators WHERE id = $1")
                    .bind(ind)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
            if owner != Some(id) {
                return Err(StoreError::NotFound {
                    zh: format!("申报项目 {id} 没有编号为 {ind} 的指标"),
                    en: format!("declaration {id} has no indicator with id {ind}"),
                });
            }
        }
        let cid = insert_comment(
            &mut tx,
            NewComment {
                id,
                version,
                indicator,
                body,
                transition: None,
                by,
                at: &at,
            },
        )
        .await?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "comment",
                entity: "comment",
                entity_id: Some(cid),
                declaration_id: Some(id),
                summary: match indicator {
                    Some(i) => format!("第 {version} 版，指标（编号 {i}）的审核意见：{body}"),
                    None => format!("第 {version} 版的审核意见：{body}"),
                },
                before: None,
                after: Some(json!({
                    "version": version, "indicator_id": indicator, "body": body,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Comment {
            id: cid,
            declaration_id: id,
            version,
            indicator_id: indicator,
            author: by.to_string(),
            at,
            body: body.to_string(),
            transition: None,
        })
    }

    /// The comments of a declaration, oldest first (those of returns and adjustments too).
    pub async fn comments(&self, id: DeclarationId) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, declaration_id, version, indicator_id, author, written_at, body, transition \
             FROM review_comments WHERE declaration_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let t: Option<String> = r.try_get(7)?;
                Ok(Comment {
                    id: r.try_get(0)?,
                    declaration_id: r.try_get(1)?,
                    version: r.try_get(2)?,
                    indicator_id: r.try_get(3)?,
                    author: r.try_get(4)?,
                    at: r.try_get(5)?,
                    body: r.try_get(6)?,
                    transition: t
                        .map(|t| {
                            Status::from_id(&t).ok_or_else(|| corrupt(format!("status {t:?}")))
                        })
                        .transpose()?,
                })
            })
            .collect()
    }

    /// The current self-evaluation notes of a declaration.
    pub async fn notes(&self, id: DeclarationId) -> Result<EvaluationNotes, StoreError> {
        Ok(self.notes_of(&[id]).await?.remove(&id).unwrap_or_default())
    }

    /// [`Store::notes`] of several declarations in one query; a declaration without notes has
    /// no entry.
    pub async fn notes_of(
        &self,
        ids: &[DeclarationId],
    ) -> Result<BTreeMap<DeclarationId, EvaluationNotes>, StoreError> {
        let mut out: BTreeMap<DeclarationId, EvaluationNotes> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = sqlx::query(&format!(
            "SELECT indicator_id, deviation_reason, remedy, annual_budget, declaration_id \
             FROM evaluation_notes WHERE declaration_id IN ({}) AND is_current = 1 \
             ORDER BY declaration_id, id",
            id_list(ids)
        ))
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let notes = out.entry(r.try_get(4)?).or_default();
            match r.try_get::<Option<IndicatorId>, _>(0)? {
                None => notes.annual_budget = r.try_get::<Option<i64>, _>(3)?.map(yuan),
                Some(ind) => {
                    notes.indicators.insert(
                        ind,
                        IndicatorNote {
                            deviation_reason: r.try_get(1)?,
                            remedy: r.try_get(2)?,
                        },
                    );
                }
            }
        }
        Ok(out)
    }

    /// Every version of the notes of a declaration, oldest first: current, replaced, cleared.
    pub async fn notes_history(&self, id: DeclarationId) -> Result<Vec<NoteRecord>, StoreError> {
        self.note_records(id, false).await
    }

    async fn note_records(
        &self,
        id: DeclarationId,
        current_only: bool,
    ) -> Result<Vec<NoteRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT indicator_id, deviation_reason, remedy, annual_budget, is_current, recorded_at, \
                    recorded_by, ended_at, ended_by \
             FROM evaluation_notes WHERE declaration_id = $1{} ORDER BY id",
            if current_only { " AND is_current = 1" } else { "" }
        ))
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let ended_at: Option<String> = r.try_get(7)?;
                let ended_by: Option<String> = r.try_get(8)?;
                Ok(NoteRecord {
                    indicator_id: r.try_get(0)?,
                    deviation_reason: r.try_get(1)?,
                    remedy: r.try_get(2)?,
                    annual_budget: r.try_get::<Option<i64>, _>(3)?.map(yuan),
                    current: r.try_get::<i64, _>(4)? == 1,
                    recorded_at: r.try_get(5)?,
                    recorded_by: r.try_get(6)?,
                    ended: ended_at.zip(ended_by),
                })
            })
            .collect()
    }

    /// Replaces the self-evaluation notes of a declaration by `notes` (an indicator absent
    /// from `notes` has none afterwards). Only what changed is written: a replaced row stays as
    /// history; one audit row lists the changes (none when nothing changed). Returns whether
    /// anything changed.
    pub async fn set_notes(
        &self,
        id: DeclarationId,
        notes: &EvaluationNotes,
        by: &str,
    ) -> Result<bool, StoreError> {
        let budget = notes
            .annual_budget
            .map(|b| fen(b, "全年预算数 / annual budget"))
            .transpose()?;
        let mut tx = self.write_tx().await?;
        let at = now();
        // Lock the declaration's row first: two people saving notes at once are serialized,
        // and the second one compares with what the first one left.
        sqlx::query("UPDATE declarations SET updated_at = updated_at WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        state_in(&mut tx, id).await?;
        let rows = sqlx::query(
            "SELECT id, indicator_id, deviation_reason, remedy, annual_budget FROM evaluation_notes \
             WHERE declaration_id = $1 AND is_current = 1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        type Old = (i64, IndicatorNote, Option<i64>);
        let mut old: BTreeMap<Option<IndicatorId>, Old> = BTreeMap::new();
        for r in &rows {
            old.insert(
                r.try_get(1)?,
                (
                    r.try_get(0)?,
                    IndicatorNote {
                        deviation_reason: r.try_get(2)?,
                        remedy: r.try_get(3)?,
                    },
                    r.try_get(4)?,
                ),
            );
        }
        let mut wanted: BTreeMap<Option<IndicatorId>, (IndicatorNote, Option<i64>)> =
            BTreeMap::new();
        if budget.is_some() {
            wanted.insert(None, (IndicatorNote::default(), budget));
        }
        for (ind, n) in &notes.indicators {
            let n = IndicatorNote {
                deviation_reason: clean(&n.deviation_reason),
                remedy: clean(&n.remedy),
            };
            if !n.is_empty() {
                wanted.insert(Some(*ind), (n, None));
            }
        }
        let mut before = Vec::new();
        let mut after = Vec::new();
        let keys: std::collections::BTreeSet<Option<IndicatorId>> =
            old.keys().chain(wanted.keys()).copied().collect();
        for key in keys {
            let o = old.get(&key);
            let w = wanted.get(&key);
            if o.map(|(_, n, b)| (n, b)) == w.map(|(n, b)| (n, b)) {
                continue;
            }
            if let Some((row, n, b)) = o {
                sqlx::query(
                    "UPDATE evaluation_notes SET is_current = 0, ended_at = $1, ended_by = $2 WHERE id = $3",
                )
                .bind(&at)
                .bind(by)
                .bind(row)
                .execute(&mut *tx)
                .await?;
                before.push(note_json(key, n, *b));
            }
            if let Some((n, b)) = w {
                if let Some(ind) = key {
                    let owner: Option<i64> =
                        sqlx::query("SELECT declaration_id FROM indicators WHERE id = $1")
                            .bind(ind)
                            .fetch_optional(&mut *tx)
                            .await?
                            .map(|r| r.try_get(0))
                            .transpose()?;
                    if owner != Some(id) {
                        return Err(StoreError::NotFound {
                            zh: format!("申报项目 {id} 没有编号为 {ind} 的指标"),
                            en: format!("declaration {id} has no indicator with id {ind}"),
                        });
                    }
                }
                sqlx::query(
                    "INSERT INTO evaluation_notes (declaration_id, indicator_id, deviation_reason, remedy, annual_budget, is_current, recorded_at, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
                )
                .bind(id)
                .bind(key)
                .bind(n.deviation_reason.as_deref())
                .bind(n.remedy.as_deref())
                .bind(*b)
                .bind(&at)
                .bind(by)
                .execute(&mut *tx)
                .await?;
                after.push(note_json(key, n, *b));
            }
        }
        if before.is_empty() && after.is_empty() {
            tx.rollback().await?;
            return Ok(false);
        }
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "notes",
                entity: "evaluation_notes",
                entity_id: Some(id),
                declaration_id: Some(id),
                summary: format!(
                    "自评说明：改动 {} 项（偏差原因、改进措施、全年预算数）",
                    before.len().max(after.len())
                ),
                before: Some(json!(before)),
                after: Some(json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn note_json(
    key: Option<IndicatorId>,
    n: &IndicatorNote,
    budget: Option<i64>,
) -> serde_json::Value {
    match key {
        None => json!({ "annual_budget": budget.map(|b| yuan(b).to_string()) }),
        Some(i) => json!({
            "indicator_id": i, "deviation_reason": n.deviation_reason, "remedy": n.remedy,
        }),
    }
}

/// Who wrote the current version, when, and what changed since `base`.
async fn stale_edit(
    tx: &mut Transaction<'_, Any>,
    id: DeclarationId,
    base: i64,
    current: i64,
) -> Result<StaleEdit, StoreError> {
    let rows = sqlx::query(
        "SELECT version, document, created_by, created_at FROM declaration_versions \
         WHERE declaration_id = $1 AND (version = $2 OR version = $3) ORDER BY version",
    )
    .bind(id)
    .bind(base)
    .bind(current)
    .fetch_all(&mut **tx)
    .await?;
    let mut base_p: Option<Project> = None;
    let mut cur: Option<(Project, String, String)> = None;
    for r in &rows {
        let v: i64 = r.try_get(0)?;
        let p: Project = serde_json::from_str(&r.try_get::<String, _>(1)?).map_err(corrupt)?;
        if v == current {
            cur = Some((p, r.try_get(2)?, r.try_get(3)?));
        } else {
            base_p = Some(p);
        }
    }
    let (cur, saved_by, saved_at) =
        cur.ok_or_else(|| corrupt(format!("declaration {id} has no version {current}")))?;
    // A base version that never existed: everything of the current version is "new".
    let base_p = base_p.unwrap_or_else(|| Project {
        indicators: Vec::new(),
        ..cur.clone()
    });
    let pairs = match_indicators(&base_p.indicators, &cur.indicators);
    let diff = diff_indicators(&base_p.indicators, &cur.indicators, &pairs);
    Ok(StaleEdit {
        base_version: base,
        current_version: current,
        saved_by,
        saved_at,
        change: ProjectChange {
            id,
            key: cur.key(),
            version: current,
            renamed_from: (base_p.name != cur.name).then(|| base_p.name.clone()),
            indicators: diff,
            funds: (base_p.funds.total != cur.funds.total)
                .then_some((base_p.funds.total, cur.funds.total)),
            orphaned_actuals: 0,
            kind_changed_actuals: 0,
        },
    })
}
