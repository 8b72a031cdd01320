//! Scanning one large plain-text file on several threads.
//!
//! The walker scans each file on the thread that found it, as ripgrep does; a single file of
//! hundreds of megabytes would then keep one core busy while the others idle. A large file that
//! is read as raw UTF-8 (no compression, no other encoding, no table structure) is cut instead
//! into segments that start at line starts, and the segments are scanned in parallel with
//! positioned reads, each with the engine's lookbehind and lookahead around it as context.
//! A segment reports only hits that start inside it, so every value is found once, exactly as
//! across chunk borders ([`super::stream`]).
//!
//! Segments are scanned in waves of one per thread and their findings handed out in file
//! order, so memory stays bounded (a wave's segments and their findings) whatever the file's
//! size. Line numbers are exact: each segment counts the newlines it owns, and its findings'
//! lines are shifted by the count of the segments before it once those are known.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::file::{BATCH, FileReport, FindingFlags, finding, location};
use super::stream::{Located, StreamScanner};
use crate::detection::Engine;
use crate::finding::{Finding, Location, ScanError};
use crate::source::extract::{self, Inner, Kind};
use crate::source::io_kind;
use crate::source::text::{self, SNIFF_LEN, TextEncoding};

/// Files at least this large are split (smaller ones keep the walker's threads busy enough).
pub const SPLIT_MIN: u64 = 64 << 20;

/// Bytes a segment owns: large enough that a segment's set-up (a scratch space, a thread)
/// is noise, small enough that a wave's findings stay a few megabytes.
pub const SEGMENT: u64 = 16 << 20;

/// How far past a nominal border to look for the line start that becomes the real border.
const BORDER_SEARCH: u64 = 1 << 20;

/// What a parallel scan needs besides the file.
#[derive(Debug, Clone)]
pub struct SplitOptions {
    /// Scanning threads.
    pub threads: usize,
    /// Chunk size of each segment's stream scanner.
    pub chunk: usize,
    /// Bytes scanned so far, for progress display.
    pub progress: Option<Arc<AtomicU64>>,
    /// Put raw values into findings.
    pub show_values: bool,
    /// Fingerprints and explanations.
    pub flags: FindingFlags,
    /// Smallest file that is split ([`SPLIT_MIN`]).
    pub min_size: u64,
    /// Bytes per segment ([`SEGMENT`]).
    pub segment: u64,
}

/// Scans `file` on `options.threads` threads if it is large plain UTF-8 text that is not a
/// table, handing findings to `emit` in batches, in file order. Returns `None`, having read
/// only its first bytes, when the file is not such a file: the caller scans it as usual.
pub fn scan_split(
    engine: &Engine,
    file: &File,
    path: &Path,
    options: &SplitOptions,
    emit: &mut dyn FnMut(Vec<Finding>),
) -> Option<FileReport> {
    let len = file.metadata().ok()?.len();
    if options.threads < 2 || len < options.min_size.max(1) {
        return None;
    }
    let name = path.to_string_lossy();
    if super::table::structure_of(&name).is_some() {
        return None;
    }
    let mut head = vec![0; SNIFF_LEN];
    let n = read_full_at(file, &mut head, 0).ok()?;
    head.truncate(n);
    let base = path.file_name().map(|n| n.to_string_lossy().into_owned());
    if extract::detect(&head, base.as_deref().unwrap_or("")) != Kind::Text
        || !text::plain_utf8(&head)
    {
        return None;
    }
    let display = path.display().to_string();
    let mut report = FileReport {
        encoding: Some(TextEncoding::Utf8.name()),
        ..FileReport::empty(display.clone())
    };
    let segments = match borders(file, len, options.segment.max(1)) {
        Ok(s) => s,
        Err(e) => {
            report.error = Some(read_error(&display, &e));
            return Some(report);
        }
    };
    // Newlines before the current wave.
    let mut lines_before = 0u64;
    let shared: Arc<str> = display.as_str().into();
    for wave in segments.chunks(options.threads) {
        let results: Vec<Segment> = std::thread::scope(|s| {
            let handles: Vec<_> = wave
                .iter()
                .map(|seg| {
                    let seg = seg.clone();
                    let display = &shared;
                    s.spawn(move || scan_segment(engine, file, len, seg, display, options))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| Segment {
                        error: Some(io::Error::other("segment scan panicked")),
                        ..Segment::default()
                    })
                })
                .collect()
        });
        for mut seg in results {
            let shift = lines_before - seg.lookbehind_lines;
            for f in &mut seg.findings {
                if let Location::File(l) = &mut f.location {
                    l.line += shift;
                }
            }
            report.findings += seg.findings.len() as u64;
            report.bytes += seg.bytes;
            let mut findings = seg.findings.into_iter();
            loop {
                let batch: Vec<Finding> = findings.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                emit(batch);
            }
            lines_before += seg.own_lines;
            if let Some(e) = seg.error {
                // Findings before the error are kept; the rest of the file is not read.
                report.error = Some(read_error(&display, &e));
                return Some(report);
            }
        }
    }
    Some(report)
}

