//! Invariants of the store's write paths, on a real SQLite file: corrections, merges,
//! erasures, withdrawn lists, declared ties, pages of people and a person's ties.

use chrono::NaiveDate;

use super::*;
use crate::identity::PersonRef;
use crate::import::Format;
use crate::relationship::Relationship;

const MINE: &str = "name,email,company,title,relationship\n\
Maria Lopez,maria@example.com,Acme Bank,Analyst,family\n\
Tom Baker,tom@example.com,Baker & Partners,Lawyer,friend\n\
Ana Ruiz,ana@example.com,Initech,Engineer,colleague\n";

const MARIAS: &str = "name,email,company,title\n\
Dana Ortiz,dana@example.com,Goldman Sachs,Vice President\n\
Tom Baker,tom@example.com,Baker & Partners,Lawyer\n";

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    workspace: WorkspaceId,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("store.db")).unwrap();
    let workspace = store.workspace("default").unwrap();
    import(&mut store, workspace, MINE, PersonRef::Me);
    import(
        &mut store,
        workspace,
        MARIAS,
        PersonRef::Email("maria@example.com".into()),
    );
    Fixture {
        _dir: dir,
        store,
        workspace,
    }
}

/// Imports `csv` (warmpath's contacts format) listed by `owner`; the tests of other modules
/// use it too.
pub(crate) fn import(
    store: &mut Store,
    workspace: WorkspaceId,
    csv: &str,
    owner: PersonRef,
) -> ImportId {
    store
        .import(
            workspace,
            &ImportRequest {
                source: Source::Bytes(csv.as_bytes()),
                owner,
                relationship: None,
                format: Some(Format::Contacts),
                encoding: None,
                on_error: OnError::Reject,
                replaces: None,
            },
            &mut |_, _| {},
        )
        .unwrap()
        .report
        .id
}

fn id(store: &Store, workspace: WorkspaceId, email: &str) -> PersonId {
    store
        .require_person(workspace, &PersonRef::Email(email.into()))
        .unwrap()
}

fn names(store: &Store, workspace: WorkspaceId) -> Vec<String> {
    let mut names: Vec<String> = store
        .search_people(workspace, &PeopleFilter::default(), 1000, 0)
        .unwrap()
        .items
        .into_iter()
        .map(|person| person.name)
        .collect();
    names.sort();
    names
}

#[test]
fn a_correction_changes_only_what_it_names_and_an_email_belongs_to_one_person() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let tom = id(&store, workspace, "tom@example.com");
    let patched = store
        .patch_person(
            workspace,
            tom,
            &PersonPatch {
                title: Some("Partner".into()),
                ..PersonPatch::default()
            },
        )
        .unwrap();
    assert_eq!(patched.title.as_deref(), Some("Partner"));
    assert_eq!(patched.company.as_deref(), Some("Baker & Partners"));
    assert_eq!(patched.emails, ["tom@example.com"]);
    // Maria's email cannot be given to Tom: it is hers.
    let taken = store.patch_person(
        workspace,
        tom,
        &PersonPatch {
            emails: Some(vec!["maria@example.com".into()]),
            ..PersonPatch::default()
        },
    );
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    assert_eq!(
        store.person(workspace, tom).unwrap().emails,
        ["tom@example.com"]
    );
}

#[test]
fn a_merge_moves_every_tie_and_email_and_never_merges_me_away() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let me = store.me(workspace).unwrap();
    let (maria, ana) = (
        id(&store, workspace, "maria@example.com"),
        id(&store, workspace, "ana@example.com"),
    );
    assert!(matches!(
        store.merge_people(workspace, ana, me),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.merge_people(workspace, ana, ana),
        Err(StoreError::Conflict(_))
    ));
    let kept = store.merge_people(workspace, maria, ana).unwrap();
    let mut emails = kept.emails.clone();
    emails.sort();
    assert_eq!(emails, ["ana@example.com", "maria@example.com"]);
    assert!(matches!(
        store.person(workspace, ana),
        Err(StoreError::UnknownPerson(_))
    ));
    // Me listed both: one tie to Maria is left, none to Ana.
    let ties = store.ties_of(workspace, me).unwrap();
    assert!(ties.iter().any(|tie| tie.person == maria));
    assert!(ties.iter().all(|tie| tie.person != ana));
}

