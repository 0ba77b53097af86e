//! What every feed says of the site: which roles are listed and in what order,
//! a role's summary and last change, when the list last changed, and how dates
//! and amounts are written for machines.

use crate::content::Posting;
use crate::site::{Job, Site};
use jiff::civil::Date;

/// The roles every feed lists: open and not drafts, newest first (then by title).
pub fn listed(site: &Site) -> Vec<&Job> {
    let mut jobs: Vec<&Job> = open_published(site).collect();
    jobs.sort_by_cached_key(|j| {
        (
            std::cmp::Reverse(j.posting.posted()),
            j.posting.title.to_lowercase(),
        )
    });
    jobs
}

/// The open, published roles, in the site's order.
fn open_published(site: &Site) -> impl Iterator<Item = &Job> {
    site.jobs.iter().filter(|j| !j.closed && !j.posting.draft)
}

/// The day a posting last changed in a way readers care about: `updated`, else `date`.
pub fn last_change(p: &Posting) -> Date {
    p.updated.map_or(p.posted(), |u| u.max(p.posted()))
}

/// The one-sentence summary of a role: `summary`, else the start of its body.
pub fn summary(p: &Posting) -> String {
    p.summary
        .clone()
        .unwrap_or_else(|| crate::markdown::truncate(&p.first_paragraph, 160))
}

/// When the list of open roles last changed: the latest change of a listed role,
/// or the day after the latest closing (when a role left the list). `None` for a
/// site that has never had a published role.
pub fn site_updated(site: &Site) -> Option<Date> {
    let changes = open_published(site).map(|j| last_change(&j.posting));
    let closings = site
        .jobs
        .iter()
        .filter(|j| j.closed && !j.posting.draft)
        .filter_map(|j| j.posting.valid_through?.tomorrow().ok());
    changes.chain(closings).max()
}

/// A day as an RFC 3339 timestamp at midnight UTC (feeds want a time).
pub fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Whole amounts as JSON integers (`72000`, not `72000.0`).
pub fn number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        serde_json::json!(v as i64)
    } else {
        serde_json::json!(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_amounts_are_integers() {
        assert_eq!(number(72000.0).to_string(), "72000");
        assert_eq!(number(32.5).to_string(), "32.5");
    }
}
