//! 页面 — the server-rendered HTML pages of the web app (askama templates under
//! `crates/server/templates/`, the stylesheet and icon under `crates/server/assets/`,
//! embedded).
//!
//! Every page is Chinese first, with an English switch (the `lang` cookie, set by
//! `GET /lang?to=en&next=…`). A page without a session redirects to `/login?next=…`; what the
//! actor may not see is the 404 page because `jixiao_app` says `NotFound`. Handlers are thin:
//! the signed-in actor and the input in, one `jixiao_app` call, a template out. No handler
//! checks a role; what a page offers (the upload link, the entry forms) is what `app` says the
//! actor may do.
//!
//! **Forms and CSRF.** Every HTML form that changes something posts the session's CSRF token
//! in the hidden field `csrf` ([`Posted`] checks it against the session, in constant time,
//! before the handler runs; a missing or wrong token is the 403 page) and passes the same
//! `Origin` check as the API. The login form, which has no session yet, carries a
//! double-submit token (a `jixiao_login_csrf` cookie equal to its hidden field).

mod actuals;
mod admin;
mod assets;
mod dashboard;
pub(crate) mod editor;
mod flow;
mod login;
mod project;
mod review;
mod summary;
mod upload;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jixiao_app::access::{require_role, Action};
use jixiao_app::{AppError, Session};
use jixiao_model::{present, Decimal, Grade, Lang, Level1, Level2, NaiveDate, Role, Status};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth;
use crate::{ApiError, State};

/// The pages' routes (merged into the API router by `crate::router`).
pub(crate) fn routes() -> Router<State> {
    Router::new()
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(favicon))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang", get(login::set_lang))
        .route("/", get(dashboard::page))
        .route("/projects/{id}", get(project::overview))
        .route("/projects/new", get(editor::new_form).post(editor::create))
        .route(
            "/projects/{id}/edit",
            get(editor::edit_form).post(editor::save),
        )
        .route("/projects/{id}/submit", post(flow::submit))
        .route("/projects/{id}/return", post(flow::give_back))
        .route("/projects/{id}/approve", post(flow::approve))
        .route("/projects/{id}/comment", post(flow::comment))
        .route("/projects/{id}/monitoring", get(project::monitoring))
        .route(
            "/projects/{id}/evaluation",
            get(project::evaluation).post(project::save_notes),
        )
        .route("/projects/{id}/history", get(project::history))
        .route(
            "/projects/{id}/actuals",
            get(actuals::page).post(actuals::record),
        )
        .route("/projects/{id}/spending", post(actuals::spend))
        .route("/projects/{id}/actuals/retract", post(actuals::retract))
        .route(
            "/projects/{id}/spending/retract",
            post(actuals::retract_spending),
        )
        .route("/upload", get(upload::form).post(upload::preview))
        .route("/upload/commit", post(upload::commit))
        .route("/review", get(review::page))
        .route("/summary", get(summary::page))
        .route("/reports/{kind}", get(summary::download))
        .route("/admin/users", get(admin::page).post(admin::add))
}

async fn favicon() -> Redirect {
    Redirect::permanent(assets::url("favicon.svg"))
}

/// The cookie holding the page language (`zh` or `en`).
pub(crate) const LANG_COOKIE: &str = "lang";

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
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
pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to go back to after signing in or switching language: only a path of this
/// site, else `/`. Refused: anything not starting with one `/` (`//host`, a scheme), any
/// backslash (`/\\host` is `//host` to a browser), any blank or control character (browsers
/// drop tabs and newlines, so `/\t/host` is `//host`). Characters beyond ASCII are
/// percent-encoded, so the answer is always a valid `Location`.
pub(crate) fn local_path(next: Option<&str>) -> String {
    let Some(n) = next else {
        return "/".to_string();
    };
    let safe = n.starts_with('/')
        && !n.starts_with("//")
        && n.len() <= 2048
        && !n
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if !safe {
        return "/".to_string();
    }
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if c.is_ascii() && c != '"' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A positioned problem shown on a page (from the error body's `diagnostics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diag {
    pub where_: String,
    pub level: String,
    pub zh: String,
    pub en: String,
    /// The row column at fault (`date`, `value`, `amount` …), for errors beside a field.
    pub column: Option<String>,
}

impl Diag {
    fn from_json(v: &Value) -> Diag {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let n = |k: &str| v.get(k).and_then(Value::as_u64);
        let mut where_ = s("source").unwrap_or_default();
        if let Some(line) = n("line") {
            where_.push_str(&format!(":{line}"));
            if let Some(col) = n("column") {
                where_.push_str(&format!(":{col}"));
            }
        }
        let column = s("column");
        if let Some(c) = &column {
            where_.push_str(&format!("（{c}）"));
        }
        Diag {
            where_,
            level: s("level").unwrap_or_else(|| "error".into()),
            zh: s("zh").unwrap_or_default(),
            en: s("en").unwrap_or_default(),
            column,
        }
    }

    /// The message in a language.
    pub fn text(&self, lang: impl Copied<Lang>) -> &str {
        lang.get().pick(&self.zh, &self.en)
    }
}

/// An error as a page sees it: the status, both messages and the positioned problems.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub zh: String,
    pub en: String,
    pub diagnostics: Vec<Diag>,
}

