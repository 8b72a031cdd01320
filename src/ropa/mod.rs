//! The declared side: a Record of Processing Activities (GDPR Art. 30, ISO 27701).
//!
//! A RoPA is read from YAML (JSON is accepted: it is YAML too) or from the common spreadsheet
//! form as CSV ([`csv`]). Every value that can be wrong is checked here, and an error names the
//! file, the line and the field: unknown fields, unknown data categories, malformed retention
//! periods, unknown lawful bases or Art. 9 conditions, system entries that are not exactly one
//! of `files`, `postgres`, `mysql` or `parquet`, duplicate activity ids.
//!
//! See `docs/ropa.md` for the format and `examples/ropa.yaml` for an example.

pub mod csv;
pub mod draft;
mod raw;
pub mod system;

use std::path::Path;

use serde::Serialize;

use crate::classification::Taxonomy;
use crate::error::{Error, Result};

pub use system::{System, SystemKind};

/// A parsed and checked RoPA.
#[derive(Debug, Clone)]
pub struct Ropa {
    /// Where it was read from.
    pub origin: String,
    /// The organisation it describes.
    pub organization: Option<String>,
    /// The processing activities, in file order.
    pub activities: Vec<Activity>,
}

/// One processing activity.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    /// Stable id, unique within the RoPA.
    pub id: String,
    /// Human-readable name (the id when absent).
    pub name: String,
    /// Controller, processor or joint controller.
    pub role: Role,
    /// Purposes of the processing.
    pub purposes: Vec<String>,
    /// Art. 6(1) lawful basis.
    pub lawful_basis: Option<LawfulBasis>,
    /// Art. 9(2) condition, required when special categories are processed.
    pub special_category_condition: Option<Art9Condition>,
    /// Categories of data subjects.
    pub data_subjects: Vec<String>,
    /// Declared data categories (taxonomy keys; a parent covers its children).
    pub data_categories: Vec<String>,
    /// Where the data is held.
    pub systems: Vec<System>,
    /// How long the data may be kept.
    pub retention: Option<Retention>,
    /// What the retention period counts from.
    pub retention_from: RetentionFrom,
    /// Line of the activity in its file.
    pub line: u64,
}

impl Activity {
    /// Whether this activity declares `category` (itself or a parent of it).
    pub fn declares(&self, category: &str) -> bool {
        self.data_categories
            .iter()
            .any(|d| Taxonomy::covers(d, category))
    }
}

/// The role of the organisation in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Controller (the default).
    Controller,
    /// Processor on behalf of a controller.
    Processor,
    /// Joint controller.
    JointController,
}

/// Art. 6(1) lawful bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    /// (a) consent.
    Consent,
    /// (b) performance of a contract.
    Contract,
    /// (c) legal obligation.
    LegalObligation,
    /// (d) vital interests.
    VitalInterests,
    /// (e) public task.
    PublicTask,
    /// (f) legitimate interests.
    LegitimateInterests,
}

const LAWFUL_BASES: &[(&str, LawfulBasis)] = &[
    ("consent", LawfulBasis::Consent),
    ("contract", LawfulBasis::Contract),
    ("legal_obligation", LawfulBasis::LegalObligation),
    ("vital_interests", LawfulBasis::VitalInterests),
    ("public_task", LawfulBasis::PublicTask),
    ("legitimate_interests", LawfulBasis::LegitimateInterests),
];

/// Art. 9(2) conditions for processing special categories, by their letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Art9Condition {
    /// (a) explicit consent.
    ExplicitConsent,
    /// (b) employment, social security and social protection law.
    Employment,
    /// (c) vital interests.
    VitalInterests,
    /// (d) not-for-profit bodies.
    NotForProfit,
    /// (e) made public by the data subject.
    MadePublic,
    /// (f) legal claims.
    LegalClaims,
    /// (g) substantial public interest.
    SubstantialPublicInterest,
    /// (h) health or social care.
    HealthCare,
    /// (i) public health.
    PublicHealth,
    /// (j) archiving, research and statistics.
    Archiving,
}

const ART9_CONDITIONS: &[(&str, &str, Art9Condition)] = &[
    ("explicit_consent", "a", Art9Condition::ExplicitConsent),
    ("employment", "b", Art9Condition::Employment),
    ("vital_interests", "c", Art9Condition::VitalInterests),
    ("not_for_profit", "d", Art9Condition::NotForProfit),
    ("made_public", "e", Art9Condition::MadePublic),
    ("legal_claims", "f", Art9Condition::LegalClaims),
    (
        "substantial_public_interest",
        "g",
        Art9Condition::SubstantialPublicInterest,
    ),
    ("health_care", "h", Art9Condition::HealthCare),
    ("public_health", "i", Art9Condition::PublicHealth),
    ("archiving", "j", Art9Condition::Archiving),
];

/// A retention period (ISO-8601 duration such as `P2Y` or `P6M`).
#[derive(Debug, Clone, Serialize)]
pub struct Retention {
    /// The duration as written.
    pub text: String,
    /// The parsed duration.
    #[serde(skip)]
    pub span: jiff::Span,
}

