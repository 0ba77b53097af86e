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
pub struct Generation {
    pub site: Arc<Site>,
    pub renderer: Arc<Renderer>,
    /// Pages to render through the theme, in the stable order of [`Renderer::pages`].
    pub pages: Vec<PageJob>,
    /// Static files, ready as they are.
    pub files: Vec<Output>,
    /// The machine-readable files (feeds, sitemap), made when they are asked
    /// for: the largest files of a big site, never held all at once.
    pub generated: Vec<&'static Generated>,
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
        let generated = outputs::GENERATED
            .iter()
            .filter(|g| !renderer.assets.iter().any(|a| a.path == g.path))
            .collect();
        Ok(Generation {
            pages,
            files: renderer.assets.clone(),
            generated,
            site: Arc::new(site),
            renderer: Arc::new(renderer),
        })
    }

    /// Renders one page (a page of [`Generation::pages`], or one the endpoint answers with).
    pub fn render(&self, page: &PageJob) -> Result<String, Diagnostic> {
        self.renderer.render(page.template, &page.context)
    }

    /// Makes one machine-readable file.
    pub fn make(&self, generated: &Generated) -> Vec<u8> {
        let strings = self.renderer.words();
        generated.make(&self.site, &self.renderer.urls, &strings)
    }

    /// Every page rendered, in parallel, and the static files, sorted by path;
    /// all template errors together. For `check` and tests: `openings build`
    /// renders each page as it writes it instead.
    pub fn render_all(&self) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let results: Vec<Result<Output, Diagnostic>> = self
            .pages
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
