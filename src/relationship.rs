//! The relationship vocabulary of DESIGN.md, shared by the `relationship` parameter,
//! a file's `relationship` column, Google labels and the strength formula.
//!
//! It owns parsing words into [`Relationship`]; it does not decide what a relationship is
//! worth (that is `strength`).

use std::fmt;
use std::str::FromStr;

/// How the owner of a list knows a contact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    Family,
    Friend,
    Professor,
    Mentor,
    Colleague,
    Classmate,
    Acquaintance,
    Other,
}

impl Relationship {
    /// Every relationship, in the order DESIGN lists them.
    pub const ALL: [Relationship; 8] = [
        Relationship::Family,
        Relationship::Friend,
        Relationship::Professor,
        Relationship::Mentor,
        Relationship::Colleague,
        Relationship::Classmate,
        Relationship::Acquaintance,
        Relationship::Other,
    ];

    /// The canonical lowercase word.
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Family => "family",
            Relationship::Friend => "friend",
            Relationship::Professor => "professor",
            Relationship::Mentor => "mentor",
            Relationship::Colleague => "colleague",
            Relationship::Classmate => "classmate",
            Relationship::Acquaintance => "acquaintance",
            Relationship::Other => "other",
        }
    }

    /// Parses a word or an obvious synonym ("coworker", "mom", "Family"), case-insensitively.
    ///
    /// Returns `None` for anything outside the vocabulary; callers turn that into an error
    /// for the line or parameter.
    pub fn parse(text: &str) -> Option<Relationship> {
        // The canonical words (as the store keeps them) without allocating.
        if let Some(known) = Relationship::ALL
            .into_iter()
            .find(|known| known.as_str() == text)
        {
            return Some(known);
        }
        let word: String = text
            .trim()
            .trim_start_matches("* ")
            .chars()
            .map(|c| {
                if c == '_' || c == '-' {
                    ' '
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = match word.as_str() {
            "family" | "relative" | "relatives" | "mom" | "mother" | "mum" | "dad" | "father"
            | "parent" | "parents" | "sister" | "brother" | "sibling" | "aunt" | "uncle"
            | "cousin" | "grandmother" | "grandfather" | "grandma" | "grandpa" | "son"
            | "daughter" | "spouse" | "wife" | "husband" | "partner" | "niece" | "nephew"
            | "in law" | "family member" => Relationship::Family,
            "friend" | "friends" | "close friend" | "best friend" | "buddy" | "pal" => {
                Relationship::Friend
            }
            "professor" | "prof" | "teacher" | "lecturer" | "instructor" | "advisor"
            | "adviser" | "academic advisor" | "tutor" | "faculty" => Relationship::Professor,
            "mentor" | "coach" | "sponsor" | "mentors" => Relationship::Mentor,
            "colleague" | "colleagues" | "coworker" | "coworkers" | "co worker" | "co workers"
            | "workmate" | "work" | "manager" | "boss" | "teammate" | "team mate"
            | "former colleague" | "peer" => Relationship::Colleague,
            "classmate" | "classmates" | "schoolmate" | "alumni" | "alumnus" | "alumna"
            | "fellow student" | "school" | "college" | "university" | "batchmate" => {
                Relationship::Classmate
            }
            "acquaintance" | "acquaintances" | "contact" | "connection" | "met once"
            | "networking" => Relationship::Acquaintance,
            "other" | "others" => Relationship::Other,
            _ => return None,
        };
        Some(found)
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a word outside the relationship vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown relationship {0:?}: expected one of family, friend, professor, mentor, colleague, classmate, acquaintance, other"
)]
pub struct UnknownRelationship(pub String);

impl FromStr for Relationship {
    type Err = UnknownRelationship;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Relationship::parse(text).ok_or_else(|| UnknownRelationship(text.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_word_parses_to_itself() {
        for relationship in Relationship::ALL {
            assert_eq!(
                Relationship::parse(relationship.as_str()),
                Some(relationship)
            );
        }
    }

    #[test]
    fn synonyms_map_onto_the_vocabulary() {
        assert_eq!(
            Relationship::parse("Coworker"),
            Some(Relationship::Colleague)
        );
        assert_eq!(Relationship::parse(" mom "), Some(Relationship::Family));
        assert_eq!(Relationship::parse("* Family"), Some(Relationship::Family));
        assert_eq!(
            Relationship::parse("co-worker"),
            Some(Relationship::Colleague)
        );
    }

    #[test]
    fn unknown_words_are_refused_with_the_word_in_the_message() {
        let error = "nemesis".parse::<Relationship>().unwrap_err();
        assert!(error.to_string().contains("\"nemesis\""));
    }
}
