//! 项目支出绩效自评表 — the year-end self-evaluation in the official layout (columns A–H):
//! header (项目名称, 主管部门, 实施单位), the funds block (年初预算数, 全年预算数, 全年执行数, 分值,
//! 执行率, 得分), 年度总体目标 (预期目标 | 实际完成情况), the indicator table with 一级 and 二级
//! as merged cells, 总分 and 评价等级, and the scorer's notes (提示) below.
//! `docs/report-layouts.md` shows it cell by cell.

use jixiao_evaluate::{initial_cell, OutcomeCounts, SelfEvaluation};
use jixiao_model::{present, Decimal};

use crate::sheet::{Cell, Sheet, Style};
use crate::{indicator_value, merge_blocks};

/// Column bounds: 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因.
const BOUNDS: [(f64, f64); 8] = [
    (10.0, 14.0),
    (10.0, 16.0),
    (16.0, 40.0),
    (12.0, 24.0),
    (12.0, 24.0),
    (8.0, 12.0),
    (8.0, 12.0),
    (16.0, 40.0),
];

/// The bounds of the 是否核心指标 column of a department-wide table (it also holds the
/// 年度主要任务's 财政拨款 amounts).
pub(crate) const CORE_BOUNDS: (f64, f64) = (12.0, 16.0);

/// 实际完成情况 written when the scorer gave none: the outcome counts and the execution rate.
pub fn achieved_summary(c: &OutcomeCounts, rate: Decimal) -> String {
    let mut s = format!(
        "共 {} 项三级指标：达成 {} 项，部分达成或逾期 {} 项，未达成 {} 项，未填报 {} 项；预算执行率 {}。",
        c.indicators,
        c.met,
        c.partly,
        c.not_met,
        c.missing,
        present::percent(rate)
    );
    if c.unconfirmed > 0 {
        s.push_str(&format!("另有 {} 项实际完成值待确认。", c.unconfirmed));
    }
    s
}

/// The notes under the table: the scorer's flags, and the indicators an adjustment removed.
pub fn notes(e: &SelfEvaluation) -> Vec<String> {
    let mut notes: Vec<String> = e
        .flags
        .iter()
        .map(|f| format!("· {}", f.message_zh))
        .collect();
    if let Some(a) = &e.adjustment {
        notes.extend(removed_notes(a));
    }
    notes
}

/// `· 调整时删除的指标：…` for each indicator an adjustment removed.
pub fn removed_notes(a: &jixiao_evaluate::Adjustment) -> Vec<String> {
    a.removed
        .iter()
        .map(|r| format!("· 调整时删除的指标：{}（年初指标值 {}）", r.name, r.target))
        .collect()
}

