//! A token-level matcher for the built-in `person_name` patterns.
//!
//! `detectors/person_name.toml` declares eight patterns: sequences of capitalised words,
//! initials, particles, titles and labels between word boundaries. Searched as one
//! multi-pattern regex, they cost a lazy DFA whose states (built per thread, from word lists
//! and counted letters) outgrow the cache, a reverse search per match, and an anchored search
//! per other pattern that matches at the same start.
//!
//! [`NameShapes`] walks the tokens instead. At each position where a pattern can start (a
//! non-word byte before a capital, a label before its `:` or `=`, the haystack's start) it
//! finds every pattern's match anchored there, as the regex would: alternatives in their
//! order, greedy repetitions, and backtracking wherever it can change where a match ends.
//! The engine then judges these matches exactly as it judges the regex's
//! ([`super::engine`]'s window search).
//!
//! The patterns stay the definition. [`NameShapes::new`] accepts only the pattern sources this
//! module was written against (a fingerprint); a catalogue with other name patterns is searched
//! with the regex. Debug builds check every window this matcher searches against the regex,
//! and a test compares both on generated text.

use super::catalog::Detector;
use super::engine::classes;
use super::lists;
use super::validate::is_particle;

/// The patterns, in the detector file's order (group-local pattern ids).
pub const PATTERNS: [&str; 8] = [
    "first_last",
    "first_middle_last",
    "last_comma_first",
    "first_caps_last",
    "separated_cells",
    "honorific",
    "labelled",
    "whole_field",
];

/// FNV-1a of the eight patterns' sources (before word lists are expanded), each followed by a
/// zero byte. Update it only after checking this module against changed patterns.
const FINGERPRINT: u64 = 0x577d_4b19_344e_bde9;

/// Letters after a capital: `[a-z\x80-\xbf\xc3-\xc5]`.
const LOWER: u8 = 1;
/// A capital that starts a word: `[A-Z\xc3-\xc5]`.
const UPPER: u8 = 2;
/// A letter of an all-capitals word: `[A-Z\x80-\x9e\xc3-\xc5]`.
const CAPS: u8 = 4;
/// A word boundary: `[^\w\x80-\xff]`.
const BOUNDARY: u8 = 8;
/// A cell separator: `[,;\t|]`.
const SEP: u8 = 16;
/// A byte a pattern's first token can start with (after a boundary).
const FIRST: u8 = 32;

/// Byte classes, a bit each.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut bits = 0;
        if c.is_ascii_lowercase() || (c >= 0x80 && c <= 0xbf) || (c >= 0xc3 && c <= 0xc5) {
            bits |= LOWER;
        }
        if c.is_ascii_uppercase() || (c >= 0xc3 && c <= 0xc5) {
            bits |= UPPER;
        }
        if c.is_ascii_uppercase() || (c >= 0x80 && c <= 0x9e) || (c >= 0xc3 && c <= 0xc5) {
            bits |= CAPS | FIRST;
        }
        if c < 0x80 && !c.is_ascii_alphanumeric() && c != b'_' {
            bits |= BOUNDARY;
        }
        if matches!(c, b',' | b';' | b'\t' | b'|') {
            bits |= SEP;
        }
        t[b] = bits;
        b += 1;
    }
    t
};

#[inline]
fn is(b: u8, class: u8) -> bool {
    CLASS[usize::from(b)] & class != 0
}

/// The `labelled` pattern's labels (ASCII case-insensitive), in its order; `apellidos?` is
/// greedy, so `apellidos` comes first. (The pattern spells `prénom` twice, as text and as
/// escaped bytes: the same bytes, listed once.)
const LABELS: [&[u8]; 13] = [
    b"name",
    b"names",
    b"nom",
    b"nombre",
    b"nome",
    b"naam",
    b"vorname",
    b"nachname",
    "prénom".as_bytes(),
    b"apellidos",
    b"apellido",
    b"cognome",
    b"surname",
];

