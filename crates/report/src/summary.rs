//! 项目绩效目标汇总表 (the year's view) — one row per declaration of a unit, a department or
//! everything an actor may read: name, unit, department, 年度资金, indicator counts per 一级,
//! review grade and findings by severity, workflow status, progress light, self-evaluation
//! score and 整改 (open, overdue, completed); and the selection's 单位成本 (cost per output,
//! [`CostReport`]). [`UnitSummary`] is the typed view; [`summary_xlsx`](crate::summary_xlsx)
//! writes all of it, [`summary_html`](crate::summary_html) the table of declarations (the web
//! page shows cost per output and 整改 beside it).

use std::fmt::Write as _;

use jixiao_evaluate::{CostReport, Light, Monitoring, ScoreState, SelfEvaluation};
use jixiao_model::{present, Decimal, Grade, Lang, Level1, NaiveDate, Project, Severity, Status};
use jixiao_review::ProjectReview;

use crate::sheet::{light_rgb, Cell, Sheet, Style, Value};

/// 项目绩效目标汇总表 — the year's declarations of a selection, one row each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSummary {
    /// 年度.
    pub year: i32,
    /// What the rows are: a unit (实施单位), a department (主管部门) or `全部`.
    pub scope: String,
    /// 截至日期 of the progress lights, when monitored.
    pub as_of: Option<NaiveDate>,
    /// The declarations, in the order given.
    pub rows: Vec<SummaryRow>,
    /// The day each row's 整改 counts are of (a rectification is 逾期 from the day after its
    /// deadline); `None` when they were not counted.
    pub rectifications_on: Option<NaiveDate>,
    /// 成本预算绩效 — cost per output of the rows' declarations (单位成本).
    pub costs: CostReport,
}

/// 整改 of a declaration, or summed, on [`UnitSummary::rectifications_on`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RectificationCounts {
    /// 未完成 — not completed (逾期 included).
    pub open: u32,
    /// 逾期 — of those, past their deadline.
    pub overdue: u32,
    /// 已完成 — completed (verified).
    pub done: u32,
}

impl RectificationCounts {
    /// The three counts in the order the tables show them: 未完成, 逾期, 已完成.
    pub fn all(&self) -> [u32; 3] {
        [self.open, self.overdue, self.done]
    }
}

/// One declaration of the [`UnitSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// 项目名称.
    pub name: String,
    /// 实施单位.
    pub unit: String,
    /// 主管部门.
    pub department: Option<String>,
    /// 年度资金申请总额, in 元.
    pub funds: Decimal,
    /// 三级指标 per 一级指标.
    pub indicators: IndicatorCounts,
    /// 审核等级 — the review grade.
    pub review_grade: Grade,
    /// 审核意见 per severity.
    pub findings: FindingCounts,
    /// 申报状态 — the workflow status.
    pub status: Status,
    /// 监控预警 — the worst light of the 监控表 (budget and indicators), when monitored.
    pub light: Option<Light>,
    /// 自评得分 — the 自评表's 总分, when evaluated and something was scored.
    pub score: Option<Decimal>,
    /// 评价等级 of the 自评表, likewise.
    pub grade: Option<Grade>,
    /// Whether the 自评表 scored anything (无实际值 otherwise), when evaluated.
    pub score_state: Option<ScoreState>,
    /// 部门整体支出 — a department-wide declaration: its 年度资金 is the department's whole
    /// budget, which holds the money of its projects, so it is not added into 小计 and 合计
    /// ([`DEPARTMENT_WIDE_NOTE_ZH`] says so under the table).
    pub department_wide: bool,
    /// 整改 of the declaration, when counted ([`UnitSummary::rectifications_on`]).
    pub rectifications: Option<RectificationCounts>,
}

/// The note under a summary that lists a department-wide declaration.
pub const DEPARTMENT_WIDE_NOTE_ZH: &str =
    "注：部门整体支出的年度资金为部门全年预算，已含本部门各项目资金，不计入小计与合计。";
/// [`DEPARTMENT_WIDE_NOTE_ZH`] in English.
pub const DEPARTMENT_WIDE_NOTE_EN: &str = "Note: the funds of a department-wide declaration \
     (部门整体支出) are the department's whole budget, which holds its projects' money; they are \
     not added into the subtotals and the total.";

