//! Charts as SVG, drawn without a browser: pure functions of the typed views that return a
//! self-contained `<svg>` document (UTF-8, Chinese labels, `font-family` listing Noto Sans CJK
//! SC first). The web app embeds them as they are; `jixiao-pdf` places them in the PDFs.
//!
//! - [`progress_by_task`] — 子任务完成进度: per sub-task, the mean 完成进度 (actual ÷ expected to
//!   date) of the indicators that name it, coloured by their worst light, against 100 %.
//! - [`score_by_level1`] — 得分 by 一级指标 (and 预算执行) against its 分值.
//! - [`budget_execution`] — 预算执行 against the time line: cumulative spending in percent of
//!   the budget over the project period, beside the straight 序时进度 line.
//!
//! **Numbers.** Every figure a chart prints is the view's `Decimal`, written by
//! [`jixiao_model::present`] (a mean is computed in `Decimal` and rounded half away from zero
//! to two places, which the label says: `平均`). Floats are used only for coordinates, which
//! nobody reads as numbers; bar lengths are clamped to the drawing (a label beside the bar
//! still shows the exact value).

use std::fmt::Write as _;

use jixiao_evaluate::{round2, Light, Monitoring, SelfEvaluation};
use jixiao_model::{present, Decimal, Lang, Level1, NaiveDate, Project, SpendingRecord};

use crate::sheet::light_rgb;

/// The font list of every chart's text.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

const WIDTH: f64 = 640.0;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// At most `n` characters, with `…` when cut (labels in front of bars).
fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn f(d: Decimal) -> f64 {
    f64::try_from(d).unwrap_or(0.0)
}

struct Svg {
    body: String,
    height: f64,
}

impl Svg {
    fn new(height: f64) -> Svg {
        Svg {
            body: String::new(),
            height,
        }
    }

    fn text(&mut self, x: f64, y: f64, anchor: &str, size: f64, fill: &str, t: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{}</text>"#,
            esc(t)
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{fill}"/>"#,
            w.max(0.0)
        );
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, dash: bool) {
        let dash = if dash {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="1"{dash}/>"#
        );
    }

    fn finish(self, title: &str) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{h}\" viewBox=\"0 0 {WIDTH} {h}\" font-family=\"{FONT_FAMILY}\">\n\
             <title>{t}</title>\n<rect width=\"{WIDTH}\" height=\"{h}\" fill=\"#ffffff\"/>\n\
             <text x=\"{x}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"#222222\">{t}</text>\n{body}</svg>\n",
            h = self.height,
            t = esc(title),
            x = WIDTH / 2.0,
            body = self.body,
        )
    }
}

fn rgb(l: Light) -> String {
    format!("#{:06X}", light_rgb(l))
}

/// The mean of `xs`, rounded half away from zero to 2 decimals; `None` for none (or overflow).
fn mean(xs: &[Decimal]) -> Option<Decimal> {
    let n = Decimal::from(xs.len());
    let sum = xs
        .iter()
        .try_fold(Decimal::ZERO, |acc, x| acc.checked_add(*x))?;
    let m = sum.checked_div(n)?;
    Some(round2(m))
}

/// One sub-task's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskProgress {
    /// 子任务编号.
    pub no: u32,
    /// 标题.
    pub title: String,
    /// The mean 完成进度 (percent) of its indicators' clauses that have one; `None` when none do.
    pub progress: Option<Decimal>,
    /// The worst light of its indicators (grey when it has none).
    pub light: Light,
    /// How many indicators name it.
    pub indicators: usize,
}

