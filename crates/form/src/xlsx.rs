//! XLSX workbooks (Excel 2007+, and WPS saving as .xlsx) as a [`Grid`], read with `calamine`.
//!
//! **Which sheet**: the first visible worksheet that holds a form label (项目名称, 绩效指标,
//! 一级指标); when none does (an actuals sheet, say), the first visible worksheet that is not
//! empty. Workbooks often open with a cover or 填报说明 sheet, hence the search.
//!
//! **Positions**: for XLSX a [`Row::line`] is the 1-based Excel row number and a
//! [`Cell::column`] the 1-based Excel column number (A = 1), so `form.xlsx:19:5` is cell E19.
//! Rows start at the first row that holds a value and cells at the first column that holds one,
//! so an actuals table may start anywhere in the sheet; a non-blank row is padded with blank
//! cells to the sheet's width, as Excel pads a CSV; blank rows between them are kept, with no
//! cells.
//!
//! **Values**, as the recognizer reads text exports:
//! - strings verbatim, wrapped text (`\n`) included — the recognizer unwraps it;
//! - numbers as Excel shows them in the General format: 15 significant digits, the shortest
//!   text, no `.0` on whole numbers (`360000`, `0.5`). Number formats (`#,##0.00`, `0%`) are not
//!   applied: a percent cell holding 0.95 reads `0.95`, so write `95%` as text;
//! - dates and date-times as ISO dates (`2024-01-01`); the time of day is dropped, since forms
//!   and actuals carry dates only; a pure time (a serial below 1) reads `08:30:00`;
//! - booleans `TRUE` / `FALSE`;
//! - error values (`#REF!`, `#DIV/0!`, …) fail the read, naming the cell.
//!
//! **Merged cells**: the value sits in the top-left cell; the others read blank, as the
//! invariant of [`crate::grid`] says.
//!
//! **Invariant**: no panics, whatever the bytes. Broken ZIP containers, ZIP files that are not
//! workbooks (.docx, .xlsb, .ods), and sheets too large to be a form are diagnostics; a panic
//! inside `calamine` on hostile input is caught and reported as a damaged file.

use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};

/// `PK\x03\x04`: the start of a ZIP archive, as every XLSX is.
pub const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// `D0 CF 11 E0`: the start of an OLE compound file — old binary Excel (.xls), Word (.doc), WPS
/// (.et).
pub const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

/// At most this many non-blank cells are read from a sheet: far beyond any form, small enough
/// that a hostile sheet cannot exhaust memory.
const MAX_FILLED: usize = 1_000_000;

/// At most this many cells (blank padding included) are put in the grid.
const MAX_GRID_CELLS: u64 = 5_000_000;

/// One worksheet read from a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name, as on its tab.
    pub name: String,
    /// How many worksheets the workbook has.
    pub sheets_in_workbook: usize,
    /// The cells.
    pub grid: Grid,
}

/// True when `bytes` start like a ZIP archive (XLSX, but also DOCX, XLSB, ODS …).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// Reads the form sheet of an XLSX workbook (see the module docs for which sheet) as a grid.
pub fn grid_from_xlsx(bytes: &[u8]) -> Result<Grid, Diagnostic> {
    read_sheet(bytes).map(|s| s.grid)
}

/// Reads the form sheet of an XLSX workbook, with its name.
pub fn read_sheet(bytes: &[u8]) -> Result<Sheet, Diagnostic> {
    // `calamine` parses a binary container from untrusted input; a panic there (an arithmetic
    // overflow on an absurd row number, say) must not take the caller down.
    std::panic::catch_unwind(|| read_sheet_inner(bytes)).unwrap_or_else(|_| {
        Err(Diagnostic::error(
            1,
            1,
            "XLSX 文件结构异常，无法读取（文件可能已损坏）；请在 Excel/WPS 中打开后重新另存为 .xlsx",
            "the XLSX file is malformed and cannot be read (it may be damaged); open it in \
             Excel/WPS and save it again as .xlsx",
        ))
    })
}

/// The non-blank cells of one sheet: 0-based (row, column) and text.
type Sparse = Vec<(u32, u32, String)>;

fn read_sheet_inner(bytes: &[u8]) -> Result<Sheet, Diagnostic> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| open_error(bytes, &e))?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    if names.is_empty() {
        return Err(Diagnostic::error(
            1,
            1,
            "工作簿中没有可见的工作表",
            "the workbook has no visible worksheet",
        ));
    }
    let mut fallback: Option<(String, Sparse)> = None;
    for name in &names {
        let cells = read_cells(&mut wb, name)?;
        if cells.is_empty() {
            continue;
        }
        let is_form = cells.iter().any(|(_, _, t)| {
            t.len() <= 64
                && matches!(
                    jixiao_model::normalize_label(t).as_str(),
                    "项目名称" | "绩效指标" | "一级指标"
                )
        });
        if is_form {
            return to_sheet(name.clone(), names.len(), cells);
        }
        if fallback.is_none() {
            fallback = Some((name.clone(), cells));
        }
    }
    match fallback {
        Some((name, cells)) => to_sheet(name, names.len(), cells),
        None => Err(Diagnostic::error(
            1,
            1,
            "工作簿为空：所有工作表都没有内容",
            "the workbook is empty: no worksheet holds any value",
        )),
    }
}