#[test]
fn an_erased_person_goes_with_their_list_and_stays_erased() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let maria = id(&store, workspace, "maria@example.com");
    store.erase_person(workspace, maria).unwrap();
    let left = names(&store, workspace);
    // Dana came in only through Maria's list; Tom is on mine too.
    assert!(!left.contains(&"Maria Lopez".to_string()), "{left:?}");
    assert!(!left.contains(&"Dana Ortiz".to_string()), "{left:?}");
    assert!(left.contains(&"Tom Baker".to_string()), "{left:?}");
    assert!(
        store
            .refuse_erased(workspace, &PersonRef::Email("maria@example.com".into()))
            .is_err()
    );
    // A later list naming her skips (and counts) her.
    let outcome = store
        .import(
            workspace,
            &ImportRequest {
                source: Source::Bytes(b"name,email\nMaria Lopez,maria@example.com\n"),
                owner: PersonRef::Me,
                relationship: None,
                format: Some(Format::Contacts),
                encoding: None,
                on_error: OnError::Reject,
                replaces: None,
            },
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(outcome.report.suppressed, 1);
    assert!(
        store
            .find_person(workspace, &PersonRef::Email("maria@example.com".into()))
            .unwrap()
            .is_none()
    );
    let me = store.me(workspace).unwrap();
    assert!(matches!(
        store.erase_person(workspace, me),
        Err(StoreError::Conflict(_))
    ));
}

#[test]
fn a_withdrawn_list_takes_its_ties_and_only_the_people_it_alone_brought_in() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let maria = id(&store, workspace, "maria@example.com");
    let lists = store.list_imports(workspace, 10, 0).unwrap().items;
    let marias = lists
        .iter()
        .find(|report| report.owner == maria)
        .unwrap()
        .id;
    store.withdraw_import(workspace, marias).unwrap();
    let left = names(&store, workspace);
    assert!(!left.contains(&"Dana Ortiz".to_string()), "{left:?}");
    assert!(left.contains(&"Maria Lopez".to_string()), "{left:?}");
    assert!(left.contains(&"Tom Baker".to_string()), "{left:?}");
    assert!(
        store
            .ties_of(workspace, maria)
            .unwrap()
            .iter()
            .all(|tie| tie.sources.iter().all(|source| source.import != marias))
    );
    assert!(matches!(
        store.withdraw_import(workspace, marias),
        Err(StoreError::UnknownImport(_))
    ));
}

#[test]
fn a_declared_tie_is_corrected_and_removed_and_never_listed_as_an_import() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let (tom, dana) = (
        id(&store, workspace, "tom@example.com"),
        id(&store, workspace, "dana@example.com"),
    );
    let declared = store
        .declare_tie(
            workspace,
            &TieDeclaration {
                from: PersonRef::Id(tom),
                to: PersonRef::Id(dana),
                relationship: Relationship::Friend,
                strength: Some(0.5),
                last_contacted: NaiveDate::from_ymd_opt(2025, 3, 1),
                interactions: None,
            },
        )
        .unwrap();
    assert!(
        store
            .list_imports(workspace, 10, 0)
            .unwrap()
            .items
            .iter()
            .all(|report| report.id.0 != declared.id.0)
    );
    assert!(matches!(
        store.uploaded_import(workspace, ImportId(declared.id.0)),
        Err(StoreError::UnknownImport(_))
    ));
    let changed = store
        .change_tie(
            workspace,
            declared.id,
            &TieChange {
                interactions: Some(7),
                ..TieChange::default()
            },
        )
        .unwrap();
    assert_eq!(
        changed.strength,
        Some(0.5),
        "what a correction leaves stays"
    );
    assert_eq!(changed.interactions, Some(7));
    let tie = store
        .ties_of(workspace, tom)
        .unwrap()
        .into_iter()
        .find(|tie| tie.person == dana)
        .unwrap();
    assert!(tie.is_declared_strength(0.5));
    assert!(!tie.is_declared_strength(0.25));
    store.remove_tie(workspace, declared.id).unwrap();
    assert!(
        store
            .ties_of(workspace, tom)
            .unwrap()
            .iter()
            .all(|tie| tie.person != dana)
    );
    assert!(matches!(
        store.declared_tie(workspace, declared.id),
        Err(StoreError::UnknownTie(_))
    ));
    // A tie of a person to themself is refused.
    assert!(
        store
            .declare_tie(
                workspace,
                &TieDeclaration {
                    from: PersonRef::Id(tom),
                    to: PersonRef::Id(tom),
                    relationship: Relationship::Friend,
                    strength: None,
                    last_contacted: None,
                    interactions: None,
                },
            )
            .is_err()
    );
}

