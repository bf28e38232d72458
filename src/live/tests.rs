//! The live network kept up to date through the change log answers exactly as a network
//! rebuilt from the store: random sequences of real writes (imports, replaced and
//! withdrawn lists, erasures, merges, declared ties and their corrections, corrected
//! people, a new "me") on a real SQLite file, compared after every write; and a snapshot
//! file read back answers as the network it was written from.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::graph::NodeIdx;
use crate::identity::{PersonId, PersonRef};
use crate::import::Format;
use crate::relationship::Relationship;
use crate::search::{self, Query, TargetFilter};
use crate::store::{
    ImportId, ImportRequest, OnError, PersonPatch, Source, TieChange, TieDeclaration, TieId,
};
use crate::taxonomy::Taxonomy;

const NAMES: [&str; 12] = [
    "Ana Ruiz",
    "Ben Cole",
    "Cleo Park",
    "Dev Shah",
    "Eva Lind",
    "Finn Ode",
    "Gia Moreau",
    "Hal Berg",
    "Ida Wolfe",
    "Jon Amadi",
    "Kai Sato",
    "Lea Novak",
];
const COMPANIES: [&str; 5] = [
    "Goldman Sachs",
    "Acme Bank",
    "Baker & Partners LLP",
    "Mercy Hospital",
    "Initech",
];
const TITLES: [&str; 5] = [
    "Vice President",
    "Associate",
    "Lawyer",
    "Nurse",
    "Software Engineer",
];
const RELATIONSHIPS: [&str; 5] = ["family", "friend", "colleague", "", "acquaintance"];

