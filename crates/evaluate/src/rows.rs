//! 实际完成值 / 执行数 rows — the pure layer between a CSV/XLSX reader and the store.
//!
//! A reader splits a file into [`Row`]s (header first, each with its line number);
//! [`parse_actual_rows`] and [`parse_spending_rows`] check every cell against the declared
//! projects and return typed records, or every error found. **All-or-nothing**: one bad cell and
//! no record is returned, so the caller changes nothing.
//!
//! One value typed for one indicator (a page's form, `jixiao actuals set`) is read by the same
//! code as a row ([`parse_actual_entry`]): the same observations, each error at its field
//! (`indicator`, `date`, `period`, `value`) instead of a line and a column.
//!
//! Actual rows: `project,indicator,date,value,note` with optional `code`, `period` and
//! `evidence`; the indicator may be named by `code` alone. Header names (compared width-folded,
//! case-insensitive; unknown columns are ignored; a missing column's error lists them all):
//!
//! | column | also |
//! |---|---|
//! | `project` | 项目, 项目名称 |
//! | `indicator` | 指标, 三级指标, 指标名称 |
//! | `code` | 指标编码, 编码 |
//! | `date` | 日期, 支付日期 |
//! | `period` | 期间, 填报期间 |
//! | `value` | 实际完成值, 完成值 |
//! | `note` | 说明, 备注 |
//! | `evidence` | 佐证材料, 佐证 |
//! | `amount` (spending) | 金额, 执行数, 支出金额 |
//! | `voucher` (spending) | 凭证号, 凭证编号, 单据号 |
//! | `year` | 年度, 项目年度 |
//!
//! **Which project.** A row names its project by `project`; when several years' declarations
//! share that name the `year` column is required (the refusal names the years and the column):
//! a row is never matched to a year by its date, which may fall in the next year. A `year` cell
//! that is not a year, or names a year with no declaration of that name, is refused at the cell.
//!
//! The `value` cell is read according to the indicator's target:
//!
//! | target | value |
//! |---|---|
//! | 定量 `≥15000.00(公里)` | a number, unit optional but checked: `13500公里`, `13,500`, `96%` |
//! | compound `不少于120项…；不少于318家…` | all parts in order `130项；320家；85次`, or one part picked by a unit no other part has (`320家`) |
//! | 时限 (date or recurring) | the completion date `2024-11-20` / `2024年11月20日`, or `未达成` (not done as of `date`) |
//! | 定性 | `达成`, `部分达成` or `未达成` |
//!
//! **Identity.** An actual value is identified by (indicator, 填报期间 [`ReportPeriod`]); a later
//! row with the same key is a correction and wins. The `period` cell is optional: when empty the
//! period is derived from the date and the target ([`ReportPeriod::for_target`]: the day for
//! one-off targets, the containing week/month/quarter… for a recurring deadline). When given it
//! must fit the target — a quarter (`2024Q1`, `2024年第一季度`) for a quarterly deadline, a day for
//! a one-off target (it then stands in for the date, which may be left empty) — and overlap the
//! project period; otherwise a row error names its line and column. Give it for a recurring
//! deadline whenever a report is made after its period ended (Q1 reported on 20 April).
//!
//! The `date` column is when the value was reached or reported and must lie inside the project
//! period; dates are read as people write them (`2024-06-30`, `2024/6/30`, `2024年6月30日`). A
//! completion date in `value` may lie up to `actuals.completion_after_end_days` after the period.
//!
//! Spending rows: `project,date,amount` with optional `note` and `voucher` (凭证号); a record's
//! identity is (declaration, date, voucher — or note when there is no voucher).

use chrono::{Days, NaiveDate};
use jixiao_model::{
    fold_char, is_blank, normalize_label, parse_amount, parse_date, scan_number, split_task_refs,
    Achievement, AmountError, Deadline, Indicator, NumberFix, Observation, ObservedValue, Project,
    ProjectKey, Quantity, ReportPeriod, SpendingRecord, Target,
};
use rust_decimal::Decimal;

use crate::error::{EntryError, Error, RowError, RowErrorKind};
use crate::policy::Policy;

/// One row of a table, already split into cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Line (CSV) or row number (XLSX) in the source, for messages.
    pub line: u32,
    /// The cells, in column order.
    pub cells: Vec<String>,
}

impl Row {
    /// A row from string slices.
    pub fn new(line: u32, cells: &[&str]) -> Row {
        Row {
            line,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }
}

/// 实际完成值 — one observation read from a row, with the project it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedActual {
    /// Source line.
    pub line: u32,
    /// The project (年度, 实施单位, 项目名称).
    pub project: ProjectKey,
    /// The observation; `indicator` is the indicator's code.
    pub observation: Observation,
}

/// 执行数 — one spending record read from a row, with its project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSpending {
    /// Source line.
    pub line: u32,
    /// The project.
    pub project: ProjectKey,
    /// The record.
    pub record: SpendingRecord,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Project,
    Indicator,
    Code,
    Date,
    Period,
    Value,
    Note,
    Evidence,
    Amount,
    Voucher,
    Year,
}

impl Col {
    const ALL: [Col; 11] = [
        Col::Project,
        Col::Indicator,
        Col::Code,
        Col::Date,
        Col::Period,
        Col::Value,
        Col::Note,
        Col::Evidence,
        Col::Amount,
        Col::Voucher,
        Col::Year,
    ];

