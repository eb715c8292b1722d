//! 项目支出绩效运行监控表 — progress as of a date in the official layout (columns A–K): header
//! (项目名称, 截至日期, 实施单位, 序时进度), budget execution and pace (全年预算数, 截至目前执行数,
//! 执行率, 执行进度, its light, 预计全年执行数), and per indicator 年度指标值, 截至目前完成值,
//! 序时进度值, 完成进度, the light (红/黄/绿/蓝/灰 as text on its colour), 全年预计完成值,
//! 完成目标可能性 and the indicator's flags (说明); flags about no one indicator are notes (提示)
//! below. `docs/report-layouts.md` shows it cell by cell.

use jixiao_evaluate::{initial_cell, IndicatorMonitor, Light, Monitoring};
use jixiao_model::{present, Decimal};

use crate::sheet::{Cell, Sheet, Style, Value};
use crate::{indicator_value, merge_blocks};

/// Column bounds: 一级, 二级, 三级, 年度指标值, 截至目前完成值, 序时进度值, 完成进度, 预警,
/// 全年预计完成值, 完成目标可能性, 说明.
const BOUNDS: [(f64, f64); 11] = [
    (10.0, 14.0),
    (10.0, 16.0),
    (16.0, 36.0),
    (12.0, 24.0),
    (12.0, 24.0),
    (10.0, 16.0),
    (10.0, 16.0),
    (8.0, 10.0),
    (12.0, 24.0),
    (10.0, 14.0),
    (16.0, 40.0),
];

fn light(s: &mut Sheet, row: u32, col: u16, last_col: u16, l: Light) {
    s.put(
        row,
        col,
        last_col,
        Some(Value::Text(l.zh().to_string())),
        Style::Light(l),
    );
}

/// One decimal per clause: a number for one clause, `a；b` for several, blank for none.
fn per_clause(values: &[Decimal], percent: bool) -> Cell {
    match values {
        [] => Cell::Blank,
        [one] if percent => Cell::Percent(*one),
        [one] => Cell::Number(*one),
        many => Cell::Text(
            many.iter()
                .map(|d| {
                    if percent {
                        present::percent(*d)
                    } else {
                        present::decimal(*d)
                    }
                })
                .collect::<Vec<_>>()
                .join("；"),
        ),
    }
}

/// One indicator row; `d` is the 年初 column (0 or 1), `core` whether the table has the
/// 是否核心指标 column (department-wide).
fn row(s: &mut Sheet, r: u32, i: &IndicatorMonitor, notes: &[&str], d: u16, core: bool) {
    s.text(r, 2, 2, &i.name, Style::Text);
    if d > 0 {
        s.text(r, 3, 3, initial_cell(&i.initial, &i.target), Style::Text);
    }
    s.text(r, 3 + d, 3 + d, &i.target, Style::Text);
    if core {
        let t = jixiao_evaluate::core_text(i.core, jixiao_model::Lang::Zh);
        s.text(r, 4 + d, 4 + d, t, Style::Category);
    }
    let o = d + u16::from(core);
    let value = match &i.value {
        Some(v) => indicator_value(v),
        None => Cell::Text("未填报".into()),
    };
    s.cell(r, 4 + o, 4 + o, value);
    s.cell(r, 5 + o, 5 + o, per_clause(&i.expected, false));
    s.cell(r, 6 + o, 6 + o, per_clause(&i.ratio, true));
    light(s, r, 7 + o, 7 + o, i.light);
    let forecast = i.forecast.as_ref().map_or(Cell::Blank, indicator_value);
    s.cell(r, 8 + o, 8 + o, forecast);
    let likely = i.likelihood.map(|l| l.zh().to_string()).unwrap_or_default();
    s.cell(r, 9 + o, 9 + o, Cell::Text(likely));
    s.cell(r, 10 + o, 10 + o, Cell::Text(notes.join("\n")));
}

