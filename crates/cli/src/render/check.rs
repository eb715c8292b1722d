//! `jixiao check`: the result of `--keep-going` as text and as JSON (`jixiao-batch/1`), and
//! the JSON of one form's review with what the reader said of it.

use std::fmt::Write;

use jixiao_app::{BatchReport, Diagnostic, DiagnosticLevel, ReviewReport};
use jixiao_model::Lang;

/// The result of `check --keep-going`: a block per file (projects with their grade and
/// findings by severity, or why the file could not be read, with its first positioned
/// diagnostics in Chinese and English), then the summary.
pub fn batch(report: &BatchReport, lang: Lang) -> String {
    use jixiao_app::FileOutcome;
    use jixiao_model::Severity::{Error, Info, Warning};
    let mut s = String::new();
    let n = report.files.len();
    let _ = match lang {
        Lang::Zh => writeln!(s, "批量审核（审核规则 {}）\n", report.policy),
        Lang::En => writeln!(s, "Batch review (policy {})\n", report.policy),
    };
    for (i, f) in report.files.iter().enumerate() {
        let k = i + 1;
        match &f.outcome {
            FileOutcome::Reviewed(r) => {
                let (e, w, inf) = (r.count(Error), r.count(Warning), r.count(Info));
                let _ = match lang {
                    Lang::Zh => writeln!(
                        s,
                        "[{k}/{n}] {}：项目 {} 个；错误 {e} 项，警告 {w} 项，提示 {inf} 项",
                        f.name,
                        r.projects.len()
                    ),
                    Lang::En => writeln!(
                        s,
                        "[{k}/{n}] {}: {} project(s); {e} error(s), {w} warning(s), {inf} info",
                        f.name,
                        r.projects.len()
                    ),
                };
                for d in &f.reader {
                    let _ = writeln!(s, "    {}", d.render_lang(&f.name, lang == Lang::En));
                }
                for p in &r.projects {
                    let (e, w, inf) = (p.count(Error), p.count(Warning), p.count(Info));
                    let _ = match lang {
                        Lang::Zh => writeln!(
                            s,
                            "    {}：等级 {}（{} 分）；错误 {e}，警告 {w}，提示 {inf}",
                            p.name,
                            p.grade.zh(),
                            p.score
                        ),
                        Lang::En => writeln!(
                            s,
                            "    {}: grade {} ({} points); {e} error(s), {w} warning(s), {inf} info",
                            p.name,
                            p.grade.en(),
                            p.score
                        ),
                    };
                }
            }
            FileOutcome::Unreadable(u) => {
                let _ = match lang {
                    Lang::Zh => writeln!(s, "[{k}/{n}] {}：无法读取", f.name),
                    Lang::En => writeln!(s, "[{k}/{n}] {}: unreadable", f.name),
                };
                if u.diagnostics.is_empty() {
                    let _ = writeln!(s, "    {}\n    {}", u.zh, u.en);
                }
                for d in &u.diagnostics {
                    let at = d.place(&f.name);
                    let _ = writeln!(s, "    {at}: 错误: {}\n    {at}: error: {}", d.zh, d.en);
                }
                let more = u.total_diagnostics.saturating_sub(u.diagnostics.len());
                if more > 0 {
                    let _ = match lang {
                        Lang::Zh => writeln!(s, "    ……另有 {more} 处错误"),
                        Lang::En => writeln!(s, "    … and {more} more error(s)"),
                    };
                }
            }
        }
    }
    let m = report.summary();
    let _ = match lang {
        Lang::Zh => writeln!(
            s,
            "\n汇总：文件 {} 个，已读取 {} 个，无法读取 {} 个；项目 {} 个；错误 {} 项，警告 {} 项，提示 {} 项",
            m.files, m.read, m.unreadable, m.projects, m.errors, m.warnings, m.infos
        ),
        Lang::En => writeln!(
            s,
            "\nSummary: {} file(s), {} read, {} unreadable; {} project(s); {} error(s), {} warning(s), {} info",
            m.files, m.read, m.unreadable, m.projects, m.errors, m.warnings, m.infos
        ),
    };
    s
}

/// A reader's diagnostic in JSON: `level` (`error`, `warning`, `info`), position, messages.
#[derive(serde::Serialize)]
pub struct ReaderNote<'a> {
    level: &'static str,
    /// The PDF page; `line` and `column` are then the row and column on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    line: u32,
    column: u32,
    message_zh: &'a str,
    message_en: &'a str,
}

impl<'a> From<&'a Diagnostic> for ReaderNote<'a> {
    fn from(d: &'a Diagnostic) -> ReaderNote<'a> {
        ReaderNote {
            level: match d.level {
                DiagnosticLevel::Error => "error",
                DiagnosticLevel::Warning => "warning",
                _ => "info",
            },
            page: d.page,
            line: d.line,
            column: d.column,
            message_zh: &d.zh,
            message_en: &d.en,
        }
    }
}

