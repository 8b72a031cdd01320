//! End-to-end tests: the `piimap` binary on fixture trees built in each test.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{gzip, write};

fn piimap() -> Command {
    let mut cmd = Command::cargo_bin("piimap").expect("binary built");
    cmd.env_remove("RUST_LOG");
    cmd
}

/// Runs a scan with `--format jsonl` and returns (exit code, findings, stderr).
fn scan_jsonl(dir: &Path, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let out = piimap()
        .current_dir(dir)
        .args(["scan", "--format", "jsonl"])
        .args(extra)
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let findings = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (
        out.status.code().expect("exit code"),
        findings,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn summary(findings: &[Value]) -> Vec<(String, String, u64, u64)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| {
            let loc = &f["location"];
            (
                f["detector"].as_str().expect("detector").to_string(),
                loc["path"].as_str().expect("path").to_string(),
                loc["line"].as_u64().expect("line"),
                loc["column"].as_u64().expect("column"),
            )
        })
        .collect();
    v.sort();
    v
}

const TICKET: &str = "\
Ticket #1042 from customer
Name: Jane Doe, email jane.doe@gmail.com
Card: 4539 1488 0343 6467 (exp 09/27)
IBAN: DE89 3704 0044 0532 0130 00
SSN: 536-22-8726
DOB: 1985-03-12
Phone: +44 7911 123456
client ip 81.2.69.142
";

fn share() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "share/support/ticket.txt", TICKET);
    write(
        dir.path(),
        "share/it/app.log",
        "2024-01-15T12:30:45Z GET /health 200 12ms build 10.0.19045.3693\n",
    );
    write(dir.path(), "share/empty.txt", "");
    dir
}

#[test]
fn finds_each_detector_with_exact_positions() {
    let dir = share();
    let (code, findings, _) = scan_jsonl(dir.path(), &["share"]);
    assert_eq!(code, 1, "findings exit 1");
    let t = "share/support/ticket.txt".to_string();
    assert_eq!(
        summary(&findings),
        vec![
            ("credit_card".into(), t.clone(), 3, 7),
            ("date_of_birth".into(), t.clone(), 6, 6),
            ("email".into(), t.clone(), 2, 23),
            ("iban".into(), t.clone(), 4, 7),
            ("ip_address".into(), t.clone(), 8, 11),
            ("person_name".into(), t.clone(), 2, 7),
            ("phone".into(), t.clone(), 7, 8),
            ("us_ssn".into(), t.clone(), 5, 6),
        ]
    );
    let email = findings
        .iter()
        .find(|f| f["detector"] == "email")
        .expect("email");
    assert_eq!(email["masked"], "j*******@g****.com");
    assert_eq!(email["category"], "user.contact.email");
    assert_eq!(email["location"]["source"], "file");
    assert_eq!(
        email["location"]["offset"],
        TICKET.find("jane.doe").expect("in text") as u64
    );
    let c = email["confidence"].as_f64().expect("confidence");
    assert!((0.5..=1.0).contains(&c));
}

#[test]
fn raw_values_appear_only_with_show_values() {
    let dir = share();
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "--format", "json"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for raw in [
        "jane.doe@gmail.com",
        "4539 1488 0343 6467",
        "DE89 3704",
        "536-22-8726",
        "1985-03-12",
        "81.2.69.142",
        "7911 123456",
    ] {
        assert!(!text.contains(raw), "raw value {raw} leaked into output");
    }
    let (_, findings, _) = scan_jsonl(dir.path(), &["share", "--show-values"]);
    let email = findings
        .iter()
        .find(|f| f["detector"] == "email")
        .expect("email");
    assert_eq!(email["value"], "jane.doe@gmail.com");
}

