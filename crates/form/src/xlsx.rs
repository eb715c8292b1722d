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
//!   text, no `.0` on whole numbers (`360000`, `0.5`). Number formats (`#,##0.00`) are not
//!   applied, except percentages: a number cell whose format shows a percentage (`0%`, `0.00%`,
//!   built-in or custom) reads as the percentage, with the decimals the value has rather than
//!   those the format rounds to (0.97 → `97%`, 0.975 → `97.5%`, even under `0%`), since a
//!   percent cell holding 0.97 means 97 %, never 0.97 %. calamine 0.35 does not expose number
//!   formats, so `xl/styles.xml` and the sheet's cell styles are read here (only when some
//!   style is a percentage);
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

use std::collections::HashSet;
use std::io::{BufReader, Cursor, Read, Seek};

use calamine::{
    Data, DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, Xlsx, XlsxError,
};

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
    read_sheet_with(bytes, &crate::Limits::default())
}

/// [`read_sheet`] within the limits' rows and cells.
pub fn read_sheet_with(bytes: &[u8], limits: &crate::Limits) -> Result<Sheet, Diagnostic> {
    // `calamine` parses a binary container from untrusted input; a panic there (an arithmetic
    // overflow on an absurd row number, say) must not take the caller down.
    std::panic::catch_unwind(|| read_sheet_inner(bytes, limits)).unwrap_or_else(|_| {
        Err(Diagnostic::error(
            1,
            1,
            "XLSX 文件结构异常，无法读取（文件可能已损坏）；请在 Excel/WPS 中打开后重新另存为 .xlsx",
            "the XLSX file is malformed and cannot be read (it may be damaged); open it in \
             Excel/WPS and save it again as .xlsx",
        ))
    })
}

/// Reads every visible, non-empty worksheet of a workbook, in tab order (a report with one
/// sheet per project, such as the 自评表 `jixiao report self-eval` writes).
pub fn read_all_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Diagnostic> {
    read_all_sheets_with(bytes, &crate::Limits::default())
}

/// [`read_all_sheets`] within the limits' rows and cells.
pub fn read_all_sheets_with(
    bytes: &[u8],
    limits: &crate::Limits,
) -> Result<Vec<Sheet>, Diagnostic> {
    std::panic::catch_unwind(|| read_all_inner(bytes, limits)).unwrap_or_else(|_| {
        Err(Diagnostic::error(
            1,
            1,
            "XLSX 文件结构异常，无法读取（文件可能已损坏）；请在 Excel/WPS 中打开后重新另存为 .xlsx",
            "the XLSX file is malformed and cannot be read (it may be damaged); open it in \
             Excel/WPS and save it again as .xlsx",
        ))
    })
}

fn read_all_inner(bytes: &[u8], limits: &crate::Limits) -> Result<Vec<Sheet>, Diagnostic> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| open_error(bytes, &e))?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let percent = PercentStyles::read(bytes)?;
    let mut out = Vec::new();
    for name in &names {
        let shown_as_percent = percent.cells(bytes, name)?;
        let cells = read_cells(&mut wb, name, &shown_as_percent, limits)?;
        if !cells.is_empty() {
            out.push(to_sheet(name.clone(), names.len(), cells, limits)?);
        }
    }
    Ok(out)
}

/// The non-blank cells of one sheet: 0-based (row, column) and text.
type Sparse = Vec<(u32, u32, String)>;

fn read_sheet_inner(bytes: &[u8], limits: &crate::Limits) -> Result<Sheet, Diagnostic> {
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
    let percent = PercentStyles::read(bytes)?;
    let mut fallback: Option<(String, Sparse)> = None;
    for name in &names {
        let shown_as_percent = percent.cells(bytes, name)?;
        let cells = read_cells(&mut wb, name, &shown_as_percent, limits)?;
        if cells.is_empty() {
            continue;
        }
        if holds_form_label(&cells) {
            return to_sheet(name.clone(), names.len(), cells, limits);
        }
        if fallback.is_none() {
            fallback = Some((name.clone(), cells));
        }
    }
    match fallback {
        Some((name, cells)) => to_sheet(name, names.len(), cells, limits),
        None => Err(Diagnostic::error(
            1,
            1,
            "工作簿为空：所有工作表都没有内容",
            "the workbook is empty: no worksheet holds any value",
        )),
    }
}

