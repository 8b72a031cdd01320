//! International Bank Account Numbers (ISO 13616).

use super::{Ctx, Verdict, norm};

/// IBAN length per country (SWIFT IBAN registry).
const LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// ISO 7064 MOD 97-10 over the rearranged IBAN, computed incrementally (no big integers).
fn mod97(iban: &[u8]) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.iter().chain(head).fold(0u32, |r, &c| match c {
        b'0'..=b'9' => (r * 10 + u32::from(c - b'0')) % 97,
        _ => (r * 100 + u32::from(c - b'A') + 10) % 97,
    })
}

/// IBAN: country code with its registered length, check digits 02–98, alphanumeric BBAN,
/// mod 97 == 1. Spaces between groups are allowed; case is ignored.
pub fn iban(s: &[u8], _: &Ctx) -> Verdict {
    let Some(c) = norm::compact(s, b" ", true) else {
        return Verdict::Invalid;
    };
    let c = c.as_bytes();
    if c.len() < 15
        || !c[..2].iter().all(u8::is_ascii_uppercase)
        || !c[2..4].iter().all(u8::is_ascii_digit)
    {
        return Verdict::Invalid;
    }
    let expected = LENGTHS
        .iter()
        .find(|(cc, _)| cc[..] == c[..2])
        .map(|(_, n)| usize::from(*n));
    let check = norm::number(&c[2..4]);
    if expected != Some(c.len()) || !(2..=98).contains(&check) || mod97(c) != 1 {
        return Verdict::Invalid;
    }
    Verdict::Valid
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn valid_ibans() {
        for s in [
            "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "NL91ABNA0417164300",
            "FR14 2004 1010 0505 0001 3M02 606",
            "BE68539007547034",
            "ES9121000418450200051332",
            "IT60X0542811101000000123456",
            "CH9300762011623852957",
            "PL61109010140000071219812874",
            "NO9386011117947",
            "gb82 west 1234 5698 7654 32",
        ] {
            assert_eq!(iban(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
    }

    #[test]
    fn invalid_ibans() {
        for s in [
            "DE89 3704 0044 0532 0130 01", // check fails
            "GB82WEST12345698765433",
            "DE89370400440532013",         // too short for DE
            "XX89370400440532013000",      // unknown country
            "DE00370400440532013000",      // check digits 00
            "DE89-3704-0044-0532-0130-00", // hyphens are not IBAN separators
            "",
            "DE",
        ] {
            assert_eq!(iban(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
