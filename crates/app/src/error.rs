//! 错误 — what a use case answers when it cannot do what was asked: a kind a front end maps to
//! an exit status or an HTTP status, and text in Chinese and English.
//!
//! **Invariant:** no raw database or I/O error text reaches a user. [`AppError::Internal`]
//! displays a fixed bilingual message; its detail is for the log ([`AppError::detail`]).

use std::fmt;

use jixiao_evaluate::RowError;
use jixiao_form::FormError;
use jixiao_model::DeclarationId;
pub use jixiao_store::StoreError;

/// What went wrong, as a kind.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// 未找到 — nothing of that name or id, or nothing the actor may see.
    #[error("{zh}\n{en}")]
    NotFound {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// 不唯一 — a name matches several declarations; the caller must say which.
    #[error("{}", ambiguous_text(.name, .candidates))]
    Ambiguous {
        /// The name asked for.
        name: String,
        /// What it could mean.
        candidates: Vec<Candidate>,
    },
    /// 输入有误 — the input is malformed; positioned diagnostics say where.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// 未登录 — no valid session, or a wrong user name or password (one message for both).
    #[error("{zh}\n{en}")]
    Unauthenticated {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// 无权限 — the actor may see this but not do that.
    #[error("{zh}\n{en}")]
    Forbidden {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// 冲突 — the data changed since the caller read it (a stale edit); read again and retry.
    #[error("{zh}\n{en}")]
    Conflict {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// 编辑冲突 — a save based on a version that is no longer current: who saved the newer
    /// one, when, and what it changed. Nothing was written; the caller still has its text.
    /// Its kind is [`ErrorKind::Conflict`].
    #[error("{}", stale_text(.0))]
    Stale(Box<jixiao_store::StaleEdit>),
    /// 无法连接 — the database cannot be opened or reached: names the path or host and why.
    #[error("{zh}\n{en}")]
    Unavailable {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// 内部错误 — the system failed (database, disk); the detail is for the log only.
    #[error("内部错误，操作未完成；请稍后重试或联系管理员\ninternal error: nothing was done; try again later or ask the administrator")]
    Internal {
        /// What failed, for the log; never shown to a user as the message.
        detail: String,
    },
}

/// One declaration a name could mean (in [`AppError::Ambiguous`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Stable id, when the store has assigned one.
    pub id: Option<DeclarationId>,
    /// 年度.
    pub year: i32,
    /// 实施单位.
    pub unit: String,
    /// 项目名称.
    pub name: String,
}

fn ambiguous_text(name: &str, candidates: &[Candidate]) -> String {
    let zh: Vec<String> = candidates
        .iter()
        .map(|c| format!("{}年度 {}", c.year, c.unit))
        .collect();
    let en: Vec<String> = candidates
        .iter()
        .map(|c| format!("{} {}", c.year, c.unit))
        .collect();
    format!(
        "有 {} 个项目名为「{name}」（{}）；请用 --year 指明\n{} projects are named {name:?} ({}); give --year",
        candidates.len(),
        zh.join("；"),
        candidates.len(),
        en.join("; ")
    )
}

fn stale_text(s: &jixiao_store::StaleEdit) -> String {
    let zh = crate::views::change(&s.change, jixiao_model::Lang::Zh);
    let en = crate::views::change(&s.change, jixiao_model::Lang::En);
    format!(
        "保存冲突：你的修改基于第 {} 版，而 {} 已于 {} 保存了第 {} 版；未保存任何内容，请在最新版本上重新修改。第 {} 版以来的变化：{}\nconflict: your edit is based on version {}, but {} saved version {} at {}; nothing was saved: apply your edit to the current version. Changes since version {}: {}",
        s.base_version,
        s.saved_by,
        s.saved_at,
        s.current_version,
        s.base_version,
        zh.trim().replace('\n', "；"),
        s.base_version,
        s.saved_by,
        s.current_version,
        s.saved_at,
        s.base_version,
        en.trim().replace('\n', "; "),
    )
}

/// A field of an edited declaration (or a lone target) that cannot be taken as given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// Where: `name`, `indicators[2].raw`, `annual_budget`, `target`.
    pub field: String,
    /// Column in characters from 1, when it is about a place in the text.
    pub column: Option<usize>,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// The kinds of malformed input.
#[derive(Debug)]
#[non_exhaustive]
pub enum Invalid {
    /// A form (申报表) that does not read, with every diagnostic and its line and column.
    Form(FormError),
    /// Rows of actuals or spending, with every rejected cell (line and column); nothing was
    /// recorded.
    Rows {
        /// The upload's name.
        source: String,
        /// Every error found.
        errors: Vec<RowError>,
    },
    /// Fields of an edited declaration, or a target being checked, that do not read: each
    /// with the field and column.
    Fields(Vec<FieldError>),
    /// Anything else, said in Chinese and English.
    Message {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Form(e) => write!(f, "{e}"),
            Invalid::Rows { source, errors } => {
                for e in errors {
                    writeln!(f, "{source}: {e}")?;
                }
                write!(
                    f,
                    "{source}: 未录入任何数据。\n{source}: nothing was recorded."
                )
            }
            Invalid::Fields(errors) => {
                let zh: Vec<&str> = errors.iter().map(|e| e.zh.as_str()).collect();
                let en: Vec<&str> = errors.iter().map(|e| e.en.as_str()).collect();
                write!(f, "{}\n{}", zh.join("；"), en.join("; "))
            }
            Invalid::Message { zh, en } => write!(f, "{zh}\n{en}"),
        }
    }
}

impl std::error::Error for Invalid {}

/// The kind of an [`AppError`], for mapping to exit and HTTP statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// [`AppError::NotFound`].
    NotFound,
    /// [`AppError::Ambiguous`].
    Ambiguous,
    /// [`AppError::Invalid`].
    Invalid,
    /// [`AppError::Unauthenticated`].
    Unauthenticated,
    /// [`AppError::Forbidden`].
    Forbidden,
    /// [`AppError::Conflict`].
    Conflict,
    /// [`AppError::Unavailable`].
    Unavailable,
    /// [`AppError::Internal`].
    Internal,
}

impl AppError {
    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::NotFound { .. } => ErrorKind::NotFound,
            AppError::Ambiguous { .. } => ErrorKind::Ambiguous,
            AppError::Invalid(_) => ErrorKind::Invalid,
            AppError::Unauthenticated { .. } => ErrorKind::Unauthenticated,
            AppError::Forbidden { .. } => ErrorKind::Forbidden,
            AppError::Conflict { .. } | AppError::Stale(_) => ErrorKind::Conflict,
            AppError::Unavailable { .. } => ErrorKind::Unavailable,
            AppError::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// The message in Chinese and in English, each whole (a front end picks the one it
    /// shows; nothing has to be split).
    pub fn messages(&self) -> (String, String) {
        let halves = |text: String| match text.split_once('\n') {
            Some((zh, en)) => (zh.to_string(), en.to_string()),
            None => (text.clone(), text),
        };
        match self {
            AppError::NotFound { zh, en }
            | AppError::Unauthenticated { zh, en }
            | AppError::Forbidden { zh, en }
            | AppError::Conflict { zh, en }
            | AppError::Unavailable { zh, en }
            | AppError::Invalid(Invalid::Message { zh, en }) => (zh.clone(), en.clone()),
            AppError::Invalid(Invalid::Fields(errors)) => {
                let zh: Vec<&str> = errors.iter().map(|e| e.zh.as_str()).collect();
                let en: Vec<&str> = errors.iter().map(|e| e.en.as_str()).collect();
                (zh.join("；"), en.join("; "))
            }
            AppError::Ambiguous { name, candidates } => halves(ambiguous_text(name, candidates)),
            AppError::Stale(s) => halves(stale_text(s)),
            other => halves(other.to_string()),
        }
    }

    /// The message in one language.
    pub fn text(&self, lang: jixiao_model::Lang) -> String {
        let (zh, en) = self.messages();
        lang.pick(&zh, &en).to_string()
    }

    /// What to log beside the message: the cause of an internal error, `None` otherwise.
    pub fn detail(&self) -> Option<&str> {
        match self {
            AppError::Internal { detail } => Some(detail),
            _ => None,
        }
    }

    /// Malformed input, said in Chinese and English.
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::Invalid(Invalid::Message {
            zh: zh.into(),
            en: en.into(),
        })
    }

    /// A system failure; `detail` goes to the log only.
    pub fn internal(detail: impl fmt::Display) -> AppError {
        AppError::Internal {
            detail: detail.to_string(),
        }
    }
}

