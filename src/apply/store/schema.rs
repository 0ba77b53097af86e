//! How an applications database is opened and brought up to date: the
//! settings every connection needs, the schema migrations, and the client
//! salt kept in it. Not the queries (see `sqlite`).

use super::types::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// Schema versions, applied in order by `rusqlite_migration` (which records in
/// `PRAGMA user_version` how many ran). Never edit a released step: add one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: applications, their files, webhook outbox, store settings.
    "CREATE TABLE applications (
        id INTEGER PRIMARY KEY,
        posting_slug TEXT NOT NULL,
        posting_title TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        answers TEXT NOT NULL,
        consent TEXT NOT NULL,
        client_hash TEXT NOT NULL,
        user_agent TEXT
    );
    CREATE INDEX applications_by_time ON applications(received_at);
    CREATE INDEX applications_by_posting ON applications(posting_slug, received_at);
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        blake3 TEXT NOT NULL,
        stored_name TEXT NOT NULL UNIQUE
    );
    CREATE INDEX files_by_application ON files(application_id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error TEXT
    );
    CREATE INDEX outbox_due ON outbox(next_attempt_at);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: application ids are never reused, also after the newest or every row
    // was deleted (AUTOINCREMENT keeps the largest id ever given out in
    // sqlite_sequence). SQLite cannot add AUTOINCREMENT to a table, so the
    // table is rebuilt the way SQLite documents: new table, copy (ids kept,
    // which sets sqlite_sequence to the largest), drop, rename. `files` and
    // `outbox` refer to `applications` by name and keep pointing at it;
    // foreign keys are off while this runs (see `migrate`), so dropping the old
    // table does not cascade into them.
    "CREATE TABLE applications_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        posting_slug TEXT NOT NULL,
        posting_title TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        answers TEXT NOT NULL,
        consent TEXT NOT NULL,
        client_hash TEXT NOT NULL,
        user_agent TEXT
    );
    INSERT INTO applications_new
        (id, posting_slug, posting_title, received_at, answers, consent, client_hash, user_agent)
        SELECT id, posting_slug, posting_title, received_at, answers, consent, client_hash, user_agent
        FROM applications ORDER BY id;
    DROP TABLE applications;
    ALTER TABLE applications_new RENAME TO applications;
    CREATE INDEX applications_by_time ON applications(received_at);
    CREATE INDEX applications_by_posting ON applications(posting_slug, received_at);",
    // 3: the outbox carries emails besides webhook notices.
    "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'webhook';",
    // 4: the language of the page an application was sent from; empty for
    // those stored before it was recorded.
    "ALTER TABLE applications ADD COLUMN language TEXT NOT NULL DEFAULT '';",
];

/// Which file is at `path` (device and inode), to tell when it was removed or replaced.
pub(super) fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

