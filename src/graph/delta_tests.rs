//! Writes applied as deltas answer exactly as a snapshot rebuilt from the same state:
//! random sequences of changes (people added, changed, moved between field groups and
//! deleted; ties added, changed and removed; "me" moved), and after each one every person,
//! email, tie, neighbour list and a grid of questions compared.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::relationship::Relationship;
use crate::search::{self, Query, Scratch, TargetFilter};
use crate::strength::StrengthSettings;
use crate::taxonomy::Taxonomy;

const FIELDS: [&[&str]; 5] = [
    &[],
    &["finance"],
    &["law"],
    &["finance/venture-capital", "law"],
    &["software"],
];
const COMPANIES: [Option<&str>; 4] = [
    None,
    Some("Acme Bank"),
    Some("Élan Partners"),
    Some("Nord Law"),
];
const TITLES: [Option<&str>; 3] = [None, Some("Analyst"), Some("Partner")];
const EXPLICIT: [Option<f64>; 4] = [None, None, Some(0.5), Some(0.25)];

fn settings() -> StrengthSettings {
    StrengthSettings::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
}

/// The store's state, as the model keeps it.
#[derive(Debug, Clone, Default)]
struct Model {
    people: BTreeMap<i64, PersonNode>,
    ties: BTreeMap<(i64, i64), PackedTie>,
    me: Option<i64>,
}

impl Model {
    fn input(&self) -> SnapshotInput {
        let people: Vec<PersonNode> = self.people.values().cloned().collect();
        let index: BTreeMap<i64, usize> = people
            .iter()
            .enumerate()
            .map(|(at, person)| (person.id, at))
            .collect();
        let ties = self
            .ties
            .iter()
            .map(|(&(a, b), &tie)| TieInput {
                a: index[&a] as u32,
                b: index[&b] as u32,
                tie,
            })
            .collect();
        SnapshotInput {
            people,
            ties,
            me: self.me.and_then(|me| index.get(&me).copied()),
        }
    }
}

fn person(id: i64, seed: u32) -> PersonNode {
    let taxonomy = Taxonomy::embedded();
    let fields = FIELDS[(seed % 5) as usize];
    // Emails that sort in an order unrelated to ids; some people have none, some two.
    let emails = match (seed / 5) % 4 {
        0 => Vec::new(),
        1 => vec![format!("{}{id}@x.org", (b'a' + (seed % 26) as u8) as char)],
        2 => vec![
            format!("m{id}@x.org"),
            format!("{}{id}@y.org", (b'a' + (seed % 7) as u8) as char),
        ],
        _ => vec![format!("z{}@x.org", id * 7 % 13 + id)],
    };
    let mut emails = emails;
    emails.sort();
    PersonNode {
        id,
        name: format!("Person {id}.{seed}"),
        emails,
        company: COMPANIES[(seed / 3 % 4) as usize].map(str::to_string),
        title: TITLES[(seed / 7 % 3) as usize].map(str::to_string),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        field_mask: taxonomy.mask_of(fields),
    }
}

fn tie(seed: u32) -> PackedTie {
    let inputs = crate::strength::StrengthInputs {
        relationship: Relationship::ALL.get((seed % 9) as usize).copied(),
        last_contacted: NaiveDate::from_ymd_opt(2015 + (seed % 11) as i32, 1 + seed % 12, 1),
        interactions: (!seed.is_multiple_of(3)).then_some(seed % 40),
        reciprocal: seed.is_multiple_of(2),
        explicit: EXPLICIT[(seed / 3 % 4) as usize],
        ..Default::default()
    };
    PackedTie::new(&inputs)
}

/// One step: (kind, a, b, seed).
type Step = (u8, i64, i64, u32);

/// Applies a step to the model; what changed, as the store would report it.
fn step(model: &mut Model, (kind, a, b, seed): Step) -> SnapshotChange {
    let mut change = SnapshotChange::default();
    let exists = |model: &Model, id: i64| model.people.contains_key(&id);
    match kind % 8 {
        // A person added or changed (fields, emails, company, title).
        0 | 1 => {
            let new = person(a, seed);
            // An email belongs to one person: someone else holding it loses it.
            let holders: Vec<i64> = model
                .people
                .values()
                .filter(|other| {
                    other.id != a && other.emails.iter().any(|e| new.emails.contains(e))
                })
                .map(|other| other.id)
                .collect();
            for holder in holders {
                let other = model.people.get_mut(&holder).unwrap();
                other.emails.retain(|e| !new.emails.contains(e));
                change.people.push((holder, Some(other.clone())));
            }
            model.people.insert(a, new.clone());
            change.people.push((a, Some(new)));
        }
        // A person deleted, with their ties.
        2 => {
            if Some(a) != model.me && model.people.remove(&a).is_some() {
                change.people.push((a, None));
                let gone: Vec<(i64, i64)> = model
                    .ties
                    .keys()
                    .filter(|k| k.0 == a || k.1 == a)
                    .copied()
                    .collect();
                for key in gone {
                    model.ties.remove(&key);
                    change.ties.push((key.0, key.1, None));
                }
            }
        }
        // A tie added or changed.
        3..=5 => {
            if a != b && exists(model, a) && exists(model, b) {
                let key = (a.min(b), a.max(b));
                let tie = tie(seed);
                model.ties.insert(key, tie);
                change.ties.push((key.0, key.1, Some(tie)));
            }
        }
        // A tie removed.
        6 => {
            let key = (a.min(b), a.max(b));
            if model.ties.remove(&key).is_some() {
                change.ties.push((key.0, key.1, None));
            }
        }
        // "me" moves.
        _ => {
            if exists(model, a) {
                model.me = Some(a);
                change.me = Some(a);
            }
        }
    }
    change
}

