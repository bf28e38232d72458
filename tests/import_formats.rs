//! Every fixture shape in `tests/fixtures/import/` parses to the expected format,
//! encoding, counts and values; malformed files report each problem's line and column.

use chrono::NaiveDate;
use warmpath::import::{
    ContactRow, Format, ImportError, LineProblem, ParseOptions, ParsedFile, parse,
    parse_encoding_label,
};
use warmpath::relationship::Relationship;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// What a fixture must parse to; `rows` counts good rows.
struct Expected {
    format: Format,
    encoding: &'static str,
    rows: usize,
    blank_rows: usize,
    problems: usize,
}

/// Parses a fixture with auto-detection and checks the file-level facts.
fn check(name: &str, expected: Expected) -> ParsedFile {
    let parsed = parse(&fixture(name), &ParseOptions::default())
        .unwrap_or_else(|error| panic!("{name} was refused: {error}"));
    assert_eq!(parsed.format, expected.format, "{name}: format");
    assert_eq!(parsed.encoding, expected.encoding, "{name}: encoding");
    assert_eq!(
        parsed.rows.len(),
        expected.rows,
        "{name}: rows {:#?}",
        parsed.rows
    );
    assert_eq!(parsed.blank_rows, expected.blank_rows, "{name}: blank rows");
    assert_eq!(
        parsed.problems.len(),
        expected.problems,
        "{name}: problems {:#?}",
        parsed.problems
    );
    parsed
}

fn row<'a>(parsed: &'a ParsedFile, name: &str) -> &'a ContactRow {
    parsed
        .rows
        .iter()
        .find(|row| row.name == name)
        .unwrap_or_else(|| panic!("no row named {name:?} in {:#?}", parsed.rows))
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn problem(line: usize, column: usize) -> (usize, usize) {
    (line, column)
}

fn positions(problems: &[LineProblem]) -> Vec<(usize, usize)> {
    problems
        .iter()
        .map(|problem| (problem.line, problem.column))
        .collect()
}

fn expect(format: Format, encoding: &'static str, rows: usize, blank_rows: usize) -> Expected {
    Expected {
        format,
        encoding,
        rows,
        blank_rows,
        problems: 0,
    }
}

#[test]
fn linkedin_blank_member_rows_are_skipped_and_counted() {
    let parsed = check("linkedin_2024.csv", expect(Format::LinkedIn, "utf-8", 4, 2));
    let priya = row(&parsed, "Priya Natarajan");
    assert_eq!(priya.line, 5);
    assert_eq!(priya.company.as_deref(), Some("Northwind Capital, LLC"));
    assert_eq!(priya.title.as_deref(), Some("VP Investment Banking"));
    assert_eq!(
        priya.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/priya-natarajan-1a2b3c")
    );
    assert_eq!(priya.connected_on, date(2024, 5, 30));
    assert_eq!(priya.last_contacted, None);
    let tomas = row(&parsed, "Tomás Okafor, PhD");
    assert_eq!(tomas.line, 7);
    assert_eq!(tomas.emails, vec!["tomas.okafor@example.com"]);
    let mei = row(&parsed, "Mei");
    assert_eq!(mei.title.as_deref(), Some("Founder \"Stealth\" Co"));
    assert_eq!(mei.connected_on, None);
    // The last row has no final newline.
    assert_eq!(row(&parsed, "Lars Berg").line, 10);
}

#[test]
fn linkedin_2022_export_without_url_column_is_read() {
    let parsed = check("linkedin_2022.csv", expect(Format::LinkedIn, "utf-8", 2, 0));
    let amara = row(&parsed, "Amara Diallo");
    assert_eq!(amara.line, 5);
    assert_eq!(amara.profile_url, None);
    assert_eq!(amara.connected_on, date(2021, 11, 28));
    assert_eq!(
        row(&parsed, "Jonas Weber").emails,
        vec!["jonas.weber@example.org"]
    );
}

#[test]
fn linkedin_2018_export_has_no_preamble_and_dates_with_times() {
    let parsed = check("linkedin_2018.csv", expect(Format::LinkedIn, "utf-8", 2, 0));
    let sofia = row(&parsed, "Sofia Marquez");
    assert_eq!(sofia.line, 2);
    assert!(sofia.emails.is_empty(), "urn:li:member is not an email");
    assert_eq!(sofia.connected_on, date(2018, 1, 8));
    assert_eq!(row(&parsed, "Daniel Kim").connected_on, date(2017, 12, 24));
}

