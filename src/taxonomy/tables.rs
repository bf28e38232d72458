//! The in-memory tables the classifier and resolver read, built once by `load` from `data/taxonomy/`.

use super::FieldIdx;
use super::phrase::PhraseMatcher;
use std::collections::HashMap;

/// How much a company-name rule says on its own (FIELDS.md §4.3 rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    Weak,
    Medium,
    Strong,
}

/// A company (or university, agency) known by name or email domain.
pub(crate) struct Company {
    pub name: String,
    pub fields: Vec<FieldIdx>,
    /// A pure-play firm gives its sub-field to finance-flavoured or generic titles (§4.3 rule 4).
    pub pure_play: bool,
    pub rule: &'static str,
}

/// Where in the company name a name rule must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Start,
    End,
    Anywhere,
}

pub(crate) struct CompanyRule {
    pub position: Position,
    pub strength: Strength,
    pub fields: Vec<FieldIdx>,
}

pub(crate) struct Synonym {
    pub fields: Vec<FieldIdx>,
    /// "field id", "field label", "synonym", "abbreviation", "external vocabulary".
    pub kind: &'static str,
    /// Only when it is the whole query ("engineering"), never inside a longer one ("civil engineering").
    pub alone: bool,
}

/// Every table the classifier and resolver read.
pub(crate) struct Tables {
    /// Curated title phrases; an empty list marks a generic phrase that decides nothing.
    pub title_rules: PhraseMatcher<Vec<FieldIdx>>,
    /// O*NET / ESCO titles (normalised) → (field, rule).
    pub occupations: HashMap<String, (FieldIdx, &'static str)>,
    /// Normalised company names and aliases → index into `companies`.
    pub company_names: HashMap<String, usize>,
    /// Multi-word curated names, found at the start of a longer company name ("goldman sachs asset management").
    pub company_prefixes: PhraseMatcher<usize>,
    pub companies: Vec<Company>,
    /// Email domains → index into `companies`.
    pub domains: HashMap<String, usize>,
    pub company_rules: PhraseMatcher<CompanyRule>,
    /// Exact query phrases (normalised) → synonyms, in priority order.
    pub synonyms: HashMap<String, Synonym>,
    /// Each phrase's `stem_key` → the phrase, or `None` when phrases sharing the stem name different fields
    /// ("markets" and "marketing").
    pub stemmed_synonyms: HashMap<String, Option<String>>,
    /// NAICS 2022 industry titles (normalised) → fields; vocabulary for the lexicon only.
    pub industries: Vec<(String, Vec<FieldIdx>)>,
    /// Every vocabulary's words by stem, for words no phrase matches; built on first use (see
    /// [`Tables::lexicon`]), since stemming every occupation title would triple the load time.
    pub lexicon: std::sync::OnceLock<super::lexicon::Lexicon>,
    /// The same phrases but the `alone` ones, to find several of them inside a longer query.
    pub synonym_phrases: PhraseMatcher<Vec<FieldIdx>>,
}

impl Tables {
    /// The lexicon of every vocabulary's words, built the first time a query needs it.
    pub(crate) fn lexicon(&self) -> &super::lexicon::Lexicon {
        self.lexicon
            .get_or_init(|| super::lexicon::Lexicon::build(self))
    }
}
