use super::*;
use crate::inventory::{AssetStatus, DataAge, Evidence};

fn ev(detector: &str, category: &str, confidence: f32) -> Evidence {
    Evidence {
        detector: detector.into(),
        category: category.into(),
        hits: 4,
        distinct_hits: 3,
        sample_size: None,
        best_confidence: confidence,
        examples: vec!["x***".into()],
        first_seen: "2026-01-01T00:00:00Z".into(),
        last_seen: "2026-01-01T00:00:00Z".into(),
    }
}

fn file(path: &str, modified: &str, evidence: Vec<Evidence>) -> InventoryAsset {
    InventoryAsset {
        source: "file".into(),
        locator: path.into(),
        kind: "file".into(),
        parent: None,
        status: AssetStatus::Scanned,
        reason: None,
        modified: Some(modified.into()),
        size: Some(10),
        rows_total: None,
        rows_sampled: None,
        content_scanned_at: "2026-11-01T00:00:00Z".into(),
        evidence,
        ages: vec![],
    }
}

const ROPA: &str = "
activities:
  - id: support
    data_categories: [user.contact, user.name]
    systems:
      - files: share/support/**
      - postgres: crm.public.tickets
    retention: P2Y
  - id: hr
    data_categories: [user.financial.bank_account, user.health]
    systems:
      - files: share/hr/**
    retention: P10Y
    retention_from: path
  - id: medical
    data_categories: [user.health]
    special_category_condition: health_care
    systems:
      - files: share/clinic/**
";

fn run(assets: &[InventoryAsset]) -> Reconciliation {
    let taxonomy = Taxonomy::builtin().expect("taxonomy");
    let ropa = Ropa::parse_yaml("r.yaml", ROPA, &taxonomy).expect("ropa");
    let detectable: Vec<String> = vec![
        "user.contact.email".into(),
        "user.financial.bank_account".into(),
        "user.health".into(),
        "user.financial.credit_card".into(),
    ];
    reconcile(
        &ropa,
        assets,
        &[],
        &taxonomy,
        &Rules::builtin().expect("rules"),
        &Settings {
            today: jiff::civil::date(2026, 11, 29),
            min_confidence: 0.5,
            detectable: &detectable,
            store: "s.db".into(),
        },
    )
}

type Key = (String, Option<String>, Option<String>, Option<String>);

fn kinds(r: &Reconciliation) -> Vec<Key> {
    r.gaps
        .iter()
        .map(|g| {
            (
                g.kind.key().to_string(),
                g.activity.clone(),
                g.location.asset.clone().or(g.location.system.clone()),
                g.category.clone(),
            )
        })
        .collect()
}

#[test]
fn every_gap_kind_is_found_and_nothing_else() {
    let assets = vec![
        // Covered by support, declared: no gap. Recent.
        file(
            "x/share/support/t1.txt",
            "2026-10-01T00:00:00Z",
            vec![ev("email", "user.contact.email", 0.9)],
        ),
        // Covered by support, card not declared; and old (mtime 2023 < 2024-11-29).
        file(
            "x/share/support/old.txt",
            "2023-01-01T00:00:00Z",
            vec![ev("credit_card", "user.financial.credit_card", 0.95)],
        ),
        // Low-confidence evidence is ignored: no undocumented gap for it.
        file(
            "x/share/misc/weak.txt",
            "2026-10-01T00:00:00Z",
            vec![ev("phone", "user.contact.phone_number", 0.3)],
        ),
        // Not covered by anything.
        file(
            "x/share/marketing/list.csv",
            "2026-10-01T00:00:00Z",
            vec![ev("email", "user.contact.email", 0.9)],
        ),
        // hr: path date 2012 < 2016-11-29 → retention breach; health without Art. 9 condition.
        file(
            "x/share/hr/2012/payroll.csv",
            "2026-10-01T00:00:00Z",
            vec![
                ev("iban", "user.financial.bank_account", 0.9),
                ev("health", "user.health", 0.8),
            ],
        ),
        // medical: health with a condition: no gap. Declares health, found.
        file(
            "x/share/clinic/notes.txt",
            "2026-10-01T00:00:00Z",
            vec![ev("health", "user.health", 0.8)],
        ),
    ];
    let r = run(&assets);
    let got = kinds(&r);
    let expect = vec![
        (
            "special_category_without_condition",
            Some("hr"),
            Some("x/share/hr/2012/payroll.csv"),
            Some("user.health"),
        ),
        (
            "retention_breach",
            Some("support"),
            Some("files: share/support/**"),
            Some("user.financial.credit_card"),
        ),
        (
            "undeclared_category",
            Some("support"),
            Some("x/share/support/old.txt"),
            Some("user.financial.credit_card"),
        ),
        (
            "retention_breach",
            Some("hr"),
            Some("files: share/hr/**"),
            None,
        ),
        (
            "undocumented_location",
            None,
            Some("x/share/marketing/list.csv"),
            Some("user.contact.email"),
        ),
        (
            "not_scanned",
            Some("support"),
            Some("postgres: crm.public.tickets"),
            None,
        ),
        (
            "declared_not_found",
            Some("support"),
            Some("files: share/support/**; postgres: crm.public.tickets"),
            Some("user.name"),
        ),
    ];
    let expect: Vec<_> = expect
        .into_iter()
        .map(|(k, a, l, c)| {
            (
                k.to_string(),
                a.map(String::from),
                l.map(String::from),
                c.map(String::from),
            )
        })
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut expect_sorted = expect.clone();
    expect_sorted.sort();
    assert_eq!(got_sorted, expect_sorted, "{got:#?}");

    let hr = r
        .gaps
        .iter()
        .find(|g| g.kind == GapKind::RetentionBreach && g.activity.as_deref() == Some("hr"))
        .expect("hr breach");
    assert_eq!(hr.severity, Severity::Critical, "health data in breach");
    assert_eq!(hr.evidence.oldest.as_deref(), Some("2012-12-31"));
    assert_eq!(hr.evidence.cutoff.as_deref(), Some("2016-11-29"));
    assert_eq!(hr.evidence.exceeded_by_days, Some(1429));
    let name = r
        .gaps
        .iter()
        .find(|g| g.kind == GapKind::DeclaredNotFound)
        .expect("declared");
    assert_eq!(
        name.severity,
        Severity::Info,
        "no detector for user.name here"
    );
    assert!(name.evidence.undetectable);
    assert_eq!(r.gaps[0].severity, Severity::Critical, "most severe first");
    assert_eq!(r.summary.assets_with_pii, 5);
    assert_eq!(r.summary.activities_clean, 1, "medical");
}

#[test]
fn column_ages_and_partitions() {
    let mut table = file(
        "crm.public.tickets",
        "2026-10-01T00:00:00Z",
        vec![ev("email", "user.contact.email", 0.9)],
    );
    table.source = "postgres".into();
    table.kind = "table".into();
    table.modified = None;
    table.ages = vec![DataAge {
        basis: "column:created_at".into(),
        oldest: Some("2019-05-01T10:00:00Z".into()),
        newest: None,
        records: Some(1200),
        histogram: vec![],
    }];
    let taxonomy = Taxonomy::builtin().expect("taxonomy");
    let ropa = Ropa::parse_yaml(
        "r.yaml",
        "activities:\n  - id: crm\n    data_categories: [user.contact]\n    systems:\n      - postgres: crm.public.*\n    retention: P3Y\n    retention_from: column:created_at\n",
        &taxonomy,
    )
    .expect("ropa");
    let r = reconcile(
        &ropa,
        &[table],
        &[],
        &taxonomy,
        &Rules::builtin().expect("rules"),
        &Settings {
            today: jiff::civil::date(2026, 11, 29),
            min_confidence: 0.5,
            detectable: &[],
            store: "s".into(),
        },
    );
    assert_eq!(r.gaps.len(), 1, "{:#?}", r.gaps);
    let g = &r.gaps[0];
    assert_eq!(g.kind, GapKind::RetentionBreach);
    assert_eq!(g.evidence.records, Some(1200));
    assert_eq!(g.evidence.oldest.as_deref(), Some("2019-05-01"));
}