#[test]
fn linkedin_resaved_by_excel_is_read_as_windows_1252_with_semicolons() {
    let parsed = check(
        "linkedin_excel_resaved.csv",
        expect(Format::LinkedIn, "windows-1252", 2, 0),
    );
    let zoe = row(&parsed, "Zoë Lefèvre");
    assert_eq!(zoe.line, 5);
    assert_eq!(zoe.company.as_deref(), Some("Société Générale d'Exemple"));
    assert_eq!(zoe.connected_on, date(2023, 3, 14));
    assert_eq!(row(&parsed, "René Müller").connected_on, date(2018, 1, 8));
}

#[test]
fn google_2024_export_splits_multi_values_and_maps_labels() {
    let parsed = check("google_2024.csv", expect(Format::Google, "utf-8", 3, 1));
    let maria = row(&parsed, "Maria Elena Lopez");
    assert_eq!(
        maria.emails,
        vec!["maria.lopez@example.com", "m.lopez@example.org"]
    );
    assert_eq!(maria.relationship, Some(Relationship::Family));
    assert_eq!(maria.company.as_deref(), Some("Lopez & Ortiz Consulting"));
    assert_eq!(maria.title.as_deref(), Some("Partner"));
    assert_eq!(
        maria.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/maria-lopez")
    );
    // The multi-line note pushes the next record to line 4.
    let kwame = row(&parsed, "Kwame Mensah");
    assert_eq!(kwame.line, 4);
    assert_eq!(kwame.relationship, Some(Relationship::Colleague));
    let email_only = row(&parsed, "no-name@example.net");
    assert_eq!(email_only.relationship, None, "system labels are ignored");
}

#[test]
fn google_legacy_export_in_utf16le_is_decoded() {
    let parsed = check(
        "google_legacy_utf16le.csv",
        expect(Format::GoogleLegacy, "utf-16le", 2, 0),
    );
    let hana = row(&parsed, "Hana Suzuki");
    assert_eq!(
        hana.emails,
        vec![
            "hana.suzuki@example.com",
            "hana@example.org",
            "hana.s@example.net"
        ]
    );
    assert_eq!(hana.relationship, Some(Relationship::Family));
    assert_eq!(hana.company.as_deref(), Some("Suzuki Trading"));
    assert_eq!(hana.title.as_deref(), Some("Buyer"));
    let oskar = row(&parsed, "Oskar Nowak");
    assert_eq!(oskar.company.as_deref(), Some("Wisła Software"));
    assert_eq!(oskar.relationship, Some(Relationship::Friend));
}

#[test]
fn classic_outlook_keeps_job_title_apart_from_the_honorific_and_skips_exchange_addresses() {
    let parsed = check(
        "outlook_classic.csv",
        expect(Format::Outlook, "windows-1252", 2, 1),
    );
    let francois = row(&parsed, "François Dubois");
    assert_eq!(francois.title.as_deref(), Some("Head of Trading"));
    assert_eq!(francois.company.as_deref(), Some("Crédit Exemple"));
    assert_eq!(francois.emails, vec!["francois.dubois@example.com"]);
    assert_eq!(francois.line, 2);
    let ingrid = row(&parsed, "Ingrid Holm");
    // The quoted two-line note of the first contact puts Ingrid on line 4.
    assert_eq!(ingrid.line, 4);
    assert_eq!(
        ingrid.emails,
        vec!["ingrid.holm@example.org", "ingrid@example.net"]
    );
    assert_eq!(ingrid.title.as_deref(), Some("Research Fellow"));
}

#[test]
fn outlook_web_export_is_detected_by_its_yomi_columns() {
    let parsed = check("outlook_web.csv", expect(Format::OutlookWeb, "utf-8", 2, 0));
    let aisha = row(&parsed, "Aisha Rahman");
    assert_eq!(
        aisha.emails,
        vec!["aisha.rahman@example.com"],
        "deduplicated case-insensitively"
    );
    assert_eq!(aisha.title.as_deref(), Some("Portfolio Manager"));
    assert_eq!(
        aisha.company.as_deref(),
        Some("Harbor Point Asset Management, Inc.")
    );
    assert_eq!(
        aisha.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/aisha-rahman")
    );
    assert_eq!(row(&parsed, "Ben Carter").title, None);
}

