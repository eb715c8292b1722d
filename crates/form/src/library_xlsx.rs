//! 指标库 XLSX — the indicator library as one sheet (`指标库`), written for finance to edit and
//! read back. One header row, one row per entry; the reader finds columns by their header text
//! (any order; unknown columns ignored) and refuses a row it cannot read with its cell
//! (`指标库!H5`), never guessing.
//!
//! Columns: 编号 (the store's id: blank for a new entry), 版本, 类别 (共性/个性), 一级指标, 二级指标,
//! 行业, 主管部门, 三级指标, 指标解释, 计量单位, 指标方向 (正向/反向/等于/定性), 计算公式, 数据来源,
//! 评分规则, 核心指标 (是/否), 典型指标值, 使用次数.

use std::collections::HashMap;

use jixiao_model::{Direction, Level1, Level2, LibraryEntry, LibraryScope};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::diag::Diagnostic;
use crate::xlsx_cells::{boxed_format, cell_name, display_width};

/// The sheet's name.
pub const LIBRARY_SHEET: &str = "指标库";

/// The header row, in the order written.
pub const LIBRARY_COLUMNS: [&str; 17] = [
    "编号",
    "版本",
    "类别",
    "一级指标",
    "二级指标",
    "行业",
    "主管部门",
    "三级指标",
    "指标解释",
    "计量单位",
    "指标方向",
    "计算公式",
    "数据来源",
    "评分规则",
    "核心指标",
    "典型指标值",
    "使用次数",
];

fn row_of(e: &LibraryEntry) -> [String; 17] {
    [
        e.id.map(|i| i.to_string()).unwrap_or_default(),
        e.version.to_string(),
        e.scope.zh().to_string(),
        e.level1.zh().to_string(),
        e.level2.zh().to_string(),
        e.sector.clone().unwrap_or_default(),
        e.department.clone().unwrap_or_default(),
        e.name.clone(),
        e.definition.clone(),
        e.unit.clone().unwrap_or_default(),
        e.direction.zh().to_string(),
        e.formula.clone(),
        e.data_source.clone(),
        e.scoring_rule.clone(),
        if e.core { "是" } else { "否" }.to_string(),
        e.typical_target.clone().unwrap_or_default(),
        e.uses.to_string(),
    ]
}

