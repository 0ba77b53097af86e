//! Stale and soon-expiring postings: what a recruiter should look at before a
//! role quietly closes or sits unchanged for months. Drafts are left alone.
//!
//! Rules: `expiring-soon` (warning), `stale-posting` (warning), `expired-posting`
//! (info; a warning once it has been closed for longer than the max age),
//! `opening-soon` (info: a scheduled posting that opens within the same window
//! as `expiring-soon`, so a deploy log says what the next days change).

use crate::content::Posting;
use crate::diagnostic::{Diagnostic, Severity};
use crate::node::Example;
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
    /// Translations older than their original by more than this are stale.
    pub translation_lag_days: u32,
}

pub fn check(site: &Site, options: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for job in site.jobs.iter().filter(|j| !j.posting.draft) {
        let p = &job.posting;
        if job.closed {
            out.push(expired(p, options));
            continue;
        }
        out.extend(expiring_soon(p, options));
        out.extend(stale(p, options));
    }
    out.extend(
        site.scheduled
            .iter()
            .filter_map(|p| opening_soon(p, options)),
    );
    out
}

/// "today", "tomorrow" or "in N days".
fn in_days(n: i32) -> String {
    match n {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

/// `opening-soon`: a posting `publish_from` keeps back, opening within the window.
fn opening_soon(p: &Posting, options: &Options) -> Option<Diagnostic> {
    let opens = p.publish_from?;
    let left = (opens - options.today).get_days();
    if left > days(options.expiring_within_days) {
        return None;
    }
    Some(
        p.origin
            .at_key(
                "opening-soon",
                &["publish_from"],
                format!("opens on {opens}, {}", in_days(left)),
            )
            .with_severity(Severity::Info)
            .with_hint("a build on that day publishes it: keep the daily scheduled deploy on"),
    )
}

/// `limit` days as a signed count, saturating.
pub(super) fn days(limit: u32) -> i32 {
    i32::try_from(limit).unwrap_or(i32::MAX)
}

/// `expired-posting`: a closed posting, a warning once closed for longer than
/// the max age.
fn expired(p: &Posting, options: &Options) -> Diagnostic {
    let end = p.valid_through.expect("a closed posting has valid_through");
    let ago = (options.today - end).get_days();
    let long_ago = ago > days(options.max_age_days);
    p.origin
        .at_key(
            "expired-posting",
            &["valid_through"],
            format!("closed on {end} ({ago} days ago); its page stays up with a \"no longer open\" notice"),
        )
        .with_severity(if long_ago { Severity::Warning } else { Severity::Info })
        .with_hint("delete the file once old links no longer matter, or move valid_through if the role is open again")
}

/// `expiring-soon`: an open posting that closes within the configured days.
fn expiring_soon(p: &Posting, options: &Options) -> Option<Diagnostic> {
    let end = p.valid_through?;
    let left = (end - options.today).get_days();
    if left > days(options.expiring_within_days) {
        return None;
    }
    let when = in_days(left);
    Some(
        p.origin
            .at_key(
                "expiring-soon",
                &["valid_through"],
                format!("closes on {end}, {when}"),
            )
            .with_severity(Severity::Warning)
            .with_hint(
                "move valid_through if the role is still open; otherwise it closes by itself",
            ),
    )
}

/// `stale-posting`: an open posting unchanged for longer than the max age.
fn stale(p: &Posting, options: &Options) -> Option<Diagnostic> {
    let changed = last_change(p);
    let age = (options.today - changed).get_days();
    if age <= days(options.max_age_days) {
        return None;
    }
    let since = if p.updated.is_some() {
        "updated"
    } else {
        "posted"
    };
    Some(
        p.origin
            .at_key(
                "stale-posting",
                &["updated", "date"],
                format!("{since} {age} days ago ({changed}), longer than the max age of {} days", options.max_age_days),
            )
            .with_severity(Severity::Warning)
            .with_hint(format!(
                "review the posting and set {}, close it with valid_through, or raise [check] max_age in site.toml",
                p.origin.syntax.entry("updated", Example::Plain("today's date"))
            )),
    )
}
