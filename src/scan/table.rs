//! Structural context for delimited text (CSV, TSV): the header names each cell's column,
//! and the column name counts as context exactly like a nearby keyword.
//!
//! Each data line is scanned as a whole (the fast path); then
//! - a hit in a column whose name suppresses its detector (`order_id` for an SSN look-alike) is
//!   dropped, and one in a column whose name supports it (`email`, `iban`) gets the context
//!   boost;
//! - the cells of columns whose names support some detector (`dob`, `geburtsdatum`, `ssn`,
//!   `bsn`) are scanned again as fields ([`Engine::scan_field`]), which finds the values that
//!   need context to be reported at all (a bare date under `birth_date`, nine digits under
//!   `ssn`).
//!
//! Cells are split on the delimiter outside double quotes, line by line: a quoted value that
//! spans lines shifts the columns of that record's later lines (they are scanned, with weaker
//! context). Lines longer than [`MAX_LINE`] are scanned in pieces without column context.

use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;

use super::stream::{Located, StreamScanner};
use crate::detection::{FieldContext, Hit};

/// Longest line handled with column context; longer ones are scanned in pieces of this size.
pub const MAX_LINE: usize = 1 << 20;

/// The delimiter a file name implies: `.csv` (sniffed from the header), `.tsv`/`.tab`
/// (tab), `.psv` (`|`). Compression suffixes are ignored. `None` for other names.
pub fn kind_of(name: &str) -> Option<Option<u8>> {
    let lower = name.to_ascii_lowercase();
    let base = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".gzip"))
        .unwrap_or(&lower);
    if base.ends_with(".csv") {
        Some(None)
    } else if base.ends_with(".tsv") || base.ends_with(".tab") {
        Some(Some(b'\t'))
    } else if base.ends_with(".psv") {
        Some(Some(b'|'))
    } else {
        None
    }
}

/// The most frequent of `, ; \t |` outside quotes in the header line, if any.
fn sniff(header: &[u8]) -> Option<u8> {
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            b'|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let (i, n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .map(|(i, n)| (i, *n))?;
    (n > 0).then_some([b',', b';', b'\t', b'|'][i])
}

/// Splits `line` (without its line break) into cell ranges, quotes respected.
fn split(line: &[u8], delimiter: u8, out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..line.len());
}

/// A cell range without surrounding quotes and blanks.
fn trim(line: &[u8], r: &Range<usize>) -> Range<usize> {
    let (mut s, mut e) = (r.start, r.end);
    while s < e && matches!(line[s], b' ' | b'"' | b'\r') {
        s += 1;
    }
    while e > s && matches!(line[e - 1], b' ' | b'"' | b'\r') {
        e -= 1;
    }
    s..e
}

struct Columns {
    contexts: Vec<FieldContext>,
    /// Columns whose cells are scanned again as fields.
    rescan: Vec<bool>,
}

impl StreamScanner<'_> {
    /// Scans delimited text line by line with the header's column names as context (see the
    /// module documentation). `delimiter` `None` sniffs it from the header; without one the
    /// text is scanned like any other. Returns the bytes scanned and any read error.
    pub fn scan_delimited(
        &mut self,
        reader: &mut dyn Read,
        delimiter: Option<u8>,
        mut on_hit: impl FnMut(Located<'_>),
    ) -> (u64, Option<io::Error>) {
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut line: Vec<u8> = Vec::new();
        let mut cells: Vec<Range<usize>> = Vec::new();
        let mut hits: Vec<Hit> = Vec::new();
        let mut columns: Option<(u8, Columns)> = None;
        let mut total = 0u64;
        let mut line_no = 0u64;
        let mut continued = false;
        let engine = self.engine();
        loop {
            line.clear();
            let read = (&mut reader)
                .take(MAX_LINE as u64)
                .read_until(b'\n', &mut line);
            let n = match read {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return (total, Some(e)),
            };
            let complete = line.last() == Some(&b'\n');
            let piece_of_long_line = continued || !complete && n == MAX_LINE;
            if !continued {
                line_no += 1;
            }
            let base = total;
            total += n as u64;
            if let Some(p) = &self.progress {
                p.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            }
            let body_end = line.len() - usize::from(complete);
            let body = &line[..body_end];
            // The header: decide the delimiter and the columns' contexts.
            if line_no == 1
                && !continued
                && columns.is_none()
                && let Some(d) = delimiter.or_else(|| sniff(body))
            {
                split(body, d, &mut cells);
                let contexts: Vec<FieldContext> = cells
                    .iter()
                    .map(|r| {
                        let t = trim(body, r);
                        engine.field_context(&String::from_utf8_lossy(&body[t]))
                    })
                    .collect();
                let rescan = contexts
                    .iter()
                    .map(|c| (0..engine.detectors().len()).any(|di| c.supports(di)))
                    .collect();
                columns = Some((d, Columns { contexts, rescan }));
            }
            engine.scan(body, 0..body.len(), &mut self.scratch);
            hits.clear();
            hits.extend_from_slice(self.scratch.hits());
            let structured = columns
                .as_ref()
                .filter(|_| line_no > 1 && !piece_of_long_line);
            if let Some((d, cols)) = structured {
                split(body, *d, &mut cells);
                hits.retain_mut(|h| {
                    let col = cells.partition_point(|r| r.end < h.start);
                    let Some(ctx) = cols.contexts.get(col) else {
                        return true;
                    };
                    let di = usize::from(h.detector);
                    if ctx.suppresses(di) {
                        return false;
                    }
                    if ctx.supports(di) && !h.context {
                        h.context = true;
                        if !h.test_value {
                            h.confidence =
                                (h.confidence + engine.detectors()[di].context.boost).min(1.0);
                        }
                    }
                    true
                });
                let found = hits.len();
                for (col, r) in cells.iter().enumerate() {
                    if !cols.rescan.get(col).copied().unwrap_or(false) {
                        continue;
                    }
                    let t = trim(body, r);
                    if t.is_empty() {
                        continue;
                    }
                    engine.scan_field(
                        &body[t.clone()],
                        0..t.len(),
                        &mut self.scratch,
                        &cols.contexts[col],
                    );
                    for h in self.scratch.hits() {
                        let (start, end) = (h.start + t.start, h.end + t.start);
                        if hits[..found].iter().any(|o| o.start < end && start < o.end) {
                            continue;
                        }
                        hits.push(Hit { start, end, ..*h });
                    }
                }
                hits.sort_by_key(|h| h.start);
            }
            for h in &hits {
                let column = 1 + body[..h.start]
                    .iter()
                    .filter(|&&b| b & 0xC0 != 0x80)
                    .count() as u64;
                on_hit(Located {
                    hay: body,
                    hit: h,
                    line: line_no,
                    column,
                    offset: base + h.start as u64,
                });
            }
            continued = !complete && n == MAX_LINE;
        }
        (total, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimited_kinds() {
        assert_eq!(kind_of("a/EXPORT.CSV"), Some(None));
        assert_eq!(kind_of("a.tsv.gz"), Some(Some(b'\t')));
        assert_eq!(kind_of("a.txt"), None);
        assert_eq!(sniff(b"name;email;dob"), Some(b';'));
        assert_eq!(sniff(b"\"a,b\"\tc\td"), Some(b'\t'));
        assert_eq!(sniff(b"single"), None);
    }

    #[test]
    fn cells_respect_quotes() {
        let mut out = Vec::new();
        split(b"a,\"b,c\",d", b',', &mut out);
        assert_eq!(out, vec![0..1, 2..7, 8..9]);
        assert_eq!(trim(b"a,\"b,c\",d", &out[1]), 3..6);
    }
}
