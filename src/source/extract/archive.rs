//! Archives: ZIP (and the zip-based document formats, told apart here), TAR. Gzip streams are
//! unwrapped by [`Cx::stream`](super::Cx::stream). Members are extracted recursively, each
//! through the same format detection as a file on disk.

use std::io::{Read, Seek};

use zip::ZipArchive;
use zip::result::ZipError;

use super::limits::{Compressed, Expanding};
use super::{Cx, Inner, Stop, odf, ooxml, read_head};

/// Why a zip member cannot be read, for the skip reason.
fn zip_reason(err: &ZipError) -> String {
    match err {
        ZipError::UnsupportedArchive(msg) if *msg == ZipError::PASSWORD_REQUIRED => {
            "password-protected (encrypted) member: not scanned".into()
        }
        ZipError::UnsupportedArchive(msg) => format!("unsupported ZIP member: {msg}"),
        other => format!("corrupt ZIP member: {other}"),
    }
}

/// Opens a zip (from disk or memory) and extracts it as the document it holds (DOCX, XLSX,
/// PPTX, ODT, ODS, ODP) or as an archive of members.
pub fn zip_any<R: Read + Seek>(
    cx: &mut Cx<'_>,
    at: &Inner,
    depth: u32,
    reader: R,
    _name: &str,
) -> Result<(), Stop> {
    let mut archive = match ZipArchive::new(reader) {
        Ok(a) => a,
        Err(ZipError::Io(e)) if at.is_root() => return Err(Stop::Io(e)),
        Err(e) => {
            cx.sink.skip(at, format!("ZIP archive cannot be read: {e}"));
            return Ok(());
        }
    };
    if archive.index_for_name("word/document.xml").is_some() {
        return ooxml::docx(cx, at, &mut archive);
    }
    if archive.index_for_name("xl/workbook.xml").is_some() {
        return ooxml::xlsx(cx, at, &mut archive);
    }
    if archive.index_for_name("ppt/presentation.xml").is_some() {
        return ooxml::pptx(cx, at, &mut archive);
    }
    if let Some(i) = archive.index_for_name("mimetype") {
        let mime = read_entry(cx, &mut archive, i, at)?.unwrap_or_default();
        if let Some(kind) = odf::kind(&mime) {
            return odf::extract(cx, at, &mut archive, kind);
        }
    }
    let max_depth = cx.budget.limits().max_depth;
    if depth >= max_depth {
        cx.sink.skip(
            at,
            format!("nested deeper than the depth limit of {max_depth}"),
        );
        return Ok(());
    }
    for i in 0..archive.len() {
        cx.budget.check_time()?;
        let listed = archive
            .name_for_index(i)
            .and_then(|n| n.ok())
            .map_or_else(|| format!("member {i}"), |n| n.into_owned());
        let file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                cx.sink.skip(&at.member(&listed), zip_reason(&e));
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let name = match file.name() {
            Ok(n) => n.into_owned(),
            Err(_) => format!("member {i}"),
        };
        let member = at.member(&name);
        let compressed = file.compressed_size();
        let mut reader = Expanding::new(file, cx.budget, Compressed::Known(compressed));
        let head = match read_head(&mut reader) {
            Ok(h) => h,
            Err(e) => {
                cx.member_error(&member, depth + 1, "decompressing", e)?;
                continue;
            }
        };
        cx.stream(&member, &name, depth + 1, head, &mut reader)?;
    }
    Ok(())
}

/// Reads member `index` of `archive` into memory, within the member size, ratio, expanded
/// size and time limits. `None`: it was skipped (and reported at `at`).
pub fn read_entry<R: Read + Seek>(
    cx: &mut Cx<'_>,
    archive: &mut ZipArchive<R>,
    index: usize,
    at: &Inner,
) -> Result<Option<Vec<u8>>, Stop> {
    cx.budget.check_time()?;
    let file = match archive.by_index(index) {
        Ok(f) => f,
        Err(e) => {
            cx.sink.skip(at, zip_reason(&e));
            return Ok(None);
        }
    };
    let compressed = file.compressed_size();
    let cap = cx.budget.limits().max_member;
    let mut reader = Expanding::new(file, cx.budget, Compressed::Known(compressed)).with_cap(cap);
    let mut out = Vec::new();
    match reader.read_to_end(&mut out) {
        Ok(_) => Ok(Some(out)),
        Err(e) => {
            cx.member_error(at, 0, "decompressing", e)?;
            Ok(None)
        }
    }
}

/// Extracts every regular file of a TAR stream, in order.
pub fn tar(cx: &mut Cx<'_>, at: &Inner, depth: u32, reader: &mut dyn Read) -> Result<(), Stop> {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return cx.member_error(at, depth, "reading TAR archive", e),
    };
    for entry in entries {
        cx.budget.check_time()?;
        let mut entry = match entry {
            Ok(e) => e,
            // The stream is out of step: nothing after this point can be trusted.
            Err(e) => return cx.member_error(at, depth, "reading TAR archive", e),
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "?".into());
        let member = at.member(&name);
        let mut reader = Expanding::new(&mut entry, cx.budget, Compressed::None);
        let head = match read_head(&mut reader) {
            Ok(h) => h,
            Err(e) => return cx.member_error(&member, depth, "reading TAR member", e),
        };
        cx.stream(&member, &name, depth, head, &mut reader)?;
    }
    Ok(())
}
