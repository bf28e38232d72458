//! What every request shares: the database (one writer, a pool of readers), the live
//! networks of the workspaces, readiness, the access policy and the metrics.
//!
//! **Invariant:** a write holds the writer for its transaction *and* the update of that
//! workspace's live network, so networks are published in commit order; queries load the
//! published `Arc` and never wait for a write.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::metrics::Metrics;
use super::problem::{Kind, Problem};
use crate::config::Settings;
use crate::live::{Files, Networks, Published};
use crate::store::{Store, StoreError, WorkspaceId};

/// Who may use `/v1` without a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A loopback server: while no key exists anywhere, this workspace is served keyless.
    LoopbackKeyless(WorkspaceId),
    /// Any other address: a key always.
    KeysOnly,
}

/// The state shared by every request.
pub struct AppState {
    db_path: PathBuf,
    writer: Mutex<Store>,
    readers: Mutex<Vec<Store>>,
    networks: Networks,
    ready: AtomicBool,
    pub settings: Settings,
    pub access: Access,
    /// Origins configured for CORS: writes from them are taken without a key too.
    pub origins: Vec<String>,
    /// Uploads being read now (see `extract::UploadSlot`).
    pub uploads: std::sync::atomic::AtomicUsize,
    /// How long an upload may go without a byte before it is refused (408).
    pub upload_idle: Duration,
    pub metrics: Arc<Metrics>,
    pub body_limit: usize,
}

impl AppState {
    pub fn new(
        db_path: PathBuf,
        writer: Store,
        settings: Settings,
        access: Access,
        body_limit: usize,
    ) -> AppState {
        let metrics = Arc::new(Metrics::new());
        let observed = metrics.clone();
        AppState {
            db_path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            networks: Networks::with_observer(
                settings,
                Files::Background,
                Some(Box::new(move |built| observed.snapshot_built(built))),
            ),
            ready: AtomicBool::new(false),
            settings,
            access,
            origins: Vec::new(),
            uploads: std::sync::atomic::AtomicUsize::new(0),
            upload_idle: super::extract::UPLOAD_IDLE,
            metrics,
            body_limit,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Brings every workspace's network up (after `prepare`, e.g. loading the demo), then
    /// marks the server ready.
    ///
    /// # Errors
    /// A store error; the server then stays not ready.
    pub fn load(
        &self,
        prepare: impl FnOnce(&mut Store) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut writer = self.writer();
        prepare(&mut writer)?;
        self.networks.refresh_all(&writer)?;
        drop(writer);
        self.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Brings the loaded networks up to date with writes another process (the command
    /// line) committed, every `interval`, for as long as the state lives. A check when
    /// nothing was written costs one `PRAGMA data_version`.
    pub fn watch(state: &Arc<AppState>, interval: Duration) -> std::io::Result<()> {
        let weak = Arc::downgrade(state);
        std::thread::Builder::new()
            .name("network-watch".to_string())
            .spawn(move || {
                let mut watcher: Option<(Store, i64)> = None;
                loop {
                    std::thread::sleep(interval);
                    let Some(state) = weak.upgrade() else {
                        return;
                    };
                    if !state.is_ready() {
                        continue;
                    }
                    if watcher.is_none() {
                        match Store::open(&state.db_path) {
                            Ok(store) => watcher = Some((store, -1)),
                            Err(error) => {
                                tracing::warn!(error = %error, "cannot watch the database");
                                continue;
                            }
                        }
                    }
                    if let Some((store, seen)) = &mut watcher {
                        let outcome = store.data_version().and_then(|version| {
                            if version != *seen {
                                *seen = version;
                                state.networks.refresh_loaded(store)?;
                            }
                            Ok(())
                        });
                        if let Err(error) = outcome {
                            tracing::warn!(error = %error, "cannot bring the networks up to date");
                        }
                    }
                }
            })
            .map(|_| ())
    }

    /// Runs a read on a pooled connection.
    ///
    /// # Errors
    /// The read's error, or failing to open a connection.
    pub fn read<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let pooled = lock(&self.readers).pop();
        let store = match pooled {
            Some(store) => store,
            None => Store::open(&self.db_path)?,
        };
        let outcome = read(&store);
        lock(&self.readers).push(store);
        outcome
    }

    /// Runs a write on the writer connection, then brings the workspace's live network up
    /// to date before letting the next write in.
    ///
    /// # Errors
    /// The write's error; nothing is published then.
    pub fn write<T>(
        &self,
        workspace: WorkspaceId,
        write: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, Problem> {
        let mut writer = self.writer();
        let outcome = write(&mut writer)?;
        self.networks.refresh(&writer, workspace)?;
        Ok(outcome)
    }

    /// The published network of a workspace, if it has one yet. Never blocks.
    pub fn published(&self, workspace: WorkspaceId) -> Option<Arc<Published>> {
        self.networks.published(workspace)
    }

    /// The published network of a workspace, built now if this is its first question.
    ///
    /// # Errors
    /// A store error while building it.
    pub fn network(&self, workspace: WorkspaceId) -> Result<Arc<Published>, Problem> {
        if let Some(published) = self.networks.published(workspace) {
            return Ok(published);
        }
        Ok(self.read(|store| self.networks.current(store, workspace))?)
    }

    fn writer(&self) -> MutexGuard<'_, Store> {
        lock(&self.writer)
    }

    /// Removes a workspace's snapshot file (after an erasure; see `live`).
    pub fn forget_snapshot_file(&self, workspace: WorkspaceId) {
        let writer = self.writer();
        self.networks.forget_file(&writer, workspace);
    }

    /// The workspace a request may use, from its bearer key (or none).
    ///
    /// # Errors
    /// 401 when a key is needed and missing, or does not match any workspace.
    pub fn authenticate(&self, key: Option<&str>) -> Result<WorkspaceId, Problem> {
        if let Some(key) = key {
            return self
                .read(|store| store.workspace_for_key(key))
                .map_err(Problem::from)?
                .ok_or_else(|| {
                    Problem::new(
                        Kind::Unauthorized,
                        "this key is not valid (revoked or rotated?)",
                    )
                });
        }
        match self.access {
            Access::LoopbackKeyless(workspace)
                if !self.read(Store::any_key).map_err(Problem::from)? =>
            {
                Ok(workspace)
            }
            _ => Err(Problem::new(
                Kind::Unauthorized,
                "send the workspace's key as `Authorization: Bearer KEY`",
            )),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
