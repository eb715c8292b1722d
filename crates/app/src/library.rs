//! 指标库 — the indicator library's use cases: build it from approved declarations, list and
//! search it (suggestions while typing an indicator, ranked with the reason), edit it (财政
//! only, each edit a new version with its audit row), and export and import it as XLSX.
//!
//! **Search ranking** (`q` compared on normalised names, [`normalize_name`]): first the
//! library's entries, then indicators of approved declarations — the actor's unit's, then its
//! department's, then every other approved declaration the actor may read (declarations carry
//! no 行业 yet, so the sector tier is "other units"). Within a tier: the name equal to `q`, then
//! starting with it, then containing it; then the most used; then by name. An indicator already
//! offered by an earlier tier (same 二级 and name) is not offered again. Each item says why it is
//! where it is ([`Suggestion::reason_zh`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use jixiao_model::{
    normalize_label, normalize_name, DeclarationId, Direction, Indicator, IndicatorId, Level1,
    Level2, LibraryEntry, LibraryScope, Project, Target,
};
use jixiao_store::{ApprovedIndicator, LibraryWrite};
use serde::Serialize;

use crate::access::{permits, require_role, Action, Actor, Owner};
use crate::{App, AppError, Message, Upload};

/// Where a suggestion comes from, in ranking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionSource {
    /// 指标库.
    Library,
    /// 本单位已批准的指标.
    Unit,
    /// 本部门已批准的指标.
    Department,
    /// 其他单位已批准的指标 (the sector tier; declarations carry no 行业 yet).
    Other,
}

impl SuggestionSource {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            SuggestionSource::Library => "指标库",
            SuggestionSource::Unit => "本单位已批准指标",
            SuggestionSource::Department => "本部门已批准指标",
            SuggestionSource::Other => "其他单位已批准指标",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            SuggestionSource::Library => "the indicator library",
            SuggestionSource::Unit => "your unit's approved indicators",
            SuggestionSource::Department => "your department's approved indicators",
            SuggestionSource::Other => "other units' approved indicators",
        }
    }
}

/// How the name matched the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    /// 名称一致.
    Exact,
    /// 名称以查询开头.
    Prefix,
    /// 名称包含查询.
    Contains,
    /// No query: every item, by use.
    Any,
}

impl NameMatch {
    fn zh(self) -> &'static str {
        match self {
            NameMatch::Exact => "名称一致",
            NameMatch::Prefix => "名称以所输内容开头",
            NameMatch::Contains => "名称包含所输内容",
            NameMatch::Any => "未输入查询",
        }
    }

    fn en(self) -> &'static str {
        match self {
            NameMatch::Exact => "same name",
            NameMatch::Prefix => "name starts with the query",
            NameMatch::Contains => "name contains the query",
            NameMatch::Any => "no query",
        }
    }

    fn of(name: &str, q: &str) -> Option<NameMatch> {
        if q.is_empty() {
            Some(NameMatch::Any)
        } else if name == q {
            Some(NameMatch::Exact)
        } else if name.starts_with(q) {
            Some(NameMatch::Prefix)
        } else if name.contains(q) {
            Some(NameMatch::Contains)
        } else {
            None
        }
    }
}

/// 指标建议 — one item of a search (`GET /api/library?q=` answers `{items: [...]}` of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Rank, from 1.
    pub rank: usize,
    /// Where it comes from.
    pub source: SuggestionSource,
    /// The library entry, for [`SuggestionSource::Library`].
    pub entry_id: Option<i64>,
    /// 共性/个性, for a library entry.
    pub scope: Option<LibraryScope>,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标.
    pub name: String,
    /// 计量单位.
    pub unit: Option<String>,
    /// 指标方向.
    pub direction: Direction,
    /// 典型指标值.
    pub typical_target: Option<String>,
    /// 使用次数 (approved declarations using it).
    pub uses: u32,
    /// 核心指标.
    pub core: bool,
    /// 指标解释 (library entries).
    pub definition: String,
    /// How the name matched.
    pub matched: NameMatch,
    /// Why it ranks here, in Chinese (`指标库（共性）；名称一致；使用 3 次`).
    pub reason_zh: String,
    /// …and in English.
    pub reason_en: String,
}

