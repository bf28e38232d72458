//! The shapes of text the API accepts: one regular expression or word list per kind of
//! value, used twice — by the OpenAPI document (as `pattern` or `enum`) and by the handlers
//! (to refuse anything else with a 400). So the document and the server accept exactly the
//! same strings, which is what schemathesis checks both ways.
//!
//! The patterns use only syntax that ECMA-262, Python's `re` and `regex-lite` read alike:
//! ASCII classes, `\xHH`, groups and counted repeats.

use std::sync::OnceLock;

use regex_lite::Regex;

use super::problem::Problem;
use crate::identity::PersonRef;
use crate::import::ENCODINGS;
use crate::import::{Format, parse_encoding_label};
use crate::relationship::Relationship;

const EMAIL: &str = r"[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+";
const PROFILE_URL: &str =
    r#"(?:https?://|HTTPS?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/+[!"$-.0->@-~][!-~]*"#;

/// `me`, a person id, an email or a profile URL (`from`, `to`, `owner`, a tie's ends).
pub fn person_ref_pattern() -> String {
    format!("^(?:[Mm][Ee]|[0-9]{{1,18}}|{EMAIL}|{PROFILE_URL})$")
}

/// `me` or a person id: the `{id}` of the people routes.
pub const PERSON_ID: &str = "^(?:[Mm][Ee]|[0-9]{1,18})$";

/// An email address (ASCII) as `PATCH /v1/people/{id}` takes it.
pub fn email_pattern() -> String {
    format!("^{EMAIL}$")
}

/// A `next_cursor` handed out by a list.
pub const CURSOR: &str = "^[0-9]{1,18}$";

/// A name: no control characters (C0, DEL or C1) and at least one visible character
/// (one that is neither a control nor Unicode white space, listed so that every regex
/// dialect a client uses reads the same set).
pub const NAME: &str = concat!(
    r"^[^\x00-\x1f\x7f-\x9f]*",
    r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
    r"[^\x00-\x1f\x7f-\x9f]*$"
);

/// A title or company: no control characters (C0, DEL or C1); empty clears it.
pub const TEXT: &str = r"^[^\x00-\x1f\x7f-\x9f]*$";

/// A multi-line text (a draft's body): no control characters but line breaks and tabs.
pub const MULTILINE: &str = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$";

/// Refuses a multi-line text longer than `limit` characters, or holding control characters
/// other than line breaks (`\n`, `\r`) and tabs.
///
/// # Errors
/// 400 naming `what`.
pub fn multiline_within(what: &str, text: &str, limit: usize) -> Result<(), Problem> {
    let length = text.chars().count();
    if length > limit {
        return Err(Problem::bad_request(format!(
            "{what} is {length} characters long; at most {limit}"
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Problem::bad_request(format!(
            "{what} holds control characters other than line breaks and tabs"
        )));
    }
    Ok(())
}

/// Reads a date, `YYYY-MM-DD`.
///
/// # Errors
/// 400 naming `what`.
pub fn date(what: &str, text: &str) -> Result<chrono::NaiveDate, Problem> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        Problem::bad_request(format!("{what}: {text:?} is not a date like 2026-05-31"))
    })
}

/// The encodings an upload may name: `auto` (guess), then the import's list.
pub fn encodings() -> Vec<&'static str> {
    std::iter::once("auto")
        .chain(crate::import::ENCODINGS.iter().copied())
        .collect()
}

/// The formats an upload may name (`auto` detects it from the header).
pub fn formats() -> Vec<String> {
    let mut names = vec!["auto".to_string(), "native".to_string()];
    names.extend(Format::ALL.iter().map(|format| format.as_str().to_string()));
    names
}

/// The relationship words of the schema: the vocabulary itself. Obvious synonyms
/// ("coworker", "mom") are accepted beyond it, as DESIGN asks.
pub fn relationships() -> Vec<String> {
    Relationship::ALL
        .iter()
        .map(|relationship| relationship.as_str().to_string())
        .collect()
}

