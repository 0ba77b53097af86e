//! The endpoint's own request and response: what the HTTP layer hands the
//! endpoint and writes back. No sockets and no HTTP library here; `serve`
//! adapts its connections to these in one place.

use serde_json::Value;
use std::io::Read;
use std::net::IpAddr;

/// An HTTP request as the endpoint needs it.
pub struct Request<'a> {
    pub method: &'a str,
    /// Header names in any case.
    pub headers: Vec<(String, String)>,
    /// The peer's address.
    pub remote: Option<IpAddr>,
    /// The body as it arrives (the server enforces its transfer rate).
    pub body: &'a mut (dyn Read + Send),
}

impl Request<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to send back.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body was not read to its end: the connection must be closed after this.
    pub close: bool,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("Cache-Control".into(), "no-store".into()),
                ("X-Content-Type-Options".into(), "nosniff".into()),
            ],
            body,
            close: false,
        }
    }

    pub fn plain(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    /// The request body may be left unread: close the connection afterwards.
    pub fn closing(mut self) -> Response {
        self.close = true;
        self
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    #[cfg(test)]
    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A JSON answer (for `apply.js`).
pub fn json_response(status: u16, value: &Value) -> Response {
    Response::new(status, "application/json", value.to_string().into_bytes())
}
