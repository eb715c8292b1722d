//! 请求 — who is asking and what they sent, read once for the JSON routes and the pages alike:
//! the session cookie ([`Authed`] for the API, [`PageUser`] for a page), the CSRF and origin
//! checks of state changes, the language, the query ([`Params`]), a JSON body ([`Body`]), a
//! posted form with its CSRF field ([`Posted`]) and a declaration id of a path
//! ([`ProjectId`]). Who may do what is not decided here (that is `jixiao_app::access`); this
//! module only establishes who is asking. Every refusal is the one [`Error`].

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::Json;
use jixiao_app::{Actor, Session};
use jixiao_model::{present, Lang};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::Error;
use crate::state::State;

/// The session cookie's name.
pub const COOKIE: &str = "jixiao_session";

/// The header state changes must carry, equal to the session's `csrf_token`.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session token in a `Cookie` header, when there is one.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
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
pub fn check_origin(headers: &HeaderMap, tls: bool) -> Result<(), Error> {
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
        _ => Err(Error::forbidden(
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

/// Refuses a state change whose CSRF token (the `X-CSRF-Token` header of the API, the
/// `csrf` field of a form) is not the session's.
pub fn check_csrf(sent: Option<&str>, session: &Session) -> Result<(), Error> {
    match sent {
        Some(t) if same_secret(t, &session.csrf_token) => Ok(()),
        _ => Err(Error::forbidden(
            "csrf",
            "缺少或错误的 X-CSRF-Token 请求头；请用 GET /api/session 返回的 csrf_token",
            "the X-CSRF-Token header is missing or wrong; send the csrf_token of GET /api/session",
        )),
    }
}

/// The refusal of a form whose `csrf` field is not the session's.
pub fn form_csrf_refused() -> Error {
    Error::forbidden(
        "csrf",
        "表单缺少或带有错误的安全令牌（CSRF）；请刷新页面后重新提交",
        "the form's security token (CSRF) is missing or wrong; reload the page and submit again",
    )
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
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Authed, Error> {
        let (session, token) = session_of(parts, state).await?;
        if changes_state(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            check_csrf(sent, &session)?;
        }
        Ok(Authed { session, token })
    }
}

/// The live session of a request (and its token); for a state change the `Origin` has been
/// checked. No session is 401 (outside `/api/` the login page, see `crate::layers`).
async fn session_of(parts: &Parts, state: &State) -> Result<(Session, String), Error> {
    let token = session_token(&parts.headers).ok_or_else(Error::unauthenticated)?;
    let session = state
        .app
        .session(&token)
        .await?
        .ok_or_else(Error::unauthenticated)?;
    if changes_state(&parts.method) {
        check_origin(&parts.headers, state.options.secure_cookies)?;
    }
    Ok((session, token))
}

/// The cookie holding the page language (`zh` or `en`).
pub const LANG_COOKIE: &str = "lang";

/// A cookie of a request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
}

/// The language of a request: the `lang` cookie, Chinese unless it says `en`.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// A signed-in page request: the session, the language and the address asked for. For a
/// state change, the `Origin` has been checked (the CSRF token is checked by [`Posted`]).
#[derive(Debug, Clone)]
pub struct PageUser {
    /// The session.
    pub session: Session,
    /// The cookie's token (to end the session).
    pub token: String,
    /// The page language.
    pub lang: Lang,
    /// Path and query of the request.
    pub path: String,
    /// The deployment's time zone.
    pub zone: present::Zone,
}

impl PageUser {
    /// Who asks.
    pub fn actor(&self) -> &jixiao_app::Actor {
        &self.session.actor
    }
}

impl FromRequestParts<State> for PageUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<PageUser, Error> {
        let (session, token) = session_of(parts, state).await?;
        Ok(PageUser {
            session,
            token,
            lang: lang_of(&parts.headers),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
            zone: state.options.time_zone,
        })
    }
}

/// The query parameters, or 400 when the query string does not read.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Params, Error> {
        match Query::<HashMap<String, String>>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(Params(q)),
            Err(e) => Err(Error::bad_request(
                format!("查询参数无法读取：{}", e.body_text()),
                format!("the query string cannot be read: {}", e.body_text()),
            )),
        }
    }
}

/// A query value, trimmed; empty is `None`.
pub fn opt(q: &HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The declaration id of a path (`/projects/{id}…`), or 404 when it is not a whole number.
#[derive(Debug, Clone, Copy)]
pub struct ProjectId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ProjectId {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ProjectId, Error> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| Error::bad_request(e.body_text(), e.body_text()))?;
        project_id(&raw).map(ProjectId)
    }
}

/// A declaration id of a path, or 404 when it is not a whole number (for a posted form, whose
/// session and CSRF token are checked first).
pub fn project_id(raw: &str) -> Result<i64, Error> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| Error::no_project(raw))
}

/// A request about one declaration (`…/projects/{id}/…`), read in this order: who asks (`W`:
/// [`Authed`] for the API — no session 401, a state change's origin and CSRF token 403 — or
/// [`PageUser`] for a page), then the path's id (as [`ProjectId`]: 404 when it is not a
/// number).
pub struct On<W> {
    /// The state.
    pub state: State,
    /// Who asks.
    pub who: W,
    /// The declaration's id.
    pub id: i64,
}

