//! XLSX export of a [`Form`] in the official layout of the 财政项目支出绩效目标申报表 — one
//! declaration (申报表), or a unit's 项目绩效目标汇总表 (every declaration, one after another).
//!
//! This module owns the **written** layout; `docs/xlsx-layout.md` describes it cell by cell and
//! [`crate::xlsx`] plus [`crate::recognize`] read it back.
//!
//! **One sheet, declarations one after another**, as in the seed and as a unit hands its 汇总表 to
//! finance: the document title (the form's title, when it has one) in row 1, then each
//! declaration with a blank row between them. One sheet because the XLSX reader reads one sheet
//! (the first that holds a form), so the whole 汇总表 round-trips; the sheet is named `申报表`
//! for a single declaration and `汇总表` for several.
//!
//! **Columns A–F.** A holds the row-group labels (项目名称, 项目资金(元), 项目绩效目标, 绩效指标);
//! the indicator table is A 绩效指标 | B 一级指标 | C 二级指标 | D 三级指标 | E:F 年度(/项目)指标值,
//! with 一级 and 二级 as **merged cells** over their rows (value in the top-left cell).
//!
//! **Values**: amounts are numbers formatted `#,##0.00` (more decimals when the amount has them);
//! dates are Excel dates formatted `yyyy"年"m"月"d"日"` (2024年6月30日); everything else is text, wrapped when long.
//! A value that Excel cannot hold exactly is written as text that reads back to the same value,
//! never rounded: an amount with more than 15 significant digits (a binary double keeps 15), a
//! date before 1900-03-01 (Excel's calendar starts in 1900 and miscounts its February).
//!
//! **Widths** are fitted to the text with a CJK character counted as two Latin widths (an
//! autofit that counts it as one makes Chinese columns half as wide as needed), within bounds
//! per column; wrapped rows get a height for the lines they need (Excel does not fit the
//! height of merged cells).
//!
//! **What does not survive the trip** (the recognizer's rules, not this writer's): a line break
//! inside a goal or sub-task text after a line that does not end a sentence is read as a wrap
//! and joined (`docs/xlsx-layout.md`). Indicator names carry their sub-task references as a
//! prefix (`1与2. 预算执行率`, `3-7. 成本控制率`); a name that would read back with other
//! references is refused ([`XlsxWriteError::TaskPrefix`]), never written ambiguously.

use std::fmt::Write as _;

use jixiao_model::{Decimal, Form, Indicator, NaiveDate, Project};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

pub use crate::xlsx_cells::display_width;
use crate::xlsx_cells::{
    amount_format, base_format, boxed_format, date_cell_format, dump_header, dump_puts, exact_f64,
    excel_holds_date, iso_date, number_cell_format, write_put, CellStyle, Value, DATE_FORMAT,
};

/// Why a form could not be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XlsxWriteError {
    /// An indicator name that would read back with other sub-task references than it has
    /// (a name that itself starts like `5. …` while the indicator names no sub-task).
    #[error(
        "项目「{project}」的三级指标「{name}」无法无歧义地写出：读回时子任务编号会变成 {read:?}（应为 {tasks:?}） / \
         indicator {name:?} of project {project:?} cannot be written unambiguously: it would read \
         back with sub-tasks {read:?} instead of {tasks:?}"
    )]
    TaskPrefix {
        /// 项目名称.
        project: String,
        /// 三级指标 name.
        name: String,
        /// The sub-tasks it has.
        tasks: Vec<u32>,
        /// The sub-tasks it would read back with.
        read: Vec<u32>,
    },
    /// The XLSX writer refused the workbook (a text longer than Excel's 32,767 characters, …).
    #[error("无法生成 XLSX 文件：{0} / cannot write the XLSX file: {0}")]
    Xlsx(String),
}

impl From<rust_xlsxwriter::XlsxError> for XlsxWriteError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        XlsxWriteError::Xlsx(e.to_string())
    }
}

/// Writes `form` as an XLSX workbook in the official layout (see the module docs).
pub fn form_to_xlsx(form: &Form) -> Result<Vec<u8>, XlsxWriteError> {
    render(&plan(form)?)
}

/// A readable dump of the sheet [`form_to_xlsx`] writes: sheet name, column widths, then one line
/// per written cell — `A1:F1 = "…" [title]` (a range is a merged cell), numbers with their format
/// (`E12 = 360000 [#,##0.00]`), dates (`B9 = 2024-01-01 [yyyy"年"m"月"d"日"]`), and row heights. Golden
/// files under `tests/data/xlsx/` hold it, since the workbook itself is binary.
pub fn form_to_xlsx_dump(form: &Form) -> Result<String, XlsxWriteError> {
    Ok(dump(&plan(form)?))
}

// ---------------------------------------------------------------------------------------------
// The plan: what goes where, before any XLSX is written.

/// Number of columns of a project's layout (A–F).
const COLS: u16 = 6;
/// Number of columns of the department-wide layout (A–G: 是否核心指标 in G); a sheet that holds
/// one is this wide.
const DEPT_COLS: u16 = 7;

