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
    words: Option<AhoCorasick>,
    negative: Option<AhoCorasick>,
    window: usize,
}

fn build(words: &[String]) -> Option<AhoCorasick> {
    if words.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(words)
        .ok()
}

impl ContextMatcher {
    /// Compiles the rules. Words are matched ASCII-case-insensitively.
    pub fn new(context: &Context) -> ContextMatcher {
        ContextMatcher {
            words: build(&context.words),
            negative: build(&context.negative),
            window: context.window,
        }
    }

    /// Whether this detector has any context rule at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_none() && self.negative.is_none()
    }

    /// Looks at `window` bytes on each side of `hay[start..end]`. Negative words count inside
    /// the match too (`noreply@…`); supporting words only around it.
    pub fn evaluate(&self, hay: &[u8], start: usize, end: usize) -> Verdict {
        let before = &hay[start.saturating_sub(self.window)..start];
        let after_end = end.saturating_add(self.window).min(hay.len());
        let after = &hay[end.min(after_end)..after_end];
        let before_base = start - before.len();
        let near = |ac: &AhoCorasick| {
            any_word(ac, hay, before, before_base) || any_word(ac, hay, after, end)
        };
        let around = &hay[before_base..after_end];
        if self
            .negative
            .as_ref()
            .is_some_and(|ac| any_word(ac, hay, around, before_base))
        {
            return Verdict::Suppressed;
        }
        if self.words.as_ref().is_some_and(near) {
            Verdict::Supported
        } else {
            Verdict::Absent
        }
    }
}

/// True if `ac` finds a word in `part` (which starts at `base` in `hay`) that begins at a word
/// boundary: the preceding byte is not a letter or digit, or the word starts a camelCase hump
/// (`userEmail`). Words may end anywhere, so `birth` matches `birthdate`.
fn any_word(ac: &AhoCorasick, hay: &[u8], part: &[u8], base: usize) -> bool {
    ac.find_iter(part)
        .any(|m| at_word_start(hay, base + m.start()))
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
        })
    }

    fn eval(m: &ContextMatcher, text: &str, value: &str) -> Verdict {
        let start = text.find(value).expect("value in text");
        m.evaluate(text.as_bytes(), start, start + value.len())
    }

    #[test]
    fn words_before_and_after_within_window() {
        let m = matcher(&["dob", "birth"], &["order"]);
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
        assert_eq!(
            eval(&m, "order dob 1980-01-02", "1980-01-02"),
            Verdict::Suppressed
        );
        assert_eq!(
            eval(&m, "dob x-order-1980", "x-order-1980"),
            Verdict::Suppressed
        );
    }

    #[test]
    fn window_is_clamped_at_buffer_edges() {
        let m = matcher(&["x"], &[]);
        assert_eq!(m.evaluate(b"abc", 0, 3), Verdict::Absent);
        assert_eq!(m.evaluate(b"x", 1, 1), Verdict::Supported);
    }
}
