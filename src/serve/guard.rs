//! The front door: every connection is accepted here, its request head is read
//! with limits on size and time, and only then is the connection passed through to
//! tiny_http, which listens on a loopback port of its own.
//!
//! Why it exists: tiny_http 0.12, when it drops a request whose body was not read
//! to the end, allocates one buffer the size of the claimed `Content-Length` to
//! drain it; a single request claiming a terabyte aborts the whole process. It also
//! reads request heads of any size. Here a body larger than any site accepts is
//! refused before tiny_http sees the request, and heads are bounded.
//!
//! Each connection carries one request (`Connection: close` is forced), so the
//! head of every request passes through this check. The client's address travels
//! in [`PEER_HEADER`], which only the guard sets.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The header that tells tiny_http's side who the client is.
pub const PEER_HEADER: &str = "X-Openings-Peer";

/// The largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;

/// The largest body any site accepts: `[apply] max_upload_mb` is at most 100, plus
/// room for the other fields. The endpoint applies the site's own, lower limit.
pub const MAX_BODY: u64 = 110 << 20;

/// Connections handled at once; more are answered 503 at once.
const MAX_CONNECTIONS: usize = 512;

/// Accepts connections on `public` and passes them to `inner` in the background.
pub fn start(public: TcpListener, inner: SocketAddr, timeouts: (Duration, Duration)) {
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::Builder::new()
        .name("guard".into())
        .spawn(move || {
            for stream in public.incoming() {
                let client = match stream {
                    Ok(client) => client,
                    Err(e) => {
                        // Out of file descriptors, or a connection reset before it
                        // was taken: say so, let the moment pass, keep accepting.
                        eprintln!("serve: could not accept a connection: {e}");
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    }
                };
                let _ = client.set_read_timeout(Some(timeouts.0));
                let _ = client.set_write_timeout(Some(timeouts.1));
                let _ = client.set_nodelay(true);
                if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    open.fetch_sub(1, Ordering::SeqCst);
                    refuse(client, 503, "Service Unavailable");
                    continue;
                }
                let counter = open.clone();
                let spawned =
                    std::thread::Builder::new()
                        .name("guard-conn".into())
                        .spawn(move || {
                            pass(client, inner);
                            counter.fetch_sub(1, Ordering::SeqCst);
                        });
                if spawned.is_err() {
                    // The connection went with the closure; count it back.
                    open.fetch_sub(1, Ordering::SeqCst);
                }
            }
        })
        .expect("spawn the connection guard");
}

/// What the head of a request allows.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Pass on: the head rewritten for tiny_http.
    Pass(Vec<u8>),
    Refuse(u16, &'static str),
}

/// Checks a complete request head and rewrites it: hop-by-hop `Connection`
/// headers and any client-sent [`PEER_HEADER`] are dropped, `Connection: close`
/// and the real peer address are added.
fn judge(head: &[u8], peer: IpAddr) -> Verdict {
    let mut headers = [httparse::EMPTY_HEADER; 100];
    let mut request = httparse::Request::new(&mut headers);
    let Ok(httparse::Status::Complete(_)) = request.parse(head) else {
        return Verdict::Refuse(400, "Bad Request");
    };
    let (Some(method), Some(path), Some(version)) = (request.method, request.path, request.version)
    else {
        return Verdict::Refuse(400, "Bad Request");
    };
    let mut out = format!("{method} {path} HTTP/1.{version}\r\n").into_bytes();
    for header in request.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            let length = std::str::from_utf8(header.value)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok());
            match length {
                Some(n) if n <= MAX_BODY => {}
                Some(_) => return Verdict::Refuse(413, "Payload Too Large"),
                None => return Verdict::Refuse(400, "Bad Request"),
            }
        }
        let dropped = ["connection", "keep-alive", "proxy-connection", PEER_HEADER];
        if dropped.iter().any(|d| name.eq_ignore_ascii_case(d)) {
            continue;
        }
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(header.value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Connection: close\r\n{PEER_HEADER}: {peer}\r\n\r\n").as_bytes());
    Verdict::Pass(out)
}

