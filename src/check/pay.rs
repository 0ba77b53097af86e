//! Pay transparency: a posting without `[salary]` that can be filled somewhere a
//! law requires pay in job ads. Where a role can be filled comes from its
//! locations (country, region, city) and, for remote hires, `remote_countries`.
//! A law counts when it is in force on `--today`, or takes effect before the
//! posting's `valid_through` (the ad will still be up then).
//!
//! Rule: `pay-transparency` (warning).

use super::jurisdictions::{self, Jurisdiction};
use crate::diagnostic::{Diagnostic, Severity};
use crate::site::Site;
use jiff::civil::Date;

pub fn check(site: &Site, today: Date) -> Vec<Diagnostic> {
    let table = jurisdictions::all();
    let mut out = Vec::new();
    for job in site.jobs.iter().filter(|j| !j.closed) {
        let p = &job.posting;
        if p.salary.is_some() {
            continue;
        }
        let live_until = p.valid_through.unwrap_or(today).max(today);
        let mut by_location = Vec::new();
        let mut by_remote = Vec::new();
        for j in table.iter().filter(|j| j.effective <= live_until) {
            let at_office = p
                .locations
                .iter()
                .filter_map(|k| site.config.location(k))
                .any(|l| j.contains(&l.country, l.region.as_deref(), l.city.as_deref()));
            if at_office {
                by_location.push(j);
            } else if p.remote_countries.iter().any(|c| j.within_country(c)) {
                by_remote.push(j);
            }
        }
        let key = if by_location.is_empty() {
            "remote_countries"
        } else {
            "locations"
        };
        let found: Vec<&Jurisdiction> = by_location.into_iter().chain(by_remote).collect();
        if found.is_empty() {
            continue;
        }
        let mut d = p
            .origin
            .at_key(
                "pay-transparency",
                &[key, "title"],
                format!(
                    "no {}, but this role can be filled in {}, where job ads must state the pay",
                    p.origin.syntax.table("salary"),
                    names(&found)
                ),
            )
            .with_severity(Severity::Warning)
            .with_hint(format!(
                "add {} with min, max, currency and per (a good-faith range for this role)",
                p.origin.syntax.table("salary")
            ));
        for j in &found {
            let when = if j.effective <= today {
                format!("since {}", j.effective)
            } else {
                format!("from {}, while this posting is still up", j.effective)
            };
            d = d.with_note(format!("{}: {} ({when}; {})", j.name, j.rule, j.source));
        }
        out.push(d);
    }
    out
}

/// "Colorado", "Colorado and California", "Colorado, California and 3 more".
fn names(found: &[&Jurisdiction]) -> String {
    match found {
        [one] => one.name.to_string(),
        [a, b] => format!("{} and {}", a.name, b.name),
        [a, b, rest @ ..] => format!("{}, {} and {} more", a.name, b.name, rest.len()),
        [] => String::new(),
    }
}
