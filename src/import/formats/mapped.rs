//! Exports read through a column mapping: LinkedIn, Google (both generations), Outlook
//! (desktop, web, localised, Windows Live Mail) and generic CRM CSVs.
//!
//! These files come from other programs, so they are read leniently: a row with no
//! person in it is counted as blank, an unreadable date is left empty and counted in a
//! warning, and nothing here rejects a row for its column count.

use crate::import::dates::parse_date;
use crate::import::detect::Header;
use crate::import::text::{
    clean_name, is_linkedin_profile, is_unreadable, join_name, non_empty, parenthesised_email,
    push_email,
};
use crate::import::{ContactRow, Format, ParsedFile, table};
use crate::relationship::Relationship;

use super::columns::{self, Columns};

/// Google puts several values in one cell separated by ` ::: `.
const MULTI_VALUE_SEPARATOR: &str = ":::";

pub(super) fn parse(text: &str, header: &Header) -> ParsedFile {
    let mut parsed = ParsedFile::new(header.format);
    let columns = columns::map(header.format, &header.normalized());
    let multi_value = matches!(header.format, Format::Google | Format::GoogleLegacy);
    let mut unreadable_dates = 0usize;
    let mut last_was_blank = false;
    let open = table::for_each_record(text, header, |line, record| {
        let cell = |index: usize| -> &str {
            let value = record.get(index).unwrap_or("").trim();
            if multi_value {
                value
                    .split(MULTI_VALUE_SEPARATOR)
                    .next()
                    .unwrap_or("")
                    .trim()
            } else {
                value
            }
        };
        let all_values = |index: usize| -> Vec<&str> {
            let value = record.get(index).unwrap_or("");
            if multi_value {
                value.split(MULTI_VALUE_SEPARATOR).map(str::trim).collect()
            } else {
                vec![value.trim()]
            }
        };
        match build_row(line, &columns, &cell, &all_values, &mut unreadable_dates) {
            Some(row) => {
                last_was_blank = false;
                parsed.rows.push(row);
            }
            None => {
                last_was_blank = true;
                parsed.blank_rows += 1;
            }
        }
    });
    if let Some(open) = open {
        super::report_unterminated(&mut parsed, open, last_was_blank);
    }
    parsed.unreadable_dates = unreadable_dates;
    parsed
}

/// Builds one contact, or `None` when the row has no person in it.
fn build_row<'r>(
    line: usize,
    columns: &Columns,
    cell: &dyn Fn(usize) -> &'r str,
    all_values: &dyn Fn(usize) -> Vec<&'r str>,
    unreadable_dates: &mut usize,
) -> Option<ContactRow> {
    let first_of = |indices: &[usize]| -> Option<String> {
        indices.iter().find_map(|&index| non_empty(cell(index)))
    };
    let mut row = ContactRow {
        line,
        ..ContactRow::default()
    };

    for slot in &columns.emails {
        let is_exchange = slot
            .kind
            .is_some_and(|kind| cell(kind).eq_ignore_ascii_case("EX"));
        let mut found_address = false;
        if let Some(address) = slot.address.filter(|_| !is_exchange) {
            for value in all_values(address) {
                found_address |= push_email(&mut row.emails, value);
            }
        }
        // Exchange entries hold a directory name, not an address; the display name
        // `Jane Doe (jane@example.com)` may still carry one.
        if !found_address
            && let Some(address) = slot
                .display
                .and_then(|display| parenthesised_email(cell(display)))
        {
            push_email(&mut row.emails, address);
        }
    }

    row.company = first_of(&columns.company);
    if row.company.is_some() {
        row.department = first_of(&columns.department);
    }
    row.title = first_of(&columns.title);
    row.profile_url = first_of(&columns.profile_urls).or_else(|| {
        columns.websites.iter().find_map(|&index| {
            all_values(index)
                .into_iter()
                .find(|url| is_linkedin_profile(url))
                .map(str::to_string)
        })
    });
    if let Some(index) = columns.connected_on {
        match parse_date(cell(index)) {
            Ok(date) => row.connected_on = date,
            Err(_) => *unreadable_dates += 1,
        }
    }
    row.relationship = columns
        .labels
        .iter()
        .flat_map(|&index| all_values(index))
        .flat_map(|labels| labels.split(';'))
        .find_map(relationship_from_label);

    row.name = first_of(&columns.full_name)
        .map(|name| clean_name(&name))
        .filter(|name| !is_unreadable(name))
        .or_else(|| {
            let parts = [columns.first, columns.middle, columns.last]
                .into_iter()
                .flatten()
                .map(cell);
            let name = join_name(parts);
            (!is_unreadable(&name)).then_some(name)
        })
        .or_else(|| first_of(&columns.fallback_names).map(|name| clean_name(&name)))
        .filter(|name| !is_unreadable(name))
        .or_else(|| row.company.clone())
        .or_else(|| row.emails.first().cloned())?;
    Some(row)
}

/// A Google label that clearly names a relationship ("Family", "Friends", "Coworkers");
/// system labels (`* myContacts`) and anything vaguer are ignored.
fn relationship_from_label(label: &str) -> Option<Relationship> {
    let label = label.trim().trim_start_matches('*').trim();
    match Relationship::parse(label)? {
        Relationship::Acquaintance | Relationship::Other => None,
        relationship => Some(relationship),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clear_labels_become_relationships() {
        assert_eq!(
            relationship_from_label("* friends"),
            Some(Relationship::Friend)
        );
        assert_eq!(
            relationship_from_label("Family"),
            Some(Relationship::Family)
        );
        assert_eq!(
            relationship_from_label("Coworkers"),
            Some(Relationship::Colleague)
        );
        assert_eq!(relationship_from_label("* myContacts"), None);
        assert_eq!(relationship_from_label("Contacts"), None);
        assert_eq!(relationship_from_label("Nachbar"), None);
    }
}
