//! The inventory: every scan recorded in an embedded SQLite store, so that scans accumulate,
//! re-runs can be incremental, and reconciliation works from what is known.
//!
//! The store holds scans, assets (files, and later tables, columns and Parquet datasets) with
//! their status, per-asset-per-detector evidence (counts, distinct counts, best confidence,
//! masked examples, first and last seen) and data-age facts. Raw values are never stored:
//! distinct values are counted during the scan with keyed hashes whose key lives only in
//! memory ([`crate::finding::fingerprint`]).
//!
//! The current inventory is the set of assets marked present: an asset drops out when a later
//! scan of its target finds it deleted.

mod record;
mod schema;

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::{Error, Result};

pub use crate::source::Stamp;
pub use record::Recorder;
pub use schema::current_version;

/// Default store file name.
pub const DEFAULT_STORE: &str = "piimap.db";

/// How an asset was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetStatus {
    /// Read completely.
    Scanned,
    /// Read in part (a sample of rows).
    Sampled,
    /// Deliberately not read (binary, link, unsupported).
    Skipped,
    /// Reading failed; findings made before the failure are kept.
    Error,
}

impl AssetStatus {
    fn as_str(self) -> &'static str {
        match self {
            AssetStatus::Scanned => "scanned",
            AssetStatus::Sampled => "sampled",
            AssetStatus::Skipped => "skipped",
            AssetStatus::Error => "error",
        }
    }

    fn parse(s: &str) -> AssetStatus {
        match s {
            "scanned" => AssetStatus::Scanned,
            "sampled" => AssetStatus::Sampled,
            "skipped" => AssetStatus::Skipped,
            _ => AssetStatus::Error,
        }
    }
}

/// What one detector found in one asset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Detector id.
    pub detector: String,
    /// Category key.
    pub category: String,
    /// Findings.
    pub hits: u64,
    /// Distinct values among them (counted with keyed hashes; a lower bound past 1 M).
    pub distinct_hits: u64,
    /// Values examined (rows sampled for columns); absent for files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u64>,
    /// Highest confidence.
    pub best_confidence: f32,
    /// A few masked values.
    pub examples: Vec<String>,
    /// When this detector first found something in this asset (RFC 3339).
    pub first_seen: String,
    /// When it last did.
    pub last_seen: String,
}

/// How old the data of an asset is, by one basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataAge {
    /// `mtime`, `column:<name>` or `partition:<key>`.
    pub basis: String,
    /// Oldest record (RFC 3339 timestamp or ISO date).
    pub oldest: Option<String>,
    /// Newest record.
    pub newest: Option<String>,
    /// Records the range covers, when known.
    pub records: Option<u64>,
    /// Records per month (`YYYY-MM`), oldest first, when known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub histogram: Vec<(String, u64)>,
}

impl DataAge {
    /// Records dated before `cutoff` (ISO date), counted from the monthly histogram: months
    /// that end before the cutoff count whole; the cutoff's own month does not count. `None`
    /// without a histogram.
    pub fn records_before(&self, cutoff: &str) -> Option<u64> {
        if self.histogram.is_empty() {
            return None;
        }
        let cutoff_month = cutoff.get(..7)?;
        Some(
            self.histogram
                .iter()
                .filter(|(month, _)| month.as_str() < cutoff_month)
                .map(|(_, n)| n)
                .sum(),
        )
    }
}

/// One asset as recorded by a scan.
#[derive(Debug, Clone)]
pub struct AssetRecord {
    /// `file`, `postgres`, `mysql` or `parquet`.
    pub source: String,
    /// Path, or `database.schema.table[.column]`.
    pub locator: String,
    /// `file`, `table`, `column`, `parquet_file`, `parquet_column` or `dataset`.
    pub kind: String,
    /// The containing asset (a column's table), if any.
    pub parent: Option<String>,
    /// How it was handled.
    pub status: AssetStatus,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    /// Size, modification time and hash, for files.
    pub stamp: Option<Stamp>,
    /// Bytes of text scanned.
    pub bytes_scanned: u64,
    /// Rows in the table or dataset, when known.
    pub rows_total: Option<u64>,
    /// Rows read, when sampled.
    pub rows_sampled: Option<u64>,
    /// What each detector found (`first_seen`/`last_seen` are set by the store).
    pub evidence: Vec<Evidence>,
    /// Data-age facts.
    pub ages: Vec<DataAge>,
}

