//! A plain page (benefits, hiring process): any Markdown file under `content/`
//! outside `jobs/`, rendered with the page template at the matching URL.

use super::document::{Document, Origin, read_slug};
use crate::diagnostic::Diagnostic;
use crate::layout;
use crate::node::{Example, Node, Reader, opt};
use jiff::civil::Date;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    pub title: String,
    pub slug: String,
    /// Site-relative URL path, e.g. `benefits/` or `about/team/`.
    pub url_path: String,
    pub summary: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub updated: Option<Date>,
    pub extra: serde_json::Value,
    pub content: String,
    pub first_paragraph: String,
    /// Markdown links of the body, with their byte ranges in it.
    pub links: Vec<(String, Range<usize>)>,
    /// The file it was read from, for diagnostics of whole-site checks.
    pub origin: Origin,
    /// The language of a translation (`x.de.md`); `None` for an original.
    pub language: Option<String>,
}

pub const KEYS: &[&str] = &[
    "title", "slug", "summary", "weight", "draft", "updated", "extra",
];

/// First URL segments that the build itself writes.
pub fn read(r: &mut Reader<'_>, doc: &Document<'_>) -> Option<Page> {
    let t = doc.front_matter_table(r, KEYS)?;
    let title = r
        .required(&t, "title", Example::Text("Benefits"))
        .and_then(|n| r.text(n, "title"));
    let slug = read_slug(r, &t, doc);
    let weight = opt(r, &t, "weight", Reader::integer)?.unwrap_or(0);
    let slug = slug?;
    Some(Page {
        path: doc.source.path.clone(),
        url_path: url_path(&doc.source.path, &slug),
        title: title?,
        slug,
        summary: opt(r, &t, "summary", Reader::text)?,
        weight,
        draft: opt(r, &t, "draft", Reader::boolean)?.unwrap_or(false),
        updated: opt(r, &t, "updated", Reader::date)?,
        extra: t
            .get("extra")
            .map_or(serde_json::Value::Null, Node::to_json),
        content: doc.rendered.html.clone(),
        first_paragraph: doc.rendered.first_paragraph.clone(),
        links: doc.rendered.links.clone(),
        origin: Origin::new(doc),
        language: None,
    })
}

/// `content/about/team.md` with slug `team` -> `about/team/`.
fn url_path(path: &Path, slug: &str) -> String {
    let parent = path
        .parent()
        .and_then(|p| p.strip_prefix(layout::CONTENT).ok());
    let mut url = String::new();
    for part in parent.into_iter().flat_map(Path::components) {
        url.push_str(&slug::slugify(part.as_os_str().to_string_lossy()));
        url.push('/');
    }
    url.push_str(slug);
    url.push('/');
    url
}

/// Pages whose URL is taken by another page or by the build's own outputs.
pub fn clashing_urls(pages: &[Page]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    let mut out = Vec::new();
    for page in pages {
        let first = page.url_path.split('/').next().unwrap_or_default();
        if page.url_path == "index/" || crate::urls::RESERVED.contains(&first) {
            out.push(
                Diagnostic::in_file(
                    "reserved-url",
                    &page.path,
                    format!(
                        "this page would be written at /{}, which openings uses itself",
                        page.url_path
                    ),
                )
                .with_hint(
                    "rename the file or set a different `slug`; jobs belong in content/jobs/",
                ),
            );
        } else if let Some(other) = seen.insert(&page.url_path, page) {
            out.push(
                Diagnostic::in_file(
                    "duplicate-url",
                    &page.path,
                    format!(
                        "this page and {} both want the URL /{}",
                        other.path.display(),
                        page.url_path
                    ),
                )
                .with_hint("give one of them a different `slug`"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_follows_folders_and_slug() {
        assert_eq!(
            url_path(Path::new("content/benefits.md"), "benefits"),
            "benefits/"
        );
        assert_eq!(
            url_path(Path::new("content/About Us/team.md"), "the-team"),
            "about-us/the-team/"
        );
    }
}
