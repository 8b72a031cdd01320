//! Typed errors of the library. The binary adds context with `anyhow` at its edges.

use std::path::PathBuf;

/// An error in a detector definition: names the file, the detector and the field.
#[derive(Debug, thiserror::Error)]
#[error("{file}: detector `{detector}`, field `{field}`: {message}")]
pub struct DetectorError {
    /// The detector file (`builtin:email.toml` for compiled-in files).
    pub file: String,
    /// The detector id, or `?` when the file could not be parsed far enough to know it.
    pub detector: String,
    /// The offending field (`pattern[1].regex`, `validator`, …).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Errors raised by the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A detector definition is invalid.
    #[error(transparent)]
    Detector(#[from] DetectorError),
    /// A detector file could not be read.
    #[error("cannot read detector file {path}: {source}")]
    DetectorIo {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The classification rules (`rules/*.toml`) are invalid.
    #[error("{file}: {message}")]
    Rules {
        /// The rules file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A glob given for `--include` or `--exclude` is invalid.
    #[error("invalid glob `{glob}`: {message}")]
    Glob {
        /// The glob as given.
        glob: String,
        /// What is wrong.
        message: String,
    },
    /// A scan target does not exist or cannot be used.
    #[error("target {path}: {message}")]
    Target {
        /// The target as given.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A RoPA file is invalid: names the file, the line and the field.
    #[error("{}", located(.file, *.line, .field, .message))]
    Ropa {
        /// The RoPA file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// The field (`activities[2].retention`), empty when unknown.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The inventory store cannot be opened or used.
    #[error("inventory store {path}: {message}")]
    Store {
        /// The store file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A database target cannot be scanned (connection, catalogue). Per-table problems are
    /// recorded on the table instead.
    #[error("database {target}: {message}")]
    Database {
        /// The target, password removed.
        target: String,
        /// What is wrong.
        message: String,
    },
    /// Writing the report failed.
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
}

fn located(file: &str, line: u64, field: &str, message: &str) -> String {
    let mut out = file.to_string();
    if line > 0 {
        out.push_str(&format!(":{line}"));
    }
    if !field.is_empty() {
        out.push_str(&format!(": {field}"));
    }
    out.push_str(": ");
    out.push_str(message);
    out
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
