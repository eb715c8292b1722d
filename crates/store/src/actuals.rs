//! 实际完成值 and 执行数 with identity: one current row per key, replaced and retracted rows
//! kept as history, every change in the audit table.

use std::collections::BTreeMap;
use std::str::FromStr;

use jixiao_model::{
    present, DeclarationId, IndicatorId, Lang, NaiveDate, Observation, ObservedValue, ReportPeriod,
    SpendingRecord,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::audit::{write_audit, Change};
use crate::declarations::{id_list, not_found};
use crate::rows::{fen, yuan};
use crate::{corrupt, now, Store, StoreError};

/// What recording a batch of rows did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordSummary {
    /// Rows for keys that had no current value.
    pub added: usize,
    /// Rows that replaced a different current value (the old one is kept as history).
    pub replaced: usize,
    /// Rows equal to the current value: nothing changed.
    pub unchanged: usize,
}

/// The current actual values of a declaration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActualSet {
    /// Values of indicators the current version has; `indicator` is the current code.
    pub current: Vec<Observation>,
    /// Values of indicators the current version no longer has: kept, to be reported.
    pub orphans: Vec<Orphan>,
}

/// An actual value whose indicator was removed from the declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The indicator's stable id.
    pub indicator_id: IndicatorId,
    /// 三级指标 as last declared.
    pub name: String,
    /// The value; `indicator` is the code the indicator last had.
    pub observation: Observation,
}

/// One row of the history of actual values or spending: current, replaced or retracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Row id.
    pub id: i64,
    /// The key: `indicator_id/period` for an actual value, `date/voucher-or-note` for spending.
    pub key: String,
    /// The value as recorded (`{"kind":"number",...}` JSON, or the amount in 元).
    pub value: String,
    /// 说明.
    pub note: Option<String>,
    /// When and by whom it was recorded.
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// Whether it is the current value of its key.
    pub current: bool,
    /// `replaced` or `retracted: <reason>` when no longer current.
    pub ended: Option<String>,
}

/// The key of a spending record within its declaration: its voucher, else its note.
fn spending_key(r: &SpendingRecord) -> String {
    match (&r.voucher, &r.note) {
        (Some(v), _) if !v.trim().is_empty() => format!("v:{}", v.trim()),
        (_, Some(n)) if !n.trim().is_empty() => format!("n:{}", n.trim()),
        _ => String::new(),
    }
}

/// A history row: columns 0 (id) and 4–8 (note, recorded_at, recorded_by, is_current,
/// end_reason) are the same in both history queries; key and value are the caller's.
fn history_entry(r: &AnyRow, key: String, value: String) -> Result<HistoryEntry, StoreError> {
    Ok(HistoryEntry {
        id: r.try_get(0)?,
        key,
        value,
        note: r.try_get(4)?,
        recorded_at: r.try_get(5)?,
        recorded_by: r.try_get(6)?,
        current: r.try_get::<i64, _>(7)? == 1,
        ended: r.try_get(8)?,
    })
}

fn observation_json(id: IndicatorId, o: &Observation) -> serde_json::Value {
    json!({
        "indicator_id": id,
        "code": o.indicator,
        "period": o.period.to_string(),
        "date": o.date.to_string(),
        "value": o.value,
        "note": o.note,
        "evidence": o.evidence,
    })
}

fn spending_json(r: &SpendingRecord) -> serde_json::Value {
    json!({
        "date": r.date.to_string(),
        "amount": r.amount.to_string(),
        "voucher": r.voucher,
        "note": r.note,
    })
}

/// Locks the rows of these declarations (in id order, so that two writers never wait for each
/// other) until the transaction ends: writers of the same actual values, spending or notes are
/// serialised, and each reads what the one before it left (PostgreSQL; on SQLite the write
/// transaction holds the database's write lock already).
pub(crate) async fn lock_declarations(
    tx: &mut Transaction<'_, Any>,
    mut ids: Vec<DeclarationId>,
) -> Result<(), StoreError> {
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        sqlx::query("UPDATE declarations SET updated_at = updated_at WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn declaration_of_indicator(
    tx: &mut Transaction<'_, Any>,
    id: IndicatorId,
) -> Result<i64, StoreError> {
    let r = sqlx::query("SELECT declaration_id FROM indicators WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    match r {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::NotFound {
            zh: format!("没有编号为 {id} 的指标"),
            en: format!("no indicator with id {id}"),
        }),
    }
}

