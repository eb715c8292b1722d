//! Writes the XLSX test fixtures:
//!
//! - `tests/data/forms/ok/0004_official_form.xlsx`: the seed's first project (交通工具购置及更新)
//!   laid out like the official 申报表 sheet — merged label cells for 项目资金 / 项目绩效目标 /
//!   绩效指标 and 一级指标, amounts as numbers formatted `#,##0.00`, dates as real date cells,
//!   wrapped goal text — behind a 填报说明 cover sheet;
//! - `tests/data/actuals/transport_2024.xlsx` and `transport_2024_spending.xlsx`: the rows of
//!   the CSV files of the same name, dates as date cells, amounts as numbers, percentages
//!   (`97%`) as number cells formatted `0%` (0.97 shown as 97%, as people key them in Excel),
//!   other values with units as text.
//!
//! Run from anywhere: `cargo run -p jixiao-form --example make_xlsx_fixtures`. The output is
//! byte-for-byte reproducible (fixed document dates), so a rerun shows no diff.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

fn new_workbook() -> Workbook {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 1, 1).expect("a valid date");
    wb.set_properties(
        &DocProperties::new()
            .set_author("jixiao")
            .set_creation_datetime(&created),
    );
    wb
}

fn date(iso: &str) -> ExcelDateTime {
    let d = jixiao_model::parse_date(iso).unwrap_or_else(|e| panic!("{iso}: {e}"));
    use jixiao_model::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).expect("a valid date")
}

/// The official form, one project, on a sheet named 申报表.
fn official_form(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let label = cell.clone().set_bold().set_align(FormatAlign::Center);
    let money = cell.clone().set_num_format("#,##0.00");
    let day = cell.clone().set_num_format("yyyy-mm-dd");
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);

    ws.set_name("申报表")?;
    for (col, width) in [
        (0, 12.0),
        (1, 18.0),
        (2, 18.0),
        (3, 24.0),
        (4, 18.0),
        (5, 14.0),
    ] {
        ws.set_column_width(col, width)?;
    }
    // Rows and columns are 0-based here; Excel's row 1 is row 0.
    ws.merge_range(0, 0, 0, 5, "财政项目支出绩效目标申报表", &title)?;
    ws.merge_range(
        1,
        0,
        1,
        5,
        "(2024年度)",
        &Format::new().set_align(FormatAlign::Center),
    )?;

    for (col, text, fmt) in [
        (0, "项目名称", &label),
        (1, "交通工具购置及更新", &cell),
        (2, "项目性质", &label),
        (3, "其他一次性项目", &cell),
        (4, "项目类别", &label),
        (5, "特定目标类", &cell),
    ] {
        ws.write_with_format(2, col, text, fmt)?;
    }
    ws.write_with_format(3, 0, "主管部门", &label)?;
    ws.write_with_format(3, 1, "上海市生态环境局", &cell)?;
    ws.write_with_format(3, 2, "实施单位", &label)?;
    ws.merge_range(3, 3, 3, 5, "上海市减污降碳管理运行技术中心", &cell)?;
    ws.write_with_format(4, 0, "计划开始日期", &label)?;
    ws.write_datetime_with_format(4, 1, date("2024-01-01"), &day)?;
    ws.write_with_format(4, 2, "计划完成日期", &label)?;
    ws.merge_range(4, 3, 4, 5, "", &day)?;
    ws.write_datetime_with_format(4, 3, date("2024-12-31"), &day)?;

    // 项目资金: a merged label over four rows; amounts as numbers shown with two decimals.
    ws.merge_range(5, 0, 8, 0, "项目资金\n(元)", &label)?;
    let funds: [(u32, &str, &str, f64); 4] = [
        (5, "项目资金总额", "年度资金申请总额", 360_000.0),
        (6, "其中：财政资金", "其中：当年财政拨款", 360_000.0),
        (7, "", "上年结转资金", 0.0),
        (8, "其他资金", "其他资金", 0.0),
    ];
    for (row, project_label, annual_label, amount) in funds {
        ws.write_with_format(row, 1, project_label, &cell)?;
        ws.write_blank(row, 2, &money)?; // 项目资金 of a multi-year project: not given
        ws.write_with_format(row, 3, annual_label, &cell)?;
        ws.merge_range(row, 4, row, 5, "", &money)?;
        ws.write_number_with_format(row, 4, amount, &money)?;
    }

    // 项目绩效目标: goal text wrapped inside the cell, as typed with Alt+Enter.
    ws.merge_range(9, 0, 10, 0, "项目\n绩效\n目标", &label)?;
    ws.merge_range(9, 1, 9, 2, "项目总目标", &label)?;
    ws.merge_range(9, 3, 9, 5, "年度总体目标", &label)?;
    ws.merge_range(
        10,
        1,
        10,
        2,
        "根据公务用车采购实施方案，购置1辆业务用车及1辆特种专业\n技术用车。做好移动源、固定源污染防治等相关业务工作外出，以及紧要工作任务用车保障，降低行政成本，进一步提高工作效率和质量。",
        &cell,
    )?;
    ws.merge_range(
        10,
        3,
        10,
        5,
        "经费主要用于新增公务车辆购置。合理配置公务用车资源，做好移动源、固定源污染防治等相关业务工作外出，\n以及紧要工作任务用车保障，降低行政成本，进一步提高工作效率和质量。",
        &cell,
    )?;
    ws.set_row_height(10, 90)?;

    // 绩效指标: the label merged over the table, 一级指标 merged over its rows.
    ws.merge_range(11, 0, 17, 0, "绩效\n指标", &label)?;
    for (col, text) in [(1, "一级指标"), (2, "二级指标"), (3, "三级指标")] {
        ws.write_with_format(11, col, text, &label)?;
    }
    ws.merge_range(11, 4, 11, 5, "年度(/项目)指标值", &label)?;
    ws.merge_range(12, 1, 14, 1, "产出指标", &cell)?;
    ws.merge_range(15, 1, 16, 1, "效益指标", &cell)?;
    ws.write_with_format(17, 1, "满意度指标", &cell)?;
    let indicators = [
        (12, "数量指标", "行驶公里数", "≥15000.00(公里)"),
        (13, "质量指标", "行驶安全性", "无违章无事故"),
        (14, "时效指标", "接送准点率", "≥95.00(%)"),
        (15, "生态效益指标", "节能减排", "低油耗"),
        (16, "可持续影响指标", "车辆使用管理办法", "完善"),
        (17, "服务对象满意度指标", "乘用人员满意度", "满意"),
    ];
    for (row, level2, name, target) in indicators {
        ws.write_with_format(row, 2, level2, &cell)?;
        ws.write_with_format(row, 3, name, &cell)?;
        ws.merge_range(row, 4, row, 5, target, &cell)?;
    }
    Ok(())
}

