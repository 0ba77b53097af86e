//! Deploy recipes: the files that make a static host (or a CI service) check,
//! build and publish a site on every push to the default branch and once a
//! day, so postings close and open on their day. The templates live beside
//! this file in `recipes/`; writing one fills in the version of openings that
//! wrote it (the one the recipe installs) and the time of the daily run.
//!
//! Not for running anything: a recipe is text, proven by tests that run its
//! steps.

use super::{create, io_error};
use crate::diagnostic::Diagnostic;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};

/// Where a site is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Github,
    Gitlab,
    Netlify,
    Cloudflare,
    Rsync,
}

/// One file of a recipe: where it goes in the site folder, and its template.
struct File {
    path: &'static str,
    template: &'static str,
    executable: bool,
}

const fn file(path: &'static str, template: &'static str) -> File {
    File {
        path,
        template,
        executable: false,
    }
}

const fn script(path: &'static str, template: &'static str) -> File {
    File {
        path,
        template,
        executable: true,
    }
}

const INSTALL: &str = include_str!("recipes/install.sh");

const GITHUB: &[File] = &[file(
    ".github/workflows/careers.yml",
    include_str!("recipes/github.yml"),
)];
const GITLAB: &[File] = &[file(".gitlab-ci.yml", include_str!("recipes/gitlab.yml"))];
const NETLIFY: &[File] = &[
    file("netlify.toml", include_str!("recipes/netlify.toml")),
    script(
        "scripts/netlify-build.sh",
        include_str!("recipes/netlify-build.sh"),
    ),
    file(
        "netlify/functions/daily-rebuild.mjs",
        include_str!("recipes/netlify-daily.mjs"),
    ),
];
const CLOUDFLARE: &[File] = &[
    script(
        "scripts/cloudflare-build.sh",
        include_str!("recipes/cloudflare-build.sh"),
    ),
    file(
        "cloudflare/daily-rebuild.js",
        include_str!("recipes/cloudflare-daily.js"),
    ),
    file(
        "cloudflare/wrangler.toml",
        include_str!("recipes/cloudflare-wrangler.toml"),
    ),
];
const RSYNC: &[File] = &[script(
    "scripts/deploy.sh",
    include_str!("recipes/rsync.sh"),
)];

impl Host {
    fn files(self) -> &'static [File] {
        match self {
            Host::Github => GITHUB,
            Host::Gitlab => GITLAB,
            Host::Netlify => NETLIFY,
            Host::Cloudflare => CLOUDFLARE,
            Host::Rsync => RSYNC,
        }
    }

    /// What is left to do by hand once the files are written.
    pub fn next_steps(self) -> &'static str {
        match self {
            Host::Github => {
                "Commit the workflow, then in the repository's Settings > Pages set Source to \"GitHub Actions\"."
            }
            Host::Gitlab => {
                "Commit .gitlab-ci.yml, then add the daily run in Build > Pipeline schedules (the file's header has its time)."
            }
            Host::Netlify => {
                "Commit the files, then create a build hook and store its URL as OPENINGS_BUILD_HOOK for the daily rebuild."
            }
            Host::Cloudflare => {
                "Set the build command to `bash scripts/cloudflare-build.sh` and the output to `public`, then deploy cloudflare/ for the daily rebuild (see its files)."
            }
            Host::Rsync => {
                "Run `OPENINGS_TARGET=user@host:/path/ bash scripts/deploy.sh` on every push and daily from cron (its header shows how)."
            }
        }
    }
}

/// When the daily run happens: a cron line in UTC and the words for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Daily {
    pub cron: String,
    pub note: String,
}

