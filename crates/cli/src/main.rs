//! `jixiao` — the command line front end. Thin: parses arguments, calls `jixiao-app` as the
//! local administrator ([`Actor::local_admin`]), prints.
//!
//! Exit status:
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | `check` found error-level findings (`check --keep-going`: in some file read) |
//! | 2 | bad input: a malformed file, an unknown or ambiguous project, a usage error; `check --keep-going`: some file could not be read (every other file is still checked) |
//! | 3 | a system failure (database, disk); the detail follows the message on stderr |
//! | 4 | forbidden: the actor's role does not allow it (the local administrator never sees it) |
//! | 5 | conflict: the data changed meanwhile; read again and retry |

mod library;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use jixiao_app::render::{self, Lang};
use jixiao_app::{Actor, ActualInput, App, AppError, ErrorKind, Upload};
use jixiao_evaluate as evaluate;
use jixiao_model::{NaiveDate, ReportPeriod};

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效：预算项目绩效目标的申报、审核、监控与自评 / performance targets of budget projects"
)]
struct Cli {
    /// 数据库：SQLite 文件路径或 postgres:// 地址 / database: a SQLite file or a postgres:// URL
    #[arg(long, global = true, env = "JIXIAO_DB", value_name = "PATH_OR_URL")]
    db: Option<String>,
    /// 输出语言 / output language
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    /// 时间显示所用时区（IANA 名称）/ the time zone times are shown in (an IANA name)
    #[arg(long, global = true, env = "JIXIAO_TIME_ZONE", default_value = "Asia/Shanghai", value_parser = read_zone)]
    time_zone: jixiao_model::present::Zone,
    #[command(subcommand)]
    command: Command,
}

