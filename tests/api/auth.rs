//! Workspaces and keys: keyless loopback use until a key exists, bearer keys after, and
//! no way to reach another workspace's people, imports or ties.

use serde_json::json;

use crate::helpers::{MY_CONTACTS, spawn_app};

#[test]
fn a_loopback_server_without_keys_serves_the_default_workspace() {
    let app = spawn_app();
    assert_eq!(app.get("/v1/people/me").ok(200)["name"], "Me");
}

#[test]
fn once_a_key_exists_every_v1_request_needs_one() {
    let app = spawn_app();
    let key = app.cli(&["workspace", "create", "team"]).trim().to_string();
    assert!(key.starts_with("wp_"));
    let reply = app.get("/v1/people/me");
    reply.problem(401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    app.with_key(Some("wp_wrong"))
        .get("/v1/people/me")
        .problem(401);
    let reply = app.send(
        app.request("GET", "/v1/people/me")
            .set("Authorization", "Basic abc"),
        None,
    );
    reply.problem(401);
    assert_eq!(
        app.with_key(Some(&key)).get("/v1/people/me").ok(200)["name"],
        "Me"
    );
    assert_eq!(
        app.get("/healthz").status,
        200,
        "operations routes need no key"
    );
}

#[test]
fn a_rotated_key_replaces_the_old_one_and_a_revoked_key_stops_working() {
    let app = spawn_app();
    let old = app.cli(&["workspace", "create", "team"]).trim().to_string();
    let new = app
        .cli(&["workspace", "rotate-key", "team"])
        .trim()
        .to_string();
    app.with_key(Some(&old)).get("/v1/people/me").problem(401);
    app.with_key(Some(&new)).get("/v1/people/me").ok(200);
    app.cli(&["workspace", "revoke-key", "team"]);
    app.with_key(Some(&new)).get("/v1/people/me").problem(401);
}

#[test]
fn a_workspace_cannot_read_change_or_delete_another_workspaces_data() {
    let app = spawn_app();
    let key_a = app
        .cli(&["workspace", "create", "alpha"])
        .trim()
        .to_string();
    let key_b = app.cli(&["workspace", "create", "beta"]).trim().to_string();
    let alpha = app.with_key(Some(&key_a));
    let beta = app.with_key(Some(&key_b));
    let me_a = alpha.get("/v1/people/me").ok(200)["id"].as_i64().unwrap();
    let other = alpha.person_by_email("owner@alpha.org");
    let tie = alpha
        .post_tie(&json!({"from": "me", "to": other.to_string(), "relationship": "friend"}))
        .ok(201)["id"]
        .as_i64()
        .unwrap();
    for path in [
        format!("/v1/people/{me_a}"),
        format!("/v1/people/{other}"),
        format!("/v1/people/{other}/ties"),
        format!("/v1/ties/{tie}"),
    ] {
        beta.get(&path).problem(404);
    }
    beta.patch_json(&format!("/v1/people/{other}"), &json!({"name": "Hijacked"}))
        .problem(404);
    beta.delete(&format!("/v1/people/{other}")).problem(404);
    beta.delete(&format!("/v1/ties/{tie}")).problem(404);
    beta.patch_json(&format!("/v1/ties/{tie}"), &json!({"strength": 0.1}))
        .problem(404);
    beta.post_json("/v1/people/me/merge", &json!({"with": other}))
        .problem(404);
    beta.post_tie(&json!({"from": "me", "to": other.to_string(), "relationship": "friend"}))
        .problem(404);
    let import = alpha.post_import("format=native", MY_CONTACTS).ok(201)["id"]
        .as_i64()
        .unwrap();
    beta.get(&format!("/v1/imports/{import}")).problem(404);
    beta.delete(&format!("/v1/imports/{import}")).problem(404);
    assert_eq!(beta.get("/v1/imports").ok(200)["items"], json!([]));
    // Nor through the parameters that name people or imports.
    beta.post_import(&format!("owner={other}"), MY_CONTACTS)
        .problem(404);
    beta.post_import(&format!("replaces={import}"), MY_CONTACTS)
        .problem(404);
    beta.get_paths(&format!("from={other}&company=acme"))
        .problem(404);
    beta.get_paths(&format!("to={other}")).problem(404);
    beta.get_introducers("to=maria@example.com").problem(404);
    beta.get(&format!("/v1/people/{me_a}/ties")).problem(404);
    assert_eq!(
        beta.get("/v1/people?q=maria").ok(200)["items"],
        json!([]),
        "alpha's contacts are not beta's"
    );
    assert_eq!(beta.get("/v1/fields").ok(200)["fields"][0]["people"], 0);
    alpha.get(&format!("/v1/imports/{import}")).ok(200);
    assert_eq!(
        alpha.get(&format!("/v1/people/{other}")).ok(200)["id"],
        other
    );
    alpha.get(&format!("/v1/ties/{tie}")).ok(200);
    assert!(
        beta.get("/v1/people?limit=1000").ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != other)
    );
}

#[test]
fn once_a_key_exists_the_keyless_default_workspace_is_closed_too() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let key = app.cli(&["workspace", "create", "team"]).trim().to_string();
    app.get("/v1/people?q=maria").problem(401);
    app.post_import("owner=x@example.org", MY_CONTACTS)
        .problem(401);
    let team = app.with_key(Some(&key));
    assert_eq!(team.get("/v1/people?q=maria").ok(200)["items"], json!([]));
    let default_key = app
        .cli(&["workspace", "rotate-key", "default"])
        .trim()
        .to_string();
    let default = app.with_key(Some(&default_key));
    assert_eq!(
        default.get("/v1/people?q=maria").ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_keyless_server_answers_only_loopback_host_names() {
    let app = spawn_app();
    let reply = app.send(
        app.request("GET", "/v1/people/me")
            .set("Host", "attacker.example"),
        None,
    );
    reply.problem(421);
    let reply = app.send(
        app.request("GET", "/v1/people/me")
            .set("Host", "localhost:8080"),
        None,
    );
    reply.ok(200);
}

#[test]
fn a_keyless_server_takes_no_writes_from_other_sites() {
    let app = spawn_app();
    let csv = b"name,email\nAnn Lee,ann@example.com\n";
    for (header, value) in [
        ("Origin", "https://evil.example"),
        ("Sec-Fetch-Site", "cross-site"),
    ] {
        let reply = app.send(
            app.request("POST", "/v1/imports?format=native")
                .set(header, value),
            Some(("text/plain", csv)),
        );
        reply.problem(403);
    }
    assert_eq!(app.get("/v1/people?q=ann").ok(200)["items"], json!([]));
    // A page of this machine may write; so may any caller without those headers (curl).
    let reply = app.send(
        app.request("POST", "/v1/imports?format=native")
            .set("Origin", "http://localhost:3000"),
        Some(("text/csv", csv)),
    );
    reply.ok(201);
}

#[test]
fn with_a_key_the_host_and_origin_checks_are_not_needed() {
    let app = spawn_app();
    let key = app.cli(&["workspace", "rotate-key", "default"]);
    let app = app.with_key(Some(key.trim()));
    let reply = app.send(
        app.request("POST", "/v1/imports?format=native")
            .set("Origin", "https://some.site")
            .set("Host", "warmpath.example.org"),
        Some(("text/csv", b"name,email\nAnn Lee,ann@example.com\n")),
    );
    reply.ok(201);
}