/// Streams one sheet's cells (no dense range is built, so a sheet with a value in A1 and one in
/// XFD1048576 costs two cells, not seventeen billion).
fn read_cells<R: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<R>,
    name: &str,
) -> Result<Sparse, Diagnostic> {
    let sheet_error = |e: XlsxError| {
        Diagnostic::error(
            1,
            1,
            format!("无法读取工作表「{name}」，文件可能已损坏"),
            format!("cannot read worksheet {name:?} (the file may be damaged): {e}"),
        )
    };
    let mut reader = wb.worksheet_cells_reader(name).map_err(sheet_error)?;
    let mut cells: Sparse = Vec::new();
    let mut errors: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(sheet_error)? {
        let (row, col) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) => number_text(*f),
            DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            DataRef::DateTime(dt) => date_text(dt),
            DataRef::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
            DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => {
                errors.push((row, col, e.to_string()));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        if cells.len() >= MAX_FILLED {
            return Err(too_large(name));
        }
        cells.push((row, col, text));
    }
    if let Some((row, col, value)) = errors.first() {
        let more = errors.len() - 1;
        let (more_zh, more_en) = if more > 0 {
            (
                format!("（另有 {more} 个单元格出错）"),
                format!(" ({more} more cells hold errors)"),
            )
        } else {
            (String::new(), String::new())
        };
        let at = cell_name(*row, *col);
        return Err(Diagnostic::error(
            row.saturating_add(1),
            col.saturating_add(1),
            format!(
                "工作表「{name}」单元格 {at} 的值是 Excel 错误 {value}{more_zh}；请在 Excel 中修正公式或填入数值后重新保存"
            ),
            format!(
                "cell {at} of worksheet {name:?} holds the Excel error {value}{more_en}; fix the \
                 formula or enter the value in Excel and save again"
            ),
        ));
    }
    // A cell written twice (malformed, but possible): the last one wins.
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut deduped: Sparse = Vec::with_capacity(cells.len());
    for cell in cells {
        match deduped.last_mut() {
            Some(last) if (last.0, last.1) == (cell.0, cell.1) => *last = cell,
            _ => deduped.push(cell),
        }
    }
    Ok(deduped)
}

/// Lays the sparse cells out as rows, from the first non-blank row and column.
fn to_sheet(name: String, sheets: usize, cells: Sparse) -> Result<Sheet, Diagnostic> {
    let (Some(first_row), Some(last_row)) = (cells.first().map(|c| c.0), cells.last().map(|c| c.0))
    else {
        return Ok(Sheet {
            name,
            sheets_in_workbook: sheets,
            grid: Grid::default(),
        });
    };
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let last_col = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let width = u64::from(last_col - first_col) + 1;
    let mut filled_rows = cells.iter().map(|c| c.0).collect::<Vec<_>>();
    filled_rows.dedup();
    if filled_rows.len() as u64 * width > MAX_GRID_CELLS {
        return Err(too_large(&name));
    }
    let mut rows = Vec::with_capacity((last_row - first_row) as usize + 1);
    let mut it = cells.into_iter().peekable();
    for r in first_row..=last_row {
        let mut row_cells = Vec::new();
        if it.peek().is_some_and(|c| c.0 == r) {
            row_cells = (first_col..=last_col)
                .map(|c| Cell {
                    text: String::new(),
                    column: c.saturating_add(1),
                })
                .collect();
            while let Some((_, c, text)) = it.next_if(|c| c.0 == r) {
                row_cells[(c - first_col) as usize].text = text;
            }
        }
        rows.push(Row {
            line: r.saturating_add(1),
            cells: row_cells,
        });
    }
    Ok(Sheet {
        name,
        sheets_in_workbook: sheets,
        grid: Grid { rows },
    })
}

fn too_large(name: &str) -> Diagnostic {
    Diagnostic::error(
        1,
        1,
        format!(
            "工作表「{name}」过大，不像是一张绩效目标表（单元格超过 {MAX_FILLED} 个或范围过大）"
        ),
        format!(
            "worksheet {name:?} is too large to be a performance-target table (more than \
             {MAX_FILLED} cells, or too wide a range)"
        ),
    )
}