/// 三级指标 counts per 一级指标.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndicatorCounts {
    /// 产出指标.
    pub output: u32,
    /// 成本指标.
    pub cost: u32,
    /// 效益指标.
    pub benefit: u32,
    /// 满意度指标.
    pub satisfaction: u32,
}

impl IndicatorCounts {
    /// Counts the indicators of a declaration.
    pub fn of(p: &Project) -> IndicatorCounts {
        let mut c = IndicatorCounts::default();
        for i in &p.indicators {
            let n = match i.level1 {
                Level1::Output => &mut c.output,
                Level1::Cost => &mut c.cost,
                Level1::Benefit => &mut c.benefit,
                Level1::Satisfaction => &mut c.satisfaction,
            };
            *n = n.saturating_add(1);
        }
        c
    }

    /// All four counts, in the order of the official form (产出, 成本, 效益, 满意度).
    pub fn all(&self) -> [u32; 4] {
        [self.output, self.cost, self.benefit, self.satisfaction]
    }
}

/// 审核意见 counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindingCounts {
    /// 错误.
    pub errors: u32,
    /// 警告.
    pub warnings: u32,
    /// 提示.
    pub infos: u32,
}

impl FindingCounts {
    /// Counts a review's findings.
    pub fn of(r: &ProjectReview) -> FindingCounts {
        let n = |s| u32::try_from(r.count(s)).unwrap_or(u32::MAX);
        FindingCounts {
            errors: n(Severity::Error),
            warnings: n(Severity::Warning),
            infos: n(Severity::Info),
        }
    }
}

impl SummaryRow {
    /// The row of a declaration from its review, and its monitoring and self-evaluation when
    /// there are.
    pub fn new(
        p: &Project,
        status: Status,
        review: &ProjectReview,
        monitoring: Option<&Monitoring>,
        evaluation: Option<&SelfEvaluation>,
    ) -> SummaryRow {
        SummaryRow {
            name: p.name.clone(),
            unit: p.unit.clone(),
            department: p.department.clone(),
            funds: p.funds.total,
            indicators: IndicatorCounts::of(p),
            review_grade: review.grade,
            findings: FindingCounts::of(review),
            status,
            light: monitoring.map(|m| light_of(m, evaluation)),
            score: evaluation.and_then(|e| e.scored()).map(|(s, _)| s),
            grade: evaluation.and_then(|e| e.scored()).map(|(_, g)| g),
            score_state: evaluation.map(|e| e.state()),
            department_wide: p.is_department_wide(),
            rectifications: None,
        }
    }
}

/// The light a declaration shows: grey while nothing is recorded (no actual value, nothing
/// spent: 未开始 — not red from a zero budget pace or a report never given), else the worst
/// light of its 监控表.
pub fn light_of(m: &Monitoring, evaluation: Option<&SelfEvaluation>) -> Light {
    match evaluation.map(SelfEvaluation::state) {
        Some(ScoreState::NoActuals) => Light::Grey,
        _ => worst_light(m),
    }
}

/// The worst light of a 监控表: red over yellow over grey over blue over green.
pub fn worst_light(m: &Monitoring) -> Light {
    m.indicators
        .iter()
        .map(|i| i.light)
        .chain([m.budget.light])
        .max()
        .unwrap_or(Light::Grey)
}

/// Totals of a summary: 年度资金 (`None` if the sum overflows), indicators, findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryTotals {
    /// Sum of the projects' 年度资金 (department-wide declarations not added).
    pub funds: Option<Decimal>,
    /// Indicators per 一级.
    pub indicators: [u64; 4],
    /// Findings: errors, warnings, infos.
    pub findings: [u64; 3],
    /// 整改: 未完成, 逾期, 已完成 — `None` when no row was counted.
    pub rectifications: Option<[u64; 3]>,
}

/// One 实施单位 of a roll-up ([`UnitSummary::by_unit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTotal {
    /// 实施单位.
    pub unit: String,
    /// 项目数.
    pub declarations: usize,
    /// The sums of its declarations.
    pub totals: SummaryTotals,
}

impl SummaryTotals {
    fn zero() -> SummaryTotals {
        SummaryTotals {
            funds: Some(Decimal::ZERO),
            ..Default::default()
        }
    }

