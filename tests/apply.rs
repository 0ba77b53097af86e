//! The application endpoint as candidates and recruiters meet it: the real
//! binary serving a fixture site on 127.0.0.1 (`serve --production`), real
//! multipart requests, and the `applications` commands reading what was stored.

mod common;
use common::form::{BOUNDARY, Form, resume_pdf};
use common::{TODAY, TestSite, repo, site_with_apply as site_with};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROLE: &str = "/careers/apply/backend-engineer";

/// A running `openings serve --production`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    data: PathBuf,
    root: PathBuf,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        Self::start_with_data(site, &site.path("data"))
    }

    fn start_with_data(site: &TestSite, data: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_openings"))
            .args([
                "serve",
                "--production",
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
            ])
            .args(["--today", TODAY, "--data"])
            .arg(data)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (lines, received) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match received.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("Serving http://127.0.0.1:") {
                        let port = url.split('/').next().unwrap().parse().unwrap();
                        // Keep draining stderr so the server never blocks on it.
                        std::thread::spawn(move || while received.recv().is_ok() {});
                        return Server {
                            child,
                            port,
                            data: data.to_path_buf(),
                            root: site.root().to_path_buf(),
                        };
                    }
                    seen.push(line);
                }
                Err(_) => {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!("server exited with {status}:\n{}", seen.join("\n"));
                    }
                }
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("server did not start in 30 s:\n{}", seen.join("\n"));
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        read_reply(&mut BufReader::new(stream))
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    fn apply(&self, form: &Form, headers: &[(&str, &str)]) -> Reply {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        let mut all = vec![("Content-Type", content_type.as_str())];
        all.extend_from_slice(headers);
        self.request("POST", ROLE, &all, &form.encode())
    }

    /// `openings applications ARGS --data DATA` in the site folder.
    fn applications(&self, args: &[&str]) -> common::Run {
        applications(&self.root, &self.data, args)
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn applications(root: &Path, data: &Path, args: &[&str]) -> common::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_openings"))
        .arg("applications")
        .args(args)
        .arg("--data")
        .arg(data)
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[track_caller]
    fn status(self, status: u16) -> Self {
        assert_eq!(self.status, status, "body:\n{}", self.body);
        self
    }

    #[track_caller]
    fn has(self, text: &str) -> Self {
        assert!(self.body.contains(text), "no {text:?} in:\n{}", self.body);
        self
    }
}

fn read_reply(reader: &mut impl BufRead) -> Reply {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
            break;
        }
        if let Some((n, v)) = h.trim_end().split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            let _ = reader.read_to_end(&mut body);
        }
    }
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn listed(server: &Server) -> Vec<serde_json::Value> {
    let run = server.applications(&["list", "--format", "json"]).success();
    serde_json::from_str::<serde_json::Value>(&run.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_valid_application_with_a_pdf_is_stored_listed_shown_and_exported() {
    let site = site_with("");
    let server = Server::start(&site);
    server
        .apply(&Form::valid(), &[("User-Agent", "integration-test")])
        .status(200)
        .has("we have your application");

    let apps = listed(&server);
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app["posting_slug"], "backend-engineer");
    assert_eq!(app["posting_title"], "Backend Engineer");
    assert_eq!(app["language"], "en");
    assert_eq!(
        app["answers"]["cover_letter"],
        "I have written for engines.\nTwice <really>."
    );
    assert_eq!(
        app["answers"]["q_langs"],
        serde_json::json!(["English", "German"])
    );
    assert_eq!(app["consent"], "Testco keeps your application for 90 days.");
    assert_eq!(app["user_agent"], "integration-test");
    assert_eq!(app["files"][0]["kind"], "pdf");
    assert_eq!(app["files"][0]["size"], resume_pdf().len());
    assert!(!app["client_hash"].as_str().unwrap().contains("127.0.0.1"));

    let table = server.applications(&["list"]).success();
    assert!(
        table
            .stdout
            .contains("backend-engineer  en        Ada Lovelace  ada@example.com"),
        "{}",
        table.stdout
    );

    let id = app["id"].to_string();
    let saved = site.path("saved");
    let show = server
        .applications(&["show", &id, "--save-files", saved.to_str().unwrap()])
        .success();
    assert!(
        show.stdout
            .contains("q_why         Testco & its \"tests\"."),
        "{}",
        show.stdout
    );
    assert_eq!(
        std::fs::read(saved.join(format!("{id}-resume.pdf"))).unwrap(),
        resume_pdf()
    );

    let csv_path = site.path("export.csv");
    server
        .applications(&[
            "export",
            "--format",
            "csv",
            "--output",
            csv_path.to_str().unwrap(),
        ])
        .success();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][col("email")], "ada@example.com");
    assert_eq!(
        &rows[0][col("cover_letter")],
        "I have written for engines.\nTwice <really>."
    );
    assert_eq!(&rows[0][col("q_langs")], "English; German");
    assert_eq!(&rows[0][col("q_why")], "Testco & its \"tests\".");

    let json = server
        .applications(&["export", "--format", "json"])
        .success();
    let exported: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(exported[0]["answers"], app["answers"]);
}

