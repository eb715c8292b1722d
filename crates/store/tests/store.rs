//! Store tests, each run against SQLite (a fresh file) and PostgreSQL (a fresh schema in the
//! database named by `JIXIAO_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`).

use jixiao_model::Status;
use jixiao_model::{Achievement, Form, Observation, ObservedValue, ReportPeriod, SpendingRecord};
use jixiao_store::SpendingRows::{Entries, File};
use jixiao_store::{Backend, Outcome, Store, Was};
use jixiao_testkit::unique;

async fn sqlite() -> Store {
    let dir = std::env::temp_dir().join(unique("jixiao store test"));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(dir.join("jixiao.db").to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    store
}

async fn postgres() -> Store {
    let url = jixiao_testkit::postgres_url("t").await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    store
}

fn seed() -> Form {
    let bytes = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
    jixiao_form::read_form("seed.txt", bytes).unwrap().form
}

/// The form without store ids (what a file holds).
fn without_ids(mut form: Form) -> Form {
    for p in &mut form.projects {
        p.id = None;
        for i in &mut p.indicators {
            i.id = None;
        }
    }
    form
}

const BY: &str = "tester";

async fn import_then_export_gives_the_same_json(store: Store) {
    let form = seed();
    let s = store.import("seed.txt", &form, BY).await.unwrap();
    assert_eq!(s.added.len(), 2);
    let back = store.export().await.unwrap();
    assert!(back.projects.iter().all(|p| p.id.is_some()));
    assert!(back.projects[1].indicators.iter().all(|i| i.id.is_some()));
    assert_eq!(
        jixiao_form::json::to_string(&without_ids(back)),
        jixiao_form::json::to_string(&form)
    );
    let list = store.list().await.unwrap();
    assert_eq!(
        list.iter().map(|p| p.indicators).collect::<Vec<_>>(),
        [6, 87]
    );
    assert_eq!(list[1].funds_total.to_string(), "9028372.00");
    assert!(list.iter().all(|p| p.status == Status::Draft));
}

async fn importing_twice_leaves_one_copy(store: Store) {
    let form = seed();
    store.import("seed.txt", &form, BY).await.unwrap();
    let before = store.counts().await.unwrap();
    let audit_before = store.audit(None).await.unwrap().len();
    let s = store.import("seed.txt", &form, BY).await.unwrap();
    assert_eq!(
        (s.added.len(), s.replaced.len(), s.unchanged.len()),
        (0, 0, 2)
    );
    let after = store.counts().await.unwrap();
    assert_eq!((before.0, before.1), (after.0, after.1));
    assert_eq!(store.list().await.unwrap().len(), 2);
    // An exported file (with ids) re-imported is unchanged too.
    let exported = store.export().await.unwrap();
    let s = store.import("export.json", &exported, BY).await.unwrap();
    assert_eq!(s.unchanged.len(), 2);
    assert_eq!(store.audit(None).await.unwrap().len(), audit_before);
}

async fn changed_reimport_keeps_the_previous_version(store: Store) {
    let mut form = seed();
    store.import("v1.txt", &form, BY).await.unwrap();
    form.projects[0].indicators[0].raw = "≥16000.00(公里)".into();
    form.projects[0].indicators[0].target = jixiao_model::Target::parse("≥16000.00(公里)").unwrap();
    let s = store.import("v2.txt", &form, BY).await.unwrap();
    assert_eq!(
        (s.added.len(), s.replaced.len(), s.unchanged.len()),
        (0, 1, 1)
    );
    let change = &s.changes[0];
    assert_eq!(change.version, 2);
    assert_eq!(change.indicators.changed.len(), 1);
    assert_eq!(change.indicators.unchanged, 5);
    let id = store.find("交通工具购置及更新", None).await.unwrap()[0]
        .id
        .unwrap();
    let versions = store.versions(id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(!versions[0].current && versions[1].current);
    assert_eq!(versions[0].source.as_deref(), Some("v1.txt"));
    assert_eq!(versions[1].created_by, BY);
    assert_eq!(versions[0].project.indicators[0].raw, "≥15000.00(公里)");
    // The indicator keeps its id across the versions.
    assert_eq!(
        versions[0].project.indicators[0].id,
        versions[1].project.indicators[0].id
    );
    assert_eq!(
        store.find("交通工具购置及更新", Some(2024)).await.unwrap()[0].indicators[0].raw,
        "≥16000.00(公里)"
    );
    assert!(store
        .find("交通工具购置及更新", Some(2023))
        .await
        .unwrap()
        .is_empty());
}

fn d(s: &str) -> jixiao_model::NaiveDate {
    s.parse().unwrap()
}

fn km(date: &str, value: &str, note: &str) -> Observation {
    Observation {
        indicator: "1.1.1".into(),
        period: ReportPeriod::Day(d(date)),
        date: d(date),
        value: ObservedValue::Number {
            value: value.parse().unwrap(),
            unit: Some("公里".into()),
        },
        note: Some(note.into()),
        evidence: None,
    }
}

async fn actuals_and_spending_round_trip(store: Store) {
    let form = seed();
    store.import("seed.txt", &form, BY).await.unwrap();
    let p = store
        .find("交通工具购置及更新", None)
        .await
        .unwrap()
        .remove(0);
    let id = p.id.unwrap();
    let ind = |code: &str| p.indicator(code).unwrap().id.unwrap();
    let mut first = km("2024-07-31", "8000.5", "上半年");
    first.evidence = Some("台账.xlsx".into());
    let obs = vec![
        first,
        Observation {
            indicator: "1.2.1".into(),
            period: ReportPeriod::Day(d("2024-12-31")),
            date: d("2024-12-31"),
            value: ObservedValue::Level {
                level: Achievement::Met,
            },
            note: None,
            evidence: None,
        },
    ];
    let keyed: Vec<_> = obs.iter().map(|o| (ind(&o.indicator), o.clone())).collect();
    let s = store
        .record_observations(&keyed, "t.csv", BY)
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (2, 0, 0));
    assert_eq!(store.observations(id).await.unwrap().current, obs);
    // The same rows again change nothing.
    let s = store
        .record_observations(&keyed, "t.csv", BY)
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (0, 0, 2));
    let spend = SpendingRecord {
        date: d("2024-03-01"),
        amount: "180000.00".parse().unwrap(),
        voucher: Some("记-0031".into()),
        note: None,
    };
    store
        .record_spending(&[(id, spend.clone())], File, "s.csv", BY)
        .await
        .unwrap();
    let s = store
        .record_spending(&[(id, spend.clone())], File, "s.csv", BY)
        .await
        .unwrap();
    assert_eq!(s.unchanged, 1);
    assert_eq!(store.spending(id).await.unwrap(), vec![spend]);
    // Actuals survive a changed re-import.
    let mut changed = form.clone();
    changed.projects[0].annual_goal.push('。');
    store.import("v2.txt", &changed, BY).await.unwrap();
    assert_eq!(store.observations(id).await.unwrap().current.len(), 2);
}

