//! Documents, e-mail and archives: every format on fixtures generated here (zip writer,
//! hand-written XML, hand-built PDFs), inner locations in every output format, the limits on
//! hostile input, and a deterministic mutation fuzz of the extractors.

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

use piimap::source::extract::{self, Cells, Inner, Limits, Sink};

mod common;
use common::{gzip, write};

// ---------------------------------------------------------------------------------------------
// Fixture builders
// ---------------------------------------------------------------------------------------------

/// A zip of `(name, bytes)` members, deflated.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(*name, options).expect("start member");
        w.write_all(bytes).expect("write member");
    }
    w.finish().expect("finish zip").into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn w_para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn docx(body: &str, header: &str, comment: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{}\
         <w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl></w:body></w:document>",
        w_para(body),
        w_para("IBAN"),
        w_para("DE89 3704 0044 0532 0130 00"),
    );
    let header = format!("<w:hdr {W}>{}</w:hdr>", w_para(header));
    let comments = format!(
        "<w:comments {W}><w:comment w:id=\"0\" w:author=\"HR\">{}</w:comment></w:comments>",
        w_para(comment)
    );
    zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
        ("word/header1.xml", header.as_bytes()),
        ("word/comments.xml", comments.as_bytes()),
        (
            "docProps/core.xml",
            b"<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:creator>author.name@web.de</dc:creator></cp:coreProperties>",
        ),
    ])
}

fn xlsx() -> Vec<u8> {
    zip(&[
        (
            "xl/workbook.xml",
            br#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Staff" sheetId="1" r:id="rId1"/><sheet name="Payroll" sheetId="2" r:id="rId2"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#,
        ),
        (
            "xl/sharedStrings.xml",
            br#"<sst><si><t>Name</t></si><si><t>IBAN</t></si><si><r><t>Jane </t></r><r><t>Doe</t></r></si><si><t>DE89 3704 0044 0532 0130 00</t></si></sst>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>E-mail</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>staff.member@gmx.de</t></is></c></row></sheetData></worksheet>"#,
        ),
        (
            "xl/worksheets/sheet2.xml",
            br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row><row r="14"><c r="A14" t="s"><v>2</v></c><c r="B14"><v>42</v></c><c r="C14" t="s"><v>3</v></c></row></sheetData></worksheet>"#,
        ),
    ])
}

