//! Renders the site model through the theme: one minijinja environment (templates
//! compiled once, shared by all threads), the template globals and functions, and
//! the list of pages a build writes. Returns files in memory; writing them is the
//! build's job.

pub mod deps;
pub mod theme;
pub mod views;

use crate::diagnostic::{Diagnostic, Source};
use crate::format::{Conventions, Strings};
use crate::outputs::jsonld::Script;
use crate::site::{Group, Job, Site};
use crate::urls::{self, Urls};
use minijinja::value::{Kwargs, Value, merge_maps};
use minijinja::{Environment, UndefinedBehavior, context};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use theme::Theme;

/// A file of the built site: its path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page to render: where it goes, with which template and context.
#[derive(Clone)]
pub struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: Value,
    /// The jobs (indexes into [`Site::jobs`]) whose values the context holds, in order.
    pub shows: Vec<usize>,
    /// One of those values was made anew, not taken from the renderer reused.
    /// When none was and `shows` is the same, the job values are the same, and
    /// a rebuild need not compare their text (see `build::incremental`).
    pub fresh: bool,
    /// The language of the page (an index into the site's languages), which
    /// says which edition of the build renders it.
    pub language: usize,
    /// Its number for [`Renderer::page`] (a further language leaves some out
    /// of [`Renderer::pages`], so it is not always its place there).
    pub number: usize,
    /// The JobPosting of a role page, which [`Renderer::render_page`] gives
    /// the template as `json_ld` (its text is made only then).
    pub script: Option<Arc<Script>>,
}

/// The theme prepared for one site: compiled templates and their globals.
pub struct Renderer {
    /// Shared with the renderers [`Renderer::with_jobs`] makes from this one.
    env: Arc<Environment<'static>>,
    sources: Arc<HashMap<String, Source>>,
    pub urls: Urls,
    /// Static files with their output names.
    pub assets: Vec<Output>,
    jobs: JobValues,
    /// The theme's strings, for outputs that need words (feed titles).
    pub strings: Arc<serde_json::Map<String, serde_json::Value>>,
    /// The conventions of the site's language, made once per theme.
    conventions: Arc<Conventions>,
    /// The values of the template globals, to tell which changed between builds.
    globals: BTreeMap<&'static str, Value>,
    /// The page icon and the logo's size, from the static files.
    images: views::Images,
    /// The language of the pages (see [`PageJob::language`]).
    language: usize,
}

/// What every page that shows a job takes from it, made once per build and
/// shared by those pages: per job of [`Site::jobs`], its view and, when it is
/// open, its JobPosting script.
#[derive(Clone, Default)]
pub struct JobValues {
    pub views: Vec<Value>,
    pub scripts: Vec<Option<Arc<Script>>>,
    /// Per job: its values were taken from an earlier build (see `build::reuse`).
    pub kept: Vec<bool>,
}

impl JobValues {
    /// Every job's values made anew.
    pub fn fresh(site: &Site, urls: &Urls, strings: &Strings) -> JobValues {
        let made: Vec<(Value, Option<Arc<Script>>)> = site
            .jobs
            .par_iter()
            .map(|j| job_values(site, urls, strings, j))
            .collect();
        let mut values = JobValues::default();
        for (view, script) in made {
            values.push(view, script, false);
        }
        values
    }

    pub fn push(&mut self, view: Value, script: Option<Arc<Script>>, kept: bool) {
        self.views.push(view);
        self.scripts.push(script);
        self.kept.push(kept);
    }
}

/// Any serialisable view as a template value.
pub fn to_value<T: serde::Serialize>(view: T) -> Value {
    Value::from(minijinja::value::Serde(view))
}

/// A job's template view and, when it is open, its JobPosting script.
pub fn job_values(
    site: &Site,
    urls: &Urls,
    strings: &Strings,
    job: &Job,
) -> (Value, Option<Arc<Script>>) {
    let view = to_value(views::job(site, urls, strings, job));
    // Only the job's own page carries its script: none for a role shown in a
    // language it is not translated into (it has no page there).
    let here = urls.is_here(job.posting.language.is_some());
    let script = (!job.closed && here).then(|| Arc::new(Script::new(site, urls, job)));
    (view, script)
}

