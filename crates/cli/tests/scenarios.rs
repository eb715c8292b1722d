//! The year's data stays trustworthy through ordinary events: each scenario runs the use cases
//! a user (or the web app) would, on SQLite and on PostgreSQL, and writes what a user would
//! look at — the import summary, the indicator rows of the 自评表 with their actual values and
//! scores, the flags, and the audit trail — into a transcript compared with
//! `tests/data/scenarios/<name>.txt` (the same file for both backends).
//! `UPDATE_EXPECT=1 cargo test -p jixiao-cli --test scenarios` rewrites them.
//!
//! The transcript is the CLI's text (`jixiao_cli::render`), so these tests of `jixiao-app`'s
//! use cases live with the CLI.
//!
//! Every transcript ends with the audit trail, and each scenario checks that every change it
//! made wrote an audit row.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jixiao_app::{Actor, ActualInput, App, Upload};
use jixiao_cli::render;
use jixiao_model::{Lang, Project};
use jixiao_testkit::unique;

const PROJECT: &str = "交通工具购置及更新";

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

fn upload(rel: &str) -> Upload {
    Upload::read(&data(rel)).unwrap()
}

/// Compares a transcript with its golden file (or rewrites it under `UPDATE_EXPECT=1`).
fn check(name: &str, actual: &str) {
    jixiao_testkit::check(&data(&format!("scenarios/{name}.golden.txt")), actual);
}

async fn sqlite() -> App {
    let dir = std::env::temp_dir().join(unique("jixiao scenario"));
    std::fs::create_dir_all(&dir).unwrap();
    App::open(dir.join("jixiao.db").to_str().unwrap())
        .await
        .unwrap()
}

async fn postgres() -> App {
    let url = jixiao_testkit::postgres_url("s").await;
    App::open(&url).await.unwrap()
}

/// A scenario's transcript and the app it runs on.
struct Run {
    app: App,
    actor: Actor,
    out: String,
}

impl Run {
    fn new(app: App) -> Run {
        Run {
            app,
            actor: Actor::local_admin(),
            out: String::new(),
        }
    }

    fn step(&mut self, title: &str) {
        let _ = writeln!(self.out, "\n== {title}");
    }

    async fn project(&self) -> Project {
        self.app
            .project(&self.actor, PROJECT, Some(2024))
            .await
            .unwrap()
    }

    async fn import(&mut self, rel: &str) {
        let (summary, _) = self.app.import(&self.actor, &[upload(rel)]).await.unwrap();
        self.out
            .push_str(&render::import_summary(&summary, Lang::Zh));
    }

    async fn actuals(&mut self, rel: &str) {
        let s = self
            .app
            .record_actuals(&self.actor, &upload(rel))
            .await
            .unwrap();
        let _ = writeln!(
            self.out,
            "{}",
            render::recorded(
                "实际完成值",
                "actual values",
                "导入",
                "imported",
                &s,
                Lang::Zh
            )
        );
    }

    async fn spending(&mut self, rel: &str) {
        let s = self
            .app
            .record_spending(&self.actor, &upload(rel))
            .await
            .unwrap();
        let _ = writeln!(
            self.out,
            "{}",
            render::recorded(
                "支出记录",
                "spending records",
                "导入",
                "imported",
                &s,
                Lang::Zh
            )
        );
    }

    /// The seed form, the transport project's year-end actuals and its spending.
    async fn seed_year(&mut self) {
        self.import("seed_2024_shanghai.txt").await;
        self.actuals("actuals/transport_2024.csv").await;
        self.spending("actuals/transport_2024_spending.csv").await;
    }

    /// The 自评表's indicator rows, budget row, total and flags.
    async fn evaluate(&mut self) {
        let p = self.project().await;
        let e = self.app.evaluate(&self.actor, &p).await.unwrap();
        for i in &e.indicators {
            let actual = i.actual.as_ref().map_or("—".to_string(), |v| {
                jixiao_evaluate::value_text(v, Lang::Zh)
            });
            let _ = writeln!(
                self.out,
                "{} {}  目标 {}  实际 {}  {}  {}/{}",
                i.code,
                i.name,
                i.target,
                actual,
                i.outcome.zh(),
                i.score,
                i.weight
            );
        }
        let b = &e.budget;
        let _ = writeln!(
            self.out,
            "预算执行：全年预算数 {}  全年执行数 {}  执行率 {}%  {}/{}",
            b.annual, b.spent, b.execution_rate, b.score, b.weight
        );
        let _ = writeln!(self.out, "总分 {}  {}", e.total, e.grade.zh());
        for f in &e.flags {
            let _ = writeln!(self.out, "提示：{}", f.message_zh);
        }
    }

