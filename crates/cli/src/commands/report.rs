//! The tables of a year: `monitor` (监控表 as of a date), `evaluate` (自评表) — as text or
//! JSON — and `report` (申报表, 汇总表, 监控表, 自评表 as XLSX, PDF or HTML files).

use std::fmt::Display;
use std::path::PathBuf;

use clap::ValueEnum;
use jixiao_app::AppError;

use super::{write_file, Ctx};
use crate::cli::{date_arg, this_year, DateArg, OutFormat};

#[derive(clap::Args)]
pub(crate) struct MonitorArgs {
    /// 截至日期（2024-06-30、2024/6/30 或 2024年6月30日）/ as of
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: DateArg,
    /// 只看一个项目 / one project only
    #[arg(long)]
    project: Option<String>,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 监控与评分规则 TOML 文件 / policy TOML file
    #[arg(long)]
    policy: Option<PathBuf>,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
}

#[derive(clap::Args)]
pub(crate) struct EvaluateArgs {
    /// 年度 / year
    #[arg(long)]
    year: i32,
    /// 只评一个项目 / one project only
    #[arg(long)]
    project: Option<String>,
    /// 评分规则 TOML 文件 / policy TOML file
    #[arg(long)]
    policy: Option<PathBuf>,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
}

/// `jixiao report`: which report, of which declarations, in which format, to which file.
#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// 报表：declaration 申报表、summary 汇总表、monitoring 监控表、self-eval 自评表 / the report
    #[arg(value_enum)]
    kind: ReportKindArg,
    /// 只含一个项目 / one project only
    #[arg(long)]
    project: Option<String>,
    /// 只含一个实施单位 / one unit only
    #[arg(long)]
    unit: Option<String>,
    /// 只含一个主管部门 / one department only
    #[arg(long)]
    department: Option<String>,
    /// 年度 / year
    #[arg(long)]
    year: i32,
    /// 截至日期（监控表必填；汇总表据此显示预警）/ as of (monitoring; the summary's lights)
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    as_of: Option<DateArg>,
    /// 文件格式（text：汇总表及单位产出成本，输出到屏幕）/ file format (text: the summary and
    /// the cost per output, printed)
    #[arg(long, value_enum)]
    format: ReportFormatArg,
    /// 输出文件（text 格式可省略）/ output file (optional for text)
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// 审核规则（汇总表的审核等级）：central、shanghai 或 TOML 文件 / review policy (the summary's grades)
    #[arg(long, env = "JIXIAO_POLICY", default_value = "central")]
    policy: String,
    /// 监控与评分规则 TOML 文件 / monitoring and scoring policy TOML file
    #[arg(long)]
    eval_policy: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportKindArg {
    Declaration,
    Summary,
    Monitoring,
    SelfEval,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Xlsx,
    Pdf,
    Html,
    Text,
}

