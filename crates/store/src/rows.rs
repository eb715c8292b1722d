//! Rows ↔ model: a declaration version, its tasks and indicators as rows, money as fen.

use std::collections::HashMap;
use std::str::FromStr;

use jixiao_model::{
    normalize_name, Decimal, DepartmentTargets, Funds, Indicator, Level1, Level2, NaiveDate,
    Project, ProjectFunds, SpendingSplit, Target, Task, TaskFunds,
};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::{corrupt, StoreError};

/// An amount in 元 as integer fen; refused when it has fractions of a fen or does not fit.
pub(crate) fn fen(amount: Decimal, what: &str) -> Result<i64, StoreError> {
    let scaled = amount * Decimal::from(100);
    if !scaled.fract().is_zero() {
        return Err(StoreError::Invalid {
            zh: format!("{what}「{amount}」不足一分的部分无法保存（金额最多两位小数）"),
            en: format!("{what} {amount} has fractions of a fen (amounts have at most 2 decimals)"),
        });
    }
    i64::try_from(scaled.trunc()).map_err(|_| StoreError::Invalid {
        zh: format!("{what}「{amount}」超出可保存的范围"),
        en: format!("{what} {amount} is out of range"),
    })
}

/// Fen back to 元, with two decimals.
pub(crate) fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// A project's amounts with two decimals, as the store gives them back.
pub(crate) fn normalize_amounts(p: &mut Project) -> Result<(), StoreError> {
    let f = &mut p.funds;
    for (v, what) in [
        (&mut f.total, "年度资金申请总额"),
        (&mut f.fiscal, "当年财政拨款"),
        (&mut f.carryover, "上年结转资金"),
        (&mut f.other, "其他资金"),
    ] {
        *v = yuan(fen(*v, what)?);
    }
    if let Some(pf) = &mut p.project_funds {
        for (v, what) in [
            (&mut pf.total, "项目资金总额"),
            (&mut pf.fiscal, "财政资金"),
            (&mut pf.other, "其他资金"),
        ] {
            *v = yuan(fen(*v, what)?);
        }
    }
    if let Some(split) = p
        .department_targets
        .as_mut()
        .and_then(|d| d.spending.as_mut())
    {
        for (v, what) in [
            (&mut split.basic, "基本支出"),
            (&mut split.project, "项目支出"),
        ] {
            *v = yuan(fen(*v, what)?);
        }
    }
    for tf in p.tasks.iter_mut().filter_map(|t| t.funds.as_mut()) {
        for (v, what) in [
            (&mut tf.total, "预算金额总额"),
            (&mut tf.fiscal, "财政拨款"),
            (&mut tf.other, "其他资金"),
        ] {
            *v = yuan(fen(*v, what)?);
        }
    }
    Ok(())
}

/// The content of a project as compared between versions: no ids, no source lines.
pub(crate) fn content(p: &Project) -> Project {
    let mut c = p.clone();
    c.id = None;
    for i in &mut c.indicators {
        i.id = None;
        i.line = None;
        i.library = None;
    }
    c
}

/// Whether importing `incoming` over the current version `current` writes a new version: the
/// comparison the import makes (amounts to the fen, codes assigned), for a preview that must
/// say what the import will do.
pub fn import_changes(current: &Project, incoming: &Project) -> bool {
    let mut p = incoming.clone();
    if normalize_amounts(&mut p).is_err() {
        return true;
    }
    p.assign_codes();
    content(current) != content(&p)
}

pub(crate) const VERSION_COLUMNS: &str = "v.id, v.declaration_id, v.year, v.name, v.nature, \
    v.category, v.department, v.unit, v.start_date, v.end_date, v.funds_total, v.funds_fiscal, \
    v.funds_carryover, v.funds_other, v.project_funds_total, v.project_funds_fiscal, \
    v.project_funds_other, v.overall_goal, v.annual_goal, v.title, v.department_functions, \
    v.spending_basic, v.spending_project";

fn date(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::from_str(s).map_err(corrupt)
}

