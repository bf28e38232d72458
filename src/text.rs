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
    // Lowercase before decomposing (a lowercase letter can decompose into a base and a mark:
    // İ → i̇), and again after (a compatibility form can decompose into capitals: ㎒ → MHz).
    let lowered: String = text.chars().flat_map(char::to_lowercase).collect();
    for c in lowered.nfkd().flat_map(char::to_lowercase) {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'ß' => {
                push_word_char(&mut folded, &mut pending_space, 's');
                's'
            }
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            'æ' => {
                push_word_char(&mut folded, &mut pending_space, 'a');
                'e'
            }
            'œ' => {
                push_word_char(&mut folded, &mut pending_space, 'o');
                'e'
            }
            other => other,
        };
        if c.is_alphanumeric() {
            push_word_char(&mut folded, &mut pending_space, c);
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
        assert_eq!(fold("GROẞE"), "grosse");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    proptest! {
        #[test]
        fn folding_twice_changes_nothing(text in any::<String>()) {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once);
        }
    }
}
