//! Writes a build's files into the output folder: only files whose bytes changed
//! are written, files an earlier build wrote and this one did not are removed, and
//! nothing outside the folder is touched. A folder openings did not create is
//! never emptied.

use crate::diagnostic::Diagnostic;
use crate::render::Output;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Marks a folder as written by openings, so later builds may replace its files.
pub const MARKER: &str = ".openings-output";
const MARKER_TEXT: &str =
    "This folder is written by `openings build`. Its files are replaced on every build.\n";

#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Refuses output folders that would put the user's own files at risk.
pub fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| {
        fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    if root_abs.starts_with(&out_abs) {
        return Err(Diagnostic::error(
            "unsafe-output",
            format!(
                "the output folder {} contains the site itself",
                output.display()
            ),
        )
        .with_hint("choose a folder inside the site, such as public/ (the default)"));
    }
    for own in ["content", "static", "templates", "themes", "i18n"] {
        if out_abs.starts_with(root_abs.join(own)) {
            return Err(Diagnostic::error(
                "unsafe-output",
                format!(
                    "the output folder {} is inside the site's {own}/ folder",
                    output.display()
                ),
            )
            .with_hint("choose a separate folder such as public/ (the default)"));
        }
    }
    if output.is_dir() && !output.join(MARKER).exists() {
        let mut entries = fs::read_dir(output).map_err(|e| io_error(output, &e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error("unsafe-output", format!("{} is not empty and was not written by openings", output.display()))
                .with_hint("openings replaces everything in its output folder: empty or remove that folder, or choose another with --output"));
        }
    }
    Ok(())
}

fn io_error(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write {}: {e}", path.display()))
}

/// Makes `output` hold exactly `files` (plus the marker).
pub fn sync(output: &Path, files: &[Output]) -> Result<Stats, Diagnostic> {
    let mut stats = Stats::default();
    fs::create_dir_all(output).map_err(|e| io_error(output, &e))?;
    let marker = output.join(MARKER);
    if fs::read(&marker).ok().as_deref() != Some(MARKER_TEXT.as_bytes()) {
        fs::write(&marker, MARKER_TEXT).map_err(|e| io_error(&marker, &e))?;
    }
    let mut wanted: HashSet<PathBuf> = HashSet::with_capacity(files.len() + 1);
    wanted.insert(PathBuf::from(MARKER));
    for file in files {
        let rel = Path::new(&file.path);
        wanted.insert(rel.to_path_buf());
        let path = output.join(rel);
        if fs::read(&path).is_ok_and(|old| old == file.bytes) {
            stats.unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        fs::write(&path, &file.bytes).map_err(|e| io_error(&path, &e))?;
        stats.written += 1;
    }
    // Deepest first, so folders emptied by removals can go too.
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(output)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    for entry in entries {
        let rel = entry
            .path()
            .strip_prefix(output)
            .expect("walkdir stays under its root");
        if entry.file_type().is_dir() {
            // Only empty folders are removed; the error for a non-empty one is expected.
            let _ = fs::remove_dir(entry.path());
        } else if !wanted.contains(rel) {
            fs::remove_file(entry.path()).map_err(|e| io_error(entry.path(), &e))?;
            stats.removed += 1;
        }
    }
    Ok(stats)
}
