//! Parquet files and partitioned datasets: fixtures written here with the `parquet` crate's
//! low-level writer (flat, nested struct/list/map, dictionary-encoded, several row groups, a
//! `dt=` dataset over six years with schema drift, corrupt and truncated files), checked
//! through the library (verdicts, data ages) and the command line (locations in JSON, audit).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use assert_cmd::cargo::cargo_bin_cmd;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use piimap::detection::{Catalog, Engine, EngineOptions};
use piimap::source::parquet::{self as pq, ParquetOptions, ParquetScan};
use serde_json::Value;

mod common;
use common::json_output;

/// The values of one leaf in one row group, with its levels.
enum Data {
    Bytes(Vec<String>),
    I32(Vec<i32>),
    I64(Vec<i64>),
}

struct Leaf {
    data: Data,
    def: Option<Vec<i16>>,
    rep: Option<Vec<i16>>,
}

fn leaf(data: Data) -> Leaf {
    Leaf {
        data,
        def: None,
        rep: None,
    }
}

fn leveled(data: Data, def: Vec<i16>, rep: Option<Vec<i16>>) -> Leaf {
    Leaf {
        data,
        def: Some(def),
        rep,
    }
}

/// Writes a file with `schema`, one entry of `groups` per row group (leaves in schema order).
fn write(path: &Path, schema: &str, groups: Vec<Vec<Leaf>>, dictionary: bool) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("dir");
    }
    let schema = Arc::new(parse_message_type(schema).expect("schema"));
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(dictionary)
            .build(),
    );
    let file = File::create(path).expect("create");
    let mut writer = SerializedFileWriter::new(file, schema, props).expect("writer");
    for group in groups {
        let mut rg = writer.next_row_group().expect("row group");
        let mut leaves = group.into_iter();
        while let Some(mut col) = rg.next_column().expect("column") {
            let l = leaves.next().expect("a leaf per column");
            let (def, rep) = (l.def.as_deref(), l.rep.as_deref());
            match l.data {
                Data::Bytes(v) => {
                    let v: Vec<ByteArray> = v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, def, rep)
                        .expect("write");
                }
                Data::I32(v) => {
                    col.typed::<Int32Type>()
                        .write_batch(&v, def, rep)
                        .expect("write");
                }
                Data::I64(v) => {
                    col.typed::<Int64Type>()
                        .write_batch(&v, def, rep)
                        .expect("write");
                }
            }
            col.close().expect("close column");
        }
        rg.close().expect("close row group");
    }
    writer.close().expect("close");
}

/// A Luhn-valid 16-digit Visa-range number that is not a published test number.
fn card(i: u64) -> i64 {
    let body = 4_539_000_000_000_000u64 / 10 + i * 7_919;
    let digits: Vec<u64> = body
        .to_string()
        .bytes()
        .map(|b| u64::from(b - b'0'))
        .collect();
    let sum: u64 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            if k % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (body * 10 + (10 - sum % 10) % 10) as i64
}

fn email(i: usize) -> String {
    format!("kunde{i}.muster@gmx.net")
}

const FLAT: &str = "message flat {
  required int64 customer_id;
  optional binary email (UTF8);
  required int64 card_number;
  required binary country (UTF8);
  optional binary notes (UTF8);
  required int32 signup_date (DATE);
}";

/// 3 row groups of 400 rows; `signup_date` from 2019-03-01 (17956) one day per row.
fn flat(path: &Path) {
    let groups = (0..3)
        .map(|g| {
            let rows: Vec<usize> = (g * 400..(g + 1) * 400).collect();
            vec![
                leaf(Data::I64(rows.iter().map(|&i| i as i64 + 1).collect())),
                leveled(
                    Data::Bytes(rows.iter().map(|&i| email(i)).collect()),
                    vec![1; rows.len()],
                    None,
                ),
                leaf(Data::I64(rows.iter().map(|&i| card(i as u64)).collect())),
                leaf(Data::Bytes(
                    rows.iter()
                        .map(|&i| ["DE", "FR", "NL"][i % 3].to_string())
                        .collect(),
                )),
                // Every other note is null.
                leveled(
                    Data::Bytes(
                        rows.iter()
                            .filter(|&&i| i % 2 == 0)
                            .map(|i| format!("called back about order {i}"))
                            .collect(),
                    ),
                    rows.iter().map(|&i| i16::from(i % 2 == 0)).collect(),
                    None,
                ),
                leaf(Data::I32(rows.iter().map(|&i| 17_956 + i as i32).collect())),
            ]
        })
        .collect();
    write(path, FLAT, groups, true);
}

