//! Worked examples of jixiao-evaluate, each computed by hand in its comments, and the golden
//! 自评表 of the seed's first project.
//!
//! `UPDATE_EXPECT=1 cargo test -p jixiao-evaluate` rewrites the golden files under
//! `tests/data/evaluate/`; the hand-computed assertions beside them do not change with it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jixiao_evaluate::*;
use jixiao_model::{
    Achievement, Decimal, Form, Funds, Indicator, Level1, Level2, NaiveDate, Observation,
    ObservedValue, Project, ReportPeriod, SpendingRecord, Target,
};

// ---------------------------------------------------------------------------------------------
// Helpers

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A quantitative value: one `(value, unit)` per clause.
fn numbers(parts: &[(&str, &str)]) -> Option<IndicatorValue> {
    Some(IndicatorValue::Numbers {
        parts: parts
            .iter()
            .map(|(v, u)| Some(Measured::new(d(v), Some(u))))
            .collect(),
    })
}

/// A recurring deadline's periods on time out of those counted.
fn periods(on_time: u32, of: u32) -> Option<IndicatorValue> {
    Some(IndicatorValue::Periods { on_time, of })
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed() -> Form {
    let text = std::fs::read_to_string(repo().join("tests/data/seed_2024_shanghai.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Splits a CSV without quoted cells (the test data has none) into rows numbered from 1.
fn csv_rows(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Row {
            line: i as u32 + 1,
            cells: l.split(',').map(str::to_string).collect(),
        })
        .collect()
}

fn read_csv(name: &str) -> Vec<Row> {
    csv_rows(&std::fs::read_to_string(repo().join("tests/data/actuals").join(name)).unwrap())
}

/// Compares `actual` with a golden file; `UPDATE_EXPECT=1` rewrites it.
fn check(name: &str, actual: &str) {
    jixiao_testkit::check(&repo().join("tests/data/evaluate").join(name), actual);
}

/// A hand-made 2024 project; indicators are `(一级, 二级, 三级, 指标值)`.
fn project(name: &str, budget: &str, indicators: &[(Level1, Level2, &str, &str)]) -> Project {
    let mut p = Project {
        id: None,
        year: 2024,
        name: name.to_string(),
        nature: None,
        category: None,
        department: Some("示例局".into()),
        unit: "示例单位".into(),
        start: date(2024, 1, 1),
        end: date(2024, 12, 31),
        funds: Funds {
            total: d(budget),
            fiscal: d(budget),
            carryover: Decimal::ZERO,
            other: Decimal::ZERO,
        },
        project_funds: None,
        overall_goal: "示例总目标".into(),
        annual_goal: "示例年度目标".into(),
        tasks: Vec::new(),
        indicators: indicators
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
                target: Target::parse(raw).unwrap(),
                library: None,
                core: false,
            })
            .collect(),
        department_targets: None,
    };
    p.assign_codes();
    p
}

fn obs(code: &str, on: NaiveDate, value: ObservedValue, note: Option<&str>) -> Observation {
    Observation {
        indicator: code.into(),
        period: ReportPeriod::Day(on),
        date: on,
        value,
        note: note.map(str::to_string),
        evidence: None,
    }
}

fn num(code: &str, on: NaiveDate, v: &str, unit: &str) -> Observation {
    obs(
        code,
        on,
        ObservedValue::Number {
            value: d(v),
            unit: Some(unit.into()),
        },
        None,
    )
}

fn level(code: &str, on: NaiveDate, l: Achievement) -> Observation {
    obs(code, on, ObservedValue::Level { level: l }, None)
}

fn done(code: &str, on: NaiveDate, completed: NaiveDate) -> Observation {
    obs(code, on, ObservedValue::Date { date: completed }, None)
}

fn spend(on: NaiveDate, amount: &str) -> SpendingRecord {
    SpendingRecord {
        date: on,
        amount: d(amount),
        voucher: None,
        note: None,
    }
}

fn score_of<'a>(e: &'a SelfEvaluation, code: &str) -> &'a IndicatorScore {
    e.indicators.iter().find(|i| i.code == code).unwrap()
}

use Level1::{Benefit, Cost, Output, Satisfaction};

// ---------------------------------------------------------------------------------------------
// Scoring: single clauses

#[test]
fn clause_shares_by_operator() {
    let q = |raw: &str| Target::parse(raw).unwrap().quantities()[0].clone();
    // ≥: met → 1; 150 of 200 → 150 ÷ 200 = 0.75.
    assert_eq!(clause_share(&q("≥200(份)"), d("200")), (d("1"), true));
    assert_eq!(clause_share(&q("≥200(份)"), d("150")), (d("0.75"), false));
    // >: exactly the target is not met, yet actual ÷ target = 1 (the rule as published).
    assert_eq!(clause_share(&q(">100(家)"), d("100")), (d("1"), false));
    // ≤: 6 against ≤5 → 1 − (6 − 5) ÷ 5 = 0.8; 10 (twice) → 0; 12 → below 0 → 0.
    assert_eq!(clause_share(&q("≤5(%)"), d("6")), (d("0.8"), false));
    assert_eq!(clause_share(&q("≤5(%)"), d("10")), (d("0"), false));
    assert_eq!(clause_share(&q("≤5(%)"), d("12")), (d("0"), false));
    assert_eq!(clause_share(&q("≤5(%)"), d("3")), (d("1"), true));
    // <: 4 against <5 met; 5 not met but 1 − 0 ÷ 5 = 1.
    assert_eq!(clause_share(&q("<5(天)"), d("4")), (d("1"), true));
    assert_eq!(clause_share(&q("<5(天)"), d("5")), (d("1"), false));
    // =: equal → 1; below → like ≥ (97 ÷ 100); above → like ≤ (1 − 5 ÷ 100 = 0.95).
    assert_eq!(clause_share(&q("=100(%)"), d("100")), (d("1"), true));
    assert_eq!(clause_share(&q("=100(%)"), d("97")), (d("0.97"), false));
    assert_eq!(clause_share(&q("=100(%)"), d("105")), (d("0.95"), false));
    // "= 0": full when actual ≤ 0, else 0.
    assert_eq!(clause_share(&q("=0(起)"), d("0")), (d("1"), true));
    assert_eq!(clause_share(&q("=0(起)"), d("1")), (d("0"), false));
    // A ≤ 0 target exceeded scores 0 (no division by zero); ≥ 0 met by anything ≥ 0.
    assert_eq!(clause_share(&q("≤0(起)"), d("2")), (d("0"), false));
    assert_eq!(clause_share(&q("≥0(起)"), d("0")), (d("1"), true));
    // Huge values do not panic.
    let max = Decimal::MAX;
    assert_eq!(clause_share(&q("≤5(%)"), max).0, d("0"));
    assert_eq!(clause_share(&q("≥0.0000001(%)"), max).0, d("1"));
}

// ---------------------------------------------------------------------------------------------
// Scoring: every kind in one project

/// 产出 50 over 5 indicators = 10.00 each; 效益 30 over 3 = 10.00 each; 满意度 10 over 1.
fn every_kind() -> Project {
    project(
        "示例：各类指标",
        "100000",
        &[
            (Output, Level2::Quantity, "报告份数", "≥200(份)"),
            (Output, Level2::Quantity, "检查企业数", ">100(家)"),
            (Output, Level2::Quality, "差错率", "≤5(%)"),
            (Output, Level2::Quality, "归档率", "=100(%)"),
            (
                Output,
                Level2::Timeliness,
                "完成时间",
                "2024年11月30日前完成",
            ),
            (
                Benefit,
                Level2::SocialBenefit,
                "监管效能",
                "不少于120项清单；不少于318家抽查；不少于80次踏勘",
            ),
            (
                Benefit,
                Level2::SocialBenefit,
                "月报按期",
                "每月结束之后的30日内完成",
            ),
            (Benefit, Level2::Sustainability, "管理制度", "完善"),
            (
                Satisfaction,
                Level2::ServiceSatisfaction,
                "满意度",
                "≥90(%)",
            ),
        ],
    )
}

fn every_kind_actuals() -> Vec<Observation> {
    let p = every_kind();
    let code = |name: &str| {
        p.indicators
            .iter()
            .find(|i| i.name == name)
            .unwrap()
            .code
            .clone()
    };
    let mut v = vec![
        // 1.1.1 ≥200: first 80 (mid-year), then 150 at year end: only the latest counts.
        num(&code("报告份数"), date(2024, 6, 30), "80", "份"),
        obs(
            &code("报告份数"),
            date(2024, 12, 31),
            ObservedValue::Number {
                value: d("150"),
                unit: Some("份".into()),
            },
            Some("两家委托单位推迟送样；下年提前签订委托"),
        ),
        // 1.1.2 >100: 140, 140% of the target ≥ 130% → over-achieved, reason needed (none).
        num(&code("检查企业数"), date(2024, 12, 31), "140", "家"),
        num(&code("差错率"), date(2024, 12, 31), "6", "%"),
        num(&code("归档率"), date(2024, 12, 31), "97", "%"),
        // Due 30 Nov, done 10 Dec: 10 days late ≤ 30 → 50 % of the weight.
        done(&code("完成时间"), date(2024, 12, 10), date(2024, 12, 10)),
        // Compound: all three parts in one row (order of the target).
        num(&code("监管效能"), date(2024, 12, 31), "130", "项"),
        num(&code("监管效能"), date(2024, 12, 31), "300", "家"),
        num(&code("监管效能"), date(2024, 12, 31), "80", "次"),
        level(&code("管理制度"), date(2024, 12, 31), Achievement::Partly),
        // 满意度: nothing reported.
    ];
    // Recurring: months Jan–Oct done on the 20th of the next month (on time); November due
    // 30 Dec, done 5 Jan (6 days late → 50 %); December not reported (0).
    let monthly = code("月报按期");
    for m in 1..=10 {
        let end = date(2024, m + 1, 1).pred_opt().unwrap();
        v.push(done(&monthly, end, date(2024, m + 1, 20)));
    }
    v.push(done(&monthly, date(2024, 11, 30), date(2025, 1, 5)));
    v
}

