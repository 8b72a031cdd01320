//! Writes the deterministic mixed corpus of `scripts/bench-throughput`: a file share as a
//! nightly scan meets it, at a realistic PII density.
//!
//! * `gen_throughput DIR SIZE` — a tree of nested directories (`dept*/YYYY/…`) holding web
//!   access logs, JSON application logs, text logs, metrics CSVs, customer CSV exports, support
//!   tickets and e-mails, source code and configuration files, and Markdown docs. File sizes run
//!   from 1 KB to 64 MB (log-normal), plus one large log of `SIZE / 2` capped at 500 MB.
//! * `gen_throughput --single FILE SIZE` — one file of mixed log lines (the memory check).
//!
//! SIZE takes `K`, `M` and `G` suffixes (powers of 1024). Prints `bytes files` on stdout.
//! Most bytes hold no personal data (timestamps, request ids, hashes, versions, metrics, code);
//! access logs carry a client IP per line, customer exports a full record per row, and the rest
//! a value every few kilobytes, with hard negatives (order numbers, Luhn-failing card shapes,
//! epoch milliseconds, UUIDs) throughout.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    /// Log-normal-ish size: e^(mu + sigma * N(0,1)) with N from the sum of uniforms.
    fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        let n: f64 = (0..12)
            .map(|_| self.below(1 << 20) as f64 / f64::from(1 << 20))
            .sum();
        (mu + sigma * (n - 6.0)).exp()
    }
}

const FIRST: &[&str] = &[
    "James", "Mary", "Olivia", "Liam", "Emma", "Noah", "Sophie", "Lukas", "Hannah", "Jonas", "Léa",
    "Hugo", "Chloé", "Lucía", "Mateo", "Giulia", "Marco", "Sanne", "Daan", "Piotr", "Anna",
    "Priya", "Arjun", "Wei", "Yuki", "Fatima", "Omar", "Ingrid", "Lars", "Aoife",
];
const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Müller",
    "Schmidt",
    "Weber",
    "Martin",
    "Bernard",
    "Dubois",
    "García",
    "Fernández",
    "Rossi",
    "Bianchi",
    "de Vries",
    "Jansen",
    "Nowak",
    "Kowalski",
    "Patel",
    "Sharma",
    "Wang",
    "Tanaka",
    "Hansen",
    "Nielsen",
    "Murphy",
    "O'Brien",
];
const STREETS: &[&str] = &[
    "Main Street",
    "High Street",
    "Oak Avenue",
    "Station Road",
    "Hauptstraße",
    "Bahnhofstraße",
    "rue de Rivoli",
    "Calle Mayor",
    "Via Roma",
    "Kerkstraat",
];
const CITIES: &[&str] = &[
    "London",
    "Berlin",
    "Paris",
    "Madrid",
    "Rome",
    "Amsterdam",
    "Warsaw",
    "Dublin",
    "Leeds",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.co.uk",
    "web.de",
    "orange.fr",
    "libero.it",
    "outlook.com",
    "gmx.net",
];
const WORDS: &[&str] = &[
    "the",
    "customer",
    "asked",
    "about",
    "invoice",
    "delivery",
    "account",
    "please",
    "update",
    "status",
    "order",
    "thanks",
    "report",
    "meeting",
    "server",
    "we",
    "will",
    "check",
    "and",
    "get",
    "back",
    "to",
    "you",
    "shortly",
    "regarding",
    "your",
    "request",
    "ticket",
    "issue",
    "resolved",
    "payment",
    "received",
    "team",
    "support",
    "configuration",
    "deployment",
];
const PATHS: &[&str] = &[
    "/api/v2/items",
    "/api/v2/cart",
    "/static/app.js",
    "/static/main.css",
    "/login",
    "/checkout",
    "/images/banner.png",
    "/api/v1/search",
    "/health",
    "/account/orders",
];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "curl/8.5.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
];
const SERVICES: &[&str] = &["billing", "auth", "search", "cart", "mailer", "gateway"];
const MESSAGES: &[&str] = &[
    "request completed",
    "cache miss, fetching upstream",
    "invoice generated",
    "retrying connection to db-primary",
    "job finished",
    "rate limit applied",
    "session refreshed",
];

/// Generators of values, valid and look-alike.
struct Gen {
    rng: Rng,
}

impl Gen {
    fn name(&mut self) -> (String, String) {
        let first = self.rng.pick(FIRST).to_string();
        (first, self.rng.pick(LAST).to_string())
    }

    fn email(&mut self) -> String {
        let (f, l) = self.name();
        let ascii = |s: &str| {
            s.chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>()
                .to_lowercase()
        };
        format!(
            "{}.{}{}@{}",
            ascii(&f),
            ascii(&l),
            self.rng.below(100),
            self.rng.pick(DOMAINS)
        )
    }

