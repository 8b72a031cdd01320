//! The deterministic in-memory corpus the engine benches share.

/// A small deterministic generator (xorshift), so the buffer is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Mixed text: mostly logs, CSV rows and prose without PII, with PII at a realistic density
/// (roughly one value per 2 KB) and hard negatives (timestamps, versions, ids, hashes).
pub fn corpus(size: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = [
        "the", "customer", "asked", "about", "invoice", "delivery", "account", "please", "update",
        "status", "order", "thanks", "report", "meeting", "server",
    ];
    let pii = [
        "contact jane.doe@gmail.com",
        "card 4539 1488 0343 6467",
        "IBAN DE89 3704 0044 0532 0130 00",
        "SSN 536-22-8726",
        "DOB: 1985-03-12",
        "tel +44 7700 900123",
        "client 81.2.69.142",
    ];
    let mut out = Vec::with_capacity(size + 256);
    let mut n = 0u64;
    while out.len() < size {
        n += 1;
        match rng.below(10) {
            0..=3 => out.extend_from_slice(
                format!(
                    "2024-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z INFO req={:016x} GET /api/v2/items/{} 200 {}ms build 4.{}.{}\n",
                    rng.below(12) + 1, rng.below(28) + 1, rng.below(24), rng.below(60), rng.below(60), rng.below(1000),
                    rng.next(), rng.below(100_000), rng.below(900), rng.below(20), rng.below(100)
                )
                .as_bytes(),
            ),
            4..=5 => out.extend_from_slice(
                format!("{},{},{:.2},EUR,{:08x}-{:04x},shipped\n", n, rng.below(1_000_000), rng.below(100_000) as f64 / 100.0, rng.next() as u32, rng.below(65536)).as_bytes(),
            ),
            _ => {
                for _ in 0..12 {
                    out.extend_from_slice(words[rng.below(words.len() as u64) as usize].as_bytes());
                    out.push(b' ');
                }
                if rng.below(20) == 0 {
                    out.extend_from_slice(pii[rng.below(pii.len() as u64) as usize].as_bytes());
                }
                out.push(b'\n');
            }
        }
    }
    out
}