async fn an_inserted_indicator_keeps_actuals_on_their_indicators(store: Store) {
    let mut form = seed();
    store.import("v1.txt", &form, BY).await.unwrap();
    let p = store
        .find("交通工具购置及更新", None)
        .await
        .unwrap()
        .remove(0);
    let ind = p.indicator("1.1.1").unwrap().id.unwrap();
    store
        .record_observations(&[(ind, km("2024-06-30", "6500", "1—6月"))], "t", BY)
        .await
        .unwrap();
    // A new 数量指标 above the others: 1.1.1 becomes 1.1.2.
    let mut extra = form.projects[0].indicators[0].clone();
    extra.name = "新增车辆数".into();
    extra.raw = "=2(辆)".into();
    extra.target = jixiao_model::Target::parse("=2(辆)").unwrap();
    form.projects[0].indicators.insert(0, extra);
    form.projects[0].assign_codes();
    let s = store.import("v2.txt", &form, BY).await.unwrap();
    let change = &s.changes[0];
    assert_eq!(change.indicators.added.len(), 1);
    assert_eq!(change.indicators.moved.len(), 1);
    assert_eq!(change.indicators.removed.len(), 0);
    let set = store.observations(p.id.unwrap()).await.unwrap();
    assert_eq!(set.current.len(), 1);
    assert_eq!(set.current[0].indicator, "1.1.2");
    // Removing it orphans its actual value; it is kept and reported.
    form.projects[0].indicators.remove(1);
    form.projects[0].assign_codes();
    let s = store.import("v3.txt", &form, BY).await.unwrap();
    assert_eq!(s.changes[0].orphaned_actuals, 1);
    let set = store.observations(p.id.unwrap()).await.unwrap();
    assert!(set.current.is_empty());
    assert_eq!(set.orphans.len(), 1);
    assert_eq!(set.orphans[0].name, "行驶公里数");
    // Three versions of one declaration and one of the other: documents equal their rows.
    assert_eq!(store.verify_documents().await.unwrap(), 4);
}

