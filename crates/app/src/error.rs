//! 错误 — what a use case answers when it cannot do what was asked: a kind a front end maps to
//! an exit status or an HTTP status, and a [`Message`] (a key and its arguments) that
//! [`crate::message`] renders in the language the front end shows.
//!
//! **Invariant:** no raw database or I/O error text reaches a user. [`AppError::Internal`]
//! displays a fixed bilingual message; its detail is for the log ([`AppError::detail`]).

use std::fmt;

use jixiao_evaluate::RowError;
use jixiao_form::FormError;
use jixiao_model::{DeclarationId, Lang};
pub use jixiao_store::StoreError;

use crate::message::{self, Message};

/// What went wrong, as a kind; each kind carries its [`Message`] (a key and arguments), and
/// the language is chosen where it is shown ([`AppError::text`]). `Display` shows both, Chinese
/// first, a line each.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// 未找到 — nothing of that name or id, or nothing the actor may see.
    #[error("{}", both(.0))]
    NotFound(Message),
    /// 不唯一 — a name matches several declarations; the caller must say which.
    #[error("{}\n{}", message::ambiguous(.name, .candidates, Lang::Zh), message::ambiguous(.name, .candidates, Lang::En))]
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
    #[error("{}", both(.0))]
    Unauthenticated(Message),
    /// 无权限 — the actor may see this but not do that.
    #[error("{}", both(.0))]
    Forbidden(Message),
    /// 冲突 — the data changed since the caller read it (a stale edit); read again and retry.
    #[error("{}", both(.0))]
    Conflict(Message),
    /// 编辑冲突 — a save based on a version that is no longer current: who saved the newer
    /// one, when, and what it changed. Nothing was written; the caller still has its text.
    /// Its kind is [`ErrorKind::Conflict`].
    #[error("{}\n{}", message::stale(.0, Lang::Zh), message::stale(.0, Lang::En))]
    Stale(Box<jixiao_store::StaleEdit>),
    /// 无法连接 — the database cannot be opened or reached: names the path or host and why.
    #[error("{}", both(.0))]
    Unavailable(Message),
    /// 内部错误 — the system failed (database, disk); the detail is for the log only.
    #[error("{}", both(&Message::Internal))]
    Internal {
        /// What failed, for the log; never shown to a user as the message.
        detail: String,
    },
}

/// A message in both languages, Chinese first, a line each (what `Display` shows).
fn both(m: &Message) -> String {
    format!("{}\n{}", m.text(Lang::Zh), m.text(Lang::En))
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
    /// Anything else: a key and its arguments.
    Message(Message),
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
            Invalid::Message(m) => write!(f, "{}", both(m)),
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

    /// The message of a kind that has one (not a form's or rows' diagnostics, not a list of
    /// fields, not an ambiguity or a stale edit, which carry their own data).
    pub fn message(&self) -> Option<&Message> {
        match self {
            AppError::NotFound(m)
            | AppError::Unauthenticated(m)
            | AppError::Forbidden(m)
            | AppError::Conflict(m)
            | AppError::Unavailable(m)
            | AppError::Invalid(Invalid::Message(m)) => Some(m),
            AppError::Internal { .. } => Some(&Message::Internal),
            _ => None,
        }
    }

    /// The message in one language: the one place an error becomes text (front ends choose
    /// the language where they show it).
    pub fn text(&self, lang: Lang) -> String {
        if let Some(m) = self.message() {
            return m.text(lang);
        }
        match self {
            AppError::Ambiguous { name, candidates } => message::ambiguous(name, candidates, lang),
            AppError::Stale(s) => message::stale(s, lang),
            AppError::Invalid(Invalid::Fields(errors)) => {
                let texts: Vec<&str> = errors.iter().map(|e| lang.pick(&e.zh, &e.en)).collect();
                texts.join(lang.pick("；", "; "))
            }
            // A form's diagnostics, each at its place, in the language.
            AppError::Invalid(Invalid::Form(f)) => {
                let lines: Vec<String> = f
                    .errors()
                    .map(|d| d.render_lang(&f.path, lang == Lang::En))
                    .collect();
                lines.join("\n")
            }
            // Rows' errors are said by `jixiao-evaluate` in both languages on each line: whole.
            other => other.to_string(),
        }
    }

    /// The message in Chinese and in English, each whole.
    pub fn messages(&self) -> (String, String) {
        (self.text(Lang::Zh), self.text(Lang::En))
    }

    /// What to log beside the message: the cause of an internal error, `None` otherwise.
    pub fn detail(&self) -> Option<&str> {
        match self {
            AppError::Internal { detail } => Some(detail),
            _ => None,
        }
    }

    /// Malformed input, with its message.
    pub fn invalid(message: Message) -> AppError {
        AppError::Invalid(Invalid::Message(message))
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
            StoreError::UnsupportedUrl(url) => {
                AppError::invalid(Message::UnsupportedDatabase { url })
            }
            StoreError::NoDatabase(path) => AppError::NotFound(Message::NoDatabase { path }),
            StoreError::Open { target, reason } => {
                AppError::Unavailable(Message::DatabaseUnavailable { target, reason })
            }
            StoreError::NotFound { zh, en } => AppError::NotFound(Message::said(zh, en)),
            StoreError::Invalid { zh, en } => AppError::invalid(Message::said(zh, en)),
            StoreError::Conflict { zh, en } => AppError::Conflict(Message::said(zh, en)),
            busy if busy.is_busy() => AppError::Unavailable(Message::DatabaseBusy),
            other => AppError::internal(other),
        }
    }
}

/// No declaration of that name (and year) that the actor may see.
pub(crate) fn not_found(name: &str, year: Option<i32>) -> AppError {
    AppError::NotFound(Message::NoProjectNamed {
        name: name.to_string(),
        year,
    })
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

    /// One error value, its language chosen where it is shown: each language alone, and
    /// `Display` (both, Chinese first) made of the same two texts.
    #[test]
    fn one_error_is_rendered_in_the_language_asked_for() {
        let e = not_found("交通工具购置", Some(2024));
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            e.message().map(Message::key),
            Some(crate::MessageKey::NoProjectNamed)
        );
        let zh = e.text(Lang::Zh);
        let en = e.text(Lang::En);
        assert_eq!(
            zh,
            "未找到项目「交通工具购置」（2024年度）；用 `jixiao list` 查看已导入的项目"
        );
        assert_eq!(
            en,
            "no project named \"交通工具购置\" in 2024; `jixiao list` shows the imported projects"
        );
        assert_eq!(e.to_string(), format!("{zh}\n{en}"));
        assert_eq!(e.messages(), (zh, en));
        // A message nested in another is rendered in the same language.
        let nested = AppError::invalid(Message::InProject {
            file: "a.json".into(),
            project: "P".into(),
            reason: Box::new(Message::UnitWithoutDepartment {
                unit: "甲".into(),
                stated: "乙".into(),
                own: None,
            }),
        });
        assert!(nested.text(Lang::En).ends_with("(yours: none)"), "{nested}");
        assert!(
            nested.text(Lang::Zh).ends_with("（您的主管部门：无）"),
            "{nested}"
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
