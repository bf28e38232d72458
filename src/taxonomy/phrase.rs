//! Word-bounded phrase matching over normalised text: one Aho-Corasick automaton per table, built once.
//!
//! The automaton reports every occurrence (overlapping); occurrences that do not start and end on a word
//! boundary are dropped, then the leftmost-longest non-overlapping ones are kept. Filtering before
//! choosing means "cfo" inside "cfoo" can never hide a real match next to it.

use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

/// One kept occurrence of a phrase: byte span in the searched text and the phrase's payload index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhraseMatch {
    pub start: usize,
    pub end: usize,
    pub payload: usize,
}

/// A table of normalised phrases, each carrying a payload of type `T`.
pub(crate) struct PhraseMatcher<T> {
    automaton: AhoCorasick,
    payloads: Vec<T>,
}

impl<T> PhraseMatcher<T> {
    /// Build from (normalised phrase, payload) pairs; the first payload of a repeated phrase wins.
    pub fn new(pairs: Vec<(String, T)>) -> Result<Self, aho_corasick::BuildError> {
        let mut seen: HashMap<String, ()> = HashMap::with_capacity(pairs.len());
        let mut phrases = Vec::with_capacity(pairs.len());
        let mut payloads = Vec::with_capacity(pairs.len());
        for (phrase, payload) in pairs {
            if phrase.is_empty() || seen.insert(phrase.clone(), ()).is_some() {
                continue;
            }
            phrases.push(phrase);
            payloads.push(payload);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&phrases)?;
        Ok(PhraseMatcher {
            automaton,
            payloads,
        })
    }

    /// The payload of a match.
    pub fn payload(&self, found: &PhraseMatch) -> &T {
        &self.payloads[found.payload]
    }

    /// Leftmost-longest, non-overlapping, word-bounded matches in `text` (normalised), in text order.
    pub fn find(&self, text: &str) -> Vec<PhraseMatch> {
        let bytes = text.as_bytes();
        let mut found: Vec<PhraseMatch> = self
            .automaton
            .find_overlapping_iter(text)
            .filter(|m| {
                (m.start() == 0 || bytes[m.start() - 1] == b' ')
                    && (m.end() == bytes.len() || bytes[m.end()] == b' ')
            })
            .map(|m| PhraseMatch {
                start: m.start(),
                end: m.end(),
                payload: m.pattern().as_usize(),
            })
            .collect();
        found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut kept: Vec<PhraseMatch> = Vec::with_capacity(found.len());
        for candidate in found {
            if kept.last().is_none_or(|last| candidate.start >= last.end) {
                kept.push(candidate);
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(phrases: &[&str]) -> PhraseMatcher<usize> {
        PhraseMatcher::new(
            phrases
                .iter()
                .enumerate()
                .map(|(i, p)| (p.to_string(), i))
                .collect(),
        )
        .unwrap()
    }

    fn matched<'t>(m: &PhraseMatcher<usize>, text: &'t str) -> Vec<&'t str> {
        m.find(text).iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn the_longest_phrase_wins_at_a_position() {
        let m = matcher(&["architect", "software architect", "software"]);
        assert_eq!(
            matched(&m, "senior software architect"),
            vec!["software architect"]
        );
    }

    #[test]
    fn matches_respect_word_boundaries() {
        let m = matcher(&["cfo", "tax"]);
        assert_eq!(matched(&m, "cfoo taxi tax"), vec!["tax"]);
    }

    #[test]
    fn adjacent_phrases_are_all_found() {
        let m = matcher(&["software engineer", "investment banking"]);
        assert_eq!(
            matched(&m, "software engineer investment banking"),
            vec!["software engineer", "investment banking"]
        );
    }
}
