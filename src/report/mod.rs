//! Reports: the output formats of a scan.
//!
//! Every format is a [`Writer`] that receives the scan's metadata, then findings in batches as
//! files finish (so machine formats stream and use no memory per finding), then the
//! [`Outcome`] (summary, per-asset classification, errors, skips).

pub mod audit;
pub mod csv;
mod encode;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod sarif;

use std::collections::BTreeMap;
use std::io;

use schemars::JsonSchema;
use serde::Serialize;

use crate::classification::AssetSummary;
use crate::finding::{Finding, ScanError, Skipped};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Summary and per-file table for people.
    Human,
    /// One JSON finding per line.
    Jsonl,
    /// One JSON document: scan metadata, findings, assets, errors, summary.
    Json,
    /// One CSV row per finding.
    Csv,
    /// SARIF 2.1.0, for code-scanning UIs.
    Sarif,
}

/// The tool that produced a report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Tool {
    /// `piimap`.
    pub name: String,
    /// Version of piimap.
    pub version: String,
}

impl Tool {
    /// This build of piimap.
    pub fn current() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// A detector as described in reports.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DetectorInfo {
    /// Detector id.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Category key.
    pub category: String,
    /// Description.
    pub description: String,
}

/// What was scanned, how.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScanMeta {
    /// Start time, RFC 3339.
    pub started_at: String,
    /// Targets as given.
    pub targets: Vec<String>,
    /// Minimum confidence of reported findings.
    pub min_confidence: f32,
    /// The regions whose national phone numbers (written without a country code) were
    /// accepted, in the order tried (ISO 3166 codes; `--phone-regions`, or the default list).
    pub phone_regions: Vec<String>,
    /// Whether raw values are included.
    pub show_values: bool,
    /// The detectors that ran.
    pub detectors: Vec<DetectorInfo>,
}

/// Counts of a finished scan.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Summary {
    /// Files scanned (read to the end or until an error).
    pub files_scanned: u64,
    /// Files and entries skipped (binary, links, special files).
    pub files_skipped: u64,
    /// Files not re-read by an incremental scan (`--since-last`): unchanged since the
    /// inventory's record.
    pub files_unchanged: u64,
    /// Errors (per file or while walking).
    pub errors: u64,
    /// Bytes of text scanned.
    pub bytes_scanned: u64,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
    /// Findings reported.
    pub findings: u64,
    /// Findings per detector id.
    pub findings_by_detector: BTreeMap<String, u64>,
    /// Assets with at least one finding.
    pub assets_with_findings: u64,
    /// Database tables and views scanned.
    pub tables_scanned: u64,
    /// Database rows read.
    pub rows_read: u64,
}

/// Everything known at the end of a scan.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Counts.
    pub summary: Summary,
    /// Per-asset classification of assets with findings.
    pub assets: Vec<AssetSummary>,
    /// Errors.
    pub errors: Vec<ScanError>,
    /// Skipped entries.
    pub skipped: Vec<Skipped>,
}

/// The complete JSON document written by `--format json` (streamed in this field order).
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonReport {
    /// The tool.
    pub tool: Tool,
    /// Scan metadata.
    pub scan: ScanMeta,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Per-asset classification.
    pub assets: Vec<AssetSummary>,
    /// Errors met; the scan went on.
    pub errors: Vec<ScanError>,
    /// Entries not scanned, with the reason.
    pub skipped: Vec<Skipped>,
    /// Counts.
    pub summary: Summary,
}

/// An output format.
pub trait Writer {
    /// Called once before any finding.
    fn begin(&mut self, meta: &ScanMeta) -> io::Result<()>;
    /// Called with the findings of each asset, as assets finish.
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()>;
    /// Called once at the end.
    fn finish(&mut self, outcome: &Outcome) -> io::Result<()>;
}

/// Creates the writer for `format` over `out`.
pub fn writer<'w>(format: Format, out: Box<dyn io::Write + 'w>) -> Box<dyn Writer + 'w> {
    match format {
        Format::Human => Box::new(human::Human::new(out)),
        Format::Jsonl => Box::new(jsonl::Jsonl::new(out)),
        Format::Json => Box::new(json::Json::new(out)),
        Format::Csv => Box::new(csv::Csv::new(out)),
        Format::Sarif => Box::new(sarif::Sarif::new(out)),
    }
}

/// Formats a byte count for people (`1.2 MB`).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

fn to_io(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}
