//! warmpath's native formats (DESIGN "Input formats"): the contact list
//! `name,email,company,title,relationship,last_contacted,interactions,strength,field`
//! in any order, and the network file with `owner_email` first.
//!
//! Values are validated strictly: every bad cell is a [`LineProblem`] and its row is left
//! out. This is the bulk-load path (millions of rows), so it reuses one record buffer and
//! allocates only the row's own strings.

use std::str::FromStr;

use rayon::prelude::*;

use crate::import::dates::parse_date;
use crate::import::detect::Header;
use crate::import::text::{clean_name, is_email, is_unreadable, shorten};
use crate::import::{ContactRow, Format, LineProblem, ParsedFile, table};
use crate::relationship::Relationship;

/// Column indices of a native header.
#[derive(Debug, Default)]
struct NativeColumns {
    owner_email: Option<usize>,
    name: Option<usize>,
    email: Option<usize>,
    company: Option<usize>,
    title: Option<usize>,
    relationship: Option<usize>,
    last_contacted: Option<usize>,
    interactions: Option<usize>,
    strength: Option<usize>,
    field: Option<usize>,
}

impl NativeColumns {
    fn from_header(header: &Header) -> NativeColumns {
        let mut columns = NativeColumns::default();
        for (index, cell) in header.normalized().iter().enumerate() {
            let slot = match cell.as_str() {
                "owner_email" => &mut columns.owner_email,
                "name" => &mut columns.name,
                "email" => &mut columns.email,
                "company" => &mut columns.company,
                "title" => &mut columns.title,
                "relationship" => &mut columns.relationship,
                "last_contacted" => &mut columns.last_contacted,
                "interactions" => &mut columns.interactions,
                "strength" => &mut columns.strength,
                "field" => &mut columns.field,
                _ => continue,
            };
            slot.get_or_insert(index);
        }
        columns
    }
}

pub(super) fn parse(text: &str, header: &Header) -> ParsedFile {
    let mut parsed = ParsedFile::new(header.format);
    let columns = NativeColumns::from_header(header);
    let is_network = header.format == Format::Network;
    let open = table::for_each_chunk(text, header, |records, lines| {
        let converted: Vec<Option<(ContactRow, Vec<LineProblem>)>> = records
            .par_iter()
            .zip(lines.par_iter())
            .with_min_len(512)
            .map(|(record, &line)| {
                // A record of nothing but bytes that did not decode is debris, not a
                // person: skipped and counted, like a blank row (the decoding warning
                // says how many bytes were replaced).
                if record
                    .iter()
                    .all(|cell| cell.trim().is_empty() || is_unreadable(cell.trim()))
                    && record.iter().any(|cell| cell.contains('\u{FFFD}'))
                {
                    return None;
                }
                let mut problems = RowProblems {
                    line,
                    problems: Vec::new(),
                };
                let row = read_row(line, record, &columns, is_network, &mut problems);
                Some((row, problems.problems))
            })
            .collect();
        for converted in converted {
            let Some((row, mut problems)) = converted else {
                parsed.blank_rows += 1;
                continue;
            };
            if problems.is_empty() {
                parsed.rows.push(row);
            } else {
                parsed.problems.append(&mut problems);
            }
        }
    });
    if let Some(open) = open {
        super::report_unterminated(&mut parsed, open, false);
    }
    parsed
}

/// The problems of one row; empty (and unallocated) for a good row.
struct RowProblems {
    line: usize,
    problems: Vec<LineProblem>,
}

impl RowProblems {
    fn push(&mut self, index: usize, message: String) {
        self.problems.push(LineProblem {
            line: self.line,
            column: index + 1,
            message,
            last_line: None,
        });
    }
}

fn read_row(
    line: usize,
    record: &csv::StringRecord,
    columns: &NativeColumns,
    is_network: bool,
    problems: &mut RowProblems,
) -> ContactRow {
    let cell = |index: Option<usize>| -> (usize, &str) {
        index.map_or((0, ""), |index| {
            (index, record.get(index).unwrap_or("").trim())
        })
    };
    let mut row = ContactRow {
        line,
        ..ContactRow::default()
    };

    if is_network {
        let (index, owner) = cell(columns.owner_email);
        if owner.is_empty() {
            problems.push(index, "owner_email is empty".to_string());
        } else if !is_email(owner) {
            problems.push(
                index,
                format!("owner_email {:?} is not an email address", shorten(owner)),
            );
        } else {
            row.owner_email = Some(owner.to_string());
        }
    }

    let (index, name) = cell(columns.name);
    if name.is_empty() {
        problems.push(index, "name is empty".to_string());
    } else if is_unreadable(name) {
        problems.push(index, "name has no readable characters".to_string());
    } else {
        row.name = clean_name(name);
    }

    let (index, emails) = cell(columns.email);
    if !emails.is_empty() {
        for email in emails
            .split([';', '|'])
            .map(str::trim)
            .filter(|email| !email.is_empty())
        {
            if !is_email(email) {
                problems.push(
                    index,
                    format!("email {:?} is not an email address", shorten(email)),
                );
            } else if !row
                .emails
                .iter()
                .any(|known| known.eq_ignore_ascii_case(email))
            {
                row.emails.push(email.to_string());
            }
        }
    }

    let (_, company) = cell(columns.company);
    row.company = (!company.is_empty()).then(|| company.to_string());
    let (_, title) = cell(columns.title);
    row.title = (!title.is_empty()).then(|| title.to_string());

    let (index, relationship) = cell(columns.relationship);
    if !relationship.is_empty() {
        // Canonical words, the common case in bulk files, parse without allocating.
        match Relationship::from_str(relationship) {
            Ok(relationship) => row.relationship = Some(relationship),
            Err(error) => problems.push(index, error.to_string()),
        }
    }

    let (index, last_contacted) = cell(columns.last_contacted);
    match parse_date(last_contacted) {
        Ok(date) => row.last_contacted = date,
        Err(_) => problems.push(
            index,
            format!(
                "last_contacted {:?} is not a date (expected YYYY-MM-DD)",
                shorten(last_contacted)
            ),
        ),
    }

    let (index, interactions) = cell(columns.interactions);
    if !interactions.is_empty() {
        match interactions.parse::<u32>() {
            Ok(count) => row.interactions = Some(count),
            Err(_) => problems.push(
                index,
                format!(
                    "interactions {:?} is not a non-negative integer",
                    shorten(interactions)
                ),
            ),
        }
    }

    let (index, strength) = cell(columns.strength);
    if !strength.is_empty() {
        match strength.parse::<f64>() {
            Ok(value) if value > 0.0 && value <= 1.0 => row.strength = Some(value),
            _ => problems.push(
                index,
                format!("strength {:?} is not a number in (0, 1]", shorten(strength)),
            ),
        }
    }

    let (_, fields) = cell(columns.field);
    if !fields.is_empty() {
        row.fields = fields
            .split([';', '|'])
            .map(str::trim)
            .filter(|field| !field.is_empty())
            .map(str::to_lowercase)
            .collect();
    }
    row
}
