//! What the command line prints: messages on stderr (quiet, verbose, progress
//! on a terminal), diagnostics, and the closing line of a command that failed.

use crate::diagnostic::{self, Diagnostic, Severity, plural};

/// Where messages go, and how much of them.
pub(super) struct Out {
    pub(super) quiet: bool,
    pub(super) verbose: bool,
    pub(super) terminal: bool,
}

impl Out {
    pub(super) fn info(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    pub(super) fn detail(&self, line: &str) {
        if self.verbose {
            eprintln!("{line}");
        }
    }

    /// A transient progress line, on a terminal only.
    pub(super) fn progress(&self, what: &str) {
        if self.terminal && !self.quiet {
            eprint!("\r\x1b[2K{what}…");
        }
    }

    pub(super) fn clear_progress(&self) {
        if self.terminal && !self.quiet {
            eprint!("\r\x1b[2K");
        }
    }

    /// Prints diagnostics (warnings only when not quiet), at most
    /// [`diagnostic::PER_FILE`] of a file.
    pub(super) fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        self.clear_progress();
        for d in &diagnostic::per_file(diagnostics) {
            if d.severity == Severity::Error || !self.quiet {
                eprintln!("{}", d.render());
            }
        }
    }
}

/// A command that did not succeed: the problems, and a closing line for them.
pub(super) struct Failed {
    pub(super) problems: Vec<Diagnostic>,
    pub(super) summary: String,
    /// Bad usage (exit 2) rather than a problem of the site (exit 1).
    pub(super) usage: bool,
}

impl From<Vec<Diagnostic>> for Failed {
    fn from(problems: Vec<Diagnostic>) -> Self {
        let summary = if problems.iter().map(Diagnostic::problems).sum::<usize>() > 1 {
            format!("{}.", count_errors(&problems))
        } else {
            String::new()
        };
        Failed {
            problems,
            summary,
            usage: false,
        }
    }
}

pub(super) fn count_errors(problems: &[Diagnostic]) -> String {
    let n = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(Diagnostic::problems)
        .sum();
    plural(n, "error")
}

impl Failed {
    /// Bad usage: a flag is missing or wrong (exit 2, as clap's own errors).
    pub(super) fn usage(problem: Diagnostic) -> Self {
        Failed {
            usage: true,
            ..Failed::from(vec![problem])
        }
    }

    pub(super) fn with_hint(mut self, hint: &str) -> Self {
        if let Some(d) = self.problems.last_mut() {
            d.hint = Some(hint.into());
        }
        self
    }
}
