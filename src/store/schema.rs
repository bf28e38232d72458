//! The SQLite schema and its migrations, applied in order and recorded in `user_version`.
//!
//! A migration is appended, never edited: a database opened by a newer build moves forward
//! one step at a time, each step in its own transaction.

use rusqlite::Connection;

/// Every migration, in order; the database's `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: workspaces, people and their keys, imports, listings, the suppression list.
    "
    CREATE TABLE workspaces (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        me_id INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        company TEXT,
        title TEXT,
        fields TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '[]',
        fields_overridden INTEGER NOT NULL DEFAULT 0,
        origin_import INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX people_workspace ON people(workspace_id);
    CREATE TABLE person_emails (
        workspace_id INTEGER NOT NULL,
        email TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (workspace_id, email)
    ) WITHOUT ROWID;
    CREATE INDEX person_emails_person ON person_emails(person_id);
    CREATE TABLE person_urls (
        workspace_id INTEGER NOT NULL,
        url TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (workspace_id, url)
    ) WITHOUT ROWID;
    CREATE INDEX person_urls_person ON person_urls(person_id);
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        owner_id INTEGER NOT NULL,
        relationship TEXT,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        digest TEXT NOT NULL,
        report TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX imports_digest ON imports(workspace_id, digest);
    CREATE TABLE listings (
        import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        owner_id INTEGER NOT NULL,
        contact_id INTEGER NOT NULL,
        relationship TEXT,
        last_contacted INTEGER,
        connected_on INTEGER,
        interactions INTEGER,
        strength REAL,
        PRIMARY KEY (import_id, owner_id, contact_id)
    ) WITHOUT ROWID;
    CREATE INDEX listings_owner ON listings(owner_id);
    CREATE INDEX listings_contact ON listings(contact_id);
    CREATE TABLE suppressions (
        workspace_id INTEGER NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (workspace_id, hash)
    ) WITHOUT ROWID;
    ",
    // 2: API keys of workspaces (SHA-256 hashes only); declared ties are imports of
    // format 'manual' with one listing each, so the snapshot reads them like any other.
    "
    CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE INDEX api_keys_workspace ON api_keys(workspace_id);
    CREATE INDEX imports_owner ON imports(owner_id);
    ",
    // 3: the change log (which people and pairs each write touched, written by triggers,
    // profile URLs included),
    // so live networks catch up by reading back only those: `store::changes`), the
    // database's id (snapshot files name the database they were made from), listings
    // found by owner and contact together, people found by the import that brought them in
    // (withdrawing a list removes them), and each person's normalised name and company
    // (the identity rule's keys, worked out by `identity::normalize` through SQL functions),
    // so a small import finds the people its rows may be without reading everyone. People and
    // imports are rebuilt with AUTOINCREMENT, so an id is never handed out twice (a deleted
    // person's or list's id reaching a new one); `migrate` runs this with foreign keys off.
    "
    CREATE TABLE people_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        company TEXT,
        title TEXT,
        fields TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '[]',
        fields_overridden INTEGER NOT NULL DEFAULT 0,
        origin_import INTEGER,
        created_at TEXT NOT NULL,
        name_key TEXT,
        company_key TEXT
    );
    INSERT INTO people_new
        SELECT id, workspace_id, name, company, title, fields, evidence, fields_overridden,
               origin_import, created_at, warmpath_name_key(name), warmpath_company_key(company)
        FROM people;
    DROP TABLE people;
    ALTER TABLE people_new RENAME TO people;
    CREATE INDEX people_workspace ON people(workspace_id);
    CREATE TABLE imports_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        owner_id INTEGER NOT NULL,
        relationship TEXT,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        digest TEXT NOT NULL,
        report TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    INSERT INTO imports_new SELECT * FROM imports;
    DROP TABLE imports;
    ALTER TABLE imports_new RENAME TO imports;
    CREATE INDEX imports_digest ON imports(workspace_id, digest);
    CREATE INDEX imports_owner ON imports(owner_id);
    CREATE INDEX people_keys ON people(workspace_id, name_key, company_key);
    CREATE INDEX people_origin ON people(origin_import);
    CREATE TRIGGER people_keys_insert AFTER INSERT ON people WHEN NEW.name_key IS NULL BEGIN
        UPDATE people SET name_key = warmpath_name_key(NEW.name),
                          company_key = warmpath_company_key(NEW.company)
        WHERE id = NEW.id;
    END;
    CREATE TRIGGER people_keys_update AFTER UPDATE OF name, company ON people BEGIN
        UPDATE people SET name_key = warmpath_name_key(NEW.name),
                          company_key = warmpath_company_key(NEW.company)
        WHERE id = NEW.id;
    END;
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
    CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        a INTEGER,
        b INTEGER,
        workspace_id INTEGER
    );
    DROP INDEX listings_owner;
    CREATE INDEX listings_owner ON listings(owner_id, contact_id);
    CREATE TRIGGER changes_listing_insert AFTER INSERT ON listings WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a, b)
        VALUES (min(NEW.owner_id, NEW.contact_id), max(NEW.owner_id, NEW.contact_id));
    END;
    CREATE TRIGGER changes_listing_delete AFTER DELETE ON listings WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a, b)
        VALUES (min(OLD.owner_id, OLD.contact_id), max(OLD.owner_id, OLD.contact_id));
    END;
    CREATE TRIGGER changes_listing_update AFTER UPDATE ON listings WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a, b)
        VALUES (min(OLD.owner_id, OLD.contact_id), max(OLD.owner_id, OLD.contact_id));
        INSERT INTO changes (a, b)
        SELECT min(NEW.owner_id, NEW.contact_id), max(NEW.owner_id, NEW.contact_id)
        WHERE NEW.owner_id != OLD.owner_id OR NEW.contact_id != OLD.contact_id;
    END;
    CREATE TRIGGER changes_person_insert AFTER INSERT ON people WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (NEW.id);
    END;
    CREATE TRIGGER changes_person_update AFTER UPDATE OF name, company, title, fields ON people
    WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (NEW.id);
    END;
    CREATE TRIGGER changes_person_delete AFTER DELETE ON people WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (OLD.id);
    END;
    CREATE TRIGGER changes_email_insert AFTER INSERT ON person_emails WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (NEW.person_id);
    END;
    CREATE TRIGGER changes_email_delete AFTER DELETE ON person_emails WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (OLD.person_id);
    END;
    CREATE TRIGGER changes_email_update AFTER UPDATE ON person_emails WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (OLD.person_id);
        INSERT INTO changes (a) VALUES (NEW.person_id);
    END;
    CREATE TRIGGER changes_url_insert AFTER INSERT ON person_urls WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (NEW.person_id);
    END;
    CREATE TRIGGER changes_url_delete AFTER DELETE ON person_urls WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (OLD.person_id);
    END;
    CREATE TRIGGER changes_url_update AFTER UPDATE ON person_urls WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) VALUES (OLD.person_id);
        INSERT INTO changes (a) VALUES (NEW.person_id);
    END;
    CREATE TRIGGER changes_me AFTER UPDATE OF me_id ON workspaces WHEN warmpath_logging() BEGIN
        INSERT INTO changes (a) SELECT OLD.me_id WHERE OLD.me_id IS NOT NULL;
        INSERT INTO changes (a) SELECT NEW.me_id WHERE NEW.me_id IS NOT NULL;
    END;
    INSERT INTO changes (workspace_id) SELECT id FROM workspaces;
    ",
    // 4: introduction requests and the history of their states. Both people cascade: erasing
    // either deletes the request (a merge moves it first, see `requests::merge_requests`).
    // Dates are days since the common era, like listings'.
    "
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        introducer_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        target_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        reason TEXT,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        edited INTEGER NOT NULL DEFAULT 0,
        created_on INTEGER NOT NULL,
        updated_on INTEGER NOT NULL
    );
    CREATE INDEX requests_workspace ON requests(workspace_id, state, id);
    CREATE INDEX requests_introducer ON requests(introducer_id);
    CREATE INDEX requests_target ON requests(target_id);
    CREATE TABLE request_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        on_day INTEGER NOT NULL,
        note TEXT
    );
    CREATE INDEX request_history_request ON request_history(request_id, id);
    ",
    // 5: the department of a person's company, when an export gives one (vCard `ORG`'s
    // second unit, a "Department" column): classification reads it as the company's
    // division (FIELDS.md §4.1).
    "
    ALTER TABLE people ADD COLUMN department TEXT;
    ",
];