/// One asset of the current inventory, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryAsset {
    /// `file`, `postgres`, `mysql` or `parquet`.
    pub source: String,
    /// Path or `database.schema.table[.column]`.
    pub locator: String,
    /// Asset kind.
    pub kind: String,
    /// Containing asset.
    pub parent: Option<String>,
    /// Status at its last scan.
    pub status: AssetStatus,
    /// Reason for a skip or error.
    pub reason: Option<String>,
    /// Modification time (files), RFC 3339.
    pub modified: Option<String>,
    /// Size in bytes (files).
    pub size: Option<u64>,
    /// Rows in total and sampled (tables, columns).
    pub rows_total: Option<u64>,
    /// Rows read.
    pub rows_sampled: Option<u64>,
    /// When its content was last read (RFC 3339).
    pub content_scanned_at: String,
    /// Evidence per detector.
    pub evidence: Vec<Evidence>,
    /// Data-age facts.
    pub ages: Vec<DataAge>,
}

/// One recorded scan.
#[derive(Debug, Clone, Serialize)]
pub struct ScanRecord {
    /// Scan id.
    pub id: i64,
    /// Start, RFC 3339.
    pub started_at: String,
    /// End, RFC 3339 (absent if the scan did not finish).
    pub finished_at: Option<String>,
    /// Targets.
    pub targets: Vec<String>,
    /// Assets whose content was read.
    pub assets_read: u64,
    /// Assets found unchanged and not re-read.
    pub assets_unchanged: u64,
    /// Assets found deleted.
    pub assets_removed: u64,
    /// Findings made.
    pub findings: u64,
    /// Errors met.
    pub errors: u64,
}

/// Totals of a scan, written when it finishes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanTotals {
    /// Assets whose content was read.
    pub read: u64,
    /// Assets not re-read.
    pub unchanged: u64,
    /// Assets marked deleted.
    pub removed: u64,
    /// Findings.
    pub findings: u64,
    /// Errors.
    pub errors: u64,
}

/// What is known of a file from earlier scans (for incremental scans).
pub type KnownFiles = HashMap<String, Stamp>;

/// An open inventory store.
pub struct Store {
    conn: Connection,
    path: String,
    in_transaction: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens the store at `path`, creating it if missing and migrating it if older. Fails
    /// with a clear message for a file that is not a piimap store or that a newer piimap
    /// wrote.
    pub fn open(path: &Path) -> Result<Store> {
        let display = path.display().to_string();
        let err = |message: String| Error::Store {
            path: display.clone(),
            message,
        };
        let conn = Connection::open(path).map_err(|e| err(format!("cannot open: {e}")))?;
        let mut store = Store {
            conn,
            path: display.clone(),
            in_transaction: false,
        };
        store.prepare().map_err(|e| match e {
            Error::Store { .. } => e,
            other => err(other.to_string()),
        })?;
        Ok(store)
    }