    fn add(&mut self, r: &SummaryRow) {
        // A department's whole budget holds its projects' money: added, it would count it twice.
        if !r.department_wide {
            self.funds = self.funds.and_then(|f| f.checked_add(r.funds));
        }
        for (k, n) in r.indicators.all().iter().enumerate() {
            self.indicators[k] += u64::from(*n);
        }
        let f = &r.findings;
        for (k, n) in [f.errors, f.warnings, f.infos].iter().enumerate() {
            self.findings[k] += u64::from(*n);
        }
        if let Some(c) = r.rectifications {
            let sum = self.rectifications.get_or_insert([0; 3]);
            for (k, n) in c.all().iter().enumerate() {
                sum[k] += u64::from(*n);
            }
        }
    }
}

impl UnitSummary {
    /// 合计.
    pub fn totals(&self) -> SummaryTotals {
        let mut t = SummaryTotals::zero();
        for r in &self.rows {
            t.add(r);
        }
        t
    }

    /// The note under the table when a row is a department-wide declaration (its funds are
    /// not in the totals), in `lang`.
    pub fn department_note(&self, lang: Lang) -> Option<&'static str> {
        self.rows
            .iter()
            .any(|r| r.department_wide)
            .then(|| lang.pick(DEPARTMENT_WIDE_NOTE_ZH, DEPARTMENT_WIDE_NOTE_EN))
    }

    /// The roll-up by 实施单位: one entry per unit, in the order its first declaration comes.
    pub fn by_unit(&self) -> Vec<UnitTotal> {
        let mut out: Vec<UnitTotal> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for r in &self.rows {
            let k = *index.entry(r.unit.as_str()).or_insert_with(|| {
                out.push(UnitTotal {
                    unit: r.unit.clone(),
                    declarations: 0,
                    totals: SummaryTotals::zero(),
                });
                out.len() - 1
            });
            out[k].declarations += 1;
            out[k].totals.add(r);
        }
        out
    }

    /// The line under the title: `2024年度 · 上海市减污降碳管理运行技术中心 · 截至2024年7月31日`
    /// / `2024 · 上海市减污降碳管理运行技术中心 · as of 2024-07-31` (names stay as written).
    pub fn subtitle(&self, lang: Lang) -> String {
        let scope = match (lang, self.scope.as_str()) {
            (Lang::En, "全部") => "all",
            _ => self.scope.as_str(),
        };
        let mut s = match lang {
            Lang::Zh => format!("{}年度 · {scope}", self.year),
            Lang::En => format!("{} · {scope}", self.year),
        };
        if let Some(d) = self.as_of {
            let _ = match lang {
                Lang::Zh => write!(s, " · 截至{}", present::date(d, lang)),
                Lang::En => write!(s, " · as of {}", present::date(d, lang)),
            };
        }
        s
    }
}

/// Column headings: (first-row group, second-row heading).
const COLUMNS: [(&str, &str); 17] = [
    ("序号", ""),
    ("项目名称", ""),
    ("实施单位", ""),
    ("主管部门", ""),
    ("年度资金（元）", ""),
    ("三级指标数", "产出"),
    ("三级指标数", "成本"),
    ("三级指标数", "效益"),
    ("三级指标数", "满意度"),
    ("审核", "等级"),
    ("审核", "错误"),
    ("审核", "警告"),
    ("审核", "提示"),
    ("申报状态", ""),
    ("监控预警", ""),
    ("自评得分", ""),
    ("评价等级", ""),
];

/// The headings in English, in the order of [`COLUMNS`].
const COLUMNS_EN: [(&str, &str); 17] = [
    ("No.", ""),
    ("Project", ""),
    ("Unit", ""),
    ("Department", ""),
    ("Funds (yuan)", ""),
    ("Indicators", "output"),
    ("Indicators", "cost"),
    ("Indicators", "benefit"),
    ("Indicators", "satisfaction"),
    ("Review", "grade"),
    ("Review", "errors"),
    ("Review", "warnings"),
    ("Review", "notes"),
    ("Status", ""),
    ("Light", ""),
    ("Score", ""),
    ("Rating", ""),
];

/// The title of the 汇总表.
fn title(lang: Lang) -> &'static str {
    lang.pick("项目绩效目标汇总表", "Summary of performance targets")
}

