//! JSON-LD completeness: the JobPosting each open role page carries, held against
//! Google's JobPosting rules. Missing required properties are errors (Google
//! drops the posting); missing recommended ones are warnings (Search Console
//! reports them). Checks the JSON-LD the build made, and points at the front-matter
//! key or `site.toml` setting that would complete it.
//!
//! Rules: `jsonld-location`, `jsonld-description` (errors); `jsonld-address`,
//! `jsonld-remote`, `jsonld-salary`, `jsonld-employment-type`,
//! `jsonld-valid-through`, `jsonld-organization` (warnings).

use crate::build::Generation;
use crate::config::Location;
use crate::content::posting::Workplace;
use crate::diagnostic::{Diagnostic, Severity};
use crate::node::Example;
use crate::site::Job;
use serde_json::Value;
use std::path::Path;

pub fn check(generation: &Generation) -> Vec<Diagnostic> {
    let json_ld = crate::outputs::jsonld::all(&generation.site, &generation.renderer.urls);
    let mut out = organization(&json_ld);
    for (job, value) in generation.site.jobs.iter().zip(&json_ld) {
        if let Some(value) = value {
            out.extend(job_posting(generation, job, value));
        }
    }
    out
}

fn warning(d: Diagnostic) -> Diagnostic {
    d.with_severity(Severity::Warning)
}

/// `hiringOrganization`: the company's logo and website come from `site.toml`.
fn organization(json_ld: &[Option<Value>]) -> Vec<Diagnostic> {
    let Some(org) = json_ld
        .iter()
        .flatten()
        .next()
        .map(|v| &v["hiringOrganization"])
    else {
        return Vec::new();
    };
    let site_toml = Path::new(crate::layout::SITE_TOML);
    let mut out = Vec::new();
    if org.get("logo").is_none() {
        out.push(warning(
            Diagnostic::in_file(
                "jsonld-organization",
                site_toml,
                "[company] has no `logo`: Google shows the hiring organization's logo with each posting",
            )
            .with_hint("add logo = \"/logo.svg\" under [company] (a file in static/, or an absolute URL)"),
        ));
    }
    if org.get("sameAs").is_none() {
        out.push(warning(
            Diagnostic::in_file(
                "jsonld-organization",
                site_toml,
                "[company] has no `website`: Google uses it (sameAs) to tell which company is hiring",
            )
            .with_hint("add website = \"https://acme.example\" under [company]"),
        ));
    }
    out
}

fn job_posting(generation: &Generation, job: &Job, v: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    required(job, v, &mut out);
    workplace(job, v, &mut out);
    addresses(generation, job, v, &mut out);
    recommended(job, v, &mut out);
    out
}

/// What Google cannot do without: a description and somewhere to work.
fn required(job: &Job, v: &Value, out: &mut Vec<Diagnostic>) {
    let o = &job.posting.origin;
    if v["description"]
        .as_str()
        .is_none_or(|d| d.trim().is_empty())
    {
        out.push(
            o.at_key("jsonld-description", &["title"], "the posting has no body: Google requires the full job description")
                .with_hint("write the description below the front matter: the role, what the person will do, what they bring"),
        );
    }
}

/// Where the role is done: a jobLocation, or TELECOMMUTE for fully remote roles.
fn workplace(job: &Job, v: &Value, out: &mut Vec<Diagnostic>) {
    let p = &job.posting;
    let o = &p.origin;
    let remote = p.workplace == Some(Workplace::Remote);
    let countries = o
        .syntax
        .entry("remote_countries", Example::List(&["DE", "FR"]));
    let fully_remote = o.syntax.entry("workplace", Example::Text("remote"));
    if v.get("jobLocation").is_none() && v.get("jobLocationType").is_none() {
        let hint = if remote {
            format!(
                "a remote role needs `remote_countries` (where a hire may live, e.g. `{countries}`) or an office in `locations`"
            )
        } else {
            format!(
                "add `locations` with keys of [locations] in site.toml, or make it `{fully_remote}` with `remote_countries`"
            )
        };
        out.push(
            o.at_key(
                "jsonld-location",
                &["locations", "workplace", "title"],
                "the posting names no location: Google requires a jobLocation, or a fully remote role with the countries it can be done from",
            )
            .with_hint(hint),
        );
    } else if remote && p.remote_countries.is_empty() {
        out.push(warning(
            o.at_key(
                "jsonld-remote",
                &["workplace"],
                "a remote role without `remote_countries` is not marked as remote (TELECOMMUTE) for Google",
            )
            .with_hint(format!("add remote_countries with the ISO codes of the countries a hire may live in, e.g. `{countries}`")),
        ));
    }
    if !remote && !p.remote_countries.is_empty() {
        let what = match p.workplace {
            Some(Workplace::Onsite) => "an on-site role",
            Some(Workplace::Hybrid) => "a hybrid role",
            _ => &format!("a role without `{fully_remote}`"),
        };
        out.push(warning(
            o.at_key(
                "jsonld-remote",
                &["remote_countries"],
                format!("`remote_countries` on {what} is left out of the JSON-LD: only fully remote roles may be TELECOMMUTE"),
            )
            .with_hint(format!("remove remote_countries, or set {fully_remote} if the role is fully remote")),
        ));
    }
}

