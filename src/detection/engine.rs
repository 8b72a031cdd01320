//! The matching engine: one pass of cheap prefilters per buffer, then multi-pattern regexes
//! only where a match is possible, then validators and context only on candidates.
//!
//! Patterns are split into groups by how they can be prefiltered:
//!
//! * **keyword** groups — detectors that declare `keywords`: one Aho-Corasick pass finds the
//!   keywords, and the group's regex runs only in windows around them;
//! * **context-word** groups — a detector's patterns that require context (when only its
//!   context words can supply it): the same pass finds those words, and the regex runs only
//!   within the context window of one (or over a field whose name supports the detector);
//! * **capitalised-word** groups — detectors with a `prefilter` (names, addresses): windows
//!   around capitalised words, for names only those that may belong to an accepted name;
//! * **digit-run** groups — patterns whose every match contains a run of at least `k` ASCII
//!   digits ([`analyze::min_digit_run`]): a byte loop finds such runs and the regex runs in
//!   windows around them;
//! * **byte** groups — patterns whose every match contains one of a few rare bytes (`@` for
//!   e-mail, `:` for IPv6; [`analyze::required_bytes`]): `memchr` finds them;
//! * the **everywhere** group — the rest, searched over the whole buffer.
//!
//! Each group is one `regex-automata` meta regex built with `build_many`, which reports the
//! pattern that matched and where. The other patterns of the group that match at the same
//! position get their chance too (when they can start with the byte there), so that a
//! Luhn-failing 9-digit card shape does not hide a valid national number of the same shape.
//!
//! Scanning allocates nothing per candidate: all buffers live in a reusable [`Scratch`].

use std::ops::Range;

use regex_automata::{
    Anchored, Input, MatchKind, PatternID, PatternSet,
    meta::{self, Regex},
    nfa::thompson::{
        self,
        backtrack::{self, BoundedBacktracker},
    },
    util::captures::Captures,
};
use regex_syntax::hir::{self, Hir};

use super::analyze;
use super::catalog::{Catalog, Detector, Prefilter};
use super::context::{self, ContextMatcher, Words};
use super::keywords::{KeywordDfa, for_each_overlapping, for_each_overlapping_split};
use super::name_shapes::{self, NameShapes};
use super::validate::{self, Ctx, Verdict};
use crate::error::{DetectorError, Result};

/// Options of the engine.
#[derive(Debug, Clone, Copy)]
pub struct EngineOptions {
    /// Hits below this confidence are not reported.
    pub min_confidence: f32,
    /// "Today", for validators that judge plausibility (dates of birth).
    pub today: (i32, u8, u8),
    /// The regions whose national phone numbers (without a country code) are valid.
    pub phone_regions: validate::PhoneRegions,
}

impl Default for EngineOptions {
    fn default() -> Self {
        let now = jiff::ZonedDateTime::now();
        EngineOptions {
            min_confidence: 0.5,
            today: (i32::from(now.year()), now.month() as u8, now.day() as u8),
            phone_regions: validate::PhoneRegions::DEFAULT,
        }
    }
}

/// A reported match: detector, span in the scanned buffer, and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the detector in [`Engine::detectors`].
    pub detector: u16,
    /// Index of the pattern within the detector.
    pub pattern: u16,
    /// Start of the match (byte offset in the buffer).
    pub start: usize,
    /// End of the match (exclusive).
    pub end: usize,
    /// Final confidence in `0..=1`.
    pub confidence: f32,
    /// The validator flagged a well-known test or reserved value.
    pub test_value: bool,
    /// A context word was found near the match.
    pub context: bool,
    /// A supporting context word stands on the match's own line, or the field's name supports
    /// it: between two detectors' hits on the same span with the same confidence, this one wins.
    pub context_on_line: bool,
}

/// Confidence cap of well-known test and reserved values: below the default threshold, so
/// they are reported only when asked for (`--min-confidence 0.4`).
pub const TEST_VALUE_CONFIDENCE: f32 = 0.4;

/// Flag of a word owner ([`Engine::keyword_owner`]) for context words.
const CONTEXT_WORD: u16 = 0x8000;

/// Windows closer than this are searched as one.
const MERGE_GAP: usize = 256;

/// A required byte set at most this costly ([`analyze::byte_cost`]) is preferred to digit runs.
const RARE_COST: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Trigger {
    /// Keywords of one detector (one shared Aho-Corasick pass finds all detectors' keywords).
    Keywords(u16),
    /// Context words of one detector, for its patterns that require context (found by the same
    /// pass as keywords).
    Context(u16),
    /// Capitalised words, for one detector.
    Capitalised(u16),
    Bytes(Vec<u8>),
    DigitRun(usize),
    /// Runs of colons an IPv6 address needs (pattern prefilter `ipv6`).
    Colons,
    Everywhere,
}

#[derive(Debug)]
struct Group {
    trigger: Trigger,
    /// Leftmost-first regex over the group's patterns. (Where `shapes` stand in for it,
    /// release builds leave it empty: a regex of as many patterns that never match.)
    regex: Regex,
    /// `MatchKind::All` twin, which says which other patterns match at a candidate's start:
    /// built for groups without a `leading` table, and in debug builds to check the table.
    all: Option<Regex>,
    /// Per position of a match's first [`analyze::LEADING`] and per byte: the group-local
    /// patterns (a bit per id) whose matches can have that byte there
    /// ([`analyze::leading_bytes`]), so that another pattern gets an anchored search at a
    /// candidate's start only if it could match there. Empty when the group has one pattern,
    /// or more than 64 (the twin then says which match).
    leading: Vec<[u64; 256]>,
    /// Group-local pattern id → (detector, pattern) indices.
    patterns: Vec<(u16, u16)>,
    /// Group-local pattern id → how to find the reported span in a match (`Whole` where
    /// `shapes` find the spans, in release builds).
    value_group: Vec<ValueSpan>,
    /// Longest match of any pattern in the group (plus keyword distance for keyword groups).
    pad: usize,
    /// For capitalised-word groups: which capitalised words open a window (all when `None`).
    gate: Option<fn(&[u8], usize) -> bool>,
    /// Whether every pattern's matches hold a line feed only as their first or last byte
    /// ([`analyze::within_line`]).
    within_line: bool,
    /// The token-level matcher that stands in for `regex` and `all` (the built-in
    /// `person_name` patterns).
    shapes: Option<NameShapes>,
}

impl Group {
    /// The group-local patterns other than `pid` (a bit per id) whose leading bytes fit
    /// `hay` at `at`: only these can match there too. All at the beginning of the haystack
    /// (where `^` holds, which the table leaves out); `None` when the group has no table.
    fn others_at(&self, pid: PatternID, hay: &[u8], at: usize) -> Option<u64> {
        if self.leading.is_empty() {
            return None;
        }
        let mut bits = (u64::MAX >> (64 - self.patterns.len())) & !(1 << pid.as_usize());
        if at == 0 {
            return Some(bits);
        }
        let rest = hay.get(at..).unwrap_or_default();
        for (table, &b) in self.leading.iter().zip(rest) {
            bits &= table[usize::from(b)];
        }
        Some(bits)
    }
}

/// How the reported span is found in a match of a pattern.
#[derive(Debug)]
enum ValueSpan {
    /// The whole match (no `value` group).
    Whole,
    /// Bytes the value cannot start or end with are trimmed from the match
    /// ([`analyze::value_trim`]): (first bytes, last bytes) of the value, as bit sets.
    Trim([u64; 4], [u64; 4]),
    /// The pattern's own backtracker finds the `value` group (the group's would clear a
    /// visited set sized by every pattern of the group for each candidate); with the group's
    /// index in its captures, looked up once (by name it is hashed per candidate).
    Capture(BoundedBacktracker, usize),
    /// Found by [`Solver`]; the backtracker stays as a fallback (and, in debug builds, checks
    /// every span the solver finds).
    Solve(Solver, BoundedBacktracker, usize),
    /// The match without its first and last byte, away from the haystack's ends
    /// ([`analyze::value_between`]); the backtracker at the ends (and, in debug builds, as
    /// a check everywhere).
    Between(BoundedBacktracker, usize),
}

/// Finds the `value` group of a pattern whose prefix is a few fixed alternatives
/// ([`analyze::value_start`]): the end by trimming, the start by trying the alternatives in
/// priority order, each checked by an anchored `(?:core)$` match.
#[derive(Debug)]
struct Solver {
    prefixes: Vec<analyze::Prefix>,
    /// The value's core followed by `$`.
    core: Regex,
    /// The bytes the value can end with.
    last: [u64; 4],
}

impl Solver {
    fn span(&self, hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        let end = trim_end(&self.last, hay, start, end);
        for prefix in &self.prefixes {
            let at = match prefix {
                analyze::Prefix::Start => (start == 0).then_some(start),
                analyze::Prefix::Bytes(sets) => {
                    let at = start + sets.len();
                    (at <= end
                        && sets
                            .iter()
                            .zip(&hay[start..at])
                            .all(|(set, &b)| in_set(set, b)))
                    .then_some(at)
                }
            };
            let Some(at) = at else { continue };
            let input = Input::new(&hay[..end])
                .range(at..end)
                .anchored(Anchored::Yes);
            if self.core.is_match(input) {
                return Some((at, end));
            }
        }
        None
    }
}

/// Compiles the group of `patterns` ((detector, pattern) indices) that `trigger` opens
/// windows for: its regex, its leading-bytes table (or the `MatchKind::All` twin), and how each
/// pattern's value is found.
fn compile_group(
    detectors: &[Detector],
    trigger: Trigger,
    patterns: Vec<(u16, u16)>,
) -> Result<Group> {
    let hirs: Vec<&Hir> = patterns
        .iter()
        .map(|&(d, p)| &*detectors[usize::from(d)].patterns[usize::from(p)].hir)
        .collect();
    let first = &detectors[usize::from(patterns[0].0)];
    // The windows already are the prefilter. The regex's own literal prefilter would fire on
    // every number in digit-run windows, and for keyword groups (the special-category term
    // lists) it is built from hundreds of literals for windows a few hundred bytes long:
    // without it, a one-line scan takes 355 instead of 384 M instructions, and the samples
    // less too. Groups of a required byte keep it: for `@` the regex then searches outwards
    // from each `@` (its reverse-inner strategy) instead of the whole window around it, which
    // is as long as the longest e-mail address on each side (sample 4.56 -> 4.52 G, accuracy
    // corpus 4.15 -> 4.05 G).
    let prefilter = !matches!(
        trigger,
        Trigger::DigitRun(_) | Trigger::Capitalised(_) | Trigger::Context(_) | Trigger::Keywords(_)
    );
    let build = |kind: MatchKind| {
        let config = meta::Config::new()
            .match_kind(kind)
            .utf8_empty(false)
            .auto_prefilter(prefilter)
            // Word-structured patterns (names, addresses) visit many DFA states in
            // text dense with candidates; a roomier lazy-DFA cache keeps them from being
            // determinised again and again.
            .hybrid_cache_capacity(if matches!(trigger, Trigger::Capitalised(_)) {
                16 << 20
            } else {
                2 << 20
            });
        Regex::builder()
            .configure(config)
            .build_many_from_hir(&hirs)
            .map_err(|e| engine_error(first, e.to_string()))
    };
    let shapes = match trigger {
        Trigger::Capitalised(d) if patterns.iter().all(|&(pd, _)| pd == d) => {
            let d = &detectors[usize::from(d)];
            let all = patterns
                .iter()
                .map(|&(_, p)| usize::from(p))
                .eq(0..d.patterns.len());
            all.then(|| NameShapes::new(d)).flatten()
        }
        _ => None,
    };
    // The shapes stand in for the regex, its twin and the value spans: release builds compile
    // none of them (the `person_name` group's took 21 M instructions, a tenth of start-up),
    // debug builds do, to check every step of the shapes against them.
    let unused = shapes.is_some() && !cfg!(debug_assertions);
    let regex = if unused {
        Regex::builder()
            .build_many_from_hir(&vec![Hir::fail(); hirs.len()])
            .map_err(|e| engine_error(first, e.to_string()))?
    } else {
        build(MatchKind::LeftmostFirst)?
    };
    // The leading-bytes table names the other patterns that can match where one did; the
    // twin, which says which do, is needed without a table (over 64 patterns) and checks the
    // table in debug builds.
    let table = (2..=64).contains(&patterns.len()) && !unused;
    let all = if patterns.len() > 1 && !unused && (!table || cfg!(debug_assertions)) {
        Some(build(MatchKind::All)?)
    } else {
        None
    };
    let mut leading = Vec::new();
    if table {
        leading = vec![[0u64; 256]; analyze::LEADING];
        for (pid, hir) in hirs.iter().enumerate() {
            let sets = analyze::leading_bytes(hir);
            for (i, table) in leading.iter_mut().enumerate() {
                for (b, bits) in (0..=u8::MAX).zip(table.iter_mut()) {
                    // Past the positions every match reaches, any byte may follow.
                    if sets.get(i).is_none_or(|set| in_set(set, b)) {
                        *bits |= 1 << pid;
                    }
                }
            }
        }
    }
    let mut pad = 0;
    for &(d, p) in &patterns {
        let det = &detectors[usize::from(d)];
        let extra = match trigger {
            Trigger::Keywords(_) => {
                det.keyword_window + det.keywords.iter().map(String::len).max().unwrap_or(0)
            }
            // A context word counts within `window` bytes of either end of the match.
            Trigger::Context(_) => det.context.window,
            _ => 0,
        };
        pad = pad.max(det.patterns[usize::from(p)].max_len + extra);
    }
    let value_group = patterns
        .iter()
        .map(|&(d, p)| {
            let error = |e: String| engine_error(&detectors[usize::from(d)], e);
            let pattern = &detectors[usize::from(d)].patterns[usize::from(p)];
            if !pattern.value_group || unused {
                return Ok(ValueSpan::Whole);
            }
            if let Some((first, last)) = analyze::value_trim(&pattern.hir) {
                return Ok(ValueSpan::Trim(first, last));
            }
            let between = analyze::value_between(&pattern.hir);
            let solver = analyze::value_start(&pattern.hir)
                .filter(|_| !between)
                .map(|(prefixes, core, last)| {
                    let anchored = Hir::concat(vec![core, Hir::look(hir::Look::End)]);
                    Regex::builder()
                        .configure(Regex::config().auto_prefilter(false))
                        .build_from_hir(&anchored)
                        .map(|core| Solver {
                            prefixes,
                            core,
                            last,
                        })
                        .map_err(|e| error(e.to_string()))
                })
                .transpose()?;
            let nfa = thompson::Compiler::new()
                .configure(thompson::Config::new().utf8(false))
                .build_from_hir(&pattern.hir)
                .map_err(|e| error(e.to_string()))?;
            let index = nfa
                .group_info()
                .to_index(PatternID::ZERO, "value")
                .ok_or_else(|| error("no value group".into()))?;
            BoundedBacktracker::new_from_nfa(nfa)
                .map(|bt| match solver {
                    _ if between => ValueSpan::Between(bt, index),
                    Some(solver) => ValueSpan::Solve(solver, bt, index),
                    None => ValueSpan::Capture(bt, index),
                })
                .map_err(|e| error(e.to_string()))
        })
        .collect::<std::result::Result<Vec<_>, DetectorError>>()?;
    let gate = match detectors[usize::from(patterns[0].0)].prefilter {
        Some(Prefilter::NameWords) if matches!(trigger, Trigger::Capitalised(_)) => {
            Some(validate::may_hold_name_word as fn(&[u8], usize) -> bool)
        }
        _ => None,
    };
    Ok(Group {
        shapes,
        gate,
        within_line: hirs.iter().all(|h| analyze::within_line(h)),
        trigger,
        regex,
        all,
        leading,
        patterns,
        value_group,
        pad,
    })
}

