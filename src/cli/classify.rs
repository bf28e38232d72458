//! `warmpath classify [--json] < people.csv`: fields for each `title,company` row, with the evidence
//! (DESIGN.md, CLI contract). The logic lives in `taxonomy::classify_csv`; this module only forwards.

use std::io::{Read, Write};

/// Run `warmpath classify`: read the CSV from `input`, write a table (or JSON lines) to `output`.
pub fn run(input: &mut dyn Read, output: &mut dyn Write, json: bool) -> anyhow::Result<()> {
    crate::taxonomy::classify_csv(input, output, json)
}
