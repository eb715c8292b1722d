//! 账户与会话 — users who sign in: creating them, checking a password, and the sessions of
//! the web server.
//!
//! This module owns how passwords are kept (argon2id PHC strings, through the `password-auth`
//! crate) and how session tokens are made (32 random bytes from the OS, hex; the database
//! keeps only their SHA-256) — so a front end never touches a hash or a token's storage.
//!
//! **Invariants**
//! - A wrong user name, a wrong password, a disabled user and a user without a password get
//!   one and the same answer ([`AppError::Unauthenticated`]), and take about as long: no
//!   user enumeration.
//! - A session's [`Actor`] is read from the users table on every request: a changed role or a
//!   disabled user applies at once.

use std::sync::OnceLock;
use std::time::Duration;

use jixiao_model::{DeclarationId, Project, Role};
use jixiao_store::NewUser;
use sha2::{Digest, Sha256};

use crate::access::{require_role, Action, Actor};
use crate::{App, AppError};

/// How long a session lasts (8 hours, a working day).
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// 新用户 — a user to create (`jixiao user add`, the administration page to come).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// 用户名 — the login name.
    pub username: String,
    /// 角色.
    pub role: Role,
    /// 所属单位 (实施单位); created under `department` when not yet known.
    pub unit: Option<String>,
    /// 所属部门 (主管部门).
    pub department: Option<String>,
}

/// 会话 — a signed-in actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who.
    pub actor: Actor,
    /// The token every state change must send back as `X-CSRF-Token`.
    pub csrf_token: String,
    /// When it ends (UTC, ISO 8601).
    pub expires_at: String,
}

/// A session just started: the secret token for the cookie, and the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The secret the client sends back (the cookie's value); the store has only its hash.
    pub token: String,
    /// The session.
    pub session: Session,
}

/// 32 random bytes from the operating system, as 64 hex digits.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("getrandom: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The argon2id hash (PHC string) of a password, after checking it is long enough.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            format!("密码太短：{n} 个字符，至少需要 {MIN_PASSWORD_CHARS} 个"),
            format!(
                "the password is too short: {n} characters, at least {MIN_PASSWORD_CHARS} needed"
            ),
        ));
    }
    Ok(password_auth::generate_hash(password))
}

/// The one answer to a failed login.
fn bad_login() -> AppError {
    AppError::Unauthenticated {
        zh: "用户名或密码错误".into(),
        en: "wrong user name or password".into(),
    }
}

/// A hash to verify against when the user does not exist, so that the answer takes as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password_auth::generate_hash("jixiao: no such user"))
}

fn actor_of(u: &jixiao_store::User) -> Actor {
    Actor::new(
        u.username.clone(),
        u.role,
        u.unit.as_deref(),
        u.department.as_deref(),
    )
}

/// 账户与会话.
impl App {
    /// Creates a user with a password (`jixiao user add`); only an administrator may. A unit
    /// not yet known is created under the department given.
    pub async fn add_user(
        &self,
        actor: &Actor,
        account: &NewAccount,
        password: &str,
    ) -> Result<Actor, AppError> {
        require_role(actor, Action::Administer)?;
        let username = account.username.trim();
        if username.is_empty() || username.chars().any(char::is_control) {
            return Err(AppError::invalid(
                format!("用户名「{username}」无效：不能为空，也不能含控制字符"),
                format!("invalid user name {username:?}: it must not be empty or hold control characters"),
            ));
        }
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let hash = hash_password(password)?;
        let user = self
            .store
            .add_user(
                &NewUser {
                    username: username.to_string(),
                    display_name: None,
                    role: account.role,
                    unit: clean(&account.unit),
                    department: clean(&account.department),
                    password_hash: Some(hash),
                },
                &actor.name,
            )
            .await?;
        Ok(actor_of(&user))
    }

    /// Whether the database has any user yet (a new one has none).
    pub async fn has_users(&self) -> Result<bool, AppError> {
        Ok(self.store.user_count().await? > 0)
    }

    /// 登录 — checks a user name and password; the actor when they match, else
    /// [`AppError::Unauthenticated`] with one message whatever was wrong.
    pub async fn login(&self, username: &str, password: &str) -> Result<Actor, AppError> {
        let user = self.store.user(username.trim()).await?;
        let hash = user
            .as_ref()
            .and_then(|u| u.password_hash.as_deref())
            .unwrap_or_else(|| dummy_hash());
        let matches = password_auth::verify_password(password, hash).is_ok();
        match user {
            Some(u) if matches && !u.disabled && u.password_hash.is_some() => Ok(actor_of(&u)),
            _ => Err(bad_login()),
        }
    }

    /// Starts a session for an actor that [`App::login`] returned.
    pub async fn start_session(&self, actor: &Actor) -> Result<NewSession, AppError> {
        let user = self
            .store
            .user(&actor.name)
            .await?
            .filter(|u| !u.disabled)
            .ok_or_else(bad_login)?;
        let token = random_token()?;
        let csrf_token = random_token()?;
        let expires_at = self
            .store
            .create_session(&token_hash(&token), user.id, &csrf_token, SESSION_TTL)
            .await?;
        Ok(NewSession {
            token,
            session: Session {
                actor: actor_of(&user),
                csrf_token,
                expires_at,
            },
        })
    }

    /// The live session of a token, `None` when there is none (unknown, expired, ended, or
    /// its user disabled).
    pub async fn session(&self, token: &str) -> Result<Option<Session>, AppError> {
        Ok(self
            .store
            .session(&token_hash(token))
            .await?
            .map(|s| Session {
                actor: actor_of(&s.user),
                csrf_token: s.csrf_token,
                expires_at: s.expires_at,
            }))
    }

    /// 退出 — ends the session of a token.
    pub async fn end_session(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// The current version of a declaration by its id, when the actor may read it; another
    /// unit's id is [`AppError::NotFound`], exactly like an id that does not exist.
    pub async fn project_by_id(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<Project, AppError> {
        match self.store.project(id).await? {
            Some(p) if crate::access::can_read(actor, &p) => Ok(p),
            _ => Err(AppError::NotFound {
                zh: format!("未找到编号为 {id} 的项目"),
                en: format!("no project with id {id}"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_only_as_hashes() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn short_passwords_are_refused_and_hashes_are_argon2id() {
        let e = hash_password("短密码").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Invalid);
        assert!(e.to_string().contains("密码太短"), "{e}");
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(password_auth::verify_password("correct horse", &h).is_ok());
        assert!(password_auth::verify_password("wrong horse", &h).is_err());
    }
}
