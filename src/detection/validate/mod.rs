//! Validators: the checks that separate a real identifier from a look-alike.
//!
//! A validator receives the raw matched bytes (which may hold separators and any case) and
//! returns a [`Verdict`]. Validators never panic on any input and allocate nothing, except
//! where a parsing library needs a string (phone numbers).

mod cards;
mod checksum;
mod date;
mod email;
mod iban;
mod ids_eu;
mod ids_it;
mod ids_nordic;
mod ids_world;
mod mrz;
mod names;
mod network;
mod norm;
mod phone;
mod ssn;
mod vin;

pub use date::parse_date;
pub use names::warm_up as warm_up_names;
pub use names::{is_particle, may_hold_name_word};
pub use phone::PhoneRegions;

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
    /// Passes, but the shape says too little about this value on its own: reported only when a
    /// context word or the field name supports it (legacy 15-digit JCB card numbers). Lets a
    /// validator that runs before the context search ([`runs_before_context`]) ask for it.
    NeedsContext,
}

/// [`Verdict::Valid`] when `ok`, else [`Verdict::Invalid`].
fn valid_if(ok: bool) -> Verdict {
    if ok { Verdict::Valid } else { Verdict::Invalid }
}

/// Facts a validator may need besides the candidate, kept explicit for testability.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Today's date as (year, month, day), for plausibility checks.
    pub today: (i32, u8, u8),
    /// Whether a context word (or the field name) supports this candidate: validators of weak
    /// shapes may accept more with it (a name that is also a common word after `Dear`).
    pub context: bool,
    /// Whether the support comes from the field's name (a CSV column, a JSON key, a database
    /// column): a stronger hint than a word near the value.
    pub field: bool,
    /// The regions whose national phone numbers are accepted.
    pub phone_regions: PhoneRegions,
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
    ("us_itin", ids_world::us_itin),
    ("uk_nino", ids_world::uk_nino),
    ("uk_nhs", ids_world::uk_nhs),
    ("ca_sin", ids_world::ca_sin),
    ("au_tfn", ids_world::au_tfn),
    ("in_aadhaar", ids_world::in_aadhaar),
    ("tr_tckn", ids_world::tr_tckn),
    ("za_id", ids_world::za_id),
    ("nl_bsn", ids_eu::nl_bsn),
    ("be_national_number", ids_eu::be_national_number),
    ("fr_nir", ids_eu::fr_nir),
    ("de_tax_id", ids_eu::de_tax_id),
    ("es_dni", ids_eu::es_dni),
    ("pl_pesel", ids_eu::pl_pesel),
    ("it_fiscal_code", ids_it::it_fiscal_code),
    ("se_personnummer", ids_nordic::se_personnummer),
    ("fi_hetu", ids_nordic::fi_hetu),
    ("no_fodselsnummer", ids_nordic::no_fodselsnummer),
    ("passport", mrz::passport),
    ("mac_address", network::mac_address),
    ("vin", vin::vin),
    ("person_name", names::person_name),
];

/// Whether the engine may run validator `name` before it looks at a candidate's context:
/// true for the checksum and shape validators, which take tens of nanoseconds and ignore
/// [`Ctx::context`], so that a failed check costs no context search. `phone` parses the number
/// against numbering-plan metadata (0.2–2 µs: context first rejects most national look-alikes
/// more cheaply) and `person_name` reads the context.
pub fn runs_before_context(name: &str) -> bool {
    !matches!(name, "phone" | "person_name")
}

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
    context: false,
    field: false,
    phone_regions: PhoneRegions::DEFAULT,
};

