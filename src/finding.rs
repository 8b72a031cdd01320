//! What a scan reports: findings with their location, and the errors met on the way.
//!
//! These types are the output contract. Their JSON Schema is generated from them
//! (`piimap schema`) and committed under `docs/schema/`.

use schemars::JsonSchema;
use serde::Serialize;

/// One detected value.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    /// Detector id (`email`, `credit_card`, …).
    pub detector: String,
    /// Data category key from the taxonomy (`user.contact.email`).
    pub category: String,
    /// Confidence in `0..=1`, rounded to two decimals.
    pub confidence: f32,
    /// Where the value was found.
    pub location: Location,
    /// The value, masked so that it is safe to print (`j***@e******.com`).
    pub masked: String,
    /// The raw value. Present only with `--show-values`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value is a well-known test, example or reserved value (test card number,
    /// documentation IP range, `example.com` address); its confidence is capped at 0.4.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub test_value: bool,
    /// Name of the detector pattern that matched.
    pub pattern: String,
    /// A context word was found near the value.
    pub context: bool,
}

/// Where a finding or an error is. Tagged by `source`.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum Location {
    /// A position in a file.
    File(FileLocation),
}

impl Location {
    /// The path or object name the location refers to, for grouping and display.
    pub fn asset(&self) -> &str {
        match self {
            Location::File(f) => &f.path,
        }
    }
}

/// A position in a file's decoded text.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct FileLocation {
    /// The target as given on the command line joined with the path below it.
    pub path: String,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, in Unicode scalar values (characters) of the decoded text.
    pub column: u64,
    /// Byte offset of the value in the decoded text (UTF-8; equal to the file offset for UTF-8
    /// and ASCII files).
    pub offset: u64,
}

/// A problem met while scanning one asset. The scan goes on.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct ScanError {
    /// The path (or object) concerned.
    pub path: String,
    /// What went wrong, for people.
    pub reason: String,
    /// Machine-readable kind: `io`, `permission`, `not_found`, `walk`, `decode`,
    /// `decompress`.
    pub kind: String,
}

/// An asset deliberately not scanned, with the reason.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct Skipped {
    /// The path (or object) concerned.
    pub path: String,
    /// Why it was skipped (`binary file (NUL bytes)`, `PDF document: documents are not
    /// extracted yet`).
    pub reason: String,
}
