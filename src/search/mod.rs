//! Placeholder for the search module (replaced by the `search` branch).
use crate::graph::{FieldMask, NodeIdx, Snapshot};
#[derive(Debug, Clone, Default)]
pub struct TargetFilter {
    pub field_mask: FieldMask,
    pub company: Option<String>,
    pub title: Option<String>,
    pub to: Option<NodeIdx>,
}
pub struct Query {
    pub from: NodeIdx,
    pub filter: TargetFilter,
    pub max_hops: u8,
    pub limit: usize,
}
pub struct FoundPath {
    pub score: f64,
    pub nodes: Vec<NodeIdx>,
}
pub struct FoundIntroducer {
    pub introducer: NodeIdx,
    pub score: f64,
    pub reach: u32,
    pub targets: Vec<(NodeIdx, f64)>,
}
pub struct Scratch;
impl Scratch {
    pub fn new(_snapshot: &Snapshot) -> Scratch {
        Scratch
    }
}
pub fn paths(_s: &Snapshot, _q: &Query, _scratch: &mut Scratch) -> Vec<FoundPath> {
    Vec::new()
}
pub fn introducers(_s: &Snapshot, _q: &Query, _scratch: &mut Scratch) -> Vec<FoundIntroducer> {
    Vec::new()
}
