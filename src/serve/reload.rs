//! Live reload in dev mode: one Server-Sent Events connection per open tab, the
//! script injected into served HTML (never into files a build writes), the CSS
//! swap and the error overlay, which shows the same diagnostics as the terminal.

use crate::diagnostic::Diagnostic;
use std::io::Write;
use std::sync::Mutex;

/// Where the browser script and the event stream live; outside any base path.
pub const SCRIPT_PATH: &str = "/__openings/live.js";
pub const EVENTS_PATH: &str = "/__openings/events";
/// The script open tabs run: listens for events, morphs the page, swaps CSS.
pub const SCRIPT: &str = include_str!("live.js");

/// What an open tab is told after a rebuild.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Sent when a tab connects: the generation it should be showing.
    Hello { generation: u64 },
    /// These pages (URL paths) changed; `None` means any page may have.
    Pages {
        generation: u64,
        paths: Option<Vec<String>>,
    },
    /// Only stylesheets changed: swap each old URL for the new one in place.
    Css {
        generation: u64,
        swaps: Vec<(String, String)>,
    },
    /// The site does not build: show this overlay (the last good site stays).
    Error { html: String },
}

impl Message {
    /// The message as one Server-Sent Event.
    pub fn to_event(&self) -> String {
        let (name, data) = match self {
            Message::Hello { generation } => {
                ("hello", serde_json::json!({ "generation": generation }))
            }
            Message::Pages { generation, paths } => (
                "pages",
                serde_json::json!({ "generation": generation, "paths": paths }),
            ),
            Message::Css { generation, swaps } => (
                "css",
                serde_json::json!({ "generation": generation, "swaps": swaps }),
            ),
            Message::Error { html } => ("broken", serde_json::json!({ "html": html })),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// The open event streams, one per tab.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Hub {
    /// Takes over a connection as an event stream and greets it with `hello`.
    pub fn join(&self, mut stream: Box<dyn Write + Send>, hello: &[Message]) {
        let mut head = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
        );
        for message in hello {
            head.push_str(&message.to_event());
        }
        if stream.write_all(head.as_bytes()).is_ok() && stream.flush().is_ok() {
            self.clients.lock().expect("hub lock").push(stream);
        }
    }

    /// Sends a message to every tab; tabs that are gone are dropped. Sockets carry
    /// a send timeout, so a tab that stopped reading cannot hold this up for long.
    pub fn send(&self, message: &Message) {
        self.send_raw(message.to_event().as_bytes());
    }

    /// A comment line, so dead connections are noticed and proxies keep live ones.
    pub fn heartbeat(&self) {
        self.send_raw(b": ping\n\n");
    }

    fn send_raw(&self, bytes: &[u8]) {
        let mut clients = self.clients.lock().expect("hub lock");
        clients.retain_mut(|c| c.write_all(bytes).is_ok() && c.flush().is_ok());
    }
}

/// The overlay for problems that keep the site from building: each diagnostic as
/// the terminal prints it, in a fixed box that the site's CSS cannot restyle.
pub fn overlay(problems: &[Diagnostic]) -> String {
    let count = problems.iter().map(Diagnostic::problems).sum();
    let title = format!(
        "The site does not build: {}",
        crate::diagnostic::plural(count, "problem")
    );
    let mut html = format!(
        "<div id=\"openings-overlay\" role=\"alert\" style=\"all:initial;position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;box-sizing:border-box\">\
         <p style=\"all:initial;display:block;color:#fca5a5;font:bold 18px/1.4 system-ui,sans-serif;margin:0 0 .5rem\">{}</p>\
         <p style=\"all:initial;display:block;color:#d4d4d8;font:14px/1.4 system-ui,sans-serif;margin:0 0 1rem\">The last version that built is still served. Fix the file and save: this goes away by itself.</p>",
        html_escape::encode_text(&title)
    );
    for problem in &crate::diagnostic::per_file(problems) {
        html.push_str("<pre style=\"all:initial;display:block;white-space:pre-wrap;color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0 0 1rem;padding:1rem;background:#27272a;border-left:4px solid #f87171\">");
        html.push_str(&html_escape::encode_text(problem.render().trim_end()));
        html.push_str("</pre>");
    }
    html.push_str("</div>");
    html
}

/// Adds the live-reload script (and the overlay, when the site does not build) to
/// an HTML page as it is served, just before `</body>`.
pub fn inject(html: &[u8], generation: u64, overlay: Option<&str>) -> Vec<u8> {
    let snippet = format!(
        "{}<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>",
        overlay.unwrap_or_default()
    );
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The page served for every HTML request while no version of the site has built.
pub fn error_page(problems: &[Diagnostic], generation: u64) -> Vec<u8> {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>The site does not build</title></head><body></body></html>";
    inject(page.as_bytes(), generation, Some(&overlay(problems)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end_tag() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, 7, None)).unwrap();
        assert!(
            out.ends_with(
                "<script src=\"/__openings/live.js\" data-generation=\"7\"></script></BODY></html>"
            ),
            "{out}"
        );
        let out = String::from_utf8(inject(b"<p>no body", 1, Some("<div>x</div>"))).unwrap();
        assert!(out.starts_with("<p>no body<div>x</div><script"), "{out}");
    }

    #[test]
    fn overlay_quotes_the_terminal_message_escaped() {
        let source = crate::diagnostic::Source::new("content/jobs/a.md", "+++\ntitle = <b>\n+++\n");
        let d = Diagnostic::at("invalid-toml", &source, 12..15, "bad <value>");
        let html = overlay(&[d]);
        assert!(html.contains("content/jobs/a.md:2:9"), "{html}");
        assert!(html.contains("bad &lt;value&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn messages_are_server_sent_events() {
        let m = Message::Css {
            generation: 3,
            swaps: vec![("/style.a.css".into(), "/style.b.css".into())],
        };
        assert_eq!(
            m.to_event(),
            "event: css\ndata: {\"generation\":3,\"swaps\":[[\"/style.a.css\",\"/style.b.css\"]]}\n\n"
        );
    }
}
