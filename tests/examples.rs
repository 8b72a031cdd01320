//! The bundled example share against its truth file (`examples/share.labels.jsonl`, written
//! by `scripts/gen_corpus.py examples`).

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

type Key = (String, u64, String);

#[test]
fn example_share_findings_match_its_labels() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let labels: Vec<Value> = std::fs::read_to_string(root.join("examples/share.labels.jsonl"))
        .expect("labels exist")
        .lines()
        .map(|l| serde_json::from_str(l).expect("label is JSON"))
        .collect();
    let out = Command::cargo_bin("piimap")
        .expect("binary")
        .current_dir(root)
        .args(["scan", "examples/share", "-f", "jsonl", "-q", "--no-store"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "the share holds PII");
    let found: BTreeSet<Key> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let f: Value = serde_json::from_str(l).expect("finding is JSON");
            let path = f["location"]["path"].as_str().expect("path");
            (
                path.strip_prefix("examples/share/")
                    .expect("under the target")
                    .to_string(),
                f["location"]["line"].as_u64().expect("line"),
                f["detector"].as_str().expect("detector").to_string(),
            )
        })
        .collect();
    let key = |l: &Value| -> Key {
        (
            l["path"].as_str().expect("path").to_string(),
            l["line"].as_u64().expect("line"),
            l["detector"].as_str().expect("detector").to_string(),
        )
    };
    let truth: BTreeSet<Key> = labels.iter().map(key).collect();

    let unlabelled: Vec<_> = found.difference(&truth).collect();
    assert!(
        unlabelled.is_empty(),
        "findings that are not PII: {unlabelled:?}"
    );

    // First/last-name cells whose words are not both in the name dictionaries
    // (`Kenji,Hansen`) are not found; every other labelled value must be, dates of birth in CSV
    // columns included (the column header is their context).
    let missed: Vec<_> = labels
        .iter()
        .filter(|l| !found.contains(&key(l)))
        .filter(|l| {
            !(l["detector"] == "person_name"
                && l["path"].as_str().is_some_and(|p| p.ends_with(".csv")))
        })
        .collect();
    assert!(missed.is_empty(), "labelled values not found: {missed:?}");
    assert!(
        found.len() > 250,
        "the share is a meaningful sample: {} findings",
        found.len()
    );
}

#[test]
fn human_report_of_the_example_share_is_pinned() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("piimap")
        .expect("binary")
        .current_dir(root)
        .args(["scan", "examples/share", "-q", "--no-store"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    // The elapsed time is the only part that varies between runs.
    let (head, rest) = text.split_once(" in ").expect("summary line");
    let (_, tail) = rest.split_once(" s: ").expect("elapsed seconds");
    insta::assert_snapshot!(
        "example_share_human",
        format!("{head} in [elapsed] s: {tail}")
    );
}
