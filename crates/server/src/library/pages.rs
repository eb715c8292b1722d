//! 指标库页面 — the library's pages: `/library` (the entries, 共性 by 一级/二级 and 个性 by
//! sector or department, searched and filtered; for 财政 and 管理员 the buttons that build the
//! library from approved declarations, import an XLSX and export it), `/library/export.xlsx`,
//! and `/library/{id}` (one entry, its edit form for 财政, its versions and its audit trail).
//! What may be done is what `app` says (`Action::EditLibrary`); every change is `app`'s.

use askama::Template;
use axum::extract::{Multipart, Path, State as S};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::{
    filter_library, library_owner, AuditEntry, EntryDraft, LibraryBuild, LibraryQuery, LibraryWrite,
};
use jixiao_model::{Direction, Level1, Level2, LibraryEntry, LibraryScope};

use crate::error::{Error, Result};
use crate::extract::{opt, CsrfOnly, PageUser, Pairs, Params, Posted};
use crate::imports::read_multipart;
use crate::state::{AppState, State};
use crate::view::{encode, render_with, Frame, PageResult};

/// A run of entries under one heading (共性 · 产出指标 / 数量指标, or 个性 · 部门 · 二级).
pub struct Group {
    pub title: String,
    pub entries: Vec<LibraryEntry>,
}

/// What the last action on the list did.
pub enum Outcome {
    Built(LibraryBuild),
    Imported(LibraryWrite),
}

#[derive(Template)]
#[template(path = "library.html")]
struct ListPage {
    f: Frame,
    query: LibraryQuery,
    /// How many entries the library has, and how many the filters select.
    total: usize,
    shown: usize,
    groups: Vec<Group>,
    outcome: Option<Outcome>,
    failure: Option<Error>,
}

impl ListPage {
    fn scope_is(&self, s: &str) -> bool {
        self.query.scope.map(LibraryScope::id).unwrap_or_default() == s
    }

    fn level1s(&self) -> Vec<(&'static str, &'static str, bool)> {
        Level1::ALL
            .iter()
            .map(|l| (l.en(), self.f.level1(*l), self.query.level1 == Some(*l)))
            .collect()
    }

    fn direction<'a>(&self, d: &'a Direction) -> &'a str {
        direction_label(&self.f, *d)
    }
}

fn direction_label(f: &Frame, d: Direction) -> &'static str {
    f.t(
        d.zh(),
        match d {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Exact => "exact",
            Direction::Qualitative => "qualitative",
        },
    )
}

fn query_of(q: &std::collections::HashMap<String, String>) -> LibraryQuery {
    LibraryQuery {
        q: opt(q, "q").unwrap_or_default(),
        scope: opt(q, "scope").and_then(|s| LibraryScope::parse(&s)),
        level1: opt(q, "level1").and_then(|s| Level1::ALL.into_iter().find(|l| l.en() == s)),
        level2: String::new(),
        owner: opt(q, "owner").unwrap_or_default(),
    }
}

/// The entries under their headings, in the order [`filter_library`] gives them.
fn groups(f: &Frame, entries: Vec<LibraryEntry>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for e in entries {
        let kind = match e.scope {
            LibraryScope::Common => f.t("共性指标", "Common").to_string(),
            LibraryScope::Specific => {
                format!("{} · {}", f.t("个性指标", "Specific"), library_owner(&e))
            }
        };
        let title = format!("{kind} · {} / {}", f.level1(e.level1), f.level2(&e.level2));
        match out.last_mut() {
            Some(g) if g.title == title => g.entries.push(e),
            _ => out.push(Group {
                title,
                entries: vec![e],
            }),
        }
    }
    out
}

async fn list(
    state: &State,
    user: &PageUser,
    query: LibraryQuery,
    outcome: Option<Outcome>,
    failure: Option<Error>,
) -> PageResult {
    let all = state.app.library(user.actor()).await?;
    let f = user.frame("library");
    let chosen = filter_library(&all, &query);
    let status = failure.as_ref().map_or(StatusCode::OK, |x| x.status);
    render_with(
        status,
        &ListPage {
            total: all.len(),
            shown: chosen.len(),
            groups: groups(&f, chosen),
            f,
            query,
            outcome,
            failure,
        },
    )
}

/// `GET /library?q=&scope=&level1=&owner=`.
pub async fn page(S(state): AppState, user: PageUser, Params(q): Params) -> PageResult {
    list(&state, &user, query_of(&q), None, None).await
}

/// `POST /library/build`: builds (refreshes) the library from the approved declarations.
pub async fn build(S(state): AppState, Posted { user, .. }: Posted<CsrfOnly>) -> PageResult {
    let done = state.app.library_build(user.actor()).await?;
    list(
        &state,
        &user,
        LibraryQuery::default(),
        Some(Outcome::Built(done)),
        None,
    )
    .await
}

