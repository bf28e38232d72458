//! `/v1/paths`, `/v1/introducers`, `/v1/paths/batch` and `/v1/fields`.

use serde_json::json;

use crate::helpers::{MARIA_CONTACTS, MY_CONTACTS, TestApp, spawn_app};

/// me → Maria (family) → Dana (VP, Goldman Sachs).
fn network() -> TestApp {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let maria = app.get("/v1/people?q=maria").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.post_import(&format!("owner={maria}&format=native"), MARIA_CONTACTS)
        .ok(201);
    app
}

#[test]
fn paths_lead_through_the_introducer_to_the_target() {
    let app = network();
    let body = app.get_paths("company=goldman").ok(200);
    assert_eq!(body["from"]["name"], "Me");
    let path = &body["paths"][0];
    assert_eq!(path["target"]["name"], "Dana Ortiz");
    assert_eq!(path["hops"][0]["to"]["name"], "Maria Lopez");
    assert_eq!(path["hops"][0]["relationship"], "family");
    assert!(
        path["explanation"]
            .as_str()
            .unwrap()
            .contains("Maria Lopez")
    );
    assert!(path["warnings"].is_array());
}

#[test]
fn introducers_are_ranked_with_their_reach() {
    let app = network();
    let body = app.get_introducers("title=vice%20president").ok(200);
    let introducer = &body["introducers"][0];
    assert_eq!(introducer["person"]["name"], "Maria Lopez");
    assert_eq!(introducer["reach"], 1);
    assert_eq!(introducer["targets"][0]["person"]["name"], "Dana Ortiz");
}

#[test]
fn a_write_is_visible_to_the_next_question() {
    let app = network();
    assert_eq!(app.get_paths("company=initech").ok(200)["paths"], json!([]));
    let maria = app.get("/v1/people?q=maria").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.post_import(
        &format!("owner={maria}&format=native"),
        "name,email,company\nPeter Gibbons,peter@initech.com,Initech\n",
    )
    .ok(201);
    assert_eq!(
        app.get_paths("company=initech").ok(200)["paths"][0]["target"]["name"],
        "Peter Gibbons"
    );
}

#[test]
fn a_batch_answers_each_query_in_order_with_a_body_or_a_problem() {
    let app = network();
    let body = app
        .post_json(
            "/v1/paths/batch",
            &json!({"queries": [{"company": "goldman"}, {}, {"company": "goldman", "from": "ghost@example.com"}]}),
        )
        .ok(200);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["paths"][0]["target"]["name"], "Dana Ortiz");
    assert_eq!(results[1]["status"], 400);
    assert_eq!(results[2]["status"], 404);
}

#[test]
fn fields_are_listed_with_counts_and_text_resolves_to_fields() {
    let app = network();
    let fields = app.get("/v1/fields").ok(200)["fields"]
        .as_array()
        .unwrap()
        .clone();
    assert!(fields.len() >= 20);
    let finance = fields
        .iter()
        .find(|field| field["id"] == "finance")
        .unwrap();
    assert!(finance["people"].as_u64().unwrap() >= 1, "{finance}");
    let resolved = app.get("/v1/fields/resolve?q=VC").ok(200);
    assert_eq!(resolved["query"], "VC");
    assert!(
        resolved["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"].as_str().unwrap().starts_with("finance"))
    );
}

#[test]
fn withdrawing_a_list_or_erasing_a_person_changes_the_next_answer() {
    let app = network();
    assert_eq!(
        app.get_paths("company=goldman").ok(200)["paths"][0]["target"]["name"],
        "Dana Ortiz"
    );
    let dana = app.get("/v1/people?q=dana").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.delete(&format!("/v1/people/{dana}")).ok_empty(204);
    assert_eq!(app.get_paths("company=goldman").ok(200)["paths"], json!([]));
    let maria = app.get("/v1/people?q=maria").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    let peter = app
        .post_import(
            &format!("owner={maria}&format=native"),
            "name,email,company\nPeter Gibbons,peter@initech.com,Initech\n",
        )
        .ok(201);
    assert_eq!(
        app.get_paths("company=initech").ok(200)["paths"][0]["target"]["name"],
        "Peter Gibbons"
    );
    app.delete(&format!("/v1/imports/{}", peter["id"]))
        .ok_empty(204);
    assert_eq!(app.get_paths("company=initech").ok(200)["paths"], json!([]));
}

