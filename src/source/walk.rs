//! Crawling file trees in parallel with `ignore`'s walker.
//!
//! File shares are not git repositories, so by default everything is scanned: hidden files
//! included, ignore files not honoured (`respect_gitignore` opts in), symbolic links not
//! followed (`follow_links` opts in; loops are detected and reported).
//!
//! Globs: a glob without `/` matches a file or directory *name* anywhere (`*.csv`,
//! `node_modules`); a glob with `/` matches the path relative to the target it was found
//! under (`hr/**/*.xlsx`), where `*` does not cross `/` and `**` does. Excluded directories
//! are not entered. Files named explicitly as targets are always scanned.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::error::{Error, Result};
use crate::finding::{ScanError, Skipped};

/// Options of the walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Worker threads (0: one per CPU).
    pub threads: usize,
    /// Only files matching one of these globs are scanned (empty: all).
    pub include: Vec<String>,
    /// Files and directories matching one of these globs are skipped.
    pub exclude: Vec<String>,
    /// Honour `.gitignore`, `.ignore` and git exclude files.
    pub respect_gitignore: bool,
    /// Follow symbolic links (loop-safe).
    pub follow_links: bool,
}

/// What the walker hands to a visitor.
#[derive(Debug)]
pub enum Entry {
    /// A regular file to scan.
    File(PathBuf),
    /// Something not scanned on purpose.
    Skipped(Skipped),
    /// An error while walking (unreadable directory, loop, vanished entry).
    Error(ScanError),
}

/// Compiled include/exclude globs.
#[derive(Debug, Clone)]
struct Filter {
    include_names: GlobSet,
    include_paths: GlobSet,
    has_include: bool,
    exclude_names: GlobSet,
    exclude_paths: GlobSet,
    roots: Vec<PathBuf>,
}

fn build_globs(globs: &[String]) -> Result<(GlobSet, GlobSet)> {
    let mut names = GlobSetBuilder::new();
    let mut paths = GlobSetBuilder::new();
    for g in globs {
        let err = |e: globset::Error| Error::Glob {
            glob: g.clone(),
            message: e.kind().to_string(),
        };
        if g.contains('/') {
            let glob = GlobBuilder::new(g.trim_start_matches("./"))
                .literal_separator(true)
                .build()
                .map_err(err)?;
            paths.add(glob);
        } else {
            names.add(Glob::new(g).map_err(err)?);
        }
    }
    let build = |b: GlobSetBuilder| {
        b.build().map_err(|e| Error::Glob {
            glob: globs.join(","),
            message: e.to_string(),
        })
    };
    Ok((build(names)?, build(paths)?))
}

impl Filter {
    fn new(opts: &WalkOptions, roots: &[PathBuf]) -> Result<Filter> {
        let (include_names, include_paths) = build_globs(&opts.include)?;
        let (exclude_names, exclude_paths) = build_globs(&opts.exclude)?;
        Ok(Filter {
            include_names,
            include_paths,
            has_include: !opts.include.is_empty(),
            exclude_names,
            exclude_paths,
            roots: roots.to_vec(),
        })
    }

    fn relative<'p>(&self, path: &'p Path) -> &'p Path {
        self.roots
            .iter()
            .filter_map(|r| path.strip_prefix(r).ok())
            .min_by_key(|rel| rel.as_os_str().len())
            .unwrap_or(path)
    }

    /// Whether to keep an entry found below a target (`depth > 0`).
    fn keep(&self, path: &Path, is_dir: bool) -> bool {
        let rel = self.relative(path);
        let name = path.file_name().map(Path::new).unwrap_or(rel);
        if self.exclude_names.is_match(name) || self.exclude_paths.is_match(rel) {
            return false;
        }
        is_dir
            || !self.has_include
            || self.include_names.is_match(name)
            || self.include_paths.is_match(rel)
    }
}

/// Checks that every target exists; a missing target is a usage error.
pub fn check_targets(targets: &[PathBuf]) -> Result<()> {
    for t in targets {
        if let Err(e) = std::fs::metadata(t) {
            return Err(Error::Target {
                path: t.clone(),
                message: e.to_string(),
            });
        }
    }
    Ok(())
}

