//! Email to the hiring team and to the candidate, through a real SMTP server
//! on 127.0.0.1 (aiosmtpd from PyPI, `tests/tools/smtp_sink.py`, installed by
//! scripts/test.sh): headers, parts and the résumé attachment, STARTTLS with a
//! throwaway certificate, a mail server that is down while applications
//! arrive (and openings killed with -9 in between), header injection, dev mode.

mod common;
use common::form::{Form, resume_pdf};
use common::server::{Server, WAIT, post_form};
use common::{TODAY, TestSite, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running smtp_sink.py; killed when dropped.
struct Smtp {
    child: Child,
    out: PathBuf,
}

impl Smtp {
    fn start(port: u16, out: &Path, tls: Option<(&Path, &Path)>) -> Smtp {
        let python = repo().join("target/test-tools/python/bin/python");
        let mut command = Command::new(&python);
        command
            .arg(repo().join("tests/tools/smtp_sink.py"))
            .arg(port.to_string())
            .arg(out);
        if let Some((cert, key)) = tls {
            command.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run tests/tools/smtp_sink.py (bash scripts/test.sh installs aiosmtpd)");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        assert_eq!(line.trim(), "ready", "smtp_sink.py did not start");
        Smtp {
            child,
            out: out.to_path_buf(),
        }
    }

    /// The messages received so far, in order.
    fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.out)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "json"));
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits until `n` messages arrived; returns them.
    #[track_caller]
    fn wait_for(&self, n: usize) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < WAIT,
                "{} of {n} messages arrived",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The fixture site with `[notify]` at `port`, and addresses for the
/// Engineering department and the backend-engineer posting.
fn site_with_notify(port: u16, notify_extra: &str) -> TestSite {
    let site = common::site_with_apply("");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!(
            "{config}\n[notify]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {port}\n\
             from = \"Testco Careers <careers@testco.example>\"\n\
             to = [\"hiring@testco.example\"]\n{notify_extra}\n\
             [departments.Engineering]\nnotify = [\"eng-leads@testco.example\"]\n"
        ),
    );
    let posting = site.read("content/jobs/backend-engineer.md").replacen(
        "+++\n",
        "+++\nnotify = [\"Rosa <rosa@testco.example>\"]\n",
        1,
    );
    site.write("content/jobs/backend-engineer.md", &posting);
    site
}

const ROLE: &str = "/careers/apply/backend-engineer";

fn apply(server: &Server, form: &Form) {
    let reply = post_form(server.addr, ROLE, form);
    assert!(
        matches!(reply.status, 200 | 201 | 303),
        "{} {}",
        reply.status,
        reply.body
    );
}

fn header<'a>(message: &'a Value, name: &str) -> Vec<&'a str> {
    message["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
        .map(|h| h[1].as_str().unwrap())
        .collect()
}

fn parts<'a>(message: &'a Value, kind: &str) -> Vec<&'a Value> {
    message["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["type"] == kind)
        .collect()
}

/// The team's message and the candidate's, whichever came first.
fn team_and_candidate(messages: &[Value]) -> (&Value, &Value) {
    let is_team = |m: &&Value| header(m, "To")[0].contains("hiring@testco.example");
    let team = messages.iter().find(is_team).expect("the team's email");
    let candidate = messages
        .iter()
        .find(|m| !is_team(m))
        .expect("the candidate's");
    (team, candidate)
}