    fn name(self) -> &'static str {
        self.names()[0]
    }

    /// Every header name of the column, the canonical one first (compared after
    /// [`normalize_label`] and lower-casing).
    fn names(self) -> &'static [&'static str] {
        match self {
            Col::Project => &["project", "项目", "项目名称"],
            Col::Indicator => &["indicator", "指标", "三级指标", "指标名称"],
            Col::Code => &["code", "指标编码", "编码"],
            Col::Date => &["date", "日期", "支付日期"],
            Col::Period => &["period", "期间", "填报期间"],
            Col::Value => &["value", "实际完成值", "完成值"],
            Col::Note => &["note", "说明", "备注"],
            Col::Evidence => &["evidence", "佐证材料", "佐证"],
            Col::Amount => &["amount", "金额", "执行数", "支出金额"],
            Col::Voucher => &["voucher", "凭证号", "凭证编号", "单据号"],
            Col::Year => &["year", "年度", "项目年度"],
        }
    }

    fn from_header(h: &str) -> Option<Col> {
        let n = normalize_label(h.trim_start_matches('\u{feff}')).to_lowercase();
        Col::ALL
            .into_iter()
            .find(|c| c.names().contains(&n.as_str()))
    }
}

/// What a header row heads (told by content, not by the file's name): 实际完成值 rows or 执行数
/// rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowsKind {
    /// 实际完成值 — a `value` column with `indicator` or `code`.
    Actuals,
    /// 执行数 — an `amount` column with `date`.
    Spending,
}

/// The kind of rows `header` heads, by the header names [`parse_actual_rows`] and
/// [`parse_spending_rows`] read; `None` for any other first row (a declaration form).
pub fn rows_kind(header: &Row) -> Option<RowsKind> {
    let cols: Vec<Col> = header
        .cells
        .iter()
        .filter_map(|c| Col::from_header(c))
        .collect();
    let has = |c: Col| cols.contains(&c);
    if has(Col::Amount) && has(Col::Date) && !has(Col::Value) {
        Some(RowsKind::Spending)
    } else if has(Col::Value) && (has(Col::Indicator) || has(Col::Code)) && !has(Col::Amount) {
        Some(RowsKind::Actuals)
    } else {
        None
    }
}

struct Header {
    cols: Vec<(Col, usize)>,
}

impl Header {
    /// Reads the header row. Each entry of `required` is a column and the columns that can stand
    /// in for it (`indicator` or `code`); one of them must be present.
    fn read(rows: &[Row], required: &[&[Col]], errors: &mut Vec<RowError>) -> Option<Header> {
        let Some(first) = rows.first() else {
            errors.push(RowError {
                line: 1,
                column: None,
                kind: RowErrorKind::NoHeader,
            });
            return None;
        };
        let mut cols: Vec<(Col, usize)> = Vec::new();
        let mut ok = true;
        for (i, cell) in first.cells.iter().enumerate() {
            if let Some(c) = Col::from_header(cell) {
                if cols.iter().any(|(x, _)| *x == c) {
                    errors.push(RowError {
                        line: first.line,
                        column: None,
                        kind: RowErrorKind::DuplicateColumn(c.name().to_string()),
                    });
                    ok = false;
                } else {
                    cols.push((c, i));
                }
            }
        }
        for alternatives in required {
            if !alternatives
                .iter()
                .any(|r| cols.iter().any(|(x, _)| x == r))
            {
                errors.push(RowError {
                    line: first.line,
                    column: None,
                    kind: RowErrorKind::MissingColumn {
                        column: alternatives[0].name(),
                        accepted: alternatives
                            .iter()
                            .flat_map(|c| c.names().iter().copied())
                            .collect(),
                    },
                });
                ok = false;
            }
        }
        ok.then_some(Header { cols })
    }

    /// The trimmed cell of `col`, empty when the column or the cell is absent.
    fn cell<'a>(&self, row: &'a Row, col: Col) -> &'a str {
        self.cols
            .iter()
            .find(|(c, _)| *c == col)
            .and_then(|(_, i)| row.cells.get(*i))
            .map_or("", |s| s.trim())
    }
}

struct Ctx<'a> {
    line: u32,
    errors: &'a mut Vec<RowError>,
}

impl Ctx<'_> {
    fn err(&mut self, col: Col, kind: RowErrorKind) {
        self.errors.push(RowError {
            line: self.line,
            column: Some(col.name()),
            kind,
        });
    }
}

/// The project a row names: by 项目名称, and by 年度 when the file has a `year` (年度) column
/// or when several years' declarations share the name (then the column is required: a row is
/// never matched to a year by its date, which may fall in the next year).
fn find_project<'p>(
    projects: &'p [Project],
    header: &Header,
    row: &Row,
    cx: &mut Ctx,
) -> Option<&'p Project> {
    let name = header.cell(row, Col::Project);
    if name.is_empty() {
        cx.err(Col::Project, RowErrorKind::Empty);
        return None;
    }
    let year = header.cell(row, Col::Year);
    let year = if year.is_empty() {
        None
    } else {
        let digits = year.trim_end_matches("年度").trim_end_matches('年').trim();
        match digits.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => Some(y),
            _ => {
                cx.err(Col::Year, RowErrorKind::BadYear(year.to_string()));
                return None;
            }
        }
    };
    let n = normalize_label(name);
    let named: Vec<&Project> = projects
        .iter()
        .filter(|p| normalize_label(&p.name) == n)
        .collect();
    let found: Vec<&Project> = match year {
        Some(y) => named.iter().copied().filter(|p| p.year == y).collect(),
        None => named.clone(),
    };
    match (found.as_slice(), year) {
        ([p], _) => Some(p),
        ([], Some(y)) if !named.is_empty() => {
            cx.err(
                Col::Year,
                RowErrorKind::UnknownProjectYear {
                    name: name.to_string(),
                    year: y,
                    years: years_of(&named),
                },
            );
            None
        }
        ([], _) => {
            cx.err(Col::Project, RowErrorKind::UnknownProject(name.to_string()));
            None
        }
        (several, _) => {
            cx.err(
                Col::Project,
                RowErrorKind::AmbiguousProject {
                    name: name.to_string(),
                    years: years_of(several),
                },
            );
            None
        }
    }
}