/// Walks `targets` on `opts.threads` threads. `make_visitor` is called once per thread; the
/// visitor it returns is called for every entry on that thread (and may do the scanning
/// there, as ripgrep does, so that no file is handed between threads).
pub fn walk<F, V>(targets: &[PathBuf], opts: &WalkOptions, make_visitor: F) -> Result<()>
where
    F: Fn() -> V + Sync,
    V: FnMut(Entry) + Send,
{
    let Some((first, rest)) = targets.split_first() else {
        return Ok(());
    };
    let filter = Arc::new(Filter::new(opts, targets)?);
    let mut builder = WalkBuilder::new(first);
    for t in rest {
        builder.add(t);
    }
    let respect = opts.respect_gitignore;
    builder
        .threads(opts.threads)
        .hidden(false)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .parents(respect)
        .require_git(false)
        .follow_links(opts.follow_links)
        .skip_stdout(true);
    let f = Arc::clone(&filter);
    builder.filter_entry(move |e| {
        e.depth() == 0 || f.keep(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
    });
    builder.build_parallel().run(|| {
        let mut visit = make_visitor();
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    let Some(ft) = entry.file_type() else {
                        return WalkState::Continue; // stdin; never produced here
                    };
                    if ft.is_file() {
                        visit(Entry::File(entry.into_path()));
                    } else if ft.is_symlink() {
                        visit(Entry::Skipped(Skipped {
                            inner: None,
                            path: entry.path().display().to_string(),
                            reason: "symbolic link not followed (use --follow)".into(),
                        }));
                    } else if !ft.is_dir() {
                        visit(Entry::Skipped(Skipped {
                            inner: None,
                            path: entry.path().display().to_string(),
                            reason: "not a regular file (device, socket or pipe)".into(),
                        }));
                    }
                }
                Err(err) => visit(Entry::Error(walk_error(&err))),
            }
            WalkState::Continue
        })
    });
    Ok(())
}

fn walk_error(err: &ignore::Error) -> ScanError {
    fn parts(err: &ignore::Error, path: &mut Option<String>) -> (String, String) {
        match err {
            ignore::Error::WithPath { path: p, err } => {
                *path = Some(p.display().to_string());
                parts(err, path)
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err, path)
            }
            ignore::Error::Loop { ancestor, child } => {
                *path = Some(child.display().to_string());
                (
                    "loop".into(),
                    format!("file system loop: links back to {}", ancestor.display()),
                )
            }
            ignore::Error::Io(io) => (super::io_kind(io).into(), io.to_string()),
            other => ("walk".into(), other.to_string()),
        }
    }
    let mut path = None;
    let (kind, reason) = parts(err, &mut path);
    ScanError {
        path: path.unwrap_or_else(|| "?".into()),
        reason,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(include: &[&str], exclude: &[&str]) -> Filter {
        let opts = WalkOptions {
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            ..WalkOptions::default()
        };
        Filter::new(&opts, &[PathBuf::from("share")]).expect("valid globs")
    }

    #[test]
    fn name_and_path_globs() {
        let f = filter(&["*.csv", "hr/**/*.txt"], &["tmp", "hr/old/*"]);
        assert!(f.keep(Path::new("share/a/b.csv"), false));
        assert!(!f.keep(Path::new("share/a/b.txt"), false));
        assert!(f.keep(Path::new("share/hr/x/y.txt"), false));
        assert!(!f.keep(Path::new("share/a/tmp"), true));
        assert!(f.keep(Path::new("share/a/other"), true));
        assert!(!f.keep(Path::new("share/hr/old/z.csv"), false));
        assert!(f.keep(Path::new("share/hr/old/deeper/z.csv"), false));
    }

    #[test]
    fn bad_glob_is_an_error() {
        let opts = WalkOptions {
            include: vec!["a[".into()],
            ..WalkOptions::default()
        };
        let err = Filter::new(&opts, &[]).expect_err("invalid");
        assert!(err.to_string().contains("a["), "{err}");
    }
}
