//! The data folder of a site's applications: where it is (`--data`, else
//! `.openings/` in the site folder), that it is never inside a folder whose
//! files end up public, and that what openings writes for applications is
//! readable by its owner only, whatever the umask: folders 0700, files 0600,
//! set explicitly rather than left to the process's defaults.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The data folder of a site: `--data`, else `.openings/` in the site folder.
pub fn data_dir(root: &Path, data: Option<&Path>) -> PathBuf {
    data.map_or_else(|| root.join(crate::layout::DATA), Path::to_path_buf)
}

/// Creates `dir` (and its parents) with mode 0700; an existing folder is left
/// as it is (see [`check_private_dir`]).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

/// Sets a file's mode to 0600 (when it exists).
pub fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    Ok(())
}

/// Writes `bytes` to `path`, which only its owner may read.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // An existing file keeps its mode on open: set it.
    restrict(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// What an existing folder's mode allows others: `Err` when others may write
/// to it (they could replace the database), a warning when they may read or
/// list it; fine when only its owner may.
pub fn check_private_dir(dir: &Path) -> Result<Option<String>, String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(dir) else {
            return Ok(None);
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o022 != 0 {
            return Err(format!(
                "the data folder {} is writable by other users (mode {mode:03o}): they could read or replace applications",
                dir.display()
            ));
        }
        if mode & 0o077 != 0 {
            return Ok(Some(format!(
                "the data folder {} can be listed by other users (mode {mode:03o}); openings keeps its own files owner-only, but `chmod 700 {}` is safer",
                dir.display(),
                dir.display()
            )));
        }
    }
    Ok(None)
}

/// Refuses a data folder inside the folder the server publishes: uploads must
/// never be reachable by URL.
pub fn check_data_dir(data: &std::path::Path, served: &std::path::Path) -> Result<(), String> {
    let resolve = |p: &std::path::Path| -> std::path::PathBuf {
        // The data folder may not exist yet: resolve its closest existing ancestor.
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut existing = abs.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        out.extend(rest.iter().rev());
        out
    };
    let (data, served) = (resolve(data), resolve(served));
    if data.starts_with(&served) {
        return Err(format!(
            "the data folder {} is inside the served folder {}: uploaded files would be public",
            data.display(),
            served.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only_whatever_was_there() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cv.pdf");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_data_folder_others_may_write_is_refused_and_one_they_may_read_is_warned_of() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let set = |mode| {
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode)).unwrap()
        };
        set(0o777);
        assert!(check_private_dir(dir.path()).is_err());
        set(0o775);
        assert!(check_private_dir(dir.path()).is_err());
        set(0o755);
        assert!(check_private_dir(dir.path()).unwrap().is_some());
        set(0o700);
        assert_eq!(check_private_dir(dir.path()), Ok(None));
    }

    #[test]
    fn a_data_folder_inside_the_served_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        std::fs::create_dir_all(&public).unwrap();
        assert!(check_data_dir(&public.join("data"), &public).is_err());
        assert!(check_data_dir(&public, &public).is_err());
        assert!(check_data_dir(&dir.path().join("public/../public/x"), &public).is_err());
        assert!(check_data_dir(&dir.path().join(".openings"), &public).is_ok());
        assert!(check_data_dir(&dir.path().join("public-data"), &public).is_ok());
    }
}
