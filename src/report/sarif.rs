//! `--format sarif`: SARIF 2.1.0, so code-scanning UIs can show findings.
//!
//! One rule per detector; one result per finding with its file, line, column (in Unicode code
//! points: `columnKind` is `unicodeCodePoints`) and byte offset. The message carries only the
//! masked value. Errors become tool execution notifications. A finding inside a document or
//! archive keeps the file on disk as its artifact, names the inner location (member, part,
//! page, sheet, cell) as a logical location and in `properties.innerLocation`, and its region
//! is relative to that inner text.

use std::io::{self, Write};

use serde_json::json;

use super::{Outcome, ScanMeta, Tool, Writer, to_io};
use crate::finding::{Finding, Location};

/// SARIF writer.
pub struct Sarif<'w> {
    out: Box<dyn Write + 'w>,
    rules: Vec<String>,
    first: bool,
}

impl<'w> Sarif<'w> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Sarif {
            out,
            rules: Vec::new(),
            first: true,
        }
    }
}

/// Percent-encodes a path into a relative URI reference.
pub fn path_to_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(b))
            }
            b'\\' => uri.push('/'),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}

fn level(confidence: f32) -> &'static str {
    if confidence >= 0.8 {
        "error"
    } else {
        "warning"
    }
}

impl Writer for Sarif<'_> {
    fn begin(&mut self, meta: &ScanMeta) -> io::Result<()> {
        let tool = Tool::current();
        self.rules = meta.detectors.iter().map(|d| d.id.clone()).collect();
        let rules: Vec<_> = meta
            .detectors
            .iter()
            .map(|d| {
                json!({
                    "id": d.id,
                    "name": d.name,
                    "shortDescription": {"text": d.name},
                    "fullDescription": {"text": d.description},
                    "properties": {"category": d.category, "tags": ["pii", d.category]},
                })
            })
            .collect();
        let driver = json!({
            "name": tool.name,
            "version": tool.version,
            "semanticVersion": tool.version,
            "informationUri": "https://crates.io/crates/piimap",
            "rules": rules,
        });
        write!(
            self.out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{{\n    \"tool\": {{\"driver\": {driver}}},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": ["
        )
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            let rule_index = self.rules.iter().position(|r| **r == *f.detector);
            let loc = match &f.location {
                Location::File(loc) => loc,
                other => {
                    // A database column: no file, a logical location.
                    let column = f.column.as_ref();
                    let mut location = json!({"logicalLocations": [{"fullyQualifiedName": other.asset(), "kind": "column"}]});
                    if let Location::Parquet(p) = other {
                        // A Parquet column is in a file: the file is the artifact.
                        location["physicalLocation"] =
                            json!({"artifactLocation": {"uri": path_to_uri(&p.path)}});
                    }
                    let result = json!({
                        "ruleId": f.detector,
                        "ruleIndex": rule_index,
                        "level": level(f.confidence),
                        "message": {"text": format!("{} found in column {} ({} of {} values)", f.detector, other.asset(), column.map_or(0, |c| c.hits), column.map_or(0, |c| c.sampled))},
                        "locations": [location],
                        "properties": {"confidence": f.confidence, "category": f.category, "source": other.source(), "column": column},
                    });
                    self.out.write_all(if self.first {
                        b"\n      "
                    } else {
                        b",\n      "
                    })?;
                    self.first = false;
                    serde_json::to_writer(&mut self.out, &result).map_err(to_io)?;
                    continue;
                }
            };
            let inner = loc.inner_display();
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": path_to_uri(&loc.path)},
                    "region": {"startLine": loc.line, "startColumn": loc.column, "byteOffset": loc.offset},
                }
            });
            let mut properties = json!({"confidence": f.confidence, "category": f.category, "testValue": f.test_value});
            if let Some(e) = &f.explain {
                properties["explain"] = json!(e);
            }
            let mut message = format!("{} found: {}", f.detector, f.masked);
            if !inner.is_empty() {
                // Inside a document or archive: the region is relative to that inner text.
                location["logicalLocations"] =
                    json!([{"fullyQualifiedName": inner, "kind": "member"}]);
                properties["innerLocation"] = json!({
                    "inner": loc.inner, "part": loc.part, "page": loc.page, "sheet": loc.sheet,
                    "cell": loc.cell, "columnHeader": loc.column_header,
                });
                message = format!("{message} (in {inner})");
            }
            let result = json!({
                "ruleId": f.detector,
                "ruleIndex": rule_index,
                "level": level(f.confidence),
                "message": {"text": message},
                "locations": [location],
                "properties": properties,
            });
            self.out.write_all(if self.first {
                b"\n      "
            } else {
                b",\n      "
            })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &result).map_err(to_io)?;
        }
        Ok(())
    }

    fn finish(&mut self, outcome: &Outcome) -> io::Result<()> {
        let notifications: Vec<_> = outcome
            .errors
            .iter()
            .map(|e| {
                json!({
                    "level": "error",
                    "message": {"text": format!("{}: {}", e.path, e.reason)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": path_to_uri(&e.path)}}}],
                })
            })
            .collect();
        let invocation =
            json!({"executionSuccessful": true, "toolExecutionNotifications": notifications});
        write!(
            self.out,
            "\n    ],\n    \"invocations\": [{invocation}]\n  }}]\n}}\n"
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            path_to_uri("share/HR docs/ä#1.txt"),
            "share/HR%20docs/%C3%A4%231.txt"
        );
        assert_eq!(path_to_uri("a\\b"), "a/b");
    }
}
