//! Static analysis of detector patterns, used to pick a prefilter for each one.
//!
//! The engine never runs a pattern over every byte when it can avoid it. For patterns that
//! have no keyword, it computes the longest run of ASCII digits that *every* match must
//! contain (`\d{3}-\d{2}-\d{4}` guarantees a run of 4); the engine then searches only windows
//! around such digit runs, which a byte loop finds at memory speed.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Guaranteed ASCII digit runs of a sub-expression, over all strings it matches.
#[derive(Debug, Clone, Copy)]
struct Runs {
    /// `Some(n)`: every match is made of digits only and has at least `n` of them.
    all_digits: Option<usize>,
    /// Every match starts with at least this many digits.
    prefix: usize,
    /// Every match ends with at least this many digits.
    suffix: usize,
    /// Every match contains a run of at least this many consecutive digits.
    inner: usize,
}

impl Runs {
    const NONE: Runs = Runs {
        all_digits: None,
        prefix: 0,
        suffix: 0,
        inner: 0,
    };

    fn digits(n: usize) -> Runs {
        Runs {
            all_digits: Some(n),
            prefix: n,
            suffix: n,
            inner: n,
        }
    }

    fn concat(self, next: Runs) -> Runs {
        match (self.all_digits, next.all_digits) {
            (Some(a), Some(b)) => Runs::digits(a + b),
            (Some(a), None) => Runs {
                all_digits: None,
                prefix: a + next.prefix,
                suffix: next.suffix,
                inner: next.inner.max(a + next.prefix),
            },
            (None, Some(b)) => Runs {
                all_digits: None,
                prefix: self.prefix,
                suffix: self.suffix + b,
                inner: self.inner.max(self.suffix + b),
            },
            (None, None) => Runs {
                all_digits: None,
                prefix: self.prefix,
                suffix: next.suffix,
                inner: self.inner.max(next.inner).max(self.suffix + next.prefix),
            },
        }
    }

    fn either(self, other: Runs) -> Runs {
        Runs {
            all_digits: match (self.all_digits, other.all_digits) {
                (Some(a), Some(b)) => Some(a.min(b)),
                _ => None,
            },
            prefix: self.prefix.min(other.prefix),
            suffix: self.suffix.min(other.suffix),
            inner: self.inner.min(other.inner),
        }
    }
}

fn is_digit_class(class: &Class) -> bool {
    match class {
        Class::Unicode(c) => {
            !c.ranges().is_empty()
                && c.ranges()
                    .iter()
                    .all(|r| r.start() >= '0' && r.end() <= '9')
        }
        Class::Bytes(c) => {
            !c.ranges().is_empty()
                && c.ranges()
                    .iter()
                    .all(|r| r.start() >= b'0' && r.end() <= b'9')
        }
    }
}

fn runs(hir: &Hir) -> Runs {
    match hir.kind() {
        // Zero-width: transparent inside a run of digits.
        HirKind::Empty | HirKind::Look(_) => Runs::digits(0),
        HirKind::Literal(lit) => {
            let bytes = &lit.0;
            let mut acc = Runs::digits(0);
            for &b in bytes.iter() {
                acc = acc.concat(if b.is_ascii_digit() {
                    Runs::digits(1)
                } else {
                    Runs::NONE
                });
            }
            acc
        }
        HirKind::Class(class) => {
            if is_digit_class(class) {
                Runs::digits(1)
            } else {
                Runs::NONE
            }
        }
        HirKind::Capture(cap) => runs(&cap.sub),
        HirKind::Repetition(rep) => {
            let sub = runs(&rep.sub);
            let min = rep.min as usize;
            match sub.all_digits {
                Some(n) => Runs::digits(n * min),
                None if min == 0 => Runs::NONE,
                None => Runs {
                    all_digits: None,
                    prefix: sub.prefix,
                    suffix: sub.suffix,
                    inner: if min >= 2 {
                        sub.inner.max(sub.suffix + sub.prefix)
                    } else {
                        sub.inner
                    },
                },
            }
        }
        HirKind::Concat(subs) => subs
            .iter()
            .fold(Runs::digits(0), |acc, h| acc.concat(runs(h))),
        HirKind::Alternation(subs) => subs
            .iter()
            .map(runs)
            .reduce(Runs::either)
            .unwrap_or(Runs::NONE),
    }
}

