//! Column verdicts: what one column of a table or a Parquet file holds, judged from its values
//! with the column name as context.
//!
//! Each non-null value is scanned as a field ([`Engine::scan_field`]), so a column called
//! `dob` or `customer.birth_date` supports date-of-birth candidates and one called `order_id`
//! suppresses SSN look-alikes. Per detector the profiler counts the values with a hit, the
//! distinct hits (keyed hashes, never the values), the best confidence and a few masked
//! examples.
//!
//! A column is **classified** as holding a detector's data when at least
//! [`CLASSIFY_RATIO`] of its non-null values hit, or [`CLASSIFY_RATIO_NAMED`] when its name
//! supports the detector. Sparse validated hits below that (one valid IBAN in 1,000 notes) are
//! still reported, unclassified, with a lower **column confidence**: the best confidence
//! scaled by `0.6 + 0.4 × min(1, ratio / CLASSIFY_RATIO)`.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Serialize;

use crate::detection::{Engine, FieldContext, Scratch, mask};
use crate::finding::fingerprint;

/// Share of non-null values that must hit for a column to be classified.
pub const CLASSIFY_RATIO: f64 = 0.3;
/// The same share when the column name supports the detector.
pub const CLASSIFY_RATIO_NAMED: f64 = 0.05;
/// Masked examples kept per column and detector.
const EXAMPLES: usize = 3;
/// Distinct values tracked per column and detector (past it, a lower bound).
const DISTINCT_CAP: usize = 1 << 20;

/// What one detector found in one column.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct ColumnVerdict {
    /// Detector id.
    pub detector: String,
    /// Category key.
    pub category: String,
    /// Non-null values with at least one hit.
    pub hits: u64,
    /// Distinct hit values.
    pub distinct_hits: u64,
    /// Non-null values examined.
    pub sampled: u64,
    /// `hits / sampled`.
    pub ratio: f64,
    /// Best confidence of a single hit.
    pub best_confidence: f32,
    /// Confidence that the column holds this data (see the module documentation).
    pub column_confidence: f32,
    /// The column is classified as holding this data.
    pub classified: bool,
    /// The column name supports this detector.
    pub name_context: bool,
    /// Masked examples.
    pub examples: Vec<String>,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    hits: u64,
    distinct: HashSet<u64>,
    best: f32,
    examples: Vec<String>,
    seen_in_value: bool,
}

/// Accumulates the values of one column.
#[derive(Debug)]
pub struct ColumnProfiler<'e> {
    engine: &'e Engine,
    field: FieldContext,
    non_null: u64,
    nulls: u64,
    acc: Vec<Acc>,
}

impl<'e> ColumnProfiler<'e> {
    /// A profiler for the column called `name` (its name or field path).
    pub fn new(engine: &'e Engine, name: &str) -> Self {
        ColumnProfiler {
            engine,
            field: engine.field_context(name),
            non_null: 0,
            nulls: 0,
            acc: vec![Acc::default(); engine.detectors().len()],
        }
    }

    /// Scans one non-null value.
    pub fn add(&mut self, scratch: &mut Scratch, value: &[u8]) {
        self.non_null += 1;
        if value.is_empty() {
            return;
        }
        self.engine
            .scan_field(value, 0..value.len(), scratch, &self.field);
        for acc in &mut self.acc {
            acc.seen_in_value = false;
        }
        for hit in scratch.hits() {
            let di = usize::from(hit.detector);
            let Some(acc) = self.acc.get_mut(di) else {
                continue;
            };
            let raw = &value[hit.start..hit.end];
            if !acc.seen_in_value {
                acc.seen_in_value = true;
                acc.hits += 1;
            }
            if acc.distinct.len() < DISTINCT_CAP {
                acc.distinct.insert(fingerprint(raw));
            }
            acc.best = acc.best.max(hit.confidence);
            if acc.examples.len() < EXAMPLES {
                let masked = mask::mask(self.engine.detectors()[di].mask, raw);
                if !acc.examples.contains(&masked) {
                    acc.examples.push(masked);
                }
            }
        }
    }

    /// Adds the values another profiler of the same column saw (another row group, another
    /// file of a dataset). The verdicts are those of all the values together.
    pub fn merge(&mut self, other: ColumnProfiler<'_>) {
        self.non_null += other.non_null;
        self.nulls += other.nulls;
        for (a, b) in self.acc.iter_mut().zip(other.acc) {
            a.hits += b.hits;
            a.best = a.best.max(b.best);
            for d in b.distinct {
                if a.distinct.len() >= DISTINCT_CAP {
                    break;
                }
                a.distinct.insert(d);
            }
            for e in b.examples {
                if a.examples.len() < EXAMPLES && !a.examples.contains(&e) {
                    a.examples.push(e);
                }
            }
        }
    }

