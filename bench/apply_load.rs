//! Load generator for the application endpoint: sends multipart applications
//! with a résumé of a given size over keep-alive connections to a running
//! `openings serve --production`, and reports accepted applications per second
//! and latency percentiles. Bounded in requests and seconds; only talks to the
//! address it is given (use 127.0.0.1).
//!
//!   rustc -O --edition 2024 bench/apply_load.rs -o /tmp/apply-load && /tmp/apply-load \
//!     --url http://127.0.0.1:8080/apply/example-role --connections 16 \
//!     --requests 5000 --seconds 30 --file-kb 200
//!
//! Run through `bench/apply.sh`, which builds a site, starts the server and
//! checks afterwards that every accepted application is in the database.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    host: String,
    path: String,
    connections: usize,
    requests: usize,
    seconds: u64,
    file_kb: usize,
}

fn args() -> Args {
    let mut a = Args {
        host: String::new(),
        path: String::new(),
        connections: 16,
        requests: 5000,
        seconds: 30,
        file_kb: 200,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--url" => {
                let rest = value
                    .strip_prefix("http://")
                    .expect("--url must be http://HOST:PORT/PATH");
                let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
                a.host = host.to_string();
                a.path = format!("/{path}");
            }
            "--connections" => a.connections = value.parse().expect("number"),
            "--requests" => a.requests = value.parse().expect("number"),
            "--seconds" => a.seconds = value.parse().expect("number"),
            "--file-kb" => a.file_kb = value.parse().expect("number"),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!a.host.is_empty(), "--url is required");
    a
}

/// A small valid PDF padded with a comment stream to `kb` kilobytes.
fn pdf(kb: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n".to_vec();
    let mut i = 0u64;
    while out.len() < kb * 1024 - 64 {
        // Pseudo-random text so compression on any path cannot cheat.
        i = i
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.extend_from_slice(format!("% {i:016x}\n").as_bytes());
    }
    out.extend_from_slice(b"trailer <</Root 1 0 R>>\n%%EOF\n");
    out
}

fn body(boundary: &str, n: usize, file: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(file.len() + 2048);
    let fields = [
        ("name", format!("Load Test {n}")),
        ("email", format!("load{n}@example.com")),
        ("cover_letter", "Sent by bench/apply_load.rs.".to_string()),
        ("consent", "yes".to_string()),
    ];
    for (name, value) in fields {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"resume\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
    );
    out.extend_from_slice(file);
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    out
}

/// Sends one request on `stream`; returns the status and whether the server
/// keeps the connection open (it closes it when it says `Connection: close`).
fn send(
    stream: &mut BufReader<TcpStream>,
    host: &str,
    path: &str,
    body: &[u8],
) -> std::io::Result<(u16, bool)> {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=BenchBoundary\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let s = stream.get_mut();
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut line = String::new();
    stream.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    let mut keep = true;
    loop {
        let mut h = String::new();
        if stream.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
        let h = h.to_ascii_lowercase();
        if let Some(v) = h.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if h.starts_with("connection:") && h.contains("close") {
            keep = false;
        }
    }
    let mut rest = vec![0; length];
    stream.read_exact(&mut rest)?;
    Ok((status, keep))
}

fn main() {
    let a = args();
    let file = pdf(a.file_kb);
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::<(u16, Duration)>::new()));
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..a.connections)
        .map(|_| {
            let (next, results, file) = (next.clone(), results.clone(), file.clone());
            let (host, path, requests) = (a.host.clone(), a.path.clone(), a.requests);
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                let mut stream: Option<BufReader<TcpStream>> = None;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= requests || Instant::now() > deadline {
                        break;
                    }
                    let body = body("BenchBoundary", n, &file);
                    let t = Instant::now();
                    if stream.is_none() {
                        let s = TcpStream::connect(&host).expect("connect");
                        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                        s.set_nodelay(true).unwrap();
                        stream = Some(BufReader::new(s));
                    }
                    match send(stream.as_mut().unwrap(), &host, &path, &body) {
                        Ok((status, keep)) => {
                            if !keep {
                                stream = None;
                            }
                            if t.elapsed() > Duration::from_secs(1) {
                                eprintln!(
                                    "apply-load: request {n} took {:?} (sent {:?} after the start)",
                                    t.elapsed(),
                                    t - started
                                );
                            }
                            mine.push((status, t.elapsed()))
                        }
                        Err(e) => {
                            eprintln!("apply-load: request {n}: {e}");
                            mine.push((0, t.elapsed()));
                            stream = None;
                        }
                    }
                }
                results.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed();
    let results = results.lock().unwrap();
    let mut ok: Vec<Duration> = results
        .iter()
        .filter(|(s, _)| (200..300).contains(s))
        .map(|(_, d)| *d)
        .collect();
    ok.sort();
    let pct = |p: f64| -> f64 {
        if ok.is_empty() {
            return 0.0;
        }
        let i = ((ok.len() as f64 * p).ceil() as usize).clamp(1, ok.len()) - 1;
        ok[i].as_secs_f64() * 1000.0
    };
    let failed = results.len() - ok.len();
    println!(
        "{{\"sent\": {}, \"accepted\": {}, \"failed\": {failed}, \"seconds\": {:.2}, \"per_second\": {:.1}, \"p50_ms\": {:.1}, \"p90_ms\": {:.1}, \"p99_ms\": {:.1}, \"max_ms\": {:.1}, \"file_kb\": {}, \"connections\": {}}}",
        results.len(),
        ok.len(),
        elapsed.as_secs_f64(),
        ok.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.90),
        pct(0.99),
        ok.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        a.file_kb,
        a.connections
    );
}
