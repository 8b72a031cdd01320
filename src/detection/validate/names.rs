//! Person names without a language model: dictionary look-ups over the tokens of a candidate
//! whose shape (capitalisation, separators) the detector's patterns already checked.
//!
//! Lists (`detectors/lists/`): `first_names/`, `surnames/` (census and civil-registry lists),
//! `name_words` (names that are also common words: May, Will, Rose, Mark), `name_particles`
//! (van, de, bin). The rules:
//!
//! * every token is a capitalised word, an initial (`J.`) or a particle; a function word
//!   (`name_stopwords`: My, The, Den, Las) is never part of a name;
//! * **without context**: at least two name words; the given name is a known first name and
//!   the family name a known surname (`Last, First` when a comma separates them); a middle
//!   word is a known first name or surname; and not every name word is a common word
//!   ("Mark Rose" needs corroboration, "Mark Hoffmann" does not);
//! * after a **title** (Mr, Frau, Sig., Dhr.: `honorifics`) one word may be in no dictionary;
//!   after a **salutation** (Dear, Liebe, Beste: `salutations`) every word must be a known name;
//! * **with context** (an honorific, `name:`, a field name such as `last_name`): one name word
//!   may stand alone, common words are allowed, and at most one name word may be unknown.

use std::sync::OnceLock;

use super::{Ctx, Verdict};
use crate::detection::lists::WordSet;

struct Sets {
    first: WordSet,
    last: WordSet,
    common: WordSet,
    stop: WordSet,
    particles: WordSet,
    titles: WordSet,
    salutations: WordSet,
}

fn sets() -> &'static Sets {
    static SETS: OnceLock<Sets> = OnceLock::new();
    SETS.get_or_init(|| Sets {
        first: WordSet::from_lists(&["first_names"]),
        last: WordSet::from_lists(&["surnames"]),
        common: WordSet::from_lists(&["name_words"]),
        stop: WordSet::from_lists(&["name_stopwords"]),
        particles: WordSet::from_lists(&["name_particles"]),
        titles: WordSet::from_lists(&["honorifics"]),
        salutations: WordSet::from_lists(&["salutations"]),
    })
}

/// Loads the lists now, so that the first scan does not pay for it.
pub fn warm_up() {
    let _ = sets();
}

#[derive(Debug, Clone, Copy, Default)]
struct Word {
    first: bool,
    last: bool,
    common: bool,
    stop: bool,
}

impl Word {
    fn known(self) -> bool {
        (self.first || self.last) && !self.stop
    }
}

/// What a name word is: hyphenated words (`Jean-Pierre`, `Smith-Jones`) take the best of their
/// parts; `O'Brien` is looked up as written and without the apostrophe.
fn classify(token: &[u8], s: &Sets) -> Word {
    let mut w = Word {
        common: true,
        ..Word::default()
    };
    for part in token.split(|&b| b == b'-').filter(|p| !p.is_empty()) {
        let (first, last) = lookup(part, s);
        w.first |= first;
        w.last |= last;
        w.common &= s.common.contains(part);
    }
    w.stop = s.stop.contains(token);
    w
}

/// Whether `part` (one hyphen-separated part of a name word) is a known (first name, surname),
/// as written or, failing that, without its apostrophe (`O'Brien`).
fn lookup(part: &[u8], s: &Sets) -> (bool, bool) {
    let (first, last) = (s.first.contains(part), s.last.contains(part));
    if first || last || !part.contains(&b'\'') {
        return (first, last);
    }
    let mut buf = [0u8; crate::detection::lists::MAX_WORD];
    let mut n = 0;
    for &b in part.iter().filter(|&&b| b != b'\'') {
        if n == buf.len() {
            break;
        }
        buf[n] = b;
        n += 1;
    }
    (s.first.contains(&buf[..n]), s.last.contains(&buf[..n]))
}

/// Whether `token` is a title (`Mr`, `Sig.`, `M.`), with or without its final dot.
fn is_title(token: &[u8], s: &Sets) -> bool {
    s.titles.contains(token) || s.titles.contains(token.strip_suffix(b".").unwrap_or(token))
}

/// Whether `b` may be part of a name word: an ASCII letter or a byte of a non-ASCII UTF-8
/// character.
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b >= 0x80
}

