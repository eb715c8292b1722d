//! `jixiao show` and `jixiao list`: a project with its indicator tree, the table of projects,
//! and the versions of a declaration with what each changed.

use std::fmt::Write;

use jixiao_app::views::change;
use jixiao_app::{ProjectChange, ProjectSummary, VersionInfo};
use jixiao_model::present::{self, amount, money};
use jixiao_model::{diff_indicators, match_indicators, Lang, Level1, Project};

use super::{date, stamp};

fn tasks_ref(tasks: &[u32], lang: Lang) -> String {
    if tasks.is_empty() {
        return String::new();
    }
    let list: Vec<String> = tasks.iter().map(u32::to_string).collect();
    match lang {
        Lang::Zh => format!("  〔子任务 {}〕", list.join("、")),
        Lang::En => format!("  [tasks {}]", list.join(", ")),
    }
}

/// The readable rendering of a project and its indicator tree (`jixiao show`).
pub fn project(p: &Project, lang: Lang) -> String {
    let mut s = String::new();
    let zh = lang == Lang::Zh;
    let or_dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    // One layout, two vocabularies.
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let f = &p.funds;
    let _ = match lang {
        Lang::Zh => writeln!(s, "{}（{}年度）", p.name, p.year),
        Lang::En => writeln!(s, "{} ({})", p.name, p.year),
    };
    let _ = writeln!(
        s,
        "  {}{}    {}{}",
        t("实施单位：", "unit: "),
        p.unit,
        t("主管部门：", "department: "),
        or_dash(&p.department)
    );
    let _ = writeln!(
        s,
        "  {}{}    {}{}",
        t("项目性质：", "nature: "),
        or_dash(&p.nature),
        t("项目类别：", "category: "),
        or_dash(&p.category)
    );
    let _ = writeln!(
        s,
        "  {}{}{}{}",
        t("计划期间：", "period: "),
        date(p.start, lang),
        t(" 至 ", " to "),
        date(p.end, lang)
    );
    let [a, b, c, d] = [f.total, f.fiscal, f.carryover, f.other].map(|x| money(x, lang));
    let _ = match lang {
        Lang::Zh => writeln!(
            s,
            "  年度资金申请总额：{a}（当年财政拨款 {b}，上年结转资金 {c}，其他资金 {d}）"
        ),
        Lang::En => writeln!(
            s,
            "  annual funds: {a} (fiscal {b}, carried over {c}, other {d})"
        ),
    };
    if let Some(pf) = &p.project_funds {
        let [a, b, c] = [pf.total, pf.fiscal, pf.other].map(|x| money(x, lang));
        let _ = match lang {
            Lang::Zh => writeln!(s, "  项目资金总额：{a}（财政资金 {b}，其他资金 {c}）"),
            Lang::En => writeln!(s, "  whole-period funds: {a} (fiscal {b}, other {c})"),
        };
    }
    let _ = writeln!(
        s,
        "\n{}\n{}",
        t("项目总目标：", "overall goal:"),
        indent(&p.overall_goal)
    );
    let annual = if p.annual_goal == p.overall_goal && !p.annual_goal.is_empty() {
        t("  （同项目总目标）", "  (same as the overall goal)").to_string()
    } else {
        indent(&p.annual_goal)
    };
    let _ = writeln!(s, "{}\n{annual}", t("年度总体目标：", "annual goal:"));
    if !p.tasks.is_empty() {
        let _ = writeln!(s, "{}", if zh { "子任务：" } else { "sub-tasks:" });
        for t in &p.tasks {
            let area = t
                .area
                .as_ref()
                .map_or(String::new(), |a| format!("【{a}】"));
            let _ = writeln!(s, "  {:>2}. {area}{}", t.no, t.title);
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{}",
        if zh {
            "绩效指标（编号 三级指标：年度指标值）："
        } else {
            "indicators (code name: target):"
        }
    );
    for l1 in Level1::ALL {
        let mut inds: Vec<_> = p.indicators.iter().filter(|i| i.level1 == l1).collect();
        if inds.is_empty() {
            continue;
        }
        inds.sort_by_key(|i| i.level2.ordinal());
        let _ = writeln!(s, "{}", if zh { l1.zh() } else { l1.en() });
        let mut last_l2 = None;
        for i in inds {
            if last_l2 != Some(&i.level2) {
                let _ = writeln!(s, "  {}", if zh { i.level2.zh() } else { i.level2.en() });
                last_l2 = Some(&i.level2);
            }
            let line = i.line.map_or(String::new(), |l| {
                if zh {
                    format!("  （第{l}行）")
                } else {
                    format!("  (line {l})")
                }
            });
            let _ = writeln!(
                s,
                "    {:<7} {}{}{}{}{}",
                i.code,
                i.name,
                if zh { "：" } else { ": " },
                i.raw,
                tasks_ref(&i.tasks, lang),
                line
            );
        }
    }
    s
}

fn indent(text: &str) -> String {
    if text.is_empty() {
        return "  —".into();
    }
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table of `jixiao list`.
pub fn list(projects: &[ProjectSummary], lang: Lang) -> String {
    let mut s = String::new();
    if projects.is_empty() {
        return match lang {
            Lang::Zh => "数据库中还没有项目；用 `jixiao import 文件` 导入申报表。\n".into(),
            Lang::En => "No projects yet; import a form with `jixiao import FILE`.\n".into(),
        };
    }
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::Zh => "年度  项目名称  实施单位  年度资金申请总额(元)  指标数  版本",
            Lang::En => "year  project  unit  annual funds (yuan)  indicators  version",
        }
    );
    for p in projects {
        let _ = writeln!(
            s,
            "{}  {}  {}  {}  {}  v{}",
            p.key.year,
            p.key.name,
            p.key.unit,
            amount(p.funds_total),
            p.indicators,
            p.version
        );
    }
    let _ = write!(
        s,
        "{}",
        match lang {
            Lang::Zh => format!("共 {} 个项目\n", projects.len()),
            Lang::En => format!("{} projects\n", projects.len()),
        }
    );
    s
}

