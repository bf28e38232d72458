//! The people an import creates, and what it changes about the people it touches: kept in
//! memory while rows are resolved and written once at the end.

use super::prepare::text_hash;
use super::{PersonId, Resolver};
use crate::identity::{Identity, Keys};
use crate::import::ContactRow;

/// What an import reads of each person stored before it: name, company, title, whether
/// the person's fields were corrected by hand, and the company's department.
pub(crate) type StoredPeople =
    foldhash::HashMap<PersonId, (String, Option<String>, Option<String>, bool, Option<String>)>;

/// What an import changes about a person, written once at the end.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) name: String,
    pub(crate) name_is_placeholder: bool,
    pub(crate) company: Option<String>,
    /// The department of `company`, from the row that gave the company.
    pub(crate) department: Option<String>,
    pub(crate) title: Option<String>,
    /// [`text_hash`] of `company` and `title`.
    pub(crate) company_hash: u64,
    pub(crate) title_hash: u64,
    pub(crate) fields_overridden: bool,
    pub(crate) explicit_fields: Option<Vec<&'static str>>,
    pub(crate) email: Option<String>,
    pub(crate) is_new: bool,
    pub(crate) changed: bool,
}

impl Resolver {
    /// A new person with these keys, named `name` (a placeholder, such as an owner's
    /// email, that the first row naming them replaces, when `name_is_placeholder`).
    pub(super) fn create(&mut self, name: &str, keys: Keys, name_is_placeholder: bool) -> PersonId {
        let person = PersonId(self.next_person);
        self.next_person += 1;
        self.counts.people_created += 1;
        let identity = Identity {
            emails: keys.emails.clone(),
            profile_urls: keys.profile_url.iter().cloned().collect(),
            name: keys.name.clone(),
            company: keys.company.clone(),
        };
        self.directory.upsert(person, identity);
        self.pending.insert(
            person,
            Pending {
                name: name.to_string(),
                name_is_placeholder,
                company: None,
                department: None,
                title: None,
                company_hash: 0,
                title_hash: 0,
                fields_overridden: false,
                explicit_fields: None,
                email: keys.emails.first().cloned(),
                is_new: true,
                changed: true,
            },
        );
        person
    }

    /// Takes what the store holds of a person the first time this import touches them.
    pub(super) fn load_pending(&mut self, person: PersonId) -> Result<(), super::ResolveError> {
        if self.pending.contains_key(&person) {
            return Ok(());
        }
        let (name, company, title, overridden, department) = self
            .stored
            .remove(&person)
            .ok_or(super::ResolveError::UnknownPerson(person))?;
        let email = self
            .directory
            .identity(person)
            .and_then(|identity| identity.emails.first().cloned());
        let name_is_placeholder =
            name.contains('@') || name.contains("://") || (person == self.me && name == "Me");
        self.pending.insert(
            person,
            Pending {
                name,
                name_is_placeholder,
                company_hash: text_hash(company.as_deref()),
                title_hash: text_hash(title.as_deref()),
                company,
                department,
                title,
                fields_overridden: overridden,
                explicit_fields: None,
                email,
                is_new: false,
                changed: false,
            },
        );
        Ok(())
    }

    /// The latest list is the freshest: a row's company and title replace older ones.
    /// `hashes` are the row's company and title hashes ([`text_hash`]).
    pub(super) fn update_person(
        &mut self,
        person: PersonId,
        row: &ContactRow,
        fields: Vec<&'static str>,
        hashes: (u64, u64),
    ) {
        let Some(pending) = self.pending.get_mut(&person) else {
            return;
        };
        if pending.name_is_placeholder && !row.name.trim().is_empty() {
            pending.name = row.name.trim().to_string();
            pending.name_is_placeholder = false;
            pending.changed = true;
        }
        for (slot, hash, value, new_hash) in [
            (
                &mut pending.company,
                &mut pending.company_hash,
                &row.company,
                hashes.0,
            ),
            (
                &mut pending.title,
                &mut pending.title_hash,
                &row.title,
                hashes.1,
            ),
        ] {
            if new_hash == 0 || *hash == new_hash {
                continue;
            }
            if let Some(value) = value.as_deref().map(str::trim)
                && slot.as_deref() != Some(value)
            {
                *slot = Some(value.to_string());
                pending.changed = true;
            }
            *hash = new_hash;
        }
        // A department goes with the company of its row: a row naming a company replaces
        // the department too (with none when it gives none).
        if row.company.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            let department = row.department.as_deref().map(str::trim);
            if pending.department.as_deref() != department {
                pending.department = department.map(str::to_string);
                pending.changed = true;
            }
        }
        if pending.email.is_none() {
            pending.email = row.emails.first().map(|email| email.to_lowercase());
        }
        if !fields.is_empty() && pending.explicit_fields.as_ref() != Some(&fields) {
            pending.explicit_fields = Some(fields);
            pending.fields_overridden = true;
            pending.changed = true;
        }
    }
}
