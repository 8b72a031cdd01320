//! Turning a scan's event stream into inventory records.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use super::{AssetRecord, AssetStatus, DataAge, Evidence, ScanTotals, Store};
use crate::classification::column::ColumnVerdict;
use crate::error::Result;
use crate::finding::{Finding, Skipped};
use crate::scan::FileReport;
use crate::source::db::TableScan;
use crate::source::parquet::ParquetScan;

/// Masked examples kept per asset and detector.
const EXAMPLES: usize = 3;
/// Distinct values tracked per asset and detector; past this, the distinct count is a lower
/// bound.
const DISTINCT_CAP: usize = 1 << 20;
/// Commit at least this often, so that an interrupted scan keeps what it recorded.
const FLUSH_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
struct DetectorAcc {
    category: String,
    hits: u64,
    distinct: HashSet<u64>,
    best: f32,
    examples: Vec<String>,
}

/// Records one scan into a [`Store`]: feed it the scan's events in order, then call
/// [`Recorder::finish`].
#[derive(Debug)]
pub struct Recorder<'s> {
    store: &'s mut Store,
    scan: i64,
    now: String,
    detector_set: String,
    open: HashMap<String, HashMap<String, DetectorAcc>>,
    databases: HashSet<(&'static str, String)>,
    totals: ScanTotals,
    last_flush: Instant,
}

impl<'s> Recorder<'s> {
    /// Starts recording scan `scan` (from [`Store::begin_scan`]) made with `detector_set`.
    pub fn new(store: &'s mut Store, scan: i64, now: String, detector_set: String) -> Self {
        Recorder {
            store,
            scan,
            now,
            detector_set,
            open: HashMap::new(),
            databases: HashSet::new(),
            totals: ScanTotals::default(),
            last_flush: Instant::now(),
        }
    }

    /// Counts a batch of findings of one asset.
    pub fn findings(&mut self, batch: &[Finding]) {
        for f in batch {
            self.totals.findings += 1;
            if f.column.is_some() {
                // Column findings carry their evidence; the table event records them.
                continue;
            }
            let asset = f.location.asset();
            let detectors = match self.open.get_mut(asset.as_ref()) {
                Some(d) => d,
                None => self.open.entry(asset.into_owned()).or_default(),
            };
            let acc = match detectors.get_mut(&*f.detector) {
                Some(a) => a,
                None => detectors.entry(f.detector.to_string()).or_default(),
            };
            if acc.hits == 0 {
                acc.category = f.category.to_string();
            }
            acc.hits += 1;
            if acc.distinct.len() < DISTINCT_CAP {
                acc.distinct.insert(f.fingerprint);
            }
            acc.best = acc.best.max(f.confidence);
            if acc.examples.len() < EXAMPLES && !acc.examples.contains(&f.masked) {
                acc.examples.push(f.masked.clone());
            }
        }
    }

    /// Records a file once its report arrives (after its findings).
    pub fn file(&mut self, report: &FileReport) -> Result<()> {
        if report.unchanged {
            self.totals.unchanged += 1;
            if let Some(stamp) = &report.stamp {
                self.store.touch(self.scan, "file", &report.path, stamp)?;
            }
            return self.maybe_flush();
        }
        let detectors = self.open.remove(&report.path).unwrap_or_default();
        let mut evidence: Vec<Evidence> = detectors
            .into_iter()
            .map(|(detector, acc)| Evidence {
                detector,
                category: acc.category,
                hits: acc.hits,
                distinct_hits: acc.distinct.len() as u64,
                sample_size: None,
                best_confidence: acc.best,
                examples: acc.examples,
                first_seen: String::new(),
                last_seen: String::new(),
            })
            .collect();
        evidence.sort_by(|a, b| a.detector.cmp(&b.detector));
        let (status, reason) = if let Some(reason) = &report.skipped {
            (AssetStatus::Skipped, Some(reason.clone()))
        } else if let Some(e) = &report.error {
            self.totals.errors += 1;
            (AssetStatus::Error, Some(e.reason.clone()))
        } else {
            (AssetStatus::Scanned, None)
        };
        if status != AssetStatus::Skipped {
            self.totals.read += 1;
        }
        let ages = report
            .stamp
            .as_ref()
            .and_then(|s| jiff::Timestamp::from_nanosecond(i128::from(s.modified_ns)).ok())
            .map(|t| {
                vec![DataAge {
                    basis: "mtime".into(),
                    oldest: Some(t.to_string()),
                    newest: Some(t.to_string()),
                    records: None,
                    histogram: Vec::new(),
                }]
            })
            .unwrap_or_default();
        let record = AssetRecord {
            source: "file".into(),
            locator: report.path.clone(),
            kind: "file".into(),
            parent: None,
            status,
            reason,
            stamp: report.stamp.clone(),
            bytes_scanned: report.bytes,
            rows_total: None,
            rows_sampled: None,
            evidence,
            ages,
        };
        self.store
            .record(self.scan, &self.now, &self.detector_set, &record)?;
        self.maybe_flush()
    }

