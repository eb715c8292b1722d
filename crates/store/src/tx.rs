//! Several writes in one transaction: a use case that imports a declaration, then records its
//! actual values and its spending (the 自评表 import, the 监控表 import) begins a [`StoreTx`],
//! reads and writes through it, and commits once. Dropping it without [`StoreTx::commit`]
//! (an error on the way, `?`) rolls everything back: nothing is left behind.

use jixiao_model::{DeclarationId, Form, IndicatorId, Observation, Project, SpendingRecord};
use sqlx::{Any, Transaction};

use crate::actuals::{
    observations_in, record_observations_in, record_spending_in, spending_in, ActualSet,
    RecordSummary, SpendingRows,
};
use crate::declarations::{find_in, import_all_in, ImportSummary, UnitsSeen};
use crate::{now, Store, StoreError};

/// One open transaction of the store, for a use case of several steps (all or nothing).
/// Reads through it see its own writes; the changes are written at [`StoreTx::commit`], and
/// dropped when it is dropped uncommitted. Every change writes its audit row, as through
/// [`Store`]; all changes of one transaction carry the same time.
pub struct StoreTx {
    tx: Transaction<'static, Any>,
    at: String,
    units: UnitsSeen,
}

impl std::fmt::Debug for StoreTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreTx").field("at", &self.at).finish()
    }
}

impl Store {
    /// Begins a transaction for several writes (see [`StoreTx`]).
    pub async fn begin(&self) -> Result<StoreTx, StoreError> {
        Ok(StoreTx {
            tx: self.write_tx().await?,
            at: now(),
            units: UnitsSeen::new(),
        })
    }
}

impl StoreTx {
    /// [`Store::import_all`] inside this transaction.
    pub async fn import_all(
        &mut self,
        forms: &[(&str, &Form)],
        by: &str,
    ) -> Result<ImportSummary, StoreError> {
        import_all_in(&mut self.tx, forms, by, &self.at, &mut self.units).await
    }

    /// [`Store::find`] inside this transaction (sees its writes).
    pub async fn find(
        &mut self,
        name: &str,
        year: Option<i32>,
    ) -> Result<Vec<Project>, StoreError> {
        find_in(&mut self.tx, name, year).await
    }

    /// [`Store::observations`] inside this transaction.
    pub async fn observations(
        &mut self,
        declaration: DeclarationId,
    ) -> Result<ActualSet, StoreError> {
        observations_in(&mut self.tx, declaration).await
    }

    /// [`Store::spending`] inside this transaction.
    pub async fn spending(
        &mut self,
        declaration: DeclarationId,
    ) -> Result<Vec<SpendingRecord>, StoreError> {
        spending_in(&mut self.tx, declaration).await
    }

    /// [`Store::record_observations`] inside this transaction.
    pub async fn record_observations(
        &mut self,
        rows: &[(IndicatorId, Observation)],
        source: &str,
        by: &str,
    ) -> Result<RecordSummary, StoreError> {
        record_observations_in(&mut self.tx, rows, source, by, &self.at).await
    }

    /// [`Store::record_spending`] inside this transaction.
    pub async fn record_spending(
        &mut self,
        records: &[(DeclarationId, SpendingRecord)],
        rows: SpendingRows,
        source: &str,
        by: &str,
    ) -> Result<RecordSummary, StoreError> {
        record_spending_in(&mut self.tx, records, rows, source, by, &self.at).await
    }

    /// Writes every change of the transaction, or none.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}
