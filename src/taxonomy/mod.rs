//! The Field taxonomy: 25 top fields and their sub-fields, classification of a person from title, company
//! and email domain, and resolution of query text ("VC", "investment banking") to fields (FIELDS.md §3–§5).
//!
//! This file owns the public types and the [`Taxonomy`] table of fields. The work is split by stage:
//! - `normalize`: the one shared text normaliser and the title/company clean-ups built on it.
//! - `phrase`: word-bounded leftmost-longest phrase matching over Aho-Corasick automata.
//! - `tables`: the in-memory lookup tables; `load` parses the files embedded from `data/taxonomy/` into
//!   them and builds every automaton once.
//! - `classify`: title + company + email domain → fields with evidence.
//! - `resolve`: query text → ranked fields with reasons; `lexicon`, its last resort, the fields each word
//!   of every vocabulary names.
//!
//! It deliberately does not store anything or know about people: overrides (a `field` column, PATCH) are
//! applied by the callers, which keep the computed fields next to the override.

mod classify;
mod lexicon;
mod load;
mod normalize;
mod phrase;
mod resolve;
mod tables;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use normalize::{normalize, stem_key};

/// Dense index of a field in [`Taxonomy::fields`]; always below 128 so a set of fields fits a [`FieldMask`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldIdx(pub u8);

/// A set of fields, one bit per [`FieldIdx`].
pub type FieldMask = u128;

/// One node of the taxonomy: a top field (`finance`) or a sub-field (`finance/venture-capital`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Stable id: snake_case top field, `parent/child` for a sub-field.
    pub id: String,
    /// Human label, e.g. "Venture Capital".
    pub name: String,
    /// The top field of a sub-field; `None` for a top field.
    pub parent: Option<FieldIdx>,
}

/// The fields computed for one person, with the evidence behind each.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Classification {
    /// Field ids, most specific kept (a parent is dropped when a child is present), sorted, deduplicated.
    pub fields: Vec<String>,
    /// Why: one entry per rule that fired for a kept field.
    pub evidence: Vec<Evidence>,
}

/// One reason for a computed field.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// The field id this evidence supports.
    pub field: String,
    /// "title" | "company" | "email_domain".
    pub source: &'static str,
    /// The text that matched (normalised phrase, company name or domain).
    pub matched: String,
    /// The rule that fired, e.g. "curated company list", "title phrase", "company suffix", "onet title".
    pub rule: String,
}

/// Query text resolved to fields, best first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Resolution {
    /// The query as given.
    pub query: String,
    /// Matching fields, most relevant (and most specific) first; empty when nothing matched.
    pub fields: Vec<ResolvedField>,
    /// A company on the curated lists that the query names; search it with `company=` instead of a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// A role the query names ("founders" → "founder"), which is a `title=` filter rather than a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Advice when nothing (or a role rather than a field) matched, e.g. "use title=founder".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// One field a query resolved to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResolvedField {
    /// Field id.
    pub field: String,
    /// How it matched, e.g. `abbreviation "vc"` or `typo of "finance"`.
    pub reason: String,
    /// The kind of match alone: `field id`, `field label`, `synonym`, `abbreviation`,
    /// `external vocabulary`, `phrase`, `occupation` or `typo` (FIELDS.md §5).
    pub via: &'static str,
    /// Confidence in (0, 1]: 1.0 exact id or synonym, lower for external names, occupations and typos.
    pub score: f64,
}

/// The taxonomy with every lookup table and automaton, built once.
pub struct Taxonomy {
    fields: Vec<Field>,
    by_id: HashMap<String, FieldIdx>,
    query_masks: Vec<FieldMask>,
    tables: tables::Tables,
}

