//! Phone numbers, validated with libphonenumber's metadata.
//!
//! The metadata piimap needs (per calling code: regions, national prefix, leading digits and
//! the national-number pattern and lengths of each number type) is vendored in
//! `detectors/phone_metadata.json`, generated from the `phonenumber` crate's copy of
//! libphonenumber (Apache-2.0). Loading the crate's own database compiles every pattern of
//! every region at first use (about 600 M instructions, 0.2 s before the first phone number
//! is checked); here only the calling codes that candidates reach are compiled. A test checks
//! that the vendored file is what the crate holds (`PIIMAP_BLESS=1` rewrites it after an
//! upgrade).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};

use super::{Ctx, Verdict};

/// Regions tried, in order, for numbers written without a country code.
const REGIONS: &[&str] = &[
    "US", "GB", "DE", "FR", "NL", "ES", "IT", "BE", "AT", "CH", "SE", "PL", "IE", "CA", "AU", "IN",
    "NO", "FI", "TR",
];

/// Country calling codes run from 1 to 999.
const CODES: usize = 1000;

/// The vendored metadata (see the module documentation).
const METADATA: &str = include_str!("../../../detectors/phone_metadata.json");

/// libphonenumber's metadata as piimap uses it: the regions of each calling code, in the
/// metadata's order.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Metadata {
    /// Where the data comes from.
    source: String,
    codes: BTreeMap<u16, Vec<RawRegion>>,
}

/// One region's metadata, patterns uncompiled.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct RawRegion {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    national_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    leading_digits: Option<String>,
    general: RawDesc,
    /// Every type that makes a number valid (all but the general, emergency, short-code,
    /// carrier and no-international descriptors).
    types: Vec<RawDesc>,
}

/// One type descriptor: its national-number pattern and the lengths its numbers may have
/// (empty: those of the general descriptor).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct RawDesc {
    pattern: String,
    lengths: Vec<u16>,
}

fn metadata() -> &'static Metadata {
    static META: OnceLock<Metadata> = OnceLock::new();
    META.get_or_init(|| {
        serde_json::from_str(METADATA)
            .expect("the built-in phone metadata is valid (a test parses it)")
    })
}

/// Compiles a metadata pattern as libphonenumber does: whitespace in it is layout.
fn compile(pattern: &str) -> Option<Regex> {
    Regex::builder()
        // ASCII `\d`: numbers reach the patterns as ASCII digits only, and Unicode digit
        // classes would multiply the automata of patterns that list every area code.
        .syntax(
            regex_automata::util::syntax::Config::new()
                .ignore_whitespace(true)
                .unicode(false),
        )
        .configure(config())
        .build(pattern)
        .ok()
}

/// Matching only, on the lazy DFA: some patterns list every area code, and the bounded
/// backtracker that would serve short inputs clears a visited set the size of the pattern
/// per search.
fn config() -> regex_automata::meta::Config {
    Regex::config()
        .backtrack(false)
        .onepass(false)
        // Matching only: no capture states, no fully compiled DFA (its determinisation cost
        // more than the few numbers of a code ever checked), no literal prefilter (the
        // patterns are anchored).
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
        .dfa(false)
        .auto_prefilter(false)
}

/// One type descriptor (fixed line, mobile, toll free, ...): its national-number pattern,
/// compiled as a full match, and the lengths numbers of that type may have.
struct Desc {
    pattern: Regex,
    lengths: Vec<u16>,
}

impl Desc {
    fn new(d: &RawDesc, fallback: &[u16]) -> Option<Desc> {
        let pattern = compile(&format!("^(?:{})$", d.pattern))?;
        let lengths = if d.lengths.is_empty() {
            fallback.to_vec()
        } else {
            d.lengths.clone()
        };
        Some(Desc { pattern, lengths })
    }

    fn matches(&self, nsn: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(nsn.len() as u16)))
            && self.pattern.is_match(nsn)
    }
}

/// One region of a calling code (`US` and `CA` share +1).
struct Region {
    id: &'static str,
    general: Desc,
    /// Every type that makes a number valid.
    types: Vec<Desc>,
    /// Which numbers belong to this region when several share the code.
    leading: Option<Regex>,
    /// The national (trunk) prefix written before national numbers (`0`, `1`).
    national_prefix: Option<&'static str>,
}

