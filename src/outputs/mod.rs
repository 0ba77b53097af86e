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
use std::io::{self, Write};

/// Makes one machine-readable file into a writer.
type Make = fn(&Site, &Urls, &Strings, &mut dyn Write) -> io::Result<()>;

/// A machine-readable file of the site: where it goes and how it is made. They are
/// the largest files of a big site (every role's full text, three times: at
/// 50,000 roles over 1.5 GB together), so a build streams each into its file
/// as it is made instead of holding it.
pub struct Generated {
    pub path: &'static str,
    make: Make,
    /// Each further language has its own (under its prefix): the feeds.
    pub per_language: bool,
}

impl Generated {
    /// Writes the file to `out` as it is made; only `out`'s errors can fail it.
    pub fn write(
        &self,
        site: &Site,
        urls: &Urls,
        strings: &Strings,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        (self.make)(site, urls, strings, out)
    }
}

fn sitemap_file(site: &Site, urls: &Urls, _: &Strings, out: &mut dyn Write) -> io::Result<()> {
    sitemap::sitemap(site, urls, out)
}

fn robots_file(_: &Site, urls: &Urls, _: &Strings, out: &mut dyn Write) -> io::Result<()> {
    sitemap::robots(urls, out)
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
