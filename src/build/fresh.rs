//! Tells whether an output folder already holds the build of exactly these
//! inputs, so that `openings build` with nothing changed does no work.
//!
//! A successful build leaves a fingerprint in the output folder: the program,
//! the options, and the path, size and modification time of every input file
//! (taken before the build read them) and of every output file (after they were
//! written). Not a cache of parsed content: any difference builds everything
//! again, so the output stays byte-identical to a cold build.

use super::options::Options;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The fingerprint file, in the output folder.
use crate::layout::FINGERPRINT as FILE;

/// The inputs' part of a fingerprint, taken before a build reads them.
pub struct Inputs(blake3::Hash);

/// Fingerprints the program, the options and every input file.
pub fn inputs(options: &Options) -> Inputs {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(exe) = std::env::current_exe() {
        stamp(&mut h, Path::new("(program)"), &exe);
    }
    let base_url = options.base_url.as_ref().map(url::Url::as_str);
    let site = options.site;
    // Without --today the build is for today in the site's time zone.
    let today = site
        .today
        .or_else(|| crate::config::load(&options.root).ok().map(|c| c.today()));
    h.update(format!("\n{base_url:?} {} {today:?}\n", site.drafts).as_bytes());
    let root = &options.root;
    stamp(
        &mut h,
        Path::new(crate::layout::SITE_TOML),
        &root.join(crate::layout::SITE_TOML),
    );
    for dir in crate::layout::INPUT_DIRS {
        tree(&mut h, &root.join(dir), &[]);
    }
    Inputs(h.finalize())
}

/// When `output` holds what a build of these inputs wrote, untouched since: the
/// note that build recorded.
pub fn unchanged(inputs: &Inputs, output: &Path) -> Option<String> {
    let kept = fs::read_to_string(output.join(FILE)).ok()?;
    let (hash, note) = kept.split_once('\n')?;
    (hash == fingerprint(inputs, output)).then(|| note.trim_end().to_string())
}

/// Records that `output` now holds the build of these inputs, with a note (what
/// was built) to repeat when nothing changed.
pub fn record(inputs: &Inputs, output: &Path, note: &str) -> std::io::Result<()> {
    fs::write(
        output.join(FILE),
        format!("{}\n{note}\n", fingerprint(inputs, output)),
    )
}

fn fingerprint(inputs: &Inputs, output: &Path) -> String {
    let mut h = blake3::Hasher::new();
    h.update(inputs.0.as_bytes());
    tree(&mut h, output, &[FILE]);
    h.finalize().to_hex().to_string()
}

/// Every file under `dir` (sorted, relative), with its size and modification time.
fn tree(h: &mut blake3::Hasher, dir: &Path, skip: &[&str]) {
    h.update(b"\0dir\0");
    h.update(dir.as_os_str().as_encoded_bytes());
    let mut files = list(dir, Path::new(""));
    // By bytes: comparing paths component by component is several times slower.
    files.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    for (rel, meta) in files {
        if rel.to_str().is_some_and(|r| skip.contains(&r)) {
            continue;
        }
        match meta {
            Some(meta) => add(h, &rel, &meta),
            None => {
                h.update(b"\0unreadable\0");
            }
        }
    }
}

/// The files under `dir/rel` with their metadata, folders read in parallel (a
/// built site has one folder per role).
fn list(dir: &Path, rel: &Path) -> Vec<(PathBuf, Option<fs::Metadata>)> {
    let Ok(entries) = fs::read_dir(dir.join(rel)) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let path = rel.join(entry.file_name());
        match entry.file_type() {
            Ok(t) if t.is_dir() => folders.push(path),
            Ok(t) if t.is_file() => files.push((path, entry.metadata().ok())),
            // Symbolic links and the like are not followed.
            _ => {}
        }
    }
    let nested: Vec<Vec<_>> = folders.par_iter().map(|f| list(dir, f)).collect();
    files.extend(nested.into_iter().flatten());
    files
}

fn stamp(h: &mut blake3::Hasher, name: &Path, path: &Path) {
    match fs::metadata(path) {
        Ok(meta) => add(h, name, &meta),
        Err(_) => {
            h.update(name.as_os_str().as_encoded_bytes());
            h.update(b"\0missing\0");
        }
    }
}

fn add(h: &mut blake3::Hasher, name: &Path, meta: &fs::Metadata) {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    h.update(name.as_os_str().as_encoded_bytes());
    h.update(format!("\0{}\0{modified}\n", meta.len()).as_bytes());
}
