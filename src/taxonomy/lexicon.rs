//! The words of every vocabulary the taxonomy holds, by stem: which fields the phrases containing a word
//! name. The resolver's last resort for a word no synonym lists ("brewery", "lobbying", "shipyards"): the
//! field most phrases holding the word agree on, when they agree clearly enough.
//!
//! Weights say how directly a source names a field: a hand-written synonym or field name names it outright,
//! an industry title (NAICS) names an industry, and an occupation title names a job that may sit in any
//! industry ("music teacher"), so it counts least.

use super::normalize::stem_key;
use super::tables::Tables;
use super::{FieldIdx, Taxonomy};
use std::collections::HashMap;

/// Words that carry no field in any vocabulary phrase.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "and", "or", "of", "the", "a", "an", "for", "in", "on", "at", "to", "by", "with", "except", "other",
    "all", "general", "services", "service", "related", "activities", "support", "offices", "office",
    // Words about the job rather than its field: "remote work", "part time", "high paying jobs".
    "remote", "part", "parts", "time", "full", "hiring", "hire", "hired", "good", "best", "big",
    "small", "large", "high", "low", "paying", "paid", "pay", "local", "global", "international",
    "national", "senior", "junior", "top", "new", "old", "young", "first", "main", "major", "home",
    "online", "side", "extra", "free", "easy", "hard", "entry", "level", "career", "careers",
];

/// Per source weight of one phrase.
const SYNONYM_WEIGHT: f32 = 3.0;
const INDUSTRY_WEIGHT: f32 = 2.0;
const OCCUPATION_WEIGHT: f32 = 1.0;

/// A share at or above this is a clear answer.
const CLEAR_SHARE: f32 = 0.6;
/// A word needs at least this much weight behind it to decide anything (three occupation titles, or one
/// synonym).
const MIN_WEIGHT: f32 = 3.0;

#[derive(Default)]
pub(crate) struct Lexicon {
    /// Stem → weight per field, a field's weight counting only phrases naming exactly that field.
    words: HashMap<String, Vec<(FieldIdx, f32)>>,
    /// Every content word of the vocabularies as written, in order, for spelling corrections.
    spellings: Vec<String>,
}

/// The words of a phrase or query that can say something about a field.
fn content_words<'a>(words: impl Iterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    words.filter(|w| w.len() >= 3 && !STOP.contains(w))
}

impl Lexicon {
    /// The synonyms, industry titles and occupation titles of the tables, each in key order so
    /// the sums, and so every answer, are the same in every process.
    pub(crate) fn build(tables: &Tables) -> Lexicon {
        let mut lexicon = Lexicon::default();
        // Titles repeat their words: stem each distinct word once.
        let mut stems: HashMap<String, String> = HashMap::new();
        let mut synonyms: Vec<(&String, &Vec<FieldIdx>)> = tables
            .synonyms
            .iter()
            .map(|(k, s)| (k, &s.fields))
            .collect();
        synonyms.sort();
        for (key, fields) in synonyms {
            lexicon.add(&mut stems, key, fields, SYNONYM_WEIGHT);
        }
        for (title, fields) in &tables.industries {
            lexicon.add(&mut stems, title, fields, INDUSTRY_WEIGHT);
        }
        let mut occupations: Vec<(&String, FieldIdx)> = tables
            .occupations
            .iter()
            .map(|(k, (f, _))| (k, *f))
            .collect();
        occupations.sort();
        for (title, field) in occupations {
            lexicon.add(&mut stems, title, &[field], OCCUPATION_WEIGHT);
        }
        lexicon.spellings = stems.into_keys().collect();
        lexicon.spellings.sort();
        lexicon
    }