#[test]
fn every_target_kind_met_missed_over_and_missing() {
    let p = every_kind();
    let policy = Policy::builtin();
    let mut opts = EvaluateOptions::default();
    // The scorer gives 部分达成 75 % (inside the 60–80 % band).
    opts.shares.insert("3.4.1".into(), d("75"));
    let e = evaluate(
        &p,
        &every_kind_actuals(),
        &[spend(date(2024, 5, 1), "85000")],
        &policy,
        &opts,
    )
    .unwrap();
    let row = |code| score_of(&e, code);

    // 1.1.1 ≥200(份), actual 150: 150 ÷ 200 × 10 = 7.50, loses points → reason (the note).
    assert_eq!(
        (row("1.1.1").weight, row("1.1.1").score),
        (d("10.00"), d("7.50"))
    );
    assert_eq!(row("1.1.1").actual, numbers(&[("150", "份")]));
    assert_eq!(row("1.1.1").outcome, Outcome::NotMet);
    assert!(row("1.1.1").deviation_required);
    assert_eq!(
        row("1.1.1").deviation_reason.as_deref(),
        Some("两家委托单位推迟送样；下年提前签订委托")
    );
    // 1.1.2 >100(家), actual 140: met → 10.00; 140 ≥ 130 → over-achieved, reason required.
    assert_eq!(row("1.1.2").score, d("10.00"));
    assert_eq!(row("1.1.2").outcome, Outcome::OverAchieved);
    assert!(row("1.1.2").deviation_required);
    assert_eq!(row("1.1.2").deviation_reason, None);
    // 1.2.1 ≤5(%), actual 6: (1 − (6 − 5) ÷ 5) × 10 = 8.00.
    assert_eq!(row("1.2.1").score, d("8.00"));
    // 1.2.2 =100(%), actual 97: below an = target → 97 ÷ 100 × 10 = 9.70.
    assert_eq!(row("1.2.2").score, d("9.70"));
    // 1.3.1 due 2024-11-30, done 2024-12-10: 10 days late → 50 % × 10 = 5.00.
    assert_eq!(row("1.3.1").score, d("5.00"));
    assert_eq!(row("1.3.1").outcome, Outcome::Late);
    assert_eq!(
        row("1.3.1").actual,
        Some(IndicatorValue::Date {
            date: date(2024, 12, 10)
        })
    );
    // 3.2.1 compound: 130/120 met → 1; 300/318 = 0.9433962264…; 80/80 met → 1;
    // mean = 2.9433962264… ÷ 3 = 0.9811320754…; × 10 = 9.811… → 9.81.
    assert_eq!(row("3.2.1").score, d("9.81"));
    assert_eq!(
        row("3.2.1").actual,
        numbers(&[("130", "项"), ("300", "家"), ("80", "次")])
    );
    // 3.2.2 monthly: 10 on time (1 each), Nov 6 days late (0.5), Dec missing (0):
    // (10 + 0.5 + 0) ÷ 12 = 0.875; × 10 = 8.75.
    assert_eq!(row("3.2.2").score, d("8.75"));
    assert_eq!(row("3.2.2").actual, periods(10, 12));
    // 3.4.1 部分达成 at the scorer's 75 %: 7.50.
    assert_eq!(row("3.4.1").score, d("7.50"));
    assert_eq!(row("3.4.1").outcome, Outcome::Partly);
    // 4.1.1 no actual: 0, flagged, reason required.
    assert_eq!(
        (row("4.1.1").weight, row("4.1.1").score),
        (d("10.00"), d("0.00"))
    );
    assert_eq!(row("4.1.1").outcome, Outcome::Missing);
    assert_eq!(row("4.1.1").actual, None);
    // Budget: 85,000 ÷ 100,000 = 0.85 × 10 = 8.50.
    assert_eq!(e.budget.score, d("8.50"));
    assert_eq!(e.budget.execution_rate, d("85.00"));
    // Total: 7.50 + 10.00 + 8.00 + 9.70 + 5.00 + 9.81 + 8.75 + 7.50 + 0.00 + 8.50 = 74.76 → 中.
    assert_eq!(e.total, d("74.76"));
    assert_eq!(e.grade, jixiao_model::Grade::Fair);
    // Flags: missing actual for 4.1.1; reasons missing for 1.1.2 (over), 1.2.1, 1.2.2, 1.3.1,
    // 3.2.1 (one part missed), 3.2.2, 3.4.1, 4.1.1. 1.1.1 has its note.
    let missing_reason: Vec<&str> = e
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::MissingDeviationReason)
        .map(|f| f.code.as_deref().unwrap())
        .collect();
    assert_eq!(
        missing_reason,
        ["1.1.2", "1.2.1", "1.2.2", "1.3.1", "3.2.1", "3.2.2", "3.4.1", "4.1.1"]
    );
    assert!(e
        .flags
        .iter()
        .any(|f| f.kind == FlagKind::MissingActual && f.code.as_deref() == Some("4.1.1")));
    assert_eq!(
        e.goals.summary,
        OutcomeCounts {
            indicators: 9,
            met: 1,
            partly: 2,
            not_met: 5,
            missing: 1,
            unconfirmed: 0
        }
    );
}

#[test]
fn deadlines_on_time_late_too_late_and_not_done() {
    let p = project(
        "示例：时限",
        "1000",
        &[
            (Output, Level2::Timeliness, "甲", "2024年6月30日前完成"),
            (Output, Level2::Timeliness, "乙", "2024年6月30日前完成"),
            (Output, Level2::Timeliness, "丙", "2024年6月30日前完成"),
            (Output, Level2::Timeliness, "丁", "2024年6月30日前完成"),
            (Output, Level2::Timeliness, "戊", "2024年6月30日前完成"),
        ],
    );
    let o = vec![
        // On the day → full 10.00.
        done("1.3.1", date(2024, 6, 30), date(2024, 6, 30)),
        // 30 days late (30 Jul) → still within late_days → 5.00.
        done("1.3.2", date(2024, 7, 30), date(2024, 7, 30)),
        // 31 days late → 0.
        done("1.3.3", date(2024, 7, 31), date(2024, 7, 31)),
        // Reported 未达成 → 0; a later completion would win, an earlier one does not.
        done("1.3.4", date(2024, 3, 1), date(2024, 3, 1)),
        level("1.3.4", date(2024, 12, 31), Achievement::NotMet),
        // 1.3.5 not reported → 0.
    ];
    let e = evaluate(
        &p,
        &o,
        &[spend(date(2024, 3, 1), "1000")],
        &Policy::builtin(),
        &EvaluateOptions::default(),
    )
    .unwrap();
    let scores: Vec<Decimal> = e.indicators.iter().map(|i| i.score).collect();
    assert_eq!(
        scores,
        [d("10.00"), d("5.00"), d("0.00"), d("0.00"), d("0.00")]
    );
    let outcomes: Vec<Outcome> = e.indicators.iter().map(|i| i.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Met,
            Outcome::Late,
            Outcome::Late,
            Outcome::NotMet,
            Outcome::Missing
        ]
    );
    // A policy with late_share 80 gives the 30-days-late one 8.00.
    let policy =
        Policy::from_toml(&DEFAULT_POLICY_TOML.replace("late_share = 50", "late_share = 80"))
            .unwrap();
    let e = evaluate(&p, &o, &[], &policy, &EvaluateOptions::default()).unwrap();
    assert_eq!(e.indicators[1].score, d("8.00"));
}

#[test]
fn rounding_half_away_from_zero_and_total_of_rounded_parts() {
    // 产出 50 over 5 indicators = 10.00 each; no 效益 or 满意度 (flagged, 40 points lost).
    let p = project(
        "示例：舍入",
        "1000",
        &[
            (Output, Level2::Quantity, "甲", "≥400(份)"),
            (Output, Level2::Quantity, "乙", "≥400(份)"),
            (Output, Level2::Quality, "丙", "达标"),
            (Output, Level2::Quality, "丁", "达标"),
            (Output, Level2::Quality, "戊", "达标"),
        ],
    );
    let o = vec![
        // 49 ÷ 400 = 0.1225; × 10 = 1.225 → 四舍五入 1.23 (banker's rounding would give 1.22).
        num("1.1.1", date(2024, 12, 31), "49", "份"),
        num("1.1.2", date(2024, 12, 31), "49", "份"),
        level("1.2.1", date(2024, 12, 31), Achievement::Met),
        level("1.2.2", date(2024, 12, 31), Achievement::Met),
        level("1.2.3", date(2024, 12, 31), Achievement::Met),
    ];
    // Budget 1000, spent 1000 → 10.00.
    let e = evaluate(
        &p,
        &o,
        &[spend(date(2024, 12, 1), "1000")],
        &Policy::builtin(),
        &EvaluateOptions::default(),
    )
    .unwrap();
    assert_eq!(e.indicators[0].score, d("1.23"));
    assert_eq!(e.indicators[1].score, d("1.23"));
    // Total of the rounded parts: 1.23 + 1.23 + 10 + 10 + 10 + 10 = 42.46 (the unrounded sum
    // would be 42.45) → 差.
    assert_eq!(e.total, d("42.46"));
    assert_eq!(e.grade, jixiao_model::Grade::Poor);
    let empty: Vec<&str> = e
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::EmptyCategory)
        .map(|f| f.message_en.as_str())
        .collect();
    assert_eq!(empty.len(), 2, "{empty:?}");
}

#[test]
fn weights_cents_cost_category_and_user_weights() {
    let p = project(
        "示例：权重",
        "1000",
        &[
            (Output, Level2::Quantity, "甲", "达标"),
            (Output, Level2::Quality, "乙", "达标"),
            (Cost, Level2::EconomicCost, "丙", "≤100(元)"),
            (Benefit, Level2::SocialBenefit, "丁", "达标"),
            (Satisfaction, Level2::ServiceSatisfaction, "戊", "满意"),
        ],
    );
    let none = BTreeMap::new();
    // 成本 with 产出: 50 over 3 = 5000 cents ÷ 3 = 1666 r 2 → 16.67, 16.67, 16.66 (sum 50.00).
    let w = indicator_weights(&p, &Policy::builtin(), &none).unwrap();
    assert_eq!(
        w,
        [d("16.67"), d("16.67"), d("16.66"), d("30.00"), d("10.00")]
    );
    // Policy with 成本 on its own: 产出 40 over 2, 成本 10.
    let own =
        Policy::from_toml(&DEFAULT_POLICY_TOML.replace("output = 50", "output = 40\ncost = 10"))
            .unwrap();
    let w = indicator_weights(&p, &own, &none).unwrap();
    assert_eq!(
        w,
        [d("20.00"), d("20.00"), d("10.00"), d("30.00"), d("10.00")]
    );
    // The user gives 甲 30: the other two share 50 − 30 = 20 → 10.00 each.
    let user = BTreeMap::from([("1.1.1".to_string(), d("30"))]);
    let w = indicator_weights(&p, &Policy::builtin(), &user).unwrap();
    assert_eq!(&w[..3], [d("30"), d("10.00"), d("10.00")]);
    // More than the category, a negative weight, an unknown code: errors.
    let too_much = BTreeMap::from([("1.1.1".to_string(), d("60"))]);
    assert!(matches!(
        indicator_weights(&p, &Policy::builtin(), &too_much),
        Err(Error::Weight(_))
    ));
    let negative = BTreeMap::from([("1.1.1".to_string(), d("-1"))]);
    assert!(matches!(
        indicator_weights(&p, &Policy::builtin(), &negative),
        Err(Error::Weight(_))
    ));
    let unknown = BTreeMap::from([("9.9.9".to_string(), d("1"))]);
    assert!(matches!(
        indicator_weights(&p, &Policy::builtin(), &unknown),
        Err(Error::UnknownCode { .. })
    ));
}

#[test]
fn qualitative_levels_defaults_and_bands() {
    let p = project(
        "示例：定性",
        "1000",
        &[
            (Output, Level2::Quality, "甲", "完善"),
            (Output, Level2::Quality, "乙", "完善"),
            (Output, Level2::Quality, "丙", "完善"),
            (Output, Level2::Quality, "丁", "完善"),
            (Output, Level2::Quality, "戊", "完善"),
        ],
    );
    let o = vec![
        level("1.2.1", date(2024, 12, 31), Achievement::Met),
        level("1.2.2", date(2024, 12, 31), Achievement::Partly),
        level("1.2.3", date(2024, 12, 31), Achievement::NotMet),
        level("1.2.4", date(2024, 12, 31), Achievement::Met),
        level("1.2.5", date(2024, 12, 31), Achievement::NotMet),
    ];
    let mut opts = EvaluateOptions::default();
    // Defaults: 达成 100 %, 部分达成 70 %, 未达成 0 % of 10 → 10.00, 7.00, 0.00.
    // The scorer's own: 达成 85 % → 8.50; 未达成 55 % → 5.50.
    opts.shares.insert("1.2.4".into(), d("85"));
    opts.shares.insert("1.2.5".into(), d("55"));
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &opts).unwrap();
    let scores: Vec<Decimal> = e.indicators.iter().map(|i| i.score).collect();
    assert_eq!(
        scores,
        [d("10.00"), d("7.00"), d("0.00"), d("8.50"), d("5.50")]
    );
    // 达成 85 % loses points → a reason is required.
    assert!(e.indicators[3].deviation_required);
    // Outside the band: 部分达成 at 90 %.
    opts.shares.insert("1.2.2".into(), d("90"));
    let err = evaluate(&p, &o, &[], &Policy::builtin(), &opts).unwrap_err();
    assert!(matches!(err, Error::ShareOutsideBand { ref code, .. } if code == "1.2.2"));
    assert!(err.to_string().contains("60%–80%"), "{err}");
}

