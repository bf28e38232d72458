//! One reader per format family; each turns records into [`ContactRow`]s and problems.
//!
//! - [`native`]: warmpath's own contact list and network files, validated strictly.
//! - [`mapped`]: LinkedIn, Google, Outlook and generic CRM CSVs through [`columns`].
//! - [`vcard`]: vCard 2.1, 3.0 and 4.0.

pub(crate) mod columns;
mod mapped;
mod native;
pub(crate) mod vcard;

use super::detect::Header;
use super::table::Unterminated;
use super::{ContactRow, Format, ImportError, LineProblem, ParsedFile};

/// Reads a CSV file whose header has been located.
pub(crate) fn parse_csv(text: &str, header: &Header) -> Result<ParsedFile, ImportError> {
    let mut parsed = match header.format {
        Format::Network | Format::Contacts => native::parse(text, header),
        _ => mapped::parse(text, header),
    };
    super::limits::enforce(&mut parsed);
    Ok(parsed)
}

/// The warning for LinkedIn `Connected On` dates that could not be read.
pub(crate) fn unreadable_dates_warning(count: usize) -> String {
    format!(
        "{count} connected on {} not understood and left empty",
        if count == 1 { "date was" } else { "dates were" }
    )
}

/// Drops whatever the last record produced when its quote never closed, and reports it.
fn report_unterminated(parsed: &mut ParsedFile, open: Unterminated, last_was_blank: bool) {
    parsed.rows.retain(|row: &ContactRow| row.line != open.line);
    parsed.problems.retain(|problem| problem.line != open.line);
    if last_was_blank {
        parsed.blank_rows = parsed.blank_rows.saturating_sub(1);
    }
    parsed.problems.push(LineProblem::unterminated(
        open.line,
        open.column,
        open.last_line,
    ));
}
