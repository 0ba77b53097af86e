//! The further languages of a multilingual build: for each of `[languages]`,
//! the content in that language (translations where there are some, the
//! originals elsewhere), the theme with that language's strings, and a
//! complete [`Generation`] under the language's prefix. The default
//! language's generation holds them as its `translations`. A site with one
//! language has none, and nothing here runs for it.

use super::generation::Generation;
use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::format::Strings;
use crate::languages::Languages;
use crate::render::theme::Theme;
use crate::render::{JobValues, Renderer};
use crate::site::{self, Site};
use crate::urls::Urls;
use std::sync::Arc;

/// The theme of each further language, in the order of `[languages]`: the
/// default's templates and static files, that language's strings (from the
/// files the default's loading read).
pub fn themes(default: &Theme, config: &Config) -> Result<Vec<Theme>, Vec<Diagnostic>> {
    let mut themes = Vec::new();
    let mut problems = Vec::new();
    for l in &config.languages {
        match default.in_language(&l.tag) {
            Ok(theme) => themes.push(theme),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(themes)
    } else {
        Err(problems)
    }
}

/// Which pages each language has, and each language's name in itself (the
/// theme string `language_name`).
pub fn languages(
    config: &Config,
    content: &Content,
    drafts: bool,
    default: &Theme,
    themes: &[Theme],
) -> Arc<Languages> {
    if config.languages.is_empty() {
        return Arc::new(Languages::single(&config.language));
    }
    let name_in = |theme: &Theme, tag: &str| {
        theme
            .strings
            .get("language_name")
            .and_then(|v| v.as_str())
            .map_or_else(|| tag.to_string(), str::to_string)
    };
    Arc::new(Languages::new(config, content, drafts, |tag| match config
        .languages
        .iter()
        .position(|l| l.tag == tag)
    {
        Some(i) => name_in(&themes[i], tag),
        None => name_in(default, tag),
    }))
}

/// How the job values of further language `i` (0 for the first of
/// `[languages]`) are made for its site: anew, or kept from the last build.
pub type Values<'a> = &'a dyn Fn(usize, &Site, &Urls, &Strings) -> JobValues;

/// Makes every job's values anew (a build from nothing).
pub fn fresh(_: usize, site: &Site, urls: &Urls, strings: &Strings) -> JobValues {
    JobValues::fresh(site, urls, strings)
}

/// The generation of every further language.
pub fn translations(
    config: &Config,
    content: &Content,
    themes: &[Theme],
    languages: &Arc<Languages>,
    options: site::Options,
    values: Values<'_>,
) -> Result<Vec<Arc<Generation>>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for (i, (l, theme)) in config.languages.iter().zip(themes).enumerate() {
        let config = config.in_language(&l.tag).expect("a language of the site");
        let content = content.in_language(&l.tag, options.drafts);
        let mut site = Site::new(config, content, options);
        site.languages = languages.clone();
        site.language = i + 1;
        let renderer = Renderer::new(&site, theme.clone(), |urls, strings| {
            values(i, &site, urls, strings)
        })?;
        out.push(Arc::new(Generation::new(site, renderer)?));
    }
    Ok(out)
}
