//! The detector catalogue: built-in detector files plus user files, parsed and checked.

use std::path::Path;
use std::sync::Arc;

use regex_syntax::hir::Hir;

use super::analyze;
use super::lists;
use super::mask::MaskStyle;
use super::spec::{DetectorFile, DetectorSpec};
use super::validate::{self, ValidatorFn};
use crate::error::{DetectorError, Error, Result};

include!(concat!(env!("OUT_DIR"), "/builtin_detectors.rs"));

/// Longest match a pattern may produce. Bounding matches keeps chunk overlaps small and exact.
pub const MAX_PATTERN_LEN: usize = 1024;
/// Largest context or keyword window, in bytes.
pub const MAX_WINDOW: usize = 512;

/// A checked, ready-to-compile detector.
#[derive(Debug, Clone)]
pub struct Detector {
    /// Stable identifier (shared with every finding of the detector).
    pub id: Arc<str>,
    /// Human-readable name.
    pub name: String,
    /// Data category key (shared with every finding of the detector).
    pub category: Arc<str>,
    /// Longer description.
    pub description: String,
    /// Base confidence.
    pub confidence: f32,
    /// Named validator, if any.
    pub validator: Option<(String, ValidatorFn)>,
    /// Masking style.
    pub mask: MaskStyle,
    /// Prefilter keywords (lower-cased).
    pub keywords: Vec<String>,
    /// Keyword distance limit; 0 means inside the match.
    pub keyword_window: usize,
    /// Built-in prefilter (`capitalised`, `name_words`), if any.
    pub prefilter: Option<Prefilter>,
    /// Patterns.
    pub patterns: Vec<Pattern>,
    /// Context rules.
    pub context: Context,
    /// Positive examples.
    pub examples: Vec<String>,
    /// Negative examples.
    pub negative_examples: Vec<String>,
    /// Where the definition came from (`builtin:email.toml` or a path).
    pub origin: String,
}

/// A built-in prefilter a detector may ask for (`prefilter = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefilter {
    /// Windows around capitalised words.
    Capitalised,
    /// Windows around capitalised words that may belong to a name the `person_name` validator
    /// accepts: known first names and surnames, titles, and their neighbours
    /// ([`crate::detection::validate::may_hold_name_word`]).
    NameWords,
    /// Windows around runs of colons at most five bytes apart that hold `::` or seven colons
    /// (a pattern's `prefilter = "ipv6"`).
    Ipv6,
}

/// A checked pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// Pattern name (shared with every finding of the pattern).
    pub name: Arc<str>,
    /// Source text of the regex, as written (before word lists are expanded).
    pub regex: String,
    /// Parsed form (shared: list-expanded patterns are large, and the engine keeps a copy of
    /// every detector).
    pub hir: Arc<Hir>,
    /// Base confidence of its matches.
    pub confidence: f32,
    /// Longest possible match in bytes.
    pub max_len: usize,
    /// Longest run of ASCII digits that every match contains.
    pub digit_run: usize,
    /// A small set of bytes of which every match contains one (for the byte prefilter).
    pub required_bytes: Option<Vec<u8>>,
    /// Whether the pattern has a capture group named `value` (the reported span).
    pub value_group: bool,
    /// Whether a context word must be present.
    pub require_context: bool,
    /// Whether it must be on the value's own line (or be the field's name).
    pub context_on_line: bool,
    /// Built-in prefilter of this pattern (`ipv6`), if any.
    pub prefilter: Option<Prefilter>,
}

/// Checked context rules (words lower-cased).
#[derive(Debug, Clone)]
pub struct Context {
    /// Words that raise confidence.
    pub words: Vec<String>,
    /// Window on each side, in bytes.
    pub window: usize,
    /// Confidence added when a word is present.
    pub boost: f32,
    /// Whether a word must be present.
    pub required: bool,
    /// Words that suppress a candidate.
    pub negative: Vec<String>,
    /// Field names that suppress the values under them.
    pub negative_fields: Vec<String>,
    /// Detectors whose findings nearby count as context.
    pub detectors: Vec<String>,
}

/// A set of detectors, unique by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    detectors: Vec<Detector>,
}