    /// Counts a null value.
    pub fn add_null(&mut self) {
        self.nulls += 1;
    }

    /// Non-null values seen.
    pub fn non_null(&self) -> u64 {
        self.non_null
    }

    /// Null values seen.
    pub fn nulls(&self) -> u64 {
        self.nulls
    }

    /// The verdict per detector that found anything, most confident first.
    pub fn verdicts(&self) -> Vec<ColumnVerdict> {
        let mut out: Vec<ColumnVerdict> = self
            .acc
            .iter()
            .enumerate()
            .filter(|(_, a)| a.hits > 0)
            .map(|(di, a)| {
                let d = &self.engine.detectors()[di];
                let ratio = a.hits as f64 / self.non_null.max(1) as f64;
                let named = self.field.supports(di);
                let threshold = if named {
                    CLASSIFY_RATIO_NAMED
                } else {
                    CLASSIFY_RATIO
                };
                let scale = 0.6 + 0.4 * (ratio / CLASSIFY_RATIO).min(1.0);
                ColumnVerdict {
                    detector: d.id.to_string(),
                    category: d.category.to_string(),
                    hits: a.hits,
                    distinct_hits: a.distinct.len() as u64,
                    sampled: self.non_null,
                    ratio: (ratio * 10_000.0).round() / 10_000.0,
                    best_confidence: a.best,
                    column_confidence: ((f64::from(a.best) * scale * 100.0).round() / 100.0) as f32,
                    classified: ratio >= threshold,
                    name_context: named,
                    examples: a.examples.clone(),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.column_confidence
                .total_cmp(&a.column_confidence)
                .then(a.detector.cmp(&b.detector))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::{Catalog, EngineOptions};

    fn engine() -> Engine {
        Engine::new(
            &Catalog::builtin().expect("catalog"),
            EngineOptions::default(),
        )
        .expect("engine")
    }

    fn profile(engine: &Engine, name: &str, values: &[&str]) -> Vec<ColumnVerdict> {
        let mut p = ColumnProfiler::new(engine, name);
        let mut scratch = engine.scratch();
        for v in values {
            p.add(&mut scratch, v.as_bytes());
        }
        p.verdicts()
    }

    #[test]
    fn a_dob_column_is_classified_by_name_and_values() {
        let e = engine();
        let v = profile(
            &e,
            "dob",
            &["1984-03-17", "1990-11-02", "1984-03-17", "n/a"],
        );
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].detector, "date_of_birth");
        assert_eq!((v[0].hits, v[0].distinct_hits, v[0].sampled), (3, 2, 4));
        assert!(v[0].classified && v[0].name_context);
        assert!(v[0].examples.iter().all(|x| !x.contains("1984")), "masked");
        // The same dates under another name are not dates of birth.
        assert!(profile(&e, "created_at", &["1984-03-17", "1990-11-02"]).is_empty());
    }

    #[test]
    fn merged_profilers_give_the_verdicts_of_all_values() {
        let e = engine();
        let values = ["1984-03-17", "1990-11-02", "1984-03-17", "n/a"];
        let whole = profile(&e, "dob", &values);
        let mut scratch = e.scratch();
        let mut a = ColumnProfiler::new(&e, "dob");
        let mut b = ColumnProfiler::new(&e, "dob");
        for v in &values[..2] {
            a.add(&mut scratch, v.as_bytes());
        }
        for v in &values[2..] {
            b.add(&mut scratch, v.as_bytes());
        }
        a.merge(b);
        assert_eq!(a.verdicts(), whole);
    }

    #[test]
    fn sparse_validated_hits_are_reported_unclassified_with_lower_confidence() {
        let e = engine();
        let mut values = vec!["nothing to see here"; 999];
        values.push("refund to DE89 3704 0044 0532 0130 00 please");
        let v = profile(&e, "notes", &values);
        assert_eq!(v.len(), 1);
        let iban = &v[0];
        assert_eq!(iban.detector, "iban");
        assert!(!iban.classified);
        assert!(iban.column_confidence < iban.best_confidence);
        assert!(iban.column_confidence >= 0.5);
    }
}
