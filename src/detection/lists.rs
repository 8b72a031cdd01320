//! Word lists: data files in `detectors/lists/` that detectors refer to by name.
//!
//! A list is `detectors/lists/NAME.txt`, or every `*.txt` file under `detectors/lists/NAME/`
//! (one list from several sources, each file with its own provenance header). One entry per
//! line; blank lines and lines starting with `#` are ignored; an entry ending in `*` is a stem.
//!
//! Detector files use lists in two places:
//!
//! * in `keywords`, `context.words` and `context.negative`, an entry `"@NAME"` stands for every
//!   entry of the list;
//! * in a pattern's regex, `{@NAME}` stands for a non-capturing alternation of the entries,
//!   escaped (`{@street_types}` → `(?:street|road|…)`); a stem `abc*` becomes `abc` followed
//!   by up to 20 letters.
//!
//! Validators read lists as [`WordTags`] for token look-ups (person names).

use std::collections::HashMap;

include!(concat!(env!("OUT_DIR"), "/builtin_lists.rs"));

/// The entries of the built-in list `name`, in file order; `None` if there is no such list.
pub fn entries(name: &str) -> Option<Vec<&'static str>> {
    let prefix = format!("{name}/");
    let mut found = false;
    let mut out = Vec::new();
    for (list, text) in BUILTIN_LISTS {
        if *list == name || list.starts_with(&prefix) {
            found = true;
            out.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#')),
            );
        }
    }
    found.then_some(out)
}

/// Names of all built-in lists (directories count once), for error messages.
pub fn names() -> Vec<String> {
    let mut v: Vec<String> = BUILTIN_LISTS
        .iter()
        .map(|(n, _)| n.split('/').next().unwrap_or(n).to_string())
        .collect();
    v.dedup();
    v
}

fn unknown(name: &str) -> String {
    format!("unknown word list `@{name}`; known: {}", names().join(", "))
}

/// Replaces every `@NAME` entry of `words` with the entries of list `NAME`.
pub fn expand_words(words: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        match w.strip_prefix('@') {
            Some(name) => {
                let list = entries(name).ok_or_else(|| unknown(name))?;
                out.extend(list.into_iter().map(str::to_string));
            }
            None => out.push(w.clone()),
        }
    }
    Ok(out)
}

/// Replaces every `{@NAME}` in `regex` with an alternation of the list's entries.
pub fn expand_regex(regex: &str) -> Result<String, String> {
    let mut out = String::with_capacity(regex.len());
    let mut rest = regex;
    while let Some(at) = rest.find("{@") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| "`{@` without a closing `}`".to_string())?;
        let name = &after[..end];
        let list = entries(name).ok_or_else(|| unknown(name))?;
        if list.is_empty() {
            return Err(format!("word list `@{name}` is empty"));
        }
        // Longest first, so that an alternation prefers `multiple sclerosis` to `multiple`.
        let mut list = list;
        list.sort_by_key(|e| std::cmp::Reverse(e.len()));
        out.push_str("(?:");
        for (i, e) in list.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            match e.strip_suffix('*') {
                Some(stem) => {
                    out.push_str(&regex_syntax::escape(stem));
                    out.push_str(r"[a-zA-Z\x80-\xff]{0,20}");
                }
                None => out.push_str(&regex_syntax::escape(e)),
            }
        }
        out.push(')');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Words of several lists in one table, case-folded with [`fold`]: each word maps to the tags
/// (bits) of the lists that hold it, so that one look-up answers for every list. Hashed with
/// foldhash: the table is fixed once built, so the look-ups of scanned words (the name
/// prefilter makes one per capitalised word) need speed, not SipHash's resistance to chosen
/// insertions.
#[derive(Debug, Default)]
pub struct WordTags {
    /// Words of up to eight ASCII bytes (most names), packed by [`pack`].
    short: HashMap<u64, u16, foldhash::fast::RandomState>,
    /// The other words.
    words: HashMap<Box<[u8]>, u16, foldhash::fast::RandomState>,
}

