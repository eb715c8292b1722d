//! `jixiao serve`: opens the database, adds the demo data when asked, serves the web app
//! (`jixiao-server`) until Ctrl-C.

use jixiao_app::{AppError, ErrorKind, Message};

use super::Ctx;

#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// 监听地址 / address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// 在空数据库中加入演示数据（组织、每个角色一个用户、样例申报表与实际值）/ fill an empty database with demo data
    #[arg(long)]
    demo: bool,
    /// 会话 Cookie 加 Secure 标记（在 TLS 之后运行时）/ mark the session cookie Secure (behind TLS)
    #[arg(long)]
    secure_cookies: bool,
    /// 同时解析上传文件的个数（其余等待，忙时答 503）/ uploads parsed at once (others wait; 503 when busy)
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    parse_workers: u16,
}

/// `jixiao serve`.
pub(crate) async fn serve(ctx: &Ctx, a: ServeArgs) -> Result<(), AppError> {
    let bind = &a.bind;
    let addr: std::net::SocketAddr = bind.parse().map_err(|_| {
        AppError::invalid(Message::BadListenAddress {
            bind: bind.to_string(),
        })
    })?;
    let app = ctx.open().await?;
    if a.demo {
        let admin = std::env::var("JIXIAO_ADMIN_PASSWORD").ok();
        match jixiao_server::demo::seed(&app, admin.as_deref()).await {
            Ok(users) => {
                outln!("演示数据已加入 / demo data added. 用户 / users (密码只显示这一次 / passwords are shown once):");
                for u in users {
                    outln!(
                        "  {:<9} {:<8} {:<4} {}  {}",
                        u.username,
                        u.role.id(),
                        u.role.zh(),
                        u.password,
                        u.unit.or(u.department).unwrap_or_default()
                    );
                }
            }
            Err(e) if e.kind() == ErrorKind::Conflict => eprintln!("{e}"),
            Err(e) => return Err(e),
        }
    }
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        AppError::Unavailable(Message::CannotListen {
            addr: addr.to_string(),
            cause: e.to_string(),
        })
    })?;
    let shown = listener.local_addr().unwrap_or(addr);
    outln!(
        "jixiao 正在运行 / serving at http://{shown}/  （API：http://{shown}/api/openapi.json；Ctrl-C 停止 / to stop）"
    );
    let options = jixiao_server::Options {
        secure_cookies: a.secure_cookies,
        parse_pool: jixiao_server::ParsePool::new(
            usize::from(a.parse_workers),
            std::time::Duration::from_secs(2),
        ),
        time_zone: ctx.zone,
        ..Default::default()
    };
    jixiao_server::serve(listener, app, options)
        .await
        .map_err(AppError::internal)
}
