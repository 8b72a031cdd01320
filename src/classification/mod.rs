//! Classification: from findings to data categories and sensitivity, per asset.
//!
//! The taxonomy (`rules/taxonomy.toml`) defines hierarchical category keys; a key covers its
//! children (`user.contact` covers `user.contact.email`). Each detector maps to one category,
//! checked when the scan starts.

pub mod column;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::finding::Finding;

const BUILTIN_TAXONOMY: &str = include_str!("../../rules/taxonomy.toml");

/// How sensitive a category is. Ordered: `Special` is the highest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// Low (device identifiers, names alone).
    Low,
    /// Medium (contact details).
    Medium,
    /// High (financial data, government identifiers, dates of birth).
    High,
    /// GDPR Art. 9 special category.
    Special,
}

/// One category of the taxonomy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Dotted key, `user.contact.email`.
    pub key: String,
    /// Human-readable name.
    pub name: String,
    /// Sensitivity.
    pub sensitivity: Sensitivity,
}

/// The category taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    categories: Vec<Category>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    category: Vec<Category>,
}

impl Taxonomy {
    /// The built-in taxonomy.
    pub fn builtin() -> Result<Taxonomy> {
        Taxonomy::parse("builtin:rules/taxonomy.toml", BUILTIN_TAXONOMY)
    }

    /// Parses a taxonomy file.
    pub fn parse(origin: &str, text: &str) -> Result<Taxonomy> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|e| Error::Rules {
            file: origin.into(),
            message: e.to_string(),
        })?;
        let mut seen = std::collections::HashSet::new();
        for c in &file.category {
            if !seen.insert(c.key.as_str()) {
                return Err(Error::Rules {
                    file: origin.into(),
                    message: format!("category `{}` defined twice", c.key),
                });
            }
        }
        Ok(Taxonomy {
            categories: file.category,
        })
    }

    /// Looks a category up by key.
    pub fn get(&self, key: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.key == key)
    }

    /// Every category key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().map(|c| c.key.as_str())
    }

    /// The sensitivity of `key`, or `Low` for an unknown key.
    pub fn sensitivity(&self, key: &str) -> Sensitivity {
        self.get(key).map_or(Sensitivity::Low, |c| c.sensitivity)
    }

    /// Whether `parent` equals `key` or is one of its ancestors.
    pub fn covers(parent: &str, key: &str) -> bool {
        key == parent
            || (key.starts_with(parent) && key.as_bytes().get(parent.len()) == Some(&b'.'))
    }

    /// Checks that every detector maps to a known category.
    pub fn check_detectors(&self, detectors: &[crate::detection::Detector]) -> Result<()> {
        for d in detectors {
            if self.get(&d.category).is_none() {
                return Err(crate::error::DetectorError {
                    file: d.origin.clone(),
                    detector: d.id.to_string(),
                    field: "category".into(),
                    message: format!(
                        "unknown category `{}` (see rules/taxonomy.toml)",
                        d.category
                    ),
                }
                .into());
            }
        }
        Ok(())
    }
}

/// What one asset (a file) holds, summarised from its findings.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssetSummary {
    /// The asset's path or name.
    pub asset: String,
    /// Number of findings.
    pub findings: usize,
    /// Findings per detector id.
    pub detectors: BTreeMap<String, usize>,
    /// Categories found, sorted.
    pub categories: Vec<String>,
    /// Highest sensitivity among the categories.
    pub sensitivity: Sensitivity,
    /// Highest confidence among the findings.
    pub max_confidence: f32,
}

impl AssetSummary {
    /// An empty summary for `asset`, to be filled with [`AssetSummary::add`].
    pub fn new(asset: &str) -> AssetSummary {
        AssetSummary {
            asset: asset.to_string(),
            findings: 0,
            detectors: BTreeMap::new(),
            categories: Vec::new(),
            sensitivity: Sensitivity::Low,
            max_confidence: 0.0,
        }
    }

    /// Counts one finding of this asset.
    pub fn add(&mut self, f: &Finding, taxonomy: &Taxonomy) {
        self.findings += 1;
        match self.detectors.get_mut(&*f.detector) {
            Some(n) => *n += 1,
            None => {
                self.detectors.insert(f.detector.to_string(), 1);
            }
        }
        if !self.categories.iter().any(|c| **c == *f.category) {
            self.categories.push(f.category.to_string());
            self.categories.sort();
            if let Some(c) = taxonomy.get(&f.category) {
                self.sensitivity = self.sensitivity.max(c.sensitivity);
            }
        }
        self.max_confidence = self.max_confidence.max(f.confidence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_taxonomy_covers_builtin_detectors() {
        let t = Taxonomy::builtin().expect("taxonomy parses");
        let c = crate::detection::Catalog::builtin().expect("catalog");
        t.check_detectors(c.detectors())
            .expect("every detector has a known category");
    }

    #[test]
    fn parents_cover_children_only_at_dots() {
        assert!(Taxonomy::covers("user.contact", "user.contact.email"));
        assert!(Taxonomy::covers("user.contact", "user.contact"));
        assert!(!Taxonomy::covers("user.contact", "user.contacts"));
        assert!(!Taxonomy::covers("user.contact.email", "user.contact"));
    }

    #[test]
    fn duplicate_category_is_an_error() {
        let text = "[[category]]\nkey='a'\nname='A'\nsensitivity='low'\n[[category]]\nkey='a'\nname='B'\nsensitivity='low'\n";
        assert!(
            Taxonomy::parse("t.toml", text)
                .expect_err("duplicate")
                .to_string()
                .contains("`a` defined twice")
        );
    }
}
