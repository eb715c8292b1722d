//! 整改 and 待办 (issue 20 items 6 and 10), at the level of the use cases, on SQLite and on
//! PostgreSQL: the seed of 2024 (two declarations of one unit), one returned with a comment, one
//! approved with its actuals; a reviewer of the department opens a rectification on a review
//! finding, the unit's editor writes measure and evidence, the opener completes it — and
//! another unit's editor, another department's reviewer, a second reviewer and a stale change
//! are refused as the permission table says. Every change is in the audit trail.

use jixiao_app::{
    Actor, App, ErrorKind, OpenRectification, RectificationFilter, RectificationUpdate, Upload,
};
use jixiao_model::{
    FindingSource, NaiveDate, Progress, RectificationOwner, RectificationStatus, Role,
};
use jixiao_testkit::sqlite_path;

fn data(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

const UNIT: &str = "上海市减污降碳管理运行技术中心";
const DEPT: &str = "上海市生态环境局";
const CARS: &str = "交通工具购置及更新";
const RETURN_COMMENT: &str = "请补充行驶公里数的测算依据";

fn upload(rel: &str) -> Upload {
    Upload::read(&data(rel)).unwrap()
}

fn editor() -> Actor {
    Actor::new("张三", Role::Editor, Some(UNIT), Some(DEPT))
}

fn reviewer() -> Actor {
    Actor::new("审核人甲", Role::Reviewer, None, Some(DEPT))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn sqlite() -> App {
    App::open(&sqlite_path("jixiao-app-rectification"))
        .await
        .unwrap()
        .with_review_policy(jixiao_review::Policy::shanghai())
}

async fn postgres() -> App {
    App::open(&jixiao_testkit::postgres_url("rect").await)
        .await
        .unwrap()
        .with_review_policy(jixiao_review::Policy::shanghai())
}

/// The seed imported with its actuals: 交通工具购置及更新 approved, the other returned with a
/// comment. Returns (approved id, returned id).
async fn fill(app: &App) -> (i64, i64) {
    let admin = Actor::local_admin();
    app.import(&admin, &[upload("seed_2024_shanghai.txt")])
        .await
        .unwrap();
    app.record_actuals(&admin, &upload("actuals/transport_2024.csv"))
        .await
        .unwrap();
    let list = app.list(&admin).await.unwrap();
    assert_eq!(list.len(), 2);
    let cars = list.iter().find(|p| p.key.name == CARS).unwrap().id;
    let other = list.iter().find(|p| p.key.name != CARS).unwrap().id;
    for id in [cars, other] {
        app.submit(&admin, id).await.unwrap();
    }
    app.approve(&reviewer(), cars, None).await.unwrap();
    app.return_declaration(&reviewer(), other, RETURN_COMMENT)
        .await
        .unwrap();
    (cars, other)
}

async fn rectification_is_opened_rectified_verified_and_audited(app: App) {
    let (cars, _) = fill(&app).await;
    let today = day("2024-06-30");
    let view = app.project_view(&reviewer(), cars).await.unwrap();
    let finding = view
        .review
        .findings
        .first()
        .expect("the seed's review has findings")
        .clone();
    let input = OpenRectification {
        declaration: cars,
        source: FindingSource::Review,
        rule: finding.rule.clone(),
        code: finding.code.clone(),
        owner: None,
        deadline: day("2024-07-31"),
        measure: Some("补充测算依据".into()),
    };
    let open = |actor: Actor, input: OpenRectification| {
        let app = &app;
        async move { app.open_rectification(&actor, &input, today).await }
    };

    // Who may not open one: the unit's editor (forbidden by role), another department's
    // reviewer and another unit's editor (they do not see the declaration).
    let e = open(editor(), input.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    let stranger = Actor::new("审核人乙", Role::Reviewer, None, Some("上海市交通委"));
    let e = open(stranger, input.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    // A finding the declaration does not have, and a deadline already passed.
    let mut wrong = input.clone();
    wrong.rule = "no.such-rule".into();
    let e = open(reviewer(), wrong).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    let mut late = input.clone();
    late.deadline = day("2024-06-29");
    let e = open(reviewer(), late).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    // The reviewer of the department opens it: the unit owns it, 待整改, the finding kept.
    let r = open(reviewer(), input.clone()).await.unwrap();
    let id = r.rectification.id;
    assert_eq!(r.status, RectificationStatus::Open);
    assert_eq!(r.rectification.owner, RectificationOwner::Unit(UNIT.into()));
    assert_eq!(r.rectification.finding.text_zh, finding.message_zh);
    assert_eq!(r.rectification.measure, "补充测算依据");
    assert!(r.may_verify && !r.may_rectify);
    // Twice on the same finding: refused while the first is not completed.
    let e = open(reviewer(), input.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");

    // Another unit's editor neither sees nor changes it.
    let other = Actor::new("李四", Role::Editor, Some("乙单位"), Some(DEPT));
    let seen = app
        .rectifications(&other, &RectificationFilter::default(), today)
        .await
        .unwrap();
    assert!(seen.is_empty(), "{seen:?}");
    let e = app.rectification(&other, id, today).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let fill_in = RectificationUpdate {
        measure: Some("已补充测算依据并修改指标值".into()),
        evidence: Some("测算说明.pdf".into()),
        ..RectificationUpdate::default()
    };
    let e = app
        .update_rectification(&other, id, &fill_in, today)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // The unit's editor writes measure and evidence: 整改中; it may not complete it.
    let mine = app
        .rectifications(&editor(), &RectificationFilter::default(), today)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].may_rectify && !mine[0].may_verify);
    let r = app
        .update_rectification(&editor(), id, &fill_in, today)
        .await
        .unwrap();
    assert_eq!(r.status, RectificationStatus::InProgress);
    assert_eq!(r.rectification.version, 2);
    for change in [
        RectificationUpdate {
            progress: Some(Progress::Done),
            ..RectificationUpdate::default()
        },
        RectificationUpdate {
            deadline: Some(day("2024-12-31")),
            ..RectificationUpdate::default()
        },
    ] {
        let e = app
            .update_rectification(&editor(), id, &change, today)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    }
    // The reviewer may not write the unit's measure; a second reviewer may not verify.
    let e = app
        .update_rectification(&reviewer(), id, &fill_in, today)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    let second = Actor::new("审核人丙", Role::Reviewer, None, Some(DEPT));
    let done = RectificationUpdate {
        progress: Some(Progress::Done),
        version: Some(2),
        ..RectificationUpdate::default()
    };
    let e = app
        .update_rectification(&second, id, &done, today)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    assert_eq!(
        e.message().map(jixiao_app::Message::key),
        Some(jixiao_app::MessageKey::OnlyOpenerVerifies)
    );
    assert!(e.text(jixiao_model::Lang::Zh).contains("审核人甲"), "{e}");
    // A change made on an older version is refused.
    let stale = RectificationUpdate {
        version: Some(1),
        ..done.clone()
    };
    let e = app
        .update_rectification(&reviewer(), id, &stale, today)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    // The opener completes it.
    let r = app
        .update_rectification(&reviewer(), id, &done, today)
        .await
        .unwrap();
    assert_eq!(r.status, RectificationStatus::Done);
    assert_eq!(r.rectification.closed_by.as_deref(), Some("审核人甲"));
    // Completed, the unit changes nothing more.
    let e = app
        .update_rectification(&editor(), id, &fill_in, today)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");

    // Every change in the declaration's audit trail, with who did it.
    let p = app.project(&editor(), CARS, Some(2024)).await.unwrap();
    let audit = app.audit(&editor(), &p).await.unwrap();
    let trail: Vec<(&str, &str)> = audit
        .iter()
        .filter(|a| a.entity == "rectification")
        .map(|a| (a.action.as_str(), a.actor.as_str()))
        .collect();
    assert_eq!(
        trail,
        [
            ("open_rectification", "审核人甲"),
            ("update_rectification", "张三"),
            ("close_rectification", "审核人甲"),
        ]
    );

    // A second one, on a finding that is no review finding's twin: overdue after its deadline.
    let other_finding = view
        .review
        .findings
        .iter()
        .find(|f| (&f.rule, &f.code) != (&finding.rule, &finding.code));
    let second_input = match other_finding {
        Some(f) => OpenRectification {
            rule: f.rule.clone(),
            code: f.code.clone(),
            deadline: day("2024-07-01"),
            ..input.clone()
        },
        // The first is completed: the same finding may be opened again.
        None => OpenRectification {
            deadline: day("2024-07-01"),
            ..input.clone()
        },
    };
    let late = open(reviewer(), second_input).await.unwrap();
    let after = day("2024-07-02");
    let overdue = app
        .rectifications(
            &editor(),
            &RectificationFilter {
                status: Some(RectificationStatus::Overdue),
                ..RectificationFilter::default()
            },
            after,
        )
        .await
        .unwrap();
    assert_eq!(
        overdue
            .iter()
            .map(|r| r.rectification.id)
            .collect::<Vec<_>>(),
        [late.rectification.id]
    );
    let on_time = app
        .rectifications(
            &editor(),
            &RectificationFilter {
                status: Some(RectificationStatus::Overdue),
                ..RectificationFilter::default()
            },
            day("2024-07-01"),
        )
        .await
        .unwrap();
    assert!(on_time.is_empty());
    // Per unit and department: one open (overdue), one done.
    let counts = app.rectification_counts(&reviewer(), after).await.unwrap();
    assert_eq!(counts.units.len(), 1);
    let u = &counts.units[0];
    assert_eq!(
        (u.unit.as_deref(), u.open, u.overdue, u.done),
        (Some(UNIT), 1, 1, 1)
    );
    assert_eq!(counts.departments.len(), 1);
    assert_eq!(counts.departments[0].department.as_deref(), Some(DEPT));
    assert_eq!(
        (counts.departments[0].open, counts.departments[0].overdue),
        (1, 1)
    );
    let none = app.rectification_counts(&other, after).await.unwrap();
    assert!(none.units.is_empty());

    // 待办: the editor's rectification (its unit's) and the reviewer's (opened by it).
    let t = app.todo(&editor(), after).await.unwrap();
    assert_eq!(t.rectifications.len(), 1);
    assert_eq!(t.rectifications[0].status, RectificationStatus::Overdue);
    let t = app.todo(&reviewer(), after).await.unwrap();
    assert_eq!(t.rectifications.len(), 1);
    assert!(app
        .todo(&second, after)
        .await
        .unwrap()
        .rectifications
        .is_empty());
}

async fn todo_lists_what_waits(app: App) {
    let (cars, returned) = fill(&app).await;
    let today = day("2024-06-30");
    // The editor: the returned declaration with the reviewer's comment.
    let t = app.todo(&editor(), today).await.unwrap();
    assert_eq!(t.returned.len(), 1, "{t:?}");
    assert_eq!(t.returned[0].declaration.id, returned);
    let c = t.returned[0]
        .comment
        .as_ref()
        .expect("the return's comment");
    assert_eq!(c.body, RETURN_COMMENT);
    assert_eq!(c.author, "审核人甲");
    assert!(t.to_review.is_empty());
    // Actual values due this month: the approved declaration in its period, unless it has a
    // value dated in June.
    let set = app
        .observations(
            &editor(),
            &app.project(&editor(), CARS, Some(2024)).await.unwrap(),
        )
        .await
        .unwrap();
    let june = set
        .current
        .iter()
        .any(|o| o.date >= day("2024-06-01") && o.date <= today);
    let due: Vec<i64> = t.actuals_due.iter().map(|a| a.declaration.id).collect();
    assert_eq!(due.contains(&cars), !june, "{due:?}");
    assert!(!due.contains(&returned));
    // A month without any value recorded: due, for the month.
    let t = app.todo(&editor(), day("2024-11-15")).await.unwrap();
    let due = t.actuals_due.iter().find(|a| a.declaration.id == cars);
    assert_eq!(
        due.map(|a| a.period.to_string()).as_deref(),
        Some("2024-11")
    );
    // Outside every project's period nothing is due.
    let t = app.todo(&editor(), day("2030-01-15")).await.unwrap();
    assert!(t.actuals_due.is_empty());
    // Another unit's editor: nothing. A viewer of the unit: nothing to do.
    let other = Actor::new("李四", Role::Editor, Some("乙单位"), Some(DEPT));
    assert!(app.todo(&other, today).await.unwrap().is_empty());
    let viewer = Actor::new("王五", Role::Viewer, Some(UNIT), Some(DEPT));
    assert!(app.todo(&viewer, today).await.unwrap().is_empty());
    // Submitted again: the reviewer's to review, no longer the editor's.
    app.submit(&editor(), returned).await.unwrap();
    let t = app.todo(&reviewer(), today).await.unwrap();
    assert_eq!(
        t.to_review.iter().map(|d| d.id).collect::<Vec<_>>(),
        [returned]
    );
    assert!(t.returned.is_empty() && t.actuals_due.is_empty());
    assert!(app
        .todo(&editor(), today)
        .await
        .unwrap()
        .returned
        .is_empty());
    let stranger = Actor::new("审核人乙", Role::Reviewer, None, Some("上海市交通委"));
    assert!(app.todo(&stranger, today).await.unwrap().is_empty());
}

/// The other two sources: a 红/黄 light of monitoring as of the day (the budget's, with no
/// spending recorded at mid-year) and a flag of the self-evaluation; a light that is not red is
/// refused.
async fn monitoring_lights_and_self_evaluation_flags_are_findings(app: App) {
    let (cars, other) = fill(&app).await;
    let today = day("2024-06-30");
    let p = app.project(&reviewer(), CARS, Some(2024)).await.unwrap();
    let without_actuals = app.project_by_id(&reviewer(), other).await.unwrap();
    let m = app.monitor(&reviewer(), &p, today).await.unwrap();
    let light = m.budget.light;
    let base = OpenRectification {
        declaration: cars,
        source: FindingSource::Monitoring,
        rule: light.en().into(),
        code: None,
        owner: None,
        deadline: day("2024-07-31"),
        measure: None,
    };
    assert!(
        matches!(light, jixiao_app::Light::Red | jixiao_app::Light::Yellow),
        "no spending at mid-year: {light:?}"
    );
    let r = app
        .open_rectification(&reviewer(), &base, today)
        .await
        .unwrap();
    assert_eq!(r.rectification.finding.source, FindingSource::Monitoring);
    assert!(
        r.rectification.finding.text_zh.contains("预算执行"),
        "{}",
        r.rectification.finding.text_zh
    );
    // A green light is no finding.
    let green = m
        .indicators
        .iter()
        .find(|i| i.light == jixiao_app::Light::Green)
        .expect("a green indicator");
    let e = app
        .open_rectification(
            &reviewer(),
            &OpenRectification {
                rule: "red".into(),
                code: Some(green.code.clone()),
                ..base.clone()
            },
            today,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    // A self-evaluation flag (of the declaration without actual values), by kind and indicator.
    let flag = app
        .evaluate(&reviewer(), &without_actuals)
        .await
        .unwrap()
        .flags
        .into_iter()
        .next()
        .expect("the self-evaluation has flags");
    let kind = serde_json::to_value(flag.kind).unwrap();
    let r = app
        .open_rectification(
            &reviewer(),
            &OpenRectification {
                declaration: other,
                source: FindingSource::SelfEvaluation,
                rule: kind.as_str().unwrap().into(),
                code: flag.code.clone(),
                ..base.clone()
            },
            today,
        )
        .await
        .unwrap();
    assert_eq!(r.rectification.finding.text_zh, flag.message_zh);
    // The deductions of the self-evaluation (an indicator scored below its 分值, the budget's
    // 执行率 below its 分值) are findings too, and only where points were lost.
    let e = app.evaluate(&reviewer(), &p).await.unwrap();
    let findings = jixiao_app::self_evaluation_findings(&e);
    let lost = e
        .indicators
        .iter()
        .find(|i| i.score < i.weight)
        .expect("an indicator of the seed loses points");
    let full = e
        .indicators
        .iter()
        .find(|i| i.score == i.weight)
        .expect("an indicator of the seed scores full marks");
    let deduction = findings
        .iter()
        .find(|f| {
            f.rule == jixiao_app::INDICATOR_DEDUCTION && f.code.as_deref() == Some(&lost.code)
        })
        .expect("the indicator's deduction is a finding");
    assert!(
        deduction.text_zh.contains(&lost.name) && deduction.text_zh.contains("自评扣分"),
        "{}",
        deduction.text_zh
    );
    assert!(!findings.iter().any(
        |f| f.code.as_deref() == Some(&full.code) && f.rule == jixiao_app::INDICATOR_DEDUCTION
    ));
    assert_eq!(
        findings
            .iter()
            .any(|f| f.rule == jixiao_app::BUDGET_DEDUCTION),
        e.budget.score < e.budget.weight
    );
    let deducted = |rule: &str, code: Option<&str>| OpenRectification {
        declaration: cars,
        source: FindingSource::SelfEvaluation,
        rule: rule.into(),
        code: code.map(str::to_string),
        ..base.clone()
    };
    let r = app
        .open_rectification(
            &reviewer(),
            &deducted(jixiao_app::INDICATOR_DEDUCTION, Some(&lost.code)),
            today,
        )
        .await
        .unwrap();
    assert_eq!(
        r.rectification.finding.source,
        FindingSource::SelfEvaluation
    );
    assert_eq!(r.rectification.finding.text_zh, deduction.text_zh);
    assert_eq!(
        r.rectification.finding.indicator.as_deref(),
        Some(format!("{} {}", lost.code, lost.name).as_str())
    );
    // Full marks are no finding: refused, naming what was asked.
    let e = app
        .open_rectification(
            &reviewer(),
            &deducted(jixiao_app::INDICATOR_DEDUCTION, Some(&full.code)),
            today,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    assert_eq!(
        e.message().map(jixiao_app::Message::key),
        Some(jixiao_app::MessageKey::NoSuchFinding)
    );
    assert!(e.text(jixiao_model::Lang::Zh).contains(&full.code), "{e}");
    // An owner who is no user is refused.
    let e = app
        .open_rectification(
            &reviewer(),
            &OpenRectification {
                owner: Some(RectificationOwner::User("nobody".into())),
                source: FindingSource::Review,
                rule: "x".into(),
                ..base.clone()
            },
            today,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name(super::sqlite().await).await } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() { super::$name(super::postgres().await).await } )*
        }
    };
}

on_both_backends!(
    rectification_is_opened_rectified_verified_and_audited,
    todo_lists_what_waits,
    monitoring_lights_and_self_evaluation_flags_are_findings,
);