fn pptx() -> Vec<u8> {
    let slide = |text: &str| {
        format!(
            "<p:sld xmlns:p=\"p\" xmlns:a=\"a\"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    };
    let s1 = slide("Agenda");
    let s2 = slide("Speaker: speaker.two@web.de");
    let notes = "<p:notes xmlns:p=\"p\" xmlns:a=\"a\"><a:p><a:r><a:t>Call +49 30 901820 or notes.person@gmx.de</a:t></a:r></a:p></p:notes>";
    zip(&[
        ("ppt/presentation.xml", b"<p:presentation xmlns:p=\"p\"/>"),
        ("ppt/slides/slide1.xml", s1.as_bytes()),
        ("ppt/slides/slide2.xml", s2.as_bytes()),
        (
            "ppt/slides/_rels/slide2.xml.rels",
            br#"<Relationships><Relationship Id="rId2" Target="../notesSlides/notesSlide7.xml"/></Relationships>"#,
        ),
        ("ppt/notesSlides/notesSlide7.xml", notes.as_bytes()),
    ])
}

fn odf(mimetype: &str, content: &str) -> Vec<u8> {
    zip(&[
        ("mimetype", mimetype.as_bytes()),
        ("content.xml", content.as_bytes()),
        (
            "meta.xml",
            b"<office:document-meta xmlns:office=\"o\" xmlns:meta=\"m\"><office:meta><meta:initial-creator>Jane</meta:initial-creator></office:meta></office:document-meta>",
        ),
    ])
}

fn odt() -> Vec<u8> {
    odf(
        "application/vnd.oasis.opendocument.text",
        r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:h>Contacts</text:h><text:p>Write to<text:s/>odt.user@web.de<text:line-break/>or call</text:p></office:text></office:body></office:document-content>"#,
    )
}

fn ods() -> Vec<u8> {
    odf(
        "application/vnd.oasis.opendocument.spreadsheet",
        r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
        <table:table table:name="Kunden">
          <table:table-row><table:table-cell><text:p>Kunde</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>E-Mail</text:p></table:table-cell></table:table-row>
          <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="4"/></table:table-row>
          <table:table-row><table:table-cell><text:p>Max</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>max.kunde@web.de</text:p></table:table-cell></table:table-row>
        </table:table></office:spreadsheet></office:body></office:document-content>"#,
    )
}

/// Escapes text for a PDF string literal.
fn pdf_string(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A PDF with one page per content stream (raw operators), Helvetica, a valid xref table.
/// `trailer_extra` is added to the trailer dictionary; `extra_objects` are appended.
fn pdf_raw(contents: &[String], trailer_extra: &str, extra_objects: &[(usize, String)]) -> Vec<u8> {
    let n = contents.len();
    let mut objects: Vec<(usize, String)> = Vec::new();
    objects.push((1, "<< /Type /Catalog /Pages 2 0 R >>".into()));
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push((
        2,
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
    ));
    objects.push((
        3,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    ));
    for (i, content) in contents.iter().enumerate() {
        let page = 4 + 2 * i;
        objects.push((
            page,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                page + 1
            ),
        ));
        objects.push((
            page + 1,
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
        ));
    }
    objects.extend(extra_objects.iter().cloned());
    objects.sort_by_key(|o| o.0);
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let max = objects.iter().map(|o| o.0).max().unwrap_or(0);
    let mut offsets = vec![None; max + 1];
    for (id, body) in &objects {
        offsets[*id] = Some(out.len());
        out.extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).as_bytes());
    for off in &offsets[1..] {
        match off {
            Some(o) => out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            max + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF whose pages hold the given lines of text.
fn pdf(pages: &[&[&str]]) -> Vec<u8> {
    let contents: Vec<String> = pages
        .iter()
        .map(|lines| {
            let mut c = String::from("BT /F1 12 Tf 72 720 Td 14 TL");
            for l in *lines {
                c.push_str(&format!(" ({}) Tj T*", pdf_string(l)));
            }
            c.push_str(" ET");
            c
        })
        .collect();
    pdf_raw(&contents, "", &[])
}

fn eml(attachment: &[u8]) -> Vec<u8> {
    let mut b64 = String::new();
    // Base64 by hand (no dependency): standard alphabet, 76-character lines.
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut line = 0;
    for chunk in attachment.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= n {
                b64.push(char::from(A[((v >> (18 - 6 * i)) & 63) as usize]));
            } else {
                b64.push('=');
            }
        }
        line += 4;
        if line >= 76 {
            b64.push_str("\r\n");
            line = 0;
        }
    }
    format!(
        "Return-Path: <sender@web.de>\r\n\
         From: =?utf-8?q?J=C3=BCrgen_Meier?= <juergen.meier@web.de>\r\n\
         To: Anna <anna.schmidt@gmx.de>\r\n\
         Cc: hr-team@posteo.de\r\n\
         Subject: =?utf-8?b?R2VoYWx0?=\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"outer\"\r\n\
         \r\n\
         --outer\r\n\
         Content-Type: multipart/alternative; boundary=\"alt\"\r\n\
         \r\n\
         --alt\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\
         \r\n\
         Gr=C3=BC=C3=9Fe, IBAN DE89 3704 0044 0532 0130 00\r\n\
         --alt\r\n\
         Content-Type: text/html; charset=utf-8\r\n\
         \r\n\
         <p>Gr&uuml;&szlig;e, IBAN DE89 3704 0044 0532 0130 00</p>\r\n\
         --alt--\r\n\
         --outer\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\
         Content-Disposition: attachment; filename=\"cv.docx\"\r\n\
         Content-Transfer-Encoding: base64\r\n\
         \r\n\
         {b64}\r\n\
         --outer--\r\n"
    )
    .into_bytes()
}

fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *bytes).expect("append");
    }
    b.into_inner().expect("tar")
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

