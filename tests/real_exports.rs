//! Every real export in `../shared/fixtures/real-exports/` (other projects' fixtures,
//! see its SOURCES.md) parses with the right format and the facts visible in the file.
//! The files are read in place, never copied. Without the directory (a clone on its own)
//! each test says loudly on standard error that it checked nothing; under `CI=true` a
//! missing directory fails instead, so CI never passes these without running them.

use std::path::{Path, PathBuf};

use warmpath::import::{Format, ParseOptions, ParsedFile, parse, parse_encoding_label};

fn real_exports() -> Option<PathBuf> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/real-exports");
    if directory.is_dir() {
        return Some(directory);
    }
    assert!(
        std::env::var("CI").map_or(true, |ci| ci != "true"),
        "CI=true but {} does not exist: the real-export checks cannot run",
        directory.display()
    );
    eprintln!(
        "SKIPPED, NOTHING CHECKED: {} does not exist (clone ../shared beside the project to run these)",
        directory.display()
    );
    None
}

/// Parses one real export (auto-detected unless `options` says otherwise) and checks
/// its format, encoding and that it has rows.
fn check_with(
    relative: &str,
    options: &ParseOptions,
    format: Format,
    encoding: &str,
) -> Option<ParsedFile> {
    let path = real_exports()?.join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let parsed =
        parse(&bytes, options).unwrap_or_else(|error| panic!("{relative} was refused: {error}"));
    assert_eq!(parsed.format, format, "{relative}: format");
    assert_eq!(parsed.encoding, encoding, "{relative}: encoding");
    assert!(!parsed.rows.is_empty(), "{relative}: no rows");
    assert!(
        parsed.rows.iter().all(|row| !row.name.is_empty()),
        "{relative}: empty name"
    );
    Some(parsed)
}

fn check(relative: &str, format: Format, encoding: &str) -> Option<ParsedFile> {
    check_with(relative, &ParseOptions::default(), format, encoding)
}

fn names(parsed: &ParsedFile) -> Vec<&str> {
    parsed.rows.iter().map(|row| row.name.as_str()).collect()
}

#[test]
fn every_real_export_parses_without_refusal() {
    let Some(directory) = real_exports() else {
        return;
    };
    let mut seen = 0;
    for folder in ["linkedin", "google", "outlook", "vcard"] {
        let entries = std::fs::read_dir(directory.join(folder)).unwrap();
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let parsed = parse(&bytes, &ParseOptions::default())
                .unwrap_or_else(|error| panic!("{} was refused: {error}", path.display()));
            assert!(!parsed.rows.is_empty(), "{}: no rows", path.display());
            assert!(
                parsed.problems.is_empty(),
                "{}: {:?}",
                path.display(),
                parsed.problems
            );
            seen += 1;
        }
    }
    assert!(seen >= 25, "only {seen} real exports found");
}

#[test]
fn huanghunz_linkedin_export_counts_its_blank_member_row() {
    let Some(parsed) = check(
        "linkedin/huanghunz-real-export-redacted-2025.csv",
        Format::LinkedIn,
        "utf-8",
    ) else {
        return;
    };
    assert_eq!(names(&parsed), vec!["Mark DDD", "Linda ZZZ"]);
    assert_eq!(parsed.blank_rows, 1);
    assert_eq!(parsed.rows[0].line, 5);
    assert_eq!(parsed.rows[1].line, 7, "the last row has no final newline");
    assert_eq!(parsed.rows[0].company.as_deref(), Some("DDD & Associates"));
    assert_eq!(
        parsed.rows[0].connected_on,
        chrono::NaiveDate::from_ymd_opt(2025, 11, 25)
    );
    assert_eq!(
        parsed.rows[1].title.as_deref(),
        Some("Art Development Manager")
    );
}

