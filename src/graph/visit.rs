//! petgraph's graph traits for [`Snapshot`]: petgraph stays the graph model, so its
//! algorithms (`Bfs`, `Dfs`, `dijkstra`, `connected_components`, ...) run on a snapshot as
//! on any of its own graphs, while `search` reads the specialised layout directly.
//!
//! The snapshot is an undirected graph: node weights are `()`, edge weights the ties'
//! `f32` strengths, and an edge is identified by its two ends.

use std::collections::HashSet;
use std::iter::Map;
use std::ops::Range;
use std::slice;

use petgraph::Undirected;
use petgraph::visit::{
    Data, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoNeighbors, IntoNodeIdentifiers,
    NodeCount, NodeIndexable, Visitable,
};

use super::{Entry, NodeIdx, Snapshot};

impl GraphBase for Snapshot {
    type NodeId = NodeIdx;
    type EdgeId = (NodeIdx, NodeIdx);
}

impl GraphProp for Snapshot {
    type EdgeType = Undirected;
}

impl Data for Snapshot {
    type NodeWeight = ();
    type EdgeWeight = f32;
}

impl NodeCount for Snapshot {
    fn node_count(&self) -> usize {
        Snapshot::node_count(self)
    }
}

impl NodeIndexable for Snapshot {
    fn node_bound(&self) -> usize {
        Snapshot::node_count(self)
    }

    fn to_index(&self, node: NodeIdx) -> usize {
        node.index()
    }

    fn from_index(&self, index: usize) -> NodeIdx {
        NodeIdx(index as u32)
    }
}

impl Visitable for Snapshot {
    type Map = HashSet<NodeIdx>;

    fn visit_map(&self) -> HashSet<NodeIdx> {
        HashSet::new()
    }

    fn reset_map(&self, map: &mut HashSet<NodeIdx>) {
        map.clear();
    }
}

fn node_of(entry: &Entry) -> NodeIdx {
    NodeIdx(entry.node)
}

impl<'a> IntoNeighbors for &'a Snapshot {
    type Neighbors = Map<slice::Iter<'a, Entry>, fn(&Entry) -> NodeIdx>;

    fn neighbors(self, node: NodeIdx) -> Self::Neighbors {
        self.adjacency_of(node.0).iter().map(node_of)
    }
}

impl IntoNodeIdentifiers for &Snapshot {
    type NodeIdentifiers = Map<Range<u32>, fn(u32) -> NodeIdx>;

    fn node_identifiers(self) -> Self::NodeIdentifiers {
        (0..self.node_count() as u32).map(NodeIdx)
    }
}

/// The edges of one node, as `(node, neighbour, &strength)`.
#[derive(Debug, Clone)]
pub struct Edges<'a> {
    source: NodeIdx,
    entries: slice::Iter<'a, Entry>,
}

impl<'a> Iterator for Edges<'a> {
    type Item = (NodeIdx, NodeIdx, &'a f32);

    fn next(&mut self) -> Option<Self::Item> {
        self.entries
            .next()
            .map(|entry| (self.source, NodeIdx(entry.node), &entry.strength))
    }
}

impl<'a> IntoEdges for &'a Snapshot {
    type Edges = Edges<'a>;

    fn edges(self, node: NodeIdx) -> Edges<'a> {
        Edges {
            source: node,
            entries: self.adjacency_of(node.0).iter(),
        }
    }
}

/// Every edge once, from its lower end.
#[derive(Clone)]
pub struct EdgeReferences<'a> {
    snapshot: &'a Snapshot,
    next_node: u32,
    current: Edges<'a>,
}

impl<'a> Iterator for EdgeReferences<'a> {
    type Item = (NodeIdx, NodeIdx, &'a f32);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(edge) = self.current.next() {
                if edge.0 < edge.1 {
                    return Some(edge);
                }
                continue;
            }
            if self.next_node as usize >= self.snapshot.node_count() {
                return None;
            }
            self.current = self.snapshot.edges(NodeIdx(self.next_node));
            self.next_node += 1;
        }
    }
}

impl<'a> IntoEdgeReferences for &'a Snapshot {
    type EdgeRef = (NodeIdx, NodeIdx, &'a f32);
    type EdgeReferences = EdgeReferences<'a>;

    fn edge_references(self) -> EdgeReferences<'a> {
        EdgeReferences {
            snapshot: self,
            next_node: 0,
            current: Edges {
                source: NodeIdx(0),
                entries: [].iter(),
            },
        }
    }
}
