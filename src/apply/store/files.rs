//! The private folder uploaded files are kept in, beside the database
//! (`applications.db` -> `applications-files/`): creating it owner-only, writing
//! a file under a random name and fsyncing it, removing files, and clearing
//! leftovers of a crash. Not the rows that refer to the files (see `sqlite`).

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Files in the files folder that no row names and older than this are
/// leftovers of a crash between writing a file and committing its row.
const ORPHAN_AGE: Duration = Duration::from_secs(3600);

/// The files folder of a database: `applications.db` -> `applications-files/`.
pub(super) fn files_dir(db: &Path) -> PathBuf {
    let stem = db
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("applications");
    db.with_file_name(format!("{stem}-files"))
}

/// Flushes a folder's entries (new or removed file names) to disk.
pub(super) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Removes files no row refers to that are older than [`ORPHAN_AGE`] (a crash
/// between writing a file and committing its row leaves those behind).
pub(super) fn remove_orphans(conn: &Connection, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let Ok(mut known) = conn.prepare("SELECT 1 FROM files WHERE stored_name = ?1") else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > ORPHAN_AGE));
        if old && !known.exists([&name]).unwrap_or(true) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

pub(super) fn remove_files(dir: &Path, names: &[String]) {
    for name in names {
        let _ = std::fs::remove_file(dir.join(name));
    }
    let _ = sync_dir(dir);
}

#[cfg(test)]
mod tests {
    use crate::apply::store::tests::sample;
    use crate::apply::store::{Filter, SqliteStore, Store};
    use std::time::Duration;

    #[test]
    fn old_files_without_a_row_are_removed_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let store = SqliteStore::open(&path).unwrap();
        store.insert(sample(&store, "a", 1)).unwrap();
        drop(store);
        let files = dir.path().join("a-files");
        let hour_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        for name in ["leftover-old", "leftover-new"] {
            std::fs::write(files.join(name), b"x").unwrap();
        }
        std::fs::File::options()
            .write(true)
            .open(files.join("leftover-old"))
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        // The committed file is old too, but a row refers to it.
        for entry in std::fs::read_dir(&files).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().unwrap().len() == 32 {
                std::fs::File::options()
                    .write(true)
                    .open(&p)
                    .unwrap()
                    .set_modified(hour_ago)
                    .unwrap();
            }
        }
        let store = SqliteStore::open(&path).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&files)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&"leftover-new".to_string()));
        let app = &store.list(&Filter::default()).unwrap()[0];
        assert!(store.file_bytes(app.files[0].id).unwrap().is_some());
    }
}
