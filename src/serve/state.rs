//! What the connections share with the rebuild loop: the generation served,
//! the problems of the latest change, the open tabs and the endpoint.

use super::endpoint::Applications;
use super::memory::Memory;
use super::reload::{self, Hub, Message};
use crate::diagnostic::Diagnostic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// What the HTTP workers share with the rebuild loop.
pub struct State {
    pub dev: bool,
    /// `--endpoint-only`: answer the endpoint and `/healthz`; every page is
    /// on the static host, so a request for one is sent there.
    pub endpoint_only: bool,
    /// The generation served; `None` while nothing has built yet.
    pub(super) memory: RwLock<Option<Arc<Memory>>>,
    /// Why the latest change does not build, while it does not.
    pub(super) problems: RwLock<Option<Vec<Diagnostic>>>,
    pub hub: Hub,
    pub endpoint: Applications,
    /// Where the dev server writes the emails it does not send.
    pub mail_dir: Option<std::path::PathBuf>,
    pub(super) stop: AtomicBool,
}

impl State {
    /// Nothing built yet, no tab open, not stopping.
    pub fn new(dev: bool, endpoint: Applications) -> State {
        State {
            dev,
            endpoint_only: false,
            memory: RwLock::new(None),
            problems: RwLock::new(None),
            hub: Hub::default(),
            endpoint,
            mail_dir: None,
            stop: AtomicBool::new(false),
        }
    }

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

    pub(super) fn publish(&self, memory: Option<Arc<Memory>>) {
        *self.memory.write().expect("state lock") = memory;
    }

    pub(super) fn set_problems(&self, problems: Option<Vec<Diagnostic>>) {
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
