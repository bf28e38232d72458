//! An import's report and its row in `imports`: the row is inserted before the rows are
//! resolved (its id numbers the listings), its digest is set once known, and the report
//! (totals over the blocks, what resolving counted, ties created and updated, warnings) is
//! stored in it at the end, to be answered again for the same upload.

use foldhash::HashSet;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{ImportReport, ImportRequest, Merge, Pass, Skipped};
use crate::identity::PersonId;
use crate::identity::resolve::{Counts, Pairs, Resolution};
use crate::import::{LineProblem, ParsedFile};
use crate::relationship::Relationship;
use crate::store::{ImportId, Store, StoreError, WorkspaceId, now_text};

/// What the report sums over the blocks of a file.
#[derive(Default)]
pub(super) struct Totals {
    pub(super) rows: usize,
    pub(super) blank_rows: usize,
    pub(super) problems: Vec<LineProblem>,
    pub(super) warnings: Vec<String>,
}

impl Totals {
    pub(super) fn add(&mut self, block: &ParsedFile) {
        let bad_lines: HashSet<usize> = block.problems.iter().map(|problem| problem.line).collect();
        self.rows += block.rows.len() + bad_lines.len() + block.blank_rows;
        self.blank_rows += block.blank_rows;
        self.problems.extend(block.problems.iter().cloned());
        self.warnings.extend(block.warnings.iter().cloned());
    }
}

impl Store {
    /// One import's report.
    ///
    /// # Errors
    /// [`StoreError::UnknownImport`] when it is not an import of this workspace.
    pub fn import_report(
        &self,
        workspace: WorkspaceId,
        id: ImportId,
    ) -> Result<ImportReport, StoreError> {
        let json: Option<String> = self
            .connection
            .query_row(
                "SELECT report FROM imports WHERE id = ?1 AND workspace_id = ?2",
                params![id, workspace.0],
                |row| row.get(0),
            )
            .optional()?;
        let json = json.ok_or(StoreError::UnknownImport(id))?;
        serde_json::from_str(&json)
            .map_err(|error| StoreError::internal("a stored report does not read", error))
    }
}

/// The report of the import of this workspace with this digest, if there is one.
pub(super) fn report_by_digest(
    connection: &rusqlite::Connection,
    workspace: WorkspaceId,
    digest: &str,
) -> Result<Option<ImportReport>, StoreError> {
    let found: Option<String> = connection
        .query_row(
            "SELECT report FROM imports WHERE workspace_id = ?1 AND digest = ?2",
            params![workspace.0, digest],
            |row| row.get(0),
        )
        .optional()?;
    found
        .map(|json| {
            serde_json::from_str(&json)
                .map_err(|error| StoreError::internal("a stored report does not read", error))
        })
        .transpose()
}

/// Inserts the import's row, with an empty report, and returns its id.
pub(super) fn insert_import(
    transaction: &Transaction<'_>,
    pass: &Pass,
    request: &ImportRequest<'_>,
    owner: PersonId,
    digest: Option<&str>,
) -> Result<ImportId, StoreError> {
    transaction.execute(
        "INSERT INTO imports (workspace_id, owner_id, relationship, format, encoding, digest, report, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7)",
        params![
            pass.workspace.0,
            owner.0,
            request.relationship.map(Relationship::as_str),
            pass.format.as_str(),
            pass.encoding,
            digest.unwrap_or(""),
            now_text()
        ],
    )?;
    Ok(ImportId(transaction.last_insert_rowid()))
}

/// Sets the digest of an import whose digest was only known once it was read.
pub(super) fn record_digest(
    transaction: &Transaction<'_>,
    import_id: ImportId,
    digest: &str,
) -> Result<(), StoreError> {
    transaction.execute(
        "UPDATE imports SET digest = ?1 WHERE id = ?2",
        params![digest, import_id],
    )?;
    Ok(())
}

/// (ties created, ties updated): the distinct pairs this import lists, split by
/// whether another list already had them.
pub(super) fn count_ties(
    transaction: &Transaction<'_>,
    pass: &Pass,
    pairs: Pairs,
) -> Result<(usize, usize), StoreError> {
    let pairs = pairs.distinct();
    if pass.fresh_workspace {
        return Ok((pairs.len(), 0));
    }
    let mut exists = transaction.prepare_cached(
        "SELECT 1 FROM listings WHERE import_id != ?3 AND
           ((owner_id = ?1 AND contact_id = ?2) OR (owner_id = ?2 AND contact_id = ?1)) LIMIT 1",
    )?;
    // Only a pair of people who both existed before this import can be listed by
    // another one.
    let mut updated = 0;
    for (a, b) in pairs
        .iter()
        .filter(|(a, b)| a.0 < pass.first_new_person && b.0 < pass.first_new_person)
    {
        if exists.exists(params![a.0, b.0, pass.import_id])? {
            updated += 1;
        }
    }
    Ok((pairs.len() - updated, updated))
}

/// The report of an applied import. `resolution` gives up its merges.
pub(super) fn build(
    pass: &Pass,
    totals: Totals,
    resolution: &mut Resolution,
    (ties_created, ties_updated): (usize, usize),
) -> ImportReport {
    let mut warnings = totals.warnings;
    if totals.blank_rows > 0 {
        warnings.push(format!(
            "{} row(s) without a person in them (deleted members, empty cards, undecodable bytes) were skipped",
            totals.blank_rows
        ));
    }
    warnings.extend(resolution_warnings(&resolution.counts));
    let merges: Vec<Merge> = std::mem::take(&mut resolution.merges)
        .into_iter()
        .map(|merge| Merge {
            person: merge.person,
            matched_by: merge.matched_by,
            line: merge.line,
        })
        .collect();
    ImportReport {
        id: pass.import_id,
        format: pass.format.as_str().to_string(),
        encoding: pass.encoding.to_string(),
        owner: pass.owner,
        rows: totals.rows,
        people_created: resolution.counts.people_created,
        people_merged: merges.len(),
        merges,
        ties_created,
        ties_updated,
        skipped: totals.problems.iter().map(skipped).collect(),
        suppressed: resolution.counts.suppressed,
        warnings,
        took_ms: pass.started.elapsed().as_millis() as u64,
    }
}

/// Stores the report in the import's row.
pub(super) fn save(transaction: &Transaction<'_>, report: &ImportReport) -> Result<(), StoreError> {
    let json = serde_json::to_string(report)
        .map_err(|error| StoreError::internal("a report does not serialise", error))?;
    transaction.execute(
        "UPDATE imports SET report = ?1 WHERE id = ?2",
        params![json, report.id],
    )?;
    Ok(())
}

/// What the rows' resolution has to say: rows skipped for listing their owner, fields
/// outside the taxonomy.
fn resolution_warnings(counts: &Counts) -> Vec<String> {
    let mut warnings = Vec::new();
    if counts.self_listings > 0 {
        warnings.push(format!(
            "{} row(s) list the owner themself and were skipped",
            counts.self_listings
        ));
    }
    if counts.unknown_fields > 0 {
        warnings.push(format!(
            "{} row(s) name a field that is not in the taxonomy; it was ignored",
            counts.unknown_fields
        ));
    }
    warnings
}

fn skipped(problem: &LineProblem) -> Skipped {
    Skipped {
        line: problem.line,
        column: problem.column,
        message: problem.message.clone(),
    }
}
