//! Reconciliation: the inventory (what scans found) against the RoPA (what was declared).
//!
//! Every gap names its kind, the activity concerned, the location, the category and detector,
//! a severity from `rules/reconciliation.toml`, and the evidence behind it (counts, masked
//! examples, dates). The kinds:
//!
//! - `undocumented_location`: PII in an asset that no activity's systems cover;
//! - `undeclared_category`: covered, but no covering activity declares the category;
//! - `retention_breach`: data older than a covering activity's retention period, counted from
//!   its `retention_from` (one gap per activity and system, with how many assets, the oldest
//!   date and by how much the period is exceeded);
//! - `special_category_without_condition`: Art. 9 data where no covering activity names an
//!   Art. 9(2) condition;
//! - `declared_not_found`: a declared category that no scanned covered asset contains;
//! - `not_scanned`: a declared system with no asset in the inventory.

pub mod dates;
mod rules;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;

use crate::classification::{Sensitivity, Taxonomy};
use crate::inventory::{InventoryAsset, ScanRecord};
use crate::ropa::{Activity, RetentionFrom, Ropa};

pub use rules::{GapKind, Rules, Severity};

/// Assets listed in a retention gap's evidence, at most.
const LISTED_ASSETS: usize = 20;

/// Where a gap is.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct GapLocation {
    /// `file`, `postgres`, `mysql` or `parquet`.
    pub source: String,
    /// The asset (path, or `database.schema.table[.column]`), when the gap is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// The RoPA system entry (`files: share/hr/**`), when the gap is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
}

/// The evidence behind a gap. Only the fields that apply to its kind are present.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct GapEvidence {
    /// Values found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits: Option<u64>,
    /// Distinct values found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<u64>,
    /// Highest confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// Masked examples.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// When the asset's content was last scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanned_at: Option<String>,
    /// Activities covering the location.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covering_activities: Vec<String>,
    /// Categories the covering activities declare.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declared: Vec<String>,
    /// Retention period (`P2Y`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    /// What it counts from (`mtime`, `path`, `column:created_at`, `partition:dt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_from: Option<String>,
    /// Data dated before this day breaches the retention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<String>,
    /// Assets (files, tables, partitions) in breach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assets: Option<u64>,
    /// Records in breach, when known (rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    /// Oldest date found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oldest: Option<String>,
    /// Days by which the oldest data exceeds the retention period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exceeded_by_days: Option<i64>,
    /// Assets concerned (at most 20 listed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<String>,
    /// Covered assets in the inventory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_assets: Option<u64>,
    /// Categories found in the covered assets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<String>,
    /// No detector can find this category: the gap says nothing about the data.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub undetectable: bool,
}

/// One gap between the inventory and the RoPA.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Gap {
    /// Kind of gap.
    pub kind: GapKind,
    /// Severity.
    pub severity: Severity,
    /// Activity concerned (comma-separated ids when several cover the location; absent for
    /// an undocumented location).
    pub activity: Option<String>,
    /// Where.
    pub location: GapLocation,
    /// Data category concerned.
    pub category: Option<String>,
    /// Detector that found the data.
    pub detector: Option<String>,
    /// One sentence for people.
    pub message: String,
    /// Evidence.
    pub evidence: GapEvidence,
}

/// Counts of the reconciliation.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Summary {
    /// Gaps in total.
    pub gaps: u64,
    /// Gaps per kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Gaps per severity.
    pub by_severity: BTreeMap<String, u64>,
    /// Assets in the inventory.
    pub assets: u64,
    /// Assets with personal data.
    pub assets_with_pii: u64,
    /// Assets with personal data that some activity covers.
    pub assets_with_pii_covered: u64,
    /// Assets that could not be read (status error).
    pub assets_with_errors: u64,
    /// Activities in the RoPA.
    pub activities: u64,
    /// Activities without any gap.
    pub activities_clean: u64,
}

/// How one activity fares.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActivityReport {
    /// Activity id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Lawful basis, if declared.
    pub lawful_basis: Option<String>,
    /// Art. 9(2) condition, if declared.
    pub special_category_condition: Option<String>,
    /// Retention period and what it counts from.
    pub retention: Option<String>,
    /// Declared categories.
    pub declared: Vec<String>,
    /// Categories found in its covered assets.
    pub found: Vec<String>,
    /// Its systems, each with the number of inventory assets it covers and how many of them
    /// hold personal data.
    pub systems: Vec<SystemReport>,
    /// Gaps naming this activity.
    pub gaps: u64,
}