    /// The audit trail without timestamps; checks it has `expected` rows.
    async fn audit(&mut self, expected: usize) {
        let p = self.project().await;
        let audit = self.app.audit(&self.actor, &p).await.unwrap();
        self.step("操作记录 / audit");
        for a in &audit {
            let _ = writeln!(self.out, "{}  {}  {}", a.actor, a.action, a.summary);
            if let Some(b) = &a.before {
                let _ = writeln!(self.out, "    之前：{b}");
            }
            if let Some(after) = &a.after {
                let _ = writeln!(self.out, "    之后：{after}");
            }
        }
        assert_eq!(audit.len(), expected, "{}", self.out);
    }
}

/// A revised form with an indicator inserted above the others is re-imported: every actual
/// value stays on its indicator (1.1.1 行驶公里数 becomes 1.1.2 and keeps its 13500公里).
async fn indicator_inserted(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入申报表 / import the seed");
    r.import("seed_2024_shanghai.txt").await;
    r.step("导入实际完成值与支出 / actuals and spending");
    r.actuals("actuals/transport_2024.csv").await;
    r.spending("actuals/transport_2024_spending.csv").await;
    r.evaluate().await;
    r.step(
        "导入修订后的申报表：数量指标前插入一个指标 / a revised form, one indicator inserted above",
    );
    r.import("scenarios/indicator_inserted.txt").await;
    r.evaluate().await;
    // 1 import, 12 actual values, 2 spending records, 1 new version.
    r.audit(16).await;
    r.out
}

/// A rename keeps the declaration's id, its indicators and its actual values.
async fn renamed(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入申报表与实际完成值 / import");
    r.import("seed_2024_shanghai.txt").await;
    r.actuals("actuals/transport_2024.csv").await;
    let p = r.project().await;
    let id = p.id;
    r.step("更名 / rename");
    let change = r
        .app
        .rename(&r.actor, &p, "公务用车购置及更新")
        .await
        .unwrap();
    r.out.push_str(&render::change(&change, Lang::Zh));
    let renamed = r
        .app
        .project(&r.actor, "公务用车购置及更新", Some(2024))
        .await
        .unwrap();
    assert_eq!(renamed.id, id);
    let set = r.app.observations(&r.actor, &renamed).await.unwrap();
    let _ = writeln!(
        r.out,
        "更名后：编号不变，实际完成值 {} 条，孤立 {} 条",
        set.current.len(),
        set.orphans.len()
    );
    assert_eq!(set.current.len(), 12);
    let audit = r.app.audit(&r.actor, &renamed).await.unwrap();
    // 1 import, 12 actual values, 1 rename.
    assert_eq!(audit.len(), 14);
    assert_eq!(audit.last().unwrap().action, "rename");
    r.out
}

/// The same actuals and spending files imported twice leave the same state: same values, same
/// execution rate, no new audit rows.
async fn imported_twice(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入 / import");
    r.seed_year().await;
    r.evaluate().await;
    r.step("再次导入同一申报表、同一实际完成值与支出文件 / the same files again");
    r.seed_year().await;
    r.evaluate().await;
    r.audit(15).await;
    r.out
}

