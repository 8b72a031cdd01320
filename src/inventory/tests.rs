use super::*;

fn record(locator: &str, stamp: Option<Stamp>, evidence: Vec<Evidence>) -> AssetRecord {
    AssetRecord {
        source: "file".into(),
        locator: locator.into(),
        kind: "file".into(),
        parent: None,
        status: AssetStatus::Scanned,
        reason: None,
        stamp,
        bytes_scanned: 10,
        rows_total: None,
        rows_sampled: None,
        evidence,
        ages: vec![],
    }
}

fn evidence(detector: &str, hits: u64) -> Evidence {
    Evidence {
        detector: detector.into(),
        category: "user.contact.email".into(),
        hits,
        distinct_hits: hits,
        sample_size: None,
        best_confidence: 0.9,
        examples: vec!["a***@b.com".into()],
        first_seen: String::new(),
        last_seen: String::new(),
    }
}

fn stamp(size: u64) -> Option<Stamp> {
    Some(Stamp {
        size,
        modified_ns: 1_700_000_000_000_000_000,
        hash: None,
    })
}

/// Starts a scan of `roots` under detector set `set`.
fn begin(store: &mut Store, at: &str, roots: &[String], set: &str) -> i64 {
    store
        .begin_scan(at, roots, &serde_json::json!({}), set)
        .expect("scan")
}

/// One whole scan of `t` under `set`, started at `at`, that records `asset`.
fn scan_once(store: &mut Store, at: &str, finished: &str, set: &str, asset: &AssetRecord) {
    let scan = begin(store, at, &["t".into()], set);
    store.record(scan, at, set, asset).expect("record");
    store
        .finish_scan(scan, finished, ScanTotals::default())
        .expect("finish");
}

#[test]
fn records_accumulate_and_keep_first_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("inv.db");
    let mut store = Store::open(&path).expect("open");
    assert_eq!(store.version().expect("version"), current_version());
    scan_once(
        &mut store,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:01Z",
        "set1",
        &record("t/a.txt", stamp(5), vec![evidence("email", 2)]),
    );
    scan_once(
        &mut store,
        "2026-02-01T00:00:00Z",
        "2026-02-01T00:00:01Z",
        "set1",
        &record("t/a.txt", stamp(6), vec![evidence("email", 3)]),
    );
    drop(store);

    let store = Store::open(&path).expect("reopen");
    let current = store.current().expect("current");
    assert_eq!(current.len(), 1);
    let e = &current[0].evidence[0];
    assert_eq!(e.hits, 3);
    assert_eq!(e.first_seen, "2026-01-01T00:00:00Z");
    assert_eq!(e.last_seen, "2026-02-01T00:00:00Z");
    assert_eq!(current[0].content_scanned_at, "2026-02-01T00:00:00Z");
    assert_eq!(store.scans().expect("scans").len(), 2);
    let known = store.known_files("set1").expect("known");
    assert_eq!(known.get("t/a.txt").map(|s| s.size), Some(6));
    assert!(
        store.known_files("set2").expect("known").is_empty(),
        "another detector set re-reads everything"
    );
}

#[test]
fn deleted_files_drop_out_only_when_gone_and_under_a_scanned_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("share");
    std::fs::create_dir(&root).expect("mkdir");
    let kept = root.join("kept.txt");
    std::fs::write(&kept, "x").expect("write");
    let root_s = root.display().to_string();
    let mut store = Store::open(&dir.path().join("inv.db")).expect("open");
    let s1 = begin(&mut store, "t1", std::slice::from_ref(&root_s), "set");
    for name in ["kept.txt", "gone.txt"] {
        let loc = format!("{root_s}/{name}");
        store
            .record(s1, "t1", "set", &record(&loc, stamp(1), vec![]))
            .expect("record");
    }
    store
        .record(
            s1,
            "t1",
            "set",
            &record("/elsewhere/gone.txt", stamp(1), vec![]),
        )
        .expect("record");
    store
        .finish_scan(s1, "t1", ScanTotals::default())
        .expect("finish");
    let s2 = begin(&mut store, "t2", std::slice::from_ref(&root_s), "set");
    let removed = store
        .remove_missing(s2, std::slice::from_ref(&root_s))
        .expect("remove");
    assert_eq!(
        removed, 1,
        "gone.txt under the root; kept.txt exists; /elsewhere not scanned"
    );
    store
        .finish_scan(s2, "t2", ScanTotals::default())
        .expect("finish");
    let locators: Vec<String> = store
        .current()
        .expect("current")
        .into_iter()
        .map(|a| a.locator)
        .collect();
    assert_eq!(
        locators,
        vec![
            "/elsewhere/gone.txt".to_string(),
            format!("{root_s}/kept.txt")
        ]
    );
}

#[test]
fn foreign_and_newer_databases_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let foreign = dir.path().join("foreign.db");
    {
        let c = rusqlite::Connection::open(&foreign).expect("open");
        c.execute_batch("CREATE TABLE t (x)").expect("create");
    }
    let e = Store::open(&foreign).expect_err("foreign").to_string();
    assert!(e.contains("not a piimap store"), "{e}");

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).expect("create"));
    {
        let c = rusqlite::Connection::open(&newer).expect("open");
        c.execute_batch("PRAGMA user_version = 99").expect("bump");
    }
    let e = Store::open(&newer).expect_err("newer").to_string();
    assert!(e.contains("newer piimap (schema v99"), "{e}");

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 4096]).expect("write");
    let e = Store::open(&junk).expect_err("junk").to_string();
    assert!(
        e.contains("junk.db") && e.contains("not an SQLite database"),
        "{e}"
    );
}
