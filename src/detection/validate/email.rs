//! E-mail addresses (the common RFC 5322 subset people write).

use super::{Ctx, Verdict};

/// Domains reserved for documentation and testing (RFC 2606, RFC 6761).
const RESERVED_SUFFIXES: &[&[u8]] = &[
    b"example.com",
    b"example.org",
    b"example.net",
    b"example",
    b"test",
    b"invalid",
    b"localhost",
    b"local",
];

fn label_ok(label: &[u8]) -> bool {
    (1..=63).contains(&label.len())
        && label
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        && label.first() != Some(&b'-')
        && label.last() != Some(&b'-')
}

/// E-mail address: a local part of 1–64 characters without leading, trailing or doubled dots;
/// a domain of at least two valid labels ending in a known public suffix (the public suffix
/// list), with a registrable label before the suffix. Reserved domains (`example.com`,
/// `*.test`, `*.invalid`, …) are [`Verdict::Test`].
pub fn email(s: &[u8], _: &Ctx) -> Verdict {
    let Some(at) = s.iter().rposition(|&b| b == b'@') else {
        return Verdict::Invalid;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty()
        || local.len() > 64
        || local.first() == Some(&b'.')
        || local.last() == Some(&b'.')
        || local.windows(2).any(|w| w == b"..")
        || !local
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"._%+-'!#$&*=?^`{|}~/".contains(&b))
    {
        return Verdict::Invalid;
    }
    let mut lower = [0u8; 253];
    let Some(buf) = lower.get_mut(..domain.len()) else {
        return Verdict::Invalid;
    };
    for (o, &b) in buf.iter_mut().zip(domain) {
        *o = b.to_ascii_lowercase();
    }
    let domain = &*buf;
    if domain.split(|&b| b == b'.').count() < 2 || !domain.split(|&b| b == b'.').all(label_ok) {
        return Verdict::Invalid;
    }
    let reserved = RESERVED_SUFFIXES.iter().any(|r| {
        domain == *r
            || (domain.len() > r.len()
                && domain.ends_with(r)
                && domain[domain.len() - r.len() - 1] == b'.')
    });
    if reserved {
        return Verdict::Test;
    }
    match psl::suffix(domain) {
        Some(suffix) if suffix.is_known() && suffix.as_bytes().len() < domain.len() => {
            Verdict::Valid
        }
        _ => Verdict::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    #[test]
    fn addresses() {
        for s in [
            "jane.doe@gmail.com",
            "J.Smith_42@acme-corp.co.uk",
            "hans.mueller+news@web.de",
            "a@b.io",
            "x@mail.sub.example.fr",
        ] {
            assert_eq!(email(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
        for s in [
            "user@example.com",
            "ops@mail.example.org",
            "a@host.test",
            "b@x.invalid",
        ] {
            assert_eq!(email(s.as_bytes(), &TODAY), Verdict::Test, "{s}");
        }
        for s in [
            "user@localhost2",
            "a@b.notatld",
            "a@co.uk",
            ".a@gmail.com",
            "a.@gmail.com",
            "a..b@gmail.com",
            "a@-gmail.com",
            "a@gmail-.com",
            "a@gmail..com",
            "@gmail.com",
            "a@",
            "",
            "a b@gmail.com",
        ] {
            assert_eq!(email(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