async fn a_correction_replaces_and_keeps_history(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let p = store
        .find("交通工具购置及更新", None)
        .await
        .unwrap()
        .remove(0);
    let (id, ind) = (p.id.unwrap(), p.indicator("1.1.1").unwrap().id.unwrap());
    store
        .record_observations(&[(ind, km("2024-06-30", "6500", "初报"))], "a", BY)
        .await
        .unwrap();
    let s = store
        .record_observations(&[(ind, km("2024-06-30", "6800", "更正"))], "b", "editor")
        .await
        .unwrap();
    assert_eq!(s.replaced, 1);
    let set = store.observations(id).await.unwrap();
    assert_eq!(set.current, vec![km("2024-06-30", "6800", "更正")]);
    let history = store.observation_history(id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert!(!history[0].current && history[0].ended.as_deref() == Some("replaced"));
    let audit = store.audit(Some(id)).await.unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("correct_actual", "editor")
    );
    assert!(last.before.as_deref().unwrap().contains("6500"));
    assert!(last.after.as_deref().unwrap().contains("6800"));
    // Retraction.
    store
        .retract_observation(ind, ReportPeriod::Day(d("2024-06-30")), "录错项目", BY)
        .await
        .unwrap();
    assert!(store.observations(id).await.unwrap().current.is_empty());
    assert!(store
        .retract_observation(ind, ReportPeriod::Day(d("2024-06-30")), "again", BY)
        .await
        .is_err());
}

async fn spending_is_retracted_with_a_reason(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let id = store.find("交通工具购置及更新", None).await.unwrap()[0]
        .id
        .unwrap();
    let rec = |note: &str, amount: &str| SpendingRecord {
        date: d("2024-04-15"),
        amount: amount.parse().unwrap(),
        voucher: None,
        note: Some(note.into()),
    };
    store
        .record_spending(
            &[
                (id, rec("业务用车购置", "180000.00")),
                (id, rec("保险", "3000.00")),
            ],
            File,
            "s",
            BY,
        )
        .await
        .unwrap();
    store
        .retract_spending(id, d("2024-04-15"), None, Some("保险"), "重复录入", BY)
        .await
        .unwrap();
    assert_eq!(
        store.spending(id).await.unwrap(),
        vec![rec("业务用车购置", "180000.00")]
    );
    let audit = store.audit(Some(id)).await.unwrap();
    assert_eq!(audit.last().unwrap().action, "retract_spending");
    // Fractions of a fen are refused, not rounded.
    let err = store
        .record_spending(&[(id, rec("x", "1.005"))], File, "s", BY)
        .await
        .unwrap_err();
    assert!(
        matches!(err, jixiao_store::StoreError::Invalid { .. }),
        "{err}"
    );
}

async fn a_rename_keeps_id_and_actuals(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let p = store
        .find("交通工具购置及更新", None)
        .await
        .unwrap()
        .remove(0);
    let id = p.id.unwrap();
    let ind = p.indicator("1.1.1").unwrap().id.unwrap();
    store
        .record_observations(&[(ind, km("2024-06-30", "6500", "x"))], "a", BY)
        .await
        .unwrap();
    let change = store.rename(id, "公务用车购置及更新", BY).await.unwrap();
    assert_eq!(change.renamed_from.as_deref(), Some("交通工具购置及更新"));
    let renamed = store.find("公务用车购置及更新", None).await.unwrap();
    assert_eq!(renamed[0].id, Some(id));
    assert_eq!(store.observations(id).await.unwrap().current.len(), 1);
    // Re-importing the old form now adds the old name as a new declaration: names identify.
    let s = store.import("seed.txt", &seed(), BY).await.unwrap();
    assert_eq!(s.added.len(), 1);
    assert_eq!(store.verify_documents().await.unwrap(), 4);
}

