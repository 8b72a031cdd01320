//! The keyword pass's automaton: an Aho-Corasick DFA over every detector's keywords and context
//! words, ASCII case folded, and the loops that walk it over a buffer.
//!
//! The automaton reports exactly what `aho_corasick` reports for the same words with
//! `MatchKind::Standard`, ASCII case insensitivity and overlapping search: every occurrence of
//! every word, by end, and at one end the longest word first (then the words that are its
//! suffixes, longest first; words equal up to case in the order given). The tests check it
//! against that crate.
//!
//! It is built here rather than with `aho_corasick::dfa::DFA` for start-up time. That builder
//! fills each state's row by following failure links through sparse transitions for every byte
//! class; for the full catalogue's ~2,700 words (~8,600 states) that took ~90 M instructions,
//! ~20 ms, the longest step of an engine's build. Here each row is a copy of its failure state's
//! row with the state's own transitions written over it, in breadth-first order, which is one
//! pass over the table. Case is folded in the byte classes (`A` and `a` share one), so a row is
//! also shorter: 66 classes for the full catalogue, where the crate keeps both cases of a
//! letter apart and pads its rows to a power of two (128).

use std::fmt;

/// An Aho-Corasick DFA for overlapping, ASCII case-insensitive search of a list of words.
///
/// Word ids are positions in the list given to [`KeywordDfa::new`]. States are `u32` offsets
/// of rows in the transition table, and match states come first, so that one comparison per
/// byte tells whether the walk must stop.
#[derive(Debug, Clone)]
pub struct KeywordDfa {
    /// Byte → class: 0 for every byte no word holds; an ASCII letter's two cases share one.
    classes: [u8; 256],
    /// Transitions: `trans[state + class]`, a row of `stride` per state.
    trans: Vec<u32>,
    /// The start state.
    start: u32,
    /// States below this one are match states.
    match_end: u32,
    /// The number of classes (the length of a row).
    stride: u32,
    /// Per match state (in row order): the range of its words in `match_ids`.
    match_at: Vec<u32>,
    /// The words of every match state, longest first.
    match_ids: Vec<u32>,
    /// Per word: its length in bytes.
    lens: Vec<u32>,
    /// The longest word's length.
    max_len: usize,
}

/// The words need more states than a `u32` table offset can address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// How many states the words need.
    pub states: usize,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "keyword automaton too large ({} states)", self.states)
    }
}

impl std::error::Error for TooLarge {}

