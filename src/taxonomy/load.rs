//! Parses the tables embedded from `data/taxonomy/` (see its README in `build.py` and `ATTRIBUTION.md`) and
//! builds every lookup map and automaton once. Nothing here runs per classification.

use super::normalize::{company_keys, normalize};
use super::phrase::PhraseMatcher;
use super::tables::{Company, CompanyRule, Position, Strength, Synonym, Tables};
use super::{Field, FieldIdx, FieldMask, Taxonomy};
use std::collections::HashMap;

const FIELDS: &str = include_str!("../../data/taxonomy/fields.tsv");
const TITLE_RULES: &str = include_str!("../../data/taxonomy/title_rules.tsv");
const COMPANIES: &str = include_str!("../../data/taxonomy/companies.tsv");
const COMPANY_RULES: &str = include_str!("../../data/taxonomy/company_rules.tsv");
const SYNONYMS: &str = include_str!("../../data/taxonomy/synonyms.tsv");
const SP500: &str = include_str!("../../data/taxonomy/sp500.tsv");
const OCCUPATIONS: &str = include_str!("../../data/taxonomy/occupations.tsv");
const UNIVERSITIES: &str = include_str!("../../data/taxonomy/universities.tsv");
const GOV_DOMAINS: &str = include_str!("../../data/taxonomy/gov_domains.tsv");
const INDUSTRIES: &str = include_str!("../../data/taxonomy/industries.tsv");
const GOV_AGENCIES: &str = include_str!("../../data/taxonomy/gov_agencies.tsv");

/// A problem in the embedded tables; names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("{file} line {line}: {message}")]
    Table {
        file: &'static str,
        line: usize,
        message: String,
    },
    #[error("too many fields: {0} (at most 128 fit a field mask)")]
    TooManyFields(usize),
    #[error("cannot build phrase automaton")]
    Automaton(#[from] aho_corasick::BuildError),
}

fn rows(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(i, line)| (i + 1, line.split('\t').collect()))
}

struct Parser<'a> {
    by_id: &'a HashMap<String, FieldIdx>,
}

impl Parser<'_> {
    fn fields(
        &self,
        file: &'static str,
        line: usize,
        list: &str,
    ) -> Result<Vec<FieldIdx>, TaxonomyError> {
        list.split(';')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| {
                self.by_id
                    .get(id)
                    .copied()
                    .ok_or_else(|| TaxonomyError::Table {
                        file,
                        line,
                        message: format!("unknown field id {id:?}"),
                    })
            })
            .collect()
    }
}

fn column(
    row: &[&'static str],
    i: usize,
    file: &'static str,
    line: usize,
) -> Result<&'static str, TaxonomyError> {
    row.get(i).copied().ok_or_else(|| TaxonomyError::Table {
        file,
        line,
        message: format!("expected at least {} tab-separated columns", i + 1),
    })
}

/// Fields in table order, ids → index, and (external vocabulary name, field id) pairs.
type LoadedFields = (Vec<Field>, HashMap<String, FieldIdx>, Vec<(String, String)>);

fn load_fields() -> Result<LoadedFields, TaxonomyError> {
    let mut fields: Vec<Field> = Vec::new();
    let mut by_id = HashMap::new();
    let mut external = Vec::new();
    for (line, row) in rows(FIELDS) {
        let id = column(&row, 0, "fields.tsv", line)?;
        let name = column(&row, 1, "fields.tsv", line)?;
        let parent = match id.split_once('/') {
            Some((top, _)) => Some(*by_id.get(top).ok_or_else(|| TaxonomyError::Table {
                file: "fields.tsv",
                line,
                message: format!("parent of {id:?} must come first"),
            })?),
            None => None,
        };
        let index = u8::try_from(fields.len())
            .ok()
            .filter(|i| *i < 128)
            .ok_or(TaxonomyError::TooManyFields(fields.len() + 1))?;
        by_id.insert(id.to_string(), FieldIdx(index));
        fields.push(Field {
            id: id.to_string(),
            name: name.to_string(),
            parent,
        });
        for vocabulary_name in row.get(2).copied().unwrap_or("").split(';') {
            if !vocabulary_name.trim().is_empty() {
                external.push((vocabulary_name.trim().to_string(), id.to_string()));
            }
        }
    }
    Ok((fields, by_id, external))
}