const BOUNDS: [(f64, f64); 17] = [
    (6.0, 8.0),
    (16.0, 40.0),
    (14.0, 36.0),
    (12.0, 30.0),
    (14.0, 20.0),
    (6.0, 8.0),
    (6.0, 8.0),
    (6.0, 8.0),
    (8.0, 8.0),
    (6.0, 8.0),
    (6.0, 8.0),
    (6.0, 8.0),
    (6.0, 8.0),
    (10.0, 12.0),
    (10.0, 12.0),
    (10.0, 12.0),
    (10.0, 12.0),
];

/// The 整改 columns the written summary adds after [`COLUMNS`] (the group heading is
/// [`rect_group`]'s).
const RECT_COLUMNS: [&str; 3] = ["未完成", "逾期", "已完成"];
const RECT_BOUNDS: [(f64, f64); 3] = [(6.0, 8.0), (6.0, 8.0), (6.0, 8.0)];

/// The heading over the 整改 columns: `整改（截至2024年7月31日）`, or `整改` when not counted.
fn rect_group(s: &UnitSummary) -> String {
    match s.rectifications_on {
        Some(d) => format!("整改（截至{}）", present::date(d, Lang::Zh)),
        None => "整改".into(),
    }
}

/// The columns of the written 汇总表: [`COLUMNS`], then 整改 under `group`.
fn xlsx_columns(group: &str) -> Vec<(&str, &str)> {
    COLUMNS
        .iter()
        .copied()
        .chain(RECT_COLUMNS.iter().map(|c| (group, *c)))
        .collect()
}

/// The last column of the written 汇总表.
const LAST: u16 = (COLUMNS.len() + RECT_COLUMNS.len() - 1) as u16;
/// The first 整改 column.
const RECT: u16 = COLUMNS.len() as u16;

/// Writes the two heading rows at `row`, `row + 1`: a group heading merged across its
/// columns, a single heading merged down.
fn headings(sh: &mut Sheet, row: u32, columns: &[(&str, &str)]) {
    let mut c = 0usize;
    while c < columns.len() {
        let (group, sub) = columns[c];
        if sub.is_empty() {
            sh.span(
                row,
                c as u16,
                row + 1,
                c as u16,
                Some(Value::Text(group.into())),
                Style::Label,
            );
            c += 1;
            continue;
        }
        let mut e = c;
        while e + 1 < columns.len() && columns[e + 1].0 == group {
            e += 1;
        }
        sh.label(row, c as u16, e as u16, group);
        for (k, (_, sub)) in columns.iter().enumerate().take(e + 1).skip(c) {
            sh.label(row + 1, k as u16, k as u16, sub);
        }
        c = e + 1;
    }
}

/// The 整改 counts from column `col`: numbers, or blank when not counted.
fn rect_cells(sh: &mut Sheet, row: u32, col: u16, counts: Option<[u64; 3]>) {
    for k in 0..3u16 {
        let cell = counts.map_or(Cell::Blank, |c| Cell::Count(c[usize::from(k)]));
        sh.cell(row, col + k, col + k, cell);
    }
}

fn widen(c: Option<RectificationCounts>) -> Option<[u64; 3]> {
    c.map(|c| c.all().map(u64::from))
}

/// The row of declaration number `no` (from 1).
fn declaration_row(sh: &mut Sheet, row: u32, no: usize, r: &SummaryRow) {
    sh.cell(row, 0, 0, Cell::Count(no as u64));
    sh.text(row, 1, 1, &r.name, Style::Text);
    sh.text(row, 2, 2, &r.unit, Style::Text);
    sh.cell(
        row,
        3,
        3,
        Cell::Text(r.department.clone().unwrap_or_default()),
    );
    sh.cell(row, 4, 4, Cell::Amount(r.funds));
    for (j, n) in r.indicators.all().iter().enumerate() {
        sh.cell(row, 5 + j as u16, 5 + j as u16, Cell::Count(u64::from(*n)));
    }
    sh.text(row, 9, 9, r.review_grade.zh(), Style::Category);
    let f = &r.findings;
    for (j, n) in [f.errors, f.warnings, f.infos].iter().enumerate() {
        sh.cell(
            row,
            10 + j as u16,
            10 + j as u16,
            Cell::Count(u64::from(*n)),
        );
    }
    sh.text(row, 13, 13, r.status.zh(), Style::Category);
    match r.light {
        Some(l) => sh.put(
            row,
            14,
            14,
            Some(Value::Text(l.zh().into())),
            Style::Light(l),
        ),
        None => sh.cell(row, 14, 14, Cell::Blank),
    }
    match (r.score, r.score_state) {
        (Some(x), _) => sh.cell(row, 15, 15, Cell::Number(x)),
        (None, Some(st)) => sh.text(row, 15, 15, st.zh(), Style::Category),
        (None, None) => sh.cell(row, 15, 15, Cell::Blank),
    }
    let grade = r.grade.map(|g| g.zh().to_string()).unwrap_or_default();
    sh.text(row, 16, 16, &grade, Style::Category);
    rect_cells(sh, row, RECT, widen(r.rectifications));
}