impl Catalog {
    /// A stable digest of every definition that shapes what the detectors report (patterns,
    /// validators, context, confidences; not examples or descriptions), for telling whether
    /// two scans used the same detector set.
    pub fn digest(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for d in &self.detectors {
            let patterns: Vec<_> = d
                .patterns
                .iter()
                .map(|p| {
                    (
                        &p.name,
                        p.hir.to_string(),
                        p.confidence,
                        p.require_context,
                        p.context_on_line,
                    )
                })
                .collect();
            let text = format!(
                "{}|{}|{}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}\n",
                d.id,
                d.category,
                d.confidence,
                d.validator.as_ref().map(|v| &v.0),
                d.mask,
                d.keywords,
                d.keyword_window,
                patterns,
                d.context,
                d.prefilter
            );
            h.update(text.as_bytes());
        }
        h.digest()
    }

    /// The detectors compiled into the binary.
    pub fn builtin() -> Result<Catalog> {
        let mut catalog = Catalog::default();
        for (name, text) in BUILTIN_DETECTORS {
            catalog.add_file(&format!("builtin:{name}"), text)?;
        }
        Ok(catalog)
    }

    /// Adds (or, by id, replaces) the detectors of every `*.toml` file in `dir`.
    pub fn load_dir(&mut self, dir: &Path) -> Result<()> {
        let io_err = |source| Error::DetectorIo {
            path: dir.to_path_buf(),
            source,
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io_err)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io_err)?;
        files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::DetectorIo {
                path: path.clone(),
                source,
            })?;
            self.add_file(&path.display().to_string(), &text)?;
        }
        Ok(())
    }

    /// Parses one detector file. Detectors with an id already present replace the old ones;
    /// the same id twice in one file is an error.
    pub fn add_file(&mut self, origin: &str, text: &str) -> Result<()> {
        let err = |detector: &str, field: &str, message: String| DetectorError {
            file: origin.to_string(),
            detector: detector.to_string(),
            field: field.to_string(),
            message,
        };
        let table: toml::Table =
            toml::from_str(text).map_err(|e| err("?", "?", e.to_string().trim().to_string()))?;
        for key in table.keys() {
            if key != "detector" {
                return Err(err(
                    "?",
                    key,
                    "unknown top-level key; expected `[[detector]]`".into(),
                )
                .into());
            }
        }
        let file: DetectorFile = DetectorFile {
            detectors: match table.get("detector") {
                None => Vec::new(),
                Some(toml::Value::Array(items)) => {
                    let mut specs = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let id = item
                            .get("id")
                            .and_then(|v| v.as_str())
                            .map_or_else(|| format!("#{}", i + 1), str::to_string);
                        let spec: DetectorSpec = serde_path_to_error::deserialize(item.clone())
                            .map_err(|e| {
                                let field = e.path().to_string();
                                err(&id, &field, e.into_inner().to_string())
                            })?;
                        specs.push(spec);
                    }
                    specs
                }
                Some(_) => {
                    return Err(err(
                        "?",
                        "detector",
                        "must be an array of tables `[[detector]]`".into(),
                    )
                    .into());
                }
            },
        };
        let mut seen_here = Vec::new();
        for spec in file.detectors {
            if seen_here.contains(&spec.id) {
                return Err(err(&spec.id, "id", "defined twice in this file".into()).into());
            }
            seen_here.push(spec.id.clone());
            let detector = check(origin, spec)?;
            match self.detectors.iter_mut().find(|d| d.id == detector.id) {
                Some(slot) => *slot = detector,
                None => self.detectors.push(detector),
            }
        }
        Ok(())
    }

    /// The detectors, in definition order.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// Keeps only the detectors for which `keep` returns true.
    pub fn retain(&mut self, keep: impl FnMut(&Detector) -> bool) {
        self.detectors.retain(keep);
    }
}

