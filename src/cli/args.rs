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
#[command(name = "openings", version = env!("OPENINGS_VERSION"), about, long_about = None)]
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
        after_help = "Exit status: 0 when there is no error (and no warning with --deny-warnings), 1 otherwise.\nThe rules, their ids and the JSON format are listed in README.md.\n\nExamples:\n  openings check\n  openings check --expiring-within 3w --max-age 45d\n  openings check --format json --deny-warnings\n  openings check --format github    # annotations on a pull request, in GitHub Actions"
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
        /// How to print the findings: text for people; json, github (annotations) or markdown for CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Preview the site with live reload, or serve it for real with --production.
    #[command(
        after_help = "Examples:\n  openings serve\n  openings serve --port 0 --drafts --open\n  openings serve --production --bind 0.0.0.0 --port 8080\n  openings serve --production --endpoint-only --port 8080 --data /var/lib/openings"
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
        /// Answer only the application endpoint and /healthz; requests for pages are
        /// redirected to the static site at `base_url` (the form on a static host).
        #[arg(long, requires = "production")]
        endpoint_only: bool,
        /// Where the application endpoint keeps applications (production): a
        /// folder for SQLite.
        #[arg(long, value_name = "DIR", requires = "production")]
        data: Option<PathBuf>,
        /// Keep applications in PostgreSQL instead (production), e.g.
        /// postgres://careers@db.internal/careers; default: $OPENINGS_DATABASE_URL.
        #[arg(
            long,
            value_name = "URL",
            requires = "production",
            conflicts_with = "data"
        )]
        database: Option<String>,
    },
    /// Create a new site folder that builds at once.
    #[command(
        after_help = "Examples:\n  openings init my-careers && cd my-careers && openings build\n  openings init my-careers --host github    # with a GitHub Pages workflow"
    )]
    Init {
        /// The folder to create.
        name: PathBuf,
        /// Also write the deploy recipe for this host (see `openings deploy-recipe --help`).
        #[arg(long, value_enum, value_name = "HOST")]
        host: Option<HostArg>,
    },
    /// Write the files that check, build and publish the site on a static host,
    /// on every push to the default branch and once a day.
    #[command(
        long_about = "Write the files that check, build and publish the site on a static host, on every push to the default branch and once a day (so postings close and open on their day).\n\nEvery recipe runs `openings check` first and stops on an error, keeps the installed openings between runs, and builds previews with --base-url where the host has them. The daily run is set just after midnight in site.toml's `timezone` (UTC without one).",
        after_help = "Files written:\n  github      .github/workflows/careers.yml\n  gitlab      .gitlab-ci.yml\n  netlify     netlify.toml, scripts/netlify-build.sh, netlify/functions/daily-rebuild.mjs\n  cloudflare  scripts/cloudflare-build.sh, cloudflare/daily-rebuild.js, cloudflare/wrangler.toml\n  rsync       scripts/deploy.sh\n\nExamples:\n  openings deploy-recipe github\n  openings deploy-recipe netlify --root path/to/site --force"
    )]
    DeployRecipe {
        /// Where the site is published.
        #[arg(value_enum)]
        host: HostArg,
        /// The site folder (the one with site.toml).
        #[arg(short, long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Replace recipe files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Create a posting in content/jobs/, dated today, as a draft; or, with
    /// --lang and --from, the translation of one.
    #[command(
        after_help = "Examples:\n  openings new \"Senior Data Engineer\" --department Data\n  openings new \"Store Manager\" --department Retail --location hq --yaml\n  openings new --lang de --from backend-engineer\n\nA missing department or location is asked for on a terminal; a site with one\nlocation gives it to every new posting. On a pipe, name both.\n\nTranslations: `--lang de --from backend-engineer` writes\ncontent/jobs/backend-engineer.de.md beside the original, in its syntax (TOML\nor YAML), with its title, summary, team, seniority, questions and body to\ntranslate in place. Every other key (salary, dates, locations...) stays in\nthe original and holds for every language. The language must be declared in\nsite.toml as [languages.de]; an existing file is never replaced. The file\nis a draft: remove `draft` once it is translated to publish it; until then\nthe German listing shows the original."
    )]
    New {
        /// The job title; the file name is made from it (not with --from).
        #[arg(required_unless_present = "from", conflicts_with = "from")]
        title: Option<String>,
        /// Write a translation of this posting (its slug, as in its URL) instead of a new posting.
        #[arg(
            long,
            value_name = "SLUG",
            requires = "lang",
            conflicts_with_all = ["department", "locations", "employment_type", "yaml"]
        )]
        from: Option<String>,
        /// The translation's language, one of [languages] in site.toml (with --from).
        #[arg(long, value_name = "LANG", requires = "from")]
        lang: Option<String>,
        /// The department the role belongs to (asked for on a terminal when missing).
        #[arg(short, long)]
        department: Option<String>,
        /// A location key from site.toml (repeat for several; default: the
        /// site's only location, or asked for on a terminal).
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
        /// The posting date, or a translation's `updated` (default: today).
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
        after_help = "Reads applications.db in the data folder (.openings/, or --data DIR); the dev server's dev.db with --dev, or when there is no production store (saying so); PostgreSQL with --database URL or $OPENINGS_DATABASE_URL.\n\nExamples:\n  openings applications list\n  openings applications list --dev\n  openings applications show 42 --save-files ~/Downloads\n  openings applications export --format csv --output applications.csv\n  openings applications delete --older-than 180d --yes"
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
    /// Move a SQLite store into an empty PostgreSQL database, ids and files included.
    #[command(
        after_help = "The target must hold no applications yet: a second run refuses and changes nothing. The SQLite store is left as it was.\n\nExamples:\n  openings applications migrate --from sqlite:/var/lib/openings --to postgres://careers@db.internal/careers\n  openings applications migrate --from sqlite:.openings --to \"$OPENINGS_DATABASE_URL\""
    )]
    Migrate {
        /// The store to move: sqlite:DIR, the data folder of `--data DIR`.
        #[arg(long, value_name = "sqlite:DIR")]
        from: String,
        /// The PostgreSQL database to move it into.
        #[arg(long, value_name = "URL")]
        to: String,
        /// The site folder (the one with site.toml), where DIR is looked up.
        #[arg(short, long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Webhook notices and emails not yet delivered, with their last error.
    #[command(
        after_help = "Examples:\n  openings applications outbox\n  openings applications outbox --retry"
    )]
    Outbox {
        /// Make every pending or given-up message due now; the running server sends them.
        #[arg(long)]
        retry: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The hosts `--host` and `deploy-recipe` know.
#[derive(Clone, Copy, ValueEnum)]
pub(super) enum HostArg {
    /// GitHub Pages, by a GitHub Actions workflow.
    Github,
    /// GitLab Pages, by .gitlab-ci.yml.
    Gitlab,
    /// Netlify: netlify.toml, its build script and a scheduled function.
    Netlify,
    /// Cloudflare Pages: a build script and a Worker for the daily run.
    Cloudflare,
    /// A web server over rsync, or S3-compatible object storage: a shell script.
    #[value(alias = "s3")]
    Rsync,
}

impl HostArg {
    pub(super) fn host(self) -> crate::scaffold::recipes::Host {
        use crate::scaffold::recipes::Host;
        match self {
            HostArg::Github => Host::Github,
            HostArg::Gitlab => Host::Gitlab,
            HostArg::Netlify => Host::Netlify,
            HostArg::Cloudflare => Host::Cloudflare,
            HostArg::Rsync => Host::Rsync,
        }
    }
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

/// The variable that names the PostgreSQL database when `--database` is not given.
pub(super) const DATABASE_ENV: &str = "OPENINGS_DATABASE_URL";

/// The PostgreSQL URL to use: `--database`, else `$OPENINGS_DATABASE_URL`
/// unless a SQLite folder was chosen (`--data` keeps meaning SQLite).
pub(super) fn database_url(database: Option<String>, sqlite_chosen: bool) -> Option<String> {
    database.or_else(|| {
        std::env::var(DATABASE_ENV)
            .ok()
            .filter(|url| !sqlite_chosen && !url.trim().is_empty())
    })
}

#[derive(Args)]
pub(super) struct StoreArgs {
    /// The site folder (the one with site.toml).
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub(super) root: PathBuf,
    /// The data folder (default: .openings/ in the site folder).
    #[arg(long, value_name = "DIR")]
    pub(super) data: Option<PathBuf>,
    /// Read applications from PostgreSQL, e.g. postgres://careers@db.internal/careers
    /// (default: $OPENINGS_DATABASE_URL, unless --data or --dev is given).
    #[arg(long, value_name = "URL", conflicts_with_all = ["data", "dev"])]
    pub(super) database: Option<String>,
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
    /// For people, on standard error.
    Text,
    /// One JSON report on standard output (README documents its shape).
    Json,
    /// GitHub Actions annotations: findings shown on the pull request's lines.
    Github,
    /// A Markdown table, e.g. for `$GITHUB_STEP_SUMMARY`.
    Markdown,
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