/// The length of the longest run of consecutive ASCII digits that every match of `hir`
/// contains. 0 means a match may contain no digit at all.
pub fn min_digit_run(hir: &Hir) -> usize {
    runs(hir).inner
}

/// How common a byte is in ordinary text (lower is rarer); a rough static ranking, as used
/// by literal searchers to choose what to look for.
pub fn byte_cost(b: u8) -> u32 {
    match b {
        b' ' | b'\n' | b'\t' | b'a'..=b'z' => 10,
        b'0'..=b'9' => 8,
        b'A'..=b'Z' => 7,
        b'.' | b',' | b'-' | b'_' | b'/' | b'\r' => 6,
        b':' | b';' | b'=' | b'(' | b')' | b'"' | b'\'' => 3,
        b'[' | b']' | b'{' | b'}' | b'<' | b'>' | b'!' | b'?' | b'*' => 2,
        _ => 1,
    }
}

/// A set of at most three bytes of which every match must contain one, chosen to be as rare
/// as possible; `None` if no such small set exists.
pub fn required_bytes(hir: &Hir) -> Option<Vec<u8>> {
    fn cost(set: &[u8]) -> u32 {
        set.iter().map(|&b| byte_cost(b)).sum()
    }
    fn class_bytes(class: &Class) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        match class {
            Class::Bytes(c) => {
                for r in c.ranges() {
                    for b in r.start()..=r.end() {
                        out.push(b);
                        if out.len() > 3 {
                            return None;
                        }
                    }
                }
            }
            Class::Unicode(c) => {
                for r in c.ranges() {
                    for ch in r.start()..=r.end() {
                        out.push(u8::try_from(u32::from(ch)).ok().filter(u8::is_ascii)?);
                        if out.len() > 3 {
                            return None;
                        }
                    }
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => lit
            .0
            .iter()
            .min_by_key(|&&b| byte_cost(b))
            .map(|&b| vec![b]),
        HirKind::Class(class) => class_bytes(class),
        HirKind::Capture(cap) => required_bytes(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required_bytes(&rep.sub),
        HirKind::Repetition(_) => None,
        HirKind::Concat(subs) => subs
            .iter()
            .filter_map(required_bytes)
            .min_by_key(|s| cost(s)),
        HirKind::Alternation(subs) => {
            let mut union: Vec<u8> = Vec::new();
            for sub in subs {
                for b in required_bytes(sub)? {
                    if !union.contains(&b) {
                        union.push(b);
                    }
                }
            }
            (union.len() <= 3).then_some(union)
        }
    }
}

/// How many leading positions [`leading_bytes`] describes.
pub const LEADING: usize = 8;

/// For each of the first [`LEADING`] positions of a match of `hir` that every match reaches
/// (at most its minimum length): the bytes a match that does not start at the beginning of the
/// haystack can have there, as 256-bit sets. A superset: non-ASCII classes add every byte from
/// 0x80 to the positions they may cover, and look-around assertions other than `^` are taken
/// as always true (`^` as never). So such a match can start at `at` only if every byte from
/// `at` on is in its position's set: the engine asks this before it looks for other patterns
/// matching where one did (`2024-05-01` cannot start a `\d{2}\.\d{2}` match).
pub fn leading_bytes(hir: &Hir) -> Vec<[u64; 4]> {
    let mut sets = [[0u64; 4]; LEADING];
    // Bit `o` of an offset set: some path through the expression so far is `o` bytes long;
    // bit LEADING stands for every length from LEADING on (bytes there are not recorded).
    let ends = walk(hir, 1, &mut sets);
    if ends == 0 {
        // Only at the beginning of the haystack (`^…`): no byte fits anywhere else.
        return vec![[0; 4]];
    }
    // Every match is at least as long as its shortest path.
    let reached = (ends.trailing_zeros() as usize).min(LEADING);
    sets[..reached].to_vec()
}

/// Records in `sets` the bytes `hir` can put at each position when it starts at any offset of
/// `from` (a bit set, see [`leading_bytes`]); returns the offsets where it can end.
fn walk(hir: &Hir, from: u16, sets: &mut [[u64; 4]; LEADING]) -> u16 {
    const FAR: u16 = 1 << LEADING;
    let offsets = |mask: u16| (0..=LEADING).filter(move |o| mask & (1 << o) != 0);
    // `n` bytes further on, saturating at FAR.
    let shift =
        |mask: u16, n: usize| offsets(mask).fold(0u16, |acc, o| acc | 1 << (o + n).min(LEADING));
    let add_set = |sets: &mut [[u64; 4]; LEADING], at: usize, set: &[u64; 4]| {
        if let Some(slot) = sets.get_mut(at) {
            for (a, b) in slot.iter_mut().zip(set) {
                *a |= b;
            }
        }
    };
    if from == 0 {
        return 0;
    }
    match hir.kind() {
        // Not at the beginning of the haystack, `^` never holds.
        HirKind::Look(regex_syntax::hir::Look::Start) => 0,
        HirKind::Empty | HirKind::Look(_) => from,
        HirKind::Literal(lit) => {
            for o in offsets(from & !FAR) {
                for (j, &b) in lit.0.iter().enumerate() {
                    let mut one = [0u64; 4];
                    one[usize::from(b >> 6)] |= 1 << (b & 63);
                    add_set(sets, o + j, &one);
                }
            }
            shift(from, lit.0.len())
        }
        HirKind::Class(Class::Bytes(_)) => {
            let set = edge(hir, Edge::First).0;
            for o in offsets(from & !FAR) {
                add_set(sets, o, &set);
            }
            shift(from, 1)
        }
        // A character of 1 to 4 bytes; whatever its bytes, every byte is allowed.
        HirKind::Class(Class::Unicode(_)) => {
            let mut to = 0;
            for n in 1..=4 {
                for o in offsets(from & !FAR) {
                    add_set(sets, o + n - 1, &[u64::MAX; 4]);
                }
                to |= shift(from, n);
            }
            to
        }
        HirKind::Capture(cap) => walk(&cap.sub, from, sets),
        HirKind::Concat(subs) => subs.iter().fold(from, |at, sub| walk(sub, at, sets)),
        HirKind::Alternation(subs) => subs.iter().fold(0, |to, sub| to | walk(sub, from, sets)),
        HirKind::Repetition(rep) => {
            // Iterate until every offset is FAR or, past the minimum, nothing new is reached:
            // offsets only grow in a bounded set, so this ends within LEADING + 2 rounds after
            // the minimum.
            let mut at = from;
            let mut to = if rep.min == 0 { from } else { 0 };
            let mut round = 0u32;
            while rep.max.is_none_or(|max| round < max) {
                at = walk(&rep.sub, at, sets);
                round += 1;
                if round >= rep.min {
                    if (to | at) == to {
                        break;
                    }
                    to |= at;
                } else if at == FAR {
                    // Every path is past the recorded positions; more rounds add nothing.
                    return FAR;
                }
                if at == 0 {
                    break;
                }
            }
            to
        }
    }
}

/// Which end of a match `edge` looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    First,
    Last,
}

/// The bytes a match of `hir` can start (or end) with, and whether it can be empty.
fn edge(hir: &Hir, at: Edge) -> ([u64; 4], bool) {
    fn add(set: &mut [u64; 4], lo: u8, hi: u8) {
        for b in lo..=hi {
            set[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    }
    fn union(set: &mut [u64; 4], other: [u64; 4]) {
        for (a, b) in set.iter_mut().zip(other) {
            *a |= b;
        }
    }
    let mut set = [0u64; 4];
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (set, true),
        HirKind::Literal(lit) => {
            let byte = match at {
                Edge::First => lit.0.first(),
                Edge::Last => lit.0.last(),
            };
            match byte {
                Some(&b) => {
                    add(&mut set, b, b);
                    (set, false)
                }
                None => (set, true),
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                add(&mut set, r.start(), r.end());
            }
            (set, false)
        }
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.ranges() {
                let lo = u32::from(r.start());
                let hi = u32::from(r.end());
                if lo < 0x80 {
                    add(&mut set, lo as u8, hi.min(0x7F) as u8);
                }
                if hi >= 0x80 {
                    add(&mut set, 0x80, 0xFF);
                }
            }
            (set, false)
        }
        HirKind::Capture(cap) => edge(&cap.sub, at),
        HirKind::Repetition(rep) => {
            let (set, nullable) = edge(&rep.sub, at);
            (set, nullable || rep.min == 0)
        }
        HirKind::Concat(subs) => {
            let mut walk = |sub: &Hir| {
                let (s, nullable) = edge(sub, at);
                union(&mut set, s);
                nullable
            };
            let all_nullable = match at {
                Edge::First => subs.iter().all(&mut walk),
                Edge::Last => subs.iter().rev().all(&mut walk),
            };
            (set, all_nullable)
        }
        HirKind::Alternation(subs) => {
            let mut any_nullable = false;
            for sub in subs {
                let (s, nullable) = edge(sub, at);
                union(&mut set, s);
                any_nullable |= nullable;
            }
            (set, any_nullable)
        }
    }
}

/// Every byte any match of `hir` can contain.
fn all_bytes(hir: &Hir) -> [u64; 4] {
    let mut set = [0u64; 4];
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                set[usize::from(b >> 6)] |= 1 << (b & 63);
            }
        }
        HirKind::Class(_) => set = edge(hir, Edge::First).0,
        HirKind::Capture(cap) => set = all_bytes(&cap.sub),
        HirKind::Repetition(rep) => set = all_bytes(&rep.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for sub in subs {
                for (a, b) in set.iter_mut().zip(all_bytes(sub)) {
                    *a |= b;
                }
            }
        }
    }
    set
}