async fn an_exported_file_edited_and_reimported_matches_by_id(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let p = store
        .find("交通工具购置及更新", None)
        .await
        .unwrap()
        .remove(0);
    let ind = p.indicator("1.1.1").unwrap().id.unwrap();
    store
        .record_observations(&[(ind, km("2024-06-30", "6500", "x"))], "a", BY)
        .await
        .unwrap();
    // Exported, then edited: the indicator renamed beyond content matching, and moved last.
    let mut form = store.export().await.unwrap();
    let q = &mut form.projects[0];
    let mut moved = q.indicators.remove(0);
    moved.name = "公务车辆年行驶里程".into();
    q.indicators.push(moved);
    let s = store.import("edited.json", &form, BY).await.unwrap();
    let d = &s.changes[0].indicators;
    assert_eq!((d.changed.len(), d.added.len(), d.removed.len()), (1, 0, 0));
    let set = store.observations(p.id.unwrap()).await.unwrap();
    assert_eq!(set.current.len(), 1);
    assert!(set.orphans.is_empty());
    let now = store.project(p.id.unwrap()).await.unwrap().unwrap();
    assert_eq!(now.indicators.last().unwrap().id, Some(ind));
    // Without ids, a name changed beyond matching is a removal and an addition: going back to
    // the seed's 行驶公里数 leaves the value recorded under the other name as an orphan.
    let s = store.import("seed.txt", &seed(), BY).await.unwrap();
    let d = &s.changes[0].indicators;
    assert_eq!((d.added.len(), d.removed.len()), (1, 1));
    assert_eq!(s.changes[0].orphaned_actuals, 1);
    let set = store.observations(p.id.unwrap()).await.unwrap();
    assert_eq!(set.orphans.len(), 1);
    assert_eq!(set.orphans[0].name, "公务车辆年行驶里程");
}

async fn a_project_larger_than_one_insert_round_trips(store: Store) {
    // 87 × 14 = 1,218 indicators: three multi-row INSERT statements.
    let mut form = seed();
    let p = &mut form.projects[1];
    let base = p.indicators.clone();
    for _ in 1..14 {
        p.indicators.extend(base.iter().cloned());
    }
    p.assign_codes();
    store.import("big.txt", &form, BY).await.unwrap();
    assert_eq!(store.counts().await.unwrap().1, 6 + 1218);
    assert_eq!(without_ids(store.export().await.unwrap()), form);
    assert_eq!(store.list().await.unwrap()[1].indicators, 1218);
    assert_eq!(store.verify_documents().await.unwrap(), 2);
}

/// Sessions: a live one returns its user and CSRF token, an expired or ended one is gone, and a
/// new session clears the expired ones.
async fn sessions_expire_and_end(store: Store) {
    use std::time::Duration;
    let user = store
        .add_user(
            &jixiao_store::NewUser {
                username: "zhang".into(),
                display_name: None,
                role: jixiao_model::Role::Viewer,
                unit: Some("某单位".into()),
                department: Some("某局".into()),
                password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$x$y".into()),
            },
            "test",
        )
        .await
        .unwrap();
    assert_eq!(store.user_count().await.unwrap(), 1);
    let expires = store
        .create_session("live", user.id, "csrf-1", Duration::from_secs(3600))
        .await
        .unwrap();
    let s = store.session("live").await.unwrap().unwrap();
    assert_eq!(s.user.username, "zhang");
    assert_eq!(s.user.unit.as_deref(), Some("某单位"));
    assert_eq!(s.user.department.as_deref(), Some("某局"));
    assert_eq!(s.csrf_token, "csrf-1");
    assert_eq!(s.expires_at, expires);
    store
        .create_session("expired", user.id, "csrf-2", Duration::ZERO)
        .await
        .unwrap();
    assert!(store.session("expired").await.unwrap().is_none());
    assert!(store.session("unknown").await.unwrap().is_none());
    store.delete_session("live").await.unwrap();
    assert!(store.session("live").await.unwrap().is_none());
    store.delete_session("live").await.unwrap();
}

