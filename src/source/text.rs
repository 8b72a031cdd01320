//! Turning a file into text: decompression, encoding detection, binary detection.
//!
//! The choices, in order, made on the first 8 KiB of the file:
//!
//! 1. gzip magic (`1f 8b`): the stream is decompressed on the fly, then sniffed again.
//! 2. A byte-order mark selects UTF-8, UTF-16LE or UTF-16BE (the BOM is not part of the text).
//! 3. Without a BOM, NUL bytes at regular odd (or even) positions mean UTF-16LE (or BE).
//! 4. Known binary formats (Parquet, images, executables, …) and any other content with NUL
//!    bytes are skipped with the reason. Documents, e-mail and archives never get here: they
//!    are recognised first by [`super::extract`].
//! 5. Valid UTF-8 is scanned as is, byte for byte. Otherwise the text is decoded as
//!    Windows-1252 (a superset of printable Latin-1) into UTF-8.
//!
//! UTF-8 files are never copied or validated beyond the sniffed head: detectors work on
//! bytes, so a stray invalid byte later in a file costs nothing and hides nothing.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use encoding_rs::{CoderResult, Decoder, UTF_16BE, UTF_16LE, WINDOWS_1252};
use flate2::read::MultiGzDecoder;

/// How many bytes are sniffed.
pub const SNIFF_LEN: usize = 8 * 1024;

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 or ASCII (scanned as raw bytes).
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252 / Latin-1, decoded to UTF-8.
    Windows1252,
}

impl TextEncoding {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }
}

/// Result of opening a file as text.
pub enum Opened<'a> {
    /// A text stream (UTF-8 bytes) with what was learned about it.
    Text {
        /// The decoded stream.
        reader: TextReader<'a>,
        /// The detected encoding.
        encoding: TextEncoding,
        /// Whether the file was gzip-compressed.
        compressed: bool,
    },
    /// Not text: skipped, with the reason.
    Skip(String),
}

/// A stream of UTF-8 text (or raw bytes for files that sniffed as UTF-8).
pub struct TextReader<'a> {
    inner: Box<dyn Read + 'a>,
    head: Vec<u8>,
    head_pos: usize,
    decoder: Option<Decoder>,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_end: usize,
    eof: bool,
    finished: bool,
}

/// Opens `path` and decides how to read it.
pub fn open(path: &Path) -> io::Result<Opened<'static>> {
    let file = File::open(path)?;
    open_reader(Box::new(file))
}

/// Like [`open`], for any byte stream.
pub fn open_reader<'a>(mut inner: Box<dyn Read + 'a>) -> io::Result<Opened<'a>> {
    let mut head = read_head(&mut inner)?;
    let mut compressed = false;
    if head.starts_with(&[0x1f, 0x8b]) {
        let chained: Box<dyn Read + 'a> = Box::new(io::Cursor::new(head).chain(inner));
        inner = Box::new(MultiGzDecoder::new(chained));
        head = read_head(&mut inner)?;
        compressed = true;
    }
    let (encoding, bom) = match encoding_of(&head) {
        Ok(found) => found,
        Err(reason) => return Ok(Opened::Skip(reason)),
    };
    let decoder = match encoding {
        TextEncoding::Utf8 => None,
        TextEncoding::Utf16Le => Some(UTF_16LE.new_decoder_without_bom_handling()),
        TextEncoding::Utf16Be => Some(UTF_16BE.new_decoder_without_bom_handling()),
        TextEncoding::Windows1252 => Some(WINDOWS_1252.new_decoder_without_bom_handling()),
    };
    Ok(Opened::Text {
        reader: TextReader {
            inner,
            head,
            head_pos: bom,
            raw: if decoder.is_some() {
                vec![0; 64 * 1024]
            } else {
                Vec::new()
            },
            decoder,
            raw_pos: 0,
            raw_end: 0,
            eof: false,
            finished: false,
        },
        encoding,
        compressed,
    })
}

