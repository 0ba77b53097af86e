//! `openings build` ([`to_folder`]) and the writing of a build into the output
//! folder: only files whose bytes changed are written, files an earlier build
//! wrote and this one did not are removed, and nothing outside the folder is
//! touched. A folder openings did not create is never emptied.

use crate::build::{self, Generation, Options};
use crate::diagnostic::Diagnostic;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Marks a folder as written by openings, so later builds may replace its files.
pub use crate::layout::OUTPUT_MARKER as MARKER;
const MARKER_TEXT: &str =
    "This folder is written by `openings build`. Its files are replaced on every build.\n";

#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// What `openings build` did.
pub struct Built {
    /// `build::describe` of the site.
    pub what: String,
    /// `None`: inputs and output were as the last build left them; nothing was done.
    pub written: Option<Stats>,
    /// Reading, parsing and preparing, before rendering and writing.
    pub load: Duration,
}

/// `openings build`: makes `output` hold the site of `options`, or leaves it
/// as it was and says why.
pub fn to_folder(
    options: &Options,
    output: &Path,
    progress: &dyn Fn(&str),
) -> Result<Built, Failure> {
    let started = Instant::now();
    let before = |problems| Failure {
        problems,
        partial: false,
    };
    if let Err(refused) = check_target(&options.root, output) {
        // Nothing is written, but the content's own problems are reported with
        // the folder's, so one round of fixes is enough.
        let mut problems = vec![refused];
        if let Err(more) = build::prepare(options, progress) {
            problems.extend(more);
        }
        return Err(before(problems));
    }
    let inputs = build::fresh::inputs(options);
    if let Some(what) = build::fresh::unchanged(&inputs, output) {
        return Ok(Built {
            what,
            written: None,
            load: started.elapsed(),
        });
    }
    let generation = build::prepare_to_write(options, progress).map_err(before)?;
    let load = started.elapsed();
    let what = build::describe(&generation.site);
    progress("rendering and writing pages");
    let stats = site(output, &generation);
    // The process ends after a build: freeing every posting, view and page
    // one at a time would only keep the user waiting (a tenth of a second
    // at 10,000 postings).
    std::mem::forget(generation);
    let stats = stats?;
    // Without the record the next build just does all the work again.
    let _ = build::fresh::record(&inputs, output, &what);
    Ok(Built {
        what,
        written: Some(stats),
        load,
    })
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
    for own in crate::layout::INPUT_DIRS {
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
    if output.exists() && !output.is_dir() {
        return Err(Diagnostic::error(
            "unsafe-output",
            format!("{} is a file, not a folder", output.display()),
        )
        .with_hint("choose a folder for the site with --output, such as public/ (the default)"));
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

/// Where a build puts the files whose bytes changed until every page has
/// rendered; then they are moved into place. Inside the output folder, so that
/// the moves are renames on one file system.
use crate::layout::STAGING;

/// Renders the pages of a prepared build and makes `output` hold exactly the
/// site's files (plus the marker). Each page is compared with the file already
/// there as soon as it is rendered and dropped; new bytes go to a staging folder
/// that is moved into place only when every page rendered, so a template error
/// leaves `output` as it was. Into an empty folder they go straight to their
/// place, and a failed build empties it again. The generated files (feeds,
/// sitemap) are streamed into their files beside the pages: each is one long
/// piece of work, which the pages fill in around.
pub fn site(output: &Path, generation: &Generation) -> Result<Stats, Failure> {
    let wanted: HashSet<PathBuf> = generation
        .all_pages()
        .map(|p| PathBuf::from(&p.path))
        .chain(generation.files.iter().map(|f| PathBuf::from(&f.path)))
        .chain(generation.all_generated().map(|g| PathBuf::from(&g.path)))
        .collect();
    let staging = Staging::open(output).map_err(Failure::before)?;

    let g = generation;
    let pages: Vec<&crate::render::PageJob> = g.all_pages().collect();
    let planned: Vec<&crate::build::Planned> = g.all_generated().collect();
    let (made, rendered) = rayon::join(
        || {
            planned
                .par_iter()
                .map(|made| staging.stream(&made.path, |out| g.write(made, out)))
                .collect::<Vec<_>>()
        },
        || {
            pages
                .par_iter()
                .with_min_len(8)
                .map(|page| staging.put(&page.path, g.render(page)?.as_bytes()))
                .chain(g.files.par_iter().map(|f| staging.put(&f.path, &f.bytes)))
                .collect::<Vec<_>>()
        },
    );
    let failed = rendered.into_iter().chain(made).filter_map(Result::err);
    let problems = crate::diagnostic::distinct(failed);
    if !problems.is_empty() {
        staging.abandon();
        return Err(Failure {
            problems,
            partial: false,
        });
    }
    let partial = |d| Failure {
        problems: vec![d],
        partial: true,
    };
    // Into a folder that was empty everything written is wanted.
    let direct = staging.direct();
    let written = staging.commit().map_err(partial)?;
    Ok(Stats {
        written,
        unchanged: wanted.len().saturating_sub(written),
        removed: if direct {
            0
        } else {
            remove_unwanted(output, &wanted).map_err(partial)?
        },
    })
}

/// A build that could not be written.
pub struct Failure {
    pub problems: Vec<Diagnostic>,
    /// It failed while moving files into place: the output folder may hold part
    /// of the new site. Otherwise it is as it was.
    pub partial: bool,
}

impl Failure {
    fn before(d: Diagnostic) -> Failure {
        Failure {
            problems: vec![d],
            partial: false,
        }
    }
}

/// The staging folder of one build, and the files put into it.
struct Staging {
    output: PathBuf,
    /// Where files are put: the staging folder, or the output folder itself
    /// when that was empty (nothing there to keep).
    dir: PathBuf,
    /// The outermost folder this build created for the output folder (itself or
    /// one of its parents), when it did not exist.
    created: Option<PathBuf>,
    staged: Mutex<Vec<String>>,
}

impl Staging {
    fn open(output: &Path) -> Result<Staging, Diagnostic> {
        let created = (!output.exists()).then(|| {
            let mut top = output;
            while let Some(parent) = top
                .parent()
                .filter(|p| !p.as_os_str().is_empty() && !p.exists())
            {
                top = parent;
            }
            top.to_path_buf()
        });
        let staging = output.join(STAGING);
        if staging.exists() {
            // Left by a build that was killed: nothing in it was moved into place.
            fs::remove_dir_all(&staging).map_err(|e| io_error(&staging, &e))?;
        }
        let empty = created.is_some() || fs::read_dir(output).is_ok_and(|mut d| d.next().is_none());
        let dir = if empty { output.to_path_buf() } else { staging };
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
        if empty {
            // Marked first: should this build be killed, the next one may still
            // write into the folder it left.
            write_marker(output)?;
        }
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            created,
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Files go straight to their place (a first build into an empty folder).
    fn direct(&self) -> bool {
        self.dir == self.output
    }

    /// Stages `bytes` for `rel` unless the output already holds them there (same
    /// length, then same bytes).
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let existing = self.output.join(rel);
        let same = !self.direct()
            && fs::metadata(&existing).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && fs::read(&existing).is_ok_and(|old| old == bytes);
        if same {
            return Ok(());
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error(&path, &e))?;
        self.staged
            .lock()
            .expect("no panic while held")
            .push(rel.to_string());
        Ok(())
    }

    /// Stages the file `write` makes for `rel`, written as it is made (the
    /// feeds are too large to hold), unless the output already holds the same
    /// bytes there: then the staged copy goes again.
    fn stream(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        let written = fs::File::create(&path).and_then(|file| {
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out)?;
            io::Write::flush(&mut out)
        });
        written.map_err(|e| io_error(&path, &e))?;
        if !self.direct() && same_files(&path, &self.output.join(rel)) {
            return fs::remove_file(&path).map_err(|e| io_error(&path, &e));
        }
        self.staged
            .lock()
            .expect("no panic while held")
            .push(rel.to_string());
        Ok(())
    }

    /// Moves every staged file into place; returns how many there were.
    fn commit(self) -> Result<usize, Diagnostic> {
        write_marker(&self.output)?;
        let direct = self.direct();
        let staged = self.staged.into_inner().expect("no panic while held");
        if direct {
            return Ok(staged.len());
        }
        let folders: BTreeSet<&Path> = staged
            .iter()
            .filter_map(|rel| Path::new(rel).parent())
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        // An earlier build's file (or a link) where a folder goes now gives way,
        // and so does a folder where a file goes: writes never leave the folder.
        for folder in &folders {
            let mut path = self.output.clone();
            for part in folder.components() {
                path.push(part);
                if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                    fs::remove_file(&path).map_err(|e| io_error(&path, &e))?;
                }
            }
        }
        folders.par_iter().try_for_each(|f| {
            let path = self.output.join(f);
            fs::create_dir_all(&path).map_err(|e| io_error(&path, &e))
        })?;
        staged.par_iter().with_min_len(64).try_for_each(|rel| {
            let to = self.output.join(rel);
            if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                fs::remove_dir_all(&to).map_err(|e| io_error(&to, &e))?;
            }
            fs::rename(self.dir.join(rel), &to).map_err(|e| io_error(&to, &e))
        })?;
        fs::remove_dir_all(&self.dir).map_err(|e| io_error(&self.dir, &e))?;
        Ok(staged.len())
    }

    /// Removes what this build put anywhere: the output folder is as it was.
    fn abandon(self) {
        if !self.direct() {
            let _ = fs::remove_dir_all(&self.dir);
        } else if let Some(top) = &self.created {
            let _ = fs::remove_dir_all(top);
        } else if let Ok(entries) = fs::read_dir(&self.output) {
            // It was empty: everything in it is this build's.
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                let _ = match entry.file_type() {
                    Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
                    _ => fs::remove_file(&path),
                };
            }
        }
    }
}

