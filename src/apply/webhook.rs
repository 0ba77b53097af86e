//! Tells `[apply] webhook` about each new application. The notice is written to
//! the outbox in the same transaction as the application; this worker sends it
//! afterwards on its own thread, retrying with exponential backoff, so a slow or
//! failing webhook never delays or loses an application.

use super::store::Store;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Attempts before a notice is given up (about two days of retries).
const MAX_ATTEMPTS: u32 = 16;
/// Longest wait between two looks at the outbox when nothing wakes the worker.
const IDLE: Duration = Duration::from_secs(30);

/// How long to wait after `attempts` failures: 5 s, 10 s, 20 s... at most 6 h.
pub fn backoff(attempts: u32) -> Duration {
    let secs = 5u64.saturating_mul(1u64 << attempts.min(20));
    Duration::from_secs(secs.min(6 * 3600))
}

/// The running worker; dropping it stops the thread.
pub struct Webhook {
    wake: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Webhook {
    pub fn spawn(store: Arc<dyn Store>, url: String) -> Webhook {
        let (wake, woken) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("openings-webhook".into())
            .spawn(move || run(&*store, &url, &woken))
            .ok();
        Webhook {
            wake: Some(wake),
            thread,
        }
    }

    /// Asks the worker to look at the outbox now (after a commit).
    pub fn wake(&self) {
        if let Some(w) = &self.wake {
            let _ = w.send(());
        }
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        self.wake.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn run(store: &dyn Store, url: &str, woken: &mpsc::Receiver<()>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .build()
        .into();
    loop {
        let due = store.outbox_due(now_ms(), 32).unwrap_or_default();
        for item in due {
            let sent = agent
                .post(url)
                .header("content-type", "application/json")
                .header(
                    "user-agent",
                    concat!("openings/", env!("CARGO_PKG_VERSION")),
                )
                .send(item.payload.as_str());
            let _ = match sent {
                Ok(_) => store.outbox_sent(item.id),
                Err(e) => {
                    let retry = (item.attempts + 1 < MAX_ATTEMPTS)
                        .then(|| now_ms() + backoff(item.attempts).as_millis() as i64);
                    if retry.is_none() {
                        eprintln!(
                            "webhook: giving up on notice {} after {MAX_ATTEMPTS} attempts: {e}",
                            item.id
                        );
                    }
                    store.outbox_failed(item.id, retry, &e.to_string())
                }
            };
        }
        let wait = match store.outbox_next() {
            Ok(Some(at)) => Duration::from_millis((at - now_ms()).max(0) as u64).min(IDLE),
            _ => IDLE,
        };
        match woken.recv_timeout(wait) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Several commits may have woken us; one look serves them all.
        while woken.try_recv().is_ok() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::{SqliteStore, tests::sample};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        assert_eq!(backoff(0), Duration::from_secs(5));
        assert_eq!(backoff(1), Duration::from_secs(10));
        assert_eq!(backoff(3), Duration::from_secs(40));
        assert_eq!(backoff(30), Duration::from_secs(6 * 3600));
    }

    /// Answers `statuses` in turn, one request each, and returns the bodies received.
    fn fake_webhook(statuses: Vec<u16>) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let thread = std::thread::spawn(move || {
            let mut bodies = Vec::new();
            for status in statuses {
                let (stream, _) = listener.accept().unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let mut reader = BufReader::new(stream);
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                bodies.push(String::from_utf8(body).unwrap());
                let mut stream = reader.into_inner();
                write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                )
                .unwrap();
            }
            bodies
        });
        (url, thread)
    }

    #[test]
    fn a_failed_notice_is_retried_until_it_is_delivered() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("a.db")).unwrap());
        let mut app = sample(&*store, "engineer", now_ms());
        app.notify = Some(serde_json::json!({"posting": "engineer"}));
        let id = store.insert(app).unwrap();
        let (url, server) = fake_webhook(vec![503, 200]);
        let worker = Webhook::spawn(store.clone(), url);
        // The first attempt fails; make the retry due now instead of in 5 s.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while store.outbox_next().unwrap().is_some() && std::time::Instant::now() < deadline {
            if let Some(item) = store.outbox_due(i64::MAX, 1).unwrap().first()
                && item.attempts == 1
            {
                store
                    .outbox_failed(item.id, Some(0), "test: retry now")
                    .unwrap();
                worker.wake();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let bodies = server.join().unwrap();
        assert_eq!(bodies.len(), 2);
        let notice: serde_json::Value = serde_json::from_str(&bodies[1]).unwrap();
        assert_eq!(notice["id"], id);
        assert_eq!(notice["posting"], "engineer");
        assert_eq!(store.outbox_next().unwrap(), None);
    }
}
