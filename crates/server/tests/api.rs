//! API tests: a real server on 127.0.0.1:0 over SQLite (a fresh file) and PostgreSQL (a fresh
//! schema in the database named by `JIXIAO_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/test`), filled by the demo data plus one declaration
//! of the second unit, and driven over HTTP.

use std::collections::HashMap;

use jixiao_app::{Actor, App, Upload};
use jixiao_model::Role;
use jixiao_server::demo::{SECOND_UNIT, UNIT};
use jixiao_testkit::unique;
use reqwest::StatusCode;
use serde_json::{json, Value};

const SEED: &str = include_str!("../../../tests/data/seed_2024_shanghai.txt");
const ADMIN_PASSWORD: &str = "admin-password-1";

async fn sqlite() -> App {
    let dir = std::env::temp_dir().join(unique("jixiao server test"));
    std::fs::create_dir_all(&dir).unwrap();
    App::open(dir.join("jixiao.db").to_str().unwrap())
        .await
        .unwrap()
}

async fn postgres() -> App {
    let url = jixiao_testkit::postgres_url("t").await;
    App::open(&url).await.unwrap()
}

/// A running server and the demo users' passwords.
struct Server {
    base: String,
    http: reqwest::Client,
    passwords: HashMap<String, String>,
    /// Ids of the seed's declarations in the first unit and in the second.
    unit1: i64,
    unit2: i64,
    /// The application behind the server (to set up states directly).
    app: App,
}

/// A signed-in client: its cookie and CSRF token.
struct Login {
    cookie: String,
    csrf: String,
}

