//! Renders the site model through the theme: one minijinja environment (templates
//! compiled once, shared by all threads), the template globals and functions, and
//! the list of pages a build writes. Returns files in memory; writing them is the
//! build's job.

pub mod deps;
pub mod format;
pub mod theme;
pub mod urls;
pub mod views;

use crate::diagnostic::{Diagnostic, Source};
use crate::site::{Job, Site};
use format::Strings;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, UndefinedBehavior, context};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use theme::Theme;
use urls::Urls;

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
}

/// The theme prepared for one site: compiled templates and their globals.
pub struct Renderer {
    /// Shared with the renderers [`Renderer::patched`] makes from this one.
    env: Arc<Environment<'static>>,
    sources: Arc<HashMap<String, Source>>,
    pub urls: Urls,
    /// Static files with their output names.
    pub assets: Vec<Output>,
    /// One view per job of [`Site::jobs`], built once and shared by every page.
    jobs: Vec<Value>,
    /// The JobPosting script text of each job (none for closed ones).
    scripts: Vec<Option<Value>>,
    /// Per job: its view and script are those of the job of the same slug in the
    /// renderer reused.
    kept: Vec<bool>,
    /// The theme's strings, for outputs that need words (feed titles).
    pub strings: serde_json::Map<String, serde_json::Value>,
    /// The values of the template globals, to tell which changed between builds.
    globals: BTreeMap<&'static str, Value>,
    /// The page icon and the logo's size, from the static files.
    images: views::Images,
}

/// A renderer of an earlier build of the same site, with the same configuration and
/// theme strings: the views of postings that did not change are taken from it.
pub struct Reuse<'a> {
    pub site: &'a Site,
    pub renderer: &'a Renderer,
}

/// Any serialisable view as a template value.
pub fn to_value<T: serde::Serialize>(view: T) -> Value {
    Value::from(minijinja::value::Serde(view))
}

/// A job's template view and, when it is open, its JobPosting script.
fn job_values(site: &Site, urls: &Urls, strings: &Strings, job: &Job) -> (Value, Option<Value>) {
    let view = to_value(views::job(site, urls, strings, job));
    let script = (!job.closed).then(|| {
        let value = crate::outputs::jsonld::job_posting(site, urls, job);
        Value::from(crate::outputs::jsonld::script_text(&value))
    });
    (view, script)
}

