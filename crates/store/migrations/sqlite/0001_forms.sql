-- Declared projects, versioned: a changed re-import adds a version and keeps the old one.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    added BIGINT NOT NULL,
    replaced BIGINT NOT NULL,
    unchanged BIGINT NOT NULL
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year BIGINT NOT NULL,
    unit TEXT NOT NULL,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    is_current BIGINT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES imports (id),
    title TEXT,
    department TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    funds_total TEXT NOT NULL,
    document TEXT NOT NULL,
    UNIQUE (year, unit, name, version)
);
CREATE UNIQUE INDEX projects_one_current ON projects (year, unit, name) WHERE is_current = 1;

CREATE TABLE indicators (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    code TEXT NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    name TEXT NOT NULL,
    tasks TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    raw TEXT NOT NULL,
    line BIGINT,
    PRIMARY KEY (project_id, seq)
);
CREATE INDEX indicators_code ON indicators (project_id, code);

-- 实际完成值 and 执行数, attached to the project's identity so that they survive re-imports.
CREATE TABLE observations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year BIGINT NOT NULL,
    unit TEXT NOT NULL,
    project TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT,
    evidence TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX observations_project ON observations (year, unit, project);

CREATE TABLE spending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year BIGINT NOT NULL,
    unit TEXT NOT NULL,
    project TEXT NOT NULL,
    spent_on TEXT NOT NULL,
    amount TEXT NOT NULL,
    note TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX spending_project ON spending (year, unit, project);