#[test]
fn exit_codes() {
    let dir = share();
    let status = |args: &[&str]| {
        piimap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(
        status(&["scan", "-q", "share/it"]),
        Some(0),
        "no findings: 0"
    );
    assert_eq!(status(&["scan", "-q", "share"]), Some(1), "findings: 1");
    assert_eq!(
        status(&["scan", "-q", "share", "--fail-on", "never"]),
        Some(0)
    );
    assert_eq!(
        status(&["scan", "-q", "share", "--fail-on", "iban"]),
        Some(1)
    );
    assert_eq!(
        status(&[
            "scan",
            "-q",
            "share",
            "--only",
            "email",
            "--fail-on",
            "email"
        ]),
        Some(1)
    );
    assert_eq!(
        status(&[
            "scan",
            "-q",
            "share/support",
            "--only",
            "ip_address",
            "--fail-on",
            "0.95"
        ]),
        Some(0)
    );
    assert_eq!(
        status(&["scan", "-q", "does-not-exist"]),
        Some(2),
        "missing target: usage error"
    );
    assert_eq!(
        status(&["scan", "--bogus", "share"]),
        Some(2),
        "bad option: 2"
    );
    assert_eq!(status(&["scan", "share", "--fail-on", "nope"]), Some(2));
    assert_eq!(status(&["scan", "share", "--min-confidence", "2"]), Some(2));
}

#[test]
fn min_confidence_filters() {
    let dir = share();
    let (_, all, _) = scan_jsonl(dir.path(), &["share", "--min-confidence", "0"]);
    let (_, strict, _) = scan_jsonl(dir.path(), &["share", "--min-confidence", "0.95"]);
    assert!(strict.len() < all.len());
    assert!(
        strict
            .iter()
            .all(|f| f["confidence"].as_f64().expect("confidence") >= 0.95)
    );
}

#[test]
fn json_document_matches_its_schema_shape() {
    let dir = share();
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "-f", "json"])
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let schema: Value =
        serde_json::from_slice(&piimap().arg("schema").output().expect("runs").stdout)
            .expect("schema");
    let props = schema["properties"].as_object().expect("properties");
    let keys: Vec<_> = doc.as_object().expect("object").keys().cloned().collect();
    let mut expected: Vec<_> = props.keys().cloned().collect();
    let mut got = keys.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(doc["summary"]["findings"], 8);
    assert_eq!(doc["summary"]["files_scanned"], 3);
    assert_eq!(doc["findings"].as_array().expect("array").len(), 8);
    assert_eq!(doc["assets"][0]["asset"], "share/support/ticket.txt");
    assert_eq!(doc["assets"][0]["sensitivity"], "high");
    assert_eq!(doc["tool"]["name"], "piimap");
    assert!(
        doc["scan"]["detectors"]
            .as_array()
            .expect("detectors")
            .len()
            >= 7
    );
}

#[test]
fn committed_schema_is_current() {
    let generated = piimap().arg("schema").output().expect("runs").stdout;
    let committed =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/report.schema.json"))
            .expect("docs/schema/report.schema.json exists");
    let (committed, generated) = (
        String::from_utf8_lossy(&committed),
        String::from_utf8_lossy(&generated),
    );
    if let Some((i, (c, g))) = committed
        .lines()
        .zip(generated.lines())
        .enumerate()
        .find(|(_, (c, g))| c != g)
    {
        panic!(
            "schema differs at line {}: committed {c:?}, generated {g:?}; regenerate with: cargo run -- schema > docs/schema/report.schema.json",
            i + 1
        );
    }
    assert_eq!(
        committed.lines().count(),
        generated.lines().count(),
        "regenerate the schema"
    );
}

#[test]
fn csv_output() {
    let dir = share();
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "-f", "csv"])
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<_> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[..5],
        &["detector", "category", "confidence", "source", "path"]
    );
    let rows: Vec<_> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 8);
    let card = rows
        .iter()
        .find(|r| &r[0] == "credit_card")
        .expect("card row");
    assert_eq!(&card[8], "4539********6467");
    assert_eq!(&card[9], "", "no raw value without --show-values");
}

#[test]
fn sarif_output_has_required_fields() {
    let dir = share();
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "-f", "sarif"])
        .output()
        .expect("runs");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "piimap");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 8);
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(
            r["message"]["text"]
                .as_str()
                .expect("message")
                .contains('*')
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "share/support/ticket.txt");
        assert!(loc["region"]["startLine"].as_u64().expect("line") >= 1);
    }
}

