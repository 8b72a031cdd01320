//! Running a scan: the walker's threads scan files where they find them and send findings in
//! batches, then one report per file, to the calling thread, which hands them to the output
//! in arrival order. A file's batches always arrive before its report.

pub mod file;
pub mod stream;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

pub use file::FileReport;

use crate::detection::Engine;
use crate::error::Result;
use crate::finding::{Finding, ScanError, Skipped};
use crate::source::extract::Limits;
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
    /// Hash every file's content (XXH3-128) and compare hashes, not only size and
    /// modification time, when deciding whether a file changed.
    pub content_hash: bool,
    /// Incremental scan: files whose stamp matches the one known here are not read (they are
    /// reported with `unchanged` set).
    pub known: Option<Arc<HashMap<String, Stamp>>>,
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
            content_hash: false,
            known: None,
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
    /// The walker met an error (unreadable directory, loop).
    Error(ScanError),
}

/// Scans `targets` (files or directories, all of which must exist) and calls `sink` on the
/// calling thread for every event. Files are scanned in parallel.
pub fn run(
    engine: &Engine,
    targets: &[PathBuf],
    options: &ScanOptions,
    mut sink: impl FnMut(Event),
) -> Result<()> {
    walk::check_targets(targets)?;
    // Small on purpose: a batch holds up to `file::BATCH` findings, and when the writer is the
    // bottleneck the scanners should wait rather than queue memory.
    let (tx, rx) = crossbeam_channel::bounded::<Event>(CHANNEL_EVENTS);
    std::thread::scope(|s| {
        let walker = s.spawn(move || {
            walk::walk(targets, &options.walk, || {
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
                            let mut emit = |batch| {
                                let _ = tx.send(Event::Findings(batch));
                            };
                            let mut report = file::scan_file(
                                &mut scanner,
                                &path,
                                &options.limits,
                                options.show_values,
                                options.fingerprints,
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
            })
        });
        for event in rx {
            sink(event);
        }
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
