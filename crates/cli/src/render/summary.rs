//! `jixiao report summary --format text`: the 汇总表 as lines, then 成本预算绩效 (cost per
//! output and the comparisons across units).

use std::fmt::Write as _;

use jixiao_app::{CostReport, FundsBasis, UnitSummary};
use jixiao_model::present::{self, Lang};

/// The summary and the cost per output as text.
pub fn summary(s: &UnitSummary, c: &CostReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}（{}）",
        if zh {
            "项目绩效目标汇总表"
        } else {
            "Summary of performance targets"
        },
        s.subtitle(lang)
    );
    for r in &s.rows {
        let _ = writeln!(
            out,
            "  {}  {}  {} {}  {}",
            r.name,
            r.unit,
            present::amount(r.funds),
            if zh { "元" } else { "yuan" },
            if zh { r.status.zh() } else { r.status.id() },
        );
    }
    if let Some(note) = s.department_note(lang) {
        let _ = writeln!(out, "  {note}");
    }
    out.push('\n');
    out.push_str(&cost(c, lang));
    out
}

/// 成本预算绩效 as text.
pub fn cost(c: &CostReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        if zh {
            "成本预算绩效：单位产出成本"
        } else {
            "Cost per output"
        }
    );
    if c.items.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            if zh {
                "没有带数值和计量单位的数量指标，无法计算。"
            } else {
                "no quantity indicator with a number and a unit: no figure."
            }
        );
    }
    for i in &c.items {
        let tasks = if i.tasks.is_empty() {
            String::new()
        } else {
            let t: Vec<String> = i.tasks.iter().map(u32::to_string).collect();
            if zh {
                format!("（子任务 {}）", t.join("、"))
            } else {
                format!(" (sub-task {})", t.join(", "))
            }
        };
        let star = if i.basis == FundsBasis::Allocated {
            ""
        } else {
            " *"
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}{tasks}：{} 元 ÷ {} {} = {} {}{star}",
            i.project,
            i.unit,
            i.indicator,
            present::amount(i.funds),
            present::decimal(i.quantity),
            i.measure,
            present::amount(i.cost),
            i.per(),
        );
    }
    let mut notes: Vec<String> = c
        .items
        .iter()
        .filter(|i| i.basis != FundsBasis::Allocated)
        .map(|i| i.basis.note(lang))
        .collect();
    notes.dedup();
    for n in notes {
        let _ = writeln!(out, "  * {n}");
    }
    for g in &c.comparisons {
        let _ = writeln!(
            out,
            "{}：{}（{}）",
            if zh {
                "跨单位比较"
            } else {
                "Compared across units"
            },
            g.key,
            g.per()
        );
        for e in &g.entries {
            let of = e
                .of_lowest
                .map(|p| format!("（{}）", present::percent(p)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}  {}  {} {}{of}",
                e.unit,
                e.project,
                present::amount(e.cost),
                g.per()
            );
        }
    }
    for m in &c.mismatches {
        let _ = writeln!(
            out,
            "{}{}（{}）",
            if zh {
                "计量单位不同，未比较："
            } else {
                "different units, not compared: "
            },
            m.key,
            m.measures.join("、")
        );
    }
    if !c.without_output.is_empty() {
        let _ = writeln!(
            out,
            "{}{}",
            if zh {
                "无可计算的数量指标："
            } else {
                "no quantity indicator to divide by: "
            },
            c.without_output.join("、")
        );
    }
    let _ = writeln!(
        out,
        "{}",
        if zh {
            jixiao_app::COST_ROUNDING_ZH
        } else {
            jixiao_app::COST_ROUNDING_EN
        }
    );
    out
}