#[test]
fn a_paths_score_is_the_product_of_its_hops_strengths() {
    let app = network();
    let body = app.get_paths("company=goldman").ok(200);
    let path = &body["paths"][0];
    let hops = path["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!(hops[0]["from"]["name"], "Me");
    assert_eq!(hops[1]["to"]["name"], "Dana Ortiz");
    let product: f64 = hops
        .iter()
        .map(|hop| hop["strength"].as_f64().unwrap())
        .product();
    assert!((path["score"].as_f64().unwrap() - product).abs() < 1e-9);
    for hop in hops {
        assert!(hop["why"].as_str().is_some_and(|why| !why.is_empty()));
    }
}

/// me → Rita (last contacted `last_contacted`) → Dana (Goldman Sachs).
fn network_with_first_hop(last_contacted: &str) -> TestApp {
    let app = spawn_app();
    app.post_import(
        "format=native",
        &format!("name,email,relationship,last_contacted\nRita Old,rita@example.com,friend,{last_contacted}\n"),
    )
    .ok(201);
    app.post_import("owner=rita@example.com&format=native", MARIA_CONTACTS)
        .ok(201);
    app
}

#[test]
fn a_first_hop_is_stale_only_when_last_contacted_more_than_three_years_ago() {
    // Today is 2026-01-01: 2023-01-01 is exactly three years (1,096 days) ago.
    let exactly = network_with_first_hop("2023-01-01");
    let path = &exactly.get_paths("company=goldman").ok(200)["paths"][0];
    assert_eq!(path["hops"][0]["last_contacted"], "2023-01-01");
    assert_eq!(path["warnings"], json!([]), "{path}");
    let older = network_with_first_hop("2022-12-31");
    let path = &older.get_paths("company=goldman").ok(200)["paths"][0];
    let warnings = path["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{path}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("you last spoke with Rita Old"),
        "{path}"
    );
}

#[test]
fn a_linkedin_connection_date_is_not_shown_as_a_last_contact() {
    let app = spawn_app();
    app.post_import(
        "",
        "First Name,Last Name,Email Address,Company,Position,Connected On\n\
         Rita,Old,rita@example.com,Initech,Engineer,01 Jan 2019\n",
    )
    .ok(201);
    app.post_import("owner=rita@example.com&format=native", MARIA_CONTACTS)
        .ok(201);
    let path = &app.get_paths("company=goldman").ok(200)["paths"][0];
    let hop = &path["hops"][0];
    assert_eq!(hop["to"]["name"], "Rita Old");
    assert!(hop["last_contacted"].is_null(), "{hop}");
    assert_eq!(hop["connected_on"], "2019-01-01");
    let why = hop["why"].as_str().unwrap();
    assert!(
        why.contains("connected 2019-01-01 (7 years ago, no later contact known)"),
        "{why}"
    );
    let warnings = path["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{path}");
    let warning = warnings[0].as_str().unwrap();
    assert!(
        warning.contains("you connected with Rita Old 7 years ago") && !warning.contains("spoke"),
        "{warning}"
    );
}

#[test]
fn resolving_text_gives_each_fields_label_and_match_and_suggests_titles_and_companies() {
    let app = spawn_app();
    let vc = app.get("/v1/fields/resolve?q=VC").ok(200);
    let first = &vc["fields"][0];
    assert_eq!(first["field"], "finance/venture-capital");
    assert_eq!(first["label"], "Venture Capital");
    assert_eq!(first["via"], "abbreviation");
    assert!(first["reason"].is_string() && first["score"].is_number());
    let founders = app.get("/v1/fields/resolve?q=founders").ok(200);
    assert_eq!(founders["fields"], json!([]));
    assert_eq!(founders["title"], "founder");
    assert!(
        founders["hint"].as_str().unwrap().contains("title=founder"),
        "{founders}"
    );
    let goldman = app.get("/v1/fields/resolve?q=Goldman%20Sachs").ok(200);
    assert_eq!(goldman["fields"], json!([]));
    assert_eq!(goldman["company"], "Goldman Sachs");
    let typo = app.get("/v1/fields/resolve?q=finanse").ok(200);
    assert_eq!(typo["fields"][0]["via"], "typo");
}

#[test]
fn a_batch_query_names_people_by_integer_id_or_text() {
    let app = network();
    let me = app.get("/v1/people/me").ok(200)["id"].as_i64().unwrap();
    let dana = app.get("/v1/people?q=dana").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    let body = app
        .post_json(
            "/v1/paths/batch",
            &json!({"queries": [{"from": me, "to": dana}, {"from": "me", "to": dana.to_string()}]}),
        )
        .ok(200);
    for result in body["results"].as_array().unwrap() {
        assert_eq!(
            result["paths"][0]["target"]["name"], "Dana Ortiz",
            "{result}"
        );
    }
}

#[test]
fn the_people_asked_for_whom_you_know_already_are_counted_and_one_hop_paths_list_them() {
    let app = network();
    // Maria (Acme Bank, family) and Tom (a law firm) are mine; Dana is Maria's.
    let body = app.get_introducers("company=acme").ok(200);
    assert_eq!(body["already_know"]["count"], 1);
    let known = &body["already_know"]["people"][0];
    assert_eq!(known["person"]["name"], "Maria Lopez");
    assert_eq!(known["relationship"], "family");
    assert!(known["strength"].as_f64().unwrap() > 0.0);
    assert!(body["introducers"].as_array().unwrap().is_empty());

    let one_hop = app.get_paths("company=acme&max_hops=1").ok(200);
    let paths = one_hop["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0]["target"]["name"], "Maria Lopez");
    assert_eq!(paths[0]["hops"].as_array().unwrap().len(), 1);
    assert_eq!(paths[0]["score"], known["strength"]);

    // Dana is two hops away: not someone you know, and not a one-hop path.
    let goldman = app.get_paths("company=goldman").ok(200);
    assert_eq!(goldman["already_know"]["count"], 0);
    assert_eq!(goldman["paths"][0]["target"]["name"], "Dana Ortiz");
    let none = app.get_paths("company=goldman&max_hops=1").ok(200);
    assert!(none["paths"].as_array().unwrap().is_empty());
}