    fn sql_err(&self, e: rusqlite::Error) -> Error {
        let message = match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                "not an SQLite database (is this a piimap store?)".to_string()
            }
            _ => e.to_string(),
        };
        Error::Store {
            path: self.path.clone(),
            message,
        }
    }

    fn prepare(&mut self) -> Result<()> {
        let pragma = |conn: &Connection, name: &str| -> rusqlite::Result<i32> {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        };
        let app = pragma(&self.conn, "application_id").map_err(|e| self.sql_err(e))?;
        let version = pragma(&self.conn, "user_version").map_err(|e| self.sql_err(e))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| self.sql_err(e))?;
        let fail = |message: String| Error::Store {
            path: self.path.clone(),
            message,
        };
        if app != schema::APPLICATION_ID && (app != 0 || tables > 0) {
            return Err(fail(
                "this SQLite database is not a piimap store (refusing to change it)".into(),
            ));
        }
        let current = schema::current_version();
        if version > current {
            return Err(fail(format!(
                "written by a newer piimap (schema v{version}; this build reads up to v{current}): upgrade piimap or use another --store"
            )));
        }
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .map_err(|e| self.sql_err(e))?;
        if version < current {
            let tx = self.conn.transaction().map_err(|e| Error::Store {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
            for (i, m) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(m).map_err(|e| Error::Store {
                    path: self.path.clone(),
                    message: format!("migration to v{}: {e}", i + 1),
                })?;
            }
            tx.execute_batch(&format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {current};",
                schema::APPLICATION_ID
            ))
            .map_err(|e| Error::Store {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
            tx.commit().map_err(|e| Error::Store {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
        }
        Ok(())
    }

    /// The store's path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version of the open store.
    pub fn version(&self) -> Result<i32> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sql_err(e))
    }

    fn begin(&mut self) -> Result<()> {
        if !self.in_transaction {
            self.conn
                .execute_batch("BEGIN")
                .map_err(|e| self.sql_err(e))?;
            self.in_transaction = true;
        }
        Ok(())
    }

    /// Commits what was recorded so far (the recorder calls this periodically, so that an
    /// interrupted scan keeps what it found).
    pub fn flush(&mut self) -> Result<()> {
        if self.in_transaction {
            self.conn
                .execute_batch("COMMIT")
                .map_err(|e| self.sql_err(e))?;
            self.in_transaction = false;
        }
        Ok(())
    }

    /// Records the start of a scan and returns its id.
    pub fn begin_scan(
        &mut self,
        started_at: &str,
        targets: &[String],
        options: &serde_json::Value,
        detector_set: &str,
    ) -> Result<i64> {
        self.begin()?;
        let targets = serde_json::to_string(targets).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO scans (started_at, targets, options, detector_set, tool_version)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    started_at,
                    targets,
                    options.to_string(),
                    detector_set,
                    env!("CARGO_PKG_VERSION")
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        let id = self.conn.last_insert_rowid();
        self.flush()?;
        Ok(id)
    }

    /// Files of the current inventory that a scan with `detector_set` may skip when their
    /// stamp is unchanged: present, read without error by the same detector set.
    pub fn known_files(&self, detector_set: &str) -> Result<KnownFiles> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT locator, size, modified_ns, content_hash FROM assets
                 WHERE source = 'file' AND present = 1 AND detector_set = ?1
                   AND status IN ('scanned', 'skipped') AND size IS NOT NULL
                   AND modified_ns IS NOT NULL",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([detector_set], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Stamp {
                        size: r.get::<_, i64>(1)? as u64,
                        modified_ns: r.get(2)?,
                        hash: r.get(3)?,
                    },
                ))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (k, v) = row.map_err(|e| self.sql_err(e))?;
            out.insert(k, v);
        }
        Ok(out)
    }

    /// Records an asset whose content `scan` read: replaces its status, stamp and evidence.
    pub fn record(
        &mut self,
        scan: i64,
        now: &str,
        detector_set: &str,
        a: &AssetRecord,
    ) -> Result<()> {
        self.begin()?;
        let (size, modified, hash) = match &a.stamp {
            Some(s) => (Some(s.size as i64), Some(s.modified_ns), s.hash.clone()),
            None => (None, None, None),
        };
        let r = (|| -> rusqlite::Result<()> {
            self.conn.execute(
                "INSERT INTO assets (source, locator, kind, parent, status, reason, size,
                    modified_ns, content_hash, bytes_scanned, rows_total, rows_sampled,
                    detector_set, first_scan, last_seen_scan, content_scan, present, removed_scan)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?14, 1, NULL)
                 ON CONFLICT (source, locator) DO UPDATE SET
                    kind = excluded.kind, parent = excluded.parent, status = excluded.status,
                    reason = excluded.reason, size = excluded.size,
                    modified_ns = excluded.modified_ns, content_hash = excluded.content_hash,
                    bytes_scanned = excluded.bytes_scanned, rows_total = excluded.rows_total,
                    rows_sampled = excluded.rows_sampled, detector_set = excluded.detector_set,
                    last_seen_scan = excluded.last_seen_scan,
                    content_scan = excluded.content_scan, present = 1, removed_scan = NULL",
                params![
                    a.source,
                    a.locator,
                    a.kind,
                    a.parent,
                    a.status.as_str(),
                    a.reason,
                    size,
                    modified,
                    hash,
                    a.bytes_scanned as i64,
                    a.rows_total.map(|n| n as i64),
                    a.rows_sampled.map(|n| n as i64),
                    detector_set,
                    scan
                ],
            )?;
            let id: i64 = self.conn.query_row(
                "SELECT id FROM assets WHERE source = ?1 AND locator = ?2",
                params![a.source, a.locator],
                |r| r.get(0),
            )?;
            // Keep first_seen of detectors seen before; drop evidence no longer found.
            let mut first_seen: HashMap<String, String> = HashMap::new();
            {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT detector, first_seen FROM evidence WHERE asset_id = ?1",
                )?;
                let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                for row in rows {
                    let (d, f) = row?;
                    first_seen.insert(d, f);
                }
            }
            self.conn
                .execute("DELETE FROM evidence WHERE asset_id = ?1", [id])?;
            for e in &a.evidence {
                let first = first_seen.get(&e.detector).map_or(now, String::as_str);
                self.conn.execute(
                    "INSERT INTO evidence (asset_id, detector, category, hits, distinct_hits,
                        sample_size, best_confidence, examples, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        id,
                        e.detector,
                        e.category,
                        e.hits as i64,
                        e.distinct_hits as i64,
                        e.sample_size.map(|n| n as i64),
                        f64::from(e.best_confidence),
                        serde_json::to_string(&e.examples).unwrap_or_else(|_| "[]".into()),
                        first,
                        now
                    ],
                )?;
            }
            self.conn
                .execute("DELETE FROM data_age WHERE asset_id = ?1", [id])?;
            for age in &a.ages {
                self.conn.execute(
                    "INSERT INTO data_age (asset_id, basis, oldest, newest, records, histogram)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        id,
                        age.basis,
                        age.oldest,
                        age.newest,
                        age.records.map(|n| n as i64),
                        serde_json::to_string(&age.histogram).unwrap_or_else(|_| "[]".into())
                    ],
                )?;
            }
            Ok(())
        })();
        r.map_err(|e| self.sql_err(e))
    }

    /// Marks an asset that `scan` saw but did not re-read (unchanged). Its stamp is updated
    /// (a content-hash match may come with a new modification time).
    pub fn touch(&mut self, scan: i64, source: &str, locator: &str, stamp: &Stamp) -> Result<()> {
        self.begin()?;
        self.conn
            .execute(
                "UPDATE assets SET last_seen_scan = ?1, size = ?2, modified_ns = ?3,
                    content_hash = coalesce(?4, content_hash), present = 1, removed_scan = NULL
                 WHERE source = ?5 AND locator = ?6",
                params![
                    scan,
                    stamp.size as i64,
                    stamp.modified_ns,
                    stamp.hash,
                    source,
                    locator
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(())
    }

    /// After a walk of `roots`: files under them that `scan` did not see and that no longer
    /// exist are dropped from the current inventory. Returns how many.
    pub fn remove_missing(&mut self, scan: i64, roots: &[String]) -> Result<u64> {
        self.begin()?;
        let candidates: Vec<(i64, String)> = {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT id, locator FROM assets
                     WHERE source = 'file' AND present = 1 AND last_seen_scan <> ?1",
                )
                .map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map([scan], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| self.sql_err(e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| self.sql_err(e))?
        };
        let under = |path: &str| {
            roots.iter().any(|root| {
                let root = root.trim_end_matches('/');
                path == root
                    || (path.starts_with(root) && path.as_bytes().get(root.len()) == Some(&b'/'))
            })
        };
        let mut removed = 0;
        for (id, locator) in candidates {
            if under(&locator) && !Path::new(&locator).exists() {
                self.conn
                    .execute(
                        "UPDATE assets SET present = 0, removed_scan = ?1 WHERE id = ?2",
                        params![scan, id],
                    )
                    .map_err(|e| self.sql_err(e))?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Records the end of a scan and commits.
    pub fn finish_scan(&mut self, scan: i64, finished_at: &str, totals: ScanTotals) -> Result<()> {
        self.begin()?;
        self.conn
            .execute(
                "UPDATE scans SET finished_at = ?1, assets_read = ?2, assets_unchanged = ?3,
                    assets_removed = ?4, findings = ?5, errors = ?6 WHERE id = ?7",
                params![
                    finished_at,
                    totals.read as i64,
                    totals.unchanged as i64,
                    totals.removed as i64,
                    totals.findings as i64,
                    totals.errors as i64,
                    scan
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        self.flush()
    }

    /// The recorded scans, oldest first.
    pub fn scans(&self) -> Result<Vec<ScanRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, started_at, finished_at, targets, assets_read, assets_unchanged,
                    assets_removed, findings, errors FROM scans ORDER BY id",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let targets: String = r.get(3)?;
                Ok(ScanRecord {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    targets: serde_json::from_str(&targets).unwrap_or_default(),
                    assets_read: r.get::<_, i64>(4)? as u64,
                    assets_unchanged: r.get::<_, i64>(5)? as u64,
                    assets_removed: r.get::<_, i64>(6)? as u64,
                    findings: r.get::<_, i64>(7)? as u64,
                    errors: r.get::<_, i64>(8)? as u64,
                })
            })
            .map_err(|e| self.sql_err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sql_err(e))
    }

    /// The current inventory: every present asset with its evidence and data ages, sorted by
    /// source and locator.
    pub fn current(&self) -> Result<Vec<InventoryAsset>> {
        let q = |e| self.sql_err(e);
        let mut evidence: HashMap<i64, Vec<Evidence>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT e.asset_id, e.detector, e.category, e.hits, e.distinct_hits,
                        e.sample_size, e.best_confidence, e.examples, e.first_seen, e.last_seen
                     FROM evidence e JOIN assets a ON a.id = e.asset_id
                     WHERE a.present = 1 ORDER BY e.asset_id, e.detector",
                )
                .map_err(q)?;
            let rows = stmt
                .query_map([], |r| {
                    let examples: String = r.get(7)?;
                    Ok((
                        r.get::<_, i64>(0)?,
                        Evidence {
                            detector: r.get(1)?,
                            category: r.get(2)?,
                            hits: r.get::<_, i64>(3)? as u64,
                            distinct_hits: r.get::<_, i64>(4)? as u64,
                            sample_size: r.get::<_, Option<i64>>(5)?.map(|n| n as u64),
                            best_confidence: r.get::<_, f64>(6)? as f32,
                            examples: serde_json::from_str(&examples).unwrap_or_default(),
                            first_seen: r.get(8)?,
                            last_seen: r.get(9)?,
                        },
                    ))
                })
                .map_err(q)?;
            for row in rows {
                let (id, e) = row.map_err(q)?;
                evidence.entry(id).or_default().push(e);
            }
        }
        let mut ages: HashMap<i64, Vec<DataAge>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT d.asset_id, d.basis, d.oldest, d.newest, d.records, d.histogram
                     FROM data_age d JOIN assets a ON a.id = d.asset_id WHERE a.present = 1",
                )
                .map_err(q)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        DataAge {
                            basis: r.get(1)?,
                            oldest: r.get(2)?,
                            newest: r.get(3)?,
                            records: r.get::<_, Option<i64>>(4)?.map(|n| n as u64),
                            histogram: serde_json::from_str(&r.get::<_, String>(5)?)
                                .unwrap_or_default(),
                        },
                    ))
                })
                .map_err(q)?;
            for row in rows {
                let (id, a) = row.map_err(q)?;
                ages.entry(id).or_default().push(a);
            }
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.source, a.locator, a.kind, a.parent, a.status, a.reason,
                    a.modified_ns, a.size, a.rows_total, a.rows_sampled, s.started_at
                 FROM assets a JOIN scans s ON s.id = a.content_scan
                 WHERE a.present = 1 ORDER BY a.source, a.locator",
            )
            .map_err(q)?;
        let rows = stmt
            .query_map([], |r| {
                let id: i64 = r.get(0)?;
                let status: String = r.get(5)?;
                let modified: Option<i64> = r.get(7)?;
                Ok(InventoryAsset {
                    source: r.get(1)?,
                    locator: r.get(2)?,
                    kind: r.get(3)?,
                    parent: r.get(4)?,
                    status: AssetStatus::parse(&status),
                    reason: r.get(6)?,
                    modified: modified.and_then(|ns| {
                        jiff::Timestamp::from_nanosecond(i128::from(ns))
                            .ok()
                            .map(|t| t.to_string())
                    }),
                    size: r.get::<_, Option<i64>>(8)?.map(|n| n as u64),
                    rows_total: r.get::<_, Option<i64>>(9)?.map(|n| n as u64),
                    rows_sampled: r.get::<_, Option<i64>>(10)?.map(|n| n as u64),
                    content_scanned_at: r.get(11)?,
                    evidence: evidence.remove(&id).unwrap_or_default(),
                    ages: ages.remove(&id).unwrap_or_default(),
                })
            })
            .map_err(q)?;
        rows.collect::<rusqlite::Result<_>>().map_err(q)
    }

    /// After a complete scan of database `database` of `source` (no table filters): tables
    /// and columns that `scan` did not see are dropped from the current inventory. Returns
    /// how many assets.
    pub fn remove_missing_tables(
        &mut self,
        scan: i64,
        source: &str,
        database: &str,
    ) -> Result<u64> {
        self.begin()?;
        let prefix = format!("{}.", database.replace('%', "\\%").replace('_', "\\_"));
        let n = self
            .conn
            .execute(
                "UPDATE assets SET present = 0, removed_scan = ?1
                 WHERE source = ?2 AND present = 1 AND last_seen_scan <> ?1
                   AND locator LIKE ?3 || '%' ESCAPE '\\'",
                params![scan, source, prefix],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(n as u64)
    }
}

#[cfg(test)]
mod tests;
