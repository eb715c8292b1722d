//! 批量审核 — `check --keep-going`: review every form of a batch, one file at a time, and say
//! for each what was read or why it could not be.
//!
//! This module owns the batch use case: walking the given paths ([`walk`]), reading each file
//! by content as [`crate::parse_form`] does (text, CSV, XLSX, JSON, PDF), reviewing what reads, and
//! the typed results ([`BatchReport`], [`FileCheck`], [`BatchSummary`]). It prints nothing:
//! its text and JSON are the CLI's (`jixiao_cli::render::{batch, batch_json}`).
//!
//! **Invariants**
//! - One bad file never stops the batch: every failure to read becomes that file's
//!   [`FileOutcome::Unreadable`], with the first positioned diagnostics (Chinese, then English).
//! - Files are taken in the order given; a directory's files in sorted order, recursively.

use std::path::{Path, PathBuf};

use jixiao_form::Diagnostic;
use jixiao_model::Severity;
use jixiao_review::{Policy, Report};

use crate::error::{AppError, Invalid};
use crate::input::Upload;
use crate::message::Message;

/// How many positioned diagnostics an unreadable file reports at most.
pub const MAX_DIAGNOSTICS: usize = 5;

/// 批量审核结果 — the result of checking a batch of files under one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReport {
    /// Policy name.
    pub policy: String,
    /// One result per file, in the order they were taken.
    pub files: Vec<FileCheck>,
}

/// The result of one file of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    /// The file's name (its path, as given or found in a directory).
    pub name: String,
    /// What became of it.
    pub outcome: FileOutcome,
    /// What the reader said of a file it read — how a number not written plainly was read,
    /// what was dropped or guessed (warnings and notes, as `import` shows them).
    pub reader: Vec<Diagnostic>,
}

/// Read and reviewed, or not readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// 已审核 — the form read; its review (projects, findings, grades).
    Reviewed(Report),
    /// 无法读取 — why the file could not be read.
    Unreadable(Unreadable),
}

/// Why a file could not be read: a message (Chinese and English) and the first positioned
/// diagnostics, when there are any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The reason, in Chinese.
    pub zh: String,
    /// The reason, in English.
    pub en: String,
    /// The first error-level diagnostics (at most [`MAX_DIAGNOSTICS`]), with line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// How many error-level diagnostics there were in all.
    pub total_diagnostics: usize,
}

/// 汇总 — the counts over a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Files taken.
    pub files: usize,
    /// Files read and reviewed.
    pub read: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Projects found in the files read.
    pub projects: usize,
    /// Findings of severity error (错误).
    pub errors: usize,
    /// Findings of severity warning (警告).
    pub warnings: usize,
    /// Findings of severity info (提示).
    pub infos: usize,
}

impl BatchReport {
    /// The counts over the batch.
    pub fn summary(&self) -> BatchSummary {
        let mut s = BatchSummary {
            files: self.files.len(),
            ..BatchSummary::default()
        };
        for f in &self.files {
            match &f.outcome {
                FileOutcome::Reviewed(r) => {
                    s.read += 1;
                    s.projects += r.projects.len();
                    s.errors += r.count(Severity::Error);
                    s.warnings += r.count(Severity::Warning);
                    s.infos += r.count(Severity::Info);
                }
                FileOutcome::Unreadable(_) => s.unreadable += 1,
            }
        }
        s
    }

    /// The CLI exit status of the batch: 2 when any file could not be read, else 1 when any
    /// finding is an error, else 0.
    pub fn exit_status(&self) -> u8 {
        let s = self.summary();
        if s.unreadable > 0 {
            2
        } else if s.errors > 0 {
            1
        } else {
            0
        }
    }
}

