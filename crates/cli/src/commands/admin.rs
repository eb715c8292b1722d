//! `jixiao user add`: accounts of the web app (the password from `JIXIAO_PASSWORD` or
//! standard input, never an argument).

use clap::{Subcommand, ValueEnum};
use jixiao_app::AppError;
use jixiao_model::Role;

use super::Ctx;

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// 新增用户；密码取自环境变量 JIXIAO_PASSWORD 或标准输入 / add a user; the password comes from JIXIAO_PASSWORD or standard input
    Add {
        /// 用户名 / user name
        name: String,
        /// 角色 / role
        #[arg(long, value_enum)]
        role: RoleArg,
        /// 所属单位（实施单位；未知时在 --department 下新建）/ unit (created under --department when new)
        #[arg(long)]
        unit: Option<String>,
        /// 所属部门（主管部门）/ department
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum RoleArg {
    Admin,
    Finance,
    Reviewer,
    Editor,
    Viewer,
}

impl RoleArg {
    fn role(self) -> Role {
        match self {
            RoleArg::Admin => Role::Admin,
            RoleArg::Finance => Role::Finance,
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Editor => Role::Editor,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

/// The password of `user add`: `JIXIAO_PASSWORD`, else the first line of standard input.
fn password_input() -> Result<String, AppError> {
    if let Ok(p) = std::env::var("JIXIAO_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        AppError::invalid(jixiao_app::Message::CannotReadPassword {
            cause: e.to_string(),
        })
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `jixiao user …`.
pub(crate) async fn user(ctx: &Ctx, command: UserCommand) -> Result<(), AppError> {
    let UserCommand::Add {
        name,
        role,
        unit,
        department,
    } = command;
    let password = password_input()?;
    let app = ctx.open().await?;
    let account = jixiao_app::NewAccount {
        username: name,
        role: role.role(),
        unit,
        department,
    };
    let user = app.add_user(&ctx.actor, &account, &password).await?;
    outln!(
        "{}",
        if ctx.zh() {
            format!("已新增用户 {}（{}）", user.name, user.role.zh())
        } else {
            format!("added user {} ({})", user.name, user.role.id())
        }
    );
    Ok(())
}
