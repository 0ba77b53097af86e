//! Where applications are kept: the [`Store`] trait the endpoint and the
//! `applications` commands talk to, and the types it takes and returns. Not the
//! validation (see `form`) nor the HTTP side (see `endpoint`).
//!
//! The parts: `types` (the trait and what it takes and returns), `sqlite` (the
//! SQLite implementation: group commit, queries), `schema` (its connection
//! settings and migrations), `files` (the private folder its uploaded files
//! are kept in); `postgres` (the PostgreSQL implementation, for several
//! instances), `postgres_schema` (its connection pool and migrations) and
//! `migrate` (moving a SQLite store into PostgreSQL).

mod files;
mod migrate;
mod postgres;
mod postgres_schema;
mod schema;
mod sqlite;
mod types;

pub use migrate::sqlite_to_postgres;
pub use postgres::PostgresStore;
pub use postgres_schema::redacted;
pub use sqlite::SqliteStore;
pub use types::*;

use std::path::{Path, PathBuf};

/// The database file of a data folder: `applications.db`, or `dev.db` for `openings serve`.
pub fn db_path(data: &Path, dev: bool) -> PathBuf {
    data.join(if dev { "dev.db" } else { "applications.db" })
}

/// Test fixtures, shared with the tests of the modules that use the store.
#[cfg(test)]
mod contract;

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::apply::spool::Spooled;
    use std::sync::Arc;

    /// The database the PostgreSQL tests use, from `OPENINGS_TEST_DATABASE_URL`;
    /// without it they fail, saying how to run them.
    pub fn test_database_url() -> String {
        std::env::var("OPENINGS_TEST_DATABASE_URL").unwrap_or_else(|_| {
            panic!(
                "OPENINGS_TEST_DATABASE_URL is not set: this test needs a PostgreSQL server. \
                 Run it through `bash scripts/with-pg.sh cargo test ...` (scripts/test.sh does)"
            )
        })
    }

    /// What keeps a test store's data apart, removed when the test ends.
    enum Home {
        Folder {
            _dir: tempfile::TempDir,
        },
        /// A PostgreSQL schema of its own, so tests running at once do not meet.
        Schema {
            admin: String,
            schema: String,
        },
    }

    impl Drop for Home {
        fn drop(&mut self) {
            if let Home::Schema { admin, schema } = self
                && let Ok(mut c) = ::postgres::Client::connect(admin, ::postgres::NoTls)
            {
                let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }

    /// An empty store of one kind, and how to open it again.
    pub struct TestStore {
        pub kind: &'static str,
        pub store: Arc<dyn Store>,
        /// The SQLite file or the PostgreSQL URL.
        pub location: String,
        _home: Home,
    }

    impl TestStore {
        /// Another store over the same data, as a restart or a second instance opens it.
        pub fn open_again(&self) -> Arc<dyn Store> {
            match self.kind {
                "sqlite" => Arc::new(SqliteStore::open(Path::new(&self.location)).unwrap()),
                _ => Arc::new(PostgresStore::open(&self.location).unwrap()),
            }
        }
    }

    impl std::ops::Deref for TestStore {
        type Target = dyn Store;
        fn deref(&self) -> &(dyn Store + 'static) {
            &*self.store
        }
    }

    /// An empty SQLite store in a temporary folder.
    pub fn sqlite_store() -> TestStore {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        TestStore {
            kind: "sqlite",
            store: Arc::new(SqliteStore::open(&path).unwrap()),
            location: path.to_string_lossy().into_owned(),
            _home: Home::Folder { _dir: dir },
        }
    }

    /// A URL of the test database whose tables live in a new, empty schema.
    pub fn fresh_schema() -> (String, String) {
        let admin = test_database_url();
        let schema = format!("t_{}", crate::apply::spool::random_name().unwrap());
        let mut c = ::postgres::Client::connect(&admin, ::postgres::NoTls).unwrap();
        c.batch_execute(&format!("CREATE SCHEMA {schema}")).unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-csearch_path%3D{schema}");
        (url, schema)
    }

    /// An empty PostgreSQL store in a schema of its own.
    pub fn postgres_store() -> TestStore {
        let (url, schema) = fresh_schema();
        let home = Home::Schema {
            admin: test_database_url(),
            schema,
        };
        TestStore {
            kind: "postgres",
            store: Arc::new(PostgresStore::open(&url).unwrap()),
            location: url,
            _home: home,
        }
    }

    /// One empty store of each kind, for tests whose body holds for both.
    pub fn each_store() -> [TestStore; 2] {
        [sqlite_store(), postgres_store()]
    }

    /// An application with a small PDF, spooled where `store` takes uploads from.
    pub fn sample(store: &dyn Store, slug: &str, at: i64) -> NewApplication {
        let mut answers = serde_json::Map::new();
        answers.insert("name".into(), "Ada Lovelace".into());
        answers.insert("email".into(), "ada@example.com".into());
        NewApplication {
            posting_slug: slug.into(),
            posting_title: "Engineer".into(),
            language: "en".into(),
            answers,
            files: vec![NewFile {
                field: "resume".into(),
                name: "cv.pdf".into(),
                kind: "pdf".into(),
                file: Spooled::of(store.spool_dir(), b"%PDF-1.4 test"),
            }],
            received_at: at,
            client_hash: "abc".into(),
            consent: "I agree".into(),
            user_agent: Some("test".into()),
            outbox: Vec::new(),
        }
    }

    /// A webhook notice with `payload`.
    pub fn webhook_notice(payload: serde_json::Value) -> Notice {
        Notice {
            kind: NoticeKind::Webhook,
            payload,
        }
    }
}
