//! `warmpath backup PATH`: a consistent copy of the database, taken while a server may be
//! serving and writing it. To restore: stop the server, move the copy into the database's
//! place (and remove the database's `-wal`, `-shm` and `-snapshots` companions), start again.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the copy (a new file: it is never overwritten).
    path: PathBuf,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let store =
        Store::open(db).with_context(|| format!("cannot open database {}", db.display()))?;
    store
        .backup_to(&args.path)
        .with_context(|| format!("cannot write the backup {}", args.path.display()))?;
    eprintln!("backed up {} to {}", db.display(), args.path.display());
    Ok(ExitCode::SUCCESS)
}