/// One pattern's match anchored at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// End of the whole match.
    pub end: usize,
    /// The `value` group.
    pub value: (usize, usize),
}

/// Up to four positions in order of preference (a word has at most four ends: with or
/// without a prefix, each with or without a hyphenated part).
#[derive(Default, Clone, Copy)]
struct Ends {
    at: [usize; 4],
    len: usize,
}

impl Ends {
    fn push(&mut self, e: usize) {
        if self.len < self.at.len() {
            self.at[self.len] = e;
            self.len += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.at[..self.len].iter().copied()
    }
}

/// A title before a name: an honorific (which may take a `.`) or a salutation.
#[derive(Debug)]
struct Title {
    text: &'static [u8],
    dot: bool,
}

/// The matcher (see the module documentation).
#[derive(Debug)]
pub struct NameShapes {
    /// Titles in the pattern's order (honorifics, then salutations, each list longest
    /// first), grouped by first byte: only titles with the same first byte can both match
    /// at one place, and their order is kept.
    titles: Vec<Title>,
    /// Per first byte: the range of `titles` that start with it.
    title_first: [(u16, u16); 256],
}

/// FNV-1a over each pattern's source and a zero byte.
fn fingerprint(sources: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for s in sources {
        for &b in s.as_bytes().iter().chain(&[0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A list's entries longest first, as the regex's alternation has them
/// ([`lists::expand_regex`]).
fn longest_first(name: &str) -> Option<Vec<&'static str>> {
    let mut list = lists::entries(name)?;
    list.sort_by_key(|e| std::cmp::Reverse(e.len()));
    Some(list)
}

impl NameShapes {
    /// The matcher for `detector`, if its patterns are the ones this module implements and the
    /// word lists they use have the shapes it relies on.
    pub fn new(detector: &Detector) -> Option<NameShapes> {
        let sources: Vec<&str> = detector.patterns.iter().map(|p| p.regex.as_str()).collect();
        let names = detector.patterns.iter().map(|p| &*p.name);
        if !names.eq(PATTERNS) || fingerprint(&sources) != FINGERPRINT {
            return None;
        }
        // Particles are looked up case-folded in the name lists ([`is_particle`]) but matched
        // case-sensitively by the patterns: only a run of lower-case letters is looked up.
        let particles = lists::entries("name_particles")?;
        if !particles
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return None;
        }
        let honorifics = longest_first("honorifics")?.into_iter().map(|t| (t, true));
        let salutations = longest_first("salutations")?
            .into_iter()
            .map(|t| (t, false));
        let mut titles = Vec::new();
        for (text, dot) in honorifics.chain(salutations) {
            let first = *text.as_bytes().first()?;
            // Stems (`word*`) would need a repetition; every title must start with a byte
            // after which candidates are looked for.
            if text.ends_with('*') || !is(first, FIRST) {
                return None;
            }
            titles.push(Title {
                text: text.as_bytes(),
                dot,
            });
        }
        titles.sort_by_key(|t| t.text[0]);
        let mut title_first = [(0, 0); 256];
        for (i, t) in titles.iter().enumerate() {
            let range = &mut title_first[usize::from(t.text[0])];
            if range.1 == 0 {
                range.0 = i as u16;
            }
            range.1 = i as u16 + 1;
        }
        Some(NameShapes {
            titles,
            title_first,
        })
    }

    /// Appends to `out`, in increasing order, every position in `from..to` where some pattern
    /// may match (a superset): the haystack's start, a non-word byte before a byte a first
    /// token can start with, and the start of a label followed by `:` or `=`.
    pub fn starts(&self, hay: &[u8], from: usize, to: usize, out: &mut Vec<usize>) {
        out.clear();
        if from == 0 && to > 0 {
            out.push(0);
        }
        let to = to.min(hay.len());
        if to < from + 2 {
            return;
        }
        // 64 bytes at a time: non-word bytes before capitals or non-ASCII bytes (a superset of
        // the bytes that can start a first token), then each such pair checked.
        let mut base = from;
        while base + 1 < to {
            let block = &hay[base..to.min(base + 64)];
            let len = block.len();
            let c = classes(block);
            let valid = u64::MAX >> (64 - len);
            let boundary = !(c.upper | c.lower | c.digit | c.high) & valid;
            let next = hay
                .get(base + len)
                .is_some_and(|&b| b.is_ascii_uppercase() || b >= 0x80);
            let first = ((c.upper | c.high) >> 1) | u64::from(next) << (len - 1);
            let mut hits = boundary & first;
            while hits != 0 {
                let p = base + hits.trailing_zeros() as usize;
                hits &= hits - 1;
                if p + 1 < to && p != 0 && hay[p] != b'_' && is(hay[p + 1], FIRST) {
                    out.push(p);
                }
            }
            base += len;
        }
        let sorted = out.len();
        // Every label ends in one of these letters: most colons follow none of them.
        let label_end =
            |i: usize| i > from && matches!(hay[i - 1] | 0x20, b'e' | b's' | b'm' | b'o');
        for c in memchr::memchr2_iter(b':', b'=', &hay[from..to]).map(|c| from + c) {
            // `label ["']? [ \t]{0,3} [:=]`.
            let mut e = c;
            for _ in 0..=3 {
                if e == from {
                    break;
                }
                if label_end(e) {
                    label_starts_before(hay, e, from, out);
                } else if matches!(hay[e - 1], b'"' | b'\'') && label_end(e - 1) {
                    label_starts_before(hay, e - 1, from, out);
                }
                if !matches!(hay[e - 1], b' ' | b'\t') {
                    break;
                }
                e -= 1;
            }
        }
        if out.len() > sorted {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// Every pattern's leftmost-first match anchored at `p`, consuming no byte at or after
    /// `lim` (look-arounds see the whole haystack). Returns whether any pattern matched.
    pub fn at(&self, hay: &[u8], p: usize, lim: usize, out: &mut [Option<Shape>; 8]) -> bool {
        let m = Matcher {
            hay: &hay[..lim.min(hay.len())],
            len: hay.len(),
            s: self,
        };
        *out = [None; 8];
        // The patterns after a word boundary share the word after it.
        for v in m.boundary_start(p).iter() {
            let w = m.word(v);
            if out[0].is_none() {
                out[0] = m.first_last(v, &w);
            }
            // Three words hold two: only where `first_last` matched.
            if out[0].is_some() && out[1].is_none() {
                out[1] = m.first_middle_last(v, &w);
            }
            if out[2].is_none() {
                out[2] = m.last_comma_first(v, &w);
            }
            if out[3].is_none() {
                out[3] = m.first_caps_last(v, &w);
            }
            if out[5].is_none() {
                out[5] = m.honorific(v);
            }
        }
        if p == 0 || m.has(p, SEP) {
            out[4] = m.separated_cells(p);
        }
        if hay
            .get(p)
            .is_some_and(|b| matches!(b | 0x20, b'n' | b'v' | b'p' | b'a' | b'c' | b's'))
        {
            out[6] = m.labelled(p);
        }
        if p == 0 {
            out[7] = m.whole_field();
        }
        out.iter().any(Option::is_some)
    }
}

/// Pushes the start of every label that ends at `end` and starts at or after `from`.
fn label_starts_before(hay: &[u8], end: usize, from: usize, out: &mut Vec<usize>) {
    for label in LABELS {
        if end >= from + label.len() && hay[end - label.len()..end].eq_ignore_ascii_case(label) {
            out.push(end - label.len());
        }
    }
}

/// One search: the bytes a match may consume (the haystack up to the window's end), the
/// haystack's length (where `$` holds), and the lists.
struct Matcher<'a> {
    hay: &'a [u8],
    len: usize,
    s: &'a NameShapes,
}

impl Matcher<'_> {
    /// The byte at `i`, if a match may consume it.
    #[inline]
    fn byte(&self, i: usize) -> Option<u8> {
        self.hay.get(i).copied()
    }

    #[inline]
    fn has(&self, i: usize, class: u8) -> bool {
        self.byte(i).is_some_and(|b| is(b, class))
    }

    /// `(?:^|[^\w\x80-\xff])`: where the value may start after it, in order.
    fn boundary_start(&self, p: usize) -> Ends {
        let mut ends = Ends::default();
        if p == 0 {
            ends.push(0);
        }
        if self.has(p, BOUNDARY) {
            ends.push(p + 1);
        }
        ends
    }

    /// `(?:$|[^\w\x80-\xff])` after a value ending at `e`: the match's end.
    fn boundary_end(&self, e: usize) -> Option<usize> {
        if e == self.len {
            Some(e)
        } else if self.has(e, BOUNDARY) {
            Some(e + 1)
        } else {
            None
        }
    }

    /// `[A-Z\xc3-\xc5][a-z\x80-\xbf\xc3-\xc5]{1,20}` at `i`: its end. Fewer letters than a
    /// longer run would leave a letter next, which nothing after a word accepts.
    fn capitalised(&self, i: usize) -> Option<usize> {
        if !self.has(i, UPPER) {
            return None;
        }
        let n = self.count(i + 1, usize::MAX, |b| is(b, LOWER));
        (1..=20).contains(&n).then_some(i + 1 + n)
    }

    /// `(?:O'|D'|Mc|Mac|De|Di|Da|La|Le)?` + a capitalised word + `(?:-` another `)?`: its
    /// ends in the regex's order of preference.
    fn word(&self, i: usize) -> Ends {
        let mut ends = Ends::default();
        // At most one prefix fits (they differ in their first two bytes).
        let prefix = match (self.byte(i), self.byte(i + 1), self.byte(i + 2)) {
            (Some(b'O' | b'D'), Some(b'\''), _)
            | (Some(b'M'), Some(b'c'), _)
            | (Some(b'D'), Some(b'e' | b'i' | b'a'), _)
            | (Some(b'L'), Some(b'a' | b'e'), _) => 2,
            (Some(b'M'), Some(b'a'), Some(b'c')) => 3,
            _ => 0,
        };
        if prefix > 0 {
            self.word_core(i + prefix, &mut ends);
        }
        self.word_core(i, &mut ends);
        ends
    }

    fn word_core(&self, i: usize, ends: &mut Ends) {
        let Some(e) = self.capitalised(i) else {
            return;
        };
        if self.byte(e) == Some(b'-')
            && let Some(e2) = self.capitalised(e + 1)
        {
            ends.push(e2);
        }
        ends.push(e);
    }

    /// `[A-Z\x80-\x9e\xc3-\xc5]{2,20}(?:-` another `)?`: its ends in order.
    fn caps(&self, i: usize) -> Ends {
        let mut ends = Ends::default();
        let part = |i: usize| {
            let n = self.count(i, usize::MAX, |b| is(b, CAPS));
            (2..=20).contains(&n).then_some(i + n)
        };
        let Some(e) = part(i) else {
            return ends;
        };
        if self.byte(e) == Some(b'-')
            && let Some(e2) = part(e + 1)
        {
            ends.push(e2);
        }
        ends.push(e);
        ends
    }

    /// `[ ]{1,2}` at `i`. Greedy; what follows never starts with a space, so taking fewer
    /// spaces never helps.
    fn spaces(&self, i: usize) -> Option<usize> {
        let n = self.count(i, 3, |b| b == b' ');
        (n > 0).then_some(i + n.min(2))
    }

    /// Length of the run of bytes that `fits` at `i`, counted up to `max`.
    fn count(&self, i: usize, max: usize, fits: impl Fn(u8) -> bool) -> usize {
        let rest = self.hay.get(i..).unwrap_or_default();
        rest.iter().take(max).take_while(|&&b| fits(b)).count()
    }

    /// `(?:{@name_particles}[ ]{1,2}){0,2}` at `i`: where the next word must start. Particles
    /// are lower-case and words capitalised, so fewer particles never help.
    fn particles(&self, mut i: usize) -> usize {
        for _ in 0..2 {
            let n = self.count(i, usize::MAX, |b| b.is_ascii_lowercase());
            if n == 0 || !is_particle(&self.hay[i..i + n]) {
                break;
            }
            match self.spaces(i + n) {
                Some(j) => i = j,
                None => break,
            }
        }
        i
    }

    /// `[ ]{1,2}(?:[A-Z]\.[ ]{1,2})?(?:{@name_particles}[ ]{1,2}){0,2}` after a word: where
    /// the next word must start.
    fn link(&self, e: usize) -> Option<usize> {
        let mut j = self.spaces(e)?;
        if self.byte(j).is_some_and(|b| b.is_ascii_uppercase())
            && self.byte(j + 1) == Some(b'.')
            && let Some(k) = self.spaces(j + 2)
        {
            j = k;
        }
        Some(self.particles(j))
    }

    /// `(?:link word){0,2}` after a word ending at `e`, then `tail`: (match end, value end).
    fn more_words(
        &self,
        e: usize,
        left: usize,
        tail: &impl Fn(usize) -> Option<usize>,
    ) -> Option<(usize, usize)> {
        if left > 0
            && let Some(j) = self.link(e)
        {
            for e2 in self.word(j).iter() {
                if let Some(found) = self.more_words(e2, left - 1, tail) {
                    return Some(found);
                }
            }
        }
        tail(e).map(|end| (end, e))
    }

    /// The first of `ends` after which a boundary closes the match: the match of a value from
    /// `v` to there.
    fn closed(&self, v: usize, ends: Ends) -> Option<Shape> {
        ends.iter()
            .find_map(|e| self.boundary_end(e).map(|end| Shape { end, value: (v, e) }))
    }

    // The patterns after a word boundary take the value's start `v` and the ends of the
    // word there, `w`.

    fn first_last(&self, v: usize, w: &Ends) -> Option<Shape> {
        w.iter()
            .find_map(|e1| self.closed(v, self.word(self.link(e1)?)))
    }

    fn first_middle_last(&self, v: usize, w: &Ends) -> Option<Shape> {
        w.iter().find_map(|e1| {
            let j = self.link(e1)?;
            self.word(j)
                .iter()
                .find_map(|e2| self.closed(v, self.word(self.link(e2)?)))
        })
    }

    fn last_comma_first(&self, v: usize, w: &Ends) -> Option<Shape> {
        let caps = self.caps(v);
        w.iter().chain(caps.iter()).find_map(|e1| {
            if self.byte(e1) != Some(b',') {
                return None;
            }
            self.closed(v, self.word(self.spaces(e1 + 1)?))
        })
    }

    fn first_caps_last(&self, v: usize, w: &Ends) -> Option<Shape> {
        w.iter()
            .find_map(|e1| self.closed(v, self.caps(self.spaces(e1)?)))
    }

    fn separated_cells(&self, p: usize) -> Option<Shape> {
        let mut starts = Ends::default();
        if p == 0 {
            starts.push(0);
        }
        if self.has(p, SEP) {
            starts.push(p + 1);
        }
        for v in starts.iter() {
            for e1 in self.word(v).iter() {
                if !self.has(e1, SEP) {
                    continue;
                }
                let j = self.particles(e1 + 1);
                for e2 in self.word(j).iter() {
                    let end = if e2 == self.len {
                        Some(e2)
                    } else {
                        self.byte(e2)
                            .filter(|&b| is(b, SEP) || b == b'\r' || b == b'\n')
                            .map(|_| e2 + 1)
                    };
                    if let Some(end) = end {
                        return Some(Shape {
                            end,
                            value: (v, e2),
                        });
                    }
                }
            }
        }
        None
    }

    /// A word at `i` and up to two more (`(?:link word){0,2}`), then `tail`: the match of a
    /// value from `v`.
    fn names_from(
        &self,
        v: usize,
        i: usize,
        tail: &impl Fn(usize) -> Option<usize>,
    ) -> Option<Shape> {
        self.word(i).iter().find_map(|e| {
            let (end, value_end) = self.more_words(e, 2, tail)?;
            Some(Shape {
                end,
                value: (v, value_end),
            })
        })
    }

    fn honorific(&self, v: usize) -> Option<Shape> {
        let first = self.byte(v)?;
        let (from, to) = self.s.title_first[usize::from(first)];
        let rest = self.hay.get(v..).unwrap_or_default();
        for title in &self.s.titles[usize::from(from)..usize::from(to)] {
            let n = title.text.len();
            if rest.len() < n || rest[1..n].iter().ne(&title.text[1..]) {
                continue;
            }
            let after = v + title.text.len();
            let mut ends = Ends::default();
            if title.dot && self.byte(after) == Some(b'.') {
                ends.push(after + 1);
            }
            ends.push(after);
            for a in ends.iter() {
                let Some(j) = self.spaces(a) else { continue };
                if let Some(found) =
                    self.names_from(v, self.particles(j), &|e| self.boundary_end(e))
                {
                    return Some(found);
                }
            }
        }
        None
    }

    fn labelled(&self, p: usize) -> Option<Shape> {
        let rest = self.hay.get(p..).unwrap_or_default();
        for label in LABELS {
            if rest.len() < label.len() || !rest[..label.len()].eq_ignore_ascii_case(label) {
                continue;
            }
            let a = p + label.len();
            let mut quoted = Ends::default();
            if matches!(self.byte(a), Some(b'"' | b'\'')) {
                quoted.push(a + 1);
            }
            quoted.push(a);
            for q in quoted.iter() {
                let s = q + self.blanks(q);
                if !matches!(self.byte(s), Some(b':' | b'=')) {
                    continue;
                }
                let u = s + 1 + self.blanks(s + 1);
                let mut starts = Ends::default();
                if matches!(self.byte(u), Some(b'"' | b'\'')) {
                    starts.push(u + 1);
                }
                starts.push(u);
                let tail = |e| self.boundary_end(e);
                if let Some(found) = starts.iter().find_map(|v| self.names_from(v, v, &tail)) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// `[ \t]{0,3}` at `i`: its length. Greedy; what follows never starts with a blank.
    fn blanks(&self, i: usize) -> usize {
        self.count(i, 3, |b| b == b' ' || b == b'\t')
    }

    fn whole_field(&self) -> Option<Shape> {
        let pad = |i: usize| self.count(i, 3, |b| matches!(b, b' ' | b'\t' | b'"' | b'\''));
        let v = pad(0);
        // `[ \t"']{0,3}$`: the rest is at most three such bytes.
        let tail = |e: usize| {
            let n = pad(e);
            (0..=n).any(|k| e + k == self.len).then_some(self.len)
        };
        self.names_from(v, v, &tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::Catalog;

    fn builtin() -> Detector {
        let catalog = Catalog::builtin().expect("built-in detectors load");
        let found = catalog.detectors().iter().find(|d| &*d.id == "person_name");
        found.expect("person_name is built in").clone()
    }

    /// Editing the name patterns turns the matcher off (the regex takes over, correct but
    /// slower) until this module is checked against them and the fingerprint updated.
    #[test]
    fn the_built_in_name_patterns_are_the_ones_implemented() {
        let d = builtin();
        let sources: Vec<&str> = d.patterns.iter().map(|p| p.regex.as_str()).collect();
        assert_eq!(
            fingerprint(&sources),
            FINGERPRINT,
            "person_name's patterns changed: check name_shapes.rs against them"
        );
        assert!(NameShapes::new(&d).is_some());
    }
}