/// Two saves based on the same version at the same time: exactly one is written, the other is
/// told who saved what; the two transitions of one declaration likewise.
async fn concurrent_saves_and_transitions_are_serialized(store: Store) {
    use jixiao_store::{SaveKind, SaveRefusal};
    store.import("seed.txt", &seed(), "loader").await.unwrap();
    let p = store
        .find("交通工具购置及更新", Some(2024))
        .await
        .unwrap()
        .remove(0);
    let id = p.id.unwrap();
    let mut a = p.clone();
    a.indicators[0].raw = "≥14000.00(公里)".into();
    let mut b = p.clone();
    b.indicators[1].raw = "无违章".into();
    let (ra, rb) = tokio::join!(
        store.save(id, 1, &a, SaveKind::Edit, "甲"),
        store.save(id, 1, &b, SaveKind::Edit, "乙")
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    let saved: Vec<_> = [&ra, &rb].into_iter().filter(|r| r.is_ok()).collect();
    assert_eq!(saved.len(), 1, "{ra:?} {rb:?}");
    let stale = [ra, rb].into_iter().find_map(|r| r.err()).unwrap();
    match stale {
        SaveRefusal::Stale(s) => {
            assert_eq!((s.base_version, s.current_version), (1, 2));
            assert!(s.saved_by == "甲" || s.saved_by == "乙");
            assert_eq!(s.change.indicators.changed.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.workflow(id).await.unwrap().current_version, 2);

    let from = [Status::Draft];
    let (ta, tb) = tokio::join!(
        store.transition(id, &from, Status::Submitted, None, "甲"),
        store.transition(id, &from, Status::Submitted, None, "乙")
    );
    let (ta, tb) = (ta.unwrap(), tb.unwrap());
    assert_eq!(
        [&ta, &tb].into_iter().filter(|t| t.is_ok()).count(),
        1,
        "{ta:?} {tb:?}"
    );
    let submits = store
        .audit(Some(id))
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "submit")
        .count();
    assert_eq!(submits, 1);
}

/// The dashboard reads a page's actuals, spending and notes in one query each: every
/// declaration gets its own values (an orphan stays its declaration's), the same as read alone.
async fn a_page_reads_each_declarations_records(store: Store) {
    let mut form = seed();
    store.import("v1.txt", &form, BY).await.unwrap();
    let all = store.export().await.unwrap().projects;
    assert!(all.len() >= 2, "the seed has two declarations");
    let (a, b) = (&all[0], &all[1]);
    let (ida, idb) = (a.id.unwrap(), b.id.unwrap());
    let first = |p: &jixiao_model::Project| p.indicators[0].id.unwrap();
    let mut ob = km("2024-06-30", "6500", "1—6月");
    ob.indicator = a.indicators[0].code.clone();
    let mut ob_b = km("2024-07-31", "12", "b");
    ob_b.indicator = b.indicators[0].code.clone();
    store
        .record_observations(&[(first(a), ob), (first(b), ob_b)], "t", BY)
        .await
        .unwrap();
    let spend = |amount: &str| SpendingRecord {
        date: d("2024-03-01"),
        amount: amount.parse().unwrap(),
        voucher: None,
        note: None,
    };
    store
        .record_spending(&[(ida, spend("1.00")), (idb, spend("2.00"))], File, "s", BY)
        .await
        .unwrap();
    let notes = jixiao_store::EvaluationNotes {
        annual_budget: Some("100.00".parse().unwrap()),
        ..Default::default()
    };
    store.set_notes(idb, &notes, BY).await.unwrap();
    // A's first indicator removed: its value becomes an orphan of A, not of B.
    let name = form.projects.iter().position(|p| p.name == a.name).unwrap();
    form.projects[name].indicators.remove(0);
    form.projects[name].assign_codes();
    store.import("v2.txt", &form, BY).await.unwrap();
    let missing = ida.max(idb) + 1000;
    let ids = [ida, idb, missing];
    let sets = store.observations_of(&ids).await.unwrap();
    let spending = store.spending_of(&ids).await.unwrap();
    let all_notes = store.notes_of(&ids).await.unwrap();
    for id in [ida, idb] {
        assert_eq!(sets[&id], store.observations(id).await.unwrap());
        assert_eq!(spending[&id], store.spending(id).await.unwrap());
        assert_eq!(
            all_notes.get(&id).cloned().unwrap_or_default(),
            store.notes(id).await.unwrap()
        );
    }
    assert_eq!((sets[&ida].current.len(), sets[&ida].orphans.len()), (0, 1));
    assert_eq!((sets[&idb].current.len(), sets[&idb].orphans.len()), (1, 0));
    assert_eq!(spending[&idb], vec![spend("2.00")]);
    assert_eq!(all_notes[&idb], notes);
    assert!(!all_notes.contains_key(&ida));
    assert!(!sets.contains_key(&missing) && !spending.contains_key(&missing));
}

/// A ledger never merges its lines (issue 19 item 6): two payments of 8,000.00 on one day
/// without 凭证号 or 说明 are two records, from one file or from two entries; the same file
/// again changes nothing; a correction is explicit (same 凭证号, or the record's id).
async fn a_ledger_never_merges_its_lines(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let id = store.find("交通工具购置及更新", None).await.unwrap()[0]
        .id
        .unwrap();
    let pay = |amount: &str, voucher: Option<&str>, note: Option<&str>| SpendingRecord {
        date: d("2024-05-06"),
        amount: amount.parse().unwrap(),
        voucher: voucher.map(str::to_string),
        note: note.map(str::to_string),
    };
    let total =
        |rows: Vec<SpendingRecord>| rows.iter().map(|r| r.amount).sum::<jixiao_model::Decimal>();
    // One file, two equal lines and a third.
    let file = [
        (id, pay("8000.00", None, None)),
        (id, pay("8000.00", None, None)),
        (id, pay("500.00", None, Some("油费"))),
    ];
    let s = store
        .record_spending(&file, File, "s.csv", BY)
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (3, 0, 0));
    assert_eq!(
        total(store.spending(id).await.unwrap()).to_string(),
        "16500.00"
    );
    // The same file again: line for line unchanged.
    let s = store
        .record_spending(&file, File, "s.csv", BY)
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (0, 0, 3));
    assert!(s.outcomes.iter().all(|o| o.outcome == Outcome::Unchanged));
    assert_eq!(store.spending(id).await.unwrap().len(), 3);
    // A file with a third equal line adds one.
    let mut more = file.to_vec();
    more.push((id, pay("8000.00", None, None)));
    let s = store
        .record_spending(&more, File, "s2.csv", BY)
        .await
        .unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (1, 0, 3));
    assert_eq!(
        total(store.spending(id).await.unwrap()).to_string(),
        "24500.00"
    );
    // Two entries typed in the browser: two records, each 新增.
    for _ in 0..2 {
        let s = store
            .record_spending(
                &[(id, pay("8000.00", None, None))],
                Entries,
                "spending add",
                BY,
            )
            .await
            .unwrap();
        assert_eq!(s.outcomes.len(), 1);
        assert_eq!(s.outcomes[0].outcome, Outcome::Added);
    }
    assert_eq!(
        total(store.spending(id).await.unwrap()).to_string(),
        "40500.00"
    );
    // The first file again still changes nothing.
    let s = store
        .record_spending(&file, File, "s.csv", BY)
        .await
        .unwrap();
    assert_eq!(s.unchanged, 3);
    assert_eq!(store.spending(id).await.unwrap().len(), 6);
    // A 凭证号 names one record: the same voucher with another amount corrects it.
    store
        .record_spending(&[(id, pay("900.00", Some("记-7"), None))], Entries, "e", BY)
        .await
        .unwrap();
    let s = store
        .record_spending(&[(id, pay("950.00", Some("记-7"), None))], Entries, "e", BY)
        .await
        .unwrap();
    assert_eq!(
        s.outcomes[0].outcome,
        Outcome::Corrected(Was::Spending(pay("900.00", Some("记-7"), None)))
    );
    assert_eq!(
        total(store.spending(id).await.unwrap()).to_string(),
        "41450.00"
    );
    // Retracting by 说明 when two records share it is refused with their ids; by id it works.
    let e = store
        .retract_spending(id, d("2024-05-06"), None, None, "重复", BY)
        .await
        .unwrap_err();
    assert!(matches!(e, jixiao_store::StoreError::Invalid { .. }), "{e}");
    let rows = store.spending_rows(id).await.unwrap();
    let (first, _) = rows[0].clone();
    // A correction by id keeps the record's place: the file it came from changes nothing.
    let r = store
        .correct_spending_row(id, first, &pay("7000.00", None, None), "edit", BY)
        .await
        .unwrap();
    assert_eq!(
        r.outcome,
        Outcome::Corrected(Was::Spending(pay("8000.00", None, None)))
    );
    let s = store
        .record_spending(&file, File, "s.csv", BY)
        .await
        .unwrap();
    assert_eq!(s.unchanged, 3);
    assert_eq!(
        total(store.spending(id).await.unwrap()).to_string(),
        "40450.00"
    );
    store
        .retract_spending_row(id, r.id, "重复录入", BY)
        .await
        .unwrap();
    assert_eq!(
        total(store.spending(id).await.unwrap()).to_string(),
        "33450.00"
    );
    // An id of another declaration, or no longer current, is not found.
    assert!(matches!(
        store.retract_spending_row(id, r.id, "again", BY).await,
        Err(jixiao_store::StoreError::NotFound { .. })
    ));
}

