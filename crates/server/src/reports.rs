//! 报表 — the year's reports: the summary page (`/summary`, 汇总表 by unit) and the report
//! files, for the pages' downloads (`GET /reports/{kind}`) and the API (`GET
//! /api/reports/{kind}`): XLSX written by `jixiao_app::App::report`, PDF typeset by
//! `jixiao_pdf` from `App::report_view` (the server, like the CLI, is a front end and a leaf,
//! so it may link typst; `app` does not). What a report holds is what `app` lets the actor
//! read.
//!
//! The Chinese fonts are read once, on the first PDF asked for, and kept; a machine without
//! them answers 503 naming the package (`fonts-noto-cjk`). Typesetting runs on the parse pool.

use std::collections::HashMap;
use std::sync::OnceLock;

use askama::Template;
use axum::extract::{Path, State as S};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use jixiao_app::{
    Actor, AppError, Expected, Message, ReportFormat, ReportKind, ReportSelection, ReportView,
    UnitSummary,
};
use jixiao_model::{Decimal, NaiveDate};

use crate::error::{Error, Result};
use crate::extract::{opt, Authed, PageUser, Params};
use crate::state::{AppState, State};
use crate::view::{encode, read_date, render, today, Frame, PageResult};

/// The routes of reports.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/reports/{kind}", get(report_get))
        .route("/api/cost-per-output", get(cost_get))
        .route("/summary", get(summary_page))
        .route("/reports/{kind}", get(download_page))
}

/// `GET /api/reports/{kind}?year=&unit=&department=&project=&as_of=&format=xlsx|pdf`: a
/// report of the declarations the session's actor may read, as a file.
#[utoipa::path(get, path = "/api/reports/{kind}", tag = "reports", summary = "报表文件：申报表、汇总表、监控表、自评表，XLSX 或 PDF / a report of the declarations the session may read, as a file", params(("kind" = String, Path, description = "declaration, summary, monitoring, self-evaluation"), ("year" = i32, Query), ("format" = Option<String>, Query, description = "xlsx (default) or pdf"), ("unit" = Option<String>, Query), ("department" = Option<String>, Query), ("project" = Option<String>, Query), ("as_of" = Option<String>, Query, format = Date)), responses((status = 200, description = "The file (Content-Disposition: attachment)", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/pdf"))), (status = 503, description = "PDF 所需中文字体未安装（fonts-noto-cjk），或正忙 / no Chinese fonts, or busy", body = crate::error::ErrorBody), crate::openapi::Reading))]
pub async fn report_get(
    S(state): AppState,
    a: Authed,
    Path(kind): Path<String>,
    Params(q): Params,
) -> Result<Response> {
    let kind = kind_of(&kind)?;
    let format = FileFormat::of(&q)?;
    let sel = api_selection(&q, today(state.options.time_zone))?;
    Ok(download(&state, &a.session.actor, kind, &sel, format).await?)
}

/// `GET /api/cost-per-output` — 成本预算绩效 of a selection.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CostBody {
    /// 年度.
    year: i32,
    /// How each figure is rounded (四舍五入到分).
    rounding_zh: &'static str,
    /// The same in English.
    rounding_en: &'static str,
    /// Every figure, in declaration then form order.
    items: Vec<CostItem>,
    /// The same output (normalised name and unit) of at least two units, cheapest first.
    comparisons: Vec<CostComparisonBody>,
    /// Names written in different units by different declarations: not compared.
    mismatches: Vec<CostMismatch>,
    /// 项目名称 of the declarations without a quantitative output.
    without_output: Vec<String>,
}

/// One cost per output.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CostItem {
    declaration_id: Option<i64>,
    project: String,
    unit: String,
    department: Option<String>,
    /// Indicator code (`1.1.1`).
    code: String,
    /// 三级指标 as written.
    indicator: String,
    /// The normalised name it is compared by.
    key: String,
    /// The sub-tasks whose funds pay for it (empty: the whole declaration).
    tasks: Vec<u32>,
    /// Those funds in 元 (exact).
    #[schema(value_type = String, example = "360000.00")]
    funds: Decimal,
    /// `allocated`, `shared` or `whole`.
    basis: &'static str,
    /// What the basis means, in Chinese and English.
    basis_zh: String,
    basis_en: String,
    /// The output's target quantity.
    #[schema(value_type = String, example = "15000.00")]
    quantity: Decimal,
    /// Its unit (`公里`).
    measure: String,
    /// 元 per unit of output, rounded half away from zero to 分.
    #[schema(value_type = String, example = "24.00")]
    cost: Decimal,
    /// `元/公里`.
    per: String,
}

