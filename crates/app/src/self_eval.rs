//! 自评表导入 — importing last year's 项目支出绩效自评表: the declaration it implies, its actual
//! values and its execution total, then jixiao's own evaluation compared with the scores the
//! table states. Differences are reported per indicator and for the total; a stated score is
//! never taken over, and never silently replaced.

use std::collections::BTreeMap;

use jixiao_evaluate as evaluate;
use jixiao_form::self_eval::{SelfEvalSheet, Stated};
use jixiao_model::{
    normalize_label, Decimal, Form, Observation, Project, SpendingRecord, FORM_FORMAT,
};
use jixiao_store::{ImportSummary, RecordSummary};

use crate::access::{authorize, authorize_new, require_role, Action};
use crate::error::AppError;
use crate::input::{parse_form, rows_error, Upload};
use crate::message::Message;
use crate::{by_indicator, declaration_id, Actor, App};

/// What importing one 自评表 did, and how its scores compare with jixiao's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfEvalImport {
    /// The file, and the worksheet when it was a workbook.
    pub source: String,
    /// The declaration as stored (with its id).
    pub project: Project,
    /// True when the declaration was already in the database: it was kept as it was, and the
    /// table's indicators were matched to it by 二级 and name.
    pub existing: bool,
    /// What the import of the declaration did (empty when it existed).
    pub declaration: ImportSummary,
    /// The actual values recorded.
    pub actuals: RecordSummary,
    /// The execution total recorded (nothing when the declaration had spending already).
    pub spending: RecordSummary,
    /// The scores.
    pub comparison: ScoreComparison,
}

/// The stated scores of a 自评表 beside jixiao's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreComparison {
    /// The budget row: stated 分值/得分 against jixiao's.
    pub budget: ScoreLine,
    /// 执行率 as stated and as computed (percent).
    pub execution_rate: (Option<Decimal>, Decimal),
    /// One line per indicator, in form order.
    pub indicators: Vec<ScoreLine>,
    /// 总分 as stated and as computed.
    pub total: (Option<Decimal>, Decimal),
    /// The sum of the stated parts (budget and indicators), when all are stated: a stated 总分
    /// that is not this sum is itself a finding.
    pub stated_sum: Option<Decimal>,
    /// jixiao's grade.
    pub grade: jixiao_model::Grade,
    /// Whether jixiao scored with the table's 分值 (true) or, because they do not fit the
    /// policy's category weights, with the policy's own (false).
    pub stated_weights_used: bool,
    /// The evaluation's flags (missing actuals, missing reasons …).
    pub flags: Vec<evaluate::Flag>,
}

/// One scored line: stated and computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreLine {
    /// The indicator code (empty for the budget row).
    pub code: String,
    /// The 三级指标 (预算执行率 for the budget row).
    pub name: String,
    /// Line (Excel row) of the row in the table.
    pub line: u32,
    /// 分值 as stated.
    pub stated_weight: Option<Decimal>,
    /// 分值 jixiao used.
    pub weight: Decimal,
    /// 得分 as stated.
    pub stated_score: Option<Decimal>,
    /// 得分 jixiao computed.
    pub score: Decimal,
}

impl ScoreLine {
    /// True when the stated 得分 (or 分值) differs from jixiao's, or is missing.
    pub fn differs(&self) -> bool {
        self.stated_score != Some(self.score)
            || self.stated_weight.is_some_and(|w| w != self.weight)
    }
}

impl ScoreComparison {
    /// True when anything stated differs from what jixiao computed.
    pub fn differs(&self) -> bool {
        self.budget.differs()
            || self.indicators.iter().any(ScoreLine::differs)
            || self.total.0 != Some(self.total.1)
    }
}

fn stated(v: &Option<Stated<Decimal>>) -> Option<Decimal> {
    v.as_ref().map(|s| s.value)
}

impl App {
    /// Imports a 项目支出绩效自评表 (text, CSV or XLSX; a workbook may hold one per sheet):
    /// each table's declaration (kept as it is when it exists: the table's indicators are then
    /// matched to it by 二级 and name), its 实际完成值 as of the year's end, its 全年执行数 as one
    /// spending record (unless the declaration has spending already), then jixiao's evaluation
    /// compared with the table's 分值, 得分 and 总分.
    ///
    /// Everything is read and checked before the database is touched; an indicator of the table
    /// that the existing declaration does not have refuses the import. The writes (declarations,
    /// actuals, spending, for every table of the upload) are one transaction: all or nothing.
    /// Importing the same file again changes nothing.
    pub async fn import_self_evaluations(
        &self,
        actor: &Actor,
        upload: &Upload,
    ) -> Result<Vec<SelfEvalImport>, AppError> {
        self.import_self_evaluations_then(actor, upload, true).await
    }