#[test]
fn budget_execution_and_zero_budget() {
    let p = project(
        "示例：预算",
        "200000",
        &[(Output, Level2::Quality, "甲", "完善")],
    );
    let run = |spent: &[SpendingRecord], opts: &EvaluateOptions| {
        evaluate(&p, &[], spent, &Policy::builtin(), opts)
    };
    // 123,456.78 ÷ 200,000 = 0.6172839; × 10 = 6.172839 → 6.17; rate 61.73 %.
    let e = run(
        &[
            spend(date(2024, 3, 1), "100000"),
            spend(date(2024, 9, 1), "23456.78"),
        ],
        &EvaluateOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (e.budget.score, e.budget.execution_rate),
        (d("6.17"), d("61.73"))
    );
    assert_eq!(e.budget.spent, d("123456.78"));
    // Overspent: min(rate, 1) → 10.00.
    let e = run(
        &[spend(date(2024, 3, 1), "250000")],
        &EvaluateOptions::default(),
    )
    .unwrap();
    assert_eq!(e.budget.score, d("10.00"));
    // An adjusted 全年预算数 of 150,000 instead of 200,000: 123,456.78 ÷ 150,000 × 10 = 8.23.
    let opts = EvaluateOptions {
        budget: Some(d("150000")),
        ..Default::default()
    };
    let e = run(&[spend(date(2024, 3, 1), "123456.78")], &opts).unwrap();
    assert_eq!((e.budget.initial, e.budget.score), (d("200000"), d("8.23")));
    // as_of: spending after it is ignored.
    let opts = EvaluateOptions {
        as_of: Some(date(2024, 6, 30)),
        ..Default::default()
    };
    let e = run(
        &[
            spend(date(2024, 3, 1), "100000"),
            spend(date(2024, 9, 1), "100000"),
        ],
        &opts,
    )
    .unwrap();
    assert_eq!(e.budget.score, d("5.00"));
    // Budget 0 is an error, not a division by zero.
    let opts = EvaluateOptions {
        budget: Some(Decimal::ZERO),
        ..Default::default()
    };
    let err = run(&[], &opts).unwrap_err();
    assert!(matches!(err, Error::ZeroBudget { .. }));
    assert!(err.to_string().contains("全年预算数"), "{err}");
}

#[test]
fn huge_numbers_do_not_panic() {
    let p = project(
        "示例：大数",
        "0.01",
        &[(Output, Level2::Quantity, "甲", "≥0.01(份)")],
    );
    let o = vec![num(
        "1.1.1",
        date(2024, 12, 31),
        &Decimal::MAX.to_string(),
        "份",
    )];
    let r = evaluate(
        &p,
        &o,
        &[spend(date(2024, 1, 1), &Decimal::MAX.to_string())],
        &Policy::builtin(),
        &EvaluateOptions::default(),
    );
    // A value and a spending too large to divide exactly are refused, saying so: never a
    // score or a rate computed from a rounded number.
    let e = r.unwrap_err();
    assert!(matches!(e, Error::Overflow), "{e:?}");
    assert_eq!(
        e.to_string(),
        "数值过大，无法精确计算 / a number is too large to compute with exactly"
    );
    let m = monitor(
        &p,
        &o,
        &[spend(date(2024, 1, 1), &Decimal::MAX.to_string())],
        date(2024, 1, 1),
        &Policy::builtin(),
        &MonitorOptions::default(),
    );
    assert!(matches!(m, Err(Error::Overflow)), "{m:?}");
}

// ---------------------------------------------------------------------------------------------
// The full example: the seed's first project

fn transport_records() -> (Project, Vec<Observation>, Vec<SpendingRecord>) {
    let form = seed();
    let policy = Policy::builtin();
    let actuals = parse_actual_rows(&read_csv("transport_2024.csv"), &form.projects, &policy)
        .unwrap_or_else(|e| panic!("{e}"));
    let spending = parse_spending_rows(&read_csv("transport_2024_spending.csv"), &form.projects)
        .unwrap_or_else(|e| panic!("{e}"));
    let p = form.projects[0].clone();
    assert!(actuals.iter().all(|a| a.project == p.key()));
    assert!(spending.iter().all(|s| s.project == p.key()));
    (
        p,
        actuals.into_iter().map(|a| a.observation).collect(),
        spending.into_iter().map(|s| s.record).collect(),
    )
}

#[test]
fn transport_2024_self_evaluation_golden() {
    let (p, o, s) = transport_records();
    assert_eq!(p.name, "交通工具购置及更新");
    assert_eq!((o.len(), s.len()), (12, 2));
    let e = evaluate(&p, &o, &s, &Policy::builtin(), &EvaluateOptions::default()).unwrap();

    // Hand computation.
    // Weights: 产出 50 over 3 → 16.67, 16.67, 16.66; 效益 30 over 2 → 15.00 each; 满意度 10.
    // 1.1.1 行驶公里数 ≥15000(公里), year-end 13500: 13500 ÷ 15000 = 0.9; × 16.67 = 15.003
    //       → 15.00; loses points → reason = the note of the 2024-12-31 row.
    // 1.2.1 行驶安全性 达成 → 16.67.
    // 1.3.1 接送准点率 ≥95(%), 96 % → met → 16.66 (96 < 130 % × 95 = 123.5: no over-achievement).
    // 3.3.1 节能减排 部分达成 (the year-end row wins over June's 达成) → 70 % × 15 = 10.50;
    //       reason = its note.
    // 3.4.1 车辆使用管理办法 达成 → 15.00.
    // 4.1.1 乘用人员满意度 达成 → 10.00.
    // Budget: 180,000.00 + 175,000.00 = 355,000.00; ÷ 360,000.00 = 0.986111…; × 10 = 9.8611…
    //       → 9.86; 执行率 98.61 %.
    // Total: 15.00 + 16.67 + 16.66 + 10.50 + 15.00 + 10.00 + 9.86 = 93.69 → 优.
    let got: Vec<(&str, Decimal, Decimal)> = e
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i.weight, i.score))
        .collect();
    assert_eq!(
        got,
        [
            ("1.1.1", d("16.67"), d("15.00")),
            ("1.2.1", d("16.67"), d("16.67")),
            ("1.3.1", d("16.66"), d("16.66")),
            ("3.3.1", d("15.00"), d("10.50")),
            ("3.4.1", d("15.00"), d("15.00")),
            ("4.1.1", d("10.00"), d("10.00")),
        ]
    );
    assert_eq!(e.budget.spent, d("355000.00"));
    assert_eq!(
        (e.budget.execution_rate, e.budget.score),
        (d("98.61"), d("9.86"))
    );
    assert_eq!(e.total, d("93.69"));
    assert_eq!(e.grade, jixiao_model::Grade::Excellent);
    assert!(score_of(&e, "1.1.1")
        .deviation_reason
        .as_deref()
        .is_some_and(|r| r.starts_with("特种专业技术用车9月方到货")),);
    assert!(score_of(&e, "3.3.1").deviation_required);
    assert!(!score_of(&e, "1.3.1").deviation_required);
    assert_eq!(score_of(&e, "1.3.1").deviation_reason, None);
    assert!(e.flags.is_empty(), "{:?}", e.flags);

    check("transport_2024.txt", &render_evaluation(&e, Lang::Zh));
    check("transport_2024.en.txt", &render_evaluation(&e, Lang::En));
    let json = evaluation_json(&e).unwrap();
    check("transport_2024.json", &format!("{json}\n"));
    // The typed values read back into the same evaluation.
    let back: SelfEvaluation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
    // The JSON reads back into the same evaluation and carries the documented keys.
    let back: SelfEvaluation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["project"], "交通工具购置及更新");
    assert_eq!(v["year"], 2024);
    assert_eq!(v["total"], "93.69");
    assert_eq!(v["grade"], "excellent");
    assert_eq!(v["budget"]["score"], "9.86");
    assert_eq!(v["indicators"][0]["name"], "行驶公里数");
    assert_eq!(v["indicators"][0]["weight"], "16.67");
    assert_eq!(v["indicators"][0]["score"], "15.00");
}

#[test]
fn transport_2024_monitoring_across_the_year() {
    let (p, o, s) = transport_records();
    let policy = Policy::builtin();
    let at = |m, day| {
        monitor(
            &p,
            &o,
            &s,
            date(2024, m, day),
            &policy,
            &MonitorOptions::default(),
        )
        .unwrap()
    };
    let light =
        |m: &Monitoring, code: &str| m.indicators.iter().find(|i| i.code == code).unwrap().light;

    // 2024-03-31: f = 91 ÷ 366. 行驶公里数 expected 15000 × 91 ÷ 366 = 3729.51; actual 2500;
    // ratio 2500 ÷ 3729.508… = 67.03 % → yellow. Forecast 2500 ÷ (91/366) = 10054.95 → 67 % of
    // the target: the same ratio, between red_below and yellow_below → 有可能 (the light and the
    // likelihood are one judgement). Nothing spent yet → budget pace 0 → red.
    let m = at(3, 31);
    let km = &m.indicators[0];
    assert_eq!(
        (km.expected.clone(), km.ratio.clone()),
        (vec![d("3729.51")], vec![d("67.03")])
    );
    assert_eq!(km.light, Light::Yellow);
    assert_eq!(km.forecast, numbers(&[("10054.95", "公里")]));
    assert_eq!(km.likelihood, Some(Likelihood::Possible));
    assert_eq!(m.budget.light, Light::Red);
    // Nothing reported on the other indicators yet → grey.
    assert_eq!(light(&m, "1.3.1"), Light::Grey);
    assert_eq!(light(&m, "4.1.1"), Light::Grey);

    // 2024-07-31: f = 213 ÷ 366 = 0.5819672…; expected 8729.51; actual 7600 → 87.06 % green;
    // forecast 7600 × 366 ÷ 213 = 13059.15 (87 % ≥ 80 %) → 有可能.
    // 接送准点率 is a rate: expected 95 (not prorated), 97 ÷ 95 = 102.11 % → green, 确定能.
    // 节能减排 达成 in June → green. Budget: 180,000 ÷ 360,000 = 50 %; ÷ 0.5819672 = 85.92 %
    // → green; forecast 180,000 × 366 ÷ 213 = 309,295.77.
    let m = at(7, 31);
    assert_eq!(m.elapsed, d("58.20"));
    let km = &m.indicators[0];
    assert_eq!(
        (km.expected.clone(), km.ratio.clone()),
        (vec![d("8729.51")], vec![d("87.06")])
    );
    assert_eq!(
        (km.light, km.likelihood),
        (Light::Green, Some(Likelihood::Possible))
    );
    let rate = &m.indicators[2];
    assert_eq!(
        (rate.expected.clone(), rate.ratio.clone()),
        (vec![d("95.00")], vec![d("102.11")])
    );
    assert_eq!(
        (rate.light, rate.likelihood),
        (Light::Green, Some(Likelihood::Certain))
    );
    assert_eq!(light(&m, "3.3.1"), Light::Green);
    assert_eq!(light(&m, "1.2.1"), Light::Grey);
    assert_eq!(
        (m.budget.execution_rate, m.budget.pace, m.budget.light),
        (d("50.00"), Some(d("85.92")), Light::Green)
    );
    assert_eq!(m.budget.forecast, Some(d("309295.77")));

    // 2024-10-31: f = 305 ÷ 366; expected exactly 12500; latest 10200 (30 Sep) → 81.60 % green.
    let m = at(10, 31);
    assert_eq!(m.indicators[0].ratio, vec![d("81.60")]);
    assert_eq!(m.indicators[0].light, Light::Green);
    // Budget 355,000 ÷ 360,000 = 98.61 %; ÷ (305/366) = 118.33 % → green.
    assert_eq!(m.budget.pace, Some(d("118.33")));

    // 2024-12-31: f = 1. 13500 ÷ 15000 = 90 %: the year is over and the target missed →
    // 完全不可能 and red (never green beside 完全不可能). 节能减排 部分达成 → yellow, 完全不可能.
    let m = at(12, 31);
    assert_eq!(m.indicators[0].ratio, vec![d("90.00")]);
    assert_eq!(
        (m.indicators[0].light, m.indicators[0].likelihood),
        (Light::Red, Some(Likelihood::Impossible))
    );
    assert_eq!(light(&m, "3.3.1"), Light::Yellow);
    assert_eq!(light(&m, "4.1.1"), Light::Green);

    check(
        "transport_2024_monitor_0731.txt",
        &render_monitoring(&at(7, 31), Lang::Zh),
    );
    check(
        "transport_2024_monitor_0731.en.txt",
        &render_monitoring(&at(7, 31), Lang::En),
    );
    // JSON: typed values, read back into the same record.
    let m = at(7, 31);
    let json = monitoring_json(&m).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "jixiao-monitoring/2");
    assert_eq!(
        v["indicators"][0]["value"],
        serde_json::json!({"kind": "numbers", "parts": [{"value": "7600", "unit": "公里"}]})
    );
    assert_eq!(
        v["indicators"][0]["forecast"]["parts"][0]["value"],
        "13059.15"
    );
    assert_eq!(
        v["indicators"][3]["value"],
        serde_json::json!({"kind": "level", "level": "met"})
    );
    assert_eq!(v["indicators"][1]["value"], serde_json::Value::Null);
    let back: Monitoring = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
}