#[test]
fn the_team_and_the_candidate_get_their_emails() {
    let port = free_port();
    let site = site_with_notify(port, "tls = \"none\"");
    let smtp = Smtp::start(port, &site.path("mail"), None);
    let server = Server::production(&site, &[]);
    apply(&server, &Form::valid());
    let messages = smtp.wait_for(2);
    let (team, candidate) = team_and_candidate(&messages);

    let mut to = team["rcpt_tos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect::<Vec<_>>();
    to.sort();
    assert_eq!(
        to,
        [
            "eng-leads@testco.example",
            "hiring@testco.example",
            "rosa@testco.example"
        ]
    );
    assert_eq!(header(team, "Reply-To"), ["Ada Lovelace <ada@example.com>"]);
    assert_eq!(
        header(team, "Subject"),
        ["Application: Backend Engineer – Ada Lovelace"]
    );
    assert_eq!(team["mail_from"], "careers@testco.example");
    let text = parts(team, "text/plain")[0]["text"]
        .as_str()
        .unwrap()
        .replace("\r\n", "\n");
    let order = [
        "Full name: Ada Lovelace",
        "Email: ada@example.com",
        "Phone: +44 20 7946 0000",
        "Cover letter:\n  I have written for engines.\n  Twice <really>.",
        "English, German",
        "Résumé: resume.pdf",
        "openings applications show 1",
    ];
    let mut at = 0;
    for needle in order {
        let found = text[at..].find(needle).map(|i| i + at);
        assert!(found.is_some(), "{needle:?} after byte {at} in:\n{text}");
        at = found.unwrap();
    }
    let pdf = parts(team, "application/pdf");
    assert_eq!(pdf.len(), 1, "{team}");
    assert_eq!(pdf[0]["filename"], "resume.pdf");
    assert_eq!(pdf[0]["size"], resume_pdf().len());

    assert_eq!(
        candidate["rcpt_tos"],
        serde_json::json!(["ada@example.com"])
    );
    assert_eq!(
        header(candidate, "Subject"),
        ["We have your application for Backend Engineer"]
    );
    let plain = parts(candidate, "text/plain")[0]["text"].as_str().unwrap();
    let html = parts(candidate, "text/html")[0]["text"].as_str().unwrap();
    for body in [plain, html] {
        assert!(body.contains("Hello Ada Lovelace,"), "{body}");
        assert!(body.contains("What happens next"), "{body}");
        assert!(body.contains("delete your application"), "{body}");
    }
    assert!(parts(candidate, "application/pdf").is_empty());
    assert!(!server.log().contains("not delivered"), "{}", server.log());
}

/// A name or an email address with line breaks cannot add a header or a recipient.
#[test]
fn answers_cannot_inject_headers_or_recipients() {
    let port = free_port();
    let site = site_with_notify(port, "tls = \"none\"");
    let smtp = Smtp::start(port, &site.path("mail"), None);
    let server = Server::production(&site, &[]);
    let form = Form::valid()
        .set("name", "Eve\r\nBcc: victim@evil.example\r\nX-Injected: yes")
        .file("cv\u{2028}X-File: yes.pdf", resume_pdf());
    apply(&server, &form);
    let messages = smtp.wait_for(2);
    for message in &messages {
        let raw = message["raw_headers"].as_str().unwrap();
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
        assert!(!raw.contains("\r\nX-Injected"), "{raw}");
        assert!(!raw.contains("\r\nX-File"), "{raw}");
        for rcpt in message["rcpt_tos"].as_array().unwrap() {
            assert!(!rcpt.as_str().unwrap().contains("evil"), "{message}");
        }
    }
    // A list of addresses in the email field is refused by the form itself.
    let reply = post_form(
        server.addr,
        ROLE,
        &Form::valid().set("email", "a@example.com, victim@evil.example"),
    );
    assert_eq!(reply.status, 422, "{}", reply.body);
}

/// STARTTLS, verified against a throwaway certificate named by `ca_file`.
#[test]
fn starttls_with_a_private_certificate() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let (cert_pem, key_pem) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_pem, cert.cert.pem()).unwrap();
    std::fs::write(&key_pem, cert.signing_key.serialize_pem()).unwrap();
    let extra = format!("tls = \"starttls\"\nca_file = \"{}\"", cert_pem.display());
    let site = site_with_notify(port, &extra);
    let smtp = Smtp::start(port, &site.path("mail"), Some((&cert_pem, &key_pem)));
    let server = Server::production(&site, &[]);
    apply(&server, &Form::valid());
    let messages = smtp.wait_for(2);
    assert!(messages.iter().all(|m| m["tls"] == true), "{messages:?}");
    assert!(!server.log().contains("not delivered"), "{}", server.log());
}

