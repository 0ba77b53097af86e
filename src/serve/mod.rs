//! `openings serve`: builds the site in memory with the build's own stages, serves
//! it over HTTP, and in dev mode watches the inputs, rebuilds what a change
//! affects and tells open tabs (live reload, CSS swap, error overlay).
//! `--production` serves one build, without watcher or reload script. Both
//! hold the site for the current day and rebuild it when a day ends (`clock`).
//!
//! The parts: `door` (the accept loop and connection caps), `conn` (one
//! connection: heads, answers), `body` (a request body as it arrives), `route`
//! (what a request asks for), `pages` (answers from the site in memory),
//! `memory` (the site in memory), `endpoint` (the application endpoint as the
//! server holds it), `clock` (the day), `watch` (file events), `events` (which
//! events matter), `reload` (the browser side).

mod body;
mod clock;
mod conn;
mod door;
mod endpoint;
mod events;
pub mod memory;
mod pages;
mod reload;
mod route;
mod watch;
mod watchdog;

pub use watchdog::probe;

use crate::build::incremental::{Changes, Incremental};
use crate::build::{self, load_config};
use crate::diagnostic::Diagnostic;
use clock::Clock;
use endpoint::Applications;
use memory::Memory;
use reload::{Hub, Message};
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// A burst ends when no event came for this long ...
const QUIET: Duration = Duration::from_millis(30);
/// ... or after this long, so a never-ending stream still gets built.
const MAX_BURST: Duration = Duration::from_millis(1000);
const HEARTBEAT: Duration = Duration::from_secs(15);
/// More changed pages than this and open tabs are told "everything changed".
const MAX_LISTED_PAGES: usize = 1000;

pub struct Options {
    pub build: build::Options,
    pub bind: IpAddr,
    pub port: u16,
    /// Poll for changes instead of native file events.
    pub poll: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Serve one build: no watcher, no reload script.
    pub production: bool,
    /// Where the application endpoint keeps its data (used by `apply`).
    pub data: Option<PathBuf>,
    pub quiet: bool,
}

/// What the HTTP workers share with the rebuild loop.
pub struct State {
    pub dev: bool,
    /// The generation served; `None` while nothing has built yet.
    memory: RwLock<Option<Arc<Memory>>>,
    /// Why the latest change does not build, while it does not.
    problems: RwLock<Option<Vec<Diagnostic>>>,
    pub hub: Hub,
    pub endpoint: Applications,
    stop: AtomicBool,
}

impl State {
    pub fn memory(&self) -> Option<Arc<Memory>> {
        self.memory.read().expect("state lock").clone()
    }