/// Whether a sheet's cells hold a label of the declaration form (项目名称, 绩效指标, 一级指标):
/// the sheet to read, in an XLSX or an .xls workbook alike.
fn holds_form_label(cells: &Sparse) -> bool {
    cells.iter().any(|(_, _, t)| {
        t.len() <= 64
            && matches!(
                jixiao_model::normalize_label(t).as_str(),
                "项目名称" | "绩效指标" | "一级指标"
            )
    })
}

/// Streams one sheet's cells (no dense range is built, so a sheet with a value in A1 and one in
/// XFD1048576 costs two cells, not seventeen billion).
fn read_cells<R: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<R>,
    name: &str,
    percent: &HashSet<(u32, u32)>,
    limits: &crate::Limits,
) -> Result<Sparse, Diagnostic> {
    let max_filled = limits.cells.min(MAX_FILLED);
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
            DataRef::Int(i) if percent.contains(&(row, col)) => percent_text(&i.to_string()),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) if percent.contains(&(row, col)) => percent_text(&number_text(*f)),
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
        if cells.len() >= max_filled {
            return Err(too_large(name, limits));
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
fn to_sheet(
    name: String,
    sheets: usize,
    cells: Sparse,
    limits: &crate::Limits,
) -> Result<Sheet, Diagnostic> {
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
    let rows = u64::from(last_row - first_row) + 1;
    if filled_rows.len() as u64 * width > MAX_GRID_CELLS || rows > limits.lines as u64 {
        return Err(too_large(&name, limits));
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

fn too_large(name: &str, limits: &crate::Limits) -> Diagnostic {
    let cells = limits.cells.min(MAX_FILLED);
    let rows = limits.lines;
    Diagnostic::error(
        1,
        1,
        format!(
            "工作表「{name}」过大，不像是一张绩效目标表（单元格超过 {cells} 个、行数超过 {rows} 或范围过大）"
        ),
        format!(
            "worksheet {name:?} is too large to be a performance-target table (more than \
             {cells} cells, more than {rows} rows, or too wide a range)"
        ),
    )
}

/// Checks a ZIP archive against the budget before `calamine` opens it: the number of entries,
/// the sizes its central directory declares, and the sizes the entries really inflate to (each
/// read through a bounded reader and thrown away, so a bomb costs time, not memory).
/// An archive the `zip` crate cannot open is left for `calamine` to report.
pub(crate) fn check_zip(bytes: &[u8], budget: &crate::limits::Budget) -> Result<(), Diagnostic> {
    use crate::limits::{exceeded, megabytes};
    let limits = budget.limits;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > limits.zip_entries {
        return Err(exceeded(
            "压缩包中的文件数",
            "the number of entries in the ZIP archive",
            limits.zip_entries,
            limits.zip_entries,
        ));
    }
    let too_big = || {
        exceeded(
            "解压后的大小",
            "the inflated size",
            megabytes(limits.decompressed_bytes),
            megabytes(limits.decompressed_bytes),
        )
    };
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            declared = declared.saturating_add(f.size());
        }
    }
    if declared > limits.decompressed_bytes as u64 {
        return Err(too_big());
    }
    let mut inflated: u64 = 0;
    for i in 0..zip.len() {
        budget.check_time()?;
        let Ok(f) = zip.by_index(i) else {
            continue;
        };
        let left = (limits.decompressed_bytes as u64).saturating_sub(inflated);
        // An entry that lies about its size fails its own checks inside `zip` (an error here);
        // what it inflated to until then still counts.
        let mut counted = CountingSink(0);
        let _ = std::io::copy(&mut f.take(left + 1), &mut counted);
        inflated = inflated.saturating_add(counted.0);
        if inflated > limits.decompressed_bytes as u64 {
            return Err(too_big());
        }
    }
    Ok(())
}

/// Counts the bytes written to it and keeps none.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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

/// A legacy .xls (BIFF) workbook at most (bytes). calamine reads every sheet of it when it
/// opens, into a dense range, so the file's size is the budget that can be checked first.
pub const MAX_XLS_BYTES: usize = 16 * 1024 * 1024;

fn xls_damaged() -> Diagnostic {
    Diagnostic::error(
        1,
        1,
        "旧版 Excel 工作簿（.xls）结构异常，无法读取（文件可能已损坏，或是 Word/WPS 文字的 .doc）；请在 Excel/WPS 中另存为 .xlsx",
        "the old Excel workbook (.xls) is malformed and cannot be read (it may be damaged, or a \
         Word/WPS .doc); save it as .xlsx in Excel/WPS",
    )
}

/// Reads the form sheet of a legacy Excel 97–2003 workbook (.xls, BIFF8; an OLE compound file)
/// with calamine, chosen as in an XLSX (the first visible worksheet holding a form label), with
/// the same values, merged cells (blank but the top-left) and positions. Number formats are not
/// known here (calamine does not expose them for .xls), so a percentage cell reads as the number
/// it holds; [`crate::read_form`] warns at every fraction that could be one.
pub fn read_xls_sheet(bytes: &[u8], limits: &crate::Limits) -> Result<Sheet, Diagnostic> {
    if bytes.len() > MAX_XLS_BYTES {
        return Err(Diagnostic::error(
            1,
            1,
            format!(
                "旧版 Excel 工作簿（.xls）超过 {} MB，不像一份申报表，未读取",
                MAX_XLS_BYTES / 1024 / 1024
            ),
            format!(
                "the old Excel workbook (.xls) is over {} MB, too large to be a form; not read",
                MAX_XLS_BYTES / 1024 / 1024
            ),
        ));
    }
    if xls_area(bytes)? > MAX_XLS_AREA {
        return Err(Diagnostic::error(
            1,
            1,
            format!("旧版 Excel 工作簿（.xls）的单元格范围超过 {MAX_XLS_AREA} 格（各工作表从第一个到最后一个有内容的单元格），不像一份申报表，未读取"),
            format!("the old Excel workbook (.xls) spans more than {MAX_XLS_AREA} cells (each worksheet from its first to its last cell), too large for a form; not read"),
        ));
    }
    std::panic::catch_unwind(|| read_xls_inner(bytes, limits))
        .unwrap_or_else(|_| Err(xls_damaged()))
}

/// The cells calamine would allocate for an .xls: per worksheet (a BOF record starts one), the
/// rectangle from its first to its last cell record, summed. Scanned on the BIFF records of
/// the Workbook stream before calamine opens the file, since calamine builds those dense ranges
/// when it opens.
pub const MAX_XLS_AREA: u64 = 4_000_000;

fn xls_area(bytes: &[u8]) -> Result<u64, Diagnostic> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| xls_damaged())?;
    let name = if cf.exists("/Workbook") {
        "/Workbook"
    } else if cf.exists("/Book") {
        "/Book"
    } else {
        return Err(ole_error());
    };
    let mut stream = Vec::new();
    cf.open_stream(name)
        .map_err(|_| xls_damaged())?
        .take(MAX_XLS_BYTES as u64 * 4)
        .read_to_end(&mut stream)
        .map_err(|_| xls_damaged())?;
    let (mut total, mut bounds) = (0u64, None::<(u16, u16, u16, u16)>);
    let area = |b: Option<(u16, u16, u16, u16)>| {
        b.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1)
        })
    };
    let mut i = 0usize;
    while i + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[i], stream[i + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[i + 2], stream[i + 3]]));
        let data = &stream[i + 4..(i + 4 + len).min(stream.len())];
        i += 4 + len;
        let u16_at = |o: usize| data.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let cells: Option<(u16, u16, u16)> = match typ {
            // BOF: a new substream (a worksheet).
            0x0809 => {
                total = total.saturating_add(area(bounds.take()));
                None
            }
            // Number, RK, LabelSst, Label, Blank, BoolErr, Formula, RString.
            0x0203 | 0x027E | 0x00FD | 0x0204 | 0x0201 | 0x0205 | 0x0006 | 0x00D6 => {
                match (u16_at(0), u16_at(2)) {
                    (Some(r), Some(c)) => Some((r, c, c)),
                    _ => None,
                }
            }
            // MulRk, MulBlank: row, first column, …, last column.
            0x00BD | 0x00BE if data.len() >= 6 => {
                match (u16_at(0), u16_at(2), u16_at(data.len() - 2)) {
                    (Some(r), Some(c0), Some(c1)) => Some((r, c0.min(c1), c0.max(c1))),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((r, c0, c1)) = cells {
            bounds = Some(match bounds {
                None => (r, r, c0, c1),
                Some((r0, r1, a, b)) => (r0.min(r), r1.max(r), a.min(c0), b.max(c1)),
            });
        }
    }
    Ok(total.saturating_add(area(bounds)))
}

fn read_xls_inner(bytes: &[u8], limits: &crate::Limits) -> Result<Sheet, Diagnostic> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|_| xls_damaged())?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut fallback: Option<(String, Sparse)> = None;
    for name in &names {
        let range = wb.worksheet_range(name).map_err(|_| xls_damaged())?;
        let mut cells: Sparse = Vec::new();
        for (r, c, v) in range.used_cells() {
            let (row, col) = (
                range.start().map_or(0, |s| s.0).saturating_add(r as u32),
                range.start().map_or(0, |s| s.1).saturating_add(c as u32),
            );
            let text = match v {
                Data::Empty => continue,
                Data::String(s) => s.clone(),
                Data::Int(i) => i.to_string(),
                Data::Float(f) => number_text(*f),
                Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
                Data::DateTime(dt) => date_text(dt),
                Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
                Data::DurationIso(s) => s.clone(),
                Data::Error(e) => {
                    let at = cell_name(row, col);
                    return Err(Diagnostic::error(
                        row.saturating_add(1),
                        col.saturating_add(1),
                        format!("工作表「{name}」单元格 {at} 的值是 Excel 错误 {e}；请在 Excel 中修正公式或填入数值后重新保存"),
                        format!("cell {at} of worksheet {name:?} holds the Excel error {e}; fix the formula or enter the value in Excel and save again"),
                    ));
                }
            };
            if text.is_empty() {
                continue;
            }
            if cells.len() >= limits.cells.min(MAX_FILLED) {
                return Err(too_large(name, limits));
            }
            cells.push((row, col, text));
        }
        if cells.is_empty() {
            continue;
        }
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        if holds_form_label(&cells) {
            return to_sheet(name.clone(), names.len(), cells, limits);
        }
        if fallback.is_none() {
            fallback = Some((name.clone(), cells));
        }
    }
    match fallback {
        Some((name, cells)) => to_sheet(name, names.len(), cells, limits),
        None => Err(Diagnostic::error(
            1,
            1,
            "工作簿为空：没有可见且有内容的工作表",
            "the workbook is empty: no visible worksheet holds any value",
        )),
    }
}

