-- Schema v10 (issue 20): 整改 — a finding (review, monitoring light, self-evaluation flag) turned
-- into an action with its owner, deadline, measure, evidence and progress. Every row is written
-- with its audit row in the same transaction (crates/store/src/rectification.rs). 逾期 is not
-- stored: it is read from `deadline` and the day (jixiao_model::RectificationStatus::of).
CREATE TABLE rectifications (
    id BIGSERIAL PRIMARY KEY,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    -- review | monitoring | self_evaluation
    source TEXT NOT NULL,
    -- the review rule id, the light (red, yellow) or the self-evaluation flag kind
    rule TEXT NOT NULL,
    indicator_id BIGINT REFERENCES indicators (id),
    -- the indicator's code and name, and the finding's text, as they were when opened
    indicator TEXT,
    finding_zh TEXT NOT NULL,
    finding_en TEXT NOT NULL,
    -- unit | user, and the unit's or the user's name
    owner_kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    -- YYYY-MM-DD
    deadline TEXT NOT NULL,
    measure TEXT NOT NULL,
    evidence TEXT NOT NULL,
    -- open | in_progress | done
    progress TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_by TEXT,
    closed_at TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX rectifications_declaration ON rectifications (declaration_id);
CREATE INDEX rectifications_progress ON rectifications (progress, deadline);