/// `show --versions`: each version, when it came, who wrote it, from which file, and what it
/// changed against the one before.
pub fn versions(versions: &[VersionInfo], zone: present::Zone, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let mut prev: Option<&Project> = None;
    for v in versions {
        let p = &v.project;
        let mark = match (v.current, zh) {
            (true, true) => "（当前）",
            (true, false) => " (current)",
            _ => "",
        };
        let when = stamp(&v.created_at, zone, lang);
        let _ = if zh {
            writeln!(
                out,
                "v{}{mark}  {when}  {}  {}  {} 个指标，年度资金 {}",
                v.version,
                v.created_by,
                v.source.as_deref().unwrap_or("—"),
                p.indicators.len(),
                present::money(p.funds.total, lang)
            )
        } else {
            writeln!(
                out,
                "v{}{mark}  {when}  {}  {}  {} indicators, funds {}",
                v.version,
                v.created_by,
                v.source.as_deref().unwrap_or("—"),
                p.indicators.len(),
                present::money(p.funds.total, lang)
            )
        };
        if let Some(old) = prev {
            let pairs = match_indicators(&old.indicators, &p.indicators);
            let c = ProjectChange {
                id: p.id.unwrap_or_default(),
                key: p.key(),
                version: v.version,
                renamed_from: (old.name != p.name).then(|| old.name.clone()),
                indicators: diff_indicators(&old.indicators, &p.indicators, &pairs),
                funds: (old.funds.total != p.funds.total)
                    .then_some((old.funds.total, p.funds.total)),
                orphaned_actuals: 0,
                kind_changed_actuals: 0,
            };
            // The header line of `change` repeats the version; keep its details only.
            let text = change(&c, lang);
            for line in text.lines().skip(1) {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(
                out,
                "  {}",
                if zh {
                    format!(
                        "指标：未变 {}，编号变化 {}，修改 {}，新增 {}，删除 {}",
                        c.indicators.unchanged,
                        c.indicators.moved.len(),
                        c.indicators.changed.len(),
                        c.indicators.added.len(),
                        c.indicators.removed.len()
                    )
                } else {
                    format!(
                        "indicators: {} unchanged, {} renumbered, {} changed, {} added, {} removed",
                        c.indicators.unchanged,
                        c.indicators.moved.len(),
                        c.indicators.changed.len(),
                        c.indicators.added.len(),
                        c.indicators.removed.len()
                    )
                }
            );
        }
        prev = Some(p);
    }
    out
}
