//! Uploads written to disk as they arrive: a file under a random name in a
//! private folder (owner-only), hashed on the way, its first bytes kept for type
//! sniffing. Nothing holds a whole upload in memory. A spooled file that nobody
//! keeps is removed when it is dropped, so a rejected or abandoned upload leaves
//! nothing behind. Not where files end up: the store takes them over.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many leading bytes are kept for judging a file's type.
pub const HEAD: usize = 8 * 1024;

/// A file being written.
pub struct Spool {
    file: File,
    done: Spooled,
    hasher: blake3::Hasher,
}

/// A complete, fsynced upload on disk; removed on drop unless [`Spooled::keep`] is called.
#[derive(Debug)]
pub struct Spooled {
    path: PathBuf,
    pub size: u64,
    /// BLAKE3 of the contents, hex.
    pub blake3: String,
    /// The first [`HEAD`] bytes.
    pub head: Vec<u8>,
    kept: bool,
}

/// A new random file name: 32 hex digits.
pub fn random_name() -> io::Result<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| io::Error::other(format!("no randomness: {e}")))?;
    Ok(random.iter().map(|b| format!("{b:02x}")).collect())
}

impl Spool {
    /// Starts a file under a new random name in `dir`, readable by its owner only.
    pub fn create(dir: &Path) -> io::Result<Spool> {
        let path = dir.join(random_name()?);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        Ok(Spool {
            file,
            done: Spooled {
                path,
                size: 0,
                blake3: String::new(),
                head: Vec::new(),
                kept: false,
            },
            hasher: blake3::Hasher::new(),
        })
    }

    pub fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        let room = HEAD.saturating_sub(self.done.head.len()).min(chunk.len());
        self.done.head.extend_from_slice(&chunk[..room]);
        self.hasher.update(chunk);
        self.file.write_all(chunk)?;
        self.done.size += chunk.len() as u64;
        Ok(())
    }

    /// Flushes the file to disk.
    pub fn finish(mut self) -> io::Result<Spooled> {
        self.file.sync_all()?;
        self.done.blake3 = self.hasher.finalize().to_hex().to_string();
        Ok(self.done)
    }
}

impl Spooled {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's name in its folder.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Keeps the file on disk: its owner now answers for it.
    pub fn keep(mut self) -> String {
        self.kept = true;
        self.name()
    }

    /// A spooled file with these contents (tests).
    #[cfg(test)]
    pub fn of(dir: &Path, bytes: &[u8]) -> Spooled {
        let mut spool = Spool::create(dir).unwrap();
        spool.write(bytes).unwrap();
        spool.finish().unwrap()
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spooled_file_is_hashed_private_and_gone_unless_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::create(dir.path()).unwrap();
        let big = vec![7u8; HEAD + 100];
        spool.write(&big[..10]).unwrap();
        spool.write(&big[10..]).unwrap();
        let done = spool.finish().unwrap();
        assert_eq!(done.size, big.len() as u64);
        assert_eq!(done.head.len(), HEAD);
        assert_eq!(done.blake3, blake3::hash(&big).to_hex().to_string());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(done.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let path = done.path().to_path_buf();
        drop(done);
        assert!(!path.exists());
        let kept = Spooled::of(dir.path(), b"x");
        let path = kept.path().to_path_buf();
        let name = kept.keep();
        assert!(path.exists() && path.ends_with(&name));
    }
}
