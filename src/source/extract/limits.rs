//! Limits on what one file on disk may cost: nesting depth, expanded bytes, compression
//! ratio, wall-clock time. Documents are hostile input; every decompressing reader and every
//! parsing loop of the extractors checks a [`Budget`].

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Limits of extraction, per file on disk. Defaults are documented in the README.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// How deep containers may nest (a zip in a zip is depth 2). Deeper members are skipped.
    pub max_depth: u32,
    /// Bytes that decompression may produce for one file on disk, all members together.
    /// When reached, the rest of the file is skipped.
    pub max_expanded: u64,
    /// Bytes one member or document may take when it must be held in memory (zip-based
    /// documents, PDFs, e-mails, HTML, RTF, one XML part). Larger ones are skipped.
    pub max_member: u64,
    /// Largest expansion ratio (expanded : compressed) of one compressed stream, checked once
    /// it has produced more than [`RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
    /// Wall-clock time for one file on disk. When reached, the rest of the file is skipped.
    pub timeout: Duration,
}

/// Streams expanding to fewer bytes than this are never judged by their ratio: small,
/// highly repetitive XML parts legitimately compress 1000:1.
pub const RATIO_FLOOR: u64 = 16 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 5,
            max_expanded: 4 << 30,
            max_member: 128 << 20,
            max_ratio: 200,
            timeout: Duration::from_secs(60),
        }
    }
}

/// A limit was reached; the message says which, for the skip reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LimitHit {
    /// The limit is per file on disk (expanded size, time): the rest of the file is skipped.
    /// Otherwise only the member at hand is.
    pub whole_file: bool,
    /// Which limit, for the skip reason.
    pub message: String,
}

impl LimitHit {
    /// A limit of one member (size, ratio, depth).
    pub fn member(message: String) -> LimitHit {
        LimitHit {
            whole_file: false,
            message,
        }
    }

    /// A limit of the whole file (expanded size, time).
    pub fn file(message: String) -> LimitHit {
        LimitHit {
            whole_file: true,
            message,
        }
    }

    /// The limit hit carried by an I/O error made by [`LimitHit::into_io`], if any.
    pub fn from_io(err: &io::Error) -> Option<&LimitHit> {
        err.get_ref().and_then(|e| e.downcast_ref::<LimitHit>())
    }

    /// Wraps the limit hit into an I/O error, for readers.
    pub fn into_io(self) -> io::Error {
        io::Error::other(self)
    }
}

/// What one file on disk has spent so far.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    deadline: Instant,
    expanded: Cell<u64>,
}

impl Budget {
    /// A fresh budget, starting the clock now.
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            limits: limits.clone(),
            deadline: Instant::now() + limits.timeout,
            expanded: Cell::new(0),
        }
    }

    /// The limits this budget enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Fails once the time limit has passed.
    pub fn check_time(&self) -> Result<(), LimitHit> {
        if Instant::now() > self.deadline {
            return Err(LimitHit::file(format!(
                "time limit of {} s per file reached",
                self.limits.timeout.as_secs_f64()
            )));
        }
        Ok(())
    }

    /// Records `n` more expanded bytes; fails past the limit.
    pub fn expand(&self, n: u64) -> Result<(), LimitHit> {
        let total = self.expanded.get().saturating_add(n);
        self.expanded.set(total);
        if total > self.limits.max_expanded {
            return Err(LimitHit::file(format!(
                "expanded size limit of {} bytes per file reached",
                self.limits.max_expanded
            )));
        }
        Ok(())
    }

    /// Bytes expanded so far.
    pub fn expanded(&self) -> u64 {
        self.expanded.get()
    }
}

/// Counts the bytes read through it into a shared counter (the compressed side of a stream).
pub struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Counting<R> {
    /// Wraps `inner`; the returned counter follows the bytes read.
    pub fn new(inner: R) -> (Counting<R>, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Counting {
                inner,
                count: Rc::clone(&count),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Where the compressed size of an [`Expanding`] stream comes from.
pub enum Compressed {
    /// Known up front (a zip member's header).
    Known(u64),
    /// Counted as the decompressor reads (gzip).
    Counted(Rc<Cell<u64>>),
    /// Not compressed (a tar member): only time is checked.
    None,
}

/// The output side of a decompressor: charges the budget, checks the ratio, the member size
/// limit and the time. Errors are [`LimitHit`]s wrapped in [`io::Error`].
pub struct Expanding<'b, R> {
    inner: R,
    budget: &'b Budget,
    compressed: Compressed,
    out: u64,
    cap: Option<u64>,
}

impl<'b, R: Read> Expanding<'b, R> {
    /// Wraps the decompressed stream `inner`.
    pub fn new(inner: R, budget: &'b Budget, compressed: Compressed) -> Self {
        Expanding {
            inner,
            budget,
            compressed,
            out: 0,
            cap: None,
        }
    }

    /// Also fails once more than `cap` bytes were read (for members held in memory).
    pub fn with_cap(mut self, cap: u64) -> Self {
        self.cap = Some(cap);
        self
    }
}

impl<R: Read> Read for Expanding<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.budget.check_time().map_err(LimitHit::into_io)?;
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if let Some(cap) = self.cap
            && self.out > cap
        {
            return Err(LimitHit::member(format!(
                "larger than the member size limit of {cap} bytes"
            ))
            .into_io());
        }
        let input = match &self.compressed {
            Compressed::Known(n) => Some(*n),
            Compressed::Counted(c) => Some(c.get()),
            Compressed::None => None,
        };
        if let Some(input) = input {
            self.budget.expand(n as u64).map_err(LimitHit::into_io)?;
            let ratio = self.budget.limits.max_ratio;
            if self.out > RATIO_FLOOR && self.out > input.max(1).saturating_mul(ratio) {
                return Err(LimitHit::member(format!(
                    "compression ratio above the limit of {ratio}:1 (possible decompression bomb)"
                ))
                .into_io());
            }
        }
        Ok(n)
    }
}

/// Reads `reader` to its end into memory, failing with a [`LimitHit`] past `cap` bytes.
pub fn read_capped(reader: &mut dyn Read, cap: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let read = reader.take(cap.saturating_add(1)).read_to_end(&mut out)?;
    if read as u64 > cap {
        return Err(
            LimitHit::member(format!("larger than the member size limit of {cap} bytes")).into_io(),
        );
    }
    Ok(out)
}