    /// [`App::import_self_evaluations`], committed when `commit`, else rolled back after every write (a
    /// preview: what the import would do, decided by the same writes, nothing kept).
    pub(crate) async fn import_self_evaluations_then(
        &self,
        actor: &Actor,
        upload: &Upload,
        commit: bool,
    ) -> Result<Vec<SelfEvalImport>, AppError> {
        let policy = &self.policies.eval;
        require_role(actor, Action::Write)?;
        let parsed = parse_form(upload)?;
        if parsed.self_evaluations.is_empty() {
            return Err(AppError::invalid(Message::NotASelfEvaluation {
                file: upload.name.clone(),
            }));
        }
        // Read and check everything first.
        let mut plans = Vec::new();
        for sheet in &parsed.self_evaluations {
            authorize_new(actor, Action::Write, &sheet.project)?;
            let source = match &sheet.sheet {
                Some(s) => format!("{}!{s}", upload.name),
                None => upload.name.clone(),
            };
            let existing = self
                .store
                .find(&sheet.project.name, Some(sheet.project.year))
                .await?
                .into_iter()
                .find(|p| p.unit == sheet.project.unit);
            let target = match &existing {
                Some(p) => {
                    authorize(actor, Action::Write, p)?;
                    p.clone()
                }
                None => sheet.project.clone(),
            };
            let codes = match_codes(sheet, &target, &source)?;
            let rows = actual_rows(sheet, &target, &codes);
            evaluate::parse_actual_rows(&rows, std::slice::from_ref(&target), policy)
                .map_err(|e| rows_error(&source, e))?;
            self.check_period_summaries(sheet, &target, existing.is_some(), &codes, &source)
                .await?;
            // A new declaration: its 主管部门 from the org tree, decided as an import decides.
            let fresh = match existing {
                Some(_) => None,
                None => {
                    let mut fresh = sheet.project.clone();
                    fresh.id = None;
                    self.import_targets(actor, &source, std::slice::from_mut(&mut fresh))
                        .await?;
                    Some(fresh)
                }
            };
            plans.push((sheet, source, fresh));
        }
        // Then write everything in one transaction: the declarations, their actuals, their
        // spending. An error on the way (dropping `tx`) leaves the database as it was.
        let mut tx = self.store.begin().await?;
        let mut out = Vec::new();
        for (sheet, source, fresh) in plans {
            let existed = fresh.is_none();
            let declaration = if let Some(fresh) = fresh {
                let form = Form {
                    format: FORM_FORMAT.to_string(),
                    title: None,
                    projects: vec![fresh],
                };
                tx.import_all(&[(source.as_str(), &form)], &actor.name)
                    .await?
            } else {
                ImportSummary::default()
            };
            let project = tx
                .find(&sheet.project.name, Some(sheet.project.year))
                .await?
                .into_iter()
                .find(|p| p.unit == sheet.project.unit)
                .ok_or_else(|| AppError::internal("the imported declaration is not found"))?;
            let codes = match_codes(sheet, &project, &source)?;
            let rows = actual_rows(sheet, &project, &codes);
            let obs = evaluate::parse_actual_rows(&rows, std::slice::from_ref(&project), policy)
                .map_err(|e| rows_error(&source, e))?;
            let id = declaration_id(&project)?;
            // A value the declaration already holds for the indicator (the table exported by
            // jixiao and imported again) is not recorded a second time.
            let current = if existed {
                tx.observations(id).await?.current
            } else {
                Vec::new()
            };
            let keyed = by_indicator(
                std::slice::from_ref(&project),
                obs.into_iter()
                    .filter(|a| {
                        !current.iter().any(|o| {
                            o.indicator == a.observation.indicator && o.value == a.observation.value
                        })
                    })
                    .map(|a| (a.project, a.observation)),
            )?;
            let actuals = tx.record_observations(&keyed, &source, &actor.name).await?;
            let recorded = tx.spending(id).await?;
            let spending = match (&sheet.budget.spent, recorded.is_empty()) {
                (Some(spent), true) => {
                    let record = SpendingRecord {
                        date: year_end(&project),
                        amount: spent.value,
                        voucher: None,
                        note: Some("自评表 全年执行数".to_string()),
                    };
                    tx.record_spending(
                        &[(id, record)],
                        jixiao_store::SpendingRows::File,
                        &source,
                        &actor.name,
                    )
                    .await?
                }
                _ => RecordSummary::default(),
            };
            // The comparison reads what this transaction wrote; a failure there, too, leaves
            // nothing behind.
            authorize(actor, Action::Read, &project)?;
            let (obs, flags) = crate::orphan_flags(tx.observations(id).await?);
            let spend = tx.spending(id).await?;
            let comparison = compare(sheet, &project, &codes, policy, &obs, &spend, flags)?;
            out.push(SelfEvalImport {
                source,
                project,
                existing: existed,
                declaration,
                actuals,
                spending,
                comparison,
            });
        }
        if commit {
            tx.commit().await?;
        }
        Ok(out)
    }
}

