//! 工作表草图 — the plan of a worksheet (which value, in which cell or merged range, with which
//! look), written to XLSX by [`render`] and to a readable dump by [`dump`].
//!
//! This module owns how typed values become cells: amounts are numbers formatted `#,##0.00`,
//! scores and weights `0.00`, rates percentages (`0.00%`, the cell holds the fraction), a
//! number with a unit `0.00"公里"` (the cell holds the number), dates Excel dates formatted
//! `yyyy-mm-dd`. A value Excel cannot hold exactly (more than 15 significant digits, a date
//! before 1900-03-01) is written as text that shows every digit, never rounded. Column widths
//! count a CJK character as two Latin ones ([`jixiao_form::xlsx_write::display_width`], the
//! same rule as the declaration export).

use std::fmt::Write as _;

use jixiao_evaluate::Light;
use jixiao_form::xlsx_write::display_width;
use jixiao_model::{Datelike, Decimal, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use crate::ReportError;

/// The look of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Style {
    /// The table's title, bold 16 pt, centred.
    Title,
    /// The line under the title (`（2024年度）`), centred.
    Subtitle,
    /// A printed label, bold, centred, wrapped.
    Label,
    /// Text, wrapped.
    Text,
    /// A long text (goals, notes), wrapped, top-left aligned.
    Body,
    /// A 一级/二级 category, centred.
    Category,
    /// An amount, `#,##0.00` (more decimals when it has them).
    Amount(u32),
    /// A score, weight or plain number, `0.00` (more decimals when it has them).
    Number(u32),
    /// A count, `0`.
    Count,
    /// A percentage, `0.00%`; the cell holds the fraction.
    Percent(u32),
    /// A number with its unit in the format, `0.00"公里"`.
    Quantity(u32, String),
    /// A date, `yyyy-mm-dd`.
    Date,
    /// A traffic light: its name as text on its colour.
    Light(Light),
}

impl Style {
    /// The number format, or the style's name for text styles (for the dump).
    pub(crate) fn name(&self) -> String {
        match self {
            Style::Title => "title".into(),
            Style::Subtitle => "subtitle".into(),
            Style::Label => "label".into(),
            Style::Text => "text".into(),
            Style::Body => "body".into(),
            Style::Category => "category".into(),
            Style::Light(l) => format!("light {}", l.en()),
            s => s.num_format().unwrap_or_default(),
        }
    }

    fn num_format(&self) -> Option<String> {
        let places = |d: u32| "0".repeat(d.max(2) as usize);
        match self {
            Style::Amount(d) => Some(format!("#,##0.{}", places(*d))),
            Style::Number(d) => Some(format!("0.{}", places(*d))),
            Style::Count => Some("0".into()),
            Style::Percent(d) => Some(format!("0.{}%", places(*d))),
            Style::Quantity(d, unit) => Some(format!("0.{}\"{unit}\"", places(*d))),
            Style::Date => Some(DATE_FORMAT.into()),
            _ => None,
        }
    }

    fn wraps(&self) -> bool {
        matches!(
            self,
            Style::Text | Style::Body | Style::Category | Style::Label
        )
    }
}

const DATE_FORMAT: &str = "yyyy-mm-dd";

/// The fill colour of a light.
pub(crate) fn light_rgb(l: Light) -> u32 {
    match l {
        Light::Red => 0xF4_6A_6A,
        Light::Yellow => 0xFF_D9_66,
        Light::Green => 0x8F_D1_8F,
        Light::Blue => 0x8E_BE_F5,
        Light::Grey => 0xD0_D0_D0,
    }
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// One cell or merged range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Put {
    pub row: u32,
    pub col: u16,
    pub last_row: u32,
    pub last_col: u16,
    pub value: Option<Value>,
    pub style: Style,
}

/// One worksheet.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    pub name: String,
    /// (min, max) width of each column; the number of columns.
    pub bounds: Vec<(f64, f64)>,
    pub puts: Vec<Put>,
    /// Rows repeated at the top of every printed page (the indicator table's heading).
    pub repeat_rows: Option<(u32, u32)>,
    /// Landscape when printed (wide tables).
    pub landscape: bool,
}

impl Sheet {
    pub(crate) fn new(name: String, bounds: Vec<(f64, f64)>) -> Sheet {
        Sheet {
            name,
            bounds,
            ..Sheet::default()
        }
    }

    fn last_col(&self) -> u16 {
        (self.bounds.len().max(1) - 1) as u16
    }