fn read_error(path: &str, e: &io::Error) -> ScanError {
    ScanError {
        path: path.to_string(),
        reason: format!("reading: {e}"),
        kind: io_kind(e).to_string(),
    }
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], at + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Segment ranges covering `0..len`, each starting at a line start. A border with no line
/// start within [`BORDER_SEARCH`] bytes (or a segment) is dropped: the segments around it
/// merge.
fn borders(file: &File, len: u64, segment: u64) -> io::Result<Vec<Range<u64>>> {
    let mut starts = vec![0u64];
    let mut buf = vec![0u8; BORDER_SEARCH.min(segment) as usize];
    let mut nominal = segment;
    while nominal < len {
        let n = read_full_at(file, &mut buf, nominal)?;
        match memchr::memchr(b'\n', &buf[..n]) {
            Some(i) if nominal + (i as u64) + 1 < len => {
                let start = nominal + i as u64 + 1;
                starts.push(start);
                nominal = start + segment;
            }
            Some(_) => break,
            None => nominal += buf.len() as u64,
        }
    }
    let mut out: Vec<Range<u64>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    out.push(starts[starts.len() - 1]..len);
    Ok(out)
}

/// The outcome of one segment.
#[derive(Debug, Default)]
struct Segment {
    findings: Vec<Finding>,
    /// Newlines in the lookbehind before the segment (counted by the scanner's lines too).
    lookbehind_lines: u64,
    /// Newlines in the segment itself.
    own_lines: u64,
    bytes: u64,
    error: Option<io::Error>,
}

/// Reads `range` of a file with positioned reads, counting the newlines of `own` it passes.
struct RangeReader<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
    own: Range<u64>,
    own_lines: u64,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min((self.end - self.pos) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        let from = self.own.start.max(self.pos);
        let to = self.own.end.min(self.pos + n as u64);
        if from < to {
            let part = &buf[(from - self.pos) as usize..(to - self.pos) as usize];
            self.own_lines += memchr::memchr_iter(b'\n', part).count() as u64;
        }
        self.pos += n as u64;
        Ok(n)
    }
}

