//! Building and running the HTTP server: bind first (so port 0 works and `/healthz` is
//! live at once), open and migrate the database, decide who may call without a key, then
//! load the snapshots in the background while `/readyz` and `/v1` answer 503.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, http, web};
use anyhow::{Context, bail};

use crate::api::{self, Access, AppState};
use crate::config::Settings;
use crate::store::Store;

/// How often the server looks for writes made by another process (the command line).
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// Everything `warmpath serve` is told.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub bind: String,
    pub db: PathBuf,
    /// Serve the demo network from a fresh temporary database instead of `db`.
    pub demo: bool,
    /// The workspace a loopback server serves without keys while none exists.
    pub workspace: String,
    pub body_limit: usize,
    pub cors_origins: Vec<String>,
    pub settings: Settings,
    /// How long an upload may go without a byte (`api::extract::UPLOAD_IDLE`).
    pub upload_idle: std::time::Duration,
}

impl ServeSettings {
    /// 50 MB: a large LinkedIn or CRM export fits.
    pub const DEFAULT_BODY_LIMIT: usize = 50 * 1024 * 1024;
}

/// A bound server, ready to run.
pub struct Application {
    address: SocketAddr,
    server: Server,
    state: web::Data<AppState>,
    /// Why loading the snapshots failed, if it did (the server then stops).
    load_failure: Arc<Mutex<Option<String>>>,
    _demo_dir: Option<tempfile::TempDir>,
}

impl Application {
    /// Binds, opens the database and starts loading snapshots in the background.
    ///
    /// # Errors
    /// The address cannot be bound, the database cannot be opened, the workspace does not
    /// exist, or the address is not loopback and no workspace has a key.
    pub async fn build(serve: ServeSettings) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&serve.bind)
            .with_context(|| format!("cannot bind {}", serve.bind))?;
        let address = listener.local_addr()?;
        let (db_path, demo_dir) = if serve.demo {
            let dir =
                tempfile::tempdir().context("cannot make a directory for the demo database")?;
            (dir.path().join("demo.db"), Some(dir))
        } else {
            (serve.db.clone(), None)
        };
        let store = Store::open(&db_path)
            .with_context(|| format!("cannot open database {}", db_path.display()))?;
        let workspace = store.workspace(&serve.workspace)?;
        let access = if address.ip().is_loopback() {
            Access::LoopbackKeyless(workspace)
        } else if store.any_key()? {
            Access::KeysOnly
        } else {
            bail!(
                "refusing to serve {address} without keys: anyone who can reach it could read every contact. \
                 Create a key with `warmpath workspace create NAME` (or `rotate-key default`), or bind 127.0.0.1"
            );
        };
        let mut state = AppState::new(db_path, store, serve.settings, access, serve.body_limit);
        state.origins = serve.cors_origins.clone();
        state.upload_idle = serve.upload_idle;
        let state = web::Data::new(state);
        let body_limit = serve.body_limit;
        let origins = serve.cors_origins.clone();
        let shared = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .wrap(Condition::new(!origins.is_empty(), cors(&origins)))
                .wrap(from_fn(api::observe::observe))
                .configure(|config| api::routes(config, body_limit))
        })
        .listen(listener)?
        .run();
        let load_failure = Arc::new(Mutex::new(None));
        let loader = state.clone();
        let demo = serve.demo;
        let handle = server.handle();
        let failure = load_failure.clone();
        std::thread::Builder::new()
            .name("snapshot-loader".to_string())
            .spawn(move || {
                let loaded = loader.load(|store| {
                    if demo {
                        let workspace = store.workspace("default")?;
                        crate::demo::load(store, workspace)?;
                    }
                    Ok(())
                });
                // A server that can never become ready stops, saying why, rather than
                // answering 503 forever.
                if let Err(error) = loaded {
                    tracing::error!(error = %error, "the snapshots could not be loaded; stopping");
                    *failure.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some(error.to_string());
                    actix_web::rt::System::new().block_on(handle.stop(false));
                }
            })
            .context("cannot start the snapshot loader")?;
        AppState::watch(&state.clone().into_inner(), WATCH_INTERVAL)
            .context("cannot start watching the database")?;
        Ok(Application {
            address,
            server,
            state,
            load_failure,
            _demo_dir: demo_dir,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn is_ready(&self) -> bool {
        self.state.is_ready()
    }

    /// Serves until the server is stopped (Ctrl-C or SIGTERM).
    ///
    /// # Errors
    /// An I/O error of the server, or the snapshots (or the demo) could not be loaded.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let demo_dir = self._demo_dir;
        let outcome = self.server.await;
        drop(demo_dir);
        outcome?;
        let failure = self
            .load_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match failure {
            Some(error) => bail!("the network could not be loaded: {error}"),
            None => Ok(()),
        }
    }
}

/// CORS for the configured origins only; with none, the middleware is off.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PATCH", "DELETE"])
        .allowed_headers([http::header::AUTHORIZATION, http::header::CONTENT_TYPE])
        .expose_headers([
            http::header::LOCATION,
            http::header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600)
}
