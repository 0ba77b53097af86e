//! Reads an application's `multipart/form-data` body with hard limits and parses
//! it (with `multer`) into a [`Submission`]. A body larger than the limit is
//! refused as soon as that is known: from `Content-Length` before reading a
//! byte, else when the count of bytes read passes the limit. Not validation:
//! what the fields should contain is `form`'s job.

use super::form::{Submission, Upload};
use std::io::Read;
use std::time::{Duration, Instant};

/// Hard limits on one request body.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole body, in bytes.
    pub body: u64,
    /// One uploaded file; a bigger one is cut there (and then rejected by `form`).
    pub file: u64,
    /// One text field.
    pub field: u64,
    /// Number of parts (fields and files).
    pub parts: usize,
    /// Time to receive the whole body.
    pub time: Duration,
}

impl Limits {
    /// Limits for a form whose file may be `max_file` bytes: the file plus room
    /// for the text fields.
    pub fn for_upload(max_file: u64) -> Limits {
        Limits {
            body: max_file + (1 << 20),
            file: max_file,
            field: 128 * 1024,
            parts: 256,
            time: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Over [`Limits::body`] (or a text field over [`Limits::field`]): 413.
    TooLarge,
    /// Not `multipart/form-data`: 415.
    NotMultipart,
    /// Too slow to arrive: 408.
    Timeout,
    /// Malformed, cut short, or too many parts: 400.
    Malformed(String),
}

/// Parses a body of type `content_type` with the given `Content-Length`.
pub fn parse(
    content_type: Option<&str>,
    content_length: Option<u64>,
    body: &mut dyn Read,
    limits: &Limits,
) -> Result<Submission, BodyError> {
    let boundary = content_type
        .filter(|t| {
            t.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
        .and_then(|t| multer::parse_boundary(t).ok())
        .ok_or(BodyError::NotMultipart)?;
    if content_length.is_some_and(|n| n > limits.body) {
        return Err(BodyError::TooLarge);
    }
    let bytes = read_limited(body, content_length, limits)?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limits.body));
    let multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    futures_executor::block_on(collect(multipart, limits))
}

/// Reads at most `limits.body` bytes (failing past that) within `limits.time`.
fn read_limited(
    body: &mut dyn Read,
    content_length: Option<u64>,
    limits: &Limits,
) -> Result<Vec<u8>, BodyError> {
    let started = Instant::now();
    let mut out = Vec::with_capacity(content_length.unwrap_or(64 * 1024).min(limits.body) as usize);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if started.elapsed() > limits.time {
            return Err(BodyError::Timeout);
        }
        let n = match body.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) =>
            {
                return Err(BodyError::Timeout);
            }
            Err(e) => return Err(BodyError::Malformed(format!("cannot read the body: {e}"))),
        };
        if (out.len() + n) as u64 > limits.body {
            return Err(BodyError::TooLarge);
        }
        out.extend_from_slice(&chunk[..n]);
    }
    if content_length.is_some_and(|n| n != out.len() as u64) {
        return Err(BodyError::Malformed(
            "the body is shorter than its Content-Length".into(),
        ));
    }
    Ok(out)
}

async fn collect(
    mut multipart: multer::Multipart<'_>,
    limits: &Limits,
) -> Result<Submission, BodyError> {
    let mut submission = Submission::default();
    let mut parts = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        parts += 1;
        if parts > limits.parts {
            return Err(BodyError::Malformed(format!(
                "more than {} form fields",
                limits.parts
            )));
        }
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            let room = match file_name {
                // Keep one byte past the limit, so `form` can tell the file is too big.
                Some(_) => (limits.file + 1).saturating_sub(bytes.len() as u64),
                None if bytes.len() as u64 + chunk.len() as u64 > limits.field => {
                    return Err(BodyError::TooLarge);
                }
                None => chunk.len() as u64,
            };
            let take = (room as usize).min(chunk.len());
            bytes.extend_from_slice(&chunk[..take]);
        }
        match file_name {
            Some(file_name) => submission.files.push(Upload {
                field: name,
                name: file_name,
                bytes,
            }),
            None => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| BodyError::Malformed(format!("field `{name}` is not UTF-8")))?;
                // Browsers send CRLF line ends in text areas; keep the candidate's text as typed.
                submission.fields.push((name, text.replace("\r\n", "\n")));
            }
        }
    }
    Ok(submission)
}

