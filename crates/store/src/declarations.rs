//! Declarations: import (identity, versions, indicator matching), list, find, export, versions,
//! rename and workflow status.

use jixiao_model::{
    diff_indicators, match_indicators, normalize_name, Decimal, DeclarationId, Form, Indicator,
    IndicatorDiff, IndicatorId, Project, ProjectKey, Status, FORM_FORMAT,
};
use serde_json::json;
use sqlx::{Any, AnyConnection, Row, Transaction};

use std::collections::{HashMap, HashSet};

use crate::audit::{write_audit, write_audit_rows, AuditRow, Change};
use crate::rows::{
    content, fill, insert_version, normalize_amounts, version_from_row, Params, VERSION_COLUMNS,
};
use crate::{corrupt, now, org, Store, StoreError};

/// What an import did, project by project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// New declarations.
    pub added: Vec<ProjectKey>,
    /// Declarations whose content changed: a new version is now current.
    pub replaced: Vec<ProjectKey>,
    /// Declarations imported again without change.
    pub unchanged: Vec<ProjectKey>,
    /// For each replaced declaration, what changed.
    pub changes: Vec<ProjectChange>,
}

/// What a new version changed in a declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectChange {
    /// The declaration.
    pub id: DeclarationId,
    /// Its identity after the change.
    pub key: ProjectKey,
    /// The new version number.
    pub version: i64,
    /// The previous 项目名称, when the import renamed it (through an id in canonical JSON).
    pub renamed_from: Option<String>,
    /// Indicators matched, changed, added and removed.
    pub indicators: IndicatorDiff,
    /// 年度资金申请总额 before and after, when it changed.
    pub funds: Option<(Decimal, Decimal)>,
    /// Current actual values of removed indicators: kept, reported as orphaned.
    pub orphaned_actuals: usize,
    /// Current actual values of indicators whose target kind changed: to be confirmed.
    pub kind_changed_actuals: usize,
}

/// A line of `jixiao list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSummary {
    /// Stable id.
    pub id: DeclarationId,
    /// Identity.
    pub key: ProjectKey,
    /// 主管部门.
    pub department: Option<String>,
    /// Workflow status.
    pub status: Status,
    /// Current version number, from 1.
    pub version: i64,
    /// 年度资金申请总额.
    pub funds_total: Decimal,
    /// Number of indicators.
    pub indicators: i64,
}

/// One version of a declaration, for `show --versions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// Version number, from 1.
    pub version: i64,
    /// Whether it is the current one.
    pub current: bool,
    /// When it was written (UTC, ISO 8601).
    pub created_at: String,
    /// Who wrote it.
    pub created_by: String,
    /// The file it was imported from, when it came by import.
    pub source: Option<String>,
    /// The declaration as of this version.
    pub project: Project,
}

/// A stored declaration as an upload may name it: its id, identity, 主管部门 and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Stable id.
    pub id: DeclarationId,
    /// (year, unit, name) as stored.
    pub key: ProjectKey,
    /// 主管部门 as stored.
    pub department: Option<String>,
    /// Workflow status.
    pub status: Status,
}

/// What [`Store::identify`] found for one project of an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identified {
    /// The declaration the project's `id` names, when it carries one that exists.
    pub by_id: Option<Stored>,
    /// The declaration of the project's (year, unit, name), when there is one.
    pub by_key: Option<Stored>,
}

impl Store {
    /// Imports one form in one transaction, as `by`.
    pub async fn import(
        &self,
        source: &str,
        form: &Form,
        by: &str,
    ) -> Result<ImportSummary, StoreError> {
        self.import_all(&[(source, form)], by).await
    }

    /// Imports several forms (e.g. the files of one `jixiao import`) in one transaction: all
    /// of them or none.
    pub async fn import_all(
        &self,
        forms: &[(&str, &Form)],
        by: &str,
    ) -> Result<ImportSummary, StoreError> {
        self.retrying(|| async move {
            let mut tx = self.write_tx().await?;
            let total = import_all_in(&mut tx, forms, by, &now(), &mut UnitsSeen::new()).await?;
            tx.commit().await?;
            Ok(total)
        })
        .await
    }