/// The sheet of one 监控表. An adjusted declaration ([`Monitoring::adjustment`]) gets a
/// 年初预算数 column before the 全年（调整）预算数 and a 年初指标值 column before the
/// 调整后指标值 (columns A–L); any other keeps columns A–K. A department-wide one
/// ([`Monitoring::department_wide`]) is the 部门整体支出绩效运行监控表: 部门（单位）名称 in the
/// header, the 年度主要任务 block after the budget execution, and a 是否核心指标 column after
/// the 指标值 (one column more).
pub(crate) fn sheet(m: &Monitoring, name: String) -> Sheet {
    let dept = m.department_wide.as_ref();
    let d = u16::from(m.adjustment.is_some());
    let last = 10 + d + u16::from(dept.is_some());
    let mut bounds = BOUNDS.to_vec();
    if d > 0 {
        bounds.insert(3, BOUNDS[3]);
    }
    if dept.is_some() {
        bounds.insert(4 + d as usize, crate::self_eval::CORE_BOUNDS);
    }
    let mut s = Sheet::new(name, bounds);
    s.landscape = true;
    let title = match dept {
        Some(_) => "部门整体支出绩效运行监控表",
        None => "项目支出绩效运行监控表",
    };
    s.title(0, title, Style::Title);
    s.title(1, &format!("（{}年度）", m.year), Style::Subtitle);
    if dept.is_some() {
        // 部门（单位）名称 over both header rows, beside 截至日期 and 序时进度.
        let unit = Some(Value::Text(m.unit.clone()));
        s.span(
            2,
            0,
            3,
            0,
            Some(Value::Text("部门（单位）名称".into())),
            Style::Label,
        );
        s.span(2, 1, 3, 5, unit, Style::Text);
        s.label(2, 6, 6, "截至日期");
        s.cell(2, 7, last, Cell::Date(m.as_of));
    } else {
        s.label(2, 0, 0, "项目名称");
        s.text(2, 1, 5, &m.project, Style::Text);
        s.label(2, 6, 6, "截至日期");
        s.cell(2, 7, last, Cell::Date(m.as_of));
        s.label(3, 0, 0, "实施单位");
        s.text(3, 1, 5, &m.unit, Style::Text);
    }
    s.label(3, 6, 6, "序时进度");
    s.cell(3, 7, last, Cell::Percent(m.elapsed));

    // Budget execution.
    let b = &m.budget;
    s.span(
        4,
        0,
        5,
        0,
        Some(Value::Text("预算执行（元）".into())),
        Style::Label,
    );
    if let Some(a) = &m.adjustment {
        s.label(4, 1, 1, "年初预算数");
        s.cell(5, 1, 1, Cell::Amount(a.initial_budget));
        s.label(4, 1 + d, 1 + d, "全年（调整）预算数");
    } else {
        s.label(4, 1, 1, "全年预算数");
    }
    s.label(4, 2 + d, 2 + d, "截至目前执行数");
    s.label(4, 3 + d, 3 + d, "执行率");
    s.label(4, 4 + d, 4 + d, "执行进度");
    s.label(4, 5 + d, 5 + d, "预警");
    s.label(4, 6 + d, 7 + d, "预计全年执行数");
    s.label(4, 8 + d, last, "说明");
    s.cell(5, 1 + d, 1 + d, Cell::Amount(b.budget));
    s.cell(5, 2 + d, 2 + d, Cell::Amount(b.spent));
    s.cell(5, 3 + d, 3 + d, Cell::Percent(b.execution_rate));
    s.cell(5, 4 + d, 4 + d, b.pace.map_or(Cell::Blank, Cell::Percent));
    light(&mut s, 5, 5 + d, 5 + d, b.light);
    s.cell(
        5,
        6 + d,
        7 + d,
        b.forecast.map_or(Cell::Blank, Cell::Amount),
    );
    s.cell(
        5,
        8 + d,
        last,
        Cell::Text("执行进度 = 执行率 ÷ 序时进度".into()),
    );

    // 年度主要任务 (department-wide).
    let head = match dept {
        Some(part) => crate::main_tasks(&mut s, 6, part, b.spent, "截至目前执行数", d, last),
        None => 6,
    };

    // Indicators.
    let labels = crate::monitoring_headers(d > 0, dept.is_some());
    for (c, l) in labels.iter().enumerate() {
        s.label(head, c as u16, c as u16, l);
    }
    s.repeat_rows = Some((head, head));
    let first = head + 1;
    let keys: Vec<_> = m.indicators.iter().map(|i| (i.level1, &i.level2)).collect();
    merge_blocks(&mut s, first, &keys);
    for (k, i) in m.indicators.iter().enumerate() {
        let notes: Vec<&str> = m
            .flags
            .iter()
            .filter(|f| f.code.as_deref() == Some(i.code.as_str()))
            .map(|f| f.message_zh.as_str())
            .collect();
        row(&mut s, first + k as u32, i, &notes, d, dept.is_some());
    }
    // Flags about no indicator on the table (spending, orphaned values …), and the
    // indicators an adjustment removed.
    let mut general: Vec<String> = m
        .flags
        .iter()
        .filter(|f| {
            f.code
                .as_deref()
                .is_none_or(|c| !m.indicators.iter().any(|i| i.code == c))
        })
        .map(|f| format!("· {}", f.message_zh))
        .collect();
    if let Some(a) = &m.adjustment {
        general.extend(crate::self_eval::removed_notes(a));
    }
    if !general.is_empty() {
        let r = first + m.indicators.len() as u32;
        s.label(r, 0, 0, "提示");
        s.text(r, 1, last, &general.join("\n"), Style::Body);
    }
    s
}