/// The files to check: each path as given, a directory's files recursively in sorted order
/// (by file name at each level). A path that does not exist is kept, so that its result says
/// so; a directory that cannot be listed is kept as itself, and its result says why. A
/// symbolic link to a directory found inside a directory is not followed (no loops); it is
/// kept, and its result says so.
pub fn walk(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk_dir(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk_dir(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => {
            out.push(dir.to_path_buf());
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for c in children {
        if c.is_dir() && !c.is_symlink() {
            walk_dir(&c, out);
        } else {
            out.push(c);
        }
    }
}

/// 批量审核 of local files: [`walk`]s the paths, reads and reviews each file.
pub fn check_paths(paths: &[PathBuf], policy: &Policy) -> BatchReport {
    check_files(&walk(paths), policy)
}

/// 批量审核 of files already [`walk`]ed: each is read as it is (a directory is not walked again;
/// its result says it could not be read).
pub fn check_files(files: &[PathBuf], policy: &Policy) -> BatchReport {
    let files = files
        .iter()
        .map(|p| match read_file(p) {
            Ok(upload) => check_upload(&upload, policy),
            Err(e) => FileCheck {
                name: p.display().to_string(),
                outcome: FileOutcome::Unreadable(unreadable(&e)),
                reader: Vec::new(),
            },
        })
        .collect();
    BatchReport {
        policy: policy.name.clone(),
        files,
    }
}

/// 批量审核 of uploads (a web batch has no paths).
pub fn check_uploads(uploads: &[Upload], policy: &Policy) -> BatchReport {
    BatchReport {
        policy: policy.name.clone(),
        files: uploads.iter().map(|u| check_upload(u, policy)).collect(),
    }
}

/// Reads and reviews one file of a batch; never fails, an unreadable file is a result.
pub fn check_upload(upload: &Upload, policy: &Policy) -> FileCheck {
    let (outcome, reader) = match crate::check_form(upload, policy) {
        Ok((parsed, report)) => (FileOutcome::Reviewed(report), parsed.diagnostics),
        Err(e) => (FileOutcome::Unreadable(unreadable(&e)), Vec::new()),
    };
    FileCheck {
        name: upload.name.clone(),
        outcome,
        reader,
    }
}

fn read_file(path: &Path) -> Result<Upload, AppError> {
    if path.is_dir() {
        let name = path.display().to_string();
        return Err(if path.is_symlink() {
            AppError::invalid(Message::SymlinkToDirectory { path: name })
        } else {
            AppError::invalid(Message::CannotListDirectory { path: name })
        });
    }
    Upload::read(path)
}

fn unreadable(e: &AppError) -> Unreadable {
    match e {
        AppError::Invalid(Invalid::Form(f)) => {
            let errors: Vec<&Diagnostic> = f.errors().collect();
            let first = errors.first();
            Unreadable {
                zh: first.map_or_else(|| "无法读取".to_string(), |d| d.zh.clone()),
                en: first.map_or_else(|| "cannot be read".to_string(), |d| d.en.clone()),
                total_diagnostics: errors.len(),
                diagnostics: errors
                    .iter()
                    .take(MAX_DIAGNOSTICS)
                    .map(|d| (*d).clone())
                    .collect(),
            }
        }
        other => Unreadable {
            zh: other.text(jixiao_model::Lang::Zh),
            en: other.text(jixiao_model::Lang::En),
            diagnostics: Vec::new(),
            total_diagnostics: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        crate::builtin_review_policy("central").unwrap()
    }

    #[test]
    fn a_damaged_pdf_is_unreadable_and_the_batch_goes_on() {
        let seed = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/seed_2024_shanghai.txt"),
        )
        .unwrap();
        let uploads = [
            Upload::new("a.pdf", b"%PDF-1.7\n...".to_vec()),
            Upload::new("seed.txt", seed),
            Upload::new("junk.bin", vec![0u8, 159, 146, 150, 255, 0, 1]),
        ];
        let r = check_uploads(&uploads, &policy());
        assert_eq!(r.files.len(), 3);
        match &r.files[0].outcome {
            FileOutcome::Unreadable(u) => assert!(u.en.contains("PDF is damaged"), "{u:?}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(r.files[1].outcome, FileOutcome::Reviewed(_)));
        assert!(matches!(r.files[2].outcome, FileOutcome::Unreadable(_)));
        let s = r.summary();
        assert_eq!((s.files, s.read, s.unreadable), (3, 1, 2));
        assert_eq!(s.projects, 2);
        assert_eq!(r.exit_status(), 2);
    }

    #[test]
    fn walk_sorts_and_descends() {
        let dir = std::env::temp_dir().join(format!("jixiao-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b/sub")).unwrap();
        for f in ["c.txt", "a.txt", "b/sub/z.txt", "b/y.txt"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let got: Vec<String> = walk(&[dir.clone(), dir.join("missing")])
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(got, ["a.txt", "b/sub/z.txt", "b/y.txt", "c.txt", "missing"]);
        // A link back up the tree is kept as an entry, not followed.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&dir, dir.join("b/loop")).unwrap();
            let files = walk(std::slice::from_ref(&dir));
            assert_eq!(files.len(), 5);
            assert!(files[1].ends_with("b/loop"), "{files:?}");
            let r = check_files(&files[1..2], &policy());
            match &r.files[0].outcome {
                FileOutcome::Unreadable(u) => assert!(u.en.contains("not followed"), "{u:?}"),
                other => panic!("{other:?}"),
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
