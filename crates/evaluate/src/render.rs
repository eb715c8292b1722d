//! Renderers: the 自评表 and the 监控表 as readable text tables (Chinese or English) and as JSON.
//!
//! This module owns the text layout of the two tables; how amounts, dates and percentages are
//! written comes from [`jixiao_model::present`] (`2024年7月31日`, `360,000.00`, `98.61%`).
//! Text tables align columns by display width (a CJK character counts two). Amount columns are
//! headed `（元）` / `(yuan)` and hold bare amounts; scores and weights have two decimals.

use rust_decimal::Decimal;

use crate::department::{core_text, DepartmentPart, NOT_SPLIT_EN, NOT_SPLIT_ZH};
use crate::error::Error;
use crate::monitor::Monitoring;
use crate::num::fixed2;
use crate::score::{OutcomeCounts, SelfEvaluation};
use crate::value::IndicatorValue;
use jixiao_model::present::{self, Lang};
use jixiao_model::Grade;

/// The evaluation as pretty JSON (see `docs/evaluation-json.md`).
pub fn evaluation_json(e: &SelfEvaluation) -> Result<String, Error> {
    serde_json::to_string_pretty(e).map_err(|err| Error::Json(err.to_string()))
}

/// The monitoring record as pretty JSON.
pub fn monitoring_json(m: &Monitoring) -> Result<String, Error> {
    serde_json::to_string_pretty(m).map_err(|err| Error::Json(err.to_string()))
}