/// The German page's form posts `?lang=de`; the application says so in
/// `list` (table and JSON) and in both exports.
#[test]
fn an_application_from_the_german_page_is_listed_and_exported_as_german() {
    let site = site_with("");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[languages.de]\ntitle = \"Karriere bei Testco\"\n"),
    );
    site.write(
        "content/jobs/backend-engineer.de.md",
        "+++\ntitle = \"Backend-Entwickler*in\"\n+++\n\nDu baust die Dienste hinter Testco.\n",
    );
    let server = Server::start(&site);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [("Content-Type", content_type.as_str())];
    let german = format!("{ROLE}?lang=de");
    server
        .request("POST", &german, &headers, &Form::valid().encode())
        .status(200);

    let apps = listed(&server);
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["language"], "de");
    assert_eq!(apps[0]["posting_title"], "Backend-Entwickler*in");

    let table = server.applications(&["list"]).success();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(
        lines[0].contains("POSTING           LANGUAGE  NAME"),
        "{}",
        table.stdout
    );
    assert!(
        lines[1].contains("backend-engineer  de        Ada Lovelace"),
        "{}",
        table.stdout
    );

    let csv = server
        .applications(&["export", "--format", "csv"])
        .success();
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let language = header.iter().position(|h| h == "language").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(&rows[0][language], "de");

    let json = server
        .applications(&["export", "--format", "json"])
        .success();
    let exported: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(exported[0]["language"], "de");
}

#[test]
fn each_validation_error_has_its_status_and_message() {
    let site = site_with("");
    let server = Server::start(&site);
    let cases: Vec<(Form, &str, &str)> = vec![
        (
            Form::valid().set("name", ""),
            "f-name-error",
            "Please fill this in.",
        ),
        (
            Form::valid().set("email", "ada-at-example"),
            "f-email-error",
            "Enter an email address",
        ),
        (
            Form::valid().set("links", "not a link"),
            "f-links-error",
            "Enter a web address",
        ),
        (
            Form::valid().set("q_portfolio", "nope nope"),
            "f-q_portfolio-error",
            "Enter a web address",
        ),
        (
            Form::valid().set("q_rust_years", "seven"),
            "f-q_rust_years-error",
            "Enter a number",
        ),
        (
            Form::valid().set("q_start", "Yesterday"),
            "f-q_start-error",
            "Choose one of the options",
        ),
        (
            Form::valid().set("consent", ""),
            "f-consent-error",
            "Please agree",
        ),
        (
            Form::valid().file("resume.pdf", b"\x89PNG\r\n\x1a\n not a resume".to_vec()),
            "f-resume-error",
            "Attach a PDF, DOC, DOCX or ODT file",
        ),
        (
            Form::valid().file(
                "big.pdf",
                [&resume_pdf()[..], &vec![b' '; 5 << 20]].concat(),
            ),
            "f-resume-error",
            "larger than 5 MB",
        ),
    ];
    for (form, id, message) in cases {
        let reply = server.apply(&form, &[]).status(422);
        assert!(reply.body.contains(&format!("id=\"{id}\"")), "{id} missing");
        assert!(reply.body.contains(message), "{message:?} missing for {id}");
        assert!(reply.body.contains("id=\"error-summary\""));
    }
    // The same problems as JSON for apply.js.
    let reply = server
        .apply(
            &Form::valid().set("email", "x"),
            &[("Accept", "application/json")],
        )
        .status(422);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert!(
        json["errors"]["email"]
            .as_str()
            .unwrap()
            .starts_with("Enter an email")
    );
    // The honeypot looks accepted and stores nothing.
    server
        .apply(
            &Form::valid().set("website_url", "http://spam.example"),
            &[],
        )
        .status(200);
    assert!(listed(&server).is_empty());
}

