//! Writes a large Parquet file for `scripts/bench-parquet`: customers with e-mails, names,
//! free-text notes (some with IBANs and phone numbers), card numbers stored as integers and a
//! `created_at` timestamp, in row groups of 500,000 rows, Snappy-compressed.
//!
//! `cargo run --release --example gen_parquet -- OUT.parquet ROWS` prints the rows and the
//! bytes of string data written (what a full scan decodes).

use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

const SCHEMA: &str = "message customers {
  required int64 customer_id;
  optional binary email (UTF8);
  optional binary full_name (UTF8);
  optional binary notes (UTF8);
  required int64 card_number;
  required int64 created_at (TIMESTAMP_MILLIS);
}";
const GROUP: u64 = 500_000;
const WORDS: [&str; 24] = [
    "order",
    "delivery",
    "refund",
    "called",
    "customer",
    "asked",
    "about",
    "invoice",
    "parcel",
    "late",
    "damaged",
    "replacement",
    "account",
    "address",
    "changed",
    "please",
    "thanks",
    "ticket",
    "closed",
    "reopened",
    "payment",
    "failed",
    "retry",
    "support",
];
const FIRST: [&str; 8] = [
    "anna", "jonas", "marie", "lukas", "sofia", "paul", "lea", "noah",
];
const LAST: [&str; 8] = [
    "schmidt", "dupont", "jansen", "rossi", "novak", "garcia", "berg", "keller",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn luhn(body: u64) -> i64 {
    let s: u64 = body
        .to_string()
        .bytes()
        .rev()
        .enumerate()
        .map(|(k, b)| {
            let d = u64::from(b - b'0');
            if k % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (body * 10 + (10 - s % 10) % 10) as i64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: gen_parquet OUT ROWS")?;
    let rows: u64 = args.next().ok_or("usage: gen_parquet OUT ROWS")?.parse()?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(GROUP as usize))
        .build();
    let mut w = SerializedFileWriter::new(
        std::fs::File::create(&out)?,
        Arc::new(parse_message_type(SCHEMA)?),
        Arc::new(props),
    )?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut string_bytes = 0u64;
    let mut start = 0;
    while start < rows {
        let n = GROUP.min(rows - start);
        let ids: Vec<i64> = (start..start + n).map(|i| i as i64).collect();
        let (mut emails, mut names, mut notes) = (Vec::new(), Vec::new(), Vec::new());
        let mut cards = Vec::new();
        let mut created = Vec::new();
        for i in start..start + n {
            let (f, l) = (
                FIRST[(rng.next() % 8) as usize],
                LAST[(rng.next() % 8) as usize],
            );
            emails.push(ByteArray::from(
                format!("{f}.{l}{}@mail{}.de", i, rng.next() % 97).as_str(),
            ));
            names.push(ByteArray::from(
                format!("{} {}", f.to_uppercase(), l).as_str(),
            ));
            let mut note = String::new();
            for _ in 0..(10 + rng.next() % 14) {
                note.push_str(WORDS[(rng.next() % 24) as usize]);
                note.push(' ');
            }
            match rng.next() % 50 {
                0 => note.push_str("refund to DE89 3704 0044 0532 0130 00"),
                1 => note.push_str("call back on +49 30 901820"),
                _ => note.push_str(&format!("ref {}", rng.next() % 1_000_000)),
            }
            notes.push(ByteArray::from(note.as_str()));
            cards.push(luhn(453_900_000_000_000 + rng.next() % 99_999_999_999));
            created.push(1_546_300_800_000 + (rng.next() % 220_000_000_000) as i64);
        }
        for v in [&emails, &names, &notes] {
            string_bytes += v.iter().map(|b| b.len() as u64).sum::<u64>();
        }
        let mut rg = w.next_row_group()?;
        let mut k = 0;
        while let Some(mut col) = rg.next_column()? {
            match k {
                0 => col.typed::<Int64Type>().write_batch(&ids, None, None)?,
                1..=3 => {
                    let v = [&emails, &names, &notes][k - 1];
                    let def = vec![1i16; v.len()];
                    col.typed::<ByteArrayType>()
                        .write_batch(v, Some(&def), None)?
                }
                4 => col.typed::<Int64Type>().write_batch(&cards, None, None)?,
                _ => col.typed::<Int64Type>().write_batch(&created, None, None)?,
            };
            col.close()?;
            k += 1;
        }
        rg.close()?;
        start += n;
    }
    w.close()?;
    println!("{rows} {string_bytes}");
    Ok(())
}
