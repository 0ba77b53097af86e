//! What a rebuild keeps of the last build's job values: the view and JobPosting
//! script of every posting whose file did not change, or whose values come out
//! the same, when its department and locations look as they did. Making a
//! role's view is most of the work of a listing; on a big site a one-posting
//! edit redoes one. Used by `incremental` only, with the same configuration and
//! theme strings as the last build (otherwise nothing is kept).

use super::Generation;
use crate::format::Strings;
use crate::outputs::jsonld::Script;
use crate::render::{JobValues, group_keys, group_views, job_values};
use crate::site::{Job, Site};
use crate::urls::Urls;
use minijinja::Value;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The job values of `site`, taken from `last` where they cannot differ.
pub fn job_values_after(
    last: &Generation,
    site: &Site,
    urls: &Urls,
    strings: &Strings,
) -> JobValues {
    let before = &last.renderer.jobs();
    // Keyed by the address of the shared posting: the same `Arc` means the same
    // file. A posting read again (saved without a change, or only in ways its
    // view does not show) is found by its slug and its values compared.
    let jobs = last.site.jobs.iter().enumerate();
    let by_address: HashMap<usize, usize> = jobs
        .clone()
        .map(|(i, j)| (Arc::as_ptr(&j.posting) as usize, i))
        .collect();
    let by_slug: HashMap<&str, usize> = jobs.map(|(i, j)| (j.posting.slug.as_str(), i)).collect();
    // A job's view shows its department's name and its locations: where one
    // of those changed, an unchanged posting's view did too.
    let earlier_groups = group_views(&last.site, urls);
    let moved_groups: HashSet<String> = group_views(site, urls)
        .into_iter()
        .filter(|(key, view)| earlier_groups.get(key) != Some(view))
        .map(|(key, _)| key)
        .collect();
    let in_moved_group = |j: &Job| {
        !moved_groups.is_empty() && group_keys(site, j).any(|key| moved_groups.contains(&key))
    };
    let earlier = |i: usize| (before.views[i].clone(), before.scripts[i].clone());
    let made: Vec<(Value, Option<Arc<Script>>, bool)> = site
        .jobs
        .par_iter()
        .map(|j| {
            let same_file = by_address.get(&(Arc::as_ptr(&j.posting) as usize));
            if let Some(&i) = same_file.filter(|_| !in_moved_group(j)) {
                let (view, script) = earlier(i);
                return (view, script, true);
            }
            let (view, script) = job_values(site, urls, strings, j);
            match by_slug.get(j.posting.slug.as_str()).map(|&i| earlier(i)) {
                Some(before) if before == (view.clone(), script.clone()) => {
                    (before.0, before.1, true)
                }
                _ => (view, script, false),
            }
        })
        .collect();
    let mut values = JobValues::default();
    for (view, script, kept) in made {
        values.push(view, script, kept);
    }
    values
}
