//! 解析池 — parsing uploads off the request threads: at most `size` parses at once, each on
//! tokio's blocking pool. A request that cannot get a place within `wait` is answered 503
//! with `Retry-After` (the one error body), so that a few hostile files cannot hold every
//! thread while everyone else waits.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::Error;

/// Seconds a client is told to wait when the pool is busy.
const RETRY_AFTER: u32 = 5;

/// The bounded pool of parses (shared by every clone).
#[derive(Debug, Clone)]
pub struct ParsePool {
    permits: Arc<Semaphore>,
    size: usize,
    wait: Duration,
}

/// A place in the pool held outside of it (tests hold every place to see the 503).
#[derive(Debug)]
pub struct Held(#[allow(dead_code)] OwnedSemaphorePermit);

impl Default for ParsePool {
    /// Two parses at once (the machines this runs on have few cores), a 2-second wait.
    fn default() -> ParsePool {
        ParsePool::new(2, Duration::from_secs(2))
    }
}

impl ParsePool {
    /// A pool of `size` places (at least 1); a request waits at most `wait` for one.
    pub fn new(size: usize, wait: Duration) -> ParsePool {
        let size = size.max(1);
        ParsePool {
            permits: Arc::new(Semaphore::new(size)),
            size,
            wait,
        }
    }

    /// How many parses may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Takes a place without parsing, when one is free.
    pub fn try_hold(&self) -> Option<Held> {
        self.permits.clone().try_acquire_owned().ok().map(Held)
    }

    /// Runs `work` on the blocking pool once a place is free; 503 when none frees up within
    /// the wait. The place is held until `work` ends, even if the request is dropped.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
            .ok_or_else(busy)?;
        tokio::task::spawn_blocking(move || {
            let _held = permit;
            work()
        })
        .await
        .map_err(|e| Error::from(jixiao_app::AppError::internal(format!("parse: {e}"))))
    }
}

/// 503: every place of the pool is taken.
pub fn busy() -> Error {
    let mut e = Error::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        format!("服务器正忙于处理其他上传；请 {RETRY_AFTER} 秒后重试，未导入任何数据"),
        format!(
            "the server is busy with other uploads; retry in {RETRY_AFTER} s; nothing was imported"
        ),
    );
    e.retry_after = Some(RETRY_AFTER);
    e
}