fn piimap() -> Command {
    Command::cargo_bin("piimap").expect("binary built")
}

/// `piimap scan <dir>/d -f json` plus extra args: the JSON report.
fn scan_json(dir: &Path, extra: &[&str]) -> Value {
    let out = piimap()
        .current_dir(dir)
        .args(["scan", "d", "-f", "json", "-q"])
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

/// Findings as (detector, path, location without path/offset) for compact assertions.
fn locs(doc: &Value) -> Vec<(String, String, Value)> {
    let mut v: Vec<_> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let mut loc = f["location"].clone();
            let obj = loc.as_object_mut().expect("object");
            let path = obj.remove("path").expect("path");
            obj.remove("source");
            obj.remove("offset");
            (
                f["detector"].as_str().expect("detector").to_string(),
                path.as_str().expect("path").to_string(),
                loc,
            )
        })
        .collect();
    v.sort_by(|a, b| (&a.1, &a.0, a.2.to_string()).cmp(&(&b.1, &b.0, b.2.to_string())));
    v
}

fn skipped(doc: &Value) -> Vec<(String, Option<String>, String)> {
    doc["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().expect("path").to_string(),
                s["inner"].as_str().map(str::to_string),
                s["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect()
}

fn has(v: &[(String, String, Value)], detector: &str, path: &str, loc: Value) -> bool {
    v.iter()
        .any(|(d, p, l)| d == detector && p == path && *l == loc)
}

macro_rules! assert_has {
    ($v:expr, $d:expr, $p:expr, $loc:tt) => {
        assert!(
            has(&$v, $d, $p, serde_json::json!($loc)),
            "missing {} at {} {}; have:\n{:#?}",
            $d,
            $p,
            serde_json::json!($loc),
            $v
        )
    };
}

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

#[test]
fn office_open_xml_documents() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "d/letter.docx",
        docx(
            "Contact jane.doe@web.de today",
            "HR hr.office@gmail.com",
            "ask bob.smith@gmx.de",
        ),
    );
    write(dir.path(), "d/pay.xlsx", xlsx());
    write(dir.path(), "d/talk.pptx", pptx());
    let doc = scan_json(dir.path(), &[]);
    let v = locs(&doc);
    assert_has!(v, "email", "d/letter.docx", {"part": "body", "line": 1, "column": 9});
    assert_has!(v, "iban", "d/letter.docx", {"part": "body", "line": 2, "column": 6});
    assert_has!(v, "email", "d/letter.docx", {"part": "header1", "line": 1, "column": 4});
    assert_has!(v, "email", "d/letter.docx", {"part": "comments", "line": 1, "column": 5});
    assert_has!(v, "email", "d/letter.docx", {"part": "properties", "line": 1, "column": 1});
    // Spreadsheets: sheet, cell, column header; the line is the row.
    assert_has!(v, "iban", "d/pay.xlsx",
        {"sheet": "Payroll", "cell": "C14", "column_header": "IBAN", "line": 14, "column": 13});
    assert_has!(v, "email", "d/pay.xlsx",
        {"sheet": "Staff", "cell": "A2", "column_header": "E-mail", "line": 2, "column": 1});
    assert_has!(v, "email", "d/talk.pptx", {"part": "slide 2", "line": 1, "column": 10});
    assert_has!(v, "email", "d/talk.pptx", {"part": "slide 2 notes", "line": 1, "column": 23});
    assert!(skipped(&doc).is_empty(), "{:?}", skipped(&doc));
}

