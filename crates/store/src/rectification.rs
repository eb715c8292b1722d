//! 整改 — the rows of rectifications (`rectifications`, schema 0010): open one on a declaration's
//! finding, read them (who may see which is the declaration's [`Visibility`], in SQL), change one
//! (its version checked in the `UPDATE` itself, so of two concurrent changes of one version
//! exactly one is written), and count the open and overdue ones per unit. Every write is one
//! transaction with its audit row (entity `rectification`, the declaration named).

use jixiao_model::{
    DeclarationId, FindingSource, NaiveDate, Progress, Rectification, RectificationOwner,
    RectificationStatus, SourceFinding,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{write_audit, Change};
use crate::listing::{Bind, Where};
use crate::{corrupt, now, Store, StoreError, Visibility};

/// A rectification to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRectification {
    /// The declaration it concerns.
    pub declaration_id: DeclarationId,
    /// The finding it acts on.
    pub finding: SourceFinding,
    /// 责任人 / 责任单位.
    pub owner: RectificationOwner,
    /// 整改期限.
    pub deadline: NaiveDate,
    /// 整改措施 (may be empty: the unit writes it).
    pub measure: String,
}

/// What a change writes: the fields a rectification's people may change, all given (the
/// caller starts from the stored one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationFields {
    /// 责任人 / 责任单位.
    pub owner: RectificationOwner,
    /// 整改期限.
    pub deadline: NaiveDate,
    /// 整改措施.
    pub measure: String,
    /// 整改佐证.
    pub evidence: String,
    /// 待整改 / 整改中 / 已完成.
    pub progress: Progress,
}

impl RectificationFields {
    /// The fields of a stored rectification.
    pub fn of(r: &Rectification) -> RectificationFields {
        RectificationFields {
            owner: r.owner.clone(),
            deadline: r.deadline,
            measure: r.measure.clone(),
            evidence: r.evidence.clone(),
            progress: r.progress,
        }
    }
}

/// Which rectifications to list: the visible ones, narrowed by each filter that is set, in id
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationQuery {
    /// Whose declarations' rectifications may be seen.
    pub visible: Visibility,
    /// One declaration's.
    pub declaration: Option<DeclarationId>,
    /// 实施单位 (trimmed).
    pub unit: Option<String>,
    /// 主管部门 (trimmed).
    pub department: Option<String>,
    /// Status on `today`.
    pub status: Option<RectificationStatus>,
    /// Only those not 已完成.
    pub pending: bool,
    /// The day the status is read for (逾期 after the deadline).
    pub today: NaiveDate,
}

/// Open and overdue rectifications of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationCount {
    /// 主管部门.
    pub department: Option<String>,
    /// 实施单位.
    pub unit: String,
    /// Not 已完成 (逾期 included).
    pub open: i64,
    /// 逾期.
    pub overdue: i64,
    /// 已完成.
    pub done: i64,
}

const COLUMNS: &str = "r.id, r.declaration_id, d.year, d.name, d.unit, d.department, r.source, \
    r.rule, r.indicator_id, r.indicator, r.finding_zh, r.finding_en, r.owner_kind, r.owner, \
    r.deadline, r.measure, r.evidence, r.progress, r.opened_by, r.opened_at, r.updated_by, \
    r.updated_at, r.closed_by, r.closed_at, r.version";

const FROM: &str = "FROM rectifications r JOIN declarations d ON d.id = r.declaration_id";

fn from_row(r: &AnyRow) -> Result<Rectification, StoreError> {
    let text = |i: usize| -> Result<String, StoreError> { Ok(r.try_get::<String, _>(i)?) };
    let source = text(6)?;
    let (kind, owner) = (text(12)?, text(13)?);
    let deadline = text(14)?;
    let progress = text(17)?;
    Ok(Rectification {
        id: r.try_get(0)?,
        declaration_id: r.try_get(1)?,
        year: i32::try_from(r.try_get::<i64, _>(2)?).map_err(corrupt)?,
        project: text(3)?,
        unit: text(4)?,
        department: r.try_get(5)?,
        finding: SourceFinding {
            source: FindingSource::from_id(&source)
                .ok_or_else(|| corrupt(format!("source {source:?}")))?,
            rule: text(7)?,
            indicator_id: r.try_get(8)?,
            indicator: r.try_get(9)?,
            text_zh: text(10)?,
            text_en: text(11)?,
        },
        owner: RectificationOwner::from_parts(&kind, &owner)
            .ok_or_else(|| corrupt(format!("owner kind {kind:?}")))?,
        deadline: deadline
            .parse()
            .map_err(|_| corrupt(format!("deadline {deadline:?}")))?,
        measure: text(15)?,
        evidence: text(16)?,
        progress: Progress::from_id(&progress)
            .ok_or_else(|| corrupt(format!("progress {progress:?}")))?,
        opened_by: text(18)?,
        opened_at: text(19)?,
        updated_by: text(20)?,
        updated_at: text(21)?,
        closed_by: r.try_get(22)?,
        closed_at: r.try_get(23)?,
        version: r.try_get(24)?,
    })
}

