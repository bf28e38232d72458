//! Search on a snapshot: the best paths to matching targets, and the introducers they go
//! through, exactly as DESIGN defines them.
//!
//! # Semantics
//! - A path is `from → h1 → … → target` with 1 to `max_hops` ties and no person twice;
//!   `h1` is the introducer. Targets are never `from` nor `from`'s direct contacts, so a
//!   path has at least two hops.
//! - A path's score is the product of its ties' strengths. Per target the best path wins;
//!   equal scores go to the smaller introducer, then the shorter path, then the smaller
//!   second intermediary.
//! - Paths rank by score, then by the smaller target. Introducers rank by their best score
//!   (the best path through them), then by the smaller introducer; their `reach` is the
//!   number of distinct matching targets reachable through them, and `targets` their best
//!   three.
//! - "Smaller" compares people's smallest email in byte order, people without email after
//!   those with one, then store ids (the snapshot's rank).
//!
//! # Cost
//! The snapshot numbers people by field group, so the entries of a neighbour list that
//! can be targets of a field query form one range (or a few, for people of several
//! fields) found by interpolation and galloping: a two-hop query reads `from`'s list once and, of each
//! introducer's list, only the entries in the target ranges. Per-node state lives in a
//! [`Scratch`] of epoch-stamped arrays, reused across queries: a query allocates nothing
//! proportional to the graph. Ranking uses the adjacency's `f32` strengths; the scores
//! returned are recomputed exactly (`f64`) along each returned path.

use crate::graph::{Entry, FieldMask, NodeIdx, Snapshot, TieView, fraction, lower_bound_at};

/// Which people count as targets; the conditions combine with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetFilter {
    /// Targets hold one of these fields (0: any field).
    pub field_mask: FieldMask,
    /// A folded (see `text::fold`) substring of the target's company.
    pub company: Option<String>,
    /// A folded substring of the target's title.
    pub title: Option<String>,
    /// Exactly this person.
    pub to: Option<NodeIdx>,
}

/// One search.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub from: NodeIdx,
    pub filter: TargetFilter,
    /// 1 to 3.
    pub max_hops: u8,
    pub limit: usize,
}

/// A path, `from` first, target last.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPath {
    pub score: f64,
    pub nodes: Vec<NodeIdx>,
}

/// An introducer and what it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundIntroducer {
    pub introducer: NodeIdx,
    /// The tie from `from` to the introducer.
    pub tie: Option<TieView>,
    /// The best path score through this introducer.
    pub score: f64,
    /// Distinct matching targets reachable through this introducer.
    pub reach: u32,
    /// The best three targets, with their path scores through this introducer.
    pub targets: Vec<(NodeIdx, f64)>,
}

/// Targets shown per introducer.
pub const TARGETS_PER_INTRODUCER: usize = 3;

const NONE: u32 = u32::MAX;

/// Reusable per-node state for queries on one snapshot (or a smaller one).
///
/// Keep one per thread; [`paths`] and [`introducers`] grow it when the snapshot grew.
#[derive(Debug, Default)]
pub struct Scratch {
    epoch: u32,
    /// Per node, everything a query keeps about it, side by side (one cache line).
    slots: Vec<Slot>,
    /// `from` and its direct contacts, one bit a node: small enough to stay in cache
    /// while every target is checked against it.
    near: Vec<u64>,
    /// The words of `near` the current query set, cleared by the next one.
    near_words: Vec<u32>,
    /// Two-hop prefixes (for three-hop queries): stamp, score and first hop.
    prefix_mark: Vec<u32>,
    prefix_best: Vec<f64>,
    prefix_via: Vec<u32>,
    /// Per-introducer dedup of targets (three-hop introducers).
    reach_epoch: u32,
    reach_mark: Vec<u32>,
    candidates: Vec<u32>,
    prefixes: Vec<u32>,
    /// The target ranges: start, end and the start's [`fraction`] of the node count.
    ranges: Vec<(u32, u32, u64)>,
    company_ok: Vec<u32>,
    title_ok: Vec<u32>,
    found: Vec<(u32, f32)>,
    reached: Vec<Reached>,
    /// Introducers of the current query: (score, introducer, reach, index in
    /// `kept_targets`), and their best targets; kept to be reused.
    ranked_introducers: Vec<(f64, u32, u32, u32)>,
    kept_targets: Vec<([Reached; TARGETS_PER_INTRODUCER], usize)>,
    ranked_paths: Vec<(f64, u32)>,
}