async fn end_row(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    id: i64,
    at: &str,
    by: &str,
    reason: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE {table} SET is_current = 0, ended_at = $1, ended_by = $2, end_reason = $3 WHERE id = $4"
    ))
    .bind(at)
    .bind(by)
    .bind(reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Records actual values, all or nothing. A value for an (indicator, period) that has one
    /// replaces it (kept as history) unless equal; `source` names the file or command.
    pub async fn record_observations(
        &self,
        rows: &[(IndicatorId, Observation)],
        source: &str,
        by: &str,
    ) -> Result<RecordSummary, StoreError> {
        self.retrying(|| async move {
            let mut tx = self.write_tx().await?;
            let summary = record_observations_in(&mut tx, rows, source, by, &now()).await?;
            tx.commit().await?;
            Ok(summary)
        })
        .await
    }

    /// The current actual values of a declaration (by date, then entry order), resolved to the
    /// current version's codes; values of removed indicators come back as orphans.
    pub async fn observations(&self, declaration: DeclarationId) -> Result<ActualSet, StoreError> {
        let mut conn = self.pool().acquire().await?;
        observations_in(&mut conn, declaration).await
    }

    /// [`Store::observations`] of several declarations in one query; a declaration without
    /// values has no entry.
    pub async fn observations_of(
        &self,
        ids: &[DeclarationId],
    ) -> Result<BTreeMap<DeclarationId, ActualSet>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        observations_of_in(&mut conn, ids).await
    }

    /// Every actual value ever recorded for a declaration, current or not, by key then age.
    pub async fn observation_history(
        &self,
        declaration: DeclarationId,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.indicator_id, a.period, a.value, a.note, a.recorded_at, a.recorded_by, \
                    a.is_current, a.end_reason \
             FROM actual_values a JOIN indicators i ON i.id = a.indicator_id \
             WHERE i.declaration_id = $1 ORDER BY a.indicator_id, a.period, a.id",
        )
        .bind(declaration)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                history_entry(
                    r,
                    format!("{}/{}", r.try_get::<i64, _>(1)?, r.try_get::<String, _>(2)?),
                    r.try_get(3)?,
                )
            })
            .collect()
    }

    /// Retracts the current actual value of (indicator, period), with a reason; it stays in
    /// the history. [`StoreError::NotFound`] when there is none.
    pub async fn retract_observation(
        &self,
        indicator: IndicatorId,
        period: ReportPeriod,
        reason: &str,
        by: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let declaration = declaration_of_indicator(&mut tx, indicator).await?;
        lock_declarations(&mut tx, vec![declaration]).await?;
        let r = sqlx::query(
            "SELECT id, observed_on, value, note FROM actual_values WHERE indicator_id = $1 AND period = $2 AND is_current = 1",
        )
        .bind(indicator)
        .bind(period.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            zh: format!("该指标在 {} 没有实际完成值", period.zh()),
            en: format!("the indicator has no actual value for {period}"),
        })?;
        let row_id: i64 = r.try_get(0)?;
        end_row(
            &mut tx,
            "actual_values",
            row_id,
            &at,
            by,
            &format!("retracted: {reason}"),
        )
        .await?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "retract_actual",
                entity: "actual_value",
                entity_id: Some(row_id),
                declaration_id: Some(declaration),
                summary: format!("撤回实际完成值（{}）：{reason}", period.zh()),
                before: Some(json!({
                    "indicator_id": indicator,
                    "period": period.to_string(),
                    "date": r.try_get::<String, _>(1)?,
                    "value": serde_json::from_str::<serde_json::Value>(&r.try_get::<String, _>(2)?).map_err(corrupt)?,
                    "note": r.try_get::<Option<String>, _>(3)?,
                })),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records spending, all or nothing. A record for an existing (declaration, date,
    /// voucher-or-note) replaces it (kept as history) unless equal.
    pub async fn record_spending(
        &self,
        records: &[(DeclarationId, SpendingRecord)],
        source: &str,
        by: &str,
    ) -> Result<RecordSummary, StoreError> {
        self.retrying(|| async move {
            let mut tx = self.write_tx().await?;
            let summary = record_spending_in(&mut tx, records, source, by, &now()).await?;
            tx.commit().await?;
            Ok(summary)
        })
        .await
    }

    /// The current spending of a declaration, by date then entry order.
    pub async fn spending(
        &self,
        declaration: DeclarationId,
    ) -> Result<Vec<SpendingRecord>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        spending_in(&mut conn, declaration).await
    }

    /// [`Store::spending`] of several declarations in one query; a declaration without
    /// spending has no entry.
    pub async fn spending_of(
        &self,
        ids: &[DeclarationId],
    ) -> Result<BTreeMap<DeclarationId, Vec<SpendingRecord>>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        spending_of_in(&mut conn, ids).await
    }

    /// Every spending record ever entered for a declaration, current or not.
    pub async fn spending_history(
        &self,
        declaration: DeclarationId,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, spent_on, record_key, amount, note, recorded_at, recorded_by, is_current, end_reason \
             FROM spending_records WHERE declaration_id = $1 ORDER BY spent_on, record_key, id",
        )
        .bind(declaration)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                history_entry(
                    r,
                    format!(
                        "{}/{}",
                        r.try_get::<String, _>(1)?,
                        r.try_get::<String, _>(2)?
                    ),
                    yuan(r.try_get(3)?).to_string(),
                )
            })
            .collect()
    }

    /// Retracts the current spending record of (declaration, date, voucher or note), with a
    /// reason; it stays in the history.
    pub async fn retract_spending(
        &self,
        declaration: DeclarationId,
        date: NaiveDate,
        voucher: Option<&str>,
        note: Option<&str>,
        reason: &str,
        by: &str,
    ) -> Result<SpendingRecord, StoreError> {
        let probe = SpendingRecord {
            date,
            amount: Default::default(),
            voucher: voucher.map(str::to_string),
            note: note.map(str::to_string),
        };
        let key = spending_key(&probe);
        let mut tx = self.write_tx().await?;
        let at = now();
        lock_declarations(&mut tx, vec![declaration]).await?;
        let r = sqlx::query(
            "SELECT id, amount, voucher, note FROM spending_records \
             WHERE declaration_id = $1 AND spent_on = $2 AND record_key = $3 AND is_current = 1",
        )
        .bind(declaration)
        .bind(date.to_string())
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            zh: format!("{date} 没有这条支出记录（凭证号或说明须与录入时一致；用 spending list 查看）"),
            en: format!("no such spending record on {date} (the voucher or note must match; see spending list)"),
        })?;
        let row_id: i64 = r.try_get(0)?;
        let old = SpendingRecord {
            date,
            amount: yuan(r.try_get(1)?),
            voucher: r.try_get(2)?,
            note: r.try_get(3)?,
        };
        end_row(
            &mut tx,
            "spending_records",
            row_id,
            &at,
            by,
            &format!("retracted: {reason}"),
        )
        .await?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "retract_spending",
                entity: "spending",
                entity_id: Some(row_id),
                declaration_id: Some(declaration),
                summary: format!(
                    "撤回支出 {} {}：{reason}",
                    present::date(date, Lang::Zh),
                    present::money(old.amount, Lang::Zh)
                ),
                before: Some(spending_json(&old)),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(old)
    }
}

