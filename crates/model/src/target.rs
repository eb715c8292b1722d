//! 年度(/项目)指标值 — the typed target of an indicator, parsed from the text of its cell.
//!
//! [`Target::parse`] turns cell text into one of four kinds:
//! - [`Target::Quantitative`]: operator, exact decimal value, unit (`≥15000.00(公里)`, `不少于120项`);
//! - [`Target::Compound`]: several quantitative clauses in one cell, separated by `；`;
//! - [`Target::Deadline`]: a date (`2024年12月31日前完成`, `2024年11月底前`) or a recurring
//!   rule (`每月结束之后的30日内完成`);
//! - [`Target::Qualitative`]: anything else, verbatim (`无违章无事故`, `满意`, `小于预算拨付金额`).
//!
//! Word operators (`不少于`, `小于` …) followed by text are qualitative (`小于预算拨付金额`), but a
//! symbolic operator (`≥ ≤ = > <`) promises a number: `≥abc(公里)` is an error, not a text target.
//!
//! Numbers are read by [`crate::scan_number`] (see `number.rs` for the rules): a number that was
//! not written plainly (`≥15O00.00(公里)`, `≥95,5(%)`) is read with a [`ReadNote`] from
//! [`Target::parse_with_notes`] that quotes the cell and says what was read; one that cannot be
//! read safely (`≥ 3 0(个)`, `≥15000 20000(公里)`, `≥1,00,0(家)`) is an error when an operator
//! promised a number, and qualitative text otherwise. A unit written with a slash (`元/家`,
//! `次/年`, `万元/公里`) is read whole, in parentheses or not.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::number::{scan_number, starts_number, NumberErrorKind, NumberFix, ReadNote};
use crate::text::fold_char;

/// 指标值方向 — the comparison a quantitative target asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `≥`, 不少于, 不低于, 以上 — 正向.
    Ge,
    /// `>`, 大于, 高于, 超过.
    Gt,
    /// `=`, or a bare number.
    Eq,
    /// `≤`, 不超过, 不高于, 以内, 以下 — 反向.
    Le,
    /// `<`, 小于, 低于, 少于.
    Lt,
}

impl Op {
    /// ASCII spelling used in JSON (`>=`, `>`, `=`, `<=`, `<`).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Eq => "=",
            Op::Le => "<=",
            Op::Lt => "<",
        }
    }

    /// The symbol as printed on Chinese forms (`≥`, `>`, `=`, `≤`, `<`).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Eq => "=",
            Op::Le => "≤",
            Op::Lt => "<",
        }
    }

    /// Parses the JSON spelling.
    pub fn from_ascii(s: &str) -> Option<Op> {
        Some(match s {
            ">=" => Op::Ge,
            ">" => Op::Gt,
            "=" => Op::Eq,
            "<=" => Op::Le,
            "<" => Op::Lt,
            _ => return None,
        })
    }

    /// True for 正向 targets (more is better): `≥` and `>`.
    pub fn is_upward(self) -> bool {
        matches!(self, Op::Ge | Op::Gt)
    }

    /// True for 反向 targets (less is better): `≤` and `<`.
    pub fn is_downward(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Op::from_ascii(&s).ok_or_else(|| D::Error::custom(format!("unknown operator {s:?}")))
    }
}

/// 定量 — a quantitative clause: operator, exact value and unit (计量单位).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// The comparison.
    pub op: Op,
    /// The value, with the scale written on the form (`15000.00`).
    pub value: Decimal,
    /// 计量单位 (`公里`, `%`, `家`); `None` when the form gives none.
    pub unit: Option<String>,
    /// What is counted, when written after the unit (`不少于120项三监联动情形清单` → `三监联动情形清单`).
    pub label: Option<String>,
}

impl Quantity {
    /// True when the unit is a percentage.
    pub fn is_percent(&self) -> bool {
        matches!(
            self.unit.as_deref(),
            Some("%") | Some("％") | Some("百分比")
        )
    }

    /// Does `actual` satisfy this clause?
    pub fn is_met_by(&self, actual: Decimal) -> bool {
        match self.op {
            Op::Ge => actual >= self.value,
            Op::Gt => actual > self.value,
            Op::Eq => actual == self.value,
            Op::Le => actual <= self.value,
            Op::Lt => actual < self.value,
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.op.symbol(), self.value)?;
        if let Some(u) = &self.unit {
            write!(f, "({u})")?;
        }
        if let Some(l) = &self.label {
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

/// The period of a recurring deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// 每周.
    Week,
    /// 每月.
    Month,
    /// 每季度.
    Quarter,
    /// 每半年.
    HalfYear,
    /// 每年.
    Year,
}

impl Period {
    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Period::Week => "周",
            Period::Month => "月",
            Period::Quarter => "季度",
            Period::HalfYear => "半年",
            Period::Year => "年",
        }
    }
}

/// A recurring deadline: each period's work is due within some days after the period ends
/// (`每月结束之后的30日内完成`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recurrence {
    /// The period.
    pub period: Period,
    /// Days allowed after the end of each period.
    pub within_days: u32,
    /// True when the days are 工作日 (working days).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub working_days: bool,
}

/// 时限 — when something must be done.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Deadline {
    /// Done on or before this date.
    Date(NaiveDate),
    /// Done again in every period.
    Recurring(Recurrence),
}

/// 年度(/项目)指标值 — a typed target. The raw text is kept beside it in [`crate::Indicator::raw`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// 定量 — one quantitative clause.
    Quantitative(Quantity),
    /// Several quantitative clauses in one cell, all to be met.
    Compound(Vec<Quantity>),
    /// 时限 — a date or a recurring rule.
    Deadline(Deadline),
    /// 定性 — text, verbatim (trimmed).
    Qualitative(String),
}