    pub fn problems(&self) -> Option<Vec<Diagnostic>> {
        self.problems.read().expect("state lock").clone()
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// `[apply] trust_proxy`: every connection comes from the proxy, so
    /// connections are not capped per address (the proxy does that).
    pub fn behind_proxy(&self) -> bool {
        self.memory()
            .is_some_and(|m| m.generation.site.config.apply.trust_proxy)
    }

    fn publish(&self, memory: Option<Arc<Memory>>) {
        *self.memory.write().expect("state lock") = memory;
    }

    fn set_problems(&self, problems: Option<Vec<Diagnostic>>) {
        *self.problems.write().expect("state lock") = problems;
    }

    /// What a tab is told when it connects.
    pub fn hello(&self) -> Vec<Message> {
        let generation = self.memory().map_or(0, |m| m.number);
        let mut hello = vec![Message::Hello { generation }];
        if let Some(problems) = self.problems() {
            hello.push(Message::Error {
                html: reload::overlay(&problems),
            });
        }
        hello
    }
}

/// Prints the server's lines (all on stderr, like the build's).
struct Log {
    quiet: bool,
}

impl Log {
    fn line(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    fn problems(&self, problems: &[Diagnostic]) {
        for d in problems {
            eprintln!("{}", d.render());
        }
    }
}

/// Runs the server until Ctrl-C. Fails only when it cannot start (no site, busy
/// port, or, in production, a site that does not build).
pub fn run(options: Options) -> Result<(), Vec<Diagnostic>> {
    let config = load_config(&options.build);
    // No site here at all: nothing to serve or watch.
    if let Err(problems) = &config
        && problems.iter().any(|d| d.code == "no-site")
    {
        return Err(problems.clone());
    }
    let log = Log {
        quiet: options.quiet,
    };
    let mut clock = Clock::new(options.build.site.today);
    let zone = config
        .as_ref()
        .map_or_else(|_| jiff::tz::TimeZone::system(), |c| c.timezone.clone());
    let endpoint = application_endpoint(&options, config.ok())?;
    let (listener, addr) = door::bind(options.bind, options.port).map_err(|d| vec![d])?;
    let state = Arc::new(State {
        dev: !options.production,
        memory: RwLock::new(None),
        problems: RwLock::new(None),
        hub: Hub::default(),
        endpoint,
        stop: AtomicBool::new(false),
    });

    let started = Instant::now();
    let mut incremental = Incremental::new(options.build.clone());
    incremental.set_today(clock.today(&zone));
    let mut site = Site::default();
    first_build(
        &mut incremental,
        &mut site,
        &state,
        &log,
        options.production,
    )?;

    let (tx, rx) = std::sync::mpsc::channel();
    let watch = if options.production {
        None
    } else {
        let (watch, note) =
            watch::start(&options.build.root, options.poll, tx.clone()).map_err(|d| vec![d])?;
        if let Some(note) = note {
            log.line(&note);
        }
        Some(watch)
    };
    door::start(listener, state.clone()).map_err(|e| {
        vec![Diagnostic::error(
            "bind",
            format!("cannot start accepting connections: {e}"),
        )]
    })?;
    if options.production {
        watchdog::start(addr);
    }
    let url = site_url(addr, &state);
    announce(
        &log,
        &options,
        &state,
        &url,
        started.elapsed(),
        watch.as_ref(),
    );
    if options.open {
        open_browser(&url, &log);
    }

    let stop = state.clone();
    let _ = ctrlc::set_handler(move || stop.stop.store(true, Ordering::SeqCst));
    let mut turn = |incremental: &mut Incremental, site: &mut Site| {
        new_day(&mut clock, incremental, site, &state, &log);
    };
    if watch.is_some() {
        drop(tx);
        watch_loop(&rx, &mut incremental, &mut site, &state, &log, &mut turn);
    } else {
        while !state.stopping() {
            std::thread::sleep(Duration::from_millis(100));
            turn(&mut incremental, &mut site);
        }
    }
    log.line("Stopped.");
    Ok(())
}

/// Builds the site for the first time; a broken site fails production at once,
/// and in dev mode is shown until it is fixed.
fn first_build(
    incremental: &mut Incremental,
    site: &mut Site,
    state: &State,
    log: &Log,
    production: bool,
) -> Result<(), Vec<Diagnostic>> {
    match incremental.rebuild(&Changes::everything()) {
        Ok((generation, _)) => {
            let memory = Arc::new(Memory::new(1, generation));
            let problems = memory.render(None);
            if problems.is_empty() {
                site.current = Some(memory.clone());
                site.good = Some(memory.clone());
                state.publish(Some(memory));
            } else if production {
                return Err(problems);
            } else {
                log.problems(&problems);
                state.set_problems(Some(problems));
            }
        }
        Err(problems) if production => return Err(problems),
        Err(problems) => {
            log.problems(&problems);
            state.set_problems(Some(problems));
        }
    }
    Ok(())
}

/// Rebuilds for the new day when one began in the site's time zone.
fn new_day(
    clock: &mut Clock,
    incremental: &mut Incremental,
    site: &mut Site,
    state: &State,
    log: &Log,
) {
    let zone = match state.memory() {
        Some(m) => m.generation.site.config.timezone.clone(),
        None => jiff::tz::TimeZone::system(),
    };
    let Some(today) = clock.tick(&zone) else {
        return;
    };
    if !incremental.set_today(today) {
        return;
    }
    let changes = Changes {
        day: true,
        ..Changes::default()
    };
    let what = format!("The day ({today})");
    rebuild(
        &changes,
        &what,
        incremental,
        site,
        state,
        log,
        Instant::now(),
    );
}

/// The application endpoint (`apply`) over the data folder; started when the
/// first application comes if `site.toml` cannot be read yet (dev mode).
fn application_endpoint(
    options: &Options,
    config: Option<crate::config::Config>,
) -> Result<Applications, Vec<Diagnostic>> {
    let root = options.build.root.clone();
    let (data, production) = (options.data.clone(), options.production);
    let start = move |config: &crate::config::Config| {
        crate::apply::open(
            &root,
            &root.join(crate::layout::OUTPUT),
            data.as_deref(),
            production,
            config,
        )
    };
    match config {
        Some(config) => Ok(Applications::ready(start(&config).map_err(|d| vec![d])?)),
        None => Ok(Applications::deferred(Box::new(start))),
    }
}

/// The URL to print: the base path of the site on the address served.
fn site_url(addr: SocketAddr, state: &State) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let base_path = state.memory().map_or("/".to_string(), |m| {
        m.generation.site.config.base_path().to_string()
    });
    format!("http://{host}:{}{base_path}", addr.port())
}

fn announce(
    log: &Log,
    options: &Options,
    state: &State,
    url: &str,
    took: Duration,
    watch: Option<&watch::Watch>,
) {
    let pages = state.memory().map_or(0, |m| m.page_count());
    let mode = match watch {
        Some(w) => format!("watching for changes ({})", w.method),
        None => "production: no watcher, no reload script".to_string(),
    };
    // The URL line is printed even with --quiet: it is what the command is for.
    eprintln!("Serving {url}");
    log.line(&format!(
        "Built {pages} pages in memory in {} ms; {mode}. Press Ctrl-C to stop.",
        took.as_millis()
    ));
    if let Some(data) = &options.data {
        log.line(&format!("Application data folder: {}", data.display()));
    }
}

fn open_browser(url: &str, log: &Log) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        log.line(&format!(
            "Could not open a browser ({program}); open {url} yourself."
        ));
    }
}