#[test]
fn without_javascript_an_error_keeps_every_answer() {
    let site = site_with("");
    let server = Server::start(&site);
    let form = Form::valid().set("email", "ada@@example.com");
    let reply = server.apply(&form, &[]).status(422);
    let html = scraper::Html::parse_document(&reply.body);
    let one = |selector: &str| {
        let s = scraper::Selector::parse(selector).unwrap();
        html.select(&s)
            .next()
            .unwrap_or_else(|| panic!("no {selector}"))
    };
    let value = |selector: &str| {
        one(selector)
            .value()
            .attr("value")
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(value("#f-name"), "Ada Lovelace");
    assert_eq!(value("#f-email"), "ada@@example.com");
    assert_eq!(value("#f-phone"), "+44 20 7946 0000");
    assert_eq!(value("#f-q_rust_years"), "7");
    let text = |selector: &str| one(selector).text().collect::<String>();
    assert_eq!(
        text("#f-cover_letter"),
        "I have written for engines.\nTwice <really>."
    );
    assert_eq!(text("#f-links"), "https://github.example/ada");
    assert_eq!(text("#f-q_why"), "Testco & its \"tests\".");
    assert_eq!(text("#f-q_start option[selected]"), "In a month");
    let checked: Vec<String> = html
        .select(&scraper::Selector::parse("input[name=q_langs][checked]").unwrap())
        .map(|e| e.value().attr("value").unwrap().to_string())
        .collect();
    assert_eq!(checked, ["English", "German"]);
    assert!(
        one("input[name=q_visa][value=no]")
            .value()
            .attr("checked")
            .is_some()
    );
    assert!(one("#f-consent").value().attr("checked").is_some());
    assert_eq!(one("#f-email").value().attr("aria-invalid"), Some("true"));
    assert!(text("#f-resume-help").contains("choose the file again"));
    assert!(text("#error-summary").contains("Enter an email address"));
    assert!(text("title").starts_with("Error:"));
    // The form still posts to the endpoint.
    assert_eq!(one("form.apply-form").value().attr("action"), Some(ROLE));
}

#[test]
fn an_oversized_body_is_refused_before_it_is_sent() {
    let site = site_with("");
    let server = Server::start(&site);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let declared = 50u64 << 20;
    write!(
        stream,
        "POST {ROLE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {declared}\r\n\r\n"
    )
    .unwrap();
    // Send a sliver of the 50 MB, then wait for the answer.
    stream.write_all(&vec![b'x'; 64 * 1024]).unwrap();
    let started = Instant::now();
    let reply = read_reply(&mut BufReader::new(stream.try_clone().unwrap()));
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.body.contains("larger than 5 MB"), "{}", reply.body);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(stream);
    // The server is still fine.
    server.get("/careers/").status(200);
}

#[test]
fn a_body_claiming_a_terabyte_is_refused_and_the_server_lives_on() {
    let site = site_with("");
    let server = Server::start(&site);
    for declared in ["1000000000000", "18446744073709551615"] {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "POST {ROLE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {declared}\r\n\r\n"
        )
        .unwrap();
        let reply = read_reply(&mut BufReader::new(stream.try_clone().unwrap()));
        assert_eq!(reply.status, 413, "{}", reply.body);
    }
    // A head larger than any browser sends is refused too.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let huge = "a".repeat(40 * 1024);
    let _ = write!(
        stream,
        "GET /careers/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: {huge}\r\n\r\n"
    );
    let reply = read_reply(&mut BufReader::new(stream.try_clone().unwrap()));
    assert_eq!(reply.status, 431, "{}", reply.body);
    server.get("/careers/").status(200);
}

