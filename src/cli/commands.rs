//! The site commands: build, check, init and new.

use super::args::*;
use super::ask;
use super::out::*;
use crate::diagnostic::{self, Diagnostic, Severity, plural};
use crate::scaffold::recipes;
use crate::{build, check, config, scaffold};
use std::path::Path;
use std::time::Instant;

pub(super) fn build(out: &Out, args: SiteArgs, output: &Path) -> Result<(), Failed> {
    let started = Instant::now();
    let options = build_options(&args);
    let output = if output.is_absolute() || args.root == Path::new(".") {
        output.to_path_buf()
    } else {
        args.root.join(output)
    };
    let built = crate::write::to_folder(&options, &output, &|stage| out.progress(stage));
    out.clear_progress();
    let built = built.map_err(|f| Failed {
        summary: if f.partial {
            format!(
                "Build failed while moving files into {}: it may hold part of the new site; fix the problem and build again.",
                output.display()
            )
        } else {
            format!(
                "Build failed: {}; {} was not changed.",
                count_errors(&f.problems),
                output.display()
            )
        },
        problems: f.problems,
        usage: false,
    })?;
    let took = started.elapsed();
    let Some(stats) = built.written else {
        out.detail("inputs and output as the last build left them: load and render skipped");
        out.info(&format!(
            "Built {} into {} in {} ms (0 files written: nothing changed since the last build)",
            built.what,
            output.display(),
            took.as_millis(),
        ));
        return Ok(());
    };
    out.detail(&format!(
        "load {:?}, render and write {:?}",
        built.load,
        took - built.load
    ));
    out.info(&format!(
        "Built {} into {} in {} ms ({} written, {} unchanged, {} removed)",
        built.what,
        output.display(),
        took.as_millis(),
        plural(stats.written, "file"),
        stats.unchanged,
        stats.removed
    ));
    Ok(())
}

pub(super) struct CheckArgs {
    pub(super) expiring_within: Option<u32>,
    pub(super) max_age: Option<u32>,
    pub(super) format: Format,
    pub(super) deny_warnings: bool,
}

/// `openings check --format json`: the report printed on standard output.
#[derive(serde::Serialize)]
struct CheckReport {
    /// Version of this JSON shape (README.md documents it).
    version: u32,
    /// What the exit status says: no error, and no warning under --deny-warnings.
    ok: bool,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// At most [`diagnostic::PER_FILE`] of a file, then its closing line; the
    /// counts above are of every problem.
    diagnostics: Vec<Diagnostic>,
}

