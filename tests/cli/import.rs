use crate::helpers::Sandbox;

const CONTACTS: &str = "name,email,company,title,relationship\n\
    Ada Byron,ada@example.com,Analytical Engines,Engineer,friend\n\
    Charles Babbage,charles@example.com,Analytical Engines,Founder,colleague\n";

#[test]
fn an_import_reports_what_it_created() {
    let sandbox = Sandbox::new();
    let report = sandbox.import("contacts.csv", CONTACTS, "me", None);
    assert_eq!(report["format"], "contacts");
    assert_eq!(report["encoding"], "utf-8");
    assert_eq!(report["rows"], 2);
    assert_eq!(report["people_created"], 2);
    assert_eq!(report["ties_created"], 2);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0);
    for key in [
        "id",
        "owner",
        "people_merged",
        "merges",
        "ties_updated",
        "suppressed",
        "warnings",
        "took_ms",
    ] {
        assert!(report.get(key).is_some(), "report has no {key}: {report}");
    }
}

#[test]
fn the_same_bytes_for_the_same_owner_change_nothing() {
    let sandbox = Sandbox::new();
    let first = sandbox.import("contacts.csv", CONTACTS, "me", None);
    let second = sandbox.import("again.csv", CONTACTS, "me", None);
    assert_eq!(first, second);
    let other_owner = sandbox.import("theirs.csv", CONTACTS, "someone@example.com", None);
    assert_ne!(other_owner["id"], first["id"]);
    assert_eq!(
        other_owner["people_created"], 1,
        "only the new owner is new: {other_owner}"
    );
    assert_eq!(other_owner["people_merged"], 2);
}

#[test]
fn a_file_with_bad_lines_is_refused_whole_with_every_line_listed() {
    let sandbox = Sandbox::new();
    let path = sandbox.write(
        "bad.csv",
        "name,email,relationship,last_contacted\n\
         Good Person,good@example.com,friend,2025-01-01\n\
         Bad Relationship,bad1@example.com,nemesis,2025-01-01\n\
         Bad Date,bad2@example.com,friend,yesterday\n",
    );
    let output = sandbox.run(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(2));
    let body: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<(u64, u64)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["line"].as_u64().unwrap(),
                error["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors, vec![(3, 3), (4, 4)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3, column 3"), "{stderr}");
    // Nothing was applied: the good row did not create anyone.
    let report = sandbox.import(
        "only-good.csv",
        "name,email\nGood Person,good@example.com\n",
        "me",
        None,
    );
    assert_eq!(report["people_created"], 1);
    assert_eq!(report["people_merged"], 0);
}

#[test]
fn on_error_skip_applies_the_good_rows_and_lists_the_skipped_ones() {
    let sandbox = Sandbox::new();
    let path = sandbox.write(
        "bad.csv",
        "name,email,strength\nGood Person,good@example.com,0.5\nToo Strong,strong@example.com,7\n",
    );
    let report = sandbox.json(&[
        "import",
        path.to_str().unwrap(),
        "--on-error",
        "skip",
        "--json",
    ]);
    assert_eq!(report["people_created"], 1);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["line"], 3);
    assert_eq!(skipped[0]["column"], 3);
}

