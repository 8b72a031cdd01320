//! A token-level matcher for the built-in `street_address` patterns.
//!
//! The counterpart of [`super::name_shapes`] for `detectors/street_address.toml`: at each
//! place where an address pattern can start (a non-word byte before a word, or the haystack's
//! start) it finds every pattern's leftmost-first match anchored there, as the regex would.
//! These patterns backtrack in more places than the name patterns (street types that are
//! capitalised words themselves, particles with an optional space, house numbers followed by
//! optional letters and `\b`), so each piece here takes the rest of its pattern as a
//! continuation and tries its alternatives in the regex's order of preference: a direct
//! transcription of the regex with its backtracking, run only where a pattern can start.
//!
//! As for names, [`AddressShapes::new`] accepts only the pattern sources this module was
//! written against (a fingerprint), debug builds check every step against the regex, and a
//! test compares both on generated text.

use super::catalog::Detector;
use super::engine::classes;
use super::lists;
use super::name_shapes::{self, Shape};
use std::cell::Cell;

/// The patterns, in the detector file's order (group-local pattern ids).
pub const PATTERNS: [&str; 11] = [
    "number_name_type",
    "compound_number",
    "words_type_number",
    "hyphenated_type_number",
    "type_name_number",
    "number_type_name",
    "us_city_state_zip",
    "uk_postcode",
    "nl_postcode_city",
    "postcode_city",
    "lowercase_via",
];

/// FNV-1a of the patterns' sources (see [`name_shapes`]).
const FINGERPRINT: u64 = 0x5488_085e_3f2c_fbf8;

/// The particles of the type-first patterns, in their order (written inline in the patterns).
const PARTICLES: [&[u8]; 27] = [
    b"de", b"del", b"de la", b"de los", b"de las", b"des", b"du", b"d'", b"della", b"delle",
    b"dei", b"degli", b"di", b"da", b"do", b"dos", b"das", b"la", b"le", b"les", b"l'", b"van",
    b"von", b"der", b"den", b"al", b"el",
];

/// German and Dutch street types written as a separate word (`words_type_number`).
const WORD_TYPES: [&[u8]; 18] = [
    "Straße".as_bytes(),
    b"Strasse",
    b"Str.",
    b"Weg",
    b"Allee",
    b"Platz",
    b"Gasse",
    b"Damm",
    b"Ufer",
    b"Ring",
    b"Chaussee",
    b"Promenade",
    b"Laan",
    b"Straat",
    b"Plein",
    b"Kade",
    b"Gracht",
    b"Singel",
];

/// The street types after hyphenated names (`hyphenated_type_number`).
const HYPHEN_TYPES: [&[u8]; 20] = [
    "Straße".as_bytes(),
    b"Strasse",
    b"Str.",
    b"Weg",
    b"Allee",
    b"Platz",
    b"Gasse",
    b"Damm",
    b"Ufer",
    b"Ring",
    b"Steig",
    b"Pfad",
    b"Chaussee",
    b"Promenade",
    b"Laan",
    b"Straat",
    b"Plein",
    b"Kade",
    b"Gracht",
    b"Singel",
];

/// Capitalised type words of `type_name_number`, after the case-insensitive list.
const FIRST_TYPES: [&[u8]; 7] = [
    b"Via",
    b"Viale",
    b"Place",
    b"Plaza",
    "Plaça".as_bytes(),
    "Praça".as_bytes(),
    b"Largo",
];

const STATES: [&[u8]; 51] = [
    b"AL", b"AK", b"AZ", b"AR", b"CA", b"CO", b"CT", b"DE", b"DC", b"FL", b"GA", b"HI", b"ID",
    b"IL", b"IN", b"IA", b"KS", b"KY", b"LA", b"ME", b"MD", b"MA", b"MI", b"MN", b"MS", b"MO",
    b"MT", b"NE", b"NV", b"NH", b"NJ", b"NM", b"NY", b"NC", b"ND", b"OH", b"OK", b"OR", b"PA",
    b"RI", b"SC", b"SD", b"TN", b"TX", b"UT", b"VT", b"VA", b"WA", b"WV", b"WI", b"WY",
];

const DIRECTIONS: [&[u8]; 8] = [b"NW", b"NE", b"SW", b"SE", b"N", b"S", b"E", b"W"];

/// An ordered alternation of literals, grouped by first byte (ASCII case-folded when `fold`):
/// only entries with the same first byte can match at one place, and their order is kept.
#[derive(Debug)]
struct List {
    entries: Vec<&'static [u8]>,
    /// Per first byte: the range of `entries` that start with it.
    by_first: Box<[(u16, u16); 256]>,
    fold: bool,
}