/// What [`App::library_build`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryBuild {
    /// Approved declarations read.
    pub declarations: usize,
    /// Indicators read.
    pub indicators: usize,
    /// Entries created.
    pub added: usize,
    /// Entries that got a new version (new uses or typical target).
    pub changed: usize,
    /// Entries as they were.
    pub unchanged: usize,
    /// Indicators linked to their entry (new or moved links).
    pub linked: usize,
}

/// One group of approved indicators with the same 二级 and normalised name.
#[derive(Debug, Default)]
struct Group {
    names: BTreeMap<String, usize>,
    level1: BTreeMap<Level1, usize>,
    level2: Option<Level2>,
    targets: BTreeMap<String, (usize, String)>,
    units: BTreeMap<String, usize>,
    directions: HashMap<Direction, usize>,
    declarations: HashSet<i64>,
    departments: BTreeMap<String, usize>,
    indicators: Vec<IndicatorId>,
}

/// The most frequent key of a count map; ties by the key's order (deterministic).
fn most<K: Ord + Clone>(m: &BTreeMap<K, usize>) -> Option<K> {
    let best = m.values().copied().max()?;
    m.iter().find(|(_, n)| **n == best).map(|(k, _)| k.clone())
}

fn unit_of(t: &Target) -> Option<String> {
    t.quantities().first().and_then(|q| q.unit.clone())
}

/// An approved indicator as [`group`] reads it: its declaration, that declaration's 主管部门
/// and the indicator.
type Item<'a> = (Option<DeclarationId>, Option<&'a str>, &'a Indicator);

/// The items of whole declarations.
fn items_of(projects: &[Project]) -> impl Iterator<Item = Item<'_>> {
    projects.iter().flat_map(|p| {
        p.indicators
            .iter()
            .map(move |i| (p.id, p.department.as_deref(), i))
    })
}

/// Groups the indicators of approved declarations (pure): per (二级, normalised name), the
/// most used name, 一级, target, unit and direction, how many declarations use it and the
/// departments that do.
fn group<'a>(items: impl IntoIterator<Item = Item<'a>>) -> BTreeMap<(String, String), Group> {
    let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
    for (declaration, department, ind) in items {
        let key = (ind.level2.id().to_string(), normalize_name(&ind.name));
        let g = groups.entry(key).or_default();
        *g.names.entry(ind.name.trim().to_string()).or_default() += 1;
        *g.level1.entry(ind.level1).or_default() += 1;
        g.level2 = Some(ind.level2.clone());
        let t = g
            .targets
            .entry(normalize_label(&ind.raw))
            .or_insert((0, ind.raw.trim().to_string()));
        t.0 += 1;
        if let Some(u) = unit_of(&ind.target) {
            *g.units.entry(u).or_default() += 1;
        }
        *g.directions.entry(Direction::of(&ind.target)).or_default() += 1;
        if let Some(id) = declaration {
            g.declarations.insert(id);
        }
        if let Some(d) = department.map(str::trim).filter(|d| !d.is_empty()) {
            *g.departments.entry(d.to_string()).or_default() += 1;
        }
        if let Some(id) = ind.id {
            g.indicators.push(id);
        }
    }
    groups
}

