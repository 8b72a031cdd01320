//! `piimap scan`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use piimap::classification::{AssetSummary, Taxonomy};
use piimap::detection::validate::PhoneRegions;
use piimap::detection::{Engine, EngineOptions};
use piimap::finding::Finding;
use piimap::report::{self, DetectorInfo, Format, Outcome, ScanMeta};
use piimap::scan::{self, Event, ScanOptions};
use piimap::source::db::{DbOptions, DbTarget};
use piimap::source::extract::Limits;
use piimap::source::walk::WalkOptions;

use super::args::{LimitArgs, ScanArgs};
use super::config::ScanConfig;
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_catalog};

/// When a scan exits with 1.
#[derive(Debug, Clone, PartialEq)]
enum FailOn {
    Any,
    Never,
    Confidence(f32),
    Detectors(Vec<String>),
}

impl FailOn {
    fn parse(s: &str, known: &[&str]) -> Result<FailOn> {
        let s = s.trim();
        if s == "any" {
            return Ok(FailOn::Any);
        }
        if s == "never" {
            return Ok(FailOn::Never);
        }
        if let Ok(x) = s.parse::<f32>() {
            if !(0.0..=1.0).contains(&x) {
                bail!("--fail-on {s}: a confidence must be within 0..=1");
            }
            return Ok(FailOn::Confidence(x));
        }
        let ids: Vec<String> = s
            .split(',')
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect();
        for id in &ids {
            if !known.contains(&id.as_str()) {
                bail!(
                    "--fail-on: unknown detector `{id}` (known: {})",
                    known.join(", ")
                );
            }
        }
        if ids.is_empty() {
            bail!("--fail-on: expected `any`, `never`, a confidence or detector ids");
        }
        Ok(FailOn::Detectors(ids))
    }

    fn trips(&self, f: &Finding) -> bool {
        match self {
            FailOn::Any => true,
            FailOn::Never => false,
            FailOn::Confidence(x) => f.confidence >= *x,
            FailOn::Detectors(ids) => ids.iter().any(|id| **id == *f.detector),
        }
    }
}

/// Extraction limits: command line, then config file, then defaults.
fn limits(args: &LimitArgs, config: &ScanConfig) -> Result<Limits> {
    let d = Limits::default();
    let size =
        |arg: Option<u64>, conf: &Option<super::config::Size>, key: &str, default: u64| match (
            arg, conf,
        ) {
            (Some(n), _) => Ok(n),
            (None, Some(s)) => s.bytes(key),
            (None, None) => Ok(default),
        };
    let timeout = args
        .file_timeout
        .or(config.file_timeout)
        .unwrap_or(d.timeout.as_secs_f64());
    if !(timeout.is_finite() && timeout > 0.0) {
        bail!("--file-timeout: expected a positive number of seconds");
    }
    let limits = Limits {
        max_depth: args.max_depth.or(config.max_depth).unwrap_or(d.max_depth),
        max_expanded: size(
            args.max_expanded,
            &config.max_expanded,
            "max_expanded",
            d.max_expanded,
        )?,
        max_member: size(
            args.max_member,
            &config.max_member,
            "max_member",
            d.max_member,
        )?,
        max_ratio: args.max_ratio.or(config.max_ratio).unwrap_or(d.max_ratio),
        timeout: std::time::Duration::from_secs_f64(timeout.min(1e9)),
    };
    if limits.max_ratio == 0 {
        bail!("--max-ratio: must be at least 1");
    }
    Ok(limits)
}

/// Runs a scan and writes its report; returns the exit code.
pub fn run(args: ScanArgs, config: ScanConfig) -> Result<u8> {
    Ok(execute(args, config, true)?.code)
}

/// What [`execute`] returns.
pub struct Executed {
    /// Exit code of the scan.
    pub code: u8,
}

