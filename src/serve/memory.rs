//! The site as the server holds it: one generation of the build with its pages,
//! each rendered once (on first request, or by the rebuild in the background) and
//! kept until a change affects it, and the files that need no rendering.

use crate::build::Generation;
use crate::build::Planned;
use crate::diagnostic::Diagnostic;
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
type Made = (Planned, OnceLock<Arc<[u8]>>);

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
    generated: HashMap<String, Made>,
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
            .all_pages()
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
            .all_generated()
            .map(|g| (g.path.clone(), (g.clone(), OnceLock::new())))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::Options;
    use crate::build::incremental::{Changes, Incremental};
    use std::path::{Path, PathBuf};

    /// The pages and files `serve` holds after an edit, the same as a cold build's.
    #[test]
    fn the_serve_path_gives_the_bytes_of_a_cold_build() {
        serve_path_matches_cold_builds("");
    }

    /// The same on a site in three languages, with edits of a translation too.
    #[test]
    fn the_serve_path_of_a_multilingual_site_gives_the_bytes_of_a_cold_build() {
        serve_path_matches_cold_builds("de,pt");
    }

    fn serve_path_matches_cold_builds(languages: &str) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let status = std::process::Command::new("python3")
            .arg(repo.join("bench/gen_corpus.py"))
            .args(["--postings", "200", "--languages", languages, "--out"])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("python3 runs bench/gen_corpus.py");
        assert!(status.success());
        let options = Options {
            root: dir.path().join("openings"),
            base_url: None,
            site: crate::site::Options {
                drafts: false,
                today: Some("2026-11-23".parse().unwrap()),
            },
        };
        let mut incremental = Incremental::new(options.clone());
        let first = incremental.rebuild(&Changes::everything()).unwrap();
        let memory = Memory::new(1, first.0);
        assert!(memory.render(None).is_empty());

        let mut postings: Vec<PathBuf> = std::fs::read_dir(options.root.join("content/jobs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        postings.sort();
        // An open posting with TOML front matter, so the edits below can be plain
        // text; on a multilingual site one that is translated.
        let path = postings
            .iter()
            .find(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                let translated = languages.is_empty() || p.with_extension("de.md").exists();
                let yearly = text.contains("per = \"year\"");
                text.starts_with("+++")
                    && !text.contains("valid_through = 2026-0")
                    && yearly
                    && translated
            })
            .unwrap();
        let rel = path.strip_prefix(&options.root).unwrap().to_path_buf();
        let replace_line = |text: &str, key: &str, line: &str| -> String {
            text.lines()
                .map(|l| {
                    if l.starts_with(&format!("{key} = ")) {
                        line
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        };
        // (what the edit does, the edit, whether the quick path takes it)
        type Edit = fn(&str, &dyn Fn(&str, &str, &str) -> String) -> String;
        let edits: [(&str, Edit, bool); 5] = [
            (
                "new body text",
                |t, _| format!("{t}\nAn edited paragraph.\n"),
                true,
            ),
            (
                "new summary",
                |t, r| r(t, "summary", "summary = \"Shown in every listing.\""),
                true,
            ),
            // The listings show the salary.
            ("new salary", |t, r| r(t, "min", "min = 12345"), true),
            (
                "new title",
                |t, r| r(t, "title", "title = \"Zebra Keeper\""),
                false,
            ),
            (
                "closed",
                |t, r| {
                    let t = r(t, "date", "date = 2026-10-01");
                    r(&t, "valid_through", "valid_through = 2026-11-01")
                },
                false,
            ),
        ];
        let mut served = memory;
        for (n, (what, edit, quick)) in edits.into_iter().enumerate() {
            let text = std::fs::read_to_string(path).unwrap();
            std::fs::write(path, edit(&text, &replace_line)).unwrap();
            let changes = Changes {
                content: [rel.clone()].into(),
                ..Changes::default()
            };
            let (generation, changed) = incremental.rebuild(&changes).unwrap();
            assert_eq!(incremental.was_quick(), quick, "{what}");
            // The role's page and the listings that show it, in each language.
            let most = if languages.is_empty() { 10 } else { 30 };
            assert!(
                !changed.is_empty() && changed.len() < most,
                "{what}: {:?}",
                changed
            );
            served = served.next(n as u64 + 2, generation, &changed);
            same_as_cold_build(&served, &options, what);
        }
        if languages.is_empty() {
            return;
        }
        // The German text of that posting: edited, then gone, then back.
        let german = path.with_extension("de.md");
        let german_rel = german.strip_prefix(&options.root).unwrap().to_path_buf();
        let text = std::fs::read_to_string(&german).unwrap();
        let changes = Changes {
            content: [german_rel].into(),
            ..Changes::default()
        };
        // (what, the file's text or none, whether the quick path takes it)
        let steps: [(&str, Option<String>, bool); 3] = [
            (
                "translation edited",
                Some(format!("{text}\nEin neuer Absatz.\n")),
                true,
            ),
            ("translation removed", None, false),
            ("translation back", Some(text), false),
        ];
        for (n, (what, contents, quick)) in steps.into_iter().enumerate() {
            match contents {
                Some(contents) => std::fs::write(&german, contents).unwrap(),
                None => std::fs::remove_file(&german).unwrap(),
            }
            let (generation, changed) = incremental.rebuild(&changes).unwrap();
            assert!(!changed.is_empty(), "{what}");
            assert_eq!(incremental.was_quick(), quick, "{what}");
            served = served.next(n as u64 + 10, generation, &changed);
            same_as_cold_build(&served, &options, what);
        }
    }

    fn same_as_cold_build(served: &Memory, options: &Options, what: &str) {
        let (cold, outputs) = crate::build::render(options, &|_| {}).unwrap();
        let bytes = |path: &str| match served.get(path) {
            Some(Found::Page(slot)) => slot.html(&served.generation).unwrap().to_vec(),
            Some(Found::File(bytes)) => bytes.to_vec(),
            None => panic!("{what}: {path} is not served"),
        };
        for output in &outputs {
            assert!(
                bytes(&output.path) == output.bytes,
                "{what}: {} differs",
                output.path
            );
        }
        for generated in cold.all_generated() {
            assert!(
                bytes(&generated.path) == cold.make(generated),
                "{what}: {} differs",
                generated.path
            );
        }
        let g = &served.generation;
        assert_eq!(
            served.page_count() + g.files.len() + g.all_generated().count(),
            outputs.len() + cold.all_generated().count(),
            "{what}"
        );
    }
}
