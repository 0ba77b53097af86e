//! The build product: one complete version of the site, before any page is
//! rendered. `openings build` renders and writes it (`write`), `check` lints
//! it, `serve` holds it in memory and renders its pages on demand, the
//! application endpoint answers through it, and the incremental rebuilder
//! makes the next one from it. Rendering a page goes through
//! [`Generation::render`], and nowhere else.

use crate::diagnostic::Diagnostic;
use crate::outputs::{self, Generated};

use crate::render::{Output, PageJob, Renderer};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// The model, the renderer prepared for it, and every output of the site.
/// A multilingual site is one generation per language: this one, in the
/// default language, holds the others in [`Generation::translations`].
pub struct Generation {
    pub site: Arc<Site>,
    pub renderer: Arc<Renderer>,
    /// Pages to render through the theme, in the stable order of [`Renderer::pages`].
    pub pages: Vec<PageJob>,
    /// Static files, ready as they are (shared by every language).
    pub files: Vec<Output>,
    /// The machine-readable files (feeds, sitemap), made when they are asked
    /// for: the largest files of a big site, never held all at once.
    pub generated: Vec<Planned>,
    /// The site in each further language, in the order of `site.toml`.
    pub translations: Vec<Arc<Generation>>,
}

/// A machine-readable file of one language: where it goes and what makes it.
#[derive(Clone)]
pub struct Planned {
    pub path: String,
    pub generated: &'static Generated,
    /// The language whose generation makes it (0: the default).
    pub language: usize,
}

impl Generation {
    /// Works out every output of `site` rendered by `renderer`. A static file
    /// with the path of a page is an error: one would overwrite the other.
    pub fn new(site: Site, renderer: Renderer) -> Result<Generation, Vec<Diagnostic>> {
        let pages = renderer.pages(&site);
        let page_paths: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        let clashes: Vec<Diagnostic> = renderer
            .assets
            .iter()
            .filter(|a| page_paths.contains(a.path.as_str()))
            .map(|a| {
                Diagnostic::error(
                    "static-clash",
                    format!("the static file `{}` has the path of a page the site builds", a.path),
                )
                .with_hint("remove or rename it in static/; to change that page, override its template in templates/")
            })
            .collect();
        if !clashes.is_empty() {
            return Err(clashes);
        }
        // A file of the same name in static/ wins, e.g. a hand-written robots.txt.
        // A further language has its own feeds; the sitemap (which lists every
        // language), robots.txt and the job-board feed are the default's.
        let prefix = renderer.urls.prefix().to_string();
        let generated = outputs::GENERATED
            .iter()
            .filter(|g| site.language == 0 || g.per_language)
            .map(|g| Planned {
                path: format!("{prefix}{}", g.path),
                generated: g,
                language: site.language,
            })
            .filter(|g| !renderer.assets.iter().any(|a| a.path == g.path))
            .collect();
        // Static files are written once, with the default language.
        let files = if site.language == 0 {
            renderer.assets.clone()
        } else {
            Vec::new()
        };
        Ok(Generation {
            pages,
            files,
            generated,
            site: Arc::new(site),
            renderer: Arc::new(renderer),
            translations: Vec::new(),
        })
    }

    /// The generation of language `language` (0: this one).
    pub fn in_language(&self, language: usize) -> &Generation {
        match language.checked_sub(1) {
            Some(i) => self.translations.get(i).map_or(self, |g| g),
            None => self,
        }
    }

    /// The generation that answers an application to the role `slug` sent
    /// from a page in language `tag` (the form's `?lang=`): that language's,
    /// when the role is translated into it; the default's otherwise.
    pub fn answering(&self, tag: Option<&str>, slug: &str) -> &Generation {
        let Some(index) = tag.and_then(|t| self.site.languages.index(t)) else {
            return self;
        };
        let g = self.in_language(index);
        let translated = g
            .site
            .jobs
            .iter()
            .any(|j| j.posting.slug == slug && j.posting.language.is_some());
        if translated { g } else { self }
    }

    /// Every language's generation, this one first.
    pub fn editions(&self) -> impl Iterator<Item = &Generation> {
        std::iter::once(self).chain(self.translations.iter().map(|g| &**g))
    }

    /// The pages of every language.
    pub fn all_pages(&self) -> impl Iterator<Item = &PageJob> {
        self.editions().flat_map(|g| g.pages.iter())
    }

    /// The machine-readable files of every language.
    pub fn all_generated(&self) -> impl Iterator<Item = &Planned> {
        self.editions().flat_map(|g| g.generated.iter())
    }

    /// Renders one page (a page of [`Generation::all_pages`], or one the
    /// endpoint answers with) through its language's renderer.
    pub fn render(&self, page: &PageJob) -> Result<String, Diagnostic> {
        self.in_language(page.language).renderer.render_page(page)
    }

    /// Makes one machine-readable file in memory.
    pub fn make(&self, planned: &Planned) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.write(planned, &mut bytes)
            .expect("writing to memory cannot fail");
        bytes
    }

    /// Writes one machine-readable file to `out` as it is made.
    pub fn write(&self, planned: &Planned, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let g = self.in_language(planned.language);
        let strings = g.renderer.words();
        planned
            .generated
            .write(&g.site, &g.renderer.urls, &strings, out)
    }

    /// Every page rendered, in parallel, and the static files, sorted by path;
    /// all template errors together. For `check` and tests: `openings build`
    /// renders each page as it writes it instead.
    pub fn render_all(&self) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let pages: Vec<&PageJob> = self.all_pages().collect();
        let results: Vec<Result<Output, Diagnostic>> = pages
            .par_iter()
            .map(|p| {
                self.render(p).map(|html| Output {
                    path: p.path.clone(),
                    bytes: html.into_bytes(),
                })
            })
            .collect();
        let problems =
            crate::diagnostic::distinct(results.iter().filter_map(|r| r.as_ref().err().cloned()));
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut outputs: Vec<Output> = results.into_iter().flatten().collect();
        outputs.extend(self.files.iter().cloned());
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(outputs)
    }
}