    /// A value over `row`, `col ..= last_col`.
    pub(crate) fn put(&mut self, row: u32, col: u16, last_col: u16, v: Option<Value>, s: Style) {
        self.span(row, col, row, last_col, v, s);
    }

    /// A value over a block of rows and columns.
    pub(crate) fn span(
        &mut self,
        row: u32,
        col: u16,
        last_row: u32,
        last_col: u16,
        value: Option<Value>,
        style: Style,
    ) {
        self.puts.push(Put {
            row,
            col,
            last_row,
            last_col,
            value,
            style,
        });
    }

    /// Text over `row`, `col ..= last_col`.
    pub(crate) fn text(&mut self, row: u32, col: u16, last_col: u16, t: &str, s: Style) {
        self.put(row, col, last_col, Some(Value::Text(t.to_string())), s);
    }

    /// A label over `row`, `col ..= last_col`.
    pub(crate) fn label(&mut self, row: u32, col: u16, last_col: u16, t: &str) {
        self.text(row, col, last_col, t, Style::Label);
    }

    /// A title over the whole width.
    pub(crate) fn title(&mut self, row: u32, t: &str, s: Style) {
        let last = self.last_col();
        self.text(row, 0, last, t, s);
    }

    /// A cell of a typed value (see [`Cell`]).
    pub(crate) fn cell(&mut self, row: u32, col: u16, last_col: u16, c: Cell) {
        let (v, s) = c.value();
        self.put(row, col, last_col, v, s);
    }
}

/// A typed value for a cell, turned into what Excel can hold exactly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Amount(Decimal),
    Number(Decimal),
    /// A value in percent (`98.61` for 98.61%).
    Percent(Decimal),
    Quantity(Decimal, Option<String>),
    Count(u64),
    Date(NaiveDate),
    Text(String),
    Blank,
}

/// `d` as a double when the double shows the same number (at most 15 significant digits).
fn exact_f64(d: Decimal) -> Option<f64> {
    let n = d.normalize();
    if n.mantissa().unsigned_abs() < 1_000_000_000_000_000 {
        n.to_string().parse::<f64>().ok()
    } else {
        None
    }
}

/// Decimal places a format needs to show every digit of `d` (at least 2).
fn places(d: Decimal) -> u32 {
    d.normalize().scale().max(2)
}

