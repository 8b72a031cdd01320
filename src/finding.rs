//! What a scan reports: findings with their location, and the errors met on the way.
//!
//! These types are the output contract. Their JSON Schema is generated from them
//! (`piimap schema`) and committed under `docs/schema/`.

use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

/// One detected value.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    /// Detector id (`email`, `credit_card`, …).
    pub detector: Arc<str>,
    /// Data category key from the taxonomy (`user.contact.email`).
    pub category: Arc<str>,
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
    pub pattern: Arc<str>,
    /// A context word was found near the value (or, for a column, in its name).
    pub context: bool,
    /// How the confidence came about (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Box<Explanation>>,
    /// For a finding about a whole column: the column's evidence. `confidence` is then the
    /// column confidence and `masked` its first example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<Box<ColumnEvidence>>,
    /// Keyed hash of the normalised value, for counting distinct values without keeping
    /// them (0 unless the scan asks for fingerprints). Never serialised.
    #[serde(skip)]
    #[schemars(skip)]
    pub fingerprint: u64,
}

/// A keyed 64-bit hash of `raw` with separators and case ignored (`4111 1111…` and
/// `4111-1111…` hash alike). The key is random per process and never stored, so the hashes
/// cannot be reversed by trying candidate values against a stored store.
pub fn fingerprint(raw: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static KEY: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
    let mut h = KEY.get_or_init(std::hash::RandomState::new).build_hasher();
    for &b in raw {
        if b.is_ascii_alphanumeric() {
            h.write_u8(b.to_ascii_lowercase());
        } else if b >= 0x80 {
            h.write_u8(b);
        }
    }
    h.finish()
}

/// Where a finding or an error is. Tagged by `source`.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum Location {
    /// A position in a file.
    File(FileLocation),
    /// A column of a PostgreSQL table or view.
    Postgres(ColumnLocation),
    /// A column of a MySQL or MariaDB table or view.
    Mysql(ColumnLocation),
    /// A column (leaf field) of a Parquet file or dataset.
    Parquet(ParquetLocation),
}

impl Location {
    /// The asset the location refers to, for grouping and the inventory: the path of a file,
    /// `database.schema.table.column` of a column, `path#field.path` of a Parquet column
    /// (`dataset-root#field.path` in a dataset).
    pub fn asset(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Location::File(f) => std::borrow::Cow::Borrowed(&f.path),
            Location::Postgres(c) | Location::Mysql(c) => std::borrow::Cow::Owned(c.locator()),
            Location::Parquet(p) => std::borrow::Cow::Owned(p.locator()),
        }
    }

    /// `file`, `postgres`, `mysql` or `parquet`.
    pub fn source(&self) -> &'static str {
        match self {
            Location::File(_) => "file",
            Location::Postgres(_) => "postgres",
            Location::Mysql(_) => "mysql",
            Location::Parquet(_) => "parquet",
        }
    }
}

/// A column of a database table or view. For MySQL and MariaDB the schema is the database.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct ColumnLocation {
    /// Database.
    pub database: String,
    /// Schema.
    pub schema: String,
    /// Table or view.
    pub table: String,
    /// Column.
    pub column: String,
}

impl ColumnLocation {
    /// `database.schema.table.column`.
    pub fn locator(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.database, self.schema, self.table, self.column
        )
    }
}

/// A column of a Parquet file or dataset. Column findings are about the whole column; the
/// row group and row say where its first value with a hit is.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct ParquetLocation {
    /// The Parquet file (in a dataset: the file holding the first hit).
    pub path: String,
    /// The leaf column's dotted field path as in the file's schema
    /// (`customer.contacts.list.element.email`).
    pub column: String,
    /// Row group (0-based) of the first value with a hit, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_group: Option<u64>,
    /// Row (0-based, counted from the start of the file) of the first value with a hit, when
    /// known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The dataset's root directory, for a file of a partitioned dataset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// The file's Hive partition in the dataset (`dt=2019-03-01`, `year=2019/month=03`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
}

