//! `openings serve` as a user meets it: the real binary on a free port of
//! 127.0.0.1, a fixture site in a temp folder, files edited the way editors save
//! them, and HTTP polled (bounded) until the change is served.

mod common;
use common::TestSite;
use common::server::{Server, WAIT, request};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const ROLE: &str = "content/jobs/backend-engineer.md";
const ROLE_PAGE: &str = "/careers/jobs/backend-engineer/";

fn basic() -> TestSite {
    TestSite::fixture("valid/basic")
}

#[test]
fn serves_the_site_under_its_base_path() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    assert!(server.url.ends_with("/careers/"), "{}", server.url);

    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/careers/"));
    let index = server.get("/careers/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(index.body.contains("Backend Engineer"));
    assert!(
        index.body.contains("<script src=\"/__openings/live.js\""),
        "reload script injected"
    );

    let page = server.get("/careers/jobs/backend-engineer");
    assert_eq!(page.status, 302);
    assert_eq!(page.header("location"), Some(ROLE_PAGE));
    assert_eq!(server.get(ROLE_PAGE).status, 200);

    let css = index.body.split("href=\"").find_map(|s| {
        let url = &s[..s.find('"')?];
        url.ends_with(".css").then(|| url.to_string())
    });
    let css = server.get(&css.expect("a stylesheet link"));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    let missing = server.get("/careers/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<html"),
        "the site's 404 page is served"
    );
    assert_eq!(server.get("/elsewhere/").status, 404);
    assert_eq!(request(server.addr, "POST", "/careers/").status, 405);
    // The application endpoint answers (tests/apply.rs covers it): an empty
    // POST is not a form.
    assert_eq!(
        request(server.addr, "POST", "/careers/apply/backend-engineer").status,
        415
    );
    assert_eq!(
        request(server.addr, "POST", "/careers/apply/nobody").status,
        404
    );
}

#[test]
fn paths_that_leave_the_site_are_refused() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    for target in [
        "/careers/../site.toml",
        "/careers/%2e%2e/site.toml",
        "/careers/%2E%2E%2Fsite.toml",
        "/careers/jobs/..%2f..%2fsite.toml",
        "//etc/passwd",
        "/careers/..%5csite.toml",
        "http://127.0.0.1/../site.toml",
    ] {
        let response = request(server.addr, "GET", target);
        assert_eq!(response.status, 400, "{target}");
        assert!(
            !response.body.contains("base_url"),
            "{target} leaked site.toml"
        );
    }
}

#[test]
fn edits_are_served_whichever_way_the_editor_saves() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    let original = site.read(ROLE);

    // Written in place.
    site.write(
        ROLE,
        &original.replace("Backend Engineer", "Backend Engineer In Place"),
    );
    server.wait_until(ROLE_PAGE, "in-place edit", |r| {
        r.body.contains("Backend Engineer In Place")
    });

    // Written to a temporary file, then renamed over the original (atomic save).
    site.write(
        "content/jobs/.backend-engineer.md.tmp",
        &original.replace("Backend Engineer", "Backend Engineer Renamed"),
    );
    std::fs::rename(
        site.path("content/jobs/.backend-engineer.md.tmp"),
        site.path(ROLE),
    )
    .unwrap();
    server.wait_until(ROLE_PAGE, "rename-over save", |r| {
        r.body.contains("Backend Engineer Renamed")
    });

    // Deleted, then created again (and vim's probe file on the way).
    site.remove(ROLE);
    site.write("content/jobs/4913", "");
    site.remove("content/jobs/4913");
    site.write(
        ROLE,
        &original.replace("Backend Engineer", "Backend Engineer Recreated"),
    );
    server.wait_until(ROLE_PAGE, "delete + create", |r| {
        r.body.contains("Backend Engineer Recreated")
    });
    // The listing shows it too.
    server.wait_until("/careers/", "listing update", |r| {
        r.body.contains("Backend Engineer Recreated")
    });

    // A new posting appears; a deleted one is gone.
    site.write(
        "content/jobs/new-role.md",
        &original.replace("Backend Engineer", "Brand New Role"),
    );
    server.wait_until("/careers/jobs/new-role/", "new posting", |r| {
        r.status == 200 && r.body.contains("Brand New Role")
    });
    site.remove("content/jobs/new-role.md");
    server.wait_until("/careers/jobs/new-role/", "deleted posting", |r| {
        r.status == 404
    });

    let log = server.log();
    assert!(
        log.contains("content/jobs/backend-engineer.md changed:"),
        "{log}"
    );
    assert!(log.contains("re-rendered in"), "{log}");
    assert!(
        !log.contains("4913"),
        "vim's probe file is not a change:\n{log}"
    );
}

#[test]
fn a_broken_posting_shows_the_error_and_the_fix_clears_it() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    let original = site.read(ROLE);

    site.write(
        ROLE,
        &original.replace(
            "department = \"Engineering\"",
            "departmnt = \"Engineering\"",
        ),
    );
    let broken = server.wait_until(ROLE_PAGE, "error overlay", |r| {
        r.body.contains("openings-overlay")
    });
    assert_eq!(broken.status, 200, "the last good page is still served");
    assert!(broken.body.contains("<h1>Backend Engineer</h1>"));
    assert!(
        broken.body.contains("unknown key `departmnt`"),
        "{}",
        broken.body
    );
    assert!(
        broken.body.contains("content/jobs/backend-engineer.md:3:1"),
        "{}",
        broken.body
    );
    server.wait_for_log("unknown key `departmnt`");
    server.wait_for_log("--> content/jobs/backend-engineer.md:3:1");
    assert!(server.log().contains("the site does not build"));
    // Every page says so, not only the broken one.
    assert!(server.get("/careers/").body.contains("openings-overlay"));

    site.write(
        ROLE,
        &original.replace("Backend Engineer", "Backend Engineer Fixed"),
    );
    let fixed = server.wait_until(ROLE_PAGE, "fixed page", |r| {
        r.body.contains("Backend Engineer Fixed")
    });
    assert!(!fixed.body.contains("openings-overlay"));
}

