//! The machine-readable files a build writes beside its pages: the Atom feed
//! (`feed.xml`), `jobs.json`, the Indeed-style `jobs.xml`, `sitemap.xml` and
//! `robots.txt`, and the JobPosting JSON-LD that role pages carry. Each is a pure
//! function of the site model and its URLs; `build` decides when they are made.
//! Not for HTML pages (see `render`).
//!
//! What every feed lists is the same: open, published roles, newest first.
//! Closed postings and drafts are never in any of them.

pub mod atom;
mod common;
pub mod jobs_json;
pub mod jobs_xml;
pub mod jsonld;
pub mod sitemap;
mod xml;

pub use common::{last_change, summary};

use crate::format::Strings;
use crate::site::Site;
use crate::urls::Urls;

/// A machine-readable file of the site: where it goes and how it is made. They are
/// the largest files of a big site (every role's full text, three times), so a
/// build makes each when it writes it instead of holding them all at once.
pub struct Generated {
    pub path: &'static str,
    make: fn(&Site, &Urls, &Strings) -> Vec<u8>,
    /// Each further language has its own (under its prefix): the feeds.
    pub per_language: bool,
}

impl Generated {
    pub fn make(&self, site: &Site, urls: &Urls, strings: &Strings) -> Vec<u8> {
        (self.make)(site, urls, strings)
    }
}

fn sitemap_file(site: &Site, urls: &Urls, _: &Strings) -> Vec<u8> {
    sitemap::sitemap(site, urls)
}

fn robots_file(_: &Site, urls: &Urls, _: &Strings) -> Vec<u8> {
    sitemap::robots(urls)
}

/// Every machine-readable file of the site, largest first (so that parallel work
/// on them ends together).
pub const GENERATED: [Generated; 5] = [
    Generated {
        path: jobs_json::PATH,
        per_language: true,
        make: jobs_json::feed,
    },
    Generated {
        path: jobs_xml::PATH,
        per_language: false,
        make: jobs_xml::feed,
    },
    Generated {
        path: atom::PATH,
        per_language: true,
        make: atom::feed,
    },
    Generated {
        path: sitemap::PATH,
        per_language: false,
        make: sitemap_file,
    },
    Generated {
        path: sitemap::ROBOTS_PATH,
        per_language: false,
        make: robots_file,
    },
];