impl Retention {
    /// The date before which data is older than this period, counted back from `today`.
    pub fn cutoff(&self, today: jiff::civil::Date) -> Option<jiff::civil::Date> {
        today.checked_sub(self.span).ok()
    }
}

/// What a retention period counts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionFrom {
    /// The file's modification time (the default).
    Mtime,
    /// A date in the path (`2019/03/`, `2019-03-14`, `export_20190314.csv`).
    Path,
    /// A Hive-style partition key in the path (`dt=2019-03-01`, `year=2019/month=03`).
    Partition(String),
    /// A date or timestamp column of the table or dataset (`created_at`).
    Column(String),
}

impl std::fmt::Display for RetentionFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetentionFrom::Mtime => f.write_str("mtime"),
            RetentionFrom::Path => f.write_str("path"),
            RetentionFrom::Partition(k) => write!(f, "partition:{k}"),
            RetentionFrom::Column(c) => write!(f, "column:{c}"),
        }
    }
}

/// A value with the line it was read from.
#[derive(Debug, Clone)]
pub(crate) struct At<T> {
    pub value: T,
    pub line: u64,
}

/// An activity as read, before checking (shared by the YAML and CSV readers).
#[derive(Debug, Clone, Default)]
pub(crate) struct Unchecked {
    pub line: u64,
    pub id: Option<At<String>>,
    pub name: Option<String>,
    pub role: Option<At<String>>,
    pub purposes: Vec<String>,
    pub lawful_basis: Option<At<String>>,
    pub special_category_condition: Option<At<String>>,
    pub data_subjects: Vec<String>,
    pub data_categories: Vec<At<String>>,
    /// `(kind, glob)` pairs.
    pub systems: Vec<At<(String, String)>>,
    pub retention: Option<At<String>>,
    pub retention_from: Option<At<String>>,
}

impl Ropa {
    /// Reads a RoPA file: CSV by its `.csv` extension, YAML (or JSON) otherwise.
    pub fn load(path: &Path, taxonomy: &Taxonomy) -> Result<Ropa> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Ropa {
            file: origin.clone(),
            line: 0,
            field: String::new(),
            message: format!("cannot read: {e}"),
        })?;
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            Ropa::parse_csv(&origin, &text, taxonomy)
        } else {
            Ropa::parse_yaml(&origin, &text, taxonomy)
        }
    }

    /// Parses YAML (or JSON) text.
    pub fn parse_yaml(origin: &str, text: &str, taxonomy: &Taxonomy) -> Result<Ropa> {
        let (organization, activities) = raw::parse(origin, text)?;
        check(origin, organization, activities, taxonomy)
    }

    /// Parses the spreadsheet form (see [`csv`]).
    pub fn parse_csv(origin: &str, text: &str, taxonomy: &Taxonomy) -> Result<Ropa> {
        let activities = csv::parse(origin, text)?;
        check(origin, None, activities, taxonomy)
    }

    /// Activities whose systems cover an asset.
    pub fn covering<'a>(
        &'a self,
        source: &'a str,
        locator: &'a str,
    ) -> impl Iterator<Item = &'a Activity> + 'a {
        self.activities
            .iter()
            .filter(move |a| a.systems.iter().any(|s| s.covers(source, locator)))
    }
}

fn err(origin: &str, line: u64, field: &str, message: String) -> Error {
    Error::Ropa {
        file: origin.to_string(),
        line,
        field: field.to_string(),
        message,
    }
}

