//! The rebuild loop of a running server: bursts of file events become one
//! rebuild (dev mode), a new day becomes another (both modes), and open tabs
//! are told what changed (live reload, CSS swap, error overlay). Builds go
//! through the build's own incremental stages.

use super::clock::Clock;
use super::events;
use super::memory::Memory;
use super::reload::{self, Message};
use super::state::State;
use crate::build::incremental::{Changes, Incremental};
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

// Batching stays here rather than in notify-debouncer-full: that crate delays
// each path until it is quiet (plus a tick), so a file saved in a loop never
// rebuilds, and its rename stitching is what `events::changes` already does
// per path; this loop also carries the day change and the heartbeat.
/// A burst ends when no event came for this long ...
const QUIET: Duration = Duration::from_millis(30);
/// ... or after this long, so a never-ending stream still gets built.
const MAX_BURST: Duration = Duration::from_millis(1000);
const HEARTBEAT: Duration = Duration::from_secs(15);
/// More changed pages than this and open tabs are told "everything changed".
const MAX_LISTED_PAGES: usize = 1000;

/// Prints the server's lines (all on stderr, like the build's).
pub struct Log {
    pub quiet: bool,
}

impl Log {
    pub fn line(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    pub fn problems(&self, problems: &[Diagnostic]) {
        for d in &crate::diagnostic::per_file(problems) {
            eprintln!("{}", d.render());
        }
    }
}

/// Builds the site for the first time; a broken site fails production at once,
/// and in dev mode is shown until it is fixed.
pub fn first_build(
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
pub fn new_day(
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

/// The generations the rebuild loop keeps.
#[derive(Default)]
pub struct Site {
    /// The latest that built; later ones keep its rendered pages.
    current: Option<Arc<Memory>>,
    /// The latest whose pages all rendered: served while a change is broken.
    good: Option<Arc<Memory>>,
    number: u64,
}

/// Waits for bursts of file events and rebuilds once per burst, until Ctrl-C;
/// `turn` looks at the clock between bursts.
pub fn watch_loop(
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
    let files = changed_statics(before, after);
    if !files.is_empty()
        && files.iter().all(|f| f.ends_with(".css"))
        && same_templates(before, after)
        && same_data(before, after)
    {
        let (old, new) = (&before.generation.renderer, &after.generation.renderer);
        let swaps = css_swaps(old, new);
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

/// The changed files that are static files of either generation. Only these
/// can change what an open page shows; generated files (feeds, sitemap,
/// jobs.json) change with every posting edit and are not shown.
fn changed_statics(before: &Memory, after: &Memory) -> Vec<String> {
    let assets = &after.generation.renderer.assets;
    before
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
        .collect()
}

fn same_templates(before: &Memory, after: &Memory) -> bool {
    let (old, new) = (&before.generation.renderer, &after.generation.renderer);
    old.template_sources()
        .collect::<std::collections::BTreeMap<_, _>>()
        == new.template_sources().collect()
}

/// Pages differ only in the stylesheet URLs when their data is the same.
fn same_data(before: &Memory, after: &Memory) -> bool {
    let (old, new) = (&before.generation.renderer, &after.generation.renderer);
    before.generation.pages.len() == after.generation.pages.len()
        && old.global("t") == new.global("t")
        && old.global("site") == new.global("site")
        && before
            .generation
            .pages
            .iter()
            .zip(&after.generation.pages)
            .all(|(a, b)| a.path == b.path && a.context == b.context)
}

/// Each stylesheet whose output name changed: its old URL path and its new URL.
fn css_swaps(old: &Renderer, new: &Renderer) -> Vec<(String, String)> {
    let now = new.urls.asset_names();
    old.urls
        .asset_names()
        .iter()
        .filter(|(name, out)| name.ends_with(".css") && now.get(*name) != Some(out))
        .filter_map(|(name, out)| Some((old.urls.path(out), new.urls.asset(name)?)))
        .collect()
}