/// Per sub-task of `p`: the mean 完成进度 of the indicators of `m` that name it, and their worst
/// light. An indicator that names several sub-tasks counts for each.
pub fn task_progress(p: &Project, m: &Monitoring) -> Vec<TaskProgress> {
    p.tasks
        .iter()
        .map(|t| {
            let mut ratios = Vec::new();
            let mut light: Option<Light> = None;
            let mut n = 0;
            for i in p.indicators.iter().filter(|i| i.tasks.contains(&t.no)) {
                let Some(im) = m.indicators.iter().find(|x| x.code == i.code) else {
                    continue;
                };
                n += 1;
                ratios.extend(im.ratio.iter().copied());
                light = Some(light.map_or(im.light, |l| l.max(im.light)));
            }
            TaskProgress {
                no: t.no,
                title: t.title.clone(),
                progress: if ratios.is_empty() {
                    None
                } else {
                    mean(&ratios)
                },
                light: light.unwrap_or(Light::Grey),
                indicators: n,
            }
        })
        .collect()
}

/// 子任务完成进度 — horizontal bars, one per sub-task: the mean 完成进度 of its indicators
/// (actual ÷ expected to date), coloured by their worst light, with a line at 100 % (on pace).
/// Bars are clamped at 200 %; the label shows the value.
pub fn progress_by_task(p: &Project, m: &Monitoring) -> String {
    let rows = task_progress(p, m);
    let title = format!("子任务完成进度（截至{}）", present::date(m.as_of, Lang::Zh));
    let row_h = 24.0;
    let top = 44.0;
    let mut svg = Svg::new(top + row_h * rows.len().max(1) as f64 + 40.0);
    if rows.is_empty() {
        svg.text(
            WIDTH / 2.0,
            top + 16.0,
            "middle",
            12.0,
            "#666666",
            "本项目未列子任务",
        );
        return svg.finish(&title);
    }
    let (x0, x1) = (210.0, WIDTH - 90.0);
    let max = Decimal::from(200);
    let scale = |d: Decimal| x0 + (x1 - x0) * f(d.clamp(Decimal::ZERO, max)) / f(max);
    for (k, r) in rows.iter().enumerate() {
        let y = top + row_h * k as f64;
        let label = format!("{} {}", r.no, clip(&r.title, 14));
        svg.text(x0 - 8.0, y + 16.0, "end", 12.0, "#222222", &label);
        svg.rect(x0, y + 4.0, x1 - x0, row_h - 8.0, "#f2f2f2");
        match r.progress {
            Some(v) => {
                svg.rect(x0, y + 4.0, scale(v) - x0, row_h - 8.0, &rgb(r.light));
                svg.text(
                    x1 + 6.0,
                    y + 16.0,
                    "start",
                    11.0,
                    "#222222",
                    &present::percent(v),
                );
            }
            None => svg.text(
                x0 + 6.0,
                y + 16.0,
                "start",
                11.0,
                "#666666",
                if r.indicators == 0 {
                    "无指标"
                } else {
                    "无可计算的进度"
                },
            ),
        }
    }
    let bottom = top + row_h * rows.len() as f64;
    let hundred = scale(Decimal::ONE_HUNDRED);
    svg.line(hundred, top, hundred, bottom + 4.0, "#333333", true);
    svg.line(x0, bottom + 4.0, x1, bottom + 4.0, "#999999", false);
    for (v, t) in [(0, "0%"), (100, "100%"), (200, "200%")] {
        svg.text(
            scale(Decimal::from(v)),
            bottom + 18.0,
            "middle",
            10.0,
            "#444444",
            t,
        );
    }
    // From the left edge: at the bars' start the note ran past the drawing's right edge.
    svg.text(
        12.0,
        bottom + 34.0,
        "start",
        10.0,
        "#444444",
        "完成进度 = 截至目前完成值 ÷ 序时进度值（指标各项的平均，四舍五入到两位小数）；虚线：100%",
    );
    svg.finish(&title)
}

/// One bar of [`score_by_level1`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelScore {
    /// 预算执行, 产出指标, 成本指标 …
    pub label: String,
    /// 分值.
    pub weight: Decimal,
    /// 得分.
    pub score: Decimal,
}

