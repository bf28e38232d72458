//! warmpath finds warm introduction paths through the contact lists people import.
//!
//! # Layout
//! The modules follow the pipeline of DESIGN.md, in reading order:
//! - [`relationship`]: the relationship vocabulary shared by every stage.
//! - [`strength`]: the tie-strength formula, alone, with its inputs documented.
//! - [`text`]: folding text for comparison (case, accents, punctuation).
pub mod api;
pub mod ask;
pub mod bench;
pub mod cli;
pub mod config;
pub mod demo;
pub mod graph;
pub mod identity;
pub mod import;
pub mod relationship;
pub mod search;
pub mod startup;
pub mod store;
pub mod strength;
pub mod taxonomy;
pub mod telemetry;
pub mod text;
