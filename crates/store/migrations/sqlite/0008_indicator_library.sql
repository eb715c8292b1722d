-- Schema v8 (issue 20): the indicator library (指标库) and the links of declarations across
-- years. Every row here is written with its audit row in the same transaction
-- (crates/store/src/library.rs).

-- 指标库条目, current version. `entry_key` is scope|二级|sector/department|normalised name
-- (jixiao_model::LibraryEntry::key), unique.
CREATE TABLE library_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_key TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    sector TEXT,
    department TEXT,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    unit TEXT,
    direction TEXT NOT NULL,
    formula TEXT NOT NULL,
    data_source TEXT NOT NULL,
    scoring_rule TEXT NOT NULL,
    is_core BIGINT NOT NULL,
    typical_target TEXT,
    uses BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Every version of every entry, as the canonical JSON of a LibraryEntry.
CREATE TABLE library_entry_versions (
    entry_id BIGINT NOT NULL REFERENCES library_entries (id),
    version BIGINT NOT NULL,
    document TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (entry_id, version)
);

-- A declaration's indicator (by its stable id) points to its library entry.
CREATE TABLE indicator_library_links (
    indicator_id BIGINT PRIMARY KEY REFERENCES indicators (id),
    entry_id BIGINT NOT NULL REFERENCES library_entries (id),
    linked_at TEXT NOT NULL,
    linked_by TEXT NOT NULL
);
CREATE INDEX indicator_library_links_entry ON indicator_library_links (entry_id);

-- 上年项目: the declaration of last year that a declaration continues (history matches by this
-- link first, else by 实施单位 + 项目名称).
CREATE TABLE declaration_predecessors (
    declaration_id BIGINT PRIMARY KEY REFERENCES declarations (id),
    previous_id BIGINT NOT NULL REFERENCES declarations (id),
    linked_at TEXT NOT NULL,
    linked_by TEXT NOT NULL
);
