//! `jobs.xml`: the open roles as an XML job feed in the format Indeed defined and
//! most aggregators read (`<source>` with one `<job>` per role and location, text
//! in CDATA sections). A role in several locations is listed once per location,
//! each with its own `referencenumber`, as the format asks.

use super::common::{listed, site_updated, summary, timestamp};
use super::xml::Xml;
use crate::config::Location;
use crate::content::posting::{EmploymentType, Workplace};
use crate::format::{self, Strings};
use crate::site::{Job, Site};
use crate::urls::Urls;
use std::io::{self, Write};

pub const PATH: &str = crate::urls::JOBS_XML;

pub fn feed(site: &Site, urls: &Urls, strings: &Strings, out: &mut dyn Write) -> io::Result<()> {
    let company = &site.config.company;
    let mut xml = Xml::new(out);
    xml.open("source", &[]);
    xml.text("publisher", &[], &company.name);
    xml.text(
        "publisherurl",
        &[],
        company.website.as_deref().unwrap_or(urls.base()),
    );
    if let Some(updated) = site_updated(site) {
        xml.text("lastBuildDate", &[], &timestamp(updated));
    }
    for job in listed(site) {
        let locations: Vec<&Location> = job
            .posting
            .locations
            .iter()
            .filter_map(|key| site.config.location(key))
            .collect();
        if locations.len() > 1 {
            for l in locations {
                let reference = format!("{}-{}", job.posting.slug, l.key);
                write_job(&mut xml, site, urls, strings, job, &reference, Some(l));
            }
        } else {
            let reference = job.posting.slug.clone();
            write_job(
                &mut xml,
                site,
                urls,
                strings,
                job,
                &reference,
                locations.first().copied(),
            );
        }
    }
    xml.close("source");
    xml.finish()
}

fn write_job(
    xml: &mut Xml<impl Write>,
    site: &Site,
    urls: &Urls,
    strings: &Strings,
    job: &Job,
    reference: &str,
    location: Option<&Location>,
) {
    let p = &job.posting;
    xml.open("job", &[]);
    xml.cdata("title", &p.title);
    xml.cdata("date", &timestamp(p.posted()));
    xml.cdata("referencenumber", reference);
    xml.cdata("requisitionid", &p.slug);
    xml.cdata("url", &urls.absolute(&crate::urls::job(&p.slug)));
    xml.cdata("company", &site.config.company.name);
    xml.cdata("sourcename", &site.config.company.name);
    if let Some(l) = location {
        for (name, value) in [
            ("city", l.city.as_deref()),
            ("state", l.region.as_deref()),
            ("country", Some(l.country.as_str())),
            ("postalcode", l.postal_code.as_deref()),
            ("streetaddress", l.street.as_deref()),
        ] {
            if let Some(value) = value {
                xml.cdata(name, value);
            }
        }
    } else if let [country] = p.remote_countries.as_slice() {
        xml.cdata("country", country);
    }
    xml.cdata("description", &p.content);
    let text = summary(p);
    if !text.is_empty() {
        xml.cdata("summary", &text);
    }
    if let Some(salary) = &p.salary {
        xml.cdata("salary", &format::salary(strings, salary));
    }
    if let Some(kind) = p.employment_type.and_then(job_type) {
        xml.cdata("jobtype", kind);
    }
    xml.cdata("category", &p.department);
    if let Some(end) = p.valid_through {
        xml.cdata("expirationdate", &end.to_string());
    }
    match p.workplace {
        Some(Workplace::Remote) => xml.cdata("remotetype", "Fully remote"),
        Some(Workplace::Hybrid) => xml.cdata("remotetype", "Hybrid remote"),
        _ => {}
    }
    xml.close("job");
}

/// The job board's `jobtype` word; types it has no word for are left out.
fn job_type(kind: EmploymentType) -> Option<&'static str> {
    match kind {
        EmploymentType::FullTime => Some("fulltime"),
        EmploymentType::PartTime => Some("parttime"),
        EmploymentType::Contract => Some("contract"),
        EmploymentType::Temporary => Some("temporary"),
        EmploymentType::Internship => Some("internship"),
        EmploymentType::Volunteer => Some("volunteer"),
        EmploymentType::PerDiem | EmploymentType::Other => None,
    }
}