/// Whether a file that did not open as a workbook was meant to be one: named `.xlsx`/`.xlsm`,
/// or starting with the ZIP signature `PK` (a local header overwritten or an archive that is
/// not a local file header).
pub fn looks_like_workbook(path: &str, bytes: &[u8]) -> bool {
    let name = path.to_ascii_lowercase();
    name.ends_with(".xlsx") || name.ends_with(".xlsm") || bytes.starts_with(b"PK")
}

/// A file meant as a workbook (see [`looks_like_workbook`]) that is not one: a damaged
/// XLSX/ZIP file, named.
pub fn damaged_workbook(path: &str) -> Diagnostic {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    Diagnostic::error(
        1,
        1,
        format!(
            "「{name}」是损坏的 XLSX/ZIP 文件（文件头或内容已损坏、不完整），无法作为 Excel 工作簿打开；\
             请在 Excel/WPS 中重新另存为 .xlsx 后再上传"
        ),
        format!(
            "{name:?} is a damaged XLSX/ZIP file (its header or content is corrupt or cut off) \
             and cannot be opened as an Excel workbook; save it again as .xlsx in Excel/WPS"
        ),
    )
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

/// A number's text shown as a percentage: the decimal point moved two places right, keeping
/// every digit (`0.975` → `97.5%`, `1` → `100%`, `-0.0001` → `-0.01%`). Texts that are not
/// plain decimals (never produced by [`number_text`] for finite values) are left as they are.
fn percent_text(number: &str) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return number.to_string();
    }
    let mut frac = frac.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(2);
    let whole = format!("{int}{moved}");
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let rest = rest.trim_end_matches('0');
    let sign = if whole == "0" && rest.is_empty() {
        ""
    } else {
        sign
    };
    if rest.is_empty() {
        format!("{sign}{whole}%")
    } else {
        format!("{sign}{whole}.{rest}%")
    }
}

