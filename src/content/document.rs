//! What every content file is, before it is a posting or a page: its split,
//! parsed and rendered form ([`Document`]), the checks every file gets (the
//! slug, unfilled `{{placeholders}}`), and where it came from ([`Origin`]), so
//! that whole-site checks can point back into the file.

use super::frontmatter;
use crate::diagnostic::{Diagnostic, Source};
use crate::markdown::{self, Rendered};
use crate::node::{Node, Reader, Syntax, Table, Value};
use std::ops::Range;
use std::sync::Arc;

/// A content file after splitting, parsing and rendering: what postings and pages
/// are read from.
pub struct Document<'s> {
    /// Shared with the [`Origin`] of what is read from it, not copied.
    pub source: &'s Arc<Source>,
    /// How much of the text the [`Origin`] keeps.
    pub sources: Sources,
    /// The syntax of the front matter, which hints about the file write in.
    pub syntax: Syntax,
    pub front_matter: Node,
    pub body_start: usize,
    pub rendered: Rendered,
}

impl Document<'_> {
    /// The front matter as a table checked against `keys`, with every
    /// `{{placeholder}}` of the file reported.
    pub fn front_matter_table(&self, r: &mut Reader<'_>, keys: &[&str]) -> Option<Table<'_>> {
        check_placeholders(
            r,
            &self.front_matter,
            &self.rendered.placeholders,
            self.body_start,
        );
        let extra = format!(
            " Free-form data for themes goes under {}.",
            self.syntax.table("extra")
        );
        r.table(&self.front_matter, "", keys, &extra)
    }

    /// The slug made from the file name (`Senior Engineer.md` -> `senior-engineer`).
    pub fn file_slug(&self) -> String {
        slug::slugify(
            self.source
                .path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default(),
        )
    }
}

/// The `slug` key (checked) or the file's slug when there is none.
pub fn read_slug(r: &mut Reader<'_>, t: &Table<'_>, doc: &Document<'_>) -> Option<String> {
    let Some(node) = t.get("slug") else {
        return Some(doc.file_slug());
    };
    let text = r.text(node, "slug")?;
    if crate::urls::is_slug(&text) {
        return Some(text);
    }
    r.error(
        "invalid-slug",
        node.span.clone(),
        format!("`{text}` is not a valid slug"),
    )
    .hint = Some(format!(
        "slugs are lower-case letters, digits and hyphens (they become the URL): try \"{}\"",
        slug::slugify(&text)
    ));
    None
}

/// How much of a file's text what is read from it keeps for later diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sources {
    /// All of it: `check` points into bodies (links), `serve` and `new` read them.
    #[default]
    Whole,
    /// The front matter: what `openings build` may still report on once a
    /// file is read. The bodies of a large site are most of its memory.
    FrontMatter,
}

/// Where a posting or page was read from: the file, where each top-level
/// front-matter key is and where the body starts, so that whole-site checks can
/// point back into the file.
#[derive(Debug, Clone)]
pub struct Origin {
    pub source: Arc<Source>,
    /// The front matter's syntax, for hints that show how to write a key.
    pub syntax: Syntax,
    /// Top-level keys, each with the span from the key to the end of its value.
    keys: Vec<(String, Range<usize>)>,
    /// Byte offset of the Markdown body in the file.
    pub body_start: usize,
}

impl Origin {
    pub fn new(doc: &Document<'_>) -> Origin {
        let keys = match &doc.front_matter.value {
            Value::Table(entries) => entries
                .iter()
                .map(|(k, v)| (k.name.clone(), k.span.start..v.span.end.max(k.span.end)))
                .collect(),
            _ => Vec::new(),
        };
        Origin {
            source: match doc.sources {
                Sources::Whole => Arc::clone(doc.source),
                Sources::FrontMatter => Arc::new(Source::new(
                    doc.source.path.clone(),
                    &doc.source.text[..doc.body_start],
                )),
            },
            syntax: doc.syntax,
            keys,
            body_start: doc.body_start,
        }
    }

    /// Whether the file's front matter has this top-level key.
    pub fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|(k, _)| k == key)
    }

    /// A diagnostic at a top-level key (the first of `keys` present), else at the
    /// first line of the file.
    pub fn at_key(
        &self,
        code: &'static str,
        keys: &[&str],
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = keys
            .iter()
            .find_map(|want| self.keys.iter().find(|(k, _)| k == want))
            .map_or(0..0, |(_, span)| span.clone());
        Diagnostic::at(code, &self.source, span, message)
    }

    /// A diagnostic at a byte range of the Markdown body.
    pub fn at_body(
        &self,
        code: &'static str,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = range.start + self.body_start..range.end + self.body_start;
        Diagnostic::at(code, &self.source, span, message)
    }
}

/// Splits, parses and renders a file without knowing what it is.
pub fn parse_document(source: &Arc<Source>) -> Result<Document<'_>, Diagnostic> {
    let parts = frontmatter::split(source)?;
    let front_matter = frontmatter::parse(source, &parts)?;
    let rendered = markdown::render(&source.text[parts.body.clone()]);
    Ok(Document {
        source,
        sources: Sources::Whole,
        syntax: parts.format,
        front_matter,
        body_start: parts.body.start,
        rendered,
    })
}

/// Reports every `{{placeholder}}` in front-matter strings and in the body.
pub fn check_placeholders(
    r: &mut Reader<'_>,
    front_matter: &Node,
    body: &[std::ops::Range<usize>],
    body_start: usize,
) {
    let mut strings = Vec::new();
    front_matter.strings(&mut strings);
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    for (text, span) in &strings {
        for p in markdown::find_placeholders(text) {
            // Point into the quoted string: skip its opening quote when it has one.
            let inner = r.source.text[span.clone()]
                .find(&text[p.clone()])
                .map_or(span.start, |i| span.start + i);
            found.push(inner..inner + p.len());
        }
    }
    found.extend(
        body.iter()
            .map(|p| p.start + body_start..p.end + body_start),
    );
    for span in found {
        let name = r.source.text[span.clone()].to_string();
        r.error(
            "placeholder",
            span,
            format!("unfilled placeholder `{name}`"),
        )
        .hint = Some(
            "replace it with the real text before publishing (placeholders in `code` are allowed)"
                .into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "+++\ntitle = \"Data Engineer\"\ndepartment = \"Data\"\n+++\n\nWe move numbers.\n";

    fn origin(sources: Sources) -> Origin {
        let source = Arc::new(Source::new("content/jobs/data.md", FILE));
        let doc = parse_document(&source).unwrap();
        Origin::new(&Document { sources, ..doc })
    }

    #[test]
    fn a_build_keeps_the_front_matter_and_still_points_at_its_keys() {
        let whole = origin(Sources::Whole);
        let front = origin(Sources::FrontMatter);
        assert_eq!(whole.source.text, FILE);
        assert!(FILE.starts_with(&front.source.text));
        assert!(!front.source.text.contains("numbers"));
        for o in [&whole, &front] {
            let d = o.at_key("x", &["department"], "m");
            assert_eq!((d.line, d.column), (Some(3), Some(1)));
            assert_eq!(d.snippet.unwrap().line_text, "department = \"Data\"");
        }
        // Past the text kept: the end of it, never a panic.
        let body = front.at_body("x", 0..3, "m");
        assert_eq!(
            body.path.as_deref(),
            Some(std::path::Path::new("content/jobs/data.md"))
        );
    }
}