/// Why a target cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct TargetError {
    /// Offset in characters from the start of the cell text.
    pub offset: usize,
    /// What went wrong.
    pub kind: TargetErrorKind,
}

/// The kinds of [`TargetError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetErrorKind {
    /// The cell is empty.
    #[error("指标值为空 / the target is empty")]
    Empty,
    /// A symbolic operator not followed by a number.
    #[error("运算符「{0}」后应为数字，例如 ≥15000.00(公里) / expected a number after the operator {0:?}, e.g. ≥15000.00(公里)")]
    ExpectedNumber(String),
    /// A number that is not a decimal (`1.2.3`).
    #[error("数值「{0}」无法识别 / cannot read the number {0:?}")]
    BadNumber(String),
    /// `(` without `)`.
    #[error("计量单位的括号未闭合 / the unit's parenthesis is not closed")]
    UnclosedParen,
    /// A date that does not exist (`2025年2月30日`, `2025年13月31日`).
    #[error("日期「{0}」不存在 / no such date: {0}")]
    NoSuchDate(String),
    /// A number that cannot be read safely: misplaced separators (`1,00,0`), a space inside it
    /// (`3 0`), or a second number in the clause (`15000 20000`, `≥95%，≥90%`).
    #[error("{0}")]
    Number(NumberErrorKind),
}

impl Target {
    /// The JSON `kind`: `quantitative`, `compound`, `deadline` or `qualitative`.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Quantitative(_) => "quantitative",
            Target::Compound(_) => "compound",
            Target::Deadline(_) => "deadline",
            Target::Qualitative(_) => "qualitative",
        }
    }

    /// The quantitative clauses (one for [`Target::Quantitative`], several for compound).
    pub fn quantities(&self) -> &[Quantity] {
        match self {
            Target::Quantitative(q) => std::slice::from_ref(q),
            Target::Compound(parts) => parts,
            _ => &[],
        }
    }

    /// Parses the text of a target cell, dropping the [`ReadNote`]s. Readers of forms use
    /// [`Target::parse_with_notes`] so that a number not written plainly is reported.
    pub fn parse(text: &str) -> Result<Target, TargetError> {
        Target::parse_with_notes(text).map(|(t, _)| t)
    }

    /// Parses the text of a target cell; the notes say where a number was not written plainly
    /// and how it was read (`指标值「≥15O00.00(公里)」中的字母 O 读作数字 0：读作 ≥15000.00(公里)`).
    /// Note offsets are in characters from the start of `text`.
    pub fn parse_with_notes(text: &str) -> Result<(Target, Vec<ReadNote>), TargetError> {
        let folded: Vec<char> = text.chars().map(fold_char).collect();
        let start = folded.iter().take_while(|c| c.is_whitespace()).count();
        let end = folded.len()
            - folded
                .iter()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
        if start >= end {
            return Err(TargetError {
                offset: 0,
                kind: TargetErrorKind::Empty,
            });
        }
        let t: String = folded[start..end].iter().collect();
        let original: String = text.trim().to_string();
        // Notes of a clause: each fix becomes a note quoting the cell and the clause as read.
        let notes_of = |q: &Quantity, fixes: &[(usize, NumberFix)], base: usize| {
            let reading = q.to_string();
            fixes
                .iter()
                .map(|(at, fix)| fix.note("指标值", text, base + at, &reading))
                .collect::<Vec<_>>()
        };

        match parse_deadline(&t) {
            Some(Ok(d)) => return Ok((Target::Deadline(d), Vec::new())),
            Some(Err(date)) => {
                return Err(TargetError {
                    offset: start,
                    kind: TargetErrorKind::NoSuchDate(date),
                })
            }
            None => {}
        }
        if t.contains(';') {
            let mut parts = Vec::new();
            let mut notes = Vec::new();
            let mut offset = start;
            let mut all = true;
            for piece in t.split(';') {
                let lead = piece.chars().take_while(|c| c.is_whitespace()).count();
                let p = piece.trim();
                if !p.is_empty() {
                    match parse_quantity(p) {
                        Some(Ok((q, fixes))) => {
                            notes.extend(notes_of(&q, &fixes, offset + lead));
                            parts.push(q);
                        }
                        Some(Err(mut e)) => {
                            e.offset += offset + lead;
                            return Err(e);
                        }
                        None => all = false,
                    }
                }
                offset += piece.chars().count() + 1;
            }
            return Ok(match (all, parts.len()) {
                (true, n) if n >= 2 => (Target::Compound(parts), notes),
                (true, 1) => (Target::Quantitative(parts.remove(0)), notes),
                _ => (Target::Qualitative(original), Vec::new()),
            });
        }
        match parse_quantity(&t) {
            Some(Ok((q, fixes))) => {
                let notes = notes_of(&q, &fixes, start);
                Ok((Target::Quantitative(q), notes))
            }
            Some(Err(mut e)) => {
                e.offset += start;
                Err(e)
            }
            None => Ok((Target::Qualitative(original), Vec::new())),
        }
    }
}