#[test]
fn a_broken_template_keeps_the_last_good_site() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope( }}{% endblock %}",
    );
    let broken = server.wait_until("/careers/benefits/", "template error", |r| {
        r.body.contains("openings-overlay")
    });
    assert!(
        broken.body.contains("templates/page.html"),
        "{}",
        broken.body
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p>Own page template</p>{% endblock %}",
    );
    server.wait_until("/careers/benefits/", "fixed template", |r| {
        r.body.contains("Own page template") && !r.body.contains("openings-overlay")
    });
}

#[test]
fn a_stalled_client_does_not_block_others() {
    let site = basic();
    // A file big enough to fill the socket buffers of a client that never reads.
    site.write("static/big.txt", &"x".repeat(32 * 1024 * 1024));
    let server = Server::start(site.root(), &[]);
    let stall = |n: usize| -> Vec<TcpStream> {
        (0..n)
            .map(|i| {
                let mut s = TcpStream::connect(server.addr).unwrap();
                if i % 2 == 0 {
                    // Half a request line, then nothing.
                    s.write_all(b"GET /careers/ HT").unwrap();
                } else {
                    // Asks for the big file and never reads the answer.
                    write!(s, "GET /careers/big.txt HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                }
                s
            })
            .collect()
    };
    let timed_get = || {
        let started = Instant::now();
        assert_eq!(server.get(ROLE_PAGE).status, 200);
        started.elapsed()
    };

    // Stalled clients, fewer than the server's workers: everyone else is answered at once.
    let few = stall(16);
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..10 {
        let took = timed_get();
        assert!(
            took < Duration::from_secs(2),
            "a request took {took:?} beside 8 stalled clients"
        );
    }
    drop(few);
}

#[test]
fn stylesheet_changes_are_sent_as_a_css_swap() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    let mut events = TcpStream::connect(server.addr).unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    write!(events, "GET /__openings/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut seen = String::new();
    let read_until = |events: &mut TcpStream, seen: &mut String, needle: &str| {
        let started = Instant::now();
        let mut buf = [0u8; 4096];
        while !seen.contains(needle) {
            assert!(started.elapsed() < WAIT, "no {needle:?} in {seen}");
            let n = std::io::Read::read(events, &mut buf).unwrap();
            assert!(n > 0, "event stream closed: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    };
    read_until(&mut events, &mut seen, "event: hello");
    let css = common::repo().join("themes/default/static/style.css");
    let css = std::fs::read_to_string(css).unwrap();
    site.write(
        "static/style.css",
        &format!("{css}\nbody {{ outline: 1px solid red; }}\n"),
    );
    read_until(&mut events, &mut seen, "event: css");
    assert!(seen.contains("\"swaps\":[[\"/careers/style."), "{seen}");
    site.write(
        ROLE,
        &site
            .read(ROLE)
            .replace("Backend Engineer", "Backend Engineer Evented"),
    );
    read_until(&mut events, &mut seen, "event: pages");
    assert!(seen.contains("/careers/jobs/backend-engineer/"), "{seen}");
}

#[test]
fn the_reload_script_never_reaches_a_build() {
    let site = basic();
    site.build();
    for (path, bytes) in common::files_under(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__openings"),
            "{path} carries the reload script"
        );
        assert!(
            !text.contains("openings-overlay"),
            "{path} carries the overlay"
        );
    }
}

#[test]
fn production_mode_serves_one_build_without_reload() {
    let site = basic();
    let server = Server::start(site.root(), &["--production"]);
    let page = server.get(ROLE_PAGE);
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("__openings"),
        "no reload script in production"
    );
    assert_eq!(server.get("/__openings/live.js").status, 404);
    assert_eq!(server.get("/careers/jobs/backend-engineer").status, 301);
    assert_eq!(server.get("/careers/nope/").status, 404);
    // No watcher: an edit is not picked up.
    site.write(
        ROLE,
        &site
            .read(ROLE)
            .replace("Backend Engineer", "Edited In Production"),
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(!server.get(ROLE_PAGE).body.contains("Edited In Production"));
    assert!(!site.exists("public"), "nothing written into public/");
}

#[test]
fn production_mode_refuses_a_site_that_does_not_build() {
    let site = TestSite::fixture("invalid/unknown-key");
    site.run(&["serve", "--production", "--port", "0"])
        .failure(1)
        .stderr_has("unknown key");
}

#[test]
fn a_busy_port_is_one_clear_line() {
    let site = basic();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.run(&["serve", "--port", &port]).failure(1);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{}",
        run.stderr
    );
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = basic();
    let server = Server::start(site.root(), &[]);
    assert_eq!(server.get("/careers/").status, 200);
    let (code, log) = server.interrupt();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("Stopped."), "{log}");
}

#[test]
fn serving_outside_a_site_fails_with_a_hint() {
    let empty = TestSite::empty();
    empty
        .run(&["serve", "--port", "0"])
        .failure(1)
        .stderr_has("no site.toml");
}