/// 预算执行 and each 一级指标 that has indicators, with its summed 分值 and 得分 (in form
/// order of the 一级: 产出, 成本, 效益, 满意度). A sum that overflows is left out.
pub fn level_scores(e: &SelfEvaluation) -> Vec<LevelScore> {
    let mut out = vec![LevelScore {
        label: "预算执行".into(),
        weight: e.budget.weight,
        score: e.budget.score,
    }];
    for l in [
        Level1::Output,
        Level1::Cost,
        Level1::Benefit,
        Level1::Satisfaction,
    ] {
        let mut any = false;
        let mut w = Some(Decimal::ZERO);
        let mut s = Some(Decimal::ZERO);
        for i in e.indicators.iter().filter(|i| i.level1 == l) {
            any = true;
            w = w.and_then(|w| w.checked_add(i.weight));
            s = s.and_then(|s| s.checked_add(i.score));
        }
        if let (true, Some(weight), Some(score)) = (any, w, s) {
            out.push(LevelScore {
                label: l.zh().to_string(),
                weight,
                score,
            });
        }
    }
    out
}

/// 得分 by 一级指标 — per 一级 (and 预算执行) a grey bar as long as its 分值 and a filled bar
/// as long as its 得分, labelled `得分 / 分值`.
pub fn score_by_level1(e: &SelfEvaluation) -> String {
    let rows = level_scores(e);
    let title = format!(
        "各一级指标得分（总分 {}，{}）",
        present::decimal(e.total),
        e.grade.zh()
    );
    let row_h = 28.0;
    let top = 44.0;
    let mut svg = Svg::new(top + row_h * rows.len() as f64 + 34.0);
    let (x0, x1) = (120.0, WIDTH - 120.0);
    let max = rows
        .iter()
        .map(|r| r.weight.max(r.score))
        .max()
        .unwrap_or(Decimal::ZERO);
    let scale = |d: Decimal| {
        if max <= Decimal::ZERO {
            x0
        } else {
            x0 + (x1 - x0) * f(d.clamp(Decimal::ZERO, max)) / f(max)
        }
    };
    for (k, r) in rows.iter().enumerate() {
        let y = top + row_h * k as f64;
        svg.text(x0 - 8.0, y + 18.0, "end", 12.0, "#222222", &r.label);
        svg.rect(x0, y + 5.0, scale(r.weight) - x0, row_h - 10.0, "#e3e3e3");
        svg.rect(x0, y + 5.0, scale(r.score) - x0, row_h - 10.0, "#4f81bd");
        svg.text(
            scale(r.weight.max(r.score)) + 6.0,
            y + 18.0,
            "start",
            11.0,
            "#222222",
            &format!(
                "{} / {}",
                present::decimal(r.score),
                present::decimal(r.weight)
            ),
        );
    }
    let bottom = top + row_h * rows.len() as f64;
    svg.rect(x0, bottom + 10.0, 12.0, 10.0, "#4f81bd");
    svg.text(x0 + 16.0, bottom + 19.0, "start", 10.0, "#444444", "得分");
    svg.rect(x0 + 60.0, bottom + 10.0, 12.0, 10.0, "#e3e3e3");
    svg.text(x0 + 76.0, bottom + 19.0, "start", 10.0, "#444444", "分值");
    svg.finish(&title)
}

/// One point of [`budget_execution`]: cumulative spending (元) and its share of the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingPoint {
    /// The day (records before the project's start count on its first day).
    pub date: NaiveDate,
    /// 累计执行数 to that day, in 元.
    pub spent: Decimal,
    /// spent ÷ budget in percent, rounded to 2 decimals; `None` without a budget.
    pub rate: Option<Decimal>,
}

/// Cumulative spending of `spending` up to `m.as_of`, one point per day with payments.
pub fn spending_curve(
    p: &Project,
    m: &Monitoring,
    spending: &[SpendingRecord],
) -> Vec<SpendingPoint> {
    let mut recs: Vec<&SpendingRecord> = spending.iter().filter(|r| r.date <= m.as_of).collect();
    recs.sort_by_key(|r| r.date);
    let mut out: Vec<SpendingPoint> = Vec::new();
    let mut sum = Decimal::ZERO;
    for r in recs {
        let Some(s) = sum.checked_add(r.amount) else {
            break;
        };
        sum = s;
        let date = r.date.max(p.start);
        let rate = if m.budget.budget > Decimal::ZERO {
            sum.checked_div(m.budget.budget)
                .and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED))
                .map(round2)
        } else {
            None
        };
        match out.last_mut() {
            Some(last) if last.date == date => {
                last.spent = sum;
                last.rate = rate;
            }
            _ => out.push(SpendingPoint {
                date,
                spent: sum,
                rate,
            }),
        }
    }
    out
}

