//! 导入 — a form file (text, CSV, XLSX, JSON, PDF, DOCX, HTML, XLS) into declarations: `POST
//! /api/imports` (`?dry_run=true` previews and commits nothing) and the upload pages (`/upload`
//! shows what would be imported — projects, indicator counts, which existing declaration each
//! updates as `app` decides it, findings, warnings — and `/upload/commit` imports it).
//!
//! Between the preview and the commit the uploaded bytes wait in the database (table
//! `previews`) under a random token bound to the user, within the bounds of
//! `Options::previews` (per user and in total, 30 minutes by default): any server on the
//! database commits them, and none holds them in memory. The commit imports exactly the
//! bytes that were previewed. Parsing runs on the parse pool (a busy pool is 503 with
//! `Retry-After`).
//!
//! The same upload takes 实际完成值 rows, 执行数 rows, a 自评表 or a 监控表 (bulk entry): `app`
//! tells the kind by content and previews it by the commit's own writes, rolled back
//! ([`jixiao_app::App::bulk_import`]); the preview lists each row as new, corrected (with the
//! value before) or unchanged. A pasted block (field `paste`, tab-separated, copied from Excel
//! or WPS) is an upload of its own, named `粘贴.tsv`.

use askama::Template;
use axum::extract::{Multipart, State as S};
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use jixiao_app::preview::ImportEffect;
use jixiao_app::{
    Actor, AppError, BulkImport, BulkRow, Diagnostic, ImportSummary, Parsed, ProjectReview, Upload,
    UploadKind,
};
use jixiao_model::ProjectKey;
use serde::Deserialize;

use crate::error::{Diag, Error, Result};
use crate::extract::{check_csrf, csrf_field, form_csrf_refused, Authed, PageUser, Params, Posted};
use crate::state::{AppState, State};
use crate::view::json::{Bulk, ImportAnswer, ImportPreviewView, Imported, PreviewFile};
use crate::view::{render, render_with, Frame, PageResult};

/// The routes of imports.
pub fn router() -> Router<State> {
    Router::new()
        .route("/api/imports", post(imports_post))
        .route("/upload", get(upload_form).post(upload_preview))
        .route("/upload/commit", post(upload_commit))
}

fn multipart_error(e: impl std::fmt::Display, status: StatusCode, limit: usize) -> Error {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return Error::payload_too_large(limit);
    }
    Error::bad_request(
        format!("上传请求无法读取：{e}；应为 multipart/form-data，文件放在字段 file 中"),
        format!("the upload cannot be read: {e}; send multipart/form-data with the file in the field `file`"),
    )
}

type Multiparts = Result<Multipart, axum::extract::multipart::MultipartRejection>;

/// The fields of an upload (multipart/form-data) that a route reads: every `file` (its name
/// when one was given, and its bytes) and the text fields of the upload form.
#[derive(Default)]
struct Fields {
    files: Vec<(Option<String>, Vec<u8>)>,
    csrf: String,
    /// A block pasted from Excel or WPS: tab-separated text, an upload of its own.
    paste: String,
    /// Pasted on a project's page: what the block's columns are without a header row.
    columns: String,
    /// …the page's 项目名称 and 年度.
    project: String,
    year: String,
}

/// Reads the fields of an upload within `limit` bytes (413 beyond); `not_multipart` is the
/// refusal of a request of another content type (415).
async fn fields_of(multipart: Multiparts, limit: usize, not_multipart: Error) -> Result<Fields> {
    let mut multipart = multipart.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::payload_too_large(limit)
        } else {
            not_multipart
        }
    })?;
    let mut fields = Fields::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(fields),
            Err(e) => {
                let status = e.status();
                return Err(multipart_error(e.body_text(), status, limit));
            }
        };
        let text = match field.name() {
            Some("file") => {
                let name = field
                    .file_name()
                    .map(str::to_string)
                    .filter(|n| !n.trim().is_empty());
                let bytes = field.bytes().await.map_err(|e| {
                    let status = e.status();
                    multipart_error(e.body_text(), status, limit)
                })?;
                fields.files.push((name, bytes.to_vec()));
                continue;
            }
            Some("csrf") => &mut fields.csrf,
            Some("paste") => &mut fields.paste,
            Some("columns") => &mut fields.columns,
            Some("project") => &mut fields.project,
            Some("year") => &mut fields.year,
            _ => continue,
        };
        *text = field.text().await.unwrap_or_default();
    }
}