/// `check --format json` of one form: the review's JSON with the reader's diagnostics under
/// `reader` (how numbers not written plainly were read, what was dropped), as `import` says.
pub fn check_json(report: &ReviewReport, reader: &[Diagnostic]) -> String {
    let json = report.to_json_string();
    let notes: Vec<ReaderNote> = reader.iter().map(ReaderNote::from).collect();
    let Ok(notes) = serde_json::to_string_pretty(&notes) else {
        return json;
    };
    // The report's keys stay in their order; `reader` comes last.
    let Some(body) = json.trim_end().strip_suffix('}') else {
        return json;
    };
    let notes = notes.replace('\n', "\n  ");
    format!("{},\n  \"reader\": {notes}\n}}\n", body.trim_end())
}

/// The JSON of `check --keep-going --format json` (format `jixiao-batch/1`, documented in
/// `docs/review-json.md`), pretty, ending with a newline.
pub fn batch_json(report: &BatchReport) -> String {
    let mut s = serde_json::to_string_pretty(&batch_json::Batch::from(report))
        .unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

mod batch_json {
    use jixiao_model::{Finding, Grade, Severity};
    use serde::Serialize;

    use jixiao_app::{BatchReport, FileOutcome};

    #[derive(Serialize)]
    pub(super) struct Batch<'a> {
        format: &'static str,
        policy: &'a str,
        files: Vec<File<'a>>,
        summary: Summary,
    }

    #[derive(Serialize)]
    struct File<'a> {
        file: &'a str,
        status: &'static str,
        findings: Counts,
        projects: Vec<Project<'a>>,
        error: Option<Error<'a>>,
        /// What the reader said of the file (warnings, notes).
        reader: Vec<super::ReaderNote<'a>>,
    }

    #[derive(Serialize)]
    struct Project<'a> {
        name: &'a str,
        grade: Grade,
        score: i64,
        counts: Counts,
        findings: &'a [Finding],
    }

    #[derive(Serialize)]
    struct Error<'a> {
        message_zh: &'a str,
        message_en: &'a str,
        diagnostics: Vec<Diag<'a>>,
        total_diagnostics: usize,
    }

    #[derive(Serialize)]
    struct Diag<'a> {
        /// The PDF page; `line` and `column` are then the row and column on it.
        #[serde(skip_serializing_if = "Option::is_none")]
        page: Option<u32>,
        line: u32,
        column: u32,
        message_zh: &'a str,
        message_en: &'a str,
    }

    #[derive(Serialize, Default)]
    struct Counts {
        error: usize,
        warning: usize,
        info: usize,
    }

    #[derive(Serialize)]
    struct Summary {
        files: usize,
        read: usize,
        unreadable: usize,
        projects: usize,
        findings: Counts,
        exit_status: u8,
    }

    impl<'a> From<&'a BatchReport> for Batch<'a> {
        fn from(r: &'a BatchReport) -> Batch<'a> {
            let files = r
                .files
                .iter()
                .map(|f| match &f.outcome {
                    FileOutcome::Reviewed(rep) => File {
                        file: &f.name,
                        status: "reviewed",
                        findings: Counts {
                            error: rep.count(Severity::Error),
                            warning: rep.count(Severity::Warning),
                            info: rep.count(Severity::Info),
                        },
                        projects: rep
                            .projects
                            .iter()
                            .map(|p| Project {
                                name: &p.name,
                                grade: p.grade,
                                score: p.score,
                                counts: Counts {
                                    error: p.count(Severity::Error),
                                    warning: p.count(Severity::Warning),
                                    info: p.count(Severity::Info),
                                },
                                findings: &p.findings,
                            })
                            .collect(),
                        error: None,
                        reader: f.reader.iter().map(super::ReaderNote::from).collect(),
                    },
                    FileOutcome::Unreadable(u) => File {
                        reader: Vec::new(),
                        file: &f.name,
                        status: "unreadable",
                        findings: Counts::default(),
                        projects: Vec::new(),
                        error: Some(Error {
                            message_zh: &u.zh,
                            message_en: &u.en,
                            diagnostics: u
                                .diagnostics
                                .iter()
                                .map(|d| Diag {
                                    page: d.page,
                                    line: d.line,
                                    column: d.column,
                                    message_zh: &d.zh,
                                    message_en: &d.en,
                                })
                                .collect(),
                            total_diagnostics: u.total_diagnostics,
                        }),
                    },
                })
                .collect();
            let m = r.summary();
            Batch {
                format: "jixiao-batch/1",
                policy: &r.policy,
                files,
                summary: Summary {
                    files: m.files,
                    read: m.read,
                    unreadable: m.unreadable,
                    projects: m.projects,
                    findings: Counts {
                        error: m.errors,
                        warning: m.warnings,
                        info: m.infos,
                    },
                    exit_status: r.exit_status(),
                },
            }
        }
    }
}
