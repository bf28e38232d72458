//! `warmpath serve`: the JSON HTTP API.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Settings;
use crate::startup::{Application, ServeSettings};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on; a non-loopback address needs a workspace key to exist.
    #[arg(long, env = "WARMPATH_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Serve the demo network from a fresh temporary database instead of --db.
    #[arg(long)]
    demo: bool,
    /// The workspace served without a key on loopback while no key exists.
    #[arg(long, default_value = "default")]
    workspace: String,
    /// The largest request body, in bytes.
    #[arg(long, env = "WARMPATH_BODY_LIMIT", default_value_t = ServeSettings::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// An origin allowed by CORS (repeat, or comma-separate in WARMPATH_CORS_ORIGINS); none: CORS is off.
    #[arg(
        long = "cors-origin",
        env = "WARMPATH_CORS_ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let serve = ServeSettings {
        bind: args.bind,
        db: db.to_path_buf(),
        demo: args.demo,
        workspace: args.workspace,
        body_limit: args.body_limit,
        cors_origins: args
            .cors_origins
            .into_iter()
            .filter(|origin| !origin.trim().is_empty())
            .collect(),
        settings: Settings::from_env()?,
        upload_idle: crate::api::extract::UPLOAD_IDLE,
    };
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build(serve).await?;
        eprintln!("warmpath listening on http://{}", application.address());
        application.run_until_stopped().await?;
        Ok(ExitCode::SUCCESS)
    })
}
