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
}
