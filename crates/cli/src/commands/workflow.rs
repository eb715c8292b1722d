//! The workflow of a declaration from the command line: `rename`, `submit`, `return`,
//! `approve` and `adjust` (调整: a new version of an approved declaration).

use std::path::PathBuf;

use jixiao_app::AppError;

use super::{project_id, Ctx};
use crate::render;

#[derive(clap::Args)]
pub(crate) struct RenameArgs {
    /// 项目名称 / project
    project: String,
    /// 新名称 / the new name
    #[arg(long)]
    to: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
}

#[derive(clap::Args)]
pub(crate) struct SubmitArgs {
    /// 项目名称 / project
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 审核规则（有错误级意见时不能提交）/ review policy (error findings block a submit)
    #[arg(long, env = "JIXIAO_POLICY", default_value = "central")]
    policy: String,
}

#[derive(clap::Args)]
pub(crate) struct ReturnArgs {
    /// 项目名称 / project
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 审核意见 / the comment (required)
    #[arg(long)]
    comment: String,
}

#[derive(clap::Args)]
pub(crate) struct ApproveArgs {
    /// 项目名称 / project
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 审核意见 / a comment
    #[arg(long)]
    comment: Option<String>,
}

#[derive(clap::Args)]
pub(crate) struct AdjustArgs {
    /// 项目名称 / project
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 调整原因 / the reason (required)
    #[arg(long)]
    reason: String,
    /// 调整后的申报表文件（含该项目）/ the form file with the adjusted declaration
    #[arg(long)]
    file: PathBuf,
}

/// `jixiao rename`.
pub(crate) async fn rename(ctx: &Ctx, a: RenameArgs) -> Result<(), AppError> {
    let app = ctx.open().await?;
    let p = app.project(&ctx.actor, &a.project, a.year).await?;
    let change = app.rename(&ctx.actor, &p, &a.to).await?;
    out!("{}", render::change(&change, ctx.lang));
    Ok(())
}

/// `jixiao submit`.
pub(crate) async fn submit(ctx: &Ctx, a: SubmitArgs) -> Result<(), AppError> {
    let policy = jixiao_app::load_review_policy(&a.policy)?;
    let app = ctx.open().await?.with_review_policy(policy);
    let id = project_id(&app, &ctx.actor, &a.project, a.year).await?;
    let t = app.submit(&ctx.actor, id).await?;
    out!("{}", render::transition(&a.project, &t, ctx.lang));
    Ok(())
}

/// `jixiao return`.
pub(crate) async fn return_declaration(ctx: &Ctx, a: ReturnArgs) -> Result<(), AppError> {
    let app = ctx.open().await?;
    let id = project_id(&app, &ctx.actor, &a.project, a.year).await?;
    let t = app.return_declaration(&ctx.actor, id, &a.comment).await?;
    out!("{}", render::transition(&a.project, &t, ctx.lang));
    Ok(())
}

/// `jixiao approve`.
pub(crate) async fn approve(ctx: &Ctx, a: ApproveArgs) -> Result<(), AppError> {
    let app = ctx.open().await?;
    let id = project_id(&app, &ctx.actor, &a.project, a.year).await?;
    let t = app.approve(&ctx.actor, id, a.comment.as_deref()).await?;
    out!("{}", render::transition(&a.project, &t, ctx.lang));
    Ok(())
}

/// `jixiao adjust`: the declaration of the same project in the file becomes the new version.
pub(crate) async fn adjust(ctx: &Ctx, a: AdjustArgs) -> Result<(), AppError> {
    let parsed = jixiao_app::parse_file(&a.file)?;
    let app = ctx.open().await?;
    let current = app.project(&ctx.actor, &a.project, a.year).await?;
    let id = current
        .id
        .ok_or_else(|| AppError::internal("a stored project without id"))?;
    let new = jixiao_app::workflow::pick_project(&parsed.form, &current)?;
    let base = app.workflow(&ctx.actor, id).await?.current_version;
    let r = app.adjust(&ctx.actor, id, base, new, &a.reason).await?;
    out!("{}", render::saved(&r, ctx.lang));
    Ok(())
}
