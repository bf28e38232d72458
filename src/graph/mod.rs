//! Placeholder for the graph module (replaced by the `search` branch).
use crate::strength::{StrengthInputs, StrengthSettings};
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIdx(pub u32);
pub type FieldMask = u128;
#[derive(Debug, Clone, PartialEq)]
pub struct PersonNode {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub fields: Vec<String>,
    pub field_mask: FieldMask,
}
#[derive(Debug, Clone, PartialEq)]
pub struct TieInput {
    pub a: usize,
    pub b: usize,
    pub inputs: StrengthInputs,
}
pub struct SnapshotInput {
    pub people: Vec<PersonNode>,
    pub ties: Vec<TieInput>,
    pub me: Option<usize>,
}
pub struct Snapshot {
    people: Vec<PersonNode>,
    me: Option<usize>,
}
pub struct TieView {
    pub strength: f64,
    pub inputs: StrengthInputs,
}
impl Snapshot {
    pub fn build(input: SnapshotInput, _settings: &StrengthSettings) -> Snapshot {
        Snapshot {
            people: input.people,
            me: input.me,
        }
    }
    pub fn node_count(&self) -> usize {
        self.people.len()
    }
    pub fn tie_count(&self) -> usize {
        0
    }
    pub fn me(&self) -> Option<NodeIdx> {
        self.me.map(|m| NodeIdx(m as u32))
    }
    pub fn node_of_person(&self, person_id: i64) -> Option<NodeIdx> {
        self.people
            .iter()
            .position(|p| p.id == person_id)
            .map(|i| NodeIdx(i as u32))
    }
    pub fn node_by_email(&self, email: &str) -> Option<NodeIdx> {
        self.people
            .iter()
            .position(|p| p.emails.iter().any(|e| e == email))
            .map(|i| NodeIdx(i as u32))
    }
    pub fn person(&self, node: NodeIdx) -> &PersonNode {
        &self.people[node.0 as usize]
    }
    pub fn tie(&self, _a: NodeIdx, _b: NodeIdx) -> Option<TieView> {
        None
    }
}