fn check(origin: &str, spec: DetectorSpec) -> Result<Detector, DetectorError> {
    let id = spec.id.clone();
    let err = |field: &str, message: String| DetectorError {
        file: origin.to_string(),
        detector: id.clone(),
        field: field.to_string(),
        message,
    };
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(err(
            "id",
            "must be non-empty and use only a-z, 0-9 and _".into(),
        ));
    }
    if spec.category.is_empty() {
        return Err(err("category", "must not be empty".into()));
    }
    check_unit(spec.confidence).map_err(|m| err("confidence", m))?;
    check_unit(spec.context.boost).map_err(|m| err("context.boost", m))?;
    let validator = match spec.validator {
        None => None,
        Some(name) => match validate::lookup(&name) {
            Some(f) => Some((name, f)),
            None => {
                return Err(err(
                    "validator",
                    format!(
                        "unknown validator `{name}`; known: {}",
                        validate::names().join(", ")
                    ),
                ));
            }
        },
    };
    let mask = MaskStyle::from_name(&spec.mask).ok_or_else(|| {
        err(
            "mask",
            format!(
                "unknown mask `{}`; known: {}",
                spec.mask,
                MaskStyle::NAMES.join(", ")
            ),
        )
    })?;
    let keywords = expanded_words(&spec.keywords).map_err(|m| err("keywords", m))?;
    let prefilter = match spec.prefilter.as_deref() {
        None => None,
        Some("capitalised") => Some(Prefilter::Capitalised),
        Some("name_words") => Some(Prefilter::NameWords),
        Some(other) => {
            return Err(err(
                "prefilter",
                format!("unknown prefilter `{other}`; known: capitalised, name_words"),
            ));
        }
    };
    if spec.keyword_window > MAX_WINDOW {
        return Err(err("keyword_window", format!("at most {MAX_WINDOW} bytes")));
    }
    if spec.context.window > MAX_WINDOW {
        return Err(err("context.window", format!("at most {MAX_WINDOW} bytes")));
    }
    let words = expanded_words(&spec.context.words).map_err(|m| err("context.words", m))?;
    let negative =
        expanded_words(&spec.context.negative).map_err(|m| err("context.negative", m))?;
    let negative_fields = expanded_words(&spec.context.negative_fields)
        .map_err(|m| err("context.negative_fields", m))?;
    if spec.context.required && words.is_empty() && spec.context.detectors.is_empty() {
        return Err(err(
            "context.required",
            "required context needs at least one word".into(),
        ));
    }
    if spec.patterns.is_empty() {
        return Err(err(
            "pattern",
            "at least one `[[detector.pattern]]` is needed".into(),
        ));
    }
    let mut patterns = Vec::with_capacity(spec.patterns.len());
    for (i, p) in spec.patterns.into_iter().enumerate() {
        let field = |f: &str| format!("pattern[{i}].{f}");
        let regex = lists::expand_regex(&p.regex).map_err(|m| err(&field("regex"), m))?;
        let hir = analyze::parse(&regex).map_err(|m| err(&field("regex"), m))?;
        let props = hir.properties();
        let max_len = match props.maximum_len() {
            Some(n) if n <= MAX_PATTERN_LEN => n,
            _ => {
                return Err(err(
                    &field("regex"),
                    format!(
                        "matches may be longer than {MAX_PATTERN_LEN} bytes; bound every \
                         repetition (write {{1,64}} instead of + or *)"
                    ),
                ));
            }
        };
        if props.minimum_len().unwrap_or(0) == 0 {
            return Err(err(
                &field("regex"),
                "must not match the empty string".into(),
            ));
        }
        let confidence = p.confidence.unwrap_or(spec.confidence);
        check_unit(confidence).map_err(|m| err(&field("confidence"), m))?;
        let digit_run = analyze::min_digit_run(&hir);
        let value_group = analyze::has_group(&hir, "value");
        let required_bytes = analyze::required_bytes(&hir);
        let require_context =
            p.require_context.unwrap_or(spec.context.required) || p.context_on_line;
        let pattern_prefilter = match p.prefilter.as_deref() {
            None => None,
            Some("ipv6") => Some(Prefilter::Ipv6),
            Some(other) => {
                return Err(err(
                    &field("prefilter"),
                    format!("unknown pattern prefilter `{other}`; known: ipv6"),
                ));
            }
        };
        if require_context && words.is_empty() && spec.context.detectors.is_empty() {
            return Err(err(
                &field("require_context"),
                "required context needs `context.words`".into(),
            ));
        }
        patterns.push(Pattern {
            name: p.name.into(),
            regex: p.regex,
            hir: Arc::new(hir),
            confidence,
            max_len,
            digit_run,
            required_bytes,
            value_group,
            require_context,
            context_on_line: p.context_on_line,
            prefilter: pattern_prefilter,
        });
    }
    Ok(Detector {
        id: spec.id.into(),
        name: spec.name,
        category: spec.category.into(),
        description: spec.description,
        confidence: spec.confidence,
        validator,
        mask,
        keywords,
        keyword_window: spec.keyword_window,
        prefilter,
        patterns,
        context: Context {
            words,
            window: spec.context.window,
            boost: spec.context.boost,
            required: spec.context.required,
            negative,
            negative_fields,
            detectors: spec.context.detectors,
        },
        examples: spec.examples,
        negative_examples: spec.negative_examples,
        origin: origin.to_string(),
    })
}

