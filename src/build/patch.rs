//! The quick rebuild of `serve` for the most common edit: postings saved with
//! new text but in the same place in the site (same slug, department, title,
//! locations, facets and status). The last generation is copied with those jobs'
//! values and the pages that show them made again; nothing is sorted, grouped or
//! compared across the whole site. Anything else goes through the full rebuild
//! of [`super::incremental`], which gives the same result.

use super::Generation;
use crate::content::{self, Posting};
use crate::render::job_values;
use crate::site::{self, Site};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// The postings an edit may replace, read from the content cache before it is
/// refreshed; `None` when a changed file is not a posting of the last generation.
pub struct Before(Vec<(PathBuf, usize)>);

impl Before {
    pub fn of(last: &Generation, cache: &content::Cache, paths: &[PathBuf]) -> Option<Before> {
        let jobs = &last.site.jobs;
        paths
            .iter()
            .map(|rel| {
                let posting = cache.posting(rel)?;
                let at = jobs.iter().position(|j| Arc::ptr_eq(&j.posting, posting))?;
                Some((rel.clone(), at))
            })
            .collect::<Option<Vec<_>>>()
            .map(Before)
    }
}

/// The next generation after the files of `before` were read again into `cache`,
/// or `None` when one of them moved in the site (or changed a global), which needs
/// the full rebuild.
pub fn apply(
    last: &Generation,
    before: &Before,
    cache: &content::Cache,
) -> Option<(Generation, HashSet<String>)> {
    let replaced: Option<Vec<(usize, Arc<Posting>)>> = before
        .0
        .iter()
        .map(|(rel, at)| Some((*at, cache.posting(rel)?.clone())))
        .collect();
    replace(last, &replaced?)
}

/// The paths of the originals `before` names (relative to the site root).
pub fn originals(before: &Before) -> impl Iterator<Item = &PathBuf> {
    before.0.iter().map(|(rel, _)| rel)
}

/// `last` with the postings of some jobs replaced (job index, new posting),
/// each in the same place in the site; `None` when one moved (or a global
/// changed), which needs the full rebuild. The generation of a further
/// language is patched the same way, with the postings as that language has
/// them.
pub fn replace(
    last: &Generation,
    replaced: &[(usize, Arc<Posting>)],
) -> Option<(Generation, HashSet<String>)> {
    for (at, after) in replaced {
        if !site::same_place(&last.site.jobs[*at].posting, after, &last.site) {
            return None;
        }
    }
    let site: Site = last.site.replacing(replaced);
    let jobs: Vec<usize> = replaced.iter().map(|(at, _)| *at).collect();
    // Every other job keeps its values; a replaced one keeps them when they come out the same.
    let mut values = last.renderer.jobs().clone();
    values.kept.fill(true);
    let (urls, strings) = (&last.renderer.urls, last.renderer.words());
    for &i in &jobs {
        let (view, script) = job_values(&site, urls, &strings, &site.jobs[i]);
        values.kept[i] = view == values.views[i] && script == values.scripts[i];
        if !values.kept[i] {
            (values.views[i], values.scripts[i]) = (view, script);
        }
    }
    let renderer = last.renderer.with_jobs(&site, values)?;

    let mut changed = HashSet::new();
    let pages = last
        .pages
        .iter()
        .map(|page| {
            if !page.shows.iter().any(|i| jobs.contains(i)) {
                let mut kept = page.clone();
                kept.fresh = false;
                return kept;
            }
            let page = renderer.page(&site, page.number);
            if page.fresh {
                changed.insert(page.path.clone());
            }
            page
        })
        .collect();
    let generation = Generation {
        site: Arc::new(site),
        renderer: Arc::new(renderer),
        pages,
        files: last.files.clone(),
        generated: last.generated.clone(),
        translations: last.translations.clone(),
    };
    Some((generation, changed))
}
