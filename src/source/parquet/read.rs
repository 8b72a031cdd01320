//! Reading one Parquet file: footer, projection of the leaves worth scanning, row groups
//! decoded in parallel, values profiled per leaf, data ages from statistics.
//!
//! Memory is bounded whatever the file size: column chunks are read page by page through
//! the crate's column readers (one page, decompressed, per leaf being read), values are
//! decoded in batches of [`BATCH`] records, and each worker thread keeps one profiler per
//! leaf (whose distinct-value sets are capped).

use std::fs::File;
use std::io::{BufReader, Read};
use std::os::unix::fs::FileExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::metadata::RowGroupMetaData;
use parquet::file::reader::{ChunkReader, FileReader, Length, RowGroupReader};
use parquet::file::serialized_reader::{ReadOptionsBuilder, SerializedFileReader};
use parquet::file::statistics::Statistics;

use super::ParquetError;
use super::age::TimeAcc;
use super::sample::{self, Windows};
use super::schema::{self, Leaf, LeafKind, TimeStorage};
use crate::classification::column::ColumnProfiler;
use crate::detection::{Engine, Scratch};
use crate::source::db::is_record_time;

/// Records decoded per call to the column readers.
pub const BATCH: usize = 8192;
/// Date/timestamp leaves whose data age is computed, at most.
const AGE_COLUMNS: usize = 3;

/// Where the first hit of a detector in a leaf is: row group, and row counted from the start
/// of the file (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FirstHit {
    /// Row group.
    pub row_group: usize,
    /// Row in the file.
    pub row: u64,
}

/// What was gathered about one scanned leaf.
#[derive(Debug)]
pub struct LeafAcc<'e> {
    /// Its values, profiled.
    pub profiler: ColumnProfiler<'e>,
    /// Per detector (index in the engine), the first hit.
    pub first: Vec<Option<FirstHit>>,
}

impl<'e> LeafAcc<'e> {
    fn new(engine: &'e Engine, leaf: &Leaf) -> Self {
        LeafAcc {
            profiler: ColumnProfiler::new(engine, &leaf.path),
            first: vec![None; engine.detectors().len()],
        }
    }

    /// Adds another accumulator of the same leaf.
    pub fn merge(&mut self, other: LeafAcc<'e>) {
        self.profiler.merge(other.profiler);
        for (a, b) in self.first.iter_mut().zip(other.first) {
            *a = match (*a, b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
        }
    }
}

/// The outcome of reading one file.
#[derive(Debug)]
pub struct FileRead<'e> {
    /// Every leaf of the schema.
    pub leaves: Vec<Leaf>,
    /// Accumulators of the scanned leaves, by position in `leaves` (`None`: not scanned).
    pub accs: Vec<Option<LeafAcc<'e>>>,
    /// Data ages of record-time leaves: (leaf path, facts).
    pub ages: Vec<(String, TimeAcc)>,
    /// Rows in the file (from the footer).
    pub rows_total: u64,
    /// Rows read.
    pub rows_read: u64,
    /// Row groups.
    pub row_groups: usize,
    /// Whether only a sample was read.
    pub sampled: bool,
    /// An error met after the footer was read (values read before it are kept).
    pub error: Option<String>,
}

/// A file read with positioned reads (`pread`), so that threads decoding different row
/// groups never share a file offset. (The crate's `ChunkReader` for `File` clones the handle
/// and seeks: clones share one offset, and concurrent readers corrupt each other's pages.)
#[derive(Debug, Clone)]
pub struct PreadFile {
    file: Arc<File>,
    len: u64,
}

/// A sequential reader over a [`PreadFile`] from some offset.
#[derive(Debug)]
pub struct PreadReader {
    file: Arc<File>,
    pos: u64,
}

impl Read for PreadReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Length for PreadFile {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for PreadFile {
    type T = BufReader<PreadReader>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(BufReader::new(PreadReader {
            file: Arc::clone(&self.file),
            pos: start,
        }))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let end = start.saturating_add(length as u64);
        if end > self.len {
            return Err(parquet::errors::ParquetError::EOF(format!(
                "range {start}..{end} is past the end of the file ({} bytes)",
                self.len
            )));
        }
        let mut buf = vec![0u8; length];
        self.file.read_exact_at(&mut buf, start)?;
        Ok(Bytes::from(buf))
    }
}

