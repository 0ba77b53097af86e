//! Delivers the outbox: webhook notices and emails, queued in the same
//! transaction as their application and sent afterwards on a thread of their
//! own, retried with exponential backoff. A slow, failing or refusing receiver
//! never delays or loses an application; a message is deleted only once it is
//! delivered (a crash in between sends it again: at least once).
//!
//! In dev mode emails are never sent: each is written as an `.eml` file under
//! `.openings/dev-mail/` and announced with one line.

use super::mail::{self, Queued};
use super::store::{NoticeKind, OutboxItem, Store};
use super::webhook;
use crate::config::{Notify, PASSWORD_ENV, Security};
use lettre::Transport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls as SmtpTls, TlsParameters};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Attempts before a message is given up (about two days of retries).
const MAX_ATTEMPTS: u32 = 16;
/// Longest wait between two looks at the outbox when nothing wakes the worker.
const IDLE: Duration = Duration::from_secs(30);
/// One SMTP exchange may take this long.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// How long to wait after `attempts` failures: 5 s, 10 s, 20 s... at most 6 h.
pub fn backoff(attempts: u32) -> Duration {
    let secs = 5u64.saturating_mul(1u64 << attempts.min(20));
    Duration::from_secs(secs.min(6 * 3600))
}

/// Where emails go.
pub enum Mail {
    /// An SMTP server (production).
    Smtp(Box<lettre::SmtpTransport>, Notify),
    /// `.eml` files in a folder (dev mode).
    Folder(PathBuf, Notify),
}

impl Mail {
    /// The SMTP transport `[notify]` describes; the password from
    /// `password_file` or the environment.
    pub fn smtp(notify: &Notify) -> Result<Mail, String> {
        let host = notify.smtp_host.as_str();
        let mut tls = TlsParameters::builder(host.to_string());
        if let Some(ca) = &notify.ca_file {
            let pem =
                std::fs::read(ca).map_err(|e| format!("cannot read {}: {e}", ca.display()))?;
            let cert = Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", ca.display()))?;
            tls = tls.add_root_certificate(cert);
        }
        let tls = tls.build().map_err(|e| e.to_string())?;
        let mut builder = lettre::SmtpTransport::builder_dangerous(host)
            .port(notify.smtp_port)
            .timeout(Some(SMTP_TIMEOUT))
            .tls(match notify.tls {
                Security::StartTls => SmtpTls::Required(tls),
                Security::Tls => SmtpTls::Wrapper(tls),
                Security::None => SmtpTls::None,
            });
        if let Some(user) = &notify.username {
            builder = builder.credentials(Credentials::new(user.clone(), password(notify)?));
        }
        Ok(Mail::Smtp(Box::new(builder.build()), notify.clone()))
    }

    fn notify(&self) -> &Notify {
        match self {
            Mail::Smtp(_, notify) | Mail::Folder(_, notify) => notify,
        }
    }
}

/// The SMTP password: `password_file`, else `OPENINGS_SMTP_PASSWORD`.
fn password(notify: &Notify) -> Result<String, String> {
    if let Some(file) = &notify.password_file {
        return std::fs::read_to_string(file)
            .map(|p| p.trim_end_matches(['\r', '\n']).to_string())
            .map_err(|e| format!("cannot read password_file {}: {e}", file.display()));
    }
    std::env::var(PASSWORD_ENV).map_err(|_| {
        format!("[notify] has a username but no password: set {PASSWORD_ENV} or password_file")
    })
}

/// What the worker sends with.
pub struct Senders {
    pub webhook: Option<String>,
    pub mail: Option<Mail>,
}

