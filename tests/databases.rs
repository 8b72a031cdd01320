//! End-to-end tests against real PostgreSQL and MariaDB servers, installed, started on
//! loopback and seeded by `scripts/db-setup` (which `scripts/test` runs first). A missing
//! server fails these tests loudly: they never skip.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

mod common;
use common::{copy_dir, json_output, root};

fn postgres_url() -> String {
    std::env::var("PIIMAP_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://piimap:piimap@127.0.0.1:5432/crm".into())
}

fn mysql_url() -> String {
    std::env::var("PIIMAP_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://piimap:piimap@127.0.0.1:3306/shop".into())
}

/// Runs `piimap scan … -f json --no-store` and returns (exit code, report, stderr).
fn scan(args: &[&str]) -> (i32, Value, String) {
    let out = cargo_bin_cmd!("piimap")
        .args(["scan", "-f", "json", "-q", "--no-store"])
        .args(args)
        .output()
        .expect("run");
    json_output(&out)
}

fn errors(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["path"].as_str().unwrap_or(""),
                e["reason"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Detectors a column must classify, must report, may report.
type Expectation = (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>);

/// The seed's expectations (scripts/db_seed.py), by column.
fn expected(source: &str) -> BTreeMap<String, Expectation> {
    let dir = root().join("target/db-seed-expected");
    let status = std::process::Command::new("python3")
        .arg(root().join("scripts/db_seed.py"))
        .arg("--out")
        .arg(&dir)
        .status()
        .expect("python3");
    assert!(status.success());
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let v: Value = serde_json::from_str(&text).expect("json");
    let set = |x: &Value| -> BTreeSet<String> {
        x.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    v["columns"][source]
        .as_object()
        .expect("columns")
        .iter()
        .map(|(k, e)| {
            (
                k.clone(),
                (
                    set(&e["classified"]),
                    set(&e["reported"]),
                    set(&e["optional"]),
                ),
            )
        })
        .collect()
}

/// Column findings: locator → detector → column evidence.
fn column_findings(report: &Value) -> BTreeMap<String, BTreeMap<String, Value>> {
    let mut out: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let l = &f["location"];
        let locator = format!(
            "{}.{}.{}.{}",
            l["database"].as_str().unwrap_or(""),
            l["schema"].as_str().unwrap_or(""),
            l["table"].as_str().unwrap_or(""),
            l["column"].as_str().unwrap_or("")
        );
        out.entry(locator).or_default().insert(
            f["detector"].as_str().unwrap_or("").to_string(),
            f["column"].clone(),
        );
    }
    out
}

fn check_verdicts(source: &str, report: &Value) {
    let found = column_findings(report);
    let expected = expected(source);
    for (column, (classified, reported, _)) in &expected {
        let got = found.get(column).cloned().unwrap_or_default();
        for d in classified {
            let ev = got
                .get(d)
                .unwrap_or_else(|| panic!("{column}: {d} not found; got {got:?}"));
            assert_eq!(
                ev["classified"], true,
                "{column}: {d} must be classified: {ev}"
            );
        }
        for d in reported {
            let ev = got
                .get(d)
                .unwrap_or_else(|| panic!("{column}: {d} not reported; got {got:?}"));
            assert!(ev["hits"].as_u64().unwrap_or(0) > 0);
        }
    }
    for (column, detectors) in &found {
        let (classified, reported, optional) = expected.get(column).cloned().unwrap_or_default();
        for d in detectors.keys() {
            assert!(
                classified.contains(d) || reported.contains(d) || optional.contains(d),
                "{column}: unexpected {d} finding {:?}",
                detectors[d]
            );
        }
    }
}

#[test]
fn postgres_column_verdicts_match_the_seed() {
    let (code, report, stderr) = scan(&[&postgres_url()]);
    assert!(errors(&report).is_empty(), "{:?} {stderr}", errors(&report));
    assert_eq!(code, 1, "PII found");
    check_verdicts("postgres", &report);
    // 20 reference tables, the partitioned table, views, empty and no-PII tables are all scanned.
    assert!(
        report["summary"]["tables_scanned"].as_u64().unwrap_or(0) >= 30,
        "{}",
        report["summary"]
    );
    // The password never appears.
    let text = report.to_string();
    assert!(!text.contains(":piimap@"), "password leaked");
    assert!(text.contains("postgres://piimap@127.0.0.1:5432/crm"));
}

#[test]
fn mysql_column_verdicts_match_the_seed() {
    let (code, report, stderr) = scan(&[&mysql_url()]);
    assert!(errors(&report).is_empty(), "{:?} {stderr}", errors(&report));
    assert_eq!(code, 1);
    check_verdicts("mysql", &report);
    assert!(!report.to_string().contains(":piimap@"), "password leaked");
}

#[test]
fn million_row_tables_are_sampled_not_read_whole() {
    for (url, column) in [
        (postgres_url(), "crm.audit.events.payload"),
        (mysql_url(), "shop.shop.big_log.email"),
    ] {
        let (_, report, _) = scan(&[&url, "--sample-rows", "5000"]);
        let found = column_findings(&report);
        let ev = &found[column]["email"];
        let read = ev["rows_read"].as_u64().expect("rows_read");
        let total = ev["rows_total"].as_u64().expect("rows_total");
        assert_eq!(ev["sampled_rows"], true, "{column}");
        assert!((1000..=5000).contains(&read), "{column}: read {read} rows");
        assert!(
            (900_000..=1_100_000).contains(&total),
            "{column}: total {total}"
        );
    }
}

#[test]
fn full_scans_read_every_row() {
    let (_, report, _) = scan(&[
        &postgres_url(),
        "--full",
        "--include-table",
        "crm.public.customers",
    ]);
    let found = column_findings(&report);
    let ev = &found["crm.public.customers.email"]["email"];
    assert_eq!(ev["rows_read"], 2000);
    assert_eq!(ev["rows_total"], 2000);
    assert_eq!(ev["sampled_rows"], false);
    assert_eq!(report["summary"]["tables_scanned"], 1, "--include-table");
}

#[test]
fn a_denied_table_is_an_error_and_the_scan_goes_on() {
    let url = postgres_url().replace("://piimap:", "://piimap_limited:");
    let (_, report, _) = scan(&[
        &url,
        "--include-table",
        "crm.sales.*",
        "--include-table",
        "crm.public.customers",
    ]);
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("postgres:crm.sales.orders: permission denied"),
        "{errs:?}"
    );
    let found = column_findings(&report);
    assert!(
        found.contains_key("crm.public.customers.email"),
        "other tables still scanned"
    );
}

#[test]
fn statement_timeouts_are_recorded_per_table() {
    let (_, report, _) = scan(&[
        &postgres_url(),
        "--full",
        "--statement-timeout",
        "0.001",
        "--include-table",
        "crm.audit.events",
        "--include-table",
        "crm.public.products",
    ]);
    let errs = errors(&report);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("postgres:crm.audit.events:") && e.contains("timeout")),
        "{errs:?}"
    );
}