/// The library as an XLSX workbook: text cells only, so every value reads back as written.
pub fn library_to_xlsx(entries: &[LibraryEntry]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(LIBRARY_SHEET)?;
    let head = boxed_format().set_bold().set_align(FormatAlign::Center);
    let body: Format = boxed_format().set_text_wrap();
    let rows: Vec<[String; 17]> = entries.iter().map(row_of).collect();
    for (c, h) in LIBRARY_COLUMNS.iter().enumerate() {
        let widest = rows
            .iter()
            .map(|r| display_width(&r[c]))
            .chain([display_width(h)])
            .max()
            .unwrap_or(8);
        ws.set_column_width(c as u16, (widest.clamp(6, 40) + 2) as f64)?;
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, c as u16, v, &body)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// Reads a library workbook: the first sheet whose header row has 三级指标. Every row that
/// cannot be read is an error at its cell (line = Excel row, column = Excel column, the message
/// naming `指标库!H5`); nothing is returned unless every row reads.
pub fn library_from_xlsx(bytes: &[u8]) -> Result<Vec<LibraryEntry>, Vec<Diagnostic>> {
    let sheets = crate::xlsx::read_all_sheets(bytes).map_err(|d| vec![d])?;
    let found = sheets.iter().find_map(|s| {
        s.grid
            .rows
            .iter()
            .position(|r| r.cells.iter().any(|c| c.text.trim() == "三级指标"))
            .map(|h| (s, h))
    });
    let Some((sheet, h)) = found else {
        return Err(vec![Diagnostic::error(
            1,
            1,
            "工作簿中没有指标库表：找不到含「三级指标」的表头行",
            "no library sheet in the workbook: no header row with 三级指标",
        )]);
    };
    let header = &sheet.grid.rows[h];
    let mut cols: HashMap<&str, usize> = HashMap::new();
    for (k, c) in header.cells.iter().enumerate() {
        if let Some(name) = LIBRARY_COLUMNS.iter().find(|n| **n == c.text.trim()) {
            cols.entry(name).or_insert(k);
        }
    }
    let required = ["类别", "一级指标", "二级指标", "三级指标", "指标方向"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !cols.contains_key(r))
        .collect();
    if !missing.is_empty() {
        return Err(vec![Diagnostic::error(
            header.line,
            1,
            format!(
                "{}!{}：表头缺少列「{}」",
                sheet.name,
                cell_name(header.line.saturating_sub(1), 0),
                missing.join("」「")
            ),
            format!(
                "{}: the header row lacks the column(s) {}",
                sheet.name,
                missing.join(", ")
            ),
        )]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut keys: HashMap<String, u32> = HashMap::new();
    for row in sheet.grid.rows.iter().skip(h + 1) {
        if row.is_blank() {
            continue;
        }
        let cell = |name: &str| -> (String, u32) {
            match cols.get(name) {
                Some(&k) => (
                    row.cells
                        .get(k)
                        .map(|c| c.text.trim().to_string())
                        .unwrap_or_default(),
                    header.cells.get(k).map_or(1, |c| c.column),
                ),
                None => (String::new(), 1),
            }
        };
        let mut err = |name: &str, value: &str, zh: &str, en: &str| {
            let column = cell(name).1;
            let at = format!(
                "{}!{}",
                sheet.name,
                cell_name(row.line - 1, (column - 1) as u16)
            );
            errors.push(Diagnostic::error(
                row.line,
                column,
                format!("{at}：{name}「{value}」{zh}"),
                format!("{at}: {name} {value:?} {en}"),
            ));
        };
        let opt = |s: String| if s.is_empty() { None } else { Some(s) };
        let (scope_text, _) = cell("类别");
        let scope = LibraryScope::parse(&scope_text);
        if scope.is_none() {
            err(
                "类别",
                &scope_text,
                "应为「共性」或「个性」",
                "must be 共性 or 个性",
            );
        }
        let (l1_text, _) = cell("一级指标");
        let level1 = Level1::from_label(&l1_text);
        if level1.is_none() {
            err(
                "一级指标",
                &l1_text,
                "不是一级指标（产出、成本、效益、满意度）",
                "is not a first-level category (产出, 成本, 效益, 满意度)",
            );
        }
        let (l2_text, _) = cell("二级指标");
        let level2 = match Level2::from_label(&l2_text) {
            Some(l) => Some(l),
            None if jixiao_model::normalize_label(&l2_text).trim_end_matches("指标") == "成本" => {
                Some(Level2::OutputCost)
            }
            None if l2_text.is_empty() => {
                err("二级指标", &l2_text, "为空", "is empty");
                None
            }
            None => Some(Level2::Other(l2_text.clone())),
        };
        if let (Some(l1), Some(l2)) = (level1, &level2) {
            if l2.level1().is_some_and(|own| own != l1) {
                err(
                    "二级指标",
                    &l2_text,
                    &format!("不属于一级指标「{}」", l1.zh()),
                    &format!("does not belong under {}", l1.zh()),
                );
            }
        }
        let (name, _) = cell("三级指标");
        if name.is_empty() {
            err("三级指标", &name, "为空", "is empty");
        }
        let (dir_text, _) = cell("指标方向");
        let direction = Direction::parse(&dir_text);
        if direction.is_none() {
            err(
                "指标方向",
                &dir_text,
                "应为「正向」「反向」「等于」或「定性」",
                "must be 正向, 反向, 等于 or 定性",
            );
        }
        let (core_text, _) = cell("核心指标");
        let core = match core_text.as_str() {
            "是" | "Y" | "y" | "yes" | "true" => Some(true),
            "否" | "" | "N" | "n" | "no" | "false" => Some(false),
            _ => {
                err(
                    "核心指标",
                    &core_text,
                    "应为「是」或「否」",
                    "must be 是 or 否",
                );
                None
            }
        };
        let number = |name: &str, err: &mut dyn FnMut(&str, &str, &str, &str)| -> Option<i64> {
            let (t, _) = cell(name);
            if t.is_empty() {
                return Some(0);
            }
            match t.parse::<i64>() {
                Ok(v) if v >= 0 => Some(v),
                _ => {
                    err(
                        name,
                        &t,
                        "应为非负整数",
                        "must be a whole number, not negative",
                    );
                    None
                }
            }
        };
        let id = number("编号", &mut err);
        let version = number("版本", &mut err);
        let uses = number("使用次数", &mut err).and_then(|u| u32::try_from(u).ok());
        let (
            Some(scope),
            Some(level1),
            Some(level2),
            Some(direction),
            Some(core),
            Some(id),
            Some(version),
            Some(uses),
        ) = (scope, level1, level2, direction, core, id, version, uses)
        else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let entry = LibraryEntry {
            id: (id > 0).then_some(id),
            scope,
            level1,
            level2,
            sector: opt(cell("行业").0),
            department: opt(cell("主管部门").0),
            name,
            definition: cell("指标解释").0,
            unit: opt(cell("计量单位").0),
            direction,
            formula: cell("计算公式").0,
            data_source: cell("数据来源").0,
            scoring_rule: cell("评分规则").0,
            core,
            typical_target: opt(cell("典型指标值").0),
            uses,
            version,
        };
        if let Some(first) = keys.insert(entry.key(), row.line) {
            let column = cell("三级指标").1;
            errors.push(Diagnostic::error(
                row.line,
                column,
                format!(
                    "{}!{}：条目「{}」与第 {first} 行重复（类别、二级指标、行业/部门与名称均相同）",
                    sheet.name,
                    cell_name(row.line - 1, (column - 1) as u16),
                    entry.name
                ),
                format!(
                    "{}: entry {:?} repeats row {first} (same scope, 二级, owner and name)",
                    sheet.name, entry.name
                ),
            ));
            continue;
        }
        out.push(entry);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> LibraryEntry {
        LibraryEntry {
            id: Some(7),
            scope: LibraryScope::Specific,
            level1: Level1::Output,
            level2: Level2::Quantity,
            sector: Some("生态环境".into()),
            department: Some("上海市生态环境局".into()),
            name: name.into(),
            definition: "年度内车辆行驶的总里程".into(),
            unit: Some("公里".into()),
            direction: Direction::Up,
            formula: "Σ 各车辆行驶里程".into(),
            data_source: "车辆行驶记录".into(),
            scoring_rule: "实际值÷目标值×分值".into(),
            core: true,
            typical_target: Some("≥15000.00(公里)".into()),
            uses: 3,
            version: 2,
        }
    }

    #[test]
    fn round_trip() {
        let mut common = entry("服务对象满意度");
        common.id = None;
        common.scope = LibraryScope::Common;
        common.level1 = Level1::Satisfaction;
        common.level2 = Level2::ServiceSatisfaction;
        common.sector = None;
        common.department = None;
        common.core = false;
        common.version = 0;
        common.uses = 0;
        let all = vec![entry("行驶公里数"), common];
        let bytes = library_to_xlsx(&all).unwrap_or_default();
        assert_eq!(library_from_xlsx(&bytes), Ok(all));
    }

    #[test]
    fn errors_name_their_cells() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let _ = ws.set_name(LIBRARY_SHEET);
        for (c, h) in [
            "类别",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标方向",
            "核心指标",
        ]
        .iter()
        .enumerate()
        {
            let _ = ws.write_string(0, c as u16, *h);
        }
        let rows = [
            ["共性", "产出指标", "数量指标", "行驶公里数", "正向", "是"],
            ["通用", "产出指标", "数量指标", "接送准点率", "正向", "否"],
            ["共性", "效益指标", "数量指标", "节能减排", "向上", "也许"],
            ["共性", "产出指标", "数量指标", " 行驶公里数。", "正向", ""],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let _ = ws.write_string(r as u32 + 1, c as u16, *v);
            }
        }
        let bytes = wb.save_to_buffer().unwrap_or_default();
        let errs = library_from_xlsx(&bytes).unwrap_err();
        let at: Vec<(u32, u32, &str)> = errs
            .iter()
            .map(|d| (d.line, d.column, d.zh.split('：').next().unwrap_or("")))
            .collect();
        assert_eq!(
            at,
            vec![
                (3, 1, "指标库!A3"),
                (4, 3, "指标库!C4"),
                (4, 5, "指标库!E4"),
                (4, 6, "指标库!F4"),
                (5, 4, "指标库!D5"),
            ],
            "{errs:#?}"
        );
        assert!(
            errs[0].zh.contains("「通用」应为「共性」或「个性」"),
            "{}",
            errs[0].zh
        );
        assert!(errs[4].zh.contains("与第 2 行重复"), "{}", errs[4].zh);
    }

    #[test]
    fn a_workbook_without_the_header() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let _ = ws.write_string(0, 0, "项目名称");
        let bytes = wb.save_to_buffer().unwrap_or_default();
        let errs = library_from_xlsx(&bytes).unwrap_err();
        assert!(errs[0].zh.contains("三级指标"));
    }
}