/// A corrected actual value counts; the old one is in the history and in the audit trail.
async fn corrected(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入 / import");
    r.seed_year().await;
    r.step("更正 1.3.1 接送准点率 2024年12月31日 的值：96% → 94% / a correction");
    let s = r
        .app
        .record_actual(
            &r.actor,
            &ActualInput {
                project: PROJECT.into(),
                year: Some(2024),
                indicator: "1.3.1".into(),
                date: "2024-12-31".into(),
                period: None,
                value: "94%".into(),
                note: Some("复核派车单后更正".into()),
                evidence: None,
            },
        )
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced), (0, 1));
    r.evaluate().await;
    r.step("历史 / history of 1.3.1");
    let p = r.project().await;
    let id = p.indicator("1.3.1").unwrap().id.unwrap();
    let history = r.app.observation_history(&r.actor, &p).await.unwrap();
    let rows: Vec<_> = history
        .iter()
        .filter(|h| h.key.starts_with(&format!("{id}/")))
        .collect();
    for h in &rows {
        let line = render::history(
            std::slice::from_ref(*h),
            Some(&p),
            jixiao_model::present::DEFAULT_ZONE,
            Lang::Zh,
        );
        // Without the time of recording, which changes from run to run.
        let kept: Vec<&str> = line
            .trim_end()
            .split("  ")
            .filter(|c| !c.ends_with(" Asia/Shanghai"))
            .collect();
        let _ = writeln!(r.out, "{}", kept.join("  "));
    }
    assert_eq!(rows.len(), 3);
    r.audit(16).await;
    r.out
}

/// A retracted spending record no longer counts; it is in the audit trail with its reason.
async fn spending_retracted(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入 / import");
    r.seed_year().await;
    r.evaluate().await;
    r.step("撤回 2024年9月10日 的支出 / retract a spending record");
    let p = r.project().await;
    let old = r
        .app
        .retract_spending(
            &r.actor,
            &p,
            "2024-09-10".parse().unwrap(),
            None,
            Some("特种专业技术用车购置"),
            "发票作废，重新开具后另行录入",
        )
        .await
        .unwrap();
    let _ = writeln!(r.out, "已撤回 {} 元", old.amount);
    r.out.push_str(&render::spending(
        &r.app.spending(&r.actor, &p).await.unwrap(),
        Lang::Zh,
    ));
    r.evaluate().await;
    r.audit(16).await;
    r.out
}

/// A target changing kind (满意 → ≥95.00(%)) keeps the recorded 达成 and flags it, instead of
/// a silent 未填报 and 0 points.
async fn kind_changed(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入 / import");
    r.seed_year().await;
    r.step("修订：4.1.1 乘用人员满意度 满意 → ≥95.00(%) / the target changes kind");
    r.import("scenarios/kind_changed.txt").await;
    r.evaluate().await;
    r.audit(16).await;
    r.out
}

/// A quarterly deadline with one report per quarter is scored by period: the Q1 report sent
/// in April counts for Q1, not Q2; the late Q2 report is late; Q4 is not reported.
async fn quarterly(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入含季度时限指标的申报表 / a form with a quarterly deadline");
    r.import("scenarios/quarterly.txt").await;
    r.actuals("actuals/transport_2024.csv").await;
    r.actuals("scenarios/quarterly_actuals.csv").await;
    r.spending("actuals/transport_2024_spending.csv").await;
    r.evaluate().await;
    // 1 import, 12 + 3 actual values, 2 spending records.
    r.audit(18).await;
    r.out
}

const UNIT: &str = "上海市减污降碳管理运行技术中心";
const DEPARTMENT: &str = "上海市生态环境局";

