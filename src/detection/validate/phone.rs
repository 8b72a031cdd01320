//! Phone numbers, validated with libphonenumber's metadata (the `phonenumber` crate).

use std::sync::Once;

use phonenumber::country::Id;

use super::{Ctx, Verdict};

/// Regions tried, in order, for numbers written without a country code.
const REGIONS: &[Id] = &[
    Id::US,
    Id::GB,
    Id::DE,
    Id::FR,
    Id::NL,
    Id::ES,
    Id::IT,
    Id::BE,
    Id::AT,
    Id::CH,
    Id::SE,
    Id::PL,
    Id::IE,
    Id::CA,
    Id::AU,
    Id::IN,
];

/// The metadata's regexes are compiled on first use into an LRU cache of 100 entries, which
/// thrashes (and recompiles) when numbers of many regions are checked. Give it room for all.
fn enlarge_regex_cache() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        if let Ok(mut cache) = cache.lock() {
            *cache = regex_cache::RegexCache::new(REGEX_CACHE);
        }
    });
}

/// Enough for every regex of the regions piimap validates against, and then some.
const REGEX_CACHE: usize = 512;

/// Phone number: 7–15 digits; with `+` or `00` the country code is parsed and the number must
/// be valid for it; otherwise it must be a valid national number in one of [`REGIONS`].
/// Parsing allocates, so this runs only on candidates.
pub fn phone(s: &[u8], _: &Ctx) -> Verdict {
    let Ok(text) = std::str::from_utf8(s) else {
        return Verdict::Invalid;
    };
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    enlarge_regex_cache();
    if !(7..=17).contains(&digits) {
        return Verdict::Invalid;
    }
    let text = text.trim();
    // A dotted quad is an IPv4 address, and a real date a date, far more often than a phone
    // number.
    if text.parse::<std::net::Ipv4Addr>().is_ok() || super::parse_date(text.as_bytes()).is_some() {
        return Verdict::Invalid;
    }
    if text.bytes().skip(1).any(|b| b == b'+') {
        return Verdict::Invalid;
    }
    let valid = |region: Option<Id>, t: &str| {
        phonenumber::parse(region, t).is_ok_and(|n| phonenumber::is_valid(&n))
    };
    let international = if let Some(rest) = text.strip_prefix("00") {
        Some(format!("+{rest}"))
    } else {
        text.starts_with('+').then(|| text.to_string())
    };
    let ok = match international {
        Some(t) => digits <= 17 && valid(None, &t),
        None => REGIONS.iter().any(|&r| valid(Some(r), text)),
    };
    if ok { Verdict::Valid } else { Verdict::Invalid }
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn numbers() {
        for s in [
            "+44 7911 123456",
            "+49 151 23456789",
            "+33 6 12 34 56 78",
            "0049 30 12345678",
            "(415) 555-2671",
            "030 12345678",
            "06 12 34 56 78",
            "+1 415-555-2671",
        ] {
            assert_eq!(phone(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
        for s in [
            "+44 12",
            "+999 1234567",
            "12345",
            "+1 000 000 0000",
            "",
            "++44 7911 123456",
            "+49 151 2345678901234567",
            "36.154.16.217",
            "2025-01-25",
            "12.03.1985",
        ] {
            assert_eq!(phone(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
