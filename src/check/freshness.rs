//! Stale and soon-expiring postings: what a recruiter should look at before a
//! role quietly closes or sits unchanged for months. Drafts are left alone.
//!
//! Rules: `expiring-soon` (warning), `stale-posting` (warning), `expired-posting`
//! (info; a warning once it has been closed for longer than the max age).

use crate::diagnostic::{Diagnostic, Severity};
use crate::outputs::last_change;
use crate::site::Site;
use jiff::civil::Date;

/// What the time-dependent rules need.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub today: Date,
    /// Postings closing within this many days are reported.
    pub expiring_within_days: u32,
    /// Open postings older than this (since `updated`, else `date`) are stale.
    pub max_age_days: u32,
}

pub fn check(site: &Site, options: &Options) -> Vec<Diagnostic> {
    let today = options.today;
    let days_since = |date: jiff::civil::Date| (today - date).get_days();
    let mut out = Vec::new();
    for job in site.jobs.iter().filter(|j| !j.posting.draft) {
        let p = &job.posting;
        let o = &p.origin;
        if job.closed {
            let end = p.valid_through.expect("a closed posting has valid_through");
            let ago = days_since(end);
            let long_ago = ago > i32::try_from(options.max_age_days).unwrap_or(i32::MAX);
            out.push(
                o.at_key(
                    "expired-posting",
                    &["valid_through"],
                    format!("closed on {end} ({ago} days ago); its page stays up with a \"no longer open\" notice"),
                )
                .with_severity(if long_ago { Severity::Warning } else { Severity::Info })
                .with_hint("delete the file once old links no longer matter, or move valid_through if the role is open again"),
            );
            continue;
        }
        if let Some(end) = p.valid_through {
            let left = (end - today).get_days();
            if left <= i32::try_from(options.expiring_within_days).unwrap_or(i32::MAX) {
                let when = match left {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                };
                out.push(
                    o.at_key(
                        "expiring-soon",
                        &["valid_through"],
                        format!("closes on {end}, {when}"),
                    )
                    .with_severity(Severity::Warning)
                    .with_hint("move valid_through if the role is still open; otherwise it closes by itself"),
                );
            }
        }
        let changed = last_change(p);
        let age = days_since(changed);
        if age > i32::try_from(options.max_age_days).unwrap_or(i32::MAX) {
            let since = if p.updated.is_some() {
                "updated"
            } else {
                "posted"
            };
            out.push(
                o.at_key(
                    "stale-posting",
                    &["updated", "date"],
                    format!("{since} {age} days ago ({changed}), longer than the max age of {} days", options.max_age_days),
                )
                .with_severity(Severity::Warning)
                .with_hint("review the posting and set updated = today's date, close it with valid_through, or raise [check] max_age in site.toml"),
            );
        }
    }
    out
}
