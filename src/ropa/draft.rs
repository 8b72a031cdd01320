//! `piimap ropa draft`: draft activities for personal data that no activity covers.
//!
//! Assets are grouped by directory (files, Parquet) or by `database.schema` (tables); each
//! group becomes one activity whose `systems` and `data_categories` are filled from the
//! inventory and whose other fields are marked TODO. The output is valid RoPA YAML.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::Ropa;
use crate::inventory::InventoryAsset;

#[derive(Default)]
struct Group {
    categories: BTreeSet<String>,
    detectors: BTreeMap<String, u64>,
    assets: u64,
}

/// The group key and system entry of an asset.
fn group_of(a: &InventoryAsset) -> (String, String) {
    match a.source.as_str() {
        "postgres" | "mysql" => {
            let parts: Vec<&str> = a.locator.split('.').collect();
            let schema = parts.iter().take(2).copied().collect::<Vec<_>>().join(".");
            (format!("{}:{schema}", a.source), format!("{schema}.*"))
        }
        _ => {
            let dir = a
                .locator
                .rsplit_once('/')
                .map_or(".", |(d, _)| d)
                .to_string();
            (format!("{}:{dir}", a.source), format!("{dir}/**"))
        }
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    // Keep the last few segments: they name the data best.
    let parts: Vec<&str> = out.split('-').collect();
    parts[parts.len().saturating_sub(3)..].join("-")
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Writes draft activities for the assets of `assets` with evidence at or above
/// `min_confidence` that `ropa` (if given) does not cover.
pub fn draft(
    assets: &[InventoryAsset],
    ropa: Option<&Ropa>,
    min_confidence: f32,
    store: &str,
    today: &str,
) -> String {
    let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
    for a in assets {
        let evidence: Vec<_> = a
            .evidence
            .iter()
            .filter(|e| e.best_confidence >= min_confidence)
            .collect();
        if evidence.is_empty() {
            continue;
        }
        if ropa.is_some_and(|r| r.covering(&a.source, &a.locator).next().is_some()) {
            continue;
        }
        let g = groups.entry(group_of(a)).or_default();
        g.assets += 1;
        for e in evidence {
            g.categories.insert(e.category.clone());
            *g.detectors.entry(e.detector.clone()).or_default() += e.hits;
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Draft activities written by `piimap ropa draft` from the inventory {store} on {today}.\n# Each covers assets holding personal data that no activity of the RoPA covers.\n# Complete every TODO, check the systems globs, then merge them into the RoPA."
    );
    if groups.is_empty() {
        let _ = writeln!(
            s,
            "# Nothing to draft: every asset with personal data is covered.\nactivities: []"
        );
        return s;
    }
    let _ = writeln!(s, "activities:");
    let mut used: BTreeSet<String> = BTreeSet::new();
    for ((key, system), g) in &groups {
        let (source, _) = key.split_once(':').unwrap_or(("file", ""));
        let kind = match source {
            "postgres" => "postgres",
            "mysql" => "mysql",
            "parquet" => "parquet",
            _ => "files",
        };
        let mut id = format!(
            "draft-{}",
            slug(system.trim_end_matches("/**").trim_end_matches(".*"))
        );
        let base = id.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let categories: Vec<String> = g.categories.iter().map(|c| quote(c)).collect();
        let detectors: Vec<String> = g
            .detectors
            .iter()
            .map(|(d, n)| format!("{d} ({n})"))
            .collect();
        let _ = writeln!(
            s,
            "  - id: {id}
    name: {name}
    role: controller            # TODO: controller | processor | joint_controller
    purposes: []                # TODO
    lawful_basis: null          # TODO: consent | contract | legal_obligation | vital_interests | public_task | legitimate_interests
    special_category_condition: null  # TODO when special categories are processed (Art. 9(2))
    data_subjects: []           # TODO
    data_categories: [{cats}]
    systems:
      - {kind}: {system}
    retention: null             # TODO: ISO-8601 duration, e.g. P2Y
    retention_from: mtime       # mtime | path | column:<name> | partition:<key>
    # evidence: {assets} asset(s); {detectors}",
            name = quote(&format!("TODO: activity for {system}")),
            cats = categories.join(", "),
            system = quote(system),
            assets = g.assets,
            detectors = detectors.join(", "),
        );
    }
    s
}
