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
        let mut first = s.first.contains(part);
        let mut last = s.last.contains(part);
        if !first && !last && part.contains(&b'\'') {
            let mut buf = [0u8; crate::detection::lists::MAX_WORD];
            let mut n = 0;
            for &b in part.iter().filter(|&&b| b != b'\'') {
                if n == buf.len() {
                    break;
                }
                buf[n] = b;
                n += 1;
            }
            first = s.first.contains(&buf[..n]);
            last = s.last.contains(&buf[..n]);
        }
        w.first |= first;
        w.last |= last;
        w.common &= s.common.contains(part);
    }
    w.stop = s.stop.contains(token);
    w
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
        if n == 0
            && (s.titles.contains(token)
                || s.titles.contains(token.strip_suffix(b".").unwrap_or(token)))
        {
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
