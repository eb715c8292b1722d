//! 批量录入 — one upload, told by its content (its header row, its labels): a declaration form,
//! 实际完成值 rows, 执行数 rows, a 自评表 or a 监控表. [`App::bulk_import`] previews or commits the
//! rows, the 自评表 or the 监控表; a preview makes every write of the commit in a store
//! transaction and rolls it back, so it answers per row what the commit then does (新增, 更正 with
//! the value before, 未变化) and refuses what the commit refuses, by construction. Declaration
//! forms keep their own preview ([`App::preview_import`]).

use jixiao_evaluate as evaluate;
use jixiao_model::{present, Lang, Project, ProjectKey};
use jixiao_store::{Outcome, RecordSummary, SpendingRows, Was};

use crate::access::{require_role, Action};
use crate::error::AppError;
use crate::input::{parse_form, read_rows, rows_error, Upload};
use crate::outcome::WriteOutcome;
use crate::{authorize_all, by_indicator, declaration_of, Actor, App};
use jixiao_model::present::observed;

/// What an upload holds, told by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// 申报表 — one or more declaration forms.
    Declarations,
    /// 实际完成值 rows (the file `jixiao record actuals` takes).
    Actuals,
    /// 执行数 rows (the file `jixiao record spending` takes).
    Spending,
    /// 项目支出绩效自评表.
    SelfEvaluation,
    /// 项目支出绩效运行监控表.
    Monitoring,
}

impl UploadKind {
    /// The id used by the API (`declarations`, `actuals`, `spending`, `self_evaluation`,
    /// `monitoring`).
    pub fn id(self) -> &'static str {
        match self {
            UploadKind::Declarations => "declarations",
            UploadKind::Actuals => "actuals",
            UploadKind::Spending => "spending",
            UploadKind::SelfEvaluation => "self_evaluation",
            UploadKind::Monitoring => "monitoring",
        }
    }

    /// The kind, for people.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UploadKind::Declarations, Lang::Zh) => "申报表",
            (UploadKind::Declarations, Lang::En) => "declaration forms",
            (UploadKind::Actuals, Lang::Zh) => "实际完成值",
            (UploadKind::Actuals, Lang::En) => "actual values",
            (UploadKind::Spending, Lang::Zh) => "支出记录（执行数）",
            (UploadKind::Spending, Lang::En) => "spending records",
            (UploadKind::SelfEvaluation, Lang::Zh) => "项目支出绩效自评表",
            (UploadKind::SelfEvaluation, Lang::En) => "self-evaluation table",
            (UploadKind::Monitoring, Lang::Zh) => "绩效运行监控表",
            (UploadKind::Monitoring, Lang::En) => "monitoring table",
        }
    }
}

/// Tells what `upload` holds by its content: a first row with the headers of 实际完成值 or 执行数
/// rows, else a 监控表 or 自评表 the form reader recognizes, else declaration forms (which
/// their own import reads, or refuses with its positions).
pub fn upload_kind(upload: &Upload) -> UploadKind {
    if let Ok(rows) = read_rows(upload) {
        match rows.first().and_then(evaluate::rows_kind) {
            Some(evaluate::RowsKind::Actuals) => return UploadKind::Actuals,
            Some(evaluate::RowsKind::Spending) => return UploadKind::Spending,
            None => {}
        }
    }
    match parse_form(upload) {
        Ok(p) if !p.monitoring.is_empty() => UploadKind::Monitoring,
        Ok(p) if !p.self_evaluations.is_empty() => UploadKind::SelfEvaluation,
        _ => UploadKind::Declarations,
    }
}

/// One row of a bulk import and what it does (or did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRow {
    /// The file (and worksheet) it came from.
    pub source: String,
    /// Its line (CSV, pasted text) or row (XLSX), when it is one row of the file.
    pub line: Option<u32>,
    /// The project.
    pub project: String,
    /// What the row is (`1.1.1 新增公路里程 · 2024年 · 120公里`), in Chinese.
    pub what_zh: String,
    /// The same, in English.
    pub what_en: String,
    /// 新增, 更正 (with the value before) or 未变化, as the store decided it.
    pub outcome: WriteOutcome,
}