/// 预算执行 against the time line — over the project period (计划开始 to 计划完成), the
/// cumulative 执行数 in percent of the 全年预算数 (a step line up to the 截至日期) beside the
/// 序时进度 (a straight dashed line from 0 % to 100 %), with the 执行率 and 序时进度 of the
/// 截至日期 written at its marker.
pub fn budget_execution(p: &Project, m: &Monitoring, spending: &[SpendingRecord]) -> String {
    let title = "预算执行与序时进度";
    let mut svg = Svg::new(300.0);
    let (x0, x1, y0, y1) = (70.0, WIDTH - 30.0, 250.0, 50.0);
    if m.budget.budget <= Decimal::ZERO {
        svg.text(
            WIDTH / 2.0,
            150.0,
            "middle",
            12.0,
            "#666666",
            "全年预算数为零，无法计算执行率",
        );
        return svg.finish(title);
    }
    let points = spending_curve(p, m, spending);
    let top = points
        .iter()
        .filter_map(|q| q.rate)
        .chain([Decimal::ONE_HUNDRED, m.budget.execution_rate])
        .max()
        .unwrap_or(Decimal::ONE_HUNDRED)
        .min(Decimal::from(1000));
    // The y range: 0 to the next multiple of 25 % above everything drawn.
    let quarter = Decimal::from(25);
    let ymax = ((top / quarter).ceil() * quarter).max(Decimal::ONE_HUNDRED);
    let end = p.end.max(p.start);
    let days = f64::from(
        i32::try_from((end - p.start).num_days())
            .unwrap_or(i32::MAX)
            .max(1),
    );
    let x = |d: NaiveDate| {
        let n = (d.clamp(p.start, end) - p.start).num_days() as f64;
        x0 + (x1 - x0) * n / days
    };
    let y = |v: Decimal| y0 - (y0 - y1) * f(v.clamp(Decimal::ZERO, ymax)) / f(ymax);

    // Grid and axes.
    let mut v = Decimal::ZERO;
    while v <= ymax {
        svg.line(x0, y(v), x1, y(v), "#e6e6e6", false);
        svg.text(
            x0 - 6.0,
            y(v) + 4.0,
            "end",
            10.0,
            "#444444",
            &format!("{v}%"),
        );
        v += quarter;
    }
    svg.line(x0, y0, x1, y0, "#999999", false);
    svg.line(x0, y0, x0, y1, "#999999", false);
    svg.text(
        x0,
        y0 + 16.0,
        "start",
        10.0,
        "#444444",
        &present::date(p.start, Lang::Zh),
    );
    svg.text(
        x1,
        y0 + 16.0,
        "end",
        10.0,
        "#444444",
        &present::date(end, Lang::Zh),
    );

    // 序时进度: a straight line over the period.
    svg.line(
        x(p.start),
        y(Decimal::ZERO),
        x(end),
        y(Decimal::ONE_HUNDRED),
        "#888888",
        true,
    );

    // Cumulative spending: a step line from the start to the 截至日期.
    let cut = m.as_of.clamp(p.start, end);
    let mut path = format!("M{:.1},{:.1}", x(p.start), y(Decimal::ZERO));
    let mut last = Decimal::ZERO;
    for q in &points {
        let r = q.rate.unwrap_or(Decimal::ZERO);
        let _ = write!(
            path,
            " L{:.1},{:.1} L{:.1},{:.1}",
            x(q.date),
            y(last),
            x(q.date),
            y(r)
        );
        last = r;
    }
    let _ = write!(path, " L{:.1},{:.1}", x(cut), y(last));
    let _ = writeln!(
        svg.body,
        r##"<path d="{path}" fill="none" stroke="{}" stroke-width="2"/>"##,
        rgb(m.budget.light)
    );
    let _ = writeln!(
        svg.body,
        r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}" stroke="#333333" stroke-width="0.8"/>"##,
        x(cut),
        y(m.budget.execution_rate),
        rgb(m.budget.light)
    );
    svg.line(x(cut), y0, x(cut), y1, "#bbbbbb", true);
    let anchor = if x(cut) > (x0 + x1) / 2.0 {
        "end"
    } else {
        "start"
    };
    let dx = if anchor == "end" { -6.0 } else { 6.0 };
    svg.text(
        x(cut) + dx,
        y1 + 12.0,
        anchor,
        11.0,
        "#222222",
        &format!(
            "截至{}：执行率 {}，序时进度 {}（{}）",
            present::date(m.as_of, Lang::Zh),
            present::percent(m.budget.execution_rate),
            present::percent(m.elapsed),
            m.budget.light.zh()
        ),
    );
    // Legend.
    svg.line(
        x0 + 10.0,
        286.0,
        x0 + 34.0,
        286.0,
        &rgb(m.budget.light),
        false,
    );
    svg.text(
        x0 + 40.0,
        290.0,
        "start",
        10.0,
        "#444444",
        "累计执行数 ÷ 全年预算数",
    );
    svg.line(x0 + 200.0, 286.0, x0 + 224.0, 286.0, "#888888", true);
    svg.text(x0 + 230.0, 290.0, "start", 10.0, "#444444", "序时进度");
    svg.finish(title)
}