#[test]
fn output_file_and_human_summary() {
    let dir = share();
    piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "-o", "report.txt"])
        .assert()
        .code(1);
    let text = fs::read_to_string(dir.path().join("report.txt")).expect("report written");
    assert!(text.starts_with("Scanned 3 files"), "{text}");
    assert!(text.contains("share/support/ticket.txt"));
    assert!(text.contains("credit_card"));
    assert!(!text.contains("jane.doe@gmail.com"));
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

#[test]
fn encodings_and_compression() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "d/utf16.txt",
        utf16le_bom("line one\nZoë: zoe.dupont@orange.fr\n"),
    );
    // Windows-1252: "é" is 0xE9; the column counts characters of the decoded text.
    write(
        dir.path(),
        "d/latin1.txt",
        b"Ren\xE9e M\xFCller\nRen\xE9e <renee.muller@web.de>\n",
    );
    write(dir.path(), "d/logs.gz", gzip(b"a\nb\nuser=hans@web.de\n"));
    write(
        dir.path(),
        "d/bom8.txt",
        b"\xEF\xBB\xBFmail: x.y@gmail.com\n",
    );
    let (_, findings, _) = scan_jsonl(dir.path(), &["d"]);
    assert_eq!(
        summary(&findings),
        vec![
            ("email".into(), "d/bom8.txt".into(), 1, 7),
            ("email".into(), "d/latin1.txt".into(), 2, 8),
            ("email".into(), "d/logs.gz".into(), 3, 6),
            ("email".into(), "d/utf16.txt".into(), 2, 6),
            ("person_name".into(), "d/latin1.txt".into(), 1, 1),
        ]
    );
    let latin = findings
        .iter()
        .find(|f| f["location"]["path"] == "d/latin1.txt" && f["detector"] == "email")
        .expect("latin1");
    // Offset in the decoded (UTF-8) text: "Renée Müller\n" is 15 bytes, "Renée <" 8 more.
    assert_eq!(latin["location"]["offset"], 15 + 8);
}

/// JSON written with `\u` escapes (Python's `json.dumps` default): names and streets with
/// non-ASCII letters are found, reported at the raw bytes; the same record unescaped gives the
/// same detectors.
#[test]
fn json_unicode_escapes_hide_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = |name: &str, street: &str| {
        format!(r#"{{"id": 7, "name": "{name}", "note": "call back", "street": "{street}"}}"#)
    };
    let escaped = record(r"D\u00f6rthe M\u00fcller", r"Schlo\u00dfstra\u00dfe 12");
    let plain = record("Dörthe Müller", "Schloßstraße 12");
    write(
        dir.path(),
        "d/escaped.jsonl",
        format!("{escaped}\n").as_bytes(),
    );
    write(dir.path(), "d/plain.jsonl", format!("{plain}\n").as_bytes());
    let (_, findings, _) = scan_jsonl(dir.path(), &["d", "--show-values"]);
    let of = |file: &str| -> Vec<(String, String)> {
        let mut v: Vec<_> = findings
            .iter()
            .filter(|f| f["location"]["path"] == format!("d/{file}"))
            .map(|f| (f["detector"].to_string(), f["value"].to_string()))
            .collect();
        v.sort();
        v
    };
    let detectors = |v: &[(String, String)]| v.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>();
    assert_eq!(
        detectors(&of("plain.jsonl")),
        ["\"person_name\"", "\"street_address\""]
    );
    assert_eq!(
        detectors(&of("escaped.jsonl")),
        detectors(&of("plain.jsonl"))
    );
    // The escaped file's values are its own bytes, and its columns point at them.
    let name = findings
        .iter()
        .find(|f| f["location"]["path"] == "d/escaped.jsonl" && f["detector"] == "person_name")
        .expect("name");
    let raw = r"D\u00f6rthe M\u00fcller";
    assert_eq!(name["value"], raw);
    let column = name["location"]["column"].as_u64().expect("column") as usize;
    assert_eq!(&escaped[column - 1..column - 1 + raw.len()], raw);
}