/// Opens a connection with the settings every connection needs.
pub(super) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)
        .map_err(|e| StoreError(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: in WAL mode, NORMAL may lose the last commits on a power cut (the WAL
    // is only synced at checkpoints). A candidate told "received" must never be
    // lost, so every commit waits for the WAL to reach the disk.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted applications are overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(conn)
}

/// Brings the database up to date. Foreign keys are off while migrations run
/// (a table rebuild must not cascade) and checked at the end of each step;
/// `PRAGMA foreign_keys` does nothing inside a transaction, so it is switched
/// here, around the migrations' transactions, and on again whatever happened.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    use rusqlite_migration::{M, Migrations};
    let steps = MIGRATIONS
        .iter()
        .map(|step| M::up(step).foreign_key_check());
    let migrations = Migrations::new(steps.collect());
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = migrations.to_latest(conn);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result.map_err(|e| migration_error(conn, e))
}

fn migration_error(conn: &Connection, e: rusqlite_migration::Error) -> StoreError {
    use rusqlite_migration::{Error, MigrationDefinitionError};
    match e {
        Error::MigrationDefinition(MigrationDefinitionError::DatabaseTooFarAhead) => {
            let version: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap_or(-1);
            StoreError(format!(
                "the database has schema version {version}, newer than this openings knows ({}): upgrade openings",
                MIGRATIONS.len()
            ))
        }
        e => StoreError(format!("cannot bring the database up to date: {e}")),
    }
}

/// The random salt of client hashes, made on first use and kept in the database.
pub(super) fn salt(conn: &Connection) -> Result<[u8; 32]> {
    let read = || -> Result<Option<String>> {
        Ok(conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'client_salt'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    };
    let hex = match read()? {
        Some(hex) => hex,
        None => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| StoreError(format!("no randomness: {e}")))?;
            let hex = blake3::Hash::from_bytes(bytes).to_hex().to_string();
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('client_salt', ?1)",
                [&hex],
            )?;
            read()?.ok_or_else(|| StoreError("the client salt was not kept".into()))?
        }
    };
    blake3::Hash::from_hex(hex.as_bytes())
        .map(|h| *h.as_bytes())
        .map_err(|_| StoreError("the stored client salt is damaged".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::tests::sample;
    use crate::apply::store::{Filter, SqliteStore, Store};

    #[test]
    fn migrations_run_once_and_settings_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let first = SqliteStore::open(&path).unwrap();
        let hash = first.client_hash("127.0.0.1");
        first.insert(sample(&first, "x", 1)).unwrap();
        drop(first);
        let again = SqliteStore::open(&path).unwrap();
        assert_eq!(again.client_hash("127.0.0.1"), hash);
        assert_ne!(again.client_hash("127.0.0.2"), hash);
        assert_eq!(again.list(&Filter::default()).unwrap().len(), 1);
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = SqliteStore::open(&path).err().unwrap();
        assert!(err.0.contains("upgrade openings"), "{err}");
    }

    #[test]
    fn a_first_schema_database_keeps_its_rows_ids_files_and_notices() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO applications VALUES
               (3, 'a', 'A', 10, '{\"name\":\"Ada\"}', 'ok', 'h', NULL),
               (7, 'b', 'B', 20, '{\"name\":\"Bo\"}', 'ok', 'h', 'ua');
             INSERT INTO files VALUES (1, 7, 'resume', 'cv.pdf', 'pdf', 5, 'x', 'stored');
             INSERT INTO outbox (application_id, payload, next_attempt_at) VALUES (7, '{}', 1);",
        )
        .unwrap();
        drop(old);
        let mut conn = connect(&path).unwrap();
        migrate(&mut conn).unwrap();
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(
            count("SELECT count(*) FROM files WHERE application_id = 7"),
            1
        );
        assert_eq!(
            count("SELECT count(*) FROM outbox WHERE application_id = 7"),
            1
        );
        assert_eq!(
            count("SELECT seq FROM sqlite_sequence WHERE name = 'applications'"),
            7
        );
        assert_eq!(count("PRAGMA foreign_keys"), 1);
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'applications'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.contains("AUTOINCREMENT"), "{sql}");
        // Cascades still reach the rebuilt table's children.
        conn.execute("DELETE FROM applications WHERE id = 7", [])
            .unwrap();
        assert_eq!(count("SELECT count(*) FROM files"), 0);
        conn.execute(
            "INSERT INTO applications (posting_slug, posting_title, received_at, answers, consent, client_hash)
             VALUES ('c', 'C', 30, '{}', 'ok', 'h')",
            [],
        )
        .unwrap();
        assert_eq!(conn.last_insert_rowid(), 8);
    }

    #[test]
    fn applications_stored_before_languages_were_recorded_have_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let old = Connection::open(&path).unwrap();
        for step in &MIGRATIONS[..3] {
            old.execute_batch(step).unwrap();
        }
        old.execute_batch(
            "PRAGMA user_version = 3;
             INSERT INTO applications VALUES
               (1, 'a', 'A', 10, '{\"name\":\"Ada\"}', 'ok', 'h', NULL);",
        )
        .unwrap();
        drop(old);
        let store = SqliteStore::open(&path).unwrap();
        let before = store.get(1).unwrap().unwrap();
        assert_eq!(before.answers["name"], "Ada");
        assert_eq!(before.language, "");
        let mut new = sample(&store, "a", 20);
        new.language = "de".into();
        let id = store.insert(new).unwrap();
        assert_eq!(store.get(id).unwrap().unwrap().language, "de");
        assert_eq!(store.list(&Filter::default()).unwrap().len(), 2);
    }
}
