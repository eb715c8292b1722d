//! 上传申报表 — upload a form file (text, CSV, XLSX, JSON), see what would be imported
//! (projects, indicator counts, which existing declarations it updates, findings, warnings),
//! then commit it.
//!
//! Between the preview and the commit the uploaded bytes stay in memory under a random token
//! bound to the user, for 30 minutes (at most 200 pending uploads; the oldest go first). The
//! commit imports exactly the bytes that were previewed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Multipart, State as S};
use axum::http::StatusCode;
use axum::Extension;
use jixiao_app::preview::ImportEffect;
use jixiao_app::{AppError, ImportSummary, Upload};
use jixiao_form::{Diagnostic, Parsed};
use jixiao_model::ProjectKey;
use jixiao_review::ProjectReview;
use serde::Deserialize;

use super::{check_csrf, CsrfField, Diag, Failure, Frame, PageResult, PageUser, Posted};
use crate::State;

/// How long a previewed upload waits for its commit.
const PENDING_TTL: Duration = Duration::from_secs(30 * 60);
/// The most uploads waiting at once.
const MAX_PENDING: usize = 200;

struct Entry {
    user: String,
    upload: Upload,
    at: Instant,
}

/// Previewed uploads waiting for their commit.
#[derive(Default)]
pub(crate) struct Pending {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Pending {
    pub fn shared() -> Arc<Pending> {
        Arc::new(Pending::default())
    }

    fn put(&self, user: &str, upload: Upload) -> Result<String, AppError> {
        let token = jixiao_app::accounts::random_token()?;
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, e| e.at.elapsed() < PENDING_TTL);
        while map.len() >= MAX_PENDING {
            let Some(oldest) = map.iter().min_by_key(|(_, e)| e.at).map(|(k, _)| k.clone()) else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(
            token.clone(),
            Entry {
                user: user.to_string(),
                upload,
                at: Instant::now(),
            },
        );
        Ok(token)
    }

    /// The upload of a token, when it is this user's and has not expired; it is removed.
    fn take(&self, user: &str, token: &str) -> Option<Upload> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(token) {
            Some(e) if e.user == user && e.at.elapsed() < PENDING_TTL => {
                map.remove(token).map(|e| e.upload)
            }
            _ => None,
        }
    }
}

/// One project of a previewed file.
struct PreviewProject<'a> {
    key: ProjectKey,
    indicators: usize,
    tasks: usize,
    funds: jixiao_model::Decimal,
    /// The id of the declaration it would update, when one exists.
    existing: Option<i64>,
    review: Option<&'a ProjectReview>,
    /// What the import would do to that declaration (refusal, indicators added/changed/removed).
    effect: ImportEffect,
}

/// What importing each project of a form would do: the declaration it matches (by id, else
/// year, unit and name) and the effect decided as the import decides it.
async fn effects(
    state: &State,
    actor: &jixiao_app::Actor,
    form: &jixiao_model::Form,
) -> Result<Vec<(Option<i64>, ImportEffect)>, AppError> {
    let existing = state.app.list(actor).await?;
    let mut out = Vec::with_capacity(form.projects.len());
    for p in &form.projects {
        let key = p.key();
        let found = existing
            .iter()
            .find(|s| p.id.is_some_and(|id| id == s.id) || s.key == key);
        let effect = match found {
            Some(s) => {
                let current = state.app.project_by_id(actor, s.id).await?;
                jixiao_app::preview::import_effect(&current, s.status, p)
            }
            None => ImportEffect::default(),
        };
        out.push((found.map(|s| s.id), effect));
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "upload.html")]
struct Page<'a> {
    f: Frame,
    failure: Option<Failure>,
    file: Option<String>,
    format: String,
    encoding: String,
    projects: Vec<PreviewProject<'a>>,
    warnings: Vec<&'a Diagnostic>,
    token: Option<String>,
    done: Option<ImportSummary>,
    done_ids: Vec<(ProjectKey, Option<i64>, &'static str)>,
    /// The indicators the committed import added, changed and removed, per project.
    done_effects: Vec<(ProjectKey, ImportEffect)>,
    /// Some project would be refused: no 确认导入.
    refused: bool,
}

impl<'a> Page<'a> {
    fn empty(f: Frame) -> Page<'a> {
        Page {
            f,
            failure: None,
            file: None,
            format: String::new(),
            encoding: String::new(),
            projects: Vec::new(),
            warnings: Vec::new(),
            token: None,
            done: None,
            done_ids: Vec::new(),
            done_effects: Vec::new(),
            refused: false,
        }
    }

    fn diag_text<'b>(&self, d: &'b Diagnostic) -> &'b str {
        self.f.t(&d.zh, &d.en)
    }

    fn failure_diag<'b>(&self, d: &'b Diag) -> &'b str {
        d.text(self.f.lang)
    }

    fn finding_text<'b>(&self, x: &'b jixiao_model::Finding) -> &'b str {
        self.f.t(&x.message_zh, &x.message_en)
    }

    fn outcome(&self, what: &str) -> &'static str {
        match what {
            "added" => self.f.t("新增", "added"),
            "replaced" => self.f.t("已更新（新版本）", "updated (new version)"),
            _ => self.f.t("未变化", "unchanged"),
        }
    }
}

/// `GET /upload`.
pub(crate) async fn form(user: PageUser) -> PageResult {
    super::render(user.lang, &Page::empty(user.frame("upload")))
}

fn show_failure(user: &PageUser, failure: Failure) -> PageResult {
    let status = failure.status;
    let mut page = Page::empty(user.frame("upload"));
    page.failure = Some(failure);
    super::render_with(user.lang, status, &page)
}