#[test]
fn binary_skipped_with_reason_and_errors_keep_findings() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "d/blob.bin",
        b"\x00\x01\x02junk\x00 jane@gmail.com",
    );
    write(
        dir.path(),
        "d/report.pdf",
        b"%PDF-1.7\n1 0 obj jane@gmail.com",
    );
    // A gzip stream cut short: the text before the cut is still scanned.
    let mut text = String::from("first: hans@web.de\n");
    for i in 0..20_000 {
        text.push_str(&format!("filler line {i} without personal data\n"));
    }
    let gz = gzip(text.as_bytes());
    write(dir.path(), "d/cut.log.gz", &gz[..gz.len() / 2]);
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "d", "-f", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let skipped = doc["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0]["path"], "d/blob.bin");
    assert_eq!(skipped[0]["reason"], "binary file (NUL bytes)");
    assert!(
        skipped[1]["reason"]
            .as_str()
            .expect("reason")
            .starts_with("PDF document")
    );
    let errors = doc["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "d/cut.log.gz");
    assert!(
        errors[0]["reason"]
            .as_str()
            .expect("reason")
            .starts_with("decompressing"),
        "{}",
        errors[0]
    );
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "finding before the cut is kept");
    assert_eq!(findings[0]["location"]["path"], "d/cut.log.gz");
    // Per-file errors do not fail the scan unless --strict.
    let strict = piimap()
        .current_dir(dir.path())
        .args(["scan", "d", "-q", "--strict"])
        .output()
        .expect("runs");
    assert_eq!(strict.status.code(), Some(2));
    let stderr = piimap()
        .current_dir(dir.path())
        .args(["scan", "d", "-f", "jsonl"])
        .output()
        .expect("runs")
        .stderr;
    assert!(
        String::from_utf8_lossy(&stderr).contains("d/cut.log.gz"),
        "error reported on stderr"
    );
}

#[test]
fn values_across_chunk_borders_in_a_large_file() {
    let dir = TempDir::new().expect("tempdir");
    let mut text = String::new();
    let mut expected = Vec::new();
    for i in 0..5000u64 {
        let pad = "-".repeat((i % 131) as usize);
        text.push_str(&format!("{pad} IBAN GB82WEST12345698765432 row {i}\n"));
        expected.push(i + 1);
    }
    write(dir.path(), "big.txt", &text);
    let (_, findings, _) = scan_jsonl(dir.path(), &["big.txt", "--chunk-size", "8192"]);
    let lines: Vec<u64> = findings
        .iter()
        .map(|f| f["location"]["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(
        lines, expected,
        "every value found exactly once, on its line"
    );
}

#[test]
fn include_exclude_hidden_and_gitignore() {
    let dir = TempDir::new().expect("tempdir");
    let mail = "contact: anna.berg@gmail.com\n";
    write(dir.path(), "s/a.csv", mail);
    write(dir.path(), "s/b.txt", mail);
    write(dir.path(), "s/.hidden/c.txt", mail);
    write(dir.path(), "s/tmp/d.csv", mail);
    write(dir.path(), "s/hr/e.txt", mail);
    write(dir.path(), "s/.gitignore", "b.txt\n");
    let paths = |extra: &[&str]| {
        let (_, f, _) = scan_jsonl(dir.path(), &[&["s"], extra].concat());
        let mut p: Vec<String> = f
            .iter()
            .map(|f| f["location"]["path"].as_str().expect("path").to_string())
            .collect();
        p.sort();
        p
    };
    assert_eq!(
        paths(&[]),
        [
            "s/.hidden/c.txt",
            "s/a.csv",
            "s/b.txt",
            "s/hr/e.txt",
            "s/tmp/d.csv"
        ]
    );
    assert_eq!(paths(&["--include", "*.csv"]), ["s/a.csv", "s/tmp/d.csv"]);
    assert_eq!(
        paths(&["--exclude", "tmp", "--exclude", ".*"]),
        ["s/a.csv", "s/b.txt", "s/hr/e.txt"]
    );
    assert_eq!(paths(&["--include", "hr/*.txt"]), ["s/hr/e.txt"]);
    assert_eq!(
        paths(&["--respect-gitignore"]),
        ["s/.hidden/c.txt", "s/a.csv", "s/hr/e.txt", "s/tmp/d.csv"]
    );
    let bad = piimap()
        .current_dir(dir.path())
        .args(["scan", "s", "--include", "a["])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("a["));
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_only_on_request_and_loops_are_reported() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "elsewhere/x.txt", "mail anna.berg@gmail.com\n");
    write(dir.path(), "s/real.txt", "ok\n");
    std::os::unix::fs::symlink(dir.path().join("elsewhere"), dir.path().join("s/link"))
        .expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("s"), dir.path().join("s/loop")).expect("symlink");
    let (code, f, _) = scan_jsonl(dir.path(), &["s", "-q"]);
    assert_eq!((code, f.len()), (0, 0), "links not followed by default");
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "s", "-L", "-f", "json"])
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["findings"][0]["location"]["path"], "s/link/x.txt");
    let errors = doc["errors"].as_array().expect("errors");
    assert!(errors.iter().any(|e| e["kind"] == "loop"), "{errors:?}");
}

