//! # jixiao-store — persistence
//!
//! This crate owns the database: the schema (migrations under `migrations/`, one directory per
//! backend with the same tables), and every query. SQLite (a file in WAL mode) is the embedded
//! default; PostgreSQL serves real deployments. Both run through **one code path**: sqlx's
//! `Any` driver, portable SQL, `$1`-style parameters, decimals and dates stored as text.
//!
//! **Invariants**
//! - An import is one transaction: a bad form changes nothing.
//! - Importing the same form twice leaves one copy. A project is identified by 年度, 实施单位
//!   and 项目名称; a changed re-import adds a new current version and keeps the previous one.
//! - `projects.document` holds the project's canonical JSON; exporting it gives back exactly
//!   what was imported. The other columns are for querying only.
//! - Actuals and spending are keyed by the project's identity, not by a version, so they
//!   survive re-imports.
#![deny(missing_docs)]

use std::str::FromStr;

use jixiao_model::{
    Decimal, Form, NaiveDate, Observation, Project, ProjectKey, SpendingRecord, FORM_FORMAT,
};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Row};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database said no.
    #[error("数据库错误 / database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("数据库迁移失败 / migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored document could not be read back.
    #[error("数据库中的项目文档损坏 / a stored project document is corrupt: {0}")]
    Corrupt(String),
    /// The URL names no supported database.
    #[error("不支持的数据库地址「{0}」：应为 SQLite 文件路径或 postgres:// 地址 / unsupported database {0:?}: give a SQLite file path or a postgres:// URL")]
    UnsupportedUrl(String),
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// What an import did, project by project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// New projects.
    pub added: Vec<ProjectKey>,
    /// Projects whose content changed: a new version is now current.
    pub replaced: Vec<ProjectKey>,
    /// Projects imported again without change.
    pub unchanged: Vec<ProjectKey>,
}

/// A line of `jixiao list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSummary {
    /// Identity.
    pub key: ProjectKey,
    /// 主管部门.
    pub department: Option<String>,
    /// Current version number, from 1.
    pub version: i64,
    /// 年度资金申请总额.
    pub funds_total: Decimal,
    /// Number of indicators.
    pub indicators: i64,
}

/// The database behind jixiao.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

