//! What every request shares: the database (one writer, a pool of readers), each
//! workspace's published network, readiness, the access policy and the metrics.
//!
//! **Invariant:** a write holds the writer for its transaction *and* the rebuild and
//! publication of that workspace's snapshot, so snapshots are published in commit order;
//! queries load the published `Arc` and never wait for a write.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Instant;

use arc_swap::ArcSwap;

use super::metrics::Metrics;
use super::problem::{Kind, Problem};
use crate::ask::Network;
use crate::config::Settings;
use crate::graph::Snapshot;
use crate::search::Scratch;
use crate::store::{Store, StoreError, WorkspaceId};

/// One published network of a workspace; `generation` tells scratch buffers apart.
pub struct Published {
    pub network: Network,
    pub generation: u64,
}

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
    networks: RwLock<HashMap<WorkspaceId, Arc<ArcSwap<Published>>>>,
    ready: AtomicBool,
    generation: AtomicU64,
    pub settings: Settings,
    pub access: Access,
    pub metrics: Metrics,
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
        AppState {
            db_path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            networks: RwLock::new(HashMap::new()),
            ready: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            settings,
            access,
            metrics: Metrics::new(),
            body_limit,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Builds every workspace's snapshot (after `prepare`, e.g. loading the demo), then
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
        for workspace in writer.workspaces()? {
            self.publish(&writer, workspace.id)?;
        }
        drop(writer);
        self.ready.store(true, Ordering::Release);
        Ok(())
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

    /// Runs a write on the writer connection, then rebuilds and publishes the workspace's
    /// snapshot before letting the next write in.
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
        self.publish(&writer, workspace)?;
        Ok(outcome)
    }

    /// The published network of a workspace, if it has been built (it has, for every
    /// workspace that existed at load or was written to since). Never blocks on a build.
    pub fn published(&self, workspace: WorkspaceId) -> Option<Arc<Published>> {
        read_lock(&self.networks)
            .get(&workspace)
            .map(|slot| slot.load_full())
    }

    /// The published network of a workspace, built now if this is its first question.
    ///
    /// # Errors
    /// A store error while building it.
    pub fn network(&self, workspace: WorkspaceId) -> Result<Arc<Published>, Problem> {
        if let Some(slot) = read_lock(&self.networks).get(&workspace) {
            return Ok(slot.load_full());
        }
        let writer = self.writer();
        if let Some(slot) = read_lock(&self.networks).get(&workspace) {
            return Ok(slot.load_full());
        }
        Ok(self.publish(&writer, workspace)?)
    }

    fn publish(&self, store: &Store, workspace: WorkspaceId) -> Result<Arc<Published>, StoreError> {
        let started = Instant::now();
        let snapshot = Snapshot::build(store.snapshot_input(workspace)?, &self.settings.strength);
        self.metrics.snapshot_built(
            workspace,
            snapshot.node_count(),
            snapshot.tie_count(),
            started.elapsed(),
        );
        let published = Arc::new(Published {
            network: Network::new(snapshot, self.settings),
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
        });
        let existing = read_lock(&self.networks).get(&workspace).cloned();
        match existing {
            Some(slot) => slot.store(published.clone()),
            None => {
                self.networks
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(workspace, Arc::new(ArcSwap::new(published.clone())));
            }
        }
        tracing::debug!(
            workspace = workspace.0,
            generation = published.generation,
            "snapshot published"
        );
        Ok(published)
    }

    fn writer(&self) -> MutexGuard<'_, Store> {
        lock(&self.writer)
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

thread_local! {
    /// This thread's scratch buffers and the generation of the snapshot they were sized for.
    static SCRATCH: RefCell<Option<(u64, Scratch)>> = const { RefCell::new(None) };
}

/// Runs a search with this thread's scratch buffers, remade when the snapshot changed.
/// Never shared across threads: each worker and rayon thread has its own.
pub fn with_scratch<T>(
    published: &Published,
    search: impl FnOnce(&Network, &mut Scratch) -> T,
) -> T {
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let stale = !matches!(&*slot, Some((generation, _)) if *generation == published.generation);
        if stale {
            *slot = Some((
                published.generation,
                Scratch::new(&published.network.snapshot),
            ));
        }
        match slot.as_mut() {
            Some((_, scratch)) => search(&published.network, scratch),
            None => search(
                &published.network,
                &mut Scratch::new(&published.network.snapshot),
            ),
        }
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read_lock<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}
