//! Resolving an import's rows to people, in memory: the part of applying a contact list
//! that needs no database.
//!
//! The store reads what resolving starts from (a [`Seed`]: "me", the directory of the
//! people the rows may be, what an import may update of them, the suppression list and the
//! next free id), hands the [`Resolver`] the rows in file order, and writes what it
//! produced: the listings, sent in batches as they are made, and at the end a
//! [`Resolution`] (the people created or changed with their keys, the pairs listed, the
//! merges and counts of the report).
//!
//! - `mod.rs`: the resolver, a row's way from its keys to a person and a listing, and the
//!   owners it names.
//! - `prepare.rs`: what is worked out of a row before it is resolved (on every core).
//! - `pending.rs`: the people an import creates and the changes it makes to the people it
//!   touches.
//! - `pairs.rs`: the pairs of people an import lists, to count the ties it creates.
//!
//! **Invariant:** rows are resolved in file order by [`Directory`]'s rules; a row or an
//! owner whose key belonged to an erased person never brings them back.

mod pairs;
mod pending;
mod prepare;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::suppressions::Suppressions;
use super::{Directory, Keys, MatchedBy, PersonId, PersonRef, Resolved};
use crate::import::{ContactRow, ParsedFile};
use crate::relationship::Relationship;

pub(crate) use pairs::Pairs;
pub(crate) use pending::{Pending, StoredPeople};
pub(crate) use prepare::{Prepared, prepare_rows};

/// One owner–contact listing, merged over the rows of a file that list the same pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listing {
    pub(crate) relationship: Option<Relationship>,
    pub(crate) last_contacted: Option<chrono::NaiveDate>,
    pub(crate) connected_on: Option<chrono::NaiveDate>,
    pub(crate) interactions: Option<u32>,
    pub(crate) strength: Option<f64>,
}

/// A listing with its owner and its contact.
pub(crate) type ListingRow = (PersonId, PersonId, Listing);

/// What the store read before the rows, for the resolver to start from.
#[derive(Debug)]
pub(crate) struct Seed {
    pub(crate) me: PersonId,
    /// The people the rows may be: everyone of the workspace, or the people the rows'
    /// keys name.
    pub(crate) directory: Directory,
    /// What an import may update of the people in `directory`.
    pub(crate) stored: StoredPeople,
    pub(crate) suppressions: Suppressions,
    /// The id the first person this import creates gets.
    pub(crate) next_person: i64,
}

/// Why a row or an owner cannot be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResolveError {
    /// An owner id that is not a person of the workspace, or (never expected) a matched
    /// person whose stored state was not read.
    UnknownPerson(PersonId),
    /// An owner's email or profile URL belonged to an erased person.
    Erased,
}

/// A row that was matched to someone already known, and by which rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Match {
    pub(crate) person: PersonId,
    pub(crate) matched_by: MatchedBy,
    pub(crate) line: usize,
}

/// What the report counts of the rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    pub(crate) people_created: usize,
    /// Rows (or network owners) that name an erased person.
    pub(crate) suppressed: usize,
    /// Rows that list their owner themself.
    pub(crate) self_listings: usize,
    /// Rows that name a field outside the taxonomy.
    pub(crate) unknown_fields: usize,
}

/// What resolving an import's rows produced, for the store to write and report.
#[derive(Debug)]
pub(crate) struct Resolution {
    /// Everyone the import read or touched, with the keys they hold now.
    pub(crate) directory: Directory,
    /// The people the import created or touched, and what it changes about them.
    pub(crate) pending: HashMap<PersonId, Pending>,
    /// Every unordered pair the import lists.
    pub(crate) pairs: Pairs,
    /// Each person matched to someone already known, once, with the first rule.
    pub(crate) merges: Vec<Match>,
    pub(crate) counts: Counts,
}

/// Resolves the rows of one import to people, in file order. It holds no database handle,
/// so that rows can be resolved on one thread while another writes what they produce.
#[derive(Debug)]
pub(crate) struct Resolver {
    me: PersonId,
    directory: Directory,
    suppressions: Suppressions,
    next_person: i64,
    /// A network file: every row names its own owner.
    network: bool,
    /// What the store held of the people read before the import, taken into `pending`
    /// when the import first touches them.
    stored: StoredPeople,
    pending: HashMap<PersonId, Pending>,
    pairs: Pairs,
    /// Listings waiting to be shipped, `batch` at a time.
    queued: Vec<ListingRow>,
    batch: usize,
    /// The last owner email of a network file and who it names (rows come by owner).
    last_owner: Option<(String, PersonId)>,
    merges: Vec<Match>,
    merged: HashSet<PersonId>,
    counts: Counts,
}

impl Resolver {
    /// A resolver starting from what the store read; `network` for a network file, whose
    /// rows name their owners; listings are shipped `batch` at a time.
    pub(crate) fn new(seed: Seed, network: bool, batch: usize) -> Resolver {
        Resolver {
            me: seed.me,
            directory: seed.directory,
            suppressions: seed.suppressions,
            next_person: seed.next_person,
            network,
            stored: seed.stored,
            pending: HashMap::new(),
            pairs: Pairs::default(),
            queued: Vec::with_capacity(batch),
            batch,
            last_owner: None,
            merges: Vec::new(),
            merged: HashSet::new(),
            counts: Counts::default(),
        }
    }

