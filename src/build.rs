//! One build: files -> Config + Content -> Site -> rendered pages and feeds. Knows
//! the order of the stages and collects every stage's problems; writes nothing (see
//! `write`), so `check` and `serve` run exactly the same stages. `serve` runs them
//! through [`incremental`], which keeps what did not change between builds.

pub mod fresh;
pub mod incremental;
mod patch;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::outputs::{self, Generated};
use crate::render::{Output, PageJob, Renderer, theme};
use crate::site::{self, Site};
use crate::urls::Urls;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use url::Url;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Overrides `base_url` of `site.toml` (preview deploys).
    pub base_url: Option<Url>,
    pub site: site::Options,
}

/// A successful build, in memory: every page rendered; the machine-readable files
/// (feeds, sitemap) are made when they are written, see [`Built::generated`].
pub struct Built {
    pub site: Site,
    /// Pages and static files, sorted by path.
    pub outputs: Vec<Output>,
    /// The machine-readable files of this site (a static file of the same name wins).
    pub generated: Vec<&'static Generated>,
    pub urls: Urls,
    /// The theme's strings (feed titles need words).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "tests make the generated files")
    )]
    pub strings: serde_json::Map<String, serde_json::Value>,
}

impl Built {
    /// Makes one machine-readable file of [`Built::generated`].
    #[cfg(test)]
    pub fn make(&self, generated: &Generated) -> Output {
        let strings = crate::render::format::Strings(&self.strings);
        Output {
            path: generated.path.to_string(),
            bytes: generated.make(&self.site, &self.urls, &strings),
        }
    }
}

/// Loads the configuration, with `--base-url` applied.
pub fn load_config(options: &Options) -> Result<Config, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    Ok(config)
}

/// A build up to the rendering of its pages. [`build`] renders them all into
/// memory (`check` and the tests read them); `openings build` renders each page
/// as it writes it (see `write::site`), so the pages are never all held at once.
pub struct Prepared {
    pub site: Site,
    pub renderer: Renderer,
    pub plan: Plan,
    /// How long reading and parsing took.
    pub load: Duration,
}

/// Runs every stage but rendering; returns all problems found, sorted.
pub fn prepare(options: &Options, progress: &dyn Fn(&str)) -> Result<Prepared, Vec<Diagnostic>> {
    let started = Instant::now();
    let config = load_config(options)?;
    progress("reading content");
    let content = content::load(&options.root, &config);
    let theme = theme::load(&options.root, &config);
    let (content, theme) = match (content, theme) {
        (Ok(c), Ok(t)) => (c, t),
        (c, t) => {
            let mut problems: Vec<Diagnostic> =
                c.err().into_iter().chain(t.err()).flatten().collect();
            diagnostic::sort(&mut problems);
            return Err(problems);
        }
    };
    let site = Site::new(config, content, options.site);
    let load = started.elapsed();
    progress("rendering pages");
    let renderer = Renderer::new(&site, theme)?;
    let plan = outputs_of(&site, &renderer)?;
    Ok(Prepared {
        site,
        renderer,
        plan,
        load,
    })
}

/// Runs every stage; returns all problems found, sorted, when there are any.
pub fn build(options: &Options, progress: &dyn Fn(&str)) -> Result<Built, Vec<Diagnostic>> {
    let Prepared {
        site,
        renderer,
        plan,
        ..
    } = prepare(options, progress)?;
    let mut outputs = renderer.render_all(&plan.pages)?;
    outputs.extend(plan.files);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    // The pages' contexts and the job views go here; only their output stays.
    let Renderer { urls, strings, .. } = renderer;
    Ok(Built {
        site,
        outputs,
        generated: plan.generated,
        urls,
        strings,
    })
}

/// Everything a site consists of, before the theme renders its pages.
pub struct Plan {
    /// Pages to render through the theme.
    pub pages: Vec<PageJob>,
    /// Static files, ready as they are.
    pub files: Vec<Output>,
    /// The machine-readable files (feeds, sitemap) to make.
    pub generated: Vec<&'static Generated>,
}

/// Works out every output of a site: the same for `build`, `check` and `serve`.
/// A static file with the path of a page is an error: one would overwrite the other.
pub fn outputs_of(site: &Site, renderer: &Renderer) -> Result<Plan, Vec<Diagnostic>> {
    let pages = renderer.pages(site);
    let page_paths: std::collections::HashSet<&str> =
        pages.iter().map(|p| p.path.as_str()).collect();
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
    Ok(Plan {
        pages,
        files: renderer.assets.clone(),
        generated,
    })
}