/// Whether two files hold the same bytes (compared a block at a time).
fn same_files(a: &Path, b: &Path) -> bool {
    use io::Read;
    let size = |p: &Path| {
        fs::metadata(p)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    };
    if size(a).is_none() || size(a) != size(b) {
        return false;
    }
    let (Ok(x), Ok(y)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut x, mut y) = (io::BufReader::new(x), io::BufReader::new(y));
    let (mut bx, mut by) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        match x.read(&mut bx) {
            // Same size, and every byte of `a` matched.
            Ok(0) => return true,
            Ok(n) if y.read_exact(&mut by[..n]).is_ok() && bx[..n] == by[..n] => {}
            _ => return false,
        }
    }
}

/// Marks `output` as written by openings, unless it is already.
fn write_marker(output: &Path) -> Result<(), Diagnostic> {
    let marker = output.join(MARKER);
    if fs::read(&marker).ok().as_deref() != Some(MARKER_TEXT.as_bytes()) {
        fs::write(&marker, MARKER_TEXT).map_err(|e| io_error(&marker, &e))?;
    }
    Ok(())
}

/// Removes the files of `output` that are not `wanted` (nor openings' own), and
/// the folders that leaves empty; returns how many files went.
fn remove_unwanted(output: &Path, wanted: &HashSet<PathBuf>) -> Result<usize, Diagnostic> {
    let mut removed = 0;
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
            removed += 1;
        }
    }
    Ok(removed)
}

/// The files openings keeps in the output folder for itself.
fn ours(rel: &Path) -> bool {
    rel == Path::new(MARKER) || rel == Path::new(crate::layout::FINGERPRINT)
}
