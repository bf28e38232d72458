//! The suppression list of erased people: workspace-scoped SHA-256 hashes of their
//! identifying keys (emails, profile URLs, name + company, and the name alone), so the list
//! never holds them in the clear, and the check that a row or a reference names one of
//! them. The name alone counts only for a row that carries nothing else (no email, profile
//! URL or company): anything more tells people of one name apart.

use foldhash::HashSet;
use sha2::{Digest, Sha256};

use super::Keys;

/// The suppression-list hash of one identifying key of `kind` (`email`, `url`,
/// `name_company` or `name`) in the workspace of id `workspace`.
pub(crate) fn suppression_hash(workspace: i64, kind: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(workspace.to_le_bytes());
    hasher.update(kind.as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One workspace's suppression list, as the store read it.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    workspace: i64,
    hashes: HashSet<String>,
}

impl Suppressions {
    /// The list of the workspace of id `workspace`, from its stored hashes.
    pub(crate) fn new(workspace: i64, hashes: HashSet<String>) -> Suppressions {
        Suppressions { workspace, hashes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Whether one key of `kind` belonged to an erased person.
    pub(crate) fn holds(&self, kind: &str, key: &str) -> bool {
        !self.hashes.is_empty()
            && self
                .hashes
                .contains(&suppression_hash(self.workspace, kind, key))
    }

    /// Whether any of a row's keys belonged to an erased person.
    pub(crate) fn covers(&self, keys: &Keys) -> bool {
        if self.hashes.is_empty() {
            return false;
        }
        keys.emails.iter().any(|email| self.holds("email", email))
            || keys.profile_url.iter().any(|url| self.holds("url", url))
            || (!keys.name.is_empty()
                && !keys.company.is_empty()
                && self.holds(
                    "name_company",
                    &format!("{}\u{1f}{}", keys.name, keys.company),
                ))
            || (!keys.name.is_empty()
                && keys.company.is_empty()
                && keys.emails.is_empty()
                && keys.profile_url.is_none()
                && self.holds("name", &keys.name))
    }
}
