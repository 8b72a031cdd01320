//! Validators: the checks that separate a real identifier from a look-alike.
//!
//! A validator receives the raw matched bytes (which may hold separators and any case) and
//! returns a [`Verdict`]. Validators never panic on any input and allocate nothing, except
//! where a parsing library needs a string (phone numbers).

mod cards;
mod date;
mod email;
mod iban;
mod network;
mod norm;
mod phone;
mod ssn;

pub use date::parse_date;

/// Outcome of validating one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Fails the check: not reported.
    Invalid,
    /// Passes every check.
    Valid,
    /// Passes, but is a well-known test, example or reserved value (test card number,
    /// `example.com` address, private or documentation IP range). Its confidence is capped at
    /// [`crate::detection::engine::TEST_VALUE_CONFIDENCE`].
    Test,
}

/// Facts a validator may need besides the candidate, kept explicit for testability.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Today's date as (year, month, day), for plausibility checks.
    pub today: (i32, u8, u8),
}

/// A validator function.
pub type ValidatorFn = fn(&[u8], &Ctx) -> Verdict;

/// Every validator, by the name detector files use.
const VALIDATORS: &[(&str, ValidatorFn)] = &[
    ("luhn", cards::luhn_validator),
    ("credit_card", cards::credit_card),
    ("iban", iban::iban),
    ("us_ssn", ssn::us_ssn),
    ("email", email::email),
    ("ip", network::ip),
    ("ipv4", network::ipv4),
    ("ipv6", network::ipv6),
    ("phone", phone::phone),
    ("date", date::date),
    ("date_of_birth", date::date_of_birth),
];

/// Looks a validator up by name.
pub fn lookup(name: &str) -> Option<ValidatorFn> {
    VALIDATORS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// All validator names, for error messages and listings.
pub fn names() -> Vec<&'static str> {
    VALIDATORS.iter().map(|(n, _)| *n).collect()
}

#[cfg(test)]
pub(crate) const TODAY: Ctx = Ctx {
    today: (2026, 1, 1),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_resolves() {
        for name in names() {
            assert!(lookup(name).is_some(), "{name}");
        }
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn garbage_never_panics() {
        let inputs: [&[u8]; 8] = [
            b"",
            b"\xff\xfe\x00",
            b"----",
            b"@",
            b"::",
            &[b'9'; 300],
            b"+",
            b"31/02/",
        ];
        for (_, f) in VALIDATORS {
            for input in inputs {
                let _ = f(input, &TODAY);
            }
        }
    }
}