/// What a job's view shows of the site's departments (the name, which the
/// first of its postings spells) and locations, by `department/SLUG` and
/// `location/KEY`.
pub fn group_views(site: &Site, urls: &Urls) -> HashMap<String, Value> {
    let departments = site.departments.iter().map(|g| {
        let link = (&g.name, &g.slug, views::department_url(urls, g));
        (format!("department/{}", g.slug), to_value(link))
    });
    let locations = site.locations.iter().map(|g| {
        let view = views::LocationView {
            count: None,
            ..views::location(site, urls, g)
        };
        (format!("location/{}", g.key), to_value(view))
    });
    departments.chain(locations).collect()
}

/// The keys of [`group_views`] a job's view shows.
pub fn group_keys<'a>(site: &'a Site, job: &'a Job) -> impl Iterator<Item = String> + 'a {
    let department = format!("department/{}", site.department_of(job).slug);
    let locations = job
        .posting
        .locations
        .iter()
        .map(|key| format!("location/{key}"));
    std::iter::once(department).chain(locations)
}

/// The template globals made from the site (not the functions).
fn globals_of(
    site: &Site,
    urls: &Urls,
    strings: &Strings,
    images: &views::Images,
) -> BTreeMap<&'static str, Value> {
    let mut globals = BTreeMap::new();
    globals.insert("site", to_value(views::site(site, urls, images)));
    globals.insert("t", to_value(strings.map()));
    globals.insert("nav", to_value(views::nav(site, urls)));
    globals.insert("filters", to_value(views::filters(site, urls, strings)));
    globals.insert("open_count", Value::from(site.open_jobs().count()));
    globals.insert(
        "generator",
        Value::from(concat!("openings ", env!("CARGO_PKG_VERSION"))),
    );
    globals
}

/// Output name of a static file: `style.css` -> `style.1a2b3c4d.css` for CSS and JS.
fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let fingerprint = |ext: &str| {
        let hash = blake3::hash(bytes).to_hex();
        let stem = &name[..name.len() - ext.len() - 1];
        format!("{stem}.{}.{ext}", &hash[..8])
    };
    match name.rsplit_once('.') {
        Some((_, ext @ ("css" | "js"))) => fingerprint(ext),
        _ => name.to_string(),
    }
}

/// The static files under their output names, and each file's output name by
/// its own name (for `asset()`).
fn fingerprint_statics(
    statics: &BTreeMap<String, theme::ThemeFile>,
) -> (BTreeMap<String, String>, Vec<Output>) {
    let mut asset_names = BTreeMap::new();
    let mut assets = Vec::new();
    for (name, file) in statics {
        let out = fingerprinted(name, &file.bytes);
        asset_names.insert(name.clone(), out.clone());
        assets.push(Output {
            path: out,
            bytes: file.bytes.clone(),
        });
    }
    (asset_names, assets)
}

/// The template environment with every template compiled, and the templates'
/// sources for error messages; every template that does not compile, otherwise.
fn compile_templates(
    templates: BTreeMap<String, theme::ThemeFile>,
) -> Result<(Environment<'static>, HashMap<String, Source>), Vec<Diagnostic>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_formatter(html_formatter);
    let mut sources = HashMap::new();
    let mut problems = Vec::new();
    for (name, file) in templates {
        let text = String::from_utf8_lossy(&file.bytes).into_owned();
        sources.insert(
            name.clone(),
            Source::new(file.shown_as.clone(), text.clone()),
        );
        if let Err(e) = env.add_template_owned(name, text) {
            problems.push(e);
        }
    }
    let problems: Vec<Diagnostic> = problems
        .iter()
        .map(|e| template_error(e, &sources))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((env, sources))
}