impl Region {
    fn new(raw: &'static RawRegion) -> Option<Region> {
        let general = Desc::new(&raw.general, &[])?;
        let types = raw
            .types
            .iter()
            .filter_map(|t| Desc::new(t, &raw.general.lengths))
            .collect();
        let leading = match &raw.leading_digits {
            Some(l) => Some(compile(&format!("^(?:{l})"))?),
            None => None,
        };
        Some(Region {
            id: &raw.id,
            general,
            types,
            leading,
            national_prefix: raw.national_prefix.as_deref(),
        })
    }

    /// Whether `nsn` (national significant number, digits only) is a valid number here: it
    /// has the shape of the region's numbers and of one of its number types.
    fn valid(&self, nsn: &str) -> bool {
        self.general.matches(nsn) && self.types.iter().any(|t| t.matches(nsn))
    }
}

/// The regions of one calling code, in the metadata's order, compiled on first use.
struct Code {
    regions: Vec<Region>,
}

impl Code {
    fn get(code: u16) -> Option<&'static Code> {
        static PLANS: [OnceLock<Option<Code>>; CODES] = [const { OnceLock::new() }; CODES];
        PLANS
            .get(usize::from(code))?
            .get_or_init(|| {
                let regions: Vec<Region> = metadata()
                    .codes
                    .get(&code)?
                    .iter()
                    .filter_map(Region::new)
                    .collect();
                (!regions.is_empty()).then_some(Code { regions })
            })
            .as_ref()
    }

    /// Whether `nsn` is valid in the region libphonenumber picks for it: the code's only
    /// region, else the first whose leading digits match, or, for regions without leading
    /// digits, the first where it is valid.
    fn valid(&self, nsn: &str) -> bool {
        if let [only] = self.regions.as_slice() {
            return only.valid(nsn);
        }
        for r in &self.regions {
            match &r.leading {
                Some(leading) if leading.is_match(nsn) => return r.valid(nsn),
                Some(_) => {}
                None if r.valid(nsn) => return true,
                None => {}
            }
        }
        false
    }

    /// Whether `digits` is valid after the national prefix of `region` (or of the code's
    /// first region) is stripped, or as written when it has no such prefix or what would
    /// remain is too short (libphonenumber's rule).
    fn valid_national(&self, digits: &str, region: Option<&str>) -> bool {
        // As libphonenumber does, strip the prefix only if what remains is not too short.
        let stripped = self
            .regions
            .iter()
            .find(|r| region.is_none_or(|id| r.id == id))
            .and_then(|r| {
                let rest = digits.strip_prefix(r.national_prefix?)?;
                let shortest = r.general.lengths.iter().min().copied().unwrap_or(0);
                (rest.len() >= MIN_NSN.max(usize::from(shortest))).then_some(rest)
            });
        self.valid(stripped.unwrap_or(digits))
    }

    /// Whether `digits` is a valid national number of region `id` as people write it: with
    /// the region's trunk prefix where it has one (`030 12345678`; `20 014255` is no Swedish
    /// number as written, though `+46 20 014255` is one), except in North America, where the
    /// `1` is left out, and in India, whose mobile numbers are written without the `0`.
    fn valid_written(&self, digits: &str, id: &str) -> bool {
        let prefix = self
            .regions
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.national_prefix);
        if let Some(prefix) = prefix
            && !matches!(id, "US" | "CA" | "IN")
            && !digits.starts_with(prefix)
        {
            return false;
        }
        self.valid_national(digits, Some(id))
    }
}

/// The regions whose national numbers (written without a country code) the phone validator
/// accepts: by default those of [`REGIONS`], tried in that order; or a list the user gives
/// for data whose origin is known (`--phone-regions DE,AT`), which keeps numbers valid only in
/// some other region out. Numbers with a country code are checked against their own region
/// in either case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhoneRegions(Option<&'static [&'static str]>);

impl PhoneRegions {
    /// The built-in list.
    pub const DEFAULT: PhoneRegions = PhoneRegions(None);

