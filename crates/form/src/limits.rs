//! Budgets for reading one file: what a reader may spend before it refuses.
//!
//! Every reader ([`crate::read_form_with`]) checks its input against one [`Limits`]: the input
//! size first, then what the input unfolds into (decompressed bytes, rows and cells, pages,
//! nesting depth, content-stream operators with Form XObjects expanded) and the time spent. A
//! limit reached is an error naming the limit and the value it would have taken, in Chinese and
//! English; nothing is read in part.
//!
//! The defaults are for a web upload (`Limits::default()`, also what the CLI uses): a real
//! 申报表, 自评表 or budget-disclosure PDF stays far below each of them, and one upload that
//! reaches all of them stays under 512 MB of memory (the ceiling `tests/hostile.rs` measures).

use std::time::{Duration, Instant};

use crate::diag::Diagnostic;

/// What one read may spend. [`Limits::default`] is for a web upload.
///
/// | limit | default | what it bounds |
/// |---|---|---|
/// | `input_bytes` | 20 MB | the file as uploaded |
/// | `decompressed_bytes` | 64 MB | a ZIP's inflated entries (XLSX); a PDF's inflated content streams |
/// | `zip_entries` | 10,000 | entries in an XLSX |
/// | `lines` | 200,000 | lines of a text or CSV file, rows of a sheet |
/// | `cells` | 1,000,000 | cells of a text, CSV or XLSX sheet |
/// | `pages` | 2,000 | pages of a PDF |
/// | `depth` | 64 | nesting of arrays and dictionaries in a PDF content stream, Form XObjects inside each other |
/// | `operators` | 2,000,000 | content-stream operators of a PDF, each Form XObject counted as often as it is drawn |
/// | `glyphs` | 1,000,000 | characters a PDF draws, all pages together |
/// | `page_text` | 250,000 | bytes of the strings one PDF page shows (an upper bound of its characters), Form XObjects expanded |
/// | `time` | 60 s | checked between pages, sheets and streams |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the input file.
    pub input_bytes: usize,
    /// Bytes the input inflates to (all ZIP entries together; all PDF content streams).
    pub decompressed_bytes: usize,
    /// Entries in a ZIP archive.
    pub zip_entries: usize,
    /// Lines of text (or rows of a sheet).
    pub lines: usize,
    /// Cells of a grid.
    pub cells: usize,
    /// Pages of a PDF.
    pub pages: usize,
    /// Nesting depth (PDF arrays and dictionaries in content streams; Form XObjects).
    pub depth: usize,
    /// PDF content-stream operators drawn, Form XObjects expanded.
    pub operators: u64,
    /// Characters drawn by a PDF (one operator may draw many).
    pub glyphs: usize,
    /// Bytes of the strings one PDF page shows, Form XObjects expanded: bounds the characters
    /// the PDF library builds for one page before any are counted.
    pub page_text: u64,
    /// Wall-clock time of the read.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            input_bytes: 20 * 1024 * 1024,
            decompressed_bytes: 64 * 1024 * 1024,
            zip_entries: 10_000,
            lines: 200_000,
            cells: 1_000_000,
            pages: 2_000,
            depth: 64,
            operators: 2_000_000,
            glyphs: 1_000_000,
            page_text: 250_000,
            time: Duration::from_secs(60),
        }
    }
}

/// The limits of one read, with its start time.
#[derive(Debug, Clone)]
pub(crate) struct Budget<'a> {
    pub limits: &'a Limits,
    started: Instant,
}

impl<'a> Budget<'a> {
    pub fn new(limits: &'a Limits) -> Self {
        Budget {
            limits,
            started: Instant::now(),
        }
    }

    /// An error once the read has taken longer than [`Limits::time`].
    pub fn check_time(&self) -> Result<(), Diagnostic> {
        if self.started.elapsed() > self.limits.time {
            return Err(exceeded(
                "读取时间",
                "reading time",
                format!("{} 秒", self.limits.time.as_secs()),
                format!("{} s", self.limits.time.as_secs()),
            ));
        }
        Ok(())
    }
}

/// The error for a limit reached: `what` is the quantity (`解压后大小` / `decompressed size`),
/// `limit` its bound as shown to the user.
pub fn exceeded(
    what_zh: &str,
    what_en: &str,
    limit_zh: impl std::fmt::Display,
    limit_en: impl std::fmt::Display,
) -> Diagnostic {
    Diagnostic::error(
        0,
        0,
        format!(
            "文件超出读取限制：{what_zh}超过 {limit_zh}，已拒绝读取（不像是一份绩效目标表；如确需导入，请拆分文件）"
        ),
        format!(
            "the file exceeds a reading limit: {what_en} over {limit_en}; it was refused (it \
             does not look like a performance-target form; split it if it really is one)"
        ),
    )
}

/// `20 MB` for 20,971,520 bytes (binary megabytes, as the defaults are written).
pub fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_limit_in_both_languages() {
        let d = exceeded("解压后大小", "decompressed size", "64 MB", "64 MB");
        assert!(d.zh.contains("解压后大小超过 64 MB"), "{}", d.zh);
        assert!(d.en.contains("decompressed size over 64 MB"), "{}", d.en);
        assert_eq!(megabytes(20 * 1024 * 1024), "20 MB");
        assert_eq!(megabytes(100), "100 B");
    }

    #[test]
    fn time_is_checked_against_the_limit() {
        let limits = Limits {
            time: Duration::ZERO,
            ..Limits::default()
        };
        let budget = Budget::new(&limits);
        std::thread::sleep(Duration::from_millis(2));
        assert!(budget.check_time().unwrap_err().en.contains("reading time"));
        let limits = Limits::default();
        assert!(Budget::new(&limits).check_time().is_ok());
    }
}
