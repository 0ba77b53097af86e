//! The site as the server holds it: one generation of the build with its pages,
//! each rendered once (on first request, or by the rebuild in the background) and
//! kept until a change affects it, and the files that need no rendering.

use crate::build::Generation;
use crate::diagnostic::Diagnostic;
use crate::outputs::Generated;
use crate::render::PageJob;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// A page and, once rendered, its bytes (or why it could not be rendered).
pub struct Slot {
    job: PageJob,
    html: OnceLock<Result<Arc<[u8]>, Diagnostic>>,
}

impl Slot {
    fn new(job: PageJob) -> Arc<Slot> {
        Arc::new(Slot {
            job,
            html: OnceLock::new(),
        })
    }

    /// The page's HTML; renders it on first use (others asking meanwhile wait).
    pub fn html(&self, generation: &Generation) -> Result<Arc<[u8]>, Diagnostic> {
        self.html
            .get_or_init(|| {
                generation
                    .render(&self.job)
                    .map(|html| Arc::from(html.into_bytes()))
            })
            .clone()
    }

    fn failed(&self) -> bool {
        matches!(self.html.get(), Some(Err(_)))
    }
}

/// A generated file (feed, sitemap) and, once made, its bytes.
type Made = (&'static Generated, OnceLock<Arc<[u8]>>);

/// What a site-relative path is in this generation.
pub enum Found {
    Page(Arc<Slot>),
    File(Arc<[u8]>),
}

pub struct Memory {
    /// Counts generations since the server started; open tabs compare it.
    pub number: u64,
    pub generation: Arc<Generation>,
    pages: HashMap<String, Arc<Slot>>,
    files: HashMap<String, Arc<[u8]>>,
    /// Feeds and sitemap, made on first request: a save does not wait for them.
    generated: HashMap<&'static str, Made>,
}

impl Memory {
    /// A generation with nothing rendered yet.
    pub fn new(number: u64, generation: Arc<Generation>) -> Memory {
        Memory::next_of(None, number, generation, &HashSet::new())
    }

    /// The next generation: pages not in `changed` keep what was rendered for them.
    pub fn next(
        &self,
        number: u64,
        generation: Arc<Generation>,
        changed: &HashSet<String>,
    ) -> Memory {
        Memory::next_of(Some(self), number, generation, changed)
    }

    fn next_of(
        before: Option<&Memory>,
        number: u64,
        generation: Arc<Generation>,
        changed: &HashSet<String>,
    ) -> Memory {
        let pages = generation
            .pages
            .iter()
            .map(|job| {
                let kept = before
                    .filter(|_| !changed.contains(&job.path))
                    .and_then(|m| m.pages.get(&job.path))
                    .filter(|slot| !slot.failed());
                let slot = kept.cloned().unwrap_or_else(|| Slot::new(job.clone()));
                (job.path.clone(), slot)
            })
            .collect();
        let files = generation
            .files
            .iter()
            .map(|f| (f.path.clone(), Arc::from(f.bytes.as_slice())))
            .collect();
        let generated = generation
            .generated
            .iter()
            .map(|&g| (g.path, (g, OnceLock::new())))
            .collect();
        Memory {
            number,
            generation,
            pages,
            files,
            generated,
        }
    }

    pub fn get(&self, path: &str) -> Option<Found> {
        if let Some(slot) = self.pages.get(path) {
            return Some(Found::Page(slot.clone()));
        }
        if let Some(file) = self.files.get(path) {
            return Some(Found::File(file.clone()));
        }
        let (made, slot) = self.generated.get(path)?;
        let bytes = slot.get_or_init(|| Arc::from(self.generation.make(made)));
        Some(Found::File(bytes.clone()))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.pages.contains_key(path)
            || self.files.contains_key(path)
            || self.generated.contains_key(path)
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Renders these pages (all when `None`) in parallel; returns the distinct problems.
    pub fn render(&self, paths: Option<&HashSet<String>>) -> Vec<Diagnostic> {
        let slots: Vec<&Arc<Slot>> = match paths {
            Some(paths) => paths.iter().filter_map(|p| self.pages.get(p)).collect(),
            None => self.pages.values().collect(),
        };
        let results: Vec<Diagnostic> = slots
            .par_iter()
            .filter_map(|slot| slot.html(&self.generation).err())
            .collect();
        let mut problems = crate::diagnostic::distinct(results);
        crate::diagnostic::sort(&mut problems);
        problems
    }

    /// Paths of files (not pages) that differ between two generations.
    pub fn changed_files(&self, other: &Memory) -> Vec<String> {
        let mut out: Vec<String> = self
            .files
            .iter()
            .filter(|(path, bytes)| other.files.get(*path) != Some(bytes))
            .map(|(path, _)| path.clone())
            .chain(
                other
                    .files
                    .keys()
                    .filter(|p| !self.files.contains_key(*p))
                    .cloned(),
            )
            .collect();
        out.sort();
        out
    }
}
