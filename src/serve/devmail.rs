//! The dev server's mail page (`/__openings/mail/`): a preview of the
//! candidate's confirmation rendered from the current templates (so it reloads
//! with every save, like any page), then every email the dev server wrote to
//! `.openings/dev-mail/` instead of sending, newest first.

use super::state::State;
use crate::apply::mail;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use std::fmt::Write;
use std::path::Path;

/// Where the mail page is, outside the site like the reload script.
pub const PATH: &str = "/__openings/mail/";

/// The page's HTML (the reload script is added by the caller).
pub fn page(state: &State, folder: Option<&Path>) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Emails (dev server)</title><style>body{font-family:system-ui,sans-serif;\
         max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}pre{white-space:pre-wrap;\
         background:#f4f4f4;padding:1rem;overflow-wrap:anywhere}iframe{width:100%;height:32rem;\
         border:1px solid #ccc}</style></head><body><h1>Emails (dev server)</h1>\
         <p>The dev server never sends email: with <code>[notify]</code> in site.toml it \
         writes each message to <code>.openings/dev-mail/</code>.</p>",
    );
    preview(state, &mut out);
    written(folder, &mut out);
    out += "</body></html>";
    out
}

/// The confirmation for the first posting that takes applications here.
fn preview(state: &State, out: &mut String) {
    let _ = write!(out, "<h2>The confirmation a candidate gets</h2>");
    let Some(memory) = state.memory() else {
        out.push_str("<p>The site does not build yet.</p>");
        return;
    };
    let (site, renderer) = (&memory.generation.site, &memory.generation.renderer);
    let Some(index) = site
        .jobs
        .iter()
        .position(|j| !j.closed && j.posting.apply_url.is_none())
    else {
        out.push_str("<p>No open posting takes applications here.</p>");
        return;
    };
    match mail::confirmation(site, renderer, index, "Ada Example") {
        Ok((subject, plain, html)) => {
            let _ = write!(
                out,
                "<p>From <code>emails/received.txt</code> and <code>emails/received.html</code>, \
                 for “{}”. Subject: <strong>{}</strong></p>\
                 <iframe sandbox title=\"HTML part\" srcdoc=\"{}\"></iframe><pre>{}</pre>",
                text(&site.jobs[index].posting.title),
                text(&subject),
                attr(&html),
                text(&plain)
            );
        }
        Err(problem) => {
            let _ = write!(
                out,
                "<p>The templates do not render: {}</p>",
                text(&problem)
            );
        }
    }
}

/// Every `.eml` file in `folder`, newest first, as written.
fn written(folder: Option<&Path>, out: &mut String) {
    out.push_str("<h2>Written by this dev server</h2>");
    let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = folder
        .and_then(|f| std::fs::read_dir(f).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .collect();
    if files.is_empty() {
        out.push_str("<p>None yet: send an application from a role page.</p>");
        return;
    }
    files.sort_by(|a, b| b.cmp(a));
    for (_, path) in files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let raw = std::fs::read(&path).unwrap_or_default();
        let _ = write!(
            out,
            "<details><summary>{}</summary><pre>{}</pre></details>",
            text(&name.unwrap_or_default()),
            text(&String::from_utf8_lossy(&raw))
        );
    }
}
