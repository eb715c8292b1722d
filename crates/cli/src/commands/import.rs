//! Forms in and out: `parse` (read a form, print its canonical JSON, no database), `import`
//! (declarations all or nothing; a 自评表 or 监控表 with its values) and `export`.

use std::path::PathBuf;

use clap::ValueEnum;
use jixiao_app::{AppError, Upload};

use super::{write_file, Ctx};
use crate::render;

#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    /// 申报表文件 / the form file
    file: PathBuf,
}

#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// 申报表文件 / form files
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// 格式 / format
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    format: ExportFormat,
    /// 输出文件（默认标准输出）/ output file (default stdout)
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
}

/// `jixiao parse`: the reader's diagnostics on stderr, the form's JSON on stdout.
pub(crate) fn parse(ctx: &Ctx, ParseArgs { file }: ParseArgs) -> Result<(), AppError> {
    let parsed = jixiao_app::parse_file(&file)?;
    for d in &parsed.diagnostics {
        eprintln!("{}", d.render_lang(&file.display().to_string(), !ctx.zh()));
    }
    out!("{}", jixiao_app::form_json(&parsed.form));
    Ok(())
}

/// `jixiao import`.
pub(crate) async fn import(ctx: &Ctx, ImportArgs { files }: ImportArgs) -> Result<(), AppError> {
    let (zh, lang, actor) = (ctx.zh(), ctx.lang, &ctx.actor);
    let uploads = files
        .iter()
        .map(|f| Upload::read(f))
        .collect::<Result<Vec<_>, _>>()?;
    // A 项目支出绩效自评表 (told by content) is imported with its actuals and its
    // scores compared; declarations are imported together, all or nothing.
    // Each file is read once (a big form takes a while to read).
    let mut evals = Vec::new();
    let mut forms = Vec::new();
    for u in uploads {
        let p = jixiao_app::parse_form(&u)?;
        if p.self_evaluations.is_empty() && p.monitoring.is_empty() {
            forms.push((u.name, p));
        } else {
            evals.push((u, p));
        }
    }
    let app = ctx.open().await?;
    if !forms.is_empty() {
        let (summary, parsed) = app.import_parsed(actor, forms).await?;
        for (name, p) in &parsed {
            for d in &p.diagnostics {
                eprintln!("{}", d.render_lang(name, !zh));
            }
        }
        out!("{}", render::import_summary(&summary, lang));
    }
    if !evals.is_empty() {
        for (u, p) in &evals {
            for d in &p.diagnostics {
                eprintln!("{}", d.render_lang(&u.name, !zh));
            }
            if p.monitoring.is_empty() {
                for r in app.import_self_evaluations(actor, u).await? {
                    out!("{}", render::self_eval_import(&r, lang));
                }
            } else {
                for r in app.import_monitoring(actor, u).await? {
                    out!("{}", render::monitoring_import(&r, lang));
                }
            }
        }
    }
    Ok(())
}

/// `jixiao export`: every current project as the form's JSON.
pub(crate) async fn export(ctx: &Ctx, a: ExportArgs) -> Result<(), AppError> {
    let ExportFormat::Json = a.format;
    let app = ctx.open_read().await?;
    let json = jixiao_app::form_json(&app.export(&ctx.actor).await?);
    match a.output {
        Some(path) => write_file(&path, json)?,
        None => out!("{json}"),
    }
    Ok(())
}
