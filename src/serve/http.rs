//! HTTP: binds the port, runs a bounded pool of workers over tiny_http, decides
//! what a request path is (a page under the base path, a redirect, the reload
//! stream, the application endpoint, nothing), and answers with the right status,
//! content type and caching. Refuses paths that try to leave the site.

use super::State;
use super::endpoint::{Pattern, Target};
use super::memory::Found;
use super::reload;
use crate::diagnostic::Diagnostic;
use std::io::Cursor;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Method, Request, Response};

/// Requests answered at once; more wait in tiny_http's queue. Event streams do
/// not hold a worker.
pub const WORKERS: usize = 16;
/// A client that accepts no bytes for this long while we write to it is dropped,
/// so it cannot hold a worker.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// A client that sends no byte for this long (headers, body, or the next request
/// on a kept-alive connection) is dropped, so a stalled client cannot hold a
/// connection thread. Generous enough for a phone uploading on a poor network.
pub const RECEIVE_TIMEOUT: Duration = Duration::from_secs(30);

pub fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

/// Binds `ip:port` (`0` picks a free port) for the [`guard`](super::guard), and a
/// loopback port for tiny_http behind it. Returns the server and the public address.
pub fn bind(ip: IpAddr, port: u16) -> Result<(tiny_http::Server, SocketAddr), Diagnostic> {
    let public = TcpListener::bind((ip, port)).map_err(|e| {
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
    let fail =
        |e: std::io::Error| Diagnostic::error("bind", format!("cannot serve on {ip}:{port}: {e}"));
    // No timeouts on either listener: on Linux a receive timeout on a listening
    // socket makes `accept` fail once it has waited that long, which ends
    // tiny_http's accept loop. The guard times out each accepted connection.
    let inner = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).map_err(fail)?;
    let inner_addr = inner.local_addr().map_err(fail)?;
    let public_addr = public.local_addr().map_err(fail)?;
    let server = tiny_http::Server::from_listener(inner, None)
        .map_err(|e| Diagnostic::error("bind", format!("cannot serve on {ip}:{port}: {e}")))?;
    super::guard::start(public, inner_addr, (RECEIVE_TIMEOUT, SEND_TIMEOUT));
    Ok((server, public_addr))
}

/// Starts the workers; each takes the next request from the shared server.
pub fn start_workers(
    server: Arc<tiny_http::Server>,
    state: Arc<State>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..WORKERS)
        .map(|i| {
            let (server, state) = (server.clone(), state.clone());
            std::thread::Builder::new()
                .name(format!("http-{i}"))
                .spawn(move || {
                    while !state.stopping() {
                        match server.recv() {
                            Ok(request) => respond(request, &state),
                            // Also how `unblock` ends a worker at shutdown.
                            Err(_) if state.stopping() => break,
                            Err(e) => {
                                eprintln!("serve: the HTTP server could not take a request: {e}");
                                std::thread::sleep(Duration::from_millis(50));
                            }
                        }
                    }
                })
                .expect("spawn an HTTP worker")
        })
        .collect()
}

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the site, by site-relative output path (`jobs/x/index.html`).
    Output(String),
    Redirect(String),
    NotFound,
    /// Malformed, or trying to leave the site (`..`, encoded or not).
    Refused,
    NotAllowed,
    /// The application endpoint of the posting with this slug.
    Endpoint(String),
    Events,
    Script,
}

