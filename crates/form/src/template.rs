//! Templates in data: the labels the recognizer looks for, one table per template family
//! (`crates/form/templates/*.toml`, described in `docs/templates.md`).
//!
//! Provinces print the same declaration with other labels (`项目支出名称` for `项目名称`,
//! `本年度绩效目标` for `年度总体目标`, `指标值及单位` for `年度(/项目)指标值`) and a few other
//! layouts (中期目标 beside 年度目标, a 项目期限 period instead of two dates, amounts in 万元).
//! The layouts are the recognizer's; the words are here, so a new template is a data change:
//! add a file to `templates/` and to [`TEMPLATES`].
//!
//! The files are embedded and parsed once ([`vocabulary`]) into one [`Vocabulary`]: every label,
//! normalised as the recognizer compares cells ([`jixiao_model::normalize_label`]), with its role
//! and the family it comes from. A label names one role only across all files (tested).

use std::collections::HashMap;
use std::sync::OnceLock;

use jixiao_model::normalize_label;
use serde::Deserialize;

/// The embedded template files, in order of precedence (the seed's first).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("shanghai.toml", include_str!("../templates/shanghai.toml")),
    ("hunan.toml", include_str!("../templates/hunan.toml")),
    (
        "anhui-guangdong.toml",
        include_str!("../templates/anhui-guangdong.toml"),
    ),
    ("central.toml", include_str!("../templates/central.toml")),
    (
        "department.toml",
        include_str!("../templates/department.toml"),
    ),
    ("sichuan.toml", include_str!("../templates/sichuan.toml")),
    (
        "department-self-eval.toml",
        include_str!("../templates/department-self-eval.toml"),
    ),
    (
        "guangdong.toml",
        include_str!("../templates/guangdong.toml"),
    ),
];

/// A header field of the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 项目名称.
    Name,
    /// 项目性质.
    Nature,
    /// 项目类别.
    Category,
    /// 主管部门.
    Department,
    /// 实施单位.
    Unit,
    /// 计划开始日期.
    Start,
    /// 计划完成日期.
    End,
    /// 项目期限 — start and end in one cell (`2023.07-2024.01`).
    Period,
    /// 年度资金申请总额.
    Total,
    /// 其中：当年财政拨款.
    Fiscal,
    /// 上年结转资金.
    Carryover,
    /// 其他资金 (annual or whole-period, told by its column).
    Other,
    /// 项目资金总额.
    ProjectTotal,
    /// 其中：财政资金 (whole period).
    ProjectFiscal,
}

impl Field {
    /// True for the fields that hold an amount.
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Field::Total
                | Field::Fiscal
                | Field::Carryover
                | Field::Other
                | Field::ProjectTotal
                | Field::ProjectFiscal
        )
    }
}

/// What a label means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A header field.
    Field(Field),
    /// The heading of the overall goal (项目总目标, 中期目标, 实施期绩效目标).
    OverallGoal,
    /// The heading of the annual goal (年度总体目标, 本年度绩效目标).
    AnnualGoal,
    /// 一级指标 in the indicator table's header.
    Level1Header,
    /// 三级指标 in the indicator table's header.
    Level3Header,
    /// The target column's header (年度(/项目)指标值, 指标值及单位).
    TargetHeader,
    /// A column of the indicator table the model does not hold (绩效标准, 中期指标值, 权重).
    ExtraColumn,
    /// The 中期 target column of a table that gives 中期 and 年度 indicators side by side,
    /// each with its own 二级/三级 columns (东莞's 批复表): that group is not read (the model
    /// holds the year's targets), said in a note.
    MidTermTarget,
    /// 指标性质 — the comparison of a target split over columns (`≥` | `95` | `%`).
    NatureHeader,
    /// 度量单位 / 计量单位 — the unit of a target split over columns.
    UnitHeader,
    /// A label that only heads a block (项目绩效目标, 绩效指标).
    Heading,
}

