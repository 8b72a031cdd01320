//! Running a scan: the walker's threads scan files where they find them and send findings in
//! batches, then one report per file, to the calling thread, which hands them to the output
//! in arrival order. A file's batches always arrive before its report.

pub mod file;
pub mod split;
pub mod stream;
pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

pub use file::FileReport;

use crate::classification::column::ColumnVerdict;
use crate::detection::Engine;
use crate::error::Result;
use crate::finding::{
    ColumnEvidence, ColumnLocation, Finding, Location, ParquetLocation, ScanError, Skipped,
};
use crate::source::db::{self, DbKind, DbOptions, DbTarget, TableScan};
use crate::source::extract::Limits;
use crate::source::parquet::{self, ParquetOptions, ParquetScan};
use crate::source::walk::{self, Entry, WalkOptions};
use crate::source::{Stamp, content_hash};

/// Events in flight between the scanning threads and the writer.
const CHANNEL_EVENTS: usize = 16;

/// Options of a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// What to walk and how.
    pub walk: WalkOptions,
    /// Chunk size for streaming files.
    pub chunk_size: usize,
    /// Put raw values into findings (`--show-values`).
    pub show_values: bool,
    /// Limits of document and archive extraction, per file.
    pub limits: Limits,
    /// Bytes scanned so far, updated after every chunk (for progress display).
    pub progress: Arc<AtomicU64>,
    /// Compute keyed fingerprints of values (for distinct counts in the inventory).
    pub fingerprints: bool,
    /// Attach an explanation to every finding (`--explain`).
    pub explain: bool,
    /// Hash every file's content (XXH3-128) and compare hashes, not only size and
    /// modification time, when deciding whether a file changed.
    pub content_hash: bool,
    /// Incremental scan: files whose stamp matches the one known here are not read (they are
    /// reported with `unchanged` set).
    pub known: Option<Arc<HashMap<String, Stamp>>>,
    /// Databases to scan, alongside the file targets.
    pub databases: Vec<DbTarget>,
    /// How to scan them.
    pub db: DbOptions,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            walk: WalkOptions::default(),
            chunk_size: stream::DEFAULT_CHUNK,
            show_values: false,
            limits: Limits::default(),
            progress: Arc::default(),
            fingerprints: false,
            explain: false,
            content_hash: false,
            known: None,
            databases: Vec::new(),
            db: DbOptions::default(),
        }
    }
}

/// What a scan produces, one event at a time.
#[derive(Debug)]
pub enum Event {
    /// A batch of findings of one asset (all of the same path, in order).
    Findings(Vec<Finding>),
    /// A file was scanned (or skipped or failed while being read); its findings were sent
    /// before as [`Event::Findings`].
    File(FileReport),
    /// An entry was skipped by the walker (symbolic link, special file).
    Skipped(Skipped),
    /// The walker met an error (unreadable directory, loop), or a database could not be
    /// scanned at all (connection, catalogue).
    Error(ScanError),
    /// A database table or view was scanned (or failed); its column findings were sent before
    /// as [`Event::Findings`].
    Table(Box<TableScan>),
    /// A Parquet file or partitioned dataset was scanned (or failed); its column findings
    /// were sent before as [`Event::Findings`].
    Parquet(Box<ParquetScan>),
}

