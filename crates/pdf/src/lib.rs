//! # jixiao-pdf — the year's documents as PDF, A4, with correct Chinese
//!
//! A leaf crate (typst is heavy: only the front ends, the CLI and the web server, depend on it). Each document is generated as
//! typst markup from the typed views — every user string written as a typst **string
//! literal**, so `#`, `$`, `*`, `[`, `\` in a project name are text, never markup — and typeset
//! with typst as a library ([`typst_as_lib`], no package or network features: nothing is
//! fetched at run time), then written as PDF by `typst-pdf`.
//!
//! | function | document | page |
//! |---|---|---|
//! | [`declarations_pdf`] | 财政项目支出绩效目标申报表; several: the unit's 汇总表, each declaration from a new page | A4 portrait |
//! | [`summary_pdf`] | 项目绩效目标汇总表 (the unit summary or department roll-up, [`UnitSummary`]) | A4 landscape |
//! | [`monitoring_pdf`] | 项目支出绩效运行监控表, with the progress-by-sub-task and budget-execution charts | A4 landscape |
//! | [`self_evaluation_pdf`] | 项目支出绩效自评表, with the score-by-一级 chart | A4 landscape |
//!
//! Every page says `第 1 页 / 共 N 页`; table headers repeat on every page a table runs over;
//! 一级/二级 are merged cells (rowspan) over their blocks; amounts are printed as on the form
//! (`9,028,372.00`), dates as `2024年6月30日` ([`jixiao_model::present`]).
//!
//! **Fonts** are passed in as bytes ([`Fonts`]): [`Fonts::system`] finds Noto Sans CJK (and
//! Noto Serif CJK when there) in the usual font folders — Debian's `fonts-noto-cjk`; a missing
//! font is [`PdfError::FontMissing`], naming the package. Body text is set in Noto Serif CJK
//! SC (the forms' 宋体 look), headings and labels in Noto Sans CJK SC.
//!
//! The `*_markup` functions return the typst source (pure; tested for escaping); the `*_pdf`
//! functions typeset it. Output is deterministic (no timestamp in the PDF).
#![deny(missing_docs)]

mod fonts;
mod markup;

pub use fonts::{Fonts, FONT_PACKAGE};
pub use markup::{declarations_markup, monitoring_markup, self_evaluation_markup, summary_markup};

use jixiao_evaluate::SelfEvaluation;
use jixiao_model::Form;
use jixiao_report::{MonitoredProject, UnitSummary};

/// Why a PDF could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No Chinese font was found.
    #[error(
        "找不到中文字体 Noto Sans CJK SC：请安装 {package} 软件包（Debian/Ubuntu：apt-get install {package}），或用环境变量 JIXIAO_FONT_DIR 指明字体目录；已查找：{searched} / \
         the Chinese font Noto Sans CJK SC was not found: install the {package} package (Debian/Ubuntu: apt-get install {package}) or name a font folder in JIXIAO_FONT_DIR; searched: {searched}"
    )]
    FontMissing {
        /// The package that provides it (`fonts-noto-cjk`).
        package: &'static str,
        /// The folders searched, `:`-separated.
        searched: String,
    },
    /// A font file could not be read or holds no font.
    #[error("字体文件 {path} 无法读取：{reason} / cannot read the font file {path}: {reason}")]
    Font {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// typst refused the generated document (a bug of this crate: the markup is generated).
    #[error("PDF 排版失败：{0} / typesetting the PDF failed: {0}")]
    Typeset(String),
}

impl PdfError {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            PdfError::FontMissing { package, searched } => format!(
                "找不到中文字体 Noto Sans CJK SC：请安装 {package} 软件包（Debian/Ubuntu：apt-get install {package}），或用环境变量 JIXIAO_FONT_DIR 指明字体目录；已查找：{searched}"
            ),
            PdfError::Font { path, reason } => format!("字体文件 {path} 无法读取：{reason}"),
            PdfError::Typeset(m) => format!("PDF 排版失败：{m}"),
        }
    }

    /// The message in English.
    pub fn en(&self) -> String {
        match self {
            PdfError::FontMissing { package, searched } => format!(
                "the Chinese font Noto Sans CJK SC was not found: install the {package} package (Debian/Ubuntu: apt-get install {package}) or name a font folder in JIXIAO_FONT_DIR; searched: {searched}"
            ),
            PdfError::Font { path, reason } => format!("cannot read the font file {path}: {reason}"),
            PdfError::Typeset(m) => format!("typesetting the PDF failed: {m}"),
        }
    }
}

/// Typesets typst `source` with `fonts` and writes the PDF.
pub fn render(source: &str, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    use typst_as_lib::TypstEngine;
    let engine = TypstEngine::builder()
        .main_file(source.to_string())
        .fonts(fonts.faces())
        .build();
    let doc: typst_layout::PagedDocument = engine
        .compile()
        .output
        .map_err(|e| PdfError::Typeset(describe(&e)))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|diags| {
        PdfError::Typeset(
            diags
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

fn describe(e: &typst_as_lib::TypstAsLibError) -> String {
    match e {
        typst_as_lib::TypstAsLibError::TypstSource(diags) => diags
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// 财政项目支出绩效目标申报表 of every declaration of `form`, one after another (a unit's 汇总表
/// when several: the form's title first, each declaration from a new page). A4 portrait.
pub fn declarations_pdf(form: &Form, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render(&declarations_markup(form), fonts)
}

/// 项目绩效目标汇总表 — the unit summary or department roll-up. A4 landscape.
pub fn summary_pdf(s: &UnitSummary, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render(&summary_markup(s), fonts)
}

/// 项目支出绩效运行监控表 of each project, each from a new page, with its charts. A4 landscape.
pub fn monitoring_pdf(items: &[MonitoredProject], fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render(&monitoring_markup(items), fonts)
}

/// 项目支出绩效自评表 of each project, each from a new page, with its chart. A4 landscape.
pub fn self_evaluation_pdf(items: &[SelfEvaluation], fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render(&self_evaluation_markup(items), fonts)
}
