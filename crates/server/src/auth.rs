//! 会话与防护 — the session cookie, the CSRF and origin checks of state changes, and signing
//! in behind the login rate limit (counted in the database by `jixiao_app`, so that every
//! server on one database counts alike). Who may do what is not decided here (that is
//! `jixiao_app::access`); this module only establishes who is asking.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use jixiao_app::accounts::SignInRefusal;
use jixiao_app::Session;

use crate::error::ApiError;
use crate::State;

/// The session cookie's name.
pub const COOKIE: &str = "jixiao_session";

/// The header state changes must carry, equal to the session's `csrf_token`.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session token in a `Cookie` header, when there is one.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that stores a session token (HttpOnly, SameSite=Strict; Secure
/// when the server is told it runs behind TLS).
pub fn set_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        max_age.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    set_cookie("", Duration::ZERO, secure)
}

/// Whether a method changes state (and so needs the CSRF token).
pub fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a state change whose `Origin` header names another origin than the one it was
/// sent to: the scheme this server is reached by (`https` when it runs behind TLS, i.e. when
/// it marks cookies `Secure`; else `http`) and the `Host` (a browser sends `Origin` on every
/// cross-site POST; a page of plain `http` on the same host is another origin). A request
/// without `Origin` (a script, curl) passes; it still needs the CSRF token of a session.
pub fn check_origin(headers: &HeaderMap, tls: bool) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let scheme = if tls { "https" } else { "http" };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .filter(|(s, _)| s.eq_ignore_ascii_case(scheme))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match (origin_host, host) {
        (Some(o), Some(h)) if o.eq_ignore_ascii_case(h) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_origin",
            "拒绝来自其他来源（Origin）的请求",
            "a request from another origin is refused",
        )),
    }
}

/// Compares two strings in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Refuses a state change without the session's CSRF token in `X-CSRF-Token`.
pub fn check_csrf(headers: &HeaderMap, session: &Session) -> Result<(), ApiError> {
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    match sent {
        Some(t) if same_secret(t, &session.csrf_token) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "缺少或错误的 X-CSRF-Token 请求头；请用 GET /api/session 返回的 csrf_token",
            "the X-CSRF-Token header is missing or wrong; send the csrf_token of GET /api/session",
        )),
    }
}

/// A request with a live session: who asks, and the session's token. For a state change the
/// origin and the CSRF token have been checked.
#[derive(Debug, Clone)]
pub struct Authed {
    /// The session.
    pub session: Session,
    /// The cookie's token (to end the session).
    pub token: String,
}

impl FromRequestParts<State> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Authed, ApiError> {
        let token = session_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let session = state
            .app
            .session(&token)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        if changes_state(&parts.method) {
            check_origin(&parts.headers, state.options.secure_cookies)?;
            check_csrf(&parts.headers, &session)?;
        }
        Ok(Authed { session, token })
    }
}

/// 登录 — signs in behind the rate limit (per user name and per client address, in the
/// database) and starts a session: the session and its `Set-Cookie`. A wrong name or
/// password is 401, too many failed attempts 429 with `Retry-After`.
pub(crate) async fn sign_in(
    state: &State,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<(jixiao_app::NewSession, String), ApiError> {
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
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("登录失败次数过多；请 {retry_after} 秒后再试"),
                format!("too many failed logins; try again in {retry_after} s"),
            );
            e.retry_after = Some(retry_after);
            return Err(e);
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; jixiao_session=abc; b=2"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("jixiao_session="));
        assert_eq!(session_token(&h), None);
    }

    #[test]
    fn cookies_are_http_only_and_strict() {
        let c = set_cookie("t", Duration::from_secs(60), false);
        assert_eq!(
            c,
            "jixiao_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60"
        );
        assert!(set_cookie("t", Duration::from_secs(60), true).ends_with("; Secure"));
    }

    #[test]
    fn origins_must_match_the_scheme_and_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(check_origin(&h, false).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(check_origin(&h, false).is_ok());
        assert!(check_origin(&h, true).is_err());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://127.0.0.1:8080"),
        );
        assert!(check_origin(&h, true).is_ok());
        assert!(check_origin(&h, false).is_err());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert_eq!(
            check_origin(&h, true).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(check_origin(&h, false).is_err());
    }
}