impl Scratch {
    pub fn new(snapshot: &Snapshot) -> Scratch {
        let mut scratch = Scratch::default();
        scratch.fit(snapshot);
        scratch
    }

    fn fit(&mut self, snapshot: &Snapshot) {
        let count = snapshot.node_count();
        if self.slots.len() < count {
            // Room for the people writes will append, so a growing network does not make
            // every thread copy its buffers on every write; but no more (no doubling: a
            // thread's buffers are the size of the network).
            let count = count + count / 32 + 1024;
            fn grow<T: Clone>(items: &mut Vec<T>, count: usize, value: T) {
                if items.len() < count {
                    items.reserve_exact(count - items.len());
                    items.resize(count, value);
                }
            }
            grow(&mut self.near, count.div_ceil(64), 0);
            grow(&mut self.slots, count, Slot::default());
            grow(&mut self.prefix_mark, count, 0);
            grow(&mut self.prefix_best, count, 0.0);
            grow(&mut self.prefix_via, count, NONE);
            grow(&mut self.reach_mark, count, 0);
        }
        let companies = snapshot.company_count();
        if self.company_ok.len() < companies {
            self.company_ok.resize(companies, 0);
        }
        let titles = snapshot.title_count();
        if self.title_ok.len() < titles {
            self.title_ok.resize(titles, 0);
        }
    }

    #[inline]
    fn is_near(&self, node: u32) -> bool {
        self.near[(node / 64) as usize] & (1 << (node % 64)) != 0
    }

    #[inline]
    fn set_near(&mut self, node: u32) {
        let word = node / 64;
        let bits = &mut self.near[word as usize];
        if *bits == 0 {
            self.near_words.push(word);
        }
        *bits |= 1 << (node % 64);
    }

    /// Starts a query: a fresh pair of stamps, clearing the arrays on wrap-around.
    fn begin(&mut self) -> u32 {
        for word in self.near_words.drain(..) {
            if let Some(bits) = self.near.get_mut(word as usize) {
                *bits = 0;
            }
        }
        if self.epoch >= u32::MAX - 4 {
            self.slots.fill(Slot::default());
            self.prefix_mark.fill(0);
            self.company_ok.fill(0);
            self.title_ok.fill(0);
            self.epoch = 0;
        }
        self.epoch += 2;
        self.candidates.clear();
        self.prefixes.clear();
        self.ranges.clear();
        self.epoch
    }

    fn next_reach(&mut self) -> u32 {
        if self.reach_epoch == u32::MAX {
            self.reach_mark.fill(0);
            self.reach_epoch = 0;
        }
        self.reach_epoch += 1;
        self.reach_epoch
    }
}

/// What a query keeps about one node.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The query's stamp: `epoch` for `from` and its direct contacts, `epoch + 1` for a
    /// target seen this query.
    mark: u32,
    /// The best path's first and second intermediaries (`NONE` for a two-hop path); for
    /// three-hop introducers, the target's place in the introducer's list.
    via: u32,
    via2: u32,
    /// The best path's score (from `f32` strengths).
    best: f64,
}

impl Default for Slot {
    fn default() -> Slot {
        Slot {
            mark: 0,
            via: NONE,
            via2: NONE,
            best: 0.0,
        }
    }
}

