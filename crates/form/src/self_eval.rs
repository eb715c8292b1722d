//! 项目支出绩效自评表 — reading last year's self-evaluation table.
//!
//! One reader for the national 财政部 format (财预〔2020〕10号), Shanghai's, and the XLSX that
//! `jixiao report self-eval` writes (`docs/report-layouts.md`, also after an edit in Excel or
//! WPS: merged cells split, blank rows added, numbers typed as text, a percentage format). The
//! labels are data (`templates/self-eval.toml`); columns are found by their header labels, so
//! the order and the number of columns may differ between layouts.
//!
//! A table becomes a [`SelfEvalSheet`]: the declaration it implies (a [`Project`]: name, units,
//! year, funds from 年初预算数, the 预期目标 as annual goal, the indicators with their targets),
//! and what the table *states*: 实际完成值 per indicator, 分值, 得分, 偏差原因, the budget row
//! (全年预算数, 全年执行数, 分值, 执行率, 得分) and the 总分. Stated numbers are kept as
//! stated, with their positions; nothing is recomputed here (the app compares them with its
//! own evaluation and reports the differences).
//!
//! The project period is not on a 自评表: it is read as the year (1 January to 31 December),
//! and a note says so. Amounts in 万元 are converted exactly to 元, with a note.

use std::sync::OnceLock;

use jixiao_model::{
    normalize_label, parse_amount_with_notes, Decimal, Form, Funds, Indicator, Level1, Level2,
    NaiveDate, Project, Target, FORM_FORMAT,
};
use serde::Deserialize;

use crate::diag::{Diagnostic, Level};
use crate::grid::{Cell, Grid, Row};
use crate::template::{vocabulary, Field};

/// A value as the table states it, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stated<T> {
    /// The value read.
    pub value: T,
    /// Line (Excel row).
    pub line: u32,
    /// Column (Excel column, or character column in text).
    pub column: u32,
}

/// The funds row of the 自评表 (年度资金总额), in 元.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedBudget {
    /// 年初预算数.
    pub initial: Option<Stated<Decimal>>,
    /// 全年预算数 (A).
    pub annual: Option<Stated<Decimal>>,
    /// 全年执行数 (B).
    pub spent: Option<Stated<Decimal>>,
    /// 分值.
    pub weight: Option<Stated<Decimal>>,
    /// 执行率, in percent (`98.61` for 98.61%).
    pub rate: Option<Stated<Decimal>>,
    /// 得分.
    pub score: Option<Stated<Decimal>>,
}

/// One indicator row as the 自评表 states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedIndicator {
    /// The indicator's code in [`SelfEvalSheet::project`].
    pub code: String,
    /// 三级指标.
    pub name: String,
    /// Line of the row.
    pub line: u32,
    /// 实际完成值 as written; `None` when blank (or `未填报`).
    pub actual: Option<Stated<String>>,
    /// 分值.
    pub weight: Option<Stated<Decimal>>,
    /// 得分.
    pub score: Option<Stated<Decimal>>,
    /// 偏差原因分析及改进措施.
    pub deviation_reason: Option<String>,
}

/// One 项目支出绩效自评表 read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfEvalSheet {
    /// The worksheet it came from (XLSX).
    pub sheet: Option<String>,
    /// Line where the table starts.
    pub line: u32,
    /// The declaration the table implies.
    pub project: Project,
    /// The funds row.
    pub budget: StatedBudget,
    /// 实际完成情况, as written.
    pub achieved: Option<String>,
    /// The indicator rows, in the order of [`Project::indicators`].
    pub indicators: Vec<StatedIndicator>,
    /// 总分 as stated.
    pub total: Option<Stated<Decimal>>,
    /// The self-evaluation scheme its layout names (`sichuan`, `hubei`; `None`: the national
    /// one), from `templates/self-eval.toml`.
    pub scheme: Option<String>,
    /// The points it prints for 预算执行情况 (`(10分)`) and for the indicators (`(90分)`).
    pub points: StatedPoints,
}

