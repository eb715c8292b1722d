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

/// What recording a batch of rows did: the counts, and what happened to each row in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordSummary {
    /// Rows for keys that had no current value.
    pub added: usize,
    /// Rows that replaced a different current value (the old one is kept as history).
    pub replaced: usize,
    /// Rows equal to the current value: nothing changed.
    pub unchanged: usize,
    /// One entry per row given, in the order given.
    pub outcomes: Vec<Recorded>,
}

/// What happened to one row: its row id (the new row's when added or corrected, the current
/// one's when unchanged) and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Row id of the record that is now current for the row.
    pub id: i64,
    /// 新增 / 更正（原值…） / 未变化.
    pub outcome: Outcome,
}

/// 新增, 更正 (with the value it replaced) or 未变化.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new record (新增).
    Added,
    /// A correction of a current record, which is kept as history (更正，原值…).
    Corrected(Was),
    /// Equal to the current record, or the same line of a file imported before (未变化).
    Unchanged,
}

/// The record a correction replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Was {
    /// An actual value.
    Actual(Box<Observation>),
    /// A spending record.
    Spending(SpendingRecord),
}

impl RecordSummary {
    fn push(&mut self, id: i64, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Corrected(_) => self.replaced += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
        self.outcomes.push(Recorded { id, outcome });
    }
}

/// How the rows of a spending batch without a 凭证号 are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendingRows {
    /// The lines of one file: a line is (date, amount, 说明, its occurrence among the file's
    /// lines with the same date, amount and 说明), so importing the same file again matches
    /// it line for line and changes nothing.
    File,
    /// Entries typed one by one (the browser, `spending add`): each is a new record unless
    /// its 凭证号 names a current one.
    Entries,
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