/// A target's best path so far: its score (approximate, from `f32` strengths) and
/// intermediaries.
#[derive(Debug, Clone, Copy)]
struct Best {
    score: f64,
    h1: u32,
    h2: u32,
}

/// A query prepared against a snapshot: target ranges and filter stamps set up.
struct Run<'a> {
    snapshot: &'a Snapshot,
    from: u32,
    near: u32,
    seen: u32,
    company: bool,
    title: bool,
}

impl Run<'_> {
    /// Whether `node` passes the company and title filters.
    #[inline]
    fn accepts(&self, scratch: &Scratch, node: u32) -> bool {
        if self.company {
            let id = self.snapshot.company_of(node);
            if id == NONE || scratch.company_ok[id as usize] != self.near {
                return false;
            }
        }
        if self.title {
            let id = self.snapshot.title_of(node);
            if id == NONE || scratch.title_ok[id as usize] != self.near {
                return false;
            }
        }
        true
    }

    /// Calls `visit(target, strength)` for every entry of `node`'s list inside the target
    /// ranges that may be a target: not `from`, not a direct contact, passing the filters.
    #[inline]
    fn for_each_target(
        &self,
        scratch: &mut Scratch,
        node: u32,
        mut visit: impl FnMut(&mut Scratch, u32, f32),
    ) {
        let list = self.snapshot.adjacency_of(node);
        let ranges = std::mem::take(&mut scratch.ranges);
        for &(start, end, at) in &ranges {
            let from = lower_bound_at(list, start, at);
            for entry in list[from..].iter().take_while(|entry| entry.node < end) {
                let target = entry.node;
                if !scratch.is_near(target) && self.accepts(scratch, target) {
                    visit(scratch, target, entry.strength);
                }
            }
        }
        scratch.ranges = ranges;
    }

    /// Appends to `found` every entry [`Run::for_each_target`] visits.
    #[inline]
    fn each_target(&self, scratch: &mut Scratch, node: u32, found: &mut Vec<(u32, f32)>) {
        self.for_each_target(scratch, node, |_, target, strength| {
            found.push((target, strength));
        });
    }
}

/// Sets up a query: stamps, target ranges, filter tables and `from`'s neighbourhood.
/// `None` when nothing can match (an unknown `from`, an empty range).
fn prepare<'a>(snapshot: &'a Snapshot, query: &Query, scratch: &mut Scratch) -> Option<Run<'a>> {
    scratch.fit(snapshot);
    let count = snapshot.node_count() as u32;
    if query.from.0 >= count || query.max_hops < 2 || query.limit == 0 {
        return None;
    }
    let near = scratch.begin();
    let filter = &query.filter;
    if filter.field_mask != 0 {
        for group in snapshot.groups() {
            if group.mask & filter.field_mask == 0 {
                continue;
            }
            match scratch.ranges.last_mut() {
                Some(last) if last.1 == group.start => last.1 = group.end,
                _ => scratch.ranges.push((group.start, group.end, 0)),
            }
        }
    } else {
        scratch.ranges.push((0, count, 0));
    }
    if let Some(to) = filter.to {
        scratch
            .ranges
            .retain(|&(start, end, _)| start <= to.0 && to.0 < end);
        if scratch.ranges.is_empty() {
            return None;
        }
        scratch.ranges.clear();
        scratch.ranges.push((to.0, to.0 + 1, 0));
    }
    if scratch.ranges.is_empty() {
        return None;
    }
    for range in &mut scratch.ranges {
        range.2 = fraction(range.0, count);
    }
    let company = stamp_matching(
        snapshot.companies(),
        filter.company.as_deref(),
        &mut scratch.company_ok,
        near,
    );
    let title = stamp_matching(
        snapshot.titles(),
        filter.title.as_deref(),
        &mut scratch.title_ok,
        near,
    );
    let from = query.from.0;
    scratch.set_near(from);
    for entry in snapshot.adjacency_of(from) {
        scratch.set_near(entry.node);
    }
    Some(Run {
        snapshot,
        from,
        near,
        seen: near + 1,
        company,
        title,
    })
}

