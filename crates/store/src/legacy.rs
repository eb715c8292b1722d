//! Databases written by schema v1 (one `projects` row per version holding the JSON document,
//! actual values keyed by position code): migration 0002 renamed those tables `legacy_*`; this
//! module converts their rows into the v2 tables and drops them, in one transaction, the first
//! time a store opens such a database.
//!
//! Versions are re-imported oldest first, so indicator identities come from content matching.
//! A v1 actual value referred to a position code of the *current* version; it is attached to
//! that indicator, with the period its target gives (the day, or the containing month/quarter of
//! a recurring deadline). Two v1 rows for one (indicator, period) become a value and its
//! history, the later one current. A value whose code the current version lacks is attached to
//! the newest older version's indicator of that code; the audit row of the migration lists
//! what was converted.

use std::str::FromStr;

use jixiao_model::{
    Decimal, NaiveDate, Observation, ObservedValue, Project, ReportPeriod, SpendingRecord,
};
use serde_json::json;
use sqlx::Row;

use crate::actuals::{record_observations_in, record_spending_in, SpendingRows};
use crate::audit::{write_audit, Change};
use crate::declarations::{import_project, UnitsSeen};
use crate::{corrupt, now, Backend, ImportSummary, Store, StoreError};

/// Who the audit names for the conversion.
const ACTOR: &str = "schema-migration";

async fn has_legacy(store: &Store) -> Result<bool, StoreError> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'legacy_projects'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'legacy_projects'"
        }
    };
    let n: i64 = sqlx::query(sql).fetch_one(store.pool()).await?.try_get(0)?;
    Ok(n > 0)
}

pub(crate) async fn convert(store: &Store) -> Result<(), StoreError> {
    if !has_legacy(store).await? {
        return Ok(());
    }
    let mut tx = store.pool().begin().await?;
    let at = now();
    let mut summary = ImportSummary::default();
    let versions = sqlx::query(
        "SELECT p.import_id, p.title, p.document FROM legacy_projects p \
         ORDER BY p.year, p.unit, p.name, p.version",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut units = UnitsSeen::new();
    for r in &versions {
        let p: Project = serde_json::from_str(&r.try_get::<String, _>(2)?).map_err(corrupt)?;
        let title: Option<String> = r.try_get(1)?;
        import_project(
            &mut tx,
            Some(r.try_get(0)?),
            title.as_deref(),
            &p,
            "import",
            ACTOR,
            &at,
            &mut summary,
            &mut units,
        )
        .await?;
    }

    let obs = sqlx::query(
        "SELECT year, unit, project, indicator_code, observed_on, value, note, evidence \
         FROM legacy_observations ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut rows = Vec::with_capacity(obs.len());
    for r in &obs {
        let (year, unit, name, code): (i64, String, String, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        let hit = sqlx::query(
            "SELECT vi.indicator_id, vi.target FROM version_indicators vi \
             JOIN declaration_versions v ON v.id = vi.version_id \
             JOIN declarations d ON d.id = v.declaration_id \
             WHERE d.year = $1 AND d.unit = $2 AND d.name = $3 AND vi.code = $4 \
             ORDER BY v.version DESC LIMIT 1",
        )
        .bind(year)
        .bind(&unit)
        .bind(&name)
        .bind(&code)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            corrupt(format!(
                "v1 actual value of {name} ({year}, {unit}) names the indicator code {code}, which no version has"
            ))
        })?;
        let target: jixiao_model::Target =
            serde_json::from_str(&hit.try_get::<String, _>(1)?).map_err(corrupt)?;
        let date = NaiveDate::from_str(&r.try_get::<String, _>(4)?).map_err(corrupt)?;
        rows.push((
            hit.try_get::<i64, _>(0)?,
            Observation {
                indicator: code,
                period: ReportPeriod::for_target(&target, date),
                date,
                value: serde_json::from_str::<ObservedValue>(&r.try_get::<String, _>(5)?)
                    .map_err(corrupt)?,
                note: r.try_get(6)?,
                evidence: r.try_get(7)?,
            },
        ));
    }
    let actuals = record_observations_in(&mut tx, &rows, "v1", ACTOR, &at).await?;

    let spent = sqlx::query(
        "SELECT s.spent_on, s.amount, s.note, d.id FROM legacy_spending s \
         JOIN declarations d ON d.year = s.year AND d.unit = s.unit AND d.name = s.project \
         ORDER BY s.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut records = Vec::with_capacity(spent.len());
    for r in &spent {
        records.push((
            r.try_get::<i64, _>(3)?,
            SpendingRecord {
                date: NaiveDate::from_str(&r.try_get::<String, _>(0)?).map_err(corrupt)?,
                amount: Decimal::from_str(&r.try_get::<String, _>(1)?).map_err(corrupt)?,
                voucher: None,
                note: r.try_get(2)?,
            },
        ));
    }
    let spending =
        record_spending_in(&mut tx, &records, SpendingRows::File, "v1", ACTOR, &at).await?;
    let legacy_spending: i64 = sqlx::query("SELECT COUNT(*) FROM legacy_spending")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    if legacy_spending as usize != records.len() {
        return Err(corrupt(
            "v1 spending rows of projects that no longer exist; the database was left as it was",
        ));
    }

    for t in [
        "legacy_indicators",
        "legacy_projects",
        "legacy_observations",
        "legacy_spending",
    ] {
        sqlx::query(&format!("DROP TABLE {t}"))
            .execute(&mut *tx)
            .await?;
    }
    write_audit(
        &mut tx,
        &Change {
            at: &at,
            actor: ACTOR,
            action: "legacy_migration",
            entity: "database",
            entity_id: None,
            declaration_id: None,
            summary: format!(
                "数据库由 v1 升级：{} 个版本，{} 条实际完成值，{} 条支出记录",
                versions.len(),
                obs.len(),
                records.len()
            ),
            before: Some(json!({
                "versions": versions.len(), "actual_values": obs.len(), "spending": legacy_spending,
            })),
            after: Some(json!({
                "declarations_added": summary.added.len(),
                "versions_replaced": summary.replaced.len(),
                "actual_values": { "added": actuals.added, "replaced": actuals.replaced, "unchanged": actuals.unchanged },
                "spending": { "added": spending.added, "replaced": spending.replaced, "unchanged": spending.unchanged },
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
