//! 指标库 — the indicator library's rows: entries (current version in `library_entries`, every
//! version in `library_entry_versions`), the links from a declaration's indicator to its entry
//! (`indicator_library_links`), and the link of a declaration to last year's
//! (`declaration_predecessors`). Every write is one transaction with its audit rows.

use std::collections::BTreeSet;

use jixiao_model::{
    normalize_name, DeclarationId, Direction, Indicator, IndicatorId, Level1, Level2, LibraryEntry,
    LibraryScope, Project,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::audit::{write_audit, Change};
use crate::declarations::{current_of_in, id_list};
use crate::listing::{Bind, Where};
use crate::rows::{indicator_from_row, INDICATOR_COLUMNS};
use crate::{corrupt, now, Store, StoreError, Visibility};

/// An indicator of a declaration's approved version, with the declaration's owner: what the
/// library's search ranks beside the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedIndicator {
    /// The declaration.
    pub declaration: DeclarationId,
    /// Its 实施单位.
    pub unit: String,
    /// Its 主管部门.
    pub department: Option<String>,
    /// The indicator as approved.
    pub indicator: Indicator,
}

/// How a normalised name matches a normalised query, as SQL over `column` with the query in
/// `$1` and its length in characters in `$2`: 0 equal, 1 starting with it, 2 holding it.
fn match_rank(column: &str) -> String {
    format!(
        "CASE WHEN {column} = $1 THEN 0 \
         WHEN substr({column}, 1, CAST($2 AS INTEGER)) = $1 THEN 1 ELSE 2 END"
    )
}

/// Whether the normalised name in `column` holds the query `$1` (case-sensitive on both
/// backends, unlike SQLite's `LIKE`).
fn holds(column: &str) -> String {
    format!("REPLACE({column}, $1, '') <> {column}")
}

/// Library order: scope, 一级, 二级, name, id.
fn sort_entries(entries: &mut [LibraryEntry]) {
    entries.sort_by(|a, b| {
        (a.scope, a.level1.ordinal(), a.level2.id(), &a.name, a.id).cmp(&(
            b.scope,
            b.level1.ordinal(),
            b.level2.id(),
            &b.name,
            b.id,
        ))
    });
}

const ENTRY_COLUMNS: &str = "id, scope, level1, level2, sector, department, name, definition, \
    unit, direction, formula, data_source, scoring_rule, is_core, typical_target, uses, version";

fn entry_from_row(r: &AnyRow) -> Result<LibraryEntry, StoreError> {
    let scope: String = r.try_get(1)?;
    let level1: String = r.try_get(2)?;
    let direction: String = r.try_get(9)?;
    Ok(LibraryEntry {
        id: Some(r.try_get(0)?),
        scope: LibraryScope::parse(&scope).ok_or_else(|| corrupt(format!("scope {scope:?}")))?,
        level1: Level1::ALL
            .into_iter()
            .find(|l| l.en() == level1)
            .ok_or_else(|| corrupt(format!("level1 {level1:?}")))?,
        level2: Level2::from_id(&r.try_get::<String, _>(3)?),
        sector: r.try_get(4)?,
        department: r.try_get(5)?,
        name: r.try_get(6)?,
        definition: r.try_get(7)?,
        unit: r.try_get(8)?,
        direction: Direction::parse(&direction)
            .ok_or_else(|| corrupt(format!("direction {direction:?}")))?,
        formula: r.try_get(10)?,
        data_source: r.try_get(11)?,
        scoring_rule: r.try_get(12)?,
        core: r.try_get::<i64, _>(13)? != 0,
        typical_target: r.try_get(14)?,
        uses: u32::try_from(r.try_get::<i64, _>(15)?).map_err(corrupt)?,
        version: r.try_get(16)?,
    })
}

/// What a write of several entries did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryWrite {
    /// Entries created.
    pub added: usize,
    /// Entries that got a new version.
    pub changed: usize,
    /// Entries given as they were.
    pub unchanged: usize,
    /// Indicator links written or moved.
    pub linked: usize,
}