impl ParquetLocation {
    /// The asset: `path#column`, or `dataset#column` in a dataset (the column of the whole
    /// dataset, merged over its files).
    pub fn locator(&self) -> String {
        format!(
            "{}#{}",
            self.dataset.as_deref().unwrap_or(&self.path),
            self.column
        )
    }
}

/// How a finding's confidence came about: the recognizer's parts that produced it.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct Explanation {
    /// Pattern name.
    pub pattern: String,
    /// The pattern's regex.
    pub regex: String,
    /// The pattern's base confidence.
    pub base_confidence: f32,
    /// Validator run, if any.
    pub validator: Option<String>,
    /// The validator flagged a test or reserved value (confidence capped).
    pub test_value: bool,
    /// Context (a nearby word or the field's name) supported the value.
    pub context: bool,
    /// Confidence added by context.
    pub context_boost: f32,
    /// Final confidence.
    pub confidence: f32,
    /// The steps, for people.
    pub steps: Vec<String>,
}

/// Column-level evidence: for findings about a whole column (databases, Parquet) rather than
/// one value.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct ColumnEvidence {
    /// Values with a hit.
    pub hits: u64,
    /// Distinct hit values.
    pub distinct_hits: u64,
    /// Non-null values examined.
    pub sampled: u64,
    /// `hits / sampled`.
    pub ratio: f64,
    /// Best confidence of a single value.
    pub best_confidence: f32,
    /// Whether the column is classified as holding this data (see the README's column
    /// verdicts).
    pub classified: bool,
    /// Whether the column name supports the detector.
    pub name_context: bool,
    /// Masked examples.
    pub examples: Vec<String>,
    /// Rows read from the table.
    pub rows_read: u64,
    /// Rows in the table (estimated when sampled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_total: Option<u64>,
    /// Whether the rows were a random sample.
    pub sampled_rows: bool,
}

/// A position in a file's decoded text, or in a text segment inside it (an archive member,
/// a document part, a page, a sheet): then `line`, `column` and `offset` are relative to that
/// segment, and the inner fields say where it is. Inner fields are absent for plain files.
#[derive(Debug, Clone, Default, Serialize, JsonSchema, PartialEq, Eq)]
pub struct FileLocation {
    /// The file on disk: the target as given on the command line joined with the path below
    /// it.
    pub path: Arc<str>,
    /// Member path inside archives and e-mails, nesting joined with `/`
    /// (`2023/cvs.zip/jane.docx`, `message 3/cv.pdf`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<String>,
    /// Document part: `body`, `header1`, `footer1`, `comments`, `footnotes`, `slide 3`,
    /// `slide 3 notes`, `properties`; in e-mails `headers` or `body 2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// 1-based page number (PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Sheet name (XLSX, ODS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Cell reference, `C14` (XLSX, ODS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Text of the cell's column in the sheet's first non-empty row (XLSX, ODS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_header: Option<String>,
    /// 1-based line number (in a sheet: the row number).
    pub line: u64,
    /// 1-based column, in Unicode scalar values (characters) of the decoded text.
    pub column: u64,
    /// Byte offset of the value in the decoded text (UTF-8; equal to the file offset for UTF-8
    /// and ASCII files).
    pub offset: u64,
}

impl FileLocation {
    /// Where inside the file, for people: `2023/jane.docx, page 2` or
    /// `sheet Payroll, cell C14 (IBAN)`; empty for plain files.
    pub fn inner_display(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = &self.inner {
            parts.push(m.clone());
        }
        if let Some(p) = &self.part {
            parts.push(p.clone());
        }
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(s) = &self.sheet {
            parts.push(format!("sheet {s}"));
        }
        if let Some(c) = &self.cell {
            match &self.column_header {
                Some(h) => parts.push(format!("cell {c} ({h})")),
                None => parts.push(format!("cell {c}")),
            }
        }
        parts.join(", ")
    }
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
    /// What inside the file was skipped (member, part, page, sheet), when not the whole file:
    /// `2023/cvs.zip/scan.pdf` or `report.docx, comments`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<String>,
    /// Why it was skipped (`binary file (NUL bytes)`, `PDF document: encrypted (password
    /// required): not scanned`, `compression ratio above the limit of 200:1 …`).
    pub reason: String,
}