impl Failure {
    pub fn text(&self, lang: impl Copied<Lang>) -> &str {
        lang.get().pick(&self.zh, &self.en)
    }

    /// The message in the other language (pages show both, the page's first).
    pub fn other(&self, lang: impl Copied<Lang>) -> &str {
        lang.get().pick(&self.en, &self.zh)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        Failure {
            status: e.status,
            zh: e.message_zh,
            en: e.message_en,
            diagnostics: e.diagnostics.iter().map(Diag::from_json).collect(),
        }
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure::from(ApiError::from(e))
    }
}

/// Why a page is not shown: no session (a redirect to the login page), or an error page.
#[derive(Debug)]
pub(crate) enum PageError {
    Login { next: String },
    Page { lang: Lang, failure: Failure },
}

impl PageError {
    pub fn new(lang: Lang, failure: impl Into<Failure>) -> PageError {
        PageError::Page {
            lang,
            failure: failure.into(),
        }
    }

    fn csrf(lang: Lang) -> PageError {
        PageError::new(
            lang,
            Failure {
                status: StatusCode::FORBIDDEN,
                zh: "表单缺少或带有错误的安全令牌（CSRF）；请刷新页面后重新提交".into(),
                en: "the form's security token (CSRF) is missing or wrong; reload the page and submit again".into(),
                diagnostics: Vec::new(),
            },
        )
    }

    pub fn bad_request(lang: Lang, detail: &str) -> PageError {
        PageError::new(
            lang,
            Failure {
                status: StatusCode::BAD_REQUEST,
                zh: format!("请求无法读取：{detail}"),
                en: format!("the request cannot be read: {detail}"),
                diagnostics: Vec::new(),
            },
        )
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: Lang,
    failure: &'a Failure,
    css: &'static str,
}

impl ErrorPage<'_> {
    fn t<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        self.lang.pick(zh, en)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login { next } => {
                Redirect::to(&format!("/login?next={}", encode(&next))).into_response()
            }
            PageError::Page { lang, failure } => {
                let page = ErrorPage {
                    lang,
                    failure: &failure,
                    css: assets::url("app.css"),
                };
                match page.render() {
                    Ok(html) => (failure.status, Html(html)).into_response(),
                    Err(_) => (failure.status, failure.zh.clone()).into_response(),
                }
            }
        }
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// The error page of an error (for answers some layer wrote as plain text).
pub(crate) fn error_page(lang: Lang, e: ApiError) -> Response {
    PageError::new(lang, e).into_response()
}

/// A template as the answer, or the error page if it cannot be written.
pub(crate) fn render(lang: Lang, t: &impl Template) -> PageResult {
    render_with(lang, StatusCode::OK, t)
}

/// A template with a status (a form shown again with its errors is 422).
pub(crate) fn render_with(lang: Lang, status: StatusCode, t: &impl Template) -> PageResult {
    match t.render() {
        Ok(html) => Ok((status, Html(html)).into_response()),
        Err(e) => Err(PageError::new(lang, AppError::internal(e))),
    }
}

/// A signed-in request: the session, the language and the address asked for. For a state
/// change, the `Origin` has been checked (the CSRF token is checked by [`Posted`]).
#[derive(Debug, Clone)]
pub(crate) struct PageUser {
    pub session: Session,
    pub token: String,
    pub lang: Lang,
    /// Path and query of the request.
    pub path: String,
    /// The deployment's time zone.
    pub zone: present::Zone,
}

impl PageUser {
    pub fn actor(&self) -> &jixiao_app::Actor {
        &self.session.actor
    }