/// The secondary indexes that a bulk import drops and builds again once at the end (of
/// listings and of people's keys), as the migrations create them.
pub(crate) const BULK_INDEXES: [(&str, &str); 6] = [
    (
        "listings_owner",
        "CREATE INDEX listings_owner ON listings(owner_id, contact_id)",
    ),
    (
        "listings_contact",
        "CREATE INDEX listings_contact ON listings(contact_id)",
    ),
    (
        "person_emails_person",
        "CREATE INDEX person_emails_person ON person_emails(person_id)",
    ),
    (
        "person_urls_person",
        "CREATE INDEX person_urls_person ON person_urls(person_id)",
    ),
    (
        "people_keys",
        "CREATE INDEX people_keys ON people(workspace_id, name_key, company_key)",
    ),
    (
        "people_origin",
        "CREATE INDEX people_origin ON people(origin_import)",
    ),
];

/// The page size of new databases: 16 KiB pages make bulk loads about a tenth faster
/// than SQLite's default 4 KiB and cost point queries nothing measurable.
pub(crate) const PAGE_SIZE: i64 = 16384;

/// Brings a database up to the newest schema.
///
/// # Errors
/// Fails when a migration's SQL fails; that migration's transaction is rolled back.
pub fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize =
        connection.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))? as usize;
    if applied >= MIGRATIONS.len() {
        return Ok(());
    }
    // A migration may rebuild a table others refer to (SQLite's documented procedure):
    // with foreign keys on, dropping the old table would cascade into the others.
    connection.pragma_update(None, "foreign_keys", "OFF")?;
    let outcome = (|| {
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            let transaction = connection.transaction()?;
            transaction.execute_batch(sql)?;
            let broken: Option<String> = transaction
                .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
                .ok();
            if let Some(table) = broken {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
                    Some(format!(
                        "migration {} broke a foreign key of {table}",
                        index + 1
                    )),
                ));
            }
            transaction.pragma_update(None, "user_version", (index + 1) as i64)?;
            transaction.commit()?;
        }
        Ok(())
    })();
    connection.pragma_update(None, "foreign_keys", "ON")?;
    outcome
}

