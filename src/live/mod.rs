//! The live network of each workspace: the one owner of "the current snapshot", used by the
//! HTTP API, the command line and the benchmark alike.
//!
//! It owns loading a workspace's network (from its snapshot file, else from the store),
//! publishing it atomically (readers load an `Arc` and never wait), bringing it up to date
//! after writes, folding what writes changed into a new base, and the per-thread scratch
//! buffers queries run with. It does not speak SQL (the store hands it snapshot inputs and
//! changes) nor search (that is `search`, through `ask`).
//!
//! # Keeping up with writes
//! Every write, from this process or another, logs what it touched in the store's change
//! log (`store::changes`). [`Networks::refresh`] reads the log from the row the published
//! network includes, reads back the current state of exactly those people and pairs, and
//! applies it as a delta over the published snapshot (`graph::delta`): a write of k rows
//! costs time proportional to k, not to the network. A change too large to apply (a bulk
//! load, a log pruned past the network's row, more than a share of the network) rebuilds
//! from the store instead. When the delta has grown past a share of its base, a background
//! thread builds a new base from the store, catches it up with the log, publishes it and
//! writes it to the workspace's snapshot file; readers keep answering from the old one
//! meanwhile.
//!
//! # Snapshot files
//! A workspace's base is kept in `<database>-snapshots/workspace-<id>.snapshot`, written
//! after every full build; loading starts from it (one read of the file) and catches up
//! with the log. A file made from another database, another format version or other
//! strength settings is ignored and replaced.
//!
//! **Invariant:** a workspace's snapshots are published in the order of the writes they
//! include; every published snapshot answers exactly as a snapshot rebuilt from the store at
//! the log row it includes would.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;

use crate::ask::Network;
use crate::config::Settings;
use crate::graph::{Provenance, Snapshot, SnapshotChange};
use crate::search::Scratch;
use crate::store::{Store, StoreError, WorkspaceId};

/// One published network of a workspace, and the change-log row it includes.
pub struct Published {
    pub network: Network,
    pub seq: i64,
}

impl Published {
    pub fn snapshot(&self) -> &Snapshot {
        &self.network.snapshot
    }
}

/// How a network was brought up to date, for metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Read from the workspace's snapshot file.
    Loaded,
    /// Built from the whole workspace.
    Rebuilt,
    /// Writes applied over the published snapshot.
    Applied,
}

/// What publishing a network cost, for metrics.
#[derive(Debug, Clone, Copy)]
pub struct Built {
    pub workspace: WorkspaceId,
    pub update: Update,
    pub people: usize,
    pub ties: usize,
    pub took: Duration,
}

/// Called after every publication (the server counts them in `/metrics`).
pub type Observer = Box<dyn Fn(&Built) + Send + Sync>;

/// Whether networks are kept in snapshot files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// Never read or written (temporary databases: the demo, the benchmark, tests).
    Off,
    /// Read at load; written after a full build, by the thread that built it (a command
    /// that exits right after).
    Inline,
    /// Read at load; written after a full build on a thread of its own (a server).
    Background,
}

/// A delta is folded into a new base once it holds more than this share of the base
/// (and at least [`FOLD_MIN`]).
const FOLD_SHARE: usize = 8;
const FOLD_MIN: usize = 200_000;

/// A change touching more people and pairs than this share of the network (and at least
/// [`REBUILD_MIN`]) rebuilds instead of applying: applying it would cost more.
const REBUILD_SHARE: usize = 16;
const REBUILD_MIN: usize = 50_000;
const REBUILD_MIN_INLINE: usize = 20_000;

/// One workspace's published network (none before its first load), the lock that orders
/// its updates, and whether a fold is under way.
#[derive(Default)]
struct Slot {
    published: ArcSwapOption<Published>,
    update: Mutex<()>,
    folding: AtomicBool,
}

struct Inner {
    settings: Settings,
    slots: RwLock<HashMap<WorkspaceId, Arc<Slot>>>,
    observer: Option<Observer>,
    files: Files,
    /// Counts erasures, so that a snapshot file written from a network read before one is
    /// thrown away instead of renamed into place.
    erasures: AtomicU64,
}

/// The live networks of one database's workspaces. Cheap to clone (shared).
#[derive(Clone)]
pub struct Networks {
    inner: Arc<Inner>,
}

impl Networks {
    pub fn new(settings: Settings, files: Files) -> Networks {
        Networks::with_observer(settings, files, None)
    }

