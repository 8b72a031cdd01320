//! The `systems` of an activity: globs that say which assets it covers.
//!
//! - `files` and `parquet` globs are matched against the path as reported in findings, and
//!   also against every suffix of it that starts after a `/`, so that `share/support/**`
//!   covers `examples/share/support/a.txt` and `/mnt/share/support/a.txt` alike. A glob that
//!   starts with `/` is matched against the whole path only. `*` does not cross `/`; `**` does.
//! - `postgres` and `mysql` globs are matched against `database.schema.table` (for MySQL and
//!   MariaDB the schema is the database: `shop.*.orders` and `shop.orders` both cover the
//!   table `orders` of database `shop`). A column is covered when its table is. `*` does not
//!   cross `.`.

use globset::{GlobBuilder, GlobMatcher};
use serde::Serialize;

/// Which kind of system an entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemKind {
    /// Files on a share.
    Files,
    /// PostgreSQL tables.
    Postgres,
    /// MySQL or MariaDB tables.
    Mysql,
    /// Parquet files or datasets.
    Parquet,
}

impl SystemKind {
    /// The `source` of the assets this kind covers (as in findings' locations).
    pub fn source(self) -> &'static str {
        match self {
            SystemKind::Files => "file",
            SystemKind::Postgres => "postgres",
            SystemKind::Mysql => "mysql",
            SystemKind::Parquet => "parquet",
        }
    }

    /// The key used in RoPA files.
    pub fn key(self) -> &'static str {
        match self {
            SystemKind::Files => "files",
            SystemKind::Postgres => "postgres",
            SystemKind::Mysql => "mysql",
            SystemKind::Parquet => "parquet",
        }
    }
}

/// One system entry.
#[derive(Debug, Clone, Serialize)]
pub struct System {
    /// Kind of system.
    pub kind: SystemKind,
    /// The glob as written.
    pub glob: String,
    /// Line in the RoPA file.
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    matcher: GlobMatcher,
    #[serde(skip)]
    anchored: bool,
}

