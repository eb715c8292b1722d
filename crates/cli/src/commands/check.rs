//! `jixiao check`: 审核 of one form (not imported), of a batch of files and directories
//! (`--keep-going`: an unreadable file never stops it) or of every project in the database.

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao_app::{AppError, Message, Upload};

use super::Ctx;
use crate::cli::OutFormat;
use crate::render;

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// 申报表文件（不导入）；用 --keep-going 时可给多个文件或目录 / a form file (not
    /// imported); with --keep-going, several files or directories
    #[arg(value_name = "PATH")]
    files: Vec<PathBuf>,
    /// 审核数据库中全部项目 / review every project in the database
    #[arg(long, conflicts_with = "files")]
    all: bool,
    /// 批量审核：逐个审核所有文件（目录递归），读不了的文件不中断 / batch: review every file
    /// (directories walked), an unreadable file never stops the batch
    #[arg(long, conflicts_with = "all")]
    keep_going: bool,
    /// 审核规则：central、shanghai 或 TOML 文件 / policy: central, shanghai or a TOML file
    #[arg(long, env = "JIXIAO_POLICY", default_value = "central")]
    policy: String,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
}

/// `jixiao check`: exit status 1 when the review found error-level findings.
pub(crate) async fn check(ctx: &Ctx, a: CheckArgs) -> Result<ExitCode, AppError> {
    let CheckArgs {
        files,
        all,
        keep_going,
        policy,
        format,
    } = a;
    let (zh, lang) = (ctx.zh(), ctx.lang);
    let policy = jixiao_app::load_review_policy(&policy)?;
    if keep_going {
        if files.is_empty() {
            return Err(AppError::invalid(Message::KeepGoingNeedsFiles));
        }
        let batch = jixiao_app::batch::check_paths(&files, &policy);
        match format {
            OutFormat::Json => out!("{}", render::batch_json(&batch)),
            OutFormat::Text => out!("{}", render::batch(&batch, lang)),
        }
        return Ok(ExitCode::from(batch.exit_status()));
    }
    if files.len() > 1 {
        return Err(AppError::invalid(Message::CheckTakesOneFile));
    }
    // What the reader said (numbers read with a note, text dropped), as import says it.
    let mut reader = Vec::new();
    let report = match (files.into_iter().next(), all) {
        (Some(f), _) => {
            let (parsed, report) = jixiao_app::check_form(&Upload::read(&f)?, &policy)?;
            if format == OutFormat::Text {
                for d in &parsed.diagnostics {
                    eprintln!("{}", d.render_lang(&f.display().to_string(), !zh));
                }
            }
            reader = parsed.diagnostics;
            report
        }
        (None, true) => {
            ctx.open_read()
                .await?
                .with_review_policy(policy)
                .check_all(&ctx.actor)
                .await?
        }
        (None, false) => return Err(AppError::invalid(Message::CheckNeedsInput)),
    };
    match format {
        OutFormat::Json => out!("{}", render::check_json(&report, &reader)),
        OutFormat::Text => out!("{}", report.to_text(lang)),
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