/// The review queue's read (`Store::loaded`): the declarations a query selects with their
/// current versions, actual values and spending, each as the single-declaration reads give it.
async fn loaded_declarations_carry_their_records(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let all = store.export().await.unwrap().projects;
    let (a, b) = (&all[0], &all[1]);
    let (ida, idb) = (a.id.unwrap(), b.id.unwrap());
    let mut ob = km("2024-06-30", "6500", "x");
    ob.indicator = b.indicators[0].code.clone();
    store
        .record_observations(&[(b.indicators[0].id.unwrap(), ob)], "t", BY)
        .await
        .unwrap();
    let spend = SpendingRecord {
        date: d("2024-03-01"),
        amount: "2.00".parse().unwrap(),
        voucher: Some("V1".into()),
        note: None,
    };
    store
        .record_spending(&[(idb, spend.clone())], Entries, "s", BY)
        .await
        .unwrap();
    store
        .transition(idb, &[Status::Draft], Status::Submitted, None, BY)
        .await
        .unwrap()
        .unwrap();
    let submitted = jixiao_store::ListQuery {
        visible: jixiao_store::Visibility::everything(),
        status: Some(Status::Submitted),
        ..Default::default()
    };
    let loaded = store.loaded(&submitted).await.unwrap();
    assert_eq!(loaded.len(), 1);
    let l = &loaded[0];
    assert_eq!(Some(&l.summary), store.summary(idb).await.unwrap().as_ref());
    assert_eq!(l.summary.status, Status::Submitted);
    assert_eq!(Some(&l.project), store.project(idb).await.unwrap().as_ref());
    assert_eq!(l.actuals, store.observations(idb).await.unwrap());
    assert_eq!(l.actuals.current.len(), 1);
    assert_eq!(l.spending, vec![spend]);
    // Visibility narrows as the list's does: another unit sees nothing.
    let other = jixiao_store::ListQuery {
        visible: jixiao_store::Visibility {
            all: false,
            units: vec!["别的单位".into()],
            departments: Vec::new(),
        },
        ..Default::default()
    };
    assert!(store.loaded(&other).await.unwrap().is_empty());
    // Every declaration, in id order.
    let every = store
        .loaded(&jixiao_store::ListQuery {
            visible: jixiao_store::Visibility::everything(),
            ..Default::default()
        })
        .await
        .unwrap();
    let ids: Vec<i64> = every.iter().map(|l| l.summary.id).collect();
    assert_eq!(ids, [ida.min(idb), ida.max(idb)]);
}