/// What a bulk import does (a preview) or did (committed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkImport {
    /// What the upload held.
    pub kind: UploadKind,
    /// False for a preview: every write was rolled back.
    pub committed: bool,
    /// Rows new, corrected and unchanged.
    pub added: usize,
    /// Rows that correct a current value (kept as history).
    pub corrected: usize,
    /// Rows equal to what is stored: nothing written.
    pub unchanged: usize,
    /// Every row, in the order of the file.
    pub rows: Vec<BulkRow>,
}

impl BulkImport {
    fn new(kind: UploadKind, committed: bool) -> BulkImport {
        BulkImport {
            kind,
            committed,
            added: 0,
            corrected: 0,
            unchanged: 0,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: BulkRow) {
        match row.outcome {
            WriteOutcome::Added => self.added += 1,
            WriteOutcome::Corrected { .. } => self.corrected += 1,
            _ => self.unchanged += 1,
        }
        self.rows.push(row);
    }

    /// The store's summary of the rows (what `jixiao record` prints).
    pub fn totals(&self) -> (usize, usize, usize) {
        (self.added, self.corrected, self.unchanged)
    }
}

/// What the store decided for one row.
pub fn row_outcome(o: &Outcome) -> WriteOutcome {
    match o {
        Outcome::Added => WriteOutcome::Added,
        Outcome::Unchanged => WriteOutcome::Unchanged,
        Outcome::Corrected(Was::Actual(o)) => WriteOutcome::Corrected {
            was_zh: observed(&o.value, Lang::Zh),
            was_en: observed(&o.value, Lang::En),
        },
        Outcome::Corrected(Was::Spending(s)) => WriteOutcome::Corrected {
            was_zh: present::money(s.amount, Lang::Zh),
            was_en: present::money(s.amount, Lang::En),
        },
    }
}

fn project_name(projects: &[Project], key: &ProjectKey) -> String {
    projects
        .iter()
        .find(|p| &p.key() == key)
        .map_or_else(|| key.name.clone(), |p| p.name.clone())
}

impl App {
    /// Previews (`commit == false`: every write made, then rolled back) or imports an upload of
    /// 实际完成值 rows, 执行数 rows, a 自评表 or a 监控表, told by its content. `Ok(None)`: the
    /// upload holds declaration forms ([`App::preview_import`], [`App::import`]). A refusal
    /// ([`AppError::Invalid`] with each row's file, line and column) is the same for the
    /// preview and the commit; nothing is stored unless `commit` and every row is read.
    pub async fn bulk_import(
        &self,
        actor: &Actor,
        upload: &Upload,
        commit: bool,
    ) -> Result<Option<BulkImport>, AppError> {
        require_role(actor, Action::Write)?;
        let kind = upload_kind(upload);
        let out = match kind {
            UploadKind::Declarations => return Ok(None),
            UploadKind::Actuals => self.actual_rows(actor, upload, commit).await?.0,
            UploadKind::Spending => self.spending_rows_of(actor, upload, commit).await?.0,
            UploadKind::SelfEvaluation => {
                let done = self
                    .import_self_evaluations_then(actor, upload, commit)
                    .await?;
                let mut out = BulkImport::new(kind, commit);
                for d in done {
                    table_rows(
                        &mut out,
                        &d.source,
                        &d.project,
                        &d.actuals,
                        "实际完成值",
                        "actual value",
                    );
                    table_rows(
                        &mut out,
                        &d.source,
                        &d.project,
                        &d.spending,
                        "全年执行数",
                        "spending of the year",
                    );
                }
                out
            }
            UploadKind::Monitoring => {
                let done = self.import_monitoring_then(actor, upload, commit).await?;
                let mut out = BulkImport::new(kind, commit);
                for d in done {
                    table_rows(
                        &mut out,
                        &d.source,
                        &d.project,
                        &d.actuals,
                        "截至目前完成值",
                        "value to date",
                    );
                }
                out
            }
        };
        Ok(Some(out))
    }

