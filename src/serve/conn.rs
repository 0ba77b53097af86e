//! One connection, on its own thread: reads each request head (`head`, bounded
//! in size and in time), decides what it is (`route`), hands the application endpoint
//! its request with the body as it arrives (`body`), and writes every answer
//! through tiny_http's `Response`. Keeps the connection for the next request
//! when it safely can; closes with a lingering close when a body was left
//! unread, so the client sees the answer instead of a reset.

use super::body::Body;
use super::head::{Head, NoHead, read_head};
use super::memory::Memory;
use super::pages::{self, Reply};
use super::route::{self, Route};
use super::state::State;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a new connection may stay silent before its first request.
pub const FIRST_BYTE: Duration = Duration::from_secs(10);
/// How long a kept-alive connection waits for its next request.
pub const KEEP_ALIVE: Duration = Duration::from_secs(5);
/// A client that accepts no byte for this long while we write to it is dropped.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests on one connection before it is closed (clients reconnect).
const MAX_REQUESTS: usize = 1000;
/// After an answer to a request whose body was not read: how long, and how
/// much, is read and dropped before closing.
const LINGER_TIME: Duration = Duration::from_secs(10);
const LINGER_BYTES: u64 = 1 << 30;

/// Serves one connection from `peer` until it closes or goes quiet.
pub fn serve(mut stream: TcpStream, peer: IpAddr, state: &Arc<State>) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(SEND_TIMEOUT));
    let mut buf = Vec::new();
    for served in 0..MAX_REQUESTS {
        let wait = if served == 0 { FIRST_BYTE } else { KEEP_ALIVE };
        let head = match read_head(&mut stream, &mut buf, wait) {
            Ok(head) => head,
            Err(NoHead::Gone) => return,
            Err(NoHead::Refuse(status)) => {
                let _ = write(&mut stream, &refusal(status), 1, false, true);
                return linger(&stream);
            }
        };
        let last = served + 1 == MAX_REQUESTS;
        match handle(
            &mut stream,
            &head,
            std::mem::take(&mut buf),
            peer,
            state,
            last,
        ) {
            After::Keep(rest) => buf = rest,
            After::Close => return,
            After::Linger => return linger(&stream),
        }
    }
}

/// What becomes of the connection after an answer.
enum After {
    /// Ready for the next request; the bytes that came after this one.
    Keep(Vec<u8>),
    Close,
    /// A body was left unread: drain it for a while, then close.
    Linger,
}

/// Answers one request; `early` holds the bytes read after its head.
fn handle(
    stream: &mut TcpStream,
    head: &Head,
    early: Vec<u8>,
    peer: IpAddr,
    state: &Arc<State>,
    last: bool,
) -> After {
    let head_only = head.method == "HEAD";
    let keep = head.keeps_alive() && !last && !state.stopping();
    let length = match head.body_length() {
        Ok(n) => n,
        Err(status) => {
            let _ = write(stream, &refusal(status), head.version, head_only, true);
            return After::Linger;
        }
    };
    let memory = state.memory();
    let mut route = route_of(head, state.dev, memory.as_deref());
    if state.endpoint_only {
        route = to_the_static_site(route, &head.target, memory.as_deref());
    }
    match route {
        Route::Endpoint(slug) => {
            let mut body = Body::new(stream, early, length, expects_continue(head));
            let answer = state
                .endpoint
                .answer(head, &mut body, peer, &slug, memory.as_deref());
            let finished = body.finished();
            let close = answer.close || !finished || !keep;
            write_endpoint_answer(stream, head, answer, finished, close)
        }
        Route::Events => {
            let Ok(writer) = stream.try_clone() else {
                return After::Close;
            };
            // The hub keeps the connection; this thread is done with it.
            state.hub.join(Box::new(writer), &state.hello());
            After::Close
        }
        route => answer_page(stream, head, route, state, &early, length, keep),
    }
}

/// What the request asks of the generation in `memory` (none while nothing has
/// built yet).
fn route_of(head: &Head, dev: bool, memory: Option<&Memory>) -> Route {
    let base_path = memory.map_or("/", |m| m.generation.site.config.base_path());
    let pattern = memory
        .and_then(|m| super::endpoint::Pattern::of(&m.generation.site, &m.generation.renderer));
    let exists = |key: &str| memory.is_some_and(|m| m.contains(key));
    route::route(
        &head.method,
        &head.target,
        base_path,
        dev,
        &exists,
        pattern.as_ref(),
    )
}

/// `--endpoint-only`: pages are the static host's, at the same path under
/// `base_url`'s origin, so the links of the pages the endpoint answers with (a
/// confirmation, the form with its errors) reach it; their assets are served
/// here.
fn to_the_static_site(route: Route, target: &str, memory: Option<&Memory>) -> Route {
    match route {
        Route::Endpoint(_) | Route::Health | Route::Refused | Route::NotAllowed => route,
        // The stylesheet, scripts and images of the pages the endpoint answers
        // with are served here: redirected to the static origin, the no-JS
        // error page lost its styles in Chromium (tests/endpoint_only.rs).
        Route::Output(key) if !key.ends_with(".html") => Route::Output(key),
        _ => match memory {
            Some(m) => {
                let origin = m
                    .generation
                    .site
                    .config
                    .base_url
                    .origin()
                    .ascii_serialization();
                Route::Redirect(format!("{origin}{target}"))
            }
            None => Route::NotFound,
        },
    }
}