impl KeywordDfa {
    /// Builds the automaton of `words`. An empty word never matches.
    pub fn new<W: AsRef<[u8]>>(words: &[W]) -> Result<KeywordDfa, TooLarge> {
        let fold = |b: u8| b.to_ascii_lowercase();
        // Classes: one per (folded) byte some word holds, 0 for the rest. In a trie two
        // distinct bytes never lead to the same child, so no coarser partition exists.
        let mut classes = [0u8; 256];
        let mut used = [false; 256];
        for w in words {
            for &b in w.as_ref() {
                used[usize::from(fold(b))] = true;
            }
        }
        let mut stride = 1usize;
        for b in 0..=u8::MAX {
            if used[usize::from(b)] {
                // At most 256 − 26 folded bytes are in use, so the class fits in a byte.
                classes[usize::from(b)] = stride as u8;
                stride += 1;
            }
        }
        for b in b'A'..=b'Z' {
            classes[usize::from(b)] = classes[usize::from(fold(b))];
        }
        // The trie, as a dense table of node ids (0: no child; the root is node 0 and never a
        // child). `ends`: per node, the words that end there; breadth first below, the words
        // that are suffixes of those join them.
        let mut table = vec![0u32; stride];
        let mut ends: Vec<Vec<u32>> = vec![Vec::new()];
        let too_large = |states: usize| TooLarge { states };
        for (id, w) in words.iter().enumerate() {
            let w = w.as_ref();
            if w.is_empty() {
                continue;
            }
            let mut node = 0usize;
            for &b in w {
                let slot = node * stride + usize::from(classes[usize::from(b)]);
                node = match table[slot] {
                    0 => {
                        let next = ends.len();
                        table[slot] = u32::try_from(next).map_err(|_| too_large(next))?;
                        table.resize(table.len() + stride, 0);
                        ends.push(Vec::new());
                        next
                    }
                    child => child as usize,
                };
            }
            ends[node].push(id as u32);
        }
        let states = ends.len();
        if states
            .checked_mul(stride)
            .is_none_or(|n| n > u32::MAX as usize)
        {
            return Err(too_large(states));
        }
        // Breadth first: a node's failure state is shallower, so its row is complete when the
        // node's turn comes; the node's missing transitions are copied from it. A node's words
        // are its own, then those of its failure state (the words that are suffixes of its own).
        let mut fail = vec![0u32; states];
        let mut order = Vec::with_capacity(states);
        order.push(0u32);
        let mut next = 0;
        while next < order.len() {
            let u = order[next] as usize;
            next += 1;
            let f = fail[u] as usize;
            for c in 0..stride {
                let child = table[u * stride + c] as usize;
                if child != 0 {
                    // The root's children fail to the root.
                    let fc = if u == 0 { 0 } else { table[f * stride + c] };
                    fail[child] = fc;
                    // (The failure state is shallower: its list is complete.)
                    let mut words = std::mem::take(&mut ends[child]);
                    words.extend_from_slice(&ends[fc as usize]);
                    ends[child] = words;
                    order.push(child as u32);
                } else if u != 0 {
                    table[u * stride + c] = table[f * stride + c];
                }
            }
        }
        // Match states first, each group in breadth-first order; then the rows in that order,
        // with state ids as row offsets.
        let mut new_id = vec![0u32; states];
        let ranked = order
            .iter()
            .filter(|&&u| !ends[u as usize].is_empty())
            .chain(order.iter().filter(|&&u| ends[u as usize].is_empty()));
        let mut rows = Vec::with_capacity(states);
        for (rank, &u) in ranked.enumerate() {
            new_id[u as usize] = (rank * stride) as u32;
            rows.push(u as usize);
        }
        let mut trans = Vec::with_capacity(states * stride);
        let (mut match_at, mut match_ids) = (vec![0u32], Vec::new());
        for &u in &rows {
            trans.extend(
                table[u * stride..][..stride]
                    .iter()
                    .map(|&v| new_id[v as usize]),
            );
            if !ends[u].is_empty() {
                match_ids.extend_from_slice(&ends[u]);
                match_at.push(match_ids.len() as u32);
            }
        }
        let lens: Vec<u32> = words.iter().map(|w| w.as_ref().len() as u32).collect();
        Ok(KeywordDfa {
            classes,
            trans,
            start: new_id[0],
            match_end: ((match_at.len() - 1) * stride) as u32,
            stride: stride as u32,
            match_at,
            match_ids,
            max_len: lens.iter().copied().max().unwrap_or(0) as usize,
            lens,
        })
    }

    /// The state before any byte.
    #[inline]
    pub fn start(&self) -> u32 {
        self.start
    }

    /// The state after reading `byte` in state `sid`.
    #[inline(always)]
    pub fn next(&self, sid: u32, byte: u8) -> u32 {
        // Added as `u32` (the table's length fits one, checked when built): a 32-bit add
        // zero-extends for free, where a 64-bit one needed the state copied first, one more
        // instruction per byte on the scan's hottest loop.
        let class = u32::from(self.classes[usize::from(byte)]);
        self.trans[sid.wrapping_add(class) as usize]
    }

    /// Whether some word ends where the walk reached state `sid`.
    #[inline(always)]
    pub fn is_match(&self, sid: u32) -> bool {
        sid < self.match_end
    }

