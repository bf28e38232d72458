//! `warmpath classify [--json] < people.csv` (DESIGN.md, CLI contract): read a CSV whose header
//! names a title and a company column (any case, any order, common aliases such as `Job Title` or
//! `Organization`, optional `email`), classify each row, and write an aligned table or one JSON
//! object per row. The input is decoded as imports decode it: UTF-8 with or without BOM, UTF-16 by
//! its BOM, otherwise Windows-1252.

use crate::taxonomy::{Classification, Evidence, Taxonomy};
use crate::text::fold;
use anyhow::{Context, bail};
use std::borrow::Cow;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Header names (folded) that name each column, as people's spreadsheets and CRM exports write them.
const TITLE_HEADERS: &[&str] = &["title", "job title", "jobtitle", "position"];
const COMPANY_HEADERS: &[&str] = &[
    "company",
    "company name",
    "organization",
    "organisation",
    "organization name",
    "employer",
];
const EMAIL_HEADERS: &[&str] = &["email", "e mail", "email address", "e mail address"];

/// Column width caps for the table output; longer cells are cut with "…".
const TITLE_WIDTH: usize = 32;
const COMPANY_WIDTH: usize = 28;
const FIELDS_WIDTH: usize = 44;

#[derive(serde::Serialize)]
struct Row<'a> {
    title: &'a str,
    company: &'a str,
    fields: &'a [String],
    evidence: &'a [Evidence],
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object per input row instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `warmpath classify` on standard input and output.
/// How `classify` writes its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// An aligned table, for a person.
    Table,
    /// One JSON object per row, for a script.
    JsonLines,
}

impl Output {
    fn of(json: bool) -> Output {
        if json {
            Output::JsonLines
        } else {
            Output::Table
        }
    }
}

pub fn run_stdio(args: Args) -> anyhow::Result<ExitCode> {
    let mut output = std::io::stdout().lock();
    run(
        &mut std::io::stdin().lock(),
        &mut output,
        Output::of(args.json),
    )?;
    output.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Run `warmpath classify`: read the CSV from `input`, write a table (or JSON lines) to `output`.
pub fn run(input: &mut dyn Read, output: &mut dyn Write, format: Output) -> anyhow::Result<()> {
    classify_csv(input, output, format)
}

/// Classify every row of a people CSV and write the result.
///
/// # Errors
/// When the input cannot be read or has no header, when the header lacks a title or a company column (the
/// message lists the columns it saw), when a row cannot be read as CSV, or when writing fails.
fn classify_csv(
    input: &mut dyn Read,
    output: &mut dyn Write,
    format: Output,
) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .context("cannot read the input")?;
    let text = decode(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .context("cannot read the csv header")?
        .clone();
    let seen: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let position = |names: &[&str]| {
        seen.iter()
            .position(|header| names.contains(&fold(header).as_str()))
    };
    let (Some(title_column), Some(company_column)) =
        (position(TITLE_HEADERS), position(COMPANY_HEADERS))
    else {
        let listed = if seen.iter().all(String::is_empty) {
            "none".to_string()
        } else {
            seen.join(", ")
        };
        bail!("the header needs title and company columns; saw: {listed}");
    };
    let email_column = position(EMAIL_HEADERS);
    let taxonomy = Taxonomy::embedded();
    let mut table: Vec<(String, String, Classification)> = Vec::new();
    for (row_number, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("cannot read csv row {}", row_number + 2))?;
        let title = record.get(title_column).unwrap_or("");
        let company = record.get(company_column).unwrap_or("");
        let email = email_column
            .and_then(|i| record.get(i))
            .filter(|e| !e.is_empty());
        let classification = taxonomy.classify(title, company, email);
        if format == Output::JsonLines {
            let row = Row {
                title,
                company,
                fields: &classification.fields,
                evidence: &classification.evidence,
            };
            serde_json::to_writer(&mut *output, &row)?;
            writeln!(output)?;
        } else {
            table.push((title.to_string(), company.to_string(), classification));
        }
    }
    if format == Output::Table {
        write_table(output, &table)?;
    }
    output.flush()?;
    Ok(())
}

