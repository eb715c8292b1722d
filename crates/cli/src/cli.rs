//! The global arguments (database, language, time zone) and the value parsers the commands
//! share (dates, 填报期间, time zones).

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use jixiao_model::{Lang, NaiveDate, ReportPeriod};

use crate::commands::Command;

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效：预算项目绩效目标的申报、审核、监控与自评 / performance targets of budget projects"
)]
pub(crate) struct Cli {
    /// 数据库：SQLite 文件路径或 postgres:// 地址 / database: a SQLite file or a postgres:// URL
    #[arg(long, global = true, env = "JIXIAO_DB", value_name = "PATH_OR_URL")]
    pub db: Option<String>,
    /// 输出语言（默认中文；错误信息默认中英文各一行）/ output language (default zh; errors in both, a line each)
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// 时间显示所用时区（IANA 名称）/ the time zone times are shown in (an IANA name)
    #[arg(long, global = true, env = "JIXIAO_TIME_ZONE", default_value = "Asia/Shanghai", value_parser = read_zone)]
    pub time_zone: jixiao_model::present::Zone,
    #[command(subcommand)]
    pub command: Command,
}

/// `--time-zone`: an IANA zone name, or the message of both languages.
fn read_zone(s: &str) -> Result<jixiao_model::present::Zone, String> {
    jixiao_model::present::zone(s)
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LangArg {
    Zh,
    En,
}

impl LangArg {
    pub fn lang(self) -> Lang {
        match self {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// The language of the output: `--lang`, else Chinese.
pub(crate) fn output_lang(lang: Option<LangArg>) -> Lang {
    lang.map_or(Lang::Zh, LangArg::lang)
}

/// `--format` of the commands that print a result: text for people, or JSON.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum OutFormat {
    Text,
    Json,
}

/// A date as typed on the command line (`2024-06-30`, `2024/6/30`, `2024年6月30日`), read once
/// the year of the example its error gives is known: the declaration's, else `--year`, else
/// today's in `--time-zone` (a 2025 project is told `2025-06-30`, never a fixed 2024).
#[derive(Debug, Clone)]
pub(crate) struct DateArg(String);

impl DateArg {
    /// The date, or a usage error (exit 2) naming the text with an example in `year`.
    pub fn read(&self, year: i32) -> Result<NaiveDate, jixiao_app::AppError> {
        let s = &self.0;
        jixiao_model::parse_date(s).map_err(|_| {
            jixiao_app::AppError::invalid(jixiao_app::Message::NotADate {
                text: s.clone(),
                year,
            })
        })
    }
}

pub(crate) fn date_arg(s: &str) -> Result<DateArg, String> {
    Ok(DateArg(s.to_string()))
}

/// This year in the zone times are shown in: the year of an example when no declaration or
/// `--year` gives one.
pub(crate) fn this_year(zone: jixiao_model::present::Zone) -> i32 {
    jixiao_model::Datelike::year(&jixiao_model::present::today(zone))
}

/// 填报期间: `2024-06-30`, `2024-06`, `2024Q2`, `2024年第二季度`, `2024H1`, `2024` ….
pub(crate) fn period_arg(s: &str) -> Result<ReportPeriod, String> {
    s.parse()
        .map_err(|e: jixiao_model::PeriodError| e.to_string())
}

/// The database when neither `--db` nor `JIXIAO_DB` names one.
pub(crate) fn default_db() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("jixiao")
        .join("jixiao.db")
}