const NESTED: &str = "message nested {
  optional group customer {
    optional binary name (UTF8);
    optional group contacts (LIST) {
      repeated group list {
        optional group element {
          optional binary email (UTF8);
        }
      }
    }
  }
  optional group attributes (MAP) {
    repeated group key_value {
      required binary key (UTF8);
      optional binary value (UTF8);
    }
  }
}";

/// 100 rows: row r has two contacts (the second without e-mail when r is odd) and one
/// attribute `iban`; row 0 has an empty contact list.
fn nested(path: &Path) {
    let (mut emails, mut edef, mut erep) = (Vec::new(), Vec::new(), Vec::new());
    let (mut keys, mut kdef, mut krep) = (Vec::new(), Vec::new(), Vec::new());
    let (mut vals, mut vdef, mut vrep) = (Vec::new(), Vec::new(), Vec::new());
    let mut names = Vec::new();
    for r in 0..100 {
        names.push(format!("Customer {r}"));
        if r == 0 {
            emails.extend::<[String; 0]>([]);
            edef.push(2);
            erep.push(0);
        } else {
            emails.push(email(r));
            edef.push(5);
            erep.push(0);
            if r % 2 == 1 {
                edef.push(4);
            } else {
                emails.push(email(r + 1000));
                edef.push(5);
            }
            erep.push(1);
        }
        keys.push("iban".to_string());
        kdef.push(2);
        krep.push(0);
        vals.push("DE89 3704 0044 0532 0130 00".to_string());
        vdef.push(3);
        vrep.push(0);
    }
    let group = vec![
        leveled(Data::Bytes(names), vec![2; 100], None),
        leveled(Data::Bytes(emails), edef, Some(erep)),
        leveled(Data::Bytes(keys), kdef, Some(krep)),
        leveled(Data::Bytes(vals), vdef, Some(vrep)),
    ];
    write(path, NESTED, vec![group], false);
}

const EVENTS: &str = "message events {
  optional binary user_email (UTF8);
  required int64 event_time (TIMESTAMP_MILLIS);
}";
const EVENTS_V2: &str = "message events {
  optional binary user_email (UTF8);
  required int64 event_time (TIMESTAMP_MILLIS);
  optional binary ip (UTF8);
}";

/// The partition days of the dataset: twice a year, 2019 to 2024.
fn days() -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for year in 2019..=2024 {
        for month in [1, 7] {
            let d = jiff::civil::date(year, month, 15);
            let days = d
                .since(jiff::civil::date(1970, 1, 1))
                .expect("span")
                .get_days();
            out.push((d.to_string(), i64::from(days)));
        }
    }
    out
}

/// `lake/events/dt=…/part-0.parquet`, 50 rows each; from 2022 on with an `ip` column
/// (schema drift); plus a corrupt file in one partition.
fn dataset(root: &Path) {
    for (k, (day, days)) in days().into_iter().enumerate() {
        let path = root.join(format!("dt={day}/part-0.parquet"));
        let ms = days * 86_400_000;
        let mut group = vec![
            leveled(
                Data::Bytes((0..50).map(|i| email(k * 100 + i)).collect()),
                vec![1; 50],
                None,
            ),
            leaf(Data::I64((0..50).map(|i| ms + i * 60_000).collect())),
        ];
        let schema = if day.as_str() >= "2022" {
            group.push(leveled(
                Data::Bytes((0..50).map(|i| format!("81.2.69.{}", i + 1)).collect()),
                vec![1; 50],
                None,
            ));
            EVENTS_V2
        } else {
            EVENTS
        };
        write(&path, schema, vec![group], true);
    }
    std::fs::write(
        root.join("dt=2020-07-15/part-1.parquet"),
        b"PAR1 this is not really parquet PAR1",
    )
    .expect("corrupt");
}

fn engine() -> Engine {
    Engine::new(
        &Catalog::builtin().expect("catalog"),
        EngineOptions::default(),
    )
    .expect("engine")
}