/// The running worker; dropping it stops the thread.
pub struct Outbox {
    wake: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Outbox {
    pub fn spawn(store: Arc<dyn Store>, senders: Senders) -> Outbox {
        let (wake, woken) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("openings-outbox".into())
            .spawn(move || run(&*store, &senders, &woken))
            .ok();
        Outbox {
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

impl Drop for Outbox {
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

fn run(store: &dyn Store, senders: &Senders, woken: &mpsc::Receiver<()>) {
    let agent = webhook::agent();
    loop {
        for item in store.outbox_due(now_ms(), 32).unwrap_or_default() {
            let _ = match deliver(store, senders, &agent, &item) {
                Ok(()) => store.outbox_sent(item.id),
                Err(e) => {
                    let retry = (item.attempts + 1 < MAX_ATTEMPTS)
                        .then(|| now_ms() + backoff(item.attempts).as_millis() as i64);
                    // Recorded before it is told, so what the log says is
                    // already what `applications outbox` shows.
                    let recorded = store.outbox_failed(item.id, retry, &e);
                    let what = item.kind.as_str();
                    match retry {
                        None => eprintln!(
                            "outbox: giving up on {what} {} after {MAX_ATTEMPTS} attempts: {e}",
                            item.id
                        ),
                        Some(_) => eprintln!("outbox: {what} {} not delivered: {e}", item.id),
                    }
                    recorded
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

fn deliver(
    store: &dyn Store,
    senders: &Senders,
    agent: &ureq::Agent,
    item: &OutboxItem,
) -> Result<(), String> {
    if item.kind == NoticeKind::Webhook {
        let url = senders
            .webhook
            .as_deref()
            .ok_or("no [apply] webhook is set")?;
        return webhook::post(agent, url, &item.payload);
    }
    let mail = senders
        .mail
        .as_ref()
        .ok_or("no [notify] is set in site.toml")?;
    let queued: Queued = serde_json::from_str(&item.payload).map_err(|e| e.to_string())?;
    let resume = if queued.attach_resume {
        resume(store, item.application_id)?
    } else {
        None
    };
    let message = mail::message(mail.notify(), item.kind, &queued, resume)?;
    match mail {
        Mail::Smtp(transport, _) => transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Mail::Folder(folder, _) => {
            let path = folder.join(format!(
                "{}-{}.eml",
                item.application_id,
                item.kind.as_str()
            ));
            crate::apply::folder::create_private_dir(folder).map_err(|e| e.to_string())?;
            crate::apply::folder::write_private(&path, &message.formatted())
                .map_err(|e| e.to_string())?;
            eprintln!(
                "mail (dev, not sent): \"{}\" to {} -> {}",
                queued.subject,
                queued.to.join(", "),
                path.display()
            );
            Ok(())
        }
    }
}

/// The application's résumé: its name, detected kind and bytes.
fn resume(store: &dyn Store, id: i64) -> Result<Option<(String, String, Vec<u8>)>, String> {
    let app = store.get(id).map_err(|e| e.to_string())?;
    let Some(file) = app.and_then(|a| a.files.into_iter().find(|f| f.field == "resume")) else {
        return Ok(None);
    };
    let bytes = store.file_bytes(file.id).map_err(|e| e.to_string())?;
    Ok(bytes.map(|b| (file.name, file.kind, b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::tests::{each_store, sample, webhook_notice};
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
        for test_store in each_store() {
            a_failed_notice_is_retried_in(test_store.store.clone());
        }
    }

    fn a_failed_notice_is_retried_in(store: Arc<dyn Store>) {
        let mut app = sample(&*store, "engineer", now_ms());
        app.outbox = vec![webhook_notice(serde_json::json!({"posting": "engineer"}))];
        let id = store.insert(app).unwrap();
        let (url, server) = fake_webhook(vec![503, 200]);
        let senders = Senders {
            webhook: Some(url),
            mail: None,
        };
        let worker = Outbox::spawn(store.clone(), senders);
        // The first attempt fails; make the retry due now instead of in 5 s.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while store.outbox_next().unwrap().is_some() && std::time::Instant::now() < deadline {
            // Looked at through the listing: taking it (outbox_due) would hold
            // it away from the worker in PostgreSQL.
            if let Some(item) = store.outbox_list().unwrap().first()
                && item.attempts == 1
                && item.next_attempt_at != Some(0)
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