/// Stamps the values containing `needle`; whether the filter is on.
fn stamp_matching<'a>(
    values: impl Iterator<Item = &'a str>,
    needle: Option<&str>,
    ok: &mut [u32],
    stamp: u32,
) -> bool {
    let Some(needle) = needle else {
        return false;
    };
    for (value, slot) in values.zip(ok.iter_mut()) {
        if value.contains(needle) {
            *slot = stamp;
        }
    }
    true
}

/// How many introducers ahead the offsets of a neighbour list are asked for; half as far
/// ahead, the place in the list where the first target range starts (found from those
/// offsets by interpolation, as `lower_bound` finds it). A first hop's lists each start
/// with two dependent cache misses; prefetching overlaps them with the work on earlier
/// lists.
const PREFETCH_DISTANCE: usize = 8;

#[inline]
fn prefetch_ahead(snapshot: &Snapshot, first: &[Entry], at: usize, range_start: u64) {
    if let Some(entry) = first.get(at + PREFETCH_DISTANCE) {
        snapshot.prefetch_offsets(entry.node);
    }
    if let Some(entry) = first.get(at + PREFETCH_DISTANCE / 2) {
        snapshot.prefetch_range(entry.node, range_start);
    }
}

/// Is path `(h1, h2)` to a target preferred over `best` at equal score?
#[inline]
fn smaller_path(snapshot: &Snapshot, h1: u32, h2: u32, best: &Best) -> bool {
    let key = |h1: u32, h2: u32| {
        (
            snapshot.rank(h1),
            h2 != NONE,
            if h2 == NONE { 0 } else { snapshot.rank(h2) },
        )
    };
    key(h1, h2) < key(best.h1, best.h2)
}

/// Offers a path to `target`; keeps it when it beats the target's best so far.
#[inline(always)]
fn offer(run: &Run, scratch: &mut Scratch, target: u32, score: f64, h1: u32, h2: u32) {
    let slot = &mut scratch.slots[target as usize];
    if slot.mark != run.seen {
        *slot = Slot {
            mark: run.seen,
            via: h1,
            via2: h2,
            best: score,
        };
        scratch.candidates.push(target);
        return;
    }
    let best = Best {
        score: slot.best,
        h1: slot.via,
        h2: slot.via2,
    };
    if score > best.score || (score == best.score && smaller_path(run.snapshot, h1, h2, &best)) {
        (slot.best, slot.via, slot.via2) = (score, h1, h2);
    }
}

/// Fills `scratch.candidates` with every target and its best path.
fn best_paths(run: &Run, scratch: &mut Scratch, max_hops: u8) {
    let snapshot = run.snapshot;
    let mut found = std::mem::take(&mut scratch.found);
    let first = snapshot.adjacency_of(run.from);
    let range_start = scratch.ranges.first().map_or(0, |range| range.2);
    for (at, entry) in first.iter().enumerate() {
        prefetch_ahead(snapshot, first, at, range_start);
        let (h1, s1) = (entry.node, f64::from(entry.strength));
        run.for_each_target(scratch, h1, |scratch, target, s2| {
            offer(run, scratch, target, s1 * f64::from(s2), h1, NONE);
        });
    }
    if max_hops >= 3 {
        // The best two-hop prefix to every h2, then one more hop from each.
        let prefix = run.seen;
        for entry in first {
            let (h1, s1) = (entry.node, f64::from(entry.strength));
            for second in snapshot.adjacency_of(h1) {
                let h2 = second.node;
                if h2 == run.from {
                    continue;
                }
                let score = s1 * f64::from(second.strength);
                let i = h2 as usize;
                if scratch.prefix_mark[i] != prefix {
                    scratch.prefix_mark[i] = prefix;
                    scratch.prefix_best[i] = score;
                    scratch.prefix_via[i] = h1;
                    scratch.prefixes.push(h2);
                } else if score > scratch.prefix_best[i]
                    || (score == scratch.prefix_best[i]
                        && snapshot.rank(h1) < snapshot.rank(scratch.prefix_via[i]))
                {
                    scratch.prefix_best[i] = score;
                    scratch.prefix_via[i] = h1;
                }
            }
        }
        let prefixes = std::mem::take(&mut scratch.prefixes);
        for &h2 in &prefixes {
            let (base, h1) = (
                scratch.prefix_best[h2 as usize],
                scratch.prefix_via[h2 as usize],
            );
            found.clear();
            run.each_target(scratch, h2, &mut found);
            for &(target, s) in &found {
                offer(run, scratch, target, base * f64::from(s), h1, h2);
            }
        }
        scratch.prefixes = prefixes;
    }
    scratch.found = found;
}

