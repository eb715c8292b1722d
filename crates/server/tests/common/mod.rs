//! What the server tests share: a real server on 127.0.0.1:0 over SQLite (a fresh file) or
//! PostgreSQL (a fresh schema), filled by the demo data plus the seed's declarations in the
//! second unit; a client of the API and a browser (cookie jar, redirects followed by hand).
#![allow(dead_code)]

use std::collections::HashMap;

use jixiao_app::{Actor, App, Upload};
use jixiao_model::Role;
use jixiao_server::demo::{SECOND_UNIT, UNIT};
use jixiao_testkit::unique;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const SEED: &str = include_str!("../../../../tests/data/seed_2024_shanghai.txt");
pub const ADMIN_PASSWORD: &str = "admin-password-1";

pub async fn sqlite() -> App {
    let dir = std::env::temp_dir().join(unique("jixiao server test"));
    std::fs::create_dir_all(&dir).unwrap();
    App::open(dir.join("jixiao.db").to_str().unwrap())
        .await
        .unwrap()
}

pub async fn postgres() -> App {
    let url = jixiao_testkit::postgres_url("t").await;
    App::open(&url).await.unwrap()
}

/// A running server, its app (to look at what was stored) and the demo passwords.
pub struct Server {
    pub base: String,
    pub app: App,
    pub passwords: HashMap<String, String>,
    /// 交通工具购置及更新 in the first unit and in the second.
    pub unit1: i64,
    pub unit2: i64,
}

/// Seeds the demo data into `app` and serves it with `options`.
pub async fn start_with(app: App, options: jixiao_server::Options) -> Server {
    let users = jixiao_server::demo::seed(&app, Some(ADMIN_PASSWORD))
        .await
        .unwrap();
    let admin = Actor::new("test", Role::Admin, None, None);
    app.import(
        &admin,
        &[Upload::new(
            "second_unit.txt",
            SEED.replace(UNIT, SECOND_UNIT),
        )],
    )
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
    let mut s = serve(app, options).await;
    s.passwords = users
        .into_iter()
        .map(|u| (u.username, u.password))
        .collect();
    s.unit1 = unit1;
    s.unit2 = unit2;
    s
}

pub async fn start(app: App) -> Server {
    start_with(app, Default::default()).await
}

/// Serves an app as it is (no seeding: a second server on a database another one filled).
pub async fn serve(app: App, options: jixiao_server::Options) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(jixiao_server::serve(listener, app.clone(), options));
    Server {
        base: format!("http://{addr}"),
        app,
        passwords: HashMap::new(),
        unit1: 0,
        unit2: 0,
    }
}

/// A signed-in API client: its cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Login {
    pub cookie: String,
    pub csrf: String,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /api/session`.
    pub async fn try_login(&self, user: &str, password: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/api/session"))
            .json(&json!({ "username": user, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// Signs in over the API as a demo user.
    pub async fn login(&self, user: &str) -> Login {
        let r = self.try_login(user, &self.passwords[user]).await;
        assert_eq!(r.status(), StatusCode::OK, "login {user}");
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        let cookie = set.split(';').next().unwrap().to_string();
        let body: Value = r.json().await.unwrap();
        Login {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    pub async fn api_get(&self, path: &str, who: &Login) -> (StatusCode, Value) {
        let r = reqwest::Client::new()
            .get(self.url(path))
            .header("cookie", &who.cookie)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn api_post(&self, path: &str, who: &Login, body: &Value) -> (StatusCode, Value) {
        let r = reqwest::Client::new()
            .post(self.url(path))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Uploads a file to `/api/imports{query}` with the session's CSRF token.
    pub async fn import(
        &self,
        who: &Login,
        query: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let r = reqwest::Client::new()
            .post(self.url(&format!("/api/imports{query}")))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        (status, headers, r.json().await.unwrap_or(Value::Null))
    }
}

/// Every error has the one body.
#[track_caller]
pub fn assert_error_body(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    for k in ["message_zh", "message_en"] {
        assert!(body[k].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
    assert!(body["diagnostics"].is_array(), "{body}");
}

/// An answer: status, `Location` (of a redirect), headers and body.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    #[track_caller]
    pub fn expect(&self, status: u16, texts: &[&str]) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        for t in texts {
            assert!(self.has(t), "{t:?} missing from:\n{}", self.body);
        }
    }
}

/// The value of the first hidden field `name` of a page.
pub fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no field {name}"));
    let rest = &html[at + key.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A browser: its own cookie jar, no automatic redirects.
pub struct Browser<'a> {
    pub s: &'a Server,
    pub http: reqwest::Client,
}

impl<'a> Browser<'a> {
    pub fn new(s: &'a Server) -> Browser<'a> {
        Browser {
            s,
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// The same cookie jar against another server (one database behind two servers).
    pub fn on<'b>(&self, s: &'b Server) -> Browser<'b> {
        Browser {
            s,
            http: self.http.clone(),
        }
    }

    pub async fn read(r: reqwest::Response) -> Page {
        let status = r.status();
        let headers = r.headers().clone();
        let location = headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        Page {
            status,
            location,
            headers,
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::read(
            self.http
                .get(format!("{}{path}", self.s.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Self::read(
            self.http
                .post(format!("{}{path}", self.s.base))
                .header("origin", &self.s.base)
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts the login form with `next`.
    pub async fn try_login_next(&self, user: &str, password: &str, next: &str) -> Page {
        let form = self.get("/login?next=/").await;
        form.expect(200, &["登录"]);
        let csrf = hidden(&form.body, "csrf");
        self.post(
            "/login",
            &[
                ("username", user),
                ("password", password),
                ("csrf", &csrf),
                ("next", next),
            ],
        )
        .await
    }

    pub async fn try_login(&self, user: &str, password: &str) -> Page {
        self.try_login_next(user, password, "/").await
    }

    /// Signs in as a demo user; the session's CSRF token (from the dashboard's forms).
    pub async fn login(&self, user: &str) -> String {
        let r = self.try_login(user, &self.s.passwords[user]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location.as_deref(), Some("/"));
        let home = self.get("/").await;
        home.expect(200, &[user]);
        hidden(&home.body, "csrf")
    }

    /// Uploads a file on the upload page (the preview).
    pub async fn upload(&self, csrf: &str, name: &str, bytes: Vec<u8>) -> Page {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        Self::read(
            self.http
                .post(format!("{}/upload", self.s.base))
                .header("origin", &self.s.base)
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }
}