/// The `file` field of an API upload: exactly one.
async fn upload_of(multipart: Multiparts, limit: usize) -> Result<Upload> {
    let not_multipart = Error::unsupported_media_type(
        "导入须以 multipart/form-data 上传，文件放在字段 file 中",
        "an import is uploaded as multipart/form-data with the file in the field `file`",
    );
    let mut files = fields_of(multipart, limit, not_multipart).await?.files;
    if files.len() > 1 {
        return Err(Error::invalid(
            "只能上传一个文件（字段 file 出现了多次）",
            "upload one file (the field `file` came more than once)",
        ));
    }
    let (name, bytes) = files
        .pop()
        .ok_or_else(|| Error::invalid("上传中没有字段 file", "the upload has no field `file`"))?;
    Ok(Upload::new(name.unwrap_or_else(|| "upload".into()), bytes))
}

#[utoipa::path(post, path = "/api/imports", tag = "imports", security(("session" = [], "csrf" = [])), summary = "导入申报表 / import a form; dry_run=true previews it and commits nothing", params(("dry_run" = Option<bool>, Query)), request_body(content_type = "multipart/form-data", content = crate::openapi::UploadDoc), responses((status = 200, description = "Imported ({added, replaced, unchanged}), or the preview ({dry_run: true, files}); rows of actual values, spending, a 自评表 or a 监控表: {dry_run, kind, rows}", body = ImportAnswer), (status = 503, description = "解析池忙（Retry-After）/ the parse pool is busy; nothing was imported", body = crate::error::ErrorBody), crate::openapi::Changing))]
pub async fn imports_post(
    S(state): AppState,
    a: Authed,
    Params(q): Params,
    multipart: Multiparts,
) -> Result<Json<ImportAnswer>> {
    let dry_run = match q.get("dry_run").map(|s| s.trim()) {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") | Some("") => true,
        Some(other) => {
            return Err(Error::invalid(
                format!("参数 dry_run=「{other}」无效：应为 true 或 false"),
                format!("invalid dry_run={other:?}: give true or false"),
            ))
        }
    };
    let upload = upload_of(multipart, state.options.body_limit).await?;
    let actor = &a.session.actor;
    if let Some(b) = bulk_off_thread(&state, actor, upload.clone(), !dry_run).await? {
        return Ok(Json(ImportAnswer::Bulk(Bulk::from(&b))));
    }
    if dry_run {
        let preview = preview_off_thread(&state, actor, upload).await?;
        return Ok(Json(ImportAnswer::Preview(ImportPreviewView {
            dry_run: true,
            files: preview.iter().map(PreviewFile::from).collect(),
        })));
    }
    let (summary, parsed) = import_off_thread(&state, actor, upload).await?;
    Ok(Json(ImportAnswer::Imported(Imported::of(
        &summary, &parsed,
    ))))
}

/// Runs a use case on the parse pool (503 when it is busy): on a blocking thread that waits for
/// its database calls. The pool's error and the use case's are one [`Error`].
async fn on_pool<T: Send + 'static>(
    state: &State,
    actor: &Actor,
    work: impl AsyncFnOnce(&jixiao_app::App, &Actor) -> Result<T, AppError> + Send + 'static,
) -> Result<T> {
    let (app, actor) = (state.app.clone(), actor.clone());
    let runtime = tokio::runtime::Handle::current();
    state
        .options
        .parse_pool
        .run(move || runtime.block_on(work(&app, &actor)))
        .await?
        .map_err(Error::from)
}

