//! warmpath finds warm introduction paths through the contact lists people import.
//!
//! # Layout
//! The modules follow the pipeline of DESIGN.md, in reading order:
//! - [`relationship`]: the relationship vocabulary shared by every stage.
//! - [`import`]: bytes in, parsed contact rows out (decode, detect, read every export format).
pub mod import;
pub mod relationship;
