//! `warmpath people`, `person` and `fields`: what `GET /v1/people`, `PATCH /v1/people/{id}`
//! and `GET /v1/fields` give, from the command line.

use serde_json::Value;

use crate::helpers::{Sandbox, student_network};

#[test]
fn people_are_found_by_text_and_field_and_corrected_by_reference() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let everyone = sandbox.json(&["people", "--json"]);
    let count = everyone.as_array().unwrap().len();
    assert!(count > 3, "{everyone}");
    let finance = sandbox.json(&["people", "--field", "finance", "--json"]);
    let finance = finance.as_array().unwrap();
    assert!(!finance.is_empty() && finance.len() < count);
    assert!(finance.iter().all(|person| {
        person["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|field| field.as_str().unwrap().starts_with("finance"))
    }));
    let one = &finance[0];
    let email = one["emails"][0].as_str().unwrap();
    let found = sandbox.json(&["people", email, "--json"]);
    assert_eq!(found[0]["id"], one["id"]);
    let renamed = sandbox.json(&["person", email, "--name", "Renamed Person", "--json"]);
    assert_eq!(renamed["name"], "Renamed Person");
    assert_eq!(renamed["id"], one["id"]);
    let shown = sandbox.json(&["person", &one["id"].to_string(), "--json"]);
    assert_eq!(shown["name"], "Renamed Person");
    let unknown = sandbox.run(&["person", "nobody@example.org"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn fields_count_the_people_who_hold_them() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let fields: Value = sandbox.json(&["fields", "--json"]);
    let finance = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|field| field["id"] == "finance")
        .unwrap();
    let people = sandbox.json(&["people", "--field", "finance", "--json"]);
    assert_eq!(
        finance["people"].as_u64().unwrap() as usize,
        people.as_array().unwrap().len()
    );
}