/// How many migrations this build knows.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database as builds before migration 3 left it, with a person, their email, an
    /// import and a listing.
    fn version_two(path: &std::path::Path) {
        let connection = Connection::open(path).unwrap();
        for sql in &MIGRATIONS[..2] {
            connection.execute_batch(sql).unwrap();
        }
        connection
            .execute_batch(
                "PRAGMA user_version = 2;
                 INSERT INTO workspaces (id, name, me_id, created_at) VALUES (1, 'default', 1, 'x');
                 INSERT INTO people (id, workspace_id, name, company, created_at)
                     VALUES (1, 1, 'Me', NULL, 'x'), (7, 1, 'Dr. Ana Ruiz', 'Acme Inc.', 'x');
                 INSERT INTO person_emails VALUES (1, 'ana@example.com', 7);
                 INSERT INTO imports (id, workspace_id, owner_id, format, encoding, digest, report, created_at)
                     VALUES (3, 1, 1, 'contacts', 'utf-8', 'd', '{}', 'x');
                 INSERT INTO listings (import_id, owner_id, contact_id) VALUES (3, 1, 7);",
            )
            .unwrap();
    }

    #[test]
    fn migration_three_keeps_every_row_and_ids_are_never_handed_out_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        version_two(&path);
        let store = crate::store::Store::open(&path).unwrap();
        let connection = &store.connection;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version as usize, latest_version());
        let (name_key, company_key): (String, String) = connection
            .query_row(
                "SELECT name_key, company_key FROM people WHERE id = 7",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (name_key.as_str(), company_key.as_str()),
            ("ana ruiz", "acme")
        );
        let email_holder: i64 = connection
            .query_row("SELECT person_id FROM person_emails", [], |row| row.get(0))
            .unwrap();
        assert_eq!(email_holder, 7, "emails survive the rebuild of people");
        let listings: i64 = connection
            .query_row(
                "SELECT count(*) FROM listings WHERE import_id = 3",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(listings, 1, "listings survive the rebuild of imports");
        // The highest ids deleted, then new rows: never the same ids again.
        connection
            .execute_batch(
                "DELETE FROM people WHERE id = 7; DELETE FROM imports WHERE id = 3;
                 INSERT INTO people (workspace_id, name, created_at) VALUES (1, 'New', 'x');
                 INSERT INTO imports (workspace_id, owner_id, format, encoding, digest, report, created_at)
                     VALUES (1, 1, 'contacts', 'utf-8', 'e', '{}', 'x');",
            )
            .unwrap();
        let (person, import): (i64, i64) = connection
            .query_row(
                "SELECT (SELECT max(id) FROM people), (SELECT max(id) FROM imports)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert!(person > 7 && import > 3, "{person} {import}");
        // Foreign keys are on again after migrating.
        let on: bool = connection
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .unwrap();
        assert!(on);
    }
}