#[test]
fn config_file_sets_options_and_is_checked() {
    let dir = share();
    write(
        dir.path(),
        "piimap.toml",
        "[scan]\nformat = \"jsonl\"\nonly = [\"iban\"]\n",
    );
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share"])
        .output()
        .expect("runs");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["detector"], "iban");
    // The command line wins over the file.
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "--only", "email"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"email\""));
    write(dir.path(), "other.toml", "[scan]\nformatt = \"json\"\n");
    let out = piimap()
        .current_dir(dir.path())
        .args(["--config", "other.toml", "scan", "share"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("other.toml") && err.contains("formatt"),
        "{err}"
    );
}

/// `(path, line)` of every phone finding in `p/` under `dir`, sorted (the scan must exit 0).
fn phone_lines(dir: &Path, extra: &[&str]) -> Vec<(String, u64)> {
    let base = ["p", "--no-store", "--only", "phone", "--fail-on", "never"];
    let (code, findings, err) = scan_jsonl(dir, &[&base[..], extra].concat());
    assert_eq!(code, 0, "{err}");
    let mut found: Vec<(String, u64)> = findings
        .iter()
        .map(|f| {
            let at = &f["location"];
            (
                at["path"].as_str().expect("path").to_string(),
                at["line"].as_u64().expect("line"),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn phone_regions_choose_the_plans_of_national_numbers() {
    let dir = TempDir::new().expect("tempdir");
    // A Berlin number, and a Paris one (also valid in Vienna, whose numbers start `01`).
    write(
        dir.path(),
        "p/contacts.txt",
        "Tel: 030 12345678\nTél. : 01 42 68 53 00\n",
    );
    let lines = |extra: &[&str]| -> Vec<u64> {
        phone_lines(dir.path(), extra)
            .into_iter()
            .map(|(_, line)| line)
            .collect()
    };
    assert_eq!(lines(&[]), [1, 2]);
    assert_eq!(lines(&["--phone-regions", "FR"]), [2]);
    assert_eq!(lines(&["--phone-regions", "de"]), [1]);
    assert_eq!(lines(&["--phone-regions", "DE,AT"]), [1, 2]);
    // The report says which regions were assumed.
    let regions = |extra: &[&str]| -> Value {
        let out = piimap()
            .current_dir(dir.path())
            .args([
                "scan",
                "p",
                "--no-store",
                "-f",
                "json",
                "--fail-on",
                "never",
            ])
            .args(extra)
            .output()
            .expect("runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        doc["scan"]["phone_regions"].clone()
    };
    assert_eq!(
        regions(&["--phone-regions", "fr,de"]),
        serde_json::json!(["FR", "DE"])
    );
    assert_eq!(regions(&[])[0], "US");
    // From the config file; the command line wins.
    write(
        dir.path(),
        "piimap.toml",
        "[scan]\nphone_regions = [\"FR\"]\n",
    );
    assert_eq!(lines(&[]), [2]);
    assert_eq!(lines(&["--phone-regions", "DE"]), [1]);
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "p", "--no-store", "--phone-regions", "DE,XX"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--phone-regions") && err.contains("`XX`"),
        "{err}"
    );
}

/// A bare run of digits is a phone number only with a phone word on its own line or under a
/// phone column.
#[test]
fn bare_digit_phone_numbers_need_context_on_their_line() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "p/people.csv",
        "id,name,phone\n1,Anna,0166543736\n2,Ben,7250159348\n",
    );
    write(
        dir.path(),
        "p/notes.txt",
        "Telefono: 0166543736\nnumber 3246912842\ncall me later\n",
    );
    let want = [("p/notes.txt", 1), ("p/people.csv", 2), ("p/people.csv", 3)];
    assert_eq!(
        phone_lines(dir.path(), &[]),
        want.map(|(p, l)| (p.to_string(), l))
    );
}

#[test]
fn user_detectors_add_and_errors_name_file_detector_field() {
    let dir = share();
    write(
        dir.path(),
        "dets/employee.toml",
        r#"
[[detector]]
id = "employee_id"
name = "Employee number"
category = "user.government_id"
confidence = 0.8
examples = ["EMP-123456"]
[[detector.pattern]]
name = "emp"
regex = 'EMP-\d{6}'
"#,
    );
    write(dir.path(), "share/hr.txt", "staff EMP-004211 joined\n");
    let (_, f, _) = scan_jsonl(
        dir.path(),
        &["share", "--detectors", "dets", "--only", "employee_id"],
    );
    assert_eq!(
        summary(&f),
        vec![("employee_id".into(), "share/hr.txt".into(), 1, 7)]
    );
    write(
        dir.path(),
        "bad/x.toml",
        "[[detector]]\nid = \"x\"\nname = \"X\"\ncategory = \"user\"\nconfidence = 0.5\n[[detector.pattern]]\nname = \"p\"\nregex = 'a+'\n",
    );
    let out = piimap()
        .current_dir(dir.path())
        .args(["scan", "share", "--detectors", "bad"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad/x.toml") && err.contains("`x`") && err.contains("pattern[0].regex"),
        "{err}"
    );
}

#[test]
fn builtin_detectors_pass_their_examples() {
    let out = piimap()
        .args(["detectors", "check"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
}

#[test]
fn help_is_pinned() {
    let top = piimap().arg("--help").output().expect("runs");
    insta::assert_snapshot!("help", String::from_utf8_lossy(&top.stdout));
    let scan = piimap().args(["scan", "--help"]).output().expect("runs");
    insta::assert_snapshot!("scan_help", String::from_utf8_lossy(&scan.stdout));
}

#[test]
fn junk_and_huge_lines_scan_cleanly() {
    let dir = TempDir::new().expect("tempdir");
    // Deterministic pseudo-random bytes without NULs (so they are read as text, not skipped).
    let mut x: u32 = 0x1234_5678;
    let junk: Vec<u8> = (0..500_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x % 255) as u8 + 1
        })
        .collect();
    write(dir.path(), "j/junk.txt", &junk);
    let line: String = (0..30_000)
        .map(|i| format!("w{i} a.b@gmail.com 1234 5678 9.9.9 "))
        .collect();
    write(dir.path(), "j/one_line.txt", &line);
    write(dir.path(), "j/groups.txt", "1234 ".repeat(100_000));
    let (code, findings, stderr) = scan_jsonl(dir.path(), &["j"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let on_long_line: Vec<_> = findings
        .iter()
        .filter(|f| f["location"]["path"] == "j/one_line.txt")
        .collect();
    assert_eq!(on_long_line.len(), 30_000, "every e-mail on the 1 MB line");
    assert!(
        on_long_line
            .iter()
            .all(|f| f["location"]["line"] == 1 && f["detector"] == "email")
    );
    assert!(
        findings
            .iter()
            .all(|f| f["location"]["path"] != "j/groups.txt"),
        "digit groups are not cards"
    );
}

#[test]
fn csv_headers_are_column_context() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "export.csv",
        "order_number;ssn;geburtsdatum;notes\n\
         536-22-8726;536228726;17.03.1984;call back\n\
         \"714-52-1180\";\"219-45-6671\";\"1990-11-02\";1984-03-17\n",
    );
    let (_, findings, _) = scan_jsonl(dir.path(), &["export.csv", "--no-store"]);
    let got: Vec<(u64, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["location"]["line"].as_u64().expect("line"),
                f["location"]["column"].as_u64().expect("column"),
                f["detector"].as_str().expect("detector").to_string(),
            )
        })
        .collect();
    // `order_number` suppresses the SSN look-alike; `ssn` makes bare digits an SSN and
    // `geburtsdatum` makes dates dates of birth; the date in `notes` has no such context.
    assert_eq!(
        got,
        vec![
            (2, 13, "us_ssn".to_string()),
            (2, 23, "date_of_birth".to_string()),
            (3, 16, "us_ssn".to_string()),
            (3, 30, "date_of_birth".to_string()),
        ]
    );
}

#[test]
fn a_cell_partly_covered_by_a_hit_is_still_scanned_as_a_field() {
    // The international number needs no context and is found in the line; the national one
    // needs the `phone` header (too far above for a context word), so the cell must be
    // scanned again although a phone hit already overlaps it. In `note`, the same national
    // number has no context.
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "contacts.csv",
        "id,phone,note\n\
         1,,lorem ipsum dolor sit amet consectetur adipiscing\n\
         2,,sed do eiusmod tempor incididunt ut labore\n\
         3,+44 20 7946 0958 / (415) 867-5309,x\n\
         4,(415) 867-5309,x\n\
         5,nothing,(415) 867-5309\n",
    );
    let (_, findings, _) = scan_jsonl(dir.path(), &["contacts.csv", "--no-store"]);
    let got: Vec<(u64, u64, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["location"]["line"].as_u64().expect("line"),
                f["location"]["column"].as_u64().expect("column"),
                f["detector"].as_str().expect("detector"),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(4, 3, "phone"), (4, 22, "phone"), (5, 3, "phone")]
    );
}