impl Target {
    /// [`Target::parse_with_notes`] for a project of `year`: a deadline written without its
    /// year as clerks write it (`12月底前`, `6月30日前完成`) is read in that year, with a note
    /// saying what was read (`指标值「12月底前」未写年份：按项目年度读作 2025年12月31日前`).
    pub fn parse_in_year(text: &str, year: i32) -> Result<(Target, Vec<ReadNote>), TargetError> {
        let (target, notes) = Target::parse_with_notes(text)?;
        if !matches!(target, Target::Qualitative(_)) {
            return Ok((target, notes));
        }
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let t = text.trim();
        let folded: String = t.chars().map(fold_char).collect();
        let (m, rest) = digits(&folded);
        if m.is_empty() || m.len() > 2 || !rest.starts_with('月') {
            return Ok((target, notes));
        }
        let prefix = format!("{year}年");
        let shift = prefix.chars().count();
        match Target::parse_with_notes(&format!("{prefix}{t}")) {
            Ok((Target::Deadline(Deadline::Date(d)), _)) => {
                let reading = Target::Deadline(Deadline::Date(d)).to_string();
                Ok((
                    Target::Deadline(Deadline::Date(d)),
                    vec![ReadNote {
                        offset: lead,
                        zh: format!("指标值「{t}」未写年份：按项目年度读作 {reading}"),
                        en: format!(
                            "the target {t:?} gives no year: read in the project's year as {}",
                            d
                        ),
                    }],
                ))
            }
            Err(mut e) => {
                e.offset = lead + e.offset.saturating_sub(shift);
                Err(e)
            }
            Ok(_) => Ok((target, notes)),
        }
    }
}

impl Target {
    /// Whether `text` is a deadline written without its year (`12月底前`, `6月30日前完成`): it
    /// reads only in a year ([`Target::parse_in_year`]); without one it is not a date, and
    /// reading it as a qualitative target would change what it says.
    pub fn is_yearless_deadline(text: &str) -> bool {
        if !matches!(
            Target::parse_with_notes(text),
            Ok((Target::Qualitative(_), _))
        ) {
            return false;
        }
        // Any leap year shows the shape; the day itself is checked in the project's year.
        matches!(
            Target::parse_in_year(text, 2000),
            Ok((Target::Deadline(Deadline::Date(_)), _)) | Err(_)
        )
    }
}

impl FromStr for Target {
    type Err = TargetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Quantitative(q) => write!(f, "{q}"),
            Target::Compound(parts) => {
                for (i, q) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("；")?;
                    }
                    write!(f, "{q}")?;
                }
                Ok(())
            }
            Target::Deadline(Deadline::Date(d)) => {
                write!(f, "{}年{}月{}日前", d.year(), d.month(), d.day())
            }
            Target::Deadline(Deadline::Recurring(r)) => write!(
                f,
                "每{}结束后{}{}内",
                r.period.zh(),
                r.within_days,
                if r.working_days {
                    "个工作日"
                } else {
                    "日"
                }
            ),
            Target::Qualitative(t) => f.write_str(t),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The parser. Input is already width-folded and trimmed.

/// Operators in the order they are tried (longest first where one is a prefix of another).
const SYMBOL_OPS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    ("⩾", Op::Ge),
    ("<=", Op::Le),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("⩽", Op::Le),
    ("==", Op::Eq),
    ("=", Op::Eq),
    (">", Op::Gt),
    ("<", Op::Lt),
];