pub(super) fn check(out: &Out, args: SiteArgs, lints: &CheckArgs) -> Result<(), Failed> {
    let (diagnostics, built) = findings(out, &build_options(&args), lints);
    let report = CheckReport::new(&diagnostics, lints.deny_warnings);
    let failed = |summary: String| Failed {
        problems: Vec::new(),
        summary,
        usage: false,
    };
    let counts = report.counts();
    let site = built
        .as_ref()
        .map(|g| build::describe(&g.site))
        .unwrap_or_default();
    if let Some(text) = formatted(lints.format, &report, &args.root, &site) {
        print!("{text}");
        // JSON is the whole answer; the other formats are read in a CI log,
        // where a closing line says why the step failed.
        let summary = match lints.format {
            Format::Json => String::new(),
            _ => format!("Check failed: {counts}."),
        };
        return if report.ok {
            Ok(())
        } else {
            Err(failed(summary))
        };
    }
    out.diagnostics(&diagnostics);
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

/// Builds the site in memory and runs the check rules on it: what was found,
/// and the build when there was one (errors of the build itself are the findings).
fn findings(
    out: &Out,
    options: &build::Options,
    lints: &CheckArgs,
) -> (Vec<Diagnostic>, Option<build::Generation>) {
    let found = match build::render(options, &|stage| out.progress(stage)) {
        Ok((generation, outputs)) => {
            let settings = generation.site.config.check;
            let check_options = check::Options {
                today: generation.site.today,
                expiring_within_days: lints
                    .expiring_within
                    .unwrap_or(settings.expiring_within_days),
                max_age_days: lints.max_age.unwrap_or(settings.max_age_days),
                translation_lag_days: settings.translation_lag_days,
            };
            let found = check::run(&generation, &outputs, &check_options);
            (found, Some(generation))
        }
        Err(problems) => (problems, None),
    };
    out.clear_progress();
    found
}

/// The report in a machine-read `format`; `None` for text, which `Out` prints.
fn formatted(format: Format, report: &CheckReport, root: &Path, site: &str) -> Option<String> {
    let diagnostics = &report.diagnostics;
    match format {
        Format::Text => None,
        Format::Json => {
            Some(serde_json::to_string_pretty(report).expect("diagnostics always serialise") + "\n")
        }
        Format::Github => Some(super::report::github(diagnostics, root)),
        Format::Markdown => {
            let title = format!(
                "openings check: {}",
                if site.is_empty() { "the site" } else { site }
            );
            Some(super::report::markdown(
                diagnostics,
                &title,
                &report.counts(),
            ))
        }
    }
}

impl CheckReport {
    fn new(diagnostics: &[Diagnostic], deny_warnings: bool) -> Self {
        let count = |s: Severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == s)
                .map(Diagnostic::problems)
                .sum()
        };
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        CheckReport {
            version: 1,
            ok: errors == 0 && !(deny_warnings && warnings > 0),
            errors,
            warnings,
            infos: count(Severity::Info),
            diagnostics: diagnostic::per_file(diagnostics),
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

pub(super) fn init(out: &Out, dir: &Path, host: Option<HostArg>) -> Result<(), Failed> {
    let written = scaffold::init(dir, local_today()).map_err(|d| vec![d])?;
    for path in &written {
        out.detail(&format!("created {}", path.display()));
    }
    out.info(&format!(
        "Created a new site in {}.\nNext: cd {} && openings build   (the site is written to public/)",
        dir.display(),
        dir.display()
    ));
    match host {
        Some(host) => deploy_recipe(out, dir, host, false),
        None => Ok(()),
    }
}

/// `openings deploy-recipe HOST`, and `init --host`.
pub(super) fn deploy_recipe(
    out: &Out,
    root: &Path,
    host: HostArg,
    force: bool,
) -> Result<(), Failed> {
    // The recipe is for a site that builds: refuse a folder that is none.
    config::load(root)?;
    let host = host.host();
    let zone = recipes::site_zone(root);
    let year = jiff::Zoned::now().year();
    let daily = recipes::daily(zone.as_ref().map(|(n, tz)| (n.as_str(), tz)), year);
    let written = recipes::write(root, host, &daily, force).map_err(|d| vec![d])?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    out.info(&format!(
        "Wrote {}; the daily run is at {}.\nNext: {}",
        names.join(", "),
        daily.note,
        host.next_steps()
    ));
    Ok(())
}

/// `openings new` as typed: the department and locations may be missing.
pub(super) struct NewArgs {
    pub(super) title: String,
    pub(super) department: Option<String>,
    pub(super) locations: Vec<String>,
    pub(super) employment_type: String,
    pub(super) yaml: bool,
    pub(super) root: std::path::PathBuf,
    pub(super) today: Option<jiff::civil::Date>,
}

/// Writes a posting that passes `check` as it stands: what is missing is
/// asked for on a terminal, taken from the site when there is one choice,
/// and otherwise an error that says which flag to add.
pub(super) fn new_posting(out: &Out, args: NewArgs) -> Result<(), Failed> {
    let config = config::load(&args.root)?;
    let department = match args.department {
        Some(department) => department,
        None if ask::can_ask() => ask::text("Department (for example Engineering)")
            .ok_or_else(|| missing("--department NAME", "the department the role belongs to"))?,
        None => {
            return Err(missing(
                "--department NAME",
                "the department the role belongs to",
            ));
        }
    };
    let locations = if args.locations.is_empty() {
        default_locations(out, &config)?
    } else {
        known_locations(&config, args.locations)?
    };
    let new = scaffold::NewPosting {
        title: &args.title,
        department: &department,
        locations: &locations,
        employment_type: &args.employment_type,
        yaml: args.yaml,
        today: args.today.unwrap_or_else(local_today),
    };
    let path = scaffold::new_posting(&args.root, &new).map_err(|d| vec![d])?;
    out.info(&format!(
        "Created {} as a draft.\nEdit it, preview with `openings build --drafts`, and remove `draft = true` to publish.",
        path.display()
    ));
    Ok(())
}

/// `openings new --lang LANG --from SLUG`: the translation of a posting, to fill in.
pub(super) fn new_translation(
    out: &Out,
    root: &Path,
    from: &str,
    lang: &str,
    today: Option<jiff::civil::Date>,
) -> Result<(), Failed> {
    let new = scaffold::translation::NewTranslation {
        from,
        lang,
        today: today.unwrap_or_else(local_today),
    };
    let written = scaffold::translation::new_translation(root, &new)?;
    out.info(&format!(
        "Created {} from {}.\nTranslate its title, summary, questions and body in place; until then its `{lang}` page shows the original's text. The facts (salary, dates, locations) stay in {}.",
        written.path.display(),
        written.original.display(),
        written.original.display()
    ));
    Ok(())
}

/// The locations of a posting given none: the site's only one, or the answer
/// to a question on a terminal.
fn default_locations(out: &Out, config: &config::Config) -> Result<Vec<String>, Failed> {
    let keys: Vec<&str> = config.locations.iter().map(|l| l.key.as_str()).collect();
    match keys.as_slice() {
        [] => Err(vec![
            Diagnostic::error("no-locations", "site.toml declares no location for the posting")
                .with_hint("add one, e.g. `[locations.hq]` with `name = \"Berlin, Germany\"` and `country = \"DE\"`, then run `openings new` again"),
        ]
        .into()),
        [only] => {
            out.info(&format!("Location: `{only}`, the only one in site.toml."));
            Ok(vec![only.to_string()])
        }
        _ if ask::can_ask() => ask::locations(&config.locations).ok_or_else(|| {
            missing("--location KEY", &format!("one of {}", keys.join(", ")))
        }),
        _ => Err(missing(
            "--location KEY",
            &format!("repeat it for several; site.toml has {}", keys.join(", ")),
        )),
    }
}

/// `keys` when site.toml knows each, else an error with the closest key.
fn known_locations(config: &config::Config, keys: Vec<String>) -> Result<Vec<String>, Failed> {
    let known: Vec<&str> = config.locations.iter().map(|l| l.key.as_str()).collect();
    for key in &keys {
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
    Ok(keys)
}

/// A flag `openings new` needs and could not ask for.
fn missing(flag: &str, what: &str) -> Failed {
    Failed::usage(
        Diagnostic::error(
            "missing-argument",
            format!("`openings new` needs {flag}: {what}"),
        )
        .with_hint(format!(
            "add {flag} (on a terminal, `openings new` asks for it)"
        )),
    )
}
