//! `/v1/people`: search, read, correct, merge, erase (and stay erased), ties.

use serde_json::json;

use crate::helpers::{MARIA_CONTACTS, MY_CONTACTS, spawn_app};

fn id_of(app: &crate::helpers::TestApp, q: &str) -> i64 {
    app.get(&format!("/v1/people?q={q}")).ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn people_are_found_by_text_company_and_field() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let found = app.get("/v1/people?q=LOPEZ").ok(200);
    assert_eq!(found["items"][0]["emails"], json!(["maria@example.com"]));
    let found = app.get("/v1/people?company=baker").ok(200);
    assert_eq!(found["items"][0]["name"], "Tom Baker");
    let page = app.get("/v1/people?limit=1").ok(200);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["next_cursor"].is_string());
}

#[test]
fn me_works_as_an_id_and_can_be_corrected() {
    let app = spawn_app();
    let me = app
        .patch_json(
            "/v1/people/me",
            &json!({"name": "Sam Park", "emails": ["Sam@Example.com"]}),
        )
        .ok(200);
    assert_eq!(me["name"], "Sam Park");
    assert_eq!(me["emails"], json!(["sam@example.com"]));
    assert_eq!(app.get(&format!("/v1/people/{}", me["id"])).ok(200), me);
}

#[test]
fn a_person_can_be_corrected_and_fields_set_by_hand_stick() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let tom = id_of(&app, "tom");
    let fields = app.get("/v1/fields").ok(200)["fields"].clone();
    let some_field = fields[0]["id"].as_str().unwrap().to_string();
    let corrected = app
        .patch_json(
            &format!("/v1/people/{tom}"),
            &json!({"title": "Partner", "company": "", "fields": [some_field]}),
        )
        .ok(200);
    assert_eq!(corrected["title"], "Partner");
    assert!(corrected["company"].is_null());
    assert_eq!(corrected["fields"], json!([some_field]));
}

#[test]
fn an_email_held_by_someone_else_is_a_conflict() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let tom = id_of(&app, "tom");
    app.patch_json(
        &format!("/v1/people/{tom}"),
        &json!({"emails": ["maria@example.com"]}),
    )
    .problem(409);
}

#[test]
fn merging_moves_everything_onto_one_person() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let maria = id_of(&app, "maria");
    let tom = id_of(&app, "tom");
    let kept = app
        .post_json(&format!("/v1/people/{maria}/merge"), &json!({"with": tom}))
        .ok(200);
    assert_eq!(kept["id"], maria);
    let mut emails = kept["emails"].as_array().unwrap().clone();
    emails.sort_by_key(|email| email.to_string());
    assert_eq!(
        emails,
        vec![json!("maria@example.com"), json!("tom@example.com")]
    );
    app.get(&format!("/v1/people/{tom}")).problem(404);
}

#[test]
fn an_erased_person_is_gone_and_later_imports_skip_them() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let tom = id_of(&app, "tom");
    app.delete(&format!("/v1/people/{tom}")).ok_empty(204);
    app.get(&format!("/v1/people/{tom}")).problem(404);
    let again = app
        .post_import("owner=friend@example.org&format=native", MY_CONTACTS)
        .ok(201);
    assert_eq!(again["suppressed"], 1);
    assert_eq!(app.get("/v1/people?q=tom").ok(200)["items"], json!([]));
}

#[test]
fn a_persons_ties_show_their_strength_inputs_and_sources() {
    let app = spawn_app();
    let report = app.post_import("format=native", MY_CONTACTS).ok(201);
    let maria = id_of(&app, "maria");
    app.post_import(&format!("owner={maria}&format=native"), MARIA_CONTACTS)
        .ok(201);
    let ties = app.get(&format!("/v1/people/{maria}/ties")).ok(200);
    assert_eq!(ties["person"]["id"], maria);
    let ties = ties["ties"].as_array().unwrap();
    assert_eq!(ties.len(), 2);
    let to_me = ties
        .iter()
        .find(|tie| tie["sources"][0]["import"] == report["id"])
        .unwrap();
    assert_eq!(to_me["sources"][0]["relationship"], "family");
    assert!(to_me["strength"].as_f64().unwrap() > 0.0);
    assert_eq!(to_me["inputs"]["relationship"], "family");
}

