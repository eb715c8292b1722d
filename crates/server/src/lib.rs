//! # jixiao-server — the web front end
//!
//! This crate owns everything HTTP: the routes of the JSON API under `/api/` and the HTML
//! pages, the session cookie, CSRF and origin checks, the login rate limit, the body limit,
//! the one error ([`error::Error`]) and the OpenAPI document (`/api/openapi.json`). It calls
//! `jixiao_app` only; who may read or change what is decided there, never here (another
//! unit's declaration is a 404 because `app` says `NotFound`).
//!
//! **Layout** (each module imports only the ones above it):
//! `error` (the one error) → `pool`, `state` → `extract` (who asks, what they sent) → `view`
//! (page chrome, formatting, assets), `openapi` (the types the document is derived from) → one module per resource, each with its JSON and page
//! handlers and its `router()`: [`session`], [`declarations`], [`imports`], [`actuals`],
//! [`spending`], [`workflow`], [`review`], [`evaluation`], [`reports`], [`admin`], [`library`], [`rectifications`], [`todo`] → `doc` (the OpenAPI document, `utoipa`), `layers`
//! (fallbacks, request ids and log, the error page, security headers) → this file, which merges the routers.
//!
//! **Statuses**: `AppError` kinds map as documented in `jixiao_app` (422 invalid, 404 not
//! found, 400 ambiguous, 401 unauthenticated, 403 forbidden, 409 conflict, 503 unavailable,
//! 500 internal); this crate adds 401 without a session, 403 for a missing CSRF token or a
//! foreign `Origin`, 413 for a body over the limit, 415 for a request that is not the
//! expected content type, 429 for too many failed logins, and 503 with `Retry-After` when
//! the parse pool is busy.
//!
//! **Hardening** (every answer, see `layers::wrap`): a Content-Security-Policy that allows
//! only this site's scripts and styles and no framing, `X-Frame-Options: DENY`,
//! `Referrer-Policy: same-origin`, `X-Content-Type-Options: nosniff`, `Cache-Control:
//! no-store`; an error answer that is not the one error (an extractor's plain-text
//! rejection) is rewritten into it; every request carries an `X-Request-Id` and is logged
//! (`tracing`), and a 500 shows that id while the log holds the cause. Uploads are parsed on a bounded pool off the request
//! threads ([`ParsePool`]); the login limit, sessions and previews live in the database, so
//! several servers may share one.
#![deny(missing_docs)]
// The one error carries both messages and its diagnostics by value; it is built once per failed
// request, so its size costs nothing worth a box.
#![allow(clippy::result_large_err)]

mod error;
mod pool;
mod state;

mod extract;
mod openapi;
mod view;

mod actuals;
mod admin;
mod declarations;
mod evaluation;
mod imports;
mod library;
mod rectifications;
mod reports;
mod review;
mod session;
mod spending;
mod todo;
mod workflow;

mod doc;
mod layers;

pub mod demo;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use jixiao_app::App;

pub use extract::{COOKIE, CSRF_HEADER};
pub use jixiao_app::accounts::{LoginLimits, PreviewBounds};
pub use layers::CONTENT_SECURITY_POLICY;
pub use pool::{Held, ParsePool};
pub use state::{Options, DEFAULT_BODY_LIMIT, MAX_PER_PAGE};

/// The routes, ready to serve (with client addresses: see [`serve`]).
pub fn router(app: App, options: Options) -> Router {
    let limit = options.body_limit;
    let state = state::State {
        app,
        options: Arc::new(options),
    };
    let routes = Router::new()
        .route("/api/openapi.json", get(doc::openapi_json))
        .route("/assets/{file}", get(view::assets::serve))
        .route("/favicon.ico", get(layers::favicon))
        .merge(session::router())
        .merge(declarations::router())
        .merge(workflow::router())
        .merge(imports::router())
        .merge(actuals::router())
        .merge(spending::router())
        .merge(evaluation::router())
        .merge(review::router())
        .merge(reports::router())
        .merge(admin::router())
        .merge(library::router())
        .merge(rectifications::router())
        .merge(todo::router())
        .fallback(layers::fallback)
        .method_not_allowed_fallback(layers::method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state);
    layers::wrap(routes)
}

/// Serves the API on a bound listener until the process is stopped (Ctrl-C ends it
/// gracefully).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    options: Options,
) -> std::io::Result<()> {
    layers::init_log();
    let router = router(app, options);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