/// The end of `hay[start..end]` without the trailing bytes outside `last` (the bytes a value
/// can end with).
fn trim_end(last: &[u64; 4], hay: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && !in_set(last, hay[end - 1]) {
        end -= 1;
    }
    end
}

/// Whether byte `b` is in the 256-bit `set`.
#[inline]
fn in_set(set: &[u64; 4], b: u8) -> bool {
    set[usize::from(b >> 6)] >> (b & 63) & 1 == 1
}

/// A compiled detector set. Cheap to share across threads; each thread needs a [`Scratch`].
#[derive(Debug)]
pub struct Engine {
    detectors: Vec<Detector>,
    contexts: Vec<ContextMatcher>,
    groups: Vec<Group>,
    keywords: Option<KeywordDfa>,
    /// Per detector: the detectors whose hits count as its context (`context.detectors`).
    context_detectors: Vec<Vec<u16>>,
    /// Word pattern id of `keywords` → owner: a detector index for its keywords, the same with
    /// [`CONTEXT_WORD`] set for its context words.
    keyword_owner: Vec<u16>,
    /// Word pattern id of `keywords` → whether the word is a stem (`ssn*`: more letters may
    /// follow).
    keyword_stem: Vec<bool>,
    /// Pattern ids of `keywords` from this one on are context words (supporting or negative)
    /// of the detectors' context rules, each word once: the pass finds them for
    /// [`ContextMatcher`]s, which otherwise search around every candidate.
    context_base: usize,
    /// Per context word (pattern id − `context_base`): the detectors whose rules hold it, and
    /// whether it is a negative word there.
    context_roles: Vec<Vec<(u16, bool)>>,
    /// Widest window pad of a keyword or context-word group.
    keyword_pad: usize,
    /// Widest window pad of a capitalised-word group (0: there is none).
    capitalised_pad: Option<usize>,
    /// For the digit-run groups: the shortest run any of them needs, and their widest window
    /// pad (`None`: there is none). One pass finds the runs for all of them.
    digit_runs: Option<(usize, usize)>,
    /// Per detector: its keywords with word rules, to confirm a keyword near a candidate
    /// where the keyword pass did not search. Built on first use: the pass serves nearly
    /// every candidate, and the special categories' lists cost 26 M instructions to compile.
    keyword_words: Vec<std::sync::OnceLock<Option<Words>>>,
    /// Per detector: its validator runs before the context look-up
    /// ([`validate::runs_before_context`]).
    validate_first: Vec<bool>,
    options: EngineOptions,
    ctx: Ctx,
    lookbehind: usize,
    lookahead: usize,
}

/// What a field name (column, CSV header, JSON key path) says to each detector: structural
/// context that counts exactly like a context word or keyword next to the value. Built once
/// per field with [`Engine::field_context`], used with [`Engine::scan_field`].
#[derive(Debug, Default)]
pub struct FieldContext {
    /// Per detector: what the name says.
    verdicts: Vec<context::Verdict>,
    /// Per detector: the name holds one of its keywords.
    keywords: Vec<bool>,
    /// Some group needs the keyword pass over the value: its detector's keyword (or context
    /// word) is not in the name (groups of detectors the name names search the whole value).
    keyword_pass: bool,
    /// The same, among the groups [`Engine::rescan_field`] runs.
    keyword_pass_supported: bool,
    /// Some group [`Engine::rescan_field`] runs is opened by capitalised words.
    capitals_supported: bool,
    /// Per group: it holds a detector the name supports ([`Engine::rescan_field`] runs only
    /// those).
    supported_groups: Vec<bool>,
    /// Whether this context applies (false in a scratch outside `scan_field`).
    active: bool,
    /// Whether only the detectors the name supports are scanned for ([`Engine::rescan_field`]).
    only_supported: bool,
}

/// `clone_from` reuses the buffers: [`Engine::scan_field`] copies the context into the
/// scratch once per field value (a derived `Clone` would allocate four vectors each time).
impl Clone for FieldContext {
    fn clone(&self) -> Self {
        FieldContext {
            verdicts: self.verdicts.clone(),
            keywords: self.keywords.clone(),
            keyword_pass: self.keyword_pass,
            keyword_pass_supported: self.keyword_pass_supported,
            capitals_supported: self.capitals_supported,
            supported_groups: self.supported_groups.clone(),
            active: self.active,
            only_supported: self.only_supported,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.verdicts.clone_from(&source.verdicts);
        self.keywords.clone_from(&source.keywords);
        self.keyword_pass = source.keyword_pass;
        self.keyword_pass_supported = source.keyword_pass_supported;
        self.capitals_supported = source.capitals_supported;
        self.supported_groups.clone_from(&source.supported_groups);
        self.active = source.active;
        self.only_supported = source.only_supported;
    }
}

impl FieldContext {
    /// Whether the name suppresses detector `di` (a negative word).
    pub fn suppresses(&self, di: usize) -> bool {
        self.verdicts.get(di) == Some(&context::Verdict::Suppressed)
    }

    /// Whether the name supports detector `di` (a context word or keyword).
    pub fn supports(&self, di: usize) -> bool {
        self.verdicts.get(di) == Some(&context::Verdict::Supported)
            || self.keywords.get(di) == Some(&true)
    }
}

/// Per-thread mutable state of a scan: regex caches and reusable buffers.
#[derive(Debug)]
pub struct Scratch {
    caches: Vec<meta::Cache>,
    all_caches: Vec<Option<meta::Cache>>,
    patset: Vec<PatternSet>,
    captures: Vec<Captures>,
    /// Per group and pattern: cache and captures of the pattern's `value` backtracker.
    values: Vec<Vec<Option<(backtrack::Cache, Captures)>>>,
    windows: Vec<Range<usize>>,
    /// Keyword and context-word hits of the current scan: (owner, start, end), sorted.
    keyword_hits: Vec<(u16, usize, usize)>,
    /// Buffers of [`sort_by_owner`].
    sort_spare: Vec<(u16, usize, usize)>,
    /// Matches of the keyword pass's second lane, reported after the first lane's
    /// ([`for_each_overlapping_split`]).
    keyword_later: Vec<(usize, usize, usize)>,
    sort_counts: Vec<usize>,
    /// Context words found by the keyword pass, standing as words: (start, end, word index
    /// into `Engine::context_roles`), by end.
    context_words: Vec<(usize, usize, u32)>,
    /// The bytes the keyword pass searched (context words inside it are all in
    /// `context_words`); `None` when it did not run.
    context_span: Option<Range<usize>>,
    /// Capitalised word starts of the current scan.
    capitals: Vec<usize>,
    /// Digit runs of the current scan (found when the first digit-run group runs).
    digit_runs: Vec<(usize, usize)>,
    hits: Vec<Hit>,
    field: FieldContext,
    /// Where a [`NameShapes`] group's patterns may start in the current window.
    shape_starts: Vec<usize>,
}

impl Scratch {
    /// The hits of the last [`Engine::scan`], sorted by start, without overlaps.
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }
}

fn engine_error(detector: &Detector, message: String) -> DetectorError {
    DetectorError {
        file: detector.origin.clone(),
        detector: detector.id.to_string(),
        field: "pattern".into(),
        message,
    }
}

impl Engine {
    /// Compiles every detector of `catalog`.
    pub fn new(catalog: &Catalog, options: EngineOptions) -> Result<Engine> {
        Engine::build(catalog, options, true)
    }

    /// [`Engine::new`]; with `context_prefilter` off, patterns that require context are searched
    /// like the others instead of only around their detector's context words (for tests that
    /// check the prefilter loses nothing).
    fn build(catalog: &Catalog, options: EngineOptions, context_prefilter: bool) -> Result<Engine> {
        let detectors = catalog.detectors().to_vec();
        if detectors.len() >= usize::from(CONTEXT_WORD) {
            return Err(DetectorError {
                file: "?".into(),
                detector: "?".into(),
                field: "id".into(),
                message: "too many detectors".into(),
            }
            .into());
        }
        // Assign every pattern to a group.
        let mut plan: Vec<(Trigger, Vec<(u16, u16)>)> = Vec::new();
        let mut keywords = Vec::new();
        let mut keyword_owner = Vec::new();
        let mut keyword_stem = Vec::new();
        let mut lookbehind = 0;
        let mut lookahead = 0;
        for (di, d) in detectors.iter().enumerate() {
            for kw in &d.keywords {
                keywords.push(kw.trim_end_matches('*').to_string());
                keyword_owner.push(di as u16);
                keyword_stem.push(kw.ends_with('*'));
            }
            // Patterns that require context can only be reported near a context word, unless
            // other detectors' hits or a field name can stand in for one.
            let gate = context_prefilter
                && d.keywords.is_empty()
                && d.prefilter.is_none()
                && d.context.detectors.is_empty()
                && !d.context.words.is_empty();
            if gate && d.patterns.iter().any(|p| p.require_context) {
                for w in &d.context.words {
                    keywords.push(w.trim_end_matches('*').to_string());
                    keyword_owner.push(di as u16 | CONTEXT_WORD);
                    keyword_stem.push(w.ends_with('*'));
                }
            }
            for (pi, p) in d.patterns.iter().enumerate() {
                let rare = p.required_bytes.as_ref().filter(|set| {
                    set.iter().map(|&b| analyze::byte_cost(b)).sum::<u32>() <= RARE_COST
                });
                // Keyword and capitalised-word groups are per detector: their windows differ per
                // detector, and one regex over several large word lists would be slow.
                let trigger = if !d.keywords.is_empty() {
                    Trigger::Keywords(di as u16)
                } else if gate && p.require_context {
                    Trigger::Context(di as u16)
                } else if d.prefilter.is_some() {
                    Trigger::Capitalised(di as u16)
                } else if p.prefilter == Some(Prefilter::Ipv6) {
                    Trigger::Colons
                } else if let Some(set) = rare {
                    Trigger::Bytes(set.clone())
                } else if p.digit_run > 0 {
                    // Bucketed, so that two passes cover all digit shapes: runs of 6 and more
                    // are rarer (ids, long numbers) than short ones, which are everywhere in
                    // logs and need one shared pass.
                    Trigger::DigitRun(match p.digit_run {
                        1..=5 => 1,
                        _ => 6,
                    })
                } else if let Some(set) = &p.required_bytes {
                    Trigger::Bytes(set.clone())
                } else {
                    Trigger::Everywhere
                };
                match plan.iter_mut().find(|(t, _)| *t == trigger) {
                    Some((_, list)) => list.push((di as u16, pi as u16)),
                    None => plan.push((trigger, vec![(di as u16, pi as u16)])),
                }
                let reach = p.max_len + d.context.window.max(d.keyword_window);
                lookbehind = lookbehind.max(reach);
                lookahead = lookahead.max(reach);
            }
        }
        // Context words join the pass only when it runs anyway: a pass for them alone would cost
        // every byte what only candidates cost without it (`--only email`).
        let context_base = keywords.len();
        let mut context_roles: Vec<Vec<(u16, bool)>> = Vec::new();
        let mut context_index: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        let joined = if keywords.is_empty() {
            &[][..]
        } else {
            &detectors[..]
        };
        for (di, d) in joined.iter().enumerate() {
            let negative = d.context.negative.iter().map(|w| (w, true));
            for (w, negative) in negative.chain(d.context.words.iter().map(|w| (w, false))) {
                let i = *context_index.entry(w.as_str()).or_insert_with(|| {
                    keywords.push(w.trim_end_matches('*').to_string());
                    keyword_stem.push(w.ends_with('*'));
                    context_roles.push(Vec::new());
                    context_roles.len() - 1
                });
                context_roles[i].push((di as u16, negative));
            }
        }
        // Start-up is most of a small scan's time, so two threads share it. The second builds
        // the keyword automaton and loads the name lists the `person_name` validator would
        // otherwise load on the first capitalised word, while the first compiles groups; then
        // both take the groups left, the capitalised-word groups (names, addresses: the longest
        // to compile) first.
        let build_keywords = || -> Result<Option<KeywordDfa>> {
            if keywords.is_empty() {
                return Ok(None);
            }
            // Keyword lists run to hundreds of words (special categories): a DFA keeps the
            // pass over every byte at one table look-up per byte. It is driven directly
            // (see `scan_inner`); with that many words no prefilter would apply.
            KeywordDfa::new(&keywords).map(Some).map_err(|e| {
                DetectorError {
                    file: "?".into(),
                    detector: "?".into(),
                    field: "keywords".into(),
                    message: e.to_string(),
                }
                .into()
            })
        };
        let names = detectors.iter().any(|d| {
            d.validator
                .as_ref()
                .is_some_and(|(v, _)| v == "person_name")
        });
        let mut order: Vec<usize> = (0..plan.len()).collect();
        order.sort_by_key(|&i| !matches!(plan[i].0, Trigger::Capitalised(_)));
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let compile_groups = || {
            let mut done = Vec::new();
            loop {
                let k = taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = order.get(k) else {
                    return done;
                };
                let (trigger, patterns) = &plan[i];
                done.push((
                    i,
                    compile_group(&detectors, trigger.clone(), patterns.clone()),
                ));
            }
        };
        let side = || {
            let keywords = build_keywords();
            if names {
                validate::warm_up_names();
            }
            (keywords, compile_groups())
        };
        let (groups, keywords) = std::thread::scope(|scope| {
            let side = scope.spawn(side);
            let mut groups = compile_groups();
            let (keywords, more) = side
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            groups.extend(more);
            groups.sort_unstable_by_key(|g| g.0);
            let groups: Result<Vec<Group>> = groups.into_iter().map(|g| g.1).collect();
            (groups, keywords)
        });
        let (mut groups, keywords) = (groups?, keywords?);
        // Detectors with the same negative field names share one automaton for them.
        let mut field_lists: Vec<(&[String], Option<Words>)> = Vec::new();
        let contexts = detectors
            .iter()
            .map(|d| {
                let list = d.context.negative_fields.as_slice();
                let fields = match field_lists.iter().find(|(l, _)| *l == list) {
                    Some((_, words)) => words.clone(),
                    None => {
                        let words = Words::new(list);
                        field_lists.push((list, words.clone()));
                        words
                    }
                };
                ContextMatcher::with_fields(&d.context, fields)
            })
            .collect();
        let keyword_words = detectors.iter().map(|_| Default::default()).collect();
        let validate_first = detectors
            .iter()
            .map(|d| {
                d.validator
                    .as_ref()
                    .is_some_and(|(name, _)| validate::runs_before_context(name))
            })
            .collect();
        let context_detectors: Vec<Vec<u16>> = detectors
            .iter()
            .map(|d| {
                d.context
                    .detectors
                    .iter()
                    .filter_map(|id| detectors.iter().position(|x| *x.id == **id))
                    .map(|i| i as u16)
                    .collect()
            })
            .collect();
        let capitalised_pad = groups
            .iter()
            .filter(|g| matches!(g.trigger, Trigger::Capitalised(_)))
            .map(|g| g.pad)
            .max();
        let digit_runs = groups
            .iter()
            .filter_map(|g| match g.trigger {
                Trigger::DigitRun(k) => Some((k, g.pad)),
                _ => None,
            })
            .reduce(|(k, pad), (k2, pad2)| (k.min(k2), pad.max(pad2)));
        // Detectors that serve as others' context run first, so their hits are there in time.
        let serves: Vec<bool> = (0..detectors.len())
            .map(|i| context_detectors.iter().any(|c| c.contains(&(i as u16))))
            .collect();
        groups.sort_by_key(|g| !g.patterns.iter().any(|&(d, _)| serves[usize::from(d)]));
        let keyword_pad = groups
            .iter()
            .filter(|g| matches!(g.trigger, Trigger::Keywords(_) | Trigger::Context(_)))
            .map(|g| g.pad)
            .max()
            .unwrap_or(0);
        Ok(Engine {
            ctx: Ctx {
                today: options.today,
                context: false,
                field: false,
                phone_regions: options.phone_regions,
            },
            detectors,
            contexts,
            groups,
            keywords,
            keyword_owner,
            keyword_stem,
            context_base,
            context_roles,
            keyword_pad,
            capitalised_pad,
            digit_runs,
            context_detectors,
            keyword_words,
            validate_first,
            options,
            lookbehind,
            lookahead,
        })
    }

