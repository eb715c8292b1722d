//! 报表文件 — the year's reports as files, for the pages' downloads (`GET /reports/{kind}`) and
//! the API (`GET /api/reports/{kind}`): XLSX written by `jixiao_app::App::report`, PDF typeset by
//! `jixiao_pdf` from `App::report_view` (the server, like the CLI, is a front end and a leaf, so
//! it may link typst; `app` does not). What a report holds is what `app` lets the actor read.
//!
//! The Chinese fonts are read once, on the first PDF asked for, and kept; a machine without
//! them answers 503 naming the package (`fonts-noto-cjk`). Typesetting runs on a blocking
//! thread.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use jixiao_app::{Actor, AppError, ReportFormat, ReportKind, ReportSelection, ReportView};

use crate::pages::encode;
use crate::State;

/// A report's file format, from the query parameter `format` (`xlsx`, the default, or `pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileFormat {
    Xlsx,
    Pdf,
}

impl FileFormat {
    pub(crate) fn of(q: &HashMap<String, String>) -> Result<FileFormat, AppError> {
        match q.get("format").map(|f| f.trim()) {
            None | Some("") | Some("xlsx") => Ok(FileFormat::Xlsx),
            Some("pdf") => Ok(FileFormat::Pdf),
            Some(other) => Err(AppError::invalid(
                format!("参数 format=「{other}」无效：可选 xlsx、pdf"),
                format!("invalid format={other:?}: xlsx or pdf"),
            )),
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
pub(crate) fn kind_of(raw: &str) -> Result<(ReportKind, &'static str), AppError> {
    match raw {
        "declaration" => Ok((ReportKind::Declaration, "申报表")),
        "summary" => Ok((ReportKind::Summary, "汇总表")),
        "monitoring" => Ok((ReportKind::Monitoring, "监控表")),
        "self-evaluation" => Ok((ReportKind::SelfEvaluation, "自评表")),
        other => Err(AppError::NotFound {
            zh: format!(
                "没有报表「{other}」：可选 declaration、summary、monitoring、self-evaluation"
            ),
            en: format!("no report {other:?}: declaration, summary, monitoring or self-evaluation"),
        }),
    }
}

static FONTS: OnceLock<jixiao_pdf::Fonts> = OnceLock::new();

fn pdf_error(e: jixiao_pdf::PdfError) -> AppError {
    match e {
        jixiao_pdf::PdfError::Typeset(_) => AppError::internal(e),
        e => AppError::Unavailable {
            zh: e.zh(),
            en: e.en(),
        },
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
pub(crate) async fn download(
    state: &State,
    actor: &Actor,
    (kind, stem): (ReportKind, &'static str),
    sel: &ReportSelection,
    format: FileFormat,
) -> Result<Response, AppError> {
    let (review_policy, eval_policy) = (&state.options.review_policy, &state.options.eval_policy);
    let bytes = match format {
        FileFormat::Xlsx => {
            state
                .app
                .report(
                    actor,
                    kind,
                    sel,
                    ReportFormat::Xlsx,
                    jixiao_model::Lang::Zh,
                    review_policy,
                    eval_policy,
                )
                .await?
        }
        FileFormat::Pdf => {
            let view = state
                .app
                .report_view(actor, kind, sel, review_policy, eval_policy)
                .await?;
            // Typesetting a year's summary takes seconds and up to 2 GB: it shares the bounded
            // parse pool with uploads, so two at once cannot starve the machine (busy: 503).
            state
                .options
                .parse_pool
                .run(move || typeset(&view))
                .await
                .map_err(|e| {
                    if e.status == StatusCode::SERVICE_UNAVAILABLE {
                        AppError::Unavailable {
                            zh: "服务器正忙于生成其他文件或处理上传；请稍后重试".into(),
                            en: "the server is busy typesetting other files or reading uploads; retry shortly".into(),
                        }
                    } else {
                        AppError::internal(format!("typeset: {}", e.message_en))
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
pub(crate) fn selection(
    q: &HashMap<String, String>,
    this_year: i32,
) -> Result<ReportSelection, AppError> {
    let get = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let year = match get("year") {
        Some(y) => y.parse::<i32>().map_err(|_| {
            AppError::invalid(
                format!("参数 year=「{y}」无效：应为年份，如 {this_year}"),
                format!("invalid year={y:?}: give a year such as {this_year}"),
            )
        })?,
        None => {
            return Err(AppError::invalid(
                format!("缺少参数 year（年度，如 {this_year}）"),
                format!("the query parameter year (such as {this_year}) is missing"),
            ))
        }
    };
    let as_of = match get("as_of") {
        Some(d) => Some(jixiao_model::parse_date(&d).map_err(|_| {
            AppError::invalid(
                format!("as_of=「{d}」不是日期，应写作 {year}-06-30"),
                format!("as_of={d:?} is not a date; write {year}-06-30"),
            )
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
