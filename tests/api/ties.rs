//! `/v1/ties`: declaring, reading, correcting and removing a tie by hand.

use serde_json::json;

use crate::helpers::spawn_app;

#[test]
fn a_declared_tie_can_be_read_corrected_and_removed() {
    let app = spawn_app();
    let aunt = app.person_by_email("aunt@example.org");
    let reply = app.post_tie(&json!({
        "from": "me", "to": "aunt@example.org", "relationship": "mom",
        "strength": 0.9, "last_contacted": "2025-12-24", "interactions": 12
    }));
    let tie = reply.ok(201);
    assert_eq!(tie["to"], aunt);
    assert_eq!(tie["relationship"], "family");
    assert_eq!(
        reply.header("location"),
        Some(format!("/v1/ties/{}", tie["id"]).as_str())
    );
    let path = format!("/v1/ties/{}", tie["id"]);
    assert_eq!(app.get(&path).ok(200), tie);
    let corrected = app
        .patch_json(&path, &json!({"strength": 0.5, "relationship": "friend"}))
        .ok(200);
    assert_eq!(corrected["strength"], 0.5);
    assert_eq!(corrected["relationship"], "friend");
    assert_eq!(corrected["last_contacted"], "2025-12-24");
    let ties = app.get("/v1/people/me/ties").ok(200);
    assert!(
        ties["ties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["sources"][0]["declared"] == true && t["sources"][0]["source"] == "declared")
    );
    app.delete(&path).ok_empty(204);
    app.get(&path).problem(404);
}

#[test]
fn a_declared_tie_is_not_an_import() {
    let app = spawn_app();
    app.person_by_email("aunt@example.org");
    let tie = app
        .post_tie(&json!({"from": "me", "to": "aunt@example.org", "relationship": "family"}))
        .ok(201);
    app.get(&format!("/v1/imports/{}", tie["id"])).problem(404);
    app.delete(&format!("/v1/imports/{}", tie["id"]))
        .problem(404);
}

#[test]
fn a_strength_outside_zero_to_one_is_refused() {
    let app = spawn_app();
    app.person_by_email("aunt@example.org");
    for strength in [0.0, 1.5, -1.0] {
        app.post_tie(&json!({"from": "me", "to": "aunt@example.org", "relationship": "family", "strength": strength}))
            .problem(400);
    }
}

#[test]
fn a_tie_end_is_a_json_integer_id_or_reference_text() {
    let app = spawn_app();
    let aunt = app.person_by_email("aunt@example.org");
    let me = app.get("/v1/people/me").ok(200)["id"].as_i64().unwrap();
    for (from, to) in [
        (json!(me), json!(aunt)),
        (json!("me"), json!(aunt.to_string())),
        (json!(me as f64), json!("aunt@example.org")),
    ] {
        let tie = app
            .post_tie(&json!({"from": from, "to": to, "relationship": "family"}))
            .ok(201);
        assert_eq!(
            (tie["from"].clone(), tie["to"].clone()),
            (json!(me), json!(aunt))
        );
    }
    app.post_tie(&json!({"from": "me", "to": 1.5, "relationship": "family"}))
        .problem(400);
    app.post_tie(&json!({"from": "me", "to": ["aunt@example.org"], "relationship": "family"}))
        .problem(400);
}
