//! 限流与预览 — what the web server shares between its processes through the database: the
//! login rate limit's counters and the uploads waiting between their preview and their
//! commit (schema v6). Nothing here is kept in one process's memory, so two servers on one
//! database limit and commit alike.

use std::time::Duration;

use sqlx::Row;

use crate::sessions::at;
use crate::{Store, StoreError};

fn chrono_of(d: Duration) -> Result<chrono::Duration, StoreError> {
    chrono::Duration::from_std(d).map_err(|e| StoreError::Invalid {
        zh: format!("时长无效：{e}"),
        en: format!("invalid duration: {e}"),
    })
}

/// A previewed upload as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPreview {
    /// The uploaded file's name.
    pub file_name: String,
    /// Its bytes, exactly as previewed.
    pub bytes: Vec<u8>,
}

/// How many previews are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviewBounds {
    /// The most previews one user has waiting (the oldest go first).
    pub per_user: u32,
    /// The most bytes of all users' previews together (the oldest go first).
    pub total_bytes: u64,
    /// How long a preview waits for its commit.
    pub ttl: Duration,
}

impl Store {
    /// Counts one attempt against `key` within a window of `window` that starts at the key's
    /// first attempt, in one statement (parallel attempts cannot both see an old count).
    /// `Ok(None)` when this attempt is within `limit`; `Ok(Some(wait))` when it is over it,
    /// `wait` being what is left of the window.
    pub async fn count_attempt(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<Option<Duration>, StoreError> {
        let now = chrono::Utc::now();
        let window = chrono_of(window)?;
        let cutoff = at(now - window);
        let r = sqlx::query(
            "INSERT INTO login_limits (limit_key, attempts, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (limit_key) DO UPDATE SET \
               attempts = CASE WHEN login_limits.window_start <= $3 THEN 1 \
                               ELSE login_limits.attempts + 1 END, \
               window_start = CASE WHEN login_limits.window_start <= $3 THEN $2 \
                                   ELSE login_limits.window_start END \
             RETURNING attempts, window_start",
        )
        .bind(key)
        .bind(at(now))
        .bind(&cutoff)
        .fetch_one(self.pool())
        .await?;
        let attempts: i64 = r.try_get(0)?;
        if attempts <= i64::from(limit) {
            return Ok(None);
        }
        let start: String = r.try_get(1)?;
        let start = chrono::DateTime::parse_from_rfc3339(&start)
            .map_err(crate::corrupt)?
            .with_timezone(&chrono::Utc);
        let left = (start + window - now).to_std().unwrap_or(Duration::ZERO);
        Ok(Some(left))
    }

    /// Takes back one attempt of `key` (it succeeded: it does not count against the limit).
    pub async fn uncount_attempt(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE login_limits SET attempts = attempts - 1 WHERE limit_key = $1 AND attempts > 0",
        )
        .bind(key)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets the attempts of `key`, and every key whose window ended `window` ago.
    pub async fn clear_attempts(&self, key: &str, window: Duration) -> Result<(), StoreError> {
        let cutoff = at(chrono::Utc::now() - chrono_of(window)?);
        sqlx::query("DELETE FROM login_limits WHERE limit_key = $1 OR window_start <= $2")
            .bind(key)
            .bind(cutoff)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Keeps a previewed upload under a token's hash for `user`, within `bounds`: expired
    /// previews go, then this user's oldest beyond `per_user`, then everyone's oldest while the
    /// total is over `total_bytes`. A file larger than `total_bytes` alone is refused.
    pub async fn put_preview(
        &self,
        token_hash: &str,
        user: &str,
        file_name: &str,
        bytes: &[u8],
        bounds: PreviewBounds,
    ) -> Result<(), StoreError> {
        let size = bytes.len() as u64;
        if size > bounds.total_bytes {
            return Err(StoreError::Invalid {
                zh: format!(
                    "文件有 {size} 字节，超过预览可保存的 {} 字节",
                    bounds.total_bytes
                ),
                en: format!(
                    "the file has {size} bytes, more than the {} bytes previews may keep",
                    bounds.total_bytes
                ),
            });
        }
        let now = chrono::Utc::now();
        let expires = at(now + chrono_of(bounds.ttl)?);
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM previews WHERE expires_at <= $1")
            .bind(at(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO previews (token_hash, username, file_name, bytes, size, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(file_name)
        .bind(bytes.to_vec())
        .bind(size as i64)
        .bind(at(now))
        .bind(&expires)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM previews WHERE username = $1 AND id NOT IN \
             (SELECT id FROM previews WHERE username = $1 ORDER BY id DESC LIMIT $2)",
        )
        .bind(user)
        .bind(i64::from(bounds.per_user.max(1)))
        .execute(&mut *tx)
        .await?;
        loop {
            let total: i64 =
                sqlx::query("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM previews")
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
            if total as u64 <= bounds.total_bytes {
                break;
            }
            // The oldest other than this one (which fits alone).
            let gone = sqlx::query(
                "DELETE FROM previews WHERE id = \
                 (SELECT MIN(id) FROM previews WHERE token_hash <> $1)",
            )
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
            if gone.rows_affected() == 0 {
                break;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes (reads and deletes, at once) the preview of a token's hash when it is `user`'s
    /// and has not expired; `None` otherwise (twice the same commit: the second finds none).
    pub async fn take_preview(
        &self,
        token_hash: &str,
        user: &str,
    ) -> Result<Option<StoredPreview>, StoreError> {
        let r = sqlx::query(
            "DELETE FROM previews WHERE token_hash = $1 AND username = $2 AND expires_at > $3 \
             RETURNING file_name, bytes",
        )
        .bind(token_hash)
        .bind(user)
        .bind(at(chrono::Utc::now()))
        .fetch_optional(self.pool())
        .await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some(StoredPreview {
                file_name: r.try_get(0)?,
                bytes: r.try_get(1)?,
            })),
        }
    }

    /// Reads the preview of a token's hash when it is `user`'s and has not expired (it stays
    /// until [`Store::take_preview`]).
    pub async fn read_preview(
        &self,
        token_hash: &str,
        user: &str,
    ) -> Result<Option<StoredPreview>, StoreError> {
        let r = sqlx::query(
            "SELECT file_name, bytes FROM previews \
             WHERE token_hash = $1 AND username = $2 AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(user)
        .bind(at(chrono::Utc::now()))
        .fetch_optional(self.pool())
        .await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some(StoredPreview {
                file_name: r.try_get(0)?,
                bytes: r.try_get(1)?,
            })),
        }
    }

    /// How many previews are kept, and their bytes (for tests and the administrator).
    pub async fn preview_usage(&self) -> Result<(i64, i64), StoreError> {
        let r =
            sqlx::query("SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM previews")
                .fetch_one(self.pool())
                .await?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }
}
