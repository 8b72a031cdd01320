//! Compact JSON of one [`Finding`], byte for byte what `serde_json::to_writer` writes, without
//! its per-fragment writes and per-byte escaping loop.
//!
//! A scan of a file share can report millions of findings, and through serde each one cost
//! about 9,000 instructions: every key and value went through the escaping loop byte by
//! byte and then through a `dyn Write` call per fragment. Here the keys are literals, a string
//! is checked for bytes that need escaping eight bytes at a time (escaping itself, which file
//! paths and values need rarely, stays serde's), numbers use the same formatters serde
//! uses, and everything goes into one buffer. Findings of files, documents and archive members
//! are written here; the others (databases and Parquet, or with `--explain`) go through serde
//! unchanged.

use crate::finding::{Finding, Location};

/// Appends `f` as compact JSON (no newline) to `buf`, exactly as `serde_json` would.
pub fn finding(buf: &mut Vec<u8>, f: &Finding) {
    let Location::File(l) = &f.location else {
        serde(buf, f);
        return;
    };
    if f.explain.is_some() || f.column.is_some() {
        serde(buf, f);
        return;
    }
    buf.extend_from_slice(b"{\"detector\":");
    string(buf, &f.detector);
    buf.extend_from_slice(b",\"category\":");
    string(buf, &f.category);
    buf.extend_from_slice(b",\"confidence\":");
    confidence(buf, f.confidence);
    buf.extend_from_slice(b",\"location\":{\"source\":\"file\",\"path\":");
    string(buf, &l.path);
    // Where in a document or archive member, in the order of `FileLocation`'s fields.
    let optional = [(&b",\"inner\":"[..], &l.inner), (b",\"part\":", &l.part)];
    for (key, value) in optional {
        if let Some(v) = value {
            buf.extend_from_slice(key);
            string(buf, v);
        }
    }
    if let Some(page) = l.page {
        buf.extend_from_slice(b",\"page\":");
        integer(buf, u64::from(page));
    }
    let optional = [
        (&b",\"sheet\":"[..], &l.sheet),
        (b",\"cell\":", &l.cell),
        (b",\"column_header\":", &l.column_header),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            buf.extend_from_slice(key);
            string(buf, v);
        }
    }
    buf.extend_from_slice(b",\"line\":");
    integer(buf, l.line);
    buf.extend_from_slice(b",\"column\":");
    integer(buf, l.column);
    buf.extend_from_slice(b",\"offset\":");
    integer(buf, l.offset);
    buf.extend_from_slice(b"},\"masked\":");
    string(buf, &f.masked);
    if let Some(v) = &f.value {
        buf.extend_from_slice(b",\"value\":");
        string(buf, v);
    }
    if f.test_value {
        buf.extend_from_slice(b",\"test_value\":true");
    }
    buf.extend_from_slice(b",\"pattern\":");
    string(buf, &f.pattern);
    buf.extend_from_slice(if f.context {
        b",\"context\":true}"
    } else {
        b",\"context\":false}"
    });
}

/// A JSON string: copied between quotes when nothing in it needs escaping, else written by
/// serde.
fn string(buf: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        serde(buf, s);
    } else {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

/// Whether `s` holds a byte JSON strings must escape: `"`, `\` or a control character below
/// 0x20 (serde escapes nothing else). Eight bytes at a time, with the bit tricks of "Bit
/// Twiddling Hacks" (`haszero`, `hasless`), which are exact about whether such a byte exists.
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let check = |bytes: &[u8]| {
        // Short strings are padded with a byte that needs no escaping.
        let mut word = [b'a'; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        let x = u64::from_le_bytes(word);
        below(x, 0x20)
            | below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
    };
    if s.len() < 8 {
        return check(s) != 0;
    }
    let mut chunks = s.chunks_exact(8);
    let mut found = 0;
    for chunk in &mut chunks {
        found |= check(chunk);
    }
    // The last eight bytes cover the rest (overlapping bytes are checked twice).
    if !chunks.remainder().is_empty() {
        found |= check(&s[s.len() - 8..]);
    }
    found != 0
}

/// A finding's confidence, which the scan rounds to hundredths: from a table of serde's
/// output for each of them, built once. Any other value goes to serde, so the bytes are
/// serde's either way.
fn confidence(buf: &mut Vec<u8>, c: f32) {
    static TABLE: std::sync::OnceLock<Vec<(u32, Vec<u8>)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=100u8)
            .map(|k| {
                let c = f32::from(k) / 100.0;
                let mut out = Vec::new();
                serde(&mut out, &c);
                (c.to_bits(), out)
            })
            .collect()
    });
    let k = (c * 100.0).round();
    match table.get(k as usize) {
        Some((bits, text)) if k >= 0.0 && *bits == c.to_bits() => buf.extend_from_slice(text),
        _ => serde(buf, &c),
    }
}

