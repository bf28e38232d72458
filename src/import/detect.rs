//! Format detection: find the header row (after any preamble) and decide the format from
//! it, never from the file name (FORMATS.md §0.3, §0.4 and §6).

use super::formats::columns;
use super::{Format, ImportError};

/// How many non-empty lines may precede the header (the LinkedIn preamble needs 3).
const HEADER_SCAN_LINES: usize = 10;

/// Where the records of a file start and how to read them.
pub(crate) enum Located {
    VCard,
    Csv(Header),
}

/// The header row of a CSV file.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub format: Format,
    /// 1-based physical line of the header.
    pub line: usize,
    /// Byte offset of the header line in the decoded text.
    pub offset: usize,
    pub delimiter: u8,
    /// Header cells, trimmed, as written.
    pub cells: Vec<String>,
}

impl Header {
    /// Header cells normalised for comparison: BOM removed, trimmed, lowercase, single spaces.
    pub fn normalized(&self) -> Vec<String> {
        self.cells.iter().map(|cell| normalize(cell)).collect()
    }
}

/// Normalises one header cell for comparison.
pub(crate) fn normalize(cell: &str) -> String {
    let cell = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"');
    let mut out = String::with_capacity(cell.len());
    for word in cell.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Finds the header (or the vCard start) in the first lines of `text`.
///
/// # Errors
/// [`ImportError::NoNameColumn`] when no line looks like a header with a person in it,
/// [`ImportError::FormatMismatch`] / [`ImportError::NotVCard`] when a forced format does not fit.
pub(crate) fn locate(text: &str, forced: Option<Format>) -> Result<Located, ImportError> {
    let mut candidates: Vec<Header> = Vec::new();
    let mut offset = 0usize;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        let line_offset = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if is_blank_line(line) {
            continue;
        }
        if candidates.is_empty() && starts_vcard(line) {
            return match forced {
                None | Some(Format::VCard) => Ok(Located::VCard),
                Some(format) => Err(ImportError::FormatMismatch {
                    format,
                    line: line_number,
                    headers: vec![shorten_line(line)],
                }),
            };
        }
        let delimiter = sniff_delimiter(line);
        let cells = split_line(line, delimiter);
        candidates.push(Header {
            format: Format::Generic,
            line: line_number,
            offset: line_offset,
            delimiter,
            cells,
        });
        if candidates.len() >= HEADER_SCAN_LINES {
            break;
        }
    }
    let Some(first) = candidates.first() else {
        return Err(ImportError::Empty);
    };
    if forced == Some(Format::VCard) {
        return Err(ImportError::NotVCard);
    }
    let linkedin_preamble = normalize(first.cells.first().map_or("", String::as_str)) == "notes:";
    for candidate in &candidates {
        let normalized = candidate.normalized();
        let found = match forced {
            Some(format) => fits(format, &normalized).then_some(format),
            None => detect(&normalized).or_else(|| {
                columns::has_person_column(&normalized).then_some(if linkedin_preamble {
                    Format::LinkedIn
                } else {
                    Format::Generic
                })
            }),
        };
        if let Some(format) = found {
            return Ok(Located::Csv(Header {
                format,
                ..candidate.clone()
            }));
        }
    }
    // Report the line that most looks like a header: the one with the most cells.
    let widest = candidates
        .iter()
        .max_by_key(|candidate| (candidate.cells.len(), std::cmp::Reverse(candidate.line)))
        .unwrap_or(first);
    Err(match forced {
        Some(format) => ImportError::FormatMismatch {
            format,
            line: widest.line,
            headers: widest.cells.clone(),
        },
        None => ImportError::NoNameColumn {
            line: widest.line,
            headers: widest.cells.clone(),
        },
    })
}

/// The detection table of FORMATS.md §6, first match wins (vCard is checked before).
pub(crate) fn detect(header: &[String]) -> Option<Format> {
    [
        Format::Network,
        Format::Contacts,
        Format::LinkedIn,
        Format::Google,
        Format::GoogleLegacy,
        Format::OutlookWeb,
        Format::Outlook,
    ]
    .into_iter()
    .find(|&format| fits(format, header))
}

