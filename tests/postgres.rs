//! Applications in PostgreSQL, through the real binary: `serve --production
//! --database` takes an application with its résumé and every `applications`
//! command reads it back; two instances on one database send each webhook
//! notice once; one instance killed with -9 in a burst loses no application it
//! acknowledged; a database that goes away gets 503 with the answers kept and
//! comes back by itself.
//!
//! Needs a PostgreSQL server: OPENINGS_TEST_DATABASE_URL, which
//! `bash scripts/with-pg.sh cargo test --test postgres` (and scripts/test.sh)
//! sets. The database-down test starts a small cluster of its own with the
//! server binaries in OPENINGS_TEST_PG_BIN.

mod common;
use common::form::{Form, content_type};
use common::server::{Server, WAIT, post_form};
use common::{TestSite, site_with_apply};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROLE: &str = "/careers/apply/backend-engineer";

fn test_database_url() -> String {
    std::env::var("OPENINGS_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "OPENINGS_TEST_DATABASE_URL is not set: these tests need a PostgreSQL server. \
             Run them with `bash scripts/with-pg.sh cargo test --test postgres` (scripts/test.sh does)"
        )
    })
}

/// A schema of its own in the test database, dropped at the end.
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn new() -> Schema {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).unwrap();
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("it_{name}");
        let admin = test_database_url();
        client(&admin)
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        Schema {
            url: format!("{admin}{sep}options=-csearch_path%3D{name}"),
            name,
        }
    }

    fn count(&self, sql: &str) -> i64 {
        client(&self.url).query_one(sql, &[]).unwrap().get(0)
    }

    /// The `email` answer of every stored application.
    fn emails(&self) -> Vec<String> {
        let rows = client(&self.url)
            .query("SELECT answers FROM applications", &[])
            .unwrap();
        rows.iter()
            .map(|r| {
                let answers: serde_json::Value = serde_json::from_str(r.get(0)).unwrap();
                answers["email"].as_str().unwrap().to_string()
            })
            .collect()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&test_database_url(), postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// `openings serve --production --database URL` on a free port of 127.0.0.1.
fn serve(site: &TestSite, url: &str) -> Server {
    Server::production_database(site.root(), url)
}

/// `openings applications ARGS --database URL`.
fn applications(site: &TestSite, url: &str, args: &[&str]) -> common::Run {
    let mut all = vec!["applications"];
    all.extend_from_slice(args);
    all.extend(["--database", url]);
    site.run(&all)
}

#[test]
fn an_application_goes_to_postgres_and_every_command_reads_it() {
    let db = Schema::new();
    let site = site_with_apply("retention_days = 30");
    let server = serve(&site, &db.url);
    server.wait_for_log("Applications kept in PostgreSQL: postgres://postgres@");
    assert_eq!(post_form(server.addr, ROLE, &Form::valid()).status, 200);
    let second = Form::valid().set("email", "grace@example.com");
    assert_eq!(post_form(server.addr, ROLE, &second).status, 200);
    assert_eq!(server.get("/healthz").status, 200);

    let list = applications(&site, &db.url, &["list"]).success();
    assert!(list.stdout.contains("ada@example.com"), "{}", list.stdout);
    assert_eq!(list.stdout.lines().count(), 3, "{}", list.stdout);
    let json = applications(&site, &db.url, &["list", "--format", "json"]).success();
    let apps: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        apps[0]["answers"]["q_langs"],
        serde_json::json!(["English", "German"])
    );
    assert_eq!(apps[0]["files"][0]["kind"], "pdf");
    assert_eq!(apps[0]["language"], "en");

    let saved = site.path("saved");
    let show = applications(
        &site,
        &db.url,
        &["show", "1", "--save-files", saved.to_str().unwrap()],
    );
    let show = show.success();
    assert!(show.stdout.contains("Ada Lovelace"), "{}", show.stdout);
    assert_eq!(
        std::fs::read(saved.join("1-resume.pdf")).unwrap(),
        common::form::resume_pdf()
    );
    let csv = applications(&site, &db.url, &["export", "--format", "csv"]).success();
    let rows = csv::Reader::from_reader(csv.stdout.as_bytes())
        .records()
        .count();
    assert_eq!(rows, 2, "{}", csv.stdout);
    let exported = site.path("all.json");
    applications(
        &site,
        &db.url,
        &[
            "export",
            "--format",
            "json",
            "-o",
            exported.to_str().unwrap(),
        ],
    )
    .success();
    let all: serde_json::Value = serde_json::from_str(&site.read("all.json")).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let outbox = applications(&site, &db.url, &["outbox"]).success();
    assert!(outbox.stderr.contains("0 messages"), "{}", outbox.stderr);

    // Age the first one past 40 days: --older-than and --expired find it.
    let old = jiff::Timestamp::now().as_millisecond() - 40 * 86_400_000;
    client(&db.url)
        .execute(
            "UPDATE applications SET received_at = $1 WHERE id = 1",
            &[&old],
        )
        .unwrap();
    applications(&site, &db.url, &["delete", "--older-than", "45d", "--yes"])
        .success()
        .stderr_has("No applications to delete");
    applications(&site, &db.url, &["delete", "--expired", "--yes"])
        .success()
        .stderr_has("Deleted 1 application");
    assert_eq!(db.count("SELECT count(*) FROM files"), 1);
    applications(&site, &db.url, &["delete", "--older-than", "1h", "--yes"]).success();
    applications(&site, &db.url, &["show", "2"]).success();

    // --data means SQLite: both at once is a usage error.
    let both = site.run(&["applications", "list", "--data", "x", "--database", &db.url]);
    both.failure(2).stderr_has("--database");
}

