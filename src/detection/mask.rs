//! Masking of matched values, so that reports show evidence without the personal data.
//!
//! Every style keeps the shape (length, separators) and just enough to recognise the kind of
//! value: `j***@e******.com`, `4111********1111`, `DE89 **** **** **** **** 00`.

use std::borrow::Cow;
use std::fmt;

/// How a detector's matches are masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskStyle {
    /// `j***@e******.com`: first character of the local part and of each domain label; the
    /// public suffix is kept.
    Email,
    /// `4111********1111`: first four and last four digits, separators removed.
    Card,
    /// `203.*.***.*`, `2a02:****:****::****`: the first group is kept.
    Ip,
    /// `**.**.****`: every digit is masked; separators and month names are kept.
    Date,
    /// `***-**-6789`: only the last four letters or digits are kept.
    Last4,
    /// `D******0`: first and last letter or digit kept when the value has at least six.
    Default,
}

impl MaskStyle {
    /// Parses a style name as used in detector files.
    pub fn from_name(name: &str) -> Option<MaskStyle> {
        Some(match name {
            "email" => MaskStyle::Email,
            "card" => MaskStyle::Card,
            "ip" => MaskStyle::Ip,
            "date" => MaskStyle::Date,
            "last4" => MaskStyle::Last4,
            "default" => MaskStyle::Default,
            _ => return None,
        })
    }

    /// All style names, for error messages.
    pub const NAMES: &'static [&'static str] = &["email", "card", "ip", "date", "last4", "default"];
}

impl fmt::Display for MaskStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            MaskStyle::Email => "email",
            MaskStyle::Card => "card",
            MaskStyle::Ip => "ip",
            MaskStyle::Date => "date",
            MaskStyle::Last4 => "last4",
            MaskStyle::Default => "default",
        };
        f.write_str(name)
    }
}

/// Masks `value` (raw matched bytes; invalid UTF-8 is shown as `?`).
pub fn mask(style: MaskStyle, value: &[u8]) -> String {
    // Most values are ASCII: bytes are characters, nothing needs decoding, and a letter or
    // digit is `is_ascii_alphanumeric`. (Every finding is masked, so this is per finding.)
    if value.is_ascii()
        && let Ok(text) = std::str::from_utf8(value)
    {
        return mask_ascii(style, text);
    }
    let mut text = String::from_utf8_lossy(value);
    if text.contains('\u{FFFD}') {
        text = Cow::Owned(text.replace('\u{FFFD}', "?"));
    }
    match style {
        MaskStyle::Email => mask_email(&text),
        MaskStyle::Card => mask_card(&text),
        MaskStyle::Ip => mask_ip(&text),
        MaskStyle::Date => text
            .chars()
            .map(|c| if c.is_ascii_digit() { '*' } else { c })
            .collect(),
        MaskStyle::Last4 => keep_alnum_chars(&text, 0, 4),
        MaskStyle::Default => {
            let total = text.chars().filter(|&c| alphanumeric(c)).count();
            let (head, tail) = default_kept(total);
            keep_alnum_chars(&text, head, tail)
        }
    }
}

/// [`mask`] of an ASCII value.
fn mask_ascii(style: MaskStyle, text: &str) -> String {
    let bytes = text.as_bytes();
    match style {
        MaskStyle::Email => mask_email(text),
        MaskStyle::Card => mask_card(text),
        MaskStyle::Ip => mask_ip(text),
        MaskStyle::Date => {
            let mut out = bytes.to_vec();
            for b in &mut out {
                if b.is_ascii_digit() {
                    *b = b'*';
                }
            }
            ascii(out)
        }
        MaskStyle::Last4 => keep_alnum_ascii(bytes, 0, 4),
        MaskStyle::Default => {
            let total = bytes.iter().filter(|b| b.is_ascii_alphanumeric()).count();
            let (head, tail) = default_kept(total);
            keep_alnum_ascii(bytes, head, tail)
        }
    }
}

/// The letters or digits the default style keeps at each end of a value with `total` of
/// them: the first and the last when there are at least six, else none.
fn default_kept(total: usize) -> (usize, usize) {
    if total >= 6 { (1, 1) } else { (0, 0) }
}

/// Whether `c` is a letter or digit: [`char::is_alphanumeric`], with the Latin letters of
/// names (U+00C0..U+024F, all letters but `×` and `÷`) answered without its tables.
fn alphanumeric(c: char) -> bool {
    match c {
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        _ => c.is_alphanumeric(),
    }
}

/// Masks every letter or digit except the first `head` and the last `tail` of them.
fn keep_alnum(text: &str, head: usize, tail: usize) -> String {
    if text.is_ascii() {
        keep_alnum_ascii(text.as_bytes(), head, tail)
    } else {
        keep_alnum_chars(text, head, tail)
    }
}

