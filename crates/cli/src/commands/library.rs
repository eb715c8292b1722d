//! `jixiao library build|list|export|import` — the indicator library (指标库) from the command
//! line, as the local administrator: build it from approved declarations, list it (or search it
//! with `--q`, the suggestions ranked with their reasons), and write or read it as XLSX.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use jixiao_app::{Actor, App, AppError, Upload};
use jixiao_model::{Lang, LibraryEntry};

/// 指标库的子命令 / the library's subcommands.
#[derive(Subcommand)]
pub enum LibraryCommand {
    /// 由已批准的申报生成或更新指标库 / build or refresh the library from approved declarations
    Build,
    /// 列出指标库，或用 --q 检索（含排序理由）/ list the library, or search it with --q (with the ranking reasons)
    List {
        /// 检索词（三级指标名称的一部分）/ search text (part of an indicator name)
        #[arg(long)]
        q: Option<String>,
        /// 最多列出条数（检索时）/ at most this many suggestions (with --q)
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// 输出格式 / output format
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// 导出指标库为 XLSX / export the library as XLSX
    Export {
        /// 输出文件 / output file
        out: PathBuf,
    },
    /// 从 XLSX 导入指标库（全部成功或全部不写入）/ import the library from XLSX (all or nothing)
    Import {
        /// XLSX 文件 / the XLSX file
        file: PathBuf,
    },
}

/// Output format of `library list`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    /// 文本 / text
    Text,
    /// JSON
    Json,
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error of the command.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn entry_line(e: &LibraryEntry, lang: Lang) -> String {
    let dash = |s: Option<&str>| s.filter(|s| !s.is_empty()).unwrap_or("—").to_string();
    match lang {
        Lang::Zh => format!(
            "{:>4}  {}  {}/{}  {}  单位 {}  {}  典型值 {}  使用 {} 次{}  第 {} 版\n",
            e.id.unwrap_or_default(),
            e.scope.zh(),
            e.level1.zh(),
            e.level2.zh(),
            e.name,
            dash(e.unit.as_deref()),
            e.direction.zh(),
            dash(e.typical_target.as_deref()),
            e.uses,
            if e.core { "  核心指标" } else { "" },
            e.version
        ),
        Lang::En => format!(
            "{:>4}  {}  {}/{}  {}  unit {}  {}  typical {}  used {}{}  version {}\n",
            e.id.unwrap_or_default(),
            e.scope.id(),
            e.level1.en(),
            e.level2.en(),
            e.name,
            dash(e.unit.as_deref()),
            e.direction.id(),
            dash(e.typical_target.as_deref()),
            e.uses,
            if e.core { "  core" } else { "" },
            e.version
        ),
    }
}

/// Runs a library subcommand against the database `db` (a SQLite path or a postgres:// URL).
pub async fn run(db: &str, command: LibraryCommand, lang: Lang) -> Result<(), AppError> {
    let actor = Actor::local_admin();
    let zh = lang == Lang::Zh;
    match command {
        LibraryCommand::Build => {
            let app = App::open(db).await?;
            let b = app.library_build(&actor).await?;
            print(&if zh {
                format!(
                    "读取已批准申报 {} 个、指标 {} 条：新增条目 {}，更新 {}，未变化 {}；关联指标 {} 条\n",
                    b.declarations, b.indicators, b.added, b.changed, b.unchanged, b.linked
                )
            } else {
                format!(
                    "read {} approved declarations, {} indicators: {} entries added, {} updated, {} unchanged; {} indicators linked\n",
                    b.declarations, b.indicators, b.added, b.changed, b.unchanged, b.linked
                )
            });
        }
        LibraryCommand::List { q, limit, format } => {
            let app = App::open_existing(db).await?;
            match q {
                Some(q) => {
                    let items = app.library_search(&actor, &q, limit).await?;
                    if format == ListFormat::Json {
                        let doc = serde_json::json!({ "items": items });
                        print(&format!("{doc:#}\n"));
                    } else {
                        for s in &items {
                            let typical = s.typical_target.as_deref().unwrap_or("—");
                            print(&format!(
                                "{:>3}. {}  {}/{}  {}  {}\n",
                                s.rank,
                                s.name,
                                s.level1.zh(),
                                s.level2.zh(),
                                typical,
                                if zh { &s.reason_zh } else { &s.reason_en }
                            ));
                        }
                    }
                }
                None => {
                    let entries = app.library(&actor).await?;
                    if format == ListFormat::Json {
                        let doc = serde_json::json!({ "items": entries });
                        print(&format!("{doc:#}\n"));
                    } else {
                        entries.iter().for_each(|e| print(&entry_line(e, lang)));
                    }
                }
            }
        }
        LibraryCommand::Export { out } => {
            let app = App::open_existing(db).await?;
            let bytes = app.library_export(&actor).await?;
            std::fs::write(&out, bytes).map_err(|e| {
                AppError::invalid(jixiao_app::Message::CannotWriteFile {
                    file: out.display().to_string(),
                    cause: e.to_string(),
                })
            })?;
            print(&if zh {
                format!("已导出指标库：{}\n", out.display())
            } else {
                format!("library written to {}\n", out.display())
            });
        }
        LibraryCommand::Import { file } => {
            let app = App::open(db).await?;
            let w = app.library_import(&actor, &Upload::read(&file)?).await?;
            print(&if zh {
                format!(
                    "已导入指标库：新增 {}，更新 {}，未变化 {}\n",
                    w.added, w.changed, w.unchanged
                )
            } else {
                format!(
                    "library imported: {} added, {} updated, {} unchanged\n",
                    w.added, w.changed, w.unchanged
                )
            });
        }
    }
    Ok(())
}
