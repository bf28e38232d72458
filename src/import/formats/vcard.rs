//! vCard 2.1, 3.0 and 4.0 (FORMATS.md §4).
//!
//! Works on bytes so that a property's own `CHARSET` decides how its value decodes:
//! physical lines are unfolded (space/tab continuations, quoted-printable soft breaks),
//! big binary properties (PHOTO, LOGO, SOUND, KEY) are skipped without being copied, and
//! only the properties a contact row needs are decoded.

use encoding_rs::{Encoding, WINDOWS_1252};

use crate::import::decode::Decoded;
use crate::import::text::{clean_name, is_linkedin_profile, join_name, push_email};
use crate::import::{ContactRow, Format, ParsedFile};

/// Parses every card of a file that starts with `BEGIN:VCARD`.
pub(crate) fn parse(
    bytes: &[u8],
    decoded: &Decoded<'_>,
    forced: Option<&'static Encoding>,
) -> ParsedFile {
    let (body, fallback) = if decoded.is_utf16() {
        (decoded.text.as_bytes(), None)
    } else {
        (&bytes[decoded.bom_len.min(bytes.len())..], forced)
    };
    let mut reader = CardReader {
        parsed: ParsedFile::new(Format::VCard),
        card: None,
        depth: 0,
        fallback,
    };
    let mut pending: Option<(usize, Vec<u8>)> = None;
    let mut skipping = false;
    let mut soft_break = false;
    for (line_number, line) in physical_lines(body) {
        if soft_break && let Some((_, content)) = pending.as_mut() {
            content.pop();
            let continuation = trim_start(line);
            content.extend_from_slice(continuation);
            soft_break = continuation.ends_with(b"=");
            continue;
        }
        if matches!(line.first(), Some(b' ' | b'\t')) && pending.is_some() {
            if !skipping && let Some((_, content)) = pending.as_mut() {
                content.extend_from_slice(&line[1..]);
            }
            continue;
        }
        if let Some((start, content)) = pending.take() {
            reader.property(start, &content);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            skipping = false;
            continue;
        }
        let head = line
            .iter()
            .position(|&b| b == b':')
            .map_or(line, |colon| &line[..colon]);
        skipping = is_binary_property(head);
        soft_break = !skipping && is_quoted_printable(head) && line.ends_with(b"=");
        if skipping {
            // Keep only the property head; its base64 body is never needed.
            pending = Some((line_number, head.to_vec()));
        } else {
            pending = Some((line_number, line.to_vec()));
        }
    }
    if let Some((start, content)) = pending.take() {
        reader.property(start, &content);
    }
    if let Some(card) = reader.card.take() {
        reader.parsed.warnings.push(format!(
            "the card starting at line {} has no end:vcard; it was read up to the end of the file",
            card.line
        ));
        reader.finish(card);
    }
    reader.parsed
}

/// Splits on LF, CRLF or a lone CR; yields 1-based line numbers.
fn physical_lines(body: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut rest = body;
    let mut line_number = 0usize;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        line_number += 1;
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = end;
        if rest.get(next) == Some(&b'\r') {
            next += 1;
        }
        if rest.get(next) == Some(&b'\n') && (next == end || rest[end] == b'\r') {
            next += 1;
        }
        rest = &rest[next..];
        Some((line_number, line))
    })
}

fn trim_start(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(line.len());
    &line[start..]
}

fn property_name(head: &[u8]) -> &[u8] {
    let name_end = head.iter().position(|&b| b == b';').unwrap_or(head.len());
    let name = &head[..name_end];
    // Drop an `item1.` group.
    name.iter()
        .rposition(|&b| b == b'.')
        .map_or(name, |dot| &name[dot + 1..])
}

fn is_binary_property(head: &[u8]) -> bool {
    let name = property_name(head);
    ["PHOTO", "LOGO", "SOUND", "KEY"]
        .iter()
        .any(|binary| name.eq_ignore_ascii_case(binary.as_bytes()))
}

