-- Schema v2: declarations with stable ids; versions, tasks and indicators as rows (the source of
-- truth; canonical JSON is derived from them); money in integer fen; actual values keyed by
-- (indicator id, period) and spending by (declaration, date, voucher or note), each with history;
-- the org tree, users, a workflow status per declaration and the audit table.
-- The v1 tables are renamed legacy_*; the store converts their rows when it opens the database
-- (crates/store/src/legacy.rs) and drops them, in one transaction.
ALTER TABLE projects RENAME TO legacy_projects;
ALTER TABLE indicators RENAME TO legacy_indicators;
ALTER TABLE observations RENAME TO legacy_observations;
ALTER TABLE spending RENAME TO legacy_spending;

-- 主管部门 → 实施单位.
CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    department_id BIGINT REFERENCES departments (id),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    department_id BIGINT REFERENCES departments (id),
    password_hash TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- A declaration (申报项目): its identity survives versions, re-imports and renames.
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year BIGINT NOT NULL,
    unit TEXT NOT NULL,
    name TEXT NOT NULL,
    department TEXT,
    status TEXT NOT NULL,
    current_version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, unit, name)
);

CREATE TABLE declaration_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    version BIGINT NOT NULL,
    import_id BIGINT REFERENCES imports (id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    title TEXT,
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    nature TEXT,
    category TEXT,
    department TEXT,
    unit TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    funds_total BIGINT NOT NULL,
    funds_fiscal BIGINT NOT NULL,
    funds_carryover BIGINT NOT NULL,
    funds_other BIGINT NOT NULL,
    project_funds_total BIGINT,
    project_funds_fiscal BIGINT,
    project_funds_other BIGINT,
    overall_goal TEXT NOT NULL,
    annual_goal TEXT NOT NULL,
    -- The version's canonical JSON, written from the same Project as this row, its tasks and
    -- its version_indicators, in the same INSERT transaction. Versions never change, so it is
    -- a read cache for whole-form reads (export, check --all); Store::verify_documents
    -- rebuilds every version from the rows and compares.
    document TEXT NOT NULL,
    UNIQUE (declaration_id, version)
);

CREATE TABLE tasks (
    version_id BIGINT NOT NULL REFERENCES declaration_versions (id),
    no BIGINT NOT NULL,
    area TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (version_id, no)
);

-- An indicator's identity across the versions of its declaration.
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    created_version BIGINT NOT NULL
);
CREATE INDEX indicators_declaration ON indicators (declaration_id);

-- An indicator as one version declares it; `code` (1.1.3) is a display label.
CREATE TABLE version_indicators (
    version_id BIGINT NOT NULL REFERENCES declaration_versions (id),
    seq BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    code TEXT NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    name TEXT NOT NULL,
    tasks TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    raw TEXT NOT NULL,
    line BIGINT,
    PRIMARY KEY (version_id, seq),
    UNIQUE (version_id, indicator_id)
);
CREATE INDEX version_indicators_indicator ON version_indicators (indicator_id);

-- 实际完成值: one current row per (indicator, period); replaced and retracted rows stay as history.
CREATE TABLE actual_values (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    period TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT,
    evidence TEXT,
    source TEXT,
    is_current BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    ended_at TEXT,
    ended_by TEXT,
    end_reason TEXT
);
CREATE UNIQUE INDEX actual_values_one_current ON actual_values (indicator_id, period) WHERE is_current = 1;

-- 执行数 in fen: one current row per (declaration, date, voucher or note).
CREATE TABLE spending_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    spent_on TEXT NOT NULL,
    record_key TEXT NOT NULL,
    voucher TEXT,
    note TEXT,
    amount BIGINT NOT NULL,
    source TEXT,
    is_current BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    ended_at TEXT,
    ended_by TEXT,
    end_reason TEXT
);
CREATE UNIQUE INDEX spending_records_one_current ON spending_records (declaration_id, spent_on, record_key) WHERE is_current = 1;
CREATE INDEX spending_records_declaration ON spending_records (declaration_id);

-- 操作记录: every change, written in the transaction that makes it.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    happened_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    declaration_id BIGINT,
    summary TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT
);
CREATE INDEX audit_declaration ON audit (declaration_id, id);
