//! Parquet files and partitioned datasets, scanned column by column.
//!
//! A file is recognised by its magic bytes (`PAR1` at the start), whatever its name. Its
//! footer is read first (schema, row groups, statistics); then every leaf worth scanning
//! ([`schema`]: strings, enums, JSON, unannotated binary read as UTF-8, integers, dates) is
//! read through the `parquet` crate's column readers — only those leaves (projection), one
//! row group per worker thread, page by page, so memory stays bounded whatever the file
//! size. Each value is profiled with the leaf's dotted field path as context, giving the same
//! column verdicts as database columns ([`crate::classification::column`]).
//!
//! **Sampling** (the default; `full` reads every row): a file with more rows than the sample
//! size is read as windows spread over every row group ([`sample`]); rows read and rows in
//! the file are recorded.
//!
//! **Datasets**: Parquet files below a directory whose sub-directories are Hive partitions
//! (`dt=2019-03-01/`, `year=2019/month=03/`) form one dataset, rooted at the directory above
//! the first `key=value` segment. Its files are scanned one after the other, their columns
//! merged by field path; leaves missing from some files or with different types are
//! reported as schema drift; partitions are listed. See [`age`] for data ages.
//!
//! Truncated, corrupt, encrypted and unsupported files are reported with their path and the
//! reason; decoder panics on malformed data are caught and reported the same way.

pub mod age;
pub mod read;
pub mod sample;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use age::Age;
pub use read::FirstHit;

use crate::classification::column::ColumnProfiler;
use crate::detection::Engine;
use crate::source::db::ColumnScan;

/// Why a Parquet file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
    /// The file ends before its footer.
    #[error("truncated or not Parquet: {0}")]
    Truncated(String),
    /// Parquet modular encryption with an encrypted footer.
    #[error("encrypted (Parquet modular encryption): not scanned")]
    Encrypted,
    /// Malformed metadata or pages.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// A feature this build cannot read (compression codec, encoding, encrypted columns).
    #[error("unsupported: {0}")]
    Unsupported(String),
}

impl ParquetError {
    /// Sorts an error of the `parquet` crate.
    pub fn classify(e: &parquet::errors::ParquetError) -> ParquetError {
        use parquet::errors::ParquetError as P;
        let message = e.to_string();
        match e {
            P::NYI(m) => ParquetError::Unsupported(m.clone()),
            P::EOF(m) => ParquetError::Truncated(m.clone()),
            _ if message.contains("not supported") || message.contains("Disabled feature") => {
                ParquetError::Unsupported(message)
            }
            _ => ParquetError::Corrupt(message),
        }
    }

    /// Machine-readable kind, as in [`crate::finding::ScanError`].
    pub fn kind(&self) -> &'static str {
        match self {
            ParquetError::Io(e) => crate::source::io_kind(e),
            ParquetError::Truncated(_) | ParquetError::Corrupt(_) => "decode",
            ParquetError::Encrypted => "encrypted",
            ParquetError::Unsupported(_) => "unsupported",
        }
    }
}

/// How to scan Parquet.
#[derive(Debug, Clone, Copy)]
pub struct ParquetOptions {
    /// Rows sampled per file (`None`: read every row).
    pub sample_rows: Option<u64>,
    /// Row groups decoded at once per file.
    pub threads: usize,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        ParquetOptions {
            sample_rows: Some(10_000),
            threads: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }
}

/// One file of a scan (the only one for a plain file).
#[derive(Debug, Clone)]
pub struct ParquetFile {
    /// Path as reported.
    pub path: String,
    /// Hive partition segments (`dt=2019-03-01`, `year=2019/month=03`), for dataset files.
    pub partition: Option<String>,
    /// Size in bytes.
    pub bytes: u64,
    /// Rows (from the footer).
    pub rows: u64,
    /// Rows read.
    pub rows_read: u64,
    /// Row groups.
    pub row_groups: usize,
    /// What went wrong, if anything (values read before are kept).
    pub error: Option<String>,
    /// Machine-readable kind of the error.
    pub error_kind: Option<&'static str>,
}

/// Where a detector first hit in a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitAt {
    /// The file.
    pub path: String,
    /// Its partition, in a dataset.
    pub partition: Option<String>,
    /// Row group.
    pub row_group: u64,
    /// Row in the file (0-based).
    pub row: u64,
}

/// One column (leaf) of a file or dataset.
#[derive(Debug, Clone)]
pub struct ParquetColumn {
    /// Verdicts and counts, as for database columns. `name` is the dotted field path.
    pub scan: ColumnScan,
    /// Per detector id with a verdict, where it first hit.
    pub first_hits: BTreeMap<String, HitAt>,
}

