//! # jixiao-app — the use cases
//!
//! This crate owns what a user can do, independent of how they ask: read a form, import
//! forms, list and show projects, export, review (`check`), record actuals and spending,
//! monitor and evaluate. Both front ends (`jixiao` CLI, and the web server to come) call this
//! API and nothing below it.
//!
//! **Invariants**
//! - Input is fully read and validated before the database is touched: a bad file changes
//!   nothing, and several files import all together or not at all.
//! - Errors carry Chinese and English text and the position (file:line:column) they are about.
//! - Rendering for people (`render`) is here; the formats of files are in `jixiao-form`.
#![deny(missing_docs)]

pub mod render;

use std::path::Path;

use jixiao_evaluate as evaluate;
use jixiao_form::{FormError, Parsed};
use jixiao_model::{Form, NaiveDate, Observation, Project, ProjectKey};
pub use jixiao_store::{ImportSummary, ProjectSummary, Store, StoreError};

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// An input file is malformed (diagnostics with positions).
    #[error(transparent)]
    Form(#[from] FormError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("{path}: 无法读取或写入文件 / cannot read or write the file")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Bad input that is not a form: message in Chinese, then English.
    #[error("{zh}\n{en}")]
    Input {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
}

impl AppError {
    /// True when the user's input is at fault (exit status 2), not the system.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            AppError::Form(_)
                | AppError::Input { .. }
                | AppError::Io { .. }
                | AppError::Store(StoreError::UnsupportedUrl(_))
        )
    }

    fn input(zh: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::Input {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Reads a form file of any supported format, without a database.
pub fn parse_file(path: &Path) -> Result<Parsed, AppError> {
    let bytes = std::fs::read(path).map_err(|source| AppError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(jixiao_form::read_form(&path.display().to_string(), &bytes)?)
}

/// The application: a store and the use cases over it.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
}

impl App {
    /// Opens the database (a SQLite path or a `postgres://` URL), creating it when needed.
    pub async fn open(db: &str) -> Result<App, AppError> {
        if !db.contains("://") && !db.starts_with("sqlite:") {
            if let Some(dir) = Path::new(db).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| AppError::Io {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
        }
        Ok(App {
            store: Store::open(db).await?,
        })
    }

    /// The store, for the front ends' read-only needs.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Imports files: all are read first; if any is malformed nothing is imported.
    pub async fn import_files(
        &self,
        paths: &[&Path],
    ) -> Result<(ImportSummary, Vec<(String, Parsed)>), AppError> {
        let mut parsed = Vec::with_capacity(paths.len());
        for p in paths {
            parsed.push((p.display().to_string(), parse_file(p)?));
        }
        let forms: Vec<(&str, &Form)> = parsed.iter().map(|(n, p)| (n.as_str(), &p.form)).collect();
        let summary = self.store.import_all(&forms).await?;
        Ok((summary, parsed))
    }

    /// The current projects.
    pub async fn list(&self) -> Result<Vec<ProjectSummary>, AppError> {
        Ok(self.store.list().await?)
    }

    /// The one current project named `name` (of `year`, when given); an error when there is
    /// none or several.
    pub async fn project(&self, name: &str, year: Option<i32>) -> Result<Project, AppError> {
        let mut found = self.store.find(name, year).await?;
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(AppError::input(
                format!(
                    "未找到项目「{name}」{}；用 `jixiao list` 查看已导入的项目",
                    year.map_or(String::new(), |y| format!("（{y}年度）"))
                ),
                format!(
                    "no project named {name:?}{}; `jixiao list` shows the imported projects",
                    year.map_or(String::new(), |y| format!(" in {y}"))
                ),
            )),
            _ => {
                let which: Vec<String> = found
                    .iter()
                    .map(|p| format!("{}年度 {}", p.year, p.unit))
                    .collect();
                Err(AppError::input(
                    format!(
                        "有 {} 个项目名为「{name}」（{}）；请用 --year 指明",
                        found.len(),
                        which.join("；")
                    ),
                    format!(
                        "{} projects are named {name:?} ({}); give --year",
                        found.len(),
                        which.join("; ")
                    ),
                ))
            }
        }
    }

    /// Every current project as one canonical form.
    pub async fn export(&self) -> Result<Form, AppError> {
        Ok(self.store.export().await?)
    }

    /// All versions of a project.
    pub async fn versions(&self, key: &ProjectKey) -> Result<Vec<(i64, bool, Project)>, AppError> {
        Ok(self.store.versions(key).await?)
    }
}

/// 绩效运行监控与自评 — the use cases over actuals.
impl App {
    /// One named project, or every current project (of a year).
    pub async fn projects(
        &self,
        name: Option<&str>,
        year: Option<i32>,
    ) -> Result<Vec<Project>, AppError> {
        if let Some(name) = name {
            return Ok(vec![self.project(name, year).await?]);
        }
        let selected: Vec<Project> = self
            .export()
            .await?
            .projects
            .into_iter()
            .filter(|p| year.is_none_or(|y| p.year == y))
            .collect();
        if selected.is_empty() {
            return Err(AppError::input(
                format!(
                    "没有{}项目；先用 jixiao import 导入申报表",
                    year.map_or(String::new(), |y| format!(" {y} 年度的"))
                ),
                format!(
                    "no projects{}; import a form first",
                    year.map_or(String::new(), |y| format!(" of {y}"))
                ),
            ));
        }
        Ok(selected)
    }

    /// Validates rows of actual values (header first) against the current projects and records
    /// them all, or none. Returns how many observations were recorded.
    /// `only` restricts the rows to one project (as `jixiao actuals set` does).
    pub async fn record_actual_rows(
        &self,
        source: &str,
        rows: &[evaluate::Row],
        only: Option<&Project>,
        policy: &evaluate::Policy,
    ) -> Result<usize, AppError> {
        let projects = match only {
            Some(p) => vec![p.clone()],
            None => self.export().await?.projects,
        };
        let parsed = evaluate::parse_actual_rows(rows, &projects, policy)
            .map_err(|e| rows_error(source, e))?;
        let keyed: Vec<_> = parsed
            .into_iter()
            .map(|a| (a.project, a.observation))
            .collect();
        self.store.add_observations(&keyed).await?;
        Ok(keyed.len())
    }

    /// Validates rows of spending (header first) and records them all, or none.
    pub async fn record_spending_rows(
        &self,
        source: &str,
        rows: &[evaluate::Row],
    ) -> Result<usize, AppError> {
        let projects = self.export().await?.projects;
        let parsed =
            evaluate::parse_spending_rows(rows, &projects).map_err(|e| rows_error(source, e))?;
        let keyed: Vec<_> = parsed.into_iter().map(|s| (s.project, s.record)).collect();
        self.store.add_spending(&keyed).await?;
        Ok(keyed.len())
    }

    /// The observations of a project.
    pub async fn observations(&self, p: &Project) -> Result<Vec<Observation>, AppError> {
        Ok(self.store.observations(&p.key()).await?)
    }

    /// 绩效运行监控 of a project as of a date.
    pub async fn monitor(
        &self,
        p: &Project,
        as_of: NaiveDate,
        policy: &evaluate::Policy,
    ) -> Result<evaluate::Monitoring, AppError> {
        let (obs, spend) = (
            self.store.observations(&p.key()).await?,
            self.store.spending(&p.key()).await?,
        );
        evaluate::monitor(p, &obs, &spend, as_of, policy, &Default::default()).map_err(|e| {
            AppError::input(
                format!("{}：{e}", p.name),
                format!("{}: cannot monitor ({e})", p.name),
            )
        })
    }

    /// 绩效自评 of a project: the 自评表.
    pub async fn evaluate(
        &self,
        p: &Project,
        policy: &evaluate::Policy,
    ) -> Result<evaluate::SelfEvaluation, AppError> {
        let (obs, spend) = (
            self.store.observations(&p.key()).await?,
            self.store.spending(&p.key()).await?,
        );
        evaluate::evaluate(p, &obs, &spend, policy, &Default::default()).map_err(|e| {
            AppError::input(
                format!("{}：{e}", p.name),
                format!("{}: cannot evaluate ({e})", p.name),
            )
        })
    }
}

fn rows_error(source: &str, e: evaluate::Error) -> AppError {
    AppError::input(
        format!("{source}: {e}\n未录入任何数据。"),
        format!("{source}: nothing was recorded."),
    )
}