/// Whether no match of `hir` holds a line feed, except as its first or last byte
/// (`(?:^|[^\w])(?P<value>[A-Z][a-z]+ [A-Z][a-z]+)(?:$|[^\w])`: the boundaries may be line
/// feeds, the name between them may not). Every match is then inside one line and the line
/// feeds around it. Patterns that are not a concatenation are judged whole.
pub fn within_line(hir: &Hir) -> bool {
    let mut inner = match hir.kind() {
        HirKind::Concat(subs) => subs.as_slice(),
        _ => std::slice::from_ref(hir),
    };
    let one_byte = |h: &Hir| h.properties().maximum_len().is_some_and(|n| n <= 1);
    if let [first, rest @ ..] = inner
        && one_byte(first)
    {
        inner = rest;
    }
    if let [rest @ .., last] = inner
        && one_byte(last)
    {
        inner = rest;
    }
    let lf = b'\n';
    inner
        .iter()
        .all(|h| all_bytes(h)[usize::from(lf >> 6)] & (1 << (lf & 63)) == 0)
}

/// For a pattern `prefix (?P<value>core) suffix` whose prefix and suffix can contain no byte
/// that the core can start or end with (`(?:^|[^\w])(?P<value>\d{9})(?:[^\w]|$)`): the core's
/// first and last bytes. The value is then found in a match by skipping, from each end, the
/// bytes the core cannot start or end with; no capture engine is needed. `None` for other
/// patterns (the value group nested, or a boundary byte that could belong to the value).
pub fn value_trim(hir: &Hir) -> Option<([u64; 4], [u64; 4])> {
    let HirKind::Concat(subs) = hir.kind() else {
        return None;
    };
    let at = subs.iter().position(
        |h| matches!(h.kind(), HirKind::Capture(c) if c.name.as_deref() == Some("value")),
    )?;
    let core = &subs[at];
    let (first_set, first_nullable) = edge(core, Edge::First);
    let (last_set, last_nullable) = edge(core, Edge::Last);
    if first_nullable || last_nullable {
        return None;
    }
    let disjoint = |part: &[Hir], set: &[u64; 4]| {
        part.iter()
            .map(all_bytes)
            .all(|bytes| bytes.iter().zip(set).all(|(a, b)| a & b == 0))
    };
    (disjoint(&subs[..at], &first_set) && disjoint(&subs[at + 1..], &last_set))
        .then_some((first_set, last_set))
}

