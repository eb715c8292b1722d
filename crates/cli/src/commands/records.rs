//! The records of a year: `actuals` (实际完成值: set, import, list, delete) and `spending`
//! (执行数: import, list, delete).

use std::path::PathBuf;

use clap::Subcommand;
use jixiao_app::{ActualInput, AppError, RecordSummary, Upload};
use jixiao_model::ReportPeriod;

use super::Ctx;
use crate::cli::{date_arg, period_arg, DateArg};
use crate::render;

#[derive(Subcommand)]
pub(crate) enum ActualsCommand {
    /// 录入一条实际完成值 / record one observation
    Set {
        /// 项目名称 / project
        #[arg(long)]
        project: String,
        /// 三级指标名称或编码（见 jixiao show）/ indicator name or code
        #[arg(long)]
        indicator: String,
        /// 日期（2024-06-30、2024/6/30 或 2024年6月30日）/ date
        #[arg(long, value_name = "DATE")]
        date: String,
        /// 填报期间（2024-06、2024Q2、2024H1 …），须与日期相符 / reporting period, must match the date
        #[arg(long)]
        period: Option<String>,
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
    /// 从 CSV 导入（列：project,indicator,date,value,note[,code,year]；同名项目有多个年度时须有 year 列）/ import from CSV
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
pub(crate) struct ListArgs {
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
pub(crate) enum SpendingCommand {
    /// 从 CSV 或 XLSX 导入（列：project,date,amount[,voucher,note,year]）；重复导入不重复计数 / import (re-import changes nothing)
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
        date: DateArg,
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

/// `jixiao actuals …`.
pub(crate) async fn actuals(ctx: &Ctx, command: ActualsCommand) -> Result<(), AppError> {
    let (zh, lang, actor) = (ctx.zh(), ctx.lang, &ctx.actor);
    let print_recorded = |s: &RecordSummary, zh_verb: &str, en_verb: &str| {
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
            let app = ctx.open().await?;
            let p = app.project(actor, &project, year).await?;
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
            let r = app.record_actual_in(actor, &p, &input).await?;
            print_recorded(&r.summary, "录入", "recorded");
            if let Some((period, date)) = r.as_of {
                outln!("{}", jixiao_app::as_of_text(period, date, lang));
            }
        }
        ActualsCommand::Import { file } => {
            let upload = Upload::read(&file)?;
            let app = ctx.open().await?;
            let s = app.record_actuals(actor, &upload).await?;
            print_recorded(&s, "导入", "imported");
        }
        ActualsCommand::List(ListArgs {
            project,
            year,
            history,
        }) => {
            let app = ctx.open_read().await?;
            let p = app.project(actor, &project, year).await?;
            if history {
                out!(
                    "{}",
                    render::history(
                        &app.observation_history(actor, &p).await?,
                        Some(&p),
                        ctx.zone,
                        lang
                    )
                );
            } else {
                out!(
                    "{}",
                    render::actuals(&p, &app.observations(actor, &p).await?, lang)
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
            let app = ctx.open().await?;
            let p = app.project(actor, &project, year).await?;
            app.retract_actual(actor, &p, &indicator, period, &reason)
                .await?;
            outln!(
                "{}",
                if zh {
                    format!(
                        "已撤回 {indicator} 在 {} 的实际完成值（原因：{reason}）",
                        period.zh()
                    )
                } else {
                    format!(
                        "retracted the actual value of {indicator} for {period} (reason: {reason})"
                    )
                }
            );
        }
    }
    Ok(())
}

/// `jixiao spending …`.
pub(crate) async fn spending(ctx: &Ctx, command: SpendingCommand) -> Result<(), AppError> {
    let (zh, lang, actor) = (ctx.zh(), ctx.lang, &ctx.actor);
    match command {
        SpendingCommand::Import { file } => {
            let upload = Upload::read(&file)?;
            let app = ctx.open().await?;
            let s = app.record_spending(actor, &upload).await?;
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
            let app = ctx.open_read().await?;
            let p = app.project(actor, &project, year).await?;
            if history {
                out!(
                    "{}",
                    render::history(
                        &app.spending_history(actor, &p).await?,
                        None,
                        ctx.zone,
                        lang,
                    )
                );
            } else {
                out!(
                    "{}",
                    render::spending(&app.spending(actor, &p).await?, lang)
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
            let app = ctx.open().await?;
            let p = app.project(actor, &project, year).await?;
            let date = date.read(p.year)?;
            let old = app
                .retract_spending(
                    actor,
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
    }
    Ok(())
}