/// Decides what a request is. `exists` tells whether an output path exists.
pub fn route(
    method: &Method,
    url: &str,
    base_path: &str,
    dev: bool,
    exists: &dyn Fn(&str) -> bool,
    endpoint: Option<&Pattern>,
) -> Route {
    let (raw_path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let reading = matches!(method, Method::Get | Method::Head);
    if dev && reading && raw_path == reload::EVENTS_PATH {
        return Route::Events;
    }
    if dev && reading && raw_path == reload::SCRIPT_PATH {
        return Route::Script;
    }
    let Some(path) = decode_path(raw_path) else {
        return Route::Refused;
    };
    if matches!(method, Method::Post | Method::Options) {
        return match endpoint.and_then(|e| e.slug(&path)) {
            Some(slug) => Route::Endpoint(slug.to_string()),
            None => Route::NotAllowed,
        };
    }
    if !reading {
        return Route::NotAllowed;
    }
    let with_query = |p: String| match query {
        Some(q) => format!("{p}?{q}"),
        None => p,
    };
    let Some(rel) = path.strip_prefix(base_path) else {
        return if path == "/" || format!("{path}/") == base_path {
            Route::Redirect(with_query(base_path.to_string()))
        } else {
            Route::NotFound
        };
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if exists(&key) {
        Route::Output(key)
    } else if !rel.is_empty() && !rel.ends_with('/') && exists(&format!("{rel}/index.html")) {
        Route::Redirect(with_query(format!("{raw_path}/")))
    } else {
        Route::NotFound
    }
}

/// Percent-decodes a request path; `None` for anything that is not a plain
/// absolute path inside the site: `..` or `.` segments (encoded or not), empty
/// segments (`//`), backslashes, NUL, or bytes that are not UTF-8.
pub fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    if path.contains('\\') || path.contains('\0') || path.contains("//") {
        return None;
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(path)
}

/// The content type of an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("pdf") => "application/pdf",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// True for `name.0123abcd.css`: fingerprinted files never change under one name.
fn is_fingerprinted(path: &str) -> bool {
    let mut parts = path.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

type Body = Cursor<Arc<[u8]>>;

fn reply(status: u16, content_type: &str, bytes: Arc<[u8]>) -> Response<Body> {
    let len = bytes.len();
    Response::new(
        status.into(),
        vec![
            header("Content-Type", content_type),
            header("X-Content-Type-Options", "nosniff"),
        ],
        Cursor::new(bytes),
        Some(len),
        None,
    )
}

fn text(status: u16, message: &str) -> Response<Body> {
    reply(
        status,
        "text/plain; charset=utf-8",
        Arc::from(format!("{message}\n").into_bytes()),
    )
}

/// Answers one request from the state's current generation.
pub fn respond(request: Request, state: &State) {
    let memory = state.memory();
    let base_path = memory
        .as_ref()
        .map_or("/", |m| m.generation.site.config.base_path())
        .to_string();
    let pattern = memory
        .as_ref()
        .and_then(|m| Pattern::of(&m.generation.site, &m.generation.renderer));
    let exists = |key: &str| memory.as_ref().is_some_and(|m| m.contains(key));
    let route = route(
        request.method(),
        request.url(),
        &base_path,
        state.dev,
        &exists,
        pattern.as_ref(),
    );
    let response = match route {
        Route::Events => {
            let hello = state.hello();
            state.hub.join(request.into_writer(), &hello);
            return;
        }
        Route::Script => reply(
            200,
            "text/javascript; charset=utf-8",
            Arc::from(reload::SCRIPT.as_bytes()),
        ),
        Route::Endpoint(slug) => {
            let Some(memory) = memory else {
                let _ = request.respond(text(503, "The site does not build yet."));
                return;
            };
            let g = &memory.generation;
            let target = Target {
                slug: &slug,
                site: &g.site,
                renderer: &g.renderer,
            };
            state.endpoint.handle(request, target);
            return;
        }
        Route::Refused => text(400, "Bad request: this path is not allowed."),
        Route::NotAllowed => {
            text(405, "Method not allowed.").with_header(header("Allow", "GET, HEAD"))
        }
        Route::Redirect(to) => {
            let status = if state.dev { 302 } else { 301 };
            text(status, &format!("Moved to {to}")).with_header(header("Location", &to))
        }
        Route::Output(key) => output(state, &key, 200),
        Route::NotFound => output(state, "404.html", 404),
    };
    let response = if state.dev {
        response.with_header(header("Cache-Control", "no-cache"))
    } else {
        response
    };
    let _ = request.respond(response);
}

/// A file of the current generation; HTML gets the reload script in dev mode.
fn output(state: &State, key: &str, status: u16) -> Response<Body> {
    let Some(memory) = state.memory() else {
        // Nothing has built yet: every page is the error overlay.
        let page = reload::error_page(&state.problems().unwrap_or_default(), 0);
        return reply(500, "text/html; charset=utf-8", Arc::from(page));
    };
    let (status, bytes) = match memory.get(key) {
        Some(Found::File(bytes)) => (status, bytes),
        Some(Found::Page(slot)) => match slot.html(&memory.generation) {
            Ok(html) => (status, html),
            Err(problem) => {
                let page = reload::error_page(&[problem], memory.number);
                return reply(500, "text/html; charset=utf-8", Arc::from(page));
            }
        },
        None => return text(404, "Not found."),
    };
    let kind = content_type(key);
    if !state.dev {
        let caching = if is_fingerprinted(key) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return reply(status, kind, bytes).with_header(header("Cache-Control", caching));
    }
    if kind.starts_with("text/html") {
        let overlay = state.problems().map(|p| reload::overlay(&p));
        let html = reload::inject(&bytes, memory.number, overlay.as_deref());
        return reply(status, kind, Arc::from(html));
    }
    reply(status, kind, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(method: Method, url: &str) -> Route {
        let exists = |k: &str| {
            [
                "index.html",
                "jobs/a/index.html",
                "style.0123abcd.css",
                "404.html",
            ]
            .contains(&k)
        };
        let pattern = Pattern::for_test("/careers/apply/", "");
        route(&method, url, "/careers/", true, &exists, Some(&pattern))
    }

    #[test]
    fn pages_live_under_the_base_path() {
        assert_eq!(
            go(Method::Get, "/careers/"),
            Route::Output("index.html".into())
        );
        assert_eq!(
            go(Method::Head, "/careers/jobs/a/"),
            Route::Output("jobs/a/index.html".into())
        );
        assert_eq!(
            go(Method::Get, "/careers/jobs/a/index.html"),
            Route::Output("jobs/a/index.html".into())
        );
        assert_eq!(
            go(Method::Get, "/careers/style.0123abcd.css?v=1"),
            Route::Output("style.0123abcd.css".into())
        );
        assert_eq!(go(Method::Get, "/"), Route::Redirect("/careers/".into()));
        assert_eq!(
            go(Method::Get, "/careers"),
            Route::Redirect("/careers/".into())
        );
        assert_eq!(go(Method::Get, "/jobs/a/"), Route::NotFound);
        assert_eq!(go(Method::Get, "/careers/jobs/b/"), Route::NotFound);
    }

    #[test]
    fn folder_without_slash_redirects_keeping_the_query() {
        assert_eq!(
            go(Method::Get, "/careers/jobs/a"),
            Route::Redirect("/careers/jobs/a/".into())
        );
        assert_eq!(
            go(Method::Get, "/careers/jobs/a?x=1"),
            Route::Redirect("/careers/jobs/a/?x=1".into())
        );
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for url in [
            "/careers/../etc/passwd",
            "/careers/%2e%2e/etc/passwd",
            "/careers/%2E%2E%2Fsite.toml",
            "/careers/.%2e/x",
            "/careers/jobs/..",
            "//etc/passwd",
            "/careers/..\\x",
            "/careers/%5c..%5cx",
            "/careers/%00",
            "/careers/%zz",
            "/careers/%ff",
            "http://evil.example/careers/",
            "/careers/./index.html",
        ] {
            assert_eq!(go(Method::Get, url), Route::Refused, "{url}");
        }
    }

    #[test]
    fn posts_go_to_the_endpoint_only() {
        assert_eq!(
            go(Method::Post, "/careers/apply/a"),
            Route::Endpoint("a".into())
        );
        assert_eq!(
            go(Method::Options, "/careers/apply/a"),
            Route::Endpoint("a".into())
        );
        assert_eq!(go(Method::Post, "/careers/jobs/a/"), Route::NotAllowed);
        assert_eq!(go(Method::Put, "/careers/"), Route::NotAllowed);
    }

    #[test]
    fn reload_paths_only_in_dev() {
        assert_eq!(go(Method::Get, "/__openings/events"), Route::Events);
        assert_eq!(go(Method::Get, "/__openings/live.js"), Route::Script);
        let none = |_: &str| false;
        assert_eq!(
            route(&Method::Get, "/__openings/live.js", "/", false, &none, None),
            Route::NotFound
        );
    }

    #[test]
    fn content_types_and_fingerprints() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("style.0123abcd.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert!(is_fingerprinted("style.0123abcd.css"));
        assert!(is_fingerprinted("js/filter.0123abcd.js"));
        assert!(!is_fingerprinted("logo.svg"));
        assert!(!is_fingerprinted("0123abcd.css"));
    }
}