/// A bulk import (实际完成值 or 执行数 rows, a 自评表, a 监控表) previewed (`commit == false`)
/// or committed; `None`: the upload holds declaration forms.
async fn bulk_off_thread(
    state: &State,
    actor: &Actor,
    upload: Upload,
    commit: bool,
) -> Result<Option<BulkImport>> {
    on_pool(state, actor, async move |app, actor| {
        app.bulk_import(actor, &upload, commit).await
    })
    .await
}

/// The preview of an upload (which declaration each project would update is decided in
/// `app`, as the commit decides it).
async fn preview_off_thread(
    state: &State,
    actor: &Actor,
    upload: Upload,
) -> Result<Vec<jixiao_app::ImportPreview>> {
    on_pool(state, actor, async move |app, actor| {
        app.preview_import(actor, std::slice::from_ref(&upload))
            .await
    })
    .await
}

/// An import, parsed and stored.
async fn import_off_thread(
    state: &State,
    actor: &Actor,
    upload: Upload,
) -> Result<(jixiao_app::ImportSummary, Vec<(String, jixiao_app::Parsed)>)> {
    on_pool(state, actor, async move |app, actor| {
        app.import(actor, std::slice::from_ref(&upload)).await
    })
    .await
}

/// What an upload holds, read on the parse pool.
enum Read {
    /// Rows of actual values or spending, a 自评表 or a 监控表: previewed, or committed.
    Bulk(BulkImport),
    /// Declaration forms, previewed.
    Forms(Vec<jixiao_app::ImportPreview>),
}

/// Reads an upload: a bulk import is run (committed when `commit`), declaration forms are
/// previewed (never imported here).
async fn read_upload(state: &State, actor: &Actor, upload: &Upload, commit: bool) -> Result<Read> {
    if let Some(b) = bulk_off_thread(state, actor, upload.clone(), commit).await? {
        return Ok(Read::Bulk(b));
    }
    let previews = preview_off_thread(state, actor, upload.clone()).await?;
    Ok(Read::Forms(previews))
}

/// The page of a bulk import: its rows previewed (with the token of the commit) or imported.
fn bulk_page(user: &PageUser, file: &str, bulk: BulkImport, token: Option<String>) -> PageResult {
    let mut page = Page::empty(user.frame("upload"));
    page.file = Some(file.to_string());
    page.bulk = Some(bulk);
    page.token = token;
    render(&page)
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

#[derive(Template)]
#[template(path = "upload.html")]
struct Page<'a> {
    f: Frame,
    failure: Option<Error>,
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
    /// Bulk entry: the rows previewed (with `token`) or imported.
    bulk: Option<BulkImport>,
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
            bulk: None,
        }
    }

    /// What a row did, or (a preview) will do: 新增, 更正（原值 …）, 未变化.
    fn row_outcome(&self, r: &BulkRow, committed: &bool) -> String {
        use jixiao_app::WriteOutcome as W;
        if *committed {
            return r.outcome.text(self.f.lang);
        }
        match &r.outcome {
            W::Added => self.f.t("新增", "new").to_string(),
            W::Corrected { was_zh, was_en } => match self.f.lang {
                jixiao_model::Lang::Zh => format!("更正，原值 {was_zh}"),
                jixiao_model::Lang::En => format!("a correction; it was {was_en}"),
            },
            _ => self
                .f
                .t("未变化：与现有值相同", "unchanged: the same value is there")
                .to_string(),
        }
    }

    fn kind_text(&self, b: &BulkImport) -> &'static str {
        b.kind.text(self.f.lang)
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
pub async fn upload_form(user: PageUser) -> PageResult {
    render(&Page::empty(user.frame("upload")))
}

