//! Extracting text from documents, e-mail and archives.
//!
//! A file on disk becomes a sequence of text *segments*, each with its [`Inner`] location
//! (archive member, document part, page, sheet), handed to a [`Sink`] that scans them. This
//! layer knows nothing of detection.
//!
//! The format is chosen by magic bytes first and by the name second ([`detect`]):
//!
//! | family | formats | module |
//! |---|---|---|
//! | archives | ZIP, TAR, gzip (so TAR.GZ) | [`archive`] |
//! | Office Open XML | DOCX, XLSX, PPTX | [`ooxml`] |
//! | OpenDocument | ODT, ODS, ODP | [`odf`] |
//! | PDF | text of each page | [`pdf`] |
//! | e-mail | EML, MBOX: headers, every body part, attachments | [`mail`] |
//! | markup | HTML, RTF | [`markup`] |
//! | anything else | plain text in any encoding ([`super::text`]) | |
//!
//! Everything is bounded by [`Limits`]: nesting depth, expanded bytes, compression ratio,
//! member size and time per file. What is not extracted is reported through
//! [`Sink::skip`] with the reason; nothing here panics on input.

pub mod archive;
pub mod limits;
pub mod mail;
pub mod markup;
pub mod odf;
pub mod ooxml;
pub mod pdf;
mod sheet;
mod xml;

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

pub use limits::{Budget, LimitHit, Limits};
pub use sheet::{Cells, cell_name};

use super::text::{self, SNIFF_LEN, TextEncoding};

/// Where a segment is inside a file on disk. All fields absent: the file itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inner {
    /// Member path inside archives and e-mails, nesting joined with `/`
    /// (`2023/cvs.zip/jane.docx`, `message 3/cv.pdf`).
    pub member: Option<String>,
    /// Part of a document: `body`, `header1`, `comments`, `slide 3`, `slide 3 notes`,
    /// `headers` (e-mail), `body 2` (e-mail).
    pub part: Option<String>,
    /// 1-based page number (PDF).
    pub page: Option<u32>,
    /// Sheet name (spreadsheets).
    pub sheet: Option<String>,
}

impl Inner {
    /// This location with `name` appended to the member path.
    pub fn member(&self, name: &str) -> Inner {
        let name = name.trim_start_matches('/');
        Inner {
            member: Some(match &self.member {
                Some(m) => format!("{m}/{name}"),
                None => name.to_string(),
            }),
            part: None,
            page: None,
            sheet: None,
        }
    }

    /// This location in document part `part`.
    pub fn part(&self, part: impl Into<String>) -> Inner {
        Inner {
            part: Some(part.into()),
            ..self.clone()
        }
    }

    /// Whether this is the file itself.
    pub fn is_root(&self) -> bool {
        *self == Inner::default()
    }
}

/// Receives what extraction produces.
pub trait Sink {
    /// Scans one segment of UTF-8 text (read to its end). `cells` maps byte offsets of a
    /// spreadsheet segment to its cells. An error is a read error of the segment.
    fn text(&mut self, at: &Inner, text: &mut dyn Read, cells: Option<&Cells>) -> io::Result<()>;
    /// Something at `at` was not extracted, and why. At the root: the whole file.
    fn skip(&mut self, at: &Inner, reason: String);
    /// The top-level text encoding, when the file itself is text (possibly gzip-compressed).
    fn encoding(&mut self, _encoding: TextEncoding, _compressed: bool) {}
}

/// Why extraction of a file stopped early.
#[derive(Debug)]
pub enum Stop {
    /// A per-file limit (expanded size, time) was reached.
    Limit(LimitHit),
    /// Reading the file on disk (or its top-level decompression) failed.
    Io(io::Error),
}

impl From<LimitHit> for Stop {
    fn from(hit: LimitHit) -> Stop {
        Stop::Limit(hit)
    }
}

/// What a file (or member) is, as far as extraction is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ZIP archive, or a zip-based document (OOXML, ODF), told apart once opened.
    Zip,
    /// TAR archive.
    Tar,
    /// gzip stream.
    Gzip,
    /// PDF document.
    Pdf,
    /// One e-mail message (RFC 5322, `.eml`).
    Mail,
    /// A mailbox of messages (`.mbox`).
    Mbox,
    /// HTML page.
    Html,
    /// Rich Text Format.
    Rtf,
    /// OLE2 compound file: legacy Office, or password-protected OOXML.
    Ole2,
    /// Apache Parquet (`PAR1`): scanned column by column by [`crate::source::parquet`] when
    /// on disk; skipped inside archives and compressed streams (it needs random access).
    Parquet,
    /// Anything else: read as text (or skipped as binary by [`text`]).
    Text,
}

