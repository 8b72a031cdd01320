//! Context words around a candidate: the part of a recognizer that raises, requires or
//! suppresses a match depending on what surrounds it.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::catalog::Context;

/// What the context around one candidate says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A negative word is near: the candidate is dropped.
    Suppressed,
    /// A context word is near.
    Supported,
    /// No context word is near.
    Absent,
}

/// Compiled context rules of one detector.
#[derive(Debug, Clone)]
pub struct ContextMatcher {
    /// Supporting and negative words (negative ones first).
    words: Vec<String>,
    /// `words` in one automaton, so that a candidate costs one search around it. Built on
    /// first use: most candidates' context comes from the engine's shared keyword pass, and
    /// building every detector's automaton at start-up cost ~80 M instructions.
    both: std::sync::OnceLock<Option<Words>>,
    /// Number of negative words: patterns of `both` below it are negative.
    negatives: usize,
    /// Field names that suppress the values under them (`negative_fields`).
    fields: Option<Words>,
    window: usize,
}

/// A compiled word list: whole words, or stems where the word ends in `*`.
#[derive(Debug, Clone)]
pub struct Words {
    ac: AhoCorasick,
    /// Per word: true if it is a stem (may be followed by more letters).
    stem: Vec<bool>,
}

impl Words {
    /// Compiles `words` (ASCII-case-insensitive); `None` if the list is empty.
    pub fn new(words: &[String]) -> Option<Words> {
        build(words)
    }

    /// Whether one of the words stands as a word in `hay[lo..hi]`.
    pub fn any_in(&self, hay: &[u8], lo: usize, hi: usize) -> bool {
        any_word(self, hay, &hay[lo..hi], lo)
    }
}

fn build(words: &[String]) -> Option<Words> {
    if words.is_empty() {
        return None;
    }
    let stem = words.iter().map(|w| w.ends_with('*')).collect();
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(words.iter().map(|w| w.trim_end_matches('*')))
        .ok()?;
    Some(Words { ac, stem })
}

impl ContextMatcher {
    /// The rules of `context`, compiled on first use. Words are matched
    /// ASCII-case-insensitively.
    pub fn new(context: &Context) -> ContextMatcher {
        ContextMatcher::with_fields(context, build(&context.negative_fields))
    }

    /// Like [`ContextMatcher::new`], with `context.negative_fields` already compiled (detectors
    /// that share a list share its automaton: the seven special categories name the same
    /// job-title and account fields).
    pub fn with_fields(context: &Context, fields: Option<Words>) -> ContextMatcher {
        let both: Vec<String> = context
            .negative
            .iter()
            .chain(&context.words)
            .cloned()
            .collect();
        ContextMatcher {
            words: both,
            both: std::sync::OnceLock::new(),
            negatives: context.negative.len(),
            fields,
            window: context.window,
        }
    }

    /// Whether the field name `name` is one of the negative field names (`negative_fields`).
    pub fn negative_field(&self, name: &[u8]) -> bool {
        self.fields
            .as_ref()
            .is_some_and(|f| f.any_in(name, 0, name.len()))
    }

    fn automaton(&self) -> Option<&Words> {
        self.both.get_or_init(|| build(&self.words)).as_ref()
    }

    /// Whether this detector has any context rule at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Looks at `window` bytes on each side of `hay[start..end]`. Negative words count inside
    /// the match too (`noreply@…`); supporting words only around it.
    pub fn evaluate(&self, hay: &[u8], start: usize, end: usize) -> Verdict {
        self.judge(hay, start, end).0
    }

    /// [`ContextMatcher::evaluate`], and whether a supporting word stands on the value's own
    /// line (a label such as `ITIN:` says more than a word on the next line).
    pub fn judge(&self, hay: &[u8], start: usize, end: usize) -> (Verdict, bool) {
        let Some(both) = self.automaton() else {
            return (Verdict::Absent, false);
        };
        let n = self.neighbourhood(hay, start, end);
        // One search over the whole neighbourhood.
        let words = both
            .ac
            .find_overlapping_iter(&hay[n.lo..n.hi])
            .filter_map(|m| {
                let (s, e) = (n.lo + m.start(), n.lo + m.end());
                let id = m.pattern().as_usize();
                (at_word_start(hay, s) && (both.stem[id] || at_word_end(hay, e))).then_some((
                    s,
                    e,
                    id < self.negatives,
                ))
            });
        n.judge(words)
    }