/// One system entry of an activity.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SystemReport {
    /// `files: share/hr/**`.
    pub system: String,
    /// Inventory assets it covers.
    pub assets: u64,
    /// Of which hold personal data.
    pub assets_with_pii: u64,
}

/// The whole result.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Reconciliation {
    /// RoPA file.
    pub ropa: String,
    /// Organisation named in the RoPA.
    pub organization: Option<String>,
    /// Inventory store.
    pub store: String,
    /// When this reconciliation was made (RFC 3339).
    pub generated_at: String,
    /// The day retention periods are counted back from.
    pub today: String,
    /// Minimum confidence of the evidence considered.
    pub min_confidence: f32,
    /// Gaps, most severe first.
    pub gaps: Vec<Gap>,
    /// Counts.
    pub summary: Summary,
    /// Per activity.
    pub activities: Vec<ActivityReport>,
    /// The scans the inventory was built from.
    pub scans: Vec<ScanCoverage>,
    /// Assets that could not be read, with the reason.
    pub unreadable: Vec<Unreadable>,
}

/// One scan of the inventory, for the coverage section.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScanCoverage {
    /// Scan id.
    pub id: i64,
    /// Start.
    pub started_at: String,
    /// Targets.
    pub targets: Vec<String>,
    /// Assets read.
    pub assets_read: u64,
    /// Assets unchanged and not re-read.
    pub assets_unchanged: u64,
    /// Errors.
    pub errors: u64,
}

/// An asset that could not be read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Unreadable {
    /// Source.
    pub source: String,
    /// Asset.
    pub asset: String,
    /// Why.
    pub reason: String,
}

/// Inputs that are not the RoPA or the inventory.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    /// The day retention is counted back from.
    pub today: Date,
    /// Evidence below this confidence is ignored.
    pub min_confidence: f32,
    /// Categories some detector can report (for `declared_not_found`).
    pub detectable: &'a [String],
    /// Store path, for the report.
    pub store: String,
}

struct Asset<'a> {
    inner: &'a InventoryAsset,
    /// Evidence at or above the minimum confidence.
    evidence: Vec<&'a crate::inventory::Evidence>,
    covering: Vec<&'a Activity>,
}