/// Entries from approved declarations (pure). An indicator used by declarations of two or more
/// departments is 共性; else 个性 of its department. An existing entry with the same 二级 and
/// name (共性 first, then the department's) keeps everything finance wrote and gets only its
/// use count and typical target; a new one takes the most used name, unit and direction.
/// Returns the entries and the (indicator, entry key) links.
pub fn build_entries(
    projects: &[Project],
    existing: &[LibraryEntry],
) -> (Vec<LibraryEntry>, Vec<(IndicatorId, String)>) {
    let mut entries = Vec::new();
    let mut links = Vec::new();
    for ((_, norm), g) in group(items_of(projects)) {
        let Some(level2) = g.level2.clone() else {
            continue;
        };
        let department = most(&g.departments);
        let common = g.departments.len() >= 2;
        let typical = {
            let counts: BTreeMap<String, usize> = g
                .targets
                .values()
                .map(|(n, raw)| (raw.clone(), *n))
                .collect();
            most(&counts)
        };
        let uses = u32::try_from(g.declarations.len()).unwrap_or(u32::MAX);
        let found = existing
            .iter()
            .filter(|e| e.level2 == level2 && normalize_name(&e.name) == norm)
            .min_by_key(|e| match e.scope {
                LibraryScope::Common => 0,
                LibraryScope::Specific if e.department == department => 1,
                LibraryScope::Specific => 2,
            })
            .filter(|e| e.scope == LibraryScope::Common || e.department == department);
        let entry = match found {
            Some(e) => LibraryEntry {
                uses,
                typical_target: typical.or_else(|| e.typical_target.clone()),
                ..e.clone()
            },
            None => {
                let direction = g
                    .directions
                    .iter()
                    .max_by_key(|(d, n)| (**n, std::cmp::Reverse(d.id())))
                    .map_or(Direction::Qualitative, |(d, _)| *d);
                LibraryEntry {
                    id: None,
                    scope: if common {
                        LibraryScope::Common
                    } else {
                        LibraryScope::Specific
                    },
                    level1: most(&g.level1).unwrap_or(Level1::Output),
                    level2,
                    sector: None,
                    department: if common { None } else { department },
                    name: most(&g.names).unwrap_or(norm),
                    definition: String::new(),
                    unit: most(&g.units),
                    direction,
                    formula: String::new(),
                    data_source: String::new(),
                    scoring_rule: String::new(),
                    core: false,
                    typical_target: typical,
                    uses,
                    version: 0,
                }
            }
        };
        let key = entry.key();
        links.extend(g.indicators.iter().map(|i| (*i, key.clone())));
        entries.push(entry);
    }
    (entries, links)
}

/// The indicators of approved declarations as the search reads them (tests and benchmarks
/// rank whole declarations).
pub fn approved_of(projects: &[Project]) -> Vec<ApprovedIndicator> {
    projects
        .iter()
        .flat_map(|p| {
            p.indicators.iter().map(|i| ApprovedIndicator {
                declaration: p.id.unwrap_or_default(),
                unit: p.unit.clone(),
                department: p.department.clone(),
                indicator: i.clone(),
            })
        })
        .collect()
}

