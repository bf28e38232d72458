//! Import: bytes in, parsed contact rows out.
//!
//! It owns decoding (BOM, UTF-16, UTF-8, Windows-1252), format detection from the header,
//! CSV and vCard reading with physical line numbers, and the mapping of every supported
//! export (LinkedIn, Google, Outlook, vCard, warmpath's native contact and network lists,
//! generic CRM CSVs) onto one [`ContactRow`] shape. Bad rows become [`LineProblem`]s with
//! their line and column; only a file that cannot be read at all is an [`ImportError`].
//!
//! It deliberately does not write anything, resolve identities or compute strengths:
//! `identity`, `store` and `strength` do that with the rows returned here.

mod dates;
mod decode;
mod detect;
mod formats;
pub mod limits;
mod stream;
mod table;
mod text;

use crate::relationship::Relationship;

pub use decode::{ENCODINGS, parse_encoding_label};
pub use stream::{BLOCK_BYTES, Blocks, ReadError};

/// Parses one uploaded file into contact rows.
///
/// Detects the encoding and the format unless `options` forces them, then reads every
/// record. Bad rows are reported in [`ParsedFile::problems`] (every one, not only the
/// first) and left out of [`ParsedFile::rows`].
///
/// # Errors
/// Refuses the whole file when it is empty, when no header with a recognisable name or
/// email column is found, or when a forced format does not fit the header.
pub fn parse(bytes: &[u8], options: &ParseOptions) -> Result<ParsedFile, ImportError> {
    let mut parsed = parse_unfinished(bytes, options)?;
    let unreadable_dates = std::mem::take(&mut parsed.unreadable_dates);
    let controls_removed = std::mem::take(&mut parsed.controls_removed);
    parsed
        .warnings
        .extend(count_warnings(unreadable_dates, controls_removed));
    Ok(parsed)
}

/// The warnings of counts a file can only give once it is read to the end, in the order
/// whole and block reads both add them: unreadable dates, then removed control characters.
fn count_warnings(unreadable_dates: usize, controls_removed: usize) -> Vec<String> {
    let mut warnings = Vec::new();
    if unreadable_dates > 0 {
        warnings.push(formats::unreadable_dates_warning(unreadable_dates));
    }
    if controls_removed > 0 {
        warnings.push(limits::controls_warning(controls_removed));
    }
    warnings
}

/// What kind of spreadsheet a file is, by its first bytes: people upload the workbook
/// their export opened in rather than the CSV.
fn spreadsheet(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("an Excel workbook (.xlsx) or another zipped document")
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some("an old Excel workbook (.xls)")
    } else {
        None
    }
}

/// [`parse`], leaving the counts that become warnings in the [`ParsedFile`] (a streamed
/// file sums them over its blocks).
fn parse_unfinished(bytes: &[u8], options: &ParseOptions) -> Result<ParsedFile, ImportError> {
    if let Some(kind) = spreadsheet(bytes) {
        return Err(ImportError::Spreadsheet(kind));
    }
    let mut decoded = decode::decode(bytes, options.encoding);
    decoded.text = table::normalize_lone_cr(std::mem::take(&mut decoded.text));
    if decoded
        .text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(ImportError::Empty);
    }
    let located = detect::locate(&decoded.text, options.format)?;
    let mut parsed = match located {
        detect::Located::VCard => {
            let mut parsed = formats::vcard::parse(bytes, &decoded, options.encoding);
            limits::enforce(&mut parsed);
            parsed
        }
        detect::Located::Csv(header) => formats::parse_csv(&decoded.text, &header)?,
    };
    parsed.encoding = decode::lowercase_name(decoded.encoding);
    let mut warnings = decoded.warnings;
    warnings.append(&mut parsed.warnings);
    parsed.warnings = warnings;
    tracing::debug!(
        format = parsed.format.as_str(),
        encoding = %parsed.encoding,
        rows = parsed.rows.len(),
        problems = parsed.problems.len(),
        blank_rows = parsed.blank_rows,
        "parsed import file"
    );
    Ok(parsed)
}

/// What the caller knows about the file; `None` means detect it.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub format: Option<Format>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// The export shapes [`parse`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    #[serde(rename = "linkedin")]
    LinkedIn,
    Google,
    GoogleLegacy,
    Outlook,
    OutlookWeb,
    #[serde(rename = "vcard")]
    VCard,
    Contacts,
    Network,
    Generic,
}

impl Format {
    /// Every format, in detection order.
    pub const ALL: [Format; 9] = [
        Format::VCard,
        Format::Network,
        Format::Contacts,
        Format::LinkedIn,
        Format::Google,
        Format::GoogleLegacy,
        Format::OutlookWeb,
        Format::Outlook,
        Format::Generic,
    ];

