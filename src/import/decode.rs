//! Decoding: raw bytes to text, before any CSV or vCard parsing (FORMATS.md §0.1).
//!
//! It owns BOM sniffing, the UTF-16 NUL-byte heuristic, strict UTF-8 with a Windows-1252
//! fallback, and counting replaced bytes for the import warnings. It never fails: every
//! byte sequence decodes, with U+FFFD where it has to.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from an uploaded file.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// The encoding used for the body.
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark that was skipped.
    pub bom_len: usize,
    pub warnings: Vec<String>,
}

impl Decoded<'_> {
    /// Whether the body was UTF-16, so `text` is the only usable form of it.
    pub fn is_utf16(&self) -> bool {
        self.encoding == UTF_16LE || self.encoding == UTF_16BE
    }
}

/// Looks an encoding up by a WHATWG label ("utf-8", "utf-16le", "latin1", "cp1252"...).
pub fn parse_encoding_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    if label.eq_ignore_ascii_case("cp1252") {
        return Some(WINDOWS_1252);
    }
    Encoding::for_label(label.as_bytes())
}

/// Decodes `bytes`, with `forced` overriding every guess.
pub(crate) fn decode<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Decoded<'a> {
    let bom = Encoding::for_bom(bytes);
    let (encoding, bom_len) = match (forced, bom) {
        (Some(forced), Some((bom_encoding, bom_len))) if forced == bom_encoding => {
            (forced, bom_len)
        }
        (Some(forced), _) => (forced, 0),
        (None, Some((bom_encoding, bom_len))) => (bom_encoding, bom_len),
        (None, None) => (guess(bytes), 0),
    };
    let body = &bytes[bom_len..];
    let (text, warnings) = if encoding == UTF_8 {
        decode_utf8(body)
    } else {
        decode_other(body, encoding)
    };
    Decoded {
        text,
        encoding,
        bom_len,
        warnings,
    }
}

/// Guesses the encoding of a file without a byte-order mark.
fn guess(bytes: &[u8]) -> &'static Encoding {
    if let Some(utf16) = sniff_utf16(bytes) {
        return utf16;
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => UTF_8,
        Err(_) if mostly_utf8(bytes) => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

/// UTF-16 without BOM: NUL bytes at every other position in the first kilobyte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(1024) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let nul_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let nul_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if nul_even * 2 > pairs && nul_odd * 8 < pairs {
        Some(UTF_16BE)
    } else if nul_odd * 2 > pairs && nul_even * 8 < pairs {
        Some(UTF_16LE)
    } else {
        None
    }
}

/// A file with well-formed multi-byte UTF-8 sequences and comparatively few broken bytes
/// is UTF-8 with some corruption (observed in re-saved LinkedIn exports), not
/// Windows-1252, whose accented letters almost never form valid UTF-8 sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                valid_multibyte += valid.bytes().filter(|b| b & 0xC0 == 0xC0).count();
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                valid_multibyte += valid.iter().filter(|&&b| b & 0xC0 == 0xC0).count();
                let bad = error.error_len().unwrap_or(after.len());
                invalid += bad;
                rest = &after[bad..];
            }
        }
    }
    valid_multibyte > 0 && valid_multibyte * 4 >= invalid
}

fn decode_utf8(body: &[u8]) -> (Cow<'_, str>, Vec<String>) {
    let (text, replaced) = decode_utf8_counting(body);
    let warnings = replaced
        .map(|(bytes, first)| vec![utf8_warning(bytes, line_of_offset(body, first))])
        .unwrap_or_default();
    (text, warnings)
}

/// Decodes UTF-8, replacing every broken sequence with U+FFFD; with the number of bytes
/// replaced and the offset of the first, when there were any.
pub(crate) fn decode_utf8_counting(body: &[u8]) -> (Cow<'_, str>, Option<(usize, usize)>) {
    if let Ok(text) = std::str::from_utf8(body) {
        return (Cow::Borrowed(text), None);
    }
    let mut text = String::with_capacity(body.len() + 16);
    let mut replaced_bytes = 0usize;
    let mut first_bad_offset = None;
    let mut offset = 0usize;
    let mut rest = body;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                // valid_up_to guarantees this prefix is UTF-8.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = error.error_len().unwrap_or(after.len());
                first_bad_offset.get_or_insert(offset + valid.len());
                replaced_bytes += bad;
                text.push('\u{FFFD}');
                offset += valid.len() + bad;
                rest = &after[bad..];
            }
        }
    }
    (
        Cow::Owned(text),
        Some((replaced_bytes, first_bad_offset.unwrap_or(0))),
    )
}

/// The warning for bytes that did not decode as UTF-8.
pub(crate) fn utf8_warning(replaced_bytes: usize, first_line: usize) -> String {
    format!(
        "{replaced_bytes} {} did not decode as utf-8 and {} replaced (first at line {first_line})",
        if replaced_bytes == 1 { "byte" } else { "bytes" },
        if replaced_bytes == 1 { "was" } else { "were" },
    )
}

fn decode_other<'a>(body: &'a [u8], encoding: &'static Encoding) -> (Cow<'a, str>, Vec<String>) {
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let mut warnings = Vec::new();
    if had_errors {
        let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
        let first = text.find('\u{FFFD}').unwrap_or(0);
        let line = super::table::count_line_breaks(&text.as_bytes()[..first]) + 1;
        warnings.push(format!(
            "{replaced} {} did not decode as {} and {} replaced (first at line {line})",
            if replaced == 1 {
                "character"
            } else {
                "characters"
            },
            lowercase_name(encoding),
            if replaced == 1 { "was" } else { "were" },
        ));
    }
    (text, warnings)
}