/// Writes the endpoint's answer; lingers when its body was not read to the end.
fn write_endpoint_answer(
    stream: &mut TcpStream,
    head: &Head,
    answer: crate::apply::exchange::Response,
    finished: bool,
    close: bool,
) -> After {
    let reply = Reply {
        status: answer.status,
        headers: Vec::new(),
        body: Arc::from(answer.body),
    };
    let head_only = head.method == "HEAD";
    let written = write_with(
        stream,
        &reply,
        &answer.headers,
        head.version,
        head_only,
        close,
    );
    match (written, finished, close) {
        (Err(_), _, _) => After::Close,
        (Ok(()), false, _) => After::Linger,
        (Ok(()), true, true) => After::Close,
        (Ok(()), true, false) => After::Keep(Vec::new()),
    }
}

/// Answers any other route with a page (or a redirect, an error); the bytes of
/// `early` after this request's `length` are kept for the next one.
fn answer_page(
    stream: &mut TcpStream,
    head: &Head,
    route: Route,
    state: &Arc<State>,
    early: &[u8],
    length: u64,
    keep: bool,
) -> After {
    let reply = pages::answer(route, state);
    // A body nobody reads here (a page does not take one) ends the
    // connection, and so does a request that made no sense.
    let close = !keep || length > early.len() as u64 || reply.status == 400;
    let head_only = head.method == "HEAD";
    if write(stream, &reply, head.version, head_only, close).is_err() {
        return After::Close;
    }
    match (close, length > 0) {
        (false, _) => After::Keep(early.get(length as usize..).unwrap_or_default().to_vec()),
        (true, true) => After::Linger,
        (true, false) => After::Close,
    }
}

fn expects_continue(head: &Head) -> bool {
    head.version == 1 && head.has_token("Expect", "100-continue")
}

/// A bare answer for a request that could not be taken.
fn refusal(status: u16) -> Reply {
    let reason = match status {
        400 => "Bad Request",
        408 => "Request Timeout",
        411 => "Length Required: send the body with a Content-Length",
        413 => "Payload Too Large",
        429 => "Too Many Connections from this address",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    };
    let reply = Reply::text(status, &format!("{status} {reason}"));
    if matches!(status, 429 | 503) {
        reply.with("Retry-After", "5")
    } else {
        reply
    }
}

/// Answers a connection the caps refuse, without reading from it or waiting.
pub fn refuse_at_once(stream: TcpStream, status: u16) {
    let mut stream = stream;
    let _ = stream.set_nonblocking(true);
    let _ = write(&mut stream, &refusal(status), 1, false, true);
    let _ = stream.shutdown(Shutdown::Both);
}

fn write(
    stream: &mut TcpStream,
    reply: &Reply,
    version: u8,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    write_with(stream, reply, &[], version, head_only, close)
}

/// Writes `reply` (and `extra` headers) with tiny_http's response writer.
fn write_with(
    stream: &mut TcpStream,
    reply: &Reply,
    extra: &[(String, String)],
    version: u8,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let names = reply.headers.iter().map(|(n, v)| (*n, v.as_str()));
    let extra = extra.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    let headers: Vec<tiny_http::Header> = names
        .chain(extra)
        .chain(close.then_some(("Connection", "close")))
        .filter_map(|(n, v)| tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes()).ok())
        .collect();
    let response = tiny_http::Response::new(
        tiny_http::StatusCode(reply.status),
        headers,
        &reply.body[..],
        Some(reply.body.len()),
        None,
    )
    // Lengths are always known: never chunk.
    .with_chunked_threshold(usize::MAX);
    let version = tiny_http::HTTPVersion(1, version);
    let mut out = io::BufWriter::with_capacity(16 * 1024, &mut *stream);
    response.raw_print(&mut out, version, &[], head_only, None)?;
    out.flush()
}

/// Closes after an answer sent before the request's body was read: the answer
/// is followed by a FIN, what the client still sends is read and dropped for a
/// while, then the socket closes. Closing at once would reset the connection,
/// and a browser still uploading would show a reset page instead of the answer.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let started = Instant::now();
    let mut drained = 0u64;
    let mut chunk = [0u8; 16 * 1024];
    let mut reader = stream;
    while drained < LINGER_BYTES {
        let Some(left) = LINGER_TIME.checked_sub(started.elapsed()) else {
            break;
        };
        let _ = reader.set_read_timeout(Some(left.max(Duration::from_millis(1))));
        match reader.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n as u64,
        }
    }
}