impl Renderer {
    /// Compiles the theme for `site`; `jobs` makes the job values once the
    /// URLs (which depend on the static files' fingerprints) are known:
    /// [`JobValues::fresh`], or values kept from an earlier build.
    pub fn new(
        site: &Site,
        theme: Theme,
        jobs: impl FnOnce(&Urls, &Strings) -> JobValues,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let (asset_names, assets) = fingerprint_statics(&theme.statics);
        let urls =
            Urls::new(site.config.base_url.clone(), asset_names).with_prefix(&site.lang().prefix);
        let images = views::images(site, &urls, &theme.statics);
        let (mut env, sources) = compile_templates(theme.templates)?;

        let strings = Arc::new(theme.strings);
        let conventions = Arc::new(Conventions::new(&site.config.language));
        let words = Strings::new(&strings, &conventions);
        let jobs = jobs(&urls, &words);
        let mut globals = globals_of(site, &urls, &words, &images);
        for (name, value) in &globals {
            env.add_global(*name, value.clone());
        }
        add_functions(&mut env, &urls);
        add_plural(&mut env, &strings, &conventions);
        add_alternates(&mut env, site, &urls);
        // What the functions give depends on these, so a change to them counts as a
        // change of the function (see `deps`).
        let plural_inputs = (&site.config.language, &*strings);
        globals.insert("plural", to_value(plural_inputs));
        globals.insert("plural_forms", to_value(plural_inputs));
        // The pages of every language: what `alternates()` gives depends on them.
        let languages = &site.languages;
        globals.insert(
            "alternates",
            to_value((&languages.all, site.language, languages.digest())),
        );
        globals.insert("url", Value::from(urls.absolute("")));
        globals.insert("abs_url", Value::from(urls.absolute("")));
        globals.insert("asset", to_value(urls.asset_names()));
        // Last: it tells the globals and functions above from the role's values.
        add_apply_form(&mut env, &globals);
        Ok(Renderer {
            env: Arc::new(env),
            sources: Arc::new(sources),
            urls,
            assets,
            jobs,
            strings,
            conventions,
            globals,
            images,
            language: site.language,
        })
    }

    /// This renderer for `site` with other job values, sharing the compiled
    /// templates; `None` when a template global (facets, counts, navigation)
    /// of `site` differs from this renderer's, which needs [`Renderer::new`].
    pub fn with_jobs(&self, site: &Site, jobs: JobValues) -> Option<Renderer> {
        let globals = globals_of(site, &self.urls, &self.words(), &self.images);
        if globals
            .iter()
            .any(|(name, value)| self.globals.get(name) != Some(value))
        {
            return None;
        }
        Some(Renderer {
            env: self.env.clone(),
            sources: self.sources.clone(),
            urls: self.urls.clone(),
            assets: self.assets.clone(),
            jobs,
            strings: self.strings.clone(),
            conventions: self.conventions.clone(),
            globals: self.globals.clone(),
            images: self.images.clone(),
            language: self.language,
        })
    }