/// Build the taxonomy from the embedded tables.
pub(crate) fn build_embedded() -> Result<Taxonomy, TaxonomyError> {
    let (fields, by_id, external) = load_fields()?;
    let parser = Parser { by_id: &by_id };
    let mut query_masks: Vec<FieldMask> = (0..fields.len()).map(|i| 1u128 << i).collect();
    for (i, field) in fields.iter().enumerate() {
        if let Some(parent) = field.parent {
            query_masks[usize::from(parent.0)] |= 1u128 << i;
        }
    }

    let mut title_pairs = Vec::new();
    for (line, row) in rows(TITLE_RULES) {
        let phrase = normalize(column(&row, 0, "title_rules.tsv", line)?);
        let list = parser.fields("title_rules.tsv", line, row.get(1).copied().unwrap_or(""))?;
        title_pairs.push((phrase, list));
    }

    let mut occupations = HashMap::new();
    for (line, row) in rows(OCCUPATIONS) {
        let field = parser.fields(
            "occupations.tsv",
            line,
            column(&row, 1, "occupations.tsv", line)?,
        )?;
        let rule = if row.get(2) == Some(&"O") {
            "onet title"
        } else {
            "esco title"
        };
        if let Some(first) = field.first() {
            occupations.insert(normalize(row[0]), (*first, rule));
        }
    }

    let mut companies = Vec::new();
    let mut company_names = HashMap::new();
    let mut domains = HashMap::new();
    for (line, row) in rows(COMPANIES) {
        let names = column(&row, 0, "companies.tsv", line)?;
        let list = parser.fields(
            "companies.tsv",
            line,
            column(&row, 1, "companies.tsv", line)?,
        )?;
        let index = companies.len();
        for alias in names.split(';') {
            company_names.entry(normalize(alias)).or_insert(index);
        }
        for domain in row
            .get(3)
            .copied()
            .unwrap_or("")
            .split(';')
            .filter(|d| !d.is_empty())
        {
            domains.entry(domain.trim().to_lowercase()).or_insert(index);
        }
        let name = names.split(';').next().unwrap_or(names).to_string();
        let pure_play = row.get(2) == Some(&"pure");
        companies.push(Company {
            name,
            fields: list,
            pure_play,
            rule: "curated company list",
        });
    }
    for (line, row) in rows(SP500) {
        let list = parser.fields("sp500.tsv", line, column(&row, 1, "sp500.tsv", line)?)?;
        add_listed(
            &mut companies,
            &mut company_names,
            row[0],
            list,
            "s&p 500 list (gics)",
        );
    }
    let government = parser.fields("gov_agencies.tsv", 0, "government/federal")?;
    for (_, row) in rows(GOV_AGENCIES) {
        add_listed(
            &mut companies,
            &mut company_names,
            row[0],
            government.clone(),
            "federal agency list",
        );
    }
    let higher_ed = parser.fields("universities.tsv", 0, "education/higher-ed")?;
    for (_, row) in rows(UNIVERSITIES) {
        let index = add_listed(
            &mut companies,
            &mut company_names,
            row[0],
            higher_ed.clone(),
            "university list",
        );
        for domain in row
            .get(1)
            .copied()
            .unwrap_or("")
            .split(';')
            .filter(|d| !d.is_empty())
        {
            domains.entry(domain.to_string()).or_insert(index);
        }
    }
    for (line, row) in rows(GOV_DOMAINS) {
        let list = parser.fields(
            "gov_domains.tsv",
            line,
            column(&row, 1, "gov_domains.tsv", line)?,
        )?;
        let index = companies.len();
        companies.push(Company {
            name: row[0].to_string(),
            fields: list,
            pure_play: true,
            rule: "dotgov list",
        });
        domains.entry(row[0].to_string()).or_insert(index);
    }
    let company_prefixes = PhraseMatcher::new(
        company_names
            .iter()
            .filter(|(name, index)| {
                name.contains(' ') && companies[**index].rule == "curated company list"
            })
            .map(|(name, index)| (name.clone(), *index))
            .collect(),
    )?;

    let mut rule_pairs = Vec::new();
    for (line, row) in rows(COMPANY_RULES) {
        let position = match column(&row, 1, "company_rules.tsv", line)? {
            "start" => Position::Start,
            "end" => Position::End,
            _ => Position::Anywhere,
        };
        let strength = if column(&row, 2, "company_rules.tsv", line)? == "medium" {
            Strength::Medium
        } else {
            Strength::Weak
        };
        let list = parser.fields(
            "company_rules.tsv",
            line,
            column(&row, 3, "company_rules.tsv", line)?,
        )?;
        rule_pairs.push((
            normalize(row[0]),
            CompanyRule {
                position,
                strength,
                fields: list,
            },
        ));
    }

    let mut synonyms: HashMap<String, Synonym> = HashMap::new();
    let mut add_synonym = |phrase: &str, fields: Vec<FieldIdx>, kind: &'static str, alone: bool| {
        let key = super::normalize::query_form(phrase);
        if !key.is_empty() && !fields.is_empty() {
            synonyms.entry(key).or_insert(Synonym {
                fields,
                kind,
                alone,
            });
        }
    };
    // Priority when a phrase appears twice: field id, hand-written synonym, field label, external name.
    // Top-field ids only: normalised, a sub-field id would read as two words ("marketing advertising").
    for (i, field) in fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.parent.is_none())
    {
        add_synonym(&field.id, vec![FieldIdx(i as u8)], "field id", false);
    }
    for (line, row) in rows(SYNONYMS) {
        let list = parser.fields("synonyms.tsv", line, column(&row, 1, "synonyms.tsv", line)?)?;
        let (kind, alone) = match row.get(2).copied() {
            Some("abbreviation") => ("abbreviation", false),
            Some("alone") => ("synonym", true),
            _ => ("synonym", false),
        };
        add_synonym(row[0], list, kind, alone);
    }
    for (i, field) in fields.iter().enumerate() {
        add_synonym(&field.name, vec![FieldIdx(i as u8)], "field label", false);
    }
    for (name, id) in &external {
        add_synonym(
            name,
            parser.fields("fields.tsv", 0, id)?,
            "external vocabulary",
            false,
        );
    }
    // Parsed here so a bad row fails the load; the lexicon over them is built on first use.
    let mut industries = Vec::new();
    for (line, row) in rows(INDUSTRIES) {
        let list = parser.fields(
            "industries.tsv",
            line,
            column(&row, 1, "industries.tsv", line)?,
        )?;
        industries.push((normalize(row[0]), list));
    }
    let mut stemmed_synonyms: HashMap<String, Option<String>> = HashMap::new();
    let mut keys: Vec<&String> = synonyms.keys().collect();
    keys.sort();
    for key in keys {
        let fields = &synonyms[key].fields;
        stemmed_synonyms
            .entry(super::stem_key(key))
            .and_modify(|kept| {
                if kept.as_ref().is_some_and(|k| synonyms[k].fields != *fields) {
                    *kept = None;
                }
            })
            .or_insert_with(|| Some(key.clone()));
    }
    let synonym_phrases = PhraseMatcher::new(
        synonyms
            .iter()
            .filter(|(_, s)| !s.alone)
            .map(|(k, s)| (k.clone(), s.fields.clone()))
            .collect(),
    )?;

    Ok(Taxonomy {
        fields,
        by_id,
        query_masks,
        tables: Tables {
            title_rules: PhraseMatcher::new(title_pairs)?,
            occupations,
            company_names,
            company_prefixes,
            companies,
            domains,
            company_rules: PhraseMatcher::new(rule_pairs)?,
            synonyms,
            stemmed_synonyms,
            industries,
            lexicon: std::sync::OnceLock::new(),
            synonym_phrases,
        },
    })
}

/// Add a listed company under its name and its suffix-stripped forms, never replacing an earlier entry.
fn add_listed(
    companies: &mut Vec<Company>,
    names: &mut HashMap<String, usize>,
    name: &str,
    fields: Vec<FieldIdx>,
    rule: &'static str,
) -> usize {
    let index = companies.len();
    companies.push(Company {
        name: name.to_string(),
        fields,
        pure_play: false,
        rule,
    });
    for key in company_keys(&normalize(name)) {
        // Stripping can leave one ambiguous word ("bain" from "Bain & Company"); only the curated list may own those.
        if key.contains(' ') || key.len() >= 4 {
            names.entry(key).or_insert(index);
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_tables_load_without_errors() {
        let taxonomy = build_embedded().unwrap();
        assert!(taxonomy.tables.occupations.len() > 20_000);
        assert!(taxonomy.tables.company_names.len() > 10_000);
        assert!(taxonomy.tables.domains.contains_key("treasury.gov"));
    }
}