/// The look of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// The document title (汇总表 title).
    Title,
    /// The 申报表 title line.
    FormTitle,
    /// `(2024年度)`.
    Year,
    /// A printed label (项目名称, 一级指标 …), bold, centred.
    Label,
    /// A value as text, wrapped.
    Text,
    /// A long text (goals, sub-tasks), wrapped, top-left aligned.
    Body,
    /// A 一级/二级 category cell, centred.
    Category,
    /// An amount, `#,##0.00` or with more decimals.
    Amount(u32),
    /// A date, `yyyy"年"m"月"d"日"` (2024年6月30日).
    Date,
}

impl CellStyle for Style {
    fn name(&self) -> String {
        match self {
            Style::Title => "title".into(),
            Style::FormTitle => "form-title".into(),
            Style::Year => "year".into(),
            Style::Label => "label".into(),
            Style::Text => "text".into(),
            Style::Body => "body".into(),
            Style::Category => "category".into(),
            Style::Amount(d) => amount_format(*d),
            Style::Date => DATE_FORMAT.into(),
        }
    }

    fn wraps(&self) -> bool {
        matches!(
            self,
            Style::Text | Style::Body | Style::Category | Style::Label
        )
    }

    /// Titles span the sheet and goal paragraphs wrap in any width: neither sizes columns.
    fn sizes_columns(&self) -> bool {
        !matches!(
            self,
            Style::Title | Style::FormTitle | Style::Year | Style::Body
        )
    }

    fn shown(&self, v: &Value) -> String {
        shown_text(v, *self)
    }
}

/// One cell or merged range of the plan.
type Put = crate::xlsx_cells::Put<Style>;

#[derive(Debug, Clone, Default)]
struct Plan {
    sheet: String,
    /// Columns of the sheet: [`COLS`], or [`DEPT_COLS`] when a department-wide declaration is
    /// on it.
    cols: u16,
    puts: Vec<Put>,
    /// Rows that start a declaration (a page break before each but the first when printed).
    starts: Vec<u32>,
}

struct Builder {
    puts: Vec<Put>,
    row: u32,
}

impl Builder {
    fn put(
        &mut self,
        row: u32,
        col: u16,
        last_row: u32,
        last_col: u16,
        v: Option<Value>,
        s: Style,
    ) {
        self.puts.push(Put {
            row,
            col,
            last_row,
            last_col,
            value: v,
            style: s,
        });
    }
    fn text(&mut self, row: u32, col: u16, last_col: u16, t: &str, s: Style) {
        self.put(row, col, row, last_col, Some(Value::Text(t.to_string())), s);
    }
    fn opt_text(&mut self, row: u32, col: u16, last_col: u16, t: Option<&str>, s: Style) {
        let v = t.map(|t| Value::Text(t.to_string()));
        self.put(row, col, row, last_col, v, s);
    }
}

fn plan(form: &Form) -> Result<Plan, XlsxWriteError> {
    let mut b = Builder {
        puts: Vec::new(),
        row: 0,
    };
    let cols = if form.projects.iter().any(Project::is_department_wide) {
        DEPT_COLS
    } else {
        COLS
    };
    let last = cols - 1;
    if let Some(t) = form.title.as_deref().filter(|t| !t.trim().is_empty()) {
        b.text(0, 0, last, t, Style::Title);
        b.row = 2;
    }
    let mut starts = Vec::new();
    for (i, p) in form.projects.iter().enumerate() {
        if i > 0 {
            b.row += 1; // a blank row between declarations
        }
        starts.push(b.row);
        if p.is_department_wide() {
            department(&mut b, p)?;
        } else {
            project(&mut b, p)?;
        }
    }
    Ok(Plan {
        sheet: if form.projects.len() == 1 {
            "申报表".into()
        } else {
            "汇总表".into()
        },
        cols,
        puts: b.puts,
        starts,
    })
}

/// An amount as Excel can hold it: a number when a double keeps every digit, else text.
fn amount_value(d: Decimal) -> (Value, Style) {
    match exact_f64(d) {
        Some(f) => (Value::Number(f), Style::Amount(d.scale().max(2))),
        None => (Value::Text(d.to_string()), Style::Text),
    }
}

/// A date as Excel can hold it: an Excel date from 1900-03-01 on, else ISO text.
fn date_value(d: NaiveDate) -> (Value, Style) {
    if excel_holds_date(d) {
        (Value::Date(d), Style::Date)
    } else {
        (Value::Text(iso_date(d)), Style::Text)
    }
}

/// The sub-task references as a name prefix: runs of three or more as `3-7`, others joined by
/// `与` (`1与2`, `1与3-5`).
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

/// The 三级 cell: `1与2. 预算执行率`, checked to read back with the same references and name.
fn indicator_name(p: &Project, ind: &Indicator) -> Result<String, XlsxWriteError> {
    let text = if ind.tasks.is_empty() {
        ind.name.clone()
    } else {
        format!("{}. {}", task_prefix(&ind.tasks), ind.name)
    };
    let mut sorted = ind.tasks.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let read = jixiao_model::split_task_refs(&text);
    match read {
        Ok(r) if r.tasks == sorted && r.name == ind.name.trim() => Ok(text),
        other => Err(XlsxWriteError::TaskPrefix {
            project: p.name.clone(),
            name: ind.name.clone(),
            tasks: ind.tasks.clone(),
            read: other.map(|r| r.tasks).unwrap_or_default(),
        }),
    }
}