    /// The lowercase name used by the API, the CLI and serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::LinkedIn => "linkedin",
            Format::Google => "google",
            Format::GoogleLegacy => "google_legacy",
            Format::Outlook => "outlook",
            Format::OutlookWeb => "outlook_web",
            Format::VCard => "vcard",
            Format::Contacts => "contacts",
            Format::Network => "network",
            Format::Generic => "generic",
        }
    }

    /// Parses a format name case-insensitively; `native` means [`Format::Contacts`].
    ///
    /// `auto` is not a format: callers map it to `None` themselves.
    pub fn parse(name: &str) -> Option<Format> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("native") {
            return Some(Format::Contacts);
        }
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of parsing one file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub format: Format,
    /// The encoding that was used, lowercase ("utf-8", "utf-16le", "windows-1252", ...).
    pub encoding: &'static str,
    /// Good rows only, in file order.
    pub rows: Vec<ContactRow>,
    /// Every bad row, one entry per bad cell or line; such rows are not in `rows`.
    pub problems: Vec<LineProblem>,
    /// File-level notes such as replaced bytes; never row contents.
    pub warnings: Vec<String>,
    /// Rows with no person in them (deleted LinkedIn members, empty vCards), skipped.
    pub blank_rows: usize,
    /// LinkedIn `Connected On` dates that could not be read (a warning once the whole
    /// file is read).
    pub(crate) unreadable_dates: usize,
    /// Texts whose control characters were removed (a warning once the whole file is read).
    pub(crate) controls_removed: usize,
}

impl ParsedFile {
    fn new(format: Format) -> ParsedFile {
        ParsedFile {
            format,
            encoding: "utf-8",
            rows: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            blank_rows: 0,
            unreadable_dates: 0,
            controls_removed: 0,
        }
    }
}

/// One bad row or cell: 1-based line and column, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// For a quote that never closes: the last line it swallowed (the record runs from
    /// `line` to here and was read as one field). Named in `message`.
    #[serde(skip)]
    pub last_line: Option<usize>,
}

impl LineProblem {
    /// A record whose quote opens in field `column` of `line` and never closes, so that
    /// every line to `last_line` (the end of the file) was read into one field.
    pub(crate) fn unterminated(line: usize, column: usize, last_line: usize) -> LineProblem {
        let message = if last_line > line {
            format!(
                "lines {line}-{last_line}: a quote opened on line {line} never closes; \
                 these lines were read as one field and skipped"
            )
        } else {
            format!("a quote opened on line {line} never closes before the end of the file")
        };
        LineProblem {
            line,
            column,
            message,
            last_line: Some(last_line),
        }
    }

    /// The same problem `lines` physical lines further down (a later block's lines).
    pub(crate) fn shifted(self, lines: usize) -> LineProblem {
        match self.last_line {
            Some(last_line) => {
                LineProblem::unterminated(self.line + lines, self.column, last_line + lines)
            }
            None => LineProblem {
                line: self.line + lines,
                ..self
            },
        }
    }
}

/// One contact as read from a file, before identity resolution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactRow {
    /// 1-based physical line where the record starts.
    pub line: usize,
    /// Network format only: whose contact this is.
    pub owner_email: Option<String>,
    /// Display name: never empty, trimmed, inner whitespace collapsed.
    pub name: String,
    /// Valid-looking addresses, in file order, deduplicated case-insensitively.
    pub emails: Vec<String>,
    pub profile_url: Option<String>,
    pub company: Option<String>,
    /// The company's department when the export has a field for it (vCard `ORG`'s second
    /// unit, Google's `Organization Department`, Outlook's `Department`); only with a
    /// company. Classification reads it as the company's division (FIELDS.md §4.1).
    pub department: Option<String>,
    /// Job title (never an honorific such as Outlook's `Title`).
    pub title: Option<String>,
    pub relationship: Option<Relationship>,
    pub last_contacted: Option<chrono::NaiveDate>,
    /// LinkedIn `Connected On`: when the connection was made, not a last contact.
    pub connected_on: Option<chrono::NaiveDate>,
    pub interactions: Option<u32>,
    /// Explicit strength in (0, 1].
    pub strength: Option<f64>,
    /// Native `field` column values, trimmed and lowercase.
    pub fields: Vec<String>,
}

/// A refusal of the whole file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("file is empty")]
    Empty,
    #[error("no recognisable name or email column in the header (headers seen: {})", quote_list(.headers))]
    NoNameColumn { line: usize, headers: Vec<String> },
    #[error("the header does not fit the {format} format (headers seen: {})", quote_list(.headers))]
    FormatMismatch {
        format: Format,
        line: usize,
        headers: Vec<String>,
    },
    #[error("the file does not start with begin:vcard, so it is not a vcard file")]
    NotVCard,
    #[error("this is {0}, not a CSV or vCard file: open it and save it as CSV (UTF-8)")]
    Spreadsheet(&'static str),
}

impl ImportError {
    /// Where the refusal happened (line 1, column 1 when nowhere better).
    pub fn line_problem(&self) -> LineProblem {
        let line = match self {
            ImportError::NoNameColumn { line, .. } | ImportError::FormatMismatch { line, .. } => {
                *line
            }
            ImportError::Empty | ImportError::NotVCard | ImportError::Spreadsheet(_) => 1,
        };
        LineProblem {
            line,
            column: 1,
            message: self.to_string(),
            last_line: None,
        }
    }
}

fn quote_list(headers: &[String]) -> String {
    const MAX_HEADERS: usize = 30;
    let mut listed: Vec<String> = headers
        .iter()
        .take(MAX_HEADERS)
        .map(|header| format!("{:?}", text::shorten(header)))
        .collect();
    if headers.len() > MAX_HEADERS {
        listed.push(format!("and {} more", headers.len() - MAX_HEADERS));
    }
    if listed.is_empty() {
        return "none".to_string();
    }
    listed.join(", ")
}

#[cfg(test)]
mod tests;