/// Whether `hir` is `(?:^|L)(?P<value>core)(?:$|R)`, with `L` and `R` classes of one byte
/// each, either of them alone, or either anchor left out (`(?:^|[^\w])(?P<value>...)(?:$|[^\w])`).
/// In a match that neither starts at the haystack's start nor ends at its end, neither
/// anchor can have matched, so `L` and `R` took one byte each and the value is the match
/// without its first and last byte, whatever the core: no capture engine is needed there.
pub fn value_between(hir: &Hir) -> bool {
    let HirKind::Concat(subs) = hir.kind() else {
        return false;
    };
    let [prefix, value, suffix] = subs.as_slice() else {
        return false;
    };
    let is_value =
        matches!(value.kind(), HirKind::Capture(c) if c.name.as_deref() == Some("value"));
    let boundary = |hir: &Hir, anchor: regex_syntax::hir::Look| {
        let one_byte = |h: &Hir| {
            matches!(h.kind(), HirKind::Class(_))
                && h.properties().minimum_len() == Some(1)
                && h.properties().maximum_len() == Some(1)
        };
        let alternatives = match hir.kind() {
            HirKind::Alternation(alts) => alts.as_slice(),
            _ => std::slice::from_ref(hir),
        };
        alternatives
            .iter()
            .all(|h| one_byte(h) || matches!(h.kind(), HirKind::Look(l) if *l == anchor))
    };
    is_value
        && boundary(prefix, regex_syntax::hir::Look::Start)
        && boundary(suffix, regex_syntax::hir::Look::End)
}

