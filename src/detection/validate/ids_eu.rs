//! National identifiers of continental EU countries: NL BSN, BE national register number,
//! FR NIR, DE tax IdNr, ES DNI and NIE, PL PESEL.

use super::{Ctx, Verdict, checksum, date, norm, valid_if};

/// NL BSN (burgerservicenummer): 9 digits, or 8 read with a leading 0; the *11-proef*
/// 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11); not all one digit (which rejects all zeros).
pub fn nl_bsn(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" .-", true) else {
        return Verdict::Invalid;
    };
    let mut d = [b'0'; 9];
    match c.as_bytes() {
        x if x.len() == 9 => d.copy_from_slice(x),
        x if x.len() == 8 => d[1..].copy_from_slice(x),
        _ => return Verdict::Invalid,
    }
    let sum = checksum::weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]);
    valid_if(sum % 11 == u32::from(d[8] - b'0') && !norm::all_same(&d))
}

/// BE national register number `YYMMDD SSS CC`: CC = 97 − (the first 9 digits mod 97), or,
/// for births from 2000, 97 − ("2" followed by the 9 digits mod 97). Month 00–12 and day
/// 00–31 (zero when unknown); a known month and day form a real date; the day counter
/// `SSS` is 001–998.
pub fn be_national_number(s: &[u8], ctx: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" .-", false) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    if d.len() != 11 {
        return Verdict::Invalid;
    }
    let (yy, month, day) = (
        norm::number(&d[..2]),
        norm::number(&d[2..4]),
        norm::number(&d[4..6]),
    );
    let key = norm::number(&d[9..]);
    let rest = checksum::modulo(&d[..9], 97);
    let century = if 97 - rest == key {
        1900
    } else if 2000 + yy as i32 <= ctx.today.0
        && 97 - (checksum::modulo(b"2000000000", 97) + rest) % 97 == key
    {
        2000
    } else {
        return Verdict::Invalid;
    };
    let serial = norm::number(&d[6..9]);
    let date_ok = if month == 0 || day == 0 {
        month <= 12 && day <= 31
    } else {
        date::is_real(century + yy as i32, month, day)
    };
    valid_if(date_ok && (1..=998).contains(&serial))
}

