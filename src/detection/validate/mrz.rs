//! Passport and identity-card numbers: printed numbers (no checksum) and ICAO 9303
//! machine-readable zones (MRZ) with their check digits.

use super::{Ctx, Verdict, checksum, date, norm, valid_if};

/// A YYMMDD date of the MRZ that is real in some century.
fn mrz_date(s: &[u8]) -> bool {
    s.len() == 6
        && s.iter().all(u8::is_ascii_digit)
        && date::is_real(2000, norm::number(&s[2..4]), norm::number(&s[4..6]))
}

/// Whether `c` checks `field`; an empty (all-filler) optional field may have `<` as its
/// check digit when `optional`.
fn checks(field: &[u8], c: u8, optional: bool) -> bool {
    checksum::icao_ok(field, c) || (optional && c == b'<' && field.iter().all(|&b| b == b'<'))
}

/// TD3 (passport) MRZ line 2, 44 characters: document number (9) + check, nationality (3),
/// birth date + check, sex, expiry date + check, optional data (14) + check, composite check
/// over the document number, birth and expiry dates and optional data with their checks.
fn td3_line2(l: &[u8]) -> bool {
    l.len() == 44
        && !l[..9].iter().all(|&b| b == b'<')
        && checks(&l[..9], l[9], false)
        && mrz_date(&l[13..19])
        && checks(&l[13..19], l[19], false)
        && b"MFX<".contains(&l[20])
        && mrz_date(&l[21..27])
        && checks(&l[21..27], l[27], false)
        && checks(&l[28..42], l[42], true)
        && composite(&[&l[..10], &l[13..20], &l[21..43]], l[43])
}

/// TD1 (identity card) MRZ lines 1 and 2, 30 characters each: line 1 holds the document
/// number (9) + check from its 6th character; line 2 birth date + check, sex, expiry
/// date + check, and the composite check over line 1 from the document number on and line
/// 2's dates, checks and optional data.
fn td1_lines(l1: &[u8], l2: &[u8]) -> bool {
    l1.len() == 30
        && l2.len() == 30
        && !l1[5..14].iter().all(|&b| b == b'<')
        && checks(&l1[5..14], l1[14], false)
        && mrz_date(&l2[..6])
        && checks(&l2[..6], l2[6], false)
        && b"MFX<".contains(&l2[7])
        && mrz_date(&l2[8..14])
        && checks(&l2[8..14], l2[14], false)
        && composite(&[&l1[5..30], &l2[..7], &l2[8..15], &l2[18..29]], l2[29])
}

/// The ICAO check digit of several fields taken as one string: the weights 7, 3, 1 run on
/// across the fields, so each part's sum is weighted from its offset.
fn composite(parts: &[&[u8]], c: u8) -> bool {
    let mut sum = 0u32;
    let mut at = 0;
    for part in parts {
        for &b in *part {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                b'<' => 0,
                _ => return false,
            };
            sum += v * [7, 3, 1][at % 3];
            at += 1;
        }
    }
    c == b'0' + (sum % 10) as u8
}

/// A passport or identity-card number. A candidate with `<` fillers or a line break is an
/// MRZ: a TD3 passport line 2 (44 characters) or TD1 identity-card lines 1–2 (30 + 30),
/// valid only when every ICAO 9303 check digit holds and its dates are real. Anything else
/// is a printed number, which has no checksum: 9 letters and digits, not one repeated
/// character (detector files require a keyword for these).
pub fn passport(s: &[u8], _: &Ctx) -> Verdict {
    if let Some(nl) = s.iter().position(|&b| b == b'\n') {
        let l1 = s[..nl].strip_suffix(b"\r").unwrap_or(&s[..nl]);
        return valid_if(td1_lines(l1, &s[nl + 1..]));
    }
    if s.len() == 44 || s.contains(&b'<') {
        return valid_if(td3_line2(s));
    }
    valid_if(s.len() == 9 && s.iter().all(u8::is_ascii_alphanumeric) && !norm::all_same(s))
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    // ICAO 9303 part 4 (TD3) and part 5 (TD1) specimens.
    const TD3: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6";

    #[test]
    fn mrz_specimens_are_valid() {
        assert_eq!(passport(TD3.as_bytes(), &TODAY), Verdict::Valid);
        assert_eq!(passport(TD1.as_bytes(), &TODAY), Verdict::Valid);
        let crlf = TD1.replace('\n', "\r\n");
        assert_eq!(passport(crlf.as_bytes(), &TODAY), Verdict::Valid);
        // Empty optional data may carry `<` as its check digit.
        let empty = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8";
        assert_eq!(passport(empty.as_bytes(), &TODAY), Verdict::Valid);
    }

    /// `b` replaced by a digit of a different ICAO value mod 10.
    fn other(b: u8) -> u8 {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => (b - b'A' + 10) % 10,
            _ => 0,
        };
        b'0' + (v + 1) % 10
    }

    #[test]
    fn every_check_digit_counts() {
        // Changing any check digit, or a character one covers, breaks the line.
        for i in [0, 8, 9, 13, 19, 21, 27, 28, 42, 43] {
            let mut line = TD3.as_bytes().to_vec();
            line[i] = other(line[i]);
            assert_eq!(passport(&line, &TODAY), Verdict::Invalid, "TD3 at {i}");
        }
        for i in [5, 14, 20, 31, 37, 39, 45, 50, 60] {
            let mut lines = TD1.as_bytes().to_vec();
            lines[i] = other(lines[i]);
            assert_eq!(passport(&lines, &TODAY), Verdict::Invalid, "TD1 at {i}");
        }
        let bad_date = "L898902C36UTO7413122F1204159ZE184226B<<<<<10";
        assert_eq!(passport(bad_date.as_bytes(), &TODAY), Verdict::Invalid);
    }

    #[test]
    fn printed_numbers() {
        for s in [
            "C01X00T47",
            "123456789",
            "X12345678",
            "AB1234567",
            "12AB34567",
        ] {
            assert_eq!(passport(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
        for s in ["000000000", "12345", "AB-123456", "AB12345678", ""] {
            assert_eq!(passport(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
