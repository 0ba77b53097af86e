//! Reads an application's `multipart/form-data` body as it arrives and parses
//! it (with `multer`) into a [`Submission`]: text fields are kept as they come,
//! a file is written to the store's private folder chunk by chunk (see `spool`),
//! so no upload is ever held whole in memory. A file over its limit is read to
//! its end and discarded, so the candidate's other answers still arrive; only a
//! body over the hard ceiling ([`Limits::body`]) is refused. Not validation:
//! what the fields should contain is `form`'s job; not timing: the server's
//! body reader enforces the transfer rate and reports it as a timed-out read.

use super::form::{Submission, Upload};
use super::spool::Spool;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Hard limits on one request body.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole body, in bytes: past this the request is refused.
    pub body: u64,
    /// One uploaded file; a bigger one is read and discarded (and `form` says so).
    pub file: u64,
    /// One text field.
    pub field: u64,
    /// Number of parts (fields and files).
    pub parts: usize,
}

/// The hard ceiling on a body for uploads of `max_file` bytes: four times the
/// file limit plus 1 MiB for the text fields. Up to it, a file over the limit
/// is read and discarded so the form comes back with every answer; past it the
/// server stops reading.
pub fn ceiling(max_file: u64) -> u64 {
    max_file.saturating_mul(4).saturating_add(1 << 20)
}

impl Limits {
    /// Limits for a form whose file may be `max_file` bytes.
    pub fn for_upload(max_file: u64) -> Limits {
        Limits {
            body: ceiling(max_file),
            file: max_file,
            field: 128 * 1024,
            parts: 256,
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
    /// The upload could not be written to disk: 503.
    Disk(String),
}

/// The boundary of a `multipart/form-data` content type: `NotMultipart` for
/// another type, `Malformed` for a missing or non-ASCII boundary.
pub fn boundary(content_type: Option<&str>) -> Result<String, BodyError> {
    let content_type = content_type
        .filter(|t| {
            t.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
        .ok_or(BodyError::NotMultipart)?;
    multer::parse_boundary(content_type)
        .ok()
        .filter(|b| !b.is_empty() && b.is_ascii())
        .ok_or_else(|| {
            BodyError::Malformed("the multipart boundary is missing or not ASCII".into())
        })
}

/// Parses a body of type `content_type`; uploaded files go to `spool_dir`.
pub fn parse(
    content_type: Option<&str>,
    body: &mut (dyn Read + Send),
    limits: &Limits,
    spool_dir: &Path,
) -> Result<Submission, BodyError> {
    let boundary = boundary(content_type)?;
    // multer sees only that the stream failed; the kind of failure is kept here.
    let failure: Arc<Mutex<Option<ErrorKind>>> = Arc::default();
    let seen = failure.clone();
    let mut chunk = vec![0u8; 64 * 1024];
    // multer pulls from its stream until it is told to wait: a reader that is
    // always ready would be buffered whole. So every chunk is followed by one
    // "not yet" (with an immediate wake-up), and multer parses what it has.
    let mut just_read = false;
    let stream = futures_util::stream::poll_fn(move |cx| {
        if std::mem::take(&mut just_read) {
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        just_read = true;
        let read = loop {
            match body.read(&mut chunk) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        std::task::Poll::Ready(match read {
            Ok(0) => None,
            Ok(n) => Some(Ok(chunk[..n].to_vec())),
            Err(e) => {
                *seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.kind());
                Some(Err(e))
            }
        })
    });
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limits.body));
    let multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    let result = futures_executor::block_on(collect(multipart, limits, spool_dir));
    let failed = *failure.lock().unwrap_or_else(|p| p.into_inner());
    match (result, failed) {
        (Err(BodyError::Malformed(_)), Some(ErrorKind::TimedOut | ErrorKind::WouldBlock)) => {
            Err(BodyError::Timeout)
        }
        (Err(BodyError::Malformed(_)), Some(ErrorKind::FileTooLarge)) => Err(BodyError::TooLarge),
        (result, _) => result,
    }
}

async fn collect(
    mut multipart: multer::Multipart<'_>,
    limits: &Limits,
    spool_dir: &Path,
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
        let Some(file_name) = field.file_name().map(str::to_string) else {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                if bytes.len() as u64 + chunk.len() as u64 > limits.field {
                    return Err(BodyError::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| BodyError::Malformed(format!("field `{name}` is not UTF-8")))?;
            // Browsers send CRLF line ends in text areas; keep the candidate's text as typed.
            submission.fields.push((name, text.replace("\r\n", "\n")));
            continue;
        };
        let disk = |e: std::io::Error| BodyError::Disk(e.to_string());
        let mut spool = Some(Spool::create(spool_dir).map_err(disk)?);
        let mut size = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            size += chunk.len() as u64;
            if size > limits.file {
                // Over the limit: stop keeping it, but read on to the other answers.
                spool = None;
            }
            if let Some(spool) = spool.as_mut() {
                spool.write(&chunk).map_err(disk)?;
            }
        }
        let file = match spool {
            Some(spool) if size > 0 => Some(spool.finish().map_err(disk)?),
            _ => None,
        };
        submission.files.push(Upload {
            field: name,
            name: file_name,
            size,
            file,
        });
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
        }
    }

    fn run(body: &[u8]) -> Result<Submission, BodyError> {
        let dir = tempfile::tempdir().unwrap();
        parse(Some(TYPE), &mut &body[..], &limits(), dir.path())
    }

    #[test]
    fn fields_and_files_come_out_in_order() {
        let dir = tempfile::tempdir().unwrap();
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
        let s = parse(Some(TYPE), &mut &body[..], &limits(), dir.path()).unwrap();
        assert_eq!(s.fields[0], ("name".into(), "Ada".into()));
        assert_eq!(s.fields[2].1, "go");
        assert_eq!(s.fields[3].1, "a\nb");
        assert_eq!(s.files[0].name, "cv.pdf");
        let file = s.files[0].file.as_ref().unwrap();
        assert_eq!(std::fs::read(file.path()).unwrap(), b"%PDF-1.4 x");
        assert!(file.path().starts_with(dir.path()));
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
    fn a_body_over_the_ceiling_stops_there() {
        let mut reader = Tripwire {
            allowed: 5000,
            read: 0,
        };
        let dir = tempfile::tempdir().unwrap();
        let r = parse(Some(TYPE), &mut reader, &limits(), dir.path());
        assert_eq!(r.unwrap_err(), BodyError::TooLarge);
        assert!(reader.read <= 4096 + 64 * 1024, "read {}", reader.read);
    }

    #[test]
    fn an_oversized_file_is_read_through_and_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'x'; 2000];
        let body = encode("XyZ", &[], &[("resume", "cv.pdf", &big)]);
        let mut body_then_field = body[..body.len() - 4].to_vec();
        body_then_field.extend_from_slice(
            b"\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n--XyZ--\r\n",
        );
        let s = parse(Some(TYPE), &mut &body_then_field[..], &limits(), dir.path()).unwrap();
        assert_eq!(s.files[0].size, 2000);
        assert!(s.files[0].file.is_none());
        assert_eq!(s.fields, [("name".to_string(), "Ada".to_string())]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_oversized_text_field_or_too_many_parts_is_refused() {
        let long = "x".repeat(300);
        let body = encode("XyZ", &[("cover_letter", &long)], &[]);
        assert_eq!(run(&body).unwrap_err(), BodyError::TooLarge);
        let many: Vec<(&str, &str)> = (0..11).map(|_| ("a", "b")).collect();
        let body = encode("XyZ", &many, &[]);
        assert!(matches!(run(&body), Err(BodyError::Malformed(_))));
    }

    #[test]
    fn wrong_type_truncated_and_malformed_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let r = parse(
            Some("application/json"),
            &mut &b"{}"[..],
            &limits(),
            dir.path(),
        );
        assert_eq!(r.unwrap_err(), BodyError::NotMultipart);
        let body = encode("XyZ", &[("name", "Ada")], &[]);
        let cut = &body[..body.len() - 12];
        assert!(
            matches!(run(cut), Err(BodyError::Malformed(_))),
            "{:?}",
            run(cut)
        );
        let r = run(&body[..20]);
        assert!(matches!(r, Err(BodyError::Malformed(_))), "{r:?}");
        let r = parse(
            Some("multipart/form-data; boundary=\u{e9}t\u{e9}"),
            &mut &b""[..],
            &limits(),
            dir.path(),
        );
        assert!(matches!(r, Err(BodyError::Malformed(_))), "{r:?}");
    }

    /// A body that checks, as it is read, that the upload reaches the disk as
    /// it arrives: what was read and is not on disk yet stays small.
    struct Watched<'a> {
        body: &'a [u8],
        at: usize,
        dir: &'a std::path::Path,
        most_behind: usize,
    }