/// Which cell styles (`cellXfs` indexes) of a workbook show numbers as percentages.
struct PercentStyles(HashSet<u32>);

fn xml_error(part: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        1,
        1,
        format!("XLSX 文件中的 {part} 无法读取，文件可能已损坏；请在 Excel/WPS 中打开后重新另存为 .xlsx"),
        format!(
            "cannot read {part} of the XLSX file (it may be damaged: {e}); open it in Excel/WPS              and save it again as .xlsx"
        ),
    )
}

/// A ZIP member as an XML reader; `None` when the member is absent.
fn zip_xml<'a, R: Read + Seek>(
    zip: &'a mut zip::ZipArchive<R>,
    path: &str,
) -> Result<Option<quick_xml::Reader<BufReader<zip::read::ZipFile<'a, R>>>>, Diagnostic> {
    match zip.by_name(path) {
        Ok(f) => Ok(Some(quick_xml::Reader::from_reader(BufReader::new(f)))),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(xml_error(path, e)),
    }
}

/// The unescaped value of the attribute with this local name (`r:id` → `id`).
fn attr(
    e: &quick_xml::events::BytesStart<'_>,
    local: &[u8],
    decoder: quick_xml::encoding::Decoder,
) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.decode_and_unescape_value(decoder)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Whether a number format code shows a percentage: a `%` in its first (positive) section
/// outside quoted text, escapes (`\%`) and brackets (`[Red]`).
fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut quoted = false;
    let mut bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

