//! What `jixiao import` says it did: the declarations added, replaced or unchanged with what
//! changed, and for a 自评表 or a 监控表 what was recorded and how its scores and amounts
//! compare with jixiao's.

use std::fmt::Write;

use jixiao_app::views::change;
use jixiao_app::{ImportSummary, MonitoringImport, ScoreLine, SelfEvalImport};
use jixiao_model::present::{self, amount};
use jixiao_model::{Decimal, Lang};

use super::date;
use super::records::recorded;

/// What `jixiao import` says it did.
pub fn import_summary(s: &ImportSummary, lang: Lang) -> String {
    let mut out = String::new();
    for (keys, zh, en) in [
        (&s.added, "新增", "added"),
        (
            &s.replaced,
            "更新（保留旧版本）",
            "replaced (previous version kept)",
        ),
        (&s.unchanged, "未变化", "unchanged"),
    ] {
        for k in keys {
            let _ = match lang {
                Lang::Zh => writeln!(out, "{zh}：{}年度 {}（{}）", k.year, k.name, k.unit),
                Lang::En => writeln!(out, "{en}: {} {} ({})", k.year, k.name, k.unit),
            };
            if let Some(c) = s.changes.iter().find(|c| &c.key == k) {
                out.push_str(&change(c, lang));
            }
        }
    }
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "导入完成：新增 {} 个，更新 {} 个，未变化 {} 个",
            s.added.len(),
            s.replaced.len(),
            s.unchanged.len()
        ),
        Lang::En => writeln!(
            out,
            "import done: {} added, {} replaced, {} unchanged",
            s.added.len(),
            s.replaced.len(),
            s.unchanged.len()
        ),
    };
    out
}

