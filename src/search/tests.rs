//! Search against a brute-force enumeration of every simple path, on random graphs.
//!
//! Strengths are dyadic fractions (exact in `f32` and in products), so the search's
//! answers must equal the reference's exactly, tie-breaks included.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::graph::{PersonNode, SnapshotInput, TieInput};
use crate::strength::{StrengthInputs, StrengthSettings};
use crate::taxonomy::Taxonomy;

const STRENGTHS: [f64; 5] = [0.125, 0.25, 0.5, 0.75, 1.0];
const FIELDS: [&[&str]; 4] = [
    &[],
    &["finance"],
    &["law"],
    &["finance/venture-capital", "law"],
];
const COMPANIES: [&str; 3] = ["Acme Bank", "Élan Partners", "Nord Law"];

#[derive(Debug, Clone)]
struct Network {
    people: Vec<(Option<u8>, usize, usize)>,
    ties: Vec<(usize, usize, usize)>,
}

fn network() -> impl Strategy<Value = Network> {
    (2usize..24).prop_flat_map(|count| {
        let people = prop::collection::vec(
            (
                prop::option::weighted(0.8, any::<u8>()),
                0..FIELDS.len(),
                0..COMPANIES.len(),
            ),
            count,
        );
        let ties = prop::collection::vec((0..count, 0..count, 0..STRENGTHS.len()), 0..count * 4);
        (people, ties).prop_map(|(people, ties)| Network { people, ties })
    })
}

fn snapshot(network: &Network) -> Snapshot {
    let taxonomy = Taxonomy::embedded();
    let mut seen_emails = HashSet::new();
    let people = network
        .people
        .iter()
        .enumerate()
        .map(|(index, &(email, fields, company))| {
            let email = email
                .map(|e| format!("p{e:03}@example.org"))
                .filter(|e| seen_emails.insert(e.clone()));
            PersonNode {
                id: 100 + index as i64,
                name: format!("Person {index}"),
                emails: email.into_iter().collect(),
                company: Some(COMPANIES[company].to_string()),
                title: None,
                fields: FIELDS[fields].iter().map(|f| f.to_string()).collect(),
                field_mask: taxonomy.mask_of(FIELDS[fields]),
            }
        })
        .collect();
    let mut pairs = BTreeMap::new();
    for &(a, b, strength) in &network.ties {
        if a != b {
            pairs.entry((a.min(b), a.max(b))).or_insert(strength);
        }
    }
    let ties = pairs
        .into_iter()
        .map(|((a, b), strength)| {
            TieInput::new(
                a,
                b,
                &StrengthInputs {
                    explicit: Some(STRENGTHS[strength]),
                    ..StrengthInputs::default()
                },
            )
        })
        .collect();
    Snapshot::build(
        SnapshotInput {
            people,
            ties,
            me: Some(0),
        },
        &StrengthSettings::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
    )
}

fn matches(snapshot: &Snapshot, filter: &TargetFilter, node: NodeIdx) -> bool {
    let person = snapshot.person(node);
    (filter.field_mask == 0 || person.field_mask & filter.field_mask != 0)
        && filter.company.as_deref().is_none_or(|needle| {
            person
                .company
                .is_some_and(|company| crate::text::fold(company).contains(needle))
        })
        && filter.to.is_none_or(|to| to == node)
}

/// Every simple path from `from` of 2..=max_hops ties to a target, with its score.
fn all_paths(snapshot: &Snapshot, query: &Query) -> Vec<(f64, Vec<NodeIdx>)> {
    let from = query.from;
    let direct: HashSet<NodeIdx> = snapshot.neighbours(from).map(|(n, _)| n).collect();
    let strength = |a, b| snapshot.strength(a, b).unwrap();
    let target =
        |t: NodeIdx| t != from && !direct.contains(&t) && matches(snapshot, &query.filter, t);
    let mut paths = Vec::new();
    for &h1 in &direct {
        for (t, _) in snapshot.neighbours(h1) {
            if query.max_hops >= 2 && target(t) {
                paths.push((strength(from, h1) * strength(h1, t), vec![from, h1, t]));
            }
            let h2 = t;
            if query.max_hops >= 3 && h2 != from {
                for (t, _) in snapshot.neighbours(h2) {
                    if t != h1 && target(t) {
                        let score = strength(from, h1) * strength(h1, h2) * strength(h2, t);
                        paths.push((score, vec![from, h1, h2, t]));
                    }
                }
            }
        }
    }
    paths
}