/// A 合计 / 小计 row: `label` over 序号 … 主管部门, then the sums.
fn totals_row(sh: &mut Sheet, row: u32, label: &str, t: &SummaryTotals) {
    sh.label(row, 0, 3, label);
    let funds = t
        .funds
        .map_or_else(|| Cell::Text("（合计超出范围）".into()), Cell::Amount);
    sh.cell(row, 4, 4, funds);
    for (j, n) in t.indicators.iter().enumerate() {
        sh.cell(row, 5 + j as u16, 5 + j as u16, Cell::Count(*n));
    }
    sh.cell(row, 9, 9, Cell::Blank);
    for (j, n) in t.findings.iter().enumerate() {
        sh.cell(row, 10 + j as u16, 10 + j as u16, Cell::Count(*n));
    }
    sh.cell(row, 13, 16, Cell::Blank);
    rect_cells(sh, row, RECT, t.rectifications);
}

fn summary_sheet(name: &str, s: &UnitSummary) -> Sheet {
    let bounds = BOUNDS.iter().chain(RECT_BOUNDS.iter()).copied().collect();
    let mut sh = Sheet::new(name.into(), bounds);
    sh.landscape = true;
    sh.title(0, "项目绩效目标汇总表", Style::Title);
    sh.title(1, &s.subtitle(Lang::Zh), Style::Subtitle);
    headings(&mut sh, 2, &xlsx_columns(&rect_group(s)));
    sh.repeat_rows = Some((2, 3));
    sh
}

/// The sheet of the summary of one unit: the declarations, then 合计.
fn unit_sheet(s: &UnitSummary) -> Sheet {
    let mut sh = summary_sheet("汇总表", s);
    let first = 4;
    for (k, r) in s.rows.iter().enumerate() {
        declaration_row(&mut sh, first + k as u32, k + 1, r);
    }
    let row = first + s.rows.len() as u32;
    totals_row(&mut sh, row, "合计", &s.totals());
    note_row(&mut sh, row + 1, s);
    sh
}

/// The department-wide note ([`UnitSummary::department_note`]) over the sheet's width, when
/// there is one.
fn note_row(sh: &mut Sheet, row: u32, s: &UnitSummary) {
    if let Some(n) = s.department_note(Lang::Zh) {
        let last = (sh.bounds.len().max(1) - 1) as u16;
        sh.text(row, 0, last, n, Style::Body);
    }
}

/// The roll-up columns (what the web app's roll-up and the PDF's show): (heading, min/max width).
const ROLLUP: [(&str, (f64, f64)); 11] = [
    ("序号", (6.0, 8.0)),
    ("实施单位", (16.0, 40.0)),
    ("项目数", (8.0, 10.0)),
    ("年度资金（元）", (14.0, 20.0)),
    ("三级指标数", (10.0, 12.0)),
    ("审核错误", (10.0, 12.0)),
    ("审核警告", (10.0, 12.0)),
    ("审核提示", (10.0, 12.0)),
    ("未完成整改", (10.0, 12.0)),
    ("其中逾期", (10.0, 12.0)),
    ("已完成整改", (10.0, 12.0)),
];