/// Scans `targets` (files or directories, all of which must exist) and the databases of
/// `options`, and calls `sink` on the calling thread for every event. Files are scanned in
/// parallel; databases alongside them.
pub fn run(
    engine: &Engine,
    targets: &[PathBuf],
    options: &ScanOptions,
    mut sink: impl FnMut(Event),
) -> Result<()> {
    if !targets.is_empty() {
        walk::check_targets(targets)?;
    }
    // Small on purpose: a batch holds up to `file::BATCH` findings, and when the writer is the
    // bottleneck the scanners should wait rather than queue memory.
    let (tx, rx) = crossbeam_channel::bounded::<Event>(CHANNEL_EVENTS);
    // Files of partitioned Parquet datasets, by dataset root: scanned after the walk.
    let datasets: std::sync::Mutex<BTreeMap<String, Vec<(PathBuf, String)>>> =
        std::sync::Mutex::default();
    let datasets = &datasets;
    std::thread::scope(|s| {
        let db_tx = tx.clone();
        let databases = s.spawn(move || {
            for target in &options.databases {
                let mut emit = |table: TableScan| {
                    let findings = column_findings(&table, engine.options().min_confidence);
                    if !findings.is_empty() {
                        let _ = db_tx.send(Event::Findings(findings));
                    }
                    let _ = db_tx.send(Event::Table(Box::new(table)));
                };
                let result = match target.kind {
                    DbKind::Postgres => db::postgres::scan(engine, target, &options.db, &mut emit),
                    DbKind::Mysql => db::mysql::scan(engine, target, &options.db, &mut emit),
                };
                if let Err(e) = result {
                    let _ = db_tx.send(Event::Error(ScanError {
                        path: target.display(),
                        reason: e.to_string(),
                        kind: "database".into(),
                    }));
                }
            }
        });
        let parquet_options = ParquetOptions {
            sample_rows: (!options.db.full).then_some(options.db.sample_rows),
            ..ParquetOptions::default()
        };
        let walker = s.spawn(move || {
            if targets.is_empty() {
                return Ok(());
            }
            let parquet_tx = tx.clone();
            let emit_parquet = move |scan: ParquetScan| {
                let findings = parquet_findings(&scan, engine.options().min_confidence);
                if !findings.is_empty() {
                    let _ = parquet_tx.send(Event::Findings(findings));
                }
                let bytes: u64 = scan.files.iter().map(|f| f.bytes).sum();
                options
                    .progress
                    .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
                let _ = parquet_tx.send(Event::Parquet(Box::new(scan)));
            };
            let emit_parquet = &emit_parquet;
            let split = split::SplitOptions {
                threads: match options.walk.threads {
                    0 => std::thread::available_parallelism().map_or(1, usize::from),
                    n => n,
                },
                chunk: options.chunk_size,
                progress: Some(Arc::clone(&options.progress)),
                show_values: options.show_values,
                flags: file::FindingFlags {
                    fingerprints: options.fingerprints,
                    explain: options.explain,
                },
                min_size: split::SPLIT_MIN,
                segment: split::SEGMENT,
            };
            let split = &split;
            let walked = walk::walk(targets, &options.walk, || {
                let tx = tx.clone();
                let mut scanner = stream::StreamScanner::new(engine, options.chunk_size)
                    .with_progress(Arc::clone(&options.progress));
                move |entry| {
                    // The receiver lives until the walk ends; a send cannot fail before.
                    let event = match entry {
                        Entry::File(path) => {
                            let stamp = stamp(&path, options);
                            if let Some(report) = unchanged(&path, stamp.as_ref(), options) {
                                let _ = tx.send(Event::File(report));
                                return;
                            }
                            let opened = match file::open(&path) {
                                Ok(f) => f,
                                Err(mut report) => {
                                    report.stamp = stamp;
                                    let _ = tx.send(Event::File(*report));
                                    return;
                                }
                            };
                            if file::is_parquet(&opened, &path) {
                                drop(opened);
                                let display = path.display().to_string();
                                match parquet::dataset_of(&display) {
                                    Some((root, partition)) => {
                                        if let Ok(mut d) = datasets.lock() {
                                            d.entry(root).or_default().push((path, partition));
                                        }
                                    }
                                    None => emit_parquet(parquet::scan_file(
                                        engine,
                                        &path,
                                        &parquet_options,
                                    )),
                                }
                                return;
                            }
                            let mut emit = |batch| {
                                let _ = tx.send(Event::Findings(batch));
                            };
                            if let Some(mut report) =
                                split::scan_split(engine, &opened, &path, split, &mut emit)
                            {
                                report.stamp = stamp;
                                let _ = tx.send(Event::File(report));
                                return;
                            }
                            let mut report = file::scan_opened(
                                &mut scanner,
                                opened,
                                &path,
                                &options.limits,
                                options.show_values,
                                split.flags,
                                &mut emit,
                            );
                            report.stamp = stamp;
                            Event::File(report)
                        }
                        Entry::Skipped(s) => Event::Skipped(s),
                        Entry::Error(e) => Event::Error(e),
                    };
                    let _ = tx.send(event);
                }
            });
            let datasets = std::mem::take(&mut *datasets.lock().unwrap_or_else(|p| p.into_inner()));
            for (root, mut files) in datasets {
                files.sort();
                emit_parquet(parquet::scan_dataset(
                    engine,
                    &root,
                    &files,
                    &parquet_options,
                ));
            }
            walked
        });
        for event in rx {
            sink(event);
        }
        databases
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The stamp of a file before it is read, with its content hash when asked for. `None` when
/// the file cannot be examined (reading it will report why).
fn stamp(path: &Path, options: &ScanOptions) -> Option<Stamp> {
    if options.known.is_none() && !options.fingerprints {
        return None;
    }
    let mut stamp = Stamp::of(path).ok()?;
    if options.content_hash {
        stamp.hash = content_hash(path).ok();
    }
    Some(stamp)
}

/// For an incremental scan, the report of a file that need not be read: same size and
/// modification time as recorded, or (with content hashing) the same content hash.
fn unchanged(path: &Path, stamp: Option<&Stamp>, options: &ScanOptions) -> Option<FileReport> {
    let known = options.known.as_ref()?;
    let stamp = stamp?;
    let display = path.display().to_string();
    let earlier = known.get(&display)?;
    let same = if options.content_hash {
        stamp.size == earlier.size && stamp.hash.is_some() && stamp.hash == earlier.hash
    } else {
        stamp.same_metadata(earlier)
    };
    same.then(|| FileReport {
        path: display,
        bytes: 0,
        encoding: None,
        compressed: false,
        findings: 0,
        skipped: None,
        notes: Vec::new(),
        error: None,
        stamp: Some(stamp.clone()),
        unchanged: true,
    })
}

/// Rows behind column verdicts.
#[derive(Debug, Clone, Copy)]
struct Rows {
    read: u64,
    total: Option<u64>,
    sampled: bool,
}

/// The finding about one column for one detector's verdict: confidence is the column
/// confidence, `masked` the first example, the evidence the verdict and the rows read.
fn column_finding(v: &ColumnVerdict, location: Location, rows: Rows) -> Finding {
    Finding {
        detector: v.detector.as_str().into(),
        category: v.category.as_str().into(),
        confidence: v.column_confidence,
        location,
        masked: v.examples.first().cloned().unwrap_or_default(),
        value: None,
        test_value: false,
        pattern: "column".into(),
        context: v.name_context,
        explain: None,
        column: Some(Box::new(ColumnEvidence {
            hits: v.hits,
            distinct_hits: v.distinct_hits,
            sampled: v.sampled,
            ratio: v.ratio,
            best_confidence: v.best_confidence,
            classified: v.classified,
            name_context: v.name_context,
            examples: v.examples.clone(),
            rows_read: rows.read,
            rows_total: rows.total,
            sampled_rows: rows.sampled,
        })),
        fingerprint: 0,
    }
}

/// The findings of a scanned table: one per column and detector whose column confidence
/// reaches `min_confidence`.
pub fn column_findings(table: &TableScan, min_confidence: f32) -> Vec<Finding> {
    let rows = Rows {
        read: table.rows_read,
        total: table.rows_total,
        sampled: table.sampled,
    };
    let mut out = Vec::new();
    for column in &table.columns {
        for v in column
            .verdicts
            .iter()
            .filter(|v| v.column_confidence >= min_confidence)
        {
            let location = ColumnLocation {
                database: table.database.clone(),
                schema: table.schema.clone(),
                table: table.table.clone(),
                column: column.name.clone(),
            };
            let location = match table.kind {
                DbKind::Postgres => Location::Postgres(location),
                DbKind::Mysql => Location::Mysql(location),
            };
            out.push(column_finding(v, location, rows));
        }
    }
    out
}

/// The findings of a scanned Parquet file or dataset, as [`column_findings`]: located at the
/// first value with a hit (file, partition, row group, row).
pub fn parquet_findings(scan: &ParquetScan, min_confidence: f32) -> Vec<Finding> {
    let rows = Rows {
        read: scan.rows_read,
        total: Some(scan.rows_total),
        sampled: scan.sampled,
    };
    let mut out = Vec::new();
    for column in &scan.columns {
        for v in column
            .scan
            .verdicts
            .iter()
            .filter(|v| v.column_confidence >= min_confidence)
        {
            let first = column.first_hits.get(&v.detector);
            let location = ParquetLocation {
                path: first.map_or_else(|| scan.path.clone(), |h| h.path.clone()),
                column: column.scan.name.clone(),
                row_group: first.map(|h| h.row_group),
                row: first.map(|h| h.row),
                dataset: scan.dataset.then(|| scan.path.clone()),
                partition: first.and_then(|h| h.partition.clone()),
            };
            out.push(column_finding(v, Location::Parquet(location), rows));
        }
    }
    out
}