    /// Records an entry the walker skipped (a symbolic link, a special file).
    pub fn skipped(&mut self, skipped: &Skipped) -> Result<()> {
        let record = AssetRecord {
            source: "file".into(),
            locator: skipped.path.clone(),
            kind: "file".into(),
            parent: None,
            status: AssetStatus::Skipped,
            reason: Some(skipped.reason.clone()),
            stamp: None,
            bytes_scanned: 0,
            rows_total: None,
            rows_sampled: None,
            evidence: Vec::new(),
            ages: Vec::new(),
        };
        self.store
            .record(self.scan, &self.now, &self.detector_set, &record)?;
        self.maybe_flush()
    }

    /// Records a scanned database table and its columns.
    pub fn table(&mut self, t: &TableScan) -> Result<()> {
        let source = t.kind.source();
        let locator = t.locator();
        self.databases.insert((source, t.database.clone()));
        let status = if t.error.is_some() {
            self.totals.errors += 1;
            AssetStatus::Error
        } else if t.sampled {
            AssetStatus::Sampled
        } else {
            AssetStatus::Scanned
        };
        self.totals.read += 1;
        let ages = t
            .ages
            .iter()
            .map(|a| DataAge {
                basis: format!("column:{}", a.column),
                oldest: a.oldest.clone(),
                newest: a.newest.clone(),
                records: Some(a.records),
                histogram: a.histogram.clone(),
            })
            .collect();
        let table = AssetRecord {
            source: source.into(),
            locator: locator.clone(),
            kind: t.relation.clone(),
            parent: None,
            status,
            reason: t.error.clone(),
            stamp: None,
            bytes_scanned: 0,
            rows_total: t.rows_total,
            rows_sampled: Some(t.rows_read),
            evidence: Vec::new(),
            ages,
        };
        self.store
            .record(self.scan, &self.now, &self.detector_set, &table)?;
        for c in &t.columns {
            let evidence = column_evidence(&c.verdicts);
            let (status, reason) = if !c.scanned {
                (
                    AssetStatus::Skipped,
                    Some(format!("type {} is not scanned", c.data_type)),
                )
            } else {
                (status, t.error.clone())
            };
            let record = AssetRecord {
                source: source.into(),
                locator: format!("{locator}.{}", c.name),
                kind: "column".into(),
                parent: Some(locator.clone()),
                status,
                reason,
                stamp: None,
                bytes_scanned: 0,
                rows_total: t.rows_total,
                rows_sampled: Some(c.non_null + c.nulls),
                evidence,
                ages: Vec::new(),
            };
            self.store
                .record(self.scan, &self.now, &self.detector_set, &record)?;
        }
        self.maybe_flush()
    }

