//! 历史 — a project across years: per declaration and per indicator, the targets and the
//! actuals of each year, and the year-over-year review of the latest year against the one
//! before (`jixiao_review::year_over_year`: a target below last year's actual, a unit changed,
//! money up while an indicator went down).
//!
//! **Matching across years.** A declaration's year before is the one it is linked to (上年项目,
//! `declaration_predecessors`), else the nearest earlier year's declaration of the same 实施单位
//! and 项目名称 (normalised), with a note saying so; the years after are found the same way.
//! Indicators are matched by 二级 and normalised name. Only declarations the actor may read
//! take part.

use std::collections::{BTreeMap, HashMap};

use jixiao_model::{
    normalize_name, present, Decimal, DeclarationId, Finding, Level1, Level2, NaiveDate,
    ObservedValue, Project,
};
use jixiao_review::PriorYear;
use serde::Serialize;

use crate::access::{authorize, can_read, require_role, Action, Actor};
use crate::draft::Draft;
use crate::{App, AppError, Message};

/// How a year's declaration was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryMatch {
    /// The declaration asked about.
    Itself,
    /// Linked as 上年项目 (by id).
    Linked,
    /// Same 实施单位 and 项目名称 (normalised).
    UnitAndName,
}

/// One indicator of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearIndicator {
    /// Stable indicator id.
    pub indicator_id: Option<i64>,
    /// Position code.
    pub code: String,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标.
    pub name: String,
    /// 指标值 as written.
    pub target: String,
    /// 计量单位 of the target's first clause.
    pub unit: Option<String>,
    /// The latest 实际完成值 of the year, as text (`13,500公里`, `达成`).
    pub actual: Option<String>,
    /// Its number, when it is one.
    pub actual_value: Option<Decimal>,
    /// Its date.
    pub actual_date: Option<NaiveDate>,
}

/// One year's declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryYear {
    /// 年度.
    pub year: i32,
    /// The declaration.
    pub declaration_id: DeclarationId,
    /// 项目名称 of that year.
    pub name: String,
    /// How it was found.
    pub matched: HistoryMatch,
    /// A note when matched by unit and name (`按实施单位和项目名称匹配…`).
    pub note_zh: Option<String>,
    /// …in English.
    pub note_en: Option<String>,
    /// 年度资金申请总额 in 元.
    pub funds_total: Decimal,
    /// Its indicators.
    pub indicators: Vec<YearIndicator>,
}

/// One indicator across the years: (year, target, actual) per year it appears in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorHistory {
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标 (as the latest year writes it).
    pub name: String,
    /// Per year, oldest first.
    pub years: Vec<IndicatorYear>,
}

/// An indicator in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorYear {
    /// 年度.
    pub year: i32,
    /// 指标值 as written.
    pub target: String,
    /// The latest 实际完成值, as text.
    pub actual: Option<String>,
}

/// 项目历史 — `GET /api/projects/{id}/history` answers this (`{years: [{year, indicators}]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectHistory {
    /// The declaration asked about.
    pub declaration_id: DeclarationId,
    /// The years found, oldest first.
    pub years: Vec<HistoryYear>,
    /// Per indicator, across the years.
    pub indicators: Vec<IndicatorHistory>,
    /// The year-over-year findings of the declaration asked about against its year before.
    pub findings: Vec<Finding>,
}

/// An indicator's latest actual of a year: its code, (text, number, unit) and date.
type YearActual = (String, (String, Option<Decimal>, Option<String>), NaiveDate);

fn same_project(a: &Project, b: &Project) -> bool {
    normalize_name(&a.unit) == normalize_name(&b.unit)
        && normalize_name(&a.name) == normalize_name(&b.name)
}

fn value_text(v: &ObservedValue) -> (String, Option<Decimal>, Option<String>) {
    match v {
        ObservedValue::Number { value, unit } => (
            present::quantity(*value, unit.as_deref()),
            Some(*value),
            unit.clone(),
        ),
        ObservedValue::Date { date } => (present::date(*date, present::Lang::Zh), None, None),
        ObservedValue::Level { level } => (level.zh().to_string(), None, None),
    }
}