/// Ranked paths to the targets `query` asks for, best first, at most `query.limit`.
///
/// # Complexity
/// Two hops: O(d(from) + Σ over from's contacts of (log d + the entries of their lists in
/// the target ranges)), then O(c + limit · log) to rank the c targets found. Three hops adds
/// a pass over every list of from's contacts (the two-hop prefixes) and the target ranges of
/// each second intermediary's list. Allocates nothing proportional to the graph: per-node
/// state is in `scratch`.
pub fn paths(snapshot: &Snapshot, query: &Query, scratch: &mut Scratch) -> Vec<FoundPath> {
    let Some(run) = prepare(snapshot, query, scratch) else {
        return Vec::new();
    };
    best_paths(&run, scratch, query.max_hops);
    let mut ranked = std::mem::take(&mut scratch.ranked_paths);
    ranked.clear();
    ranked.extend(
        scratch
            .candidates
            .iter()
            .map(|&target| (scratch.slots[target as usize].best, target)),
    );
    let by_score = |a: &(f64, u32), b: &(f64, u32)| {
        b.0.total_cmp(&a.0)
            .then_with(|| rank_cmp(snapshot, a.1, b.1))
    };
    top(&mut ranked, query.limit, by_score);
    let mut found: Vec<FoundPath> = ranked
        .iter()
        .map(|&(_, target)| {
            let t = target as usize;
            let slot = &scratch.slots[t];
            let mut nodes = vec![query.from, NodeIdx(slot.via)];
            if slot.via2 != NONE {
                nodes.push(NodeIdx(slot.via2));
            }
            nodes.push(NodeIdx(target));
            FoundPath {
                score: exact_score(snapshot, &nodes),
                nodes,
            }
        })
        .collect();
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| rank_cmp(snapshot, target_of(&a.nodes), target_of(&b.nodes)))
    });
    scratch.ranked_paths = ranked;
    found
}

/// A target reached through one introducer: approximate score, target, second
/// intermediary (`NONE` on a two-hop path).
type Reached = (f64, u32, u32);