fn write_form(path: &Path) -> Result<(), XlsxError> {
    let mut wb = new_workbook();
    let cover = wb.add_worksheet().set_name("填报说明")?;
    cover.write(0, 0, "填报说明：金额单位为元，日期按 年-月-日 填写。")?;
    official_form(wb.add_worksheet())?;
    wb.save(path)
}

/// A CSV of the actuals directory as a sheet: `date` as date cells, `amount` as numbers with
/// two decimals, `value`s like `97%` as percent-formatted numbers, everything else as text.
fn write_rows(csv: &Path, out: &Path) -> Result<(), XlsxError> {
    let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let grid = jixiao_form::grid::Grid::from_csv(&text).expect("a valid CSV");
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0%");
    let header: Vec<String> = grid.rows[0].cells.iter().map(|c| c.text.clone()).collect();
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let column = header.get(c as usize).map(String::as_str);
            match column {
                _ if r == 0 => ws.write(r, c, &cell.text)?,
                Some("date") => ws.write_datetime_with_format(r, c, date(&cell.text), &day)?,
                Some("amount") => {
                    let v: f64 = cell.text.parse().expect("an amount");
                    ws.write_number_with_format(r, c, v, &money)?
                }
                Some("value") if percent_value(&cell.text).is_some() => {
                    let v = percent_value(&cell.text).expect("checked");
                    ws.write_number_with_format(r, c, v, &percent)?
                }
                _ if cell.text.is_empty() => ws,
                _ => ws.write(r, c, &cell.text)?,
            };
        }
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 12)?;
    wb.save(out)
}

/// `97%` → 0.97 (whole percentages only, so the f64 is the one Excel stores for 97%).
fn percent_value(text: &str) -> Option<f64> {
    let n: u32 = text.strip_suffix('%')?.parse().ok()?;
    Some(f64::from(n) / 100.0)
}

fn main() -> Result<(), XlsxError> {
    let dir = data_dir();
    let targets = [
        dir.join("forms/ok/0004_official_form.xlsx"),
        dir.join("actuals/transport_2024.xlsx"),
        dir.join("actuals/transport_2024_spending.xlsx"),
    ];
    write_form(&targets[0])?;
    write_rows(&dir.join("actuals/transport_2024.csv"), &targets[1])?;
    write_rows(
        &dir.join("actuals/transport_2024_spending.csv"),
        &targets[2],
    )?;
    for t in &targets {
        println!("wrote {}", t.display());
    }
    Ok(())
}