/// Whether a normalised header row can be read as `format`.
pub(crate) fn fits(format: Format, header: &[String]) -> bool {
    let has = |name: &str| header.iter().any(|cell| cell == name);
    let has_prefix = |prefix: &str| header.iter().any(|cell| cell.starts_with(prefix));
    match format {
        Format::Network => {
            header.first().is_some_and(|first| first == "owner_email") && has("name")
        }
        Format::Contacts => {
            has("name")
                && header
                    .iter()
                    .all(|cell| cell.is_empty() || columns::NATIVE_COLUMNS.contains(&cell.as_str()))
        }
        Format::LinkedIn => has("first name") && has("last name") && has("connected on"),
        Format::Google => {
            (has("phonetic first name") || has("file as"))
                && has("labels")
                && (has_prefix("e-mail 1 - label") || has_prefix("phone 1 - label"))
        }
        Format::GoogleLegacy => {
            header.starts_with(&[
                "name".to_string(),
                "given name".to_string(),
                "additional name".to_string(),
                "family name".to_string(),
            ]) || (has("group membership") && has("e-mail 1 - type"))
        }
        Format::OutlookWeb => has("given yomi") && has("surname yomi") && has("imaddress"),
        Format::Outlook => {
            has("e-mail display name")
                || has("e-mail type")
                || (has("business street") && has("job title"))
                || has("e-mail-adresse")
                || (has("vorname") && has("nachname"))
                || (has("prénom") && has("nom"))
                || (has("nombre") && has("apellidos"))
                || (has("voornaam") && has("achternaam"))
        }
        Format::Generic => columns::has_person_column(header),
        Format::VCard => false,
    }
}

fn is_blank_line(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || c == ',' || c == ';' || c == '\t' || c == '\u{feff}')
}

fn starts_vcard(line: &str) -> bool {
    let line = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    line.get(..11)
        .is_some_and(|start| start.eq_ignore_ascii_case("begin:vcard"))
}

/// The most frequent of `,`, `;` and tab outside quotes; `,` on a tie.
pub(crate) fn sniff_delimiter(line: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    for byte in line.bytes() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => commas += 1,
            b';' if !in_quotes => semicolons += 1,
            b'\t' if !in_quotes => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Splits one physical line into trimmed cells, honouring quotes and `""` escapes.
pub(crate) fn split_line(line: &str, delimiter: u8) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            c if !in_quotes && c as u32 == u32::from(delimiter) => {
                cells.push(cell.trim().to_string());
                cell.clear();
            }
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

fn shorten_line(line: &str) -> String {
    super::text::shorten(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_line(line: &str) -> Option<Format> {
        let cells: Vec<String> = split_line(line, sniff_delimiter(line))
            .iter()
            .map(|c| normalize(c))
            .collect();
        detect(&cells)
    }

    #[test]
    fn headers_are_detected_by_their_keywords() {
        assert_eq!(detect_line("owner_email,name,email"), Some(Format::Network));
        assert_eq!(
            detect_line("Name,Email,Relationship"),
            Some(Format::Contacts)
        );
        assert_eq!(
            detect_line("First Name;Last Name;Email Address;Company;Position;Connected on"),
            Some(Format::LinkedIn)
        );
        assert_eq!(
            detect_line("\"Anrede\",\"Vorname\",\"Nachname\",\"Firma\""),
            Some(Format::Outlook)
        );
        assert_eq!(detect_line("Record ID,First Name,Last Name,Email"), None);
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("\"a,b\";c;d"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("a,b;c"), b',');
    }

    #[test]
    fn the_header_is_found_after_a_preamble_with_its_line_number() {
        let text = "Notes:,,\n\"When exporting, you may notice\",,\n,,\nFirst Name,Last Name,Connected On\nA,B,01 Jan 2024\n";
        let Ok(Located::Csv(header)) = locate(text, None) else {
            panic!("expected a csv header");
        };
        assert_eq!(header.format, Format::LinkedIn);
        assert_eq!(header.line, 4);
        assert_eq!(&text[header.offset..header.offset + 10], "First Name");
    }

    #[test]
    fn a_header_without_a_person_column_is_refused_listing_its_headers() {
        let error = locate("sku,price\n1,2\n", None).err();
        assert_eq!(
            error,
            Some(ImportError::NoNameColumn {
                line: 1,
                headers: vec!["sku".into(), "price".into()]
            })
        );
    }
}
