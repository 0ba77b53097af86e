//! One build: files -> Config + Content -> Site -> rendered pages and feeds. Knows
//! the order of the stages and collects every stage's problems; writes nothing (see
//! `write`), so `check` and `serve` run exactly the same stages. `serve` runs them
//! through [`incremental`], which keeps what did not change between builds.

pub mod incremental;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::outputs::{self, jsonld};
use crate::render::format::Strings;
use crate::render::{Output, PageJob, Renderer, theme};
use crate::site::{self, Site};
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

/// A successful build, in memory.
pub struct Built {
    pub site: Site,
    /// Pages, feeds and static files, sorted by path.
    pub outputs: Vec<Output>,
    /// The JobPosting of each job of `site.jobs` (`None` for closed ones).
    pub json_ld: Vec<Option<serde_json::Value>>,
    pub timings: Timings,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub render: Duration,
}

/// Loads the configuration, with `--base-url` applied.
pub fn load_config(options: &Options) -> Result<Config, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    Ok(config)
}

/// Runs every stage; returns all problems found, sorted, when there are any.
pub fn build(options: &Options, progress: &dyn Fn(&str)) -> Result<Built, Vec<Diagnostic>> {
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
    let plan = outputs_of(&site, &renderer);
    let mut outputs = renderer.render_all(&plan.pages)?;
    outputs.extend(plan.files);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    let render = started.elapsed() - load;
    Ok(Built {
        site,
        outputs,
        json_ld: plan.json_ld,
        timings: Timings { load, render },
    })
}

/// Everything a site consists of, before the theme renders its pages.
pub struct Plan {
    /// Pages to render through the theme.
    pub pages: Vec<PageJob>,
    /// Files that are ready as they are: feeds, sitemap, static files.
    pub files: Vec<Output>,
    /// The JobPosting of each job of `site.jobs` (`None` for closed ones).
    pub json_ld: Vec<Option<serde_json::Value>>,
}

/// Works out every output of a site: the same for `build`, `check` and `serve`.
pub fn outputs_of(site: &Site, renderer: &Renderer) -> Plan {
    let json_ld = jsonld::all(site, &renderer.urls);
    let scripts: Vec<Option<String>> = json_ld
        .iter()
        .map(|v| v.as_ref().map(jsonld::script_text))
        .collect();
    let pages = renderer.pages(site, &scripts);
    // A file of the same name in static/ wins, e.g. a hand-written robots.txt.
    let mut files: Vec<Output> = outputs::files(site, &renderer.urls, &Strings(&renderer.strings))
        .into_iter()
        .filter(|f| !renderer.assets.iter().any(|a| a.path == f.path))
        .collect();
    files.extend(renderer.assets.iter().cloned());
    Plan {
        pages,
        files,
        json_ld,
    }
}