/// Chooses the extractor for content starting with `head`, named `name`: magic bytes
/// first, then the extension, then weak content signals.
pub fn detect(head: &[u8], name: &str) -> Kind {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Kind::Gzip;
    }
    // PDF readers accept the header anywhere in the first KiB; text that merely mentions
    // `%PDF-` must stay text, so elsewhere than at the start only with a `.pdf` name.
    if head.starts_with(b"%PDF-")
        || (name.to_ascii_lowercase().ends_with(".pdf")
            && memchr::memmem::find(&head[..head.len().min(1024)], b"%PDF-").is_some())
    {
        return Kind::Pdf;
    }
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        return Kind::Tar;
    }
    if head.starts_with(b"{\\rtf") {
        return Kind::Rtf;
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Kind::Ole2;
    }
    if crate::source::parquet::is_parquet(head) {
        return Kind::Parquet;
    }
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "tar" => return Kind::Tar,
        "eml" => return Kind::Mail,
        "mbox" | "mbx" => return Kind::Mbox,
        "html" | "htm" | "xhtml" => return Kind::Html,
        "rtf" => return Kind::Rtf,
        _ => {}
    }
    let start = trim_start(head);
    if start.starts_with(b"From ") && looks_like_headers(&start[line_end(start)..]) {
        return Kind::Mbox;
    }
    // Files that merely start with `From:` (notes, tickets) stay text: a message needs a
    // header only mail systems write.
    const MAIL_FIRST: [&[u8]; 5] = [
        b"Received:",
        b"Return-Path:",
        b"Delivered-To:",
        b"MIME-Version:",
        b"Message-ID:",
    ];
    if MAIL_FIRST
        .iter()
        .any(|h| start.len() >= h.len() && start[..h.len()].eq_ignore_ascii_case(h))
    {
        return Kind::Mail;
    }
    let probe = &start[..start.len().min(64)];
    let probe = probe.to_ascii_lowercase();
    if probe.starts_with(b"<!doctype html") || probe.starts_with(b"<html") {
        return Kind::Html;
    }
    Kind::Text
}

