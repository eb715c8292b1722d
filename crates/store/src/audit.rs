//! 操作记录 — the audit table: who changed what, when, with the values before and after.
//! Rows are written by the change itself, inside its transaction.

use jixiao_model::DeclarationId;
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError};

/// One change as the audit keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Row id (increasing).
    pub id: i64,
    /// When (UTC, ISO 8601).
    pub at: String,
    /// Who (user name; `local-admin` for the command line).
    pub actor: String,
    /// What kind of change: `import`, `rename`, `create`, `edit`, `adjust` (a new version),
    /// `submit`, `return`, `approve`, `status` (status changes), `comment`, `notes`,
    /// `record_actual`, `correct_actual`, `retract_actual`, `record_spending`,
    /// `correct_spending`, `retract_spending`, `add_user`, `legacy_migration`.
    pub action: String,
    /// What kind of thing: `declaration`, `comment`, `evaluation_notes`, `actual_value`,
    /// `spending`, `user`.
    pub entity: String,
    /// Its id, when it has one.
    pub entity_id: Option<i64>,
    /// The declaration concerned, when one is.
    pub declaration_id: Option<DeclarationId>,
    /// One line for people, in Chinese.
    pub summary: String,
    /// The value before, as JSON (`None` for a creation).
    pub before: Option<String>,
    /// The value after, as JSON (`None` for a retraction).
    pub after: Option<String>,
}

/// An audit row to write.
pub(crate) struct Change<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub declaration_id: Option<i64>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub(crate) async fn write_audit(
    tx: &mut Transaction<'_, Any>,
    c: &Change<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (happened_at, actor, action, entity, entity_id, declaration_id, summary, before_value, after_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.at)
    .bind(c.actor)
    .bind(c.action)
    .bind(c.entity)
    .bind(c.entity_id)
    .bind(c.declaration_id)
    .bind(&c.summary)
    .bind(c.before.as_ref().map(|v| v.to_string()))
    .bind(c.after.as_ref().map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An audit row waiting to be written with others ([`write_audit_rows`]).
pub(crate) struct AuditRow {
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    declaration_id: Option<i64>,
    summary: String,
    before: Option<String>,
    after: Option<String>,
}

impl From<&Change<'_>> for AuditRow {
    fn from(c: &Change<'_>) -> AuditRow {
        AuditRow {
            at: c.at.to_string(),
            actor: c.actor.to_string(),
            action: c.action.to_string(),
            entity: c.entity.to_string(),
            entity_id: c.entity_id,
            declaration_id: c.declaration_id,
            summary: c.summary.clone(),
            before: c.before.as_ref().map(|v| v.to_string()),
            after: c.after.as_ref().map(|v| v.to_string()),
        }
    }
}

/// Audit rows per multi-row INSERT (9 parameters each).
const AUDIT_ROWS_PER_INSERT: usize = 500;

/// Writes audit rows in order, one statement per [`AUDIT_ROWS_PER_INSERT`].
pub(crate) async fn write_audit_rows(
    tx: &mut Transaction<'_, Any>,
    rows: &[AuditRow],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(AUDIT_ROWS_PER_INSERT) {
        let mut params = crate::rows::Params::new(tx);
        let values: Vec<String> = (0..chunk.len()).map(|_| params.row(9)).collect();
        let sql = format!(
            "INSERT INTO audit (happened_at, actor, action, entity, entity_id, declaration_id, summary, before_value, after_value) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(&a.at)
                .bind(&a.actor)
                .bind(&a.action)
                .bind(&a.entity)
                .bind(a.entity_id)
                .bind(a.declaration_id)
                .bind(&a.summary)
                .bind(&a.before)
                .bind(&a.after);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Store {
    /// The audit trail, oldest first: of one declaration, or all of it.
    pub async fn audit(
        &self,
        declaration: Option<DeclarationId>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = "SELECT id, happened_at, actor, action, entity, entity_id, declaration_id, summary, before_value, after_value FROM audit";
        let rows = match declaration {
            Some(id) => {
                sqlx::query(&format!("{sql} WHERE declaration_id = $1 ORDER BY id"))
                    .bind(id)
                    .fetch_all(self.pool())
                    .await?
            }
            None => {
                sqlx::query(&format!("{sql} ORDER BY id"))
                    .fetch_all(self.pool())
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    entity: r.try_get(4)?,
                    entity_id: r.try_get(5)?,
                    declaration_id: r.try_get(6)?,
                    summary: r.try_get(7)?,
                    before: r.try_get(8)?,
                    after: r.try_get(9)?,
                })
            })
            .collect()
    }

    /// The last name each indicator of a declaration had, in any version, by its stable id
    /// (an indicator removed since keeps the name it was last declared with).
    pub async fn indicator_last_names(
        &self,
        declaration: DeclarationId,
    ) -> Result<std::collections::HashMap<i64, String>, StoreError> {
        let rows = sqlx::query(
            "SELECT vi.indicator_id, vi.name FROM version_indicators vi \
             JOIN declaration_versions v ON v.id = vi.version_id \
             WHERE v.declaration_id = $1 ORDER BY v.id, vi.seq",
        )
        .bind(declaration)
        .fetch_all(self.pool())
        .await?;
        let mut out = std::collections::HashMap::new();
        for r in &rows {
            out.insert(r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?);
        }
        Ok(out)
    }
}