    /// The current version of every declaration, in the order they were first imported.
    pub async fn list(&self) -> Result<Vec<ProjectSummary>, StoreError> {
        Ok(self
            .list_page(&crate::ListQuery {
                visible: crate::Visibility::everything(),
                ..Default::default()
            })
            .await?
            .rows)
    }

    /// Current declarations named `name` (several when units or years differ), optionally of
    /// one year.
    pub async fn find(&self, name: &str, year: Option<i32>) -> Result<Vec<Project>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        find_in(&mut conn, name, year).await
    }

    /// The current version of a declaration.
    pub async fn project(&self, id: DeclarationId) -> Result<Option<Project>, StoreError> {
        Ok(self.current_of(&[id]).await?.pop())
    }

    /// The current versions of these declarations, in id order.
    pub async fn current_of(&self, ids: &[DeclarationId]) -> Result<Vec<Project>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool().acquire().await?;
        current_of_in(&mut conn, ids).await
    }

    /// All versions of a declaration, oldest first.
    pub async fn versions(&self, id: DeclarationId) -> Result<Vec<VersionInfo>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let meta = sqlx::query(
            "SELECT v.version, CASE WHEN v.version = d.current_version THEN 1 ELSE 0 END, v.created_at, v.created_by, i.source \
             FROM declaration_versions v JOIN declarations d ON d.id = v.declaration_id \
             LEFT JOIN imports i ON i.id = v.import_id \
             WHERE v.declaration_id = $1 ORDER BY v.version",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let projects = load_versions(&mut conn, &format!("WHERE v.declaration_id = {id}")).await?;
        meta.iter()
            .zip(projects)
            .map(|(r, (project, _))| {
                Ok(VersionInfo {
                    version: r.try_get(0)?,
                    current: r.try_get::<i64, _>(1)? == 1,
                    created_at: r.try_get(2)?,
                    created_by: r.try_get(3)?,
                    source: r.try_get(4)?,
                    project,
                })
            })
            .collect()
    }

    /// Every current declaration as one form, in import order. The title is kept when all the
    /// declarations came with the same one.
    pub async fn export(&self) -> Result<Form, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let loaded = load_versions(
            &mut conn,
            "JOIN declarations d ON d.id = v.declaration_id AND v.version = d.current_version",
        )
        .await?;
        let mut titles: Vec<Option<String>> = Vec::new();
        let mut projects = Vec::with_capacity(loaded.len());
        for (p, t) in loaded {
            if !titles.contains(&t) {
                titles.push(t);
            }
            projects.push(p);
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

    /// Row counts of (declaration versions, indicator rows of all versions, imports).
    pub async fn counts(&self) -> Result<(i64, i64, i64), StoreError> {
        let r = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM declaration_versions), (SELECT COUNT(*) FROM version_indicators), (SELECT COUNT(*) FROM imports)",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
    }

    /// Renames a declaration (项目名称): a new version with the new name; its id, indicators
    /// and actuals stay.
    pub async fn rename(
        &self,
        id: DeclarationId,
        new_name: &str,
        by: &str,
    ) -> Result<ProjectChange, StoreError> {
        let mut p = self.project(id).await?.ok_or_else(|| not_found(id))?;
        let new_name = new_name.trim();
        if new_name.is_empty() {
            return Err(StoreError::Invalid {
                zh: "项目名称不能为空".into(),
                en: "the project name cannot be empty".into(),
            });
        }
        p.name = new_name.to_string();
        let mut tx = self.write_tx().await?;
        let at = now();
        let mut summary = ImportSummary::default();
        import_project(
            &mut tx,
            None,
            None,
            &p,
            "rename",
            by,
            &at,
            &mut summary,
            &mut UnitsSeen::new(),
        )
        .await?;
        tx.commit().await?;
        summary.changes.pop().ok_or_else(|| StoreError::Conflict {
            zh: format!("项目已名为「{new_name}」"),
            en: format!("the project is already named {new_name:?}"),
        })
    }

    /// The stored declarations the projects of an upload name, before anything is matched:
    /// for each project, the declaration its `id` names (when it carries one and it exists)
    /// and the one of its (year, unit, name). The caller decides with these which declaration
    /// a project may update (`jixiao-app` checks the actor's permission on the stored owner).
    pub async fn identify(&self, projects: &[Project]) -> Result<Vec<Identified>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let rows = candidates(&mut tx, projects, "department, status").await?;
        tx.rollback().await?;
        let mut by_id: HashMap<i64, Stored> = HashMap::new();
        let mut by_key: HashMap<(i64, String, String), i64> = HashMap::new();
        for r in rows {
            let id: i64 = r.try_get(0)?;
            let year: i64 = r.try_get(2)?;
            let unit: String = r.try_get(3)?;
            let name: String = r.try_get(4)?;
            let status: String = r.try_get(6)?;
            by_key.insert((year, unit.clone(), name.clone()), id);
            by_id.insert(
                id,
                Stored {
                    id,
                    key: ProjectKey {
                        year: i32::try_from(year).map_err(corrupt)?,
                        unit,
                        name,
                    },
                    department: r.try_get(5)?,
                    status: Status::from_id(&status)
                        .ok_or_else(|| corrupt(format!("status {status:?}")))?,
                },
            );
        }
        Ok(projects
            .iter()
            .map(|p| Identified {
                by_id: p.id.and_then(|id| by_id.get(&id).cloned()),
                by_key: by_key
                    .get(&(i64::from(p.year), p.unit.clone(), p.name.clone()))
                    .and_then(|id| by_id.get(id).cloned()),
            })
            .collect())
    }

    /// The workflow status of a declaration.
    pub async fn status(&self, id: DeclarationId) -> Result<Status, StoreError> {
        let s: Option<String> = sqlx::query("SELECT status FROM declarations WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        let s = s.ok_or_else(|| not_found(id))?;
        Status::from_id(&s).ok_or_else(|| corrupt(format!("status {s:?}")))
    }

    /// Sets the workflow status of a declaration (the app checks that the transition is
    /// allowed), with its audit row.
    pub async fn set_status(
        &self,
        id: DeclarationId,
        status: Status,
        comment: Option<&str>,
        by: &str,
    ) -> Result<(), StoreError> {
        let before = self.status(id).await?;
        let mut tx = self.write_tx().await?;
        let at = now();
        sqlx::query("UPDATE declarations SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.id())
            .bind(&at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "status",
                entity: "declaration",
                entity_id: Some(id),
                declaration_id: Some(id),
                summary: format!("{} → {}", before.zh(), status.zh()),
                before: Some(json!({ "status": before.id() })),
                after: Some(json!({ "status": status.id(), "comment": comment })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn not_found(id: DeclarationId) -> StoreError {
    StoreError::NotFound {
        zh: format!("没有编号为 {id} 的申报项目"),
        en: format!("no declaration with id {id}"),
    }
}

pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Versions selected by `tail` (joins and a WHERE clause over `v`, integers only, no
/// parameters), in (declaration, version) order, read from their documents.
pub(crate) async fn load_versions(
    conn: &mut AnyConnection,
    tail: &str,
) -> Result<Vec<(Project, Option<String>)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT v.document, v.title FROM declaration_versions v {tail} ORDER BY v.declaration_id, v.version"
    ))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let doc: String = r.try_get(0)?;
            let p: Project = serde_json::from_str(&doc).map_err(corrupt)?;
            Ok((p, r.try_get(1)?))
        })
        .collect()
}

/// The same versions rebuilt from their rows (header, tasks, indicators), each with its
/// document.
async fn load_versions_from_rows(
    conn: &mut AnyConnection,
    tail: &str,
) -> Result<Vec<(Project, String)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS}, v.document FROM declaration_versions v {tail} ORDER BY v.declaration_id, v.version"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut projects = Vec::with_capacity(rows.len());
    let mut docs = Vec::with_capacity(rows.len());
    for r in &rows {
        let (vid, p, _) = version_from_row(r)?;
        projects.push((vid, p));
        docs.push(r.try_get::<String, _>(23)?);
    }
    fill(
        conn,
        &mut projects,
        &format!("SELECT v.id FROM declaration_versions v {tail}"),
    )
    .await?;
    Ok(projects.into_iter().map(|(_, p)| p).zip(docs).collect())
}

