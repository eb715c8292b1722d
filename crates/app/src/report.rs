//! 报表 — the reports of the year as files: the declarations (申报表 / a unit's 汇总表 of
//! declarations, [`jixiao_form::form_to_xlsx`]), the 项目绩效目标汇总表 view
//! ([`UnitSummary`]), the 监控表 and the 自评表 ([`jixiao_report`]).
//!
//! A selection ([`ReportSelection`]) is one project by name, or the declarations of a year that
//! the actor may read, narrowed to a unit and/or a department. What the actor may not read is
//! not there (as everywhere: another unit's declaration is "not found").

use jixiao_evaluate as evaluate;
use jixiao_model::{Form, NaiveDate, Project};
use jixiao_report::{MonitoredProject, RectificationCounts, SummaryRow, UnitSummary};

use crate::{Actor, App, AppError, Message};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// 财政项目支出绩效目标申报表 — the declarations in the official layout (one after another
    /// for several: the unit's 汇总表 of declarations).
    Declaration,
    /// 项目绩效目标汇总表 — one row per declaration ([`UnitSummary`]).
    Summary,
    /// 项目支出绩效运行监控表, as of a date.
    Monitoring,
    /// 项目支出绩效自评表.
    SelfEvaluation,
}

/// The file format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// XLSX (every report).
    Xlsx,
    /// A self-contained HTML page (the summary).
    Html,
    /// PDF (every report), written by `jixiao_pdf` from [`ReportView`].
    Pdf,
}

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSelection {
    /// One project by name (项目名称).
    pub project: Option<String>,
    /// Only this 实施单位.
    pub unit: Option<String>,
    /// Only this 主管部门.
    pub department: Option<String>,
    /// 年度.
    pub year: i32,
    /// 截至日期: required for the 监控表; gives the summary its progress lights. The 自评表 and
    /// the declarations do not use it.
    pub as_of: Option<NaiveDate>,
    /// Today (the front end's, in the deployment's zone): the day the summary's 整改 counts are
    /// of (逾期 from the day after a deadline); `None` leaves them out.
    pub today: Option<NaiveDate>,
}

impl ReportSelection {
    /// The whole year (every declaration the actor may read).
    pub fn year(year: i32) -> ReportSelection {
        ReportSelection {
            project: None,
            unit: None,
            department: None,
            year,
            as_of: None,
            today: None,
        }
    }

    /// What the summary's title calls the selection.
    fn scope(&self, projects: &[Project]) -> String {
        if let Some(u) = &self.unit {
            return u.trim().to_string();
        }
        if let Some(d) = &self.department {
            return d.trim().to_string();
        }
        match projects {
            [one] => one.unit.clone(),
            _ => {
                let mut units: Vec<&str> = projects.iter().map(|p| p.unit.as_str()).collect();
                units.sort_unstable();
                units.dedup();
                match units.as_slice() {
                    [one] => (*one).to_string(),
                    _ => "全部".to_string(),
                }
            }
        }
    }
}

fn report_error(e: impl std::fmt::Display) -> AppError {
    AppError::invalid(Message::ReportFailed {
        cause: e.to_string(),
    })
}

/// Whether a report exists in a format: XLSX and PDF for every kind, HTML for the summary.
/// Pure, so that a front end can refuse before it opens the database; [`App::report`] checks it
/// too.
pub fn report_format_available(kind: ReportKind, format: ReportFormat) -> Result<(), AppError> {
    match (kind, format) {
        (ReportKind::Summary, _) | (_, ReportFormat::Xlsx | ReportFormat::Pdf) => Ok(()),
        (_, ReportFormat::Html) => Err(AppError::invalid(Message::HtmlSummaryOnly)),
    }
}