    /// The compiled detectors; [`Hit::detector`] indexes this slice.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// The options the engine was built with.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Bytes of text before a reported match that the engine may look at (context, keywords).
    /// Callers that scan a stream in chunks keep this much of the previous chunk.
    pub fn lookbehind(&self) -> usize {
        self.lookbehind
    }

    /// Bytes after the start of a reported match that the engine may look at.
    pub fn lookahead(&self) -> usize {
        self.lookahead
    }

    /// A fresh scratch space for one thread.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            caches: self.groups.iter().map(|g| g.regex.create_cache()).collect(),
            all_caches: self
                .groups
                .iter()
                .map(|g| g.all.as_ref().map(Regex::create_cache))
                .collect(),
            patset: self
                .groups
                .iter()
                .map(|g| PatternSet::new(g.patterns.len()))
                .collect(),
            captures: self
                .groups
                .iter()
                .map(|g| g.regex.create_captures())
                .collect(),
            values: self
                .groups
                .iter()
                .map(|g| {
                    g.value_group
                        .iter()
                        .map(|v| match v {
                            ValueSpan::Capture(b, _)
                            | ValueSpan::Solve(_, b, _)
                            | ValueSpan::Between(b, _) => {
                                Some((b.create_cache(), b.create_captures()))
                            }
                            _ => None,
                        })
                        .collect()
                })
                .collect(),
            windows: Vec::new(),
            keyword_hits: Vec::new(),
            sort_spare: Vec::new(),
            keyword_later: Vec::new(),
            sort_counts: Vec::new(),
            context_words: Vec::new(),
            context_span: None,
            capitals: Vec::new(),
            digit_runs: Vec::new(),
            hits: Vec::new(),
            field: FieldContext::default(),
            shape_starts: Vec::new(),
        }
    }

    /// Scans `hay` and leaves in `scratch` the hits that start inside `report`, sorted by start,
    /// overlaps resolved, at or above the minimum confidence. Text outside `report` serves as
    /// context only: chunked callers pass the whole buffer and the range they own.
    pub fn scan(&self, hay: &[u8], report: Range<usize>, scratch: &mut Scratch) {
        scratch.field.active = false;
        self.scan_inner(hay, report, scratch);
    }

    /// What the field name `name` says to each detector (see [`FieldContext`]).
    pub fn field_context(&self, name: &str) -> FieldContext {
        let name = name.as_bytes();
        let (verdicts, keywords) = match &self.keywords {
            Some(dfa) => self.name_words(dfa, name),
            None => (
                self.contexts
                    .iter()
                    .map(|c| c.evaluate_name(name))
                    .collect(),
                vec![false; self.detectors.len()],
            ),
        };
        let mut field = FieldContext {
            verdicts,
            keywords,
            active: true,
            ..FieldContext::default()
        };
        field.supported_groups = self
            .groups
            .iter()
            .map(|g| {
                g.patterns
                    .iter()
                    .any(|&(di, _)| field.supports(usize::from(di)))
            })
            .collect();
        // Which groups would take windows from the keyword pass (see `windows`).
        let needs_pass = |g: &Group| match g.trigger {
            Trigger::Keywords(di) => field.keywords.get(usize::from(di)) != Some(&true),
            Trigger::Context(di) => !field.supports(usize::from(di)),
            _ => false,
        };
        let supported = || {
            self.groups
                .iter()
                .zip(&field.supported_groups)
                .filter(|(_, s)| **s)
                .map(|(g, _)| g)
        };
        let keyword_pass = self.groups.iter().any(needs_pass);
        let keyword_pass_supported = supported().any(needs_pass);
        let capitals_supported = supported().any(|g| matches!(g.trigger, Trigger::Capitalised(_)));
        FieldContext {
            keyword_pass,
            keyword_pass_supported,
            capitals_supported,
            ..field
        }
    }

    /// Per detector, what the words of field name `name` say (as
    /// [`ContextMatcher::evaluate_name`] says) and whether it holds one of its keywords, from
    /// one run of the keyword pass's automaton over the name, which holds every detector's
    /// keywords and context words: a field name costs one short pass, not a search per
    /// detector (the special categories' automata cost 65 M instructions to build, and field
    /// names 70 M to search, on the accuracy corpus).
    fn name_words(&self, dfa: &KeywordDfa, name: &[u8]) -> (Vec<context::Verdict>, Vec<bool>) {
        use context::Verdict::{Absent, Supported, Suppressed};
        let n = self.detectors.len();
        let (mut verdicts, mut keywords) = (vec![Absent; n], vec![false; n]);
        for_each_overlapping(dfa, name, |s, e, id| {
            if !(context::at_word_start(name, s)
                && (self.keyword_stem[id] || context::at_word_end(name, e)))
            {
                return;
            }
            match id.checked_sub(self.context_base) {
                Some(word) => {
                    for &(di, negative) in &self.context_roles[word] {
                        let verdict = &mut verdicts[usize::from(di)];
                        if negative {
                            *verdict = Suppressed;
                        } else if *verdict == Absent {
                            *verdict = Supported;
                        }
                    }
                }
                None => {
                    let owner = self.keyword_owner[id];
                    if owner & CONTEXT_WORD == 0 {
                        keywords[usize::from(owner)] = true;
                    }
                }
            }
        });
        for (verdict, context) in verdicts.iter_mut().zip(&self.contexts) {
            if context.negative_field(name) {
                *verdict = Suppressed;
            }
        }
        if cfg!(debug_assertions) {
            for (di, context) in self.contexts.iter().enumerate() {
                debug_assert_eq!(verdicts[di], context.evaluate_name(name), "field {name:?}");
                let own = self.keyword_words[di]
                    .get_or_init(|| Words::new(&self.detectors[di].keywords))
                    .as_ref()
                    .is_some_and(|w| w.any_in(name, 0, name.len()));
                debug_assert_eq!(keywords[di], own, "keywords in field {name:?}");
            }
        }
        (verdicts, keywords)
    }

    /// Like [`Engine::scan`] for the value of a field (a table cell, a CSV cell, a JSON
    /// value): the field's name counts as context for every candidate. A negative word in the
    /// name (`order_id`) suppresses a detector; a context word or keyword (`dob`,
    /// `passport_no`) supports it as if it stood next to the value.
    pub fn scan_field(
        &self,
        hay: &[u8],
        report: Range<usize>,
        scratch: &mut Scratch,
        field: &FieldContext,
    ) {
        self.scan_in_field(hay, report, scratch, field, false);
    }

    /// Like [`Engine::scan_field`], for the detectors the field's name supports only: a field
    /// of a table whose lines were already scanned as text is scanned again as a field for
    /// what its name adds (`ssn`, `first_name`). Only the groups that hold such a detector run,
    /// and only those detectors' hits are left in `scratch`.
    pub fn rescan_field(
        &self,
        hay: &[u8],
        report: Range<usize>,
        scratch: &mut Scratch,
        field: &FieldContext,
    ) {
        self.scan_in_field(hay, report, scratch, field, true);
        let field = &scratch.field;
        scratch
            .hits
            .retain(|h| field.supports(usize::from(h.detector)));
    }

    /// [`Engine::scan_inner`] with `field` as the context, for every group or only
    /// `only_supported` ones.
    fn scan_in_field(
        &self,
        hay: &[u8],
        report: Range<usize>,
        scratch: &mut Scratch,
        field: &FieldContext,
        only_supported: bool,
    ) {
        scratch.field.clone_from(field);
        scratch.field.active = true;
        scratch.field.only_supported = only_supported;
        self.scan_inner(hay, report, scratch);
        scratch.field.active = false;
        scratch.field.only_supported = false;
    }

    fn scan_inner(&self, hay: &[u8], report: Range<usize>, scratch: &mut Scratch) {
        scratch.hits.clear();
        let report = report.start.min(hay.len())..report.end.min(hay.len());
        if report.is_empty() {
            return;
        }
        // One pass for the keywords and context words of all word-triggered groups; each group
        // takes its own detector's hits. Overlapping: `tel` inside `telefon` counts for both
        // owners. (In a field, it runs only if a group that runs takes windows from it.)
        scratch.keyword_hits.clear();
        scratch.context_words.clear();
        scratch.context_span = None;
        let field = &scratch.field;
        let skip = field.active
            && !(if field.only_supported {
                field.keyword_pass_supported
            } else {
                field.keyword_pass
            });
        if let (Some(dfa), false) = (&self.keywords, skip) {
            let lo = report.start.saturating_sub(self.keyword_pad);
            let hi = report.end.saturating_add(self.keyword_pad).min(hay.len());
            let later = &mut scratch.keyword_later;
            for_each_overlapping_split(dfa, &hay[lo..hi], later, |s, e, id| {
                let (s, e) = (lo + s, lo + e);
                // Only words that stand as words, by the rules the candidate's keyword and
                // context checks apply (`sin` in `using` opens no window).
                if context::at_word_start(hay, s)
                    && (self.keyword_stem[id] || context::at_word_end(hay, e))
                {
                    match id.checked_sub(self.context_base) {
                        Some(word) => scratch.context_words.push((s, e, word as u32)),
                        None => scratch.keyword_hits.push((self.keyword_owner[id], s, e)),
                    }
                }
            });
            sort_by_owner(
                &mut scratch.keyword_hits,
                &mut scratch.sort_spare,
                &mut scratch.sort_counts,
            );
            // Overlapping matches come by end already.
            if !scratch.context_words.is_sorted_by_key(|w| w.1) {
                scratch.context_words.sort_unstable_by_key(|w| w.1);
            }
            scratch.context_span = Some(lo..hi);
        }
        // One capitalised-word pass for all such groups.
        scratch.capitals.clear();
        let field = &scratch.field;
        let skip = field.active && field.only_supported && !field.capitals_supported;
        if let (Some(pad), false) = (self.capitalised_pad, skip) {
            let lo = report.start.saturating_sub(pad);
            let hi = report.end.saturating_add(pad).min(hay.len());
            let capitals = &mut scratch.capitals;
            for_each_capitalised(&hay[lo..hi], |i| capitals.push(lo + i));
        }
        // One digit-run pass for all such groups, when the first of them runs.
        scratch.digit_runs.clear();
        let mut digits_found = false;
        for (gi, group) in self.groups.iter().enumerate() {
            if scratch.field.only_supported && scratch.field.supported_groups.get(gi) != Some(&true)
            {
                continue;
            }
            if let (Trigger::DigitRun(_), Some((k, pad)), false) =
                (&group.trigger, self.digit_runs, digits_found)
            {
                let lo = report.start.saturating_sub(pad);
                let hi = report.end.saturating_add(pad).min(hay.len());
                let runs = &mut scratch.digit_runs;
                for_each_digit_run(&hay[lo..hi], k, |s, e| runs.push((lo + s, lo + e)));
                digits_found = true;
            }
            self.windows(
                group,
                hay,
                &report,
                &scratch.field,
                Triggers {
                    keyword_hits: &scratch.keyword_hits,
                    capitals: &scratch.capitals,
                    digit_runs: &scratch.digit_runs,
                },
                &mut scratch.windows,
            );
            for wi in 0..scratch.windows.len() {
                let window = scratch.windows[wi].clone();
                self.search_window(gi, hay, window, &report, scratch);
            }
        }
        resolve_overlaps(&mut scratch.hits);
        let min = self.options.min_confidence;
        scratch.hits.retain(|h| h.confidence >= min);
    }

    /// Computes the (merged, sorted) windows in which `group` can match inside `report`.
    fn windows(
        &self,
        group: &Group,
        hay: &[u8],
        report: &Range<usize>,
        field: &FieldContext,
        found: Triggers<'_>,
        out: &mut Vec<Range<usize>>,
    ) {
        out.clear();
        let pad = group.pad;
        let lo = report.start.saturating_sub(pad);
        let hi = report.end.saturating_add(pad).min(hay.len());
        let mut push = |s: usize, e: usize| {
            let w = s.saturating_sub(pad)..e.saturating_add(pad).min(hay.len());
            // Nearby windows are merged: one longer regex search is cheaper than two calls.
            match out.last_mut() {
                Some(last) if w.start <= last.end + MERGE_GAP => last.end = last.end.max(w.end),
                _ => out.push(w),
            }
        };
        match &group.trigger {
            Trigger::Everywhere => push(report.start, report.end),
            Trigger::Bytes(set) => {
                let part = &hay[lo..hi];
                let mut each = |i: usize| push(lo + i, lo + i + 1);
                match set.as_slice() {
                    [a] => memchr::memchr_iter(*a, part).for_each(&mut each),
                    [a, b] => memchr::memchr2_iter(*a, *b, part).for_each(&mut each),
                    [a, b, c] => memchr::memchr3_iter(*a, *b, *c, part).for_each(&mut each),
                    _ => push(report.start, report.end),
                }
            }
            // The runs of the shared pass, which searched at least `lo..hi`, clipped to it:
            // a maximal run clipped to a range is the maximal run inside the range.
            Trigger::DigitRun(k) => {
                for &(s, e) in found.digit_runs {
                    let (s, e) = (s.max(lo), e.min(hi));
                    if e >= s + *k {
                        push(s, e);
                    }
                }
            }
            Trigger::Colons => for_each_colon_run(&hay[lo..hi], |s, e| push(lo + s, lo + e)),
            // Matches of line-bounded patterns lie inside the line feeds around them
            // (`analyze::within_line`): a window ends at those, and a word on a line that a
            // window already covers needs neither the gate nor a window of its own.
            Trigger::Capitalised(_) if group.within_line => {
                // The line feed that ends the last window, if one did.
                let mut covered = 0;
                for &i in found.capitals {
                    if i < lo || i >= hi || i < covered || !group.gate.is_none_or(|g| g(hay, i)) {
                        continue;
                    }
                    let (s, e) = (i.saturating_sub(pad), (i + 2 + pad).min(hay.len()));
                    let s = memchr::memrchr(b'\n', &hay[s..i]).map_or(s, |p| s + p);
                    let e = match memchr::memchr(b'\n', &hay[i..e]) {
                        Some(p) => {
                            covered = i + p;
                            covered + 1
                        }
                        None => e,
                    };
                    // Only overlapping windows are merged: the lines between hold no match.
                    match out.last_mut() {
                        Some(last) if s <= last.end => last.end = last.end.max(e),
                        _ => out.push(s..e),
                    }
                }
            }
            Trigger::Capitalised(_) => {
                for &i in found.capitals {
                    if i >= lo && i < hi && group.gate.is_none_or(|open| open(hay, i)) {
                        push(i, i + 2);
                    }
                }
            }
            // A keyword in the field name: the value itself holds none.
            Trigger::Keywords(di)
                if field.active && field.keywords.get(usize::from(*di)) == Some(&true) =>
            {
                push(report.start, report.end)
            }
            // The field name supports the detector: any value may be reported.
            Trigger::Context(di) if field.active && field.supports(usize::from(*di)) => {
                push(report.start, report.end)
            }
            Trigger::Keywords(di) | Trigger::Context(di) => {
                let want = match group.trigger {
                    Trigger::Context(_) => *di | CONTEXT_WORD,
                    _ => *di,
                };
                // Hits are sorted by owner, then start: this owner's are one run, in order.
                let first = found.keyword_hits.partition_point(|h| h.0 < want);
                for &(_, s, e) in found.keyword_hits[first..]
                    .iter()
                    .take_while(|h| h.0 == want)
                {
                    if s >= lo && e <= hi {
                        push(s, e);
                    }
                }
            }
        }
    }

    fn search_window(
        &self,
        gi: usize,
        hay: &[u8],
        window: Range<usize>,
        report: &Range<usize>,
        scratch: &mut Scratch,
    ) {
        let group = &self.groups[gi];
        if let Some(shapes) = &group.shapes {
            return self.search_shapes(gi, shapes, hay, window, report, scratch);
        }
        let mut at = window.start;
        while at < window.end {
            let input = Input::new(hay).range(at..window.end);
            let Some(m) = group.regex.search_with(&mut scratch.caches[gi], &input) else {
                break;
            };
            if m.start() >= report.end {
                break;
            }
            let mut best_end =
                self.try_pattern(gi, m.pattern(), m.start(), m.end(), hay, report, scratch);
            // Other patterns of the group that match at the same start get their chance too:
            // those whose leading bytes fit the bytes there, each with an anchored search (most
            // fail within a few bytes). Without the table (over 64 patterns), the twin says
            // which match; debug builds run it anyway, to check the table.
            let others = group.others_at(m.pattern(), hay, m.start());
            let twin = match (&group.all, scratch.all_caches[gi].as_mut()) {
                (Some(all), Some(cache)) => {
                    let set = &mut scratch.patset[gi];
                    set.clear();
                    let anchored = Input::new(hay)
                        .range(m.start()..window.end)
                        .anchored(Anchored::Yes);
                    all.which_overlapping_matches_with(cache, &anchored, set);
                    debug_assert!(
                        others.is_none_or(|bits| set
                            .iter()
                            .all(|pid| pid == m.pattern() || bits & 1 << pid.as_usize() != 0)),
                        "leading bytes ruled out a pattern that matches at {:?}",
                        String::from_utf8_lossy(&hay[m.start()..window.end])
                    );
                    true
                }
                _ => false,
            };
            let mut try_other = |pid: PatternID, scratch: &mut Scratch| {
                let input = Input::new(hay)
                    .range(m.start()..window.end)
                    .anchored(Anchored::Pattern(pid));
                if let Some(alt) = group.regex.search_with(&mut scratch.caches[gi], &input) {
                    let end =
                        self.try_pattern(gi, pid, alt.start(), alt.end(), hay, report, scratch);
                    best_end = best_end.max(end);
                }
            };
            match others {
                Some(mut bits) => {
                    while bits != 0 {
                        try_other(
                            PatternID::new_unchecked(bits.trailing_zeros() as usize),
                            scratch,
                        );
                        bits &= bits - 1;
                    }
                }
                None if twin => {
                    for pid in 0..group.patterns.len() {
                        let pid = PatternID::new_unchecked(pid);
                        if pid != m.pattern() && scratch.patset[gi].contains(pid) {
                            try_other(pid, scratch);
                        }
                    }
                }
                None => {}
            }
            // After a validated match, go on after it; otherwise a shorter or later match may
            // still start inside the rejected one.
            at = best_end.unwrap_or(0).max(m.start() + 1);
        }
    }

    /// Narrows a match of group pattern `pid` to its `value` group if it has one, then judges
    /// it as a candidate. Returns the end of the value if it stands.
    #[allow(clippy::too_many_arguments)]
    fn try_pattern(
        &self,
        gi: usize,
        pid: PatternID,
        start: usize,
        end: usize,
        hay: &[u8],
        report: &Range<usize>,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        let value = self.value_span(gi, pid, start, end, hay, scratch)?;
        self.judge(gi, pid.as_usize(), hay, value, report, scratch)
    }

    /// [`Self::candidate`] for the value `start..end` of group pattern `pid`, with the scan's
    /// field and the words its keyword pass found.
    fn judge(
        &self,
        gi: usize,
        pid: usize,
        hay: &[u8],
        (start, end): (usize, usize),
        report: &Range<usize>,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        self.candidate(
            self.groups[gi].patterns[pid],
            hay,
            start,
            end,
            report,
            &mut scratch.hits,
            &scratch.field,
            FoundWords {
                words: &scratch.context_words,
                keywords: &scratch.keyword_hits,
                span: scratch.context_span.as_ref(),
            },
        )
    }

    /// The reported span of the match `start..end` of group pattern `pid`: its `value` group
    /// if it has one.
    fn value_span(
        &self,
        gi: usize,
        pid: PatternID,
        start: usize,
        end: usize,
        hay: &[u8],
        scratch: &mut Scratch,
    ) -> Option<(usize, usize)> {
        let group = &self.groups[gi];
        let (mut start, mut end) = (start, end);
        match &group.value_group[pid.as_usize()] {
            ValueSpan::Whole => {}
            ValueSpan::Trim(first, last) => {
                while start < end && !in_set(first, hay[start]) {
                    start += 1;
                }
                end = trim_end(last, hay, start, end);
            }
            ValueSpan::Capture(bt, index) => {
                (start, end) = self.captured(gi, pid, (bt, *index), hay, start..end, scratch)?;
            }
            ValueSpan::Between(bt, index) if start > 0 && end < hay.len() => {
                debug_assert_eq!(
                    Some((start + 1, end - 1)),
                    self.captured(gi, pid, (bt, *index), hay, start..end, scratch),
                    "value of {:?}",
                    String::from_utf8_lossy(&hay[start..end])
                );
                (start, end) = (start + 1, end - 1);
            }
            ValueSpan::Between(bt, index) => {
                (start, end) = self.captured(gi, pid, (bt, *index), hay, start..end, scratch)?;
            }
            ValueSpan::Solve(solver, bt, index) => {
                let solved = solver.span(hay, start, end);
                debug_assert_eq!(
                    solved,
                    self.captured(gi, pid, (bt, *index), hay, start..end, scratch),
                    "value of {:?}",
                    String::from_utf8_lossy(&hay[start..end])
                );
                (start, end) = match solved {
                    Some(span) => span,
                    None => self.captured(gi, pid, (bt, *index), hay, start..end, scratch)?,
                };
            }
        }
        Some((start, end))
    }

    /// [`Self::search_window`] for a group whose patterns [`NameShapes`] matches: the same
    /// candidates in the same order, found token by token instead of by the group's regex
    /// (debug builds check each step against the regex).
    fn search_shapes(
        &self,
        gi: usize,
        shapes: &NameShapes,
        hay: &[u8],
        window: Range<usize>,
        report: &Range<usize>,
        scratch: &mut Scratch,
    ) {
        let mut starts = std::mem::take(&mut scratch.shape_starts);
        shapes.starts(hay, window.start, window.end, &mut starts);
        let mut at = window.start;
        let mut found = [None; name_shapes::PATTERNS.len()];
        for &p in &starts {
            if p < at {
                continue;
            }
            if p >= report.end {
                break;
            }
            if !shapes.at(hay, p, window.end, &mut found) {
                continue;
            }
            #[cfg(debug_assertions)]
            self.check_shapes(gi, hay, at..window.end, p, &found, scratch);
            let mut best_end = None;
            for (pid, shape) in found.iter().enumerate() {
                let Some(shape) = shape else { continue };
                let end = self.judge(gi, pid, hay, shape.value, report, scratch);
                best_end = best_end.max(end);
            }
            at = best_end.unwrap_or(0).max(p + 1);
        }
        // The regex finds nothing more before the report's end either.
        #[cfg(debug_assertions)]
        if at < window.end {
            let input = Input::new(hay).range(at..window.end);
            let m = self.groups[gi]
                .regex
                .search_with(&mut scratch.caches[gi], &input);
            debug_assert!(
                m.is_none_or(|m| m.start() >= report.end),
                "name shapes missed {m:?} in {:?}",
                String::from_utf8_lossy(&hay[at..window.end])
            );
        }
        scratch.shape_starts = starts;
    }

    /// Checks one step of [`Self::search_shapes`] against the group's regex: its first match
    /// from `range.start` starts at `p` with the first pattern found there, and every
    /// pattern's anchored match at `p` ends, and has its value, where the shapes say.
    #[cfg(debug_assertions)]
    fn check_shapes(
        &self,
        gi: usize,
        hay: &[u8],
        range: Range<usize>,
        p: usize,
        found: &[Option<name_shapes::Shape>],
        scratch: &mut Scratch,
    ) {
        let group = &self.groups[gi];
        let text = || String::from_utf8_lossy(&hay[range.clone()]).into_owned();
        let input = Input::new(hay).range(range.clone());
        let m = group.regex.search_with(&mut scratch.caches[gi], &input);
        let first = found.iter().position(Option::is_some);
        assert_eq!(
            m.map(|m| (m.start(), m.pattern().as_usize(), m.end())),
            first.and_then(|pid| found[pid].map(|s| (p, pid, s.end))),
            "first name match in {:?}",
            text()
        );
        for (pid, shape) in found.iter().enumerate() {
            let id = PatternID::new_unchecked(pid);
            let input = Input::new(hay)
                .range(p..range.end)
                .anchored(Anchored::Pattern(id));
            let m = group.regex.search_with(&mut scratch.caches[gi], &input);
            let value = m.and_then(|m| self.value_span(gi, id, m.start(), m.end(), hay, scratch));
            assert_eq!(
                m.map(|m| m.end()).zip(value),
                shape.map(|s| (s.end, s.value)),
                "pattern {} at {p} in {:?}",
                name_shapes::PATTERNS[pid],
                text()
            );
        }
    }

    /// The span of the `value` group in the match `span` of group pattern `pid`, by the
    /// pattern's own backtracker: the same pattern, anchored at the same start, ends at the
    /// same place, so the backtracker only walks the match. (The bytes around the span still
    /// count for look-around assertions.)
    fn captured(
        &self,
        gi: usize,
        pid: PatternID,
        (bt, index): (&BoundedBacktracker, usize),
        hay: &[u8],
        span: Range<usize>,
        scratch: &mut Scratch,
    ) -> Option<(usize, usize)> {
        let input = Input::new(hay).range(span).anchored(Anchored::Yes);
        let own = match scratch.values[gi][pid.as_usize()].as_mut() {
            Some((cache, caps)) => bt.try_search(cache, &input, caps).is_ok().then_some(caps),
            None => None,
        };
        let span = match own {
            Some(caps) => caps.get_group(index),
            // A match longer than the backtracker's budget: the meta regex picks an engine.
            None => {
                let caps = &mut scratch.captures[gi];
                let input = input.anchored(Anchored::Pattern(pid));
                self.groups[gi]
                    .regex
                    .search_captures_with(&mut scratch.caches[gi], &input, caps);
                caps.get_group_by_name("value")
            }
        }?;
        Some((span.start, span.end))
    }

    /// Scores and validates one candidate; pushes a hit and returns its end if it stands.
    #[allow(clippy::too_many_arguments)]
    fn candidate(
        &self,
        (di, pi): (u16, u16),
        hay: &[u8],
        start: usize,
        end: usize,
        report: &Range<usize>,
        hits: &mut Vec<Hit>,
        field: &FieldContext,
        found: FoundWords<'_>,
    ) -> Option<usize> {
        let d = &self.detectors[usize::from(di)];
        let field_verdict = if field.active {
            field.verdicts.get(usize::from(di)).copied()
        } else {
            None
        };
        if field_verdict == Some(context::Verdict::Suppressed) {
            return None;
        }
        let field_keyword = field.active && field.keywords.get(usize::from(di)) == Some(&true);
        if !d.keywords.is_empty()
            && !field_keyword
            && !self.keyword_near(di, d.keyword_window, hay, (start, end), found)
        {
            return None;
        }
        let validate = |supported: bool, by_field: bool| match &d.validator {
            Some((_, f)) => f(
                &hay[start..end],
                &Ctx {
                    context: supported,
                    field: by_field,
                    ..self.ctx
                },
            ),
            None => Verdict::Valid,
        };
        // A cheap validator first: a failed checksum costs no context search. Otherwise context
        // first: it rejects most candidates of patterns that require it before a costly
        // validator (phone) runs.
        let early = if self.validate_first[usize::from(di)] {
            match validate(false, false) {
                Verdict::Invalid => return None,
                v => Some(v),
            }
        } else {
            None
        };
        let pattern = &d.patterns[usize::from(pi)];
        let ctx = &self.contexts[usize::from(di)];
        let (mut context, mut on_line) = if ctx.is_empty() {
            (context::Verdict::Absent, false)
        } else {
            let judged = self
                .context_found(di, ctx, hay, start, end, found)
                .unwrap_or_else(|| ctx.judge(hay, start, end));
            // Every test scan checks that the pass and the search around the candidate agree.
            debug_assert_eq!(
                judged,
                ctx.judge(hay, start, end),
                "context of {}..{} for {}",
                start,
                end,
                d.id
            );
            judged
        };
        // A field's name speaks for the value as a label on its line does.
        let by_field = context != context::Verdict::Suppressed
            && (field_verdict == Some(context::Verdict::Supported) || field_keyword);
        if by_field {
            context = context::Verdict::Supported;
            on_line = true;
        }
        let refs = &self.context_detectors[usize::from(di)];
        if context == context::Verdict::Absent && !refs.is_empty() {
            let w = d.context.window;
            let near =
                |h: &Hit| h.end.saturating_add(w) >= start && h.start <= end.saturating_add(w);
            if hits.iter().any(|h| refs.contains(&h.detector) && near(h)) {
                context = context::Verdict::Supported;
            }
        }
        // A weak shape takes its support only from its own line or field.
        if context == context::Verdict::Supported && pattern.context_on_line && !on_line {
            context = context::Verdict::Absent;
        }
        let supported = match context {
            context::Verdict::Suppressed => return None,
            context::Verdict::Supported => true,
            context::Verdict::Absent if pattern.require_context => return None,
            context::Verdict::Absent => false,
        };
        let verdict = early.unwrap_or_else(|| validate(supported, by_field));
        match verdict {
            Verdict::Invalid => return None,
            Verdict::NeedsContext if !supported => return None,
            _ => {}
        }
        let mut confidence = pattern.confidence;
        if supported {
            confidence = (confidence + d.context.boost).min(1.0);
        }
        if verdict == Verdict::Test {
            confidence = confidence.min(TEST_VALUE_CONFIDENCE);
        }
        if start >= report.start && start < report.end {
            hits.push(Hit {
                detector: di,
                pattern: pi,
                start,
                end,
                confidence,
                test_value: verdict == Verdict::Test,
                context: supported,
                context_on_line: supported && on_line,
            });
        }
        Some(end)
    }

    /// What detector `di`'s context rules say about `hay[start..end]`, from the words the
    /// keyword pass found; `None` if the pass did not cover the candidate's neighbourhood
    /// (then [`ContextMatcher::judge`] searches it). The same verdict either way: the pass
    /// finds every occurrence of every word inside the bytes it searched, with the same
    /// word rules.
    fn context_found(
        &self,
        di: u16,
        ctx: &ContextMatcher,
        hay: &[u8],
        start: usize,
        end: usize,
        found: FoundWords<'_>,
    ) -> Option<(context::Verdict, bool)> {
        let span = found.span?;
        let n = ctx.neighbourhood(hay, start, end);
        if n.lo < span.start || n.hi > span.end {
            return None;
        }
        // Words end after `lo` (they are not empty) and at most at `hi`.
        let first = found.words.partition_point(|w| w.1 <= n.lo);
        let words = found.words[first..]
            .iter()
            .take_while(|w| w.1 <= n.hi)
            .filter(|w| w.0 >= n.lo)
            .flat_map(|&(s, e, word)| {
                self.context_roles[word as usize]
                    .iter()
                    .filter(move |r| r.0 == di)
                    .map(move |&(_, negative)| (s, e, negative))
            });
        Some(n.judge(words))
    }

    /// Whether one of detector `di`'s keywords lies within `window` bytes of the match (or
    /// inside it when `window` is 0): among the words the keyword pass found, if it searched
    /// those bytes, else by a search there (the same answer: the pass finds every occurrence
    /// inside the bytes it searched, with the same word rules).
    fn keyword_near(
        &self,
        di: u16,
        window: usize,
        hay: &[u8],
        (start, end): (usize, usize),
        found: FoundWords<'_>,
    ) -> bool {
        let lo = start.saturating_sub(window);
        let hi = end.saturating_add(window).min(hay.len());
        let search = || {
            self.keyword_words[usize::from(di)]
                .get_or_init(|| Words::new(&self.detectors[usize::from(di)].keywords))
                .as_ref()
                .is_some_and(|w| w.any_in(hay, lo, hi))
        };
        match found.span {
            Some(span) if span.start <= lo && hi <= span.end => {
                let first = found.keywords.partition_point(|h| (h.0, h.1) < (di, lo));
                let near = found.keywords[first..]
                    .iter()
                    .take_while(|h| h.0 == di && h.1 < hi)
                    .any(|h| h.2 <= hi);
                debug_assert_eq!(near, search(), "keyword of {} near {start}..{end}", di);
                near
            }
            _ => search(),
        }
    }
}