    /// The regions `ids` (ISO 3166-1 alpha-2 codes, any case, as libphonenumber's metadata
    /// names them), in this order. An error names the first code the metadata does not know.
    /// Lists are kept for the rest of the process, each distinct one once.
    pub fn new<S: AsRef<str>>(ids: &[S]) -> Result<PhoneRegions, String> {
        let mut list: Vec<&'static str> = Vec::with_capacity(ids.len());
        for id in ids {
            let id = id.as_ref().trim();
            let known = region_codes()
                .keys()
                .find(|known| known.eq_ignore_ascii_case(id))
                .ok_or_else(|| {
                    format!(
                        "unknown phone region `{id}`: expected an ISO 3166 country code that \
                         libphonenumber knows (US, GB, DE, FR, ...)"
                    )
                })?;
            if !list.contains(known) {
                list.push(known);
            }
        }
        if list.is_empty() {
            return Err("no phone region given".into());
        }
        static INTERNED: std::sync::Mutex<Vec<&'static [&'static str]>> =
            std::sync::Mutex::new(Vec::new());
        let mut interned = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
        let list = match interned.iter().find(|l| **l == list.as_slice()) {
            Some(l) => *l,
            None => {
                let l: &'static [&'static str] = Vec::leak(list);
                interned.push(l);
                l
            }
        };
        Ok(PhoneRegions(Some(list)))
    }

    /// The regions, in the order they are tried.
    pub fn ids(&self) -> &'static [&'static str] {
        self.0.unwrap_or(REGIONS)
    }
}

/// Every region of the metadata with its calling code.
fn region_codes() -> &'static BTreeMap<&'static str, u16> {
    static MAP: OnceLock<BTreeMap<&'static str, u16>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = BTreeMap::new();
        for (&code, regions) in &metadata().codes {
            for r in regions {
                map.entry(r.id.as_str()).or_insert(code);
            }
        }
        map
    })
}

/// [`REGIONS`] with their calling codes, looked up once.
fn national_regions() -> &'static [(&'static str, &'static Code)] {
    static REGION_CODES: OnceLock<Vec<(&'static str, &'static Code)>> = OnceLock::new();
    REGION_CODES.get_or_init(|| {
        REGIONS
            .iter()
            .filter_map(|&id| {
                let (&code, _) = metadata()
                    .codes
                    .iter()
                    .find(|(_, regions)| regions.iter().any(|r| r.id == id))?;
                Some((id, Code::get(code)?))
            })
            .collect()
    })
}

/// Shortest and longest national significant numbers (ITU-T E.164).
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;

/// The country calling code at the start of `digits` (one to three digits, the first that
/// is assigned) and the rest.
fn split_code(digits: &str) -> Option<(&'static Code, &str)> {
    (1..=3).find_map(|n| {
        let code: u16 = digits.get(..n)?.parse().ok()?;
        Code::get(code).map(|c| (c, &digits[n..]))
    })
}

