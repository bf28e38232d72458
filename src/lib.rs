//! warmpath finds warm introduction paths through the contact lists people import.
//!
//! # Layout
//! The modules follow the pipeline of DESIGN.md, in reading order:
//! - [`relationship`]: the relationship vocabulary shared by every stage.
//! - [`text`]: folding text for comparison (case, accents, punctuation).
//! - [`import`]: bytes in, parsed contact rows out (decode, detect, read every export format).
//! - [`identity`]: who is the same person (email, profile URL, name + company).
//! - [`taxonomy`]: fields, classification from title and company, query text to fields.
//! - [`strength`]: the tie-strength formula, alone, with its inputs documented.
//! - [`store`]: SQLite, the source of truth; one transaction per import.
//! - [`graph`]: the immutable, read-optimised snapshot searched by queries.
//! - [`search`]: introducers and paths on a snapshot.
//! - [`ask`]: questions in, DESIGN's introducers and paths bodies out.
//! - [`requests`]: introduction requests: drafts, states, follow-ups.
//! - [`config`], [`telemetry`]: settings and logging.
//! - [`demo`]: the demo network shipped in `data/demo/`.
//! - [`mod@bench`]: the shared benchmark's timing loop.
//! - [`api`], [`startup`]: the JSON HTTP API and the server that runs it.
//! - [`cli`]: the `warmpath` command line.
pub mod api;
pub mod ask;
pub mod bench;
pub mod cli;
pub mod config;
pub mod demo;
pub mod graph;
pub mod identity;
pub mod import;
pub mod live;
pub mod relationship;
pub mod requests;
pub mod search;
pub mod startup;
pub mod store;
pub mod strength;
pub mod taxonomy;
pub mod telemetry;
pub mod text;
