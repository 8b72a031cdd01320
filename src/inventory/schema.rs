//! The store's schema and its versioned migrations.
//!
//! The schema version is SQLite's `user_version`; `application_id` marks the file as a piimap
//! store. Migration `n` (1-based) takes a store from version `n - 1` to `n`; all pending
//! migrations run in one transaction when a store is opened.

/// `PRAGMA application_id` of piimap stores ("PIIM").
pub const APPLICATION_ID: i32 = 0x5049_494d;

/// The migrations, in order. Never edit a released one: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // v1
    "
    CREATE TABLE scans (
        id              INTEGER PRIMARY KEY,
        started_at      TEXT NOT NULL,
        finished_at     TEXT,
        targets         TEXT NOT NULL,  -- JSON array
        options         TEXT NOT NULL,  -- JSON object
        detector_set    TEXT NOT NULL,  -- fingerprint of detectors and options that shape evidence
        tool_version    TEXT NOT NULL,
        assets_read     INTEGER NOT NULL DEFAULT 0,
        assets_unchanged INTEGER NOT NULL DEFAULT 0,
        assets_removed  INTEGER NOT NULL DEFAULT 0,
        findings        INTEGER NOT NULL DEFAULT 0,
        errors          INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE assets (
        id              INTEGER PRIMARY KEY,
        source          TEXT NOT NULL,  -- file | postgres | mysql | parquet
        locator         TEXT NOT NULL,  -- path, or database.schema.table[.column]
        kind            TEXT NOT NULL,  -- file | table | column | parquet_file | parquet_column | dataset
        parent          TEXT,
        status          TEXT NOT NULL,  -- scanned | sampled | skipped | error
        reason          TEXT,
        size            INTEGER,
        modified_ns     INTEGER,        -- modification time, ns since the Unix epoch
        content_hash    TEXT,
        bytes_scanned   INTEGER,
        rows_total      INTEGER,
        rows_sampled    INTEGER,
        detector_set    TEXT NOT NULL,
        first_scan      INTEGER NOT NULL REFERENCES scans(id),
        last_seen_scan  INTEGER NOT NULL REFERENCES scans(id),
        content_scan    INTEGER NOT NULL REFERENCES scans(id),
        present         INTEGER NOT NULL DEFAULT 1,
        removed_scan    INTEGER REFERENCES scans(id),
        UNIQUE (source, locator)
    );
    CREATE INDEX assets_present ON assets(present, source);
    CREATE TABLE evidence (
        asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        detector        TEXT NOT NULL,
        category        TEXT NOT NULL,
        hits            INTEGER NOT NULL,
        distinct_hits   INTEGER NOT NULL,
        sample_size     INTEGER,
        best_confidence REAL NOT NULL,
        examples        TEXT NOT NULL,  -- JSON array of masked values
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL,
        PRIMARY KEY (asset_id, detector)
    );
    CREATE TABLE data_age (
        asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        basis           TEXT NOT NULL,  -- mtime | column:<name> | partition:<key>
        oldest          TEXT,
        newest          TEXT,
        records         INTEGER,
        PRIMARY KEY (asset_id, basis)
    );
    ",
    // v2: rows per month for data ages, so that rows older than any cutoff can be counted.
    "ALTER TABLE data_age ADD COLUMN histogram TEXT NOT NULL DEFAULT '[]';",
];

/// The schema version this build writes.
pub fn current_version() -> i32 {
    MIGRATIONS.len() as i32
}