const WORD_OPS: &[(&str, Op)] = &[
    ("大于或等于", Op::Ge),
    ("大于等于", Op::Ge),
    ("小于或等于", Op::Le),
    ("小于等于", Op::Le),
    ("不少于", Op::Ge),
    ("不低于", Op::Ge),
    ("不小于", Op::Ge),
    ("至少", Op::Ge),
    ("不超过", Op::Le),
    ("不高于", Op::Le),
    ("不多于", Op::Le),
    ("不大于", Op::Le),
    ("最多", Op::Le),
    ("等于", Op::Eq),
    ("达到", Op::Eq),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("超过", Op::Gt),
    ("多于", Op::Gt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    ("少于", Op::Lt),
];

/// Units recognised when written without parentheses, longest first.
const UNITS: &[&str] = &[
    "平方公里",
    "平方千米",
    "立方米",
    "平方米",
    "万千瓦时",
    "千瓦时",
    "个工作日",
    "人次",
    "户次",
    "万元",
    "亿元",
    "千元",
    "公里",
    "千米",
    "公顷",
    "小时",
    "分钟",
    "万吨",
    "千克",
    "人天",
    "%",
    "‰",
    "元",
    "项",
    "家",
    "次",
    "个",
    "份",
    "人",
    "辆",
    "台",
    "套",
    "篇",
    "本",
    "期",
    "场",
    "批",
    "座",
    "处",
    "户",
    "件",
    "条",
    "张",
    "所",
    "间",
    "名",
    "只",
    "根",
    "米",
    "亩",
    "吨",
    "天",
    "日",
    "月",
    "年",
    "周",
    "页",
    "册",
    "部",
    "门",
    "类",
    "组",
    "点",
    "km",
    "m",
    "kg",
    "t",
];

fn strip_prefix_op<'a>(
    t: &'a str,
    table: &[(&'static str, Op)],
) -> Option<(Op, &'a str, &'static str)> {
    table
        .iter()
        .find_map(|&(p, op)| t.strip_prefix(p).map(|rest| (op, rest, p)))
}

/// A quantitative clause with the fixes made reading its number (offsets from the clause start).
type Clause = (Quantity, Vec<(usize, NumberFix)>);

/// `None`: not a quantitative clause (qualitative text). `Some(Err)`: it promised to be one but
/// is malformed.
fn parse_quantity(t: &str) -> Option<Result<Clause, TargetError>> {
    let (op, rest, symbolic, spelled) = if let Some((op, rest, sp)) = strip_prefix_op(t, SYMBOL_OPS)
    {
        (Some(op), rest, true, sp)
    } else if let Some((op, rest, sp)) = strip_prefix_op(t, WORD_OPS) {
        (Some(op), rest, false, sp)
    } else {
        (None, t, false, "")
    };
    let op_len = t.chars().count() - rest.chars().count();
    let rest_trim = rest.trim_start();
    let skipped = op_len + (rest.chars().count() - rest_trim.chars().count());
    let explicit = op.is_some();

    let rest_chars: Vec<char> = rest_trim.chars().collect();
    let num = match scan_number(&rest_chars) {
        Ok(Some(n)) => n,
        Ok(None) if symbolic => {
            return Some(Err(TargetError {
                offset: skipped,
                kind: TargetErrorKind::ExpectedNumber(spelled.to_string()),
            }))
        }
        Ok(None) => return None,
        // Without an operator, a clause that is not a clean number is text (`1.2.3`, `3 0个`).
        Err(_) if !explicit => return None,
        Err(e) => {
            return Some(Err(TargetError {
                offset: skipped + e.offset,
                kind: match e.kind {
                    NumberErrorKind::BadNumber(n) => TargetErrorKind::BadNumber(n),
                    other => TargetErrorKind::Number(other),
                },
            }))
        }
    };
    let value = num.value;
    let fixes: Vec<(usize, NumberFix)> = num
        .fixes
        .into_iter()
        .map(|f| (skipped + f.offset(), f))
        .collect();
    let num_bytes: usize = rest_chars[..num.len].iter().map(|c| c.len_utf8()).sum();
    let after = rest_trim[num_bytes..].trim_start();
    let after_offset = skipped + num.len;

    let (unit, tail) = if let Some(inner) = after.strip_prefix('(') {
        match inner.find(')') {
            Some(close) => {
                let u = inner[..close].trim();
                (
                    if u.is_empty() {
                        None
                    } else {
                        Some(u.to_string())
                    },
                    inner[close + 1..].trim(),
                )
            }
            None => {
                return if symbolic {
                    Some(Err(TargetError {
                        offset: after_offset,
                        kind: TargetErrorKind::UnclosedParen,
                    }))
                } else {
                    None
                }
            }
        }
    } else if let Some(u) = UNITS.iter().find(|u| after.starts_with(**u)) {
        let rest = &after[u.len()..];
        // A unit per something is one unit: 元/家, 次/年, 万元/公里, 人次/年.
        match rest
            .strip_prefix('/')
            .and_then(|r| UNITS.iter().find(|d| r.starts_with(**d)).map(|d| (d, r)))
        {
            Some((d, r)) => (Some(format!("{u}/{d}")), r[d.len()..].trim()),
            None => (Some((*u).to_string()), rest.trim()),
        }
    } else {
        (None, after)
    };

    // Suffix direction words: 95%以上, 5天以内, 3次及以上.
    let mut op = op;
    let mut tail = tail;
    for (word, dir) in [
        ("及以上", Op::Ge),
        ("以上(含)", Op::Ge),
        ("以上", Op::Ge),
        ("及以下", Op::Le),
        ("以下(含)", Op::Le),
        ("以下", Op::Le),
        ("以内", Op::Le),
        ("之内", Op::Le),
    ] {
        if let Some(r) = tail.strip_prefix(word) {
            if op.is_none() {
                op = Some(dir);
            }
            tail = r.trim();
            break;
        }
    }
    let label = if tail.is_empty() {
        None
    } else {
        Some(tail.to_string())
    };
    // Without an operator, a number counts only when nothing but a unit follows ("3项",
    // "100%", "95%以上"); "100多家" or "2024年2月30日前" is text, not a target.
    if !explicit && label.is_some() {
        return None;
    }
    // A second number or comparison after the first: `≥15000(公里)20000`, `≥95%，≥90%`.
    if let Some(l) = &label {
        let lc: Vec<char> = l.chars().collect();
        let k = lc
            .iter()
            .take_while(|c| c.is_whitespace() || LABEL_JOINERS.contains(c))
            .count();
        let compares = lc
            .get(k)
            .is_some_and(|c| ['≥', '≤', '≧', '≦', '⩾', '⩽', '>', '<', '='].contains(c));
        if starts_number(&lc, k) || compares {
            let tail_chars = tail.chars().count();
            return Some(Err(TargetError {
                offset: t.chars().count() - tail_chars + k,
                kind: TargetErrorKind::Number(NumberErrorKind::TwoNumbers {
                    text: t.to_string(),
                }),
            }));
        }
    }
    Some(Ok((
        Quantity {
            op: op.unwrap_or(Op::Eq),
            value,
            unit,
            label,
        },
        fixes,
    )))
}

/// Punctuation that may stand between a clause and a second number (`≥95%，≥90%`).
const LABEL_JOINERS: &[char] = &[
    '、', ',', '。', '.', '/', '~', '～', '-', '—', '–', '至', '到', '或', '和', '及',
];

fn digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    (&s[..n], &s[n..])
}

fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// Recognises `2024年12月31日前完成`, `2024年11月底前完成全部工作`, `2024年底前`, `2024-12-31前`
/// and the recurring `每月结束之后的30日内完成`. A date written in full that does not exist
/// (`2025年2月30日前`, `2025年13月31日`, `2025-12-32前`) is an error, never text: the `Err` holds
/// the date as written.
fn parse_deadline(t: &str) -> Option<Result<Deadline, String>> {
    if let Some(r) = parse_recurrence(t) {
        return Some(Ok(Deadline::Recurring(r)));
    }
    let (y, rest) = digits(t);
    if y.len() != 4 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    // The date as written, for the error.
    let written = |rest: &str| t[..t.len() - rest.len()].to_string();
    let (date, rest) = if let Some(rest) = rest.strip_prefix('年') {
        if let Some(r) = rest.strip_prefix('底').or_else(|| rest.strip_prefix('末')) {
            (NaiveDate::from_ymd_opt(year, 12, 31)?, r)
        } else {
            let (m, rest) = digits(rest);
            let month: u32 = m.parse().ok()?;
            let rest = rest.strip_prefix('月')?;
            if let Some(r) = rest.strip_prefix('底').or_else(|| rest.strip_prefix('末')) {
                match last_day_of_month(year, month).filter(|_| (1..=12).contains(&month)) {
                    Some(d) => (d, r),
                    None => return Some(Err(written(r))),
                }
            } else {
                let (d, rest) = digits(rest);
                let day: u32 = d.parse().ok()?;
                let rest = rest
                    .strip_prefix('日')
                    .or_else(|| rest.strip_prefix('号'))?;
                match NaiveDate::from_ymd_opt(year, month, day) {
                    Some(d) => (d, rest),
                    None => return Some(Err(written(rest))),
                }
            }
        }
    } else if let Some(rest) = rest.strip_prefix(['-', '/', '.']) {
        let (m, rest) = digits(rest);
        let rest = rest.strip_prefix(['-', '/', '.'])?;
        let (d, rest) = digits(rest);
        let (month, day): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(d) => (d, rest),
            None => return Some(Err(written(rest))),
        }
    } else {
        return None;
    };
    let rest = rest.trim_start();
    let before = ["之前", "以前", "前", "止", "为止"]
        .iter()
        .find_map(|w| rest.strip_prefix(w));
    match before {
        Some(_) => Some(Ok(Deadline::Date(date))),
        None if rest.is_empty() || rest.starts_with("完成") => Some(Ok(Deadline::Date(date))),
        None => None,
    }
}

