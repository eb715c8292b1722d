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
//! - [`App::sign_in`] counts an attempt against the user name and the client address *before*
//!   the password is checked, in one statement per key in the database: parallel guesses
//!   cannot pass the limit together, and every server on the database counts alike. During a
//!   lockout even the right password is refused; after the window it works again.
//! - Password hashes are checked on the blocking pool, at most as many at once as there are
//!   cores: a flood of logins does not stall the request threads.

use std::sync::OnceLock;
use std::time::Duration;

use jixiao_model::{DeclarationId, Project, Role};
use jixiao_store::NewUser;
use sha2::{Digest, Sha256};

use crate::access::{require_role, Action, Actor};
use crate::{App, AppError, Message, Upload};

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

/// 登录限流 — how many login attempts are allowed before a lockout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failed attempts per user name within `window` (then even the right password waits).
    pub per_user: u32,
    /// Failed attempts per client address within `window`, whatever the names (one password
    /// tried against many names). Higher than `per_user`: an office shares one address.
    pub per_client: u32,
    /// The window, starting at a key's first failed attempt.
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> LoginLimits {
        LoginLimits {
            per_user: 5,
            per_client: 30,
            window: Duration::from_secs(60),
        }
    }
}

/// Why [`App::sign_in`] did not sign in.
#[derive(Debug)]
pub enum SignInRefusal {
    /// Too many failed attempts of this user name or from this address: retry after this
    /// many seconds (at least 1).
    TooMany {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// A wrong name or password ([`AppError::Unauthenticated`]), or the system failed.
    Error(AppError),
}

impl From<AppError> for SignInRefusal {
    fn from(e: AppError) -> SignInRefusal {
        SignInRefusal::Error(e)
    }
}

/// How many previewed uploads wait for their commit (kept in the database).
pub use jixiao_store::PreviewBounds;

/// The default bounds of previews: 10 per user, 256 MB in all, 30 minutes.
pub fn default_preview_bounds() -> PreviewBounds {
    PreviewBounds {
        per_user: 10,
        total_bytes: 256 * 1024 * 1024,
        ttl: Duration::from_secs(30 * 60),
    }
}

/// At most as many password checks at once as there are cores.
fn hashing() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        tokio::sync::Semaphore::new(cores)
    })
}

/// Checks a password against a PHC hash on the blocking pool (argon2 takes tens of
/// milliseconds of CPU: never on a request thread).
async fn verify_off_thread(password: &str, hash: &str) -> Result<bool, AppError> {
    let _permit = hashing()
        .acquire()
        .await
        .map_err(|e| AppError::internal(format!("password check: {e}")))?;
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .map_err(|e| AppError::internal(format!("password check: {e}")))
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
        return Err(AppError::invalid(Message::PasswordTooShort {
            chars: n,
            min: MIN_PASSWORD_CHARS,
        }));
    }
    Ok(password_auth::generate_hash(password))
}

/// The one answer to a failed login.
fn bad_login() -> AppError {
    AppError::Unauthenticated(Message::WrongLogin)
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
            return Err(AppError::invalid(Message::BadUserName {
                name: username.to_string(),
            }));
        }
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let hash = {
            let _permit = hashing()
                .acquire()
                .await
                .map_err(|e| AppError::internal(format!("password hash: {e}")))?;
            let password = password.to_string();
            tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| AppError::internal(format!("password hash: {e}")))??
        };
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
        let matches = verify_off_thread(password, hash).await?;
        match user {
            Some(u) if matches && !u.disabled && u.password_hash.is_some() => Ok(actor_of(&u)),
            _ => Err(bad_login()),
        }
    }

    /// 登录（限流）— [`App::login`] behind the rate limit of `limits`, counted per user name
    /// and per client address in the database. The attempt is counted before the password
    /// is checked; a right password takes it back (and clears the user name's count).
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        client: &str,
        limits: &LoginLimits,
    ) -> Result<Actor, SignInRefusal> {
        let user_key = format!("user:{}", username.trim().to_lowercase());
        let client_key = format!("client:{client}");
        let wait = |d: Duration| SignInRefusal::TooMany {
            retry_after: d.as_secs_f64().ceil().max(1.0) as u64,
        };
        let store = |e: jixiao_store::StoreError| SignInRefusal::Error(e.into());
        if let Some(d) = self
            .store
            .count_attempt(&user_key, limits.per_user, limits.window)
            .await
            .map_err(store)?
        {
            return Err(wait(d));
        }
        if let Some(d) = self
            .store
            .count_attempt(&client_key, limits.per_client, limits.window)
            .await
            .map_err(store)?
        {
            return Err(wait(d));
        }
        let actor = self.login(username, password).await?;
        self.store
            .clear_attempts(&user_key, limits.window)
            .await
            .map_err(store)?;
        self.store
            .uncount_attempt(&client_key)
            .await
            .map_err(store)?;
        Ok(actor)
    }

    /// Keeps an upload for its commit (after the preview) in the database, within `bounds`;
    /// the token that [`App::take_preview`] needs (only its hash is stored).
    pub async fn keep_preview(
        &self,
        actor: &Actor,
        upload: &Upload,
        bounds: PreviewBounds,
    ) -> Result<String, AppError> {
        let token = random_token()?;
        self.store
            .put_preview(
                &token_hash(&token),
                &actor.name,
                &upload.name,
                &upload.bytes,
                bounds,
            )
            .await?;
        Ok(token)
    }

    /// The upload kept under `token` for this actor, removed as it is taken; `None` when it
    /// expired, was taken already, was pushed out by newer previews, or is another user's.
    pub async fn take_preview(
        &self,
        actor: &Actor,
        token: &str,
    ) -> Result<Option<Upload>, AppError> {
        Ok(self
            .store
            .take_preview(&token_hash(token), &actor.name)
            .await?
            .map(|p| Upload::new(p.file_name, p.bytes)))
    }

    /// The upload kept under `token` for this actor, left in place (the commit takes it with
    /// [`App::take_preview`] once the import succeeded, so a refused or busy commit can be
    /// tried again); `None` as for [`App::take_preview`].
    pub async fn kept_preview(
        &self,
        actor: &Actor,
        token: &str,
    ) -> Result<Option<Upload>, AppError> {
        Ok(self
            .store
            .read_preview(&token_hash(token), &actor.name)
            .await?
            .map(|p| Upload::new(p.file_name, p.bytes)))
    }

    /// How many previews are kept, and their bytes.
    pub async fn preview_usage(&self) -> Result<(i64, i64), AppError> {
        Ok(self.store.preview_usage().await?)
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
            _ => Err(AppError::NotFound(Message::NoProjectWithId { id })),
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
