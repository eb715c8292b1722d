//! 页面外观 — what every page shares: the frame (header, navigation, language switch) and
//! the formatting helpers templates call ([`Frame`], all through `jixiao_model::present`),
//! the project header and indicator table of the declaration pages ([`Head`], [`rows`]), the
//! error page, and the embedded assets ([`assets`]). Resource modules import this; it
//! imports none of them.
//!
//! Every page is Chinese first, with an English switch (the `lang` cookie, set by
//! `GET /lang?to=en&next=…`). A page without a session redirects to `/login?next=…`; what the
//! actor may not see is the 404 page because `jixiao_app` says `NotFound`. Handlers are thin:
//! the signed-in actor and the input in, one `jixiao_app` call, a template out. What a page
//! offers (the upload link, the entry forms) is what `app` says the actor may do.
//!
//! **Forms and CSRF.** Every HTML form that changes something posts the session's CSRF token
//! in the hidden field `csrf` (`crate::extract::Posted` checks it against the session, in
//! constant time, before the handler runs; a missing or wrong token is the 403 page) and
//! passes the same `Origin` check as the API. The login form, which has no session yet,
//! carries a double-submit token (a `jixiao_login_csrf` cookie equal to its hidden field).

pub mod assets;
pub mod json;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_app::{Action, AppError};
use jixiao_model::{
    present, Decimal, Finding, Grade, Indicator, Lang, Level1, Level2, NaiveDate, Observation,
    Project, Role, Status,
};

pub use crate::error::Copied;
use crate::error::{Error, Result};
use crate::extract::PageUser;

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode(s: &str) -> String {
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
pub fn local_path(next: Option<&str>) -> String {
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

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: Lang,
    failure: &'a Error,
    css: &'static str,
}

impl ErrorPage<'_> {
    fn t<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        self.lang.pick(zh, en)
    }
}

/// The error page of an error, in a language.
pub fn error_page(lang: Lang, failure: &Error) -> Response {
    let page = ErrorPage {
        lang,
        failure,
        css: assets::url("app.css"),
    };
    let mut r = match page.render() {
        Ok(html) => (failure.status, Html(html)).into_response(),
        Err(_) => (failure.status, failure.zh.clone()).into_response(),
    };
    if let Some(s) = failure.retry_after {
        if let Ok(v) = axum::http::HeaderValue::from_str(&s.to_string()) {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
    }
    r
}

/// The login page to come back to `next` from.
pub fn login_redirect(next: &str) -> Response {
    Redirect::to(&format!("/login?next={}", encode(next))).into_response()
}

/// What a page handler answers.
pub type PageResult = Result<Response>;

/// A template as the answer, or the error page if it cannot be written.
pub fn render(t: &impl Template) -> PageResult {
    render_with(StatusCode::OK, t)
}

/// A page that shows the refusal of its form, if any, with the refusal's status (422, 409 …).
pub fn render_refused(failure: Option<&Error>, t: &impl Template) -> PageResult {
    render_with(failure.map_or(StatusCode::OK, |f| f.status), t)
}

/// A template with a status (a form shown again with its errors is 422).
pub fn render_with(status: StatusCode, t: &impl Template) -> PageResult {
    match t.render() {
        Ok(html) => Ok((status, Html(html)).into_response()),
        Err(e) => Err(AppError::internal(e).into()),
    }
}

impl PageUser {
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
            may_write: a.may(Action::Write),
            may_admin: a.may(Action::Administer),
            may_review: a.may(Action::Review),
            may_edit_library: a.may(Action::EditLibrary),
        }
    }
}

/// What every page's frame shows, and the formatting helpers templates call (all through
/// `jixiao_model::present`).
#[derive(Debug, Clone)]
pub struct Frame {
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
    /// 财政 and 管理员: build, edit and import the indicator library.
    pub may_edit_library: bool,
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