/// The 凭证号 of a record, if it has one.
fn voucher_of(r: &SpendingRecord) -> Option<&str> {
    r.voucher
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The key of a spending record within its declaration and date: `v:<凭证号>` when it has a
/// voucher (the same voucher is the same record: a correction), else
/// `a:<fen>#<occurrence>:n:<说明>` — a ledger never merges two of its lines, so two payments
/// of the same amount on the same day are two keys. Migration 0007 rewrote older keys so.
fn spending_key(r: &SpendingRecord, fen: i64, occurrence: usize) -> String {
    match voucher_of(r) {
        Some(v) => format!("v:{v}"),
        None => format!(
            "a:{fen}#{occurrence}:n:{}",
            r.note.as_deref().map_or("", str::trim)
        ),
    }
}

/// The prefix shared by the keys of records without a voucher of one (amount, 说明).
fn unvouchered_prefix(fen: i64) -> String {
    format!("a:{fen}#")
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

    /// Records spending, all or nothing. A record with the 凭证号 of a current one of that
    /// date replaces it (kept as history) unless equal; records without one are told apart
    /// as `rows` says, never merged.
    pub async fn record_spending(
        &self,
        records: &[(DeclarationId, SpendingRecord)],
        rows: SpendingRows,
        source: &str,
        by: &str,
    ) -> Result<RecordSummary, StoreError> {
        self.retrying(|| async move {
            let mut tx = self.write_tx().await?;
            let summary = record_spending_in(&mut tx, records, rows, source, by, &now()).await?;
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
    /// reason; it stays in the history. Without a voucher the 说明 must name one record: when
    /// several current records of that date have it (two payments of one day), the answer
    /// lists their ids, to retract by [`Store::retract_spending_row`].
    pub async fn retract_spending(
        &self,
        declaration: DeclarationId,
        date: NaiveDate,
        voucher: Option<&str>,
        note: Option<&str>,
        reason: &str,
        by: &str,
    ) -> Result<SpendingRecord, StoreError> {
        let voucher = voucher.map(str::trim).filter(|v| !v.is_empty());
        let note = note.map_or("", str::trim);
        let mut tx = self.write_tx().await?;
        lock_declarations(&mut tx, vec![declaration]).await?;
        let rows = sqlx::query(
            "SELECT id, amount, voucher, note, record_key FROM spending_records \
             WHERE declaration_id = $1 AND spent_on = $2 AND is_current = 1 ORDER BY id",
        )
        .bind(declaration)
        .bind(date.to_string())
        .fetch_all(&mut *tx)
        .await?;
        let mut hits = Vec::new();
        for r in &rows {
            let key: String = r.try_get(4)?;
            let matches = match voucher {
                Some(v) => key == format!("v:{v}"),
                None => {
                    !key.starts_with("v:")
                        && r.try_get::<Option<String>, _>(3)?
                            .as_deref()
                            .map_or("", str::trim)
                            == note
                }
            };
            if matches {
                hits.push((r.try_get::<i64, _>(0)?, yuan(r.try_get(1)?)));
            }
        }
        let row_id = match hits.as_slice() {
            [] => {
                return Err(StoreError::NotFound {
                    zh: format!("{date} 没有这条支出记录（凭证号或说明须与录入时一致；用 spending list 查看）"),
                    en: format!("no such spending record on {date} (the voucher or note must match; see spending list)"),
                })
            }
            [(id, _)] => *id,
            many => {
                let list = |lang| {
                    many.iter()
                        .map(|(id, a)| format!("#{id} {}", present::money(*a, lang)))
                        .collect::<Vec<_>>()
                };
                return Err(StoreError::Invalid {
                    zh: format!(
                        "{date} 有 {} 条说明相同的支出记录（{}），请按编号撤回",
                        many.len(),
                        list(Lang::Zh).join("、")
                    ),
                    en: format!(
                        "{} spending records on {date} have this note ({}); retract one by its id",
                        many.len(),
                        list(Lang::En).join(", ")
                    ),
                });
            }
        };
        let at = now();
        let old = retract_spending_in(&mut tx, declaration, row_id, reason, by, &at).await?;
        tx.commit().await?;
        Ok(old)
    }

    /// Retracts the current spending record with row id `id` of the declaration, with a
    /// reason; it stays in the history. [`StoreError::NotFound`] when `id` is not a current
    /// record of that declaration.
    pub async fn retract_spending_row(
        &self,
        declaration: DeclarationId,
        id: i64,
        reason: &str,
        by: &str,
    ) -> Result<SpendingRecord, StoreError> {
        let mut tx = self.write_tx().await?;
        lock_declarations(&mut tx, vec![declaration]).await?;
        let at = now();
        let old = retract_spending_in(&mut tx, declaration, id, reason, by, &at).await?;
        tx.commit().await?;
        Ok(old)
    }

    /// Corrects the current spending record with row id `id` of the declaration (an edit in
    /// the browser): the old one is kept as history, the new one keeps its place in the ledger
    /// (re-importing the file it came from leaves the correction standing) unless it now has a
    /// 凭证号. Equal: [`Outcome::Unchanged`].
    pub async fn correct_spending_row(
        &self,
        declaration: DeclarationId,
        id: i64,
        record: &SpendingRecord,
        source: &str,
        by: &str,
    ) -> Result<Recorded, StoreError> {
        let mut tx = self.write_tx().await?;
        lock_declarations(&mut tx, vec![declaration]).await?;
        let at = now();
        let (old, key) = current_spending_row(&mut tx, declaration, id).await?;
        if &old == record {
            return Ok(Recorded {
                id,
                outcome: Outcome::Unchanged,
            });
        }
        let amount = fen(record.amount, "支出金额")?;
        end_row(&mut tx, "spending_records", id, &at, by, "replaced").await?;
        let key = match voucher_of(record) {
            Some(_) => spending_key(record, amount, 0),
            None if record.date == old.date && !key.starts_with("v:") => key,
            None => {
                let next = last_occurrence(
                    &mut tx,
                    declaration,
                    record.date,
                    amount,
                    record.note.as_deref().map_or("", str::trim),
                )
                .await?
                    + 1;
                spending_key(record, amount, next)
            }
        };
        let row_id =
            insert_spending(&mut tx, declaration, record, &key, amount, source, by, &at).await?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "correct_spending",
                entity: "spending",
                entity_id: Some(row_id),
                declaration_id: Some(declaration),
                summary: format!(
                    "更正支出 {} {}（原值 {}）",
                    present::date(record.date, Lang::Zh),
                    present::money(record.amount, Lang::Zh),
                    present::money(old.amount, Lang::Zh)
                ),
                before: Some(spending_json(&old)),
                after: Some(spending_json(record)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Recorded {
            id: row_id,
            outcome: Outcome::Corrected(Was::Spending(old)),
        })
    }

    /// The current spending of a declaration with each record's row id (to correct or
    /// retract it by id), by date then entry order.
    pub async fn spending_rows(
        &self,
        declaration: DeclarationId,
    ) -> Result<Vec<(i64, SpendingRecord)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, spent_on, amount, voucher, note FROM spending_records \
             WHERE declaration_id = $1 AND is_current = 1 ORDER BY spent_on, id",
        )
        .bind(declaration)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    SpendingRecord {
                        date: NaiveDate::from_str(&r.try_get::<String, _>(1)?).map_err(corrupt)?,
                        amount: yuan(r.try_get(2)?),
                        voucher: r.try_get(3)?,
                        note: r.try_get(4)?,
                    },
                ))
            })
            .collect()
    }
}

