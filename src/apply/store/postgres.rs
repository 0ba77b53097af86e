//! The PostgreSQL implementation of [`Store`], for several endpoint instances
//! sharing one database: the queries, the retry of a lost connection, and the
//! outbox lease that lets one instance send each message. Not the connection
//! settings and migrations (see `postgres_schema`), nor the types the trait
//! speaks (see `types`).
//!
//! An application, its files and its outbox messages go in one transaction;
//! the files' bytes are stored in the database (`bytea`), since instances
//! share no disk. Uploads still arrive in a private spool folder on the local
//! disk and are read from there into the transaction.

use super::postgres_schema::{Pool, migrate, pool, salt};
use super::types::{
    Application, FileInfo, Filter, NewApplication, NoticeKind, OutboxEntry, OutboxItem, Result,
    Store, StoreError,
};
use crate::apply::folder::create_private_dir;
use postgres::{Client, Row};
use r2d2_postgres::PostgresConnectionManager;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How long an instance holds the outbox messages it took, before another
/// may take them (the one holding them was killed, or hangs). Longer than a
/// batch takes to deliver: a webhook times out in 10 s, an SMTP exchange in 20 s.
const LEASE_MS: i64 = 5 * 60 * 1000;

/// Attempts of one operation when the connection is lost under it.
const ATTEMPTS: u32 = 3;

/// Applications in PostgreSQL, reached through a pool of connections.
pub struct PostgresStore {
    pool: Pool,
    /// The local private folder uploads are spooled to before they are stored.
    spool: PathBuf,
    salt: [u8; 32],
}

impl PostgresStore {
    /// Connects to the database at `url` and brings its schema up to date.
    pub fn open(url: &str) -> Result<PostgresStore> {
        let pool = pool(url)?;
        let mut conn = pool.get()?;
        migrate(&mut conn)?;
        let salt = salt(&mut conn)?;
        drop(conn);
        let spool = spool_folder(&std::env::temp_dir())?;
        Ok(PostgresStore { pool, spool, salt })
    }

    /// A connection of the pool (for `migrate`, which writes in one transaction).
    pub(super) fn connection(
        &self,
    ) -> Result<r2d2::PooledConnection<PostgresConnectionManager<MakeRustlsConnect>>> {
        Ok(self.pool.get()?)
    }

