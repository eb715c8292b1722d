//! 单元格层 — the cell-writing layer both XLSX writers share: the declaration export
//! ([`crate::xlsx_write`], 申报表/汇总表) and the reports of `jixiao-report` (自评表, 监控表, the
//! unit summary).
//!
//! This module owns how a planned cell becomes an XLSX cell and a dump line: the plan of one
//! cell or merged range ([`Put`], generic over each writer's own look, [`CellStyle`]); the rule
//! that a value a binary double cannot hold exactly is not written as a number ([`exact_f64`],
//! [`excel_holds_date`]); the number formats of amounts and dates ([`amount_format`],
//! [`DATE_FORMAT`]); the font and border every cell starts from ([`base_format`]); column widths
//! with a CJK character counted as two ([`display_width`], [`column_widths`]) and the row
//! heights wrapped text needs ([`row_heights`]); writing a put ([`write_put`]); and the dump
//! format of the golden files ([`dump_header`], [`dump_puts`]).
//!
//! What a writer keeps to itself: which cells its sheet has, its styles and their fonts.

use std::fmt::Write as _;

use jixiao_model::{Datelike, Decimal, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// A cell's value (单元格值): text, a number Excel holds exactly, or an Excel date.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text, written as a string.
    Text(String),
    /// A number; only one a double holds exactly (see [`exact_f64`]).
    Number(f64),
    /// A date Excel can hold (see [`excel_holds_date`]).
    Date(NaiveDate),
}

/// One cell or merged range of a plan (0-based; a range when `last_*` differ from the start).
#[derive(Debug, Clone, PartialEq)]
pub struct Put<S> {
    /// First row.
    pub row: u32,
    /// First column.
    pub col: u16,
    /// Last row of the range.
    pub last_row: u32,
    /// Last column of the range.
    pub last_col: u16,
    /// The value, `None` for a blank (formatted) cell.
    pub value: Option<Value>,
    /// The writer's look of the cell.
    pub style: S,
}

impl<S> Put<S> {
    /// Whether the put is a merged range rather than one cell.
    pub fn is_range(&self) -> bool {
        (self.row, self.col) != (self.last_row, self.last_col)
    }

    /// `E8` or `E8:F8`.
    pub fn address(&self) -> String {
        if self.is_range() {
            format!(
                "{}:{}",
                cell_name(self.row, self.col),
                cell_name(self.last_row, self.last_col)
            )
        } else {
            cell_name(self.row, self.col)
        }
    }
}

/// What the shared layer needs to know of a writer's cell style.
pub trait CellStyle {
    /// The number format, or the style's name for text styles (the dump shows it in brackets).
    fn name(&self) -> String;
    /// Whether its text wraps (and so may need a taller row).
    fn wraps(&self) -> bool;
    /// Whether its text sizes the columns it stands in (titles and paragraphs do not).
    fn sizes_columns(&self) -> bool;
    /// The text the cell shows, as wide as Excel shows it (for the column widths).
    fn shown(&self, v: &Value) -> String;
}

// ---------------------------------------------------------------------------------------------
// Values Excel holds exactly, and their formats.

/// The number format of dates: the Chinese convention (2024年6月30日), the cell holding an
/// Excel date (calamine and openpyxl read it back as a date).
pub const DATE_FORMAT: &str = "yyyy\"年\"m\"月\"d\"日\"";

/// `#,##0.00`, or with `decimals` (> 2) places.
pub fn amount_format(decimals: u32) -> String {
    format!("#,##0.{}", "0".repeat(decimals.max(2) as usize))
}

/// `d` as a double when the double shows the same number (at most 15 significant digits, what
/// a binary double keeps); `None` means: write it as text, never rounded.
pub fn exact_f64(d: Decimal) -> Option<f64> {
    let n = d.normalize();
    if n.mantissa().unsigned_abs() < 1_000_000_000_000_000 {
        n.to_string().parse::<f64>().ok()
    } else {
        None
    }
}

