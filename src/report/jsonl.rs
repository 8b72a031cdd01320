//! `--format jsonl`: one finding per line, nothing else (errors go to standard error).

use std::io::{self, Write};

use super::{Outcome, ScanMeta, Writer, to_io};
use crate::finding::Finding;

/// JSON Lines writer.
pub struct Jsonl<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> Jsonl<'w> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Jsonl { out }
    }
}

impl Writer for Jsonl<'_> {
    fn begin(&mut self, _meta: &ScanMeta) -> io::Result<()> {
        Ok(())
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            serde_json::to_writer(&mut self.out, f).map_err(to_io)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _outcome: &Outcome) -> io::Result<()> {
        self.out.flush()
    }
}