/// A project without tasks and indicators from a row of [`VERSION_COLUMNS`]; returns
/// (version row id, project, title).
pub(crate) fn version_from_row(r: &AnyRow) -> Result<(i64, Project, Option<String>), StoreError> {
    let pf_total: Option<i64> = r.try_get(14)?;
    let project_funds = match pf_total {
        Some(total) => Some(ProjectFunds {
            total: yuan(total),
            fiscal: yuan(r.try_get::<Option<i64>, _>(15)?.unwrap_or(0)),
            other: yuan(r.try_get::<Option<i64>, _>(16)?.unwrap_or(0)),
        }),
        None => None,
    };
    let department_targets = match r.try_get::<Option<String>, _>(20)? {
        Some(functions) => Some(DepartmentTargets {
            functions,
            spending: match (
                r.try_get::<Option<i64>, _>(21)?,
                r.try_get::<Option<i64>, _>(22)?,
            ) {
                (Some(basic), Some(project)) => Some(SpendingSplit {
                    basic: yuan(basic),
                    project: yuan(project),
                }),
                _ => None,
            },
        }),
        None => None,
    };
    let p = Project {
        id: Some(r.try_get(1)?),
        year: i32::try_from(r.try_get::<i64, _>(2)?).map_err(corrupt)?,
        name: r.try_get(3)?,
        nature: r.try_get(4)?,
        category: r.try_get(5)?,
        department: r.try_get(6)?,
        unit: r.try_get(7)?,
        start: date(&r.try_get::<String, _>(8)?)?,
        end: date(&r.try_get::<String, _>(9)?)?,
        funds: Funds {
            total: yuan(r.try_get(10)?),
            fiscal: yuan(r.try_get(11)?),
            carryover: yuan(r.try_get(12)?),
            other: yuan(r.try_get(13)?),
        },
        project_funds,
        overall_goal: r.try_get(17)?,
        annual_goal: r.try_get(18)?,
        tasks: Vec::new(),
        indicators: Vec::new(),
        department_targets,
    };
    Ok((r.try_get(0)?, p, r.try_get(19)?))
}

/// The columns [`indicator_from_row`] reads.
pub(crate) const INDICATOR_COLUMNS: &str = "i.version_id, i.indicator_id, i.code, i.level1, \
    i.level2, i.name, i.tasks, i.target, i.raw, i.line, i.core";

/// Fills the tasks and indicators of the given versions (version row id → project).
/// `version_filter` is SQL without parameters that yields version row ids: a list of integers
/// or a sub-select.
pub(crate) async fn fill(
    conn: &mut AnyConnection,
    projects: &mut [(i64, Project)],
    version_filter: &str,
) -> Result<(), StoreError> {
    let index: HashMap<i64, usize> = projects
        .iter()
        .enumerate()
        .map(|(k, (id, _))| (*id, k))
        .collect();
    let sql = format!(
        "SELECT t.version_id, t.no, t.area, t.title, t.description, t.funds_total, \
         t.funds_fiscal, t.funds_other FROM tasks t \
         WHERE t.version_id IN ({version_filter}) ORDER BY t.version_id, t.no"
    );
    for r in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        let Some(&k) = index.get(&r.try_get::<i64, _>(0)?) else {
            continue;
        };
        projects[k].1.tasks.push(Task {
            no: u32::try_from(r.try_get::<i64, _>(1)?).map_err(corrupt)?,
            area: r.try_get(2)?,
            title: r.try_get(3)?,
            description: r.try_get(4)?,
            funds: match r.try_get::<Option<i64>, _>(5)? {
                Some(total) => Some(TaskFunds {
                    total: yuan(total),
                    fiscal: yuan(r.try_get::<Option<i64>, _>(6)?.unwrap_or(0)),
                    other: yuan(r.try_get::<Option<i64>, _>(7)?.unwrap_or(0)),
                }),
                None => None,
            },
        });
    }
    let sql = format!(
        "SELECT {INDICATOR_COLUMNS} FROM version_indicators i \
         WHERE i.version_id IN ({version_filter}) ORDER BY i.version_id, i.seq"
    );
    for r in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        let Some(&k) = index.get(&r.try_get::<i64, _>(0)?) else {
            continue;
        };
        projects[k].1.indicators.push(indicator_from_row(&r)?);
    }
    Ok(())
}