fn integer(buf: &mut Vec<u8>, n: u64) {
    buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Writes `value` with `serde_json`. Writing into a `Vec` cannot fail, and our types
/// serialise without error (maps have string keys).
fn serde(buf: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    if let Err(e) = serde_json::to_writer(&mut *buf, value) {
        debug_assert!(false, "serialising a finding failed: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{ColumnEvidence, ColumnLocation, Explanation, FileLocation};

    fn file(path: &str) -> FileLocation {
        FileLocation {
            path: path.into(),
            inner: None,
            part: None,
            page: None,
            sheet: None,
            cell: None,
            column_header: None,
            line: 12,
            column: 7,
            offset: 123_456_789_012,
        }
    }

    fn base(location: Location) -> Finding {
        Finding {
            detector: "email".into(),
            category: "user.contact.email".into(),
            confidence: 0.95,
            location,
            masked: "j***@e******.com".into(),
            value: None,
            test_value: false,
            pattern: "address".into(),
            context: false,
            explain: None,
            column: None,
            fingerprint: 7,
        }
    }

    #[test]
    fn escape_check_agrees_with_a_plain_loop() {
        for len in 0..=24 {
            for pos in 0..len {
                for b in 0..=u8::MAX {
                    let mut s = vec![b'a'; len];
                    s[pos] = b;
                    let want = s.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\');
                    assert_eq!(needs_escape(&s), want, "{b:#x} at {pos} of {len}");
                }
            }
        }
        // Mixed bytes around the edges of each class (borrows between lanes must not
        // invent or hide a byte).
        let alphabet = [
            0x00, 0x01, 0x1f, 0x20, 0x21, b'"', b'#', b'[', b'\\', b']', 0x7f, 0x80, 0xa2, 0xdc,
            0xff, b'a',
        ];
        let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = next(40) as usize;
            // Three strings in four are drawn from the bytes that need no escaping.
            let any = next(4) == 0;
            let pool: Vec<u8> = alphabet
                .iter()
                .copied()
                .filter(|&c| any || !(c < 0x20 || c == b'"' || c == b'\\'))
                .collect();
            let s: Vec<u8> = (0..len)
                .map(|_| pool[next(pool.len() as u64) as usize])
                .collect();
            let want = s.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\');
            assert_eq!(needs_escape(&s), want, "{s:?}");
        }
    }

    /// Every shape of finding, and strings that need escaping in every field, encode exactly
    /// as serde does.
    #[test]
    fn same_bytes_as_serde() {
        let awkward = [
            "plain",
            "",
            "quote\"inside",
            "back\\slash",
            "tab\tand\nnewline\r\u{1}\u{1f}",
            "ünïcödé ✓ 𝄞",
            "\u{7f}del",
            "C:\\Users\\jane\\\"notes\".txt",
        ];
        let mut cases = Vec::new();
        for s in awkward {
            // Each optional part of a location alone, then all of them, with awkward text.
            let setters: [fn(&mut FileLocation, &str); 6] = [
                |l, s| l.inner = Some(s.into()),
                |l, s| l.part = Some(s.into()),
                |l, _| l.page = Some(u32::MAX),
                |l, s| l.sheet = Some(s.into()),
                |l, s| l.cell = Some(s.into()),
                |l, s| l.column_header = Some(s.into()),
            ];
            let mut all = file("a.txt");
            for set in setters {
                let mut l = file("a.txt");
                set(&mut l, s);
                set(&mut all, s);
                cases.push(base(Location::File(l)));
            }
            cases.push(base(Location::File(all)));
            let mut f = base(Location::File(file(s)));
            f.detector = s.into();
            f.category = s.into();
            f.masked = s.into();
            f.pattern = s.into();
            cases.push(f.clone());
            f.value = Some(s.into());
            f.test_value = true;
            f.context = true;
            cases.push(f);
        }
        // Every hundredth as the scan rounds it (the table), and values it does not hold.
        let hundredths = (0..=100u8).map(|k| (f32::from(k) / 100.0 * 100.0).round() / 100.0);
        let others = [
            0.33333334,
            0.005,
            0.999,
            -0.0,
            -0.5,
            1.5,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        for confidence in hundredths.chain(others) {
            let mut f = base(Location::File(file("a.txt")));
            f.confidence = confidence;
            cases.push(f);
        }
        let mut member = file("cvs.zip");
        member.inner = Some("jane.docx".into());
        member.part = Some("body".into());
        cases.push(base(Location::File(member)));
        let mut sheet = file("book.xlsx");
        sheet.page = Some(2);
        sheet.sheet = Some("Payroll".into());
        sheet.cell = Some("C14".into());
        sheet.column_header = Some("IBAN".into());
        cases.push(base(Location::File(sheet)));
        let column = ColumnLocation {
            database: "crm".into(),
            schema: "public".into(),
            table: "customers".into(),
            column: "email".into(),
        };
        let mut db = base(Location::Postgres(column.clone()));
        db.column = Some(Box::new(ColumnEvidence {
            hits: 3,
            distinct_hits: 2,
            sampled: 10,
            ratio: 0.3,
            best_confidence: 0.9,
            classified: true,
            name_context: true,
            examples: vec!["j***@e******.com".into()],
            rows_read: 10,
            rows_total: Some(100),
            sampled_rows: false,
        }));
        cases.push(db);
        cases.push(base(Location::Mysql(column)));
        let mut explained = base(Location::File(file("a.txt")));
        explained.explain = Some(Box::new(Explanation {
            pattern: "address".into(),
            regex: r"\w+@\w+".into(),
            base_confidence: 0.9,
            validator: None,
            test_value: false,
            context: true,
            context_boost: 0.05,
            confidence: 0.95,
            steps: vec!["matched".into()],
        }));
        cases.push(explained);
        for f in &cases {
            let mut ours = Vec::new();
            finding(&mut ours, f);
            let theirs = serde_json::to_vec(f).expect("serialisable");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }
}