    /// Networks that call `observer` after every publication.
    pub fn with_observer(settings: Settings, files: Files, observer: Option<Observer>) -> Networks {
        Networks {
            inner: Arc::new(Inner {
                settings,
                slots: RwLock::new(HashMap::new()),
                observer,
                files,
                erasures: AtomicU64::new(0),
            }),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The published network of a workspace, if it has one yet. Never blocks.
    pub fn published(&self, workspace: WorkspaceId) -> Option<Arc<Published>> {
        read(&self.inner.slots)
            .get(&workspace)
            .and_then(|slot| slot.published.load_full())
    }

    /// The published network of a workspace, loaded now if this is its first question.
    ///
    /// # Errors
    /// A store error while loading it.
    pub fn current(
        &self,
        store: &Store,
        workspace: WorkspaceId,
    ) -> Result<Arc<Published>, StoreError> {
        if let Some(published) = self.published(workspace) {
            return Ok(published);
        }
        self.refresh(store, workspace)
    }

    /// Brings every workspace of the database up to date (at start-up).
    ///
    /// # Errors
    /// A store error; what was published before it stays.
    pub fn refresh_all(&self, store: &Store) -> Result<(), StoreError> {
        for workspace in store.workspace_ids()? {
            self.refresh(store, workspace)?;
        }
        Ok(())
    }

    /// Brings the workspaces already loaded up to date with writes made since (by this
    /// process or another), and forgets deleted ones.
    ///
    /// # Errors
    /// A store error; what was published before it stays.
    pub fn refresh_loaded(&self, store: &Store) -> Result<(), StoreError> {
        let existing = store.workspace_ids()?;
        let loaded: Vec<WorkspaceId> = read(&self.inner.slots).keys().copied().collect();
        for workspace in loaded {
            if existing.contains(&workspace) {
                self.refresh(store, workspace)?;
            } else {
                self.inner
                    .slots
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&workspace);
            }
        }
        Ok(())
    }

    /// Brings a workspace's network up to date with what the store holds now (loading it
    /// first if needed), and publishes it. Updates of one workspace run one at a time, so
    /// networks are published in commit order when every write calls this after committing.
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
        let published = match slot.published.load_full() {
            Some(current) => self.catch_up(store, workspace, &slot, current)?,
            None => self.load(store, workspace, &slot)?,
        };
        self.maybe_fold(store, workspace, &slot, &published);
        Ok(published)
    }

    /// The first network of a workspace: its snapshot file caught up with the log, else a
    /// full build. The caller holds the slot's update lock.
    fn load(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        slot: &Slot,
    ) -> Result<Arc<Published>, StoreError> {
        let started = Instant::now();
        if let Some(path) = self.file(store, workspace) {
            match Snapshot::read_from(&path, &store.database_id()?, &self.inner.settings.strength) {
                Ok(Some((snapshot, seq))) => {
                    let loaded = self.publish(
                        workspace,
                        slot,
                        snapshot,
                        seq,
                        Update::Loaded,
                        started.elapsed(),
                    );
                    return self.catch_up(store, workspace, slot, loaded);
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(workspace = workspace.0, error = %error, "snapshot file not used; rebuilding");
                }
            }
        }
        self.rebuild(store, workspace, slot)
    }

    /// Applies the writes logged after `current`'s row, or rebuilds when they are too many.
    fn catch_up(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        slot: &Slot,
        current: Arc<Published>,
    ) -> Result<Arc<Published>, StoreError> {
        let started = Instant::now();
        let (changes, state) = store.catch_up(workspace, current.seq)?;
        let size = changes.people.len() + changes.pairs.len();
        // A command that exits after one question rebuilds (and writes its file) sooner:
        // the delta it applies would be applied again by every later command.
        let least = match self.inner.files {
            Files::Inline => REBUILD_MIN_INLINE,
            Files::Off | Files::Background => REBUILD_MIN,
        };
        let limit = (current.snapshot().base_size() / REBUILD_SHARE).max(least);
        if changes.rebuild || size > limit {
            return self.rebuild(store, workspace, slot);
        }
        Ok(self.apply(workspace, slot, current, changes.through, state, started))
    }

