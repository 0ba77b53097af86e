//! Loads `content/`: every `jobs/**/*.md` becomes a [`Posting`], every other
//! Markdown file a [`Page`]. Files are read and parsed in parallel; all problems of
//! all files are collected, then the rules that need every file (duplicate slugs,
//! clashing URLs) are checked.

mod document;
pub mod frontmatter;
pub mod page;
pub mod posting;
pub mod translation;

pub use document::{Origin, Sources, parse_document};

pub use page::Page;
pub use posting::Posting;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Source};
use crate::layout;
use crate::node::{Example, Reader, Syntax};
use document::Document;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by path.
    pub postings: Vec<Arc<Posting>>,
    /// Sorted by path.
    pub pages: Vec<Page>,
    /// Translations merged into their originals, by language, then by the
    /// original's path.
    pub translated: BTreeMap<String, Translated>,
}

/// The postings and pages translated into one language, by their originals' paths.
#[derive(Debug, Default)]
pub struct Translated {
    pub postings: HashMap<PathBuf, Arc<Posting>>,
    pub pages: HashMap<PathBuf, Page>,
    /// The originals whose translation is a draft.
    pub drafts: HashSet<PathBuf>,
}

impl Translated {
    /// The translated posting of the original at `path`, if it is published
    /// (or `drafts` are).
    pub fn posting(&self, path: &Path, drafts: bool) -> Option<&Arc<Posting>> {
        self.postings
            .get(path)
            .filter(|_| drafts || !self.drafts.contains(path))
    }

    /// The translated page of the original at `path`, likewise.
    pub fn page(&self, path: &Path, drafts: bool) -> Option<&Page> {
        self.pages
            .get(path)
            .filter(|_| drafts || !self.drafts.contains(path))
    }
}

impl Content {
    /// The content as language `tag` shows it: each posting and page in its
    /// translation where there is one (and it is no draft, unless `drafts`),
    /// else the original.
    pub fn in_language(&self, tag: &str, drafts: bool) -> Content {
        let empty = Translated::default();
        let t = self.translated.get(tag).unwrap_or(&empty);
        Content {
            postings: self
                .postings
                .iter()
                .map(|p| {
                    t.posting(&p.origin.source.path, drafts)
                        .unwrap_or(p)
                        .clone()
                })
                .collect(),
            pages: self
                .pages
                .iter()
                .map(|p| t.page(&p.path, drafts).unwrap_or(p).clone())
                .collect(),
            translated: BTreeMap::new(),
        }
    }
}

/// Every Markdown file under `content/`, relative to the site root, sorted.
pub fn files(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = root.join(layout::CONTENT);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry
            .map_err(|e| Diagnostic::error("io", format!("cannot read {}: {e}", dir.display())))?;
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue;
        }
        if entry.file_type().is_file() && name.ends_with(".md") {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            out.push(rel.to_path_buf());
        }
    }
    Ok(out)
}

/// True for a content path (relative to the root) that is a posting.
pub fn is_posting(rel: &Path) -> bool {
    rel.starts_with(Path::new(layout::CONTENT).join(layout::JOBS))
}

/// Loads and validates all content.
pub fn load(root: &Path, config: &Config) -> Result<Content, Vec<Diagnostic>> {
    Cache::scan(root, config, Sources::Whole)?.content()
}

/// [`load`], keeping of each file's text only what `sources` says.
pub fn load_keeping(
    root: &Path,
    config: &Config,
    sources: Sources,
) -> Result<Content, Vec<Diagnostic>> {
    Cache::scan(root, config, sources)?.content()
}

/// Every content file as last read, so a long-running process (`serve`) re-reads
/// only the files that changed. The cross-file rules run on every [`Cache::content`].
#[derive(Default)]
pub struct Cache {
    files: BTreeMap<PathBuf, Cached>,
    /// Translated postings as last merged, by the translation's path: the
    /// same `Arc` again while neither file was read again, so that a rebuild
    /// finds them unchanged by address (see `build::reuse`).
    merged: std::sync::Mutex<HashMap<PathBuf, Merged>>,
    /// What the files read keep of their text.
    sources: Sources,
}

/// A translated posting and what it was merged from.
struct Merged {
    /// [`Cached::serial`] of the translation.
    serial: u64,
    /// The original it was merged into (held, so its address stays its own).
    original: Arc<Posting>,
    posting: Arc<Posting>,
}

struct Cached {
    stamp: Option<Stamp>,
    loaded: Loaded,
    /// Tells one reading of a file from the next.
    serial: u64,
}

/// The next [`Cached::serial`].
fn serial() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Modification time and size: a file with the same stamp is not read again by
/// [`Cache::rescan`].
type Stamp = (std::time::SystemTime, u64);

