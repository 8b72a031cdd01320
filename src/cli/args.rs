//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use piimap::report::Format;
use piimap::report::audit::AuditFormat;

const EXIT_CODES: &str = "\
Exit codes:
  0  scan finished; no finding at or above --fail-on
  1  scan finished; findings at or above --fail-on
  2  usage error or fatal error (bad option, missing target, invalid detector or config
     file, output not writable); with --strict, also any per-file error";

/// piimap: find personal data (PII) in file shares and report it, masked.
#[derive(Debug, Parser)]
#[command(name = "piimap", version, about, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Read options from this TOML file instead of ./piimap.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories for personal data.
    #[command(after_help = EXIT_CODES)]
    Scan(Box<ScanArgs>),
    /// Compare the inventory with a RoPA and report every gap.
    #[command(after_help = AUDIT_EXIT_CODES)]
    Reconcile(ReconcileArgs),
    /// Scan targets into the inventory, then reconcile it with a RoPA (scan + reconcile).
    #[command(after_help = AUDIT_EXIT_CODES)]
    Audit(Box<AuditArgs>),
    /// Work with RoPA files.
    #[command(subcommand)]
    Ropa(RopaCommand),
    /// List or check detectors.
    #[command(subcommand)]
    Detectors(DetectorsCommand),
    /// Print the JSON Schema of `scan --format json` output (and of each `jsonl` line under
    /// `$defs.Finding`), or with `audit`, of `reconcile --format json`.
    Schema {
        /// Which output.
        #[arg(value_enum, default_value = "report")]
        output: SchemaOutput,
    },
}

const AUDIT_EXIT_CODES: &str = "\
Exit codes:
  0  no gap at or above --fail-on
  1  gaps at or above --fail-on
  2  usage error or fatal error (bad option, malformed RoPA, unusable store)";

/// Options shared by `reconcile` and `audit`.
#[derive(Debug, Args)]
pub struct ReconcileOptions {
    /// The RoPA: YAML (or JSON), or CSV in the spreadsheet form (see docs/ropa.md).
    #[arg(long, value_name = "FILE")]
    pub ropa: PathBuf,

    /// Inventory store [default: piimap.db].
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,

    /// Report format [default: human].
    #[arg(short, long, value_enum)]
    pub format: Option<AuditFormat>,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when a gap of at least this severity exists (info, low, medium, high,
    /// critical, or `never`) [default: high].
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Ignore evidence below this confidence (0..1) [default: 0.5].
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,

    /// Count retention periods back from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// `piimap reconcile`.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    pub options: ReconcileOptions,
}

/// `piimap audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Files, directories or database URLs to scan (as for `scan`).
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<PathBuf>,

    /// Database options.
    #[command(flatten)]
    pub db: DbArgs,

    #[command(flatten)]
    pub options: ReconcileOptions,

    /// Incremental scan: do not re-read files unchanged since the store's last record.
    #[arg(long)]
    pub since_last: bool,

    /// Compare content hashes, not only size and modification time (with --since-last).
    #[arg(long)]
    pub hash: bool,

    /// Scan only files matching GLOB (repeatable; as for `scan`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files and directories matching GLOB (repeatable; as for `scan`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Also load detector files (*.toml) from DIR.
    #[arg(long, value_name = "DIR")]
    pub detectors: Option<PathBuf>,

    /// Accept phone numbers written without a country code as numbers of these regions only
    /// (comma-separated ISO 3166 codes; as in `piimap scan`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub phone_regions: Vec<String>,

