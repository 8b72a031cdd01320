//! Office Open XML: DOCX (body, headers, footers, comments, foot- and endnotes), XLSX (every
//! sheet, cell by cell, with column headers), PPTX (slides and their notes). Document
//! properties (author, last editor) are scanned as part `properties`.
//!
//! Every part is read within the member limits and parsed by a streaming XML reader;
//! malformed XML yields the text before the error and a skip note.

use std::collections::HashMap;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::archive::read_entry;
use super::sheet::SheetText;
use super::xml::{self, Ev, XmlStop};
use super::{Cx, Inner, Stop};

/// Member names with their index, sorted by a natural order (`slide2` before `slide10`).
fn members<R: Read + Seek>(archive: &ZipArchive<R>) -> Vec<(String, usize)> {
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| match archive.name_for_index(i) {
            Some(Ok(n)) => Some((n.into_owned(), i)),
            _ => None,
        })
        .collect();
    names.sort_by_key(|a| natural_key(&a.0));
    names
}

/// A sort key that orders embedded numbers by value.
fn natural_key(s: &str) -> (String, u64) {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let stem: String = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    (stem, digits.parse().unwrap_or(0))
}

/// The number in a part name (`ppt/slides/slide12.xml` → 12).
fn number_in(name: &str) -> Option<u32> {
    let file = name.rsplit('/').next()?;
    let digits: String = file.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Handles the end of an XML walk: malformed XML is noted, limits stop the file.
pub(super) fn walk_end(
    cx: &mut Cx<'_>,
    at: &Inner,
    result: Result<(), XmlStop>,
) -> Result<(), Stop> {
    match result {
        Ok(()) => Ok(()),
        Err(XmlStop::Limit(hit)) => Err(Stop::Limit(hit)),
        Err(XmlStop::Malformed(reason)) => {
            cx.sink.skip(
                at,
                format!("{reason}: the rest of this part was not scanned"),
            );
            Ok(())
        }
    }
}

/// Text of a WordprocessingML or DrawingML part: runs of `t` (and deleted text `delText`),
/// paragraphs as lines, table cells separated by tabs, rows as lines.
fn flow_text(cx: &mut Cx<'_>, at: &Inner, bytes: &[u8]) -> Result<String, Stop> {
    let xml = xml::decode(bytes);
    let mut out = String::new();
    let mut in_text = false;
    let mut in_cell = 0u32;
    let result = xml::walk(&xml, cx.budget, |ev| match ev {
        Ev::Start(name, _) => match name {
            "t" | "delText" => in_text = true,
            "tab" => out.push('\t'),
            "br" | "cr" => out.push('\n'),
            "tc" => in_cell += 1,
            _ => {}
        },
        Ev::End(name) => match name {
            "t" | "delText" => in_text = false,
            "p" => out.push(if in_cell > 0 { ' ' } else { '\n' }),
            "tc" => {
                in_cell = in_cell.saturating_sub(1);
                // The space that ended the cell's last paragraph becomes the separator.
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push('\t');
            }
            "tr" => out.push('\n'),
            _ => {}
        },
        Ev::Text(t) => {
            if in_text {
                out.push_str(&t);
            }
        }
    });
    walk_end(cx, at, result)?;
    Ok(out)
}

/// Text of a part where every element's text counts (document properties): one line each.
fn all_text(cx: &mut Cx<'_>, at: &Inner, bytes: &[u8]) -> Result<String, Stop> {
    let xml = xml::decode(bytes);
    let mut out = String::new();
    let result = xml::walk(&xml, cx.budget, |ev| match ev {
        Ev::Text(t) => out.push_str(&t),
        Ev::End(_) => {
            if !out.ends_with('\n') && !out.is_empty() {
                out.push('\n');
            }
        }
        Ev::Start(..) => {}
    });
    walk_end(cx, at, result)?;
    Ok(out)
}

/// Scans `docProps/core.xml` and `docProps/app.xml` as part `properties`.
fn properties<R: Read + Seek>(
    cx: &mut Cx<'_>,
    at: &Inner,
    archive: &mut ZipArchive<R>,
) -> Result<(), Stop> {
    let at = at.part("properties");
    for name in ["docProps/core.xml", "docProps/app.xml"] {
        if let Some(i) = archive.index_for_name(name)
            && let Some(bytes) = read_entry(cx, archive, i, &at)?
        {
            let text = all_text(cx, &at, &bytes)?;
            cx.segment(&at, text.as_bytes(), None)?;
        }
    }
    Ok(())
}

/// DOCX: body, headers, footers, comments, footnotes, endnotes, properties.
pub fn docx<R: Read + Seek>(
    cx: &mut Cx<'_>,
    at: &Inner,
    archive: &mut ZipArchive<R>,
) -> Result<(), Stop> {
    let mut parts = Vec::new();
    for (name, i) in members(archive) {
        let Some(file) = name.strip_prefix("word/") else {
            continue;
        };
        let Some(stem) = file.strip_suffix(".xml") else {
            continue;
        };
        let part = match stem {
            "document" => "body".to_string(),
            "comments" | "footnotes" | "endnotes" => stem.to_string(),
            s if s.starts_with("header") || s.starts_with("footer") => s.to_string(),
            _ => continue,
        };
        // The body first, the rest in name order.
        parts.push((part != "body", part, i));
    }
    parts.sort_by_key(|p| p.0);
    for (_, part, i) in parts {
        let at = at.part(part);
        if let Some(bytes) = read_entry(cx, archive, i, &at)? {
            let text = flow_text(cx, &at, &bytes)?;
            cx.segment(&at, text.as_bytes(), None)?;
        }
    }
    properties(cx, at, archive)
}

/// PPTX: each slide as part `slide N`, its notes as `slide N notes`.
pub fn pptx<R: Read + Seek>(
    cx: &mut Cx<'_>,
    at: &Inner,
    archive: &mut ZipArchive<R>,
) -> Result<(), Stop> {
    let all = members(archive);
    for (name, i) in &all {
        let Some(file) = name.strip_prefix("ppt/slides/") else {
            continue;
        };
        if file.contains('/') || !file.ends_with(".xml") {
            continue;
        }
        let n = number_in(name).unwrap_or(0);
        let slide_at = at.part(format!("slide {n}"));
        if let Some(bytes) = read_entry(cx, archive, *i, &slide_at)? {
            let text = flow_text(cx, &slide_at, &bytes)?;
            cx.segment(&slide_at, text.as_bytes(), None)?;
        }
        // The slide's notes, found through its relationships.
        let rels = format!("ppt/slides/_rels/{file}.rels");
        let Some(ri) = archive.index_for_name(&rels) else {
            continue;
        };
        let Some(rel_bytes) = read_entry(cx, archive, ri, &slide_at)? else {
            continue;
        };
        let targets = relationships(cx, &slide_at, &rel_bytes)?;
        for target in targets.values() {
            if !target.contains("notesSlide") {
                continue;
            }
            let path = resolve("ppt/slides", target);
            let notes_at = at.part(format!("slide {n} notes"));
            if let Some(ni) = archive.index_for_name(&path)
                && let Some(bytes) = read_entry(cx, archive, ni, &notes_at)?
            {
                let text = flow_text(cx, &notes_at, &bytes)?;
                cx.segment(&notes_at, text.as_bytes(), None)?;
            }
        }
    }
    properties(cx, at, archive)
}

/// `Id → Target` of a relationships part.
fn relationships(
    cx: &mut Cx<'_>,
    at: &Inner,
    bytes: &[u8],
) -> Result<HashMap<String, String>, Stop> {
    let xml = xml::decode(bytes);
    let mut map = HashMap::new();
    let result = xml::walk(&xml, cx.budget, |ev| {
        if let Ev::Start("Relationship", e) = ev
            && let (Some(id), Some(target)) = (xml::attr(e, "Id"), xml::attr(e, "Target"))
        {
            map.insert(id, target);
        }
    });
    walk_end(cx, at, result)?;
    Ok(map)
}

/// Resolves a relationship target against the folder of the part that names it.
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Parses an `A1`-style reference into (row, 0-based column).
pub(super) fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0u32;
    for b in r[..letters].bytes() {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    let row: u32 = r[letters..].parse().ok()?;
    Some((row, col - 1))
}

/// XLSX: every sheet, named as in the workbook, cell by cell.
pub fn xlsx<R: Read + Seek>(
    cx: &mut Cx<'_>,
    at: &Inner,
    archive: &mut ZipArchive<R>,
) -> Result<(), Stop> {
    // Sheet names and their parts.
    let mut sheets: Vec<(String, String)> = Vec::new();
    let wb_at = at.part("workbook");
    let mut rel_ids = Vec::new();
    if let Some(i) = archive.index_for_name("xl/workbook.xml")
        && let Some(bytes) = read_entry(cx, archive, i, &wb_at)?
    {
        let xml = xml::decode(&bytes);
        let result = xml::walk(&xml, cx.budget, |ev| {
            if let Ev::Start("sheet", e) = ev {
                let name = xml::attr(e, "name").unwrap_or_default();
                let rid = xml::attr(e, "r:id").unwrap_or_default();
                rel_ids.push((name, rid));
            }
        });
        walk_end(cx, &wb_at, result)?;
    }
    let rels = match archive.index_for_name("xl/_rels/workbook.xml.rels") {
        Some(i) => match read_entry(cx, archive, i, &wb_at)? {
            Some(bytes) => relationships(cx, &wb_at, &bytes)?,
            None => HashMap::new(),
        },
        None => HashMap::new(),
    };
    for (name, rid) in rel_ids {
        if let Some(target) = rels.get(&rid) {
            sheets.push((name, resolve("xl", target)));
        }
    }
    if sheets.is_empty() {
        // No usable workbook: take the worksheets in name order.
        for (name, _) in members(archive) {
            if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
                let stem = name.rsplit('/').next().unwrap_or(&name);
                sheets.push((stem.trim_end_matches(".xml").to_string(), name.clone()));
            }
        }
    }
    let strings = match archive.index_for_name("xl/sharedStrings.xml") {
        Some(i) => {
            let ss_at = at.part("shared strings");
            match read_entry(cx, archive, i, &ss_at)? {
                Some(bytes) => shared_strings(cx, &ss_at, &bytes)?,
                None => Vec::new(),
            }
        }
        None => Vec::new(),
    };
    for (name, path) in sheets {
        let sheet_at = Inner {
            sheet: Some(name),
            ..at.clone()
        };
        let Some(i) = archive.index_for_name(&path) else {
            continue;
        };
        let Some(bytes) = read_entry(cx, archive, i, &sheet_at)? else {
            continue;
        };
        let sheet = worksheet(cx, &sheet_at, &bytes, &strings)?;
        if !sheet.is_empty() {
            cx.segment(&sheet_at, sheet.text.as_bytes(), Some(&sheet.cells))?;
        }
    }
    properties(cx, at, archive)
}