/// One output compared across units.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CostComparisonBody {
    key: String,
    measure: String,
    per: String,
    entries: Vec<CostEntry>,
}

/// One unit's figure in a comparison.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CostEntry {
    unit: String,
    project: String,
    indicator: String,
    #[schema(value_type = String, example = "24.00")]
    cost: Decimal,
    /// Percent of the cheapest (100.00 for it), 2 decimals; null when the cheapest is 0.
    #[schema(value_type = Option<String>, example = "125.00")]
    of_lowest: Option<Decimal>,
    basis: &'static str,
}

/// A name in several units.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CostMismatch {
    key: String,
    measures: Vec<String>,
}

fn basis_id(b: &jixiao_app::FundsBasis) -> &'static str {
    match b {
        jixiao_app::FundsBasis::Allocated => "allocated",
        jixiao_app::FundsBasis::Shared { .. } => "shared",
        jixiao_app::FundsBasis::Whole => "whole",
    }
}

impl CostBody {
    fn of(year: i32, c: jixiao_app::CostReport) -> CostBody {
        use jixiao_model::Lang;
        CostBody {
            year,
            rounding_zh: jixiao_app::COST_ROUNDING_ZH,
            rounding_en: jixiao_app::COST_ROUNDING_EN,
            items: c
                .items
                .into_iter()
                .map(|i| CostItem {
                    per: i.per(),
                    basis: basis_id(&i.basis),
                    basis_zh: i.basis.note(Lang::Zh),
                    basis_en: i.basis.note(Lang::En),
                    declaration_id: i.declaration_id,
                    project: i.project,
                    unit: i.unit,
                    department: i.department,
                    code: i.code,
                    indicator: i.indicator,
                    key: i.key,
                    tasks: i.tasks,
                    funds: i.funds,
                    quantity: i.quantity,
                    measure: i.measure,
                    cost: i.cost,
                })
                .collect(),
            comparisons: c
                .comparisons
                .into_iter()
                .map(|g| CostComparisonBody {
                    per: g.per(),
                    key: g.key,
                    measure: g.measure,
                    entries: g
                        .entries
                        .into_iter()
                        .map(|e| CostEntry {
                            basis: basis_id(&e.basis),
                            unit: e.unit,
                            project: e.project,
                            indicator: e.indicator,
                            cost: e.cost,
                            of_lowest: e.of_lowest,
                        })
                        .collect(),
                })
                .collect(),
            mismatches: c
                .mismatches
                .into_iter()
                .map(|m| CostMismatch {
                    key: m.key,
                    measures: m.measures,
                })
                .collect(),
            without_output: c.without_output,
        }
    }
}

/// `GET /api/cost-per-output?year=&unit=&department=&project=`.
#[utoipa::path(get, path = "/api/cost-per-output", tag = "reports", summary = "成本预算绩效：单位产出成本及跨单位比较 / cost per output of the declarations the session may read, compared across units", params(("year" = i32, Query), ("unit" = Option<String>, Query), ("department" = Option<String>, Query), ("project" = Option<String>, Query)), responses((status = 200, description = "OK", body = CostBody), crate::openapi::Reading))]
pub async fn cost_get(
    S(state): AppState,
    a: Authed,
    Params(q): Params,
) -> Result<axum::Json<CostBody>> {
    let sel = api_selection(&q, today(state.options.time_zone))?;
    let c = state.app.cost_per_output(&a.session.actor, &sel).await?;
    Ok(axum::Json(CostBody::of(sel.year, c)))
}

/// A report's file format, from the query parameter `format` (`xlsx`, the default, or `pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Pdf,
}

impl FileFormat {
    pub fn of(q: &HashMap<String, String>) -> Result<FileFormat, AppError> {
        match q.get("format").map(|f| f.trim()) {
            None | Some("") | Some("xlsx") => Ok(FileFormat::Xlsx),
            Some("pdf") => Ok(FileFormat::Pdf),
            Some(other) => Err(AppError::invalid(Message::BadParameter {
                name: "format".into(),
                value: other.to_string(),
                expected: Expected::FileFormat,
            })),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Pdf => "pdf",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Pdf => "application/pdf",
        }
    }
}

/// The report named by a path segment (`declaration`, `summary`, `monitoring`,
/// `self-evaluation`) and the Chinese stem of its file name.
pub fn kind_of(raw: &str) -> Result<(ReportKind, &'static str), AppError> {
    match raw {
        "declaration" => Ok((ReportKind::Declaration, "申报表")),
        "summary" => Ok((ReportKind::Summary, "汇总表")),
        "monitoring" => Ok((ReportKind::Monitoring, "监控表")),
        "self-evaluation" => Ok((ReportKind::SelfEvaluation, "自评表")),
        other => Err(AppError::NotFound(Message::NoReport {
            name: other.to_string(),
        })),
    }
}