/// One template family's labels, as written in its file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    template: TemplateInfo,
    #[serde(default)]
    titles: Titles,
    #[serde(default)]
    fields: Fields,
    #[serde(default)]
    sections: Sections,
    #[serde(default)]
    goals: Goals,
    #[serde(default)]
    table: Table,
    /// The labels of a department-wide 申报表 (部门整体支出绩效目标申报表), looked up only
    /// inside such a form.
    #[serde(default)]
    department: Option<DepartmentLabels>,
    /// 一级 and 二级 labels of the family's layout, each as the category label it stands for
    /// (`预期产出指标` = `产出指标`).
    #[serde(default)]
    levels: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateInfo {
    family: String,
    zh: String,
    en: String,
    /// A family jixiao knows but does not read: the refusal, in Chinese and English.
    #[serde(default)]
    not_read_zh: Option<String>,
    #[serde(default)]
    not_read_en: Option<String>,
    /// The family's form names no 实施单位: its 预算部门 is the unit (said in a warning).
    #[serde(default)]
    unit_from_department: bool,
    /// The family's 申报表 prints no dates: a 年度 form's project runs that year (said in a
    /// warning).
    #[serde(default)]
    year_as_period: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Titles {
    #[serde(default)]
    declaration: Vec<String>,
    /// Text that names the family wherever it stands in a cell (a title), for a refusal.
    #[serde(default)]
    identify: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(default)]
    name: Vec<String>,
    #[serde(default)]
    nature: Vec<String>,
    #[serde(default)]
    category: Vec<String>,
    #[serde(default)]
    department: Vec<String>,
    #[serde(default)]
    unit: Vec<String>,
    #[serde(default)]
    start: Vec<String>,
    #[serde(default)]
    end: Vec<String>,
    #[serde(default)]
    period: Vec<String>,
    #[serde(default)]
    total: Vec<String>,
    #[serde(default)]
    fiscal: Vec<String>,
    #[serde(default)]
    carryover: Vec<String>,
    #[serde(default)]
    other: Vec<String>,
    #[serde(default)]
    project_total: Vec<String>,
    #[serde(default)]
    project_fiscal: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sections {
    #[serde(default)]
    funds: Vec<String>,
    #[serde(default)]
    headings: Vec<String>,
    /// Labels that mark the family and have no role in a declaration (部门职能概述).
    #[serde(default)]
    markers: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Goals {
    #[serde(default)]
    overall: Vec<String>,
    #[serde(default)]
    annual: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    level1: Vec<String>,
    #[serde(default)]
    level3: Vec<String>,
    #[serde(default)]
    target: Vec<String>,
    #[serde(default)]
    extra: Vec<String>,
    /// 指标性质: the target's comparison in a column of its own.
    #[serde(default)]
    nature: Vec<String>,
    /// 度量单位 / 计量单位: the target's unit in a column of its own.
    #[serde(default)]
    unit: Vec<String>,
    /// The 中期 target column beside the 年度 one (see [`Role::MidTermTarget`]).
    #[serde(default)]
    midterm: Vec<String>,
}

/// The labels of the department-wide 申报表 (`templates/department.toml`, `[department]`): each
/// list the alternatives of one label, normalised when loaded. Looked up by the department
/// reader only (`recognize/department.rs`), so they share no role with a project form's labels.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentLabels {
    /// Text a title cell contains (部门整体支出绩效目标申报表).
    pub titles: Vec<String>,
    /// Text that makes a title cell another form's (自评, 评价, 监控, 汇总).
    pub not_titles: Vec<String>,
    /// 部门（单位）名称.
    pub unit: Vec<String>,
    /// 主管部门.
    pub department: Vec<String>,
    /// 年度.
    pub year: Vec<String>,
    /// 部门总体资金情况 — the funds block's label (a prefix; `（万元）` in it: 万元).
    pub funds: Vec<String>,
    /// 收入构成.
    pub income: Vec<String>,
    /// 支出构成.
    pub spending: Vec<String>,
    /// 财政拨款 (收入构成).
    pub fiscal: Vec<String>,
    /// 其他资金 (收入构成).
    pub other: Vec<String>,
    /// 上年结转 (收入构成).
    pub carryover: Vec<String>,
    /// 合计 of 收入构成 or 支出构成.
    pub sum: Vec<String>,
    /// 基本支出.
    pub basic: Vec<String>,
    /// 项目支出.
    pub project: Vec<String>,
    /// The funds block's amount column (当年金额).
    pub amount: Vec<String>,
    /// 部门职能概述.
    pub functions: Vec<String>,
    /// 年度主要任务.
    pub tasks: Vec<String>,
    /// 任务名称.
    pub task_name: Vec<String>,
    /// 主要内容.
    pub task_content: Vec<String>,
    /// 预算金额 (a prefix: `预算金额（万元）`), over 总额 / 财政拨款 / 其他资金.
    pub task_budget: Vec<String>,
    /// 总额.
    pub task_total: Vec<String>,
    /// 财政拨款 (of a task).
    pub task_fiscal: Vec<String>,
    /// 其他资金 (of a task).
    pub task_other: Vec<String>,
    /// 金额合计 — the tasks' totals row.
    pub task_sum: Vec<String>,
    /// 年度绩效目标 / 年度总体目标.
    pub annual: Vec<String>,
    /// 中长期目标.
    pub overall: Vec<String>,
    /// 年度绩效指标 (the label beside the indicator table).
    pub indicators: Vec<String>,
    /// 是否核心指标 (a column of the indicator table).
    pub core: Vec<String>,
    /// The cells that mark an indicator as core (是).
    pub core_yes: Vec<String>,
    /// The cells that mark it as not core (否, blank).
    pub core_no: Vec<String>,
    /// Labels read past with the cell after them (填报人, 联系电话, 填报日期).
    pub ignore: Vec<String>,
    /// Text in a cell that puts the amounts after it in 万元 (`单位：万元`).
    pub unit_wan: Vec<String>,
    /// Text in a cell that puts the amounts after it in 元 (`金额单位：元`).
    pub unit_yuan: Vec<String>,
}

impl DepartmentLabels {
    fn normalized(mut self) -> DepartmentLabels {
        for list in [
            &mut self.titles,
            &mut self.not_titles,
            &mut self.unit,
            &mut self.department,
            &mut self.year,
            &mut self.funds,
            &mut self.income,
            &mut self.spending,
            &mut self.fiscal,
            &mut self.other,
            &mut self.carryover,
            &mut self.sum,
            &mut self.basic,
            &mut self.project,
            &mut self.amount,
            &mut self.functions,
            &mut self.tasks,
            &mut self.task_name,
            &mut self.task_content,
            &mut self.task_budget,
            &mut self.task_total,
            &mut self.task_fiscal,
            &mut self.task_other,
            &mut self.task_sum,
            &mut self.annual,
            &mut self.overall,
            &mut self.indicators,
            &mut self.core,
            &mut self.core_yes,
            &mut self.core_no,
            &mut self.ignore,
            &mut self.unit_wan,
            &mut self.unit_yuan,
        ] {
            for l in list.iter_mut() {
                *l = normalize_label(l);
            }
        }
        self
    }
}

/// A template family: its id and names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// The id (`shanghai`, `hunan`, `anhui-guangdong`).
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// For a family jixiao knows but does not read: the refusal (Chinese, English).
    pub not_read: Option<(String, String)>,
    /// The family's form names no 实施单位: its 预算部门 is read as the unit, with a warning.
    pub unit_from_department: bool,
    /// The family's 申报表 prints no dates: a 年度 form's project is read as running that year
    /// (1 January to 31 December), with a warning.
    pub year_as_period: bool,
}