/// What the shared passes of the current scan found, from which groups open their windows.
#[derive(Clone, Copy)]
struct Triggers<'a> {
    /// Keyword and context-word hits: (owner, start, end), sorted by owner, then start.
    keyword_hits: &'a [(u16, usize, usize)],
    /// Capitalised word starts, in order.
    capitals: &'a [usize],
    /// Digit runs (start, end), in order.
    digit_runs: &'a [(usize, usize)],
}

/// Context words found by the keyword pass of the current scan, and the bytes it searched.
#[derive(Clone, Copy)]
struct FoundWords<'a> {
    words: &'a [(usize, usize, u32)],
    /// Keyword hits: (owner, start, end), sorted by owner, then start.
    keywords: &'a [(u16, usize, usize)],
    span: Option<&'a Range<usize>>,
}

/// Sorts keyword hits by (owner, start, end) in linear time, given them as the overlapping pass
/// reports them, by end: a counting sort by owner keeps that order within each owner, and an
/// insertion sort then moves the few words that end after a word starting later (nested words)
/// into place. (Log text holds tens of thousands of hits a megabyte; a comparison sort of them
/// cost 1 % of a scan.)
fn sort_by_owner(
    hits: &mut Vec<(u16, usize, usize)>,
    spare: &mut Vec<(u16, usize, usize)>,
    counts: &mut Vec<usize>,
) {
    if hits.len() < 64 {
        hits.sort_unstable();
        return;
    }
    // Owners are detector indices, with `CONTEXT_WORD` set for context words: bucket keys in
    // the owners' numeric order.
    let plain = hits
        .iter()
        .map(|h| usize::from(h.0 & !CONTEXT_WORD))
        .max()
        .unwrap_or(0)
        + 1;
    let key = |owner: u16| {
        usize::from(owner & !CONTEXT_WORD) + if owner & CONTEXT_WORD != 0 { plain } else { 0 }
    };
    counts.clear();
    counts.resize(2 * plain + 1, 0);
    for h in hits.iter() {
        counts[key(h.0) + 1] += 1;
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    spare.clear();
    spare.resize(hits.len(), (0, 0, 0));
    for h in hits.iter() {
        let slot = &mut counts[key(h.0)];
        spare[*slot] = *h;
        *slot += 1;
    }
    std::mem::swap(hits, spare);
    for i in 1..hits.len() {
        let mut j = i;
        while j > 0 && hits[j - 1] > hits[j] {
            hits.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Calls `f(start, end)` for every maximal run of at least `k` ASCII digits in `hay`.
///
/// Works on 64-byte blocks: a digit bitmask per block (SSE2 on x86-64, SWAR elsewhere), then
/// runs are walked with bit operations, so the cost is per run rather than per byte.
pub fn for_each_digit_run(hay: &[u8], k: usize, mut f: impl FnMut(usize, usize)) {
    const BLOCK: usize = 64;
    let mut run: Option<usize> = None;
    let mut emit = |s: usize, e: usize| {
        if e - s >= k {
            f(s, e);
        }
    };
    let mut base = 0;
    while base < hay.len() {
        let block = &hay[base..hay.len().min(base + BLOCK)];
        let mask = digit_mask(block);
        let len = block.len();
        let mut pos = 0;
        while pos < len {
            if let Some(s) = run {
                // Inside a run: count the digits that continue it.
                let ones = ((mask >> pos) | (u64::MAX.checked_shl((len - pos) as u32).unwrap_or(0)))
                    .trailing_ones() as usize;
                let ones = ones.min(len - pos);
                pos += ones;
                if pos < len {
                    emit(s, base + pos);
                    run = None;
                }
            } else {
                let rest = mask >> pos;
                if rest == 0 {
                    break;
                }
                pos += rest.trailing_zeros() as usize;
                run = Some(base + pos);
            }
        }
        base += len;
    }
    if let Some(s) = run {
        emit(s, hay.len());
    }
}

/// Calls `f(start, end)` for every run of colons in `hay` that an IPv6 address needs: colons
/// at most five bytes apart (the address's groups have at most four hex digits), with two
/// adjacent (`::`) or at least seven of them; `start..end` spans the run's first to its last
/// colon. Every IPv6 address holds such a run, and a time stamp (`12:34:56`), a MAC address
/// (five colons) or a JSON line (`"a": 1, "b": 2`) does not.
pub fn for_each_colon_run(hay: &[u8], mut f: impl FnMut(usize, usize)) {
    const GAP: usize = 5;
    // The current run: its first and last colon, how many colons, whether two are adjacent.
    let mut run: Option<(usize, usize, usize, bool)> = None;
    let mut close = |run: Option<(usize, usize, usize, bool)>| {
        if let Some((first, last, count, adjacent)) = run
            && (adjacent || count >= 7)
        {
            f(first, last + 1);
        }
    };
    for i in memchr::memchr_iter(b':', hay) {
        run = match run {
            Some((first, last, count, adjacent)) if i - last <= GAP => {
                Some((first, i, count + 1, adjacent || i - last == 1))
            }
            other => {
                close(other);
                Some((i, i, 1, false))
            }
        };
    }
    close(run);
}

/// Calls `f(i)` for every capitalised word start in `hay`, in order: an ASCII capital at `i`,
/// followed by an ASCII lower-case letter or a Latin letter in UTF-8 (lead byte 0xC3–0xC5:
/// `Ré`, `Mü`), and not preceded by an ASCII letter or digit; or a Latin letter's lead byte
/// (0xC3–0xC5: `Élodie`, `Łukasz`, also lower-case ones) preceded by neither an ASCII letter or
/// digit nor another non-ASCII byte.
///
/// Same 64-byte block scheme as [`for_each_digit_run`]: class bitmasks per block, then bit
/// operations, so text without capitals costs a few vector instructions per 16 bytes.
pub fn for_each_capitalised(hay: &[u8], mut f: impl FnMut(usize)) {
    const BLOCK: usize = 64;
    // Whether the byte before the current block is a letter or digit, or non-ASCII.
    let mut prev_word = false;
    let mut prev_high = false;
    let mut base = 0;
    while base < hay.len() {
        let block = &hay[base..hay.len().min(base + BLOCK)];
        let len = block.len();
        let Classes {
            upper,
            lower: ascii_lower,
            digit,
            lead: leads,
            high,
        } = classes(block);
        let lower = ascii_lower | leads;
        let word = upper | ascii_lower | digit;
        // Bit i: byte i + 1 is lower-case (for the last byte, look at the next block's first).
        let next_lower = (lower >> 1)
            | (u64::from(
                hay.get(base + len)
                    .is_some_and(|b| b.is_ascii_lowercase() || (0xC3..=0xC5).contains(b)),
            ) << (len - 1));
        let prev = (word << 1) | u64::from(prev_word);
        let prev_any = prev | (high << 1) | u64::from(prev_high);
        let mut hits = (upper & next_lower & !prev) | (leads & !prev_any);
        while hits != 0 {
            f(base + hits.trailing_zeros() as usize);
            hits &= hits - 1;
        }
        prev_word = (word >> (len - 1)) & 1 == 1;
        prev_high = (high >> (len - 1)) & 1 == 1;
        base += len;
    }
}

/// Byte classes of a block of at most 64 bytes, as bitmasks (bit `i` for `block[i]`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Classes {
    /// `A`..=`Z`.
    pub(super) upper: u64,
    /// `a`..=`z`.
    pub(super) lower: u64,
    /// `0`..=`9`.
    pub(super) digit: u64,
    /// 0xC3..=0xC5 ([`latin_lead_mask`]).
    pub(super) lead: u64,
    /// 0x80 and above.
    pub(super) high: u64,
}

/// The [`Classes`] of `block` (`block.len() <= 64`): SSE2 on x86-64 (a shorter block is
/// padded with zero bytes, which are in no class), otherwise SWAR.
#[inline]
pub(super) fn classes(block: &[u8]) -> Classes {
    #[cfg(target_arch = "x86_64")]
    return sse2::classes(&sse2::padded(block));
    #[cfg(not(target_arch = "x86_64"))]
    classes_swar(block)
}

/// [`classes`] eight bytes at a time, on any target.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))] // The fallback; tests check it.
fn classes_swar(block: &[u8]) -> Classes {
    Classes {
        upper: class_mask(block, b'A', b'Z'),
        lower: class_mask(block, b'a', b'z'),
        digit: digit_mask_swar(block),
        lead: latin_lead_mask(block),
        // Bytes from 0x80: with the high bit flipped, the ASCII range.
        high: class_mask_flipped(block, 0x00, 0x7F, 0x80),
    }
}

/// Bit `i` is set when `block[i]` is an ASCII digit (`block.len() <= 64`).
#[inline]
fn digit_mask(block: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    return sse2::range(&sse2::padded(block), b'0', b'9');
    #[cfg(not(target_arch = "x86_64"))]
    digit_mask_swar(block)
}

/// Byte classes sixteen bytes at a time with SSE2, which every x86-64 CPU has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_set1_epi8,
        _mm_sub_epi8,
    };

    /// `block` (at most 64 bytes) as a whole block: itself, or a copy padded with zero bytes.
    #[inline]
    pub(super) fn padded(block: &[u8]) -> std::borrow::Cow<'_, [u8; 64]> {
        match <&[u8; 64]>::try_from(block) {
            Ok(whole) => std::borrow::Cow::Borrowed(whole),
            Err(_) => {
                let mut copy = [0u8; 64];
                let n = block.len().min(64);
                copy[..n].copy_from_slice(&block[..n]);
                std::borrow::Cow::Owned(copy)
            }
        }
    }

    /// The block as four 16-byte vectors.
    #[inline]
    fn load(block: &[u8; 64]) -> [__m128i; 4] {
        // SAFETY: SSE2 is in the x86-64 baseline; each unaligned load reads 16 bytes at offset
        // 0, 16, 32 or 48 of a 64-byte array.
        std::array::from_fn(|i| unsafe { _mm_loadu_si128(block.as_ptr().add(16 * i).cast()) })
    }

    /// Bit `i` set when `lo <= v[i] <= hi` (unsigned): `v - lo <= hi - lo`, tested as
    /// `min(v - lo, hi - lo) == v - lo`.
    #[inline]
    fn in_range(v: &[__m128i; 4], lo: u8, hi: u8) -> u64 {
        // SAFETY: SSE2 is in the x86-64 baseline; these intrinsics only compute on registers.
        unsafe {
            let (lo, span) = (
                _mm_set1_epi8(lo as i8),
                _mm_set1_epi8(hi.wrapping_sub(lo) as i8),
            );
            v.iter().enumerate().fold(0, |mask, (i, &v)| {
                let x = _mm_sub_epi8(v, lo);
                let bits = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, span), x));
                mask | u64::from(bits as u16) << (16 * i)
            })
        }
    }

    /// [`super::classes`] of a whole block.
    #[inline]
    pub(super) fn classes(block: &[u8; 64]) -> super::Classes {
        let v = load(block);
        // SAFETY: SSE2 is in the x86-64 baseline; movemask only reads a register.
        let high = v.iter().enumerate().fold(0, |mask, (i, &v)| {
            mask | u64::from(unsafe { _mm_movemask_epi8(v) } as u16) << (16 * i)
        });
        super::Classes {
            upper: in_range(&v, b'A', b'Z'),
            lower: in_range(&v, b'a', b'z'),
            digit: in_range(&v, b'0', b'9'),
            lead: in_range(&v, 0xC3, 0xC5),
            high,
        }
    }

    /// Bit `i` set when `lo <= block[i] <= hi`.
    #[inline]
    pub(super) fn range(block: &[u8; 64], lo: u8, hi: u8) -> u64 {
        in_range(&load(block), lo, hi)
    }
}

