use super::*;

fn taxonomy() -> Taxonomy {
    Taxonomy::builtin().expect("taxonomy")
}

fn parse(text: &str) -> Result<Ropa> {
    Ropa::parse_yaml("ropa.yaml", text, &taxonomy())
}

fn error(text: &str) -> String {
    parse(text).expect_err("must fail").to_string()
}

const GOOD: &str = "\
organization: Example Ltd
activities:
  - id: support
    name: Customer support
    role: controller
    purposes: [customer support]
    lawful_basis: contract
    special_category_condition: null
    data_subjects: [customers]
    data_categories: [user.name, user.contact]
    systems:
      - files: \"share/support/**\"
      - postgres: \"crm.public.tickets\"
      - mysql: \"shop.*.orders\"
      - parquet: \"lake/events/**\"
    retention: P2Y
    retention_from: mtime
  - id: payroll
    lawful_basis: Legal obligation
    special_category_condition: \"9(2)(b)\"
    data_categories: [user.financial.bank_account]
    systems:
      - files: hr/payroll/**
    retention: P10Y
    retention_from: path
";

#[test]
fn reads_the_documented_example() {
    let r = parse(GOOD).expect("valid");
    assert_eq!(r.organization.as_deref(), Some("Example Ltd"));
    assert_eq!(r.activities.len(), 2);
    let a = &r.activities[0];
    assert_eq!(a.id, "support");
    assert_eq!(a.line, 3);
    assert_eq!(a.systems.len(), 4);
    assert_eq!(a.systems[1].kind, SystemKind::Postgres);
    assert_eq!(a.lawful_basis, Some(LawfulBasis::Contract));
    assert!(a.special_category_condition.is_none());
    assert!(a.declares("user.contact.email"));
    assert!(!a.declares("user.financial.credit_card"));
    assert_eq!(a.retention.as_ref().map(|r| r.text.as_str()), Some("P2Y"));
    let b = &r.activities[1];
    assert_eq!(b.name, "payroll");
    assert_eq!(b.lawful_basis, Some(LawfulBasis::LegalObligation));
    assert_eq!(
        b.special_category_condition,
        Some(Art9Condition::Employment)
    );
    assert_eq!(b.retention_from, RetentionFrom::Path);
    assert_eq!(r.covering("file", "x/hr/payroll/p.tsv").count(), 1);
}

#[test]
fn json_is_accepted() {
    let json = r#"{"activities": [{"id": "a", "data_categories": ["user.contact.email"],
        "systems": [{"files": "a/**"}], "retention": "P90D"}]}"#;
    let r = parse(json).expect("json is yaml");
    assert_eq!(r.activities[0].systems[0].glob, "a/**");
}

#[test]
fn retention_cutoff_counts_back_in_calendar_units() {
    let r = parse(GOOD).expect("valid");
    let today = jiff::civil::date(2026, 11, 29);
    let cutoff = r.activities[0]
        .retention
        .as_ref()
        .and_then(|r| r.cutoff(today));
    assert_eq!(cutoff, Some(jiff::civil::date(2024, 11, 29)));
}

#[test]
fn errors_name_file_line_and_field() {
    let e = error("activities:\n  - id: a\n    data_categories: [user.contact.emial]\n");
    assert!(e.starts_with("ropa.yaml:3: activities[0].data_categories[0]: unknown data category `user.contact.emial`"), "{e}");
    assert!(e.contains("did you mean `user.contact.email`"), "{e}");

    let e = error("activities:\n  - id: a\n    retention: two years\n");
    assert!(
        e.starts_with("ropa.yaml:3: activities[0].retention:"),
        "{e}"
    );
    assert!(e.contains("ISO-8601"), "{e}");

    let e = error("activities:\n  - id: a\n    lawful_basis: because\n");
    assert!(
        e.contains(":3: activities[0].lawful_basis: unknown lawful basis `because`"),
        "{e}"
    );

    let e = error("activities:\n  - id: a\n    special_category_condition: maybe\n");
    assert!(e.contains("unknown Art. 9(2) condition"), "{e}");

    let e = error(
        "activities:\n  - id: a\n    systems:\n      - files: a/**\n        postgres: x.y.z\n",
    );
    assert!(
        e.contains(":4: activities[0].systems[0]: a system entry has exactly one key"),
        "{e}"
    );

    let e = error("activities:\n  - id: a\n  - id: a\n");
    assert!(
        e.contains(":3: activities[1].id: duplicate id `a` (first used on line 2)"),
        "{e}"
    );

    let e = error("activities:\n  - name: no id\n");
    assert!(e.contains(":2: activities[0].id: missing"), "{e}");

    let e = error("activities:\n  - id: a\n    retention_from: birthday\n");
    assert!(
        e.contains("expected mtime, path, column:<name> or partition:<key>"),
        "{e}"
    );

    let e = error("activities:\n  - id: a\n    colour: blue\n");
    assert!(e.starts_with("ropa.yaml:3"), "unknown field: {e}");
    assert!(e.contains("colour"), "{e}");

    let e = error("activities: [\n");
    assert!(e.starts_with("ropa.yaml:"), "{e}");
}

#[test]
fn csv_form_with_ico_headers() {
    let csv = "\
Ref,Processing activity,Purposes of the processing,Article 6 lawful basis for processing personal data,Article 9 basis for processing special category data,Categories of individuals,Categories of personal data,Location of personal data,Retention schedule,Link to contract
hr-1,Payroll,pay staff,legal obligation,employment,employees,user.financial.bank_account; user.name,\"files: hr/**; postgres: hr.public.*\",P7Y,n/a
mk-1,Newsletter,marketing,consent,none,subscribers,user.contact.email,files: marketing/**,P1Y,
";
    let r = Ropa::parse_csv("ropa.csv", csv, &taxonomy()).expect("valid");
    assert_eq!(r.activities.len(), 2);
    let a = &r.activities[0];
    assert_eq!(
        (a.id.as_str(), a.name.as_str(), a.line),
        ("hr-1", "Payroll", 2)
    );
    assert_eq!(a.systems.len(), 2);
    assert_eq!(
        a.data_categories,
        ["user.financial.bank_account", "user.name"]
    );
    assert_eq!(
        a.special_category_condition,
        Some(Art9Condition::Employment)
    );
    assert!(r.activities[1].special_category_condition.is_none());

    let bad = "id,categories of personal data\nx,user.nope\n";
    let e = Ropa::parse_csv("ropa.csv", bad, &taxonomy())
        .expect_err("bad")
        .to_string();
    assert!(
        e.starts_with("ropa.csv:2: activities[0].data_categories[0]: unknown data category"),
        "{e}"
    );
    let e = Ropa::parse_csv("ropa.csv", "name\nx\n", &taxonomy())
        .expect_err("no id")
        .to_string();
    assert!(e.contains("ropa.csv:1: id: no `id` column"), "{e}");
}