/// [`keep_alnum`] of ASCII text (bytes are characters): the letters and digits between the
/// first `head` and the last `tail` of them are starred.
fn keep_alnum_ascii(bytes: &[u8], head: usize, tail: usize) -> String {
    let alnum = |b: &u8| b.is_ascii_alphanumeric();
    // Just after the `head`-th letter or digit, and at the first of the last `tail`.
    let from = match head {
        0 => 0,
        _ => bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| alnum(b))
            .nth(head - 1)
            .map_or(bytes.len(), |(i, _)| i + 1),
    };
    let to = match tail {
        0 => bytes.len(),
        _ => bytes
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, b)| alnum(b))
            .nth(tail - 1)
            .map_or(0, |(i, _)| i),
    };
    let mut out = bytes.to_vec();
    if from < to {
        for b in &mut out[from..to] {
            if alnum(b) {
                *b = b'*';
            }
        }
    }
    ascii(out)
}

/// The string of ASCII `bytes` (a byte vector is filled faster than a string is pushed to
/// character by character).
fn ascii(bytes: Vec<u8>) -> String {
    debug_assert!(bytes.is_ascii());
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`keep_alnum`] character by character (any text).
fn keep_alnum_chars(text: &str, head: usize, tail: usize) -> String {
    let total = text.chars().filter(|&c| alphanumeric(c)).count();
    let mut show = shown(total, head, tail);
    let mut out = String::with_capacity(text.len());
    out.extend(
        text.chars()
            .map(|c| if show(alphanumeric(c)) { c } else { '*' }),
    );
    out
}

/// Called once per character, in order, with whether it is a letter or digit (`total` of
/// them): whether it stays visible. Other characters always do; of the letters and digits,
/// the first `head` and the last `tail`.
fn shown(total: usize, head: usize, tail: usize) -> impl FnMut(bool) -> bool {
    let mut seen = 0;
    move |alnum| {
        if !alnum {
            return true;
        }
        seen += 1;
        seen <= head || seen > total.saturating_sub(tail)
    }
}

/// First character kept, the rest of the label starred.
fn star_label(label: &str, out: &mut String) {
    let mut chars = label.chars();
    if let Some(first) = chars.next() {
        out.push(first);
        out.extend(chars.map(|_| '*'));
    }
}

fn mask_email(text: &str) -> String {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return keep_alnum(text, 1, 0);
    };
    let mut out = String::with_capacity(text.len());
    star_label(local, &mut out);
    out.push('@');
    let lower = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(domain.to_ascii_lowercase())
    } else {
        Cow::Borrowed(domain)
    };
    let suffix_len = psl::suffix(lower.as_bytes()).map_or(0, |s| s.as_bytes().len());
    let suffix_len = if suffix_len == 0 || suffix_len >= domain.len() {
        domain.rsplit_once('.').map_or(0, |(_, tld)| tld.len())
    } else {
        suffix_len
    };
    let (labels, suffix) = domain.split_at(domain.len() - suffix_len);
    for (i, label) in labels.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        star_label(label, &mut out);
    }
    out.push_str(suffix);
    out
}

fn mask_card(text: &str) -> String {
    let n = text.bytes().filter(u8::is_ascii_digit).count();
    if n < 12 {
        return keep_alnum(text, 0, 4);
    }
    text.bytes()
        .filter(u8::is_ascii_digit)
        .enumerate()
        .map(|(i, d)| {
            if i < 4 || i >= n - 4 {
                char::from(d)
            } else {
                '*'
            }
        })
        .collect()
}

