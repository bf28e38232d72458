use serde_json::Value;

use crate::helpers::{Sandbox, names, student_network};

fn introducer_names(body: &Value) -> Vec<String> {
    let people: Vec<Value> = body["introducers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["person"].clone())
        .collect();
    names(&people)
}

#[test]
fn ask_json_prints_the_introducers_body() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let body = sandbox.json(&["ask", "finance", "--json"]);
    assert_eq!(body["from"]["name"], "Sam Student");
    assert_eq!(body["fields"], serde_json::json!(["finance"]));
    assert_eq!(introducer_names(&body), vec!["Alice Aunt", "Bob Oldcoach"]);
    let alice = &body["introducers"][0];
    assert_eq!(alice["relationship"], "family");
    assert_eq!(
        alice["reach"], 2,
        "Dana and Evan; Fay is a direct contact: {alice}"
    );
    let targets: Vec<Value> = alice["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["person"].clone())
        .collect();
    assert_eq!(names(&targets), vec!["Dana Ortiz", "Evan Price"]);
    let strength = alice["strength"].as_f64().unwrap();
    let best = alice["targets"][0]["score"].as_f64().unwrap();
    assert!((alice["score"].as_f64().unwrap() - best).abs() < 1e-12);
    assert!(best < strength && strength <= 1.0);
    for key in ["id", "name", "emails", "company", "title", "fields"] {
        assert!(
            alice["person"].get(key).is_some(),
            "person object has no {key}"
        );
    }
}

#[test]
fn ask_paths_json_prints_the_paths_body_with_every_hop_explained() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let body = sandbox.json(&["ask", "finance", "--paths", "--json"]);
    let paths = body["paths"].as_array().unwrap();
    let targets: Vec<Value> = paths.iter().map(|path| path["target"].clone()).collect();
    let mut target_names = names(&targets);
    target_names.sort();
    assert_eq!(target_names, vec!["Dana Ortiz", "Evan Price", "Hugo Banks"]);
    // Fay is in finance and two hops away through Alice, but she is my direct contact.
    let scores: Vec<f64> = paths
        .iter()
        .map(|path| path["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "ranked by score: {scores:?}"
    );
    let first = &paths[0];
    let hops = first["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!(hops[0]["from"]["name"], "Sam Student");
    assert_eq!(hops[1]["to"]["name"], first["target"]["name"]);
    let product = hops[0]["strength"].as_f64().unwrap() * hops[1]["strength"].as_f64().unwrap();
    assert!((first["score"].as_f64().unwrap() - product).abs() < 1e-9);
    for key in [
        "relationship",
        "strength",
        "last_contacted",
        "reciprocal",
        "mutual_contacts",
        "why",
    ] {
        assert!(hops[0].get(key).is_some(), "hop has no {key}");
    }
    assert!(
        hops[0]["why"].as_str().unwrap().contains("family"),
        "{}",
        hops[0]["why"]
    );
    assert!(
        first["explanation"].as_str().unwrap().starts_with("Ask "),
        "{}",
        first["explanation"]
    );
}

#[test]
fn a_stale_first_hop_is_flagged() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let body = sandbox.json(&["ask", "finance", "--paths", "--json"]);
    let through_bob = body["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|path| path["hops"][0]["to"]["name"] == "Bob Oldcoach")
        .expect("a path through Bob");
    let warnings = through_bob["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{through_bob}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("reconnect before you ask")
    );
    let through_alice = &body["paths"][0];
    assert_eq!(through_alice["warnings"], serde_json::json!([]));
}

#[test]
fn company_and_title_filters_are_case_and_accent_insensitive() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let body = sandbox.json(&[
        "ask",
        "finance",
        "--paths",
        "--json",
        "--company",
        "GOLDMAN",
    ]);
    let targets: Vec<Value> = body["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target"].clone())
        .collect();
    assert_eq!(names(&targets), vec!["Dana Ortiz"]);
    let body = sandbox.json(&["ask", "finance", "--paths", "--json", "--title", "partnér"]);
    let targets: Vec<Value> = body["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target"].clone())
        .collect();
    assert_eq!(names(&targets), vec!["Evan Price"]);
}