fn check_unit(x: f32) -> Result<(), String> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(format!("{x} is not within 0..=1"))
    }
}

/// Expands `@list` entries ([`lists::expand_words`]) and lower-cases every word. A word of
/// several words (`ni number`) also matches as a key or column name (`ni_number`).
fn expanded_words(words: &[String]) -> Result<Vec<String>, String> {
    let mut words = lists::expand_words(words)?;
    let joined: Vec<String> = words
        .iter()
        .filter(|w| w.contains(' '))
        .map(|w| w.replace(' ', "_"))
        .collect();
    words.extend(joined);
    words
        .iter()
        .map(|w| {
            if w.trim().trim_end_matches('*').is_empty() {
                Err("empty word".to_string())
            } else {
                Ok(w.to_lowercase())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[detector]]
id = "thing"
name = "Thing"
category = "user.contact"
confidence = 0.5
[[detector.pattern]]
name = "p"
regex = 'T\d{4}'
"#;

    fn load(text: &str) -> Result<Catalog> {
        let mut c = Catalog::default();
        c.add_file("test.toml", text)?;
        Ok(c)
    }

    fn error_of(text: &str) -> String {
        load(text).expect_err("should be rejected").to_string()
    }

    #[test]
    fn builtin_catalogue_loads() {
        let c = Catalog::builtin().expect("built-in detectors are valid");
        assert!(c.detectors().iter().any(|d| &*d.id == "email"));
    }

    #[test]
    fn good_file_loads_and_analyses_patterns() {
        let c = load(GOOD).expect("valid");
        let p = &c.detectors()[0].patterns[0];
        assert_eq!((p.max_len, p.digit_run), (5, 4));
    }

    #[test]
    fn errors_name_file_detector_and_field() {
        let e = error_of(&GOOD.replace("confidence = 0.5", "confidence = 1.5"));
        assert!(
            e.contains("test.toml") && e.contains("`thing`") && e.contains("`confidence`"),
            "{e}"
        );

        let e = error_of(&GOOD.replace(r"T\d{4}", r"T\d+"));
        assert!(e.contains("pattern[0].regex") && e.contains("bound"), "{e}");

        let e = error_of(&GOOD.replace(r"T\d{4}", r"T(\d"));
        assert!(e.contains("pattern[0].regex"), "{e}");

        let e = error_of(&GOOD.replace("name = \"p\"", "name = \"p\"\nprefilter = \"ipv4\""));
        assert!(
            e.contains("pattern[0].prefilter") && e.contains("unknown pattern prefilter `ipv4`"),
            "{e}"
        );

        let e = error_of(&GOOD.replace("name = \"p\"", "name = \"p\"\nbogus = 1"));
        assert!(e.contains("`thing`") && e.contains("bogus"), "{e}");

        let e =
            error_of(&GOOD.replace("confidence = 0.5", "confidence = 0.5\nvalidator = \"nope\""));
        assert!(
            e.contains("`validator`") && e.contains("unknown validator `nope`"),
            "{e}"
        );

        let e = error_of(&GOOD.replace("category = \"user.contact\"\n", ""));
        assert!(e.contains("`thing`") && e.contains("category"), "{e}");

        let e = error_of("[[detector]\nid=");
        assert!(e.contains("test.toml") && e.contains("line"), "{e}");
    }

    #[test]
    fn later_files_override_by_id() {
        let mut c = load(GOOD).expect("valid");
        c.add_file(
            "other.toml",
            &GOOD.replace("name = \"Thing\"", "name = \"Other\""),
        )
        .expect("valid");
        assert_eq!(c.detectors().len(), 1);
        assert_eq!(c.detectors()[0].name, "Other");
        assert_eq!(c.detectors()[0].origin, "other.toml");
    }
}