/// Opens a Parquet file and reads its footer. Tells truncated, encrypted and corrupt files
/// apart.
pub fn open(path: &Path) -> Result<SerializedFileReader<PreadFile>, ParquetError> {
    let file = File::open(path).map_err(ParquetError::Io)?;
    let len = file.metadata().map_err(ParquetError::Io)?.len();
    if len < 12 {
        return Err(ParquetError::Truncated(format!(
            "{len} bytes: too short to hold a footer"
        )));
    }
    let mut tail = [0u8; 4];
    file.read_exact_at(&mut tail, len - 4)
        .map_err(ParquetError::Io)?;
    match &tail {
        b"PAR1" => {}
        b"PARE" => return Err(ParquetError::Encrypted),
        _ => {
            return Err(ParquetError::Truncated(
                "no footer magic at the end of the file".into(),
            ));
        }
    }
    let options = ReadOptionsBuilder::new().with_page_index().build();
    let file = PreadFile {
        file: Arc::new(file),
        len,
    };
    match catch_unwind(AssertUnwindSafe(|| {
        SerializedFileReader::new_with_options(file, options)
    })) {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(ParquetError::classify(&e)),
        Err(_) => Err(ParquetError::Corrupt(
            "the footer could not be decoded".into(),
        )),
    }
}

/// Reads the file: every scanned leaf over the sampled (or all) rows, with up to
/// `threads` row groups decoded at once, and the data ages of record-time leaves.
pub fn read<'e>(
    engine: &'e Engine,
    reader: &SerializedFileReader<PreadFile>,
    sample_rows: Option<u64>,
    threads: usize,
) -> FileRead<'e> {
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let leaves: Vec<Leaf> = schema
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| schema::leaf(i, c))
        .collect();
    let rows: Vec<u64> = meta
        .row_groups()
        .iter()
        .map(|rg| u64::try_from(rg.num_rows()).unwrap_or(0))
        .collect();
    let rows_total: u64 = rows.iter().sum();
    let plan = sample::plan(&rows, sample_rows);
    let sampled = sample_rows.is_some_and(|w| w < rows_total);
    let starts: Vec<u64> = rows
        .iter()
        .scan(0u64, |acc, n| {
            let s = *acc;
            *acc += n;
            Some(s)
        })
        .collect();
    let age_leaves: Vec<usize> = leaves
        .iter()
        .filter(|l| l.time().is_some() && l.max_rep == 0 && is_record_time(&l.path))
        .take(AGE_COLUMNS)
        .map(|l| l.index)
        .collect();

    let next = AtomicUsize::new(0);
    let error: Mutex<Option<(usize, String)>> = Mutex::new(None);
    let n_groups = rows.len();
    let workers = threads.clamp(1, n_groups.max(1));
    let results: Vec<Worker<'e, '_>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut w = Worker::new(engine, &leaves, &age_leaves);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n_groups {
                            break;
                        }
                        let outcome = catch_unwind(AssertUnwindSafe(|| {
                            w.row_group(reader, i, &plan[i], starts[i])
                        }));
                        let failure = match outcome {
                            Ok(Ok(())) => None,
                            Ok(Err(e)) => Some(e.to_string()),
                            Err(_) => Some("the decoder failed on malformed data".to_string()),
                        };
                        if let Some(reason) = failure
                            && let Ok(mut slot) = error.lock()
                            && slot.as_ref().is_none_or(|(g, _)| i < *g)
                        {
                            *slot = Some((i, reason));
                        }
                    }
                    w
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut merged = Worker::new(engine, &leaves, &age_leaves);
    for w in results {
        merged.merge(w);
    }
    let Worker {
        accs,
        ages,
        rows_read,
        ..
    } = merged;
    let error = error
        .into_inner()
        .ok()
        .flatten()
        .map(|(g, reason)| format!("row group {g}: {reason}"));
    FileRead {
        ages: age_leaves
            .iter()
            .zip(ages)
            .map(|(&i, acc)| (leaves[i].path.clone(), acc))
            .collect(),
        accs,
        leaves,
        rows_total,
        rows_read,
        row_groups: n_groups,
        sampled,
        error,
    }
}

/// One worker thread's accumulators.
struct Worker<'e, 'l> {
    engine: &'e Engine,
    leaves: &'l [Leaf],
    age_leaves: &'l [usize],
    accs: Vec<Option<LeafAcc<'e>>>,
    ages: Vec<TimeAcc>,
    rows_read: u64,
    scratch: Scratch,
    text: Vec<u8>,
}

