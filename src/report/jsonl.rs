//! `--format jsonl`: one finding per line, nothing else (errors go to standard error).

use std::io::{self, Write};

use super::{Outcome, ScanMeta, Writer, encode};
use crate::finding::Finding;

/// JSON Lines writer.
pub struct Jsonl<'w> {
    out: Box<dyn Write + 'w>,
    /// One batch of lines, written to `out` at once.
    buf: Vec<u8>,
}

impl<'w> Jsonl<'w> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Jsonl {
            out,
            buf: Vec::new(),
        }
    }
}

impl Writer for Jsonl<'_> {
    fn begin(&mut self, _meta: &ScanMeta) -> io::Result<()> {
        Ok(())
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        self.buf.clear();
        for f in findings {
            encode::finding(&mut self.buf, f);
            self.buf.push(b'\n');
        }
        self.out.write_all(&self.buf)
    }

    fn finish(&mut self, _outcome: &Outcome) -> io::Result<()> {
        self.out.flush()
    }
}
