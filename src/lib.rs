//! warmpath finds warm introduction paths through the contact lists people import.
//!
//! # Layout
//! The modules follow the pipeline of DESIGN.md, in reading order:
//! - [`relationship`]: the relationship vocabulary shared by every stage.
//! - [`taxonomy`]: fields (finance, law, ...), classifying people into them and resolving query text.
pub mod relationship;
pub mod taxonomy;
