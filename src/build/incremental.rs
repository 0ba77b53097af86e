//! Builds for a long-running process (`serve`): the same stages as [`super::build`],
//! keeping between builds what did not change (parsed content files, the theme,
//! views of unchanged postings), and telling which pages a change affects.
//! Postings edited in place take the quicker path of `super::patch`.
//!
//! Not the watcher: it is told what changed, as [`Changes`].

use super::{Generation, Options, editions, load_config, patch, reuse};
use crate::config::Config;
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::format::Strings;
use crate::render::theme::{self, Theme};
use crate::render::{JobValues, PageJob, Renderer, deps};
use crate::site::Site;
use crate::urls::Urls;
use minijinja::Value;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// What changed on disk since the last build.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml`: everything is read again.
    pub config: bool,
    /// Templates, static files or theme strings (the site's own or a theme's).
    pub theme: bool,
    /// Content files (relative to the root) written, created or removed.
    pub content: BTreeSet<PathBuf>,
    /// `content/` must be walked again (a folder moved, or events were lost).
    pub rescan: bool,
    /// The day changed (see [`Incremental::set_today`]): which postings are
    /// published and open is decided again, from the inputs already read.
    pub day: bool,
}

impl Changes {
    /// Everything, as for a first build.
    pub fn everything() -> Changes {
        Changes {
            config: true,
            theme: true,
            content: BTreeSet::new(),
            rescan: true,
            day: true,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Adds the changes of `other`.
    pub fn merge(&mut self, other: &Changes) {
        self.config |= other.config;
        self.theme |= other.theme;
        self.rescan |= other.rescan;
        self.day |= other.day;
        self.content.extend(other.content.iter().cloned());
    }
}

/// Pages whose bytes may differ from the previous generation's, and new pages.
pub type Changed = HashSet<String>;

/// The caches of one site between builds.
pub struct Incremental {
    options: Options,
    config: Option<Config>,
    content: content::Cache,
    theme: Option<Theme>,
    /// The theme of each further language (see `editions`).
    themes: Vec<Theme>,
    /// Changes not yet built successfully (a failed build leaves them for the next).
    pending: Changes,
    last: Option<Arc<Generation>>,
    /// The last rebuild took the quick path of `patch`.
    quick: bool,
}

impl Incremental {
    pub fn new(options: Options) -> Incremental {
        Incremental {
            options,
            config: None,
            content: content::Cache::default(),
            theme: None,
            themes: Vec::new(),
            pending: Changes::everything(),
            last: None,
            quick: false,
        }
    }

    /// The day the site is built for from now on; `true` when it differs from
    /// the day of the last build (then rebuild with [`Changes::day`]).
    pub fn set_today(&mut self, today: jiff::civil::Date) -> bool {
        let before = self.last.as_ref().map(|g| g.site.today);
        self.options.site.today = Some(today);
        before.is_some_and(|d| d != today)
    }

    /// Runs the build stages again for `changes` (and whatever an earlier failed
    /// rebuild left): the next generation and the pages it changed, or every
    /// problem found when the site does not build.
    pub fn rebuild(
        &mut self,
        changes: &Changes,
    ) -> Result<(Arc<Generation>, Changed), Vec<Diagnostic>> {
        self.pending.merge(changes);
        let todo = self.pending.clone();
        self.quick = false;
        let config_changed = todo.config || self.config.is_none();
        if config_changed {
            self.config = Some(load_config(&self.options)?);
        }
        let mut problems = Vec::new();
        if let Some((generation, changed, originals)) =
            self.read_content(&todo, config_changed, &mut problems)
        {
            self.quick = true;
            let (mut generation, mut changed) = (generation, changed);
            if !self
                .config
                .as_ref()
                .expect("loaded above")
                .languages
                .is_empty()
            {
                let content = self.content.content()?;
                let (translations, more) = match self.patch_translations(&content, &originals) {
                    Some(patched) => patched,
                    None => {
                        let languages = generation.site.languages.clone();
                        self.translations(&content, &languages, true)?
                    }
                };
                generation.translations = translations;
                changed.extend(more);
            }
            return Ok(self.done(generation, changed));
        }
        let strings_before = self.theme.as_ref().map(|t| t.strings.clone());
        let themes_before = self.themes.clone();
        if config_changed || todo.theme || self.theme.is_none() {
            let config = self.config.as_ref().expect("loaded above");
            match theme::load(&self.options.root, config) {
                Ok(theme) => {
                    match editions::themes(&theme, config) {
                        Ok(themes) => self.themes = themes,
                        Err(d) => problems.extend(d),
                    }
                    self.theme = Some(theme);
                }
                Err(d) => {
                    self.theme = None;
                    problems.extend(d);
                }
            }
        }
        let content = match self.content.content() {
            Ok(content) if problems.is_empty() => content,
            other => {
                problems.extend(other.err().into_iter().flatten());
                diagnostic::sort(&mut problems);
                return Err(problems);
            }
        };
        let theme = self.theme.as_ref().expect("loaded above");
        let config = self.config.as_ref().expect("loaded above");
        let drafts = self.options.site.drafts;
        let languages = editions::languages(config, &content, drafts, theme, &self.themes);
        // Job values are kept for the same configuration, strings and day (a new
        // day may close or open any posting).
        let same_strings = strings_before.as_ref() == Some(&theme.strings);
        let reusable = !config_changed && same_strings && !todo.day;
        let same_themes = themes_before.len() == self.themes.len()
            && themes_before
                .iter()
                .zip(&self.themes)
                .all(|(a, b)| a.strings == b.strings);
        let (translations, more) =
            self.translations(&content, &languages, reusable && same_themes)?;
        let mut site = Site::new(config.clone(), content, self.options.site);
        site.languages = languages;
        let last = self.last.as_ref().filter(|_| reusable);
        let renderer = Renderer::new(&site, theme.clone(), |urls, strings| match last {
            Some(last) => reuse::job_values_after(last, &site, urls, strings),
            None => JobValues::fresh(&site, urls, strings),
        })?;
        let mut generation = Generation::new(site, renderer)?;
        let mut changed = match &self.last {
            Some(last) => changed_pages(last, &generation),
            None => generation.pages.iter().map(|p| p.path.clone()).collect(),
        };
        generation.translations = translations;
        changed.extend(more);
        Ok(self.done(generation, changed))
    }

    /// The generation of every further language, made anew from `content`,
    /// and which of their pages differ from the last build's. The last
    /// build's job values are kept where they cannot differ when `reusable`
    /// (the same configuration, strings and day).
    fn translations(
        &self,
        content: &content::Content,
        languages: &Arc<crate::languages::Languages>,
        reusable: bool,
    ) -> Result<(Vec<Arc<Generation>>, Changed), Vec<Diagnostic>> {
        let config = self.config.as_ref().expect("loaded before");
        let mut changed = Changed::new();
        if config.languages.is_empty() {
            return Ok((Vec::new(), changed));
        }
        let last = self.last.as_deref().filter(|_| reusable);
        let values = |i: usize, site: &Site, urls: &Urls, strings: &Strings| match last
            .and_then(|g| g.translations.get(i))
        {
            Some(before) => reuse::job_values_after(before, site, urls, strings),
            None => JobValues::fresh(site, urls, strings),
        };
        let options = self.options.site;
        let translations =
            editions::translations(config, content, &self.themes, languages, options, &values)?;
        for (i, t) in translations.iter().enumerate() {
            match self.last.as_ref().and_then(|l| l.translations.get(i)) {
                Some(before) => changed.extend(changed_pages(before, t)),
                None => changed.extend(t.pages.iter().map(|p| p.path.clone())),
            }
        }
        Ok((translations, changed))
    }

    /// Reads the content files the changes name (all of them after a change to
    /// `site.toml` or a rescan); what keeps the folder from being read goes to
    /// `problems`. Postings edited in place come back as the next generation at
    /// once, by the quick path of `patch`; otherwise `None`.
    fn read_content(
        &mut self,
        todo: &Changes,
        config_changed: bool,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<(Generation, Changed, Vec<PathBuf>)> {
        let edited = !config_changed && !todo.rescan && !todo.content.is_empty() && !todo.day;
        if edited {
            let paths: Vec<PathBuf> = todo.content.iter().cloned().collect();
            if let Some(quick) = self.translations_edited(todo, &paths) {
                return Some(quick);
            }
        }
        let root = &self.options.root;
        let config = self.config.as_ref().expect("loaded before");
        if config_changed {
            // Postings are validated against the configuration (location keys).
            match content::Cache::scan(root, config, content::Sources::Whole) {
                Ok(cache) => self.content = cache,
                Err(d) => problems.extend(d),
            }
        } else if todo.rescan {
            if let Err(d) = self.content.rescan(root, config) {
                problems.extend(d);
            }
        } else if !todo.content.is_empty() && !todo.day {
            let paths: Vec<PathBuf> = todo.content.iter().cloned().collect();
            let before = self
                .last
                .as_ref()
                .filter(|_| !todo.theme)
                .and_then(|last| patch::Before::of(last, &self.content, &paths));
            self.content.refresh(root, config, &paths);
            let last = self.last.as_ref();
            let before = before?;
            let (generation, changed) = patch::apply(last?, &before, &self.content)?;
            let originals = patch::originals(&before).cloned().collect();
            return Some((generation, changed, originals));
        }
        None
    }

    /// When every file of `paths` is a posting's translation that was read
    /// before and is one still (edited in place): the default language as
    /// it was, and the originals whose translations changed, for
    /// [`Incremental::patch_translations`]. Reads the files again either way
    /// it goes further.
    fn translations_edited(
        &mut self,
        todo: &Changes,
        paths: &[PathBuf],
    ) -> Option<(Generation, Changed, Vec<PathBuf>)> {
        let last = self.last.clone().filter(|_| !todo.theme)?;
        let was: Option<Vec<PathBuf>> = paths
            .iter()
            .map(|rel| {
                let original = self.content.original_of(rel)?;
                content::is_posting(original).then(|| original.to_path_buf())
            })
            .collect();
        let was = was?;
        let config = self.config.as_ref().expect("loaded before");
        self.content.refresh(&self.options.root, config, paths);
        let still = paths
            .iter()
            .zip(&was)
            .all(|(rel, original)| self.content.original_of(rel) == Some(original.as_path()));
        if !still {
            return None;
        }
        let same = Generation {
            site: last.site.clone(),
            renderer: last.renderer.clone(),
            pages: last.pages.clone(),
            files: last.files.clone(),
            generated: last.generated.clone(),
            translations: last.translations.clone(),
        };
        Some((same, Changed::new(), was))
    }

    /// The last build's further languages with the postings at `originals`
    /// (edited in place, patched into the default language) replaced as each
    /// language has them now: the translation merged anew, or the original
    /// itself where there is none. `None` when a role moved in one of them,
    /// which needs [`Incremental::translations`].
    fn patch_translations(
        &self,
        content: &content::Content,
        originals: &[PathBuf],
    ) -> Option<(Vec<Arc<Generation>>, Changed)> {
        let last = self.last.as_ref()?;
        let drafts = self.options.site.drafts;
        let mut translations = Vec::new();
        let mut changed = Changed::new();
        for before in &last.translations {
            let translated = content.translated.get(&before.site.lang().tag);
            let mut replaced = Vec::new();
            for rel in originals {
                let original = self.content.posting(rel)?;
                let posting = translated
                    .and_then(|t| t.posting(rel, drafts))
                    .unwrap_or(original);
                let at = before
                    .site
                    .jobs
                    .iter()
                    .position(|j| j.posting.slug == posting.slug)?;
                replaced.push((at, posting.clone()));
            }
            let (generation, more) = patch::replace(before, &replaced)?;
            translations.push(Arc::new(generation));
            changed.extend(more);
        }
        Some((translations, changed))
    }

    /// Records a successful rebuild.
    fn done(&mut self, generation: Generation, changed: Changed) -> (Arc<Generation>, Changed) {
        let generation = Arc::new(generation);
        self.pending = Changes::default();
        self.last = Some(generation.clone());
        (generation, changed)
    }

    /// Whether the last rebuild took the quick path (tests tell the paths apart by it).
    #[cfg(test)]
    pub fn was_quick(&self) -> bool {
        self.quick
    }
}

/// The pages of `new` whose bytes may differ from those of `old`: new pages, pages
/// whose template or a template it uses changed, pages whose templates read a
/// global whose value changed, and pages whose own context changed.
pub fn changed_pages(old: &Generation, new: &Generation) -> HashSet<String> {
    let old_sources: BTreeMap<&str, &str> = old.renderer.template_sources().collect();
    let new_sources: BTreeMap<&str, &str> = new.renderer.template_sources().collect();
    let changed_templates: BTreeSet<&str> = old_sources
        .keys()
        .chain(new_sources.keys())
        .copied()
        .filter(|name| old_sources.get(name) != new_sources.get(name))
        .collect();
    let changed_globals: BTreeSet<&str> = new
        .renderer
        .global_names()
        .chain(old.renderer.global_names())
        .filter(|name| old.renderer.global(name) != new.renderer.global(name))
        .collect();

    let mut template_changed: HashMap<&str, bool> = HashMap::new();
    for page in &new.pages {
        template_changed.entry(page.template).or_insert_with(|| {
            let uses = deps::closure(page.template, &new_sources);
            uses.iter().any(|t| changed_templates.contains(t.as_str()))
                || (!changed_globals.is_empty()
                    && uses.iter().any(|t| {
                        new.renderer
                            .undeclared(t)
                            .iter()
                            .any(|g| changed_globals.contains(g.as_str()))
                    }))
        });
    }

    // The same jobs: the same slugs, in the same order.
    let same_jobs = |a: &[usize], b: &[usize]| {
        let (old_jobs, new_jobs) = (&old.site.jobs, &new.site.jobs);
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(&x, &y)| old_jobs[x].posting.slug == new_jobs[y].posting.slug)
    };
    let old_pages: HashMap<&str, &PageJob> =
        old.pages.iter().map(|p| (p.path.as_str(), p)).collect();
    new.pages
        .par_iter()
        .filter(|page| {
            template_changed[page.template]
                || old_pages.get(page.path.as_str()).is_none_or(|before| {
                    before.template != page.template
                        || page.fresh
                        || !same_jobs(&before.shows, &page.shows)
                        || !same_besides_jobs(&before.context, &page.context)
                })
        })
        .map(|page| page.path.clone())
        .collect()
}

/// Two page contexts are the same apart from their job values, which
/// [`PageJob::shows`] and [`PageJob::fresh`] tell about without comparing the
/// text of every role a listing shows.
fn same_besides_jobs(a: &Value, b: &Value) -> bool {
    const JOB_VALUES: [&str; 4] = ["job", "jobs", "groups", "json_ld"];
    let rest = |v: &Value| -> Vec<Value> {
        v.try_iter()
            .map(|keys| {
                keys.filter(|k| !k.as_str().is_some_and(|k| JOB_VALUES.contains(&k)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let keys = rest(a);
    keys == rest(b)
        && keys
            .iter()
            .all(|k| a.get_item(k).ok() == b.get_item(k).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SITE: &str = "title = \"T\"\nbase_url = \"https://x.example/c/\"\n[company]\nname = \"X\"\n\
        [locations.berlin]\nname = \"Berlin\"\ncountry = \"DE\"\n\
        [locations.lisbon]\nname = \"Lisbon\"\ncountry = \"PT\"\n";

    fn posting(title: &str, department: &str, location: &str, body: &str) -> String {
        format!(
            "+++\ntitle = \"{title}\"\ndepartment = \"{department}\"\nlocations = [\"{location}\"]\ndate = 2026-11-02\n+++\n\n{body}\n"
        )
    }

    struct Fixture {
        dir: tempfile::TempDir,
        incremental: Incremental,
    }

    impl Fixture {
        fn new() -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let write = |rel: &str, text: &str| {
                let path = dir.path().join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            };
            write("site.toml", SITE);
            write(
                "content/jobs/a.md",
                &posting("A", "Eng", "berlin", "Body A."),
            );
            write(
                "content/jobs/b.md",
                &posting("B", "Sales", "lisbon", "Body B."),
            );
            write(
                "content/benefits.md",
                "+++\ntitle = \"Benefits\"\n+++\n\nGood ones.\n",
            );
            let options = Options {
                root: dir.path().to_path_buf(),
                base_url: None,
                site: crate::site::Options {
                    drafts: false,
                    today: Some("2026-11-23".parse().unwrap()),
                },
            };
            let mut incremental = Incremental::new(options);
            incremental.rebuild(&Changes::everything()).unwrap();
            Fixture { dir, incremental }
        }

        /// Writes a file and rebuilds; the sorted changed pages.
        fn change(&mut self, rel: &str, text: &str) -> Vec<String> {
            let path = self.dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            let mut changes = Changes::default();
            if rel.starts_with("content/") {
                changes.content.insert(Path::new(rel).to_path_buf());
            } else {
                changes.theme = true;
            }
            let (_, changed) = self.incremental.rebuild(&changes).unwrap();
            let mut changed: Vec<String> = changed.into_iter().collect();
            changed.sort();
            changed
        }
    }

    #[test]
    fn editing_a_posting_rerenders_its_page_and_the_listings_that_show_it() {
        let mut site = Fixture::new();
        let changed = site.change(
            "content/jobs/a.md",
            &posting("A", "Eng", "berlin", "New body."),
        );
        assert_eq!(
            changed,
            [
                "departments/eng/index.html",
                "index.html",
                "jobs/a/index.html",
                "locations/berlin/index.html"
            ]
        );
    }

    #[test]
    fn moving_a_posting_rerenders_old_and_new_listings_and_the_facets() {
        let mut site = Fixture::new();
        let changed = site.change(
            "content/jobs/a.md",
            &posting("A", "Sales", "lisbon", "Body A."),
        );
        // The department and location facets changed, and the index shows them;
        // `eng` and `berlin` are gone, so they are not in the new site at all.
        for page in [
            "index.html",
            "jobs/a/index.html",
            "departments/sales/index.html",
            "locations/lisbon/index.html",
        ] {
            assert!(
                changed.contains(&page.to_string()),
                "{page} not in {changed:?}"
            );
        }
        assert!(
            !changed.contains(&"benefits/index.html".to_string()),
            "{changed:?}"
        );
    }

    #[test]
    fn a_group_change_remakes_the_unchanged_postings_that_show_the_group() {
        let mut site = Fixture::new();
        site.change(
            "content/jobs/c.md",
            &posting("C", "eng", "berlin", "Body C."),
        );
        // The department is shown as the first of its postings spells it: "Eng"
        // from A until A is a draft, then "eng" from C, whose file did not change.
        let a_draft =
            posting("A", "Eng", "berlin", "Body A.").replace("+++\n\n", "draft = true\n+++\n\n");
        let changed = site.change("content/jobs/a.md", &a_draft);
        assert!(
            changed.contains(&"jobs/c/index.html".to_string()),
            "{changed:?}"
        );
    }

    #[test]
    fn saving_without_a_change_rerenders_nothing() {
        let mut site = Fixture::new();
        let same = posting("B", "Sales", "lisbon", "Body B.");
        assert!(site.change("content/jobs/b.md", &same).is_empty());
    }

    #[test]
    fn a_template_change_rerenders_the_pages_using_it() {
        let mut site = Fixture::new();
        let page =
            "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% endblock %}";
        assert_eq!(
            site.change("templates/page.html", page),
            ["benefits/index.html"]
        );
        // base.html is used by every page: index, 2 jobs, 2 departments, 2 locations, benefits, 404.
        let base = crate::render::theme::DEFAULT_THEME
            .get_file("templates/base.html")
            .unwrap()
            .contents_utf8()
            .unwrap()
            .replace("<body>", "<body class=\"x\">");
        assert_eq!(site.change("templates/base.html", &base).len(), 9);
    }

    #[test]
    fn a_broken_file_fails_the_rebuild_and_its_fix_builds_again() {
        let mut site = Fixture::new();
        std::fs::write(
            site.dir.path().join("content/jobs/a.md"),
            "+++\ntitle = [\n+++\n",
        )
        .unwrap();
        let changes = Changes {
            content: [PathBuf::from("content/jobs/a.md")].into(),
            ..Changes::default()
        };
        let problems = site.incremental.rebuild(&changes).err().unwrap();
        assert_eq!(
            problems[0].path.as_deref(),
            Some(Path::new("content/jobs/a.md"))
        );
        let changed = site.change(
            "content/jobs/a.md",
            &posting("A", "Eng", "berlin", "Body A."),
        );
        assert!(changed.is_empty(), "{changed:?}");
    }
}
