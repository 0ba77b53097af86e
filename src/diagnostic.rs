//! The one error type for problems a user can fix: a message tied to a place in a
//! file, with the lines around it and a hint. Every stage produces these; one
//! printer renders them for the terminal, and the same data can be serialised for
//! other front ends (JSON output, the dev server's overlay).
//!
//! Not for bugs in openings itself: those stay Rust errors or panics.

mod snippet;
mod source;

pub use snippet::Snippet;
pub use source::Source;

use serde::Serialize;
use source::floor_char_boundary;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// At most this many problems of one file are shown; one closing line counts
/// the rest (`and 9,980 more problems in content/jobs/x.md`).
pub const PER_FILE: usize = 20;

/// The code of that closing line.
pub const MORE: &str = "more-problems";

/// A message, note or hint longer than this many characters is cut when
/// printed: a value quoted from a hostile file cannot flood a terminal.
const PRINTED: usize = 400;

/// How bad a problem is. Errors stop a build; warnings and notes come from
/// `openings check`; warnings fail it only with `--deny-warnings`, infos never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

/// A problem in the user's files, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
    /// Only on the closing line of a file cut at [`PER_FILE`] ([`MORE`]): how
    /// many problems of the file it stands for.
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
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
            more: 0,
        }
    }

    /// The closing line of a file whose problems were cut at [`PER_FILE`]:
    /// `n` more problems of `path`.
    pub fn more(path: &Path, n: usize) -> Self {
        let noun = if n == 1 { "problem" } else { "problems" };
        let message = format!("and {} more {noun} in {}", thousands(n), path.display());
        Diagnostic {
            more: n,
            ..Diagnostic::in_file(MORE, path, message)
        }
    }

    /// How many problems this stands for: 1, or the count of a closing line.
    pub fn problems(&self) -> usize {
        if self.more > 0 { self.more } else { 1 }
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
        let range = source.line_range(line);
        let line_text = source.text[range.clone()].trim_end_matches('\r');
        let line_end = range.start + line_text.len();
        let start = floor_char_boundary(&source.text, span.start.min(source.text.len()))
            .clamp(range.start, line_end);
        let end = floor_char_boundary(&source.text, span.end.clamp(start, line_end));
        Diagnostic {
            path: Some(source.path.clone()),
            line: Some(line),
            column: Some(column),
            snippet: Some(Snippet::new(
                line_text,
                start - range.start..end - range.start,
            )),
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
    // By hand (issue 12, and issue 17 item 7 for long lines): a few lines print
    // the rustc-style layout that tests and users read; `Snippet` does the cut.
    pub fn render(&self) -> String {
        if self.more > 0 {
            return format!("{}\n", self.message);
        }
        let mut out = String::new();
        let label = self.severity.label();
        let _ = writeln!(out, "{label}[{}]: {}", self.code, clipped(&self.message));
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
            let _ = writeln!(out, "{pad} | {}", snippet.underline());
        }
        for note in &self.notes {
            let _ = writeln!(out, "{pad} = note: {}", clipped(note));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "{pad} = help: {}", clipped(hint));
        }
        out
    }
}

/// `text`, cut after [`PRINTED`] characters.
fn clipped(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(PRINTED) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

/// `9980` -> `9,980`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// Each distinct problem once, in the order first seen: a template error repeats
/// on every page that uses the template.
pub fn distinct(problems: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let all: Vec<Diagnostic> = problems.into_iter().collect();
    let mut seen = HashSet::with_capacity(all.len());
    let first: Vec<bool> = all.iter().map(|d| seen.insert(d)).collect();
    drop(seen);
    all.into_iter()
        .zip(first)
        .filter_map(|(d, first)| first.then_some(d))
        .collect()
}

/// Diagnostics in a stable order: by file, then position, then message; a
/// file's closing [`MORE`] line last.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.more > 0, a.line, a.column, &a.message).cmp(&(
            &b.path,
            b.more > 0,
            b.line,
            b.column,
            &b.message,
        ))
    });
}

/// The diagnostics to show: the first [`PER_FILE`] of each file, and after the
/// file's last one a closing line that counts the rest (its own closing lines
/// included), as severe as the worst problem it stands for.
pub fn per_file(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut last: HashMap<&Path, usize> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if let Some(path) = &d.path {
            last.insert(path, i);
        }
    }
    let mut shown: HashMap<&Path, usize> = HashMap::new();
    let mut left_out: HashMap<&Path, (usize, Severity)> = HashMap::new();
    let mut out = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(path) = d.path.as_deref() else {
            out.push(d.clone());
            continue;
        };
        let n = shown.entry(path).or_default();
        if d.more == 0 && *n < PER_FILE {
            *n += 1;
            out.push(d.clone());
        } else {
            let cut = left_out.entry(path).or_insert((0, d.severity));
            cut.0 += d.problems();
            cut.1 = cut.1.min(d.severity);
        }
        if last[path] == i
            && let Some((n, severity)) = left_out.remove(path)
        {
            out.push(Diagnostic::more(path, n).with_severity(severity));
        }
    }
    out
}

/// `1 file`, `3 files`, `10,000 errors`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn at_line(path: &str, line: usize) -> Diagnostic {
        let text = "x\n".repeat(line);
        let source = Source::new(path, text);
        Diagnostic::at(
            "x",
            &source,
            2 * (line - 1)..2 * line - 1,
            format!("problem {line}"),
        )
    }

    #[test]
    fn each_file_shows_its_first_problems_and_counts_the_rest() {
        let mut all: Vec<Diagnostic> = (1..=30).map(|l| at_line("a.md", l)).collect();
        all.push(Diagnostic::more(Path::new("a.md"), 1000));
        all.push(at_line("b.md", 1));
        sort(&mut all);
        let shown = per_file(&all);
        assert_eq!(shown.len(), PER_FILE + 2);
        assert_eq!(shown[PER_FILE - 1].message, "problem 20");
        let more = &shown[PER_FILE];
        assert_eq!(more.render(), "and 1,010 more problems in a.md\n");
        assert_eq!(more.problems(), 1010);
        assert_eq!(shown[PER_FILE + 1].message, "problem 1");
        let total: usize = shown.iter().map(Diagnostic::problems).sum();
        assert_eq!(total, 30 + 1000 + 1);
    }

    #[test]
    fn distinct_keeps_the_first_of_each() {
        let a = at_line("a.md", 1);
        let b = at_line("a.md", 2);
        let kept = distinct([a.clone(), b.clone(), a.clone(), b, a]);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].message, "problem 1");
    }

    #[test]
    fn a_long_line_is_quoted_around_the_problem() {
        let line = format!("tags = [{}\"bad\"]", "\"ok\", ".repeat(5000));
        let source = Source::new("a.md", format!("+++\n{line}\n+++\n"));
        let at = source.text.find("\"bad\"").unwrap();
        let text = Diagnostic::at("x", &source, at..at + 5, "bad tag").render();
        assert!(text.lines().all(|l| l.chars().count() < 120), "{text}");
        assert!(text.contains(" --> a.md:2:"), "{text}");
        let quoted = text.lines().nth(3).unwrap();
        let carets = text.lines().nth(4).unwrap();
        let col = carets.find('^').unwrap();
        let under: String = quoted.chars().skip(col).take(5).collect();
        assert_eq!(under, "\"bad\"", "{text}");
    }

    #[test]
    fn long_messages_are_cut_when_printed() {
        let d = Diagnostic::error("x", "y".repeat(10_000)).with_hint("z".repeat(10_000));
        assert!(d.render().len() < 2 * PRINTED + 100);
    }
}
