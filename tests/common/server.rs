//! Runs `openings serve` on a free port of 127.0.0.1 and talks HTTP to it with
//! plain sockets, so tests can send exactly the bytes they mean (`..`, stalls).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any single wait in these tests may take before it fails.
pub const WAIT: Duration = Duration::from_secs(20);

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// The base URL as printed, e.g. `http://127.0.0.1:41234/careers/`.
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// `openings serve --port 0 --today TODAY EXTRA...` in `root`; waits for its URL.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_openings"));
        command
            .args(["serve", "--port", "0", "--today", super::TODAY])
            .args(extra)
            .current_dir(root);
        Server::launch(command)
    }

    /// `openings serve --production --bind 127.0.0.1 --port PORT --today TODAY`
    /// in `root` (`0`: a free port), before the store's flags.
    fn production_command(root: &Path, port: u16) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_openings"));
        command
            .args(["serve", "--production", "--bind", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .args(["--today", super::TODAY])
            .current_dir(root);
        command
    }

    /// The production server with its store in `data` (`--data DATA EXTRA...`);
    /// waits for its URL.
    pub fn production_on(root: &Path, data: &Path, port: u16, extra: &[&str]) -> Server {
        let mut command = Server::production_command(root, port);
        command.arg("--data").arg(data).args(extra);
        Server::launch(command)
    }

    /// The production server on a free port with its store in the PostgreSQL
    /// database at `url` (`--database URL`; `OPENINGS_DATABASE_URL` unset).
    pub fn production_database(root: &Path, url: &str) -> Server {
        let mut command = Server::production_command(root, 0);
        command
            .args(["--database", url])
            .env_remove("OPENINGS_DATABASE_URL");
        Server::launch(command)
    }

    /// [`Server::production_on`] a free port, with the store in `data/` of `site`.
    pub fn production(site: &super::TestSite, extra: &[&str]) -> Server {
        Server::production_on(site.root(), &site.path("data"), 0, extra)
    }

    /// `openings serve --port 0 ARGS...` in `root` under a shifted clock:
    /// `faketime -f '@WHEN'` with the time zone UTC, so the process believes it
    /// is `WHEN` (e.g. `2026-11-23 23:59:50`) and its clock moves on from there.
    pub fn start_at(root: &Path, when: &str, args: &[&str]) -> Server {
        let mut command = Command::new("faketime");
        command
            .args(["-f", &format!("@{when}")])
            .arg(env!("CARGO_BIN_EXE_openings"))
            .args(["serve", "--port", "0"])
            .args(args)
            .env("TZ", "UTC")
            // Timeouts keep real time; only the calendar is shifted.
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .current_dir(root);
        Server::launch(command)
    }

    /// Starts `command` (an `openings serve`) and waits for the URL it prints.
    /// It runs in a process group of its own, which is killed with it: a
    /// wrapper such as faketime leaves no server behind.
    pub fn launch(mut command: Command) -> Server {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start openings serve (and faketime, for tests with a shifted clock)");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let started = Instant::now();
        let url = loop {
            let text = log.lock().unwrap().clone();
            if let Some(at) = text.find("Serving http://") {
                let rest = &text[at + "Serving ".len()..];
                break rest[..rest.find(char::is_whitespace).unwrap()].to_string();
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("openings serve exited with {status}:\n{text}");
            }
            assert!(
                started.elapsed() < WAIT,
                "no URL printed within {WAIT:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let authority = url.trim_start_matches("http://");
        let addr: SocketAddr = authority[..authority.find('/').unwrap()].parse().unwrap();
        Server {
            child,
            addr,
            url,
            log,
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the terminal output contains `needle`.
    #[track_caller]
    pub fn wait_for_log(&self, needle: &str) {
        let started = Instant::now();
        while !self.log().contains(needle) {
            assert!(
                started.elapsed() < WAIT,
                "log lacks {needle:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.addr, "GET", path)
    }

    /// Polls `path` until `check` accepts the answer; fails after [`WAIT`].
    #[track_caller]
    pub fn wait_until(
        &self,
        path: &str,
        what: &str,
        check: impl Fn(&Response) -> bool,
    ) -> Response {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                started.elapsed() < WAIT,
                "{path}: {what} not seen within {WAIT:?}; last answer {}:\n{}\n--- server log ---\n{}",
                response.status,
                response.body,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends SIGINT (Ctrl-C) and waits for the process to end.
    pub fn interrupt(mut self) -> (Option<i32>, String) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(50));
                return (status.code(), self.log());
            }
            assert!(
                started.elapsed() < WAIT,
                "did not stop on Ctrl-C:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The whole group: the server, and a wrapper that started it.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.0 request with the target sent exactly as given.
pub fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    send(addr, method, target, &[], b"")
}

/// An application form posted to `path`.
pub fn post_form(addr: SocketAddr, path: &str, form: &super::form::Form) -> Response {
    let content_type = super::form::content_type();
    send(
        addr,
        "POST",
        path,
        &[("Content-Type", &content_type)],
        &form.encode(),
    )
}

/// One HTTP/1.0 request with these headers and body (and its length).
pub fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    let mut head = format!("{method} {target} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n");
    if !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    read_response(&mut stream)
}

/// Reads one answer to its end (the server closes the connection after it).
pub fn read_response(stream: &mut TcpStream) -> Response {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}
