//! 检索键 — every name the library's search and a project's history match on is kept beside
//! it normalised (`jixiao_model::normalize_name`): a declaration's `unit_key` and `name_key`,
//! an indicator row's and a library entry's `name_key`. The writers of those rows write the
//! keys with them; [`fill`] writes the keys of the rows from before schema 0009, once.

use jixiao_model::normalize_name;
use sqlx::Row;

use crate::{Store, StoreError};

/// Fills the missing keys, once (while `search_keys_pending` holds its row), in one
/// transaction: one UPDATE per distinct name.
pub(crate) async fn fill(store: &Store) -> Result<(), StoreError> {
    let pending: i64 = sqlx::query("SELECT COUNT(*) FROM search_keys_pending")
        .fetch_one(store.pool())
        .await?
        .try_get(0)?;
    if pending == 0 {
        return Ok(());
    }
    let mut tx = store.write_tx().await?;
    for (table, column, key) in [
        ("declarations", "unit", "unit_key"),
        ("declarations", "name", "name_key"),
        ("version_indicators", "name", "name_key"),
        ("library_entries", "name", "name_key"),
    ] {
        let names = sqlx::query(&format!(
            "SELECT DISTINCT {column} FROM {table} WHERE {key} IS NULL"
        ))
        .fetch_all(&mut *tx)
        .await?;
        for r in names {
            let name: String = r.try_get(0)?;
            sqlx::query(&format!(
                "UPDATE {table} SET {key} = $1 WHERE {column} = $2 AND {key} IS NULL"
            ))
            .bind(normalize_name(&name))
            .bind(&name)
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query("DELETE FROM search_keys_pending")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
