//! typst markup of each document, generated from the typed views.
//!
//! **Escaping.** Every text that comes from data (names, targets, goals, units, notes, the
//! SVG of a chart) is written as a typst string literal ([`lit`]) in code mode: inside a
//! string only `\` and `"` (and control characters) are special, and they are escaped, so
//! nothing in a name can become markup, math or code. Only this module's own constant text is
//! written as markup.

use std::fmt::Write as _;

use jixiao_evaluate::{IndicatorValue, Light, SelfEvaluation};
use jixiao_model::{present, Decimal, Form, Indicator, Lang, Level1, Level2, Project};
use jixiao_report::{charts, MonitoredProject, UnitSummary};

/// `s` as a typst string literal: `"…"` with `\`, `"` and control characters escaped.
pub(crate) fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The preamble every document shares: A4 (landscape when `flipped`), page numbers
/// `第 1 页 / 共 N 页`, fonts, table style and the cell helpers. No space is added between
/// Chinese and Latin letters or digits (`cjk-latin-spacing: none`): `完成2024年度` is printed
/// as written, so that a reader of the PDF finds no space that the text does not have.
fn preamble(title: &str, flipped: bool) -> String {
    format!(
        r##"#set document(title: {title})
#set page(paper: "a4", flipped: {flipped}, margin: (x: 1.5cm, top: 1.5cm, bottom: 1.8cm),
  footer: context align(center, text(size: 9pt, font: "Noto Sans CJK SC")[第 #counter(page).get().first() 页 / 共 #counter(page).final().first() 页]))
#set text(font: ("Noto Serif CJK SC", "Noto Sans CJK SC"), size: 9pt, lang: "zh", region: "cn", cjk-latin-spacing: none)
#set par(leading: 0.5em, spacing: 0.6em)
#set table(stroke: 0.5pt + black, inset: (x: 3pt, y: 3.5pt))
#let lab(body, ..a) = table.cell(..a, fill: luma(238), align: center + horizon, text(font: "Noto Sans CJK SC", weight: "bold", body))
#let cat(body, ..a) = table.cell(..a, align: center + horizon, body)
#let num(body, ..a) = table.cell(..a, align: right + horizon, body)
#let txt(body, ..a) = table.cell(..a, align: left + horizon, body)
#let para(body, ..a) = table.cell(..a, align: left + top, body)
#let heading1(t) = align(center, text(font: "Noto Sans CJK SC", weight: "bold", size: 16pt, t))
#let heading2(t) = align(center, text(size: 10.5pt, t))
#let chart(svg, width: 100%) = image(bytes(svg), format: "svg", width: width)
"##,
        title = lit(title),
    )
}

fn light_fill(l: Light) -> &'static str {
    match l {
        Light::Red => "rgb(\"#F46A6A\")",
        Light::Yellow => "rgb(\"#FFD966\")",
        Light::Green => "rgb(\"#8FD18F\")",
        Light::Blue => "rgb(\"#8EBEF5\")",
        Light::Grey => "rgb(\"#D0D0D0\")",
    }
}

/// A cell call: `kind(lit, extra…)`, extra being named arguments (`colspan: 2`).
fn c(kind: &str, text: &str, extra: &str) -> String {
    if extra.is_empty() {
        format!("{kind}({})", lit(text))
    } else {
        format!("{kind}({}, {extra})", lit(text))
    }
}

/// Runs of equal keys: `(first index, length)`.
fn runs<K: PartialEq>(keys: &[K]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < keys.len() {
        let mut e = k;
        while e + 1 < keys.len() && keys[e + 1] == keys[k] {
            e += 1;
        }
        out.push((k, e - k + 1));
        k = e + 1;
    }
    out
}

/// The 一级 and 二级 cells of indicator row `k` (only in the row that starts a block, with its
/// rowspan; typst places the following cells around the spans).
fn level_cells(keys: &[(Level1, &Level2)], k: usize) -> Vec<String> {
    let mut out = Vec::new();
    let l1: Vec<Level1> = keys.iter().map(|x| x.0).collect();
    if let Some((_, n)) = runs(&l1).into_iter().find(|(s, _)| *s == k) {
        out.push(c("cat", keys[k].0.zh(), &format!("rowspan: {n}")));
    }
    if let Some((_, n)) = runs(keys).into_iter().find(|(s, _)| *s == k) {
        out.push(c("cat", keys[k].1.zh(), &format!("rowspan: {n}")));
    }
    out
}

fn table(columns: &str, header: &[String], body: &[String]) -> String {
    let mut t = format!("#table(columns: {columns},\n");
    if !header.is_empty() {
        let _ = writeln!(t, "  table.header({}),", header.join(", "));
    }
    for b in body {
        let _ = writeln!(t, "  {b},");
    }
    t.push_str(")\n");
    t
}

// ---------------------------------------------------------------------------------------------
// 申报表

/// The sub-task references as the forms write them: runs of three or more as `3-7`, others
/// joined by `与` (`1与2`, `1与3-5`).
fn task_prefix(tasks: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tasks.len() {
        let mut j = i;
        while j + 1 < tasks.len() && tasks[j].checked_add(1) == Some(tasks[j + 1]) {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{}-{}", tasks[i], tasks[j]));
        } else {
            parts.extend(tasks[i..=j].iter().map(u32::to_string));
        }
        i = j + 1;
    }
    parts.join("与")
}

fn indicator_name(i: &Indicator) -> String {
    if i.tasks.is_empty() {
        i.name.clone()
    } else {
        format!("{}. {}", task_prefix(&i.tasks), i.name)
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn amount(d: Decimal) -> String {
    present::amount(d)
}

fn date(d: jixiao_model::NaiveDate) -> String {
    present::date(d, Lang::Zh)
}

/// The signature/stamp block at the end of each form: 单位负责人、填报人、联系电话、填报日期, each
/// with a line to write on, and 单位（盖章） with room for the stamp. Kept on one page.
fn signature_block() -> String {
    let line = "box(width: 1fr, stroke: (bottom: 0.5pt + black), height: 1.1em)";
    let field = |label: &str| format!("[#{label}：#{line}]", label = lit(label));
    format!(
        "#v(1.2em)\n#block(breakable: false, width: 100%, grid(columns: (1fr, 1fr, 1fr, 1fr), \
         column-gutter: 1.5em, row-gutter: 1.6em, {}, {}, {}, {}, grid.cell(colspan: 2, \
         [#{}#v(3.5em)]), grid.cell(colspan: 2, []),))\n",
        field("单位负责人"),
        field("填报人"),
        field("联系电话"),
        field("填报日期"),
        lit("单位（盖章）"),
    )
}

/// The indicator table of a declaration: `label` in the first column over the table, 一级 | 二级
/// | 三级 (with its sub-task prefix) | `value` (the target as written, over two columns), and
/// 是否核心指标 when `core` (the 部门整体 form). Its header repeats on every page.
fn indicator_table(p: &Project, columns: &str, label: &str, value: &str, core: bool) -> String {
    let mut header = vec![
        c("lab", label, "stroke: (bottom: none)"),
        c("lab", "一级指标", ""),
        c("lab", "二级指标", ""),
        c("lab", "三级指标", ""),
        c("lab", value, "colspan: 2"),
    ];
    if core {
        header.push(c("lab", "是否核心指标", ""));
    }
    let mut body = Vec::new();
    if !p.indicators.is_empty() {
        body.push(c(
            "txt",
            "",
            &format!("rowspan: {}, stroke: (top: none)", p.indicators.len()),
        ));
    }
    let keys: Vec<(Level1, &Level2)> = p.indicators.iter().map(|i| (i.level1, &i.level2)).collect();
    for (k, i) in p.indicators.iter().enumerate() {
        body.extend(level_cells(&keys, k));
        body.push(c("txt", &indicator_name(i), ""));
        body.push(c("txt", &i.raw, "colspan: 2"));
        if core {
            body.push(c("cat", jixiao_evaluate::core_text(i.core, Lang::Zh), ""));
        }
    }
    table(columns, &header, &body)
}

const DECL_COLUMNS: &str = "(2.2cm, 2.9cm, 2.4cm, 1fr, 2.4cm, 2.4cm)";

fn declaration(p: &Project) -> String {
    let mut out = String::new();
    out.push_str("#heading1[财政项目支出绩效目标申报表]\n");
    let _ = writeln!(out, "#heading2({})\n", lit(&format!("({}年度)", p.year)));
    out.push_str("#[\n#set block(spacing: 0pt)\n");

    // Header, funds, goals, sub-tasks.
    let mut b: Vec<String> = vec![
        c("lab", "项目名称", ""),
        c("txt", &p.name, ""),
        c("lab", "项目性质", ""),
        c("txt", opt(&p.nature), ""),
        c("lab", "项目类别", ""),
        c("txt", opt(&p.category), ""),
        c("lab", "主管部门", ""),
        c("txt", opt(&p.department), ""),
        c("lab", "实施单位", ""),
        c("txt", &p.unit, "colspan: 3"),
        c("lab", "计划开始日期", ""),
        c("txt", &date(p.start), ""),
        c("lab", "计划完成日期", ""),
        c("txt", &date(p.end), "colspan: 3"),
        c("lab", "项目资金(元)", "rowspan: 4"),
    ];
    let pf = p.project_funds.as_ref();
    let whole = |f: fn(&jixiao_model::ProjectFunds) -> Decimal| pf.map(|x| amount(f(x)));
    let rows: [(&str, Option<String>, &str, Decimal); 4] = [
        (
            "项目资金总额",
            whole(|x| x.total),
            "年度资金申请总额",
            p.funds.total,
        ),
        (
            "其中：财政资金",
            whole(|x| x.fiscal),
            "其中：当年财政拨款",
            p.funds.fiscal,
        ),
        ("", None, "上年结转资金", p.funds.carryover),
        ("其他资金", whole(|x| x.other), "其他资金", p.funds.other),
    ];
    for (l1, v1, l2, v2) in rows {
        b.push(if l1.is_empty() {
            c("txt", "", "")
        } else {
            c("lab", l1, "")
        });
        b.push(c("num", v1.as_deref().unwrap_or(""), ""));
        b.push(c("lab", l2, ""));
        b.push(c("num", &amount(v2), "colspan: 2"));
    }
    b.push(c(
        "lab",
        "项目绩效目标",
        &format!("rowspan: {}", 2 + p.tasks.len()),
    ));
    b.push(c("lab", "项目总目标", "colspan: 2"));
    b.push(c("lab", "年度总体目标", "colspan: 3"));
    b.push(c("para", &p.overall_goal, "colspan: 2"));
    b.push(c("para", &p.annual_goal, "colspan: 3"));
    for t in &p.tasks {
        let line = match &t.area {
            Some(a) => format!("{} {a}——{}——{}", t.no, t.title, t.description),
            None => format!("{} {}——{}", t.no, t.title, t.description),
        };
        b.push(c("para", &line, "colspan: 5"));
    }
    out.push_str(&table(DECL_COLUMNS, &[], &b));

    // The indicator table, its header repeated on every page it runs over.
    out.push_str(&indicator_table(
        p,
        DECL_COLUMNS,
        "绩效指标",
        "年度指标值",
        false,
    ));
    out.push_str("]\n");
    out.push_str(&signature_block());
    out
}

const DEPT_DECL_COLUMNS: &str = "(2.6cm, 2.5cm, 2.2cm, 1fr, 2.4cm, 2.4cm, 2.4cm)";

/// An amount, blank for none.
fn opt_amount(d: Option<Decimal>) -> String {
    d.map(amount).unwrap_or_default()
}

/// The 部门整体支出绩效目标申报表 (the layout of the XLSX, `docs/pdf-layout.md`).
fn department_declaration(p: &Project) -> String {
    let mut out = String::new();
    out.push_str("#heading1[部门整体支出绩效目标申报表]\n");
    let _ = writeln!(out, "#heading2({})\n", lit(&format!("({}年度)", p.year)));
    out.push_str("#[\n#set block(spacing: 0pt)\n");
    let dt = p.department_targets.as_ref();
    let mut b: Vec<String> = vec![
        c("lab", "部门（单位）名称", ""),
        c("txt", &p.unit, "colspan: 6"),
    ];
    if let Some(dep) = p.department.as_deref() {
        b.push(c("lab", "主管部门", ""));
        b.push(c("txt", dep, "colspan: 6"));
    }
    // 部门总体资金情况: 收入构成 beside 支出构成.
    let (income, spending) = p.department_money();
    let n = income.len();
    b.push(c("lab", "部门总体资金情况(元)", &format!("rowspan: {n}")));
    for (k, (l, d)) in income.iter().enumerate() {
        if k == 0 {
            b.push(c("lab", "收入构成", &format!("rowspan: {n}")));
        }
        b.push(c("lab", l, ""));
        b.push(c("num", &amount(*d), ""));
        if k == 0 {
            b.push(c("lab", "支出构成", &format!("rowspan: {n}")));
        }
        let side = if k + 1 == n {
            Some(spending[2])
        } else {
            spending.get(k).filter(|_| k < 2).copied()
        };
        match side {
            Some((l, d)) => {
                b.push(c("lab", l, ""));
                b.push(c("num", &opt_amount(d), ""));
            }
            None => {
                b.push(c("txt", "", ""));
                b.push(c("txt", "", ""));
            }
        }
    }
    b.push(c("lab", "部门职能概述", ""));
    b.push(c(
        "para",
        dt.map_or("", |d| d.functions.as_str()),
        "colspan: 6",
    ));
    // 年度主要任务.
    b.push(c(
        "lab",
        "年度主要任务",
        &format!("rowspan: {}", p.tasks.len() + 3),
    ));
    b.push(c("lab", "任务名称", "rowspan: 2"));
    b.push(c("lab", "主要内容", "rowspan: 2, colspan: 2"));
    b.push(c("lab", "预算金额(元)", "colspan: 3"));
    for l in ["总额", "财政拨款", "其他资金"] {
        b.push(c("lab", l, ""));
    }
    let mut sums = Some([Decimal::ZERO; 3]);
    let mut any = false;
    for t in &p.tasks {
        b.push(c("txt", &t.title, ""));
        b.push(c("txt", &t.description, "colspan: 2"));
        let f = t.funds;
        for x in [f.map(|f| f.total), f.map(|f| f.fiscal), f.map(|f| f.other)] {
            b.push(c("num", &opt_amount(x), ""));
        }
        if let Some(f) = f {
            any = true;
            sums = sums.and_then(|[x, y, z]| {
                Some([
                    x.checked_add(f.total)?,
                    y.checked_add(f.fiscal)?,
                    z.checked_add(f.other)?,
                ])
            });
        }
    }
    b.push(c("lab", "金额合计", "colspan: 3"));
    for k in 0..3 {
        let x = sums.filter(|_| any).map(|s| s[k]);
        b.push(c("num", &opt_amount(x), ""));
    }
    if !p.overall_goal.trim().is_empty() {
        b.push(c("lab", "中长期目标", ""));
        b.push(c("para", &p.overall_goal, "colspan: 6"));
    }
    b.push(c("lab", "年度绩效目标", ""));
    b.push(c("para", &p.annual_goal, "colspan: 6"));
    out.push_str(&table(DEPT_DECL_COLUMNS, &[], &b));

    // 年度绩效指标, its header repeated on every page it runs over.
    out.push_str(&indicator_table(
        p,
        DEPT_DECL_COLUMNS,
        "年度绩效指标",
        "指标值",
        true,
    ));
    out.push_str("]\n");
    out.push_str(&signature_block());
    out
}

/// typst markup of [`crate::declarations_pdf`].
pub fn declarations_markup(form: &Form) -> String {
    let title = form
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| match form.projects.as_slice() {
            [one] if one.is_department_wide() => {
                format!("部门整体支出绩效目标申报表 {}", one.unit)
            }
            [one] => format!("财政项目支出绩效目标申报表 {}", one.name),
            _ => "项目绩效目标汇总表".into(),
        });
    let mut out = preamble(&title, false);
    if form.projects.len() > 1 || form.title.is_some() {
        if let Some(t) = form.title.as_deref().filter(|t| !t.trim().is_empty()) {
            let _ = writeln!(out, "#heading1({})\n#v(0.6em)", lit(t));
        }
    }
    for (k, p) in form.projects.iter().enumerate() {
        if k > 0 {
            out.push_str("#pagebreak(weak: true)\n");
        }
        if p.is_department_wide() {
            out.push_str(&department_declaration(p));
        } else {
            out.push_str(&declaration(p));
        }
    }
    if form.projects.is_empty() {
        out.push_str("#align(center)[（没有申报项目）]\n");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 汇总表 (the unit summary / department roll-up)

/// The 整改 counts as cells: three numbers, or three empty cells when not counted.
fn rect_counts(c: Option<[u64; 3]>) -> Vec<String> {
    match c {
        Some(c) => c.iter().map(|n| lit(&n.to_string())).collect(),
        None => vec!["[]".into(); 3],
    }
}

/// typst markup of [`crate::summary_pdf`]: the declarations (with their 整改 counts), the
/// roll-up by unit when there are several, then 单位产出成本 (cost per output).
pub fn summary_markup(s: &UnitSummary) -> String {
    let mut out = preamble(
        &format!("项目绩效目标汇总表 {}", s.subtitle(jixiao_model::Lang::Zh)),
        true,
    );
    out.push_str("#heading1[项目绩效目标汇总表]\n");
    let _ = writeln!(
        out,
        "#heading2({})\n#v(0.4em)",
        lit(&s.subtitle(jixiao_model::Lang::Zh))
    );
    let rect_group = match s.rectifications_on {
        Some(d) => format!("整改（截至{}）", date(d)),
        None => "整改".into(),
    };
    let header = vec![
        c("lab", "序号", "rowspan: 2"),
        c("lab", "项目名称", "rowspan: 2"),
        c("lab", "实施单位", "rowspan: 2"),
        c("lab", "主管部门", "rowspan: 2"),
        c("lab", "年度资金（元）", "rowspan: 2"),
        c("lab", "三级指标数", "colspan: 4"),
        c("lab", "审核", "colspan: 4"),
        c("lab", "申报状态", "rowspan: 2"),
        c("lab", "监控预警", "rowspan: 2"),
        c("lab", "自评得分", "rowspan: 2"),
        c("lab", "评价等级", "rowspan: 2"),
        c("lab", &rect_group, "colspan: 3"),
        c("lab", "产出", ""),
        c("lab", "成本", ""),
        c("lab", "效益", ""),
        c("lab", "满意度", ""),
        c("lab", "等级", ""),
        c("lab", "错误", ""),
        c("lab", "警告", ""),
        c("lab", "提示", ""),
        c("lab", "未完成", ""),
        c("lab", "逾期", ""),
        c("lab", "已完成", ""),
    ];
    // A row is plain string literals aligned by the table's column alignment (a call of a
    // cell helper per cell made typst's evaluation and memoisation of a 10,000-row summary
    // several times slower and larger); only a light is a `table.cell` with its fill.
    let mut body = Vec::with_capacity(s.rows.len() + 2);
    for (k, r) in s.rows.iter().enumerate() {
        let f = &r.findings;
        let counts: Vec<String> = r
            .indicators
            .all()
            .iter()
            .chain([f.errors, f.warnings, f.infos].iter())
            .map(|n| lit(&n.to_string()))
            .collect();
        let light = match r.light {
            Some(l) => format!("table.cell(fill: {}, {})", light_fill(l), lit(l.zh())),
            None => "[]".into(),
        };
        let rect = rect_counts(r.rectifications.map(|c| c.all().map(u64::from)));
        body.push(format!(
            "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}",
            lit(&(k + 1).to_string()),
            lit(&r.name),
            lit(&r.unit),
            lit(opt(&r.department)),
            lit(&amount(r.funds)),
            counts[..4].join(", "),
            lit(r.review_grade.zh()),
            counts[4..].join(", "),
            lit(r.status.zh()),
            light,
            lit(&jixiao_report::score_text(r, jixiao_model::Lang::Zh)),
            lit(r.grade.map(|g| g.zh()).unwrap_or("")),
            rect.join(", "),
        ));
    }
    let t = s.totals();
    let mut total = vec![
        c("lab", "合计", "colspan: 4"),
        lit(&t
            .funds
            .map(amount)
            .unwrap_or_else(|| "（合计超出范围）".into())),
    ];
    total.extend(t.indicators.iter().map(|n| lit(&n.to_string())));
    total.push("[]".into());
    total.extend(t.findings.iter().map(|n| lit(&n.to_string())));
    total.push("table.cell(colspan: 4, [])".into());
    total.extend(rect_counts(t.rectifications));
    body.push(total.join(", "));
    out.push_str(&table(
        "(2.2em, 3fr, 2fr, 2fr, 7.5em, 2.6em, 2.6em, 2.6em, 3.2em, 2.6em, 2.6em, 2.6em, 2.6em, 3.6em, 3.2em, 3.6em, 3.2em, 3.2em, 2.6em, 3.2em),\n  align: (right, left, left, left, right, right, right, right, right, center, right, right, right, center, center, right, center, right, right, right).map(a => a + horizon)",
        &header,
        &body,
    ));
    if let Some(note) = s.department_note(Lang::Zh) {
        let _ = writeln!(out, "#v(0.3em)\n#text(size: 8.5pt, {})", lit(note));
    }

    // The roll-up by unit, when the summary spans several (as the XLSX's 按实施单位汇总).
    let units = s.by_unit();
    if units.len() > 1 {
        out.push_str("#v(0.8em)\n#align(center, text(font: \"Noto Sans CJK SC\", weight: \"bold\", size: 11pt)[按实施单位汇总])\n#v(0.3em)\n");
        let header = vec![
            c("lab", "实施单位", ""),
            c("lab", "项目数", ""),
            c("lab", "年度资金（元）", ""),
            c("lab", "三级指标数", ""),
            c("lab", "审核错误", ""),
            c("lab", "审核警告", ""),
            c("lab", "审核提示", ""),
            c("lab", "未完成整改", ""),
            c("lab", "其中逾期", ""),
            c("lab", "已完成整改", ""),
        ];
        let funds = |f: Option<Decimal>| f.map(amount).unwrap_or_else(|| "（合计超出范围）".into());
        let mut body = Vec::new();
        let line = |name: &str,
                    total: bool,
                    n: usize,
                    t: &jixiao_report::SummaryTotals,
                    body: &mut Vec<String>| {
            body.push(c(if total { "lab" } else { "txt" }, name, ""));
            body.push(c("num", &n.to_string(), ""));
            body.push(c("num", &funds(t.funds), ""));
            body.push(c("num", &t.indicators.iter().sum::<u64>().to_string(), ""));
            for f in t.findings {
                body.push(c("num", &f.to_string(), ""));
            }
            match t.rectifications {
                Some(r) => body.extend(r.iter().map(|n| c("num", &n.to_string(), ""))),
                None => body.extend(["[]".to_string(), "[]".into(), "[]".into()]),
            }
        };
        for u in &units {
            line(&u.unit, false, u.declarations, &u.totals, &mut body);
        }
        line("合计", true, s.rows.len(), &t, &mut body);
        out.push_str(&table(
            "(3fr, 4em, 9em, 5em, 5em, 5em, 5em, 5em, 5em, 5em)",
            &header,
            &body,
        ));
    }
    out.push_str(&cost_markup(s));
    out
}

/// 单位产出成本 (成本预算绩效) of a summary: every figure, the outputs of several units
/// compared, and how the figures were made.
fn cost_markup(s: &UnitSummary) -> String {
    let costs = &s.costs;
    let mut out = String::from("#v(0.8em)\n#align(center, text(font: \"Noto Sans CJK SC\", weight: \"bold\", size: 11pt)[单位产出成本（成本预算绩效）])\n#v(0.3em)\n");
    if costs.items.is_empty() {
        out.push_str(
            "#align(center)[所选项目没有带数值和计量单位的数量指标，无法计算单位产出成本]\n",
        );
    } else {
        let header: Vec<String> = [
            "序号",
            "项目名称",
            "实施单位",
            "三级指标",
            "子任务",
            "资金（元）",
            "产出数量",
            "单位产出成本",
            "资金口径",
        ]
        .iter()
        .map(|h| c("lab", h, ""))
        .collect();
        let body: Vec<String> = costs
            .items
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let tasks: Vec<String> = i.tasks.iter().map(u32::to_string).collect();
                let tasks = if tasks.is_empty() {
                    "全部".to_string()
                } else {
                    tasks.join("、")
                };
                [
                    (k + 1).to_string(),
                    i.project.clone(),
                    i.unit.clone(),
                    format!("{} {}", i.code, i.indicator),
                    tasks,
                    amount(i.funds),
                    present::quantity(i.quantity, Some(&i.measure)),
                    format!("{} {}", amount(i.cost), i.per()),
                    i.basis.note(Lang::Zh),
                ]
                .iter()
                .map(|x| lit(x))
                .collect::<Vec<_>>()
                .join(", ")
            })
            .collect();
        out.push_str(&table(
            "(2.2em, 3fr, 2fr, 2.5fr, 3em, 7.5em, 6em, 10em, 3fr),\n  align: (right, left, left, left, center, right, right, right, left).map(a => a + horizon)",
            &header,
            &body,
        ));
    }
    if !costs.comparisons.is_empty() {
        out.push_str("#v(0.5em)\n#align(center, text(font: \"Noto Sans CJK SC\", weight: \"bold\")[跨单位比较（同名、同计量单位，两个以上实施单位；单位成本从低到高）])\n#v(0.3em)\n");
        let header: Vec<String> = [
            "比较指标",
            "实施单位",
            "项目名称",
            "三级指标",
            "单位产出成本",
            "为最低的",
        ]
        .iter()
        .map(|h| c("lab", h, ""))
        .collect();
        let mut body = Vec::new();
        for g in &costs.comparisons {
            for (k, e) in g.entries.iter().enumerate() {
                let key = if k == 0 {
                    c(
                        "txt",
                        &format!("{}（{}）", g.key, g.per()),
                        &format!("rowspan: {}", g.entries.len()),
                    )
                } else {
                    String::new()
                };
                let cells = [
                    lit(&e.unit),
                    lit(&e.project),
                    lit(&e.indicator),
                    lit(&format!("{} {}", amount(e.cost), g.per())),
                    lit(&e.of_lowest.map(present::percent).unwrap_or_default()),
                ]
                .join(", ");
                body.push(if key.is_empty() {
                    cells
                } else {
                    format!("{key}, {cells}")
                });
            }
        }
        out.push_str(&table(
            "(2fr, 2fr, 3fr, 2.5fr, 8em, 5em),\n  align: (left, left, left, left, right, right).map(a => a + horizon)",
            &header,
            &body,
        ));
    }
    let mut notes = vec![format!("说明：{}", jixiao_evaluate::ROUNDING_ZH)];
    if !costs.mismatches.is_empty() {
        let m: Vec<String> = costs
            .mismatches
            .iter()
            .map(|m| format!("{}（{}）", m.key, m.measures.join("、")))
            .collect();
        notes.push(format!("同名指标计量单位不同，未比较：{}", m.join("；")));
    }
    if !costs.without_output.is_empty() {
        notes.push(format!(
            "没有带数值和计量单位的数量指标、未计算单位成本的项目：{}",
            costs.without_output.join("、")
        ));
    }
    out.push_str("#v(0.4em)\n");
    for n in notes {
        let _ = writeln!(out, "#text(size: 8pt, {})\n", lit(&n));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 监控表

fn value_text(v: &IndicatorValue) -> String {
    jixiao_evaluate::value_text(v, Lang::Zh)
}

fn per_clause(values: &[Decimal], percent: bool) -> String {
    values
        .iter()
        .map(|d| {
            if percent {
                present::percent(*d)
            } else {
                present::decimal(*d)
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The 年度主要任务 block of a department-wide 自评表/监控表 as cells of a table of `cols`
/// columns: the label over the block; 任务名称 | 主要内容 (over `1 + d` columns) | 预算数 | 财政拨款
/// | 其他资金 | `spent_label` (the rest); a row per task, its 执行数 not split by task
/// ([`jixiao_evaluate::NOT_SPLIT_ZH`]); 金额合计 with the year's 执行数 `spent`.
fn main_tasks(
    part: &jixiao_evaluate::DepartmentPart,
    spent: Decimal,
    spent_label: &str,
    d: usize,
    cols: usize,
) -> Vec<String> {
    let rest = format!("colspan: {}", cols.saturating_sub(6 + d).max(1));
    let content = format!("colspan: {}", 1 + d);
    let mut b = vec![
        c(
            "lab",
            "年度主要任务（元）",
            &format!("rowspan: {}", part.tasks.len() + 2),
        ),
        c("lab", "任务名称", ""),
        c("lab", "主要内容", &content),
        c("lab", "预算数", ""),
        c("lab", "财政拨款", ""),
        c("lab", "其他资金", ""),
        c("lab", spent_label, &rest),
    ];
    let amounts = |f: Option<jixiao_model::TaskFunds>| match f {
        Some(f) => [f.total, f.fiscal, f.other].map(|x| c("num", &amount(x), "")),
        None => [(); 3].map(|_| c("num", "", "")),
    };
    for t in &part.tasks {
        b.push(c("txt", &t.title, ""));
        b.push(c("txt", &t.description, &content));
        b.extend(amounts(t.budget));
        b.push(c("cat", jixiao_evaluate::NOT_SPLIT_ZH, &rest));
    }
    b.push(c("lab", "金额合计", &format!("colspan: {}", 2 + d)));
    b.extend(amounts(part.budget_total()));
    b.push(c("num", &amount(spent), &rest));
    b
}

const MON_COLUMNS: &str = "(6.2em, 7em, 2fr, 1.3fr, 1.2fr, 1fr, 1fr, 3em, 1.2fr, 4.6em, 2fr)";
/// [`MON_COLUMNS`] of an adjusted declaration: 年初指标值 before 调整后指标值.
const MON_COLUMNS_ADJUSTED: &str =
    "(6.2em, 7em, 1.6fr, 1.3fr, 1.3fr, 1.1fr, 1fr, 1fr, 3em, 1.1fr, 4.6em, 1.6fr)";
/// [`MON_COLUMNS`] of a department-wide table: 是否核心指标 after 年度指标值.
const MON_COLUMNS_DEPT: &str =
    "(6.2em, 7em, 2fr, 1.3fr, 6.4em, 1.2fr, 1fr, 1fr, 3em, 1.2fr, 4.6em, 2fr)";
/// [`MON_COLUMNS_DEPT`] adjusted.
const MON_COLUMNS_DEPT_ADJUSTED: &str =
    "(6.2em, 7em, 1.6fr, 1.3fr, 1.3fr, 6.4em, 1.1fr, 1fr, 1fr, 3em, 1.1fr, 4.6em, 1.6fr)";

fn monitoring(mp: &MonitoredProject) -> String {
    let m = &mp.monitoring;
    let dept = m.department_wide.as_ref();
    let mut out = String::new();
    match dept {
        Some(_) => out.push_str("#heading1[部门整体支出绩效运行监控表]\n"),
        None => out.push_str("#heading1[项目支出绩效运行监控表]\n"),
    }
    let _ = writeln!(out, "#heading2({})\n", lit(&format!("（{}年度）", m.year)));
    out.push_str("#[\n#set block(spacing: 0pt)\n");
    let b = &m.budget;
    let d = usize::from(m.adjustment.is_some());
    // Columns after the 指标值 move by `o`: the 年初 column and the 是否核心指标 column.
    let k = usize::from(dept.is_some());
    let o = d + k;
    let columns = match (d > 0, dept.is_some()) {
        (false, false) => MON_COLUMNS,
        (true, false) => MON_COLUMNS_ADJUSTED,
        (false, true) => MON_COLUMNS_DEPT,
        (true, true) => MON_COLUMNS_DEPT_ADJUSTED,
    };
    let wide = |n: usize| format!("colspan: {}", n + o);
    let mut head = match dept {
        Some(_) => vec![
            c("lab", "部门（单位）名称", "rowspan: 2"),
            c("txt", &m.unit, "colspan: 5, rowspan: 2"),
            c("lab", "截至日期", ""),
            c("txt", &date(m.as_of), &wide(4)),
            c("lab", "序时进度", ""),
            c("txt", &present::percent(m.elapsed), &wide(4)),
        ],
        None => vec![
            c("lab", "项目名称", ""),
            c("txt", &m.project, "colspan: 5"),
            c("lab", "截至日期", ""),
            c("txt", &date(m.as_of), &wide(4)),
            c("lab", "实施单位", ""),
            c("txt", &m.unit, "colspan: 5"),
            c("lab", "序时进度", ""),
            c("txt", &present::percent(m.elapsed), &wide(4)),
        ],
    };
    head.push(c("lab", "预算执行（元）", "rowspan: 2"));
    if m.adjustment.is_some() {
        head.extend([
            c("lab", "年初预算数", ""),
            c("lab", "全年（调整）预算数", ""),
        ]);
    } else {
        head.push(c("lab", "全年预算数", ""));
    }
    head.extend([
        c("lab", "截至目前执行数", ""),
        c("lab", "执行率", ""),
        c("lab", "执行进度", ""),
        c("lab", "预警", ""),
        c("lab", "预计全年执行数", "colspan: 2"),
        c("lab", "说明", &format!("colspan: {}", 3 + k)),
    ]);
    if let Some(a) = &m.adjustment {
        head.push(c("num", &amount(a.initial_budget), ""));
    }
    head.extend([
        c("num", &amount(b.budget), ""),
        c("num", &amount(b.spent), ""),
        c("num", &present::percent(b.execution_rate), ""),
        c("num", &b.pace.map(present::percent).unwrap_or_default(), ""),
        c(
            "cat",
            b.light.zh(),
            &format!("fill: {}", light_fill(b.light)),
        ),
        c(
            "num",
            &b.forecast.map(amount).unwrap_or_default(),
            "colspan: 2",
        ),
        c(
            "txt",
            "执行进度 = 执行率 ÷ 序时进度",
            &format!("colspan: {}", 3 + k),
        ),
    ]);
    if let Some(part) = dept {
        head.extend(main_tasks(part, b.spent, "截至目前执行数", d, 11 + o));
    }
    out.push_str(&table(columns, &[], &head));
    let header: Vec<String> = jixiao_report::monitoring_headers(d > 0, dept.is_some())
        .into_iter()
        .map(|l| c("lab", l, ""))
        .collect();
    let keys: Vec<(Level1, &Level2)> = m.indicators.iter().map(|i| (i.level1, &i.level2)).collect();
    let mut body = Vec::new();
    for (k, i) in m.indicators.iter().enumerate() {
        body.extend(level_cells(&keys, k));
        body.push(c("txt", &i.name, ""));
        if d > 0 {
            body.push(c(
                "txt",
                jixiao_evaluate::initial_cell(&i.initial, &i.target),
                "",
            ));
        }
        body.push(c("txt", &i.target, ""));
        if dept.is_some() {
            body.push(c("cat", jixiao_evaluate::core_text(i.core, Lang::Zh), ""));
        }
        body.push(c(
            "txt",
            &i.value
                .as_ref()
                .map_or_else(|| "未填报".to_string(), value_text),
            "",
        ));
        body.push(c("num", &per_clause(&i.expected, false), ""));
        body.push(c("num", &per_clause(&i.ratio, true), ""));
        body.push(c(
            "cat",
            i.light.zh(),
            &format!("fill: {}", light_fill(i.light)),
        ));
        body.push(c(
            "txt",
            &i.forecast.as_ref().map(value_text).unwrap_or_default(),
            "",
        ));
        body.push(c("cat", i.likelihood.map(|l| l.zh()).unwrap_or(""), ""));
        let notes: Vec<&str> = m
            .flags
            .iter()
            .filter(|f| f.code.as_deref() == Some(i.code.as_str()))
            .map(|f| f.message_zh.as_str())
            .collect();
        body.push(c("txt", &notes.join("\n"), ""));
    }
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
        general.extend(jixiao_report::adjustment_removed_notes(a));
    }
    if !general.is_empty() {
        body.push(c("lab", "提示", ""));
        body.push(c("para", &general.join("\n"), &wide(10)));
    }
    out.push_str(&table(columns, &header, &body));
    out.push_str("]\n#v(1em)\n");
    let _ = writeln!(
        out,
        "#block(breakable: false, grid(columns: (1fr, 1fr), gutter: 1.2em, chart({}), chart({})))",
        lit(&charts::progress_by_task(&mp.project, m)),
        lit(&charts::budget_execution(&mp.project, m, &mp.spending)),
    );
    out.push_str(&signature_block());
    out
}

/// typst markup of [`crate::monitoring_pdf`].
pub fn monitoring_markup(items: &[MonitoredProject]) -> String {
    let mut out = preamble("项目支出绩效运行监控表", true);
    for (k, mp) in items.iter().enumerate() {
        if k > 0 {
            out.push_str("#pagebreak(weak: true)\n");
        }
        out.push_str(&monitoring(mp));
    }
    if items.is_empty() {
        out.push_str("#align(center)[（没有项目）]\n");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 自评表

const EVAL_COLUMNS: &str = "(6.2em, 5.4em, 2fr, 1.4fr, 1.4fr, 4.6em, 4.6em, 2fr)";
/// [`EVAL_COLUMNS`] of an adjusted declaration: 年初指标值 before 调整后指标值.
const EVAL_COLUMNS_ADJUSTED: &str = "(6.2em, 5.4em, 2fr, 1.2fr, 1.2fr, 1.3fr, 4.6em, 4.6em, 2fr)";
/// [`EVAL_COLUMNS`] of a department-wide table: 是否核心指标 after 年度指标值.
const EVAL_COLUMNS_DEPT: &str = "(6.2em, 6.4em, 2fr, 1.3fr, 6.4em, 1.3fr, 4.6em, 4.6em, 2fr)";
/// [`EVAL_COLUMNS_DEPT`] adjusted.
const EVAL_COLUMNS_DEPT_ADJUSTED: &str =
    "(6.2em, 6.4em, 1.8fr, 1.1fr, 1.1fr, 6.4em, 1.2fr, 4.6em, 4.6em, 1.8fr)";

fn self_evaluation(e: &SelfEvaluation) -> String {
    let dept = e.department_wide.as_ref();
    let mut out = String::new();
    match dept {
        Some(_) => out.push_str("#heading1[部门整体支出绩效自评表]\n"),
        None => out.push_str("#heading1[项目支出绩效自评表]\n"),
    }
    let _ = writeln!(out, "#heading2({})\n", lit(&format!("（{}年度）", e.year)));
    out.push_str("#[\n#set block(spacing: 0pt)\n");
    let b = &e.budget;
    let d = usize::from(e.adjustment.is_some());
    // Columns after the 指标值 move by `o`: the 年初 column and the 是否核心指标 column.
    let o = d + usize::from(dept.is_some());
    let columns = match (d > 0, dept.is_some()) {
        (false, false) => EVAL_COLUMNS,
        (true, false) => EVAL_COLUMNS_ADJUSTED,
        (false, true) => EVAL_COLUMNS_DEPT,
        (true, true) => EVAL_COLUMNS_DEPT_ADJUSTED,
    };
    let wide = |n: usize| format!("colspan: {}", n + o);
    let achieved = e.goals.achieved.clone().unwrap_or_else(|| {
        jixiao_report::self_evaluation_achieved_summary(&e.goals.summary, b.execution_rate)
    });
    let mut head = match dept {
        Some(_) => vec![
            c("lab", "部门（单位）名称", ""),
            c("txt", &e.unit, &wide(7)),
            c("lab", "主管部门", ""),
            c("txt", opt(&e.department), &wide(7)),
            c("lab", "部门资金（元）", "rowspan: 2"),
        ],
        None => vec![
            c("lab", "项目名称", ""),
            c("txt", &e.project, &wide(7)),
            c("lab", "主管部门", ""),
            c("txt", opt(&e.department), "colspan: 3"),
            c("lab", "实施单位", ""),
            c("txt", &e.unit, &wide(3)),
            c("lab", "项目资金（元）", "rowspan: 2"),
        ],
    };
    head.push(c("txt", "", ""));
    let annual = if d > 0 {
        "全年（调整）预算数"
    } else {
        "全年预算数"
    };
    for l in ["年初预算数", annual, "全年执行数", "分值", "执行率"] {
        head.push(c("lab", l, ""));
    }
    head.extend([
        c("lab", "得分", &wide(1)),
        c("lab", "年度资金总额", ""),
        c("num", &amount(b.initial), ""),
        c("num", &amount(b.annual), ""),
        c("num", &amount(b.spent), ""),
        c("num", &present::decimal(b.weight), ""),
        c("num", &present::percent(b.execution_rate), ""),
        c("num", &present::decimal(b.score), &wide(1)),
    ]);
    if let Some(part) = dept {
        head.extend(main_tasks(part, b.spent, "全年执行数", d, 8 + o));
    }
    let goal = match dept {
        Some(_) => "年度绩效目标",
        None => "年度总体目标",
    };
    head.extend([
        c("lab", goal, "rowspan: 2"),
        c("lab", "预期目标", "colspan: 3"),
        c("lab", "实际完成情况", &wide(4)),
        c("para", &e.goals.expected, "colspan: 3"),
        c("para", &achieved, &wide(4)),
    ]);
    out.push_str(&table(columns, &[], &head));
    let header: Vec<String> = jixiao_report::self_evaluation_headers(d > 0, dept.is_some())
        .into_iter()
        .map(|l| c("lab", l, ""))
        .collect();
    let keys: Vec<(Level1, &Level2)> = e.indicators.iter().map(|i| (i.level1, &i.level2)).collect();
    let mut body = Vec::new();
    let mut weights = Some(b.weight);
    for (k, i) in e.indicators.iter().enumerate() {
        weights = weights.and_then(|w| w.checked_add(i.weight));
        body.extend(level_cells(&keys, k));
        body.push(c("txt", &i.name, ""));
        if d > 0 {
            body.push(c(
                "txt",
                jixiao_evaluate::initial_cell(&i.initial, &i.target),
                "",
            ));
        }
        body.push(c("txt", &i.target, ""));
        if dept.is_some() {
            body.push(c("cat", jixiao_evaluate::core_text(i.core, Lang::Zh), ""));
        }
        body.push(c(
            "txt",
            &i.actual
                .as_ref()
                .map_or_else(|| "未填报".to_string(), value_text),
            "",
        ));
        body.push(c("num", &present::decimal(i.weight), ""));
        body.push(c("num", &present::decimal(i.score), ""));
        let reason = match (&i.deviation_reason, i.deviation_required) {
            (Some(r), _) => r.clone(),
            (None, true) => "（缺）".into(),
            (None, false) => String::new(),
        };
        body.push(c("txt", &reason, ""));
    }
    body.push(c("lab", "总分", &wide(5)));
    body.push(c(
        "num",
        &weights
            .map(present::decimal)
            .unwrap_or_else(|| "（超出范围）".into()),
        "",
    ));
    body.push(c("num", &present::decimal(e.total), ""));
    body.push(c("txt", "", ""));
    body.push(c("lab", "评价等级", &wide(5)));
    body.push(c("cat", e.grade.zh(), "colspan: 3"));
    let notes = jixiao_report::self_evaluation_notes(e);
    if !notes.is_empty() {
        body.push(c("lab", "提示", ""));
        body.push(c("para", &notes.join("\n"), &wide(7)));
    }
    out.push_str(&table(columns, &header, &body));
    out.push_str("]\n#v(1em)\n");
    let _ = writeln!(
        out,
        "#block(breakable: false, align(center, chart({}, width: 60%)))",
        lit(&charts::score_by_level1(e)),
    );
    out.push_str(&signature_block());
    out
}

/// typst markup of [`crate::self_evaluation_pdf`].
pub fn self_evaluation_markup(items: &[SelfEvaluation]) -> String {
    let mut out = preamble("项目支出绩效自评表", true);
    for (k, e) in items.iter().enumerate() {
        if k > 0 {
            out.push_str("#pagebreak(weak: true)\n");
        }
        out.push_str(&self_evaluation(e));
    }
    if items.is_empty() {
        out.push_str("#align(center)[（没有项目）]\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_everything_typst_reads() {
        assert_eq!(lit(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(lit("x\ny\r"), r#""x\ny""#);
        assert_eq!(lit("#$*[]_`<@"), "\"#$*[]_`<@\"");
        assert_eq!(lit("\u{7}"), r#""\u{7}""#);
    }

    #[test]
    fn task_prefixes_read_as_the_forms_write_them() {
        assert_eq!(task_prefix(&[1, 2]), "1与2");
        assert_eq!(task_prefix(&[3, 4, 5, 6, 7]), "3-7");
        assert_eq!(task_prefix(&[1, 3, 4, 5, 9]), "1与3-5与9");
    }
}