    /// The owner a reference names; an email or URL that matches nobody creates them.
    pub(crate) fn owner(&mut self, reference: &PersonRef) -> Result<PersonId, ResolveError> {
        match reference {
            PersonRef::Me => Ok(self.me),
            PersonRef::Id(id) => {
                if self.directory.identity(*id).is_some() || self.pending.contains_key(id) {
                    Ok(*id)
                } else {
                    Err(ResolveError::UnknownPerson(*id))
                }
            }
            PersonRef::Email(email) => match self.directory.by_email(email) {
                Some(person) => Ok(person),
                None if self.suppressions.holds("email", email) => Err(ResolveError::Erased),
                None => Ok(self.create(
                    email,
                    Keys {
                        emails: vec![email.clone()],
                        ..Keys::default()
                    },
                    true,
                )),
            },
            PersonRef::ProfileUrl(url) => match self.directory.by_profile_url(url) {
                Some(person) => Ok(person),
                None if self.suppressions.holds("url", url) => Err(ResolveError::Erased),
                None => Ok(self.create(
                    url,
                    Keys {
                        profile_url: Some(url.clone()),
                        ..Keys::default()
                    },
                    true,
                )),
            },
        }
    }

    /// Resolves the rows of one block; `owner` owns every row but those of a network file,
    /// which name their own. Every `batch` listings made are handed to `ship`.
    pub(crate) fn block<E: From<ResolveError>>(
        &mut self,
        block: &ParsedFile,
        prepared: Vec<Prepared>,
        owner: PersonId,
        ship: &mut impl FnMut(Vec<ListingRow>) -> Result<(), E>,
    ) -> Result<(), E> {
        for (row, prepared) in block.rows.iter().zip(prepared) {
            let row_owner = match (&row.owner_email, self.network) {
                (Some(email), true) => match self.row_owner(email)? {
                    Some(person) => person,
                    None => {
                        self.counts.suppressed += 1;
                        continue;
                    }
                },
                _ => owner,
            };
            self.row(row, prepared, row_owner)?;
            if self.queued.len() >= self.batch {
                ship(self.take_queued())?;
            }
        }
        Ok(())
    }

    /// Queues one listing to be shipped with the next batch.
    pub(crate) fn add_listing(&mut self, owner: PersonId, contact: PersonId, listing: Listing) {
        self.pairs.insert(owner, contact);
        self.queued.push((owner, contact, listing));
    }

    /// Hands the listings still queued to `ship`.
    pub(crate) fn flush<E>(
        &mut self,
        ship: &mut impl FnMut(Vec<ListingRow>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.queued.is_empty() {
            return Ok(());
        }
        ship(self.take_queued())
    }

    /// What the rows produced (listings still queued are not in it: [`Resolver::flush`]
    /// them first).
    pub(crate) fn finish(self) -> Resolution {
        Resolution {
            directory: self.directory,
            pending: self.pending,
            pairs: self.pairs,
            merges: self.merges,
            counts: self.counts,
        }
    }

    fn take_queued(&mut self) -> Vec<ListingRow> {
        std::mem::replace(&mut self.queued, Vec::with_capacity(self.batch))
    }

    /// The owner a network file's row names; `None` when that person was erased.
    fn row_owner(&mut self, email: &str) -> Result<Option<PersonId>, ResolveError> {
        if let Some((last, person)) = &self.last_owner
            && last == email
        {
            return Ok(Some(*person));
        }
        let reference = PersonRef::Email(email.to_lowercase());
        let person = match self.owner(&reference) {
            Ok(person) => person,
            Err(ResolveError::Erased) => return Ok(None),
            Err(error) => return Err(error),
        };
        self.last_owner = Some((email.to_string(), person));
        Ok(Some(person))
    }

    /// Resolves one row to its contact (matched or created) and queues its listing.
    fn row(
        &mut self,
        row: &ContactRow,
        prepared: Prepared,
        owner: PersonId,
    ) -> Result<(), ResolveError> {
        let Prepared {
            mut keys,
            names_deferred,
            fields,
            unknown_fields,
            company,
            title,
        } = prepared;
        // The email rule is tried first, once: it settles nearly every row of a bulk file.
        let by_email = keys
            .emails
            .iter()
            .find_map(|email| self.directory.by_email(email));
        if names_deferred {
            let needed = match by_email {
                None => true,
                Some(person) => self.directory.lacks_name_or_company(person),
            };
            if needed || !self.suppressions.is_empty() {
                keys.fill_names(&row.name, row.company.as_deref());
            }
        }
        if self.suppressions.covers(&keys) {
            self.counts.suppressed += 1;
            return Ok(());
        }
        let resolved = match by_email {
            Some(person) => Resolved::Existing {
                person,
                matched_by: MatchedBy::Email,
            },
            None => self.directory.resolve(&keys),
        };
        let contact = match resolved {
            Resolved::Existing { person, matched_by } => {
                self.directory.absorb(person, &keys);
                self.load_pending(person)?;
                self.record_merge(person, matched_by, row.line);
                person
            }
            Resolved::New => self.create(&row.name, keys, false),
        };
        if contact == owner {
            self.counts.self_listings += 1;
            return Ok(());
        }
        if unknown_fields {
            self.counts.unknown_fields += 1;
        }
        self.update_person(contact, row, fields, (company, title));
        let listing = Listing {
            relationship: row.relationship,
            last_contacted: row.last_contacted,
            connected_on: row.connected_on,
            interactions: row.interactions,
            strength: row.strength,
        };
        self.add_listing(owner, contact, listing);
        Ok(())
    }

    /// Lists a person in the report's merges once, with the first rule that matched them.
    /// In a network file the same person is listed by many owners by design, so there only
    /// matches to people known before the import count as merges.
    fn record_merge(&mut self, person: PersonId, matched_by: MatchedBy, line: usize) {
        let is_new = self
            .pending
            .get(&person)
            .is_some_and(|pending| pending.is_new);
        if (self.network && is_new) || !self.merged.insert(person) {
            return;
        }
        self.merges.push(Match {
            person,
            matched_by,
            line,
        });
    }
}