/// The current spending record `id` of the declaration and its key.
async fn current_spending_row(
    tx: &mut Transaction<'_, Any>,
    declaration: DeclarationId,
    id: i64,
) -> Result<(SpendingRecord, String), StoreError> {
    let r = sqlx::query(
        "SELECT spent_on, amount, voucher, note, record_key FROM spending_records \
         WHERE id = $1 AND declaration_id = $2 AND is_current = 1",
    )
    .bind(id)
    .bind(declaration)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound {
        zh: format!("该申报没有编号为 {id} 的现行支出记录"),
        en: format!("the declaration has no current spending record with id {id}"),
    })?;
    Ok((
        SpendingRecord {
            date: NaiveDate::from_str(&r.try_get::<String, _>(0)?).map_err(corrupt)?,
            amount: yuan(r.try_get(1)?),
            voucher: r.try_get(2)?,
            note: r.try_get(3)?,
        },
        r.try_get(4)?,
    ))
}

/// Retracts current spending row `row_id` of the declaration, with the audit row.
async fn retract_spending_in(
    tx: &mut Transaction<'_, Any>,
    declaration: DeclarationId,
    row_id: i64,
    reason: &str,
    by: &str,
    at: &str,
) -> Result<SpendingRecord, StoreError> {
    let (old, _) = current_spending_row(tx, declaration, row_id).await?;
    end_row(
        tx,
        "spending_records",
        row_id,
        at,
        by,
        &format!("retracted: {reason}"),
    )
    .await?;
    write_audit(
        tx,
        &Change {
            at,
            actor: by,
            action: "retract_spending",
            entity: "spending",
            entity_id: Some(row_id),
            declaration_id: Some(declaration),
            summary: format!(
                "撤回支出 {} {}：{reason}",
                present::date(old.date, Lang::Zh),
                present::money(old.amount, Lang::Zh)
            ),
            before: Some(spending_json(&old)),
            after: None,
        },
    )
    .await?;
    Ok(old)
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
                    summary.push(r.try_get(0)?, Outcome::Unchanged);
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
            ("correct_actual", "更正")
        } else {
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
        summary.push(
            row_id,
            match before {
                Some(b) => Outcome::Corrected(Was::Actual(Box::new(b))),
                None => Outcome::Added,
            },
        );
    }
    Ok(summary)
}