#[test]
fn opendocument_text_and_spreadsheet() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "d/notes.odt", odt());
    write(dir.path(), "d/kunden.ods", ods());
    let v = locs(&scan_json(dir.path(), &[]));
    assert_has!(v, "email", "d/notes.odt", {"part": "body", "line": 2, "column": 10});
    // Repeated empty rows and columns count: the value is in D5 under the header `E-Mail`.
    assert_has!(v, "email", "d/kunden.ods",
        {"sheet": "Kunden", "cell": "D5", "column_header": "E-Mail", "line": 5, "column": 5});
}

#[test]
fn pdf_pages_encrypted_image_only_and_broken() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "d/report.pdf",
        pdf(&[
            &["Quarterly report", "nothing personal"],
            &[
                "Contact: pdf.person@web.de",
                "IBAN DE89 3704 0044 0532 0130 00",
            ],
        ]),
    );
    // Image-only: a page that paints but writes no text.
    write(
        dir.path(),
        "d/scan.pdf",
        pdf_raw(
            &["q 100 0 0 100 0 0 cm 0 0 1 rg 0 0 1 1 re f Q".into()],
            "",
            &[],
        ),
    );
    // Encrypted with a user password (standard security handler, values that match no
    // empty password).
    let hex32 = "A1".repeat(32);
    write(
        dir.path(),
        "d/locked.pdf",
        pdf_raw(
            &["BT /F1 12 Tf 72 720 Td (secret) Tj ET".into()],
            &format!(
                "/Encrypt 20 0 R /ID [<{}> <{}>]",
                "00".repeat(16),
                "00".repeat(16)
            ),
            &[(
                20,
                format!("<< /Filter /Standard /V 1 /R 2 /O <{hex32}> /U <{hex32}> /P -44 >>"),
            )],
        ),
    );
    write(
        dir.path(),
        "d/broken.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    );
    let doc = scan_json(dir.path(), &[]);
    let v = locs(&doc);
    assert_has!(v, "email", "d/report.pdf", {"page": 2, "line": 1, "column": 10});
    assert!(
        v.iter()
            .any(|(d, p, l)| d == "iban" && p == "d/report.pdf" && l["page"] == 2)
    );
    assert!(
        v.iter()
            .all(|(_, p, l)| p != "d/report.pdf" || l["page"] == 2)
    );
    let s = skipped(&doc);
    let reason = |path: &str| {
        s.iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, _, r)| r.clone())
            .unwrap_or_else(|| panic!("{path} not skipped: {s:?}"))
    };
    assert!(reason("d/scan.pdf").contains("no text layer"), "{s:?}");
    assert!(reason("d/locked.pdf").contains("encrypted"), "{s:?}");
    assert!(reason("d/broken.pdf").starts_with("PDF document"), "{s:?}");
}

#[test]
fn email_headers_bodies_and_attachments() {
    let dir = TempDir::new().expect("tempdir");
    let cv = docx("CV of cv.person@web.de", "", "");
    write(dir.path(), "d/mail.eml", eml(&cv));
    // A mailbox of two messages; the second has the value.
    let mbox = "From a@b Mon Jan  1 00:00:00 2024\nFrom: x@y.de\nSubject: one\n\nhello\n\n\
                From b@c Tue Jan  2 00:00:00 2024\nFrom: second.sender@gmx.de\nSubject: two\n\nbody mbox.body@web.de\n>From the start\n";
    write(dir.path(), "d/box.mbox", mbox);
    let doc = scan_json(dir.path(), &[]);
    let v = locs(&doc);
    // Headers are PII too: From (decoded encoded-word), To, Cc.
    let headers: Vec<_> = v
        .iter()
        .filter(|(_, p, l)| p == "d/mail.eml" && l["part"] == "headers")
        .collect();
    assert!(headers.len() >= 4, "{headers:#?}"); // Return-Path, From, To, Cc
    // The quoted-printable body is decoded; its HTML alternative is not scanned twice.
    let ibans: Vec<_> = v
        .iter()
        .filter(|(d, p, l)| d == "iban" && p == "d/mail.eml" && l.get("inner").is_none())
        .collect();
    assert_eq!(ibans.len(), 1, "{ibans:#?}");
    assert_eq!(ibans[0].2["part"], "body 1");
    // The attachment is extracted recursively.
    assert_has!(v, "email", "d/mail.eml", {"inner": "cv.docx", "part": "body", "line": 1, "column": 7});
    assert_has!(v, "email", "d/box.mbox", {"inner": "message 2", "part": "body 1", "line": 1, "column": 6});
    assert_has!(v, "email", "d/box.mbox", {"inner": "message 2", "part": "headers", "line": 1, "column": 7});
}