/// Why a ZIP did not open as a workbook, naming what it is when that can be told.
fn open_error(bytes: &[u8], e: &XlsxError) -> Diagnostic {
    let fix_zh = "请在 Excel/WPS 中另存为 .xlsx，或导出为 CSV/文本";
    let fix_en = "save it as .xlsx in Excel/WPS, or export CSV or text";
    if let Some((zh, en)) = zip_kind(bytes) {
        return Diagnostic::error(
            1,
            1,
            format!("这是{zh}，不是 Excel 工作簿（.xlsx）；{fix_zh}"),
            format!("this is {en}, not an Excel workbook (.xlsx); {fix_en}"),
        );
    }
    match e {
        XlsxError::Zip(_) | XlsxError::Io(_) => Diagnostic::error(
            1,
            1,
            format!("文件以 ZIP/XLSX 文件头开始，但内容已损坏或不完整，无法作为 Excel 工作簿打开；{fix_zh}"),
            format!(
                "the file starts like a ZIP/XLSX file but is damaged or cut off and cannot be \
                 opened as an Excel workbook ({e}); {fix_en}"
            ),
        ),
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => Diagnostic::error(
            1,
            1,
            format!("这是 ZIP 压缩文件，但不是 Excel 工作簿（其中没有 xl/workbook.xml）；{fix_zh}"),
            format!("this is a ZIP archive but not an Excel workbook ({e}); {fix_en}"),
        ),
        _ => Diagnostic::error(
            1,
            1,
            format!("无法读取 XLSX 工作簿，文件可能已损坏；{fix_zh}"),
            format!("cannot read the XLSX workbook, the file may be damaged ({e}); {fix_en}"),
        ),
    }
}

/// What a ZIP that is not an XLSX holds, told by the names of its members (stored uncompressed
/// in the ZIP headers).
fn zip_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if has(b"word/document") {
        Some(("Word 文档（.docx）", "a Word document (.docx)"))
    } else if has(b"ppt/presentation") {
        Some(("PowerPoint 演示文稿（.pptx）", "a PowerPoint file (.pptx)"))
    } else if has(b"xl/workbook.bin") {
        Some((
            "Excel 二进制工作簿（.xlsb）",
            "a binary Excel workbook (.xlsb)",
        ))
    } else if has(b"opendocument.spreadsheet") {
        Some((
            "OpenDocument 表格（.ods）",
            "an OpenDocument spreadsheet (.ods)",
        ))
    } else if has(b"opendocument.text") {
        Some(("OpenDocument 文档（.odt）", "an OpenDocument text (.odt)"))
    } else {
        None
    }
}

/// The refusal of an OLE compound file: old binary Excel (.xls), Word (.doc) or WPS (.et).
pub fn ole_error() -> Diagnostic {
    Diagnostic::error(
        1,
        1,
        "这是旧版 Office 二进制文件（.xls/.doc/.et），不支持直接读取；请在 Excel/WPS 中另存为 .xlsx，或导出为 CSV/文本",
        "this is an old binary Office file (.xls/.doc/.et), which is not read directly; save it \
         as .xlsx in Excel/WPS, or export CSV or text",
    )
}

/// A number as Excel shows it in the General format: 15 significant digits, shortest text.
fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let shown: f64 = format!("{v:.14e}").parse().unwrap_or(v);
    if shown == 0.0 {
        return "0".to_string(); // not "-0"
    }
    shown.to_string()
}