/// 单位产出成本 — horizontal bars, one per 实施单位 (cheapest first): the cost per output of the
/// same work (same normalised name and unit) side by side, each labelled with its value and its
/// share of the cheapest. The note states the rounding and marks figures from shared funds (`*`).
pub fn cost_comparison(c: &jixiao_evaluate::CostComparison) -> String {
    let title = format!("单位产出成本：{}（{}）", clip(&c.key, 24), c.per());
    let row_h = 24.0;
    let top = 44.0;
    let rows = &c.entries;
    let mut svg = Svg::new(top + row_h * rows.len().max(1) as f64 + 40.0);
    let (x0, x1) = (210.0, WIDTH - 170.0);
    let max = rows.iter().map(|e| e.cost).max().unwrap_or(Decimal::ONE);
    let scale = |d: Decimal| {
        if max <= Decimal::ZERO {
            x0
        } else {
            x0 + (x1 - x0) * f(d.clamp(Decimal::ZERO, max)) / f(max)
        }
    };
    for (k, e) in rows.iter().enumerate() {
        let y = top + row_h * k as f64;
        let shared = !matches!(e.basis, jixiao_evaluate::FundsBasis::Allocated);
        let label = format!("{}{}", clip(&e.unit, 14), if shared { " *" } else { "" });
        svg.text(x0 - 8.0, y + 16.0, "end", 12.0, "#222222", &label);
        let fill = if k == 0 { "#2f855a" } else { "#4a6fa5" };
        svg.rect(x0, y + 4.0, scale(e.cost) - x0, row_h - 8.0, fill);
        let mut value = format!("{} {}", present::amount(e.cost), c.per());
        if let Some(p) = e.of_lowest {
            value.push_str(&format!("（{}）", present::percent(p)));
        }
        svg.text(
            scale(e.cost) + 6.0,
            y + 16.0,
            "start",
            11.0,
            "#222222",
            &value,
        );
    }
    let bottom = top + row_h * rows.len() as f64;
    svg.line(x0, bottom + 4.0, x1, bottom + 4.0, "#999999", false);
    svg.text(
        12.0,
        bottom + 22.0,
        "start",
        10.0,
        "#444444",
        &format!(
            "{}；括号内为相对最低者的百分比；* 资金按子任务平均分摊或按项目总额计",
            jixiao_evaluate::ROUNDING_ZH
        ),
    );
    svg.finish(&title)
}
