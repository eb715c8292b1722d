//! Attacks from inside the organisation (issue 16, items 1 and 2), on SQLite and PostgreSQL:
//! an upload carrying another unit's declaration id, or another department, is a claim checked
//! with the permission table before anything is matched; a refusal never names what the actor
//! may not see; a declaration never changes unit or department by import or edit.
//!
//! Unit A (上海市减污降碳管理运行技术中心, under 上海市生态环境局) holds the seed form; unit B
//! (乙单位, under 上海市交通委员会) a copy of it.

use jixiao_app::{Actor, App, AppError, ErrorKind, Upload};
use jixiao_model::{Form, Project, Role};
use jixiao_testkit::data;

const A: &str = "上海市减污降碳管理运行技术中心";
const DEPT_A: &str = "上海市生态环境局";
const B: &str = "乙单位";
const DEPT_B: &str = "上海市交通委员会";

fn seed() -> Form {
    jixiao_app::parse_file(&data("seed_2024_shanghai.txt"))
        .unwrap()
        .form
}

fn json_upload(name: &str, projects: Vec<Project>) -> Upload {
    Upload::new(
        name,
        jixiao_form::json::to_string(&Form { projects, ..seed() }),
    )
}

/// The seed as unit B (the second project renamed so that B has a project of its own).
fn form_of_b() -> Upload {
    let mut form = seed();
    for p in &mut form.projects {
        p.unit = B.into();
        p.department = Some(DEPT_B.into());
        p.name = format!("乙·{}", p.name);
    }
    json_upload("b.json", form.projects)
}

async fn sqlite() -> App {
    App::open(&jixiao_testkit::sqlite_path("attack"))
        .await
        .unwrap()
}

async fn postgres() -> App {
    App::open(&jixiao_testkit::postgres_url("attack").await)
        .await
        .unwrap()
}