fn scan_segment(
    engine: &Engine,
    file: &File,
    len: u64,
    own: Range<u64>,
    path: &Arc<str>,
    options: &SplitOptions,
) -> Segment {
    let mut out = Segment::default();
    let start = own.start.saturating_sub(engine.lookbehind() as u64);
    let end = own.end.saturating_add(engine.lookahead() as u64).min(len);
    let mut behind = vec![0u8; (own.start - start) as usize];
    match read_full_at(file, &mut behind, start) {
        Ok(n) if n == behind.len() => {}
        Ok(_) => {
            out.error = Some(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "file shrank while being read",
            ));
            return out;
        }
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    }
    out.lookbehind_lines = memchr::memchr_iter(b'\n', &behind).count() as u64;
    let mut reader = RangeReader {
        file,
        pos: start,
        end,
        own: own.clone(),
        own_lines: 0,
    };
    let mut scanner = StreamScanner::new(engine, options.chunk);
    let root = Inner::default();
    let findings = &mut out.findings;
    let (_, error) = scanner.scan(&mut reader, |located: Located<'_>| {
        let offset = start + located.offset;
        if offset < own.start || offset >= own.end {
            return;
        }
        let located = Located { offset, ..located };
        let loc = location(path, &root, None, &located);
        findings.push(finding(
            engine,
            &located,
            loc,
            options.show_values,
            options.flags,
        ));
    });
    out.own_lines = reader.own_lines;
    out.bytes = own.end - own.start;
    if let Some(p) = &options.progress {
        p.fetch_add(out.bytes, Ordering::Relaxed);
    }
    out.error = error;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::{Catalog, EngineOptions};

    /// Split into many small segments on several threads, a file gives exactly the findings
    /// (detector, line, column, offset) of a sequential scan, in the same order.
    #[test]
    fn split_scan_equals_sequential_scan() {
        let engine = Engine::new(
            &Catalog::builtin().expect("catalog"),
            EngineOptions::default(),
        )
        .expect("engine");
        let mut text = String::new();
        for i in 0..4000 {
            // Varied line lengths put values on every side of segment borders; some lines
            // are long, and some values sit near line starts.
            let filler = "word ".repeat(i % 23);
            text.push_str(&format!(
                "{filler}user{i}@gmail.com from 81.2.{}.{} card 4539 1488 0343 6467\n",
                i % 250,
                1 + i % 200
            ));
            if i % 97 == 0 {
                text.push_str(&"x".repeat(5000));
                text.push('\n');
            }
        }
        let dir = std::env::temp_dir().join(format!("piimap-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("big.log");
        std::fs::write(&path, &text).expect("write");
        let key = |f: &Finding| match &f.location {
            Location::File(l) => (f.detector.clone(), l.line, l.column, l.offset),
            _ => panic!("file location expected"),
        };
        let mut sequential = Vec::new();
        let mut scanner = StreamScanner::new(&engine, 1 << 16);
        let root = Inner::default();
        let (_, err) = scanner.scan(&mut text.as_bytes(), |l| {
            let loc = location(&"big.log".into(), &root, None, &l);
            sequential.push(key(&finding(
                &engine,
                &l,
                loc,
                false,
                FindingFlags::default(),
            )));
        });
        assert!(err.is_none());
        let file = File::open(&path).expect("open");
        let options = SplitOptions {
            threads: 3,
            chunk: 1 << 16,
            progress: None,
            show_values: false,
            flags: FindingFlags::default(),
            min_size: 1,
            segment: 20_000,
        };
        let mut split = Vec::new();
        let report = scan_split(&engine, &file, &path, &options, &mut |batch| {
            split.extend(batch.iter().map(key));
        })
        .expect("a large plain-text file is split");
        assert!(report.error.is_none(), "{:?}", report.error);
        assert_eq!(report.bytes, text.len() as u64);
        assert_eq!(report.findings, split.len() as u64);
        assert!(sequential.len() > 10_000, "{}", sequential.len());
        assert!(
            text.len() as u64 > 30 * options.segment,
            "must span many segments"
        );
        assert_eq!(split, sequential);
        // Not split: tables, and files below the size limit.
        let csv = dir.join("big.csv");
        std::fs::write(&csv, &text).expect("write");
        let csv_file = File::open(&csv).expect("open");
        assert!(scan_split(&engine, &csv_file, &csv, &options, &mut |_| {}).is_none());
        let small = SplitOptions {
            min_size: text.len() as u64 + 1,
            ..options
        };
        assert!(scan_split(&engine, &file, &path, &small, &mut |_| {}).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