/// Reads the head of the first request, then connects the client to tiny_http.
fn pass(mut client: TcpStream, inner: SocketAddr) {
    let Ok(peer) = client.peer_addr() else { return };
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find_head_end(&buffer) {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return refuse(client, 431, "Request Header Fields Too Large");
        }
        match client.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = match judge(&buffer[..head_end], peer.ip()) {
        Verdict::Pass(head) => head,
        Verdict::Refuse(status, reason) => return refuse(client, status, reason),
    };
    let Ok(mut upstream) = TcpStream::connect(inner) else {
        return refuse(client, 503, "Service Unavailable");
    };
    let _ = upstream.set_nodelay(true);
    if upstream
        .write_all(&head)
        .and_then(|_| upstream.write_all(&buffer[head_end..]))
        .is_err()
    {
        return;
    }
    let (Ok(mut client_in), Ok(mut upstream_out)) = (client.try_clone(), upstream.try_clone())
    else {
        return;
    };
    // The body goes up in the background; the answer comes down here.
    let up = std::thread::Builder::new()
        .name("guard-up".into())
        .spawn(move || {
            let _ = io::copy(&mut client_in, &mut upstream_out);
            let _ = upstream_out.shutdown(Shutdown::Write);
        });
    let _ = answer(&mut upstream, &mut client);
    let _ = client.shutdown(Shutdown::Both);
    let _ = upstream.shutdown(Shutdown::Both);
    if let Ok(up) = up {
        let _ = up.join();
    }
}

/// Copies tiny_http's answer to the client, saying `Connection: close` in its head
/// (tiny_http closes the connection without saying so, and a client that reuses it
/// for a form post would see the post fail).
fn answer(upstream: &mut TcpStream, client: &mut TcpStream) -> io::Result<()> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = find_head_end(&buffer) {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            // Not a head we understand: pass it on as it is.
            client.write_all(&buffer)?;
            return io::copy(upstream, client).map(|_| ());
        }
        match upstream.read(&mut chunk)? {
            0 => return client.write_all(&buffer),
            n => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = &buffer[..end - 2];
    let says_close = head
        .split(|&b| b == b'\n')
        .any(|line| line.len() > 11 && line[..11].eq_ignore_ascii_case(b"connection:"));
    client.write_all(head)?;
    if !says_close {
        client.write_all(b"Connection: close\r\n")?;
    }
    client.write_all(&buffer[end - 2..])?;
    io::copy(upstream, client).map(|_| ())
}

fn find_head_end(buffer: &[u8]) -> Option<usize> {
    buffer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

/// Answers with a bare status and closes, without reading the rest of the request.
fn refuse(mut client: TcpStream, status: u16, reason: &str) {
    let body = format!("{status} {reason}\n");
    let _ = write!(
        client,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Both);
}

/// The client's address as the guard saw it, from a request tiny_http received.
pub fn peer(request: &tiny_http::Request) -> Option<IpAddr> {
    let from_guard = request.remote_addr().is_some_and(|a| a.ip().is_loopback());
    let header = request
        .headers()
        .iter()
        .find(|h| h.field.equiv(PEER_HEADER))
        .and_then(|h| h.value.as_str().parse().ok());
    if from_guard {
        header
    } else {
        request.remote_addr().map(|a| a.ip())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> IpAddr {
        "203.0.113.7".parse().unwrap()
    }

    #[test]
    fn a_huge_content_length_is_refused_before_any_body() {
        let head = b"POST /apply/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000\r\n\r\n";
        assert_eq!(
            judge(head, peer()),
            Verdict::Refuse(413, "Payload Too Large")
        );
        let bad = b"POST /apply/x HTTP/1.1\r\nContent-Length: lots\r\n\r\n";
        assert_eq!(judge(bad, peer()), Verdict::Refuse(400, "Bad Request"));
    }

    #[test]
    fn heads_are_rewritten_to_one_request_with_the_real_peer() {
        let head = b"GET /jobs/ HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nX-Openings-Peer: 10.0.0.1\r\n\r\n";
        let Verdict::Pass(out) = judge(head, peer()) else {
            panic!()
        };
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "GET /jobs/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Openings-Peer: 203.0.113.7\r\n\r\n"
        );
    }

    /// A connected pair of loopback sockets.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let a = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (a, listener.accept().unwrap().0)
    }

    #[test]
    fn answers_say_the_connection_closes() {
        for (sent, close_headers) in [
            ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 1),
            ("HTTP/1.1 413 Too Large\r\nConnection: close\r\n\r\n", 1),
        ] {
            let (mut tiny, mut upstream) = pair();
            let (mut client, mut browser) = pair();
            tiny.write_all(sent.as_bytes()).unwrap();
            drop(tiny);
            answer(&mut upstream, &mut client).unwrap();
            drop(client);
            let mut got = String::new();
            browser.read_to_string(&mut got).unwrap();
            assert_eq!(
                got.to_ascii_lowercase()
                    .matches("connection: close")
                    .count(),
                close_headers,
                "{got}"
            );
            assert!(
                got.ends_with("\r\n\r\nok") || got.ends_with("close\r\n\r\n"),
                "{got}"
            );
        }
    }

    #[test]
    fn garbage_is_a_bad_request() {
        assert_eq!(
            judge(b"\x16\x03\x01 hello\r\n\r\n", peer()),
            Verdict::Refuse(400, "Bad Request")
        );
    }
}