/// One alternative of a value's prefix (see [`value_start`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prefix {
    /// `^`: the start of the haystack.
    Start,
    /// One byte of each set, in order.
    Bytes(Vec<[u64; 4]>),
}

/// For a pattern `prefix (?P<value>core) suffix` whose suffix can hold no byte the core can end
/// with, but whose prefix may hold one the core starts with (`(?:^|[^\w+]|[^\w][ .])(?P<value>
/// \+…)`: a `+` may stand before the value): the prefix's alternatives in priority order, when
/// each is `^` or a fixed sequence of at most four byte classes; the core, when it has no
/// look-around; and the bytes the core can end with. The value is then found in a match
/// without a capture engine: its end by trimming, its start by trying the alternatives in
/// order. A leftmost-first match takes the first alternative that leads to any match, and ends
/// where that match does; so the first alternative whose bytes are there and after which the
/// core matches exactly up to the value's end is the one the regex took. `None` for other
/// patterns.
pub fn value_start(hir: &Hir) -> Option<(Vec<Prefix>, Hir, [u64; 4])> {
    let HirKind::Concat(subs) = hir.kind() else {
        return None;
    };
    let [prefix, value, suffix @ ..] = subs.as_slice() else {
        return None;
    };
    let HirKind::Capture(cap) = value.kind() else {
        return None;
    };
    if cap.name.as_deref() != Some("value") || !cap.sub.properties().look_set().is_empty() {
        return None;
    }
    let (last, nullable) = edge(value, Edge::Last);
    let disjoint = suffix
        .iter()
        .map(all_bytes)
        .all(|bytes| bytes.iter().zip(&last).all(|(a, b)| a & b == 0));
    if nullable || !disjoint {
        return None;
    }
    let alternatives = match prefix.kind() {
        HirKind::Alternation(alts) => alts.as_slice(),
        _ => std::slice::from_ref(prefix),
    };
    let prefixes = alternatives
        .iter()
        .map(prefix_of)
        .collect::<Option<Vec<_>>>()?;
    Some((prefixes, (*cap.sub).clone(), last))
}