    fn ipv4(&mut self) -> String {
        // Public unicast, away from private and documentation ranges.
        let a = [31, 46, 62, 81, 85, 91, 145, 176, 185, 212][self.rng.below(10) as usize];
        format!(
            "{a}.{}.{}.{}",
            self.rng.below(256),
            self.rng.below(256),
            1 + self.rng.below(254)
        )
    }

    fn luhn_complete(body: &str) -> String {
        let sum: u32 = body
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 0 {
                    let x = d * 2;
                    if x > 9 { x - 9 } else { x }
                } else {
                    d
                }
            })
            .sum();
        format!("{body}{}", (10 - sum % 10) % 10)
    }

    fn card(&mut self) -> String {
        let prefix = ["4", "51", "52", "55", "4539"][self.rng.below(5) as usize];
        let body = format!("{prefix}{}", self.rng.digits(15 - prefix.len()));
        let c = Self::luhn_complete(&body);
        format!("{} {} {} {}", &c[0..4], &c[4..8], &c[8..12], &c[12..16])
    }

    fn bad_card(&mut self) -> String {
        let mut c = self.card().into_bytes();
        let last = c.len() - 1;
        c[last] = b'0' + (c[last] - b'0' + 1) % 10;
        String::from_utf8(c).unwrap_or_default()
    }

    fn iban(&mut self) -> String {
        // German IBAN: DEkk + 18 digits, check digits by ISO 7064 mod 97-10.
        let bban = self.rng.digits(18);
        let numeric = format!("{bban}131400");
        let rem = numeric
            .bytes()
            .fold(0u64, |r, b| (r * 10 + u64::from(b - b'0')) % 97);
        let check = 98 - rem;
        let s = format!("DE{check:02}{bban}");
        s.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn phone(&mut self) -> String {
        match self.rng.below(4) {
            0 => format!("+49 30 {}", self.rng.digits(8)),
            1 => format!(
                "+33 6 {} {} {} {}",
                self.rng.digits(2),
                self.rng.digits(2),
                self.rng.digits(2),
                self.rng.digits(2)
            ),
            2 => format!("+44 20 7{} {}", self.rng.digits(3), self.rng.digits(4)),
            _ => format!(
                "+1 212 {} {}",
                200 + self.rng.below(700),
                self.rng.digits(4)
            ),
        }
    }

    fn ssn(&mut self) -> String {
        format!(
            "{:03}-{:02}-{:04}",
            1 + self.rng.below(600),
            1 + self.rng.below(98),
            1 + self.rng.below(9998)
        )
    }

    fn date(&mut self, from: u64, span: u64) -> (u64, u64, u64) {
        (
            from + self.rng.below(span),
            1 + self.rng.below(12),
            1 + self.rng.below(28),
        )
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.rng.next(), self.rng.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            a >> 32,
            a & 0xffff,
            (b >> 52) & 0xfff,
            (b >> 40) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }

    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.rng.pick(WORDS));
        }
        s
    }

    fn timestamp(&mut self) -> String {
        let (y, m, d) = self.date(2022, 3);
        format!(
            "{y}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            self.rng.below(24),
            self.rng.below(60),
            self.rng.below(60),
            self.rng.below(1000)
        )
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Access,
    JsonLog,
    TextLog,
    Metrics,
    Customers,
    Tickets,
    Code,
    Docs,
}