/// A sub-task line: `3 碳排放——标题——内容`; the item number and the dashes are what the
/// recognizer reads it by.
fn task_line(t: &jixiao_model::Task) -> String {
    match &t.area {
        Some(a) => format!("{} {a}——{}——{}", t.no, t.title, t.description),
        None => format!("{} {}——{}", t.no, t.title, t.description),
    }
}

fn project(b: &mut Builder, p: &Project) -> Result<(), XlsxWriteError> {
    let last = COLS - 1;
    let r = b.row;
    b.text(r, 0, last, "财政项目支出绩效目标申报表", Style::FormTitle);
    b.text(r + 1, 0, last, &format!("({}年度)", p.year), Style::Year);

    // Header block.
    let r = r + 2;
    b.text(r, 0, 0, "项目名称", Style::Label);
    b.text(r, 1, 1, &p.name, Style::Text);
    b.text(r, 2, 2, "项目性质", Style::Label);
    b.opt_text(r, 3, 3, p.nature.as_deref(), Style::Text);
    b.text(r, 4, 4, "项目类别", Style::Label);
    b.opt_text(r, 5, 5, p.category.as_deref(), Style::Text);
    let r = r + 1;
    b.text(r, 0, 0, "主管部门", Style::Label);
    b.opt_text(r, 1, 1, p.department.as_deref(), Style::Text);
    b.text(r, 2, 2, "实施单位", Style::Label);
    b.text(r, 3, last, &p.unit, Style::Text);
    let r = r + 1;
    b.text(r, 0, 0, "计划开始日期", Style::Label);
    let (v, s) = date_value(p.start);
    b.put(r, 1, r, 1, Some(v), s);
    b.text(r, 2, 2, "计划完成日期", Style::Label);
    let (v, s) = date_value(p.end);
    b.put(r, 3, r, last, Some(v), s);

    // Funds: 项目资金 (whole period) in B:C, 年度资金 in D:F.
    let r = r + 1;
    b.text(r, 0, 0, "项目资金(元)", Style::Label);
    if let Some(last_put) = b.puts.last_mut() {
        last_put.last_row = r + 3;
    }
    let pf = p.project_funds.as_ref();
    let rows: [(Option<&str>, Option<Decimal>, &str, Decimal); 4] = [
        (
            Some("项目资金总额"),
            pf.map(|f| f.total),
            "年度资金申请总额",
            p.funds.total,
        ),
        (
            Some("其中：财政资金"),
            pf.map(|f| f.fiscal),
            "其中：当年财政拨款",
            p.funds.fiscal,
        ),
        (None, None, "上年结转资金", p.funds.carryover),
        (
            Some("其他资金"),
            pf.map(|f| f.other),
            "其他资金",
            p.funds.other,
        ),
    ];
    for (k, (plabel, pvalue, alabel, avalue)) in rows.into_iter().enumerate() {
        let rr = r + k as u32;
        b.opt_text(rr, 1, 1, plabel, Style::Label);
        match pvalue {
            Some(d) => {
                let (v, s) = amount_value(d);
                b.put(rr, 2, rr, 2, Some(v), s);
            }
            None => b.put(rr, 2, rr, 2, None, Style::Amount(2)),
        }
        b.text(rr, 3, 3, alabel, Style::Label);
        let (v, s) = amount_value(avalue);
        b.put(rr, 4, rr, last, Some(v), s);
    }

    // Goals and sub-tasks.
    let r = r + 4;
    let goal_rows = 2 + p.tasks.len() as u32;
    b.put(
        r,
        0,
        r + goal_rows - 1,
        0,
        Some(Value::Text("项目绩效目标".into())),
        Style::Label,
    );
    b.text(r, 1, 2, "项目总目标", Style::Label);
    b.text(r, 3, last, "年度总体目标", Style::Label);
    b.text(r + 1, 1, 2, &p.overall_goal, Style::Body);
    b.text(r + 1, 3, last, &p.annual_goal, Style::Body);
    for (k, t) in p.tasks.iter().enumerate() {
        b.text(r + 2 + k as u32, 1, last, &task_line(t), Style::Body);
    }

    // Indicators.
    let r = r + goal_rows;
    let n = p.indicators.len() as u32;
    b.put(
        r,
        0,
        r + n,
        0,
        Some(Value::Text("绩效指标".into())),
        Style::Label,
    );
    b.text(r, 1, 1, "一级指标", Style::Label);
    b.text(r, 2, 2, "二级指标", Style::Label);
    b.text(r, 3, 3, "三级指标", Style::Label);
    b.text(r, 4, last, "年度(/项目)指标值", Style::Label);
    let first = r + 1;
    let inds = &p.indicators;
    categories(b, first, inds);
    for (k, ind) in inds.iter().enumerate() {
        let rr = first + k as u32;
        b.text(rr, 3, 3, &indicator_name(p, ind)?, Style::Text);
        b.text(rr, 4, last, &ind.raw, Style::Text);
    }
    b.row = first + n;
    Ok(())
}

