//! The system's own file events (inotify, FSEvents, ReadDirectoryChangesW).

use notify::{Config, RecommendedWatcher, Watcher};

pub fn watcher(
    handler: Box<dyn FnMut(notify::Result<notify::Event>) + Send>,
) -> notify::Result<Box<dyn Watcher + Send>> {
    Ok(Box::new(RecommendedWatcher::new(
        handler,
        Config::default(),
    )?))
}