impl Cell {
    pub(crate) fn value(self) -> (Option<Value>, Style) {
        let text = |t: String| (Some(Value::Text(t)), Style::Text);
        match self {
            Cell::Amount(d) => match exact_f64(d) {
                Some(f) => (Some(Value::Number(f)), Style::Amount(places(d))),
                None => text(jixiao_model::present::amount(d)),
            },
            Cell::Number(d) => match exact_f64(d) {
                Some(f) => (Some(Value::Number(f)), Style::Number(places(d))),
                None => text(jixiao_model::present::decimal(d)),
            },
            Cell::Percent(p) => {
                let fraction = p.checked_div(Decimal::ONE_HUNDRED).and_then(exact_f64);
                match fraction {
                    Some(f) => (Some(Value::Number(f)), Style::Percent(places(p))),
                    None => text(jixiao_model::present::percent(p)),
                }
            }
            Cell::Quantity(d, unit) => {
                let unit = unit.unwrap_or_default();
                // A unit that a number format cannot quote stays in a text cell.
                let quotable = !unit.contains(['"', '\\']);
                match exact_f64(d).filter(|_| quotable) {
                    Some(f) if unit.is_empty() => {
                        (Some(Value::Number(f)), Style::Number(places(d)))
                    }
                    Some(f) => (Some(Value::Number(f)), Style::Quantity(places(d), unit)),
                    None => text(jixiao_model::present::quantity(d, Some(&unit))),
                }
            }
            Cell::Count(n) => (Some(Value::Number(n as f64)), Style::Count),
            Cell::Date(d) => {
                let excel_ok = d >= NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(NaiveDate::MIN)
                    && d.year() <= 9999;
                if excel_ok {
                    (Some(Value::Date(d)), Style::Date)
                } else {
                    text(d.format("%Y-%m-%d").to_string())
                }
            }
            Cell::Text(t) => text(t),
            Cell::Blank => (None, Style::Text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sizes.

/// Points per line of 11-point text with CJK glyphs.
const LINE_HEIGHT: f64 = 15.0;
/// Excel's largest row height.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// The text a cell shows (for widths).
fn shown(v: &Value, s: &Style) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Date(_) => "2024-12-31".into(),
        Value::Number(f) => {
            let extra = match s {
                Style::Quantity(_, u) => display_width(u),
                Style::Percent(_) => 1,
                _ => 0,
            };
            // Integer digits, separators, two decimals and the unit.
            let int = format!("{:.0}", f.abs()).len();
            "0".repeat(int + int / 3 + 3 + extra)
        }
    }
}

pub(crate) fn column_widths(sheet: &Sheet) -> Vec<f64> {
    let mut want = vec![0.0f64; sheet.bounds.len()];
    for p in &sheet.puts {
        if matches!(p.style, Style::Title | Style::Subtitle | Style::Body) {
            continue;
        }
        let Some(v) = &p.value else { continue };
        let text = shown(v, &p.style);
        let w = text.split('\n').map(display_width).max().unwrap_or(0) as f64 + 2.0;
        let span = f64::from(p.last_col - p.col + 1);
        for c in p.col..=p.last_col {
            if let Some(x) = want.get_mut(usize::from(c)) {
                *x = x.max(w / span);
            }
        }
    }
    want.iter()
        .zip(&sheet.bounds)
        .map(|(w, (lo, hi))| w.clamp(*lo, *hi).ceil())
        .collect()
}

pub(crate) fn row_heights(sheet: &Sheet, widths: &[f64]) -> Vec<(u32, f64)> {
    let mut lines: std::collections::BTreeMap<u32, usize> = Default::default();
    for p in &sheet.puts {
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
// Sheet names.

/// A worksheet name Excel accepts, unique among `taken`: `[]:*?/\` and control characters
/// become `_`, an apostrophe at either end too, at most 31 characters, `(2)`, `(3)` … appended
/// to a repeated name; the name Excel reserves (`History`) gets a `_`.
pub(crate) fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = if clean.trim().is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let fit = |s: &str, room: usize| {
        let mut t: String = s.chars().take(room).collect();
        if t.eq_ignore_ascii_case("history") {
            t.push('_');
        }
        // An apostrophe may not start or end a sheet name.
        if t.starts_with('\'') {
            t.replace_range(..1, "_");
        }
        if t.ends_with('\'') {
            t.pop();
            t.push('_');
        }
        t
    };
    let mut name = fit(&clean, 31);
    let mut k = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!("({k})");
        name = format!("{}{suffix}", fit(&clean, 31 - suffix.chars().count()));
        k += 1;
    }
    name
}

// ---------------------------------------------------------------------------------------------
// Rendering and the dump.

fn format_of(s: &Style) -> Format {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_align(FormatAlign::VerticalCenter);
    let boxed = base.clone().set_border(FormatBorder::Thin);
    match s {
        Style::Title => base
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        Style::Subtitle => base.set_align(FormatAlign::Center),
        Style::Label => boxed
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        Style::Category => boxed.set_align(FormatAlign::Center).set_text_wrap(),
        Style::Text => boxed.set_text_wrap(),
        Style::Body => boxed.set_align(FormatAlign::Top).set_text_wrap(),
        Style::Light(l) => boxed
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(light_rgb(*l))),
        Style::Date => boxed
            .set_num_format(DATE_FORMAT)
            .set_align(FormatAlign::Left),
        s => boxed
            .set_num_format(s.num_format().unwrap_or_default())
            .set_align(FormatAlign::Right),
    }
}

/// Writes the sheets as one workbook.
pub(crate) fn render(sheets: &[Sheet]) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        ws.set_paper_size(9); // A4
        if sheet.landscape {
            ws.set_landscape();
        }
        ws.set_print_fit_to_pages(1, 0);
        if let Some((first, last)) = sheet.repeat_rows {
            ws.set_repeat_rows(first, last)?;
        }
        let widths = column_widths(sheet);
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        for (r, h) in row_heights(sheet, &widths) {
            ws.set_row_height(r, h)?;
        }
        for p in &sheet.puts {
            let f = format_of(&p.style);
            if (p.row, p.col) != (p.last_row, p.last_col) {
                ws.merge_range(p.row, p.col, p.last_row, p.last_col, "", &f)?;
            }
            match &p.value {
                Some(Value::Text(t)) => {
                    ws.write_string_with_format(p.row, p.col, t, &f)?;
                }
                Some(Value::Number(n)) => {
                    ws.write_number_with_format(p.row, p.col, *n, &f)?;
                }
                Some(Value::Date(d)) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(p.row, p.col, &dt, &f)?;
                }
                None => {
                    ws.write_blank(p.row, p.col, &f)?;
                }
            }
        }
    }
    if sheets.is_empty() {
        wb.add_worksheet();
    }
    Ok(wb.save_to_buffer()?)
}