    impl Read for Watched<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let on_disk: u64 = std::fs::read_dir(self.dir)?
                .map(|e| e.unwrap().metadata().unwrap().len())
                .sum();
            self.most_behind = self.most_behind.max(self.at - on_disk as usize);
            let n = buf.len().min(self.body.len() - self.at).min(16 * 1024);
            buf[..n].copy_from_slice(&self.body[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn an_upload_is_written_as_it_arrives_not_held_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let file = vec![b'%'; 4 << 20];
        let body = encode("XyZ", &[("name", "Ada")], &[("resume", "cv.pdf", &file)]);
        let limits = Limits::for_upload(8 << 20);
        let mut watched = Watched {
            body: &body,
            at: 0,
            dir: dir.path(),
            most_behind: 0,
        };
        let s = parse(Some(TYPE), &mut watched, &limits, dir.path()).unwrap();
        assert_eq!(s.files[0].size, 4 << 20);
        assert!(
            watched.most_behind < 256 * 1024,
            "{} bytes were read before reaching the disk",
            watched.most_behind
        );
    }

    /// A reader whose client stopped sending: the server's reader times out.
    struct Stalled;

    impl Read for Stalled {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(ErrorKind::TimedOut.into())
        }
    }

    #[test]
    fn a_stalled_body_is_a_timeout_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let r = parse(Some(TYPE), &mut Stalled, &limits(), dir.path());
        assert_eq!(r.unwrap_err(), BodyError::Timeout);
        let body = encode("XyZ", &[], &[("resume", "cv.pdf", b"%PDF-1.4 x")]);
        let mut cut = std::io::Read::chain(&body[..body.len() - 30], Stalled);
        let r = parse(Some(TYPE), &mut cut, &limits(), dir.path());
        assert_eq!(r.unwrap_err(), BodyError::Timeout);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