fn is_quoted_printable(head: &[u8]) -> bool {
    head.windows(16)
        .any(|window| window.eq_ignore_ascii_case(b"QUOTED-PRINTABLE"))
}

/// The parts of one card that a contact row needs.
#[derive(Default)]
struct Card {
    line: usize,
    formatted_name: Option<String>,
    structured_name: Option<String>,
    emails: Vec<String>,
    company: Option<String>,
    department: Option<String>,
    title: Option<String>,
    role: Option<String>,
    profile_url: Option<String>,
}

struct CardReader {
    parsed: ParsedFile,
    card: Option<Card>,
    /// Nesting depth of AGENT cards inside the current card, which are skipped.
    depth: usize,
    fallback: Option<&'static Encoding>,
}

impl CardReader {
    fn property(&mut self, line: usize, content: &[u8]) {
        let Some(colon) = head_end(content) else {
            return;
        };
        let (head, raw_value) = (&content[..colon], &content[colon + 1..]);
        let name = property_name(head).to_ascii_uppercase();
        let is_vcard_value = raw_value.trim_ascii().eq_ignore_ascii_case(b"VCARD");
        match name.as_slice() {
            b"BEGIN" if is_vcard_value => {
                if self.card.is_some() {
                    self.depth += 1;
                } else {
                    self.card = Some(Card {
                        line,
                        ..Card::default()
                    });
                }
                return;
            }
            b"END" if is_vcard_value => {
                if self.depth > 0 {
                    self.depth -= 1;
                } else if let Some(card) = self.card.take() {
                    self.finish(card);
                }
                return;
            }
            _ => {}
        }
        let fallback = self.fallback;
        let (Some(card), 0) = (self.card.as_mut(), self.depth) else {
            return;
        };
        let wanted = matches!(
            name.as_slice(),
            b"FN" | b"N" | b"EMAIL" | b"ORG" | b"TITLE" | b"ROLE" | b"URL" | b"X-SOCIALPROFILE"
        );
        if !wanted {
            return;
        }
        let value = decode_value(head, raw_value, fallback);
        match name.as_slice() {
            b"FN" => set_first(&mut card.formatted_name, clean_name(&unescape(&value))),
            b"N" => {
                let parts = split_unescaped(&value);
                let given = |index: usize| parts.get(index).map_or("", String::as_str);
                set_first(
                    &mut card.structured_name,
                    join_name([given(1), given(2), given(0)]),
                );
            }
            b"EMAIL" => {
                push_email(&mut card.emails, &unescape(&value));
            }
            b"ORG" => {
                // `ORG:Company;Department;Unit...`: the first ORG gives both.
                let units = split_unescaped(&value);
                let company = units
                    .first()
                    .map(|unit| clean_name(unit))
                    .unwrap_or_default();
                if card.company.is_none() && !company.is_empty() {
                    card.company = Some(company);
                    let department: Vec<String> = units[1..]
                        .iter()
                        .map(|unit| clean_name(unit))
                        .filter(|unit| !unit.is_empty())
                        .collect();
                    if !department.is_empty() {
                        card.department = Some(department.join(" "));
                    }
                }
            }
            b"TITLE" => set_first(&mut card.title, clean_name(&unescape(&value))),
            b"ROLE" => set_first(&mut card.role, clean_name(&unescape(&value))),
            _ => {
                let url = unescape(&value);
                let url = url.trim();
                if is_linkedin_profile(url) {
                    set_first(&mut card.profile_url, url.to_string());
                }
            }
        }
    }

    fn finish(&mut self, card: Card) {
        let name = card
            .formatted_name
            .or(card.structured_name)
            .or_else(|| card.company.clone())
            .or_else(|| card.emails.first().cloned());
        let Some(name) = name else {
            self.parsed.blank_rows += 1;
            return;
        };
        self.parsed.rows.push(ContactRow {
            line: card.line,
            name,
            emails: card.emails,
            profile_url: card.profile_url,
            company: card.company,
            department: card.department,
            title: card.title.or(card.role),
            ..ContactRow::default()
        });
    }
}

