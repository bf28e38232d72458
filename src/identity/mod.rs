//! Identity: deciding who is the same person across contact lists.
//!
//! DESIGN's rules, in order: the same email, then the same normalised profile URL, then the
//! same normalised name *and* company. Two people whose emails conflict (both have emails
//! and none is shared) are never merged. It owns the rules and an in-memory [`Directory`]
//! of one workspace's people; it does not read or write the database (the store loads the
//! directory and writes what changed).
//!
//! `resolve` applies the rules to an import's rows in memory: it starts from what the
//! store read (the directory, what an import may update of each person, the suppression
//! list of erased people, "me" and the next free id) and produces what the store writes
//! (people created or changed, their keys, listings, merges). `suppressions` holds the
//! hashes of erased people's keys and the check against them.

pub mod normalize;
pub(crate) mod resolve;
pub(crate) mod suppressions;

use foldhash::HashMap;

/// A person's id in the store.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct PersonId(pub i64);

impl std::fmt::Display for PersonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which rule matched a row to an existing person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Email,
    ProfileUrl,
    NameCompany,
}

/// The identifying keys of one incoming row, already normalised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    pub emails: Vec<String>,
    pub profile_url: Option<String>,
    pub name: String,
    pub company: String,
}

impl Keys {
    /// Normalises the raw identifiers of a row; invalid emails and URLs are dropped.
    pub fn from_raw(
        name: &str,
        emails: &[String],
        profile_url: Option<&str>,
        company: Option<&str>,
    ) -> Keys {
        let mut normal_emails: Vec<String> = Vec::with_capacity(emails.len());
        for email in emails.iter().filter_map(|email| normalize::email(email)) {
            if !normal_emails.contains(&email) {
                normal_emails.push(email);
            }
        }
        Keys {
            emails: normal_emails,
            profile_url: profile_url.and_then(normalize::profile_url),
            name: normalize::name(name),
            company: company.map(normalize::company).unwrap_or_default(),
        }
    }
}

impl Keys {
    /// [`Keys::from_raw`] without the name and company keys when the row has a valid email:
    /// they only matter for rows that no email resolves, and [`Keys::fill_names`] adds them
    /// then. The flag says whether they were left out.
    pub fn from_raw_deferred(
        name: &str,
        emails: &[String],
        profile_url: Option<&str>,
        company: Option<&str>,
    ) -> (Keys, bool) {
        let keys = Keys::from_raw("", emails, profile_url, None);
        if keys.emails.is_empty() {
            return (Keys::from_raw(name, emails, profile_url, company), false);
        }
        (keys, true)
    }

    /// Adds the name and company keys that [`Keys::from_raw_deferred`] left out.
    pub fn fill_names(&mut self, name: &str, company: Option<&str>) {
        self.name = normalize::name(name);
        self.company = company.map(normalize::company).unwrap_or_default();
    }
}

/// What the directory knows of one person's identity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub emails: Vec<String>,
    pub profile_urls: Vec<String>,
    pub name: String,
    pub company: String,
}

/// The outcome of resolving one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Existing {
        person: PersonId,
        matched_by: MatchedBy,
    },
    New,
}

/// One workspace's people, indexed by every identifying key.
#[derive(Debug, Default)]
pub struct Directory {
    people: HashMap<PersonId, Identity>,
    by_email: HashMap<String, PersonId>,
    by_url: HashMap<String, PersonId>,
    by_name_company: HashMap<(String, String), Vec<PersonId>>,
}

impl Directory {
    pub fn new() -> Directory {
        Directory::default()
    }

