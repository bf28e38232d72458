//! What can be worked out about a row before it is resolved, on every core: its identity
//! keys, its known fields, and hashes of its company and title.

use rayon::prelude::*;

use crate::identity::Keys;
use crate::import::ParsedFile;
use crate::taxonomy::Taxonomy;

/// What can be worked out about a row before it is resolved: its identity keys, its known
/// fields, and hashes of its company and title (to see cheaply that they did not change).
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) keys: Keys,
    /// The name and company keys are still to be worked out (see [`Keys::fill_names`]).
    pub(crate) names_deferred: bool,
    pub(crate) fields: Vec<&'static str>,
    pub(crate) unknown_fields: bool,
    pub(crate) company: u64,
    pub(crate) title: u64,
}

/// Preparing rows is pure and the costliest per-row step, so it runs on every core,
/// beside the thread that resolves rows (which must see them in file order).
pub(crate) fn prepare_rows(block: &ParsedFile) -> Vec<Prepared> {
    let taxonomy = Taxonomy::embedded();
    block
        .rows
        .par_iter()
        .map(|row| {
            let fields: Vec<&'static str> = row
                .fields
                .iter()
                .filter_map(|field| {
                    taxonomy
                        .field(field)
                        .map(|idx| taxonomy.get(idx).id.as_str())
                })
                .collect();
            let (keys, names_deferred) = Keys::from_raw_deferred(
                &row.name,
                &row.emails,
                row.profile_url.as_deref(),
                row.company.as_deref(),
            );
            Prepared {
                keys,
                names_deferred,
                unknown_fields: fields.len() < row.fields.len(),
                fields,
                company: text_hash(row.company.as_deref()),
                title: text_hash(row.title.as_deref()),
            }
        })
        .collect()
}

/// A hash of a trimmed text, 0 for none or blank.
pub(crate) fn text_hash(text: Option<&str>) -> u64 {
    use std::hash::BuildHasher;
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => 0,
        Some(text) => foldhash::fast::FixedState::with_seed(0x5eed)
            .hash_one(text)
            .max(1),
    }
}
