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

use super::stream::{Located, StreamScanner, count_chars};
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
    /// A JSON string with `\u` escapes: also scanned decoded ([`apply_fields`]).
    escaped: bool,
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
                escaped: false,
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
    /// Per open object or array: the hash of the path to it plus the key being filled
    /// (objects), with that key; arrays repeat their parent's path.
    stack: Vec<Frame>,
    /// Per stack depth: the current key of the object there, as raw bytes (kept between
    /// objects, so that keys are copied into buffers that are already there; decoded only
    /// when a new path is interned, not for every key of every line).
    keys: Vec<Vec<u8>>,
    /// Inside an object, before the `:` of the next key.
    expect_key: bool,
    /// Path hash → context index; the path text is built only the first time. (The key
    /// already is a hash; foldhash mixes it in a few instructions where SipHash took ~100.)
    paths: std::collections::HashMap<u64, usize, foldhash::fast::RandomState>,
    contexts: Vec<FieldContext>,
    rescan: Vec<bool>,
    jsonl: bool,
}

#[derive(Debug, Clone)]
struct Frame {
    /// Hash of the path of the object or array itself.
    base: u64,
    /// Hash of the path including the current key (objects).
    hash: u64,
    /// The object has a current key (in [`Json::keys`] at the frame's depth).
    keyed: bool,
    object: bool,
}

/// FNV-1a step over `bytes`, starting from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

impl Json {
    fn current(&self) -> u64 {
        self.stack.last().map_or(FNV_START, |f| f.hash)
    }

    fn path(&self) -> String {
        let mut p = Vec::new();
        let keys = self.stack.iter().zip(&self.keys).filter(|(f, _)| f.keyed);
        for (_, k) in keys {
            if !p.is_empty() {
                p.push(b'.');
            }
            p.extend_from_slice(k);
        }
        String::from_utf8_lossy(&p).into_owned()
    }

    fn intern(&mut self, engine: &Engine) -> usize {
        let h = self.current();
        if let Some(&i) = self.paths.get(&h) {
            return i;
        }
        let c = engine.field_context(&self.path());
        self.rescan.push(supports_any(engine, &c));
        self.contexts.push(c);
        self.paths.insert(h, self.contexts.len() - 1);
        self.contexts.len() - 1
    }

    fn push(&mut self, object: bool) {
        let base = self.current();
        self.stack.push(Frame {
            base,
            hash: base,
            keyed: false,
            object,
        });
        if self.keys.len() < self.stack.len() {
            self.keys.push(Vec::new());
        }
        self.expect_key = object;
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
                    let mut escaped = false;
                    while j < body.len() && body[j] != b'"' {
                        if body[j] == b'\\' {
                            escaped |= body.get(j + 1) == Some(&b'u');
                            j += 2;
                        } else {
                            j += 1;
                        }
                    }
                    let end = j.min(body.len());
                    let in_object = self.stack.last().is_some_and(|f| f.object);
                    if in_object && self.expect_key {
                        let key = &body[start..end];
                        let depth = self.stack.len();
                        if let (Some(top), Some(buf)) = (
                            self.stack.last_mut(),
                            self.keys.get_mut(depth.wrapping_sub(1)),
                        ) {
                            top.hash = fnv(fnv(top.base, b"."), key);
                            top.keyed = true;
                            buf.clear();
                            buf.extend_from_slice(key);
                        }
                    } else if !self.stack.is_empty() {
                        let ctx = self.intern(engine);
                        out.push(Field {
                            range: start..end,
                            ctx,
                            escaped,
                        });
                    }
                    i = end + 1;
                    continue;
                }
                b'{' => self.push(true),
                b'[' => self.push(false),
                b'}' | b']' => {
                    self.stack.pop();
                    self.expect_key = false;
                }
                b':' => self.expect_key = false,
                b',' => self.expect_key = self.stack.last().is_some_and(|f| f.object),
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
                        escaped: false,
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
        let mut block: Vec<u8> = Vec::with_capacity(BLOCK + (1 << 16));
        let mut lines: Vec<LineInfo> = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        let mut hits: Vec<Hit> = Vec::new();
        let mut line_hits: Vec<Hit> = Vec::new();
        let mut decoded = Decoded::default();
        let mut total = 0u64;
        let mut line_no = 0u64;
        let mut continued = false;
        let mut piece_chars = 0u64;
        let mut error = None;
        let engine = self.engine();
        loop {
            block.clear();
            lines.clear();
            let block_base = total;
            let mut eof = false;
            // Whole lines (or pieces of an over-long one) up to about BLOCK bytes: the engine
            // scans the block in one call; the structure is applied line by line.
            while block.len() < BLOCK {
                let start = block.len();
                let read = (&mut reader)
                    .take(MAX_LINE as u64)
                    .read_until(b'\n', &mut block);
                match read {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => {
                        let complete = block.last() == Some(&b'\n');
                        let long = !complete && n == MAX_LINE;
                        lines.push(LineInfo {
                            start,
                            end: block.len(),
                            complete,
                            piece: continued || long,
                            new_line: !continued,
                        });
                        continued = long;
                        total += n as u64;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        error = Some(e);
                        eof = true;
                        break;
                    }
                }
            }
            if block.is_empty() {
                break;
            }
            if let Some(p) = &self.progress {
                p.fetch_add(block.len() as u64, std::sync::atomic::Ordering::Relaxed);
            }
            engine.scan(&block, 0..block.len(), &mut self.scratch);
            hits.clear();
            hits.extend_from_slice(self.scratch.hits());
            let mut next_hit = 0;
            for li in &lines {
                if li.new_line {
                    line_no += 1;
                    piece_chars = 0;
                }
                let body = &block[li.start..li.end - usize::from(li.complete)];
                // The rest of the block from this line on: a hit may end past the line.
                let hay = &block[li.start..];
                line_hits.clear();
                while next_hit < hits.len() && hits[next_hit].start < li.end {
                    let h = hits[next_hit];
                    line_hits.push(Hit {
                        start: h.start - li.start,
                        end: h.end - li.start,
                        ..h
                    });
                    next_hit += 1;
                }
                if li.piece {
                    fields.clear();
                } else {
                    structure.fields(engine, line_no, body, &mut fields);
                }
                if !fields.is_empty() {
                    apply_fields(
                        engine,
                        structure,
                        &fields,
                        body,
                        &mut line_hits,
                        &mut self.scratch,
                        &mut decoded,
                    );
                }
                for h in &line_hits {
                    let column = 1 + piece_chars + count_chars(&body[..h.start.min(body.len())]);
                    on_hit(Located {
                        hay,
                        hit: h,
                        line: line_no,
                        column,
                        offset: block_base + (li.start + h.start) as u64,
                    });
                }
                if li.piece {
                    piece_chars += count_chars(body);
                }
            }
            if eof {
                break;
            }
        }
        (total, error)
    }
}