/// After an idle longer than any of the server's timeouts (65 s, waited for
/// real), the pooled PostgreSQL connections still store an application.
#[test]
fn after_a_long_idle_pages_and_applications_still_work() {
    let db = Schema::new();
    let site = site_with_apply("");
    let server = serve(&site, &db.url);
    assert_eq!(post_form(server.addr, ROLE, &Form::valid()).status, 200);
    std::thread::sleep(Duration::from_secs(65));
    assert_eq!(server.get("/careers/").status, 200);
    assert_eq!(server.get("/healthz").status, 200);
    let again = Form::valid().set("email", "grace@example.com");
    assert_eq!(post_form(server.addr, ROLE, &again).status, 200);
    let list = applications(&site, &db.url, &["list"]).success();
    assert!(list.stdout.contains("grace@example.com"), "{}", list.stdout);
}

#[test]
fn the_database_url_can_come_from_the_environment() {
    let db = Schema::new();
    let site = site_with_apply("");
    let server = serve(&site, &db.url);
    assert_eq!(post_form(server.addr, ROLE, &Form::valid()).status, 200);
    let out = Command::new(env!("CARGO_BIN_EXE_openings"))
        .args(["applications", "list"])
        .env("OPENINGS_DATABASE_URL", &db.url)
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ada@example.com"));
}

/// A webhook receiver on 127.0.0.1 that answers 200 and keeps each notice's id.
fn webhook() -> (String, Arc<Mutex<Vec<i64>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(WAIT));
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            if let Ok(notice) = serde_json::from_slice::<serde_json::Value>(&body) {
                sink.lock()
                    .unwrap()
                    .push(notice["id"].as_i64().unwrap_or(-1));
            }
            let mut stream = reader.into_inner();
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, seen)
}

#[test]
fn two_instances_on_one_database_send_each_notice_once() {
    let db = Schema::new();
    let (hook, seen) = webhook();
    let site = site_with_apply(&format!("webhook = \"{hook}\""));
    let a = serve(&site, &db.url);
    let b = serve(&site, &db.url);
    let n = 24;
    let posts: Vec<_> = (0..n)
        .map(|i| {
            let addr = if i % 2 == 0 { a.addr } else { b.addr };
            std::thread::spawn(move || {
                let form = Form::valid().set("email", &format!("c{i}@example.com"));
                post_form(addr, ROLE, &form).status
            })
        })
        .collect();
    for p in posts {
        assert_eq!(p.join().unwrap(), 200);
    }
    let started = Instant::now();
    while db.count("SELECT count(*) FROM outbox") > 0 {
        assert!(started.elapsed() < WAIT, "notices still queued");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Room for a second delivery to show itself, were there one.
    std::thread::sleep(Duration::from_millis(500));
    let mut ids = seen.lock().unwrap().clone();
    ids.sort();
    let expected: Vec<i64> = (1..=n).collect();
    assert_eq!(ids, expected, "each application's notice exactly once");
}

/// Posts a form without panicking: the status, or `None` when the server
/// was gone before it answered.
fn try_post(addr: SocketAddr, form: &Form) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(WAIT)).ok()?;
    let body = form.encode();
    let head = format!(
        "POST {ROLE} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        content_type(),
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&body).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw);
    text.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn killing_one_instance_mid_burst_loses_no_acknowledged_application() {
    let db = Schema::new();
    let site = site_with_apply("");
    let a = serve(&site, &db.url);
    let b = serve(&site, &db.url);
    let (a_addr, b_addr) = (a.addr, b.addr);
    let (threads, each) = (4, 15);
    let sent = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = (0..threads)
        .map(|t| {
            let sent = sent.clone();
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for i in 0..each {
                    let email = format!("t{t}-{i}@example.com");
                    let addr = if (t + i) % 2 == 0 { a_addr } else { b_addr };
                    let form = Form::valid().set("email", &email);
                    if try_post(addr, &form) == Some(200) {
                        acknowledged.push(email);
                    }
                    sent.fetch_add(1, Ordering::SeqCst);
                }
                acknowledged
            })
        })
        .collect();
    let started = Instant::now();
    while sent.load(Ordering::SeqCst) < threads * each / 3 {
        assert!(started.elapsed() < WAIT, "the burst did not get going");
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(a); // SIGKILL to its process group
    let acknowledged: Vec<String> = burst.into_iter().flat_map(|t| t.join().unwrap()).collect();
    assert!(
        acknowledged.len() >= threads * each / 2,
        "B kept serving: {}",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() < threads * each,
        "A was killed before the burst ended"
    );
    let stored = db.emails();
    for email in &acknowledged {
        let n = stored.iter().filter(|s| *s == email).count();
        assert_eq!(n, 1, "{email} acknowledged and stored {n} times");
    }
    let mut unique = stored.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), stored.len(), "an application stored twice");
    assert_eq!(post_form(b.addr, ROLE, &Form::valid()).status, 200);
}

