//! 登录、退出、语言 — the login form (with the same rate limit as the API), logout, and the
//! language switch.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State as S};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_model::Lang;
use serde::Deserialize;

use super::{
    assets, cookie, encode, lang_of, local_path, CsrfField, PageError, PageResult, Params, Posted,
};
use crate::{auth, State};

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
        None => jixiao_app::accounts::random_token().map_err(|e| PageError::new(lang, e))?,
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
    let mut r = super::render_with(lang, status, &page)?;
    if let Ok(v) = header::HeaderValue::from_str(&login_cookie(&csrf, state.options.secure_cookies))
    {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `GET /login?next=…`: the form; a signed-in user goes straight on.
pub(crate) async fn form(S(state): S<State>, headers: HeaderMap, Params(q): Params) -> PageResult {
    let next = local_path(q.get("next").map(String::as_str));
    if let Some(token) = auth::session_token(&headers) {
        if let Ok(Some(_)) = state.app.session(&token).await {
            return Ok(Redirect::to(&next).into_response());
        }
    }
    show(&state, &headers, next, String::new(), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /login`: signs in and goes to `next`; a wrong name or password, a missing token or
/// too many failures show the form again with the reason.
pub(crate) async fn submit(
    S(state): S<State>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<axum::Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    let lang = lang_of(&headers);
    auth::check_origin(&headers, state.options.secure_cookies)
        .map_err(|e| PageError::new(lang, e))?;
    let axum::Form(f) = form.map_err(|e| PageError::bad_request(lang, &e.body_text()))?;
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
    let cookie = match auth::sign_in(&state, &f.username, &f.password, addr.ip()).await {
        Ok((_, cookie)) => cookie,
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            let wait = e.retry_after.unwrap_or(1);
            let mut r = again(e.message_zh, e.message_en, StatusCode::TOO_MANY_REQUESTS)?;
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
        Err(e) => return Err(PageError::new(lang, e)),
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

#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

impl CsrfField for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /logout`: ends the session.
pub(crate) async fn logout(S(state): S<State>, p: Posted<CsrfOnly>) -> PageResult {
    state
        .app
        .end_session(&p.user.token)
        .await
        .map_err(|e| p.user.fail(e))?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                auth::clear_cookie(state.options.secure_cookies),
            ),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response())
}

/// `GET /lang?to=en|zh&next=…`: remembers the language in a cookie and goes back.
pub(crate) async fn set_lang(Params(q): Params) -> Response {
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
                    super::LANG_COOKIE
                ),
            ),
            (header::LOCATION, next),
        ],
    )
        .into_response()
}