#[test]
fn an_unreachable_database_does_not_stop_the_file_scan() {
    let share = root().join("examples/share");
    let (code, report, _) = scan(&[
        share.to_str().expect("utf8"),
        "postgres://nobody:hunter2xyz@127.0.0.1:1/none",
    ]);
    assert_eq!(code, 1, "file findings still trip --fail-on");
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("postgres://nobody@127.0.0.1:1/none: "),
        "{errs:?}"
    );
    assert!(
        !report.to_string().contains("hunter2xyz"),
        "password leaked"
    );
    assert!(report["summary"]["findings"].as_u64().unwrap_or(0) > 200);
}

/// Share, PostgreSQL and MariaDB against examples/ropa-full.yaml: every planted gap and
/// nothing else.
#[test]
fn audit_of_share_and_databases_reports_the_planted_gaps() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("examples/share"), &dir.path().join("share"));
    // A sick note: health data (Art. 9) where payroll names no Art. 9(2) condition.
    let absence = dir.path().join("share/hr/absence");
    std::fs::create_dir_all(&absence).expect("mkdir");
    std::fs::write(
        absence.join("sick_note_2026.txt"),
        "Patient Maria Schmidt was diagnosed with type 2 diabetes and takes insulin daily.\n",
    )
    .expect("write");
    // The event lake: a Hive-partitioned Parquet dataset, one partition older than a year.
    for (dt, n) in [("2019-03-01", 150), ("2026-10-01", 150)] {
        write_events(
            &dir.path()
                .join(format!("lake/events/dt={dt}/part-0.parquet")),
            n,
        );
    }
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args(["audit", "--ropa"])
        .arg(root().join("examples/ropa-full.yaml"))
        .args(["share", "lake", &postgres_url(), &mysql_url()])
        .args(["-f", "json", "--as-of", "2026-11-29", "-q"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut got: Vec<String> = report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .filter(|g| !(g["kind"] == "declared_not_found" && g["category"] == "user.name"))
        .map(|g| {
            let loc = &g["location"];
            let place = loc["asset"]
                .as_str()
                .or(loc["system"].as_str())
                .unwrap_or("");
            format!(
                "{} {} {} {}",
                g["kind"].as_str().unwrap_or(""),
                g["activity"].as_str().unwrap_or("-"),
                place,
                g["category"].as_str().unwrap_or("-")
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<String> = [
        "declared_not_found invoicing files: share/finance/** user.financial.credit_card",
        "declared_not_found webshop mysql: shop.*.customers; mysql: shop.*.customer_emails; mysql: shop.*.orders; mysql: shop.*.order_events user.financial.bank_account",
        "retention_breach analytics parquet: lake/events/** -",
        "undeclared_category analytics lake/events#user_email user.contact.email",
        "retention_breach crm postgres: crm.public.customers -",
        "retention_breach it-logs files: share/it/** -",
        "retention_breach payroll files: share/hr/** -",
        "special_category_without_condition payroll share/hr/absence/sick_note_2026.txt user.health",
        "retention_breach security-audit postgres: crm.audit.* -",
        "retention_breach support postgres: crm.public.tickets -",
        "retention_breach webshop mysql: shop.*.customers -",
        "retention_breach webshop mysql: shop.*.order_events user.contact.email",
        "retention_breach webshop mysql: shop.*.orders user.financial.credit_card",
        "undeclared_category crm crm.public.customers.iban user.financial.bank_account",
        "undeclared_category crm crm.public.customers.notes user.financial.bank_account",
        "undeclared_category support crm.public.tickets.body user.financial.credit_card",
        "undeclared_category support crm.public.tickets.body user.government_id.national_identification_number",
        "undeclared_category support share/support/export.jsonl user.device.ip_address",
        "undeclared_category support share/support/tickets/2024/ticket-1043.txt user.demographic.date_of_birth",
        "undeclared_category support share/support/tickets/2024/ticket-1043.txt user.financial.credit_card",
        "undeclared_category support share/support/tickets/2024/ticket-1057.txt user.financial.credit_card",
        "undeclared_category support share/support/tickets/2024/ticket-1057.txt user.government_id.national_identification_number",
        "undeclared_category support share/support/tickets/2024/ticket-1101.txt user.government_id.national_identification_number",
        "undocumented_location - crm.hr.Employee Records.E-Mail Address user.contact.email",
        "undocumented_location - crm.hr.Employee Records.Full Name user.name",
        "undocumented_location - share/.secret_notes.txt user.name",
        "undocumented_location - share/notes/contacts_latin1.txt user.name",
        "undocumented_location - share/notes/meeting_notes_utf16.txt user.name",
        "undocumented_location - crm.hr.Employee Records.geburtsdatum user.demographic.date_of_birth",
        "undocumented_location - crm.hr.employee_contacts.contacts user.contact.email",
        "undocumented_location - crm.hr.we\"ird.naïve col user.contact.email",
        "undocumented_location - crm.public.legacy_contacts.email user.contact.email",
        "undocumented_location - share/.secret_notes.txt user.contact.email",
        "undocumented_location - share/notes/contacts_latin1.txt user.contact.email",
        "undocumented_location - share/notes/contacts_latin1.txt user.financial.bank_account",
        "undocumented_location - share/notes/meeting_notes_utf16.txt user.contact.email",
        "undocumented_location - shop.shop.big_log.email user.contact.email",
        "undocumented_location - shop.shop.legacy.email user.contact.email",
        "undocumented_location - shop.shop.odd `table.E-Mail user.contact.email",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    want.sort();
    assert_eq!(got, want);

    // Retention by a column counts the rows older than the cutoff from the monthly histogram.
    let audit = report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .find(|g| g["activity"] == "security-audit")
        .expect("audit breach");
    // 1 M events, one every 4 minutes from 2018-01-01: those before 2024-11 are counted.
    let records = audit["evidence"]["records"].as_u64().expect("records");
    assert!((850_000..=950_000).contains(&records), "{records}");
    assert_eq!(audit["evidence"]["oldest"], "2018-01-01");
}

/// Writes `rows` events (client IP, user e-mail) to a Parquet file.
fn write_events(path: &Path, rows: usize) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let schema = parse_message_type(
        "message events { required binary client_ip (UTF8); required binary user_email (UTF8); }",
    )
    .expect("schema");
    let mut w = SerializedFileWriter::new(
        std::fs::File::create(path).expect("create"),
        Arc::new(schema),
        Arc::new(WriterProperties::builder().build()),
    )
    .expect("writer");
    let ips: Vec<ByteArray> = (0..rows)
        .map(|i| {
            ByteArray::from(format!("81.{}.{}.{}", i % 200 + 1, i % 7 + 1, i % 250 + 2).as_str())
        })
        .collect();
    let emails: Vec<ByteArray> = (0..rows)
        .map(|i| ByteArray::from(format!("visitor{i}@gmail.com").as_str()))
        .collect();
    let mut rg = w.next_row_group().expect("row group");
    for values in [&ips, &emails] {
        let mut col = rg.next_column().expect("column").expect("present");
        col.typed::<ByteArrayType>()
            .write_batch(values, None, None)
            .expect("write");
        col.close().expect("close column");
    }
    rg.close().expect("close row group");
    w.close().expect("close file");
}

/// A connection killed in the middle of a table: that table is an error (with what was read
/// before kept), the connection is replaced and the other tables are still scanned.
#[test]
fn a_lost_connection_is_recorded_and_the_scan_goes_on() {
    // Only this test's connections are killed: tests run concurrently.
    let url = format!(
        "{}?application_name=piimap_lost_connection_test",
        postgres_url()
    );
    let killer = std::thread::spawn(move || {
        let psql = |sql: &str| {
            std::process::Command::new("psql")
                .env("PGPASSWORD", "piimap")
                .args(["-h", "127.0.0.1", "-U", "piimap", "-d", "crm", "-tAc", sql])
                .output()
                .expect("psql (installed with PostgreSQL by scripts/db-setup)")
        };
        for _ in 0..200 {
            let out = psql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = 'piimap_lost_connection_test' \
                 AND query LIKE '%\"audit\".\"events\"%'",
            );
            if String::from_utf8_lossy(&out.stdout).contains('t') {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    });
    let (_, report, _) = scan(&[
        &url,
        "--full",
        "--db-connections",
        "1",
        "--include-table",
        "crm.audit.events",
        "--include-table",
        "crm.public.customers",
    ]);
    assert!(
        killer.join().expect("killer"),
        "the scan's query was never seen running"
    );
    let errs = errors(&report);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("postgres:crm.audit.events:")),
        "{errs:?}"
    );
    let found = column_findings(&report);
    assert!(
        found.contains_key("crm.public.customers.email"),
        "the other table is scanned on a new connection: {errs:?}"
    );
}