/// The typed view of a report, before it is written: what [`App::report`] writes as XLSX or
/// HTML, and what a front end hands to `jixiao_pdf` for a PDF (typst stays out of this crate's
/// dependencies; see `ARCHITECTURE.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportView {
    /// The declarations in form order (a title when several: the unit's 汇总表).
    Declarations(Form),
    /// The 项目绩效目标汇总表 view.
    Summary(UnitSummary),
    /// A 监控表 per declaration, with its declaration and spending (for the charts).
    Monitoring(Vec<MonitoredProject>),
    /// A 自评表 per declaration.
    SelfEvaluation(Vec<evaluate::SelfEvaluation>),
}

/// A declaration's 整改 among `items` (their status on the day they were listed for).
fn rectification_counts(
    items: &[crate::RectificationItem],
    declaration: Option<i64>,
) -> RectificationCounts {
    let mut c = RectificationCounts::default();
    for i in items
        .iter()
        .filter(|i| Some(i.rectification.declaration_id) == declaration)
    {
        if i.status.is_pending() {
            c.open += 1;
        }
        if i.status == jixiao_model::RectificationStatus::Overdue {
            c.overdue += 1;
        }
        if i.status == jixiao_model::RectificationStatus::Done {
            c.done += 1;
        }
    }
    c
}

/// 报表 — the use cases that write the year's reports.
impl App {
    /// The declarations of a selection, in the store's order; [`AppError::NotFound`] when none.
    pub async fn report_projects(
        &self,
        actor: &Actor,
        sel: &ReportSelection,
    ) -> Result<Vec<Project>, AppError> {
        let mut projects = self
            .projects(actor, sel.project.as_deref(), Some(sel.year))
            .await?;
        let same = |a: &str, b: &str| a.trim() == b.trim();
        projects.retain(|p| {
            sel.unit.as_deref().is_none_or(|u| same(&p.unit, u))
                && sel
                    .department
                    .as_deref()
                    .is_none_or(|d| p.department.as_deref().is_some_and(|pd| same(pd, d)))
        });
        if projects.is_empty() {
            return Err(AppError::NotFound(Message::NoReportProjects {
                year: sel.year,
                unit: sel.unit.clone(),
                department: sel.department.clone(),
            }));
        }
        Ok(projects)
    }

    /// 项目绩效目标汇总表 — one row per declaration of the selection: funds, indicator counts,
    /// review grade and findings (under `review_policy`), workflow status, the progress light
    /// as of `sel.as_of` (none without a date), the self-evaluation score, the declaration's
    /// 整改 on `sel.today` (open, overdue, completed; none without a day) and the selection's
    /// cost per output ([`App::cost_per_output`]'s).
    pub async fn unit_summary(
        &self,
        actor: &Actor,
        sel: &ReportSelection,
    ) -> Result<UnitSummary, AppError> {
        let review_policy = &self.policies.review;
        let projects = self.report_projects(actor, sel).await?;
        let statuses = self.list(actor).await?;
        let rectifications = match sel.today {
            Some(day) => Some(
                self.rectifications(actor, &crate::RectificationFilter::default(), day)
                    .await?,
            ),
            None => None,
        };
        let mut rows = Vec::with_capacity(projects.len());
        for p in &projects {
            let status = statuses
                .iter()
                .find(|s| Some(s.id) == p.id)
                .map(|s| s.status)
                .ok_or_else(|| AppError::internal(format!("no status for {:?}", p.name)))?;
            let mut review = jixiao_review::review(&Form::new(vec![p.clone()]), review_policy);
            let review = review
                .projects
                .pop()
                .ok_or_else(|| AppError::internal("a review without its project"))?;
            let monitoring = match sel.as_of {
                Some(d) => Some(self.monitor(actor, p, d).await?),
                None => None,
            };
            let evaluation = self.evaluate(actor, p).await?;
            let mut row =
                SummaryRow::new(p, status, &review, monitoring.as_ref(), Some(&evaluation));
            row.rectifications = rectifications
                .as_deref()
                .map(|items| rectification_counts(items, p.id));
            rows.push(row);
        }
        Ok(UnitSummary {
            year: sel.year,
            scope: sel.scope(&projects),
            as_of: sel.as_of,
            rows,
            rectifications_on: sel.today,
            costs: evaluate::cost_report(&projects),
        })
    }

