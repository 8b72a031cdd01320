//! Sources: where data comes from. For now, file trees: [`walk`] enumerates files in
//! parallel and [`text`] turns each file into a stream of text.

pub mod db;
pub mod extract;
pub mod parquet;
pub mod text;
pub mod walk;

/// A stable, machine-readable name for an I/O error kind, used in [`crate::finding::ScanError`].
pub fn io_kind(err: &std::io::Error) -> &'static str {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission",
        std::io::ErrorKind::NotFound => "not_found",
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => "decode",
        _ => "io",
    }
}

/// Size and modification time of a file, and its content hash when asked for: what decides
/// whether an incremental scan re-reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified_ns: i64,
    /// Content hash (XXH3-128, hex), when content hashing is on.
    pub hash: Option<String>,
}

impl Stamp {
    /// The stamp of `path` (without hash).
    pub fn of(path: &std::path::Path) -> std::io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        Ok(Stamp {
            size: meta.len(),
            modified_ns,
            hash: None,
        })
    }

    /// Whether `self` (the file now) has the same size and modification time as `earlier`.
    pub fn same_metadata(&self, earlier: &Stamp) -> bool {
        self.size == earlier.size && self.modified_ns == earlier.modified_ns
    }
}

/// The XXH3-128 hash of a file's bytes, as 32 hex digits.
pub fn content_hash(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:032x}", hasher.digest128()))
}
