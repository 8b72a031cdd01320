//! The spreadsheet form of a RoPA: CSV with one row per activity.
//!
//! Header names are matched case-insensitively, ignoring punctuation, and the column names of
//! the ICO's RoPA template are accepted as aliases (`Purposes of the processing`, `Article 6
//! lawful basis for processing personal data`, `Categories of personal data`, `Retention
//! schedule`, …). Columns that reconciliation does not use are ignored. Cells with several
//! values separated them with `;` or line breaks. A `systems` cell holds `kind: glob` entries
//! (`files: share/hr/**; postgres: hr.public.*`). Only the `id` column is required.

use super::{At, Unchecked};
use crate::error::{Error, Result};

/// The fields and the header names accepted for each (after normalising).
const COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "activity_id", "ref", "reference"]),
    (
        "name",
        &["name", "activity", "activity_name", "processing_activity"],
    ),
    ("role", &["role", "controller_or_processor"]),
    (
        "purposes",
        &[
            "purposes",
            "purpose",
            "purposes_of_the_processing",
            "purpose_of_processing",
        ],
    ),
    (
        "lawful_basis",
        &[
            "lawful_basis",
            "legal_basis",
            "article_6_lawful_basis",
            "article_6_lawful_basis_for_processing_personal_data",
        ],
    ),
    (
        "special_category_condition",
        &[
            "special_category_condition",
            "article_9_condition",
            "article_9_basis_for_processing_special_category_data",
            "article_9_basis",
        ],
    ),
    (
        "data_subjects",
        &[
            "data_subjects",
            "categories_of_individuals",
            "categories_of_data_subjects",
        ],
    ),
    (
        "data_categories",
        &["data_categories", "categories_of_personal_data"],
    ),
    (
        "systems",
        &["systems", "location_of_personal_data", "locations"],
    ),
    (
        "retention",
        &["retention", "retention_period", "retention_schedule"],
    ),
    ("retention_from", &["retention_from"]),
];

fn normalise_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in h.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

fn split_cell(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Parses the CSV text into unchecked activities.
pub(super) fn parse(origin: &str, text: &str) -> Result<Vec<Unchecked>> {
    let error = |line: u64, field: &str, message: String| Error::Ropa {
        file: origin.to_string(),
        line,
        field: field.to_string(),
        message,
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| error(1, "header", e.to_string()))?
        .clone();
    // For each field, the index of its column.
    let mut index: Vec<(&str, usize)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        if let Some((field, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&n.as_str()))
        {
            if index.iter().any(|(f, _)| f == field) {
                return Err(error(1, field, format!("two columns map to `{field}`")));
            }
            index.push((field, i));
        }
    }
    if !index.iter().any(|(f, _)| *f == "id") {
        return Err(error(
            1,
            "id",
            "no `id` column (the header row must name one; see docs/ropa.md)".into(),
        ));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            error(line, "", e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut u = Unchecked {
            line,
            ..Unchecked::default()
        };
        let at = |v: &str| At {
            value: v.to_string(),
            line,
        };
        for &(field, i) in &index {
            let cell = record.get(i).unwrap_or("").trim();
            if cell.is_empty() {
                continue;
            }
            match field {
                "id" => u.id = Some(at(cell)),
                "name" => u.name = Some(cell.to_string()),
                "role" => u.role = Some(at(cell)),
                "purposes" => u.purposes = split_cell(cell).map(String::from).collect(),
                "lawful_basis" => u.lawful_basis = Some(at(cell)),
                "special_category_condition"
                    if matches!(cell.to_ascii_lowercase().as_str(), "none" | "n/a" | "-") => {}
                "special_category_condition" => u.special_category_condition = Some(at(cell)),
                "data_subjects" => u.data_subjects = split_cell(cell).map(String::from).collect(),
                "data_categories" => u.data_categories = split_cell(cell).map(at).collect(),
                "systems" => {
                    for entry in split_cell(cell) {
                        let Some((kind, glob)) = entry.split_once(':') else {
                            return Err(error(
                                line,
                                "systems",
                                format!(
                                    "`{entry}`: expected `kind: glob` (files, postgres, mysql or parquet)"
                                ),
                            ));
                        };
                        u.systems.push(At {
                            value: (kind.trim().to_string(), glob.trim().to_string()),
                            line,
                        });
                    }
                }
                "retention" => u.retention = Some(at(cell)),
                "retention_from" => u.retention_from = Some(at(cell)),
                _ => {}
            }
        }
        out.push(u);
    }
    Ok(out)
}
