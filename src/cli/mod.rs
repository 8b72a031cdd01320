//! The command-line interface: argument parsing, config merging, progress, exit codes.

mod args;
mod audit;
mod config;
mod scan;

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use piimap::classification::Taxonomy;
use piimap::detection::{Catalog, Detector, Engine, EngineOptions, examples};

pub use args::Cli;
use args::{Command, DetectorsCommand};

/// Exit code: nothing to report.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage or fatal error.
pub const EXIT_ERROR: u8 = 2;

/// Runs the program and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`piimap detectors list | head`): nothing more to say.
        Err(e) if closed_pipe(&e) => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            warn(&format!("error: {e:#}"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Writes `piimap: {message}` to standard error. A closed standard error (`piimap scan 2>&1 |
/// head`) loses the message, not the scan: `eprintln!` would panic there.
fn warn(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "piimap: {message}");
}

/// Whether `e` comes from writing to a pipe whose reader has closed it.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => {
            let config = config::load(cli.config.as_deref())?;
            scan::run(*args, config.scan)
        }
        Command::Reconcile(args) => audit::reconcile(args.options),
        Command::Audit(args) => {
            let config = config::load(cli.config.as_deref())?;
            audit::audit(*args, config.scan)
        }
        Command::Ropa(command) => audit::ropa(command),
        Command::Detectors(DetectorsCommand::List { detectors, json }) => {
            let catalog = load_catalog(detectors.as_deref())?;
            list(&catalog, json)?;
            Ok(EXIT_CLEAN)
        }
        Command::Detectors(DetectorsCommand::Regex { detectors }) => {
            let catalog = load_catalog(detectors.as_deref())?;
            let mut out = std::io::stdout().lock();
            for d in catalog.detectors() {
                for p in &d.patterns {
                    writeln!(out, "{}", grep_regex(&p.hir))?;
                }
            }
            Ok(EXIT_CLEAN)
        }
        Command::Detectors(DetectorsCommand::Check { detectors }) => {
            let catalog = load_catalog(detectors.as_deref())?;
            let engine = Engine::new(&catalog, EngineOptions::default())?;
            let failures = examples::check(&engine);
            let total: usize = catalog
                .detectors()
                .iter()
                .map(|d| d.examples.len() + d.negative_examples.len())
                .sum();
            let mut out = std::io::stdout().lock();
            for f in &failures {
                let what = if f.missed {
                    "example not found"
                } else {
                    "negative example found"
                };
                writeln!(
                    out,
                    "FAIL {} ({}): {what}: {:?}",
                    f.detector, f.origin, f.example
                )?;
            }
            writeln!(
                out,
                "{} detectors, {} examples: {} passed, {} failed",
                catalog.detectors().len(),
                total,
                total - failures.len(),
                failures.len()
            )?;
            Ok(if failures.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            })
        }
        Command::Schema { output } => {
            let schema = match output {
                args::SchemaOutput::Report => schemars::schema_for!(piimap::report::JsonReport),
                args::SchemaOutput::Audit => {
                    schemars::schema_for!(piimap::reconcile::Reconciliation)
                }
            };
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&schema)?
            )?;
            Ok(EXIT_CLEAN)
        }
    }
}

/// `hir` as one line of regex syntax for line-oriented grep tools: control characters escaped
/// (the syntax printer writes them raw), a literal newline as the end of the line, and capture
/// groups unnamed (a pattern file must not repeat names).
fn grep_regex(hir: &regex_syntax::hir::Hir) -> String {
    let mut out = String::new();
    for c in hir.to_string().replace("(?P<value>", "(?:").chars() {
        match c {
            // Line-oriented tools match no newline; a raw one only ever stands as a literal
            // (classes print escaped), where the end of the line is its equivalent.
            '\n' => out.push_str("(?m:$)"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{{{:X}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// The built-in catalogue plus `dir`, checked against the taxonomy.
pub fn load_catalog(dir: Option<&std::path::Path>) -> Result<Catalog> {
    let mut catalog = Catalog::builtin().context("built-in detectors")?;
    if let Some(dir) = dir {
        catalog
            .load_dir(dir)
            .with_context(|| format!("loading detectors from {}", dir.display()))?;
    }
    Taxonomy::builtin()?.check_detectors(catalog.detectors())?;
    Ok(catalog)
}

fn list(catalog: &Catalog, json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let list: Vec<_> = catalog
            .detectors()
            .iter()
            .map(|d| {
                serde_json::json!({
                    "id": d.id, "name": d.name, "category": d.category, "description": d.description,
                    "confidence": d.confidence, "validator": d.validator.as_ref().map(|v| &v.0),
                    "patterns": d.patterns.iter().map(|p| &p.name).collect::<Vec<_>>(), "origin": d.origin,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else {
        fn validator(d: &Detector) -> &str {
            d.validator.as_ref().map_or("-", |v| v.0.as_str())
        }
        // Columns as wide as their longest entry.
        let width = |f: &dyn Fn(&Detector) -> usize, title: &str| {
            catalog
                .detectors()
                .iter()
                .map(f)
                .fold(title.len(), usize::max)
        };
        let wid = width(&|d| d.id.len(), "ID");
        let wcat = width(&|d| d.category.len(), "CATEGORY");
        let wval = width(&|d| validator(d).len(), "VALIDATOR");
        writeln!(
            out,
            "{:<wid$} {:<wcat$} {:<wval$} NAME",
            "ID", "CATEGORY", "VALIDATOR"
        )?;
        for d in catalog.detectors() {
            writeln!(
                out,
                "{:<wid$} {:<wcat$} {:<wval$} {}",
                d.id,
                d.category,
                validator(d),
                d.name
            )?;
        }
    }
    Ok(())
}
