//! `warmpath import FILE`: apply one contact list and print its report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use crate::identity::PersonRef;
use crate::import::{Format, parse_encoding_label};
use crate::relationship::Relationship;
use crate::store::{ImportReport, ImportRequest, OnError, Source, StoreError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exported file.
    file: PathBuf,
    /// Whose contacts these are: me, a person id, an email or a profile URL.
    #[arg(long, default_value = "me")]
    owner: String,
    /// The owner's relationship to you (family, friend, professor, mentor, colleague, ...).
    #[arg(long)]
    relationship: Option<String>,
    /// The file's format: auto (detected from the header), linkedin, google,
    /// google_legacy, outlook, outlook_web, vcard, contacts (or native), network, generic.
    #[arg(long, default_value = "auto")]
    format: String,
    /// The file's text encoding: auto (guessed), or a label such as utf-8, utf-16le,
    /// utf-16be, windows-1252, iso-8859-1, macintosh, shift_jis.
    #[arg(long, default_value = "auto")]
    encoding: String,
    /// reject: apply nothing when any line is bad; skip: apply the good lines.
    #[arg(long, value_enum, default_value = "reject")]
    on_error: OnError,
    /// The id of an earlier import of the same list that this one replaces.
    #[arg(long)]
    replaces: Option<i64>,
    /// Print the import report as JSON.
    #[arg(long)]
    json: bool,
    /// The workspace: one network with its own "me" and key (a database starts with
    /// `default`).
    #[arg(long, default_value = "default")]
    workspace: String,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let owner = PersonRef::parse(&args.owner).context("--owner")?;
    let relationship = args
        .relationship
        .as_deref()
        .map(str::parse::<Relationship>)
        .transpose()?;
    let format = match args.format.to_ascii_lowercase().as_str() {
        "auto" => None,
        name => Some(Format::parse(name).with_context(|| format!("unknown format {name:?}"))?),
    };
    let encoding = match args.encoding.to_ascii_lowercase().as_str() {
        "auto" => None,
        label => Some(
            parse_encoding_label(label).with_context(|| format!("unknown encoding {label:?}"))?,
        ),
    };
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?
        .len();
    let (mut store, workspace) = super::open(db, &args.workspace)?;
    let request = ImportRequest {
        source: Source::File(&args.file),
        owner,
        relationship,
        format,
        encoding,
        on_error: args.on_error,
        replaces: args.replaces.map(crate::store::ImportId),
    };
    let bar = progress_bar(size);
    let outcome = store.import(workspace, &request, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    match outcome {
        Ok(outcome) => {
            // A large list is laid out into the workspace's snapshot file now, so the next
            // `ask` reads the file instead of rebuilding; a small one is caught up by the
            // next `ask` from the change log.
            if outcome.created && outcome.report.rows >= LARGE_LIST_ROWS {
                super::network(&store, workspace)
                    .context("the list was imported, but its snapshot file was not written")?;
            }
            if args.json {
                super::print_json(&outcome.report)?;
            } else {
                print_report(&outcome.report, outcome.created)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Rejected(problems)) => {
            if args.json {
                super::print_json(&serde_json::json!({ "errors": problems }))?;
            }
            eprintln!(
                "error: {} was not imported: {} problem(s)",
                args.file.display(),
                problems.len()
            );
            for problem in &problems {
                eprintln!(
                    "  line {}, column {}: {}",
                    problem.line, problem.column, problem.message
                );
            }
            eprintln!("nothing was applied; fix the lines above or use --on-error skip");
            Ok(ExitCode::from(2))
        }
        Err(StoreError::File(error)) => {
            let problem = error.line_problem();
            bail!(
                "{} cannot be imported: line {}, column {}: {}",
                args.file.display(),
                problem.line,
                problem.column,
                error
            )
        }
        Err(error) => Err(error.into()),
    }
}

/// Lists from this many rows on are laid out into the snapshot file by `import` itself.
const LARGE_LIST_ROWS: usize = 20_000;

/// A bar on standard error for files over a megabyte, when standard error is a terminal.
fn progress_bar(file_size: u64) -> ProgressBar {
    use std::io::IsTerminal;
    if file_size < 1 << 20 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} importing {binary_bytes}/{binary_total_bytes} {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn print_report(report: &ImportReport, created: bool) -> std::io::Result<()> {
    if !created {
        out!(
            "import {} already applied these bytes for this owner; nothing changed",
            report.id
        )?;
    }
    out!(
        "import {}: {} {} ({}), {}, {} created, {} merged, {} created, {} updated, {} skipped, {} suppressed, {} ms",
        report.id,
        report.format,
        if created { "file" } else { "file (earlier)" },
        report.encoding,
        super::count(report.rows, "row", "rows"),
        super::count(report.people_created, "person", "people"),
        report.people_merged,
        super::count(report.ties_created, "tie", "ties"),
        report.ties_updated,
        report.skipped.len(),
        report.suppressed,
        report.took_ms
    )?;
    for skipped in &report.skipped {
        out!(
            "  skipped line {}, column {}: {}",
            skipped.line,
            skipped.column,
            skipped.message
        )?;
    }
    for warning in &report.warnings {
        out!("  warning: {warning}")?;
    }
    Ok(())
}