/// Bytes of whole lines the engine scans per call.
const BLOCK: usize = 1 << 18;

/// A line (or a piece of an over-long line) within a block.
#[derive(Debug, Clone, Copy)]
struct LineInfo {
    start: usize,
    end: usize,
    complete: bool,
    /// A piece of a line longer than [`MAX_LINE`]: no structure.
    piece: bool,
    /// The first piece of its line.
    new_line: bool,
}

/// Applies the fields' contexts to the hits of one line (suppress, support), then scans the
/// fields whose names support a detector again as fields, for those detectors
/// ([`Engine::rescan_field`]), and adds what they find.
fn apply_fields(
    engine: &Engine,
    structure: &dyn Structure,
    fields: &[Field],
    body: &[u8],
    hits: &mut Vec<Hit>,
    scratch: &mut crate::detection::Scratch,
    decoded: &mut Decoded,
) {
    let contexts = structure.contexts();
    hits.retain_mut(|h| {
        let Some(f) = fields
            .iter()
            .find(|f| f.range.start <= h.start && h.start < f.range.end.max(f.range.start + 1))
        else {
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
                h.confidence = (h.confidence + engine.detectors()[di].context.boost).min(1.0);
            }
        }
        true
    });
    let found = hits.len();
    for f in fields {
        if f.range.is_empty() || !structure.rescan(f.ctx) {
            continue;
        }
        let r = f.range.clone();
        let ctx = &contexts[f.ctx];
        // A value already covered whole by a hit of a detector the name supports: anything the
        // rescan finds would overlap that hit and be dropped below, so it is not run (most
        // cells of an `email` or `phone` column).
        let covered = |o: &Hit| {
            o.confidence >= 0.0
                && o.start <= r.start
                && r.end <= o.end
                && ctx.supports(usize::from(o.detector))
        };
        if hits[..found].iter().any(covered) {
            continue;
        }
        engine.rescan_field(&body[r.clone()], 0..r.len(), scratch, ctx);
        for h in scratch.hits() {
            let (start, end) = (h.start + r.start, h.end + r.start);
            let overlaps = |o: &Hit| o.confidence >= 0.0 && o.start < end && start < o.end;
            // A value the field's name vouches for wins over an overlapping hit of a detector
            // the name says nothing about (`219-45-6671` under `ssn` is not a phone number).
            if hits[..found]
                .iter()
                .any(|o| overlaps(o) && ctx.supports(usize::from(o.detector)))
            {
                continue;
            }
            for o in hits[..found].iter_mut() {
                if overlaps(o) {
                    o.confidence = -1.0;
                }
            }
            hits.push(Hit { start, end, ..*h });
        }
    }
    // JSON strings with `\u` escapes (`"D\u00f6rthe"`, as Python's `json.dumps` writes by
    // default) are scanned again decoded, with the field's name as context; a hit is reported
    // at the raw bytes it was decoded from. It stands unless it overlaps a hit it does not
    // cover (the raw scan's hit then has context the value alone lacks: another field nearby);
    // the hits it covers give way.
    let found = hits.len();
    for f in fields.iter().filter(|f| f.escaped) {
        let r = f.range.clone();
        decoded.decode(&body[r.clone()]);
        engine.scan_field(
            &decoded.bytes,
            0..decoded.bytes.len(),
            scratch,
            &contexts[f.ctx],
        );
        for h in scratch.hits() {
            let (start, end) = (r.start + decoded.raw(h.start), r.start + decoded.raw(h.end));
            let overlaps = |o: &Hit| o.confidence >= 0.0 && o.start < end && start < o.end;
            let covers = |o: &Hit| start <= o.start && o.end <= end;
            if hits[..found].iter().any(|o| overlaps(o) && !covers(o)) {
                continue;
            }
            for o in hits[..found].iter_mut() {
                if overlaps(o) {
                    o.confidence = -1.0;
                }
            }
            hits.push(Hit { start, end, ..*h });
        }
    }
    hits.retain(|h| h.confidence >= 0.0);
    hits.sort_by_key(|h| h.start);
}