    /// Worker threads [default: one per CPU].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `piimap ropa …`.
#[derive(Debug, Subcommand)]
pub enum RopaCommand {
    /// Check a RoPA file and print its activities; errors name file, line and field.
    Check {
        /// The RoPA file.
        ropa: PathBuf,
    },
    /// Write draft YAML activities for the assets with personal data that no activity
    /// covers, for the privacy team to complete.
    Draft {
        /// Existing RoPA: assets it covers are left out.
        #[arg(long, value_name = "FILE")]
        ropa: Option<PathBuf>,
        /// Inventory store [default: piimap.db].
        #[arg(long, value_name = "PATH")]
        store: Option<PathBuf>,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Outputs with a JSON Schema.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SchemaOutput {
    /// `piimap scan --format json`.
    Report,
    /// `piimap reconcile --format json` (and `audit`).
    Audit,
}

/// `piimap detectors …`.
#[derive(Debug, Subcommand)]
pub enum DetectorsCommand {
    /// List the detectors (built-in plus --detectors).
    List {
        /// Also load detector files from this directory (same id: replaces the built-in).
        #[arg(long, value_name = "DIR")]
        detectors: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print every detector pattern as one regex per line, word lists expanded and byte
    /// classes explicit (`(?-u:…)`): the candidate shapes before validation and context, for
    /// grep tools (`rg -f FILE`) and benchmarks.
    Regex {
        /// Also load detector files from this directory.
        #[arg(long, value_name = "DIR")]
        detectors: Option<PathBuf>,
    },
    /// Check every detector: it compiles, finds each of its examples and none of its
    /// negative examples. Exits 1 if any check fails.
    Check {
        /// Also load detector files from this directory.
        #[arg(long, value_name = "DIR")]
        detectors: Option<PathBuf>,
    },
}

/// `piimap scan …`. Every option can also be set in the config file's `[scan]` table
/// (snake_case keys, for example `min_confidence = 0.7`); the command line wins.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files, directories or database URLs to scan (postgres://user@host:5432/db,
    /// mysql://user@host:3306/db; the password from the URL, PGPASSWORD, ~/.pgpass or
    /// MYSQL_PWD, never printed).
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<PathBuf>,

    /// Output format [default: human].
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Report only findings with at least this confidence (0..1) [default: 0.5].
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,

    /// When to exit with 1: `any` finding (default), `never`, a confidence (`0.8`: a finding
    /// at or above it), or detector ids (`credit_card,iban`: a finding of one of them).
    #[arg(long, value_name = "WHEN")]
    pub fail_on: Option<String>,

    /// Also load detector files (*.toml) from DIR; a detector with a built-in id replaces it.
    #[arg(long, value_name = "DIR")]
    pub detectors: Option<PathBuf>,

    /// Run only these detectors (comma-separated ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub only: Vec<String>,

    /// Accept phone numbers written without a country code as numbers of these regions only
    /// (comma-separated ISO 3166 codes: `DE,AT,CH`) [default: US, GB, DE, FR, NL, ES, IT, BE,
    /// AT, CH, SE, PL, IE, CA, AU, IN, NO, FI, TR].
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub phone_regions: Vec<String>,

    /// Worker threads [default: one per CPU].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Scan only files matching GLOB (repeatable). Without `/` a glob matches file names
    /// anywhere (`*.csv`); with `/` it matches the path below the target (`hr/**/*.txt`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files and directories matching GLOB (repeatable; same rules as --include).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Honour .gitignore, .ignore and git exclude files (off: file shares are not repos).
    #[arg(long)]
    pub respect_gitignore: bool,

    /// Follow symbolic links (loops are detected and reported).
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Include raw values in the output. Off by default: reports show masked values only.
    #[arg(long)]
    pub show_values: bool,

    /// Explain every finding: the pattern, validator and context that produced its
    /// confidence (an `explain` object in JSON, JSONL and SARIF output; steps in the human
    /// report).
    #[arg(long)]
    pub explain: bool,

    /// Exit with 2 if any file could not be read.
    #[arg(long)]
    pub strict: bool,

    /// No progress bar and no per-file error messages on standard error.
    #[arg(short, long)]
    pub quiet: bool,

    /// Record the scan in this inventory store (SQLite) [default: piimap.db].
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,

    /// Do not record the scan in an inventory store.
    #[arg(long, conflicts_with_all = ["store", "since_last"])]
    pub no_store: bool,

    /// Incremental: do not re-read files whose size and modification time (or content hash,
    /// with --hash) match the store's record from a scan with the same detectors and options.
    #[arg(long)]
    pub since_last: bool,

    /// Hash file contents (XXH3-128) and record the hashes; with --since-last, a file is
    /// unchanged when its content hash is, whatever its modification time.
    #[arg(long)]
    pub hash: bool,

    /// Limits of document and archive extraction.
    #[command(flatten)]
    pub limits: LimitArgs,

    /// Database options.
    #[command(flatten)]
    pub db: DbArgs,

    /// Bytes read per chunk when streaming files [default: 1 MiB].
    #[arg(long, value_name = "BYTES", hide = true)]
    pub chunk_size: Option<usize>,
}

/// Parses a byte size: `1048576`, `512K`, `128M`, `4G` (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let mult: u64 = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                'T' => 1 << 40,
                _ => return Err(format!("`{s}`: unknown size suffix (K, M, G, T)")),
            };
            (&s[..i], mult)
        }
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}`: expected a byte count such as 1048576, 512K, 128M or 4G"))
}

/// How databases are scanned.
#[derive(Debug, Default, Args)]
pub struct DbArgs {
    /// Rows sampled per table and per Parquet file, at random (not the first rows; in Parquet
    /// spread over every row group); smaller ones are read whole [default: 10000].
    #[arg(long, value_name = "N")]
    pub sample_rows: Option<u64>,

    /// Read every row of every table and Parquet file instead of a sample.
    #[arg(long)]
    pub full: bool,

    /// Concurrent connections per database [default: 4].
    #[arg(long, value_name = "N")]
    pub db_connections: Option<usize>,

    /// Timeout of each database statement, in seconds [default: 60].
    #[arg(long, value_name = "SECONDS")]
    pub statement_timeout: Option<f64>,

    /// Scan only tables matching GLOB on `database.schema.table` (repeatable; `*` stays
    /// within one name).
    #[arg(long, value_name = "GLOB")]
    pub include_table: Vec<String>,

    /// Skip tables matching GLOB on `database.schema.table` (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude_table: Vec<String>,

    /// Also scan binary columns (bytea, blob) as text.
    #[arg(long)]
    pub scan_blobs: bool,
}

/// Limits of document and archive extraction, per file (`piimap scan`).
#[derive(Debug, Default, Args)]
pub struct LimitArgs {
    /// Archives, e-mails and compression layers nested deeper than N are skipped
    /// [default: 5].
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,

    /// Bytes decompression may produce per file on disk, all members together; past it the
    /// rest of the file is skipped (suffixes K, M, G: `4G`) [default: 4G].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_expanded: Option<u64>,

    /// Largest member or document held in memory to extract it (zip-based documents, PDFs,
    /// e-mails, one XML part); larger ones are skipped [default: 128M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_member: Option<u64>,

    /// Largest expansion ratio of a compressed stream (checked past 16 MiB of output);
    /// past it the stream is skipped as a likely decompression bomb [default: 200].
    #[arg(long, value_name = "N")]
    pub max_ratio: Option<u64>,

    /// Seconds allowed per file for extracting documents, archives and compressed streams;
    /// past it the rest of the file is skipped [default: 60].
    #[arg(long, value_name = "SECONDS")]
    pub file_timeout: Option<f64>,
}
