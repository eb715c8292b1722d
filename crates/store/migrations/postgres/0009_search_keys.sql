-- Schema v9 (issue 20): names normalised as jixiao_model::normalize_name reads them, kept beside
-- the names so that the library's search and a project's history match in SQL instead of
-- loading every row. The store writes them with each row (crates/store/src/keys.rs fills the
-- rows written before this migration, once, on open).
ALTER TABLE declarations ADD COLUMN unit_key TEXT;
ALTER TABLE declarations ADD COLUMN name_key TEXT;
ALTER TABLE version_indicators ADD COLUMN name_key TEXT;
ALTER TABLE library_entries ADD COLUMN name_key TEXT;
CREATE INDEX declarations_project_key ON declarations (unit_key, name_key);
CREATE INDEX library_entries_name_key ON library_entries (name_key);

-- Present until the keys of the rows from before are filled (one row, removed when done).
CREATE TABLE search_keys_pending (pending BIGINT NOT NULL);
INSERT INTO search_keys_pending (pending) VALUES (1);