fn stamp(root: &Path, rel: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(root.join(rel)).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn read_all(
    root: &Path,
    config: &Config,
    files: Vec<PathBuf>,
    sources: Sources,
) -> Vec<(PathBuf, Cached)> {
    files
        .into_par_iter()
        .map(|rel| {
            let stamp = stamp(root, &rel);
            let loaded = load_file(root, &rel, config, sources);
            let serial = serial();
            (
                rel,
                Cached {
                    stamp,
                    loaded,
                    serial,
                },
            )
        })
        .collect()
}

impl Cache {
    /// Reads every content file.
    pub fn scan(root: &Path, config: &Config, sources: Sources) -> Result<Cache, Vec<Diagnostic>> {
        let files = files(root).map_err(|d| vec![d])?;
        Ok(Cache {
            files: read_all(root, config, files, sources).into_iter().collect(),
            merged: Default::default(),
            sources,
        })
    }

    /// Walks `content/` again, reading only files that are new or whose modification
    /// time or size changed (after lost watcher events or a moved folder).
    pub fn rescan(&mut self, root: &Path, config: &Config) -> Result<(), Vec<Diagnostic>> {
        let files = files(root).map_err(|d| vec![d])?;
        let mut old = std::mem::take(&mut self.files);
        let mut stale = Vec::new();
        for rel in files {
            match old.remove(&rel) {
                Some(c) if c.stamp.is_some() && c.stamp == stamp(root, &rel) => {
                    self.files.insert(rel, c);
                }
                _ => stale.push(rel),
            }
        }
        self.files
            .extend(read_all(root, config, stale, self.sources));
        Ok(())
    }

    /// Re-reads these files (relative to the root): changed ones are parsed again,
    /// new ones added, ones gone from disk (or no longer content) dropped.
    pub fn refresh(&mut self, root: &Path, config: &Config, paths: &[PathBuf]) {
        let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .iter()
            .cloned()
            .partition(|rel| is_content_file(root, rel));
        for rel in gone {
            self.files.remove(&rel);
        }
        self.files
            .extend(read_all(root, config, present, self.sources));
    }

    /// The original of the translation read from `rel` (relative to the
    /// root), if it is one and it parsed.
    pub fn original_of(&self, rel: &Path) -> Option<&Path> {
        match &self.files.get(rel)?.loaded.item {
            Ok(Item::Translation(t)) => Some(&t.original),
            _ => None,
        }
    }

    /// The posting read from `rel` (relative to the root), if it is one and it parsed.
    pub fn posting(&self, rel: &Path) -> Option<&Arc<Posting>> {
        match &self.files.get(rel)?.loaded.item {
            Ok(Item::Posting(posting)) => Some(posting),
            _ => None,
        }
    }

    /// The content of the cached files, checked across files.
    pub fn content(&self) -> Result<Content, Vec<Diagnostic>> {
        let mut content = Content::default();
        let mut problems = Vec::new();
        let mut slugs = Vec::new();
        self.merged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|rel, _| self.files.contains_key(rel));
        for (rel, Cached { loaded, serial, .. }) in &self.files {
            slugs.extend(loaded.slug.as_ref());
            match &loaded.item {
                Ok(Item::Posting(p)) => content.postings.push(p.clone()),
                Ok(Item::Page(p)) => content.pages.push((**p).clone()),
                Ok(Item::Translation(t)) => match self.translate(rel, *serial, t) {
                    Ok(Some(translated)) => {
                        let into = content.translated.entry(t.language.clone()).or_default();
                        if t.draft {
                            into.drafts.insert(t.original.clone());
                        }
                        match translated {
                            Item::Posting(p) => {
                                into.postings.insert(t.original.clone(), p);
                            }
                            Item::Page(p) => {
                                into.pages.insert(t.original.clone(), *p);
                            }
                            Item::Translation(_) => {
                                unreachable!("translate gives postings and pages")
                            }
                        }
                    }
                    Ok(None) => {}
                    Err(d) => problems.extend(d),
                },
                Err(d) => problems.extend(d.iter().cloned()),
            }
        }
        problems.extend(duplicate_slugs(&slugs));
        problems.extend(page::clashing_urls(&content.pages));
        if problems.is_empty() {
            Ok(content)
        } else {
            diagnostic::sort(&mut problems);
            Err(problems)
        }
    }
}

impl Cache {
    /// A translation merged into its original; `None` when the original has
    /// problems of its own (reported with it).
    fn translate(
        &self,
        rel: &Path,
        serial: u64,
        t: &translation::Translation,
    ) -> Result<Option<Item>, Vec<Diagnostic>> {
        let Some(original) = self.files.get(&t.original) else {
            return Err(vec![t.orphan()]);
        };
        let front = original.loaded.front.as_ref();
        match (&original.loaded.item, front) {
            (Ok(Item::Posting(p)), Some(front)) => {
                let mut merged = self.merged.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(m) = merged.get(rel)
                    && m.serial == serial
                    && Arc::ptr_eq(&m.original, p)
                {
                    return Ok(Some(Item::Posting(m.posting.clone())));
                }
                let posting = Arc::new(t.apply_to_posting(p, front)?);
                let m = Merged {
                    serial,
                    original: p.clone(),
                    posting: posting.clone(),
                };
                merged.insert(rel.to_path_buf(), m);
                Ok(Some(Item::Posting(posting)))
            }
            (Ok(Item::Page(p)), Some(front)) => t
                .apply_to_page(p, front)
                .map(|p| Some(Item::Page(Box::new(p)))),
            (Ok(Item::Translation(_)), _) => Err(vec![t.orphan()]),
            _ => Ok(None),
        }
    }
}

