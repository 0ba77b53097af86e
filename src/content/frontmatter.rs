//! Splits a content file into front matter (TOML between `+++` lines or YAML
//! between `---` lines) and the Markdown body, and parses the front matter into a
//! spanned [`Node`] tree. Nothing here knows which keys a posting has.

use crate::diagnostic::{Diagnostic, Source};
use crate::node::{self, Node, Syntax};
use std::ops::Range;

/// Front matter may be at most this many bytes (1 MB): it holds the facts of a
/// posting, and a bound keeps a broken or hostile file from costing the
/// build seconds and memory; long text belongs in the Markdown body.
pub const MAX_SIZE: usize = 1 << 20;

/// A content file cut into its parts (byte ranges into the file text).
#[derive(Debug)]
pub struct Parts {
    pub format: Syntax,
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
}

/// Finds the front matter block at the start of a file.
pub fn split(source: &Source) -> Result<Parts, Diagnostic> {
    let text = &source.text;
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let format = match text[start..first_line_end].trim_end() {
        "+++" => Syntax::Toml,
        "---" => Syntax::Yaml,
        _ => {
            return Err(Diagnostic::at("no-front-matter", source, start..first_line_end, "this file has no front matter")
                .with_hint("start the file with a `+++` line, then `title = \"...\"` and the other keys, then another `+++` line (or use `---` lines for YAML)"));
        }
    };
    let fence = match format {
        Syntax::Toml => "+++",
        Syntax::Yaml => "---",
    };
    let fm_start = (first_line_end + 1).min(text.len());
    let mut line_start = fm_start;
    while line_start < text.len() {
        if line_start - fm_start > MAX_SIZE {
            return Err(Diagnostic::at(
                "front-matter-too-large",
                source,
                start..first_line_end,
                "the front matter that starts here is larger than 1 MB",
            )
            .with_hint(format!(
                "front matter holds short facts; move long text into the Markdown body below the closing `{fence}` line"
            )));
        }
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == fence {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Parts {
                format,
                front_matter: fm_start..line_start,
                body: body_start..text.len(),
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::at(
        "unclosed-front-matter",
        source,
        start..first_line_end,
        "the front matter opened here is never closed",
    )
    .with_hint(format!(
        "add a line with only `{fence}` after the last front-matter key"
    )))
}

/// Parses the front matter of a split file.
pub fn parse(source: &Source, parts: &Parts) -> Result<Node, Diagnostic> {
    let text = &source.text[parts.front_matter.clone()];
    match parts.format {
        Syntax::Toml => node::parse_toml(source, text, parts.front_matter.start),
        Syntax::Yaml => node::parse_yaml(source, text, parts.front_matter.start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = Source::new("a.md", "+++\ntitle = \"x\"\n+++\nBody\n");
        let p = split(&s).unwrap();
        assert_eq!(p.format, Syntax::Toml);
        assert_eq!(&s.text[p.front_matter.clone()], "title = \"x\"\n");
        assert_eq!(&s.text[p.body.clone()], "Body\n");
        let s = Source::new("a.md", "\u{feff}---\r\ntitle: x\r\n---\r\nBody");
        let p = split(&s).unwrap();
        assert_eq!(p.format, Syntax::Yaml);
        assert_eq!(&s.text[p.body.clone()], "Body");
    }

    #[test]
    fn front_matter_over_the_limit_is_an_error_at_its_start() {
        let line = "tags = [\"rust\"]\n";
        let big = format!("+++\n{}+++\nBody\n", line.repeat(MAX_SIZE / line.len() + 1));
        let err = split(&Source::new("a.md", big)).unwrap_err();
        assert_eq!((err.code, err.line), ("front-matter-too-large", Some(1)));
        let fits = format!("+++\n{}+++\n", line.repeat(MAX_SIZE / line.len() - 1));
        assert!(split(&Source::new("a.md", fits)).is_ok());
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        assert_eq!(
            split(&Source::new("a.md", "# Title\n")).unwrap_err().code,
            "no-front-matter"
        );
        assert_eq!(
            split(&Source::new("a.md", "+++\ntitle = 1\n"))
                .unwrap_err()
                .code,
            "unclosed-front-matter"
        );
    }
}