/// The points a 自评表 prints in its headings: `预算执行情况(20分)`, `年度绩效目标1 (80分)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedPoints {
    /// 预算执行情况's points.
    pub budget: Option<Decimal>,
    /// The indicators' points.
    pub indicators: Option<Decimal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelsFile {
    #[allow(dead_code)]
    template: toml::Value,
    titles: Titles,
    funds: FundsLabels,
    goals: GoalLabels,
    table: TableLabels,
    monitoring: MonitoringLabels,
    #[serde(default)]
    scheme: Vec<SchemeLabels>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeLabels {
    id: String,
    labels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonitoringLabels {
    title: Vec<String>,
    as_of: Vec<String>,
    budget: Vec<String>,
    spent: Vec<String>,
    value: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Titles {
    self_evaluation: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FundsLabels {
    heading: Vec<String>,
    initial: Vec<String>,
    annual: Vec<String>,
    spent: Vec<String>,
    weight: Vec<String>,
    rate: Vec<String>,
    score: Vec<String>,
    #[serde(default)]
    reason: Vec<String>,
    total: Vec<String>,
    fiscal: Vec<String>,
    carryover: Vec<String>,
    other: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoalLabels {
    heading: Vec<String>,
    expected: Vec<String>,
    achieved: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableLabels {
    level1: Vec<String>,
    level2: Vec<String>,
    level3: Vec<String>,
    target: Vec<String>,
    #[serde(default)]
    nature: Vec<String>,
    #[serde(default)]
    unit: Vec<String>,
    actual: Vec<String>,
    weight: Vec<String>,
    score: Vec<String>,
    reason: Vec<String>,
    total: Vec<String>,
    ignored: Vec<String>,
}

/// The embedded label file of the 自评表.
pub const SELF_EVAL_TEMPLATE: &str = include_str!("../templates/self-eval.toml");

fn labels() -> &'static LabelsFile {
    static L: OnceLock<LabelsFile> = OnceLock::new();
    L.get_or_init(|| {
        let mut l: LabelsFile = toml::from_str(SELF_EVAL_TEMPLATE).unwrap_or_else(|_| LabelsFile {
            // Checked by `the_label_file_loads`; never reached with the embedded file.
            template: toml::Value::Boolean(false),
            titles: Titles {
                self_evaluation: vec!["绩效自评表".into()],
            },
            funds: FundsLabels {
                heading: vec![],
                initial: vec![],
                annual: vec![],
                spent: vec![],
                weight: vec![],
                rate: vec![],
                score: vec![],
                reason: vec![],
                total: vec![],
                fiscal: vec![],
                carryover: vec![],
                other: vec![],
            },
            goals: GoalLabels {
                heading: vec![],
                expected: vec![],
                achieved: vec![],
            },
            table: TableLabels {
                level1: vec![],
                level2: vec![],
                level3: vec![],
                target: vec![],
                nature: vec![],
                unit: vec![],
                actual: vec![],
                weight: vec![],
                score: vec![],
                reason: vec![],
                total: vec![],
                ignored: vec![],
            },
            monitoring: MonitoringLabels::default(),
            scheme: Vec::new(),
        });
        let norm = |v: &mut Vec<String>| {
            for s in v.iter_mut() {
                *s = normalize_label(s);
            }
        };
        norm(&mut l.titles.self_evaluation);
        let f = &mut l.funds;
        for v in [
            &mut f.heading,
            &mut f.initial,
            &mut f.annual,
            &mut f.spent,
            &mut f.weight,
            &mut f.rate,
            &mut f.score,
            &mut f.reason,
            &mut f.total,
            &mut f.fiscal,
            &mut f.carryover,
            &mut f.other,
        ] {
            norm(v);
        }
        let g = &mut l.goals;
        for v in [&mut g.heading, &mut g.expected, &mut g.achieved] {
            norm(v);
        }
        let t = &mut l.table;
        for v in [
            &mut t.level1,
            &mut t.level2,
            &mut t.level3,
            &mut t.target,
            &mut t.nature,
            &mut t.unit,
            &mut t.actual,
            &mut t.weight,
            &mut t.score,
            &mut t.reason,
            &mut t.total,
            &mut t.ignored,
        ] {
            norm(v);
        }
        for sc in &mut l.scheme {
            norm(&mut sc.labels);
        }
        let m = &mut l.monitoring;
        for v in [
            &mut m.title,
            &mut m.as_of,
            &mut m.budget,
            &mut m.spent,
            &mut m.value,
        ] {
            norm(v);
        }
        l
    })
}

fn is(list: &[String], norm: &str) -> bool {
    list.iter().any(|l| l == norm)
}

fn label(text: &str) -> String {
    if text.len() > 96 {
        return String::new();
    }
    normalize_label(text)
}

/// A goal heading of the 自评表 (预期目标, 实际完成情况 …).
pub fn is_goal_label(norm: &str) -> bool {
    let g = &labels().goals;
    is(&g.expected, norm) || is(&g.achieved, norm)
}

/// A column label of the 自评表's indicator table or of its funds block (`norm`: a
/// [`normalize_label`]d text).
pub fn is_column_label(norm: &str) -> bool {
    let t = &labels().table;
    [
        &t.level1, &t.level2, &t.level3, &t.target, &t.nature, &t.unit, &t.actual, &t.weight,
        &t.score, &t.reason,
    ]
    .iter()
    .any(|l| is(l, norm))
        || is_funds_column(norm)
}

/// A column label of the funds block (年初预算数, 全年预算数, 执行率, 得分 …).
pub fn is_funds_column(norm: &str) -> bool {
    let f = &labels().funds;
    [
        &f.initial, &f.annual, &f.spent, &f.weight, &f.rate, &f.score, &f.reason,
    ]
    .iter()
    .any(|l| is(l, norm))
}

/// The heading of the funds block (`预算执行情况(10分)`, `年度预算数(万元)`: a prefix).
pub fn is_funds_heading(norm: &str) -> bool {
    labels()
        .funds
        .heading
        .iter()
        .any(|h| norm.starts_with(h.as_str()))
}

/// The label of a funds row (年度资金总额, 其中：财政资金, 其他资金 …).
pub fn is_funds_row_label(norm: &str) -> bool {
    let f = &labels().funds;
    let n = norm.trim_end_matches(':');
    [&f.total, &f.fiscal, &f.carryover, &f.other]
        .iter()
        .any(|l| is(l, n))
}

/// The label of the row after the indicator table (总分, 合计).
pub fn is_total_label(norm: &str) -> bool {
    is(&labels().table.total, norm)
}

/// An instruction of a blank form printed where the text goes (`对照年度目标，说明…（100字以内）`).
fn is_instruction(text: &str) -> bool {
    let n = normalize_label(text);
    n.ends_with("字以内)") || n.ends_with("字以内)。")
}

/// True when the grid's first rows hold a 自评表 title (`项目支出绩效自评表`).
pub fn is_self_evaluation(grid: &Grid) -> bool {
    grid.rows
        .iter()
        .filter(|r| !r.is_blank())
        .take(6)
        .any(|r| r.filled().any(|(_, c)| is_title(&label(&c.text))))
}

fn is_title(norm: &str) -> bool {
    !norm.contains("汇总")
        && labels()
            .titles
            .self_evaluation
            .iter()
            .any(|t| norm.contains(t.as_str()))
}

/// Reads every 自评表 of a grid (one after another), with diagnostics at grid positions.
/// `whole_cells`: columns number whole cells (XLSX).
pub fn read(grid: &Grid, whole_cells: bool) -> (Vec<SelfEvalSheet>, Vec<Diagnostic>) {
    let mut r = Reader {
        diags: Vec::new(),
        out: Vec::new(),
        whole_cells,
    };
    r.run(&grid.rows);
    (r.out, r.diags)
}

/// Reads the 自评表 of a grid as a [`Form`] of their declarations (see [`read`]).
pub fn to_form(sheets: &[SelfEvalSheet]) -> Form {
    Form {
        format: FORM_FORMAT.to_string(),
        title: None,
        projects: sheets.iter().map(|s| s.project.clone()).collect(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Funds,
    Goals,
    Table,
    After,
}

#[derive(Debug, Default, Clone, Copy)]
struct FundsCols {
    initial: Option<usize>,
    annual: Option<usize>,
    spent: Option<usize>,
    weight: Option<usize>,
    rate: Option<usize>,
    score: Option<usize>,
}

#[derive(Debug, Default, Clone, Copy)]
struct TableCols {
    level1: Option<usize>,
    level2: Option<usize>,
    level3: usize,
    target: Option<usize>,
    nature: Option<usize>,
    unit: Option<usize>,
    actual: Option<usize>,
    weight: Option<usize>,
    score: Option<usize>,
    reason: Option<usize>,
}

#[derive(Debug, Clone)]
struct Located {
    text: String,
    line: u32,
    column: u32,
}

#[derive(Debug, Clone)]
struct RawIndicator {
    line: u32,
    level1: Option<Located>,
    level2: Option<Located>,
    name: Located,
    target: Option<Located>,
    actual: Option<Located>,
    weight: Option<Stated<Decimal>>,
    score: Option<Stated<Decimal>>,
    reason: Option<String>,
}

#[derive(Default)]
struct Draft {
    line: u32,
    year: Option<i32>,
    name: Option<Located>,
    department: Option<Located>,
    unit: Option<Located>,
    multiplier: Option<(Decimal, String)>,
    funds: Option<FundsCols>,
    budget: StatedBudget,
    fiscal: Option<Decimal>,
    carryover: Option<Decimal>,
    other: Option<Decimal>,
    goal_cols: Option<(usize, usize)>,
    expected: Vec<String>,
    achieved: Vec<String>,
    table: Option<TableCols>,
    rows: Vec<RawIndicator>,
    total: Option<Stated<Decimal>>,
    scheme: Option<String>,
    points: StatedPoints,
    bad: bool,
}

/// `N` of a heading's `(N分)` (`预算执行情况(10分)`, `得分(20分*执行率)`).
fn points_in(norm: &str) -> Option<Decimal> {
    let end = norm.find("分)").or_else(|| norm.find("分*"))?;
    let start = norm[..end].rfind('(')? + 1;
    norm[start..end].parse().ok()
}

struct Reader {
    diags: Vec<Diagnostic>,
    out: Vec<SelfEvalSheet>,
    whole_cells: bool,
}

fn title_year(title: &str) -> Option<i32> {
    let idx = title.find("年度").or_else(|| title.find('年'))?;
    let digits: String = title[..idx]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() == 4 {
        digits.chars().rev().collect::<String>().parse().ok()
    } else {
        None
    }
}

/// A cell that says "nothing here": blank, a dash, a slash.
fn is_nil(t: &str) -> bool {
    let t = t.trim();
    t.is_empty() || matches!(t, "-" | "—" | "--" | "——" | "/" | "／" | "无" | "未填报")
}

impl Reader {
    fn run(&mut self, rows: &[Row]) {
        let mut draft: Option<Draft> = None;
        let mut section = Section::Header;
        for row in rows {
            if row.is_blank() {
                continue;
            }
            let filled: Vec<(usize, &Cell)> = row.filled().collect();
            let norms: Vec<String> = filled.iter().map(|(_, c)| label(&c.text)).collect();
            if norms.iter().any(|n| is_title(n)) {
                self.finish(draft.take());
                let title = filled
                    .iter()
                    .map(|(_, c)| c.text.trim())
                    .collect::<Vec<_>>()
                    .join("");
                draft = Some(Draft {
                    line: row.line,
                    year: title_year(&title),
                    ..Draft::default()
                });
                section = Section::Header;
                continue;
            }
            let Some(d) = draft.as_mut() else {
                if norms
                    .iter()
                    .any(|n| matches!(vocabulary().field(n), Some((Field::Name, _, _))))
                {
                    let mut d = Draft {
                        line: row.line,
                        ..Draft::default()
                    };
                    self.header_row(row, &filled, &mut d);
                    draft = Some(d);
                } else {
                    self.diags.push(Diagnostic::warning(
                        row.line,
                        filled[0].1.column,
                        "自评表标题之前的文字未识别，已忽略",
                        "text before the self-evaluation table's title was not recognised and is ignored",
                    ));
                }
                continue;
            };
            if filled.len() == 1 {
                let t = norms[0].trim_start_matches('(').trim_end_matches(')');
                if let Some(y) = t.strip_suffix("年度").filter(|y| y.len() == 4) {
                    if let Ok(y) = y.parse() {
                        d.year = Some(y);
                        continue;
                    }
                }
            }
            let l = labels();
            for n in &norms {
                if let Some(sc) = l.scheme.iter().find(|sc| is(&sc.labels, n)) {
                    d.scheme.get_or_insert_with(|| sc.id.clone());
                }
                if let Some(p) = points_in(n) {
                    if is_funds_heading(n) || n.contains("执行") {
                        d.points.budget.get_or_insert(p);
                    } else if d.table.is_none() && (n.contains("指标") || n.contains("目标")) {
                        d.points.indicators.get_or_insert(p);
                    }
                }
            }
            // The funds header: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分.
            let funds_labels = [
                &l.funds.initial,
                &l.funds.annual,
                &l.funds.spent,
                &l.funds.rate,
            ];
            let funds_hits = norms
                .iter()
                .filter(|n| funds_labels.iter().any(|list| is(list, n)))
                .count();
            if funds_hits >= 2 {
                let mut cols = FundsCols::default();
                for ((idx, cell), n) in filled.iter().zip(&norms) {
                    let slot = if is(&l.funds.initial, n) {
                        &mut cols.initial
                    } else if is(&l.funds.annual, n) {
                        &mut cols.annual
                    } else if is(&l.funds.spent, n) {
                        &mut cols.spent
                    } else if is(&l.funds.weight, n) {
                        &mut cols.weight
                    } else if is(&l.funds.rate, n) {
                        &mut cols.rate
                    } else if is(&l.funds.score, n) {
                        &mut cols.score
                    } else {
                        self.funds_heading(d, n, cell);
                        continue;
                    };
                    *slot = Some(*idx);
                }
                d.funds = Some(cols);
                section = Section::Funds;
                continue;
            }
            // The indicator table's header.
            if norms.iter().any(|n| is(&l.table.level3, n))
                && norms
                    .iter()
                    .any(|n| is(&l.table.score, n) || is(&l.table.actual, n))
            {
                let mut cols = TableCols::default();
                let mut level3 = None;
                for ((idx, _), n) in filled.iter().zip(&norms) {
                    let t = &l.table;
                    let idx = Some(*idx);
                    if is(&t.level1, n) {
                        cols.level1 = idx;
                    } else if is(&t.level2, n) {
                        cols.level2 = idx;
                    } else if is(&t.level3, n) {
                        level3 = idx;
                    } else if is(&t.target, n) {
                        cols.target = idx;
                    } else if is(&t.nature, n) {
                        cols.nature = idx;
                    } else if is(&t.unit, n) {
                        cols.unit = idx;
                    } else if is(&t.actual, n) {
                        cols.actual = idx;
                    } else if is(&t.weight, n) {
                        cols.weight = idx;
                    } else if is(&t.score, n) {
                        cols.score = idx;
                    } else if is(&t.reason, n) {
                        cols.reason = idx;
                    }
                }
                if let Some(l3) = level3 {
                    cols.level3 = l3;
                    d.table = Some(cols);
                    section = Section::Table;
                }
                continue;
            }
            // The goals header: 年度总体目标 | 预期目标 | 实际完成情况.
            let expected = filled
                .iter()
                .zip(&norms)
                .find(|(_, n)| is(&l.goals.expected, n));
            let achieved = filled
                .iter()
                .zip(&norms)
                .find(|(_, n)| is(&l.goals.achieved, n));
            if let (Some(((e, _), _)), Some(((a, _), _))) = (expected, achieved) {
                d.goal_cols = Some((*e, *a));
                section = Section::Goals;
                continue;
            }
            match section {
                Section::Funds => {
                    if !self.funds_row(row, &filled, &norms, d) {
                        section = Section::Header;
                        self.header_row(row, &filled, d);
                    }
                }
                Section::Goals => {
                    let (e, a) = d.goal_cols.unwrap_or((1, 2));
                    for ((idx, c), n) in filled.iter().zip(&norms) {
                        if is(&l.goals.heading, n) {
                            continue;
                        }
                        let text = c.text.trim().to_string();
                        if is_instruction(&text) {
                            self.diags.push(Diagnostic::note(
                                row.line,
                                c.column,
                                format!("「{text}」是空白表的填写说明，不是内容，未读取"),
                                format!("{text:?} is the blank form's instruction, not content; not read"),
                            ));
                            continue;
                        }
                        if *idx >= a {
                            d.achieved.push(text);
                        } else if *idx >= e {
                            d.expected.push(text);
                        }
                    }
                    section = Section::Header;
                }
                Section::Table => {
                    if is(&l.table.total, &norms[0]) {
                        if let Some(cols) = d.table {
                            d.total = cols.score.and_then(|s| self.number_at(row, s, d));
                        }
                        section = Section::After;
                    } else if is(&l.table.ignored, &norms[0]) && filled.len() <= 2 {
                        // 评价等级 / 提示 rows: derived, not read.
                    } else {
                        self.indicator_row(row, d);
                    }
                }
                Section::After => {}
                Section::Header => self.header_row(row, &filled, d),
            }
        }
        self.finish(draft.take());
        if self.out.is_empty() && !self.diags.iter().any(|d| d.level == Level::Error) {
            self.diags.push(Diagnostic::error(
                1,
                1,
                "未找到项目支出绩效自评表：缺少标题或「项目名称」",
                "no self-evaluation table (项目支出绩效自评表) found: no title or 项目名称",
            ));
        }
    }

    /// `项目资金（万元）`: the block's amounts are in 万元.
    fn funds_heading(&mut self, d: &mut Draft, norm: &str, cell: &Cell) {
        if labels()
            .funds
            .heading
            .iter()
            .any(|h| norm.starts_with(h.as_str()))
            && norm.contains("万元")
        {
            d.multiplier = Some((Decimal::from(10000), cell.text.trim().to_string()));
        }
    }

    fn header_row(&mut self, row: &Row, filled: &[(usize, &Cell)], d: &mut Draft) {
        let mut k = 0;
        while k < filled.len() {
            let (_, cell) = filled[k];
            let norm = label(&cell.text);
            let (norm, inline) = match norm.split_once(':') {
                Some((a, v)) if vocabulary().field(a).is_some() && !v.is_empty() => {
                    let raw = cell
                        .text
                        .split_once([':', '：'])
                        .map_or("", |(_, v)| v)
                        .trim()
                        .to_string();
                    (a.to_string(), Some(raw))
                }
                _ => (norm, None),
            };
            let field = vocabulary().field(&norm).map(|(f, _, _)| f);
            let value = match (inline, field) {
                (Some(v), _) => Some(Located {
                    text: v,
                    line: row.line,
                    column: cell.column,
                }),
                (None, Some(_)) => match filled.get(k + 1) {
                    Some((_, next)) if vocabulary().field(&label(&next.text)).is_none() => {
                        k += 1;
                        Some(Located {
                            text: next.text.trim().to_string(),
                            line: row.line,
                            column: next.column,
                        })
                    }
                    _ => None,
                },
                (None, None) => None,
            };
            match (field, value) {
                (Some(Field::Name), v) => d.name = v.or(d.name.take()),
                (Some(Field::Department), v) => d.department = v.or(d.department.take()),
                (Some(Field::Unit), v) => d.unit = v.or(d.unit.take()),
                (Some(_), _) => {}
                (None, _) => {
                    let before = d.multiplier.is_some();
                    self.funds_heading(d, &norm, cell);
                    let known = d.multiplier.is_some() != before
                        || labels()
                            .funds
                            .heading
                            .iter()
                            .any(|h| norm.starts_with(h.as_str()))
                        || is(&labels().goals.heading, &norm)
                        || is(&labels().table.ignored, &norm);
                    if !known {
                        self.diags.push(Diagnostic::warning(
                            row.line,
                            cell.column,
                            format!("未识别的内容「{}」，已忽略", cell.text.trim()),
                            format!("unrecognised text {:?} is ignored", cell.text.trim()),
                        ));
                    }
                }
            }
            k += 1;
        }
    }

    /// A funds row (年度资金总额, 其中：当年财政拨款 …). False when the row is not one.
    fn funds_row(
        &mut self,
        row: &Row,
        filled: &[(usize, &Cell)],
        norms: &[String],
        d: &mut Draft,
    ) -> bool {
        let f = &labels().funds;
        let Some(cols) = d.funds else { return false };
        let mut which = None;
        for ((_, c), n) in filled.iter().zip(norms) {
            let n = n.trim_end_matches(':');
            if is(&f.total, n) {
                which = Some(0);
            } else if is(&f.fiscal, n) {
                which = Some(1);
            } else if is(&f.carryover, n) {
                which = Some(2);
            } else if is(&f.other, n) {
                which = Some(3);
            } else {
                self.funds_heading(d, n, c);
                continue;
            }
            break;
        }
        let Some(which) = which else { return false };
        let initial = cols.initial.and_then(|i| self.amount_at(row, i, d));
        if which == 0 {
            d.budget.initial = initial;
            d.budget.annual = cols.annual.and_then(|i| self.amount_at(row, i, d));
            d.budget.spent = cols.spent.and_then(|i| self.amount_at(row, i, d));
            d.budget.weight = cols.weight.and_then(|i| self.number_at(row, i, d));
            d.budget.rate = cols.rate.and_then(|i| self.number_at(row, i, d));
            d.budget.score = cols.score.and_then(|i| self.number_at(row, i, d));
        } else {
            let v = initial.map(|s| s.value);
            match which {
                1 => d.fiscal = v,
                2 => d.carryover = v,
                // Several rows may name other funds (Sichuan: 财政专户管理资金, 单位资金, 其他资金).
                _ => {
                    d.other = match (d.other, v) {
                        (Some(a), Some(b)) => Some(a + b),
                        (a, b) => b.or(a),
                    }
                }
            }
        }
        true
    }

    fn cell(row: &Row, idx: usize) -> Option<&Cell> {
        row.cells.get(idx).filter(|c| !is_nil(&c.text))
    }

    /// An amount at cell `idx`, in 元 (converted exactly from 万元 when the block says so).
    fn amount_at(&mut self, row: &Row, idx: usize, d: &mut Draft) -> Option<Stated<Decimal>> {
        let c = Self::cell(row, idx)?;
        let (a, notes) = match parse_amount_with_notes(&c.text) {
            Ok(r) => r,
            Err(e) => {
                self.bad(
                    d,
                    row.line,
                    c.column,
                    &c.text,
                    "金额",
                    "amount",
                    &e.to_string(),
                );
                return None;
            }
        };
        for n in notes {
            self.diags.push(Diagnostic::warning(
                row.line,
                self.column_in(c, n.offset),
                n.zh,
                n.en,
            ));
        }
        let value = match &d.multiplier {
            None => a,
            Some((mul, lbl)) => {
                let yuan = a.checked_mul(*mul).map(|y| y.normalize());
                match yuan {
                    Some(y) if y.scale() <= 2 => {
                        let mut y = y;
                        y.rescale(2);
                        self.diags.push(Diagnostic::note(
                            row.line,
                            c.column,
                            format!(
                                "「{lbl}」以万元填写：{} 万元 读作 {} 元",
                                c.text.trim(),
                                jixiao_model::present::amount(y)
                            ),
                            format!(
                                "{lbl} is in 万元: {} 万元 is read as {} 元",
                                c.text.trim(),
                                jixiao_model::present::amount(y)
                            ),
                        ));
                        y
                    }
                    _ => {
                        self.bad(
                            d,
                            row.line,
                            c.column,
                            &c.text,
                            "金额",
                            "amount",
                            "折合为元后有不足一分的部分 / in 元 it has a fraction of a fen",
                        );
                        return None;
                    }
                }
            }
        };
        Some(Stated {
            value,
            line: row.line,
            column: c.column,
        })
    }

    /// A number (分值, 得分, 执行率) at cell `idx`: `10`, `10.00`, `98.61%` (read as 98.61).
    fn number_at(&mut self, row: &Row, idx: usize, d: &mut Draft) -> Option<Stated<Decimal>> {
        let c = Self::cell(row, idx)?;
        let t: String = c
            .text
            .chars()
            .map(jixiao_model::fold_char)
            .filter(|ch| !ch.is_whitespace())
            .collect();
        let t = t.strip_suffix('%').unwrap_or(&t);
        let t = t.strip_suffix('分').unwrap_or(t);
        match t.parse::<Decimal>() {
            Ok(v) => Some(Stated {
                value: v,
                line: row.line,
                column: c.column,
            }),
            Err(_) => {
                self.bad(
                    d,
                    row.line,
                    c.column,
                    &c.text,
                    "数值",
                    "number",
                    "应为数字，例如 10.00 或 98.61% / a number such as 10.00 or 98.61%",
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn bad(
        &mut self,
        d: &mut Draft,
        line: u32,
        column: u32,
        text: &str,
        what_zh: &str,
        what_en: &str,
        why: &str,
    ) {
        d.bad = true;
        let (zh, en) = why.split_once(" / ").unwrap_or((why, why));
        self.diags.push(Diagnostic::error(
            line,
            column,
            format!("{what_zh}「{}」无法识别：{zh}", text.trim()),
            format!("cannot read the {what_en} {:?}: {en}", text.trim()),
        ));
    }

    fn column_in(&self, c: &Cell, offset: usize) -> u32 {
        if self.whole_cells {
            c.column
        } else {
            c.column + offset as u32
        }
    }

    fn indicator_row(&mut self, row: &Row, d: &mut Draft) {
        let Some(cols) = d.table else { return };
        let at = |idx: Option<usize>| -> Option<Located> {
            let c = row.cells.get(idx?)?;
            let t = c.text.trim();
            (!t.is_empty()).then(|| Located {
                text: t.to_string(),
                line: row.line,
                column: c.column,
            })
        };
        let name = at(Some(cols.level3));
        let (level1, level2) = (at(cols.level1), at(cols.level2));
        let Some(name) = name else {
            if level1.is_none() && level2.is_none() {
                let (_, c) = row.filled().next().unwrap_or((0, &row.cells[0]));
                self.diags.push(Diagnostic::warning(
                    row.line,
                    c.column,
                    format!("指标表中的「{}」不在三级指标列，已忽略", c.text.trim()),
                    format!(
                        "{:?} in the indicator table is not in the 三级指标 column and is ignored",
                        c.text.trim()
                    ),
                ));
            }
            // A 一级/二级 label alone: carried to the rows below.
            if level1.is_some() || level2.is_some() {
                d.rows.push(RawIndicator {
                    line: 0,
                    level1,
                    level2,
                    name: Located {
                        text: String::new(),
                        line: 0,
                        column: 0,
                    },
                    target: None,
                    actual: None,
                    weight: None,
                    score: None,
                    reason: None,
                });
            }
            return;
        };
        let actual = at(cols.actual).filter(|a| !is_nil(&a.text));
        let weight = cols.weight.and_then(|i| self.number_at(row, i, d));
        let score = cols.score.and_then(|i| self.number_at(row, i, d));
        let reason = at(cols.reason)
            .map(|r| r.text)
            .filter(|r| !is_nil(r) && r != "（缺）");
        let target = match (at(cols.target), cols.nature.or(cols.unit)) {
            (Some(value), Some(_)) => {
                // A target split over 指标性质 / 指标值 / 度量单位, joined as printed.
                let op = at(cols.nature).map_or(String::new(), |n| {
                    crate::recognize::nature_op(&n.text).map_or(n.text, str::to_string)
                });
                let unit = at(cols.unit).map_or(String::new(), |u| u.text);
                let text = format!("{op}{}{unit}", value.text);
                if text != value.text {
                    self.diags.push(Diagnostic::note(
                        value.line,
                        value.column,
                        format!("指标值由指标性质、指标值、度量单位三列合成：「{text}」"),
                        format!(
                            "the target is joined from 指标性质, 指标值 and 度量单位: {text:?}"
                        ),
                    ));
                }
                Some(Located { text, ..value })
            }
            (value, _) => value,
        };
        d.rows.push(RawIndicator {
            line: row.line,
            level1,
            level2,
            name,
            target,
            actual,
            weight,
            score,
            reason,
        });
    }

    fn finish(&mut self, draft: Option<Draft>) {
        let Some(d) = draft else { return };
        let errors_before = self.errors();
        let missing = |s: &mut Self, zh: &str, en: &str| {
            s.diags.push(Diagnostic::error(
                d.line,
                1,
                format!("第 {} 行开始的自评表缺少「{zh}」", d.line),
                format!(
                    "the self-evaluation table starting at line {} has no {zh} ({en})",
                    d.line
                ),
            ));
        };
        if d.name.is_none() {
            missing(self, "项目名称", "project name");
        }
        if d.unit.is_none() {
            missing(self, "实施单位", "implementing unit");
        }
        if d.year.is_none() {
            missing(self, "年度", "year");
        }
        if d.table.is_none() {
            missing(
                self,
                "绩效指标表（一级指标/二级指标/三级指标/…/得分）",
                "indicator table",
            );
        }
        if d.budget.initial.is_none() && d.budget.annual.is_none() && !d.bad {
            missing(self, "年初预算数或全年预算数", "budget");
        }
        // Indicators: 一级/二级 carried down over merged cells.
        let mut l1: Option<Level1> = None;
        let mut l2: Option<Level2> = None;
        let mut indicators = Vec::new();
        let mut stated = Vec::new();
        for r in &d.rows {
            if let Some(c) = &r.level1 {
                match Level1::from_label(&c.text) {
                    Some(l) => {
                        if l1 != Some(l) {
                            l2 = None;
                        }
                        l1 = Some(l);
                    }
                    None => {
                        self.diags.push(Diagnostic::error(
                            c.line,
                            c.column,
                            format!("未知的一级指标「{}」", c.text),
                            format!("unknown 一级 category {:?}", c.text),
                        ));
                        continue;
                    }
                }
            }
            if let Some(c) = &r.level2 {
                let lv = Level2::from_label(&c.text)
                    .unwrap_or_else(|| Level2::Other(normalize_label(&c.text)));
                if let Some(implied) = lv.level1() {
                    l1 = Some(implied);
                }
                l2 = Some(lv);
            }
            if r.line == 0 {
                continue;
            }
            let (Some(level1), Some(level2)) = (l1, l2.clone()) else {
                self.diags.push(Diagnostic::error(
                    r.line,
                    r.name.column,
                    format!("指标「{}」没有一级或二级指标，无法归类", r.name.text),
                    format!(
                        "indicator {:?} has no 一级 or 二级 category: cannot classify it",
                        r.name.text
                    ),
                ));
                continue;
            };
            let Some(target_cell) = &r.target else {
                self.diags.push(Diagnostic::error(
                    r.line,
                    r.name.column,
                    format!("指标「{}」缺少年度指标值", r.name.text),
                    format!("indicator {:?} has no target (年度指标值)", r.name.text),
                ));
                continue;
            };
            let (tasks, name) = match jixiao_model::split_task_refs(&r.name.text) {
                Ok(refs) => (refs.tasks, refs.name.to_string()),
                Err(_) => (Vec::new(), r.name.text.clone()),
            };
            // A deadline without its year (`12月底前`) in the table's year, as a declaration's.
            let read = match d.year {
                Some(y) => Target::parse_in_year(&target_cell.text, y),
                None => Target::parse_with_notes(&target_cell.text),
            };
            let target = match read {
                Ok((t, notes)) => {
                    for n in notes {
                        self.diags.push(Diagnostic::warning(
                            target_cell.line,
                            target_cell.column,
                            n.zh,
                            n.en,
                        ));
                    }
                    t
                }
                Err(e) => {
                    let msg = e.kind.to_string();
                    let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
                    self.diags.push(Diagnostic::error(
                        target_cell.line,
                        target_cell.column,
                        format!(
                            "指标「{name}」的指标值「{}」无法识别：{zh}",
                            target_cell.text
                        ),
                        format!(
                            "cannot read the target {:?} of indicator {name:?}: {en}",
                            target_cell.text
                        ),
                    ));
                    continue;
                }
            };
            indicators.push(Indicator {
                id: None,
                code: String::new(),
                level1,
                level2,
                name: name.clone(),
                tasks,
                raw: target_cell.text.clone(),
                line: Some(r.line),
                target,
                library: None,
                core: false,
            });
            stated.push(StatedIndicator {
                code: String::new(),
                name,
                line: r.line,
                actual: r.actual.as_ref().map(|a| Stated {
                    value: a.text.clone(),
                    line: a.line,
                    column: a.column,
                }),
                weight: r.weight.clone(),
                score: r.score.clone(),
                deviation_reason: r.reason.clone(),
            });
        }
        if indicators.is_empty() && d.table.is_some() && self.errors() == errors_before {
            self.diags.push(Diagnostic::error(
                d.line,
                1,
                "自评表没有绩效指标",
                "the self-evaluation table has no indicators",
            ));
        }
        if self.errors() > errors_before || d.bad {
            return;
        }
        let (Some(name), Some(unit), Some(year)) = (d.name, d.unit, d.year) else {
            return;
        };
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return;
        };
        self.diags.push(Diagnostic::note(
            d.line,
            1,
            format!("自评表不载项目期限：按 {year} 年度读作 {start} 至 {end}"),
            format!("a self-evaluation table has no project period: read as the year {year}, {start} to {end}"),
        ));
        let total = match (&d.budget.initial, &d.budget.annual) {
            (Some(i), _) => i.value,
            (None, Some(a)) => {
                self.diags.push(Diagnostic::note(
                    a.line,
                    a.column,
                    "未填年初预算数：年度资金申请总额取全年预算数",
                    "no 年初预算数: the annual total is taken from 全年预算数",
                ));
                a.value
            }
            (None, None) => return,
        };
        let zero = Decimal::ZERO;
        let mut p = Project {
            id: None,
            year,
            name: name.text,
            nature: None,
            category: None,
            department: d.department.map(|v| v.text),
            unit: unit.text,
            start,
            end,
            funds: Funds {
                total,
                fiscal: d.fiscal.unwrap_or(zero),
                carryover: d.carryover.unwrap_or(zero),
                other: d.other.unwrap_or(zero),
            },
            project_funds: None,
            overall_goal: String::new(),
            annual_goal: d.expected.join("\n"),
            tasks: Vec::new(),
            indicators,
            department_targets: None,
        };
        p.assign_codes();
        for (s, i) in stated.iter_mut().zip(&p.indicators) {
            s.code = i.code.clone();
        }
        let achieved = Some(d.achieved.join("\n")).filter(|a| !a.trim().is_empty());
        self.out.push(SelfEvalSheet {
            sheet: None,
            line: d.line,
            project: p,
            budget: d.budget,
            achieved,
            indicators: stated,
            total: d.total,
            scheme: d.scheme,
            points: d.points,
        });
    }

    fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_file_loads() {
        let l: Result<LabelsFile, _> = toml::from_str(SELF_EVAL_TEMPLATE);
        assert!(l.is_ok(), "{l:?}");
        assert!(is_title(&normalize_label("项目支出绩效自评表")));
    }
}

/// One 项目支出绩效运行监控表 as `jixiao report monitoring` writes it, read back: the project,
/// the date, and the values to date (the table's lights, paces and forecasts are derived, and
/// not read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringSheet {
    /// The worksheet it came from (XLSX).
    pub sheet: Option<String>,
    /// Line where the table starts.
    pub line: u32,
    /// 年度.
    pub year: i32,
    /// 项目名称.
    pub project: String,
    /// 实施单位.
    pub unit: String,
    /// 截至日期.
    pub as_of: NaiveDate,
    /// 全年预算数, in 元.
    pub budget: Option<Stated<Decimal>>,
    /// 截至目前执行数, in 元.
    pub spent: Option<Stated<Decimal>>,
    /// One row per indicator.
    pub indicators: Vec<MonitoredIndicator>,
}

/// An indicator row of a 监控表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoredIndicator {
    /// Line of the row.
    pub line: u32,
    /// 二级指标 (carried over merged cells).
    pub level2: Level2,
    /// 三级指标 as written (with any sub-task reference).
    pub name: String,
    /// 截至目前完成值 as written; `None` when blank or `未填报`.
    pub value: Option<Stated<String>>,
}

/// True when the grid's first rows hold a 监控表 title (`项目支出绩效运行监控表`).
pub fn is_monitoring(grid: &Grid) -> bool {
    grid.rows.iter().filter(|r| !r.is_blank()).take(6).any(|r| {
        r.filled()
            .any(|(_, c)| is_monitoring_title(&label(&c.text)))
    })
}

fn is_monitoring_title(norm: &str) -> bool {
    labels()
        .monitoring
        .title
        .iter()
        .any(|t| norm.contains(t.as_str()))
}

/// Reads every 监控表 of a grid, with diagnostics at grid positions.
pub fn read_monitoring(grid: &Grid, whole_cells: bool) -> (Vec<MonitoringSheet>, Vec<Diagnostic>) {
    let mut r = Reader {
        diags: Vec::new(),
        out: Vec::new(),
        whole_cells,
    };
    let mut out = Vec::new();
    let l = labels();
    let m = &l.monitoring;
    // (line, year, name, unit, as_of, budget cols, table cols, rows)
    struct Draft {
        line: u32,
        year: Option<i32>,
        name: Option<String>,
        unit: Option<String>,
        as_of: Option<NaiveDate>,
        budget_cols: Option<(Option<usize>, Option<usize>)>,
        budget: Option<Stated<Decimal>>,
        spent: Option<Stated<Decimal>>,
        table: Option<(usize, Option<usize>, usize)>,
        level2: Option<Level2>,
        rows: Vec<MonitoredIndicator>,
    }
    let finish = |r: &mut Reader, d: Option<Draft>, out: &mut Vec<MonitoringSheet>| {
        let Some(d) = d else { return };
        match (d.year, d.name, d.unit, d.as_of) {
            (Some(year), Some(project), Some(unit), Some(as_of)) => out.push(MonitoringSheet {
                sheet: None,
                line: d.line,
                year,
                project,
                unit,
                as_of,
                budget: d.budget,
                spent: d.spent,
                indicators: d.rows,
            }),
            _ => r.diags.push(Diagnostic::error(
                d.line,
                1,
                format!(
                    "第 {} 行开始的监控表缺少年度、项目名称、实施单位或截至日期",
                    d.line
                ),
                format!(
                    "the monitoring table starting at line {} lacks its year, project name, unit or date (截至日期)",
                    d.line
                ),
            )),
        }
    };
    let mut draft: Option<Draft> = None;
    let mut scratch = self::Draft::default();
    for row in &grid.rows {
        if row.is_blank() {
            continue;
        }
        let filled: Vec<(usize, &Cell)> = row.filled().collect();
        let norms: Vec<String> = filled.iter().map(|(_, c)| label(&c.text)).collect();
        if norms.iter().any(|n| is_monitoring_title(n)) {
            finish(&mut r, draft.take(), &mut out);
            draft = Some(Draft {
                line: row.line,
                year: None,
                name: None,
                unit: None,
                as_of: None,
                budget_cols: None,
                budget: None,
                spent: None,
                table: None,
                level2: None,
                rows: Vec::new(),
            });
            continue;
        }
        let Some(d) = draft.as_mut() else { continue };
        if filled.len() == 1 {
            let t = norms[0].trim_start_matches('(').trim_end_matches(')');
            if let Some(y) = t.strip_suffix("年度").and_then(|y| y.parse().ok()) {
                d.year = Some(y);
                continue;
            }
        }
        // Header fields: 项目名称 | name | 截至日期 | date; 实施单位 | unit | 序时进度 | …
        let mut k = 0;
        let mut header = false;
        while k + 1 < filled.len() {
            let n = &norms[k];
            let next = filled[k + 1].1;
            match vocabulary().field(n).map(|f| f.0) {
                Some(Field::Name) => d.name = Some(next.text.trim().to_string()),
                Some(Field::Unit) => d.unit = Some(next.text.trim().to_string()),
                _ if is(&m.as_of, n) => match jixiao_model::parse_date(&next.text) {
                    Ok(date) => d.as_of = Some(date),
                    Err(e) => r.diags.push(Diagnostic::error(
                        row.line,
                        next.column,
                        format!("截至日期「{}」无法识别：{e}", next.text.trim()),
                        format!(
                            "cannot read the date {:?} (截至日期): {e}",
                            next.text.trim()
                        ),
                    )),
                },
                _ => {
                    k += 1;
                    continue;
                }
            }
            header = true;
            k += 2;
        }
        if header {
            continue;
        }
        let col = |list: &[String]| {
            filled
                .iter()
                .zip(&norms)
                .find(|(_, n)| is(list, n))
                .map(|((i, _), _)| *i)
        };
        if let (Some(b), Some(s)) = (col(&m.budget), col(&m.spent)) {
            d.budget_cols = Some((Some(b), Some(s)));
            continue;
        }
        if let (Some(l3), Some(v)) = (col(&l.table.level3), col(&m.value)) {
            d.table = Some((col(&l.table.level2).unwrap_or(1), Some(v), l3));
            continue;
        }
        if let (Some((b, s)), None, true) = (d.budget_cols, d.table, d.budget.is_none()) {
            d.budget = b.and_then(|i| r.amount_at(row, i, &mut scratch));
            d.spent = s.and_then(|i| r.amount_at(row, i, &mut scratch));
            continue;
        }
        let Some((l2col, vcol, l3)) = d.table else {
            continue;
        };
        if norms[0] == "提示" {
            continue;
        }
        if let Some(c) = row.cells.get(l2col).filter(|c| !c.text.trim().is_empty()) {
            d.level2 = Some(
                Level2::from_label(&c.text)
                    .unwrap_or_else(|| Level2::Other(normalize_label(&c.text))),
            );
        }
        let Some(name) = row.cells.get(l3).filter(|c| !c.text.trim().is_empty()) else {
            continue;
        };
        let Some(level2) = d.level2.clone() else {
            r.diags.push(Diagnostic::error(
                row.line,
                name.column,
                format!("指标「{}」没有二级指标", name.text.trim()),
                format!("indicator {:?} has no 二级 category", name.text.trim()),
            ));
            continue;
        };
        // `10/12 期按时` summarises the periods of a recurring deadline: derived, not a value.
        let value = vcol
            .and_then(|i| row.cells.get(i))
            .filter(|c| !is_nil(&c.text) && !c.text.contains("期按时"))
            .map(|c| Stated {
                value: c.text.trim().to_string(),
                line: row.line,
                column: c.column,
            });
        d.rows.push(MonitoredIndicator {
            line: row.line,
            level2,
            name: name.text.trim().to_string(),
            value,
        });
    }
    finish(&mut r, draft.take(), &mut out);
    (out, r.diags)
}