impl From<FormError> for AppError {
    fn from(e: FormError) -> AppError {
        AppError::Invalid(Invalid::Form(e))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::UnsupportedUrl(url) => AppError::invalid(
                format!("不支持的数据库地址「{url}」：应为 SQLite 文件路径或 postgres:// 地址"),
                format!(
                    "unsupported database {url:?}: give a SQLite file path or a postgres:// URL"
                ),
            ),
            StoreError::NoDatabase(path) => AppError::NotFound {
                zh: format!("数据库文件不存在：{path}（先用 jixiao import 导入申报表，或用 --db 指定已有的数据库）"),
                en: format!("no database at {path} (import a form first, or name an existing one with --db)"),
            },
            StoreError::Open { target, reason } => AppError::Unavailable {
                zh: format!("无法打开数据库 {target}：{reason}"),
                en: format!("cannot open the database {target}: {reason}"),
            },
            StoreError::NotFound { zh, en } => AppError::NotFound { zh, en },
            StoreError::Invalid { zh, en } => AppError::invalid(zh, en),
            StoreError::Conflict { zh, en } => AppError::Conflict { zh, en },
            busy if busy.is_busy() => AppError::Unavailable {
                zh: "数据库繁忙，暂时无法应答；请稍后再试".into(),
                en: "the database is busy and cannot answer now; try again shortly".into(),
            },
            other => AppError::internal(other),
        }
    }
}

