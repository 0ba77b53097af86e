//! The site's URL space: every page, feed and endpoint path of a built site is
//! made here and nowhere else. Paths are site-relative (`jobs/x/`); [`Urls`]
//! turns them into the URLs a page links to, under the base path of
//! `base_url`, and fingerprinted asset names into their URLs. Also what a slug
//! may be (a path segment), and which output file a path is (`index.html`).

use std::collections::BTreeMap;
use url::Url;

/// The listing of every open role.
pub const HOME: &str = "";
/// The Atom feed.
pub const FEED: &str = "feed.xml";
/// The machine-readable feed for other sites.
pub const JOBS_JSON: &str = "jobs.json";
/// The job-board feed (Indeed style).
pub const JOBS_XML: &str = "jobs.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The page for every path nothing else answers.
pub const NOT_FOUND: &str = "404.html";
/// The default `[apply] endpoint`.
pub const DEFAULT_ENDPOINT: &str = "/apply/{slug}";
/// First path segments the build uses itself: a plain page may not take them.
pub const RESERVED: &[&str] = &["jobs", "departments", "locations", "apply"];

/// A role's page: `jobs/SLUG/`.
pub fn job(slug: &str) -> String {
    format!("jobs/{slug}/")
}

/// A department's page: `departments/SLUG/`.
pub fn department(slug: &str) -> String {
    format!("departments/{slug}/")
}

/// A location's page: `locations/KEY/`.
pub fn location(key: &str) -> String {
    format!("locations/{key}/")
}

/// The file a path is written to: `jobs/x/` -> `jobs/x/index.html`, `feed.xml` stays.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The path a written file answers: `jobs/x/index.html` -> `jobs/x/`.
pub fn path_of_file(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

/// Whether `s` can be a slug: lower-case ASCII letters, digits and single
/// hyphens, not at either end.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[derive(Debug, Clone)]
pub struct Urls {
    base_url: Url,
    /// What the pages of this language start with below the base path: `""`
    /// for the default language, `de/` for German.
    prefix: String,
    /// Static file name -> output path (fingerprinted for CSS and JS).
    assets: BTreeMap<String, String>,
}

impl Urls {
    pub fn new(base_url: Url, assets: BTreeMap<String, String>) -> Self {
        Urls {
            base_url,
            prefix: String::new(),
            assets,
        }
    }

    /// These URLs for the pages of the language whose paths start with `prefix`.
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.to_string();
        self
    }

    /// The language prefix of these URLs (`""` or `de/`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// `jobs/x/` -> `/careers/jobs/x/` (`/careers/de/jobs/x/` in German).
    pub fn path(&self, rel: &str) -> String {
        self.path_in(&self.prefix, rel)
    }

    /// `jobs/x/` -> `https://acme.example/careers/jobs/x/`.
    pub fn absolute(&self, rel: &str) -> String {
        self.absolute_in(&self.prefix, rel)
    }

    /// The path of `rel` in the language of `prefix`.
    pub fn path_in(&self, prefix: &str, rel: &str) -> String {
        format!(
            "{}{prefix}{}",
            self.base_url.path(),
            rel.trim_start_matches('/')
        )
    }

    /// The URL of `rel` in the language of `prefix`.
    pub fn absolute_in(&self, prefix: &str, rel: &str) -> String {
        format!("{}{prefix}{}", self.base_url, rel.trim_start_matches('/'))
    }

    /// Whether a role or page has its page in this language: it is
    /// `translated` into it, or this is the default language. One that is not
    /// is linked at the original's URL.
    pub fn is_here(&self, translated: bool) -> bool {
        translated || self.prefix.is_empty()
    }

    /// The path of a role or page (see [`Urls::is_here`]).
    pub fn item_path(&self, translated: bool, rel: &str) -> String {
        let here = self.is_here(translated);
        self.path_in(if here { &self.prefix } else { "" }, rel)
    }

    /// Like [`Urls::item_path`], absolute.
    pub fn item_absolute(&self, translated: bool, rel: &str) -> String {
        let here = self.is_here(translated);
        self.absolute_in(if here { &self.prefix } else { "" }, rel)
    }

    /// The file a page of this language is written to: `jobs/x/` -> `de/jobs/x/index.html`.
    pub fn output_file(&self, rel: &str) -> String {
        format!("{}{}", self.prefix, output_file(rel))
    }

    /// A link written by a user in config: absolute URLs stay, `/x` is under the base path.
    pub fn link(&self, link: &str) -> String {
        if link.contains("://") {
            link.to_string()
        } else {
            self.path_in("", link)
        }
    }

    /// Like [`Urls::link`], but absolute: for feeds, structured data and social cards.
    pub fn absolute_link(&self, link: &str) -> String {
        if link.contains("://") {
            link.to_string()
        } else {
            self.absolute_in("", link)
        }
    }

    /// The base URL, ending in `/`.
    pub fn base(&self) -> &str {
        self.base_url.as_str()
    }

    /// The URL of a static file, if there is one by that name.
    pub fn asset(&self, name: &str) -> Option<String> {
        self.assets
            .get(name.trim_start_matches('/'))
            .map(|out| self.path_in("", out))
    }

    /// Static file names and their output names.
    pub fn asset_names(&self) -> &BTreeMap<String, String> {
        &self.assets
    }

    /// The form action for a posting: `[apply] endpoint` with `{slug}` filled in.
    pub fn endpoint(&self, endpoint: &str, slug: &str) -> String {
        self.link(&endpoint.replace("{slug}", slug))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_lives_under_the_base_path() {
        let mut assets = BTreeMap::new();
        assets.insert("style.css".to_string(), "style.0123abcd.css".to_string());
        let urls = Urls::new(Url::parse("https://x.example/careers/").unwrap(), assets);
        assert_eq!(urls.path("jobs/a/"), "/careers/jobs/a/");
        assert_eq!(urls.path(""), "/careers/");
        assert_eq!(
            urls.absolute("jobs/a/"),
            "https://x.example/careers/jobs/a/"
        );
        assert_eq!(urls.link("/logo.svg"), "/careers/logo.svg");
        assert_eq!(
            urls.absolute_link("/logo.svg"),
            "https://x.example/careers/logo.svg"
        );
        assert_eq!(
            urls.link("https://cdn.example/l.svg"),
            "https://cdn.example/l.svg"
        );
        assert_eq!(
            urls.asset("style.css").unwrap(),
            "/careers/style.0123abcd.css"
        );
        assert_eq!(urls.endpoint("/apply/{slug}", "a"), "/careers/apply/a");
        assert_eq!(
            urls.endpoint("https://api.example/apply/{slug}", "a"),
            "https://api.example/apply/a"
        );
    }

    #[test]
    fn paths_and_the_files_they_are_written_to() {
        assert_eq!(output_file(&job("a")), "jobs/a/index.html");
        assert_eq!(output_file(HOME), "index.html");
        assert_eq!(output_file(FEED), "feed.xml");
        assert_eq!(path_of_file("departments/x/index.html"), department("x"));
        assert_eq!(path_of_file("index.html"), HOME);
        assert!(is_slug("backend-engineer-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a/b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
