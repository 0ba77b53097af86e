//! `feed.xml`: an Atom 1.0 feed (RFC 4287) of the open roles, newest first, for
//! feed readers and the services that watch a careers site for new roles.

use super::common::{last_change, listed, site_updated, summary, timestamp};
use super::xml::Xml;
use crate::content::Posting;
use crate::format::Strings;
use crate::site::Site;
use crate::urls::Urls;
use std::io::{self, Write};

pub const PATH: &str = crate::urls::FEED;

/// The feed's title: the theme string `feed_title`, e.g. "Careers at Acme: open roles".
pub fn title(site: &Site, strings: &Strings) -> String {
    strings
        .get("feed_title")
        .unwrap_or("{site}: open roles")
        .replace("{site}", &site.config.title)
}

pub fn feed(site: &Site, urls: &Urls, strings: &Strings, out: &mut dyn Write) -> io::Result<()> {
    let mut xml = Xml::new(out);
    xml.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", &site.config.language),
        ],
    );
    metadata(&mut xml, site, urls, strings);
    for job in listed(site) {
        entry(&mut xml, urls, &job.posting, &site.languages.all[0].tag);
    }
    xml.close("feed");
    xml.finish()
}

/// What the feed says about itself: id, title, when it changed, links, author.
fn metadata(xml: &mut Xml<impl Write>, site: &Site, urls: &Urls, strings: &Strings) {
    let config = &site.config;
    let self_url = urls.absolute(PATH);
    xml.text("id", &[], &self_url);
    xml.text("title", &[("type", "text")], &title(site, strings));
    if let Some(description) = &config.company.description {
        xml.text("subtitle", &[("type", "text")], description);
    }
    // A feed must say when it last changed; one that never listed a role uses the epoch.
    let updated = site_updated(site).map_or_else(|| "1970-01-01T00:00:00Z".into(), timestamp);
    xml.text("updated", &[], &updated);
    xml.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &self_url),
        ],
    );
    xml.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            ("href", &urls.absolute("")),
        ],
    );
    xml.open("author", &[]);
    xml.text("name", &[], &config.company.name);
    if let Some(website) = &config.company.website {
        xml.text("uri", &[], website);
    }
    xml.close("author");
    xml.text(
        "generator",
        &[("version", env!("CARGO_PKG_VERSION"))],
        "openings",
    );
    if let Some(logo) = &config.company.logo {
        xml.text("logo", &[], &urls.absolute_link(logo));
    }
}

/// One open role as an `<entry>`.
fn entry(xml: &mut Xml<impl Write>, urls: &Urls, p: &Posting, original_language: &str) {
    let translated = p.language.is_some();
    let url = urls.item_absolute(translated, &crate::urls::job(&p.slug));
    // A role not translated into the feed's language is in the original's.
    if urls.is_here(translated) {
        xml.open("entry", &[]);
    } else {
        xml.open("entry", &[("xml:lang", original_language)]);
    }
    xml.text("id", &[], &url);
    xml.text("title", &[("type", "text")], &p.title);
    xml.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &url)],
    );
    xml.text("published", &[], &timestamp(p.posted()));
    xml.text("updated", &[], &timestamp(last_change(p)));
    xml.empty(
        "category",
        &[
            ("term", &slug::slugify(&p.department)),
            ("label", &p.department),
        ],
    );
    let summary = summary(p);
    if !summary.is_empty() {
        xml.text("summary", &[("type", "text")], &summary);
    }
    // Relative links in the body resolve against the role page, not the feed.
    xml.text(
        "content",
        &[("type", "html"), ("xml:base", &url)],
        &p.content,
    );
    xml.close("entry");
}