fn trim_start(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn line_end(b: &[u8]) -> usize {
    memchr::memchr(b'\n', b).map_or(b.len(), |i| i + 1)
}

/// A line like `Name: value`.
fn looks_like_headers(b: &[u8]) -> bool {
    let line = &b[..line_end(b)];
    match memchr::memchr(b':', line) {
        Some(i) => {
            i > 0
                && line[..i]
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        None => false,
    }
}

/// Extracts the file at `path` into `sink`. Returns an error only when the file on disk
/// cannot be opened or read (or its top-level text stream fails); everything else is
/// reported through [`Sink::skip`].
pub fn extract_path(path: &Path, limits: &Limits, sink: &mut dyn Sink) -> io::Result<()> {
    let file = File::open(path)?;
    extract_file(file, path, limits, sink)
}

/// Like [`extract_path`], for a file already open. Errors carry what failed
/// (`reading: …`, `decompressing: …`).
pub fn extract_file(
    mut file: File,
    path: &Path,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let budget = Budget::new(limits);
    let mut cx = Cx {
        budget: &budget,
        sink,
    };
    let root = Inner::default();
    let head =
        read_head(&mut file).map_err(|e| io::Error::new(e.kind(), format!("reading: {e}")))?;
    let result = if detect(&head, &name) == Kind::Zip {
        // A zip on disk is read in place (random access), not copied into memory.
        file.rewind()?;
        archive::zip_any(&mut cx, &root, 0, file, &name)
    } else {
        cx.stream(&root, &name, 0, head, &mut file)
    };
    finish(result, cx.sink, &root)
}

/// Extracts content held in memory, named `name` (the name matters only for formats without
/// magic bytes), as if it were a file on disk. For tests and fuzzing, and for callers that
/// already hold the bytes.
pub fn extract_bytes(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    let budget = Budget::new(limits);
    let mut cx = Cx {
        budget: &budget,
        sink,
    };
    let root = Inner::default();
    let head_len = bytes.len().min(SNIFF_LEN);
    let result = if detect(&bytes[..head_len], name) == Kind::Zip {
        archive::zip_any(&mut cx, &root, 0, io::Cursor::new(bytes), name)
    } else {
        let mut rest = &bytes[head_len..];
        cx.stream(&root, name, 0, bytes[..head_len].to_vec(), &mut rest)
    };
    finish(result, cx.sink, &root)
}

/// The outcome of a whole file's extraction: a limit cut the rest of the file (reported as
/// skipped, with what was found kept), or reading failed.
fn finish(result: Result<(), Stop>, sink: &mut dyn Sink, root: &Inner) -> io::Result<()> {
    match result {
        Ok(()) => Ok(()),
        Err(Stop::Io(e)) => Err(e),
        Err(Stop::Limit(hit)) => {
            sink.skip(root, format!("{hit}: the rest of the file was not scanned"));
            Ok(())
        }
    }
}

/// Extraction state for one file on disk.
pub struct Cx<'a> {
    /// The file's budget.
    pub budget: &'a Budget,
    /// Where segments go.
    pub sink: &'a mut dyn Sink,
}

impl Cx<'_> {
    /// Extracts a stream named `name` at `at`, whose first bytes `head` were already read
    /// from `rest`. `depth` counts the containers and compression layers around it.
    pub fn stream(
        &mut self,
        at: &Inner,
        name: &str,
        depth: u32,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> Result<(), Stop> {
        // A plain file on disk is never cut by the limits; everything inside one is.
        if !at.is_root() {
            self.budget.check_time()?;
        }
        let kind = detect(&head, name);
        let max_depth = self.budget.limits().max_depth;
        let container = matches!(
            kind,
            Kind::Zip | Kind::Tar | Kind::Gzip | Kind::Mail | Kind::Mbox
        );
        if container && depth >= max_depth {
            self.sink.skip(
                at,
                format!("nested deeper than the depth limit of {max_depth}"),
            );
            return Ok(());
        }
        let mut reader = io::Cursor::new(head).chain(rest);
        match kind {
            Kind::Text => self.text(at, depth, Box::new(reader), false),
            Kind::Gzip => {
                let (counted, input) = limits::Counting::new(reader);
                let decoder = limits::Expanding::new(
                    flate2::read::MultiGzDecoder::new(counted),
                    self.budget,
                    limits::Compressed::Counted(input),
                );
                let inner_name = gunzipped_name(name);
                let mut decoder = decoder;
                let head = match read_head(&mut decoder) {
                    Ok(h) => h,
                    Err(e) => return self.member_error(at, depth, "decompressing", e),
                };
                if detect(&head, &inner_name) == Kind::Text {
                    let chained = io::Cursor::new(head).chain(decoder);
                    return self.text(at, depth, Box::new(chained), true);
                }
                self.stream(at, &inner_name, depth + 1, head, &mut decoder)
            }
            Kind::Tar => archive::tar(self, at, depth + 1, &mut reader),
            Kind::Mbox => mail::mbox(self, at, depth + 1, &mut reader),
            Kind::Ole2 => {
                let mut head = Vec::new();
                // Ignore read errors here: the reason is known either way.
                let _ = (&mut reader).take(1 << 20).read_to_end(&mut head);
                let protected = memchr::memmem::find(&head, &utf16le("EncryptedPackage")).is_some();
                self.sink.skip(
                    at,
                    if protected {
                        "password-protected Office document (encrypted OOXML): not scanned".into()
                    } else {
                        "OLE2 document (legacy Office .doc/.xls/.ppt or .msg): content extraction is not supported".into()
                    },
                );
                Ok(())
            }
            Kind::Parquet => {
                self.sink.skip(
                    at,
                    "Parquet file inside an archive or compressed stream: not scanned (extract it to scan it)".into(),
                );
                Ok(())
            }
            Kind::Zip | Kind::Pdf | Kind::Mail | Kind::Html | Kind::Rtf => {
                let cap = self.budget.limits().max_member;
                let bytes = match limits::read_capped(&mut reader, cap) {
                    Ok(b) => b,
                    Err(e) => return self.member_error(at, depth, "reading", e),
                };
                self.in_memory(at, name, depth, kind, bytes)
            }
        }
    }

    /// Extracts content already in memory.
    pub fn in_memory(
        &mut self,
        at: &Inner,
        name: &str,
        depth: u32,
        kind: Kind,
        bytes: Vec<u8>,
    ) -> Result<(), Stop> {
        match kind {
            Kind::Zip => archive::zip_any(self, at, depth, io::Cursor::new(bytes), name),
            Kind::Pdf => pdf::extract(self, at, &bytes),
            Kind::Mail => mail::eml(self, at, depth + 1, &bytes),
            Kind::Mbox => mail::mbox(self, at, depth + 1, &mut bytes.as_slice()),
            Kind::Html => {
                let text = markup::html_to_text(&String::from_utf8_lossy(&bytes));
                self.segment(at, text.as_bytes(), None)
            }
            Kind::Rtf => {
                let text = markup::rtf_to_text(&bytes);
                self.segment(at, text.as_bytes(), None)
            }
            _ => {
                let head_len = bytes.len().min(SNIFF_LEN);
                let mut rest = io::Cursor::new(bytes);
                let mut head = vec![0; head_len];
                rest.read_exact(&mut head).map_err(Stop::Io)?;
                self.stream(at, name, depth, head, &mut rest)
            }
        }
    }

    /// Scans a text stream through [`text::open_reader`] (encodings, binary sniffing).
    fn text<'r>(
        &mut self,
        at: &Inner,
        depth: u32,
        reader: Box<dyn Read + 'r>,
        compressed: bool,
    ) -> Result<(), Stop> {
        let opened = match text::open_reader(reader) {
            Ok(o) => o,
            Err(e) => return self.member_error(at, depth, "reading", e),
        };
        match opened {
            text::Opened::Skip(reason) => {
                self.sink.skip(at, reason);
                Ok(())
            }
            text::Opened::Text {
                mut reader,
                encoding,
                compressed: inner_gz,
            } => {
                if at.is_root() {
                    self.sink.encoding(encoding, compressed || inner_gz);
                }
                match self.sink.text(at, &mut reader, None) {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        let what = if compressed || inner_gz {
                            "decompressing"
                        } else {
                            "reading"
                        };
                        self.member_error(at, depth, what, e)
                    }
                }
            }
        }
    }

    /// Scans one in-memory text segment.
    pub fn segment(&mut self, at: &Inner, text: &[u8], cells: Option<&Cells>) -> Result<(), Stop> {
        self.budget.check_time()?;
        let mut reader = text;
        // Reading a slice cannot fail.
        self.sink.text(at, &mut reader, cells).map_err(Stop::Io)
    }

    /// Handles an error reading something at `at`: a per-file limit stops the file; at the
    /// root, an I/O error is the file's error; inside, the member is skipped with the reason.
    pub fn member_error(
        &mut self,
        at: &Inner,
        _depth: u32,
        what: &str,
        err: io::Error,
    ) -> Result<(), Stop> {
        if let Some(hit) = LimitHit::from_io(&err) {
            if hit.whole_file {
                return Err(Stop::Limit(hit.clone()));
            }
            self.sink.skip(at, hit.to_string());
            return Ok(());
        }
        if at.is_root() {
            return Err(Stop::Io(io::Error::new(
                err.kind(),
                format!("{what}: {err}"),
            )));
        }
        self.sink.skip(at, format!("{what}: {err}"));
        Ok(())
    }
}

