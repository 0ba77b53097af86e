//! The findings of `openings check` for machines: GitHub Actions workflow
//! commands (annotations on a pull request's files) and a Markdown table for
//! a CI job's summary page. The JSON report stays in `commands`.

use crate::diagnostic::{Diagnostic, Severity};
use std::path::Path;

/// One `::error file=...,line=...,col=...,title=...::message` line per
/// finding. Paths are made relative to the repository by prefixing the site
/// folder given with `--root`.
pub(super) fn github(diagnostics: &[Diagnostic], root: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(path) = &d.path {
            let path = repo_path(root, path);
            props.push(format!("file={}", property(&path)));
            if let Some(line) = d.line {
                props.push(format!("line={line}"));
            }
            if let Some(column) = d.column {
                props.push(format!("col={column}"));
            }
        }
        props.push(format!("title={}", property(d.code)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message += &format!("\nhint: {hint}");
        }
        for note in &d.notes {
            message += &format!("\nnote: {note}");
        }
        out += &format!("::{level} {}::{}\n", props.join(","), data(&message));
    }
    out
}

fn repo_path(root: &Path, path: &Path) -> String {
    let joined = if path.is_absolute() || root == Path::new(".") {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    joined.to_string_lossy().replace('\\', "/")
}

/// The escaping GitHub's runner undoes in a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The escaping of a command's property values (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A Markdown section: a heading with the counts and one table row per finding.
pub(super) fn markdown(diagnostics: &[Diagnostic], title: &str, counts: &str) -> String {
    let mut out = format!("### {title}\n\n");
    if diagnostics.is_empty() {
        out += "Nothing to report.\n";
        return out;
    }
    out += &format!("{counts}.\n\n| | rule | where | finding |\n|---|---|---|---|\n");
    for d in diagnostics {
        let mark = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let place = d.location().unwrap_or_default();
        let mut finding = cell(&d.message);
        if let Some(hint) = &d.hint {
            finding += &format!("<br>*{}*", cell(hint));
        }
        out += &format!(
            "| {mark} | `{}` | {} | {finding} |\n",
            d.code,
            if place.is_empty() {
                String::new()
            } else {
                format!("`{}`", cell(&place))
            }
        );
    }
    out
}

/// Text that stays inside one table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_escape_what_would_end_them() {
        let d = Diagnostic::error("bad-thing", "50% done\nnext: line").with_hint("use a, b");
        let line = github(&[d], Path::new("."));
        assert_eq!(
            line,
            "::error title=bad-thing::50%25 done%0Anext: line%0Ahint: use a, b\n"
        );
    }

    #[test]
    fn annotation_paths_start_at_the_repository() {
        let mut d = Diagnostic::error("x", "m").with_severity(Severity::Info);
        d.path = Some("content/jobs/a,b.md".into());
        d.line = Some(3);
        d.column = Some(7);
        let line = github(&[d], Path::new("careers"));
        assert_eq!(
            line,
            "::notice file=careers/content/jobs/a%2Cb.md,line=3,col=7,title=x::m\n"
        );
    }

    #[test]
    fn markdown_cells_keep_to_their_row() {
        let d = Diagnostic::error("x", "a | b\nc");
        let table = markdown(&[d], "Check", "1 error");
        assert!(table.contains("| error | `x` |  | a \\| b c |"), "{table}");
    }
}
