//! Detection: declarative detectors compiled into one matching engine.
//!
//! Data flow: [`catalog`] loads and checks [`spec`] files, [`engine`] compiles them into
//! prefilters and multi-pattern regexes, [`validate`] and [`context`] judge candidates, and
//! [`mask`] turns a hit into evidence that is safe to print.

pub mod analyze;
pub mod catalog;
pub mod context;
pub mod engine;
pub mod examples;
pub mod keywords;
pub mod lists;
pub mod mask;
pub mod name_shapes;
pub mod spec;
pub mod validate;

pub use catalog::{Catalog, Detector};
pub use engine::{Engine, EngineOptions, FieldContext, Hit, Scratch};