/// The name of a gzip stream's content: `a.tar.gz` → `a.tar`, `a.tgz` → `a.tar`.
fn gunzipped_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tgz") {
        format!("{}.tar", &name[..name.len() - 4])
    } else if lower.ends_with(".gz") {
        name[..name.len() - 3].to_string()
    } else {
        name.to_string()
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Reads up to [`SNIFF_LEN`] bytes.
pub fn read_head(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    reader.take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// A readable and seekable byte source (a file on disk or a member in memory).
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_magic_then_name() {
        assert_eq!(detect(b"PK\x03\x04rest", "x.txt"), Kind::Zip);
        assert_eq!(detect(b"%PDF-1.4\n", "x"), Kind::Pdf);
        assert_eq!(detect(b"\r\n%PDF-1.4\n", "x.PDF"), Kind::Pdf);
        assert_eq!(
            detect(b"notes on %PDF-1.4 headers", "notes.txt"),
            Kind::Text
        );
        assert_eq!(detect(b"\x1f\x8b\x08", "x"), Kind::Gzip);
        assert_eq!(detect(b"{\\rtf1\\ansi", "x"), Kind::Rtf);
        assert_eq!(detect(b"PAR1\x15\x04", "part-0000"), Kind::Parquet);
        assert_eq!(detect(b"hello", "a.EML"), Kind::Mail);
        assert_eq!(detect(b"<!DOCTYPE html><p>", "page"), Kind::Html);
        assert_eq!(
            detect(b"From jane@x.de Mon Jan  1\nSubject: hi\n", "box"),
            Kind::Mbox
        );
        assert_eq!(detect(b"Received: from x\r\nFrom: a\r\n", "m"), Kind::Mail);
        // Tickets and notes that start with `From:` stay text.
        assert_eq!(
            detect(b"From: Olga <o@x.de>\nSubject: x\n", "t.txt"),
            Kind::Text
        );
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect(&tar, "x"), Kind::Tar);
    }

    #[test]
    fn member_paths_nest() {
        let root = Inner::default();
        let a = root.member("2023/cvs.zip");
        let b = a.member("jane.docx").part("body");
        assert_eq!(b.member.as_deref(), Some("2023/cvs.zip/jane.docx"));
        assert_eq!(b.part.as_deref(), Some("body"));
        assert!(root.is_root() && !a.is_root());
        assert_eq!(gunzipped_name("a.TGZ"), "a.tar");
        assert_eq!(gunzipped_name("x.log.gz"), "x.log");
    }
}
