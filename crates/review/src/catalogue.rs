//! 规则目录 — every rule this crate knows: id, what it checks, why, and the document behind it.
//!
//! `docs/rules.md` is generated from [`RULES`] and the built-in policies by [`rules_markdown`];
//! a test fails when the file is stale.

use jixiao_model::Severity;

use crate::policy::Policy;

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id (`funds.sum`), used in findings, policies and docs.
    pub id: &'static str,
    /// Short title in Chinese.
    pub title_zh: &'static str,
    /// Short title in English.
    pub title_en: &'static str,
    /// What is checked (Chinese, then English).
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// The document (or practice) behind it; `[O]` official text seen, `[S]` secondary source,
    /// `[V]` a deployed system's configurable behaviour, `[U]` unconfirmed, `[P]` review practice.
    pub source: &'static str,
}

const APPLICATION_FORM: &str =
    "[O] 财政项目支出绩效目标申报表（表样，见种子表）：年度资金申请总额、当年财政拨款、上年结转资金、其他资金，计划开始/完成日期";
const TARGET_MEASURES: &str =
    "[U] “细化、量化、可衡量”“定量为主、定性为辅”（通常引自《中央部门预算绩效目标管理办法》、财预〔2021〕101号，原文未核）；[V] 定量指标含方向、数值、单位";
const FRAMEWORK: &str =
    "[O] 财预〔2021〕101号（一级 产出、成本、效益、满意度）；[S] 二级指标名称（数量、质量、时效…）";
const DEPARTMENT_FORM: &str =
    "[S] 部门整体支出绩效目标申报表（表样见各地公开件，如湖北广水 2021）：部门职能概述、部门总体资金情况（收入构成、支出构成：基本支出、项目支出）、年度主要任务及预算金额";
const SCORING: &str =
    "[V] 财预〔2020〕10号 的自评计分方式（各地系统的做法）：正向指标 实际值÷目标值×分值";