#[test]
fn cross_origin_posts_need_an_allowed_origin() {
    let site = site_with("allowed_origins = [\"https://static.example\"]");
    let server = Server::start(&site);
    let allowed = [("Origin", "https://static.example")];
    let preflight = server
        .request(
            "OPTIONS",
            ROLE,
            &[
                ("Origin", "https://static.example"),
                ("Access-Control-Request-Method", "POST"),
            ],
            b"",
        )
        .status(204);
    assert_eq!(
        preflight.header("Access-Control-Allow-Origin"),
        Some("https://static.example")
    );
    assert!(
        preflight
            .header("Access-Control-Allow-Methods")
            .unwrap()
            .contains("POST")
    );
    let ok = server.apply(&Form::valid(), &allowed).status(200);
    assert_eq!(
        ok.header("Access-Control-Allow-Origin"),
        Some("https://static.example")
    );

    let other = [("Origin", "https://evil.example")];
    server
        .request("OPTIONS", ROLE, &[("Origin", "https://evil.example")], b"")
        .status(403);
    let refused = server.apply(&Form::valid(), &other).status(403);
    assert_eq!(refused.header("Access-Control-Allow-Origin"), None);
    // Same origin (the server's own address) needs no listing.
    let same = format!("http://127.0.0.1:{}", server.port);
    server
        .apply(&Form::valid(), &[("Origin", &same)])
        .status(200);
    assert_eq!(listed(&server).len(), 2);
}

#[test]
fn too_many_applications_from_one_client_are_told_to_wait() {
    let site = site_with("rate_limit = 2");
    let server = Server::start(&site);
    server.apply(&Form::valid(), &[]).status(200);
    // A refused submission does not count against `rate_limit`.
    server
        .apply(&Form::valid().set("email", "bad"), &[])
        .status(422);
    server.apply(&Form::valid(), &[]).status(200);
    let limited = server.apply(&Form::valid(), &[]).status(429);
    let wait: u64 = limited.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(limited.body.contains("Please wait"), "{}", limited.body);
    // Nothing typed is lost: the form comes back filled in.
    assert!(limited.body.contains("value=\"Ada Lovelace\""));
    assert!(limited.body.contains("Twice &lt;really&gt;.</textarea>"));
    // X-Forwarded-For is ignored unless trust_proxy is set.
    server
        .apply(&Form::valid(), &[("X-Forwarded-For", "203.0.113.7")])
        .status(429);
    assert_eq!(listed(&server).len(), 2);
}

#[test]
fn a_closed_or_unknown_posting_is_refused() {
    let site = site_with("");
    let server = Server::start(&site);
    let body = Form::valid().encode();
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [("Content-Type", content_type.as_str())];
    server
        .request("POST", "/careers/apply/old-role", &headers, &body)
        .status(410)
        .has("no longer accepting applications");
    server
        .request("POST", "/careers/apply/no-such-role", &headers, &body)
        .status(404);
    assert!(listed(&server).is_empty());
}

