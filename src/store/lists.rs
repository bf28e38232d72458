//! Reading lists out of the store for the API: imports and people a page at a time, and
//! the listings behind one person's ties.
//!
//! Pages are keyset-paginated by id: a cursor is the last id of the previous page, so a
//! page never repeats or skips rows when others are added meanwhile.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{ImportId, ImportReport, Person, Store, StoreError, WorkspaceId, days_to_date};
use crate::identity::{PersonId, normalize};
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// One page of a list and the cursor of the next one, if there is more.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<i64>,
}

/// Which people `GET /v1/people` finds; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeopleFilter {
    /// A case- and accent-insensitive substring of the name, company, title or an email.
    pub q: Option<String>,
    /// A field id or text ("VC") that resolves to fields; a parent includes its children.
    pub field: Option<String>,
    /// A case- and accent-insensitive substring of the company.
    pub company: Option<String>,
}

/// One listing behind a tie: which list says so, and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct TieSource {
    pub import: ImportId,
    pub declared: bool,
    /// Whether an introduction request wrote this declared tie (logging an interaction).
    pub by_request: bool,
    pub listed_by: PersonId,
    pub relationship: Option<String>,
    pub last_contacted: Option<chrono::NaiveDate>,
    pub interactions: Option<u32>,
    pub strength: Option<f64>,
}

/// A person's tie to one other person, with every listing behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct TieRecord {
    pub person: PersonId,
    pub sources: Vec<TieSource>,
}

impl TieRecord {
    /// Whether a tie's explicit strength (the largest of its listings') is one a user
    /// declared (`POST /v1/ties`) rather than one a contact list gives.
    pub fn is_declared_strength(&self, explicit: f64) -> bool {
        self.sources
            .iter()
            .any(|source| source.declared && source.strength == Some(explicit))
    }
}