/// [`Store::record_observations`] inside a transaction.
pub(crate) async fn record_observations_in(
    tx: &mut Transaction<'_, Any>,
    rows: &[(IndicatorId, Observation)],
    source: &str,
    by: &str,
    at: &str,
) -> Result<RecordSummary, StoreError> {
    let mut summary = RecordSummary::default();
    let mut declarations = Vec::with_capacity(rows.len());
    for (id, _) in rows {
        declarations.push(declaration_of_indicator(tx, *id).await?);
    }
    lock_declarations(tx, declarations.clone()).await?;
    for ((id, o), declaration) in rows.iter().zip(declarations) {
        let period = o.period.to_string();
        let value = serde_json::to_string(&o.value).map_err(corrupt)?;
        let existing = sqlx::query(
            "SELECT id, observed_on, value, note, evidence FROM actual_values \
                 WHERE indicator_id = $1 AND period = $2 AND is_current = 1",
        )
        .bind(*id)
        .bind(&period)
        .fetch_optional(&mut **tx)
        .await?;
        let before = match existing {
            Some(r) => {
                let old = Observation {
                    indicator: o.indicator.clone(),
                    period: o.period,
                    date: NaiveDate::from_str(&r.try_get::<String, _>(1)?).map_err(corrupt)?,
                    value: serde_json::from_str(&r.try_get::<String, _>(2)?).map_err(corrupt)?,
                    note: r.try_get(3)?,
                    evidence: r.try_get(4)?,
                };
                if &old == o {
                    summary.unchanged += 1;
                    continue;
                }
                end_row(tx, "actual_values", r.try_get(0)?, at, by, "replaced").await?;
                Some(old)
            }
            None => None,
        };
        let row_id: i64 = sqlx::query(
                "INSERT INTO actual_values (indicator_id, period, observed_on, value, note, evidence, source, is_current, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
            )
            .bind(*id)
            .bind(&period)
            .bind(o.date.to_string())
            .bind(value)
            .bind(o.note.as_deref())
            .bind(o.evidence.as_deref())
            .bind(source)
            .bind(at)
            .bind(by)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
        let (action, verb) = if before.is_some() {
            summary.replaced += 1;
            ("correct_actual", "更正")
        } else {
            summary.added += 1;
            ("record_actual", "录入")
        };
        write_audit(
            tx,
            &Change {
                at,
                actor: by,
                action,
                entity: "actual_value",
                entity_id: Some(row_id),
                declaration_id: Some(declaration),
                summary: format!("{verb}实际完成值：指标 {} {}", o.indicator, o.period.zh()),
                before: before.as_ref().map(|b| observation_json(*id, b)),
                after: Some(observation_json(*id, o)),
            },
        )
        .await?;
    }
    Ok(summary)
}