    /// Publishes `current` with `state` applied, as including the log up to `through`.
    fn apply(
        &self,
        workspace: WorkspaceId,
        slot: &Slot,
        current: Arc<Published>,
        through: i64,
        state: Option<SnapshotChange>,
        started: Instant,
    ) -> Arc<Published> {
        match state {
            Some(state) => {
                let snapshot = current.snapshot().apply(&state);
                self.publish(
                    workspace,
                    slot,
                    snapshot,
                    through,
                    Update::Applied,
                    started.elapsed(),
                )
            }
            None if through == current.seq => current,
            None => {
                // Nothing of this workspace changed: the same network includes more rows.
                let published = Arc::new(Published {
                    network: current.network.clone(),
                    seq: through,
                });
                slot.published.store(Some(published.clone()));
                published
            }
        }
    }

    /// Builds a workspace's network from the whole store and publishes it (then writes
    /// its snapshot file). The caller holds the slot's update lock.
    fn rebuild(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        slot: &Slot,
    ) -> Result<Arc<Published>, StoreError> {
        let started = Instant::now();
        let (input, seq) = store.snapshot_input_with_seq(workspace)?;
        let snapshot = Snapshot::build(input, &self.inner.settings.strength);
        let published = self.publish(
            workspace,
            slot,
            snapshot,
            seq,
            Update::Rebuilt,
            started.elapsed(),
        );
        // Writes logged while it was read are applied now (idempotent for the others); a
        // bulk load committed meanwhile is left to the next refresh.
        let published = self
            .catch_up_quietly(store, workspace, slot, published.clone())?
            .unwrap_or(published);
        self.save(store, workspace, &published);
        Ok(published)
    }

    /// [`Networks::catch_up`] that never rebuilds: `None` when the log says it must.
    fn catch_up_quietly(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        slot: &Slot,
        current: Arc<Published>,
    ) -> Result<Option<Arc<Published>>, StoreError> {
        let started = Instant::now();
        let (changes, state) = store.catch_up(workspace, current.seq)?;
        if changes.rebuild {
            return Ok(None);
        }
        Ok(Some(self.apply(
            workspace,
            slot,
            current,
            changes.through,
            state,
            started,
        )))
    }

    /// Writes a published network's base to the workspace's snapshot file, when files are
    /// kept and the network is a bare base (just built).
    fn save(&self, store: &Store, workspace: WorkspaceId, published: &Arc<Published>) {
        if published.snapshot().delta_size() > 0 {
            return;
        }
        let (Some(path), Ok(database)) = (self.file(store, workspace), store.database_id()) else {
            return;
        };
        let provenance = Provenance {
            database,
            seq: published.seq,
        };
        let write = {
            let published = published.clone();
            let networks = self.clone();
            let erasures = self.inner.erasures.load(Ordering::Acquire);
            move || {
                let started = Instant::now();
                let unchanged = || networks.inner.erasures.load(Ordering::Acquire) == erasures;
                match published.snapshot().write_to(&path, &provenance, unchanged) {
                    Ok(()) => tracing::debug!(
                        workspace = workspace.0,
                        took_ms = started.elapsed().as_millis() as u64,
                        "snapshot file written"
                    ),
                    Err(error) => {
                        tracing::warn!(workspace = workspace.0, error = %error, "snapshot file not written")
                    }
                }
            }
        };
        match self.inner.files {
            Files::Off => {}
            Files::Inline => write(),
            Files::Background => {
                if let Err(error) = std::thread::Builder::new()
                    .name("snapshot-writer".to_string())
                    .spawn(write)
                {
                    tracing::warn!(error = %error, "cannot start the snapshot writer");
                }
            }
        }
    }

    /// Starts folding the delta into a new base in the background once it grew large.
    fn maybe_fold(
        &self,
        store: &Store,
        workspace: WorkspaceId,
        slot: &Arc<Slot>,
        published: &Published,
    ) {
        let snapshot = published.snapshot();
        if snapshot.delta_size() > (snapshot.base_size() / FOLD_SHARE).max(FOLD_MIN) {
            self.start_fold(store, workspace, slot);
        }
    }

