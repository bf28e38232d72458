//! Placeholder for the benchmark core (replaced by the `search` branch).
use crate::graph::{FieldMask, NodeIdx, Snapshot};
pub struct BenchEgo {
    pub email: String,
    pub node: Option<NodeIdx>,
}
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timing {
    pub median_us: f64,
    pub p99_us: f64,
    pub qps: f64,
}
pub struct BenchOutcome {
    pub two_hop: Timing,
    pub intro: Timing,
    pub answers: Option<serde_json::Value>,
}
pub fn run(
    _s: &Snapshot,
    _egos: &[BenchEgo],
    _mask: FieldMask,
    _k: usize,
    _keep: bool,
) -> BenchOutcome {
    BenchOutcome {
        two_hop: Timing::default(),
        intro: Timing::default(),
        answers: None,
    }
}