#[test]
fn german_outlook_maps_firma_and_position() {
    let parsed = check(
        "outlook_german.csv",
        expect(Format::Outlook, "windows-1252", 1, 0),
    );
    let juergen = row(&parsed, "Jürgen Schäfer");
    assert_eq!(juergen.company.as_deref(), Some("Müller & Söhne GmbH"));
    assert_eq!(juergen.title.as_deref(), Some("Geschäftsführer"));
    assert_eq!(
        juergen.emails,
        vec!["juergen.schaefer@example.de", "js@example.org"]
    );
}

#[test]
fn vcard_21_decodes_quoted_printable_soft_breaks_and_per_value_charsets() {
    let parsed = check("vcard_21.vcf", expect(Format::VCard, "windows-1252", 2, 0));
    let jose = row(&parsed, "José Núñez García");
    assert_eq!(jose.line, 1);
    assert_eq!(jose.company.as_deref(), Some("Banco de Ejemplo"));
    assert_eq!(jose.title.as_deref(), Some("Analista"));
    assert_eq!(jose.emails, vec!["jose.nunez@example.com"]);
    assert_eq!(row(&parsed, "Åsa Lindqvist").line, 13);
}

#[test]
fn vcard_30_handles_groups_escapes_cards_without_fn_and_empty_cards() {
    let parsed = check("vcard_30.vcf", expect(Format::VCard, "utf-8", 3, 1));
    let siobhan = row(&parsed, "Dr. Siobhan O'Brien");
    assert_eq!(siobhan.emails, vec!["siobhan.obrien@example.edu"]);
    assert_eq!(
        siobhan.company.as_deref(),
        Some("Example University, Dublin")
    );
    assert_eq!(siobhan.title.as_deref(), Some("Professor of Law"));
    assert_eq!(
        siobhan.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/siobhan-obrien")
    );
    let omar = row(&parsed, "Omar Haddad");
    assert_eq!(
        omar.profile_url.as_deref(),
        Some("https://www.linkedin.com/in/omar-haddad")
    );
    assert_eq!(
        row(&parsed, "Quiet Harbor Foundation").company.as_deref(),
        Some("Quiet Harbor Foundation")
    );
}

#[test]
fn vcard_40_takes_the_first_org_and_title() {
    let parsed = check("vcard_40.vcf", expect(Format::VCard, "utf-8", 1, 0));
    let lea = row(&parsed, "Léa Martin");
    assert_eq!(lea.company.as_deref(), Some("Atelier Lumière"));
    assert_eq!(lea.title.as_deref(), Some("Creative Director"));
    assert_eq!(lea.emails, vec!["lea.martin@example.fr", "lea@example.org"]);
}

#[test]
fn native_contact_list_reads_every_column_in_any_order() {
    let parsed = check(
        "native_contacts.csv",
        expect(Format::Contacts, "utf-8", 3, 0),
    );
    let maria = row(&parsed, "Maria Lopez");
    assert_eq!(
        maria.relationship,
        Some(Relationship::Family),
        "aunt is a family synonym"
    );
    assert_eq!(maria.last_contacted, date(2024, 12, 1));
    assert_eq!(maria.interactions, Some(40));
    assert_eq!(maria.strength, Some(0.9));
    assert_eq!(maria.fields, vec!["consulting", "finance"]);
    let dana = row(&parsed, "Dana Ortiz");
    assert_eq!(
        dana.last_contacted,
        date(2024, 3, 1),
        "linkedin-style dates are accepted"
    );
    assert_eq!(dana.fields, vec!["finance", "venture-capital"]);
    assert_eq!(dana.company.as_deref(), Some("Goldman Example, Inc."));
    assert_eq!(
        row(&parsed, "Kofi Boateng").relationship,
        Some(Relationship::Friend)
    );
}

#[test]
fn native_network_keeps_each_rows_owner() {
    let parsed = check("native_network.csv", expect(Format::Network, "utf-8", 3, 0));
    let dana = row(&parsed, "Dana Ortiz");
    assert_eq!(dana.owner_email.as_deref(), Some("maria.lopez@example.com"));
    assert_eq!(dana.fields, vec!["finance"]);
    assert_eq!(dana.strength, Some(0.4));
    assert_eq!(
        row(&parsed, "Maria Lopez").owner_email.as_deref(),
        Some("me@example.com")
    );
}

#[test]
fn hubspot_export_maps_through_generic_aliases() {
    let parsed = check("hubspot.csv", expect(Format::Generic, "utf-8", 2, 1));
    let noor = row(&parsed, "Noor Haddad");
    assert_eq!(noor.emails, vec!["noor.haddad@example.com"]);
    assert_eq!(noor.company.as_deref(), Some("Cedar Health"));
    assert_eq!(noor.title.as_deref(), Some("Chief Nursing Officer"));
}