impl Store {
    /// Rebuilds every version of every declaration from its rows and compares it with the
    /// version's document (the read cache); returns how many versions were checked, or
    /// [`StoreError::Corrupt`] naming the first that differs.
    pub async fn verify_documents(&self) -> Result<usize, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let all = load_versions_from_rows(&mut conn, "").await?;
        for (p, doc) in &all {
            let cached: Project = serde_json::from_str(doc).map_err(corrupt)?;
            if &cached != p {
                return Err(corrupt(format!(
                    "declaration {:?} ({}): its document differs from its rows",
                    p.id, p.name
                )));
            }
        }
        Ok(all.len())
    }
}

/// [`Store::import_all`] inside a transaction, at `at`; `units` are the (unit, department)
/// pairs this transaction has registered already.
pub(crate) async fn import_all_in(
    tx: &mut Transaction<'_, Any>,
    forms: &[(&str, &Form)],
    by: &str,
    at: &str,
    units: &mut UnitsSeen,
) -> Result<ImportSummary, StoreError> {
    let mut total = ImportSummary::default();
    for (source, form) in forms {
        let import_id: i64 = sqlx::query(
            "INSERT INTO imports (source, imported_at, added, replaced, unchanged) VALUES ($1, $2, 0, 0, 0) RETURNING id",
        )
        .bind(*source)
        .bind(at)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        let mut summary = ImportSummary::default();
        units.known = Some(preload_known(tx, &form.projects).await?);
        units.audits = Some(Vec::new());
        for p in &form.projects {
            import_project(
                tx,
                Some(import_id),
                form.title.as_deref(),
                p,
                "import",
                by,
                at,
                &mut summary,
                units,
            )
            .await?;
        }
        units.known = None;
        if let Some(pending) = units.audits.take() {
            write_audit_rows(tx, &pending).await?;
        }
        sqlx::query("UPDATE imports SET added = $1, replaced = $2, unchanged = $3 WHERE id = $4")
            .bind(summary.added.len() as i64)
            .bind(summary.replaced.len() as i64)
            .bind(summary.unchanged.len() as i64)
            .bind(import_id)
            .execute(&mut **tx)
            .await?;
        total.added.extend(summary.added);
        total.replaced.extend(summary.replaced);
        total.unchanged.extend(summary.unchanged);
        total.changes.extend(summary.changes);
    }
    Ok(total)
}

