//! Normal forms of the keys that identify a person: email, profile URL, name, company.
//!
//! Each function is idempotent: normalising a normal form returns it unchanged.

use crate::text::fold;

/// Lowercases and validates an email address; `None` when it does not look like one.
///
/// A valid address has exactly one `@` with text on both sides, a dot in the domain and no
/// white space. A `mailto:` prefix and surrounding `<>` are dropped.
pub fn email(raw: &str) -> Option<String> {
    let lower = raw.trim().to_lowercase();
    let lower = lower.trim_matches(['<', '>', ' ']);
    let lower = lower
        .strip_prefix("mailto:")
        .unwrap_or(lower)
        .trim()
        .to_string();
    let (local, domain) = lower.split_once('@')?;
    let valid = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !lower
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>:;,()\"[]\\".contains(c));
    valid.then_some(lower)
}

/// The domain of a normalised email.
pub fn email_domain(email: &str) -> Option<&str> {
    email.rsplit_once('@').map(|(_, domain)| domain)
}

/// Normalises a profile URL: `https`, lowercase host, `www.linkedin.com` for every LinkedIn
/// host, no query, fragment or trailing slash, and a lowercase LinkedIn vanity slug.
/// `None` when there is no host or path to speak of.
pub fn profile_url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let without_scheme = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .or_else(|| trimmed.strip_prefix("HTTPS://"))
        .or_else(|| trimmed.strip_prefix("HTTP://"))
        .unwrap_or(trimmed);
    let end = without_scheme
        .find(['?', '#'])
        .unwrap_or(without_scheme.len());
    let without_query = without_scheme[..end].trim_end_matches('/');
    let (host, path) = without_query.split_once('/')?;
    // Spaces and slashes around the path are not part of it (and would not survive a
    // second normalisation).
    let path = path.trim().trim_end_matches('/').trim_end();
    let mut host = host.to_lowercase();
    if host.is_empty()
        || !host.contains('.')
        || path.is_empty()
        || host.contains(char::is_whitespace)
    {
        return None;
    }
    let is_linkedin = host == "linkedin.com" || host.ends_with(".linkedin.com");
    let path = if is_linkedin {
        host = "www.linkedin.com".to_string();
        linkedin_path(path)
    } else {
        path.to_string()
    };
    Some(format!("https://{host}/{path}"))
}

/// LinkedIn vanity slugs are case-insensitive; opaque member ids (`ACoAA…`) are not.
fn linkedin_path(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    match segments.as_slice() {
        [kind, slug, ..] if kind.eq_ignore_ascii_case("in") || kind.eq_ignore_ascii_case("pub") => {
            let slug = if slug.starts_with("ACo") {
                slug.to_string()
            } else {
                slug.to_lowercase()
            };
            format!("in/{slug}")
        }
        _ => segments.join("/").to_lowercase(),
    }
}

const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
];
const CREDENTIALS: &[&str] = &[
    "phd", "md", "mba", "cfa", "cpa", "jr", "sr", "ii", "iii", "iv", "esq", "jd", "msc", "bsc",
    "ma", "ba", "pe", "pmp", "frm", "acca", "aca", "rn", "dds", "llm",
];

/// Folds a person's name for matching: case, accents and punctuation folded, leading
/// honorifics and trailing credentials (`Dr.`, `, PhD`, `Jr.`) dropped.
pub fn name(raw: &str) -> String {
    let folded = fold(raw);
    let mut words: Vec<&str> = folded.split(' ').filter(|word| !word.is_empty()).collect();
    while words.len() > 1 && HONORIFICS.contains(&words[0]) {
        words.remove(0);
    }
    while words.len() > 1 && words.last().is_some_and(|word| CREDENTIALS.contains(word)) {
        words.pop();
    }
    words.join(" ")
}

