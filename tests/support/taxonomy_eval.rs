//! Accuracy of classification and query resolution against hand-labelled gold sets (FIELDS.md §6), shared
//! by `tests/taxonomy_gold.rs` (the gates) and `examples/taxonomy_eval.rs` (the printed table).
//!
//! **Scoring rule.** Classification is scored per (row, top field): a predicted field counts as correct
//! when the gold row holds a field with the same top field (`finance/venture-capital` matches gold
//! `finance` or `finance/private-equity`). Sub-fields are reported separately as *sub-field agreement*:
//! among correct pairs, the share where predicted and gold are equal or one is the other's ancestor.
//! Queries are scored by exact set (the returned ids equal the gold ids) and top-1 (the first returned id
//! is a gold id; an empty answer is right only for an empty gold set).

// Shared by a test and an example, each of which uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use warmpath::taxonomy::Taxonomy;

/// One labelled person.
#[derive(Debug, Clone)]
pub struct GoldRow {
    pub title: String,
    pub company: String,
    pub email: String,
    pub fields: Vec<String>,
}

/// Counts for one top field.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FieldScore {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl FieldScore {
    /// Precision; 1.0 when the field was never predicted.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    /// Recall; 1.0 when the gold set never holds the field.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    /// Gold rows holding the field.
    pub fn support(&self) -> usize {
        self.true_positives + self.false_negatives
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        1.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Classification scores over a gold set.
#[derive(Debug, Clone, Default)]
pub struct TitleReport {
    pub per_field: BTreeMap<String, FieldScore>,
    pub rows: usize,
    /// Rows whose predicted top fields equal the gold top fields exactly.
    pub exact_rows: usize,
    pub sub_field_pairs: usize,
    pub sub_field_agreements: usize,
    /// (row, predicted ids) for every row that was not exactly right, for reading.
    pub misses: Vec<(GoldRow, Vec<String>)>,
}

impl TitleReport {
    /// Micro-averaged precision, recall and F1 over all (row, top field) pairs.
    pub fn micro(&self) -> (f64, f64, f64) {
        let sum = self
            .per_field
            .values()
            .fold(FieldScore::default(), |a, s| FieldScore {
                true_positives: a.true_positives + s.true_positives,
                false_positives: a.false_positives + s.false_positives,
                false_negatives: a.false_negatives + s.false_negatives,
            });
        let (p, r) = (sum.precision(), sum.recall());
        (
            p,
            r,
            if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            },
        )
    }
}

/// Query-resolution scores over a gold set.
#[derive(Debug, Clone, Default)]
pub struct QueryReport {
    pub queries: usize,
    pub exact_set: usize,
    pub top1: usize,
    /// (query, gold ids, returned ids) for every query not exactly right.
    pub misses: Vec<(String, Vec<String>, Vec<String>)>,
}

fn split_ids(list: &str) -> Vec<String> {
    list.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parse `title,company,email,fields` (fields `;`-separated).
///
/// # Errors
/// When the CSV cannot be read or a row has fewer than 4 columns.
pub fn parse_titles(csv_text: &str) -> Result<Vec<GoldRow>, csv::Error> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        rows.push(GoldRow {
            title: cell(0),
            company: cell(1),
            email: cell(2),
            fields: split_ids(&cell(3)),
        });
    }
    Ok(rows)
}

/// Parse `query,fields`.
///
/// # Errors
/// When the CSV cannot be read.
pub fn parse_queries(csv_text: &str) -> Result<Vec<(String, Vec<String>)>, csv::Error> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push((
            record.get(0).unwrap_or("").to_string(),
            split_ids(record.get(1).unwrap_or("")),
        ));
    }
    Ok(rows)
}

fn top(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

fn related(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"))
}

/// Classify every gold row and score it at the top-field level.
pub fn evaluate_titles(taxonomy: &Taxonomy, rows: &[GoldRow]) -> TitleReport {
    let mut report = TitleReport {
        rows: rows.len(),
        ..TitleReport::default()
    };
    for field in taxonomy.fields().iter().filter(|f| f.parent.is_none()) {
        report
            .per_field
            .insert(field.id.clone(), FieldScore::default());
    }
    for row in rows {
        let email = Some(row.email.as_str()).filter(|e| !e.is_empty());
        let predicted = taxonomy.classify(&row.title, &row.company, email).fields;
        let mut predicted_tops: Vec<&str> = predicted.iter().map(|id| top(id)).collect();
        let mut gold_tops: Vec<&str> = row.fields.iter().map(|id| top(id)).collect();
        predicted_tops.sort_unstable();
        predicted_tops.dedup();
        gold_tops.sort_unstable();
        gold_tops.dedup();
        for field in &predicted_tops {
            let score = report.per_field.entry((*field).to_string()).or_default();
            if gold_tops.contains(field) {
                score.true_positives += 1;
            } else {
                score.false_positives += 1;
            }
        }
        for field in gold_tops.iter().filter(|f| !predicted_tops.contains(f)) {
            report
                .per_field
                .entry((*field).to_string())
                .or_default()
                .false_negatives += 1;
        }
        for p in &predicted {
            if let Some(g) = row.fields.iter().find(|g| top(g) == top(p)) {
                report.sub_field_pairs += 1;
                report.sub_field_agreements += usize::from(related(p, g));
            }
        }
        if predicted_tops == gold_tops {
            report.exact_rows += 1;
        } else {
            report.misses.push((row.clone(), predicted));
        }
    }
    report
}

/// Resolve every gold query and score it.
pub fn evaluate_queries(taxonomy: &Taxonomy, queries: &[(String, Vec<String>)]) -> QueryReport {
    let mut report = QueryReport {
        queries: queries.len(),
        ..QueryReport::default()
    };
    for (query, gold) in queries {
        let returned: Vec<String> = taxonomy
            .resolve(query)
            .fields
            .into_iter()
            .map(|f| f.field)
            .collect();
        let mut returned_sorted = returned.clone();
        returned_sorted.sort();
        let mut gold_sorted = gold.clone();
        gold_sorted.sort();
        let top1 = match returned.first() {
            Some(first) => gold.contains(first),
            None => gold.is_empty(),
        };
        report.top1 += usize::from(top1);
        if returned_sorted == gold_sorted {
            report.exact_set += 1;
        } else {
            report.misses.push((query.clone(), gold.clone(), returned));
        }
    }
    report
}
