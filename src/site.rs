//! The site model: which postings are published and which are open on a given day,
//! and the indexes derived from them (departments, locations). Pure data; no I/O.

use crate::config::Config;
use crate::content::{Content, Page, Posting, posting};
use crate::languages::Languages;
use jiff::civil::Date;
use std::collections::HashMap;
use std::sync::Arc;

/// What decides which postings are in the site.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Drafts, and postings scheduled with `publish_from`, are in the site too.
    pub drafts: bool,
    /// The day the site is built for: postings whose `valid_through` is before
    /// it are closed, those whose `publish_from` is after it not yet published.
    /// `None`: today in the site's time zone.
    pub today: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct Job {
    /// Shared with the content cache of `serve`, so a rebuild does not copy it.
    pub posting: Arc<Posting>,
    /// Past `valid_through`: the page stays, but the job is in no listing.
    pub closed: bool,
}

/// A department or location with the jobs under it.
#[derive(Debug, Clone)]
pub struct Group {
    pub slug: String,
    pub name: String,
    /// For locations, the `site.toml` key; for departments, the slug.
    pub key: String,
    /// Indexes into [`Site::jobs`] of every published job (open or closed).
    pub jobs: Vec<usize>,
    /// Indexes of the open ones.
    pub open: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// The day the site was built for.
    pub today: Date,
    /// Whether drafts and scheduled postings are in.
    pub drafts: bool,
    /// Published jobs sorted by department, then title, then slug.
    pub jobs: Vec<Job>,
    /// Published pages, sorted by weight, then title.
    pub pages: Vec<Page>,
    /// Departments with at least one published job, by name.
    pub departments: Vec<Group>,
    /// Locations with at least one published job, in `site.toml` order.
    pub locations: Vec<Group>,
    /// Postings that `publish_from` keeps out of the site until a later day
    /// (none with `drafts`, which lets them in): for `check`'s `opening-soon`.
    pub scheduled: Vec<Arc<Posting>>,
    /// Every language of the site and the pages each has (shared by the
    /// editions of a multilingual build).
    pub languages: Arc<Languages>,
    /// Which of them this site is in (an index into `languages.all`; 0 is
    /// the default language).
    pub language: usize,
}

impl Site {
    pub fn new(config: Config, content: Content, options: Options) -> Site {
        let today = options.today.unwrap_or_else(|| config.today());
        let drafts = options.drafts;
        let (postings, scheduled): (Vec<_>, Vec<_>) = content
            .postings
            .into_iter()
            .partition(|p| drafts || p.draft || p.publish_from.is_none_or(|opens| opens <= today));
        let jobs = published_jobs(postings, drafts, today);
        let pages = published_pages(content.pages, drafts);
        let mut departments = departments(&jobs);
        for g in &mut departments {
            g.name = config.department_name(&g.name).to_string();
        }
        departments.sort_by_key(|g| g.name.to_lowercase());
        let locations = locations(&config, &jobs);
        Site {
            languages: Arc::new(Languages::single(&config.language)),
            language: 0,
            config,
            today,
            drafts,
            jobs,
            pages,
            departments,
            locations,
            scheduled,
        }
    }

    /// This site with the postings of some jobs replaced, each by a posting that
    /// keeps the job's place (see [`same_place`]): the order and the groups stay.
    pub fn replacing(&self, replaced: &[(usize, Arc<Posting>)]) -> Site {
        let mut jobs = self.jobs.clone();
        for (i, posting) in replaced {
            jobs[*i].posting = posting.clone();
        }
        Site {
            config: self.config.clone(),
            today: self.today,
            drafts: self.drafts,
            jobs,
            pages: self.pages.clone(),
            departments: self.departments.clone(),
            locations: self.locations.clone(),
            scheduled: self.scheduled.clone(),
            languages: self.languages.clone(),
            language: self.language,
        }
    }