/// The 一级 (column B) and 二级 (column C) cells of an indicator table from row `first`,
/// merged over blocks of equal values.
fn categories(b: &mut Builder, first: u32, inds: &[Indicator]) {
    let mut k = 0usize;
    while k < inds.len() {
        let mut e = k;
        while e + 1 < inds.len() && inds[e + 1].level1 == inds[k].level1 {
            e += 1;
        }
        let v = Some(Value::Text(inds[k].level1.zh().to_string()));
        b.put(first + k as u32, 1, first + e as u32, 1, v, Style::Category);
        k = e + 1;
    }
    let mut k = 0usize;
    while k < inds.len() {
        let mut e = k;
        while e + 1 < inds.len()
            && inds[e + 1].level1 == inds[k].level1
            && inds[e + 1].level2 == inds[k].level2
        {
            e += 1;
        }
        let v = Some(Value::Text(inds[k].level2.zh().to_string()));
        b.put(first + k as u32, 2, first + e as u32, 2, v, Style::Category);
        k = e + 1;
    }
}

/// An amount cell, blank for none.
fn amount_put(b: &mut Builder, row: u32, col: u16, last_col: u16, d: Option<Decimal>) {
    match d {
        Some(d) => {
            let (v, s) = amount_value(d);
            b.put(row, col, row, last_col, Some(v), s);
        }
        None => b.put(row, col, row, last_col, None, Style::Amount(2)),
    }
}

/// 金额合计 of the tasks' 预算金额 (总额, 财政拨款, 其他资金): `None` when no task has one or a
/// sum does not fit (never a wrong sum).
fn task_sums(p: &Project) -> Option<[Decimal; 3]> {
    let mut sum = [Decimal::ZERO; 3];
    let mut any = false;
    for f in p.tasks.iter().filter_map(|t| t.funds) {
        any = true;
        for (x, y) in sum.iter_mut().zip([f.total, f.fiscal, f.other]) {
            *x = x.checked_add(y)?;
        }
    }
    any.then_some(sum)
}