/// The workflow of a year: submitted, returned with a comment, edited by two people at once
/// (the second save, based on the old version, is refused and says who saved what), submitted
/// again, approved, then adjusted (a new version for approval; the approved one stays), with
/// the self-evaluation notes feeding the 自评表.
async fn workflow(app: App) -> String {
    use jixiao_app::{AppError, EvaluationNotes, IndicatorNote};
    use jixiao_model::Role;
    let mut r = Run::new(app);
    let editor = Actor::new("张填报", Role::Editor, Some(UNIT), Some(DEPARTMENT));
    let colleague = Actor::new("李填报", Role::Editor, Some(UNIT), Some(DEPARTMENT));
    let reviewer = Actor::new("王审核", Role::Reviewer, None, Some(DEPARTMENT));
    r.step("导入申报表 / import the seed");
    r.import("seed_2024_shanghai.txt").await;
    let p = r.project().await;
    let id = p.id.unwrap();
    let say = |out: &mut String, t: &jixiao_app::TransitionResult| {
        out.push_str(&render::transition(PROJECT, t, Lang::Zh));
    };

    r.step("提交 / submit");
    let t = r.app.submit(&editor, id).await.unwrap();
    say(&mut r.out, &t);
    r.step("审核人退回，附意见 / returned with a comment");
    let e = r.app.approve(&editor, id, None).await.unwrap_err();
    let _ = writeln!(
        r.out,
        "填报人不能批准：{}",
        e.to_string().lines().next().unwrap()
    );
    let e = r
        .app
        .return_declaration(&reviewer, id, "  ")
        .await
        .unwrap_err();
    let _ = writeln!(
        r.out,
        "无意见不能退回：{}",
        e.to_string().lines().next().unwrap()
    );
    let t = r
        .app
        .return_declaration(
            &reviewer,
            id,
            "行驶公里数目标偏高，请按车辆实际使用情况核定",
        )
        .await
        .unwrap();
    say(&mut r.out, &t);
    let ind = p.indicator("1.1.1").unwrap().id;
    r.app
        .comment(&reviewer, id, ind, "请附上年度派车记录作为依据")
        .await
        .unwrap();
    for c in r.app.comments(&editor, id).await.unwrap() {
        let _ = writeln!(
            r.out,
            "意见 {}（第 {} 版，{}）{}：{}",
            c.author,
            c.version,
            c.indicator_id
                .map_or("整个申报".to_string(), |_| "指标 1.1.1".to_string()),
            c.transition.map_or("", |t| t.zh()),
            c.body
        );
    }

    r.step("两人同时修改：第二个保存被拒绝 / two edits at once: the stale one is refused");
    let base = r.app.workflow(&editor, id).await.unwrap().current_version;
    let mut mine = p.clone();
    mine.indicators[0].raw = "≥14000.00(公里)".into();
    let mut theirs = p.clone();
    theirs.indicators[0].raw = "≥12OOO.00(公里)".into();
    let saved = r
        .app
        .save_declaration(&colleague, id, base, theirs)
        .await
        .unwrap();
    r.out.push_str(&render::saved(&saved, Lang::Zh));
    match r
        .app
        .save_declaration(&editor, id, base, mine.clone())
        .await
    {
        Err(AppError::Stale(s)) => {
            let _ = writeln!(
                r.out,
                "冲突：基于第 {} 版，{} 已保存第 {} 版；变化：",
                s.base_version, s.saved_by, s.current_version
            );
            r.out.push_str(&render::change(&s.change, Lang::Zh));
        }
        other => panic!("expected a stale edit, got {other:?}"),
    }
    r.step("在最新版本上重新修改并保存 / the edit applied to the current version");
    let now = r.app.workflow(&editor, id).await.unwrap().current_version;
    let saved = r
        .app
        .save_declaration(&editor, id, now, mine)
        .await
        .unwrap();
    r.out.push_str(&render::saved(&saved, Lang::Zh));

    r.step("重新提交、批准 / submitted again, approved");
    let t = r.app.submit(&editor, id).await.unwrap();
    say(&mut r.out, &t);
    let e = r
        .app
        .save_declaration(&editor, id, t.transition.version, r.project().await)
        .await
        .unwrap_err();
    let _ = writeln!(
        r.out,
        "已提交不能修改：{}",
        e.to_string().lines().next().unwrap()
    );
    let t = r.app.approve(&reviewer, id, Some("同意")).await.unwrap();
    say(&mut r.out, &t);
    let mut changed = r.project().await;
    changed.indicators[0].raw = "≥13000.00(公里)".into();
    let e = r
        .app
        .save_declaration(&editor, id, t.transition.version, changed.clone())
        .await
        .unwrap_err();
    let _ = writeln!(
        r.out,
        "已批准不能直接修改：{}",
        e.to_string().lines().next().unwrap()
    );
    let e = r
        .app
        .import(&r.actor, &[upload("scenarios/indicator_inserted.txt")])
        .await
        .unwrap_err();
    let _ = writeln!(
        r.out,
        "已批准不能用导入修改：{}",
        e.to_string().lines().next().unwrap()
    );

    r.step("调整 / an adjustment");
    let e = r
        .app
        .adjust(&editor, id, t.transition.version, changed.clone(), "")
        .await
        .unwrap_err();
    let _ = writeln!(
        r.out,
        "调整须说明原因：{}",
        e.to_string().lines().next().unwrap()
    );
    let saved = r
        .app
        .adjust(
            &editor,
            id,
            t.transition.version,
            changed,
            "两辆车下半年大修停驶，里程目标下调",
        )
        .await
        .unwrap();
    r.out.push_str(&render::saved(&saved, Lang::Zh));
    let w = r.app.workflow(&reviewer, id).await.unwrap();
    let _ = writeln!(
        r.out,
        "状态 {}，当前第 {} 版，已批准第 {} 版",
        w.status.zh(),
        w.current_version,
        w.approved_version.unwrap()
    );

    r.step("自评说明 / self-evaluation notes");
    let p = r.project().await;
    let mut notes = EvaluationNotes {
        annual_budget: Some("350000.00".parse().unwrap()),
        ..Default::default()
    };
    notes.indicators.insert(
        p.indicators[0].id.unwrap(),
        IndicatorNote {
            deviation_reason: Some("车辆大修停驶".into()),
            remedy: Some("合理安排车辆维修时间".into()),
        },
    );
    assert!(r.app.set_notes(&editor, id, &notes).await.unwrap());
    assert!(!r.app.set_notes(&editor, id, &notes).await.unwrap());
    r.evaluate().await;
    let e = r.app.evaluate(&editor, &p).await.unwrap();
    let _ = writeln!(
        r.out,
        "1.1.1 偏差原因分析及改进措施：{}",
        e.indicators[0].deviation_reason.as_deref().unwrap_or("—")
    );
    assert_eq!(e.budget.annual, "350000.00".parse().unwrap());
    // 1 import, submit, return, comment, 2 edits, submit, approve, adjust (version and
    // status), notes.
    r.audit(11).await;
    r.out
}

