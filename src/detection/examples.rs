//! Checking every detector against its own `examples` and `negative_examples`.

use super::Engine;

/// An example that did not behave as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// Detector id.
    pub detector: String,
    /// Where the detector was defined.
    pub origin: String,
    /// The example text.
    pub example: String,
    /// True for a positive example that was not found; false for a negative one that was.
    pub missed: bool,
}

/// Scans each detector's examples with the whole engine (so that overlaps with other
/// detectors count) and returns every example that is missed or wrongly found.
pub fn check(engine: &Engine) -> Vec<ExampleFailure> {
    let mut scratch = engine.scratch();
    let mut failures = Vec::new();
    for (i, d) in engine.detectors().iter().enumerate() {
        let mut found = |text: &str| {
            engine.scan(text.as_bytes(), 0..text.len(), &mut scratch);
            scratch.hits().iter().any(|h| usize::from(h.detector) == i)
        };
        let cases = d
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(d.negative_examples.iter().map(|e| (e, false)));
        for (example, positive) in cases {
            if found(example) != positive {
                failures.push(ExampleFailure {
                    detector: d.id.to_string(),
                    origin: d.origin.clone(),
                    example: example.clone(),
                    missed: positive,
                });
            }
        }
    }
    failures
}
