//! Reconciliation rules (`rules/reconciliation.toml`): the severity of each kind of gap.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::classification::Sensitivity;
use crate::error::{Error, Result};

const BUILTIN_RULES: &str = include_str!("../../rules/reconciliation.toml");

/// How severe a gap is. Ordered: `Critical` is the highest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information: nothing to fix.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// The lower-case name.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(s: &str) -> Option<Severity> {
        [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .into_iter()
        .find(|v| v.key() == s.trim().to_ascii_lowercase())
    }
}

/// The kinds of gap.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// PII where no activity's systems reach.
    UndocumentedLocation,
    /// A category found that no covering activity declares.
    UndeclaredCategory,
    /// Data older than its retention period.
    RetentionBreach,
    /// Art. 9 data without an Art. 9(2) condition.
    SpecialCategoryWithoutCondition,
    /// A declared category nothing backs up.
    DeclaredNotFound,
    /// A declared system absent from the inventory.
    NotScanned,
}

impl GapKind {
    /// Every kind, in report order.
    pub const ALL: [GapKind; 6] = [
        GapKind::UndocumentedLocation,
        GapKind::UndeclaredCategory,
        GapKind::RetentionBreach,
        GapKind::SpecialCategoryWithoutCondition,
        GapKind::DeclaredNotFound,
        GapKind::NotScanned,
    ];

    /// The snake_case name.
    pub fn key(self) -> &'static str {
        match self {
            GapKind::UndocumentedLocation => "undocumented_location",
            GapKind::UndeclaredCategory => "undeclared_category",
            GapKind::RetentionBreach => "retention_breach",
            GapKind::SpecialCategoryWithoutCondition => "special_category_without_condition",
            GapKind::DeclaredNotFound => "declared_not_found",
            GapKind::NotScanned => "not_scanned",
        }
    }

    /// A short title for reports.
    pub fn title(self) -> &'static str {
        match self {
            GapKind::UndocumentedLocation => "Undocumented location",
            GapKind::UndeclaredCategory => "Undeclared category",
            GapKind::RetentionBreach => "Retention breach",
            GapKind::SpecialCategoryWithoutCondition => "Special category without Art. 9 condition",
            GapKind::DeclaredNotFound => "Declared but not found",
            GapKind::NotScanned => "Declared system not scanned",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindRule {
    severity: Severity,
    #[serde(default)]
    by_sensitivity: BTreeMap<Sensitivity, Severity>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    gaps: BTreeMap<GapKind, KindRule>,
}

/// The severity rules.
#[derive(Debug, Clone)]
pub struct Rules {
    gaps: BTreeMap<GapKind, KindRule>,
}

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Result<Rules> {
        Rules::parse("builtin:rules/reconciliation.toml", BUILTIN_RULES)
    }

    /// Parses a rules file; every gap kind must have a rule.
    pub fn parse(origin: &str, text: &str) -> Result<Rules> {
        let file: RulesFile = toml::from_str(text).map_err(|e| Error::Rules {
            file: origin.into(),
            message: e.to_string(),
        })?;
        if let Some(missing) = GapKind::ALL.iter().find(|k| !file.gaps.contains_key(k)) {
            return Err(Error::Rules {
                file: origin.into(),
                message: format!("no rule for gap kind `{}`", missing.key()),
            });
        }
        Ok(Rules { gaps: file.gaps })
    }

    /// The severity of a gap of `kind` about data of `sensitivity`.
    pub fn severity(&self, kind: GapKind, sensitivity: Sensitivity) -> Severity {
        self.gaps.get(&kind).map_or(Severity::Medium, |r| {
            r.by_sensitivity
                .get(&sensitivity)
                .copied()
                .unwrap_or(r.severity)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_cover_every_kind() {
        let r = Rules::builtin().expect("rules");
        assert_eq!(
            r.severity(GapKind::UndocumentedLocation, Sensitivity::Special),
            Severity::Critical
        );
        assert_eq!(
            r.severity(GapKind::UndocumentedLocation, Sensitivity::Medium),
            Severity::High
        );
        assert_eq!(
            r.severity(GapKind::UndocumentedLocation, Sensitivity::Low),
            Severity::Medium
        );
    }

    #[test]
    fn missing_kind_is_an_error() {
        let e = Rules::parse("r.toml", "[gaps.not_scanned]\nseverity = \"low\"\n")
            .expect_err("incomplete")
            .to_string();
        assert!(e.contains("no rule for gap kind"), "{e}");
    }
}