fn parse_recurrence(t: &str) -> Option<Recurrence> {
    let rest = t.strip_prefix('每')?;
    let (period, rest) = [
        ("季度", Period::Quarter),
        ("半年", Period::HalfYear),
        ("季", Period::Quarter),
        ("月", Period::Month),
        ("年", Period::Year),
        ("周", Period::Week),
    ]
    .iter()
    .find_map(|(w, p)| rest.strip_prefix(w).map(|r| (*p, r)))?;
    let rest = rest.strip_prefix("度").unwrap_or(rest);
    let rest = rest.strip_prefix("结束").unwrap_or(rest);
    let rest = ["之后", "以后", "后"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))?;
    let rest = rest.strip_prefix('的').unwrap_or(rest);
    let (n, rest) = digits(rest);
    let within_days: u32 = n.parse().ok()?;
    let (working_days, rest) = if let Some(r) = rest.strip_prefix("个工作日") {
        (true, r)
    } else {
        (
            false,
            rest.strip_prefix("个自然日")
                .or_else(|| rest.strip_prefix('日'))
                .or_else(|| rest.strip_prefix('天'))?,
        )
    };
    ["之内", "以内", "内"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))?;
    Some(Recurrence {
        period,
        within_days,
        working_days,
    })
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON: {"kind": …, then the fields of that kind}.

fn quantity_entries<M: SerializeMap>(m: &mut M, q: &Quantity) -> Result<(), M::Error> {
    m.serialize_entry("op", &q.op)?;
    m.serialize_entry("value", &q.value.to_string())?;
    m.serialize_entry("unit", &q.unit)?;
    if let Some(l) = &q.label {
        m.serialize_entry("label", l)?;
    }
    Ok(())
}

struct QuantityRef<'a>(&'a Quantity);

impl Serialize for QuantityRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        quantity_entries(&mut m, self.0)?;
        m.end()
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        QuantityRef(self).serialize(s)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuantityWire {
    op: Op,
    value: String,
    unit: Option<String>,
    #[serde(default)]
    label: Option<String>,
}

