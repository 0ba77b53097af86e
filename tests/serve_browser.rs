//! Live reload in Debian's Chromium, driven by node + playwright-core
//! (tests/tools/serve_browser.mjs): a posting edit changes the open page in place,
//! a stylesheet edit applies without a reload, a broken file shows the overlay
//! and its fix removes it. Needs what `bash scripts/test.sh` installs; a missing
//! tool is a failure, never a skip.

mod common;
use common::TestSite;
use common::server::Server;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn live_reload_updates_an_open_page_without_navigation() {
    let repo = common::repo();
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    for needed in [
        repo.join("node_modules/playwright-core/package.json"),
        std::path::PathBuf::from(&chromium),
    ] {
        assert!(
            needed.exists(),
            "{} is missing: run `bash scripts/test.sh`, which installs Chromium and the npm packages",
            needed.display()
        );
    }
    let site = TestSite::fixture("valid/basic");
    let server = Server::start(site.root(), &[]);
    let page = format!("{}jobs/backend-engineer/", server.url);
    let mut child = Command::new("node")
        .arg(repo.join("tests/tools/serve_browser.mjs"))
        .arg(&page)
        .arg(site.root())
        .arg("content/jobs/backend-engineer.md")
        .arg(repo.join("themes/default/static/style.css"))
        .current_dir(&repo)
        .env("CHROMIUM_PATH", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (bash scripts/test.sh installs it)");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(150) {
            let _ = child.kill();
            panic!(
                "serve_browser.mjs did not finish in 150 s\n{}",
                server.log()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        status.success(),
        "browser checks failed:\n{report}\n--- server log ---\n{}",
        server.log()
    );
    assert!(report.contains("3 passed, 0 failed"), "{report}");
}
