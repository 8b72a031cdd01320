//! Payment card numbers (ISO/IEC 7812).

use super::{Ctx, Verdict, norm};

/// Luhn check over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// Generic Luhn validator: digits with optional consistent separators, at least 2 digits.
pub fn luhn_validator(s: &[u8], _: &Ctx) -> Verdict {
    match norm::digits(s, b" -", true) {
        Some(d) if d.as_bytes().len() >= 2 && luhn(d.as_bytes()) => Verdict::Valid,
        _ => Verdict::Invalid,
    }
}

/// Issuer prefix ranges (inclusive, compared on the first `len(lo)` digits) and lengths.
const ISSUERS: &[(&str, &str, u8, u8)] = &[
    ("4", "4", 13, 19),       // Visa (13, 16, 19 checked below)
    ("51", "55", 16, 16),     // Mastercard
    ("2221", "2720", 16, 16), // Mastercard 2-series
    ("34", "34", 15, 15),     // American Express
    ("37", "37", 15, 15),     // American Express
    ("6011", "6011", 16, 19), // Discover
    ("644", "649", 16, 19),   // Discover
    ("65", "65", 16, 19),     // Discover
    ("3528", "3589", 16, 19), // JCB
    ("300", "305", 14, 19),   // Diners Club
    ("36", "36", 14, 19),     // Diners Club
    ("38", "39", 14, 19),     // Diners Club
    ("62", "62", 16, 19),     // UnionPay
    ("2200", "2204", 16, 16), // Mir
    ("50", "50", 12, 19),     // Maestro
    ("56", "69", 12, 19),     // Maestro
];

/// Ranges in the form of [`ISSUERS`] whose numbers need a card word or a card column near
/// them ([`Verdict::NeedsContext`]): JCB's legacy 15-digit ranges, from before it moved to
/// 3528–3589 (still listed by issuer tables and card generators). Few other numbers start like
/// this, but IMEIs and account numbers are 15 digits long and Luhn-checked too.
const ISSUERS_WITH_CONTEXT: &[(&str, &str, u8, u8)] = &[
    ("1800", "1800", 15, 15), // JCB, legacy
    ("2131", "2131", 15, 15), // JCB, legacy
];

/// Published test numbers of the major processors.
const TEST_PANS: &[&[u8]] = &[
    b"4111111111111111",
    b"4012888888881881",
    b"4222222222222",
    b"4242424242424242",
    b"4000056655665556",
    b"5555555555554444",
    b"5105105105105100",
    b"5200828282828210",
    b"2223003122003222",
    b"378282246310005",
    b"371449635398431",
    b"378734493671000",
    b"6011111111111117",
    b"6011000990139424",
    b"3530111333300000",
    b"3566002020360505",
    b"30569309025904",
    b"38520000023237",
    b"6200000000000005",
];

/// Whether some range of `issuers` issues `d`: its prefix and its length.
fn issued(issuers: &[(&str, &str, u8, u8)], d: &[u8]) -> bool {
    let len = d.len() as u8;
    issuers.iter().any(|&(lo, hi, min, max)| {
        let n = lo.len();
        d.len() >= n
            && &d[..n] >= lo.as_bytes()
            && &d[..n] <= hi.as_bytes()
            && (min..=max).contains(&len)
            && (lo != "4" || matches!(len, 13 | 16 | 19))
    })
}

/// Payment card number: 12–19 digits (separators: one kind of space or hyphen), Luhn, a known
/// issuer prefix with a length it issues, not all one digit. Published test numbers are
/// [`Verdict::Test`]; JCB's legacy 15-digit numbers need context ([`Verdict::NeedsContext`]).
pub fn credit_card(s: &[u8], _: &Ctx) -> Verdict {
    let Some(d) = norm::digits(s, b" -", true) else {
        return Verdict::Invalid;
    };
    let d = d.as_bytes();
    if !(12..=19).contains(&d.len()) || norm::all_same(d) || !luhn(d) {
        return Verdict::Invalid;
    }
    if !issued(ISSUERS, d) {
        return if issued(ISSUERS_WITH_CONTEXT, d) {
            Verdict::NeedsContext
        } else {
            Verdict::Invalid
        };
    }
    if TEST_PANS.contains(&d) {
        Verdict::Test
    } else {
        Verdict::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn valid_cards() {
        for pan in [
            "4539 1488 0343 6467",
            "4539148803436467",
            "5425-2334-3010-9903",
            "2720 9900 0000 0007",
            "3782 822463 10005",
            "6500 0012 3456 785",
            "4556 7375 8689 9855 022",
        ] {
            let v = credit_card(pan.as_bytes(), &TODAY);
            assert!(v != Verdict::Invalid, "{pan}: {v:?}");
        }
    }

    /// JCB's legacy 15-digit numbers (`1800…`, `2131…`) pass Luhn and their prefix, and then
    /// need context; other lengths and Luhn failures there are no cards.
    #[test]
    fn legacy_jcb_needs_context() {
        for pan in ["213100001234567", "1800 0011 2233 442", "213198765432104"] {
            assert_eq!(
                credit_card(pan.as_bytes(), &TODAY),
                Verdict::NeedsContext,
                "{pan}"
            );
        }
        // Luhn fails; 16 and 14 digits (both pass Luhn).
        for pan in ["213100001234568", "2131000012345672", "18000011223344"] {
            assert_eq!(
                credit_card(pan.as_bytes(), &TODAY),
                Verdict::Invalid,
                "{pan}"
            );
        }
    }

    #[test]
    fn test_cards_are_flagged() {
        assert_eq!(credit_card(b"4111 1111 1111 1111", &TODAY), Verdict::Test);
        assert_eq!(credit_card(b"5555555555554444", &TODAY), Verdict::Test);
    }

    #[test]
    fn invalid_cards() {
        for pan in [
            "4539 1488 0343 6468", // Luhn fails
            "4539-1488 0343 6467", // mixed separators
            "1234 5678 9012 3452", // no issuer starts with 1
            "0000000000000000",    // all one digit
            "7992739871300",       // Luhn-valid, issuer 7 unknown
            "45391488034364",      // Visa with 14 digits
            "4539148803436467000000",
            "",
            "4539x148803436467",
        ] {
            assert_eq!(
                credit_card(pan.as_bytes(), &TODAY),
                Verdict::Invalid,
                "{pan}"
            );
        }
    }

    #[test]
    fn luhn_reference_vectors() {
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert_eq!(luhn_validator(b"7992 7398 713", &TODAY), Verdict::Valid);
    }
}
