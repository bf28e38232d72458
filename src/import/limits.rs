//! What a row's texts may be, checked once for every format: no control characters (they
//! are removed, counted and warned about: they would reach terminals and logs as they are),
//! and no text longer than a person's data plausibly is (a line problem with its line, as
//! any bad cell: an unbounded name slows every search of people and proves nothing).

use super::{ContactRow, LineProblem, ParsedFile};

/// The longest name, company or title kept, in characters.
pub const MAX_TEXT: usize = 300;
/// The longest email: RFC 5321's limit on a path.
pub const MAX_EMAIL: usize = 254;
/// The longest profile URL.
pub const MAX_URL: usize = 2048;

/// Whether a character is a control character (C0, DEL or C1); tabs and line breaks too,
/// since a name or title never holds one.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// `text` without control characters; whether any were removed.
pub fn without_controls(text: &str) -> (String, bool) {
    if !text.chars().any(is_control) {
        return (text.to_string(), false);
    }
    let cleaned: String = text.chars().filter(|&c| !is_control(c)).collect();
    (
        cleaned.split_whitespace().collect::<Vec<_>>().join(" "),
        true,
    )
}

/// Removes control characters from every row's texts (counted in
/// `parsed.controls_removed`) and moves rows with over-long texts to the problems.
pub(crate) fn enforce(parsed: &mut ParsedFile) {
    let mut removed = 0usize;
    let mut problems = Vec::new();
    parsed.rows.retain_mut(|row| {
        removed += clean(row);
        match too_long(row) {
            Some(problem) => {
                problems.push(problem);
                false
            }
            None => true,
        }
    });
    parsed.controls_removed += removed;
    parsed.problems.extend(problems);
    parsed
        .problems
        .sort_by_key(|problem| (problem.line, problem.column));
}

/// Removes control characters from a row's texts; how many texts held some.
fn clean(row: &mut ContactRow) -> usize {
    let mut count = 0;
    let mut fix = |text: &mut String| {
        let (cleaned, changed) = without_controls(text);
        if changed {
            *text = cleaned;
            count += 1;
        }
    };
    fix(&mut row.name);
    for text in [
        &mut row.company,
        &mut row.department,
        &mut row.title,
        &mut row.owner_email,
    ]
    .into_iter()
    .flatten()
    {
        fix(text);
    }
    // A name that was only control characters is no name: keep the row's place visible.
    if row.name.is_empty() {
        row.name = "(no name)".to_string();
    }
    count
}

/// The first text of a row that is too long, as a problem of its line.
fn too_long(row: &ContactRow) -> Option<LineProblem> {
    let over = |what: &str, text: &str, limit: usize| {
        let length = text.chars().count();
        (length > limit).then(|| LineProblem {
            line: row.line,
            column: 1,
            message: format!("{what} is {length} characters long; at most {limit} are kept"),
            last_line: None,
        })
    };
    over("name", &row.name, MAX_TEXT)
        .or_else(|| {
            row.company
                .as_deref()
                .and_then(|c| over("company", c, MAX_TEXT))
        })
        .or_else(|| {
            row.department
                .as_deref()
                .and_then(|d| over("department", d, MAX_TEXT))
        })
        .or_else(|| {
            row.title
                .as_deref()
                .and_then(|t| over("title", t, MAX_TEXT))
        })
        .or_else(|| {
            row.emails
                .iter()
                .find_map(|email| over("an email", email, MAX_EMAIL))
        })
        .or_else(|| {
            row.profile_url
                .as_deref()
                .and_then(|url| over("the profile URL", url, MAX_URL))
        })
}

/// The warning for texts whose control characters were removed.
pub(crate) fn controls_warning(count: usize) -> String {
    format!(
        "{count} text(s) held control characters (escape codes, NUL, bell...); they were removed"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_whitespace_stays_single() {
        assert_eq!(
            without_controls("Ann\u{1b}[31m Lee\u{0}\u{7}"),
            ("Ann[31m Lee".to_string(), true)
        );
        assert_eq!(without_controls("Ann Lee"), ("Ann Lee".to_string(), false));
        assert_eq!(without_controls("A\tB"), ("AB".to_string(), true));
    }
}