    /// The rows of 实际完成值 in `upload` against the projects the actor may see, written in one
    /// transaction, committed when `commit` (all of them, or none).
    pub(crate) async fn actual_rows(
        &self,
        actor: &Actor,
        upload: &Upload,
        commit: bool,
    ) -> Result<(BulkImport, RecordSummary), AppError> {
        let policy = &self.policies.eval;
        require_role(actor, Action::Write)?;
        let rows = read_rows(upload)?;
        let projects = self.export(actor).await?.projects;
        let parsed = evaluate::parse_actual_rows(&rows, &projects, policy)
            .map_err(|e| rows_error(&upload.name, e))?;
        authorize_all(actor, &projects, parsed.iter().map(|a| &a.project))?;
        let described: Vec<(u32, String, String, String)> = parsed
            .iter()
            .map(|a| {
                let o = &a.observation;
                let p = projects.iter().find(|p| p.key() == a.project);
                let ind = p
                    .and_then(|p| p.indicator(&o.indicator))
                    .map_or_else(|| o.indicator.clone(), |i| format!("{} {}", i.code, i.name));
                (
                    a.line,
                    project_name(&projects, &a.project),
                    format!(
                        "{ind} · {} · {}",
                        o.period.zh(),
                        observed(&o.value, Lang::Zh)
                    ),
                    format!("{ind} · {} · {}", o.period, observed(&o.value, Lang::En)),
                )
            })
            .collect();
        let keyed = by_indicator(
            &projects,
            parsed.into_iter().map(|a| (a.project, a.observation)),
        )?;
        let mut tx = self.store.begin().await?;
        let summary = tx
            .record_observations(&keyed, &upload.name, &actor.name)
            .await?;
        if commit {
            tx.commit().await?;
        }
        let rows = file_rows(
            UploadKind::Actuals,
            commit,
            &upload.name,
            described,
            &summary,
        );
        Ok((rows, summary))
    }

    /// The rows of 执行数 in `upload`, written in one transaction, committed when `commit`.
    /// Each row is a record of its own unless its 凭证号 names one already stored: two rows of
    /// one file are never merged.
    pub(crate) async fn spending_rows_of(
        &self,
        actor: &Actor,
        upload: &Upload,
        commit: bool,
    ) -> Result<(BulkImport, RecordSummary), AppError> {
        require_role(actor, Action::Write)?;
        let rows = read_rows(upload)?;
        let projects = self.export(actor).await?.projects;
        let parsed = evaluate::parse_spending_rows(&rows, &projects)
            .map_err(|e| rows_error(&upload.name, e))?;
        authorize_all(actor, &projects, parsed.iter().map(|s| &s.project))?;
        let mut described = Vec::with_capacity(parsed.len());
        let mut keyed = Vec::with_capacity(parsed.len());
        for s in parsed {
            let r = &s.record;
            let voucher = r.voucher.as_deref().unwrap_or("");
            let (vzh, ven) = if voucher.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" · 凭证号 {voucher}"),
                    format!(" · voucher {voucher}"),
                )
            };
            described.push((
                s.line,
                project_name(&projects, &s.project),
                format!(
                    "{} · {}{vzh}",
                    present::date(r.date, Lang::Zh),
                    present::money(r.amount, Lang::Zh)
                ),
                format!(
                    "{} · {}{ven}",
                    present::date(r.date, Lang::En),
                    present::money(r.amount, Lang::En)
                ),
            ));
            keyed.push((declaration_of(&projects, &s.project)?, s.record));
        }
        let mut tx = self.store.begin().await?;
        let summary = tx
            .record_spending(&keyed, SpendingRows::File, &upload.name, &actor.name)
            .await?;
        if commit {
            tx.commit().await?;
        }
        let rows = file_rows(
            UploadKind::Spending,
            commit,
            &upload.name,
            described,
            &summary,
        );
        Ok((rows, summary))
    }
}

