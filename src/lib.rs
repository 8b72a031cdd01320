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