/// A JSON request about one declaration (`/api/projects/{id}/…`).
pub type Api = On<Authed>;

/// A page about one declaration (`/projects/{id}/…`).
pub type PageOn = On<PageUser>;

/// Who asks, as the use cases name them.
pub trait Asking {
    /// The actor.
    fn actor(&self) -> &Actor;
}

impl Asking for Authed {
    fn actor(&self) -> &Actor {
        &self.session.actor
    }
}

impl Asking for PageUser {
    fn actor(&self) -> &Actor {
        &self.session.actor
    }
}

impl<W: Asking> On<W> {
    /// Who asks.
    pub fn actor(&self) -> &Actor {
        self.who.actor()
    }

    /// The declaration, as the actor may read it.
    pub async fn project(&self) -> Result<jixiao_model::Project, Error> {
        Ok(self.state.app.project_by_id(self.actor(), self.id).await?)
    }

    /// The declaration as its pages show it: its actuals, spending and review.
    pub async fn view(&self) -> Result<jixiao_app::ProjectView, Error> {
        Ok(self.state.app.project_view(self.actor(), self.id).await?)
    }
}

impl<W> FromRequestParts<State> for On<W>
where
    W: FromRequestParts<State, Rejection = Error> + Send,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<On<W>, Error> {
        let who = W::from_request_parts(parts, state).await?;
        let ProjectId(id) = ProjectId::from_request_parts(parts, state).await?;
        let state = state.clone();
        Ok(On { state, who, id })
    }
}

/// A form posted about one declaration (`POST /projects/{id}/…`): as [`Posted`] (the session,
/// the origin, the form's `csrf` field), then the path's id (404 when it is not a number).
pub struct PostedOn<T> {
    /// The declaration, and who posted.
    pub on: PageOn,
    /// What.
    pub form: T,
}

impl<T> PostedOn<T> {
    /// Who posted.
    pub fn user(&self) -> &PageUser {
        &self.on.who
    }
}

impl<T: DeserializeOwned + CsrfField + Send> FromRequest<State> for PostedOn<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &State) -> Result<PostedOn<T>, Error> {
        let (mut parts, body) = req.into_parts();
        let raw = Path::<String>::from_request_parts(&mut parts, state).await;
        let Posted { user, form } =
            Posted::from_request(Request::from_parts(parts, body), state).await?;
        let raw = raw.map_err(|e| Error::bad_request(e.body_text(), e.body_text()))?;
        let (state, id) = (state.clone(), project_id(&raw)?);
        let on = On {
            state,
            who: user,
            id,
        };
        Ok(PostedOn { on, form })
    }
}

/// A JSON body: 400 when it is not JSON, 415 without the JSON content type, 422 when it is
/// JSON of another shape.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Body<T>, Error> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> Error {
    let text = e.body_text();
    match e.status() {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Error::unsupported_media_type(
            "请求体应为 JSON（Content-Type: application/json）",
            "the body must be JSON (Content-Type: application/json)",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => Error::body_too_large(),
        StatusCode::UNPROCESSABLE_ENTITY => Error::invalid(
            format!("请求体的字段不符合要求：{text}"),
            format!("the body's fields are not as expected: {text}"),
        ),
        _ => Error::bad_request(
            format!("请求体不是有效的 JSON：{text}"),
            format!("the body is not valid JSON: {text}"),
        ),
    }
}

/// A form that carries the CSRF token in its field `csrf`.
pub trait CsrfField {
    /// The field's value.
    fn csrf(&self) -> &str;
}

/// A posted HTML form (`application/x-www-form-urlencoded`) of a signed-in user whose
/// `csrf` field equals the session's token; anything else is refused before the handler
/// runs (403, nothing changed).
pub struct Posted<T> {
    /// Who posted.
    pub user: PageUser,
    /// What.
    pub form: T,
}

impl<T: DeserializeOwned + CsrfField + Send> FromRequest<State> for Posted<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &State) -> Result<Posted<T>, Error> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let form = match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(f)) => f,
            Err(e) => return Err(form_unreadable(&e.body_text())),
        };
        check_csrf(Some(form.csrf()), &user.session).map_err(|_| form_csrf_refused())?;
        Ok(Posted { user, form })
    }
}

/// 400: a form or query that does not read.
pub fn form_unreadable(detail: &str) -> Error {
    Error::bad_request(
        format!("请求无法读取：{detail}"),
        format!("the request cannot be read: {detail}"),
    )
}

/// [`CsrfField`] for forms whose token is their field `csrf`.
macro_rules! csrf_field {
    ($($form:ty),+) => {$(
        impl $crate::extract::CsrfField for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    )+};
}
pub(crate) use csrf_field;

/// A form with nothing but its CSRF token (log out).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

csrf_field!(CsrfOnly);

/// A posted form as its pairs, in order (repeated names allowed: the sub-task checkboxes).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    /// The first value of a name (empty when absent).
    pub fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of a name.
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// How many rows of a kind (`ind_name_`, `task_title_`): one past the highest index.
    pub fn rows(&self, prefix: &str) -> usize {
        self.0
            .iter()
            .filter_map(|(n, _)| n.strip_prefix(prefix)?.parse::<usize>().ok())
            .map(|k| k + 1)
            .max()
            .unwrap_or(0)
            .min(500)
    }
}

impl CsrfField for Pairs {
    fn csrf(&self) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
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