/// No declaration of that name (and year) that the actor may see.
pub(crate) fn not_found(name: &str, year: Option<i32>) -> AppError {
    AppError::NotFound {
        zh: format!(
            "未找到项目「{name}」{}；用 `jixiao list` 查看已导入的项目",
            year.map_or(String::new(), |y| format!("（{y}年度）"))
        ),
        en: format!(
            "no project named {name:?}{}; `jixiao list` shows the imported projects",
            year.map_or(String::new(), |y| format!(" in {y}"))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_detail() {
        let e = AppError::from(StoreError::Corrupt("secret table xyz".into()));
        assert_eq!(e.kind(), ErrorKind::Internal);
        let shown = e.to_string();
        assert!(!shown.contains("xyz"), "{shown}");
        assert!(shown.contains("内部错误") && shown.contains("internal error"));
        assert_eq!(e.detail().map(|d| d.contains("xyz")), Some(true));
    }

    #[test]
    fn an_unsupported_database_url_is_invalid_input_in_both_languages() {
        let e = AppError::from(StoreError::UnsupportedUrl("mysql://x".into()));
        assert_eq!(e.kind(), ErrorKind::Invalid);
        let shown = e.to_string();
        let mut lines = shown.lines();
        assert!(
            lines.next().unwrap().contains("不支持的数据库地址"),
            "{shown}"
        );
        assert!(
            lines.next().unwrap().contains("unsupported database"),
            "{shown}"
        );
    }

    #[test]
    fn ambiguity_lists_the_candidates() {
        let c = |unit: &str| Candidate {
            id: None,
            year: 2024,
            unit: unit.into(),
            name: "P".into(),
        };
        let e = AppError::Ambiguous {
            name: "P".into(),
            candidates: vec![c("甲"), c("乙")],
        };
        let shown = e.to_string();
        assert!(shown.contains("2024年度 甲；2024年度 乙"), "{shown}");
        assert!(shown.contains("2 projects are named \"P\""), "{shown}");
    }
}