#[test]
fn an_erased_person_named_by_email_stays_erased_for_imports_and_ties() {
    let app = spawn_app();
    let alice = app.person_by_email("alice@example.com");
    app.delete(&format!("/v1/people/{alice}")).ok_empty(204);
    let refused = app
        .post_import(
            "owner=alice@example.com&format=native",
            "name,email\nBo Chen,bo@example.org\n",
        )
        .problem(409);
    assert!(
        refused["detail"].as_str().unwrap().contains("erased"),
        "{refused}"
    );
    let refused = app
        .post_tie(&json!({"from": "me", "to": "Alice@Example.com", "relationship": "friend"}))
        .problem(409);
    assert!(
        refused["detail"].as_str().unwrap().contains("erased"),
        "{refused}"
    );
    app.post_tie(&json!({"from": "alice@example.com", "to": "me", "relationship": "friend"}))
        .problem(409);
    assert_eq!(app.get("/v1/people?q=alice").ok(200)["items"], json!([]));
    assert_eq!(app.get("/v1/imports").ok(200)["items"], json!([]));
}

#[test]
fn the_person_merged_in_may_be_named_by_id_digits_or_email() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let maria = id_of(&app, "maria");
    let tom = id_of(&app, "tom");
    app.post_json(
        &format!("/v1/people/{maria}/merge"),
        &json!({"with": tom.to_string()}),
    )
    .ok(200);
    app.get(&format!("/v1/people/{tom}")).problem(404);
    let dana = app.person_by_email("dana@example.com");
    let kept = app
        .post_json(
            &format!("/v1/people/{maria}/merge"),
            &json!({"with": "dana@example.com"}),
        )
        .ok(200);
    assert!(
        kept["emails"]
            .as_array()
            .unwrap()
            .contains(&json!("dana@example.com"))
    );
    app.get(&format!("/v1/people/{dana}")).problem(404);
}

#[test]
fn people_are_found_by_email_as_well_as_by_name() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    for q in ["maria@example.com", "MARIA@Example.com", "maria@exa"] {
        let found = app.get(&format!("/v1/people?q={q}")).ok(200);
        let names: Vec<&str> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|person| person["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["Maria Lopez"], "q={q}");
    }
    assert_eq!(
        app.get("/v1/people?q=nobody@example.com").ok(200)["items"],
        json!([])
    );
}

#[test]
fn a_declared_strength_is_explained_as_declared_not_as_listed() {
    let app = spawn_app();
    app.post_import("format=native", MY_CONTACTS).ok(201);
    let aunt = app.person_by_email("aunt@example.org");
    app.post_tie(&json!({"from": "me", "to": aunt, "relationship": "family", "strength": 0.9}))
        .ok(201);
    let ties = app.get("/v1/people/me/ties").ok(200);
    let to_aunt = ties["ties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tie| tie["person"]["id"] == aunt)
        .unwrap();
    assert_eq!(to_aunt["why"], "strength 0.90 declared by you");
}

#[test]
fn no_write_path_brings_an_erased_person_back() {
    let app = spawn_app();
    app.post_import(
        "format=native",
        "name,email,company\nZelda Quillfeather,zelda@example.org,Acme Bank\nTom Baker,tom@example.com,Baker & Partners\n",
    )
    .ok(201);
    let zelda = app.get("/v1/people?q=zelda").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    let tom = app.get("/v1/people?q=tom").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.delete(&format!("/v1/people/{zelda}")).ok_empty(204);
    // Her email given to someone else, or to me: refused.
    let refused = app
        .patch_json(
            &format!("/v1/people/{tom}"),
            &json!({"emails": ["tom@example.com", "Zelda@Example.org"]}),
        )
        .problem(409);
    assert!(refused["detail"].as_str().unwrap().contains("erased"));
    app.patch_json("/v1/people/me", &json!({"emails": ["zelda@example.org"]}))
        .problem(409);
    // A row with her name alone (nothing else to tell people apart) is skipped and counted.
    let report = app
        .post_import("format=native", "name\nZelda Quillfeather\n")
        .ok(201);
    assert_eq!(report["suppressed"], 1);
    assert_eq!(app.get("/v1/people?q=zelda").ok(200)["items"], json!([]));
    // Someone of that name with more to go on is a different person.
    app.post_import(
        "format=native",
        "name,email\nZelda Quillfeather,z.q@other.example\n",
    )
    .ok(201);
    assert_eq!(
        app.get("/v1/people?q=zelda").ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn nothing_of_an_erased_person_is_left_in_the_files_warmpath_writes() {
    let app = spawn_app();
    app.post_import(
        "format=native",
        "name,email,company,title\nXanthippe Marlowe-Quist,xanthippe@rare.example,Obscura Holdings,Cartographer\n",
    )
    .ok(201);
    let id = app.get("/v1/people?q=xanthippe").ok(200)["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.delete(&format!("/v1/people/{id}")).ok_empty(204);
    let dir = app.db.parent().unwrap();
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.iter().any(|file| file == &app.db));
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for needle in [
            &b"Xanthippe"[..],
            b"xanthippe@rare.example",
            b"Obscura",
            b"Cartographer",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|window| window == needle),
                "{} still holds {:?}",
                file.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
}