/// `word` case-folded like [`fold`] and packed into an integer (first byte lowest, zeros
/// after the last), when it has at most eight bytes, all ASCII and none of them NUL: such
/// words fold to words of the same kind, and their packed forms differ when they do.
fn pack(word: &[u8]) -> Option<u64> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if word.len() > 8 {
        return None;
    }
    let mut bytes = [0u8; 8];
    bytes[..word.len()].copy_from_slice(word);
    let x = u64::from_le_bytes(bytes);
    let len = u64::MAX
        .checked_shr(64 - 8 * word.len() as u32)
        .unwrap_or(0);
    // A zero byte in the word: the lowest one is flagged exactly (a borrow only flags bytes
    // above it), and the padding is masked off.
    let zero = x.wrapping_sub(0x0101_0101_0101_0101) & !x & HIGH & len;
    if x & HIGH != 0 || zero != 0 {
        return None;
    }
    // Bytes >= `A` and > `Z` (no carry leaves a byte: every byte is below 0x80).
    let at_least_a = x + 0x3F3F_3F3F_3F3F_3F3F;
    let above_z = x + 0x2525_2525_2525_2525;
    let upper = at_least_a & !above_z & HIGH;
    Some(x | (upper >> 2))
}

/// Longest word a [`WordTags`] looks up; longer tokens are in no list.
pub const MAX_WORD: usize = 48;

impl WordTags {
    /// The entries of the built-in lists, each list with its tag (missing lists add nothing).
    pub fn from_lists(lists: &[(&str, u16)]) -> WordTags {
        let mut table = WordTags::default();
        let mut buf = [0u8; MAX_WORD];
        for &(name, tag) in lists {
            for e in entries(name).unwrap_or_default() {
                if let Some(w) = fold(e.as_bytes(), &mut buf) {
                    match pack(w) {
                        Some(key) => *table.short.entry(key).or_default() |= tag,
                        None => *table.words.entry(w.into()).or_default() |= tag,
                    }
                }
            }
        }
        table
    }

    /// The tags of `word` (any case): the union of the tags of the lists that hold it, 0 when
    /// none does. Allocates nothing.
    pub fn get(&self, word: &[u8]) -> u16 {
        if let Some(key) = pack(word) {
            return self.short.get(&key).copied().unwrap_or(0);
        }
        let mut buf = [0u8; MAX_WORD];
        fold(word, &mut buf)
            .and_then(|w| self.words.get(w).copied())
            .unwrap_or(0)
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.short.len() + self.words.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.short.is_empty() && self.words.is_empty()
    }
}