fn compiled(slot: &'static OnceLock<Regex>, pattern: impl FnOnce() -> String) -> &'static Regex {
    slot.get_or_init(|| {
        // The patterns are constants checked by the unit tests below.
        #[allow(clippy::unwrap_used)]
        Regex::new(&pattern()).unwrap()
    })
}

fn person_ref_regex() -> &'static Regex {
    static SLOT: OnceLock<Regex> = OnceLock::new();
    compiled(&SLOT, person_ref_pattern)
}

/// Reads `me`, a person id, an email or a profile URL given as `name`.
///
/// # Errors
/// 400 when the text has none of those shapes.
pub fn person_ref(name: &str, text: &str) -> Result<PersonRef, Problem> {
    let refused = || {
        Problem::bad_request(format!(
            "{name}: {text:?} is not `me`, a person id, an email or a profile URL"
        ))
    };
    if !person_ref_regex().is_match(text) {
        return Err(refused());
    }
    PersonRef::parse(text).map_err(|_| refused())
}

/// Refuses a text longer than `limit` characters, or holding control characters.
///
/// # Errors
/// 400 naming `what`.
pub fn text_within(what: &str, text: Option<&str>, limit: usize) -> Result<(), Problem> {
    let Some(text) = text else {
        return Ok(());
    };
    let length = text.chars().count();
    if length > limit {
        return Err(Problem::bad_request(format!(
            "{what} is {length} characters long; at most {limit}"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Problem::bad_request(format!(
            "{what} holds control characters"
        )));
    }
    Ok(())
}

/// Reads the `{id}` of a people route: `me` or a person id.
///
/// # Errors
/// 400 for anything else.
pub fn person_id(text: &str) -> Result<PersonRef, Problem> {
    static SLOT: OnceLock<Regex> = OnceLock::new();
    if !compiled(&SLOT, || PERSON_ID.to_string()).is_match(text) {
        return Err(Problem::bad_request(format!(
            "{text:?} is not `me` or a person id"
        )));
    }
    PersonRef::parse(text).map_err(|error| Problem::bad_request(error.to_string()))
}

/// Checks emails for a correction.
///
/// # Errors
/// 400 naming the first that is not an email.
pub fn emails(emails: &[String]) -> Result<(), Problem> {
    static SLOT: OnceLock<Regex> = OnceLock::new();
    let regex = compiled(&SLOT, email_pattern);
    match emails.iter().find(|email| !regex.is_match(email)) {
        Some(bad) => Err(Problem::bad_request(format!(
            "emails: {bad:?} is not an email"
        ))),
        None => Ok(()),
    }
}

/// Checks a name for a correction.
///
/// # Errors
/// 400 for an empty name or one with control characters.
pub fn name(name: &str) -> Result<(), Problem> {
    static SLOT: OnceLock<Regex> = OnceLock::new();
    if compiled(&SLOT, || NAME.to_string()).is_match(name) {
        Ok(())
    } else {
        Err(Problem::bad_request(
            "name must have a visible character and no control characters",
        ))
    }
}

/// Reads a page cursor.
///
/// # Errors
/// 400 for text that no list handed out.
pub fn cursor(text: &str) -> Result<i64, Problem> {
    static SLOT: OnceLock<Regex> = OnceLock::new();
    compiled(&SLOT, || CURSOR.to_string())
        .is_match(text)
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            Problem::bad_request(format!("{text:?} is not a cursor from a previous page"))
        })
}

/// Reads an upload's `encoding`: `None` for `auto`.
///
/// # Errors
/// 400 for a label outside [`encodings`].
pub fn encoding(label: &str) -> Result<Option<&'static encoding_rs::Encoding>, Problem> {
    if label.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    let known = ENCODINGS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(label));
    match known {
        Some(known) => Ok(parse_encoding_label(known)),
        None => Err(Problem::bad_request(format!(
            "unknown encoding {label:?}: use auto or one of {}",
            ENCODINGS.join(", ")
        ))),
    }
}