/// Everything a snapshot answers, in store ids.
fn answers(snapshot: &Snapshot, model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!(
        "counts {} {}",
        snapshot.people_count(),
        snapshot.tie_count()
    ));
    let id = |node: NodeIdx| snapshot.person(node).id;
    out.push(format!("me {:?}", snapshot.me().map(id)));
    for person in model.people.values() {
        let node = snapshot
            .node_of_person(person.id)
            .expect("every person has a node");
        let view = snapshot.person(node);
        out.push(format!(
            "person {} {} {:?} {:?} {:?} {:?} {}",
            view.id,
            view.name,
            view.emails().collect::<Vec<_>>(),
            view.company,
            view.title,
            view.fields,
            view.field_mask
        ));
        for email in &person.emails {
            out.push(format!(
                "email {email} {:?}",
                snapshot.node_by_email(email).map(id)
            ));
        }
        let mut neighbours: Vec<(i64, u32)> = snapshot
            .neighbours(node)
            .map(|(other, strength)| (id(other), strength.to_bits()))
            .collect();
        neighbours.sort_unstable();
        out.push(format!("neighbours {} {neighbours:?}", person.id));
        for other in model.people.values() {
            let other_node = snapshot.node_of_person(other.id).unwrap();
            out.push(format!(
                "tie {} {} {:?}",
                person.id,
                other.id,
                snapshot.tie(node, other_node)
            ));
        }
    }
    let taxonomy = Taxonomy::embedded();
    let finance = taxonomy.query_mask(taxonomy.field("finance").unwrap());
    let law = taxonomy.query_mask(taxonomy.field("law").unwrap());
    let mut scratch = Scratch::new(snapshot);
    let some: Vec<i64> = model.people.keys().copied().collect();
    for &from in &some {
        let from_node = snapshot.node_of_person(from).unwrap();
        let filters = [
            TargetFilter {
                field_mask: finance,
                ..TargetFilter::default()
            },
            TargetFilter {
                field_mask: law,
                company: Some("nord".into()),
                ..TargetFilter::default()
            },
            TargetFilter {
                title: Some("partner".into()),
                ..TargetFilter::default()
            },
            TargetFilter {
                to: some
                    .iter()
                    .rev()
                    .find(|&&other| other != from)
                    .map(|&other| snapshot.node_of_person(other).unwrap()),
                ..TargetFilter::default()
            },
        ];
        for filter in filters {
            for max_hops in [2, 3] {
                let query = Query {
                    from: from_node,
                    filter: filter.clone(),
                    max_hops,
                    limit: 50,
                };
                for path in search::paths(snapshot, &query, &mut scratch) {
                    let nodes: Vec<i64> = path.nodes.iter().map(|&n| id(n)).collect();
                    out.push(format!("path {from} {max_hops} {:?} {nodes:?}", path.score));
                }
                for found in search::introducers(snapshot, &query, &mut scratch) {
                    let targets: Vec<(i64, f64)> =
                        found.targets.iter().map(|&(n, s)| (id(n), s)).collect();
                    out.push(format!(
                        "introducer {from} {max_hops} {} {:?} {} {} {targets:?}",
                        id(found.introducer),
                        found.tie,
                        found.score,
                        found.reach
                    ));
                }
            }
        }
    }
    out
}

fn steps() -> impl Strategy<Value = Vec<Vec<Step>>> {
    let one = (0u8..8, 1i64..28, 1i64..28, 0u32..10_000);
    prop::collection::vec(prop::collection::vec(one, 1..6), 1..30)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn deltas_answer_as_a_rebuilt_snapshot_does(start in 0usize..20, batches in steps()) {
        let mut model = Model::default();
        // A starting network, laid out as a base.
        for id in 1..=start as i64 {
            model.people.insert(id, person(id, (id as u32).wrapping_mul(2654435761) % 10_000));
        }
        let ids: Vec<i64> = model.people.keys().copied().collect();
        for (at, &a) in ids.iter().enumerate() {
            for &b in ids.iter().skip(at + 1).step_by(3) {
                model.ties.insert((a, b), tie((a * 31 + b) as u32));
            }
        }
        model.me = ids.first().copied();
        let mut live = Snapshot::build(model.input(), &settings());
        for batch in batches {
            let mut change = SnapshotChange::default();
            for one in batch {
                let part = step(&mut model, one);
                change.people.extend(part.people);
                change.ties.extend(part.ties);
                change.me = part.me.or(change.me);
            }
            if change.me.is_none() {
                change.me = model.me;
            }
            live = live.apply(&change);
            let rebuilt = Snapshot::build(model.input(), &settings());
            prop_assert_eq!(answers(&live, &model), answers(&rebuilt, &model));
        }
    }
}
