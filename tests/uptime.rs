//! The servers as a deployment meets them, not a demo: a day that ends while
//! they run (under a shifted clock, Debian's `faketime`), the health check,
//! slow and abandoned clients, bodies that never finish, `Expect:
//! 100-continue`, kept-alive connections. Every wait is bounded.

mod common;
use common::TestSite;
use common::form::Form;
use common::server::{Response, Server, WAIT, post_form, read_response};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const ROLE: &str = "/careers/jobs/backend-engineer/";
const APPLY: &str = "/careers/apply/backend-engineer";
const SCHEDULED: &str = "/careers/jobs/night-shift-lead/";

/// The `valid/basic` fixture in UTC, with Backend Engineer's last day on
/// 2026-11-23 and a posting scheduled to open on 2026-11-24.
fn site_with_a_day_ending() -> TestSite {
    let site = TestSite::fixture("valid/basic");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!(
            "timezone = \"UTC\"\n{}",
            config.replace("[apply]\n", "[apply]\nrate_limit = 0\n")
        ),
    );
    let role = site.read("content/jobs/backend-engineer.md");
    site.write(
        "content/jobs/backend-engineer.md",
        &role.replace("valid_through = 2027-01-31", "valid_through = 2026-11-23"),
    );
    site.write(
        "content/jobs/night-shift-lead.md",
        "+++\ntitle = \"Night Shift Lead\"\ndepartment = \"Operations\"\nlocations = [\"berlin\"]\n\
         date = 2026-11-20\npublish_from = 2026-11-24\nsummary = \"Keep the lights on.\"\n+++\n\n\
         You lead the night shift of our support desk.\n",
    );
    site
}

/// Waits until `/healthz` (production) or the listing (dev) shows `day`.
fn wait_for_day(server: &Server, production: bool, day: &str) {
    if production {
        server.wait_until("/healthz", day, |r| {
            r.body.contains(&format!("\"day\":\"{day}\""))
        });
    } else {
        server.wait_until("/careers/", "the scheduled posting", |r| {
            r.body.contains("Night Shift Lead")
        });
    }
}

/// Before and after midnight, the same server: the closing role and the
/// scheduled one everywhere they show.
fn check_midnight(server: &Server, production: bool) {
    let role = server.get(ROLE);
    assert_eq!(role.status, 200);
    assert!(
        role.body.contains("application/ld+json"),
        "JSON-LD before midnight"
    );
    assert!(role.body.contains("<form"), "the form before midnight");
    assert!(
        server
            .get("/careers/")
            .body
            .contains("jobs/backend-engineer/")
    );
    assert!(!server.get("/careers/").body.contains("Night Shift Lead"));
    assert_eq!(server.get(SCHEDULED).status, 404);
    for feed in [
        "/careers/sitemap.xml",
        "/careers/feed.xml",
        "/careers/jobs.json",
    ] {
        let body = server.get(feed).body;
        assert!(body.contains("backend-engineer"), "{feed} before midnight");
        assert!(!body.contains("night-shift-lead"), "{feed} before midnight");
    }
    assert_eq!(post_form(server.addr, APPLY, &Form::valid()).status, 200);

    wait_for_day(server, production, "2026-11-24");

    let role = server.get(ROLE);
    assert_eq!(role.status, 200, "the page of a closed role stays");
    assert!(
        role.body.contains("no longer accepting applications"),
        "{}",
        role.body
    );
    assert!(
        !role.body.contains("application/ld+json"),
        "no JSON-LD once closed"
    );
    assert!(!role.body.contains("<form"), "no form once closed");
    let listing = server.get("/careers/").body;
    assert!(
        !listing.contains("jobs/backend-engineer/"),
        "closed role still listed"
    );
    assert!(listing.contains("Night Shift Lead"));
    let department = server.get("/careers/departments/engineering/").body;
    assert!(!department.contains("jobs/backend-engineer/"));
    for feed in [
        "/careers/sitemap.xml",
        "/careers/feed.xml",
        "/careers/jobs.json",
    ] {
        let body = server.get(feed).body;
        assert!(!body.contains("backend-engineer"), "{feed} after midnight");
        assert!(body.contains("night-shift-lead"), "{feed} after midnight");
    }
    let opened = server.get(SCHEDULED);
    assert_eq!(opened.status, 200);
    assert!(
        opened.body.contains("\"datePosted\":\"2026-11-24\""),
        "{}",
        opened.body
    );
    assert_eq!(post_form(server.addr, APPLY, &Form::valid()).status, 410);
}