/// [`Store::find`] on a connection (or inside a transaction).
pub(crate) async fn find_in(
    conn: &mut AnyConnection,
    name: &str,
    year: Option<i32>,
) -> Result<Vec<Project>, StoreError> {
    let rows = sqlx::query("SELECT id, year FROM declarations WHERE name = $1 ORDER BY id")
        .bind(name)
        .fetch_all(&mut *conn)
        .await?;
    let mut ids = Vec::new();
    for r in rows {
        let y: i64 = r.try_get(1)?;
        if year.is_none_or(|want| i64::from(want) == y) {
            ids.push(r.try_get::<i64, _>(0)?);
        }
    }
    current_of_in(conn, &ids).await
}

/// [`Store::current_of`] on a connection (or inside a transaction).
pub(crate) async fn current_of_in(
    conn: &mut AnyConnection,
    ids: &[DeclarationId],
) -> Result<Vec<Project>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(ids);
    let loaded = load_versions(
        conn,
        &format!(
            "JOIN declarations d ON d.id = v.declaration_id AND v.version = d.current_version \
             WHERE d.id IN ({list})"
        ),
    )
    .await?;
    let mut projects: Vec<Project> = loaded.into_iter().map(|(p, _)| p).collect();
    crate::library::fill_links(conn, &mut projects).await?;
    Ok(projects)
}