impl PercentStyles {
    fn read(bytes: &[u8]) -> Result<PercentStyles, Diagnostic> {
        use quick_xml::events::Event;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| xml_error("ZIP", e))?;
        let part = "xl/styles.xml";
        let Some(mut xml) = zip_xml(&mut zip, part)? else {
            return Ok(PercentStyles(HashSet::new()));
        };
        // Built-in formats 9 (`0%`) and 10 (`0.00%`); custom ones by their code.
        let mut percent_ids: HashSet<String> = ["9", "10"].iter().map(|s| s.to_string()).collect();
        let mut styles = HashSet::new();
        let mut in_xfs = false;
        let mut xf = 0u32;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(part, e))?
            {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"numFmt" => {
                        if let (Some(id), Some(code)) = (
                            attr(&e, b"numFmtId", xml.decoder()),
                            attr(&e, b"formatCode", xml.decoder()),
                        ) {
                            if is_percent_format(&code) {
                                percent_ids.insert(id);
                            } else {
                                percent_ids.remove(&id);
                            }
                        }
                    }
                    b"cellXfs" => in_xfs = true,
                    b"xf" if in_xfs => {
                        if attr(&e, b"numFmtId", xml.decoder())
                            .is_some_and(|id| percent_ids.contains(&id))
                        {
                            styles.insert(xf);
                        }
                        xf = xf.saturating_add(1);
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
                _ => {}
            }
        }
        Ok(PercentStyles(styles))
    }

    /// The 0-based (row, column) of the number cells of sheet `name` shown as percentages.
    fn cells(&self, bytes: &[u8], name: &str) -> Result<HashSet<(u32, u32)>, Diagnostic> {
        use quick_xml::events::Event;
        let mut out = HashSet::new();
        if self.0.is_empty() {
            return Ok(out);
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| xml_error("ZIP", e))?;
        let Some(path) = sheet_path(&mut zip, name)? else {
            return Ok(out);
        };
        let Some(mut xml) = zip_xml(&mut zip, &path)? else {
            return Ok(out);
        };
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(&path, e))?
            {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                    let numeric = attr(&e, b"t", xml.decoder()).is_none_or(|t| t == "n");
                    let percent = attr(&e, b"s", xml.decoder())
                        .and_then(|s| s.parse::<u32>().ok())
                        .is_some_and(|s| self.0.contains(&s));
                    if numeric && percent {
                        if let Some(pos) = attr(&e, b"r", xml.decoder())
                            .as_deref()
                            .and_then(cell_position)
                        {
                            if out.len() >= MAX_FILLED {
                                return Err(too_large(name, &crate::Limits::default()));
                            }
                            out.insert(pos);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The ZIP path of the worksheet named `name` (`xl/worksheets/sheet1.xml`), from
/// `xl/workbook.xml` and its relationships.
fn sheet_path<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, Diagnostic> {
    use quick_xml::events::Event;
    let mut buf = Vec::new();
    let mut rel_id = None;
    if let Some(mut xml) = zip_xml(zip, "xl/workbook.xml")? {
        loop {
            buf.clear();
            match xml
                .read_event_into(&mut buf)
                .map_err(|e| xml_error("xl/workbook.xml", e))?
            {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e)
                    if e.local_name().as_ref() == b"sheet"
                        && attr(&e, b"name", xml.decoder()).as_deref() == Some(name) =>
                {
                    rel_id = attr(&e, b"id", xml.decoder());
                    break;
                }
                _ => {}
            }
        }
    }
    let Some(rel_id) = rel_id else {
        return Ok(None);
    };
    let part = "xl/_rels/workbook.xml.rels";
    let Some(mut xml) = zip_xml(zip, part)? else {
        return Ok(None);
    };
    loop {
        buf.clear();
        match xml
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(part, e))?
        {
            Event::Eof => return Ok(None),
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"Relationship"
                    && attr(&e, b"Id", xml.decoder()).as_deref() == Some(rel_id.as_str()) =>
            {
                let Some(target) = attr(&e, b"Target", xml.decoder()) else {
                    return Ok(None);
                };
                return Ok(Some(match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                }));
            }
            _ => {}
        }
    }
}

