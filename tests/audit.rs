//! End-to-end tests of the inventory and the RoPA reconciliation: `piimap audit`,
//! `reconcile`, incremental scans, `ropa draft`, and the HTML report in a real headless
//! browser.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

mod common;
use common::{copy_dir, json_output, root};

const AS_OF: &str = "2026-11-29";

/// A copy of the example share in a temporary directory (tests modify it).
fn share_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("examples/share"), &dir.path().join("share"));
    dir
}

fn audit(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir)
        .args(["audit", "--ropa"])
        .arg(root().join("examples/ropa.yaml"))
        .args(["share", "-f", "json", "--as-of", AS_OF, "-q"])
        .args(extra)
        .output()
        .expect("run");
    let (code, json, _) = json_output(&out);
    (code, json)
}

/// (kind, activity, location, category) of every gap, sorted.
fn gap_keys(report: &Value) -> Vec<(String, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut keys: Vec<_> = report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            let loc = &g["location"];
            let location = if loc["asset"].is_string() {
                s(&loc["asset"])
            } else {
                s(&loc["system"])
            };
            (
                s(&g["kind"]),
                s(&g["activity"]),
                location,
                s(&g["category"]),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn planted() -> Vec<(String, String, String, String)> {
    let rows = [
        (
            "declared_not_found",
            "invoicing",
            "files: share/finance/**",
            "user.financial.credit_card",
        ),
        ("not_scanned", "support", "postgres: crm.public.tickets", ""),
        ("retention_breach", "it-logs", "files: share/it/**", ""),
        (
            "retention_breach",
            "payroll",
            "files: share/hr/**",
            // Names and bank accounts: a breach over several categories names none.
            "",
        ),
        (
            "undeclared_category",
            "support",
            "share/support/export.jsonl",
            "user.device.ip_address",
        ),
        (
            "undeclared_category",
            "support",
            "share/support/tickets/2024/ticket-1043.txt",
            "user.demographic.date_of_birth",
        ),
        (
            "undeclared_category",
            "support",
            "share/support/tickets/2024/ticket-1043.txt",
            "user.financial.credit_card",
        ),
        (
            "undeclared_category",
            "support",
            "share/support/tickets/2024/ticket-1057.txt",
            "user.financial.credit_card",
        ),
        (
            "undeclared_category",
            "support",
            "share/support/tickets/2024/ticket-1057.txt",
            "user.government_id.national_identification_number",
        ),
        (
            "undeclared_category",
            "support",
            "share/support/tickets/2024/ticket-1101.txt",
            "user.government_id.national_identification_number",
        ),
        (
            "undocumented_location",
            "",
            "share/.secret_notes.txt",
            "user.contact.email",
        ),
        (
            "undocumented_location",
            "",
            "share/.secret_notes.txt",
            "user.name",
        ),
        (
            "undocumented_location",
            "",
            "share/notes/contacts_latin1.txt",
            "user.contact.email",
        ),
        (
            "undocumented_location",
            "",
            "share/notes/contacts_latin1.txt",
            "user.name",
        ),
        (
            "undocumented_location",
            "",
            "share/notes/contacts_latin1.txt",
            "user.financial.bank_account",
        ),
        (
            "undocumented_location",
            "",
            "share/notes/meeting_notes_utf16.txt",
            "user.contact.email",
        ),
        (
            "undocumented_location",
            "",
            "share/notes/meeting_notes_utf16.txt",
            "user.name",
        ),
    ];
    let mut v: Vec<_> = rows
        .iter()
        .map(|(k, a, l, c)| (k.to_string(), a.to_string(), l.to_string(), c.to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn audit_of_the_example_reports_every_planted_gap_and_nothing_else() {
    let dir = share_copy();
    let (code, report) = audit(dir.path(), &[]);
    assert_eq!(code, 1, "high gaps exist: exit 1");
    assert_eq!(gap_keys(&report), planted());

    let breach = report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .find(|g| g["activity"] == "payroll")
        .expect("payroll breach");
    let ev = &breach["evidence"];
    assert_eq!(ev["oldest"], "2019-12-31");
    assert_eq!(ev["cutoff"], "2020-11-29");
    assert_eq!(ev["exceeded_by_days"], 334);
    assert_eq!(ev["assets"], 1);
    assert_eq!(breach["severity"], "high");
    // Evidence is masked: no raw e-mail address anywhere in the report.
    let text = report.to_string();
    assert!(!text.contains("dfernandez@gmail.com"), "raw value leaked");
    assert!(text.contains("d*********@g****.com"));
    assert_eq!(report["summary"]["gaps"], 17);
    assert_eq!(report["summary"]["by_kind"]["undocumented_location"], 7);

    // --fail-on never: exit 0 with the same gaps; --fail-on critical: no critical gap here.
    let (code, _) = audit(dir.path(), &["--since-last", "--fail-on", "never"]);
    assert_eq!(code, 0);
    let (code, _) = audit(dir.path(), &["--since-last", "--fail-on", "critical"]);
    assert_eq!(code, 0);
}

#[test]
fn incremental_rescans_read_only_what_changed_and_drop_deleted_files() {
    let dir = share_copy();
    let store = dir.path().join("piimap.db");
    let (_, first) = audit(dir.path(), &[]);
    assert_eq!(first["scans"][0]["assets_read"], 17);

    // Nothing changed: nothing is read, the gaps stay the same.
    let (_, second) = audit(dir.path(), &["--since-last"]);
    assert_eq!(second["scans"][1]["assets_read"], 0);
    assert_eq!(second["scans"][1]["assets_unchanged"], 18);
    assert_eq!(gap_keys(&second), planted());

    // One file changed, one deleted.
    let notes = dir.path().join("share/marketing/newsletter_signups.csv");
    let mut text = std::fs::read_to_string(&notes).expect("read");
    text.push_str("late,SSN 536-22-8726,x\n");
    std::fs::write(&notes, text).expect("write");
    std::fs::remove_file(dir.path().join("share/.secret_notes.txt")).expect("rm");
    let (_, third) = audit(dir.path(), &["--since-last"]);
    let scan = &third["scans"][2];
    assert_eq!(scan["assets_read"], 1, "only the changed file is read");
    let keys = gap_keys(&third);
    assert!(
        !keys.iter().any(|k| k.2.ends_with(".secret_notes.txt")),
        "a deleted file drops out of the inventory"
    );
    assert!(
        keys.iter().any(|k| k.0 == "undeclared_category"
            && k.2.ends_with("newsletter_signups.csv")
            && k.3 == "user.government_id.national_identification_number"),
        "the new SSN in the changed file is found: {keys:?}"
    );
    assert!(store.exists());

    // Other phone regions may change what a file holds: every file is read again.
    let (_, fourth) = audit(dir.path(), &["--since-last", "--phone-regions", "GB"]);
    assert_eq!(fourth["scans"][3]["assets_unchanged"], 0);
    assert!(fourth["scans"][3]["assets_read"].as_u64() > Some(1));

    // `reconcile` alone reads the same inventory.
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args(["reconcile", "--ropa"])
        .arg(root().join("examples/ropa.yaml"))
        .args(["-f", "csv", "--as-of", AS_OF, "--fail-on", "never"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("severity,kind,activity,source,location,category,detector,message"));
    assert_eq!(csv.lines().count(), keys.len() + 1, "{csv}");
}

#[test]
fn draft_covers_exactly_the_undocumented_assets() {
    let dir = share_copy();
    audit(dir.path(), &[]);
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args(["ropa", "draft", "--ropa"])
        .arg(root().join("examples/ropa.yaml"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let draft = String::from_utf8(out.stdout).expect("utf8");
    assert!(draft.contains("- files: \"share/notes/**\""), "{draft}");
    assert!(draft.contains("\"user.financial.bank_account\""), "{draft}");
    assert!(
        !draft.contains("share/hr"),
        "covered assets are left out: {draft}"
    );
    // The draft is a valid RoPA.
    let path = dir.path().join("draft.yaml");
    std::fs::write(&path, &draft).expect("write");
    let check = cargo_bin_cmd!("piimap")
        .args(["ropa", "check"])
        .arg(&path)
        .output()
        .expect("run");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn malformed_ropa_is_an_error_with_file_line_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("ropa.yaml");
    std::fs::write(
        &bad,
        "activities:\n  - id: a\n    data_categories: [user.contact]\n    retention: someday\n",
    )
    .expect("write");
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args(["audit", "--ropa"])
        .arg(&bad)
        .arg(root().join("examples/share"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ropa.yaml:4: activities[0].retention: `someday` is not an ISO-8601 duration"),
        "{err}"
    );
    assert!(
        !dir.path().join("piimap.db").exists(),
        "no scan before the RoPA is valid"
    );
}

#[test]
fn the_ropa_spreadsheet_form_gives_the_same_gaps() {
    let dir = share_copy();
    let csv = dir.path().join("ropa.csv");
    std::fs::write(
        &csv,
        "id,Processing activity,Article 6 lawful basis,Categories of personal data,Location of personal data,Retention schedule,Retention from\n\
         payroll,Payroll,legal obligation,user.contact; user.name; user.financial.bank_account; user.government_id; user.demographic.date_of_birth,files: share/hr/**,P6Y,path\n\
         support,Customer support,contract,user.contact; user.name,files: share/support/**; postgres: crm.public.tickets,P2Y,mtime\n\
         newsletter,Newsletter,consent,user.contact.email; user.device.ip_address,files: share/marketing/**,P1Y,mtime\n\
         invoicing,Invoicing,legal obligation,user.name; user.financial.bank_account; user.financial.credit_card,files: share/finance/**,P10Y,path\n\
         it-logs,IT logs,legitimate interests,user.device.ip_address; user.contact.email,files: share/it/**,P90D,path\n",
    )
    .expect("write");
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args([
            "audit", "--ropa", "ropa.csv", "share", "-f", "json", "--as-of", AS_OF, "-q",
        ])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(gap_keys(&report), planted());
}

/// The HTML report rendered by a real browser: a screenshot is taken and the printed PDF's
/// text is checked. Chromium and pdftotext are installed by scripts/test; a missing browser
/// fails the test rather than skipping it.
#[test]
fn html_report_renders_and_prints_in_a_headless_browser() {
    let dir = share_copy();
    audit(dir.path(), &[]);
    let html = dir.path().join("audit.html");
    let out = cargo_bin_cmd!("piimap")
        .current_dir(dir.path())
        .args(["reconcile", "--ropa"])
        .arg(root().join("examples/ropa.yaml"))
        .args(["-f", "html", "-o"])
        .arg(&html)
        .args(["--as-of", AS_OF, "--fail-on", "never"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let source = std::fs::read_to_string(&html).expect("html");
    assert!(!source.contains("<script"), "self-contained, no scripts");
    assert!(
        !source.contains("http://") && !source.contains("https://"),
        "no external resources"
    );

    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("a headless browser (chromium) must be installed: run scripts/test");
    let url = format!("file://{}", html.display());
    let shots = root().join("target/test-artifacts");
    std::fs::create_dir_all(&shots).expect("mkdir");
    let png = shots.join("audit-report.png");
    let pdf = dir.path().join("audit.pdf");
    let _ = std::fs::remove_file(&png);
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
    ];
    let shot = Command::new(browser)
        .args(base)
        .args(["--window-size=1280,1800"])
        .arg(format!("--screenshot={}", png.display()))
        .arg(&url)
        .output()
        .expect("browser");
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let png_bytes = std::fs::read(&png).expect("screenshot written");
    assert!(
        png_bytes.starts_with(b"\x89PNG") && png_bytes.len() > 20_000,
        "a real screenshot"
    );

    let print = Command::new(browser)
        .args(base)
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .output()
        .expect("browser");
    assert!(
        print.status.success(),
        "{}",
        String::from_utf8_lossy(&print.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (poppler-utils): run scripts/test");
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        "PII audit — Example Ltd",
        "Undocumented location (7)",
        "Undeclared category (6)",
        "Retention breach (2)",
        "Declared but not found (1)",
        "Declared system not scanned (1)",
        "payroll_2019.tsv",
        "Payroll and employee administration",
        "Scan coverage",
    ] {
        assert!(
            text.contains(expected),
            "printed report lacks {expected:?}:\n{text}"
        );
    }
}

#[test]
fn committed_audit_schema_is_current_and_matches_the_output() {
    let generated = cargo_bin_cmd!("piimap")
        .args(["schema", "audit"])
        .output()
        .expect("run")
        .stdout;
    let committed = std::fs::read(root().join("docs/schema/audit.schema.json"))
        .expect("docs/schema/audit.schema.json exists");
    assert!(
        generated == committed,
        "regenerate with: cargo run -- schema audit > docs/schema/audit.schema.json"
    );
    let schema: Value = serde_json::from_slice(&generated).expect("schema");
    let dir = share_copy();
    let (_, report) = audit(dir.path(), &[]);
    let props = schema["properties"].as_object().expect("properties");
    let keys = report.as_object().expect("object");
    for k in keys.keys() {
        assert!(props.contains_key(k), "output key {k} not in schema");
    }
    for k in schema["required"].as_array().expect("required") {
        assert!(
            keys.contains_key(k.as_str().expect("str")),
            "required {k} missing"
        );
    }
}