/// Bit `i` is set when `block[i]` is 0xC3, 0xC4 or 0xC5: the UTF-8 lead bytes of Latin-1
/// Supplement and Latin Extended-A letters. With every high bit flipped these are the ASCII
/// bytes `C`..=`E`, and ASCII bytes are out of [`class_mask`]'s range.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))] // The fallback; tests check it.
#[inline]
fn latin_lead_mask(block: &[u8]) -> u64 {
    class_mask_flipped(block, 0x43, 0x45, 0x80)
}

/// Bit `i` is set when `lo <= block[i] <= hi` (`block.len() <= 64`, `lo` and `hi` ASCII).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))] // The fallback; tests check it.
#[inline]
fn class_mask(block: &[u8], lo: u8, hi: u8) -> u64 {
    class_mask_flipped(block, lo, hi, 0)
}

/// [`class_mask`] of the bytes XOR `flip`.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))] // The fallback; tests check it.
#[inline]
fn class_mask_flipped(block: &[u8], lo: u8, hi: u8, flip: u8) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let flips = ONES * u64::from(flip);
    let (ge_lo, gt_hi) = (ONES * u64::from(lo), ONES * u64::from(hi + 1));
    let mut mask = 0u64;
    let mut words = block.chunks_exact(8);
    for (i, word) in words.by_ref().enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes) ^ flips;
        let flags = (x | HI).wrapping_sub(ge_lo) & !(x | HI).wrapping_sub(gt_hi) & !x & HI;
        let packed = ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= packed << (8 * i);
    }
    let done = block.len() - words.remainder().len();
    for (i, &b) in words.remainder().iter().enumerate() {
        mask |= u64::from((lo..=hi).contains(&(b ^ flip))) << (done + i);
    }
    mask
}