    /// The theme's strings with the conventions of the site's language.
    pub fn words(&self) -> Strings<'_> {
        Strings::new(&self.strings, &self.conventions)
    }

    /// The job values of this renderer.
    pub fn jobs(&self) -> &JobValues {
        &self.jobs
    }

    /// The template view of job `index` of [`Site::jobs`] (for pages the server renders).
    pub fn job_view(&self, index: usize) -> Value {
        self.jobs.views[index].clone()
    }

    /// A theme string (`t.KEY` in templates), `key` itself when the theme lacks it.
    pub fn string(&self, key: &str) -> String {
        self.global("t")
            .and_then(|t| t.get_attr(key).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| key.to_string())
    }

    /// The value of a template global (or of what a function depends on).
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.globals.get(name)
    }

    /// The text of every template, by name.
    pub fn template_sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .iter()
            .map(|(name, source)| (name.as_str(), source.text.as_str()))
    }

    /// The names of the template globals and functions.
    pub fn global_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.globals.keys().copied()
    }

    /// The global names a template refers to, itself or through the templates it uses.
    pub fn undeclared(&self, template: &str) -> std::collections::HashSet<String> {
        self.env
            .get_template(template)
            .map(|t| t.undeclared_variables(false))
            .unwrap_or_default()
    }

    /// Every page of the site, in a stable order: the index, the jobs (in the
    /// order of [`Site::jobs`]), departments, locations, pages, the 404 page.
    /// A further language's edition leaves out the roles and pages not
    /// translated into it (its listings link to the originals) and the 404
    /// page (a host serves the one at the root).
    pub fn pages(&self, site: &Site) -> Vec<PageJob> {
        let count = 1 + site.jobs.len() + site.departments.len() + site.locations.len();
        let all = 0..count + site.pages.len() + 1;
        if site.language == 0 {
            return all.map(|n| self.page(site, n)).collect();
        }
        let jobs = 1..1 + site.jobs.len();
        let pages = count..count + site.pages.len();
        all.filter(|n| {
            if jobs.contains(n) {
                site.jobs[n - 1].posting.language.is_some()
            } else if pages.contains(n) {
                site.pages[n - count].language.is_some()
            } else {
                *n != count + site.pages.len()
            }
        })
        .map(|n| self.page(site, n))
        .collect()
    }

    /// Page `n` of every page the site could have (see [`PageJob::number`]).
    pub fn page(&self, site: &Site, n: usize) -> PageJob {
        PageJob {
            number: n,
            ..self.numbered_page(site, n)
        }
    }

    fn numbered_page(&self, site: &Site, n: usize) -> PageJob {
        let (jobs, departments) = (site.jobs.len(), site.departments.len());
        let locations = site.locations.len();
        match n.checked_sub(1) {
            None => self.index_page(site),
            Some(i) if i < jobs => self.job_page(site, i),
            Some(i) if i < jobs + departments => {
                self.department_page(&site.departments[i - jobs])
            }
            Some(i) if i < jobs + departments + locations => {
                self.location_page(site, &site.locations[i - jobs - departments])
            }
            Some(i) => match site.pages.get(i - jobs - departments - locations) {
                Some(page) => self.listing(
                    self.urls.output_file(&page.url_path),
                    "page.html",
                    context! { page => to_value(views::page(&self.urls, page)), current_path => page.url_path.clone() },
                    &[],
                ),
                None => self.listing(
                    urls::NOT_FOUND.into(),
                    "404.html",
                    context! { current_path => urls::NOT_FOUND },
                    &[],
                ),
            },
        }
    }

    /// The views of the jobs at `indexes`.
    fn views_of(&self, indexes: &[usize]) -> Vec<Value> {
        indexes
            .iter()
            .map(|&i| self.jobs.views[i].clone())
            .collect()
    }

    /// A page that shows the jobs at `shows`.
    fn listing(
        &self,
        path: String,
        template: &'static str,
        context: Value,
        shows: &[usize],
    ) -> PageJob {
        PageJob {
            path,
            template,
            context,
            shows: shows.to_vec(),
            fresh: shows.iter().any(|&i| !self.jobs.kept[i]),
            language: self.language,
            number: 0,
            script: None,
        }
    }

    /// The home page: every open job, and the open jobs by department.
    fn index_page(&self, site: &Site) -> PageJob {
        let all_open: Vec<usize> = site.open_jobs().map(|(i, _)| i).collect();
        let groups: Vec<Value> = site
            .departments
            .iter()
            .filter(|g| !g.open.is_empty())
            .map(|g| context! { department => to_value(views::group(&self.urls, g)), jobs => self.views_of(&g.open) })
            .collect();
        let context = context! { jobs => self.views_of(&all_open), groups, current_path => "" };
        self.listing(
            self.urls.output_file(urls::HOME),
            "index.html",
            context,
            &all_open,
        )
    }

    /// The role page of job `i`, as a build writes it (no form sent back).
    fn job_page(&self, site: &Site, i: usize) -> PageJob {
        let path = urls::job(&site.jobs[i].posting.slug);
        PageJob {
            path: self.urls.output_file(&path),
            template: "job.html",
            context: context! { job => self.jobs.views[i].clone(), form => (), current_path => path },
            shows: vec![i],
            fresh: !self.jobs.kept[i],
            language: self.language,
            number: 0,
            script: self.jobs.scripts[i].clone(),
        }
    }

    fn department_page(&self, g: &Group) -> PageJob {
        let path = urls::department(&g.slug);
        let context = context! { department => to_value(views::group(&self.urls, g)), jobs => self.views_of(&g.open), current_path => path.clone() };
        self.listing(
            self.urls.output_file(&path),
            "department.html",
            context,
            &g.open,
        )
    }

    fn location_page(&self, site: &Site, g: &Group) -> PageJob {
        let path = urls::location(&g.slug);
        let context = context! { location => to_value(views::location(site, &self.urls, g)), jobs => self.views_of(&g.open), current_path => path.clone() };
        self.listing(
            self.urls.output_file(&path),
            "location.html",
            context,
            &g.open,
        )
    }

    /// The role page of job `index` as the endpoint answers it: with the form
    /// sent back (`form`: its values and errors), or none (`()`: closed).
    pub fn role_page(&self, site: &Site, index: usize, form: Value) -> PageJob {
        let path = urls::job(&site.jobs[index].posting.slug);
        let context = context! { job => self.job_view(index), form, current_path => path.clone() };
        self.answer_page(self.urls.output_file(&path), "job.html", context, index)
    }

    /// The page that tells a candidate their application for job `index` arrived.
    pub fn received_page(&self, site: &Site, index: usize) -> PageJob {
        let path = urls::job(&site.jobs[index].posting.slug);
        let context = context! { job => self.job_view(index), current_path => path.clone() };
        self.answer_page(
            self.urls.output_file(&path),
            "received.html",
            context,
            index,
        )
    }

    /// The 404 page with a message (an unknown posting).
    pub fn message_page(&self, message: &str) -> PageJob {
        PageJob {
            path: urls::NOT_FOUND.into(),
            template: "404.html",
            context: context! { message, current_path => "" },
            shows: Vec::new(),
            fresh: true,
            language: self.language,
            number: 0,
            script: None,
        }
    }

    fn answer_page(
        &self,
        path: String,
        template: &'static str,
        context: Value,
        index: usize,
    ) -> PageJob {
        PageJob {
            path,
            template,
            context,
            shows: vec![index],
            fresh: true,
            language: self.language,
            number: 0,
            script: None,
        }
    }

    /// Renders one template with a context.
    pub fn render(&self, template: &str, context: &Value) -> Result<String, Diagnostic> {
        let render = || self.env.get_template(template)?.render(context);
        render().map_err(|e| template_error(&e, &self.sources))
    }

    /// Renders a page of this renderer's language, with its JobPosting.
    pub fn render_page(&self, page: &PageJob) -> Result<String, Diagnostic> {
        match &page.script {
            Some(script) => {
                let context =
                    merge_maps([page.context.clone(), context! { json_ld => script.text() }]);
                self.render(page.template, &context)
            }
            None => self.render(page.template, &page.context),
        }
    }
}