/// A ledger never merges its lines (issue 19 item 6): two payments of 8,000.00 on one day
/// without 凭证号 or 说明 count twice, from a file or typed one by one; the same file again
/// changes nothing; one 凭证号 twice in a file is refused at its cell.
async fn same_day_payments(app: App) -> String {
    let mut r = Run::new(app);
    r.step("导入 / import");
    r.import("seed_2024_shanghai.txt").await;
    r.actuals("actuals/transport_2024.csv").await;
    r.spending("actuals/transport_2024_spending_same_day.csv")
        .await;
    r.step("同一文件再导入 / the same file again");
    r.spending("actuals/transport_2024_spending_same_day.csv")
        .await;
    r.step("逐笔录入两笔 / two entries typed");
    let p = r.project().await;
    for _ in 0..2 {
        let input = jixiao_app::SpendingInput {
            date: "2024-11-02".into(),
            amount: "1,200.00".into(),
            voucher: None,
            note: None,
        };
        let s = r
            .app
            .record_spending_on(&r.actor, &p, &input)
            .await
            .unwrap();
        let _ = writeln!(
            r.out,
            "{}",
            render::recorded(
                "支出记录",
                "spending records",
                "录入",
                "recorded",
                &s.summary,
                Lang::Zh
            )
        );
    }
    let spending = r.app.spending(&r.actor, &p).await.unwrap();
    assert_eq!(spending.len(), 6, "{}", r.out);
    r.out.push_str(&render::spending(&spending, Lang::Zh));
    r.evaluate().await;
    r.step("同一凭证号两行 / one voucher on two rows");
    let e = r
        .app
        .record_spending(
            &r.actor,
            &Upload::new(
                "voucher_twice.csv",
                std::fs::read(data("actuals/transport_2024_spending_voucher_twice.csv")).unwrap(),
            ),
        )
        .await
        .unwrap_err();
    let _ = writeln!(r.out, "{e}");
    assert_eq!(r.app.spending(&r.actor, &p).await.unwrap().len(), 6);
    r.audit(19).await;
    r.out
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() {
                super::check(stringify!($name), &super::$name(super::sqlite().await).await)
            } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() {
                super::check(stringify!($name), &super::$name(super::postgres().await).await)
            } )*
        }
    };
}

scenarios!(
    indicator_inserted,
    renamed,
    imported_twice,
    corrected,
    spending_retracted,
    kind_changed,
    quarterly,
    workflow,
    same_day_payments,
);