/// The rows of a file with the store's outcome of each (one outcome per row given).
fn file_rows(
    kind: UploadKind,
    committed: bool,
    source: &str,
    described: Vec<(u32, String, String, String)>,
    summary: &RecordSummary,
) -> BulkImport {
    let mut out = BulkImport::new(kind, committed);
    for ((line, project, zh, en), r) in described.into_iter().zip(&summary.outcomes) {
        out.push(BulkRow {
            source: source.to_string(),
            line: Some(line),
            project,
            what_zh: zh,
            what_en: en,
            outcome: row_outcome(&r.outcome),
        });
    }
    out
}

/// The writes of one 自评表 or 监控表 table.
fn table_rows(
    out: &mut BulkImport,
    source: &str,
    project: &Project,
    summary: &RecordSummary,
    zh: &str,
    en: &str,
) {
    for r in &summary.outcomes {
        out.push(BulkRow {
            source: source.to_string(),
            line: None,
            project: project.name.clone(),
            what_zh: zh.to_string(),
            what_en: en.to_string(),
            outcome: row_outcome(&r.outcome),
        });
    }
}

/// The columns of a pasted block without its header row, in the order of the page's entry form.
const PASTED_ACTUALS: [&str; 6] = ["指标", "日期", "期间", "实际完成值", "说明", "佐证材料"];
const PASTED_CODES: [&str; 6] = ["指标编码", "日期", "期间", "实际完成值", "说明", "佐证材料"];
const PASTED_SPENDING: [&str; 4] = ["支付日期", "金额", "凭证号", "说明"];

/// A block pasted from Excel or WPS (tab-separated) as the upload `粘贴.tsv`, previewed and
/// imported like a file. A block whose first row is a header row is taken as it is. Otherwise,
/// pasted on the page of `project` for `kind` (实际完成值 or 执行数), it is the columns of that
/// page's entry form in order — 实际完成值: 指标 (its code or name), 日期, 期间, 实际完成值, 说明,
/// 佐证材料; 执行数: 支付日期, 金额, 凭证号, 说明 — and a header row is put before it (line 1:
/// the block's rows are lines 2, 3 …) with the project's name and 年度 (`project` is the page's
/// (项目名称, 年度) as posted; claims like any cell, checked when the rows are matched) before
/// each row.
pub fn pasted_upload(
    text: &str,
    kind: Option<UploadKind>,
    project: Option<(&str, &str)>,
) -> Upload {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let first = lines.first().map(|l| evaluate::Row {
        line: 1,
        cells: l.split('\t').map(str::to_string).collect(),
    });
    let headed = first.as_ref().and_then(evaluate::rows_kind).is_some();
    let (Some(kind), Some(project), false) = (kind, project, headed) else {
        return Upload::new("粘贴.tsv", text.into_bytes());
    };
    let header: &[&str] = match kind {
        UploadKind::Actuals => {
            let codes = lines.iter().all(|l| {
                let c = l.split('\t').next().unwrap_or("").trim();
                !c.is_empty()
                    && c.split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            });
            if codes {
                &PASTED_CODES
            } else {
                &PASTED_ACTUALS
            }
        }
        UploadKind::Spending => &PASTED_SPENDING,
        _ => return Upload::new("粘贴.tsv", text.into_bytes()),
    };
    let (name, year) = project;
    let mut out = format!("项目名称\t年度\t{}\n", header.join("\t"));
    for l in &lines {
        out.push_str(&format!("{name}\t{year}\t{l}\n"));
    }
    Upload::new("粘贴.tsv", out.into_bytes())
}