/// FR NIR (INSEE number) `S YY MM DD CCC NNN KK`: sex 1, 2 (or 3, 4, 7, 8 for special
/// registrations); month 01–12, or 20–42 and 50–99 (unknown or fictitious months);
/// department two digits or `2A`/`2B` (Corsica, computed as 19/18); key = 97 − (the first
/// 13 digits mod 97).
pub fn fr_nir(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::compact(s, b" .", true) else {
        return Verdict::Invalid;
    };
    let c = c.as_bytes();
    if c.len() != 15 || !b"123478".contains(&c[0]) {
        return Verdict::Invalid;
    }
    let mut n = [0u8; 13];
    n.copy_from_slice(&c[..13]);
    match &c[5..7] {
        b"2A" => n[5..7].copy_from_slice(b"19"),
        b"2B" => n[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    if !n.iter().chain(&c[13..]).all(u8::is_ascii_digit) {
        return Verdict::Invalid;
    }
    let month = norm::number(&n[3..5]);
    let month_ok = matches!(month, 1..=12 | 20..=42 | 50..=99);
    valid_if(month_ok && 97 - checksum::modulo(&n, 97) == norm::number(&c[13..]))
}

/// DE Steuerliche Identifikationsnummer (IdNr): 11 digits, the first not 0; among the first
/// 10, exactly one digit occurs two or three times and no other repeats; the last digit is
/// the ISO/IEC 7064 MOD 11,10 check.
pub fn de_tax_id(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" -./", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    if d.len() != 11 || d[0] == b'0' {
        return Verdict::Invalid;
    }
    let mut counts = [0u8; 10];
    for &b in &d[..10] {
        counts[usize::from(b - b'0')] += 1;
    }
    let repeated = counts.iter().filter(|&&n| n > 1).count();
    let repeat_ok = repeated == 1 && counts.iter().any(|&n| n == 2 || n == 3);
    valid_if(repeat_ok && checksum::iso7064_mod11_10(d))
}

/// The DNI/NIE check letters, indexed by the number mod 23.
const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// ES DNI/NIF `99999999A` and NIE `X9999999A`: the letter is `TRWAGMYFPDXBNJZSQVHLCKE`
/// indexed by the number mod 23, where an NIE's leading X, Y, Z counts as 0, 1, 2.
/// Separators (space, hyphen, the dots of `12.345.678-Z`) are ignored; the detector's
/// patterns fix where they may stand. All-zero numbers are invalid.
pub fn es_dni(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::compact(s, b" -.", false) else {
        return Verdict::Invalid;
    };
    let c = c.as_bytes();
    let Some((&letter, body)) = c.split_last().filter(|_| c.len() == 9) else {
        return Verdict::Invalid;
    };
    let mut n = [0u8; 8];
    n.copy_from_slice(body);
    n[0] = match n[0] {
        b'X' => b'0',
        b'Y' => b'1',
        b'Z' => b'2',
        b => b,
    };
    if !n.iter().all(u8::is_ascii_digit) || n[1..].iter().all(|&b| b == b'0') {
        return Verdict::Invalid;
    }
    let expected = DNI_LETTERS[(norm::number(&n) % 23) as usize];
    valid_if(letter == expected)
}

/// PL PESEL `YYMMDDZZZXC`: weights 1,3,7,9,1,3,7,9,1,3, C = (10 − Σ mod 10) mod 10; the
/// month carries the century (+80 for the 1800s, +0, +20, +40, +60 for the 1900s–2100s)
/// and the birth date must be real and not in the future.
pub fn pl_pesel(s: &[u8], ctx: &Ctx) -> Verdict {
    let Some(c) = norm::digits(s, b" -", true) else {
        return Verdict::Invalid;
    };
    let d = c.as_bytes();
    if d.len() != 11 {
        return Verdict::Invalid;
    }
    let sum = checksum::weighted(d, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    if (10 - sum % 10) % 10 != u32::from(d[10] - b'0') {
        return Verdict::Invalid;
    }
    let coded = norm::number(&d[2..4]);
    let century = match coded / 20 {
        0 => 1900,
        1 => 2000,
        2 => 2100,
        3 => 2200,
        _ => 1800,
    };
    let year = century + norm::number(&d[..2]) as i32;
    valid_if(date::is_past(ctx, year, coded % 20, norm::number(&d[4..6])))
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    #[test]
    fn bsn() {
        check(
            nl_bsn,
            &[
                "111222333",
                "1112.22.333",
                "123456782",
                "12345672",
                "012345672",
            ],
            &[
                "1112.52.333",
                "1112223334",
                "111222334",
                "000000000",
                "11122233",
                "",
            ],
        );
    }

    #[test]
    fn be_nn() {
        check(
            be_national_number,
            // python-stdnum's examples; 17073003384 checks only with the "2" prefix (2017).
            &[
                "85073003328",
                "85 07 30 033 28",
                "85.07.30-033.28",
                "17073003384",
            ],
            &[
                "12345678901",
                "85073003327",
                "8507300332",
                "85133003370", // month 13 (key computed)
                "85023003390", // 30 February
                "85073000061", // day counter 000
                "85073099932", // day counter 999
                "30073003366", // checks only as a birth in 2030, which is in the future
            ],
        );
    }

    #[test]
    fn nir() {
        check(
            fr_nir,
            &[
                "295109912611193",
                "2 95 10 99 126 111 93",
                "253072B07300470",
                "253072A07300443",
                "295209912611159", // month 20: unknown month
            ],
            &[
                "295109912611199",
                "253072C07300443",
                "6546546546546703",
                "595109912611140", // sex digit 5 (key computed)
                "295139912611144", // month 13 (key computed)
                "",
            ],
        );
    }

    #[test]
    fn idnr() {
        check(
            de_tax_id,
            &["36574261809", "36 574 261 809", "65929970489"],
            &[
                "36574261890",
                "36554266806", // more than one repeated digit
                "06574261809",
                "1234567890",
                "12345678903", // no repeated digit
            ],
        );
    }

    #[test]
    fn dni_and_nie() {
        check(
            es_dni,
            &[
                "54362315K",
                "54362315-K",
                "54.362.315-K",
                "x-2482300w",
                "X2482300W",
                "Y1234567X",
                "12345678Z",
            ],
            &[
                "54362315Z",
                "54362315",
                "X2482300A",
                "X2482300",
                "A2482300W",
                "00000000T", // letter matches, but no such number
                "543623151",
            ],
        );
    }

    #[test]
    fn pesel() {
        check(
            pl_pesel,
            &["44051401359", "02211307589", "02122401358"],
            &[
                "44051401358",
                "02381307589",
                "4405140135",
                "30211307582", // 13 January 2030: in the future
                "",
            ],
        );
    }
}
