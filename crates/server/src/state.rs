//! 状态 — what every handler shares: the use cases ([`App`], which holds the review and
//! evaluation policies it was built with) and how the server runs ([`Options`]).

use std::sync::Arc;

use jixiao_app::accounts::{LoginLimits, PreviewBounds};
use jixiao_app::App;

use crate::pool::ParsePool;

/// The largest request body accepted by default (an upload): 20 MB.
pub const DEFAULT_BODY_LIMIT: usize = 20 * 1024 * 1024;

/// The most items a page of a list holds.
pub const MAX_PER_PAGE: usize = 200;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The largest request body, in bytes.
    pub body_limit: usize,
    /// Mark the session cookie `Secure` (behind TLS); the `Origin` of a state change must
    /// then be `https://`.
    pub secure_cookies: bool,
    /// The login rate limit (per user name and per client address).
    pub login_limits: LoginLimits,
    /// How many previewed uploads wait for their commit, and how long.
    pub previews: PreviewBounds,
    /// Where uploads are parsed: at most this many at once, off the request threads.
    pub parse_pool: ParsePool,
    /// The zone every time on a page is shown in (default Asia/Shanghai, 北京时间).
    pub time_zone: jixiao_model::present::Zone,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            body_limit: DEFAULT_BODY_LIMIT,
            secure_cookies: false,
            login_limits: LoginLimits::default(),
            previews: jixiao_app::accounts::default_preview_bounds(),
            parse_pool: ParsePool::default(),
            time_zone: jixiao_model::present::DEFAULT_ZONE,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct State {
    /// The use cases.
    pub app: App,
    /// How the server runs.
    pub options: Arc<Options>,
}

/// The state as an extractor argument.
pub type AppState = axum::extract::State<State>;