impl App {
    /// The history of declaration `id` across years, and the year-over-year review of it
    /// against its year before under the review policy.
    pub async fn project_history(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<ProjectHistory, AppError> {
        let policy = &self.policies.review;
        let base = self
            .store
            .project(id)
            .await?
            .ok_or_else(|| crate::error::not_found(&format!("#{id}"), None))?;
        authorize(actor, Action::Read, &base)?;
        // The declarations that may belong to this project (linked either way, or of its unit
        // and name, and theirs in turn) and the links among them: what the walk below can
        // reach, read by one store call, not every declaration.
        let (family, links) = self.store.project_family(id).await?;
        let all: Vec<Project> = family
            .into_iter()
            .filter(|p| can_read(actor, p) && p.id.is_some())
            .collect();
        let by_id: HashMap<DeclarationId, &Project> =
            all.iter().filter_map(|p| p.id.map(|i| (i, p))).collect();
        let previous_of: HashMap<DeclarationId, DeclarationId> = links.iter().copied().collect();
        let next_of: HashMap<DeclarationId, DeclarationId> =
            links.iter().map(|(a, b)| (*b, *a)).collect();

        let mut chain: BTreeMap<i32, (Project, HistoryMatch)> = BTreeMap::new();
        chain.insert(base.year, (base.clone(), HistoryMatch::Itself));
        // Backwards, then forwards.
        for back in [true, false] {
            let mut cur = base.clone();
            while let Some(cid) = cur.id {
                let linked = (if back {
                    previous_of.get(&cid)
                } else {
                    next_of.get(&cid)
                })
                .and_then(|i| by_id.get(i))
                .filter(|p| {
                    if back {
                        p.year < cur.year
                    } else {
                        p.year > cur.year
                    }
                });
                let found = match linked {
                    Some(p) => Some(((*p).clone(), HistoryMatch::Linked)),
                    None => all
                        .iter()
                        .filter(|p| {
                            same_project(p, &cur)
                                && if back {
                                    p.year < cur.year
                                } else {
                                    p.year > cur.year
                                }
                        })
                        .min_by_key(|p| (p.year - cur.year).abs())
                        .map(|p| (p.clone(), HistoryMatch::UnitAndName)),
                };
                let Some((p, how)) = found else { break };
                if chain.contains_key(&p.year) {
                    break;
                }
                chain.insert(p.year, (p.clone(), how));
                cur = p;
            }
        }

        let mut years = Vec::new();
        let mut actuals_of: HashMap<DeclarationId, Vec<YearActual>> = HashMap::new();
        // The actual values of every year's declaration in one query.
        let ids: Vec<DeclarationId> = chain.values().filter_map(|(p, _)| p.id).collect();
        let mut sets = self.store.observations_of(&ids).await?;
        for (year, (p, how)) in &chain {
            let did = p.id.unwrap_or_default();
            let set = sets.remove(&did).unwrap_or_default();
            let mut latest: HashMap<String, (NaiveDate, &ObservedValue)> = HashMap::new();
            for o in &set.current {
                let e = latest
                    .entry(o.indicator.clone())
                    .or_insert((o.date, &o.value));
                if o.date >= e.0 {
                    *e = (o.date, &o.value);
                }
            }
            let mut list = Vec::new();
            let indicators = p
                .indicators
                .iter()
                .map(|i| {
                    let got = latest.get(&i.code).map(|(d, v)| (value_text(v), *d));
                    if let Some((t, d)) = &got {
                        list.push((i.code.clone(), t.clone(), *d));
                    }
                    YearIndicator {
                        indicator_id: i.id,
                        code: i.code.clone(),
                        level1: i.level1,
                        level2: i.level2.clone(),
                        name: i.name.clone(),
                        target: i.raw.trim().to_string(),
                        unit: i.target.quantities().first().and_then(|q| q.unit.clone()),
                        actual: got.as_ref().map(|((t, _, _), _)| t.clone()),
                        actual_value: got.as_ref().and_then(|((_, v, _), _)| *v),
                        actual_date: got.as_ref().map(|(_, d)| *d),
                    }
                })
                .collect();
            actuals_of.insert(did, list);
            let (note_zh, note_en) = match how {
                HistoryMatch::UnitAndName => (
                    Some(format!(
                        "{year}年度的申报未关联上年项目，按实施单位「{}」和项目名称「{}」匹配",
                        p.unit, p.name
                    )),
                    Some(format!(
                        "{year}: no declaration link; matched by unit {:?} and project name {:?}",
                        p.unit, p.name
                    )),
                ),
                _ => (None, None),
            };
            years.push(HistoryYear {
                year: *year,
                declaration_id: did,
                name: p.name.clone(),
                matched: *how,
                note_zh,
                note_en,
                funds_total: p.funds.total,
                indicators,
            });
        }

        // Per indicator across years, keyed by 二级 and normalised name, in the latest year's order.
        let mut rows: Vec<IndicatorHistory> = Vec::new();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for y in years.iter().rev() {
            for i in &y.indicators {
                let key = (i.level2.id().to_string(), normalize_name(&i.name));
                let k = *index.entry(key).or_insert_with(|| {
                    rows.push(IndicatorHistory {
                        level1: i.level1,
                        level2: i.level2.clone(),
                        name: i.name.clone(),
                        years: Vec::new(),
                    });
                    rows.len() - 1
                });
                if rows[k].years.iter().all(|r| r.year != y.year) {
                    rows[k].years.insert(
                        0,
                        IndicatorYear {
                            year: y.year,
                            target: i.target.clone(),
                            actual: i.actual.clone(),
                        },
                    );
                }
            }
        }

        let findings = match chain.range(..base.year).next_back() {
            Some((_, (prev, _))) => {
                let acts = actuals_of.get(&prev.id.unwrap_or_default());
                let actuals = prev
                    .indicators
                    .iter()
                    .enumerate()
                    .filter_map(|(k, i)| {
                        let (_, (_, v, u), _) = acts?.iter().find(|(c, _, _)| *c == i.code)?;
                        Some((k, (*v)?, u.clone()))
                    })
                    .collect();
                jixiao_review::year_over_year(
                    &base,
                    &PriorYear {
                        project: prev.clone(),
                        actuals,
                    },
                    policy,
                )
            }
            None => Vec::new(),
        };
        Ok(ProjectHistory {
            declaration_id: id,
            years,
            indicators: rows,
            findings,
        })
    }

    /// Links declaration `id` to last year's declaration `previous` (上年项目), so that history
    /// matches them by id; audited. Whoever may write the declaration may link it.
    pub async fn link_previous_year(
        &self,
        actor: &Actor,
        id: DeclarationId,
        previous: DeclarationId,
    ) -> Result<(), AppError> {
        let this = self
            .store
            .project(id)
            .await?
            .ok_or_else(|| crate::error::not_found(&format!("#{id}"), None))?;
        authorize(actor, Action::Write, &this)?;
        let prev = self
            .store
            .project(previous)
            .await?
            .ok_or_else(|| crate::error::not_found(&format!("#{previous}"), None))?;
        authorize(actor, Action::Read, &prev)?;
        earlier(previous, prev.year, this.year)?;
        Ok(self
            .store
            .link_predecessor(id, previous, &actor.name)
            .await?)
    }

    /// 以上年申报为基础新建 — a new draft of the year after declaration `previous` (every field
    /// copied, the year and dates a year later, linked to it when saved), for an actor who may
    /// declare and may read `previous`.
    pub async fn start_from_previous(
        &self,
        actor: &Actor,
        previous: DeclarationId,
    ) -> Result<Draft, AppError> {
        require_role(actor, Action::Write)?;
        let p = self.project_by_id(actor, previous).await?;
        Ok(Draft::next_year(&p, previous))
    }

    /// 上年情况 — declaration `previous` as the editor shows it beside a draft started from it:
    /// its year, name and each indicator's target and latest actual.
    pub async fn previous_year(
        &self,
        actor: &Actor,
        previous: DeclarationId,
    ) -> Result<HistoryYear, AppError> {
        self.project_history(actor, previous)
            .await?
            .years
            .into_iter()
            .find(|y| y.declaration_id == previous)
            .ok_or_else(|| crate::error::not_found(&format!("#{previous}"), None))
    }
}

/// Refuses a 上年项目 `previous` (of `previous_year`) that is not earlier than `year`.
pub(crate) fn earlier(
    previous: DeclarationId,
    previous_year: i32,
    year: i32,
) -> Result<(), AppError> {
    if previous_year < year {
        return Ok(());
    }
    Err(AppError::invalid(Message::PreviousYearNotEarlier {
        previous,
        previous_year,
        year,
    }))
}
