//! `jobs.json`: every open role with all its facts, for other sites and scripts
//! (a company homepage's "We're hiring" box, an internal dashboard). Its shape is
//! documented in README.md and versioned by [`VERSION`]: fields are only ever
//! added within a version; renaming or removing one makes a new version.

use super::atom;
use super::common::{last_change, listed, number, site_updated, summary};
use crate::format::{self, Strings};
use crate::node::Keyword;
use crate::site::{Job, Site};
use crate::urls::Urls;
use serde::Serialize;
use std::io::{self, Write};

pub const PATH: &str = crate::urls::JOBS_JSON;

/// The schema version of `jobs.json`.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Feed<'a> {
    version: u32,
    title: String,
    home_page_url: String,
    feed_url: String,
    language: &'a str,
    updated: Option<String>,
    company: Company<'a>,
    jobs: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Company<'a> {
    name: &'a str,
    website: Option<&'a str>,
    logo: Option<String>,
    description: Option<&'a str>,
    same_as: &'a [String],
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    department: Named,
    team: Option<&'a str>,
    seniority: Option<&'a str>,
    employment_type: Option<&'static str>,
    workplace: Option<&'static str>,
    locations: Vec<Location<'a>>,
    remote_countries: &'a [String],
    date_posted: String,
    updated: String,
    valid_through: Option<String>,
    salary: Option<Salary>,
    apply: Apply<'a>,
    tags: &'a [String],
    summary: String,
    description_html: &'a str,
    description_text: &'a str,
}

#[derive(Serialize)]
struct Named {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Location<'a> {
    key: &'a str,
    name: &'a str,
    street: Option<&'a str>,
    postal_code: Option<&'a str>,
    city: Option<&'a str>,
    region: Option<&'a str>,
    country: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Salary {
    min: serde_json::Value,
    max: serde_json::Value,
    currency: String,
    per: Option<&'static str>,
    display: String,
}

#[derive(Serialize)]
struct Apply<'a> {
    /// `form` (the role page's own form) or `external` (`apply_url`).
    method: &'static str,
    url: std::borrow::Cow<'a, str>,
}

pub fn feed(site: &Site, urls: &Urls, strings: &Strings, out: &mut dyn Write) -> io::Result<()> {
    let c = &site.config;
    let feed = Feed {
        version: VERSION,
        title: atom::title(site, strings),
        home_page_url: urls.absolute(""),
        feed_url: urls.absolute(PATH),
        language: &c.language,
        updated: site_updated(site).map(|d| d.to_string()),
        company: Company {
            name: &c.company.name,
            website: c.company.website.as_deref(),
            logo: c.company.logo.as_deref().map(|l| urls.absolute_link(l)),
            description: c.company.description.as_deref(),
            same_as: &c.company.same_as,
        },
        jobs: listed(site)
            .into_iter()
            .map(|job| entry(site, urls, strings, job))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &feed)?;
    out.write_all(b"\n")
}

fn entry<'a>(site: &'a Site, urls: &Urls, strings: &Strings, job: &'a Job) -> Entry<'a> {
    let p = &job.posting;
    let url = urls.item_absolute(p.language.is_some(), &crate::urls::job(&p.slug));
    let department = site.department_of(job);
    Entry {
        id: &p.slug,
        title: &p.title,
        department: Named {
            name: department.name.clone(),
            url: urls.absolute(&crate::urls::department(&department.slug)),
        },
        team: p.team.as_deref(),
        seniority: p.seniority.as_deref(),
        employment_type: p.employment_type.map(Keyword::as_str),
        workplace: p.workplace.map(Keyword::as_str),
        locations: p
            .locations
            .iter()
            .filter_map(|key| site.config.location(key))
            .map(|l| Location {
                key: &l.key,
                name: &l.name,
                street: l.street.as_deref(),
                postal_code: l.postal_code.as_deref(),
                city: l.city.as_deref(),
                region: l.region.as_deref(),
                country: &l.country,
                url: urls.absolute(&crate::urls::location(&l.key)),
            })
            .collect(),
        remote_countries: &p.remote_countries,
        date_posted: p.posted().to_string(),
        updated: last_change(p).to_string(),
        valid_through: p.valid_through.map(|d| d.to_string()),
        salary: p.salary.as_ref().map(|s| Salary {
            min: number(s.min),
            max: number(s.max),
            currency: s.currency.clone(),
            per: s.per.map(Keyword::as_str),
            display: format::salary(strings, s),
        }),
        apply: match &p.apply_url {
            Some(external) => Apply {
                method: "external",
                url: external.into(),
            },
            None => Apply {
                method: "form",
                url: format!("{url}#apply").into(),
            },
        },
        url,
        tags: &p.tags,
        summary: summary(p),
        description_html: &p.content,
        description_text: &p.text,
    }
}