fn path_key(snapshot: &Snapshot, nodes: &[NodeIdx]) -> (u64, bool, u64) {
    (
        snapshot.rank(nodes[1].0),
        nodes.len() > 3,
        if nodes.len() > 3 {
            snapshot.rank(nodes[2].0)
        } else {
            0
        },
    )
}

fn reference_paths(snapshot: &Snapshot, query: &Query) -> Vec<FoundPath> {
    let mut best: BTreeMap<NodeIdx, (f64, Vec<NodeIdx>)> = BTreeMap::new();
    for (score, nodes) in all_paths(snapshot, query) {
        let target = *nodes.last().unwrap();
        let better = match best.get(&target) {
            None => true,
            Some((old, old_nodes)) => {
                score > *old
                    || (score == *old && path_key(snapshot, &nodes) < path_key(snapshot, old_nodes))
            }
        };
        if better {
            best.insert(target, (score, nodes));
        }
    }
    let mut paths: Vec<FoundPath> = best
        .into_values()
        .map(|(score, nodes)| FoundPath { score, nodes })
        .collect();
    paths.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(
            snapshot
                .rank(a.nodes.last().unwrap().0)
                .cmp(&snapshot.rank(b.nodes.last().unwrap().0)),
        )
    });
    paths.truncate(query.limit);
    paths
}

fn reference_introducers(snapshot: &Snapshot, query: &Query) -> Vec<FoundIntroducer> {
    let mut by_introducer: BTreeMap<NodeIdx, BTreeMap<NodeIdx, f64>> = BTreeMap::new();
    for (score, nodes) in all_paths(snapshot, query) {
        let best = by_introducer
            .entry(nodes[1])
            .or_default()
            .entry(*nodes.last().unwrap())
            .or_insert(score);
        *best = best.max(score);
    }
    let mut introducers: Vec<FoundIntroducer> = by_introducer
        .into_iter()
        .map(|(introducer, targets)| {
            let mut targets: Vec<(NodeIdx, f64)> = targets.into_iter().collect();
            targets.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then(snapshot.rank(a.0.0).cmp(&snapshot.rank(b.0.0)))
            });
            let reach = targets.len() as u32;
            targets.truncate(TARGETS_PER_INTRODUCER);
            FoundIntroducer {
                introducer,
                tie: snapshot.tie(query.from, introducer),
                score: targets[0].1,
                reach,
                targets,
            }
        })
        .collect();
    introducers.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(
            snapshot
                .rank(a.introducer.0)
                .cmp(&snapshot.rank(b.introducer.0)),
        )
    });
    introducers.truncate(query.limit);
    introducers
}