/// The declaration an imported project continues: by its id when it carries one we have,
/// else by (year, unit, name). The identities preloaded for the form, when there are, answer
/// without a query.
async fn find_declaration(
    tx: &mut Transaction<'_, Any>,
    p: &Project,
    seen: &UnitsSeen,
) -> Result<Option<(i64, i64)>, StoreError> {
    if let Some(known) = &seen.known {
        if let Some(id) = p.id {
            if let Some(found) = known.by_id.get(&id) {
                return Ok(Some(*found));
            }
        }
        return Ok(known
            .by_key
            .get(&(i64::from(p.year), p.unit.clone(), p.name.clone()))
            .copied());
    }
    if let Some(id) = p.id {
        let row = sqlx::query("SELECT id, current_version FROM declarations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(r) = row {
            return Ok(Some((r.try_get(0)?, r.try_get(1)?)));
        }
    }
    let row = sqlx::query(
        "SELECT id, current_version FROM declarations WHERE year = $1 AND unit = $2 AND name = $3",
    )
    .bind(i64::from(p.year))
    .bind(&p.unit)
    .bind(&p.name)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// What a transaction has learnt while importing, so that it asks the database less: the
/// (unit, department) pairs it registered in the org tree, the ids of departments and units,
/// and — while [`import_all_in`] imports a form — the identities of the declarations the form
/// may continue (preloaded in a few queries, kept current as declarations are added and
/// renamed) and the audit rows it has still to write.
#[derive(Default)]
pub(crate) struct UnitsSeen {
    pairs: HashSet<(String, Option<String>)>,
    pub(crate) org: org::OrgCache,
    known: Option<Known>,
    audits: Option<Vec<AuditRow>>,
}

/// Declarations' (id, current version) by id and by (year, unit, name).
#[derive(Default)]
struct Known {
    by_id: HashMap<i64, (i64, i64)>,
    by_key: HashMap<(i64, String, String), (i64, i64)>,
}

impl UnitsSeen {
    pub(crate) fn new() -> UnitsSeen {
        UnitsSeen::default()
    }

    fn note(
        &mut self,
        id: i64,
        version: i64,
        key: (i64, String, String),
        old: Option<&(i64, String, String)>,
    ) {
        if let Some(k) = &mut self.known {
            if let Some(old) = old {
                k.by_key.remove(old);
            }
            k.by_id.insert(id, (id, version));
            k.by_key.insert(key, (id, version));
        }
    }

    async fn audit(
        &mut self,
        tx: &mut Transaction<'_, Any>,
        c: &Change<'_>,
    ) -> Result<(), StoreError> {
        match &mut self.audits {
            Some(pending) => {
                pending.push(AuditRow::from(c));
                Ok(())
            }
            None => write_audit(tx, c).await,
        }
    }
}

/// Rows per query when preloading identities by name or id.
const KEYS_PER_QUERY: usize = 500;

/// Rows `id, current_version, year, unit, name, {extra}` of the declarations that have one of
/// the projects' names or ids, in a few queries (500 keys each).
async fn candidates(
    tx: &mut Transaction<'_, Any>,
    projects: &[Project],
    extra: &str,
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let mut names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let ids: Vec<i64> = projects.iter().filter_map(|p| p.id).collect();
    let columns = format!("id, current_version, year, unit, name, {extra}");
    let mut rows = Vec::new();
    for chunk in names.chunks(KEYS_PER_QUERY) {
        let mut ps = Params::new(tx);
        let params: Vec<String> = (0..chunk.len()).map(|_| ps.next()).collect();
        let sql = format!(
            "SELECT {columns} FROM declarations WHERE name IN ({})",
            params.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q.bind(*n);
        }
        rows.extend(q.fetch_all(&mut **tx).await?);
    }
    for chunk in ids.chunks(KEYS_PER_QUERY) {
        rows.extend(
            sqlx::query(&format!(
                "SELECT {columns} FROM declarations WHERE id IN ({})",
                id_list(chunk)
            ))
            .fetch_all(&mut **tx)
            .await?,
        );
    }
    Ok(rows)
}

/// The declarations the projects of a form may continue: those with one of their names or ids.
async fn preload_known(
    tx: &mut Transaction<'_, Any>,
    projects: &[Project],
) -> Result<Known, StoreError> {
    let mut known = Known::default();
    let rows = candidates(tx, projects, "current_version").await?;
    for r in rows {
        let id: i64 = r.try_get(0)?;
        let v: i64 = r.try_get(1)?;
        known.by_id.insert(id, (id, v));
        known
            .by_key
            .insert((r.try_get(2)?, r.try_get(3)?, r.try_get(4)?), (id, v));
    }
    Ok(known)
}

/// Imports one project inside a transaction; `import` is `None` when the new version does not
/// come from a file (a rename, an edit). `action` names the change in the audit (`import`,
/// `rename`, `create`, `edit`, `adjust`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn import_project(
    tx: &mut Transaction<'_, Any>,
    import: Option<i64>,
    title: Option<&str>,
    incoming: &Project,
    action: &str,
    by: &str,
    at: &str,
    summary: &mut ImportSummary,
    units: &mut UnitsSeen,
) -> Result<(), StoreError> {
    let mut p = incoming.clone();
    normalize_amounts(&mut p)?;
    p.assign_codes();
    let key = p.key();
    // A declaration's 主管部门 is its unit's department in the org tree: a form that names
    // none gets it, one that names another is refused (the app has said so with the file's
    // position already; this keeps the rule for every path that writes a version).
    if let Some(Some(dept)) = org::unit_department_cached(tx, &mut units.org, &p.unit).await? {
        match p
            .department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) if d != dept.trim() => {
                return Err(StoreError::Invalid {
                    zh: format!(
                        "「{}」的主管部门是「{dept}」，不是「{d}」；主管部门取自组织机构",
                        p.unit
                    ),
                    en: format!(
                        "the department of {:?} is {dept:?}, not {d:?}: it comes from the org tree",
                        p.unit
                    ),
                })
            }
            _ => p.department = Some(dept),
        }
    }
    // The org tree learns each (unit, department) once per transaction.
    if units.pairs.insert((p.unit.clone(), p.department.clone())) {
        org::ensure_unit_cached(tx, &mut units.org, &p.unit, p.department.as_deref(), at).await?;
    }
    let Some((decl, current_version)) = find_declaration(tx, &p, units).await? else {
        // A new declaration.
        let decl: i64 = sqlx::query(
            "INSERT INTO declarations (year, unit, name, department, status, current_version, created_at, updated_at, unit_key, name_key) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7, $8) RETURNING id",
        )
        .bind(i64::from(p.year))
        .bind(&p.unit)
        .bind(&p.name)
        .bind(p.department.as_deref())
        .bind(Status::Draft.id())
        .bind(at)
        .bind(normalize_name(&p.unit))
        .bind(normalize_name(&p.name))
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        p.id = Some(decl);
        let ids = new_indicators(tx, decl, 1, p.indicators.len()).await?;
        for (ind, id) in p.indicators.iter_mut().zip(ids) {
            ind.id = Some(id);
        }
        insert_version(tx, decl, 1, import, by, at, title, &p).await?;
        crate::library::link_chosen(tx, &chosen_links(&p.indicators, &p.indicators), by, at)
            .await?;
        units.note(
            decl,
            1,
            (i64::from(p.year), p.unit.clone(), p.name.clone()),
            None,
        );
        units
            .audit(
                tx,
                &Change {
                    at,
                    actor: by,
                    action,
                    entity: "declaration",
                    entity_id: Some(decl),
                    declaration_id: Some(decl),
                    summary: format!("新增申报 {}（{}年度，{}）", p.name, p.year, p.unit),
                    before: None,
                    after: Some(version_digest(&p, 1)),
                },
            )
            .await?;
        summary.added.push(key);
        return Ok(());
    };

    let mut conn_versions = load_versions(
        tx,
        &format!("WHERE v.declaration_id = {decl} AND v.version = {current_version}"),
    )
    .await?;
    let (old, _) = conn_versions.pop().ok_or_else(|| {
        corrupt(format!(
            "declaration {decl} has no version {current_version}"
        ))
    })?;
    // A declaration never changes unit by an import or an edit.
    if old.unit.trim() != p.unit.trim() {
        return Err(StoreError::Invalid {
            zh: format!(
                "申报项目「{}」属于「{}」，不能改为「{}」：导入和编辑不改变实施单位",
                old.name, old.unit, p.unit
            ),
            en: format!(
                "the declaration {:?} belongs to {:?} and cannot become {:?}'s: an import or an edit never changes the unit",
                old.name, old.unit, p.unit
            ),
        });
    }
    if content(&old) == content(&p) {
        // Equal content: the same indicators in the same order, so the old ones' ids.
        crate::library::link_chosen(tx, &chosen_links(&old.indicators, &p.indicators), by, at)
            .await?;
        summary.unchanged.push(key);
        return Ok(());
    }
    // A submitted or approved declaration is locked: an import or a rename may not change it
    // (edits and adjustments check the status themselves, in their transaction).
    if matches!(action, "import" | "rename") {
        let status: String = sqlx::query("SELECT status FROM declarations WHERE id = $1")
            .bind(decl)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
        let status =
            Status::from_id(&status).ok_or_else(|| corrupt(format!("status {status:?}")))?;
        if !status.is_editable() {
            return Err(StoreError::Conflict {
                zh: format!(
                    "{}年度「{}」（{}）状态为「{}」，不能用导入或更名修改{}；未导入任何内容",
                    p.year,
                    old.name,
                    p.unit,
                    status.zh(),
                    if status == Status::Approved {
                        "（已批准，需通过调整修改）"
                    } else {
                        "（等待审核，退回后才能修改）"
                    }
                ),
                en: format!(
                    "{} {:?} of {} is {}: an import or a rename cannot change it ({}); nothing was imported",
                    p.year,
                    old.name,
                    p.unit,
                    status.id(),
                    if status == Status::Approved {
                        "approved: use an adjustment"
                    } else {
                        "waiting for review: it can be changed after it is returned"
                    }
                ),
            });
        }
    }
    if old.key() != key {
        let taken = sqlx::query(
            "SELECT id FROM declarations WHERE year = $1 AND unit = $2 AND name = $3 AND id <> $4",
        )
        .bind(i64::from(p.year))
        .bind(&p.unit)
        .bind(&p.name)
        .bind(decl)
        .fetch_optional(&mut **tx)
        .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict {
                zh: format!(
                    "申报项目 {decl} 不能改为「{}」：{}年度 {} 已有同名项目",
                    p.name, p.year, p.unit
                ),
                en: format!(
                    "declaration {decl} cannot become {:?}: {} of {} already has a project of that name",
                    p.name, p.unit, p.year
                ),
            });
        }
    }
    // Indicator identities by content; ids given in the file only count when they are ours.
    for ind in &mut p.indicators {
        if ind
            .id
            .is_some_and(|id| !old.indicators.iter().any(|o| o.id == Some(id)))
        {
            ind.id = None;
        }
    }
    p.id = Some(decl);
    let pairs = match_indicators(&old.indicators, &p.indicators);
    let diff = diff_indicators(&old.indicators, &p.indicators, &pairs);
    let version = current_version + 1;
    let fresh = pairs.iter().filter(|p| p.is_none()).count();
    let mut ids = new_indicators(tx, decl, version, fresh).await?.into_iter();
    for (ind, pair) in p.indicators.iter_mut().zip(&pairs) {
        ind.id = match pair {
            Some(o) => old.indicators[*o].id,
            None => ids.next(),
        };
    }
    insert_version(tx, decl, version, import, by, at, title, &p).await?;
    crate::library::link_chosen(tx, &chosen_links(&p.indicators, &p.indicators), by, at).await?;
    sqlx::query(
        "UPDATE declarations SET year = $1, unit = $2, name = $3, department = $4, current_version = $5, updated_at = $6, \
         unit_key = $8, name_key = $9 WHERE id = $7",
    )
    .bind(i64::from(p.year))
    .bind(&p.unit)
    .bind(&p.name)
    .bind(p.department.as_deref())
    .bind(version)
    .bind(at)
    .bind(decl)
    .bind(normalize_name(&p.unit))
    .bind(normalize_name(&p.name))
    .execute(&mut **tx)
    .await?;
    units.note(
        decl,
        version,
        (i64::from(p.year), p.unit.clone(), p.name.clone()),
        Some(&(i64::from(old.year), old.unit.clone(), old.name.clone())),
    );

    // Actuals left behind by removed indicators, and those whose target kind changed.
    let kept: Vec<i64> = p.indicators.iter().filter_map(|i| i.id).collect();
    let removed_ids: Vec<i64> = old
        .indicators
        .iter()
        .filter_map(|i| i.id)
        .filter(|id| !kept.contains(id))
        .collect();
    let kind_changed_ids: Vec<i64> = p
        .indicators
        .iter()
        .zip(&pairs)
        .filter_map(|(n, pair)| {
            let o = &old.indicators[(*pair)?];
            (o.target.kind() != n.target.kind())
                .then_some(n.id)
                .flatten()
        })
        .collect();
    let orphaned_actuals = count_current_actuals(tx, &removed_ids).await?;
    let kind_changed_actuals = count_current_actuals(tx, &kind_changed_ids).await?;

    let change = ProjectChange {
        id: decl,
        key: key.clone(),
        version,
        renamed_from: (old.name != p.name).then(|| old.name.clone()),
        indicators: diff,
        funds: (old.funds.total != p.funds.total).then_some((old.funds.total, p.funds.total)),
        orphaned_actuals,
        kind_changed_actuals,
    };
    units
        .audit(
            tx,
            &Change {
                at,
                actor: by,
                action,
                entity: "declaration",
                entity_id: Some(decl),
                declaration_id: Some(decl),
                summary: format!(
                    "{} 第 {version} 版：新增 {} 个指标，删除 {} 个，修改 {} 个",
                    p.name,
                    change.indicators.added.len(),
                    change.indicators.removed.len(),
                    change.indicators.changed.len()
                ),
                before: Some(version_digest(&old, current_version)),
                after: Some(version_digest(&p, version)),
            },
        )
        .await?;
    summary.replaced.push(key);
    summary.changes.push(change);
    Ok(())
}