/// The template family a grid that did not read is nearest to, for the refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nearest {
    /// Index into [`Vocabulary::families`].
    pub family: usize,
    /// The family's labels found, as printed in the grid, with line and column.
    pub found: Vec<(String, u32, u32)>,
    /// One label (the first the family's file gives) for each of its roles not found.
    pub missing: Vec<String>,
}

/// Every template's labels, merged.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// The families, in the order of [`TEMPLATES`]; index 0 is the seed's.
    pub families: Vec<Family>,
    labels: HashMap<String, (Role, usize)>,
    funds_prefixes: Vec<(String, usize)>,
    titles: Vec<(String, usize)>,
    /// Per family, its labels grouped by role (alternatives of one role together), normalised.
    groups: Vec<Vec<Vec<String>>>,
    identify: Vec<(String, usize)>,
    /// The department-wide 申报表's labels, with the family they come from.
    department: Option<(DepartmentLabels, usize)>,
    /// 一级/二级 labels of a layout and the category labels they stand for, normalised.
    levels: HashMap<String, String>,
}

/// A problem in a template file (found by the tests; the embedded files have none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl Vocabulary {
    /// Builds the vocabulary from template files (name, TOML text), in order of precedence.
    /// A label given two different roles is an error naming both files.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Vocabulary, TemplateError> {
        let mut v = Vocabulary::default();
        let mut origin: Vec<&str> = Vec::new();
        for (file, text) in files {
            let t: TemplateFile = toml::from_str(text).map_err(|e| TemplateError {
                file: file.to_string(),
                message: e.to_string(),
            })?;
            let fam = v.families.len();
            let not_read = match (t.template.not_read_zh, t.template.not_read_en) {
                (Some(zh), Some(en)) => Some((zh, en)),
                (None, None) => None,
                _ => {
                    return Err(TemplateError {
                        file: file.to_string(),
                        message: "not_read_zh and not_read_en go together".into(),
                    })
                }
            };
            v.families.push(Family {
                id: t.template.family,
                zh: t.template.zh,
                en: t.template.en,
                not_read,
                unit_from_department: t.template.unit_from_department,
                year_as_period: t.template.year_as_period,
            });
            origin.push(file);
            let f = &t.fields;
            let mut entries: Vec<(&Vec<String>, Role)> = vec![
                (&f.name, Role::Field(Field::Name)),
                (&f.nature, Role::Field(Field::Nature)),
                (&f.category, Role::Field(Field::Category)),
                (&f.department, Role::Field(Field::Department)),
                (&f.unit, Role::Field(Field::Unit)),
                (&f.start, Role::Field(Field::Start)),
                (&f.end, Role::Field(Field::End)),
                (&f.period, Role::Field(Field::Period)),
                (&f.total, Role::Field(Field::Total)),
                (&f.fiscal, Role::Field(Field::Fiscal)),
                (&f.carryover, Role::Field(Field::Carryover)),
                (&f.other, Role::Field(Field::Other)),
                (&f.project_total, Role::Field(Field::ProjectTotal)),
                (&f.project_fiscal, Role::Field(Field::ProjectFiscal)),
            ];
            entries.extend([
                (&t.goals.overall, Role::OverallGoal),
                (&t.goals.annual, Role::AnnualGoal),
                (&t.table.level1, Role::Level1Header),
                (&t.table.level3, Role::Level3Header),
                (&t.table.target, Role::TargetHeader),
                (&t.table.extra, Role::ExtraColumn),
                (&t.table.nature, Role::NatureHeader),
                (&t.table.unit, Role::UnitHeader),
                (&t.table.midterm, Role::MidTermTarget),
                (&t.sections.headings, Role::Heading),
            ]);
            let mut groups: Vec<Vec<String>> = entries
                .iter()
                .filter(|(l, r)| {
                    !l.is_empty() && !matches!(r, Role::ExtraColumn | Role::MidTermTarget)
                })
                .map(|(l, _)| l.iter().map(|x| normalize_label(x)).collect())
                .collect();
            groups.extend(t.sections.markers.iter().map(|m| vec![normalize_label(m)]));
            v.groups.push(groups);
            for p in &t.titles.identify {
                v.identify.push((normalize_label(p), fam));
            }
            for (labels, role) in entries {
                for label in labels {
                    let norm = normalize_label(label);
                    match v.labels.get(&norm) {
                        Some((r, other)) if *r != role => {
                            return Err(TemplateError {
                                file: file.to_string(),
                                message: format!(
                                    "label {label:?} is a {role:?} here and a {r:?} in {}",
                                    origin[*other]
                                ),
                            })
                        }
                        Some(_) => {}
                        None => {
                            v.labels.insert(norm, (role, fam));
                        }
                    }
                }
            }
            for p in &t.sections.funds {
                v.funds_prefixes.push((normalize_label(p), fam));
            }
            for p in &t.titles.declaration {
                v.titles.push((normalize_label(p), fam));
            }
            if let Some(d) = t.department {
                if v.department.is_some() {
                    return Err(TemplateError {
                        file: file.to_string(),
                        message: "a second [department] table: one family holds the department-wide form's labels".into(),
                    });
                }
                v.department = Some((d.normalized(), fam));
            }
            for (label, category) in &t.levels {
                let known = jixiao_model::Level1::from_label(category).is_some()
                    || jixiao_model::Level2::from_label(category).is_some();
                if !known {
                    return Err(TemplateError {
                        file: file.to_string(),
                        message: format!(
                            "level label {label:?} stands for {category:?}, which is no 一级 or 二级 category"
                        ),
                    });
                }
                v.levels
                    .insert(normalize_label(label), normalize_label(category));
            }
        }
        Ok(v)
    }

    /// The department-wide 申报表's labels and their family, when a template file gives them.
    pub fn department(&self) -> Option<(&DepartmentLabels, usize)> {
        self.department.as_ref().map(|(d, f)| (d, *f))
    }

    /// The title cell of a department-wide 申报表 (部门整体支出绩效目标申报表) among the first 60
    /// rows: its line and column. A cell naming a self-evaluation, evaluation, monitoring table or
    /// summary (自评, 评价, 监控, 汇总) is not one.
    pub fn department_title(&self, rows: &[crate::grid::Row]) -> Option<(u32, u32)> {
        let (labels, _) = self.department()?;
        for row in rows.iter().filter(|r| !r.is_blank()).take(60) {
            for (_, c) in row.filled() {
                if c.text.len() > 16 * 1024 {
                    continue;
                }
                let norm = normalize_label(&c.text);
                if labels.titles.iter().any(|t| norm.contains(t.as_str()))
                    && !labels.not_titles.iter().any(|t| norm.contains(t.as_str()))
                {
                    return Some((row.line, c.column));
                }
            }
        }
        None
    }

    /// The category label a layout's 一级/二级 label stands for (`预期产出指标` → `产出指标`),
    /// from the templates' `[levels]`; `None` for any other text.
    pub fn level_alias(&self, norm: &str) -> Option<&str> {
        self.levels.get(norm).map(String::as_str)
    }

    /// The refusal of a grid that holds a family jixiao knows but does not read (a 部门整体
    /// self-evaluation): a cell among the first 60 rows containing one of the family's
    /// `identify` texts, in a grid that is no department-wide 申报表 (that one is read). When no
    /// cell of the grid names an indicator (指标), the form's table is not in it at all: the
    /// refusal stands at the last line (where the text is cut) and says so too.
    pub fn not_read_refusal(&self, rows: &[crate::grid::Row]) -> Option<crate::diag::Diagnostic> {
        if self.department_title(rows).is_some() {
            return None;
        }
        let d = self.identify_not_read(rows)?;
        let no_table = !rows
            .iter()
            .flat_map(|r| r.filled())
            .any(|(_, c)| normalize_label(&c.text).contains("指标"));
        let last = rows.iter().rev().find(|r| !r.is_blank());
        match last {
            Some(last) if no_table && last.line > d.line => {
                let col = last.filled().last().map_or(1, |(_, c)| c.column);
                Some(crate::diag::Diagnostic::error(
                    last.line,
                    col,
                    format!(
                        "{}；且文本在第 {} 行中断，其指标表不在文件中（文件不完整）",
                        d.zh, last.line
                    ),
                    format!(
                        "{}; and the text stops at line {}, before its indicator table (the file is cut)",
                        d.en, last.line
                    ),
                ))
            }
            _ => Some(d),
        }
    }

    fn identify_not_read(&self, rows: &[crate::grid::Row]) -> Option<crate::diag::Diagnostic> {
        for row in rows.iter().filter(|r| !r.is_blank()).take(60) {
            for (_, c) in row.filled() {
                if c.text.len() > 16 * 1024 {
                    continue;
                }
                let norm = normalize_label(&c.text);
                for (id, fam) in &self.identify {
                    let Some((zh, en)) = &self.families[*fam].not_read else {
                        continue;
                    };
                    if norm.contains(id.as_str()) {
                        return Some(crate::diag::Diagnostic::error(
                            row.line,
                            c.column,
                            format!("{zh}（第 {} 行写有「{id}」）", row.line),
                            format!("{en} (line {} reads {id:?})", row.line),
                        ));
                    }
                }
            }
        }
        None
    }

    /// True when a diagnostic is a [`Vocabulary::not_read_refusal`].
    pub fn is_not_read_refusal(&self, d: &crate::diag::Diagnostic) -> bool {
        self.families
            .iter()
            .filter_map(|f| f.not_read.as_ref())
            .any(|(zh, _)| d.zh.starts_with(zh.as_str()))
    }

    /// The family whose labels a grid holds most of (cells compared whole, as labels), with
    /// what was found and what is missing; `None` when no family's label is there.
    pub fn nearest(&self, rows: &[crate::grid::Row]) -> Option<Nearest> {
        let cells: Vec<(String, String, u32, u32)> = rows
            .iter()
            .filter(|r| !r.is_blank())
            .take(200)
            .flat_map(|r| {
                r.filled()
                    .filter(|(_, c)| c.text.len() <= 64)
                    .map(move |(_, c)| {
                        (
                            normalize_label(&c.text),
                            c.text.trim().to_string(),
                            r.line,
                            c.column,
                        )
                    })
            })
            .collect();
        let mut best: Option<Nearest> = None;
        for (fam, groups) in self.groups.iter().enumerate() {
            let mut found = Vec::new();
            let mut missing = Vec::new();
            for g in groups {
                match cells.iter().find(|(n, _, _, _)| g.contains(n)) {
                    Some((_, t, l, c)) => found.push((t.clone(), *l, *c)),
                    None => missing.push(g[0].clone()),
                }
            }
            if !found.is_empty() && best.as_ref().is_none_or(|b| found.len() > b.found.len()) {
                best = Some(Nearest {
                    family: fam,
                    found,
                    missing,
                });
            }
        }
        best
    }

    /// The labels that only a form holds (项目名称, 主管部门, 实施单位, 一级指标, 三级指标,
    /// 指标值 …), normalised, longest first: what tells a form's text that lost its table.
    pub fn anchor_labels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .labels
            .iter()
            .filter(|(k, (role, _))| {
                k.chars().count() >= 3
                    && matches!(
                        role,
                        Role::Field(Field::Name | Field::Department | Field::Unit)
                            | Role::Level1Header
                            | Role::Level3Header
                            | Role::TargetHeader
                    )
            })
            .map(|(k, _)| k.as_str())
            .collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        out
    }

    /// The role of a normalised label, with the family index it comes from.
    pub fn role(&self, norm: &str) -> Option<(Role, usize)> {
        self.labels.get(norm).copied()
    }

    /// The header field a normalised label names, with its amount unit: `年度本级预算金额(万元)`
    /// is [`Field::Total`] in 万元 (multiplier 10000); `(元)` is 元. Returns the family too.
    pub fn field(&self, norm: &str) -> Option<(Field, Option<Unit>, usize)> {
        if let Some((Role::Field(f), fam)) = self.role(norm) {
            return Some((f, None, fam));
        }
        for (suffix, unit) in [("(万元)", Unit::TenThousand), ("(元)", Unit::Yuan)] {
            if let Some(base) = norm.strip_suffix(suffix) {
                if let Some((Role::Field(f), fam)) = self.role(base) {
                    if f.is_amount() {
                        return Some((f, Some(unit), fam));
                    }
                }
            }
        }
        None
    }

    /// A funds block label (`项目资金（元）`, `资金情况（万元）`), with its family.
    pub fn funds_block(&self, norm: &str) -> Option<usize> {
        self.funds_prefixes
            .iter()
            .find(|(p, _)| norm.starts_with(p.as_str()))
            .map(|(_, fam)| *fam)
    }

    /// A declaration's title (`财政项目支出绩效目标申报表`), never a summary's (汇总).
    pub fn is_declaration_title(&self, norm: &str) -> Option<usize> {
        if norm.contains("汇总") {
            return None;
        }
        self.titles
            .iter()
            .find(|(t, _)| norm.contains(t.as_str()))
            .map(|(_, fam)| *fam)
    }
}