/// Ranked introducers for `query`, best first, at most `query.limit`.
///
/// # Complexity
/// Two hops: each of from's contacts' target ranges is read once, O(d(from) + Σ (log d +
/// entries in range)), keeping each introducer's reach and best three as they come; then
/// O(i + limit · log) to rank the i introducers. Three hops reads, per introducer, the target
/// ranges of every one of its contacts (O(Σ d(h1) · ranges)), with per-introducer
/// deduplication of targets in `scratch`.
pub fn introducers(
    snapshot: &Snapshot,
    query: &Query,
    scratch: &mut Scratch,
) -> Vec<FoundIntroducer> {
    let Some(run) = prepare(snapshot, query, scratch) else {
        return Vec::new();
    };
    let mut found = std::mem::take(&mut scratch.found);
    let mut reached = std::mem::take(&mut scratch.reached);
    let by_score = |a: &Reached, b: &Reached| {
        b.0.total_cmp(&a.0)
            .then_with(|| rank_cmp(snapshot, a.1, b.1))
    };
    // Per introducer: best approximate score, introducer, reach, its best targets.
    // Per introducer: best approximate score, introducer, reach and where its best targets
    // are kept (24 bytes an entry, so ranking moves little).
    let mut ranked = std::mem::take(&mut scratch.ranked_introducers);
    let mut kept_targets = std::mem::take(&mut scratch.kept_targets);
    ranked.clear();
    kept_targets.clear();
    let first = snapshot.adjacency_of(run.from);
    let range_start = scratch.ranges.first().map_or(0, |range| range.2);
    for (at, entry) in first.iter().enumerate() {
        prefetch_ahead(snapshot, first, at, range_start);
        let (h1, s1) = (entry.node, f64::from(entry.strength));
        if query.max_hops < 3 {
            // A neighbour list holds each target once: count them and keep the best
            // three as they come.
            let mut reach = 0u32;
            let mut best = [(0.0, NONE, NONE); TARGETS_PER_INTRODUCER];
            let mut kept = 0usize;
            run.for_each_target(scratch, h1, |_, target, s2| {
                reach += 1;
                let path = (s1 * f64::from(s2), target, NONE);
                if kept == TARGETS_PER_INTRODUCER && by_score(&path, &best[kept - 1]).is_ge() {
                    return;
                }
                let mut at = kept.min(TARGETS_PER_INTRODUCER - 1);
                while at > 0 && by_score(&path, &best[at - 1]).is_lt() {
                    best[at] = best[at - 1];
                    at -= 1;
                }
                best[at] = path;
                kept = (kept + 1).min(TARGETS_PER_INTRODUCER);
            });
            if reach > 0 {
                ranked.push((best[0].0, h1, reach, kept_targets.len() as u32));
                kept_targets.push((best, kept));
            }
            continue;
        }
        reached.clear();
        found.clear();
        run.each_target(scratch, h1, &mut found);
        {
            let stamp = scratch.next_reach();
            for &(target, s2) in &found {
                keep_best(
                    scratch,
                    &mut reached,
                    stamp,
                    (s1 * f64::from(s2), target, NONE),
                );
            }
            for second in snapshot.adjacency_of(h1) {
                let h2 = second.node;
                if h2 == run.from {
                    continue;
                }
                let base = s1 * f64::from(second.strength);
                found.clear();
                run.each_target(scratch, h2, &mut found);
                for &(target, s) in &found {
                    keep_best(
                        scratch,
                        &mut reached,
                        stamp,
                        (base * f64::from(s), target, h2),
                    );
                }
            }
        }
        if reached.is_empty() {
            continue;
        }
        let reach = reached.len() as u32;
        top(&mut reached, TARGETS_PER_INTRODUCER, by_score);
        let mut best = [(0.0, NONE, NONE); TARGETS_PER_INTRODUCER];
        best[..reached.len()].copy_from_slice(&reached);
        ranked.push((reached[0].0, h1, reach, kept_targets.len() as u32));
        kept_targets.push((best, reached.len()));
    }
    scratch.found = found;
    scratch.reached = reached;
    top(&mut ranked, query.limit, |a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| rank_cmp(snapshot, a.1, b.1))
    });
    let mut result: Vec<FoundIntroducer> = ranked
        .iter()
        .map(|&(_, h1, reach, kept)| {
            let (best, len) = kept_targets[kept as usize];
            // The same left-to-right product as `exact_score`, the first tie looked up once.
            let exact = |a: u32, b: u32| snapshot.strength(NodeIdx(a), NodeIdx(b)).unwrap_or(0.0);
            let tie = snapshot.tie(query.from, NodeIdx(h1));
            let first = tie.map_or(0.0, |tie| tie.strength);
            let mut targets: Vec<(NodeIdx, f64)> = best[..len]
                .iter()
                .map(|&(_, target, h2)| {
                    let score = if h2 == NONE {
                        first * exact(h1, target)
                    } else {
                        first * exact(h1, h2) * exact(h2, target)
                    };
                    (NodeIdx(target), score)
                })
                .collect();
            targets.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| rank_cmp(snapshot, a.0.0, b.0.0))
            });
            FoundIntroducer {
                introducer: NodeIdx(h1),
                tie,
                score: targets.first().map_or(0.0, |target| target.1),
                reach,
                targets,
            }
        })
        .collect();
    result.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| rank_cmp(snapshot, a.introducer.0, b.introducer.0))
    });
    scratch.ranked_introducers = ranked;
    scratch.kept_targets = kept_targets;
    result
}