#[test]
fn fictional_linkedin_sample_with_two_blank_preamble_lines_is_read() {
    let Some(parsed) = check(
        "linkedin/flashesofbrilliance-sample-fictional.csv",
        Format::LinkedIn,
        "utf-8",
    ) else {
        return;
    };
    assert_eq!(parsed.rows.len(), 7);
    assert_eq!(parsed.rows[0].name, "Ada Lovelace");
    assert_eq!(parsed.rows[0].line, 6);
    assert_eq!(
        parsed.rows[0].profile_url.as_deref(),
        Some("https://www.linkedin.com/in/ada")
    );
    let tim = &parsed.rows[6];
    assert_eq!(tim.name, "Tim Berners-Lee");
    assert_eq!(tim.connected_on, None);
    assert!(parsed.warnings.is_empty());
}

#[test]
fn escalate_legacy_google_csv_maps_group_membership() {
    let Some(parsed) = check(
        "google/escalate-legacy-google-csv-2021.csv",
        Format::GoogleLegacy,
        "utf-8",
    ) else {
        return;
    };
    assert_eq!(names(&parsed), vec!["John Doe", "Max Mustermann"]);
    assert_eq!(parsed.rows[0].emails, vec!["Doe@gmail.com"]);
    assert_eq!(
        parsed.rows[0].relationship,
        Some(warmpath::relationship::Relationship::Friend)
    );
    // John Doe's quoted two-line address puts Max on line 4.
    assert_eq!(parsed.rows[1].line, 4);
    assert_eq!(parsed.rows[1].relationship, None);
}

#[test]
fn escalate_new_google_csv_builds_names_from_first_middle_last() {
    let Some(parsed) = check(
        "google/escalate-new-google-csv-2024.csv",
        Format::Google,
        "utf-8",
    ) else {
        return;
    };
    assert_eq!(names(&parsed), vec!["John Doe", "Max Amadeus Mustermann"]);
}

#[test]
fn roundcube_gmail_export_decodes_from_utf16le_like_its_utf8_copy() {
    let Some(utf16) = check(
        "google/roundcube-gmail-legacy-utf16le.csv",
        Format::GoogleLegacy,
        "utf-16le",
    ) else {
        return;
    };
    let Some(utf8) = check(
        "google/roundcube-gmail-legacy-utf8.csv",
        Format::GoogleLegacy,
        "utf-8",
    ) else {
        return;
    };
    assert_eq!(utf16.rows, utf8.rows);
    let row = &utf16.rows[0];
    assert_eq!(row.name, "Prefix Firstname Middle Lastname Suffix");
    assert_eq!(
        row.emails,
        vec![
            "home@aaa.pl",
            "work@email.pl",
            "unknown@email.com",
            "other@email.com"
        ]
    );
    assert_eq!(row.company.as_deref(), Some("company"));
    assert_eq!(row.title.as_deref(), Some("jobtitle"));
}

#[test]
fn german_outlook_maps_firma_and_the_smtp_address() {
    let Some(parsed) = check("outlook/thilo-outlook2007-de.csv", Format::Outlook, "utf-8") else {
        return;
    };
    let robin = &parsed.rows[0];
    assert_eq!(robin.name, "Robin Example");
    assert_eq!(robin.company.as_deref(), Some("Coding Robin"));
    assert_eq!(robin.title, None, "Position is empty in this export");
    assert_eq!(
        robin.emails,
        vec!["robin@example.de"],
        "display-name address is only for EX entries"
    );
}

#[test]
fn windows_live_mail_semicolon_export_is_read() {
    let Some(parsed) = check(
        "outlook/thilo-windows-live-mail-de-semicolon.csv",
        Format::Outlook,
        "utf-8",
    ) else {
        return;
    };
    assert_eq!(names(&parsed), vec!["Robin Example"]);
    assert_eq!(parsed.rows[0].emails, vec!["robin@example.de"]);
    assert_eq!(parsed.rows[0].company.as_deref(), Some("Coding Robin"));
}