/// The physical line of `offset`, counting lone CR line breaks as the readers do.
fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    super::table::count_line_breaks(&bytes[..offset.min(bytes.len())]) + 1
}

/// Every encoding an upload may name (`encoding=`, `--encoding`), by its lowercase WHATWG
/// name: every encoding `encoding_rs` decodes but "replacement" and "x-user-defined".
pub const ENCODINGS: &[&str] = &[
    "utf-8",
    "utf-16le",
    "utf-16be",
    "windows-1252",
    "windows-1250",
    "windows-1251",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "windows-874",
    "iso-8859-2",
    "iso-8859-3",
    "iso-8859-4",
    "iso-8859-5",
    "iso-8859-6",
    "iso-8859-7",
    "iso-8859-8",
    "iso-8859-8-i",
    "iso-8859-10",
    "iso-8859-13",
    "iso-8859-14",
    "iso-8859-15",
    "iso-8859-16",
    "ibm866",
    "koi8-r",
    "koi8-u",
    "macintosh",
    "x-mac-cyrillic",
    "gbk",
    "gb18030",
    "big5",
    "euc-jp",
    "iso-2022-jp",
    "shift_jis",
    "euc-kr",
];

/// The lowercase WHATWG name of an encoding, as reported in [`super::ParsedFile`].
pub(crate) fn lowercase_name(encoding: &'static Encoding) -> &'static str {
    ENCODINGS
        .iter()
        .find(|name| name.eq_ignore_ascii_case(encoding.name()))
        .copied()
        .unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let decoded = decode(b"\xEF\xBB\xBFname\n", None);
        assert_eq!(decoded.text, "name\n");
        assert_eq!(decoded.encoding, UTF_8);
        assert_eq!(decoded.bom_len, 3);
    }

    #[test]
    fn utf16_without_bom_is_recognised_from_nul_bytes() {
        let be: Vec<u8> = "BEGIN:VCARD\r\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let le: Vec<u8> = "name,email\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&be, None).encoding, UTF_16BE);
        assert_eq!(decode(&be, None).text, "BEGIN:VCARD\r\n");
        assert_eq!(decode(&le, None).encoding, UTF_16LE);
    }

    #[test]
    fn invalid_utf8_without_multibyte_text_falls_back_to_windows_1252() {
        let decoded = decode(b"name\nRen\xe9\n", None);
        assert_eq!(decoded.encoding, WINDOWS_1252);
        assert_eq!(decoded.text, "name\nRené\n");
        assert!(decoded.warnings.is_empty());
    }

    #[test]
    fn mostly_utf8_with_broken_bytes_is_replaced_and_counted() {
        let decoded = decode("name\nRené\nZoë\nX\u{e9}".as_bytes(), None);
        assert!(decoded.warnings.is_empty());
        let decoded = decode(b"name\nRen\xc3\xa9\nZo\xc3\xab\nbad\xfd\xfd\xfd\n", None);
        assert_eq!(decoded.encoding, UTF_8);
        assert_eq!(
            decoded.text,
            "name\nRené\nZoë\nbad\u{FFFD}\u{FFFD}\u{FFFD}\n"
        );
        assert_eq!(
            decoded.warnings,
            vec!["3 bytes did not decode as utf-8 and were replaced (first at line 4)"]
        );
    }

    #[test]
    fn the_first_broken_byte_is_placed_on_its_line_counting_lone_carriage_returns() {
        let decoded = decode(b"name\rRen\xc3\xa9\r\nbad\xfd\n", None);
        assert_eq!(decoded.encoding, UTF_8);
        assert_eq!(
            decoded.warnings,
            vec!["1 byte did not decode as utf-8 and was replaced (first at line 3)"]
        );
        let decoded = decode(b"name\rbad\x81\n", Some(encoding_rs::SHIFT_JIS));
        assert_eq!(
            decoded.warnings,
            vec!["1 character did not decode as shift_jis and was replaced (first at line 2)"]
        );
    }

    #[test]
    fn forced_encoding_wins_over_the_guess() {
        let decoded = decode(b"Iksi\xf1ski", Some(encoding_rs::ISO_8859_2));
        assert_eq!(decoded.text, "Iksiński");
    }

    #[test]
    fn encoding_labels_are_looked_up_case_insensitively() {
        assert_eq!(parse_encoding_label("UTF-16LE"), Some(UTF_16LE));
        assert_eq!(parse_encoding_label("latin1"), Some(WINDOWS_1252));
        assert_eq!(parse_encoding_label("cp1252"), Some(WINDOWS_1252));
        assert_eq!(parse_encoding_label("klingon"), None);
        assert_eq!(lowercase_name(UTF_16LE), "utf-16le");
        assert_eq!(lowercase_name(encoding_rs::SHIFT_JIS), "shift_jis");
    }

    proptest! {
        #[test]
        fn decoding_is_total(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let decoded = decode(&bytes, None);
            prop_assert!(decoded.bom_len <= bytes.len());
            prop_assert!(decoded.text.len() <= bytes.len() * 3 + 3);
        }
    }
}
