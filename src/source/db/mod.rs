//! Databases: PostgreSQL and MySQL/MariaDB, scanned column by column.
//!
//! For each target the catalogue is read (schemas, tables including partitioned tables, views;
//! system schemas skipped), then tables are scanned concurrently over a bounded number of
//! connections, each inside a read-only transaction with a statement timeout: the scanner never
//! writes to a source database.
//!
//! **Sampling** (the default; `full` reads every row): a table whose estimated row count is at
//! most the sample size is read whole. A larger one is sampled at random, not first-N:
//! PostgreSQL reads a `TABLESAMPLE SYSTEM` page sample sized for about twice the wanted rows
//! (then `LIMIT`), MySQL/MariaDB keeps rows with `RAND() < p` for `p` sized the same way. Views
//! cannot be page-sampled: they are read through `random() < p` / `RAND() < p` filters too.
//! The number of rows read and the table's row count (estimated from the catalogue for sampled
//! tables, exact for full scans) are recorded.
//!
//! Every value is read as text (`::text`, `CAST(… AS CHAR)`) and scanned with the column name
//! as context ([`crate::classification::column`]). Text-like columns, JSON, arrays, enums,
//! dates and integer/decimal columns (where IDs and card numbers hide) are scanned; booleans,
//! binary and geometric columns are not (binary with `scan_blobs`).
//!
//! **Data age**: for each table, up to three date or timestamp columns whose names say record
//! time (`created_at`, `inserted`, `updated_at`, …) get their minimum, maximum and a monthly
//! histogram of rows, so that rows older than a retention period can be counted.

pub mod mysql;
pub mod postgres;

use std::time::Duration;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::classification::column::{ColumnProfiler, ColumnVerdict};
use crate::error::{Error, Result};

/// Which engine a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
}

impl DbKind {
    /// `postgres` or `mysql`, as in locations.
    pub fn source(self) -> &'static str {
        match self {
            DbKind::Postgres => "postgres",
            DbKind::Mysql => "mysql",
        }
    }
}

/// A database target as given on the command line.
#[derive(Debug, Clone)]
pub struct DbTarget {
    /// Engine.
    pub kind: DbKind,
    /// The URL as given (may hold a password: never print it; use [`DbTarget::display`]).
    url: String,
}

impl DbTarget {
    /// Recognises `postgres://`, `postgresql://`, `mysql://` and `mariadb://` URLs.
    pub fn parse(s: &str) -> Option<DbTarget> {
        let lower = s.to_ascii_lowercase();
        let kind = if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            DbKind::Postgres
        } else if lower.starts_with("mysql://") || lower.starts_with("mariadb://") {
            DbKind::Mysql
        } else {
            return None;
        };
        let url = if lower.starts_with("mariadb://") {
            format!("mysql://{}", &s["mariadb://".len()..])
        } else {
            s.to_string()
        };
        Some(DbTarget { kind, url })
    }

    /// The URL without password, safe for output and logs.
    pub fn display(&self) -> String {
        redact(&self.url)
    }

    /// The URL with its password (for connecting only).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

/// Removes the password from a URL: `postgres://u:secret@h/db` → `postgres://u@h/db`. Query
/// parameters named `password` are dropped too.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some(x) => x,
        None => return url.to_string(),
    };
    let (authority_path, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let redacted = match authority_path.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{user}@{host}")
        }
        None => authority_path.to_string(),
    };
    let query = query
        .map(|q| {
            q.split('&')
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect::<Vec<_>>()
                .join("&")
        })
        .filter(|q| !q.is_empty());
    match query {
        Some(q) => format!("{scheme}://{redacted}?{q}"),
        None => format!("{scheme}://{redacted}"),
    }
}

/// Options of a database scan.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// Rows sampled per table.
    pub sample_rows: u64,
    /// Read every row.
    pub full: bool,
    /// Concurrent connections per target.
    pub connections: usize,
    /// Timeout of each statement.
    pub statement_timeout: Duration,
    /// Scan only tables matching one of these globs on `database.schema.table` (empty: all).
    pub include_tables: Vec<String>,
    /// Skip tables matching one of these globs.
    pub exclude_tables: Vec<String>,
    /// Also scan binary columns (`bytea`, `blob`) as text.
    pub scan_blobs: bool,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            sample_rows: 10_000,
            full: false,
            connections: 4,
            statement_timeout: Duration::from_secs(60),
            include_tables: Vec::new(),
            exclude_tables: Vec::new(),
            scan_blobs: false,
        }
    }
}

