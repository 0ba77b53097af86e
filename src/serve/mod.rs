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
mod devmail;
mod door;
mod endpoint;
mod events;
mod head;
mod memory;
mod pages;
mod rebuild;
mod reload;
mod route;
mod state;
mod watch;
mod watchdog;

pub use watchdog::probe;

use crate::build::incremental::Incremental;
use crate::build::{self, load_config};
use crate::diagnostic::Diagnostic;
use clock::Clock;
use endpoint::Applications;
use rebuild::{Log, Site, first_build, new_day, watch_loop};
use state::State;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

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
    /// Production, answering only the endpoint and `/healthz` (the pages are
    /// on a static host).
    pub endpoint_only: bool,
    /// Where the application endpoint keeps its data (used by `apply`).
    pub data: Option<PathBuf>,
    /// The PostgreSQL database applications are kept in instead (production).
    pub database: Option<String>,
    pub quiet: bool,
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
    let clock = Clock::new(options.build.site.today);
    let zone = config
        .as_ref()
        .map_or_else(|_| jiff::tz::TimeZone::system(), |c| c.timezone.clone());
    let endpoint = application_endpoint(&options, config.ok())?;
    let (listener, addr) = door::bind(options.bind, options.port).map_err(|d| vec![d])?;
    let mut state = State::new(!options.production, endpoint);
    if !options.production {
        state.mail_dir = Some(crate::layout::dev_mail_dir(&options.build.root));
    }
    state.endpoint_only = options.endpoint_only;
    let state = Arc::new(state);

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

    let watching = watch_inputs(&options, &log)?;
    accept(listener, &state, addr, options.production)?;
    let url = site_url(addr, &state);
    let watch = watching.as_ref().map(|(watch, _)| watch);
    announce(&log, &options, &state, &url, started.elapsed(), watch);
    if options.open {
        open_browser(&url, &log);
    }
    let events = watching.as_ref().map(|(_, events)| events);
    serve_until_stopped(clock, &mut incremental, &mut site, &state, &log, events);
    log.line("Stopped.");
    Ok(())
}

/// In dev mode, starts watching the site's inputs: the watcher, and where its
/// file events arrive.
fn watch_inputs(
    options: &Options,
    log: &Log,
) -> Result<Option<(watch::Watch, Receiver<events::FsEvent>)>, Vec<Diagnostic>> {
    if options.production {
        return Ok(None);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let (watch, note) = watch::start(&options.build.root, options.poll, tx).map_err(|d| vec![d])?;
    if let Some(note) = note {
        log.line(&note);
    }
    Ok(Some((watch, rx)))
}

/// Starts accepting connections on `listener`; in production, tells systemd the
/// server is ready and starts its watchdog.
fn accept(
    listener: std::net::TcpListener,
    state: &Arc<State>,
    addr: SocketAddr,
    production: bool,
) -> Result<(), Vec<Diagnostic>> {
    door::start(listener, state.clone()).map_err(|e| {
        vec![Diagnostic::error(
            "bind",
            format!("cannot start accepting connections: {e}"),
        )]
    })?;
    if production {
        watchdog::start(addr);
    }
    Ok(())
}

/// Rebuilds on file `events` (dev mode) and when a day ends, until Ctrl-C.
fn serve_until_stopped(
    mut clock: Clock,
    incremental: &mut Incremental,
    site: &mut Site,
    state: &Arc<State>,
    log: &Log,
    events: Option<&Receiver<events::FsEvent>>,
) {
    let stop = state.clone();
    let _ = ctrlc::set_handler(move || stop.stop.store(true, Ordering::SeqCst));
    let mut turn = |incremental: &mut Incremental, site: &mut Site| {
        new_day(&mut clock, incremental, site, state, log);
    };
    match events {
        Some(rx) => watch_loop(rx, incremental, site, state, log, &mut turn),
        None => {
            while !state.stopping() {
                std::thread::sleep(Duration::from_millis(100));
                turn(incremental, site);
            }
        }
    }
}

/// The application endpoint (`apply`) over the data folder; started when the
/// first application comes if `site.toml` cannot be read yet (dev mode).
fn application_endpoint(
    options: &Options,
    config: Option<crate::config::Config>,
) -> Result<Applications, Vec<Diagnostic>> {
    let root = options.build.root.clone();
    let (data, production) = (options.data.clone(), options.production);
    let database = options.database.clone();
    let start = move |config: &crate::config::Config| {
        let store = match &database {
            Some(url) => crate::apply::Keep::Postgres(url),
            None => crate::apply::Keep::Sqlite(data.as_deref()),
        };
        crate::apply::open(
            &root,
            &root.join(crate::layout::OUTPUT),
            store,
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
        None if state.endpoint_only => {
            "production, endpoint only: pages are redirected to base_url".to_string()
        }
        None => "production: no watcher, no reload script".to_string(),
    };
    // The URL line is printed even with --quiet: it is what the command is for.
    eprintln!("Serving {url}");
    log.line(&format!(
        "Built {pages} pages in memory in {} ms; {mode}. Press Ctrl-C to stop.",
        took.as_millis()
    ));
    if let Some(url) = &options.database {
        let url = crate::apply::store::redacted(url);
        log.line(&format!("Applications kept in PostgreSQL: {url}"));
    } else if let Some(data) = &options.data {
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