#[test]
fn json_key_paths_are_field_context() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "events.jsonl",
        "{\"user\": {\"dateOfBirth\": \"1984-03-17\", \"order_id\": \"536-22-8726\"}, \"ssn\": 536228726, \"at\": \"1990-11-02\"}\n\
         not json at all, 1984-03-17\n\
         {\"customer\": {\"tax\": {\"ssn\": \"219-45-6671\"}}, \"items\": [{\"birth_date\": \"02/11/1990\"}]}\n",
    );
    write(
        dir.path(),
        "pretty.json",
        "{\n  \"patient\": {\n    \"geburtsdatum\": \"17.03.1984\",\n    \"created\": \"2024-01-02\"\n  }\n}\n",
    );
    let (_, findings, _) = scan_jsonl(dir.path(), &["events.jsonl", "pretty.json", "--no-store"]);
    let mut got: Vec<(String, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().expect("path").to_string(),
                f["location"]["line"].as_u64().expect("line"),
                f["detector"].as_str().expect("detector").to_string(),
            )
        })
        .collect();
    got.sort();
    let want = vec![
        ("events.jsonl".to_string(), 1, "date_of_birth".to_string()),
        ("events.jsonl".to_string(), 1, "us_ssn".to_string()),
        ("events.jsonl".to_string(), 3, "date_of_birth".to_string()),
        ("events.jsonl".to_string(), 3, "us_ssn".to_string()),
        ("pretty.json".to_string(), 3, "date_of_birth".to_string()),
    ];
    assert_eq!(got, want, "{findings:#?}");
}