fn full() -> ParquetOptions {
    ParquetOptions {
        sample_rows: None,
        threads: 2,
    }
}

fn column<'a>(scan: &'a ParquetScan, name: &str) -> &'a pq::ParquetColumn {
    scan.columns
        .iter()
        .find(|c| c.scan.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn detectors(scan: &ParquetScan, name: &str) -> Vec<String> {
    column(scan, name)
        .scan
        .verdicts
        .iter()
        .map(|v| v.detector.clone())
        .collect()
}

#[test]
fn flat_file_columns_get_database_style_verdicts() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("customers.parquet");
    flat(&path);
    let e = engine();
    let scan = pq::scan_file(&e, &path, &full());
    assert_eq!(scan.error, None);
    assert_eq!(
        (scan.rows_total, scan.rows_read, scan.sampled),
        (1200, 1200, false)
    );
    assert_eq!(scan.files[0].row_groups, 3);

    let email = &column(&scan, "email").scan;
    assert_eq!(email.verdicts.len(), 1, "{:?}", email.verdicts);
    let v = &email.verdicts[0];
    assert_eq!(v.detector, "email");
    assert_eq!((v.hits, v.distinct_hits, v.sampled), (1200, 1200, 1200));
    assert!(v.classified && v.name_context && v.ratio == 1.0);
    assert!(v.examples.iter().all(|x| !x.contains("muster")), "masked");
    let first = &column(&scan, "email").first_hits["email"];
    assert_eq!((first.row_group, first.row), (0, 0));

    // Card numbers stored as integers, scanned with their column name as context.
    assert_eq!(detectors(&scan, "card_number"), ["credit_card"]);
    let cards = &column(&scan, "card_number").scan.verdicts[0];
    assert!(cards.classified && cards.hits == 1200);
    // Dictionary-encoded country codes and sequential ids hold nothing.
    assert!(detectors(&scan, "country").is_empty());
    assert!(detectors(&scan, "customer_id").is_empty());
    let notes = &column(&scan, "notes").scan;
    assert_eq!((notes.non_null, notes.nulls), (600, 600));
    assert!(notes.verdicts.is_empty());

    // Data age from the footer statistics (row groups span months: read exactly).
    let age = scan
        .ages
        .iter()
        .find(|a| a.basis == "column:signup_date")
        .expect("signup_date age");
    assert_eq!(age.oldest.as_deref(), Some("2019-03-01"));
    assert_eq!(age.newest.as_deref(), Some("2022-06-12"));
    assert_eq!(age.records, 1200);
    assert_eq!(age.histogram.first(), Some(&("2019-03".to_string(), 31)));
    assert_eq!(age.histogram.iter().map(|h| h.1).sum::<u64>(), 1200);
}

#[test]
fn sampling_spreads_over_row_groups_and_is_recorded() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("customers.parquet");
    flat(&path);
    let e = engine();
    let scan = pq::scan_file(
        &e,
        &path,
        &ParquetOptions {
            sample_rows: Some(300),
            threads: 2,
        },
    );
    assert!(scan.sampled);
    assert_eq!(scan.rows_total, 1200);
    assert_eq!(scan.rows_read, 300);
    let v = &column(&scan, "email").scan.verdicts[0];
    assert_eq!((v.hits, v.sampled), (300, 300));
    // Statistics still give the whole file's data age.
    let age = scan
        .ages
        .iter()
        .find(|a| a.basis == "column:signup_date")
        .expect("age");
    assert_eq!(age.records, 1200);
}

/// Row groups decoded by several threads at once must not disturb each other's reads.
#[test]
fn parallel_row_groups_decode_independently() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("big.parquet");
    let schema = "message m { optional binary email (UTF8); optional binary note (UTF8); }";
    let groups = (0..8)
        .map(|g| {
            let rows: Vec<usize> = (g * 20_000..(g + 1) * 20_000).collect();
            vec![
                leveled(
                    Data::Bytes(rows.iter().map(|&i| email(i)).collect()),
                    vec![1; rows.len()],
                    None,
                ),
                leveled(
                    Data::Bytes(
                        rows.iter()
                            .map(|&i| format!("note number {i} {}", i * 7919))
                            .collect(),
                    ),
                    vec![1; rows.len()],
                    None,
                ),
            ]
        })
        .collect();
    write(&path, schema, groups, false);
    let e = engine();
    let scan = pq::scan_file(
        &e,
        &path,
        &ParquetOptions {
            sample_rows: None,
            threads: 4,
        },
    );
    assert_eq!(scan.error, None);
    assert_eq!(scan.rows_read, 160_000);
    let v = &column(&scan, "email").scan.verdicts[0];
    assert_eq!((v.hits, v.distinct_hits), (160_000, 160_000));
}

