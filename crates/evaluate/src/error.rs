//! The crate's one error type and the positioned row errors of the actuals layer.

use std::fmt;

use chrono::NaiveDate;
use jixiao_model::Period;

/// What can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy file is malformed or inconsistent.
    #[error("评价参数文件有误 / invalid policy: {0}")]
    Policy(String),
    /// Actual or spending rows were rejected; nothing was read (all-or-nothing).
    #[error("{}", Lines(.0))]
    Rows(Vec<RowError>),
    /// A value typed for one indicator was rejected, each problem at its field.
    #[error("{}", Lines(.0))]
    Entry(Vec<EntryError>),
    /// 全年预算数 is 0 (or negative): 预算执行率 cannot be computed.
    #[error("项目「{project}」的全年预算数为 {budget}，无法计算预算执行率 / project {project:?}: the annual budget is {budget}, the execution rate cannot be computed")]
    ZeroBudget {
        /// 项目名称.
        project: String,
        /// The budget given.
        budget: String,
    },
    /// An option names an indicator code the project does not have.
    #[error("项目中没有编码为 {code} 的指标 / the project has no indicator with code {code}")]
    UnknownCode {
        /// The code given.
        code: String,
    },
    /// A user weight is negative, or the user weights of a category exceed its weight.
    #[error("指标权重有误 / invalid indicator weights: {0}")]
    Weight(String),
    /// A scorer's share of a qualitative indicator lies outside the band of its level.
    #[error("指标 {code} 的评分比例 {share}% 不在「{level}」的区间 {low}%–{high}% 内 / indicator {code}: share {share}% lies outside the band {low}%–{high}% of its level")]
    ShareOutsideBand {
        /// Indicator code.
        code: String,
        /// 达成 / 部分达成 / 未达成.
        level: String,
        /// The share given (percent).
        share: String,
        /// Band low.
        low: String,
        /// Band high.
        high: String,
    },
    /// The JSON writer failed.
    #[error("JSON 输出失败 / cannot write JSON: {0}")]
    Json(String),
    /// A number too large to compute with exactly.
    #[error("数值过大，无法精确计算 / a number is too large to compute with exactly")]
    Overflow,
}

/// Errors one a line.
struct Lines<'a, T>(&'a [T]);

impl<T: fmt::Display> fmt::Display for Lines<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// One rejected field of a value typed for one indicator ([`crate::parse_actual_entry`]): the
/// kinds of a row's errors, at a named field instead of a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// The field at fault: `indicator`, `date`, `period` or `value`.
    pub field: &'static str,
    /// What is wrong.
    pub kind: RowErrorKind,
}

impl EntryError {
    /// The field's name for people, in Chinese (`实际完成值`).
    pub fn field_zh(&self) -> &'static str {
        match self.field {
            "indicator" => "指标",
            "code" => "指标编码",
            "date" => "日期",
            "period" => "期间",
            _ => "实际完成值",
        }
    }

    /// The message in Chinese and in English, each naming the field
    /// (`实际完成值：…` / `value: …`).
    pub fn messages(&self) -> (String, String) {
        let (zh, en) = self.kind.messages();
        (
            format!("{}：{zh}", self.field_zh()),
            format!("{}: {en}", self.field),
        )
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh, en) = self.messages();
        write!(f, "{zh} / {en}")
    }
}

impl std::error::Error for EntryError {}

/// One rejected cell or row, with its line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line of the row in its file (as given by the reader; the header's line for header errors).
    pub line: u32,
    /// The column (`project`, `indicator`, `code`, `date`, `period`, `value`, `amount`, …), when
    /// one is at fault.
    pub column: Option<&'static str>,
    /// What is wrong.
    pub kind: RowErrorKind,
}