/// The page of a refusal by the parse pool or the use case (503 keeps its `Retry-After`).
fn show_failure(user: &PageUser, failure: Error) -> PageResult {
    let (status, retry) = (failure.status, failure.retry_after);
    let mut page = Page::empty(user.frame("upload"));
    page.failure = Some(failure);
    let mut r = render_with(status, &page)?;
    if let Some(v) = retry.and_then(|s| header::HeaderValue::from_str(&s.to_string()).ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(r)
}

/// The CSRF token and the file of the upload form.
pub(crate) async fn read_multipart(
    user: &PageUser,
    multipart: Multiparts,
    limit: usize,
) -> Result<Upload> {
    let not_multipart = Error::unsupported_media_type(
        "上传须以表单（multipart/form-data）提交",
        "an upload is sent as a form (multipart/form-data)",
    );
    let f = fields_of(multipart, limit, not_multipart).await?;
    // The token before anything else is looked at.
    check_csrf(Some(&f.csrf), &user.session).map_err(|_| form_csrf_refused())?;
    // A file field without a name is the form's empty file input.
    let file = f
        .files
        .into_iter()
        .rev()
        .find_map(|(name, bytes)| Some(Upload::new(name?, bytes)));
    if file.is_none() && !f.paste.trim().is_empty() {
        let kind = match f.columns.as_str() {
            "actuals" => Some(UploadKind::Actuals),
            "spending" => Some(UploadKind::Spending),
            _ => None,
        };
        let project = Some(f.project.trim())
            .filter(|p| !p.is_empty())
            .map(|p| (p, f.year.trim()));
        return Ok(jixiao_app::bulk::pasted_upload(&f.paste, kind, project));
    }
    file.ok_or_else(|| Error::invalid("请选择要上传的文件", "choose a file to upload"))
}

/// `POST /upload` (multipart: `csrf`, `file`): the preview; nothing is imported.
pub async fn upload_preview(
    S(state): AppState,
    user: PageUser,
    multipart: Multiparts,
) -> PageResult {
    let upload = match read_multipart(&user, multipart, state.options.body_limit).await {
        Ok(u) => u,
        Err(f) if f.status == StatusCode::FORBIDDEN => return Err(f),
        Err(f) => return show_failure(&user, f),
    };
    let actor = user.actor();
    let previews = match read_upload(&state, actor, &upload, false).await {
        Ok(Read::Forms(p)) => p,
        Ok(Read::Bulk(b)) => {
            let bounds = state.options.previews;
            let token = state.app.keep_preview(actor, &upload, bounds).await?;
            return bulk_page(&user, &upload.name, b, Some(token));
        }
        Err(e) => return show_failure(&user, e),
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
            Error::from(AppError::internal("a preview without its file")),
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
        .await?;
    let mut page = Page::empty(user.frame("upload"));
    page.file = Some(name.clone());
    page.format = format!("{format:?}").to_uppercase();
    page.encoding = format!("{encoding:?}").to_uppercase();
    page.projects = projects;
    page.warnings = diagnostics.iter().collect();
    page.refused = page.projects.iter().any(|p| p.effect.refusal.is_some());
    page.token = Some(token);
    render(&page)
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CommitForm {
    csrf: String,
    token: String,
}

csrf_field!(CommitForm);

/// `POST /upload/commit`: imports the previewed file.
pub async fn upload_commit(
    S(state): AppState,
    Posted { user, form }: Posted<CommitForm>,
) -> PageResult {
    let actor = user.actor();
    let token = form.token.trim();
    let kept = state.app.kept_preview(actor, token).await?;
    let Some(upload) = kept else {
        return show_failure(
            &user,
            Error::new(
                StatusCode::GONE,
                "gone",
                "预览已过期或已导入；请重新上传文件",
                "the preview expired or was imported already; upload the file again",
            ),
        );
    };
    // Rows are committed here; declarations are previewed first: what each project will do,
    // decided before the import changes it (as the preview did).
    let before = match read_upload(&state, actor, &upload, true).await {
        Ok(Read::Forms(p)) => p,
        Ok(Read::Bulk(b)) => {
            // Imported: the preview is done (a second commit finds it gone).
            state.app.take_preview(actor, token).await?;
            return bulk_page(&user, &upload.name, b, None);
        }
        Err(e) => return show_failure(&user, e),
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
    let (summary, _) = match import_off_thread(&state, actor, upload).await {
        Ok(x) => x,
        Err(e) => return show_failure(&user, e),
    };
    // Imported: the preview is done (a second commit finds it gone).
    state.app.take_preview(actor, token).await?;
    let list = state.app.list(actor).await?;
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
    render(&page)
}