/// The rule catalogue, in the order of `docs/rules.md`.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: "funds.sum",
        title_zh: "年度资金合计不符",
        title_en: "annual funds do not add up",
        what: "年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金（允许误差见政策 `funds.tolerance`）。 / The requested total must equal fiscal + carry-over + other.",
        why: "总额与来源不一致时，批复的预算与目标无法对应。",
        source: APPLICATION_FORM,
    },
    RuleInfo {
        id: "funds.negative",
        title_zh: "金额为负数",
        title_en: "negative amount",
        what: "年度资金与项目资金的各项金额不得为负。 / No amount of the annual or whole-period funds is negative.",
        why: "负数金额无意义，多为填报错误。",
        source: APPLICATION_FORM,
    },
    RuleInfo {
        id: "funds.project-sum",
        title_zh: "项目资金合计不符",
        title_en: "whole-period funds do not add up",
        what: "项目资金总额 = 其中：财政资金 + 其他资金。 / The whole-period total must equal fiscal + other.",
        why: "多年期项目的资金总额应与其来源一致。",
        source: APPLICATION_FORM,
    },
    RuleInfo {
        id: "funds.annual-exceeds-project",
        title_zh: "年度资金超过项目资金总额",
        title_en: "annual funds exceed the whole-period total",
        what: "年度资金申请总额不得大于项目资金总额（后者填写时）。 / This year's total may not exceed the whole-period total, when given.",
        why: "一个年度的资金是项目总资金的一部分。",
        source: APPLICATION_FORM,
    },
    RuleInfo {
        id: "dates.order",
        title_zh: "开始日期晚于完成日期",
        title_en: "start after end",
        what: "计划开始日期 ≤ 计划完成日期。 / The planned start is not after the planned end.",
        why: "实施期倒置时，时效指标与监控进度均无法计算。",
        source: APPLICATION_FORM,
    },
    RuleInfo {
        id: "dates.year",
        title_zh: "实施期不含申报年度",
        title_en: "period misses the budget year",
        what: "项目实施期应覆盖申报年度。 / The project period overlaps the budget year of the form.",
        why: "年度目标只能在实施期内完成。",
        source: APPLICATION_FORM,
    },
    RuleInfo {
        id: "dates.deadline-outside-period",
        title_zh: "时限目标超出实施期",
        title_en: "deadline outside the project period",
        what: "日期型指标值（如 2024年12月31日前完成）应落在计划开始与完成日期之间（宽限天数见 `dates.grace_days`）。 / Every dated target falls inside the project period.",
        why: "超出实施期的时限在年末自评时无法判定是否达成。",
        source: "[P] 审核实务：年末自评按实施期判定时限是否达成",
    },
    RuleInfo {
        id: "structure.missing-level1",
        title_zh: "缺少一级指标",
        title_en: "missing first-level category",
        what: "项目应设置政策 `structure.required_level1` 所列的一级指标（默认 产出、效益、满意度）。 / The project has the required first-level categories.",
        why: "一级指标构成自评计分的框架（产出 50、效益 30、满意度 10 分）。",
        source: FRAMEWORK,
    },
    RuleInfo {
        id: "structure.missing-output-level2",
        title_zh: "产出指标缺少二级指标",
        title_en: "output lacks a second-level category",
        what: "产出指标下应有政策 `structure.required_output_level2` 所列二级指标（默认 数量、质量、时效）。 / Output has quantity, quality and timeliness indicators.",
        why: "产出须从数量、质量、时效三方面衡量。",
        source: FRAMEWORK,
    },
    RuleInfo {
        id: "structure.missing-cost",
        title_zh: "未设置成本指标",
        title_en: "no cost indicator",
        what: "项目应设置成本指标（一级 成本指标，或旧表样中产出下的 成本指标）。 / The project has a cost indicator (either layout).",
        why: "上海 2025 年指引要求原则上每个项目设置成本指标（经济成本、社会成本、生态环境成本）。",
        source: "[O] 《上海市市级部门项目支出核心绩效目标和指标设置及取值指引（试行）》（2025）；财预〔2021〕101号（成本为一级指标）",
    },
    RuleInfo {
        id: "structure.level-mismatch",
        title_zh: "二级指标归属错误",
        title_en: "second-level category under the wrong first level",
        what: "二级指标应位于其所属一级之下（如 数量 属 产出，经济成本 属 成本，生态效益 属 效益）。 / A second-level category sits under its own first level.",
        why: "归属错误会使分值计入错误的一级指标。",
        source: FRAMEWORK,
    },
    RuleInfo {
        id: "structure.unknown-level2",
        title_zh: "非标准二级指标",
        title_en: "non-standard second-level category",
        what: "二级指标名称不在标准框架内。 / The second-level category is not one of the standard ones.",
        why: "非标准分类难以汇总与比较，请确认是否为本地框架允许的分类。",
        source: FRAMEWORK,
    },
    RuleInfo {
        id: "measurability.no-unit",
        title_zh: "定量指标缺少计量单位",
        title_en: "quantitative target without unit",
        what: "定量指标值应有方向、数值和计量单位（如 ≥15000(公里)）。 / A quantitative target has an operator, a number and a unit.",
        why: "没有单位的数值无法与实际完成值比较。",
        source: TARGET_MEASURES,
    },
    RuleInfo {
        id: "measurability.quantity-not-numeric",
        title_zh: "数量指标未量化",
        title_en: "quantity indicator without a number",
        what: "数量指标的指标值应为数值。 / A quantity indicator's target is a number.",
        why: "数量指标按 实际值÷目标值 计分，文字目标无法计分。",
        source: TARGET_MEASURES,
    },
    RuleInfo {
        id: "measurability.vague-target",
        title_zh: "指标值表述模糊",
        title_en: "vague target",
        what: "定性指标值为政策 `measurability.vague_words` 中的空泛词（提升、有效、良好、低油耗…），或为含这些词的短语（不超过 `vague_max_chars` 字）。 / A qualitative target is only a vague word.",
        why: "“提升”“有效”等无法判断是否达成，应量化或写明评判标准。",
        source: TARGET_MEASURES,
    },
    RuleInfo {
        id: "measurability.timeliness-undated",
        title_zh: "时效指标无时限",
        title_en: "timeliness without a deadline",
        what: "时效指标的指标值应为日期、期限或及时率（如 2024年11月30日前完成、≥95%），而非“及时”“按时完成”。 / A timeliness target names a date, a time limit or a rate.",
        why: "没有时限的时效目标无法判定是否按时。",
        source: TARGET_MEASURES,
    },
    RuleInfo {
        id: "measurability.satisfaction-not-percent",
        title_zh: "满意度指标不是百分比",
        title_en: "satisfaction target not a percentage",
        what: "满意度指标值应为百分比（如 ≥90%），而非“满意”。 / A satisfaction target is a percentage such as ≥90%.",
        why: "满意度通过问卷调查取得比例，按比例计分。",
        source: "[V] 满意度按调查比例计分（各地系统做法）；建议值见政策 `measurability.satisfaction_percent`",
    },
    RuleInfo {
        id: "measurability.no-operator",
        title_zh: "定量指标值未写方向",
        title_en: "number without a direction",
        what: "定量指标值只写数值和单位（如 985米），未写 ≥、≤、= 或“以上”“以内”：读作“=”，但表上没有这样写。 / A quantitative target is a bare number (985米) with no ≥, ≤, = or 以上/以内.",
        why: "方向决定自评计分方式（正向、反向、等于）；只写数值时，完成 990 米是超额还是偏离无法判定。",
        source: "[V] 定量指标含方向（正向 ≥ >、反向 ≤ <、或 =）、数值、单位；[P] 部门审核实务（普陀区 2026 年申报表 兰溪路-真南路下立交工程 的审核意见，issue 20）",
    },
    RuleInfo {
        id: "measurability.bare-direction",
        title_zh: "指标值只有方向",
        title_en: "only a direction",
        what: "定性指标值只是方向词（政策 `measurability.direction_words`：减少、降低、下降…），或以其结尾、不含数字的短语（不超过 `vague_max_chars` 字）。 / A target is only a direction word such as 减少.",
        why: "“减少”没有幅度和基准：减少多少、与哪一年相比都未说明，年末无法判定是否达成。",
        source: TARGET_MEASURES,
    },
    RuleInfo {
        id: "measurability.cost-qualitative",
        title_zh: "成本指标未量化",
        title_en: "cost target not quantified",
        what: "政策 `measurability.quantified_cost_level2` 所列二级成本指标（默认 经济成本、产出下的成本指标）的指标值为定性表述（如 可控）。 / An economic cost target is qualitative (可控).",
        why: "经济成本应为总成本、单位成本或分项成本的上限，才能与实际支出比较、计算单位产出成本。",
        source: "[O] 《上海市市级部门项目支出核心绩效目标和指标设置及取值指引（试行）》（2025）：经济成本分为总成本、单位成本、分项成本，可参考公共服务标准、成本定额或支出标准取值",
    },
    RuleInfo {
        id: "consistency.rate-not-percent",
        title_zh: "“率”类指标不是百分比",
        title_en: "rate indicator not a percentage",
        what: "名称以 `consistency.rate_suffixes`（默认“率”）结尾的指标，指标值应为百分比（例外见 `rate_exceptions`）。 / A name ending in 率 wants a percentage target.",
        why: "名称与指标值口径不一致，自评时无法计算。",
        source: "[P] 审核实务",
    },
    RuleInfo {
        id: "consistency.percent-over-max",
        title_zh: "百分比超过上限",
        title_en: "percentage above the maximum",
        what: "百分比指标值超过 `consistency.percent_max`（默认 100%），名称含增长率等除外。 / A percentage target above 100 is flagged.",
        why: "比率类指标一般不超过 100%，多为单位或数值填写错误。",
        source: "[P] 审核实务",
    },
    RuleInfo {
        id: "consistency.zero-upward",
        title_zh: "正向指标目标值为 0",
        title_en: "upward target of zero",
        what: "方向为 ≥ 或 > 的指标值不得为 0。 / A ≥ or > target of 0.",
        why: "正向指标按 实际值÷目标值 计分，目标值为 0 时无法计分；“无事故”类目标应写作 =0 或 ≤0。",
        source: SCORING,
    },
    RuleInfo {
        id: "consistency.unit-mismatch",
        title_zh: "计量单位与名称不符",
        title_en: "unit contradicts the name",
        what: "名称以 `consistency.units[].name_ends_with` 结尾（如 报告），计量单位却不在对应的 `units` 中（如 家）。 / The unit contradicts what the name counts.",
        why: "单位与名称矛盾时，不清楚计量的是什么。",
        source: "[P] 审核实务（保守规则，可在政策中配置）",
    },
    RuleInfo {
        id: "duplicates.indicator-name",
        title_zh: "三级指标重复",
        title_en: "duplicate indicator name",
        what: "同一项目中三级指标名称重复（忽略空白与全半角）。 / The same third-level name appears twice in a project.",
        why: "重复指标使同一内容重复计分，或使两个不同内容无法区分。",
        source: "[P] 审核实务：指标不交叉重复",
    },
    RuleInfo {
        id: "coverage.task-without-output",
        title_zh: "子任务缺少产出指标",
        title_en: "sub-task without output indicator",
        what: "每个编号子任务至少有一个引用它的产出指标（数量、质量或时效）。 / Every numbered sub-task has an output indicator.",
        why: "没有产出指标的子任务，其资金与工作无法衡量。",
        source: "[P] 审核实务：每项工作内容都应有产出衡量",
    },
    RuleInfo {
        id: "coverage.unknown-task",
        title_zh: "引用的子任务不存在",
        title_en: "reference to a missing sub-task",
        what: "指标名称前引用的子任务编号（如 3-7.）须在项目子任务中存在。 / Every sub-task an indicator references exists.",
        why: "引用不存在的子任务说明编号有误。",
        source: "[P] 审核实务",
    },
    RuleInfo {
        id: "execution-rate.as-indicator",
        title_zh: "预算执行率作为绩效指标",
        title_en: "budget execution rate used as an indicator",
        what: "三级指标名称含 `execution_rate.names`（如 预算执行率）。 / The budget execution rate is listed as an indicator.",
        why: "预算执行率在自评中单独计分（10 分），列为指标会重复计分。",
        source: "[S] 财预〔2020〕10号 自评权重：预算执行率单独计 10 分（二手来源）",
    },
    RuleInfo {
        id: "department.task-sum",
        title_zh: "任务预算金额合计不符",
        title_en: "a task's budget does not add up",
        what: "每项任务的预算金额总额 = 财政拨款 + 其他资金。 / Each task's budget equals fiscal + other.",
        why: "任务的预算金额与来源不一致时，无法确定各项任务的资金。",
        source: DEPARTMENT_FORM,
    },
    RuleInfo {
        id: "department.tasks-total",
        title_zh: "任务预算之和与年度资金不符",
        title_en: "the tasks' budgets do not add up to the year's total",
        what: "填写预算金额的各项任务，其总额之和 = 年度资金总额（金额合计）。 / The tasks' budgets add up to the year's total.",
        why: "年度主要任务应覆盖部门（项目）的全部资金，合计不符说明漏列任务或金额有误。",
        source: DEPARTMENT_FORM,
    },
    RuleInfo {
        id: "department.spending-sum",
        title_zh: "支出构成合计不符",
        title_en: "basic and project spending do not add up",
        what: "部门整体：基本支出 + 项目支出 = 年度资金总额。 / Department-wide: basic + project spending equals the year's total.",
        why: "部门总体资金情况的收入与支出应当相等。",
        source: DEPARTMENT_FORM,
    },
    RuleInfo {
        id: "department.no-functions",
        title_zh: "未填写部门职能概述",
        title_en: "department functions not stated",
        what: "部门整体：部门职能概述不为空。 / Department-wide: the functions are stated.",
        why: "部门整体绩效目标应与部门职能对应，无职能概述无法审核目标的相关性。",
        source: DEPARTMENT_FORM,
    },
    RuleInfo {
        id: "department.task-without-budget",
        title_zh: "年度主要任务未填预算",
        title_en: "main task without a budget",
        what: "部门整体：每项年度主要任务填写预算金额。 / Department-wide: every main task has a budget.",
        why: "表样要求按任务填写预算金额，资金与任务方能对应。",
        source: DEPARTMENT_FORM,
    },
    RuleInfo {
        id: "department.no-core",
        title_zh: "未标注核心指标",
        title_en: "no core indicator",
        what: "部门整体：至少一项绩效指标标为核心指标。 / Department-wide: at least one indicator is marked as core.",
        why: "核心指标反映部门履职的主要成效，是自评和结果应用的重点。",
        source: "[U] 财预〔2021〕101号 核心绩效指标（原文未核）；[V] 各地部门整体绩效自评表“是否核心指标”列（如重庆）",
    },
    RuleInfo {
        id: "history.target-below-last-actual",
        title_zh: "目标值低于上年实际",
        title_en: "target below last year's actual",
        what: "正向定量指标（≥、>）的目标值低于同一项目上年同名指标的实际完成值（同一单位）。 / A ≥ target is below last year's actual of the same indicator.",
        why: "以低于已达成水平的目标申报，目标过易实现，失去约束作用。",
        source: "[V] 目标值来源之一为历史数据（如近三年平均）；[V] 实际值≥目标 130% 须说明原因（目标偏低）",
    },
    RuleInfo {
        id: "history.unit-changed",
        title_zh: "计量单位与上年不同",
        title_en: "unit changed since last year",
        what: "同一项目同名指标的计量单位与上年不同。 / The indicator's unit differs from last year's.",
        why: "口径变化使跨年度比较失效，须说明。",
        source: "[P] 审核实务：跨年度比较同一指标",
    },
    RuleInfo {
        id: "history.money-up-indicator-down",
        title_zh: "资金增加而指标值下降",
        title_en: "more money, lower target",
        what: "年度资金申请总额高于上年，而同名正向定量指标的目标值低于上年（同一单位）。 / The funds rose while a ≥ target fell.",
        why: "投入增加、产出或效益目标下降，资金使用效率存疑，须说明。",
        source: "[P] 审核实务：投入与产出相匹配（成本效益）",
    },
];

