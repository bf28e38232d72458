use super::*;

fn request<'a>(source: Source<'a>, on_error: OnError) -> ImportRequest<'a> {
    ImportRequest {
        source,
        owner: PersonRef::Me,
        relationship: None,
        format: None,
        encoding: None,
        on_error,
        replaces: None,
    }
}

/// A network file of 30 owners with 10 contacts each (some listed twice), and a bad
/// strength on `bad_line` when given.
fn network(bad_line: Option<usize>) -> String {
    let mut text = String::from("owner_email,name,email,company,strength,last_contacted\n");
    for owner in 0..30 {
        for contact in 0..11 {
            let contact = (owner * 7 + contact * 13) % 120;
            let line = text.lines().count() + 1;
            let strength = if Some(line) == bad_line { "2.5" } else { "0.5" };
            text.push_str(&format!(
                "o{owner}@example.com,\"Person {contact}\",p{contact}@example.com,Acme,{strength},2024-0{}-01\n",
                1 + contact % 9
            ));
        }
    }
    text
}

fn fresh() -> (tempfile::TempDir, Store) {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(&directory.path().join("test.db")).unwrap();
    (directory, store)
}

fn people(store: &Store) -> i64 {
    store
        .connection
        .query_row("SELECT COUNT(*) FROM people", [], |row| row.get(0))
        .unwrap()
}

fn file_with(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("network.csv");
    std::fs::write(&path, text).unwrap();
    (directory, path)
}

#[test]
fn a_file_read_in_many_blocks_imports_as_it_does_whole() {
    let text = network(None);
    let (_directory, path) = file_with(&text);
    let (_a, mut whole) = fresh();
    let workspace = whole.workspace("default").unwrap();
    let expected = whole
        .import(
            workspace,
            &request(Source::Bytes(text.as_bytes()), OnError::Reject),
            &mut |_, _| {},
        )
        .unwrap()
        .report;
    let (_b, mut streamed) = fresh();
    let mut calls = 0;
    let report = streamed
        .import_in_blocks(
            workspace,
            &request(Source::File(&path), OnError::Reject),
            &mut |_, _| calls += 1,
            700,
        )
        .unwrap()
        .report;
    assert!(calls > 10, "{calls} blocks");
    assert_eq!(report.rows, 330);
    assert_eq!(
        (report.people_created, report.ties_created, report.rows),
        (
            expected.people_created,
            expected.ties_created,
            expected.rows
        )
    );
    assert_eq!(people(&streamed), people(&whole));
    let listings = |store: &Store| -> Vec<(i64, i64, Option<i64>, Option<f64>)> {
        let mut statement = store
            .connection
            .prepare(
                "SELECT owner_id, contact_id, last_contacted, strength FROM listings ORDER BY 1, 2",
            )
            .unwrap();
        statement
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(listings(&streamed), listings(&whole));
}

#[test]
fn a_pair_another_list_has_is_an_updated_tie() {
    let (_db, mut store) = fresh();
    let workspace = store.workspace("default").unwrap();
    let mut import = |owner: PersonRef, text: &str| {
        let request = ImportRequest {
            owner,
            ..request(Source::Bytes(text.as_bytes()), OnError::Reject)
        };
        store
            .import(workspace, &request, &mut |_, _| {})
            .unwrap()
            .report
    };
    let mine = import(
        PersonRef::Me,
        "name,email\nAlice,alice@example.com\nBob,bob@example.com\n",
    );
    assert_eq!((mine.ties_created, mine.ties_updated), (2, 0));
    let alices = import(
        PersonRef::Email("alice@example.com".into()),
        "name,email\nBob,bob@example.com\nCarol,carol@example.com\n",
    );
    assert_eq!((alices.ties_created, alices.ties_updated), (2, 0));
    let bobs = import(
        PersonRef::Email("bob@example.com".into()),
        "name,email\nAlice,alice@example.com\nDan,dan@example.com\n",
    );
    assert_eq!((bobs.ties_created, bobs.ties_updated), (1, 1));
}

#[test]
fn a_bad_line_in_a_late_block_rejects_the_whole_file() {
    let text = network(Some(300));
    let (_directory, path) = file_with(&text);
    let (_db, mut store) = fresh();
    let workspace = store.workspace("default").unwrap();
    let before = people(&store);
    let error = store
        .import_in_blocks(
            workspace,
            &request(Source::File(&path), OnError::Reject),
            &mut |_, _| {},
            500,
        )
        .unwrap_err();
    match error {
        StoreError::Rejected(problems) => {
            assert_eq!(problems.len(), 1);
            assert_eq!((problems[0].line, problems[0].column), (300, 5));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(people(&store), before);
    let skipped = store
        .import_in_blocks(
            workspace,
            &request(Source::File(&path), OnError::Skip),
            &mut |_, _| {},
            500,
        )
        .unwrap()
        .report;
    assert_eq!(skipped.skipped.len(), 1);
    assert_eq!(skipped.skipped[0].line, 300);
    assert_eq!(skipped.rows, 330);
}

#[test]
fn a_file_applied_before_is_recognised_after_reading_it() {
    let text = network(None);
    let (_directory, path) = file_with(&text);
    let (_db, mut store) = fresh();
    let workspace = store.workspace("default").unwrap();
    let file = request(Source::File(&path), OnError::Reject);
    let first = store
        .import_in_blocks(workspace, &file, &mut |_, _| {}, 600)
        .unwrap();
    let people_after_first = people(&store);
    let second = store
        .import_in_blocks(workspace, &file, &mut |_, _| {}, 600)
        .unwrap();
    assert!(first.created && !second.created);
    assert_eq!(second.report, first.report);
    assert_eq!(people(&store), people_after_first);
    // The same bytes from memory have the same digest.
    let bytes = store
        .import(
            workspace,
            &request(Source::Bytes(text.as_bytes()), OnError::Reject),
            &mut |_, _| {},
        )
        .unwrap();
    assert!(!bytes.created);
    assert_eq!(bytes.report.id, first.report.id);
}
