//! Vehicle identification numbers (ISO 3779).

use super::{Ctx, Verdict, valid_if};

/// ISO 3779 transliteration of a VIN character (`I`, `O`, `Q` are not allowed).
fn value(b: u8) -> Option<u32> {
    Some(match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    })
}

/// VIN: 17 characters from `0-9A-Z` without `I`, `O`, `Q` (any case), not one repeated
/// character. The check digit at position 9 (Σ of transliterated values × weights
/// 8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2, mod 11, 10 written `X`) is mandatory for North
/// American VINs (world manufacturer code starting 1–5); other regions need not use it, so
/// there only the alphabet is checked.
pub fn vin(s: &[u8], _: &Ctx) -> Verdict {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    if s.len() != 17 || s.iter().all(|&b| b == s[0]) {
        return Verdict::Invalid;
    }
    let mut sum = 0;
    for (&b, w) in s.iter().zip(WEIGHTS) {
        let Some(v) = value(b.to_ascii_uppercase()) else {
            return Verdict::Invalid;
        };
        sum += v * w;
    }
    let check = match sum % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    };
    let north_america = (b'1'..=b'5').contains(&s[0]);
    valid_if(!north_america || s[8].to_ascii_uppercase() == check)
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn vins() {
        for s in [
            "1M8GDM9AXKP042788", // the ISO 3779 / NHTSA worked example
            "WVWZZZ1JZXW000001", // European: no check digit in use
            "1m8gdm9axkp042788",
        ] {
            assert_eq!(vin(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
        for s in [
            "1M8GDM9A1KP042788", // check digit
            "11111111111111111", // passes the check digit, but one repeated character
            "1M8GDM9AXKP04278",
            "1M8GDM9AXKP0427O8", // O is not used
            "",
        ] {
            assert_eq!(vin(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
