//! A request head: read from a connection with limits on size and on time
//! (from its first byte), and parsed with `httparse` into a [`Head`] with the
//! framing of its body. No answers here; `conn` writes them.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 100;
/// The longest a request head may take once its first byte came.
pub const HEAD_TIME: Duration = Duration::from_secs(10);

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

    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the client wants the connection kept after this request.
    pub fn keeps_alive(&self) -> bool {
        if self.version == 0 {
            self.has_token("Connection", "keep-alive")
        } else {
            !self.has_token("Connection", "close")
        }
    }

    /// The body's length: `Ok(0)` for none; `Err` for a body this server
    /// cannot frame safely (chunked, or conflicting lengths).
    pub fn body_length(&self) -> Result<u64, u16> {
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
pub enum NoHead {
    /// The client left, or stayed silent between requests: close quietly.
    Gone,
    /// Answer with this status and close.
    Refuse(u16),
}

/// Reads the next request head from `stream`; `buf` holds bytes already read
/// and keeps what follows the head (the start of a body, or the next request).
pub fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    wait: Duration,
) -> Result<Head, NoHead> {
    let mut started = (!buf.is_empty()).then(Instant::now);
    let waiting = Instant::now();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find_head_end(buf) {
            // A whole oversized head can arrive in one read.
            if end > MAX_HEAD {
                return Err(NoHead::Refuse(431));
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

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
    fn a_head_over_the_limit_is_refused_however_it_arrives() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20 * 1024));
        // Already read whole, as one large read would leave it.
        let mut buf = big.clone().into_bytes();
        let got = read_head(&mut server, &mut buf, Duration::from_secs(1));
        assert_eq!(got.unwrap_err(), NoHead::Refuse(431));
        // And arriving over the socket.
        client.write_all(big.as_bytes()).unwrap();
        let got = read_head(&mut server, &mut Vec::new(), Duration::from_secs(1));
        assert_eq!(got.unwrap_err(), NoHead::Refuse(431));
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