fn set_first(slot: &mut Option<String>, value: String) {
    if slot.is_none() && !value.is_empty() {
        *slot = Some(value);
    }
}

/// The colon that ends the property head (colons inside quoted parameters do not count).
fn head_end(content: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    content.iter().position(|&b| {
        if b == b'"' {
            in_quotes = !in_quotes;
        }
        b == b':' && !in_quotes
    })
}

/// Decodes a property value: quoted-printable if the head says so, then its `CHARSET`,
/// else the forced encoding, else UTF-8 when valid, else Windows-1252 (a Latin guess).
fn decode_value(head: &[u8], raw_value: &[u8], fallback: Option<&'static Encoding>) -> String {
    let mut charset = None;
    let mut quoted_printable = false;
    for param in head.split(|&b| b == b';').skip(1) {
        let param = param.trim_ascii();
        if let Some(label) = strip_prefix_ignore_case(param, b"CHARSET=") {
            charset = Encoding::for_label(label.trim_ascii_start().trim_ascii_end());
        }
        if param.eq_ignore_ascii_case(b"QUOTED-PRINTABLE")
            || param.eq_ignore_ascii_case(b"ENCODING=QUOTED-PRINTABLE")
            || param.eq_ignore_ascii_case(b"ENCODING=Q")
        {
            quoted_printable = true;
        }
    }
    let decoded_qp;
    let value_bytes = if quoted_printable {
        decoded_qp = quoted_printable::decode(raw_value, quoted_printable::ParseMode::Robust)
            .unwrap_or_else(|_| raw_value.to_vec());
        decoded_qp.as_slice()
    } else {
        raw_value
    };
    match charset.or(fallback) {
        Some(encoding) => encoding
            .decode_without_bom_handling(value_bytes)
            .0
            .into_owned(),
        None => match std::str::from_utf8(value_bytes) {
            Ok(text) => text.to_string(),
            Err(_) => WINDOWS_1252
                .decode_without_bom_handling(value_bytes)
                .0
                .into_owned(),
        },
    }
}

fn strip_prefix_ignore_case<'a>(bytes: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    (bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &bytes[prefix.len()..])
}

/// Undoes `\,` `\;` `\:` `\\` and `\n`/`\N`.
fn unescape(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(escaped) => out.push(escaped),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a structured value (N, ORG) on unescaped `;`, unescaping each component.
fn split_unescaped(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            parts.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(unescape(&current));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn physical_lines_split_on_any_line_break() {
        let lines: Vec<(usize, &[u8])> = physical_lines(b"a\r\nb\nc\rd\r\n\r\ne").collect();
        let expected: Vec<(usize, &[u8])> = vec![
            (1, b"a"),
            (2, b"b"),
            (3, b"c"),
            (4, b"d"),
            (5, b""),
            (6, b"e"),
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn escapes_are_undone_and_structured_values_split() {
        assert_eq!(
            unescape(r"http\://x.example\, inc\nnext"),
            "http://x.example, inc\nnext"
        );
        assert_eq!(
            split_unescaped(r"Acme\; Co;Sales"),
            vec!["Acme; Co", "Sales"]
        );
    }

    #[test]
    fn values_decode_by_their_own_charset() {
        assert_eq!(
            decode_value(b"N;CHARSET=windows-1252", b"Do\xeb", None),
            "Doë"
        );
        assert_eq!(
            decode_value(
                b"N;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8",
                b"=C3=91",
                None
            ),
            "Ñ"
        );
        assert_eq!(
            decode_value(b"N;ENCODING=QUOTED-PRINTABLE", b"Iksi=F1ski", None),
            "Iksiñski"
        );
    }
}
