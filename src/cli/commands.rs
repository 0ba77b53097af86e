//! The site commands: build, check, init and new.

use super::args::*;
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

pub(super) fn check(out: &Out, args: SiteArgs, lints: &CheckArgs) -> Result<(), Failed> {
    let options = build_options(&args);
    let (diagnostics, built) = match build::render(&options, &|stage| out.progress(stage)) {
        Ok((generation, outputs)) => {
            let settings = generation.site.config.check;
            let check_options = check::Options {
                today: generation.site.today,
                expiring_within_days: lints
                    .expiring_within
                    .unwrap_or(settings.expiring_within_days),
                max_age_days: lints.max_age.unwrap_or(settings.max_age_days),
            };
            let found = check::run(&generation, &outputs, &check_options);
            (found, Some(generation))
        }
        Err(problems) => (problems, None),
    };
    out.clear_progress();
    let report = CheckReport::new(&diagnostics, lints.deny_warnings);
    let failed = |summary: String| Failed {
        problems: Vec::new(),
        summary,
    };
    let counts = report.counts();
    let site = built
        .as_ref()
        .map(|g| build::describe(&g.site))
        .unwrap_or_default();
    let printed = match lints.format {
        Format::Text => None,
        Format::Json => Some(
            serde_json::to_string_pretty(&report).expect("diagnostics always serialise") + "\n",
        ),
        Format::Github => Some(super::report::github(&diagnostics, &args.root)),
        Format::Markdown => {
            let title = format!(
                "openings check: {}",
                if site.is_empty() { "the site" } else { &site }
            );
            Some(super::report::markdown(&diagnostics, &title, &counts))
        }
    };
    if let Some(text) = printed {
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

pub(super) fn new_posting(
    out: &Out,
    root: &Path,
    new: &scaffold::NewPosting<'_>,
) -> Result<(), Failed> {
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
