//! Liveness, readiness, metrics, the OpenAPI document and request ids.

use crate::helpers::spawn_app;

#[test]
fn healthz_and_readyz_answer_ok_once_loaded() {
    let app = spawn_app();
    assert_eq!(app.get("/healthz").ok(200)["status"], "ok");
    assert_eq!(app.get("/readyz").ok(200)["status"], "ready");
}

#[test]
fn the_server_serves_the_committed_openapi_document_byte_for_byte() {
    let app = spawn_app();
    let reply = app.get("/openapi.yaml");
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("application/yaml"));
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    assert_eq!(reply.text, committed);
}

#[test]
fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app();
    app.get("/v1/people/me");
    app.get("/v1/people/987654");
    let reply = app.get("/metrics");
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("text/plain"));
    assert!(
        reply
            .text
            .contains(r#"route="/v1/people/{id}",status="200""#),
        "{}",
        reply.text
    );
    assert!(
        reply
            .text
            .contains(r#"route="/v1/people/{id}",status="404""#)
    );
    assert!(reply.text.contains("warmpath_snapshot_people"));
    assert!(
        reply
            .text
            .contains("warmpath_http_request_duration_seconds_bucket")
    );
    assert!(!reply.text.contains("987654"), "ids never reach labels");
}

#[test]
fn a_request_id_is_echoed_or_made_up() {
    let app = spawn_app();
    let echoed = app.send(
        app.request("GET", "/healthz")
            .set("X-Request-Id", "abc-123"),
        None,
    );
    assert_eq!(echoed.header("x-request-id"), Some("abc-123"));
    let made = app.get("/healthz");
    assert_eq!(made.header("x-request-id").unwrap().len(), 36);
}

#[test]
fn metrics_hold_no_workspace_and_need_a_key_once_keys_exist() {
    let app = spawn_app();
    app.post_import("format=native", crate::helpers::MY_CONTACTS)
        .ok(201);
    let open = app.get("/metrics");
    assert_eq!(open.status, 200);
    assert!(!open.text.contains("workspace="), "{}", open.text);
    assert!(open.text.contains(r#"update="applied""#), "{}", open.text);
    let key = app.cli(&["workspace", "create", "team"]);
    app.get("/metrics").problem(401);
    let keyed = app.with_key(Some(key.trim())).get("/metrics");
    assert_eq!(keyed.status, 200);
    app.with_key(Some("wp_not_a_key"))
        .get("/metrics")
        .problem(401);
}
