//! `warmpath me`: show or set who "me" is, so other people's lists that contain you merge
//! with you.

use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Your name.
    #[arg(long)]
    name: Option<String>,
    /// An email of yours (repeat for several).
    #[arg(long)]
    email: Vec<String>,
    /// Print the person as JSON.
    #[arg(long)]
    json: bool,
    /// The workspace: one network with its own "me" and key (a database starts with
    /// `default`).
    #[arg(long, default_value = "default")]
    workspace: String,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let (mut store, workspace) = super::open(db, &args.workspace)?;
    let me = if args.name.is_some() || !args.email.is_empty() {
        store.set_me(workspace, args.name.as_deref(), &args.email)?
    } else {
        let id = store.me(workspace)?;
        store.person(workspace, id)?
    };
    if args.json {
        super::print_json(&me)?;
    } else {
        let emails = if me.emails.is_empty() {
            "no email yet".to_string()
        } else {
            me.emails.join(", ")
        };
        out!("me: {} (person {}; {emails})", me.name, me.id)?;
    }
    Ok(ExitCode::SUCCESS)
}