/// `E19` → 0-based (18, 4).
fn cell_position(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
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
    fn percentage_cells_read_as_the_percentage_shown() {
        let pct0 = Format::new().set_num_format("0%"); // built-in 9
        let pct2 = Format::new().set_num_format("0.00%"); // built-in 10
        let custom = Format::new().set_num_format("[Red]0.0%;[Blue]-0.0%");
        let literal = Format::new().set_num_format("0\"%\""); // a literal %: 97 shows 97%
        let money = Format::new().set_num_format("#,##0.00");
        let bytes = book(|ws| {
            ws.write(0, 0, "value").unwrap();
            ws.write_number_with_format(1, 0, 0.97, &pct0).unwrap();
            // The format rounds to 98%; the value has more decimals, and they are kept.
            ws.write_number_with_format(2, 0, 0.975, &pct0).unwrap();
            ws.write_number_with_format(3, 0, 0.9612, &pct2).unwrap();
            ws.write_number_with_format(4, 0, 1.0, &custom).unwrap();
            ws.write_number_with_format(5, 0, -0.0001, &custom).unwrap();
            ws.write_number_with_format(6, 0, 97.0, &literal).unwrap();
            ws.write_number_with_format(7, 0, 0.97, &money).unwrap();
            ws.write(8, 0, 0.97).unwrap();
            // Text in a percent-formatted cell stays text.
            ws.write_string_with_format(9, 0, "96%", &pct0).unwrap();
            ws.write_number_with_format(10, 0, 0.0, &pct0).unwrap();
        });
        let g = grid_from_xlsx(&bytes).unwrap();
        let col: Vec<&str> = g.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
        assert_eq!(
            col,
            [
                "value", "97%", "97.5%", "96.12%", "100%", "-0.01%", "97", "0.97", "0.97", "96%",
                "0%"
            ]
        );
    }

    #[test]
    fn the_actuals_fixture_reads_its_percent_cells_like_the_csv() {
        // `make_xlsx_fixtures` writes 97% and 96% as 0.97 and 0.96 formatted `0%`.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/actuals");
        let g = grid_from_xlsx(&std::fs::read(dir.join("transport_2024.xlsx")).unwrap()).unwrap();
        let csv = Grid::from_csv(&std::fs::read_to_string(dir.join("transport_2024.csv")).unwrap())
            .unwrap();
        let values = |g: &Grid| -> Vec<String> {
            g.rows
                .iter()
                .skip(1)
                .map(|r| r.cells[3].text.clone())
                .collect()
        };
        let (x, c) = (values(&g), values(&csv));
        assert!(
            x.iter().any(|v| v == "97%") && x.iter().any(|v| v == "96%"),
            "{x:?}"
        );
        assert_eq!(x, c);
    }

    #[test]
    fn percent_texts_and_format_codes() {
        for (n, p) in [
            ("0.97", "97%"),
            ("0.975", "97.5%"),
            ("1", "100%"),
            ("12.5", "1250%"),
            ("-0.05", "-5%"),
            ("0.0001", "0.01%"),
            ("0", "0%"),
            ("0.123456789012345", "12.3456789012345%"),
            ("inf", "inf"),
        ] {
            assert_eq!(percent_text(n), p, "{n}");
        }
        for (code, yes) in [
            ("0%", true),
            ("0.00%", true),
            ("[Red]0.0%", true),
            ("0\"%\"", false),
            ("0\\%", false),
            ("#,##0.00;-0.00%", false),
            ("#,##0.00", false),
            ("[$%-409]0", false),
        ] {
            assert_eq!(is_percent_format(code), yes, "{code}");
        }
        assert_eq!(cell_position("E19"), Some((18, 4)));
        assert_eq!(cell_position("AA1"), Some((0, 26)));
        assert_eq!(cell_position("A0"), None);
        assert_eq!(cell_position("19"), None);
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
