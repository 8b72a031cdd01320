//! Person names without a language model: dictionary look-ups over the tokens of a candidate
//! whose shape (capitalisation, separators) the detector's patterns already checked.
//!
//! Lists (`detectors/lists/`): `first_names/`, `surnames/` (census and civil-registry lists),
//! `name_words` (names that are also common words: May, Will, Rose, Mark), `name_particles`
//! (van, de, bin). The rules:
//!
//! * every token is a capitalised word, an initial (`J.`) or a particle; a function word
//!   (`name_stopwords`: My, The, Den, Las, Per) is part of a name only after a title or in a
//!   field whose name supports names, and then counts as a word in no dictionary;
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
use crate::detection::lists::{MAX_WORD, WordTags};

// Tags of the name lists in one table ([`WordTags`]): one look-up per token answers them all.
const FIRST: u16 = 1;
const LAST: u16 = 1 << 1;
const COMMON: u16 = 1 << 2;
const STOP: u16 = 1 << 3;
const PARTICLE: u16 = 1 << 4;
const TITLE: u16 = 1 << 5;
const SALUTATION: u16 = 1 << 6;

fn words() -> &'static WordTags {
    static WORDS: OnceLock<WordTags> = OnceLock::new();
    WORDS.get_or_init(|| {
        WordTags::from_lists(&[
            ("first_names", FIRST),
            ("surnames", LAST),
            ("name_words", COMMON),
            ("name_stopwords", STOP),
            ("name_particles", PARTICLE),
            ("honorifics", TITLE),
            ("salutations", SALUTATION),
        ])
    })
}

/// Whether `word` is in the `name_particles` list (`van`, `de`; case-folded).
pub fn is_particle(word: &[u8]) -> bool {
    words().get(word) & PARTICLE != 0
}

/// Length of the longest name particle (`della`): longer words are not looked up as one.
fn max_particle() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        crate::detection::lists::entries("name_particles")
            .unwrap_or_default()
            .iter()
            .map(|p| p.len())
            .max()
            .unwrap_or(0)
    })
}

/// Loads the lists now, so that the first scan does not pay for it.
pub fn warm_up() {
    let _ = words();
    let _ = max_particle();
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

/// What a name word is, given its own tags: hyphenated words (`Jean-Pierre`, `Smith-Jones`)
/// take the best of their parts; `O'Brien` is looked up as written and without the apostrophe.
fn classify(token: &[u8], tags: u16, w: &WordTags) -> Word {
    let mut word = Word {
        common: true,
        stop: tags & STOP != 0,
        ..Word::default()
    };
    let hyphenated = token.contains(&b'-');
    for part in token.split(|&b| b == b'-').filter(|p| !p.is_empty()) {
        let t = lookup(part, if hyphenated { w.get(part) } else { tags }, w);
        word.first |= t & FIRST != 0;
        word.last |= t & LAST != 0;
        word.common &= t & COMMON != 0;
    }
    word
}

/// The tags of `part` (one hyphen-separated part of a name word), given its tags as written:
/// when it is neither a first name nor a surname as written, those two come from the part
/// without its apostrophe (`O'Brien`).
fn lookup(part: &[u8], tags: u16, w: &WordTags) -> u16 {
    if tags & (FIRST | LAST) != 0 || !part.contains(&b'\'') {
        return tags;
    }
    let mut buf = [0u8; MAX_WORD];
    let mut n = 0;
    for &b in part.iter().filter(|&&b| b != b'\'') {
        if n == buf.len() {
            break;
        }
        buf[n] = b;
        n += 1;
    }
    tags | (w.get(&buf[..n]) & (FIRST | LAST))
}

/// Whether `token`, with tags `tags`, is a title (`Mr`, `Sig.`, `M.`), with or without its
/// final dot.
fn is_title(token: &[u8], tags: u16, w: &WordTags) -> bool {
    tags & TITLE != 0
        || token
            .strip_suffix(b".")
            .is_some_and(|t| w.get(t) & TITLE != 0)
}

/// Whether `b` may be part of a name word: an ASCII letter or a byte of a non-ASCII UTF-8
/// character.
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b >= 0x80
}

/// Whether `part` is a known first name or surname, as [`classify`] looks it up.
fn known_part(part: &[u8], w: &WordTags) -> bool {
    lookup(part, w.get(part), w) & (FIRST | LAST) != 0
}