fn settings() -> Settings {
    Settings::for_today(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
}

/// A small native contact list: rows picked from the pools by `seed`.
fn csv(seed: u32, rows: usize) -> String {
    let mut text = String::from("name,email,company,title,relationship,last_contacted,strength\n");
    for row in 0..rows {
        let pick = (seed as usize).wrapping_mul(31).wrapping_add(row * 17);
        let person = pick % NAMES.len();
        let email = if pick.is_multiple_of(5) {
            String::new()
        } else {
            format!(
                "{}@example.org",
                NAMES[person].split(' ').next().unwrap().to_lowercase()
            )
        };
        let strength = if pick.is_multiple_of(4) { "0.5" } else { "" };
        text.push_str(&format!(
            "{},{},{},{},{},20{:02}-0{}-01,{}\n",
            NAMES[person],
            email,
            COMPANIES[(pick / 3 + seed as usize) % COMPANIES.len()],
            TITLES[(pick / 7 + seed as usize) % TITLES.len()],
            RELATIONSHIPS[pick % RELATIONSHIPS.len()],
            10 + pick % 15,
            1 + pick % 9,
            strength,
        ));
    }
    text
}

fn people(store: &Store, workspace: WorkspaceId) -> Vec<i64> {
    let mut ids: Vec<i64> = store
        .snapshot_input(workspace)
        .unwrap()
        .people
        .iter()
        .map(|person| person.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// One write, picked by `kind` and applied with `a`, `b` and `seed`; errors (a merge of
/// "me" away, an unknown id) are part of the game: nothing changes then.
fn write(store: &mut Store, workspace: WorkspaceId, step: (u8, usize, usize, u32)) {
    write_in_blocks(store, workspace, step, crate::import::BLOCK_BYTES)
}

/// [`write`], with imports read `block_bytes` at a time (small blocks: resolved against
/// every person of the workspace instead of the people the rows name).
fn write_in_blocks(
    store: &mut Store,
    workspace: WorkspaceId,
    (kind, a, b, seed): (u8, usize, usize, u32),
    block_bytes: usize,
) {
    let ids = people(store, workspace);
    let pick = |at: usize| PersonId(ids[at % ids.len()]);
    let imports: Vec<ImportId> = store
        .list_imports(workspace, 1000, 0)
        .map(|page| page.items.iter().map(|report| report.id).collect())
        .unwrap_or_default();
    let owner = |at: usize| {
        if at.is_multiple_of(3) {
            PersonRef::Me
        } else {
            PersonRef::Email(format!(
                "{}@example.org",
                NAMES[at % NAMES.len()]
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_lowercase()
            ))
        }
    };
    let _ = match kind % 9 {
        0 | 1 => {
            let text = csv(seed, 1 + (seed as usize % 6));
            store
                .import_in_blocks(
                    workspace,
                    &ImportRequest {
                        source: Source::Bytes(text.as_bytes()),
                        owner: owner(a),
                        relationship: Relationship::ALL.get(b % 10).copied(),
                        format: Some(Format::Contacts),
                        encoding: None,
                        on_error: OnError::Skip,
                        replaces: None,
                    },
                    &mut |_, _| {},
                    block_bytes,
                )
                .map(|_| ())
        }
        2 if !imports.is_empty() => {
            let old = imports[a % imports.len()];
            let text = csv(seed, 1 + (seed as usize % 4));
            let owner = store
                .import_report(workspace, old)
                .map(|report| report.owner);
            match owner {
                Ok(owner) => store
                    .import_in_blocks(
                        workspace,
                        &ImportRequest {
                            source: Source::Bytes(text.as_bytes()),
                            owner: PersonRef::Id(owner),
                            relationship: None,
                            format: Some(Format::Contacts),
                            encoding: None,
                            on_error: OnError::Skip,
                            replaces: Some(old),
                        },
                        &mut |_, _| {},
                        block_bytes,
                    )
                    .map(|_| ()),
                Err(error) => Err(error),
            }
        }
        3 if !imports.is_empty() => store.withdraw_import(workspace, imports[a % imports.len()]),
        4 => store.erase_person(workspace, pick(a)),
        5 => store.merge_people(workspace, pick(a), pick(b)).map(|_| ()),
        6 => store
            .declare_tie(
                workspace,
                &TieDeclaration {
                    from: PersonRef::Id(pick(a)),
                    to: PersonRef::Id(pick(b)),
                    relationship: Relationship::ALL[seed as usize % 8],
                    strength: (seed % 2 == 0).then_some(0.25 + f64::from(seed % 3) / 4.0),
                    last_contacted: NaiveDate::from_ymd_opt(2020, 1 + seed % 12, 1),
                    interactions: Some(seed % 9),
                },
            )
            .map(|_| ()),
        7 => {
            let patch = PersonPatch {
                name: (seed % 2 == 0).then(|| format!("Renamed {seed}")),
                emails: (seed % 3 == 0).then(|| vec![format!("p{seed}@example.net")]),
                fields: (seed % 5 == 0).then(|| vec!["law".to_string()]),
                title: (seed % 7 < 3).then(|| TITLES[seed as usize % TITLES.len()].to_string()),
                company: (seed % 4 == 1)
                    .then(|| COMPANIES[seed as usize % COMPANIES.len()].to_string()),
            };
            store.patch_person(workspace, pick(a), &patch).map(|_| ())
        }
        _ => {
            // A declared tie corrected, or "me" given another email.
            let declared: Vec<TieId> = (1..200)
                .map(TieId)
                .filter(|&id| store.declared_tie(workspace, id).is_ok())
                .collect();
            if let Some(&id) = declared.get(a % declared.len().max(1)) {
                if seed % 2 == 0 {
                    store
                        .change_tie(
                            workspace,
                            id,
                            &TieChange {
                                strength: Some(0.125),
                                ..TieChange::default()
                            },
                        )
                        .map(|_| ())
                } else {
                    store.remove_tie(workspace, id)
                }
            } else {
                store
                    .set_me(workspace, Some("Me"), &[format!("me{seed}@example.org")])
                    .map(|_| ())
            }
        }
    };
}

/// What a snapshot answers, by store id: people, their ties and a grid of questions.
fn answers(snapshot: &Snapshot) -> Vec<String> {
    let id = |node: NodeIdx| snapshot.person(node).id;
    let mut out = vec![format!(
        "{} people, {} ties, me {:?}",
        snapshot.people_count(),
        snapshot.tie_count(),
        snapshot.me().map(id)
    )];
    let mut people: Vec<(i64, NodeIdx)> = snapshot
        .people()
        .map(|(node, person)| (person.id, node))
        .collect();
    people.sort_unstable();
    for &(person, node) in &people {
        let view = snapshot.person(node);
        let mut ties: Vec<String> = snapshot
            .neighbours(node)
            .map(|(other, _)| format!("{}:{:?}", id(other), snapshot.tie(node, other)))
            .collect();
        ties.sort();
        out.push(format!(
            "{person} {} {:?} {:?} {:?} {:?} {ties:?}",
            view.name,
            view.emails().collect::<Vec<_>>(),
            view.company,
            view.title,
            view.fields
        ));
        for email in view.emails() {
            out.push(format!(
                "{email} {:?}",
                snapshot.node_by_email(email).map(id)
            ));
        }
    }
    let taxonomy = Taxonomy::embedded();
    let mut scratch = Scratch::default();
    for field in ["finance", "law", "healthcare"] {
        let mask = taxonomy.query_mask(taxonomy.field(field).unwrap());
        for &(person, node) in &people {
            for max_hops in [2, 3] {
                let query = Query {
                    from: node,
                    filter: TargetFilter {
                        field_mask: mask,
                        ..TargetFilter::default()
                    },
                    max_hops,
                    limit: 20,
                };
                for path in search::paths(snapshot, &query, &mut scratch) {
                    let nodes: Vec<i64> = path.nodes.iter().map(|&n| id(n)).collect();
                    out.push(format!(
                        "{person} {field} {max_hops} {nodes:?} {}",
                        path.score
                    ));
                }
                for found in search::introducers(snapshot, &query, &mut scratch) {
                    out.push(format!(
                        "{person} {field} {max_hops} {} {} {}",
                        id(found.introducer),
                        found.score,
                        found.reach
                    ));
                }
            }
        }
    }
    out
}

fn rebuilt(store: &Store, workspace: WorkspaceId) -> Snapshot {
    Snapshot::build(
        store.snapshot_input(workspace).unwrap(),
        &settings().strength,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn the_live_network_answers_as_a_rebuilt_one_after_every_write(
        writes in prop::collection::vec((0u8..9, 0usize..64, 0usize..64, 0u32..10_000), 1..40)
    ) {
        let directory = tempfile::tempdir().unwrap();
        let mut store = Store::open(&directory.path().join("live.db")).unwrap();
        let workspace = store.workspace("default").unwrap();
        let networks = Networks::new(settings(), Files::Off);
        networks.current(&store, workspace).unwrap();
        for one in writes {
            write(&mut store, workspace, one);
            let live = networks.refresh(&store, workspace).unwrap();
            prop_assert_eq!(answers(live.snapshot()), answers(&rebuilt(&store, workspace)));
        }
    }
}

#[test]
fn a_snapshot_file_read_back_answers_as_the_network_it_was_written_from() {
    let directory = tempfile::tempdir().unwrap();
    let db = directory.path().join("live.db");
    let mut store = Store::open(&db).unwrap();
    let workspace = store.workspace("default").unwrap();
    for seed in 0..6 {
        write(&mut store, workspace, (0, seed, seed + 1, seed as u32 * 97));
    }
    let built = Networks::new(settings(), Files::Inline)
        .current(&store, workspace)
        .unwrap();
    let path = snapshot_file(&db, workspace).unwrap();
    assert!(
        path.exists(),
        "a full build writes the workspace's snapshot file"
    );
    let (read, seq) =
        Snapshot::read_from(&path, &store.database_id().unwrap(), &settings().strength)
            .unwrap()
            .expect("the file is of this database and these settings");
    assert_eq!(seq, built.seq);
    assert_eq!(answers(&read), answers(built.snapshot()));

    // Another process's writes are caught up from the file plus the log.
    write(&mut store, workspace, (6, 1, 2, 4));
    write(&mut store, workspace, (0, 3, 4, 11));
    let loaded = Networks::new(settings(), Files::Inline)
        .current(&store, workspace)
        .unwrap();
    assert_eq!(
        answers(loaded.snapshot()),
        answers(&rebuilt(&store, workspace))
    );

    // Another day's strengths or another database: the file is not used.
    let tomorrow = Settings::for_today(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap());
    assert!(
        Snapshot::read_from(&path, &store.database_id().unwrap(), &tomorrow.strength)
            .unwrap()
            .is_none()
    );
    assert!(
        Snapshot::read_from(&path, "another database", &settings().strength)
            .unwrap()
            .is_none()
    );

    // A damaged file is refused, never a panic.
    let mut bytes = std::fs::read(&path).unwrap();
    let cut = bytes.len() / 2;
    bytes.truncate(cut);
    std::fs::write(&path, &bytes).unwrap();
    assert!(
        Snapshot::read_from(&path, &store.database_id().unwrap(), &settings().strength).is_err()
    );
    let reloaded = Networks::new(settings(), Files::Inline)
        .current(&store, workspace)
        .unwrap();
    assert_eq!(
        answers(reloaded.snapshot()),
        answers(&rebuilt(&store, workspace))
    );
}

/// Everything the store holds of a workspace's network, by store id.
fn stored_state(store: &Store, workspace: WorkspaceId) -> Vec<String> {
    let input = store.snapshot_input(workspace).unwrap();
    let mut out: Vec<String> = input
        .people
        .iter()
        .map(|person| {
            format!(
                "{} {} {:?} {:?} {:?} {:?}",
                person.id, person.name, person.emails, person.company, person.title, person.fields
            )
        })
        .collect();
    out.extend(input.ties.iter().map(|tie| {
        format!(
            "{} {} {:?}",
            input.people[tie.a as usize].id, input.people[tie.b as usize].id, tie.tie
        )
    }));
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A small import resolved against the people its rows name (found by key) resolves
    /// every row exactly as one resolved against every person of the workspace.
    #[test]
    fn small_imports_resolve_rows_as_against_everyone(
        writes in prop::collection::vec((0u8..9, 0usize..64, 0usize..64, 0u32..10_000), 1..40)
    ) {
        let directory = tempfile::tempdir().unwrap();
        let mut targeted = Store::open(&directory.path().join("targeted.db")).unwrap();
        let mut everyone = Store::open(&directory.path().join("everyone.db")).unwrap();
        let workspace = targeted.workspace("default").unwrap();
        for one in writes {
            write(&mut targeted, workspace, one);
            write_in_blocks(&mut everyone, workspace, one, 64);
            prop_assert_eq!(stored_state(&targeted, workspace), stored_state(&everyone, workspace));
        }
    }
}
