//! Internal links and anchors in postings and pages: every Markdown link that
//! stays on the site must reach a file the build wrote, and its `#fragment` an
//! element id on that page. Links are resolved the way a browser does, from the
//! page's own URL under the base path. External links are not fetched.
//!
//! Rules: `broken-link` (error), `broken-anchor` (warning).

use crate::build::Generation;
use crate::content::Origin;
use crate::diagnostic::{Diagnostic, Severity, did_you_mean};
use crate::render::Output;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use url::Url;

/// Every link of every published posting and page.
pub fn check(generation: &Generation, pages: &[Output]) -> Vec<Diagnostic> {
    let site = &generation.site;
    let base = &site.config.base_url;
    // Generated files (feeds, sitemap) have no anchors: only their paths count.
    let files: HashMap<&str, &[u8]> = pages
        .iter()
        .map(|o| (o.path.as_str(), o.bytes.as_slice()))
        .chain(
            generation
                .all_generated()
                .map(|g| (g.path.as_str(), &[][..])),
        )
        .collect();
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let sources = site
        .jobs
        .iter()
        .map(|j| {
            (
                crate::urls::job(&j.posting.slug),
                &j.posting.links,
                &j.posting.origin,
            )
        })
        .chain(
            site.pages
                .iter()
                .map(|p| (p.url_path.clone(), &p.links, &p.origin)),
        );
    let mut out = Vec::new();
    for (page, links, origin) in sources {
        let page_url = base.join(&page).expect("site paths are valid URLs");
        for (dest, range) in links {
            let link = Link {
                dest,
                range: range.clone(),
                origin,
            };
            if let Some(d) = link.check(base, &page_url, &page, &files, &mut ids) {
                out.push(d);
            }
        }
    }
    out
}

struct Link<'a> {
    dest: &'a str,
    range: Range<usize>,
    origin: &'a Origin,
}

impl Link<'_> {
    fn check(
        &self,
        base: &Url,
        page_url: &Url,
        page: &str,
        files: &HashMap<&str, &[u8]>,
        ids: &mut HashMap<String, BTreeSet<String>>,
    ) -> Option<Diagnostic> {
        let dest = self.dest.trim();
        if dest.starts_with("//") {
            return None;
        }
        let target = match Url::parse(dest) {
            // An absolute URL is internal only when it is under the base URL.
            Ok(url) if url.as_str().starts_with(base.as_str()) => url,
            Ok(_) => return None,
            Err(url::ParseError::RelativeUrlWithoutBase) => page_url.join(dest).ok()?,
            Err(_) => {
                return Some(self.broken(format!("`{dest}` is not a valid link"), None));
            }
        };
        let Some(rel) = target.path().strip_prefix(base.path()) else {
            let hint = format!(
                "the site lives under {}; links that start with `/` start at the host, so write a relative link such as `../page/` or `{}page/`",
                base.path(),
                base.path()
            );
            return Some(self.broken(
                format!("link `{dest}` leads to {}, outside the site", target.path()),
                Some(hint),
            ));
        };
        // The apply endpoint is served, not written.
        if rel.starts_with("apply/") {
            return None;
        }
        let file = if rel.is_empty() || rel.ends_with('/') || files.contains_key(rel) {
            crate::urls::output_file(rel)
        } else {
            crate::urls::output_file(&format!("{rel}/"))
        };
        if !files.contains_key(file.as_str()) {
            return Some(self.broken(
                format!("link `{dest}` points at nothing (no /{rel} in the site)"),
                Some(missing_hint(dest, rel, files)),
            ));
        }
        let fragment = target.fragment().filter(|f| !f.is_empty())?;
        let known = ids
            .entry(file.clone())
            .or_insert_with(|| element_ids(files[file.as_str()]));
        let here = file == crate::urls::output_file(page);
        self.anchor(fragment, known, if here { None } else { Some(rel) })
    }

    /// A `#fragment` that no element of the target page has (`rel`: the target,
    /// `None` for the linking page itself).
    fn anchor(
        &self,
        fragment: &str,
        known: &BTreeSet<String>,
        rel: Option<&str>,
    ) -> Option<Diagnostic> {
        if known.contains(fragment) {
            return None;
        }
        let dest = self.dest.trim();
        let where_ = rel.map_or_else(|| "this page".to_string(), |r| format!("/{r}"));
        let candidates: Vec<&str> = known.iter().map(String::as_str).collect();
        let hint = match did_you_mean(fragment, &candidates) {
            Some(best) => format!("did you mean `#{best}`? Headings get ids from their text"),
            None => "headings get ids from their text (`## What you will do` is `#what-you-will-do`); write `## Title {#my-id}` to choose one".into(),
        };
        Some(
            self.origin
                .at_body(
                    "broken-anchor",
                    self.range.clone(),
                    format!("link `{dest}`: {where_} has no element with id `{fragment}`"),
                )
                .with_severity(Severity::Warning)
                .with_hint(hint),
        )
    }

    fn broken(&self, message: String, hint: Option<String>) -> Diagnostic {
        let d = self
            .origin
            .at_body("broken-link", self.range.clone(), message);
        match hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

fn missing_hint(dest: &str, rel: &str, files: &HashMap<&str, &[u8]>) -> String {
    if let Some(stem) = rel.strip_suffix(".md") {
        let page = stem.rsplit('/').next().unwrap_or(stem);
        return format!(
            "link to the page's URL, not its Markdown file: `{}`",
            dest.replace(&format!("{page}.md"), &format!("{page}/"))
        );
    }
    let pages: Vec<&str> = files
        .keys()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| crate::urls::path_of_file(f))
        .collect();
    match did_you_mean(rel, &pages) {
        Some(best) => format!("did you mean /{best}?"),
        None => "check the spelling; drafts and removed postings have no page".into(),
    }
}

/// The `id` attributes of an HTML page.
fn element_ids(html: &[u8]) -> BTreeSet<String> {
    let html = String::from_utf8_lossy(html);
    let mut ids = BTreeSet::new();
    let mut rest = html.as_ref();
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.insert(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_from_attributes() {
        let ids = element_ids(b"<h2 id=\"a\">x</h2><section class=\"c\" id=\"apply\">");
        assert_eq!(
            ids.into_iter().collect::<Vec<_>>(),
            ["a".to_string(), "apply".to_string()]
        );
    }
}
