//! The application endpoint: the one dynamic part of a careers site. A posting's
//! form is read as it arrives with hard limits (`multipart`, uploads written to
//! disk by `spool` and judged by `sniff`), checked against the posting's own
//! form definition (`form`), guarded by per-client limits (`limit`), stored
//! durably before the candidate hears "received" (`store`), and announced to an
//! optional webhook afterwards (`webhook`). `endpoint` decides what to answer,
//! `reply` words it, `exchange` holds the request and response it speaks;
//! `folder` is where the data lives; `admin` is what recruiters run.
//!
//! Not the HTTP server: `serve` owns sockets and hands requests over.

pub mod admin;
pub mod endpoint;
pub mod exchange;
pub mod folder;
mod form;
mod limit;
pub mod mail;
mod multipart;
mod outbox;
mod reply;
pub mod shown;
mod sniff;
mod spool;
pub mod store;
mod webhook;

use crate::diagnostic::Diagnostic;
use endpoint::Endpoint;
use std::path::Path;
use std::sync::Arc;
use store::{PostgresStore, SqliteStore, Store, db_path};

/// Where a server keeps applications.
#[derive(Clone, Copy)]
pub enum Keep<'a> {
    /// SQLite in a data folder (`--data`, default `.openings/`).
    Sqlite(Option<&'a Path>),
    /// A PostgreSQL database, by URL (`--database`).
    Postgres(&'a str),
}

/// The endpoint a server answers forms with: its production store (SQLite in
/// the data folder, or PostgreSQL), or the dev store `.openings/dev.db` in the
/// site folder.
pub fn open(
    root: &Path,
    output: &Path,
    keep: Keep<'_>,
    production: bool,
    config: &crate::config::Config,
) -> Result<Endpoint, Diagnostic> {
    let store: Arc<dyn Store> = match keep {
        Keep::Postgres(url) => Arc::new(PostgresStore::open(url).map_err(|e| {
            Diagnostic::error("store", format!("{}: {e}", store::redacted(url))).with_hint(
                "check the URL, that the server is up and that the user may create tables",
            )
        })?),
        Keep::Sqlite(data) => Arc::new(open_sqlite(root, output, data, production)?),
    };
    let senders = senders(config, root, production)?;
    Ok(Endpoint::new(&config.apply, store, senders))
}

/// The SQLite store in the data folder, once the folder is known to be safe:
/// outside what is published, and private.
fn open_sqlite(
    root: &Path,
    output: &Path,
    data: Option<&Path>,
    production: bool,
) -> Result<SqliteStore, Diagnostic> {
    let dir = folder::data_dir(root, data);
    let served = std::iter::once(output.to_path_buf())
        .chain(crate::layout::PUBLISHED.iter().map(|p| root.join(p)));
    for folder in served {
        folder::check_data_dir(&dir, &folder).map_err(|message| {
            Diagnostic::error("unsafe-data-folder", message)
                .with_hint("keep applications outside the site, e.g. --data /var/lib/openings")
        })?;
    }
    match folder::check_private_dir(&dir) {
        Ok(Some(warning)) => eprintln!("warning: {warning}"),
        Ok(None) => {}
        Err(message) => {
            return Err(
                Diagnostic::error("unsafe-data-folder", message).with_hint(format!(
                    "make it the service user's own: chmod 700 {}",
                    dir.display()
                )),
            );
        }
    }
    SqliteStore::open(&db_path(&dir, !production)).map_err(|e| {
        Diagnostic::error("store", e.to_string())
            .with_hint("check that the data folder is writable, or choose another with --data")
    })
}

/// What the outbox sends with: in production the webhook and the SMTP server
/// of `[notify]`; in dev mode no webhook, and emails become files.
fn senders(
    config: &crate::config::Config,
    root: &Path,
    production: bool,
) -> Result<outbox::Senders, Diagnostic> {
    let mail = match (&config.notify, production) {
        (None, _) => None,
        (Some(notify), true) => Some(outbox::Mail::smtp(notify).map_err(|message| {
            Diagnostic::error("notify", message)
                .with_hint("fix [notify] in site.toml, or remove it to send no email")
        })?),
        (Some(notify), false) => {
            let folder = crate::layout::dev_mail_dir(root);
            Some(outbox::Mail::Folder(folder, notify.clone()))
        }
    };
    Ok(outbox::Senders {
        webhook: config.apply.webhook.clone().filter(|_| production),
        mail,
    })
}