fn malformed(e: multer::Error) -> BodyError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            BodyError::TooLarge
        }
        e => BodyError::Malformed(e.to_string()),
    }
}

/// Builds a `multipart/form-data` body (for tests and the load benchmark).
#[cfg(test)]
pub fn encode(boundary: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=XyZ";

    fn limits() -> Limits {
        Limits {
            body: 4096,
            file: 1000,
            field: 200,
            parts: 10,
            time: Duration::from_secs(5),
        }
    }

    fn run(body: &[u8], length: Option<u64>) -> Result<Submission, BodyError> {
        parse(Some(TYPE), length, &mut &body[..], &limits())
    }

    #[test]
    fn fields_and_files_come_out_in_order() {
        let body = encode(
            "XyZ",
            &[
                ("name", "Ada"),
                ("q_langs", "rust"),
                ("q_langs", "go"),
                ("cover_letter", "a\r\nb"),
            ],
            &[("resume", "cv.pdf", b"%PDF-1.4 x")],
        );
        let s = run(&body, Some(body.len() as u64)).unwrap();
        assert_eq!(s.fields[0], ("name".into(), "Ada".into()));
        assert_eq!(s.fields[2].1, "go");
        assert_eq!(s.fields[3].1, "a\nb");
        assert_eq!(s.files[0].name, "cv.pdf");
        assert_eq!(s.files[0].bytes, b"%PDF-1.4 x");
    }

    /// A reader that fails the test if more than `allowed` bytes are read.
    struct Tripwire {
        allowed: usize,
        read: usize,
    }

    impl Read for Tripwire {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            assert!(self.read < self.allowed, "read past the limit");
            let n = buf.len().min(1024);
            buf[..n].fill(b'a');
            self.read += n;
            Ok(n)
        }
    }

    #[test]
    fn a_declared_oversized_body_is_refused_before_reading() {
        let mut reader = Tripwire {
            allowed: 0,
            read: 0,
        };
        let r = parse(Some(TYPE), Some(1 << 30), &mut reader, &limits());
        assert_eq!(r.unwrap_err(), BodyError::TooLarge);
        assert_eq!(reader.read, 0);
    }

    #[test]
    fn an_undeclared_oversized_body_stops_at_the_limit() {
        let mut reader = Tripwire {
            allowed: 5000,
            read: 0,
        };
        let r = parse(Some(TYPE), None, &mut reader, &limits());
        assert_eq!(r.unwrap_err(), BodyError::TooLarge);
        assert!(reader.read <= 4096 + 1024, "read {}", reader.read);
    }

    #[test]
    fn an_oversized_file_is_cut_one_byte_past_the_limit() {
        let big = vec![b'x'; 2000];
        let body = encode("XyZ", &[], &[("resume", "cv.pdf", &big)]);
        let s = run(&body, None).unwrap();
        assert_eq!(s.files[0].bytes.len(), 1001);
    }

    #[test]
    fn an_oversized_text_field_or_too_many_parts_is_refused() {
        let long = "x".repeat(300);
        let body = encode("XyZ", &[("cover_letter", &long)], &[]);
        assert_eq!(run(&body, None).unwrap_err(), BodyError::TooLarge);
        let many: Vec<(&str, &str)> = (0..11).map(|_| ("a", "b")).collect();
        let body = encode("XyZ", &many, &[]);
        assert!(matches!(run(&body, None), Err(BodyError::Malformed(_))));
    }

    #[test]
    fn wrong_type_truncated_and_malformed_bodies() {
        let r = parse(Some("application/json"), None, &mut &b"{}"[..], &limits());
        assert_eq!(r.unwrap_err(), BodyError::NotMultipart);
        let body = encode("XyZ", &[("name", "Ada")], &[]);
        assert!(matches!(
            run(&body, Some(300)),
            Err(BodyError::Malformed(_))
        ));
        let cut = &body[..body.len() - 12];
        assert!(
            matches!(run(cut, None), Err(BodyError::Malformed(_))),
            "{:?}",
            run(cut, None)
        );
        let r = run(&body[..20], None);
        assert!(matches!(r, Err(BodyError::Malformed(_))), "{r:?}");
    }
}