#[test]
fn archives_nest_with_member_paths() {
    let dir = TempDir::new().expect("tempdir");
    let jane = docx("Jane jane.doe@web.de", "", "");
    let inner_zip = zip(&[
        ("2023/jane.docx", &jane),
        ("readme.txt", b"mail zip.user@gmx.de\n"),
    ]);
    write(dir.path(), "d/hr/cvs.zip", &inner_zip);
    let tarball = tar(&[
        ("export/cvs.zip", &inner_zip),
        ("export/a.txt", b"x\ntar.user@web.de\n"),
    ]);
    write(dir.path(), "d/backup.tar", &tarball);
    write(dir.path(), "d/backup.tar.gz", gzip(&tarball));
    write(
        dir.path(),
        "d/page.html.gz",
        gzip(b"<html><body><p>html.gz.user@web.de</p></body></html>"),
    );
    let v = locs(&scan_json(dir.path(), &[]));
    assert_has!(v, "email", "d/hr/cvs.zip", {"inner": "2023/jane.docx", "part": "body", "line": 1, "column": 6});
    assert_has!(v, "email", "d/hr/cvs.zip", {"inner": "readme.txt", "line": 1, "column": 6});
    for path in ["d/backup.tar", "d/backup.tar.gz"] {
        assert_has!(v, "email", path, {"inner": "export/cvs.zip/2023/jane.docx", "part": "body", "line": 1, "column": 6});
        assert_has!(v, "email", path, {"inner": "export/a.txt", "line": 2, "column": 1});
    }
    assert_has!(v, "email", "d/page.html.gz", {"line": 1, "column": 1});
}

#[test]
fn html_and_rtf_as_text() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "d/page.htm",
        "<html><head><style>.a{}</style></head><body><p>Kontakt: <b>html.user&#64;web.de</b></p></body></html>",
    );
    write(
        dir.path(),
        "d/letter.rtf",
        r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Sehr geehrte Frau M\'fcller,\par E-Mail: rtf.user@web.de\par}",
    );
    let v = locs(&scan_json(dir.path(), &[]));
    assert_has!(v, "email", "d/page.htm", {"line": 1, "column": 10});
    assert_has!(v, "email", "d/letter.rtf", {"line": 2, "column": 9});
}

