//! `warmpath request …`, `warmpath requests` and `warmpath follow-ups` on the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::helpers::{Sandbox, TODAY};

const MINE: &str = "name,email,company,title,relationship,last_contacted\n\
Maria Lopez,maria@example.com,Acme Bank,Analyst,family,2025-10-01\n\
Tom Baker,tom@example.com,Baker & Partners,Lawyer,friend,2015-06-01\n";

const MARIAS: &str = "name,email,company,title\n\
Dana Ortiz,dana@example.com,Goldman Sachs,Vice President\n";

fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.import("mine.csv", MINE, "me", None);
    sandbox.import("marias.csv", MARIAS, "maria@example.com", None);
    sandbox
}

fn new_request(sandbox: &Sandbox, introducer: &str) -> Value {
    sandbox.json(&[
        "request",
        "new",
        "--introducer",
        introducer,
        "--to",
        "dana@example.com",
        "--reason",
        "I am applying to analyst roles",
        "--json",
    ])
}

#[test]
fn a_request_is_created_shown_marked_and_listed() {
    let sandbox = sandbox();
    let request = new_request(&sandbox, "maria@example.com");
    assert_eq!(request["state"], "draft");
    assert_eq!(request["relationship"], "family");
    let id = request["id"].to_string();
    // --json prints the body `GET /v1/requests/{id}` sends.
    assert_eq!(sandbox.json(&["request", "show", &id, "--json"]), request);
    let shown = sandbox.ok(&["request", "show", &id]);
    for part in [
        "request 1: draft",
        "introducer: Maria Lopez (family, last contact 2025-10-01)",
        "target:     Dana Ortiz (Vice President, Goldman Sachs)",
        "reason:     I am applying to analyst roles",
        "warmpath never sends it",
        "Subject: Could you introduce me to Dana Ortiz?",
        "20-30 minute informational conversation",
    ] {
        assert!(shown.contains(part), "{part:?} missing from:\n{shown}");
    }
    let asked = sandbox.json(&[
        "request", "mark", &id, "asked", "--on", TODAY, "--note", "by text", "--json",
    ]);
    assert_eq!(asked["state"], "asked");
    assert_eq!(asked["history"][1]["note"], "by text");
    assert_eq!(asked["follow_up"]["due"], "2026-01-08");
    // Asking logged a contact with Maria on the tie me–Maria.
    assert_eq!(asked["last_contact"], TODAY);
    let list = sandbox.json(&["requests", "--state", "asked", "--json"]);
    assert_eq!(list["items"][0]["id"], asked["id"]);
    assert_eq!(list["next_cursor"], Value::Null);
    assert_eq!(
        sandbox.json(&["requests", "--state", "met", "--json"])["items"],
        serde_json::json!([])
    );
    let table = sandbox.ok(&["requests"]);
    assert!(
        table.contains("Maria Lopez") && table.contains("ask again due 2026-01-08"),
        "{table}"
    );

    let none = sandbox.ok(&["follow-ups"]);
    assert!(none.contains("nothing due on 2026-01-01"), "{none}");
    let due = sandbox.json(&["follow-ups", "--today", "2026-01-08", "--json"]);
    assert_eq!(due["today"], "2026-01-08");
    assert_eq!(due["items"][0]["kind"], "ask_again");
    let text = sandbox.ok(&["follow-ups", "--today", "2026-01-09"]);
    assert!(
        text.contains("2026-01-08  request 1") && text.contains("You asked Maria Lopez 8 days ago"),
        "{text}"
    );
    let sooner = sandbox.json(&[
        "follow-ups",
        "--today",
        "2026-01-03",
        "--ask-after-days",
        "2",
        "--json",
    ]);
    assert_eq!(sooner["items"].as_array().unwrap().len(), 1);

    sandbox.ok(&["request", "delete", &id]);
    let gone = sandbox.run(&["request", "show", &id]);
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no request 1"));
}

#[test]
fn a_stale_tie_gets_a_reconnect_note_and_marking_draft_turns_it_into_the_request() {
    let sandbox = sandbox();
    let request = new_request(&sandbox, "tom@example.com");
    assert_eq!(request["state"], "reconnect");
    assert_eq!(request["stale"], true);
    let id = request["id"].to_string();
    let shown = sandbox.ok(&["request", "show", &id]);
    assert!(
        shown.contains("stale: reconnect first") && shown.contains("reconnect note"),
        "{shown}"
    );
    let drafted = sandbox.json(&["request", "mark", &id, "draft", "--json"]);
    assert_eq!(drafted["state"], "draft");
    assert_eq!(drafted["stale"], false);
    assert!(
        drafted["draft"]["body"]
            .as_str()
            .unwrap()
            .contains("Dana Ortiz")
    );
}

#[test]
fn the_draft_can_be_replaced_from_a_file_or_standard_input() {
    let sandbox = sandbox();
    let id = new_request(&sandbox, "maria@example.com")["id"].to_string();
    let file = sandbox.write("body.txt", "Hi Maria,\n\nmy own words.\n");
    let file = file.to_string_lossy().into_owned();
    let edited = sandbox.json(&[
        "request",
        "edit",
        &id,
        "--subject",
        "A favour",
        "--body-file",
        &file,
        "--json",
    ]);
    assert_eq!(edited["draft"]["subject"], "A favour");
    assert_eq!(edited["draft"]["body"], "Hi Maria,\n\nmy own words.\n");
    assert_eq!(edited["edited"], true);
    let mut child = Command::new(env!("CARGO_BIN_EXE_warmpath"))
        .arg("--db")
        .arg(sandbox.dir.path().join("warmpath.db"))
        .args([
            "request",
            "edit",
            &id,
            "--subject",
            "Piped",
            "--body-file",
            "-",
            "--json",
        ])
        .env("WARMPATH_TODAY", TODAY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"from stdin\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let piped: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(piped["draft"]["body"], "from stdin\n");
}

#[test]
fn bad_input_exits_one_and_says_why() {
    let sandbox = sandbox();
    let id = new_request(&sandbox, "maria@example.com")["id"].to_string();
    for (args, says) in [
        (
            vec!["request", "mark", &id, "thanked"],
            "it can become asked",
        ),
        (vec!["request", "mark", &id, "sent"], "is not a state"),
        (
            vec!["request", "mark", &id, "asked", "--on", "2026-02-30"],
            "is not a date",
        ),
        (
            vec!["request", "mark", &id, "asked", "--on", "2026-01-05"],
            "after today",
        ),
        (vec!["request", "show", "99"], "no request 99"),
        (
            vec![
                "request",
                "new",
                "--introducer",
                "dana@example.com",
                "--to",
                "maria@example.com",
            ],
            "no tie",
        ),
        (
            vec![
                "request",
                "new",
                "--introducer",
                "x@example.com",
                "--to",
                "maria@example.com",
            ],
            "no person",
        ),
        (vec!["requests", "--state", "done"], "is not a state"),
        (vec!["follow-ups", "--today", "soon"], "is not a date"),
        (
            vec!["request", "show", &id, "--workspace", "nope"],
            "no workspace",
        ),
    ] {
        let output = sandbox.run(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let long = "x".repeat(501);
    let output = sandbox.run(&[
        "request",
        "new",
        "--introducer",
        "maria@example.com",
        "--to",
        "dana@example.com",
        "--reason",
        &long,
    ]);
    assert_eq!(output.status.code(), Some(1));
}