/// Ranks the library and the approved indicators the actor may read for `q` (pure); at most
/// `limit` items. `library` and `approved` need hold only what matches `q` (what
/// [`jixiao_store::Store::library_search`] and `approved_indicators` read), in library and
/// declaration order.
pub fn rank(
    q: &str,
    actor: &Actor,
    library: &[LibraryEntry],
    approved: &[ApprovedIndicator],
    limit: usize,
) -> Vec<Suggestion> {
    let q = normalize_name(q);
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut out: Vec<(SuggestionSource, NameMatch, u32, String, Suggestion)> = Vec::new();
    for e in library {
        let norm = normalize_name(&e.name);
        let Some(m) = NameMatch::of(&norm, &q) else {
            continue;
        };
        seen.insert((e.level2.id().to_string(), norm.clone()));
        let owner = match (&e.scope, &e.department, &e.sector) {
            (LibraryScope::Common, _, _) => "共性".to_string(),
            (_, Some(d), _) => format!("个性·{d}"),
            (_, _, Some(s)) => format!("个性·{s}"),
            _ => "个性".to_string(),
        };
        out.push((
            SuggestionSource::Library,
            m,
            e.uses,
            norm,
            Suggestion {
                rank: 0,
                source: SuggestionSource::Library,
                entry_id: e.id,
                scope: Some(e.scope),
                level1: e.level1,
                level2: e.level2.clone(),
                name: e.name.clone(),
                unit: e.unit.clone(),
                direction: e.direction,
                typical_target: e.typical_target.clone(),
                uses: e.uses,
                core: e.core,
                definition: e.definition.clone(),
                matched: m,
                reason_zh: format!(
                    "指标库（{owner}{}）；{}；使用 {} 次",
                    if e.core { "，核心指标" } else { "" },
                    m.zh(),
                    e.uses
                ),
                reason_en: format!(
                    "library ({}{}); {}; used {} times",
                    e.scope.id(),
                    if e.core { ", core" } else { "" },
                    m.en(),
                    e.uses
                ),
            },
        ));
    }
    let same = |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(a), Some(b)) if a.trim() == b.trim() && !a.trim().is_empty());
    let tier = |a: &ApprovedIndicator| {
        if same(actor.unit.as_deref(), Some(a.unit.as_str())) {
            SuggestionSource::Unit
        } else if same(actor.department.as_deref(), a.department.as_deref()) {
            SuggestionSource::Department
        } else {
            SuggestionSource::Other
        }
    };
    let readable = |a: &ApprovedIndicator| {
        let owner = Owner {
            unit: &a.unit,
            departments: a.department.as_slice(),
        };
        permits(actor, Action::Read, &owner)
    };
    for source in [
        SuggestionSource::Unit,
        SuggestionSource::Department,
        SuggestionSource::Other,
    ] {
        let mine = approved
            .iter()
            .filter(|a| readable(a) && tier(a) == source)
            .map(|a| (Some(a.declaration), a.department.as_deref(), &a.indicator));
        for ((l2, norm), g) in group(mine) {
            let Some(m) = NameMatch::of(&norm, &q) else {
                continue;
            };
            if !seen.insert((l2, norm.clone())) {
                continue;
            }
            let uses = u32::try_from(g.declarations.len()).unwrap_or(u32::MAX);
            let typical = {
                let counts: BTreeMap<String, usize> = g
                    .targets
                    .values()
                    .map(|(n, raw)| (raw.clone(), *n))
                    .collect();
                most(&counts)
            };
            let direction = g
                .directions
                .iter()
                .max_by_key(|(d, n)| (**n, std::cmp::Reverse(d.id())))
                .map_or(Direction::Qualitative, |(d, _)| *d);
            out.push((
                source,
                m,
                uses,
                norm.clone(),
                Suggestion {
                    rank: 0,
                    source,
                    entry_id: None,
                    scope: None,
                    level1: most(&g.level1).unwrap_or(Level1::Output),
                    level2: g.level2.clone().unwrap_or(Level2::Quantity),
                    name: most(&g.names).unwrap_or(norm),
                    unit: most(&g.units),
                    direction,
                    typical_target: typical,
                    uses,
                    core: false,
                    definition: String::new(),
                    matched: m,
                    reason_zh: format!("{}；{}；使用 {} 次", source.zh(), m.zh(), uses),
                    reason_en: format!("{}; {}; used {} times", source.en(), m.en(), uses),
                },
            ));
        }
    }
    out.sort_by(|a, b| {
        (a.0, a.1, std::cmp::Reverse(a.2), &a.3).cmp(&(b.0, b.1, std::cmp::Reverse(b.2), &b.3))
    });
    out.into_iter()
        .take(limit)
        .enumerate()
        .map(|(k, (_, _, _, _, mut s))| {
            s.rank = k + 1;
            s
        })
        .collect()
}

/// 指标库检索条件 — what the library page lists: a part of the name (compared normalised), 共性
/// or 个性, an 一级 and a 二级 id, and an owner (a part of a 个性 entry's sector or department).
/// Empty fields filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryQuery {
    /// Part of the name.
    pub q: String,
    /// 共性 / 个性.
    pub scope: Option<LibraryScope>,
    /// 一级指标.
    pub level1: Option<Level1>,
    /// 二级指标 id (`quantity`).
    pub level2: String,
    /// Part of the sector or department.
    pub owner: String,
}

