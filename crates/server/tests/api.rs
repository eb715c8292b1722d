//! API tests: a real server on 127.0.0.1:0 over SQLite (a fresh file) and PostgreSQL (a fresh
//! schema in the database named by `JIXIAO_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/test`), filled by the demo data plus one declaration
//! of the second unit, and driven over HTTP.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use jixiao_app::{Actor, App, Upload};
use jixiao_model::Role;
use jixiao_server::demo::{SECOND_UNIT, UNIT};
use reqwest::StatusCode;
use serde_json::{json, Value};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

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
    use sqlx::Connection;
    let base = std::env::var("JIXIAO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = unique("t");
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&base)
        .await
        .expect("PostgreSQL must run for the server tests");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    App::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}"))
        .await
        .unwrap()
}

/// A running server and the demo users' passwords.
struct Server {
    base: String,
    http: reqwest::Client,
    passwords: HashMap<String, String>,
    /// Ids of the seed's declarations in the first unit and in the second.
    unit1: i64,
    unit2: i64,
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
    tokio::spawn(jixiao_server::serve(listener, app, Default::default()));
    Server {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        passwords: users
            .into_iter()
            .map(|u| (u.username, u.password))
            .collect(),
        unit1,
        unit2,
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
const MATRIX: [(&str, usize, u16, u16, u16, u16); 6] = [
    ("admin", 4, 200, 200, 200, 200),
    ("finance", 4, 200, 200, 403, 200),
    ("reviewer", 4, 200, 200, 403, 200),
    ("editor", 2, 200, 404, 200, 200),
    ("viewer", 2, 200, 404, 403, 200),
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
        }
    }
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
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "{page}");
    assert_eq!(page["total"], 6);
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
    assert_eq!(total(&last), 6);

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

on_both_backends!(role_matrix, sessions_and_csrf, imports_preview_and_refusals);
