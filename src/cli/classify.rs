//! `warmpath classify [--json] < people.csv`: fields for each `title,company` row, with the evidence
//! (DESIGN.md, CLI contract). The logic lives in `taxonomy::classify_csv`; this module only forwards.

use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object per input row instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `warmpath classify` on standard input and output.
pub fn run_stdio(args: Args) -> anyhow::Result<ExitCode> {
    let mut output = std::io::stdout().lock();
    run(&mut std::io::stdin().lock(), &mut output, args.json)?;
    output.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Run `warmpath classify`: read the CSV from `input`, write a table (or JSON lines) to `output`.
pub fn run(input: &mut dyn Read, output: &mut dyn Write, json: bool) -> anyhow::Result<()> {
    crate::taxonomy::classify_csv(input, output, json)
}