/// Display width: East Asian wide and full-width characters count two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
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
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Lays out rows in columns two spaces apart; `right[i]` right-aligns column `i`. The last
/// column is not padded, and trailing spaces are trimmed.
fn table(rows: &[Vec<String>], right: &[bool]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; n];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[i].saturating_sub(width(c)));
            let last = i + 1 == r.len();
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(c);
            } else {
                line.push_str(c);
                if !last {
                    line.push_str(&pad);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// An indicator's value as text: `13500公里`, `130项；300家` (`—` for a clause without a value),
/// `2024年11月20日` / `2024-11-20`, `达成` / `met`, `10/12 期按时` / `10/12 on time`; a value
/// to be confirmed ([`IndicatorValue::Recorded`]) as it was recorded (`达成`, `15500公里`).
pub fn value_text(v: &IndicatorValue, lang: Lang) -> String {
    match v {
        IndicatorValue::Numbers { parts } => parts
            .iter()
            .map(|p| {
                p.as_ref().map_or_else(
                    || "—".to_string(),
                    |m| present::quantity(m.value, m.unit.as_deref()),
                )
            })
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; ")),
        IndicatorValue::Date { date } => present::date(*date, lang),
        IndicatorValue::Level { level } => present::achievement(*level, lang).to_string(),
        IndicatorValue::Periods { on_time, of } => match lang {
            Lang::Zh => format!("{on_time}/{of} 期按时"),
            Lang::En => format!("{on_time}/{of} on time"),
        },
        IndicatorValue::Recorded { value } => present::observed(value, lang),
    }
}

fn grade_label(g: Grade, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => g.zh(),
        Lang::En => match g {
            Grade::Excellent => "Excellent",
            Grade::Good => "Good",
            Grade::Fair => "Fair",
            Grade::Poor => "Poor",
        },
    }
}

/// The 年度主要任务 block of a department-wide table: each task's 预算数, its 执行数 (not split
/// by task: [`NOT_SPLIT_ZH`]), and the 合计 row with the year's 执行数 `spent`.
fn main_tasks(part: &DepartmentPart, spent: Decimal, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let mut out = format!(
        "\n{}\n",
        t("年度主要任务（元）", "Main tasks of the year (yuan)")
    );
    let amounts = |f: Option<jixiao_model::TaskFunds>| match f {
        Some(f) => [
            present::amount(f.total),
            present::amount(f.fiscal),
            present::amount(f.other),
        ],
        None => [String::new(), String::new(), String::new()],
    };
    let mut rows = vec![vec![
        t("任务名称", "Task").to_string(),
        t("主要内容", "Content").into(),
        t("预算数", "Budget").into(),
        t("财政拨款", "Fiscal").into(),
        t("其他资金", "Other").into(),
        t("执行数", "Spent").into(),
    ]];
    for k in &part.tasks {
        let mut row = vec![k.title.clone(), k.description.clone()];
        row.extend(amounts(k.budget));
        row.push(t(NOT_SPLIT_ZH, NOT_SPLIT_EN).into());
        rows.push(row);
    }
    let mut row = vec![t("金额合计", "Total").to_string(), String::new()];
    row.extend(amounts(part.budget_total()));
    row.push(present::amount(spent));
    rows.push(row);
    out.push_str(&table(&rows, &[false, false, true, true, true, true]));
    out
}

fn summary(c: &OutcomeCounts, rate: Decimal, lang: Lang) -> String {
    if c.unconfirmed > 0 {
        let (zh, en) = (
            format!("另有 {} 项实际完成值待确认。", c.unconfirmed),
            format!(" {} actual value(s) to be confirmed.", c.unconfirmed),
        );
        let base = summary(
            &OutcomeCounts {
                unconfirmed: 0,
                ..*c
            },
            rate,
            lang,
        );
        return base + if lang == Lang::Zh { &zh } else { &en };
    }
    match lang {
        Lang::Zh => format!(
            "共 {} 项三级指标：达成 {} 项，部分达成或逾期 {} 项，未达成 {} 项，未填报 {} 项；预算执行率 {}。",
            c.indicators,
            c.met,
            c.partly,
            c.not_met,
            c.missing,
            present::percent(rate)
        ),
        Lang::En => format!(
            "{} indicators: {} met, {} partly met or late, {} not met, {} not reported; budget execution {}.",
            c.indicators,
            c.met,
            c.partly,
            c.not_met,
            c.missing,
            present::percent(rate)
        ),
    }
}

/// The 自评表 as a text table.
pub fn render_evaluation(e: &SelfEvaluation, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let dept = e.department_wide.as_ref();
    let mut out = String::new();
    let title = match dept {
        Some(_) => t(
            "部门整体支出绩效自评表",
            "Department-wide expenditure performance self-evaluation",
        ),
        None => t(
            "项目支出绩效自评表",
            "Project expenditure performance self-evaluation",
        ),
    };
    if zh {
        out.push_str(&format!("{title}\n（{}年度）\n\n", e.year));
    } else {
        out.push_str(&format!("{title}\n({})\n\n", e.year));
    }
    let department = vec![
        t("主管部门", "Department").into(),
        e.department.clone().unwrap_or_default(),
    ];
    let year = vec![t("年度", "Year").into(), e.year.to_string()];
    let head = match dept {
        Some(_) => vec![
            vec![
                t("部门（单位）名称", "Department (unit)").into(),
                e.unit.clone(),
            ],
            department,
            year,
        ],
        None => vec![
            vec![t("项目名称", "Project").into(), e.project.clone()],
            department,
            vec![t("实施单位", "Unit").into(), e.unit.clone()],
            year,
        ],
    };
    out.push_str(&table(&head, &[]));

    let funds = match dept {
        Some(_) => t("部门资金（元）", "Department funds (yuan)"),
        None => t("项目资金（元）", "Funds (yuan)"),
    };
    out.push_str(&format!("\n{funds}\n"));
    let b = &e.budget;
    out.push_str(&table(
        &[
            vec![
                String::new(),
                t("年初预算数", "Initial budget").into(),
                t("全年预算数", "Annual budget (A)").into(),
                t("全年执行数", "Spent (B)").into(),
                t("分值", "Weight").into(),
                t("执行率", "Rate (B/A)").into(),
                t("得分", "Score").into(),
            ],
            vec![
                t("年度资金总额", "Total").into(),
                present::amount(b.initial),
                present::amount(b.annual),
                present::amount(b.spent),
                fixed2(b.weight),
                present::percent(b.execution_rate),
                fixed2(b.score),
            ],
        ],
        &[false, true, true, true, true, true, true],
    ));

    if let Some(part) = dept {
        out.push_str(&main_tasks(part, b.spent, lang));
    }
    let goal = match dept {
        Some(_) => t("年度绩效目标", "Annual performance goal"),
        None => t("年度总体目标", "Annual goal"),
    };
    out.push_str(&format!("\n{goal}\n"));
    let achieved = e
        .goals
        .achieved
        .clone()
        .unwrap_or_else(|| summary(&e.goals.summary, b.execution_rate, lang));
    out.push_str(&format!(
        "{}{}\n{}{}\n",
        t("年初预期目标：", "Expected: "),
        e.goals.expected,
        t("实际完成情况：", "Achieved: "),
        achieved
    ));

    out.push_str(&format!("\n{}\n", t("绩效指标", "Indicators")));
    let mut rows = vec![vec![
        t("一级指标", "Level 1").to_string(),
        t("二级指标", "Level 2").into(),
        t("三级指标", "Indicator").into(),
        t("年度指标值", "Target").into(),
        t("实际完成值", "Actual").into(),
        t("分值", "Weight").into(),
        t("得分", "Score").into(),
        t("偏差原因分析及改进措施", "Deviation reason and remedy").into(),
    ]];
    // 是否核心指标 after 年度指标值, on a department-wide table only.
    let core_at = 4;
    if dept.is_some() {
        rows[0].insert(core_at, t("是否核心指标", "Core").into());
    }
    let mut weight_sum = b.weight;
    for i in &e.indicators {
        weight_sum += i.weight;
        let reason = match (&i.deviation_reason, i.deviation_required) {
            (Some(r), _) => r.clone(),
            (None, true) => t("（缺）", "(missing)").into(),
            (None, false) => String::new(),
        };
        rows.push(vec![
            if zh { i.level1.zh() } else { i.level1.en() }.to_string(),
            if zh { i.level2.zh() } else { i.level2.en() }.to_string(),
            i.name.clone(),
            i.target.clone(),
            i.actual.as_ref().map_or_else(
                || t("未填报", "not reported").into(),
                |v| value_text(v, lang),
            ),
            fixed2(i.weight),
            fixed2(i.score),
            reason,
        ]);
        if dept.is_some() {
            if let Some(row) = rows.last_mut() {
                row.insert(core_at, core_text(i.core, lang).into());
            }
        }
    }
    let mut total = vec![
        t("总分", "Total").into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        fixed2(weight_sum),
        fixed2(e.total),
        String::new(),
    ];
    let mut right = vec![false, false, false, false, false, true, true, false];
    if dept.is_some() {
        total.insert(core_at, String::new());
        right.insert(core_at, false);
    }
    rows.push(total);
    out.push_str(&table(&rows, &right));
    out.push_str(&format!(
        "\n{}{}\n",
        t("评价等级：", "Grade: "),
        grade_label(e.grade, lang)
    ));
    if !e.flags.is_empty() {
        out.push_str(&format!("\n{}\n", t("提示", "Notes")));
        for f in &e.flags {
            out.push_str(&format!(
                "- {}\n",
                if zh { &f.message_zh } else { &f.message_en }
            ));
        }
    }
    out
}

/// The 绩效运行监控表 as a text table.
pub fn render_monitoring(m: &Monitoring, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let dept = m.department_wide.as_ref();
    let mut out = String::new();
    if dept.is_some() {
        out.push_str(t("部门整体支出", "Department-wide expenditure: "));
    }
    if zh {
        out.push_str(&format!(
            "绩效运行监控表\n（{}年度，截至 {}，序时进度 {}）\n\n",
            m.year,
            present::date(m.as_of, lang),
            present::percent(m.elapsed)
        ));
    } else {
        out.push_str(&format!(
            "Performance monitoring\n({}, as of {}, {} of the period elapsed)\n\n",
            m.year,
            present::date(m.as_of, lang),
            present::percent(m.elapsed)
        ));
    }
    let head = match dept {
        Some(_) => vec![vec![
            t("部门（单位）名称", "Department (unit)").into(),
            m.unit.clone(),
        ]],
        None => vec![
            vec![t("项目名称", "Project").into(), m.project.clone()],
            vec![t("实施单位", "Unit").into(), m.unit.clone()],
        ],
    };
    out.push_str(&table(&head, &[]));
    let b = &m.budget;
    let light = |l: crate::Light| if zh { l.zh() } else { l.en() }.to_string();
    out.push_str(&format!("\n{}\n", t("预算执行（元）", "Budget (yuan)")));
    out.push_str(&table(
        &[
            vec![
                t("全年预算数", "Budget").into(),
                t("执行数", "Spent").into(),
                t("执行率", "Rate").into(),
                t("执行进度", "Pace").into(),
                t("信号", "Light").into(),
                t("预计全年执行数", "Forecast").into(),
            ],
            vec![
                present::amount(b.budget),
                present::amount(b.spent),
                present::percent(b.execution_rate),
                b.pace.map_or("—".into(), present::percent),
                light(b.light),
                b.forecast.map_or("—".into(), present::amount),
            ],
        ],
        &[true, true, true, true, false, true],
    ));
    if let Some(part) = dept {
        out.push_str(&main_tasks(part, b.spent, lang));
    }
    out.push_str(&format!("\n{}\n", t("绩效目标完成情况", "Targets")));
    let mut rows = vec![vec![
        t("三级指标", "Indicator").to_string(),
        t("年度指标值", "Target").into(),
        t("截至目前完成值", "To date").into(),
        t("序时进度值", "Expected").into(),
        t("完成比", "Ratio").into(),
        t("信号", "Light").into(),
        t("全年预计完成值", "Forecast").into(),
        t("完成目标可能性", "Likelihood").into(),
    ]];
    let list = |v: &[Decimal], show: fn(Decimal) -> String| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter()
                .map(|x| show(*x))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; "))
        }
    };
    let value = |v: &Option<IndicatorValue>, none: &'static str| {
        v.as_ref()
            .map_or_else(|| none.into(), |v| value_text(v, lang))
    };
    for i in &m.indicators {
        rows.push(vec![
            i.name.clone(),
            i.target.clone(),
            value(&i.value, t("未填报", "not reported")),
            list(&i.expected, fixed2),
            list(&i.ratio, present::percent),
            light(i.light),
            value(&i.forecast, "—"),
            i.likelihood
                .map_or("—", |k| if zh { k.zh() } else { k.en() })
                .to_string(),
        ]);
        if dept.is_some() {
            if let Some(row) = rows.last_mut() {
                row.insert(2, core_text(i.core, lang).into());
            }
        }
    }
    let mut right = vec![false, false, false, true, true];
    if dept.is_some() {
        rows[0].insert(2, t("是否核心指标", "Core").into());
        right.insert(2, false);
    }
    out.push_str(&table(&rows, &right));
    if !m.flags.is_empty() {
        out.push_str(&format!("\n{}\n", t("提示", "Notes")));
        for f in &m.flags {
            let msg = if zh { &f.message_zh } else { &f.message_en };
            out.push_str(&format!("- {msg}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_width() {
        use crate::value::Measured;
        use jixiao_model::{Achievement, NaiveDate, ObservedValue};
        let n = |v: &str, u: Option<&str>| Some(Measured::new(v.parse().unwrap(), u));
        let parts = IndicatorValue::Numbers {
            parts: vec![n("130", Some("项")), None, n("80.50", Some("次"))],
        };
        assert_eq!(value_text(&parts, Lang::Zh), "130项；—；80.5次");
        assert_eq!(value_text(&parts, Lang::En), "130项; —; 80.5次");
        let date = IndicatorValue::Date {
            date: NaiveDate::from_ymd_opt(2024, 11, 20).unwrap(),
        };
        assert_eq!(value_text(&date, Lang::Zh), "2024年11月20日");
        assert_eq!(value_text(&date, Lang::En), "2024-11-20");
        let level = IndicatorValue::Level {
            level: Achievement::NotMet,
        };
        assert_eq!(value_text(&level, Lang::Zh), "未达成");
        assert_eq!(value_text(&level, Lang::En), "not met");
        let periods = IndicatorValue::Periods {
            on_time: 10,
            of: 12,
        };
        assert_eq!(value_text(&periods, Lang::Zh), "10/12 期按时");
        assert_eq!(value_text(&periods, Lang::En), "10/12 on time");
        let recorded = |value| IndicatorValue::Recorded { value };
        let km = recorded(ObservedValue::Number {
            value: "15500.00".parse().unwrap(),
            unit: Some("公里".into()),
        });
        assert_eq!(value_text(&km, Lang::Zh), "15500公里");
        assert_eq!(value_text(&km, Lang::En), "15500公里");
        let met = recorded(ObservedValue::Level {
            level: Achievement::Met,
        });
        assert_eq!(value_text(&met, Lang::Zh), "达成");
        assert_eq!(value_text(&met, Lang::En), "met");
        let day = recorded(ObservedValue::Date {
            date: NaiveDate::from_ymd_opt(2024, 4, 20).unwrap(),
        });
        assert_eq!(value_text(&day, Lang::Zh), "2024年4月20日");
        assert_eq!(value_text(&day, Lang::En), "2024-04-20");
        assert_eq!(width("行驶a"), 5);
        assert_eq!(
            table(
                &[
                    vec!["名".into(), "1".into()],
                    vec!["ab".into(), "22".into()]
                ],
                &[false, true]
            ),
            "名   1\nab  22\n"
        );
    }
}