#[test]
fn salesforce_data_export_prefers_the_full_name_column() {
    let parsed = check("salesforce.csv", expect(Format::Generic, "utf-8", 2, 0));
    let anna = row(&parsed, "Anna Kowalski");
    assert_eq!(anna.title.as_deref(), Some("Controller"));
    assert_eq!(anna.emails, vec!["anna.kowalski@example.com"]);
    assert_eq!(anna.company, None, "AccountId is an id, not a company name");
}

#[test]
fn every_bad_native_value_is_reported_at_its_line_and_column() {
    let parsed = check(
        "bad_values_contacts.csv",
        Expected {
            format: Format::Contacts,
            encoding: "utf-8",
            rows: 2,
            blank_rows: 0,
            problems: 9,
        },
    );
    assert_eq!(
        positions(&parsed.problems),
        vec![
            problem(3, 3),
            problem(4, 4),
            problem(5, 6),
            problem(6, 2),
            problem(6, 3),
            problem(6, 4),
            problem(6, 5),
            problem(6, 6),
            problem(7, 1),
        ]
    );
    assert!(parsed.problems[0].message.contains("\"nemesis\""));
    assert!(parsed.problems[2].message.contains("(0, 1]"));
    assert_eq!(parsed.problems[8].message, "name is empty");
    let lines: Vec<usize> = parsed.rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, vec![2, 8]);
    assert_eq!(row(&parsed, "Second Good").strength, Some(1.0));
}

#[test]
fn network_rows_without_a_valid_owner_are_problems() {
    let parsed = check(
        "bad_owner_network.csv",
        Expected {
            format: Format::Network,
            encoding: "utf-8",
            rows: 1,
            blank_rows: 0,
            problems: 2,
        },
    );
    assert_eq!(
        positions(&parsed.problems),
        vec![problem(3, 1), problem(4, 1)]
    );
    assert_eq!(parsed.problems[0].message, "owner_email is empty");
}

#[test]
fn a_quote_left_open_reports_the_line_where_its_record_starts() {
    let parsed = check(
        "unterminated_quote.csv",
        Expected {
            format: Format::Contacts,
            encoding: "utf-8",
            rows: 1,
            blank_rows: 0,
            problems: 1,
        },
    );
    assert_eq!(positions(&parsed.problems), vec![problem(3, 3)]);
    assert_eq!(parsed.rows[0].name, "Ada Quinn");
}