static FONTS: OnceLock<jixiao_pdf::Fonts> = OnceLock::new();

fn pdf_error(e: jixiao_pdf::PdfError) -> AppError {
    match e {
        jixiao_pdf::PdfError::Typeset(_) => AppError::internal(e),
        e => AppError::Unavailable(Message::said(e.zh(), e.en())),
    }
}

/// Typesets a report's view (on the calling thread: call it from a blocking one).
fn typeset(view: &ReportView) -> Result<Vec<u8>, AppError> {
    let fonts = match FONTS.get() {
        Some(f) => f,
        None => {
            let f = jixiao_pdf::Fonts::system().map_err(pdf_error)?;
            FONTS.get_or_init(|| f)
        }
    };
    match view {
        ReportView::Declarations(form) => jixiao_pdf::declarations_pdf(form, fonts),
        ReportView::Summary(s) => jixiao_pdf::summary_pdf(s, fonts),
        ReportView::Monitoring(items) => jixiao_pdf::monitoring_pdf(items, fonts),
        ReportView::SelfEvaluation(items) => jixiao_pdf::self_evaluation_pdf(items, fonts),
    }
    .map_err(pdf_error)
}

/// The report as a file download: its bytes with `Content-Type` and a `Content-Disposition`
/// naming it (`汇总表_2024.pdf`; an ASCII `report_2024.pdf` for old clients).
pub async fn download(
    state: &State,
    actor: &Actor,
    (kind, stem): (ReportKind, &'static str),
    sel: &ReportSelection,
    format: FileFormat,
) -> Result<Response, AppError> {
    let bytes = match format {
        FileFormat::Xlsx => {
            state
                .app
                .report(actor, kind, sel, ReportFormat::Xlsx, jixiao_model::Lang::Zh)
                .await?
        }
        FileFormat::Pdf => {
            let view = state.app.report_view(actor, kind, sel).await?;
            // Typesetting a year's summary takes seconds and up to 2 GB: it shares the bounded
            // parse pool with uploads, so two at once cannot starve the machine (busy: 503).
            state
                .options
                .parse_pool
                .run(move || typeset(&view))
                .await
                .map_err(|e| {
                    if e.status == StatusCode::SERVICE_UNAVAILABLE {
                        AppError::Unavailable(Message::ServerBusy)
                    } else {
                        AppError::internal(format!("typeset: {}", e.en))
                    }
                })??
        }
    };
    let ext = format.extension();
    let name = format!("{stem}_{}.{ext}", sel.year);
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"report_{}.{ext}\"; filename*=UTF-8''{}",
                    sel.year,
                    encode(&name)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The selection of an API request: `year` (required), `unit`, `department`, `project`,
/// `as_of` (required for the 监控表). The examples of an error are in the year asked for, or
/// today's (`today`, in the deployment's zone) when none is given; the summary's 整改 are
/// counted on `today`.
fn api_selection(
    q: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<ReportSelection, AppError> {
    let this_year = jixiao_model::Datelike::year(&today);
    let get = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let year = match get("year") {
        Some(y) => y.parse::<i32>().map_err(|_| {
            AppError::invalid(Message::BadParameter {
                name: "year".into(),
                value: y.clone(),
                expected: Expected::Year(this_year),
            })
        })?,
        None => {
            return Err(AppError::invalid(Message::MissingYear {
                example: this_year,
            }))
        }
    };
    let as_of = match get("as_of") {
        Some(d) => Some(jixiao_model::parse_date(&d).map_err(|_| {
            AppError::invalid(Message::ParameterNotADate {
                name: "as_of".into(),
                value: d.clone(),
                year,
            })
        })?),
        None => None,
    };
    Ok(ReportSelection {
        project: get("project"),
        unit: get("unit"),
        department: get("department"),
        year,
        as_of,
        today: Some(today),
    })
}
/// One unit of a department's roll-up.
struct UnitTotal {
    unit: String,
    declarations: usize,
    /// `None` when the sum does not fit.
    funds: Option<Decimal>,
    errors: u64,
    warnings: u64,
    /// 整改 of the year's declarations: not completed, and of those overdue, today (the
    /// summary's counts, as its files write them).
    rect_open: u64,
    rect_overdue: u64,
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
    /// 成本预算绩效 of the selection, when it has declarations.
    costs: Option<jixiao_app::CostReport>,
    /// One SVG chart per comparison of `costs`.
    cost_charts: Vec<String>,
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

    fn basis(&self, b: &jixiao_app::FundsBasis) -> String {
        b.note(self.f.lang)
    }

    fn pct_opt(&self, p: &Option<Decimal>) -> String {
        p.map(|p| self.f.pct(p)).unwrap_or_default()
    }

    fn rounding(&self) -> &'static str {
        self.f
            .t(jixiao_app::COST_ROUNDING_ZH, jixiao_app::COST_ROUNDING_EN)
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
                    rect_open: 0,
                    rect_overdue: 0,
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
    q: &HashMap<String, String>,
    years: &[i32],
    zone: jixiao_model::present::Zone,
) -> Result<ReportSelection> {
    let year = match opt(q, "year") {
        Some(y) => y.parse::<i32>().map_err(|_| {
            Error::from(AppError::invalid(Message::BadParameter {
                name: "year".into(),
                value: y.clone(),
                expected: Expected::Year(2024),
            }))
        })?,
        None => years
            .first()
            .copied()
            .unwrap_or_else(|| jixiao_model::Datelike::year(&today(zone))),
    };
    let as_of: Option<NaiveDate> = match opt(q, "as_of") {
        Some(d) => Some(read_date("as_of", &d, year)?),
        None => None,
    };
    Ok(ReportSelection {
        project: opt(q, "project"),
        unit: opt(q, "unit"),
        department: opt(q, "department"),
        year,
        as_of,
        today: Some(today(zone)),
    })
}

/// `GET /summary?year=&unit=&department=&as_of=`.
pub async fn summary_page(S(state): AppState, user: PageUser, Params(q): Params) -> PageResult {
    let actor = user.actor();
    let list = state.app.list(actor).await?;
    let mut years: Vec<i32> = list.iter().map(|s| s.key.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut units: Vec<String> = list.iter().map(|s| s.key.unit.clone()).collect();
    units.sort();
    units.dedup();
    let mut departments: Vec<String> = list.iter().filter_map(|s| s.department.clone()).collect();
    departments.sort();
    departments.dedup();
    let mut sel = selection(&q, &years, user.zone)?;
    sel.project = None;
    let (summary, message) = match state.app.unit_summary(actor, &sel).await {
        Ok(s) => (Some(s), None),
        Err(e @ AppError::NotFound(_)) => (None, Some(e.messages())),
        Err(e) => return Err(Error::from(e)),
    };
    let table = summary
        .as_ref()
        .map(|s| jixiao_app::views::summary_table_html(s, user.lang))
        .unwrap_or_default();
    let mut rollup = match (&summary, &sel.unit) {
        (Some(s), None) => rollup(s),
        _ => Vec::new(),
    };
    let costs = summary.as_ref().map(|s| s.costs.clone());
    let cost_charts = costs
        .iter()
        .flat_map(|c| c.comparisons.iter())
        .map(jixiao_app::views::cost_comparison_svg)
        .collect();
    // 整改 of the year's declarations, as the summary's files count them.
    if let Some(s) = &summary {
        for u in s.by_unit() {
            if let (Some(t), Some([open, overdue, _])) = (
                rollup.iter_mut().find(|t| t.unit == u.unit),
                u.totals.rectifications,
            ) {
                t.rect_open = open;
                t.rect_overdue = overdue;
            }
        }
    }
    render(&Page {
        f: user.frame("summary"),
        years,
        units,
        departments,
        sel,
        summary,
        table,
        rollup,
        message,
        costs,
        cost_charts,
    })
}

/// `GET /reports/{kind}?year=&unit=&department=&project=&as_of=&format=`: a report as XLSX
/// (the default) or PDF (`format=pdf`) — `declaration`, `summary`, `monitoring` (as of `as_of`,
/// today without it) or `self-evaluation` ([`crate::reports`]).
pub async fn download_page(
    S(state): AppState,
    user: PageUser,
    Path(kind): Path<String>,
    Params(q): Params,
) -> PageResult {
    let kind = kind_of(&kind)?;
    let format = FileFormat::of(&q)?;
    let actor = user.actor();
    let list = state.app.list(actor).await?;
    let mut years: Vec<i32> = list.iter().map(|s| s.key.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    let mut sel = selection(&q, &years, user.zone)?;
    if kind.0 == ReportKind::Monitoring && sel.as_of.is_none() {
        sel.as_of = Some(today(user.zone));
    }
    download(&state, actor, kind, &sel, format)
        .await
        .map_err(Error::from)
}