impl Taxonomy {
    /// The taxonomy built from the tables embedded from `data/taxonomy/`; built on first use, then shared.
    ///
    /// The binary needs no file at run time. The embedded data is checked by the unit tests, so a failure
    /// here is a build defect rather than an input error, and it panics with the offending line.
    pub fn embedded() -> &'static Taxonomy {
        static EMBEDDED: OnceLock<Taxonomy> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            load::build_embedded()
                .unwrap_or_else(|error| panic!("embedded taxonomy data is invalid: {error}"))
        })
    }

    /// Every field, top fields and sub-fields, indexed by [`FieldIdx`].
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field with this exact id (case-insensitive), e.g. `finance/venture-capital`.
    pub fn field(&self, id: &str) -> Option<FieldIdx> {
        self.by_id.get(id.trim().to_lowercase().as_str()).copied()
    }

    /// The field at `idx`.
    ///
    /// # Panics
    /// When `idx` did not come from this taxonomy.
    pub fn get(&self, idx: FieldIdx) -> &Field {
        &self.fields[usize::from(idx.0)]
    }

    /// The single bit of `idx`.
    pub fn bit(&self, idx: FieldIdx) -> FieldMask {
        1u128 << idx.0
    }

    /// The field and all its descendants: what a query for `idx` matches (a parent includes its children).
    pub fn query_mask(&self, idx: FieldIdx) -> FieldMask {
        self.query_masks[usize::from(idx.0)]
    }

    /// The top field of `idx` (itself for a top field).
    pub fn top(&self, idx: FieldIdx) -> FieldIdx {
        self.get(idx).parent.unwrap_or(idx)
    }

    /// Fields of a person from job title, company and email (FIELDS.md §4): multi-label, with evidence.
    pub fn classify(&self, title: &str, company: &str, email: Option<&str>) -> Classification {
        classify::classify(self, title, company, None, email)
    }

    /// [`Self::classify`] with the company's department as an export gives it in a field of
    /// its own (vCard `ORG:IBM;Accounting`, a "Department" column): read as the company's
    /// division (FIELDS.md §4.1), which feeds the title rules.
    pub fn classify_in_department(
        &self,
        title: &str,
        company: &str,
        department: Option<&str>,
        email: Option<&str>,
    ) -> Classification {
        classify::classify(self, title, company, department, email)
    }

    /// Query text → ranked fields with reasons (FIELDS.md §5); an exact field id resolves to itself.
    pub fn resolve(&self, query: &str) -> Resolution {
        let mut resolution = resolve::resolve(self, query);
        resolve::at_most_three(self, &mut resolution);
        resolution
    }

    /// The set of the given field ids (unknown ids are skipped): what a person's membership bits hold.
    pub fn mask_of<S: AsRef<str>>(&self, ids: &[S]) -> FieldMask {
        ids.iter()
            .filter_map(|id| self.field(id.as_ref()))
            .fold(0, |mask, idx| mask | self.bit(idx))
    }

    /// Everything a query for these resolved fields matches: the union of their [`Self::query_mask`]s.
    /// A person matches when `person_mask & query_mask != 0`.
    pub fn resolution_mask(&self, resolution: &Resolution) -> FieldMask {
        resolution
            .fields
            .iter()
            .filter_map(|f| self.field(&f.field))
            .fold(0, |mask, idx| mask | self.query_mask(idx))
    }

    fn id_of(&self, idx: FieldIdx) -> &str {
        &self.get(idx).id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_taxonomy_has_25_top_fields_and_fits_a_u128_mask() {
        let taxonomy = Taxonomy::embedded();
        let tops = taxonomy
            .fields()
            .iter()
            .filter(|f| f.parent.is_none())
            .count();
        assert_eq!(tops, 25);
        assert!(taxonomy.fields().len() <= 128);
        assert!(taxonomy.fields().len() >= 100);
    }

    #[test]
    fn the_twenty_benchmark_field_ids_are_kept_verbatim() {
        let taxonomy = Taxonomy::embedded();
        for id in [
            "software",
            "finance",
            "healthcare",
            "law",
            "education",
            "consulting",
            "marketing",
            "government",
            "manufacturing",
            "retail",
            "media",
            "real_estate",
            "energy",
            "hospitality",
            "construction",
            "research",
            "nonprofit",
            "transport",
            "insurance",
            "arts",
        ] {
            let idx = taxonomy.field(id).unwrap();
            assert_eq!(taxonomy.get(idx).parent, None, "{id} is a top field");
        }
    }

    #[test]
    fn field_lookup_is_case_insensitive_and_exact() {
        let taxonomy = Taxonomy::embedded();
        let vc = taxonomy.field("Finance/Venture-Capital").unwrap();
        assert_eq!(taxonomy.get(vc).id, "finance/venture-capital");
        assert_eq!(taxonomy.field("venture"), None);
    }

    #[test]
    fn a_query_for_finance_matches_a_person_in_investment_banking_but_not_the_reverse() {
        let taxonomy = Taxonomy::embedded();
        let banker = taxonomy.classify("Investment Banking Analyst", "Evercore", None);
        let banker_mask = taxonomy.mask_of(&banker.fields);
        let finance_query = taxonomy.resolution_mask(&taxonomy.resolve("finance"));
        let vc_query = taxonomy.resolution_mask(&taxonomy.resolve("VC"));
        assert_ne!(banker_mask & finance_query, 0);
        assert_eq!(banker_mask & vc_query, 0);
    }

    proptest::proptest! {
        #[test]
        fn classify_and_resolve_never_panic_and_cap_fields_at_three(
            title in "\\PC{0,40}",
            company in "\\PC{0,30}",
            email in "\\PC{0,30}",
        ) {
            let taxonomy = Taxonomy::embedded();
            let classification = taxonomy.classify(&title, &company, Some(&email));
            proptest::prop_assert!(classification.fields.len() <= 3);
            for id in &classification.fields {
                proptest::prop_assert!(taxonomy.field(id).is_some());
            }
            let resolution = taxonomy.resolve(&title);
            for field in &resolution.fields {
                proptest::prop_assert!(field.score > 0.0 && field.score <= 1.0);
            }
        }
    }

    #[test]
    fn a_parent_query_mask_includes_its_children_and_a_child_only_itself() {
        let taxonomy = Taxonomy::embedded();
        let finance = taxonomy.field("finance").unwrap();
        let vc = taxonomy.field("finance/venture-capital").unwrap();
        let law = taxonomy.field("law").unwrap();
        assert_ne!(taxonomy.query_mask(finance) & taxonomy.bit(vc), 0);
        assert_eq!(taxonomy.query_mask(vc), taxonomy.bit(vc));
        assert_eq!(taxonomy.query_mask(finance) & taxonomy.bit(law), 0);
    }
}
