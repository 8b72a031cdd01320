//! Running a scan: the walker's threads scan files where they find them and send findings in
//! batches, then one report per file, to the calling thread, which hands them to the output
//! in arrival order. A file's batches always arrive before its report.

pub mod file;
pub mod stream;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

pub use file::FileReport;

use crate::detection::Engine;
use crate::error::Result;
use crate::finding::{Finding, ScanError, Skipped};
use crate::source::extract::Limits;
use crate::source::walk::{self, Entry, WalkOptions};

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
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            walk: WalkOptions::default(),
            chunk_size: stream::DEFAULT_CHUNK,
            show_values: false,
            limits: Limits::default(),
            progress: Arc::default(),
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
                            let mut emit = |batch| {
                                let _ = tx.send(Event::Findings(batch));
                            };
                            let report = file::scan_file(
                                &mut scanner,
                                &path,
                                &options.limits,
                                options.show_values,
                                &mut emit,
                            );
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