/// Phone number: 7–17 digits; with `+` or `00` the country code is parsed and the number must
/// be valid for it; otherwise it must be a valid national number in one of [`REGIONS`]. An
/// extension after the number (`x693`, ` ext. 12`, `#4`: one to six digits) is allowed and not
/// part of the check.
///
/// Validity follows libphonenumber's metadata (the vendored copy): the national
/// significant number must have the general shape and the shape and length of one number type
/// of its region. The metadata's patterns are compiled once per calling code, on first use,
/// into full-match regexes that any number of threads share (the crate's own validator looks
/// each one up in a locked cache per call: 3–14 µs a number). Runs only on candidates.
pub fn phone(s: &[u8], ctx: &Ctx) -> Verdict {
    let Ok(text) = std::str::from_utf8(s) else {
        return Verdict::Invalid;
    };
    let Some(text) = without_extension(text.trim()) else {
        return Verdict::Invalid;
    };
    let count = text.bytes().filter(|b| b.is_ascii_digit()).count();
    if !(7..=17).contains(&count) {
        return Verdict::Invalid;
    }
    // A dotted quad is an IPv4 address, and a real date a date, far more often than a phone
    // number.
    if text.parse::<std::net::Ipv4Addr>().is_ok() || super::parse_date(text.as_bytes()).is_some() {
        return Verdict::Invalid;
    }
    if text.bytes().skip(1).any(|b| b == b'+') {
        return Verdict::Invalid;
    }
    let international = text.strip_prefix('+').or_else(|| text.strip_prefix("00"));
    // Digits only, without an international trunk `(0)` (`+44 (0)20 ...`).
    let mut digits = [0u8; 24];
    let mut n = 0;
    let mut rest = international.unwrap_or(text).as_bytes();
    let mut dropped_trunk = false;
    while let Some((&c, tail)) = rest.split_first() {
        if international.is_some() && !dropped_trunk && rest.starts_with(b"(0)") {
            dropped_trunk = true;
            rest = &rest[3..];
            continue;
        }
        if c.is_ascii_digit() {
            if n == digits.len() {
                return Verdict::Invalid;
            }
            digits[n] = c;
            n += 1;
        }
        rest = tail;
    }
    let Ok(digits) = std::str::from_utf8(&digits[..n]) else {
        return Verdict::Invalid;
    };
    let ok = match international {
        Some(_) => split_code(digits).is_some_and(|(code, nsn)| {
            (MIN_NSN..=MAX_NSN).contains(&nsn.len()) && code.valid_national(nsn, None)
        }),
        // North American grouping: valid in the North American plan or not at all (in the
        // union, `(754) 184-0888`, no valid exchange, passed as an Indian mobile number).
        None if ctx.phone_regions == PhoneRegions::DEFAULT && nanp_shaped(text) => {
            national_regions()
                .iter()
                .filter(|(id, _)| matches!(*id, "US" | "CA"))
                .any(|&(id, code)| code.valid_written(digits, id))
        }
        None if ctx.phone_regions == PhoneRegions::DEFAULT => national_regions()
            .iter()
            .any(|&(id, code)| code.valid_written(digits, id)),
        // The user's regions; North American grouping only in those of +1, if any.
        None => {
            let regions = || {
                ctx.phone_regions.ids().iter().filter_map(|&id| {
                    let code = *region_codes().get(id)?;
                    Some((id, code, Code::get(code)?))
                })
            };
            let nanp = nanp_shaped(text) && regions().any(|(_, code, _)| code == 1);
            regions()
                .filter(|&(_, code, _)| !nanp || code == 1)
                .any(|(id, _, plan)| plan.valid_written(digits, id))
        }
    };
    if ok { Verdict::Valid } else { Verdict::Invalid }
}

/// Whether `text` is grouped as North American numbers are (`(415) 555-2671`,
/// `415-555-2671`, `415.555.2671`, `415 555 2671`: three, three and four digits, separated),
/// without a trunk `0` (`087 123 4567` is an Irish mobile number). No other plan of
/// [`REGIONS`] writes national numbers so.
fn nanp_shaped(text: &str) -> bool {
    let mut shape = [0u8; 16];
    let mut n = 0;
    for b in text.bytes() {
        let class = match b {
            b'0'..=b'9' => b'd',
            b' ' | b'.' | b'-' => b's',
            b'(' | b')' => b,
            _ => return false,
        };
        if n == shape.len() {
            return false;
        }
        shape[n] = class;
        n += 1;
    }
    let first_digit = text.bytes().find(u8::is_ascii_digit);
    matches!(
        &shape[..n],
        b"(ddd)sdddsdddd" | b"(ddd)dddsdddd" | b"dddsdddsdddd"
    ) && first_digit != Some(b'0')
}

