//! Diagnostics: what the readers say about their input, with positions, in Chinese and English.

use std::fmt;

/// How bad a diagnostic is. Any [`Level::Error`] makes a read fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The input cannot be taken as it is.
    Error,
    /// Taken, but something was guessed or is suspicious.
    Warning,
    /// For information (e.g. the encoding that was detected).
    Note,
}

impl Level {
    fn zh(self) -> &'static str {
        match self {
            Level::Error => "错误",
            Level::Warning => "警告",
            Level::Note => "提示",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// One diagnostic with its position (1-based line and column in characters; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Severity.
    pub level: Level,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// Message in Chinese.
    pub zh: String,
    /// Message in English.
    pub en: String,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(line: u32, column: u32, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            line,
            column,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A warning at a position.
    pub fn warning(line: u32, column: u32, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            line,
            column,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A note at a position.
    pub fn note(line: u32, column: u32, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Note,
            line,
            column,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// `path:line:column: 错误: …` followed by the English line.
    pub fn render(&self, path: &str) -> String {
        format!(
            "{path}:{}:{}: {}: {}\n{path}:{}:{}: {}: {}",
            self.line,
            self.column,
            self.level.zh(),
            self.zh,
            self.line,
            self.column,
            self.level.en(),
            self.en
        )
    }

    /// The same, in one language only.
    pub fn render_lang(&self, path: &str, english: bool) -> String {
        if english {
            format!(
                "{path}:{}:{}: {}: {}",
                self.line,
                self.column,
                self.level.en(),
                self.en
            )
        } else {
            format!(
                "{path}:{}:{}: {}: {}",
                self.line,
                self.column,
                self.level.zh(),
                self.zh
            )
        }
    }
}

/// A failed read: the file's name and every diagnostic (at least one error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// The path or name the input was read under.
    pub path: String,
    /// All diagnostics, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl FormError {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.level == Level::Error)
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.errors().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", d.render(&self.path))?;
        }
        Ok(())
    }
}

impl std::error::Error for FormError {}
