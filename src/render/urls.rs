//! Turns site-relative paths into the URLs a page links to, under the base path of
//! `base_url`, and fingerprinted asset names into their URLs.

use std::collections::BTreeMap;
use url::Url;

#[derive(Debug, Clone)]
pub struct Urls {
    base_url: Url,
    /// Static file name -> output path (fingerprinted for CSS and JS).
    assets: BTreeMap<String, String>,
}

impl Urls {
    pub fn new(base_url: Url, assets: BTreeMap<String, String>) -> Self {
        Urls { base_url, assets }
    }

    /// `jobs/x/` -> `/careers/jobs/x/`.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{}", self.base_url.path(), rel.trim_start_matches('/'))
    }

    /// `jobs/x/` -> `https://acme.example/careers/jobs/x/`.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}", self.base_url, rel.trim_start_matches('/'))
    }

    /// A link written by a user in config: absolute URLs stay, `/x` is under the base path.
    pub fn link(&self, link: &str) -> String {
        if link.contains("://") {
            link.to_string()
        } else {
            self.path(link)
        }
    }

    /// Like [`Urls::link`], but absolute: for feeds, structured data and social cards.
    pub fn absolute_link(&self, link: &str) -> String {
        if link.contains("://") {
            link.to_string()
        } else {
            self.absolute(link)
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
            .map(|out| self.path(out))
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
}