/// True when `rel` names a Markdown file under `content/` that exists and is not hidden.
fn is_content_file(root: &Path, rel: &Path) -> bool {
    // The same files as `files` lists: hidden names are skipped.
    let hidden = rel
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    rel.starts_with(layout::CONTENT)
        && rel.extension().is_some_and(|e| e == "md")
        && !hidden
        && root.join(rel).is_file()
}

enum Item {
    Posting(Arc<Posting>),
    Page(Box<Page>),
    Translation(Box<translation::Translation>),
}

/// What loading one file gave: the item or its problems, and the posting's slug
/// (known even when the file has other problems, so duplicates are still found).
struct Loaded {
    item: Result<Item, Vec<Diagnostic>>,
    slug: Option<SlugUse>,
    /// An original's front matter as JSON, which its translations' facts are
    /// compared with (only on a site with further languages).
    front: Option<serde_json::Value>,
}

/// Where a posting's slug comes from: the `slug` key (with its place) or the file name.
struct SlugUse {
    slug: String,
    source: Arc<Source>,
    syntax: Syntax,
    span: Option<std::ops::Range<usize>>,
}

fn read_source(root: &Path, rel: &Path) -> Result<Arc<Source>, Diagnostic> {
    let text = std::fs::read(root.join(rel))
        .map_err(|e| Diagnostic::in_file("io", rel, format!("cannot read this file: {e}")))?;
    let text = String::from_utf8(text).map_err(|_| {
        Diagnostic::in_file("encoding", rel, "this file is not UTF-8 text")
            .with_hint("save it as UTF-8 in your editor")
    })?;
    Ok(Arc::new(Source::new(rel, text)))
}

fn load_file(root: &Path, rel: &Path, config: &Config, sources: Sources) -> Loaded {
    let failed = |d: Diagnostic| Loaded {
        item: Err(vec![d]),
        slug: None,
        front: None,
    };
    let language = match translation::language_of(rel, config) {
        Some(Err(d)) => return failed(d),
        Some(Ok(language)) => Some(language),
        None => None,
    };
    let source = match read_source(root, rel) {
        Ok(source) => source,
        Err(d) => return failed(d),
    };
    let doc = match parse_document(&source) {
        Ok(doc) => Document { sources, ..doc },
        Err(d) => return failed(d),
    };
    let mut reader = Reader::new(&source, doc.syntax);
    let front =
        (!config.languages.is_empty() && language.is_none()).then(|| doc.front_matter.to_json());
    let (item, slug) = if let Some(language) = language {
        let item = translation::read(&mut reader, &doc, &language, is_posting(rel))
            .map(|t| Item::Translation(Box::new(t)));
        (item, None)
    } else if is_posting(rel) {
        let item = posting::read(&mut reader, &doc, config).map(|p| Item::Posting(Arc::new(p)));
        let slug = posting::declared_slug(&doc).map(|(slug, span)| SlugUse {
            slug,
            source: source.clone(),
            syntax: doc.syntax,
            span,
        });
        (item, slug)
    } else {
        (
            page::read(&mut reader, &doc).map(|p| Item::Page(Box::new(p))),
            None,
        )
    };
    let item = match item {
        Some(item) if reader.is_clean() => Ok(item),
        _ => Err(reader.into_diagnostics()),
    };
    Loaded { item, slug, front }
}

fn duplicate_slugs(slugs: &[&SlugUse]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &SlugUse> = HashMap::new();
    let mut out = Vec::new();
    for &s in slugs {
        let Some(first) = seen.get(s.slug.as_str()) else {
            seen.insert(&s.slug, s);
            continue;
        };
        // Point at the posting that asks for the slug explicitly, if one does.
        let (s, first) = if s.span.is_none() && first.span.is_some() {
            (*first, s)
        } else {
            (s, *first)
        };
        let message = format!("slug `{}` is used by two postings", s.slug);
        let diagnostic = match &s.span {
            Some(span) => Diagnostic::at("duplicate-slug", &s.source, span.clone(), message),
            None => Diagnostic::at(
                "duplicate-slug",
                &s.source,
                0..0,
                format!("{message} (this file's name gives it)"),
            ),
        };
        out.push(
            diagnostic
                .with_note(format!("also used by {}", first.source.path.display()))
                .with_hint(format!(
                    "every posting needs its own slug, which is its URL: set `{}` in one of them or rename the file",
                    s.syntax.entry("slug", Example::Text("..."))
                )),
        );
    }
    out
}