impl List {
    fn new(mut entries: Vec<&'static [u8]>, fold: bool) -> List {
        let key = |e: &&[u8]| {
            if fold {
                e[0].to_ascii_lowercase()
            } else {
                e[0]
            }
        };
        entries.sort_by_key(key);
        let mut by_first = Box::new([(0u16, 0u16); 256]);
        for (i, e) in entries.iter().enumerate() {
            let range = &mut by_first[usize::from(key(e))];
            if range.1 == 0 {
                range.0 = i as u16;
            }
            range.1 = i as u16 + 1;
        }
        List {
            entries,
            by_first,
            fold,
        }
    }

    /// The entries that may start with `b`, in order.
    #[inline]
    fn starting_with(&self, b: u8) -> &[&'static [u8]] {
        let b = if self.fold { b.to_ascii_lowercase() } else { b };
        let (from, to) = self.by_first[usize::from(b)];
        &self.entries[usize::from(from)..usize::from(to)]
    }
}

/// A street suffix and its place in the longest-first list.
type Suffix = (usize, &'static [u8]);

/// The matcher (see the module documentation).
#[derive(Debug)]
pub struct AddressShapes {
    /// `street_types_en`, longest first (case-sensitive).
    types_en: List,
    /// `street_types_prefix`, longest first (ASCII case-insensitive).
    types_prefix: List,
    /// `street_suffixes`, grouped by last byte: (last byte, (place in the longest-first list,
    /// entry)).
    suffixes: Vec<(u8, Vec<Suffix>)>,
    particles: List,
    word_types: List,
    hyphen_types: List,
    first_types: List,
    states: List,
    directions: List,
    /// Per first two bytes (lower-cased): whether a street type of `type_name_number` or
    /// `lowercase_via` starts so.
    type_pairs: Vec<bool>,
}

/// A continuation: the rest of a pattern from a position, to the pattern's match.
type K<'k> = &'k dyn Fn(usize) -> Option<Shape>;

/// Up to four positions in the regex's order of preference.
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

fn longest_first(name: &str) -> Option<Vec<&'static [u8]>> {
    let mut list = lists::entries(name)?;
    list.sort_by_key(|e| std::cmp::Reverse(e.len()));
    if list.iter().any(|e| e.is_empty() || e.ends_with('*')) {
        return None;
    }
    Some(list.into_iter().map(str::as_bytes).collect())
}

impl AddressShapes {
    /// The matcher for `detector`, if its patterns are the ones this module implements.
    pub fn new(detector: &Detector) -> Option<AddressShapes> {
        let sources: Vec<&str> = detector.patterns.iter().map(|p| p.regex.as_str()).collect();
        let names = detector.patterns.iter().map(|p| &*p.name);
        if !names.eq(PATTERNS) || name_shapes::fingerprint(&sources) != FINGERPRINT {
            return None;
        }
        let mut suffixes: Vec<(u8, Vec<Suffix>)> = Vec::new();
        for (order, e) in longest_first("street_suffixes")?.into_iter().enumerate() {
            let last = *e.last()?;
            // A suffix ends a run of letters (`[a-z\x80-\xbf\xc3-\xc5]`), or a dot after one.
            if !e.iter().all(|&b| lower(b) || b == b'.') || e[..e.len() - 1].contains(&b'.') {
                return None;
            }
            match suffixes.iter_mut().find(|(b, _)| *b == last) {
                Some((_, list)) => list.push((order, e)),
                None => suffixes.push((last, vec![(order, e)])),
            }
        }
        // At one end of a word, only suffixes of one another can fit: `compound_number` keeps
        // room for eight of them at each of its two possible ends.
        let all: Vec<&[u8]> = suffixes
            .iter()
            .flat_map(|(_, l)| l.iter().map(|e| e.1))
            .collect();
        if all
            .iter()
            .any(|e| all.iter().filter(|f| e.ends_with(f)).count() > 8)
        {
            return None;
        }
        let types_prefix = longest_first("street_types_prefix")?;
        // `type_name_number` is tried only at letters.
        if !types_prefix.iter().all(|e| e[0].is_ascii_alphabetic()) {
            return None;
        }
        let mut type_pairs = vec![false; 1 << 16];
        let lower_case = [&b"via"[..], b"place", b"plaza", b"piazza"];
        for e in types_prefix.iter().chain(&lower_case).chain(&FIRST_TYPES) {
            let (a, b) = (
                e[0].to_ascii_lowercase(),
                e.get(1).map_or(0, u8::to_ascii_lowercase),
            );
            type_pairs[usize::from(a) * 256 + usize::from(b)] = true;
        }
        Some(AddressShapes {
            type_pairs,
            types_en: List::new(longest_first("street_types_en")?, false),
            types_prefix: List::new(types_prefix, true),
            suffixes,
            particles: List::new(PARTICLES.to_vec(), false),
            word_types: List::new(WORD_TYPES.to_vec(), false),
            hyphen_types: List::new(HYPHEN_TYPES.to_vec(), false),
            first_types: List::new(FIRST_TYPES.to_vec(), false),
            states: List::new(STATES.to_vec(), false),
            directions: List::new(DIRECTIONS.to_vec(), false),
        })
    }