/// HTML autoescaping of the five reserved characters only (minijinja's default also
/// escapes `/`, which bloats every URL in a page for no gain).
fn html_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if value.is_safe() || !matches!(state.auto_escape(), minijinja::AutoEscape::Html) {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    out.write_str(&html_escape::encode_quoted_attribute(&text))
        .map_err(minijinja::Error::from)
}

fn add_functions(env: &mut Environment<'static>, urls: &Urls) {
    let u = urls.clone();
    env.add_function("url", move |path: &str| u.path(path));
    let u = urls.clone();
    env.add_function("abs_url", move |path: &str| u.absolute(path));
    let u = urls.clone();
    env.add_function("asset", move |name: &str| {
        u.asset(name).ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("no static file `{name}` in the theme's or the site's static/ folder"),
            )
        })
    });
    env.add_filter(
        "fmt",
        |text: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let mut out = text.to_string();
            for key in kwargs.args() {
                let value: Value = kwargs.get(key)?;
                out = out.replace(&format!("{{{key}}}"), &value.to_string());
            }
            Ok(out)
        },
    );
}

/// `plural(key, n)`: the theme string `key` in the site language's form for
/// `n`, with `{n}` filled in. `plural_forms(key)`: every form of `key` the
/// strings have, by CLDR category (`other` is `key` itself), for scripts
/// that count in the browser with `Intl.PluralRules`.
fn add_plural(
    env: &mut Environment<'static>,
    strings: &Arc<serde_json::Map<String, serde_json::Value>>,
    conventions: &Arc<Conventions>,
) {
    let (s, c) = (strings.clone(), conventions.clone());
    env.add_function("plural", move |key: &str, n: u64| {
        match Strings::new(&s, &c).form(key, n) {
            Some(text) => Ok(text.replace("{n}", &n.to_string())),
            None => Err(minijinja::Error::new(
                minijinja::ErrorKind::UndefinedError,
                format!("no string `{key}` in the theme's or the site's i18n/ files"),
            )),
        }
    });
    let (s, c) = (strings.clone(), conventions.clone());
    env.add_function("plural_forms", move |key: &str| {
        to_value(Strings::new(&s, &c).forms(key))
    });
}