/// [`Store::record_spending`] inside a transaction.
pub(crate) async fn record_spending_in(
    tx: &mut Transaction<'_, Any>,
    records: &[(DeclarationId, SpendingRecord)],
    rows: SpendingRows,
    source: &str,
    by: &str,
    at: &str,
) -> Result<RecordSummary, StoreError> {
    let mut summary = RecordSummary::default();
    lock_declarations(tx, records.iter().map(|(d, _)| *d).collect()).await?;
    // File lines: occurrences of each (declaration, date, fen, 说明) so far.
    let mut seen: BTreeMap<(DeclarationId, NaiveDate, i64, String), usize> = BTreeMap::new();
    for (declaration, s) in records {
        let amount = fen(s.amount, "支出金额")?;
        let note = s.note.as_deref().map_or("", str::trim).to_string();
        let key = match (voucher_of(s), rows) {
            (Some(_), _) => spending_key(s, amount, 0),
            (None, SpendingRows::File) => {
                let n = seen
                    .entry((*declaration, s.date, amount, note.clone()))
                    .or_insert(0);
                *n += 1;
                spending_key(s, amount, *n)
            }
            (None, SpendingRows::Entries) => {
                let next = last_occurrence(tx, *declaration, s.date, amount, &note).await? + 1;
                spending_key(s, amount, next)
            }
        };
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
                // A line without a voucher that matches a current record is that line imported
                // before (its amount and 说明 are in the key): a correction made since, in the
                // browser by the record's id, stands.
                let same_line = voucher_of(s).is_none();
                if same_line
                    || (old.amount == s.amount && old.voucher == s.voucher && old.note == s.note)
                {
                    summary.push(r.try_get(0)?, Outcome::Unchanged);
                    continue;
                }
                end_row(tx, "spending_records", r.try_get(0)?, at, by, "replaced").await?;
                Some(old)
            }
            None => None,
        };
        let row_id = insert_spending(tx, *declaration, s, &key, amount, source, by, at).await?;
        let (action, verb) = if before.is_some() {
            ("correct_spending", "更正")
        } else {
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
        summary.push(
            row_id,
            match before {
                Some(b) => Outcome::Corrected(Was::Spending(b)),
                None => Outcome::Added,
            },
        );
    }
    Ok(summary)
}

/// The highest occurrence of a record without a voucher of (date, fen, 说明) ever entered for
/// the declaration (current or not), 0 when none: an entry takes the next one, so it never
/// lands on a key a file line had.
async fn last_occurrence(
    tx: &mut Transaction<'_, Any>,
    declaration: DeclarationId,
    date: NaiveDate,
    amount: i64,
    note: &str,
) -> Result<usize, StoreError> {
    let keys = sqlx::query(
        "SELECT record_key FROM spending_records WHERE declaration_id = $1 AND spent_on = $2",
    )
    .bind(declaration)
    .bind(date.to_string())
    .fetch_all(&mut **tx)
    .await?;
    let prefix = unvouchered_prefix(amount);
    let suffix = format!(":n:{note}");
    let mut last = 0;
    for r in &keys {
        let key: String = r.try_get(0)?;
        let n = key
            .strip_prefix(&prefix)
            .and_then(|k| k.split_once(":n:"))
            .filter(|(_, n)| format!(":n:{n}") == suffix)
            .and_then(|(occ, _)| occ.parse::<usize>().ok());
        last = last.max(n.unwrap_or(0));
    }
    Ok(last)
}

/// Inserts a current spending row; a declaration that does not exist is
/// [`StoreError::NotFound`].
#[allow(clippy::too_many_arguments)]
async fn insert_spending(
    tx: &mut Transaction<'_, Any>,
    declaration: DeclarationId,
    s: &SpendingRecord,
    key: &str,
    amount: i64,
    source: &str,
    by: &str,
    at: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO spending_records (declaration_id, spent_on, record_key, voucher, note, amount, source, is_current, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
    )
    .bind(declaration)
    .bind(s.date.to_string())
    .bind(key)
    .bind(s.voucher.as_deref())
    .bind(s.note.as_deref())
    .bind(amount)
    .bind(source)
    .bind(at)
    .bind(by)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.message().contains("FOREIGN KEY") || d.message().contains("foreign key") => not_found(declaration),
        sqlx::Error::Database(d) if d.message().contains("UNIQUE") || d.message().contains("unique") => StoreError::Invalid {
            zh: format!("{} 已有凭证号为「{}」的支出记录", s.date, s.voucher.as_deref().unwrap_or("")),
            en: format!("there is already a spending record with voucher {:?} on {}", s.voucher.as_deref().unwrap_or(""), s.date),
        },
        other => other.into(),
    })?
    .try_get(0)?)
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
