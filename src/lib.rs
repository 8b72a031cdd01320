//! piimap: PII data discovery.
//!
//! The modules follow the data flow: [`source`] (crawl file trees and decode their text) →
//! [`detection`] (declarative detectors, one matching engine) → [`classification`] (categories
//! and sensitivity per asset) → [`report`] (human and machine formats). [`scan`] ties them
//! together.

pub mod classification;
pub mod detection;
pub mod error;
pub mod finding;
pub mod inventory;
pub mod reconcile;
pub mod report;
pub mod ropa;
pub mod scan;
pub mod source;

pub use error::{Error, Result};

/// Helpers shared by unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// A deterministic xorshift generator: each call gives a number below `n` (`n` > 0).
    pub fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        }
    }

    /// `count` byte strings with lengths in `lengths`, of bytes drawn from `alphabet`, the
    /// same for the same `seed`.
    pub fn random_lines(
        seed: u64,
        alphabet: &[u8],
        count: usize,
        lengths: std::ops::Range<usize>,
    ) -> Vec<Vec<u8>> {
        let mut next = numbers(seed);
        (0..count)
            .map(|_| {
                let len = lengths.start + next(lengths.len() as u64) as usize;
                (0..len)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }
}
