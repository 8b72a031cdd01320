//! Check-digit algorithms shared by the identifier validators.
//!
//! Every function takes already-normalised ASCII input (digits unless stated otherwise),
//! never panics on any input, and allocates nothing. The Luhn check lives with the payment
//! cards ([`super::cards::luhn`]).

/// The value of an ASCII digit (any other byte counts as its offset from `0`, wrapped; callers
/// check the alphabet first).
fn val(b: u8) -> u32 {
    u32::from(b.wrapping_sub(b'0'))
}

/// Σ wᵢ·dᵢ over ASCII digits and weights, pairwise; surplus digits or weights are ignored.
pub fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .fold(0u32, |s, (&d, &w)| s.wrapping_add(val(d).wrapping_mul(w)))
}

/// The number written by ASCII digits, modulo `m` (0 is read as 1), for numbers of any
/// length.
pub fn modulo(digits: &[u8], m: u32) -> u32 {
    let m = u64::from(m.max(1));
    let r = digits
        .iter()
        .fold(0u64, |r, &d| (r * 10 + u64::from(val(d) % 10)) % m);
    r as u32
}

/// ISO/IEC 7064 MOD 11,10 (hybrid system): the last digit checks the others.
pub fn iso7064_mod11_10(digits: &[u8]) -> bool {
    let Some((&check, data)) = digits.split_last() else {
        return false;
    };
    let mut p = 10;
    for &d in data {
        let mut s = (val(d) + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    let c = (11 - p) % 10;
    c == val(check)
}

/// Multiplication in the dihedral group D₅, the group Verhoeff's check is built on
/// (elements 0–4 are rotations, 5–9 reflections).
const fn d5(j: usize, k: usize) -> usize {
    match (j < 5, k < 5) {
        (true, true) => (j + k) % 5,
        (true, false) => 5 + (j + k) % 5,
        (false, true) => 5 + (j + 5 - k) % 5,
        (false, false) => (j + 5 - k) % 5,
    }
}

/// Verhoeff's permutation σ, applied `i` times to `j`.
const fn sigma_pow(i: usize, mut j: usize) -> usize {
    const SIGMA: [usize; 10] = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    let mut n = 0;
    while n < i {
        j = SIGMA[j];
        n += 1;
    }
    j
}

/// Verhoeff check (used by Aadhaar): the last digit checks the others.
pub fn verhoeff(digits: &[u8]) -> bool {
    let mut c = 0;
    for (i, &b) in digits.iter().rev().enumerate() {
        let Some(d) = b.checked_sub(b'0').map(usize::from).filter(|&d| d < 10) else {
            return false;
        };
        c = d5(c, sigma_pow(i % 8, d));
    }
    c == 0
}

/// ICAO 9303 value of a machine-readable-zone character: digits 0–9, `A`–`Z` 10–35, `<` 0.
fn icao_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// ICAO 9303 check digit of MRZ characters (weights 7, 3, 1 repeating, sum mod 10); `None`
/// if a character is outside the MRZ alphabet.
pub fn icao(chars: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &b) in chars.iter().enumerate() {
        sum += icao_value(b)? * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

/// Whether `check` (an ASCII digit) is the ICAO 9303 check digit of `chars`.
pub fn icao_ok(chars: &[u8], check: u8) -> bool {
    icao(chars).is_some_and(|c| b'0' + c == check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_and_modulo() {
        assert_eq!(weighted(b"123", &[1, 2, 3]), 14);
        assert_eq!(weighted(b"12", &[1, 2, 3]), 5);
        assert_eq!(
            modulo(b"1234567890123", 97),
            (1_234_567_890_123u64 % 97) as u32
        );
        assert_eq!(modulo(b"", 97), 0);
        assert_eq!(modulo(b"5", 0), 0);
    }

    #[test]
    fn iso7064_reference_vectors() {
        // python-stdnum's de/idnr example and its check-digit change.
        assert!(iso7064_mod11_10(b"36574261809"));
        assert!(!iso7064_mod11_10(b"36574261808"));
        assert!(!iso7064_mod11_10(b""));
    }

    #[test]
    fn verhoeff_reference_vectors() {
        // The Wikipedia worked example (236 → check 3) and python-stdnum's vectors.
        assert!(verhoeff(b"2363"));
        assert!(!verhoeff(b"2364"));
        assert!(verhoeff(b"12340"));
        assert!(!verhoeff(b"1234"));
        assert!(verhoeff(b"234123412346"));
        assert!(!verhoeff(b"234123412347"));
        assert!(!verhoeff(b"12a40"));
    }

    #[test]
    fn verhoeff_tables_match_the_published_ones() {
        // Spot checks against the literal tables (Verhoeff 1969, as printed on Wikipedia).
        assert_eq!(d5(5, 1), 9);
        assert_eq!(d5(6, 5), 1);
        assert_eq!(d5(9, 9), 0);
        assert_eq!(d5(3, 7), 5);
        let p7: Vec<usize> = (0..10).map(|j| sigma_pow(7, j)).collect();
        assert_eq!(p7, [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]);
        let p2: Vec<usize> = (0..10).map(|j| sigma_pow(2, j)).collect();
        assert_eq!(p2, [5, 8, 0, 3, 7, 9, 6, 1, 4, 2]);
    }

    #[test]
    fn icao_reference_vectors() {
        // ICAO 9303 part 3 worked examples.
        assert_eq!(icao(b"L898902C3"), Some(6));
        assert_eq!(icao(b"740812"), Some(2));
        assert_eq!(icao(b"120415"), Some(9));
        assert_eq!(icao(b"<<<<"), Some(0));
        assert_eq!(icao(b"ab"), None);
        assert!(icao_ok(b"D23145890", b'7'));
    }
}