    /// Appends to `out`, in increasing order, every position in `from..to` where some pattern
    /// may match (a superset): the haystack's start, and non-word bytes before a capital, before
    /// at most five digits followed by a letter, comma or space, or before a lower-case word
    /// whose first two letters start a street type.
    pub fn starts(&self, hay: &[u8], from: usize, to: usize, out: &mut Vec<usize>) {
        out.clear();
        let to = to.min(hay.len());
        if from == 0 && to > 0 {
            out.push(0);
        }
        // 64 bytes at a time: non-word bytes before ASCII letters, digits or Latin lead bytes,
        // then each such pair checked.
        let mut base = from;
        while base + 1 < to {
            let block = &hay[base..to.min(base + 64)];
            let len = block.len();
            let c = classes(block);
            let valid = u64::MAX >> (64 - len);
            let boundary = !(c.upper | c.lower | c.digit | c.high) & valid;
            let next = hay
                .get(base + len)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || (0xc3..=0xc5).contains(&b));
            let word = ((c.upper | c.lower | c.digit | c.lead) >> 1) | u64::from(next) << (len - 1);
            let mut hits = boundary & word;
            while hits != 0 {
                let p = base + hits.trailing_zeros() as usize;
                hits &= hits - 1;
                if p != 0 && p + 1 < to && hay[p] != b'_' && self.may_start(hay, p) {
                    out.push(p);
                }
            }
            base += len;
        }
    }

    /// Whether a street type of `type_name_number` or `lowercase_via` may start at `v`.
    #[inline]
    fn type_starts(&self, hay: &[u8], v: usize) -> bool {
        let a = hay.get(v).map_or(0, u8::to_ascii_lowercase);
        let b = hay.get(v + 1).map_or(0, u8::to_ascii_lowercase);
        self.type_pairs[usize::from(a) * 256 + usize::from(b)]
    }

    /// Whether a pattern may start after the non-word byte at `p` (`p + 1 < hay.len()`).
    #[inline]
    fn may_start(&self, hay: &[u8], p: usize) -> bool {
        let b = hay[p + 1];
        if b.is_ascii_digit() {
            // At most five digits, then a letter, comma or space.
            let n = hay[p + 1..]
                .iter()
                .take(6)
                .take_while(|b| b.is_ascii_digit())
                .count();
            n <= 5
                && hay
                    .get(p + 1 + n)
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == b',' || c == b' ')
        } else if b.is_ascii_lowercase() {
            self.type_starts(hay, p + 1)
        } else {
            upper(b)
        }
    }

    /// Every pattern's leftmost-first match anchored at `p`, consuming no byte at or after
    /// `lim`. Returns whether any pattern matched.
    pub fn at(&self, hay: &[u8], p: usize, lim: usize, out: &mut [Option<Shape>]) -> bool {
        let m = M {
            hay: &hay[..lim.min(hay.len())],
            full: hay,
            s: self,
            names: Default::default(),
        };
        out.fill(None);
        // Every pattern starts `(?:^|[^\w\x80-\xff])(?P<value>`: the value starts after the
        // boundary byte, or at the haystack's start (where a boundary byte starts no value).
        let v = if p == 0 && !m.byte(0).is_some_and(name_shapes::is_boundary) {
            0
        } else if m.byte(p).is_some_and(name_shapes::is_boundary) {
            p + 1
        } else {
            return false;
        };
        // Only the patterns that can start with the value's first byte.
        match m.byte(v) {
            Some(b'0'..=b'9') => {
                out[0] = m.number_name_type(v);
                out[5] = m.number_type_name(v);
                out[8] = m.nl_postcode_city(v);
                out[9] = m.postcode_city(v);
            }
            Some(b'a'..=b'z') => {
                out[4] = m.type_name_number(v);
                out[10] = m.lowercase_via(v);
            }
            Some(b) if upper(b) => {
                let w = m.name_ends(v);
                out[1] = m.compound_number(v);
                if w.len > 0 {
                    out[2] = m.words_type_number(v, &w);
                }
                out[3] = m.hyphenated_type_number(v);
                if b.is_ascii_uppercase() && self.type_starts(hay, v) {
                    out[4] = m.type_name_number(v);
                }
                if w.len > 0 {
                    out[6] = m.us_city_state_zip(v, &w);
                    out[7] = m.uk_postcode(v, &w);
                }
                // `[A-Z]{1,2}-\d{5}`.
                if m.byte(v + 1) == Some(b'-')
                    || (m.byte(v + 1).is_some_and(|b| b.is_ascii_uppercase())
                        && m.byte(v + 2) == Some(b'-'))
                {
                    out[9] = m.postcode_city(v);
                }
            }
            _ => {}
        }
        out.iter().any(Option::is_some)
    }
}

