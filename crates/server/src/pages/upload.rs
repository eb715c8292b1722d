//! 上传申报表 — upload a form file (XLSX, XLS, PDF, DOCX, HTML, text, CSV, JSON: whatever
//! `jixiao_form::read_form` reads), see what would be imported
//! (projects, indicator counts, which existing declarations it updates, findings, warnings),
//! then commit it.
//!
//! Between the preview and the commit the uploaded bytes wait in the database (table
//! `previews`) under a random token bound to the user, within the bounds of
//! `Options::previews` (per user and in total, 30 minutes by default): any server on the
//! database commits them, and none holds them in memory. The commit imports exactly the
//! bytes that were previewed. Parsing runs on the parse pool (a busy pool is the 503 page
//! with `Retry-After`).

use askama::Template;
use axum::extract::{Multipart, State as S};
use axum::http::{header, StatusCode};
use jixiao_app::preview::ImportEffect;
use jixiao_app::{AppError, ImportSummary, Upload};
use jixiao_form::{Diagnostic, Parsed};
use jixiao_model::ProjectKey;
use jixiao_review::ProjectReview;
use serde::Deserialize;

use super::{check_csrf, CsrfField, Diag, Failure, Frame, PageResult, PageUser, Posted};
use crate::{ApiError, State};

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

/// The page of a refusal by the parse pool or the use case (503 keeps its `Retry-After`).
fn show_error(user: &PageUser, e: ApiError) -> PageResult {
    let retry = e.retry_after;
    let mut r = show_failure(user, Failure::from(e))?;
    if let Some(v) = retry.and_then(|s| header::HeaderValue::from_str(&s.to_string()).ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(r)
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
    user: PageUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let upload = match read_multipart(&user, multipart, state.options.body_limit).await {
        Ok(u) => u,
        Err(f) if f.status == StatusCode::FORBIDDEN => return Err(user.fail(f)),
        Err(f) => return show_failure(&user, f),
    };
    let actor = user.actor();
    let previews = match crate::preview_off_thread(&state, actor, upload.clone()).await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return show_failure(&user, Failure::from(e)),
        Err(e) => return show_error(&user, e),
    };
    let Some(jixiao_app::ImportPreview {
        name,
        parsed,
        review: report,
        updates,
        effects,
    }) = previews.first()
    else {
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
    let projects: Vec<PreviewProject> = form
        .projects
        .iter()
        .enumerate()
        .map(|(k, p)| PreviewProject {
            key: p.key(),
            indicators: p.indicators.len(),
            tasks: p.tasks.len(),
            funds: p.funds.total,
            // Which declaration it updates, and what it does to it, as the import decides.
            existing: updates.get(k).copied().flatten(),
            review: report.projects.get(k),
            effect: effects.get(k).cloned().unwrap_or_default(),
        })
        .collect();
    let token = state
        .app
        .keep_preview(actor, &upload, state.options.previews)
        .await
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
    Posted { user, form }: Posted<CommitForm>,
) -> PageResult {
    let actor = user.actor();
    let token = form.token.trim();
    let kept = state
        .app
        .kept_preview(actor, token)
        .await
        .map_err(|e| user.fail(e))?;
    let Some(upload) = kept else {
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
    // What each project will do, decided before the import changes it (as the preview did).
    let before = match crate::preview_off_thread(&state, actor, upload.clone()).await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return show_failure(&user, Failure::from(e)),
        Err(e) => return show_error(&user, e),
    };
    let done_effects: Vec<(ProjectKey, ImportEffect)> = before
        .iter()
        .flat_map(|p| {
            p.parsed
                .form
                .projects
                .iter()
                .map(|x| x.key())
                .zip(p.effects.iter().cloned())
        })
        .collect();
    let name = upload.name.clone();
    let (summary, _) = match crate::import_off_thread(&state, actor, upload).await {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return show_failure(&user, Failure::from(e)),
        Err(e) => return show_error(&user, e),
    };
    // Imported: the preview is done (a second commit finds it gone).
    state
        .app
        .take_preview(actor, token)
        .await
        .map_err(|e| user.fail(e))?;
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
    page.file = Some(name);
    page.done = Some(summary);
    page.done_ids = done_ids;
    page.done_effects = done_effects;
    super::render(user.lang, &page)
}
