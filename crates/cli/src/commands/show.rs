//! What is stored: `list` (the projects), `show` (a project's indicator tree, its versions)
//! and `audit` (who changed what, when).

use jixiao_app::AppError;

use super::Ctx;
use crate::render;

#[derive(clap::Args)]
pub(crate) struct ShowArgs {
    /// 项目名称 / project name
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
    /// 显示全部历史版本 / list all versions
    #[arg(long)]
    versions: bool,
}

#[derive(clap::Args)]
pub(crate) struct AuditArgs {
    /// 项目名称 / project
    project: String,
    /// 年度 / year
    #[arg(long)]
    year: Option<i32>,
}

/// `jixiao list`.
pub(crate) async fn list(ctx: &Ctx) -> Result<(), AppError> {
    let app = ctx.open_read().await?;
    out!("{}", render::list(&app.list(&ctx.actor).await?, ctx.lang));
    Ok(())
}

/// `jixiao show`.
pub(crate) async fn show(ctx: &Ctx, a: ShowArgs) -> Result<(), AppError> {
    let app = ctx.open_read().await?;
    let p = app.project(&ctx.actor, &a.project, a.year).await?;
    out!("{}", render::project(&p, ctx.lang));
    if a.versions {
        outln!(
            "{}",
            if ctx.zh() {
                "\n版本："
            } else {
                "\nversions:"
            }
        );
        out!(
            "{}",
            render::versions(&app.versions(&ctx.actor, &p).await?, ctx.zone, ctx.lang)
        );
    }
    Ok(())
}

/// `jixiao audit`.
pub(crate) async fn audit(ctx: &Ctx, a: AuditArgs) -> Result<(), AppError> {
    let app = ctx.open_read().await?;
    let p = app.project(&ctx.actor, &a.project, a.year).await?;
    out!(
        "{}",
        render::audit(&app.audit(&ctx.actor, &p).await?, ctx.zone, ctx.lang)
    );
    Ok(())
}
