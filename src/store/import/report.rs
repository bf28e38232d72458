//! An import's report: totals over the blocks of a file, and reading a stored report back
//! (by id, or by the digest of an upload applied before).

use foldhash::HashSet;
use rusqlite::{OptionalExtension, params};

use super::{ImportReport, Skipped};
use crate::import::{LineProblem, ParsedFile};
use crate::store::{Store, StoreError, WorkspaceId};

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
        id: i64,
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
        serde_json::from_str(&json).map_err(|error| StoreError::Invalid(error.to_string()))
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
            serde_json::from_str(&json).map_err(|error| StoreError::Invalid(error.to_string()))
        })
        .transpose()
}

pub(super) fn skipped(problem: &LineProblem) -> Skipped {
    Skipped {
        line: problem.line,
        column: problem.column,
        message: problem.message.clone(),
    }
}