    /// A measured value (an actual, a forecast) as the page's language writes it; empty for
    /// none.
    pub fn value(&self, v: &Option<jixiao_app::IndicatorValue>) -> String {
        v.as_ref()
            .map(|v| jixiao_app::value_text(v, self.lang))
            .unwrap_or_default()
    }

    /// A flag of the 监控表 or the 自评表 (something to look at), in the page's language.
    pub fn flag<'a>(&self, x: &'a jixiao_app::Flag) -> &'a str {
        self.t(&x.message_zh, &x.message_en)
    }

    /// 是否核心指标 as the tables write it: 是 / 否 (yes / no).
    pub fn core(&self, core: impl Copied<bool>) -> &'static str {
        jixiao_app::core_text(core.get(), self.lang)
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
        match jixiao_app::rule_info(id) {
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

    pub fn light(&self, l: impl Copied<jixiao_app::Light>) -> &'static str {
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

/// Today in the deployment's zone, from the system clock.
pub fn today(zone: present::Zone) -> NaiveDate {
    present::today(zone)
}

/// The day `n` days after `day` (the deadline a form offers); `day` itself past the calendar.
pub fn days_after(day: NaiveDate, n: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(jixiao_model::Datelike::num_days_from_ce(&day) + n)
        .unwrap_or(day)
}

/// A date typed into a query or form (`2024-06-30`), or an error naming the field whose
/// example is in `year` (the declaration's own: a 2025 project says `2025-06-30`).
pub fn read_date(field: &str, raw: &str, year: i32) -> Result<NaiveDate> {
    jixiao_model::parse_date(raw.trim()).map_err(|_| {
        Error::invalid(
            format!("{field}=「{raw}」不是日期，应写作 {year}-06-30"),
            format!("{field}={raw:?} is not a date; write {year}-06-30"),
        )
    })
}

/// One row of the indicator table: the 一级/二级 cells are written on the first row of their
/// group with a row span (as on the printed form), `0` elsewhere.
pub struct Row<'a> {
    pub ind: &'a Indicator,
    pub l1_span: usize,
    pub l2_span: usize,
    /// The latest current actual value, as text, with its date.
    pub actual: Option<(String, NaiveDate)>,
    pub findings: Vec<&'a Finding>,
}

/// Rows with their spans, in form order.
pub fn rows<'a>(
    p: &'a Project,
    actuals: &[Observation],
    findings: &'a [Finding],
    lang: Lang,
) -> Vec<Row<'a>> {
    let inds = &p.indicators;
    let mut out: Vec<Row> = Vec::with_capacity(inds.len());
    for (k, ind) in inds.iter().enumerate() {
        let run =
            |same: &dyn Fn(&Indicator) -> bool| inds[k..].iter().take_while(|j| same(j)).count();
        let l1_span = if k > 0 && inds[k - 1].level1 == ind.level1 {
            0
        } else {
            run(&|j: &Indicator| j.level1 == ind.level1)
        };
        let l2_span =
            if k > 0 && inds[k - 1].level1 == ind.level1 && inds[k - 1].level2 == ind.level2 {
                0
            } else {
                run(&|j: &Indicator| j.level1 == ind.level1 && j.level2 == ind.level2)
            };
        let actual = actuals
            .iter()
            .filter(|o| o.indicator == ind.code)
            .max_by_key(|o| o.date)
            .map(|o| (present::observed(&o.value, lang), o.date));
        let findings = findings
            .iter()
            .filter(|f| f.code.as_deref() == Some(ind.code.as_str()))
            .collect();
        out.push(Row {
            ind,
            l1_span,
            l2_span,
            actual,
            findings,
        });
    }
    out
}

/// What every project page shows above its tabs.
pub struct Head {
    pub id: i64,
    pub name: String,
    pub year: i32,
    pub unit: String,
    pub tab: &'static str,
}

impl Head {
    pub fn of(p: &Project, id: i64, tab: &'static str) -> Head {
        Head {
            id,
            name: p.name.clone(),
            year: p.year,
            unit: p.unit.clone(),
            tab,
        }
    }
}