/// A PostgreSQL cluster of this test's own, to stop and start.
struct Cluster {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
}

fn as_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Runs a server binary, as the `postgres` user when we are root (the
/// server refuses to run as root).
fn pg(bin: &Path, tool: &str, args: &[&str]) {
    let mut command = if as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    };
    let out = command.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    fn start() -> Cluster {
        let bin = PathBuf::from(std::env::var("OPENINGS_TEST_PG_BIN").unwrap_or_else(|_| {
            panic!("OPENINGS_TEST_PG_BIN is not set: run through bash scripts/with-pg.sh")
        }));
        let mut random = [0u8; 6];
        getrandom::fill(&mut random).unwrap();
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("openings-pg-down-{name}"));
        std::fs::create_dir(&dir).unwrap();
        if as_root() {
            Command::new("chown")
                .arg("postgres:")
                .arg(&dir)
                .status()
                .unwrap();
        }
        let data = dir.join("data");
        pg(
            &bin,
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
            ],
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { dir, port, bin };
        cluster.up();
        cluster
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn up(&self) {
        let options = format!("-k {} -h 127.0.0.1 -p {}", self.dir.display(), self.port);
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        pg(
            &self.bin,
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
    }

    fn down(&self) {
        let data = self.dir.join("data");
        pg(
            &self.bin,
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"],
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = Command::new(if as_root() { "runuser" } else { "true" })
            .args(if as_root() {
                vec!["-u", "postgres", "--"]
            } else {
                vec![]
            })
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn while_the_database_is_down_the_form_comes_back_and_then_it_works_again() {
    let cluster = Cluster::start();
    let site = site_with_apply("");
    let server = serve(&site, &cluster.url());
    assert_eq!(post_form(server.addr, ROLE, &Form::valid()).status, 200);

    cluster.down();
    let form = Form::valid().set("q_why", "Because engines.");
    let refused = post_form(server.addr, ROLE, &form);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    assert!(
        refused.body.contains("Because engines."),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"ada@example.com\""));
    assert_eq!(server.get("/healthz").status, 503);

    cluster.up();
    server.wait_until("/healthz", "the store back", |r| r.status == 200);
    assert_eq!(post_form(server.addr, ROLE, &form).status, 200);
    let mut c = client(&cluster.url());
    let n: i64 = c
        .query_one("SELECT count(*) FROM applications", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 2);
}

#[test]
fn a_sqlite_store_migrates_into_postgres_once() {
    let site = site_with_apply("");
    let sqlite = Server::production(&site, &[]);
    assert_eq!(post_form(sqlite.addr, ROLE, &Form::valid()).status, 200);
    let second = Form::valid().set("email", "grace@example.com");
    assert_eq!(post_form(sqlite.addr, ROLE, &second).status, 200);
    drop(sqlite);
    site.applications(&["delete", "1", "--yes"]).success();
    let db = Schema::new();
    let from = format!("sqlite:{}", site.path("data").display());
    let migrate = ["applications", "migrate", "--from", &from, "--to", &db.url];
    site.run(&migrate)
        .success()
        .stderr_has("Moved 1 application, 1 file and 0 outbox messages");
    let list = applications(&site, &db.url, &["list", "--format", "json"]).success();
    let apps: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(apps[0]["id"], 2);
    assert_eq!(apps[0]["answers"]["email"], "grace@example.com");
    site.run(&migrate).failure(1).stderr_has("already holds");
    let server = serve(&site, &db.url);
    assert_eq!(post_form(server.addr, ROLE, &Form::valid()).status, 200);
    assert_eq!(db.count("SELECT max(id) FROM applications"), 3);
    site.run(&["applications", "migrate", "--from", "data", "--to", &db.url])
        .failure(1)
        .stderr_has("sqlite:DIR");
}