/// jixiao's evaluation of `project` with the table's 分值, 偏差原因, 全年预算数 and
/// 实际完成情况, beside the table's scores.
/// jixiao's evaluation of `project` (with its current actual values `obs`, spending `spend`
/// and the flags of orphaned values) with the table's 分值, 偏差原因, 全年预算数 and
/// 实际完成情况, beside the table's scores.
fn compare(
    sheet: &SelfEvalSheet,
    project: &Project,
    codes: &[String],
    policy: &evaluate::Policy,
    obs: &[Observation],
    spend: &[SpendingRecord],
    orphaned: Vec<evaluate::Flag>,
) -> Result<ScoreComparison, AppError> {
    let mut opts = evaluate::EvaluateOptions {
        budget: stated(&sheet.budget.annual).filter(|a| *a != project.funds.total),
        achieved: sheet.achieved.clone(),
        ..Default::default()
    };
    for (s, code) in sheet.indicators.iter().zip(codes) {
        if let Some(w) = stated(&s.weight) {
            opts.weights.insert(code.clone(), w);
        }
        if let Some(r) = &s.deviation_reason {
            opts.deviation_reasons.insert(code.clone(), r.clone());
        }
    }
    let (mut e, stated_weights_used) = match evaluate::evaluate(project, obs, spend, policy, &opts)
    {
        Ok(e) => (e, true),
        Err(evaluate::Error::Weight(_)) => {
            opts.weights = BTreeMap::new();
            let e = evaluate::evaluate(project, obs, spend, policy, &opts)
                .map_err(|e| crate::computation_error(project, e, "evaluate"))?;
            (e, false)
        }
        Err(e) => return Err(crate::computation_error(project, e, "evaluate")),
    };
    e.flags.extend(orphaned);
    let by_code: BTreeMap<&str, &evaluate::IndicatorScore> =
        e.indicators.iter().map(|i| (i.code.as_str(), i)).collect();
    let mut lines = Vec::new();
    for (s, code) in sheet.indicators.iter().zip(codes) {
        let Some(i) = by_code.get(code.as_str()) else {
            continue;
        };
        lines.push(ScoreLine {
            code: code.clone(),
            name: i.name.clone(),
            line: s.line,
            stated_weight: stated(&s.weight),
            weight: i.weight,
            stated_score: stated(&s.score),
            score: i.score,
        });
    }
    let b = &sheet.budget;
    let budget = ScoreLine {
        code: String::new(),
        name: "预算执行率".to_string(),
        line: b
            .score
            .as_ref()
            .or(b.spent.as_ref())
            .map_or(sheet.line, |s| s.line),
        stated_weight: stated(&b.weight),
        weight: e.budget.weight,
        stated_score: stated(&b.score),
        score: e.budget.score,
    };
    let parts: Option<Vec<Decimal>> = std::iter::once(budget.stated_score)
        .chain(lines.iter().map(|l| l.stated_score))
        .collect();
    let stated_sum = parts.map(|p| p.into_iter().sum());
    Ok(ScoreComparison {
        budget,
        execution_rate: (stated(&b.rate), e.budget.execution_rate),
        indicators: lines,
        total: (stated(&sheet.total), e.total),
        stated_sum,
        grade: e.grade,
        stated_weights_used,
        flags: e.flags,
    })
}

/// The last day of the year, inside the project period.
fn year_end(p: &Project) -> jixiao_model::NaiveDate {
    jixiao_model::NaiveDate::from_ymd_opt(p.year, 12, 31)
        .unwrap_or(p.end)
        .min(p.end)
        .max(p.start)
}