/// An indicator from a row of [`INDICATOR_COLUMNS`] of `version_indicators`.
pub(crate) fn indicator_from_row(r: &AnyRow) -> Result<Indicator, StoreError> {
    let level1: String = r.try_get(3)?;
    let tasks: String = r.try_get(6)?;
    let target: String = r.try_get(7)?;
    Ok(Indicator {
        id: Some(r.try_get(1)?),
        code: r.try_get(2)?,
        level1: Level1::ALL
            .into_iter()
            .find(|l| l.en() == level1)
            .ok_or_else(|| corrupt(format!("level1 {level1:?}")))?,
        level2: Level2::from_id(&r.try_get::<String, _>(4)?),
        name: r.try_get(5)?,
        tasks: if tasks.is_empty() {
            Vec::new()
        } else {
            tasks
                .split(',')
                .map(|t| t.parse::<u32>().map_err(corrupt))
                .collect::<Result<_, _>>()?
        },
        raw: r.try_get(8)?,
        line: r
            .try_get::<Option<i64>, _>(9)?
            .map(|l| u32::try_from(l).map_err(corrupt))
            .transpose()?,
        target: serde_json::from_str::<Target>(&target).map_err(corrupt)?,
        library: None,
        core: r.try_get::<i64, _>(10)? != 0,
    })
}

/// Placeholders of a statement built in code (multi-row INSERTs, IN lists): `?` on SQLite,
/// `$1`, `$2` … on PostgreSQL. On SQLite binding a numbered parameter looks its name up in a
/// list (`sqlite3_bind_parameter_name`, linear), which made a statement of a few thousand
/// parameters quadratic — 18% of an import's time in a profile; positional `?` are bound in
/// order without a lookup.
pub(crate) struct Params {
    sqlite: bool,
    n: usize,
}

impl Params {
    /// Placeholders for a statement on `conn`, from the first.
    pub(crate) fn new(conn: &AnyConnection) -> Params {
        Params {
            sqlite: conn.backend_name().eq_ignore_ascii_case("sqlite"),
            n: 0,
        }
    }

    /// The next placeholder.
    pub(crate) fn next(&mut self) -> String {
        self.n += 1;
        if self.sqlite {
            "?".to_string()
        } else {
            format!("${}", self.n)
        }
    }

    /// A row of `k` placeholders: `(?, ?, ?)`.
    pub(crate) fn row(&mut self, k: usize) -> String {
        let cells: Vec<String> = (0..k).map(|_| self.next()).collect();
        format!("({})", cells.join(", "))
    }
}

