//! Network identifiers: IP addresses (parsed with `std::net`) and MAC addresses.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Ctx, Verdict};

/// IPv4 in dotted-quad form without leading zeros. 0.0.0.0, broadcast, multicast and reserved
/// (240/4) addresses are invalid; private (RFC 1918), loopback, link-local, shared (100.64/10)
/// and documentation (192.0.2/24, 198.51.100/24, 203.0.113/24) addresses are
/// [`Verdict::Test`]: real but not about a person.
pub fn ipv4(s: &[u8], _: &Ctx) -> Verdict {
    let Ok(text) = std::str::from_utf8(s) else {
        return Verdict::Invalid;
    };
    if text.split('.').any(|p| p.len() > 1 && p.starts_with('0')) {
        return Verdict::Invalid;
    }
    let Ok(ip) = text.parse::<Ipv4Addr>() else {
        return Verdict::Invalid;
    };
    let [a, b, c, _] = ip.octets();
    if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() || a >= 240 {
        return Verdict::Invalid;
    }
    let documentation = matches!((a, b, c), (192, 0, 2) | (198, 51, 100) | (203, 0, 113));
    let shared = a == 100 && (64..128).contains(&b);
    if ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || documentation
        || shared
        || a == 0
    {
        Verdict::Test
    } else {
        Verdict::Valid
    }
}

/// IPv6 (any textual form `std` accepts). Needs three groups or one full four-digit group, so
/// that `ab::cd`-like code tokens are not addresses. `::` is invalid; loopback, link-local,
/// unique-local, multicast and documentation (2001:db8::/32) addresses are [`Verdict::Test`].
pub fn ipv6(s: &[u8], _: &Ctx) -> Verdict {
    let Ok(text) = std::str::from_utf8(s) else {
        return Verdict::Invalid;
    };
    let groups = text.split(':').filter(|g| !g.is_empty());
    let (count, longest) = groups.fold((0, 0), |(n, l), g| (n + 1, l.max(g.len())));
    if count < 3 && longest < 4 && text != "::1" {
        return Verdict::Invalid;
    }
    let Ok(ip) = text.parse::<Ipv6Addr>() else {
        return Verdict::Invalid;
    };
    if ip.is_unspecified() {
        return Verdict::Invalid;
    }
    let seg = ip.segments();
    let documentation = seg[0] == 0x2001 && seg[1] == 0x0db8;
    let link_local = seg[0] & 0xffc0 == 0xfe80;
    let unique_local = seg[0] & 0xfe00 == 0xfc00;
    if ip.is_loopback() || ip.is_multicast() || documentation || link_local || unique_local {
        Verdict::Test
    } else {
        Verdict::Valid
    }
}

/// Either form: IPv6 if the candidate contains a colon, IPv4 otherwise.
pub fn ip(s: &[u8], ctx: &Ctx) -> Verdict {
    if s.contains(&b':') {
        ipv6(s, ctx)
    } else {
        ipv4(s, ctx)
    }
}

/// MAC address (EUI-48): six hex pairs separated by one kind of `:` or `-`, or three hex
/// quads separated by `.` (Cisco). All-zero and broadcast (`ff:ff:ff:ff:ff:ff`) addresses are
/// invalid. Multicast and locally administered addresses (bit 0 or 1 of the first octet:
/// virtual interfaces, containers, randomised Wi-Fi addresses) are [`Verdict::Test`]: not
/// tied to a device's hardware.
pub fn mac_address(s: &[u8], _: &Ctx) -> Verdict {
    let shape_ok = match s.len() {
        17 => (2..17).step_by(3).all(|i| s[i] == s[2]) && matches!(s[2], b':' | b'-'),
        14 => s[4] == b'.' && s[9] == b'.',
        _ => false,
    };
    let mut octets = [0u8; 6];
    let mut n = 0;
    for &b in s {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            b':' | b'-' | b'.' => continue,
            _ => return Verdict::Invalid,
        };
        let Some(o) = octets.get_mut(n / 2) else {
            return Verdict::Invalid;
        };
        *o = (*o << 4) | v;
        n += 1;
    }
    if !shape_ok || n != 12 || octets == [0; 6] || octets == [0xff; 6] {
        return Verdict::Invalid;
    }
    if octets[0] & 0b11 != 0 {
        Verdict::Test
    } else {
        Verdict::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::super::TODAY;
    use super::*;

    fn v(s: &str) -> Verdict {
        ip(s.as_bytes(), &TODAY)
    }

    #[test]
    fn ipv4_cases() {
        assert_eq!(v("81.2.69.142"), Verdict::Valid);
        assert_eq!(v("8.8.8.8"), Verdict::Valid);
        for s in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.20",
            "127.0.0.1",
            "169.254.1.1",
            "192.0.2.5",
            "203.0.113.9",
            "100.64.0.1",
        ] {
            assert_eq!(v(s), Verdict::Test, "{s}");
        }
        for s in [
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "250.1.1.1",
            "01.2.3.4",
            "256.1.1.1",
            "1.2.3",
            "",
        ] {
            assert_eq!(v(s), Verdict::Invalid, "{s}");
        }
    }

    #[test]
    fn ipv6_cases() {
        for s in [
            "2a02:c7f:5e3a:1100::5",
            "2001:4860:4860::8888",
            "2a00:1450:4001:82b::200e",
        ] {
            assert_eq!(v(s), Verdict::Valid, "{s}");
        }
        for s in [
            "::1",
            "fe80::1",
            "fd12:3456:789a::1",
            "2001:db8::1",
            "ff02::1",
        ] {
            assert_eq!(v(s), Verdict::Test, "{s}");
        }
        for s in [
            "::",
            "12:30:45",
            "00:1a:2b:3c:4d:5e",
            "ab::cd",
            "1:2:3:4:5:6:7:8:9",
            "g::1:2",
        ] {
            assert_eq!(v(s), Verdict::Invalid, "{s}");
        }
    }

    #[test]
    fn mac_addresses() {
        for s in [
            "00:1a:2b:3c:4d:5e",
            "00-1A-2B-3C-4D-5E",
            "001a.2b3c.4d5e",
            "3c:22:fb:01:02:03",
        ] {
            assert_eq!(mac_address(s.as_bytes(), &TODAY), Verdict::Valid, "{s}");
        }
        // Multicast (01:00:5e IPv4 multicast) and locally administered (Docker's 02:42).
        for s in [
            "01:00:5e:00:00:fb",
            "02:42:ac:11:00:02",
            "33-33-00-00-00-01",
        ] {
            assert_eq!(mac_address(s.as_bytes(), &TODAY), Verdict::Test, "{s}");
        }
        for s in [
            "00:00:00:00:00:00",
            "ff:ff:ff:ff:ff:ff",
            "00:1a:2b-3c:4d:5e",
            "00:1a:2b:3c:4d",
            "00:1a:2b:3c:4d:5g",
            "001a.2b3c.4d5e.6f70",
            "0:1a:2b:3c:4d:5e0",
            "",
        ] {
            assert_eq!(mac_address(s.as_bytes(), &TODAY), Verdict::Invalid, "{s}");
        }
    }
}