    /// Folds the delta into a new base on a thread of its own, unless one is under way.
    fn start_fold(&self, store: &Store, workspace: WorkspaceId, slot: &Arc<Slot>) {
        if slot.folding.swap(true, Ordering::AcqRel) {
            return;
        }
        let Some(path) = store.path().map(Path::to_path_buf) else {
            slot.folding.store(false, Ordering::Release);
            return;
        };
        let networks = self.clone();
        let slot = slot.clone();
        let spawned = std::thread::Builder::new()
            .name("snapshot-fold".to_string())
            .spawn(move || {
                if let Err(error) = networks.fold(&path, workspace, &slot) {
                    tracing::warn!(workspace = workspace.0, error = %error, "fold failed; the delta stays");
                }
                slot.folding.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            // No thread: fold later, on another write.
            self.slot(workspace).folding.store(false, Ordering::Release);
        }
    }

    /// Builds a new base from the store, then (holding the update lock only for that)
    /// catches it up with what was written meanwhile and publishes it.
    fn fold(&self, db: &Path, workspace: WorkspaceId, slot: &Slot) -> Result<(), StoreError> {
        let started = Instant::now();
        let store = Store::open(db)?;
        let (input, seq) = store.snapshot_input_with_seq(workspace)?;
        let base = Arc::new(Published {
            network: Network::new(
                Snapshot::build(input, &self.inner.settings.strength),
                self.inner.settings,
            ),
            seq,
        });
        tracing::debug!(
            workspace = workspace.0,
            took_ms = started.elapsed().as_millis() as u64,
            "delta folded into a new base"
        );
        {
            let _update = lock(&slot.update);
            // Published by the catch-up; a bulk load committed meanwhile leaves the fold to
            // the rebuild the next refresh does.
            if self
                .catch_up_quietly(&store, workspace, slot, base.clone())?
                .is_none()
            {
                return Ok(());
            }
        }
        self.save(&store, workspace, &base);
        Ok(())
    }

    fn publish(
        &self,
        workspace: WorkspaceId,
        slot: &Slot,
        snapshot: Snapshot,
        seq: i64,
        update: Update,
        took: Duration,
    ) -> Arc<Published> {
        let published = Arc::new(Published {
            network: Network::new(snapshot, self.inner.settings),
            seq,
        });
        slot.published.store(Some(published.clone()));
        self.observe(workspace, &published, update, took);
        published
    }

    fn observe(
        &self,
        workspace: WorkspaceId,
        published: &Published,
        update: Update,
        took: Duration,
    ) {
        tracing::debug!(
            workspace = workspace.0,
            seq = published.seq,
            update = ?update,
            took_us = took.as_micros() as u64,
            "network published"
        );
        if let Some(observer) = &self.inner.observer {
            observer(&Built {
                workspace,
                update,
                people: published.snapshot().people_count(),
                ties: published.snapshot().tie_count(),
                took,
            });
        }
    }

    /// The snapshot file of a workspace, when files are kept and the database has a file.
    fn file(&self, store: &Store, workspace: WorkspaceId) -> Option<PathBuf> {
        if self.inner.files == Files::Off {
            return None;
        }
        snapshot_file(store.path()?, workspace)
    }

    /// Removes a workspace's snapshot file: it holds people's names and emails, so after
    /// an erasure it goes until a new one is written without them. A file being written
    /// meanwhile (from a network read before the erasure) is not put in its place.
    /// A new file, without them, is written by a fold started now in the background.
    pub fn forget_file(&self, store: &Store, workspace: WorkspaceId) {
        self.inner.erasures.fetch_add(1, Ordering::AcqRel);
        if let Some(path) = store.path().and_then(|db| snapshot_file(db, workspace)) {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => tracing::warn!(error = %error, "cannot remove a snapshot file"),
            }
        }
        if self.inner.files != Files::Off {
            self.start_fold(store, workspace, &self.slot(workspace));
        }
    }

    /// The slot of a workspace, made on first use.
    fn slot(&self, workspace: WorkspaceId) -> Arc<Slot> {
        if let Some(slot) = read(&self.inner.slots).get(&workspace) {
            return slot.clone();
        }
        let mut slots = self
            .inner
            .slots
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        slots.entry(workspace).or_default().clone()
    }
}

/// Where a workspace's snapshot file lives, beside the database.
pub fn snapshot_file(db: &Path, workspace: WorkspaceId) -> Option<PathBuf> {
    let name = db.file_name()?.to_string_lossy().into_owned();
    Some(
        db.with_file_name(format!("{name}-snapshots"))
            .join(format!("workspace-{}.snapshot", workspace.0)),
    )
}

thread_local! {
    /// This thread's scratch buffers: they fit any snapshot (they grow when one is
    /// larger), so they are kept across snapshots.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs a search with this thread's scratch buffers.
/// Never shared across threads: each worker and rayon thread has its own.
pub fn with_scratch<T>(
    published: &Published,
    search: impl FnOnce(&Network, &mut Scratch) -> T,
) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => search(&published.network, &mut scratch),
        // A search inside a search on this thread (never done today): its own buffers.
        Err(_) => search(&published.network, &mut Scratch::new(published.snapshot())),
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
