//! `openings check`: lints that need the whole built site, on top of everything a
//! build validates. Each lint family is one file; each rule has a stable id (the
//! diagnostic's `code`), a severity and, where it can, a file:line and a hint.
//! The rules are listed in README.md.
//!
//! Not for rules a build enforces (those stay in `content` and `config`, so a
//! build refuses what check would call an error), and nothing here writes files.

pub mod freshness;
pub mod jsonld;
pub mod jurisdictions;
pub mod links;
mod money;
pub mod pay;
pub mod title;
mod translations;

pub use freshness::Options;

use crate::build::Generation;
use crate::diagnostic::{self, Diagnostic};
use crate::render::Output;

/// Runs every lint on a site and its rendered pages; diagnostics sorted by file and line.
pub fn run(generation: &Generation, pages: &[Output], options: &Options) -> Vec<Diagnostic> {
    let site = &generation.site;
    let mut out = links::check(generation, pages);
    out.extend(jsonld::check(generation));
    out.extend(freshness::check(site, options));
    out.extend(pay::check(site, options.today));
    out.extend(title::check(site));
    out.extend(translations::check(generation, options));
    diagnostic::sort(&mut out);
    out
}
