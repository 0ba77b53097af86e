//! schema.org `JobPosting` structured data for Google for Jobs, one object per
//! open role, following Google's JobPosting documentation: required properties
//! always, recommended ones whenever the posting has them, and only values that
//! the role page shows. Listings and closed roles get none.
//!
//! The object is put into the page by the theme (`json_ld` in `job.html`) as text
//! from [`script_text`], which is safe inside a `<script>` element.

use super::common::number;
use crate::config::Location;
use crate::content::posting::{EmploymentType, Per, Posting, Salary, Workplace};
use crate::site::{Job, Site};
use crate::urls::Urls;
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// One JobPosting per job of [`Site::jobs`]: `Some` for open roles (drafts too,
/// which the theme leaves out of their page), `None` for closed ones.
pub fn all(site: &Site, urls: &Urls) -> Vec<Option<Value>> {
    site.jobs
        .par_iter()
        .map(|job| (!job.closed).then(|| job_posting(site, urls, job)))
        .collect()
}

/// The JobPosting of one role.
pub fn job_posting(site: &Site, urls: &Urls, job: &Job) -> Value {
    let p = &job.posting;
    let mut out = Map::new();
    out.insert("@context".into(), json!("https://schema.org/"));
    out.insert("@type".into(), json!("JobPosting"));
    out.insert("title".into(), json!(p.title));
    out.insert("description".into(), json!(&*p.content));
    out.insert("datePosted".into(), json!(p.posted().to_string()));
    if let Some(end) = p.valid_through {
        // Open through the whole of its last day, as the page says.
        out.insert("validThrough".into(), json!(format!("{end}T23:59:59")));
    }
    out.insert(
        "url".into(),
        json!(urls.item_absolute(p.language.is_some(), &crate::urls::job(&p.slug))),
    );
    out.insert("hiringOrganization".into(), organization(site, urls));
    out.insert(
        "identifier".into(),
        json!({
            "@type": "PropertyValue",
            "name": site.config.company.name,
            "value": p.slug,
        }),
    );
    if let Some(kind) = p.employment_type {
        out.insert("employmentType".into(), json!(employment_type(kind)));
    }
    if let Some(places) = job_location(site, p) {
        out.insert("jobLocation".into(), places);
    }
    if is_telecommute(p) {
        out.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        out.insert(
            "applicantLocationRequirements".into(),
            applicant_countries(p),
        );
    }
    if let Some(salary) = p.salary.as_ref().and_then(base_salary) {
        out.insert("baseSalary".into(), salary);
    }
    // The embedded form is a direct application; an outside `apply_url` is not.
    out.insert("directApply".into(), json!(p.apply_url.is_none()));
    Value::Object(out)
}

/// `jobLocation`: the posting's places (one, or a list); `None` without any.
fn job_location(site: &Site, p: &Posting) -> Option<Value> {
    let places: Vec<Value> = p
        .locations
        .iter()
        .filter_map(|key| site.config.location(key))
        .map(place)
        .collect();
    (!places.is_empty()).then(|| one_or_many(places))
}

/// `applicantLocationRequirements` of a remote role: the countries a hire may live in.
fn applicant_countries(p: &Posting) -> Value {
    let countries: Vec<Value> = p
        .remote_countries
        .iter()
        .map(|code| json!({ "@type": "Country", "name": country_name(code) }))
        .collect();
    one_or_many(countries)
}

/// `baseSalary`: the pay as a MonetaryAmount; `None` when it says not per what.
fn base_salary(salary: &Salary) -> Option<Value> {
    let per = salary.per?;
    let mut value = Map::new();
    value.insert("@type".into(), json!("QuantitativeValue"));
    if salary.min == salary.max {
        value.insert("value".into(), number(salary.min));
    } else {
        value.insert("minValue".into(), number(salary.min));
        value.insert("maxValue".into(), number(salary.max));
    }
    value.insert("unitText".into(), json!(unit_text(per)));
    Some(json!({ "@type": "MonetaryAmount", "currency": salary.currency, "value": value }))
}

/// True when Google should see the role as work from home: fully remote, with
/// the countries a hire may live in. Hybrid and on-site roles never are.
pub fn is_telecommute(p: &Posting) -> bool {
    p.workplace == Some(Workplace::Remote) && !p.remote_countries.is_empty()
}