#[test]
fn uploaded_files_are_not_reachable_by_any_url() {
    let site = site_with("");
    let server = Server::start(&site);
    server.apply(&Form::valid(), &[]).status(200);
    let stored: Vec<String> = std::fs::read_dir(server.data.join("applications-files"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    let name = &stored[0];
    for path in [
        format!("/careers/{name}"),
        format!("/careers/applications-files/{name}"),
        format!("/careers/data/applications-files/{name}"),
        format!("/careers/../data/applications-files/{name}"),
        format!("/careers/%2e%2e/data/applications-files/{name}"),
        "/careers/data/applications.db".to_string(),
        "/careers/apply/backend-engineer".to_string(),
    ] {
        let reply = server.get(&path);
        assert!(reply.status >= 400, "{path} answered {}", reply.status);
        assert!(!reply.body.contains("Ada Lovelace - Resume"), "{path}");
    }
}

#[test]
fn a_data_folder_inside_the_served_folder_is_refused() {
    let site = site_with("");
    site.build();
    let out = Command::new(env!("CARGO_BIN_EXE_openings"))
        .args([
            "serve",
            "--production",
            "--port",
            "0",
            "--today",
            TODAY,
            "--data",
            "public/data",
        ])
        .current_dir(site.root())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("inside the served folder"), "{stderr}");
}

#[test]
fn every_acknowledged_application_survives_kill_9() {
    let site = site_with("");
    let mut server = Server::start(&site);
    let port = server.port;
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (acknowledged, sent) = (acknowledged.clone(), sent.clone());
            std::thread::spawn(move || {
                for i in 0..100 {
                    let email = format!("burst-{t}-{i}@example.com");
                    let body = Form::valid().set("email", &email).encode();
                    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
                        return;
                    };
                    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    let head = format!(
                        "POST {ROLE} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    if stream.write_all(head.as_bytes()).is_err() || stream.write_all(&body).is_err() {
                        return;
                    }
                    sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let mut line = String::new();
                    match BufReader::new(stream).read_line(&mut line) {
                        Ok(_) if line.starts_with("HTTP/1.1 2") => acknowledged.lock().unwrap().push(email),
                        _ => return,
                    }
                }
            })
        })
        .collect();
    // Kill the server mid-burst: once some applications were acknowledged.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 40 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    for t in threads {
        t.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    eprintln!(
        "{} sent, {} acknowledged before kill -9",
        sent.load(std::sync::atomic::Ordering::SeqCst),
        acknowledged.len()
    );
    assert!(
        acknowledged.len() >= 40,
        "only {} acknowledged",
        acknowledged.len()
    );
    assert!(acknowledged.len() < 800, "the burst ended before the kill");

    let server = Server::start(&site);
    let stored = listed(&server);
    let pdf = resume_pdf();
    for email in &acknowledged {
        let app = stored
            .iter()
            .find(|a| a["answers"]["email"] == email.as_str())
            .unwrap_or_else(|| panic!("{email} was acknowledged but is not stored"));
        assert_eq!(app["answers"]["name"], "Ada Lovelace");
        assert_eq!(app["files"][0]["size"], pdf.len());
        assert_eq!(
            app["files"][0]["blake3"],
            blake3::hash(&pdf).to_hex().as_str()
        );
    }
    // Every stored file is whole.
    let saved = site.path("saved");
    for app in stored.iter().take(5) {
        let id = app["id"].to_string();
        server
            .applications(&["show", &id, "--save-files", saved.to_str().unwrap()])
            .success();
        assert_eq!(
            std::fs::read(saved.join(format!("{id}-resume.pdf"))).unwrap(),
            pdf
        );
    }
}

#[test]
fn delete_asks_first_and_retention_removes_rows_and_files() {
    let site = site_with("");
    let server = Server::start(&site);
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        server
            .apply(&Form::valid().set("email", email), &[])
            .status(200);
    }
    let files = server.data.join("applications-files");
    let count = || std::fs::read_dir(&files).unwrap().count();
    assert_eq!(count(), 3);
    let first = listed(&server)[0]["id"].to_string();
    // Without a terminal and without --yes nothing is deleted.
    server
        .applications(&["delete", &first])
        .failure(1)
        .stderr_has("--yes");
    assert_eq!(listed(&server).len(), 3);
    server.applications(&["delete", &first, "--yes"]).success();
    assert_eq!(listed(&server).len(), 2);
    assert_eq!(count(), 2);
    // Nothing is older than a day yet; everything is older than 0 hours.
    server
        .applications(&["delete", "--older-than", "1d", "--yes"])
        .success()
        .stderr_has("No applications to delete");
    server
        .applications(&["delete", "--older-than", "0h", "--yes"])
        .success()
        .stderr_has("Deleted 2 applications");
    assert!(listed(&server).is_empty());
    assert_eq!(count(), 0);
    server
        .applications(&[
            "list",
            "--posting",
            "backend-engineer",
            "--since",
            "2000-01-01",
        ])
        .success();
    server
        .applications(&["delete", "--older-than", "soon"])
        .failure(2);
    // --expired follows retention_days of site.toml (none in this fixture).
    server
        .applications(&["delete", "--expired", "--yes"])
        .failure(1)
        .stderr_has("retention_days");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace("[apply]\n", "[apply]\nretention_days = 30\n"),
    );
    server.apply(&Form::valid(), &[]).status(200);
    server
        .applications(&["delete", "--expired", "--yes"])
        .success()
        .stderr_has("No applications to delete");
    assert_eq!(listed(&server).len(), 1);
}