/// `alternates(path)`: the page at `path` (as `current_path` gives it) in
/// every language it exists in, each with `lang`, `name`, `dir`, `url`
/// (absolute), `path` and `current`; empty on a site with one language.
fn add_alternates(env: &mut Environment<'static>, site: &Site, urls: &Urls) {
    let (languages, here, urls) = (site.languages.clone(), site.language, urls.clone());
    env.add_function("alternates", move |path: &str| {
        let list: Vec<Value> = languages
            .of(path)
            .into_iter()
            .map(|l| {
                context! {
                    lang => &l.tag,
                    name => &l.name,
                    dir => if l.rtl { "rtl" } else { "ltr" },
                    url => urls.absolute_in(&l.prefix, path),
                    path => urls.path_in(&l.prefix, path),
                    current => l.tag == languages.all[here].tag,
                }
            })
            .collect();
        Value::from(list)
    });
}

/// Stands for a role's form action while its form is rendered once for
/// every role with the same questions (letters only: escaping keeps it).
const ENDPOINT_MARKER: &str = "openingsformendpointmarker";

/// `apply_form(job, form)`: the role's application form (`apply_form.html`)
/// rendered once per set of questions and kept, with each role's own form
/// action put in, when `form` is empty (a build) and the template reads
/// nothing of the role but `job.apply_endpoint` and `job.questions`;
/// otherwise none, and `job.html` includes the template for that page. On a
/// big site this is most of the rendering a role page costs.
fn add_apply_form(env: &mut Environment<'static>, globals: &BTreeMap<&'static str, Value>) {
    const TEMPLATE: &str = "apply_form.html";
    let Ok(template) = env.get_template(TEMPLATE) else {
        return;
    };
    // `globals` holds the template globals and what each function depends on.
    let reads_only = |var: &String| {
        let root = var.split('.').next().unwrap_or_default();
        matches!(var.as_str(), "job.apply_endpoint" | "job.questions" | "job")
            || root == "form"
            || globals.contains_key(root)
    };
    let vars = template.undeclared_variables(true);
    if !vars.iter().all(reads_only) {
        return;
    }
    let kept: Arc<std::sync::Mutex<HashMap<String, Arc<str>>>> = Arc::default();
    env.add_function(
        "apply_form",
        move |state: &minijinja::State,
              job: Value,
              form: Value|
              -> Result<Value, minijinja::Error> {
            if form.is_true() {
                return Ok(Value::from(()));
            }
            let questions = job.get_attr("questions")?;
            let key = format!("{questions:?}");
            let found = kept
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
                .cloned();
            let html = match found {
                Some(html) => html,
                None => {
                    let job = context! { apply_endpoint => ENDPOINT_MARKER, questions };
                    let text = state
                        .env()
                        .get_template(TEMPLATE)?
                        .render(context! { job, form => () })?;
                    let html: Arc<str> = Arc::from(text);
                    kept.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(key, html.clone());
                    html
                }
            };
            let endpoint = job.get_attr("apply_endpoint")?.to_string();
            let action = html_escape::encode_quoted_attribute(&endpoint);
            Ok(Value::from_safe_string(
                html.replace(ENDPOINT_MARKER, &action),
            ))
        },
    );
}

/// A minijinja error as a diagnostic pointing into the template file.
fn template_error(e: &minijinja::Error, sources: &HashMap<String, Source>) -> Diagnostic {
    let detail = e
        .detail()
        .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    let message = format!("template error: {detail}");
    let hint =
        "fix the template; a site's templates/ folder overrides the theme's files of the same name";
    let source = e.name().and_then(|n| sources.get(n));
    let diagnostic = match (source, e.range(), e.line()) {
        (Some(source), Some(range), _) => Diagnostic::at("template", source, range, message),
        (Some(source), None, Some(line)) => {
            let start = source.offset_of(line, 1);
            let end = source.text[start..]
                .find('\n')
                .map_or(source.text.len(), |i| start + i);
            Diagnostic::at("template", source, start..end, message)
        }
        _ => Diagnostic {
            path: e
                .name()
                .map(|n| PathBuf::from(crate::layout::TEMPLATES).join(n)),
            ..Diagnostic::error("template", message)
        },
    };
    diagnostic.with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_and_js_are_fingerprinted_by_content() {
        let a = fingerprinted("style.css", b"body{}");
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style.12345678.css".len(),
            "{a}"
        );
        assert_ne!(a, fingerprinted("style.css", b"body{color:red}"));
        assert_eq!(fingerprinted("logo.svg", b"<svg/>"), "logo.svg");
        assert!(fingerprinted("js/filter.js", b"x").starts_with("js/filter."));
    }
}