/// Legal forms that end company names ("Inc.", "GmbH", "LLP"), folded: one list for
/// identity (matching companies) and the taxonomy (looking companies up).
#[rustfmt::skip]
pub const LEGAL_FORMS: &[&str] = &[
    "inc", "incorporated", "llc", "ltd", "limited", "plc", "corp", "corporation", "co",
    "company", "gmbh", "ag", "sa", "sas", "srl", "bv", "nv", "llp", "lp", "lllp", "pllc", "pc",
    "oy", "ab", "as", "spa", "kg", "kk", "pty", "pvt",
];

/// Words that end a company name without telling companies apart, for matching ("Acme
/// Group" and "Acme" are one employer).
const CORPORATE_WORDS: &[&str] = &["group"];

/// Folds a company name for matching: case, accents and punctuation folded, a leading
/// "the" and trailing legal forms (`Inc.`, `GmbH`, `& Co.`) dropped.
pub fn company(raw: &str) -> String {
    let folded = fold(raw);
    let mut words: Vec<&str> = folded.split(' ').filter(|word| !word.is_empty()).collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    while words.len() > 1
        && words
            .last()
            .is_some_and(|word| LEGAL_FORMS.contains(word) || CORPORATE_WORDS.contains(word))
    {
        words.pop();
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_lowercased_and_validated() {
        assert_eq!(
            email(" Dana.Ortiz@GS.com "),
            Some("dana.ortiz@gs.com".to_string())
        );
        assert_eq!(email("mailto:a@b.org"), Some("a@b.org".to_string()));
        assert_eq!(email("urn:li:member:12345"), None);
        assert_eq!(email("a@b"), None);
        assert_eq!(email("a@@b.com"), None);
        assert_eq!(email("two words@b.com"), None);
    }

    #[test]
    fn linkedin_urls_in_every_spelling_normalise_to_one_form() {
        let expected = Some("https://www.linkedin.com/in/jane-doe-1a2b3c".to_string());
        assert_eq!(
            profile_url("https://www.linkedin.com/in/jane-doe-1a2b3c"),
            expected
        );
        assert_eq!(
            profile_url("http://linkedin.com/in/Jane-Doe-1a2b3c/"),
            expected
        );
        assert_eq!(
            profile_url("uk.linkedin.com/in/jane-doe-1a2b3c?trk=x"),
            expected
        );
        assert_eq!(
            profile_url("https://www.linkedin.com/in/ACoAAB12xyz"),
            Some("https://www.linkedin.com/in/ACoAAB12xyz".to_string())
        );
        assert_eq!(profile_url("not a url"), None);
    }

    #[test]
    fn names_fold_honorifics_and_credentials() {
        assert_eq!(name("Dr. José Peña, PhD"), "jose pena");
        assert_eq!(name("SMITH,  John  Jr."), "smith john");
        assert_eq!(name("Dr"), "dr");
    }

    #[test]
    fn companies_fold_legal_forms() {
        assert_eq!(company("Acme, Inc."), "acme");
        assert_eq!(company("ACME Inc"), "acme");
        assert_eq!(company("The Goldman Sachs Group, Inc."), "goldman sachs");
        assert_eq!(company("Müller GmbH & Co. KG"), "muller");
    }

    #[test]
    fn spaces_and_slashes_around_a_url_path_are_not_part_of_it() {
        assert_eq!(profile_url("./ /"), None);
        for raw in ["x.com/abc/ ", "x.com/abc / /", "https://x.com/abc  "] {
            let once = profile_url(raw).unwrap();
            assert_eq!(once, "https://x.com/abc", "{raw}");
            assert_eq!(profile_url(&once), Some(once.clone()));
        }
    }

    proptest! {
        #[test]
        fn normalising_twice_changes_nothing(text in any::<String>()) {
            let once = name(&text);
            prop_assert_eq!(name(&once), once);
            let once = company(&text);
            prop_assert_eq!(company(&once), once);
            if let Some(once) = email(&text) {
                prop_assert_eq!(email(&once), Some(once.clone()));
            }
            if let Some(once) = profile_url(&text) {
                prop_assert_eq!(profile_url(&once), Some(once.clone()));
            }
        }
    }
}