/// The years of `projects`, ascending, each once.
fn years_of(projects: &[&Project]) -> Vec<i32> {
    let mut years: Vec<i32> = projects.iter().map(|p| p.year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The normalised 三级 name without a sub-task prefix (`3. 名称` → `名称`).
fn name_key(name: &str) -> String {
    match split_task_refs(name) {
        Ok(r) => normalize_label(r.name),
        Err(_) => normalize_label(name),
    }
}

fn find_indicator<'p>(
    project: &'p Project,
    name: &str,
    code: &str,
    cx: &mut Ctx,
) -> Option<&'p Indicator> {
    if !code.is_empty() {
        let Some(ind) = project.indicator(code) else {
            cx.err(Col::Code, RowErrorKind::UnknownCode(code.to_string()));
            return None;
        };
        if !name.is_empty() && name_key(name) != name_key(&ind.name) {
            cx.err(
                Col::Code,
                RowErrorKind::CodeNameMismatch {
                    code: code.to_string(),
                    name: name.to_string(),
                    actual_name: ind.name.clone(),
                },
            );
            return None;
        }
        return Some(ind);
    }
    if name.is_empty() {
        cx.err(Col::Indicator, RowErrorKind::Empty);
        return None;
    }
    let key = name_key(name);
    let found: Vec<&Indicator> = project
        .indicators
        .iter()
        .filter(|i| name_key(&i.name) == key)
        .collect();
    match found.as_slice() {
        [i] => Some(i),
        [] => {
            cx.err(
                Col::Indicator,
                RowErrorKind::UnknownIndicator {
                    project: project.name.clone(),
                    name: name.to_string(),
                },
            );
            None
        }
        many => {
            cx.err(
                Col::Indicator,
                RowErrorKind::AmbiguousIndicator {
                    name: name.to_string(),
                    codes: many.iter().map(|i| i.code.clone()).collect(),
                },
            );
            None
        }
    }
}

/// A date within `start..=last`; the examples of an error are in `year` (the declaration's).
fn read_date_in(
    text: &str,
    col: Col,
    (start, last): (NaiveDate, NaiveDate),
    year: i32,
    cx: &mut Ctx,
) -> Option<NaiveDate> {
    if text.is_empty() {
        cx.err(col, RowErrorKind::Empty);
        return None;
    }
    match parse_date(text) {
        Ok(d) if d >= start && d <= last => Some(d),
        Ok(d) => {
            cx.err(
                col,
                RowErrorKind::DateOutsidePeriod {
                    date: d,
                    start,
                    end: last,
                },
            );
            None
        }
        Err(_) => {
            cx.err(
                col,
                RowErrorKind::BadDate {
                    text: text.to_string(),
                    year,
                },
            );
            None
        }
    }
}

/// A value cell read without looking at the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueText {
    Level(Achievement),
    Date(NaiveDate),
    Numbers(Vec<(Decimal, Option<String>)>),
    Text,
    /// A number that was not written plainly (`1,35O公里`, `95,5%`) or cannot be read safely
    /// (`3 0公里`, `13500、14000`): refused, with why, since a value row has no warnings.
    Unclear {
        zh: String,
        en: String,
    },
}

/// A unit as compared: width-folded, spaces and parentheses removed, `百分比` → `%`.
pub(crate) fn norm_unit(u: &str) -> String {
    let n = normalize_label(u);
    let n = n
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(&n)
        .to_string();
    match n.as_str() {
        "百分比" | "百分之" => "%".to_string(),
        _ => n,
    }
}

/// Reads one number and its unit from `piece` (width-folded characters of the cell from
/// `at`). The number rules are the forms' (`jixiao_model::scan_number`); what a form reads with
/// a warning is refused here with the reason (`Err((zh, en))`). `Ok(None)`: not a number.
type Unclear = (String, String);
fn read_number(
    cell: &str,
    piece: &[char],
    at: usize,
) -> Result<Option<(Decimal, Option<String>)>, Unclear> {
    let lead = piece.iter().take_while(|c| c.is_whitespace()).count();
    let mut i = lead;
    let neg = piece.get(i) == Some(&'-');
    if neg {
        i += 1;
    }
    let read = match scan_number(&piece[i..]) {
        Ok(Some(n)) => n,
        Ok(None) => return Ok(None),
        Err(e) => {
            let msg = e.kind.to_string();
            let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
            return Err((
                format!("实际完成值「{cell}」无法读取：{zh}"),
                format!("cannot read the value {cell:?}: {en}"),
            ));
        }
    };
    let value = if neg { -read.value } else { read.value };
    let rest: String = piece[i + read.len..].iter().collect();
    let unit = norm_unit(&rest);
    if let Some(fix) = read.fixes.first() {
        let shown = format!("{value}{unit}");
        return Err(match fix {
            NumberFix::Letter { letter, digit, .. } => {
                let written = cell.chars().nth(at + i + fix.offset()).unwrap_or(*letter);
                (
                    format!("实际完成值「{cell}」中有字母 {written}（是数字 {digit} 吗？若是，应写作 {shown}）：请改正后重新导入"),
                    format!("the value {cell:?} holds the letter {written} (the digit {digit}? then write {shown}): correct it and import again"),
                )
            }
            NumberFix::DecimalComma { without_comma, .. } => (
                format!("实际完成值「{cell}」中的逗号不是千位分隔符（千位分隔符后应为三位数字）：是 {shown} 还是 {without_comma}{unit}？请改正后重新导入"),
                format!("the comma in the value {cell:?} is not a thousands separator (which is followed by three digits): {shown} or {without_comma}{unit}? correct it and import again"),
            ),
        });
    }
    Ok(Some((value, (!unit.is_empty()).then_some(unit))))
}

