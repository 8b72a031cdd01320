//! Structural context: in delimited text (CSV, TSV) the header names each cell's column; in
//! JSON and JSON Lines each value's key path names it. The name counts as context exactly like
//! a nearby keyword.
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
use crate::detection::{Engine, FieldContext, Hit};

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

/// One field of a line: its value's bytes and the context of its name.
#[derive(Debug, Clone)]
struct Field {
    range: Range<usize>,
    ctx: usize,
}

/// What gives a line's fields their names.
trait Structure {
    /// Fills `out` with the fields of line `line_no` (1-based; never called for pieces of an
    /// over-long line).
    fn fields(&mut self, engine: &Engine, line_no: u64, body: &[u8], out: &mut Vec<Field>);
    /// The contexts, by index.
    fn contexts(&self) -> &[FieldContext];
    /// Whether the fields of context `i` are scanned again as fields.
    fn rescan(&self, i: usize) -> bool;
}

/// CSV/TSV: the header line names the columns.
struct Delimited {
    delimiter: Option<u8>,
    contexts: Vec<FieldContext>,
    rescan: Vec<bool>,
    cells: Vec<Range<usize>>,
}

fn supports_any(engine: &Engine, c: &FieldContext) -> bool {
    (0..engine.detectors().len()).any(|di| c.supports(di))
}

impl Structure for Delimited {
    fn fields(&mut self, engine: &Engine, line_no: u64, body: &[u8], out: &mut Vec<Field>) {
        out.clear();
        if line_no == 1 {
            let Some(d) = self.delimiter.or_else(|| sniff(body)) else {
                return;
            };
            self.delimiter = Some(d);
            split(body, d, &mut self.cells);
            self.contexts = self
                .cells
                .iter()
                .map(|r| engine.field_context(&String::from_utf8_lossy(&body[trim(body, r)])))
                .collect();
            self.rescan = self
                .contexts
                .iter()
                .map(|c| supports_any(engine, c))
                .collect();
            return;
        }
        let Some(d) = self.delimiter.filter(|_| !self.contexts.is_empty()) else {
            return;
        };
        split(body, d, &mut self.cells);
        for (col, r) in self.cells.iter().enumerate().take(self.contexts.len()) {
            out.push(Field {
                range: trim(body, r),
                ctx: col,
            });
        }
    }

    fn contexts(&self) -> &[FieldContext] {
        &self.contexts
    }

    fn rescan(&self, i: usize) -> bool {
        self.rescan.get(i).copied().unwrap_or(false)
    }
}

/// JSON and JSON Lines: each value's key path (`user.contact.email`; array elements add no
/// segment) names it. The tokenizer keeps its nesting across lines, so pretty-printed JSON
/// works too; it recovers at the next line of a JSON Lines file after a malformed line.
#[derive(Default)]
struct Json {
    /// Per open object or array: the key being filled (objects) or `None` (arrays).
    stack: Vec<Option<String>>,
    /// Inside an object, before the `:` of the next key.
    expect_key: bool,
    paths: std::collections::HashMap<String, usize>,
    contexts: Vec<FieldContext>,
    rescan: Vec<bool>,
    jsonl: bool,
}

impl Json {
    fn path(&self) -> String {
        let mut p = String::new();
        for k in self.stack.iter().flatten() {
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(k);
        }
        p
    }

    fn intern(&mut self, engine: &Engine) -> usize {
        let path = self.path();
        if let Some(&i) = self.paths.get(&path) {
            return i;
        }
        let c = engine.field_context(&path);
        self.rescan.push(supports_any(engine, &c));
        self.contexts.push(c);
        self.paths.insert(path, self.contexts.len() - 1);
        self.contexts.len() - 1
    }
}