#[test]
fn inner_locations_in_every_format() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "d/pay.xlsx", xlsx());
    let run = |format: &str| {
        let out = piimap()
            .current_dir(dir.path())
            .args(["scan", "d/pay.xlsx", "-q", "-f", format])
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let jsonl = run("jsonl");
    assert!(
        jsonl.contains(r#""sheet":"Payroll","cell":"C14","column_header":"IBAN""#),
        "{jsonl}"
    );
    let csv = run("csv");
    assert!(
        csv.lines()
            .next()
            .expect("header")
            .ends_with("pattern,inner,part,page,sheet,cell,column_header")
    );
    assert!(csv.contains(",,,,Payroll,C14,IBAN"), "{csv}");
    let sarif: Value = serde_json::from_str(&run("sarif")).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let iban = results
        .iter()
        .find(|r| r["ruleId"] == "iban")
        .expect("iban");
    assert_eq!(
        iban["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "sheet Payroll, cell C14 (IBAN)"
    );
    assert_eq!(iban["properties"]["innerLocation"]["cell"], "C14");
    let human = run("human");
    assert!(human.contains("Inside documents and archives"), "{human}");
    assert!(
        human.contains("d/pay.xlsx » sheet Payroll  email(1) iban(1)")
            || human.contains("d/pay.xlsx » sheet Payroll  iban(1)"),
        "{human}"
    );
    // Plain files keep the old shape: no inner fields at all.
    write(dir.path(), "d/plain.txt", "mail plain.user@web.de\n");
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "d/plain.txt", "-q", "-f", "jsonl"])
        .output()
        .expect("runs");
    let f: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let keys: Vec<_> = f["location"]
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["column", "line", "offset", "path", "source"]);
}

// ---------------------------------------------------------------------------------------------
// Hostile input and limits
// ---------------------------------------------------------------------------------------------

/// Sets the "encrypted" flag of every entry of a zip (local and central headers).
fn mark_encrypted(mut z: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 10 < z.len() {
        if z[i..].starts_with(b"PK\x03\x04") {
            z[i + 6] |= 1;
        } else if z[i..].starts_with(b"PK\x01\x02") {
            z[i + 8] |= 1;
        }
        i += 1;
    }
    z
}

#[test]
fn hostile_archives_are_skipped_with_reasons() {
    let dir = TempDir::new().expect("tempdir");
    // A zip bomb: 64 MiB of one letter deflate to ~64 KB (ratio ~1000). (Zeros would be
    // skipped as binary after the first 8 KiB, never expanded.)
    let zeros = vec![b'a'; 64 << 20];
    write(
        dir.path(),
        "d/bomb.zip",
        zip(&[
            ("zeros.txt", &zeros),
            ("ok.txt", b"bomb.neighbour@web.de\n"),
        ]),
    );
    // Nesting deeper than the limit.
    let mut nested = zip(&[("deep.txt", b"deep.user@web.de\n")]);
    for i in 0..6 {
        nested = zip(&[(&format!("level{i}.zip"), &nested)]);
    }
    write(dir.path(), "d/nested.zip", &nested);
    // gzip of gzip of gzip …
    let mut gz = b"gz.user@web.de\n".to_vec();
    for _ in 0..8 {
        gz = gzip(&gz);
    }
    write(dir.path(), "d/layers.gz", &gz);
    // A password-protected member.
    write(
        dir.path(),
        "d/locked.zip",
        mark_encrypted(zip(&[("secret.txt", b"x@web.de")])),
    );
    // Garbage after a zip signature, malformed XML, a cut zip.
    write(
        dir.path(),
        "d/junk.zip",
        b"PK\x03\x04\x14\x00garbage that is no zip at all",
    );
    // Malformed XML: the text before the error is scanned, the rest is reported.
    let broken = format!(
        "<w:document {W}><w:body>{}<w:p><w:r><w:t>cut</w:t></w:r></w:p><w:p attr=\"unterminated",
        w_para("early.user@web.de")
    );
    let bad = zip(&[("word/document.xml", broken.as_bytes())]);
    write(dir.path(), "d/bad.docx", &bad);
    let good = docx("x", "", "");
    write(dir.path(), "d/cut.docx", &good[..good.len() / 2]);
    // Password-protected OOXML is an OLE2 file with an EncryptedPackage stream.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(vec![0u8; 600]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "d/protected.docx", &ole);

    let started = Instant::now();
    let doc = scan_json(dir.path(), &["--max-depth", "4"]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "hostile files are cheap"
    );
    let s = skipped(&doc);
    let find = |path: &str, needle: &str| {
        assert!(
            s.iter().any(|(p, _, r)| p == path && r.contains(needle)),
            "{path}: no skip with `{needle}` in {s:#?}"
        )
    };
    find("d/bomb.zip", "compression ratio");
    find("d/nested.zip", "depth limit of 4");
    find("d/layers.gz", "depth limit of 4");
    find("d/locked.zip", "password-protected");
    find("d/junk.zip", "ZIP archive cannot be read");
    find("d/bad.docx", "malformed XML");
    find("d/cut.docx", "ZIP archive cannot be read");
    find("d/protected.docx", "password-protected Office document");
    let v = locs(&doc);
    // What could be read still was.
    assert_has!(v, "email", "d/bomb.zip", {"inner": "ok.txt", "line": 1, "column": 1});
    assert_has!(v, "email", "d/bad.docx", {"part": "body", "line": 1, "column": 1});
    assert!(
        doc["errors"].as_array().expect("errors").is_empty(),
        "{}",
        doc["errors"]
    );
}