// ---------------------------------------------------------------------------------------------
// Monitoring: a light and its forecast agree by construction

/// Every operator, running total or rate, prorated or not, at every point of the year, for
/// actual values from nothing to far beyond: the light and the likelihood never contradict each
/// other (issue 17: green with 完全不可能 at year end for 96 of 100 次, 76 % against ≥80 %,
/// 93 % against ≥95 %).
#[test]
fn a_light_and_its_likelihood_never_contradict() {
    use jixiao_model::{Op, Quantity};
    let builtin = Policy::builtin();
    let prorated = Policy::from_toml(
        &DEFAULT_POLICY_TOML.replace("prorate_percent = false", "prorate_percent = true"),
    )
    .unwrap();
    let fractions = ["0", "0.01", "0.25", "0.5", "0.5819", "0.75", "0.99", "1"];
    let shares = [
        "0", "0.3", "0.59", "0.6", "0.7", "0.79", "0.8", "0.9", "0.95", "0.96", "0.99", "1",
        "1.01", "1.19", "1.2", "1.5", "2", "3",
    ];
    let mut cases = 0;
    for policy in [&builtin, &prorated] {
        for op in [Op::Ge, Op::Gt, Op::Eq, Op::Le, Op::Lt] {
            for (target, unit) in [("100", "次"), ("80", "%"), ("95", "%"), ("0", "次")] {
                let q = Quantity {
                    op,
                    value: d(target),
                    unit: Some(unit.to_string()),
                    label: None,
                };
                for f in fractions {
                    for share in shares {
                        let a =
                            d(target) * d(share) + if target == "0" { d(share) } else { d("0") };
                        let j = judge(&q, a, d(f), policy).unwrap();
                        let end = f == "1";
                        let what = format!("{op:?} {target}{unit} f={f} actual={a}: {j:?}");
                        match j.likelihood {
                            Some(Likelihood::Certain) => assert!(
                                matches!(j.light, Light::Green | Light::Blue),
                                "确定能 needs green or blue: {what}"
                            ),
                            Some(Likelihood::Impossible) => {
                                assert_eq!(j.light, Light::Red, "完全不可能 needs red: {what}")
                            }
                            Some(Likelihood::Possible) => {
                                assert!(!end, "有可能 at the period's end: {what}");
                                assert_ne!(j.light, Light::Blue, "{what}");
                                assert_ne!(j.light, Light::Grey, "{what}");
                            }
                            None => assert_eq!(j.light, Light::Grey, "{what}"),
                        }
                        if j.light == Light::Grey {
                            assert_eq!(j.likelihood, None, "{what}");
                        }
                        // At the end the light says whether the target was met.
                        if end {
                            let met = q.is_met_by(a);
                            assert_eq!(
                                matches!(j.light, Light::Green | Light::Blue),
                                met,
                                "{what}"
                            );
                        }
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 2 * 5 * 4 * fractions.len() * shares.len());

    // The three rows of the issue, at year end.
    for (target, unit, actual) in [("100", "次", "96"), ("80", "%", "76"), ("95", "%", "93")] {
        let q = Quantity {
            op: Op::Ge,
            value: d(target),
            unit: Some(unit.to_string()),
            label: None,
        };
        let j = judge(&q, d(actual), Decimal::ONE, &builtin).unwrap();
        assert_eq!(
            (j.light, j.likelihood),
            (Light::Red, Some(Likelihood::Impossible)),
            "{actual} against ≥{target}{unit}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Monitoring: other kinds

#[test]
fn monitoring_a_recurring_deadline_period_by_period() {
    // The seed's second project has 1.3.2 月度信息化存证审核按期完成: 每月结束之后的30日内完成.
    let form = seed();
    let p = &form.projects[1];
    let code = "1.3.2";
    assert!(p
        .indicator(code)
        .unwrap()
        .name
        .contains("月度信息化存证审核"));
    let o = vec![
        // January (due 1 Mar) done 20 Feb; February (due 30 Mar) done 25 Mar;
        // March (due 30 Apr) done only on 10 May.
        done(code, date(2024, 1, 31), date(2024, 2, 20)),
        done(code, date(2024, 2, 29), date(2024, 3, 25)),
        done(code, date(2024, 3, 31), date(2024, 5, 10)),
    ];
    let policy = Policy::builtin();
    let at = |m, day| {
        let r = monitor(
            p,
            &o,
            &[],
            date(2024, m, day),
            &policy,
            &MonitorOptions::default(),
        )
        .unwrap();
        r.indicators.into_iter().find(|i| i.code == code).unwrap()
    };
    // 15 Feb: no period due yet (January is due 1 Mar) → green, 0/0.
    let i = at(2, 15);
    assert_eq!((i.light, i.value), (Light::Green, periods(0, 0)));
    // 15 Mar: January due and done on time → green, 有可能 (more months to come).
    let i = at(3, 15);
    assert_eq!((i.light, i.value), (Light::Green, periods(1, 1)));
    assert_eq!(i.likelihood, Some(Likelihood::Possible));
    // 29 Apr: January and February on time; March not yet due → green.
    let i = at(4, 29);
    assert_eq!((i.light, i.value), (Light::Green, periods(2, 2)));
    // 30 Apr: March is due and not done → red, 完全不可能.
    let i = at(4, 30);
    assert_eq!((i.light, i.value), (Light::Red, periods(2, 3)));
    assert_eq!(i.likelihood, Some(Likelihood::Impossible));
    // 15 May: March was done late (10 May) → still red.
    let i = at(5, 15);
    assert_eq!((i.light, i.value), (Light::Red, periods(2, 3)));
}

#[test]
fn monitoring_dates_quantities_and_blue() {
    let p = project(
        "示例：监控",
        "120000",
        &[
            (Output, Level2::Quantity, "报告份数", "≥100(份)"),
            (Output, Level2::Quality, "差错率", "≤5(%)"),
            (
                Output,
                Level2::Timeliness,
                "完成时间",
                "2024年6月30日前完成",
            ),
            (
                Output,
                Level2::Timeliness,
                "验收时间",
                "2024年9月30日前完成",
            ),
            (Output, Level2::Quality, "归档", "完善"),
            (Cost, Level2::EconomicCost, "单位成本", "≤1000(元)"),
        ],
    );
    let o = vec![
        // By 31 Mar (f = 91/366): 40 reports; expected 100 × 91 ÷ 366 = 24.86 → 160.88 % blue.
        num("1.1.1", date(2024, 3, 31), "40", "份"),
        num("1.2.1", date(2024, 3, 31), "4", "%"),
        num("1.2.1", date(2024, 9, 30), "7", "%"),
        done("1.3.1", date(2024, 6, 20), date(2024, 6, 20)),
        level("1.2.2", date(2024, 3, 31), Achievement::NotMet),
        num("2.1.1", date(2024, 3, 31), "1200", "元"),
    ];
    let s = [spend(date(2024, 2, 1), "20000")];
    let policy = Policy::builtin();
    let at = |m, day| {
        monitor(
            &p,
            &o,
            &s,
            date(2024, m, day),
            &policy,
            &MonitorOptions::default(),
        )
        .unwrap()
    };
    let m = at(3, 31);
    let get = |m: &Monitoring, code: &str| {
        m.indicators
            .iter()
            .find(|i| i.code == code)
            .unwrap()
            .clone()
    };
    let reports = get(&m, "1.1.1");
    assert_eq!(reports.expected, vec![d("24.86")]);
    assert_eq!(reports.ratio, vec![d("160.88")]);
    assert_eq!(reports.light, Light::Blue);
    // Forecast 40 × 366 ÷ 91 = 160.88 ≥ 100 → 确定能.
    assert_eq!(reports.likelihood, Some(Likelihood::Certain));
    // ≤5 %: 4 % within → green; 7 % at 30 Sep beyond → red (a rate may still recover: 有可能).
    assert_eq!(get(&m, "1.2.1").light, Light::Green);
    let later = at(9, 30);
    assert_eq!(get(&later, "1.2.1").light, Light::Red);
    assert_eq!(get(&later, "1.2.1").likelihood, Some(Likelihood::Possible));
    // ≤1000 元 as a running total already at 1200 → red and 完全不可能.
    assert_eq!(get(&m, "2.1.1").light, Light::Red);
    assert_eq!(get(&m, "2.1.1").likelihood, Some(Likelihood::Impossible));
    // Deadline 30 Jun: not done on 31 Mar → green (before the date); done 20 Jun → green.
    assert_eq!(get(&m, "1.3.1").light, Light::Green);
    assert_eq!(get(&m, "1.3.1").likelihood, Some(Likelihood::Possible));
    assert_eq!(get(&at(7, 1), "1.3.1").light, Light::Green);
    assert_eq!(
        get(&at(7, 1), "1.3.1").likelihood,
        Some(Likelihood::Certain)
    );
    // Deadline 30 Sep never reported: green on 30 Sep, red on 1 Oct.
    assert_eq!(get(&at(9, 30), "1.3.2").light, Light::Green);
    assert_eq!(get(&at(10, 1), "1.3.2").light, Light::Red);
    assert_eq!(
        get(&at(10, 1), "1.3.2").likelihood,
        Some(Likelihood::Impossible)
    );
    // Qualitative 未达成 → red.
    assert_eq!(get(&m, "1.2.2").light, Light::Red);
    // Budget on 31 Mar: 20,000 ÷ 120,000 = 16.67 %; ÷ (91/366) = 67.03 % → yellow.
    assert_eq!(
        (m.budget.pace, m.budget.light),
        (Some(d("67.03")), Light::Yellow)
    );
    // Before the project starts: nothing expected → grey.
    let before = monitor(
        &p,
        &o,
        &s,
        date(2023, 12, 31),
        &policy,
        &MonitorOptions::default(),
    )
    .unwrap();
    assert_eq!(before.budget.light, Light::Grey);
    assert_eq!(get(&before, "1.1.1").light, Light::Grey);
    // A stricter policy moves the thresholds: red below 70 % makes the budget red.
    let strict = Policy::from_toml(
        &DEFAULT_POLICY_TOML
            .replace("budget_red_below = 60", "budget_red_below = 70")
            .replace("budget_yellow_below = 80", "budget_yellow_below = 85"),
    )
    .unwrap();
    let m = monitor(
        &p,
        &o,
        &s,
        date(2024, 3, 31),
        &strict,
        &MonitorOptions::default(),
    )
    .unwrap();
    assert_eq!(m.budget.light, Light::Red);
}

#[test]
fn monitoring_a_compound_target_shows_the_worst_part() {
    let form = seed();
    let p = &form.projects[1];
    let code = "3.2.1"; // 不少于120项…；不少于318家…；不少于80次…
    let rows = csv_rows(&format!(
        "project,code,indicator,date,value,note\n\
         减污降碳工作专项经费,{code},,2024-06-30,70项；100家；45次,半年\n"
    ));
    let o: Vec<Observation> = parse_actual_rows(&rows, &form.projects, &Policy::builtin())
        .unwrap()
        .into_iter()
        .map(|a| a.observation)
        .collect();
    assert_eq!(o.len(), 3);
    let m = monitor(
        p,
        &o,
        &[],
        date(2024, 6, 30),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    let i = m.indicators.iter().find(|i| i.code == code).unwrap();
    // f = 182 ÷ 366. Expected 120 × f = 59.67, 318 × f = 158.13, 80 × f = 39.78.
    // Ratios 70 ÷ 59.67… = 117.31 % green; 100 ÷ 158.13… = 63.24 % yellow; 45 ÷ 39.78… = 113.12 %.
    assert_eq!(i.expected, [d("59.67"), d("158.13"), d("39.78")]);
    assert_eq!(i.ratio, [d("117.31"), d("63.24"), d("113.12")]);
    assert_eq!(i.light, Light::Yellow);
    assert_eq!(
        i.value,
        numbers(&[("70", "项"), ("100", "家"), ("45", "次")])
    );
}

// ---------------------------------------------------------------------------------------------
// Actual rows

fn actual_rows(body: &str) -> Vec<Row> {
    csv_rows(&format!("project,indicator,date,value,note\n{body}"))
}

fn row_errors(rows: &[Row]) -> Vec<RowError> {
    match parse_actual_rows(rows, &seed().projects, &Policy::builtin()) {
        Err(Error::Rows(e)) => e,
        other => panic!("expected row errors, got {other:?}"),
    }
}

#[test]
fn a_good_file_reads_with_notes_evidence_and_chinese_headers() {
    let rows = csv_rows(
        "项目名称,三级指标,日期,实际完成值,说明,佐证材料\n\
         交通工具购置及更新,行驶公里数,2024年11月20日,\"13,500\",年中,行车记录.pdf\n\
         ,,,,,\n\
         交通工具购置及更新,接送准点率,2024-11-20,96％,,\n",
    );
    // The quoted amount is split by the naive test splitter: rebuild that row by hand.
    let mut rows = rows;
    rows[1] = Row::new(
        2,
        &[
            "交通工具购置及更新",
            "行驶公里数",
            "2024年11月20日",
            "13,500",
            "年中",
            "行车记录.pdf",
        ],
    );
    let got = parse_actual_rows(&rows, &seed().projects, &Policy::builtin()).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].line, 2);
    assert_eq!(
        got[0].observation,
        Observation {
            indicator: "1.1.1".into(),
            period: ReportPeriod::Day(date(2024, 11, 20)),
            date: date(2024, 11, 20),
            // No unit written: the target's unit is stored.
            value: ObservedValue::Number {
                value: d("13500"),
                unit: Some("公里".into())
            },
            note: Some("年中".into()),
            evidence: Some("行车记录.pdf".into()),
        }
    );
    assert_eq!(
        got[1].observation.value,
        ObservedValue::Number {
            value: d("96"),
            unit: Some("%".into())
        }
    );
    assert_eq!(got[1].observation.note, None);
}

#[test]
fn wrong_unit_is_an_error_naming_line_and_column() {
    let e = row_errors(&actual_rows(
        "交通工具购置及更新,接送准点率,2024-11-20,13500公里,\n\
         交通工具购置及更新,行驶公里数,2024-11-20,96%,\n",
    ));
    assert_eq!(e.len(), 2);
    assert_eq!((e[0].line, e[0].column), (2, Some("value")));
    assert_eq!(
        e[0].kind,
        RowErrorKind::WrongUnit {
            given: "公里".into(),
            expected: "%".into()
        }
    );
    assert_eq!(
        e[0].to_string(),
        "第 2 行 value 列：计量单位应为「%」，而不是「公里」 / line 2, column value: the unit should be \"%\", not \"公里\""
    );
    assert_eq!(e[1].line, 3);
    assert!(matches!(e[1].kind, RowErrorKind::WrongUnit { ref given, .. } if given == "%"));
}

#[test]
fn unknown_project_and_indicator() {
    let e = row_errors(&actual_rows(
        "交通工具购置,行驶公里数,2024-11-20,1公里,\n\
         交通工具购置及更新,飞行公里数,2024-11-20,1公里,\n",
    ));
    assert_eq!(e.len(), 2);
    assert_eq!(
        (e[0].line, e[0].column, &e[0].kind),
        (
            2,
            Some("project"),
            &RowErrorKind::UnknownProject("交通工具购置".into())
        )
    );
    assert_eq!((e[1].line, e[1].column), (3, Some("indicator")));
    assert!(
        e[1].to_string().contains("没有三级指标「飞行公里数」"),
        "{}",
        e[1]
    );
    assert!(
        e[1].to_string().contains("has no indicator \"飞行公里数\""),
        "{}",
        e[1]
    );
}

#[test]
fn ambiguous_names_need_a_code() {
    // 预算执行率 occurs more than once in 减污降碳工作专项经费.
    let form = seed();
    let p = &form.projects[1];
    let codes: Vec<&str> = p
        .indicators
        .iter()
        .filter(|i| i.name == "预算执行率")
        .map(|i| i.code.as_str())
        .collect();
    assert!(codes.len() >= 2);
    let target = p.indicator(codes[1]).unwrap().raw.clone();
    let value = Target::parse(&target).unwrap().quantities()[0].value;
    let e = row_errors(&actual_rows(&format!(
        "减污降碳工作专项经费,预算执行率,2024-11-20,{value}%,\n"
    )));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].column, Some("indicator"));
    match &e[0].kind {
        RowErrorKind::AmbiguousIndicator { codes: got, .. } => assert_eq!(got, &codes),
        other => panic!("{other:?}"),
    }
    assert!(e[0].to_string().contains("code"), "{}", e[0]);
    // With the code column the row is read; a code that names another indicator is an error.
    let rows = csv_rows(&format!(
        "project,indicator,code,date,value,note\n\
         减污降碳工作专项经费,预算执行率,{},2024-11-20,{value}%,\n",
        codes[1]
    ));
    let got = parse_actual_rows(&rows, &form.projects, &Policy::builtin()).unwrap();
    assert_eq!(got[0].observation.indicator, codes[1]);
    let rows = csv_rows(
        "project,indicator,code,date,value,note\n\
         减污降碳工作专项经费,预算执行率,1.1.1,2024-11-20,1%,\n\
         减污降碳工作专项经费,,8.8.8,2024-11-20,1%,\n",
    );
    let e = match parse_actual_rows(&rows, &form.projects, &Policy::builtin()) {
        Err(Error::Rows(e)) => e,
        other => panic!("{other:?}"),
    };
    assert!(
        matches!(e[0].kind, RowErrorKind::CodeNameMismatch { .. }),
        "{e:?}"
    );
    assert_eq!(e[1].kind, RowErrorKind::UnknownCode("8.8.8".into()));
}

#[test]
fn a_date_outside_the_project_year() {
    let e = row_errors(&actual_rows(
        "交通工具购置及更新,行驶公里数,2025-01-05,13500公里,\n\
         交通工具购置及更新,行驶公里数,2024-13-01,13500公里,\n",
    ));
    assert_eq!(e.len(), 2);
    assert_eq!(
        (e[0].line, e[0].column, &e[0].kind),
        (
            2,
            Some("date"),
            &RowErrorKind::DateOutsidePeriod {
                date: date(2025, 1, 5),
                start: date(2024, 1, 1),
                end: date(2024, 12, 31)
            }
        )
    );
    assert!(e[0]
        .to_string()
        .contains("不在项目期间 2024-01-01 至 2024-12-31 内"));
    assert_eq!(
        e[1].kind,
        RowErrorKind::BadDate {
            text: "2024-13-01".into(),
            year: 2024
        }
    );
    // Spending dates are checked the same way.
    let rows = csv_rows("project,date,amount\n交通工具购置及更新,2023-12-31,100\n");
    match parse_spending_rows(&rows, &seed().projects) {
        Err(Error::Rows(e)) => {
            assert!(matches!(e[0].kind, RowErrorKind::DateOutsidePeriod { .. }))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_where_a_number_belongs_and_other_kind_mismatches() {
    let e = row_errors(&actual_rows(
        "交通工具购置及更新,行驶公里数,2024-11-20,约一万公里,\n\
         交通工具购置及更新,行驶公里数,2024-11-20,达成,\n\
         交通工具购置及更新,行驶安全性,2024-11-20,100%,\n\
         交通工具购置及更新,行驶安全性,2024-11-20,,\n",
    ));
    assert_eq!(e.len(), 4);
    assert_eq!(
        e[0].kind,
        RowErrorKind::ExpectedNumber {
            text: "约一万公里".into(),
            target: "≥15000.00(公里)".into()
        }
    );
    assert!(e[0].to_string().contains("实际完成值应为数字"), "{}", e[0]);
    assert!(e[0].to_string().contains("must be a number"), "{}", e[0]);
    assert!(matches!(e[1].kind, RowErrorKind::ExpectedNumber { .. }));
    assert_eq!(
        e[2].kind,
        RowErrorKind::ExpectedLevel {
            text: "100%".into()
        }
    );
    assert_eq!(
        (e[3].column, &e[3].kind),
        (Some("value"), &RowErrorKind::Empty)
    );
}

#[test]
fn deadlines_take_dates_and_compounds_take_their_parts() {
    let form = seed();
    let projects = &form.projects;
    let policy = Policy::builtin();
    let rows = csv_rows(
        "project,code,indicator,date,value,note\n\
         减污降碳工作专项经费,1.3.2,,2024-01-31,2024-02-20,一月\n\
         减污降碳工作专项经费,1.3.2,,2024-12-31,2025-01-20,十二月（次年完成）\n\
         减污降碳工作专项经费,1.3.10,,2024-11-30,未达成,\n\
         减污降碳工作专项经费,3.2.1,,2024-12-31,320家,单项\n",
    );
    let got = parse_actual_rows(&rows, projects, &policy).unwrap();
    let values: Vec<&ObservedValue> = got.iter().map(|a| &a.observation.value).collect();
    assert_eq!(
        values,
        [
            &ObservedValue::Date {
                date: date(2024, 2, 20)
            },
            &ObservedValue::Date {
                date: date(2025, 1, 20)
            },
            &ObservedValue::Level {
                level: Achievement::NotMet
            },
            &ObservedValue::Number {
                value: d("320"),
                unit: Some("家".into())
            },
        ]
    );
    let rows = csv_rows(
        "project,code,indicator,date,value,note\n\
         减污降碳工作专项经费,1.3.2,,2024-01-31,达成,\n\
         减污降碳工作专项经费,1.3.2,,2024-01-31,2025-06-01,\n\
         减污降碳工作专项经费,3.2.1,,2024-12-31,130项；320家,\n\
         减污降碳工作专项经费,3.2.1,,2024-12-31,320,\n\
         减污降碳工作专项经费,3.2.1,,2024-12-31,320公里,\n",
    );
    let e = match parse_actual_rows(&rows, projects, &policy) {
        Err(Error::Rows(e)) => e,
        other => panic!("{other:?}"),
    };
    let kinds: Vec<&RowErrorKind> = e.iter().map(|e| &e.kind).collect();
    assert!(
        matches!(kinds[0], RowErrorKind::ExpectedDate { .. }),
        "{kinds:?}"
    );
    // 2025-06-01 is more than 90 days after 2024-12-31.
    assert!(
        matches!(kinds[1], RowErrorKind::DateOutsidePeriod { .. }),
        "{kinds:?}"
    );
    assert_eq!(
        kinds[2],
        &RowErrorKind::PartCount {
            given: 2,
            expected: 3
        }
    );
    assert_eq!(
        kinds[3],
        &RowErrorKind::AmbiguousPart {
            unit: String::new()
        }
    );
    assert!(
        matches!(kinds[4], RowErrorKind::WrongUnit { .. }),
        "{kinds:?}"
    );
}

#[test]
fn all_or_nothing_and_header_errors() {
    // One good row and one bad row: no records at all, one error.
    let e = row_errors(&actual_rows(
        "交通工具购置及更新,行驶公里数,2024-11-20,13500公里,\n\
         交通工具购置及更新,行驶公里数,2024-11-20,很多,\n",
    ));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, 3);
    // Missing columns are named; an empty table has no header.
    let e = row_errors(&csv_rows("project,indicator,value\n"));
    assert_eq!(
        e[0].kind,
        RowErrorKind::MissingColumn {
            column: "date",
            accepted: vec!["date", "日期", "支付日期", "period", "期间", "填报期间"]
        }
    );
    assert_eq!(e[0].column, None);
    // The message lists the names that would do.
    assert!(
        e[0].to_string()
            .contains("可用的列名：date、日期、支付日期、period、期间、填报期间"),
        "{}",
        e[0]
    );
    let e = row_errors(&csv_rows("项目,日期,完成值\n"));
    assert!(
        e[0].to_string()
            .contains("indicator, 指标, 三级指标, 指标名称, code, 指标编码, 编码"),
        "{}",
        e[0]
    );
    assert_eq!(row_errors(&[])[0].kind, RowErrorKind::NoHeader);
    let e = row_errors(&csv_rows("project,indicator,date,value,日期\n"));
    assert_eq!(e[0].kind, RowErrorKind::DuplicateColumn("date".into()));
    // The error of the whole batch lists every row, one per line.
    let err = parse_actual_rows(
        &actual_rows("甲,乙,2024-01-01,1,\n丙,丁,2024-01-01,1,\n"),
        &seed().projects,
        &Policy::builtin(),
    )
    .unwrap_err();
    assert_eq!(err.to_string().lines().count(), 2);
}

#[test]
fn spending_rows() {
    let form = seed();
    let rows = csv_rows(
        "项目名称,日期,金额,备注\n\
         交通工具购置及更新,2024/4/15,180000.00,业务用车\n\
         交通工具购置及更新,2024-09-10,¥175000元,\n",
    );
    let got = parse_spending_rows(&rows, &form.projects).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].record.amount, d("180000.00"));
    assert_eq!(got[0].record.note.as_deref(), Some("业务用车"));
    assert_eq!(got[1].record.amount, d("175000"));
    let rows = csv_rows("project,date,amount\n交通工具购置及更新,2024-04-15,十八万\n");
    match parse_spending_rows(&rows, &form.projects) {
        Err(Error::Rows(e)) => {
            assert_eq!(
                (e[0].column, &e[0].kind),
                (Some("amount"), &RowErrorKind::BadAmount("十八万".into()))
            )
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// House rules

#[test]
fn the_crate_stays_pure() {
    // Only these dependencies: no tokio, sqlx, I/O crates (STYLE.md, "Pure crates first").
    let manifest: toml::Table = std::fs::read_to_string(repo().join("crates/evaluate/Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let deps: Vec<&str> = manifest["dependencies"]
        .as_table()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let allowed = [
        "jixiao-model",
        "serde",
        "serde_json",
        "toml",
        "thiserror",
        "rust_decimal",
        "chrono",
    ];
    for d in &deps {
        assert!(allowed.contains(d), "unexpected dependency {d}");
    }
}

#[test]
fn odd_cells_give_errors_not_panics() {
    let form = seed();
    let policy = Policy::builtin();
    let odd = [
        "",
        "-",
        ".",
        ",",
        "1e5",
        "--5公里",
        "１２３４５６７８９０１２３４５６７８９０１２３４５６７８９０公里",
        "79228162514264337593543950336",
        "(公里)",
        "；；",
        "；5家；",
        "9999-12-31",
        "0000-01-01",
        "2024年2月30日",
        "\u{feff}达成",
        "\u{0}",
        "🚗",
    ];
    for indicator in ["行驶公里数", "行驶安全性", "接送准点率", "", "🚗"] {
        for v in odd {
            for dt in ["2024-06-30", v] {
                let rows = vec![
                    Row::new(1, &["project", "indicator", "date", "value", "note"]),
                    Row::new(2, &["交通工具购置及更新", indicator, dt, v, v]),
                    Row::new(3, &[v]),
                    Row::new(4, &[]),
                ];
                let r = parse_actual_rows(&rows, &form.projects, &policy);
                assert!(r.is_err(), "{indicator:?} {dt:?} {v:?} was read: {r:?}");
                let rows = vec![
                    Row::new(1, &["project", "date", "amount"]),
                    Row::new(2, &["交通工具购置及更新", dt, v]),
                ];
                let r = parse_spending_rows(&rows, &form.projects);
                assert!(r.is_err(), "{dt:?} {v:?} was read: {r:?}");
            }
        }
    }
    // A project whose period ends at the end of time, monitored and evaluated at the extremes.
    let mut p = project(
        "示例：极端",
        "1",
        &[
            (
                Output,
                Level2::Timeliness,
                "甲",
                "每周结束之后的3个工作日内完成",
            ),
            (Output, Level2::Quantity, "乙", "≥1(份)"),
        ],
    );
    assert!(matches!(
        p.indicators[0].target,
        Target::Deadline(jixiao_model::Deadline::Recurring(_))
    ));
    p.end = NaiveDate::MAX;
    // Before the start nothing is due (the weekly deadline is on time); by mid-2024 and at the
    // end of time its weeks have passed without a record; the count has no value at all.
    for (as_of, elapsed, deadline) in [
        (NaiveDate::MIN, "0.00", Light::Green),
        (date(2024, 6, 30), "0.00", Light::Red),
        (NaiveDate::MAX, "100.00", Light::Red),
    ] {
        let m = monitor(&p, &[], &[], as_of, &policy, &MonitorOptions::default())
            .unwrap_or_else(|e| panic!("{as_of}: {e}"));
        assert_eq!(m.elapsed, d(elapsed), "{as_of}");
        let lights: Vec<Light> = m.indicators.iter().map(|i| i.light).collect();
        assert_eq!(lights, [deadline, Light::Grey], "{as_of}");
    }
    let e = evaluate(&p, &[], &[], &policy, &EvaluateOptions::default()).unwrap();
    assert_eq!(e.total, d("0.00"));
}

// ---------------------------------------------------------------------------------------------
// Identity: one value per (indicator, 填报期间), spending above the budget, changed kinds

fn code_of(p: &Project, name: &str) -> String {
    p.indicators
        .iter()
        .find(|i| i.name == name)
        .unwrap()
        .code
        .clone()
}

fn by_period() -> Project {
    project(
        "示例：按期间",
        "100000",
        &[
            (Output, Level2::Quantity, "里程", "≥15000.00(公里)"),
            (
                Output,
                Level2::Timeliness,
                "季报按期",
                "每季度结束之后的30日内完成",
            ),
            (
                Satisfaction,
                Level2::ServiceSatisfaction,
                "满意度",
                "≥95.00(%)",
            ),
        ],
    )
}

fn for_period(o: Observation, period: &str) -> Observation {
    Observation {
        period: period.parse().unwrap(),
        ..o
    }
}

#[test]
fn a_quarterly_deadline_is_scored_by_period_not_by_report_date() {
    let p = by_period();
    let q = code_of(&p, "季报按期");
    let o = vec![
        // Q1 (due 30 Apr) reported and done on 20 Apr: on time for Q1, not a Q2 report.
        for_period(done(&q, date(2024, 4, 20), date(2024, 4, 20)), "2024Q1"),
        // Q3 (due 30 Oct): first 未达成, then corrected to done on 15 Oct — the last wins.
        for_period(
            obs(
                &q,
                date(2024, 10, 10),
                ObservedValue::Level {
                    level: Achievement::NotMet,
                },
                None,
            ),
            "2024Q3",
        ),
        for_period(done(&q, date(2024, 10, 15), date(2024, 10, 15)), "2024Q3"),
        // Q4 (due 30 Jan 2025) done 10 Jan 2025.
        for_period(done(&q, date(2024, 12, 31), date(2025, 1, 10)), "2024Q4"),
    ];
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &EvaluateOptions::default()).unwrap();
    let s = score_of(&e, &q);
    // 产出 50 over two indicators → 25 each. Q1, Q3, Q4 on time, Q2 never reported:
    // 3 ÷ 4 × 25 = 18.75. By report date Q1's report would have counted for Q2 instead.
    assert_eq!(s.actual, periods(3, 4));
    assert_eq!((s.weight, s.score), (d("25.00"), d("18.75")));
    assert_eq!(s.outcome, Outcome::NotMet);

    // Monitoring as of 1 May: Q1 is due and was done on time → green, 1/1.
    let m = monitor(
        &p,
        &o,
        &[],
        date(2024, 5, 1),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    let i = m.indicators.iter().find(|i| i.code == q).unwrap();
    assert_eq!((i.light, i.value.clone()), (Light::Green, periods(1, 1)));
    // As of 31 Jul Q2 (due 30 Jul) has no report → red.
    let m = monitor(
        &p,
        &o,
        &[],
        date(2024, 7, 31),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    let i = m.indicators.iter().find(|i| i.code == q).unwrap();
    assert_eq!((i.light, i.value.clone()), (Light::Red, periods(1, 2)));

    // A value for a whole year cannot be one quarter's report: kept and flagged, not scored.
    let o = vec![for_period(
        done(&q, date(2024, 4, 20), date(2024, 4, 20)),
        "2024",
    )];
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &EvaluateOptions::default()).unwrap();
    let s = score_of(&e, &q);
    assert_eq!((s.outcome, s.score), (Outcome::Unconfirmed, d("0.00")));
    let f = e
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::KindChanged)
        .unwrap();
    assert!(
        f.message_zh.contains("「2024：2024年4月20日」"),
        "{}",
        f.message_zh
    );
    assert!(
        f.message_en.contains("\"2024: 2024-04-20\""),
        "{}",
        f.message_en
    );
}

#[test]
fn a_corrected_value_wins_for_value_and_note_alike() {
    let p = by_period();
    let k = code_of(&p, "里程");
    let first = obs(
        &k,
        date(2024, 12, 31),
        ObservedValue::Number {
            value: d("15500"),
            unit: Some("公里".into()),
        },
        Some("初报"),
    );
    let corrected = obs(
        &k,
        date(2024, 12, 31),
        ObservedValue::Number {
            value: d("13000"),
            unit: Some("公里".into()),
        },
        Some("更正：原数重复计算"),
    );
    let o = vec![first.clone(), corrected.clone()];
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &EvaluateOptions::default()).unwrap();
    let s = score_of(&e, &k);
    // 13000 ÷ 15000 × 25 = 21.666… → 21.67; the correction's note is the reason.
    assert_eq!(s.actual, numbers(&[("13000", "公里")]));
    assert_eq!(s.score, d("21.67"));
    assert_eq!(s.deviation_reason.as_deref(), Some("更正：原数重复计算"));
    let m = monitor(
        &p,
        &o,
        &[],
        date(2024, 12, 31),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    assert_eq!(m.indicators[0].value, numbers(&[("13000", "公里")]));
    // Given the other way round, the other value counts: the order given decides, not the size.
    let e = evaluate(
        &p,
        &[corrected, first],
        &[],
        &Policy::builtin(),
        &EvaluateOptions::default(),
    )
    .unwrap();
    assert_eq!(score_of(&e, &k).score, d("25.00"));
    assert_eq!(score_of(&e, &k).actual, numbers(&[("15500", "公里")]));

    // A compound row given twice for the same day: the second row replaces every part.
    let p = every_kind();
    let c = code_of(&p, "监管效能");
    let part = |v: &str, u: &str, note: &str| {
        obs(
            &c,
            date(2024, 12, 31),
            ObservedValue::Number {
                value: d(v),
                unit: Some(u.into()),
            },
            Some(note),
        )
    };
    let o = vec![
        part("130", "项", "初报"),
        part("320", "家", "初报"),
        part("85", "次", "初报"),
        part("110", "项", "更正"),
        part("320", "家", "更正"),
        part("85", "次", "更正"),
    ];
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &EvaluateOptions::default()).unwrap();
    let s = score_of(&e, &c);
    assert_eq!(
        s.actual,
        numbers(&[("110", "项"), ("320", "家"), ("85", "次")])
    );
    assert_eq!(s.outcome, Outcome::NotMet);
    assert_eq!(s.deviation_reason.as_deref(), Some("更正"));
}

#[test]
fn spending_above_the_budget_is_a_warning_with_the_real_rate() {
    let p = by_period();
    // Imported twice: 2 × 98,500 = 197,000 against a budget of 100,000.
    let twice = [
        spend(date(2024, 6, 1), "98500.00"),
        spend(date(2024, 6, 1), "98500.00"),
    ];
    let e = evaluate(
        &p,
        &[],
        &twice,
        &Policy::builtin(),
        &EvaluateOptions::default(),
    )
    .unwrap();
    assert_eq!(e.budget.execution_rate, d("197.00"));
    assert_eq!(e.budget.score, d("10.00"));
    let f = e
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::OverBudget)
        .expect("over-budget flag");
    assert!(f.message_zh.contains("197.00%"), "{}", f.message_zh);
    // Amounts written as everywhere else (present::money).
    assert!(
        f.message_zh
            .contains("执行数 197,000.00 元超过全年预算数 100,000.00 元"),
        "{}",
        f.message_zh
    );
    assert!(
        f.message_en
            .contains("spending of 197,000.00 yuan exceeds the annual budget of 100,000.00 yuan"),
        "{}",
        f.message_en
    );
    assert!(f.message_zh.contains("上限"), "{}", f.message_zh);
    assert!(f.message_en.contains("at most"), "{}", f.message_en);
    assert!(render_evaluation(&e, Lang::Zh).contains("请核对是否重复导入"));

    let m = monitor(
        &p,
        &[],
        &twice,
        date(2024, 7, 31),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    assert_eq!(m.budget.execution_rate, d("197.00"));
    assert!(m.flags.iter().any(|f| f.kind == FlagKind::OverBudget));
    assert!(render_monitoring(&m, Lang::En).contains("exceeds the annual budget"));
    // Exactly the budget is no warning.
    let e = evaluate(
        &p,
        &[],
        &[spend(date(2024, 6, 1), "100000.00")],
        &Policy::builtin(),
        &EvaluateOptions::default(),
    )
    .unwrap();
    assert!(!e.flags.iter().any(|f| f.kind == FlagKind::OverBudget));
}

#[test]
fn a_value_of_another_kind_is_kept_flagged_and_not_scored() {
    // 满意度 was 「满意」 (qualitative) when 达成 was recorded; now it is ≥95.00(%).
    let p = by_period();
    let s_code = code_of(&p, "满意度");
    let o = vec![level(&s_code, date(2024, 12, 1), Achievement::Met)];
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &EvaluateOptions::default()).unwrap();
    let s = score_of(&e, &s_code);
    assert_eq!(s.outcome, Outcome::Unconfirmed);
    let recorded_met = Some(IndicatorValue::Recorded {
        value: ObservedValue::Level {
            level: Achievement::Met,
        },
    });
    assert_eq!(s.actual, recorded_met);
    assert!(render_evaluation(&e, Lang::Zh).contains("待确认"));
    assert_eq!(s.score, d("0.00"));
    assert_eq!(e.goals.summary.unconfirmed, 1);
    assert_eq!(e.goals.summary.missing, 2);
    let f = e
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::KindChanged)
        .unwrap();
    assert_eq!(f.code.as_deref(), Some(s_code.as_str()));
    assert!(f
        .message_zh
        .contains("指标值类型已变更，请重新确认实际完成值"));
    assert!(f
        .message_en
        .contains("the target's kind changed: confirm the actual value again"));
    assert!(!e
        .flags
        .iter()
        .any(|f| f.kind == FlagKind::MissingActual && f.code.as_deref() == Some(s_code.as_str())));

    let m = monitor(
        &p,
        &o,
        &[],
        date(2024, 12, 31),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    let i = m.indicators.iter().find(|i| i.code == s_code).unwrap();
    assert_eq!((i.light, i.value.clone()), (Light::Grey, recorded_met));
    let json = monitoring_json(&m).unwrap();
    assert!(
        json.contains("\"kind\": \"recorded\""),
        "the value to be confirmed is typed in the JSON: {json}"
    );
    let back: Monitoring = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    assert!(m.flags.iter().any(|f| f.kind == FlagKind::KindChanged));

    // Confirmed again with a number of the new kind: scored, and no flag.
    let o = vec![
        level(&s_code, date(2024, 12, 1), Achievement::Met),
        num(&s_code, date(2024, 12, 20), "96", "%"),
    ];
    let e = evaluate(&p, &o, &[], &Policy::builtin(), &EvaluateOptions::default()).unwrap();
    let s = score_of(&e, &s_code);
    assert_eq!((s.outcome, s.score), (Outcome::Met, d("10.00")));
    // The older 达成 is superseded by the confirmed value: no flag any more.
    assert!(!e.flags.iter().any(|f| f.kind == FlagKind::KindChanged));
}

#[test]
fn orphaned_actuals_are_flagged_by_the_caller() {
    let p = by_period();
    let mut m = monitor(
        &p,
        &[],
        &[],
        date(2024, 7, 31),
        &Policy::builtin(),
        &MonitorOptions::default(),
    )
    .unwrap();
    let f = Flag::orphaned("1.1.3 旧指标", 2);
    assert_eq!((f.kind, f.code.as_deref()), (FlagKind::Orphaned, None));
    m.flags.push(f);
    let text = render_monitoring(&m, Lang::Zh);
    assert!(text.contains("指标「1.1.3 旧指标」已不在申报表中，其 2 条实际完成值已保留但不计分"));
    let json = monitoring_json(&m).unwrap();
    assert!(json.contains("\"kind\": \"orphaned\""), "{json}");
}

// ---------------------------------------------------------------------------------------------
// Rows: 填报期间, Chinese headers, dates as people write them, vouchers

fn parse_ok(text: &str) -> Vec<ParsedActual> {
    parse_actual_rows(&csv_rows(text), &seed().projects, &Policy::builtin())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_period_column_names_the_period_reported_on() {
    // 1.3.2 is monthly (每月结束之后的30日内完成). March's report made on 20 April.
    let got = parse_ok(
        "项目,指标编码,日期,期间,完成值,备注\n\
         减污降碳工作专项经费,1.3.2,2024年4月20日,2024年3月,2024/4/18,三月\n\
         减污降碳工作专项经费,1.3.2,2024-04-20,,2024-04-18,四月？\n\
         减污降碳工作专项经费,1.3.2,2024-05-06,2024-04,2024-05-06,\n",
    );
    let periods: Vec<String> = got
        .iter()
        .map(|a| a.observation.period.to_string())
        .collect();
    // Given: March; absent: derived from the date (April); given again: April.
    assert_eq!(periods, ["2024-03", "2024-04", "2024-04"]);
    assert_eq!(got[0].observation.date, date(2024, 4, 20));
    assert_eq!(
        got[0].observation.value,
        ObservedValue::Date {
            date: date(2024, 4, 18)
        }
    );
    assert_eq!(got[0].observation.note.as_deref(), Some("三月"));
    // A one-off target takes a day; given without a date it stands in for the date.
    let got = parse_ok(
        "project,indicator,date,period,value\n\
         交通工具购置及更新,行驶公里数,,2024年6月30日,8000公里\n\
         交通工具购置及更新,行驶公里数,2024-07-05,2024-06-30,8100公里\n",
    );
    assert_eq!(
        got[0].observation.period,
        ReportPeriod::Day(date(2024, 6, 30))
    );
    assert_eq!(got[0].observation.date, date(2024, 6, 30));
    // The same key, reported later: the store keeps the second as the current value.
    assert_eq!(got[1].observation.period, got[0].observation.period);
    assert_eq!(got[1].observation.date, date(2024, 7, 5));
}

#[test]
fn a_period_that_does_not_fit_the_target_is_a_row_error() {
    let e = row_errors(&csv_rows(
        "project,code,date,period,value\n\
         减污降碳工作专项经费,1.3.2,2024-04-20,2024Q1,2024-04-18\n\
         减污降碳工作专项经费,1.3.2,2024-04-20,2024Q5,2024-04-18\n\
         减污降碳工作专项经费,1.3.2,2024-04-20,2023-12,2024-04-18\n\
         交通工具购置及更新,1.1.1,2024-05-20,2024-04,8000公里\n\
         减污降碳工作专项经费,1.3.2,,2024-03,2024-04-18\n",
    ));
    let got: Vec<(u32, Option<&str>, &RowErrorKind)> =
        e.iter().map(|e| (e.line, e.column, &e.kind)).collect();
    assert_eq!(
        got,
        [
            (
                2,
                Some("period"),
                &RowErrorKind::PeriodKind {
                    given: "2024Q1".into(),
                    expected: Some(jixiao_model::Period::Month),
                    year: 2024
                }
            ),
            (
                3,
                Some("period"),
                &RowErrorKind::BadPeriod {
                    text: "2024Q5".into(),
                    year: 2024
                }
            ),
            (
                4,
                Some("period"),
                &RowErrorKind::PeriodOutsideProject {
                    period: "2023-12".into(),
                    start: date(2024, 1, 1),
                    end: date(2024, 12, 31)
                }
            ),
            // A cumulative count is read as of its date, which must lie in the month written.
            (
                5,
                Some("date"),
                &RowErrorKind::DateOutsideGivenPeriod {
                    date: date(2024, 5, 20),
                    period: "2024-04".into(),
                    period_zh: "2024年4月".into(),
                }
            ),
            // A recurring deadline still needs the day the report was made.
            (6, Some("date"), &RowErrorKind::Empty),
        ]
    );
    let msg = e[0].to_string();
    assert!(
        msg.starts_with("第 2 行 period 列：该指标按月份（如 2024-03）填报，期间「2024Q1」不符"),
        "{msg}"
    );
    assert!(msg.contains("line 2, column period"), "{msg}");
}

/// A cumulative ≥ indicator (1.1.1 行驶公里数) reported quarterly or monthly, as a clerk writes
/// it (issue 17, item 8): the value as of the row's date, which lies in that period; the
/// observation is that day's.
#[test]
fn a_cumulative_indicator_takes_a_quarter_or_month_holding_its_date() {
    let got = parse_ok(
        "project,code,date,期间,value\n\
         交通工具购置及更新,1.1.1,2024-06-30,2024Q2,8000公里\n\
         交通工具购置及更新,1.1.1,2024-07-31,2024-07,9000公里\n\
         交通工具购置及更新,1.1.1,2024-09-30,2024年第三季度,9500公里\n",
    );
    let read: Vec<(ReportPeriod, NaiveDate)> = got
        .iter()
        .map(|a| (a.observation.period, a.observation.date))
        .collect();
    assert_eq!(
        read,
        [
            (ReportPeriod::Day(date(2024, 6, 30)), date(2024, 6, 30)),
            (ReportPeriod::Day(date(2024, 7, 31)), date(2024, 7, 31)),
            (ReportPeriod::Day(date(2024, 9, 30)), date(2024, 9, 30)),
        ]
    );
    // Without the day, a quarter does not say which day's value it is.
    let e = row_errors(&csv_rows(
        "project,code,date,period,value\n交通工具购置及更新,1.1.1,,2024Q2,8000公里\n",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].column, Some("date"));
    let e = row_errors(&csv_rows(
        "project,code,date,period,value\n交通工具购置及更新,1.1.1,2024-07-01,2024Q2,8000公里\n",
    ));
    let msg = e[0].to_string();
    assert!(
        msg.contains("日期 2024-07-01 不在期间「2024Q2」（2024年第2季度）内")
            && msg.contains("the date 2024-07-01 lies outside the period 2024Q2"),
        "{msg}"
    );
}

#[test]
fn spending_rows_with_vouchers_and_chinese_headers() {
    let form = seed();
    let rows = csv_rows(
        "项目,支付日期,支出金额,凭证号,说明\n\
         交通工具购置及更新,2024年6月30日,98500.00,记-0615,购车\n\
         交通工具购置及更新,2024/7/1,1500.00,,\n",
    );
    let got = parse_spending_rows(&rows, &form.projects).unwrap();
    assert_eq!(got[0].record.date, date(2024, 6, 30));
    assert_eq!(got[0].record.voucher.as_deref(), Some("记-0615"));
    assert_eq!(got[0].record.note.as_deref(), Some("购车"));
    assert_eq!(got[1].record.date, date(2024, 7, 1));
    assert_eq!(got[1].record.voucher, None);
    // Other spellings of the voucher column.
    for h in ["voucher", "凭证编号", "单据号"] {
        let rows = csv_rows(&format!(
            "project,date,amount,{h}\n交通工具购置及更新,2024-07-01,1.00,A1\n"
        ));
        let got = parse_spending_rows(&rows, &form.projects).unwrap();
        assert_eq!(got[0].record.voucher.as_deref(), Some("A1"), "{h}");
    }
    // A missing amount column names the accepted headers.
    match parse_spending_rows(&csv_rows("项目,日期\n"), &form.projects) {
        Err(Error::Rows(e)) => assert!(
            e[0].to_string().contains("amount、金额、执行数、支出金额"),
            "{}",
            e[0]
        ),
        other => panic!("{other:?}"),
    }
}

/// Two rows of one file for the same indicator and period are refused at the second, naming
/// the first: the file says two things about one value; neither is merged nor silently taken
/// as a correction (issue 19 item 6).
#[test]
fn two_rows_for_one_value_are_refused_at_the_second() {
    let e = row_errors(&actual_rows(
        "交通工具购置及更新,行驶公里数,2024-06-30,6000公里,\n\
         交通工具购置及更新,接送准点率,2024-06-30,96%,\n\
         交通工具购置及更新,行驶公里数,2024-06-30,6500公里,\n",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, 4);
    assert_eq!(
        e[0].kind,
        RowErrorKind::DuplicateValue {
            period: "2024-06-30".into(),
            first_line: 2
        }
    );
    // One 凭证号 on two rows of the same project and date: refused at the second row's cell.
    let rows = csv_rows(
        "project,date,amount,voucher\n\
         交通工具购置及更新,2024-10-08,8000.00,记-12\n\
         交通工具购置及更新,2024-10-08,9000.00,记-12\n\
         交通工具购置及更新,2024-10-09,9000.00,记-12\n",
    );
    match parse_spending_rows(&rows, &seed().projects) {
        Err(Error::Rows(e)) => {
            assert_eq!(e.len(), 1, "{e:?}");
            assert_eq!(e[0].line, 3);
            assert_eq!(
                e[0].kind,
                RowErrorKind::DuplicateVoucher {
                    voucher: "记-12".into(),
                    first_line: 2
                }
            );
        }
        other => panic!("expected row errors, got {other:?}"),
    }
    // Without a voucher, two equal payments of one day are two records.
    let rows = csv_rows(
        "project,date,amount\n\
         交通工具购置及更新,2024-10-08,8000.00\n\
         交通工具购置及更新,2024-10-08,8000.00\n",
    );
    assert_eq!(
        parse_spending_rows(&rows, &seed().projects).unwrap().len(),
        2
    );
}

/// The examples of a date or period that does not read are in the declaration's own year: a
/// 2025 project's file is told `2025-11-20`, `2025Q1`, never a 2024 date (issue 17 item 10).
#[test]
fn hints_are_in_the_declarations_year() {
    let text = std::fs::read_to_string(repo().join("tests/data/seed_2024_shanghai.json"))
        .unwrap()
        .replace("2024", "2025");
    let form: Form = serde_json::from_str(&text).unwrap();
    let rows = csv_rows(
        "project,code,date,period,value\n\
         交通工具购置及更新,1.1.1,6月底,,8000公里\n\
         交通工具购置及更新,1.1.1,2025-06-30,第二季度,8000公里\n\
         减污降碳工作专项经费,1.3.2,2025-04-20,2025Q1,2025-04-18\n",
    );
    let e = match parse_actual_rows(&rows, &form.projects, &Policy::builtin()) {
        Err(Error::Rows(e)) => e,
        other => panic!("expected row errors, got {other:?}"),
    };
    let texts: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 3, "{texts:#?}");
    assert!(
        texts[0].contains("应写作 2025-06-30、2025/6/30 或 2025年6月30日"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].contains("应写作 2025-06-30、2025-03、2025Q1、2025H1 或 2025"),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].contains("按月份（如 2025-03）填报"),
        "{}",
        texts[2]
    );
    for t in &texts {
        assert!(!t.contains("2024"), "{t}");
    }
}

// ---------------------------------------------------------------------------------------------
// One value typed for one indicator (a page's form, `jixiao actuals set`)

fn entry<'a>(
    indicator: &'a str,
    date: &'a str,
    period: &'a str,
    value: &'a str,
) -> ActualEntry<'a> {
    ActualEntry {
        indicator,
        date,
        period,
        value,
        note: "年中",
        evidence: "",
    }
}

fn seed_project(form: &Form, name: &str) -> Project {
    form.projects
        .iter()
        .find(|p| p.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name}"))
}

fn entry_errors(e: &ActualEntry<'_>) -> Vec<EntryError> {
    let p = seed_project(&seed(), "交通工具购置及更新");
    match parse_actual_entry(e, &p, &Policy::builtin()) {
        Err(Error::Entry(e)) => e,
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// An entry is read as a row of a file is: the same observations (by code or by name, a
/// compound target in full or one part), and a value that does not read is the same error
/// kind — at its field instead of a line and a column, the field named in the text.
#[test]
fn an_entry_reads_as_a_row_and_names_its_field() {
    let form = seed();
    let p = &seed_project(&form, "交通工具购置及更新");
    let policy = Policy::builtin();
    for (indicator, date, value) in [
        ("1.1.1", "2024年11月20日", "13,500公里"),
        ("行驶公里数", "2024-11-20", "13500"),
        ("1.3.1", "2024/11/20", "96％"),
    ] {
        let typed = parse_actual_entry(&entry(indicator, date, "", value), p, &policy).unwrap();
        let (code_col, name_col) = if p.indicator(indicator).is_some() {
            (indicator, "")
        } else {
            ("", indicator)
        };
        let rows = csv_rows(&format!(
            "project,indicator,code,date,value,note\n{},{name_col},{code_col},{date},{},年中\n",
            p.name,
            value.replace(',', "")
        ));
        let from_rows: Vec<Observation> = parse_actual_rows(&rows, &form.projects, &policy)
            .unwrap()
            .into_iter()
            .map(|a| a.observation)
            .collect();
        assert_eq!(typed.observations, from_rows, "{indicator} {value}");
        assert_eq!(typed.as_of, None);
    }
    // A cumulative value written for the quarter that holds its day: as of the day.
    let q = parse_actual_entry(
        &entry("1.1.1", "2024-06-30", "2024Q2", "8000公里"),
        p,
        &policy,
    )
    .unwrap();
    assert_eq!(
        q.observations[0].period,
        ReportPeriod::Day(date(2024, 6, 30))
    );
    assert_eq!(
        q.as_of,
        Some(("2024Q2".parse().unwrap(), date(2024, 6, 30)))
    );

    // Each problem at its field, named in both languages.
    let e = entry_errors(&entry("1.1.1", "2024-06-30", "", "15O00公里"));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].field, "value");
    assert!(matches!(e[0].kind, RowErrorKind::UnclearNumber { .. }));
    let (zh, en) = e[0].messages();
    assert!(
        zh.starts_with("实际完成值：实际完成值「15O00公里」中有字母 O"),
        "{zh}"
    );
    assert!(en.starts_with("value: "), "{en}");
    let e = entry_errors(&entry("1.1.1", "6月底", "", "8000公里"));
    assert_eq!(e[0].field, "date");
    assert_eq!(
        e[0].messages().0,
        "日期：「6月底」不是日期，应写作 2024-06-30、2024/6/30 或 2024年6月30日"
    );
    let e = entry_errors(&entry("1.1.1", "2024-06-30", "第二季", "8000公里"));
    assert_eq!(e[0].field, "period");
    assert!(e[0].messages().1.starts_with("period: "), "{:?}", e[0]);
    // A day outside the quarter written cannot be the value as of it: at the date.
    let e = entry_errors(&entry("1.1.1", "2024-08-31", "2024Q2", "8000公里"));
    assert_eq!(e[0].field, "date");
    assert!(
        e[0].messages()
            .0
            .contains("日期 2024-08-31 不在期间「2024Q2」"),
        "{:?}",
        e[0].messages()
    );
    // No indicator, and an unknown one.
    assert_eq!(
        entry_errors(&entry("", "2024-06-30", "", "1"))[0].field,
        "indicator"
    );
    let e = entry_errors(&entry("9.9.9", "2024-06-30", "", "1"));
    assert_eq!(e[0].field, "indicator");
    // Several problems, each at its own field.
    let e = entry_errors(&entry("1.1.1", "2024-13-40", "", "公里"));
    let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["date", "value"]);
}

/// A monthly deadline's value typed for 2024-06-30 is June's: another month or a quarter
/// written beside it is refused at the period, naming the one the date reports on.
#[test]
fn an_entrys_period_is_the_one_its_date_reports_on() {
    let p = &seed_project(&seed(), "减污降碳工作专项经费");
    let policy = Policy::builtin();
    let ok = parse_actual_entry(
        &entry("1.3.2", "2024年6月30日", "2024年6月", "2024-07-20"),
        p,
        &policy,
    )
    .unwrap();
    assert_eq!(ok.observations[0].period, "2024-06".parse().unwrap());
    for other in ["2024-05", "2024Q2"] {
        match parse_actual_entry(
            &entry("1.3.2", "2024-06-30", other, "2024-07-20"),
            p,
            &policy,
        ) {
            Err(Error::Entry(e)) => {
                assert_eq!(e.len(), 1, "{e:?}");
                assert_eq!(e[0].field, "period");
                let (zh, _) = e[0].messages();
                assert!(
                    zh.contains("与日期 2024-06-30 不符") && zh.contains("2024-06"),
                    "{zh}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

/// Two years' declarations of one project (the demo's 2024 and 2025 交通工具购置及更新): a row
/// that names the project without 年度 is refused naming both years and the column to add,
/// never matched to a year by its date; with 年度 it reads; a year with no declaration of that
/// name, or a 年度 that is not a year, is refused at the 年度 cell.
#[test]
fn a_name_shared_by_two_years_needs_the_year_column() {
    let mut projects = seed().projects;
    let mut next = projects[0].clone();
    next.year = 2025;
    next.start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    next.end = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    projects.push(next);
    let name = projects[0].name.clone();

    let rows = csv_rows(&format!("project,date,amount\n{name},2024-09-10,100\n"));
    match parse_spending_rows(&rows, &projects) {
        Err(Error::Rows(e)) => {
            assert_eq!(e.len(), 1);
            assert_eq!(e[0].column, Some("project"));
            assert_eq!(
                e[0].kind,
                RowErrorKind::AmbiguousProject {
                    name: name.clone(),
                    years: vec![2024, 2025]
                }
            );
            let text = e[0].to_string();
            assert!(text.contains("2024、2025 年度"), "{text}");
            assert!(text.contains("「年度」列"), "{text}");
        }
        other => panic!("{other:?}"),
    }

    let rows = csv_rows(&format!(
        "项目名称,年度,支付日期,金额\n{name},2024年,2024-09-10,100\n"
    ));
    let got = parse_spending_rows(&rows, &projects).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].project.year, 2024);

    let rows = csv_rows(&format!(
        "project,year,indicator,date,value\n{name},2023,行驶公里数,2023-12-31,1公里\n{name},二〇二四,行驶公里数,2024-12-31,1公里\n"
    ));
    let e = match parse_actual_rows(&rows, &projects, &Policy::builtin()) {
        Err(Error::Rows(e)) => e,
        other => panic!("expected row errors, got {other:?}"),
    };
    assert_eq!(e.len(), 2);
    assert_eq!(
        e[0].kind,
        RowErrorKind::UnknownProjectYear {
            name: name.clone(),
            year: 2023,
            years: vec![2024, 2025]
        }
    );
    assert_eq!((e[0].line, e[0].column), (2, Some("year")));
    assert_eq!(e[1].kind, RowErrorKind::BadYear("二〇二四".into()));
    assert_eq!((e[1].line, e[1].column), (3, Some("year")));
}