/// What a job's view shows of the site's departments (the name, which the
/// first of its postings spells) and locations, by `department/SLUG` and
/// `location/KEY`.
fn group_views(site: &Site, urls: &Urls) -> HashMap<String, Value> {
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
fn group_keys<'a>(site: &'a Site, job: &'a Job) -> impl Iterator<Item = String> + 'a {
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
    strings: &serde_json::Map<String, serde_json::Value>,
    images: &views::Images,
) -> BTreeMap<&'static str, Value> {
    let mut globals = BTreeMap::new();
    globals.insert("site", to_value(views::site(site, urls, images)));
    globals.insert("t", to_value(strings));
    globals.insert("nav", to_value(views::nav(site, urls)));
    globals.insert(
        "filters",
        to_value(views::filters(site, urls, &Strings(strings))),
    );
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

impl Renderer {
    pub fn new(site: &Site, theme: Theme) -> Result<Renderer, Vec<Diagnostic>> {
        Renderer::reusing(site, theme, None)
    }

    /// Like [`Renderer::new`], taking unchanged job views from an earlier renderer.
    pub fn reusing(
        site: &Site,
        theme: Theme,
        reuse: Option<Reuse<'_>>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        // Job views say how long ago each role was posted: another day, other views.
        let reuse = reuse.filter(|r| r.site.today == site.today);
        let mut asset_names = BTreeMap::new();
        let mut assets = Vec::new();
        for (name, file) in &theme.statics {
            let out = fingerprinted(name, &file.bytes);
            asset_names.insert(name.clone(), out.clone());
            assets.push(Output {
                path: out,
                bytes: file.bytes.clone(),
            });
        }
        let urls = Urls::new(site.config.base_url.clone(), asset_names);
        let images = views::images(site, &urls, &theme.statics);

        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_formatter(html_formatter);
        let mut sources = HashMap::new();
        let mut problems = Vec::new();
        for (name, file) in theme.templates {
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

        let strings = Strings(&theme.strings);
        // Keyed by the address of the shared posting: the same `Arc` means the same
        // file. A posting read again (saved without a change, or only in ways its
        // view does not show) is found by its slug and its values compared.
        let (by_address, by_slug): (HashMap<usize, usize>, HashMap<&str, usize>) = reuse
            .as_ref()
            .map(|r| {
                let jobs = r.site.jobs.iter().enumerate();
                let by_address = jobs
                    .clone()
                    .map(|(i, j)| (Arc::as_ptr(&j.posting) as usize, i))
                    .collect();
                let by_slug = jobs.map(|(i, j)| (j.posting.slug.as_str(), i)).collect();
                (by_address, by_slug)
            })
            .unwrap_or_default();
        // A job's view shows its department's name and its locations: where one
        // of those changed, an unchanged posting's view did too.
        let moved_groups: HashSet<String> = reuse
            .as_ref()
            .map(|r| {
                let before = group_views(r.site, &urls);
                group_views(site, &urls)
                    .into_iter()
                    .filter(|(key, view)| before.get(key) != Some(view))
                    .map(|(key, _)| key)
                    .collect()
            })
            .unwrap_or_default();
        let in_moved_group = |j: &Job| {
            !moved_groups.is_empty() && group_keys(site, j).any(|key| moved_groups.contains(&key))
        };
        let made: Vec<(Value, Option<Value>, bool)> = site
            .jobs
            .par_iter()
            .map(|j| {
                let earlier = |i: usize| {
                    let r = reuse
                        .as_ref()
                        .expect("indexes come from the reused renderer");
                    (r.renderer.jobs[i].clone(), r.renderer.scripts[i].clone())
                };
                let same_file = by_address.get(&(Arc::as_ptr(&j.posting) as usize));
                if let Some(&i) = same_file.filter(|_| !in_moved_group(j)) {
                    let (view, script) = earlier(i);
                    return (view, script, true);
                }
                let (view, script) = job_values(site, &urls, &strings, j);
                match by_slug.get(j.posting.slug.as_str()).map(|&i| earlier(i)) {
                    Some(before) if before == (view.clone(), script.clone()) => {
                        (before.0, before.1, true)
                    }
                    _ => (view, script, false),
                }
            })
            .collect();
        let mut job_views = Vec::with_capacity(made.len());
        let mut scripts = Vec::with_capacity(made.len());
        let mut kept = Vec::with_capacity(made.len());
        for (view, script, was_kept) in made {
            job_views.push(view);
            scripts.push(script);
            kept.push(was_kept);
        }
        let mut globals = globals_of(site, &urls, &theme.strings, &images);
        for (name, value) in &globals {
            env.add_global(*name, value.clone());
        }
        add_functions(&mut env, &urls);
        // What the functions give depends on these, so a change to them counts as a
        // change of the function (see `deps`).
        globals.insert("url", Value::from(urls.absolute("")));
        globals.insert("abs_url", Value::from(urls.absolute("")));
        globals.insert("asset", to_value(urls.asset_names()));
        Ok(Renderer {
            env: Arc::new(env),
            sources: Arc::new(sources),
            urls,
            assets,
            jobs: job_views,
            scripts,
            kept,
            strings: theme.strings,
            globals,
            images,
        })
    }

    /// This renderer for `site`, which differs from the site it was made for only
    /// in the postings of the jobs `changed` (indexes into [`Site::jobs`]), each
    /// in the same place (slug, department, title, locations, status). The
    /// templates are shared and the other jobs' values kept; `None` when a
    /// template global (facets, counts, navigation) would differ, which needs
    /// [`Renderer::reusing`].
    pub fn patched(&self, site: &Site, changed: &[usize]) -> Option<Renderer> {
        let strings = Strings(&self.strings);
        let globals = globals_of(site, &self.urls, &self.strings, &self.images);
        if globals
            .iter()
            .any(|(name, value)| self.globals.get(name) != Some(value))
        {
            return None;
        }
        let (mut jobs, mut scripts) = (self.jobs.clone(), self.scripts.clone());
        let mut kept = vec![true; jobs.len()];
        for &i in changed {
            let (view, script) = job_values(site, &self.urls, &strings, &site.jobs[i]);
            kept[i] = view == jobs[i] && script == scripts[i];
            if !kept[i] {
                (jobs[i], scripts[i]) = (view, script);
            }
        }
        Some(Renderer {
            env: self.env.clone(),
            sources: self.sources.clone(),
            urls: self.urls.clone(),
            assets: self.assets.clone(),
            jobs,
            scripts,
            kept,
            strings: self.strings.clone(),
            globals: self.globals.clone(),
            images: self.images.clone(),
        })
    }

    /// The template view of job `index` of [`Site::jobs`] (for pages the server renders).
    pub fn job_view(&self, index: usize) -> Value {
        self.jobs[index].clone()
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
    pub fn pages(&self, site: &Site) -> Vec<PageJob> {
        let count = 1 + site.jobs.len() + site.departments.len() + site.locations.len();
        (0..count + site.pages.len() + 1)
            .map(|n| self.page(site, n))
            .collect()
    }

    /// Page `n` of [`Renderer::pages`].
    pub fn page(&self, site: &Site, n: usize) -> PageJob {
        let open = |indexes: &[usize]| -> Vec<Value> {
            indexes.iter().map(|&i| self.jobs[i].clone()).collect()
        };
        let listing = |path: String, template, context, shows: &[usize]| PageJob {
            path,
            template,
            context,
            shows: shows.to_vec(),
            fresh: shows.iter().any(|&i| !self.kept[i]),
        };
        let (jobs, departments) = (site.jobs.len(), site.departments.len());
        let locations = site.locations.len();
        match n.checked_sub(1) {
            None => {
                let all_open: Vec<usize> = site.open_jobs().map(|(i, _)| i).collect();
                let groups: Vec<Value> = site
                    .departments
                    .iter()
                    .filter(|g| !g.open.is_empty())
                    .map(|g| context! { department => to_value(views::group(&self.urls, g)), jobs => open(&g.open) })
                    .collect();
                let context = context! { jobs => open(&all_open), groups, current_path => "" };
                listing("index.html".into(), "index.html", context, &all_open)
            }
            Some(i) if i < jobs => {
                let path = format!("jobs/{}/", site.jobs[i].posting.slug);
                PageJob {
                    path: format!("{path}index.html"),
                    template: "job.html",
                    context: context! { job => self.jobs[i].clone(), form => (), json_ld => self.scripts[i].clone(), current_path => path },
                    shows: vec![i],
                    fresh: !self.kept[i],
                }
            }
            Some(i) if i < jobs + departments => {
                let g = &site.departments[i - jobs];
                let path = format!("departments/{}/", g.slug);
                let context = context! { department => to_value(views::group(&self.urls, g)), jobs => open(&g.open), current_path => path.clone() };
                listing(
                    format!("{}index.html", path),
                    "department.html",
                    context,
                    &g.open,
                )
            }
            Some(i) if i < jobs + departments + locations => {
                let g = &site.locations[i - jobs - departments];
                let path = format!("locations/{}/", g.slug);
                let context = context! { location => to_value(views::location(site, &self.urls, g)), jobs => open(&g.open), current_path => path.clone() };
                listing(
                    format!("{}index.html", path),
                    "location.html",
                    context,
                    &g.open,
                )
            }
            Some(i) => match site.pages.get(i - jobs - departments - locations) {
                Some(page) => listing(
                    format!("{}index.html", page.url_path),
                    "page.html",
                    context! { page => to_value(views::page(&self.urls, page)), current_path => page.url_path.clone() },
                    &[],
                ),
                None => listing(
                    "404.html".into(),
                    "404.html",
                    context! { current_path => "404.html" },
                    &[],
                ),
            },
        }
    }

    /// Renders one template with a context.
    pub fn render(&self, template: &str, context: &Value) -> Result<String, Diagnostic> {
        let render = || self.env.get_template(template)?.render(context);
        render().map_err(|e| template_error(&e, &self.sources))
    }

    /// Renders pages in parallel; all template errors are collected.
    pub fn render_all(&self, pages: &[PageJob]) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let results: Vec<Result<Output, Diagnostic>> = pages
            .par_iter()
            .map(|p| {
                self.render(p.template, &p.context).map(|html| Output {
                    path: p.path.clone(),
                    bytes: html.into_bytes(),
                })
            })
            .collect();
        let problems =
            crate::diagnostic::distinct(results.iter().filter_map(|r| r.as_ref().err().cloned()));
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(results.into_iter().flatten().collect())
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
            path: e.name().map(|n| PathBuf::from("templates").join(n)),
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