fn query(
    snapshot: &Snapshot,
    from: usize,
    field: usize,
    company: bool,
    to: Option<usize>,
    max_hops: u8,
    limit: usize,
) -> Query {
    let taxonomy = Taxonomy::embedded();
    let field_mask = match field {
        0 => 0,
        1 => taxonomy.query_mask(taxonomy.field("finance").unwrap()),
        _ => taxonomy.query_mask(taxonomy.field("law").unwrap()),
    };
    let count = snapshot.node_count();
    Query {
        from: NodeIdx((from % count) as u32),
        filter: TargetFilter {
            field_mask,
            company: (company || field_mask == 0 && to.is_none()).then(|| "bank".to_string()),
            title: None,
            to: to.map(|to| NodeIdx((to % count) as u32)),
        },
        max_hops,
        limit,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn lower_bound_agrees_with_a_binary_search(
        mut list in prop::collection::btree_set(0u32..5000, 0..300),
        value in 0u32..5100,
    ) {
        let list: Vec<crate::graph::Entry> = std::mem::take(&mut list)
            .into_iter()
            .map(|node| crate::graph::Entry { node, strength: 0.5 })
            .collect();
        prop_assert_eq!(
            crate::graph::lower_bound(&list, value, 5000),
            list.partition_point(|entry| entry.node < value)
        );
    }

    #[test]
    fn search_equals_the_brute_force_definition(
        network in network(),
        from in 0usize..64,
        field in 0usize..3,
        company in any::<bool>(),
        to in prop::option::weighted(0.2, 0usize..64),
        max_hops in 1u8..=3,
        limit in 1usize..12,
    ) {
        let snapshot = snapshot(&network);
        let query = query(&snapshot, from, field, company, to, max_hops, limit);
        let mut scratch = Scratch::new(&snapshot);
        // Twice on the same scratch: stamps from the first run must not leak.
        for _ in 0..2 {
            prop_assert_eq!(paths(&snapshot, &query, &mut scratch), reference_paths(&snapshot, &query));
            prop_assert_eq!(
                introducers(&snapshot, &query, &mut scratch),
                reference_introducers(&snapshot, &query)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// petgraph's own shortest paths, run on the snapshot through its graph traits: the
    /// targets of an unlimited search of `max_hops` are exactly the matching people at
    /// distance 2 to `max_hops` hops.
    #[test]
    fn targets_are_the_matching_people_petgraph_finds_two_to_max_hops_away(
        network in network(),
        from in 0usize..64,
        field in 0usize..3,
        max_hops in 2u8..=3,
    ) {
        let snapshot = snapshot(&network);
        let query = Query { limit: usize::MAX, ..query(&snapshot, from, field, false, None, max_hops, 1) };
        let hops = petgraph::algo::dijkstra(&snapshot, query.from, None, |_| 1u32);
        let mut expected: Vec<NodeIdx> = hops
            .iter()
            .filter(|&(&node, &distance)| {
                distance >= 2 && distance <= u32::from(max_hops) && matches(&snapshot, &query.filter, node)
            })
            .map(|(&node, _)| node)
            .collect();
        expected.sort();
        let mut found: Vec<NodeIdx> = paths(&snapshot, &query, &mut Scratch::new(&snapshot))
            .iter()
            .map(|path| *path.nodes.last().unwrap())
            .collect();
        found.sort();
        prop_assert_eq!(found, expected);
    }
}

#[test]
fn a_direct_contact_is_never_a_target_and_one_hop_finds_nothing() {
    let network = Network {
        people: vec![(Some(1), 0, 0), (Some(2), 1, 0), (Some(3), 1, 0)],
        ties: vec![(0, 1, 2), (1, 2, 2), (0, 2, 0)],
    };
    let snapshot = snapshot(&network);
    let me = snapshot.me().unwrap();
    let mut scratch = Scratch::new(&snapshot);
    let mut q = query(&snapshot, me.index(), 1, false, None, 2, 10);
    assert!(paths(&snapshot, &q, &mut scratch).is_empty());
    q.max_hops = 1;
    assert!(introducers(&snapshot, &q, &mut scratch).is_empty());
}

#[test]
fn equal_scores_go_to_the_smaller_introducer_email() {
    // me(0) knows 1 and 2 equally; both know target 3.
    let network = Network {
        people: vec![
            (Some(9), 0, 0),
            (Some(5), 0, 0),
            (Some(4), 0, 0),
            (Some(7), 1, 0),
        ],
        ties: vec![(0, 1, 2), (0, 2, 2), (1, 3, 2), (2, 3, 2)],
    };
    let snapshot = snapshot(&network);
    let me = snapshot.me().unwrap();
    let mut scratch = Scratch::new(&snapshot);
    let q = query(&snapshot, me.index(), 1, false, None, 2, 10);
    let found = paths(&snapshot, &q, &mut scratch);
    assert_eq!(found.len(), 1);
    assert_eq!(
        snapshot
            .person(found[0].nodes[1])
            .emails()
            .collect::<Vec<_>>(),
        ["p004@example.org"]
    );
    assert_eq!(found[0].score, 0.25);
    let intro = introducers(&snapshot, &q, &mut scratch);
    let emails: Vec<&str> = intro
        .iter()
        .map(|i| snapshot.person(i.introducer).first_email().unwrap())
        .collect();
    assert_eq!(emails, ["p004@example.org", "p005@example.org"]);
}

#[test]
fn a_scratch_serves_a_larger_snapshot_after_a_smaller_one() {
    let small = snapshot(&Network {
        people: vec![(Some(1), 0, 0), (Some(2), 0, 0)],
        ties: vec![(0, 1, 1)],
    });
    let large = snapshot(&Network {
        people: (0..10).map(|i| (Some(i), 1, 0)).collect(),
        ties: (0..9).map(|i| (i, i + 1, 3)).collect(),
    });
    let mut scratch = Scratch::new(&small);
    let q = query(&large, large.me().unwrap().index(), 1, false, None, 3, 10);
    assert_eq!(paths(&large, &q, &mut scratch), reference_paths(&large, &q));
    assert_eq!(paths(&large, &q, &mut scratch).len(), 2);
}