/// The mail server is down while applications arrive; openings is killed with
/// -9 and started again; then the mail server comes up: every message arrives
/// once, and the outbox is empty.
#[test]
fn mail_waits_in_the_outbox_for_a_server_that_is_down() {
    let port = free_port();
    let site = site_with_notify(port, "tls = \"none\"");
    let outbox = |args: &[&str]| site.applications(&[&["outbox"], args].concat());
    let server = Server::production(&site, &[]);
    for n in 0..3 {
        apply(
            &server,
            &Form::valid().set("name", &format!("Candidate {n}")),
        );
    }
    server.wait_for_log("not delivered");
    let started = Instant::now();
    loop {
        let listed = outbox(&[]).success();
        if listed.stdout.matches("team-mail").count() == 3
            && listed.stdout.matches("candidate-mail").count() == 3
            && listed.stdout.lines().skip(1).all(|l| l.contains("refused"))
        {
            break;
        }
        assert!(started.elapsed() < WAIT, "{}", listed.stdout);
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server); // SIGKILL: no clean shutdown
    let smtp = Smtp::start(port, &site.path("mail"), None);
    let _again = Server::production(&site, &[]);
    outbox(&["--retry"])
        .success()
        .stderr_has("6 messages due now");
    let messages = smtp.wait_for(6);
    // Nothing more comes, and the outbox is empty.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(smtp.messages().len(), 6);
    let subjects: Vec<&str> = messages.iter().flat_map(|m| header(m, "Subject")).collect();
    for n in 0..3 {
        let team = format!("Application: Backend Engineer – Candidate {n}");
        assert_eq!(
            subjects.iter().filter(|s| **s == team).count(),
            1,
            "{subjects:?}"
        );
    }
    outbox(&[])
        .success()
        .stderr_has("0 messages not yet delivered");
}