/// `text` without an extension at its end (`x693`, `X 12`, `ext. 4`, `ext12`, `#7`: a marker,
/// then one to six digits, optionally after a space or a dot); `None` if a marker is followed
/// by anything else.
fn without_extension(text: &str) -> Option<&str> {
    let Some(at) = text.find(['x', 'X', 'e', 'E', '#']) else {
        return Some(text);
    };
    let rest = &text[at..];
    let rest = rest.strip_prefix(['x', 'X', '#']).or_else(|| {
        rest.get(..3)
            .filter(|m| m.eq_ignore_ascii_case("ext"))
            .map(|_| &rest[3..])
    })?;
    let digits = rest.trim_start_matches(['.', ' ']);
    let valid = (1..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| text[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    /// The metadata piimap uses, read from the `phonenumber` crate's database.
    fn from_crate() -> Metadata {
        let db = &*phonenumber::metadata::DATABASE;
        let raw = |d: &phonenumber::metadata::Descriptor| RawDesc {
            pattern: d.national_number().as_str().to_string(),
            lengths: d.possible_length().to_vec(),
        };
        let mut codes = BTreeMap::new();
        for code in 1..CODES as u16 {
            let Some(ids) = db.region(&code) else {
                continue;
            };
            let regions: Vec<RawRegion> = ids
                .into_iter()
                .filter_map(|id| db.by_id(id))
                .map(|meta| {
                    let d = meta.descriptors();
                    RawRegion {
                        id: meta.id().to_string(),
                        national_prefix: meta.national_prefix().map(str::to_string),
                        leading_digits: meta.leading_digits().map(|l| l.as_str().to_string()),
                        general: raw(d.general()),
                        types: [
                            d.premium_rate(),
                            d.toll_free(),
                            d.shared_cost(),
                            d.voip(),
                            d.personal_number(),
                            d.pager(),
                            d.uan(),
                            d.voicemail(),
                            d.fixed_line(),
                            d.mobile(),
                        ]
                        .into_iter()
                        .flatten()
                        .map(raw)
                        .collect(),
                    }
                })
                .collect();
            if !regions.is_empty() {
                codes.insert(code, regions);
            }
        }
        Metadata {
            source: "libphonenumber PhoneNumberMetadata.xml (Apache-2.0) as packaged by the \
                     phonenumber crate 0.3.10+9.0.33; generated by the test \
                     detection::validate::phone::tests::vendored_metadata_is_the_crates"
                .to_string(),
            codes,
        }
    }

    /// `detectors/phone_metadata.json` is what the `phonenumber` crate holds. After upgrading
    /// the crate, `PIIMAP_BLESS=1 cargo test vendored_metadata` rewrites the file.
    #[test]
    fn vendored_metadata_is_the_crates() {
        let want = from_crate();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/detectors/phone_metadata.json");
        if std::env::var_os("PIIMAP_BLESS").is_some() {
            let mut text = serde_json::to_string_pretty(&want).expect("serialisable");
            text.push('\n');
            std::fs::write(path, text).expect("writable");
            return;
        }
        assert!(want.codes.len() > 200, "{} calling codes", want.codes.len());
        assert!(
            metadata().codes == want.codes,
            "detectors/phone_metadata.json differs from the phonenumber crate's metadata; \
             rewrite it with PIIMAP_BLESS=1 cargo test vendored_metadata"
        );
        // Every calling code's patterns compile.
        for &code in want.codes.keys() {
            let plan = Code::get(code).expect("compiles");
            assert_eq!(plan.regions.len(), want.codes[&code].len(), "+{code}");
        }
        // Every region tried for national numbers is there.
        assert_eq!(national_regions().len(), REGIONS.len());
    }

    /// The `phonenumber` crate's own parse-and-validate, the oracle for ours.
    fn oracle(text: &str) -> bool {
        let text = text.trim();
        let valid = |region: Option<phonenumber::country::Id>, t: &str| {
            phonenumber::parse(region, t).is_ok_and(|n| phonenumber::is_valid(&n))
        };
        match text.strip_prefix("00") {
            Some(rest) => valid(None, &format!("+{rest}")),
            None if text.starts_with('+') => valid(None, text),
            None => REGIONS
                .iter()
                .any(|r| valid(Some(r.parse().expect("a region id")), text)),
        }
    }

    /// Our compiled validator agrees with the crate's (up to its prefix matching, which the
    /// same test with `^(?:p)` instead of `^(?:p)$` confirms: then all but a handful agree) on random numbers of many countries,
    /// international and national, valid and not.
    #[test]
    fn agrees_with_libphonenumber_crate() {
        let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
        let codes = [
            1, 7, 20, 27, 31, 32, 33, 34, 36, 39, 41, 43, 44, 45, 46, 47, 48, 49, 52, 55, 61, 64,
            81, 86, 90, 91, 351, 353, 358, 420, 971,
        ];
        let (mut total, mut valid, mut disagree) = (0, 0, Vec::new());
        for i in 0..6000 {
            let len = 7 + next(6) as usize;
            let mut digits: String = (0..len)
                .map(|_| char::from(b'0' + next(10) as u8))
                .collect();
            let text = if i % 3 == 0 {
                // National: trunk prefix and a region's own layout.
                digits.replace_range(0..1, "0");
                format!("{} {}", &digits[..3], &digits[3..])
            } else {
                let code = codes[next(codes.len() as u64) as usize];
                format!("+{code} {} {}", &digits[..2], &digits[2..])
            };
            let ours = phone(text.as_bytes(), &TODAY) == Verdict::Valid;
            let theirs = oracle(&text);
            total += 1;
            valid += usize::from(theirs);
            if ours != theirs {
                disagree.push((text, ours, theirs));
            }
        }
        assert!(
            valid > total / 10,
            "the sample must hold valid numbers: {valid}/{total}"
        );
        // Ours never accepts what the crate rejects.
        let ours_only: Vec<_> = disagree.iter().filter(|d| d.1).collect();
        assert!(
            ours_only.is_empty(),
            "accepted, crate rejects: {ours_only:?}"
        );
        // The crate matches a type's pattern at the start of the number only (`find`, then
        // `start == 0`), where libphonenumber requires the whole number to match: it accepts
        // a longer number whose beginning has a valid shape. That is the only difference, and
        // it stays rare.
        assert!(
            disagree.len() * 40 <= total,
            "{} of {total} disagree: {:?}",
            disagree.len(),
            &disagree[..disagree.len().min(20)]
        );
    }

    /// National numbers are checked against the user's regions when given, in place of the
    /// built-in list; numbers with a country code against their own region either way.
    #[test]
    fn regions_of_national_numbers() {
        let with = |ids: &[&str]| Ctx {
            phone_regions: PhoneRegions::new(ids).expect("known regions"),
            ..TODAY
        };
        let valid = |s: &str, ctx: &Ctx| phone(s.as_bytes(), ctx) == Verdict::Valid;
        let (de, fr, us_de) = (with(&["de"]), with(&["FR"]), with(&["US", "DE"]));
        // A Berlin number: valid in Germany only (French numbers have ten digits).
        assert!(valid("030 12345678", &TODAY));
        assert!(valid("030 12345678", &de) && !valid("030 12345678", &fr));
        // A French mobile number.
        assert!(valid("06 12 34 56 78", &fr));
        // A London number, in Britain only.
        assert!(valid("020 7946 0958", &TODAY) && !valid("020 7946 0958", &fr));
        // A Dutch-looking number with an area code the Netherlands do not have (Faker's
        // `nl_NL` invents them): valid in another plan of the built-in list, not as Dutch.
        assert!(valid("0974 717416", &TODAY) && !valid("0974 717416", &with(&["NL"])));
        // North American grouping: in the regions of +1 if the list has one; in a list
        // without any, as written in its regions (no trunk `0`: no German number).
        assert!(valid("(415) 555-2671", &us_de) && !valid("(415) 555-2671", &de));
        assert!(!valid("(754) 184-0888", &with(&["US", "IN"])));
        // International numbers do not depend on the list.
        assert!(valid("+33 6 12 34 56 78", &de) && valid("+1 415-555-2671", &fr));
        assert!(!valid("+33 12", &de));
    }

    #[test]
    fn region_lists() {
        let a = PhoneRegions::new(&["de", " AT", "DE"]).expect("known");
        assert_eq!(a.ids(), ["DE", "AT"]);
        // The same list is kept once.
        let b = PhoneRegions::new(&["DE", "at"]).expect("known");
        assert!(std::ptr::eq(a.ids(), b.ids()));
        assert_eq!(PhoneRegions::DEFAULT.ids(), REGIONS);
        let err = PhoneRegions::new(&["DE", "XX"]).expect_err("unknown");
        assert!(err.contains("`XX`"), "{err}");
        assert!(PhoneRegions::new::<&str>(&[]).is_err());
    }

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
            "+1-435-414-5657x693",
            "(415) 555-2671 x12",
            "+44 20 7123 4567 ext. 204",
            "(415) 555-2671 Ext 7",
            "030 12345678#3",
            "087 123 4567",
            "7541840888",
            // Norway writes no trunk prefix.
            "22 12 34 56",
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
            "(415) 555-2671 x",
            // North American grouping, but no valid exchange (valid as Indian mobile numbers).
            "(754) 184-0888",
            "754-184-0888",
            // Without the trunk prefix its region writes (an Austrian number once a `0` is
            // put in front): the rest of `+1 (267) 184-0888`.
            "184-0888",
            "674-6946",
            "(415) 555-2671 x1234567",
            "(415) 555-2671 xy",
            "(415) 555-2671 ext 12 x4",
            "x12",
        ] {
            assert_eq!(phone(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
        // Non-ASCII characters are skipped like separators, never cut in half.
        for s in ["+49 30 1234567é", "+44 (0)é 20 7123 4567", "é+49", "+(0"] {
            let _ = phone(s.as_bytes(), &TODAY);
        }
    }
}