/// [`digit_mask`] on any target.
///
/// SWAR: eight bytes per step. For a byte `b` below 0x80, `(b | 0x80) - 0x30` keeps its high
/// bit iff `b >= 0x30`, and `(b | 0x80) - 0x3A` keeps it iff `b >= 0x3A`; the eight flag
/// bits are then gathered into one byte with a multiplication.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))] // The fallback; tests check it.
fn digit_mask_swar(block: &[u8]) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut mask = 0u64;
    let mut words = block.chunks_exact(8);
    for (i, word) in words.by_ref().enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes);
        let ge_0 = (x | HI).wrapping_sub(0x3030_3030_3030_3030);
        let ge_colon = (x | HI).wrapping_sub(0x3A3A_3A3A_3A3A_3A3A);
        let flags = ge_0 & !ge_colon & !x & HI;
        let packed = ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= packed << (8 * i);
    }
    let done = block.len() - words.remainder().len();
    for (i, &b) in words.remainder().iter().enumerate() {
        mask |= u64::from(b.is_ascii_digit()) << (done + i);
    }
    mask
}

/// Sorts hits by start and keeps, of every set of overlapping hits, the most confident one
/// (the longer one on a tie, then the one of the detector listed first).
fn resolve_overlaps(hits: &mut Vec<Hit>) {
    if hits.len() < 2 {
        return;
    }
    // Exact ties (same span, same confidence) go to a hit whose context stands on its own line
    // (`My ITIN: 967-90-0696` above `Tel: …` is an ITIN, not a phone number), then to the
    // detector and pattern that come first in the catalogue, whatever order the groups ran in.
    // Each group's hits come sorted by start: the stable sort merges those runs (a third of
    // what the unstable one cost, for one buffer allocated per call with hits).
    hits.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(b.context_on_line.cmp(&a.context_on_line))
            .then(a.detector.cmp(&b.detector))
            .then(a.pattern.cmp(&b.pattern))
    });
    let mut kept = 0;
    for i in 1..hits.len() {
        let h = hits[i];
        let last = &mut hits[kept];
        if h.start < last.end {
            let better = h.confidence > last.confidence
                || (h.confidence == last.confidence && h.end - h.start > last.end - last.start);
            if better {
                *last = h;
            }
        } else {
            kept += 1;
            hits[kept] = h;
        }
    }
    hits.truncate(kept + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Engine {
        let catalog = Catalog::builtin().expect("catalog");
        Engine::new(&catalog, EngineOptions::default()).expect("engine")
    }

    /// Detector ids found in `value` scanned as the value of field `name`.
    fn in_field(engine: &Engine, name: &str, value: &str) -> Vec<String> {
        let mut scratch = engine.scratch();
        let field = engine.field_context(name);
        engine.scan_field(value.as_bytes(), 0..value.len(), &mut scratch, &field);
        scratch
            .hits()
            .iter()
            .map(|h| engine.detectors()[usize::from(h.detector)].id.to_string())
            .collect()
    }

    #[test]
    fn field_names_count_as_context() {
        let e = builtin();
        // A date needs birth context: the column name gives it.
        assert_eq!(in_field(&e, "birth_date", "1984-03-17"), ["date_of_birth"]);
        assert_eq!(
            in_field(&e, "customer.dateOfBirth", "17/03/1984"),
            ["date_of_birth"]
        );
        assert!(in_field(&e, "created_at", "1984-03-17").is_empty());
        // An undelimited SSN needs a keyword: `ssn` as the column name is one.
        assert_eq!(in_field(&e, "ssn", "536228726"), ["us_ssn"]);
        assert!(in_field(&e, "amount", "536228726").is_empty());
        // A generic national-identifier name supports every national-identifier detector;
        // the checksum decides which (a BSN, a PESEL), or that it is none. (Nine digits that
        // fail the BSN check still have the shape of an SSN, which has no checksum.)
        assert_eq!(in_field(&e, "national_id", "111222333"), ["nl_bsn"]);
        assert_eq!(
            in_field(&e, "personalIdNumber", "44051401359"),
            ["pl_pesel"]
        );
        assert_eq!(in_field(&e, "national_id", "111222334"), ["us_ssn"]);
        assert!(in_field(&e, "national_id", "44051401358").is_empty());
        assert!(in_field(&e, "product_id", "44051401359").is_empty());
        // A negative word in the name suppresses.
        assert!(in_field(&e, "order_number", "536-22-8726").is_empty());
        // The field context does not leak into a later plain scan with the same scratch.
        let mut scratch = e.scratch();
        let field = e.field_context("dob");
        e.scan_field(b"1984-03-17", 0..10, &mut scratch, &field);
        assert_eq!(scratch.hits().len(), 1);
        e.scan(b"1984-03-17", 0..10, &mut scratch);
        assert!(scratch.hits().is_empty());
    }

    /// Field names judged by the keyword pass's automaton get the verdicts each detector's own
    /// rules give them, for names built from every detector's words: keywords, supporting and
    /// negative context words, stems, negative field names, joined as column names are.
    #[test]
    fn field_names_judged_by_the_pass_agree_with_each_detector() {
        let e = builtin();
        let mut words: Vec<String> = Vec::new();
        for d in e.detectors() {
            words.extend(d.keywords.iter().cloned());
            words.extend(d.context.words.iter().cloned());
            words.extend(d.context.negative.iter().cloned());
            words.extend(d.context.negative_fields.iter().cloned());
        }
        let words: Vec<String> = words
            .iter()
            .map(|w| w.trim_end_matches('*').to_string())
            .chain(["id", "no", "x", "Data", "value", "2"].map(String::from))
            .collect();
        let mut next = crate::testing::numbers(5);
        let (mut supported, mut suppressed) = (0, 0);
        for _ in 0..1_000 {
            let mut name = String::new();
            for i in 0..=next(3) {
                let w = &words[next(words.len() as u64) as usize];
                let (sep, w) = match next(5) {
                    0 => ("_", w.clone()),
                    1 => (".", w.to_uppercase()),
                    2 => ("", w.to_uppercase()),
                    3 => ("", w.clone()),
                    _ => (" ", w.clone()),
                };
                if i > 0 {
                    name.push_str(sep);
                }
                name.push_str(&w);
            }
            let keywords = e.keywords.as_ref().expect("a keyword pass");
            let (verdicts, found) = e.name_words(keywords, name.as_bytes());
            for (di, c) in e.contexts.iter().enumerate() {
                assert_eq!(verdicts[di], c.evaluate_name(name.as_bytes()), "{name}");
                let own = e.keyword_words[di]
                    .get_or_init(|| Words::new(&e.detectors[di].keywords))
                    .as_ref()
                    .is_some_and(|w| w.any_in(name.as_bytes(), 0, name.len()));
                assert_eq!(
                    found[di], own,
                    "keywords of {} in {name}",
                    e.detectors[di].id
                );
            }
            supported += verdicts
                .iter()
                .filter(|v| **v == context::Verdict::Supported)
                .count();
            suppressed += verdicts
                .iter()
                .filter(|v| **v == context::Verdict::Suppressed)
                .count();
        }
        assert!(
            supported > 2_000 && suppressed > 1_000,
            "{supported} {suppressed}"
        );
    }

    #[test]
    fn negative_field_names_suppress_only_in_fields() {
        let e = builtin();
        let value = "Nurse, mental health; patient depression ward";
        let ids = in_field(&e, "notes", value);
        assert!(
            !ids.is_empty() && ids.iter().all(|d| d == "health"),
            "{ids:?}"
        );
        // Under a job-title, company or department column the terms describe a job; under a
        // user name they describe no one.
        for name in [
            "job_title",
            "jobTitle",
            "occupation",
            "employer.name",
            "Beruf",
            "username",
        ] {
            assert!(in_field(&e, name, value).is_empty(), "{name}");
        }
        // In running text the same word is no negative: "job" near a diagnosis stays.
        let line = b"She lost her job after she was diagnosed with depression.";
        let mut scratch = e.scratch();
        e.scan(line, 0..line.len(), &mut scratch);
        let found: Vec<_> = scratch
            .hits()
            .iter()
            .map(|h| e.detectors()[usize::from(h.detector)].id.clone())
            .collect();
        assert!(
            !found.is_empty() && found.iter().all(|d| &**d == "health"),
            "{found:?}"
        );
    }

    /// An engine of the one detector file `text`, named `name`.
    fn engine_from(name: &str, text: &str) -> Engine {
        let mut catalog = Catalog::default();
        catalog.add_file(name, text).expect("detector");
        Engine::new(&catalog, EngineOptions::default()).expect("engine")
    }

    /// The hits of a scan of `line` alone.
    fn line_hits(e: &Engine, line: &[u8]) -> Vec<Hit> {
        let mut scratch = e.scratch();
        e.scan(line, 0..line.len(), &mut scratch);
        scratch.hits().to_vec()
    }

    /// Lines of name-like tokens joined by separators, from a fixed seed: names with prefixes,
    /// hyphens, accents and overlong words, all-capitals names, initials, particles, titles,
    /// labels, cell separators, quotes, stray UTF-8 bytes and line ends.
    fn name_soup(count: usize) -> Vec<Vec<u8>> {
        let tokens: &[&[u8]] = &[
            b"Jane",
            b"Doe",
            b"Mark",
            b"Rose",
            b"Hoffmann",
            b"Giulia",
            b"Rossi",
            b"Smith",
            b"McDonald",
            b"Mcdonald",
            b"MacLeod",
            b"O'Brien",
            b"D'Angelo",
            b"DeVries",
            b"Dean",
            b"LeBlanc",
            b"Anne-Marie",
            b"Doe-smith",
            b"Jean-Luc",
            "Élodie".as_bytes(),
            "Müller".as_bytes(),
            "Łukasz".as_bytes(),
            b"DOE",
            b"DUPONT",
            "GARCÍA".as_bytes(),
            b"SMITH-JONES",
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            b"Abcdefghijklmnopqrstuvwxyz",
            b"Abcdefghijklmnopqrst",
            b"J.",
            b"F.",
            b"van",
            b"de",
            b"der",
            b"della",
            b"y",
            b"dexyz",
            b"Mr",
            b"Mrs.",
            b"Ms",
            b"Dr.",
            b"Frau",
            b"Herr",
            b"Sig.ra",
            b"Sig.",
            b"M.",
            b"Mme",
            b"Sehr geehrte",
            b"Sehr geehrter",
            b"Dear",
            b"Hi",
            b"Dhr.",
            b"name:",
            b"Name =",
            b"surname\":",
            b"\"name\": \"",
            b"nom :",
            b"vorname=",
            b"username:",
            b"apellidos:",
            b"apellido :",
            "prénom:".as_bytes(),
            b"NAME\t:",
            b"the",
            b"hello",
            b"Street",
            b"Hope",
            b"12",
            b"x",
            b"_",
            b"__Jane",
            b"Jane_",
            b"\xc3",
            b"\x80",
            b"\x9eX",
            b"\xe2\x80\x99",
            b"-",
            b"'",
            b"\"",
        ];
        let seps: &[&[u8]] = &[
            b" ", b" ", b" ", b"  ", b"   ", b",", b", ", b";", b"\t", b"|", b"\n", b"\r\n", b"",
            b":", b"=", b".", b"-",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        (0..count)
            .map(|_| {
                let mut line = Vec::new();
                for i in 0..2 + next(9) {
                    if i > 0 {
                        line.extend_from_slice(seps[next(seps.len())]);
                    }
                    line.extend_from_slice(tokens[next(tokens.len())]);
                }
                line
            })
            .collect()
    }

    /// The token-level matcher of the built-in name patterns (`name_shapes`) finds what the
    /// patterns' regex finds: the same hits on the same lines, scanned whole, as a field
    /// value (where `whole_field` applies) and with the report ending inside the line. (Debug
    /// builds also check every step of every window against the regex.)
    #[test]
    fn name_shapes_find_what_the_regex_finds() {
        let fast = builtin();
        let mut slow = builtin();
        let mut replaced = 0;
        for g in &mut slow.groups {
            replaced += usize::from(g.shapes.take().is_some());
        }
        assert_eq!(replaced, 1, "the person_name group uses the name shapes");
        let field = fast.field_context("customer_name");
        let (mut a, mut b) = (fast.scratch(), slow.scratch());
        let mut found = 0;
        for line in name_soup(4000) {
            for report in [0..line.len(), 0..line.len() / 2] {
                fast.scan(&line, report.clone(), &mut a);
                slow.scan(&line, report.clone(), &mut b);
                assert_eq!(a.hits(), b.hits(), "{:?}", String::from_utf8_lossy(&line));
                found += a.hits().len();
            }
            fast.scan_field(&line, 0..line.len(), &mut a, &field);
            slow.scan_field(&line, 0..line.len(), &mut b, &field);
            assert_eq!(
                a.hits(),
                b.hits(),
                "field {:?}",
                String::from_utf8_lossy(&line)
            );
        }
        assert!(found > 1000, "the soup holds names: {found} hits");
    }

    /// The name prefilter (`name_words`) opens windows only around words that may belong to an
    /// accepted name: it must find exactly what windows around every capitalised word find.
    #[test]
    fn name_word_prefilter_loses_no_name() {
        let toml = include_str!("../../detectors/person_name.toml");
        assert!(toml.contains("prefilter = \"name_words\""));
        let gated = engine_from("person_name.toml", toml);
        let every = engine_from(
            "person_name.toml",
            &toml.replace("prefilter = \"name_words\"", "prefilter = \"capitalised\""),
        );
        let first = [
            "Jane", "Anna", "Jörg", "Lucía", "Giulia", "Piotr", "Élodie", "Mark", "Rose",
        ];
        let last = [
            "Doe",
            "Schmidt",
            "Müller",
            "Fernández",
            "Rossi",
            "Nowak",
            "Dupont",
            "Hope",
        ];
        let unknown = ["Xyzzyq", "Qwertyx", "Zzvkow"];
        let templates = [
            "{f} {l} wrote on Monday.",
            "Dear {f}, thanks.",
            "Dear {u},",
            "name: {u} {l}",
            "name: {f} {u}",
            "name: {u}",
            "Patient: {L}, {f}",
            "Patient: {L}, {u}",
            "contact {u} {L} today",
            "Mr {u} called",
            "M. {u} a appelé",
            "Gentile Sig.ra {u},",
            "Frau {u}-{l}",
            "{f}-{u} {l}",
            "by O'{l} and D'{u}",
            "name: O'{u}",
            "1001,{f},{l},x@example.com",
            "{u},{l};{f}|{u}",
            "{u} {u} and {u} {l} and {f} {u}",
            "Mozilla/5.0 (Windows NT 10.0) {u} Safari/537.36 Jan {l}",
            "{f} van der {l} and {f} de {u}",
        ];
        let mut lines = Vec::new();
        for (i, t) in templates.iter().enumerate() {
            for (j, f) in first.iter().enumerate() {
                let l = last[(i + j) % last.len()];
                let u = unknown[(i * 7 + j) % unknown.len()];
                let line = t
                    .replace("{f}", f)
                    .replace("{l}", l)
                    .replace("{L}", &l.to_uppercase())
                    .replace("{u}", u);
                lines.push(line);
            }
        }
        // Line by line: in one text, the windows of other lines' names would cover each line.
        let mut names = 0;
        for line in &lines {
            let expected = line_hits(&every, line.as_bytes());
            names += expected.len();
            assert_eq!(line_hits(&gated, line.as_bytes()), expected, "{line}");
        }
        assert!(names > 100, "{names} names");
    }

    /// Windows of line-bounded capitalised-word groups end at line feeds: on texts of many
    /// lines, they must find exactly what the windows of the whole pattern length find.
    #[test]
    fn line_windows_lose_nothing() {
        let catalog = Catalog::builtin().expect("catalog");
        let lines = Engine::new(&catalog, EngineOptions::default()).expect("engine");
        let mut whole = Engine::new(&catalog, EngineOptions::default()).expect("engine");
        let mut bounded = 0;
        for g in &mut whole.groups {
            if matches!(g.trigger, Trigger::Capitalised(_)) {
                bounded += usize::from(g.within_line);
                g.within_line = false;
            }
        }
        // Names and street addresses.
        assert_eq!(bounded, 2);
        let examples = example_texts(&catalog);
        let mut next = crate::testing::numbers(23);
        let mut found = 0;
        for n in 0..400 {
            // Examples on lines of their own (LF, CRLF, blank lines between), run together on
            // one line, or after a word on the next line.
            let mut text = Vec::new();
            for _ in 0..1 + next(12) {
                let example = &examples[next(examples.len() as u64) as usize];
                text.extend_from_slice(example);
                let joints: [&[u8]; 6] = [b"\n", b"\r\n", b" ", b"\n\n", b", ", b"\nfrom "];
                text.extend_from_slice(joints[next(joints.len() as u64) as usize]);
            }
            if n % 2 == 1 {
                text.truncate(text.len().saturating_sub(1));
            }
            let expected = line_hits(&whole, &text);
            found += expected.len();
            let got = line_hits(&lines, &text);
            assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(&text));
        }
        assert!(found > 1000, "{found} hits");
    }

    /// Patterns that require context are searched only around their detector's context words:
    /// that must find everything searching everywhere finds, in text and in fields. It may
    /// find more, and then a more confident hit may take a found one's place: in their own
    /// group, such patterns are no longer skipped over by another pattern's validated match
    /// (a phone-shaped national number no longer hides a BSN with its context word).
    #[test]
    fn context_word_prefilter_loses_nothing() {
        let catalog = Catalog::builtin().expect("catalog");
        let gated = Engine::build(&catalog, EngineOptions::default(), true).expect("engine");
        let every = Engine::build(&catalog, EngineOptions::default(), false).expect("engine");
        assert!(
            gated
                .groups
                .iter()
                .any(|g| matches!(g.trigger, Trigger::Context(_)))
        );
        assert!(
            !every
                .groups
                .iter()
                .any(|g| matches!(g.trigger, Trigger::Context(_)))
        );
        let mut texts: Vec<String> = Vec::new();
        for d in catalog.detectors() {
            texts.extend(d.examples.iter().cloned());
            texts.extend(d.negative_examples.iter().cloned());
        }
        // Values at growing distances from context words, before and after.
        let values = [
            "111222333",
            "123456782",
            "046 454 286",
            "0612345678",
            "030 1234567",
            "1234.56.789",
            "85010112345",
            "12345678901",
            "2 84 05 75 112 233 44",
        ];
        let words = [
            "BSN",
            "tel",
            "Telefon",
            "SSN",
            "TFN",
            "SIN",
            "Steuer-ID",
            "VIN",
            "phone",
        ];
        for (i, v) in values.iter().enumerate() {
            for (j, w) in words.iter().enumerate() {
                let gap = " ".repeat((i * 7 + j * 5) % 48);
                texts.push(format!("{w}:{gap}{v} and more"));
                texts.push(format!("see {v}{gap}({w})"));
                texts.push(format!("{w}\n{v}{gap}order ref {v}"));
            }
        }
        let hits = |e: &Engine, text: &str, field: Option<&str>| {
            let mut scratch = e.scratch();
            match field {
                Some(name) => {
                    let ctx = e.field_context(name);
                    e.scan_field(text.as_bytes(), 0..text.len(), &mut scratch, &ctx);
                }
                None => e.scan(text.as_bytes(), 0..text.len(), &mut scratch),
            }
            scratch.hits().to_vec()
        };
        let (mut found, mut same, mut cases) = (0, 0, 0);
        for text in &texts {
            for field in [
                None,
                Some("bsn"),
                Some("phone_number"),
                Some("notes"),
                Some("order_id"),
            ] {
                let expected = hits(&every, text, field);
                let got = hits(&gated, text, field);
                found += expected.len();
                cases += 1;
                same += usize::from(got == expected);
                for h in &expected {
                    let kept = got.iter().any(|g| {
                        g == h
                            || (g.start < h.end && h.start < g.end && g.confidence >= h.confidence)
                    });
                    assert!(kept, "{text:?} in {field:?}: {h:?} lost: {got:?}");
                }
            }
        }
        assert!(found > 500, "{found} hits");
        // Extra hits are the exception.
        assert!(same * 100 >= cases * 99, "{same} of {cases} equal");
    }

    /// The example and negative-example texts of every detector of `catalog`.
    fn example_texts(catalog: &Catalog) -> Vec<Vec<u8>> {
        let mut texts = Vec::new();
        for d in catalog.detectors() {
            let examples = d.examples.iter().chain(&d.negative_examples);
            texts.extend(examples.map(|e| e.as_bytes().to_vec()));
        }
        texts
    }

    /// Asserts that a value span found without the capture engine, `got`, is the `value`
    /// group's span `want` in a match of pattern `id/name` in `hay`.
    fn assert_span(
        (id, name): (&str, &str),
        hay: &[u8],
        got: Option<(usize, usize)>,
        want: Range<usize>,
    ) {
        let text = String::from_utf8_lossy(hay);
        assert_eq!(got, Some((want.start, want.end)), "{id}/{name} in {text:?}");
    }

    /// Calls `check(text, match, value)` for every match of the pattern `hir` in `texts`, with
    /// its `value` group as the capture engine finds it; returns how many.
    fn each_captured_value(
        hir: &Hir,
        texts: &[Vec<u8>],
        mut check: impl FnMut(&[u8], Range<usize>, Range<usize>),
    ) -> usize {
        let re = Regex::builder()
            .configure(meta::Config::new().utf8_empty(false))
            .build_from_hir(hir)
            .expect("regex");
        let mut caps = re.create_captures();
        let mut n = 0;
        for hay in texts {
            for m in re.find_iter(hay.as_slice()) {
                re.search_captures(&Input::new(hay).range(m.range()), &mut caps);
                let value = caps.get_group_by_name("value").expect("value").range();
                check(hay, m.range(), value);
                n += 1;
            }
        }
        n
    }

    /// Trimming boundary bytes finds the same `value` span as the capture engine, for every
    /// pattern it is used for, on every example text of the catalogue.
    #[test]
    fn trimmed_values_equal_captured_ones() {
        let catalog = Catalog::builtin().expect("catalog");
        let texts = example_texts(&catalog);
        let (mut trimmed, mut compared) = (0, 0);
        for d in catalog.detectors() {
            for p in &d.patterns {
                let Some((first, last)) = analyze::value_trim(&p.hir) else {
                    continue;
                };
                trimmed += 1;
                compared += each_captured_value(&p.hir, &texts, |hay, m, want| {
                    let (mut s, mut e) = (m.start, m.end);
                    while s < e && !in_set(&first, hay[s]) {
                        s += 1;
                    }
                    while e > s && !in_set(&last, hay[e - 1]) {
                        e -= 1;
                    }
                    assert_span((&d.id, &p.name), hay, Some((s, e)), want);
                });
            }
        }
        assert!(
            trimmed >= 10 && compared >= 50,
            "{trimmed} patterns, {compared} matches"
        );
    }

    /// Values found by the solver (prefix alternatives tried in order) are the ones the
    /// pattern's own captures give, on the detectors' examples and on random lines of the
    /// bytes that make the alternatives ambiguous (`+` before `+44`, `(` before `(0)`).
    #[test]
    fn solved_values_equal_captured_ones() {
        let catalog = Catalog::builtin().expect("catalog");
        let mut texts = example_texts(&catalog);
        texts.extend(crate::testing::random_lines(
            17,
            b"+0012345679 -.()/aZ_:\n",
            20_000,
            4..34,
        ));
        let (mut solved, mut compared) = (0, 0);
        for d in catalog.detectors() {
            for p in &d.patterns {
                let Some((prefixes, core, last)) = analyze::value_start(&p.hir) else {
                    continue;
                };
                if analyze::value_trim(&p.hir).is_some() {
                    continue;
                }
                solved += 1;
                let solver = Solver {
                    prefixes,
                    core: Regex::builder()
                        .build_from_hir(&Hir::concat(vec![core, Hir::look(hir::Look::End)]))
                        .expect("core"),
                    last,
                };
                compared += each_captured_value(&p.hir, &texts, |hay, m, want| {
                    let got = solver.span(hay, m.start, m.end);
                    assert_span((&d.id, &p.name), hay, got, want);
                });
            }
        }
        assert!(
            solved >= 2 && compared >= 500,
            "{solved} patterns, {compared} matches"
        );
    }

    /// Values between one-byte boundaries ([`analyze::value_between`]) are the match without
    /// its ends wherever the match does not touch the haystack's ends: checked against the
    /// capture engine on the examples (also shifted into a line) and random lines.
    #[test]
    fn values_between_boundaries_equal_captured_ones() {
        let catalog = Catalog::builtin().expect("catalog");
        let mut texts = example_texts(&catalog);
        let shifted: Vec<Vec<u8>> = texts
            .iter()
            .map(|t| [b"x: ", &t[..], b" ."].concat())
            .collect();
        texts.extend(shifted);
        texts.extend(crate::testing::random_lines(
            23,
            b"+0012345679 -.()/aZ_:\n",
            20_000,
            4..34,
        ));
        // English-order street addresses (`number_name_type`, whose value may end in a
        // direction or an abbreviation's dot), in front of every boundary the pattern allows.
        for (i, ty) in [
            "Street",
            "St.",
            "Avenue NW",
            "Rd",
            "Lodge",
            "Wynd",
            "Quays",
            "Close",
            "Way E",
        ]
        .iter()
        .enumerate()
        {
            for (j, lead) in ["", "at ", "(", "Ship to: "].iter().enumerate() {
                for tail in ["", ",", ".", " W", "\n", ") x"] {
                    let n = 10 + 37 * i + j;
                    texts.push(format!("{lead}{n} Baker {ty}{tail}").into_bytes());
                }
            }
        }
        let (mut between, mut compared) = (0, 0);
        for d in catalog.detectors() {
            for p in &d.patterns {
                if !analyze::value_between(&p.hir) || analyze::value_trim(&p.hir).is_some() {
                    continue;
                }
                between += 1;
                compared += each_captured_value(&p.hir, &texts, |hay, m, want| {
                    if m.start > 0 && m.end < hay.len() {
                        assert_span((&d.id, &p.name), hay, Some((m.start + 1, m.end - 1)), want);
                    }
                });
            }
        }
        // (The national phone pattern was the other one until its boundary took two bytes.)
        assert!(
            between >= 1 && compared >= 200,
            "{between} patterns, {compared} matches"
        );
    }

    fn runs(hay: &str, k: usize) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for_each_digit_run(hay.as_bytes(), k, |s, e| v.push((s, e)));
        v
    }

    #[test]
    fn digit_runs_across_blocks() {
        assert_eq!(runs("ab 123 4 56789", 3), vec![(3, 6), (9, 14)]);
        let long = format!("{}123456{}", "x".repeat(30), "y".repeat(40));
        assert_eq!(runs(&long, 6), vec![(30, 36)]);
        let edge = format!("{}12", "x".repeat(31));
        assert_eq!(runs(&edge, 2), vec![(31, 33)]);
        assert_eq!(runs("", 1), vec![]);
        let across = format!("{}{}{}", "a".repeat(60), "1".repeat(70), "b".repeat(3));
        assert_eq!(runs(&across, 5), vec![(60, 130)]);
        assert_eq!(runs(&"7".repeat(128), 1), vec![(0, 128)]);
        assert_eq!(runs("1a22b333", 2), vec![(2, 4), (5, 8)]);
    }

    #[test]
    fn capitalised_words_across_blocks() {
        let caps = |hay: &str| {
            let mut v = Vec::new();
            for_each_capitalised(hay.as_bytes(), |i| v.push(i));
            v
        };
        assert_eq!(caps("Jane Doe, INFO x3Ab aB Ab"), vec![0, 5, 23]);
        // A superset is fine (windows only): `MÜ` looks like `Mü`.
        assert_eq!(caps("la République, MÜLLER"), vec![3, 16]);
        // Words that start with a Latin letter (not inside a word: `é` in `Rép` is not one).
        assert_eq!(caps("Élodie Łukasz x été"), vec![0, 8, 18]);
        let edge = format!("{}Élodie", "-".repeat(63));
        assert_eq!(caps(&edge), vec![63]);
        let glued = format!("{}xéÉlodie", "-".repeat(61));
        assert!(caps(&glued).is_empty());
        let long = format!("{}Ab{}Cd", "x ".repeat(31), " ".repeat(60));
        assert_eq!(caps(&long), vec![62, 124]);
        let edge = format!("{}Ab", "-".repeat(63));
        assert_eq!(caps(&edge), vec![63]);
        let glued = format!("{}aAb", "-".repeat(63));
        assert!(caps(&glued).is_empty());
        assert!(caps("").is_empty() && caps("A").is_empty());
        let bytes: Vec<u8> = (0..=255u8).collect();
        for start in 0..bytes.len() {
            let block = &bytes[start..bytes.len().min(start + 64)];
            let expected = block
                .iter()
                .enumerate()
                .fold(0u64, |m, (i, b)| m | u64::from(b.is_ascii_lowercase()) << i);
            assert_eq!(class_mask(block, b'a', b'z'), expected, "at {start}");
            let leads = block.iter().enumerate().fold(0u64, |m, (i, b)| {
                m | u64::from((0xC3..=0xC5).contains(b)) << i
            });
            assert_eq!(latin_lead_mask(block), leads, "at {start}");
        }
    }

    #[test]
    fn digit_mask_matches_a_plain_loop() {
        let bytes: Vec<u8> = (0..=255u8).chain(b"0123456789/:".iter().copied()).collect();
        for start in 0..bytes.len() {
            let block = &bytes[start..bytes.len().min(start + 64)];
            let expected = block
                .iter()
                .enumerate()
                .fold(0u64, |m, (i, b)| m | u64::from(b.is_ascii_digit()) << i);
            assert_eq!(digit_mask(block), expected, "at {start}");
            assert_eq!(digit_mask_swar(block), expected, "at {start}");
        }
    }

    #[test]
    fn colon_runs_an_ipv6_address_needs() {
        let runs = |hay: &str| {
            let mut out = Vec::new();
            for_each_colon_run(hay.as_bytes(), |s, e| out.push((s, e)));
            out
        };
        assert_eq!(runs("2001:db8:85a3:0:0:8a2e:370:7334"), vec![(4, 27)]);
        assert_eq!(runs("fe80::1"), vec![(4, 6)]);
        assert_eq!(runs("at ::1 and 1::"), vec![(3, 5), (12, 14)]);
        assert_eq!(runs("x 1:2:3:4:5:6:7 y"), vec![]);
        assert_eq!(runs("12:34:56 aa:bb:cc:dd:ee:ff"), vec![]);
        assert_eq!(runs("{\"a\": 1, \"b\": 2}"), vec![]);
        assert_eq!(runs("ab:cd: 01:23::45"), vec![(2, 14)]);
        assert_eq!(runs(""), vec![]);
    }

    /// The leading-byte table never rules out a pattern that matches: for every pattern of
    /// every group with a twin, at every position but the first of the examples and of
    /// random lines, an anchored match of the pattern alone implies its bit in the table.
    #[test]
    fn leading_bytes_rule_out_no_match() {
        let catalog = Catalog::builtin().expect("catalog");
        let engine = Engine::new(&catalog, EngineOptions::default()).expect("engine");
        // The examples as they are, and further into a line (matches at their start use `^`).
        let mut texts = example_texts(&catalog);
        for text in example_texts(&catalog) {
            texts.extend([[b"id: ", &text[..]].concat(), [b"x\t", &text[..]].concat()]);
        }
        texts.extend(crate::testing::random_lines(
            23,
            b"0123456789 .-/:+()AbCdExyZ,;\t@\xc3\xa9",
            3_000,
            2..32,
        ));
        let mut checked = 0;
        for group in engine.groups.iter().filter(|g| !g.leading.is_empty()) {
            for (q, &(d, p)) in group.patterns.iter().enumerate() {
                let hir = &engine.detectors[usize::from(d)].patterns[usize::from(p)].hir;
                let alone = Regex::builder()
                    .configure(meta::Config::new().utf8_empty(false))
                    .build_from_hir(hir)
                    .expect("compiles");
                // Any other pattern of the group serves as the one that matched.
                let other = PatternID::new_unchecked(usize::from(q == 0));
                for text in &texts {
                    for at in 0..text.len() {
                        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
                        if alone.is_match(input) {
                            checked += 1;
                            assert_ne!(
                                group.others_at(other, text, at).expect("a table") & (1 << q),
                                0,
                                "{} ruled out at {at} of {:?}",
                                engine.detectors[usize::from(d)].patterns[usize::from(p)].name,
                                String::from_utf8_lossy(text)
                            );
                        }
                    }
                }
            }
        }
        assert!(checked > 1_000, "{checked} matches checked");
    }

    /// The `ipv6` pattern prefilter must find what searching around every colon finds.
    #[test]
    fn ipv6_prefilter_loses_nothing() {
        let toml = include_str!("../../detectors/ip_address.toml");
        assert!(toml.contains("prefilter = \"ipv6\""));
        let gated = engine_from("ip_address.toml", toml);
        let every = engine_from("ip_address.toml", &toml.replace("prefilter = \"ipv6\"", ""));
        let mut found = 0;
        for line in
            crate::testing::random_lines(11, b"0123456789abcdefABCDEF:::::. x-/", 20_000, 2..42)
        {
            let expected = line_hits(&every, &line);
            found += expected.len();
            assert_eq!(
                line_hits(&gated, &line),
                expected,
                "{}",
                String::from_utf8_lossy(&line)
            );
        }
        for line in [
            "client 2a02:1810:4d02:a800::8a2e:370:7334 connected",
            "from 2a00:1450:4001:80b::200e via 2606:4700:4700::1111",
            "peer=2a03:2880:f10c:0083:face:b00c:0000:25de;",
            "::ffff:5db8:d822 and 2a01:4f8::",
        ] {
            let expected = line_hits(&every, line.as_bytes());
            assert!(!expected.is_empty(), "{line}");
            assert_eq!(line_hits(&gated, line.as_bytes()), expected, "{line}");
        }
        assert!(found > 20, "{found} addresses in random lines");
    }

    /// The linear sort of keyword hits orders them as a comparison sort would, for hits as the
    /// overlapping pass reports them (by end, nested words included).
    #[test]
    fn keyword_hits_sort_like_a_comparison_sort() {
        let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
        let (mut spare, mut counts) = (Vec::new(), Vec::new());
        for len in [0, 1, 63, 64, 65, 500, 5000] {
            let mut hits: Vec<(u16, usize, usize)> = (0..len)
                .map(|i| {
                    let owner = next(40) as u16 | if next(3) == 0 { CONTEXT_WORD } else { 0 };
                    let end = 10 + i * 3;
                    (owner, end - 1 - next(9) as usize, end)
                })
                .collect();
            hits.sort_by_key(|h| h.2);
            let mut want = hits.clone();
            want.sort_unstable();
            sort_by_owner(&mut hits, &mut spare, &mut counts);
            assert_eq!(hits, want, "{len} hits");
        }
    }

    #[test]
    fn byte_classes_agree_with_plain_loops() {
        let bytes: Vec<u8> = (0..=255u8)
            .chain((0..=255u8).rev())
            .chain(0..=127)
            .collect();
        for start in 0..bytes.len() {
            let block = &bytes[start..bytes.len().min(start + 64)];
            let mask = |f: fn(u8) -> bool| {
                block
                    .iter()
                    .enumerate()
                    .fold(0u64, |m, (i, &b)| m | u64::from(f(b)) << i)
            };
            let expected = Classes {
                upper: mask(|b| b.is_ascii_uppercase()),
                lower: mask(|b| b.is_ascii_lowercase()),
                digit: mask(|b| b.is_ascii_digit()),
                lead: mask(|b| (0xC3..=0xC5).contains(&b)),
                high: mask(|b| b >= 0x80),
            };
            assert_eq!(classes(block), expected, "at {start}");
            assert_eq!(classes_swar(block), expected, "at {start}");
        }
    }

    fn hit(start: usize, end: usize, confidence: f32) -> Hit {
        Hit {
            detector: 0,
            pattern: 0,
            start,
            end,
            confidence,
            test_value: false,
            context: false,
            context_on_line: false,
        }
    }

    /// On the same span with the same confidence, context on the value's own line wins over
    /// catalogue order.
    #[test]
    fn ties_go_to_context_on_the_line() {
        for on_line_first in [false, true] {
            let mut a = hit(0, 11, 0.8);
            a.detector = 1;
            a.context_on_line = true;
            let b = hit(0, 11, 0.8);
            let mut v = if on_line_first {
                vec![a, b]
            } else {
                vec![b, a]
            };
            resolve_overlaps(&mut v);
            assert_eq!(v.len(), 1);
            assert_eq!(v[0].detector, 1, "{on_line_first}");
        }
        // Without it, the detector first in the catalogue.
        let mut a = hit(0, 11, 0.8);
        a.detector = 1;
        let mut v = vec![a, hit(0, 11, 0.8)];
        resolve_overlaps(&mut v);
        assert_eq!(v[0].detector, 0);
    }

    /// An ITIN shaped like a US phone number, labelled on its line, with a phone label on the
    /// next: both detectors reach the same confidence, and the label on the line decides.
    #[test]
    fn a_label_on_the_line_decides_a_tie() {
        let engine = builtin();
        let mut scratch = engine.scratch();
        for text in [
            "My ITIN: 967-90-0696\nTel: +34727205018\n",
            "Tél.: +31-6-1489-3112\nMy ITIN: 931-72-0731\n",
        ] {
            engine.scan(text.as_bytes(), 0..text.len(), &mut scratch);
            let ids: Vec<&str> = scratch
                .hits()
                .iter()
                .map(|h| engine.detectors()[usize::from(h.detector)].id.as_ref())
                .collect();
            assert!(ids.contains(&"us_itin"), "{text:?}: {ids:?}");
            assert_eq!(
                ids.iter().filter(|&&id| id == "phone").count(),
                1,
                "{text:?}: {ids:?}"
            );
        }
    }

    #[test]
    fn overlaps_keep_the_best() {
        let mut v = vec![
            hit(10, 20, 0.5),
            hit(0, 5, 0.9),
            hit(12, 18, 0.8),
            hit(19, 25, 0.6),
            hit(30, 31, 0.1),
        ];
        resolve_overlaps(&mut v);
        let spans: Vec<_> = v.iter().map(|h| (h.start, h.end)).collect();
        assert_eq!(spans, vec![(0, 5), (12, 18), (19, 25), (30, 31)]);
    }
}
