//! Moves a SQLite store into an empty PostgreSQL one (`openings applications
//! migrate`): every application with its id, its files' bytes, the outbox
//! messages not yet sent, the client salt (so repeat applicants are still
//! recognised) and the largest id ever given out (so deleted ids are never
//! given again). All in one transaction: a move that fails leaves the target
//! empty, to be tried again. Not the stores themselves (see `sqlite`,
//! `postgres`).

use super::postgres::PostgresStore;
use super::sqlite::SqliteStore;
use super::types::{Filter, Result, Store, StoreError};
use rusqlite::OptionalExtension;

/// What a move carried over.
#[derive(Debug, Default, PartialEq)]
pub struct Moved {
    pub applications: usize,
    pub files: usize,
    pub messages: usize,
}

/// One outbox row as SQLite keeps it.
struct Message {
    id: i64,
    application_id: i64,
    kind: String,
    payload: String,
    attempts: i32,
    next_attempt_at: Option<i64>,
    last_error: Option<String>,
}

/// Copies everything in `from` into `to`, which must hold no application and
/// no message yet.
pub fn sqlite_to_postgres(from: &SqliteStore, to: &PostgresStore) -> Result<Moved> {
    let (messages, largest, salt) = from.read(|c| {
        let mut stmt = c.prepare(
            "SELECT id, application_id, kind, payload, attempts, next_attempt_at, last_error
             FROM outbox ORDER BY id",
        )?;
        let messages = stmt
            .query_map([], |r| {
                Ok(Message {
                    id: r.get(0)?,
                    application_id: r.get(1)?,
                    kind: r.get(2)?,
                    payload: r.get(3)?,
                    attempts: r.get(4)?,
                    next_attempt_at: r.get(5)?,
                    last_error: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let largest: Option<i64> = c
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'applications'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let salt: String = c.query_row(
            "SELECT value FROM settings WHERE key = 'client_salt'",
            [],
            |r| r.get(0),
        )?;
        Ok((messages, largest.unwrap_or(0), salt))
    })?;
    let apps = from.list(&Filter::default())?;
    let mut conn = to.connection()?;
    let mut tx = conn.transaction()?;
    let held: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM applications) + (SELECT count(*) FROM outbox)",
            &[],
        )?
        .get(0);
    if held > 0 {
        return Err(StoreError(
            "the target database already holds applications or messages: migrate only into an empty one".into(),
        ));
    }
    let mut moved = Moved::default();
    for app in &apps {
        let answers = serde_json::Value::Object(app.answers.clone()).to_string();
        tx.execute(
            "INSERT INTO applications
             (id, intake_key, posting_slug, posting_title, language, received_at, answers, consent, client_hash, user_agent)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &app.id,
                &format!("migrated-{}", app.id),
                &app.posting_slug,
                &app.posting_title,
                &app.language,
                &app.received_at,
                &answers,
                &app.consent,
                &app.client_hash,
                &app.user_agent,
            ],
        )?;
        for f in &app.files {
            let content = from.file_bytes(f.id)?.ok_or_else(|| {
                StoreError(format!(
                    "the file {} of application {} is missing",
                    f.id, app.id
                ))
            })?;
            tx.execute(
                "INSERT INTO files (id, application_id, field, name, kind, size, blake3, content)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &f.id,
                    &app.id,
                    &f.field,
                    &f.name,
                    &f.kind,
                    &(f.size as i64),
                    &f.blake3,
                    &content,
                ],
            )?;
            moved.files += 1;
        }
        moved.applications += 1;
    }
    for m in &messages {
        tx.execute(
            "INSERT INTO outbox (id, application_id, kind, payload, attempts, next_attempt_at, last_error)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &m.id,
                &m.application_id,
                &m.kind,
                &m.payload,
                &m.attempts,
                &m.next_attempt_at,
                &m.last_error,
            ],
        )?;
        moved.messages += 1;
    }
    // New ids continue after the largest ever given out, here or there.
    tx.execute(
        "SELECT setval(pg_get_serial_sequence('applications', 'id'),
           GREATEST($1, (SELECT COALESCE(max(id), 0) FROM applications), 1))",
        &[&largest],
    )?;
    tx.batch_execute(
        "SELECT setval(pg_get_serial_sequence('files', 'id'),
           GREATEST((SELECT COALESCE(max(id), 0) FROM files), 1));
         SELECT setval(pg_get_serial_sequence('outbox', 'id'),
           GREATEST((SELECT COALESCE(max(id), 0) FROM outbox), 1));",
    )?;
    tx.execute(
        "UPDATE settings SET value = $1 WHERE key = 'client_salt'",
        &[&salt],
    )?;
    tx.commit()?;
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::tests::{postgres_store, sample, webhook_notice};

    #[test]
    fn a_sqlite_store_moves_with_ids_files_messages_and_salt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let from = SqliteStore::open(&path).unwrap();
        let first = from.insert(sample(&from, "a", 1)).unwrap();
        let mut second = sample(&from, "b", 2);
        second.language = "de".into();
        second.outbox = vec![webhook_notice(serde_json::json!({"posting": "b"}))];
        let second = from.insert(second).unwrap();
        let third = from.insert(sample(&from, "c", 3)).unwrap();
        from.delete(&[first, third]).unwrap();
        from.outbox_failed(1, None, "gave up").unwrap();
        let target = postgres_store();
        let to = PostgresStore::open(&target.location).unwrap();
        let moved = sqlite_to_postgres(&from, &to).unwrap();
        let expected = Moved {
            applications: 1,
            files: 1,
            messages: 1,
        };
        assert_eq!(moved, expected);
        let to = PostgresStore::open(&target.location).unwrap();
        assert_eq!(
            to.list(&Filter::default()).unwrap(),
            from.list(&Filter::default()).unwrap()
        );
        let moved_second = to.get(second).unwrap().unwrap();
        assert_eq!(moved_second.language, "de");
        let file = moved_second.files[0].id;
        assert_eq!(to.file_bytes(file).unwrap().unwrap(), b"%PDF-1.4 test");
        assert_eq!(to.outbox_list().unwrap(), from.outbox_list().unwrap());
        assert_eq!(to.client_hash("10.0.0.1"), from.client_hash("10.0.0.1"));
        // The deleted newest id is not given again.
        assert!(to.insert(sample(&to, "d", 4)).unwrap() > third);
        // A second move finds the target in use and changes nothing.
        let again = sqlite_to_postgres(&from, &to).unwrap_err();
        assert!(again.0.contains("already holds"), "{again}");
        assert_eq!(to.list(&Filter::default()).unwrap().len(), 2);
    }
}