/// The outcome of scanning one Parquet file or dataset.
#[derive(Debug, Clone)]
pub struct ParquetScan {
    /// The file, or the dataset's root directory.
    pub path: String,
    /// Whether this is a dataset.
    pub dataset: bool,
    /// Files (one for a plain file).
    pub files: Vec<ParquetFile>,
    /// Distinct partitions of a dataset, sorted.
    pub partitions: Vec<String>,
    /// Rows in all files (from the footers).
    pub rows_total: u64,
    /// Rows read.
    pub rows_read: u64,
    /// Whether only a sample was read.
    pub sampled: bool,
    /// Leaves, merged by field path across files.
    pub columns: Vec<ParquetColumn>,
    /// Data-age facts.
    pub ages: Vec<Age>,
    /// Schema differences between the files of a dataset, for people.
    pub drift: Vec<String>,
    /// Why the file (or every file of the dataset) could not be read.
    pub error: Option<String>,
    /// Machine-readable kind of `error`.
    pub error_kind: Option<&'static str>,
    /// Seconds spent.
    pub seconds: f64,
}

impl ParquetScan {
    /// Files that failed.
    pub fn failed_files(&self) -> impl Iterator<Item = &ParquetFile> {
        self.files.iter().filter(|f| f.error.is_some())
    }
}

/// Whether content starting with `head` is a Parquet file.
pub fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

/// The dataset a Parquet file at `path` belongs to: its root (the directory above the first
/// Hive partition segment `key=value`) and its partition (those segments joined with `/`).
pub fn dataset_of(path: &str) -> Option<(String, String)> {
    let segments: Vec<&str> = path.split('/').collect();
    let dirs = segments.len().checked_sub(1)?;
    let first = segments[..dirs].iter().position(|s| is_partition(s))?;
    let end = segments[..dirs]
        .iter()
        .rposition(|s| is_partition(s))
        .unwrap_or(first);
    let root = segments[..first].join("/");
    let root = if root.is_empty() && path.starts_with('/') {
        "/".to_string()
    } else if root.is_empty() {
        ".".to_string()
    } else {
        root
    };
    Some((root, segments[first..=end].join("/")))
}

