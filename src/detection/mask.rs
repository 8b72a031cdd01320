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
    let mut text = match std::str::from_utf8(value) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(value),
    };
    if !text.is_ascii() && text.contains('\u{FFFD}') {
        text = Cow::Owned(text.replace('\u{FFFD}', "?"));
    }
    match style {
        MaskStyle::Email => mask_email(&text),
        MaskStyle::Card => mask_card(&text),
        MaskStyle::Ip => mask_ip(&text),
        MaskStyle::Date => {
            let mut out = String::with_capacity(text.len());
            out.extend(
                text.chars()
                    .map(|c| if c.is_ascii_digit() { '*' } else { c }),
            );
            out
        }
        MaskStyle::Last4 => keep_alnum(&text, 0, 4),
        MaskStyle::Default => {
            let n = if text.is_ascii() {
                text.bytes().filter(u8::is_ascii_alphanumeric).count()
            } else {
                text.chars().filter(|c| c.is_alphanumeric()).count()
            };
            if n >= 6 {
                keep_alnum(&text, 1, 1)
            } else {
                keep_alnum(&text, 0, 0)
            }
        }
    }
}

/// Masks every letter or digit except the first `head` and the last `tail` of them.
fn keep_alnum(text: &str, head: usize, tail: usize) -> String {
    if text.is_ascii() {
        // Most values: bytes are characters, and `is_alphanumeric` is the ASCII test.
        let total = text.bytes().filter(u8::is_ascii_alphanumeric).count();
        let mut show = shown(total, head, tail);
        let out: Vec<u8> = text
            .bytes()
            .map(|b| {
                if show(b.is_ascii_alphanumeric()) {
                    b
                } else {
                    b'*'
                }
            })
            .collect();
        return String::from_utf8(out).unwrap_or_default();
    }
    keep_alnum_chars(text, head, tail)
}

/// [`keep_alnum`] character by character (any text).
fn keep_alnum_chars(text: &str, head: usize, tail: usize) -> String {
    let total = text.chars().filter(|c| c.is_alphanumeric()).count();
    let mut show = shown(total, head, tail);
    let mut out = String::with_capacity(text.len());
    out.extend(
        text.chars()
            .map(|c| if show(c.is_alphanumeric()) { c } else { '*' }),
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
    let lower = domain.to_ascii_lowercase();
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
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 12 {
        return keep_alnum(text, 0, 4);
    }
    let n = digits.len();
    digits
        .iter()
        .enumerate()
        .map(|(i, &d)| if i < 4 || i >= n - 4 { d } else { '*' })
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
