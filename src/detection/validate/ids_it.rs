//! IT codice fiscale of persons (16 characters), with *omocodia*.

use super::{Ctx, Verdict, date, valid_if};

/// Letters that replace the digits 0–9 in an omocodic code (`L` = 0, …, `V` = 9).
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
/// Month letters, January to December.
const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
/// Check-sum values of `0`–`9` and `A`–`Z` in odd positions (1st, 3rd, …); `0`–`9` share the
/// values of `A`–`J`.
const ODD: [u8; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// The digit at a position that omocodia may have replaced by a letter.
fn digit(b: u8) -> Option<u32> {
    if b.is_ascii_digit() {
        Some(u32::from(b - b'0'))
    } else {
        OMOCODIA.iter().position(|&x| x == b).map(|i| i as u32)
    }
}

/// Rank of an ASCII digit or upper-case letter in its own alphabet (`0`→0, `A`→0, `Z`→25).
fn rank(b: u8) -> usize {
    usize::from(if b.is_ascii_digit() {
        b - b'0'
    } else {
        b - b'A'
    })
}

/// IT codice fiscale `LLLLLL YY M DD LNNN C` (any case, no separators): letters for the
/// name parts and the place's initial; `YY`, `DD`, `NNN` digits or their omocodia letters
/// `LMNPQRSTUV`; month letter in `ABCDEHLMPRST`; day 1–31, or 41–71 for women, forming a
/// real date in the 1900s or 2000s; check letter `A` + (Σ mod 26), where characters in odd
/// positions count by the odd-position table and those in even positions by their rank.
pub fn it_fiscal_code(s: &[u8], _: &Ctx) -> Verdict {
    if s.len() != 16 {
        return Verdict::Invalid;
    }
    let mut c = [0u8; 16];
    for (o, &b) in c.iter_mut().zip(s) {
        *o = b.to_ascii_uppercase();
    }
    let letters = [0, 1, 2, 3, 4, 5, 11, 15];
    if !letters.iter().all(|&i| c[i].is_ascii_uppercase()) {
        return Verdict::Invalid;
    }
    let num = |i: usize| digit(c[i]);
    let (Some(y1), Some(y2), Some(d1), Some(d2)) = (num(6), num(7), num(9), num(10)) else {
        return Verdict::Invalid;
    };
    if ![12, 13, 14].iter().all(|&i| num(i).is_some()) {
        return Verdict::Invalid;
    }
    let Some(month) = MONTHS.iter().position(|&m| m == c[8]) else {
        return Verdict::Invalid;
    };
    let (yy, month) = ((y1 * 10 + y2) as i32, month as u32 + 1);
    let day = match d1 * 10 + d2 {
        d @ 1..=31 => d,
        d @ 41..=71 => d - 40,
        _ => return Verdict::Invalid,
    };
    if !date::is_real(1900 + yy, month, day) && !date::is_real(2000 + yy, month, day) {
        return Verdict::Invalid;
    }
    let sum: usize = c[..15]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if i % 2 == 0 {
                usize::from(ODD[rank(b)])
            } else {
                rank(b)
            }
        })
        .sum();
    valid_if(c[15] == b'A' + (sum % 26) as u8)
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn valid_codes() {
        for s in [
            "RCCMNL83S18D969H", // python-stdnum
            "CNTCHR83T41D969D", // python-stdnum, a woman (day + 40)
            "rccmnl83s18d969h",
            "RCCMNL83S18D96VW", // omocodia at position 15 (check letter from python-stdnum)
            "RCCMNL83S18D9SVI", // omocodia at positions 14–15
            "RCCMNLTPSMRDQSVA", // every digit replaced
        ] {
            assert_eq!(it_fiscal_code(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
    }

    #[test]
    fn invalid_codes() {
        for s in [
            "RCCMNL83S18D969A", // check letter
            "RCCMNL83S18D969",  // short
            "RCCMNL83F18D969H", // F is no month letter
            "RCCMNL83S38D969H", // day 38
            "RCCMNL83B30D969H", // 30 February
            "RCCMNL83S18D9A9H", // A is no omocodia letter
            "1CCMNL83S18D969H",
            "00743110157", // a company's number: not a person's code
            "",
        ] {
            assert_eq!(
                it_fiscal_code(s.as_bytes(), &TODAY),
                Verdict::Invalid,
                "{s}"
            );
        }
    }
}