    /// The language this site is in.
    pub fn lang(&self) -> &crate::languages::Language {
        &self.languages.all[self.language]
    }

    pub fn open_jobs(&self) -> impl Iterator<Item = (usize, &Job)> {
        self.jobs.iter().enumerate().filter(|(_, j)| !j.closed)
    }

    pub fn department_of(&self, job: &Job) -> &Group {
        let slug = slug::slugify(&job.posting.department);
        self.departments
            .iter()
            .find(|g| g.slug == slug)
            .expect("every job's department is indexed")
    }
}

/// The postings published on `today`, sorted by department, then title, then slug.
fn published_jobs(postings: Vec<Arc<Posting>>, drafts: bool, today: Date) -> Vec<Job> {
    let mut jobs: Vec<Job> = postings
        .into_iter()
        .filter(|p| posting::is_published(p, drafts, today))
        .map(|posting| Job {
            closed: posting::is_closed(&posting, today),
            posting,
        })
        .collect();
    jobs.sort_by_cached_key(|j| {
        (
            j.posting.department.to_lowercase(),
            j.posting.title.to_lowercase(),
            j.posting.slug.clone(),
        )
    });
    jobs
}

/// The published pages (drafts too with `drafts`), sorted by weight, then title.
fn published_pages(pages: Vec<Page>, drafts: bool) -> Vec<Page> {
    let mut pages: Vec<Page> = pages.into_iter().filter(|p| drafts || !p.draft).collect();
    pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
    pages
}

/// The departments of `jobs`, by name. Departments whose names have the same
/// slug are one, named as its first job spells it.
fn departments(jobs: &[Job]) -> Vec<Group> {
    let mut departments: Vec<Group> = Vec::new();
    let mut department_at: HashMap<&str, usize> = HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        let at = *department_at
            .entry(job.posting.department.as_str())
            .or_insert_with(|| {
                let slug = slug::slugify(&job.posting.department);
                departments
                    .iter()
                    .position(|g| g.slug == slug)
                    .unwrap_or_else(|| {
                        departments.push(Group {
                            key: slug.clone(),
                            slug,
                            name: job.posting.department.clone(),
                            jobs: Vec::new(),
                            open: Vec::new(),
                        });
                        departments.len() - 1
                    })
            });
        add(&mut departments[at], i, job);
    }
    departments.sort_by_key(|g| g.name.to_lowercase());
    departments
}

/// The locations of `site.toml` that have jobs, in its order.
fn locations(config: &Config, jobs: &[Job]) -> Vec<Group> {
    let mut locations: Vec<Group> = config
        .locations
        .iter()
        .map(|l| Group {
            slug: l.key.clone(),
            key: l.key.clone(),
            name: l.name.clone(),
            jobs: Vec::new(),
            open: Vec::new(),
        })
        .collect();
    for (i, job) in jobs.iter().enumerate() {
        for key in &job.posting.locations {
            if let Some(group) = locations.iter_mut().find(|g| &g.key == key) {
                add(group, i, job);
            }
        }
    }
    locations.retain(|g| !g.jobs.is_empty());
    locations
}

fn add(group: &mut Group, index: usize, job: &Job) {
    group.jobs.push(index);
    if !job.closed {
        group.open.push(index);
    }
}

/// Whether `after` takes the place of `before` in `site`: the same slug,
/// department, title, locations, facets, and whether it is published and open.
pub fn same_place(before: &Posting, after: &Posting, site: &Site) -> bool {
    let (a, b) = (before, after);
    let published = |p: &Posting| posting::is_published(p, site.drafts, site.today);
    let closed = |p: &Posting| posting::is_closed(p, site.today);
    (&a.slug, &a.department, &a.title, &a.locations)
        == (&b.slug, &b.department, &b.title, &b.locations)
        && (a.workplace, a.employment_type) == (b.workplace, b.employment_type)
        && (published(a), closed(a)) == (published(b), closed(b))
}
