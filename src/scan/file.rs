//! Scanning one file: extract its text segments (plain text, documents, archives, e-mail),
//! stream each through the engine, build findings with their (inner) location.

use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use super::stream::{Located, StreamScanner};
use crate::detection::{Engine, mask};
use crate::finding::{Explanation, FileLocation, Finding, Location, ScanError, Skipped};
use crate::source::extract::{self, Cells, Inner, Limits, Sink};
use crate::source::text::TextEncoding;
use crate::source::{Stamp, io_kind};

/// The outcome of scanning one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as reported (target joined with the relative path).
    pub path: String,
    /// Bytes of text scanned (after decompression, decoding and extraction).
    pub bytes: u64,
    /// Encoding the text was read with (absent when skipped, unreadable, or a document).
    pub encoding: Option<&'static str>,
    /// Whether the file was gzip-compressed.
    pub compressed: bool,
    /// Number of findings (they were handed out in batches while scanning).
    pub findings: u64,
    /// Why the file was not scanned, if it was not.
    pub skipped: Option<String>,
    /// Parts of the file that were not scanned (archive members, document parts, pages, or
    /// the rest of the file after a limit), each with the reason.
    pub notes: Vec<Skipped>,
    /// What went wrong, if anything. Findings made before the error are kept.
    pub error: Option<ScanError>,
    /// Size, modification time (and hash, when asked for) taken before reading.
    pub stamp: Option<Stamp>,
    /// The file was not read: an incremental scan found it unchanged.
    pub unchanged: bool,
}

impl FileReport {
    /// The report of a file not read yet.
    pub fn empty(path: String) -> FileReport {
        FileReport {
            path,
            bytes: 0,
            encoding: None,
            compressed: false,
            findings: 0,
            skipped: None,
            notes: Vec::new(),
            error: None,
            stamp: None,
            unchanged: false,
        }
    }
}

/// The location of a hit in a segment at `at`.
pub fn location(
    path: &Arc<str>,
    at: &Inner,
    cells: Option<&Cells>,
    located: &Located<'_>,
) -> FileLocation {
    let (cell, column_header) = match cells.and_then(|c| c.at(located.offset)) {
        Some((cell, header)) => (Some(cell), header.map(str::to_string)),
        None => (None, None),
    };
    FileLocation {
        path: Arc::clone(path),
        inner: at.member.clone(),
        part: at.part.clone(),
        page: at.page,
        sheet: at.sheet.clone(),
        cell,
        column_header,
        line: located.line,
        column: located.column,
        offset: located.offset,
    }
}

/// What a finding carries besides its value and location.
#[derive(Debug, Clone, Copy, Default)]
pub struct FindingFlags {
    /// Compute the keyed fingerprint of the value.
    pub fingerprints: bool,
    /// Attach an [`Explanation`].
    pub explain: bool,
}

/// How a hit's confidence came about.
pub fn explain(engine: &Engine, hit: &crate::detection::Hit) -> Explanation {
    let d = &engine.detectors()[usize::from(hit.detector)];
    let p = &d.patterns[usize::from(hit.pattern)];
    let mut steps = vec![format!(
        "pattern `{}` matched (base confidence {:.2})",
        p.name, p.confidence
    )];
    match &d.validator {
        Some((name, _)) if hit.test_value => steps.push(format!(
            "validator `{name}`: a well-known test or reserved value, confidence capped at {:.2}",
            crate::detection::engine::TEST_VALUE_CONFIDENCE
        )),
        Some((name, _)) => steps.push(format!("validator `{name}`: valid")),
        None => steps.push("no validator".into()),
    }
    if hit.context {
        steps.push(format!(
            "context: a context word near the value or the field's name supports it (+{:.2})",
            d.context.boost
        ));
    } else if p.require_context {
        steps.push("context: required and present".into());
    } else {
        steps.push("context: none found".into());
    }
    Explanation {
        pattern: p.name.to_string(),
        regex: p.regex.clone(),
        base_confidence: p.confidence,
        validator: d.validator.as_ref().map(|(n, _)| n.clone()),
        test_value: hit.test_value,
        context: hit.context,
        context_boost: if hit.context { d.context.boost } else { 0.0 },
        confidence: (hit.confidence * 100.0).round() / 100.0,
        steps,
    }
}

/// Builds a finding from a located hit.
pub fn finding(
    engine: &Engine,
    located: &Located<'_>,
    location: FileLocation,
    show_values: bool,
    flags: FindingFlags,
) -> Finding {
    let hit = located.hit;
    let detector = &engine.detectors()[usize::from(hit.detector)];
    let raw = &located.hay[hit.start..hit.end];
    Finding {
        detector: detector.id.clone(),
        category: detector.category.clone(),
        confidence: (hit.confidence * 100.0).round() / 100.0,
        location: Location::File(location),
        masked: mask::mask(detector.mask, raw),
        value: show_values.then(|| String::from_utf8_lossy(raw).into_owned()),
        test_value: hit.test_value,
        pattern: detector.patterns[usize::from(hit.pattern)].name.clone(),
        context: hit.context,
        column: None,
        explain: flags.explain.then(|| Box::new(explain(engine, hit))),
        fingerprint: if flags.fingerprints {
            crate::finding::fingerprint(raw)
        } else {
            0
        },
    }
}