/// Runs an async test body on a fresh SQLite file and a fresh PostgreSQL schema.
macro_rules! on_both_backends {
    ($($name:ident => $body:ident;)*) => {
        mod sqlite_backend {
            $(#[tokio::test] async fn $name() { super::$body(super::setup(super::sqlite().await).await).await })*
        }
        mod postgres_backend {
            $(#[tokio::test] async fn $name() { super::$body(super::setup(super::postgres().await).await).await })*
        }
    };
}

on_both_backends! {
    a_foreign_id_in_an_import_is_not_found => foreign_id_import;
    a_foreign_id_of_a_submitted_or_approved_declaration_is_not_found => foreign_id_locked;
    the_preview_refuses_what_the_import_refuses => preview_refuses;
    a_declaration_never_changes_unit_by_import => unit_never_changes;
    a_foreign_department_in_a_form_is_refused => foreign_department_form;
    a_foreign_department_in_the_editor_is_refused => foreign_department_editor;
    every_role_answers_hostile_uploads_as_the_table_says => role_matrix;
}

async fn setup(app: App) -> App {
    app.import(
        &Actor::local_admin(),
        &[
            Upload::read(&data("seed_2024_shanghai.txt")).unwrap(),
            form_of_b(),
        ],
    )
    .await
    .unwrap();
    app
}

fn admin() -> Actor {
    Actor::local_admin()
}

fn editor_of_a() -> Actor {
    Actor::new("张三", Role::Editor, Some(A), Some(DEPT_A))
}

/// B's declarations as the administrator sees them.
async fn of_unit(app: &App, unit: &str) -> Vec<Project> {
    app.export(&admin())
        .await
        .unwrap()
        .projects
        .into_iter()
        .filter(|p| p.unit == unit)
        .collect()
}

/// What a declaration looks like to its owner: content, versions and audit trail.
async fn state_of(app: &App, p: &Project) -> (Project, usize, usize) {
    let owner = Actor::new("乙填报", Role::Editor, Some(B), Some(DEPT_B));
    let now = app.project_by_id(&owner, p.id.unwrap()).await.unwrap();
    let versions = app.versions(&owner, &now).await.unwrap().len();
    let audit = app.audit(&owner, &now).await.unwrap().len();
    (now, versions, audit)
}

/// B's declaration with another id (and A's unit): the attacker's file.
fn hostile(target: &Project, id: i64) -> Upload {
    let mut p = target.clone();
    p.id = Some(id);
    p.unit = A.into();
    p.department = Some(DEPT_A.into());
    p.overall_goal = "已被接管".into();
    json_upload("hostile.json", vec![p])
}

fn err<T: std::fmt::Debug>(r: Result<T, AppError>) -> AppError {
    r.unwrap_err()
}

/// The message of a refusal with the id given replaced, so that two refusals of different ids
/// compare.
fn text(e: &AppError, id: i64) -> String {
    e.to_string()
        .replace(&format!("编号 {id}"), "编号 <id>")
        .replace(&format!("id {id}"), "id <id>")
}

async fn assert_refused_like_a_missing_id(app: &App, actor: &Actor, target: &Project) {
    let id = target.id.unwrap();
    let foreign = err(app.import(actor, &[hostile(target, id)]).await);
    let missing = err(app.import(actor, &[hostile(target, 987_654)]).await);
    assert_eq!(foreign.kind(), ErrorKind::NotFound, "{foreign}");
    assert_eq!(missing.kind(), ErrorKind::NotFound, "{missing}");
    assert_eq!(text(&foreign, id), text(&missing, 987_654));
    for secret in [B, DEPT_B, "已提交", "已批准", "submitted", "approved"] {
        assert!(!foreign.to_string().contains(secret), "{secret}: {foreign}");
    }
}

async fn foreign_id_import(app: App) {
    let b = of_unit(&app, B).await;
    let before = state_of(&app, &b[0]).await;
    let a_before = of_unit(&app, A).await;
    assert_refused_like_a_missing_id(&app, &editor_of_a(), &b[0]).await;
    // The owner still sees it, unchanged; the audit trail has no new row; A has nothing new.
    assert_eq!(state_of(&app, &b[0]).await, before);
    assert_eq!(before.0.unit, B);
    assert_eq!(of_unit(&app, A).await, a_before);
}

async fn foreign_id_locked(app: App) {
    let b = of_unit(&app, B).await;
    let (submitted, approved) = (&b[0], &b[1]);
    app.submit(&admin(), submitted.id.unwrap()).await.unwrap();
    app.submit(&admin(), approved.id.unwrap()).await.unwrap();
    app.approve(&admin(), approved.id.unwrap(), None)
        .await
        .unwrap();
    for target in [submitted, approved] {
        let before = state_of(&app, target).await;
        assert_refused_like_a_missing_id(&app, &editor_of_a(), target).await;
        assert_eq!(state_of(&app, target).await, before);
    }
}

async fn preview_refuses(app: App) {
    let b = of_unit(&app, B).await;
    let id = b[0].id.unwrap();
    let editor = editor_of_a();
    let foreign = err(app.preview_import(&editor, &[hostile(&b[0], id)]).await);
    let missing = err(app
        .preview_import(&editor, &[hostile(&b[0], 987_654)])
        .await);
    assert_eq!(foreign.kind(), ErrorKind::NotFound, "{foreign}");
    assert_eq!(text(&foreign, id), text(&missing, 987_654));
    let committed = err(app.import(&editor, &[hostile(&b[0], id)]).await);
    assert_eq!(committed.to_string(), foreign.to_string());
    // A preview says which declaration each project updates.
    let a = of_unit(&app, A).await;
    let mut mine = a[0].clone();
    mine.overall_goal = "改".into();
    let mut new = a[0].clone();
    new.id = None;
    new.name = "新项目".into();
    let preview = app
        .preview_import(&editor, &[json_upload("a.json", vec![mine, new])])
        .await
        .unwrap();
    assert_eq!(preview[0].updates, vec![a[0].id, None]);
}

async fn unit_never_changes(app: App) {
    let b = of_unit(&app, B).await;
    let before = state_of(&app, &b[0]).await;
    // Even the administrator cannot move a declaration by import: both units are named.
    let e = err(app
        .import(&admin(), &[hostile(&b[0], b[0].id.unwrap())])
        .await);
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    assert!(
        e.to_string().contains(A) && e.to_string().contains(B),
        "{e}"
    );
    // Nor by an edit.
    let mut moved = before.0.clone();
    moved.unit = A.into();
    let e = err(app
        .save_declaration(&admin(), b[0].id.unwrap(), 1, moved)
        .await);
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    assert!(
        e.to_string().contains(A) && e.to_string().contains(B),
        "{e}"
    );
    assert_eq!(state_of(&app, &b[0]).await, before);
}

async fn foreign_department_form(app: App) {
    let a = of_unit(&app, A).await;
    let before = state_of_admin(&app, &a[0]).await;
    for (name, id) in [(a[0].name.clone(), a[0].id), ("新项目".to_string(), None)] {
        let mut p = a[0].clone();
        p.id = id;
        p.name = name;
        p.department = Some(DEPT_B.into());
        let e = err(app
            .import(&editor_of_a(), &[json_upload("dept.json", vec![p])])
            .await);
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        let s = e.to_string();
        assert!(
            s.contains(DEPT_A) && s.contains(DEPT_B) && s.contains("dept.json"),
            "{s}"
        );
    }
    assert_eq!(state_of_admin(&app, &a[0]).await, before);
    assert_eq!(of_unit(&app, A).await.len(), a.len());
    // No 主管部门 in the file: the unit's department from the org tree.
    let mut p = a[0].clone();
    p.id = None;
    p.name = "无主管部门".into();
    p.department = None;
    app.import(&editor_of_a(), &[json_upload("none.json", vec![p])])
        .await
        .unwrap();
    let added = app
        .project(&editor_of_a(), "无主管部门", None)
        .await
        .unwrap();
    assert_eq!(added.department.as_deref(), Some(DEPT_A));
    // A reviewer of the other department does not see it.
    let reviewer_b = Actor::new("乙审核", Role::Reviewer, None, Some(DEPT_B));
    assert_eq!(
        err(app.project_by_id(&reviewer_b, added.id.unwrap()).await).kind(),
        ErrorKind::NotFound
    );
}

async fn state_of_admin(app: &App, p: &Project) -> (Project, usize, usize) {
    let now = app.project_by_id(&admin(), p.id.unwrap()).await.unwrap();
    let versions = app.versions(&admin(), &now).await.unwrap().len();
    let audit = app.audit(&admin(), &now).await.unwrap().len();
    (now, versions, audit)
}

async fn foreign_department_editor(app: App) {
    let a = of_unit(&app, A).await;
    let before = state_of_admin(&app, &a[0]).await;
    let field_error = |e: AppError| {
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        let AppError::Invalid(jixiao_app::Invalid::Fields(fields)) = &e else {
            panic!("not a field error: {e:?}");
        };
        assert!(
            fields.iter().any(|f| f.field == "department"
                && f.zh.contains(DEPT_A)
                && f.zh.contains(DEPT_B)
                && f.en.contains(DEPT_B)),
            "{fields:?}"
        );
    };
    let mut edited = before.0.clone();
    edited.department = Some(DEPT_B.into());
    field_error(err(app
        .save_declaration(&editor_of_a(), a[0].id.unwrap(), before.1 as i64, edited)
        .await));
    let mut created = before.0.clone();
    created.id = None;
    created.name = "新建项目".into();
    created.department = Some(DEPT_B.into());
    field_error(err(app.create_declaration(&editor_of_a(), created).await));
    assert_eq!(state_of_admin(&app, &a[0]).await, before);
    assert_eq!(
        app.project(&admin(), "新建项目", None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

/// Every role against the hostile uploads: B's declaration id with A's unit, and A's
/// declaration with B's department.
async fn role_matrix(app: App) {
    let a = of_unit(&app, A).await;
    let b = of_unit(&app, B).await;
    let foreign_id = hostile(&b[0], b[0].id.unwrap());
    let mut p = a[0].clone();
    p.department = Some(DEPT_B.into());
    p.overall_goal = "改".into();
    let foreign_dept = json_upload("dept.json", vec![p]);
    use ErrorKind::*;
    let roles = [
        (admin(), Invalid, Invalid),
        (
            Actor::new("财政", Role::Finance, None, None),
            Forbidden,
            Forbidden,
        ),
        (
            Actor::new("甲审核", Role::Reviewer, None, Some(DEPT_A)),
            Forbidden,
            Forbidden,
        ),
        (
            Actor::new("乙审核", Role::Reviewer, None, Some(DEPT_B)),
            Forbidden,
            Forbidden,
        ),
        (editor_of_a(), NotFound, Invalid),
        (
            Actor::new("乙填报", Role::Editor, Some(B), Some(DEPT_B)),
            Invalid,
            NotFound,
        ),
        (
            Actor::new("甲只读", Role::Viewer, Some(A), Some(DEPT_A)),
            Forbidden,
            Forbidden,
        ),
    ];
    let before_a = state_of_admin(&app, &a[0]).await;
    let before_b = state_of_admin(&app, &b[0]).await;
    for (actor, by_id, by_dept) in roles {
        for (upload, want) in [(&foreign_id, by_id), (&foreign_dept, by_dept)] {
            let got = err(app.import(&actor, std::slice::from_ref(upload)).await);
            assert_eq!(got.kind(), want, "{} {}: {got}", actor.name, upload.name);
            let preview = err(app
                .preview_import(&actor, std::slice::from_ref(upload))
                .await);
            assert_eq!(preview.to_string(), got.to_string(), "{}", actor.name);
            if want != Invalid || actor.role != Role::Admin {
                assert!(!got.to_string().contains("已提交"), "{got}");
            }
        }
    }
    assert_eq!(state_of_admin(&app, &a[0]).await, before_a);
    assert_eq!(state_of_admin(&app, &b[0]).await, before_b);
}

/// The administrator moves canonical JSON between databases (`jixiao export` from one,
/// `jixiao import` into another): ids the new database does not know are matched by (year,
/// unit, name) as projects without one — a second import of the same file changes nothing.
/// Only the administrator: an editor's unknown id is the NotFound above.
#[tokio::test]
async fn the_administrator_imports_an_export_from_another_database() {
    let from = setup(sqlite().await).await;
    let exported = from.export(&admin()).await.unwrap();
    assert!(exported.projects.iter().all(|p| p.id.is_some()));
    let into = sqlite().await;
    // Ids the fresh database never gave out.
    let mut form = exported.clone();
    for p in &mut form.projects {
        p.id = p.id.map(|id| id + 1000);
    }
    let upload = Upload::new("all.json", jixiao_form::json::to_string(&form));
    let (first, _) = into
        .import(&admin(), std::slice::from_ref(&upload))
        .await
        .unwrap();
    assert_eq!(first.added.len(), form.projects.len());
    let (second, _) = into.import(&admin(), &[upload]).await.unwrap();
    assert!(
        second.added.is_empty() && second.replaced.is_empty(),
        "{second:?}"
    );
    assert_eq!(second.unchanged.len(), form.projects.len());
}