/// How text whose first bytes (after any compression) are `head` is read: its encoding and the
/// length of its byte-order mark, or why it is not text.
fn encoding_of(head: &[u8]) -> Result<(TextEncoding, usize), String> {
    Ok(match head {
        [0xEF, 0xBB, 0xBF, ..] => (TextEncoding::Utf8, 3),
        [0xFF, 0xFE, ..] => (TextEncoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (TextEncoding::Utf16Be, 2),
        _ => match utf16_without_bom(head) {
            Some(enc) => (enc, 0),
            None => {
                if let Some(reason) = binary_reason(head) {
                    return Err(reason);
                }
                match std::str::from_utf8(head) {
                    Ok(_) => (TextEncoding::Utf8, 0),
                    // Only a character cut at the end of the head: still UTF-8.
                    Err(e) if e.error_len().is_none() => (TextEncoding::Utf8, 0),
                    Err(_) => (TextEncoding::Windows1252, 0),
                }
            }
        },
    })
}

/// Whether a file starting with `head` is read as raw UTF-8 bytes as it is on disk: not
/// gzip-compressed, and UTF-8 without a byte-order mark by [`open_reader`]'s rules. Such a file
/// can be scanned from any line start.
pub fn plain_utf8(head: &[u8]) -> bool {
    !head.starts_with(&[0x1f, 0x8b]) && encoding_of(head) == Ok((TextEncoding::Utf8, 0))
}

fn read_head(inner: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = vec![0; SNIFF_LEN];
    let mut n = 0;
    while n < head.len() {
        match inner.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(n);
    Ok(head)
}

/// UTF-16 without a BOM shows as NULs in nearly every high byte of ASCII text.
fn utf16_without_bom(head: &[u8]) -> Option<TextEncoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let mostly = |n: usize| n * 10 >= pairs * 4;
    let rarely = |n: usize| n * 20 <= pairs;
    if mostly(odd) && rarely(even) {
        Some(TextEncoding::Utf16Le)
    } else if mostly(even) && rarely(odd) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Why `head` is not text, if it is not.
fn binary_reason(head: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive or Office document"),
        (b"PAR1", "Parquet file"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "OLE2 document (legacy Office)",
        ),
        (b"\x7FELF", "executable (ELF)"),
        (b"MZ", "executable (PE)"),
        (b"\x89PNG", "image (PNG)"),
        (b"\xFF\xD8\xFF", "image (JPEG)"),
        (b"GIF8", "image (GIF)"),
        (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
        (b"Rar!", "RAR archive"),
        (b"SQLite format 3\0", "SQLite database"),
    ];
    let has_nul = memchr::memchr(0, head).is_some();
    for (magic, what) in MAGIC {
        // `MZ` alone is too weak a signal for text files that happen to start with it.
        if head.starts_with(magic) && (magic.len() > 2 || has_nul) {
            return Some(format!(
                "{what}: not a text file (content extraction is not supported)"
            ));
        }
    }
    has_nul.then(|| "binary file (NUL bytes)".to_string())
}

impl Read for TextReader<'_> {
    /// Reads UTF-8 text. `out` must hold at least 4 bytes when the file is transcoded.
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else {
            if self.head_pos < self.head.len() {
                let n = out.len().min(self.head.len() - self.head_pos);
                out[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
                self.head_pos += n;
                return Ok(n);
            }
            return self.inner.read(out);
        };
        if out.len() < 4 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "decode buffer under 4 bytes",
            ));
        }
        loop {
            if self.raw_pos == self.raw_end && !self.eof {
                self.raw_pos = 0;
                self.raw_end = if self.head_pos < self.head.len() {
                    let n = self.raw.len().min(self.head.len() - self.head_pos);
                    self.raw[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
                    self.head_pos += n;
                    n
                } else {
                    loop {
                        match self.inner.read(&mut self.raw) {
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                            other => break other?,
                        }
                    }
                };
                self.eof = self.raw_end == 0;
            }
            if self.finished {
                return Ok(0);
            }
            let input = &self.raw[self.raw_pos..self.raw_end];
            let (result, read, written, _) = decoder.decode_to_utf8(input, out, self.eof);
            self.raw_pos += read;
            // After the last call a decoder must not be used again (encoding_rs panics): its
            // final output (a replacement for a cut sequence) may come with that call.
            if self.eof && result == CoderResult::InputEmpty {
                self.finished = true;
            }
            if written > 0 || self.finished {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8]) -> (TextEncoding, bool, String) {
        match open_reader(Box::new(io::Cursor::new(bytes.to_vec()))).expect("opens") {
            Opened::Text {
                mut reader,
                encoding,
                compressed,
            } => {
                let mut out = Vec::new();
                let mut buf = [0u8; 7]; // small on purpose: exercises partial decoding
                loop {
                    let n = reader.read(&mut buf).expect("reads");
                    if n == 0 {
                        break;
                    }
                    out.extend_from_slice(&buf[..n]);
                }
                (
                    encoding,
                    compressed,
                    String::from_utf8(out).expect("UTF-8 out"),
                )
            }
            Opened::Skip(reason) => panic!("unexpected skip: {reason}"),
        }
    }

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut v = Vec::new();
        if bom {
            v.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            v.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    }

    #[test]
    fn detects_encodings() {
        let t = "Zoë mail: zoe@web.de\n";
        assert_eq!(text_of(t.as_bytes()), (TextEncoding::Utf8, false, t.into()));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat();
        assert_eq!(text_of(&with_bom), (TextEncoding::Utf8, false, t.into()));
        assert_eq!(
            text_of(&utf16(t, true, true)),
            (TextEncoding::Utf16Le, false, t.into())
        );
        assert_eq!(
            text_of(&utf16(t, false, true)),
            (TextEncoding::Utf16Be, false, t.into())
        );
        assert_eq!(
            text_of(&utf16(t, true, false)),
            (TextEncoding::Utf16Le, false, t.into())
        );
        assert_eq!(
            text_of(b"Zo\xEB mail\n"),
            (TextEncoding::Windows1252, false, "Zoë mail\n".into())
        );
    }

    #[test]
    fn cut_utf16_ends_with_a_replacement_not_a_panic() {
        // An odd trailing byte: the decoder's last call writes U+FFFD; reading on must end.
        let mut bytes = utf16("a@b.de", true, true);
        bytes.push(b'x');
        assert_eq!(
            text_of(&bytes),
            (TextEncoding::Utf16Le, false, "a@b.de\u{FFFD}".into())
        );
    }

    #[test]
    fn decompresses_gzip() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(&utf16("a@b.de", true, true))
            .expect("compress");
        let gz = enc.finish().expect("finish");
        assert_eq!(text_of(&gz), (TextEncoding::Utf16Le, true, "a@b.de".into()));
    }

    #[test]
    fn skips_binary_with_reason() {
        let skip =
            |b: &[u8]| match open_reader(Box::new(io::Cursor::new(b.to_vec()))).expect("opens") {
                Opened::Skip(r) => r,
                Opened::Text { .. } => panic!("not skipped"),
            };
        assert!(skip(b"%PDF-1.7\n...").starts_with("PDF document"));
        assert!(skip(b"PK\x03\x04\x14\x00").starts_with("ZIP"));
        assert_eq!(
            skip(b"abc\x00\x01\x02\x00\xff\xfe\x00\x00\x00"),
            "binary file (NUL bytes)"
        );
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(text_of(b""), (TextEncoding::Utf8, false, String::new()));
        assert_eq!(
            text_of(b"MZ is a fine start"),
            (TextEncoding::Utf8, false, "MZ is a fine start".into())
        );
    }
}
