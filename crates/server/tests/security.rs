//! Attack tests (issue 16): open redirects, security headers, the Origin's scheme, the login
//! limiter (races, one password against many names, lockout and its end), a reader opening
//! an editor, a busy parse pool, bounded previews, and two servers on one PostgreSQL.
//! Each was written to fail on the code before the fix.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

/// Whether a `Location` stays on this site in every browser: a path that starts with one `/`
/// and holds no backslash, blank or control character (browsers drop tabs and newlines, so
/// `/\t/evil` is `//evil`).
fn same_site(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

const HOSTILE_NEXT: [&str; 8] = [
    "/%09/evil.example/",
    "/%0a/evil.example/",
    "/%0d%0a/evil.example/",
    "//evil.example/",
    "/%5C%5Cevil.example/",
    "/%5Cevil.example/",
    "https://evil.example/",
    "/%0a",
];

async fn redirects_stay_on_the_site(app: jixiao_app::App) {
    let s = start(app).await;
    let b = Browser::new(&s);
    for next in HOSTILE_NEXT {
        let r = b.get(&format!("/lang?to=en&next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "lang {next}: {}", r.body);
        let at = r.location.unwrap();
        assert!(same_site(&at), "lang next={next} → {at:?}");
    }
    // The login form's `next` (posted as a form value, decoded).
    for next in [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "//evil",
        "/\\evil",
        "/\u{7f}x",
    ] {
        let b = Browser::new(&s);
        let r = b
            .try_login_next("editor", &s.passwords["editor"], next)
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {next:?}: {}",
            r.body
        );
        let at = r.location.unwrap();
        assert!(same_site(&at), "login next={next:?} → {at:?}");
    }
    // Signed in, `/login?next=…` goes straight on: never a plain-text 500.
    let b = Browser::new(&s);
    b.login("editor").await;
    for next in HOSTILE_NEXT {
        let r = b.get(&format!("/login?next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login {next}: {}", r.body);
        let at = r.location.unwrap();
        assert!(same_site(&at), "login next={next} → {at:?}");
    }
    // A path in Chinese is a path of this site: kept (encoded), not a 500.
    let r = b.get("/login?next=/projects?name=%E4%BA%A4%E9%80%9A").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at = r.location.unwrap();
    assert!(same_site(&at) && at.starts_with("/projects?name="), "{at}");
}

/// Every answer, page or API, success or error, carries the headers that keep it out of
/// frames and other sites' hands.
async fn security_headers(app: jixiao_app::App) {
    let s = start(app).await;
    let b = Browser::new(&s);
    let mut answers = vec![
        b.get("/login").await,
        b.get("/api/session").await,
        b.get("/no/such/page").await,
    ];
    b.login("editor").await;
    answers.push(b.get("/").await);
    answers.push(b.get(&format!("/projects/{}", s.unit2)).await);
    answers.push(b.get("/api/projects").await);
    for r in &answers {
        let h = |name: &str| {
            r.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = h("content-security-policy");
        for part in [
            "default-src 'none'",
            "script-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{part} missing from CSP {csp:?}");
        }
        assert!(!csp.contains("unsafe-eval"), "{csp}");
        assert_eq!(h("x-frame-options"), "DENY");
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(h("referrer-policy"), "same-origin");
    }
    // No page holds an inline script (the CSP would block it): only assets/*.js.
    for r in &answers {
        for (k, _) in r.body.match_indices("<script") {
            let tag = &r.body[k..k + r.body[k..].find('>').unwrap()];
            assert!(tag.contains("src=\"/assets/"), "inline script: {tag}");
        }
    }
}

/// Every error is the one error body (API) or the error page (pages), also where a lower
/// layer refuses the request before a handler runs (a path that is not UTF-8).
async fn every_error_is_the_one_body(app: jixiao_app::App) {
    let s = start(app).await;
    let who = s.login("editor").await;
    for path in ["/api/projects/%FF", "/api/projects/%FF/audit"] {
        let r = reqwest::Client::new()
            .get(s.url(path))
            .header("cookie", &who.cookie)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{path}: {}", r.status());
        let body: serde_json::Value = r.json().await.unwrap_or_default();
        assert!(body["code"].is_string(), "{path}: {body}");
        assert_error_body(&body, body["code"].as_str().unwrap());
    }
    let b = Browser::new(&s);
    b.login("editor").await;
    let r = b.get("/projects/%FF").await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}: {}",
        r.headers,
        r.body
    );
    assert!(r.has("<!DOCTYPE html>"), "{}", r.body);
}

/// An `Origin` of another scheme is another origin (a page on plain http of the same host
/// must not post to the site).
async fn origin_compares_the_scheme(app: jixiao_app::App) {
    let s = start(app).await;
    let host = s.base.trim_start_matches("http://").to_string();
    for origin in [format!("https://{host}"), format!("ftp://{host}")] {
        let r = reqwest::Client::new()
            .post(s.url("/api/session"))
            .header("origin", &origin)
            .json(&json!({"username": "editor", "password": s.passwords["editor"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_error_body(&r.json().await.unwrap(), "cross_origin");
    }
    let r = reqwest::Client::new()
        .post(s.url("/api/session"))
        .header("origin", &s.base)
        .json(&json!({"username": "editor", "password": s.passwords["editor"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// 50 guesses at once for one user: at most 5 are checked, the rest are 429.
async fn login_race(app: jixiao_app::App) {
    let s = start(app).await;
    let guesses: Vec<_> = (0..50)
        .map(|k| {
            let url = s.url("/api/session");
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .json(&json!({"username": "viewer", "password": format!("guess number {k}")}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for g in guesses {
        answers.push(g.await.unwrap());
    }
    let checked = answers
        .iter()
        .filter(|st| **st == StatusCode::UNAUTHORIZED)
        .count();
    let limited = answers
        .iter()
        .filter(|st| **st == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= 5,
        "{checked} of 50 parallel guesses were checked"
    );
    assert_eq!(checked + limited, 50, "{answers:?}");
    // Another user is not affected.
    s.login("editor").await;
}

/// One password tried against many names from one address is limited too.
async fn one_password_many_names(app: jixiao_app::App) {
    let s = start(app).await;
    let mut first_limited = None;
    for k in 0..60 {
        let r = s.try_login(&format!("clerk{k}"), "Password123").await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.headers().contains_key("retry-after"));
            assert_error_body(&r.json().await.unwrap(), "too_many_requests");
            first_limited = Some(k);
            break;
        }
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    assert!(
        first_limited.is_some_and(|k| k <= 30),
        "60 names tried from one address: {first_limited:?}"
    );
}

/// A reader opening an editor: 403 with the role as the reason, no editing buttons.
async fn viewer_editing_is_forbidden(app: jixiao_app::App) {
    let s = start(app).await;
    let b = Browser::new(&s);
    b.login("viewer").await;
    let r = b.get(&format!("/projects/{}/edit", s.unit1)).await;
    r.expect(403, &["只读", "viewer"]);
    assert!(!r.has("状态为"), "{}", r.body);
    for button in [
        "data-testid=\"save\"",
        "data-testid=\"check\"",
        "add-indicator",
    ] {
        assert!(!r.has(button), "{button} shown to a viewer");
    }
    // The same for finance (reads everything, writes nothing), in the API too.
    let who = s.login("finance").await;
    let (st, body) = s
        .api_post(
            &format!("/api/projects/{}/submit", s.unit1),
            &who,
            &json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["message_zh"].as_str().unwrap().contains("财政"),
        "{body}"
    );
}

/// Two servers on one PostgreSQL schema: a session, its CSRF token, the login limit and a
/// preview started on one are honoured on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_one_postgres() {
    let url = jixiao_testkit::postgres_url("two").await;
    let a = start(jixiao_app::App::open(&url).await.unwrap()).await;
    let mut b = serve(
        jixiao_app::App::open(&url).await.unwrap(),
        Default::default(),
    )
    .await;
    b.passwords = a.passwords.clone();
    // A session made on A works on B, with its CSRF token.
    let who = a.login("editor").await;
    let (st, _) = b.api_get("/api/projects", &who).await;
    assert_eq!(st, StatusCode::OK);
    let (st, body) = b
        .api_post(
            &format!("/api/projects/{}/comments", a.unit1),
            &who,
            &json!({"text": "从 B 提交"}),
        )
        .await;
    assert!(st.is_success(), "{st} {body}");
    // Failed logins on A count on B.
    for _ in 0..5 {
        assert_eq!(
            a.try_login("viewer", "bad password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = b.try_login("viewer", "another bad one").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // A preview made on A commits on B.
    let on_a = Browser::new(&a);
    let csrf = on_a.login("editor").await;
    let changed = SEED.replace("交通工具购置及更新", "交通工具购置及更新（二）");
    let p = on_a
        .upload(&csrf, "changed.txt", changed.into_bytes())
        .await;
    p.expect(200, &["交通工具购置及更新（二）"]);
    let token = hidden(&p.body, "token");
    let on_b = on_a.on(&b);
    let r = on_b
        .post("/upload/commit", &[("csrf", &csrf), ("token", &token)])
        .await;
    r.expect(200, &["交通工具购置及更新（二）"]);
    let admin = jixiao_app::Actor::local_admin();
    let names: Vec<String> = b
        .app
        .list(&admin)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.key.name)
        .collect();
    assert!(
        names.iter().any(|n| n == "交通工具购置及更新（二）"),
        "{names:?}"
    );
}

/// After a lockout even the right password waits for the window's end; then it works.
async fn lockout_ends_with_the_window(app: jixiao_app::App) {
    // Long enough that five password checks fit in it on a loaded machine (each is a
    // deliberately slow hash): with 1.5 s the first failure could leave the window before the
    // sixth attempt and the lockout never be seen.
    let window = std::time::Duration::from_secs(5);
    let s = start_with(
        app,
        jixiao_server::Options {
            login_limits: jixiao_server::LoginLimits {
                window,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await;
    for _ in 0..5 {
        assert_eq!(
            s.try_login("viewer", "bad password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Within the window: the right password too is refused, and says how long to wait.
    let r = s.try_login("viewer", &s.passwords["viewer"]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=5).contains(&wait), "{wait}");
    // After it: the right password signs in, and the count starts again.
    tokio::time::sleep(window + std::time::Duration::from_millis(200)).await;
    s.login("viewer").await;
    assert_eq!(
        s.try_login("viewer", "bad password").await.status(),
        StatusCode::UNAUTHORIZED
    );
    s.login("viewer").await;
}

/// A busy parse pool answers 503 with `Retry-After` (API and page) and imports nothing; once
/// free, the same upload goes through.
async fn busy_parse_pool(app: jixiao_app::App) {
    let pool = jixiao_server::ParsePool::new(1, std::time::Duration::from_millis(50));
    let s = start_with(
        app,
        jixiao_server::Options {
            parse_pool: pool.clone(),
            ..Default::default()
        },
    )
    .await;
    let who = s.login("editor").await;
    let changed = SEED.replace("交通工具购置及更新", "交通工具购置及更新（忙）");
    let held = pool.try_hold().expect("a free place");
    let (st, headers, body) = s
        .import(&who, "", "busy.txt", changed.clone().into_bytes())
        .await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(headers.contains_key("retry-after"));
    assert_error_body(&body, "busy");
    let (st, _, body) = s
        .import(
            &who,
            "?dry_run=true",
            "busy.txt",
            changed.clone().into_bytes(),
        )
        .await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let b = Browser::new(&s);
    let csrf = b.login("editor").await;
    let r = b
        .upload(&csrf, "busy.txt", changed.clone().into_bytes())
        .await;
    r.expect(503, &["服务器正忙"]);
    assert!(r.headers.contains_key("retry-after"));
    let admin = jixiao_app::Actor::local_admin();
    let names = |list: Vec<jixiao_app::ProjectSummary>| {
        list.into_iter().map(|s| s.key.name).collect::<Vec<_>>()
    };
    assert!(
        !names(s.app.list(&admin).await.unwrap()).contains(&"交通工具购置及更新（忙）".to_string())
    );
    drop(held);
    let (st, _, body) = s.import(&who, "", "busy.txt", changed.into_bytes()).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(
        names(s.app.list(&admin).await.unwrap()).contains(&"交通工具购置及更新（忙）".to_string())
    );
}

/// Previews are kept in the database within their bounds: a user's oldest goes when the
/// user previews more than `per_user`; a commit imports the previewed bytes once.
async fn previews_are_bounded(app: jixiao_app::App) {
    let s = start_with(
        app,
        jixiao_server::Options {
            previews: jixiao_server::PreviewBounds {
                per_user: 2,
                total_bytes: 1024 * 1024,
                ttl: std::time::Duration::from_secs(600),
            },
            ..Default::default()
        },
    )
    .await;
    let b = Browser::new(&s);
    let csrf = b.login("editor").await;
    let mut tokens = Vec::new();
    for k in 0..4 {
        let text = SEED.replace("交通工具购置及更新", &format!("交通工具购置及更新{k}"));
        let p = b.upload(&csrf, "p.txt", text.into_bytes()).await;
        p.expect(200, &[&format!("交通工具购置及更新{k}")]);
        tokens.push(hidden(&p.body, "token"));
    }
    let (count, bytes) = s.app.preview_usage().await.unwrap();
    assert_eq!(count, 2);
    assert!(bytes > 0 && bytes <= 1024 * 1024);
    // The oldest two are gone; the newest commits once.
    let r = b
        .post("/upload/commit", &[("csrf", &csrf), ("token", &tokens[0])])
        .await;
    r.expect(410, &["预览已过期"]);
    let r = b
        .post("/upload/commit", &[("csrf", &csrf), ("token", &tokens[3])])
        .await;
    r.expect(200, &["交通工具购置及更新3"]);
    let r = b
        .post("/upload/commit", &[("csrf", &csrf), ("token", &tokens[3])])
        .await;
    r.expect(410, &["预览已过期"]);
    // Another user cannot commit this user's preview.
    let other = Browser::new(&s);
    let csrf2 = other.login("admin").await;
    let r = other
        .post("/upload/commit", &[("csrf", &csrf2), ("token", &tokens[2])])
        .await;
    r.expect(410, &["预览已过期"]);
    // The total bound: a file larger than all previews may keep is refused, not kept.
    let big = format!("{SEED}{}", "\n".repeat(1024 * 1024));
    let r = b.upload(&csrf, "big.txt", big.into_bytes()).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(s.app.preview_usage().await.unwrap().0 <= 2);
}

/// A preview not committed within its time is gone (410), and takes no room after.
async fn previews_expire(app: jixiao_app::App) {
    let ttl = std::time::Duration::from_millis(1000);
    let s = start_with(
        app,
        jixiao_server::Options {
            previews: jixiao_server::PreviewBounds {
                ttl,
                ..jixiao_app::accounts::default_preview_bounds()
            },
            ..Default::default()
        },
    )
    .await;
    let b = Browser::new(&s);
    let csrf = b.login("editor").await;
    let p = b.upload(&csrf, "seed.txt", SEED.as_bytes().to_vec()).await;
    p.expect(200, &["交通工具购置及更新"]);
    let token = hidden(&p.body, "token");
    tokio::time::sleep(ttl + std::time::Duration::from_millis(300)).await;
    let r = b
        .post("/upload/commit", &[("csrf", &csrf), ("token", &token)])
        .await;
    r.expect(410, &["预览已过期"]);
    // The next preview sweeps the expired one away.
    let p = b.upload(&csrf, "seed.txt", SEED.as_bytes().to_vec()).await;
    p.expect(200, &["交通工具购置及更新"]);
    assert_eq!(s.app.preview_usage().await.unwrap().0, 1);
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::sqlite().await).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::postgres().await).await } )*
        }
    };
}

on_both!(
    redirects_stay_on_the_site,
    security_headers,
    every_error_is_the_one_body,
    origin_compares_the_scheme,
    login_race,
    one_password_many_names,
    viewer_editing_is_forbidden,
    lockout_ends_with_the_window,
    busy_parse_pool,
    previews_are_bounded,
    previews_expire,
);