/// The sheet of one 自评表. An adjusted declaration ([`SelfEvaluation::adjustment`]) gets a
/// 年初指标值 column before the 调整后指标值 (columns A–I) and its budget label reads
/// 全年（调整）预算数; any other keeps columns A–H. A department-wide one
/// ([`SelfEvaluation::department_wide`]) is the 部门整体支出绩效自评表: 部门（单位）名称 and
/// 主管部门 in the header, the 年度主要任务 block after the funds, 年度绩效目标, and a
/// 是否核心指标 column after the 指标值 (one column more).
pub(crate) fn sheet(e: &SelfEvaluation, name: String) -> Sheet {
    let dept = e.department_wide.as_ref();
    let adjusted = e.adjustment.is_some();
    let d = u16::from(adjusted);
    // Columns after the 指标值 move by `o`: the 年初 column and the 是否核心指标 column.
    let o = d + u16::from(dept.is_some());
    let last = 7 + o;
    let mut bounds = BOUNDS.to_vec();
    if adjusted {
        bounds.insert(3, BOUNDS[3]);
    }
    if dept.is_some() {
        bounds.insert(4 + d as usize, CORE_BOUNDS);
    }
    let mut s = Sheet::new(name, bounds);
    s.landscape = true;
    let title = match dept {
        Some(_) => "部门整体支出绩效自评表",
        None => "项目支出绩效自评表",
    };
    s.title(0, title, Style::Title);
    s.title(1, &format!("（{}年度）", e.year), Style::Subtitle);

    let department = Cell::Text(e.department.clone().unwrap_or_default());
    if dept.is_some() {
        s.label(2, 0, 0, "部门（单位）名称");
        s.text(2, 1, last, &e.unit, Style::Text);
        s.label(3, 0, 0, "主管部门");
        s.cell(3, 1, last, department);
    } else {
        s.label(2, 0, 0, "项目名称");
        s.text(2, 1, last, &e.project, Style::Text);
        s.label(3, 0, 0, "主管部门");
        s.cell(3, 1, 3, department);
        s.label(3, 4, 4, "实施单位");
        s.text(3, 5, last, &e.unit, Style::Text);
    }

    // Funds.
    let b = &e.budget;
    let funds = match dept {
        Some(_) => "部门资金（元）",
        None => "项目资金（元）",
    };
    s.span(4, 0, 5, 0, Some(text(funds)), Style::Label);
    s.cell(4, 1, 1, Cell::Blank);
    let annual = if adjusted {
        "全年（调整）预算数"
    } else {
        "全年预算数"
    };
    for (c, l) in ["年初预算数", annual, "全年执行数", "分值", "执行率", "得分"]
        .iter()
        .enumerate()
    {
        let c = 2 + c as u16;
        s.label(4, c, if c == 7 { last } else { c }, l);
    }
    s.label(5, 1, 1, "年度资金总额");
    s.cell(5, 2, 2, Cell::Amount(b.initial));
    s.cell(5, 3, 3, Cell::Amount(b.annual));
    s.cell(5, 4, 4, Cell::Amount(b.spent));
    s.cell(5, 5, 5, Cell::Number(b.weight));
    s.cell(5, 6, 6, Cell::Percent(b.execution_rate));
    s.cell(5, 7, last, Cell::Number(b.score));

    // 年度主要任务 (department-wide).
    let g = match dept {
        Some(part) => crate::main_tasks(&mut s, 6, part, b.spent, "全年执行数", d, last),
        None => 6,
    };

    // Goals.
    let goal = match dept {
        Some(_) => "年度绩效目标",
        None => "年度总体目标",
    };
    s.span(g, 0, g + 1, 0, Some(text(goal)), Style::Label);
    s.label(g, 1, 3, "预期目标");
    s.label(g, 4, last, "实际完成情况");
    s.text(g + 1, 1, 3, &e.goals.expected, Style::Body);
    let achieved = e
        .goals
        .achieved
        .clone()
        .unwrap_or_else(|| achieved_summary(&e.goals.summary, b.execution_rate));
    s.text(g + 1, 4, last, &achieved, Style::Body);

    // Indicators.
    let head = g + 2;
    let labels = crate::self_evaluation_headers(adjusted, dept.is_some());
    for (c, l) in labels.iter().enumerate() {
        s.label(head, c as u16, c as u16, l);
    }
    s.repeat_rows = Some((head, head));
    let first = head + 1;
    let keys: Vec<_> = e.indicators.iter().map(|i| (i.level1, &i.level2)).collect();
    merge_blocks(&mut s, first, &keys);
    let mut weights = b.weight;
    for (k, i) in e.indicators.iter().enumerate() {
        let r = first + k as u32;
        weights += i.weight;
        s.text(r, 2, 2, &i.name, Style::Text);
        if adjusted {
            s.text(r, 3, 3, initial_cell(&i.initial, &i.target), Style::Text);
        }
        s.text(r, 3 + d, 3 + d, &i.target, Style::Text);
        if dept.is_some() {
            let core = jixiao_evaluate::core_text(i.core, jixiao_model::Lang::Zh);
            s.text(r, 4 + d, 4 + d, core, Style::Category);
        }
        let actual = match &i.actual {
            Some(v) => indicator_value(v),
            None => Cell::Text("未填报".into()),
        };
        s.cell(r, 4 + o, 4 + o, actual);
        s.cell(r, 5 + o, 5 + o, Cell::Number(i.weight));
        s.cell(r, 6 + o, 6 + o, Cell::Number(i.score));
        let reason = match (&i.deviation_reason, i.deviation_required) {
            (Some(r), _) => r.clone(),
            (None, true) => "（缺）".into(),
            (None, false) => String::new(),
        };
        s.cell(r, 7 + o, 7 + o, Cell::Text(reason));
    }
    let r = first + e.indicators.len() as u32;
    s.label(r, 0, 4 + o, "总分");
    s.cell(r, 5 + o, 5 + o, Cell::Number(weights));
    s.cell(r, 6 + o, 6 + o, Cell::Number(e.total));
    s.cell(r, 7 + o, 7 + o, Cell::Blank);
    s.label(r + 1, 0, 4 + o, "评价等级");
    s.text(r + 1, 5 + o, last, e.grade.zh(), Style::Category);

    let notes = notes(e);
    if !notes.is_empty() {
        s.label(r + 2, 0, 0, "提示");
        s.text(r + 2, 1, last, &notes.join("\n"), Style::Body);
    }
    s
}

fn text(t: &str) -> crate::sheet::Value {
    crate::sheet::Value::Text(t.to_string())
}
