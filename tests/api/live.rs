//! The live network: every write is answered by the next question, writes another process
//! (the command line) commits reach a running server, the server starts from its snapshot
//! file, and an erased person leaves no trace in that file.

use std::time::{Duration, Instant};

use crate::helpers::{MARIA_CONTACTS, MY_CONTACTS, TestApp, spawn_app};

/// Polls `check` until it holds or `limit` passes; whether it held.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if check() {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn targets(app: &TestApp, query: &str) -> Vec<String> {
    app.get_paths(query).ok(200)["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|path| path["target"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn snapshot_file(app: &TestApp) -> std::path::PathBuf {
    warmpath::live::snapshot_file(&app.db, warmpath::store::WorkspaceId(1)).unwrap()
}

#[test]
fn every_write_is_answered_by_the_next_question() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    assert!(targets(&app, "field=finance").is_empty());
    // Maria's list: Dana is two hops away now, at once.
    app.post_import("format=native&owner=maria@example.com", MARIA_CONTACTS)
        .ok(201);
    assert_eq!(targets(&app, "field=finance"), ["Dana Ortiz"]);
    // A declared tie to Dana makes her a direct contact: no longer a target.
    let dana = app.get("/v1/people?q=dana").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    let tie = app
        .post_tie(&serde_json::json!({"from": "me", "to": dana, "relationship": "friend"}))
        .ok(201);
    assert!(targets(&app, "field=finance").is_empty());
    app.delete(&format!("/v1/ties/{}", tie["id"])).ok_empty(204);
    assert_eq!(targets(&app, "field=finance"), ["Dana Ortiz"]);
    // Dana erased: gone from the answers with the 204.
    app.delete(&format!("/v1/people/{dana}")).ok_empty(204);
    assert!(targets(&app, "field=finance").is_empty());
}

#[test]
fn a_server_answers_writes_the_command_line_makes_within_a_second_or_so() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    assert!(targets(&app, "field=finance").is_empty());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("maria.csv");
    std::fs::write(&file, MARIA_CONTACTS).unwrap();
    app.cli(&[
        "import",
        file.to_str().unwrap(),
        "--owner",
        "maria@example.com",
    ]);
    // The server looks for other processes' writes every 250 ms; allow for a slow machine.
    assert!(
        eventually(Duration::from_secs(10), || targets(&app, "field=finance")
            == ["Dana Ortiz"]),
        "the server never answered the command line's import"
    );
}

#[test]
fn a_restarted_server_starts_from_its_snapshot_file_and_catches_up() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    app.post_import("format=native&owner=maria@example.com", MARIA_CONTACTS)
        .ok(201);
    let file = snapshot_file(&app);
    assert!(
        eventually(Duration::from_secs(10), || file.exists()),
        "no snapshot file was written at {}",
        file.display()
    );
    // Written while the server was down: caught up from the change log at start.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tom.csv");
    std::fs::write(
        &csv,
        "name,email,company,title\nRita Chen,rita@example.com,Morgan Stanley,Managing Director\n",
    )
    .unwrap();
    app.cli(&[
        "import",
        csv.to_str().unwrap(),
        "--owner",
        "tom@example.com",
    ]);
    let restarted = app.restart();
    let mut found = targets(&restarted, "field=finance");
    found.sort();
    assert_eq!(found, ["Dana Ortiz", "Rita Chen"]);
}

#[test]
fn an_erased_person_is_not_left_in_the_snapshot_file() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    app.post_import("format=native&owner=maria@example.com", MARIA_CONTACTS)
        .ok(201);
    // A command-line question without a snapshot file builds one (with Dana in it).
    let file = snapshot_file(&app);
    assert!(eventually(Duration::from_secs(10), || file.exists()));
    std::fs::remove_file(&file).unwrap();
    app.cli(&["ask", "finance"]);
    assert!(contains(&std::fs::read(&file).unwrap(), b"Dana Ortiz"));
    let dana = app.get("/v1/people?q=dana").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.delete(&format!("/v1/people/{dana}")).ok_empty(204);
    let bytes = std::fs::read(&file).unwrap_or_default();
    assert!(!contains(&bytes, b"Dana Ortiz"));
    assert!(!contains(&bytes, b"dana@example.com"));
    // And a restart does not bring her back.
    assert!(targets(&app.restart(), "field=finance").is_empty());
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