impl<'e, 'l> Worker<'e, 'l> {
    fn new(engine: &'e Engine, leaves: &'l [Leaf], age_leaves: &'l [usize]) -> Self {
        Worker {
            engine,
            leaves,
            age_leaves,
            accs: leaves
                .iter()
                .map(|l| l.scanned().then(|| LeafAcc::new(engine, l)))
                .collect(),
            ages: age_leaves
                .iter()
                .map(|&i| TimeAcc {
                    dates_only: leaves.get(i).is_some_and(|l| l.kind == LeafKind::Date),
                    ..TimeAcc::default()
                })
                .collect(),
            rows_read: 0,
            scratch: engine.scratch(),
            text: Vec::with_capacity(32),
        }
    }

    fn merge(&mut self, other: Worker<'e, '_>) {
        self.rows_read += other.rows_read;
        for (a, b) in self.accs.iter_mut().zip(other.accs) {
            if let (Some(a), Some(b)) = (a.as_mut(), b) {
                a.merge(b);
            }
        }
        for (a, b) in self.ages.iter_mut().zip(other.ages) {
            a.merge(b);
        }
    }

    /// Reads the windows of row group `g` (whose first row is `start` in the file) for every
    /// scanned leaf, and its data ages.
    fn row_group(
        &mut self,
        reader: &SerializedFileReader<PreadFile>,
        g: usize,
        windows: &Windows,
        start: u64,
    ) -> parquet::errors::Result<()> {
        let rg = reader.get_row_group(g)?;
        let mut rows = 0;
        let leaves = self.leaves;
        for leaf in leaves.iter().filter(|l| l.scanned()) {
            rows = self.scan_leaf(rg.as_ref(), g, leaf, windows, start)?;
        }
        self.rows_read += rows;
        let age_leaves = self.age_leaves;
        for (k, &i) in age_leaves.iter().enumerate() {
            self.age(rg.as_ref(), &leaves[i], k)?;
        }
        Ok(())
    }

    fn scan_leaf(
        &mut self,
        rg: &dyn RowGroupReader,
        g: usize,
        leaf: &Leaf,
        windows: &Windows,
        start: u64,
    ) -> parquet::errors::Result<u64> {
        let Worker {
            engine,
            accs,
            scratch,
            text,
            ..
        } = self;
        let Some(acc) = accs.get_mut(leaf.index).and_then(Option::as_mut) else {
            return Ok(0);
        };
        let mut add = |row: u64, value: Option<&[u8]>| match value {
            None => acc.profiler.add_null(),
            Some(v) => {
                acc.profiler.add(scratch, v);
                if !v.is_empty() {
                    for h in scratch.hits() {
                        if let Some(slot) = acc.first.get_mut(usize::from(h.detector))
                            && slot.is_none()
                        {
                            *slot = Some(FirstHit {
                                row_group: g,
                                row: start + row,
                            });
                        }
                    }
                }
            }
        };
        let _ = engine;
        match (rg.get_column_reader(leaf.index)?, leaf.kind) {
            (ColumnReader::ByteArrayColumnReader(r), LeafKind::Text) => {
                read_leaf(r, leaf, windows, |row, v| add(row, v.map(|b| b.data())))
            }
            (ColumnReader::Int32ColumnReader(r), LeafKind::Date) => {
                read_leaf(r, leaf, windows, |row, v| match v {
                    Some(&d) => {
                        schema::write_date(i64::from(d), text);
                        add(row, Some(text.as_slice()));
                    }
                    None => add(row, None),
                })
            }
            (ColumnReader::Int32ColumnReader(r), LeafKind::Integer) => {
                read_leaf(r, leaf, windows, |row, v| match v {
                    Some(&n) => {
                        schema::write_int(i64::from(n), text);
                        add(row, Some(text.as_slice()));
                    }
                    None => add(row, None),
                })
            }
            (ColumnReader::Int64ColumnReader(r), LeafKind::Integer) => {
                read_leaf(r, leaf, windows, |row, v| match v {
                    Some(&n) => {
                        schema::write_int(n, text);
                        add(row, Some(text.as_slice()));
                    }
                    None => add(row, None),
                })
            }
            _ => Ok(0),
        }
    }

