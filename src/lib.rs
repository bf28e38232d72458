//! warmpath finds warm introduction paths through the contact lists people import.
//!
//! # Layout
//! The modules follow the pipeline of DESIGN.md, in reading order:
//! - [`relationship`]: the relationship vocabulary shared by every stage.
pub mod relationship;