/// 按实施单位汇总: one row per unit with its totals, then 合计.
fn rollup_sheet(s: &UnitSummary) -> Sheet {
    let mut sh = Sheet::new(
        "按实施单位汇总".into(),
        ROLLUP.iter().map(|(_, b)| *b).collect(),
    );
    sh.title(0, "项目绩效目标汇总表（按实施单位汇总）", Style::Title);
    let mut sub = s.subtitle(Lang::Zh);
    if let Some(d) = s.rectifications_on {
        let _ = write!(sub, " · 整改截至{}", present::date(d, Lang::Zh));
    }
    sh.title(1, &sub, Style::Subtitle);
    for (c, (h, _)) in ROLLUP.iter().enumerate() {
        sh.label(2, c as u16, c as u16, h);
    }
    sh.repeat_rows = Some((2, 2));
    let units = s.by_unit();
    let amount =
        |f: Option<Decimal>| f.map_or_else(|| Cell::Text("（合计超出范围）".into()), Cell::Amount);
    for (k, u) in units.iter().enumerate() {
        let row = 3 + k as u32;
        sh.cell(row, 0, 0, Cell::Count(k as u64 + 1));
        sh.text(row, 1, 1, &u.unit, Style::Text);
        sh.cell(row, 2, 2, Cell::Count(u.declarations as u64));
        sh.cell(row, 3, 3, amount(u.totals.funds));
        sh.cell(row, 4, 4, Cell::Count(u.totals.indicators.iter().sum()));
        for (j, n) in u.totals.findings.iter().enumerate() {
            sh.cell(row, 5 + j as u16, 5 + j as u16, Cell::Count(*n));
        }
        rect_cells(&mut sh, row, 8, u.totals.rectifications);
    }
    let row = 3 + units.len() as u32;
    let t = s.totals();
    sh.label(row, 0, 1, "合计");
    sh.cell(row, 2, 2, Cell::Count(s.rows.len() as u64));
    sh.cell(row, 3, 3, amount(t.funds));
    sh.cell(row, 4, 4, Cell::Count(t.indicators.iter().sum()));
    for (j, n) in t.findings.iter().enumerate() {
        sh.cell(row, 5 + j as u16, 5 + j as u16, Cell::Count(*n));
    }
    note_row(&mut sh, row + 1, s);
    rect_cells(&mut sh, row, 8, t.rectifications);
    sh
}

/// The declarations grouped by unit: per unit a heading row (`实施单位：… （N 项）`), its
/// declarations and a 小计; then 合计 over all.
fn grouped_sheet(s: &UnitSummary) -> Sheet {
    let mut sh = summary_sheet("汇总表", s);
    let mut row = 4;
    let mut no = 0;
    for u in s.by_unit() {
        sh.text(
            row,
            0,
            LAST,
            &format!("实施单位：{}（{} 项）", u.unit, u.declarations),
            Style::Label,
        );
        row += 1;
        for r in s.rows.iter().filter(|r| r.unit == u.unit) {
            no += 1;
            declaration_row(&mut sh, row, no, r);
            row += 1;
        }
        totals_row(&mut sh, row, "小计", &u.totals);
        row += 1;
    }
    totals_row(&mut sh, row, "合计", &s.totals());
    note_row(&mut sh, row + 1, s);
    sh
}

/// The columns of 单位成本: (heading, min/max width).
const COST: [(&str, (f64, f64)); 10] = [
    ("序号", (6.0, 8.0)),
    ("项目名称", (16.0, 36.0)),
    ("实施单位", (14.0, 30.0)),
    ("三级指标", (14.0, 30.0)),
    ("子任务", (8.0, 10.0)),
    ("资金（元）", (14.0, 20.0)),
    ("产出数量", (12.0, 16.0)),
    ("单位产出成本（元）", (14.0, 18.0)),
    ("计量单位", (10.0, 14.0)),
    ("资金口径", (20.0, 48.0)),
];

