//! Black-box tests of the `warmpath` binary: each test gets a fresh temporary directory
//! with its own database, and runs the real executable.

#![allow(clippy::unwrap_used)]

mod ask;
mod bench;
mod helpers;
mod import;
mod me;
mod output;
mod people;
mod readme;
mod requests;