/// The (indicator id, library entry) links the indicators of `chosen` carry, the ids taken
/// from `ids` at the same places.
fn chosen_links(ids: &[Indicator], chosen: &[Indicator]) -> Vec<(IndicatorId, i64)> {
    ids.iter()
        .zip(chosen)
        .filter_map(|(i, c)| Some((i.id?, c.library?)))
        .collect()
}

/// What the audit keeps of a version (the version row itself holds the rest).
fn version_digest(p: &Project, version: i64) -> serde_json::Value {
    json!({
        "version": version,
        "name": p.name,
        "funds_total": p.funds.total.to_string(),
        "indicators": p.indicators.len(),
    })
}

/// Rows per multi-row INSERT of new indicator identities (2 parameters each).
const IDS_PER_INSERT: usize = 1000;

/// `n` new indicator identities of a declaration, one statement per thousand. The rows are
/// alike (declaration, version), so which returned id goes to which indicator does not matter.
async fn new_indicators(
    tx: &mut Transaction<'_, Any>,
    declaration: i64,
    version: i64,
    n: usize,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(n);
    let mut left = n;
    while left > 0 {
        let k = left.min(IDS_PER_INSERT);
        let mut params = Params::new(tx);
        let values: Vec<String> = (0..k).map(|_| params.row(2)).collect();
        let sql = format!(
            "INSERT INTO indicators (declaration_id, created_version) VALUES {} RETURNING id",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for _ in 0..k {
            q = q.bind(declaration).bind(version);
        }
        for r in q.fetch_all(&mut **tx).await? {
            ids.push(r.try_get(0)?);
        }
        left -= k;
    }
    Ok(ids)
}

async fn count_current_actuals(
    tx: &mut Transaction<'_, Any>,
    indicator_ids: &[i64],
) -> Result<usize, StoreError> {
    if indicator_ids.is_empty() {
        return Ok(0);
    }
    let n: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) FROM actual_values WHERE is_current = 1 AND indicator_id IN ({})",
        id_list(indicator_ids)
    ))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(n as usize)
}
