//! The one place that knows the PDF library. [`PdfBackend`] turns a file's bytes into
//! [`PageLayout`]s — the characters with their boxes, and the tables found from the ruling lines
//! as rows of cell boxes — and everything after that (cell text, columns, pages) is ours, so the
//! library can be swapped by writing another implementation of this trait.
//!
//! [`Plumber`] implements it with the `pdfplumber` crate (pinned exactly in `Cargo.toml`).

use std::panic::{catch_unwind, AssertUnwindSafe};

/// A box on the page, in points, with the origin at the page's top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub top: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub bottom: f64,
}

impl Rect {
    /// Whether a point lies inside (borders included).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.top && y <= self.bottom
    }
}

/// One character as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The text the font maps it to (usually one character).
    pub text: String,
    /// Where it is drawn.
    pub bbox: Rect,
    /// The font size in points.
    pub size: f64,
}

/// A table found from the ruling lines: its rows, top to bottom, of cells left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    /// The whole table.
    pub bbox: Rect,
    /// Each row's real cells (a merged cell appears once, in the first row it covers).
    pub rows: Vec<Vec<Rect>>,
}

/// One page: its size, characters and tables.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLayout {
    /// The page number, from 1.
    pub number: u32,
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// Every character on the page, in drawing order.
    pub glyphs: Vec<Glyph>,
    /// The tables, top to bottom.
    pub tables: Vec<TableLayout>,
    /// How many images the page draws (a scanned page is an image and no text).
    pub images: usize,
}

/// Why a PDF could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    /// The file is encrypted and needs a password.
    Encrypted,
    /// The file is not a PDF the library can parse (cut off, corrupted); the library's words.
    Damaged(String),
    /// The time limit was reached before this page (from 1).
    Time {
        /// The page not read.
        page: u32,
        /// The limit, in seconds.
        seconds: u64,
    },
    /// More characters than the limit, counted up to this page (from 1).
    Glyphs {
        /// The page where the count passed the limit.
        page: u32,
        /// The limit.
        limit: usize,
    },
    /// The library gave up on a page (a panic inside it is caught and reported here too).
    Page {
        /// The page, from 1.
        page: u32,
        /// The library's words.
        detail: String,
    },
}

/// Reads the pages of a PDF.
pub trait PdfBackend {
    /// Every page of the document, in order.
    fn pages(&self, bytes: &[u8]) -> Result<Vec<PageLayout>, BackendError>;
}

/// The `pdfplumber` crate: tables from visible ruling lines (its `Lattice` strategy), within
/// the limits (pages, Form XObject depth, stream bytes; the time, between pages). The library's
/// own bounds are not enough on hostile files: [`super::read_pdf_limited`] walks the file
/// first (`pdf::guard`).
#[derive(Debug, Clone, Default)]
pub struct Plumber {
    /// What the read may spend.
    pub limits: crate::Limits,
}

impl PdfBackend for Plumber {
    fn pages(&self, bytes: &[u8]) -> Result<Vec<PageLayout>, BackendError> {
        // The library is young: a panic inside it must not take the caller down.
        catch_unwind(AssertUnwindSafe(|| read_with_plumber(bytes, &self.limits))).unwrap_or_else(
            |p| {
                Err(BackendError::Damaged(format!(
                    "the PDF library failed: {}",
                    panic_text(&p)
                )))
            },
        )
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

fn read_with_plumber(
    bytes: &[u8],
    limits: &crate::Limits,
) -> Result<Vec<PageLayout>, BackendError> {
    use pdfplumber::{
        ExplicitLines, ExtractOptions, Orientation, Pdf, PdfErrorKind, TableSettings,
    };
    let started = std::time::Instant::now();
    let max_pages = limits.pages;
    let options = ExtractOptions {
        collect_warnings: false,
        max_pages: Some(max_pages),
        max_input_bytes: Some(limits.input_bytes),
        max_stream_bytes: limits.decompressed_bytes,
        max_recursion_depth: limits
            .depth
            .min(ExtractOptions::default().max_recursion_depth),
        max_total_objects: Some(limits.glyphs.saturating_mul(4)),
        ..ExtractOptions::default()
    };
    let pdf = Pdf::open_bytes(bytes, Some(options)).map_err(|e| match e.kind() {
        PdfErrorKind::PasswordRequired | PdfErrorKind::InvalidPassword => BackendError::Encrypted,
        _ => BackendError::Damaged(e.to_string()),
    })?;
    if pdf.page_count() > max_pages {
        return Err(BackendError::Damaged(format!(
            "{} pages: more than {max_pages}",
            pdf.page_count()
        )));
    }
    let mut pages = Vec::with_capacity(pdf.page_count());
    let mut glyph_count = 0usize;
    for (i, page) in pdf.pages().into_iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if started.elapsed() > limits.time {
            return Err(BackendError::Time {
                page: number,
                seconds: limits.time.as_secs(),
            });
        }
        let page = page.map_err(|e| match e.kind() {
            PdfErrorKind::PasswordRequired | PdfErrorKind::InvalidPassword => {
                BackendError::Encrypted
            }
            _ => BackendError::Page {
                page: number,
                detail: e.to_string(),
            },
        })?;
        let rect = |b: &pdfplumber::BBox| Rect {
            x0: b.x0,
            top: b.top,
            x1: b.x1,
            bottom: b.bottom,
        };
        glyph_count = glyph_count.saturating_add(page.chars().len());
        if glyph_count > limits.glyphs {
            return Err(BackendError::Glyphs {
                page: number,
                limit: limits.glyphs,
            });
        }
        let glyphs = page
            .chars()
            .iter()
            .filter(|c| c.upright)
            .map(|c| Glyph {
                text: c.text.clone(),
                bbox: rect(&c.bbox),
                size: c.size,
            })
            .collect();
        // A table broken over pages loses its ruling line at the break: the rows at the top and
        // the bottom of the page have their sides but no line above or below. Closing the
        // vertical rulings with a horizontal line where they start and end restores those rows
        // (and a merged cell that runs over the break becomes one cell on each page).
        let (mut top, mut bottom) = (f64::INFINITY, f64::NEG_INFINITY);
        for e in page.edges() {
            if e.orientation == Orientation::Vertical {
                top = top.min(e.top);
                bottom = bottom.max(e.bottom);
            }
        }
        let settings = TableSettings {
            explicit_lines: (top < bottom).then(|| ExplicitLines {
                horizontal_lines: vec![top, bottom],
                vertical_lines: Vec::new(),
            }),
            ..TableSettings::default()
        };
        let mut tables: Vec<TableLayout> = page
            .find_tables(&settings)
            .iter()
            .map(|t| TableLayout {
                bbox: rect(&t.bbox),
                rows: t
                    .rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .filter(|c| c.text.is_some())
                            .map(|c| rect(&c.bbox))
                            .collect::<Vec<_>>()
                    })
                    .filter(|r| !r.is_empty())
                    .collect(),
            })
            .collect();
        tables.sort_by(|a, b| a.bbox.top.total_cmp(&b.bbox.top));
        pages.push(PageLayout {
            number,
            width: page.width(),
            height: page.height(),
            glyphs,
            tables,
            images: page.images().len(),
        });
    }
    Ok(pages)
}