    /// Whether a word (or a word with its stem) is in some vocabulary.
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.spellings
            .binary_search_by(|w| w.as_str().cmp(word))
            .is_ok()
            || self.words.contains_key(&stem_key(word))
    }

    /// The vocabulary word a misspelt word most likely means: the nearest by edit distance (one edit
    /// for words of five to eight letters, two for longer ones, none for shorter), the weightiest of
    /// equally near ones, never changing the first letter. `None` for a known word or when nothing
    /// is near.
    pub(crate) fn spelled(&self, word: &str) -> Option<&str> {
        let allowed = match word.chars().count() {
            0..=4 => return None,
            5..=8 => 1,
            _ => 2,
        };
        if self.knows(word) {
            return None;
        }
        let weight = |w: &str| -> f32 {
            self.words
                .get(&stem_key(w))
                .map_or(0.0, |e| e.iter().map(|(_, w)| w).sum())
        };
        let mut best: Option<(usize, f32, &str)> = None;
        for candidate in &self.spellings {
            // A typo seldom hits the first letter.
            if candidate.len().abs_diff(word.len()) > allowed
                || candidate.as_bytes().first() != word.as_bytes().first()
            {
                continue;
            }
            let distance = strsim::damerau_levenshtein(word, candidate);
            if distance > allowed || best.is_some_and(|(d, _, _)| distance > d) {
                continue;
            }
            let candidate_weight = weight(candidate);
            let better = match best {
                None => true,
                Some((d, w, _)) => distance < d || candidate_weight > w,
            };
            if better {
                best = Some((distance, candidate_weight, candidate));
            }
        }
        best.map(|(_, _, w)| w)
    }

    /// Count every content word of a phrase (normalised text) for the fields it names.
    fn add(
        &mut self,
        stems: &mut HashMap<String, String>,
        phrase: &str,
        fields: &[FieldIdx],
        weight: f32,
    ) {
        if fields.is_empty() {
            return;
        }
        let share = weight / fields.len() as f32;
        for word in content_words(phrase.split(' ')) {
            if !stems.contains_key(word) {
                stems.insert(word.to_string(), stem_key(word));
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for word in content_words(phrase.split(' ')) {
            let stem = stems[word].as_str();
            if seen.contains(&stem) {
                continue;
            }
            seen.push(stem);
            let entry = match self.words.get_mut(stem) {
                Some(entry) => entry,
                None => self.words.entry(stem.to_string()).or_default(),
            };
            for field in fields {
                match entry.iter_mut().find(|(f, _)| f == field) {
                    Some((_, w)) => *w += share,
                    None => entry.push((*field, share)),
                }
            }
        }
    }

    /// The field the content words of a query agree on, most specific when clear, with the words it used.
    pub(crate) fn resolve(
        &self,
        taxonomy: &Taxonomy,
        words: &[&str],
    ) -> Option<(FieldIdx, Vec<String>)> {
        let fields = taxonomy.fields();
        // Per word: share of its weight under each field (a top field holding its sub-fields' weight).
        let mut used = Vec::new();
        let mut scores = vec![1.0f32; fields.len()];
        for word in content_words(words.iter().copied()) {
            let Some(entry) = self.words.get(&stem_key(word)) else {
                continue;
            };
            let total: f32 = entry.iter().map(|(_, w)| w).sum();
            if total < MIN_WEIGHT {
                continue;
            }
            let mut under = vec![0.0f32; fields.len()];
            for (field, weight) in entry {
                under[usize::from(field.0)] += weight;
                if let Some(parent) = fields[usize::from(field.0)].parent {
                    under[usize::from(parent.0)] += weight;
                }
            }
            for (score, weight) in scores.iter_mut().zip(&under) {
                // A little smoothing: a word silent about a field lowers it, never rules it out.
                *score *= (weight / total).max(0.005);
            }
            used.push(word.to_string());
        }
        if used.is_empty() {
            return None;
        }
        let tops = || (0..fields.len()).filter(|i| fields[*i].parent.is_none());
        let sum: f32 = tops().map(|i| scores[i]).sum();
        let best = tops().max_by(|a, b| scores[*a].total_cmp(&scores[*b]))?;
        if scores[best] / sum < CLEAR_SHARE {
            return None;
        }
        let child = (0..fields.len())
            .filter(|i| fields[*i].parent == Some(FieldIdx(best as u8)))
            .max_by(|a, b| scores[*a].total_cmp(&scores[*b]))
            .filter(|c| scores[*c] / scores[best] >= CLEAR_SHARE);
        Some((FieldIdx(child.unwrap_or(best) as u8), used))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(taxonomy: &Taxonomy, id: &str) -> FieldIdx {
        taxonomy.field(id).unwrap()
    }

    #[test]
    fn a_word_the_phrases_agree_on_resolves_and_a_split_one_does_not() {
        let taxonomy = Taxonomy::embedded();
        let mut lexicon = Lexicon::default();
        let mut stems = HashMap::new();
        let farming = idx(taxonomy, "agriculture/farming");
        let food = idx(taxonomy, "agriculture/food-production");
        let finance = idx(taxonomy, "finance");
        let law = idx(taxonomy, "law");
        for phrase in ["grape growers", "grape harvest", "grape farms"] {
            lexicon.add(&mut stems, phrase, &[farming], OCCUPATION_WEIGHT);
        }
        lexicon.add(&mut stems, "grape juice plants", &[food], OCCUPATION_WEIGHT);
        lexicon.add(&mut stems, "bridge loans", &[finance], SYNONYM_WEIGHT);
        lexicon.add(&mut stems, "bridge disputes", &[law], SYNONYM_WEIGHT);
        // Three of four phrases name farming: agriculture clearly, and farming within it.
        let (field, used) = lexicon.resolve(taxonomy, &["grapes"]).unwrap();
        assert_eq!(field, farming);
        assert_eq!(used, ["grapes"]);
        // Split evenly between two fields: no answer.
        assert!(lexicon.resolve(taxonomy, &["bridge"]).is_none());
        // Too little weight behind a word: no answer.
        lexicon.add(&mut stems, "kelp farms", &[farming], OCCUPATION_WEIGHT);
        assert!(lexicon.resolve(taxonomy, &["kelp"]).is_none());
        // Stop words and unknown words are ignored, not counted against.
        let (field, _) = lexicon.resolve(taxonomy, &["the", "grape", "zzz"]).unwrap();
        assert_eq!(field, farming);
    }

    #[test]
    fn the_words_of_a_query_together_decide() {
        let taxonomy = Taxonomy::embedded();
        let mut lexicon = Lexicon::default();
        let mut stems = HashMap::new();
        let hotels = idx(taxonomy, "hospitality/hotels");
        let maritime = idx(taxonomy, "transport/maritime");
        for phrase in [
            "cruise hotel",
            "cruise resort",
            "cruise ship",
            "cruise port",
        ] {
            let field = if phrase.ends_with("ship") || phrase.ends_with("port") {
                maritime
            } else {
                hotels
            };
            lexicon.add(&mut stems, phrase, &[field], SYNONYM_WEIGHT);
        }
        for phrase in ["ship crew", "ship repair", "ship engines"] {
            lexicon.add(&mut stems, phrase, &[maritime], SYNONYM_WEIGHT);
        }
        assert!(lexicon.resolve(taxonomy, &["cruise"]).is_none());
        let (field, _) = lexicon.resolve(taxonomy, &["cruise", "ships"]).unwrap();
        assert_eq!(field, maritime);
    }
}