/// The kinds of [`RowError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowErrorKind {
    /// No header row was given.
    NoHeader,
    /// A required column is missing from the header.
    MissingColumn {
        /// The column's canonical name (`date`).
        column: &'static str,
        /// Every header name that would do (`date`, `日期`, … and those of a column that can
        /// stand in for it, such as `period` for `date`).
        accepted: Vec<&'static str>,
    },
    /// A column appears twice in the header.
    DuplicateColumn(String),
    /// A required cell is empty.
    Empty,
    /// No project has this name.
    UnknownProject(String),
    /// Several projects have this name (different years or units) and the row's 年度 does not
    /// tell them apart.
    AmbiguousProject {
        /// The name given.
        name: String,
        /// The years of the declarations of that name.
        years: Vec<i32>,
    },
    /// Projects have this name, none of the year the row gives.
    UnknownProjectYear {
        /// The name given.
        name: String,
        /// The year given.
        year: i32,
        /// The years there are.
        years: Vec<i32>,
    },
    /// A 年度 cell that is not a year.
    BadYear(String),
    /// The project has no indicator of this name.
    UnknownIndicator {
        /// 项目名称.
        project: String,
        /// The name given.
        name: String,
    },
    /// The 三级 name occurs more than once in the project; a `code` is needed.
    AmbiguousIndicator {
        /// The name given.
        name: String,
        /// The codes it could mean.
        codes: Vec<String>,
    },
    /// The project has no indicator with this code.
    UnknownCode(String),
    /// The code and the name point at different indicators.
    CodeNameMismatch {
        /// The code given.
        code: String,
        /// The name given.
        name: String,
        /// The name of the indicator with that code.
        actual_name: String,
    },
    /// Not a date.
    BadDate {
        /// The text given.
        text: String,
        /// The declaration's year, that of the examples the message gives.
        year: i32,
    },
    /// A date outside the project period.
    DateOutsidePeriod {
        /// The date given.
        date: NaiveDate,
        /// 计划开始日期.
        start: NaiveDate,
        /// Last date allowed.
        end: NaiveDate,
    },
    /// A number with a unit other than the target's.
    WrongUnit {
        /// The unit given.
        given: String,
        /// The unit(s) the target is measured in.
        expected: String,
    },
    /// Text (or a date, or a level) where the target wants a number.
    ExpectedNumber {
        /// The text given.
        text: String,
        /// The target as written.
        target: String,
    },
    /// Something else where a qualitative target wants 达成 / 部分达成 / 未达成.
    ExpectedLevel {
        /// The text given.
        text: String,
    },
    /// Something else where a deadline wants a completion date (or 未达成).
    ExpectedDate {
        /// The text given.
        text: String,
    },
    /// A compound target given a wrong number of values.
    PartCount {
        /// Values given.
        given: usize,
        /// Parts of the target.
        expected: usize,
    },
    /// A single value for a compound target whose unit does not pick one part.
    AmbiguousPart {
        /// The unit given (empty when none).
        unit: String,
    },
    /// Not an amount of money.
    BadAmount(String),
    /// Not a 填报期间 (`2024Q1`, `2024-03`, `2024-06-30` …).
    BadPeriod {
        /// The text given.
        text: String,
        /// The declaration's year, that of the examples the message gives (`2025Q1` …).
        year: i32,
    },
    /// A 填报期间 of another kind than the target reports by: a quarter for a quarterly
    /// deadline, a day for a one-off target.
    PeriodKind {
        /// The period as written.
        given: String,
        /// The kind the target wants; `None`: a day.
        expected: Option<Period>,
        /// The declaration's year, that of the example the message gives.
        year: i32,
    },
    /// A date outside the month, quarter … given as its 填报期间, for a target whose value is
    /// read as of its date (a cumulative count reported quarterly: the date must lie in the
    /// quarter).
    DateOutsideGivenPeriod {
        /// The row's date.
        date: NaiveDate,
        /// The period (canonical text).
        period: String,
        /// The period in Chinese (`2025年第2季度`).
        period_zh: String,
    },
    /// A 填报期间 typed beside a date that reports on another period (a value entered for one
    /// indicator: a monthly deadline's value of 2024-06-30 is June's).
    PeriodNotOfDate {
        /// The period as typed (canonical text).
        given: String,
        /// The date.
        date: NaiveDate,
        /// The period the date reports on (canonical text).
        reports: String,
        /// …in Chinese (`2024年6月`).
        reports_zh: String,
    },
    /// A 填报期间 that does not overlap the project period.
    PeriodOutsideProject {
        /// The period (canonical text).
        period: String,
        /// 计划开始日期.
        start: NaiveDate,
        /// 计划完成日期.
        end: NaiveDate,
    },
    /// A 凭证号 that an earlier row of the same file gives for the same project and date: one
    /// voucher is one record, so the file says two things about it.
    DuplicateVoucher {
        /// The voucher.
        voucher: String,
        /// The line of the earlier row.
        first_line: u32,
    },
    /// A row without a 填报期间 whose date gives the indicator and period of an earlier row of
    /// the same file: two values for one, neither merged nor taken as a correction (a row that
    /// names its period is one).
    DuplicateValue {
        /// The period (canonical text).
        period: String,
        /// The line of the earlier row.
        first_line: u32,
    },
    /// A number not written plainly (`1,35O公里`, `95,5%`) or not safely readable (`3 0公里`,
    /// `13500、14000`). A value row has no warnings, so it is refused; the messages quote the
    /// cell and say what it may mean.
    UnclearNumber {
        /// Why, in Chinese.
        zh: String,
        /// Why, in English.
        en: String,
    },
}