/// The generations the rebuild loop keeps.
#[derive(Default)]
struct Site {
    /// The latest that built; later ones keep its rendered pages.
    current: Option<Arc<Memory>>,
    /// The latest whose pages all rendered: served while a change is broken.
    good: Option<Arc<Memory>>,
    number: u64,
}

/// Waits for bursts of file events and rebuilds once per burst, until Ctrl-C;
/// `turn` looks at the clock between bursts.
fn watch_loop(
    rx: &Receiver<events::FsEvent>,
    incremental: &mut Incremental,
    site: &mut Site,
    state: &State,
    log: &Log,
    turn: &mut dyn FnMut(&mut Incremental, &mut Site),
) {
    site.number = site.current.as_ref().map_or(1, |m| m.number);
    let mut beat = Instant::now();
    while !state.stopping() {
        turn(incremental, site);
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => {
                if beat.elapsed() > HEARTBEAT {
                    state.hub.heartbeat();
                    beat = Instant::now();
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let saved = Instant::now();
        let mut burst = vec![first];
        while saved.elapsed() < MAX_BURST {
            match rx.recv_timeout(QUIET) {
                Ok(event) => burst.push(event),
                Err(_) => break,
            }
        }
        let (changes, shown) = events::changes(&burst);
        if changes.is_empty() {
            continue;
        }
        rebuild(
            &changes,
            &describe(&shown),
            incremental,
            site,
            state,
            log,
            saved,
        );
    }
}

/// `content/jobs/a.md`, or `content/jobs/a.md and 3 more files`.
fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [] => "files".to_string(),
        [one] => one.display().to_string(),
        [first, rest @ ..] => format!(
            "{} and {} more",
            first.display(),
            crate::diagnostic::plural(rest.len(), "file")
        ),
    }
}