    /// A directory with room for `people` people.
    pub fn with_capacity(people: usize) -> Directory {
        Directory {
            people: HashMap::with_capacity_and_hasher(people, Default::default()),
            by_email: HashMap::with_capacity_and_hasher(people, Default::default()),
            by_url: HashMap::default(),
            by_name_company: HashMap::with_capacity_and_hasher(people, Default::default()),
        }
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    pub fn identity(&self, person: PersonId) -> Option<&Identity> {
        self.people.get(&person)
    }

    /// Whether the directory lacks this person's name or company key (so that a row with
    /// them fills it in).
    pub fn lacks_name_or_company(&self, person: PersonId) -> bool {
        self.people
            .get(&person)
            .is_some_and(|identity| identity.name.is_empty() || identity.company.is_empty())
    }

    /// The person who holds this normalised email.
    pub fn by_email(&self, email: &str) -> Option<PersonId> {
        self.by_email.get(email).copied()
    }

    /// The person who holds this normalised profile URL.
    pub fn by_profile_url(&self, url: &str) -> Option<PersonId> {
        self.by_url.get(url).copied()
    }

    /// Applies DESIGN's rules to a row's keys.
    ///
    /// An email match wins outright. A profile URL or name + company match is refused when
    /// the row's emails and the person's emails conflict.
    pub fn resolve(&self, keys: &Keys) -> Resolved {
        if let Some(person) = keys.emails.iter().find_map(|email| self.by_email(email)) {
            return Resolved::Existing {
                person,
                matched_by: MatchedBy::Email,
            };
        }
        if let Some(person) = keys
            .profile_url
            .as_deref()
            .and_then(|url| self.by_profile_url(url))
            && !self.emails_conflict(person, &keys.emails)
        {
            return Resolved::Existing {
                person,
                matched_by: MatchedBy::ProfileUrl,
            };
        }
        if !keys.name.is_empty() && !keys.company.is_empty() {
            let key = (keys.name.clone(), keys.company.clone());
            if let Some(candidates) = self.by_name_company.get(&key) {
                let mut candidates = candidates.clone();
                candidates.sort();
                if let Some(person) = candidates
                    .into_iter()
                    .find(|person| !self.emails_conflict(*person, &keys.emails))
                {
                    return Resolved::Existing {
                        person,
                        matched_by: MatchedBy::NameCompany,
                    };
                }
            }
        }
        Resolved::New
    }

    /// Whether merging a row with these emails into `person` would join conflicting emails.
    pub fn emails_conflict(&self, person: PersonId, emails: &[String]) -> bool {
        match self.people.get(&person) {
            Some(identity) => {
                !emails.is_empty()
                    && !identity.emails.is_empty()
                    && !emails.iter().any(|email| identity.emails.contains(email))
            }
            None => false,
        }
    }

    /// Adds a person, or replaces what is known of them, re-indexing every key.
    ///
    /// An email or URL already held by someone else stays with them.
    pub fn upsert(&mut self, person: PersonId, identity: Identity) {
        self.remove(person);
        let mut kept = identity;
        kept.emails
            .retain(|email| !self.by_email.contains_key(email));
        kept.profile_urls
            .retain(|url| !self.by_url.contains_key(url));
        for email in &kept.emails {
            self.by_email.insert(email.clone(), person);
        }
        for url in &kept.profile_urls {
            self.by_url.insert(url.clone(), person);
        }
        if !kept.name.is_empty() && !kept.company.is_empty() {
            self.by_name_company
                .entry((kept.name.clone(), kept.company.clone()))
                .or_default()
                .push(person);
        }
        self.people.insert(person, kept);
    }

    /// Forgets a person and all their keys.
    pub fn remove(&mut self, person: PersonId) -> Option<Identity> {
        let identity = self.people.remove(&person)?;
        for email in &identity.emails {
            self.by_email.remove(email);
        }
        for url in &identity.profile_urls {
            self.by_url.remove(url);
        }
        let key = (identity.name.clone(), identity.company.clone());
        if let Some(list) = self.by_name_company.get_mut(&key) {
            list.retain(|other| *other != person);
            if list.is_empty() {
                self.by_name_company.remove(&key);
            }
        }
        Some(identity)
    }

    /// Merges what a matched row adds into a person's identity: new emails and URLs that
    /// nobody holds yet, and a name or company where the person had none.
    pub fn absorb(&mut self, person: PersonId, keys: &Keys) {
        let Some(identity) = self.people.get(&person) else {
            return;
        };
        let new_emails: Vec<&String> = keys
            .emails
            .iter()
            .filter(|email| !self.by_email.contains_key(*email) && !identity.emails.contains(email))
            .collect();
        let new_url = keys
            .profile_url
            .as_ref()
            .filter(|url| !self.by_url.contains_key(*url) && !identity.profile_urls.contains(url));
        let fills_company = identity.company.is_empty() && !keys.company.is_empty();
        let fills_name = identity.name.is_empty() && !keys.name.is_empty();
        if new_emails.is_empty() && new_url.is_none() && !fills_company && !fills_name {
            return;
        }
        let mut identity = identity.clone();
        identity.emails.extend(new_emails.into_iter().cloned());
        identity.profile_urls.extend(new_url.cloned());
        if fills_company {
            identity.company = keys.company.clone();
        }
        if fills_name {
            identity.name = keys.name.clone();
        }
        self.upsert(person, identity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(name: &str, emails: &[&str], url: Option<&str>, company: Option<&str>) -> Keys {
        let emails: Vec<String> = emails.iter().map(|email| email.to_string()).collect();
        Keys::from_raw(name, &emails, url, company)
    }

    fn directory_with(people: &[(i64, Keys)]) -> Directory {
        let mut directory = Directory::new();
        for (id, keys) in people {
            let identity = Identity {
                emails: keys.emails.clone(),
                profile_urls: keys.profile_url.iter().cloned().collect(),
                name: keys.name.clone(),
                company: keys.company.clone(),
            };
            directory.upsert(PersonId(*id), identity);
        }
        directory
    }

    #[test]
    fn the_same_email_in_another_case_is_the_same_person() {
        let directory = directory_with(&[(1, keys("Dana Ortiz", &["dana@gs.com"], None, None))]);
        let resolved = directory.resolve(&keys("D. Ortiz", &["DANA@GS.COM"], None, None));
        assert_eq!(
            resolved,
            Resolved::Existing {
                person: PersonId(1),
                matched_by: MatchedBy::Email
            }
        );
    }

    #[test]
    fn the_same_profile_url_is_the_same_person() {
        let directory = directory_with(&[(
            1,
            keys(
                "Jane Doe",
                &[],
                Some("https://www.linkedin.com/in/jane-doe"),
                None,
            ),
        )]);
        let resolved =
            directory.resolve(&keys("Jane", &[], Some("linkedin.com/in/Jane-Doe/"), None));
        assert_eq!(
            resolved,
            Resolved::Existing {
                person: PersonId(1),
                matched_by: MatchedBy::ProfileUrl
            }
        );
    }

    #[test]
    fn the_same_name_and_company_is_the_same_person() {
        let directory = directory_with(&[(1, keys("José Peña", &[], None, Some("Acme, Inc.")))]);
        let resolved = directory.resolve(&keys(
            "jose pena",
            &["jose@acme.com"],
            None,
            Some("ACME Inc"),
        ));
        assert_eq!(
            resolved,
            Resolved::Existing {
                person: PersonId(1),
                matched_by: MatchedBy::NameCompany
            }
        );
    }

    #[test]
    fn the_same_name_at_another_company_is_someone_else() {
        let directory = directory_with(&[(1, keys("Chris Miller", &[], None, Some("Acme")))]);
        assert_eq!(
            directory.resolve(&keys("Chris Miller", &[], None, Some("Globex"))),
            Resolved::New
        );
        assert_eq!(
            directory.resolve(&keys("Chris Miller", &[], None, None)),
            Resolved::New
        );
    }

    #[test]
    fn conflicting_emails_are_never_merged_by_name_and_company() {
        let directory = directory_with(&[(
            1,
            keys("Chris Miller", &["chris@acme.com"], None, Some("Acme")),
        )]);
        let resolved = directory.resolve(&keys(
            "Chris Miller",
            &["cmiller@acme.com"],
            None,
            Some("Acme"),
        ));
        assert_eq!(resolved, Resolved::New);
    }

    #[test]
    fn conflicting_emails_are_never_merged_by_profile_url() {
        let url = "https://www.linkedin.com/in/chris";
        let directory = directory_with(&[(1, keys("Chris", &["chris@acme.com"], Some(url), None))]);
        assert_eq!(
            directory.resolve(&keys("Chris", &["other@acme.com"], Some(url), None)),
            Resolved::New
        );
    }

    #[test]
    fn absorbing_a_row_adds_its_new_keys() {
        let mut directory = directory_with(&[(1, keys("Jane Doe", &[], None, Some("Acme")))]);
        directory.absorb(
            PersonId(1),
            &keys(
                "Jane Doe",
                &["jane@acme.com"],
                Some("linkedin.com/in/jd"),
                Some("Acme"),
            ),
        );
        assert_eq!(directory.by_email("jane@acme.com"), Some(PersonId(1)));
        assert_eq!(
            directory.by_profile_url("https://www.linkedin.com/in/jd"),
            Some(PersonId(1))
        );
    }

    proptest! {
        /// Whatever rows arrive, a row is only ever merged into a person when the two share
        /// an email or one of them has none, and every email stays with exactly one person.
        #[test]
        fn no_merge_joins_conflicting_emails(
            rows in proptest::collection::vec(
                (0u8..4, proptest::collection::vec(0u8..6, 0..3), 0u8..3, proptest::option::of(0u8..3)),
                1..40,
            )
        ) {
            let mut directory = Directory::new();
            let mut next_id = 1;
            for (name, emails, company, url) in rows {
                let emails: Vec<String> = emails.iter().map(|e| format!("p{e}@example.com")).collect();
                let url = url.map(|u| format!("https://www.linkedin.com/in/p{u}"));
                let company = format!("Company {company}");
                let row = Keys::from_raw(&format!("Person {name}"), &emails, url.as_deref(), Some(&company));
                match directory.resolve(&row) {
                    Resolved::Existing { person, .. } => {
                        let held = directory.identity(person).cloned().unwrap_or_default();
                        let shares_one = row.emails.iter().any(|email| held.emails.contains(email));
                        prop_assert!(row.emails.is_empty() || held.emails.is_empty() || shares_one);
                        directory.absorb(person, &row);
                    }
                    Resolved::New => {
                        let person = PersonId(next_id);
                        next_id += 1;
                        let identity = Identity {
                            emails: row.emails.clone(),
                            profile_urls: row.profile_url.iter().cloned().collect(),
                            name: row.name.clone(),
                            company: row.company.clone(),
                        };
                        directory.upsert(person, identity);
                    }
                }
            }
            let mut holders: HashMap<String, PersonId> = HashMap::default();
            for id in 1..next_id {
                for email in directory.identity(PersonId(id)).cloned().unwrap_or_default().emails {
                    prop_assert_eq!(directory.by_email(&email), Some(PersonId(id)));
                    prop_assert!(holders.insert(email, PersonId(id)).is_none());
                }
            }
        }
    }
}

/// How a request names a person: `me`, a person id, an email or a profile URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonRef {
    Me,
    Id(PersonId),
    Email(String),
    ProfileUrl(String),
}

/// The error for text that names no person in any of the accepted ways.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not `me`, a person id, an email or a profile url")]
pub struct InvalidPersonRef(pub String);

impl PersonRef {
    /// Reads `me`, digits (a person id), an email, or a URL, normalising emails and URLs.
    ///
    /// # Errors
    /// [`InvalidPersonRef`] when the text is none of those.
    pub fn parse(text: &str) -> Result<PersonRef, InvalidPersonRef> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("me") {
            return Ok(PersonRef::Me);
        }
        if !trimmed.is_empty() && trimmed.bytes().all(|byte| byte.is_ascii_digit()) {
            return trimmed
                .parse()
                .map(|id| PersonRef::Id(PersonId(id)))
                .map_err(|_| InvalidPersonRef(trimmed.to_string()));
        }
        if trimmed.contains('@') && !trimmed.contains('/') {
            return normalize::email(trimmed)
                .map(PersonRef::Email)
                .ok_or_else(|| InvalidPersonRef(trimmed.to_string()));
        }
        normalize::profile_url(trimmed)
            .map(PersonRef::ProfileUrl)
            .ok_or_else(|| InvalidPersonRef(trimmed.to_string()))
    }
}

#[cfg(test)]
mod person_ref_tests {
    use super::*;

    #[test]
    fn person_refs_read_every_accepted_form() {
        assert_eq!(PersonRef::parse("ME"), Ok(PersonRef::Me));
        assert_eq!(PersonRef::parse("42"), Ok(PersonRef::Id(PersonId(42))));
        assert_eq!(
            PersonRef::parse("Ann@Example.com"),
            Ok(PersonRef::Email("ann@example.com".into()))
        );
        assert_eq!(
            PersonRef::parse("linkedin.com/in/ann"),
            Ok(PersonRef::ProfileUrl(
                "https://www.linkedin.com/in/ann".into()
            ))
        );
        assert!(PersonRef::parse("ann").is_err());
        assert!(PersonRef::parse("").is_err());
    }
}