impl System {
    /// Builds an entry from its key and glob; the error says what is wrong.
    pub fn new(kind: &str, glob: &str, line: u64) -> Result<System, String> {
        let kind = match kind.trim() {
            "files" | "file" => SystemKind::Files,
            "postgres" | "postgresql" => SystemKind::Postgres,
            "mysql" | "mariadb" => SystemKind::Mysql,
            "parquet" => SystemKind::Parquet,
            other => {
                return Err(format!(
                    "unknown system kind `{other}` (expected files, postgres, mysql or parquet)"
                ));
            }
        };
        let glob = glob.trim();
        if glob.is_empty() {
            return Err("empty glob".into());
        }
        let (pattern, anchored) = match kind {
            SystemKind::Files | SystemKind::Parquet => (
                glob.trim_start_matches("./").to_string(),
                glob.starts_with('/'),
            ),
            SystemKind::Postgres | SystemKind::Mysql => {
                let parts: Vec<&str> = glob.split('.').collect();
                let parts = match (kind, parts.len()) {
                    (_, 3) => parts,
                    (SystemKind::Mysql, 2) => vec![parts[0], "*", parts[1]],
                    _ => {
                        return Err(format!(
                            "`{glob}`: a {} system is `database.schema.table` (globs allowed)",
                            kind.key()
                        ));
                    }
                };
                (parts.join("/"), true)
            }
        };
        let matcher = GlobBuilder::new(&pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid glob `{glob}`: {}", e.kind()))?
            .compile_matcher();
        Ok(System {
            kind,
            glob: glob.to_string(),
            line,
            matcher,
            anchored,
        })
    }

    /// Whether this entry covers the asset `locator` of `source`.
    pub fn covers(&self, source: &str, locator: &str) -> bool {
        if source != self.kind.source() {
            return false;
        }
        match self.kind {
            SystemKind::Files => self.covers_path(locator.trim_start_matches("./")),
            SystemKind::Parquet => {
                // A column (`path#field`) is covered when its file or dataset is; a dataset
                // root directory when the glob covers what is inside it (`lake/events/**`).
                let path = locator.split_once('#').map_or(locator, |(p, _)| p);
                let path = path.trim_start_matches("./");
                self.covers_path(path) || self.covers_path(&format!("{path}/*"))
            }
            SystemKind::Postgres | SystemKind::Mysql => {
                let mut parts: Vec<&str> = locator.split('.').collect();
                if self.kind == SystemKind::Mysql && parts.len() == 2 {
                    parts.insert(1, parts[0]);
                }
                parts.len() >= 3 && self.matcher.is_match(parts[..3].join("/"))
            }
        }
    }
}

impl System {
    fn covers_path(&self, path: &str) -> bool {
        if self.matcher.is_match(path) {
            return true;
        }
        if self.anchored {
            return false;
        }
        path.match_indices('/')
            .any(|(i, _)| self.matcher.is_match(&path[i + 1..]))
    }
}

impl std::fmt::Display for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.key(), self.glob)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sys(kind: &str, glob: &str) -> System {
        System::new(kind, glob, 1).expect("valid")
    }

    #[test]
    fn file_globs_match_suffixes_at_directory_boundaries() {
        let s = sys("files", "share/support/**");
        assert!(s.covers("file", "share/support/a.txt"));
        assert!(s.covers("file", "examples/share/support/t/2024/a.txt"));
        assert!(s.covers("file", "/mnt/share/support/a.txt"));
        assert!(!s.covers("file", "myshare/support/a.txt"));
        assert!(!s.covers("file", "share/supports/a.txt"));
        assert!(!s.covers("postgres", "share/support/a.txt"));
        let star = sys("files", "hr/*.csv");
        assert!(star.covers("file", "x/hr/a.csv"));
        assert!(!star.covers("file", "x/hr/sub/a.csv"), "* does not cross /");
    }

    #[test]
    fn parquet_globs_cover_files_datasets_and_their_columns() {
        let s = sys("parquet", "lake/events/**");
        assert!(s.covers("parquet", "lake/events/dt=2019-03-01/p.parquet"));
        assert!(s.covers("parquet", "lake/events"), "the dataset root");
        assert!(
            s.covers("parquet", "x/lake/events#user.email"),
            "a dataset column"
        );
        assert!(s.covers("parquet", "lake/events/a.parquet#email"));
        assert!(!s.covers("parquet", "lake/eventsx#email"));
        assert!(!s.covers("file", "lake/events/a.parquet"));
        let f = sys("parquet", "lake/*.parquet");
        assert!(f.covers("parquet", "lake/a.parquet#customer.email"));
    }

    #[test]
    fn absolute_file_globs_are_anchored() {
        let s = sys("files", "/srv/share/**");
        assert!(s.covers("file", "/srv/share/a"));
        assert!(!s.covers("file", "/backup/srv/share/a"));
    }

    #[test]
    fn table_globs() {
        let s = sys("postgres", "crm.public.*");
        assert!(s.covers("postgres", "crm.public.tickets"));
        assert!(s.covers("postgres", "crm.public.tickets.email"), "columns");
        assert!(!s.covers("postgres", "crm.audit.tickets"));
        assert!(!s.covers("mysql", "crm.public.tickets"));
        let m = sys("mysql", "shop.*.orders");
        assert!(m.covers("mysql", "shop.orders"));
        assert!(m.covers("mysql", "shop.shop.orders.email"));
        assert!(sys("mysql", "shop.orders").covers("mysql", "shop.orders"));
    }

    #[test]
    fn bad_entries_say_why() {
        assert!(
            System::new("ftp", "x", 1)
                .unwrap_err()
                .contains("unknown system kind")
        );
        assert!(
            System::new("postgres", "crm.tickets", 1)
                .unwrap_err()
                .contains("database.schema.table")
        );
        assert!(
            System::new("files", "a/[", 1)
                .unwrap_err()
                .contains("invalid glob")
        );
        assert!(System::new("files", " ", 1).unwrap_err().contains("empty"));
    }
}
