//! The data folder of a site's applications: where it is (`--data`, else
//! `.openings/` in the site folder) and that it is never inside a folder whose
//! files end up public.

use std::path::{Path, PathBuf};

/// The data folder of a site: `--data`, else `.openings/` in the site folder.
pub fn data_dir(root: &Path, data: Option<&Path>) -> PathBuf {
    data.map_or_else(|| root.join(".openings"), Path::to_path_buf)
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
