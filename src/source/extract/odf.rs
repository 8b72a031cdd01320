//! OpenDocument: ODT and ODP (text of the body, headers and footers from the styles,
//! properties), ODS (every table as a sheet, cell by cell, with column headers).

use std::io::{Read, Seek};

use zip::ZipArchive;

use super::archive::read_entry;
use super::ooxml::walk_end;
use super::sheet::SheetText;
use super::xml::{self, Ev};
use super::{Cx, Inner, Stop};

/// Which OpenDocument flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OdfKind {
    /// Text document (and anything else that is not a spreadsheet: presentations, drawings).
    Text,
    /// Spreadsheet.
    Spreadsheet,
}

/// The flavour named by the `mimetype` member, if it is OpenDocument.
pub fn kind(mimetype: &[u8]) -> Option<OdfKind> {
    let m = std::str::from_utf8(mimetype).ok()?.trim();
    let rest = m.strip_prefix("application/vnd.oasis.opendocument.")?;
    Some(if rest.starts_with("spreadsheet") {
        OdfKind::Spreadsheet
    } else {
        OdfKind::Text
    })
}

/// Extracts an OpenDocument package.
pub fn extract<R: Read + Seek>(
    cx: &mut Cx<'_>,
    at: &Inner,
    archive: &mut ZipArchive<R>,
    kind: OdfKind,
) -> Result<(), Stop> {
    let body_at = at.part("body");
    if let Some(i) = archive.index_for_name("content.xml")
        && let Some(bytes) = read_entry(cx, archive, i, &body_at)?
    {
        match kind {
            OdfKind::Text => {
                let text = flow_text(cx, &body_at, &bytes, None)?;
                cx.segment(&body_at, text.as_bytes(), None)?;
            }
            OdfKind::Spreadsheet => tables(cx, at, &bytes)?,
        }
    }
    let styles_at = at.part("headers and footers");
    if let Some(i) = archive.index_for_name("styles.xml")
        && let Some(bytes) = read_entry(cx, archive, i, &styles_at)?
    {
        let text = flow_text(
            cx,
            &styles_at,
            &bytes,
            Some(&[
                "header",
                "footer",
                "header-left",
                "footer-left",
                "header-first",
                "footer-first",
            ]),
        )?;
        if !text.trim().is_empty() {
            cx.segment(&styles_at, text.as_bytes(), None)?;
        }
    }
    let meta_at = at.part("properties");
    if let Some(i) = archive.index_for_name("meta.xml")
        && let Some(bytes) = read_entry(cx, archive, i, &meta_at)?
    {
        let text = flow_text(cx, &meta_at, &bytes, Some(&["meta"]))?;
        cx.segment(&meta_at, text.as_bytes(), None)?;
    }
    Ok(())
}

/// Text of an ODF part: paragraphs and headings as lines, `text:s`/`text:tab`/
/// `text:line-break` as spaces, tabs and newlines, table cells separated by tabs. With
/// `within`, only text inside one of those elements counts.
fn flow_text(
    cx: &mut Cx<'_>,
    at: &Inner,
    bytes: &[u8],
    within: Option<&[&str]>,
) -> Result<String, Stop> {
    let xml = xml::decode(bytes);
    let mut out = String::new();
    let mut inside = 0u32;
    let mut in_cell = 0u32;
    let counts = |inside: u32| within.is_none() || inside > 0;
    let result = xml::walk(&xml, cx.budget, |ev| match ev {
        Ev::Start(name, e) => {
            if within.is_some_and(|w| w.contains(&name)) {
                inside += 1;
            }
            if !counts(inside) {
                return;
            }
            match name {
                "s" => {
                    let n: usize = xml::attr(e, "text:c")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(1);
                    out.extend(std::iter::repeat_n(' ', n.min(64)));
                }
                "tab" => out.push('\t'),
                "line-break" => out.push('\n'),
                "table-cell" => in_cell += 1,
                _ => {}
            }
        }
        Ev::End(name) => {
            if counts(inside) {
                match name {
                    "p" | "h" => out.push(if in_cell > 0 { ' ' } else { '\n' }),
                    "table-cell" => {
                        in_cell = in_cell.saturating_sub(1);
                        // The space that ended the cell's last paragraph becomes the separator.
                        if out.ends_with(' ') {
                            out.pop();
                        }
                        out.push('\t');
                    }
                    "table-row" => out.push('\n'),
                    _ if within.is_some() && !out.ends_with('\n') && !out.is_empty() => {
                        out.push('\n')
                    }
                    _ => {}
                }
            }
            if within.is_some_and(|w| w.contains(&name)) {
                inside = inside.saturating_sub(1);
            }
        }
        Ev::Text(t) => {
            if counts(inside) {
                out.push_str(&t);
            }
        }
    });
    walk_end(cx, at, result)?;
    Ok(out)
}

/// Repeat counts above this are not expanded (empty filler rows and columns).
const MAX_REPEAT: u32 = 1 << 20;

/// ODS: each `table:table` as a sheet.
fn tables(cx: &mut Cx<'_>, at: &Inner, bytes: &[u8]) -> Result<(), Stop> {
    let xml = xml::decode(bytes);
    let mut done: Vec<(String, SheetText)> = Vec::new();
    let mut sheet: Option<(String, SheetText)> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let (mut row_repeat, mut col_repeat) = (1u32, 1u32);
    let mut cell = String::new();
    let mut in_cell = false;
    let mut paragraphs = 0u32;
    let result = xml::walk(&xml, cx.budget, |ev| match ev {
        Ev::Start("table", e) => {
            let name =
                xml::attr(e, "table:name").unwrap_or_else(|| format!("Sheet{}", done.len() + 1));
            sheet = Some((name, SheetText::default()));
            row = 0;
        }
        Ev::End("table") => {
            if let Some(s) = sheet.take() {
                done.push(s);
            }
        }
        Ev::Start("table-row", e) => {
            row = row.saturating_add(1);
            col = 0;
            row_repeat = xml::attr(e, "table:number-rows-repeated")
                .and_then(|n| n.parse().ok())
                .unwrap_or(1)
                .clamp(1, MAX_REPEAT);
        }
        Ev::End("table-row") => row = row.saturating_add(row_repeat - 1),
        Ev::Start("table-cell" | "covered-table-cell", e) => {
            in_cell = true;
            paragraphs = 0;
            cell.clear();
            col_repeat = xml::attr(e, "table:number-columns-repeated")
                .and_then(|n| n.parse().ok())
                .unwrap_or(1)
                .clamp(1, MAX_REPEAT);
        }
        Ev::Start("p", _) if in_cell => {
            if paragraphs > 0 {
                cell.push(' ');
            }
            paragraphs += 1;
        }
        Ev::Start("s", _) if in_cell => cell.push(' '),
        Ev::Start("tab", _) if in_cell => cell.push(' '),
        Ev::Text(t) if in_cell => cell.push_str(&t),
        Ev::End("table-cell" | "covered-table-cell") => {
            in_cell = false;
            if let Some((_, s)) = sheet.as_mut() {
                s.push(row.max(1), col, &cell);
            }
            col = col.saturating_add(col_repeat);
        }
        _ => {}
    });
    if let Some(s) = sheet.take() {
        done.push(s);
    }
    for (name, s) in done {
        if s.is_empty() {
            continue;
        }
        let sheet_at = Inner {
            sheet: Some(name),
            ..at.clone()
        };
        cx.segment(&sheet_at, s.text.as_bytes(), Some(&s.cells))?;
    }
    walk_end(cx, &at.part("body"), result)
}