fn mask_ip(text: &str) -> String {
    let sep = if text.contains(':') { ':' } else { '.' };
    let mut out = String::with_capacity(text.len());
    for (i, group) in text.split(sep).enumerate() {
        if i > 0 {
            out.push(sep);
        }
        if i == 0 {
            out.push_str(group);
        } else {
            out.extend(group.chars().map(|_| '*'));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_path_agrees_with_the_character_path() {
        for text in [
            "",
            "a",
            "ab",
            "Jane Doe",
            "12 Main St.",
            "+44 20 7946 0958",
            "x-1_y/2",
            "!!",
        ] {
            for (head, tail) in [(0, 0), (1, 1), (0, 4), (1, 0), (3, 3)] {
                assert_eq!(
                    keep_alnum(text, head, tail),
                    keep_alnum_chars(text, head, tail),
                    "{text:?} {head} {tail}"
                );
            }
        }
    }

    /// [`mask`] as it was written before its fast paths: every value decoded, every
    /// character tested with `char::is_alphanumeric`.
    fn reference(style: MaskStyle, value: &[u8]) -> String {
        let text = String::from_utf8_lossy(value).replace('\u{FFFD}', "?");
        let keep = |head: usize, tail: usize| {
            let total = text.chars().filter(|c| c.is_alphanumeric()).count();
            let mut show = shown(total, head, tail);
            text.chars()
                .map(|c| if show(c.is_alphanumeric()) { c } else { '*' })
                .collect::<String>()
        };
        match style {
            MaskStyle::Email => mask_email(&text),
            MaskStyle::Ip => mask_ip(&text),
            MaskStyle::Card => {
                let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
                if digits.len() < 12 {
                    return keep(0, 4);
                }
                let n = digits.len();
                digits
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| if i < 4 || i >= n - 4 { d } else { '*' })
                    .collect()
            }
            MaskStyle::Date => text
                .chars()
                .map(|c| if c.is_ascii_digit() { '*' } else { c })
                .collect(),
            MaskStyle::Last4 => keep(0, 4),
            MaskStyle::Default => {
                if text.chars().filter(|c| c.is_alphanumeric()).count() >= 6 {
                    keep(1, 1)
                } else {
                    keep(0, 0)
                }
            }
        }
    }

    #[test]
    fn fast_paths_agree_with_the_reference() {
        // ASCII pieces first: half of the values are drawn from them alone.
        let pieces: [&[u8]; 22] = [
            b"a",
            b"Z",
            b"7",
            b"0",
            b" ",
            b"-",
            b".",
            b"@",
            b":",
            b"*",
            b"jane@Example.COM",
            b"4111",
            "é".as_bytes(),
            "Ł".as_bytes(),
            "×".as_bytes(),
            "÷".as_bytes(),
            "ß".as_bytes(),
            "中".as_bytes(),
            "٣".as_bytes(),
            "Ⅻ".as_bytes(),
            b"\xff",
            b"\xc3",
        ];
        let styles = MaskStyle::NAMES
            .iter()
            .filter_map(|n| MaskStyle::from_name(n));
        let styles: Vec<MaskStyle> = styles.collect();
        let mut next = crate::testing::numbers(0x5EED_0F4A_5C11);
        for _ in 0..20_000 {
            let len = next(24) as usize;
            let pool = if next(2) == 0 { 12 } else { pieces.len() } as u64;
            let value: Vec<u8> = (0..len)
                .flat_map(|_| pieces[next(pool) as usize].iter().copied())
                .collect();
            for &style in &styles {
                assert_eq!(
                    mask(style, &value),
                    reference(style, &value),
                    "{style} {:?}",
                    String::from_utf8_lossy(&value)
                );
            }
        }
    }

    #[test]
    fn latin_letters_are_alphanumeric_without_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn email_keeps_first_letters_and_suffix() {
        assert_eq!(
            mask(MaskStyle::Email, b"jane@example.com"),
            "j***@e******.com"
        );
        assert_eq!(
            mask(MaskStyle::Email, b"j.doe@mail.acme.co.uk"),
            "j****@m***.a***.co.uk"
        );
    }

    #[test]
    fn card_keeps_first_and_last_four() {
        assert_eq!(
            mask(MaskStyle::Card, b"4111 1111 1111 1111"),
            "4111********1111"
        );
        assert_eq!(
            mask(MaskStyle::Card, b"3782-822463-10005"),
            "3782*******0005"
        );
    }

    #[test]
    fn other_styles() {
        assert_eq!(mask(MaskStyle::Ip, b"203.0.113.7"), "203.*.***.*");
        assert_eq!(mask(MaskStyle::Ip, b"2a02:c7f:1::5"), "2a02:***:*::*");
        assert_eq!(mask(MaskStyle::Date, b"12 March 1985"), "** March ****");
        assert_eq!(mask(MaskStyle::Last4, b"123-45-6789"), "***-**-6789");
        assert_eq!(
            mask(MaskStyle::Default, b"DE89 3704 0044 0532 0130 00"),
            "D*** **** **** **** **** *0"
        );
        assert_eq!(mask(MaskStyle::Default, b"ab12"), "****");
    }

    #[test]
    fn never_echoes_invalid_bytes() {
        let masked = mask(MaskStyle::Default, b"\xff\xfeabcdefgh");
        assert!(!masked.contains('\u{FFFD}'));
        assert_eq!(masked, "??a******h");
    }

    #[test]
    fn style_names_round_trip() {
        for name in MaskStyle::NAMES {
            let style = MaskStyle::from_name(name).expect("known style");
            assert_eq!(style.to_string(), *name);
        }
    }
}