impl Kind {
    /// Share of the corpus's bytes (per mille), and file extension.
    const ALL: [(Kind, u64, &'static str); 8] = [
        (Kind::Access, 200, "log"),
        (Kind::JsonLog, 250, "jsonl"),
        (Kind::TextLog, 150, "log"),
        (Kind::Metrics, 150, "csv"),
        (Kind::Customers, 80, "csv"),
        (Kind::Tickets, 50, "txt"),
        (Kind::Code, 70, "py"),
        (Kind::Docs, 50, "md"),
    ];
}

/// Appends one record (one or a few lines) of `kind` to `out`.
fn record(g: &mut Gen, kind: Kind, row: u64, out: &mut String) {
    use std::fmt::Write as _;
    let r = &mut String::new();
    match kind {
        Kind::Access => {
            let (y, m, d) = g.date(2023, 2);
            let month = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][m as usize - 1];
            let _ = writeln!(
                r,
                "{} - - [{d:02}/{month}/{y}:{:02}:{:02}:{:02} +0000] \"GET {}/{}?page={} HTTP/1.1\" {} {} \"https://shop.example.com/\" \"{}\"",
                g.ipv4(),
                g.rng.below(24),
                g.rng.below(60),
                g.rng.below(60),
                g.rng.pick(PATHS),
                g.rng.below(100_000),
                g.rng.below(20),
                [200, 200, 200, 304, 404, 500][g.rng.below(6) as usize],
                g.rng.below(90_000),
                g.rng.pick(AGENTS)
            );
        }
        Kind::JsonLog => {
            let _ = write!(
                r,
                "{{\"ts\":\"{}\",\"level\":\"{}\",\"svc\":\"{}\",\"req\":\"{}\",\"msg\":\"{}\",\"dur_ms\":{},\"user_id\":{},\"epoch_ms\":{}",
                g.timestamp(),
                g.rng
                    .pick(&["INFO", "INFO", "INFO", "WARN", "DEBUG", "ERROR"]),
                g.rng.pick(SERVICES),
                g.uuid(),
                g.rng.pick(MESSAGES),
                g.rng.below(5000),
                g.rng.below(1_000_000),
                1_700_000_000_000 + g.rng.below(40_000_000_000)
            );
            if g.rng.chance(12) {
                let _ = write!(
                    r,
                    ",\"email\":\"{}\",\"client_ip\":\"{}\"",
                    g.email(),
                    g.ipv4()
                );
            }
            if g.rng.chance(300) {
                let _ = write!(r, ",\"phone\":\"{}\"", g.phone());
            }
            r.push_str("}\n");
        }
        Kind::TextLog => {
            let _ = write!(
                r,
                "{} {} [{}-worker-{}] {} build={}.{}.{} sha={:016x}{:016x}",
                g.timestamp(),
                g.rng.pick(&["INFO", "INFO", "WARN", "DEBUG"]),
                g.rng.pick(SERVICES),
                g.rng.below(16),
                g.rng.pick(MESSAGES),
                g.rng.below(10),
                g.rng.below(40),
                g.rng.below(200),
                g.rng.next(),
                g.rng.next()
            );
            if g.rng.chance(40) {
                let _ = write!(r, " login ok for {} from {}", g.email(), g.ipv4());
            } else if g.rng.chance(60) {
                let _ = write!(
                    r,
                    " order {} tracking 1Z{}",
                    g.rng.digits(10),
                    g.rng.digits(16)
                );
            }
            r.push('\n');
        }
        Kind::Metrics => {
            if row == 0 {
                r.push_str("ts,host,cpu_pct,mem_mb,disk_iops,p99_ms,requests,errors\n");
            }
            let _ = writeln!(
                r,
                "{},web-{:02},{}.{},{},{},{}.{},{},{}",
                1_700_000_000 + row * 10,
                g.rng.below(40),
                g.rng.below(100),
                g.rng.below(10),
                g.rng.below(64_000),
                g.rng.below(5000),
                g.rng.below(900),
                g.rng.below(10),
                g.rng.below(100_000),
                g.rng.below(50)
            );
        }
        Kind::Customers => {
            if row == 0 {
                r.push_str("id,first_name,last_name,email,phone,date_of_birth,street,city,iban,created_at\n");
            }
            let (f, l) = g.name();
            let (y, m, d) = g.date(1940, 65);
            let _ = writeln!(
                r,
                "{},{f},{l},{},{},{y}-{m:02}-{d:02},{} {},{},{},{}",
                100_000 + row,
                g.email(),
                g.phone(),
                1 + g.rng.below(200),
                g.rng.pick(STREETS),
                g.rng.pick(CITIES),
                g.iban(),
                g.timestamp()
            );
        }
        Kind::Tickets => {
            let (f, l) = g.name();
            let _ = writeln!(r, "Ticket #{} opened {}", g.rng.digits(7), g.timestamp());
            let _ = writeln!(r, "Dear {f} {l},\n{}.", g.words(30));
            let _ = writeln!(r, "{}.", g.words(25));
            if g.rng.chance(3) {
                let _ = writeln!(r, "You can reach me on {}.", g.phone());
            }
            if g.rng.chance(10) {
                let _ = writeln!(r, "Card used: {}", g.card());
            }
            if g.rng.chance(10) {
                let _ = writeln!(r, "Reference {} (not a card)", g.bad_card());
            }
            if g.rng.chance(20) {
                let _ = writeln!(r, "SSN on file: {}", g.ssn());
            }
            let _ = writeln!(r, "Regards,\n{} {}\n", g.rng.pick(FIRST), g.rng.pick(LAST));
        }
        Kind::Code => {
            let _ = writeln!(
                r,
                "    def handle_{}(self, request, timeout={}):  # v{}.{}.{}\n        key = 0x{:08x}\n        self.cache[\"{}\"] = request.get(\"{}\", {})\n        return self.{}(key, retries={})\n",
                g.rng.pick(WORDS),
                g.rng.below(60),
                g.rng.below(5),
                g.rng.below(30),
                g.rng.below(100),
                g.rng.next() as u32,
                g.uuid(),
                g.rng.pick(WORDS),
                g.rng.below(1000),
                g.rng.pick(WORDS),
                g.rng.below(5)
            );
            if g.rng.chance(20) {
                let _ = writeln!(
                    r,
                    "DB_HOST = \"10.0.{}.{}\"  # internal",
                    g.rng.below(256),
                    g.rng.below(256)
                );
            }
        }
        Kind::Docs => {
            let _ = writeln!(
                r,
                "## {}\n\n{}. {}.\n",
                g.words(3),
                g.words(40),
                g.words(25)
            );
            if g.rng.chance(50) {
                let (f, l) = g.name();
                let _ = writeln!(r, "Contact: {f} {l} <{}>\n", g.email());
            }
        }
    }
    out.push_str(r);
}

