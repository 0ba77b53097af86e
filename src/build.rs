//! One build: files -> Config + Content -> Site -> the build product (a
//! [`Generation`]) -> rendered pages and feeds. Knows the order of the stages
//! and collects every stage's problems. [`prepare`] makes the product, which
//! writes nothing; [`to_folder`] is the whole of `openings build` (check the
//! output folder, skip a build whose inputs did not change, write). `check`
//! and `serve` run exactly the same stages; `serve` runs them through
//! [`incremental`], which keeps what did not change between builds.

pub mod fresh;
mod generation;
pub mod incremental;
mod patch;
mod reuse;

pub use generation::Generation;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::render::{JobValues, Output, Renderer, theme};
use crate::site::{self, Site};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use url::Url;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Overrides `base_url` of `site.toml` (preview deploys).
    pub base_url: Option<Url>,
    pub site: site::Options,
}

/// Loads the configuration, with `--base-url` applied.
pub fn load_config(options: &Options) -> Result<Config, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    Ok(config)
}

/// Runs every stage up to the build product; returns all problems found, sorted.
pub fn prepare(options: &Options, progress: &dyn Fn(&str)) -> Result<Generation, Vec<Diagnostic>> {
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
    progress("rendering pages");
    let renderer = Renderer::new(&site, theme, |urls, strings| {
        JobValues::fresh(&site, urls, strings)
    })?;
    Generation::new(site, renderer)
}

/// Runs every stage and renders every page into memory (for `check`).
pub fn render(
    options: &Options,
    progress: &dyn Fn(&str),
) -> Result<(Generation, Vec<Output>), Vec<Diagnostic>> {
    let generation = prepare(options, progress)?;
    let outputs = generation.render_all()?;
    Ok((generation, outputs))
}

/// One line about a built site: `8 open roles, 1 closed, 2 pages`.
pub fn describe(site: &Site) -> String {
    let plural = crate::diagnostic::plural;
    let closed = site.jobs.iter().filter(|j| j.closed).count();
    let drafts = site.jobs.iter().filter(|j| j.posting.draft).count();
    let mut roles = plural(site.jobs.len() - closed, "open role");
    if closed > 0 {
        roles += &format!(", {closed} closed");
    }
    if drafts > 0 {
        roles += &format!(", {}", plural(drafts, "draft"));
    }
    format!("{roles}, {}", plural(site.pages.len(), "page"))
}

/// What `openings build` did.
pub struct Built {
    /// [`describe`] of the site.
    pub what: String,
    /// `None`: inputs and output were as the last build left them; nothing was done.
    pub written: Option<crate::write::Stats>,
    /// Reading, parsing and preparing, before rendering and writing.
    pub load: Duration,
}

/// `openings build`: makes `output` hold the site of `options`, or leaves it
/// as it was and says why.
pub fn to_folder(
    options: &Options,
    output: &Path,
    progress: &dyn Fn(&str),
) -> Result<Built, crate::write::Failure> {
    let started = Instant::now();
    let before = |problems| crate::write::Failure {
        problems,
        partial: false,
    };
    crate::write::check_target(&options.root, output).map_err(|d| before(vec![d]))?;
    let inputs = fresh::inputs(options);
    if let Some(what) = fresh::unchanged(&inputs, output) {
        return Ok(Built {
            what,
            written: None,
            load: started.elapsed(),
        });
    }
    let generation = prepare(options, progress).map_err(before)?;
    let load = started.elapsed();
    let what = describe(&generation.site);
    progress("rendering and writing pages");
    let stats = crate::write::site(output, generation)?;
    // Without the record the next build just does all the work again.
    let _ = fresh::record(&inputs, output, &what);
    Ok(Built {
        what,
        written: Some(stats),
        load,
    })
}
