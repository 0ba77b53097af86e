//! `sitemap.xml` (sitemaps.org 0.9) with every page worth indexing: the listing,
//! each open role, the department and location pages that list open roles, and
//! the plain pages; `lastmod` from a posting's `updated` key, else its `date`.
//! Closed roles, drafts and the 404 page are left out. Also `robots.txt`, which
//! points crawlers at the sitemap.

use super::common::{last_change, listed, site_updated};
use super::xml::Xml;
use crate::site::{Group, Site};
use crate::urls::Urls;
use jiff::civil::Date;
use std::io::{self, Write};

pub const PATH: &str = crate::urls::SITEMAP;
pub const ROBOTS_PATH: &str = crate::urls::ROBOTS;

/// On a multilingual site every page is listed in each language it exists
/// in, each entry with the `xhtml:link` alternates of all of them (Google's
/// sitemap form of `hreflang`) and `x-default`, the default language's.
pub fn sitemap(site: &Site, urls: &Urls, out: &mut dyn Write) -> io::Result<()> {
    let mut xml = Xml::new(out);
    let mut namespaces = vec![("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")];
    if site.languages.is_multilingual() {
        namespaces.push(("xmlns:xhtml", "http://www.w3.org/1999/xhtml"));
    }
    xml.open("urlset", &namespaces);
    let mut url = |path: &str, lastmod: Option<Date>| {
        let languages = site.languages.of(path);
        let alternates: Vec<(&str, String)> = languages
            .iter()
            .map(|l| (l.tag.as_str(), urls.absolute_in(&l.prefix, path)))
            .collect();
        let locations = if alternates.is_empty() {
            vec![urls.absolute(path)]
        } else {
            alternates.iter().map(|(_, url)| url.clone()).collect()
        };
        for loc in locations {
            xml.open("url", &[]);
            xml.text("loc", &[], &loc);
            if let Some(date) = lastmod {
                xml.text("lastmod", &[], &date.to_string());
            }
            if alternates.len() > 1 {
                let x_default = ("x-default", alternates[0].1.clone());
                for (lang, href) in alternates.iter().chain(std::iter::once(&x_default)) {
                    xml.empty(
                        "xhtml:link",
                        &[("rel", "alternate"), ("hreflang", lang), ("href", href)],
                    );
                }
            }
            xml.close("url");
        }
    };
    url("", site_updated(site));
    for job in listed(site) {
        url(
            &crate::urls::job(&job.posting.slug),
            Some(last_change(&job.posting)),
        );
    }
    // A listing page changed when the newest of the roles it lists did.
    let group_lastmod = |g: &Group| {
        g.open
            .iter()
            .map(|&i| &*site.jobs[i].posting)
            .filter(|p| !p.draft)
            .map(last_change)
            .max()
    };
    for g in &site.departments {
        if let Some(lastmod) = group_lastmod(g) {
            url(&crate::urls::department(&g.slug), Some(lastmod));
        }
    }
    for g in &site.locations {
        if let Some(lastmod) = group_lastmod(g) {
            url(&crate::urls::location(&g.slug), Some(lastmod));
        }
    }
    for page in site.pages.iter().filter(|p| !p.draft) {
        url(&page.url_path, page.updated);
    }
    xml.close("urlset");
    xml.finish()
}

/// Allows everything and names the sitemap. Crawlers read `robots.txt` only at
/// the root of a host, so a site under a base path should copy these lines into
/// the host's own file.
pub fn robots(urls: &Urls, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "# Written by openings.\nUser-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute(PATH)
    )
}
