//! The front door: binds the port and runs the accept loop, which never ends
//! while the server runs. Each accepted connection gets a thread of its own
//! (see `conn`), under a cap on open connections, in all and per client
//! address, so slow or many clients from one address cannot take the server
//! from everyone else. A failed `accept` (out of file descriptors, a connection
//! reset before it was taken) is logged and the loop goes on.
//!
//! Why the server owns the accept loop rather than tiny_http: tiny_http's loop
//! ends on its first `accept` error, for good, and it reads heads and bodies
//! with no limit on size or time; the loopback hop that once put a guard in
//! front of it cost a second socket, a copy thread and four descriptors per
//! request (see the README's figures). tiny_http stays the HTTP layer for
//! answers: every response is written by its `Response` (see `conn`).

use super::state::State;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections open at once from one client address (a browser opens six).
pub const PER_CLIENT: usize = 64;
/// Connections open at once in all, when file descriptors allow.
const MAX_CONNECTIONS: usize = 4096;

/// Binds `ip:port` (`0` picks a free port); a busy port is said clearly.
pub fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), Diagnostic> {
    let listener = TcpListener::bind((ip, port)).map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {port} on {ip} is already in use; stop the other server or choose another port with --port (0 picks a free one)"
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "no permission to listen on port {port} of {ip}; ports below 1024 need privileges: choose another with --port"
            ),
            _ => format!("cannot listen on {ip}:{port}: {e}"),
        };
        Diagnostic::error("bind", message)
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::error("bind", format!("cannot serve on {ip}:{port}: {e}")))?;
    Ok((listener, addr))
}

/// Who holds which connections.
struct Counts {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// The open connections, counted for the caps.
pub struct Caps {
    counts: Mutex<Counts>,
    max: usize,
}

/// A connection's place under the caps, given back when dropped.
pub struct Admitted {
    caps: Arc<Caps>,
    client: Option<IpAddr>,
}

impl Caps {
    /// Caps sized to the file descriptors this process may open (raised to the
    /// hard limit first: the soft default of 1024 is too few for a server).
    pub fn new() -> Arc<Caps> {
        let descriptors = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
        let max = usize::try_from(descriptors.saturating_sub(64))
            .unwrap_or(MAX_CONNECTIONS)
            .clamp(16, MAX_CONNECTIONS);
        Arc::new(Caps {
            counts: Mutex::new(Counts {
                total: 0,
                per_client: HashMap::new(),
            }),
            max,
        })
    }

    /// A place for a connection from `client` (`None`: not counted per client,
    /// as behind a trusted proxy), or the status to refuse it with.
    pub fn admit(self: &Arc<Caps>, client: Option<IpAddr>) -> Result<Admitted, u16> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.total >= self.max {
            return Err(503);
        }
        if let Some(ip) = client {
            let n = counts.per_client.entry(ip).or_default();
            if *n >= PER_CLIENT {
                return Err(429);
            }
            *n += 1;
        }
        counts.total += 1;
        Ok(Admitted {
            caps: self.clone(),
            client,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut counts = self.caps.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total -= 1;
        if let Some(ip) = self.client
            && let Some(n) = counts.per_client.get_mut(&ip)
        {
            *n -= 1;
            if *n == 0 {
                counts.per_client.remove(&ip);
            }
        }
    }
}

/// Runs the accept loop on its own thread until the process ends.
pub fn start(listener: TcpListener, state: Arc<State>) -> std::io::Result<()> {
    let caps = Caps::new();
    std::thread::Builder::new()
        .name("accept".into())
        .spawn(move || accept_loop(&listener, &state, &caps))
        .map(|_| ())
}

fn accept_loop(listener: &TcpListener, state: &Arc<State>, caps: &Arc<Caps>) {
    let mut failures = Failures::default();
    loop {
        let (stream, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                failures.note(&e);
                // Out of descriptors: let connections close before trying again.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if state.stopping() {
            return;
        }
        let counted = (!state.behind_proxy()).then_some(peer.ip());
        let admitted = match caps.admit(counted) {
            Ok(admitted) => admitted,
            Err(status) => {
                super::conn::refuse_at_once(stream, status);
                continue;
            }
        };
        let state = state.clone();
        let spawned = std::thread::Builder::new()
            .name("conn".into())
            .spawn(move || {
                super::conn::serve(stream, peer.ip(), &state);
                drop(admitted);
            });
        if let Err(e) = spawned {
            failures.note(&e);
        }
    }
}

/// Accept failures, logged at most once a minute with how many there were.
#[derive(Default)]
struct Failures {
    since: Option<Instant>,
    count: u64,
}

impl Failures {
    fn note(&mut self, e: &std::io::Error) {
        self.count += 1;
        if self
            .since
            .is_none_or(|t| t.elapsed() > Duration::from_secs(60))
        {
            eprintln!(
                "serve: could not accept a connection ({} since the last report): {e}; still accepting",
                self.count
            );
            self.since = Some(Instant::now());
            self.count = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_client_cannot_take_every_connection() {
        let caps = Arc::new(Caps {
            counts: Mutex::new(Counts {
                total: 0,
                per_client: HashMap::new(),
            }),
            max: PER_CLIENT + 2,
        });
        let greedy: IpAddr = "127.0.0.2".parse().unwrap();
        let other: IpAddr = "127.0.0.3".parse().unwrap();
        let held: Vec<Admitted> = (0..PER_CLIENT)
            .map(|_| caps.admit(Some(greedy)).unwrap())
            .collect();
        assert_eq!(caps.admit(Some(greedy)).err(), Some(429));
        let a = caps.admit(Some(other)).unwrap();
        let _b = caps.admit(None).unwrap();
        assert_eq!(caps.admit(Some(other)).err(), Some(503));
        drop(a);
        drop(held);
        let counts = caps.counts.lock().unwrap();
        assert_eq!(counts.total, 1);
        assert!(counts.per_client.is_empty());
    }
}
