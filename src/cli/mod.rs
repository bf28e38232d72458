//! The command line: one file per subcommand, each turning flags into validated values once
//! and calling one domain function.
//!
//! Errors are printed once, as `error: …` with their causes, and exit with status 1; a file
//! refused for bad lines exits with status 2 after listing every line.

/// `println!` to standard output that returns the write's error instead of panicking (a
/// closed pipe, a full disk): `cli::run` then exits quietly or says why.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)
    }};
}

mod ask;
mod backup;
mod bench;
mod classify;
mod import;
mod me;
mod people;
mod requests;
mod serve;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::live::{Files, Networks, Published};
use crate::store::{Store, WorkspaceId};

/// warmpath: find warm introduction paths through the contact lists you import.
#[derive(Debug, Parser)]
#[command(
    name = "warmpath",
    version,
    about,
    long_about = None,
    after_help = "Exit status: 0 done; 1 an error (said on standard error); 2 a file refused for bad lines (every line listed, nothing applied)."
)]
pub struct Cli {
    /// The database file.
    #[arg(
        long,
        global = true,
        env = "WARMPATH_DB",
        default_value = "warmpath.db"
    )]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import one contact list (LinkedIn, Google, Outlook, vCard, native CSV).
    Import(import::Args),
    /// Who can introduce me to someone in a field ("finance", "VC", ...).
    Ask(ask::Args),
    /// Show or set who "me" is.
    Me(me::Args),
    /// Find people: by text in a name, company, title or email, by field or company.
    People(people::PeopleArgs),
    /// Show or correct one person (name, title, company, emails, fields).
    Person(people::PersonArgs),
    /// The fields, with how many people of the workspace hold each.
    Fields(people::FieldsArgs),
    /// Create, show, log and edit one introduction request (`request new|show|mark|edit|delete`).
    Request(requests::RequestArgs),
    /// List introduction requests, newest first.
    Requests(requests::RequestsArgs),
    /// What to follow up on today: nudges, thank-yous, meetings, reconnect notes.
    #[command(name = "follow-ups")]
    FollowUps(requests::FollowUpsArgs),
    /// Fields for each title,company row of a CSV on standard input, with the evidence.
    Classify(classify::Args),
    /// Run the shared benchmark (WB-2HOP, WB-INTRO) on a network file, in a temporary database.
    Bench(bench::Args),
    /// Serve the JSON HTTP API.
    Serve(serve::Args),
    /// Write a consistent copy of the database (safe while a server is running).
    Backup(backup::Args),
    /// Manage workspaces and their API keys.
    Workspace(workspace::Args),
    /// Print the OpenAPI document (the committed openapi.yaml).
    #[command(hide = true)]
    Openapi,
}

/// Runs a parsed command line and turns its outcome into an exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Import(args) => import::run(&cli.db, args),
        Command::Ask(args) => ask::run(&cli.db, args),
        Command::Me(args) => me::run(&cli.db, args),
        Command::People(args) => people::people(&cli.db, args),
        Command::Person(args) => people::person(&cli.db, args),
        Command::Fields(args) => people::fields(&cli.db, args),
        Command::Request(args) => requests::request(&cli.db, args),
        Command::Requests(args) => requests::list(&cli.db, args),
        Command::FollowUps(args) => requests::follow_ups(&cli.db, args),
        Command::Bench(args) => bench::run(args),
        Command::Backup(args) => backup::run(&cli.db, args),
        Command::Classify(args) => classify::run_stdio(args),
        Command::Serve(args) => serve::run(&cli.db, args),
        Command::Workspace(args) => workspace::run(&cli.db, args),
        Command::Openapi => {
            use std::io::Write as _;
            std::io::stdout()
                .write_all(crate::api::openapi::document().as_bytes())
                .map(|()| ExitCode::SUCCESS)
                .map_err(anyhow::Error::from)
        }
    };
    match outcome {
        Ok(code) => code,
        // The reader went away (`warmpath ask finance | head`): nothing more to say.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether an error is standard output's reader having gone away.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Opens the database and finds the workspace by name.
fn open(db: &Path, workspace: &str) -> anyhow::Result<(Store, WorkspaceId)> {
    let store =
        Store::open(db).with_context(|| format!("cannot open database {}", db.display()))?;
    let workspace = store.workspace(workspace)?;
    Ok((store, workspace))
}

/// The live network of a workspace that questions are answered from, with a spinner on a
/// terminal while it loads (a first build of a large network takes a while).
fn network(store: &Store, workspace: WorkspaceId) -> anyhow::Result<std::sync::Arc<Published>> {
    let networks = Networks::new(Settings::from_env()?, Files::Inline);
    let spinner = spinner("loading the network");
    let network = networks.current(store, workspace);
    spinner.finish_and_clear();
    Ok(network?)
}

/// A spinner on standard error when it is a terminal (nothing otherwise).
fn spinner(message: &'static str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let spinner = indicatif::ProgressBar::new_spinner().with_message(message);
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// Prints a value as pretty JSON on standard output.
fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    out!("{}", serde_json::to_string_pretty(value)?).context("cannot write to standard output")?;
    Ok(())
}

/// Prints a question's answer exactly as the HTTP API sends it (compact JSON), then a newline.
fn print_body<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    out!("{}", serde_json::to_string(value)?).context("cannot write to standard output")?;
    Ok(())
}

/// `text` cut to `width` characters for a table, with "…" when something was cut, and
/// control characters shown escaped (stored texts from older imports may hold some; a
/// terminal must not interpret them).
fn truncate(text: &str, width: usize) -> String {
    let text = printable(text);
    if text.chars().count() <= width {
        text
    } else {
        let mut short: String = text.chars().take(width.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// `text` with control characters escaped (`\u{1b}`), for a terminal.
fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// "1 row", "2 rows".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