    /// 成本预算绩效 — cost per output of the selection's declarations (current versions): the
    /// funds of each sub-task (as the form allocates them, else shared, which each figure
    /// says) ÷ its quantitative outputs, and the outputs of several units compared
    /// ([`jixiao_evaluate::cost_report`]).
    pub async fn cost_per_output(
        &self,
        actor: &Actor,
        sel: &ReportSelection,
    ) -> Result<evaluate::CostReport, AppError> {
        let projects = self.report_projects(actor, sel).await?;
        Ok(evaluate::cost_report(&projects))
    }

    /// The typed view of a report of a selection (what every format writes).
    pub async fn report_view(
        &self,
        actor: &Actor,
        kind: ReportKind,
        sel: &ReportSelection,
    ) -> Result<ReportView, AppError> {
        Ok(match kind {
            ReportKind::Declaration => {
                let projects = self.report_projects(actor, sel).await?;
                let mut form = Form::new(projects);
                if form.projects.len() > 1 {
                    form.title = Some(format!("项目绩效目标汇总表（{}年度）", sel.year));
                }
                ReportView::Declarations(form)
            }
            ReportKind::Summary => ReportView::Summary(self.unit_summary(actor, sel).await?),
            ReportKind::Monitoring => {
                let Some(as_of) = sel.as_of else {
                    return Err(AppError::invalid(Message::MonitoringNeedsDate));
                };
                let mut tables = Vec::new();
                for p in self.report_projects(actor, sel).await? {
                    let monitoring = self.monitor(actor, &p, as_of).await?;
                    let spending = self.spending(actor, &p).await?;
                    tables.push(MonitoredProject {
                        project: p,
                        monitoring,
                        spending,
                    });
                }
                ReportView::Monitoring(tables)
            }
            ReportKind::SelfEvaluation => {
                let mut tables = Vec::new();
                for p in self.report_projects(actor, sel).await? {
                    tables.push(self.evaluate(actor, &p).await?);
                }
                ReportView::SelfEvaluation(tables)
            }
        })
    }

    /// A report as the bytes of a file: XLSX for every kind, HTML for the summary (in `lang`;
    /// the XLSX files are the official Chinese forms). A PDF is
    /// written by `jixiao_pdf` from [`App::report_view`] (this crate does not link typst):
    /// asking this function for one is [`AppError::Invalid`].
    #[allow(clippy::too_many_arguments)] // the selection, its output, and the two policies
    pub async fn report(
        &self,
        actor: &Actor,
        kind: ReportKind,
        sel: &ReportSelection,
        format: ReportFormat,
        lang: jixiao_model::Lang,
    ) -> Result<Vec<u8>, AppError> {
        report_format_available(kind, format)?;
        if format == ReportFormat::Pdf {
            return Err(AppError::invalid(Message::PdfThroughView));
        }
        match self.report_view(actor, kind, sel).await? {
            ReportView::Declarations(form) => {
                jixiao_form::form_to_xlsx(&form).map_err(report_error)
            }
            ReportView::Summary(s) => match format {
                ReportFormat::Html => Ok(jixiao_report::summary_html(&s, lang).into_bytes()),
                _ => jixiao_report::summary_xlsx(&s).map_err(report_error),
            },
            ReportView::Monitoring(items) => {
                let tables: Vec<_> = items.into_iter().map(|m| m.monitoring).collect();
                jixiao_report::monitoring_xlsx(&tables).map_err(report_error)
            }
            ReportView::SelfEvaluation(tables) => {
                jixiao_report::self_evaluation_xlsx(&tables).map_err(report_error)
            }
        }
    }
}