/// The unit an amount label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 元.
    Yuan,
    /// 万元 (× 10,000).
    TenThousand,
}

/// The vocabulary of the embedded templates, parsed on first use.
pub fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        // The embedded files are checked by `embedded_templates_load`; should one ever fail,
        // the recognizer works with the labels that loaded before it rather than panic.
        Vocabulary::from_files(TEMPLATES).unwrap_or_else(|_| {
            let mut good = Vocabulary::default();
            for n in 1..=TEMPLATES.len() {
                match Vocabulary::from_files(&TEMPLATES[..n]) {
                    Ok(v) => good = v,
                    Err(_) => break,
                }
            }
            good
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_load() {
        let v = Vocabulary::from_files(TEMPLATES).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = v.families.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "shanghai",
                "hunan",
                "anhui-guangdong",
                "central",
                "department",
                "sichuan",
                "department-self-eval",
                "guangdong"
            ]
        );
        assert!(v.families[4].not_read.is_none());
        assert!(v.families[6].not_read.is_some());
        let (d, fam) = v.department().unwrap();
        assert_eq!(fam, 4);
        assert!(d.unit.contains(&"部门(单位)名称".to_string()));
        assert_eq!(
            v.field("项目支出名称").map(|f| (f.0, f.2)),
            Some((Field::Name, 1))
        );
        assert_eq!(
            v.field("年度本级预算金额(万元)").map(|f| (f.0, f.1)),
            Some((Field::Total, Some(Unit::TenThousand)))
        );
        assert_eq!(v.field("项目名称(万元)"), None);
        assert_eq!(v.role("指标值及单位"), Some((Role::TargetHeader, 1)));
        assert!(v
            .is_declaration_title("财政项目支出绩效目标申报表")
            .is_some());
        assert!(v.is_declaration_title("某中心项目绩效目标汇总表").is_none());
    }

    fn grid(text: &str) -> Vec<crate::grid::Row> {
        crate::grid::Grid::from_tsv(text).rows
    }

    #[test]
    fn the_nearest_family_is_named_with_what_it_lacks() {
        let v = vocabulary();
        // The central 申报表's labels without its indicator table.
        let rows =
            grid("项目名称\t某项目\n主管部门及代码\t某部 101\n实施单位\t某中心\n总体目标\t完成");
        let near = v.nearest(&rows).unwrap();
        assert_eq!(v.families[near.family].id, "central");
        assert!(near
            .found
            .iter()
            .any(|(t, l, _)| t == "主管部门及代码" && *l == 2));
        assert!(near.missing.contains(&"一级指标".to_string()), "{near:?}");
        assert!(
            !near.missing.iter().any(|m| m.contains("计划开始")),
            "{near:?}"
        );
        assert!(v.not_read_refusal(&rows).is_none());
        // A department-wide 申报表 is read (its title found), never refused as not read.
        let rows = grid("附件2：\n部门整体支出绩效目标申报表\n部门（单位）名称\t某局");
        assert_eq!(v.department_title(&rows), Some((2, 1)));
        assert!(v.not_read_refusal(&rows).is_none());
        // Its self-evaluation is told as such, not as an unknown template.
        let rows = grid("部门整体支出绩效自评表\n部门（单位）名称\t某局\n三级指标\t指标值");
        assert_eq!(v.department_title(&rows), None);
        let d = v.not_read_refusal(&rows).unwrap();
        assert_eq!(d.line, 1);
        assert!(d.zh.contains("尚不读取部门整体的自评"), "{}", d.zh);
        assert!(v.is_not_read_refusal(&d));
        // Without any indicator in it, the text is cut before its table: said at its last line.
        let rows = grid(
            "岳阳市2018年度部门整体支出\n绩效评价自评报告\n\n职能职责概述\t负责…\n二、部门(单位",
        );
        let d = v.not_read_refusal(&rows).unwrap();
        assert_eq!((d.line, d.column), (5, 1));
        assert!(d.zh.contains("第 5 行中断"), "{}", d.zh);
        assert!(v.is_not_read_refusal(&d));
    }

    #[test]
    fn a_label_with_two_roles_is_refused() {
        let a = "[template]\nfamily='a'\nzh='甲'\nen='A'\n[fields]\nname=['项目名称']\n";
        let b = "[template]\nfamily='b'\nzh='乙'\nen='B'\n[goals]\nannual=['项目 名称']\n";
        let e = Vocabulary::from_files(&[("a.toml", a), ("b.toml", b)]).unwrap_err();
        assert_eq!(e.file, "b.toml");
        assert!(e.message.contains("a.toml"), "{e}");
        // The same label for the same role in two families is fine.
        let c = "[template]\nfamily='c'\nzh='丙'\nen='C'\n[fields]\nname=['项目名称']\n";
        assert!(Vocabulary::from_files(&[("a.toml", a), ("c.toml", c)]).is_ok());
        // An unknown key is an error, not ignored.
        let d = "[template]\nfamily='d'\nzh='丁'\nen='D'\n[fields]\nnmae=['x']\n";
        assert!(Vocabulary::from_files(&[("d.toml", d)]).is_err());
    }
}