/// Lower-cases `word` into `buf`: ASCII letters, and the capitals of Latin-1 Supplement and
/// Latin Extended-A as UTF-8 (`Ü` → `ü`, `Ł` → `ł`); other bytes are kept. `None` when the
/// word is longer than `buf`.
pub fn fold<'a>(word: &[u8], buf: &'a mut [u8; MAX_WORD]) -> Option<&'a [u8]> {
    if word.len() > MAX_WORD {
        return None;
    }
    let out = &mut buf[..word.len()];
    out.copy_from_slice(word);
    let mut i = 0;
    while i < out.len() {
        let b = out[i];
        if b.is_ascii_uppercase() {
            out[i] = b + 32;
        } else if b == 0xC3 && i + 1 < out.len() && (0x80..=0x9E).contains(&out[i + 1]) {
            // U+00C0..U+00DE, except U+00D7 (×), map to U+00E0..U+00FE.
            if out[i + 1] != 0x97 {
                out[i + 1] += 0x20;
            }
            i += 1;
        } else if (b == 0xC4 || b == 0xC5) && i + 1 < out.len() {
            // Latin Extended-A pairs capitals (even code points) with small letters, except
            // U+0138..U+0148 and U+0179..U+017E where the capital is odd.
            let cp = (u32::from(b & 0x1F) << 6) | u32::from(out[i + 1] & 0x3F);
            let odd_capitals = (0x139..=0x148).contains(&cp) || (0x179..=0x17E).contains(&cp);
            if (cp % 2 == 0) != odd_capitals && cp != 0x138 && cp != 0x178 {
                let lower = cp + 1;
                out[i] = 0xC0 | (lower >> 6) as u8;
                out[i + 1] = 0x80 | (lower & 0x3F) as u8;
            }
            i += 1;
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_directories_merge() {
        let first = entries("first_names").expect("first names");
        assert!(first.len() > 10_000, "{}", first.len());
        assert!(first.contains(&"Jörg") && first.contains(&"John"));
        assert!(entries("nope").is_none());
        assert!(names().contains(&"surnames".to_string()));
    }

    #[test]
    fn words_and_regexes_expand() {
        let w = expand_words(&["x".into(), "@name_words".into()]).expect("known");
        assert!(w.len() > 100 && w[0] == "x" && w.contains(&"will".to_string()));
        assert!(expand_words(&["@nope".into()]).is_err());
        let r = expand_regex(r"\b{@name_words}\b").expect("known");
        assert!(r.starts_with(r"\b(?:") && r.ends_with(r")\b") && r.contains("|will|"));
        assert!(expand_regex("{@nope}").is_err() && expand_regex("{@x").is_err());
        assert_eq!(expand_regex("a{1,2}").expect("no list"), "a{1,2}");
    }

    #[test]
    fn folding_covers_latin_capitals() {
        let mut buf = [0u8; MAX_WORD];
        let f = |s: &str, buf: &mut [u8; MAX_WORD]| {
            String::from_utf8(fold(s.as_bytes(), buf).expect("short").to_vec()).expect("utf8")
        };
        assert_eq!(f("MÜLLER", &mut buf), "müller");
        assert_eq!(f("ŁUKASZ", &mut buf), "łukasz");
        assert_eq!(f("Émile Ñoño", &mut buf), "émile ñoño");
        assert_eq!(f("ĽUBICA", &mut buf), "ľubica");
        assert_eq!(f("ŽOFIA ×", &mut buf), "žofia ×");
        let set = WordTags::from_lists(&[("surnames", 1), ("first_names", 2)]);
        assert_eq!(set.get(b"M\xc3\x9cLLER") & 1, 1);
        assert_eq!(set.get(b"smith") & 1, 1);
        assert_eq!(set.get(b"Anna") & 2, 2);
        assert_eq!(set.get(b"xq"), 0);
        assert_eq!(set.get(&[b'a'; 100]), 0);
    }

    /// Short ASCII words are looked up packed: the packed form is the folded word's bytes,
    /// given exactly to words of up to eight ASCII bytes without NUL, and the table answers as
    /// a table of folded words does.
    #[test]
    fn packed_words_are_folded_words() {
        // NUL, the bytes around the capitals and small letters, and non-ASCII bytes.
        let alphabet = b"\0@AMZ[`az{\x7f'-.\x80\xc3\x9c";
        let lists = [("surnames", 1), ("first_names", 2), ("name_particles", 4)];
        let set = WordTags::from_lists(&lists);
        let mut reference: HashMap<Vec<u8>, u16> = HashMap::new();
        let mut buf = [0u8; MAX_WORD];
        for (name, tag) in lists {
            for e in entries(name).unwrap_or_default() {
                if let Some(w) = fold(e.as_bytes(), &mut buf) {
                    *reference.entry(w.to_vec()).or_default() |= tag;
                }
            }
        }
        let mut words: Vec<Vec<u8>> = entries("first_names")
            .unwrap_or_default()
            .iter()
            .chain(&entries("surnames").unwrap_or_default())
            .step_by(7)
            .map(|w| w.to_uppercase().into_bytes())
            .collect();
        words.extend(crate::testing::random_lines(11, alphabet, 50_000, 0..11));
        for w in &words {
            let folded = fold(w, &mut buf).map(<[u8]>::to_vec);
            let plain = w.len() <= 8 && w.iter().all(|&b| b != 0 && b.is_ascii());
            match pack(w) {
                Some(key) => {
                    let folded = folded.clone().expect("short");
                    let mut bytes = [0u8; 8];
                    bytes[..folded.len()].copy_from_slice(&folded);
                    assert_eq!(key, u64::from_le_bytes(bytes), "{w:?}");
                    assert!(plain, "{w:?}");
                }
                None => assert!(!plain, "{w:?}"),
            }
            let want = folded.and_then(|f| reference.get(&f).copied()).unwrap_or(0);
            assert_eq!(set.get(w), want, "{w:?}");
        }
        assert_eq!(set.len(), reference.len());
    }
}
