//! `warmpath workspace create|list|rotate-key|revoke-key|delete NAME`: workspaces and
//! their API keys. A new key is printed once, alone on standard output, so a script can
//! capture it; only its hash is stored.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Create a workspace and print its key.
    Create {
        /// The workspace's name.
        name: String,
    },
    /// List workspaces.
    List,
    /// Replace a workspace's key with a new one, printed once.
    RotateKey {
        /// The workspace's name.
        name: String,
    },
    /// Revoke a workspace's key.
    RevokeKey {
        /// The workspace's name.
        name: String,
    },
    /// Delete a workspace and everything in it.
    Delete {
        /// The workspace's name.
        name: String,
    },
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let mut store =
        Store::open(db).with_context(|| format!("cannot open database {}", db.display()))?;
    match args.action {
        Action::Create { name } => {
            let workspace = store.create_workspace(&name)?;
            print_key(&store.issue_key(workspace)?.0, &name)?;
        }
        Action::List => {
            for workspace in store.workspaces()? {
                out!(
                    "{}\t{} people\t{}\tcreated {}",
                    workspace.name,
                    workspace.people,
                    if workspace.keys > 0 { "key" } else { "no key" },
                    workspace.created_at
                )?;
            }
        }
        Action::RotateKey { name } => {
            let workspace = store.workspace(&name)?;
            print_key(&store.issue_key(workspace)?.0, &name)?;
        }
        Action::RevokeKey { name } => {
            let workspace = store.workspace(&name)?;
            let revoked = store.revoke_keys(workspace)?;
            eprintln!("revoked {revoked} key(s) of workspace {name}");
        }
        Action::Delete { name } => {
            store.delete_workspace(&name)?;
            eprintln!("deleted workspace {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_key(key: &str, name: &str) -> std::io::Result<()> {
    out!("{key}")?;
    eprintln!(
        "the key of workspace {name}, shown once: keep it; send it as `Authorization: Bearer KEY`"
    );
    Ok(())
}
