//! Shared normalisation: strip separators into a fixed-size stack buffer.

/// Longest normalised value any validator handles.
pub const MAX: usize = 64;

/// A normalised value on the stack.
pub struct Compact {
    buf: [u8; MAX],
    len: usize,
}

impl Compact {
    /// The normalised bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Keeps the ASCII letters (upper-cased) and digits of `s`, dropping the separators in `seps`.
/// `None` if another byte occurs, if the separators are not all the same byte (when
/// `consistent`), or if the result is longer than [`MAX`].
pub fn compact(s: &[u8], seps: &[u8], consistent: bool) -> Option<Compact> {
    let mut out = Compact {
        buf: [0; MAX],
        len: 0,
    };
    let mut sep_seen: Option<u8> = None;
    for &b in s {
        if b.is_ascii_alphanumeric() {
            *out.buf.get_mut(out.len)? = b.to_ascii_uppercase();
            out.len += 1;
        } else if seps.contains(&b) {
            if consistent && sep_seen.is_some_and(|x| x != b) {
                return None;
            }
            sep_seen = Some(b);
        } else {
            return None;
        }
    }
    Some(out)
}

/// Like [`compact`], but only digits may remain.
pub fn digits(s: &[u8], seps: &[u8], consistent: bool) -> Option<Compact> {
    compact(s, seps, consistent).filter(|c| c.as_bytes().iter().all(u8::is_ascii_digit))
}

/// Whether every byte is the same.
pub fn all_same(s: &[u8]) -> bool {
    s.windows(2).all(|w| w[0] == w[1])
}

/// The number formed by ASCII digits (no overflow check needed for ≤ 9 digits).
pub fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, d| {
        n.wrapping_mul(10).wrapping_add(u32::from(d - b'0'))
    })
}