/// Whether the capitalised word starting at `at` in `hay` may belong to a name that the
/// `person_name` validator accepts: the prefilter of `prefilter = "name_words"`.
///
/// Every accepted name holds a known first name or surname, or starts with a title (the
/// validator's rules, in the module documentation). So a capitalised word opens a search window
/// only when it is itself a known name part (also with an `O'`/`D'` prefix), a title, or stands
/// next to a known all-capitals word (`DUPONT, Jean`, `Jean DUPONT`) or after a title that is
/// not a capitalised word itself (`M.`); and in every case only where a pattern can hold it
/// (`has_partner`: next to another capitalised word, after a label, or alone). This is a
/// necessary condition, never a verdict: the window is then searched and validated as before.
/// `at` is a word start as reported by the engine's capitalised-word pass (an ASCII capital or
/// a Latin letter in UTF-8).
pub fn may_hold_name_word(hay: &[u8], at: usize) -> bool {
    let end = at + hay[at..].iter().take_while(|&&b| name_byte(b)).count();
    // Every rule below needs a partner: the cheap test first, before any look-up.
    let s = words();
    if !has_partner(hay, at, end, s) {
        return false;
    }
    let word = &hay[at..end];
    let tags = s.get(word);
    // A title, or a known name part (`O'Brien`, `D'Angelo`: the word starts two bytes earlier).
    if is_title(word, tags, s)
        || lookup(word, tags, s) & (FIRST | LAST) != 0
        || (at >= 2
            && hay[at - 1] == b'\''
            && hay[at - 2].is_ascii_uppercase()
            && known_part(&hay[at - 2..end], s))
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
        let tags = s.get(previous);
        if is_title(previous, tags, s) {
            return true;
        }
        if tags & PARTICLE == 0 {
            return false;
        }
        (from, previous) = word_before(from);
    }
    false
}

/// Whether the capitalised word `hay[at..end]` stands where one of the `person_name` patterns
/// can hold it: next to another capitalised word (a name word, an initial, a title, a
/// salutation, an all-capitals name), across the separators and up to two particles the
/// patterns allow (`Daan de Vries`, `Doe, Jane`, `Rossi;Giulia`, `Dr. Xyz`); joined to a longer
/// word (`Smith-Jones`, `O'Brien`); after a label (`name: Jane`, `"nome": "Giulia"`); or alone
/// at the start of the text (a whole field). A word anywhere else (`Safari/537.36`,
/// `[10/Jan/2024`, `he met Jane today`) cannot be part of an accepted name: the patterns that
/// match one word alone need a title, a label or the whole field, and the others need two
/// capitalised words. Looks up nothing but short lower-case words (particles).
fn has_partner(hay: &[u8], at: usize, end: usize, s: &WordTags) -> bool {
    let separator = |b: u8| matches!(b, b' ' | b',' | b';' | b'\t' | b'|');
    let token_byte = |b: u8| name_byte(b) || matches!(b, b'.' | b'-' | b'\'');
    // Titles and salutations in the patterns are capitalised too.
    let partner = |t: &[u8]| {
        t.first()
            .is_some_and(|&b| b.is_ascii_uppercase() || (0xC3..=0xC5).contains(&b))
    };
    let particle = |t: &[u8]| t.len() <= max_particle() && s.get(t) & PARTICLE != 0;
    if (at > 0 && matches!(hay[at - 1], b'-' | b'\'')) || hay.get(end).is_some_and(|&b| b == b'-') {
        return true;
    }
    // A label before the word, or nothing but quotes and blanks.
    let mut i = at;
    while i > 0 && at - i < 6 && matches!(hay[i - 1], b' ' | b'\t' | b'"' | b'\'') {
        i -= 1;
    }
    if i == 0 || matches!(hay[i - 1], b':' | b'=') {
        return true;
    }
    // On each side: separators, then a partner or a particle to step over. A token is read up
    // to MAX_WORD bytes: a name word of the patterns is at most 46 (`Mac` + 20 + `-` + 1 + 20),
    // so a partner's first byte is always reached.
    let side = |mut i: usize, forward: bool| {
        // The byte next to position `i` on this side, and the next position.
        let byte = |i: usize| match forward {
            true => hay.get(i).copied(),
            false => i.checked_sub(1).map(|p| hay[p]),
        };
        let step = |i: usize| if forward { i + 1 } else { i - 1 };
        for _ in 0..3 {
            let mut j = i;
            while j.abs_diff(i) < 3 && byte(j).is_some_and(separator) {
                j = step(j);
            }
            if j == i {
                break;
            }
            let mut k = j;
            while k.abs_diff(j) < MAX_WORD && byte(k).is_some_and(token_byte) {
                k = step(k);
            }
            let token = &hay[j.min(k)..j.max(k)];
            if partner(token) {
                return true;
            }
            if !particle(token) {
                break;
            }
            i = k;
        }
        false
    };
    // Forwards after a title's dot too: `Dr. Xyz`.
    side(at, false) || side(end + usize::from(hay.get(end) == Some(&b'.')), true)
}