#[test]
fn pages_of_people_cover_everyone_once_and_filters_combine() {
    let Fixture {
        store,
        workspace,
        _dir,
    } = fixture();
    let everyone = names(&store, workspace);
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = store
            .search_people(workspace, &PeopleFilter::default(), 2, after)
            .unwrap();
        assert!(page.items.len() <= 2);
        paged.extend(page.items.into_iter().map(|person| person.name));
        match page.next_cursor {
            Some(cursor) => after = cursor,
            None => break,
        }
    }
    paged.sort();
    assert_eq!(paged, everyone);
    let banks = store
        .search_people(
            workspace,
            &PeopleFilter {
                company: Some("ACME".into()),
                ..PeopleFilter::default()
            },
            10,
            0,
        )
        .unwrap();
    assert_eq!(banks.items.len(), 1);
    assert_eq!(banks.items[0].name, "Maria Lopez");
    let nobody = store
        .search_people(
            workspace,
            &PeopleFilter {
                q: Some("maria".into()),
                company: Some("goldman".into()),
                ..PeopleFilter::default()
            },
            10,
            0,
        )
        .unwrap();
    assert!(nobody.items.is_empty());
    assert!(matches!(
        store.search_people(
            workspace,
            &PeopleFilter {
                field: Some("no such field at all".into()),
                ..PeopleFilter::default()
            },
            10,
            0,
        ),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn workspaces_do_not_see_each_other() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let other = store.create_workspace("other").unwrap();
    let maria = id(&store, workspace, "maria@example.com");
    assert!(matches!(
        store.person(other, maria),
        Err(StoreError::UnknownPerson(_))
    ));
    assert!(
        store
            .find_person(other, &PersonRef::Email("maria@example.com".into()))
            .unwrap()
            .is_none()
    );
    assert!(store.list_imports(other, 10, 0).unwrap().items.is_empty());
    assert_eq!(names(&store, other), ["Me"]);
    assert!(store.erase_person(other, maria).is_err());
    assert!(store.person(workspace, maria).is_ok());
}

#[test]
fn ids_of_erased_people_and_withdrawn_lists_are_never_handed_out_again() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    let dana = id(&store, workspace, "dana@example.com");
    let highest_list = store
        .list_imports(workspace, 10, 0)
        .unwrap()
        .items
        .iter()
        .map(|report| report.id)
        .max()
        .unwrap();
    store.erase_person(workspace, dana).unwrap();
    store
        .withdraw_import(workspace, highest_list)
        .unwrap_or_default();
    let list = import(
        &mut store,
        workspace,
        "name,email\nNew Person,new@example.com\n",
        PersonRef::Me,
    );
    let new = id(&store, workspace, "new@example.com");
    assert!(new.0 > dana.0, "{new:?} after {dana:?}");
    assert!(list.0 > highest_list.0, "{list:?} after {highest_list:?}");
}

#[test]
fn the_snapshot_input_merges_every_listing_of_a_pair_into_one_tie() {
    let Fixture {
        mut store,
        workspace,
        _dir,
    } = fixture();
    // Tom lists Maria back, and says more about the tie than Maria's list did.
    let tom = id(&store, workspace, "tom@example.com");
    import(
        &mut store,
        workspace,
        "name,email,relationship,last_contacted,strength\nMaria Lopez,maria@example.com,friend,2025-03-01,0.75\n",
        PersonRef::Id(tom),
    );
    let input = store.snapshot_input(workspace).unwrap();
    let index = |email: &str| {
        input
            .people
            .iter()
            .position(|person| person.emails.iter().any(|e| e == email))
            .unwrap() as u32
    };
    let (maria, tom) = (index("maria@example.com"), index("tom@example.com"));
    let ties: Vec<_> = input
        .ties
        .iter()
        .filter(|tie| (tie.a, tie.b) == (maria.min(tom), maria.max(tom)))
        .collect();
    assert_eq!(ties.len(), 1, "one tie per pair");
    let inputs = ties[0].tie.inputs(0);
    assert!(inputs.reciprocal, "both list each other");
    assert_eq!(inputs.explicit, Some(0.75));
    assert_eq!(inputs.last_contacted, NaiveDate::from_ymd_opt(2025, 3, 1));
    // Every tie joins two people of the input, lower index first, never a person to themself.
    let count = input.people.len() as u32;
    assert!(input.ties.iter().all(|tie| tie.a < tie.b && tie.b < count));
    assert_eq!(
        input.me.map(|me| input.people[me].id),
        Some(store.me(workspace).unwrap().0)
    );
}
