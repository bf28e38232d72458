//! Text folding shared by identity resolution and target filters.
//!
//! It owns one notion of "the same text, ignoring case, accents and punctuation"; it does
//! not know about names, companies or fields.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for comparison: lowercase, accents removed, every run of characters that
/// are not letters or digits turned into one space, trimmed.
///
/// Folding twice changes nothing: `fold(&fold(x)) == fold(x)`.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'ß' => {
                push_word_char(&mut folded, &mut pending_space, 's');
                's'
            }
            'ø' | 'Ø' => 'o',
            'ł' | 'Ł' => 'l',
            'đ' | 'Đ' => 'd',
            'æ' | 'Æ' => {
                push_word_char(&mut folded, &mut pending_space, 'a');
                'e'
            }
            'œ' | 'Œ' => {
                push_word_char(&mut folded, &mut pending_space, 'o');
                'e'
            }
            other => other,
        };
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                push_word_char(&mut folded, &mut pending_space, lower);
            }
        } else {
            pending_space = !folded.is_empty();
        }
    }
    folded
}

fn push_word_char(folded: &mut String, pending_space: &mut bool, c: char) {
    if *pending_space {
        folded.push(' ');
        *pending_space = false;
    }
    folded.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  José  PEÑA-Díaz, Jr. "), "jose pena diaz jr");
        assert_eq!(fold("Straße & Søn"), "strasse son");
        assert_eq!(fold("J.P. Morgan"), "j p morgan");
        assert_eq!(fold("..."), "");
    }

    proptest! {
        #[test]
        fn folding_twice_changes_nothing(text in any::<String>()) {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once);
        }
    }
}
