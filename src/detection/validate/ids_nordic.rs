//! Nordic personal identity numbers: SE personnummer (and samordningsnummer), FI HETU,
//! NO fødselsnummer (and D-numbers).

use super::cards::luhn;
use super::{Ctx, Verdict, checksum, date, norm, valid_if};

/// SE personnummer `YYMMDD-NNNC`, `YYMMDD+NNNC` (`+`: aged 100 or more), `YYYYMMDD-NNNC`, or
/// the same without separator. Samordningsnummer carry the day + 60. The birth date is real
/// and not in the future; a two-digit year is the most recent such year (a century earlier
/// with `+`). Luhn over the ten digits `YYMMDDNNNC`.
pub fn se_personnummer(s: &[u8], ctx: &Ctx) -> Verdict {
    let sep = s.len().checked_sub(5).map(|i| s[i]);
    let separated = matches!(sep, Some(b'-' | b'+'));
    let plus = sep == Some(b'+');
    let Some(body) = norm::digits(s, b"-+", true) else {
        return Verdict::Invalid;
    };
    let d = body.as_bytes();
    if d.len() + usize::from(separated) != s.len() {
        return Verdict::Invalid;
    }
    let (year, rest) = match d.len() {
        12 if !plus => (norm::number(&d[..4]) as i32, &d[2..]),
        10 => {
            let yy = norm::number(&d[..2]) as i32;
            let this = ctx.today.0;
            let mut year = this - (this - yy).rem_euclid(100);
            if plus {
                year -= 100;
            }
            (year, d)
        }
        _ => return Verdict::Invalid,
    };
    let month = norm::number(&rest[2..4]);
    let mut day = norm::number(&rest[4..6]);
    if day > 60 {
        day -= 60;
    }
    valid_if(date::is_past(ctx, year, month, day) && luhn(rest))
}

/// FI HETU `DDMMYYCZZZQ`: century sign `+` (1800s), `-` `Y` `X` `W` `V` `U` (1900s) or
/// `A`–`F` (2000s); a real birth date not in the future; individual number 002–999;
/// Q = `0123456789ABCDEFHJKLMNPRSTUVWXY`[DDMMYYZZZ mod 31]. Case is ignored.
pub fn fi_hetu(s: &[u8], ctx: &Ctx) -> Verdict {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    if s.len() != 11 {
        return Verdict::Invalid;
    }
    let mut digits = [0u8; 9];
    digits[..6].copy_from_slice(&s[..6]);
    digits[6..].copy_from_slice(&s[7..10]);
    if !digits.iter().all(u8::is_ascii_digit) {
        return Verdict::Invalid;
    }
    let century = match s[6].to_ascii_uppercase() {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
        b'A'..=b'F' => 2000,
        _ => return Verdict::Invalid,
    };
    let year = century + norm::number(&digits[4..6]) as i32;
    let date_ok = date::is_past(
        ctx,
        year,
        norm::number(&digits[2..4]),
        norm::number(&digits[..2]),
    );
    let individual = norm::number(&digits[6..]);
    let expected = CHECK[(norm::number(&digits) % 31) as usize];
    valid_if(date_ok && individual >= 2 && s[10].to_ascii_uppercase() == expected)
}

/// NO fødselsnummer `DDMMYY IIIKK`: two mod-11 check digits (weights 3,7,6,1,8,9,4,5,2 and
/// 5,4,3,2,7,6,5,4,3,2; k = (11 − Σ mod 11) mod 11, where 10 is invalid). D-numbers carry
/// the day + 40 and H-numbers the month + 40. The century follows from the individual
/// number (000–499: 1900s; 500–749 with year ≥ 54: 1800s; 500–999 with year < 40: 2000s;
/// 900–999 with year ≥ 40: 1900s); the birth date is real and not in the future.
pub fn no_fodselsnummer(s: &[u8], ctx: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" ", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    if d.len() != 11 {
        return Verdict::Invalid;
    }
    let k = |sum: u32| (11 - sum % 11) % 11;
    let k1 = k(checksum::weighted(d, &[3, 7, 6, 1, 8, 9, 4, 5, 2]));
    let k2 = k(checksum::weighted(d, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]));
    if k1 != u32::from(d[9] - b'0') || k2 != u32::from(d[10] - b'0') {
        return Verdict::Invalid;
    }
    let mut day = norm::number(&d[..2]);
    let mut month = norm::number(&d[2..4]);
    let yy = norm::number(&d[4..6]) as i32;
    let individual = norm::number(&d[6..9]);
    if day > 40 {
        day -= 40;
    }
    if month > 40 {
        month -= 40;
    }
    let century = match individual {
        0..=499 => 1900,
        500..=749 if yy >= 54 => 1800,
        500..=999 if yy < 40 => 2000,
        900..=999 => 1900,
        _ => return Verdict::Invalid,
    };
    valid_if(date::is_past(ctx, century + yy, month, day))
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    #[test]
    fn personnummer() {
        check(
            se_personnummer,
            &[
                "880320-0016",
                "8803200016",
                "19880320-0016",
                "198803200016",
                "890102-3286",
                "001066-4738",
            ],
            &[
                "880320-0018",
                "880320 0016",
                "881320-0016",
                "20880320-0016",
                "88032000161",
                "8803-20-0016",
                "880320-00-16",
                "",
            ],
        );
    }

    #[test]
    fn hetu() {
        check(
            fi_hetu,
            &["131052-308T", "131052-308t", "131052Y308T", "131052+308T"],
            &[
                "131052-308U",
                "310252-308Y",
                "131052G308T",
                "131052-30BT",
                "131052-001W",
                "",
            ],
        );
    }

    #[test]
    fn fodselsnummer() {
        check(
            no_fodselsnummer,
            &["15108695088", "151086 95088", "41011215538"],
            &["15108695077", "1510869508", "151086-95088", ""],
        );
    }
}
