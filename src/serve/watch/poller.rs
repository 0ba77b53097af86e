//! Polling: compares modification times every half second. For network drives,
//! containers and WSL, where native events do not arrive (`--poll`), and as the
//! fallback when native watching cannot start.

use notify::{Config, PollWatcher, Watcher};
use std::time::Duration;

pub const INTERVAL: Duration = Duration::from_millis(500);

pub fn watcher(
    handler: Box<dyn FnMut(notify::Result<notify::Event>) + Send>,
) -> notify::Result<Box<dyn Watcher + Send>> {
    Ok(Box::new(PollWatcher::new(
        handler,
        Config::default().with_poll_interval(INTERVAL),
    )?))
}
