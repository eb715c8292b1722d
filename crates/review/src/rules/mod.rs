//! The rules, one module per family. Each is a function `fn check(&mut Ctx)` over one project.

use jixiao_model::{Finding, Indicator, Project, Severity};

use crate::policy::Policy;

mod consistency;
mod coverage;
mod dates;
mod department;
mod duplicates;
mod execution_rate;
mod funds;
mod measurability;
mod structure;

/// Runs every family of rules over one project, in catalogue order of families.
pub(crate) fn run(project: &Project, policy: &Policy) -> Vec<Finding> {
    let mut ctx = Ctx {
        project,
        policy,
        out: Vec::new(),
    };
    funds::check(&mut ctx);
    dates::check(&mut ctx);
    structure::check(&mut ctx);
    measurability::check(&mut ctx);
    consistency::check(&mut ctx);
    duplicates::check(&mut ctx);
    coverage::check(&mut ctx);
    execution_rate::check(&mut ctx);
    department::check(&mut ctx);
    ctx.out
}

/// A finding's text: message and suggestion, each in Chinese and English.
pub(crate) struct Msg {
    pub zh: String,
    pub en: String,
    pub fix_zh: String,
    pub fix_en: String,
}

/// What a rule sees and where it writes.
pub(crate) struct Ctx<'a> {
    pub project: &'a Project,
    pub policy: &'a Policy,
    pub out: Vec<Finding>,
}

impl Ctx<'_> {
    /// The rule's severity, `None` when the policy turns it off (check before building messages).
    pub fn on(&self, rule: &str) -> Option<Severity> {
        self.policy.severity(rule)
    }

    fn push(
        &mut self,
        rule: &str,
        ind: Option<&Indicator>,
        task: Option<u32>,
        line: Option<u32>,
        m: Msg,
    ) {
        let Some(severity) = self.on(rule) else {
            return;
        };
        self.out.push(Finding {
            rule: rule.to_string(),
            severity,
            project: self.project.name.clone(),
            indicator: ind.map(|i| i.name.clone()),
            code: ind.map(|i| i.code.clone()).filter(|c| !c.is_empty()),
            path: ind.map(path),
            task,
            line: line.or_else(|| ind.and_then(|i| i.line)),
            message_zh: m.zh,
            message_en: m.en,
            suggestion: m.fix_zh,
            suggestion_en: m.fix_en,
        });
    }

    /// A finding about the project as a whole.
    pub fn project(&mut self, rule: &str, m: Msg) {
        self.push(rule, None, None, None, m);
    }

    /// A finding about one indicator.
    pub fn indicator(&mut self, rule: &str, ind: &Indicator, m: Msg) {
        self.push(rule, Some(ind), None, None, m);
    }

    /// A finding about one sub-task.
    pub fn task(&mut self, rule: &str, task: u32, m: Msg) {
        self.push(rule, None, Some(task), None, m);
    }
}

/// `一级/二级/三级` as printed.
pub(crate) fn path(ind: &Indicator) -> String {
    format!("{}/{}/{}", ind.level1.zh(), ind.level2.zh(), ind.name)
}

/// `ends_with` over a word list.
pub(crate) fn ends_with_any(s: &str, words: &[String]) -> bool {
    words
        .iter()
        .any(|w| !w.is_empty() && s.ends_with(w.as_str()))
}

/// `contains` over a word list.
pub(crate) fn contains_any(s: &str, words: &[String]) -> bool {
    words
        .iter()
        .any(|w| !w.is_empty() && s.contains(w.as_str()))
}

/// Is this indicator a satisfaction indicator (by category or by name)?
pub(crate) fn is_satisfaction(ind: &Indicator, policy: &Policy) -> bool {
    use jixiao_model::{Level1, Level2};
    ind.level1 == Level1::Satisfaction
        || ind.level2 == Level2::ServiceSatisfaction
        || ends_with_any(ind.name.trim(), &policy.measurability.satisfaction_suffixes)
}

/// Is this qualitative text vague under the policy (and is the vague rule on)?
pub(crate) fn is_vague(text: &str, policy: &Policy) -> bool {
    if policy.severity("measurability.vague-target").is_none() {
        return false;
    }
    let core = core_text(text);
    if core.is_empty() {
        return false;
    }
    let m = &policy.measurability;
    m.vague_words.contains(&core)
        || (core.chars().count() <= m.vague_max_chars && contains_any(&core, &m.vague_words))
}