    /// The data age of time leaf `leaf` in one row group: from the footer statistics when
    /// the row group lies within one month, else (or without statistics) from its values.
    fn age(
        &mut self,
        rg: &dyn RowGroupReader,
        leaf: &Leaf,
        k: usize,
    ) -> parquet::errors::Result<()> {
        let Some(storage) = leaf.time() else {
            return Ok(());
        };
        let Some(acc) = self.ages.get_mut(k) else {
            return Ok(());
        };
        let meta = rg.metadata();
        if let Some((min, max, non_null)) = stats_range(meta, leaf.index, storage)
            && acc.add_range(min, max, non_null)
        {
            return Ok(());
        }
        let all = vec![(0, u64::try_from(meta.num_rows()).unwrap_or(0))];
        let mut add = |_: u64, secs: Option<i64>| {
            if let Some(s) = secs {
                acc.add(s);
            }
        };
        match rg.get_column_reader(leaf.index)? {
            ColumnReader::Int32ColumnReader(r) => read_leaf(r, leaf, &all, |row, v| {
                add(row, v.map(|&d| storage.seconds(i64::from(d))))
            })?,
            ColumnReader::Int64ColumnReader(r) => read_leaf(r, leaf, &all, |row, v| {
                add(row, v.map(|&t| storage.seconds(t)))
            })?,
            ColumnReader::Int96ColumnReader(r) => {
                read_leaf(r, leaf, &all, |row, v| add(row, v.map(|t| t.to_seconds())))?
            }
            _ => 0,
        };
        Ok(())
    }
}

/// Oldest and newest (seconds since the epoch) and non-null count of a time leaf in a row
/// group, from its statistics. Never printed: used for data age only.
fn stats_range(meta: &RowGroupMetaData, i: usize, storage: TimeStorage) -> Option<(i64, i64, u64)> {
    let column = meta.columns().get(i)?;
    let stats = column.statistics()?;
    let rows = u64::try_from(meta.num_rows()).ok()?;
    let nulls = stats.null_count_opt().unwrap_or(0);
    let (min, max) = match stats {
        Statistics::Int32(s) => (i64::from(*s.min_opt()?), i64::from(*s.max_opt()?)),
        Statistics::Int64(s) => (*s.min_opt()?, *s.max_opt()?),
        // INT96 statistics are unreliable (their sort order is undefined): read the values.
        _ => return None,
    };
    Some((
        storage.seconds(min),
        storage.seconds(max),
        rows.saturating_sub(nulls),
    ))
}

/// Reads `windows` of one leaf of one row group, calling `each(row in the row group, value)`
/// for every level slot: `None` for a null (or an empty list above the leaf). Returns the
/// rows read.
fn read_leaf<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    leaf: &Leaf,
    windows: &[(u64, u64)],
    mut each: impl FnMut(u64, Option<&T::T>),
) -> parquet::errors::Result<u64> {
    let mut pos = 0u64;
    let mut read = 0u64;
    let mut def: Vec<i16> = Vec::new();
    let mut rep: Vec<i16> = Vec::new();
    let mut values: Vec<T::T> = Vec::new();
    for &(start, len) in windows {
        while pos < start {
            let skipped =
                reader.skip_records(usize::try_from(start - pos).unwrap_or(usize::MAX))?;
            if skipped == 0 {
                return Ok(read);
            }
            pos += skipped as u64;
        }
        let mut left = len;
        while left > 0 {
            def.clear();
            rep.clear();
            values.clear();
            let want = usize::try_from(left).unwrap_or(BATCH).min(BATCH);
            let (records, _, levels) = reader.read_records(
                want,
                (leaf.max_def > 0).then_some(&mut def),
                (leaf.max_rep > 0).then_some(&mut rep),
                &mut values,
            )?;
            if records == 0 {
                return Ok(read);
            }
            let mut record: u64 = 0;
            let mut vi = 0;
            for i in 0..levels {
                if i > 0 && (leaf.max_rep == 0 || rep.get(i) == Some(&0)) {
                    record += 1;
                }
                let present = leaf.max_def == 0 || def.get(i) == Some(&leaf.max_def);
                if present {
                    each(pos + record, values.get(vi));
                    vi += 1;
                } else {
                    each(pos + record, None);
                }
            }
            pos += records as u64;
            read += records as u64;
            left = left.saturating_sub(records as u64);
        }
    }
    Ok(read)
}