/// Bytes to text by the import rule: a BOM decides (UTF-8, UTF-16LE/BE), then valid UTF-8 is UTF-8, and
/// anything else is Windows-1252 (which maps every byte, so this never fails).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom_length..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn write_table(
    output: &mut dyn Write,
    rows: &[(String, String, Classification)],
) -> std::io::Result<()> {
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|(title, company, classification)| {
            let why: Vec<String> = classification
                .evidence
                .iter()
                .map(|e| format!("{}: {} {:?} ({})", e.field, e.source, e.matched, e.rule))
                .collect();
            [
                super::truncate(title, TITLE_WIDTH),
                super::truncate(company, COMPANY_WIDTH),
                super::truncate(&classification.fields.join(", "), FIELDS_WIDTH),
                if why.is_empty() {
                    "-".to_string()
                } else {
                    why.join("; ")
                },
            ]
        })
        .collect();
    let header = ["TITLE", "COMPANY", "FIELDS", "EVIDENCE"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row.iter()).take(3) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |output: &mut dyn Write, row: [&str; 4]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, cell) in row.iter().enumerate().take(3) {
            text.push_str(cell);
            text.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
        }
        text.push_str(row[3]);
        writeln!(output, "{}", text.trim_end())
    };
    line(output, header)?;
    for row in &cells {
        line(output, [&row[0], &row[1], &row[2], &row[3]])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, json: bool) -> anyhow::Result<String> {
        run_bytes(input.as_bytes(), json)
    }

    fn run_bytes(mut input: &[u8], json: bool) -> anyhow::Result<String> {
        let mut output = Vec::new();
        classify_csv(&mut input, &mut output, Output::of(json))?;
        Ok(String::from_utf8(output)?)
    }

    fn json_rows(input: &[u8]) -> Vec<serde_json::Value> {
        run_bytes(input, true)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    #[test]
    fn windows_1252_input_is_decoded_like_an_import() {
        // "Directeur Général" and "Société Générale" in Windows-1252: é is the single byte 0xE9.
        let rows =
            json_rows(b"title,company\nDirecteur G\xe9n\xe9ral,Soci\xe9t\xe9 G\xe9n\xe9rale\n");
        assert_eq!(rows[0]["title"], "Directeur Général");
        assert_eq!(rows[0]["company"], "Société Générale");
    }

    #[test]
    fn utf16_and_utf8_with_a_bom_are_decoded() {
        let text = "title,company\nSoftware Engineer,Goldman Sachs\n";
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend(text.as_bytes());
        for input in [utf16, utf8] {
            let rows = json_rows(&input);
            assert_eq!(rows[0]["title"], "Software Engineer");
            assert_eq!(rows[0]["company"], "Goldman Sachs");
        }
    }

    #[test]
    fn common_header_aliases_name_the_title_and_company_columns() {
        for header in [
            "Job Title,Company",
            "Position,Organization",
            "job_title,Employer",
            "Company Name,Title",
        ] {
            let (first, second) = if header.starts_with("Company") {
                ("Goldman Sachs", "Software Engineer")
            } else {
                ("Software Engineer", "Goldman Sachs")
            };
            let rows = json_rows(format!("{header}\n{first},{second}\n").as_bytes());
            assert_eq!(rows[0]["title"], "Software Engineer", "{header}");
            assert_eq!(rows[0]["company"], "Goldman Sachs", "{header}");
        }
    }

    #[test]
    fn json_output_has_one_object_per_row_in_input_order() {
        let out = run(
            "Company,Title,Email\nGoldman Sachs,Software Engineer,\nKirkland & Ellis,Partner,\n",
            true,
        )
        .unwrap();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["title"], "Software Engineer");
        assert_eq!(
            lines[0]["fields"],
            serde_json::json!(["finance", "software/engineering"])
        );
        assert_eq!(
            lines[1]["fields"],
            serde_json::json!(["law/private-practice"])
        );
        assert!(lines[1]["evidence"][0]["rule"].is_string());
    }

    #[test]
    fn the_email_column_is_used_when_the_company_is_blank() {
        let out = run("title,company,email\n,,someone@treasury.gov\n", true).unwrap();
        let row: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(row["fields"], serde_json::json!(["government/federal"]));
    }

    #[test]
    fn the_table_is_aligned_and_has_a_header() {
        let out = run(
            "title,company\nRegistered Nurse,Capital Health\nAnalyst,\n",
            false,
        )
        .unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("TITLE"));
        assert_eq!(lines.len(), 3);
        let fields_at = lines[0].find("FIELDS").unwrap();
        assert_eq!(&lines[1][fields_at..fields_at + 17], "healthcare/nursin");
        assert!(lines[2].ends_with('-'));
    }

    #[test]
    fn a_header_without_title_and_company_is_an_error_listing_what_it_saw() {
        let error = run("name,email\nAda,ada@example.com\n", true)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "the header needs title and company columns; saw: name, email"
        );
    }

    #[test]
    fn empty_input_is_an_error_that_says_no_columns_were_seen() {
        let error = run("", false).unwrap_err().to_string();
        assert!(error.contains("saw: none"), "{error}");
    }
}