#[test]
fn invalid_utf8_bytes_are_replaced_and_counted_not_fatal() {
    let parsed = check(
        "invalid_utf8.csv",
        Expected {
            format: Format::Contacts,
            encoding: "utf-8",
            rows: 3,
            blank_rows: 1,
            problems: 0,
        },
    );
    assert_eq!(
        parsed.warnings,
        vec!["4 bytes did not decode as utf-8 and were replaced (first at line 3)"]
    );
    assert_eq!(
        row(&parsed, "Renée Faure").company.as_deref(),
        Some("Café Ñandú")
    );
    assert_eq!(
        row(&parsed, "Broken Byte").company.as_deref(),
        Some("Caf\u{FFFD}")
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
}

#[test]
fn random_binary_is_refused_as_a_whole_without_panicking() {
    let error = parse(&fixture("random_binary.bin"), &ParseOptions::default()).err();
    assert!(
        matches!(error, Some(ImportError::NoNameColumn { .. })),
        "{error:?}"
    );
}

#[test]
fn a_header_without_a_name_column_is_refused_listing_the_headers() {
    let error = parse(&fixture("no_name_column.csv"), &ParseOptions::default()).err();
    let Some(error) = error else {
        panic!("expected a refusal")
    };
    assert_eq!(
        error.to_string(),
        "no recognisable name or email column in the header (headers seen: \"sku\", \"price\", \"quantity\")"
    );
    assert_eq!(
        error.line_problem(),
        LineProblem {
            line: 1,
            column: 1,
            message: error.to_string(),
            last_line: None,
        }
    );
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(
        parse(b"", &ParseOptions::default()).err(),
        Some(ImportError::Empty)
    );
    assert_eq!(
        parse(b"\xEF\xBB\xBF \r\n", &ParseOptions::default()).err(),
        Some(ImportError::Empty)
    );
}

#[test]
fn a_forced_format_that_does_not_fit_the_header_is_refused() {
    let options = ParseOptions {
        format: Some(Format::Network),
        encoding: None,
    };
    let error = parse(&fixture("native_contacts.csv"), &options).err();
    assert!(matches!(
        error,
        Some(ImportError::FormatMismatch {
            format: Format::Network,
            ..
        })
    ));
    let options = ParseOptions {
        format: Some(Format::VCard),
        encoding: None,
    };
    assert_eq!(
        parse(&fixture("hubspot.csv"), &options).err(),
        Some(ImportError::NotVCard)
    );
}

#[test]
fn a_forced_encoding_overrides_the_guess() {
    let options = ParseOptions {
        format: None,
        encoding: parse_encoding_label("utf-8"),
    };
    let parsed = parse(&fixture("outlook_german.csv"), &options).unwrap();
    assert_eq!(parsed.encoding, "utf-8");
    assert_eq!(parsed.rows[0].name, "J\u{FFFD}rgen Sch\u{FFFD}fer");
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn format_names_round_trip_and_native_means_contacts() {
    for format in Format::ALL {
        assert_eq!(Format::parse(format.as_str()), Some(format));
        assert_eq!(
            serde_json::to_string(&format).unwrap(),
            format!("\"{}\"", format.as_str())
        );
    }
    assert_eq!(Format::parse("LinkedIn"), Some(Format::LinkedIn));
    assert_eq!(Format::parse("native"), Some(Format::Contacts));
    assert_eq!(Format::parse("auto"), None);
}

#[test]
fn lone_carriage_returns_and_tabs_are_read() {
    let parsed = parse(
        b"name\temail\rAna Lima\tana@example.com\r\rBo Chen\t\r",
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(parsed.format, Format::Contacts);
    let lines: Vec<(usize, &str)> = parsed
        .rows
        .iter()
        .map(|row| (row.line, row.name.as_str()))
        .collect();
    assert_eq!(lines, vec![(2, "Ana Lima"), (4, "Bo Chen")]);
}

/// Issue 11.6: the department of a vCard `ORG` and of Google's and Outlook's columns is
/// carried beside the company (only with a company).
#[test]
fn departments_are_read_from_vcard_org_and_department_columns() {
    let options = ParseOptions::default();
    let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mo Counter\r\nORG:IBM;Accounting;Payroll\r\nTITLE:Money Counter\r\nEND:VCARD\r\n\
                 BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Dept\r\nORG:IBM\r\nEND:VCARD\r\n\
                 BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Only Dept\r\nORG:;Accounting\r\nEND:VCARD\r\n";
    let parsed = parse(vcard.as_bytes(), &options).unwrap();
    let mo = row(&parsed, "Mo Counter");
    assert_eq!(mo.company.as_deref(), Some("IBM"));
    assert_eq!(mo.department.as_deref(), Some("Accounting Payroll"));
    assert_eq!(row(&parsed, "No Dept").department, None);
    assert_eq!(row(&parsed, "Only Dept").department, None);
    let outlook = "First Name,Last Name,E-mail Address,Company,Department,Job Title\n\
                   Ada,Lee,ada@example.com,IBM,Accounting,Money Counter\n\
                   Bo,Chen,bo@example.com,,Accounting,Clerk\n";
    let parsed = parse(outlook.as_bytes(), &options).unwrap();
    assert_eq!(
        row(&parsed, "Ada Lee").department.as_deref(),
        Some("Accounting")
    );
    assert_eq!(row(&parsed, "Bo Chen").department, None);
    let google = "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value\n\
                  Cy,,Park,,,,,,,,IBM,Money Counter,Accounting,,,,,* Work,cy@example.com\n";
    let parsed = parse(google.as_bytes(), &options).unwrap();
    assert_eq!(parsed.format, Format::Google);
    assert_eq!(
        row(&parsed, "Cy Park").department.as_deref(),
        Some("Accounting")
    );
    let google_legacy = "Name,Given Name,Additional Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,Organization 1 - Department\n\
                         Di Ng,Di,,Ng,* Work,di@example.com,,IBM,Money Counter,Accounting\n";
    let parsed = parse(google_legacy.as_bytes(), &options).unwrap();
    assert_eq!(parsed.format, Format::GoogleLegacy);
    assert_eq!(
        row(&parsed, "Di Ng").department.as_deref(),
        Some("Accounting")
    );
}