/// The 部门整体支出绩效目标申报表 (columns A–G): 部门（单位）名称, 主管部门 (when known), 部门总体
/// 资金情况 (收入构成 财政拨款 / 上年结转资金 (when not 0) / 其他资金 / 合计 beside 支出构成
/// 基本支出 / 项目支出 / 合计), 部门职能概述, 年度主要任务 (任务名称 | 主要内容 | 预算金额 总额 /
/// 财政拨款 / 其他资金, then 金额合计), 中长期目标 (when stated), 年度绩效目标, and 年度绩效指标
/// (一级 | 二级 | 三级 | 指标值 | 是否核心指标). `docs/xlsx-layout.md` shows it cell by cell.
fn department(b: &mut Builder, p: &Project) -> Result<(), XlsxWriteError> {
    let last = DEPT_COLS - 1;
    let dt = p.department_targets.as_ref();
    let mut r = b.row;
    b.text(r, 0, last, "部门整体支出绩效目标申报表", Style::FormTitle);
    b.text(r + 1, 0, last, &format!("({}年度)", p.year), Style::Year);
    r += 2;
    b.text(r, 0, 0, "部门（单位）名称", Style::Label);
    b.text(r, 1, last, &p.unit, Style::Text);
    r += 1;
    if let Some(dep) = p.department.as_deref() {
        b.text(r, 0, 0, "主管部门", Style::Label);
        b.text(r, 1, last, dep, Style::Text);
        r += 1;
    }

    // 部门总体资金情况: 收入构成 in B–D, 支出构成 in E–G.
    let (income, spending) = p.department_money();
    let n = income.len() as u32;
    let label = Some(Value::Text("部门总体资金情况(元)".into()));
    b.put(r, 0, r + n - 1, 0, label, Style::Label);
    let v = Some(Value::Text("收入构成".into()));
    b.put(r, 1, r + n - 1, 1, v, Style::Label);
    let v = Some(Value::Text("支出构成".into()));
    b.put(r, 4, r + n - 1, 4, v, Style::Label);
    for (k, (l, d)) in income.iter().enumerate() {
        let rr = r + k as u32;
        b.text(rr, 2, 2, l, Style::Label);
        amount_put(b, rr, 3, 3, Some(*d));
        // 合计 on the last row of both sides; the rows between stay blank.
        let side = if k + 1 == income.len() {
            Some(spending[2])
        } else {
            spending.get(k).filter(|_| k < 2).copied()
        };
        match side {
            Some((l, d)) => {
                b.text(rr, 5, 5, l, Style::Label);
                amount_put(b, rr, 6, 6, d);
            }
            None => {
                b.put(rr, 5, rr, 5, None, Style::Label);
                b.put(rr, 6, rr, 6, None, Style::Amount(2));
            }
        }
    }
    r += n;

    let functions = dt.map_or("", |d| d.functions.as_str());
    b.text(r, 0, 0, "部门职能概述", Style::Label);
    b.text(r, 1, last, functions, Style::Body);
    r += 1;

    // 年度主要任务.
    let t = p.tasks.len() as u32;
    let v = Some(Value::Text("年度主要任务".into()));
    b.put(r, 0, r + t + 2, 0, v, Style::Label);
    b.put(
        r,
        1,
        r + 1,
        1,
        Some(Value::Text("任务名称".into())),
        Style::Label,
    );
    b.put(
        r,
        2,
        r + 1,
        3,
        Some(Value::Text("主要内容".into())),
        Style::Label,
    );
    b.text(r, 4, last, "预算金额(元)", Style::Label);
    b.text(r + 1, 4, 4, "总额", Style::Label);
    b.text(r + 1, 5, 5, "财政拨款", Style::Label);
    b.text(r + 1, 6, 6, "其他资金", Style::Label);
    r += 2;
    for task in &p.tasks {
        b.text(r, 1, 1, &task.title, Style::Text);
        b.text(r, 2, 3, &task.description, Style::Text);
        let f = task.funds;
        amount_put(b, r, 4, 4, f.map(|f| f.total));
        amount_put(b, r, 5, 5, f.map(|f| f.fiscal));
        amount_put(b, r, 6, 6, f.map(|f| f.other));
        r += 1;
    }
    b.text(r, 1, 3, "金额合计", Style::Label);
    let sums = task_sums(p);
    for k in 0..3u16 {
        amount_put(b, r, 4 + k, 4 + k, sums.map(|s| s[usize::from(k)]));
    }
    r += 1;

    if !p.overall_goal.trim().is_empty() {
        b.text(r, 0, 0, "中长期目标", Style::Label);
        b.text(r, 1, last, &p.overall_goal, Style::Body);
        r += 1;
    }
    b.text(r, 0, 0, "年度绩效目标", Style::Label);
    b.text(r, 1, last, &p.annual_goal, Style::Body);
    r += 1;

    // 年度绩效指标.
    let n = p.indicators.len() as u32;
    let v = Some(Value::Text("年度绩效指标".into()));
    b.put(r, 0, r + n, 0, v, Style::Label);
    b.text(r, 1, 1, "一级指标", Style::Label);
    b.text(r, 2, 2, "二级指标", Style::Label);
    b.text(r, 3, 3, "三级指标", Style::Label);
    b.text(r, 4, 5, "指标值", Style::Label);
    b.text(r, 6, 6, "是否核心指标", Style::Label);
    let first = r + 1;
    categories(b, first, &p.indicators);
    for (k, ind) in p.indicators.iter().enumerate() {
        let rr = first + k as u32;
        b.text(rr, 3, 3, &indicator_name(p, ind)?, Style::Text);
        b.text(rr, 4, 5, &ind.raw, Style::Text);
        let core = if ind.core { "是" } else { "否" };
        b.text(rr, 6, 6, core, Style::Category);
    }
    b.row = first + n;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Sizes.

/// Bounds of each column's width (A–G): labels, 一级/name, 二级, 三级, the two halves of 指标值,
/// and 是否核心指标 (a department-wide sheet only).
const WIDTH_BOUNDS: [(f64, f64); DEPT_COLS as usize] = [
    (8.0, 16.0),
    (10.0, 22.0),
    (10.0, 22.0),
    (16.0, 50.0),
    (10.0, 20.0),
    (10.0, 20.0),
    (10.0, 20.0),
];

fn shown_text(v: &Value, s: Style) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Date(d) => crate::xlsx_cells::shown_date(*d),
        Value::Number(f) => {
            let decimals = match s {
                Style::Amount(d) => d as usize,
                _ => 2,
            };
            // 9028372 shows as 9,028,372.00.
            let t = format!("{f:.decimals$}");
            let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
            let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            if frac.is_empty() {
                format!("{sign}{grouped}")
            } else {
                format!("{sign}{grouped}.{frac}")
            }
        }
    }
}

/// Column widths fitted to the text, within [`WIDTH_BOUNDS`].
fn column_widths(plan: &Plan) -> Vec<f64> {
    let cols = usize::from(plan.cols).min(WIDTH_BOUNDS.len());
    crate::xlsx_cells::column_widths(&plan.puts, &WIDTH_BOUNDS[..cols])
}

/// Row heights for rows whose wrapped text needs more than one line.
fn row_heights(plan: &Plan, widths: &[f64]) -> Vec<(u32, f64)> {
    crate::xlsx_cells::row_heights(&plan.puts, widths)
}

// ---------------------------------------------------------------------------------------------
// Rendering and the dump.

