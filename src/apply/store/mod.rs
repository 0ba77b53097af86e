//! Where applications are kept: the [`Store`] trait the endpoint and the
//! `applications` commands talk to, and the types it takes and returns. Not the
//! validation (see `form`) nor the HTTP side (see `endpoint`).
//!
//! The parts: `types` (the trait and what it takes and returns), `sqlite` (the
//! SQLite implementation: group commit, queries), `schema` (connection
//! settings and migrations) and `files` (the private folder uploaded files are
//! kept in).

mod files;
mod schema;
mod sqlite;
mod types;

pub use sqlite::SqliteStore;
pub use types::*;

use std::path::{Path, PathBuf};

/// The database file of a data folder: `applications.db`, or `dev.db` for `openings serve`.
pub fn db_path(data: &Path, dev: bool) -> PathBuf {
    data.join(if dev { "dev.db" } else { "applications.db" })
}

/// Test fixtures, shared with the tests of the modules that use the store.
#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::apply::spool::Spooled;

    /// An application with a small PDF, spooled where `store` takes uploads from.
    pub fn sample(store: &dyn Store, slug: &str, at: i64) -> NewApplication {
        let mut answers = serde_json::Map::new();
        answers.insert("name".into(), "Ada Lovelace".into());
        answers.insert("email".into(), "ada@example.com".into());
        NewApplication {
            posting_slug: slug.into(),
            posting_title: "Engineer".into(),
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