/// `E19` for 0-based (18, 4).
pub(crate) fn cell_name(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// A readable dump of the sheets: per sheet its name, column widths, row heights, then one line
/// per cell or merged range with its value and style or number format.
pub(crate) fn dump(sheets: &[Sheet]) -> String {
    let mut out = String::new();
    for (i, sheet) in sheets.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let widths = column_widths(sheet);
        let _ = writeln!(out, "sheet {}", sheet.name);
        let cols: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(c, w)| format!("{}={w}", cell_name(0, c as u16).trim_end_matches('1')))
            .collect();
        let _ = writeln!(out, "columns {}", cols.join(" "));
        let heights: Vec<String> = row_heights(sheet, &widths)
            .into_iter()
            .map(|(r, h)| format!("{}={h}", r + 1))
            .collect();
        let _ = writeln!(out, "row heights {}", heights.join(" "));
        if let Some((a, b)) = sheet.repeat_rows {
            let _ = writeln!(out, "repeated rows {}-{}", a + 1, b + 1);
        }
        let mut puts: Vec<&Put> = sheet.puts.iter().collect();
        puts.sort_by_key(|p| (p.row, p.col));
        for p in puts {
            let at = if (p.row, p.col) == (p.last_row, p.last_col) {
                cell_name(p.row, p.col)
            } else {
                format!(
                    "{}:{}",
                    cell_name(p.row, p.col),
                    cell_name(p.last_row, p.last_col)
                )
            };
            let value = match &p.value {
                None => "(blank)".to_string(),
                Some(Value::Text(t)) => format!("{t:?}"),
                Some(Value::Number(n)) => format!("{n}"),
                Some(Value::Date(d)) => d.format("%Y-%m-%d").to_string(),
            };
            let _ = writeln!(out, "{at} = {value} [{}]", p.style.name());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn values_excel_holds_exactly_are_numbers_others_text() {
        assert_eq!(
            Cell::Amount(d("9028372.00")).value(),
            (Some(Value::Number(9028372.0)), Style::Amount(2))
        );
        assert_eq!(
            Cell::Amount(d("0.125")).value(),
            (Some(Value::Number(0.125)), Style::Amount(3))
        );
        assert_eq!(
            Cell::Amount(d("123456789012345.67")).value(),
            (
                Some(Value::Text("123,456,789,012,345.67".into())),
                Style::Text
            )
        );
        assert_eq!(
            Cell::Percent(d("98.61")).value(),
            (Some(Value::Number(0.9861)), Style::Percent(2))
        );
        assert_eq!(
            Cell::Percent(d("58.2048")).value(),
            (Some(Value::Number(0.582048)), Style::Percent(4))
        );
        assert_eq!(
            Cell::Quantity(d("13500"), Some("公里".into())).value(),
            (
                Some(Value::Number(13500.0)),
                Style::Quantity(2, "公里".into())
            )
        );
        assert_eq!(
            Cell::Quantity(d("7"), Some("a\"b".into())).value(),
            (Some(Value::Text("7a\"b".into())), Style::Text)
        );
        let old = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap();
        assert_eq!(
            Cell::Date(old).value(),
            (Some(Value::Text("1899-12-31".into())), Style::Text)
        );
    }

    #[test]
    fn formats_show_every_decimal() {
        assert_eq!(Style::Amount(2).name(), "#,##0.00");
        assert_eq!(Style::Amount(3).name(), "#,##0.000");
        assert_eq!(Style::Percent(4).name(), "0.0000%");
        assert_eq!(Style::Quantity(2, "公里".into()).name(), "0.00\"公里\"");
        assert_eq!(Style::Number(2).name(), "0.00");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert_eq!(sheet_name("  ", &[]), "Sheet");
        let long = "很".repeat(40);
        let first = sheet_name(&long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(&long, std::slice::from_ref(&first));
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("(2)"));
        assert_eq!(sheet_name("X", &["x".into()]), "X(2)");
        assert_eq!(sheet_name("'a'", &[]), "_a_");
        assert_eq!(sheet_name("history", &[]), "history_");
        // Excel (rust_xlsxwriter) accepts every name made, however odd the project name.
        for wanted in [
            "'",
            "a'",
            "[]",
            "\u{7}x",
            "History",
            &format!("{}'", "x".repeat(30)),
        ] {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let name = sheet_name(wanted, &[]);
            assert!(
                wb.add_worksheet().set_name(&name).is_ok(),
                "{wanted:?} -> {name:?}"
            );
        }
    }
}
