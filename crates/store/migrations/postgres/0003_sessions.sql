-- Schema v3: login sessions of the web server. The cookie carries a random token; only its
-- SHA-256 (hex) is stored, so a copy of the database does not log anyone in. Times are UTC
-- ISO 8601 text (`2024-06-30T08:00:00.000Z`), which compares in time order.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
