//! The default terminal report: a short summary and a per-file table.

use std::io::{self, Write};

use super::{Outcome, ScanMeta, Writer, human_bytes};
use std::collections::BTreeMap;

use crate::finding::{FileLocation, Finding, Location};

/// Rows shown per table before eliding.
const MAX_ROWS: usize = 50;

/// Distinct inner locations remembered for the report (beyond it they are counted only).
const MAX_INNER: usize = 10_000;

/// Human-readable writer.
pub struct Human<'w> {
    out: Box<dyn Write + 'w>,
    /// Findings inside documents and archives, by (file, inner location without cell) and
    /// detector.
    inner: BTreeMap<(std::sync::Arc<str>, String), BTreeMap<std::sync::Arc<str>, u64>>,
    inner_dropped: u64,
}

impl<'w> Human<'w> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Human {
            out,
            inner: BTreeMap::new(),
            inner_dropped: 0,
        }
    }
}

impl Writer for Human<'_> {
    fn begin(&mut self, _meta: &ScanMeta) -> io::Result<()> {
        Ok(())
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            if let Some(e) = &f.explain {
                let at = match &f.location {
                    Location::File(l) => format!("{}:{}:{}", l.path, l.line, l.column),
                    other => other.asset().into_owned(),
                };
                writeln!(
                    self.out,
                    "{at}: {} {} ({:.2})\n    {}",
                    f.detector,
                    f.masked,
                    f.confidence,
                    e.steps.join("\n    ")
                )?;
            }
            let Location::File(loc) = &f.location else {
                continue;
            };
            // Grouped by member, part, page and sheet; cells would make the table a dump.
            let coarse = FileLocation {
                cell: None,
                column_header: None,
                ..loc.clone()
            }
            .inner_display();
            if coarse.is_empty() {
                continue;
            }
            let key = (loc.path.clone(), coarse);
            if self.inner.len() >= MAX_INNER && !self.inner.contains_key(&key) {
                self.inner_dropped += 1;
                continue;
            }
            *self
                .inner
                .entry(key)
                .or_default()
                .entry(f.detector.clone())
                .or_default() += 1;
        }
        Ok(())
    }

    fn finish(&mut self, outcome: &Outcome) -> io::Result<()> {
        let s = &outcome.summary;
        let out = &mut self.out;
        writeln!(
            out,
            "Scanned {} files ({}) in {:.2} s: {} findings in {} files; {} skipped, {} errors.",
            s.files_scanned,
            human_bytes(s.bytes_scanned),
            s.elapsed_seconds,
            s.findings,
            s.assets_with_findings,
            s.files_skipped,
            s.errors
        )?;
        if s.tables_scanned > 0 {
            writeln!(
                out,
                "Scanned {} database tables and views ({} rows read).",
                s.tables_scanned, s.rows_read
            )?;
        }
        if s.files_unchanged > 0 {
            writeln!(
                out,
                "{} files unchanged since the last scan were not re-read; their findings are in the inventory.",
                s.files_unchanged
            )?;
        }
        if !s.findings_by_detector.is_empty() {
            writeln!(out, "\nFindings by detector")?;
            let mut by: Vec<_> = s.findings_by_detector.iter().collect();
            by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (id, n) in by {
                writeln!(out, "  {id:<20} {n:>8}")?;
            }
        }
        if !outcome.assets.is_empty() {
            let mut assets: Vec<_> = outcome.assets.iter().collect();
            assets.sort_by(|a, b| {
                b.sensitivity
                    .cmp(&a.sensitivity)
                    .then(b.findings.cmp(&a.findings))
                    .then(a.asset.cmp(&b.asset))
            });
            writeln!(out, "\nFiles with findings")?;
            let shown = &assets[..assets.len().min(MAX_ROWS)];
            let width = shown
                .iter()
                .map(|a| a.asset.chars().count())
                .max()
                .unwrap_or(4)
                .clamp(4, 70);
            writeln!(
                out,
                "  {:<11} {:>8}  {:<width$}  DETECTORS",
                "SENSITIVITY", "FINDINGS", "PATH"
            )?;
            for a in shown {
                let detectors: Vec<_> = a
                    .detectors
                    .iter()
                    .map(|(d, n)| format!("{d}({n})"))
                    .collect();
                let sensitivity = format!("{:?}", a.sensitivity).to_lowercase();
                writeln!(
                    out,
                    "  {sensitivity:<11} {:>8}  {:<width$}  {}",
                    a.findings,
                    a.asset,
                    detectors.join(" ")
                )?;
            }
            if assets.len() > MAX_ROWS {
                writeln!(
                    out,
                    "  … and {} more files (use --format json for all)",
                    assets.len() - MAX_ROWS
                )?;
            }
        }
        if !self.inner.is_empty() {
            writeln!(out, "\nInside documents and archives")?;
            for ((path, inner), by) in self.inner.iter().take(MAX_ROWS) {
                let detectors: Vec<_> = by.iter().map(|(d, n)| format!("{d}({n})")).collect();
                writeln!(out, "  {path} » {inner}  {}", detectors.join(" "))?;
            }
            let more = self.inner.len().saturating_sub(MAX_ROWS);
            if more > 0 || self.inner_dropped > 0 {
                writeln!(out, "  … and more locations (use --format json for all)")?;
            }
        }
        if !outcome.skipped.is_empty() {
            writeln!(out, "\nSkipped")?;
            for k in outcome.skipped.iter().take(MAX_ROWS) {
                match &k.inner {
                    Some(inner) => writeln!(out, "  {} » {}: {}", k.path, inner, k.reason)?,
                    None => writeln!(out, "  {}: {}", k.path, k.reason)?,
                }
            }
            if outcome.skipped.len() > MAX_ROWS {
                writeln!(out, "  … and {} more", outcome.skipped.len() - MAX_ROWS)?;
            }
        }
        if !outcome.errors.is_empty() {
            writeln!(out, "\nErrors")?;
            for e in &outcome.errors {
                writeln!(out, "  {}: {}", e.path, e.reason)?;
            }
        }
        out.flush()
    }
}