#[test]
fn the_production_server_closes_and_opens_postings_at_midnight() {
    let site = site_with_a_day_ending();
    let data = site.path("data");
    let data = data.to_str().unwrap();
    let server = Server::start_at(
        site.root(),
        "2026-11-23 23:59:50",
        &["--production", "--data", data],
    );
    check_midnight(&server, true);
}

#[test]
fn the_dev_server_closes_and_opens_postings_at_midnight() {
    let site = site_with_a_day_ending();
    let server = Server::start_at(site.root(), "2026-11-23 23:59:50", &[]);
    check_midnight(&server, false);
}

#[test]
fn midnight_is_the_site_time_zones() {
    // 15:00 UTC is midnight in Tokyo: the day turns there, not in UTC.
    let site = site_with_a_day_ending();
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace("timezone = \"UTC\"", "timezone = \"Asia/Tokyo\""),
    );
    let data = site.path("data");
    let server = Server::start_at(
        site.root(),
        "2026-11-23 14:59:55",
        &["--production", "--data", data.to_str().unwrap()],
    );
    assert!(
        server
            .get("/healthz")
            .body
            .contains("\"day\":\"2026-11-23\"")
    );
    wait_for_day(&server, true, "2026-11-24");
    assert!(
        !server
            .get("/careers/")
            .body
            .contains("jobs/backend-engineer/")
    );
}

#[test]
fn the_health_check_reports_the_generation_the_day_and_the_store() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let health = server.get("/healthz");
    assert_eq!(health.status, 200, "{}", health.body);
    let json: serde_json::Value = serde_json::from_str(&health.body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["generation"], 1);
    assert_eq!(json["day"], common::TODAY);
    assert_eq!(json["store"], "ok");
    assert_eq!(health.header("cache-control"), Some("no-store"));

    // The database goes away under the server: the probe says so.
    std::fs::remove_file(site.path("data/applications.db")).unwrap();
    let sick = server.get("/healthz");
    assert_eq!(sick.status, 503, "{}", sick.body);
    assert!(
        sick.body.contains("\"status\":\"unavailable\""),
        "{}",
        sick.body
    );
    // Pages are still served.
    assert_eq!(server.get("/careers/").status, 200);
}

/// A connection from `local` (e.g. 127.0.0.2) to the server.
fn connect_from(local: &str, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    let local: IpAddr = local.parse().unwrap();
    socket.bind(&SocketAddr::new(local, 0).into())?;
    socket.connect_timeout(&server.into(), WAIT)?;
    let stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(WAIT))?;
    stream.set_write_timeout(Some(Duration::from_secs(1)))?;
    Ok(stream)
}

/// A GET from `local`; the status and how long the answer took.
fn fetch_from(local: &str, server: SocketAddr, path: &str) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = connect_from(local, server).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
    (read_response(&mut stream).status, started.elapsed())
}