/// 单位成本 (成本预算绩效): every cost per output of the selection, then the outputs of
/// several units compared (cheapest first, each as a percentage of the cheapest), then how the
/// figures were made and what was not compared or had no figure.
fn cost_sheet(s: &UnitSummary) -> Sheet {
    use jixiao_evaluate::ROUNDING_ZH;
    let c = &s.costs;
    let mut sh = Sheet::new("单位成本".into(), COST.iter().map(|(_, b)| *b).collect());
    sh.landscape = true;
    let last = (COST.len() - 1) as u16;
    sh.title(0, "单位产出成本（成本预算绩效）", Style::Title);
    sh.title(1, &s.subtitle(Lang::Zh), Style::Subtitle);
    for (k, (h, _)) in COST.iter().enumerate() {
        sh.label(2, k as u16, k as u16, h);
    }
    sh.repeat_rows = Some((2, 2));
    let mut row = 3;
    for (k, i) in c.items.iter().enumerate() {
        sh.cell(row, 0, 0, Cell::Count(k as u64 + 1));
        sh.text(row, 1, 1, &i.project, Style::Text);
        sh.text(row, 2, 2, &i.unit, Style::Text);
        sh.text(
            row,
            3,
            3,
            &format!("{} {}", i.code, i.indicator),
            Style::Text,
        );
        let tasks: Vec<String> = i.tasks.iter().map(u32::to_string).collect();
        let tasks = if tasks.is_empty() {
            "全部".to_string()
        } else {
            tasks.join("、")
        };
        sh.text(row, 4, 4, &tasks, Style::Category);
        sh.cell(row, 5, 5, Cell::Amount(i.funds));
        sh.cell(
            row,
            6,
            6,
            Cell::Quantity(i.quantity, Some(i.measure.clone())),
        );
        sh.cell(row, 7, 7, Cell::Amount(i.cost));
        sh.text(row, 8, 8, &i.per(), Style::Category);
        sh.text(row, 9, 9, &i.basis.note(Lang::Zh), Style::Text);
        row += 1;
    }
    if c.items.is_empty() {
        sh.text(
            row,
            0,
            last,
            "所选项目没有带数值和计量单位的数量指标，无法计算单位产出成本",
            Style::Text,
        );
        row += 1;
    }
    if !c.comparisons.is_empty() {
        row += 1;
        sh.text(
            row,
            0,
            last,
            "跨单位比较（同名、同计量单位，两个以上实施单位；单位成本从低到高）",
            Style::Label,
        );
        row += 1;
        for (k, h) in [
            "位次",
            "项目名称",
            "实施单位",
            "三级指标",
            "",
            "",
            "为最低的",
            "单位产出成本（元）",
            "计量单位",
            "资金口径",
        ]
        .iter()
        .enumerate()
        {
            match (k, *h) {
                (4, _) => sh.label(row, 4, 5, "比较指标"),
                (5, _) => {}
                _ => sh.label(row, k as u16, k as u16, h),
            }
        }
        row += 1;
        for g in &c.comparisons {
            // 位次: from the cheapest, within the comparison.
            for (k, e) in g.entries.iter().enumerate() {
                sh.cell(row, 0, 0, Cell::Count(k as u64 + 1));
                sh.text(row, 1, 1, &e.project, Style::Text);
                sh.text(row, 2, 2, &e.unit, Style::Text);
                sh.text(row, 3, 3, &e.indicator, Style::Text);
                sh.text(row, 4, 5, &g.key, Style::Text);
                let of_lowest = e.of_lowest.map_or(Cell::Blank, Cell::Percent);
                sh.cell(row, 6, 6, of_lowest);
                sh.cell(row, 7, 7, Cell::Amount(e.cost));
                sh.text(row, 8, 8, &g.per(), Style::Category);
                sh.text(row, 9, 9, &e.basis.note(Lang::Zh), Style::Text);
                row += 1;
            }
        }
    }
    row += 1;
    let mut notes = vec![format!("说明：{ROUNDING_ZH}")];
    if !c.mismatches.is_empty() {
        let m: Vec<String> = c
            .mismatches
            .iter()
            .map(|m| format!("{}（{}）", m.key, m.measures.join("、")))
            .collect();
        notes.push(format!("同名指标计量单位不同，未比较：{}", m.join("；")));
    }
    if !c.without_output.is_empty() {
        notes.push(format!(
            "没有带数值和计量单位的数量指标、未计算单位成本的项目：{}",
            c.without_output.join("、")
        ));
    }
    for n in notes {
        sh.text(row, 0, last, &n, Style::Body);
        row += 1;
    }
    sh
}

/// The sheets of the summary: one `汇总表` for a unit; for rows of several units (a
/// department's roll-up) `按实施单位汇总` (a row per unit) and `汇总表` (the declarations
/// grouped by unit, each group with its 小计); then `单位成本` (cost per output).
pub(crate) fn sheets(s: &UnitSummary) -> Vec<Sheet> {
    if s.by_unit().len() > 1 {
        vec![rollup_sheet(s), grouped_sheet(s), cost_sheet(s)]
    } else {
        vec![unit_sheet(s), cost_sheet(s)]
    }
}