/// A JSON string's value decoded, with the raw offset of every decoded byte.
#[derive(Debug, Default)]
struct Decoded {
    bytes: Vec<u8>,
    /// Per decoded byte, and one past the end: the offset in the raw string of the escape
    /// or byte it comes from.
    map: Vec<usize>,
}

impl Decoded {
    /// Decodes the JSON string contents `raw` (without quotes): `\n`, `\t`, `\r`, `\b`,
    /// `\f` and `\uXXXX` (surrogate pairs joined) to their characters, a backslash before any
    /// other byte to that byte. A `\u` without four hex digits, and a lone surrogate, become
    /// U+FFFD; bytes outside escapes are kept as they are.
    fn decode(&mut self, raw: &[u8]) {
        self.bytes.clear();
        self.map.clear();
        let mut i = 0;
        while i < raw.len() {
            let at = i;
            let push = |bytes: &[u8], map: &mut Vec<usize>, out: &mut Vec<u8>| {
                out.extend_from_slice(bytes);
                map.extend(std::iter::repeat_n(at, bytes.len()));
            };
            if raw[i] != b'\\' || i + 1 == raw.len() {
                push(&raw[i..=i], &mut self.map, &mut self.bytes);
                i += 1;
                continue;
            }
            let simple = match raw[i + 1] {
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'r' => Some(b'\r'),
                b'b' => Some(0x08),
                b'f' => Some(0x0c),
                b'u' => None,
                other => Some(other),
            };
            if let Some(b) = simple {
                push(&[b], &mut self.map, &mut self.bytes);
                i += 2;
                continue;
            }
            let (c, len) = match hex4(raw, i + 2) {
                Some(hi @ 0xD800..=0xDBFF) => match (raw.get(i + 6..i + 8), hex4(raw, i + 8)) {
                    (Some(b"\\u"), Some(lo @ 0xDC00..=0xDFFF)) => (
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)),
                        12,
                    ),
                    _ => (None, 6),
                },
                Some(u) => (char::from_u32(u), 6),
                None => (None, 2),
            };
            let mut utf8 = [0u8; 4];
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            push(
                c.encode_utf8(&mut utf8).as_bytes(),
                &mut self.map,
                &mut self.bytes,
            );
            i += len;
        }
        self.map.push(raw.len());
    }

    /// The raw offset of decoded offset `i` (a hit's start or end).
    fn raw(&self, i: usize) -> usize {
        let last = self.map.last().copied().unwrap_or(0);
        self.map.get(i).copied().unwrap_or(last)
    }
}

/// The four hex digits at `raw[at..at + 4]` as a number.
fn hex4(raw: &[u8], at: usize) -> Option<u32> {
    let digits = raw.get(at..at + 4)?;
    digits
        .iter()
        .try_fold(0, |n, &d| char::from(d).to_digit(16).map(|v| n * 16 + v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_decode_with_their_raw_offsets() {
        let mut d = Decoded::default();
        let raw = br#"D\u00f6rthe \"x\"\n\ud83d\ude00!"#;
        d.decode(raw);
        assert_eq!(
            String::from_utf8(d.bytes.clone()).expect("utf-8"),
            "D\u{f6}rthe \"x\"\n\u{1F600}!"
        );
        // Every byte of a decoded character points at its escape; the end past the last.
        assert_eq!(d.map.len(), d.bytes.len() + 1);
        assert_eq!((d.raw(0), d.raw(1), d.raw(2), d.raw(3)), (0, 1, 1, 7));
        let smile = d.bytes.len() - 5;
        assert_eq!(d.raw(smile), raw.len() - 13);
        assert_eq!(d.raw(d.bytes.len()), raw.len());
        assert_eq!(&raw[d.raw(smile)..d.raw(smile + 4)], br"\ud83d\ude00");
        // Malformed escapes and lone surrogates become U+FFFD; a trailing backslash stays.
        for (raw, text) in [
            (&br"\u12"[..], "\u{FFFD}12"),
            (br"\u+0f6", "\u{FFFD}+0f6"),
            (br"\ud83d!", "\u{FFFD}!"),
            (br"\ude00", "\u{FFFD}"),
            (br"a\", "a\\"),
            (br"\/\\", "/\\"),
        ] {
            d.decode(raw);
            assert_eq!(String::from_utf8_lossy(&d.bytes), text, "{raw:?}");
            assert_eq!(d.raw(d.bytes.len()), raw.len());
        }
    }

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