#[test]
fn applications_commands_explain_a_missing_store() {
    let site = site_with("");
    applications(site.root(), &site.path("nowhere"), &["list"])
        .failure(1)
        .stderr_has("no applications database");
}

#[test]
fn the_form_works_in_chromium_with_and_without_javascript() {
    let site = site_with("");
    let server = Server::start(&site);
    let url = format!(
        "http://127.0.0.1:{}/careers/jobs/backend-engineer/",
        server.port
    );
    let out = common::apply_browser(&site, &url);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser run failed ({}):\n{stderr}",
        out.status
    );
    let mut emails: Vec<String> = listed(&server)
        .iter()
        .map(|a| a["answers"]["email"].as_str().unwrap().to_string())
        .collect();
    emails.sort();
    assert_eq!(
        emails,
        ["grace.keyboard@example.com", "grace.nojs@example.com"]
    );
}

#[test]
fn pages_the_server_renders_pass_the_nu_html_checker() {
    let site = site_with("");
    let server = Server::start(&site);
    let error = server
        .apply(&Form::valid().set("email", "x"), &[])
        .status(422);
    let received = server.apply(&Form::valid(), &[]).status(200);
    let closed = server
        .request("POST", "/careers/apply/old-role", &[], b"")
        .status(410);
    let dir = site.path("rendered");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, reply) in [("error", error), ("received", received), ("closed", closed)] {
        std::fs::write(dir.join(format!("{name}.html")), reply.body).unwrap();
    }
    let out = Command::new("bash")
        .arg(repo().join("tests/tools/vnu.sh"))
        .arg(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "Nu Html Checker:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_instance_on_another_origin_answers_at_the_endpoint_path() {
    // The site is on a static host; its forms post to this instance.
    let site = site_with(
        "allowed_origins = [\"https://jobs.testco.example\"]\nendpoint = \"https://apply.testco.example/forms/{slug}/apply\"",
    );
    site.build();
    assert!(
        site.page("jobs/backend-engineer/")
            .contains("action=\"https://apply.testco.example/forms/backend-engineer/apply\"")
    );
    let server = Server::start(&site);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let reply = server
        .request(
            "POST",
            "/forms/backend-engineer/apply",
            &[
                ("Content-Type", &content_type),
                ("Origin", "https://jobs.testco.example"),
                ("Accept", "application/json"),
            ],
            &Form::valid().encode(),
        )
        .status(201);
    assert_eq!(
        reply.header("Access-Control-Allow-Origin"),
        Some("https://jobs.testco.example")
    );
    assert_eq!(listed(&server).len(), 1);
}