/// The content of an entry that a version compares (no id, no version).
fn content(e: &LibraryEntry) -> LibraryEntry {
    LibraryEntry {
        id: None,
        version: 0,
        ..e.clone()
    }
}

async fn entry_by_key(
    tx: &mut Transaction<'_, Any>,
    key: &str,
) -> Result<Option<LibraryEntry>, StoreError> {
    sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM library_entries WHERE entry_key = $1"
    ))
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| entry_from_row(&r))
    .transpose()
}

async fn entry_by_id(
    tx: &mut Transaction<'_, Any>,
    id: i64,
) -> Result<Option<LibraryEntry>, StoreError> {
    sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM library_entries WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| entry_from_row(&r))
    .transpose()
}

type Query<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds $1…$20 ($20: the name's search key) of an entry's INSERT or UPDATE.
fn bind_entry<'q>(q: Query<'q>, e: &LibraryEntry, key: &str, at: &str, by: &str) -> Query<'q> {
    q.bind(key.to_string())
        .bind(e.scope.id())
        .bind(e.level1.en())
        .bind(e.level2.id().to_string())
        .bind(e.sector.clone())
        .bind(e.department.clone())
        .bind(e.name.clone())
        .bind(e.definition.clone())
        .bind(e.unit.clone())
        .bind(e.direction.id())
        .bind(e.formula.clone())
        .bind(e.data_source.clone())
        .bind(e.scoring_rule.clone())
        .bind(i64::from(e.core))
        .bind(e.typical_target.clone())
        .bind(i64::from(e.uses))
        .bind(e.version)
        .bind(at.to_string())
        .bind(by.to_string())
        .bind(normalize_name(&e.name))
}