    /// The bytes [`ContextMatcher::evaluate`] looks at around `hay[start..end]`.
    pub fn neighbourhood(&self, hay: &[u8], start: usize, end: usize) -> Neighbourhood {
        let before_base = start.saturating_sub(self.window);
        let before = &hay[before_base..start];
        let after_end = end.saturating_add(self.window).min(hay.len());
        let after = &hay[end.min(after_end)..after_end];
        // Negative words count only on the value's own line (and inside the value): "order"
        // closing the previous sentence says nothing about this number.
        let line_start =
            memchr::memrchr(b'\n', before).map_or(before_base, |i| before_base + i + 1);
        let line_end = memchr::memchr(b'\n', after)
            .map_or(after_end, |i| end + i)
            .max(end);
        Neighbourhood {
            lo: before_base,
            hi: after_end.max(end),
            line_start,
            line_end,
            start,
            end,
        }
    }
}

/// The neighbourhood of one candidate `hay[start..end]`: the bytes `lo..hi` in which context
/// words count, and the candidate's line.
#[derive(Debug, Clone, Copy)]
pub struct Neighbourhood {
    /// Words must lie inside `lo..hi`.
    pub lo: usize,
    /// See `lo`.
    pub hi: usize,
    line_start: usize,
    line_end: usize,
    start: usize,
    end: usize,
}

impl Neighbourhood {
    /// The verdict from the detector's words found in `lo..hi` that stand as words, as
    /// `(start, end, negative)` in any order: supporting words count before or after the
    /// value (not across its edges), negative ones anywhere on its line.
    ///
    /// With the verdict: whether a supporting word stands on the value's own line.
    pub fn judge(&self, words: impl Iterator<Item = (usize, usize, bool)>) -> (Verdict, bool) {
        let (mut supported, mut on_line) = (false, false);
        for (s, e, negative) in words {
            let line = s >= self.line_start && e <= self.line_end;
            if negative {
                if line {
                    return (Verdict::Suppressed, false);
                }
            } else if e <= self.start || s >= self.end {
                supported = true;
                on_line |= line;
            }
        }
        if supported {
            (Verdict::Supported, on_line)
        } else {
            (Verdict::Absent, false)
        }
    }
}

impl ContextMatcher {
    /// What a field name (a column name, CSV header or JSON key path such as
    /// `customer.birth_date`) says about the values under it: a negative word or a negative
    /// field name (`negative_fields`) suppresses them, a context word supports them. Word rules
    /// are the same as in text (`birth_date`, `dateOfBirth` and `dob` all contain whole words).
    /// The engine gets the same verdicts for all detectors at once from its keyword pass
    /// (`Engine::field_context`); this is its fallback and its check.
    pub fn evaluate_name(&self, name: &[u8]) -> Verdict {
        if self.negative_field(name) {
            return Verdict::Suppressed;
        }
        let Some(both) = self.automaton() else {
            return Verdict::Absent;
        };
        let mut supported = false;
        for m in both.ac.find_overlapping_iter(name) {
            let id = m.pattern().as_usize();
            if at_word_start(name, m.start()) && (both.stem[id] || at_word_end(name, m.end())) {
                if id < self.negatives {
                    return Verdict::Suppressed;
                }
                supported = true;
            }
        }
        if supported {
            Verdict::Supported
        } else {
            Verdict::Absent
        }
    }
}

/// True if `words` finds a word in `part` (which starts at `base` in `hay`) that stands as a
/// word: it starts at a word boundary, and ends at one unless it is a stem.
fn any_word(words: &Words, hay: &[u8], part: &[u8], base: usize) -> bool {
    words.ac.find_overlapping_iter(part).any(|m| {
        let (start, end) = (base + m.start(), base + m.end());
        at_word_start(hay, start) && (words.stem[m.pattern().as_usize()] || at_word_end(hay, end))
    })
}