#[test]
fn android_vcard_decodes_quoted_printable_and_email_only_cards() {
    let Some(parsed) = check("vcard/ezvcard-John_Doe_ANDROID.vcf", Format::VCard, "utf-8") else {
        return;
    };
    assert_eq!(parsed.rows.len(), 6);
    assert_eq!(parsed.rows[0].name, "john.doe@company.com");
    assert_eq!(parsed.rows[2].name, "Ñ Ñ Ñ Ñ Ñ");
    // A soft line break splits this FN across two physical lines.
    assert_eq!(parsed.rows[3].name, "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ");
    assert_eq!(parsed.rows[4].emails, vec!["bob@company.com"]);
    assert_eq!(parsed.rows[4].company.as_deref(), Some("ÑÑÑÑÑÑÑÑÑÑÑÑ"));
}

#[test]
fn iphone_vcard_skips_its_large_photo() {
    let Some(parsed) = check("vcard/ezvcard-John_Doe_IPHONE.vcf", Format::VCard, "utf-8") else {
        return;
    };
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(parsed.rows[0].company.as_deref(), Some("IBM"));
    assert_eq!(parsed.rows[0].title.as_deref(), Some("Money Counter"));
}

#[test]
fn outlook_2003_vcard_takes_the_first_org_unit() {
    let Some(parsed) = check("vcard/ezvcard-outlook-2003.vcf", Format::VCard, "utf-8") else {
        return;
    };
    assert_eq!(parsed.rows[0].name, "John Doe III");
    assert_eq!(parsed.rows[0].company.as_deref(), Some("Company, The"));
    assert_eq!(parsed.rows[0].emails, vec!["jdoe@hotmail.com"]);
}

#[test]
fn fullcontact_vcard_40_keeps_the_first_of_several_orgs_and_titles() {
    let Some(parsed) = check("vcard/ezvcard-fullcontact.vcf", Format::VCard, "utf-8") else {
        return;
    };
    assert_eq!(parsed.rows[0].company.as_deref(), Some("Organization1"));
    assert_eq!(parsed.rows[0].title.as_deref(), Some("Title1"));
    assert_eq!(parsed.rows[0].emails.len(), 5);
}

#[test]
fn apple_company_card_without_a_person_name_uses_fn() {
    let Some(parsed) = check("vcard/roundcube-apple.vcf", Format::VCard, "utf-8") else {
        return;
    };
    assert_eq!(names(&parsed), vec!["Apple Computer AG"]);
}

#[test]
fn roundcube_johndoe_vcard_decodes_its_windows_1252_charset() {
    let Some(parsed) = check("vcard/roundcube-johndoe.vcf", Format::VCard, "windows-1252") else {
        return;
    };
    assert_eq!(parsed.rows[0].name, "John Doë");
    assert_eq!(
        parsed.rows[0].emails,
        vec!["inbox@roundcube.net", "roundcube@gmail.com"]
    );
}

#[test]
fn thebat_quoted_printable_without_charset_decodes_with_the_forced_iso_8859_2() {
    let options = ParseOptions {
        format: None,
        encoding: parse_encoding_label("iso-8859-2"),
    };
    let Some(parsed) = check_with(
        "vcard/roundcube-thebat.vcf",
        &options,
        Format::VCard,
        "iso-8859-2",
    ) else {
        return;
    };
    assert_eq!(parsed.rows[0].name, "Piotr Iksiński");
    // Without the override the bytes are guessed as Latin (ñ), never refused.
    let Some(guessed) = check("vcard/roundcube-thebat.vcf", Format::VCard, "utf-8") else {
        return;
    };
    assert_eq!(guessed.rows[0].name, "Piotr Iksiñski");
}

#[test]
fn roundcube_utf16be_vcard_without_bom_is_decoded() {
    let Some(parsed) = check(
        "vcard/roundcube-utf-16_sample.vcf",
        Format::VCard,
        "utf-16be",
    ) else {
        return;
    };
    assert_eq!(parsed.rows[0].name, "Ǽgean ĽdaMonté");
}