#[test]
fn limits_come_from_flags_and_config() {
    let dir = TempDir::new().expect("tempdir");
    let text: String = (0..20_000)
        .map(|i| format!("line {i} of the log\n"))
        .collect();
    let z = zip(&[
        ("a.txt", text.as_bytes()),
        ("b.txt", b"after.limit@web.de\n"),
    ]);
    write(dir.path(), "d/big.zip", &z);
    // Expanded-size limit per file: the rest of the file is skipped.
    let doc = scan_json(dir.path(), &["--max-expanded", "64K"]);
    assert!(
        skipped(&doc)
            .iter()
            .any(|(p, _, r)| p == "d/big.zip" && r.contains("expanded size limit of 65536 bytes")),
        "{:?}",
        skipped(&doc)
    );
    // Member size limit (members held in memory): a docx part larger than 1 KiB.
    let big_docx = docx(&"word ".repeat(1000), "", "");
    write(dir.path(), "d/big.docx", &big_docx);
    // The time limit, from the config file.
    write(
        dir.path(),
        "piimap.toml",
        "[scan]\nmax_member = \"1K\"\nfile_timeout = 0.000001\n",
    );
    let doc = scan_json(dir.path(), &[]);
    let s = skipped(&doc);
    assert!(
        s.iter()
            .any(|(p, _, r)| p == "d/big.zip" && r.contains("time limit")),
        "{s:?}"
    );
    // Bad values are usage errors.
    std::fs::remove_file(dir.path().join("piimap.toml")).expect("rm");
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "d", "--max-expanded", "12Q"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let doc = scan_json(dir.path(), &["--max-member", "1K"]);
    assert!(
        skipped(&doc).iter().any(|(p, i, r)| p == "d/big.docx"
            && i.as_deref() == Some("body")
            && r.contains("member size limit of 1024 bytes")),
        "{:?}",
        skipped(&doc)
    );
}

// ---------------------------------------------------------------------------------------------
// Fuzzing: deterministic mutations of every fixture through the library
// ---------------------------------------------------------------------------------------------

/// Counts what extraction produces; reads every segment to its end.
#[derive(Default)]
struct CountSink {
    bytes: u64,
    segments: u64,
    skips: u64,
}

impl Sink for CountSink {
    fn text(
        &mut self,
        _at: &Inner,
        text: &mut dyn std::io::Read,
        cells: Option<&Cells>,
    ) -> std::io::Result<()> {
        let mut buf = Vec::new();
        text.read_to_end(&mut buf)?;
        if let Some(c) = cells {
            // Every offset maps to a cell (or to nothing before the first one).
            let _ = c.at(buf.len() as u64 / 2);
        }
        self.bytes += buf.len() as u64;
        self.segments += 1;
        Ok(())
    }

