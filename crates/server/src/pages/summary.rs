//! 汇总表 — the 项目绩效目标汇总表 of a year for a unit (`/summary?year=&unit=`) or a
//! department (`/summary?department=`, with a roll-up per unit), the same view the CLI's
//! `jixiao report summary` writes; and the reports as XLSX and PDF downloads (`/reports/{kind}`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State as S};
use jixiao_app::{AppError, ReportKind, ReportSelection, UnitSummary};
use jixiao_model::{Decimal, NaiveDate};

use super::{encode, opt, read_date, today, Frame, PageResult, PageUser, Params};
use crate::State;

/// One unit of a department's roll-up.
struct UnitTotal {
    unit: String,
    declarations: usize,
    /// `None` when the sum does not fit.
    funds: Option<Decimal>,
    errors: u64,
    warnings: u64,
}

#[derive(Template)]
#[template(path = "summary.html")]
struct Page {
    f: Frame,
    years: Vec<i32>,
    units: Vec<String>,
    departments: Vec<String>,
    sel: ReportSelection,
    summary: Option<UnitSummary>,
    table: String,
    rollup: Vec<UnitTotal>,
    message: Option<(String, String)>,
}

impl Page {
    /// The line under the title, in the page's language.
    fn subtitle(&self, s: &UnitSummary) -> String {
        s.subtitle(self.f.lang)
    }

    fn query(&self) -> String {
        let mut q = vec![format!("year={}", self.sel.year)];
        if let Some(u) = &self.sel.unit {
            q.push(format!("unit={}", encode(u)));
        }
        if let Some(d) = &self.sel.department {
            q.push(format!("department={}", encode(d)));
        }
        if let Some(d) = self.sel.as_of {
            q.push(format!("as_of={d}"));
        }
        q.join("&")
    }

    fn is_year(&self, y: &i32) -> bool {
        self.sel.year == *y
    }

    fn is_unit(&self, u: &str) -> bool {
        self.sel.unit.as_deref() == Some(u)
    }

    fn is_department(&self, d: &str) -> bool {
        self.sel.department.as_deref() == Some(d)
    }

    fn as_of_value(&self) -> String {
        self.sel.as_of.map(|d| d.to_string()).unwrap_or_default()
    }

    fn funds_of(&self, t: &UnitTotal) -> String {
        t.funds.map_or_else(
            || {
                self.f
                    .t("（合计超出范围）", "(sum out of range)")
                    .to_string()
            },
            |x| self.f.amount(x),
        )
    }
}

fn rollup(s: &UnitSummary) -> Vec<UnitTotal> {
    let mut out: Vec<UnitTotal> = Vec::new();
    for r in &s.rows {
        let k = match out.iter().position(|t| t.unit == r.unit) {
            Some(k) => k,
            None => {
                out.push(UnitTotal {
                    unit: r.unit.clone(),
                    declarations: 0,
                    funds: Some(Decimal::ZERO),
                    errors: 0,
                    warnings: 0,
                });
                out.len() - 1
            }
        };
        let t = &mut out[k];
        t.declarations += 1;
        t.funds = t.funds.and_then(|f| f.checked_add(r.funds));
        t.errors += u64::from(r.findings.errors);
        t.warnings += u64::from(r.findings.warnings);
    }
    out
}

fn selection(
    user: &PageUser,
    q: &HashMap<String, String>,
    years: &[i32],
) -> Result<ReportSelection, super::PageError> {
    let year = match opt(q, "year") {
        Some(y) => y.parse::<i32>().map_err(|_| {
            user.fail(AppError::invalid(
                format!("参数 year=「{y}」无效：应为年份，如 2024"),
                format!("invalid year={y:?}: give a year such as 2024"),
            ))
        })?,
        None => years
            .first()
            .copied()
            .unwrap_or_else(|| jixiao_model::Datelike::year(&super::today(user.zone))),
    };
    let as_of: Option<NaiveDate> = match opt(q, "as_of") {
        Some(d) => Some(read_date("as_of", &d, year).map_err(|e| user.fail(e))?),
        None => None,
    };
    Ok(ReportSelection {
        project: opt(q, "project"),
        unit: opt(q, "unit"),
        department: opt(q, "department"),
        year,
        as_of,
    })
}

/// `GET /summary?year=&unit=&department=&as_of=`.
pub(crate) async fn page(S(state): S<State>, user: PageUser, Params(q): Params) -> PageResult {
    let actor = user.actor();
    let list = state.app.list(actor).await.map_err(|e| user.fail(e))?;
    let mut years: Vec<i32> = list.iter().map(|s| s.key.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut units: Vec<String> = list.iter().map(|s| s.key.unit.clone()).collect();
    units.sort();
    units.dedup();
    let mut departments: Vec<String> = list.iter().filter_map(|s| s.department.clone()).collect();
    departments.sort();
    departments.dedup();
    let mut sel = selection(&user, &q, &years)?;
    sel.project = None;
    let (summary, message) = match state
        .app
        .unit_summary(
            actor,
            &sel,
            &state.options.review_policy,
            &state.options.eval_policy,
        )
        .await
    {
        Ok(s) => (Some(s), None),
        Err(AppError::NotFound { zh, en }) => (None, Some((zh, en))),
        Err(e) => return Err(user.fail(e)),
    };
    let table = summary
        .as_ref()
        .map(|s| jixiao_app::views::summary_table_html(s, user.lang))
        .unwrap_or_default();
    let rollup = match (&summary, &sel.unit) {
        (Some(s), None) => rollup(s),
        _ => Vec::new(),
    };
    super::render(
        user.lang,
        &Page {
            f: user.frame("summary"),
            years,
            units,
            departments,
            sel,
            summary,
            table,
            rollup,
            message,
        },
    )
}

/// `GET /reports/{kind}?year=&unit=&department=&project=&as_of=&format=`: a report as XLSX
/// (the default) or PDF (`format=pdf`) — `declaration`, `summary`, `monitoring` (as of `as_of`,
/// today without it) or `self-evaluation` ([`crate::reports`]).
pub(crate) async fn download(
    S(state): S<State>,
    user: PageUser,
    Path(kind): Path<String>,
    Params(q): Params,
) -> PageResult {
    let kind = crate::reports::kind_of(&kind).map_err(|e| user.fail(e))?;
    let format = crate::reports::FileFormat::of(&q).map_err(|e| user.fail(e))?;
    let actor = user.actor();
    let list = state.app.list(actor).await.map_err(|e| user.fail(e))?;
    let mut years: Vec<i32> = list.iter().map(|s| s.key.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    let mut sel = selection(&user, &q, &years)?;
    if kind.0 == ReportKind::Monitoring && sel.as_of.is_none() {
        sel.as_of = Some(today(user.zone));
    }
    crate::reports::download(&state, actor, kind, &sel, format)
        .await
        .map_err(|e| user.fail(e))
}
