//! Pages of the list of declarations: who may see which (a [`Visibility`]), the filters, the
//! order, the page and the counts, all in SQL — a page costs the rows it shows, not the number
//! of declarations in the database.

use jixiao_model::{DeclarationId, Project, ProjectKey, SpendingRecord, Status};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::actuals::{observations_of_in, spending_of_in};
use crate::{corrupt, ActualSet, ProjectSummary, Store, StoreError};

/// Which declarations a list may show: all of them, or those of some units and those under
/// some departments (主管部门). Names are compared after trimming surrounding spaces on both
/// sides (the caller passes them trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Every declaration.
    pub all: bool,
    /// 实施单位 whose declarations are visible.
    pub units: Vec<String>,
    /// 主管部门 whose units' declarations are visible.
    pub departments: Vec<String>,
}

impl Visibility {
    /// Every declaration.
    pub fn everything() -> Visibility {
        Visibility {
            all: true,
            ..Visibility::default()
        }
    }
}

/// A page of the list: what is visible, narrowed by each filter that is set, in id order
/// (the order declarations were first imported).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Who may see what.
    pub visible: Visibility,
    /// 年度.
    pub year: Option<i32>,
    /// 主管部门 (trimmed).
    pub department: Option<String>,
    /// 实施单位 (trimmed).
    pub unit: Option<String>,
    /// 申报状态.
    pub status: Option<Status>,
    /// Rows skipped.
    pub offset: u64,
    /// Rows at most; `None` for all.
    pub limit: Option<u64>,
}

/// A page of summaries and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// The rows of the page.
    pub rows: Vec<ProjectSummary>,
    /// Declarations matching the query on all pages.
    pub total: u64,
}

/// The values the filters of a list can take: of the visible declarations, the years (newest
/// first), the departments and the units (each sorted by code point, duplicates removed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// 年度.
    pub years: Vec<i32>,
    /// 主管部门.
    pub departments: Vec<String>,
    /// 实施单位.
    pub units: Vec<String>,
}

/// A current declaration with what its pages show beside it, as [`Store::loaded`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// Its line of the list (status, version, funds, indicator count).
    pub summary: ProjectSummary,
    /// Its current version.
    pub project: Project,
    /// Its current actual values (and those of removed indicators).
    pub actuals: ActualSet,
    /// Its current spending records.
    pub spending: Vec<SpendingRecord>,
}

/// The columns of a [`ProjectSummary`], read by [`summary_from_row`] (the current version's
/// document follows them as column 9 in [`Store::loaded`]).
const SUMMARY_COLUMNS: &str = "d.id, d.year, d.unit, d.name, d.department, \
    d.status, d.current_version, v.funds_total, \
    (SELECT COUNT(*) FROM version_indicators i WHERE i.version_id = v.id)";

/// The current declarations and their current versions.
const SUMMARY_FROM: &str = " FROM declarations d JOIN declaration_versions v \
      ON v.declaration_id = d.id AND v.version = d.current_version";

/// `SELECT` of a [`ProjectSummary`]'s columns.
fn summary_select() -> String {
    format!("SELECT {SUMMARY_COLUMNS}{SUMMARY_FROM}")
}

/// A row of [`summary_select`].
pub(crate) fn summary_from_row(r: &AnyRow) -> Result<ProjectSummary, StoreError> {
    let status: String = r.try_get(5)?;
    Ok(ProjectSummary {
        id: r.try_get(0)?,
        key: ProjectKey {
            year: i32::try_from(r.try_get::<i64, _>(1)?).map_err(corrupt)?,
            unit: r.try_get(2)?,
            name: r.try_get(3)?,
        },
        department: r.try_get(4)?,
        status: Status::from_id(&status).ok_or_else(|| corrupt(format!("status {status:?}")))?,
        version: r.try_get(6)?,
        funds_total: crate::rows::yuan(r.try_get(7)?),
        indicators: r.try_get(8)?,
    })
}

/// A value bound to a placeholder.
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// A WHERE clause under construction, with its `$n` placeholders and their values.
#[derive(Default)]
pub(crate) struct Where {
    pub(crate) terms: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    pub(crate) fn param(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    fn list(&mut self, names: &[String]) -> String {
        let ps: Vec<String> = names
            .iter()
            .map(|n| self.param(Bind::Text(n.trim().to_string())))
            .collect();
        ps.join(", ")
    }

    pub(crate) fn visible(&mut self, v: &Visibility) {
        if v.all {
            return;
        }
        let mut any = Vec::new();
        if !v.units.is_empty() {
            let l = self.list(&v.units);
            any.push(format!("TRIM(d.unit) IN ({l})"));
        }
        if !v.departments.is_empty() {
            let l = self.list(&v.departments);
            any.push(format!("TRIM(d.department) IN ({l})"));
        }
        if any.is_empty() {
            self.terms.push("1 = 0".into());
        } else {
            self.terms.push(format!("({})", any.join(" OR ")));
        }
    }

    fn of(q: &ListQuery) -> Where {
        let mut w = Where::default();
        w.visible(&q.visible);
        if let Some(y) = q.year {
            let p = w.param(Bind::Int(i64::from(y)));
            w.terms.push(format!("d.year = {p}"));
        }
        if let Some(u) = &q.unit {
            let p = w.param(Bind::Text(u.trim().to_string()));
            w.terms.push(format!("TRIM(d.unit) = {p}"));
        }
        if let Some(dep) = &q.department {
            let p = w.param(Bind::Text(dep.trim().to_string()));
            w.terms.push(format!("TRIM(d.department) = {p}"));
        }
        if let Some(s) = q.status {
            let p = w.param(Bind::Text(s.id().to_string()));
            w.terms.push(format!("d.status = {p}"));
        }
        w
    }

    pub(crate) fn sql(&self) -> String {
        if self.terms.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.terms.join(" AND "))
        }
    }

    pub(crate) fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

