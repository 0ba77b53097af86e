//! The `openings` command line: parses arguments (clap), runs a command, prints
//! diagnostics and a one-line summary, and sets the exit code (0 ok, 1 user error,
//! 2 bad usage). Everything else lives in the pipeline modules.

// Diagnostics are the error values of every stage; they are large on purpose
// (a quoted line, a hint) and only built on the error path.
#![allow(clippy::result_large_err)]

mod build;
mod check;
mod config;
mod content;
mod diagnostic;
mod markdown;
mod node;
mod outputs;
mod render;
mod scaffold;
mod serve;
mod site;
mod write;

use clap::{Args, Parser, Subcommand, ValueEnum};
use diagnostic::{Diagnostic, Severity};
use jiff::civil::Date;
use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// A static careers-site generator: job postings in Markdown in, a fast,
/// accessible careers site out.
#[derive(Parser)]
#[command(name = "openings", version, about, long_about = None)]
#[command(
    after_help = "Start with `openings init my-careers`, then `openings build` inside it.\nThe README documents every front-matter key and setting."
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the time each stage took.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    #[command(
        after_help = "Examples:\n  openings build\n  openings build --root path/to/site --output dist --base-url https://x.example/careers/ --drafts"
    )]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site, relative to --root unless absolute.
        #[arg(short, long, default_value = "public", value_name = "DIR")]
        output: PathBuf,
    },
    /// Validate everything a build would, plus whole-site lints, without writing anything.
    #[command(
        after_help = "Exit status: 0 when there is no error (and no warning with --deny-warnings), 1 otherwise.\nThe rules, their ids and the JSON format are listed in README.md.\n\nExamples:\n  openings check\n  openings check --expiring-within 3w --max-age 45d\n  openings check --format json --deny-warnings"
    )]
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Report postings that close within this many days (e.g. 14d or 2w; default from [check] in site.toml, else 14d).
        #[arg(long, value_name = "DAYS", value_parser = parse_days)]
        expiring_within: Option<u32>,
        /// Report open postings not posted or updated for longer than this (default from [check], else 60d).
        #[arg(long, value_name = "DAYS", value_parser = parse_days)]
        max_age: Option<u32>,
        /// How to print the findings: text for people, json for CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Preview the site with live reload, or serve it for real with --production.
    #[command(
        after_help = "Examples:\n  openings serve\n  openings serve --port 0 --drafts --open\n  openings serve --production --bind 0.0.0.0 --port 8080"
    )]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on; 0 picks a free one.
        #[arg(short, long, default_value_t = 4000)]
        port: u16,
        /// The address to listen on (0.0.0.0 for every interface).
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of native file events (network drives, containers, WSL).
        #[arg(long, conflicts_with = "production")]
        poll: bool,
        /// Serve one build as it is: no watcher, no live reload.
        #[arg(long)]
        production: bool,
        /// Where the application endpoint keeps applications (production).
        #[arg(long, value_name = "DIR", requires = "production")]
        data: Option<PathBuf>,
    },
    /// Create a new site folder that builds at once.
    #[command(
        after_help = "Example:\n  openings init my-careers && cd my-careers && openings build"
    )]
    Init {
        /// The folder to create.
        name: PathBuf,
    },
    /// Create a posting in content/jobs/, dated today, as a draft.
    #[command(
        after_help = "Example:\n  openings new \"Senior Data Engineer\" --department Data --location berlin"
    )]
    New {
        /// The job title; the file name is made from it.
        title: String,
        /// The department the role belongs to.
        #[arg(short, long)]
        department: String,
        /// A location key from site.toml (repeat for several).
        #[arg(short, long = "location", value_name = "KEY")]
        locations: Vec<String>,
        /// full-time, part-time, contract, temporary, internship, volunteer, per-diem or other.
        #[arg(long, default_value = "full-time", value_name = "TYPE")]
        employment_type: String,
        /// Write YAML front matter (`---`) instead of TOML (`+++`).
        #[arg(long)]
        yaml: bool,
        /// The site folder (the one with site.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// The posting date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder (the one with site.toml).
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Use this base URL instead of site.toml's (for preview deploys).
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<url::Url>,
    /// Include postings and pages marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// The day that decides which postings are closed (default: today's local date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|_| format!("`{s}` is not a date; use YYYY-MM-DD"))
}

