//! `openings applications outbox`: the webhook notices and emails not yet
//! delivered, with their last error; `--retry` makes them all due now.

use super::applications::open_store;
use super::args::StoreArgs;
use super::out::{Failed, Out};
use crate::apply::store::{OutboxEntry, Store};
use crate::diagnostic::{Diagnostic, plural};

pub(super) fn outbox(out: &Out, args: &StoreArgs, retry: bool, json: bool) -> Result<(), Failed> {
    let store = open_store(out, args)?;
    let failed = |e: crate::apply::store::StoreError| {
        Failed::from(vec![Diagnostic::error("applications", e.to_string())])
    };
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
            println!("{}", row(entry));
        }
    }
    out.info(&format!(
        "{} not yet delivered",
        plural(entries.len(), "message")
    ));
    Ok(())
}

fn row(e: &OutboxEntry) -> String {
    let state = match e.next_attempt_at {
        None => "gave up (see --retry)".to_string(),
        Some(at) => jiff::Timestamp::from_millisecond(at).map_or_else(
            |_| "pending".to_string(),
            |t| format!("next try {}", t.strftime("%Y-%m-%d %H:%M UTC")),
        ),
    };
    let error = e.last_error.as_deref().map(visible).unwrap_or_default();
    format!(
        "{:>6}  {:>11}  {:<14}  {:>8}  {:<24}  {error}",
        e.id,
        e.application_id,
        e.kind.as_str(),
        e.attempts,
        state
    )
}

/// A remote server's words on one line, control characters shown escaped.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