/// A fingerprint of everything that shapes the evidence a scan records: the piimap version,
/// the detectors (definitions, not only ids), the minimum confidence and the phone regions. A
/// store's records made with another fingerprint are re-read by incremental scans.
fn detector_set(
    catalog: &piimap::detection::Catalog,
    min_confidence: f32,
    phone_regions: PhoneRegions,
) -> String {
    let text = format!(
        "{}|{:016x}|{min_confidence}{}",
        env!("CARGO_PKG_VERSION"),
        catalog.digest(),
        // Empty with the default regions: stores written before the option keep their sets.
        if phone_regions == PhoneRegions::DEFAULT {
            String::new()
        } else {
            format!("|phone:{}", phone_regions.ids().join(","))
        }
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Runs a scan, writing its report when `write_report` (otherwise only recording it).
pub fn execute(args: ScanArgs, config: ScanConfig, write_report: bool) -> Result<Executed> {
    let started = Instant::now();
    let started_at = jiff::Timestamp::now().to_string();
    let format = args.format.or(config.format).unwrap_or(Format::Human);
    let limits = limits(&args.limits, &config)?;
    let min_confidence = args.min_confidence.or(config.min_confidence).unwrap_or(0.5);
    if !(0.0..=1.0).contains(&min_confidence) {
        bail!("--min-confidence {min_confidence}: must be within 0..=1");
    }
    let quiet = args.quiet || config.quiet;
    let strict = args.strict || config.strict;
    let show_values = args.show_values || config.show_values;
    let only = if args.only.is_empty() {
        config.only
    } else {
        args.only
    };

    let mut catalog = load_catalog(
        args.detectors
            .as_ref()
            .or(config.detectors.as_ref())
            .map(|p| p.as_path()),
    )?;
    if !only.is_empty() {
        let known: Vec<String> = catalog
            .detectors()
            .iter()
            .map(|d| d.id.to_string())
            .collect();
        if let Some(bad) = only.iter().find(|id| !known.contains(id)) {
            bail!(
                "--only: unknown detector `{bad}` (known: {})",
                known.join(", ")
            );
        }
        catalog.retain(|d| only.iter().any(|id| **id == *d.id));
    }
    let only_ids = only.clone();
    let known: Vec<&str> = catalog.detectors().iter().map(|d| &*d.id).collect();
    let fail_on = FailOn::parse(
        args.fail_on
            .as_deref()
            .or(config.fail_on.as_deref())
            .unwrap_or("any"),
        &known,
    )?;
    let regions = if args.phone_regions.is_empty() {
        &config.phone_regions
    } else {
        &args.phone_regions
    };
    let phone_regions = if regions.is_empty() {
        PhoneRegions::DEFAULT
    } else {
        PhoneRegions::new(regions).map_err(|e| anyhow!("--phone-regions: {e}"))?
    };
    let engine = Engine::new(
        &catalog,
        EngineOptions {
            min_confidence,
            phone_regions,
            ..EngineOptions::default()
        },
    )?;
    let taxonomy = Taxonomy::builtin()?;

    let store_path = if args.no_store || config.no_store {
        None
    } else {
        Some(
            args.store
                .clone()
                .or(config.store.clone())
                .unwrap_or_else(|| piimap::inventory::DEFAULT_STORE.into()),
        )
    };
    let since_last = args.since_last || config.since_last;
    let content_hash = args.hash || config.hash;
    if since_last && store_path.is_none() {
        bail!("--since-last needs an inventory store (remove --no-store)");
    }
    let set = detector_set(&catalog, min_confidence, phone_regions);
    let mut store = match &store_path {
        Some(p) => Some(piimap::inventory::Store::open(p)?),
        None => None,
    };
    let known = match (&store, since_last) {
        (Some(s), true) => Some(std::sync::Arc::new(s.known_files(&set)?)),
        _ => None,
    };

    let mut paths = Vec::new();
    let mut databases = Vec::new();
    for t in &args.targets {
        match t.to_str().and_then(DbTarget::parse) {
            Some(d) => databases.push(d),
            None => paths.push(t.clone()),
        }
    }
    let statement_timeout = args
        .db
        .statement_timeout
        .or(config.statement_timeout)
        .unwrap_or(60.0);
    if !(statement_timeout.is_finite() && statement_timeout > 0.0) {
        bail!("--statement-timeout: expected a positive number of seconds");
    }
    let include_table = if args.db.include_table.is_empty() {
        config.include_table.clone()
    } else {
        args.db.include_table.clone()
    };
    let exclude_table = if args.db.exclude_table.is_empty() {
        config.exclude_table.clone()
    } else {
        args.db.exclude_table.clone()
    };
    let complete_databases = include_table.is_empty() && exclude_table.is_empty();
    let db = DbOptions {
        sample_rows: args
            .db
            .sample_rows
            .or(config.sample_rows)
            .unwrap_or(10_000)
            .max(1),
        full: args.db.full || config.full,
        connections: args
            .db
            .db_connections
            .or(config.db_connections)
            .unwrap_or(4)
            .max(1),
        statement_timeout: std::time::Duration::from_secs_f64(statement_timeout.min(1e6)),
        include_tables: include_table,
        exclude_tables: exclude_table,
        scan_blobs: args.db.scan_blobs || config.scan_blobs,
    };
    let target_names: Vec<String> = paths
        .iter()
        .map(|t| t.display().to_string())
        .chain(databases.iter().map(DbTarget::display))
        .collect();

    let options = ScanOptions {
        databases,
        db,
        walk: WalkOptions {
            threads: args.threads.or(config.threads).unwrap_or(0),
            include: if args.include.is_empty() {
                config.include
            } else {
                args.include
            },
            exclude: if args.exclude.is_empty() {
                config.exclude
            } else {
                args.exclude
            },
            respect_gitignore: args.respect_gitignore || config.respect_gitignore,
            follow_links: args.follow || config.follow,
        },
        chunk_size: args
            .chunk_size
            .or(config.chunk_size)
            .unwrap_or(scan::stream::DEFAULT_CHUNK),
        show_values,
        limits,
        progress: Default::default(),
        fingerprints: store.is_some(),
        explain: args.explain,
        content_hash,
        known,
    };
    let scanned = std::sync::Arc::clone(&options.progress);

    let output_path = args.output.or(config.output);
    let out: Box<dyn Write> = match &output_path {
        _ if !write_report => Box::new(io::sink()),
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create output file {}", path.display())
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut writer = report::writer(format, out);
    let meta = ScanMeta {
        started_at,
        targets: target_names.clone(),
        min_confidence,
        phone_regions: phone_regions
            .ids()
            .iter()
            .map(|id| id.to_string())
            .collect(),
        show_values,
        detectors: engine
            .detectors()
            .iter()
            .map(|d| DetectorInfo {
                id: d.id.to_string(),
                name: d.name.clone(),
                category: d.category.to_string(),
                description: d.description.clone(),
            })
            .collect(),
    };

    let progress = if !quiet && io::stderr().is_terminal() {
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        pb.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        Some(pb)
    } else {
        None
    };
    // Per-file messages on standard error only when the report does not already list them
    // there (human) and the user did not ask for silence.
    let log_errors = !quiet && format != Format::Human;

    let targets: Vec<String> = paths.iter().map(|t| t.display().to_string()).collect();
    let scan_id = match &mut store {
        Some(s) => Some(s.begin_scan(
            &meta.started_at,
            &target_names,
            &serde_json::json!({
                "min_confidence": min_confidence,
                "only": &only_ids,
                "include": &options.walk.include,
                "exclude": &options.walk.exclude,
                "since_last": since_last,
                "hash": content_hash,
            }),
            &set,
        )?),
        None => None,
    };
    let mut recorder = match (&mut store, scan_id) {
        (Some(s), Some(id)) => Some(piimap::inventory::Recorder::new(
            s,
            id,
            meta.started_at.clone(),
            set.clone(),
        )),
        _ => None,
    };
    let mut store_error: Option<piimap::Error> = None;
    let mut outcome = Outcome::default();
    let mut tripped = false;
    let mut write_error: Option<io::Error> = None;
    writer.begin(&meta).context("writing report")?;
    let update_progress = |outcome: &Outcome| {
        if let Some(pb) = &progress {
            let s = &outcome.summary;
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            let bytes = scanned.load(std::sync::atomic::Ordering::Relaxed);
            pb.set_message(format!(
                "files {} | {} | {}/s | findings {}",
                s.files_scanned,
                report::human_bytes(bytes),
                report::human_bytes((bytes as f64 / secs) as u64),
                s.findings
            ));
        }
    };
    let note = |message: String| {
        if log_errors {
            match &progress {
                Some(pb) => pb.suspend(|| super::warn(&message)),
                None => super::warn(&message),
            }
        }
    };
    // Assets being scanned (at most one per thread), summarised as their findings stream in.
    let mut open_assets: HashMap<String, AssetSummary> = HashMap::new();
    scan::run(&engine, &paths, &options, |event| match event {
        Event::Findings(batch) => {
            if let Some(r) = &mut recorder {
                r.findings(&batch);
            }
            let s = &mut outcome.summary;
            s.findings += batch.len() as u64;
            // A batch holds runs of findings of one asset: one look-up per run.
            let mut rest = &batch[..];
            while let Some(first) = rest.first() {
                let asset = first.location.asset();
                let run = rest
                    .iter()
                    .position(|f| f.location.asset() != asset)
                    .unwrap_or(rest.len());
                let summary = match open_assets.get_mut(asset.as_ref()) {
                    Some(summary) => summary,
                    None => open_assets
                        .entry(asset.to_string())
                        .or_insert_with(|| AssetSummary::new(&asset)),
                };
                for f in &rest[..run] {
                    match s.findings_by_detector.get_mut(&*f.detector) {
                        Some(n) => *n += 1,
                        None => {
                            s.findings_by_detector.insert(f.detector.to_string(), 1);
                        }
                    }
                    tripped |= fail_on.trips(f);
                    summary.add(f, &taxonomy);
                }
                rest = &rest[run..];
            }
            if write_error.is_none()
                && let Err(e) = writer.findings(&batch)
            {
                write_error = Some(e);
            }
            update_progress(&outcome);
        }
        Event::File(file) => {
            record(&mut recorder, &mut store_error, |r| r.file(&file));
            let s = &mut outcome.summary;
            if file.unchanged {
                s.files_unchanged += 1;
                return;
            }
            s.bytes_scanned += file.bytes;
            // Parts of the file not scanned (members, pages, the rest after a limit).
            s.files_skipped += file.notes.len() as u64;
            outcome.skipped.extend(file.notes);
            if let Some(reason) = file.skipped {
                s.files_skipped += 1;
                outcome.skipped.push(piimap::finding::Skipped {
                    path: file.path,
                    inner: None,
                    reason,
                });
                return;
            }
            s.files_scanned += 1;
            if let Some(asset) = open_assets.remove(&file.path) {
                s.assets_with_findings += 1;
                outcome.assets.push(asset);
            }
            if let Some(err) = file.error {
                outcome.summary.errors += 1;
                note(format!("{}: {}", err.path, err.reason));
                outcome.errors.push(err);
            }
            update_progress(&outcome);
        }
        Event::Skipped(skipped) => {
            record(&mut recorder, &mut store_error, |r| r.skipped(&skipped));
            outcome.summary.files_skipped += 1;
            outcome.skipped.push(skipped);
        }
        Event::Table(table) => {
            record(&mut recorder, &mut store_error, |r| r.table(&table));
            let s = &mut outcome.summary;
            s.tables_scanned += 1;
            s.rows_read += table.rows_read;
            close_assets(
                &mut open_assets,
                &format!("{}.", table.locator()),
                &mut outcome,
            );
            let s = &mut outcome.summary;
            if let Some(reason) = &table.error {
                let err = piimap::finding::ScanError {
                    path: format!("{}:{}", table.kind.source(), table.locator()),
                    reason: reason.clone(),
                    kind: "database".into(),
                };
                s.errors += 1;
                note(format!("{}: {}", err.path, err.reason));
                outcome.errors.push(err);
            }
            update_progress(&outcome);
        }
        Event::Parquet(pq) => {
            record(&mut recorder, &mut store_error, |r| r.parquet(&pq));
            let s = &mut outcome.summary;
            s.rows_read += pq.rows_read;
            close_assets(&mut open_assets, &format!("{}#", pq.path), &mut outcome);
            let s = &mut outcome.summary;
            for f in &pq.files {
                s.bytes_scanned += f.bytes;
                match (&f.error, f.error_kind) {
                    (None, _) => s.files_scanned += 1,
                    (Some(reason), Some("encrypted")) => {
                        s.files_skipped += 1;
                        outcome.skipped.push(piimap::finding::Skipped {
                            path: f.path.clone(),
                            inner: None,
                            reason: reason.clone(),
                        });
                    }
                    (Some(reason), kind) => {
                        let err = piimap::finding::ScanError {
                            path: f.path.clone(),
                            reason: format!("Parquet: {reason}"),
                            kind: kind.unwrap_or("decode").into(),
                        };
                        s.errors += 1;
                        note(format!("{}: {}", err.path, err.reason));
                        outcome.errors.push(err);
                    }
                }
            }
            for d in &pq.drift {
                note(format!("{}: schema drift: {d}", pq.path));
            }
            update_progress(&outcome);
        }
        Event::Error(err) => {
            if let Some(r) = &mut recorder {
                r.walk_error();
            }
            outcome.summary.errors += 1;
            note(format!("{}: {}", err.path, err.reason));
            outcome.errors.push(err);
        }
    })?;
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    if let Some(e) = store_error {
        return Err(e).context("recording the scan in the inventory");
    }
    if let Some(r) = recorder {
        let finished_at = jiff::Timestamp::now().to_string();
        r.finish(&targets, complete_databases, &finished_at)
            .context("recording the scan in the inventory")?;
    }
    outcome.summary.elapsed_seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    outcome.assets.sort_by(|a, b| a.asset.cmp(&b.asset));
    outcome.errors.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let finished = match write_error {
        Some(e) => Err(e),
        None => writer.finish(&outcome),
    };
    match finished {
        Ok(()) => {}
        // A closed pipe (`piimap scan … | head`) is not an error of the scan.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let target =
                output_path.map_or("standard output".to_string(), |p| p.display().to_string());
            return Err(e).with_context(|| format!("writing report to {target}"));
        }
    }
    // One scan per process, which ends next: freeing the compiled detectors (thousands of
    // regex and automaton parts, a few milliseconds of `free`) would only delay the exit.
    std::mem::forget(engine);
    std::mem::forget(catalog);
    let code = if strict && outcome.summary.errors > 0 {
        EXIT_ERROR
    } else if tripped {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    Ok(Executed { code })
}

/// Runs one recording step unless an earlier one failed; keeps the first error.
fn record(
    recorder: &mut Option<piimap::inventory::Recorder<'_>>,
    error: &mut Option<piimap::Error>,
    step: impl FnOnce(&mut piimap::inventory::Recorder<'_>) -> piimap::Result<()>,
) {
    if let Some(r) = recorder
        && error.is_none()
        && let Err(e) = step(r)
    {
        *error = Some(e);
    }
}

/// Moves the finished assets whose names start with `prefix` (a table's columns, a Parquet
/// file's columns) from `open` to the outcome.
fn close_assets(open: &mut HashMap<String, AssetSummary>, prefix: &str, outcome: &mut Outcome) {
    let done: Vec<String> = open
        .keys()
        .filter(|k| k.starts_with(prefix))
        .cloned()
        .collect();
    for k in done {
        if let Some(asset) = open.remove(&k) {
            outcome.summary.assets_with_findings += 1;
            outcome.assets.push(asset);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The help of `--phone-regions` names the validator's own default list.
    #[test]
    fn phone_regions_help_names_the_default_regions() {
        use clap::CommandFactory;
        let mut cli = crate::cli::args::Cli::command();
        let scan = cli.find_subcommand_mut("scan").expect("scan command");
        let help = scan.render_long_help().to_string();
        let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let default = format!("[default: {}]", PhoneRegions::DEFAULT.ids().join(", "));
        assert!(flat.contains(&default), "{default} not in: {flat}");
    }

    #[test]
    fn fail_on_forms() {
        let known = ["email", "iban"];
        assert_eq!(FailOn::parse("any", &known).expect("ok"), FailOn::Any);
        assert_eq!(FailOn::parse("never", &known).expect("ok"), FailOn::Never);
        assert_eq!(
            FailOn::parse("0.8", &known).expect("ok"),
            FailOn::Confidence(0.8)
        );
        assert_eq!(
            FailOn::parse("email, iban", &known).expect("ok"),
            FailOn::Detectors(vec!["email".into(), "iban".into()])
        );
        assert!(FailOn::parse("1.5", &known).is_err());
        assert!(
            FailOn::parse("phone", &known)
                .expect_err("unknown")
                .to_string()
                .contains("unknown detector `phone`")
        );
    }
}