fn parse_days(s: &str) -> Result<u32, String> {
    config::parse_days(s)
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_base_url(s: &str) -> Result<url::Url, String> {
    config::parse_base_url(s)
}

fn local_today() -> Date {
    jiff::Zoned::now().date()
}

/// Where messages go, and how much of them.
struct Out {
    quiet: bool,
    verbose: bool,
    terminal: bool,
}

impl Out {
    fn info(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    fn detail(&self, line: &str) {
        if self.verbose {
            eprintln!("{line}");
        }
    }

    /// A transient progress line, on a terminal only.
    fn progress(&self, what: &str) {
        if self.terminal && !self.quiet {
            eprint!("\r\x1b[2K{what}…");
        }
    }

    fn clear_progress(&self) {
        if self.terminal && !self.quiet {
            eprint!("\r\x1b[2K");
        }
    }

    /// Prints diagnostics (warnings only when not quiet).
    fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        self.clear_progress();
        for d in diagnostics {
            if d.severity == Severity::Error || !self.quiet {
                eprintln!("{}", d.render());
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out {
        quiet: cli.quiet,
        verbose: cli.verbose,
        terminal: std::io::stderr().is_terminal(),
    };
    let result = match cli.command {
        Command::Build { site, output } => build(&out, site, &output),
        Command::Check {
            site,
            expiring_within,
            max_age,
            format,
            deny_warnings,
        } => {
            let lints = CheckArgs {
                expiring_within,
                max_age,
                format,
                deny_warnings,
            };
            check(&out, site, &lints)
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
            production,
            data,
        } => serve::run(serve::Options {
            build: build_options(&site),
            bind,
            port,
            poll,
            open,
            production,
            data,
            quiet: out.quiet,
        })
        .map_err(Failed::from),
        Command::Init { name } => init(&out, &name),
        Command::New {
            title,
            department,
            locations,
            employment_type,
            yaml,
            root,
            today,
        } => {
            let new = scaffold::NewPosting {
                title: &title,
                department: &department,
                locations: &locations,
                employment_type: &employment_type,
                yaml,
                today: today.unwrap_or_else(local_today),
            };
            new_posting(&out, &root, &new)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failed) => {
            out.diagnostics(&failed.problems);
            if !failed.summary.is_empty() {
                eprintln!("{}", failed.summary);
            }
            ExitCode::FAILURE
        }
    }
}

/// A command that did not succeed: the problems, and a closing line for them.
struct Failed {
    problems: Vec<Diagnostic>,
    summary: String,
}

impl From<Vec<Diagnostic>> for Failed {
    fn from(problems: Vec<Diagnostic>) -> Self {
        let summary = if problems.len() > 1 {
            format!("{}.", count_errors(&problems))
        } else {
            String::new()
        };
        Failed { problems, summary }
    }
}

fn count_errors(problems: &[Diagnostic]) -> String {
    let n = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    format!("{n} error{}", if n == 1 { "" } else { "s" })
}

fn build_options(args: &SiteArgs) -> build::Options {
    build::Options {
        root: args.root.clone(),
        base_url: args.base_url.clone(),
        site: site::Options {
            drafts: args.drafts,
            today: args.today.unwrap_or_else(local_today),
        },
    }
}

fn summary(built: &build::Built) -> String {
    let site = &built.site;
    let closed = site.jobs.iter().filter(|j| j.closed).count();
    let drafts = site.jobs.iter().filter(|j| j.posting.draft).count();
    let mut roles = plural(site.jobs.len() - closed, "open role");
    if closed > 0 {
        roles += &format!(", {closed} closed");
    }
    if drafts > 0 {
        roles += &format!(", {}", plural(drafts, "draft"));
    }
    format!("{roles}, {}", plural(site.pages.len(), "page"))
}

fn build(out: &Out, args: SiteArgs, output: &Path) -> Result<(), Failed> {
    let started = Instant::now();
    let options = build_options(&args);
    let output = if output.is_absolute() || args.root == Path::new(".") {
        output.to_path_buf()
    } else {
        args.root.join(output)
    };
    write::check_target(&options.root, &output).map_err(|d| vec![d])?;
    let inputs = build::fresh::inputs(&options);
    if let Some(what) = build::fresh::unchanged(&inputs, &output) {
        out.detail("inputs and output as the last build left them: load and render skipped");
        out.info(&format!(
            "Built {what} into {} in {} ms (0 files written: nothing changed since the last build)",
            output.display(),
            started.elapsed().as_millis(),
        ));
        return Ok(());
    }
    let mut built =
        build::build(&options, &|stage| out.progress(stage)).map_err(|problems| Failed {
            summary: format!(
                "Build failed: {}; {} was not changed.",
                count_errors(&problems),
                output.display()
            ),
            problems,
        })?;
    out.progress("writing files");
    let stats = write::site(&output, &mut built).map_err(|d| vec![d])?;
    out.clear_progress();
    // Without the record the next build just does all the work again.
    let _ = build::fresh::record(&inputs, &output, &summary(&built));
    out.detail(&format!(
        "load {:?}, render {:?}, write {:?}",
        built.timings.load,
        built.timings.render,
        started.elapsed() - built.timings.load - built.timings.render
    ));
    out.info(&format!(
        "Built {} into {} in {} ms ({} files written, {} unchanged, {} removed)",
        summary(&built),
        output.display(),
        started.elapsed().as_millis(),
        stats.written,
        stats.unchanged,
        stats.removed
    ));
    Ok(())
}

struct CheckArgs {
    expiring_within: Option<u32>,
    max_age: Option<u32>,
    format: Format,
    deny_warnings: bool,
}

/// `openings check --format json`: the report printed on standard output.
#[derive(serde::Serialize)]
struct CheckReport<'a> {
    /// Version of this JSON shape (README.md documents it).
    version: u32,
    /// What the exit status says: no error, and no warning under --deny-warnings.
    ok: bool,
    errors: usize,
    warnings: usize,
    infos: usize,
    diagnostics: &'a [Diagnostic],
}

fn check(out: &Out, args: SiteArgs, lints: &CheckArgs) -> Result<(), Failed> {
    let options = build_options(&args);
    let (diagnostics, built) = match build::build(&options, &|stage| out.progress(stage)) {
        Ok(built) => {
            let settings = built.site.config.check;
            let check_options = check::Options {
                today: options.site.today,
                expiring_within_days: lints
                    .expiring_within
                    .unwrap_or(settings.expiring_within_days),
                max_age_days: lints.max_age.unwrap_or(settings.max_age_days),
            };
            (check::run(&built, &check_options), Some(built))
        }
        Err(problems) => (problems, None),
    };
    out.clear_progress();
    let report = CheckReport::new(&diagnostics, lints.deny_warnings);
    let failed = |summary: String| Failed {
        problems: Vec::new(),
        summary,
    };
    if lints.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("diagnostics always serialise")
        );
        return if report.ok {
            Ok(())
        } else {
            Err(failed(String::new()))
        };
    }
    out.diagnostics(&diagnostics);
    let counts = report.counts();
    let site = built.as_ref().map(summary).unwrap_or_default();
    match (report.ok, counts.is_empty()) {
        (true, true) => out.info(&format!("No problems found: {site}.")),
        (true, false) => out.info(&format!("Checked {site}: {counts}.")),
        (false, _) if report.errors == 0 => {
            return Err(failed(format!("Check failed (--deny-warnings): {counts}.")));
        }
        (false, _) => return Err(failed(format!("Check failed: {counts}."))),
    }
    Ok(())
}

impl<'a> CheckReport<'a> {
    fn new(diagnostics: &'a [Diagnostic], deny_warnings: bool) -> Self {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        CheckReport {
            version: 1,
            ok: errors == 0 && !(deny_warnings && warnings > 0),
            errors,
            warnings,
            infos: count(Severity::Info),
            diagnostics,
        }
    }

    /// "1 error, 2 warnings, 1 info" (only the non-zero ones).
    fn counts(&self) -> String {
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        if self.infos > 0 {
            parts.push(format!("{} info", self.infos));
        }
        parts.join(", ")
    }
}