    fn skip(&mut self, _at: &Inner, _reason: String) {
        self.skips += 1;
    }
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation: flip, overwrite with an interesting byte, insert, delete, truncate, or
/// duplicate a slice.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        if v.is_empty() {
            v.push(0);
        }
        let at = rng.below(v.len());
        match rng.below(6) {
            0 => v[at] ^= 1 << rng.below(8),
            1 => v[at] = [0x00, 0xFF, b'<', b'>', b'(', b'\\', b'{', 0x7F][rng.below(8)],
            2 => v.insert(at, rng.next() as u8),
            3 => {
                v.remove(at);
            }
            4 => v.truncate(at),
            _ => {
                let len = rng.below(64).min(v.len() - at);
                let slice = v[at..at + len].to_vec();
                let to = rng.below(v.len());
                v.splice(to..to, slice);
            }
        }
    }
    v
}

fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("a.docx", docx("Jane jane@web.de", "head@web.de", "note")),
        ("a.xlsx", xlsx()),
        ("a.pptx", pptx()),
        ("a.odt", odt()),
        ("a.ods", ods()),
        ("a.pdf", pdf(&[&["page one"], &["x@web.de"]])),
        ("a.eml", eml(b"attachment text x@web.de")),
        ("a.mbox", b"From a@b Mon\nFrom: x@y.de\n\nbody\n".to_vec()),
        (
            "a.zip",
            zip(&[("x/y.txt", b"a@b.de"), ("z.docx", &docx("q", "", ""))]),
        ),
        ("a.tar.gz", gzip(&tar(&[("m.txt", b"t@web.de")]))),
        (
            "a.html",
            b"<html><p>a&amp;b <b>c@d.de</b></p><script>x</script></html>".to_vec(),
        ),
        (
            "a.rtf",
            br"{\rtf1{\fonttbl{\f0 A;}}\u8364? x\'e9\par y}".to_vec(),
        ),
    ]
}

/// Runs `iterations` mutations of every fixture through the extractors: none may panic, hang
/// or blow up. `cargo test --test documents -- --ignored` runs a longer campaign.
fn fuzz(iterations: usize, seed: u64) {
    let limits = Limits {
        timeout: Duration::from_secs(5),
        max_member: 16 << 20,
        max_expanded: 64 << 20,
        ..Limits::default()
    };
    let mut rng = Rng(seed);
    for (name, original) in fixtures() {
        let mut sink = CountSink::default();
        extract::extract_bytes(&original, name, &limits, &mut sink).expect("fixture extracts");
        assert!(
            sink.segments > 0 && sink.skips == 0,
            "{name}: clean fixture yields text"
        );
        let mut input = original.clone();
        for i in 0..iterations {
            // Mostly fresh mutations of the original, sometimes stacked ones.
            if i % 4 == 0 {
                input = original.clone();
            }
            input = mutate(&mut rng, &input);
            let started = Instant::now();
            let mut sink = CountSink::default();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                extract::extract_bytes(&input, name, &limits, &mut sink)
            }));
            if result.is_err() {
                let path = std::env::temp_dir().join(format!("piimap-crash-{name}-{seed}-{i}"));
                let _ = std::fs::write(&path, &input);
                panic!(
                    "{name}: extractor panicked on mutation {i}; input saved to {}",
                    path.display()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{name}: mutation {i} took {:?}",
                started.elapsed()
            );
        }
    }
}

#[test]
fn fuzz_extractors_with_mutations() {
    fuzz(150, 0x5EED_0001);
}

#[test]
#[ignore = "long fuzz campaign: cargo test --release --test documents -- --ignored"]
fn fuzz_extractors_long() {
    let seed = std::env::var("PIIMAP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0xC0FF_EE00);
    fuzz(20_000, seed);
}

/// Inputs the fuzzer once crashed on (`tests/fuzz_regressions/`, named after the cause and the
/// fixture they came from): each must extract without panicking.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("regression folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut sink = CountSink::default();
        let _ = extract::extract_bytes(&bytes, &name, &Limits::default(), &mut sink);
        n += 1;
    }
    assert!(n > 0, "no regression inputs found in {}", dir.display());
}
