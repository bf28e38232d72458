//! `warmpath request …`, `warmpath requests` and `warmpath follow-ups`: introduction
//! requests from the command line, as `/v1/requests` and `/v1/follow-ups` serve them
//! (`--json` prints the same bodies). warmpath never sends anything: `request show` prints
//! the draft for you to send yourself.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};

use super::people::Workspace;
use crate::api::shapes;
use crate::config::Settings;
use crate::identity::PersonRef;
use crate::requests::draft::Draft;
use crate::requests::{
    self, Change, FollowUps, MAX_ASK_AFTER_DAYS, MAX_BODY, MAX_REASON, MAX_SUBJECT,
    NewRequestInput, Request, State,
};
use crate::store::RequestId;

#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    #[command(subcommand)]
    command: RequestCommand,
}

#[derive(Debug, clap::Subcommand)]
enum RequestCommand {
    /// Create a request: a draft to the introducer (a reconnect note first when your tie
    /// to them is stale).
    New(NewArgs),
    /// Show a request: the people, its state and history, the next follow-up, the draft.
    Show(IdArgs),
    /// Log what happened: asked, introduced, met, thanked, declined, no_answer (or draft
    /// after reconnecting).
    Mark(MarkArgs),
    /// Replace the draft with your own text (it is never regenerated afterwards).
    Edit(EditArgs),
    /// Delete a request.
    Delete(IdArgs),
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// Who introduces you: me, a person id, an email or a profile URL.
    #[arg(long)]
    introducer: String,
    /// Whom you want to meet: a person id, an email or a profile URL.
    #[arg(long)]
    to: String,
    /// Why you want to meet them (at most 500 characters); the draft says it.
    #[arg(long)]
    reason: Option<String>,
    /// Print the request as JSON, as the HTTP API sends it.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
struct IdArgs {
    /// The request's id.
    id: i64,
    /// Print JSON, as the HTTP API sends it (`request show`; `delete` prints nothing).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
struct MarkArgs {
    /// The request's id.
    id: i64,
    /// The new state: draft, asked, introduced, met, thanked, declined or no_answer.
    state: String,
    /// The day it happened, YYYY-MM-DD (default today).
    #[arg(long)]
    on: Option<String>,
    /// A note kept in the history (at most 500 characters).
    #[arg(long)]
    note: Option<String>,
    /// Print the request as JSON, as the HTTP API sends it.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
struct EditArgs {
    /// The request's id.
    id: i64,
    /// The subject line (at most 300 characters).
    #[arg(long)]
    subject: String,
    /// A file holding the body (at most 10,000 characters), or `-` for standard input.
    #[arg(long)]
    body_file: PathBuf,
    /// Print the request as JSON, as the HTTP API sends it.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
pub struct RequestsArgs {
    /// Only requests in this state (reconnect, draft, asked, introduced, met, thanked,
    /// declined, no_answer).
    #[arg(long)]
    state: Option<String>,
    /// How many requests at most, newest first.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print the page as JSON, as `GET /v1/requests` sends it.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

#[derive(Debug, clap::Args)]
pub struct FollowUpsArgs {
    /// The day to count to, YYYY-MM-DD (default today, or WARMPATH_TODAY).
    #[arg(long)]
    today: Option<String>,
    /// Days after asking before a nudge is due.
    #[arg(long, default_value_t = requests::ASK_AFTER_DAYS)]
    ask_after_days: u64,
    /// Print the body as JSON, as `GET /v1/follow-ups` sends it.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: Workspace,
}

/// A shape check of the API, as a command-line error.
fn checked<T>(outcome: Result<T, crate::api::problem::Problem>) -> anyhow::Result<T> {
    outcome.map_err(|problem| anyhow!(problem.detail))
}

fn state(word: &str) -> anyhow::Result<State> {
    State::parse(word.trim()).ok_or_else(|| {
        let words: Vec<&str> = State::ALL.iter().map(|state| state.as_str()).collect();
        anyhow!("{word:?} is not a state: {}", words.join(", "))
    })
}

/// `warmpath request …`.
pub fn request(db: &Path, args: RequestArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    match args.command {
        RequestCommand::New(args) => {
            checked(shapes::text_within(
                "--reason",
                args.reason.as_deref(),
                MAX_REASON,
            ))?;
            let input = NewRequestInput {
                introducer: PersonRef::parse(&args.introducer).context("--introducer")?,
                target: PersonRef::parse(&args.to).context("--to")?,
                reason: args.reason,
            };
            let (mut store, workspace) = super::open(db, &args.workspace.workspace)?;
            let created = requests::create(&mut store, workspace, &settings, &input)?;
            show(&created, args.json)
        }
        RequestCommand::Show(args) => {
            let (store, workspace) = super::open(db, &args.workspace.workspace)?;
            let found = requests::get(&store, workspace, &settings, RequestId(args.id))?;
            show(&found, args.json)
        }
        RequestCommand::Mark(args) => {
            checked(shapes::text_within(
                "--note",
                args.note.as_deref(),
                MAX_REASON,
            ))?;
            let change = Change {
                draft: None,
                state: Some(state(&args.state)?),
                on: args
                    .on
                    .as_deref()
                    .map(|on| checked(shapes::date("--on", on)))
                    .transpose()?,
                note: args.note,
            };
            change_request(
                db,
                &args.workspace.workspace,
                &settings,
                args.id,
                &change,
                args.json,
            )
        }
        RequestCommand::Edit(args) => {
            let body = read_body(&args.body_file)?;
            checked(shapes::text_within(
                "--subject",
                Some(&args.subject),
                MAX_SUBJECT,
            ))?;
            checked(shapes::multiline_within("the body", &body, MAX_BODY))?;
            let change = Change {
                draft: Some(Draft {
                    subject: args.subject,
                    body,
                }),
                ..Change::default()
            };
            change_request(
                db,
                &args.workspace.workspace,
                &settings,
                args.id,
                &change,
                args.json,
            )
        }
        RequestCommand::Delete(args) => {
            let (mut store, workspace) = super::open(db, &args.workspace.workspace)?;
            requests::delete(&mut store, workspace, RequestId(args.id))?;
            if !args.json {
                out!("deleted request {}", args.id)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Applies `change` to request `id` and shows the request as it now is.
fn change_request(
    db: &Path,
    workspace: &str,
    settings: &Settings,
    id: i64,
    change: &Change,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (mut store, workspace) = super::open(db, workspace)?;
    let changed = requests::change(&mut store, workspace, settings, RequestId(id), change)?;
    show(&changed, json)
}

fn read_body(path: &Path) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read the body from standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    String::from_utf8(bytes).map_err(|_| anyhow!("the body is not UTF-8 text"))
}

/// `warmpath requests`.
pub fn list(db: &Path, args: RequestsArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let state = args.state.as_deref().map(state).transpose()?;
    let (store, workspace) = super::open(db, &args.workspace.workspace)?;
    let page = requests::list(
        &store,
        workspace,
        &settings,
        state,
        args.limit.clamp(1, 1000),
        None,
    )?;
    if args.json {
        super::print_body(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    if page.items.is_empty() {
        out!("no requests")?;
    }
    for request in &page.items {
        out!(
            "{:>6}  {:<10}  {:<24} → {:<24}  {}",
            request.id,
            request.state.as_str(),
            super::truncate(&request.introducer.name, 24),
            super::truncate(&request.target.name, 24),
            request
                .follow_up
                .as_ref()
                .map(|next| format!("{} due {}", kind(next.kind), next.due))
                .unwrap_or_default()
        )?;
    }
    if page.next_cursor.is_some() {
        out!("… more: raise --limit or filter by --state")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `warmpath follow-ups`.
pub fn follow_ups(db: &Path, args: FollowUpsArgs) -> anyhow::Result<ExitCode> {
    let today = match args.today.as_deref() {
        Some(text) => checked(shapes::date("--today", text))?,
        None => Settings::from_env()?.strength.today,
    };
    if args.ask_after_days > MAX_ASK_AFTER_DAYS {
        return Err(anyhow!(
            "--ask-after-days must be at most {MAX_ASK_AFTER_DAYS}"
        ));
    }
    let (store, workspace) = super::open(db, &args.workspace.workspace)?;
    let due: FollowUps = requests::follow_ups(&store, workspace, today, args.ask_after_days)?;
    if args.json {
        super::print_body(&due)?;
        return Ok(ExitCode::SUCCESS);
    }
    if due.items.is_empty() {
        out!("nothing due on {}", due.today)?;
    }
    for item in &due.items {
        out!(
            "{}  request {:<6} {:<10} {}",
            item.due,
            item.request,
            kind(item.kind),
            super::printable(&item.message)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn kind(kind: requests::FollowUpKind) -> &'static str {
    match kind {
        requests::FollowUpKind::AskAgain => "ask again",
        requests::FollowUpKind::Thank => "thank",
        requests::FollowUpKind::Meet => "meet",
        requests::FollowUpKind::Reconnect => "reconnect",
    }
}

fn show(request: &Request, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        super::print_body(request)?;
        return Ok(ExitCode::SUCCESS);
    }
    let p = super::printable;
    out!(
        "request {}: {} (created {}, updated {})",
        request.id,
        request.state.as_str(),
        request.created_on,
        request.updated_on
    )?;
    let how = [
        request.relationship.clone(),
        Some(match &request.last_contact {
            Some(date) => format!("last contact {date}"),
            None => "last contact unknown".to_string(),
        }),
        request.stale.then(|| "stale: reconnect first".to_string()),
    ];
    out!(
        "introducer: {} ({})",
        p(&request.introducer.name),
        how.into_iter().flatten().collect::<Vec<_>>().join(", ")
    )?;
    let work: Vec<String> = [&request.target.title, &request.target.company]
        .into_iter()
        .flatten()
        .map(|text| p(text))
        .collect();
    out!(
        "target:     {}{}",
        p(&request.target.name),
        if work.is_empty() {
            String::new()
        } else {
            format!(" ({})", work.join(", "))
        }
    )?;
    if let Some(reason) = &request.reason {
        out!("reason:     {}", p(reason))?;
    }
    if let Some(next) = &request.follow_up {
        out!("follow-up:  {} due {}", kind(next.kind), next.due)?;
    }
    for step in &request.history {
        match &step.note {
            Some(note) => out!("  {}  {} ({})", step.on, step.state.as_str(), p(note))?,
            None => out!("  {}  {}", step.on, step.state.as_str())?,
        }
    }
    out!(
        "\n{} (warmpath never sends it{}):\n",
        if request.state == State::Reconnect {
            "reconnect note"
        } else {
            "draft"
        },
        if request.edited {
            "; edited by you"
        } else {
            ""
        }
    )?;
    out!("Subject: {}\n", p(&request.draft.subject))?;
    out!("{}", request.draft.body.trim_end())?;
    Ok(ExitCode::SUCCESS)
}
