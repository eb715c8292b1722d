//! # jixiao-store — persistence
//!
//! This crate owns the database: the schema (migrations under `migrations/`, one directory per
//! backend with the same tables), and every query. SQLite (a file in WAL mode) is the embedded
//! default; PostgreSQL serves real deployments. Both run through **one code path**: sqlx's
//! `Any` driver, portable SQL, `$1`-style parameters, dates as ISO text, money as integer fen.
//!
//! **Identities**
//! - A declaration (`declarations.id`, [`DeclarationId`]) is found by an import through its id
//!   (canonical JSON exported by jixiao carries it) or else by 年度, 实施单位 and 项目名称; a
//!   rename keeps the id. Each content change makes a new row in `declaration_versions`.
//! - An indicator (`indicators.id`, [`IndicatorId`]) keeps its id across versions: a re-import
//!   matches indicators by content ([`jixiao_model::match_indicators`]), never by position code.
//! - An actual value is keyed by (indicator id, period); a spending record by (declaration, date,
//!   voucher — or note when there is none). A row for an existing key replaces the current one
//!   and keeps the old one as history; equal rows change nothing.
//!
//! **Invariants**
//! - Every change is one transaction (a use case of several steps holds one [`StoreTx`]), and writes its `audit` row (who, when, what, before and
//!   after) in that same transaction. Identical re-imports and re-recordings change nothing.
//! - Rows are the source of truth: a [`Project`] is rebuilt from `declaration_versions`, `tasks`
//!   and `version_indicators`; amounts come back with two decimals.
//! - Actuals of an indicator that the current version no longer has are kept and returned as
//!   orphans, never dropped.
//! - No raw database error leaves as text for users: [`StoreError`] says what failed and where
//!   (the front ends decide what to show).
#![deny(missing_docs)]

mod actuals;
mod audit;
mod declarations;
mod keys;
mod legacy;
mod library;
mod limits;
mod listing;
mod org;
mod rows;
mod sessions;
mod tx;
mod workflow;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

pub use actuals::{
    ActualSet, HistoryEntry, Orphan, Outcome, RecordSummary, Recorded, SpendingRows, Was,
};
pub use audit::AuditEntry;
pub use declarations::{
    Identified, ImportSummary, ProjectChange, ProjectSummary, Stored, VersionInfo,
};
pub use jixiao_model::{DeclarationId, IndicatorId};
pub use library::{ApprovedIndicator, LibraryWrite};
pub use limits::{PreviewBounds, StoredPreview};
pub use listing::{Facets, ListPage, ListQuery, Loaded, Visibility};
pub use org::{NewUser, OrgDepartment, User};
pub use rows::import_changes;
pub use sessions::SessionRow;
pub use tx::StoreTx;
pub use workflow::{
    Comment, EvaluationNotes, IndicatorNote, NoteRecord, SaveKind, SaveRefusal, Saved, StaleEdit,
    Transition, WorkflowState,
};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database said no (a bug or an outage: not the user's input).
    #[error("数据库错误 / database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("数据库迁移失败 / migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row could not be read back.
    #[error("数据库中的数据损坏 / stored data is corrupt: {0}")]
    Corrupt(String),
    /// The URL names no supported database.
    #[error("不支持的数据库地址「{0}」：应为 SQLite 文件路径或 postgres:// 地址 / unsupported database {0:?}: give a SQLite file path or a postgres:// URL")]
    UnsupportedUrl(String),
    /// A read-only command named a SQLite file that does not exist.
    #[error("数据库文件不存在：{0}（先用 jixiao import 导入申报表，或用 --db 指定已有的数据库）/ no database at {0} (import a form first, or give an existing one with --db)")]
    NoDatabase(String),
    /// The database could not be opened or reached.
    #[error("无法打开数据库 {target}：{reason} / cannot open the database {target}: {reason}")]
    Open {
        /// The path, or the host of a server (never a password).
        target: String,
        /// Why, as the driver or the system said it.
        reason: String,
    },
    /// Something the caller named does not exist (a declaration id, an actual value to retract).
    #[error("{zh} / {en}")]
    NotFound {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// A value that the store cannot keep as given (e.g. an amount with fractions of a fen).
    #[error("{zh} / {en}")]
    Invalid {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// The change conflicts with the current state (a rename onto an existing name).
    #[error("{zh} / {en}")]
    Conflict {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
}

impl StoreError {
    /// Whether the database was too busy to answer in time: every pooled connection stayed
    /// in use for the whole wait (an overload, not a fault of the request).
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::PoolTimedOut))
    }
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// Whether opening may create a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the SQLite file when missing (commands that write).
    Create,
    /// The SQLite file must exist (commands that only read).
    Existing,
}