/// Whether Excel holds `d` as a date: from 1900-03-01 (Excel's calendar starts in 1900 and
/// miscounts its February) to 9999-12-31. Other dates are written as ISO text ([`iso_date`]).
pub fn excel_holds_date(d: NaiveDate) -> bool {
    d >= NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(NaiveDate::MIN) && d.year() <= 9999
}

/// `2024-06-30`: a date as text and as the dump shows it.
pub fn iso_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The text a date cell shows with [`DATE_FORMAT`] (for the column widths): `2024年6月30日`.
pub fn shown_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

// ---------------------------------------------------------------------------------------------
// Fonts and borders.

/// What every cell starts from: 宋体 11 pt, vertically centred.
pub fn base_format() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_align(FormatAlign::VerticalCenter)
}

/// [`base_format`] with a thin border (every cell of a table).
pub fn boxed_format() -> Format {
    base_format().set_border(FormatBorder::Thin)
}

/// A date cell: [`DATE_FORMAT`], left aligned, boxed.
pub fn date_cell_format() -> Format {
    boxed_format()
        .set_num_format(DATE_FORMAT)
        .set_align(FormatAlign::Left)
}

/// A number cell with the number format `num_format`, right aligned, boxed.
pub fn number_cell_format(num_format: &str) -> Format {
    boxed_format()
        .set_num_format(num_format)
        .set_align(FormatAlign::Right)
}

// ---------------------------------------------------------------------------------------------
// Sizes.

/// Points per line of 11-point text with CJK glyphs.
pub const LINE_HEIGHT: f64 = 15.0;
/// Excel's largest row height.
pub const MAX_ROW_HEIGHT: f64 = 409.0;

/// Display width of a text in Excel character units: a CJK (wide or full-width) character
/// counts as two.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// East Asian wide and full-width characters (CJK ideographs, kana, hangul, full-width forms
/// and CJK punctuation).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Column widths fitted to the text (a merged range's text spread over its columns), each
/// within its `(min, max)` of `bounds`; one width per bound.
pub fn column_widths<S: CellStyle>(puts: &[Put<S>], bounds: &[(f64, f64)]) -> Vec<f64> {
    let mut want = vec![0.0f64; bounds.len()];
    for p in puts {
        if !p.style.sizes_columns() {
            continue;
        }
        let Some(v) = &p.value else { continue };
        let text = p.style.shown(v);
        let w = text.split('\n').map(display_width).max().unwrap_or(0) as f64 + 2.0;
        let span = f64::from(p.last_col - p.col + 1);
        for c in p.col..=p.last_col {
            if let Some(x) = want.get_mut(usize::from(c)) {
                *x = x.max(w / span);
            }
        }
    }
    want.iter()
        .zip(bounds)
        .map(|(w, (lo, hi))| w.clamp(*lo, *hi).ceil())
        .collect()
}