/// `openings serve` (dev mode) on a free port of 127.0.0.1 in the site's folder.
fn dev_server(site: &TestSite) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_openings"))
        .args(["serve", "--port", "0", "--today", TODAY])
        .current_dir(site.root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    for _ in 0..50 {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(rest) = line.strip_prefix("Serving http://127.0.0.1:") {
            port = rest.split('/').next().and_then(|p| p.parse::<u16>().ok());
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let Some(port) = port else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the dev server did not start");
    };
    Server {
        child,
        port,
        data: site.path(".openings"),
        root: site.root().to_path_buf(),
    }
}

#[test]
fn the_dev_form_works_once_a_broken_site_toml_is_fixed() {
    let site = site_with("");
    let good = site.read("site.toml");
    site.write("site.toml", &format!("languag = \"en\"\n{good}"));
    let server = dev_server(&site);
    site.write("site.toml", &good);
    // Bounded: the fix is picked up by the watcher within a second or so.
    let mut status = 0;
    for _ in 0..100 {
        status = server.apply(&Form::valid(), &[]).status;
        if status == 200 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(status, 200, "the form is not answered after the fix");
    assert!(site.exists(".openings/dev.db"));
}

#[test]
fn the_dev_server_answers_the_form_into_the_dev_store() {
    let site = site_with("");
    let server = dev_server(&site);
    server.apply(&Form::valid(), &[]).status(200);
    let run = Command::new(env!("CARGO_BIN_EXE_openings"))
        .args(["applications", "list", "--dev", "--format", "json"])
        .current_dir(site.root())
        .output()
        .unwrap();
    let stored: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(stored[0]["answers"]["email"], "ada@example.com");
    assert!(site.exists(".openings/dev.db"));
    assert!(!site.exists(".openings/applications.db"));
}

#[test]
fn apply_settings_are_checked_like_every_other_key() {
    let site = site_with("trust_proxi = true\nrate_limit = -3\nwebhook = \"ftp://hooks.example\"");
    let run = site.run(&["check", "--today", TODAY]).failure(1);
    assert!(
        run.stderr.contains("did you mean `trust_proxy`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`rate_limit` must be between 0"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`webhook` must be an absolute http(s) URL"),
        "{}",
        run.stderr
    );
    let site =
        site_with("trust_proxy = true\nrate_limit = 30\nwebhook = \"https://hooks.example/new\"");
    site.run(&["check", "--today", TODAY]).success();
}

/// Longer than any timeout either server has (a body may pause 20 s, a head
/// take 10 s, a kept-alive connection idle 5 s), waited for real.
const IDLE: Duration = Duration::from_secs(65);

#[test]
fn both_servers_answer_pages_and_forms_after_a_long_idle() {
    let site = site_with("");
    let production = Server::start(&site);
    let dev = dev_server(&site);
    for server in [&production, &dev] {
        server.get("/careers/").status(200);
    }
    std::thread::sleep(IDLE);
    for server in [&production, &dev] {
        server.get("/careers/").status(200).has("Backend Engineer");
        server.apply(&Form::valid(), &[]).status(200);
    }
    assert_eq!(listed(&production).len(), 1);
}

/// Mode bits of every file and folder under `dir` (itself left out).
#[cfg(unix)]
fn modes_under(dir: &Path) -> Vec<(PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt;
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let mode = e.metadata().unwrap().permissions().mode() & 0o777;
            (e.path().to_path_buf(), mode)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn everything_written_for_applications_is_owner_only_whatever_the_folder() {
    use std::os::unix::fs::PermissionsExt;
    let site = site_with("");
    // A data folder made beforehand with the usual umask (0755), and a dev store.
    let data = site.path("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = Server::start(&site);
    server.apply(&Form::valid(), &[]).status(200);
    let dev = dev_server(&site);
    dev.apply(&Form::valid(), &[]).status(200);
    let id = listed(&server)[0]["id"].to_string();
    let saved = site.path("saved");
    server
        .applications(&["show", &id, "--save-files", saved.to_str().unwrap()])
        .success();
    let mut seen = Vec::new();
    for dir in [&data, &site.path(".openings"), &saved] {
        seen.extend(modes_under(dir));
    }
    assert!(
        seen.iter()
            .any(|(p, _)| p.to_string_lossy().ends_with("-shm"))
    );
    assert!(
        seen.iter()
            .any(|(p, _)| p.to_string_lossy().ends_with("-wal"))
    );
    for (path, mode) in &seen {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{} is {mode:03o}", path.display());
    }
    // A folder others may write to is refused.
    drop(server);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_openings"))
        .args(["serve", "--production", "--port", "0", "--data"])
        .arg(&data)
        .current_dir(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("writable by other users"));
}
