//! Evaluates and monitors 10 000 projects shaped like the seed's first one (six indicators,
//! twelve observations, two spending records each).
//!
//! `CARGO_TARGET_DIR=/work/target-evaluate cargo bench -p jixiao-evaluate`

use jixiao_evaluate::{evaluate, monitor, EvaluateOptions, MonitorOptions, Policy};
use jixiao_model::{
    Achievement, Decimal, Funds, Indicator, Level1, Level2, NaiveDate, Observation, ObservedValue,
    Project, ReportPeriod, SpendingRecord, Target,
};

const PROJECTS: usize = 10_000;

fn main() {
    divan::main();
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default()
}

type Records = (Project, Vec<Observation>, Vec<SpendingRecord>);

fn fixture() -> Vec<Records> {
    let specs: [(Level1, Level2, &str, &str); 6] = [
        (
            Level1::Output,
            Level2::Quantity,
            "行驶公里数",
            "≥15000.00(公里)",
        ),
        (
            Level1::Output,
            Level2::Quality,
            "行驶安全性",
            "无违章无事故",
        ),
        (
            Level1::Output,
            Level2::Timeliness,
            "接送准点率",
            "≥95.00(%)",
        ),
        (
            Level1::Benefit,
            Level2::EcologicalBenefit,
            "节能减排",
            "低油耗",
        ),
        (
            Level1::Benefit,
            Level2::Sustainability,
            "车辆使用管理办法",
            "完善",
        ),
        (
            Level1::Satisfaction,
            Level2::ServiceSatisfaction,
            "乘用人员满意度",
            "满意",
        ),
    ];
    (0..PROJECTS)
        .map(|n| {
            let mut p = Project {
                id: None,
                year: 2024,
                name: format!("项目{n}"),
                nature: None,
                category: None,
                department: None,
                unit: "单位".into(),
                start: date(1, 1),
                end: date(12, 31),
                funds: Funds {
                    total: Decimal::from(360_000),
                    fiscal: Decimal::from(360_000),
                    carryover: Decimal::ZERO,
                    other: Decimal::ZERO,
                },
                project_funds: None,
                overall_goal: String::new(),
                annual_goal: String::new(),
                tasks: Vec::new(),
                indicators: specs
                    .iter()
                    .map(|(l1, l2, name, raw)| Indicator {
                        id: None,
                        code: String::new(),
                        level1: *l1,
                        level2: l2.clone(),
                        name: name.to_string(),
                        tasks: Vec::new(),
                        raw: raw.to_string(),
                        line: None,
                        target: Target::parse(raw).unwrap_or(Target::Qualitative(String::new())),
                        library: None,
                        core: false,
                    })
                    .collect(),
                department_targets: None,
            };
            p.assign_codes();
            let km = |m, v: i64| Observation {
                indicator: "1.1.1".into(),
                period: ReportPeriod::Day(date(m, 28)),
                date: date(m, 28),
                value: ObservedValue::Number {
                    value: Decimal::from(v + n as i64 % 3000),
                    unit: Some("公里".into()),
                },
                note: Some("累计".into()),
                evidence: None,
            };
            let lvl = |code: &str, l| Observation {
                indicator: code.into(),
                period: ReportPeriod::Day(date(12, 31)),
                date: date(12, 31),
                value: ObservedValue::Level { level: l },
                note: None,
                evidence: None,
            };
            let mut o: Vec<Observation> = (1..=8).map(|m| km(m, i64::from(m) * 1500)).collect();
            o.push(Observation {
                indicator: "1.3.1".into(),
                period: ReportPeriod::Day(date(12, 31)),
                date: date(12, 31),
                value: ObservedValue::Number {
                    value: Decimal::from(96),
                    unit: Some("%".into()),
                },
                note: None,
                evidence: None,
            });
            o.push(lvl("1.2.1", Achievement::Met));
            o.push(lvl("3.3.1", Achievement::Partly));
            o.push(lvl("3.4.1", Achievement::Met));
            let s = vec![
                SpendingRecord {
                    date: date(4, 15),
                    amount: Decimal::from(180_000),
                    voucher: None,
                    note: None,
                },
                SpendingRecord {
                    date: date(9, 10),
                    amount: Decimal::from(175_000),
                    voucher: None,
                    note: None,
                },
            ];
            (p, o, s)
        })
        .collect()
}

#[divan::bench(sample_count = 10)]
fn evaluate_10k_projects(bencher: divan::Bencher) {
    let data = fixture();
    let policy = Policy::builtin();
    let opts = EvaluateOptions::default();
    bencher.bench_local(|| {
        data.iter()
            .filter_map(|(p, o, s)| evaluate(p, o, s, &policy, &opts).ok())
            .map(|e| e.total)
            .sum::<Decimal>()
    });
}

#[divan::bench(sample_count = 10)]
fn monitor_10k_projects(bencher: divan::Bencher) {
    let data = fixture();
    let policy = Policy::builtin();
    let opts = MonitorOptions::default();
    bencher.bench_local(|| {
        data.iter()
            .filter_map(|(p, o, s)| monitor(p, o, s, date(7, 31), &policy, &opts).ok())
            .count()
    });
}