    /// An error page in the user's language.
    pub fn fail(&self, e: impl Into<Failure>) -> PageError {
        PageError::new(self.lang, e)
    }

    /// The frame of a page (header, navigation, language switch) with the tab `nav` marked.
    pub fn frame(&self, nav: &'static str) -> Frame {
        let a = self.actor();
        Frame {
            lang: self.lang,
            zone: self.zone,
            user: a.name.clone(),
            role: a.role,
            unit: a.unit.clone(),
            csrf: self.session.csrf_token.clone(),
            path: self.path.clone(),
            nav,
            may_write: require_role(a, Action::Write).is_ok(),
            may_admin: require_role(a, Action::Administer).is_ok(),
            may_review: require_role(a, Action::Review).is_ok(),
        }
    }
}

impl FromRequestParts<State> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<PageUser, PageError> {
        let lang = lang_of(&parts.headers);
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        let next = if auth::changes_state(&parts.method) {
            "/".to_string()
        } else {
            path.clone()
        };
        let Some(token) = auth::session_token(&parts.headers) else {
            return Err(PageError::Login { next });
        };
        let session = match state.app.session(&token).await {
            Ok(Some(s)) => s,
            Ok(None) => return Err(PageError::Login { next }),
            Err(e) => return Err(PageError::new(lang, e)),
        };
        if auth::changes_state(&parts.method) {
            auth::check_origin(&parts.headers, state.options.secure_cookies)
                .map_err(|e| PageError::new(lang, e))?;
        }
        Ok(PageUser {
            session,
            token,
            lang,
            path,
            zone: state.options.time_zone,
        })
    }
}

/// The query parameters of a page, or the 400 page (in both languages) when the query string
/// does not read.
pub(crate) struct Params(pub std::collections::HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Params, PageError> {
        let lang = lang_of(&parts.headers);
        match axum::extract::Query::<std::collections::HashMap<String, String>>::from_request_parts(
            parts, state,
        )
        .await
        {
            Ok(axum::extract::Query(q)) => Ok(Params(q)),
            Err(e) => Err(PageError::bad_request(lang, &e.body_text())),
        }
    }
}

/// A form that carries the CSRF token in its field `csrf`.
pub(crate) trait CsrfField {
    fn csrf(&self) -> &str;
}

/// A posted HTML form (`application/x-www-form-urlencoded`) of a signed-in user whose
/// `csrf` field equals the session's token; anything else is refused before the handler
/// runs (403, nothing changed).
pub(crate) struct Posted<T> {
    pub user: PageUser,
    pub form: T,
}

impl<T: DeserializeOwned + CsrfField + Send> FromRequest<State> for Posted<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &State) -> Result<Posted<T>, PageError> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let form = match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(f)) => f,
            Err(e) => return Err(PageError::bad_request(user.lang, &e.body_text())),
        };
        check_csrf(&user, form.csrf())?;
        Ok(Posted { user, form })
    }
}

/// Refuses a token that is not the session's.
pub(crate) fn check_csrf(user: &PageUser, sent: &str) -> Result<(), PageError> {
    let mut headers = HeaderMap::new();
    if let Ok(v) = header::HeaderValue::from_str(sent) {
        headers.insert(auth::CSRF_HEADER, v);
    }
    auth::check_csrf(&headers, &user.session).map_err(|_| PageError::csrf(user.lang))
}

/// What every page's frame shows, and the formatting helpers templates call (all through
/// `jixiao_model::present`).
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub lang: Lang,
    /// The zone times are shown in.
    pub zone: present::Zone,
    pub user: String,
    pub role: Role,
    pub unit: Option<String>,
    pub csrf: String,
    pub path: String,
    pub nav: &'static str,
    pub may_write: bool,
    pub may_admin: bool,
    pub may_review: bool,
}

