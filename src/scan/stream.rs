//! Scanning a stream of text in fixed-size chunks, in bounded memory, with exact positions.
//!
//! Each chunk is scanned together with the tail of the previous one: the engine reports only
//! hits that *start* in the part of the buffer this chunk owns, and sees the carried bytes
//! before it ([`Engine::lookbehind`]) and the bytes after it ([`Engine::lookahead`]) as
//! context. Since every pattern has a bounded length, a value cut by a chunk border is found
//! whole in exactly one chunk.
//!
//! Line numbers are counted over every byte once; columns only where a hit is reported.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::detection::{Engine, Hit, Scratch};

/// Default chunk size: large enough that per-chunk overhead is noise, small enough that
/// many threads stay well within memory.
pub const DEFAULT_CHUNK: usize = 1 << 20;

/// A hit with its position in the stream.
#[derive(Debug)]
pub struct Located<'a> {
    /// The buffer the hit's `start..end` refers to.
    pub hay: &'a [u8],
    /// The hit.
    pub hit: &'a Hit,
    /// 1-based line.
    pub line: u64,
    /// 1-based column in characters.
    pub column: u64,
    /// Byte offset from the start of the stream.
    pub offset: u64,
}

/// Line and column (characters since the line start) at some position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    line: u64,
    column: u64,
}

impl Position {
    const START: Position = Position { line: 1, column: 0 };

    fn advance(&mut self, bytes: &[u8]) {
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += count_byte(bytes, b'\n');
                self.column = count_chars(&bytes[last + 1..]);
            }
            None => self.column += count_chars(bytes),
        }
    }
}

/// Counts occurrences of `needle`.
fn count_byte(bytes: &[u8], needle: u8) -> u64 {
    count_where(bytes, |b| b == needle)
}

/// Counts UTF-8 characters (bytes that are not continuation bytes).
pub(crate) fn count_chars(bytes: &[u8]) -> u64 {
    count_where(bytes, |b| b & 0xC0 != 0x80)
}

/// Counts the bytes for which `test` holds, with a byte-wide counter per block of 255 bytes:
/// the compiler vectorises that loop with a lane per byte (a `u64` counter per byte gets a
/// lane per eight).
#[inline(always)]
fn count_where(bytes: &[u8], test: impl Fn(u8) -> bool + Copy) -> u64 {
    bytes
        .chunks(255)
        .map(|block| {
            let n = block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(test(b))));
            u64::from(n)
        })
        .sum()
}

/// Scans streams with one engine; owns the per-thread buffers. Reuse it across files.
#[derive(Debug)]
pub struct StreamScanner<'e> {
    engine: &'e Engine,
    pub(super) scratch: Scratch,
    buf: Vec<u8>,
    chunk: usize,
    pub(super) progress: Option<Arc<AtomicU64>>,
}

