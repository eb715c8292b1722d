//! The commands, one module per group: each holds its arguments and what it does (read the
//! input, call one use case of `jixiao-app`, print through [`crate::render`]).
//!
//! - `import`: `parse`, `import`, `export` — forms in and out
//! - `show`: `list`, `show`, `audit` — what is stored
//! - `check`: `check` — 审核 of a form, a batch of files or the database
//! - `records`: `actuals`, `spending` — 实际完成值 and 执行数
//! - `workflow`: `rename`, `submit`, `return`, `approve`, `adjust`
//! - `report`: `monitor`, `evaluate`, `report` — 监控表, 自评表 and report files
//! - `admin`: `user`
//! - `library`: `library` — 指标库: build, list or search, export, import
//! - `serve`: `serve` — the web server

use std::process::ExitCode;

use clap::Subcommand;
use jixiao_app::{Actor, App, AppError};
use jixiao_model::{present::Zone, Lang};

use crate::cli::{self, Cli};

mod admin;
mod check;
mod import;
mod library;
mod records;
mod report;
mod serve;
mod show;
mod workflow;

#[derive(Subcommand)]
pub(crate) enum Command {
    /// 读取申报表（文本、CSV 或 JSON），输出规范 JSON，不使用数据库 / read a form, print canonical JSON (no database)
    Parse(import::ParseArgs),
    /// 导入申报表（全部成功或全部不导入）/ import forms (all or nothing)
    Import(import::ImportArgs),
    /// 列出已导入的项目 / list imported projects
    List,
    /// 显示项目及其指标体系 / show a project and its indicator tree
    Show(show::ShowArgs),
    /// 导出全部当前项目 / export all current projects
    Export(import::ExportArgs),
    /// 绩效目标审核 / review targets
    Check(check::CheckArgs),
    /// 实际完成值 / actual values
    Actuals {
        #[command(subcommand)]
        command: records::ActualsCommand,
    },
    /// 支出记录 / spending records
    Spending {
        #[command(subcommand)]
        command: records::SpendingCommand,
    },
    /// 绩效运行监控 / monitoring as of a date
    Monitor(report::MonitorArgs),
    /// 项目更名（保留编号、指标与实际完成值）/ rename a project (keeps its id, indicators and actuals)
    Rename(workflow::RenameArgs),
    /// 提交审核（草稿、退回 → 已提交）/ submit a declaration for review
    Submit(workflow::SubmitArgs),
    /// 退回（须填意见）/ return a submitted declaration with a comment
    Return(workflow::ReturnArgs),
    /// 批准 / approve a submitted declaration
    Approve(workflow::ApproveArgs),
    /// 调整已批准的申报：新版本回到已提交 / adjust an approved declaration: a new version, back to submitted
    Adjust(workflow::AdjustArgs),
    /// 启动网页服务（JSON API）/ run the web server (JSON API)
    Serve(serve::ServeArgs),
    /// 用户管理 / users
    User {
        #[command(subcommand)]
        command: admin::UserCommand,
    },
    /// 操作记录：谁在何时改了什么（之前与之后）/ the audit trail of a project
    Audit(show::AuditArgs),
    /// 绩效自评（自评表）/ self-evaluation
    Evaluate(report::EvaluateArgs),
    /// 报表文件：申报表、汇总表、监控表、自评表 / report files: declarations, summary, monitoring, self-evaluation
    Report(report::ReportArgs),
    /// 指标库：生成、列出/检索、导出、导入 / the indicator library: build, list or search, export, import
    Library {
        #[command(subcommand)]
        command: library::LibraryCommand,
    },
}

/// What every command runs with: the database it names, the language and time zone it prints
/// in, and the actor it acts as (the local administrator).
pub(crate) struct Ctx {
    db: Option<String>,
    pub lang: Lang,
    pub zone: Zone,
    pub actor: Actor,
}

impl Ctx {
    /// Chinese output (else English).
    pub fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    fn db_target(&self) -> String {
        self.db
            .clone()
            .unwrap_or_else(|| cli::default_db().display().to_string())
    }

    /// Opens the database for a command that writes (creating a SQLite file when needed).
    pub async fn open(&self) -> Result<App, AppError> {
        App::open(&self.db_target()).await
    }

    /// Opens the database for a command that only reads: a missing SQLite file is an error.
    pub async fn open_read(&self) -> Result<App, AppError> {
        App::open_existing(&self.db_target()).await
    }
}

/// Runs one command; `Ok` holds the exit status of a command that ran (1: `check` found errors).
pub(crate) async fn run(cli: Cli) -> Result<ExitCode, AppError> {
    let ctx = Ctx {
        db: cli.db,
        lang: cli::output_lang(cli.lang),
        zone: cli.time_zone,
        actor: Actor::local_admin(),
    };
    match cli.command {
        Command::Parse(a) => import::parse(&ctx, a)?,
        Command::Import(a) => import::import(&ctx, a).await?,
        Command::Export(a) => import::export(&ctx, a).await?,
        Command::List => show::list(&ctx).await?,
        Command::Show(a) => show::show(&ctx, a).await?,
        Command::Audit(a) => show::audit(&ctx, a).await?,
        Command::Check(a) => return check::check(&ctx, a).await,
        Command::Actuals { command } => records::actuals(&ctx, command).await?,
        Command::Spending { command } => records::spending(&ctx, command).await?,
        Command::Rename(a) => workflow::rename(&ctx, a).await?,
        Command::Submit(a) => workflow::submit(&ctx, a).await?,
        Command::Return(a) => workflow::return_declaration(&ctx, a).await?,
        Command::Approve(a) => workflow::approve(&ctx, a).await?,
        Command::Adjust(a) => workflow::adjust(&ctx, a).await?,
        Command::Monitor(a) => report::monitor(&ctx, a).await?,
        Command::Evaluate(a) => report::evaluate(&ctx, a).await?,
        Command::Report(a) => report::report(&ctx, a).await?,
        Command::User { command } => admin::user(&ctx, command).await?,
        Command::Serve(a) => serve::serve(&ctx, a).await?,
        Command::Library { command } => library::run(&ctx.db_target(), command, ctx.lang).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The id of the one project of that name (and year) the actor may see.
async fn project_id(
    app: &App,
    actor: &Actor,
    name: &str,
    year: Option<i32>,
) -> Result<i64, AppError> {
    app.project(actor, name, year)
        .await?
        .id
        .ok_or_else(|| AppError::internal("a stored project without id"))
}

/// `--output`: the file written, or the refusal naming it.
fn write_file(path: &std::path::Path, bytes: impl AsRef<[u8]>) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| {
        AppError::invalid(jixiao_app::Message::CannotWriteFile {
            file: path.display().to_string(),
            cause: e.to_string(),
        })
    })
}