impl QuantityWire {
    fn into_quantity<E: serde::de::Error>(self) -> Result<Quantity, E> {
        let value = Decimal::from_str(&self.value)
            .map_err(|_| E::custom(format!("value {:?} is not a decimal string", self.value)))?;
        Ok(Quantity {
            op: self.op,
            value,
            unit: self.unit,
            label: self.label,
        })
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        QuantityWire::deserialize(d)?.into_quantity()
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.kind())?;
        match self {
            Target::Quantitative(q) => quantity_entries(&mut m, q)?,
            Target::Compound(parts) => {
                let refs: Vec<QuantityRef<'_>> = parts.iter().map(QuantityRef).collect();
                m.serialize_entry("parts", &refs)?;
            }
            Target::Deadline(Deadline::Date(d)) => m.serialize_entry("date", d)?,
            Target::Deadline(Deadline::Recurring(r)) => m.serialize_entry("rule", r)?,
            Target::Qualitative(t) => m.serialize_entry("text", t)?,
        }
        m.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetWire {
    kind: String,
    op: Option<Op>,
    value: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    label: Option<String>,
    parts: Option<Vec<QuantityWire>>,
    date: Option<NaiveDate>,
    rule: Option<Recurrence>,
    text: Option<String>,
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = TargetWire::deserialize(d)?;
        let missing =
            |f: &str| D::Error::custom(format!("target of kind {:?} needs `{f}`", w.kind));
        Ok(match w.kind.as_str() {
            "quantitative" => {
                let op = w.op.ok_or_else(|| missing("op"))?;
                let value = w.value.clone().ok_or_else(|| missing("value"))?;
                Target::Quantitative(
                    QuantityWire {
                        op,
                        value,
                        unit: w.unit,
                        label: w.label,
                    }
                    .into_quantity()?,
                )
            }
            "compound" => {
                let parts = w.parts.ok_or_else(|| missing("parts"))?;
                Target::Compound(
                    parts
                        .into_iter()
                        .map(|p| p.into_quantity())
                        .collect::<Result<_, _>>()?,
                )
            }
            "deadline" => match (w.date, w.rule) {
                (Some(d), None) => Target::Deadline(Deadline::Date(d)),
                (None, Some(r)) => Target::Deadline(Deadline::Recurring(r)),
                _ => {
                    return Err(D::Error::custom(
                        "a deadline target has exactly one of `date` and `rule`",
                    ))
                }
            },
            "qualitative" => Target::Qualitative(w.text.ok_or_else(|| missing("text"))?),
            other => return Err(D::Error::custom(format!("unknown target kind {other:?}"))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(op: Op, v: &str, unit: Option<&str>) -> Quantity {
        Quantity {
            op,
            value: v.parse().unwrap(),
            unit: unit.map(str::to_string),
            label: None,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> Target {
        Target::Deadline(Deadline::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn symbolic_operators_with_parenthesised_units() {
        assert_eq!(
            Target::parse("≥15000.00(公里)").unwrap(),
            Target::Quantitative(q(Op::Ge, "15000.00", Some("公里")))
        );
        assert_eq!(
            Target::parse("=100.00(%)").unwrap(),
            Target::Quantitative(q(Op::Eq, "100.00", Some("%")))
        );
        assert_eq!(
            Target::parse("≤100.00(%)").unwrap(),
            Target::Quantitative(q(Op::Le, "100.00", Some("%")))
        );
        assert_eq!(
            Target::parse(">90.00(%)").unwrap(),
            Target::Quantitative(q(Op::Gt, "90.00", Some("%")))
        );
        assert_eq!(
            Target::parse("<5(天)").unwrap(),
            Target::Quantitative(q(Op::Lt, "5", Some("天")))
        );
        assert_eq!(
            Target::parse("＞＝95（％）").unwrap(),
            Target::Quantitative(q(Op::Ge, "95", Some("%")))
        );
        assert_eq!(
            Target::parse(" >= 1,800 (家) ").unwrap(),
            Target::Quantitative(q(Op::Ge, "1800", Some("家")))
        );
    }

    #[test]
    fn word_operators() {
        assert_eq!(
            Target::parse("不少于120项").unwrap(),
            Target::Quantitative(q(Op::Ge, "120", Some("项")))
        );
        assert_eq!(
            Target::parse("不低于95%").unwrap(),
            Target::Quantitative(q(Op::Ge, "95", Some("%")))
        );
        assert_eq!(
            Target::parse("不超过5天").unwrap(),
            Target::Quantitative(q(Op::Le, "5", Some("天")))
        );
        assert_eq!(
            Target::parse("不高于3%").unwrap(),
            Target::Quantitative(q(Op::Le, "3", Some("%")))
        );
        assert_eq!(
            Target::parse("95%以上").unwrap(),
            Target::Quantitative(q(Op::Ge, "95", Some("%")))
        );
        assert_eq!(
            Target::parse("5个工作日以内").unwrap(),
            Target::Quantitative(q(Op::Le, "5", Some("个工作日")))
        );
        assert_eq!(
            Target::parse("100%").unwrap(),
            Target::Quantitative(q(Op::Eq, "100", Some("%")))
        );
    }

    #[test]
    fn compound_clauses_keep_what_they_count() {
        let t =
            Target::parse("不少于120项三监联动情形清单；不少于318家任务抽查；不少于80次现场踏勘")
                .unwrap();
        let Target::Compound(parts) = t else {
            panic!("not compound: {t:?}")
        };
        assert_eq!(parts.len(), 3);
        assert_eq!(
            parts[0],
            Quantity {
                label: Some("三监联动情形清单".into()),
                ..q(Op::Ge, "120", Some("项"))
            }
        );
        assert_eq!(
            parts[1],
            Quantity {
                label: Some("任务抽查".into()),
                ..q(Op::Ge, "318", Some("家"))
            }
        );
        assert_eq!(
            parts[2],
            Quantity {
                label: Some("现场踏勘".into()),
                ..q(Op::Ge, "80", Some("次"))
            }
        );
    }

    #[test]
    fn deadlines() {
        assert_eq!(
            Target::parse("2024年12月31日前完成").unwrap(),
            date(2024, 12, 31)
        );
        assert_eq!(
            Target::parse("2024年11月底前完成全部工作").unwrap(),
            date(2024, 11, 30)
        );
        assert_eq!(Target::parse("2024年2月底前").unwrap(), date(2024, 2, 29));
        assert_eq!(
            Target::parse("2024年12月10日前完成").unwrap(),
            date(2024, 12, 10)
        );
        assert_eq!(
            Target::parse("2024年12月31日前").unwrap(),
            date(2024, 12, 31)
        );
        assert_eq!(Target::parse("2024年底前").unwrap(), date(2024, 12, 31));
        assert_eq!(Target::parse("2024-06-30前").unwrap(), date(2024, 6, 30));
        assert_eq!(
            Target::parse("每月结束之后的30日内完成").unwrap(),
            Target::Deadline(Deadline::Recurring(Recurrence {
                period: Period::Month,
                within_days: 30,
                working_days: false
            }))
        );
        assert_eq!(
            Target::parse("每季度结束后10个工作日内").unwrap(),
            Target::Deadline(Deadline::Recurring(Recurrence {
                period: Period::Quarter,
                within_days: 10,
                working_days: true
            }))
        );
        // A date that does not exist is an error at the date, never a qualitative target.
        for (text, date) in [
            ("2024年2月30日前", "2024年2月30日"),
            ("2025年2月29日前完成", "2025年2月29日"),
            ("2025年13月31日前", "2025年13月31日"),
            ("2025年12月32日前", "2025年12月32日"),
            (" 2025年13月底前", "2025年13月底"),
            ("2025年0月底前", "2025年0月底"),
            ("2025-02-30前", "2025-02-30"),
            ("2025年4月31日召开", "2025年4月31日"),
        ] {
            let e = Target::parse(text).unwrap_err();
            assert_eq!(e.kind, TargetErrorKind::NoSuchDate(date.into()), "{text}");
            assert_eq!(
                e.offset,
                text.chars().take_while(|c| *c == ' ').count(),
                "{text}"
            );
        }
        assert_eq!(Target::parse("2024年2月29日前").unwrap(), date(2024, 2, 29));
    }

    /// `12月底前` as clerks write it: read in the project's year with a note; an impossible
    /// one is an error at its date; text that only starts with a month stays text.
    #[test]
    fn a_deadline_without_its_year_is_read_in_the_projects_year() {
        let (t, notes) = Target::parse_in_year("12月底前", 2025).unwrap();
        assert_eq!(t, date(2025, 12, 31));
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].zh,
            "指标值「12月底前」未写年份：按项目年度读作 2025年12月31日前"
        );
        assert!(notes[0].en.contains("2025-12-31"), "{}", notes[0].en);
        let (t, _) = Target::parse_in_year("6月30日前完成", 2024).unwrap();
        assert_eq!(t, date(2024, 6, 30));
        let e = Target::parse_in_year(" 2月30日前", 2025).unwrap_err();
        assert_eq!(e.kind, TargetErrorKind::NoSuchDate("2025年2月30日".into()));
        assert_eq!(e.offset, 1);
        // A year given is kept; text stays text.
        let (t, notes) = Target::parse_in_year("2024年12月31日前", 2025).unwrap();
        assert_eq!((t, notes.len()), (date(2024, 12, 31), 0));
        let (t, _) = Target::parse_in_year("3月份开展培训", 2025).unwrap();
        assert_eq!(t, Target::Qualitative("3月份开展培训".into()));
        assert_eq!(
            Target::parse("12月底前").unwrap(),
            Target::Qualitative("12月底前".into())
        );
    }

    #[test]
    fn qualitative_text_is_kept_verbatim() {
        for t in [
            "无违章无事故",
            "满意",
            "提升",
            "小于预算拨付金额",
            "按时完成",
            "及时",
            "全覆盖",
            "满足指南及国家抽查要求，助力建设健康公平的碳交易市场。",
            "100多家",
            "按计划进度完成各项工作",
        ] {
            assert_eq!(
                Target::parse(t).unwrap(),
                Target::Qualitative(t.into()),
                "{t}"
            );
        }
    }

    #[test]
    fn malformed_quantities_are_errors() {
        let e = Target::parse("≥abc(公里)").unwrap_err();
        assert_eq!(e.kind, TargetErrorKind::ExpectedNumber("≥".into()));
        assert_eq!(e.offset, 1);
        assert_eq!(
            Target::parse("  ").unwrap_err().kind,
            TargetErrorKind::Empty
        );
        assert_eq!(
            Target::parse("≥15(公里").unwrap_err().kind,
            TargetErrorKind::UnclosedParen
        );
        assert_eq!(
            Target::parse("=1.2.3(份)").unwrap_err().kind,
            TargetErrorKind::BadNumber("1.2.3".into())
        );
        let e = Target::parse("≥5(家)；≥x(家)").unwrap_err();
        assert_eq!(e.offset, 7);
    }

    /// Parses with notes; returns the target's display and the notes as `offset zh | en`.
    fn noted(text: &str) -> (String, Vec<String>) {
        let (t, notes) = Target::parse_with_notes(text).unwrap();
        (
            t.to_string(),
            notes
                .iter()
                .map(|n| format!("{} {} | {}", n.offset, n.zh, n.en))
                .collect(),
        )
    }

    fn number_error(text: &str) -> (usize, TargetErrorKind) {
        let e = Target::parse(text).unwrap_err();
        (e.offset, e.kind)
    }

    #[test]
    fn plain_targets_carry_no_notes() {
        for t in [
            "≥15000.00(公里)",
            " >= 1,800 (家) ",
            "不少于120项三监联动情形清单；不少于318家任务抽查；不少于80次现场踏勘",
            "＞＝９５（％）",
            "2024年12月31日前完成",
            "满意",
            "≥15 000(公里)",
        ] {
            assert_eq!(Target::parse_with_notes(t).unwrap().1, vec![], "{t}");
        }
        // Full-width digits and operators are the same characters: read as written.
        assert_eq!(
            Target::parse("≥１５０００．００（公里）").unwrap(),
            Target::Quantitative(q(Op::Ge, "15000.00", Some("公里")))
        );
        assert_eq!(
            Target::parse("≥15 000(公里)").unwrap(),
            Target::Quantitative(q(Op::Ge, "15000", Some("公里")))
        );
    }

    #[test]
    fn letter_o_in_a_number_is_read_as_zero_with_a_note() {
        assert_eq!(
            noted("≥15O00.00(公里)"),
            (
                "≥15000.00(公里)".into(),
                vec!["3 指标值「≥15O00.00(公里)」中的字母 O 读作数字 0：读作 ≥15000.00(公里) | the letter O in \"≥15O00.00(公里)\" was read as the digit 0: read as ≥15000.00(公里)".into()]
            )
        );
        // Full-width Ｏ, quoted as written.
        assert_eq!(
            noted(" ≥ 1Ｏ0(家)").1,
            vec!["4 指标值「≥ 1Ｏ0(家)」中的字母 Ｏ 读作数字 0：读作 ≥100(家) | the letter Ｏ in \"≥ 1Ｏ0(家)\" was read as the digit 0: read as ≥100(家)".to_string()]
        );
    }

    #[test]
    fn letters_l_and_i_are_read_as_one_with_a_note() {
        assert_eq!(
            noted("不少于l2O项"),
            (
                "≥120(项)".into(),
                vec![
                    "3 指标值「不少于l2O项」中的字母 l 读作数字 1：读作 ≥120(项) | the letter l in \"不少于l2O项\" was read as the digit 1: read as ≥120(项)".into(),
                    "5 指标值「不少于l2O项」中的字母 O 读作数字 0：读作 ≥120(项) | the letter O in \"不少于l2O项\" was read as the digit 0: read as ≥120(项)".into(),
                ]
            )
        );
        assert_eq!(noted("=1I(份)").0, "=11(份)");
    }

    #[test]
    fn decimal_comma_is_read_as_a_point_with_a_note() {
        assert_eq!(
            noted("≥95,5(%)"),
            (
                "≥95.5(%)".into(),
                vec!["3 指标值「≥95,5(%)」中的逗号读作小数点（千位分隔符后应为三位数字）：读作 ≥95.5(%)，不是 955 | the comma in \"≥95,5(%)\" was read as a decimal point (a thousands separator is followed by three digits): read as ≥95.5(%), not 955".into()]
            )
        );
        // 2,5 is 2.5, not 25: the note names the other reading.
        assert_eq!(
            noted("≥2,5(万元)"),
            (
                "≥2.5(万元)".into(),
                vec!["2 指标值「≥2,5(万元)」中的逗号读作小数点（千位分隔符后应为三位数字）：读作 ≥2.5(万元)，不是 25 | the comma in \"≥2,5(万元)\" was read as a decimal point (a thousands separator is followed by three digits): read as ≥2.5(万元), not 25".into()]
            )
        );
        // Without an operator too.
        assert_eq!(noted("95,5%").0, "=95.5(%)");
    }

    #[test]
    fn misplaced_thousands_separators_are_errors() {
        assert_eq!(
            number_error("≥1,00,0(家)"),
            (
                1,
                TargetErrorKind::Number(NumberErrorKind::BadSeparators("1,00,0".into()))
            )
        );
        assert_eq!(
            number_error("不少于1,0000家"),
            (
                3,
                TargetErrorKind::Number(NumberErrorKind::BadSeparators("1,0000".into()))
            )
        );
        // Without an operator the cell is not a target number: kept as text.
        assert_eq!(
            Target::parse("1,00,0家").unwrap(),
            Target::Qualitative("1,00,0家".into())
        );
    }

    #[test]
    fn spaces_inside_a_number_are_errors() {
        assert_eq!(
            number_error("≥ 3 0(个)"),
            (
                2,
                TargetErrorKind::Number(NumberErrorKind::SpaceInNumber {
                    text: "3 0".into(),
                    joined: "30".into()
                })
            )
        );
        let e = Target::parse("≥ 3 0(个)").unwrap_err();
        assert_eq!(
            e.to_string(),
            "数值「3 0」中间有空格：无法确定是一个数（30）还是几个数，请删去空格或只写一个数 / the number \"3 0\" contains a space: it could be one number (30) or several; remove the space or write one number"
        );
    }

    #[test]
    fn two_numbers_in_one_clause_are_errors() {
        assert_eq!(
            number_error("≥15000 20000(公里)"),
            (
                1,
                TargetErrorKind::Number(NumberErrorKind::SpaceInNumber {
                    text: "15000 20000".into(),
                    joined: "1500020000".into()
                })
            )
        );
        assert_eq!(
            number_error("≥15000、20000(公里)"),
            (
                7,
                TargetErrorKind::Number(NumberErrorKind::TwoNumbers {
                    text: "15000、20000".into()
                })
            )
        );
        assert_eq!(
            number_error("不少于100至200家"),
            (
                7,
                TargetErrorKind::Number(NumberErrorKind::TwoNumbers {
                    text: "100至200".into()
                })
            )
        );
        assert_eq!(
            number_error("≥95%，≥90%"),
            (
                5,
                TargetErrorKind::Number(NumberErrorKind::TwoNumbers {
                    text: "≥95%,≥90%".into()
                })
            )
        );
        assert_eq!(number_error("≥15000(公里)20000").0, 10);
        // A number in the text counted is fine when it does not follow the unit.
        assert_eq!(
            Target::parse("不少于3项专项检查").unwrap().quantities()[0]
                .label
                .as_deref(),
            Some("专项检查")
        );
    }

    #[test]
    fn units_per_something_are_read_whole() {
        assert_eq!(
            Target::parse("不超过300元/家").unwrap(),
            Target::Quantitative(q(Op::Le, "300", Some("元/家")))
        );
        assert_eq!(
            Target::parse("≥2次/年").unwrap(),
            Target::Quantitative(q(Op::Ge, "2", Some("次/年")))
        );
        assert_eq!(
            Target::parse("≤1.5万元/公里").unwrap(),
            Target::Quantitative(q(Op::Le, "1.5", Some("万元/公里")))
        );
        assert_eq!(
            Target::parse("≥500(人次/年)").unwrap(),
            Target::Quantitative(q(Op::Ge, "500", Some("人次/年")))
        );
        assert_eq!(
            Target::parse("不少于500人次/年").unwrap(),
            Target::Quantitative(q(Op::Ge, "500", Some("人次/年")))
        );
        assert_eq!(
            Target::parse("不超过300元／家").unwrap(),
            Target::Quantitative(q(Op::Le, "300", Some("元/家")))
        );
    }

    #[test]
    fn json_round_trip_of_every_kind() {
        for text in [
            "≥15000.00(公里)",
            "不少于120项清单；不少于80次踏勘",
            "2024年12月31日前完成",
            "每月结束之后的30日内完成",
            "满意",
            "=5",
        ] {
            let t = Target::parse(text).unwrap();
            let json = serde_json::to_string(&t).unwrap();
            let back: Target = serde_json::from_str(&json).unwrap();
            assert_eq!(back, t, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&Target::parse("≥15000.00(公里)").unwrap()).unwrap(),
            r#"{"kind":"quantitative","op":">=","value":"15000.00","unit":"公里"}"#
        );
    }
}