impl Store {
    /// A page of a workspace's import reports, oldest first (declared ties excluded).
    ///
    /// # Errors
    /// Fails on a database error.
    pub fn list_imports(
        &self,
        workspace: WorkspaceId,
        limit: usize,
        after: i64,
    ) -> Result<Page<ImportReport>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT id FROM imports WHERE workspace_id = ?1 AND format != 'manual' AND id > ?2
             ORDER BY id LIMIT ?3",
        )?;
        let ids: Vec<ImportId> = statement
            .query_map(params![workspace.0, after, limit as i64 + 1], |row| {
                row.get(0)
            })?
            .collect::<Result<_, _>>()?;
        let reports = ids
            .iter()
            .take(limit)
            .map(|id| self.import_report(workspace, *id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page(reports, ids.len() > limit, |report| report.id.0))
    }

    /// One import's report; declared ties are not imports here.
    ///
    /// # Errors
    /// [`StoreError::UnknownImport`] when it is not an import of this workspace.
    pub fn uploaded_import(
        &self,
        workspace: WorkspaceId,
        id: ImportId,
    ) -> Result<ImportReport, StoreError> {
        let uploaded: bool = self.connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM imports WHERE id = ?1 AND workspace_id = ?2 AND format != 'manual')",
            params![id, workspace.0],
            |row| row.get(0),
        )?;
        if !uploaded {
            return Err(StoreError::UnknownImport(id));
        }
        self.import_report(workspace, id)
    }

    /// A page of the people that match a filter, by id.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a field that matches nothing in the taxonomy.
    pub fn search_people(
        &self,
        workspace: WorkspaceId,
        filter: &PeopleFilter,
        limit: usize,
        after: i64,
    ) -> Result<Page<Person>, StoreError> {
        let taxonomy = Taxonomy::embedded();
        let field_mask = filter.field.as_deref().map(field_mask).transpose()?;
        let q = filter.q.as_deref().map(fold).filter(|q| !q.is_empty());
        // Emails are also compared as written (normalised when q is an email): folding
        // turns "dp@example.com" into "dp example com", which no stored email contains.
        let q_email = filter
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| normalize::email(q).unwrap_or_else(|| q.to_lowercase()));
        let company = filter
            .company
            .as_deref()
            .map(fold)
            .filter(|c| !c.is_empty());
        let mut statement = self.connection.prepare(
            "SELECT p.id, p.name, p.company, p.title, p.fields,
                    (SELECT group_concat(e.email, ' ') FROM person_emails e WHERE e.person_id = p.id)
             FROM people p WHERE p.workspace_id = ?1 AND p.id > ?2 ORDER BY p.id",
        )?;
        let mut rows = statement.query(params![workspace.0, after])?;
        let mut found: Vec<i64> = Vec::new();
        while let Some(row) = rows.next()? {
            let text = |index: usize| -> rusqlite::Result<String> {
                Ok(fold(
                    &row.get::<_, Option<String>>(index)?.unwrap_or_default(),
                ))
            };
            if let Some(mask) = field_mask {
                let fields: Vec<String> =
                    serde_json::from_str(&row.get::<_, String>(4)?).unwrap_or_default();
                let held = fields
                    .iter()
                    .filter_map(|field| taxonomy.field(field))
                    .fold(0u128, |held, idx| held | taxonomy.bit(idx));
                if held & mask == 0 {
                    continue;
                }
            }
            if let Some(company) = &company
                && !text(2)?.contains(company.as_str())
            {
                continue;
            }
            if let Some(q_email) = &q_email {
                let emails = row.get::<_, Option<String>>(5)?.unwrap_or_default();
                let folded_hit = match &q {
                    Some(q) => [text(1)?, text(2)?, text(3)?, fold(&emails)]
                        .iter()
                        .any(|text| text.contains(q.as_str())),
                    None => false,
                };
                if !(folded_hit || emails.contains(q_email.as_str())) {
                    continue;
                }
            }
            found.push(row.get(0)?);
            if found.len() > limit {
                break;
            }
        }
        let people = found
            .iter()
            .take(limit)
            .map(|id| self.person(workspace, PersonId(*id)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page(people, found.len() > limit, |person| person.id.0))
    }

    /// Every listing that ties a person to someone, grouped by that someone.
    ///
    /// # Errors
    /// [`StoreError::UnknownPerson`] when the person is not in this workspace.
    pub fn ties_of(
        &self,
        workspace: WorkspaceId,
        person: PersonId,
    ) -> Result<Vec<TieRecord>, StoreError> {
        self.person(workspace, person)?;
        let mut statement = self.connection.prepare(
            "SELECT l.import_id, i.format = 'manual', l.owner_id, l.contact_id, l.relationship,
                    l.last_contacted, l.interactions, l.strength,
                    i.format = 'manual' AND i.encoding = 'request'
             FROM listings l JOIN imports i ON i.id = l.import_id
             WHERE i.workspace_id = ?1 AND (l.owner_id = ?2 OR l.contact_id = ?2)
             ORDER BY l.import_id",
        )?;
        let mut rows = statement.query(params![workspace.0, person.0])?;
        let mut by_person: BTreeMap<i64, Vec<TieSource>> = BTreeMap::new();
        while let Some(row) = rows.next()? {
            let owner: i64 = row.get(2)?;
            let contact: i64 = row.get(3)?;
            let other = if owner == person.0 { contact } else { owner };
            by_person.entry(other).or_default().push(TieSource {
                import: row.get(0)?,
                declared: row.get(1)?,
                by_request: row.get(8)?,
                listed_by: PersonId(owner),
                relationship: row.get(4)?,
                last_contacted: row.get::<_, Option<i64>>(5)?.and_then(days_to_date),
                interactions: row
                    .get::<_, Option<i64>>(6)?
                    .and_then(|count| u32::try_from(count).ok()),
                strength: row.get(7)?,
            });
        }
        Ok(by_person
            .into_iter()
            .map(|(other, sources)| TieRecord {
                person: PersonId(other),
                sources,
            })
            .collect())
    }
}

/// A page of `items` (already cut to the limit), its cursor the last item's id when there
/// are `more`.
pub(super) fn page<T>(mut items: Vec<T>, more: bool, id: impl Fn(&T) -> i64) -> Page<T> {
    let next_cursor = if more { items.last().map(&id) } else { None };
    items.shrink_to_fit();
    Page { items, next_cursor }
}

/// The mask of the fields a field id or query text names, parents including children.
fn field_mask(text: &str) -> Result<u128, StoreError> {
    let taxonomy = Taxonomy::embedded();
    let text = text.trim();
    let indices: Vec<_> = match taxonomy.field(text) {
        Some(idx) => vec![idx],
        None => taxonomy
            .resolve(text)
            .fields
            .iter()
            .filter_map(|resolved| taxonomy.field(&resolved.field))
            .collect(),
    };
    let mask = indices
        .into_iter()
        .fold(0u128, |mask, idx| mask | taxonomy.query_mask(idx));
    if mask == 0 {
        return Err(StoreError::Invalid(format!(
            "no field matches {text:?}; GET /v1/fields lists them"
        )));
    }
    Ok(mask)
}