// ---------------------------------------------------------------------------------------------
// HTML.

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em;text-align:center;margin:0}\
p.sub{text-align:center;margin:.3em 0 1em}\
table{border-collapse:collapse;margin:auto}\
th,td{border:1px solid #888;padding:.25em .5em}\
th{background:#eee;font-weight:bold;text-align:center}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
td.c{text-align:center}\
tfoot td{font-weight:bold}";

/// The summary table alone (`<table class="jixiao-summary">…</table>`), for pages that have
/// their own frame (the web app).
pub fn summary_table_html(s: &UnitSummary, lang: Lang) -> String {
    let columns = match lang {
        Lang::Zh => &COLUMNS,
        Lang::En => &COLUMNS_EN,
    };
    let mut h = String::new();
    h.push_str("<table class=\"jixiao-summary\">\n<thead>\n<tr>");
    let mut c = 0usize;
    while c < columns.len() {
        let (group, sub) = columns[c];
        if sub.is_empty() {
            let _ = write!(h, "<th rowspan=\"2\">{}</th>", escape(group));
            c += 1;
            continue;
        }
        let mut e = c;
        while e + 1 < columns.len() && columns[e + 1].0 == group {
            e += 1;
        }
        let _ = write!(h, "<th colspan=\"{}\">{}</th>", e - c + 1, escape(group));
        c = e + 1;
    }
    h.push_str("</tr>\n<tr>");
    for (_, sub) in columns.iter().filter(|(_, s)| !s.is_empty()) {
        let _ = write!(h, "<th>{}</th>", escape(sub));
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for (k, r) in s.rows.iter().enumerate() {
        let f = &r.findings;
        let n = |x: u32| format!("<td class=\"n\">{x}</td>");
        let light = match r.light {
            Some(l) => format!(
                "<td class=\"c\" style=\"background:#{:06X}\">{}</td>",
                light_rgb(l),
                lang.pick(l.zh(), l.en())
            ),
            None => "<td></td>".into(),
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}<td class=\"c\">{}</td>{}{}{}<td class=\"c\">{}</td>{}<td class=\"n\">{}</td><td class=\"c\">{}</td></tr>",
            k + 1,
            escape(&r.name),
            escape(&r.unit),
            escape(r.department.as_deref().unwrap_or("")),
            present::amount(r.funds),
            r.indicators.all().map(n).concat(),
            lang.pick(r.review_grade.zh(), r.review_grade.en()),
            n(f.errors),
            n(f.warnings),
            n(f.infos),
            lang.pick(r.status.zh(), r.status.id()),
            light,
            score_text(r, lang),
            r.grade.map(|g| lang.pick(g.zh(), g.en())).unwrap_or(""),
        );
    }
    h.push_str("</tbody>\n<tfoot>\n");
    let t = s.totals();
    let n = |x: u64| format!("<td class=\"n\">{x}</td>");
    let _ = writeln!(
        h,
        "<tr><td colspan=\"4\" class=\"c\">{}</td><td class=\"n\">{}</td>{}<td></td>{}<td colspan=\"4\"></td></tr>",
        lang.pick("合计", "Total"),
        t.funds.map(present::amount).unwrap_or_else(|| lang
            .pick("（合计超出范围）", "(total out of range)")
            .into()),
        t.indicators.map(n).concat(),
        t.findings.map(n).concat(),
    );
    if let Some(note) = s.department_note(lang) {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"{}\">{}</td></tr>",
            columns.len(),
            escape(note)
        );
    }
    h.push_str("</tfoot>\n</table>\n");
    h
}

/// 自评得分 as a cell shows it: the score, 无实际值, or nothing when not evaluated.
pub fn score_text(r: &SummaryRow, lang: Lang) -> String {
    match (r.score, r.score_state) {
        (Some(x), _) => present::decimal(x),
        (None, Some(st)) => lang.pick(st.zh(), st.en()).to_string(),
        (None, None) => String::new(),
    }
}

/// The summary as a self-contained HTML page in `lang` (`lang="zh-CN"` / `"en"`, CSS inline,
/// no external assets).
pub fn summary_html(s: &UnitSummary, lang: Lang) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{heading} {title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <h1>{heading}</h1>\n<p class=\"sub\">{title}</p>\n{table}</body>\n</html>\n",
        html_lang = lang.pick("zh-CN", "en"),
        heading = title(lang),
        title = escape(&s.subtitle(lang)),
        table = summary_table_html(s, lang),
    )
}
