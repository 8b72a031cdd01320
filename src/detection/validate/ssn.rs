//! US Social Security numbers (no checksum: structure and issuance rules only).

use super::{Ctx, Verdict, norm};

/// Numbers published in advertising and documentation, never valid for a person.
const PUBLISHED: &[&[u8]] = &[b"078051120", b"219099999", b"457555462", b"123456789"];

/// SSN `AAA-GG-SSSS`: 9 digits, separators (if any) all `-` or all spaces and only at the
/// group borders; area not 000, 666 or 900–999; group not 00; serial not 0000; not one repeated
/// digit; not a published example.
pub fn us_ssn(s: &[u8], _: &Ctx) -> Verdict {
    let shape_ok = match s.len() {
        9 => true,
        11 => s[3] == s[6] && (s[3] == b'-' || s[3] == b' '),
        _ => false,
    };
    let Some(d) = norm::digits(s, b"- ", true).filter(|_| shape_ok) else {
        return Verdict::Invalid;
    };
    let d = d.as_bytes();
    if d.len() != 9 {
        return Verdict::Invalid;
    }
    let area = norm::number(&d[..3]);
    let group = norm::number(&d[3..5]);
    let serial = norm::number(&d[5..]);
    if area == 0
        || area == 666
        || area >= 900
        || group == 0
        || serial == 0
        || norm::all_same(d)
        || PUBLISHED.contains(&d)
    {
        return Verdict::Invalid;
    }
    Verdict::Valid
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn valid_and_invalid() {
        for s in [
            "536-22-8726",
            "536228726",
            "536 22 8726",
            "001-01-0001",
            "899-99-9999",
        ] {
            assert_eq!(us_ssn(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
        for s in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "999-12-3456",
            "536-00-8726",
            "536-22-0000",
            "078-05-1120",
            "219-09-9999",
            "123-45-6789",
            "111-11-1111",
            "536-22 8726",
            "5362-2-8726",
            "53622872",
            "",
            "536-22-872a",
        ] {
            assert_eq!(us_ssn(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
