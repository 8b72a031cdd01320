//! `--format json`: one document shaped like [`JsonReport`](super::JsonReport), streamed.

use std::io::{self, Write};

use super::{Outcome, ScanMeta, Tool, Writer, encode, to_io};
use crate::finding::Finding;

/// JSON document writer.
pub struct Json<'w> {
    out: Box<dyn Write + 'w>,
    first: bool,
    /// One batch of findings, written to `out` at once.
    buf: Vec<u8>,
}

impl<'w> Json<'w> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Json {
            out,
            first: true,
            buf: Vec::new(),
        }
    }

    fn field(&mut self, name: &str, value: &impl serde::Serialize) -> io::Result<()> {
        write!(self.out, ",\n  \"{name}\": ")?;
        serde_json::to_writer(&mut self.out, value).map_err(to_io)
    }
}

impl Writer for Json<'_> {
    fn begin(&mut self, meta: &ScanMeta) -> io::Result<()> {
        self.out.write_all(b"{\n  \"tool\": ")?;
        serde_json::to_writer(&mut self.out, &Tool::current()).map_err(to_io)?;
        self.field("scan", meta)?;
        self.out.write_all(b",\n  \"findings\": [")
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        self.buf.clear();
        for f in findings {
            self.buf
                .extend_from_slice(if self.first { b"\n    " } else { b",\n    " });
            self.first = false;
            encode::finding(&mut self.buf, f);
        }
        self.out.write_all(&self.buf)
    }

    fn finish(&mut self, outcome: &Outcome) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"]" } else { b"\n  ]" })?;
        self.field("assets", &outcome.assets)?;
        self.field("errors", &outcome.errors)?;
        self.field("skipped", &outcome.skipped)?;
        self.field("summary", &outcome.summary)?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}
