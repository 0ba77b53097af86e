//! A request body as it arrives: the bytes that came with the head first, then
//! the socket, never past `Content-Length`. It enforces the time a body may take
//! as a minimum transfer rate (after a grace period, the average must stay
//! above [`MIN_RATE`]), not only as an overall deadline, so a client trickling a
//! byte every few seconds is cut off while a phone on a poor network is not.
//! `Expect: 100-continue` is answered on the first read: whoever refuses the
//! body before reading it never invites the client to send it.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The slowest average transfer accepted once [`GRACE`] is over: 2 KiB/s, a
/// poor mobile uplink sends a 10 MB résumé in under an hour and a half.
pub const MIN_RATE: u64 = 2 * 1024;
/// Time a body has before the rate counts.
pub const GRACE: Duration = Duration::from_secs(10);
/// The longest wait for the next byte, whatever the rate so far.
pub const IDLE: Duration = Duration::from_secs(20);

pub struct Body<'a> {
    stream: &'a TcpStream,
    /// Bytes read with the head that belong to the body.
    early: Vec<u8>,
    at: usize,
    /// Bytes still to come.
    left: u64,
    expect_continue: bool,
    started: Instant,
    received: u64,
}

impl<'a> Body<'a> {
    pub fn new(
        stream: &'a TcpStream,
        early: Vec<u8>,
        length: u64,
        expect_continue: bool,
    ) -> Body<'a> {
        Body {
            stream,
            early,
            at: 0,
            left: length,
            expect_continue,
            started: Instant::now(),
            received: 0,
        }
    }

    /// Whether every byte of the body was read.
    pub fn finished(&self) -> bool {
        self.left == 0
    }

    /// How long the next read may wait: `None` when the rate is already too low.
    fn patience(&self) -> Option<Duration> {
        let allowed = GRACE + Duration::from_secs_f64(self.received as f64 / MIN_RATE as f64);
        allowed
            .checked_sub(self.started.elapsed())
            .filter(|d| !d.is_zero())
            .map(|d| d.min(IDLE))
    }
}

impl Read for Body<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        if self.at < self.early.len() {
            let n = want.min(self.early.len() - self.at);
            buf[..n].copy_from_slice(&self.early[self.at..self.at + n]);
            self.at += n;
            self.left -= n as u64;
            self.received += n as u64;
            return Ok(n);
        }
        if std::mem::take(&mut self.expect_continue) {
            let mut stream = self.stream;
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        let Some(patience) = self.patience() else {
            return Err(ErrorKind::TimedOut.into());
        };
        self.stream.set_read_timeout(Some(patience))?;
        let mut stream = self.stream;
        match stream.read(&mut buf[..want]) {
            Ok(0) => Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                "the body ended before its Content-Length",
            )),
            Ok(n) => {
                self.left -= n as u64;
                self.received += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => Err(ErrorKind::TimedOut.into()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn the_body_stops_at_its_length_and_starts_with_the_early_bytes() {
        let (mut client, server) = pair();
        client.write_all(b"def-next request").unwrap();
        let mut body = Body::new(&server, b"abc".to_vec(), 6, false);
        let mut got = Vec::new();
        let mut chunk = [0u8; 2];
        loop {
            match body.read(&mut chunk).unwrap() {
                0 => break,
                n => got.extend_from_slice(&chunk[..n]),
            }
        }
        assert_eq!(got, b"abcdef");
        assert!(body.finished());
    }

    #[test]
    fn a_client_that_stops_early_is_an_error_not_a_short_body() {
        let (mut client, server) = pair();
        client.write_all(b"ab").unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let mut body = Body::new(&server, Vec::new(), 10, false);
        let mut all = Vec::new();
        let e = body.read_to_end(&mut all).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnexpectedEof);
    }

    #[test]
    fn continue_is_sent_only_when_the_body_is_read() {
        let (mut client, server) = pair();
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut body = Body::new(&server, Vec::new(), 2, true);
        client.write_all(b"ok").unwrap();
        let mut got = [0u8; 2];
        body.read_exact(&mut got).unwrap();
        let mut said = [0u8; 25];
        client.read_exact(&mut said).unwrap();
        assert_eq!(&said, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn patience_shrinks_for_a_trickle() {
        let (_client, server) = pair();
        let mut body = Body::new(&server, Vec::new(), 1 << 20, false);
        assert!(body.patience().is_some());
        body.started = Instant::now() - GRACE - Duration::from_secs(1);
        body.received = 100;
        assert_eq!(body.patience(), None, "100 bytes in 11 s is too slow");
        body.received = 64 * 1024;
        assert!(body.patience().is_some(), "64 KiB in 11 s is fine");
    }
}