/// Ten minutes past midnight in `zone` (the site's `timezone`; `None`: UTC,
/// where CI machines run), at the zone's smallest offset of the year, so that
/// with daylight saving time the run is never before midnight.
pub fn daily(zone: Option<(&str, &TimeZone)>, year: i16) -> Daily {
    let Some((name, tz)) = zone else {
        return Daily {
            cron: "10 0 * * *".into(),
            note: "00:10 UTC; site.toml sets no timezone, so postings change at midnight UTC"
                .into(),
        };
    };
    let offset_at = |month| {
        jiff::civil::date(year, month, 1)
            .at(12, 0, 0, 0)
            .to_zoned(tz.clone())
            .map_or(0, |z| z.offset().seconds())
    };
    let smallest = offset_at(1).min(offset_at(7));
    let minutes = (10 - smallest.div_euclid(60)).rem_euclid(24 * 60);
    let (hour, minute) = (minutes / 60, minutes % 60);
    Daily {
        cron: format!("{minute} {hour} * * *"),
        note: format!("{hour:02}:{minute:02} UTC, just after midnight in {name}"),
    }
}

/// Fills a template: `@VERSION@`, `@CRON@`, `@CRON_NOTE@`, `@INSTALL@`.
fn fill(template: &str, daily: &Daily) -> String {
    template
        .replace("@INSTALL@", INSTALL.trim_end())
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@CRON_NOTE@", &daily.note)
        .replace("@CRON@", &daily.cron)
}

/// Writes `host`'s recipe into the site folder `root`; returns the files
/// written. Without `force`, an existing file stops it before anything is
/// written.
pub fn write(
    root: &Path,
    host: Host,
    daily: &Daily,
    force: bool,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let files = host.files();
    if !force {
        let existing: Vec<&str> = files
            .iter()
            .filter(|f| root.join(f.path).exists())
            .map(|f| f.path)
            .collect();
        if !existing.is_empty() {
            return Err(Diagnostic::error(
                "exists",
                format!(
                    "{} already exists in {}",
                    existing.join(", "),
                    root.display()
                ),
            )
            .with_hint("pass --force to replace it with the recipe of this version"));
        }
    }
    let mut written = Vec::new();
    for f in files {
        let path = root.join(f.path);
        let text = fill(f.template, daily);
        if force && path.exists() {
            std::fs::write(&path, &text).map_err(|e| io_error(&path, &e))?;
        } else {
            create(&path, &text)?;
        }
        if f.executable {
            make_executable(&path)?;
        }
        written.push(path);
    }
    Ok(written)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), Diagnostic> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| io_error(path, &e))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), Diagnostic> {
    Ok(())
}

/// The `timezone` a site's `site.toml` names, if any (the machine's zone,
/// which a build falls back to, is not the zone of the CI machine).
pub fn site_zone(root: &Path) -> Option<(String, TimeZone)> {
    let text = std::fs::read_to_string(root.join(crate::layout::SITE_TOML)).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let name = table.get("timezone")?.as_str()?.to_string();
    let tz = TimeZone::get(&name).ok()?;
    Some((name, tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(name: &str) -> Daily {
        daily(Some((name, &TimeZone::get(name).unwrap())), 2026)
    }

    #[test]
    fn the_daily_run_is_just_after_midnight_in_the_sites_zone() {
        assert_eq!(daily(None, 2026).cron, "10 0 * * *");
        // Berlin is UTC+1 in winter, +2 in summer: 23:10 UTC is 00:10 or 01:10.
        assert_eq!(at("Europe/Berlin").cron, "10 23 * * *");
        // New York is UTC-5 in winter, -4 in summer: 05:10 UTC.
        assert_eq!(at("America/New_York").cron, "10 5 * * *");
        assert_eq!(at("Asia/Kolkata").cron, "40 18 * * *");
        // Sydney's summer is in January: its smallest offset is +10 (July).
        assert_eq!(at("Australia/Sydney").cron, "10 14 * * *");
        assert!(at("Europe/Berlin").note.contains("Europe/Berlin"));
    }

    #[test]
    fn every_placeholder_is_filled() {
        let d = daily(None, 2026);
        for host in [
            Host::Github,
            Host::Gitlab,
            Host::Netlify,
            Host::Cloudflare,
            Host::Rsync,
        ] {
            for f in host.files() {
                let text = fill(f.template, &d);
                for p in ["@VERSION@", "@CRON@", "@CRON_NOTE@", "@INSTALL@"] {
                    assert!(!text.contains(p), "{} keeps {p}", f.path);
                }
            }
        }
    }
}