/// [`Store::record_spending`] inside a transaction.
pub(crate) async fn record_spending_in(
    tx: &mut Transaction<'_, Any>,
    records: &[(DeclarationId, SpendingRecord)],
    source: &str,
    by: &str,
    at: &str,
) -> Result<RecordSummary, StoreError> {
    let mut summary = RecordSummary::default();
    lock_declarations(tx, records.iter().map(|(d, _)| *d).collect()).await?;
    for (declaration, s) in records {
        let amount = fen(s.amount, "支出金额")?;
        let key = spending_key(s);
        let existing = sqlx::query(
                "SELECT id, amount, voucher, note FROM spending_records \
                 WHERE declaration_id = $1 AND spent_on = $2 AND record_key = $3 AND is_current = 1",
            )
            .bind(*declaration)
            .bind(s.date.to_string())
            .bind(&key)
            .fetch_optional(&mut **tx)
            .await?;
        let before = match existing {
            Some(r) => {
                let old = SpendingRecord {
                    date: s.date,
                    amount: yuan(r.try_get(1)?),
                    voucher: r.try_get(2)?,
                    note: r.try_get(3)?,
                };
                if old.amount == s.amount && old.voucher == s.voucher && old.note == s.note {
                    summary.unchanged += 1;
                    continue;
                }
                end_row(tx, "spending_records", r.try_get(0)?, at, by, "replaced").await?;
                Some(old)
            }
            None => None,
        };
        let row_id: i64 = sqlx::query(
                "INSERT INTO spending_records (declaration_id, spent_on, record_key, voucher, note, amount, source, is_current, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
            )
            .bind(*declaration)
            .bind(s.date.to_string())
            .bind(&key)
            .bind(s.voucher.as_deref())
            .bind(s.note.as_deref())
            .bind(amount)
            .bind(source)
            .bind(at)
            .bind(by)
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(d) if d.message().contains("FOREIGN KEY") || d.message().contains("foreign key") => not_found(*declaration),
                other => other.into(),
            })?
            .try_get(0)?;
        let (action, verb) = if before.is_some() {
            summary.replaced += 1;
            ("correct_spending", "更正")
        } else {
            summary.added += 1;
            ("record_spending", "录入")
        };
        write_audit(
            tx,
            &Change {
                at,
                actor: by,
                action,
                entity: "spending",
                entity_id: Some(row_id),
                declaration_id: Some(*declaration),
                summary: format!(
                    "{verb}支出 {} {}",
                    present::date(s.date, Lang::Zh),
                    present::money(s.amount, Lang::Zh)
                ),
                before: before.as_ref().map(spending_json),
                after: Some(spending_json(s)),
            },
        )
        .await?;
    }
    Ok(summary)
}