/// Whether `part` is a known first name or surname, as [`classify`] looks it up.
fn known_part(part: &[u8], s: &Sets) -> bool {
    let (first, last) = lookup(part, s);
    first || last
}

/// Whether the capitalised word starting at `at` in `hay` may belong to a name that the
/// `person_name` validator accepts: the prefilter of `prefilter = "name_words"`.
///
/// Every accepted name holds a known first name or surname, or starts with a title (the
/// validator's rules, in the module documentation). So a capitalised word opens a search window
/// only when it is itself a known name part (also with an `O'`/`D'` prefix), a title, or stands
/// next to a known all-capitals word (`DUPONT, Jean`, `Jean DUPONT`) or after a title that is
/// not a capitalised word itself (`M.`). This is a necessary condition, never a verdict: the
/// window is then searched and validated as before. `at` is a word start as reported by the
/// engine's capitalised-word pass (an ASCII capital or a Latin letter in UTF-8).
pub fn may_hold_name_word(hay: &[u8], at: usize) -> bool {
    let s = sets();
    let end = at + hay[at..].iter().take_while(|&&b| name_byte(b)).count();
    let word = &hay[at..end];
    if known_part(word, s) || is_title(word, s) {
        return true;
    }
    // `O'Brien`, `D'Angelo`: the word starts two bytes earlier.
    if at >= 2
        && hay[at - 1] == b'\''
        && hay[at - 2].is_ascii_uppercase()
        && known_part(&hay[at - 2..end], s)
    {
        return true;
    }
    // The neighbours: the word before (a title such as `M.`, also across up to two particles:
    // `M. de Xyz`, or an all-capitals name) and after (an all-capitals name), across up to two
    // spaces and a comma.
    let word_before = |to: usize| {
        let mut i = to;
        let mut gaps = 0;
        while i > 0 && matches!(hay[i - 1], b' ' | b',') && gaps < 3 {
            i -= 1;
            gaps += 1;
        }
        let stop = i;
        while i > 0 && (name_byte(hay[i - 1]) || hay[i - 1] == b'.' || hay[i - 1] == b'-') {
            i -= 1;
        }
        (i, &hay[i..stop])
    };
    let (mut from, before) = word_before(at);
    let after = {
        let mut i = end;
        let mut gaps = 0;
        while i < hay.len() && matches!(hay[i], b' ' | b',') && gaps < 3 {
            i += 1;
            gaps += 1;
        }
        let start = i;
        while i < hay.len() && (name_byte(hay[i]) || hay[i] == b'-') {
            i += 1;
        }
        &hay[start..i]
    };
    let capitals_known = |t: &[u8]| {
        t.len() >= 2
            && !t.iter().any(u8::is_ascii_lowercase)
            && t.split(|&b| b == b'-').any(|p| known_part(p, s))
    };
    if capitals_known(before) || capitals_known(after) {
        return true;
    }
    let mut previous = before;
    for _ in 0..3 {
        if is_title(previous, s) {
            return true;
        }
        if previous.is_empty() || !s.particles.contains(previous) {
            return false;
        }
        (from, previous) = word_before(from);
    }
    false
}

fn is_initial(token: &[u8]) -> bool {
    matches!(token, [c] | [c, b'.'] if c.is_ascii_uppercase())
}