/// Table globs, compiled: `*` does not cross `.`.
#[derive(Debug, Clone)]
pub(crate) struct TableFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl TableFilter {
    pub(crate) fn new(options: &DbOptions) -> Result<TableFilter> {
        let build = |globs: &[String]| -> Result<GlobSet> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                let pattern = g.replace('.', "/");
                b.add(
                    GlobBuilder::new(&pattern)
                        .literal_separator(true)
                        .build()
                        .map_err(|e| Error::Glob {
                            glob: g.clone(),
                            message: e.kind().to_string(),
                        })?,
                );
            }
            b.build().map_err(|e| Error::Glob {
                glob: globs.join(","),
                message: e.to_string(),
            })
        };
        Ok(TableFilter {
            include: if options.include_tables.is_empty() {
                None
            } else {
                Some(build(&options.include_tables)?)
            },
            exclude: build(&options.exclude_tables)?,
        })
    }

    /// Whether `database.schema.table` is to be scanned.
    pub(crate) fn allows(&self, database: &str, schema: &str, table: &str) -> bool {
        // Names may contain `/`; they cannot be confused with separators after escaping.
        let path = format!(
            "{}/{}/{}",
            database.replace('/', "%2F"),
            schema.replace('/', "%2F"),
            table.replace('/', "%2F")
        );
        self.include.as_ref().is_none_or(|s| s.is_match(&path)) && !self.exclude.is_match(&path)
    }
}

/// One table's data-age facts from one date or timestamp column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnAge {
    /// The column.
    pub column: String,
    /// Oldest value (ISO date or timestamp).
    pub oldest: Option<String>,
    /// Newest value.
    pub newest: Option<String>,
    /// Non-null values.
    pub records: u64,
    /// Rows per month (`YYYY-MM`), oldest first.
    pub histogram: Vec<(String, u64)>,
}

/// The outcome of scanning one column.
#[derive(Debug, Clone)]
pub struct ColumnScan {
    /// Column name.
    pub name: String,
    /// Declared type.
    pub data_type: String,
    /// Whether its values were read (false: type not scanned).
    pub scanned: bool,
    /// Non-null values read.
    pub non_null: u64,
    /// Null values read.
    pub nulls: u64,
    /// Values that could not be decoded as text.
    pub undecodable: u64,
    /// What the detectors found.
    pub verdicts: Vec<ColumnVerdict>,
}

/// The outcome of scanning one table or view.
#[derive(Debug, Clone)]
pub struct TableScan {
    /// Engine.
    pub kind: DbKind,
    /// Database.
    pub database: String,
    /// Schema (the database again for MySQL).
    pub schema: String,
    /// Table or view name.
    pub table: String,
    /// `table`, `partitioned_table`, `view`, `materialized_view` or `foreign_table`.
    pub relation: String,
    /// Rows in the table: exact after a full scan, else the catalogue's estimate.
    pub rows_total: Option<u64>,
    /// Rows read.
    pub rows_read: u64,
    /// Whether only a sample was read.
    pub sampled: bool,
    /// Columns.
    pub columns: Vec<ColumnScan>,
    /// Data-age facts.
    pub ages: Vec<ColumnAge>,
    /// Why the table could not be (fully) scanned: permission denied, timeout, lost
    /// connection. Columns scanned before the error are kept.
    pub error: Option<String>,
    /// Seconds spent.
    pub seconds: f64,
}

impl TableScan {
    /// Records what reading the table gave: `rows` read, whether only a `sample`, and the
    /// total: exact when every row was read (`complete`), else the `estimate`.
    pub(crate) fn read(&mut self, rows: u64, sample: bool, complete: bool, estimate: Option<u64>) {
        self.rows_read = rows;
        self.sampled = sample;
        self.rows_total = if complete { Some(rows) } else { estimate };
    }

    /// `database.schema.table`.
    pub fn locator(&self) -> String {
        format!("{}.{}.{}", self.database, self.schema, self.table)
    }
}

/// The small async runtime a database scan runs on.
pub(crate) fn runtime(target: &DbTarget) -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Database {
            target: target.display(),
            message: format!("cannot start the async runtime: {e}"),
        })
}

