//! National identifiers outside the EU: US ITIN, UK NINO and NHS number, CA SIN, AU TFN,
//! IN Aadhaar, TR T.C. Kimlik No., ZA identity number.

use super::cards::luhn;
use super::{Ctx, Verdict, checksum, date, norm, valid_if};

/// Nine digits, plain or grouped 3-2-4 / 3-3-3 (per `groups`) by one kind of separator
/// among `seps`. `None` for any other shape.
fn nine(s: &[u8], seps: &[u8], groups: [usize; 2]) -> Option<[u8; 9]> {
    let shape_ok = match s.len() {
        9 => true,
        11 => {
            let (a, b) = (s[groups[0]], s[groups[0] + groups[1] + 1]);
            a == b && seps.contains(&a)
        }
        _ => false,
    };
    let c = norm::digits(s, seps, true).filter(|_| shape_ok)?;
    c.as_bytes().try_into().ok()
}

/// US ITIN `9AA-GG-SSSS`: first digit 9, group (digits 4–5) in 50–65, 70–88, 90–92 or
/// 94–99. Separators, if any, are one kind (`-` or space) at the group borders.
pub fn us_itin(s: &[u8], _: &Ctx) -> Verdict {
    let Some(d) = nine(s, b"- ", [3, 2]) else {
        return Verdict::Invalid;
    };
    let group = norm::number(&d[3..5]);
    valid_if(d[0] == b'9' && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99))
}

/// UK National Insurance number `AA 99 99 99 A`: the first letter is not D, F, I, Q, U or V;
/// the second not D, F, I, O, Q, U or V; the prefix is not BG, GB, NK, KN, TN, NT or ZZ;
/// six digits; suffix A–D. Spaces may group it.
pub fn uk_nino(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::compact(s, b" ", true) else {
        return Verdict::Invalid;
    };
    let c = c.as_bytes();
    if c.len() != 9 {
        return Verdict::Invalid;
    }
    let prefix = &c[..2];
    let banned = [b"BG", b"GB", b"NK", b"KN", b"TN", b"NT", b"ZZ"];
    valid_if(
        c[0].is_ascii_uppercase()
            && !b"DFIQUV".contains(&c[0])
            && c[1].is_ascii_uppercase()
            && !b"DFIOQUV".contains(&c[1])
            && !banned.iter().any(|b| &b[..] == prefix)
            && c[2..8].iter().all(u8::is_ascii_digit)
            && (b'A'..=b'D').contains(&c[8]),
    )
}

