//! 会话 — signing in and out: `GET/POST/DELETE /api/session` and the login form, logout and
//! the language switch of the pages. Signing in goes through the login rate limit (counted in
//! the database by `jixiao_app`, so that every server on one database counts alike).

use std::net::{IpAddr, SocketAddr};

use askama::Template;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State as S};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::accounts::SignInRefusal;
use jixiao_model::Lang;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::{
    check_origin, clear_cookie, cookie, form_unreadable, lang_of, session_token, set_cookie,
    Authed, CsrfOnly, Params, Posted, LANG_COOKIE,
};
use crate::state::{AppState, State};
use crate::view::json::SessionView;
use crate::view::{assets, encode, local_path, render_with, PageResult};

/// The routes of signing in and out.
pub fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/session",
            get(session_get).post(session_post).delete(session_delete),
        )
        .route("/login", get(form).post(submit))
        .route("/logout", post(logout))
        .route("/lang", get(set_lang))
}

#[utoipa::path(get, path = "/api/session", tag = "session", summary = "当前用户与 CSRF 令牌 / the current user and csrf_token", responses((status = 200, description = "OK", body = SessionView), (status = 401, description = "未登录 / no session", body = crate::error::ErrorBody)))]
pub async fn session_get(a: Authed) -> Json<SessionView> {
    Json(SessionView::from(&a.session))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Login {
    username: String,
    password: String,
}

#[utoipa::path(post, path = "/api/session", tag = "session", security(()), summary = "登录 / sign in", request_body = Login, responses((status = 200, description = "Signed in; Set-Cookie jixiao_session", body = SessionView), (status = 400, description = "不是 JSON 登录请求 / not a JSON login", body = crate::error::ErrorBody), (status = 401, description = "用户名或密码错误 / wrong user name or password", body = crate::error::ErrorBody), (status = 403, description = "其他来源 / foreign Origin", body = crate::error::ErrorBody), (status = 429, description = "登录失败过多（每用户名每分钟 5 次、每地址 30 次；期间正确密码也须等待；Retry-After）/ too many failed logins (5 per user name, 30 per address, per minute; the right password waits too)", body = crate::error::ErrorBody)))]
pub async fn session_post(
    S(state): AppState,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<Login>, JsonRejection>,
) -> Result<Response> {
    check_origin(&headers, state.options.secure_cookies)?;
    let Json(login) = body.map_err(|e| {
        Error::bad_request(
            format!(
                "登录请求应为 JSON：{{\"username\": …, \"password\": …}}（{}）",
                e.body_text()
            ),
            format!(
                "a login is JSON {{\"username\": …, \"password\": …}} ({})",
                e.body_text()
            ),
        )
    })?;
    let (new, cookie) = sign_in(&state, &login.username, &login.password, addr.ip()).await?;
    Ok((
        StatusCode::OK,
        [(header::SET_COOKIE, cookie)],
        Json(SessionView::from(&new.session)),
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/session", tag = "session", security(("session" = [], "csrf" = [])), summary = "退出 / sign out", responses((status = 204, description = "Signed out"), (status = 401, description = "no session", body = crate::error::ErrorBody), (status = 403, description = "CSRF token missing or wrong", body = crate::error::ErrorBody)))]
pub async fn session_delete(S(state): AppState, a: Authed) -> Result<Response> {
    state.app.end_session(&a.token).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            clear_cookie(state.options.secure_cookies),
        )],
    )
        .into_response())
}