/// A project's family across years (`Store::project_family`): the same unit and name
/// (normalised: spaces and a trailing 。 do not matter) in other years, linked declarations
/// whatever their names, and theirs in turn — not the other projects.
async fn a_family_is_its_unit_and_name_and_its_links(store: Store) {
    store.import("seed.txt", &seed(), BY).await.unwrap();
    let text = std::str::from_utf8(include_bytes!("../../../tests/data/seed_2024_shanghai.txt"))
        .unwrap()
        .replace("2024", "2023")
        .replace("交通工具购置及更新", "交通工具 购置及更新。");
    let older = jixiao_form::read_form("seed_2023.txt", text.as_bytes())
        .unwrap()
        .form;
    store.import("seed_2023.txt", &older, BY).await.unwrap();
    let mut renamed = older.clone();
    for p in &mut renamed.projects {
        p.year = 2022;
        p.name = format!("{}（旧称）", p.name);
    }
    store.import("seed_2022.txt", &renamed, BY).await.unwrap();
    let all = store.export().await.unwrap().projects;
    let id = |year: i32, transport: bool| {
        all.iter()
            .find(|p| p.year == year && p.name.contains("交通工具") == transport)
            .and_then(|p| p.id)
            .unwrap()
    };
    let (t24, t23, t22) = (id(2024, true), id(2023, true), id(2022, true));
    let (family, links) = store.project_family(t24).await.unwrap();
    let ids: Vec<i64> = family.iter().filter_map(|p| p.id).collect();
    assert_eq!(ids, [t24.min(t23), t24.max(t23)], "by unit and name only");
    assert!(links.is_empty());
    // 2022's renamed declaration joins through its link, and the link comes with it.
    store.link_predecessor(t23, t22, BY).await.unwrap();
    let (family, links) = store.project_family(t24).await.unwrap();
    let mut ids: Vec<i64> = family.iter().filter_map(|p| p.id).collect();
    ids.sort_unstable();
    let mut want = vec![t24, t23, t22];
    want.sort_unstable();
    assert_eq!(ids, want);
    assert_eq!(links, [(t23, t22)]);
    assert!(family.iter().all(|p| p.name.contains("交通工具")));
    assert_eq!(store.project_family(t22).await.unwrap().0.len(), 3);
}

