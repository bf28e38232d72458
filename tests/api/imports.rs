//! `/v1/imports`: uploads (raw and multipart), idempotence, reports, pages, withdrawal,
//! and persistence across a restart.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{MARIA_CONTACTS, MY_CONTACTS, spawn_app};

#[test]
fn an_upload_is_applied_and_answers_201_with_its_report() {
    let app = spawn_app();
    let reply = app.post_import("format=native", MY_CONTACTS);
    let report = reply.ok(201);
    assert_eq!(report["rows"], 2);
    assert_eq!(report["people_created"], 2);
    assert_eq!(report["ties_created"], 2);
    assert_eq!(
        reply.header("location"),
        Some(format!("/v1/imports/{}", report["id"]).as_str())
    );
    assert_eq!(
        app.get(&format!("/v1/imports/{}", report["id"])).ok(200),
        report
    );
}

#[test]
fn the_same_bytes_for_the_same_owner_answer_200_with_the_earlier_report() {
    let app = spawn_app();
    let first = app.post_import("", MY_CONTACTS).ok(201);
    let again = app.post_import("", MY_CONTACTS).ok(200);
    assert_eq!(first["id"], again["id"]);
}

#[test]
fn a_multipart_upload_reads_the_file_part() {
    let app = spawn_app();
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n{MY_CONTACTS}\r\n--XyZ--\r\n"
    );
    let reply = app.send(
        app.request("POST", "/v1/imports"),
        Some(("multipart/form-data; boundary=XyZ", body.as_bytes())),
    );
    assert_eq!(reply.ok(201)["people_created"], 2);
}