pub(crate) fn read_value_text(text: &str) -> ValueText {
    if let Some(a) = Achievement::from_text(text) {
        return ValueText::Level(a);
    }
    if let Ok(d) = parse_date(text) {
        return ValueText::Date(d);
    }
    // Folding is one character for one, so offsets in `folded` are offsets in `text`.
    let folded: Vec<char> = text.chars().map(fold_char).collect();
    let mut out = Vec::new();
    let mut at = 0;
    for piece in folded.split(|c| *c == ';') {
        let start = at;
        at += piece.len() + 1;
        if piece.iter().all(|c| c.is_whitespace()) {
            continue;
        }
        match read_number(text, piece, start) {
            Ok(Some(n)) => out.push(n),
            Ok(None) => return ValueText::Text,
            Err((zh, en)) => return ValueText::Unclear { zh, en },
        }
    }
    if out.is_empty() {
        ValueText::Text
    } else {
        ValueText::Numbers(out)
    }
}

fn unit_label(q: &Quantity) -> String {
    q.unit.as_deref().map(norm_unit).unwrap_or_default()
}

/// Checks one number's unit against a clause; returns the unit to store.
fn check_unit(given: &Option<String>, q: &Quantity, cx: &mut Ctx) -> Option<Option<String>> {
    match (given, &q.unit) {
        (Some(g), Some(_)) if *g != unit_label(q) => {
            cx.err(
                Col::Value,
                RowErrorKind::WrongUnit {
                    given: g.clone(),
                    expected: unit_label(q),
                },
            );
            None
        }
        (Some(g), _) => Some(Some(g.clone())),
        (None, Some(_)) => Some(Some(unit_label(q))),
        (None, None) => Some(None),
    }
}