#[test]
fn nested_leaves_are_named_by_field_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("nested.parquet");
    nested(&path);
    let e = engine();
    let scan = pq::scan_file(&e, &path, &full());
    assert_eq!(scan.error, None);
    let emails = &column(&scan, "customer.contacts.list.element.email");
    let v = &emails.scan.verdicts[0];
    assert_eq!(v.detector, "email");
    // 99 rows with a first e-mail, 49 with a second; empty lists and missing e-mails are nulls.
    assert_eq!(v.hits, 99 + 49);
    assert_eq!(emails.scan.nulls, 1 + 50);
    assert_eq!(emails.first_hits["email"].row, 1, "row 0 has no contact");
    assert_eq!(
        detectors(&scan, "attributes.key_value.value"),
        ["iban"],
        "map values"
    );
    assert!(detectors(&scan, "attributes.key_value.key").is_empty());
}

#[test]
fn corrupt_truncated_and_encrypted_files_say_why() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = dir.path().join("good.parquet");
    flat(&good);
    let bytes = std::fs::read(&good).expect("read");
    let truncated = dir.path().join("truncated.parquet");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let encrypted = dir.path().join("encrypted.parquet");
    std::fs::write(&encrypted, b"PAR1\0\0\0\0\0\0\0\0\x08\0\0\0PARE").expect("write");
    let garbage = dir.path().join("garbage.parquet");
    let mut g = bytes.clone();
    let n = g.len();
    // Overwrite the footer's metadata with noise, keep its length and magic.
    for b in &mut g[n - 200..n - 8] {
        *b = 0xA5;
    }
    std::fs::write(&garbage, &g).expect("write");
    let e = engine();
    let t = pq::scan_file(&e, &truncated, &full());
    assert!(
        t.error
            .as_deref()
            .is_some_and(|r| r.starts_with("truncated")),
        "{:?}",
        t.error
    );
    let x = pq::scan_file(&e, &encrypted, &full());
    assert_eq!(x.error_kind, Some("encrypted"));
    let c = pq::scan_file(&e, &garbage, &full());
    assert!(c.error.is_some(), "garbage footer");

    // Through the command line: every file reported, the good one scanned.
    let (_, report) = scan_json(dir.path(), &["."]);
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert!(
        errors.iter().any(|p| p.ends_with("truncated.parquet")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|p| p.ends_with("garbage.parquet")),
        "{errors:?}"
    );
    let skipped = report["skipped"].to_string();
    assert!(skipped.contains("encrypted.parquet"), "{skipped}");
    assert!(report["summary"]["findings"].as_u64().unwrap_or(0) >= 2);
}

fn scan_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir)
        .args(["scan", "-f", "json", "-q", "--no-store", "--full"])
        .args(args)
        .output()
        .expect("run");
    let (code, report, _) = json_output(&out);
    (code, report)
}

#[test]
fn parquet_is_recognised_by_magic_bytes_and_located_in_json() {
    let dir = tempfile::tempdir().expect("tmp");
    flat(&dir.path().join("export/part-00000"));
    let (_, report) = scan_json(dir.path(), &["export"]);
    let findings = report["findings"].as_array().expect("findings");
    let email = findings
        .iter()
        .find(|f| f["detector"] == "email")
        .expect("an email finding");
    let loc = &email["location"];
    assert_eq!(loc["source"], "parquet");
    assert_eq!(loc["path"], "export/part-00000");
    assert_eq!(loc["column"], "email");
    assert_eq!(loc["row_group"], 0);
    assert_eq!(loc["row"], 0);
    assert!(loc.get("dataset").is_none());
    assert_eq!(email["column"]["rows_total"], 1200);
    assert_eq!(email["column"]["hits"], 1200);
    let text = report.to_string();
    assert!(!text.contains("muster@"), "values are masked");
}