/// The text without whitespace and punctuation (`加强。` → `加强`).
pub(crate) fn core_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !is_punct(*c))
        .collect()
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '.'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '“'
            | '”'
            | '"'
            | '\''
    )
}

#[cfg(test)]
pub(crate) mod testing {
    //! Small hand-made projects for the rules' unit tests.

    use jixiao_model::{
        Decimal, Funds, Indicator, Level1, Level2, NaiveDate, Project, Target, Task,
    };

    use crate::policy::Policy;

    pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    pub fn money(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    /// An indicator; `name` may carry a sub-task prefix (`1与2. 名称`).
    pub fn ind(level1: Level1, level2: Level2, name: &str, raw: &str) -> Indicator {
        let refs = jixiao_model::split_task_refs(name).unwrap_or(jixiao_model::TaskRefs {
            tasks: Vec::new(),
            name,
        });
        Indicator {
            id: None,
            code: String::new(),
            level1,
            level2,
            name: refs.name.to_string(),
            tasks: refs.tasks,
            raw: raw.to_string(),
            line: None,
            target: Target::parse(raw).unwrap_or_else(|_| Target::Qualitative(raw.to_string())),
            library: None,
            core: false,
        }
    }

    /// A project that follows every rule of both built-in policies.
    pub fn clean() -> Project {
        use Level1::*;
        use Level2::*;
        let mut p = Project {
            id: None,
            year: 2024,
            name: "示范项目".into(),
            nature: Some("经常性项目".into()),
            category: Some("专项业务类".into()),
            department: Some("示范局".into()),
            unit: "示范中心".into(),
            start: date(2024, 1, 1),
            end: date(2024, 12, 31),
            funds: Funds {
                total: money("100000.00"),
                fiscal: money("90000.00"),
                carryover: money("10000.00"),
                other: money("0.00"),
            },
            project_funds: None,
            overall_goal: "完成设备采购与运行维护。".into(),
            annual_goal: "采购设备10台并保障运行。".into(),
            tasks: vec![
                Task {
                    no: 1,
                    area: None,
                    title: "设备采购".into(),
                    description: "采购监测设备".into(),
                    funds: None,
                },
                Task {
                    no: 2,
                    area: None,
                    title: "运行维护".into(),
                    description: "设备巡检".into(),
                    funds: None,
                },
            ],
            indicators: vec![
                ind(Output, Quantity, "1. 采购设备数量", "≥10(台)"),
                ind(Output, Quantity, "2. 运维巡检次数", "≥12(次)"),
                ind(Output, Quality, "1与2. 设备验收合格率", "=100(%)"),
                ind(
                    Output,
                    Timeliness,
                    "1. 设备采购完成时间",
                    "2024年11月30日前完成",
                ),
                ind(Cost, EconomicCost, "1. 单台设备采购成本", "≤8000(元/台)"),
                ind(
                    Benefit,
                    SocialBenefit,
                    "1与2. 监测服务覆盖人数",
                    "≥5000(人)",
                ),
                ind(Benefit, Sustainability, "2. 设备完好率", "≥95(%)"),
                ind(
                    Satisfaction,
                    ServiceSatisfaction,
                    "1与2. 使用人员满意度",
                    "≥90(%)",
                ),
            ],
            department_targets: None,
        };
        p.assign_codes();
        p
    }

    /// The rule ids found in `p` under the Shanghai policy.
    pub fn rules_of(p: &Project) -> Vec<String> {
        crate::rules::run(p, &Policy::shanghai())
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    /// The findings of one rule in `p` under the Shanghai policy.
    pub fn findings(p: &Project, rule: &str) -> Vec<jixiao_model::Finding> {
        crate::rules::run(p, &Policy::shanghai())
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect()
    }

    /// `clean()` with one indicator replaced (by index) or added.
    pub fn with(i: Option<usize>, new: Indicator) -> Project {
        let mut p = clean();
        match i {
            Some(i) if i < p.indicators.len() => p.indicators[i] = new,
            _ => p.indicators.push(new),
        }
        p.assign_codes();
        p
    }

    #[test]
    fn the_clean_project_is_clean() {
        assert_eq!(rules_of(&clean()), Vec::<String>::new());
        assert!(crate::rules::run(&clean(), &Policy::central()).is_empty());
    }
}
