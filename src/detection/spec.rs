//! The detector file format: what `detectors/*.toml` may contain.
//!
//! A detector follows the Presidio recognizer shape, kept explicit in the data:
//! **patterns** (each with a base confidence) + an optional named **validator** + **context**
//! words that raise, require or suppress a candidate. `examples` and `negative_examples` are
//! checked by `piimap detectors check` and by the test suite.
//!
//! ```toml
//! [[detector]]
//! id = "email"
//! name = "E-mail address"
//! category = "user.contact.email"
//! confidence = 0.9
//! validator = "email"
//! mask = "email"
//! # No `keywords` needed: every match contains `@`, which the engine finds by itself.
//!
//! [[detector.pattern]]
//! name = "address"
//! regex = '[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}'
//!
//! [detector.context]
//! words = ["email*", "e-mail*", "mail"]
//! window = 40
//! boost = 0.1
//!
//! examples = ["Contact: jane.doe@gmail.com"]
//! negative_examples = ["user@localhost"]
//! ```

use serde::Deserialize;

/// One detector file: a list of detectors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorFile {
    /// The detectors defined in this file.
    #[serde(default, rename = "detector")]
    pub detectors: Vec<DetectorSpec>,
}

/// A detector as written in a detector file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    /// Stable identifier, used in output and on the command line (`[a-z0-9_]+`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Data category key from `rules/taxonomy.toml` (for example `user.contact.email`).
    pub category: String,
    /// Longer description, shown by `piimap detectors list --long`.
    #[serde(default)]
    pub description: String,
    /// Base confidence in `0..=1` of a match that passes validation, before context.
    pub confidence: f32,
    /// Name of a validator implemented in Rust (see `piimap detectors list`).
    #[serde(default)]
    pub validator: Option<String>,
    /// Masking style for evidence: `email`, `card`, `ip`, `date`, `last4` or `default`.
    #[serde(default = "default_mask")]
    pub mask: String,
    /// Keywords used as a prefilter: every match must contain one, or have one within
    /// `keyword_window` bytes of it. Same word rules as context words (whole words,
    /// ASCII-case-insensitive, `*` for a stem). Detectors without keywords are prefiltered
    /// automatically by the shape of their patterns.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Maximum distance in bytes between a keyword and the match; 0 means inside the match.
    #[serde(default)]
    pub keyword_window: usize,
    /// A built-in prefilter for detectors whose matches have no digits, rare bytes or keywords:
    /// `"capitalised"` searches only around capitalised words (an ASCII capital followed by a
    /// lower-case letter at the start of a word), which every match must then contain.
    #[serde(default)]
    pub prefilter: Option<String>,
    /// Regular expressions (ASCII mode, byte-oriented) that produce candidates.
    #[serde(rename = "pattern")]
    pub patterns: Vec<PatternSpec>,
    /// Context words around a candidate.
    #[serde(default)]
    pub context: ContextSpec,
    /// Texts in which this detector must report at least one finding.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Texts in which this detector must report nothing.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

fn default_mask() -> String {
    "default".to_string()
}

/// One pattern of a detector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSpec {
    /// Name shown when a finding explains itself (for example `dashed`).
    pub name: String,
    /// The regular expression. Repetitions must be bounded (`{1,64}`, not `+`), so that every
    /// match has a known maximum length; this keeps chunked scanning exact. When it has a
    /// capture group named `value`, that group is the reported value and the rest of the match
    /// only checks what surrounds it (the regex engine has no look-around).
    pub regex: String,
    /// Overrides the detector's base confidence for matches of this pattern.
    #[serde(default)]
    pub confidence: Option<f32>,
    /// Overrides `context.required` for matches of this pattern (weak shapes of an otherwise
    /// strong detector, such as undelimited SSNs or national phone numbers).
    #[serde(default)]
    pub require_context: Option<bool>,
    /// Requires context on the value's own line: a context word there, or the field's name
    /// (shapes too weak for a word on a neighbouring line, such as a bare run of digits as a
    /// phone number). Implies `require_context`.
    #[serde(default)]
    pub context_on_line: bool,
    /// A built-in prefilter for this pattern, when the shape of its matches allows a narrower
    /// one than its bytes: `"ipv6"` searches only around runs of colons at most five bytes
    /// apart that hold `::` or seven colons, which every IPv6 address has (a colon alone is
    /// in every JSON line and log time stamp).
    #[serde(default)]
    pub prefilter: Option<String>,
}

/// Context words around a candidate, Presidio style.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// Words that raise confidence when found within `window` bytes before or after a match.
    /// Matched ASCII-case-insensitively as whole words, where `_`, `-`, punctuation and
    /// camelCase humps are boundaries (`email` matches `user_email` and `userEmail`, not
    /// `emails`); a trailing `*` makes a stem (`birth*` matches `birthdate`).
    #[serde(default)]
    pub words: Vec<String>,
    /// Window in bytes on each side of the match.
    #[serde(default = "default_window")]
    pub window: usize,
    /// Added to the confidence when a context word is present.
    #[serde(default = "default_boost")]
    pub boost: f32,
    /// When true, a candidate without a context word is not reported at all (for weak formats
    /// such as undelimited 9-digit numbers or dates of birth).
    #[serde(default)]
    pub required: bool,
    /// Words that suppress a candidate when found within the window on the candidate's own
    /// line, or inside the match (`version`, `order*`, …); same matching rules as `words`.
    #[serde(default)]
    pub negative: Vec<String>,
    /// Field names that suppress the values under them (a CSV column, a JSON key, a
    /// database or Parquet column), in addition to `negative`, and only there: a job-title
    /// column's `Therapist` is not health data, while "job" near a diagnosis in a letter says
    /// nothing. Same matching rules as `words`.
    #[serde(default)]
    pub negative_fields: Vec<String>,
    /// Ids of other detectors whose findings within the window count as context words (a
    /// person's name next to a health term). Those detectors run first; ids not in the
    /// running catalogue are ignored.
    #[serde(default)]
    pub detectors: Vec<String>,
}

fn default_window() -> usize {
    40
}

fn default_boost() -> f32 {
    0.15
}

impl Default for ContextSpec {
    fn default() -> Self {
        ContextSpec {
            words: Vec::new(),
            window: default_window(),
            boost: default_boost(),
            required: false,
            negative: Vec::new(),
            negative_fields: Vec::new(),
            detectors: Vec::new(),
        }
    }
}
