//! `piimap reconcile`, `piimap audit` and `piimap ropa …`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use piimap::classification::Taxonomy;
use piimap::inventory::{DEFAULT_STORE, Store};
use piimap::reconcile::{self, Rules, Settings, Severity};
use piimap::report::audit::{self, AuditFormat};
use piimap::ropa::{Ropa, draft};

use super::args::{AuditArgs, ReconcileOptions, RopaCommand, ScanArgs};
use super::config::ScanConfig;
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_catalog};

fn today(as_of: Option<&str>) -> Result<jiff::civil::Date> {
    match as_of {
        Some(s) => s
            .parse()
            .with_context(|| format!("--as-of {s}: expected a date such as 2026-11-29")),
        None => Ok(jiff::ZonedDateTime::now().date()),
    }
}

fn open_output(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => {
            Box::new(BufWriter::new(File::create(p).with_context(|| {
                format!("cannot create output file {}", p.display())
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Reconciles the store with the RoPA; returns the exit code.
pub fn reconcile(options: ReconcileOptions) -> Result<u8> {
    let taxonomy = Taxonomy::builtin()?;
    let ropa = Ropa::load(&options.ropa, &taxonomy)?;
    let fail_on = match options.fail_on.as_deref().unwrap_or("high") {
        "never" => None,
        s => Some(Severity::parse(s).with_context(|| {
            format!("--fail-on {s}: expected info, low, medium, high, critical or never")
        })?),
    };
    let min_confidence = options.min_confidence.unwrap_or(0.5);
    if !(0.0..=1.0).contains(&min_confidence) {
        bail!("--min-confidence {min_confidence}: must be within 0..=1");
    }
    let store_path = options.store.unwrap_or_else(|| DEFAULT_STORE.into());
    if !store_path.exists() {
        bail!(
            "inventory store {} does not exist: run `piimap scan` (or `piimap audit`) first",
            store_path.display()
        );
    }
    let store = Store::open(&store_path)?;
    let assets = store.current()?;
    let scans = store.scans()?;
    let catalog = load_catalog(None)?;
    let detectable: Vec<String> = catalog
        .detectors()
        .iter()
        .map(|d| d.category.to_string())
        .collect();
    let result = reconcile::reconcile(
        &ropa,
        &assets,
        &scans,
        &taxonomy,
        &Rules::builtin()?,
        &Settings {
            today: today(options.as_of.as_deref())?,
            min_confidence,
            detectable: &detectable,
            store: store_path.display().to_string(),
        },
    );
    let mut out = open_output(options.output.as_deref())?;
    let written = audit::write(
        &result,
        options.format.unwrap_or(AuditFormat::Human),
        &mut out,
    )
    .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("writing the audit report"),
    }
    let tripped = fail_on.is_some_and(|min| result.gaps.iter().any(|g| g.severity >= min));
    Ok(if tripped { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Scans the targets into the store, then reconciles.
pub fn audit(args: AuditArgs, config: ScanConfig) -> Result<u8> {
    let taxonomy = Taxonomy::builtin()?;
    // Check the RoPA before spending time on a scan.
    Ropa::load(&args.options.ropa, &taxonomy)?;
    let store: PathBuf = args
        .options
        .store
        .clone()
        .or(config.store.clone())
        .unwrap_or_else(|| DEFAULT_STORE.into());
    let scan = ScanArgs {
        targets: args.targets,
        format: None,
        output: None,
        min_confidence: args.options.min_confidence,
        fail_on: Some("never".into()),
        detectors: args.detectors,
        only: Vec::new(),
        phone_regions: args.phone_regions,
        threads: args.threads,
        include: args.include,
        exclude: args.exclude,
        respect_gitignore: false,
        follow: false,
        show_values: false,
        explain: false,
        strict: false,
        quiet: args.quiet,
        store: Some(store.clone()),
        no_store: false,
        since_last: args.since_last,
        hash: args.hash,
        limits: Default::default(),
        db: args.db,
        chunk_size: None,
    };
    let executed = super::scan::execute(scan, config, false)?;
    if executed.code == EXIT_ERROR {
        return Ok(EXIT_ERROR);
    }
    let mut options = args.options;
    options.store = Some(store);
    reconcile(options)
}

/// `piimap ropa …`.
pub fn ropa(command: RopaCommand) -> Result<u8> {
    let taxonomy = Taxonomy::builtin()?;
    match command {
        RopaCommand::Check { ropa } => {
            let r = Ropa::load(&ropa, &taxonomy)?;
            let mut out = io::stdout().lock();
            writeln!(
                out,
                "{}: {} activities{}",
                r.origin,
                r.activities.len(),
                r.organization
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default()
            )?;
            for a in &r.activities {
                writeln!(
                    out,
                    "  {:<20} {:<40} systems: {}; categories: {}",
                    a.id,
                    a.name,
                    a.systems.len(),
                    a.data_categories.join(", ")
                )?;
            }
            Ok(EXIT_CLEAN)
        }
        RopaCommand::Draft {
            ropa,
            store,
            output,
        } => {
            let existing = match &ropa {
                Some(p) => Some(Ropa::load(p, &taxonomy)?),
                None => None,
            };
            let store_path = store.unwrap_or_else(|| DEFAULT_STORE.into());
            if !store_path.exists() {
                bail!(
                    "inventory store {} does not exist: run `piimap scan` first",
                    store_path.display()
                );
            }
            let store = Store::open(&store_path)?;
            let text = draft::draft(
                &store.current()?,
                existing.as_ref(),
                0.5,
                &store_path.display().to_string(),
                &jiff::ZonedDateTime::now().date().to_string(),
            );
            let mut out = open_output(output.as_deref())?;
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("writing the draft")?;
            Ok(EXIT_CLEAN)
        }
    }
}