/// Reads the value cell against the indicator's target; one or more observed values.
fn read_value(
    text: &str,
    ind: &Indicator,
    project: &Project,
    policy: &Policy,
    cx: &mut Ctx,
) -> Option<Vec<ObservedValue>> {
    if text.is_empty() {
        cx.err(Col::Value, RowErrorKind::Empty);
        return None;
    }
    let v = read_value_text(text);
    if let (ValueText::Unclear { zh, en }, Target::Quantitative(_) | Target::Compound(_)) =
        (&v, &ind.target)
    {
        cx.err(
            Col::Value,
            RowErrorKind::UnclearNumber {
                zh: zh.clone(),
                en: en.clone(),
            },
        );
        return None;
    }
    let number = |value: Decimal, unit: Option<String>| ObservedValue::Number { value, unit };
    match &ind.target {
        Target::Quantitative(q) => match v {
            ValueText::Numbers(ns) if ns.len() == 1 => {
                let (value, unit) = ns.into_iter().next()?;
                let unit = check_unit(&unit, q, cx)?;
                Some(vec![number(value, unit)])
            }
            ValueText::Numbers(ns) => {
                cx.err(
                    Col::Value,
                    RowErrorKind::PartCount {
                        given: ns.len(),
                        expected: 1,
                    },
                );
                None
            }
            _ => {
                cx.err(
                    Col::Value,
                    RowErrorKind::ExpectedNumber {
                        text: text.to_string(),
                        target: ind.raw.clone(),
                    },
                );
                None
            }
        },
        Target::Compound(parts) => match v {
            ValueText::Numbers(ns) if ns.len() == parts.len() => {
                let mut out = Vec::new();
                let mut ok = true;
                for ((value, unit), q) in ns.into_iter().zip(parts) {
                    match check_unit(&unit, q, cx) {
                        Some(u) => out.push(number(value, u)),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            ValueText::Numbers(ns) if ns.len() == 1 => {
                let (value, unit) = ns.into_iter().next()?;
                let Some(unit) = unit else {
                    cx.err(
                        Col::Value,
                        RowErrorKind::AmbiguousPart {
                            unit: String::new(),
                        },
                    );
                    return None;
                };
                let matching = parts.iter().filter(|q| unit_label(q) == unit).count();
                match matching {
                    1 => Some(vec![number(value, Some(unit))]),
                    0 => {
                        let expected: Vec<String> = parts.iter().map(unit_label).collect();
                        cx.err(
                            Col::Value,
                            RowErrorKind::WrongUnit {
                                given: unit,
                                expected: expected.join("；"),
                            },
                        );
                        None
                    }
                    _ => {
                        cx.err(Col::Value, RowErrorKind::AmbiguousPart { unit });
                        None
                    }
                }
            }
            ValueText::Numbers(ns) => {
                cx.err(
                    Col::Value,
                    RowErrorKind::PartCount {
                        given: ns.len(),
                        expected: parts.len(),
                    },
                );
                None
            }
            _ => {
                cx.err(
                    Col::Value,
                    RowErrorKind::ExpectedNumber {
                        text: text.to_string(),
                        target: ind.raw.clone(),
                    },
                );
                None
            }
        },
        Target::Deadline(_) => match v {
            ValueText::Date(d) => {
                let last = project
                    .end
                    .max(project.start)
                    .checked_add_days(Days::new(u64::from(
                        policy.actuals.completion_after_end_days,
                    )))
                    .unwrap_or(NaiveDate::MAX);
                if d < project.start || d > last {
                    cx.err(
                        Col::Value,
                        RowErrorKind::DateOutsidePeriod {
                            date: d,
                            start: project.start,
                            end: last,
                        },
                    );
                    return None;
                }
                Some(vec![ObservedValue::Date { date: d }])
            }
            ValueText::Level(Achievement::NotMet) => Some(vec![ObservedValue::Level {
                level: Achievement::NotMet,
            }]),
            _ => {
                cx.err(
                    Col::Value,
                    RowErrorKind::ExpectedDate {
                        text: text.to_string(),
                    },
                );
                None
            }
        },
        Target::Qualitative(_) => match v {
            ValueText::Level(level) => Some(vec![ObservedValue::Level { level }]),
            _ => {
                cx.err(
                    Col::Value,
                    RowErrorKind::ExpectedLevel {
                        text: text.to_string(),
                    },
                );
                None
            }
        },
    }
}

/// Checks a given 填报期间 against the target: a period of the recurring deadline's kind; for
/// any other target a day, or a month, quarter … that holds the row's date (`2025Q2` with
/// 2025-06-30: the value as of that date, the period's end — a cumulative indicator reported
/// quarterly), read as that day. It must overlap the project period.
fn check_period(
    p: ReportPeriod,
    text: &str,
    date: Option<NaiveDate>,
    ind: &Indicator,
    project: &Project,
    cx: &mut Ctx,
) -> Option<ReportPeriod> {
    let expected = match &ind.target {
        Target::Deadline(Deadline::Recurring(r)) => Some(r.period),
        _ => None,
    };
    if expected.is_none() && p.kind().is_some() {
        // A value that is not per period (a cumulative count, a rate, a level, a one-off
        // date) reported for a month or quarter: the value as of its date within it.
        let date = date?;
        if !p.contains(date) {
            cx.err(
                Col::Date,
                RowErrorKind::DateOutsideGivenPeriod {
                    date,
                    period: p.to_string(),
                    period_zh: p.zh(),
                },
            );
            return None;
        }
        return Some(ReportPeriod::Day(date));
    }
    if p.kind() != expected {
        cx.err(
            Col::Period,
            RowErrorKind::PeriodKind {
                given: text.to_string(),
                expected,
                year: project.year,
            },
        );
        return None;
    }
    let end = project.end.max(project.start);
    let overlaps = matches!(
        (p.first_day(), p.last_day()),
        (Some(a), Some(b)) if a <= end && b >= project.start
    );
    if !overlaps {
        cx.err(
            Col::Period,
            RowErrorKind::PeriodOutsideProject {
                period: p.to_string(),
                start: project.start,
                end,
            },
        );
        return None;
    }
    Some(p)
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn is_blank_row(row: &Row) -> bool {
    row.cells.iter().all(|c| is_blank(c))
}

/// The cells of one 实际完成值, as a row or an entry gives them (trimmed; empty when absent).
struct ActualCells<'a> {
    indicator: &'a str,
    code: &'a str,
    date: &'a str,
    period: &'a str,
    value: &'a str,
    note: &'a str,
    evidence: &'a str,
}

/// One 实际完成值 read against its project — the one reading of a row of a file and of an
/// entry typed on a page or a command line: the indicator, the date, the period (given, or
/// derived from the date and the target) and the value(s). `None` when something did not
/// read; each problem is in `cx`, at its column.
fn read_actual<'p>(
    c: &ActualCells<'_>,
    project: &'p Project,
    policy: &Policy,
    cx: &mut Ctx,
) -> Option<(&'p Indicator, ReportPeriod, Vec<Observation>)> {
    let ind = find_indicator(project, c.indicator, c.code, cx);
    let given_period = if c.period.is_empty() {
        None
    } else {
        match c.period.parse::<ReportPeriod>() {
            Ok(p) => Some(Some(p)),
            Err(_) => {
                cx.err(
                    Col::Period,
                    RowErrorKind::BadPeriod {
                        text: c.period.to_string(),
                        year: project.year,
                    },
                );
                Some(None)
            }
        }
    };
    let span = (project.start, project.end.max(project.start));
    let date = match given_period {
        // A day given as the period stands in for an absent date.
        Some(Some(ReportPeriod::Day(d))) if c.date.is_empty() => {
            read_date_in(&d.to_string(), Col::Period, span, project.year, cx)
        }
        _ => read_date_in(c.date, Col::Date, span, project.year, cx),
    };
    let ind = ind?;
    let period = match given_period {
        None => date.map(|d| ReportPeriod::for_target(&ind.target, d)),
        Some(None) => None,
        Some(Some(p)) => check_period(p, c.period, date, ind, project, cx),
    };
    let values = read_value(c.value, ind, project, policy, cx);
    let (date, period, values) = (date?, period?, values?);
    let observations = values
        .into_iter()
        .map(|value| Observation {
            indicator: ind.code.clone(),
            period,
            date,
            value,
            note: opt(c.note),
            evidence: opt(c.evidence),
        })
        .collect();
    Some((ind, period, observations))
}

/// Reads 实际完成值 rows (header first) against the declared projects.
///
/// Returns one [`ParsedActual`] per value (a compound row given in full yields one per part, in
/// part order), or [`Error::Rows`] with every problem found; never a partial result.
/// Blank rows are skipped.
pub fn parse_actual_rows(
    rows: &[Row],
    projects: &[Project],
    policy: &Policy,
) -> Result<Vec<ParsedActual>, Error> {
    let mut errors = Vec::new();
    let Some(header) = Header::read(
        rows,
        &[
            &[Col::Project],
            &[Col::Indicator, Col::Code],
            &[Col::Date, Col::Period],
            &[Col::Value],
        ],
        &mut errors,
    ) else {
        return Err(Error::Rows(errors));
    };
    let mut out = Vec::new();
    // (project, indicator code, period) → the line that gave its value first.
    let mut seen = std::collections::HashMap::new();
    for row in rows.iter().skip(1).filter(|r| !is_blank_row(r)) {
        let mut cx = Ctx {
            line: row.line,
            errors: &mut errors,
        };
        let Some(project) = find_project(projects, &header, row, &mut cx) else {
            continue;
        };
        let cells = ActualCells {
            indicator: header.cell(row, Col::Indicator),
            code: header.cell(row, Col::Code),
            date: header.cell(row, Col::Date),
            period: header.cell(row, Col::Period),
            value: header.cell(row, Col::Value),
            note: header.cell(row, Col::Note),
            evidence: header.cell(row, Col::Evidence),
        };
        let Some((ind, period, observations)) = read_actual(&cells, project, policy, &mut cx)
        else {
            continue;
        };
        // A row that names its period says which value it is (a later report of it corrects
        // it); a row whose period comes from its date says nothing of the kind.
        let period_given = !cells.period.is_empty();
        match seen.get(&(project.key(), ind.code.clone(), period)) {
            Some(&first_line) if !period_given => {
                cx.err(
                    Col::Value,
                    RowErrorKind::DuplicateValue {
                        period: period.to_string(),
                        first_line,
                    },
                );
                continue;
            }
            Some(_) => {}
            None => {
                seen.insert((project.key(), ind.code.clone(), period), row.line);
            }
        }
        out.extend(observations.into_iter().map(|observation| ParsedActual {
            line: row.line,
            project: project.key(),
            observation,
        }));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Rows(errors))
    }
}

/// 实际完成值 typed for one indicator of one declaration (a page's form, `jixiao actuals
/// set`): each field as typed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActualEntry<'a> {
    /// The 三级指标, by code (`1.3.1`, as `jixiao show` prints it) or by name.
    pub indicator: &'a str,
    /// The day the value was reached or reported (`2024-06-30`, `2024年6月30日` …); may be
    /// empty when `period` is a day.
    pub date: &'a str,
    /// 填报期间 (`2024Q2`, `2024-06` …), or empty.
    pub period: &'a str,
    /// The value: a number with its unit, a date, or 达成/部分达成/未达成.
    pub value: &'a str,
    /// 说明.
    pub note: &'a str,
    /// 佐证材料.
    pub evidence: &'a str,
}

