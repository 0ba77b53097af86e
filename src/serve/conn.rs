//! One connection, on its own thread: reads each request head (bounded in size
//! and in time), decides what it is (`route`), hands the application endpoint
//! its request with the body as it arrives (`body`), and writes every answer
//! through tiny_http's `Response`. Keeps the connection for the next request
//! when it safely can; closes with a lingering close when a body was left
//! unread, so the client sees the answer instead of a reset.

use super::State;
use super::body::Body;
use super::pages::{self, Reply};
use super::route::{self, Route};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, Shutdown, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 100;
/// The longest a request head may take once its first byte came.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
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

/// A request head.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    /// The request target as sent.
    pub target: String,
    /// The minor HTTP version: 0 or 1.
    pub version: u8,
    /// Header names in any case.
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the client wants the connection kept after this request.
    fn keeps_alive(&self) -> bool {
        if self.version == 0 {
            self.has_token("Connection", "keep-alive")
        } else {
            !self.has_token("Connection", "close")
        }
    }

    /// The body's length: `Ok(0)` for none; `Err` for a body this server
    /// cannot frame safely (chunked, or conflicting lengths).
    fn body_length(&self) -> Result<u64, u16> {
        if self.header("Transfer-Encoding").is_some() {
            return Err(411);
        }
        let mut lengths = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.trim().parse::<u64>());
        match (lengths.next(), lengths.next()) {
            (None, _) => Ok(0),
            (Some(Ok(n)), None) => Ok(n),
            _ => Err(400),
        }
    }
}

/// Why no head could be read.
#[derive(Debug, PartialEq, Eq)]
enum NoHead {
    /// The client left, or stayed silent between requests: close quietly.
    Gone,
    /// Answer with this status and close.
    Refuse(u16),
}

/// Reads the next request head from `stream`; `buf` holds bytes already read
/// and keeps what follows the head (the start of a body, or the next request).
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, wait: Duration) -> Result<Head, NoHead> {
    let mut started = (!buf.is_empty()).then(Instant::now);
    let waiting = Instant::now();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find_head_end(buf) {
            let head = parse_head(&buf[..end])?;
            buf.drain(..end);
            return Ok(head);
        }
        if buf.len() > MAX_HEAD {
            return Err(NoHead::Refuse(431));
        }
        let left = match started {
            Some(at) => HEAD_TIME.checked_sub(at.elapsed()),
            None => wait.checked_sub(waiting.elapsed()),
        };
        let Some(left) = left.filter(|d| !d.is_zero()) else {
            return Err(if started.is_some() {
                NoHead::Refuse(408)
            } else {
                NoHead::Gone
            });
        };
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut chunk) {
            Ok(0) => return Err(NoHead::Gone),
            Ok(n) => {
                started.get_or_insert_with(Instant::now);
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Err(NoHead::Gone),
        }
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn parse_head(bytes: &[u8]) -> Result<Head, NoHead> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(NoHead::Refuse(431)),
        _ => return Err(NoHead::Refuse(400)),
    }
    let (Some(method), Some(target), Some(version)) =
        (request.method, request.path, request.version)
    else {
        return Err(NoHead::Refuse(400));
    };
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        version,
        headers: request
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
    })
}

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
    let base_path = memory
        .as_ref()
        .map_or("/", |m| m.generation.site.config.base_path());
    let pattern = memory
        .as_ref()
        .and_then(|m| super::endpoint::Pattern::of(&m.generation.site, &m.generation.renderer));
    let exists = |key: &str| memory.as_ref().is_some_and(|m| m.contains(key));
    let route = route::route(
        &head.method,
        &head.target,
        base_path,
        state.dev,
        &exists,
        pattern.as_ref(),
    );
    match route {
        Route::Endpoint(slug) => {
            let mut body = Body::new(stream, early, length, expects_continue(head));
            let answer = state
                .endpoint
                .answer(head, &mut body, peer, &slug, memory.as_deref());
            let finished = body.finished();
            let close = answer.close || !finished || !keep;
            let reply = Reply {
                status: answer.status,
                headers: Vec::new(),
                body: Arc::from(answer.body),
            };
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
        Route::Events => {
            let Ok(writer) = stream.try_clone() else {
                return After::Close;
            };
            // The hub keeps the connection; this thread is done with it.
            state.hub.join(Box::new(writer), &state.hello());
            After::Close
        }
        route => {
            let reply = pages::answer(route, state);
            // A body nobody reads here (a page does not take one) ends the
            // connection, and so does a request that made no sense.
            let close = !keep || length > early.len() as u64 || reply.status == 400;
            if write(stream, &reply, head.version, head_only, close).is_err() {
                return After::Close;
            }
            match (close, length > 0) {
                (false, _) => {
                    After::Keep(early.get(length as usize..).unwrap_or_default().to_vec())
                }
                (true, true) => After::Linger,
                (true, false) => After::Close,
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, NoHead> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn heads_are_parsed_with_their_framing() {
        let h = head("POST /apply/x HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n").unwrap();
        assert_eq!(
            (h.method.as_str(), h.target.as_str(), h.version),
            ("POST", "/apply/x", 1)
        );
        assert_eq!(h.body_length(), Ok(12));
        assert!(h.keeps_alive());
        let h = head("GET / HTTP/1.0\r\n\r\n").unwrap();
        assert!(!h.keeps_alive());
        assert_eq!(h.body_length(), Ok(0));
        let h = head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").unwrap();
        assert!(!h.keeps_alive());
    }

    #[test]
    fn bodies_that_cannot_be_framed_safely_are_refused() {
        let chunked = head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
        assert_eq!(chunked.body_length(), Err(411));
        let both =
            head("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").unwrap();
        assert_eq!(both.body_length(), Err(400));
        let bad = head("POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n").unwrap();
        assert_eq!(bad.body_length(), Err(400));
    }

    #[test]
    fn garbage_and_header_floods_are_refused() {
        assert_eq!(
            head("\x16\x03\x01 hello\r\n\r\n").unwrap_err(),
            NoHead::Refuse(400)
        );
        let many: String = (0..150).map(|i| format!("X-{i}: y\r\n")).collect();
        let flood = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(head(&flood).unwrap_err(), NoHead::Refuse(431));
    }

    #[test]
    fn a_head_that_trickles_in_is_cut_off() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        client.write_all(b"GET / HT").unwrap();
        let mut buf = Vec::new();
        let started = Instant::now();
        // Nothing more comes: the head's time runs out.
        let got = read_head(&mut server, &mut buf, Duration::from_secs(1));
        assert_eq!(got.unwrap_err(), NoHead::Refuse(408));
        assert!(started.elapsed() >= HEAD_TIME - Duration::from_millis(50));
        // A connection that stays silent is closed quietly once its wait is over.
        let mut quiet = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let got = read_head(&mut server, &mut Vec::new(), Duration::from_millis(200));
        assert_eq!(got.unwrap_err(), NoHead::Gone);
        let _ = quiet.write_all(b"x");
    }
}