/// Writes `e` as version `e.version` of its row (insert when `e.id` is `None`) and its version
/// row; returns the row id.
async fn put_entry(
    tx: &mut Transaction<'_, Any>,
    e: &LibraryEntry,
    by: &str,
    at: &str,
) -> Result<i64, StoreError> {
    let key = e.key();
    let id = match e.id {
        None => bind_entry(
            sqlx::query(
            "INSERT INTO library_entries (entry_key, scope, level1, level2, sector, department, name, \
             definition, unit, direction, formula, data_source, scoring_rule, is_core, typical_target, \
             uses, version, updated_at, updated_by, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
             RETURNING id",
            ),
            e,
            &key,
            at,
            by,
        )
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?,
        Some(id) => {
            bind_entry(
                sqlx::query(
                "UPDATE library_entries SET entry_key = $1, scope = $2, level1 = $3, level2 = $4, \
                 sector = $5, department = $6, name = $7, definition = $8, unit = $9, direction = $10, \
                 formula = $11, data_source = $12, scoring_rule = $13, is_core = $14, \
                 typical_target = $15, uses = $16, version = $17, updated_at = $18, updated_by = $19, \
                 name_key = $20 WHERE id = $21",
                ),
                e,
                &key,
                at,
                by,
            )
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
    };
    let mut doc = e.clone();
    doc.id = Some(id);
    sqlx::query(
        "INSERT INTO library_entry_versions (entry_id, version, document, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(e.version)
    .bind(serde_json::to_string(&doc).map_err(corrupt)?)
    .bind(at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

fn conflict_key(e: &LibraryEntry) -> StoreError {
    StoreError::Conflict {
        zh: format!(
            "指标库中已有同名条目「{}」（{}，{}）",
            e.name,
            e.scope.zh(),
            e.level2.zh()
        ),
        en: format!(
            "the library already has an entry {:?} ({}, {})",
            e.name,
            e.scope.id(),
            e.level2.en()
        ),
    }
}

/// Points `indicator` to `entry` (its link moved when it pointed elsewhere), with its audit row;
/// `false` when it pointed there already.
async fn link_in(
    tx: &mut Transaction<'_, Any>,
    indicator: IndicatorId,
    entry: &LibraryEntry,
    by: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let entry_id = entry.id.unwrap_or_default();
    let current: Option<i64> =
        sqlx::query("SELECT entry_id FROM indicator_library_links WHERE indicator_id = $1")
            .bind(indicator)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    if current == Some(entry_id) {
        return Ok(false);
    }
    sqlx::query("DELETE FROM indicator_library_links WHERE indicator_id = $1")
        .bind(indicator)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO indicator_library_links (indicator_id, entry_id, linked_at, linked_by) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(indicator)
    .bind(entry_id)
    .bind(at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    let declaration: Option<i64> =
        sqlx::query("SELECT declaration_id FROM indicators WHERE id = $1")
            .bind(indicator)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    write_audit(
        tx,
        &Change {
            at,
            actor: by,
            action: "library_link",
            entity: "indicator",
            entity_id: Some(indicator),
            declaration_id: declaration,
            summary: format!("指标（编号 {indicator}）关联指标库条目「{}」", entry.name),
            before: current.map(|c| json!({ "entry_id": c })),
            after: Some(json!({ "entry_id": entry_id })),
        },
    )
    .await?;
    Ok(true)
}

/// The (indicator, entry) links of the given indicators, by indicator id.
async fn links_in(
    conn: &mut AnyConnection,
    indicators: &[IndicatorId],
) -> Result<Vec<(IndicatorId, i64)>, StoreError> {
    if indicators.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT indicator_id, entry_id FROM indicator_library_links WHERE indicator_id IN ({}) ORDER BY indicator_id",
        crate::declarations::id_list(indicators)
    );
    sqlx::query(&sql)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Sets [`jixiao_model::Indicator::library`] of the loaded projects' indicators from their
/// links (a version's document does not hold them: a link is no part of its content).
pub(crate) async fn fill_links(
    conn: &mut AnyConnection,
    projects: &mut [Project],
) -> Result<(), StoreError> {
    let ids: Vec<IndicatorId> = projects
        .iter()
        .flat_map(|p| p.indicators.iter().filter_map(|i| i.id))
        .collect();
    let links: std::collections::HashMap<IndicatorId, i64> =
        links_in(conn, &ids).await?.into_iter().collect();
    if links.is_empty() {
        return Ok(());
    }
    for i in projects.iter_mut().flat_map(|p| p.indicators.iter_mut()) {
        i.library = i.id.and_then(|id| links.get(&id).copied());
    }
    Ok(())
}

/// Writes the links a saved version's indicators carry ([`jixiao_model::Indicator::library`],
/// chosen in the editor), each `(indicator id, entry id)`, in the save's transaction. A link
/// is added or moved, never removed by a save (a build links too); an entry that does not
/// exist refuses the save.
pub(crate) async fn link_chosen(
    tx: &mut Transaction<'_, Any>,
    links: &[(IndicatorId, i64)],
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    for (indicator, entry_id) in links {
        let entry = entry_by_id(tx, *entry_id)
            .await?
            .ok_or_else(|| StoreError::Invalid {
                zh: format!("指标库中没有编号为 {entry_id} 的条目，未保存"),
                en: format!("no library entry with id {entry_id}; nothing was saved"),
            })?;
        link_in(tx, *indicator, &entry, by, at).await?;
    }
    Ok(())
}

impl Store {
    /// Every library entry (current versions), by scope, 一级, 二级 and name.
    pub async fn library_entries(&self) -> Result<Vec<LibraryEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM library_entries ORDER BY scope, level1, level2, name, id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<LibraryEntry> =
            rows.iter().map(entry_from_row).collect::<Result<_, _>>()?;
        sort_entries(&mut out);
        Ok(out)
    }

    /// The library entries whose normalised name holds `key` (a normalised query; empty: every
    /// entry): the first `limit` by how the name matches (equal, starting with it, holding it)
    /// and then by use, with every entry tied with the last of them — in library order. A
    /// search reads these, not the whole library.
    pub async fn library_search(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Vec<LibraryEntry>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let rank = match_rank("name_key");
        let holds = if key.is_empty() {
            "1 = 1".to_string()
        } else {
            holds("name_key")
        };
        let length = i64::try_from(key.chars().count()).unwrap_or(i64::MAX);
        let mut conn = self.pool().acquire().await?;
        let first = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS}, {rank} FROM library_entries WHERE {holds} \
             ORDER BY {rank}, uses DESC LIMIT {}",
            i64::try_from(limit).unwrap_or(i64::MAX)
        ))
        .bind(key)
        .bind(length)
        .fetch_all(&mut *conn)
        .await?;
        let mut out: Vec<LibraryEntry> =
            first.iter().map(entry_from_row).collect::<Result<_, _>>()?;
        if let Some(last) = first.last().filter(|_| first.len() == limit) {
            // The entries tied with the last one: which of them ranks first is decided by
            // name, in Rust (the backends order text differently).
            let (m, uses): (i64, i64) = (last.try_get(17)?, last.try_get(15)?);
            let seen: BTreeSet<Option<i64>> = out.iter().map(|e| e.id).collect();
            let ties = sqlx::query(&format!(
                "SELECT {ENTRY_COLUMNS} FROM library_entries \
                 WHERE {holds} AND {rank} = $3 AND uses = $4"
            ))
            .bind(key)
            .bind(length)
            .bind(m)
            .bind(uses)
            .fetch_all(&mut *conn)
            .await?;
            for r in &ties {
                let e = entry_from_row(r)?;
                if !seen.contains(&e.id) {
                    out.push(e);
                }
            }
        }
        sort_entries(&mut out);
        Ok(out)
    }

    /// The indicators of the approved versions of the visible declarations whose normalised
    /// names hold `key` (empty: all), by declaration and position — the rows the search needs,
    /// not every approved declaration.
    pub async fn approved_indicators(
        &self,
        visible: &Visibility,
        key: &str,
    ) -> Result<Vec<ApprovedIndicator>, StoreError> {
        let mut w = Where::default();
        if !key.is_empty() {
            let p = w.param(Bind::Text(key.to_string()));
            w.terms
                .push(format!("REPLACE(i.name_key, {p}, '') <> i.name_key"));
        }
        w.visible(visible);
        let sql = format!(
            "SELECT {INDICATOR_COLUMNS}, d.id, d.unit, d.department FROM declarations d \
             JOIN declaration_versions v ON v.declaration_id = d.id AND v.version = d.approved_version \
             JOIN version_indicators i ON i.version_id = v.id{} ORDER BY d.id, i.seq",
            w.sql()
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(ApprovedIndicator {
                    indicator: indicator_from_row(r)?,
                    declaration: r.try_get(11)?,
                    unit: r.try_get(12)?,
                    department: r.try_get(13)?,
                })
            })
            .collect()
    }

    /// The declarations that may be one project across years with `id`: those linked to it
    /// as 上年项目 either way and those of its 实施单位 and 项目名称 (normalised), and theirs in
    /// turn — at their current versions, in id order — with the links among them. A history
    /// reads these, not every declaration.
    pub async fn project_family(
        &self,
        id: DeclarationId,
    ) -> Result<(Vec<Project>, Vec<(DeclarationId, DeclarationId)>), StoreError> {
        let mut conn = self.pool().acquire().await?;
        let mut known: BTreeSet<DeclarationId> = BTreeSet::from([id]);
        let mut links: BTreeSet<(DeclarationId, DeclarationId)> = BTreeSet::new();
        let mut frontier = vec![id];
        while !frontier.is_empty() {
            let list = id_list(&frontier);
            let mut next = Vec::new();
            for r in sqlx::query(&format!(
                "SELECT d.id FROM declarations d JOIN declarations f \
                 ON f.unit_key = d.unit_key AND f.name_key = d.name_key WHERE f.id IN ({list})"
            ))
            .fetch_all(&mut *conn)
            .await?
            {
                next.push(r.try_get::<i64, _>(0)?);
            }
            for r in sqlx::query(&format!(
                "SELECT declaration_id, previous_id FROM declaration_predecessors \
                 WHERE declaration_id IN ({list}) OR previous_id IN ({list})"
            ))
            .fetch_all(&mut *conn)
            .await?
            {
                let link: (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                links.insert(link);
                next.extend([link.0, link.1]);
            }
            frontier = next.into_iter().filter(|d| known.insert(*d)).collect();
        }
        let ids: Vec<DeclarationId> = known.into_iter().collect();
        let projects = current_of_in(&mut conn, &ids).await?;
        Ok((projects, links.into_iter().collect()))
    }

    /// One entry (current version).
    pub async fn library_entry(&self, id: i64) -> Result<Option<LibraryEntry>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let e = entry_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Every version of an entry, oldest first.
    pub async fn library_versions(&self, id: i64) -> Result<Vec<LibraryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT document FROM library_entry_versions WHERE entry_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                serde_json::from_str::<LibraryEntry>(&r.try_get::<String, _>(0)?).map_err(corrupt)
            })
            .collect()
    }

    /// Writes entries found by their key (a new one is version 1; a changed one gets the next
    /// version, an equal one changes nothing) and links indicators to the entries of the given
    /// keys, with one audit row per change, in one transaction. `action` names the audit
    /// action (`library_build`, `library_import`).
    pub async fn library_upsert(
        &self,
        entries: &[LibraryEntry],
        links: &[(IndicatorId, String)],
        action: &str,
        by: &str,
    ) -> Result<LibraryWrite, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let mut out = LibraryWrite::default();
        for e in entries {
            let key = e.key();
            let existing = entry_by_key(&mut tx, &key).await?;
            match existing {
                Some(old) if content(&old) == content(e) => out.unchanged += 1,
                Some(old) => {
                    let mut new = e.clone();
                    new.id = old.id;
                    new.version = old.version + 1;
                    let id = put_entry(&mut tx, &new, by, &at).await?;
                    write_audit(
                        &mut tx,
                        &Change {
                            at: &at,
                            actor: by,
                            action,
                            entity: "library_entry",
                            entity_id: Some(id),
                            declaration_id: None,
                            summary: format!(
                                "指标库条目「{}」更新为第 {} 版",
                                new.name, new.version
                            ),
                            before: Some(json!(old)),
                            after: Some(json!(new)),
                        },
                    )
                    .await?;
                    out.changed += 1;
                }
                None => {
                    let mut new = e.clone();
                    new.id = None;
                    new.version = 1;
                    let id = put_entry(&mut tx, &new, by, &at).await?;
                    new.id = Some(id);
                    write_audit(
                        &mut tx,
                        &Change {
                            at: &at,
                            actor: by,
                            action,
                            entity: "library_entry",
                            entity_id: Some(id),
                            declaration_id: None,
                            summary: format!("指标库新增条目「{}」", new.name),
                            before: None,
                            after: Some(json!(new)),
                        },
                    )
                    .await?;
                    out.added += 1;
                }
            }
        }
        for (indicator, key) in links {
            let Some(entry) = entry_by_key(&mut tx, key).await? else {
                continue;
            };
            if link_in(&mut tx, *indicator, &entry, by, &at).await? {
                out.linked += 1;
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Replaces entry `id` with `entry` as its next version, when its current version is
    /// `expected_version` (else [`StoreError::Conflict`]: someone changed it meanwhile); the
    /// audit row holds before and after. An equal entry changes nothing.
    pub async fn library_edit(
        &self,
        id: i64,
        expected_version: i64,
        entry: &LibraryEntry,
        by: &str,
    ) -> Result<LibraryEntry, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        let old = entry_by_id(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                zh: format!("指标库中没有编号为 {id} 的条目"),
                en: format!("no library entry with id {id}"),
            })?;
        if old.version != expected_version {
            return Err(StoreError::Conflict {
                zh: format!(
                    "指标库条目「{}」已被他人修改（当前第 {} 版，编辑的是第 {expected_version} 版），本次未保存",
                    old.name, old.version
                ),
                en: format!(
                    "library entry {:?} was changed meanwhile (now version {}, edited version {expected_version}); nothing was saved",
                    old.name, old.version
                ),
            });
        }
        if content(&old) == content(entry) {
            tx.commit().await?;
            return Ok(old);
        }
        if let Some(other) = entry_by_key(&mut tx, &entry.key()).await? {
            if other.id != Some(id) {
                return Err(conflict_key(entry));
            }
        }
        let mut new = entry.clone();
        new.id = Some(id);
        new.version = old.version + 1;
        put_entry(&mut tx, &new, by, &at).await?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "library_edit",
                entity: "library_entry",
                entity_id: Some(id),
                declaration_id: None,
                summary: format!("编辑指标库条目「{}」（第 {} 版）", new.name, new.version),
                before: Some(json!(old)),
                after: Some(json!(new)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// The library entry each linked indicator of the given ones points to.
    pub async fn library_links(
        &self,
        indicators: &[IndicatorId],
    ) -> Result<Vec<(IndicatorId, i64)>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        links_in(&mut conn, indicators).await
    }

    /// The approved version of every declaration that has one (已批准, or approved before an
    /// adjustment), each with its declaration id and its indicators' ids.
    pub async fn approved_projects(&self) -> Result<Vec<Project>, StoreError> {
        self.projects_at("approved_version").await
    }

    /// The current version of every declaration (every year, every status).
    pub async fn current_projects(&self) -> Result<Vec<Project>, StoreError> {
        self.projects_at("current_version").await
    }

    /// Every declaration at the version its column `version` (`approved_version` or
    /// `current_version`, never user input) names.
    async fn projects_at(&self, version: &'static str) -> Result<Vec<Project>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let join =
            format!("JOIN declarations d ON d.id = v.declaration_id AND v.version = d.{version}");
        Ok(crate::declarations::load_versions(&mut conn, &join)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect())
    }

    /// Links declaration `id` to last year's declaration `previous` (上年项目), replacing any
    /// link it had, with its audit row.
    pub async fn link_predecessor(
        &self,
        id: DeclarationId,
        previous: DeclarationId,
        by: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        link_predecessor_in(&mut tx, id, previous, by, &now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every (declaration, last year's declaration) link.
    pub async fn predecessors(&self) -> Result<Vec<(DeclarationId, DeclarationId)>, StoreError> {
        sqlx::query("SELECT declaration_id, previous_id FROM declaration_predecessors")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}

/// [`Store::link_predecessor`] inside a transaction (a creation that follows last year's
/// declaration links it in the same transaction).
pub(crate) async fn link_predecessor_in(
    tx: &mut Transaction<'static, Any>,
    id: DeclarationId,
    previous: DeclarationId,
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    let before: Option<i64> =
        sqlx::query("SELECT previous_id FROM declaration_predecessors WHERE declaration_id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    if before == Some(previous) {
        return Ok(());
    }
    for d in [id, previous] {
        let found = sqlx::query("SELECT id FROM declarations WHERE id = $1")
            .bind(d)
            .fetch_optional(&mut **tx)
            .await?;
        if found.is_none() {
            return Err(crate::declarations::not_found(d));
        }
    }
    sqlx::query("DELETE FROM declaration_predecessors WHERE declaration_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO declaration_predecessors (declaration_id, previous_id, linked_at, linked_by) \
             VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(previous)
    .bind(at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    write_audit(
        tx,
        &Change {
            at,
            actor: by,
            action: "link_predecessor",
            entity: "declaration",
            entity_id: Some(id),
            declaration_id: Some(id),
            summary: format!("关联上年项目（编号 {previous}）"),
            before: before.map(|b| json!({ "previous_id": b })),
            after: Some(json!({ "previous_id": previous })),
        },
    )
    .await?;
    Ok(())
}
