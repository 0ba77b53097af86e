//! One build: files -> Config + Content -> Site -> the build product (a
//! [`Generation`]) -> rendered pages and feeds. Knows the order of the stages
//! and collects every stage's problems. [`prepare`] makes the product, which
//! writes nothing (`write::to_folder` is the whole of `openings build`).
//! `check` and `serve` run exactly the same stages; `serve` runs them through
//! [`incremental`], which keeps what did not change between builds.

mod editions;
pub mod fresh;
mod generation;
pub mod incremental;
mod options;
mod patch;
mod reuse;

pub use generation::{Generation, Planned};
pub use options::{Options, load_config};

use crate::content::{self, Sources};
use crate::diagnostic::{self, Diagnostic};
use crate::render::{JobValues, Output, Renderer, theme};
use crate::site::Site;

/// Runs every stage up to the build product; returns all problems found, sorted.
pub fn prepare(options: &Options, progress: &dyn Fn(&str)) -> Result<Generation, Vec<Diagnostic>> {
    prepare_keeping(options, progress, Sources::Whole)
}

/// [`prepare`] for `openings build`, which reports nothing in a body once
/// the files are read: of each file's text only the front matter is kept.
pub fn prepare_to_write(
    options: &Options,
    progress: &dyn Fn(&str),
) -> Result<Generation, Vec<Diagnostic>> {
    prepare_keeping(options, progress, Sources::FrontMatter)
}

fn prepare_keeping(
    options: &Options,
    progress: &dyn Fn(&str),
    sources: Sources,
) -> Result<Generation, Vec<Diagnostic>> {
    let config = load_config(options)?;
    progress("reading content");
    let content = content::load_keeping(&options.root, &config, sources);
    let theme = theme::load(&options.root, &config);
    let themes = theme
        .as_ref()
        .map_err(|_| Vec::new())
        .and_then(|t| editions::themes(t, &config));
    let (content, theme, themes) = match (content, theme, themes) {
        (Ok(c), Ok(t), Ok(ts)) => (c, t, ts),
        (c, t, ts) => {
            let mut problems: Vec<Diagnostic> = c
                .err()
                .into_iter()
                .chain(t.err())
                .chain(ts.err())
                .flatten()
                .collect();
            diagnostic::sort(&mut problems);
            return Err(problems);
        }
    };
    let languages = editions::languages(&config, &content, options.site.drafts, &theme, &themes);
    let translations = editions::translations(
        &config,
        &content,
        &themes,
        &languages,
        options.site,
        &editions::fresh,
    )?;
    let mut site = Site::new(config, content, options.site);
    site.languages = languages;
    progress("rendering pages");
    let renderer = Renderer::new(&site, theme, |urls, strings| {
        JobValues::fresh(&site, urls, strings)
    })?;
    let mut generation = Generation::new(site, renderer)?;
    generation.translations = translations;
    Ok(generation)
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
    let pages = plural(site.pages.len(), "page");
    let languages = &site.languages.all;
    if languages.len() > 1 {
        let tags: Vec<&str> = languages.iter().map(|l| l.tag.as_str()).collect();
        return format!(
            "{roles}, {pages}, in {} languages ({})",
            tags.len(),
            tags.join(", ")
        );
    }
    format!("{roles}, {pages}")
}