/// The people `query` asks for whom `from` already knows: how many of `from`'s direct
/// contacts match the filter, and the `k` strongest of them with their exact tie strength
/// (strongest first; equal strengths go to the smaller person). `max_hops` and `limit`
/// are ignored.
///
/// # Complexity
/// O(log d + the entries of from's list in the target ranges), plus a sort of those.
pub fn known(
    snapshot: &Snapshot,
    query: &Query,
    scratch: &mut Scratch,
    k: usize,
) -> (u32, Vec<(NodeIdx, f64)>) {
    let reach = Query {
        max_hops: 2,
        limit: 1,
        ..query.clone()
    };
    let Some(run) = prepare(snapshot, &reach, scratch) else {
        return (0, Vec::new());
    };
    let list = snapshot.adjacency_of(run.from);
    let mut found: Vec<(f32, u32)> = Vec::new();
    for &(start, end, at) in &scratch.ranges {
        let first = lower_bound_at(list, start, at);
        for entry in list[first..].iter().take_while(|entry| entry.node < end) {
            if run.accepts(scratch, entry.node) {
                found.push((entry.strength, entry.node));
            }
        }
    }
    let count = found.len() as u32;
    top(&mut found, k, |a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| rank_cmp(snapshot, a.1, b.1))
    });
    let mut known: Vec<(NodeIdx, f64)> = found
        .iter()
        .map(|&(_, node)| {
            let strength = snapshot.strength(query.from, NodeIdx(node)).unwrap_or(0.0);
            (NodeIdx(node), strength)
        })
        .collect();
    known.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| rank_cmp(snapshot, a.0.0, b.0.0))
    });
    (count, known)
}

/// For three-hop introducers: keeps the best path to each target through one introducer.
fn keep_best(scratch: &mut Scratch, reached: &mut Vec<Reached>, stamp: u32, path: Reached) {
    let t = path.1 as usize;
    if scratch.reach_mark[t] != stamp {
        scratch.reach_mark[t] = stamp;
        scratch.slots[t].via = reached.len() as u32;
        reached.push(path);
        return;
    }
    let slot = &mut reached[scratch.slots[t].via as usize];
    if path.0 > slot.0 {
        *slot = path;
    }
}

/// Keeps the first `k` of `items` in `order`, sorted.
fn top<T>(items: &mut Vec<T>, k: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > k && k > 0 {
        items.select_nth_unstable_by(k - 1, &order);
        items.truncate(k);
    } else if k == 0 {
        items.clear();
    }
    items.sort_unstable_by(&order);
}

fn rank_cmp(snapshot: &Snapshot, a: u32, b: u32) -> std::cmp::Ordering {
    snapshot.rank(a).cmp(&snapshot.rank(b))
}

fn target_of(nodes: &[NodeIdx]) -> u32 {
    nodes.last().map_or(NONE, |node| node.0)
}

/// The product of the exact strengths along `nodes`.
fn exact_score(snapshot: &Snapshot, nodes: &[NodeIdx]) -> f64 {
    nodes
        .windows(2)
        .map(|pair| snapshot.strength(pair[0], pair[1]).unwrap_or(0.0))
        .product()
}

#[cfg(test)]
mod tests;