/// What [`parse_actual_entry`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEntry {
    /// One observation per value (a compound target given in full: one per part).
    pub observations: Vec<Observation>,
    /// A month or quarter written for a value read as of its day (a cumulative count, a
    /// rate), and that day: the value is recorded as of the day.
    pub as_of: Option<(ReportPeriod, NaiveDate)>,
}

/// Reads one 实际完成值 typed for `project` by the rules of a row of a file (each row of
/// [`parse_actual_rows`] is read by the same code): the same observations, or [`Error::Entry`]
/// with every problem, each at its field (`indicator`, `date`, `period`, `value`) instead of a
/// line and column.
///
/// The period of an entry is the one its date reports on ([`ReportPeriod::for_target`]); a
/// `period` typed beside it must be that one — or, for a value read as of its day (a
/// cumulative count, a rate), a month, quarter … that holds the day, which is then the value
/// as of the day ([`ParsedEntry::as_of`]). Anything else is refused, never re-read.
pub fn parse_actual_entry(
    entry: &ActualEntry<'_>,
    project: &Project,
    policy: &Policy,
) -> Result<ParsedEntry, Error> {
    let indicator = entry.indicator.trim();
    // By code when the declaration has that code, else by name.
    let (name, code) = match project.indicator(indicator) {
        Some(_) => ("", indicator),
        None => (indicator, ""),
    };
    let mut errors = Vec::new();
    let mut cx = Ctx {
        line: 0,
        errors: &mut errors,
    };
    let period_text = entry.period.trim();
    let given = if period_text.is_empty() {
        None
    } else {
        match period_text.parse::<ReportPeriod>() {
            Ok(p) => Some(p),
            Err(_) => {
                cx.err(
                    Col::Period,
                    RowErrorKind::BadPeriod {
                        text: period_text.to_string(),
                        year: project.year,
                    },
                );
                None
            }
        }
    };
    let cells = ActualCells {
        indicator: name,
        code,
        date: entry.date.trim(),
        period: "",
        value: entry.value.trim(),
        note: entry.note.trim(),
        evidence: entry.evidence.trim(),
    };
    let read = read_actual(&cells, project, policy, &mut cx);
    let mut as_of = None;
    if let (Some((_, period, observations)), Some(given)) = (&read, given) {
        let date = observations.first().map_or(project.start, |o| o.date);
        let as_of_day = *period == ReportPeriod::Day(date);
        if as_of_day && given.contains(date) {
            as_of = (given != *period).then_some((given, date));
        } else if as_of_day {
            cx.err(
                Col::Date,
                RowErrorKind::DateOutsideGivenPeriod {
                    date,
                    period: given.to_string(),
                    period_zh: given.zh(),
                },
            );
        } else if given != *period {
            cx.err(
                Col::Period,
                RowErrorKind::PeriodNotOfDate {
                    given: given.to_string(),
                    date,
                    reports: period.to_string(),
                    reports_zh: period.zh(),
                },
            );
        }
    }
    match read {
        Some((_, _, observations)) if errors.is_empty() => Ok(ParsedEntry {
            observations,
            as_of,
        }),
        _ => Err(Error::Entry(
            errors
                .into_iter()
                .map(|e| EntryError {
                    field: e.column.unwrap_or("value"),
                    kind: e.kind,
                })
                .collect(),
        )),
    }
}

