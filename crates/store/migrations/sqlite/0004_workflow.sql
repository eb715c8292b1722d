-- Schema v4: the workflow of a declaration (草稿 → 已提交 → 退回 → … → 已批准, 调整), review
-- comments, and the self-evaluation notes. Every row here is written with its audit row in the
-- same transaction (crates/store/src/workflow.rs).

-- The version last approved (NULL until a first approval). An adjustment (调整) of an approved
-- declaration makes a new current version for approval; this one stays recorded.
ALTER TABLE declarations ADD COLUMN approved_version BIGINT;

-- 审核意见: on a declaration (indicator_id NULL) or on one indicator by its stable id, with the
-- version it was written on. `transition` names the status change it came with (`returned`
-- for the comment of a return, `submitted` for an adjustment's reason …); NULL for a comment.
CREATE TABLE review_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    version BIGINT NOT NULL,
    indicator_id BIGINT REFERENCES indicators (id),
    author TEXT NOT NULL,
    written_at TEXT NOT NULL,
    body TEXT NOT NULL,
    transition TEXT
);
CREATE INDEX review_comments_declaration ON review_comments (declaration_id, id);

-- 自评说明: per indicator (indicator_id set) 偏差原因 and 改进措施; per declaration
-- (indicator_id NULL) the adjusted 全年预算数 in fen. One current row per (declaration,
-- indicator); replaced rows stay as history (is_current = 0, ended_at, ended_by).
CREATE TABLE evaluation_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    indicator_id BIGINT REFERENCES indicators (id),
    deviation_reason TEXT,
    remedy TEXT,
    annual_budget BIGINT,
    is_current BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    ended_at TEXT,
    ended_by TEXT
);
CREATE UNIQUE INDEX evaluation_notes_one_current
    ON evaluation_notes (declaration_id, COALESCE(indicator_id, 0)) WHERE is_current = 1;