/// Reads an upload's `format`: `None` for `auto`.
///
/// # Errors
/// 400 for a name outside [`formats`].
pub fn format(name: &str) -> Result<Option<Format>, Problem> {
    if name.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    match Format::parse(name) {
        Some(format) if name.trim() == name => Ok(Some(format)),
        _ => Err(Problem::bad_request(format!(
            "unknown format {name:?}: use one of {}",
            formats().join(", ")
        ))),
    }
}

/// Reads a relationship word or synonym.
///
/// # Errors
/// 400 for a word outside the vocabulary.
pub fn relationship(word: &str) -> Result<Relationship, Problem> {
    word.parse::<Relationship>()
        .map_err(|error| Problem::bad_request(format!("relationship: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_accepts_what_the_domain_reads() {
        for text in [
            "me",
            "ME",
            "42",
            "ann@example.com",
            "Ann.O'Neil+x@mail.example.co.uk",
            "linkedin.com/in/ann",
            "https://www.linkedin.com/in/ann/?trk=x",
            "HTTP://example.org/people/ann#top",
        ] {
            assert!(person_ref("from", text).is_ok(), "{text}");
        }
        for text in [
            "",
            " me",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "example.com",
            "example.com/",
            "x/y",
            "1234567890123456789",
        ] {
            assert!(person_ref("from", text).is_err(), "{text:?}");
        }
        assert!(person_id("me").is_ok() && person_id("7").is_ok());
        assert!(person_id("ann@example.com").is_err());
        assert!(name("Ann").is_ok() && name(" Ann ").is_ok());
        assert!(name("").is_err() && name("  ").is_err() && name("A\u{1}").is_err());
        assert!(name("x\u{96}").is_err() && name("Zo\u{eb}").is_ok());
        assert_eq!(cursor("12").ok(), Some(12));
        assert!(cursor("").is_err() && cursor("-1").is_err());
    }

    /// The schema's patterns say what `text_within` and `name` check, so a client that
    /// follows openapi.yaml is never refused for a control character it could not know of.
    #[test]
    fn the_patterns_refuse_exactly_the_control_characters() {
        let text = Regex::new(TEXT).unwrap();
        let named = Regex::new(NAME).unwrap();
        let multiline = Regex::new(MULTILINE).unwrap();
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let alone = c.to_string();
            let inside = format!("A{c}B");
            assert_eq!(text.is_match(&inside), !c.is_control(), "{c:?}");
            assert_eq!(
                text_within("title", Some(&inside), 300).is_ok(),
                !c.is_control(),
                "{c:?}"
            );
            assert_eq!(named.is_match(&inside), !c.is_control(), "{c:?}");
            assert_eq!(name(&inside).is_ok(), !c.is_control(), "{c:?}");
            let allowed = !c.is_control() || matches!(c, '\n' | '\r' | '\t');
            assert_eq!(multiline.is_match(&inside), allowed, "{c:?}");
            assert_eq!(
                multiline_within("body", &inside, 300).is_ok(),
                allowed,
                "{c:?}"
            );
            let visible = !c.is_control() && !c.is_whitespace();
            assert_eq!(name(&alone).is_ok(), visible, "{c:?}");
            assert_eq!(name(&format!(" {c}\u{3000}")).is_ok(), visible, "{c:?}");
        }
    }

    #[test]
    fn every_listed_encoding_and_format_is_understood() {
        for label in ENCODINGS {
            assert!(
                matches!(encoding(label), Ok(Some(_))),
                "encoding_rs does not know {label}"
            );
        }
        assert!(matches!(encoding("AUTO"), Ok(None)));
        assert!(encoding("latin1").is_err());
        for name in formats().iter().skip(1) {
            assert!(matches!(format(name), Ok(Some(_))), "{name}");
        }
        assert!(format("spreadsheet").is_err());
    }
}