/// `POST /library/import` (multipart: `csrf`, `file`): reads an XLSX library and writes its
/// entries, all or nothing; a bad row is shown with its cell.
pub async fn import(
    S(state): AppState,
    user: PageUser,
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let upload = read_multipart(&user, multipart, state.options.body_limit).await?;
    match state.app.library_import(user.actor(), &upload).await {
        Ok(w) => {
            list(
                &state,
                &user,
                LibraryQuery::default(),
                Some(Outcome::Imported(w)),
                None,
            )
            .await
        }
        Err(e) if e.kind() == jixiao_app::ErrorKind::Invalid => {
            list(&state, &user, LibraryQuery::default(), None, Some(e.into())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /library/export.xlsx`: the library as a workbook.
pub async fn export(S(state): AppState, user: PageUser) -> Result<Response> {
    let bytes = state.app.library_export(user.actor()).await?;
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"library.xlsx\"; filename*=UTF-8''{}",
                    encode("指标库.xlsx")
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "library_entry.html")]
struct EntryPage {
    f: Frame,
    e: LibraryEntry,
    d: EntryDraft,
    versions: Vec<LibraryEntry>,
    audit: Vec<AuditEntry>,
    failure: Option<Error>,
    field_errors: Vec<(String, String)>,
    saved: bool,
}

impl EntryPage {
    fn err(&self, field: &str) -> String {
        self.field_errors
            .iter()
            .filter(|(k, _)| k == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }

    fn level2_options(&self) -> Vec<(&'static str, String, bool)> {
        Level2::KNOWN
            .iter()
            .map(|l| {
                let l1 = l.level1().unwrap_or(Level1::Output);
                (
                    l.id(),
                    format!("{} / {}", self.f.level1(l1), self.f.level2(l)),
                    self.d.level2 == l.id(),
                )
            })
            .collect()
    }

    fn directions(&self) -> Vec<(&'static str, &'static str, bool)> {
        [
            Direction::Up,
            Direction::Down,
            Direction::Exact,
            Direction::Qualitative,
        ]
        .into_iter()
        .map(|d| {
            (
                d.id(),
                direction_label(&self.f, d),
                self.d.direction == d.id(),
            )
        })
        .collect()
    }

    fn direction<'a>(&self, d: &'a Direction) -> &'a str {
        direction_label(&self.f, *d)
    }
}

fn entry_id(raw: &str) -> Result<i64> {
    raw.trim().parse().map_err(|_| {
        Error::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("指标库中没有编号为「{raw}」的条目"),
            format!("no library entry {raw:?}"),
        )
    })
}

async fn entry(
    state: &State,
    user: &PageUser,
    id: i64,
    draft: Option<EntryDraft>,
    failure: Option<Error>,
    field_errors: Vec<(String, String)>,
    saved: bool,
) -> PageResult {
    let (e, versions) = state.app.library_entry(user.actor(), id).await?;
    let audit = state.app.library_audit(user.actor(), id).await?;
    let status = failure.as_ref().map_or(StatusCode::OK, |x| x.status);
    render_with(
        status,
        &EntryPage {
            f: user.frame("library"),
            d: draft.unwrap_or_else(|| EntryDraft::of(&e)),
            e,
            versions,
            audit,
            failure,
            field_errors,
            saved,
        },
    )
}

/// `GET /library/{id}[?saved=1]`.
pub async fn entry_page(
    S(state): AppState,
    user: PageUser,
    Path(raw): Path<String>,
    Params(q): Params,
) -> PageResult {
    let id = entry_id(&raw)?;
    let saved = opt(&q, "saved").is_some();
    entry(&state, &user, id, None, None, Vec::new(), saved).await
}

/// `POST /library/{id}`: the entry's next version (财政, 管理员), edited from `version`; a
/// field that does not read, or a version someone else saved meanwhile, shows the form again
/// with what was typed.
pub async fn entry_save(
    S(state): AppState,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<Pairs>,
) -> PageResult {
    let id = entry_id(&raw)?;
    let d = EntryDraft {
        scope: form.get("scope"),
        level2: form.get("level2"),
        sector: form.get("sector"),
        department: form.get("department"),
        name: form.get("name"),
        definition: form.get("definition"),
        unit: form.get("unit"),
        direction: form.get("direction"),
        formula: form.get("formula"),
        data_source: form.get("data_source"),
        scoring_rule: form.get("scoring_rule"),
        core: !form.get("core").is_empty(),
        typical_target: form.get("typical_target"),
    };
    let version: i64 = form.get("version").trim().parse().unwrap_or(0);
    let (base, _) = state.app.library_entry(user.actor(), id).await?;
    let result = match d.read(&base) {
        Ok(next) => state
            .app
            .library_edit(user.actor(), id, version, &next)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/library/{id}?saved=1")).into_response()),
        Err(jixiao_app::AppError::Invalid(jixiao_app::Invalid::Fields(fields))) => {
            let lang = user.lang;
            let errors = fields
                .iter()
                .map(|x| (x.field.clone(), lang.pick(&x.zh, &x.en).to_string()))
                .collect();
            let failure = Error::invalid(
                format!("有 {} 处需要修改，未保存", fields.len()),
                format!("{} field(s) to fix; nothing was saved", fields.len()),
            );
            entry(&state, &user, id, Some(d), Some(failure), errors, false).await
        }
        Err(e)
            if matches!(
                e.kind(),
                jixiao_app::ErrorKind::Invalid | jixiao_app::ErrorKind::Conflict
            ) =>
        {
            entry(
                &state,
                &user,
                id,
                Some(d),
                Some(e.into()),
                Vec::new(),
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
