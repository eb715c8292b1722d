//! `jixiao rectify list|open|update` — 整改 from the command line, as the local administrator:
//! list rectifications (by status on today in `--time-zone`, by unit, by project), open one on a
//! finding of a declaration, change one (measure, evidence, status, deadline).

use clap::{Subcommand, ValueEnum};
use jixiao_app::{OpenRectification, RectificationFilter, RectificationItem, RectificationUpdate};
use jixiao_model::{present, Datelike, FindingSource, Lang, Progress, RectificationStatus};

use super::{project_id, Ctx};
use crate::cli;

/// 整改的子命令 / the subcommands of rectification.
#[derive(Subcommand)]
pub enum RectifyCommand {
    /// 列出整改事项 / list rectifications
    List {
        /// 状态：open、in_progress、done、overdue（或 待整改、整改中、已完成、逾期）/ status
        #[arg(long)]
        status: Option<String>,
        /// 实施单位 / unit
        #[arg(long)]
        unit: Option<String>,
        /// 项目名称 / project
        #[arg(long)]
        project: Option<String>,
        /// 年度 / year (with --project)
        #[arg(long)]
        year: Option<i32>,
    },
    /// 据一条意见建立整改事项 / open a rectification on a finding
    Open {
        /// 项目名称 / project
        project: String,
        /// 年度 / year
        #[arg(long)]
        year: Option<i32>,
        /// 来源 / where the finding comes from
        #[arg(long, value_enum, default_value_t = Source::Review)]
        source: Source,
        /// 审核规则编号；监控为 red 或 yellow；自评为问题类别 / the review rule id; red or yellow; the flag kind
        #[arg(long)]
        rule: String,
        /// 指标编码（如 1.1.2）/ the indicator's code
        #[arg(long)]
        code: Option<String>,
        /// 整改期限（2026-06-30）/ deadline
        #[arg(long, value_parser = cli::date_arg)]
        deadline: cli::DateArg,
        /// 整改要求 / what to do
        #[arg(long)]
        measure: Option<String>,
        /// 审核规则 / review policy
        #[arg(long, env = "JIXIAO_POLICY", default_value = "central")]
        policy: String,
    },
    /// 更新整改事项 / change a rectification
    Update {
        /// 整改事项编号 / rectification id
        id: i64,
        /// 整改措施 / measure
        #[arg(long)]
        measure: Option<String>,
        /// 整改佐证 / evidence
        #[arg(long)]
        evidence: Option<String>,
        /// 状态：open、in_progress、done / status
        #[arg(long)]
        status: Option<String>,
        /// 整改期限 / deadline
        #[arg(long, value_parser = cli::date_arg)]
        deadline: Option<cli::DateArg>,
    },
}

/// 来源 / the source of a finding.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Source {
    /// 审核意见 / a review finding
    Review,
    /// 监控预警 / a monitoring light
    Monitoring,
    /// 自评问题 / a self-evaluation flag
    SelfEvaluation,
}

impl Source {
    fn finding(self) -> FindingSource {
        match self {
            Source::Review => FindingSource::Review,
            Source::Monitoring => FindingSource::Monitoring,
            Source::SelfEvaluation => FindingSource::SelfEvaluation,
        }
    }
}

/// A `--status` that does not read: which statuses it may be.
fn bad_status(raw: &str, expected: jixiao_app::Expected) -> jixiao_app::AppError {
    jixiao_app::AppError::invalid(jixiao_app::Message::BadParameter {
        name: "--status".into(),
        value: raw.to_string(),
        expected,
    })
}

/// One line per rectification.
fn line(i: &RectificationItem, lang: Lang) -> String {
    let r = &i.rectification;
    let text = lang.pick(&r.finding.text_zh, &r.finding.text_en);
    let status = lang.pick(i.status.zh(), i.status.en());
    let at = r.finding.indicator.as_deref().unwrap_or("—");
    format!(
        "{:>4}  {}  {} {}  {}  {}  {}  {}  {}\n",
        r.id,
        status,
        r.year,
        r.project,
        r.finding.rule,
        at,
        present::date(r.deadline, lang),
        r.owner.name(),
        text
    )
}

/// Runs a rectification subcommand.
pub(crate) async fn run(ctx: &Ctx, command: RectifyCommand) -> Result<(), jixiao_app::AppError> {
    let today = present::today(ctx.zone);
    match command {
        RectifyCommand::List {
            status,
            unit,
            project,
            year,
        } => {
            let app = ctx.open_read().await?;
            let status = match status {
                None => None,
                Some(s) => Some(
                    RectificationStatus::parse(&s)
                        .ok_or_else(|| bad_status(&s, jixiao_app::Expected::RectificationStatus))?,
                ),
            };
            let declaration = match project {
                None => None,
                Some(p) => Some(project_id(&app, &ctx.actor, &p, year).await?),
            };
            let items = app
                .rectifications(
                    &ctx.actor,
                    &RectificationFilter {
                        status,
                        unit,
                        department: None,
                        declaration,
                    },
                    today,
                )
                .await?;
            if items.is_empty() {
                println!(
                    "{}",
                    ctx.lang
                        .pick("没有符合条件的整改事项", "no rectification matches")
                );
            }
            for i in &items {
                print!("{}", line(i, ctx.lang));
            }
        }
        RectifyCommand::Open {
            project,
            year,
            source,
            rule,
            code,
            deadline,
            measure,
            policy,
        } => {
            let deadline = deadline.read(today.year())?;
            let review = jixiao_app::load_review_policy(&policy)?;
            let app = ctx.open().await?.with_review_policy(review);
            let id = project_id(&app, &ctx.actor, &project, year).await?;
            let i = app
                .open_rectification(
                    &ctx.actor,
                    &OpenRectification {
                        declaration: id,
                        source: source.finding(),
                        rule,
                        code,
                        owner: None,
                        deadline,
                        measure,
                    },
                    today,
                )
                .await?;
            print!("{}", line(&i, ctx.lang));
        }
        RectifyCommand::Update {
            id,
            measure,
            evidence,
            status,
            deadline,
        } => {
            let deadline = deadline.map(|d| d.read(today.year())).transpose()?;
            let app = ctx.open().await?;
            let progress = match status {
                None => None,
                Some(s) => Some(
                    Progress::from_id(&s)
                        .ok_or_else(|| bad_status(&s, jixiao_app::Expected::Progress))?,
                ),
            };
            let i = app
                .update_rectification(
                    &ctx.actor,
                    id,
                    &RectificationUpdate {
                        version: None,
                        measure,
                        evidence,
                        progress,
                        deadline,
                        owner: None,
                    },
                    today,
                )
                .await?;
            print!("{}", line(&i, ctx.lang));
        }
    }
    Ok(())
}