/// Inserts a version row, its tasks and its indicators (whose ids must be set).
#[allow(clippy::too_many_arguments)] // one column group each; a struct would only rename them
pub(crate) async fn insert_version(
    tx: &mut Transaction<'_, Any>,
    declaration_id: i64,
    version: i64,
    import_id: Option<i64>,
    by: &str,
    at: &str,
    title: Option<&str>,
    p: &Project,
) -> Result<i64, StoreError> {
    let f = &p.funds;
    let pf = p.project_funds.as_ref();
    let pf_fen = |x: Option<Decimal>, what| x.map(|v| fen(v, what)).transpose();
    let dept = p.department_targets.as_ref();
    let split = dept.and_then(|d| d.spending.as_ref());
    let version_id: i64 = sqlx::query(
        "INSERT INTO declaration_versions (declaration_id, version, import_id, created_at, created_by, \
         title, year, name, nature, category, department, unit, start_date, end_date, funds_total, \
         funds_fiscal, funds_carryover, funds_other, project_funds_total, project_funds_fiscal, \
         project_funds_other, overall_goal, annual_goal, document, department_functions, \
         spending_basic, spending_project) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27) RETURNING id",
    )
    .bind(declaration_id)
    .bind(version)
    .bind(import_id)
    .bind(at)
    .bind(by)
    .bind(title)
    .bind(i64::from(p.year))
    .bind(&p.name)
    .bind(p.nature.as_deref())
    .bind(p.category.as_deref())
    .bind(p.department.as_deref())
    .bind(&p.unit)
    .bind(p.start.to_string())
    .bind(p.end.to_string())
    .bind(fen(f.total, "年度资金申请总额")?)
    .bind(fen(f.fiscal, "当年财政拨款")?)
    .bind(fen(f.carryover, "上年结转资金")?)
    .bind(fen(f.other, "其他资金")?)
    .bind(pf_fen(pf.map(|x| x.total), "项目资金总额")?)
    .bind(pf_fen(pf.map(|x| x.fiscal), "财政资金")?)
    .bind(pf_fen(pf.map(|x| x.other), "其他资金")?)
    .bind(&p.overall_goal)
    .bind(&p.annual_goal)
    .bind(serde_json::to_string(p).map_err(corrupt)?)
    .bind(dept.map(|d| d.functions.as_str()))
    .bind(pf_fen(split.map(|s| s.basic), "基本支出")?)
    .bind(pf_fen(split.map(|s| s.project), "项目支出")?)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    // One statement for all the sub-tasks (8 parameters each; forms have a handful, at most
    // hundreds).
    for chunk in p.tasks.chunks(1000) {
        let mut params = Params::new(tx);
        let values: Vec<String> = (0..chunk.len()).map(|_| params.row(8)).collect();
        let sql = format!(
            "INSERT INTO tasks (version_id, no, area, title, description, funds_total, \
             funds_fiscal, funds_other) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for t in chunk {
            let tf = t.funds.as_ref();
            q = q
                .bind(version_id)
                .bind(i64::from(t.no))
                .bind(t.area.as_deref())
                .bind(&t.title)
                .bind(&t.description)
                .bind(pf_fen(tf.map(|f| f.total), "预算金额总额")?)
                .bind(pf_fen(tf.map(|f| f.fiscal), "财政拨款")?)
                .bind(pf_fen(tf.map(|f| f.other), "其他资金")?);
        }
        q.execute(&mut **tx).await?;
    }
    insert_indicators(tx, version_id, p).await?;
    Ok(version_id)
}

/// Rows per multi-row INSERT: 14 parameters each stays far below SQLite's 32,766 and
/// PostgreSQL's 65,535 bind parameters, while one statement carries a typical project.
const INDICATOR_ROWS_PER_INSERT: usize = 500;

/// Inserts a version's indicators, one statement per chunk of rows.
async fn insert_indicators(
    tx: &mut Transaction<'_, Any>,
    version_id: i64,
    p: &Project,
) -> Result<(), StoreError> {
    const COLS: usize = 14;
    for (chunk_no, chunk) in p.indicators.chunks(INDICATOR_ROWS_PER_INSERT).enumerate() {
        let mut sql = String::from(
            "INSERT INTO version_indicators (version_id, seq, indicator_id, code, level1, level2, \
             name, tasks, target_kind, target, raw, line, name_key, core) VALUES ",
        );
        let mut params = Params::new(tx);
        for row in 0..chunk.len() {
            if row > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&params.row(COLS));
        }
        let mut q = sqlx::query(&sql);
        for (i, ind) in chunk.iter().enumerate() {
            let id = ind
                .id
                .ok_or_else(|| corrupt("indicator without an id at insert"))?;
            let tasks: Vec<String> = ind.tasks.iter().map(u32::to_string).collect();
            let target = serde_json::to_string(&ind.target).map_err(corrupt)?;
            q = q
                .bind(version_id)
                .bind((chunk_no * INDICATOR_ROWS_PER_INSERT + i) as i64)
                .bind(id)
                .bind(ind.code.clone())
                .bind(ind.level1.en())
                .bind(ind.level2.id().to_string())
                .bind(ind.name.clone())
                .bind(tasks.join(","))
                .bind(ind.target.kind())
                .bind(target)
                .bind(ind.raw.clone())
                .bind(ind.line.map(i64::from))
                .bind(normalize_name(&ind.name))
                .bind(i64::from(ind.core));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_is_exact_and_refuses_fractions_of_a_fen() {
        assert_eq!(
            fen("9028372.00".parse().unwrap(), "x").unwrap(),
            902_837_200
        );
        assert_eq!(fen("0.1".parse().unwrap(), "x").unwrap(), 10);
        assert_eq!(yuan(902_837_200).to_string(), "9028372.00");
        assert!(matches!(
            fen("1.005".parse().unwrap(), "x"),
            Err(StoreError::Invalid { .. })
        ));
    }
}