/// The code in `project` of each indicator of the table: the same 二级 and name (white space
/// and width aside), one only. An indicator with none, or several, refuses the import.
fn match_codes(
    sheet: &SelfEvalSheet,
    project: &Project,
    source: &str,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for (s, ind) in sheet.indicators.iter().zip(&sheet.project.indicators) {
        let name = normalize_label(&ind.name);
        let found: Vec<&jixiao_model::Indicator> = project
            .indicators
            .iter()
            .filter(|i| i.level2 == ind.level2 && normalize_label(&i.name) == name)
            .filter(|i| !out.contains(&i.code))
            .collect();
        match found.first() {
            Some(i) => out.push(i.code.clone()),
            None => {
                return Err(AppError::invalid(Message::NoSuchIndicatorAt {
                    source: source.to_string(),
                    line: s.line,
                    project: project.name.clone(),
                    year: Some(project.year),
                    level2: ind.level2.zh().to_string(),
                    indicator: ind.name.clone(),
                    imported: true,
                }))
            }
        }
    }
    Ok(out)
}

/// `10/12 期按时` / `10/12 on time` — what `jixiao report self-eval` writes for a recurring
/// deadline: derived from the periods' completion dates, not a value.
fn periods_summary(text: &str) -> Option<(u32, u32)> {
    let t = text.trim();
    let rest = t
        .strip_suffix("期按时")
        .or_else(|| t.strip_suffix("on time"))?
        .trim();
    let (a, b) = rest.split_once('/')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// A recurring deadline's 实际完成值 written as its periods summary (`1/12 期按时`): the
/// indicator's row, when its target is a recurring deadline and its text is such a summary.
fn summary_row<'a>(
    s: &'a jixiao_form::self_eval::StatedIndicator,
    project: &Project,
    code: &str,
) -> Option<(&'a Stated<String>, (u32, u32))> {
    let actual = s.actual.as_ref()?;
    let recurring = project.indicator(code).is_some_and(|i| {
        matches!(
            i.target,
            jixiao_model::Target::Deadline(jixiao_model::Deadline::Recurring(_))
        )
    });
    Some((
        actual,
        periods_summary(&actual.value).filter(|_| recurring)?,
    ))
}

impl App {
    /// A recurring deadline's `N/M 期按时` in the table (what `jixiao report self-eval` writes)
    /// is not recorded: it must be what jixiao computes from the periods recorded, else the
    /// import is refused at its cell (a changed count cannot say which period changed).
    async fn check_period_summaries(
        &self,
        sheet: &SelfEvalSheet,
        project: &Project,
        existed: bool,
        codes: &[String],
        source: &str,
    ) -> Result<(), AppError> {
        let policy = &self.policies.eval;
        let mut computed = BTreeMap::new();
        if existed {
            let id = declaration_id(project)?;
            let obs = self.store.observations(id).await?.current;
            let spend = self.store.spending(id).await?;
            if let Ok(e) = evaluate::evaluate(project, &obs, &spend, policy, &Default::default()) {
                for i in e.indicators {
                    if let Some(evaluate::IndicatorValue::Periods { on_time, of }) = i.actual {
                        computed.insert(i.code, (on_time, of));
                    }
                }
            }
        }
        for (s, code) in sheet.indicators.iter().zip(codes) {
            let Some((cell, stated)) = summary_row(s, project, code) else {
                continue;
            };
            let ours = computed.get(code).copied();
            if ours != Some(stated) {
                return Err(AppError::invalid(Message::PeriodCountMismatch {
                    source: source.to_string(),
                    line: cell.line,
                    column: cell.column,
                    indicator: s.name.clone(),
                    stated: cell.value.trim().to_string(),
                    computed: ours,
                }));
            }
        }
        Ok(())
    }
}

/// The table's 实际完成值 as rows for [`evaluate::parse_actual_rows`], each on its table line,
/// dated the year's end, with the 偏差原因 as note. A recurring deadline's `N/M 期按时` is
/// derived, not a value: it is checked by [`App::check_period_summaries`], not recorded.
fn actual_rows(sheet: &SelfEvalSheet, project: &Project, codes: &[String]) -> Vec<evaluate::Row> {
    let date = year_end(project).to_string();
    let mut rows = vec![evaluate::Row::new(
        1,
        &["项目名称", "指标编码", "日期", "实际完成值", "说明"],
    )];
    for (s, code) in sheet.indicators.iter().zip(codes) {
        let Some(actual) = &s.actual else { continue };
        if summary_row(s, project, code).is_some() {
            continue;
        }
        rows.push(evaluate::Row::new(
            actual.line,
            &[
                project.name.as_str(),
                code.as_str(),
                date.as_str(),
                actual.value.as_str(),
                s.deviation_reason.as_deref().unwrap_or(""),
            ],
        ));
    }
    rows
}

