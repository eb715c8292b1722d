//! 外层 — what wraps every answer: the fallbacks of unknown routes and methods, and the
//! layers ([`wrap`]): a request id and the request log, the timeout, gzip, caught panics, the
//! security headers, and the one error shape ([`one_error`]: a handler's [`Error`] becomes
//! the error page, or the login redirect, outside `/api/`; an extractor's plain-text
//! rejection becomes the one error; an internal error is logged with the request id).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State as S};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::{Error, Shown};
use crate::extract::{changes_state, lang_of, session_token};
use crate::state::{AppState, State};
use crate::view::{error_page, login_redirect};

/// Unknown routes: 401 without a session (nothing is told about what exists), else 404.
async fn unknown(state: &State, headers: &HeaderMap) -> Error {
    let signed_in = match session_token(headers) {
        Some(t) => matches!(state.app.session(&t).await, Ok(Some(_))),
        None => false,
    };
    if signed_in {
        Error::not_found(
            "没有这个地址；GET /api/openapi.json 列出全部接口",
            "no such route; GET /api/openapi.json lists them all",
        )
    } else {
        Error::unauthenticated()
    }
}

/// The answer to an unknown route (JSON wherever it was asked).
pub async fn fallback(S(state): AppState, headers: HeaderMap) -> Response {
    unknown(&state, &headers).await.json_response()
}

/// A known route with another method: 401 without a session, else 405.
pub async fn method_not_allowed(S(state): AppState, headers: HeaderMap) -> Response {
    let e = unknown(&state, &headers).await;
    if e.status == StatusCode::NOT_FOUND {
        return Error::method_not_allowed().json_response();
    }
    e.json_response()
}

/// The Content-Security-Policy of every answer: scripts and styles of this site only (the
/// pages have no inline script; `style` attributes are allowed, nothing else inline), forms
/// posted here only, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The header that carries the request id (set on every request and answer).
pub const REQUEST_ID: &str = "x-request-id";

/// The longest a request may take before it is answered 408 (an upload parse or a PDF waits
/// on the parse pool within it).
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Request ids: a random prefix of the process and a counter (`3f9a…-42`), unique across the
/// servers sharing one database and readable in a log.
#[derive(Clone)]
struct Ids {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Ids {
    fn new() -> Ids {
        let prefix = jixiao_app::accounts::random_token()
            .ok()
            .and_then(|t| t.get(..8).map(str::to_string))
            .unwrap_or_else(|| "jixiao".to_string());
        Ids {
            prefix: prefix.into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for Ids {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// The routes wrapped in every layer, outermost first: a request id (kept when the client
/// sent one) → the request log (`tracing`, one span per request naming its id) → the id on
/// the answer → gzip → the security headers → [`one_error`] → the timeout (408) → a panic
/// caught as the one 500.
pub fn wrap(routes: Router) -> Router {
    let header = HeaderName::from_static(REQUEST_ID);
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    routes
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                Error::from(jixiao_app::AppError::internal("the handler panicked")).into_response()
            },
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(one_error))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::new(header, Ids::new()))
}

/// The one error shape of every answer: a handler's [`Error`] is JSON under `/api/` and the
/// error page elsewhere (no session: the login page, coming back here after); an
/// extractor's plain-text rejection never reaches a user; an internal error is logged with
/// its cause and the request id, and shows the id, never the cause.
pub async fn one_error(req: Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = lang_of(req.headers());
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    let back = if changes_state(req.method()) {
        "/".to_string()
    } else {
        req.uri()
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string())
    };
    let mut r = next.run(req).await;
    let status = r.status();
    let (mut e, rewrite) = match r.extensions_mut().remove::<Shown>() {
        Some(Shown(e)) => (e, !api),
        None => {
            let ours = r
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
            if !(status.is_client_error() || status.is_server_error()) || ours {
                return r;
            }
            let retry = r
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()?.parse().ok());
            let text = axum::body::to_bytes(std::mem::take(r.body_mut()), 4096)
                .await
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            let mut e = Error::from_plain(status, &text);
            e.retry_after = e.retry_after.or(retry);
            (e, true)
        }
    };
    let logged = match e.cause.take() {
        Some(cause) => {
            tracing::error!(request_id = %id, %cause, "internal error");
            e.zh = format!("{}（请求编号 {id}）", e.zh);
            e.en = format!("{} (request {id})", e.en);
            true
        }
        None => false,
    };
    if !(rewrite || logged) {
        return r;
    }
    if api {
        e.json_response()
    } else if e.status == StatusCode::UNAUTHORIZED && e.code == "unauthenticated" {
        login_redirect(&back)
    } else {
        error_page(lang, &e)
    }
}

/// Logs to standard error (`RUST_LOG` chooses what; requests and errors by default), once per
/// process.
pub fn init_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// `GET /favicon.ico`.
pub async fn favicon() -> impl IntoResponse {
    axum::response::Redirect::permanent(crate::view::assets::url("favicon.svg"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    async fn failing() -> Result<&'static str, Error> {
        Err(jixiao_app::AppError::internal("table secret_xyz is locked").into())
    }

    async fn panicking() -> &'static str {
        panic!("a handler bug")
    }

    /// A 500, JSON or page, names the request id of its answer and never the cause.
    #[tokio::test]
    async fn an_internal_error_shows_the_request_id_not_the_cause() {
        let routes = Router::new()
            .route("/api/fail", get(failing))
            .route("/fail", get(failing))
            .route("/api/panic", get(panicking));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, wrap(routes)).await });
        let client = reqwest::Client::new();
        for path in ["/api/fail", "/fail", "/api/panic"] {
            let r = client
                .get(format!("http://{addr}{path}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 500, "{path}");
            let id = r
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .expect("every answer names its request id");
            assert!(id.contains('-'), "{id}");
            let body = r.text().await.unwrap();
            assert!(body.contains(&format!("请求编号 {id}")), "{path}: {body}");
            assert!(body.contains(&format!("request {id}")), "{path}: {body}");
            assert!(!body.contains("secret_xyz"), "{path}: {body}");
            assert!(!body.contains("a handler bug"), "{path}: {body}");
        }
        // A client's own id is kept.
        let r = client
            .get(format!("http://{addr}/api/fail"))
            .header(REQUEST_ID, "client-7")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()[REQUEST_ID], "client-7");
        assert!(r.text().await.unwrap().contains("client-7"));
    }
}