#[test]
fn slow_and_many_clients_from_one_address_cannot_starve_the_others() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let addr = server.addr;
    let boundary = common::form::BOUNDARY;
    // 20 bodies and 600 heads from 127.0.0.2, each trickling a byte every 5 s.
    let mut bodies = Vec::new();
    for _ in 0..20 {
        let Ok(mut s) = connect_from("127.0.0.2", addr) else {
            continue;
        };
        let head = format!(
            "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 100000\r\n\r\n-"
        );
        if s.write_all(head.as_bytes()).is_ok() {
            bodies.push(s);
        }
    }
    let mut heads = Vec::new();
    for _ in 0..600 {
        if let Ok(mut s) = connect_from("127.0.0.2", addr) {
            let _ = s.write_all(b"G");
            heads.push(s);
        }
    }
    // Meanwhile another address fetches pages, each answered within 2 s.
    let started = Instant::now();
    let mut fetched = 0;
    let mut next_trickle = Instant::now() + Duration::from_secs(5);
    while started.elapsed() < Duration::from_secs(14) {
        for path in ["/careers/", ROLE, "/careers/feed.xml"] {
            let (status, took) = fetch_from("127.0.0.3", addr, path);
            assert_eq!(status, 200, "{path} from another address");
            assert!(took < Duration::from_secs(2), "{path} took {took:?}");
            fetched += 1;
        }
        if Instant::now() > next_trickle {
            for s in bodies.iter_mut().chain(heads.iter_mut()) {
                let _ = s.write_all(b"-");
            }
            next_trickle += Duration::from_secs(5);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(fetched >= 30, "{fetched} fetches");
    // The trickling bodies were cut off for being too slow.
    let mut cut = 0;
    for s in &mut bodies {
        let _ = s.set_read_timeout(Some(Duration::from_secs(15)));
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        if answer.starts_with(b"HTTP/1.1 408") {
            cut += 1;
        }
    }
    assert!(cut > 0, "no trickling body got 408");
    drop(heads);
    drop(bodies);
    // And afterwards the greedy address is served like anyone else.
    let deadline = Instant::now() + WAIT;
    loop {
        let (status, _) = fetch_from("127.0.0.2", addr, "/careers/");
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "127.0.0.2 still refused ({status})"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(post_form(addr, APPLY, &Form::valid()).status, 200);
}

fn raw(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    stream
}

#[test]
fn a_body_shorter_than_its_length_is_answered_when_the_client_stops() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let body = Form::valid().encode();
    let content_type = common::form::content_type();
    // The client goes quiet with bytes still owed: 408 once its time is up.
    let mut stream = raw(&server);
    write!(
        stream,
        "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len() + 500
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    assert_eq!(read_response(&mut stream).status, 408);
    // The client says it is done sending: 400 at once.
    let mut stream = raw(&server);
    write!(
        stream,
        "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len() + 500
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let started = Instant::now();
    assert_eq!(read_response(&mut stream).status, 400);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.get("/careers/").status, 200);
}

#[test]
fn expect_continue_is_answered_by_the_declared_size() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let content_type = common::form::content_type();
    // Over the ceiling (4 x 5 MB + 1 MiB): refused before the body is sent.
    let mut stream = raw(&server);
    write!(
        stream,
        "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        50u64 << 20
    )
    .unwrap();
    let refused = read_response(&mut stream);
    assert_eq!(refused.status, 413, "{}", refused.body);
    // Within it: invited, then taken.
    let body = Form::valid().encode();
    let mut stream = raw(&server);
    write!(
        stream,
        "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut invited = [0u8; 25];
    stream.read_exact(&mut invited).unwrap();
    assert_eq!(&invited, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(&body).unwrap();
    assert_eq!(read_response(&mut stream).status, 200);
}

/// Reads one answer with a `Content-Length` from a kept-alive connection.
fn read_one(stream: &mut TcpStream) -> Response {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let text = String::from_utf8(head).unwrap();
    let length: usize = text
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap();
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    Response {
        status: text.split(' ').nth(1).unwrap().parse().unwrap(),
        headers: Vec::new(),
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

#[test]
fn a_kept_alive_connection_carries_several_requests() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let mut stream = raw(&server);
    for path in ["/careers/", ROLE, "/careers/feed.xml", "/careers/nothing/"] {
        write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let answer = read_one(&mut stream);
        let want = if path.contains("nothing") { 404 } else { 200 };
        assert_eq!(answer.status, want, "{path}");
    }
    // HEAD has the length of the page and no body.
    write!(
        stream,
        "HEAD /careers/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let head = read_response(&mut stream);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("content-length").is_some_and(|n| n != "0"));
}

#[test]
fn requests_the_parser_cannot_take_get_400_not_a_closed_connection() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let mut stream = raw(&server);
    stream
        .write_all("GET /careers/caf\u{e9}/ HTTP/1.1\r\nHost: x\r\n\r\n".as_bytes())
        .unwrap();
    assert_eq!(read_response(&mut stream).status, 400);
    let body = Form::valid().encode();
    let mut stream = raw(&server);
    write!(
        stream,
        "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n",
        body.len()
    )
    .unwrap();
    stream
        .write_all("Content-Type: multipart/form-data; boundary=gr\u{fc}n\r\n\r\n".as_bytes())
        .unwrap();
    stream.write_all(&body).unwrap();
    assert_eq!(read_response(&mut stream).status, 400);
}

#[test]
fn a_body_refused_early_is_drained_so_the_client_reads_the_answer() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let content_type = common::form::content_type();
    let mut stream = raw(&server);
    write!(
        stream,
        "POST {APPLY} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        50u64 << 20
    )
    .unwrap();
    // The browser goes on uploading after the server has answered: with a
    // lingering close its writes succeed (a plain close would reset them).
    let chunk = vec![b'x'; 64 * 1024];
    for n in 0..128 {
        stream
            .write_all(&chunk)
            .unwrap_or_else(|e| panic!("write {n} after the answer failed: {e}"));
    }
    let refused = read_response(&mut stream);
    assert_eq!(refused.status, 413);
    assert!(
        refused.body.contains("larger than 5 MB"),
        "{}",
        refused.body
    );
}

#[test]
fn the_healthcheck_command_asks_a_running_server() {
    let site = TestSite::fixture("valid/basic");
    let server = Server::production(&site, &[]);
    let url = format!("http://{}/healthz", server.addr);
    site.run(&["healthcheck", &url]).success();
    std::fs::remove_file(site.path("data/applications.db")).unwrap();
    site.run(&["healthcheck", &url])
        .failure(1)
        .stderr_has("answered 503");
    drop(server);
    site.run(&["healthcheck", &url])
        .failure(1)
        .stderr_has("does not answer");
}

#[cfg(unix)]
#[test]
fn systemd_hears_ready_and_the_watchdog_while_the_server_is_healthy() {
    use std::os::unix::net::UnixDatagram;
    let site = TestSite::fixture("valid/basic");
    let socket_path = site.path("notify.sock");
    let systemd = UnixDatagram::bind(&socket_path).unwrap();
    systemd
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let data = site.path("data");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_openings"));
    command
        .args([
            "serve",
            "--production",
            "--port",
            "0",
            "--today",
            common::TODAY,
            "--data",
        ])
        .arg(&data)
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "400000")
        .current_dir(site.root());
    let _server = Server::launch(command);
    let mut heard = Vec::new();
    let mut buf = [0u8; 256];
    while heard.iter().filter(|m| *m == "WATCHDOG=1").count() < 3 {
        let n = systemd.recv(&mut buf).expect("a notification within 5 s");
        heard.push(String::from_utf8_lossy(&buf[..n]).trim().to_string());
    }
    assert_eq!(heard[0], "READY=1");
    // The store goes away: no more pings, so systemd would restart the server.
    std::fs::remove_file(data.join("applications.db")).unwrap();
    // Drain what was sent before the probe saw the store gone, then listen.
    std::thread::sleep(Duration::from_millis(500));
    systemd
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    while systemd.recv(&mut buf).is_ok() {}
    systemd
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    assert!(
        systemd.recv(&mut buf).is_err(),
        "the watchdog is still fed with the store gone"
    );
}