fn init(out: &Out, dir: &Path) -> Result<(), Failed> {
    let written = scaffold::init(dir, local_today()).map_err(|d| vec![d])?;
    for path in &written {
        out.detail(&format!("created {}", path.display()));
    }
    out.info(&format!(
        "Created a new site in {}.\nNext: cd {} && openings build   (the site is written to public/)",
        dir.display(),
        dir.display()
    ));
    Ok(())
}

fn new_posting(out: &Out, root: &Path, new: &scaffold::NewPosting<'_>) -> Result<(), Failed> {
    let config = config::load(root)?;
    let known: Vec<&str> = config.locations.iter().map(|l| l.key.as_str()).collect();
    for key in new.locations {
        if config.location(key).is_none() {
            let hint = match diagnostic::did_you_mean(key, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known locations: {}", known.join(", ")),
            };
            return Err(vec![
                Diagnostic::error("unknown-location", format!("unknown location `{key}`"))
                    .with_hint(hint),
            ]
            .into());
        }
    }
    let path = scaffold::new_posting(root, new).map_err(|d| vec![d])?;
    out.info(&format!(
        "Created {} as a draft.\nEdit it, preview with `openings build --drafts`, and remove `draft = true` to publish.",
        path.display()
    ));
    Ok(())
}

pub(crate) fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