fn rebuild(
    changes: &Changes,
    what: &str,
    incremental: &mut Incremental,
    site: &mut Site,
    state: &State,
    log: &Log,
    saved: Instant,
) {
    let broken = |problems: Vec<Diagnostic>| {
        log.problems(&problems);
        log.line(&format!(
            "{what} changed: the site does not build ({}); still serving the last version that did.",
            crate::diagnostic::plural(problems.len(), "problem")
        ));
        state.hub.send(&Message::Error {
            html: reload::overlay(&problems),
        });
        state.set_problems(Some(problems));
    };
    let (generation, changed) = match incremental.rebuild(changes) {
        Ok(rebuilt) => rebuilt,
        Err(problems) => return broken(problems),
    };
    site.number += 1;
    let memory = Arc::new(match &site.current {
        Some(before) => before.next(site.number, generation, &changed),
        None => Memory::new(site.number, generation),
    });
    let message = message(site.good.as_deref(), &memory, &changed);
    site.current = Some(memory.clone());
    state.publish(Some(memory.clone()));
    let ready = saved.elapsed();
    state.set_problems(None);
    if let Some(message) = &message {
        state.hub.send(message);
    }
    // Render what changed now, so template errors show at once and pages are warm.
    let problems = memory.render(Some(&changed));
    if !problems.is_empty() {
        state.publish(site.good.clone());
        return broken(problems);
    }
    site.good = Some(memory);
    log.line(&format!(
        "{what} changed: {} re-rendered in {} ms (served after {} ms)",
        crate::diagnostic::plural(changed.len(), "page"),
        saved.elapsed().as_millis(),
        ready.as_millis()
    ));
}

/// What open tabs are told about a new generation: a stylesheet swap when only
/// CSS changed, else the pages that changed; `None` when nothing visible did.
fn message(before: Option<&Memory>, after: &Memory, changed: &HashSet<String>) -> Option<Message> {
    let generation = after.number;
    let Some(before) = before else {
        return Some(Message::Pages {
            generation,
            paths: None,
        });
    };
    // Only static files can change what an open page shows; generated files
    // (feeds, sitemap, jobs.json) change with every posting edit and are not shown.
    let assets = &after.generation.renderer.assets;
    let files: Vec<String> = before
        .changed_files(after)
        .into_iter()
        .filter(|f| {
            assets.iter().any(|a| &a.path == f)
                || before
                    .generation
                    .renderer
                    .assets
                    .iter()
                    .any(|a| &a.path == f)
        })
        .collect();
    let (old, new) = (&before.generation.renderer, &after.generation.renderer);
    let same_templates = || {
        old.template_sources()
            .collect::<std::collections::BTreeMap<_, _>>()
            == new.template_sources().collect()
    };
    // Pages differ only in the stylesheet URLs when their data is the same.
    let same_data = || {
        before.generation.pages.len() == after.generation.pages.len()
            && old.global("t") == new.global("t")
            && old.global("site") == new.global("site")
            && before
                .generation
                .pages
                .iter()
                .zip(&after.generation.pages)
                .all(|(a, b)| a.path == b.path && a.context == b.context)
    };
    if !files.is_empty()
        && files.iter().all(|f| f.ends_with(".css"))
        && same_templates()
        && same_data()
    {
        let now = new.urls.asset_names();
        let swaps = old
            .urls
            .asset_names()
            .iter()
            .filter(|(name, out)| name.ends_with(".css") && now.get(*name) != Some(out))
            .filter_map(|(name, out)| Some((old.urls.path(out), new.urls.asset(name)?)))
            .collect();
        return Some(Message::Css { generation, swaps });
    }
    if changed.is_empty() && files.is_empty() {
        return None;
    }
    let base_path = after.generation.site.config.base_path();
    let paths = (changed.len() <= MAX_LISTED_PAGES && files.is_empty()).then(|| {
        changed
            .iter()
            .map(|p| format!("{base_path}{}", crate::urls::path_of_file(p)))
            .collect()
    });
    Some(Message::Pages { generation, paths })
}