/// The select list of the scanned columns' text expressions (`1` when there is none).
pub(crate) fn select_list(scanned: &[(usize, String)]) -> String {
    if scanned.is_empty() {
        return "1".to_string();
    }
    scanned
        .iter()
        .map(|(_, e)| e.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The outcome per column: `columns` are (name, declared type) in table order; `scanned`
/// holds the indices of those read, in the same order as `profilers` and `undecodable`.
pub(crate) fn column_scans<'c>(
    columns: impl Iterator<Item = (&'c str, &'c str)>,
    scanned: &[(usize, String)],
    profilers: &[ColumnProfiler<'_>],
    undecodable: &[u64],
) -> Vec<ColumnScan> {
    columns
        .enumerate()
        .map(|(i, (name, data_type))| {
            let read = scanned.iter().position(|(x, _)| *x == i);
            let profiler = read.and_then(|k| profilers.get(k));
            ColumnScan {
                name: name.to_string(),
                data_type: data_type.to_string(),
                scanned: profiler.is_some(),
                non_null: profiler.map_or(0, ColumnProfiler::non_null),
                nulls: profiler.map_or(0, ColumnProfiler::nulls),
                undecodable: read.and_then(|k| undecodable.get(k)).copied().unwrap_or(0),
                verdicts: profiler.map(ColumnProfiler::verdicts).unwrap_or_default(),
            }
        })
        .collect()
}

/// Whether a date/timestamp column's name says it records when the row was made or changed.
pub fn is_record_time(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.contains("birth") || n == "dob" || n.contains("expir") || n.contains("due") {
        return false;
    }
    [
        "created",
        "inserted",
        "updated",
        "modified",
        "timestamp",
        "recorded",
        "logged",
        "received",
        "submitted",
        "signup",
        "registered",
        "event_time",
        "_at",
        "date",
        "time",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Sampling probability (percent) that yields about twice `want` rows out of `total`.
pub(crate) fn sample_percent(want: u64, total: u64) -> f64 {
    if total == 0 {
        return 100.0;
    }
    (200.0 * want as f64 / total as f64).clamp(0.0001, 100.0)
}

/// Quotes a PostgreSQL identifier.
pub fn quote_pg(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Quotes a MySQL identifier.
pub fn quote_mysql(ident: &str) -> String {
    format!("`{}`", ident.replace('`', "``"))
}

/// Reads a password for `host:port/db/user` from a `.pgpass` file (`PGPASSFILE` or
/// `~/.pgpass`), as libpq does.
pub(crate) fn pgpass(host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let port = port.to_string();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        // Fields are separated by unescaped `:`; `\:` and `\\` are escapes.
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                }
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() != 5 {
            continue;
        }
        let ok = |f: &str, v: &str| f == "*" || f == v;
        if ok(&fields[0], host)
            && ok(&fields[1], &port)
            && ok(&fields[2], database)
            && ok(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact("postgres://u:s3cret@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(
            redact("mysql://u:p@h/db?password=x&ssl-mode=required"),
            "mysql://u@h/db?ssl-mode=required"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
        let t = DbTarget::parse("mariadb://root:pw@127.0.0.1/shop").expect("target");
        assert_eq!(t.kind, DbKind::Mysql);
        assert_eq!(t.display(), "mysql://root@127.0.0.1/shop");
        assert!(DbTarget::parse("share/dir").is_none());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_pg("we\"ird name"), "\"we\"\"ird name\"");
        assert_eq!(quote_mysql("we`ird"), "`we``ird`");
    }

    #[test]
    fn table_filters_use_dotted_globs() {
        let f = TableFilter::new(&DbOptions {
            include_tables: vec!["crm.public.*".into()],
            exclude_tables: vec!["*.*.audit_*".into()],
            ..DbOptions::default()
        })
        .expect("globs");
        assert!(f.allows("crm", "public", "customers"));
        assert!(!f.allows("crm", "public", "audit_log"));
        assert!(!f.allows("crm", "sales", "orders"));
    }

    #[test]
    fn record_time_columns() {
        for n in [
            "created_at",
            "inserted",
            "updated_at",
            "event_time",
            "order_date",
        ] {
            assert!(is_record_time(n), "{n}");
        }
        for n in ["birth_date", "dob", "expiry_date", "email"] {
            assert!(!is_record_time(n), "{n}");
        }
    }
}