impl Frame {
    /// The text of the page's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    pub fn html_lang(&self) -> &'static str {
        self.t("zh-CN", "en")
    }

    pub fn asset(&self, name: &str) -> &'static str {
        assets::url(name)
    }

    /// The link that switches the language and comes back here.
    pub fn lang_href(&self) -> String {
        let to = self.t("en", "zh");
        format!("/lang?to={to}&next={}", encode(&self.path))
    }

    /// `1,850,000.00` (under a heading that names 元).
    pub fn amount(&self, x: impl Copied<Decimal>) -> String {
        present::amount(x.get())
    }

    /// `1,850,000.00 元` / `1,850,000.00 yuan`.
    pub fn money(&self, x: impl Copied<Decimal>) -> String {
        present::money(x.get(), self.lang)
    }

    /// `2024年6月30日` / `2024-06-30`.
    pub fn date(&self, d: impl Copied<NaiveDate>) -> String {
        present::date(d.get(), self.lang)
    }

    /// `97.50%`.
    pub fn pct(&self, x: impl Copied<Decimal>) -> String {
        present::percent(x.get())
    }

    /// A review rule by its title in the page's language (`指标值表述模糊`); the id
    /// (`measurability.vague-target`) goes in the hover. An unknown id shows as it is.
    pub fn rule<'a>(&self, id: &'a str) -> &'a str {
        match jixiao_review::rule_info(id) {
            Some(r) => self.t(r.title_zh, r.title_en),
            None => id,
        }
    }

    /// A score: at least two decimals, nothing rounded away.
    pub fn num(&self, x: impl Copied<Decimal>) -> String {
        present::decimal(x.get())
    }

    /// A timestamp of the store (UTC, `2026-11-29T19:20:47Z`) as a date and time in the
    /// deployment's zone (`2026年11月30日 03:20:47`).
    pub fn at(&self, iso: &str) -> String {
        present::timestamp(iso, self.zone, self.lang)
    }

    pub fn status(&self, s: impl Copied<Status>) -> &'static str {
        let s = s.get();
        match self.lang {
            Lang::Zh => s.zh(),
            Lang::En => s.id(),
        }
    }

    pub fn grade(&self, g: impl Copied<Grade>) -> &'static str {
        let g = g.get();
        match self.lang {
            Lang::Zh => g.zh(),
            Lang::En => g.en(),
        }
    }

    pub fn grade_class(&self, g: impl Copied<Grade>) -> &'static str {
        match g.get() {
            Grade::Excellent => "grade-excellent",
            Grade::Good => "grade-good",
            Grade::Fair => "grade-fair",
            Grade::Poor => "grade-poor",
        }
    }

    pub fn role_name(&self, r: impl Copied<Role>) -> &'static str {
        let r = r.get();
        match self.lang {
            Lang::Zh => r.zh(),
            Lang::En => match r {
                Role::Admin => "administrator",
                Role::Finance => "finance",
                Role::Reviewer => "reviewer",
                Role::Editor => "editor",
                Role::Viewer => "viewer",
            },
        }
    }

    pub fn light(&self, l: impl Copied<jixiao_evaluate::Light>) -> &'static str {
        let l = l.get();
        self.t(l.zh(), l.en())
    }

    pub fn level1(&self, l: impl Copied<Level1>) -> &'static str {
        let l = l.get();
        self.t(l.zh(), l.en())
    }

    pub fn level2<'a>(&self, l: &'a Level2) -> &'a str {
        self.t(l.zh(), l.en())
    }
}

/// A value templates pass as it is or by reference (askama borrows field arguments).
pub(crate) trait Copied<T> {
    fn get(self) -> T;
}

impl<T: Copy> Copied<T> for T {
    fn get(self) -> T {
        self
    }
}

impl<T: Copy> Copied<T> for &T {
    fn get(self) -> T {
        *self
    }
}

impl<T: Copy> Copied<T> for &&T {
    fn get(self) -> T {
        **self
    }
}

/// Today in the deployment's zone, from the system clock.
pub(crate) fn today(zone: present::Zone) -> NaiveDate {
    present::today(zone)
}

/// A query value, trimmed; empty is `None`.
pub(crate) fn opt(q: &std::collections::HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The declaration id of a path, or the 404 page.
pub(crate) fn id_of(user: &PageUser, raw: &str) -> Result<i64, PageError> {
    raw.trim().parse::<i64>().map_err(|_| {
        user.fail(AppError::NotFound {
            zh: format!("未找到编号为「{raw}」的项目（编号是整数）"),
            en: format!("no project with id {raw:?} (ids are whole numbers)"),
        })
    })
}

/// A date typed into a query or form (`2024-06-30`), or an error naming the field whose
/// example is in `year` (the declaration's own: a 2025 project says `2025-06-30`).
pub(crate) fn read_date(field: &str, raw: &str, year: i32) -> Result<NaiveDate, Failure> {
    jixiao_model::parse_date(raw.trim()).map_err(|_| Failure {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        zh: format!("{field}=「{raw}」不是日期，应写作 {year}-06-30"),
        en: format!("{field}={raw:?} is not a date; write {year}-06-30"),
        diagnostics: Vec::new(),
    })
}