#[test]
fn a_file_with_a_bad_line_is_rejected_with_every_bad_line_and_applies_nothing() {
    let app = spawn_app();
    let csv =
        "name,email,relationship\nAnn,ann@example.com,friend\nBob,bob@example.com,archenemy\n";
    let problem = app.post_import("format=native", csv).problem(422);
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(app.get("/v1/people?q=ann").ok(200)["items"], json!([]));
    let report = app.post_import("format=native&on_error=skip", csv).ok(201);
    assert_eq!(report["skipped"][0]["line"], 3);
    assert_eq!(
        app.get("/v1/people?q=ann").ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Issue 11.7: the HTTP report names the lines an unclosed quote swallowed.
#[test]
fn a_skipped_unclosed_quote_names_the_lines_it_swallowed() {
    let app = spawn_app();
    let csv = "name,email,notes\nAnn,ann@example.com,ok\nBob,bob@example.com,\"open\n\
               Cy,cy@example.com,x\r\nDi,di@example.com,y";
    let problem = app.post_import("", csv).problem(422);
    assert_eq!(problem["errors"][0]["line"], 3, "{problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("lines 3-5: a quote opened on line 3"),
        "{message}"
    );
    let report = app.post_import("on_error=skip", csv).ok(201);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["skipped"][0]["line"], 3);
    assert_eq!(report["skipped"][0]["column"], 3);
    let message = report["skipped"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "lines 3-5: a quote opened on line 3 never closes; these lines were read as one field and skipped"
    );
    // The import's stored report says the same.
    let id = report["id"].as_i64().unwrap();
    let stored = app.get(&format!("/v1/imports/{id}")).ok(200);
    assert_eq!(stored["skipped"][0]["message"], message, "{stored}");
}

#[test]
fn imports_are_listed_a_page_at_a_time() {
    let app = spawn_app();
    let first = app.post_import("owner=a@example.org", MY_CONTACTS).ok(201);
    let second = app.post_import("owner=b@example.org", MY_CONTACTS).ok(201);
    let page = app.get("/v1/imports?limit=1").ok(200);
    assert_eq!(page["items"][0]["id"], first["id"]);
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let next = app
        .get(&format!("/v1/imports?limit=1&cursor={cursor}"))
        .ok(200);
    assert_eq!(next["items"][0]["id"], second["id"]);
    assert!(next["next_cursor"].is_null());
}

#[test]
fn withdrawing_an_import_removes_its_ties_and_the_people_only_it_brought_in() {
    let app = spawn_app();
    let mine = app.post_import("format=native", MY_CONTACTS).ok(201);
    let maria = app.get("/v1/people?q=maria").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    let hers = app
        .post_import(&format!("owner={maria}&format=native"), MARIA_CONTACTS)
        .ok(201);
    app.delete(&format!("/v1/imports/{}", hers["id"]))
        .ok_empty(204);
    assert_eq!(app.get("/v1/people?q=dana").ok(200)["items"], json!([]));
    assert_eq!(
        app.get("/v1/people?q=maria").ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.get(&format!("/v1/imports/{}", hers["id"])).problem(404);
    app.get(&format!("/v1/imports/{}", mine["id"])).ok(200);
}

#[test]
fn data_survives_a_restart_on_the_same_database() {
    let app = spawn_app();
    let report = app.post_import("format=native", MY_CONTACTS).ok(201);
    let restarted = app.restart();
    assert_eq!(
        restarted
            .get(&format!("/v1/imports/{}", report["id"]))
            .ok(200),
        report
    );
    assert_eq!(
        restarted.get("/v1/people?q=maria").ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_replacing_upload_withdraws_the_old_list_atomically() {
    let app = spawn_app();
    let old = app.post_import("format=native", MY_CONTACTS).ok(201);
    let newer = "name,email\nMaria Lopez,maria@example.com\n";
    app.post_import(&format!("format=native&replaces={}", old["id"]), newer)
        .ok(201);
    app.get(&format!("/v1/imports/{}", old["id"])).problem(404);
    assert_eq!(app.get("/v1/people?q=tom").ok(200)["items"], json!([]));
}

#[test]
fn an_upload_cannot_replace_another_owners_list() {
    let app = spawn_app();
    let mine = app.post_import("format=native", MY_CONTACTS).ok(201);
    let theirs = "name,email\nDana Ortiz,dana@example.com\n";
    let problem = app
        .post_import(
            &format!(
                "format=native&owner=maria%40example.com&replaces={}",
                mine["id"]
            ),
            theirs,
        )
        .problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("another owner"),
        "{problem}"
    );
    assert_eq!(
        app.get(&format!("/v1/imports/{}", mine["id"])).ok(200),
        mine
    );
    assert_eq!(app.get("/v1/people?q=dana").ok(200)["items"], json!([]));
}

#[test]
fn corrections_erasures_declared_ties_and_keys_survive_a_restart() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let people = app.get("/v1/people?limit=10").ok(200)["items"].clone();
    let id_of = |name: &str| {
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|person| person["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (maria, tom) = (id_of("Maria Lopez"), id_of("Tom Baker"));
    app.patch_json(
        &format!("/v1/people/{maria}"),
        &json!({"title": "Director"}),
    )
    .ok(200);
    let aunt = app.person_by_email("aunt@example.org");
    app.delete(&format!("/v1/people/{tom}")).ok_empty(204);
    let tie = app
        .post_tie(&json!({"from": "me", "to": aunt.to_string(), "relationship": "family", "strength": 0.8}))
        .ok(201);
    let key = app.cli(&["workspace", "create", "team"]).trim().to_string();
    let restarted = app.restart().with_key(Some(&key));
    restarted.get("/v1/people/me").ok(200);
    restarted.with_key(None).get("/v1/people/me").problem(401);
    let default_key = app
        .cli(&["workspace", "rotate-key", "default"])
        .trim()
        .to_string();
    let restarted = restarted.with_key(Some(&default_key));
    assert_eq!(
        restarted.get(&format!("/v1/people/{maria}")).ok(200)["title"],
        "Director"
    );
    restarted.get(&format!("/v1/people/{tom}")).problem(404);
    assert_eq!(
        restarted.get(&format!("/v1/ties/{}", tie["id"])).ok(200),
        tie
    );
    let again = restarted
        .post_import("owner=friend@example.org&format=native", MY_CONTACTS)
        .ok(201);
    assert_eq!(again["suppressed"], 1, "the erasure outlives the restart");
}

#[test]
fn a_vcard_upload_is_read_as_a_vcard() {
    let app = spawn_app();
    let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Ortiz\r\nEMAIL:dana@example.com\r\nORG:Goldman Sachs\r\nEND:VCARD\r\n";
    let report = app
        .send(
            app.request("POST", "/v1/imports"),
            Some(("text/vcard", vcard.as_bytes())),
        )
        .ok(201);
    assert_eq!(report["format"], "vcard");
    assert_eq!(report["people_created"], 1);
}

#[test]
fn a_file_that_cannot_be_read_is_a_422_naming_the_line_and_column() {
    let app = spawn_app();
    let problem = app.post_import("", "foo,bar\n1,2\n").problem(422);
    assert_eq!(problem["errors"][0]["line"], 1);
    assert!(problem["errors"][0]["column"].is_u64());
    assert!(
        problem["detail"].as_str().unwrap().contains("foo"),
        "{problem}"
    );
    let problem = app
        .post_import(
            "format=native",
            "name,email,last_contacted\nAnn,ann@example.com,someday\n",
        )
        .problem(422);
    assert_eq!(problem["errors"][0]["line"], 2);
    assert_eq!(problem["errors"][0]["column"], 3);
}

#[test]
fn a_compressed_body_is_refused_with_415() {
    let app = spawn_app();
    let reply = app.send(
        app.request("POST", "/v1/imports?format=native")
            .set("Content-Encoding", "gzip"),
        Some(("text/csv", MY_CONTACTS.as_bytes())),
    );
    reply.problem(415);
}

#[test]
fn a_form_with_two_file_parts_is_refused() {
    let app = spawn_app();
    let part = |name: &str| {
        format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{MY_CONTACTS}\r\n"
        )
    };
    let body = format!("{}{}--XyZ--\r\n", part("a.csv"), part("b.csv"));
    let reply = app.send(
        app.request("POST", "/v1/imports"),
        Some(("multipart/form-data; boundary=XyZ", body.as_bytes())),
    );
    let problem = reply.problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("more than one")
    );
}

/// An upload that sends its headers and a few bytes, then nothing.
fn stalled_upload(app: &crate::helpers::TestApp) -> std::net::TcpStream {
    use std::io::Write;
    let address = app.address.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /v1/imports?format=native HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: 60000\r\n\r\nname,email\n"
    )
    .unwrap();
    stream
}

#[test]
fn a_stalled_upload_is_refused_with_408_and_only_a_few_are_read_at_once() {
    use std::io::Read;
    let app = spawn_app();
    let stalled: Vec<std::net::TcpStream> = (0..4).map(|_| stalled_upload(&app)).collect();
    std::thread::sleep(Duration::from_millis(300));
    // Four are being read: a fifth waits for none of them, it is told to come back.
    let reply = app.post_import("format=native", MY_CONTACTS);
    reply.problem(503);
    assert_eq!(reply.header("retry-after"), Some("5"));
    // The stalled ones are answered 408 once idle too long, and their places free up.
    for mut stream in stalled {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("application/problem+json"), "{answer}");
    }
    app.post_import("format=native", MY_CONTACTS).ok(201);
}