    /// The words that end where the walk reached the match state `sid`, longest first.
    #[inline]
    pub fn matches(&self, sid: u32) -> &[u32] {
        let i = (sid / self.stride) as usize;
        match (self.match_at.get(i), self.match_at.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.match_ids[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The length in bytes of word `id`.
    #[inline]
    pub fn word_len(&self, id: u32) -> usize {
        self.lens.get(id as usize).map_or(0, |&n| n as usize)
    }

    /// The longest word's length in bytes.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Heap bytes the automaton holds.
    pub fn memory_usage(&self) -> usize {
        4 * (self.trans.len() + self.match_at.len() + self.match_ids.len() + self.lens.len())
    }
}

/// Calls `f(start, end, word)` for every match of `dfa` in `hay`, overlapping ones included,
/// in the order of their ends (as `aho_corasick`'s `find_overlapping_iter` reports them). The
/// walk keeps its state in a register: the crate's iterator, which keeps position and state in
/// memory between calls, cost about an eighth more per byte.
pub fn for_each_overlapping(dfa: &KeywordDfa, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
    one_lane(dfa, hay, (0, dfa.start()), &mut f);
}

/// Walks `dfa` over `hay[at..]` from state `sid`, reporting every match to `f`; returns the
/// state at the end of `hay`.
fn one_lane(
    dfa: &KeywordDfa,
    hay: &[u8],
    (mut at, mut sid): (usize, u32),
    f: &mut impl FnMut(usize, usize, usize),
) -> u32 {
    while at < hay.len() {
        (at, sid) = to_match(dfa, hay, at, sid);
        if !dfa.is_match(sid) {
            break;
        }
        report_matches(dfa, sid, at, f);
    }
    sid
}

/// Buffers shorter than this are walked in one lane by [`for_each_overlapping_split`].
const TWO_LANES: usize = 2048;

/// Pieces of this many bytes (the last up to twice as many) are walked in two lanes each by
/// [`for_each_overlapping_split`]: the second lane's matches wait in a buffer, which pieces
/// keep small however long the buffer is.
const PIECE: usize = 256 << 10;

/// [`for_each_overlapping`] for long buffers: the same calls in the same order, from two
/// walks of the DFA interleaved in one loop, over the first and the second half of each piece
/// of `hay`. Each byte's transition waits on the previous one's (a table look-up indexed by
/// the state), so one walk leaves the processor idle between look-ups; two independent walks
/// fill that time. The second walk starts `max_pattern_len` bytes before the middle, from the
/// start state: an Aho-Corasick state is the longest suffix of the text read that begins some
/// pattern, so from the middle on it is the state the first walk would have had. Its matches
/// (those ending after the middle) wait in `later` until the first walk has reported its own;
/// its state at the end of the piece is where the next piece's first walk starts.
pub fn for_each_overlapping_split(
    dfa: &KeywordDfa,
    hay: &[u8],
    later: &mut Vec<(usize, usize, usize)>,
    mut f: impl FnMut(usize, usize, usize),
) {
    let start = dfa.start();
    let overlap = dfa.max_len();
    if hay.len() < TWO_LANES.max(4 * overlap) {
        return for_each_overlapping(dfa, hay, f);
    }
    let mut sid = start;
    let mut from = 0;
    while from < hay.len() {
        let to = if hay.len() - from < 2 * PIECE {
            hay.len()
        } else {
            from + PIECE
        };
        sid = two_lanes(dfa, &hay[..to], (from, sid, start), later, &mut f);
        from = to;
    }
}

/// One piece of [`for_each_overlapping_split`]: `hay[from..]`, the first walk starting in
/// state `sid` (the true state at `from`), the second in the DFA's `start` state. Returns the
/// state at the end of `hay`.
fn two_lanes(
    dfa: &KeywordDfa,
    hay: &[u8],
    (from, sid, start): (usize, u32, u32),
    later: &mut Vec<(usize, usize, usize)>,
    f: &mut impl FnMut(usize, usize, usize),
) -> u32 {
    let mid = from + (hay.len() - from) / 2;
    later.clear();
    let (mut a, mut sa) = (from, sid);
    let (mut b, mut sb) = (mid.saturating_sub(dfa.max_len()), start);
    while a < mid {
        (a, sa, b, sb) = to_match_2(dfa, hay, (a, sa, mid), (b, sb));
        if dfa.is_match(sa) {
            report_matches(dfa, sa, a, f);
        }
        if b > mid && dfa.is_match(sb) {
            report_matches(dfa, sb, b, &mut |s, e, id| later.push((s, e, id)));
        }
    }
    for &(s, e, id) in later.iter() {
        f(s, e, id);
    }
    // The second walk's rest, alone: it is longer than the first.
    one_lane(dfa, hay, (b, sb), f)
}

/// Calls `f(start, end, word)` for each word of the match state `sid` reached at `end`.
#[inline]
fn report_matches(dfa: &KeywordDfa, sid: u32, end: usize, f: &mut impl FnMut(usize, usize, usize)) {
    for &id in dfa.matches(sid) {
        f(end - dfa.word_len(id), end, id as usize);
    }
}

/// [`to_match`] for two walks at once: walk A over `hay[a..a_end]`, walk B from `b` on, a
/// byte each per step, until either reaches a match state or A its end.
#[inline(never)]
fn to_match_2(
    dfa: &KeywordDfa,
    hay: &[u8],
    (mut a, mut sa, a_end): (usize, u32, usize),
    (mut b, mut sb): (usize, u32),
) -> (usize, u32, usize, u32) {
    // B is never behind A's end by more than the buffer allows: it has `len - b >= a_end - a`
    // bytes left, since it starts at most `mid` bytes before the end.
    let (first, second) = (&hay[..a_end], &hay[b..]);
    let lanes = first[a..].iter().zip(second);
    for (&x, &y) in lanes {
        sa = dfa.next(sa, x);
        sb = dfa.next(sb, y);
        a += 1;
        b += 1;
        if dfa.is_match(sa) || dfa.is_match(sb) {
            break;
        }
    }
    (a, sa, b, sb)
}

/// Runs `dfa` from state `sid` over `hay[at..]` up to and including the first byte that leads
/// to a match state: returns the position after that byte and the state, or
/// the end of `hay` and a plain state. A function of its own, so that the state and position
/// stay in registers: inlined into the scan's large loop body, the state went through the stack
/// on every byte, which lengthened each byte's chain of dependent loads.
#[inline(never)]
fn to_match(dfa: &KeywordDfa, hay: &[u8], at: usize, mut sid: u32) -> (usize, u32) {
    for (i, &b) in hay.iter().enumerate().skip(at) {
        sid = dfa.next(sid, b);
        if dfa.is_match(sid) {
            return (i + 1, sid);
        }
    }
    (hay.len(), sid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::automaton::Automaton;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// The crate's automaton for `words`, with the semantics [`KeywordDfa`] promises.
    fn reference<W: AsRef<[u8]>>(words: &[W]) -> AhoCorasick {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(words)
            .expect("automaton")
    }

    /// Every (start, end, word) the crate's overlapping search reports, in its order.
    fn expected(reference: &AhoCorasick, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        reference
            .find_overlapping_iter(hay)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    fn found(dfa: &KeywordDfa, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        for_each_overlapping(dfa, hay, |s, e, p| got.push((s, e, p)));
        got
    }

    /// Random small word sets over a small alphabet (so that words are prefixes, suffixes and
    /// infixes of each other, in both cases, some twice), on random text of the same letters.
    #[test]
    fn random_word_sets_match_the_crate() {
        let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
        let alphabet = b"abAB.-\xc3\xa9 ";
        let mut total = 0;
        for round in 0..400 {
            let n = 1 + next(12) as usize;
            let words: Vec<Vec<u8>> = (0..n)
                .map(|_| {
                    let len = next(6) as usize + usize::from(round % 7 != 0);
                    (0..len)
                        .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                        .collect()
                })
                .collect();
            // The crate matches an empty word everywhere; the engine has none.
            if words.iter().any(Vec::is_empty) {
                let dfa = KeywordDfa::new(&words).expect("dfa");
                let hay = b"abab";
                assert!(
                    found(&dfa, hay)
                        .iter()
                        .all(|&(_, _, p)| !words[p].is_empty())
                );
                continue;
            }
            let dfa = KeywordDfa::new(&words).expect("dfa");
            let crate_dfa = reference(&words);
            for _ in 0..10 {
                let len = next(60) as usize;
                let hay: Vec<u8> = (0..len)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect();
                let want = expected(&crate_dfa, &hay);
                total += want.len();
                assert_eq!(found(&dfa, &hay), want, "{words:?} in {hay:?}");
            }
        }
        assert!(total > 10_000, "{total} matches compared");
    }

    /// The built-in catalogue's keywords and context words, on its detectors' examples.
    #[test]
    fn the_catalogue_words_match_the_crate() {
        let catalog = crate::detection::Catalog::builtin().expect("catalog");
        let mut words: Vec<String> = Vec::new();
        let mut text = String::new();
        for d in catalog.detectors() {
            words.extend(
                d.keywords
                    .iter()
                    .map(|w| w.trim_end_matches('*').to_string()),
            );
            words.extend(
                d.context
                    .words
                    .iter()
                    .map(|w| w.trim_end_matches('*').to_string()),
            );
            words.extend(
                d.context
                    .negative
                    .iter()
                    .map(|w| w.trim_end_matches('*').to_string()),
            );
            for e in d.examples.iter().chain(&d.negative_examples) {
                text.push_str(e);
                text.push('\n');
            }
        }
        // Upper-cased too: the pass folds ASCII case.
        text.push_str(&text.to_ascii_uppercase());
        words.retain(|w| !w.is_empty());
        assert!(words.len() > 1_000, "{} words", words.len());
        let dfa = KeywordDfa::new(&words).expect("dfa");
        // Case folded into the classes: under 60 % of the crate's DFA of the same words (about
        // half: 66 classes a row, where the crate pads its rows to 128).
        let crate_dfa = aho_corasick::dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .expect("crate dfa");
        assert!(
            5 * dfa.memory_usage() < 3 * crate_dfa.memory_usage(),
            "{} against {} bytes",
            dfa.memory_usage(),
            crate_dfa.memory_usage()
        );
        let want = expected(&reference(&words), text.as_bytes());
        assert!(want.len() > 1_000, "{} matches", want.len());
        assert_eq!(found(&dfa, text.as_bytes()), want);
        let (mut split, mut later) = (Vec::new(), Vec::new());
        for_each_overlapping_split(&dfa, text.as_bytes(), &mut later, |s, e, p| {
            split.push((s, e, p))
        });
        assert_eq!(split, want);
    }

    #[test]
    fn keyword_loop_finds_what_the_overlapping_iterator_finds() {
        let words = ["tel", "telefon", "ef", "fon", "a", "on", "Phone", "eph"];
        let build = KeywordDfa::new(&words).expect("dfa");
        let reference = reference(&words);
        let mut next = crate::testing::numbers(7);
        let alphabet = b"telfonaphTELFONAPH -";
        // Short buffers, and long ones that the split walk takes in two lanes (around and
        // past `TWO_LANES`, odd and even, words across the middle).
        let lens = (0..200)
            .chain((0..40).map(|i| TWO_LANES - 20 + i * 97))
            .chain([2 * PIECE - 1, 2 * PIECE, 3 * PIECE + 123, 4 * PIECE + 7]);
        for len in lens {
            // Random letters and whole words (in either case), so that long words occur too,
            // and one across the middle.
            let mut hay: Vec<u8> = Vec::with_capacity(len + 8);
            while hay.len() < len {
                match next(3) {
                    0 => {
                        let w = words[next(words.len() as u64) as usize];
                        hay.extend(w.bytes().map(|b| match next(2) {
                            0 => b.to_ascii_uppercase(),
                            _ => b.to_ascii_lowercase(),
                        }));
                    }
                    _ => hay.push(alphabet[next(alphabet.len() as u64) as usize]),
                }
            }
            hay.truncate(len);
            // Across the middle of the buffer, and of and between the pieces of long ones.
            let marks = (1..=len / PIECE).flat_map(|k| [k * PIECE, k * PIECE - PIECE / 2]);
            for mark in marks.chain([len / 2]).filter(|_| len >= TWO_LANES) {
                let at = mark - next(7) as usize;
                if at + 7 <= len {
                    hay[at..at + 7].copy_from_slice(b"telefon");
                }
            }
            let want = expected(&reference, &hay);
            let mut got = Vec::new();
            for_each_overlapping(&build, &hay, |s, e, p| got.push((s, e, p)));
            assert_eq!(got, want, "{}", String::from_utf8_lossy(&hay));
            let (mut split, mut later) = (Vec::new(), Vec::new());
            for_each_overlapping_split(&build, &hay, &mut later, |s, e, p| split.push((s, e, p)));
            assert_eq!(split, want, "split walk of {len} bytes");
        }
    }
}