#[test]
fn ask_from_another_person_searches_their_network() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let body = sandbox.json(&["ask", "law", "--from", "alice@example.com", "--json"]);
    assert_eq!(body["from"]["name"], "Alice Aunt");
    // Gina (law) is three ties from Alice: Alice → me → Bob → Gina.
    assert_eq!(body["introducers"], serde_json::json!([]));
    let body = sandbox.json(&[
        "ask",
        "law",
        "--from",
        "alice@example.com",
        "--max-hops",
        "3",
        "--json",
    ]);
    assert_eq!(introducer_names(&body), vec!["Sam Student"]);
}

#[test]
fn the_table_names_the_introducers() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let table = sandbox.ok(&["ask", "finance"]);
    assert!(
        table.contains("Who can introduce Sam Student to someone in finance"),
        "{table}"
    );
    assert!(table.contains("Alice Aunt"), "{table}");
}

#[test]
fn an_unknown_field_or_person_is_a_clear_error() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let output = sandbox.run(&["ask", "zzqx"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no field matches"));
    let output = sandbox.run(&["ask", "finance", "--from", "nobody@example.com"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no person nobody@example.com"));
    let output = sandbox.run(&["ask", "finance", "--max-hops", "4"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("max_hops must be between 1 and 3"));
}

#[test]
fn the_demo_network_answers_who_can_introduce_me_to_someone_in_finance() {
    let sandbox = Sandbox::new();
    let body = sandbox.json(&["ask", "finance", "--demo", "--json"]);
    assert_eq!(body["from"]["name"], "Sam Okafor");
    let introducers = body["introducers"].as_array().unwrap();
    assert!(introducers.len() >= 3, "{body}");
    let paths = sandbox.json(&[
        "ask", "finance", "--demo", "--paths", "--json", "--limit", "50",
    ]);
    for path in paths["paths"].as_array().unwrap() {
        assert_eq!(path["hops"].as_array().unwrap().len(), 2);
        assert!(
            path["target"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f.as_str().unwrap().starts_with("finance"))
        );
    }
    assert!(paths["paths"].as_array().unwrap().len() >= 10, "{paths}");
    // --demo never touches --db.
    assert!(!sandbox.dir.path().join("warmpath.db").exists());
}

#[test]
fn a_role_or_company_asked_as_a_field_says_which_flag_to_use() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let output = sandbox.run(&["ask", "founders"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no field matches \"founders\"; try --title founder"),
        "{stderr}"
    );
    let output = sandbox.run(&["ask", "Goldman Sachs"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("try --company \"Goldman Sachs\""),
        "{stderr}"
    );
    let body = sandbox.json(&["ask", "", "--title", "vice president", "--json"]);
    assert_eq!(introducer_names(&body), vec!["Alice Aunt"]);
}

#[test]
fn a_field_nobody_reachable_holds_is_told_apart_from_an_empty_network() {
    let sandbox = Sandbox::new();
    let empty = sandbox.ok(&["ask", "finance"]);
    assert!(empty.contains("nobody in this network yet"), "{empty}");
    student_network(&sandbox);
    let none = sandbox.ok(&["ask", "nursing"]);
    assert!(!none.contains("nobody in this network yet"), "{none}");
    assert!(none.contains("within reach"), "{none}");
    assert!(
        none.contains(" people and ") && none.contains(" ties in this network"),
        "{none}"
    );
}

#[test]
fn help_names_the_exit_statuses() {
    let sandbox = Sandbox::new();
    let help = sandbox.ok(&["--help"]);
    assert!(help.contains("Exit status"), "{help}");
    assert!(help.contains("2 a file refused for bad lines"), "{help}");
}

#[test]
fn the_table_says_whom_in_the_field_you_know_already() {
    let sandbox = Sandbox::new();
    student_network(&sandbox);
    let body = sandbox.json(&["ask", "finance", "--json"]);
    // Fay (Goldman Sachs) is Sam's classmate.
    let count = body["already_know"]["count"].as_u64().unwrap();
    assert_eq!(count, 1, "{body}");
    assert_eq!(
        body["already_know"]["people"][0]["person"]["name"],
        "Fay Intern"
    );
    let table = sandbox.ok(&["ask", "finance"]);
    assert!(
        table.contains("You already know 1 person in finance: Fay Intern"),
        "{table}"
    );
    let one_hop = sandbox.json(&["ask", "finance", "--paths", "--max-hops", "1", "--json"]);
    assert_eq!(
        one_hop["paths"].as_array().unwrap().len() as u64,
        count.min(10)
    );
}