/// Lower-cases and turns spaces and hyphens into underscores (`Legal obligation` →
/// `legal_obligation`).
fn normalise(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn check(
    origin: &str,
    organization: Option<String>,
    unchecked: Vec<Unchecked>,
    taxonomy: &Taxonomy,
) -> Result<Ropa> {
    let mut activities: Vec<Activity> = Vec::with_capacity(unchecked.len());
    for (i, u) in unchecked.into_iter().enumerate() {
        let field = |name: &str| format!("activities[{i}].{name}");
        let id = match u.id {
            Some(id) if !id.value.trim().is_empty() => id,
            Some(id) => return Err(err(origin, id.line, &field("id"), "empty id".into())),
            None => {
                return Err(err(
                    origin,
                    u.line,
                    &field("id"),
                    "missing: every activity needs an id".into(),
                ));
            }
        };
        if let Some(first) = activities.iter().find(|a| a.id == id.value) {
            return Err(err(
                origin,
                id.line,
                &field("id"),
                format!(
                    "duplicate id `{}` (first used on line {})",
                    id.value, first.line
                ),
            ));
        }
        let role = match &u.role {
            None => Role::Controller,
            Some(r) => match normalise(&r.value).as_str() {
                "controller" => Role::Controller,
                "processor" => Role::Processor,
                "joint_controller" => Role::JointController,
                other => {
                    return Err(err(
                        origin,
                        r.line,
                        &field("role"),
                        format!(
                            "unknown role `{other}` (expected controller, processor or joint_controller)"
                        ),
                    ));
                }
            },
        };
        let lawful_basis = match &u.lawful_basis {
            None => None,
            Some(b) => {
                let n = normalise(&b.value);
                match LAWFUL_BASES.iter().find(|(name, _)| *name == n) {
                    Some((_, basis)) => Some(*basis),
                    None => {
                        return Err(err(
                            origin,
                            b.line,
                            &field("lawful_basis"),
                            format!(
                                "unknown lawful basis `{}` (expected one of {})",
                                b.value,
                                LAWFUL_BASES
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
        };
        let special_category_condition = match &u.special_category_condition {
            None => None,
            Some(c) => Some(parse_art9(&c.value).ok_or_else(|| {
                err(
                    origin,
                    c.line,
                    &field("special_category_condition"),
                    format!(
                        "unknown Art. 9(2) condition `{}` (expected a letter a–j or one of {})",
                        c.value,
                        ART9_CONDITIONS
                            .iter()
                            .map(|(n, _, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?),
        };
        let mut data_categories = Vec::new();
        for (j, c) in u.data_categories.iter().enumerate() {
            let key = c.value.trim();
            if taxonomy.get(key).is_none() {
                return Err(err(
                    origin,
                    c.line,
                    &field(&format!("data_categories[{j}]")),
                    format!(
                        "unknown data category `{key}`{}",
                        suggest(key, taxonomy)
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default()
                    ),
                ));
            }
            data_categories.push(key.to_string());
        }
        let mut systems = Vec::new();
        for (j, s) in u.systems.iter().enumerate() {
            let (kind, glob) = &s.value;
            systems.push(
                System::new(kind, glob, s.line)
                    .map_err(|m| err(origin, s.line, &field(&format!("systems[{j}]")), m))?,
            );
        }
        let retention = match &u.retention {
            None => None,
            Some(r) => Some(Retention {
                span: parse_retention(&r.value)
                    .map_err(|m| err(origin, r.line, &field("retention"), m))?,
                text: r.value.trim().to_string(),
            }),
        };
        let retention_from = match &u.retention_from {
            None => RetentionFrom::Mtime,
            Some(r) => parse_retention_from(&r.value)
                .map_err(|m| err(origin, r.line, &field("retention_from"), m))?,
        };
        activities.push(Activity {
            name: u.name.unwrap_or_else(|| id.value.clone()),
            id: id.value,
            role,
            purposes: u.purposes,
            lawful_basis,
            special_category_condition,
            data_subjects: u.data_subjects,
            data_categories,
            systems,
            retention,
            retention_from,
            line: u.line,
        });
    }
    Ok(Ropa {
        origin: origin.to_string(),
        organization,
        activities,
    })
}

fn parse_art9(s: &str) -> Option<Art9Condition> {
    let n = normalise(s);
    // Accept `h`, `9(2)(h)`, `art_9_2_h`, `art9(2)(h)` as well as the names.
    let letter = n
        .trim_start_matches("art")
        .trim_start_matches('_')
        .trim_start_matches("9")
        .trim_start_matches(['(', '_', '.'])
        .trim_start_matches('2')
        .trim_start_matches([')', '(', '_', '.'])
        .trim_end_matches(')');
    ART9_CONDITIONS
        .iter()
        .find(|(name, l, _)| *name == n || (n.len() <= 12 && *l == letter))
        .map(|(_, _, c)| *c)
}

/// Parses an ISO-8601 duration of calendar units (`P2Y`, `P18M`, `P90D`, `P1Y6M`).
fn parse_retention(s: &str) -> std::result::Result<jiff::Span, String> {
    let t = s.trim();
    let span: jiff::Span = t.parse().map_err(|e| {
        format!("`{t}` is not an ISO-8601 duration such as P2Y, P6M or P90D, nor a span such as `2 years` ({e})")
    })?;
    if span.is_negative() || span.is_zero() {
        return Err(format!("`{t}`: the retention period must be positive"));
    }
    Ok(span)
}

fn parse_retention_from(s: &str) -> std::result::Result<RetentionFrom, String> {
    let t = s.trim();
    let (head, arg) = match t.split_once(':') {
        Some((h, a)) => (h.trim(), Some(a.trim())),
        None => (t, None),
    };
    match (head, arg) {
        ("mtime", None) => Ok(RetentionFrom::Mtime),
        ("path", None) => Ok(RetentionFrom::Path),
        ("column", Some(c)) if !c.is_empty() => Ok(RetentionFrom::Column(c.to_string())),
        ("partition", Some(k)) if !k.is_empty() => Ok(RetentionFrom::Partition(k.to_string())),
        _ => Err(format!(
            "`{t}`: expected mtime, path, column:<name> or partition:<key>"
        )),
    }
}

/// The taxonomy key most like `key` (Jaro-Winkler similarity of at least 0.85), for a
/// "did you mean" hint.
fn suggest<'a>(key: &str, taxonomy: &'a Taxonomy) -> Option<&'a str> {
    taxonomy
        .keys()
        .map(|k| (strsim::jaro_winkler(key, k), k))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests;