/// How long to wait for a database server before saying it cannot be reached.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The database behind jixiao.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

pub(crate) fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The host (and port) of a server URL, for messages: never the user or password.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}

impl Store {
    /// Opens (creating and migrating as needed) the database at `target`: a `postgres://` URL,
    /// a `sqlite:` URL, or a path to a SQLite file.
    pub async fn open(target: &str) -> Result<Store, StoreError> {
        Store::open_with(target, OpenMode::Create).await
    }

    /// Opens the database; with [`OpenMode::Existing`] a missing SQLite file is
    /// [`StoreError::NoDatabase`] instead of a new empty database.
    pub async fn open_with(target: &str, mode: OpenMode) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend, shown) =
            if target.starts_with("postgres://") || target.starts_with("postgresql://") {
                (target.to_string(), Backend::Postgres, host_of(target))
            } else if let Some(path) = target.strip_prefix("sqlite:") {
                (
                    target.to_string(),
                    Backend::Sqlite,
                    path.trim_start_matches("//").to_string(),
                )
            } else if target.contains("://") {
                return Err(StoreError::UnsupportedUrl(target.to_string()));
            } else {
                if mode == OpenMode::Existing && !std::path::Path::new(target).exists() {
                    return Err(StoreError::NoDatabase(target.to_string()));
                }
                let m = if mode == OpenMode::Create {
                    "rwc"
                } else {
                    "rw"
                };
                (
                    format!("sqlite://{target}?mode={m}"),
                    Backend::Sqlite,
                    target.to_string(),
                )
            };
        let open_error = |e: sqlx::Error| StoreError::Open {
            target: shown.clone(),
            reason: match e {
                sqlx::Error::PoolTimedOut => format!(
                    "{} 秒内无应答 / no answer within {} s",
                    CONNECT_TIMEOUT.as_secs(),
                    CONNECT_TIMEOUT.as_secs()
                ),
                sqlx::Error::Io(io) => io.to_string(),
                other => other.to_string(),
            },
        };
        let options = AnyConnectOptions::from_str(&url).map_err(open_error)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(CONNECT_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(open_error)?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(open_error)?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        } else {
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        }
        let store = Store { pool, backend };
        legacy::convert(&store).await?;
        keys::fill(&store).await?;
        Ok(store)
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool (flushes the SQLite WAL).
    pub async fn close(self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`, waiting up to the busy timeout for another writer), so two writers never
    /// both read and then fail to upgrade ("database is locked"); on PostgreSQL a plain
    /// transaction (writers of one record lock its declaration's row first).
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Runs a whole write transaction `f` again when it lost a race (a unique key another
    /// transaction took first, a serialization failure or deadlock, a busy SQLite file), at
    /// most [`RACE_ATTEMPTS`] times; a race lost every time is [`StoreError::Conflict`], never
    /// an internal error. `f` must begin and commit its own transaction.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut f: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, StoreError>>,
    {
        let mut attempt = 1;
        loop {
            match f().await {
                Err(e) if e.lost_race() => {
                    if attempt >= RACE_ATTEMPTS {
                        return Err(StoreError::Conflict {
                            zh: "同一记录正被他人同时修改，本次未写入任何内容；请重试".into(),
                            en: "someone else was changing the same record at the same time; nothing was written, try again".into(),
                        });
                    }
                    // The winner has committed (its key or lock is what failed us): the next
                    // run reads what it left.
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// How many times a write transaction that lost a race is run (see [`Store::retrying`]).
const RACE_ATTEMPTS: u32 = 8;

impl StoreError {
    /// Whether the transaction failed only because another one wrote first: a unique key
    /// taken (PostgreSQL 23505, SQLite 2067/1555), a serialization failure or deadlock
    /// (40001, 40P01), a busy or stale SQLite snapshot (5, 517). Running it again may succeed.
    pub(crate) fn lost_race(&self) -> bool {
        let StoreError::Database(sqlx::Error::Database(d)) = self else {
            return false;
        };
        matches!(
            d.code().as_deref(),
            Some("23505" | "40001" | "40P01" | "2067" | "1555" | "5" | "517")
        )
    }
}

/// A stored value that does not read back.
pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_are_named_without_credentials() {
        assert_eq!(
            host_of("postgres://u:secret@db.example:5433/jixiao?sslmode=require"),
            "db.example:5433"
        );
        assert_eq!(host_of("postgres://127.0.0.1/test"), "127.0.0.1");
    }
}