/// The catalogue entry of a rule id.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

fn severity_cell(p: &Policy, id: &str) -> &'static str {
    match p.severity(id) {
        Some(Severity::Error) => "错误 error",
        Some(Severity::Warning) => "警告 warning",
        Some(Severity::Info) => "提示 info",
        None => "关闭 off",
    }
}

/// The rule catalogue as Markdown (the content of `docs/rules.md`), with the severity of each rule
/// in the given policies.
pub fn rules_markdown(policies: &[&Policy]) -> String {
    let mut s = String::new();
    s.push_str("# 审核规则目录 / Review rule catalogue\n\n");
    s.push_str(
        "<!-- GENERATED by jixiao_review::rules_markdown from crates/review/src/catalogue.rs and the \
         built-in policies. Do not edit: run `UPDATE_EXPECT=1 cargo test -p jixiao-review`. -->\n\n",
    );
    s.push_str(
        "Every finding of `jixiao check` carries one of these rule ids. Severities, word lists and \
         thresholds come from the policy (`--policy`); the columns below show the built-in ones. \
         Sources: **[O]** official text seen, **[S]** secondary source, **[V]** behaviour of deployed \
         provincial systems (a default, not national policy), **[U]** widely quoted but unconfirmed, \
         **[P]** review practice (see `shared/RULES-REFERENCE.md`).\n\n",
    );
    s.push_str("| id | 规则 / rule |");
    for p in policies {
        s.push_str(&format!(" `{}` |", p.name));
    }
    s.push_str("\n|---|---|");
    for _ in policies {
        s.push_str("---|");
    }
    s.push('\n');
    for r in RULES {
        s.push_str(&format!(
            "| [`{}`](#{}) | {} / {} |",
            r.id,
            anchor(r.id),
            r.title_zh,
            r.title_en
        ));
        for p in policies {
            s.push_str(&format!(" {} |", severity_cell(p, r.id)));
        }
        s.push('\n');
    }
    s.push_str("\n## 规则 / Rules\n");
    for r in RULES {
        s.push_str(&format!(
            "\n### `{}`\n\n**{}** / {}\n\n- 检查 / what: {}\n- 理由 / why: {}\n- 依据 / source: {}\n",
            r.id, r.title_zh, r.title_en, r.what, r.why, r.source
        ));
    }
    s.push_str("\n## 审核等级 / Review grade\n\n");
    s.push_str(
        "Per project: score = `grade.start` − Σ over rules of min(`grade.rule_cap`, number of \
         findings × points of their severity (`error_points`, `warning_points`, `info_points`)). \
         优 ≥ `excellent`, 良 ≥ `good`, 中 ≥ `fair`, else 差; with any error-level finding the grade \
         is at most `error_grade_cap`, and with none it is at least `without_errors_at_least`. 优 proceeds; 良 is improved, then proceeds; 中 must be revised \
         and resubmitted; 差 cannot proceed (《中央部门预算绩效目标管理办法》).\n\n",
    );
    s.push_str("| policy | start | 优 | 良 | 中 | error | warning | info | cap per rule | with errors at most | without errors at least |\n");
    s.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for p in policies {
        let g = &p.grade;
        s.push_str(&format!(
            "| `{}` | {} | ≥{} | ≥{} | ≥{} | {} | {} | {} | {} | {} | {} |\n",
            p.name,
            g.start,
            g.excellent,
            g.good,
            g.fair,
            g.error_points,
            g.warning_points,
            g.info_points,
            g.rule_cap,
            g.error_grade_cap.map_or("—", |c| c.zh()),
            g.without_errors_at_least.map_or("—", |c| c.zh()),
        ));
    }
    s
}

/// GitHub's anchor of a `### \`id\`` heading: lower case, dots dropped.
fn anchor(id: &str) -> String {
    id.chars().filter(|c| *c != '.').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                RULES[i + 1..].iter().all(|o| o.id != r.id),
                "duplicate {}",
                r.id
            );
            assert!(
                r.id.contains('.')
                    && r.id.chars().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == '.'
                        || c == '-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn markdown_lists_every_rule_with_policy_severity() {
        let c = Policy::central();
        let md = rules_markdown(&[&c]);
        for r in RULES {
            assert!(md.contains(&format!("### `{}`", r.id)), "{}", r.id);
        }
        assert!(md.contains("| [`funds.sum`](#fundssum) | 年度资金合计不符 / annual funds do not add up | 错误 error |"));
    }
}