/// One search: the bytes a match may consume, the whole haystack (for `$` and `\b`), the
/// lists.
struct M<'a> {
    hay: &'a [u8],
    full: &'a [u8],
    s: &'a AddressShapes,
    /// [`M::name_ends`] by position (direct-mapped): several patterns parse the same words.
    names: [Cell<(usize, Ends)>; 4],
}

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[inline]
fn lower(b: u8) -> bool {
    name_shapes::is_lower(b)
}

#[inline]
fn upper(b: u8) -> bool {
    name_shapes::is_upper(b)
}

impl M<'_> {
    #[inline]
    fn byte(&self, i: usize) -> Option<u8> {
        self.hay.get(i).copied()
    }

    // Pieces. Each tries its alternatives in the regex's order and returns the first that the
    // continuation `k` accepts.

    /// A literal.
    fn lit(&self, i: usize, s: &[u8], k: K) -> Option<Shape> {
        if self.hay.get(i..i + s.len()) == Some(s) {
            k(i + s.len())
        } else {
            None
        }
    }

    /// One of `list`, in order.
    fn one_of(&self, i: usize, list: &List, k: K) -> Option<Shape> {
        let rest = self.hay.get(i..).unwrap_or_default();
        let first = *rest.first()?;
        for e in list.starting_with(first) {
            let fits = rest.len() >= e.len()
                && if list.fold {
                    rest[1..e.len()].eq_ignore_ascii_case(&e[1..])
                } else {
                    rest[1..e.len()] == e[1..]
                };
            if fits && let Some(found) = k(i + e.len()) {
                return Some(found);
            }
        }
        None
    }

    /// One of a few literals, in order.
    fn one_of_few(&self, i: usize, list: &[&[u8]], k: K) -> Option<Shape> {
        let rest = self.hay.get(i..).unwrap_or_default();
        for e in list {
            if rest.starts_with(e)
                && let Some(found) = k(i + e.len())
            {
                return Some(found);
            }
        }
        None
    }

    /// `byte{min,max}` of bytes in `class`, greedy.
    fn repeat(
        &self,
        i: usize,
        class: fn(u8) -> bool,
        min: usize,
        max: usize,
        k: K,
    ) -> Option<Shape> {
        let mut n = 0;
        while n < max && self.byte(i + n).is_some_and(class) {
            n += 1;
        }
        (min..=n).rev().find_map(|c| k(i + c))
    }

    /// An optional byte in `class`, greedy.
    fn opt(&self, i: usize, class: fn(u8) -> bool, k: K) -> Option<Shape> {
        if self.byte(i).is_some_and(class)
            && let Some(found) = k(i + 1)
        {
            return Some(found);
        }
        k(i)
    }

    /// `[ ]{1,2}`.
    fn spaces(&self, i: usize, k: K) -> Option<Shape> {
        self.repeat(i, |b| b == b' ', 1, 2, k)
    }

    fn digits(&self, i: usize, min: usize, max: usize, k: K) -> Option<Shape> {
        self.repeat(i, |b| b.is_ascii_digit(), min, max, k)
    }

    /// `[A-Z\xc3-\xc5][a-z\x80-\xbf\xc3-\xc5]{1,N}`.
    ///
    /// Only the longest run of letters is tried: what follows a capitalised word in every
    /// pattern (a space, comma, hyphen, dot, boundary) is never a letter, so fewer letters never
    /// match. (`compound_number`, whose suffix follows the letters directly, splits the run
    /// itself.)
    fn capitalised_end(&self, i: usize, max: usize) -> Option<usize> {
        if !self.byte(i).is_some_and(upper) {
            return None;
        }
        let n = self.hay[i + 1..]
            .iter()
            .take(max + 1)
            .take_while(|&&b| lower(b))
            .count();
        (1..=max).contains(&n).then_some(i + 1 + n)
    }

    fn capitalised(&self, i: usize, max: usize, k: K) -> Option<Shape> {
        k(self.capitalised_end(i, max)?)
    }

    /// The ends of `(?:O'|D'|Mc|St\.[ ])?` and a capitalised, maybe hyphenated word, in the
    /// regex's order (the prefixes start with different bytes: at most one fits).
    fn name_ends(&self, i: usize) -> Ends {
        let slot = &self.names[i % 4];
        let (at, known) = slot.get();
        if at == i + 1 {
            return known;
        }
        let ends = self.parse_name(i);
        slot.set((i + 1, ends));
        ends
    }

    fn parse_name(&self, i: usize) -> Ends {
        let mut ends = Ends::default();
        let prefix = match (
            self.byte(i),
            self.byte(i + 1),
            self.byte(i + 2),
            self.byte(i + 3),
        ) {
            (Some(b'O' | b'D'), Some(b'\''), _, _) | (Some(b'M'), Some(b'c'), _, _) => 2,
            (Some(b'S'), Some(b't'), Some(b'.'), Some(b' ')) => 4,
            _ => 0,
        };
        for j in [i + prefix, i]
            .into_iter()
            .take(if prefix > 0 { 2 } else { 1 })
        {
            if let Some(e) = self.capitalised_end(j, 20) {
                if self.byte(e) == Some(b'-')
                    && let Some(e2) = self.capitalised_end(e + 1, 20)
                {
                    ends.push(e2);
                }
                ends.push(e);
            }
        }
        ends
    }

    /// `(?:O'|D'|Mc|St\.[ ])?` and a capitalised, maybe hyphenated word.
    fn name(&self, i: usize, k: K) -> Option<Shape> {
        self.name_ends(i).iter().find_map(k)
    }

    /// [`Self::name`] with the word's ends already known.
    fn name_from(ends: &Ends, k: K) -> Option<Shape> {
        ends.iter().find_map(k)
    }

    /// `\d{1,3}(?:st|nd|rd|th)`.
    fn ordinal(&self, i: usize, k: K) -> Option<Shape> {
        self.digits(i, 1, 3, &|j| {
            self.one_of_few(j, &[b"st", b"nd", b"rd", b"th"], k)
        })
    }

    /// A name or an ordinal.
    fn name_or_ordinal(&self, i: usize, k: K) -> Option<Shape> {
        self.name(i, k).or_else(|| self.ordinal(i, k))
    }

    /// `(?:particle[ ]?){0,2}`.
    fn particles(&self, i: usize, left: usize, k: K) -> Option<Shape> {
        if left > 0
            && self
                .byte(i)
                .is_some_and(|b| matches!(b, b'd' | b'l' | b'v' | b'a' | b'e'))
        {
            let more = |j: usize| self.opt(j, |b| b == b' ', &|j2| self.particles(j2, left - 1, k));
            if let Some(found) = self.one_of(i, &self.s.particles, &more) {
                return Some(found);
            }
        }
        k(i)
    }

    /// `particles{0,2} (?:name|ordinal)` and `(?:[ ]{1,2} particles{0,2} (?:name|ordinal)){0,3}`.
    fn street_words(&self, i: usize, k: K) -> Option<Shape> {
        self.particles(i, 2, &|j| {
            self.name_or_ordinal(j, &|e| self.more_street_words(e, 3, k))
        })
    }

    fn more_street_words(&self, e: usize, left: usize, k: K) -> Option<Shape> {
        if left > 0
            && let Some(found) = self.spaces(e, &|j| {
                self.particles(j, 2, &|j2| {
                    self.name_or_ordinal(j2, &|e2| self.more_street_words(e2, left - 1, k))
                })
            })
        {
            return Some(found);
        }
        k(e)
    }

    /// `\d{1,4}[ ]?[a-zA-Z]?\b` and the rest.
    fn house_number(&self, i: usize, k: K) -> Option<Shape> {
        self.digits(i, 1, 4, &|j| self.house_number_tail(j, k))
    }

    /// `[ ]?[a-zA-Z]?\b`.
    fn house_number_tail(&self, j: usize, k: K) -> Option<Shape> {
        self.opt(j, |b| b == b' ', &|j2| {
            self.opt(j2, |b| b.is_ascii_alphabetic(), &|j3| {
                if self.word_boundary(j3) { k(j3) } else { None }
            })
        })
    }

    /// `\b` (ASCII), looking at the whole haystack.
    fn word_boundary(&self, at: usize) -> bool {
        let before = at > 0 && self.full.get(at - 1).copied().is_some_and(is_word);
        let after = self.full.get(at).copied().is_some_and(is_word);
        before != after
    }

    /// `(?:$|[^\w\x80-\xff])` after the value: the match.
    fn end(&self, v: usize, e: usize) -> Option<Shape> {
        let end = if e == self.full.len() {
            e
        } else if self.byte(e).is_some_and(name_shapes::is_boundary) {
            e + 1
        } else {
            return None;
        };
        Some(Shape { end, value: (v, e) })
    }

    /// The value ends where the match does (patterns ending in `\b`).
    fn whole(v: usize, e: usize) -> Option<Shape> {
        Some(Shape {
            end: e,
            value: (v, e),
        })
    }

    fn number_name_type(&self, v: usize) -> Option<Shape> {
        // `\d{1,5}[a-zA-Z]?,?[ ]{1,2}(?:name|ordinal)(?:[ ]{1,2}name){0,3}[ ]{1,2}type\.?
        // (?:[ ]{1,2}direction)?`
        let after_type = |t: usize| {
            self.opt(t, |b| b == b'.', &|d| {
                let direction = self.spaces(d, &|j| {
                    self.one_of(j, &self.s.directions, &|e| self.end(v, e))
                });
                direction.or_else(|| self.end(v, d))
            })
        };
        let street_type =
            |e: usize| self.spaces(e, &|j| self.one_of(j, &self.s.types_en, &after_type));
        self.digits(v, 1, 5, &|a| {
            self.opt(a, |b| b.is_ascii_alphabetic(), &|b| {
                self.opt(b, |x| x == b',', &|c| {
                    self.spaces(c, &|j| {
                        self.name_or_ordinal(j, &|e| self.more_names(e, 3, &street_type))
                    })
                })
            })
        })
    }

    /// `(?:[ ]{1,2}name){0,N}`.
    fn more_names(&self, e: usize, left: usize, k: K) -> Option<Shape> {
        if left > 0
            && let Some(found) =
                self.spaces(e, &|j| self.name(j, &|e2| self.more_names(e2, left - 1, k)))
        {
            return Some(found);
        }
        k(e)
    }

    fn compound_number(&self, v: usize) -> Option<Shape> {
        // `[A-Z\xc3-\xc5][a-z\x80-\xbf\xc3-\xc5]{1,30}suffix[ ]{1,2}\d{1,4}[ ]?[a-zA-Z]?\b`
        // The regex tries the longest prefix first, and at each split the suffixes in order;
        // the house number needs a space right after the suffix, so a suffix can only end
        // where the run of letters does (or after a dot there).
        if !self.byte(v).is_some_and(upper) {
            return None;
        }
        let run = self.hay[v + 1..].iter().take_while(|&&b| lower(b)).count();
        let mut tries = [(0usize, 0usize, 0usize); 16];
        let mut n = 0;
        for end in [v + 1 + run, v + 2 + run] {
            if end > self.hay.len() || (end == v + 2 + run && self.byte(v + 1 + run) != Some(b'.'))
            {
                continue;
            }
            let Some(&last) = self.hay.get(end - 1) else {
                continue;
            };
            let Some((_, list)) = self.s.suffixes.iter().find(|(b, _)| *b == last) else {
                continue;
            };
            for &(order, e) in list {
                let Some(split) = end.checked_sub(e.len()) else {
                    continue;
                };
                if split >= v + 2
                    && split - (v + 1) <= 30
                    && self.hay[split..end] == *e
                    && n < tries.len()
                {
                    tries[n] = (split, order, end);
                    n += 1;
                }
            }
        }
        let tries = &mut tries[..n];
        tries.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        tries.iter().find_map(|&(_, _, e)| {
            self.spaces(e, &|n| self.house_number(n, &|x| Self::whole(v, x)))
        })
    }

    fn words_type_number(&self, v: usize, w: &Ends) -> Option<Shape> {
        // `(?:name[ ]{1,2}){1,2}type[ ]{1,2}\d{1,4}[ ]?[a-zA-Z]?\b`
        let rest = |j: usize| {
            self.one_of(j, &self.s.word_types, &|t| {
                self.spaces(t, &|n| self.house_number(n, &|x| Self::whole(v, x)))
            })
        };
        Self::name_from(w, &|e| {
            self.spaces(e, &|j| {
                let second = self.name(j, &|e2| self.spaces(e2, &rest));
                second.or_else(|| rest(j))
            })
        })
    }

    fn hyphenated_type_number(&self, v: usize) -> Option<Shape> {
        // `(?:[A-Z\xc3-\xc5][a-z\x80-\xbf\xc3-\xc5]{1,20}-){1,4}type[ ]{1,2}
        // \d{1,4}(?:[/-]\d{1,4})?[ ]?[a-zA-Z]?\b`
        let number = |n: usize| {
            self.digits(n, 1, 4, &|j| {
                let range = if self.byte(j).is_some_and(|b| b == b'/' || b == b'-') {
                    self.digits(j + 1, 1, 4, &|j2| {
                        self.house_number_tail(j2, &|x| Self::whole(v, x))
                    })
                } else {
                    None
                };
                range.or_else(|| self.house_number_tail(j, &|x| Self::whole(v, x)))
            })
        };
        let rest = |j: usize| self.one_of(j, &self.s.hyphen_types, &|t| self.spaces(t, &number));
        self.hyphen_parts(v, 4, true, &rest)
    }

    /// `(?:[A-Z\xc3-\xc5][a-z\x80-\xbf\xc3-\xc5]{1,20}-){1,N}` (at least one when `first`).
    fn hyphen_parts(&self, i: usize, left: usize, first: bool, k: K) -> Option<Shape> {
        if left > 0
            && let Some(found) = self.capitalised(i, 20, &|e| {
                if self.byte(e) == Some(b'-') {
                    self.hyphen_parts(e + 1, left - 1, false, k)
                } else {
                    None
                }
            })
        {
            return Some(found);
        }
        if first { None } else { k(i) }
    }

    /// `(?:n[\xc2\xba\xc2\xb0o]\.?[ ]?)?\d{1,4}[ ]?[a-zA-Z]?\b`.
    fn numero_house_number(&self, i: usize, k: K) -> Option<Shape> {
        if self.byte(i) == Some(b'n')
            && self
                .byte(i + 1)
                .is_some_and(|b| matches!(b, 0xc2 | 0xba | 0xb0 | b'o'))
        {
            let found = self.opt(i + 2, |b| b == b'.', &|j| {
                self.opt(j, |b| b == b' ', &|j2| self.house_number(j2, k))
            });
            if found.is_some() {
                return found;
            }
        }
        self.house_number(i, k)
    }

    /// `(?:(?i:types)|Via|...|place[ ](?:de|du|des))` with `first` capitalised types (or only
    /// `Place` for `number_type_name`).
    fn street_type(&self, i: usize, first: Option<&List>, k: K) -> Option<Shape> {
        if let Some(found) = self.one_of(i, &self.s.types_prefix, k) {
            return Some(found);
        }
        let first = match first {
            Some(list) => self.one_of(i, list, k),
            None => self.lit(i, b"Place", k),
        };
        if first.is_some() {
            return first;
        }
        self.lit(i, b"place ", &|j| {
            self.one_of_few(j, &[b"de", b"du", b"des"], k)
        })
    }

    fn type_name_number(&self, v: usize) -> Option<Shape> {
        // type [ ]{1,2} street words ,? [ ]{1,2} numero? house number
        self.street_type(v, Some(&self.s.first_types), &|t| {
            self.spaces(t, &|j| {
                self.street_words(j, &|e| {
                    self.opt(e, |b| b == b',', &|c| {
                        self.spaces(c, &|n| self.numero_house_number(n, &|x| Self::whole(v, x)))
                    })
                })
            })
        })
    }

    fn number_type_name(&self, v: usize) -> Option<Shape> {
        // `\d{1,4}(?:[ ]?(?:bis|ter|[a-c]))?,?[ ]{1,2}type[ ]{1,2}street words`, then the end.
        let after_number = |a: usize| {
            self.opt(a, |b| b == b',', &|c| {
                self.spaces(c, &|j| {
                    self.street_type(j, None, &|t| {
                        self.spaces(t, &|w| self.street_words(w, &|e| self.end(v, e)))
                    })
                })
            })
        };
        self.digits(v, 1, 4, &|a| {
            let suffix = self.opt(a, |b| b == b' ', &|s| {
                self.one_of_few(s, &[b"bis", b"ter", b"a", b"b", b"c"], &after_number)
            });
            suffix.or_else(|| after_number(a))
        })
    }

    fn us_city_state_zip(&self, v: usize, w: &Ends) -> Option<Shape> {
        // `name(?:[ ]name){0,2},[ ]{1,2}STATE[ ]{1,2}\d{5}(?:-\d{4})?`, then the end.
        let zip = |z: usize| {
            self.digits(z, 5, 5, &|e| {
                let plus = if self.byte(e) == Some(b'-') {
                    self.digits(e + 1, 4, 4, &|e2| self.end(v, e2))
                } else {
                    None
                };
                plus.or_else(|| self.end(v, e))
            })
        };
        let state = |c: usize| {
            if self.byte(c) != Some(b',') {
                return None;
            }
            self.spaces(c + 1, &|j| {
                self.one_of(j, &self.s.states, &|s| self.spaces(s, &zip))
            })
        };
        Self::name_from(w, &|e| self.city_words(e, 2, b' ', &state))
    }

    /// `(?:[sep]name){0,N}` with `sep` one byte (`[ ]`) or, when 0, `[ -]`.
    fn city_words(&self, e: usize, left: usize, sep: u8, k: K) -> Option<Shape> {
        let fits = |b: u8| {
            if sep == 0 {
                b == b' ' || b == b'-'
            } else {
                b == sep
            }
        };
        if left > 0
            && self.byte(e).is_some_and(fits)
            && let Some(found) = self.name(e + 1, &|e2| self.city_words(e2, left - 1, sep, k))
        {
            return Some(found);
        }
        k(e)
    }

    fn uk_postcode(&self, v: usize, w: &Ends) -> Option<Shape> {
        // `name[ ,]{1,2}(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]{1,2}\d[ABD-HJLNP-UW-Z]{2})`
        let area = |b: u8| b.is_ascii_uppercase() && !matches!(b, b'Q' | b'V' | b'X');
        let district = |b: u8| b.is_ascii_uppercase() && !matches!(b, b'I' | b'J' | b'Z');
        let unit =
            |b: u8| b.is_ascii_uppercase() && !matches!(b, b'C' | b'I' | b'K' | b'M' | b'O' | b'V');
        let inward = |j: usize| {
            self.spaces(j, &|k2| {
                if self.byte(k2).is_some_and(|b| b.is_ascii_digit())
                    && self.byte(k2 + 1).is_some_and(unit)
                    && self.byte(k2 + 2).is_some_and(unit)
                {
                    self.end(v, k2 + 3)
                } else {
                    None
                }
            })
        };
        let outward = |o: usize| {
            if !self.byte(o).is_some_and(area) {
                return None;
            }
            self.opt(o + 1, district, &|d| {
                if !self.byte(d).is_some_and(|b| b.is_ascii_digit()) {
                    return None;
                }
                self.opt(
                    d + 1,
                    |b| b.is_ascii_uppercase() || b.is_ascii_digit(),
                    &inward,
                )
            })
        };
        Self::name_from(w, &|e| {
            self.repeat(e, |b| b == b' ' || b == b',', 1, 2, &outward)
        })
    }

    fn nl_postcode_city(&self, v: usize) -> Option<Shape> {
        // `[1-9]\d{3}[ ]?[A-Z]{2}[ ]{1,2}name`, then the end.
        if !self.byte(v).is_some_and(|b| (b'1'..=b'9').contains(&b)) {
            return None;
        }
        self.digits(v + 1, 3, 3, &|d| {
            self.opt(d, |b| b == b' ', &|l| {
                self.repeat(l, |b| b.is_ascii_uppercase(), 2, 2, &|s| {
                    self.spaces(s, &|j| self.name(j, &|e| self.end(v, e)))
                })
            })
        })
    }

    fn postcode_city(&self, v: usize) -> Option<Shape> {
        // `(?:[A-Z]{1,2}-)?\d{5}[ ]{1,2}name(?:[ -]name){0,2}`, then the end.
        let rest = |d: usize| {
            self.digits(d, 5, 5, &|s| {
                self.spaces(s, &|j| {
                    self.name(j, &|e| self.city_words(e, 2, 0, &|x| self.end(v, x)))
                })
            })
        };
        let country = self.repeat(v, |b| b.is_ascii_uppercase(), 1, 2, &|c| {
            if self.byte(c) == Some(b'-') {
                rest(c + 1)
            } else {
                None
            }
        });
        country.or_else(|| rest(v))
    }

    fn lowercase_via(&self, v: usize) -> Option<Shape> {
        // `(?:via|place|plaza|piazza)[ ]{1,2}street words,?[ ]{1,2}numero? house number`
        self.one_of_few(v, &[b"via", b"place", b"plaza", b"piazza"], &|t| {
            self.spaces(t, &|j| {
                self.street_words(j, &|e| {
                    self.opt(e, |b| b == b',', &|c| {
                        self.spaces(c, &|n| self.numero_house_number(n, &|x| Self::whole(v, x)))
                    })
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::Catalog;

    /// Editing the address patterns turns the matcher off until this module is checked
    /// against them and the fingerprint updated.
    #[test]
    fn the_built_in_address_patterns_are_the_ones_implemented() {
        let catalog = Catalog::builtin().expect("built-in detectors load");
        let found = catalog
            .detectors()
            .iter()
            .find(|d| &*d.id == "street_address");
        let d = found.expect("street_address is built in");
        let sources: Vec<&str> = d.patterns.iter().map(|p| p.regex.as_str()).collect();
        assert_eq!(
            name_shapes::fingerprint(&sources),
            FINGERPRINT,
            "street_address's patterns changed: check address_shapes.rs against them"
        );
        assert!(AddressShapes::new(d).is_some());
    }
}