/// 登录 — signs in behind the rate limit (per user name and per client address, in the
/// database) and starts a session: the session and its `Set-Cookie`. A wrong name or
/// password is 401, too many failed attempts 429 with `Retry-After`.
async fn sign_in(
    state: &State,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<(jixiao_app::NewSession, String), Error> {
    let actor = match state
        .app
        .sign_in(
            username,
            password,
            &client.to_string(),
            &state.options.login_limits,
        )
        .await
    {
        Ok(a) => a,
        Err(SignInRefusal::TooMany { retry_after }) => {
            return Err(Error::too_many_logins(retry_after))
        }
        Err(SignInRefusal::Error(e)) => return Err(e.into()),
    };
    let new = state.app.start_session(&actor).await?;
    let cookie = set_cookie(
        &new.token,
        jixiao_app::accounts::SESSION_TTL,
        state.options.secure_cookies,
    );
    Ok((new, cookie))
}

/// The double-submit cookie of the login form (there is no session yet to hold a token).
const LOGIN_CSRF_COOKIE: &str = "jixiao_login_csrf";

/// A message of the login form.
struct Message {
    zh: String,
    en: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    lang: Lang,
    css: &'static str,
    icon: &'static str,
    lang_href: String,
    csrf: String,
    next: String,
    username: String,
    error: Option<Message>,
}

impl LoginPage {
    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

fn login_cookie(token: &str, secure: bool) -> String {
    format!(
        "{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The form, with a fresh double-submit token (or the one the browser has).
fn show(
    state: &State,
    headers: &HeaderMap,
    next: String,
    username: String,
    error: Option<Message>,
    status: StatusCode,
) -> PageResult {
    let lang = lang_of(headers);
    let csrf = match cookie(headers, LOGIN_CSRF_COOKIE).filter(|t| t.len() >= 32) {
        Some(t) => t.to_string(),
        None => jixiao_app::accounts::random_token()?,
    };
    let here = format!("/login?next={}", encode(&next));
    let page = LoginPage {
        lang,
        css: assets::url("app.css"),
        icon: assets::url("favicon.svg"),
        lang_href: format!("/lang?to={}&next={}", lang.pick("en", "zh"), encode(&here)),
        csrf: csrf.clone(),
        next,
        username,
        error,
    };
    let mut r = render_with(status, &page)?;
    if let Ok(v) = header::HeaderValue::from_str(&login_cookie(&csrf, state.options.secure_cookies))
    {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `GET /login?next=…`: the form; a signed-in user goes straight on.
pub async fn form(S(state): AppState, headers: HeaderMap, Params(q): Params) -> PageResult {
    let next = local_path(q.get("next").map(String::as_str));
    if let Some(token) = session_token(&headers) {
        if let Ok(Some(_)) = state.app.session(&token).await {
            return Ok(Redirect::to(&next).into_response());
        }
    }
    show(&state, &headers, next, String::new(), None, StatusCode::OK)
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
    csrf: String,
}

/// `POST /login`: signs in and goes to `next`; a wrong name or password, a missing token or
/// too many failures show the form again with the reason.
pub async fn submit(
    S(state): AppState,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<axum::Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    check_origin(&headers, state.options.secure_cookies)?;
    let axum::Form(f) = form.map_err(|e| form_unreadable(&e.body_text()))?;
    let next = local_path(Some(&f.next));
    let again = |zh: String, en: String, status: StatusCode| {
        show(
            &state,
            &headers,
            next.clone(),
            f.username.clone(),
            Some(Message { zh, en }),
            status,
        )
    };
    let sent_ok = cookie(&headers, LOGIN_CSRF_COOKIE)
        .is_some_and(|c| !c.is_empty() && c.len() == f.csrf.len() && c == f.csrf);
    if !sent_ok {
        return again(
            "登录表单已过期或缺少安全令牌；请重新输入".into(),
            "the login form expired or lacks its security token; please enter your details again"
                .into(),
            StatusCode::FORBIDDEN,
        );
    }
    let cookie = match sign_in(&state, &f.username, &f.password, addr.ip()).await {
        Ok((_, cookie)) => cookie,
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            let wait = e.retry_after.unwrap_or(1);
            let mut r = again(e.zh, e.en, StatusCode::TOO_MANY_REQUESTS)?;
            if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(r);
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            return again(
                "用户名或密码错误".into(),
                "wrong user name or password".into(),
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(e) => return Err(e),
    };
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, next.clone()),
        ],
    )
        .into_response())
}

/// `POST /logout`: ends the session.
pub async fn logout(S(state): AppState, p: Posted<CsrfOnly>) -> PageResult {
    state.app.end_session(&p.user.token).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                clear_cookie(state.options.secure_cookies),
            ),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response())
}

/// `GET /lang?to=en|zh&next=…`: remembers the language in a cookie and goes back.
pub async fn set_lang(Params(q): Params) -> Response {
    let to = match q.get("to").map(String::as_str) {
        Some("en") => "en",
        _ => "zh",
    };
    let next = local_path(q.get("next").map(String::as_str));
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                format!(
                    "{}={to}; Path=/; SameSite=Lax; Max-Age=31536000",
                    LANG_COOKIE
                ),
            ),
            (header::LOCATION, next),
        ],
    )
        .into_response()
}