/// A date cell as an ISO date; out-of-range serials (which Excel shows as `####`) as numbers.
fn date_text(dt: &ExcelDateTime) -> String {
    let v = dt.as_f64();
    // Excel's dates run from 1900-01-01 (serial 1) to 9999-12-31 (serial 2958465).
    if dt.is_duration() || !(0.0..2_958_466.0).contains(&v) {
        return number_text(v);
    }
    let (y, m, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if v < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// `E19` for 0-based (18, 4).
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        letters.into_iter().collect::<String>(),
        u64::from(row) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime as WDate, Format, Workbook};

    fn book(build: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut wb = Workbook::new();
        build(wb.add_worksheet());
        wb.save_to_buffer().unwrap()
    }

    fn texts(g: &Grid) -> Vec<Vec<&str>> {
        g.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn values_read_as_excel_shows_them() {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let money = Format::new().set_num_format("#,##0.00");
        let bytes = book(|ws| {
            ws.write(1, 1, "项目名称").unwrap();
            ws.write(1, 2, "交通工具\n购置").unwrap();
            ws.write_with_format(2, 1, 360000.0, &money).unwrap();
            ws.write(2, 2, 0.5).unwrap();
            ws.write(2, 3, 0.1 + 0.2).unwrap();
            ws.write(2, 4, -0.0).unwrap();
            let d = WDate::from_ymd(2024, 1, 1).unwrap();
            ws.write_datetime_with_format(3, 1, &d, &date).unwrap();
            let dt = WDate::from_ymd(2024, 12, 31)
                .unwrap()
                .and_hms(17, 30, 0)
                .unwrap();
            ws.write_datetime_with_format(3, 2, &dt, &date).unwrap();
            let zh = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
            ws.write_datetime_with_format(4, 1, &d, &zh).unwrap();
            ws.write(3, 3, true).unwrap();
            ws.write(3, 4, false).unwrap();
        });
        let g = grid_from_xlsx(&bytes).unwrap();
        assert_eq!(
            texts(&g),
            [
                vec!["项目名称", "交通工具\n购置", "", ""],
                vec!["360000", "0.5", "0.3", "0"],
                vec!["2024-01-01", "2024-12-31", "TRUE", "FALSE"],
                vec!["2024-01-01", "", "", ""],
            ]
        );
        // Excel positions: B2 is line 2, column 2.
        assert_eq!((g.rows[0].line, g.rows[0].cells[0].column), (2, 2));
        assert_eq!(g.rows[2].cells[3].column, 5);
    }

    #[test]
    fn merged_cells_are_blank_but_the_first_and_blank_rows_stay() {
        let bytes = book(|ws| {
            ws.merge_range(0, 0, 2, 0, "项目绩效目标", &Format::new())
                .unwrap();
            ws.write(0, 1, "a").unwrap();
            ws.write(2, 1, "c").unwrap();
        });
        let g = grid_from_xlsx(&bytes).unwrap();
        assert_eq!(
            texts(&g),
            [vec!["项目绩效目标", "a"], vec![], vec!["", "c"]]
        );
        assert!(g.rows[1].is_blank());
        assert_eq!(g.rows[1].line, 2);
    }

    #[test]
    fn the_form_sheet_is_found_after_a_cover_sheet() {
        let mut wb = Workbook::new();
        wb.add_worksheet()
            .set_name("填报说明")
            .unwrap()
            .write(0, 0, "说明")
            .unwrap();
        wb.add_worksheet()
            .set_name("申报表")
            .unwrap()
            .write(4, 2, "项目名称")
            .unwrap();
        let s = read_sheet(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!((s.name.as_str(), s.sheets_in_workbook), ("申报表", 2));
        assert_eq!(s.grid.rows[0].line, 5);
        // Without a form label, the first non-empty sheet.
        let mut wb = Workbook::new();
        wb.add_worksheet();
        wb.add_worksheet()
            .set_name("actuals")
            .unwrap()
            .write(0, 0, "project")
            .unwrap();
        let s = read_sheet(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(s.name, "actuals");
    }

    #[test]
    fn error_cells_and_empty_books_are_diagnostics() {
        let bytes = book(|ws| {
            ws.write(0, 0, "项目名称").unwrap();
            ws.write_formula(
                18,
                4,
                rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
            )
            .unwrap();
        });
        let e = grid_from_xlsx(&bytes).unwrap_err();
        assert_eq!((e.line, e.column), (19, 5));
        assert!(e.zh.contains("E19") && e.zh.contains("#DIV/0!"), "{e:?}");
        let e = grid_from_xlsx(&book(|_| {})).unwrap_err();
        assert!(e.zh.contains("工作簿为空"), "{e:?}");
    }

    #[test]
    fn truncated_and_foreign_zips_never_panic() {
        let bytes = book(|ws| {
            for r in 0..50 {
                ws.write(r, 0, "项目名称").unwrap();
                ws.write(r, 1, f64::from(r) * 1.25).unwrap();
            }
        });
        for cut in (0..bytes.len()).step_by(7) {
            let _ = grid_from_xlsx(&bytes[..cut]);
        }
        // Flipped bytes in the middle: still a diagnostic or a grid, never a panic.
        for i in (0..bytes.len()).step_by(13) {
            let mut b = bytes.clone();
            b[i] ^= 0xFF;
            let _ = grid_from_xlsx(&b);
        }
        let e = grid_from_xlsx(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(e.zh.contains("损坏"), "{e:?}");
        let e = grid_from_xlsx(b"PK\x03\x04 word/document.xml").unwrap_err();
        assert!(e.zh.contains("Word") && e.en.contains(".docx"), "{e:?}");
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(18, 4), "E19");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn numbers_show_fifteen_digits() {
        assert_eq!(number_text(360000.0), "360000");
        assert_eq!(number_text(1234.5600000000001), "1234.56");
        assert_eq!(number_text(-12.5), "-12.5");
        assert_eq!(number_text(1e-7), "0.0000001");
    }
}
