//! `openings applications`: read, export and delete stored applications.

use super::args::*;
use super::out::*;
use crate::diagnostic::{Diagnostic, plural};
use crate::{apply, config};
use std::io::IsTerminal;
use std::path::Path;

fn store_failed(message: impl Into<String>) -> Failed {
    Failed::from(vec![Diagnostic::error("applications", message)])
}

/// The store the commands read: PostgreSQL with `--database` (or
/// `$OPENINGS_DATABASE_URL`), else SQLite: `--dev`'s, else the production one;
/// when there is no production store but the dev server's is there, that
/// one, saying so (after `openings serve`, that is the store people mean).
fn open_store(out: &Out, args: &StoreArgs) -> Result<Box<dyn apply::store::Store>, Failed> {
    if let Some(url) = database_url(args.database.clone(), args.data.is_some() || args.dev) {
        let store = apply::store::PostgresStore::open(&url).map_err(|e| {
            let message = format!("{}: {e}", apply::store::redacted(&url));
            Failed::from(vec![Diagnostic::error("applications", message).with_hint(
                "pass the --database URL that `openings serve --production --database` uses",
            )])
        })?;
        return Ok(Box::new(store));
    }
    let dir = apply::folder::data_dir(&args.root, args.data.as_deref());
    let mut path = apply::store::db_path(&dir, args.dev);
    let dev = apply::store::db_path(&dir, true);
    if !args.dev && !path.is_file() && dev.is_file() {
        out.info(&format!(
            "No production store in {}: reading the dev server's {} (pass --dev to choose it, --data DIR for another folder)",
            dir.display(),
            dev.display()
        ));
        path = dev;
    }
    let store = apply::store::SqliteStore::open_existing(&path).map_err(|e| {
        let hint = if args.dev {
            "`openings serve` creates it when it starts"
        } else {
            "pass --data with the folder `openings serve --production --data` uses, --database for PostgreSQL, or --dev for the dev server's store"
        };
        Failed::from(vec![
            Diagnostic::error("applications", e.to_string()).with_hint(hint),
        ])
    })?;
    Ok(Box::new(store))
}

pub(super) fn applications(out: &Out, command: ApplicationsCommand) -> Result<(), Failed> {
    match command {
        ApplicationsCommand::List {
            store,
            posting,
            since,
            format,
        } => list(out, &store, posting, since, format),
        ApplicationsCommand::Show {
            id,
            save_files,
            store,
        } => show(out, &store, id, save_files.as_deref()),
        ApplicationsCommand::Export {
            format,
            output,
            store,
        } => export(out, &store, format, output.as_deref()),
        ApplicationsCommand::Delete {
            id,
            older_than,
            expired,
            yes,
            store,
        } => delete(out, &store, id, older_than, expired, yes),
        ApplicationsCommand::Outbox { retry, json, store } => outbox(out, &store, retry, json),
        ApplicationsCommand::Migrate { from, to, root } => migrate(out, &root, &from, &to),
    }
}

/// `applications list`: the table (or JSON) on stdout, the count on stderr.
fn list(
    out: &Out,
    store: &StoreArgs,
    posting: Option<String>,
    since: Option<jiff::civil::Date>,
    format: ListFormat,
) -> Result<(), Failed> {
    let store = open_store(out, store)?;
    let since = since.map(|d| {
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_millisecond())
    });
    let filter = apply::store::Filter {
        posting,
        since,
        before: None,
    };
    let json = matches!(format, ListFormat::Json);
    let mut stdout = std::io::stdout().lock();
    let n = apply::admin::list(&*store, &filter, json, &mut stdout).map_err(store_failed)?;
    out.detail(&plural(n, "application"));
    Ok(())
}

/// `applications show`: one application on stdout, its files saved on request.
fn show(out: &Out, store: &StoreArgs, id: i64, save_files: Option<&Path>) -> Result<(), Failed> {
    let store = open_store(out, store)?;
    let mut stdout = std::io::stdout().lock();
    let saved = apply::admin::show(&*store, id, save_files, &mut stdout).map_err(store_failed)?;
    for path in saved {
        out.info(&format!("Saved {}", path.display()));
    }
    Ok(())
}