impl Store {
    /// A page of the current declarations: visibility, filters, order (by id), offset and
    /// limit in SQL, and the number that match on all pages.
    pub async fn list_page(&self, q: &ListQuery) -> Result<ListPage, StoreError> {
        let w = Where::of(q);
        let clause = w.sql();
        let mut sql = format!("{}{clause} ORDER BY d.id", summary_select());
        if let Some(limit) = q.limit {
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
            sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
        } else if q.offset > 0 {
            // SQLite needs a LIMIT before an OFFSET.
            let offset = i64::try_from(q.offset).unwrap_or(i64::MAX);
            sql.push_str(&format!(" LIMIT {} OFFSET {offset}", i64::MAX));
        }
        let mut conn = self.pool().acquire().await?;
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
        let rows = rows
            .iter()
            .map(summary_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let total = if q.limit.is_none() && q.offset == 0 {
            rows.len() as u64
        } else {
            let count = format!("SELECT COUNT(*){SUMMARY_FROM}{clause}");
            let n: i64 = w
                .bind(sqlx::query(&count))
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            u64::try_from(n).map_err(corrupt)?
        };
        Ok(ListPage { rows, total })
    }

    /// The summary of one current declaration, by id.
    pub async fn summary(&self, id: DeclarationId) -> Result<Option<ProjectSummary>, StoreError> {
        let row = sqlx::query(&format!("{} WHERE d.id = $1", summary_select()))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(summary_from_row).transpose()
    }

    /// Every current declaration the query selects (visibility and filters; no paging), in id
    /// order, with its current version, actual values and spending — three queries however
    /// many declarations there are (the review queue: the submitted ones a reviewer sees).
    pub async fn loaded(&self, q: &ListQuery) -> Result<Vec<Loaded>, StoreError> {
        let w = Where::of(q);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, v.document{SUMMARY_FROM}{} ORDER BY d.id",
            w.sql()
        );
        let mut conn = self.pool().acquire().await?;
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let document: String = r.try_get(9)?;
            out.push((
                summary_from_row(r)?,
                serde_json::from_str::<Project>(&document).map_err(corrupt)?,
            ));
        }
        let ids: Vec<DeclarationId> = out.iter().map(|(s, _)| s.id).collect();
        let mut actuals = observations_of_in(&mut conn, &ids).await?;
        let mut spending = spending_of_in(&mut conn, &ids).await?;
        Ok(out
            .into_iter()
            .map(|(summary, project)| Loaded {
                actuals: actuals.remove(&summary.id).unwrap_or_default(),
                spending: spending.remove(&summary.id).unwrap_or_default(),
                summary,
                project,
            })
            .collect())
    }

    /// The years, departments and units of the visible declarations.
    pub async fn facets(&self, visible: &Visibility) -> Result<Facets, StoreError> {
        let mut w = Where::default();
        w.visible(visible);
        let clause = w.sql();
        let and = if clause.is_empty() { " WHERE" } else { " AND" };
        let mut conn = self.pool().acquire().await?;
        let mut years: Vec<i32> = Vec::new();
        for r in w
            .bind(sqlx::query(&format!(
                "SELECT DISTINCT d.year FROM declarations d{clause}"
            )))
            .fetch_all(&mut *conn)
            .await?
        {
            years.push(i32::try_from(r.try_get::<i64, _>(0)?).map_err(corrupt)?);
        }
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let mut departments: Vec<String> = Vec::new();
        for r in w
            .bind(sqlx::query(&format!(
                "SELECT DISTINCT d.department FROM declarations d{clause}{and} d.department IS NOT NULL"
            )))
            .fetch_all(&mut *conn)
            .await?
        {
            departments.push(r.try_get(0)?);
        }
        // Sorted here, not by the database: PostgreSQL orders text by its collation.
        departments.sort();
        departments.dedup();
        let mut units: Vec<String> = Vec::new();
        for r in w
            .bind(sqlx::query(&format!(
                "SELECT DISTINCT d.unit FROM declarations d{clause}"
            )))
            .fetch_all(&mut *conn)
            .await?
        {
            units.push(r.try_get(0)?);
        }
        units.sort();
        units.dedup();
        Ok(Facets {
            years,
            departments,
            units,
        })
    }
}