/// Whether a word ending before `pos` in `hay` ends at a word boundary: the next byte is not
/// a letter or digit, or a camelCase hump starts there (`emailAddress`).
pub fn at_word_end(hay: &[u8], pos: usize) -> bool {
    match (pos.checked_sub(1).and_then(|p| hay.get(p)), hay.get(pos)) {
        (_, None) => true,
        (Some(last), Some(next)) => {
            !next.is_ascii_alphanumeric()
                || (last.is_ascii_lowercase() && next.is_ascii_uppercase())
        }
        (None, Some(next)) => !next.is_ascii_alphanumeric(),
    }
}

/// Whether a word starting at `pos` in `hay` starts at a word boundary.
pub fn at_word_start(hay: &[u8], pos: usize) -> bool {
    let Some(&prev) = pos.checked_sub(1).and_then(|p| hay.get(p)) else {
        return true;
    };
    let first = hay.get(pos).copied().unwrap_or(0);
    !prev.is_ascii_alphanumeric() || (prev.is_ascii_lowercase() && first.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(words: &[&str], negative: &[&str]) -> ContextMatcher {
        ContextMatcher::new(&Context {
            words: words.iter().map(|w| w.to_string()).collect(),
            window: 20,
            boost: 0.1,
            required: false,
            negative: negative.iter().map(|w| w.to_string()).collect(),
            negative_fields: Vec::new(),
            detectors: Vec::new(),
        })
    }

    fn eval(m: &ContextMatcher, text: &str, value: &str) -> Verdict {
        let start = text.find(value).expect("value in text");
        m.evaluate(text.as_bytes(), start, start + value.len())
    }

    #[test]
    fn words_before_and_after_within_window() {
        let m = matcher(&["dob", "birth*"], &["order"]);
        assert_eq!(
            eval(&m, "DOB: 1980-01-02", "1980-01-02"),
            Verdict::Supported
        );
        assert_eq!(
            eval(&m, "1980-01-02 (date of birth)", "1980-01-02"),
            Verdict::Supported
        );
        assert_eq!(
            eval(&m, "user_birthdate=1980-01-02", "1980-01-02"),
            Verdict::Supported
        );
        assert_eq!(
            eval(&m, "userDob=1980-01-02", "1980-01-02"),
            Verdict::Supported
        );
        assert_eq!(
            eval(
                &m,
                "dob is far away from here ...... 1980-01-02",
                "1980-01-02"
            ),
            Verdict::Absent
        );
        assert_eq!(eval(&m, "adobe 1980-01-02", "1980-01-02"), Verdict::Absent);
        assert_eq!(eval(&m, "dobson 1980-01-02", "1980-01-02"), Verdict::Absent);
        assert_eq!(eval(&m, "dob:1980-01-02", "1980-01-02"), Verdict::Supported);
        assert_eq!(
            eval(&m, "dobDate 1980-01-02", "1980-01-02"),
            Verdict::Supported
        );
        let t = matcher(&["telefon"], &[]);
        assert_eq!(
            eval(&t, "x@telefonica.es 030 1234567", "030 1234567"),
            Verdict::Absent
        );
        assert_eq!(
            eval(&t, "Telefon: 030 1234567", "030 1234567"),
            Verdict::Supported
        );
        assert_eq!(
            eval(&m, "order dob 1980-01-02", "1980-01-02"),
            Verdict::Suppressed
        );
        assert_eq!(
            eval(&m, "dob x-order-1980", "x-order-1980"),
            Verdict::Suppressed
        );
        let two_lines = "the order.\ndob 1980-01-02";
        assert_eq!(eval(&m, two_lines, "1980-01-02"), Verdict::Supported);
        assert_eq!(
            eval(&m, "dob\n1980-01-02", "1980-01-02"),
            Verdict::Supported
        );
    }

    #[test]
    fn window_is_clamped_at_buffer_edges() {
        let m = matcher(&["x"], &[]);
        assert_eq!(m.evaluate(b"abc", 0, 3), Verdict::Absent);
        assert_eq!(m.evaluate(b"x", 1, 1), Verdict::Supported);
    }
}