/// Creates `path` and writes buffers that `fill` fills (given the bytes written so far) until
/// at least `size` bytes are written.
fn write_buffered(
    g: &mut Gen,
    path: &Path,
    size: u64,
    mut fill: impl FnMut(&mut Gen, &mut String, u64),
) -> io::Result<u64> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut buf = String::with_capacity(1 << 16);
    let mut written = 0u64;
    while written < size {
        buf.clear();
        fill(g, &mut buf, written);
        out.write_all(buf.as_bytes())?;
        written += buf.len() as u64;
    }
    out.flush()?;
    Ok(written)
}

/// Writes `size` bytes (rounded up to a whole record) of `kind` to `path`.
fn write_file(g: &mut Gen, path: &Path, kind: Kind, size: u64) -> io::Result<u64> {
    let mut row = 0u64;
    write_buffered(g, path, size, |g, buf, written| {
        while buf.len() < 60_000 && written + (buf.len() as u64) < size {
            record(g, kind, row, buf);
            row += 1;
        }
    })
}

/// Writes a single file of mixed log lines.
fn write_mixed(g: &mut Gen, path: &Path, size: u64) -> io::Result<u64> {
    let mut row = 1u64;
    let kinds = [Kind::Access, Kind::JsonLog, Kind::TextLog, Kind::TextLog];
    write_buffered(g, path, size, |g, buf, _| {
        while buf.len() < 60_000 {
            let kind = kinds[g.rng.below(kinds.len() as u64) as usize];
            record(g, kind, row, buf);
            row += 1;
        }
    })
}

fn parse_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.as_bytes().last()?.to_ascii_uppercase() {
        b'K' => (&s[..s.len() - 1], 1u64 << 10),
        b'M' => (&s[..s.len() - 1], 1 << 20),
        b'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<f64>().ok().map(|n| (n * mult as f64) as u64)
}

fn tree(g: &mut Gen, dir: &Path, size: u64) -> io::Result<(u64, u64)> {
    let mut written = 0;
    let mut files = 0;
    // One large log: the case where a single file must be split across threads.
    let big = (size / 2).min(500 << 20);
    if big >= 1 << 20 {
        written += write_mixed(g, &dir.join("archive/2023/gateway-full.log"), big)?;
        files += 1;
    }
    let total: u64 = Kind::ALL.iter().map(|k| k.1).sum();
    let mut n = 0u64;
    while written < size {
        let mut pick = g.rng.below(total);
        let &(kind, _, ext) = Kind::ALL
            .iter()
            .find(|k| {
                let hit = pick < k.1;
                pick = pick.saturating_sub(k.1);
                hit
            })
            .unwrap_or(&Kind::ALL[0]);
        // Median ~60 KB, from 1 KB to 64 MB.
        let want = (g.rng.lognormal(11.0, 2.0) as u64).clamp(1 << 10, 64 << 20);
        let want = want.min(size - written + 1024);
        let sub: PathBuf = [
            format!("dept{}", g.rng.below(10)),
            ["2022", "2023", "2024"][g.rng.below(3) as usize].to_string(),
            ["a", "b", "c", "shared"][g.rng.below(4) as usize].to_string(),
        ]
        .iter()
        .collect();
        let path = dir.join(sub).join(format!("file-{n:06}.{ext}"));
        written += write_file(g, &path, kind, want)?;
        files += 1;
        n += 1;
    }
    Ok((written, files))
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || io::Error::other("usage: gen_throughput DIR SIZE | --single FILE SIZE");
    let mut g = Gen {
        rng: Rng(0x9E37_79B9_7F4A_7C15),
    };
    let (bytes, files) = match args.as_slice() {
        [flag, file, size] if flag == "--single" => {
            let size = parse_size(size).ok_or_else(usage)?;
            (write_mixed(&mut g, Path::new(file), size)?, 1)
        }
        [dir, size] => tree(&mut g, Path::new(dir), parse_size(size).ok_or_else(usage)?)?,
        _ => return Err(usage()),
    };
    println!("{bytes} {files}");
    Ok(())
}