/// Google's `employmentType` value.
pub fn employment_type(kind: EmploymentType) -> &'static str {
    match kind {
        EmploymentType::FullTime => "FULL_TIME",
        EmploymentType::PartTime => "PART_TIME",
        EmploymentType::Contract => "CONTRACTOR",
        EmploymentType::Temporary => "TEMPORARY",
        EmploymentType::Internship => "INTERN",
        EmploymentType::Volunteer => "VOLUNTEER",
        EmploymentType::PerDiem => "PER_DIEM",
        EmploymentType::Other => "OTHER",
    }
}

/// Google's `unitText` value.
pub fn unit_text(per: Per) -> &'static str {
    match per {
        Per::Hour => "HOUR",
        Per::Day => "DAY",
        Per::Week => "WEEK",
        Per::Month => "MONTH",
        Per::Year => "YEAR",
    }
}

/// The English name of an ISO 3166-1 code, as the role page shows it.
pub fn country_name(code: &str) -> String {
    code.parse::<iso_country::Country>()
        .map_or_else(|_| code.to_string(), |c| c.name().to_string())
}

fn organization(site: &Site, urls: &Urls) -> Value {
    let company = &site.config.company;
    let mut org = Map::new();
    org.insert("@type".into(), json!("Organization"));
    org.insert("name".into(), json!(company.name));
    let same_as: Vec<Value> = company
        .website
        .iter()
        .chain(&company.same_as)
        .map(|u| json!(u))
        .collect();
    if !same_as.is_empty() {
        org.insert("sameAs".into(), one_or_many(same_as));
    }
    if let Some(logo) = &company.logo {
        org.insert("logo".into(), json!(urls.absolute_link(logo)));
    }
    Value::Object(org)
}

fn place(l: &Location) -> Value {
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    for (key, value) in [
        ("streetAddress", &l.street),
        ("addressLocality", &l.city),
        ("addressRegion", &l.region),
        ("postalCode", &l.postal_code),
    ] {
        if let Some(v) = value {
            address.insert(key.into(), json!(v));
        }
    }
    address.insert("addressCountry".into(), json!(l.country));
    json!({ "@type": "Place", "address": address })
}

fn one_or_many(mut items: Vec<Value>) -> Value {
    if items.len() == 1 {
        items.remove(0)
    } else {
        Value::Array(items)
    }
}

/// A role's [`script_text`], held until its page is written as the text around
/// the description and the posting's own description: the description is most
/// of the script, and a build holds every open role's script at once.
#[derive(Debug, PartialEq)]
pub struct Script {
    head: String,
    description: Arc<str>,
    tail: String,
}

/// Stands for the description while the rest is written. The keys before
/// `description` (sorted) carry no free text, so its first appearance is
/// the description's place.
const DESCRIPTION: &str = "\u{0}openings:description\u{0}";

impl Script {
    /// The script of a role's JobPosting.
    pub fn new(site: &Site, urls: &Urls, job: &Job) -> Script {
        let mut value = job_posting(site, urls, job);
        value["description"] = json!(DESCRIPTION);
        let text = script_text(&value);
        let marker = script_text(&json!(DESCRIPTION));
        let at = text
            .find(&marker)
            .expect("the JobPosting has a description");
        Script {
            head: text[..at].to_string(),
            description: job.posting.content.clone(),
            tail: text[at + marker.len()..].to_string(),
        }
    }

    /// The text to put inside the `<script>` element.
    pub fn text(&self) -> String {
        let description = serde_json::to_string(&*self.description).expect("strings serialise");
        [
            self.head.as_str(),
            &safe_in_script(&description),
            &self.tail,
        ]
        .concat()
    }
}

/// The JSON text to put inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` are written as JSON escapes, so no value can close the element or
/// start a comment, and the JSON means exactly the same.
pub fn script_text(value: &Value) -> String {
    // Sized for a role's description, so that the text is not copied as it grows.
    let mut json = Vec::with_capacity(16 * 1024);
    serde_json::to_writer(&mut json, value).expect("JSON values always serialise");
    safe_in_script(&String::from_utf8(json).expect("serde_json writes UTF-8"))
}

/// JSON text with `<`, `>` and `&` written as JSON escapes.
fn safe_in_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    let mut rest = json;
    // The three are ASCII, so every split falls between characters.
    while let Some(at) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_script_element() {
        let value = json!({ "title": "</script><b>\"Red Team\" & Co" });
        let text = script_text(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
