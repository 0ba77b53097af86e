//! The SQLite implementation of [`Store`]: the writer thread that commits
//! inserts in groups, and the queries. Not the schema and its migrations (see
//! `schema`), where uploaded files are kept on disk (see `files`), nor the types
//! the trait speaks (see the parent).
//!
//! SQLite keeps an application, its file records and its webhook notice in one
//! transaction. Uploaded files live beside the database in a private folder
//! (`applications-files/`), under random names, written and fsynced before the
//! transaction that refers to them commits: an application is either wholly on
//! disk or not at all, and the database stays small, so commits stay fast.

use super::files::{files_dir, remove_files, remove_orphans, sync_dir};
use super::schema::{connect, identity, migrate, salt};
use super::types::{
    Application, FileInfo, Filter, NewApplication, NoticeKind, OutboxEntry, OutboxItem, Result,
    Store, StoreError,
};
use crate::apply::folder::{create_private_dir, restrict};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::JoinHandle;

/// Most applications committed in one transaction (group commit).
const MAX_BATCH: usize = 128;

type Reply = mpsc::SyncSender<Result<i64>>;

/// A file already written and fsynced, waiting for its row.
struct StoredFile {
    field: String,
    name: String,
    kind: String,
    size: i64,
    blake3: String,
    stored_name: String,
}

/// An application on its way to the writer thread: its files are on disk already.
struct Pending {
    application: NewApplication,
    files: Vec<StoredFile>,
    reply: Reply,
}