async fn by_id(
    tx: &mut Transaction<'_, Any>,
    id: i64,
) -> Result<Option<Rectification>, StoreError> {
    sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

fn no_rectification(id: i64) -> StoreError {
    StoreError::NotFound {
        zh: format!("没有编号为 {id} 的整改事项"),
        en: format!("no rectification with id {id}"),
    }
}

/// The WHERE clause of a query: visibility, filters, and the status on the day.
fn where_of(q: &RectificationQuery) -> Where {
    let mut w = Where::default();
    w.visible(&q.visible);
    if let Some(id) = q.declaration {
        let p = w.param(Bind::Int(id));
        w.terms.push(format!("r.declaration_id = {p}"));
    }
    if let Some(u) = &q.unit {
        let p = w.param(Bind::Text(u.trim().to_string()));
        w.terms.push(format!("TRIM(d.unit) = {p}"));
    }
    if let Some(dep) = &q.department {
        let p = w.param(Bind::Text(dep.trim().to_string()));
        w.terms.push(format!("TRIM(d.department) = {p}"));
    }
    if q.pending {
        w.terms.push("r.progress <> 'done'".into());
    }
    if let Some(s) = q.status {
        let today = w.param(Bind::Text(q.today.to_string()));
        w.terms.push(match s {
            RectificationStatus::Done => "r.progress = 'done'".into(),
            RectificationStatus::Overdue => {
                format!("r.progress <> 'done' AND r.deadline < {today}")
            }
            RectificationStatus::Open => {
                format!("r.progress = 'open' AND r.deadline >= {today}")
            }
            RectificationStatus::InProgress => {
                format!("r.progress = 'in_progress' AND r.deadline >= {today}")
            }
        });
    }
    w
}

impl Store {
    /// Opens a rectification on a declaration's finding, with its audit row; refused
    /// ([`StoreError::Conflict`]) while one on the same finding (source, rule, indicator) is not
    /// completed.
    pub async fn open_rectification(
        &self,
        new: &NewRectification,
        by: &str,
    ) -> Result<Rectification, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let exists = sqlx::query("SELECT id FROM declarations WHERE id = $1")
            .bind(new.declaration_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(crate::declarations::not_found(new.declaration_id));
        }
        let f = &new.finding;
        let open: Vec<(i64, Option<i64>)> = sqlx::query(
            "SELECT id, indicator_id FROM rectifications \
             WHERE declaration_id = $1 AND source = $2 AND rule = $3 AND progress <> 'done'",
        )
        .bind(new.declaration_id)
        .bind(f.source.id())
        .bind(f.rule.as_str())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, StoreError>>()?;
        if let Some((other, _)) = open.iter().find(|(_, i)| *i == f.indicator_id) {
            return Err(StoreError::Conflict {
                zh: format!("这条意见已有未完成的整改事项（编号 {other}），未重复建立"),
                en: format!(
                    "this finding already has a rectification that is not completed (id {other}); none was added"
                ),
            });
        }
        let id: i64 = sqlx::query(
            "INSERT INTO rectifications (declaration_id, source, rule, indicator_id, indicator, \
             finding_zh, finding_en, owner_kind, owner, deadline, measure, evidence, progress, \
             opened_by, opened_at, updated_by, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', 'open', $12, $13, $12, $13, 1) \
             RETURNING id",
        )
        .bind(new.declaration_id)
        .bind(f.source.id())
        .bind(f.rule.as_str())
        .bind(f.indicator_id)
        .bind(f.indicator.clone())
        .bind(f.text_zh.as_str())
        .bind(f.text_en.as_str())
        .bind(new.owner.kind())
        .bind(new.owner.name())
        .bind(new.deadline.to_string())
        .bind(new.measure.as_str())
        .bind(by)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let r = by_id(&mut tx, id)
            .await?
            .ok_or_else(|| no_rectification(id))?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "open_rectification",
                entity: "rectification",
                entity_id: Some(id),
                declaration_id: Some(r.declaration_id),
                summary: format!(
                    "建立整改事项（{}「{}」），期限 {}",
                    f.source.zh(),
                    f.rule,
                    r.deadline
                ),
                before: None,
                after: Some(json!(r)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// One rectification.
    pub async fn rectification(&self, id: i64) -> Result<Option<Rectification>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let r = by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// The rectifications a query selects, by deadline then id.
    pub async fn rectifications(
        &self,
        q: &RectificationQuery,
    ) -> Result<Vec<Rectification>, StoreError> {
        let w = where_of(q);
        let sql = format!(
            "SELECT {COLUMNS} {FROM}{} ORDER BY r.deadline, r.id",
            w.sql()
        );
        w.bind(sqlx::query(&sql))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// Changes rectification `id` read at `expected_version` to `fields` (已完成 records who
    /// and when; leaving it clears them), with its audit row holding before and after; equal
    /// fields change nothing. Another change since `expected_version` is
    /// [`StoreError::Conflict`] (checked by the `UPDATE` itself).
    pub async fn update_rectification(
        &self,
        id: i64,
        expected_version: i64,
        fields: &RectificationFields,
        by: &str,
    ) -> Result<Rectification, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let old = by_id(&mut tx, id)
            .await?
            .ok_or_else(|| no_rectification(id))?;
        let stale = |now: i64| {
            StoreError::Conflict {
            zh: format!(
                "整改事项（编号 {id}）已被他人修改（当前第 {now} 版，修改的是第 {expected_version} 版），本次未保存"
            ),
            en: format!(
                "rectification {id} was changed meanwhile (now version {now}, changed from version {expected_version}); nothing was saved"
            ),
        }
        };
        if old.version != expected_version {
            return Err(stale(old.version));
        }
        if RectificationFields::of(&old) == *fields {
            tx.commit().await?;
            return Ok(old);
        }
        let closing = fields.progress == Progress::Done;
        let (closed_by, closed_at) = match (closing, old.progress == Progress::Done) {
            (true, true) => (old.closed_by.clone(), old.closed_at.clone()),
            (true, false) => (Some(by.to_string()), Some(at.clone())),
            (false, _) => (None, None),
        };
        let done = sqlx::query(
            "UPDATE rectifications SET owner_kind = $1, owner = $2, deadline = $3, measure = $4, \
             evidence = $5, progress = $6, updated_by = $7, updated_at = $8, closed_by = $9, \
             closed_at = $10, version = version + 1 WHERE id = $11 AND version = $12",
        )
        .bind(fields.owner.kind())
        .bind(fields.owner.name())
        .bind(fields.deadline.to_string())
        .bind(fields.measure.as_str())
        .bind(fields.evidence.as_str())
        .bind(fields.progress.id())
        .bind(by)
        .bind(&at)
        .bind(closed_by)
        .bind(closed_at)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(stale(expected_version + 1));
        }
        let new = by_id(&mut tx, id)
            .await?
            .ok_or_else(|| no_rectification(id))?;
        let action = match (old.progress, new.progress) {
            (a, Progress::Done) if a != Progress::Done => "close_rectification",
            (Progress::Done, b) if b != Progress::Done => "reopen_rectification",
            _ => "update_rectification",
        };
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action,
                entity: "rectification",
                entity_id: Some(id),
                declaration_id: Some(new.declaration_id),
                summary: match action {
                    "close_rectification" => format!("整改事项（编号 {id}）验收完成"),
                    "reopen_rectification" => format!("整改事项（编号 {id}）重新打开"),
                    _ => format!("更新整改事项（编号 {id}，第 {} 版）", new.version),
                },
                before: Some(json!(old)),
                after: Some(json!(new)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Per visible unit with rectifications: how many are not completed, overdue on `today`,
    /// and completed; by department, then unit.
    pub async fn rectification_counts(
        &self,
        visible: &Visibility,
        today: NaiveDate,
    ) -> Result<Vec<RectificationCount>, StoreError> {
        let mut w = Where::default();
        w.visible(visible);
        let day = w.param(Bind::Text(today.to_string()));
        let sql = format!(
            "SELECT d.department, d.unit, \
             COUNT(CASE WHEN r.progress <> 'done' THEN 1 END), \
             COUNT(CASE WHEN r.progress <> 'done' AND r.deadline < {day} THEN 1 END), \
             COUNT(CASE WHEN r.progress = 'done' THEN 1 END) \
             {FROM}{} GROUP BY d.department, d.unit ORDER BY d.department, d.unit",
            w.sql()
        );
        w.bind(sqlx::query(&sql))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(RectificationCount {
                    department: r.try_get(0)?,
                    unit: r.try_get(1)?,
                    open: r.try_get(2)?,
                    overdue: r.try_get(3)?,
                    done: r.try_get(4)?,
                })
            })
            .collect()
    }
}
