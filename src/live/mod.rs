//! The live network of each workspace: the one owner of "the current snapshot", used by the
//! HTTP API, the command line and the benchmark alike.
//!
//! It owns building a workspace's snapshot from the store, publishing it atomically
//! (readers load an `Arc` and never wait), bringing it up to date after writes, and the
//! per-thread scratch buffers queries run with. It does not speak SQL (the store hands it
//! snapshot inputs) nor search (that is `search`, through `ask`).
//!
//! **Invariant:** a workspace's snapshots are published in the order of the writes they
//! include; every published snapshot answers exactly as a snapshot rebuilt from the store at
//! that point would.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;

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

impl Published {
    pub fn snapshot(&self) -> &Snapshot {
        &self.network.snapshot
    }
}

/// What publishing a snapshot cost, for metrics.
#[derive(Debug, Clone, Copy)]
pub struct Built {
    pub workspace: WorkspaceId,
    pub people: usize,
    pub ties: usize,
    pub took: Duration,
}

/// Called after every publication (the server counts them in `/metrics`).
pub type Observer = Box<dyn Fn(&Built) + Send + Sync>;

/// One workspace's published network (none before its first build), and the lock that
/// orders its updates.
#[derive(Default)]
struct Slot {
    published: ArcSwapOption<Published>,
    update: Mutex<()>,
}

/// The live networks of one database's workspaces.
pub struct Networks {
    settings: Settings,
    slots: RwLock<HashMap<WorkspaceId, Arc<Slot>>>,
    observer: Option<Observer>,
}

impl Networks {
    pub fn new(settings: Settings) -> Networks {
        Networks {
            settings,
            slots: RwLock::new(HashMap::new()),
            observer: None,
        }
    }

    /// Calls `observer` after every publication.
    pub fn observed(mut self, observer: Observer) -> Networks {
        self.observer = Some(observer);
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The published network of a workspace, if it has one yet. Never blocks.
    pub fn published(&self, workspace: WorkspaceId) -> Option<Arc<Published>> {
        read(&self.slots)
            .get(&workspace)
            .and_then(|slot| slot.published.load_full())
    }

    /// The published network of a workspace, built now if this is its first question.
    ///
    /// # Errors
    /// A store error while building it.
    pub fn current(
        &self,
        store: &Store,
        workspace: WorkspaceId,
    ) -> Result<Arc<Published>, StoreError> {
        if let Some(published) = self.published(workspace) {
            return Ok(published);
        }
        let slot = self.slot(workspace);
        let _update = lock(&slot.update);
        match slot.published.load_full() {
            Some(published) => Ok(published),
            None => self.rebuild(store, workspace, &slot),
        }
    }

    /// Brings every workspace of the database up to date (at start-up).
    ///
    /// # Errors
    /// A store error; what was published before it stays.
    pub fn refresh_all(&self, store: &Store) -> Result<(), StoreError> {
        for workspace in store.workspaces()? {
            self.refresh(store, workspace.id)?;
        }
        Ok(())
    }

    /// Brings a workspace's network up to date with what the store holds now, and
    /// publishes it. Updates of one workspace run one at a time, so snapshots are
    /// published in commit order when every write calls this after committing.
    ///
    /// # Errors
    /// A store error; the previous network stays published.
    pub fn refresh(
        &self,
        store: &Store,
        workspace: WorkspaceId,
    ) -> Result<Arc<Published>, StoreError> {
        let slot = self.slot(workspace);
        let _update = lock(&slot.update);
        self.rebuild(store, workspace, &slot)
    }

    /// Builds a workspace's snapshot from the store and publishes it; the caller holds the
    /// slot's update lock.
    fn rebuild(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        slot: &Slot,
    ) -> Result<Arc<Published>, StoreError> {
        let started = Instant::now();
        let snapshot = Snapshot::build(store.snapshot_input(workspace)?, &self.settings.strength);
        let published = Arc::new(Published {
            network: Network::new(snapshot, self.settings),
            generation: next_generation(),
        });
        slot.published.store(Some(published.clone()));
        self.observe(workspace, &published, started.elapsed());
        Ok(published)
    }

    fn observe(&self, workspace: WorkspaceId, published: &Published, took: Duration) {
        tracing::debug!(
            workspace = workspace.0,
            generation = published.generation,
            "snapshot published"
        );
        if let Some(observer) = &self.observer {
            observer(&Built {
                workspace,
                people: published.snapshot().node_count(),
                ties: published.snapshot().tie_count(),
                took,
            });
        }
    }

    /// The slot of a workspace, made on first use.
    fn slot(&self, workspace: WorkspaceId) -> Arc<Slot> {
        if let Some(slot) = read(&self.slots).get(&workspace) {
            return slot.clone();
        }
        let mut slots = self.slots.write().unwrap_or_else(PoisonError::into_inner);
        slots.entry(workspace).or_default().clone()
    }
}

/// Generations are unique in the process, so a thread's scratch buffers are never mistaken
/// for another network's (several servers may run in one test process).
fn next_generation() -> u64 {
    static GENERATION: AtomicU64 = AtomicU64::new(1);
    GENERATION.fetch_add(1, Ordering::Relaxed)
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
            *slot = Some((published.generation, Scratch::new(published.snapshot())));
        }
        match slot.as_mut() {
            Some((_, scratch)) => search(&published.network, scratch),
            None => search(&published.network, &mut Scratch::new(published.snapshot())),
        }
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}
