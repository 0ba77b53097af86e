//! Answers for everything but the application endpoint: pages and files of the
//! generation being served (with the reload script in dev mode), redirects,
//! 404s, refusals, the live-reload script and the health check. Each answer is
//! a [`Reply`] the connection writes; no sockets here.

use super::memory::Found;
use super::reload;
use super::route::Route;
use super::state::State;
use std::sync::Arc;

/// One answer: status, headers and a body held in memory.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<[u8]>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: Arc<[u8]>) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    pub fn text(status: u16, message: &str) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            Arc::from(format!("{message}\n").into_bytes()),
        )
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// The content type of an output path, by extension (`mime_guess`), with the
/// charset browsers need for text; feeds and sitemaps are `application/xml`.
pub fn content_type(path: &str) -> String {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let guess = match ext.as_deref() {
        Some("xml") => "application/xml".to_string(),
        Some("js" | "mjs") => "text/javascript".to_string(),
        Some("webmanifest") => "application/manifest+json".to_string(),
        _ => mime_guess::from_path(path)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    };
    let textual =
        guess.starts_with("text/") || guess == "application/xml" || guess.ends_with("+xml");
    if textual && guess != "image/svg+xml" {
        format!("{guess}; charset=utf-8")
    } else {
        guess
    }
}

/// True for `name.0123abcd.css`: fingerprinted files never change under one name.
fn is_fingerprinted(path: &str) -> bool {
    let mut parts = path.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Answers a route other than the endpoint and the event stream.
pub fn answer(route: Route, state: &State) -> Reply {
    let reply = match route {
        Route::Script => Reply::new(
            200,
            "text/javascript; charset=utf-8",
            Arc::from(reload::SCRIPT.as_bytes()),
        ),
        Route::Health => return health(state),
        Route::Mail => {
            let page = super::devmail::page(state, state.mail_dir.as_deref());
            let number = state.memory().map_or(0, |m| m.number);
            let html = reload::inject(page.as_bytes(), number, None);
            Reply::new(200, "text/html; charset=utf-8", Arc::from(html))
        }
        Route::Refused => Reply::text(400, "Bad request: this path is not allowed."),
        Route::NotAllowed => Reply::text(405, "Method not allowed.").with("Allow", "GET, HEAD"),
        Route::Redirect(to) => {
            let status = if state.dev { 302 } else { 301 };
            Reply::text(status, &format!("Moved to {to}")).with("Location", to)
        }
        Route::Output(key) => output(state, &key, 200),
        Route::NotFound => output(state, "404.html", 404),
        Route::Endpoint(_) | Route::Events => Reply::text(500, "Not a page."),
    };
    if state.dev {
        reply.with("Cache-Control", "no-cache")
    } else {
        reply
    }
}

/// A file of the current generation; HTML gets the reload script in dev mode.
fn output(state: &State, key: &str, status: u16) -> Reply {
    let Some(memory) = state.memory() else {
        // Nothing has built yet: every page is the error overlay.
        let page = reload::error_page(&state.problems().unwrap_or_default(), 0);
        return Reply::new(500, "text/html; charset=utf-8", Arc::from(page));
    };
    let (status, bytes) = match memory.get(key) {
        Some(Found::File(bytes)) => (status, bytes),
        Some(Found::Page(slot)) => match slot.html(&memory.generation) {
            Ok(html) => (status, html),
            Err(problem) => {
                let page = reload::error_page(&[problem], memory.number);
                return Reply::new(500, "text/html; charset=utf-8", Arc::from(page));
            }
        },
        None => return Reply::text(404, "Not found."),
    };
    let kind = content_type(key);
    if !state.dev {
        let caching = if is_fingerprinted(key) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return Reply::new(status, &kind, bytes).with("Cache-Control", caching);
    }
    if kind.starts_with("text/html") {
        let overlay = state.problems().map(|p| reload::overlay(&p));
        let html = reload::inject(&bytes, memory.number, overlay.as_deref());
        return Reply::new(status, &kind, Arc::from(html));
    }
    Reply::new(status, &kind, bytes)
}

/// 200 with the generation served and the store's state when both are well;
/// 503 when nothing is served or the store does not answer.
fn health(state: &State) -> Reply {
    let memory = state.memory();
    let store = state.endpoint.health();
    let healthy = memory.is_some() && store.is_ok();
    let body = serde_json::json!({
        "status": if healthy { "ok" } else { "unavailable" },
        "generation": memory.as_ref().map(|m| m.number),
        "day": memory.as_ref().map(|m| m.generation.site.today.to_string()),
        "store": match &store {
            Ok(()) => "ok".to_string(),
            Err(e) => e.clone(),
        },
    });
    let status = if healthy { 200 } else { 503 };
    Reply::new(
        status,
        "application/json",
        Arc::from(format!("{body}\n").into_bytes()),
    )
    .with("Cache-Control", "no-store")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_and_fingerprints() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("style.0123abcd.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("jobs.json"), "application/json");
        assert_eq!(
            content_type("filter.0123abcd.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("cv.pdf"), "application/pdf");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert!(is_fingerprinted("style.0123abcd.css"));
        assert!(is_fingerprinted("js/filter.0123abcd.js"));
        assert!(!is_fingerprinted("logo.svg"));
        assert!(!is_fingerprinted("0123abcd.css"));
    }
}