/// The shared string table: the text of each `si` (phonetic runs left out).
fn shared_strings(cx: &mut Cx<'_>, at: &Inner, bytes: &[u8]) -> Result<Vec<String>, Stop> {
    let xml = xml::decode(bytes);
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_t, mut in_phonetic) = (false, false);
    let result = xml::walk(&xml, cx.budget, |ev| match ev {
        Ev::Start("si", _) => cur.clear(),
        Ev::Start("t", _) => in_t = true,
        Ev::Start("rPh", _) => in_phonetic = true,
        Ev::End("t") => in_t = false,
        Ev::End("rPh") => in_phonetic = false,
        Ev::End("si") => out.push(std::mem::take(&mut cur)),
        Ev::Text(t) if in_t && !in_phonetic => cur.push_str(&t),
        _ => {}
    });
    walk_end(cx, at, result)?;
    Ok(out)
}

/// One worksheet's cells as [`SheetText`]. Formulas are not scanned, their cached values are.
fn worksheet(
    cx: &mut Cx<'_>,
    at: &Inner,
    bytes: &[u8],
    strings: &[String],
) -> Result<SheetText, Stop> {
    let xml = xml::decode(bytes);
    let mut sheet = SheetText::default();
    let mut row = 0u32;
    let mut col = 0u32;
    let mut kind = String::new();
    let mut value = String::new();
    let (mut in_v, mut in_t) = (false, false);
    let mut full = false;
    let result = xml::walk(&xml, cx.budget, |ev| match ev {
        Ev::Start("row", e) => {
            row = xml::attr(e, "r")
                .and_then(|r| r.parse().ok())
                .unwrap_or(row + 1);
            col = 0;
        }
        Ev::Start("c", e) => {
            if let Some((r, c)) = xml::attr(e, "r").as_deref().and_then(parse_ref) {
                row = r;
                col = c;
            }
            kind = xml::attr(e, "t").unwrap_or_default();
            value.clear();
        }
        Ev::Start("v", _) => in_v = true,
        Ev::Start("t", _) => in_t = true,
        Ev::End("v") => in_v = false,
        Ev::End("t") => in_t = false,
        Ev::Text(t) if in_v || in_t => value.push_str(&t),
        Ev::End("c") => {
            let text = match kind.as_str() {
                "s" => value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| strings.get(i))
                    .map_or("", String::as_str),
                "b" | "e" => "",
                _ => value.as_str(),
            };
            if !full && !sheet.push(row.max(1), col, text) {
                full = true;
            }
            col += 1;
        }
        _ => {}
    });
    walk_end(cx, at, result)?;
    if full {
        cx.sink
            .skip(at, "sheet text over 4 GiB: the rest was not scanned".into());
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_paths() {
        assert_eq!(parse_ref("C14"), Some((14, 2)));
        assert_eq!(parse_ref("AA3"), Some((3, 26)));
        assert_eq!(parse_ref("14"), None);
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(
            resolve("ppt/slides", "../notesSlides/notesSlide1.xml"),
            "ppt/notesSlides/notesSlide1.xml"
        );
        assert_eq!(number_in("ppt/slides/slide12.xml"), Some(12));
    }
}