/// A department-wide declaration (部门整体支出绩效目标) keeps its own parts — functions,
/// spending split, tasks' budgets, core indicators — through import, export and the check
/// of documents against rows; a change of a core flag or a task's budget is a new version.
async fn a_department_wide_declaration_round_trips(store: Store) {
    use jixiao_model::{DepartmentTargets, SpendingSplit, TaskFunds, DEPARTMENT_TARGETS_NAME};
    let mut form = seed();
    form.projects.remove(0);
    let p = &mut form.projects[0];
    p.name = DEPARTMENT_TARGETS_NAME.to_string();
    let total = p.funds.total;
    p.department_targets = Some(DepartmentTargets {
        functions: "负责本市减污降碳技术支撑。".into(),
        spending: Some(SpendingSplit {
            basic: "0.10".parse().unwrap(),
            project: total - "0.10".parse::<jixiao_model::Decimal>().unwrap(),
        }),
    });
    p.tasks[0].funds = Some(TaskFunds {
        total,
        fiscal: total,
        other: "0.00".parse().unwrap(),
    });
    p.indicators[0].core = true;
    store.import("dept.json", &form, BY).await.unwrap();
    let back = store.export().await.unwrap();
    assert_eq!(
        jixiao_form::json::to_string(&without_ids(back.clone())),
        jixiao_form::json::to_string(&form)
    );
    assert!(back.projects[0].is_department_wide());
    assert!(back.projects[0].indicators[0].core);
    assert!(!back.projects[0].indicators[1].core);
    assert_eq!(store.verify_documents().await.unwrap(), 1);
    // The core flag is content: clearing it is a new version.
    let mut changed = form.clone();
    changed.projects[0].indicators[0].core = false;
    let s = store.import("dept.json", &changed, BY).await.unwrap();
    assert_eq!(s.replaced.len(), 1);
    // The same again changes nothing.
    let s = store.import("dept.json", &changed, BY).await.unwrap();
    assert_eq!((s.added.len(), s.replaced.len()), (0, 0));
    assert_eq!(store.verify_documents().await.unwrap(), 2);
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
    concurrent_saves_and_transitions_are_serialized,
    import_then_export_gives_the_same_json,
    importing_twice_leaves_one_copy,
    changed_reimport_keeps_the_previous_version,
    an_inserted_indicator_keeps_actuals_on_their_indicators,
    a_correction_replaces_and_keeps_history,
    spending_is_retracted_with_a_reason,
    a_rename_keeps_id_and_actuals,
    an_exported_file_edited_and_reimported_matches_by_id,
    actuals_and_spending_round_trip,
    a_project_larger_than_one_insert_round_trips,
    sessions_expire_and_end,
    a_page_reads_each_declarations_records,
    a_ledger_never_merges_its_lines,
    loaded_declarations_carry_their_records,
    a_family_is_its_unit_and_name_and_its_links,
    a_department_wide_declaration_round_trips,
);