    /// Records a scanned Parquet file (`parquet_file`) or dataset (`dataset`, with its files
    /// as `parquet_file` children), and its columns (`parquet_column`, `path#field.path`)
    /// with their evidence. Data ages (`partition:<key>`, `column:<path>`) go on the file or
    /// dataset; columns take them through their parent.
    pub fn parquet(&mut self, p: &ParquetScan) -> Result<()> {
        let failed = p.failed_files().count() as u64;
        self.totals.errors += failed;
        self.totals.read += p.files.len() as u64 - failed;
        let status = |error: bool| {
            if error {
                AssetStatus::Error
            } else if p.sampled {
                AssetStatus::Sampled
            } else {
                AssetStatus::Scanned
            }
        };
        let reason = p.error.clone().or_else(|| {
            (!p.drift.is_empty()).then(|| format!("schema drift: {}", p.drift.join("; ")))
        });
        let container = AssetRecord {
            source: "parquet".into(),
            locator: p.path.clone(),
            kind: if p.dataset { "dataset" } else { "parquet_file" }.into(),
            parent: None,
            status: status(p.error.is_some()),
            reason,
            stamp: None,
            bytes_scanned: p.files.iter().map(|f| f.bytes).sum(),
            rows_total: Some(p.rows_total),
            rows_sampled: Some(p.rows_read),
            evidence: Vec::new(),
            ages: p
                .ages
                .iter()
                .map(|a| DataAge {
                    basis: a.basis.clone(),
                    oldest: a.oldest.clone(),
                    newest: a.newest.clone(),
                    records: Some(a.records),
                    histogram: a.histogram.clone(),
                })
                .collect(),
        };
        self.store
            .record(self.scan, &self.now, &self.detector_set, &container)?;
        if p.dataset {
            for f in &p.files {
                let record = AssetRecord {
                    source: "parquet".into(),
                    locator: f.path.clone(),
                    kind: "parquet_file".into(),
                    parent: Some(p.path.clone()),
                    status: status(f.error.is_some()),
                    reason: f.error.clone(),
                    stamp: None,
                    bytes_scanned: f.bytes,
                    rows_total: Some(f.rows),
                    rows_sampled: Some(f.rows_read),
                    evidence: Vec::new(),
                    ages: Vec::new(),
                };
                self.store
                    .record(self.scan, &self.now, &self.detector_set, &record)?;
            }
        }
        for c in &p.columns {
            let c = &c.scan;
            let (status, reason) = if c.scanned {
                (status(p.error.is_some()), None)
            } else {
                (
                    AssetStatus::Skipped,
                    Some(format!("type {} is not scanned", c.data_type)),
                )
            };
            let record = AssetRecord {
                source: "parquet".into(),
                locator: format!("{}#{}", p.path, c.name),
                kind: "parquet_column".into(),
                parent: Some(p.path.clone()),
                status,
                reason,
                stamp: None,
                bytes_scanned: 0,
                rows_total: Some(p.rows_total),
                rows_sampled: Some(c.non_null + c.nulls),
                evidence: column_evidence(&c.verdicts),
                ages: Vec::new(),
            };
            self.store
                .record(self.scan, &self.now, &self.detector_set, &record)?;
        }
        self.maybe_flush()
    }

    /// Counts an error met while walking.
    pub fn walk_error(&mut self) {
        self.totals.errors += 1;
    }

    fn maybe_flush(&mut self) -> Result<()> {
        if self.last_flush.elapsed() >= FLUSH_EVERY {
            self.store.flush()?;
            self.last_flush = Instant::now();
        }
        Ok(())
    }

    /// Ends the scan: drops deleted files under `roots` (only after a complete walk), writes
    /// the totals and commits.
    /// Tables and columns of the databases scanned are dropped the same way when
    /// `complete_databases` (no table filters were given).
    pub fn finish(
        self,
        roots: &[String],
        complete_databases: bool,
        finished_at: &str,
    ) -> Result<ScanTotals> {
        let mut totals = self.totals;
        totals.removed = self.store.remove_missing(self.scan, roots)?;
        if complete_databases {
            for (source, database) in &self.databases {
                totals.removed += self
                    .store
                    .remove_missing_tables(self.scan, source, database)?;
            }
        }
        self.store.finish_scan(self.scan, finished_at, totals)?;
        Ok(totals)
    }
}

/// The evidence of a column's verdicts (its confidence is the column confidence).
fn column_evidence(verdicts: &[ColumnVerdict]) -> Vec<Evidence> {
    verdicts
        .iter()
        .map(|v| Evidence {
            detector: v.detector.clone(),
            category: v.category.clone(),
            hits: v.hits,
            distinct_hits: v.distinct_hits,
            sample_size: Some(v.sampled),
            best_confidence: v.column_confidence,
            examples: v.examples.clone(),
            first_seen: String::new(),
            last_seen: String::new(),
        })
        .collect()
}
