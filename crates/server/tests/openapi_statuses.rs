//! The OpenAPI document against the server: a client that knows nothing but the document
//! sends every operation it lists the requests a client gets wrong (no session, no CSRF
//! token, an id that is not one, a body that is not JSON, JSON of another shape, an empty
//! body) and some it gets right, and every status the server answers must be one the document
//! lists for that operation.

mod common;

use common::*;
use jixiao_app::App;
use serde_json::{json, Value};

/// One request: what it sends and how.
#[derive(Clone)]
struct Ask {
    path: String,
    query: &'static str,
    /// `None`: no body; `Some((content type, bytes))`.
    body: Option<(&'static str, Vec<u8>)>,
    session: bool,
    csrf: bool,
}

async fn send(s: &Server, who: &Login, method: &str, a: &Ask) -> u16 {
    let client = reqwest::Client::new();
    let url = s.url(&format!("{}{}", a.path, a.query));
    let mut r = client.request(method.to_uppercase().parse().unwrap(), url);
    if a.session {
        r = r.header("cookie", &who.cookie);
    }
    if a.csrf {
        r = r.header("x-csrf-token", &who.csrf);
    }
    if let Some((ct, bytes)) = &a.body {
        r = r.header("content-type", *ct).body(bytes.clone());
    }
    r.send().await.unwrap().status().as_u16()
}

fn bodies(project: &Value) -> Vec<Option<(&'static str, Vec<u8>)>> {
    let json = |v: Value| Some(("application/json", v.to_string().into_bytes()));
    vec![
        None,
        Some(("text/plain", b"hello".to_vec())),
        Some(("application/json", b"{not json".to_vec())),
        json(json!({})),
        json(json!({ "unexpected": 1 })),
        json(json!({ "text": "≥15000公里" })),
        json(json!({ "text": "a comment" })),
        json(json!({ "comment": "back to you" })),
        json(json!({ "project": project })),
        json(json!({ "base_version": 1, "project": project })),
        json(json!({ "indicator": "1.1.1", "date": "2024-06-30", "value": "13500公里" })),
        json(json!({ "date": "2024-06-30", "amount": "1,000.00" })),
        json(json!({ "annual_budget": "1,800,000.00", "indicators": [] })),
        json(json!({ "username": "nobody", "password": "wrong" })),
        json(
            json!({ "declaration_id": project["id"], "source": "review", "rule": "none", "deadline": "2099-12-31" }),
        ),
        json(
            json!({ "declaration_id": project["id"], "source": "review", "rule": "none", "deadline": "someday" }),
        ),
        json(json!({ "status": "done", "version": 1 })),
        json(json!({ "measure": "措施", "evidence": "佐证" })),
    ]
}

async fn every_status_is_documented(app: App) {
    let s = start(app).await;
    let admin = s.login("admin").await;
    let (_, doc) = s.api_get("/api/openapi.json", &admin).await;
    let (_, project) = s
        .api_get(&format!("/api/projects/{}", s.unit1), &admin)
        .await;
    let mut undocumented = Vec::new();
    let mut asked = 0;
    let paths = doc["paths"].as_object().expect("paths");
    for (template, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            // Signing out would end the sweep's session.
            if template == "/api/session" && method == "delete" {
                continue;
            }
            let documented: Vec<String> = op["responses"]
                .as_object()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            let ids = [s.unit1.to_string(), "abc".into(), "987654".into()];
            let kinds = ["summary", "nope"];
            let mut concrete = Vec::new();
            for id in &ids {
                for kind in kinds {
                    let p = template.replace("{id}", id).replace("{kind}", kind);
                    if !concrete.contains(&p) {
                        concrete.push(p);
                    }
                }
            }
            let queries: &[&str] = if method == "get" {
                &[
                    "",
                    "?year=2024&as_of=2024-06-30",
                    "?page=0",
                    "?as_of=someday",
                ]
            } else {
                &[""]
            };
            let changes = method != "get";
            for path in &concrete {
                for query in queries {
                    let shapes = if changes {
                        bodies(&project)
                    } else {
                        vec![None]
                    };
                    for body in shapes {
                        for (session, csrf) in [(false, false), (true, false), (true, true)] {
                            if !changes && csrf {
                                continue;
                            }
                            let a = Ask {
                                path: path.clone(),
                                query,
                                body: body.clone(),
                                session,
                                csrf,
                            };
                            let status = send(&s, &admin, method, &a).await;
                            asked += 1;
                            if !documented.contains(&status.to_string()) {
                                let what =
                                    format!("{} {template} → {status}", method.to_uppercase());
                                if !undocumented.contains(&what) {
                                    undocumented.push(what);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(asked > 500, "only {asked} requests were sent");
    assert!(
        undocumented.is_empty(),
        "answers the document does not list:\n{}",
        undocumented.join("\n")
    );
}

#[tokio::test]
async fn every_status_is_documented_sqlite() {
    every_status_is_documented(sqlite().await).await
}