/// The CSRF token and the file of the upload form.
async fn read_multipart(
    user: &PageUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    limit: usize,
) -> Result<Upload, Failure> {
    let mut multipart = multipart.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::from(crate::payload_too_large(limit))
        } else {
            Failure {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                zh: "上传须以表单（multipart/form-data）提交".into(),
                en: "an upload is sent as a form (multipart/form-data)".into(),
                diagnostics: Vec::new(),
            }
        }
    })?;
    let mut csrf = String::new();
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let status = e.status();
                return Err(Failure::from(crate::multipart_error(
                    e.body_text(),
                    status,
                    limit,
                )));
            }
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field
                    .file_name()
                    .map(str::to_string)
                    .filter(|n| !n.trim().is_empty());
                let bytes = field.bytes().await.map_err(|e| {
                    let status = e.status();
                    Failure::from(crate::multipart_error(e.body_text(), status, limit))
                })?;
                if let Some(name) = name {
                    file = Some(Upload::new(name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    // The token before anything else is looked at.
    if check_csrf(user, &csrf).is_err() {
        return Err(Failure {
            status: StatusCode::FORBIDDEN,
            zh: "表单缺少或带有错误的安全令牌（CSRF）；请刷新页面后重新提交".into(),
            en: "the form's security token (CSRF) is missing or wrong; reload the page and submit again".into(),
            diagnostics: Vec::new(),
        });
    }
    file.ok_or_else(|| Failure {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        zh: "请选择要上传的文件".into(),
        en: "choose a file to upload".into(),
        diagnostics: Vec::new(),
    })
}

/// `POST /upload` (multipart: `csrf`, `file`): the preview; nothing is imported.
pub(crate) async fn preview(
    S(state): S<State>,
    Extension(pending): Extension<Arc<Pending>>,
    user: PageUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let upload = match read_multipart(&user, multipart, state.options.body_limit).await {
        Ok(u) => u,
        Err(f) if f.status == StatusCode::FORBIDDEN => return Err(user.fail(f)),
        Err(f) => return show_failure(&user, f),
    };
    let actor = user.actor();
    let previews = match state.app.preview_import(
        actor,
        std::slice::from_ref(&upload),
        &state.options.review_policy,
    ) {
        Ok(p) => p,
        Err(e) => return show_failure(&user, Failure::from(e)),
    };
    let Some((name, parsed, report)) = previews.first() else {
        return show_failure(
            &user,
            Failure::from(AppError::internal("a preview without its file")),
        );
    };
    let Parsed {
        form,
        diagnostics,
        format,
        encoding,
        ..
    } = parsed;
    let found = effects(&state, actor, form)
        .await
        .map_err(|e| user.fail(e))?;
    let projects: Vec<PreviewProject> = form
        .projects
        .iter()
        .zip(found)
        .enumerate()
        .map(|(k, (p, (existing, effect)))| PreviewProject {
            key: p.key(),
            indicators: p.indicators.len(),
            tasks: p.tasks.len(),
            funds: p.funds.total,
            existing,
            review: report.projects.get(k),
            effect,
        })
        .collect();
    let token = pending
        .put(&actor.name, upload.clone())
        .map_err(|e| user.fail(e))?;
    let mut page = Page::empty(user.frame("upload"));
    page.file = Some(name.clone());
    page.format = format!("{format:?}").to_uppercase();
    page.encoding = format!("{encoding:?}").to_uppercase();
    page.projects = projects;
    page.warnings = diagnostics.iter().collect();
    page.refused = page.projects.iter().any(|p| p.effect.refusal.is_some());
    page.token = Some(token);
    super::render(user.lang, &page)
}

#[derive(Deserialize)]
pub(crate) struct CommitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

impl CsrfField for CommitForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /upload/commit`: imports the previewed file.
pub(crate) async fn commit(
    S(state): S<State>,
    Extension(pending): Extension<Arc<Pending>>,
    Posted { user, form }: Posted<CommitForm>,
) -> PageResult {
    let actor = user.actor();
    let Some(upload) = pending.take(&actor.name, form.token.trim()) else {
        return show_failure(
            &user,
            Failure {
                status: StatusCode::GONE,
                zh: "预览已过期或已导入；请重新上传文件".into(),
                en: "the preview expired or was imported already; upload the file again".into(),
                diagnostics: Vec::new(),
            },
        );
    };
    // What each project will do, read before the import changes it.
    let before = match state.app.preview_import(
        actor,
        std::slice::from_ref(&upload),
        &state.options.review_policy,
    ) {
        Ok(p) => p,
        Err(e) => return show_failure(&user, Failure::from(e)),
    };
    let mut done_effects = Vec::new();
    for (_, parsed, _) in &before {
        let found = effects(&state, actor, &parsed.form)
            .await
            .map_err(|e| user.fail(e))?;
        for (p, (_, e)) in parsed.form.projects.iter().zip(found) {
            done_effects.push((p.key(), e));
        }
    }
    let (summary, _) = match state.app.import(actor, std::slice::from_ref(&upload)).await {
        Ok(x) => x,
        Err(e) => return show_failure(&user, Failure::from(e)),
    };
    let list = state.app.list(actor).await.map_err(|e| user.fail(e))?;
    let id_of = |k: &ProjectKey| list.iter().find(|s| &s.key == k).map(|s| s.id);
    let mut done_ids = Vec::new();
    for (keys, what) in [
        (&summary.added, "added"),
        (&summary.replaced, "replaced"),
        (&summary.unchanged, "unchanged"),
    ] {
        for k in keys {
            done_ids.push((k.clone(), id_of(k), what));
        }
    }
    let mut page = Page::empty(user.frame("upload"));
    page.file = Some(upload.name.clone());
    page.done = Some(summary);
    page.done_ids = done_ids;
    page.done_effects = done_effects;
    super::render(user.lang, &page)
}