/// Validator `person_name`.
pub fn person_name(value: &[u8], ctx: &Ctx) -> Verdict {
    let s = sets();
    // `Doe, Jane` is family name first; cells (`Jane,Doe`, `Doe;Jane`) may be in either order.
    let reversed = value.windows(2).any(|w| w == b", ");
    let cells = !reversed
        && value
            .iter()
            .any(|b| matches!(b, b',' | b';' | b'\t' | b'|'));
    // Up to 6 name words are judged; more is not a name.
    let mut words = [Word::default(); 6];
    let mut n = 0;
    let (mut title, mut salutation) = (false, false);
    for token in value
        .split(|&b| matches!(b, b' ' | b'\t' | b',' | b';' | b'|'))
        .filter(|t| !t.is_empty())
    {
        if n == 0 && is_title(token, s) {
            title = true;
            continue;
        }
        if n == 0 && s.salutations.contains(token) {
            salutation = true;
            continue;
        }
        if is_initial(token) || s.particles.contains(token) {
            continue;
        }
        if token.first().is_none_or(|b| b.is_ascii_lowercase()) || n == words.len() {
            return Verdict::Invalid;
        }
        words[n] = classify(token, s);
        n += 1;
    }
    let words = &words[..n];
    let (Some(&head), Some(&tail)) = (words.first(), words.last()) else {
        return Verdict::Invalid;
    };
    if words.iter().any(|w| w.stop) {
        return Verdict::Invalid;
    }
    let unknown = words.iter().filter(|w| !w.known()).count();
    // After a title one word may be in no dictionary (`Sig. Colombo`); after a salutation every
    // word must be a name (`Dear Anna`, not `Dear Colleague`).
    if title {
        return super::valid_if(unknown <= 1);
    }
    if salutation {
        return super::valid_if(unknown == 0);
    }
    if ctx.context {
        return super::valid_if(unknown < words.len() && unknown <= 1);
    }
    let in_order = |given: Word, family: Word| given.first && family.last;
    let ordered = if reversed {
        in_order(tail, head)
    } else {
        in_order(head, tail) || (cells && in_order(tail, head))
    };
    let ok = words.len() >= 2
        && ordered
        && words[1..words.len() - 1].iter().all(|w| w.known())
        && !words.iter().all(|w| w.common);
    super::valid_if(ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::validate::TODAY;

    fn check(value: &str, context: bool) -> bool {
        let ctx = Ctx { context, ..TODAY };
        person_name(value.as_bytes(), &ctx) == Verdict::Valid
    }

    #[test]
    fn dictionary_names_stand_alone() {
        for v in [
            "Jane Doe",
            "Anna Schmidt",
            "Jörg Müller",
            "Lucía Fernández",
            "Giulia Rossi",
            "Daan de Vries",
            "Sanne van der Berg",
            "Jean-Pierre Dupont",
            "John F. Kennedy",
            "Mark Hoffmann",
            "Will Smith",
            "SCHMIDT, Anna",
            "Nowak, Piotr",
            "Piotr Kowalski",
            "Aisha Khan",
            "Priya Patel",
            "Giulia,Rossi",
            "Rossi;Giulia",
        ] {
            assert!(check(v, false), "{v}");
        }
    }

    #[test]
    fn name_word_prefilter() {
        let open = |text: &str, word: &str| {
            let at = text.find(word).expect("word in text");
            may_hold_name_word(text.as_bytes(), at)
        };
        // Known names and titles open a window.
        assert!(open("wrote to Jane Xyzzyq", "Jane"));
        assert!(open("wrote to Xyzzyq Schmidt", "Schmidt"));
        assert!(open("Frau Xyzzyq", "Frau"));
        assert!(open("O'Brien said", "Brien"));
        // So does an unknown word next to a known all-capitals name or after `M.`.
        assert!(open("DUPONT, Xyzzyq", "Xyzzyq"));
        assert!(open("Xyzzyq DUPONT", "Xyzzyq"));
        assert!(open("M. Xyzzyq", "Xyzzyq"));
        assert!(open("M. de Xyzzyq", "Xyzzyq"));
        assert!(open("M. van der Xyzzyq", "Xyzzyq"));
        assert!(!open("Qwertyx de Xyzzyq", "Xyzzyq"));
        // Other capitalised words do not.
        assert!(!open("wrote to Xyzzyq Qwertyx", "Xyzzyq"));
        assert!(!open("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla"));
        assert!(!open("XYZZYQ, Qwertyx", "Qwertyx"));
        assert!(!open("Qwertyx", "Qwertyx"));
    }

    #[test]
    fn common_words_and_unknown_words_need_more() {
        for v in [
            "Mark Rose",
            "Rose Bowl",
            "May June",
            "Hope Street",
            "Church Street",
            "Customer Service",
            "Hello World",
            "Jane",
            "Smith",
            "Order Status",
            "Grace Church",
            "My SIN",
            "The Apple Watch",
        ] {
            assert!(!check(v, false), "{v}");
        }
        assert!(check("Mark Rose", true));
        assert!(check("Smith", true));
        assert!(check("Anna Xyzzyq", true));
        assert!(!check("Customer Service", true));
        assert!(!check("Rose Bowl Tickets", true));
        assert!(!check("jane doe", true));
    }
}
