//! The command line's shape (clap derive): the commands, their flags and the
//! parsers of their values, and the build options they come to.

use crate::{build, config, site};
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use std::net::IpAddr;
use std::path::PathBuf;

/// A static careers-site generator: job postings in Markdown in, a fast,
/// accessible careers site out.
#[derive(Parser)]
#[command(name = "openings", version, about, long_about = None)]
#[command(
    after_help = "Start with `openings init my-careers`, then `openings build` inside it.\nThe README documents every front-matter key and setting."
)]
pub(super) struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(super) quiet: bool,
    /// Also print the time each stage took.
    #[arg(short, long, global = true)]
    pub(super) verbose: bool,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Build the site into the output folder (public/ by default).
    #[command(
        after_help = "Examples:\n  openings build\n  openings build --root path/to/site --output dist --base-url https://x.example/careers/ --drafts"
    )]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site, relative to --root unless absolute.
        #[arg(short, long, default_value = crate::layout::OUTPUT, value_name = "DIR")]
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
        #[arg(long, value_name = "DAYS", value_parser = crate::duration::days)]
        expiring_within: Option<u32>,
        /// Report open postings not posted or updated for longer than this (default from [check], else 60d).
        #[arg(long, value_name = "DAYS", value_parser = crate::duration::days)]
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
    /// Ask a running `serve --production` whether it is healthy (exit 0 when it
    /// answers its /healthz with 200): for a container's HEALTHCHECK.
    #[command(
        after_help = "Example (a Containerfile):\n  HEALTHCHECK CMD [\"openings\", \"healthcheck\", \"http://127.0.0.1:8080/healthz\"]"
    )]
    Healthcheck {
        /// The server's health check.
        #[arg(default_value = "http://127.0.0.1:8080/healthz")]
        url: String,
    },
    /// Read, export and delete the applications the form received.
    #[command(
        after_help = "Reads applications.db in the data folder (.openings/, or --data DIR); the dev server's dev.db with --dev, or when there is no production store (saying so).\n\nExamples:\n  openings applications list\n  openings applications list --dev\n  openings applications show 42 --save-files ~/Downloads\n  openings applications export --format csv --output applications.csv\n  openings applications delete --older-than 180d --yes"
    )]
    Applications {
        #[command(subcommand)]
        command: ApplicationsCommand,
    },
}

#[derive(Subcommand)]
pub(super) enum ApplicationsCommand {
    /// One line per application, oldest first.
    #[command(
        after_help = "Examples:\n  openings applications list\n  openings applications list --posting backend-engineer --since 2026-11-01 --format json"
    )]
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only applications for this posting slug.
        #[arg(long, value_name = "SLUG")]
        posting: Option<String>,
        /// Only applications received on or after this day (UTC).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        since: Option<Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Everything stored about one application.
    Show {
        /// The application's id (from `list`).
        id: i64,
        /// Also write its files into this folder.
        #[arg(long, value_name = "DIR")]
        save_files: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Every application as CSV or JSON.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Delete one application, or all older than an age, with their files.
    #[command(
        after_help = "Examples:\n  openings applications delete 42\n  openings applications delete --older-than 180d --yes\n  openings applications delete --expired --yes    # older than [apply] retention_days"
    )]
    Delete {
        /// The application's id.
        #[arg(required_unless_present_any = ["older_than", "expired"])]
        id: Option<i64>,
        /// Delete every application older than this duration: a number and h, d or w (12h, 180d, 26w).
        #[arg(long, value_name = "AGE", value_parser = crate::duration::millis, conflicts_with = "id")]
        older_than: Option<i64>,
        /// Delete every application older than `retention_days` of site.toml.
        #[arg(long, conflicts_with_all = ["id", "older_than"])]
        expired: bool,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(super) enum ListFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(super) enum ExportFormat {
    Csv,
    Json,
}

#[derive(Args)]
pub(super) struct StoreArgs {
    /// The site folder (the one with site.toml).
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub(super) root: PathBuf,
    /// The data folder (default: .openings/ in the site folder).
    #[arg(long, value_name = "DIR")]
    pub(super) data: Option<PathBuf>,
    /// Read the dev server's store (dev.db in the data folder). Without it, the
    /// dev store is read (with a note) when the folder has no production store.
    #[arg(long)]
    pub(super) dev: bool,
}

#[derive(Args)]
pub(super) struct SiteArgs {
    /// The site folder (the one with site.toml).
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub(super) root: PathBuf,
    /// Use this base URL instead of site.toml's (for preview deploys).
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub(super) base_url: Option<url::Url>,
    /// Include postings and pages marked `draft = true`.
    #[arg(long)]
    pub(super) drafts: bool,
    /// The day that decides which postings are open, closed or not yet published
    /// (default: today in the site's time zone).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(super) today: Option<Date>,
}

pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|_| format!("`{s}` is not a date; use YYYY-MM-DD"))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    Text,
    Json,
}

pub(super) fn parse_base_url(s: &str) -> Result<url::Url, String> {
    config::parse_base_url(s)
}

pub(super) fn local_today() -> Date {
    jiff::Zoned::now().date()
}

pub(super) fn build_options(args: &SiteArgs) -> build::Options {
    build::Options {
        root: args.root.clone(),
        base_url: args.base_url.clone(),
        site: site::Options {
            drafts: args.drafts,
            today: args.today,
        },
    }
}
