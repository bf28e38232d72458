//! Black-box tests of the HTTP API: each test spawns the real application on port 0 over
//! a fresh temporary SQLite file and talks to it with a blocking client.

#![allow(clippy::unwrap_used)]

mod auth;
mod disk_full;
mod errors;
mod helpers;
mod imports;
mod live;
mod operations;
mod page;
mod people;
mod questions;
mod requests;
mod startup;
mod ties;