/// [`Store::observations`] on a connection (or inside a transaction).
pub(crate) async fn observations_in(
    conn: &mut AnyConnection,
    declaration: DeclarationId,
) -> Result<ActualSet, StoreError> {
    Ok(observations_of_in(conn, &[declaration])
        .await?
        .remove(&declaration)
        .unwrap_or_default())
}

/// [`Store::observations_of`] on a connection: one query for all `ids`.
pub(crate) async fn observations_of_in(
    conn: &mut AnyConnection,
    ids: &[DeclarationId],
) -> Result<BTreeMap<DeclarationId, ActualSet>, StoreError> {
    let mut sets: BTreeMap<DeclarationId, ActualSet> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(sets);
    }
    // Each value's code in its declaration's current version (none: an orphan), else the code
    // and name its indicator last had. Integers only in the list.
    let rows = sqlx::query(&format!(
        "SELECT a.indicator_id, a.period, a.observed_on, a.value, a.note, a.evidence, vi.code, \
                (SELECT l.code FROM version_indicators l WHERE l.indicator_id = a.indicator_id ORDER BY l.version_id DESC LIMIT 1), \
                (SELECT l.name FROM version_indicators l WHERE l.indicator_id = a.indicator_id ORDER BY l.version_id DESC LIMIT 1), \
                i.declaration_id \
         FROM actual_values a JOIN indicators i ON i.id = a.indicator_id \
         JOIN declarations d ON d.id = i.declaration_id \
         LEFT JOIN declaration_versions cv ON cv.declaration_id = d.id AND cv.version = d.current_version \
         LEFT JOIN version_indicators vi ON vi.indicator_id = a.indicator_id AND vi.version_id = cv.id \
         WHERE i.declaration_id IN ({}) AND a.is_current = 1 \
         ORDER BY i.declaration_id, a.observed_on, a.id",
        id_list(ids)
    ))
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let current_code: Option<String> = r.try_get(6)?;
        let last_code: Option<String> = r.try_get(7)?;
        let o = Observation {
            indicator: current_code.clone().or(last_code).unwrap_or_default(),
            period: ReportPeriod::from_str(&r.try_get::<String, _>(1)?).map_err(corrupt)?,
            date: NaiveDate::from_str(&r.try_get::<String, _>(2)?).map_err(corrupt)?,
            value: serde_json::from_str::<ObservedValue>(&r.try_get::<String, _>(3)?)
                .map_err(corrupt)?,
            note: r.try_get(4)?,
            evidence: r.try_get(5)?,
        };
        let set = sets.entry(r.try_get(9)?).or_default();
        if current_code.is_some() {
            set.current.push(o);
        } else {
            set.orphans.push(Orphan {
                indicator_id: r.try_get(0)?,
                name: r.try_get::<Option<String>, _>(8)?.unwrap_or_default(),
                observation: o,
            });
        }
    }
    Ok(sets)
}

/// [`Store::spending`] on a connection (or inside a transaction).
pub(crate) async fn spending_in(
    conn: &mut AnyConnection,
    declaration: DeclarationId,
) -> Result<Vec<SpendingRecord>, StoreError> {
    Ok(spending_of_in(conn, &[declaration])
        .await?
        .remove(&declaration)
        .unwrap_or_default())
}

/// [`Store::spending_of`] on a connection: one query for all `ids`.
pub(crate) async fn spending_of_in(
    conn: &mut AnyConnection,
    ids: &[DeclarationId],
) -> Result<BTreeMap<DeclarationId, Vec<SpendingRecord>>, StoreError> {
    let mut out: BTreeMap<DeclarationId, Vec<SpendingRecord>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = sqlx::query(&format!(
        "SELECT spent_on, amount, voucher, note, declaration_id FROM spending_records \
         WHERE declaration_id IN ({}) AND is_current = 1 ORDER BY declaration_id, spent_on, id",
        id_list(ids)
    ))
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        out.entry(r.try_get(4)?).or_default().push(SpendingRecord {
            date: NaiveDate::from_str(&r.try_get::<String, _>(0)?).map_err(corrupt)?,
            amount: yuan(r.try_get(1)?),
            voucher: r.try_get(2)?,
            note: r.try_get(3)?,
        });
    }
    Ok(out)
}
