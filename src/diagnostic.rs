//! The one error type for problems a user can fix: a message tied to a place in a
//! file, with the lines around it and a hint. Every stage produces these; one
//! printer renders them for the terminal, and the same data can be serialised for
//! other front ends (JSON output, the dev server's overlay).
//!
//! Not for bugs in openings itself: those stay Rust errors or panics.

use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors stop a build; warnings and notes come from
/// `openings check`; warnings fail it only with `--deny-warnings`, infos never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A source file as read from disk, kept so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// Byte offset of a 1-based line and a 1-based character column.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let mut start = 0;
        for _ in 1..line {
            match self.text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.text.len(),
            }
        }
        let rest = &self.text[start..];
        let within = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        start + within
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The quoted line of a diagnostic: its text and which characters to underline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub line_text: String,
    /// 1-based character column where the underline starts.
    pub start: usize,
    /// Number of characters to underline (at least 1).
    pub len: usize,
}

/// A problem in the user's files, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier of the rule, e.g. `unknown-key`.
    pub code: &'static str,
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub snippet: Option<Snippet>,
    pub hint: Option<String>,
    /// Further places that belong to the same problem (e.g. the other duplicate).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with no place in a file (a missing folder, a command-line conflict).
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: None,
            line: None,
            column: None,
            message: message.into(),
            snippet: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    /// An error about a whole file.
    pub fn in_file(code: &'static str, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            path: Some(path.to_path_buf()),
            ..Diagnostic::error(code, message)
        }
    }

    /// An error at a byte range of a source file, quoting the line.
    pub fn at(
        code: &'static str,
        source: &Source,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = source.line_col(span.start);
        let line_start = source.offset_of(line, 1);
        let line_end = source.text[line_start..]
            .find('\n')
            .map_or(source.text.len(), |i| line_start + i);
        let line_text = source.text[line_start..line_end].trim_end_matches('\r');
        let end = span.end.clamp(span.start, line_end);
        let end = floor_char_boundary(&source.text, end);
        let start = floor_char_boundary(&source.text, span.start.min(end));
        let len = source.text[start..end].chars().count().max(1);
        Diagnostic {
            path: Some(source.path.clone()),
            line: Some(line),
            column: Some(column),
            snippet: Some(Snippet {
                line_text: line_text.to_string(),
                start: column,
                len,
            }),
            ..Diagnostic::error(code, message)
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `path:line:col` (as much of it as is known).
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?.display().to_string();
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            (Some(l), None) => format!("{path}:{l}"),
            _ => path,
        })
    }

    /// Renders the diagnostic for a terminal, without colour.
    // By hand for now (issue 12): a few lines print the rustc-style layout that
    // tests and users read; annotate-snippets is weighed again when long lines
    // get cut (issue 17, item 7).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let label = self.severity.label();
        let _ = writeln!(out, "{label}[{}]: {}", self.code, self.message);
        let number = self
            .snippet
            .as_ref()
            .and(self.line)
            .map(|l| l.to_string())
            .unwrap_or_default();
        let pad = " ".repeat(number.len().max(1));
        if let Some(location) = self.location() {
            let _ = writeln!(out, "{pad}--> {location}");
        }
        if let (Some(snippet), Some(_)) = (&self.snippet, self.line) {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {}", snippet.line_text);
            let lead: String = snippet
                .line_text
                .chars()
                .take(snippet.start - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {lead}{}", "^".repeat(snippet.len));
        }
        for note in &self.notes {
            let _ = writeln!(out, "{pad} = note: {note}");
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "{pad} = help: {hint}");
        }
        out
    }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Diagnostics in a stable order: by file, then position, then message.
/// Each distinct problem once, in the order first seen: a template error repeats
/// on every page that uses the template.
pub fn distinct(problems: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in problems {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
}

/// `1 file`, `3 files`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let source = Source::new("x.md", "ab\nçd = 1\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(source.line_col(5), (2, 2));
        assert_eq!(source.offset_of(2, 2), 5);
    }

    #[test]
    fn render_underlines_the_span() {
        let source = Source::new("content/jobs/a.md", "+++\nvalid_thru = 1\n+++\n");
        let d = Diagnostic::at("unknown-key", &source, 4..14, "unknown key `valid_thru`")
            .with_hint("did you mean `valid_through`?");
        let text = d.render();
        assert!(text.contains(" --> content/jobs/a.md:2:1"), "{text}");
        assert!(
            text.contains("2 | valid_thru = 1\n  | ^^^^^^^^^^\n"),
            "{text}"
        );
        assert!(
            text.contains("= help: did you mean `valid_through`?"),
            "{text}"
        );
    }

    #[test]
    fn suggestions_only_for_close_words() {
        let keys = ["valid_through", "title", "employment_type"];
        assert_eq!(did_you_mean("valid_thru", &keys), Some("valid_through"));
        assert_eq!(
            did_you_mean("employmenttype", &keys),
            Some("employment_type")
        );
        assert_eq!(did_you_mean("zzz", &keys), None);
    }
}