/// `key=value` with a plain key.
fn is_partition(segment: &str) -> bool {
    segment.split_once('=').is_some_and(|(k, v)| {
        !k.is_empty()
            && !v.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

/// Scans one Parquet file (not part of a dataset).
pub fn scan_file(engine: &Engine, path: &Path, options: &ParquetOptions) -> ParquetScan {
    let started = Instant::now();
    let display = path.display().to_string();
    let mut merge = Merge::default();
    merge.file(engine, path, display.clone(), None, options);
    merge.finish(display, false, started)
}

/// Scans the files of one dataset rooted at `root` (each with its partition).
pub fn scan_dataset(
    engine: &Engine,
    root: &str,
    files: &[(PathBuf, String)],
    options: &ParquetOptions,
) -> ParquetScan {
    let started = Instant::now();
    let mut merge = Merge::default();
    for (path, partition) in files {
        merge.file(
            engine,
            path,
            path.display().to_string(),
            Some(partition.clone()),
            options,
        );
    }
    merge.finish(root.to_string(), true, started)
}

/// One merged leaf.
struct MergedLeaf<'e> {
    scan: ColumnScan,
    profiler: Option<ColumnProfiler<'e>>,
    types: BTreeSet<String>,
    files: usize,
    first: BTreeMap<String, HitAt>,
}

/// Columns and ages merged over the files of a scan.
#[derive(Default)]
struct Merge<'e> {
    files: Vec<ParquetFile>,
    columns: Vec<MergedLeaf<'e>>,
    by_path: BTreeMap<String, usize>,
    ages: BTreeMap<String, age::TimeAcc>,
    partitions: BTreeMap<String, age::TimeAcc>,
    readable: usize,
    sampled: bool,
}

impl<'e> Merge<'e> {
    fn file(
        &mut self,
        engine: &'e Engine,
        path: &Path,
        display: String,
        partition: Option<String>,
        options: &ParquetOptions,
    ) {
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        let mut entry = ParquetFile {
            path: display.clone(),
            partition: partition.clone(),
            bytes,
            rows: 0,
            rows_read: 0,
            row_groups: 0,
            error: None,
            error_kind: None,
        };
        let reader = match read::open(path) {
            Ok(r) => r,
            Err(e) => {
                entry.error = Some(e.to_string());
                entry.error_kind = Some(e.kind());
                self.files.push(entry);
                return;
            }
        };
        let file = read::read(engine, &reader, options.sample_rows, options.threads);
        self.readable += 1;
        self.sampled |= file.sampled;
        entry.rows = file.rows_total;
        entry.rows_read = file.rows_read;
        entry.row_groups = file.row_groups;
        if let Some(e) = &file.error {
            entry.error = Some(format!("corrupt: {e}"));
            entry.error_kind = Some("decode");
        }
        let detectors = engine.detectors();
        for (leaf, acc) in file.leaves.iter().zip(file.accs) {
            let k = match self.by_path.get(&leaf.path) {
                Some(&k) => k,
                None => {
                    self.by_path.insert(leaf.path.clone(), self.columns.len());
                    self.columns.push(MergedLeaf {
                        scan: ColumnScan {
                            name: leaf.path.clone(),
                            data_type: leaf.type_name.clone(),
                            scanned: leaf.scanned(),
                            non_null: 0,
                            nulls: 0,
                            undecodable: 0,
                            verdicts: Vec::new(),
                        },
                        profiler: None,
                        types: BTreeSet::new(),
                        files: 0,
                        first: BTreeMap::new(),
                    });
                    self.columns.len() - 1
                }
            };
            let m = &mut self.columns[k];
            m.types.insert(leaf.type_name.clone());
            m.files += 1;
            let Some(acc) = acc else {
                continue;
            };
            m.scan.scanned = true;
            for (di, first) in acc.first.iter().enumerate() {
                if let (Some(first), Some(d)) = (first, detectors.get(di)) {
                    m.first.entry(d.id.to_string()).or_insert_with(|| HitAt {
                        path: display.clone(),
                        partition: partition.clone(),
                        row_group: first.row_group as u64,
                        row: first.row,
                    });
                }
            }
            match &mut m.profiler {
                Some(p) => p.merge(acc.profiler),
                None => m.profiler = Some(acc.profiler),
            }
        }
        for (leaf, acc) in file.ages {
            match self.ages.get_mut(&leaf) {
                Some(a) => a.merge(acc),
                None => {
                    self.ages.insert(leaf, acc);
                }
            }
        }
        if let Some(p) = &partition {
            for key in p
                .split('/')
                .filter_map(|s| s.split_once('=').map(|(k, _)| k))
            {
                if let Some(d) = crate::reconcile::dates::from_partition(p, key) {
                    let days = i64::from(
                        d.since(jiff::civil::date(1970, 1, 1))
                            .map_or(0, |s| s.get_days()),
                    );
                    let acc =
                        self.partitions
                            .entry(key.to_string())
                            .or_insert_with(|| age::TimeAcc {
                                dates_only: true,
                                ..age::TimeAcc::default()
                            });
                    let secs = days * 86_400;
                    let _ = acc.add_range(secs, secs, file.rows_total);
                }
            }
        }
        self.files.push(entry);
    }

    fn finish(self, path: String, dataset: bool, started: Instant) -> ParquetScan {
        let n_files = self.files.len();
        let mut drift = Vec::new();
        if dataset && self.readable > 1 {
            for c in &self.columns {
                if c.files < self.readable {
                    drift.push(format!(
                        "column `{}` is in {} of {} files",
                        c.scan.name, c.files, self.readable
                    ));
                }
                if c.types.len() > 1 {
                    drift.push(format!(
                        "column `{}` has different types: {}",
                        c.scan.name,
                        c.types.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        let (error, error_kind) = if self.readable == 0 && n_files > 0 {
            match self.files.iter().find(|f| f.error.is_some()) {
                Some(f) if n_files == 1 => (f.error.clone(), f.error_kind),
                _ => (
                    Some(format!("none of the {n_files} files could be read")),
                    Some("decode"),
                ),
            }
        } else if !dataset {
            (
                self.files.first().and_then(|f| f.error.clone()),
                self.files.first().and_then(|f| f.error_kind),
            )
        } else {
            (None, None)
        };
        let mut ages: Vec<Age> = self
            .partitions
            .iter()
            .map(|(k, a)| a.age(format!("partition:{k}")))
            .collect();
        ages.extend(self.ages.iter().map(|(c, a)| a.age(format!("column:{c}"))));
        let partitions: BTreeSet<String> = self
            .files
            .iter()
            .filter_map(|f| f.partition.clone())
            .collect();
        ParquetScan {
            path,
            dataset,
            rows_total: self.files.iter().map(|f| f.rows).sum(),
            rows_read: self.files.iter().map(|f| f.rows_read).sum(),
            sampled: self.sampled,
            partitions: partitions.into_iter().collect(),
            columns: self
                .columns
                .into_iter()
                .map(|c| {
                    let mut scan = c.scan;
                    if let Some(p) = &c.profiler {
                        scan.non_null = p.non_null();
                        scan.nulls = p.nulls();
                        scan.verdicts = p.verdicts();
                    }
                    ParquetColumn {
                        first_hits: c
                            .first
                            .into_iter()
                            .filter(|(d, _)| scan.verdicts.iter().any(|v| &v.detector == d))
                            .collect(),
                        scan,
                    }
                })
                .collect(),
            files: self.files,
            ages,
            drift,
            error,
            error_kind,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}