#[test]
fn explain_shows_pattern_validator_and_context() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "t.txt",
        format!(
            "Customer SSN: 536-22-8726\n{}\nemployee 536-22-8726 onboarded\ncard 4111 1111 1111 1111\n",
            "lorem ipsum ".repeat(10)
        ),
    );
    let (_, findings, _) = scan_jsonl(
        dir.path(),
        &["t.txt", "--no-store", "--explain", "--min-confidence", "0"],
    );
    let e: Vec<&Value> = findings.iter().map(|f| &f["explain"]).collect();
    assert_eq!(e.len(), 3, "{findings:#?}");
    assert_eq!(e[0]["pattern"], "dashed");
    assert_eq!(e[0]["validator"], "us_ssn");
    assert_eq!(e[0]["context"], true);
    assert_eq!(findings[0]["confidence"], e[0]["confidence"]);
    assert_eq!(e[1]["context"], false, "no context word on the second line");
    assert!(
        e[1]["base_confidence"].as_f64() == findings[1]["confidence"].as_f64(),
        "without context the base confidence stands"
    );
    assert_eq!(e[2]["test_value"], true);
    assert!(
        e[2]["steps"][1]
            .as_str()
            .is_some_and(|s| s.contains("test or reserved value")),
        "{}",
        e[2]
    );
    // Without --explain there is no explanation.
    let (_, plain, _) = scan_jsonl(dir.path(), &["t.txt", "--no-store"]);
    assert!(plain.iter().all(|f| f.get("explain").is_none()));
}