fn is_initial(token: &[u8]) -> bool {
    matches!(token, [c] | [c, b'.'] if c.is_ascii_uppercase())
}

/// Validator `person_name`.
pub fn person_name(value: &[u8], ctx: &Ctx) -> Verdict {
    let s = words();
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
        let tags = s.get(token);
        if n == 0 && is_title(token, tags, s) {
            title = true;
            continue;
        }
        if n == 0 && tags & SALUTATION != 0 {
            salutation = true;
            continue;
        }
        if is_initial(token) || tags & PARTICLE != 0 {
            continue;
        }
        if token.first().is_none_or(|b| b.is_ascii_lowercase()) || n == words.len() {
            return Verdict::Invalid;
        }
        words[n] = classify(token, tags, s);
        n += 1;
    }
    let words = &words[..n];
    let (Some(&head), Some(&tail)) = (words.first(), words.last()) else {
        return Verdict::Invalid;
    };
    // A function word is no name word (`The Smiths`, `My Steuer-ID`), unless a title or the
    // field's name says the candidate is a name: then it counts as a word in no dictionary
    // (`Per Lindgren` in a `full_name` column; Per is a given name and a preposition). A
    // context word near it is too weak a hint (`Old NINO on file`).
    if !(title || ctx.field) && words.iter().any(|w| w.stop) {
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
        for (text, word, opens) in [
            // Known names and titles open a window.
            ("wrote to Jane Xyzzyq", "Jane", true),
            ("wrote to Xyzzyq Schmidt", "Schmidt", true),
            ("Frau Xyzzyq", "Frau", true),
            ("O'Brien said", "Brien", true),
            // So does an unknown word next to a known all-capitals name or after `M.`.
            ("DUPONT, Xyzzyq", "Xyzzyq", true),
            ("Xyzzyq DUPONT", "Xyzzyq", true),
            ("M. Xyzzyq", "Xyzzyq", true),
            ("M. de Xyzzyq", "Xyzzyq", true),
            ("M. van der Xyzzyq", "Xyzzyq", true),
            ("Qwertyx de Xyzzyq", "Xyzzyq", false),
            // Other capitalised words do not.
            ("wrote to Xyzzyq Qwertyx", "Xyzzyq", false),
            ("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla", false),
            ("XYZZYQ, Qwertyx", "Qwertyx", false),
            ("Qwertyx", "Qwertyx", false),
            // A known name opens one only where a pattern can hold it.
            ("signed by Daan de Vries", "Vries", true),
            ("Daan de Vries signed", "Daan", true),
            ("signed by Doe, Jane", "Doe", true),
            ("1001;Rossi;Giulia;x", "Giulia", true),
            ("signed by John F. Kennedy", "Kennedy", true),
            ("Dear Anna, hello", "Anna", true),
            ("name: Anna", "Anna", true),
            (r#"{"nome":"Giulia"}"#, "Giulia", true),
            ("Anna", "Anna", true),
            ("he met Anna today", "Anna", false),
            ("Chrome/120.0 Safari/537.36", "Safari", false),
            ("[10/Jan/2024:10:00:00 +0000]", "Jan", false),
            ("Dr. Xyzzyq", "Dr", true),
            ("die Frau schreibt", "Frau", false),
        ] {
            let at = text.find(word).expect("word in text");
            assert_eq!(
                may_hold_name_word(text.as_bytes(), at),
                opens,
                "{word} in {text:?}"
            );
        }
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

    /// A function word that is also a given name (`Per`) counts, as a word in no dictionary,
    /// only after a title or under a field name that supports names.
    #[test]
    fn function_words_need_a_title_or_a_field() {
        let by_field = |v: &str| {
            let ctx = Ctx {
                context: true,
                field: true,
                ..TODAY
            };
            person_name(v.as_bytes(), &ctx) == Verdict::Valid
        };
        assert!(!check("Per Lindgren", false));
        assert!(!check("Per Lindgren", true));
        assert!(!check("My Steuer", true));
        assert!(by_field("Per Lindgren"));
        assert!(check("Herr Per Lindgren", false));
        // Still at most one word in no dictionary, and never a lone function word.
        assert!(!by_field("The Xyzzyq"));
        assert!(!by_field("Per"));
    }
}
