//! Reading the YAML (or JSON) form, keeping each value's line for the checks that follow.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{At, Unchecked};
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    organization: Option<String>,
    /// Free-form; kept for people, not used.
    #[serde(default)]
    #[allow(dead_code)]
    updated: Option<String>,
    activities: Vec<Spanned<Activity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Activity {
    id: Option<Spanned<String>>,
    name: Option<String>,
    role: Option<Spanned<String>>,
    #[serde(default)]
    purposes: Vec<String>,
    lawful_basis: Option<Spanned<String>>,
    special_category_condition: Option<Spanned<String>>,
    #[serde(default)]
    data_subjects: Vec<String>,
    #[serde(default)]
    data_categories: Vec<Spanned<String>>,
    #[serde(default)]
    systems: Vec<Spanned<BTreeMap<String, String>>>,
    retention: Option<Spanned<String>>,
    retention_from: Option<Spanned<String>>,
    /// Free-form fields of the Art. 30 record that reconciliation does not use.
    #[serde(default)]
    #[allow(dead_code)]
    recipients: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    transfers: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    security_measures: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    owner: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    notes: Option<String>,
}

fn at<T>(s: Spanned<T>) -> At<T> {
    At {
        value: s.value,
        line: s.referenced.line(),
    }
}

/// Parses the text into unchecked activities.
pub(super) fn parse(origin: &str, text: &str) -> Result<(Option<String>, Vec<Unchecked>)> {
    let file: File = serde_saphyr::from_str(text).map_err(|e| {
        let line = e.location().map_or(0, |l| l.line());
        // The message carries a source snippet on several lines; keep the first.
        let message = e.to_string();
        let message = message.lines().next().unwrap_or("").trim().to_string();
        Error::Ropa {
            file: origin.to_string(),
            line,
            field: String::new(),
            message,
        }
    })?;
    let mut out = Vec::with_capacity(file.activities.len());
    for (i, spanned) in file.activities.into_iter().enumerate() {
        let line = spanned.referenced.line();
        let a = spanned.value;
        let mut systems = Vec::with_capacity(a.systems.len());
        for (j, s) in a.systems.into_iter().enumerate() {
            let sline = s.referenced.line();
            if s.value.len() != 1 {
                return Err(Error::Ropa {
                    file: origin.to_string(),
                    line: sline,
                    field: format!("activities[{i}].systems[{j}]"),
                    message: format!(
                        "a system entry has exactly one key (files, postgres, mysql or parquet); found {}",
                        if s.value.is_empty() {
                            "none".to_string()
                        } else {
                            s.value.keys().cloned().collect::<Vec<_>>().join(", ")
                        }
                    ),
                });
            }
            for (kind, glob) in s.value {
                systems.push(At {
                    value: (kind, glob),
                    line: sline,
                });
            }
        }
        out.push(Unchecked {
            line,
            id: a.id.map(at),
            name: a.name,
            role: a.role.map(at),
            purposes: a.purposes,
            lawful_basis: a.lawful_basis.map(at),
            special_category_condition: a.special_category_condition.map(at),
            data_subjects: a.data_subjects,
            data_categories: a.data_categories.into_iter().map(at).collect(),
            systems,
            retention: a.retention.map(at),
            retention_from: a.retention_from.map(at),
        });
    }
    Ok((file.organization, out))
}