impl Store {
    /// Opens (creating and migrating as needed) the database at `target`: a `postgres://` URL,
    /// a `sqlite:` URL, or a path to a SQLite file.
    pub async fn open(target: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) =
            if target.starts_with("postgres://") || target.starts_with("postgresql://") {
                (target.to_string(), Backend::Postgres)
            } else if target.starts_with("sqlite:") {
                (target.to_string(), Backend::Sqlite)
            } else if target.contains("://") {
                return Err(StoreError::UnsupportedUrl(target.to_string()));
            } else {
                (format!("sqlite://{target}?mode=rwc"), Backend::Sqlite)
            };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
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
            .await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        } else {
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        }
        Ok(Store { pool, backend })
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool (flushes the SQLite WAL).
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Imports one form in one transaction.
    pub async fn import(&self, source: &str, form: &Form) -> Result<ImportSummary, StoreError> {
        self.import_all(&[(source, form)]).await
    }

    /// Imports several forms (e.g. the files of one `jixiao import`) in one transaction: all
    /// of them or none.
    pub async fn import_all(&self, forms: &[(&str, &Form)]) -> Result<ImportSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        let at = now();
        let mut total = ImportSummary::default();
        for (source, form) in forms {
            let import_id: i64 = sqlx::query(
            "INSERT INTO imports (source, imported_at, added, replaced, unchanged) VALUES ($1, $2, 0, 0, 0) RETURNING id",
        )
        .bind(source)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
            let mut summary = ImportSummary::default();
            for p in &form.projects {
                let doc = serde_json::to_string(p).map_err(corrupt)?;
                let key = p.key();
                let current = bind_key(sqlx::query(
                "SELECT id, version, document FROM projects WHERE year = $1 AND unit = $2 AND name = $3 AND is_current = 1",
            ), &key)
            .fetch_optional(&mut *tx)
            .await?;
                let version = match current {
                    Some(row) => {
                        let id: i64 = row.try_get(0)?;
                        let version: i64 = row.try_get(1)?;
                        let old: String = row.try_get(2)?;
                        if old == doc {
                            summary.unchanged.push(key);
                            continue;
                        }
                        sqlx::query("UPDATE projects SET is_current = 0 WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        summary.replaced.push(key.clone());
                        version + 1
                    }
                    None => {
                        summary.added.push(key.clone());
                        1
                    }
                };
                let project_id: i64 = bind_key(sqlx::query(
                "INSERT INTO projects (year, unit, name, version, is_current, import_id, title, department, start_date, end_date, funds_total, document) \
                 VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            ), &key)
            .bind(version)
            .bind(import_id)
            .bind(form.title.clone())
            .bind(p.department.clone())
            .bind(p.start.to_string())
            .bind(p.end.to_string())
            .bind(p.funds.total.to_string())
            .bind(&doc)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
                insert_indicators(&mut tx, project_id, p).await?;
            }
            sqlx::query(
                "UPDATE imports SET added = $1, replaced = $2, unchanged = $3 WHERE id = $4",
            )
            .bind(summary.added.len() as i64)
            .bind(summary.replaced.len() as i64)
            .bind(summary.unchanged.len() as i64)
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
            total.added.extend(summary.added);
            total.replaced.extend(summary.replaced);
            total.unchanged.extend(summary.unchanged);
        }
        tx.commit().await?;
        Ok(total)
    }

    /// The current version of every project, in import order.
    pub async fn list(&self) -> Result<Vec<ProjectSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.year, p.unit, p.name, p.department, p.version, p.funds_total, \
                    (SELECT COUNT(*) FROM indicators i WHERE i.project_id = p.id) \
             FROM projects p WHERE p.is_current = 1 ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let total: String = r.try_get(5)?;
                Ok(ProjectSummary {
                    key: ProjectKey {
                        year: r.try_get::<i64, _>(0)? as i32,
                        unit: r.try_get(1)?,
                        name: r.try_get(2)?,
                    },
                    department: r.try_get(3)?,
                    version: r.try_get(4)?,
                    funds_total: Decimal::from_str(&total).map_err(corrupt)?,
                    indicators: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Current projects whose name is `name` (several when units or years differ), optionally
    /// of one year.
    pub async fn find(&self, name: &str, year: Option<i32>) -> Result<Vec<Project>, StoreError> {
        let rows = sqlx::query(
            "SELECT year, document FROM projects WHERE name = $1 AND is_current = 1 ORDER BY id",
        )
        .bind(name)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let y: i64 = r.try_get(0)?;
            if year.is_some_and(|want| i64::from(want) != y) {
                continue;
            }
            out.push(parse_doc(&r.try_get::<String, _>(1)?)?);
        }
        Ok(out)
    }

    /// All versions of a project, oldest first: (version, is current, document).
    pub async fn versions(
        &self,
        key: &ProjectKey,
    ) -> Result<Vec<(i64, bool, Project)>, StoreError> {
        let rows = bind_key(sqlx::query("SELECT version, is_current, document FROM projects WHERE year = $1 AND unit = $2 AND name = $3 ORDER BY version"), key)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get::<i64, _>(1)? == 1,
                    parse_doc(&r.try_get::<String, _>(2)?)?,
                ))
            })
            .collect()
    }

    /// Every current project as one form, in import order. The title is kept when all the
    /// projects came with the same one.
    pub async fn export(&self) -> Result<Form, StoreError> {
        let rows =
            sqlx::query("SELECT title, document FROM projects WHERE is_current = 1 ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let mut titles: Vec<Option<String>> = Vec::new();
        let mut projects = Vec::with_capacity(rows.len());
        for r in rows {
            let t: Option<String> = r.try_get(0)?;
            if !titles.contains(&t) {
                titles.push(t);
            }
            projects.push(parse_doc(&r.try_get::<String, _>(1)?)?);
        }
        let title = if titles.len() == 1 {
            titles.pop().flatten()
        } else {
            None
        };
        Ok(Form {
            format: FORM_FORMAT.to_string(),
            title,
            projects,
        })
    }

    /// Row counts of (projects incl. old versions, indicators, imports) — for tests and `status`.
    pub async fn counts(&self) -> Result<(i64, i64, i64), StoreError> {
        let r = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM projects), (SELECT COUNT(*) FROM indicators), (SELECT COUNT(*) FROM imports)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
    }

    /// Records observations (实际完成值) of several projects, all or nothing, in the given
    /// order (kept for observations of the same date).
    pub async fn add_observations(
        &self,
        obs: &[(ProjectKey, Observation)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let at = now();
        for (key, o) in obs {
            let value = serde_json::to_string(&o.value).map_err(corrupt)?;
            bind_key(sqlx::query(
                "INSERT INTO observations (year, unit, project, indicator_code, observed_on, value, note, evidence, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            ), key)
            .bind(&o.indicator)
            .bind(o.date.to_string())
            .bind(value)
            .bind(o.note.clone())
            .bind(o.evidence.clone())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The observations of a project, by date then entry order.
    pub async fn observations(&self, key: &ProjectKey) -> Result<Vec<Observation>, StoreError> {
        let rows = bind_key(
            sqlx::query(
                "SELECT indicator_code, observed_on, value, note, evidence FROM observations \
             WHERE year = $1 AND unit = $2 AND project = $3 ORDER BY observed_on, id",
            ),
            key,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let date: String = r.try_get(1)?;
                let value: String = r.try_get(2)?;
                let date = NaiveDate::from_str(&date).map_err(corrupt)?;
                Ok(Observation {
                    indicator: r.try_get(0)?,
                    period: jixiao_model::ReportPeriod::Day(date),
                    date,
                    value: serde_json::from_str(&value).map_err(corrupt)?,
                    note: r.try_get(3)?,
                    evidence: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Records spending of several projects, all or nothing.
    pub async fn add_spending(
        &self,
        records: &[(ProjectKey, SpendingRecord)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let at = now();
        for (key, s) in records {
            bind_key(sqlx::query(
                "INSERT INTO spending (year, unit, project, spent_on, amount, note, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            ), key)
            .bind(s.date.to_string())
            .bind(s.amount.to_string())
            .bind(s.note.clone())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The spending of a project, by date.
    pub async fn spending(&self, key: &ProjectKey) -> Result<Vec<SpendingRecord>, StoreError> {
        let rows = bind_key(sqlx::query(
            "SELECT spent_on, amount, note FROM spending WHERE year = $1 AND unit = $2 AND project = $3 ORDER BY spent_on, id",
        ), key)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let date: String = r.try_get(0)?;
                let amount: String = r.try_get(1)?;
                Ok(SpendingRecord {
                    date: NaiveDate::from_str(&date).map_err(corrupt)?,
                    amount: Decimal::from_str(&amount).map_err(corrupt)?,
                    voucher: None,
                    note: r.try_get(2)?,
                })
            })
            .collect()
    }
}

/// Rows per multi-row INSERT: 11 parameters each stays far below SQLite's 32,766 and
/// PostgreSQL's 65,535 bind parameters, while one statement carries a typical project.
const INDICATOR_ROWS_PER_INSERT: usize = 500;

/// Inserts the queryable copy of a project's indicators, one statement per chunk of rows
/// (one round trip per project, not per indicator).
async fn insert_indicators(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    p: &Project,
) -> Result<(), StoreError> {
    for (chunk_no, chunk) in p.indicators.chunks(INDICATOR_ROWS_PER_INSERT).enumerate() {
        let mut sql = String::from(
            "INSERT INTO indicators (project_id, seq, code, level1, level2, name, tasks, target_kind, target, raw, line) VALUES ",
        );
        for row in 0..chunk.len() {
            let b = row * 11;
            if row > 0 {
                sql.push_str(", ");
            }
            let params: Vec<String> = (1..=11).map(|k| format!("${}", b + k)).collect();
            sql.push('(');
            sql.push_str(&params.join(", "));
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for (i, ind) in chunk.iter().enumerate() {
            let tasks: Vec<String> = ind.tasks.iter().map(u32::to_string).collect();
            let target = serde_json::to_string(&ind.target).map_err(corrupt)?;
            q = q
                .bind(project_id)
                .bind((chunk_no * INDICATOR_ROWS_PER_INSERT + i) as i64)
                .bind(ind.code.clone())
                .bind(ind.level1.en())
                .bind(ind.level2.id().to_string())
                .bind(ind.name.clone())
                .bind(tasks.join(","))
                .bind(ind.target.kind())
                .bind(target)
                .bind(ind.raw.clone())
                .bind(ind.line.map(i64::from));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Binds a project's identity as the first three parameters (`$1` year, `$2` unit, `$3` name).
fn bind_key<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    key: &'q ProjectKey,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(i64::from(key.year))
        .bind(key.unit.as_str())
        .bind(key.name.as_str())
}

/// A stored value that does not read back.
fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn parse_doc(doc: &str) -> Result<Project, StoreError> {
    serde_json::from_str(doc).map_err(corrupt)
}
