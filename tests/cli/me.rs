use crate::helpers::Sandbox;

#[test]
fn me_shows_and_sets_who_i_am() {
    let sandbox = Sandbox::new();
    let me = sandbox.json(&["me", "--json"]);
    assert_eq!(me["name"], "Me");
    let me = sandbox.json(&[
        "me",
        "--name",
        "Sam Student",
        "--email",
        "Sam@Student.example.edu",
        "--json",
    ]);
    assert_eq!(me["name"], "Sam Student");
    assert_eq!(me["emails"], serde_json::json!(["sam@student.example.edu"]));
}

#[test]
fn a_list_that_contains_me_merges_with_me() {
    let sandbox = Sandbox::new();
    sandbox.ok(&[
        "me",
        "--name",
        "Sam Student",
        "--email",
        "sam@student.example.edu",
    ]);
    let report = sandbox.import(
        "professor.csv",
        "name,email,company\nSam Student,SAM@student.example.edu,\nDana Ortiz,dana@gs.example.com,Goldman Sachs\n",
        "prof@university.example.edu",
        None,
    );
    assert_eq!(report["merges"][0]["matched_by"], "email");
    let me = sandbox.json(&["me", "--json"]);
    assert_eq!(report["merges"][0]["person"], me["id"]);
    // The professor is now my direct contact (they list me), so Dana is reachable through them.
    let body = sandbox.json(&[
        "ask",
        "finance",
        "--paths",
        "--json",
        "--company",
        "goldman",
    ]);
    assert_eq!(
        body["paths"][0]["hops"][0]["to"]["emails"][0],
        "prof@university.example.edu"
    );
}

#[test]
fn setting_an_email_someone_already_has_merges_them_into_me() {
    let sandbox = Sandbox::new();
    sandbox.import(
        "mine.csv",
        "name,email\nSam Student,sam@student.example.edu\n",
        "friend@example.com",
        None,
    );
    let me = sandbox.json(&["me", "--email", "sam@student.example.edu", "--json"]);
    assert_eq!(me["emails"], serde_json::json!(["sam@student.example.edu"]));
    let report = sandbox.import(
        "again.csv",
        "name,email\nSam S.,sam@student.example.edu\n",
        "other@example.com",
        None,
    );
    assert_eq!(report["merges"][0]["person"], me["id"]);
}

#[test]
fn workspace_names_are_plain_lowercase_words() {
    let sandbox = Sandbox::new();
    for name in ["", "default ", "Team", "a\u{1b}[31mb", "tеam", "-x"] {
        let output = sandbox.run(&["workspace", "create", "--", name]);
        assert_eq!(output.status.code(), Some(1), "{name:?} was accepted");
    }
    assert!(
        !sandbox
            .ok(&["workspace", "create", "career-office_2"])
            .trim()
            .is_empty()
    );
}
