//! Writes a build's files into the output folder: only files whose bytes changed
//! are written, files an earlier build wrote and this one did not are removed, and
//! nothing outside the folder is touched. A folder openings did not create is
//! never emptied.

use crate::build::Built;
use crate::diagnostic::Diagnostic;
use crate::render::Output;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Makes `output` hold exactly the files of a build (plus the marker): its pages
/// and static files first, which are then dropped, then its generated files,
/// each made just before it is written, so that they are never all in memory.
pub fn site(output: &Path, built: &mut Built) -> Result<Stats, Diagnostic> {
    let files = std::mem::take(&mut built.outputs);
    let mut wanted: HashSet<PathBuf> = files.iter().map(|f| PathBuf::from(&f.path)).collect();
    wanted.extend(built.generated.iter().map(|g| PathBuf::from(g.path)));
    let built = &*built;
    sync(
        output,
        files,
        |i| built.make(built.generated[i]),
        built.generated.len(),
        &wanted,
    )
}

/// Writes `files` and the `later` files that `make` gives, then removes what is
/// not `wanted`.
fn sync(
    output: &Path,
    files: Vec<Output>,
    make: impl Fn(usize) -> Output + Sync,
    later: usize,
    wanted: &HashSet<PathBuf>,
) -> Result<Stats, Diagnostic> {
    fs::create_dir_all(output).map_err(|e| io_error(output, &e))?;
    let marker = output.join(MARKER);
    if fs::read(&marker).ok().as_deref() != Some(MARKER_TEXT.as_bytes()) {
        fs::write(&marker, MARKER_TEXT).map_err(|e| io_error(&marker, &e))?;
    }
    let folders: BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    folders.par_iter().try_for_each(|f| {
        let path = output.join(f);
        fs::create_dir_all(&path).map_err(|e| io_error(&path, &e))
    })?;
    let written = AtomicUsize::new(0);
    // The pages are written in parallel while the generated files are made one
    // at a time: each of those is as large as all pages' text together.
    let (pages, generated) = rayon::join(
        || {
            files
                .into_par_iter()
                .with_min_len(16)
                .try_for_each(|file| put(output, &file, &written))
        },
        || (0..later).try_for_each(|i| put(output, &make(i), &written)),
    );
    pages.and(generated)?;
    let written = written.into_inner();
    let mut stats = Stats {
        written,
        unchanged: wanted.len() - written,
        removed: 0,
    };
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
        } else if !wanted.contains(rel) && !ours(rel) {
            fs::remove_file(entry.path()).map_err(|e| io_error(entry.path(), &e))?;
            stats.removed += 1;
        }
    }
    Ok(stats)
}

/// The files openings keeps in the output folder for itself.
fn ours(rel: &Path) -> bool {
    rel == Path::new(MARKER) || rel == Path::new(crate::build::fresh::FILE)
}

/// Writes one file unless it already holds these bytes (same length, then same bytes).
fn put(output: &Path, file: &Output, written: &AtomicUsize) -> Result<(), Diagnostic> {
    let path = output.join(&file.path);
    let same = fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == file.bytes.len() as u64)
        && fs::read(&path).is_ok_and(|old| old == file.bytes);
    if same {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
    }
    fs::write(&path, &file.bytes).map_err(|e| io_error(&path, &e))?;
    written.fetch_add(1, Ordering::Relaxed);
    Ok(())
}