/// Reads 执行数 rows (`project,date,amount[,note]`, header first) against the declared projects.
///
/// Dates must lie inside the project period; amounts read like the form's (`180,000.00`,
/// `¥1,000元`) and may be negative (a refund). All-or-nothing, like [`parse_actual_rows`].
pub fn parse_spending_rows(
    rows: &[Row],
    projects: &[Project],
) -> Result<Vec<ParsedSpending>, Error> {
    let mut errors = Vec::new();
    let Some(header) = Header::read(
        rows,
        &[&[Col::Project], &[Col::Date], &[Col::Amount]],
        &mut errors,
    ) else {
        return Err(Error::Rows(errors));
    };
    let mut out = Vec::new();
    // (project, date, 凭证号) → the line that gave it first.
    let mut vouchers = std::collections::HashMap::new();
    for row in rows.iter().skip(1).filter(|r| !is_blank_row(r)) {
        let mut cx = Ctx {
            line: row.line,
            errors: &mut errors,
        };
        let Some(project) = find_project(projects, &header, row, &mut cx) else {
            continue;
        };
        let date = read_date_in(
            header.cell(row, Col::Date),
            Col::Date,
            (project.start, project.end.max(project.start)),
            project.year,
            &mut cx,
        );
        let text = header.cell(row, Col::Amount);
        let amount = if text.is_empty() {
            cx.err(Col::Amount, RowErrorKind::Empty);
            None
        } else {
            match parse_amount(text) {
                // 元 with at least 分: `355000` (an XLSX number cell) reads as `355000.00`,
                // like the CSV's text.
                Ok(mut a) => {
                    if a.scale() < 2 {
                        a.rescale(2);
                    }
                    Some(a)
                }
                // `45万`: read exactly, but a row has nowhere to say so — refused, saying
                // what it would be read as.
                Err(AmountError::Guessed(note)) if text.contains('万') => {
                    cx.err(
                        Col::Amount,
                        RowErrorKind::UnclearNumber {
                            zh: format!("{}；此列按元填写，请照此书写", note.zh),
                            en: format!("{}; this column is in yuan, write it so", note.en),
                        },
                    );
                    None
                }
                Err(_) => {
                    cx.err(Col::Amount, RowErrorKind::BadAmount(text.to_string()));
                    None
                }
            }
        };
        let voucher = opt(header.cell(row, Col::Voucher));
        if let (Some(date), Some(v)) = (date, &voucher) {
            let key = (project.key(), date, v.trim().to_string());
            match vouchers.get(&key) {
                Some(&first_line) => cx.err(
                    Col::Voucher,
                    RowErrorKind::DuplicateVoucher {
                        voucher: key.2.clone(),
                        first_line,
                    },
                ),
                None => {
                    vouchers.insert(key, row.line);
                }
            }
        }
        if let (Some(date), Some(amount)) = (date, amount) {
            out.push(ParsedSpending {
                line: row.line,
                project: project.key(),
                record: SpendingRecord {
                    date,
                    amount,
                    voucher,
                    note: opt(header.cell(row, Col::Note)),
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Rows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn value_texts() {
        assert_eq!(
            read_value_text("13500公里"),
            ValueText::Numbers(vec![(d("13500"), Some("公里".into()))])
        );
        assert_eq!(
            read_value_text("13,500 （公里）"),
            ValueText::Numbers(vec![(d("13500"), Some("公里".into()))])
        );
        assert_eq!(
            read_value_text("96％"),
            ValueText::Numbers(vec![(d("96"), Some("%".into()))])
        );
        assert_eq!(
            read_value_text("130项；320家"),
            ValueText::Numbers(vec![
                (d("130"), Some("项".into())),
                (d("320"), Some("家".into()))
            ])
        );
        assert_eq!(
            read_value_text("2024年11月20日"),
            ValueText::Date(NaiveDate::from_ymd_opt(2024, 11, 20).unwrap())
        );
        assert_eq!(
            read_value_text("部分达成"),
            ValueText::Level(Achievement::Partly)
        );
        assert_eq!(read_value_text("很多公里"), ValueText::Text);
        assert_eq!(read_value_text("-"), ValueText::Text);
        assert_eq!(
            read_value_text("-5.5%"),
            ValueText::Numbers(vec![(d("-5.5"), Some("%".into()))])
        );
        assert_eq!(
            read_value_text("13 500公里"),
            ValueText::Numbers(vec![(d("13500"), Some("公里".into()))])
        );
        assert_eq!(
            read_value_text("１３，５００公里"),
            ValueText::Numbers(vec![(d("13500"), Some("公里".into()))])
        );
    }

    /// A 2024 project with the indicators `(三级, 指标值)`, all 产出/数量.
    fn project(indicators: &[(&str, &str)]) -> Project {
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let mut p = Project {
            id: None,
            year: 2024,
            name: "示例项目".into(),
            nature: None,
            category: None,
            department: None,
            unit: "示例单位".into(),
            start: day(1, 1),
            end: day(12, 31),
            funds: jixiao_model::Funds {
                total: d("100"),
                fiscal: d("100"),
                carryover: Decimal::ZERO,
                other: Decimal::ZERO,
            },
            project_funds: None,
            overall_goal: String::new(),
            annual_goal: String::new(),
            tasks: Vec::new(),
            indicators: indicators
                .iter()
                .map(|(name, raw)| Indicator {
                    id: None,
                    code: String::new(),
                    level1: jixiao_model::Level1::Output,
                    level2: jixiao_model::Level2::Quantity,
                    name: name.to_string(),
                    tasks: Vec::new(),
                    raw: raw.to_string(),
                    line: None,
                    target: Target::parse(raw).unwrap(),
                    library: None,
                    core: false,
                })
                .collect(),
            department_targets: None,
        };
        p.assign_codes();
        p
    }

    fn rows(body: &[&[&str]]) -> Vec<Row> {
        let mut out = vec![Row::new(1, &["project", "indicator", "date", "value"])];
        out.extend(
            body.iter()
                .enumerate()
                .map(|(i, cells)| Row::new(i as u32 + 2, cells)),
        );
        out
    }

    #[test]
    fn actual_rows_match_units_per_something_and_refuse_unclear_numbers() {
        let p = project(&[
            ("单户补贴", "不超过300元/家"),
            ("行驶公里数", "≥15000.00(公里)"),
        ]);
        let got = parse_actual_rows(
            &rows(&[&["示例项目", "单户补贴", "2024-06-30", "280元/家"]]),
            std::slice::from_ref(&p),
            &Policy::builtin(),
        )
        .unwrap();
        assert_eq!(
            got[0].observation.value,
            ObservedValue::Number {
                value: d("280"),
                unit: Some("元/家".into())
            }
        );
        let errors = match parse_actual_rows(
            &rows(&[
                &["示例项目", "行驶公里数", "2024-06-30", "1,35O公里"],
                &["示例项目", "行驶公里数", "2024-06-30", "13 5公里"],
                &["示例项目", "单户补贴", "2024-06-30", "28,5元/家"],
            ]),
            std::slice::from_ref(&p),
            &Policy::builtin(),
        ) {
            Err(Error::Rows(e)) => e,
            other => panic!("expected row errors, got {other:?}"),
        };
        assert_eq!(errors.len(), 3);
        assert_eq!(
            errors[0].to_string(),
            "第 2 行 value 列：实际完成值「1,35O公里」中有字母 O（是数字 0 吗？若是，应写作 1350公里）：请改正后重新导入 / line 2, column value: the value \"1,35O公里\" holds the letter O (the digit 0? then write 1350公里): correct it and import again"
        );
        assert_eq!((errors[1].line, errors[1].column), (3, Some("value")));
        assert!(
            matches!(&errors[1].kind, RowErrorKind::UnclearNumber { zh, .. } if zh.contains("「13 5」中间有空格"))
        );
        assert!(
            matches!(&errors[2].kind, RowErrorKind::UnclearNumber { zh, .. } if zh.contains("是 28.5元/家 还是 285元/家"))
        );
    }

    fn unclear(text: &str) -> (String, String) {
        match read_value_text(text) {
            ValueText::Unclear { zh, en } => (zh, en),
            other => panic!("{text} read as {other:?}"),
        }
    }

    #[test]
    fn units_per_something_are_kept_whole() {
        assert_eq!(
            read_value_text("280元/家"),
            ValueText::Numbers(vec![(d("280"), Some("元/家".into()))])
        );
        assert_eq!(
            read_value_text("3 次／年"),
            ValueText::Numbers(vec![(d("3"), Some("次/年".into()))])
        );
    }

    #[test]
    fn letters_for_digits_are_refused_with_the_likely_reading() {
        assert_eq!(
            unclear("1,35O公里"),
            (
                "实际完成值「1,35O公里」中有字母 O（是数字 0 吗？若是，应写作 1350公里）：请改正后重新导入".into(),
                "the value \"1,35O公里\" holds the letter O (the digit 0? then write 1350公里): correct it and import again".into()
            )
        );
        // Quoted as written, full width; the second part of a compound value.
        assert_eq!(
            unclear("130项；32Ｏ家").0,
            "实际完成值「130项；32Ｏ家」中有字母 Ｏ（是数字 0 吗？若是，应写作 320家）：请改正后重新导入"
        );
        assert!(unclear("l00%")
            .0
            .contains("字母 l（是数字 1 吗？若是，应写作 100%）"));
    }

    #[test]
    fn a_decimal_comma_is_refused_with_both_readings() {
        assert_eq!(
            unclear("95,5%"),
            (
                "实际完成值「95,5%」中的逗号不是千位分隔符（千位分隔符后应为三位数字）：是 95.5% 还是 955%？请改正后重新导入".into(),
                "the comma in the value \"95,5%\" is not a thousands separator (which is followed by three digits): 95.5% or 955%? correct it and import again".into()
            )
        );
    }

    #[test]
    fn numbers_that_cannot_be_read_safely_are_refused() {
        assert_eq!(
            unclear("3 0公里").0,
            "实际完成值「3 0公里」无法读取：数值「3 0」中间有空格：无法确定是一个数（30）还是几个数，请删去空格或只写一个数"
        );
        assert!(unclear("13500 14000公里").0.contains("中间有空格"));
        assert!(unclear("13500、14000公里").0.contains("不止一个数值"));
        assert!(unclear("1,00,0公里").0.contains("千位分隔符位置不正确"));
        assert!(unclear("1.2.3")
            .1
            .contains("cannot read the number \"1.2.3\""));
    }
}
