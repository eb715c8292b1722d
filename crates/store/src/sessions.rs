//! 会话 — login sessions of the web server: a token's hash, its user, its CSRF token and when
//! it expires. The store never sees a token itself, only the hash the caller computed.

use std::time::Duration;

use sqlx::Row;

use crate::org::{user_from_row, USER_SELECT};
use crate::{Store, StoreError, User};

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Who is signed in (as the users table says now: a changed role applies at once).
    pub user: User,
    /// The token state-changing requests must echo (`X-CSRF-Token`).
    pub csrf_token: String,
    /// When it ends (UTC, ISO 8601).
    pub expires_at: String,
}

pub(crate) fn at(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

impl Store {
    /// Stores a new session of `user_id` that lasts `ttl`; sessions already expired are
    /// deleted on the way. Returns when it expires (UTC, ISO 8601).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        ttl: Duration,
    ) -> Result<String, StoreError> {
        let now = chrono::Utc::now();
        let ttl = chrono::Duration::from_std(ttl).map_err(|e| StoreError::Invalid {
            zh: format!("会话时长无效：{e}"),
            en: format!("invalid session duration: {e}"),
        })?;
        let expires = at(now + ttl);
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(at(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(at(now))
        .bind(&expires)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(expires)
    }

    /// The session with this token hash, when it exists, has not expired and its user is not
    /// disabled.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let r = sqlx::query(
            "SELECT user_id, csrf_token, expires_at FROM sessions \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(at(chrono::Utc::now()))
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = r else { return Ok(None) };
        let user_id: i64 = r.try_get(0)?;
        let Some(u) = sqlx::query(&format!("{USER_SELECT} WHERE u.id = $1"))
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let user = user_from_row(&u)?;
        if user.disabled {
            return Ok(None);
        }
        Ok(Some(SessionRow {
            user,
            csrf_token: r.try_get(1)?,
            expires_at: r.try_get(2)?,
        }))
    }

    /// Ends a session (logging out); ending one that does not exist is no error.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// How many users there are (a new database has none).
    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await?
            .try_get(0)?)
    }
}
