//! 工作表草图 — the plan of a worksheet (which value, in which cell or merged range, with which
//! look), written to XLSX by [`render`] and to a readable dump by [`dump`].
//!
//! This module owns how typed values become cells: amounts are numbers formatted `#,##0.00`,
//! scores and weights `0.00`, rates percentages (`0.00%`, the cell holds the fraction), a
//! number with a unit `0.00"公里"` (the cell holds the number), dates Excel dates formatted
//! `yyyy"年"m"月"d"日"` (2024年6月30日). A value Excel cannot hold exactly (more than 15 significant digits, a date
//! before 1900-03-01) is written as text that shows every digit, never rounded.
//!
//! The cell-writing layer itself (the value and put types, which values a double holds, the
//! date and amount formats, fonts and borders, widths with a CJK character counted as two, row
//! heights, writing a put, the dump lines) is [`jixiao_form::xlsx_cells`], shared with the
//! declaration export; this module owns the reports' styles and the sheet as a whole.

use std::fmt::Write as _;

use jixiao_evaluate::Light;
use jixiao_form::xlsx_cells::{
    amount_format, base_format, boxed_format, date_cell_format, display_width, dump_header,
    dump_puts, exact_f64, excel_holds_date, iso_date, number_cell_format, shown_date, write_put,
    CellStyle, DATE_FORMAT,
};
use jixiao_model::{Decimal, NaiveDate};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook};

pub(crate) use jixiao_form::xlsx_cells::Value;

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
    /// A date, `yyyy"年"m"月"d"日"` (2024年6月30日).
    Date,
    /// A traffic light: its name as text on its colour.
    Light(Light),
}

impl CellStyle for Style {
    /// The number format, or the style's name for text styles (for the dump).
    fn name(&self) -> String {
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

    fn wraps(&self) -> bool {
        matches!(
            self,
            Style::Text | Style::Body | Style::Category | Style::Label
        )
    }

    fn sizes_columns(&self) -> bool {
        !matches!(self, Style::Title | Style::Subtitle | Style::Body)
    }

    fn shown(&self, v: &Value) -> String {
        shown(v, self)
    }
}

impl Style {
    fn num_format(&self) -> Option<String> {
        let places = |d: u32| "0".repeat(d.max(2) as usize);
        match self {
            Style::Amount(d) => Some(amount_format(*d)),
            Style::Number(d) => Some(format!("0.{}", places(*d))),
            Style::Count => Some("0".into()),
            Style::Percent(d) => Some(format!("0.{}%", places(*d))),
            Style::Quantity(d, unit) => Some(format!("0.{}\"{unit}\"", places(*d))),
            Style::Date => Some(DATE_FORMAT.into()),
            _ => None,
        }
    }
}

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

/// One cell or merged range.
pub(crate) type Put = jixiao_form::xlsx_cells::Put<Style>;

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
                if excel_holds_date(d) {
                    (Some(Value::Date(d)), Style::Date)
                } else {
                    text(iso_date(d))
                }
            }
            Cell::Text(t) => text(t),
            Cell::Blank => (None, Style::Text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sizes.

/// The text a cell shows (for widths).
fn shown(v: &Value, s: &Style) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Date(d) => shown_date(*d),
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
    jixiao_form::xlsx_cells::column_widths(&sheet.puts, &sheet.bounds)
}

pub(crate) fn row_heights(sheet: &Sheet, widths: &[f64]) -> Vec<(u32, f64)> {
    jixiao_form::xlsx_cells::row_heights(&sheet.puts, widths)
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
    let base = base_format();
    let boxed = boxed_format();
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
        Style::Date => date_cell_format(),
        s => number_cell_format(&s.num_format().unwrap_or_default()),
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
            write_put(ws, p, &format_of(&p.style))?;
        }
    }
    if sheets.is_empty() {
        wb.add_worksheet();
    }
    Ok(wb.save_to_buffer()?)
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
        dump_header(&mut out, &sheet.name, &widths, &row_heights(sheet, &widths));
        if let Some((a, b)) = sheet.repeat_rows {
            let _ = writeln!(out, "repeated rows {}-{}", a + 1, b + 1);
        }
        dump_puts(&mut out, "", &sheet.puts);
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