/// `^`, or the exact byte sets of a fixed sequence of at most four bytes.
fn prefix_of(hir: &Hir) -> Option<Prefix> {
    if let HirKind::Look(regex_syntax::hir::Look::Start) = hir.kind() {
        return Some(Prefix::Start);
    }
    let parts = match hir.kind() {
        HirKind::Concat(parts) => parts.as_slice(),
        _ => std::slice::from_ref(hir),
    };
    let mut sets = Vec::new();
    for part in parts {
        match part.kind() {
            HirKind::Literal(lit) => {
                for &b in lit.0.iter() {
                    let mut set = [0u64; 4];
                    set[usize::from(b >> 6)] |= 1 << (b & 63);
                    sets.push(set);
                }
            }
            HirKind::Class(Class::Bytes(_)) => sets.push(edge(part, Edge::First).0),
            _ => return None,
        }
    }
    (!sets.is_empty() && sets.len() <= 4).then_some(Prefix::Bytes(sets))
}

/// Whether `hir` has a capture group called `name`.
pub fn has_group(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(cap) => cap.name.as_deref() == Some(name) || has_group(&cap.sub, name),
        HirKind::Repetition(rep) => has_group(&rep.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(|h| has_group(h, name))
        }
        _ => false,
    }
}

/// Parses a detector pattern the way the engine compiles it: ASCII mode (`\d`, `\w`, `\b` are
/// ASCII), matching arbitrary bytes (`.` and negated classes may match invalid UTF-8).
pub fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: &str) -> usize {
        min_digit_run(&parse(p).expect("test pattern parses"))
    }

    #[test]
    fn values_between_one_byte_boundaries() {
        let between = |re: &str| value_between(&parse(re).expect("parses"));
        assert!(between(r"(?:^|[^\w])(?P<value>\d{3}\.?)(?:$|[^\w])"));
        assert!(between(r"[ ,](?P<value>a+)(?:[^\w]|$)"));
        assert!(between(r"(?:^|[^\w])(?P<value>a+)[ .]"));
        // A boundary of two bytes, an optional one, the wrong anchor, or more around the value.
        assert!(!between(r"(?:^|ab)(?P<value>a+)(?:$|[^\w])"));
        assert!(!between(r"[ ]?(?P<value>a+)(?:$|[^\w])"));
        assert!(!between(r"(?:$|[^\w])(?P<value>a+)(?:$|[^\w])"));
        assert!(!between(r"(?:^|[^\w])x(?P<value>a+)(?:$|[^\w])"));
        assert!(!between(r"(?:^|[^\w])(?P<other>a+)(?:$|[^\w])"));
    }

    #[test]
    fn matches_within_a_line() {
        let within = |re: &str| within_line(&parse(re).expect("parses"));
        assert!(within(
            r"(?:^|[^\w])(?P<value>[A-Z][a-z]+ [A-Z][a-z]+)(?:$|[^\w])"
        ));
        assert!(within(
            r"(?:^|[,;\t])(?P<value>[A-Z][a-z]+)(?:$|[,;]|\r|\n)"
        ));
        assert!(within(r"[A-Z][a-z]+[ ]\d{1,4}\b"));
        assert!(within(r"\n"));
        // A line feed, or a class or repetition that holds one, inside the match.
        assert!(!within(
            r"(?:^|[^\w])(?P<value>[A-Z][a-z]+\s[A-Z][a-z]+)(?:$|[^\w])"
        ));
        assert!(!within(
            r"[^\w](?P<value>[A-Z][a-z]+[^a-z]{1,2}[A-Z][a-z]+)"
        ));
        assert!(!within(r"(?:^|[^\w]{2})(?P<value>[A-Z][a-z]+)"));
        assert!(!within(r"(?:^|[^\w])[A-Z](?s:.)[a-z]+|x"));
    }

    #[test]
    fn value_starts_of_fixed_prefixes() {
        let hir = |p: &str| parse(p).expect("test pattern parses");
        let phone = hir(r"(?:^|[^\w+ ]|[^\w][ .])(?P<value>\+\d{2,12})(?:[^\w]|$)");
        assert!(
            value_trim(&phone).is_none(),
            "a `+` may stand before the value"
        );
        let (prefixes, _, last) = value_start(&phone).expect("solvable");
        let lens: Vec<Option<usize>> = prefixes
            .iter()
            .map(|p| match p {
                Prefix::Start => None,
                Prefix::Bytes(sets) => Some(sets.len()),
            })
            .collect();
        assert_eq!(lens, vec![None, Some(1), Some(2)]);
        assert_eq!(last, leading_bytes(&hir(r"\d"))[0]);
        // A prefix of variable length, a suffix that may hold the value's last byte, or
        // look-around in the value: not solvable this way.
        assert!(value_start(&hir(r"[ :]{1,3}(?P<value>\+\d{2,12})(?:[^\w]|$)")).is_none());
        assert!(value_start(&hir(r"(?:^|[^\w])(?P<value>\+\d{2,12})\d")).is_none());
        assert!(value_start(&hir(r"(?:^|[^\w])(?P<value>\+\d{2,12}\b)")).is_none());
    }

    #[test]
    fn leading_bytes_of_common_shapes() {
        let lead = |p: &str| leading_bytes(&parse(p).expect("parses"));
        let set = |bytes: &[u8]| {
            let mut s = [0u64; 4];
            for &b in bytes {
                s[usize::from(b >> 6)] |= 1 << (b & 63);
            }
            s
        };
        let digits = set(b"0123456789");
        // A separator at a fixed place: `2024-05-01` does not fit `\d{2}\.` at its third byte.
        let dotted = lead(r"(?:^|[^\w])\d{2}\.\d{2}\.\d{2}");
        assert_eq!(dotted.len(), LEADING);
        assert_eq!(dotted[1], digits);
        assert_eq!(dotted[3], set(b"."));
        let has = |s: &[u64; 4], b: u8| s[usize::from(b >> 6)] & (1 << (b & 63)) != 0;
        assert!(!has(&dotted[0], b'7') && has(&dotted[0], b' '));
        // Variable lengths blur the positions they reach: each set is a union.
        let loose = lead(r"\d{1,2}[./-]\d{1,2}");
        assert_eq!(loose.len(), 3);
        assert_eq!(loose[1], set(b"0123456789./-"));
        // `^` never holds off the beginning: its alternative adds nothing.
        assert_eq!(lead(r"(?:^|x)ab"), vec![set(b"x"), set(b"a"), set(b"b")]);
        assert_eq!(lead(r"^abc"), vec![[0; 4]]);
        // Repetitions, optional parts and alternations of different lengths.
        assert_eq!(
            lead(r"(?:ab){2,}c?"),
            vec![set(b"a"), set(b"b"), set(b"a"), set(b"b")]
        );
        assert_eq!(lead(r"x(?:yy|z)w"), vec![set(b"x"), set(b"yz"), set(b"yw")]);
        // Case-insensitive letters, look-around and a two-byte character.
        assert_eq!(lead(r"(?i)\bab"), vec![set(b"Aa"), set(b"Bb")]);
        assert_eq!(lead(r"\xc3\xa9"), vec![set(b"\xc3"), set(b"\xa9")]);
        // Past a non-ASCII class every byte may come.
        let wide = parse(r"(?u:\w)ab").expect("parses");
        assert_eq!(leading_bytes(&wide)[1], [u64::MAX; 4]);
    }

    #[test]
    fn digit_runs_of_common_shapes() {
        assert_eq!(run(r"\d{3}-\d{2}-\d{4}"), 4);
        assert_eq!(run(r"\b\d{9}\b"), 9);
        assert_eq!(run(r"\d{3}-?\d{2}-?\d{4}"), 4);
        assert_eq!(run(r"\d{3}\d?\d{2}"), 5);
        assert_eq!(run(r"(?:\d{4}[ -]?){3}\d{4}"), 4);
        assert_eq!(run(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}"), 2);
        assert_eq!(run(r"(?:\d{1,3}\.){3}\d{1,3}"), 1);
        assert_eq!(run(r"[a-z]+@[a-z]+"), 0);
        assert_eq!(run(r"\d{4}|[a-z]{3}"), 0);
        assert_eq!(run(r"\d{4}|x\d{6}"), 4);
        assert_eq!(run(r"19\d\d"), 4);
        assert_eq!(run(r"(?:\d{2})+"), 2);
        assert_eq!(run(r"(?:a\d{2}){2}"), 2);
        assert_eq!(run(r"(?:\d{2}a\d){2}"), 3);
        assert_eq!(run(r"[0-9a-f]{4}"), 0);
    }

    #[test]
    fn required_bytes_of_common_shapes() {
        let req = |p: &str| required_bytes(&parse(p).expect("parses"));
        assert_eq!(req(r"[a-z]{1,9}@[a-z]{1,9}\.[a-z]{2,5}"), Some(vec![b'@']));
        assert_eq!(
            req(r"(?i)(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4}"),
            Some(vec![b':'])
        );
        assert_eq!(req(r"a@b|c#d"), Some(vec![b'@', b'#']));
        assert_eq!(req(r"[a-z]{1,9}@?x"), Some(vec![b'x']));
        assert_eq!(req(r"[a-z]{1,9}"), None);
        assert_eq!(req(r"\d{3}|[a-z]"), None);
    }

    #[test]
    fn value_trim_only_where_boundaries_cannot_be_value() {
        let trim = |p: &str| value_trim(&parse(p).expect("parses")).is_some();
        assert!(trim(r"(?:^|[^\w])(?P<value>\d{9})(?:[^\w]|$)"));
        assert!(trim(
            r"(?:^|[^.\w])(?P<value>\d{1,3}(?:\.\d{1,3}){3})(?:[^.\w]|\.[^.\w]|\.$|$)"
        ));
        // A boundary byte that the value may start or end with.
        assert!(!trim(r"(?:^|[^\w])(?P<value>\+?\d{9})"));
        assert!(!trim(r"(?:^|\W)(?P<value>\d{9}\.?)(?:\W|$)"));
        // A label in front that shares letters with the value.
        assert!(!trim(r"(?i:name)[:=] ?(?P<value>[A-Z][a-z]+)"));
        assert!(!trim(r"(?P<value>a*)b"));
        assert!(!trim(r"\d{9}"));
    }

    #[test]
    fn finds_named_groups() {
        let hir = parse(r"(?:^|\W)(?P<value>\d{4})(?:\W|$)").expect("parses");
        assert!(has_group(&hir, "value"));
        assert!(!has_group(&hir, "other"));
    }

    #[test]
    fn non_ascii_literal_is_accepted_in_ascii_mode() {
        assert!(parse("März").is_ok());
        assert!(parse(r"(?i)geburtsdatum\s{0,3}\d").is_ok());
    }
}
