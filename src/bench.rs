//! The shared benchmark's timing loop (`../shared/bench/README.md`): WB-2HOP and WB-INTRO
//! over a list of egos, one query at a time on one thread.
//!
//! WB-2HOP is [`search::paths`] with two hops and WB-INTRO is [`search::introducers`]:
//! the benchmark's definitions are DESIGN's, so the product's code path is what is timed.

use std::time::Instant;

use serde_json::{Map, Value, json};

use crate::graph::{FieldMask, NodeIdx, Snapshot};
use crate::search::{self, FoundIntroducer, FoundPath, Query, Scratch, TargetFilter};

/// Egos answered before timing starts.
pub const WARM_UP: usize = 10;

/// One ego: its email as listed, and its node when the network holds it.
#[derive(Debug, Clone)]
pub struct BenchEgo {
    pub email: String,
    pub node: Option<NodeIdx>,
}

/// Latencies of one timed pass, in microseconds.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Timing {
    pub median_us: f64,
    pub p99_us: f64,
    pub qps: f64,
}

impl Timing {
    /// Median, 99th percentile (nearest rank) and queries per second of `samples` (seconds).
    pub fn of(samples: &mut [f64]) -> Timing {
        if samples.is_empty() {
            return Timing::default();
        }
        samples.sort_by(f64::total_cmp);
        let n = samples.len();
        let median = if n % 2 == 1 {
            samples[n / 2]
        } else {
            (samples[n / 2 - 1] + samples[n / 2]) / 2.0
        };
        let p99 = samples[((n as f64 * 0.99).ceil() as usize).clamp(1, n) - 1];
        let total: f64 = samples.iter().sum();
        let round = |x: f64| (x * 10.0).round() / 10.0;
        Timing {
            median_us: round(median * 1e6),
            p99_us: round(p99 * 1e6),
            qps: round(if total > 0.0 { n as f64 / total } else { 0.0 }),
        }
    }
}

/// Whether a run keeps its answers (for `check_answers.py`) or only times them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    Keep,
    Discard,
}

/// Both passes' timings and, when asked for, the answers in `check_answers.py`'s format.
#[derive(Debug, Clone)]
pub struct BenchOutcome {
    pub two_hop: Timing,
    pub intro: Timing,
    pub answers: Option<Value>,
}

/// Runs the warm-up, then one timed pass of each query over every ego in the network.
pub fn run(
    snapshot: &Snapshot,
    egos: &[BenchEgo],
    field_mask: FieldMask,
    k: usize,
    answers: Answers,
) -> BenchOutcome {
    let mut scratch = Scratch::new(snapshot);
    let present: Vec<(&str, NodeIdx)> = egos
        .iter()
        .filter_map(|ego| ego.node.map(|node| (ego.email.as_str(), node)))
        .collect();
    let query = |from: NodeIdx| Query {
        from,
        filter: TargetFilter {
            field_mask,
            ..TargetFilter::default()
        },
        max_hops: 2,
        limit: k,
    };
    for &(_, node) in present.iter().take(WARM_UP) {
        std::hint::black_box(search::paths(snapshot, &query(node), &mut scratch));
        std::hint::black_box(search::introducers(snapshot, &query(node), &mut scratch));
    }

    let mut samples = Vec::with_capacity(present.len());
    let mut two_hop: Vec<Vec<FoundPath>> = Vec::new();
    for &(_, node) in &present {
        let q = query(node);
        let started = Instant::now();
        let found = search::paths(snapshot, &q, &mut scratch);
        samples.push(started.elapsed().as_secs_f64());
        if answers == Answers::Keep {
            two_hop.push(found);
        } else {
            std::hint::black_box(found);
        }
    }
    let two_hop_timing = Timing::of(&mut samples);

    samples.clear();
    let mut intro: Vec<Vec<FoundIntroducer>> = Vec::new();
    for &(_, node) in &present {
        let q = query(node);
        let started = Instant::now();
        let found = search::introducers(snapshot, &q, &mut scratch);
        samples.push(started.elapsed().as_secs_f64());
        if answers == Answers::Keep {
            intro.push(found);
        } else {
            std::hint::black_box(found);
        }
    }
    let intro_timing = Timing::of(&mut samples);

    let answers = (answers == Answers::Keep).then(|| {
        let email = |node: NodeIdx| -> Value {
            snapshot
                .person(node)
                .first_email()
                .map_or(Value::Null, |email| Value::String(email.to_string()))
        };
        let mut two_hop_answers = Map::new();
        let mut intro_answers = Map::new();
        for (((ego, _), paths), introducers) in present.iter().zip(&two_hop).zip(&intro) {
            let paths: Vec<Value> = paths
                .iter()
                .map(|path| {
                    json!({
                        "target": email(path.nodes[path.nodes.len() - 1]),
                        "introducer": email(path.nodes[1]),
                        "score": path.score,
                    })
                })
                .collect();
            let introducers: Vec<Value> = introducers
                .iter()
                .map(|found| {
                    json!({
                        "introducer": email(found.introducer),
                        "score": found.score,
                        "reach": found.reach,
                    })
                })
                .collect();
            two_hop_answers.insert(ego.to_string(), Value::Array(paths));
            intro_answers.insert(ego.to_string(), Value::Array(introducers));
        }
        json!({"2hop": two_hop_answers, "intro": intro_answers})
    });
    BenchOutcome {
        two_hop: two_hop_timing,
        intro: intro_timing,
        answers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_takes_the_median_and_the_nearest_rank_p99() {
        let mut samples: Vec<f64> = (1..=200).map(|us| us as f64 * 1e-6).collect();
        let timing = Timing::of(&mut samples);
        assert_eq!(timing.median_us, 100.5);
        assert_eq!(timing.p99_us, 198.0);
        assert!(timing.qps > 9000.0 && timing.qps < 10000.0);
        assert_eq!(Timing::of(&mut []), Timing::default());
    }
}