/// `detectors regex` prints one self-contained regex per pattern, usable by line-oriented grep
/// tools: no raw control characters, no named groups (a pattern file must not repeat names),
/// each compiles on its own, and together they match what the detectors' examples hold.
#[test]
fn detectors_regex_prints_the_candidate_patterns() {
    let out = piimap().args(["detectors", "regex"]).output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 60, "one line per pattern: {}", lines.len());
    let mut regexes = Vec::new();
    for line in &lines {
        assert!(!line.contains("(?P<"), "named group: {line}");
        assert!(
            !line.chars().any(char::is_control),
            "control character: {line:?}"
        );
        regexes.push(
            regex_automata::meta::Regex::builder()
                .syntax(regex_automata::util::syntax::Config::new().utf8(false))
                .build(line)
                .unwrap_or_else(|e| panic!("does not compile: {e}: {line}")),
        );
    }
    for example in [
        "mail jane.doe@gmail.com",
        "card 4539 1488 0343 6467",
        "IBAN DE89 3704 0044 0532 0130 00",
        "SSN 536-22-8726",
    ] {
        assert!(
            regexes.iter().any(|r| r.is_match(example.as_bytes())),
            "no pattern matches {example:?}"
        );
    }
}

/// A reader that stops early (`piimap detectors list | head -1`) ends the listing commands
/// quietly and successfully, as it ends a scan: no panic, no error message.
#[test]
fn closed_output_pipe_is_a_normal_end() {
    let commands: [&[&str]; 5] = [
        &["detectors", "list"],
        &["detectors", "list", "--json"],
        &["detectors", "regex"],
        &["detectors", "check"],
        &["schema"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().expect("pipe");
        // Closed before the program starts: its first write meets a closed pipe.
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("piimap"))
            .args(args)
            .stdout(writer)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// A closed standard error (`piimap scan 2>&1 | head`) loses the error messages, not the
/// scan: the findings are still written and the exit code still says they were found.
#[test]
fn closed_error_pipe_loses_messages_not_findings() {
    let dir = TempDir::new().expect("temp dir");
    // Corrupt gzip streams: each one is an error message.
    for i in 0..20 {
        fs::write(
            dir.path().join(format!("broken{i}.gz")),
            b"\x1f\x8b\x08\x00not deflate at all",
        )
        .expect("write");
    }
    write(
        dir.path(),
        "contacts.txt",
        "mail jane.doe@gmail.com today\n",
    );
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("piimap"))
        .current_dir(dir.path())
        .args(["scan", "--no-store", "--format", "jsonl", "."])
        .stderr(writer)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("\"detector\":\"email\""), "{stdout}");
}
