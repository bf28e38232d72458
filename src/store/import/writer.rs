//! Writing what an import resolved: its listings while rows are still being resolved,
//! [`LISTINGS_PER_STATEMENT`] rows a statement ([`ListingWriter`]).

use rusqlite::Transaction;

use super::Listing;
use crate::identity::PersonId;
use crate::relationship::Relationship;
use crate::store::{StoreError, date_to_days};

/// Listings written by one statement.
pub(super) const LISTINGS_PER_STATEMENT: usize = 64;

/// Writes listings of one import, many rows a statement; a pair listed again in the same
/// file keeps the first relationship, the latest dates and the largest counts.
pub(super) struct ListingWriter<'t> {
    import_id: i64,
    /// The statement that writes a full batch, kept prepared.
    full: Option<rusqlite::CachedStatement<'t>>,
}

impl<'t> ListingWriter<'t> {
    pub(super) fn new(import_id: i64) -> ListingWriter<'t> {
        ListingWriter {
            import_id,
            full: None,
        }
    }

    pub(super) fn write(
        &mut self,
        transaction: &'t Transaction<'_>,
        batch: &[(PersonId, PersonId, Listing)],
    ) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        // The full batch's statement text is made once (a statement is looked up in the
        // cache by its text).
        static FULL: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| upsert_listings_sql(LISTINGS_PER_STATEMENT));
        let mut partial;
        let statement = if batch.len() == LISTINGS_PER_STATEMENT {
            match &mut self.full {
                Some(statement) => statement,
                empty => empty.insert(transaction.prepare_cached(FULL.as_str())?),
            }
        } else {
            partial = transaction.prepare_cached(&upsert_listings_sql(batch.len()))?;
            &mut partial
        };
        let mut index = 1;
        for (owner, contact, listing) in batch {
            let values: [&dyn rusqlite::ToSql; 7] = [
                &owner.0,
                &contact.0,
                &listing.relationship.map(Relationship::as_str),
                &listing.last_contacted.map(date_to_days),
                &listing.connected_on.map(date_to_days),
                &listing.interactions,
                &listing.strength,
            ];
            for value in values {
                statement.raw_bind_parameter(index, value)?;
                index += 1;
            }
        }
        statement.raw_bind_parameter(index, self.import_id)?;
        statement.raw_execute()?;
        Ok(())
    }
}

/// The statement that writes `rows` listings of one import (bound last).
fn upsert_listings_sql(rows: usize) -> String {
    let import = rows * 7 + 1;
    let mut sql = String::from(
        "INSERT INTO listings (import_id, owner_id, contact_id, relationship, last_contacted, connected_on, interactions, strength) VALUES ",
    );
    for row in 0..rows {
        let first = row * 7 + 1;
        if row > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(?{import}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
            first,
            first + 1,
            first + 2,
            first + 3,
            first + 4,
            first + 5,
            first + 6
        ));
    }
    sql.push_str(
        " ON CONFLICT (import_id, owner_id, contact_id) DO UPDATE SET
           relationship = COALESCE(relationship, excluded.relationship),
           last_contacted = COALESCE(max(last_contacted, excluded.last_contacted), last_contacted, excluded.last_contacted),
           connected_on = COALESCE(max(connected_on, excluded.connected_on), connected_on, excluded.connected_on),
           interactions = COALESCE(max(interactions, excluded.interactions), interactions, excluded.interactions),
           strength = COALESCE(max(strength, excluded.strength), strength, excluded.strength)",
    );
    sql
}