/// SQLite in WAL mode. Inserts go through one writer thread that commits
/// whatever arrived together in one transaction, so concurrent candidates
/// share one disk flush instead of queueing for one each.
pub struct SqliteStore {
    /// The database file, and which file it was when opened (device, inode).
    path: PathBuf,
    identity: Option<(u64, u64)>,
    /// Where uploaded files are kept, next to the database.
    files: PathBuf,
    reader: Mutex<Connection>,
    writer: Mutex<Option<mpsc::Sender<Pending>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    salt: [u8; 32],
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`; its folder is created
    /// readable by the owner only.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let private = |what: &Path, e: std::io::Error| {
            StoreError(format!("cannot make {} private: {e}", what.display()))
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| private(dir, e))?;
        }
        // SQLite gives its -wal and -shm files the mode of the database file:
        // owner-only from the first byte, whatever the umask.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(|e| private(path, e))?;
        restrict(path).map_err(|e| private(path, e))?;
        let mut writer = connect(path)?;
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = PathBuf::from(side);
            restrict(&side).map_err(|e| private(&side, e))?;
        }
        migrate(&mut writer)?;
        let salt = salt(&writer)?;
        let files = files_dir(path);
        create_private_dir(&files).map_err(|e| private(&files, e))?;
        remove_orphans(&writer, &files);
        let reader = connect(path)?;
        let (tx, rx) = mpsc::channel::<Pending>();
        let dir = files.clone();
        let thread = std::thread::Builder::new()
            .name("openings-store".into())
            .spawn(move || write_loop(writer, &dir, rx))
            .map_err(|e| StoreError(format!("cannot start the store thread: {e}")))?;
        Ok(SqliteStore {
            identity: identity(path),
            path: path.to_path_buf(),
            files,
            reader: Mutex::new(reader),
            writer: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            salt,
        })
    }

    /// Opens an existing database only (for the `applications` commands).
    pub fn open_existing(path: &Path) -> Result<SqliteStore> {
        if !path.is_file() {
            return Err(StoreError(format!(
                "no applications database at {}",
                path.display()
            )));
        }
        Self::open(path)
    }

    /// Runs `read` on the reading connection (for `migrate`, which reads
    /// what the trait does not show: payloads, the id sequence, the salt).
    pub(super) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        Ok(read(&self.reader())?)
    }

    fn reader(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.reader.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Closing the channel ends the writer thread once queued inserts are done.
        self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = t.join();
        }
    }
}

fn write_loop(mut conn: Connection, dir: &Path, rx: mpsc::Receiver<Pending>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        // The files' names must be durable before rows that point at them.
        let synced =
            sync_dir(dir).map_err(|e| StoreError(format!("cannot sync {}: {e}", dir.display())));
        let result = synced.and_then(|()| {
            let all: Vec<&Pending> = batch.iter().collect();
            insert_batch(&mut conn, &all)
        });
        match result {
            Ok(ids) => {
                for (pending, id) in batch.iter().zip(ids) {
                    let _ = pending.reply.send(Ok(id));
                }
            }
            // One bad row must not fail its neighbours: retry them one by one.
            Err(_) if batch.len() > 1 => {
                for pending in &batch {
                    let result = insert_batch(&mut conn, &[pending]).map(|ids| ids[0]);
                    let _ = pending.reply.send(result);
                }
            }
            Err(e) => {
                let _ = batch[0].reply.send(Err(e));
            }
        }
    }
}

fn insert_batch(conn: &mut Connection, batch: &[&Pending]) -> Result<Vec<i64>> {
    let tx = conn.transaction()?;
    let mut ids = Vec::with_capacity(batch.len());
    {
        let mut insert_app = tx.prepare_cached(
            "INSERT INTO applications
             (posting_slug, posting_title, language, received_at, answers, consent, client_hash, user_agent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut insert_file = tx.prepare_cached(
            "INSERT INTO files (application_id, field, name, kind, size, blake3, stored_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut insert_notice = tx.prepare_cached(
            "INSERT INTO outbox (application_id, kind, payload, next_attempt_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for pending in batch {
            let app = &pending.application;
            let answers = serde_json::Value::Object(app.answers.clone()).to_string();
            insert_app.execute(params![
                app.posting_slug,
                app.posting_title,
                app.language,
                app.received_at,
                answers,
                app.consent,
                app.client_hash,
                app.user_agent,
            ])?;
            let id = tx.last_insert_rowid();
            for f in &pending.files {
                insert_file.execute(params![
                    id,
                    f.field,
                    f.name,
                    f.kind,
                    f.size,
                    f.blake3,
                    f.stored_name
                ])?;
            }
            for notice in &app.outbox {
                let mut payload = notice.payload.clone();
                if let Some(o) = payload.as_object_mut() {
                    o.insert("id".into(), id.into());
                }
                let kind = notice.kind.as_str();
                insert_notice.execute(params![id, kind, payload.to_string(), app.received_at])?;
            }
            ids.push(id);
        }
    }
    tx.commit()?;
    Ok(ids)
}

/// The `kind` column of the outbox; a kind this binary does not know is an error.
fn notice_kind(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<NoticeKind> {
    let text: String = row.get(column)?;
    NoticeKind::parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unknown outbox kind `{text}`").into(),
        )
    })
}

const SELECT_APPLICATION: &str = "SELECT id, posting_slug, posting_title, received_at, answers, consent, client_hash, user_agent, language FROM applications";

fn row_to_application(row: &rusqlite::Row<'_>) -> rusqlite::Result<Application> {
    let answers: String = row.get(4)?;
    let answers = match serde_json::from_str(&answers) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    Ok(Application {
        id: row.get(0)?,
        posting_slug: row.get(1)?,
        posting_title: row.get(2)?,
        language: row.get(8)?,
        received_at: row.get(3)?,
        answers,
        files: Vec::new(),
        consent: row.get(5)?,
        client_hash: row.get(6)?,
        user_agent: row.get(7)?,
    })
}

fn attach_files(conn: &Connection, apps: &mut [Application]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, field, name, kind, size, blake3 FROM files WHERE application_id = ?1 ORDER BY id",
    )?;
    for app in apps {
        app.files = stmt
            .query_map([app.id], |r| {
                Ok(FileInfo {
                    id: r.get(0)?,
                    field: r.get(1)?,
                    name: r.get(2)?,
                    kind: r.get(3)?,
                    size: r.get::<_, i64>(4)? as u64,
                    blake3: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn spool_dir(&self) -> &Path {
        &self.files
    }

    fn health(&self) -> Result<()> {
        if self
            .writer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
        {
            return Err(StoreError("the store is shutting down".into()));
        }
        let writing = self.thread.lock().unwrap_or_else(|e| e.into_inner());
        if writing.as_ref().is_none_or(JoinHandle::is_finished) {
            return Err(StoreError("the store's writer thread stopped".into()));
        }
        drop(writing);
        // An open connection keeps answering from a file that was deleted or
        // replaced (a volume unmounted, a clean-up gone wrong): nothing would last.
        if identity(&self.path) != self.identity {
            return Err(StoreError(format!(
                "the database {} is gone or was replaced",
                self.path.display()
            )));
        }
        self.reader()
            .query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }

    fn insert(&self, mut application: NewApplication) -> Result<i64> {
        // Uploads were written and fsynced into the files folder as they arrived,
        // on the callers' threads; the writer thread commits their rows together.
        let spooled: Vec<_> = std::mem::take(&mut application.files);
        let mut files = Vec::with_capacity(spooled.len());
        for f in &spooled {
            if f.file.path().parent() != Some(self.files.as_path()) {
                return Err(StoreError(format!(
                    "an upload was written outside {}",
                    self.files.display()
                )));
            }
            files.push(StoredFile {
                field: f.field.clone(),
                name: f.name.clone(),
                kind: f.kind.clone(),
                size: f.file.size as i64,
                blake3: f.file.blake3.clone(),
                stored_name: f.file.name(),
            });
        }
        let (reply, answer) = mpsc::sync_channel(1);
        let pending = Pending {
            application,
            files,
            reply,
        };
        let sent = match &*self.writer.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(writer) => writer.send(pending).is_ok(),
            None => false,
        };
        let result = if sent {
            answer
                .recv()
                .unwrap_or_else(|_| Err(StoreError("the store thread stopped".into())))
        } else {
            Err(StoreError("the store is shutting down".into()))
        };
        if result.is_ok() {
            for f in spooled {
                f.file.keep();
            }
        }
        // Otherwise dropping `spooled` removes the files.
        result
    }

    fn list(&self, filter: &Filter) -> Result<Vec<Application>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
            "{SELECT_APPLICATION} WHERE (?1 IS NULL OR posting_slug = ?1)
             AND (?2 IS NULL OR received_at >= ?2) AND (?3 IS NULL OR received_at < ?3)
             ORDER BY received_at, id"
        ))?;
        let mut apps: Vec<Application> = stmt
            .query_map(
                params![filter.posting, filter.since, filter.before],
                row_to_application,
            )?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        attach_files(&conn, &mut apps)?;
        Ok(apps)
    }

    fn get(&self, id: i64) -> Result<Option<Application>> {
        let conn = self.reader();
        let app = conn
            .query_row(
                &format!("{SELECT_APPLICATION} WHERE id = ?1"),
                [id],
                row_to_application,
            )
            .optional()?;
        let mut apps: Vec<Application> = app.into_iter().collect();
        attach_files(&conn, &mut apps)?;
        Ok(apps.pop())
    }

    fn file_bytes(&self, file_id: i64) -> Result<Option<Vec<u8>>> {
        let name: Option<String> = self
            .reader()
            .query_row(
                "SELECT stored_name FROM files WHERE id = ?1",
                [file_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(name) = name else {
            return Ok(None);
        };
        let path = self.files.join(name);
        std::fs::read(&path)
            .map(Some)
            .map_err(|e| StoreError(format!("cannot read {}: {e}", path.display())))
    }

    fn delete(&self, ids: &[i64]) -> Result<usize> {
        let mut conn = self.reader();
        let tx = conn.transaction()?;
        let mut n = 0;
        let mut names = Vec::new();
        {
            let mut files =
                tx.prepare_cached("SELECT stored_name FROM files WHERE application_id = ?1")?;
            let mut stmt = tx.prepare_cached("DELETE FROM applications WHERE id = ?1")?;
            for id in ids {
                let stored: Vec<String> = files
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                names.extend(stored);
                n += stmt.execute([id])?;
            }
        }
        tx.commit()?;
        remove_files(&self.files, &names);
        // Deleted data must not linger in the WAL either (secure_delete clears the pages).
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(n)
    }

    fn client_hash(&self, address: &str) -> String {
        let hash = blake3::keyed_hash(&self.salt, address.as_bytes()).to_hex();
        hash[..16].to_string()
    }

    fn outbox_due(&self, now: i64, limit: usize) -> Result<Vec<OutboxItem>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT id, application_id, kind, payload, attempts FROM outbox
             WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ?1
             ORDER BY next_attempt_at, id LIMIT ?2",
        )?;
        let items = stmt
            .query_map(params![now, limit as i64], |r| {
                Ok(OutboxItem {
                    id: r.get(0)?,
                    application_id: r.get(1)?,
                    kind: notice_kind(r, 2)?,
                    payload: r.get(3)?,
                    attempts: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    fn outbox_next(&self) -> Result<Option<i64>> {
        Ok(self.reader().query_row(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE next_attempt_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?)
    }

    fn outbox_sent(&self, id: i64) -> Result<()> {
        self.reader()
            .execute("DELETE FROM outbox WHERE id = ?1", [id])?;
        Ok(())
    }

    fn outbox_failed(&self, id: i64, retry_at: Option<i64>, error: &str) -> Result<()> {
        self.reader().execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
            params![id, retry_at, error],
        )?;
        Ok(())
    }

    fn outbox_list(&self) -> Result<Vec<OutboxEntry>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT id, application_id, kind, attempts, next_attempt_at, last_error
             FROM outbox ORDER BY id",
        )?;
        let entries = stmt
            .query_map([], |r| {
                Ok(OutboxEntry {
                    id: r.get(0)?,
                    application_id: r.get(1)?,
                    kind: notice_kind(r, 2)?,
                    attempts: r.get(3)?,
                    next_attempt_at: r.get(4)?,
                    last_error: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(entries)
    }

    fn outbox_retry(&self, now: i64) -> Result<usize> {
        Ok(self
            .reader()
            .execute("UPDATE outbox SET next_attempt_at = ?1", [now])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::tests::{sample, webhook_notice};

    #[test]
    fn insert_then_read_back_everything() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("data/applications.db")).unwrap();
        let id = store.insert(sample(&store, "engineer", 1_000)).unwrap();
        let stored: Vec<_> = std::fs::read_dir(dir.path().join("data/applications-files"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].len(), 32, "a random name, never the browser's");
        let app = store.get(id).unwrap().unwrap();
        assert_eq!(app.posting_slug, "engineer");
        assert_eq!(app.answers["email"], "ada@example.com");
        assert_eq!(app.files.len(), 1);
        assert_eq!(app.files[0].size, 13);
        assert_eq!(
            store.file_bytes(app.files[0].id).unwrap().unwrap(),
            b"%PDF-1.4 test"
        );
        assert_eq!(store.get(id + 1).unwrap(), None);
    }

    #[test]
    fn delete_removes_files_and_notices_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
        let mut app = sample(&store, "a", 1);
        app.outbox = vec![webhook_notice(serde_json::json!({"posting": "a"}))];
        let id = store.insert(app).unwrap();
        let file = store.get(id).unwrap().unwrap().files[0].id;
        assert_eq!(store.outbox_due(10, 10).unwrap().len(), 1);
        let files_dir = dir.path().join("a-files");
        assert_eq!(std::fs::read_dir(&files_dir).unwrap().count(), 1);
        assert_eq!(store.delete(&[id, id + 7]).unwrap(), 1);
        assert_eq!(store.get(id).unwrap(), None);
        assert_eq!(store.file_bytes(file).unwrap(), None);
        assert_eq!(std::fs::read_dir(&files_dir).unwrap().count(), 0);
        assert!(store.outbox_due(10, 10).unwrap().is_empty());
    }
}
