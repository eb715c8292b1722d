-- Schema v6: what the web server must share between its processes (two `jixiao serve` on one
-- database): the login rate limit and the uploads waiting between their preview and their
-- commit. Nothing of either is held only in one process's memory.

-- 登录限流: one row per key (`user:<name>` or `ip:<address>`): the attempts counted since
-- `window_start` (UTC ISO 8601 text). An attempt increments its rows in one statement
-- (INSERT … ON CONFLICT … RETURNING), so parallel guesses cannot pass the limit together.
CREATE TABLE login_limits (
    limit_key TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start TEXT NOT NULL
);
CREATE INDEX login_limits_window ON login_limits (window_start);

-- 待导入的预览: the bytes of a previewed upload, until its commit or expiry. The token's
-- SHA-256 only (the page holds the token); bounded per user and in total by the server.
CREATE TABLE previews (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    file_name TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    size BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX previews_user ON previews (username);
CREATE INDEX previews_expiry ON previews (expires_at);