/// The parts of each office's address that Google asks for.
fn addresses(generation: &Generation, job: &Job, v: &Value, out: &mut Vec<Diagnostic>) {
    let p = &job.posting;
    let o = &p.origin;
    if let Some(places) = v.get("jobLocation") {
        let places: Vec<&Value> = match places {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        let locations: Vec<&Location> = p
            .locations
            .iter()
            .filter_map(|k| generation.site.config.location(k))
            .collect();
        for (place, location) in places.into_iter().zip(locations) {
            let missing: Vec<&str> = [
                ("streetAddress", "street"),
                ("addressLocality", "city"),
                ("addressRegion", "region"),
                ("postalCode", "postal_code"),
            ]
            .into_iter()
            .filter(|(property, _)| place["address"].get(*property).is_none())
            .map(|(_, key)| key)
            .collect();
            if missing.is_empty() {
                continue;
            }
            out.push(warning(
                o.at_key(
                    "jsonld-address",
                    &["locations"],
                    format!(
                        "location `{}` has no {}: Google asks for the full address of each workplace",
                        location.key,
                        missing.join(", ")
                    ),
                )
                .with_note(format!("defined in site.toml as [locations.{}]", location.key))
                .with_hint(format!(
                    "add {} to [locations.{}] in site.toml",
                    missing.join(", "),
                    location.key
                )),
            ));
        }
    }
}

/// Recommended properties: salary, employment type, closing date.
fn recommended(job: &Job, v: &Value, out: &mut Vec<Diagnostic>) {
    let p = &job.posting;
    let o = &p.origin;
    let syntax = o.syntax;
    if v.get("baseSalary").is_none() {
        let salary = syntax.table("salary");
        let d = match &p.salary {
            Some(_) => o
                .at_key(
                    "jsonld-salary",
                    &["salary"],
                    format!("{salary} has no `per`, so the JSON-LD leaves the salary out: Google needs its unit"),
                )
                .with_hint(format!(
                    "add {} (or hour, day, week, month) to {salary}",
                    syntax.entry("per", Example::Text("year"))
                )),
            None => o
                .at_key(
                    "jsonld-salary",
                    &["title"],
                    format!("the posting has no {salary}: Google recommends baseSalary, and candidates filter by it"),
                )
                .with_hint(format!("add {salary} with min, max, currency and per")),
        };
        out.push(warning(d));
    }
    if v.get("employmentType").is_none() {
        out.push(warning(
            o.at_key(
                "jsonld-employment-type",
                &["title"],
                "the posting has no `employment_type`: Google recommends employmentType",
            )
            .with_hint(format!(
                "add {} (or part-time, contract, temporary, internship, volunteer, per-diem, other)",
                syntax.entry("employment_type", Example::Text("full-time"))
            )),
        ));
    }
    if v.get("validThrough").is_none() {
        out.push(warning(
            o.at_key(
                "jsonld-valid-through",
                &["date"],
                "the posting has no `valid_through`: Google recommends validThrough, so it can drop the role once it closes",
            )
            .with_hint(format!(
                "add {}, the last day applications are accepted",
                syntax.entry("valid_through", Example::Plain("YYYY-MM-DD"))
            )),
        ));
    }
}