/// What importing a 项目支出绩效自评表 did, and its score comparison: one line per indicator
/// (stated 分值/得分 beside jixiao's, `≠` where they differ), the budget row, 总分 and grade.
pub fn self_eval_import(r: &SelfEvalImport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let p = &r.project;
    let _ = if zh {
        writeln!(
            out,
            "自评表 {}：{}年度 {}（{}）",
            r.source, p.year, p.name, p.unit
        )
    } else {
        writeln!(
            out,
            "self-evaluation {}: {} {} ({})",
            r.source, p.year, p.name, p.unit
        )
    };
    if r.existing {
        out.push_str(if zh {
            "申报表已在库中，保持不变；自评表的指标已按二级指标与名称对应\n"
        } else {
            "the declaration was in the database and is kept as it is; the table's indicators were matched by 二级 and name\n"
        });
    } else {
        out.push_str(&import_summary(&r.declaration, lang));
    }
    let _ = writeln!(
        out,
        "{}",
        recorded(
            "实际完成值",
            "actual values",
            "录入",
            "recorded",
            &r.actuals,
            lang
        )
    );
    let _ = writeln!(
        out,
        "{}",
        recorded(
            "执行数",
            "spending records",
            "录入",
            "recorded",
            &r.spending,
            lang
        )
    );
    let c = &r.comparison;
    if !c.stated_weights_used {
        out.push_str(if zh {
            "自评表的分值与评价规则的类别权重不符：jixiao 按规则的权重计分\n"
        } else {
            "the table's 分值 do not fit the policy's category weights: jixiao scored with the policy's\n"
        });
    }
    let num = |d: Option<Decimal>| d.map_or("—".to_string(), present::decimal);
    let _ = writeln!(
        out,
        "{}",
        if zh {
            "评分对照（自评表 | jixiao）："
        } else {
            "scores (stated | jixiao):"
        }
    );
    let line = |out: &mut String, l: &ScoreLine, label: String| {
        let mark = if l.differs() { "≠" } else { "=" };
        let colon = if zh { "：" } else { ": " };
        let _ = writeln!(
            out,
            "  {mark} {label}  {}{colon}{} | {}  {}{colon}{} | {}",
            if zh { "分值" } else { "weight" },
            num(l.stated_weight),
            present::decimal(l.weight),
            if zh { "得分" } else { "score" },
            num(l.stated_score),
            present::decimal(l.score),
        );
    };
    let (rate_stated, rate) = c.execution_rate;
    line(
        &mut out,
        &c.budget,
        format!(
            "{} {}",
            if zh {
                "预算执行率"
            } else {
                "budget execution"
            },
            format_args!(
                "{} | {}",
                rate_stated.map_or("—".to_string(), present::percent),
                present::percent(rate)
            )
        ),
    );
    for l in &c.indicators {
        let at = if zh {
            format!("（第 {} 行）", l.line)
        } else {
            format!(" (line {})", l.line)
        };
        line(&mut out, l, format!("{} {}{at}", l.code, l.name));
    }
    let (total_stated, total) = c.total;
    let colon = if zh { "：" } else { ": " };
    let mark = if total_stated == Some(total) {
        "="
    } else {
        "≠"
    };
    let _ = writeln!(
        out,
        "  {mark} {}{colon}{} | {}  {}{colon}{}",
        if zh { "总分" } else { "total" },
        num(total_stated),
        present::decimal(total),
        if zh { "等级" } else { "grade" },
        if zh { c.grade.zh() } else { c.grade.en() },
    );
    if let (Some(sum), Some(t)) = (c.stated_sum, total_stated) {
        if sum != t {
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    format!(
                        "  自评表的总分 {} 不等于其各项得分之和 {}",
                        present::decimal(t),
                        present::decimal(sum)
                    )
                } else {
                    format!(
                        "  the table's total {} is not the sum of its scores, {}",
                        present::decimal(t),
                        present::decimal(sum)
                    )
                }
            );
        }
    }
    let n = c.indicators.iter().filter(|l| l.differs()).count() + usize::from(c.budget.differs());
    let _ = if zh {
        writeln!(
            out,
            "{}",
            if c.differs() {
                format!("共 {n} 项得分与 jixiao 的计算不同；自评表所填得分未被采用，也未被改写")
            } else {
                "自评表所填得分与 jixiao 的计算一致".to_string()
            }
        )
    } else {
        writeln!(
            out,
            "{}",
            if c.differs() {
                format!("{n} score(s) differ from jixiao's; the stated scores were neither taken over nor rewritten")
            } else {
                "the stated scores agree with jixiao's".to_string()
            }
        )
    };
    for f in &c.flags {
        let _ = writeln!(out, "  {}", if zh { &f.message_zh } else { &f.message_en });
    }
    out
}

/// What importing a 监控表 did: the values to date recorded, and the 截至目前执行数 it states
/// beside the spending recorded to that date.
pub fn monitoring_import(r: &MonitoringImport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let p = &r.project;
    let mut out = String::new();
    let _ = if zh {
        writeln!(
            out,
            "监控表 {}：{}年度 {}（{}），截至{}",
            r.source,
            p.year,
            p.name,
            p.unit,
            date(r.as_of, lang)
        )
    } else {
        writeln!(
            out,
            "monitoring table {}: {} {} ({}), as of {}",
            r.source,
            p.year,
            p.name,
            p.unit,
            date(r.as_of, lang)
        )
    };
    let _ = writeln!(
        out,
        "{}",
        recorded(
            "实际完成值",
            "actual values",
            "录入",
            "recorded",
            &r.actuals,
            lang
        )
    );
    let (stated, held) = r.spent;
    match stated {
        Some(s) if s != held => {
            let _ = if zh {
                writeln!(
                    out,
                    "监控表所填截至目前执行数 {} 元，库中截至该日的执行数 {} 元，相差 {} 元：执行数不从监控表录入，请用 jixiao spending import 录入支付记录",
                    amount(s),
                    amount(held),
                    amount(s - held)
                )
            } else {
                writeln!(
                    out,
                    "the table states {} 元 spent to date, the database holds {} 元 to that date, a difference of {} 元: spending is not taken from a monitoring table; record the payments with jixiao spending import",
                    amount(s),
                    amount(held),
                    amount(s - held)
                )
            };
        }
        _ => {}
    }
    out
}
