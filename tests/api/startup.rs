//! Starting the server: who may be served without keys, readiness, and the demo network.

use warmpath::config::Settings;
use warmpath::startup::{Application, ServeSettings};

use crate::helpers::{TODAY, spawn_demo};

fn settings(bind: &str, db: std::path::PathBuf) -> ServeSettings {
    ServeSettings {
        bind: bind.to_string(),
        db,
        demo: false,
        workspace: "default".to_string(),
        body_limit: ServeSettings::DEFAULT_BODY_LIMIT,
        cors_origins: Vec::new(),
        settings: Settings::for_today(
            chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap(),
        ),
        upload_idle: warmpath::api::extract::UPLOAD_IDLE,
    }
}

/// Builds (binds, but never runs) an application, as `warmpath serve` would.
fn build(serve: ServeSettings) -> Result<(), String> {
    actix_web::rt::System::new()
        .block_on(async move { Application::build(serve).await.map(drop) })
        .map_err(|error| format!("{error:#}"))
}

#[test]
fn a_non_loopback_address_without_any_key_refuses_to_start_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("warmpath.db");
    let refused = build(settings("0.0.0.0:0", db.clone())).unwrap_err();
    assert!(refused.contains("without keys"), "{refused}");
    assert!(refused.contains("warmpath workspace create"), "{refused}");
    let mut store = warmpath::store::Store::open(&db).unwrap();
    let workspace = store.create_workspace("team").unwrap();
    store.issue_key(workspace).unwrap();
    drop(store);
    build(settings("0.0.0.0:0", db)).unwrap();
}

#[test]
fn the_demo_network_is_served_from_a_fresh_database() {
    let manifest: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/demo/manifest.json"
    )))
    .expect("data/demo/manifest.json is the demo network's manifest");
    let app = spawn_demo();
    let me = app.get("/v1/people/me").ok(200);
    assert_eq!(me["name"], manifest["me"]["name"]);
    let people = app.get("/v1/people?limit=1000").ok(200);
    assert!(people["items"].as_array().unwrap().len() > 5, "{people}");
    let body = app.get_introducers("field=finance").ok(200);
    assert!(
        !body["introducers"].as_array().unwrap().is_empty(),
        "{body}"
    );
    assert!(!app.db.exists(), "--demo never touches --db");
}
