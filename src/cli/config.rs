//! The config file (`piimap.toml` or `--config FILE`) and its merge with the command line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use piimap::report::Format;

/// Name of the config file looked up in the current directory.
pub const DEFAULT_FILE: &str = "piimap.toml";

/// The config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Options of `piimap scan`.
    #[serde(default)]
    pub scan: ScanConfig,
}

/// `[scan]`: the same options as `piimap scan`, in snake_case.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    pub format: Option<Format>,
    pub output: Option<PathBuf>,
    pub min_confidence: Option<f32>,
    pub fail_on: Option<String>,
    pub detectors: Option<PathBuf>,
    #[serde(default)]
    pub only: Vec<String>,
    #[serde(default)]
    pub phone_regions: Vec<String>,
    pub threads: Option<usize>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub respect_gitignore: bool,
    #[serde(default)]
    pub follow: bool,
    #[serde(default)]
    pub show_values: bool,
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub quiet: bool,
    pub chunk_size: Option<usize>,
    pub store: Option<PathBuf>,
    #[serde(default)]
    pub no_store: bool,
    #[serde(default)]
    pub since_last: bool,
    #[serde(default)]
    pub hash: bool,
    pub max_depth: Option<u32>,
    pub max_expanded: Option<Size>,
    pub max_member: Option<Size>,
    pub max_ratio: Option<u64>,
    pub file_timeout: Option<f64>,
    pub sample_rows: Option<u64>,
    #[serde(default)]
    pub full: bool,
    pub db_connections: Option<usize>,
    pub statement_timeout: Option<f64>,
    #[serde(default)]
    pub include_table: Vec<String>,
    #[serde(default)]
    pub exclude_table: Vec<String>,
    #[serde(default)]
    pub scan_blobs: bool,
}

/// A byte size in the config file: a number of bytes or a string such as `"128M"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Size {
    Bytes(u64),
    Text(String),
}

impl Size {
    /// The size in bytes.
    pub fn bytes(&self, key: &str) -> Result<u64> {
        match self {
            Size::Bytes(n) => Ok(*n),
            Size::Text(s) => super::args::parse_size(s)
                .map_err(|e| anyhow::anyhow!("config file, [scan] {key}: {e}")),
        }
    }
}

/// Loads `explicit`, or `./piimap.toml` if it exists, or nothing. Relative paths inside are
/// resolved against the config file's directory.
pub fn load(explicit: Option<&Path>) -> Result<Config> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(DEFAULT_FILE);
            if !p.exists() {
                return Ok(Config::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    let mut config: Config =
        toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    let resolve = |p: &mut Option<PathBuf>| {
        if let Some(p) = p.as_mut()
            && p.is_relative()
        {
            *p = base.join(&*p);
        }
    };
    resolve(&mut config.scan.output);
    resolve(&mut config.scan.detectors);
    resolve(&mut config.scan.store);
    Ok(config)
}