/// Reconciles `assets` (the current inventory) with `ropa`.
pub fn reconcile(
    ropa: &Ropa,
    assets: &[InventoryAsset],
    scans: &[ScanRecord],
    taxonomy: &Taxonomy,
    rules: &Rules,
    settings: &Settings<'_>,
) -> Reconciliation {
    let view: Vec<Asset<'_>> = assets
        .iter()
        .map(|a| Asset {
            inner: a,
            evidence: a
                .evidence
                .iter()
                .filter(|e| e.best_confidence >= settings.min_confidence)
                .collect(),
            covering: ropa.covering(&a.source, &a.locator).collect(),
        })
        .collect();
    let mut gaps = Vec::new();
    for a in &view {
        per_asset_gaps(a, taxonomy, rules, &mut gaps);
    }
    for activity in &ropa.activities {
        retention_gaps(activity, &view, taxonomy, rules, settings.today, &mut gaps);
        declaration_gaps(activity, &view, taxonomy, rules, settings, &mut gaps);
    }
    gaps.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(a.location.cmp(&b.location))
            .then(a.category.cmp(&b.category))
            .then(a.detector.cmp(&b.detector))
    });

    let mut summary = Summary {
        gaps: gaps.len() as u64,
        assets: assets.len() as u64,
        assets_with_pii: view.iter().filter(|a| !a.evidence.is_empty()).count() as u64,
        assets_with_pii_covered: view
            .iter()
            .filter(|a| !a.evidence.is_empty() && !a.covering.is_empty())
            .count() as u64,
        assets_with_errors: assets
            .iter()
            .filter(|a| a.status == crate::inventory::AssetStatus::Error)
            .count() as u64,
        activities: ropa.activities.len() as u64,
        ..Summary::default()
    };
    for g in &gaps {
        *summary.by_kind.entry(g.kind.key().to_string()).or_default() += 1;
        *summary
            .by_severity
            .entry(g.severity.key().to_string())
            .or_default() += 1;
    }
    let activities: Vec<ActivityReport> = ropa
        .activities
        .iter()
        .map(|act| activity_report(act, &view, &gaps))
        .collect();
    summary.activities_clean = activities.iter().filter(|a| a.gaps == 0).count() as u64;
    Reconciliation {
        ropa: ropa.origin.clone(),
        organization: ropa.organization.clone(),
        store: settings.store.clone(),
        generated_at: jiff::Timestamp::now().to_string(),
        today: settings.today.to_string(),
        min_confidence: settings.min_confidence,
        gaps,
        summary,
        activities,
        scans: scans
            .iter()
            .map(|s| ScanCoverage {
                id: s.id,
                started_at: s.started_at.clone(),
                targets: s.targets.clone(),
                assets_read: s.assets_read,
                assets_unchanged: s.assets_unchanged,
                errors: s.errors,
            })
            .collect(),
        unreadable: assets
            .iter()
            .filter(|a| a.status == crate::inventory::AssetStatus::Error)
            .map(|a| Unreadable {
                source: a.source.clone(),
                asset: a.locator.clone(),
                reason: a.reason.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

fn values(n: u64) -> String {
    if n == 1 {
        "1 value".into()
    } else {
        format!("{n} values")
    }
}

fn ids(activities: &[&Activity]) -> Option<String> {
    (!activities.is_empty()).then(|| {
        activities
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    })
}

fn asset_location(a: &InventoryAsset) -> GapLocation {
    GapLocation {
        source: a.source.clone(),
        asset: Some(a.locator.clone()),
        system: None,
    }
}

fn per_asset_gaps(a: &Asset<'_>, taxonomy: &Taxonomy, rules: &Rules, gaps: &mut Vec<Gap>) {
    for e in &a.evidence {
        let sensitivity = taxonomy.sensitivity(&e.category);
        let evidence = || GapEvidence {
            hits: Some(e.hits),
            distinct: Some(e.distinct_hits),
            confidence: Some(e.best_confidence),
            examples: e.examples.clone(),
            scanned_at: Some(a.inner.content_scanned_at.clone()),
            covering_activities: a.covering.iter().map(|c| c.id.clone()).collect(),
            ..GapEvidence::default()
        };
        let mut gap = |kind: GapKind, message: String, mut evidence: GapEvidence| {
            if kind == GapKind::UndeclaredCategory {
                let mut declared: BTreeSet<String> = BTreeSet::new();
                for c in &a.covering {
                    declared.extend(c.data_categories.iter().cloned());
                }
                evidence.declared = declared.into_iter().collect();
            }
            gaps.push(Gap {
                kind,
                severity: rules.severity(kind, sensitivity),
                activity: ids(&a.covering),
                location: asset_location(a.inner),
                category: Some(e.category.clone()),
                detector: Some(e.detector.clone()),
                message,
                evidence,
            });
        };
        let name = taxonomy
            .get(&e.category)
            .map_or(e.category.as_str(), |c| c.name.as_str());
        if a.covering.is_empty() {
            gap(
                GapKind::UndocumentedLocation,
                format!(
                    "{name} ({}) found where no activity declares processing",
                    values(e.hits)
                ),
                evidence(),
            );
            continue;
        }
        if !a.covering.iter().any(|c| c.declares(&e.category)) {
            gap(
                GapKind::UndeclaredCategory,
                format!(
                    "{name} ({}) found, but no covering activity declares `{}`",
                    values(e.hits),
                    e.category
                ),
                evidence(),
            );
        }
        if sensitivity == Sensitivity::Special
            && a.covering
                .iter()
                .all(|c| c.special_category_condition.is_none())
        {
            gap(
                GapKind::SpecialCategoryWithoutCondition,
                format!(
                    "Art. 9 special-category data ({name}) found, but no covering activity names an Art. 9(2) condition"
                ),
                evidence(),
            );
        }
    }
}

/// The date an asset's data counts from under `from`, if it can be told, with the number of
/// records older than `cutoff` when known (from a column's monthly histogram).
fn data_date(
    a: &InventoryAsset,
    from: &RetentionFrom,
    cutoff: &str,
) -> Option<(Date, Option<u64>)> {
    let parse = |s: &str| -> Option<Date> {
        s.parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
            .or_else(|| s.get(..10).and_then(|d| d.parse::<Date>().ok()))
    };
    let age = |basis: &str| {
        a.ages.iter().find(|g| g.basis == basis).and_then(|g| {
            g.oldest
                .as_deref()
                .and_then(parse)
                .map(|d| (d, g.records_before(cutoff).or(g.records)))
        })
    };
    match from {
        RetentionFrom::Mtime => {
            age("mtime").or_else(|| a.modified.as_deref().and_then(parse).map(|d| (d, None)))
        }
        RetentionFrom::Path => dates::from_path(&a.locator).map(|d| (d, None)),
        RetentionFrom::Partition(key) => age(&format!("partition:{key}"))
            .or_else(|| dates::from_partition(&a.locator, key).map(|d| (d, None))),
        RetentionFrom::Column(c) => age(&format!("column:{c}")),
    }
}

fn retention_gaps(
    activity: &Activity,
    view: &[Asset<'_>],
    taxonomy: &Taxonomy,
    rules: &Rules,
    today: Date,
    gaps: &mut Vec<Gap>,
) {
    // Columns take their table's data age; a table counts once however many of its columns
    // hold personal data.
    let by_locator: std::collections::HashMap<&str, &InventoryAsset> = view
        .iter()
        .map(|a| (a.inner.locator.as_str(), a.inner))
        .collect();
    let Some(retention) = &activity.retention else {
        return;
    };
    let Some(cutoff) = retention.cutoff(today) else {
        return;
    };
    for system in &activity.systems {
        let mut breaching: Vec<(Date, &Asset<'_>, Option<u64>)> = Vec::new();
        let mut counted_tables: BTreeSet<&str> = BTreeSet::new();
        for a in view
            .iter()
            .filter(|a| !a.evidence.is_empty() && system.covers(&a.inner.source, &a.inner.locator))
        {
            let dated = match a.inner.parent.as_deref() {
                Some(parent) => {
                    if !counted_tables.insert(parent) {
                        continue;
                    }
                    by_locator.get(parent).copied().unwrap_or(a.inner)
                }
                None => a.inner,
            };
            if let Some((date, records)) =
                data_date(dated, &activity.retention_from, &cutoff.to_string())
                && date < cutoff
            {
                breaching.push((date, a, records));
            }
        }
        if breaching.is_empty() {
            continue;
        }
        breaching.sort_by(|x, y| {
            x.0.cmp(&y.0)
                .then(x.1.inner.locator.cmp(&y.1.inner.locator))
        });
        let oldest = breaching[0].0;
        // What the breaching data holds: the breaching assets' evidence, and for a table or
        // dataset every covered column of it.
        let breaching_parents: BTreeSet<&str> = breaching
            .iter()
            .filter_map(|(_, a, _)| a.inner.parent.as_deref())
            .collect();
        let evidence: Vec<&crate::inventory::Evidence> = view
            .iter()
            .filter(|a| {
                system.covers(&a.inner.source, &a.inner.locator)
                    && (a
                        .inner
                        .parent
                        .as_deref()
                        .is_some_and(|p| breaching_parents.contains(p))
                        || breaching
                            .iter()
                            .any(|(_, b, _)| b.inner.locator == a.inner.locator))
            })
            .flat_map(|a| a.evidence.iter().copied())
            .collect();
        let sensitivity = evidence
            .iter()
            .map(|e| taxonomy.sensitivity(&e.category))
            .max()
            .unwrap_or(Sensitivity::Low);
        let categories: BTreeSet<&str> = evidence.iter().map(|e| e.category.as_str()).collect();
        let records: Option<u64> = breaching.iter().map(|b| b.2).sum();
        let exceeded = (cutoff - oldest).get_days() as i64;
        let n = breaching.len();
        gaps.push(Gap {
            kind: GapKind::RetentionBreach,
            severity: rules.severity(GapKind::RetentionBreach, sensitivity),
            activity: Some(activity.id.clone()),
            location: GapLocation {
                source: system.kind.source().to_string(),
                asset: None,
                system: Some(system.to_string()),
            },
            category: (categories.len() == 1)
                .then(|| categories.iter().next().map(|c| c.to_string()))
                .flatten(),
            detector: None,
            message: format!(
                "{n} asset{} with personal data older than the {} retention (counted from {}); the oldest, from {oldest}, by {exceeded} days",
                if n == 1 { "" } else { "s" },
                retention.text,
                activity.retention_from
            ),
            evidence: GapEvidence {
                retention: Some(retention.text.clone()),
                retention_from: Some(activity.retention_from.to_string()),
                cutoff: Some(cutoff.to_string()),
                assets: Some(n as u64),
                records,
                oldest: Some(oldest.to_string()),
                exceeded_by_days: Some(exceeded),
                listed: breaching
                    .iter()
                    .take(LISTED_ASSETS)
                    .map(|(d, a, records)| {
                        let name = a.inner.parent.as_deref().unwrap_or(&a.inner.locator);
                        match records {
                            Some(n) => {
                                format!("{name} (oldest {d}; {n} records before the cutoff)")
                            }
                            None => format!("{name} ({d})"),
                        }
                    })
                    .collect(),
                found: categories.iter().map(|c| c.to_string()).collect(),
                ..GapEvidence::default()
            },
        });
    }
}

fn declaration_gaps(
    activity: &Activity,
    view: &[Asset<'_>],
    taxonomy: &Taxonomy,
    rules: &Rules,
    settings: &Settings<'_>,
    gaps: &mut Vec<Gap>,
) {
    let covered: Vec<&Asset<'_>> = view
        .iter()
        .filter(|a| a.covering.iter().any(|c| c.id == activity.id))
        .collect();
    for system in &activity.systems {
        if !covered
            .iter()
            .any(|a| system.covers(&a.inner.source, &a.inner.locator))
        {
            gaps.push(Gap {
                kind: GapKind::NotScanned,
                severity: rules.severity(GapKind::NotScanned, Sensitivity::Low),
                activity: Some(activity.id.clone()),
                location: GapLocation {
                    source: system.kind.source().to_string(),
                    asset: None,
                    system: Some(system.to_string()),
                },
                category: None,
                detector: None,
                message: format!(
                    "declared system `{system}` has no asset in the inventory: it was not scanned, or is empty"
                ),
                evidence: GapEvidence::default(),
            });
        }
    }
    let scanned: Vec<&&Asset<'_>> = covered
        .iter()
        .filter(|a| {
            matches!(
                a.inner.status,
                crate::inventory::AssetStatus::Scanned | crate::inventory::AssetStatus::Sampled
            )
        })
        .collect();
    if scanned.is_empty() {
        return;
    }
    let found: BTreeSet<&str> = scanned
        .iter()
        .flat_map(|a| a.evidence.iter().map(|e| e.category.as_str()))
        .collect();
    for declared in &activity.data_categories {
        let present = found
            .iter()
            .any(|f| Taxonomy::covers(declared, f) || Taxonomy::covers(f, declared));
        if present {
            continue;
        }
        let undetectable = !settings
            .detectable
            .iter()
            .any(|d| Taxonomy::covers(declared, d) || Taxonomy::covers(d, declared));
        let severity = if undetectable {
            Severity::Info
        } else {
            rules.severity(GapKind::DeclaredNotFound, taxonomy.sensitivity(declared))
        };
        gaps.push(Gap {
            kind: GapKind::DeclaredNotFound,
            severity,
            activity: Some(activity.id.clone()),
            location: GapLocation {
                source: activity
                    .systems
                    .first()
                    .map_or("file", |s| s.kind.source())
                    .to_string(),
                asset: None,
                system: Some(
                    activity
                        .systems
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            },
            category: Some(declared.clone()),
            detector: None,
            message: if undetectable {
                format!("`{declared}` is declared; no detector looks for it, so the scan cannot confirm it")
            } else {
                format!(
                    "`{declared}` is declared, but none of the {} scanned covered assets contains it",
                    scanned.len()
                )
            },
            evidence: GapEvidence {
                covered_assets: Some(scanned.len() as u64),
                found: found.iter().map(|f| f.to_string()).collect(),
                undetectable,
                ..GapEvidence::default()
            },
        });
    }
}

fn activity_report(act: &Activity, view: &[Asset<'_>], gaps: &[Gap]) -> ActivityReport {
    let covered: Vec<&Asset<'_>> = view
        .iter()
        .filter(|a| a.covering.iter().any(|c| c.id == act.id))
        .collect();
    let found: BTreeSet<String> = covered
        .iter()
        .flat_map(|a| a.evidence.iter().map(|e| e.category.clone()))
        .collect();
    ActivityReport {
        id: act.id.clone(),
        name: act.name.clone(),
        lawful_basis: act.lawful_basis.map(|b| {
            serde_json::to_value(b)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        }),
        special_category_condition: act.special_category_condition.map(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        }),
        retention: act
            .retention
            .as_ref()
            .map(|r| format!("{} from {}", r.text, act.retention_from)),
        declared: act.data_categories.clone(),
        found: found.into_iter().collect(),
        systems: act
            .systems
            .iter()
            .map(|s| {
                let matched: Vec<&&Asset<'_>> = covered
                    .iter()
                    .filter(|a| s.covers(&a.inner.source, &a.inner.locator))
                    .collect();
                SystemReport {
                    system: s.to_string(),
                    assets: matched.len() as u64,
                    assets_with_pii: matched.iter().filter(|a| !a.evidence.is_empty()).count()
                        as u64,
                }
            })
            .collect(),
        gaps: gaps
            .iter()
            .filter(|g| {
                g.activity
                    .as_deref()
                    .is_some_and(|ids| ids.split(',').any(|id| id == act.id))
            })
            .count() as u64,
    }
}

#[cfg(test)]
mod tests;