/// `--time-zone`: an IANA zone name, or the message of both languages.
fn read_zone(s: &str) -> Result<jixiao_model::present::Zone, String> {
    jixiao_model::present::zone(s)
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// 读取申报表（文本、CSV 或 JSON），输出规范 JSON，不使用数据库 / read a form, print canonical JSON (no database)
    Parse {
        /// 申报表文件 / the form file
        file: PathBuf,
    },
    /// 导入申报表（全部成功或全部不导入）/ import forms (all or nothing)
    Import {
        /// 申报表文件 / form files
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 列出已导入的项目 / list imported projects
    List,
    /// 显示项目及其指标体系 / show a project and its indicator tree
    Show {
        /// 项目名称 / project name
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
        /// 显示全部历史版本 / list all versions
        #[arg(long)]
        versions: bool,
    },
    /// 导出全部当前项目 / export all current projects
    Export {
        /// 格式 / format
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// 输出文件（默认标准输出）/ output file (default stdout)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// 绩效目标审核 / review targets
    Check {
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
    },
    /// 实际完成值 / actual values
    Actuals {
        #[command(subcommand)]
        command: ActualsCommand,
    },
    /// 支出记录 / spending records
    Spending {
        #[command(subcommand)]
        command: SpendingCommand,
    },
    /// 绩效运行监控 / monitoring as of a date
    Monitor {
        /// 截至日期（2024-06-30、2024/6/30 或 2024年6月30日）/ as of
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        as_of: NaiveDate,
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
    },
    /// 项目更名（保留编号、指标与实际完成值）/ rename a project (keeps its id, indicators and actuals)
    Rename {
        /// 项目名称 / project
        project: String,
        /// 新名称 / the new name
        #[arg(long)]
        to: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
    },
    /// 提交审核（草稿、退回 → 已提交）/ submit a declaration for review
    Submit {
        /// 项目名称 / project
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
        /// 审核规则（有错误级意见时不能提交）/ review policy (error findings block a submit)
        #[arg(long, env = "JIXIAO_POLICY", default_value = "central")]
        policy: String,
    },
    /// 退回（须填意见）/ return a submitted declaration with a comment
    Return {
        /// 项目名称 / project
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
        /// 审核意见 / the comment (required)
        #[arg(long)]
        comment: String,
    },
    /// 批准 / approve a submitted declaration
    Approve {
        /// 项目名称 / project
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
        /// 审核意见 / a comment
        #[arg(long)]
        comment: Option<String>,
    },
    /// 调整已批准的申报：新版本回到已提交 / adjust an approved declaration: a new version, back to submitted
    Adjust {
        /// 项目名称 / project
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
        /// 调整原因 / the reason (required)
        #[arg(long)]
        reason: String,
        /// 调整后的申报表文件（含该项目）/ the form file with the adjusted declaration
        #[arg(long)]
        file: PathBuf,
    },
    /// 启动网页服务（JSON API）/ run the web server (JSON API)
    Serve {
        /// 监听地址 / address to listen on
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// 在空数据库中加入演示数据（组织、每个角色一个用户、样例申报表与实际值）/ fill an empty database with demo data
        #[arg(long)]
        demo: bool,
        /// 会话 Cookie 加 Secure 标记（在 TLS 之后运行时）/ mark the session cookie Secure (behind TLS)
        #[arg(long)]
        secure_cookies: bool,
        /// 同时解析上传文件的个数（其余等待，忙时答 503）/ uploads parsed at once (others wait; 503 when busy)
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
        parse_workers: u16,
    },
    /// 用户管理 / users
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// 操作记录：谁在何时改了什么（之前与之后）/ the audit trail of a project
    Audit {
        /// 项目名称 / project
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
    },
    /// 绩效自评（自评表）/ self-evaluation
    Evaluate {
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
    },
    /// 报表文件：申报表、汇总表、监控表、自评表 / report files: declarations, summary, monitoring, self-evaluation
    Report(ReportArgs),
    /// 指标库：生成、列出/检索、导出、导入 / the indicator library: build, list or search, export, import
    Library {
        #[command(subcommand)]
        command: library::LibraryCommand,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
}

#[derive(Subcommand)]
enum UserCommand {
    /// 新增用户；密码取自环境变量 JIXIAO_PASSWORD 或标准输入 / add a user; the password comes from JIXIAO_PASSWORD or standard input
    Add {
        /// 用户名 / user name
        name: String,
        /// 角色 / role
        #[arg(long, value_enum)]
        role: RoleArg,
        /// 所属单位（实施单位；未知时在 --department 下新建）/ unit (created under --department when new)
        #[arg(long)]
        unit: Option<String>,
        /// 所属部门（主管部门）/ department
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Finance,
    Reviewer,
    Editor,
    Viewer,
}

impl RoleArg {
    fn role(self) -> jixiao_model::Role {
        use jixiao_model::Role;
        match self {
            RoleArg::Admin => Role::Admin,
            RoleArg::Finance => Role::Finance,
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Editor => Role::Editor,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

#[derive(Subcommand)]
enum ActualsCommand {
    /// 录入一条实际完成值 / record one observation
    Set {
        /// 项目名称 / project
        #[arg(long)]
        project: String,
        /// 三级指标名称或编码（见 jixiao show）/ indicator name or code
        #[arg(long)]
        indicator: String,
        /// 日期（2024-06-30、2024/6/30 或 2024年6月30日）/ date
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        date: NaiveDate,
        /// 填报期间（2024-06、2024Q2、2024H1 …），须与日期相符 / reporting period, must match the date
        #[arg(long, value_parser = period_arg)]
        period: Option<ReportPeriod>,
        /// 值：数字加单位、日期，或 达成/部分达成/未达成 / value
        #[arg(long)]
        value: String,
        /// 说明 / note
        #[arg(long)]
        note: Option<String>,
        /// 佐证材料 / evidence
        #[arg(long)]
        evidence: Option<String>,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
    },
    /// 从 CSV 导入（列：project,indicator,date,value,note[,code]）/ import from CSV
    Import {
        /// CSV 文件 / CSV file
        file: PathBuf,
    },
    /// 列出一个项目的实际完成值 / list a project's observations
    List(ListArgs),
    /// 撤回一条实际完成值（保留在历史与操作记录中）/ retract an actual value (kept in history)
    Delete {
        /// 项目名称 / project
        #[arg(long)]
        project: String,
        /// 三级指标名称或编码 / indicator name or code
        #[arg(long)]
        indicator: String,
        /// 填报期间（一次性指标为日期：2024-06-30；按月、按季度：2024-06、2024Q2）/ the period
        #[arg(long, value_parser = period_arg)]
        period: ReportPeriod,
        /// 撤回原因 / why
        #[arg(long)]
        reason: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
    },
}

/// What `actuals list` and `spending list` take.
#[derive(clap::Args)]
struct ListArgs {
    /// 项目名称 / project
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 含已更正、已撤回的历史记录 / with replaced and retracted records
    #[arg(long)]
    history: bool,
}

#[derive(Subcommand)]
enum SpendingCommand {
    /// 从 CSV 或 XLSX 导入（列：project,date,amount[,voucher,note]）；重复导入不重复计数 / import (re-import changes nothing)
    Import {
        /// CSV 或 XLSX 文件 / CSV or XLSX file
        file: PathBuf,
    },
    /// 列出一个项目的支出记录 / list a project's spending
    List(ListArgs),
    /// 撤回一条支出记录（按日期与凭证号或说明；保留在历史中）/ retract a spending record
    Delete {
        /// 项目名称 / project
        #[arg(long)]
        project: String,
        /// 支付日期 / date
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        date: NaiveDate,
        /// 凭证号 / voucher
        #[arg(long)]
        voucher: Option<String>,
        /// 说明（无凭证号时用于识别）/ note (identifies the record when it has no voucher)
        #[arg(long)]
        note: Option<String>,
        /// 撤回原因 / why
        #[arg(long)]
        reason: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
    },
}

/// Writes to stdout; a closed pipe (`jixiao list | head`) ends the program quietly instead of
/// panicking as `println!` would.
fn write_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("无法写出结果 / cannot write the output: {e}");
        std::process::exit(3);
    }
}

macro_rules! out {
    ($($arg:tt)*) => { write_out(&format!($($arg)*)) };
}

macro_rules! outln {
    ($($arg:tt)*) => { write_out(&(format!($($arg)*) + "\n")) };
}

/// Dates as people write them: `2024-06-30`, `2024/6/30`, `2024年6月30日`.
fn date_arg(s: &str) -> Result<NaiveDate, String> {
    jixiao_model::parse_date(s).map_err(|_| {
        format!(
            "「{s}」不是日期，应写作 2024-06-30、2024/6/30 或 2024年6月30日 / {s:?} is not a date; write 2024-06-30, 2024/6/30 or 2024年6月30日"
        )
    })
}

/// 填报期间: `2024-06-30`, `2024-06`, `2024Q2`, `2024年第二季度`, `2024H1`, `2024` ….
fn period_arg(s: &str) -> Result<ReportPeriod, String> {
    s.parse()
        .map_err(|e: jixiao_model::PeriodError| e.to_string())
}

/// The exit status of an error (see the table at the top).
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

fn exit_status(e: &AppError) -> u8 {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::NotFound | ErrorKind::Ambiguous => 2,
        ErrorKind::Internal | ErrorKind::Unavailable => 3,
        ErrorKind::Forbidden | ErrorKind::Unauthenticated => 4,
        ErrorKind::Conflict => 5,
    }
}

/// The password of `user add`: `JIXIAO_PASSWORD`, else the first line of standard input.
fn password_input() -> Result<String, AppError> {
    if let Ok(p) = std::env::var("JIXIAO_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        AppError::invalid(
            format!("无法从标准输入读取密码：{e}"),
            format!("cannot read the password from standard input: {e}"),
        )
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `jixiao serve`: opens the database, adds the demo data when asked, serves until Ctrl-C.
async fn serve(
    db: &Option<String>,
    bind: &str,
    demo: bool,
    secure_cookies: bool,
    parse_workers: u16,
    time_zone: jixiao_model::present::Zone,
) -> Result<ExitCode, AppError> {
    let addr: std::net::SocketAddr = bind.parse().map_err(|_| {
        AppError::invalid(
            format!("监听地址「{bind}」无效，应如 127.0.0.1:8080"),
            format!("invalid address {bind:?}; write it like 127.0.0.1:8080"),
        )
    })?;
    let app = open(db).await?;
    if demo {
        let admin = std::env::var("JIXIAO_ADMIN_PASSWORD").ok();
        match jixiao_server::demo::seed(&app, admin.as_deref()).await {
            Ok(users) => {
                outln!("演示数据已加入 / demo data added. 用户 / users (密码只显示这一次 / passwords are shown once):");
                for u in users {
                    outln!(
                        "  {:<9} {:<8} {:<4} {}  {}",
                        u.username,
                        u.role.id(),
                        u.role.zh(),
                        u.password,
                        u.unit.or(u.department).unwrap_or_default()
                    );
                }
            }
            Err(e) if e.kind() == ErrorKind::Conflict => eprintln!("{e}"),
            Err(e) => return Err(e),
        }
    }
    let listener =
        tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| AppError::Unavailable {
                zh: format!("无法监听 {addr}：{e}"),
                en: format!("cannot listen on {addr}: {e}"),
            })?;
    let shown = listener.local_addr().unwrap_or(addr);
    outln!(
        "jixiao 正在运行 / serving at http://{shown}/  （API：http://{shown}/api/openapi.json；Ctrl-C 停止 / to stop）"
    );
    let options = jixiao_server::Options {
        secure_cookies,
        parse_pool: jixiao_server::ParsePool::new(
            usize::from(parse_workers),
            std::time::Duration::from_secs(2),
        ),
        time_zone,
        ..Default::default()
    };
    jixiao_server::serve(listener, app, options)
        .await
        .map_err(AppError::internal)?;
    Ok(ExitCode::SUCCESS)
}

fn default_db() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("jixiao")
        .join("jixiao.db")
}

fn main() -> ExitCode {
    let help = format!(
        "默认数据库 / default database: {}\n（用 --db 或环境变量 JIXIAO_DB 指定 / choose with --db or JIXIAO_DB）",
        default_db().display()
    );
    let matches = Cli::command().after_help(help).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let lang = match cli.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    // The server runs on all cores (a password check takes a while); commands on one thread.
    let rt = if matches!(cli.command, Command::Serve { .. }) {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    };
    let rt = match rt {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动运行时 / cannot start the runtime: {e}");
            return ExitCode::from(3);
        }
    };
    match rt.block_on(run(cli, lang)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            if let Some(detail) = e.detail() {
                eprintln!("detail: {detail}");
            }
            ExitCode::from(exit_status(&e))
        }
    }
}

fn db_target(db: &Option<String>) -> String {
    db.clone()
        .unwrap_or_else(|| default_db().display().to_string())
}

/// Opens the database for a command that writes (creating a SQLite file when needed).
async fn open(db: &Option<String>) -> Result<App, AppError> {
    App::open(&db_target(db)).await
}

/// Opens the database for a command that only reads: a missing SQLite file is an error.
async fn open_read(db: &Option<String>) -> Result<App, AppError> {
    App::open_existing(&db_target(db)).await
}

/// Prints one rendering per item, or their JSON: an object for one item, an array for several.
fn emit<T>(
    items: &[T],
    format: OutFormat,
    text: impl Fn(&T) -> String,
    json: impl Fn(&T) -> Result<String, evaluate::Error>,
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

async fn run(cli: Cli, lang: Lang) -> Result<ExitCode, AppError> {
    let zh = lang == Lang::Zh;
    let actor = Actor::local_admin();
    match cli.command {
        Command::Parse { file } => {
            let parsed = jixiao_app::parse_file(&file)?;
            for d in &parsed.diagnostics {
                eprintln!("{}", d.render_lang(&file.display().to_string(), !zh));
            }
            out!("{}", jixiao_form::json::to_string(&parsed.form));
        }
        Command::Import { files } => {
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
            let app = open(&cli.db).await?;
            if !forms.is_empty() {
                let (summary, parsed) = app.import_parsed(&actor, forms).await?;
                for (name, p) in &parsed {
                    for d in &p.diagnostics {
                        eprintln!("{}", d.render_lang(name, !zh));
                    }
                }
                out!("{}", render::import_summary(&summary, lang));
            }
            if !evals.is_empty() {
                let policy = jixiao_app::load_eval_policy(None)?;
                for (u, p) in &evals {
                    for d in &p.diagnostics {
                        eprintln!("{}", d.render_lang(&u.name, !zh));
                    }
                    if p.monitoring.is_empty() {
                        for r in app.import_self_evaluations(&actor, u, &policy).await? {
                            out!("{}", render::self_eval_import(&r, lang));
                        }
                    } else {
                        for r in app.import_monitoring(&actor, u, &policy).await? {
                            out!("{}", render::monitoring_import(&r, lang));
                        }
                    }
                }
            }
        }
        Command::List => {
            let app = open_read(&cli.db).await?;
            out!("{}", render::list(&app.list(&actor).await?, lang));
        }
        Command::Show {
            project,
            year,
            versions,
        } => {
            let app = open_read(&cli.db).await?;
            let p = app.project(&actor, &project, year).await?;
            out!("{}", render::project(&p, lang));
            if versions {
                outln!("{}", if zh { "\n版本：" } else { "\nversions:" });
                out!(
                    "{}",
                    render::versions(&app.versions(&actor, &p).await?, cli.time_zone, lang)
                );
            }
        }
        Command::Export {
            format: ExportFormat::Json,
            output,
        } => {
            let app = open_read(&cli.db).await?;
            let json = jixiao_form::json::to_string(&app.export(&actor).await?);
            match output {
                Some(path) => std::fs::write(&path, json).map_err(|e| {
                    AppError::invalid(
                        format!("{}：无法写入文件（{e}）", path.display()),
                        format!("{}: cannot write the file ({e})", path.display()),
                    )
                })?,
                None => out!("{json}"),
            }
        }
        Command::Check {
            files,
            all,
            keep_going,
            policy,
            format,
        } => {
            let policy = jixiao_app::load_review_policy(&policy)?;
            if keep_going {
                if files.is_empty() {
                    return Err(AppError::invalid(
                        "--keep-going 需要至少一个文件或目录",
                        "--keep-going needs at least one file or directory",
                    ));
                }
                let batch = jixiao_app::batch::check_paths(&files, &policy);
                match format {
                    OutFormat::Json => out!("{}", render::batch_json(&batch)),
                    OutFormat::Text => out!("{}", render::batch(&batch, lang)),
                }
                return Ok(ExitCode::from(batch.exit_status()));
            }
            if files.len() > 1 {
                return Err(AppError::invalid(
                    "只能审核一个文件；要批量审核多个文件或目录，请加 --keep-going",
                    "check takes one file; add --keep-going to check several files or directories",
                ));
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
                (None, true) => open_read(&cli.db).await?.check_all(&actor, &policy).await?,
                (None, false) => {
                    return Err(AppError::invalid(
                        "请给出申报表文件，或用 --all 审核数据库中的全部项目",
                        "give a form file, or --all to review every project in the database",
                    ))
                }
            };
            match format {
                OutFormat::Json => out!("{}", render::check_json(&report, &reader)),
                OutFormat::Text => out!("{}", report.to_text(lang)),
            }
            if report.has_errors() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Actuals { command } => {
            let policy = evaluate::Policy::builtin();
            let said = |s: &jixiao_app::RecordSummary, zh_verb: &str, en_verb: &str| {
                outln!(
                    "{}",
                    render::recorded("实际完成值", "actual values", zh_verb, en_verb, s, lang)
                );
            };
            match command {
                ActualsCommand::Set {
                    project,
                    indicator,
                    date,
                    period,
                    value,
                    note,
                    evidence,
                    year,
                } => {
                    let app = open(&cli.db).await?;
                    let input = ActualInput {
                        project,
                        year,
                        indicator,
                        date,
                        period,
                        value,
                        note,
                        evidence,
                    };
                    let p = app.project(&actor, &input.project, input.year).await?;
                    let r = app.record_actual_in(&actor, &p, &input, &policy).await?;
                    said(&r.summary, "录入", "recorded");
                    if let Some((period, date)) = r.as_of {
                        outln!("{}", jixiao_app::as_of_text(period, date, lang));
                    }
                }
                ActualsCommand::Import { file } => {
                    let upload = Upload::read(&file)?;
                    let app = open(&cli.db).await?;
                    let s = app.record_actuals(&actor, &upload, &policy).await?;
                    said(&s, "导入", "imported");
                }
                ActualsCommand::List(ListArgs {
                    project,
                    year,
                    history,
                }) => {
                    let app = open_read(&cli.db).await?;
                    let p = app.project(&actor, &project, year).await?;
                    if history {
                        out!(
                            "{}",
                            render::history(
                                &app.observation_history(&actor, &p).await?,
                                Some(&p),
                                cli.time_zone,
                                lang
                            )
                        );
                    } else {
                        out!(
                            "{}",
                            render::actuals(&p, &app.observations(&actor, &p).await?, lang)
                        );
                    }
                }
                ActualsCommand::Delete {
                    project,
                    indicator,
                    period,
                    reason,
                    year,
                } => {
                    let app = open(&cli.db).await?;
                    let p = app.project(&actor, &project, year).await?;
                    app.retract_actual(&actor, &p, &indicator, period, &reason)
                        .await?;
                    outln!(
                        "{}",
                        if zh {
                            format!(
                                "已撤回 {indicator} 在 {} 的实际完成值（原因：{reason}）",
                                period.zh()
                            )
                        } else {
                            format!("retracted the actual value of {indicator} for {period} (reason: {reason})")
                        }
                    );
                }
            }
        }
        Command::Spending { command } => match command {
            SpendingCommand::Import { file } => {
                let upload = Upload::read(&file)?;
                let app = open(&cli.db).await?;
                let s = app.record_spending(&actor, &upload).await?;
                outln!(
                    "{}",
                    render::recorded("支出记录", "spending records", "导入", "imported", &s, lang)
                );
            }
            SpendingCommand::List(ListArgs {
                project,
                year,
                history,
            }) => {
                let app = open_read(&cli.db).await?;
                let p = app.project(&actor, &project, year).await?;
                if history {
                    out!(
                        "{}",
                        render::history(
                            &app.spending_history(&actor, &p).await?,
                            None,
                            cli.time_zone,
                            lang,
                        )
                    );
                } else {
                    out!(
                        "{}",
                        render::spending(&app.spending(&actor, &p).await?, lang)
                    );
                }
            }
            SpendingCommand::Delete {
                project,
                date,
                voucher,
                note,
                reason,
                year,
            } => {
                let app = open(&cli.db).await?;
                let p = app.project(&actor, &project, year).await?;
                let old = app
                    .retract_spending(
                        &actor,
                        &p,
                        date,
                        voucher.as_deref(),
                        note.as_deref(),
                        &reason,
                    )
                    .await?;
                outln!(
                    "{}",
                    if zh {
                        format!(
                            "已撤回 {} 的支出 {}（原因：{reason}）",
                            render::date(old.date, lang),
                            jixiao_model::present::money(old.amount, lang)
                        )
                    } else {
                        format!(
                            "retracted the spending of {} on {} (reason: {reason})",
                            jixiao_model::present::money(old.amount, lang),
                            old.date
                        )
                    }
                );
            }
        },
        Command::Rename { project, to, year } => {
            let app = open(&cli.db).await?;
            let p = app.project(&actor, &project, year).await?;
            let change = app.rename(&actor, &p, &to).await?;
            out!("{}", render::change(&change, lang));
        }
        Command::Submit {
            project,
            year,
            policy,
        } => {
            let policy = jixiao_app::load_review_policy(&policy)?;
            let app = open(&cli.db).await?;
            let id = project_id(&app, &actor, &project, year).await?;
            let t = app.submit(&actor, id, &policy).await?;
            out!("{}", render::transition(&project, &t, lang));
        }
        Command::Return {
            project,
            year,
            comment,
        } => {
            let app = open(&cli.db).await?;
            let id = project_id(&app, &actor, &project, year).await?;
            let policy = jixiao_app::builtin_review_policy("central")?;
            let t = app
                .return_declaration(&actor, id, &comment, &policy)
                .await?;
            out!("{}", render::transition(&project, &t, lang));
        }
        Command::Approve {
            project,
            year,
            comment,
        } => {
            let app = open(&cli.db).await?;
            let id = project_id(&app, &actor, &project, year).await?;
            let policy = jixiao_app::builtin_review_policy("central")?;
            let t = app.approve(&actor, id, comment.as_deref(), &policy).await?;
            out!("{}", render::transition(&project, &t, lang));
        }
        Command::Adjust {
            project,
            year,
            reason,
            file,
        } => {
            let parsed = jixiao_app::parse_file(&file)?;
            let app = open(&cli.db).await?;
            let current = app.project(&actor, &project, year).await?;
            let id = current
                .id
                .ok_or_else(|| AppError::internal("a stored project without id"))?;
            let new = jixiao_app::workflow::pick_project(&parsed.form, &current)?;
            let base = app.workflow(&actor, id).await?.current_version;
            let r = app.adjust(&actor, id, base, new, &reason).await?;
            out!("{}", render::saved(&r, lang));
        }
        Command::Serve {
            bind,
            demo,
            secure_cookies,
            parse_workers,
        } => {
            return serve(
                &cli.db,
                &bind,
                demo,
                secure_cookies,
                parse_workers,
                cli.time_zone,
            )
            .await
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    unit,
                    department,
                },
        } => {
            let password = password_input()?;
            let app = open(&cli.db).await?;
            let account = jixiao_app::NewAccount {
                username: name,
                role: role.role(),
                unit,
                department,
            };
            let user = app.add_user(&actor, &account, &password).await?;
            outln!(
                "{}",
                if zh {
                    format!("已新增用户 {}（{}）", user.name, user.role.zh())
                } else {
                    format!("added user {} ({})", user.name, user.role.id())
                }
            );
        }
        Command::Library { command } => library::run(&db_target(&cli.db), command, lang).await?,
        Command::Audit { project, year } => {
            let app = open_read(&cli.db).await?;
            let p = app.project(&actor, &project, year).await?;
            out!(
                "{}",
                render::audit(&app.audit(&actor, &p).await?, cli.time_zone, lang)
            );
        }
        Command::Monitor {
            as_of,
            project,
            year,
            policy,
            format,
        } => {
            let policy = jixiao_app::load_eval_policy(policy.as_deref())?;
            let app = open_read(&cli.db).await?;
            let tables = app
                .monitor_all(&actor, project.as_deref(), year, as_of, &policy)
                .await?;
            emit(
                &tables,
                format,
                |m| evaluate::render_monitoring(m, lang),
                evaluate::monitoring_json,
            )?;
        }
        Command::Evaluate {
            year,
            project,
            policy,
            format,
        } => {
            let policy = jixiao_app::load_eval_policy(policy.as_deref())?;
            let app = open_read(&cli.db).await?;
            let tables = app
                .evaluate_all(&actor, project.as_deref(), year, &policy)
                .await?;
            emit(
                &tables,
                format,
                |e| evaluate::render_evaluation(e, lang),
                evaluate::evaluation_json,
            )?;
        }
        Command::Report(args) => report_command(&cli.db, &actor, args, lang).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `jixiao report`: which report, of which declarations, in which format, to which file.
#[derive(clap::Args)]
struct ReportArgs {
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
    as_of: Option<NaiveDate>,
    /// 文件格式 / file format
    #[arg(long, value_enum)]
    format: ReportFormatArg,
    /// 输出文件 / output file
    #[arg(long, short)]
    output: PathBuf,
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
}

/// A PDF that cannot be made: a missing font is the machine's (exit 3, naming the package);
/// a typesetting failure is internal.
fn pdf_error(e: jixiao_pdf::PdfError) -> AppError {
    match e {
        jixiao_pdf::PdfError::Typeset(_) => AppError::internal(e),
        e => AppError::Unavailable {
            zh: e.zh(),
            en: e.en(),
        },
    }
}

async fn report_command(
    db: &Option<String>,
    actor: &Actor,
    args: ReportArgs,
    lang: jixiao_model::Lang,
) -> Result<(), AppError> {
    use jixiao_app::{ReportFormat, ReportKind, ReportSelection};
    let kind = match args.kind {
        ReportKindArg::Declaration => ReportKind::Declaration,
        ReportKindArg::Summary => ReportKind::Summary,
        ReportKindArg::Monitoring => ReportKind::Monitoring,
        ReportKindArg::SelfEval => ReportKind::SelfEvaluation,
    };
    let format = match args.format {
        ReportFormatArg::Xlsx => ReportFormat::Xlsx,
        ReportFormatArg::Pdf => ReportFormat::Pdf,
        ReportFormatArg::Html => ReportFormat::Html,
    };
    jixiao_app::report_format_available(kind, format)?;
    let review_policy = jixiao_app::load_review_policy(&args.policy)?;
    let eval_policy = jixiao_app::load_eval_policy(args.eval_policy.as_deref())?;
    let sel = ReportSelection {
        project: args.project,
        unit: args.unit,
        department: args.department,
        year: args.year,
        as_of: args.as_of,
    };
    // PDF: the fonts first (a missing font is said before the database is opened); the app
    // gives the report's view and jixiao-pdf typesets it (typst is linked here only).
    let fonts = match format {
        ReportFormat::Pdf => Some(jixiao_pdf::Fonts::system().map_err(pdf_error)?),
        _ => None,
    };
    let app = open_read(db).await?;
    let bytes = match fonts {
        Some(fonts) => {
            use jixiao_app::ReportView;
            let view = app
                .report_view(actor, kind, &sel, &review_policy, &eval_policy)
                .await?;
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
        None => {
            app.report(
                actor,
                kind,
                &sel,
                format,
                lang,
                &review_policy,
                &eval_policy,
            )
            .await?
        }
    };
    std::fs::write(&args.output, bytes).map_err(|e| {
        AppError::invalid(
            format!("{}：无法写入文件（{e}）", args.output.display()),
            format!("{}: cannot write the file ({e})", args.output.display()),
        )
    })?;
    Ok(())
}