fn format_of(s: Style) -> Format {
    match s {
        Style::Title => base_format()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        Style::FormTitle => base_format()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
        Style::Year => base_format().set_align(FormatAlign::Center),
        Style::Label => boxed_format()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        Style::Category => boxed_format()
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        Style::Text => boxed_format().set_text_wrap(),
        Style::Body => boxed_format().set_align(FormatAlign::Top).set_text_wrap(),
        Style::Amount(d) => number_cell_format(&amount_format(d)),
        Style::Date => date_cell_format(),
    }
}

fn render(plan: &Plan) -> Result<Vec<u8>, XlsxWriteError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&plan.sheet)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    let widths = column_widths(plan);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (r, h) in row_heights(plan, &widths) {
        ws.set_row_height(r, h)?;
    }
    // Excel keeps at most 1,023 page breaks: later declarations just follow on.
    let breaks: Vec<u32> = plan.starts.iter().skip(1).take(1023).copied().collect();
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    for p in &plan.puts {
        write_put(ws, p, &format_of(p.style))?;
    }
    Ok(wb.save_to_buffer()?)
}

fn dump(plan: &Plan) -> String {
    let widths = column_widths(plan);
    let mut out = String::new();
    dump_header(&mut out, &plan.sheet, &widths, &row_heights(plan, &widths));
    let _ = writeln!(
        out,
        "declarations start at rows {}",
        plan.starts
            .iter()
            .map(|r| (r + 1).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    dump_puts(&mut out, &format!("{}!", plan.sheet), &plan.puts);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Form {
        let bytes = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
        crate::read_form("seed", bytes).unwrap().form
    }

    /// The canonical JSON without source lines (they differ between a text and an XLSX source).
    fn canonical(form: &Form) -> String {
        let mut f = form.clone();
        for p in &mut f.projects {
            for i in &mut p.indicators {
                i.line = None;
            }
        }
        crate::json::to_string(&f)
    }

    fn read_back(bytes: &[u8]) -> crate::Parsed {
        crate::read_form("x.xlsx", bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn task_prefixes_read_back_as_written() {
        assert_eq!(task_prefix(&[1, 2]), "1与2");
        assert_eq!(task_prefix(&[3, 4, 5, 6, 7]), "3-7");
        assert_eq!(task_prefix(&[1, 3, 4, 5, 9]), "1与3-5与9");
        assert_eq!(
            task_prefix(&[u32::MAX - 1, u32::MAX]),
            format!("{}与{}", u32::MAX - 1, u32::MAX)
        );
        for tasks in [
            vec![1, 2],
            vec![3, 4, 5, 6, 7],
            vec![1, 3, 4, 5, 9],
            vec![11],
        ] {
            let t = format!("{}. 预算执行率", task_prefix(&tasks));
            let r = jixiao_model::split_task_refs(&t).unwrap();
            assert_eq!((r.tasks, r.name), (tasks, "预算执行率"));
        }
    }

    #[test]
    fn a_name_that_would_read_other_references_is_refused() {
        let mut f = seed();
        f.projects[0].indicators[0].name = "5. 行驶公里数".into();
        let e = form_to_xlsx(&f).unwrap_err();
        assert!(
            matches!(&e, XlsxWriteError::TaskPrefix { read, .. } if read == &[5]),
            "{e:?}"
        );
        assert!(e.to_string().contains("行驶公里数"));
    }

    #[test]
    fn amounts_are_numbers_unless_a_double_cannot_hold_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            amount_value(d("9028372.00")),
            (Value::Number(9028372.0), Style::Amount(2))
        );
        assert_eq!(
            amount_value(d("0.125")),
            (Value::Number(0.125), Style::Amount(3))
        );
        // 17 significant digits: text, exactly as written.
        assert_eq!(
            amount_value(d("123456789012345.67")),
            (Value::Text("123456789012345.67".into()), Style::Text)
        );
    }

    #[test]
    fn dates_excel_cannot_hold_are_text() {
        let d = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap();
        assert_eq!(
            date_value(d),
            (Value::Text("1899-12-31".into()), Style::Text)
        );
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(date_value(d), (Value::Date(d), Style::Date));
    }

    /// Writes the plan after `edit`, reads it back.
    fn edited(form: &Form, edit: impl FnOnce(&mut Plan)) -> crate::Parsed {
        let mut p = plan(form).unwrap();
        edit(&mut p);
        read_back(&render(&p).unwrap())
    }

    #[test]
    fn the_seed_round_trips_and_reads_without_warnings() {
        let f = seed();
        let parsed = read_back(&form_to_xlsx(&f).unwrap());
        assert_eq!(canonical(&parsed.form), canonical(&f));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    }

    #[test]
    fn odd_values_round_trip_as_text() {
        let mut f = seed();
        let p = &mut f.projects[0];
        p.funds.total = "123456789012345.67".parse().unwrap();
        p.funds.other = "0.125".parse().unwrap();
        p.project_funds = Some(jixiao_model::ProjectFunds {
            total: "720000.00".parse().unwrap(),
            fiscal: "700000.00".parse().unwrap(),
            other: "20000.00".parse().unwrap(),
        });
        p.nature = None;
        p.department = None;
        p.tasks.push(jixiao_model::Task {
            no: 1,
            area: None,
            title: "购车".into(),
            description: String::new(),
            funds: None,
        });
        // A 二级 the model does not know, second in the 效益 block (its 一级 cell merged, blank).
        let ind = &mut p.indicators[4];
        assert_eq!(ind.name, "车辆使用管理办法");
        ind.level2 = jixiao_model::Level2::Other("绿色出行指标".into());
        p.assign_codes();
        let parsed = read_back(&form_to_xlsx(&f).unwrap());
        assert_eq!(canonical(&parsed.form), canonical(&f));
    }

    #[test]
    fn forms_without_projects_or_indicators_export_without_panic() {
        let empty = Form::new(Vec::new());
        assert!(!form_to_xlsx(&empty).unwrap().is_empty());
        let mut f = seed();
        f.projects[0].indicators.clear();
        f.projects[0].overall_goal.clear();
        let bytes = form_to_xlsx(&f).unwrap();
        // No indicators: the reader refuses the declaration, naming it.
        let e = crate::read_form("x.xlsx", &bytes).unwrap_err();
        assert!(e.to_string().contains("没有绩效指标"), "{e}");
    }

    #[test]
    fn merged_cells_split_read_the_same() {
        let f = seed();
        let parsed = edited(&f, |p| {
            for put in &mut p.puts {
                put.last_row = put.row;
                put.last_col = put.col;
            }
        });
        assert_eq!(canonical(&parsed.form), canonical(&f));
    }

    #[test]
    fn blank_rows_added_read_the_same() {
        let f = seed();
        // A blank row before every third row of the sheet (inside the header, the goals, the
        // indicator blocks; merged ranges grow over it).
        let parsed = edited(&f, |p| {
            let shift = |r: u32| r + r / 3;
            for put in &mut p.puts {
                put.row = shift(put.row);
                put.last_row = shift(put.last_row);
            }
        });
        assert_eq!(canonical(&parsed.form), canonical(&f));
    }

    #[test]
    fn numbers_and_dates_typed_as_text_read_the_same() {
        let f = seed();
        let parsed = edited(&f, |p| {
            for put in &mut p.puts {
                match &put.value {
                    Some(Value::Number(n)) => {
                        put.value = Some(Value::Text(format!("{n:.2}")));
                        put.style = Style::Text;
                    }
                    Some(Value::Date(d)) => {
                        put.value = Some(Value::Text(d.format("%Y-%m-%d").to_string()));
                        put.style = Style::Text;
                    }
                    _ => {}
                }
            }
        });
        assert_eq!(canonical(&parsed.form), canonical(&f));
    }

    #[test]
    fn a_changed_amount_arrives() {
        let f = seed();
        let parsed = edited(&f, |p| {
            for put in &mut p.puts {
                if put.value == Some(Value::Number(360000.0)) {
                    put.value = Some(Value::Text("350,000.00".into()));
                    break;
                }
            }
        });
        assert_eq!(parsed.form.projects[0].funds.total.to_string(), "350000.00");
        assert_eq!(
            parsed.form.projects[0].funds.fiscal.to_string(),
            "360000.00"
        );
    }

    #[test]
    fn errors_in_an_edited_workbook_name_sheet_and_cell() {
        let f = seed();
        let mut p = plan(&f).unwrap();
        for put in &mut p.puts {
            if put.value == Some(Value::Number(360000.0)) && put.col == 4 && put.row == 7 {
                put.value = Some(Value::Text("三十六万".into()));
            }
            if put.value == Some(Value::Text("≥15000.00(公里)".into())) {
                put.value = None;
            }
        }
        let e = crate::read_form("x.xlsx", &render(&p).unwrap()).unwrap_err();
        let errors: Vec<(u32, u32, &str, &str)> = e
            .errors()
            .map(|d| (d.line, d.column, d.zh.as_str(), d.en.as_str()))
            .collect();
        assert!(
            errors.iter().any(|(l, c, zh, en)| (*l, *c) == (8, 5)
                && zh.starts_with("汇总表!E8：")
                && zh.contains("三十六万")
                && en.starts_with("汇总表!E8: ")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|(l, c, zh, _)| (*l, *c) == (15, 4)
                && zh.starts_with("汇总表!D15：")
                && zh.contains("行驶公里数")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_guess_inside_a_cell_names_that_cell() {
        let f = seed();
        let parsed = edited(&f, |p| {
            for put in &mut p.puts {
                if put.value == Some(Value::Text("≥15000.00(公里)".into())) {
                    put.value = Some(Value::Text("≥15O00.00(公里)".into()));
                }
            }
        });
        // The raw text as written, the target read as 15000, and a warning at E15 (not at E15
        // plus the offset of the O, which would be another cell).
        let mut want = f.clone();
        want.projects[0].indicators[0].raw = "≥15O00.00(公里)".into();
        assert!(canonical(&parsed.form) == canonical(&want));
        let [w] = &parsed.diagnostics[..] else {
            panic!("{:?}", parsed.diagnostics)
        };
        assert_eq!((w.level, w.line, w.column), (crate::Level::Warning, 15, 5));
        assert!(
            w.zh.starts_with("汇总表!E15：") && w.zh.contains("≥15O00.00(公里)"),
            "{w:?}"
        );
    }

    #[test]
    fn a_sheet_name_with_spaces_is_quoted_in_messages() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("My form").unwrap();
        ws.write(0, 0, "项目名称").unwrap();
        let e = crate::read_form("x.xlsx", &wb.save_to_buffer().unwrap()).unwrap_err();
        let d = e.errors().next().unwrap();
        assert!(d.zh.starts_with("'My form'!A1："), "{d:?}");
    }

    // --- An independent reader and writer: Python's openpyxl. ---

    /// Runs `tests/xlsx/openpyxl_check.py` (see [`crate::xlsx_cells::testing::run_openpyxl`]).
    fn openpyxl(args: &[&str]) -> Option<String> {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/xlsx/openpyxl_check.py"
        );
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
        let out = crate::xlsx_cells::testing::run_openpyxl(script.as_ref(), &args)?;
        Some(String::from_utf8_lossy(&out).into())
    }

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("jixiao-xlsx-{}-{name}", std::process::id()))
    }

    #[test]
    fn openpyxl_sees_the_planned_cells_merges_and_formats() {
        let f = seed();
        let p = plan(&f).unwrap();
        let path = temp("seed.xlsx");
        std::fs::write(&path, render(&p).unwrap()).unwrap();
        let Some(json) = openpyxl(&["dump", path.to_str().unwrap()]) else {
            return;
        };
        let _ = std::fs::remove_file(&path);
        let seen: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(seen["sheets"], serde_json::json!(["汇总表"]));
        // Merged ranges exactly the multi-cell puts; every value where it was put, with its
        // type and number format; nothing else.
        let cells = crate::xlsx_cells::testing::assert_same_as_planned(
            "汇总表",
            &p.puts,
            &seen["merged"],
            &seen["cells"],
        );
        // The official layout's merged ranges, by address: titles, 项目资金(元), the 一级 产出
        // block of the first project (three 二级 of one row each) and 效益 (two).
        let seen_merged = seen["merged"].as_array().unwrap();
        for r in [
            "A1:F1", "A3:F3", "A4:F4", "A8:A11", "A14:A20", "B15:B17", "B18:B19", "E8:F8",
        ] {
            assert!(
                seen_merged.iter().any(|m| m == r),
                "{r} not merged: {seen_merged:?}"
            );
        }
        // The seed's dates, as dates in the date format; its amounts, as numbers.
        assert_eq!(cells["B7"]["t"], "d");
        assert_eq!(cells["B7"]["fmt"], DATE_FORMAT);
        // The seed's amounts, as numbers.
        assert_eq!(cells["E8"]["v"].as_f64(), Some(360000.0));
        // Widths: column D (三级 names) is the widest.
        let w = |c: &str| seen["widths"][c].as_f64().unwrap();
        assert!(w("D") > w("B") && w("D") >= 40.0, "{}", seen["widths"]);
    }

    #[test]
    fn an_openpyxl_edit_of_one_target_changes_that_indicator_only() {
        let f = seed();
        let p = plan(&f).unwrap();
        // The target cell of 行驶公里数 (first project).
        let name_put = p
            .puts
            .iter()
            .find(|x| x.value == Some(Value::Text("行驶公里数".into())))
            .unwrap();
        let at = crate::xlsx_cells::cell_name(name_put.row, 4);
        let src = temp("edit-in.xlsx");
        let dst = temp("edit-out.xlsx");
        std::fs::write(&src, render(&p).unwrap()).unwrap();
        let args = [
            "edit",
            src.to_str().unwrap(),
            dst.to_str().unwrap(),
            &at,
            "≥16000.00(公里)",
        ];
        if openpyxl(&args).is_none() {
            return;
        }
        let bytes = std::fs::read(&dst).unwrap();
        let _ = (std::fs::remove_file(&src), std::fs::remove_file(&dst));
        let got = read_back(&bytes);
        let mut want = f.clone();
        let ind = &mut want.projects[0].indicators[0];
        assert_eq!(ind.name, "行驶公里数");
        ind.raw = "≥16000.00(公里)".into();
        ind.target = jixiao_model::Target::parse("≥16000.00(公里)").unwrap();
        assert_ne!(canonical(&want), canonical(&f));
        assert_eq!(canonical(&got.form), canonical(&want));
    }

    #[test]
    fn an_openpyxl_unmerge_of_every_range_reads_the_same() {
        let f = seed();
        let src = temp("unmerge-in.xlsx");
        let dst = temp("unmerge-out.xlsx");
        std::fs::write(&src, form_to_xlsx(&f).unwrap()).unwrap();
        if openpyxl(&["unmerge", src.to_str().unwrap(), dst.to_str().unwrap()]).is_none() {
            return;
        }
        let bytes = std::fs::read(&dst).unwrap();
        let _ = (std::fs::remove_file(&src), std::fs::remove_file(&dst));
        assert_eq!(canonical(&read_back(&bytes).form), canonical(&f));
    }
}