/// Asserts that `f` accepts every `valid` value and rejects every `invalid` one.
#[cfg(test)]
pub(crate) fn check(f: ValidatorFn, valid: &[&str], invalid: &[&str]) {
    for s in valid {
        assert_eq!(f(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
    }
    for s in invalid {
        assert_eq!(f(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
    }
}

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
        let inputs: [&[u8]; 16] = [
            b"",
            b"\xff\xfe\x00",
            b"----",
            b"@",
            b"::",
            &[b'9'; 300],
            b"+",
            b"31/02/",
            b"\n",
            b"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            b"\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\r\n",
            b"zzzzzzzzzzzzzzzzz",
            b"a-b-c-d-e-f-g-h-i-j",
            b"99999999999\xff",
            b"\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a",
            b"..:..:..:..:..:..",
        ];
        for (_, f) in VALIDATORS {
            for input in inputs {
                let _ = f(input, &TODAY);
            }
        }
    }

    /// Random candidates of each identifier's shape pass its check at about the rate the
    /// check allows: a validator that accepts too much (or nothing) shows up here. Shapes use
    /// `9` for a random digit, `A` for a random capital letter, `X` for either; other bytes
    /// stand for themselves.
    #[test]
    fn random_shapes_pass_at_the_expected_rate() {
        // (validator, shape, lowest and highest pass rate in percent)
        let cases: &[(&str, &str, f64, f64)] = &[
            ("nl_bsn", "999999999", 7.0, 11.0),               // 1/11
            ("ca_sin", "999999999", 7.0, 10.0),               // 8/10 first digits × 1/10
            ("au_tfn", "999999999", 7.0, 11.0),               // 1/11
            ("uk_nhs", "9999999999", 7.0, 11.0),              // 1/11
            ("in_aadhaar", "999999999999", 6.0, 10.0),        // 8/10 first digits × 1/10
            ("tr_tckn", "99999999999", 0.4, 1.2),             // 9/10 × 1/100
            ("de_tax_id", "99999999999", 0.2, 0.8),           // repetition rule × 1/10
            ("pl_pesel", "99999999999", 0.5, 1.3), // month codes of past dates, day × 1/10
            ("be_national_number", "99999999999", 0.0, 0.15), // month, day × 1/97
            ("no_fodselsnummer", "99999999999", 0.02, 0.3), // date × 1/121
            ("fr_nir", "999999999999999", 0.3, 0.8), // sex 6/10, month × 1/97
            ("za_id", "9999999999999", 0.0, 0.1),  // date × 3/10 × 2/10 × 1/10
            ("se_personnummer", "999999-9999", 0.4, 1.2), // date (or day + 60) × 1/10
            ("fi_hetu", "999999-999X", 0.02, 0.3), // date × 1/36
            ("es_dni", "99999999A", 3.0, 5.0),     // 1/26
            ("it_fiscal_code", "AAAAAA99A99A999A", 0.7, 1.8), // month 12/26, day × 1/26
            ("us_itin", "999-99-9999", 3.0, 6.0),  // 1/10 × 44/100
            ("uk_nino", "AA999999A", 7.0, 11.0),   // letter rules × 4/26
            (
                "passport",
                "XXXXXXXXX9AAA9999999A9999999XXXXXXXXXXXXXX99",
                0.0,
                0.01,
            ),
            ("vin", "1XXXXXXXXXXXXXXXX", 1.0, 3.0), // no I, O, Q × the check character
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as u8
        };
        const N: usize = 20_000;
        for &(name, shape, lo, hi) in cases {
            let f = lookup(name).expect("known validator");
            let mut buf = shape.as_bytes().to_vec();
            let mut pass = 0;
            for _ in 0..N {
                for (b, &s) in buf.iter_mut().zip(shape.as_bytes()) {
                    *b = match s {
                        b'9' => b'0' + next(10),
                        b'A' => b'A' + next(26),
                        b'X' if next(2) == 0 => b'0' + next(10),
                        b'X' => b'A' + next(26),
                        other => other,
                    };
                }
                pass += usize::from(f(&buf, &TODAY) != Verdict::Invalid);
            }
            let rate = 100.0 * pass as f64 / N as f64;
            assert!(
                (lo..=hi).contains(&rate),
                "{name}: {rate:.3}% of random {shape}"
            );
        }
    }
}