/// Row heights for rows whose wrapped text needs more than one line (Excel does not fit the
/// height of merged cells); a merged range spreads its lines over its rows.
pub fn row_heights<S: CellStyle>(puts: &[Put<S>], widths: &[f64]) -> Vec<(u32, f64)> {
    let mut lines: std::collections::BTreeMap<u32, usize> = Default::default();
    for p in puts {
        let (Some(Value::Text(t)), true) = (&p.value, p.style.wraps()) else {
            continue;
        };
        let width: f64 = (p.col..=p.last_col)
            .filter_map(|c| widths.get(usize::from(c)))
            .sum::<f64>()
            - 1.0;
        let needed: usize = t
            .split('\n')
            .map(|para| {
                ((display_width(para) as f64) / width.max(1.0))
                    .ceil()
                    .max(1.0) as usize
            })
            .sum();
        let rows = (p.last_row - p.row + 1) as usize;
        let per_row = needed.div_ceil(rows);
        for r in p.row..=p.last_row {
            let e = lines.entry(r).or_insert(1);
            *e = (*e).max(per_row);
        }
    }
    lines
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(r, n)| (r, (n as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Writing and the dump.

/// Writes one put with format `f`: the merged range (if it is one), then its value or a blank.
pub fn write_put<S>(ws: &mut Worksheet, p: &Put<S>, f: &Format) -> Result<(), XlsxError> {
    if p.is_range() {
        ws.merge_range(p.row, p.col, p.last_row, p.last_col, "", f)?;
    }
    match &p.value {
        Some(Value::Text(t)) => ws.write_string_with_format(p.row, p.col, t, f)?,
        Some(Value::Number(n)) => ws.write_number_with_format(p.row, p.col, *n, f)?,
        Some(Value::Date(d)) => {
            // Plans hold only dates `excel_holds_date` accepts (1900-03-01 to 9999-12-31).
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(p.row, p.col, &dt, f)?
        }
        None => ws.write_blank(p.row, p.col, f)?,
    };
    Ok(())
}

/// `E19` for 0-based (18, 4).
pub fn cell_name(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// The first lines of a sheet's dump: `sheet NAME`, `columns A=… B=…`, `row heights 5=30 …`.
pub fn dump_header(out: &mut String, name: &str, widths: &[f64], heights: &[(u32, f64)]) {
    let _ = writeln!(out, "sheet {name}");
    let cols: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(c, w)| format!("{}={w}", cell_name(0, c as u16).trim_end_matches('1')))
        .collect();
    let _ = writeln!(out, "columns {}", cols.join(" "));
    let heights: Vec<String> = heights
        .iter()
        .map(|(r, h)| format!("{}={h}", r + 1))
        .collect();
    let _ = writeln!(out, "row heights {}", heights.join(" "));
}

/// One dump line per put, in row then column order: `{prefix}E8:F8 = 360000 [#,##0.00]`
/// (text quoted, dates ISO, a blank as `(blank)`, then the style's name or number format).
pub fn dump_puts<S: CellStyle>(out: &mut String, prefix: &str, puts: &[Put<S>]) {
    let mut puts: Vec<&Put<S>> = puts.iter().collect();
    puts.sort_by_key(|p| (p.row, p.col));
    for p in puts {
        let value = match &p.value {
            None => "(blank)".to_string(),
            Some(Value::Text(t)) => format!("{t:?}"),
            Some(Value::Number(n)) => format!("{n}"),
            Some(Value::Date(d)) => iso_date(*d),
        };
        let _ = writeln!(
            out,
            "{prefix}{} = {value} [{}]",
            p.address(),
            p.style.name()
        );
    }
}

/// Helpers of the writers' tests that run the openpyxl scripts under `tests/xlsx/` (an
/// independent reader); not part of the API.
#[doc(hidden)]
pub mod testing {
    use super::{CellStyle, Put, Value, DATE_FORMAT};

    /// Runs `python3 SCRIPT ARGS…` and returns its stdout; `None` (with the reason printed)
    /// when python3 or openpyxl is missing (the script exits 3) outside CI. In CI (`CI` set) a
    /// missing openpyxl fails the test; a failing script always does.
    pub fn run_openpyxl(script: &std::path::Path, args: &[&std::ffi::OsStr]) -> Option<Vec<u8>> {
        let out = std::process::Command::new("python3")
            .arg(script)
            .args(args)
            .output();
        let why = match out {
            Ok(o) if o.status.success() => return Some(o.stdout),
            Ok(o) if o.status.code() == Some(3) => "openpyxl is not installed".to_string(),
            Ok(o) => panic!(
                "{} {args:?} failed: {}",
                script.display(),
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => format!("python3 cannot be run ({e})"),
        };
        let fix = "install it with `python3 -m pip install openpyxl`";
        if std::env::var_os("CI").is_some() {
            panic!("the openpyxl test cannot run in CI (CI is set): {why}; {fix}");
        }
        eprintln!("openpyxl test SKIPPED: {why}; {fix}");
        None
    }

    /// Asserts that openpyxl saw exactly the planned sheet: `merged` (a JSON array of ranges)
    /// are the multi-cell puts, and `cells` (a JSON object by address of
    /// `{"v": …, "t": "s"|"n"|"d", "fmt": …}`) hold every non-empty planned value with its
    /// type and number format, and nothing else. Returns the cells for further checks.
    pub fn assert_same_as_planned<'a, S: CellStyle>(
        sheet: &str,
        puts: &[Put<S>],
        merged: &serde_json::Value,
        cells: &'a serde_json::Value,
    ) -> &'a serde_json::Map<String, serde_json::Value> {
        let mut want: Vec<String> = puts
            .iter()
            .filter(|x| x.is_range())
            .map(Put::address)
            .collect();
        want.sort();
        let mut got: Vec<String> = merged
            .as_array()
            .unwrap_or_else(|| panic!("sheet {sheet}: no merged ranges in {merged}"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        got.sort();
        assert_eq!(got, want, "sheet {sheet}: merged ranges");
        let cells = cells
            .as_object()
            .unwrap_or_else(|| panic!("sheet {sheet}: no cells in {cells}"));
        let mut expected = 0;
        for x in puts {
            let Some(v) = &x.value else { continue };
            if matches!(v, Value::Text(t) if t.is_empty()) {
                continue;
            }
            expected += 1;
            let at = super::cell_name(x.row, x.col);
            let c = cells
                .get(&at)
                .unwrap_or_else(|| panic!("{sheet}!{at} is empty"));
            match v {
                Value::Text(t) => assert_eq!(
                    (c["t"].as_str(), c["v"].as_str()),
                    (Some("s"), Some(t.as_str())),
                    "{sheet}!{at}"
                ),
                Value::Number(n) => {
                    assert_eq!(c["t"], "n", "{sheet}!{at}");
                    assert_eq!(c["v"].as_f64(), Some(*n), "{sheet}!{at}");
                    assert_eq!(c["fmt"], x.style.name(), "{sheet}!{at}");
                }
                Value::Date(d) => {
                    assert_eq!(c["t"], "d", "{sheet}!{at}");
                    assert_eq!(c["v"], super::iso_date(*d), "{sheet}!{at}");
                    assert_eq!(c["fmt"], DATE_FORMAT, "{sheet}!{at}");
                }
            }
        }
        assert_eq!(
            cells.len(),
            expected,
            "sheet {sheet}: cells written that the plan does not hold"
        );
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("项目名称"), 8);
        assert_eq!(display_width("其中：财政资金"), 14);
        assert_eq!(display_width("≥15000.00(公里)"), 15);
    }

    #[test]
    fn doubles_hold_at_most_15_significant_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(exact_f64(d("9028372.00")), Some(9028372.0));
        assert_eq!(exact_f64(d("0.125")), Some(0.125));
        assert_eq!(exact_f64(d("999999999999999")), Some(999999999999999.0));
        assert_eq!(exact_f64(d("1000000000000000")), None);
        assert_eq!(exact_f64(d("1234567890123456")), None);
        assert_eq!(exact_f64(d("123456789012345.67")), None);
    }

    #[test]
    fn excel_dates_start_on_1900_03_01() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(!excel_holds_date(ymd(1900, 2, 28)));
        assert!(excel_holds_date(ymd(1900, 3, 1)));
        assert!(excel_holds_date(ymd(9999, 12, 31)));
        assert!(!excel_holds_date(ymd(10000, 1, 1)));
    }

    #[test]
    fn dates_show_the_chinese_way() {
        let d = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(DATE_FORMAT, r#"yyyy"年"m"月"d"日""#);
        assert_eq!(shown_date(d), "2024年6月30日");
        assert_eq!(display_width(&shown_date(d)), 13);
        assert_eq!(iso_date(d), "2024-06-30");
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(18, 4), "E19");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
    }
}
