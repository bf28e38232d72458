//! Small text rules shared by every format: names, emails, optional cells.

/// Trims and collapses inner whitespace; allocates only the result.
pub(crate) fn clean_name(raw: &str) -> String {
    let trimmed = raw.trim();
    let needs_collapse = trimmed
        .as_bytes()
        .windows(2)
        .any(|pair| pair[0].is_ascii_whitespace() && pair[1].is_ascii_whitespace())
        || trimmed
            .bytes()
            .any(|b| b == b'\t' || b == b'\n' || b == b'\r')
        || trimmed.chars().any(|c| !c.is_ascii() && c.is_whitespace());
    if !needs_collapse {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether a cleaned name has nothing readable in it (empty, or only U+FFFD left by
/// undecodable bytes).
pub(crate) fn is_unreadable(name: &str) -> bool {
    name.chars().all(|c| c == '\u{FFFD}' || c.is_whitespace())
}

/// Joins name parts with single spaces, skipping empty ones.
pub(crate) fn join_name<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    clean_name(&out)
}

/// A trimmed, non-empty cell, else `None`.
pub(crate) fn non_empty(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Exactly one `@` with text on both sides, no whitespace, not an Exchange DN.
pub(crate) fn is_email(candidate: &str) -> bool {
    let Some((local, domain)) = candidate.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !candidate
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == b',' || b == b';')
        && !candidate.starts_with("/o=")
        && !candidate.starts_with("/O=")
}

/// Adds a trimmed address when it looks valid and is not already there (case-insensitive).
/// Returns whether the value was a valid address.
pub(crate) fn push_email(emails: &mut Vec<String>, raw: &str) -> bool {
    let mut candidate = raw.trim();
    if let Some(rest) = candidate
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .and_then(|_| candidate.get(7..))
    {
        candidate = rest;
    }
    if !is_email(candidate) {
        return false;
    }
    if !emails
        .iter()
        .any(|known| known.eq_ignore_ascii_case(candidate))
    {
        emails.push(candidate.to_string());
    }
    true
}

/// The address inside `Jane Doe (jane@example.com)`, as Outlook writes display names.
pub(crate) fn parenthesised_email(display: &str) -> Option<&str> {
    let open = display.rfind('(')?;
    let close = display[open..].find(')')? + open;
    let inner = display[open + 1..close].trim();
    is_email(inner).then_some(inner)
}

/// Whether a URL points at a LinkedIn member profile.
pub(crate) fn is_linkedin_profile(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.contains("linkedin.com/in/") || lower.contains("linkedin.com/pub/")
}

/// A short excerpt of a value for problem messages (never a whole row).
pub(crate) fn shorten(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    let value = value.trim();
    if value.chars().count() <= MAX_CHARS {
        return value.to_string();
    }
    let mut short: String = value.chars().take(MAX_CHARS).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_collapsed() {
        assert_eq!(clean_name("  Priya \t Natarajan  "), "Priya Natarajan");
        assert_eq!(clean_name("Ana"), "Ana");
        assert_eq!(join_name(["Ana", "", " Lopez "]), "Ana Lopez");
    }

    #[test]
    fn emails_need_exactly_one_at_with_text_on_both_sides() {
        assert!(is_email("a@example.com"));
        assert!(!is_email("urn:li:member:12345"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("a@b@example.com"));
        assert!(!is_email(
            "/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=jane"
        ));
        let mut emails = Vec::new();
        assert!(push_email(&mut emails, " Jane@Example.com "));
        assert!(push_email(&mut emails, "jane@example.com"));
        assert!(push_email(&mut emails, "mailto:ann@example.org"));
        assert_eq!(emails, vec!["Jane@Example.com", "ann@example.org"]);
    }

    #[test]
    fn outlook_display_names_yield_their_address() {
        assert_eq!(
            parenthesised_email("Jane Doe (jane@example.com)"),
            Some("jane@example.com")
        );
        assert_eq!(parenthesised_email("Jane Doe"), None);
    }
}
