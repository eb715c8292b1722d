//! Hand-made projects shared by the integration tests and the benchmark.

use jixiao_model::{Funds, Indicator, Level1, Level2, NaiveDate, Project, Target, Task};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// An indicator; `name` may carry a sub-task prefix (`1与2. 名称`).
pub fn ind(level1: Level1, level2: Level2, name: &str, raw: &str, line: u32) -> Indicator {
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
        line: Some(line),
        target: Target::parse(raw).unwrap_or_else(|_| Target::Qualitative(raw.to_string())),
        library: None,
        core: false,
    }
}

/// A project that follows every rule of the built-in policies.
pub fn clean_project(name: &str) -> Project {
    use Level1::*;
    use Level2::*;
    let mut p = Project {
        id: None,
        year: 2024,
        name: name.to_string(),
        nature: Some("经常性项目".into()),
        category: Some("专项业务类".into()),
        department: Some("示范局".into()),
        unit: "示范中心".into(),
        start: date(2024, 1, 1),
        end: date(2024, 12, 31),
        funds: Funds {
            total: "1200000.00".parse().unwrap_or_default(),
            fiscal: "1000000.00".parse().unwrap_or_default(),
            carryover: "150000.00".parse().unwrap_or_default(),
            other: "50000.00".parse().unwrap_or_default(),
        },
        project_funds: None,
        overall_goal: "建成并运行空气质量监测网络。".into(),
        annual_goal: "新建监测站点 20 个，出具监测报告 12 份。".into(),
        tasks: vec![
            Task {
                no: 1,
                area: Some("监测".into()),
                title: "监测站点建设".into(),
                description: "新建站点".into(),
                funds: None,
            },
            Task {
                no: 2,
                area: Some("监测".into()),
                title: "监测报告编制".into(),
                description: "按月出具报告".into(),
                funds: None,
            },
        ],
        indicators: vec![
            ind(Output, Quantity, "1. 新建监测站点数", "≥20(个)", 20),
            ind(Output, Quantity, "2. 月度监测报告", "=12(份)", 21),
            ind(Output, Quality, "1. 站点验收合格率", "=100(%)", 22),
            ind(Output, Quality, "2. 数据有效率", "≥95(%)", 23),
            ind(
                Output,
                Timeliness,
                "1. 站点建成时间",
                "2024年10月31日前完成",
                24,
            ),
            ind(
                Output,
                Timeliness,
                "2. 报告报送时限",
                "每月结束之后的10日内完成",
                25,
            ),
            ind(
                Cost,
                EconomicCost,
                "1. 单个站点建设成本",
                "≤50000(元/个)",
                26,
            ),
            ind(
                Benefit,
                EcologicalBenefit,
                "1与2. 细颗粒物浓度",
                "≤30(微克/立方米)",
                27,
            ),
            ind(Benefit, SocialBenefit, "2. 监测信息公开次数", "≥12(次)", 28),
            ind(Benefit, Sustainability, "1. 站点连续运行年限", "≥5(年)", 29),
            ind(
                Satisfaction,
                ServiceSatisfaction,
                "1与2. 公众满意度",
                "≥90(%)",
                30,
            ),
        ],
        department_targets: None,
    };
    p.assign_codes();
    p
}