impl Structure for Json {
    fn fields(&mut self, engine: &Engine, _line_no: u64, body: &[u8], out: &mut Vec<Field>) {
        out.clear();
        if self.jsonl {
            self.stack.clear();
            self.expect_key = false;
        }
        let mut i = 0;
        while i < body.len() {
            match body[i] {
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < body.len() && body[j] != b'"' {
                        j += if body[j] == b'\\' { 2 } else { 1 };
                    }
                    let end = j.min(body.len());
                    let in_object = matches!(self.stack.last(), Some(Some(_)));
                    if in_object && self.expect_key {
                        if let Some(top) = self.stack.last_mut() {
                            *top = Some(String::from_utf8_lossy(&body[start..end]).into_owned());
                        }
                    } else if !self.stack.is_empty() {
                        let ctx = self.intern(engine);
                        out.push(Field {
                            range: start..end,
                            ctx,
                        });
                    }
                    i = end + 1;
                    continue;
                }
                b'{' => {
                    self.stack.push(Some(String::new()));
                    self.expect_key = true;
                }
                b'[' => {
                    self.stack.push(None);
                    self.expect_key = false;
                }
                b'}' | b']' => {
                    self.stack.pop();
                    self.expect_key = false;
                }
                b':' => self.expect_key = false,
                b',' => self.expect_key = matches!(self.stack.last(), Some(Some(_))),
                b'-' | b'0'..=b'9' if !self.expect_key && !self.stack.is_empty() => {
                    let start = i;
                    while i < body.len()
                        && matches!(body[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    {
                        i += 1;
                    }
                    let ctx = self.intern(engine);
                    out.push(Field {
                        range: start..i,
                        ctx,
                    });
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn contexts(&self) -> &[FieldContext] {
        &self.contexts
    }

    fn rescan(&self, i: usize) -> bool {
        self.rescan.get(i).copied().unwrap_or(false)
    }
}

/// The structure a file name implies, if any.
pub enum Kind {
    /// Delimited text; the delimiter, or `None` to sniff it from the header.
    Delimited(Option<u8>),
    /// JSON (`.json`) or JSON Lines (`.jsonl`, `.ndjson`).
    Json {
        /// One document per line.
        lines: bool,
    },
}

/// The structured kind of a file by its name (compression suffixes ignored).
pub fn structure_of(name: &str) -> Option<Kind> {
    if let Some(d) = kind_of(name) {
        return Some(Kind::Delimited(d));
    }
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
        Some(Kind::Json { lines: true })
    } else if base.ends_with(".json") {
        Some(Kind::Json { lines: false })
    } else {
        None
    }
}

impl StreamScanner<'_> {
    /// Scans structured text line by line with field names as context (see the module
    /// documentation). Returns the bytes scanned and any read error.
    pub fn scan_structured(
        &mut self,
        reader: &mut dyn Read,
        kind: Kind,
        on_hit: impl FnMut(Located<'_>),
    ) -> (u64, Option<io::Error>) {
        match kind {
            Kind::Delimited(delimiter) => {
                let mut s = Delimited {
                    delimiter,
                    contexts: Vec::new(),
                    rescan: Vec::new(),
                    cells: Vec::new(),
                };
                self.scan_lines(reader, &mut s, on_hit)
            }
            Kind::Json { lines } => {
                let mut s = Json {
                    jsonl: lines,
                    ..Json::default()
                };
                self.scan_lines(reader, &mut s, on_hit)
            }
        }
    }

    fn scan_lines(
        &mut self,
        reader: &mut dyn Read,
        structure: &mut dyn Structure,
        mut on_hit: impl FnMut(Located<'_>),
    ) -> (u64, Option<io::Error>) {
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut line: Vec<u8> = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        let mut hits: Vec<Hit> = Vec::new();
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
            let long = !complete && n == MAX_LINE;
            let piece_of_long_line = continued || long;
            if !continued {
                line_no += 1;
            }
            let base = total;
            total += n as u64;
            if let Some(p) = &self.progress {
                p.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            }
            let body = &line[..line.len() - usize::from(complete)];
            if piece_of_long_line {
                fields.clear();
            } else {
                structure.fields(engine, line_no, body, &mut fields);
            }
            engine.scan(body, 0..body.len(), &mut self.scratch);
            hits.clear();
            hits.extend_from_slice(self.scratch.hits());
            if !fields.is_empty() {
                let contexts = structure.contexts();
                hits.retain_mut(|h| {
                    let Some(f) = fields.iter().find(|f| {
                        f.range.start <= h.start && h.start < f.range.end.max(f.range.start + 1)
                    }) else {
                        return true;
                    };
                    let ctx = &contexts[f.ctx];
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
                for f in &fields {
                    if f.range.is_empty() || !structure.rescan(f.ctx) {
                        continue;
                    }
                    let r = f.range.clone();
                    engine.scan_field(
                        &body[r.clone()],
                        0..r.len(),
                        &mut self.scratch,
                        &structure.contexts()[f.ctx],
                    );
                    for h in self.scratch.hits() {
                        let (start, end) = (h.start + r.start, h.end + r.start);
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
            continued = long;
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