/// `季度（如 2024Q1）` / `a quarter (e.g. 2024Q1)`, the example in `year`.
fn period_kind_names(p: Option<Period>, year: i32) -> (String, String) {
    let (zh, en, example) = match p {
        None => ("日期", "a day", format!("{year}-06-30")),
        Some(Period::Week) => ("周", "a week", format!("{year}W05")),
        Some(Period::Month) => ("月份", "a month", format!("{year}-03")),
        Some(Period::Quarter) => ("季度", "a quarter", format!("{year}Q1")),
        Some(Period::HalfYear) => ("半年", "a half-year", format!("{year}H1")),
        Some(Period::Year) => ("年度", "a year", format!("{year}")),
    };
    (
        format!("{zh}（如 {example}）"),
        format!("{en} (e.g. {example})"),
    )
}

impl RowErrorKind {
    /// The message in Chinese and in English.
    pub fn messages(&self) -> (String, String) {
        use RowErrorKind as K;
        match self {
            K::NoHeader => (
                "缺少表头行".into(),
                "the header row is missing".into(),
            ),
            K::MissingColumn { column, accepted } => (
                format!(
                    "表头缺少「{column}」列（可用的列名：{}）",
                    accepted.join("、")
                ),
                format!(
                    "the header has no {column:?} column (accepted names: {})",
                    accepted.join(", ")
                ),
            ),
            K::DuplicateColumn(c) => (
                format!("表头中「{c}」列重复"),
                format!("the header names {c:?} twice"),
            ),
            K::Empty => ("不能为空".into(), "must not be empty".into()),
            K::UnknownProject(p) => (
                format!("没有名为「{p}」的项目"),
                format!("no project is named {p:?}"),
            ),
            K::AmbiguousProject { name, years } if years.len() > 1 => {
                let list = years.iter().map(i32::to_string).collect::<Vec<_>>();
                (
                    format!(
                        "有多个名为「{name}」的项目（{} 年度）：请加「年度」列写明是哪一年的",
                        list.join("、")
                    ),
                    format!(
                        "several projects are named {name:?} (years {}): add a \"year\" (年度) column saying which",
                        list.join(", ")
                    ),
                )
            }
            K::AmbiguousProject { name, .. } => (
                format!("有多个名为「{name}」的项目（不同实施单位）"),
                format!("several projects are named {name:?} (in different units)"),
            ),
            K::UnknownProjectYear { name, year, years } => {
                let list = years.iter().map(i32::to_string).collect::<Vec<_>>();
                (
                    format!(
                        "没有 {year} 年度名为「{name}」的项目（有 {} 年度的）",
                        list.join("、")
                    ),
                    format!(
                        "no project of {year} is named {name:?} (there is one of {})",
                        list.join(", ")
                    ),
                )
            }
            K::BadYear(y) => (
                format!("年度「{y}」不是年份（应写作 2024 或 2024年）"),
                format!("the year {y:?} is not a year (write 2024)"),
            ),
            K::UnknownIndicator { project, name } => (
                format!("项目「{project}」中没有三级指标「{name}」"),
                format!("project {project:?} has no indicator {name:?}"),
            ),
            K::AmbiguousIndicator { name, codes } => (
                format!(
                    "三级指标「{name}」在项目中出现多次（{}），请在 code 列注明指标编码",
                    codes.join("、")
                ),
                format!(
                    "indicator {name:?} occurs more than once ({}); give its code in the code column",
                    codes.join(", ")
                ),
            ),
            K::UnknownCode(c) => (
                format!("项目中没有编码为 {c} 的指标"),
                format!("the project has no indicator with code {c}"),
            ),
            K::CodeNameMismatch {
                code,
                name,
                actual_name,
            } => (
                format!("编码 {code} 对应的指标是「{actual_name}」，不是「{name}」"),
                format!("code {code} is {actual_name:?}, not {name:?}"),
            ),
            K::BadDate { text: t, year: y } => (
                format!("「{t}」不是日期，应写作 {y}-06-30、{y}/6/30 或 {y}年6月30日"),
                format!("{t:?} is not a date; write {y}-06-30, {y}/6/30 or {y}年6月30日"),
            ),
            K::DateOutsidePeriod { date, start, end } => (
                format!("日期 {date} 不在项目期间 {start} 至 {end} 内"),
                format!("the date {date} lies outside the project period {start} to {end}"),
            ),
            K::WrongUnit { given, expected } => (
                format!("计量单位应为「{expected}」，而不是「{given}」"),
                format!("the unit should be {expected:?}, not {given:?}"),
            ),
            K::ExpectedNumber { text, target } => (
                format!("指标值为「{target}」，实际完成值应为数字（可带单位），而不是「{text}」"),
                format!("the target is {target:?}: the value must be a number (with its unit), not {text:?}"),
            ),
            K::ExpectedLevel { text } => (
                format!("定性指标的实际完成值应为 达成、部分达成 或 未达成，而不是「{text}」"),
                format!("a qualitative indicator takes 达成, 部分达成 or 未达成, not {text:?}"),
            ),
            K::ExpectedDate { text } => (
                format!("时限指标的实际完成值应为完成日期（或 未达成），而不是「{text}」"),
                format!("a deadline takes the completion date (or 未达成), not {text:?}"),
            ),
            K::PartCount { given, expected } => (
                format!("复合指标值有 {expected} 项，给出了 {given} 个数值（用「；」分隔，按顺序）"),
                format!("the compound target has {expected} parts but {given} values were given (separate them by ；, in order)"),
            ),
            K::AmbiguousPart { unit } => (
                format!("单个数值「{unit}」无法对应复合指标值的某一项，请按顺序给出全部数值，用「；」分隔"),
                format!("a single value in {unit:?} does not pick one part of the compound target; give all values in order, separated by ；"),
            ),
            K::BadAmount(t) => (
                format!("「{t}」不是金额，应写作 180,000.00"),
                format!("{t:?} is not an amount; write 180,000.00"),
            ),
            K::BadPeriod { text: t, year: y } => (
                format!("「{t}」不是期间，应写作 {y}-06-30、{y}-03、{y}Q1、{y}H1 或 {y}"),
                format!("{t:?} is not a period; write {y}-06-30, {y}-03, {y}Q1, {y}H1 or {y}"),
            ),
            K::PeriodKind {
                given,
                expected,
                year,
            } => {
                let (zh, en) = period_kind_names(*expected, *year);
                (
                    format!("该指标按{zh}填报，期间「{given}」不符"),
                    format!("this indicator is reported by {en}; the period {given:?} does not fit"),
                )
            }
            K::DateOutsideGivenPeriod {
                date,
                period,
                period_zh,
            } => (
                format!("日期 {date} 不在期间「{period}」（{period_zh}）内：该指标的值按填报日期读取（截至该日期的值），日期须在所写期间之内"),
                format!("the date {date} lies outside the period {period}: this indicator's value is read as of its date, which must lie in the period written"),
            ),
            K::PeriodNotOfDate {
                given,
                date,
                reports,
                reports_zh,
            } => (
                format!("期间「{given}」与日期 {date} 不符：该指标在该日期填报的是「{reports}」期间（{reports_zh}）"),
                format!("the period {given} does not match the date {date}: for this indicator that date reports on {reports}"),
            ),
            K::PeriodOutsideProject { period, start, end } => (
                format!("期间 {period} 不在项目期间 {start} 至 {end} 内"),
                format!("the period {period} lies outside the project period {start} to {end}"),
            ),
            K::DuplicateVoucher { voucher, first_line } => (
                format!("凭证号「{voucher}」与第 {first_line} 行重复（同一项目同一日期）：一个凭证号是一笔支出；更正请只保留一行"),
                format!("voucher {voucher:?} repeats line {first_line} (same project and date): one voucher is one payment; to correct it keep one row"),
            ),
            K::DuplicateValue { period, first_line } => (
                format!("第 {first_line} 行已给出同一指标在期间 {period} 的实际完成值：一个文件中一个指标每期只能有一个值，两行不会合并，也不会以后一行更正前一行；请只保留一行；若后一行是更正，请在 period 列写明期间"),
                format!("line {first_line} already gives this indicator's value for the period {period}: a file has one value per indicator and period, two rows are neither merged nor is the later a correction; keep one row; if the later row is a correction, give its period in the period column"),
            ),
            K::UnclearNumber { zh, en } => (zh.clone(), en.clone()),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh, en) = self.kind.messages();
        match self.column {
            Some(c) => write!(
                f,
                "第 {} 行 {c} 列：{zh} / line {}, column {c}: {en}",
                self.line, self.line
            ),
            None => write!(f, "第 {} 行：{zh} / line {}: {en}", self.line, self.line),
        }
    }
}

impl std::error::Error for RowError {}
