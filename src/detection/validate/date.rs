//! Calendar dates in the forms people write, and dates of birth.
//!
//! Numeric: `yyyy-mm-dd` (and `/`, `.`), `yyyymmdd`, `dd/mm/yyyy`, `mm/dd/yyyy`, `dd.mm.yyyy`,
//! `dd-mm-yyyy`, two-digit years; with month names in English, German, French, Spanish,
//! Italian and Dutch, full or abbreviated (`12 March 1985`, `March 12, 1985`, `12. März 1985`,
//! `1er mars 1985`, `12 de marzo de 1985`, `12 maart 1985`).

use super::{Ctx, Verdict};

/// Month names and abbreviations, lower-case, by month number.
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("jänner", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("januari", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("fev", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("maart", 3),
    ("mrt", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mag", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("giu", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("lug", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("set", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
];

/// Words that may stand between the parts of a date.
const FILLERS: &[&str] = &[
    "de", "del", "of", "the", "st", "nd", "rd", "th", "er", "ero",
];

fn month_of(word: &[u8]) -> Option<u8> {
    let mut lower = [0u8; 16];
    let buf = lower.get_mut(..word.len())?;
    for (o, &b) in buf.iter_mut().zip(word) {
        *o = b.to_ascii_lowercase();
    }
    // Upper-case Ä/É/Û as written in headings: fold the second UTF-8 byte of Latin-1 capitals.
    for i in 1..buf.len() {
        if buf[i - 1] == 0xC3 && (0x80..=0x9E).contains(&buf[i]) {
            buf[i] += 0x20;
        }
    }
    MONTHS
        .iter()
        .find(|(name, _)| name.as_bytes() == &*buf)
        .map(|&(_, m)| m)
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn real(y: i32, m: u32, d: u32) -> Option<(i32, u8, u8)> {
    let (m, d) = (u8::try_from(m).ok()?, u8::try_from(d).ok()?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

/// Whether year `y`, month `m` and day `d` form a real calendar date.
pub(super) fn is_real(y: i32, m: u32, d: u32) -> bool {
    real(y, m, d).is_some()
}

/// Whether `y`-`m`-`d` is a real date not after `ctx.today` (a birth date embedded in an
/// identifier).
pub(super) fn is_past(ctx: &Ctx, y: i32, m: u32, d: u32) -> bool {
    real(y, m, d).is_some_and(|date| date <= ctx.today)
}

/// A year as written: four digits, or two digits (returned as -1..-100 marker: `-(yy+1)`),
/// resolved by the caller.
#[derive(Clone, Copy)]
enum Year {
    Full(i32),
    Short(u32),
}

fn year_of(n: u32, len: usize) -> Option<Year> {
    match len {
        4 if (1000..=2999).contains(&n) => Some(Year::Full(n as i32)),
        2 => Some(Year::Short(n)),
        _ => None,
    }
}

/// Tokens of a date: up to three numbers (value, digit count) and one month word.
struct Parts {
    numbers: [(u32, usize); 3],
    n: usize,
    month: Option<u8>,
    separators: [u8; 2],
    seps: usize,
}

fn tokenize(s: &[u8]) -> Option<Parts> {
    let mut p = Parts {
        numbers: [(0, 0); 3],
        n: 0,
        month: None,
        separators: [0; 2],
        seps: 0,
    };
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b.is_ascii_digit() {
            let start = i;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - start;
            if len > 8 || p.n == 3 {
                return None;
            }
            p.numbers[p.n] = (
                s[start..i]
                    .iter()
                    .fold(0u32, |v, d| v * 10 + u32::from(d - b'0')),
                len,
            );
            p.n += 1;
        } else if b.is_ascii_alphabetic() || b >= 0x80 {
            let start = i;
            while i < s.len() && (s[i].is_ascii_alphabetic() || s[i] >= 0x80) {
                i += 1;
            }
            let word = &s[start..i];
            if let Some(m) = month_of(word) {
                if p.month.replace(m).is_some() {
                    return None;
                }
            } else if !FILLERS
                .iter()
                .any(|f| f.as_bytes().eq_ignore_ascii_case(word))
            {
                return None;
            }
        } else {
            if matches!(b, b'/' | b'-' | b'.')
                && p.seps < 2
                && p.month.is_none()
                && i > 0
                && s[i - 1].is_ascii_digit()
            {
                p.separators[p.seps] = b;
                p.seps += 1;
            } else if !matches!(b, b' ' | b',' | b'.' | b'\t') {
                return None;
            }
            i += 1;
        }
    }
    Some(p)
}

/// Candidate interpretations of `s` as (year, month, day) with the year possibly two-digit.
/// Calls `f` for each real calendar date it could be; stops when `f` returns true.
fn interpretations(s: &[u8], mut f: impl FnMut(Year, u32, u32) -> bool) -> bool {
    let Some(p) = tokenize(s) else { return false };
    let nums = &p.numbers[..p.n];
    match (p.month, nums) {
        (Some(m), [(a, la), (b, lb)]) => {
            // "12 March 1985" or "March 12, 1985": the day has 1–2 digits, the year 4 (or 2 last).
            let m = u32::from(m);
            if *la <= 2
                && let Some(y) = year_of(*b, *lb)
                && f(y, m, *a)
            {
                return true;
            }
            if *lb <= 2
                && *la == 4
                && let Some(y) = year_of(*a, *la)
            {
                return f(y, m, *b);
            }
            false
        }
        (None, [(v, 8)]) if p.seps == 0 => {
            let y = (v / 10_000) as i32;
            (1800..=2999).contains(&y) && f(Year::Full(y), v / 100 % 100, v % 100)
        }
        (None, [(a, la), (b, lb), (c, lc)]) => {
            if p.seps != 2 || p.separators[0] != p.separators[1] || *lb > 2 {
                return false;
            }
            if *la == 4 {
                return *lc <= 2 && f(Year::Full(*a as i32), *b, *c);
            }
            if *la > 2 {
                return false;
            }
            let Some(y) = year_of(*c, *lc) else {
                return false;
            };
            // Day first (most of the world), then month first (US).
            f(y, *b, *a) || f(y, *a, *b)
        }
        _ => false,
    }
}

fn resolve(y: Year, pivot: i32) -> i32 {
    match y {
        Year::Full(y) => y,
        // Two-digit years: the most recent year not after `pivot`.
        Year::Short(yy) => {
            let century = pivot - pivot.rem_euclid(100);
            let y = century + yy as i32;
            if y > pivot { y - 100 } else { y }
        }
    }
}

/// Parses a date; for ambiguous day/month order the day-first reading wins when both are
/// real. Two-digit years are placed in the century ending in 2049.
pub fn parse_date(s: &[u8]) -> Option<(i32, u8, u8)> {
    let mut out = None;
    interpretations(s, |y, m, d| {
        out = real(resolve(y, 2049), m, d);
        out.is_some()
    });
    out
}

/// Any real calendar date in one of the supported forms.
pub fn date(s: &[u8], _: &Ctx) -> Verdict {
    if parse_date(s).is_some() {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// A date of birth: a real date (either day/month order) that is not in the future and at
/// most 120 years ago. Two-digit years are read as the most recent past year.
pub fn date_of_birth(s: &[u8], ctx: &Ctx) -> Verdict {
    let (ty, tm, td) = ctx.today;
    let today = (ty, tm, td);
    let plausible = interpretations(s, |y, m, d| {
        real(resolve(y, ty), m, d)
            .is_some_and(|date| date <= today && (date.0, date.1, date.2) >= (ty - 120, tm, td))
    });
    if plausible {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn parses_many_forms() {
        let cases: &[(&str, (i32, u8, u8))] = &[
            ("1985-03-12", (1985, 3, 12)),
            ("1985/3/12", (1985, 3, 12)),
            ("19850312", (1985, 3, 12)),
            ("12/03/1985", (1985, 3, 12)),
            ("03/25/1985", (1985, 3, 25)),
            ("12.03.1985", (1985, 3, 12)),
            ("12-03-85", (1985, 3, 12)),
            ("12 March 1985", (1985, 3, 12)),
            ("March 12, 1985", (1985, 3, 12)),
            ("Mar. 12 1985", (1985, 3, 12)),
            ("12. März 1985", (1985, 3, 12)),
            ("3. MÄRZ 1971", (1971, 3, 3)),
            ("1er mars 1985", (1985, 3, 1)),
            ("12 de marzo de 1985", (1985, 3, 12)),
            ("12 marzo 1985", (1985, 3, 12)),
            ("12 maart 1985", (1985, 3, 12)),
            ("5 décembre 1990", (1990, 12, 5)),
            ("29/02/2000", (2000, 2, 29)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_date(s.as_bytes()), Some(*want), "{s}");
        }
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "31/02/1985",
            "29/02/1900",
            "1985-13-01",
            "12/03-1985",
            "00/00/0000",
            "12 Foo 1985",
            "1985-03",
            "13/13/1985",
            "",
            "12 March March 1985",
            "2024-01-15 12:30",
        ] {
            assert_eq!(parse_date(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn birth_plausibility() {
        let dob = |s: &str| date_of_birth(s.as_bytes(), &TODAY);
        assert_eq!(dob("1985-03-12"), Verdict::Valid);
        assert_eq!(dob("12/03/85"), Verdict::Valid);
        assert_eq!(dob("2025-12-31"), Verdict::Valid);
        assert_eq!(dob("2026-01-02"), Verdict::Invalid, "future");
        assert_eq!(dob("2099-01-01"), Verdict::Invalid);
        assert_eq!(dob("1905-12-31"), Verdict::Invalid, "older than 120");
        assert_eq!(dob("1906-01-01"), Verdict::Valid);
        assert_eq!(dob("31/02/1985"), Verdict::Invalid);
        assert_eq!(date(b"2099-01-01", &TODAY), Verdict::Valid);
    }
}