/// `applications export`: every application to stdout or a private file.
fn export(
    out: &Out,
    store: &StoreArgs,
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<(), Failed> {
    let store = open_store(out, store)?;
    let csv = matches!(format, ExportFormat::Csv);
    let Some(path) = output else {
        let mut stdout = std::io::stdout().lock();
        apply::admin::export(&*store, csv, &mut stdout).map_err(store_failed)?;
        return Ok(());
    };
    let mut file = private_file(path).map_err(store_failed)?;
    let n = apply::admin::export(&*store, csv, &mut file).map_err(store_failed)?;
    out.info(&format!(
        "Exported {} to {}",
        plural(n, "application"),
        path.display()
    ));
    Ok(())
}

/// `applications delete`: by id or age, after asking unless `yes`.
fn delete(
    out: &Out,
    store: &StoreArgs,
    id: Option<i64>,
    older_than: Option<i64>,
    expired: bool,
    yes: bool,
) -> Result<(), Failed> {
    let older_than = match expired {
        true => Some(retention(&store.root)?),
        false => older_than,
    };
    let store = open_store(out, store)?;
    let cutoff = older_than.map(|age| jiff::Timestamp::now().as_millisecond() - age);
    let ids = apply::admin::to_delete(&*store, id, cutoff).map_err(store_failed)?;
    if ids.is_empty() {
        out.info("No applications to delete.");
        return Ok(());
    }
    let what = plural(ids.len(), "application");
    if !yes && !confirm(&format!("Delete {what} and their files? [y/N] ")) {
        return Err(store_failed(format!("{what} not deleted"))
            .with_hint("pass --yes to delete without being asked"));
    }
    let n = store
        .delete(&ids)
        .map_err(|e| store_failed(e.to_string()))?;
    out.info(&format!(
        "Deleted {} and their files.",
        plural(n, "application")
    ));
    Ok(())
}

/// `[apply] retention_days` of the site, in milliseconds.
fn retention(root: &Path) -> Result<i64, Failed> {
    let config = config::load(root)?;
    let days = config.apply.retention_days.ok_or_else(|| {
        store_failed("site.toml sets no `retention_days` in [apply]")
            .with_hint("add e.g. retention_days = 180 under [apply], or use --older-than 180d")
    })?;
    Ok(days as i64 * 86_400_000)
}

/// Asks on the terminal; without one (scripts, cron) the answer is no.
fn confirm(question: &str) -> bool {
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprint!("{question}");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && matches!(answer.trim(), "y" | "Y" | "yes")
}

/// Creates a file only its owner can read (exports hold personal data).
fn private_file(path: &Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `applications outbox`: the webhook notices and emails not yet delivered,
/// with their last error; `--retry` makes them all due now.
fn outbox(out: &Out, args: &StoreArgs, retry: bool, json: bool) -> Result<(), Failed> {
    let store = open_store(out, args)?;
    let failed = |e: apply::store::StoreError| store_failed(e.to_string());
    if retry {
        let n = store
            .outbox_retry(jiff::Timestamp::now().as_millisecond())
            .map_err(failed)?;
        out.info(&format!(
            "{} due now: a running `openings serve --production` sends them within 30 seconds.",
            plural(n, "message")
        ));
        return Ok(());
    }
    let entries = store.outbox_list().map_err(failed)?;
    if json {
        let text = serde_json::to_string_pretty(&entries).expect("entries serialise");
        println!("{text}");
    } else if !entries.is_empty() {
        println!(
            "{:>6}  {:>11}  {:<14}  {:>8}  {:<24}  LAST ERROR",
            "ID", "APPLICATION", "KIND", "ATTEMPTS", "STATE"
        );
        for entry in &entries {
            println!("{}", outbox_row(entry));
        }
    }
    out.info(&format!(
        "{} not yet delivered",
        plural(entries.len(), "message")
    ));
    Ok(())
}

fn outbox_row(e: &apply::store::OutboxEntry) -> String {
    let state = match e.next_attempt_at {
        None => "gave up (see --retry)".to_string(),
        Some(at) => jiff::Timestamp::from_millisecond(at).map_or_else(
            |_| "pending".to_string(),
            |t| format!("next try {}", t.strftime("%Y-%m-%d %H:%M UTC")),
        ),
    };
    let error = e
        .last_error
        .as_deref()
        .map(apply::shown::terminal)
        .unwrap_or_default();
    format!(
        "{:>6}  {:>11}  {:<14}  {:>8}  {:<24}  {error}",
        e.id,
        e.application_id,
        e.kind.as_str(),
        e.attempts,
        state
    )
}

/// `applications migrate`: a SQLite data folder into an empty PostgreSQL database.
fn migrate(out: &Out, root: &Path, from: &str, to: &str) -> Result<(), Failed> {
    let Some(dir) = from.strip_prefix("sqlite:") else {
        return Err(
            store_failed(format!("--from {from}: not a SQLite store")).with_hint(
                "name the data folder as sqlite:DIR, e.g. --from sqlite:/var/lib/openings",
            ),
        );
    };
    let dir = apply::folder::data_dir(root, Some(Path::new(dir)));
    let path = apply::store::db_path(&dir, false);
    let source = apply::store::SqliteStore::open_existing(&path).map_err(|e| {
        store_failed(e.to_string()).with_hint("--from names the folder `--data` names")
    })?;
    let target_name = apply::store::redacted(to);
    let target = apply::store::PostgresStore::open(to)
        .map_err(|e| store_failed(format!("{target_name}: {e}")))?;
    let moved = apply::store::sqlite_to_postgres(&source, &target)
        .map_err(|e| store_failed(format!("{target_name}: {e}")))?;
    out.info(&format!(
        "Moved {}, {} and {} not yet delivered from {} to {target_name}.",
        plural(moved.applications, "application"),
        plural(moved.files, "file"),
        plural(moved.messages, "outbox message"),
        path.display()
    ));
    Ok(())
}