/// Prints one rendering per item, or their JSON: an object for one item, an array for several.
fn emit<T, E: Display>(
    items: &[T],
    format: OutFormat,
    text: impl Fn(&T) -> String,
    json: impl Fn(&T) -> Result<String, E>,
) -> Result<(), AppError> {
    match format {
        OutFormat::Text => items.iter().for_each(|i| outln!("{}", text(i))),
        OutFormat::Json => {
            let docs = items
                .iter()
                .map(|i| json(i).map(|s| s.trim_end().to_string()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(AppError::internal)?;
            match docs.as_slice() {
                [one] => outln!("{one}"),
                many => outln!("[{}]", many.join(",\n")),
            }
        }
    }
    Ok(())
}

/// `jixiao monitor`: the 监控表 of each project as of the date.
pub(crate) async fn monitor(ctx: &Ctx, a: MonitorArgs) -> Result<(), AppError> {
    let policy = jixiao_app::load_eval_policy(a.policy.as_deref())?;
    let app = ctx.open_read().await?.with_eval_policy(policy);
    // The example of a date that does not read: `--year`, else the project's.
    let hint = match (a.year, a.project.as_deref()) {
        (Some(y), _) => Some(y),
        (None, Some(name)) if a.as_of.read(0).is_err() => app
            .project(&ctx.actor, name, None)
            .await
            .ok()
            .map(|p| p.year),
        _ => None,
    };
    let as_of = a.as_of.read(hint.unwrap_or_else(|| this_year(ctx.zone)))?;
    let tables = app
        .monitor_all(&ctx.actor, a.project.as_deref(), a.year, as_of)
        .await?;
    emit(
        &tables,
        a.format,
        |m| jixiao_app::render_monitoring(m, ctx.lang),
        jixiao_app::monitoring_json,
    )
}

/// `jixiao evaluate`: the 自评表 of each project of the year.
pub(crate) async fn evaluate(ctx: &Ctx, a: EvaluateArgs) -> Result<(), AppError> {
    let policy = jixiao_app::load_eval_policy(a.policy.as_deref())?;
    let app = ctx.open_read().await?.with_eval_policy(policy);
    let tables = app
        .evaluate_all(&ctx.actor, a.project.as_deref(), a.year)
        .await?;
    emit(
        &tables,
        a.format,
        |e| jixiao_app::render_evaluation(e, ctx.lang),
        jixiao_app::evaluation_json,
    )
}

/// A PDF that cannot be made: a missing font is the machine's (exit 3, naming the package);
/// a typesetting failure is internal.
fn pdf_error(e: jixiao_pdf::PdfError) -> AppError {
    match e {
        jixiao_pdf::PdfError::Typeset(_) => AppError::internal(e),
        e => AppError::Unavailable(jixiao_app::Message::said(e.zh(), e.en())),
    }
}

/// `jixiao report`.
pub(crate) async fn report(ctx: &Ctx, args: ReportArgs) -> Result<(), AppError> {
    use jixiao_app::{ReportFormat, ReportKind, ReportSelection};
    let actor = &ctx.actor;
    let kind = match args.kind {
        ReportKindArg::Declaration => ReportKind::Declaration,
        ReportKindArg::Summary => ReportKind::Summary,
        ReportKindArg::Monitoring => ReportKind::Monitoring,
        ReportKindArg::SelfEval => ReportKind::SelfEvaluation,
    };
    let policies = jixiao_app::Policies {
        review: jixiao_app::load_review_policy(&args.policy)?,
        eval: jixiao_app::load_eval_policy(args.eval_policy.as_deref())?,
    };
    let sel = ReportSelection {
        project: args.project,
        unit: args.unit,
        department: args.department,
        year: args.year,
        as_of: args.as_of.as_ref().map(|d| d.read(args.year)).transpose()?,
        today: Some(jixiao_model::present::today(ctx.zone)),
    };
    let format = match args.format {
        ReportFormatArg::Xlsx => ReportFormat::Xlsx,
        ReportFormatArg::Pdf => ReportFormat::Pdf,
        ReportFormatArg::Html => ReportFormat::Html,
        ReportFormatArg::Text => return summary_text(ctx, kind, &sel, args.output, policies).await,
    };
    jixiao_app::report_format_available(kind, format)?;
    let Some(output) = args.output else {
        return Err(AppError::invalid(jixiao_app::Message::OutputNeeded));
    };
    // PDF: the fonts first (a missing font is said before the database is opened); the app
    // gives the report's view and jixiao-pdf typesets it (typst is linked here only).
    let fonts = match format {
        ReportFormat::Pdf => Some(jixiao_pdf::Fonts::system().map_err(pdf_error)?),
        _ => None,
    };
    let app = ctx.open_read().await?.with_policies(policies);
    let bytes = match fonts {
        Some(fonts) => {
            use jixiao_app::ReportView;
            let view = app.report_view(actor, kind, &sel).await?;
            match view {
                ReportView::Declarations(form) => jixiao_pdf::declarations_pdf(&form, &fonts),
                ReportView::Summary(s) => jixiao_pdf::summary_pdf(&s, &fonts),
                ReportView::Monitoring(items) => jixiao_pdf::monitoring_pdf(&items, &fonts),
                ReportView::SelfEvaluation(items) => {
                    jixiao_pdf::self_evaluation_pdf(&items, &fonts)
                }
            }
            .map_err(pdf_error)?
        }
        None => app.report(actor, kind, &sel, format, ctx.lang).await?,
    };
    write_file(&output, bytes)
}

/// `jixiao report summary --format text`: the summary and its cost per output, printed (or
/// written to `--output`).
async fn summary_text(
    ctx: &Ctx,
    kind: jixiao_app::ReportKind,
    sel: &jixiao_app::ReportSelection,
    output: Option<PathBuf>,
    policies: jixiao_app::Policies,
) -> Result<(), AppError> {
    if kind != jixiao_app::ReportKind::Summary {
        return Err(AppError::invalid(jixiao_app::Message::TextSummaryOnly));
    }
    let app = ctx.open_read().await?.with_policies(policies);
    let s = app.unit_summary(&ctx.actor, sel).await?;
    let text = crate::render::summary(&s, &s.costs, ctx.lang);
    match output {
        Some(path) => write_file(&path, text.into_bytes()),
        None => {
            out!("{text}");
            Ok(())
        }
    }
}
