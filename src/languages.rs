//! The languages of a site and which of its pages exist in each: what
//! `hreflang` alternates, the language switcher and the sitemap's
//! `xhtml:link`s are made from. The default language's pages are at the
//! site's URLs; every further language's under `/<tag>/`. Listings exist in
//! every language; a role or plain page in its original's language and in each
//! language it is translated into.

use crate::config::Config;
use crate::content::Content;
use std::collections::HashMap;

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Language {
    /// BCP 47 tag, as `site.toml` writes it.
    pub tag: String,
    /// What its URLs start with below the base path: `""` for the default
    /// language, `de/` for German.
    pub prefix: String,
    /// Its name in itself (`Deutsch`), for the switcher: the theme string
    /// `language_name` of that language.
    pub name: String,
    /// Written right to left (CLDR's likely script, through ICU4X).
    pub rtl: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    /// The default language first, then `[languages]` in `site.toml`'s order.
    pub all: Vec<Language>,
    /// Per path of a role or plain page (`jobs/x/`, `benefits/`), the
    /// languages (indexes into `all`) it exists in. Other paths (listings)
    /// exist in every language.
    items: HashMap<String, Vec<usize>>,
}

impl Languages {
    /// A site in one language: no alternates anywhere.
    pub fn single(tag: &str) -> Languages {
        Languages {
            all: vec![language(tag, "", String::new())],
            items: HashMap::new(),
        }
    }

    /// The languages of `config` and which of `content`'s roles and pages each
    /// has (draft translations only with `drafts`); `name` gives each
    /// language's name in itself.
    pub fn new(
        config: &Config,
        content: &Content,
        drafts: bool,
        name: impl Fn(&str) -> String,
    ) -> Languages {
        let all: Vec<Language> = config
            .language_tags()
            .enumerate()
            .map(|(i, tag)| {
                let prefix = if i == 0 {
                    String::new()
                } else {
                    format!("{tag}/")
                };
                language(tag, &prefix, name(tag))
            })
            .collect();
        let mut items: HashMap<String, Vec<usize>> = HashMap::new();
        for p in &content.postings {
            items.insert(crate::urls::job(&p.slug), vec![0]);
        }
        for p in &content.pages {
            items.insert(p.url_path.clone(), vec![0]);
        }
        for (i, l) in all.iter().enumerate().skip(1) {
            let Some(t) = content.translated.get(&l.tag) else {
                continue;
            };
            let published = |path: &std::path::Path| drafts || !t.drafts.contains(path);
            for (path, p) in &t.postings {
                if published(path) {
                    items.entry(crate::urls::job(&p.slug)).or_default().push(i);
                }
            }
            for (path, p) in &t.pages {
                if published(path) {
                    items.entry(p.url_path.clone()).or_default().push(i);
                }
            }
        }
        Languages { all, items }
    }

    pub fn is_multilingual(&self) -> bool {
        self.all.len() > 1
    }

    /// The languages the page at `path` (site-relative, without a language
    /// prefix) exists in, the default first; none for the 404 page, and none
    /// at all on a site with one language.
    pub fn of(&self, path: &str) -> Vec<&Language> {
        if !self.is_multilingual() || path == crate::urls::NOT_FOUND {
            return Vec::new();
        }
        match self.items.get(path) {
            Some(indexes) => indexes.iter().map(|&i| &self.all[i]).collect(),
            None => self.all.iter().collect(),
        }
    }

    /// A short fingerprint of which pages each language has, to tell whether
    /// it changed between two builds.
    pub fn digest(&self) -> String {
        let mut items: Vec<(&String, &Vec<usize>)> = self.items.iter().collect();
        items.sort_unstable();
        let mut h = blake3::Hasher::new();
        for (path, languages) in items {
            h.update(path.as_bytes());
            for l in languages {
                h.update(&l.to_le_bytes());
            }
            h.update(b"\n");
        }
        h.finalize().to_hex()[..16].to_string()
    }

    pub fn index(&self, tag: &str) -> Option<usize> {
        self.all.iter().position(|l| l.tag == tag)
    }
}

fn language(tag: &str, prefix: &str, name: String) -> Language {
    Language {
        tag: tag.to_string(),
        prefix: prefix.to_string(),
        name,
        rtl: crate::format::is_right_to_left(tag),
    }
}

/// What a further language makes of the configuration (`[languages.LANG]`
/// of `site.toml`, read by `config::languages`).
impl Config {
    /// Every language of the site, the default first.
    pub fn language_tags(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str()).chain(self.languages.iter().map(|l| l.tag.as_str()))
    }

    /// Whether `tag` is one of the site's further languages.
    pub fn is_further_language(&self, tag: &str) -> bool {
        self.languages.iter().any(|l| l.tag == tag)
    }

    /// The configuration as the pages of further language `tag` see it: that
    /// language, with its title, description, names and consent where
    /// `site.toml` gives them. `None` for a language the site does not have.
    pub fn in_language(&self, tag: &str) -> Option<Config> {
        let l = self.languages.iter().find(|l| l.tag == tag)?;
        let mut config = self.clone();
        config.language = l.tag.clone();
        if let Some(title) = &l.title {
            config.title = title.clone();
        }
        if let Some(description) = &l.company_description {
            config.company.description = Some(description.clone());
        }
        if let Some(consent) = &l.consent {
            config.apply.consent = consent.clone();
        }
        for location in &mut config.locations {
            if let Some(name) = l.locations.get(&location.key) {
                location.name = name.clone();
            }
        }
        Some(config)
    }

    /// The display name of a department in this configuration's language.
    pub fn department_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.languages
            .iter()
            .find(|l| l.tag == self.language)
            .and_then(|l| l.departments.get(name))
            .map_or(name, String::as_str)
    }
}
