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
    let this_year = jixiao_model::Datelike::year(&today(state.options.time_zone));
    let sel = api_selection(&q, this_year)?;
    Ok(download(&state, &a.session.actor, kind, &sel, format).await?)
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
/// `this_year` (today's, in the deployment's zone) when none is given.
fn api_selection(q: &HashMap<String, String>, this_year: i32) -> Result<ReportSelection, AppError> {
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
    let rollup = match (&summary, &sel.unit) {
        (Some(s), None) => rollup(s),
        _ => Vec::new(),
    };
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