    /// Runs `op` on a pooled connection, again on a fresh one when the
    /// connection was lost (the server restarted, a proxy dropped it) and the
    /// error says nothing about the query itself.
    fn run<T>(
        &self,
        mut op: impl FnMut(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let mut attempt = 1;
        loop {
            let mut conn = self.pool.get()?;
            match op(&mut conn) {
                Ok(value) => return Ok(value),
                Err(e) if attempt < ATTEMPTS && retryable(&e) => {
                    drop(conn);
                    std::thread::sleep(Duration::from_millis(100 << attempt));
                    attempt += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.spool);
    }
}

/// Spool folders are named `openings-spool-PID-RANDOM`, so that one left by a
/// killed instance (with uploads that never became applications) can be told
/// from a running one's.
const SPOOL_PREFIX: &str = "openings-spool-";

/// A new private spool folder in `tmp`, after removing those of instances
/// that are no longer running.
fn spool_folder(tmp: &Path) -> Result<PathBuf> {
    remove_dead_spools(tmp);
    let random = crate::apply::spool::random_name()
        .map_err(|e| StoreError(format!("cannot name the spool folder: {e}")))?;
    let spool = tmp.join(format!("{SPOOL_PREFIX}{}-{random}", std::process::id()));
    create_private_dir(&spool)
        .map_err(|e| StoreError(format!("cannot create {}: {e}", spool.display())))?;
    Ok(spool)
}

/// Removes the spool folders in `tmp` whose process is gone (Linux, where
/// `/proc` tells; a reused process id only keeps a folder longer).
fn remove_dead_spools(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(SPOOL_PREFIX)
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether an error is the connection's, not the query's: worth a new try.
fn retryable(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.as_db_error() {
        // No answer from the server at all: the socket broke.
        None => true,
        // Connection exceptions, the server shutting down, lost races.
        Some(db) => {
            let code = db.code().code();
            code.starts_with("08") || code.starts_with("57P") || code == "40001" || code == "40P01"
        }
    }
}

/// One file read from the spool, ready for its row.
struct FileRow {
    field: String,
    name: String,
    kind: String,
    size: i64,
    blake3: String,
    content: Vec<u8>,
}

fn insert_once(
    conn: &mut Client,
    key: &str,
    app: &NewApplication,
    files: &[FileRow],
) -> std::result::Result<i64, postgres::Error> {
    let mut tx = conn.transaction()?;
    // "Received" is promised only after this commit is on disk, whatever the
    // server's default says.
    tx.batch_execute("SET LOCAL synchronous_commit TO on")?;
    let answers = serde_json::Value::Object(app.answers.clone()).to_string();
    let inserted = tx.query_opt(
        "INSERT INTO applications
         (intake_key, posting_slug, posting_title, language, received_at, answers, consent, client_hash, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (intake_key) DO NOTHING RETURNING id",
        &[
            &key,
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
    let Some(row) = inserted else {
        // An earlier attempt committed, and its answer was lost with the connection.
        let id = tx
            .query_one("SELECT id FROM applications WHERE intake_key = $1", &[&key])?
            .get(0);
        tx.commit()?;
        return Ok(id);
    };
    let id: i64 = row.get(0);
    for f in files {
        tx.execute(
            "INSERT INTO files (application_id, field, name, kind, size, blake3, content)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id, &f.field, &f.name, &f.kind, &f.size, &f.blake3, &f.content,
            ],
        )?;
    }
    for notice in &app.outbox {
        let mut payload = notice.payload.clone();
        if let Some(o) = payload.as_object_mut() {
            o.insert("id".into(), id.into());
        }
        tx.execute(
            "INSERT INTO outbox (application_id, kind, payload, next_attempt_at) VALUES ($1, $2, $3, $4)",
            &[&id, &notice.kind.as_str(), &payload.to_string(), &app.received_at],
        )?;
    }
    tx.commit()?;
    Ok(id)
}

const SELECT_APPLICATION: &str = "SELECT id, posting_slug, posting_title, received_at, answers, consent, client_hash, user_agent, language FROM applications";

fn to_application(row: &Row) -> Application {
    let answers = match serde_json::from_str(row.get::<_, &str>(4)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    Application {
        id: row.get(0),
        posting_slug: row.get(1),
        posting_title: row.get(2),
        language: row.get(8),
        received_at: row.get(3),
        answers,
        files: Vec::new(),
        consent: row.get(5),
        client_hash: row.get(6),
        user_agent: row.get(7),
    }
}

/// Reads applications with `query` and attaches their files' records.
fn applications(
    conn: &mut Client,
    query: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> std::result::Result<Vec<Application>, postgres::Error> {
    let mut apps: Vec<Application> = conn
        .query(query, params)?
        .iter()
        .map(to_application)
        .collect();
    let ids: Vec<i64> = apps.iter().map(|a| a.id).collect();
    let files = conn.query(
        "SELECT application_id, id, field, name, kind, size, blake3 FROM files
         WHERE application_id = ANY($1) ORDER BY id",
        &[&ids],
    )?;
    let mut by_app: std::collections::HashMap<i64, Vec<FileInfo>> = Default::default();
    for r in files {
        by_app.entry(r.get(0)).or_default().push(FileInfo {
            id: r.get(1),
            field: r.get(2),
            name: r.get(3),
            kind: r.get(4),
            size: r.get::<_, i64>(5) as u64,
            blake3: r.get(6),
        });
    }
    for app in &mut apps {
        app.files = by_app.remove(&app.id).unwrap_or_default();
    }
    Ok(apps)
}

/// The `kind` column of the outbox; a kind this binary does not know is an error.
fn notice_kind(row: &Row, column: usize) -> Result<NoticeKind> {
    let text: &str = row.get(column);
    NoticeKind::parse(text).ok_or_else(|| StoreError(format!("unknown outbox kind `{text}`")))
}

impl Store for PostgresStore {
    fn spool_dir(&self) -> &Path {
        &self.spool
    }

    fn health(&self) -> Result<()> {
        self.run(|c| c.query_one("SELECT count(*) FROM settings", &[]))?;
        Ok(())
    }

    fn insert(&self, application: NewApplication) -> Result<i64> {
        let mut files = Vec::with_capacity(application.files.len());
        for f in &application.files {
            let content = std::fs::read(f.file.path()).map_err(|e| {
                StoreError(format!(
                    "cannot read the upload {}: {e}",
                    f.file.path().display()
                ))
            })?;
            files.push(FileRow {
                field: f.field.clone(),
                name: f.name.clone(),
                kind: f.kind.clone(),
                size: content.len() as i64,
                blake3: f.file.blake3.clone(),
                content,
            });
        }
        let key = crate::apply::spool::random_name()
            .map_err(|e| StoreError(format!("cannot name the application: {e}")))?;
        // Dropping `application` afterwards removes the spooled files: their
        // bytes are in the database now, or the insert failed.
        self.run(|c| insert_once(c, &key, &application, &files))
    }

    fn list(&self, filter: &Filter) -> Result<Vec<Application>> {
        let query = format!(
            "{SELECT_APPLICATION} WHERE ($1::TEXT IS NULL OR posting_slug = $1)
             AND ($2::BIGINT IS NULL OR received_at >= $2) AND ($3::BIGINT IS NULL OR received_at < $3)
             ORDER BY received_at, id"
        );
        self.run(|c| applications(c, &query, &[&filter.posting, &filter.since, &filter.before]))
    }

    fn get(&self, id: i64) -> Result<Option<Application>> {
        let query = format!("{SELECT_APPLICATION} WHERE id = $1");
        Ok(self.run(|c| applications(c, &query, &[&id]))?.pop())
    }

    fn file_bytes(&self, file_id: i64) -> Result<Option<Vec<u8>>> {
        let row =
            self.run(|c| c.query_opt("SELECT content FROM files WHERE id = $1", &[&file_id]))?;
        Ok(row.map(|r| r.get(0)))
    }

    fn delete(&self, ids: &[i64]) -> Result<usize> {
        // Files and outbox messages go with their application (ON DELETE CASCADE).
        let n = self.run(|c| c.execute("DELETE FROM applications WHERE id = ANY($1)", &[&ids]))?;
        Ok(n as usize)
    }

    fn client_hash(&self, address: &str) -> String {
        let hash = blake3::keyed_hash(&self.salt, address.as_bytes()).to_hex();
        hash[..16].to_string()
    }

    /// Takes the due messages no other instance holds, for [`LEASE_MS`]:
    /// `SKIP LOCKED` lets two instances looking at once take different ones.
    fn outbox_due(&self, now: i64, limit: usize) -> Result<Vec<OutboxItem>> {
        let until = now.saturating_add(LEASE_MS);
        let rows = self.run(|c| {
            c.query(
                "UPDATE outbox SET claimed_until = $3 WHERE id IN (
                   SELECT id FROM outbox
                   WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1
                     AND (claimed_until IS NULL OR claimed_until <= $1)
                   ORDER BY next_attempt_at, id LIMIT $2
                   FOR UPDATE SKIP LOCKED)
                 RETURNING id, application_id, kind, payload, attempts, next_attempt_at",
                &[&now, &(limit as i64), &until],
            )
        })?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let item = OutboxItem {
                id: r.get(0),
                application_id: r.get(1),
                kind: notice_kind(r, 2)?,
                payload: r.get(3),
                attempts: r.get::<_, i32>(4) as u32,
            };
            items.push((r.get::<_, i64>(5), item));
        }
        items.sort_by_key(|(at, item)| (*at, item.id));
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    fn outbox_next(&self) -> Result<Option<i64>> {
        let row = self.run(|c| {
            c.query_one(
                "SELECT min(GREATEST(next_attempt_at, COALESCE(claimed_until, 0)))
                 FROM outbox WHERE next_attempt_at IS NOT NULL",
                &[],
            )
        })?;
        Ok(row.get(0))
    }

    fn outbox_sent(&self, id: i64) -> Result<()> {
        self.run(|c| c.execute("DELETE FROM outbox WHERE id = $1", &[&id]))?;
        Ok(())
    }

    fn outbox_failed(&self, id: i64, retry_at: Option<i64>, error: &str) -> Result<()> {
        self.run(|c| {
            c.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2,
                 last_error = $3, claimed_until = NULL WHERE id = $1",
                &[&id, &retry_at, &error],
            )
        })?;
        Ok(())
    }

    fn outbox_list(&self) -> Result<Vec<OutboxEntry>> {
        let rows = self.run(|c| {
            c.query(
                "SELECT id, application_id, kind, attempts, next_attempt_at, last_error
                 FROM outbox ORDER BY id",
                &[],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(OutboxEntry {
                    id: r.get(0),
                    application_id: r.get(1),
                    kind: notice_kind(r, 2)?,
                    attempts: r.get::<_, i32>(3) as u32,
                    next_attempt_at: r.get(4),
                    last_error: r.get(5),
                })
            })
            .collect()
    }

    fn outbox_retry(&self, now: i64) -> Result<usize> {
        // A message an instance is sending right now keeps its lease.
        let n = self.run(|c| c.execute("UPDATE outbox SET next_attempt_at = $1", &[&now]))?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::tests::{postgres_store, sample, webhook_notice};

    #[test]
    fn a_lost_connection_is_retried_and_the_application_lands_once() {
        let store = postgres_store();
        let name = format!("lost-{}", crate::apply::spool::random_name().unwrap());
        let url = format!("{}&application_name={name}", store.location);
        let mine = PostgresStore::open(&url).unwrap();
        mine.insert(sample(&mine, "a", 1)).unwrap();
        // The server ends every connection of this store, as a restart does.
        let mut admin = Client::connect(&store.location, postgres::NoTls).unwrap();
        let ended = admin
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                &[&name],
            )
            .unwrap();
        assert!(!ended.is_empty());
        let id = mine.insert(sample(&mine, "a", 2)).unwrap();
        mine.health().unwrap();
        let all = mine.list(&Filter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].id, id);
    }

    #[test]
    fn spool_folders_of_instances_that_died_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = tmp.path().join(format!("{SPOOL_PREFIX}4294967295-abc"));
        let alive = tmp
            .path()
            .join(format!("{SPOOL_PREFIX}{}-def", std::process::id()));
        let other = tmp.path().join("openings-spool-notes");
        for dir in [&dead, &alive, &other] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("upload"), b"%PDF").unwrap();
        }
        let mine = spool_folder(tmp.path()).unwrap();
        assert!(mine.is_dir());
        assert!(!dead.exists());
        assert!(alive.exists() && other.exists());
    }

    #[test]
    fn an_insert_retried_after_its_commit_is_not_stored_twice() {
        let store = postgres_store();
        let mine = PostgresStore::open(&store.location).unwrap();
        let app = sample(&mine, "a", 1);
        let files = vec![];
        let mut conn = mine.pool.get().unwrap();
        let first = insert_once(&mut conn, "same-key", &app, &files).unwrap();
        let again = insert_once(&mut conn, "same-key", &app, &files).unwrap();
        assert_eq!(first, again);
        assert_eq!(mine.list(&Filter::default()).unwrap().len(), 1);
    }

    #[test]
    fn one_instance_holds_a_message_until_it_reports_or_its_lease_ends() {
        let store = postgres_store();
        let other = store.open_again();
        let mut app = sample(&*store, "a", 1_000);
        app.outbox = vec![webhook_notice(serde_json::json!({}))];
        store.insert(app).unwrap();
        let taken = store.outbox_due(2_000, 10).unwrap();
        assert_eq!(taken.len(), 1);
        assert!(other.outbox_due(2_000, 10).unwrap().is_empty());
        assert_eq!(other.outbox_next().unwrap(), Some(2_000 + LEASE_MS));
        // A killed instance never reports: its lease ends and another sends it.
        let later = 2_000 + LEASE_MS;
        assert_eq!(other.outbox_due(later, 10).unwrap().len(), 1);
        assert!(store.outbox_due(later, 10).unwrap().is_empty());
        other
            .outbox_failed(taken[0].id, Some(later), "refused")
            .unwrap();
        assert_eq!(store.outbox_due(later, 10).unwrap()[0].attempts, 1);
    }

    #[test]
    fn two_instances_taking_at_once_never_take_the_same_message() {
        let store = postgres_store();
        for i in 0..40 {
            let mut app = sample(&*store, "a", i);
            app.outbox = vec![webhook_notice(serde_json::json!({}))];
            store.insert(app).unwrap();
        }
        let takers: Vec<_> = (0..4)
            .map(|_| {
                let other = store.open_again();
                std::thread::spawn(move || {
                    let mut ids = Vec::new();
                    for _ in 0..20 {
                        ids.extend(
                            other
                                .outbox_due(1_000, 3)
                                .unwrap()
                                .into_iter()
                                .map(|i| i.id),
                        );
                    }
                    ids
                })
            })
            .collect();
        let mut ids: Vec<i64> = takers.into_iter().flat_map(|t| t.join().unwrap()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!((n, ids.len()), (40, 40));
    }
}