impl<'e> StreamScanner<'e> {
    /// A scanner reading `chunk` bytes at a time (raised if the engine's context needs more).
    pub fn new(engine: &'e Engine, chunk: usize) -> StreamScanner<'e> {
        let reach = engine.lookbehind() + engine.lookahead();
        StreamScanner {
            engine,
            scratch: engine.scratch(),
            buf: Vec::new(),
            chunk: chunk.max(8 * reach).max(4096),
            progress: None,
        }
    }

    /// Adds the bytes of every chunk to `counter` as it is scanned.
    pub fn with_progress(mut self, counter: Arc<AtomicU64>) -> Self {
        self.progress = Some(counter);
        self
    }

    /// The engine this scanner runs.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// Scans `reader` to its end, calling `on_hit` for every hit in stream order. Returns the
    /// number of bytes scanned and, if reading failed, the error: every hit in the data read
    /// before the error has been reported.
    pub fn scan(
        &mut self,
        reader: &mut dyn Read,
        mut on_hit: impl FnMut(Located<'_>),
    ) -> (u64, Option<io::Error>) {
        let StreamScanner {
            engine,
            scratch,
            buf,
            chunk,
            progress,
        } = self;
        let behind = engine.lookbehind();
        let ahead = engine.lookahead();
        if buf.len() != *chunk {
            buf.resize(*chunk, 0);
        }
        let cap = *chunk;
        let mut len = 0;
        let mut report_from = 0;
        let mut base = 0u64;
        let mut total = 0u64;
        let mut start_pos = Position::START;
        let mut error = None;
        loop {
            let mut eof = false;
            while cap - len >= 16 {
                match reader.read(&mut buf[len..cap]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => {
                        len += n;
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
            let report_end = if eof { len } else { len - ahead };
            if let Some(counter) = progress {
                counter.fetch_add((report_end - report_from) as u64, Ordering::Relaxed);
            }
            let hay = &buf[..len];
            engine.scan(hay, report_from..report_end, scratch);
            // The buffer is kept from `cut` on for the next round; the position there is taken
            // on the way through the hits, so that no byte is counted twice.
            let cut = if eof { len } else { report_end - behind };
            let mut cursor = start_pos;
            let mut at = 0;
            let mut at_cut = None;
            for hit in scratch.hits() {
                if at_cut.is_none() && cut <= hit.start {
                    cursor.advance(&hay[at..cut]);
                    at = cut;
                    at_cut = Some(cursor);
                }
                cursor.advance(&hay[at..hit.start]);
                at = hit.start;
                on_hit(Located {
                    hay,
                    hit,
                    line: cursor.line,
                    column: cursor.column + 1,
                    offset: base + hit.start as u64,
                });
            }
            if eof {
                break;
            }
            start_pos = match at_cut {
                Some(position) => position,
                None => {
                    cursor.advance(&buf[at..cut]);
                    cursor
                }
            };
            buf.copy_within(cut..len, 0);
            len -= cut;
            base += cut as u64;
            report_from = report_end - cut;
        }
        (total, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::{Catalog, EngineOptions};

    #[test]
    fn positions_count_lines_and_characters() {
        let mut p = Position::START;
        p.advance("ab\ncdé".as_bytes());
        assert_eq!(p, Position { line: 2, column: 3 });
        p.advance("xy".as_bytes());
        assert_eq!(p, Position { line: 2, column: 5 });
        p.advance(b"\n\n");
        assert_eq!(p, Position { line: 4, column: 0 });
    }

    #[test]
    fn counts_agree_with_plain_loops() {
        let mut next = crate::testing::numbers(5);
        let alphabet = "a\né€\n😀x".as_bytes();
        for len in [0, 1, 254, 255, 256, 511, 1000, 4099] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect();
            let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            let chars = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
            assert_eq!(count_byte(&bytes, b'\n'), newlines, "{len}");
            assert_eq!(count_chars(&bytes), chars, "{len}");
        }
        assert_eq!(count_byte(&[b'\n'; 1000], b'\n'), 1000);
    }

    /// A reader that hands out at most `step` bytes per call, to exercise short reads.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(out.len()).min(self.1);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn values_on_chunk_borders_are_found_once_with_exact_positions() {
        let engine = Engine::new(
            &Catalog::builtin().expect("catalog"),
            EngineOptions::default(),
        )
        .expect("engine");
        let mut text = String::new();
        let mut expected = Vec::new();
        for i in 0..3000 {
            // Vary line lengths so that values land on every offset relative to chunk borders;
            // two-byte characters make columns differ from byte offsets.
            let filler = format!("{}{}", "é".repeat(i % 7), "x".repeat(i % 97));
            let line = format!("{filler} mail user{i}@gmail.com ok\n");
            let col = filler.chars().count() + 7;
            expected.push((
                i as u64 + 1,
                col as u64,
                (text.len() + filler.len() + 6) as u64,
            ));
            text.push_str(&line);
        }
        let mut scanner = StreamScanner::new(&engine, 4096);
        assert!(
            scanner.chunk < text.len() / 10,
            "test must span many chunks"
        );
        let mut got = Vec::new();
        let (bytes, err) = scanner.scan(&mut Trickle(text.as_bytes(), 1000), |l| {
            assert_eq!(&l.hay[l.hit.start..l.hit.start + 4], b"user");
            got.push((l.line, l.column, l.offset));
        });
        assert!(err.is_none());
        assert_eq!(bytes, text.len() as u64);
        assert_eq!(got, expected);
    }
}