/// Dev mode never sends: each email is an .eml file and a line on the terminal.
#[test]
fn the_dev_server_writes_emails_to_files() {
    let port = free_port();
    let site = site_with_notify(port, "tls = \"none\"");
    let server = Server::start(site.root(), &[]);
    apply(&server, &Form::valid());
    server.wait_for_log("mail (dev, not sent)");
    server.wait_for_log("candidate-mail.eml");
    let folder = site.path(".openings/dev-mail");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["1-candidate-mail.eml", "1-team-mail.eml"]);
    let eml = std::fs::read_to_string(folder.join("1-candidate-mail.eml")).unwrap();
    assert!(
        eml.contains("To: \"Ada Lovelace\" <ada@example.com>")
            || eml.contains("To: Ada Lovelace <ada@example.com>"),
        "{eml}"
    );
    // The mail page shows the preview from the current templates and the
    // files written; a template edit shows on the next load.
    let page = server.get("/__openings/mail/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Hello Ada Example,"), "{}", page.body);
    assert!(page.body.contains("1-team-mail.eml"), "{}", page.body);
    assert!(page.body.contains("/__openings/live.js"), "{}", page.body);
    site.write(
        "templates/emails/received.txt",
        "Dear {{ name }}, thanks for applying to {{ job.title }}.\n",
    );
    let started = Instant::now();
    while !server
        .get("/__openings/mail/")
        .body
        .contains("Dear Ada Example, thanks")
    {
        assert!(
            started.elapsed() < WAIT,
            "the preview did not follow the template"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(folder.join("1-team-mail.eml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// The SMTP password never lives in site.toml.
#[test]
fn check_refuses_a_password_in_site_toml() {
    let site = site_with_notify(2525, "password = \"hunter2\"");
    site.run(&["check", "--today", TODAY])
        .failure(1)
        .stderr_has("the SMTP password must not be in site.toml")
        .stderr_has("OPENINGS_SMTP_PASSWORD");
}

/// `attach_max_mb = 0` keeps the résumé out of the team's email (the text says
/// how to save it); `[apply] confirm = false` sends the candidate nothing.
#[test]
fn no_attachment_over_the_size_and_no_confirmation_when_turned_off() {
    let port = free_port();
    let site = site_with_notify(port, "tls = \"none\"\nattach_max_mb = 0");
    let config = site
        .read("site.toml")
        .replace("[apply]\n", "[apply]\nconfirm = false\n");
    site.write("site.toml", &config);
    let smtp = Smtp::start(port, &site.path("mail"), None);
    let server = Server::production(&site, &[]);
    apply(&server, &Form::valid());
    let messages = smtp.wait_for(1);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(smtp.messages().len(), 1, "{messages:?}");
    let team = &messages[0];
    assert_eq!(header(team, "Reply-To"), ["Ada Lovelace <ada@example.com>"]);
    assert!(parts(team, "application/pdf").is_empty(), "{team}");
    let text = parts(team, "text/plain")[0]["text"].as_str().unwrap();
    assert!(text.contains("larger than attach_max_mb"), "{text}");
}

/// Deleting an application deletes its unsent messages; `outbox --json` shows
/// what waits, with the last error.
#[test]
fn deleting_an_application_deletes_its_unsent_email() {
    let port = free_port(); // nothing listens: every delivery fails
    let site = site_with_notify(port, "tls = \"none\"");
    let server = Server::production(&site, &[]);
    apply(&server, &Form::valid());
    server.wait_for_log("not delivered");
    let listed = site.applications(&["outbox", "--json"]).success();
    let entries: Value = serde_json::from_str(&listed.stdout).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(
        entries.iter().all(|e| e["application_id"] == 1),
        "{entries:?}"
    );
    assert!(
        entries.iter().any(|e| e["last_error"]
            .as_str()
            .is_some_and(|m| m.contains("refused"))),
        "{entries:?}"
    );
    site.applications(&["delete", "1", "--yes"]).success();
    site.applications(&["outbox"])
        .success()
        .stderr_has("0 messages not yet delivered");
}

/// A username without a password stops the production server at start-up
/// instead of failing every delivery later.
#[test]
fn a_username_without_a_password_stops_the_production_server() {
    let site = site_with_notify(free_port(), "tls = \"none\"\nusername = \"careers\"");
    let out = Command::new(env!("CARGO_BIN_EXE_openings"))
        .args(["serve", "--production", "--port", "0", "--today", TODAY])
        .arg("--data")
        .arg(site.path("data"))
        .env_remove("OPENINGS_SMTP_PASSWORD")
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no password"), "{stderr}");
    assert!(stderr.contains("OPENINGS_SMTP_PASSWORD"), "{stderr}");
}

/// Addresses and sizes in `[notify]` and a posting's `notify` are checked.
#[test]
fn check_reports_bad_notify_settings() {
    let site = site_with_notify(2525, "attach_max_mb = 99");
    site.run(&["check", "--today", TODAY])
        .failure(1)
        .stderr_has("`attach_max_mb` must be 0 (never attach) to 50");
    let site = site_with_notify(2525, "");
    let posting = site.read("content/jobs/backend-engineer.md").replace(
        "notify = [\"Rosa <rosa@testco.example>\"]",
        "notify = [\"rosa@testco.example, eve@evil.example\"]",
    );
    site.write("content/jobs/backend-engineer.md", &posting);
    site.run(&["check", "--today", TODAY])
        .failure(1)
        .stderr_has("is not one email address")
        .stderr_has("content/jobs/backend-engineer.md:2:");
}

/// After a quiet spell longer than every timeout (the outbox's 30 s look,
/// SMTP's 20 s, the server's connection timeouts), a new application is
/// still emailed at once: the worker outlives idling, and each delivery
/// opens its own SMTP connection.
#[test]
fn mail_still_goes_out_after_a_long_idle() {
    let port = free_port();
    let site = site_with_notify(port, "tls = \"none\"");
    let smtp = Smtp::start(port, &site.path("mail"), None);
    let server = Server::production(&site, &[]);
    apply(&server, &Form::valid());
    smtp.wait_for(2);
    std::thread::sleep(Duration::from_secs(65));
    apply(&server, &Form::valid().set("name", "After Idle"));
    let messages = smtp.wait_for(4);
    let subjects: Vec<&str> = messages.iter().flat_map(|m| header(m, "Subject")).collect();
    assert!(
        subjects.contains(&"Application: Backend Engineer – After Idle"),
        "{subjects:?}"
    );
}

/// An application sent from a German page gets the candidate a German
/// confirmation (subject, greeting, the German consent text).
#[test]
fn the_candidate_confirmation_is_in_the_language_of_the_page() {
    let port = free_port();
    let site = TestSite::fixture("valid/languages");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!(
            "{config}\n[notify]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {port}\ntls = \"none\"\n\
             from = \"Kestrel Careers <careers@kestrel.example>\"\nto = [\"hiring@kestrel.example\"]\n"
        ),
    );
    let smtp = Smtp::start(port, &site.path("mail"), None);
    let server = Server::production(&site, &[]);
    let form = Form::languages_fixture();
    let reply = post_form(server.addr, "/apply/backend-engineer?lang=de", &form);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let messages = smtp.wait_for(2);
    let candidate = messages
        .iter()
        .find(|m| m["rcpt_tos"] == serde_json::json!(["ada@example.com"]))
        .expect("the candidate's email");
    assert_eq!(
        header(candidate, "Subject"),
        ["Ihre Bewerbung für „Backend-Entwickler*in, Dispatch“ ist eingegangen"]
    );
    let plain = parts(candidate, "text/plain")[0]["text"].as_str().unwrap();
    assert!(plain.contains("Guten Tag Ada Lovelace,"), "{plain}");
    assert!(plain.contains("Ich bin damit einverstanden"), "{plain}");
}