/// The entries `query` selects (pure), in the order the library page groups them: 共性 by
/// 一级 and 二级, then 个性 by sector or department and 二级; by name within.
pub fn filter_library(entries: &[LibraryEntry], query: &LibraryQuery) -> Vec<LibraryEntry> {
    let q = normalize_name(&query.q);
    let owner = normalize_name(&query.owner);
    let mut out: Vec<LibraryEntry> = entries
        .iter()
        .filter(|e| q.is_empty() || normalize_name(&e.name).contains(&q))
        .filter(|e| query.scope.is_none_or(|s| e.scope == s))
        .filter(|e| query.level1.is_none_or(|l| e.level1 == l))
        .filter(|e| query.level2.trim().is_empty() || e.level2.id() == query.level2.trim())
        .filter(|e| {
            owner.is_empty()
                || [&e.sector, &e.department]
                    .into_iter()
                    .flatten()
                    .any(|o| normalize_name(o).contains(&owner))
        })
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        let key = |e: &LibraryEntry| {
            (
                e.scope,
                library_owner(e),
                e.level1.ordinal(),
                e.level2.ordinal(),
                normalize_name(&e.name),
                e.id,
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

/// 指标库条目表单 — an entry's fields as typed on the library page (all text), read by
/// [`EntryDraft::read`] into the entry's next content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct EntryDraft {
    pub scope: String,
    pub level2: String,
    pub sector: String,
    pub department: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub direction: String,
    pub formula: String,
    pub data_source: String,
    pub scoring_rule: String,
    pub core: bool,
    pub typical_target: String,
}

impl EntryDraft {
    /// The fields of an entry.
    pub fn of(e: &LibraryEntry) -> EntryDraft {
        EntryDraft {
            scope: e.scope.id().into(),
            level2: e.level2.id().into(),
            sector: e.sector.clone().unwrap_or_default(),
            department: e.department.clone().unwrap_or_default(),
            name: e.name.clone(),
            definition: e.definition.clone(),
            unit: e.unit.clone().unwrap_or_default(),
            direction: e.direction.id().into(),
            formula: e.formula.clone(),
            data_source: e.data_source.clone(),
            scoring_rule: e.scoring_rule.clone(),
            core: e.core,
            typical_target: e.typical_target.clone().unwrap_or_default(),
        }
    }

    /// The entry the fields make of `base` (its id, uses and version kept), or the fields that
    /// do not read (named by field): a known 二级, 共性/个性, a direction and a name; a 个性
    /// entry names its sector or department.
    pub fn read(&self, base: &LibraryEntry) -> Result<LibraryEntry, AppError> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut errors = Vec::new();
        let mut bad = |field: &str, zh: String, en: String| {
            errors.push(crate::FieldError {
                field: field.into(),
                column: None,
                zh,
                en,
            });
        };
        let scope = LibraryScope::parse(&self.scope);
        if scope.is_none() {
            bad(
                "scope",
                format!("「{}」不是共性或个性", self.scope),
                format!("{:?} is neither common nor specific", self.scope),
            );
        }
        let level2 = Level2::from_id(self.level2.trim());
        let level1 = level2.level1();
        if level1.is_none() {
            bad(
                "level2",
                format!("「{}」不是已知的二级指标", self.level2),
                format!("{:?} is not a known level-2 indicator", self.level2),
            );
        }
        let direction = Direction::parse(&self.direction);
        if direction.is_none() {
            bad(
                "direction",
                format!(
                    "「{}」不是指标方向（正向、反向、等于、定性）",
                    self.direction
                ),
                format!(
                    "{:?} is not a direction (up, down, exact, qualitative)",
                    self.direction
                ),
            );
        }
        if self.name.trim().is_empty() {
            bad(
                "name",
                "三级指标名称不能为空".into(),
                "the indicator name must not be empty".into(),
            );
        }
        let (sector, department) = (text(&self.sector), text(&self.department));
        if scope == Some(LibraryScope::Specific) && sector.is_none() && department.is_none() {
            bad(
                "department",
                "个性指标须填写所属行业或主管部门".into(),
                "a specific indicator names its sector or department".into(),
            );
        }
        match (scope, level1, direction) {
            (Some(scope), Some(level1), Some(direction)) if errors.is_empty() => Ok(LibraryEntry {
                scope,
                level1,
                level2,
                sector: if scope == LibraryScope::Common {
                    None
                } else {
                    sector
                },
                department: if scope == LibraryScope::Common {
                    None
                } else {
                    department
                },
                name: self.name.trim().to_string(),
                definition: self.definition.trim().to_string(),
                unit: text(&self.unit),
                direction,
                formula: self.formula.trim().to_string(),
                data_source: self.data_source.trim().to_string(),
                scoring_rule: self.scoring_rule.trim().to_string(),
                core: self.core,
                typical_target: text(&self.typical_target),
                ..base.clone()
            }),
            _ => Err(AppError::Invalid(crate::Invalid::Fields(errors))),
        }
    }
}

/// Whose a 个性 entry is: its department, else its sector (empty for a 共性 entry).
pub fn library_owner(e: &LibraryEntry) -> String {
    match e.scope {
        LibraryScope::Common => String::new(),
        LibraryScope::Specific => e
            .department
            .clone()
            .or_else(|| e.sector.clone())
            .unwrap_or_default(),
    }
}

impl App {
    /// Builds (or refreshes) the library from every approved declaration: new entries, new use
    /// counts and typical targets, and each approved indicator linked to its entry — one
    /// transaction, audited. 财政 and 管理员 only.
    pub async fn library_build(&self, actor: &Actor) -> Result<LibraryBuild, AppError> {
        require_role(actor, Action::EditLibrary)?;
        let approved = self.store.approved_projects().await?;
        let existing = self.store.library_entries().await?;
        let (entries, links) = build_entries(&approved, &existing);
        let w: LibraryWrite = self
            .store
            .library_upsert(&entries, &links, "library_build", &actor.name)
            .await?;
        Ok(LibraryBuild {
            declarations: approved.len(),
            indicators: approved.iter().map(|p| p.indicators.len()).sum(),
            added: w.added,
            changed: w.changed,
            unchanged: w.unchanged,
            linked: w.linked,
        })
    }

    /// Every library entry (every role may read the library).
    pub async fn library(&self, actor: &Actor) -> Result<Vec<LibraryEntry>, AppError> {
        require_role(actor, Action::Read)?;
        Ok(self.store.library_entries().await?)
    }

    /// One entry and its versions, oldest first.
    pub async fn library_entry(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(LibraryEntry, Vec<LibraryEntry>), AppError> {
        require_role(actor, Action::Read)?;
        let e = self
            .store
            .library_entry(id)
            .await?
            .ok_or_else(|| no_entry(id))?;
        Ok((e, self.store.library_versions(id).await?))
    }

    /// Suggestions for what the actor types (`q`), ranked (see the module docs), at most
    /// `limit`.
    pub async fn library_search(
        &self,
        actor: &Actor,
        q: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, AppError> {
        require_role(actor, Action::Read)?;
        // What matches, in SQL: the first `limit` library entries (and ties), the approved
        // indicators the actor may read whose names hold the query.
        let key = normalize_name(q);
        let library = self.store.library_search(&key, limit).await?;
        let approved = self
            .store
            .approved_indicators(&crate::access::visibility(actor), &key)
            .await?;
        Ok(rank(q, actor, &library, &approved, limit))
    }

    /// Replaces entry `id` (edited from its version `expected_version`) with `entry` as its
    /// next version; [`AppError::Conflict`] when someone changed it meanwhile. 财政 and 管理员
    /// only; audited in the same transaction.
    pub async fn library_edit(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        entry: &LibraryEntry,
    ) -> Result<LibraryEntry, AppError> {
        require_role(actor, Action::EditLibrary)?;
        if entry.name.trim().is_empty() {
            return Err(AppError::invalid(Message::EmptyLibraryName));
        }
        Ok(self
            .store
            .library_edit(id, expected_version, entry, &actor.name)
            .await?)
    }

    /// The library as an XLSX workbook (`指标库` sheet).
    pub async fn library_export(&self, actor: &Actor) -> Result<Vec<u8>, AppError> {
        let entries = self.library(actor).await?;
        jixiao_form::library_xlsx::library_to_xlsx(&entries).map_err(AppError::internal)
    }

    /// Reads a library workbook and writes its entries (found by key: new, changed — a new
    /// version — or unchanged), all or nothing; a row that cannot be read is an error at its
    /// cell and nothing is written. 财政 and 管理员 only.
    pub async fn library_import(
        &self,
        actor: &Actor,
        upload: &Upload,
    ) -> Result<LibraryWrite, AppError> {
        require_role(actor, Action::EditLibrary)?;
        let entries =
            jixiao_form::library_xlsx::library_from_xlsx(&upload.bytes).map_err(|diagnostics| {
                AppError::from(jixiao_form::FormError {
                    path: upload.name.clone(),
                    diagnostics,
                })
            })?;
        Ok(self
            .store
            .library_upsert(&entries, &[], "library_import", &actor.name)
            .await?)
    }

    /// The audit trail of one library entry (creation, builds, edits, imports), oldest first.
    pub async fn library_audit(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<crate::AuditEntry>, AppError> {
        require_role(actor, Action::Read)?;
        Ok(self
            .store
            .audit(None)
            .await?
            .into_iter()
            .filter(|a| a.entity == "library_entry" && a.entity_id == Some(id))
            .collect())
    }

    /// The library entry each indicator of a declaration points to (indicator id → entry id).
    pub async fn library_links(
        &self,
        actor: &Actor,
        p: &Project,
    ) -> Result<Vec<(IndicatorId, i64)>, AppError> {
        crate::access::authorize(actor, Action::Read, p)?;
        let ids: Vec<IndicatorId> = p.indicators.iter().filter_map(|i| i.id).collect();
        Ok(self.store.library_links(&ids).await?)
    }
}

fn no_entry(id: i64) -> AppError {
    AppError::NotFound(Message::NoLibraryEntry { id })
}

#[cfg(test)]
mod tests {
    use jixiao_model::{Indicator, Role};

    use super::*;

    fn ind(id: i64, level2: Level2, name: &str, raw: &str) -> Indicator {
        Indicator {
            id: Some(id),
            code: String::new(),
            level1: level2.level1().unwrap_or(Level1::Output),
            level2,
            name: name.into(),
            tasks: Vec::new(),
            raw: raw.into(),
            line: None,
            target: Target::parse(raw).unwrap_or_else(|_| Target::Qualitative(raw.into())),
            library: None,
            core: false,
        }
    }

    fn project(id: i64, unit: &str, dept: &str, inds: Vec<Indicator>) -> Project {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/seed_2024_shanghai.json"
        ))
        .unwrap_or_default();
        let form: jixiao_model::Form =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let mut p = form.projects[0].clone();
        p.id = Some(id);
        p.unit = unit.into();
        p.department = Some(dept.into());
        p.indicators = inds;
        p
    }

    fn approved() -> Vec<Project> {
        vec![
            project(
                1,
                "单位甲",
                "部门一",
                vec![
                    ind(11, Level2::ServiceSatisfaction, "服务对象满意度", "≥90(%)"),
                    ind(12, Level2::Quantity, "行驶公里数", "≥15000(公里)"),
                ],
            ),
            project(
                2,
                "单位乙",
                "部门二",
                vec![
                    ind(
                        21,
                        Level2::ServiceSatisfaction,
                        "服务对象满意度。",
                        "≥90(%)",
                    ),
                    ind(22, Level2::Quantity, "巡检次数", "≥12(次)"),
                ],
            ),
            project(
                3,
                "单位丙",
                "部门二",
                vec![ind(
                    31,
                    Level2::ServiceSatisfaction,
                    "服务对象满意度",
                    "≥95(%)",
                )],
            ),
        ]
    }

    #[test]
    fn build_groups_names_and_picks_scope() {
        let (entries, links) = build_entries(&approved(), &[]);
        let sat = entries
            .iter()
            .find(|e| e.name == "服务对象满意度")
            .unwrap_or_else(|| panic!("{entries:#?}"));
        assert_eq!(sat.scope, LibraryScope::Common);
        assert_eq!(sat.uses, 3);
        assert_eq!(sat.typical_target.as_deref(), Some("≥90(%)"));
        assert_eq!(sat.unit.as_deref(), Some("%"));
        assert_eq!(sat.direction, Direction::Up);
        let km = entries
            .iter()
            .find(|e| e.name == "行驶公里数")
            .unwrap_or_else(|| panic!("{entries:#?}"));
        assert_eq!(km.scope, LibraryScope::Specific);
        assert_eq!(km.department.as_deref(), Some("部门一"));
        assert_eq!(entries.len(), 3);
        assert_eq!(links.len(), 5);
        assert!(links.contains(&(21, sat.key())));
    }

    #[test]
    fn build_keeps_what_finance_wrote() {
        let (mut entries, _) = build_entries(&approved(), &[]);
        for e in &mut entries {
            e.definition = "财政填写的解释".into();
            e.uses = 0;
        }
        let (again, _) = build_entries(&approved(), &entries);
        assert!(again.iter().all(|e| e.definition == "财政填写的解释"));
        assert!(again.iter().all(|e| e.uses > 0));
    }

    #[test]
    fn search_ranks_library_then_unit_then_department_then_others() {
        let (mut entries, _) = build_entries(&approved()[..1], &[]);
        // The library knows only 行驶公里数 (of 部门一).
        entries.retain(|e| e.name == "行驶公里数");
        let actor = Actor::new("u", Role::Editor, Some("单位乙"), Some("部门二"));
        let admin = Actor::new("f", Role::Finance, None, Some("部门二"));
        // The editor reads only its unit's declarations: the library, then its unit.
        let s = rank("", &actor, &entries, &approved_of(&approved()), 10);
        let got: Vec<(SuggestionSource, &str)> =
            s.iter().map(|s| (s.source, s.name.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (SuggestionSource::Library, "行驶公里数"),
                (SuggestionSource::Unit, "巡检次数"),
                (SuggestionSource::Unit, "服务对象满意度。"),
            ]
        );
        // Finance reads everything; its department is 部门二.
        let s = rank("满意", &admin, &entries, &approved_of(&approved()), 10);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].source, SuggestionSource::Department);
        assert_eq!(s[0].uses, 2);
        assert_eq!(s[0].matched, NameMatch::Contains);
        assert!(
            s[0].reason_zh
                .contains("本部门已批准指标；名称包含所输内容；使用 2 次"),
            "{}",
            s[0].reason_zh
        );
        // Exact before prefix before contains, within a tier.
        let s = rank(
            "行驶公里数",
            &admin,
            &entries,
            &approved_of(&approved()),
            10,
        );
        assert_eq!(s[0].source, SuggestionSource::Library);
        assert_eq!(s[0].matched, NameMatch::Exact);
        assert_eq!(s[0].rank, 1);
        assert!(
            s[0].reason_zh
                .starts_with("指标库（个性·部门一）；名称一致"),
            "{}",
            s[0].reason_zh
        );
    }
}
