//! Watches the site's inputs (`site.toml`, `content/`, `templates/`, `static/`,
//! `i18n/`, `themes/`) and sends every file event, relative to the site root, to
//! the rebuild loop. Native events where the system has them (`native`), polling
//! on request or when native watching fails (`poller`). Deciding which events
//! matter is `events`' job, not this one's.

mod native;
mod poller;

use super::events::{FsEvent, Kind};
use crate::diagnostic::Diagnostic;
// The folders whose changes matter (watched recursively) are a build's inputs.
use crate::layout::INPUT_DIRS as WATCHED_DIRS;
use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// A running watcher; dropping it stops watching.
pub struct Watch {
    _watcher: Arc<Mutex<Box<dyn Watcher + Send>>>,
    /// How files are watched, for the start-up message.
    pub method: &'static str,
}

/// Starts watching `root`: natively unless `poll`, falling back to polling when
/// native watching cannot start (the returned note says why).
pub fn start(
    root: &Path,
    poll: bool,
    events: Sender<FsEvent>,
) -> Result<(Watch, Option<String>), Diagnostic> {
    let root = std::fs::canonicalize(root)
        .map_err(|e| Diagnostic::error("io", format!("cannot watch {}: {e}", root.display())))?;
    let mut note = None;
    if !poll {
        match watch_with(&root, events.clone(), native::watcher) {
            Ok(watcher) => {
                return Ok((
                    Watch {
                        _watcher: watcher,
                        method: "native file events",
                    },
                    None,
                ));
            }
            Err(e) => {
                note = Some(format!(
                    "native file watching failed ({e}); polling instead"
                ))
            }
        }
    }
    let watcher = watch_with(&root, events, poller::watcher)
        .map_err(|e| Diagnostic::error("watch", format!("cannot watch {}: {e}", root.display())))?;
    let method = "polling";
    Ok((
        Watch {
            _watcher: watcher,
            method,
        },
        note,
    ))
}

type Make = fn(
    Box<dyn FnMut(notify::Result<notify::Event>) + Send>,
) -> notify::Result<Box<dyn Watcher + Send>>;

/// Creates a watcher with `make` and watches the root (for `site.toml` and new
/// folders) and every input folder in it. Events pass through a thread of ours,
/// which may add watches (a watcher cannot be changed from its own event thread).
fn watch_with(
    root: &Path,
    events: Sender<FsEvent>,
    make: Make,
) -> notify::Result<Arc<Mutex<Box<dyn Watcher + Send>>>> {
    let (raw_tx, raw_rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = make(Box::new(move |result| {
        let _ = raw_tx.send(result);
    }))?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let forwarder = Arc::downgrade(&watcher);
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("watch".into())
        .spawn(move || {
            // Ends when the watcher is dropped (its handler, and so `raw_tx`, goes).
            for result in raw_rx {
                let event = match result {
                    Ok(event) => to_fs_event(&root, &event),
                    // An error may mean lost events: read everything again.
                    Err(_) => Some(FsEvent {
                        kind: Kind::Rescan,
                        paths: Vec::new(),
                    }),
                };
                // Reads (including our own) change nothing; adding a watch reads the
                // folder, so reacting to reads would loop.
                let Some(event) = event.filter(|e| e.kind != Kind::Access) else {
                    continue;
                };
                if matches!(event.kind, Kind::Create | Kind::Rename) {
                    watch_new_folders(&root, &event, &forwarder);
                }
                if events.send(event).is_err() {
                    break;
                }
            }
        })
        .map_err(notify::Error::io)?;
    Ok(watcher)
}

/// A watched folder created after start (`mkdir templates`): watch it too.
fn watch_new_folders(
    root: &Path,
    event: &FsEvent,
    watcher: &std::sync::Weak<Mutex<Box<dyn Watcher + Send>>>,
) {
    for rel in &event.paths {
        let name = rel.to_string_lossy();
        if WATCHED_DIRS.contains(&name.as_ref())
            && root.join(rel).is_dir()
            && let Some(watcher) = watcher.upgrade()
        {
            let mut watcher = watcher.lock().expect("watcher lock");
            let _ = watcher.watch(&root.join(rel), RecursiveMode::Recursive);
        }
    }
}

/// A notify event as an [`FsEvent`] with paths relative to `root`.
fn to_fs_event(root: &Path, event: &notify::Event) -> Option<FsEvent> {
    let kind = if event.need_rescan() {
        Kind::Rescan
    } else {
        match event.kind {
            EventKind::Access(_) => Kind::Access,
            EventKind::Create(_) => Kind::Create,
            EventKind::Remove(_) => Kind::Remove,
            EventKind::Modify(ModifyKind::Name(_)) => Kind::Rename,
            EventKind::Modify(ModifyKind::Metadata(_)) => Kind::Access,
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => Kind::Modify,
        }
    };
    let paths: Vec<PathBuf> = event
        .paths
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect();
    (kind == Kind::Rescan || !paths.is_empty()).then_some(FsEvent { kind, paths })
}
