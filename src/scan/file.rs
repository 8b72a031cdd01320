//! Scanning one file: open, sniff, stream through the engine, build findings.

use std::path::Path;

use super::stream::{Located, StreamScanner};
use crate::detection::{Engine, mask};
use crate::finding::{FileLocation, Finding, Location, ScanError};
use crate::source::{Stamp, io_kind, text};

/// The outcome of scanning one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as reported (target joined with the relative path).
    pub path: String,
    /// Bytes of text scanned (after decompression and decoding).
    pub bytes: u64,
    /// Encoding the text was read with (absent when skipped or unreadable).
    pub encoding: Option<&'static str>,
    /// Whether the file was gzip-compressed.
    pub compressed: bool,
    /// Number of findings (they were handed out in batches while scanning).
    pub findings: u64,
    /// Why the file was not scanned, if it was not.
    pub skipped: Option<String>,
    /// What went wrong, if anything. Findings made before the error are kept.
    pub error: Option<ScanError>,
    /// Size, modification time (and hash, when asked for) taken before reading.
    pub stamp: Option<Stamp>,
    /// The file was not read: an incremental scan found it unchanged.
    pub unchanged: bool,
}

/// Builds a finding from a located hit.
pub fn finding(
    engine: &Engine,
    located: &Located<'_>,
    path: &str,
    show_values: bool,
    fingerprints: bool,
) -> Finding {
    let hit = located.hit;
    let detector = &engine.detectors()[usize::from(hit.detector)];
    let raw = &located.hay[hit.start..hit.end];
    Finding {
        detector: detector.id.clone(),
        category: detector.category.clone(),
        confidence: (hit.confidence * 100.0).round() / 100.0,
        location: Location::File(FileLocation {
            path: path.to_string(),
            line: located.line,
            column: located.column,
            offset: located.offset,
        }),
        masked: mask::mask(detector.mask, raw),
        value: show_values.then(|| String::from_utf8_lossy(raw).into_owned()),
        test_value: hit.test_value,
        pattern: detector.patterns[usize::from(hit.pattern)].name.clone(),
        context: hit.context,
        fingerprint: if fingerprints {
            crate::finding::fingerprint(raw)
        } else {
            0
        },
    }
}

/// Findings are handed out in batches of at most this many, so that memory stays bounded
/// however many values a file holds.
pub const BATCH: usize = 1024;

/// Scans the file at `path`, handing findings to `emit` in batches (in file order) as they
/// are made. Never fails: problems are recorded in the report.
pub fn scan_file(
    scanner: &mut StreamScanner<'_>,
    path: &Path,
    show_values: bool,
    fingerprints: bool,
    emit: &mut dyn FnMut(Vec<Finding>),
) -> FileReport {
    let display = path.display().to_string();
    let mut report = FileReport {
        path: display.clone(),
        bytes: 0,
        encoding: None,
        compressed: false,
        findings: 0,
        skipped: None,
        error: None,
        stamp: None,
        unchanged: false,
    };
    let error = |e: &std::io::Error, what: &str| ScanError {
        path: display.clone(),
        reason: format!("{what}: {e}"),
        kind: io_kind(e).to_string(),
    };
    let (mut reader, encoding, compressed) = match text::open(path) {
        Ok(text::Opened::Text {
            reader,
            encoding,
            compressed,
        }) => (reader, encoding, compressed),
        Ok(text::Opened::Skip(reason)) => {
            report.skipped = Some(reason);
            return report;
        }
        Err(e) => {
            report.error = Some(error(&e, "cannot open"));
            return report;
        }
    };
    report.encoding = Some(encoding.name());
    report.compressed = compressed;
    let mut batch = Vec::new();
    let mut count = 0;
    let engine = scanner.engine();
    let (bytes, err) = scanner.scan(&mut reader, |located| {
        batch.push(finding(
            engine,
            &located,
            &display,
            show_values,
            fingerprints,
        ));
        count += 1;
        if batch.len() == BATCH {
            emit(std::mem::take(&mut batch));
        }
    });
    if !batch.is_empty() {
        emit(batch);
    }
    report.bytes = bytes;
    report.findings = count;
    if let Some(e) = err {
        let what = if compressed {
            "decompressing"
        } else {
            "reading"
        };
        let mut scan_error = error(&e, what);
        if compressed && scan_error.kind == "io" {
            scan_error.kind = "decompress".into();
        }
        report.error = Some(scan_error);
    }
    report
}
