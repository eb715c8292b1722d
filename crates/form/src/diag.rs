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
///
/// In a PDF, `page` is set and `line`/`column` are the row and column on that page: the
/// position reads `p3:r12c4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Severity.
    pub level: Level,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// The PDF page, from 1 (`None` for sources without pages).
    pub page: Option<u32>,
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
            page: None,
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
            page: None,
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
            page: None,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The position: `12:4` (line and column), `p3:r12c4` (PDF page, row and column), `p3`
    /// (a whole page), or nothing for the whole file (line 0).
    pub fn at(&self) -> String {
        match self.page {
            Some(p) if self.line > 0 => format!("p{p}:r{}c{}", self.line, self.column),
            Some(p) => format!("p{p}"),
            None if self.line == 0 => String::new(),
            None => format!("{}:{}", self.line, self.column),
        }
    }

    /// `path:at`, or `path` alone for the whole file.
    pub fn place(&self, path: &str) -> String {
        let at = self.at();
        if at.is_empty() {
            path.to_string()
        } else {
            format!("{path}:{at}")
        }
    }

    /// `path:line:column: 错误: …` followed by the English line.
    pub fn render(&self, path: &str) -> String {
        let at = self.place(path);
        format!(
            "{at}: {}: {}\n{at}: {}: {}",
            self.level.zh(),
            self.zh,
            self.level.en(),
            self.en
        )
    }

    /// The same, in one language only.
    pub fn render_lang(&self, path: &str, english: bool) -> String {
        let at = self.place(path);
        if english {
            format!("{at}: {}: {}", self.level.en(), self.en)
        } else {
            format!("{at}: {}: {}", self.level.zh(), self.zh)
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