/// Issue 11.7: a quote that never closes swallows every later line into one field; the
/// report names the lines lost, not only "1 skipped".
#[test]
fn on_error_skip_names_the_lines_an_unclosed_quote_swallowed() {
    let sandbox = Sandbox::new();
    let csv = "name,email,notes\nAna Lee,ana@example.com,ok\nBo Chen,bo@example.com,fine\n\
               Cy Open,cy@example.com,\"starts here\nDee Lost,dee@example.com,x\n\
               Eve Lost,eve@example.com,y\nFay Lost,fay@example.com,z\n\n\
               Gus Lost,gus@example.com,w\n";
    let path = sandbox.write("open.csv", csv);
    let text = sandbox.ok(&["import", path.to_str().unwrap(), "--on-error", "skip"]);
    assert!(text.contains("1 skipped"), "{text}");
    assert!(
        text.contains(
            "lines 4-9: a quote opened on line 4 never closes; these lines were read as one field"
        ),
        "{text}"
    );
    let path = sandbox.write("open2.csv", csv.replace("Ana Lee", "Ann Lee"));
    let report = sandbox.json(&[
        "import",
        path.to_str().unwrap(),
        "--on-error",
        "skip",
        "--json",
    ]);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{report}");
    assert_eq!(
        (&skipped[0]["line"], &skipped[0]["column"]),
        (&4.into(), &3.into())
    );
    assert!(
        skipped[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("lines 4-9: a quote opened on line 4 never closes"),
        "{report}"
    );
}

/// Issue 11.6: "Money Counter" at `ORG:IBM;Accounting` is in accounting (the department,
/// read as the company's division), beside IBM's software; the department follows the
/// company through later imports and is dropped with a corrected company.
#[test]
fn a_vcard_org_department_classifies_like_a_company_division() {
    let sandbox = Sandbox::new();
    let fields_of = |email: &str| -> Vec<String> {
        let people = sandbox.json(&["people", email, "--json"]);
        let person = &people.as_array().unwrap()[0];
        person["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|field| field.as_str().unwrap().to_string())
            .collect()
    };
    sandbox.import(
        "phone.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mo Counter\r\nEMAIL:mo@example.org\r\nORG:IBM;Accounting\r\nTITLE:Money Counter\r\nEND:VCARD\r\n",
        "me",
        None,
    );
    let fields = fields_of("mo@example.org");
    assert!(fields.contains(&"accounting".to_string()), "{fields:?}");
    assert!(fields.contains(&"software".to_string()), "{fields:?}");
    // Another list touches Mo with the same company and no department column: the
    // department goes with the row that names the company.
    sandbox.import(
        "outlook.csv",
        "First Name,Last Name,E-mail Address,Company,Department,Job Title\nMo,Counter,mo@example.org,IBM,Treasury,Money Counter\n",
        "friend@example.org",
        None,
    );
    let fields = fields_of("mo@example.org");
    assert!(
        fields.iter().any(|field| field.starts_with("finance")),
        "{fields:?}"
    );
    assert!(!fields.contains(&"accounting".to_string()), "{fields:?}");
    // A company corrected by hand drops the department that came with the old one.
    sandbox.ok(&["person", "mo@example.org", "--company", "IBM"]);
    assert_eq!(fields_of("mo@example.org"), vec!["software".to_string()]);
}

#[test]
fn people_in_several_lists_are_merged_and_every_merge_is_reported() {
    let sandbox = Sandbox::new();
    sandbox.import(
        "mine.csv",
        "name,email,company\nDana Ortiz,dana@gs.example.com,Goldman Sachs\nChris Miller,chris@acme.example.com,Acme\nJo Park,,Initech\n",
        "me",
        None,
    );
    let report = sandbox.import(
        "theirs.csv",
        "name,email,company\nDANA ORTIZ,Dana@GS.example.com,Goldman Sachs\nChris Miller,cmiller@acme.example.com,Acme\nJo Park,jo@initech.example.com,Initech Inc.\n",
        "friend@example.com",
        None,
    );
    let merges = report["merges"].as_array().unwrap();
    let rules: Vec<&str> = merges
        .iter()
        .map(|merge| merge["matched_by"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["email", "name_company"], "{report}");
    // The owner and the second Chris Miller, whose email conflicts, are new people.
    assert_eq!(report["people_created"], 2);
}

#[test]
fn replacing_an_import_withdraws_the_people_only_it_brought_in() {
    let sandbox = Sandbox::new();
    let first = sandbox.import(
        "v1.csv",
        "name,email,company,field\nOld Banker,old@bank.example.com,First Bank,finance\nKeeper,keep@example.com,Acme,finance\n",
        "friend@example.com",
        Some("friend"),
    );
    let path = sandbox.write(
        "v2.csv",
        "name,email,company,field\nKeeper,keep@example.com,Acme,finance\n",
    );
    let id = first["id"].to_string();
    let second = sandbox.json(&[
        "import",
        path.to_str().unwrap(),
        "--owner",
        "friend@example.com",
        "--relationship",
        "friend",
        "--replaces",
        &id,
        "--json",
    ]);
    assert_eq!(second["people_created"], 0);
    let body = sandbox.json(&["ask", "finance", "--paths", "--json"]);
    let targets: Vec<&str> = body["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(targets, vec!["Keeper"]);
}

#[test]
fn an_unreadable_file_is_an_error_with_a_line_and_column() {
    let sandbox = Sandbox::new();
    let path = sandbox.write("mystery.csv", "foo,bar\n1,2\n");
    let output = sandbox.run(&["import", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 1"), "{stderr}");
    assert!(
        stderr.contains("foo"),
        "the error lists the headers it saw: {stderr}"
    );
}

#[test]
fn an_unknown_relationship_parameter_is_refused() {
    let sandbox = Sandbox::new();
    let path = sandbox.write("contacts.csv", CONTACTS);
    let output = sandbox.run(&[
        "import",
        path.to_str().unwrap(),
        "--owner",
        "x@example.com",
        "--relationship",
        "nemesis",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown relationship"));
}

/// Imports a fixture of tests/fixtures/import through the real binary; its JSON report.
fn import_fixture(fixture: &str) -> serde_json::Value {
    let sandbox = Sandbox::new();
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(fixture),
    )
    .unwrap();
    let path = sandbox.write(fixture, bytes);
    let output = sandbox.run(&["import", path.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn undecodable_bytes_are_replaced_and_counted_and_never_reject_the_file() {
    let report = import_fixture("invalid_utf8.csv");
    assert_eq!(report["rows"], 4, "{report}");
    assert_eq!(report["people_created"], 3, "{report}");
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0, "{report}");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("4 bytes did not decode"), "{warnings}");
    assert!(warnings.contains("1 row(s) without a person"), "{warnings}");
}

#[test]
fn blank_rows_of_deleted_linkedin_members_are_skipped_and_counted() {
    let report = import_fixture("linkedin_2024.csv");
    assert_eq!(report["format"], "linkedin");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("2 row(s) without a person"), "{report}");
}

#[test]
fn a_report_counts_in_words_that_agree_with_the_number() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("one.csv", "name,email\nAnn Lee,ann@example.com\n");
    let report = sandbox.ok(&["import", file.to_str().unwrap()]);
    assert!(report.contains("1 row,"), "{report}");
    assert!(report.contains("1 person created"), "{report}");
    assert!(report.contains("1 tie created"), "{report}");
    assert!(!report.contains("1 rows"), "{report}");
}

#[test]
fn an_excel_workbook_is_told_apart_from_a_csv() {
    let sandbox = Sandbox::new();
    // The first bytes of any .xlsx (a zip archive), then binary junk.
    let mut bytes = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    bytes.extend((0..200u8).map(|byte| byte.wrapping_mul(37)));
    let file = sandbox.write("Connections.xlsx", bytes);
    let output = sandbox.run(&["import", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Excel workbook"), "{stderr}");
    assert!(stderr.contains("save it as CSV"), "{stderr}");
    assert!(!stderr.contains("headers seen"), "{stderr}");
}

#[test]
fn a_backup_is_a_database_that_answers_as_the_original() {
    let sandbox = Sandbox::new();
    let file = sandbox.write("mine.csv", CONTACTS);
    sandbox.ok(&["import", file.to_str().unwrap()]);
    let copy = sandbox.path("copy.db");
    sandbox.ok(&["backup", &copy]);
    let original = sandbox.json(&["people", "--json"]);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_warmpath"))
        .args(["--db", &copy, "people", "--json"])
        .env_remove("WARMPATH_DB")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(restored, original);
    // Never over an existing file.
    let again = sandbox.run(&["backup", &copy]);
    assert_eq!(again.status.code(), Some(1));
}