/// What importing a 监控表 (`jixiao report monitoring`, edited and imported again) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringImport {
    /// The file, and the worksheet when it was a workbook.
    pub source: String,
    /// The declaration the table is about.
    pub project: Project,
    /// 截至日期.
    pub as_of: jixiao_model::NaiveDate,
    /// The values to date recorded (values the declaration already holds are not recorded
    /// again).
    pub actuals: RecordSummary,
    /// 截至目前执行数 as the table states it, and as recorded to that date: spending is never
    /// taken from a 监控表 (it is a running total, not a payment); a difference is reported.
    pub spent: (Option<Decimal>, Decimal),
}

impl App {
    /// Imports the values to date of a 项目支出绩效运行监控表 as `jixiao report monitoring`
    /// writes it (also after an edit in Excel or WPS). The declaration must exist; the table's
    /// indicators are matched to it by 二级 and name, and a value is recorded as of the
    /// table's 截至日期. All or nothing: every row is checked before anything is recorded, and
    /// every table of the upload is recorded in one transaction.
    pub async fn import_monitoring(
        &self,
        actor: &Actor,
        upload: &Upload,
    ) -> Result<Vec<MonitoringImport>, AppError> {
        self.import_monitoring_then(actor, upload, true).await
    }

    /// [`App::import_monitoring`], committed when `commit`, else rolled back after every write (a
    /// preview: what the import would do, decided by the same writes, nothing kept).
    pub(crate) async fn import_monitoring_then(
        &self,
        actor: &Actor,
        upload: &Upload,
        commit: bool,
    ) -> Result<Vec<MonitoringImport>, AppError> {
        let policy = &self.policies.eval;
        require_role(actor, Action::Write)?;
        let parsed = parse_form(upload)?;
        let mut plans = Vec::new();
        for m in &parsed.monitoring {
            let source = match &m.sheet {
                Some(s) => format!("{}!{s}", upload.name),
                None => upload.name.clone(),
            };
            let project = self
                .store
                .find(&m.project, Some(m.year))
                .await?
                .into_iter()
                .find(|p| p.unit == m.unit && crate::access::can_read(actor, p))
                .ok_or_else(|| crate::error::not_found(&m.project, Some(m.year)))?;
            authorize(actor, Action::Write, &project)?;
            let mut rows = vec![evaluate::Row::new(
                1,
                &["项目名称", "指标编码", "日期", "实际完成值"],
            )];
            let date = m.as_of.to_string();
            for i in &m.indicators {
                let name = normalize_label(&i.name);
                let found = project
                    .indicators
                    .iter()
                    .find(|x| x.level2 == i.level2 && normalize_label(&x.name) == name);
                let Some(ind) = found else {
                    return Err(AppError::invalid(Message::NoSuchIndicatorAt {
                        source: source.to_string(),
                        line: i.line,
                        project: project.name.clone(),
                        year: None,
                        level2: i.level2.zh().to_string(),
                        indicator: i.name.clone(),
                        imported: false,
                    }));
                };
                let Some(v) = &i.value else { continue };
                rows.push(evaluate::Row::new(
                    v.line,
                    &[
                        project.name.as_str(),
                        ind.code.as_str(),
                        date.as_str(),
                        v.value.as_str(),
                    ],
                ));
            }
            let obs = evaluate::parse_actual_rows(&rows, std::slice::from_ref(&project), policy)
                .map_err(|e| rows_error(&source, e))?;
            plans.push((m, source, project, obs));
        }
        // One transaction for every table of the upload: all or nothing.
        let mut tx = self.store.begin().await?;
        let mut out = Vec::new();
        for (m, source, project, obs) in plans {
            let id = declaration_id(&project)?;
            let current = tx.observations(id).await?.current;
            let keyed = by_indicator(
                std::slice::from_ref(&project),
                obs.into_iter()
                    .filter(|a| {
                        !current.iter().any(|o| {
                            o.indicator == a.observation.indicator && o.value == a.observation.value
                        })
                    })
                    .map(|a| (a.project, a.observation)),
            )?;
            let actuals = tx.record_observations(&keyed, &source, &actor.name).await?;
            let recorded: Decimal = tx
                .spending(id)
                .await?
                .iter()
                .filter(|s| s.date <= m.as_of)
                .map(|s| s.amount)
                .sum();
            out.push(MonitoringImport {
                source,
                project,
                as_of: m.as_of,
                actuals,
                spent: (m.spent.as_ref().map(|s| s.value), recorded),
            });
        }
        if commit {
            tx.commit().await?;
        }
        Ok(out)
    }
}