/// Findings are handed out in batches of at most this many, so that memory stays bounded
/// however many values a file holds.
pub const BATCH: usize = 1024;

/// Scans extracted segments and collects what the report needs.
struct FileSink<'a, 'e> {
    scanner: &'a mut StreamScanner<'e>,
    path: &'a Arc<str>,
    show_values: bool,
    flags: FindingFlags,
    emit: &'a mut dyn FnMut(Vec<Finding>),
    batch: Vec<Finding>,
    report: FileReport,
    root_skip: Option<String>,
}

impl Sink for FileSink<'_, '_> {
    fn text(&mut self, at: &Inner, text: &mut dyn Read, cells: Option<&Cells>) -> io::Result<()> {
        let FileSink {
            scanner,
            path,
            show_values,
            flags,
            emit,
            batch,
            report,
            ..
        } = self;
        let engine = scanner.engine();
        let on_hit = |located: Located<'_>| {
            let loc = location(path, at, cells, &located);
            batch.push(finding(engine, &located, loc, *show_values, *flags));
            report.findings += 1;
            if batch.len() == BATCH {
                emit(std::mem::take(batch));
            }
        };
        // Delimited text gets its header as column context, JSON its key paths.
        let name = at.member.as_deref().unwrap_or(path);
        let (bytes, err) = match super::table::structure_of(name) {
            Some(kind) if cells.is_none() => scanner.scan_structured(text, kind, on_hit),
            _ => scanner.scan(text, on_hit),
        };
        report.bytes += bytes;
        err.map_or(Ok(()), Err)
    }

    fn skip(&mut self, at: &Inner, reason: String) {
        let nothing_yet = self.report.bytes == 0 && self.report.findings == 0;
        if at.is_root() && nothing_yet && self.root_skip.is_none() {
            self.root_skip = Some(reason);
            return;
        }
        let inner = FileLocation {
            inner: at.member.clone(),
            part: at.part.clone(),
            page: at.page,
            sheet: at.sheet.clone(),
            ..FileLocation::default()
        }
        .inner_display();
        self.report.notes.push(Skipped {
            path: self.path.to_string(),
            inner: (!inner.is_empty()).then_some(inner),
            reason,
        });
    }

    fn encoding(&mut self, encoding: TextEncoding, compressed: bool) {
        self.report.encoding = Some(encoding.name());
        self.report.compressed = compressed;
    }
}

/// Opens the file at `path` for scanning; on failure, the report that says why.
pub fn open(path: &Path) -> Result<std::fs::File, Box<FileReport>> {
    std::fs::File::open(path).map_err(|e| {
        let display = path.display().to_string();
        Box::new(FileReport {
            error: Some(ScanError {
                path: display.clone(),
                reason: format!("cannot open: {e}"),
                kind: io_kind(&e).to_string(),
            }),
            ..FileReport::empty(display)
        })
    })
}

/// Whether an open file is Parquet: its magic bytes (`PAR1`), or a `.parquet` name (so that
/// a truncated or corrupt one is reported as such rather than as binary). Costs one read of
/// four bytes.
pub fn is_parquet(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::FileExt;
    let mut head = [0u8; 4];
    let magic = file.read_at(&mut head, 0).is_ok_and(|n| n == 4)
        && crate::source::parquet::is_parquet(&head);
    magic
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Scans the file at `path`, handing findings to `emit` in batches (in file order) as they
/// are made. Never fails: problems are recorded in the report.
pub fn scan_file(
    scanner: &mut StreamScanner<'_>,
    path: &Path,
    limits: &Limits,
    show_values: bool,
    flags: FindingFlags,
    emit: &mut dyn FnMut(Vec<Finding>),
) -> FileReport {
    match open(path) {
        Ok(file) => scan_opened(scanner, file, path, limits, show_values, flags, emit),
        Err(report) => *report,
    }
}

/// [`scan_file`] for a file already open.
pub fn scan_opened(
    scanner: &mut StreamScanner<'_>,
    file: std::fs::File,
    path: &Path,
    limits: &Limits,
    show_values: bool,
    flags: FindingFlags,
    emit: &mut dyn FnMut(Vec<Finding>),
) -> FileReport {
    let display = path.display().to_string();
    let report = FileReport::empty(display.clone());
    let shared: Arc<str> = display.as_str().into();
    let mut sink = FileSink {
        scanner,
        path: &shared,
        show_values,
        flags,
        emit,
        batch: Vec::new(),
        report,
        root_skip: None,
    };
    let result = extract::extract_file(file, path, limits, &mut sink);
    if !sink.batch.is_empty() {
        (sink.emit)(std::mem::take(&mut sink.batch));
    }
    let mut report = sink.report;
    if let Some(reason) = sink.root_skip {
        if report.bytes == 0 && report.findings == 0 {
            report.skipped = Some(reason);
        } else {
            report.notes.push(Skipped {
                path: display.clone(),
                inner: None,
                reason,
            });
        }
    }
    if let Err(e) = result {
        let reason = e.to_string();
        let mut kind = io_kind(&e).to_string();
        if reason.starts_with("decompressing") && kind == "io" {
            kind = "decompress".into();
        }
        report.error = Some(ScanError {
            path: display,
            reason,
            kind,
        });
    }
    report
}