#[test]
fn partitioned_datasets_merge_files_and_report_drift_partitions_and_ages() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("lake/events");
    dataset(&root);
    let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
    for (day, _) in days() {
        files.push((
            root.join(format!("dt={day}/part-0.parquet")),
            format!("dt={day}"),
        ));
    }
    files.push((
        root.join("dt=2020-07-15/part-1.parquet"),
        "dt=2020-07-15".into(),
    ));
    files.sort();
    let e = engine();
    let scan = pq::scan_dataset(&e, "lake/events", &files, &full());
    assert!(scan.dataset);
    assert_eq!(scan.partitions.len(), 12);
    assert_eq!(scan.rows_total, 600);
    assert_eq!(scan.failed_files().count(), 1);
    let v = &column(&scan, "user_email").scan.verdicts[0];
    assert_eq!((v.hits, v.distinct_hits), (600, 600));
    assert_eq!(detectors(&scan, "ip"), ["ip_address"]);
    assert!(
        scan.drift
            .iter()
            .any(|d| d.contains("`ip` is in 6 of 12 files")),
        "{:?}",
        scan.drift
    );
    let dt = scan
        .ages
        .iter()
        .find(|a| a.basis == "partition:dt")
        .expect("dt");
    assert_eq!(dt.oldest.as_deref(), Some("2019-01-15"));
    assert_eq!(dt.newest.as_deref(), Some("2024-07-15"));
    assert_eq!(dt.histogram.len(), 12);
    assert_eq!(dt.histogram[0], ("2019-01".to_string(), 50));
    let t = scan
        .ages
        .iter()
        .find(|a| a.basis == "column:event_time")
        .expect("event_time");
    assert_eq!(t.oldest.as_deref(), Some("2019-01-15T00:00:00Z"));
    assert_eq!(t.newest.as_deref(), Some("2024-07-15T00:49:00Z"));
    assert_eq!(t.records, 600);

    // Through the command line: one dataset, findings with dataset and partition.
    let (_, report) = scan_json(dir.path(), &["lake"]);
    let f = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["detector"] == "email")
        .expect("email");
    assert_eq!(f["location"]["dataset"], "lake/events");
    assert_eq!(f["location"]["partition"], "dt=2019-01-15");
    assert_eq!(
        f["location"]["path"],
        "lake/events/dt=2019-01-15/part-0.parquet"
    );
    assert_eq!(f["location"]["column"], "user_email");
    let errors = report["errors"].to_string();
    assert!(errors.contains("dt=2020-07-15/part-1.parquet"), "{errors}");
}

#[test]
fn audit_covers_parquet_systems_and_reports_partition_retention_breaches() {
    let dir = tempfile::tempdir().expect("tmp");
    dataset(&dir.path().join("lake/events"));
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "organization: Example Ltd
activities:
  - id: analytics
    name: Product analytics
    lawful_basis: legitimate_interests
    data_categories: [user.contact, user.device]
    systems:
      - parquet: \"lake/events/**\"
    retention: P2Y
    retention_from: partition:dt
",
    )
    .expect("ropa");
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args(["audit", "--ropa", "ropa.yaml", "lake"])
        .args(["-f", "json", "--as-of", "2026-11-29", "-q"])
        .output()
        .expect("run");
    let (_, report, _) = json_output(&out);
    let gaps = report["gaps"].as_array().expect("gaps");
    let kinds: Vec<String> = gaps
        .iter()
        .map(|g| format!("{} {}", g["kind"].as_str().unwrap_or(""), g["message"]))
        .collect();
    assert!(
        !gaps
            .iter()
            .any(|g| g["kind"] == "not_scanned" || g["kind"] == "undocumented_location"),
        "{kinds:#?}"
    );
    let breach = gaps
        .iter()
        .find(|g| g["kind"] == "retention_breach")
        .unwrap_or_else(|| panic!("no breach: {kinds:#?}"));
    assert_eq!(breach["evidence"]["oldest"], "2019-01-15");
    assert_eq!(breach["evidence"]["retention_from"], "partition:dt");
    // Partitions before 2024-11-29: 2019-01 … 2024-07, all but none; 50 rows each, the
    // corrupt file adds none.
    assert_eq!(breach["evidence"]["records"], 600);
}