/// UK NHS number, 10 digits (`3-3-4` with spaces or hyphens): Σ dᵢ·(11 − i) over all ten
/// digits ≡ 0 (mod 11), which is the check digit rule with remainder 10 invalid. A number of
/// one repeated digit is invalid.
pub fn uk_nhs(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" -", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    valid_if(
        d.len() == 10
            && !norm::all_same(d)
            && checksum::weighted(d, &[10, 9, 8, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
    )
}

/// CA Social Insurance Number, 9 digits (`3-3-3`): the first is not 0 or 8 (9 means a
/// temporary resident); Luhn.
pub fn ca_sin(s: &[u8], _: &Ctx) -> Verdict {
    let Some(d) = nine(s, b"- ", [3, 3]) else {
        return Verdict::Invalid;
    };
    valid_if(d[0] != b'0' && d[0] != b'8' && luhn(&d))
}

/// AU Tax File Number, 9 digits (or 8 for old numbers), grouped 3-3-3 by spaces or not:
/// Σ wᵢ·dᵢ with weights 1,4,3,7,5,8,6,9,10 (the first eight for 8 digits) ≡ 0 (mod 11).
/// A number of one repeated digit is invalid.
pub fn au_tfn(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" -", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    valid_if(
        matches!(d.len(), 8 | 9)
            && !norm::all_same(d)
            && checksum::weighted(d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]).is_multiple_of(11),
    )
}

/// IN Aadhaar, 12 digits (`4-4-4`): first digit 2–9, not a palindrome, Verhoeff check.
pub fn in_aadhaar(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" -", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    let palindrome = d.iter().eq(d.iter().rev());
    valid_if(d.len() == 12 && d[0] >= b'2' && !palindrome && checksum::verhoeff(d))
}

/// TR T.C. Kimlik No., 11 digits, the first not 0: d10 = (7·(d1+d3+d5+d7+d9) −
/// (d2+d4+d6+d8)) mod 10 and d11 = (d1 + … + d10) mod 10.
pub fn tr_tckn(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b"", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    if d.len() != 11 || d[0] == b'0' {
        return Verdict::Invalid;
    }
    let odd = checksum::weighted(d, &[1, 0, 1, 0, 1, 0, 1, 0, 1]);
    let even = checksum::weighted(d, &[0, 1, 0, 1, 0, 1, 0, 1]);
    // 7·odd − even, kept non-negative: −even ≡ 9·even (mod 10).
    let d10 = (7 * odd + 9 * even) % 10;
    let d11 = checksum::weighted(d, &[1; 10]) % 10;
    valid_if(d10 == u32::from(d[9] - b'0') && d11 == u32::from(d[10] - b'0'))
}

/// ZA identity number `YYMMDD SSSS C A Z`, 13 digits: a real birth date not in the future
/// (the most recent century that allows it), citizenship C ∈ {0, 1, 2}, A ∈ {8, 9}, Luhn.
pub fn za_id(s: &[u8], ctx: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" ", false) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    if d.len() != 13 || !matches!(d[10], b'0'..=b'2') || !matches!(d[11], b'8' | b'9') {
        return Verdict::Invalid;
    }
    let (yy, month, day) = (
        norm::number(&d[..2]) as i32,
        norm::number(&d[2..4]),
        norm::number(&d[4..6]),
    );
    let this = ctx.today.0;
    let year = this - (this - yy).rem_euclid(100);
    let date_ok =
        date::is_past(ctx, year, month, day) || date::is_past(ctx, year - 100, month, day);
    valid_if(date_ok && luhn(d))
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    #[test]
    fn itin() {
        check(
            us_itin,
            &["912-90-3456", "912903456", "900 70 0000", "999-50-1234"],
            &[
                "9129-03456",
                "123-45-6789",
                "912-93-4567",
                "912-89-4567",
                "912-66-4567",
                "912-90 3456",
                "91290345",
            ],
        );
    }

    #[test]
    fn nino() {
        check(
            uk_nino,
            &[
                "AB123456C",
                "AB 12 34 56 C",
                "ZY123456D",
                "JG103759A",
                "ab123456c",
            ],
            &[
                "QQ123456C",
                "AB123456E",
                "GB123456A",
                "DA123456A",
                "AO123456A",
                "TN123456A",
                "AB12345C",
            ],
        );
    }

    #[test]
    fn nhs() {
        check(
            uk_nhs,
            &["9434765870", "943 476 5870", "943-476-5870"],
            &["9434765871", "943 476-5870", "1111111111", "943476587", ""],
        );
    }

    #[test]
    fn sin() {
        check(
            ca_sin,
            &["123-456-782", "123456782", "123 456 782", "900189457"],
            &[
                "999-999-999",
                "12345678Z",
                "823456785",
                "023456783",
                "123-456 782",
                "1234-56-782",
            ],
        );
    }

    #[test]
    fn tfn() {
        check(
            au_tfn,
            &["123 456 782", "123456782", "00073787", "00103667"],
            &["999 999 999", "123456783", "000000000", "1234567", ""],
        );
    }

    #[test]
    fn aadhaar() {
        check(
            in_aadhaar,
            &["234123412346", "2341 2341 2346", "2341-2341-2346"],
            &[
                "234123412347",
                "123412341234",
                "643343121",
                "222222222222",
                "2341 2341-2346",
            ],
        );
    }

    #[test]
    fn tckn() {
        check(
            tr_tckn,
            &["17291716060", "10000000146"],
            &["17291716050", "1729171606", "07291716092", ""],
        );
    }

    #[test]
    fn za() {
        check(
            za_id,
            &["7503305044089", "750330 5044 08 9", "0001172729293"],
            &["8503305044089", "9125568", "7513305044089", "7503305044380"],
        );
    }
}