async fn start(app: App) -> Server {
    let users = jixiao_server::demo::seed(&app, Some(ADMIN_PASSWORD))
        .await
        .unwrap();
    // The same two declarations, of the second unit.
    let other = SEED.replace(UNIT, SECOND_UNIT);
    let admin = Actor::new("test", Role::Admin, None, None);
    app.import(&admin, &[Upload::new("second_unit.txt", other)])
        .await
        .unwrap();
    let list = app.list(&admin).await.unwrap();
    let id_in = |unit: &str| {
        list.iter()
            .find(|s| s.key.unit == unit && s.key.name == "交通工具购置及更新")
            .unwrap()
            .id
    };
    let (unit1, unit2) = (id_in(UNIT), id_in(SECOND_UNIT));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(jixiao_server::serve(
        listener,
        app.clone(),
        Default::default(),
    ));
    Server {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        passwords: users
            .into_iter()
            .map(|u| (u.username, u.password))
            .collect(),
        unit1,
        unit2,
        app,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn try_login(&self, user: &str, password: &str) -> reqwest::Response {
        self.http
            .post(self.url("/api/session"))
            .json(&json!({ "username": user, "password": password }))
            .send()
            .await
            .unwrap()
    }

    async fn login(&self, user: &str) -> Login {
        let r = self.try_login(user, &self.passwords[user]).await;
        assert_eq!(r.status(), StatusCode::OK, "login {user}");
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        let cookie = set.split(';').next().unwrap().to_string();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["user"], user);
        Login {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    async fn get(&self, path: &str, who: Option<&Login>) -> (StatusCode, Value) {
        let mut req = self.http.get(self.url(path));
        if let Some(l) = who {
            req = req.header("cookie", &l.cookie);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Sends JSON with `method` (POST, PUT) and the session's CSRF token.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        who: &Login,
        body: &Value,
    ) -> (StatusCode, Value) {
        let r = self
            .http
            .request(method, self.url(path))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, who: &Login, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, who, body).await
    }

    async fn put(&self, path: &str, who: &Login, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, who, body).await
    }

    /// Uploads a file to `/api/imports{query}`, with the session's CSRF token unless told.
    async fn import(
        &self,
        who: &Login,
        query: &str,
        name: &str,
        bytes: Vec<u8>,
        csrf: bool,
    ) -> (StatusCode, Value) {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let mut req = self
            .http
            .post(self.url(&format!("/api/imports{query}")))
            .header("cookie", &who.cookie)
            .multipart(form);
        if csrf {
            req = req.header("x-csrf-token", &who.csrf);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

/// Every error has the one body.
fn assert_error_body(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message_zh"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(
        body["message_en"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["diagnostics"].is_array(), "{body}");
}

/// The role matrix: each demo user × action, as specified (issue 9: 填报人 edits its own
/// unit; 审核人 reads the units under its department; 财政 and 管理员 read all; 只读 reads its
/// unit; another unit's declaration is 404, an import the role may not do is 403).
/// Columns: user, projects listed, read a unit-1 declaration, read a unit-2 declaration,
/// import the unit-1 seed, evaluate the unit-1 declaration.
/// Unit 1 holds the seed's two 2024 declarations and the demo's 2025 交通工具购置及更新.
const MATRIX: [(&str, usize, u16, u16, u16, u16); 6] = [
    ("admin", 6, 200, 200, 200, 200),
    ("finance", 6, 200, 200, 403, 200),
    ("reviewer", 6, 200, 200, 403, 200),
    ("editor", 4, 200, 404, 200, 200),
    ("viewer", 4, 200, 404, 403, 200),
    ("editor2", 2, 404, 200, 403, 404),
];

async fn role_matrix(app: App) {
    let s = start(app).await;
    for (user, listed, read1, read2, import1, eval1) in MATRIX {
        let who = s.login(user).await;
        let (st, list) = s.get("/api/projects", Some(&who)).await;
        assert_eq!(st, StatusCode::OK, "{user} list");
        assert_eq!(list["total"], listed, "{user} list: {list}");
        let (st, body) = s
            .get(&format!("/api/projects/{}", s.unit1), Some(&who))
            .await;
        assert_eq!(st.as_u16(), read1, "{user} read unit 1: {body}");
        if read1 == 404 {
            assert_error_body(&body, "not_found");
        } else {
            assert_eq!(body["unit"], UNIT, "{user}");
        }
        let (st, body) = s
            .get(&format!("/api/projects/{}", s.unit2), Some(&who))
            .await;
        assert_eq!(st.as_u16(), read2, "{user} read unit 2: {body}");
        let (st, body) = s
            .import(&who, "", "seed.txt", SEED.as_bytes().to_vec(), true)
            .await;
        assert_eq!(st.as_u16(), import1, "{user} import: {body}");
        if import1 == 403 {
            assert_error_body(&body, "forbidden");
        } else {
            assert_eq!(
                body["unchanged"].as_array().map(Vec::len),
                Some(2),
                "{body}"
            );
        }
        let (st, body) = s
            .get(&format!("/api/projects/{}/evaluation", s.unit1), Some(&who))
            .await;
        assert_eq!(st.as_u16(), eval1, "{user} evaluate: {body}");
        if eval1 == 200 {
            assert_eq!(body["project"], "交通工具购置及更新", "{body}");
            assert_eq!(body["state"], "scored", "{body}");
        }
    }
    // A declaration without any actual value or spending has no score yet (issue 17): null
    // and a state, never "0.00 差".
    let who = s.login("admin").await;
    let (st, body) = s
        .get(&format!("/api/projects/{}/evaluation", s.unit2), Some(&who))
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "no_actuals", "{body}");
    assert_eq!(body["total"], Value::Null, "{body}");
    assert_eq!(body["grade"], Value::Null, "{body}");
}

async fn sessions_and_csrf(app: App) {
    let s = start(app).await;
    // Wrong password and unknown user: one answer, 401.
    let wrong = s.try_login("editor", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong: Value = wrong.json().await.unwrap();
    assert_error_body(&wrong, "unauthenticated");
    let nobody: Value = s
        .try_login("nobody", "whatever1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wrong, nobody);
    // No session: 401 everywhere under /api/ but the OpenAPI document.
    for path in [
        "/api/session",
        "/api/projects",
        &format!("/api/projects/{}", s.unit1),
        &format!("/api/projects/{}/audit", s.unit1),
        "/api/no-such-route",
    ] {
        let (st, body) = s.get(path, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{path}");
        assert_error_body(&body, "unauthenticated");
    }
    let r = s.http.put(s.url("/api/projects")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let (st, doc) = s.get("/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    for path in [
        "/api/session",
        "/api/projects",
        "/api/projects/{id}",
        "/api/projects/{id}/evaluation",
        "/api/projects/{id}/monitoring",
        "/api/projects/{id}/audit",
        "/api/imports",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    every_answer_names_its_schema(&doc);

    let who = s.login("editor").await;
    let (st, me) = s.get("/api/session", Some(&who)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(me["role"], "editor");
    assert_eq!(me["unit"], UNIT);
    assert_eq!(me["csrf_token"], who.csrf.as_str());
    // A signed-in client with a method a route does not take: 405; on an unknown route: 404.
    let r = s
        .http
        .put(s.url("/api/projects"))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_error_body(&r.json().await.unwrap(), "method_not_allowed");
    let (st, body) = s.get("/api/no-such-route", Some(&who)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_error_body(&body, "not_found");

    // State changes without the CSRF token, or from another origin: 403, nothing done.
    let (st, body) = s
        .import(&who, "", "seed.txt", SEED.as_bytes().to_vec(), false)
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_error_body(&body, "csrf");
    let r = s
        .http
        .delete(s.url("/api/session"))
        .header("cookie", &who.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = s
        .http
        .delete(s.url("/api/session"))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_error_body(&r.json().await.unwrap(), "cross_origin");
    assert_eq!(s.get("/api/session", Some(&who)).await.0, StatusCode::OK);

    // Logging out ends the session for good.
    let r = s
        .http
        .delete(s.url("/api/session"))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        s.get("/api/projects", Some(&who)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Five failures of a user from one address within a minute: the sixth try is 429, even
    // with the right password; another user is not affected.
    for _ in 0..5 {
        assert_eq!(
            s.try_login("viewer", "bad password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = s.try_login("viewer", &s.passwords["viewer"]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert_error_body(&r.json().await.unwrap(), "too_many_requests");
    s.login("finance").await;
}

async fn imports_preview_and_refusals(app: App) {
    let s = start(app).await;
    let admin = s.login("admin").await;
    let third = SEED.replace(UNIT, "上海市第三单位");
    let total = |v: &Value| v["total"].as_u64().unwrap();
    let (_, before) = s.get("/api/projects", Some(&admin)).await;
    let (_, audit_before) = s
        .get(&format!("/api/projects/{}/audit", s.unit1), Some(&admin))
        .await;

    // A dry run returns the form read and its findings, and commits nothing.
    let (st, preview) = s
        .import(
            &admin,
            "?dry_run=true",
            "third.txt",
            third.clone().into_bytes(),
            true,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{preview}");
    assert_eq!(preview["dry_run"], true);
    let file = &preview["files"][0];
    assert_eq!(file["projects"].as_array().unwrap().len(), 2, "{file}");
    assert_eq!(file["projects"][0]["unit"], "上海市第三单位");
    assert!(file["form"]["projects"].is_array());
    assert!(file["review"].is_object(), "{file}");
    let (_, after) = s.get("/api/projects", Some(&admin)).await;
    assert_eq!(
        total(&after),
        total(&before),
        "a dry run committed something"
    );
    let (_, audit_after) = s
        .get(&format!("/api/projects/{}/audit", s.unit1), Some(&admin))
        .await;
    assert_eq!(audit_after, audit_before);

    // The same upload for real adds the two declarations.
    let (st, done) = s
        .import(&admin, "", "third.txt", third.into_bytes(), true)
        .await;
    assert_eq!(st, StatusCode::OK, "{done}");
    assert_eq!(done["added"].as_array().unwrap().len(), 2, "{done}");
    let (_, after) = s.get("/api/projects", Some(&admin)).await;
    assert_eq!(total(&after), total(&before) + 2);

    // Pagination.
    let (st, page) = s.get("/api/projects?page=2&per_page=4", Some(&admin)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(page["items"].as_array().unwrap().len(), 4, "{page}");
    assert_eq!(page["total"], 8);
    let (st, body) = s.get("/api/projects?per_page=0", Some(&admin)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_body(&body, "invalid");

    // A wrong file type: a clear error with a positioned diagnostic, nothing imported.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let (st, body) = s.import(&admin, "", "photo.png", png, true).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_error_body(&body, "invalid");
    let d = &body["diagnostics"][0];
    assert!(d["line"].is_number() && d["column"].is_number(), "{body}");
    assert!(
        body["message_zh"].as_str().unwrap().contains("photo.png"),
        "{body}"
    );
    // Not multipart at all.
    let r = s
        .http
        .post(s.url("/api/imports"))
        .header("cookie", &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error_body(&r.json().await.unwrap(), "unsupported_media_type");
    // Over the body limit (20 MB): 413, nothing imported.
    let big = vec![b'x'; jixiao_server::DEFAULT_BODY_LIMIT + 1];
    let (st, body) = s.import(&admin, "", "big.txt", big, true).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_error_body(&body, "payload_too_large");
    assert!(
        body["message_en"].as_str().unwrap().contains("20 MB"),
        "{body}"
    );
    let (_, last) = s.get("/api/projects", Some(&admin)).await;
    assert_eq!(total(&last), 8);

    // Monitoring needs a date; the audit trail lists the demo's changes.
    let (st, body) = s
        .get(
            &format!("/api/projects/{}/monitoring", s.unit1),
            Some(&admin),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_body(&body, "invalid");
    let (st, body) = s
        .get(
            &format!("/api/projects/{}/monitoring?as_of=2024-06-30", s.unit1),
            Some(&admin),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, body) = s
        .get(&format!("/api/projects/{}/audit", s.unit1), Some(&admin))
        .await;
    assert_eq!(st, StatusCode::OK);
    let actions: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"import"), "{actions:?}");
    assert!(actions.contains(&"record_actual"), "{actions:?}");
    let (st, body) = s.get("/api/projects/abc", Some(&admin)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_error_body(&body, "not_found");
}

/// The state a workflow action starts from.
#[derive(Clone, Copy, Debug)]
enum From {
    /// No declaration yet (create).
    Nothing,
    Draft,
    Submitted,
    Approved,
}

/// The workflow role matrix: action, the state it starts from, and the status each demo user
/// gets, in the order admin, finance, reviewer, editor, viewer, editor2 (issue 9: 填报人 edits,
/// submits and adjusts its own unit; 审核人 returns, approves and comments on the units under
/// its department; 财政 and 只读 read; a role that may never do an action is 403 before
/// anything is looked up; another unit's declaration is 404).
const WORKFLOW_MATRIX: [(&str, From, [u16; 6]); 11] = [
    ("create", From::Nothing, [201, 403, 403, 201, 403, 403]),
    ("save", From::Draft, [200, 403, 403, 200, 403, 404]),
    ("submit", From::Draft, [200, 403, 403, 200, 403, 404]),
    ("return", From::Submitted, [200, 403, 200, 403, 403, 403]),
    ("approve", From::Submitted, [200, 403, 200, 403, 403, 403]),
    ("adjust", From::Approved, [200, 403, 403, 200, 403, 404]),
    ("comment", From::Draft, [201, 403, 201, 201, 403, 404]),
    ("comments", From::Draft, [200, 200, 200, 200, 200, 404]),
    ("notes", From::Draft, [200, 403, 403, 200, 403, 404]),
    ("actual", From::Draft, [200, 403, 403, 200, 403, 404]),
    ("spending", From::Draft, [200, 403, 403, 200, 403, 404]),
];

const USERS: [&str; 6] = [
    "admin", "finance", "reviewer", "editor", "viewer", "editor2",
];

/// The seed's transport project under a new name, in the first unit.
async fn fresh_project(s: &Server) -> jixiao_model::Project {
    let admin = Actor::new("test", Role::Admin, None, None);
    let mut p = s.app.project_by_id(&admin, s.unit1).await.unwrap();
    p.id = None;
    for i in &mut p.indicators {
        i.id = None;
    }
    p.name = unique("公务用车");
    p
}

/// A new declaration of the first unit in the state `from`; its id and current version.
async fn declaration_in(s: &Server, from: From) -> (i64, i64) {
    let admin = Actor::new("test", Role::Admin, None, None);
    let r = s
        .app
        .create_declaration(&admin, fresh_project(s).await)
        .await
        .unwrap();
    if matches!(from, From::Submitted | From::Approved) {
        s.app.submit(&admin, r.id).await.unwrap();
    }
    if matches!(from, From::Approved) {
        s.app.approve(&admin, r.id, None).await.unwrap();
    }
    (r.id, 1)
}

async fn workflow_matrix(app: App) {
    let s = start(app).await;
    let mut logins = Vec::new();
    for user in USERS {
        logins.push(s.login(user).await);
    }
    for (action, from, expected) in WORKFLOW_MATRIX {
        for (k, user) in USERS.iter().enumerate() {
            let who = &logins[k];
            let (id, version) = match from {
                From::Nothing => (0, 0),
                _ => declaration_in(&s, from).await,
            };
            let path = format!("/api/projects/{id}");
            let mut project = serde_json::to_value(fresh_project(&s).await).unwrap();
            if !matches!(from, From::Nothing) {
                let admin = Actor::new("test", Role::Admin, None, None);
                let current = s.app.project_by_id(&admin, id).await.unwrap();
                project = serde_json::to_value(current).unwrap();
                project["indicators"][0]["raw"] = json!("≥14000.00(公里)");
                // Left out: read again from the text.
                project["indicators"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("target");
            }
            let (st, body) = match action {
                "create" => s.post("/api/projects", who, &json!({ "project": project })).await,
                "save" => {
                    s.put(&path, who, &json!({ "base_version": version, "project": project }))
                        .await
                }
                "submit" => s.post(&format!("{path}/submit"), who, &json!({})).await,
                "return" => {
                    s.post(&format!("{path}/return"), who, &json!({ "comment": "请修改" }))
                        .await
                }
                "approve" => s.post(&format!("{path}/approve"), who, &json!({})).await,
                "adjust" => {
                    s.post(
                        &format!("{path}/adjust"),
                        who,
                        &json!({ "base_version": version, "project": project, "reason": "下调里程" }),
                    )
                    .await
                }
                "comment" => {
                    s.post(&format!("{path}/comments"), who, &json!({ "text": "请核实" }))
                        .await
                }
                "comments" => s.get(&format!("{path}/comments"), Some(who)).await,
                "notes" => {
                    s.put(
                        &format!("{path}/notes"),
                        who,
                        &json!({ "annual_budget": "350000.00", "indicators": [] }),
                    )
                    .await
                }
                "actual" => {
                    s.post(
                        &format!("{path}/actuals"),
                        who,
                        &json!({ "indicator": "1.1.1", "date": "2024-06-30", "value": "7000公里" }),
                    )
                    .await
                }
                "spending" => {
                    s.post(
                        &format!("{path}/spending"),
                        who,
                        &json!({ "date": "2024-06-30", "amount": "1,000.00", "voucher": "V-1" }),
                    )
                    .await
                }
                other => unreachable!("{other}"),
            };
            assert_eq!(
                st.as_u16(),
                expected[k],
                "{user} {action} from {from:?}: {body}"
            );
            match st.as_u16() {
                403 => assert_error_body(&body, "forbidden"),
                404 => assert_error_body(&body, "not_found"),
                _ => {}
            }
        }
    }
}

/// The whole workflow over HTTP, a stale edit (409 naming who saved what; nothing lost), and
/// bad input (an invalid number in a target, another unit's id, wrong JSON) changing nothing.
async fn workflow_over_http(app: App) {
    let s = start(app).await;
    let editor = s.login("editor").await;
    let admin = s.login("admin").await;
    let reviewer = s.login("reviewer").await;

    // Checking as typed.
    let (st, r) = s
        .post(
            "/api/targets/check",
            &editor,
            &json!({ "text": "≥15O00(公里)" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["kind"], "quantitative");
    assert_eq!(r["clauses"][0]["value"], "15000");
    assert_eq!(r["warnings"][0]["column"], 4, "{r}");
    let (st, r) = s
        .post(
            "/api/targets/check",
            &editor,
            &json!({ "text": "≥1,00,0(公里)" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_error_body(&r, "invalid");
    assert_eq!(r["diagnostics"][0]["field"], "target");
    assert!(r["diagnostics"][0]["column"].is_number(), "{r}");
    // A deadline written without its year, as clerks write it: read in the declaration's year
    // (sent by the editor), with a note that says so; without a year it stays qualitative.
    let (st, r) = s
        .post(
            "/api/targets/check",
            &editor,
            &json!({ "text": "12月底前", "year": 2025 }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["kind"], "deadline", "{r}");
    assert!(r.to_string().contains("2025"), "{r}");
    let (_, r) = s
        .post(
            "/api/targets/check",
            &editor,
            &json!({ "text": "12月底前" }),
        )
        .await;
    assert_eq!(r["kind"], "qualitative", "{r}");

    // Create a draft from scratch (the unit is the editor's), with a mistyped target: refused,
    // saying which indicator and where; nothing created.
    let mut project = serde_json::to_value(fresh_project(&s).await).unwrap();
    project["unit"] = json!("");
    project["indicators"][1]["raw"] = json!("≥1,00,0(次)");
    project["indicators"][1]
        .as_object_mut()
        .unwrap()
        .remove("target");
    let (_, before) = s.get("/api/projects", Some(&admin)).await;
    let (st, r) = s
        .post("/api/drafts/check", &editor, &json!({ "project": project }))
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["errors"][0]["field"], "indicators[1].raw", "{r}");
    assert!(r["review"].is_object());
    let (st, r) = s
        .post("/api/projects", &editor, &json!({ "project": project }))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(r["diagnostics"][0]["field"], "indicators[1].raw", "{r}");
    assert!(r["diagnostics"][0]["column"].is_number(), "{r}");
    let (_, after) = s.get("/api/projects", Some(&admin)).await;
    assert_eq!(before["total"], after["total"]);
    project["indicators"][1]["raw"] = json!("≥100.00(次)");
    let (st, r) = s
        .post("/api/projects", &editor, &json!({ "project": project }))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    let path = format!("/api/projects/{id}");
    let (_, got) = s.get(&path, Some(&editor)).await;
    assert_eq!(got["unit"], UNIT);
    let (_, w) = s.get(&format!("{path}/workflow"), Some(&editor)).await;
    assert_eq!(
        (w["status"].clone(), w["current_version"].clone()),
        (json!("draft"), json!(1))
    );

    // Stale edit: the admin saves version 2 while the editor still edits version 1.
    let mut theirs = got.clone();
    theirs["indicators"][0]["raw"] = json!("≥12000.00(公里)");
    theirs["indicators"][0]
        .as_object_mut()
        .unwrap()
        .remove("target");
    let (st, r) = s
        .put(
            &path,
            &admin,
            &json!({ "base_version": 1, "project": theirs }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["version"], 2);
    let mut mine = got.clone();
    mine["indicators"][2]["raw"] = json!("≥96.00(%)");
    mine["indicators"][2]
        .as_object_mut()
        .unwrap()
        .remove("target");
    let (st, r) = s
        .put(
            &path,
            &editor,
            &json!({ "base_version": 1, "project": mine }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    assert_error_body(&r, "conflict");
    assert_eq!(r["details"]["saved_by"], "admin", "{r}");
    assert_eq!(r["details"]["current_version"], 2);
    let changed = &r["details"]["changes"]["indicators"]["changed"];
    assert_eq!(changed.as_array().unwrap().len(), 1, "{r}");
    assert!(r["message_zh"].as_str().unwrap().contains("admin"), "{r}");
    let (_, now) = s.get(&path, Some(&editor)).await;
    assert_eq!(
        now["indicators"][0]["raw"], "≥12000.00(公里)",
        "the newer version stays"
    );
    assert_eq!(now["indicators"][2]["raw"], got["indicators"][2]["raw"]);

    // 项目资金 as the editor page writes it (another draft of the unit): saved as written; an
    // amount with a letter for a digit is refused naming the field, nothing changed.
    let fpath = format!("/api/projects/{}", s.unit1);
    let (_, w) = s.get(&format!("{fpath}/workflow"), Some(&editor)).await;
    let v = w["current_version"].as_i64().unwrap();
    let (_, mut funded) = s.get(&fpath, Some(&editor)).await;
    funded["project_funds"] =
        json!({ "total": "27085116.00", "fiscal": "25085116.00", "other": "2000000.00" });
    let (st, r) = s
        .put(
            &fpath,
            &editor,
            &json!({ "base_version": v, "project": funded }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let (_, stored) = s.get(&fpath, Some(&editor)).await;
    assert_eq!(stored["project_funds"]["total"], "27085116.00", "{stored}");
    assert_eq!(stored["project_funds"]["other"], "2000000.00");
    let mut bad = stored.clone();
    bad["project_funds"]["fiscal"] = json!("25,O85,116.00");
    let (st, r) = s
        .put(
            &fpath,
            &editor,
            &json!({ "base_version": v + 1, "project": bad }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_error_body(&r, "invalid");
    assert!(
        r["message_en"]
            .as_str()
            .unwrap()
            .contains("field project_funds.fiscal"),
        "{r}"
    );
    let (_, after) = s.get(&fpath, Some(&editor)).await;
    assert_eq!(after["project_funds"], stored["project_funds"]);

    // Another unit's id: 404, nothing changed.
    let (st, r) = s
        .put(
            &format!("/api/projects/{}", s.unit2),
            &editor,
            &json!({ "base_version": 1, "project": now }),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{r}");
    assert_error_body(&r, "not_found");
    // Not JSON, and JSON of another shape.
    let r = s
        .http
        .put(s.url(&path))
        .header("cookie", &editor.cookie)
        .header("x-csrf-token", &editor.csrf)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_error_body(&r.json().await.unwrap(), "bad_request");
    let (st, r) = s.put(&path, &editor, &json!({ "project": now })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_error_body(&r, "invalid");
    // Without the CSRF token: 403.
    let r = s
        .http
        .post(s.url(&format!("{path}/submit")))
        .header("cookie", &editor.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // submit → return (comment required) → save → submit → approve → adjust.
    let (st, r) = s.post(&format!("{path}/submit"), &editor, &json!({})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "submitted");
    assert!(r["review"].is_object());
    let (st, r) = s.post(&format!("{path}/submit"), &editor, &json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    assert!(r["message_zh"].as_str().unwrap().contains("已提交"), "{r}");
    let (st, r) = s
        .post(&format!("{path}/return"), &reviewer, &json!({}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let (st, r) = s
        .post(
            &format!("{path}/return"),
            &reviewer,
            &json!({ "comment": "里程目标偏高" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let ind = now["indicators"][0]["id"].as_i64().unwrap();
    let (st, r) = s
        .post(
            &format!("{path}/comments"),
            &reviewer,
            &json!({ "text": "请附派车记录", "indicator_id": ind }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let (_, r) = s.get(&format!("{path}/comments"), Some(&editor)).await;
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{r}");
    assert_eq!(items[0]["transition"], "returned");
    assert_eq!(items[1]["indicator_id"], ind);
    let mut edit = now.clone();
    edit["indicators"][0]["raw"] = json!("≥11000.00(公里)");
    edit["indicators"][0]
        .as_object_mut()
        .unwrap()
        .remove("target");
    let (st, r) = s
        .put(
            &path,
            &editor,
            &json!({ "base_version": 2, "project": edit }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["version"], 3);
    assert_eq!(
        r["change"]["indicators"]["changed"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{r}"
    );
    let (st, _) = s.post(&format!("{path}/submit"), &editor, &json!({})).await;
    assert_eq!(st, StatusCode::OK);
    let (st, r) = s
        .post(&format!("{path}/approve"), &reviewer, &json!({}))
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let (st, r) = s
        .put(
            &path,
            &editor,
            &json!({ "base_version": 3, "project": edit }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    assert!(
        r["message_en"].as_str().unwrap().contains("adjustment"),
        "{r}"
    );
    edit["indicators"][0]["raw"] = json!("≥10000.00(公里)");
    let (st, r) = s
        .post(
            &format!("{path}/adjust"),
            &editor,
            &json!({ "base_version": 3, "project": edit, "reason": "" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let (st, r) = s
        .post(
            &format!("{path}/adjust"),
            &editor,
            &json!({ "base_version": 3, "project": edit, "reason": "车辆大修" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "submitted");
    let (_, w) = s.get(&format!("{path}/workflow"), Some(&reviewer)).await;
    assert_eq!(w["current_version"], 4);
    assert_eq!(w["approved_version"], 3);

    // Notes: a budget not written plainly is refused; then they feed the 自评表.
    let (st, r) = s
        .put(
            &format!("{path}/notes"),
            &editor,
            &json!({ "annual_budget": "35O,000.00" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert_eq!(r["diagnostics"][0]["field"], "annual_budget", "{r}");
    let (st, r) = s
        .put(
            &format!("{path}/notes"),
            &editor,
            &json!({ "annual_budget": "350,000.00", "indicators": [
                { "indicator_id": ind, "deviation_reason": "大修停驶", "remedy": "错峰维修" }
            ] }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["changed"], true);
    // Replaced notes stay as history (the viewer of the unit reads it).
    let (st, r) = s
        .put(
            &format!("{path}/notes"),
            &editor,
            &json!({ "annual_budget": "360,000.00" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let viewer = s.login("viewer").await;
    let (_, h) = s.get(&format!("{path}/notes/history"), Some(&viewer)).await;
    let h = h["items"].as_array().unwrap();
    assert_eq!(h.len(), 3, "{h:?}");
    assert_eq!(
        h.iter().filter(|r| r["current"] == true).count(),
        1,
        "{h:?}"
    );
    let (st, r) = s
        .put(
            &format!("{path}/notes"),
            &editor,
            &json!({ "annual_budget": "350,000.00", "indicators": [
                { "indicator_id": ind, "deviation_reason": "大修停驶", "remedy": "错峰维修" }
            ] }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let (_, e) = s.get(&format!("{path}/evaluation"), Some(&editor)).await;
    assert_eq!(e["budget"]["annual"], "350000.00", "{e}");
    let (_, m) = s
        .get(
            &format!("{path}/monitoring?as_of=2024-12-31"),
            Some(&editor),
        )
        .await;
    assert_eq!(
        m["budget"]["budget"], "350000.00",
        "monitoring takes the adjusted budget: {m}"
    );
    assert_eq!(
        e["indicators"][0]["deviation_reason"], "偏差原因：大修停驶；改进措施：错峰维修",
        "{e}"
    );

    // Actuals and spending by hand, and their retraction.
    let (st, r) = s
        .post(
            &format!("{path}/actuals"),
            &editor,
            &json!({ "indicator": "1.1.1", "date": "2024-06-30", "value": "13O00公里" }),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an invalid number: {r}"
    );
    let (st, r) = s
        .post(
            &format!("{path}/actuals"),
            &editor,
            &json!({ "indicator": "1.1.1", "date": "2024-12-31", "value": "10500公里" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["added"], 1);
    let (st, r) = s
        .post(
            &format!("{path}/spending"),
            &editor,
            &json!({ "date": "2024-06-30", "amount": "1,000.00", "voucher": "V-9" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let (st, r) = s
        .post(
            &format!("{path}/spending/retract"),
            &editor,
            &json!({ "date": "2024-06-30", "voucher": "V-9", "reason": "" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let (st, r) = s
        .post(
            &format!("{path}/spending/retract"),
            &editor,
            &json!({ "date": "2024-06-30", "voucher": "V-9", "reason": "凭证作废" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["retracted"]["amount"], "1000.00", "{r}");
    let (st, r) = s
        .post(
            &format!("{path}/actuals/retract"),
            &editor,
            &json!({ "indicator": "1.1.1", "period": "2024-12-31", "reason": "录错" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");

    // Every change is in the audit trail.
    let (_, a) = s.get(&format!("{path}/audit"), Some(&editor)).await;
    let actions: Vec<&str> = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for want in [
        "create",
        "edit",
        "submit",
        "return",
        "comment",
        "approve",
        "adjust",
        "notes",
        "record_actual",
        "record_spending",
        "retract_spending",
        "retract_actual",
    ] {
        assert!(actions.contains(&want), "{want} missing from {actions:?}");
    }
    let (_, doc) = s.get("/api/openapi.json", None).await;
    for p in [
        "/api/projects/{id}/submit",
        "/api/projects/{id}/return",
        "/api/projects/{id}/approve",
        "/api/projects/{id}/adjust",
        "/api/projects/{id}/comments",
        "/api/projects/{id}/notes",
        "/api/projects/{id}/notes/history",
        "/api/projects/{id}/actuals",
        "/api/projects/{id}/spending",
        "/api/targets/check",
        "/api/drafts/check",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing");
    }
    assert!(doc["paths"]["/api/projects"].get("post").is_some());
    assert!(doc["paths"]["/api/projects/{id}"].get("put").is_some());
    assert!(doc["paths"]["/api/projects/{id}"].get("get").is_some());
}

/// The reports as files (`/api/reports/{kind}`): XLSX and PDF, holding what the session's actor
/// may read — the declarations' PDF read back by jixiao's own PDF reader names only the
/// editor's unit, and both units for the department's reviewer.
async fn report_files(app: App) {
    let s = start(app).await;
    let (st, body) = s
        .get("/api/reports/summary?year=2024&format=pdf", None)
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_error_body(&body, "unauthenticated");
    let download = |who: &Login, query: String| {
        let req = s
            .http
            .get(s.url(&format!("/api/reports/{query}")))
            .header("cookie", &who.cookie);
        async move {
            let r = req.send().await.unwrap();
            let status = r.status();
            let headers = r.headers().clone();
            (status, headers, r.bytes().await.unwrap().to_vec())
        }
    };
    let editor = s.login("editor").await;
    for (query, content_type, magic) in [
        (
            "summary?year=2024&format=pdf",
            "application/pdf",
            &b"%PDF-"[..],
        ),
        (
            "declaration?year=2024&format=pdf",
            "application/pdf",
            b"%PDF-",
        ),
        (
            "self-evaluation?year=2024&format=pdf",
            "application/pdf",
            b"%PDF-",
        ),
        (
            "monitoring?year=2024&as_of=2024-07-31&format=pdf",
            "application/pdf",
            b"%PDF-",
        ),
        ("summary?year=2024", "spreadsheetml", b"PK"),
        ("declaration?year=2024&format=xlsx", "spreadsheetml", b"PK"),
    ] {
        let (st, headers, bytes) = download(&editor, query.to_string()).await;
        assert_eq!(
            st,
            StatusCode::OK,
            "{query}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let ct = headers["content-type"].to_str().unwrap();
        assert!(ct.contains(content_type), "{query}: {ct}");
        let cd = headers["content-disposition"].to_str().unwrap();
        assert!(cd.starts_with("attachment;"), "{query}: {cd}");
        assert!(bytes.starts_with(magic), "{query}: not the file's magic");
    }
    let units = |pdf: &[u8]| {
        let form = jixiao_form::read_form("declarations.pdf", pdf)
            .unwrap_or_else(|e| panic!("{e}"))
            .form;
        let mut u: Vec<String> = form.projects.iter().map(|p| p.unit.clone()).collect();
        u.dedup();
        (form.projects.len(), u)
    };
    let (_, _, pdf) = download(&editor, "declaration?year=2024&format=pdf".into()).await;
    assert_eq!(units(&pdf), (3, vec![UNIT.to_string()]));
    let reviewer = s.login("reviewer").await;
    let (st, _, pdf) = download(&reviewer, "declaration?year=2024&format=pdf".into()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        units(&pdf),
        (5, vec![UNIT.to_string(), SECOND_UNIT.to_string()])
    );
    // Another unit's declarations are not there for the editor (not found, never forbidden).
    let (st, body) = s
        .get(
            &format!("/api/reports/summary?year=2024&format=pdf&unit={SECOND_UNIT}"),
            Some(&editor),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_error_body(&body, "not_found");
    for (query, status, code) in [
        (
            "summary?year=2024&format=doc",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "summary?format=pdf",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "summary?year=24x",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "monitoring?year=2024&format=pdf",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "monitoring?year=2024&as_of=July",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        ("budget?year=2024", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (st, body) = s.get(&format!("/api/reports/{query}"), Some(&editor)).await;
        assert_eq!(st, status, "{query}: {body}");
        assert_error_body(&body, code);
    }
    let (_, doc) = s.get("/api/openapi.json", None).await;
    let op = &doc["paths"]["/api/reports/{kind}"]["get"];
    assert!(op["responses"]["200"]["content"]
        .get("application/pdf")
        .is_some());
}

/// The OpenAPI document names what each operation answers: an error is the one `Error`, a
/// JSON success its typed view (a named schema), except the documents carried as they are
/// (the canonical declaration, the 监控表, a declaration's years, a target's reading, the
/// document itself); a file is its media types; 204 is empty.
fn every_answer_names_its_schema(doc: &Value) {
    let as_is = [
        "/api/openapi.json",
        "/api/projects/{id}",
        "/api/projects/{id}/monitoring",
        "/api/projects/{id}/history",
        "/api/targets/check",
    ];
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().unwrap() {
                let at = format!("{method} {path} {status}");
                if status == "204" {
                    assert!(r.get("content").is_none(), "{at}: {r}");
                    continue;
                }
                let content = r["content"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{at}: {r}"));
                let Some(json) = content.get("application/json") else {
                    // A file (a report): its media types.
                    assert!(status.starts_with('2') && !content.is_empty(), "{at}: {r}");
                    continue;
                };
                let schema = &json["schema"]["$ref"];
                if !status.starts_with('2') {
                    assert_eq!(schema, "#/components/schemas/Error", "{at}");
                } else if !as_is.contains(&path.as_str()) {
                    let name = schema.as_str().unwrap_or_else(|| panic!("{at}: {json}"));
                    let name = name.trim_start_matches("#/components/schemas/");
                    assert!(
                        doc["components"]["schemas"].get(name).is_some(),
                        "{at}: {name}"
                    );
                }
            }
        }
    }
}

/// Issue 16: a `jixiao-form/1` file carrying another unit's declaration id and the importer's
/// own unit takes nothing over: 404 with the text of an id that does not exist (preview and
/// import alike), and the owner's declaration, versions and audit trail are as they were.
async fn a_foreign_id_in_an_upload_is_not_found(app: App) {
    let s = start(app).await;
    let admin = Actor::new("test", Role::Admin, None, None);
    let before = s.app.project_by_id(&admin, s.unit1).await.unwrap();
    let versions = s.app.versions(&admin, &before).await.unwrap().len();
    let audit = s.app.audit(&admin, &before).await.unwrap().len();
    let hostile = |id: i64| {
        let mut p = before.clone();
        p.id = Some(id);
        p.unit = SECOND_UNIT.into();
        p.overall_goal = "已被接管".into();
        jixiao_form::json::to_string(&jixiao_model::Form::new(vec![p])).into_bytes()
    };
    let editor2 = s.login("editor2").await;
    let mut texts = Vec::new();
    for query in ["", "?dry_run=true"] {
        for id in [s.unit1, 987_654] {
            let (st, body) = s
                .import(&editor2, query, "hostile.json", hostile(id), true)
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{query} {id}: {body}");
            assert_error_body(&body, "not_found");
            let text = body.to_string().replace(&format!("编号 {id}"), "编号 <id>");
            let text = text.replace(&format!("id {id}"), "id <id>");
            assert!(!text.contains(UNIT), "{text}");
            texts.push(text);
        }
    }
    assert!(texts.windows(2).all(|w| w[0] == w[1]), "{texts:?}");
    // The owner still sees it, unchanged.
    let editor = s.login("editor").await;
    let (st, body) = s
        .get(&format!("/api/projects/{}", s.unit1), Some(&editor))
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let now = s.app.project_by_id(&admin, s.unit1).await.unwrap();
    assert_eq!(now, before);
    assert_eq!(s.app.versions(&admin, &now).await.unwrap().len(), versions);
    assert_eq!(s.app.audit(&admin, &now).await.unwrap().len(), audit);
}

/// A date or period that does not read is told with an example in the declaration's own year
/// (a 2025 project says 2025-06-30 and 2025Q1, each language alone), and a report's in the
/// year asked for, or this year in the deployment's zone (issue 17 item 10).
async fn date_hints_in_the_declarations_year(app: App) {
    let s = start(app).await;
    let admin_actor = Actor::new("test", Role::Admin, None, None);
    s.app
        .import(
            &admin_actor,
            &[Upload::new("y2025.txt", SEED.replace("2024", "2025"))],
        )
        .await
        .unwrap();
    let id = s
        .app
        .list(&admin_actor)
        .await
        .unwrap()
        .iter()
        .find(|p| p.key.year == 2025 && p.key.unit == UNIT && p.key.name == "交通工具购置及更新")
        .unwrap()
        .id;
    let admin = s.login("admin").await;
    let said = |what: &str, st: StatusCode, body: &Value, zh: &str, en: &str| {
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        let (mzh, men) = (
            body["message_zh"].as_str().unwrap_or_default(),
            body["message_en"].as_str().unwrap_or_default(),
        );
        assert!(mzh.contains(zh), "{what}: {body}");
        assert!(men.contains(en), "{what}: {body}");
        assert!(!body.to_string().contains("2024"), "{what}: {body}");
        assert!(
            !mzh.contains("cannot") && !men.contains("无法"),
            "{what}: {body}"
        );
    };
    let (st, body) = s
        .get(
            &format!("/api/projects/{id}/monitoring?as_of=6月底"),
            Some(&admin),
        )
        .await;
    said(
        "monitoring",
        st,
        &body,
        "应写作 2025-06-30",
        "write 2025-06-30",
    );
    let (st, body) = s
        .get(&format!("/api/projects/{id}/monitoring"), Some(&admin))
        .await;
    said(
        "monitoring",
        st,
        &body,
        "如 2025-06-30",
        "such as 2025-06-30",
    );
    let actual = json!({ "indicator": "1.1.1", "date": "6月底", "value": "8000公里" });
    let (st, body) = s
        .post(&format!("/api/projects/{id}/actuals"), &admin, &actual)
        .await;
    said("actual", st, &body, "应写作 2025-06-30", "write 2025-06-30");
    let actual = json!({
        "indicator": "1.1.1", "date": "2025-06-30", "period": "二季度", "value": "8000公里"
    });
    let (st, body) = s
        .post(&format!("/api/projects/{id}/actuals"), &admin, &actual)
        .await;
    said("period", st, &body, "2025Q1", "2025Q1");
    let spend = json!({ "date": "6月底", "amount": "100.00" });
    let (st, body) = s
        .post(&format!("/api/projects/{id}/spending"), &admin, &spend)
        .await;
    said(
        "spending",
        st,
        &body,
        "应写作 2025-06-30",
        "write 2025-06-30",
    );
    let (st, body) = s
        .get("/api/reports/summary?year=2025&as_of=6月底", Some(&admin))
        .await;
    said("report", st, &body, "应写作 2025-06-30", "write 2025-06-30");
    // No year asked for: this year in the deployment's zone (Asia/Shanghai by default).
    let this_year = jixiao_model::Datelike::year(&jixiao_model::present::today(
        jixiao_model::present::DEFAULT_ZONE,
    ));
    let (st, body) = s.get("/api/reports/summary", Some(&admin)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message_zh"]
            .as_str()
            .unwrap()
            .contains(&format!("如 {this_year}）")),
        "{body}"
    );
}

/// Bulk entry (issue 19 item 8): a spending file and an actuals file go through the same
/// `POST /api/imports` as declarations, told by their header row; a dry run stores nothing and
/// says per row what the commit then does; a mistyped value is refused at its cell.
async fn bulk_rows_through_imports(app: App) {
    let s = start(app).await;
    let editor = s.login("editor").await;
    let admin = Actor::local_admin();
    let p = s.app.project_by_id(&admin, s.unit1).await.unwrap();
    let spent = s.app.spending(&admin, &p).await.unwrap().len();
    let csv = "项目名称,年度,支付日期,金额,凭证号,说明\n交通工具购置及更新,2024,2024-12-01,8000.00,,\n交通工具购置及更新,2024,2024-12-01,8000.00,,\n";
    let (st, preview) = s
        .import(
            &editor,
            "?dry_run=true",
            "ledger.csv",
            csv.as_bytes().to_vec(),
            true,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{preview}");
    assert_eq!(preview["kind"], "spending", "{preview}");
    assert_eq!(preview["dry_run"], true);
    assert_eq!(
        (
            preview["added"].as_u64(),
            preview["rows"][1]["line"].as_u64()
        ),
        (Some(2), Some(3)),
        "{preview}"
    );
    assert_eq!(
        s.app.spending(&admin, &p).await.unwrap().len(),
        spent,
        "a dry run stored spending"
    );
    let (st, done) = s
        .import(&editor, "", "ledger.csv", csv.as_bytes().to_vec(), true)
        .await;
    assert_eq!(st, StatusCode::OK, "{done}");
    assert_eq!(done["rows"], preview["rows"], "{done}");
    assert_eq!(s.app.spending(&admin, &p).await.unwrap().len(), spent + 2);

    let values = s.app.observations(&admin, &p).await.unwrap().current.len();
    let bad = "project,year,indicator,date,value\n交通工具购置及更新,2024,行驶公里数,2024-12-31,15O00公里\n";
    for query in ["?dry_run=true", ""] {
        let (st, body) = s
            .import(&editor, query, "actuals.csv", bad.as_bytes().to_vec(), true)
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        let text = body.to_string();
        assert!(
            text.contains("actuals.csv") && text.contains("value"),
            "{text}"
        );
    }
    assert_eq!(
        s.app.observations(&admin, &p).await.unwrap().current.len(),
        values
    );
}

/// The indicator library and a declaration's history as JSON (issue 20): `GET /api/library?q=`
/// answers `{items}` — an approved declaration's 行驶公里数 found by 公里, with its typical target,
/// how often used and the reason of its rank —, a bad `limit` is 422; `GET
/// /api/projects/{id}/history` answers the declaration's year to its unit's editor and 404 to
/// another unit's; without a session both are 401.
async fn library_and_history(app: App) {
    let s = start(app).await;
    let (id, _) = declaration_in(&s, From::Approved).await;
    let editor = s.login("editor").await;
    let (st, body) = s.get("/api/library?q=公里", Some(&editor)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let items = body["items"].as_array().unwrap();
    let hit = items
        .iter()
        .find(|i| i["name"] == "行驶公里数")
        .unwrap_or_else(|| panic!("行驶公里数 not suggested: {body}"));
    assert!(hit["rank"].as_u64().unwrap() >= 1, "{body}");
    assert!(hit["uses"].as_u64().unwrap() >= 1, "{hit}");
    assert!(!hit["reason_zh"].as_str().unwrap().is_empty(), "{hit}");
    assert!(
        hit["typical_target"].as_str().unwrap().contains("15000"),
        "{hit}"
    );
    let (st, body) = s.get("/api/library?q=公里&limit=0", Some(&editor)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message_zh"].as_str().unwrap().contains("limit"),
        "{body}"
    );

    let path = format!("/api/projects/{id}/history");
    let (st, body) = s.get(&path, Some(&editor)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["declaration_id"], id, "{body}");
    assert_eq!(body["years"][0]["year"], 2024, "{body}");
    assert!(body["indicators"].as_array().unwrap().len() > 3, "{body}");
    let other = s.login("editor2").await;
    let (st, body) = s.get(&path, Some(&other)).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    for p in ["/api/library?q=公里", path.as_str()] {
        let (st, _) = s.get(p, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{p}");
    }
}

/// 成本预算绩效 as JSON (issue 20 item 9): `GET /api/cost-per-output?year=` answers the
/// department's reviewer the same work of two units compared (交通工具购置及更新 in both: 24.00
/// 元/公里), a unit's editor only its own (nothing to compare); no year is 422, no session 401.
async fn cost_per_output(app: App) {
    let s = start(app).await;
    let reviewer = s.login("reviewer").await;
    let (st, body) = s
        .get("/api/cost-per-output?year=2024", Some(&reviewer))
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(
        body["rounding_zh"]
            .as_str()
            .unwrap()
            .contains("四舍五入到分"),
        "{body}"
    );
    let km: Vec<&Value> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["indicator"] == "行驶公里数")
        .collect();
    assert_eq!(km.len(), 2, "{body}");
    assert_eq!(km[0]["cost"], "24.00", "{body}");
    assert_eq!(km[0]["per"], "元/公里", "{body}");
    assert_eq!(km[0]["basis"], "whole", "{body}");
    let cmp = body["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "行驶公里数")
        .unwrap_or_else(|| panic!("not compared: {body}"));
    assert_eq!(cmp["entries"].as_array().unwrap().len(), 2, "{cmp}");
    assert_eq!(cmp["entries"][0]["of_lowest"], "100.00", "{cmp}");
    let editor = s.login("editor").await;
    let (st, body) = s.get("/api/cost-per-output?year=2024", Some(&editor)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body["comparisons"].as_array().unwrap().is_empty(), "{body}");
    assert!(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["unit"] == UNIT),
        "{body}"
    );
    let (st, _) = s.get("/api/cost-per-output", Some(&editor)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _) = s.get("/api/cost-per-output?year=2024", None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

/// 整改 over the API (issue 20 item 6): the reviewer opens a rectification on a review finding
/// of the first unit's declaration (201), the unit's editor writes measure and evidence (200,
/// 整改中), the reviewer completes it (200, 已完成); `GET /api/rectifications` lists it to both
/// with the filters; another unit's editor neither sees it (absent from its list, 404 on a
/// change) nor may the unit's editor complete it (403); a stale version is 409; without a
/// session 401. `GET /api/todo` shows the editor its rectification.
async fn rectifications_over_http(app: App) {
    let s = start(app).await;
    let id = s.unit1;
    let admin = Actor::new("test", Role::Admin, None, None);
    let view = s.app.project_view(&admin, id).await.unwrap();
    let finding = view.review.findings.first().expect("findings").clone();
    let reviewer = s.login("reviewer").await;
    let editor = s.login("editor").await;
    let other = s.login("editor2").await;
    let deadline = "2099-12-31";
    let open = json!({
        "declaration_id": id,
        "source": "review",
        "rule": finding.rule,
        "code": finding.code,
        "deadline": deadline,
    });
    // An editor's role never opens one (403 before anything is looked up).
    for who in [&editor, &other] {
        let (st, body) = s.post("/api/rectifications", who, &open).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    }
    let (st, body) = s
        .post(
            "/api/rectifications",
            &reviewer,
            &json!({ "declaration_id": id, "source": "review", "rule": finding.rule, "deadline": "someday" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, r) = s.post("/api/rectifications", &reviewer, &open).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "open", "{r}");
    assert_eq!(r["owner"]["kind"], "unit", "{r}");
    assert_eq!(r["owner"]["name"], UNIT, "{r}");
    assert_eq!(r["finding_zh"], finding.message_zh.as_str(), "{r}");
    let rid = r["id"].as_i64().unwrap();
    let path = format!("/api/rectifications/{rid}");
    let (st, body) = s.post("/api/rectifications", &reviewer, &open).await;
    assert_eq!(st, StatusCode::CONFLICT, "{body}");

    // The list, to the unit and its reviewer, not to another unit.
    for who in [&editor, &reviewer] {
        let (st, body) = s.get("/api/rectifications", Some(who)).await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert_eq!(body["items"].as_array().unwrap().len(), 1, "{body}");
    }
    let (st, body) = s.get("/api/rectifications", Some(&other)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body["items"].as_array().unwrap().is_empty(), "{body}");
    let (_, body) = s
        .get(
            &format!("/api/rectifications?status=overdue&declaration={id}"),
            Some(&editor),
        )
        .await;
    assert!(body["items"].as_array().unwrap().is_empty(), "{body}");
    let (st, body) = s
        .get("/api/rectifications?status=late", Some(&editor))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, body) = s.get("/api/rectifications/counts", Some(&reviewer)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["units"][0]["unit"], UNIT, "{body}");
    assert_eq!(body["units"][0]["open"], 1, "{body}");

    // The attack: another unit's editor may not change it (it does not exist for it).
    let fill = json!({ "measure": "补充测算依据", "evidence": "测算说明.pdf", "version": 1 });
    let (st, body) = s.post(&path, &other, &fill).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    // The unit writes measure and evidence.
    let (st, r) = s.post(&path, &editor, &fill).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "in_progress", "{r}");
    assert_eq!(r["version"], 2, "{r}");
    // It may not complete it; a stale version is refused; the opener completes it.
    let (st, body) = s.post(&path, &editor, &json!({ "status": "done" })).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    let (st, body) = s
        .post(&path, &reviewer, &json!({ "status": "done", "version": 1 }))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{body}");
    let (st, body) = s
        .post(&path, &reviewer, &json!({ "status": "overdue" }))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (st, r) = s
        .post(&path, &reviewer, &json!({ "status": "done", "version": 2 }))
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "done", "{r}");
    assert_eq!(r["closed_by"], "reviewer", "{r}");

    // 待办: nothing of it left for the editor; the shape of the answer.
    let (st, t) = s.get("/api/todo", Some(&editor)).await;
    assert_eq!(st, StatusCode::OK, "{t}");
    for k in ["returned", "to_review", "rectifications", "actuals_due"] {
        assert!(t[k].is_array(), "{k}: {t}");
    }
    assert!(t["rectifications"].as_array().unwrap().is_empty(), "{t}");
    for p in ["/api/rectifications", "/api/todo"] {
        let (st, _) = s.get(p, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{p}");
    }
}

/// A department-wide declaration (部门整体支出绩效目标) over the API: its parts are checked by
/// the department rules as a draft, created, read back as written, and listed; a reviewer sees
/// the review's department findings.
async fn department_wide_over_http(app: App) {
    let s = start(app).await;
    let editor = s.login("editor").await;
    let mut project = serde_json::to_value(fresh_project(&s).await).unwrap();
    project["name"] = json!(jixiao_model::DEPARTMENT_TARGETS_NAME);
    let total = project["funds"]["total"].clone();
    project["department_targets"] = json!({
        "functions": "负责本市减污降碳的技术支撑。",
        "spending": { "basic": "0.00", "project": total },
    });
    // The first task's budget is short of the year's money: a finding of the draft check.
    project["tasks"] = json!([{ "no": 1, "title": "监测评估", "description": "年度监测",
        "funds": { "total": "1.00", "fiscal": "1.00", "other": "0.00" } }]);
    for i in project["indicators"].as_array_mut().unwrap() {
        i["tasks"] = json!([]);
    }
    project["indicators"][0]["core"] = json!(true);
    // One per unit and year: the demo holds the unit's 2024 department-wide declaration.
    let (st, r) = s
        .post("/api/projects", &editor, &json!({ "project": project }))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    project["year"] = json!(2026);
    project["start"] = json!("2026-01-01");
    project["end"] = json!("2026-12-31");
    let (st, r) = s
        .post("/api/drafts/check", &editor, &json!({ "project": project }))
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let rules: Vec<&str> = r["review"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"department.tasks-total"), "{rules:?}");
    assert!(!rules.contains(&"department.no-core"), "{rules:?}");
    project["tasks"][0]["funds"] = json!({ "total": total, "fiscal": total, "other": "0.00" });
    let (st, r) = s
        .post("/api/projects", &editor, &json!({ "project": project }))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    let (st, got) = s.get(&format!("/api/projects/{id}"), Some(&editor)).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(
        got["department_targets"], project["department_targets"],
        "{got}"
    );
    assert_eq!(got["tasks"][0]["funds"]["total"], total, "{got}");
    assert_eq!(got["indicators"][0]["core"], true, "{got}");
    assert!(got["indicators"][1].get("core").is_none(), "{got}");
    let (_, list) = s.get("/api/projects?per_page=200", Some(&editor)).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id && x["name"] == jixiao_model::DEPARTMENT_TARGETS_NAME),
        "{list}"
    );
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
    role_matrix,
    sessions_and_csrf,
    imports_preview_and_refusals,
    workflow_matrix,
    workflow_over_http,
    report_files,
    a_foreign_id_in_an_upload_is_not_found,
    date_hints_in_the_declarations_year,
    bulk_rows_through_imports,
    library_and_history,
    cost_per_output,
    rectifications_over_http,
    department_wide_over_http,
);
